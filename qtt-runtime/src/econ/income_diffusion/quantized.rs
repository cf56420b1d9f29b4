//! The income-diffusion household on a quantized grid: `V`, the policy and
//! `g` as tensor trains over the income bits and the wealth bits (both
//! binary, income first: point `w = 2^La k + i`, the oracle's order), the
//! scheme the sparse oracle ([`super::household`]) runs on the same grid.
//!
//! - **Policy** point by point from `V`'s values at `i - 1, i, i + 1`
//!   ([`scheme::upwind`](crate::econ::scheme::upwind), the oracle's
//!   function), crossed into one train of `[forward drift, backward drift,
//!   u(c)]`.
//! - **HJB** by policy iteration, each step `((rho + 1/Delta) I - A) V =
//!   u + V / Delta` solved by [`super::multigrid`] warm started from the
//!   last `V`.
//! - **KFE** by shifted inverse iteration on the masses `m`:
//!   `m' (eps I - A) = eps m`, normalised to `sum m = 1`; each step's row
//!   solve is the multigrid's, whose line solves keep masses non-negative.
//!
//! **Status (measured, `bench-results/qtt_income_diffusion.md`).** It
//! equals the oracle (2^6 x 2^5: V 6e-12, g 2e-10, r* 3e-13) at 150-400x
//! its CPU time on 2^11..2^17 points, and does not yet reach grids the
//! oracle cannot hold: the consumption's rank grows with the income grid
//! (25, 40, 99 on 2^6 x 2^5, 2^8 x 2^6, 2^10 x 2^7; one kink of the upwind
//! choice per income line). `V_a` is a difference of `V` (error `~ 2 eps_V / da`); the
//! one-dimensional backend's slopes read from the HJB rows would be needed
//! on fine wealth grids.

use super::multigrid::{
    at_floor, hierarchy, line_neighbours, solve, LineOperator, MultigridOptions,
};
use super::IncomeDiffusion;
use crate::econ::reduction::{cross_points, Compression, Rhs};
use crate::econ::scheme::upwind;
use crate::econ::solution::IterationReport;
use crate::error::{Error, Result};
use crate::linalg::Truncation;
use crate::tt::TensorTrain;
use std::time::Instant;

/// Settings of the quantized income-diffusion household.
#[derive(Debug, Clone, PartialEq)]
pub struct QttDiffusionOptions {
    /// Relative truncation tolerance of every rounding and cross.
    pub tol: f64,
    /// Relative tolerance of the consumption train: `V` depends on it at
    /// second order (drift and utility are read from it), the density at
    /// first order.
    pub policy_tol: f64,
    /// Largest bond dimension.
    pub max_rank: usize,
    /// Fields on at most `2^dense_bits` points are evaluated everywhere and
    /// compressed by TT-SVD instead of crossed. (Crossed, the multigrid's
    /// residual is rounding noise near convergence and misses its probes;
    /// it is kept anyway, see `multigrid`.)
    pub dense_bits: usize,
    /// Policy-iteration step `Delta`.
    pub delta: f64,
    /// Policy iteration stops when `V` changes by at most this (relative).
    pub hjb_tol: f64,
    /// Most policy iterations.
    pub max_iterations: usize,
    /// A linear solve stops when a multigrid cycle changes its solution by
    /// at most this (relative).
    pub linear_tol: f64,
    /// Most multigrid cycles per linear solve.
    pub max_cycles: usize,
    /// Zebra sweeps before and after each coarse correction.
    pub smoothing: usize,
    /// Shift `eps` of the KFE's inverse iteration.
    pub kfe_shift: f64,
    /// The KFE stops when the masses change by at most this (relative).
    pub kfe_tol: f64,
    /// Most KFE steps.
    pub kfe_max_steps: usize,
}

impl Default for QttDiffusionOptions {
    fn default() -> Self {
        Self {
            tol: 1e-12,
            policy_tol: 1e-9,
            max_rank: 256,
            dense_bits: 18,
            delta: 1000.0,
            hjb_tol: 1e-9,
            max_iterations: 60,
            linear_tol: 1e-11,
            max_cycles: 80,
            smoothing: 2,
            kfe_shift: 1e-3,
            kfe_tol: 1e-9,
            kfe_max_steps: 60,
        }
    }
}

