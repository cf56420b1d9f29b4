//! Two-point boundary-value problems on a QTT grid of up to `2^63` points,
//! `c u - (a u'' + s u') = f` with `u = 0` at the ghost points `lo - h` and
//! `hi + h`, solved by AMEn on the Green's-function preconditioned system.
//!
//! The finite-difference operator `A = diag(c) - diag(a) D2 - diag(s+) D+
//! - diag(s-) D-` (the drift upwinded as in [`crate::grid::upwind_drift`])
//! has condition number ~`4^L`: beyond `L ~ 25` no solver can apply it to a
//! QTT stored in double precision without losing every digit. So the
//! unknown is `y = -D2 u`, `u = P y` with the explicit inverse
//! `P = (-D2)^-1` ([`crate::grid::dirichlet_green`]), and AMEn solves
//! `M y = f` with
//!
//! `M = A P = diag(a) + diag(c) P - diag(s+) (D+ P) - diag(s-) (D- P)`,
//!
//! every term assembled from exact pieces (`D2 P = -I` holds on paper, not
//! in floating point). `M` is a diagonal plus discretised integral operators
//! with bounded kernels: its condition number is bounded in `L` (it grows
//! with the Peclet number `|s| / a` and with `c / a`, not with `1/h`), so
//! AMEn's residual means what it says at `L = 40` as at `L = 10`. With
//! `c = s = 0` and constant `a`, `M = a I` and one sweep solves it: the
//! Poisson problem's accuracy is then that of the explicit inverse.

use crate::error::{check_finite, Error, Result};
use crate::grid::{
    backward_difference, dirichlet_green, dirichlet_green_backward_difference, forward_difference,
    second_difference, Boundary, Grid1d,
};
use crate::linalg::Truncation;
use crate::solve::{amen_solve, AmenOptions, SolveReport};
use crate::tt::{ApplyMethod, TensorTrain, TtMatrix};

/// `c u - (a u'' + s+ D+ u + s- D- u) = f` on a 1-D grid with homogeneous
/// Dirichlet conditions at the ghost points `lo - h` and `hi + h`; the
/// coefficients are QTTs on the grid.
#[derive(Debug, Clone)]
pub struct DirichletProblem {
    grid: Grid1d,
    diffusion: TensorTrain,
    drift_up: Option<TensorTrain>,
    drift_down: Option<TensorTrain>,
    reaction: Option<TensorTrain>,
}

/// The result of [`DirichletProblem::solve`].
#[derive(Debug, Clone)]
pub struct DirichletSolution {
    /// The solution `u = P y` on the grid.
    pub u: TensorTrain,
    /// The preconditioned unknown `y = -D2 u`.
    pub y: TensorTrain,
    /// `||M y - f|| / ||f||` of the preconditioned system, recomputed
    /// after the solve (meaningful at any `L`: `M` is well conditioned).
    pub residual: f64,
    /// The largest QTT rank of `M`.
    pub operator_rank: usize,
    /// AMEn's per-sweep reports.
    pub sweeps: Vec<SolveReport>,
}

impl DirichletProblem {
    /// `-a u'' = f` on `grid` with diffusion `a` (a QTT on the grid,
    /// positive for a well-posed problem).
    pub fn new(grid: Grid1d, diffusion: TensorTrain) -> Result<Self> {
        check_coefficient(&grid, &diffusion, "diffusion")?;
        Ok(Self {
            grid,
            diffusion,
            drift_up: None,
            drift_down: None,
            reaction: None,
        })
    }

    /// Adds the drift `s+ >= 0`, differenced forward (`s+ D+ u`).
    pub fn with_forward_drift(mut self, s_plus: TensorTrain) -> Result<Self> {
        check_coefficient(&self.grid, &s_plus, "forward drift")?;
        self.drift_up = Some(s_plus);
        Ok(self)
    }

    /// Adds the drift `s- <= 0`, differenced backward (`s- D- u`).
    pub fn with_backward_drift(mut self, s_minus: TensorTrain) -> Result<Self> {
        check_coefficient(&self.grid, &s_minus, "backward drift")?;
        self.drift_down = Some(s_minus);
        Ok(self)
    }

