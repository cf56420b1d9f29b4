//! AMEn (alternating minimal energy, Dolgov & Savostyanov 2014) for the
//! lowest eigenpair of a symmetric MPO and for linear systems `A x = b`
//! with symmetric or non-symmetric `A`; with enrichment rank 0 it is the
//! one-site ALS.
//!
//! Each step solves the local problem of one core, updates a low-rank TT
//! `z` of the residual (`A x - lambda x`, or `A x - b`) by its own local
//! projection, and enriches the core with the residual block whose left
//! interface is `x`'s and right interface is `z`'s (right-moving; mirrored
//! when moving left). The neighbour gets zero rows, so `x` and its energy
//! are unchanged by the enrichment; the new directions only enlarge the
//! next local search space. Linear systems stop when the largest local
//! relative residual of a sweep (taken before each local solve) is below
//! the tolerance.

use super::dmrg::{check_operator, split, GroundState, SweepReport};
use super::environment::{Env, Environments, OpCore};
use super::krylov::{gmres, lanczos, plain_norm as norm, LanczosOptions};
use super::local_operator::LocalOperator;
use crate::error::{Error, Result};
use crate::linalg::{matmul, qr_thin, Transpose};
use crate::tt::{Core, TensorTrain, TtMatrix};
use nalgebra::{DMatrix, DVector};
use std::time::Instant;

/// Settings of AMEn and ALS.
#[derive(Debug, Clone, PartialEq)]
pub struct AmenOptions {
    /// Relative truncation tolerance of the solution's cores (per bond
    /// `tol / sqrt(d - 1)` for linear systems), and (linear systems) the
    /// stopping tolerance: a sweep ends the run when its largest local
    /// relative residual, or its largest relative change of a local
    /// solution, is below it (as tt-toolbox's `amen_solve`; the residual of
    /// a truncated solution stalls at about `cond(A) tol`).
    pub tol: f64,
    /// Largest rank of the solution.
    pub max_rank: usize,
    /// Rank of the residual TT `z` added at each step (0: plain ALS).
    pub enrichment_rank: usize,
    /// Maximum number of sweeps.
    pub max_sweeps: usize,
    /// Eigenproblems stop when the energy changes by less than this.
    pub energy_tol: f64,
    /// The local eigensolver's settings.
    pub lanczos: LanczosOptions,
    /// Local linear systems up to this size are solved directly (LU),
    /// larger ones by restarted GMRES.
    pub direct_limit: usize,
    /// Seed of the random start of `z`.
    pub seed: u64,
    /// Send one line per sweep as a `log` record (see [`crate::progress`]);
    /// the library never prints it itself.
    pub verbose: bool,
}

impl Default for AmenOptions {
    fn default() -> Self {
        Self {
            tol: 1e-10,
            max_rank: 256,
            enrichment_rank: 4,
            max_sweeps: 30,
            energy_tol: 1e-10,
            lanczos: LanczosOptions {
                tol: 1e-7,
                max_krylov: 12,
                max_restarts: 2,
            },
            direct_limit: 1200,
            seed: 5,
            verbose: false,
        }
    }
}

/// One sweep of a linear solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveReport {
    /// Sweep number, from 1.
    pub sweep: usize,
    /// Largest local relative residual of the sweep (before each local solve).
    pub residual: f64,
    /// Largest relative change `||x_k' - x_k|| / ||x_k'||` of a local
    /// solution in the sweep.
    pub change: f64,
    /// Largest rank of the solution.
    pub max_rank: usize,
    /// Seconds since the run started (cumulative).
    pub seconds: f64,
}

impl std::fmt::Display for SolveReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sweep {:3}  residual {:.3e}  change {:.3e}  max rank {:4}  {:8.2} s",
            self.sweep, self.residual, self.change, self.max_rank, self.seconds
        )
    }
}

/// The result of [`amen_solve`].
#[derive(Debug, Clone)]
pub struct LinearSolution {
    /// The solution.
    pub x: TensorTrain,
    /// The last sweep's largest local relative residual.
    pub residual: f64,
    /// One report per sweep.
    pub sweeps: Vec<SolveReport>,
}

/// Whose interfaces a projection uses: the solution's or the residual's.
#[derive(Debug, Clone, Copy)]
enum Interface {
    X,
    Z,
}

/// The problem AMEn solves, with what each needs beyond `A`.
enum Problem<'a> {
    Eigen,
    Linear { b: &'a [Core] },
}

