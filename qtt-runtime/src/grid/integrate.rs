//! Quadrature as contractions: trapezoid weights as a QTT, so that mass
//! `sum g da` and means `sum a g da` never decompress anything.

use super::{constant, Axis, Grid, Grid1d};
use crate::error::{Error, Result};
use crate::linalg::Truncation;
use crate::tt::TensorTrain;

/// The trapezoid weights `h (1, ..., 1) - h/2 (e_0 + e_{N-1})` on a 1-D grid
/// (rank <= 3: the end points are the all-zeros and all-ones bit strings).
pub fn trapezoid_weights(g: &Grid1d) -> Result<TensorTrain> {
    let h = g.spacing();
    let l = g.bits() as usize;
    let corner = |bit: usize| {
        let mut f = vec![vec![0.0; 2]; l];
        for v in &mut f {
            v[bit] = 1.0;
        }
        f[0][bit] = -0.5 * h;
        TensorTrain::product(&f)
    };
    constant(g, h)?
        .add(&corner(0)?)?
        .add(&corner(1)?)?
        .round(&Truncation::exact())
}

impl Grid {
    /// The tensor-product quadrature weights: trapezoid on binary axes, 1 on
    /// discrete axes (a sum over states).
    pub fn trapezoid_weights(&self) -> Result<TensorTrain> {
        let mut w: Option<TensorTrain> = None;
        for (d, a) in self.axes().iter().enumerate() {
            let wd = match a {
                Axis::Binary(g) => self.embed_vector(d, &trapezoid_weights(g)?)?,
                Axis::Discrete(_) => continue,
            };
            w = Some(match w {
                None => wd,
                Some(acc) => acc.hadamard(&wd)?.round(&Truncation::exact())?,
            });
        }
        match w {
            Some(w) => Ok(w),
            None => TensorTrain::ones(&self.modes()),
        }
    }

    /// `int g dx` (trapezoid; sums over discrete axes) as one contraction.
    pub fn integrate(&self, g: &TensorTrain) -> Result<f64> {
        g.dot(&self.trapezoid_weights()?)
    }

    /// `int x_axis g dx / int g dx`: the mean of coordinate `axis` under
    /// the density `g` (contractions only).
    pub fn mean(&self, g: &TensorTrain, axis: usize) -> Result<f64> {
        let w = self.trapezoid_weights()?;
        let mass = g.dot(&w)?;
        if mass == 0.0 || !mass.is_finite() {
            return Err(Error::Numerical(format!(
                "the density has mass {mass}, a mean needs a nonzero finite mass"
            )));
        }
        let x = self.coordinate(axis)?;
        Ok(g.hadamard(&x)?.dot(&w)? / mass)
    }

    /// Coordinate `axis` as a QTT on the whole grid (rank 2 on a binary axis,
    /// rank 1 on a discrete one).
    pub fn coordinate(&self, axis: usize) -> Result<TensorTrain> {
        let own = match self.check_axis(axis)? {
            Axis::Binary(g) => super::coordinate(g)?,
            Axis::Discrete(v) => TensorTrain::product(std::slice::from_ref(v))?,
        };
        self.embed_vector(axis, &own)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{exp, BitOrder};

    #[test]
    fn trapezoid_weights_match_dense() {
        for l in [1, 2, 6] {
            let g = Grid1d::new(-1.0, 2.0, l).unwrap();
            let w = Grid::from(g)
                .to_vector(&trapezoid_weights(&g).unwrap())
                .unwrap();
            let n = w.len();
            let h = g.spacing();
            for (i, wi) in w.iter().enumerate() {
                let want = if i == 0 || i == n - 1 { h / 2.0 } else { h };
                assert!((wi - want).abs() < 1e-14, "L={l} i={i}");
            }
            assert!(trapezoid_weights(&g).unwrap().max_rank() <= 3);
        }
    }

    #[test]
    fn mass_and_mean_at_fifty_bits() {
        // exp(-x) on [0, 5] with 2^50 points: trapezoid error O(h^2) ~ 1e-30.
        let g = Grid1d::new(0.0, 5.0, 50).unwrap();
        let grid = Grid::from(g);
        let f = exp(&g, -1.0).unwrap();
        let mass = grid.integrate(&f).unwrap();
        let want = 1.0 - (-5.0f64).exp();
        assert!((mass - want).abs() < 1e-12, "{mass} vs {want}");
        // mean of x under exp(-x) on [0, 5]: (1 - 6 e^-5) / (1 - e^-5)
        let m = grid.mean(&f, 0).unwrap();
        let want = (1.0 - 6.0 * (-5.0f64).exp()) / (1.0 - (-5.0f64).exp());
        assert!((m - want).abs() < 1e-12, "{m} vs {want}");
    }

    #[test]
    fn multi_dimensional_weights_and_discrete_sums() {
        for order in [BitOrder::Sequential, BitOrder::Interleaved] {
            let gx = Grid1d::new(0.0, 1.0, 20).unwrap();
            let gy = Grid1d::new(0.0, 2.0, 20).unwrap();
            let grid = Grid::new(
                vec![
                    Axis::Binary(gx),
                    Axis::Discrete(vec![1.0, 3.0]),
                    Axis::Binary(gy),
                ],
                order,
            )
            .unwrap();
            // g = x * y * s: integral = 1/2 * (1 + 3) * 2 = 4
            let g = grid
                .coordinate(0)
                .unwrap()
                .hadamard(&grid.coordinate(1).unwrap())
                .unwrap()
                .hadamard(&grid.coordinate(2).unwrap())
                .unwrap();
            assert!((grid.integrate(&g).unwrap() - 4.0).abs() < 1e-10);
            // mean of x under density x: (1/3) / (1/2)
            assert!((grid.mean(&g, 0).unwrap() - 2.0 / 3.0).abs() < 1e-10);
            assert!((grid.mean(&g, 1).unwrap() - 2.5).abs() < 1e-10);
        }
        let grid = Grid::from(Grid1d::new(0.0, 1.0, 4).unwrap());
        assert!(grid.mean(&TensorTrain::zeros(&[2; 4]).unwrap(), 0).is_err());
        assert!(grid.coordinate(3).is_err());
    }
}