    /// Adds the reaction (discount) term `c u`.
    pub fn with_reaction(mut self, c: TensorTrain) -> Result<Self> {
        check_coefficient(&self.grid, &c, "reaction")?;
        self.reaction = Some(c);
        Ok(self)
    }

    /// The grid.
    pub fn grid(&self) -> &Grid1d {
        &self.grid
    }

    /// The plain finite-difference operator `A` (condition number ~`4^L`:
    /// for checks at small sizes, not for solving at large ones).
    pub fn operator(&self) -> Result<TtMatrix> {
        let g = &self.grid;
        // Unrounded: a rounding error of eps ||A|| would be cond(A) eps
        // relative in the solution of a dense check.
        let mut sum = TtMatrix::diag(&self.diffusion.scaled(-1.0))
            .matmul(&second_difference(g, Boundary::Zero)?)?;
        for (coef, op, sign) in [
            (&self.reaction, TtMatrix::identity(&g.modes())?, 1.0),
            (&self.drift_up, forward_difference(g, Boundary::Zero)?, -1.0),
            (
                &self.drift_down,
                backward_difference(g, Boundary::Zero)?,
                -1.0,
            ),
        ] {
            if let Some(c) = coef {
                sum = sum.add(&TtMatrix::diag(&c.scaled(sign)).matmul(&op)?)?;
            }
        }
        Ok(sum)
    }

    /// The preconditioned operator `M = A P` with `P = (-D2)^-1`, assembled
    /// from exact pieces: with `D+ P = D- P - h I` (as `D+ - D- = h D2`),
    /// `M = diag(a + h s+) + diag(c) P - diag(s+ + s-) (D- P)`, one drift
    /// term of the rank of `s` rather than two of the ranks of `s+`, `s-`.
    pub fn preconditioned_operator(&self) -> Result<TtMatrix> {
        let g = &self.grid;
        let exact = Truncation::exact();
        let diagonal = match &self.drift_up {
            Some(sp) => sp.axpy(g.spacing(), &self.diffusion)?.round(&exact)?,
            None => self.diffusion.clone(),
        };
        let drift = match (&self.drift_up, &self.drift_down) {
            (Some(sp), Some(sm)) => Some(sp.add(sm)?.round(&exact)?),
            (sp, sm) => sp.as_ref().or(sm.as_ref()).cloned(),
        };
        // The integral terms are added to the diagonal unrounded: rounded
        // together with it, whose Frobenius norm is ~sqrt(N) times larger,
        // they would fall below the noise floor.
        let mut sum = TtMatrix::diag(&diagonal);
        if let Some(c) = &self.reaction {
            sum = sum.add(&weighted(c, &dirichlet_green(g)?)?)?;
        }
        if let Some(s) = drift {
            sum = sum.add(&weighted(&s, &dirichlet_green_backward_difference(g)?)?.scaled(-1.0))?;
        }
        Ok(sum)
    }

    /// Solves `A u = f` by AMEn on `M y = f` (started from `f`), then
    /// `u = P y` rounded to `opts.tol`. `opts.tol` is AMEn's stopping
    /// tolerance on the local residuals of the well-conditioned `M`.
    pub fn solve(&self, f: &TensorTrain, opts: &AmenOptions) -> Result<DirichletSolution> {
        check_coefficient(&self.grid, f, "right-hand side")?;
        let m = self.preconditioned_operator()?;
        let sol = amen_solve(&m, f, f, opts)?;
        let trunc = Truncation::tol(opts.tol)?;
        // y is not rounded on its own: its norm may exceed that of u by the
        // Peclet number squared (boundary layers), so a relative truncation
        // of y would cost u that factor in accuracy.
        let y = sol.x;
        let u = dirichlet_green(&self.grid)?.apply(&y, &ApplyMethod::Exact, &trunc)?;
        let fnorm = f.norm();
        let residual = if fnorm == 0.0 {
            0.0
        } else {
            m.apply_exact(&y)?.sub(f)?.norm() / fnorm
        };
        Ok(DirichletSolution {
            u,
            y,
            residual,
            operator_rank: m.max_rank(),
            sweeps: sol.sweeps,
        })
    }
}

/// `diag(c) op`, rounded on its own (exactly, up to round-off).
fn weighted(c: &TensorTrain, op: &TtMatrix) -> Result<TtMatrix> {
    TtMatrix::diag(c).matmul(op)?.round(&Truncation::exact())
}