struct Amen<'a> {
    problem: Problem<'a>,
    ops: Vec<OpCore>,
    ids: Vec<OpCore>,
    x: Vec<Core>,
    z: Vec<Core>,
    exa: Environments,
    eza: Environments,
    /// `(z, I, x)` for eigenproblems, `(z, I, b)` for linear systems.
    ezv: Environments,
    /// `(x, I, b)` for linear systems.
    exb: Environments,
    lambda: f64,
    opts: &'a AmenOptions,
    local_residual: f64,
    /// Largest relative change of a local solution in the sweep (linear systems).
    local_change: f64,
    /// Relative truncation tolerance of each bond.
    trunc_tol: f64,
    /// Largest truncated weight of the sweep.
    discarded: f64,
    /// Local matrix-vector products of the sweep (eigenproblems).
    matvecs: usize,
}

/// The identity environment of an orthonormal interface of rank `r`.
fn identity_env(r: usize) -> Env {
    let mut data = vec![0.0; r * r];
    for i in 0..r {
        data[i + r * i] = 1.0;
    }
    Env {
        rb: r,
        w: 1,
        rk: r,
        data,
    }
}

/// Core `k` unfolded with the bond in the direction of the move last:
/// `(r_l n) x r_r` moving right, `(n r_r) x r_l` (the transposed right
/// unfolding) moving left, so one QR serves both directions.
fn unfold_towards(core: &Core, to_right: bool) -> DMatrix<f64> {
    if to_right {
        core.left().into_owned()
    } else {
        core.right().transpose()
    }
}

/// Replaces core `k` by the orthonormal `q` (in the unfolding of
/// [`unfold_towards`]) and multiplies the coefficients `c` (`q.ncols()` x
/// the old bond) into the neighbour the move goes to.
fn shift_centre(
    cores: &mut [Core],
    k: usize,
    to_right: bool,
    q: DMatrix<f64>,
    c: DMatrix<f64>,
) -> Result<()> {
    let (rl, n, rr) = cores[k].shape();
    let kk = q.ncols();
    if to_right {
        let next = matmul(
            c.as_view(),
            Transpose::No,
            cores[k + 1].right(),
            Transpose::No,
        );
        let (_, n2, r2) = cores[k + 1].shape();
        cores[k] = Core::new(rl, n, kk, q.data.into())?;
        cores[k + 1] = Core::new(kk, n2, r2, next.data.into())?;
    } else {
        let prev = matmul(
            cores[k - 1].left(),
            Transpose::No,
            c.as_view(),
            Transpose::Yes,
        );
        let (l0, n0, _) = cores[k - 1].shape();
        cores[k] = Core::new(kk, n, rr, q.transpose().data.into())?;
        cores[k - 1] = Core::new(l0, n0, kk, prev.data.into())?;
    }
    Ok(())
}

