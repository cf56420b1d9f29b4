//! Finite-difference operators on grids: shifts, first and second
//! differences, multiplication by a coordinate, the d-dimensional Laplacian,
//! all as explicit MPOs built from [`stencil`].

use super::{coordinate, stencil, Boundary, Grid, Grid1d};
use crate::error::{Error, Result};
use crate::tt::TtMatrix;

/// The shift `(S v)_i = v_{i+1}` (rank 2; 3 when reflecting).
pub fn shift_forward(g: &Grid1d, bc: Boundary) -> Result<TtMatrix> {
    stencil(g.bits(), 0.0, 0.0, 1.0, bc)
}

/// The shift `(S v)_i = v_{i-1}` (rank 2; 3 when reflecting).
pub fn shift_backward(g: &Grid1d, bc: Boundary) -> Result<TtMatrix> {
    stencil(g.bits(), 1.0, 0.0, 0.0, bc)
}

/// The forward difference `(v_{i+1} - v_i) / h` (rank 2; 3 when reflecting).
pub fn forward_difference(g: &Grid1d, bc: Boundary) -> Result<TtMatrix> {
    let h = g.spacing();
    stencil(g.bits(), 0.0, -1.0 / h, 1.0 / h, bc)
}

/// The backward difference `(v_i - v_{i-1}) / h` (rank 2; 3 when reflecting).
pub fn backward_difference(g: &Grid1d, bc: Boundary) -> Result<TtMatrix> {
    let h = g.spacing();
    stencil(g.bits(), -1.0 / h, 1.0 / h, 0.0, bc)
}

/// The central difference `(v_{i+1} - v_{i-1}) / (2h)` (rank 3; 5 when
/// reflecting).
pub fn central_difference(g: &Grid1d, bc: Boundary) -> Result<TtMatrix> {
    let h2 = 2.0 * g.spacing();
    stencil(g.bits(), -1.0 / h2, 0.0, 1.0 / h2, bc)
}

/// The second difference `(v_{i+1} - 2 v_i + v_{i-1}) / h^2`: rank 3 for
/// Dirichlet ([`Boundary::Zero`]) and periodic, 5 for Neumann
/// ([`Boundary::Reflecting`], whose rows sum to zero).
pub fn second_difference(g: &Grid1d, bc: Boundary) -> Result<TtMatrix> {
    let s = 1.0 / (g.spacing() * g.spacing());
    stencil(g.bits(), s, -2.0 * s, s, bc)
}

/// Multiplication by the coordinate, `diag(x)` (rank 2).
pub fn multiply_by_coordinate(g: &Grid1d) -> Result<TtMatrix> {
    Ok(TtMatrix::diag(&coordinate(g)?))
}

