//! Two-point boundary-value problems on a QTT grid of up to `2^63` points,
//! `c u - (a u'' + s u') = f` with `u = 0` at the ghost points `lo - h` and
//! `hi + h`, solved by AMEn on the Green's-function preconditioned system.
//!
//! The finite-difference operator `A = diag(c) - diag(a) D2 - diag(s+) D+
//! - diag(s-) D-` (the drift upwinded as in [`crate::qtt::upwind_drift`])
//! has condition number ~`4^L`: beyond `L ~ 25` no solver can apply it to a
//! QTT stored in double precision without losing every digit. So the
//! unknown is `y = -D2 u`, `u = P y` with the explicit inverse
//! `P = (-D2)^-1` ([`crate::qtt::dirichlet_green`]), and AMEn solves
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

use super::amen::{amen_solve, AmenOptions, SolveReport};
use crate::error::{check_finite, Error, Result};
use crate::linalg::Truncation;
use crate::qtt::{
    backward_difference, dirichlet_green, dirichlet_green_backward_difference,
    dirichlet_green_forward_difference, forward_difference, second_difference, Boundary, Grid1d,
};
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

    /// `diag(a) second + diag(c) reaction - diag(s+) forward - diag(s-)
    /// backward`, the optional terms only where they are set.
    fn combine(
        &self,
        second: TtMatrix,
        reaction: TtMatrix,
        forward: TtMatrix,
        backward: TtMatrix,
    ) -> Result<TtMatrix> {
        let mut sum = TtMatrix::diag(&self.diffusion).matmul(&second)?;
        for (coef, op, sign) in [
            (&self.reaction, reaction, 1.0),
            (&self.drift_up, forward, -1.0),
            (&self.drift_down, backward, -1.0),
        ] {
            if let Some(c) = coef {
                // Each term is rounded on its own: rounded together with the
                // diagonal, whose Frobenius norm is ~sqrt(N) times larger,
                // the integral operators would fall below the noise floor.
                let term = TtMatrix::diag(&c.scaled(sign)).matmul(&op)?;
                sum = sum.add(&term.round(&Truncation::exact())?)?;
            }
        }
        Ok(sum)
    }

    /// The plain finite-difference operator `A` (condition number ~`4^L`:
    /// for checks at small sizes, not for solving at large ones).
    pub fn operator(&self) -> Result<TtMatrix> {
        let g = &self.grid;
        self.combine(
            second_difference(g, Boundary::Zero)?.scaled(-1.0),
            TtMatrix::identity(&g.modes())?,
            forward_difference(g, Boundary::Zero)?,
            backward_difference(g, Boundary::Zero)?,
        )
    }

    /// The preconditioned operator `M = A P` with `P = (-D2)^-1`, assembled
    /// from exact pieces (see the module documentation).
    pub fn preconditioned_operator(&self) -> Result<TtMatrix> {
        let g = &self.grid;
        self.combine(
            TtMatrix::identity(&g.modes())?,
            dirichlet_green(g)?,
            dirichlet_green_forward_difference(g)?,
            dirichlet_green_backward_difference(g)?,
        )
    }

    /// Solves `A u = f` by AMEn on `M y = f` (started from `f`), then
    /// `u = P y` rounded to `opts.tol`. `opts.tol` is AMEn's stopping
    /// tolerance on the local residuals of the well-conditioned `M`.
    pub fn solve(&self, f: &TensorTrain, opts: &AmenOptions) -> Result<DirichletSolution> {
        check_coefficient(&self.grid, f, "right-hand side")?;
        let m = self.preconditioned_operator()?;
        let sol = amen_solve(&m, f, f, opts)?;
        let trunc = Truncation::tol(opts.tol)?;
        // AMEn's result carries the enrichment directions: round them off.
        let y = sol.x.round(&trunc)?;
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
    use crate::qtt::{constant, exp, interpolate, polynomial, sin, Grid};
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
