//! The two-asset scheme of `two_asset_kinked.m`, the HJB by policy
//! iteration and the stationary distribution.
//!
//! At each point, consumption follows the 1-D scheme in `b`
//! ([`scheme::upwind`](crate::econ::scheme::upwind) on liquid income
//! `(1 - xi) w z + r_b b` with `V_b` forward or backward, the state
//! constraints `V_b = u'(...)` at both ends of the liquid grid). Deposits
//! come from the first-order condition [`TwoAsset::deposit`] on each pair
//! of one-sided differences: with `V_b` backward, `d_B` combines the
//! candidate from `V_a` forward where it is positive and from `V_a`
//! backward where it is negative (at `a = amin` only the forward one, at
//! `amax` only the backward one); `d_F` likewise with `V_b` forward. The
//! deposit part of the liquid drift, `-d - chi(d, a)`, is upwinded by its
//! own sign: forward with `d_F` where that drift is positive, else backward
//! with `d_B` where that one is negative, else no deposit. The illiquid
//! drift `d + xi w z + r_a(a) a` is split the same way: its negative part
//! (withdrawals) backward, its positive part forward; at `amax` the whole
//! drift is the backward one (the state constraint; where it would be
//! positive it is cut to 0).
//!
//! Two changes to the HACT code keep the generator a generator at every
//! iteration: at `bmax` the deposit drift is used only where it is negative
//! (the code forces the backward side there whatever its sign), and at
//! `amax` a positive total illiquid drift is cut to 0 (the code notes "this
//! is hopefully negative"). Neither binds at the solution on the default
//! grids (the tests check the generator at every size they solve).

use super::{TwoAsset, TwoAssetGrid};
use crate::econ::scheme::{upwind, DV_FLOOR};
use crate::econ::solution::{relative_change, IterationReport};
use crate::econ::sparse_generator::{FdOptions, Generator};
use crate::error::{Error, Result};
use std::time::Instant;

/// Drifts below this are zero in the upwind choice of deposits (as HACT's
/// `10^(-12)`): a deposit drift that is zero up to rounding must not pick a side.
const DRIFT_EPS: f64 = 1e-12;

/// The scheme's choices at every grid point (grid order).
#[derive(Debug, Clone, PartialEq)]
pub struct TwoAssetPolicy {
    /// Consumption `c(b, a, z)`.
    pub consumption: Vec<f64>,
    /// Deposits `d(b, a, z)` into the illiquid account (negative: withdrawals).
    pub deposit: Vec<f64>,
    /// Liquid drift `(1 - xi) w z + r_b b - d - chi(d, a) - c`.
    pub liquid_drift: Vec<f64>,
    /// Illiquid drift `d + xi w z + r_a(a) a`.
    pub illiquid_drift: Vec<f64>,
    /// `u(c)`.
    pub utility: Vec<f64>,
    /// Intensity of a jump to `b - db`.
    pub b_down: Vec<f64>,
    /// Intensity of a jump to `b + db`.
    pub b_up: Vec<f64>,
    /// Intensity of a jump to `a - da`.
    pub a_down: Vec<f64>,
    /// Intensity of a jump to `a + da`.
    pub a_up: Vec<f64>,
    /// Points at `amax` where a positive illiquid drift was cut to 0.
    pub cut_at_amax: usize,
}

/// The household's problem solved in partial equilibrium.
#[derive(Debug, Clone)]
pub struct TwoAssetSolution {
    /// The grid.
    pub grid: TwoAssetGrid,
    /// `V(b, a, z)`, grid order.
    pub value: Vec<f64>,
    /// The policies.
    pub policy: TwoAssetPolicy,
    /// The stationary density: `sum g db da = 1` (over all income states), `g >= 0`.
    pub density: Vec<f64>,
    /// `sum b g db da`.
    pub liquid: f64,
    /// `sum a g db da`.
    pub illiquid: f64,
    /// `sum g db da` (1 to rounding).
    pub mass: f64,
    /// The smallest density value.
    pub min_density: f64,
    /// Probability at the liquid borrowing limit `b = bmin`.
    pub mass_at_bmin: f64,
    /// Probability at the liquid point nearest `b = 0` (the kink of `r_b`,
    /// where the "wealthy hand-to-mouth" of Kaplan, Moll and Violante sit).
    pub mass_at_zero_liquid: f64,
    /// One report per policy iteration.
    pub hjb: Vec<IterationReport>,
    /// `max |A^T g| / (max |diag A| max g)`.
    pub kfe_residual: f64,
    /// Inverse iterations of the KFE.
    pub kfe_iterations: usize,
    /// Seconds the solve took.
    pub seconds: f64,
}

impl TwoAssetSolution {
    /// A field at `(ib, ia, j)`.
    pub fn at(&self, field: &[f64], ib: usize, ia: usize, j: usize) -> f64 {
        field[self.grid.index(ib, ia, j)]
    }
}