impl Amen<'_> {
    fn invalidate(&mut self, k: usize) {
        for e in [&mut self.exa, &mut self.eza, &mut self.ezv, &mut self.exb] {
            e.invalidate(k);
        }
    }

    /// Solves the local problem at `k`; returns the new core data.
    fn solve_local(&mut self, k: usize) -> Result<Vec<f64>> {
        self.exa.left(k, &self.ops, &self.x, &self.x);
        self.exa.right(k, &self.ops, &self.x, &self.x);
        let op = LocalOperator {
            l: self.exa.left[k].as_ref().unwrap(),
            w: &self.ops[k],
            r: self.exa.right[k].as_ref().unwrap(),
        };
        match self.problem {
            Problem::Eigen => {
                let mut apply = |v: &[f64], y: &mut [f64]| op.apply(v, y);
                let e = lanczos(&mut apply, self.x[k].data(), &self.opts.lanczos)?;
                self.lambda = e.value;
                self.matvecs += e.matvecs;
                Ok(e.vector)
            }
            Problem::Linear { b } => {
                self.exb.left(k, &self.ids, &self.x, b);
                self.exb.right(k, &self.ids, &self.x, b);
                let rop = LocalOperator {
                    l: self.exb.left[k].as_ref().unwrap(),
                    w: &self.ids[k],
                    r: self.exb.right[k].as_ref().unwrap(),
                };
                let mut rhs = vec![0.0; rop.out_len()];
                rop.apply(b[k].data(), &mut rhs);
                let mut ax = vec![0.0; rhs.len()];
                op.apply(self.x[k].data(), &mut ax);
                let rn = norm(&rhs).max(f64::MIN_POSITIVE);
                let res = norm(&ax.iter().zip(&rhs).map(|(a, r)| a - r).collect::<Vec<_>>()) / rn;
                self.local_residual = self.local_residual.max(res);
                let n = rhs.len();
                let sol: Vec<f64> = if n <= self.opts.direct_limit {
                    let a = op.to_dense();
                    let sol = a.lu().solve(&DVector::from_vec(rhs)).ok_or_else(|| {
                        Error::Numerical(format!("singular local system of size {n} at core {k}"))
                    })?;
                    sol.data.into()
                } else {
                    let mut x = self.x[k].data().to_vec();
                    let mut apply = |v: &[f64], y: &mut [f64]| op.apply(v, y);
                    gmres(
                        &mut apply,
                        &rhs,
                        &mut x,
                        (self.opts.tol * 0.1).max(1e-14),
                        40,
                        400,
                    );
                    x
                };
                let old = self.x[k].data();
                let dx = norm(&sol.iter().zip(old).map(|(a, b)| a - b).collect::<Vec<_>>());
                self.local_change = self
                    .local_change
                    .max(dx / norm(&sol).max(f64::MIN_POSITIVE));
                Ok(sol)
            }
        }
    }

    /// The left (`is_left`) or right environment of `A` at core `k` between
    /// the interfaces of `bra` and those of `x`.
    fn operator_env(&mut self, k: usize, is_left: bool, bra: Interface) -> Env {
        let (envs, bra_cores) = match bra {
            Interface::X => (&mut self.exa, &self.x),
            Interface::Z => (&mut self.eza, &self.z),
        };
        if is_left {
            envs.left(k, &self.ops, bra_cores, &self.x).clone()
        } else {
            envs.right(k, &self.ops, bra_cores, &self.x).clone()
        }
    }

    /// The environment at core `k` that projects the subtracted vector
    /// (`x` for eigenproblems, `b` for linear systems) onto the interfaces of
    /// `bra`; `x` onto its own orthonormal interfaces is the identity.
    fn vector_env(&mut self, k: usize, is_left: bool, bra: Interface) -> Env {
        let (envs, bra_cores, ket) = match (&self.problem, bra) {
            (Problem::Eigen, Interface::X) => {
                let r = if is_left {
                    self.x[k].r_left()
                } else {
                    self.x[k].r_right()
                };
                return identity_env(r);
            }
            (Problem::Eigen, Interface::Z) => (&mut self.ezv, &self.z, &self.x[..]),
            (Problem::Linear { b }, Interface::X) => (&mut self.exb, &self.x, *b),
            (Problem::Linear { b }, Interface::Z) => (&mut self.ezv, &self.z, *b),
        };
        if is_left {
            envs.left(k, &self.ids, bra_cores, ket).clone()
        } else {
            envs.right(k, &self.ids, bra_cores, ket).clone()
        }
    }

    /// The residual (`A x - lambda x`, or `A x - b`) at core `k` projected
    /// onto the left interfaces of `left` and the right interfaces of
    /// `right`: `(X, Z)` enriches a right-moving step, `(Z, X)` a
    /// left-moving one, `(Z, Z)` is the update of `z`'s own core.
    fn projected_residual(&mut self, k: usize, left: Interface, right: Interface) -> Vec<f64> {
        let (la, ra) = (
            self.operator_env(k, true, left),
            self.operator_env(k, false, right),
        );
        let (lv, rv) = (
            self.vector_env(k, true, left),
            self.vector_env(k, false, right),
        );
        let op = LocalOperator {
            l: &la,
            w: &self.ops[k],
            r: &ra,
        };
        let mut out = vec![0.0; op.out_len()];
        op.apply(self.x[k].data(), &mut out);
        let (src, scale) = match self.problem {
            Problem::Eigen => (self.x[k].data(), self.lambda),
            Problem::Linear { b } => (b[k].data(), 1.0),
        };
        let vop = LocalOperator {
            l: &lv,
            w: &self.ids[k],
            r: &rv,
        };
        let mut v = vec![0.0; out.len()];
        vop.apply(src, &mut v);
        out.iter_mut().zip(&v).for_each(|(o, vi)| *o -= scale * vi);
        out
    }

    /// One step at core `k`: solve, update `z`, enrich and move the centre.
    fn step(&mut self, k: usize, to_right: bool) -> Result<f64> {
        let d = self.x.len();
        let v = self.solve_local(k)?;
        let (rl, n, rr) = self.x[k].shape();
        self.x[k] = Core::new(rl, n, rr, v)?;
        self.invalidate(k);
        let last = if to_right { k + 1 == d } else { k == 0 };
        if last {
            return Ok(0.0);
        }
        // Both residual blocks come from the current x and z (the
        // environments are invalidated only after the move).
        let (zk, enrich) = if self.opts.enrichment_rank > 0 {
            let (left, right) = if to_right {
                (Interface::X, Interface::Z)
            } else {
                (Interface::Z, Interface::X)
            };
            (
                Some(self.projected_residual(k, Interface::Z, Interface::Z)),
                Some(self.projected_residual(k, left, right)),
            )
        } else {
            (None, None)
        };
        if let Some(zk) = zk {
            // z: its own projected residual, orthonormalised, the
            // coefficients moved on to the neighbour.
            let (zl, _, zr) = self.z[k].shape();
            let zm = unfold_towards(&Core::new(zl, n, zr, zk)?, to_right);
            let (q, _) = qr_thin(zm.as_view())?;
            let c = matmul(q.as_view(), Transpose::Yes, zm.as_view(), Transpose::No);
            shift_centre(&mut self.z, k, to_right, q, c)?;
        }
        // x: truncated, then enriched by the residual block whose interface
        // on the side of the move is z's; zero coefficients for the new
        // directions leave x unchanged.
        let (u, svt, disc) = split(
            &unfold_towards(&self.x[k], to_right),
            self.opts.max_rank,
            self.trunc_tol,
        )?;
        let k1 = u.ncols();
        let m = match enrich {
            Some(e) => {
                let (el, er) = if to_right {
                    (rl, e.len() / (rl * n))
                } else {
                    (e.len() / (n * rr), rr)
                };
                let e = unfold_towards(&Core::new(el, n, er, e)?, to_right);
                let mut m = DMatrix::zeros(u.nrows(), k1 + e.ncols());
                m.columns_mut(0, k1).copy_from(&u);
                m.columns_mut(k1, e.ncols()).copy_from(&e);
                m
            }
            None => u,
        };
        let (q, r) = qr_thin(m.as_view())?;
        let coef = matmul(
            r.columns(0, k1),
            Transpose::No,
            svt.as_view(),
            Transpose::No,
        );
        shift_centre(&mut self.x, k, to_right, q, coef)?;
        self.invalidate(k);
        self.invalidate(if to_right { k + 1 } else { k - 1 });
        Ok(disc)
    }

    fn sweep(&mut self) -> Result<()> {
        let d = self.x.len();
        self.local_residual = 0.0;
        self.local_change = 0.0;
        self.discarded = 0.0;
        self.matvecs = 0;
        for k in 0..d.saturating_sub(1) {
            let disc = self.step(k, true)?;
            self.discarded = self.discarded.max(disc);
        }
        for k in (0..d).rev() {
            let disc = self.step(k, false)?;
            self.discarded = self.discarded.max(disc);
        }
        Ok(())
    }
}

