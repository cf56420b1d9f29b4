//! The upwind drift operator `diag(s+) D+ + diag(s-) D-` of an HJB or
//! Kolmogorov generator, for a drift `s` given as a QTT.
//!
//! Upwinding differences forward where the drift is positive and backward
//! where it is negative, so the generator is a proper intensity matrix
//! (nonnegative off-diagonal entries, rows summing to zero with a reflecting
//! boundary). The split `s = s+ + s-` is smoothed (seed 000): `s+ =
//! softplus_mu(s)`, `s- = s - s+ = -softplus_mu(-s)`, so only one cross is
//! needed and the kink at `s = 0` does not inflate the ranks.

use super::{backward_difference, forward_difference, softplus_tt, Boundary, Grid};
use crate::error::Result;
use crate::linalg::Truncation;
use crate::tt::{CrossOptions, CrossReport, TensorTrain, TtMatrix};

/// `diag(s_plus) D+ + diag(s_minus) D-` along binary `axis`, with the
/// differences' boundary `bc`, rounded to `trunc`.
pub fn upwind_drift_from_parts(
    grid: &Grid,
    axis: usize,
    s_plus: &TensorTrain,
    s_minus: &TensorTrain,
    bc: Boundary,
    trunc: &Truncation,
) -> Result<TtMatrix> {
    let g = grid.binary_axis(axis)?;
    let dp = grid.embed_operator(axis, &forward_difference(g, bc)?)?;
    let dm = grid.embed_operator(axis, &backward_difference(g, bc)?)?;
    let up = TtMatrix::diag(s_plus).matmul(&dp)?;
    let down = TtMatrix::diag(s_minus).matmul(&dm)?;
    up.add(&down)?.round(trunc)
}

/// The upwind drift operator of drift `s` along binary `axis`, with `s+`
/// the softplus of width `mu` (by cross to `opts`) and `s- = s - s+`;
/// returns the operator and the cross report of `s+`.
pub fn upwind_drift(
    grid: &Grid,
    axis: usize,
    s: &TensorTrain,
    mu: f64,
    bc: Boundary,
    opts: &CrossOptions,
    trunc: &Truncation,
) -> Result<(TtMatrix, CrossReport)> {
    let (s_plus, report) = softplus_tt(s, mu, opts)?;
    let s_minus = s.sub(&s_plus)?.round(&Truncation::tol(opts.tol)?)?;
    let op = upwind_drift_from_parts(grid, axis, &s_plus, &s_minus, bc, trunc)?;
    Ok((op, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{grid_cross_options, softplus, Axis, BitOrder, Grid1d};
    use nalgebra::DMatrix;

    #[test]
    fn upwind_drift_matches_dense_and_is_a_generator() {
        let g = Grid1d::new(-1.0, 1.0, 6).unwrap();
        let (n, h) = (64, g.spacing());
        let mu = 0.05;
        for order in [BitOrder::Sequential, BitOrder::Interleaved] {
            let grid =
                Grid::new(vec![Axis::Discrete(vec![0.5, 1.5]), Axis::Binary(g)], order).unwrap();
            // drift s(z, x) = z (0.3 - x): changes sign inside the grid
            let s = grid
                .coordinate(0)
                .unwrap()
                .hadamard(
                    &grid
                        .coordinate(1)
                        .unwrap()
                        .scaled(-1.0)
                        .add(&TensorTrain::ones(&grid.modes()).unwrap().scaled(0.3))
                        .unwrap(),
                )
                .unwrap();
            let opts = grid_cross_options(1e-12).unwrap();
            let (a, rep) = upwind_drift(
                &grid,
                1,
                &s,
                mu,
                Boundary::Reflecting,
                &opts,
                &Truncation::tol(1e-13).unwrap(),
            )
            .unwrap();
            assert!(rep.converged);
            let got = grid.to_matrix(&a).unwrap();
            // dense oracle, grid order: state fastest (2), then x (64)
            let mut want = DMatrix::zeros(2 * n, 2 * n);
            for (zi, z) in [0.5, 1.5].into_iter().enumerate() {
                for i in 0..n {
                    let x = g.coordinate(i as u64).unwrap();
                    let sv = z * (0.3 - x);
                    let (sp, sm) = (softplus(sv, mu), sv - softplus(sv, mu));
                    let row = zi + 2 * i;
                    if i + 1 < n {
                        want[(row, zi + 2 * (i + 1))] += sp / h;
                        want[(row, row)] -= sp / h;
                    }
                    if i > 0 {
                        want[(row, zi + 2 * (i - 1))] -= sm / h;
                        want[(row, row)] += sm / h;
                    }
                }
            }
            let err = (&got - &want).norm() / want.norm();
            assert!(err < 1e-10, "{order:?}: {err}");
            for r in 0..2 * n {
                assert!(
                    got.row(r).sum().abs() < 1e-8 * want.norm(),
                    "row sums vanish"
                );
                for c in 0..2 * n {
                    if c != r {
                        assert!(got[(r, c)] > -1e-9, "off-diagonal intensities are >= 0");
                    }
                }
            }
        }
        let grid = Grid::new(
            vec![Axis::Discrete(vec![0.5, 1.5]), Axis::Binary(g)],
            BitOrder::Sequential,
        )
        .unwrap();
        let one = TensorTrain::ones(&grid.modes()).unwrap();
        let t = Truncation::exact();
        assert!(upwind_drift_from_parts(&grid, 0, &one, &one, Boundary::Zero, &t).is_err());
        assert!(upwind_drift(
            &grid,
            1,
            &one,
            -1.0,
            Boundary::Zero,
            &grid_cross_options(1e-10).unwrap(),
            &t
        )
        .is_err());
    }
}