impl TwoAsset {
    /// The default settings of a two-asset solve: `Delta = 100` (the HACT
    /// code's; the deposit choice switches sides between iterations at
    /// larger steps), relative HJB tolerance `1e-9`, 200 iterations.
    pub fn default_options() -> FdOptions {
        FdOptions {
            delta: 100.0,
            hjb_tol: 1e-9,
            max_iterations: 200,
            ..FdOptions::default()
        }
    }

    /// The scheme's choices for value function `v`.
    pub fn policy(&self, grid: &TwoAssetGrid, v: &[f64]) -> Result<TwoAssetPolicy> {
        let (nb, na, jn, n) = (grid.nb(), grid.na(), grid.states(), grid.len());
        if v.len() != n {
            return Err(Error::shape(format!(
                "V has {} values, the grid {nb} x {na} x {jn}",
                v.len()
            )));
        }
        let u = self.utility();
        let (db, da) = (grid.db(), grid.da());
        let zeros = || vec![0.0; n];
        let mut p = TwoAssetPolicy {
            consumption: zeros(),
            deposit: zeros(),
            liquid_drift: zeros(),
            illiquid_drift: zeros(),
            utility: zeros(),
            b_down: zeros(),
            b_up: zeros(),
            a_down: zeros(),
            a_up: zeros(),
            cut_at_amax: 0,
        };
        for j in 0..jn {
            let automatic = self.xi * self.w * self.z[j];
            for ia in 0..na {
                let a = grid.a(ia);
                let (bottom_a, top_a) = (ia == 0, ia + 1 == na);
                let income_a = automatic + self.ra_at(a) * a;
                for ib in 0..nb {
                    let q = grid.index(ib, ia, j);
                    let b = grid.b(ib);
                    let (bottom_b, top_b) = (ib == 0, ib + 1 == nb);
                    let y = self.liquid_income(b, j);
                    let vbf = if top_b {
                        u.marginal(y.max(1e-10))
                    } else {
                        (v[q + 1] - v[q]) / db
                    };
                    let vbb = if bottom_b {
                        u.marginal(y)
                    } else {
                        (v[q] - v[q - 1]) / db
                    };
                    let vaf = if top_a {
                        f64::NAN
                    } else {
                        (v[q + nb] - v[q]) / da
                    };
                    let vab = if bottom_a {
                        f64::NAN
                    } else {
                        (v[q] - v[q - nb]) / da
                    };
                    // Consumption: the 1-D scheme in b.
                    let c = upwind(&u, y, vbf, vbb, bottom_b, top_b);
                    // Deposits with V_b backward and forward: (d, from V_a
                    // backward, from V_a forward).
                    let choose = |vb: f64| -> (f64, f64, f64) {
                        let vb = vb.max(DV_FLOOR);
                        let from_b = if bottom_a {
                            0.0
                        } else {
                            self.deposit(vab, vb, a)
                        };
                        let from_f = if top_a { 0.0 } else { self.deposit(vaf, vb, a) };
                        let mut d = if bottom_a {
                            if from_f > DRIFT_EPS {
                                from_f
                            } else {
                                0.0
                            }
                        } else if top_a {
                            // The state constraint a <= amax: withdraw at
                            // least the illiquid income.
                            from_b.min(-income_a)
                        } else {
                            from_f.max(0.0) + from_b.min(0.0)
                        };
                        if bottom_a && bottom_b {
                            d = d.max(0.0);
                        }
                        (d, if top_a { d } else { from_b }, from_f)
                    };
                    let (d_b, dbb, dbf) = choose(vbb);
                    let (d_f, dfb, dff) = choose(vbf);
                    let sd_b = -d_b - self.cost(d_b, a);
                    let mut sd_f = -d_f - self.cost(d_f, a);
                    if top_b {
                        sd_f = sd_f.min(0.0);
                    }
                    let use_f = !top_b && sd_f > DRIFT_EPS;
                    let use_b = !use_f && !bottom_b && sd_b < -DRIFT_EPS;
                    let (d, sd, (cand_b, cand_f)) = if use_f {
                        (d_f, sd_f, (dfb, dff))
                    } else if use_b {
                        (d_b, sd_b, (dbb, dbf))
                    } else {
                        (0.0, 0.0, (0.0, 0.0))
                    };
                    p.consumption[q] = c.consumption;
                    p.utility[q] = c.utility;
                    p.deposit[q] = d;
                    p.liquid_drift[q] = y - d - self.cost(d, a) - c.consumption;
                    p.illiquid_drift[q] = d + income_a;
                    p.b_up[q] = (c.forward_drift + if use_f { sd } else { 0.0 }) / db;
                    p.b_down[q] = -(c.backward_drift + if use_b { sd } else { 0.0 }) / db;
                    let (mut down, up) = if top_a {
                        (income_a + cand_b, 0.0)
                    } else {
                        (cand_b.min(0.0), cand_f.max(0.0) + income_a)
                    };
                    if bottom_a {
                        down = 0.0;
                    }
                    if down > 0.0 {
                        p.cut_at_amax += 1;
                        down = 0.0;
                    }
                    p.a_down[q] = -down / da;
                    p.a_up[q] = up / da;
                }
            }
        }
        Ok(p)
    }