impl QttDiffusionOptions {
    /// An error naming the first impossible setting.
    pub fn check(&self) -> Result<()> {
        for (name, v) in [
            ("tol", self.tol),
            ("policy_tol", self.policy_tol),
            ("delta", self.delta),
            ("hjb_tol", self.hjb_tol),
            ("linear_tol", self.linear_tol),
            ("kfe_shift", self.kfe_shift),
            ("kfe_tol", self.kfe_tol),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::invalid(format!(
                    "QttDiffusionOptions::{name} = {v} must be a positive number"
                )));
            }
        }
        for (name, v) in [
            ("max_rank", self.max_rank),
            ("max_iterations", self.max_iterations),
            ("max_cycles", self.max_cycles),
            ("smoothing", self.smoothing),
            ("kfe_max_steps", self.kfe_max_steps),
        ] {
            if v == 0 {
                return Err(Error::invalid(format!(
                    "QttDiffusionOptions::{name} must be at least 1"
                )));
            }
        }
        Ok(())
    }

    fn compression(&self) -> Compression {
        Compression {
            tol: self.tol,
            max_rank: self.max_rank,
            dense_bits: self.dense_bits,
        }
    }

    fn multigrid(&self) -> MultigridOptions {
        MultigridOptions {
            compression: self.compression(),
            tol: self.linear_tol,
            max_cycles: self.max_cycles,
            smoothing: self.smoothing,
        }
    }
}

/// The household's problem at one interest rate on `2^La x 2^Lz` points.
#[derive(Debug, Clone)]
pub struct QttDiffusionSolution {
    /// Interest rate.
    pub r: f64,
    /// Wage.
    pub w: f64,
    /// What the market needs at `r` (the firm's capital, or 0).
    pub demand: f64,
    /// Wealth bits.
    pub la: u32,
    /// Income bits.
    pub lz: u32,
    /// Wealth spacing.
    pub da: f64,
    /// Income spacing.
    pub dz: f64,
    /// `V` (modes: `Lz` income bits, `La` wealth bits, 1).
    pub value: TensorTrain,
    /// The density `g` (`sum g da dz = 1`), same modes.
    pub density: TensorTrain,
    /// Consumption `c` of the final policy.
    pub consumption: TensorTrain,
    /// `sum a g da dz`.
    pub wealth: f64,
    /// `wealth - demand`.
    pub excess: f64,
    /// `sum g da dz`.
    pub mass: f64,
    /// The smallest density at the points checked (every point up to
    /// `2^24`, else a sample of `2^20`).
    pub min_density: f64,
    /// Policy iterations.
    pub hjb: Vec<IterationReport>,
    /// Multigrid cycles of each HJB step.
    pub hjb_cycles: Vec<usize>,
    /// The KFE's relative change per step.
    pub kfe_changes: Vec<f64>,
    /// Seconds for the whole solve.
    pub seconds: f64,
}

impl QttDiffusionSolution {
    fn point(&self, i: u64, k: u64) -> u64 {
        (k << self.la) | i
    }

    /// `V(a_i, z_k)`.
    pub fn value_at(&self, i: u64, k: u64) -> Result<f64> {
        Ok(self.value.eval_fibers(&[self.point(i, k)])?[0])
    }

    /// `g(a_i, z_k)`.
    pub fn density_at(&self, i: u64, k: u64) -> Result<f64> {
        Ok(self.density.eval_fibers(&[self.point(i, k)])?[0])
    }

    /// Largest bond dimensions of `V`, `g` and `c`.
    pub fn ranks(&self) -> (usize, usize, usize) {
        (
            self.value.max_rank(),
            self.density.max_rank(),
            self.consumption.max_rank(),
        )
    }
}