fn check_coefficient(g: &Grid1d, v: &TensorTrain, what: &str) -> Result<()> {
    if v.modes() != g.modes() {
        return Err(Error::shape(format!(
            "the {what} has modes {:?}, the grid of 2^{} points has {:?}",
            v.modes(),
            g.bits(),
            g.modes()
        )));
    }
    for (k, c) in v.cores().iter().enumerate() {
        check_finite(&format!("core {k} of the {what}"), c.data())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{constant, exp, interpolate, polynomial, sin, Grid};
    use nalgebra::DMatrix;
    use rand::{Rng, SeedableRng};
    use std::f64::consts::PI;

    /// The `2^bits` interior points of (0, 1), `h = 1 / (2^bits + 1)`.
    fn unit_interval(bits: u32) -> Grid1d {
        let h = 1.0 / ((1u64 << bits) as f64 + 1.0);
        Grid1d::new(h, 1.0 - h, bits).unwrap()
    }

    fn options(tol: f64) -> AmenOptions {
        AmenOptions {
            tol,
            enrichment_rank: 4,
            max_sweeps: 20,
            ..AmenOptions::default()
        }
    }

    /// The relative 2-norm error over all points, and the largest error at
    /// 400 random points relative to the largest value there.
    fn errors(g: &Grid1d, got: &TensorTrain, want: &TensorTrain) -> (f64, f64) {
        let rel = got.sub(want).unwrap().norm() / want.norm();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let (mut err, mut top) = (0.0f64, 0.0f64);
        for _ in 0..400 {
            let bits = g.index_to_bits(rng.random_range(0..g.len())).unwrap();
            let w = want.eval(&bits).unwrap();
            err = err.max((got.eval(&bits).unwrap() - w).abs());
            top = top.max(w.abs());
        }
        (rel, err / top)
    }

    /// A problem with every term present, on a grid not of (0, 1).
    fn full_problem(bits: u32) -> DirichletProblem {
        let g = Grid1d::new(-0.5, 1.5, bits).unwrap();
        DirichletProblem::new(g, polynomial(&g, &[1.0, 0.2, 0.3]).unwrap())
            .unwrap()
            .with_reaction(sin(&g, 2.0).unwrap())
            .unwrap()
            .with_forward_drift(polynomial(&g, &[1.0, 0.5]).unwrap())
            .unwrap()
            .with_backward_drift(constant(&g, -2.0).unwrap())
            .unwrap()
    }

    #[test]
    fn preconditioned_operator_is_a_times_the_inverse_laplacian() {
        for bits in [1, 3, 6] {
            let p = full_problem(bits);
            let grid = Grid::from(*p.grid());
            let a = grid.to_matrix(&p.operator().unwrap()).unwrap();
            let minus_d2 = -grid
                .to_matrix(&second_difference(p.grid(), Boundary::Zero).unwrap())
                .unwrap();
            let want = &a * minus_d2.try_inverse().unwrap();
            let got = grid
                .to_matrix(&p.preconditioned_operator().unwrap())
                .unwrap();
            assert!(
                (&got - &want).norm() <= 1e-12 * want.norm(),
                "L={bits}: {:e}",
                (&got - &want).norm() / want.norm()
            );
            // The plain operator against its stencil by hand.
            let n = grid.num_points() as usize;
            let h = p.grid().spacing();
            let x = |i: usize| p.grid().coordinate(i as u64).unwrap();
            let hand = DMatrix::from_fn(n, n, |i, j| {
                let (ai, ci) = (1.0 + 0.2 * x(i) + 0.3 * x(i) * x(i), (2.0 * x(i)).sin());
                let (sp, sm) = (1.0 + 0.5 * x(i), -2.0);
                match j as i64 - i as i64 {
                    0 => 2.0 * ai / (h * h) + ci + sp / h - sm / h,
                    1 => -ai / (h * h) - sp / h,
                    -1 => -ai / (h * h) + sm / h,
                    _ => 0.0,
                }
            });
            assert!((&a - &hand).norm() <= 1e-12 * hand.norm(), "L={bits}");
        }
    }

    #[test]
    fn poisson_on_forty_bits_matches_the_exact_solution() {
        // -u'' = sin(pi x) on (0, 1): u = sin(pi x) / pi^2; the discrete
        // solution differs from it by O(h^2) ~ 1e-24 relative.
        let g = unit_interval(40);
        let p = DirichletProblem::new(g, constant(&g, 1.0).unwrap()).unwrap();
        let sol = p.solve(&sin(&g, PI).unwrap(), &options(1e-12)).unwrap();
        let want = sin(&g, PI).unwrap().scaled(1.0 / (PI * PI));
        let (rel, max) = errors(&g, &sol.u, &want);
        assert!(rel < 1e-10 && max < 1e-10, "errors {rel:e} {max:e}");
        assert!(sol.residual < 1e-12, "{}", sol.residual);
        assert!(sol.u.max_rank() <= 2, "{:?}", sol.u.ranks());
    }

    #[test]
    fn variable_coefficients_on_forty_bits() {
        // -a u'' + c u = f with u = sin(pi x): the symmetric case a = 1,
        // c = 1 + 10 x, and a non-symmetric one a = 1 + x^2 / 2 (M is then
        // no multiple of the identity and AMEn has to iterate).
        let g = unit_interval(40);
        let s = sin(&g, PI).unwrap();
        for a in [vec![1.0], vec![1.0, 0.0, 0.5]] {
            let c = [1.0, 10.0];
            // f = (pi^2 a + c) sin(pi x)
            let mut load: Vec<f64> = a.iter().map(|v| PI * PI * v).collect();
            load.resize(3, 0.0);
            load[0] += c[0];
            load[1] += c[1];
            let f = polynomial(&g, &load).unwrap().hadamard(&s).unwrap();
            let p = DirichletProblem::new(g, polynomial(&g, &a).unwrap())
                .unwrap()
                .with_reaction(polynomial(&g, &c).unwrap())
                .unwrap();
            let sol = p.solve(&f, &options(1e-12)).unwrap();
            let (rel, max) = errors(&g, &sol.u, &s);
            assert!(
                rel < 1e-9 && max < 1e-9,
                "a = {a:?}: errors {rel:e} {max:e}"
            );
            assert!(sol.residual < 1e-10, "{}", sol.residual);
            assert!(sol.sweeps.len() >= 2, "{}", sol.sweeps.len());
        }
    }

    /// `-eps u'' + v u' = 1` on (0, 1) with first-order upwinding (drift
    /// `-v` differenced backward): the problem, the continuous solution and
    /// the exact solution of the discrete equations,
    /// `u_m = x_m / v - (rho^m - 1) / (v (rho^(N+1) - 1))`, `rho = 1 + v h / eps`.
    fn advection_diffusion(bits: u32) -> (DirichletProblem, TensorTrain, TensorTrain) {
        let (eps, v) = (0.05, 1.0);
        let g = unit_interval(bits);
        let h = g.spacing();
        let x0 = g.lo() - h; // the left ghost point, ~0
        let len = (g.len() as f64 + 1.0) * h;
        let layer = |rate: f64, at_end: f64| {
            // (exp(rate (x - x0)) - 1) / (v (exp(rate len) - 1))
            let denom = v * (at_end.exp() - 1.0);
            exp(&g, rate)
                .unwrap()
                .scaled((-rate * x0).exp() / denom)
                .sub(&constant(&g, 1.0 / denom).unwrap())
                .unwrap()
        };
        let line = polynomial(&g, &[-x0 / v, 1.0 / v]).unwrap();
        let continuous = line.sub(&layer(v / eps, v / eps * len)).unwrap();
        let rate = (v * h / eps).ln_1p() / h;
        let discrete = line.sub(&layer(rate, rate * len)).unwrap();
        let p = DirichletProblem::new(g, constant(&g, eps).unwrap())
            .unwrap()
            .with_backward_drift(constant(&g, -v).unwrap())
            .unwrap();
        (p, continuous, discrete)
    }

    /// Tridiagonal (Thomas) solve of the dense matrix `a`, checked
    /// tridiagonal up to round-off.
    fn dense_tridiagonal_solve(a: &DMatrix<f64>, b: &[f64]) -> Vec<f64> {
        let n = b.len();
        let top = a.amax();
        for j in 0..n {
            for i in 0..n {
                assert!(i.abs_diff(j) <= 1 || a[(i, j)].abs() <= 1e-14 * top);
            }
        }
        let (mut c, mut d) = (vec![0.0; n], vec![0.0; n]);
        for i in 0..n {
            let lower = if i > 0 { a[(i, i - 1)] } else { 0.0 };
            let den = a[(i, i)] - if i > 0 { lower * c[i - 1] } else { 0.0 };
            c[i] = if i + 1 < n { a[(i, i + 1)] / den } else { 0.0 };
            d[i] = (b[i] - if i > 0 { lower * d[i - 1] } else { 0.0 }) / den;
        }
        for i in (0..n.saturating_sub(1)).rev() {
            d[i] -= c[i] * d[i + 1];
        }
        d
    }

    #[test]
    fn upwind_advection_diffusion_on_thirty_bits() {
        let opts = options(1e-12);
        // 2^12: AMEn against the dense direct solve of the upwind matrix.
        let (coarse, cont12, disc12) = advection_diffusion(12);
        let g12 = *coarse.grid();
        let grid12 = Grid::from(g12);
        let one12 = constant(&g12, 1.0).unwrap();
        let sol12 = coarse.solve(&one12, &opts).unwrap();
        let a = grid12.to_matrix(&coarse.operator().unwrap()).unwrap();
        let dense = dense_tridiagonal_solve(&a, &vec![1.0; 1 << 12]);
        let dense_norm = dense.iter().map(|v| v * v).sum::<f64>().sqrt();
        let dist = |u: &[f64]| {
            u.iter()
                .zip(&dense)
                .map(|(p, q)| (p - q).powi(2))
                .sum::<f64>()
                .sqrt()
                / dense_norm
        };
        let qtt12 = grid12.to_vector(&sol12.u).unwrap();
        assert!(dist(&qtt12) < 1e-10, "2^12 vs dense: {:e}", dist(&qtt12));
        assert!(dist(&grid12.to_vector(&disc12).unwrap()) < 1e-12);
        // First-order upwinding: the discretisation error at 2^12.
        let err12 = dist(&grid12.to_vector(&cont12).unwrap());
        assert!(err12 > 1e-5 && err12 < 1e-2, "{err12:e}");

        // 2^30: the exact discrete solution to ~1e-10, the continuous one
        // to first order in h, and sampled at the 2^12 grid's points it
        // differs from the dense 2^12 solution by the coarse grid's error.
        let (fine, cont30, disc30) = advection_diffusion(30);
        let g30 = *fine.grid();
        let sol30 = fine.solve(&constant(&g30, 1.0).unwrap(), &opts).unwrap();
        let (rel, max) = errors(&g30, &sol30.u, &disc30);
        assert!(
            rel < 1e-9 && max < 1e-9,
            "2^30 vs discrete: {rel:e} {max:e}"
        );
        let (err30, _) = errors(&g30, &sol30.u, &cont30);
        let order = (err12 / err30).log2() / (g12.spacing() / g30.spacing()).log2();
        assert!(
            (order - 1.0).abs() < 0.05,
            "order {order}: {err12:e} {err30:e}"
        );
        let sampled: Vec<f64> = (0..g12.len())
            .map(|i| interpolate(&g30, &sol30.u, g12.coordinate(i).unwrap()).unwrap())
            .collect();
        let gap = dist(&sampled);
        assert!((gap / err12 - 1.0).abs() < 0.01, "gap {gap:e} vs {err12:e}");
    }

    #[test]
    fn gmres_local_solves_reach_the_same_accuracy() {
        // Every local system by restarted GMRES instead of LU (what large
        // ranks use), on the non-symmetric upwind problem at 2^30.
        let (p, _, discrete) = advection_diffusion(30);
        let g = *p.grid();
        let opts = AmenOptions {
            direct_limit: 0,
            ..options(1e-12)
        };
        let sol = p.solve(&constant(&g, 1.0).unwrap(), &opts).unwrap();
        let (rel, max) = errors(&g, &sol.u, &discrete);
        assert!(rel < 1e-9 && max < 1e-9, "GMRES: {rel:e} {max:e}");
        assert!(sol.sweeps.len() <= 5, "{:?}", sol.sweeps);
    }

    /// `0.1 u - (0.02 u'' + s u') = 1 + x` with the sign-changing drift
    /// `s = 0.5 - x` split by softplus as in `qtt::upwind_drift`
    /// (forward differences where `s > 0`, backward where `s < 0`).
    fn mean_reverting(bits: u32) -> DirichletProblem {
        let g = unit_interval(bits);
        let s = polynomial(&g, &[0.5, -1.0]).unwrap();
        let opts = crate::grid::grid_cross_options(1e-13).unwrap();
        let (s_plus, _) = crate::grid::softplus_tt(&s, 1e-3, &opts).unwrap();
        let s_minus = s
            .sub(&s_plus)
            .unwrap()
            .round(&Truncation::tol(1e-13).unwrap())
            .unwrap();
        DirichletProblem::new(g, constant(&g, 0.02).unwrap())
            .unwrap()
            .with_reaction(constant(&g, 0.1).unwrap())
            .unwrap()
            .with_forward_drift(s_plus)
            .unwrap()
            .with_backward_drift(s_minus)
            .unwrap()
    }

    #[test]
    fn sign_changing_drift_converges_to_first_order() {
        // 2^12 against the dense solve; 2^12, 2^18 and 2^24 against 2^30 at
        // the 2^12 grid's points: first-order self-convergence.
        let opts = options(1e-12);
        let solve = |bits: u32| {
            let p = mean_reverting(bits);
            let f = polynomial(p.grid(), &[1.0, 1.0]).unwrap();
            let sol = p.solve(&f, &opts).unwrap();
            // Stops on the change of the local solutions: the residual of a
            // solution truncated to 1e-12 stalls near cond(M) 1e-12.
            assert!(sol.sweeps.len() <= 5, "{:?}", sol.sweeps);
            assert!(
                sol.residual < 1e-10,
                "2^{bits}: residual {:e}",
                sol.residual
            );
            (p, f, sol.u)
        };
        let (p12, f12, u12) = solve(12);
        let g12 = *p12.grid();
        let grid12 = Grid::from(g12);
        let a = grid12.to_matrix(&p12.operator().unwrap()).unwrap();
        let want = dense_tridiagonal_solve(&a, &grid12.to_vector(&f12).unwrap());
        let norm = want.iter().map(|v| v * v).sum::<f64>().sqrt();
        let dist = |u: &[f64], w: &[f64]| {
            u.iter()
                .zip(w)
                .map(|(p, q)| (p - q).powi(2))
                .sum::<f64>()
                .sqrt()
                / norm
        };
        let got = grid12.to_vector(&u12).unwrap();
        // The dense solve of A (condition number ~1e7 here) is itself only
        // good to ~cond eps = 1e-9.
        assert!(
            dist(&got, &want) < 1e-9,
            "2^12 vs dense: {:e}",
            dist(&got, &want)
        );
        let sampled = |bits: u32| {
            let (p, _, u) = solve(bits);
            (0..g12.len())
                .map(|i| interpolate(p.grid(), &u, g12.coordinate(i).unwrap()).unwrap())
                .collect::<Vec<_>>()
        };
        let u30 = sampled(30);
        let errs: Vec<f64> = [want.clone(), sampled(18), sampled(24)]
            .iter()
            .map(|u| dist(u, &u30))
            .collect();
        for pair in errs.windows(2) {
            let ratio = pair[0] / pair[1];
            assert!((ratio / 64.0 - 1.0).abs() < 0.05, "{errs:?}");
        }
    }

    #[test]
    fn bad_inputs_are_rejected() {
        let g = unit_interval(6);
        let short = constant(&unit_interval(5), 1.0).unwrap();
        assert!(DirichletProblem::new(g, short.clone()).is_err());
        let p = DirichletProblem::new(g, constant(&g, 1.0).unwrap()).unwrap();
        assert!(p.clone().with_reaction(short.clone()).is_err());
        assert!(p.solve(&short, &options(1e-10)).is_err());
        let mut nan = constant(&g, 1.0).unwrap();
        nan.scale(f64::NAN);
        let err = p.with_forward_drift(nan).unwrap_err();
        assert!(err.to_string().contains("forward drift"), "{err}");
    }
}
