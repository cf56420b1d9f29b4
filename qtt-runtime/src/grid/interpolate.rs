//! Values between grid points: multilinear interpolation of a QTT.

use super::{Axis, Grid, Grid1d};
use crate::error::{Error, Result};
use crate::tt::TensorTrain;

impl Grid {
    /// The value at an arbitrary point (one coordinate per axis; a discrete
    /// axis takes the exact value of one of its states) by multilinear
    /// interpolation between the neighbouring grid points: `2^b` evaluations
    /// of `O(sites r^2)` for `b` binary axes; error `O(h^2)`.
    pub fn interpolate(&self, f: &TensorTrain, x: &[f64]) -> Result<f64> {
        if f.modes() != self.modes() {
            return Err(Error::shape(format!(
                "the tensor train has modes {:?}, the grid has {:?}",
                f.modes(),
                self.modes()
            )));
        }
        if x.len() != self.axes().len() {
            return Err(Error::shape(format!(
                "{} coordinates given for a grid of {} axes",
                x.len(),
                self.axes().len()
            )));
        }
        // Per axis: the left neighbour, the weight of the right one, and
        // whether a right neighbour is involved at all.
        let mut cells = Vec::with_capacity(x.len());
        for (d, (a, &xd)) in self.axes().iter().zip(x).enumerate() {
            cells.push(match a {
                Axis::Binary(g) => {
                    let (i, t) = g
                        .locate(xd)
                        .map_err(|e| Error::invalid(format!("axis {d}: {e}")))?;
                    (i, t)
                }
                Axis::Discrete(v) => {
                    let s = v.iter().position(|&s| s == xd).ok_or_else(|| {
                        Error::invalid(format!("axis {d} is discrete with states {v:?}, got {xd}"))
                    })?;
                    (s as u64, 0.0)
                }
            });
        }
        let corners: Vec<usize> = (0..cells.len()).filter(|&d| cells[d].1 > 0.0).collect();
        let mut total = 0.0;
        let mut idx: Vec<u64> = cells.iter().map(|c| c.0).collect();
        for mask in 0u64..(1u64 << corners.len()) {
            let mut w = 1.0;
            for (j, &d) in corners.iter().enumerate() {
                let right = (mask >> j) & 1 == 1;
                idx[d] = cells[d].0 + right as u64;
                w *= if right { cells[d].1 } else { 1.0 - cells[d].1 };
            }
            if w != 0.0 {
                total += w * f.eval(&self.site_index(&idx)?)?;
            }
        }
        Ok(total)
    }
}

/// The value at an arbitrary `x` in `[lo, hi]` by linear interpolation
/// between the two neighbouring grid points (two `O(L r^2)` evaluations;
/// error `<= h^2 max|f''| / 8`).
pub fn interpolate(g: &Grid1d, f: &TensorTrain, x: f64) -> Result<f64> {
    Grid::from(*g).interpolate(f, &[x])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{sin, BitOrder};

    #[test]
    fn interpolation_is_second_order() {
        let g = Grid1d::new(0.0, 1.0, 12).unwrap();
        let s = sin(&g, 2.0).unwrap();
        let mut worst: f64 = 0.0;
        for k in 0..100 {
            let x = 0.00731 + k as f64 * 0.0099;
            worst = worst.max((interpolate(&g, &s, x).unwrap() - (2.0 * x).sin()).abs());
        }
        let h = g.spacing();
        assert!(worst <= 4.0 * h * h / 8.0 + 1e-15, "{worst}");
        assert!(worst > 1e-3 * h * h, "{worst}");
        assert!(interpolate(&g, &s, 1.5).is_err());
        assert!(interpolate(&g, &TensorTrain::ones(&[2; 3]).unwrap(), 0.5).is_err());
    }

    #[test]
    fn bilinear_on_a_mixed_grid_is_exact_for_bilinear_functions() {
        for order in [BitOrder::Sequential, BitOrder::Interleaved] {
            let grid = Grid::new(
                vec![
                    Axis::Binary(Grid1d::new(0.0, 1.0, 20).unwrap()),
                    Axis::Discrete(vec![0.5, 2.0]),
                    Axis::Binary(Grid1d::new(-1.0, 1.0, 30).unwrap()),
                ],
                order,
            )
            .unwrap();
            // f = 1 + x z + 2 y: bilinear in the binary axes
            let f = grid
                .coordinate(0)
                .unwrap()
                .hadamard(&grid.coordinate(2).unwrap())
                .unwrap()
                .add(&grid.coordinate(1).unwrap().scaled(2.0))
                .unwrap()
                .add(&TensorTrain::ones(&grid.modes()).unwrap())
                .unwrap();
            for p in [
                [0.3141, 2.0, -0.2718],
                [1.0, 0.5, 1.0],
                [0.0, 2.0, 0.123456789],
            ] {
                let want = 1.0 + p[0] * p[2] + 2.0 * p[1];
                let got = grid.interpolate(&f, &p).unwrap();
                assert!(
                    (got - want).abs() < 1e-12,
                    "{order:?} {p:?}: {got} vs {want}"
                );
            }
            assert!(grid.interpolate(&f, &[0.5, 1.0, 0.0]).is_err());
            assert!(grid.interpolate(&f, &[1.5, 0.5, 0.0]).is_err());
            assert!(grid.interpolate(&f, &[0.5, 0.5]).is_err());
        }
    }
}