    /// The generator of policy `p`: the liquid and illiquid drifts upwinded,
    /// income switching (rows sum to zero, off-diagonals `>= 0`).
    pub fn generator(&self, grid: &TwoAssetGrid, p: &TwoAssetPolicy) -> Result<Generator> {
        let pattern = grid.pattern().clone();
        let (nb, plane) = (grid.nb(), grid.nb() * grid.na());
        let values = (0..pattern.nnz())
            .map(|e| {
                let (r, c) = pattern.position(e);
                if c == r + 1 {
                    p.b_up[r]
                } else if c + 1 == r {
                    p.b_down[r]
                } else if c == r + nb {
                    p.a_up[r]
                } else if c + nb == r {
                    p.a_down[r]
                } else if r != c {
                    self.rates[r / plane][c / plane]
                } else {
                    0.0
                }
            })
            .collect();
        Generator::from_rates(pattern, values)
    }

    /// Solves the household's problem on `grid` (partial equilibrium):
    /// policy iteration from `u(income) / rho`, then the stationary
    /// distribution of the final policy.
    pub fn solve(&self, grid: &TwoAssetGrid, opts: &FdOptions) -> Result<TwoAssetSolution> {
        let start = Instant::now();
        opts.check()?;
        self.check()?;
        let n = grid.len();
        let u = self.utility();
        let mut v: Vec<f64> = (0..n)
            .map(|q| {
                let (ib, ia, j) = grid.point(q);
                let (a, b) = (grid.a(ia), grid.b(ib));
                let y = (1.0 - self.xi) * self.w * self.z[j]
                    + self.ra_at(a) * a
                    + self.xi * self.w * self.z[j]
                    + self.rb(b) * b;
                u.u(y.max(1e-3)) / self.rho
            })
            .collect();
        let shift = self.rho + 1.0 / opts.delta;
        let mut reports: Vec<IterationReport> = Vec::new();
        let mut converged = false;
        for it in 1..=opts.max_iterations {
            let p = self.policy(grid, &v)?;
            let a = self.generator(grid, &p).map_err(|e| {
                Error::Numerical(format!(
                    "two-asset HJB iteration {it}: {e}; change history {:?}",
                    reports.iter().map(|r| r.change).collect::<Vec<_>>()
                ))
            })?;
            let rhs: Vec<f64> = p
                .utility
                .iter()
                .zip(&v)
                .map(|(u, vv)| u + vv / opts.delta)
                .collect();
            let next = a.solve_shifted(shift, &rhs)?;
            let change = relative_change(&next, &v, 1.0);
            v = next;
            reports.push(IterationReport {
                iteration: it,
                change,
                max_rank: 1,
                seconds: start.elapsed().as_secs_f64(),
            });
            if change <= opts.hjb_tol {
                converged = true;
                break;
            }
        }
        if !converged {
            return Err(Error::Numerical(format!(
                "two-asset HJB: policy iteration did not converge to {} in {} iterations; \
                 change history {:?}",
                opts.hjb_tol,
                opts.max_iterations,
                reports.iter().map(|r| r.change).collect::<Vec<_>>()
            )));
        }
        let policy = self.policy(grid, &v)?;
        let a = self.generator(grid, &policy)?;
        let cell = grid.db() * grid.da();
        let st = a.stationary(
            cell,
            opts.kfe_dt_rho / self.rho,
            opts.kfe_tol,
            opts.kfe_max_iterations,
            None,
        )?;
        let g = st.density;
        let zero = ((0.0 - self.bmin) / grid.db())
            .round()
            .clamp(0.0, (grid.nb() - 1) as f64) as usize;
        let (mut mass, mut liquid, mut illiquid, mut at_bmin, mut at_zero) =
            (0.0, 0.0, 0.0, 0.0, 0.0);
        for (q, gq) in g.iter().enumerate() {
            let (ib, ia, _) = grid.point(q);
            mass += gq;
            liquid += grid.b(ib) * gq;
            illiquid += grid.a(ia) * gq;
            if ib == 0 {
                at_bmin += gq;
            }
            if ib == zero {
                at_zero += gq;
            }
        }
        let min_density = g.iter().cloned().fold(f64::INFINITY, f64::min);
        Ok(TwoAssetSolution {
            grid: grid.clone(),
            value: v,
            policy,
            density: g,
            liquid: liquid * cell,
            illiquid: illiquid * cell,
            mass: mass * cell,
            min_density,
            mass_at_bmin: at_bmin * cell,
            mass_at_zero_liquid: at_zero * cell,
            hjb: reports,
            kfe_residual: st.residual,
            kfe_iterations: st.iterations,
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}