fn setup<'a>(
    a: &TtMatrix,
    x0: &TensorTrain,
    problem: Problem<'a>,
    opts: &'a AmenOptions,
) -> Result<Amen<'a>> {
    check_operator(a, x0)?;
    if !(opts.tol >= 0.0 && opts.tol.is_finite()) || opts.max_rank == 0 {
        return Err(Error::invalid(format!(
            "AMEn tol {} and max_rank {}, expected a finite tol >= 0 and max_rank >= 1",
            opts.tol, opts.max_rank
        )));
    }
    let d = x0.len();
    let modes = x0.modes();
    let mut x = x0.clone();
    x.orthogonalize(0)?;
    let nrm = x.norm();
    if nrm == 0.0 {
        return Err(Error::invalid("the start vector is zero"));
    }
    x.scale(1.0 / nrm);
    // Linear systems: the global bound ||x - round(x)|| <= tol ||x||.
    let trunc_tol = match problem {
        Problem::Linear { .. } => opts.tol / ((d.max(2) - 1) as f64).sqrt(),
        Problem::Eigen => opts.tol,
    };
    let rz = opts.enrichment_rank.max(1);
    let mut z = TensorTrain::random(&modes, rz, opts.seed)?;
    z.orthogonalize(0)?;
    Ok(Amen {
        problem,
        ops: (0..d).map(|k| OpCore::new(a.core(k), modes[k])).collect(),
        ids: modes.iter().map(|&n| OpCore::identity(n)).collect(),
        x: x.into_cores(),
        z: z.into_cores(),
        exa: Environments::new(d),
        eza: Environments::new(d),
        ezv: Environments::new(d),
        exb: Environments::new(d),
        lambda: 0.0,
        opts,
        local_residual: 0.0,
        local_change: 0.0,
        trunc_tol,
        discarded: 0.0,
        matvecs: 0,
    })
}