/// The d-dimensional Laplacian `sum_d I (x) D2_d (x) I` over every binary
/// axis of `grid` (discrete axes are left alone), compressed exactly.
pub fn laplacian(grid: &Grid, bc: Boundary) -> Result<TtMatrix> {
    let terms = (0..grid.axes().len())
        .filter_map(|d| grid.binary_axis(d).ok().map(|g| (d, *g)))
        .map(|(d, g)| Ok((d, second_difference(&g, bc)?)))
        .collect::<Result<Vec<_>>>()?;
    if terms.is_empty() {
        return Err(Error::invalid("a Laplacian needs at least one binary axis"));
    }
    grid.kron_sum(&terms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::stencil::tests::dense as dense_stencil;
    use crate::grid::{sin, Axis, BitOrder};
    use crate::linalg::Truncation;
    use crate::tt::{ApplyMethod, TensorTrain};
    use nalgebra::DMatrix;
    use rand::{Rng, SeedableRng};

    fn second_diff_dense(n: usize, h: f64) -> DMatrix<f64> {
        DMatrix::from_fn(n, n, |i, j| match i.abs_diff(j) {
            0 => -2.0 / (h * h),
            1 => 1.0 / (h * h),
            _ => 0.0,
        })
    }

    #[test]
    fn every_operator_matches_dense_with_its_stated_rank() {
        type Op = fn(&Grid1d, Boundary) -> Result<TtMatrix>;
        /// Name, builder, stencil (below, diagonal, above) and stated rank.
        type Case = (&'static str, Op, (f64, f64, f64), usize);
        for bits in [1, 4, 10] {
            let g = Grid1d::new(-0.5, 1.5, bits).unwrap();
            let (n, h) = (g.len() as usize, g.spacing());
            let grid = Grid::from(g);
            for bc in [Boundary::Zero, Boundary::Periodic, Boundary::Reflecting] {
                let refl = bc == Boundary::Reflecting;
                let ops: [Case; 6] = [
                    (
                        "shift+",
                        shift_forward,
                        (0.0, 0.0, 1.0),
                        if refl { 3 } else { 2 },
                    ),
                    (
                        "shift-",
                        shift_backward,
                        (1.0, 0.0, 0.0),
                        if refl { 3 } else { 2 },
                    ),
                    (
                        "D+",
                        forward_difference,
                        (0.0, -1.0 / h, 1.0 / h),
                        if refl { 3 } else { 2 },
                    ),
                    (
                        "D-",
                        backward_difference,
                        (-1.0 / h, 1.0 / h, 0.0),
                        if refl { 3 } else { 2 },
                    ),
                    (
                        "D0",
                        central_difference,
                        (-0.5 / h, 0.0, 0.5 / h),
                        if refl { 5 } else { 3 },
                    ),
                    (
                        "D2",
                        second_difference,
                        (1.0 / (h * h), -2.0 / (h * h), 1.0 / (h * h)),
                        if refl { 5 } else { 3 },
                    ),
                ];
                for (name, op, coefs, rank) in ops {
                    let a = op(&g, bc).unwrap();
                    let want = dense_stencil(n, coefs.0, coefs.1, coefs.2, bc);
                    let got = grid.to_matrix(&a).unwrap();
                    assert!(
                        (&got - &want).norm() <= 1e-13 * want.norm(),
                        "{name} {bc:?} L={bits}"
                    );
                    if bits > 1 {
                        assert_eq!(a.max_rank(), rank, "{name} {bc:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn scaled_operators_match_dense() {
        let g = Grid1d::new(-1.0, 2.0, 5).unwrap();
        let (n, h) = (32, g.spacing());
        let grid = Grid::from(g);
        let d2 = grid
            .to_matrix(&second_difference(&g, Boundary::DIRICHLET).unwrap())
            .unwrap();
        assert!((d2 - second_diff_dense(n, h)).norm() < 1e-10 / (h * h));
        let dp = grid
            .to_matrix(&forward_difference(&g, Boundary::Zero).unwrap())
            .unwrap();
        let dm = grid
            .to_matrix(&backward_difference(&g, Boundary::Zero).unwrap())
            .unwrap();
        let dc = grid
            .to_matrix(&central_difference(&g, Boundary::Zero).unwrap())
            .unwrap();
        assert!((&dc - (&dp + &dm) * 0.5).norm() < 1e-12 / h);
        // D+ D- = D2 in the interior (Dirichlet)
        let prod = &dp * &dm;
        assert!(
            (prod.view((1, 1), (n - 2, n - 2))
                - second_diff_dense(n, h).view((1, 1), (n - 2, n - 2)))
            .norm()
                < 1e-9 / (h * h)
        );
        let neumann = grid
            .to_matrix(&second_difference(&g, Boundary::NEUMANN).unwrap())
            .unwrap();
        for i in 0..n {
            assert!(
                neumann.row(i).sum().abs() < 1e-9,
                "Neumann rows conserve mass"
            );
        }
        let x = grid
            .to_matrix(&multiply_by_coordinate(&g).unwrap())
            .unwrap();
        for i in 0..n {
            assert!((x[(i, i)] - g.coordinate(i as u64).unwrap()).abs() < 1e-14);
        }
        let s = grid
            .to_matrix(&shift_forward(&g, Boundary::Periodic).unwrap())
            .unwrap();
        let b = grid
            .to_matrix(&shift_backward(&g, Boundary::Periodic).unwrap())
            .unwrap();
        assert!((s * b - DMatrix::identity(n, n)).norm() < 1e-14);
    }

    #[test]
    fn laplacian_in_two_and_three_dimensions() {
        let gx = Grid1d::new(0.0, 1.0, 3).unwrap();
        let gy = Grid1d::new(0.0, 2.0, 2).unwrap();
        let dense1 = |g: &Grid1d| second_diff_dense(g.len() as usize, g.spacing());
        for order in [BitOrder::Sequential, BitOrder::Interleaved] {
            let grid = Grid::new(
                vec![
                    Axis::Binary(gx),
                    Axis::Discrete(vec![1.0, 2.0]),
                    Axis::Binary(gy),
                ],
                order,
            )
            .unwrap();
            let lap = laplacian(&grid, Boundary::Zero).unwrap();
            let got = grid.to_matrix(&lap).unwrap();
            let (ix, is, iy) = (
                DMatrix::identity(8, 8),
                DMatrix::identity(2, 2),
                DMatrix::identity(4, 4),
            );
            let want = iy.kronecker(&is).kronecker(&dense1(&gx))
                + dense1(&gy).kronecker(&is).kronecker(&ix);
            assert!((got - &want).norm() < 1e-10 * want.norm(), "{order:?}");
            if order == BitOrder::Sequential {
                assert!(lap.max_rank() <= 4, "{:?}", lap.ranks());
            }
        }
        let three = Grid::new(vec![Axis::Binary(gx); 3], BitOrder::Sequential).unwrap();
        let lap = laplacian(&three, Boundary::Periodic).unwrap();
        assert!(lap.max_rank() <= 4, "{:?}", lap.ranks());
        let only_discrete =
            Grid::new(vec![Axis::Discrete(vec![0.0])], BitOrder::Sequential).unwrap();
        assert!(laplacian(&only_discrete, Boundary::Zero).is_err());
    }

    /// Max error of `D sin(w x)` against `w cos(w x)` at random interior points.
    fn derivative_error(
        h: f64,
        op: fn(&Grid1d, Boundary) -> Result<TtMatrix>,
        exact: impl Fn(f64) -> f64,
    ) -> f64 {
        let l = 30;
        let g = Grid1d::new(0.0, h * ((1u64 << l) - 1) as f64, l).unwrap();
        let f = sin(&g, 1.0).unwrap();
        let d = op(&g, Boundary::Zero).unwrap();
        let df = d
            .apply(&f, &ApplyMethod::Exact, &Truncation::tol(1e-12).unwrap())
            .unwrap();
        // sin is rank 2, the Dirichlet boundary rows add at most two rank-1
        // corrections; the second difference cancels to O(h^2) of its terms,
        // which leaves round-off of relative size eps / h^2 as one more direction.
        assert!(df.max_rank() <= 5, "{:?}", df.ranks());
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        (0..200)
            .map(|_| {
                let i = rng.random_range(1..g.len() - 1);
                let x = g.coordinate(i).unwrap();
                (df.eval(&g.index_to_bits(i).unwrap()).unwrap() - exact(x)).abs()
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn derivatives_of_sin_on_thirty_bits_have_the_expected_order() {
        // sin(x) on 2^30 points with h = 1e-2, 1e-3: first differences are
        // O(h), the central and second differences O(h^2).
        let mut errs = Vec::new();
        for h in [1e-2, 1e-3] {
            let fwd = derivative_error(h, forward_difference, f64::cos);
            let cen = derivative_error(h, central_difference, f64::cos);
            let sec = derivative_error(h, second_difference, |x| -x.sin());
            assert!(
                fwd <= 0.5 * h * 1.01 && fwd > 0.3 * h,
                "forward {fwd} at h = {h}"
            );
            assert!(cen <= h * h / 6.0 * 1.01 + 1e-9, "central {cen} at h = {h}");
            assert!(sec <= h * h / 12.0 * 1.01 + 1e-7, "second {sec} at h = {h}");
            eprintln!("h = {h}: forward {fwd:.3e} central {cen:.3e} second {sec:.3e}");
            errs.push((fwd, cen, sec));
        }
        let ratio = |a: f64, b: f64| a / b;
        assert!((ratio(errs[0].0, errs[1].0) - 10.0).abs() < 1.0, "{errs:?}");
        assert!(
            (ratio(errs[0].1, errs[1].1) - 100.0).abs() < 10.0,
            "{errs:?}"
        );
        assert!(
            (ratio(errs[0].2, errs[1].2) - 100.0).abs() < 10.0,
            "{errs:?}"
        );
        let _ = TensorTrain::ones(&[2]).unwrap();
    }
}