/// `sum_w x(w) bit_j(w)` for every wealth bit `j` (most significant
/// first), and `sum_w x(w)`: the moments of a train over `lz + la` bits.
fn wealth_moments(x: &TensorTrain, lz: usize, la: usize) -> Result<(f64, f64)> {
    let ones = vec![vec![1.0, 1.0]; lz + la];
    let mut weights = ones.clone();
    weights.push(vec![1.0]);
    let total = x.contract(&weights)?;
    let mut index_sum = 0.0;
    for j in 0..la {
        let mut w = weights.clone();
        w[lz + j] = vec![0.0, 1.0];
        index_sum += x.contract(&w)? * (1u64 << (la - 1 - j)) as f64;
    }
    Ok((total, index_sum))
}

impl IncomeDiffusion {
    /// The household's problem at interest rate `r` on `2^la x 2^lz`
    /// points by QTT (warm started from `warm`'s `V` and masses when it is
    /// on the same grid); `progress` gets a line per policy iteration and
    /// KFE step.
    pub fn solve_household_qtt(
        &self,
        la: u32,
        lz: u32,
        r: f64,
        opts: &QttDiffusionOptions,
        warm: Option<&QttDiffusionSolution>,
        progress: Option<&(dyn Fn(&str) + Sync)>,
    ) -> Result<QttDiffusionSolution> {
        let start = Instant::now();
        self.check()?;
        opts.check()?;
        if la < 2 || lz < 1 || la + lz > 60 {
            return Err(Error::invalid(format!(
                "a quantized grid of 2^{la} x 2^{lz} points: wealth needs at least 2 bits, income \
                 at least 1, and both together at most 60"
            )));
        }
        if lz > 12 {
            return Err(Error::invalid(format!(
                "2^{lz} income points: the income axis is handled as a dense {0} x {0} map, \
                 at most 2^12 points",
                1u64 << lz
            )));
        }
        let income = &self.income;
        let labour = income.mean_on_grid(lz);
        let (w, demand) = self.wage_and_demand(r, labour)?;
        if r >= self.rho {
            return Err(Error::invalid(format!(
                "r = {r} must lie below rho = {}: at r >= rho households save without bound and \
                 there is no stationary distribution",
                self.rho
            )));
        }
        let (na, bits) = (1u64 << la, (la + lz) as usize);
        let da = (self.amax - self.amin) / (na - 1) as f64;
        let dz = income.spacing(lz);
        let bottom = self.resources(r, w, self.amin, income.zmin);
        if !(bottom.is_finite() && bottom > 0.0) {
            return Err(Error::invalid(format!(
                "resources at the borrowing limit (a = {}, z = {}) are {bottom} at r = {r}, \
                 w = {w}: consumption is impossible",
                self.amin, income.zmin
            )));
        }
        let u = self.utility();
        let c = opts.compression();
        let trunc = Truncation::tol(opts.tol)?.with_max_rank(opts.max_rank)?;
        let say = |line: String| {
            if let Some(p) = progress {
                p(&line)
            }
        };
        let top = na - 1;
        let resources = |wp: u64| {
            let (i, k) = (wp & top, wp >> la);
            self.resources(
                r,
                w,
                self.amin + i as f64 * da,
                income.point(lz, k as usize),
            )
        };
        let warm = warm.filter(|s| s.la == la && s.lz == lz);
        let mut v = match warm {
            Some(s) => s.value.clone(),
            None => cross_points(bits, 1, &c, |ws| {
                Ok(ws
                    .iter()
                    .map(|&wp| u.u(resources(wp).max(1e-3)) / self.rho)
                    .collect())
            })?,
        };
        // The scheme's consumption at every point (forward, backward or
        // zero-drift), crossed at `policy_tol`; drift and utility are read
        // from this one train, so that they agree and `V` depends on its
        // compression at second order only (envelope theorem).
        let pc = opts.compression().with_tol(opts.policy_tol);
        let consumption_of = |v: &TensorTrain| -> Result<TensorTrain> {
            cross_points(bits, 1, &pc, |ws| {
                let (prev, next) = line_neighbours(ws, top);
                let (vh, vp, vn) = (
                    v.eval_fibers(ws)?,
                    v.eval_fibers(&prev)?,
                    v.eval_fibers(&next)?,
                );
                Ok(ws
                    .iter()
                    .enumerate()
                    .map(|(q, &p)| {
                        let (i, y) = (p & top, resources(p));
                        let dvf = if i < top {
                            (vn[q] - vh[q]) / da
                        } else {
                            u.marginal(y.max(1e-10))
                        };
                        let dvb = if i > 0 {
                            (vh[q] - vp[q]) / da
                        } else {
                            u.marginal(y)
                        };
                        upwind(&u, y, dvf, dvb, i == 0, i == top).consumption
                    })
                    .collect())
            })
        };
        // Savings `y - c` and utility `u(c)` of a consumption train.
        let drift_of = |cons: &TensorTrain| -> Result<TensorTrain> {
            cross_points(bits, 1, &c, |ws| {
                let cv = cons.eval_fibers(ws)?;
                Ok(ws
                    .iter()
                    .zip(cv)
                    .map(|(&p, cq)| resources(p) - cq)
                    .collect())
            })
        };
        let utility_of = |cons: &TensorTrain| -> Result<TensorTrain> {
            cross_points(bits, 1, &c, |ws| {
                let cv = cons.eval_fibers(ws)?;
                Ok(cv.into_iter().map(|cq| u.u(cq.max(1e-300))).collect())
            })
        };
        let operator = |drift: TensorTrain, margin: f64| -> Result<Vec<LineOperator>> {
            let fine = LineOperator::new(
                lz as usize,
                la as usize,
                da,
                drift,
                income.chain(lz),
                margin,
                &c,
            )?;
            hierarchy(fine, |l| income.aggregated_chain(lz, l as u32), &c)
        };
        let mo = opts.multigrid();
        let mut hjb = Vec::new();
        let mut hjb_cycles = Vec::new();
        let mut converged = false;
        for it in 1..=opts.max_iterations {
            let cons = consumption_of(&v)?;
            let levels = operator(drift_of(&cons)?, self.rho + 1.0 / opts.delta)?;
            let f = utility_of(&cons)?
                .add(&v.scaled(1.0 / opts.delta))?
                .round(&trunc)?;
            // Inexact policy iteration: each step solved to 1e-2 of the last
            // change (the last steps start at their fixed point).
            let last: f64 = hjb.last().map_or(1.0, |h: &IterationReport| h.change);
            let step_mo = MultigridOptions {
                tol: (1e-2 * last).max(opts.linear_tol),
                ..mo
            };
            let (vn, changes) = solve(&levels, &f, Some(v.clone()), Rhs::Columns, &step_mo)
                .map_err(|e| {
                    Error::Numerical(format!(
                        "HJB (QTT, income diffusion) step {it}: {e}{}",
                        hint(bits, opts)
                    ))
                })?;
            let change = vn.sub(&v)?.norm() / vn.norm().max(f64::MIN_POSITIVE);
            v = vn;
            hjb_cycles.push(changes.len());
            hjb.push(IterationReport {
                iteration: it,
                change,
                max_rank: v.max_rank(),
                seconds: start.elapsed().as_secs_f64(),
            });
            say(format!(
                "HJB {it}: change {change:.2e}, {} cycles, rank V {}, c {}",
                changes.len(),
                v.max_rank(),
                cons.max_rank()
            ));
            if !change.is_finite() {
                break;
            }
            if change <= opts.hjb_tol {
                converged = true;
                break;
            }
            let changes: Vec<f64> = hjb.iter().map(|h| h.change).collect();
            if at_floor(&changes, 6, 1e5 * opts.tol) {
                return Err(Error::Numerical(format!(
                    "HJB (QTT, income diffusion) at r = {r}: policy iteration stalled above \
                     hjb_tol = {:.0e} at the compression's noise (QttDiffusionOptions::tol = \
                     {:.0e}): tighten tol or loosen hjb_tol; change history {changes:?}",
                    opts.hjb_tol, opts.tol
                )));
            }
        }
        if !converged {
            return Err(Error::Numerical(format!(
                "HJB (QTT, income diffusion) at r = {r}: no convergence to {:.0e} in {} \
                 iterations; change history {:?}",
                opts.hjb_tol,
                hjb.len(),
                hjb.iter().map(|h| h.change).collect::<Vec<_>>()
            )));
        }
        // KFE: masses by shifted inverse iteration.
        let cons = consumption_of(&v)?;
        let eps = opts.kfe_shift;
        let levels = operator(drift_of(&cons)?, eps)?;
        let mut modes = vec![2; bits];
        modes.push(1);
        let mut m = match warm {
            Some(s) => s.density.scaled(da * dz),
            None => TensorTrain::ones(&modes)?.scaled(1.0 / (1u64 << bits) as f64),
        };
        let mut kfe_changes = Vec::new();
        let mut settled = false;
        for step in 1..=opts.kfe_max_steps {
            // Each step solved to 1e-2 of the last change: the fixed point
            // is the warm start of the last steps, so inexact steps cost no
            // accuracy, and the row solves' noise floor (~1e-10 of the
            // masses at 2^11 points) stays below what each step needs.
            let last: f64 = kfe_changes.last().copied().unwrap_or(1.0);
            let mo = MultigridOptions {
                tol: (1e-2 * last).max(opts.linear_tol),
                ..mo
            };
            let (y, rep) = solve(&levels, &m.scaled(eps), Some(m.clone()), Rhs::Rows, &mo)
                .map_err(|e| {
                    Error::Numerical(format!(
                        "KFE (QTT, income diffusion) step {step}: {e}{}",
                        hint(bits, opts)
                    ))
                })?;
            let total = y.sum();
            if !(total.is_finite() && total > 0.0) {
                return Err(Error::Numerical(format!(
                    "KFE (QTT, income diffusion) step {step}: the masses sum to {total}"
                )));
            }
            let y = y.scaled(1.0 / total);
            let change = y.sub(&m)?.norm() / y.norm();
            m = y;
            kfe_changes.push(change);
            say(format!(
                "KFE {step}: change {change:.2e}, {} cycles, rank {}",
                rep.len(),
                m.max_rank()
            ));
            if change <= opts.kfe_tol {
                settled = true;
                break;
            }
        }
        if !settled {
            return Err(Error::Numerical(format!(
                "KFE (QTT, income diffusion) at r = {r}: no convergence to {:.0e} in {} steps; \
                 changes {kfe_changes:?}",
                opts.kfe_tol, opts.kfe_max_steps
            )));
        }
        let (mass, index_sum) = wealth_moments(&m, lz as usize, la as usize)?;
        let wealth = self.amin * mass + da * index_sum;
        let density = m.scaled(1.0 / (da * dz));
        let min_density = smallest(&density, bits)?;
        Ok(QttDiffusionSolution {
            r,
            w,
            demand,
            la,
            lz,
            da,
            dz,
            value: v,
            density,
            consumption: cons,
            wealth,
            excess: wealth - demand,
            mass,
            min_density,
            hjb,
            hjb_cycles,
            kfe_changes,
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}

/// What to try when a linear solve fails on a grid above `2^dense_bits`
/// points.
fn hint(bits: usize, opts: &QttDiffusionOptions) -> String {
    if bits > opts.dense_bits {
        format!(
            " (the grid has 2^{bits} points, above QttDiffusionOptions::dense_bits = {}, so its \
             fields are crossed; raise dense_bits to {bits} if 2^{bits} points fit, and every \
             field is evaluated at every point instead)",
            opts.dense_bits
        )
    } else {
        String::new()
    }
}

/// The smallest value of `t` at every point up to `2^24`, else at `2^20`
/// points spread evenly (the borrowing limit of every income line among
/// them while the wealth grid has at least `2^(bits - 20)` points).
fn smallest(t: &TensorTrain, bits: usize) -> Result<f64> {
    let n = 1u64 << bits;
    let points: Vec<u64> = if bits <= 24 {
        (0..n).collect()
    } else {
        let step = n >> 20;
        (0..1u64 << 20).map(|q| q * step).collect()
    };
    Ok(points
        .chunks(1 << 16)
        .map(|ch| t.eval_fibers(ch))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .fold(f64::INFINITY, f64::min))
}