/// The lowest eigenpair of the symmetric MPO `h` by AMEn, started from `x0`.
/// The solution's rank may exceed `max_rank` by the enrichment rank (the
/// enrichment is added after the truncation).
pub fn amen_eig(h: &TtMatrix, x0: &TensorTrain, opts: &AmenOptions) -> Result<GroundState> {
    let start = Instant::now();
    let mut s = setup(h, x0, Problem::Eigen, opts)?;
    let mut reports: Vec<SweepReport> = Vec::new();
    let mut prev = f64::NAN;
    for sweep in 0..opts.max_sweeps {
        s.sweep()?;
        let report = SweepReport {
            sweep: sweep + 1,
            energy: s.lambda,
            max_rank: s.x.iter().map(|c| c.r_right()).max().unwrap_or(1),
            discarded: s.discarded,
            seconds: start.elapsed().as_secs_f64(),
            matvecs: s.matvecs,
        };
        if opts.verbose {
            log::info!(target: "qtt::amen", "{report}");
        }
        reports.push(report);
        if (s.lambda - prev).abs() < opts.energy_tol {
            break;
        }
        prev = s.lambda;
    }
    let mut state = TensorTrain::new(s.x)?;
    state.orthogonalize(0)?;
    Ok(GroundState {
        energy: s.lambda,
        state,
        sweeps: reports,
        sector: None,
        warning: None,
    })
}

/// Solves `A x = b` by AMEn (any square `A` whose local projections are
/// invertible, symmetric or not), started from `x0`; stops when the
/// largest local relative residual of a sweep is below `opts.tol`.
pub fn amen_solve(
    a: &TtMatrix,
    b: &TensorTrain,
    x0: &TensorTrain,
    opts: &AmenOptions,
) -> Result<LinearSolution> {
    if b.modes() != x0.modes() {
        return Err(Error::shape(format!(
            "right-hand side modes {:?} differ from the start vector's {:?}",
            b.modes(),
            x0.modes()
        )));
    }
    let start = Instant::now();
    let bn = b.norm();
    if bn == 0.0 {
        return Ok(LinearSolution {
            x: TensorTrain::zeros(&b.modes())?,
            residual: 0.0,
            sweeps: Vec::new(),
        });
    }
    // Solve for b / ||b|| so the local systems are well scaled.
    let bs = b.scaled(1.0 / bn);
    let mut s = setup(a, x0, Problem::Linear { b: bs.cores() }, opts)?;
    let mut reports = Vec::new();
    for sweep in 0..opts.max_sweeps {
        s.sweep()?;
        let report = SolveReport {
            sweep: sweep + 1,
            residual: s.local_residual,
            change: s.local_change,
            max_rank: s.x.iter().map(|c| c.r_right()).max().unwrap_or(1),
            seconds: start.elapsed().as_secs_f64(),
        };
        if opts.verbose {
            log::info!(target: "qtt::amen", "{report}");
        }
        reports.push(report);
        if s.local_residual <= opts.tol || s.local_change <= opts.tol {
            break;
        }
    }
    let residual = s.local_residual;
    let mut x = TensorTrain::new(s.x)?;
    x.scale(bn);
    Ok(LinearSolution {
        x,
        residual,
        sweeps: reports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{backward_difference, second_difference, sin, Boundary, Grid1d};
    use crate::linalg::Truncation;
    use crate::solve::dmrg::tests::heisenberg;

    /// The `2^bits` interior points of (0, 1), `h = 1 / (2^bits + 1)`, with
    /// the Dirichlet operator `-u''` on them.
    fn unit_interval(bits: u32) -> (Grid1d, TtMatrix) {
        let h = 1.0 / ((1u64 << bits) as f64 + 1.0);
        let g = Grid1d::new(h, 1.0 - h, bits).unwrap();
        let minus_d2 = second_difference(&g, Boundary::Zero).unwrap().scaled(-1.0);
        (g, minus_d2)
    }

    #[test]
    fn amen_eigen_matches_exact_diagonalisation() {
        // digest_003.md: periodic d = 8, open d = 10.
        for (d, periodic, want) in [(8, true, -11.336956077897), (10, false, -12.894560132211)] {
            let h = heisenberg(d, periodic);
            let x0 = TensorTrain::random(&vec![3; d], 4, 3).unwrap();
            let opts = AmenOptions {
                tol: 1e-12,
                energy_tol: 1e-11,
                max_rank: 128,
                enrichment_rank: 8,
                max_sweeps: 40,
                ..AmenOptions::default()
            };
            let gs = amen_eig(&h, &x0, &opts).unwrap();
            assert!(
                (gs.energy - want).abs() < 1e-9,
                "d={d}: {} vs {want}",
                gs.energy
            );
        }
    }

    #[test]
    fn poisson_on_a_qtt_grid() {
        // -u'' = sin(pi x) on (0, 1), u(0) = u(1) = 0, N = 2^12 interior
        // points: the discrete solution is the sine scaled by
        // h^2 / (2 - 2 cos(pi h)). (Beyond ~2^20 points the plain
        // second difference is too ill-conditioned: see `models::dirichlet`.)
        let (g, a) = unit_interval(12);
        let h = g.spacing();
        let pi = std::f64::consts::PI;
        let f = sin(&g, pi).unwrap();
        let x0 = TensorTrain::ones(&g.modes()).unwrap();
        let opts = AmenOptions {
            tol: 1e-11,
            enrichment_rank: 4,
            max_sweeps: 20,
            ..AmenOptions::default()
        };
        let sol = amen_solve(&a, &f, &x0, &opts).unwrap();
        // 2 - 2 cos(pi h) = 4 sin^2(pi h / 2), without the cancellation.
        let exact = f.scaled(h * h / (4.0 * (pi * h / 2.0).sin().powi(2)));
        let err = sol.x.sub(&exact).unwrap().norm() / exact.norm();
        assert!(
            err < 1e-8,
            "relative error {err:e}, ranks {:?}",
            sol.x.ranks()
        );
    }

    #[test]
    fn upwind_advection_diffusion_matches_dense_solve() {
        // -eps u'' + v u' = 1 with first-order upwind (v > 0): the
        // non-symmetric matrix -eps D2 + v D-.
        let (g, minus_d2) = unit_interval(10);
        let (eps, v) = (0.05, 1.0);
        let a = minus_d2
            .scaled(eps)
            .add(&backward_difference(&g, Boundary::Zero).unwrap().scaled(v))
            .unwrap()
            .round(&Truncation::exact())
            .unwrap();
        let b = TensorTrain::ones(&g.modes()).unwrap();
        let opts = AmenOptions {
            tol: 1e-11,
            enrichment_rank: 4,
            max_sweeps: 30,
            ..AmenOptions::default()
        };
        let sol = amen_solve(&a, &b, &b, &opts).unwrap();
        let dense = a.to_dense().unwrap();
        let rhs = DVector::from_vec(b.to_dense().unwrap());
        let want = dense.lu().solve(&rhs).unwrap();
        let got = DVector::from_vec(sol.x.to_dense().unwrap());
        let err = (&got - &want).norm() / want.norm();
        assert!(err < 1e-8, "2^10: relative error {err:e}");
    }

    #[test]
    fn als_without_enrichment_solves_at_fixed_rank() {
        let (_, a) = unit_interval(8);
        let b = TensorTrain::ones(&[2; 8]).unwrap();
        let x0 = TensorTrain::random(&[2; 8], 4, 2).unwrap();
        let opts = AmenOptions {
            tol: 1e-12,
            enrichment_rank: 0,
            max_sweeps: 30,
            ..AmenOptions::default()
        };
        let sol = amen_solve(&a, &b, &x0, &opts).unwrap();
        let want = a
            .to_dense()
            .unwrap()
            .lu()
            .solve(&DVector::from_vec(b.to_dense().unwrap()))
            .unwrap();
        let got = DVector::from_vec(sol.x.to_dense().unwrap());
        assert!((&got - &want).norm() / want.norm() < 1e-9);
        assert!(amen_solve(&a, &TensorTrain::ones(&[2; 7]).unwrap(), &x0, &opts).is_err());
    }
}
