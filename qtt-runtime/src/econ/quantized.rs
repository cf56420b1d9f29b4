//! The QTT backend: the same implicit upwind scheme as
//! [`finite_difference`](super::finite_difference), with every grid
//! function a tensor train over the wealth bits (most significant first)
//! and a last mode for the income state.
//!
//! **The linear algebra is a direct solver.** Each HJB step
//! `((rho + 1/Delta) I - A) V = u + V_old / Delta` and the stationary
//! distribution `g^T A = 0` are solved by block cyclic reduction on the
//! quantized grid (`econ/reduction.rs`): `L` halvings, each a
//! cross approximation of point-wise formulas whose pivots are sums of
//! non-negative terms, so the `2^L` condition number of the implicit matrix
//! never enters, the masses come out non-negative, and no entry is pinned
//! (the point mass at the borrowing limit is one more unknown). This
//! replaced AMEn, whose Galerkin steps stalled at `2^12` points on the
//! nonsymmetric upwind operator (its symmetric part is indefinite where
//! households save): at `2^10` the reduction takes 1.1 s where AMEn took
//! 30 s, and at `2^12` it converges where AMEn did not.
//!
//! **Slopes.** `V` cannot be differenced on a fine grid (`V ~ 20`,
//! `V_a da ~ 1e-12` at `2^40` points). The policy is computed from the
//! slope train `x` (`x_0 = V_0`, `x_i = sqrt(da) (V_i - V_{i-1}) / da`),
//! each slope read from the HJB row that uses it, `p = q / |s|` with
//! `q = f - (rho + 1/Delta) V + Lambda V` (error `~ eps_V / |s|` instead of
//! `eps_V / da`).
//!
//! **One consumption.** Consumption `c_B` is crossed from the slopes at
//! `slope_tol`; the utility is `u` of that compressed `c_B`, and the drifts
//! and the upwind choice are computed from it point by point. `V` depends
//! on the policy at second order only when utility and drift see the same
//! consumption (Aiyagari on `2^18` points: `c` at rank 19 instead of 55).
//!
//! **Upwinding** is exact: the scheme's choice (forward, backward, zero
//! drift) is decided by [`scheme::side`](super::scheme::side) on the QTT's
//! values, its switch points located by sampling and bisection, and each
//! region is an exact interval indicator of rank 2 (no smoothing is needed
//! in one dimension: the policy has a handful of switch points, plus
//! single points where rounding flips it next to a zero of the drift).
//! Every point is decided on grids up to `2^20` points
//! ([`QttOptions::switch_samples`]); above, flips between samples are not
//! seen.
//!
//! **Nested grids.** Above `2^(coarse_bits + 1)` points policy iteration
//! starts from the solution on a grid four times coarser (recursively),
//! its slopes and values interpolated linearly: a cold start spends its
//! first iterations on policies far from the solution, whose fields run to
//! the rank cap (at `2^14`: 24 iterations, 79 s, transient ranks 96; nested:
//! 6 iterations at rank 12-13, 17 s in all then; 6 s with dense coarse levels).
//!
//! **Dense coarse levels.** Fields on at most `2^dense_bits` points (the
//! coarse levels of every reduction, all fields of small grids) are
//! evaluated at every point and compressed by TT-SVD: a cross samples
//! `~ 4 r^2` points per bond and sweep, more points than such grids have.
//! The reduction's sixteen coefficient components are stored as one train
//! each (`econ/components.rs`): together they need the sum of
//! their ranks (60..160), alone 10..29.
//!
//! **Measured (Huggett at r = 0.03, one household solve, 2 cores, the
//! defaults).** Differences are of the excess supply against the banded
//! finite-difference backend on the same grid (`V` agrees to 1e-12):
//!
//! | points | QTT | finite differences | excess difference | iterations |
//! |---|---|---|---|---|
//! | `2^10` | 0.30 s | 0.004 s | 5e-15 | 11 |
//! | `2^12` | 1.4 s | 0.01 s | 2e-13 | 16 |
//! | `2^14` | 2.9 s | 0.06 s | 7e-14 | 6 (nested) |
//! | `2^16` | 8.1 s | 0.29 s | 2e-12 | 6 (nested) |
//! | `2^18` | 26 s | 1.5 s | 1e-11 | 5 (nested) |
//! | `2^20` | 157 s | 14 s | 2e-11 | 5 (nested) |
//!
//! `V` has rank 12-13 at every size, `g` 13-49. **Huggett's equilibrium
//! on `2^20` points** (nested, see
//! [`EquilibriumOptions::nested_bits`](super::EquilibriumOptions::nested_bits):
//! r* on `2^14`, `2^16`, `2^18` first, then eight warm solves on `2^20`)
//! gives r* = 0.036097309620127, 8.8e-13 from the banded LU's, in 744 CPU
//! seconds on one thread (33x the banded LU); near r* the excess is
//! known to ~3e-11 (its noise at this size). **Far from r* the iteration
//! is fragile on `2^20` points**: near r = 0.005 (heavy dissaving, where
//! Brent on the whole bracket went) it diverges or converges depending on
//! the rounding (thread count, tolerances). At r = 0.004867 with `tol`
//! 1e-14 the upwind intervals stay fixed (one switch point) while the
//! slope train and the right-hand side sit at the rank cap from the first
//! fine iteration: the slopes' rounding noise near the zero of the drift
//! (`~1e-13 / |s|`) is resolved at tolerances below it, and truncation at
//! the cap breaks the cancellation between the policy's utility and its
//! drift. A diverging or stalled iteration stops with an error carrying
//! its history instead of exhausting memory. **Aiyagari's equilibrium**
//! equals the banded LU's to 1.2e-13 on `2^12..2^18` points. On `2^20`
//! its household solve near r* diverged with 65536 switch samples: after
//! the switch point of the high-income state moved by 34 points, every
//! other point there saved (at 1e-7) inside the dissaving interval,
//! between two samples, and every field, then `V`, ran to rank 110-160.
//! With every point decided it converges (5 iterations, excess 5.9e-12
//! from the banded LU's, `g` at rank 133). **The banded LU is 11-100x
//! faster at every size measured.** Up to `2^dense_bits` the backend is
//! `O(N)` like the banded LU, with a larger constant; above, each crossed
//! level is one cross of all sixteen components together (rank ~150,
//! split into components afterwards), 1.8x slower than dense at `2^20`.
//! Crossing the components separately with shared index sets is the next
//! step. Why the levels stay low-rank at all: each component is
//! compressed at its own scale (its absolute error `tol` times its largest
//! value); truncated relative to the whole train (dominated by the
//! right-hand side), the rates kept noise far above the tolerance and the
//! next level resolved it (level ranks 34..61 at `2^14` against 13..25 for
//! the exact coefficients).

use super::components::Components;
use super::equilibrium::{Progress, SolveOptions};
use super::reduction::{cross_points, Compression, Layout, Reduction, Rhs};
use super::scheme::{side, Side, DV_FLOOR};
use super::solution::{bit_index, Field, HouseholdSolution, IterationReport};
use super::{Model, Prices};
use crate::error::{Error, Result};
use crate::grid::{shift_forward, Boundary, Grid1d};
use crate::linalg::Truncation;
use crate::tt::{Core, TensorTrain, TtMatrix};
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use std::time::Instant;

/// Settings of the QTT backend.
#[derive(Debug, Clone, PartialEq)]
pub struct QttOptions {
    /// Relative truncation tolerance of every rounding and cross.
    pub tol: f64,
    /// Largest bond dimension of any field.
    pub max_rank: usize,
    /// Sample points per income state when locating the switch points of
    /// the upwind choice. A flip and flip back between two samples is not
    /// seen. The default decides every point of grids up to `2^20`:
    /// Aiyagari's household on `2^20` points at r = 0.043925 diverged with
    /// 65536 samples (next to the high-income state's zero of the drift,
    /// every other point saved inside the dissaving interval and every
    /// field ran to rank 110-160) and converges in 5 iterations with
    /// every point decided (excess 5.9e-12 from the banded LU's, 151 s).
    pub switch_samples: usize,
    /// Relative tolerance of the slope train read from the HJB rows and
    /// of the consumption computed from it: the slope at a point with
    /// drift `s` is known to about `1e-13 / |s|` (relative), so near a zero
    /// of the drift it carries noise that a tighter cross resolves at
    /// higher rank. `V` depends on the policy at second order; the
    /// aggregates at first order (through `g`), but at 1e-10 they equal
    /// the banded LU's to 3e-13 (Huggett, `2^14` points) and 3e-12
    /// (Aiyagari, `2^18`), with consumption at rank 18-19 instead of 28-37
    /// at 1e-11. (Before the utility was computed from the compressed
    /// consumption, 1e-10 cost 1e-9 in Huggett's excess at `2^14`.)
    pub slope_tol: f64,
    /// Grids above `2^(coarse_bits + 1)` points start policy iteration from
    /// the solution on a grid four times coarser.
    pub coarse_bits: u32,
    /// Fields on at most `2^dense_bits` points (the coarse levels of the
    /// cyclic reduction, all fields of a small grid) are evaluated at every
    /// point and compressed by TT-SVD instead of crossed. A two-site cross
    /// samples `~ 4 r^2` points per bond and sweep, and the crossed levels
    /// cross all sixteen components together (rank ~150): up to `2^20`
    /// points dense evaluation is faster (Huggett, `2^16` points: 20 s with
    /// 16, 93 s with 12; `2^20`: 157 s with 20, 275 s with 18). Memory:
    /// `16 * 2^dense_bits` numbers per level (128 MB at 20).
    pub dense_bits: u32,
}

impl Default for QttOptions {
    fn default() -> Self {
        Self {
            tol: 1e-13,
            max_rank: 160,
            switch_samples: 1 << 20,
            slope_tol: 1e-10,
            coarse_bits: 12,
            dense_bits: 20,
        }
    }
}

impl QttOptions {
    /// The reduction's compression at tolerance `tol`.
    pub(super) fn compression(&self, tol: f64) -> Compression {
        Compression {
            tol,
            max_rank: self.max_rank,
            dense_bits: self.dense_bits as usize,
        }
    }
}

/// Half-open intervals `[lo, hi)` of wealth indices.
type Intervals = Vec<(u64, u64)>;

/// The fixed pieces of one model's operators.
pub(super) struct Pieces {
    pub(super) bits: u32,
    pub(super) states: usize,
    pub(super) da: f64,
    sda: f64,
    /// `S (x) I_J`.
    shift: TtMatrix,
}

fn with_income(m: &TtMatrix, f: DMatrix<f64>) -> Result<TtMatrix> {
    Ok(m.kron_sites(&TtMatrix::kron(&[f])?))
}

impl Pieces {
    pub(super) fn new(model: &Model) -> Result<Self> {
        let bits = model.bits;
        let jn = model.states();
        let grid = Grid1d::new(model.amin, model.amax, bits)?;
        let id = DMatrix::identity(jn, jn);
        Ok(Self {
            bits,
            states: jn,
            da: model.spacing(),
            sda: model.spacing().sqrt(),
            shift: with_income(&shift_forward(&grid, Boundary::Zero)?, id)?,
        })
    }

    pub(super) fn modes(&self) -> Vec<usize> {
        let mut m = vec![2; self.bits as usize];
        m.push(self.states);
        m
    }

    pub(super) fn index(&self, i: u64, j: usize) -> Vec<usize> {
        let mut idx = bit_index(i, self.bits);
        idx.push(j);
        idx
    }

    pub(super) fn points(&self) -> u64 {
        1u64 << self.bits
    }
}

/// `[i < k]` on `2^bits` points, most significant bit first (rank <= 2).
fn prefix_indicator(bits: u32, k: u64) -> Result<TensorTrain> {
    let n = bits as usize;
    if k >= 1u64 << bits {
        return TensorTrain::ones(&vec![2; n]);
    }
    // States: 0 = equal to k so far, 1 = already below k.
    let mut cores = Vec::with_capacity(n);
    for s in 0..n {
        let kb = ((k >> (n - 1 - s)) & 1) as usize;
        let (rl, rr) = (if s == 0 { 1 } else { 2 }, if s + 1 == n { 1 } else { 2 });
        let mut c = Core::zeros(rl, 2, rr);
        for from in 0..rl {
            for b in 0..2 {
                let to = match from {
                    1 => Some(1),
                    _ if b < kb => Some(1),
                    _ if b == kb => Some(0),
                    _ => None,
                };
                if let Some(to) = to {
                    if rr == 1 {
                        if to == 1 {
                            *c.get_mut(from, b, 0) = 1.0;
                        }
                    } else {
                        *c.get_mut(from, b, to) = 1.0;
                    }
                }
            }
        }
        cores.push(c);
    }
    TensorTrain::new(cores)
}

/// The indicator of `intervals[j]` in income state `j`, exact (rank <= 4
/// per interval before rounding without loss).
fn indicator(p: &Pieces, intervals: &[Intervals]) -> Result<TensorTrain> {
    let mut acc: Option<TensorTrain> = None;
    for (j, ivs) in intervals.iter().enumerate() {
        for &(lo, hi) in ivs {
            if lo >= hi {
                continue;
            }
            let mut t = prefix_indicator(p.bits, hi)?.sub(&prefix_indicator(p.bits, lo)?)?;
            let mut e = vec![0.0; p.states];
            e[j] = 1.0;
            let mut cores = t.into_cores();
            cores.push(Core::new(1, p.states, 1, e)?);
            t = TensorTrain::new(cores)?;
            acc = Some(match acc {
                None => t,
                Some(a) => a.add(&t)?,
            });
        }
    }
    match acc {
        None => TensorTrain::zeros(&p.modes()),
        Some(a) => a.round(&Truncation::tol(1e-15)?),
    }
}

/// Index intervals where `pred(i)` holds on `[0, n)`, from `samples`
/// evenly spaced evaluations refined by bisection at every change.
fn intervals_where(
    n: u64,
    samples: usize,
    pred: &dyn Fn(&[u64]) -> Result<Vec<bool>>,
) -> Result<Intervals> {
    let k = (samples.max(2) as u64).min(n);
    let at = |s: u64| -> u64 { ((n - 1) as u128 * s as u128 / (k - 1) as u128) as u64 };
    let points: Vec<u64> = (0..k).map(at).collect();
    let sampled = pred(&points)?;
    let one = |i: u64| -> Result<bool> { Ok(pred(&[i])?[0]) };
    let mut out = Vec::new();
    let mut open: Option<u64> = None;
    let mut prev_i = 0u64;
    let mut prev = sampled[0];
    if prev {
        open = Some(0);
    }
    for s in 1..k as usize {
        let (i, cur) = (points[s], sampled[s]);
        if cur != prev {
            // First index in (prev_i, i] where the predicate equals `cur`.
            let (mut lo, mut hi) = (prev_i, i);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if one(mid)? == cur {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            if cur {
                open = Some(hi);
            } else if let Some(start) = open.take() {
                out.push((start, hi));
            }
        }
        prev = cur;
        prev_i = i;
    }
    if let Some(start) = open {
        out.push((start, n));
    }
    Ok(out)
}

fn complement(n: u64, a: &Intervals, b: &Intervals) -> Intervals {
    let mut all: Vec<(u64, u64)> = a.iter().chain(b).copied().collect();
    all.sort();
    let mut out = Vec::new();
    let mut pos = 0;
    for (lo, hi) in all {
        if lo > pos {
            out.push((pos, lo));
        }
        pos = pos.max(hi);
    }
    if pos < n {
        out.push((pos, n));
    }
    out
}

/// The grid function `f(i, j)` as a QTT by cross approximation.
pub(super) fn approximate(
    p: &Pieces,
    o: &QttOptions,
    f: &(dyn Fn(u64, usize) -> f64 + Sync),
) -> Result<TensorTrain> {
    let j = p.states;
    cross_points(p.bits as usize, j, &o.compression(o.tol), |ws| {
        Ok(ws
            .iter()
            .flat_map(|&w| (0..j).map(move |a| f(w, a)))
            .collect())
    })
}

fn round(t: &TensorTrain, o: &QttOptions) -> Result<TensorTrain> {
    t.round(&Truncation::tol(o.tol)?.with_max_rank(o.max_rank)?)
}

/// The policy of slope vector `x`: consumption and utility as QTTs, the
/// drifts from them point by point.
struct QttPolicy {
    /// Consumption on the backward difference, `c_B` (`c_F` is its shift).
    backward_consumption: TensorTrain,
    /// Resources `y` (rank 2: exact).
    resources: TensorTrain,
    consumption: TensorTrain,
    utility: TensorTrain,
    /// Per income state, the wealth intervals where the forward and the
    /// backward difference is used (exact: the drift trains carry rounding
    /// noise where they vanish).
    forward_at: Vec<Intervals>,
    backward_at: Vec<Intervals>,
}

/// Whether `i` lies in one of the sorted disjoint `intervals`.
fn contains(intervals: &Intervals, i: u64) -> bool {
    let k = intervals.partition_point(|&(lo, _)| lo <= i);
    k > 0 && i < intervals[k - 1].1
}

/// Evaluation of the slope train and resources at batches of points.
struct PointEval<'a> {
    model: &'a Model,
    prices: &'a Prices,
    p: &'a Pieces,
    x: &'a TensorTrain,
}

impl PointEval<'_> {
    fn y(&self, i: u64, j: usize) -> f64 {
        self.model
            .resources(self.prices, self.model.wealth(i), j)
            .unwrap_or(f64::NAN)
    }
    /// `dV_B` at each of `ws`, `J` per point (the state constraint at 0).
    fn dv_backward(&self, ws: &[u64]) -> Result<Vec<f64>> {
        let j = self.p.states;
        let mut d = self.x.eval_fibers(ws)?;
        for (t, &i) in ws.iter().enumerate() {
            for a in 0..j {
                d[t * j + a] = if i == 0 {
                    self.model.utility.marginal(self.y(0, a))
                } else {
                    d[t * j + a] / self.p.sda
                };
            }
        }
        Ok(d)
    }
}

fn policy(
    model: &Model,
    prices: &Prices,
    p: &Pieces,
    o: &QttOptions,
    x: &TensorTrain,
    y: &TensorTrain,
) -> Result<QttPolicy> {
    let n = p.points();
    let pe = PointEval {
        model,
        prices,
        p,
        x,
    };
    let u = &model.utility;
    // Consumption and utility on the backward difference (c_B; c_F is its
    // shift), from batches of the slope train. Consumption at the slope
    // train's tolerance: near a zero of the drift
    // it carries the slopes' noise, and `V` depends on it at second order
    // only (envelope theorem), as long as utility and drift see the same
    // consumption: the utility is `u` of the compressed `c_B`, at the full
    // tolerance. (Utility and consumption crossed separately from the
    // slopes left a first-order mismatch: Aiyagari on 2^18 points, `c` at
    // rank 55 and `V` 16; consistent, 37 and 13; at `slope_tol`, 19 and 13,
    // the excess equal to the banded LU's to 3e-12 in each case.)
    let cb = cross_points(
        p.bits as usize,
        p.states,
        &o.compression(o.slope_tol.max(o.tol)),
        |ws| {
            Ok(pe
                .dv_backward(ws)?
                .into_iter()
                .map(|dv| u.consumption(dv.max(DV_FLOOR)))
                .collect())
        },
    )?;
    let ub = cross_points(p.bits as usize, p.states, &o.compression(o.tol), |ws| {
        Ok(cb.eval_fibers(ws)?.into_iter().map(|c| u.u(c)).collect())
    })?;
    // The forward values at the top point, which the scheme never uses
    // (no saving at amax): continued by the backward ones there. The state
    // constraint's value is unbounded where resources at amax are not
    // positive (Aiyagari at r = -0.04: u = -1e10), and a rounding relative
    // to such a norm left errors of 1e-4 in every other utility.
    let top = |t: &TensorTrain| -> Result<TensorTrain> {
        let v = t.eval_fibers(&[n - 1])?;
        let mut e = TensorTrain::basis_state(&vec![2; p.bits as usize], &bit_index(n - 1, p.bits))?
            .into_cores();
        e.push(Core::new(1, p.states, 1, v)?);
        TensorTrain::new(e)
    };
    let shift = |t: &TensorTrain| p.shift.apply_exact(t);
    let cf = round(&shift(&cb)?.add(&top(&cb)?)?, o)?;
    let uf = round(&shift(&ub)?.add(&top(&ub)?)?, o)?;
    let mut fwd = Vec::with_capacity(p.states);
    let mut bwd = Vec::with_capacity(p.states);
    // The upwind choice from the compressed consumption, the one the
    // drifts and the utility use (a choice from the raw slopes disagreed
    // with the drifts in sign next to a zero of the drift).
    let sides = |ws: &[u64]| -> Result<Vec<Side>> {
        let (sf, sb) = drifts_of(y, &cb, ws)?;
        Ok((0..sf.len())
            .map(|k| {
                let i = ws[k / p.states];
                side(sf[k], sb[k], i == 0, i + 1 == n)
            })
            .collect())
    };
    for j in 0..p.states {
        let sides = &sides;
        let is = |want: Side| {
            move |ws: &[u64]| -> Result<Vec<bool>> {
                let sides = sides(ws)?;
                Ok((0..ws.len())
                    .map(|t| sides[t * p.states + j] == want)
                    .collect())
            }
        };
        let f = intervals_where(n, o.switch_samples, &is(Side::Forward))?;
        let b = intervals_where(n, o.switch_samples, &is(Side::Backward))?;
        fwd.push(f);
        bwd.push(b);
    }
    let zero: Vec<Intervals> = (0..p.states)
        .map(|j| complement(n, &fwd[j], &bwd[j]))
        .collect();
    let (i_f, i_b, i_0) = (
        indicator(p, &fwd)?,
        indicator(p, &bwd)?,
        indicator(p, &zero)?,
    );
    // Utility of consuming the resources, needed where the drift is zero:
    // floored at the least resources there (linear in wealth, so at an end
    // of an interval), not at a fixed small number, whose utility (-1000 at
    // 1e-3 and gamma = 2, wherever resources are negative) would set the
    // scale of the rounding.
    let least = zero
        .iter()
        .enumerate()
        .flat_map(|(j, ivs)| ivs.iter().flat_map(move |&(lo, hi)| [(lo, j), (hi - 1, j)]))
        .map(|(i, j)| pe.y(i, j))
        .fold(f64::INFINITY, f64::min);
    let uy = if least.is_finite() && least > 0.0 {
        approximate(p, o, &|i, j| u.u(pe.y(i, j).max(least)))?
    } else {
        TensorTrain::zeros(&p.modes())?
    };
    let consumption = round(
        &i_f.hadamard(&cf)?
            .add(&i_b.hadamard(&cb)?)?
            .add(&i_0.hadamard(y)?)?,
        o,
    )?;
    let utility = round(
        &i_f.hadamard(&uf)?
            .add(&i_b.hadamard(&ub)?)?
            .add(&i_0.hadamard(&uy)?)?,
        o,
    )?;
    Ok(QttPolicy {
        backward_consumption: cb,
        resources: y.clone(),
        consumption,
        utility,
        forward_at: fwd,
        backward_at: bwd,
    })
}

impl QttPolicy {
    /// The forward and backward drifts at `ws`, `J` per point: `s_F = y_i -
    /// c_B(i + 1)` where the forward difference is used, `s_B = y_i -
    /// c_B(i)` where the backward one is, zero elsewhere. Point by point
    /// from the compressed consumption, so that drift and utility see the
    /// same `c`: trains of the drifts, rounded relative to both income
    /// states together, carried rounding noise at the scale of the larger
    /// state's drifts into the reduction's rate components (per state, at
    /// their own scale), which resolved it (Aiyagari, `2^20` points: the
    /// low-income state's rate at rank 123, `V` at 138, divergence).
    fn drifts(&self, ws: &[u64]) -> Result<(Vec<f64>, Vec<f64>)> {
        let j = self.forward_at.len();
        let (mut forward, mut backward) =
            drifts_of(&self.resources, &self.backward_consumption, ws)?;
        for (q, &w) in ws.iter().enumerate() {
            for a in 0..j {
                if !contains(&self.forward_at[a], w) {
                    forward[q * j + a] = 0.0;
                }
                if !contains(&self.backward_at[a], w) {
                    backward[q * j + a] = 0.0;
                }
            }
        }
        Ok((forward, backward))
    }
}

/// `s_F = y_i - c_B(i + 1)` and `s_B = y_i - c_B(i)` at `ws`, `J` per point,
/// from the resources `y` and the consumption `cb` (`c_B(n)` is taken as
/// `c_B(n - 1)`; the scheme never saves at the top).
fn drifts_of(y: &TensorTrain, cb: &TensorTrain, ws: &[u64]) -> Result<(Vec<f64>, Vec<f64>)> {
    let n = 1u64 << (y.len() - 1);
    let j = y.modes()[y.len() - 1];
    let next: Vec<u64> = ws.iter().map(|&w| (w + 1).min(n - 1)).collect();
    let yv = y.eval_fibers(ws)?;
    let (c0, c1) = (cb.eval_fibers(ws)?, cb.eval_fibers(&next)?);
    let forward = (0..ws.len() * j).map(|k| yv[k] - c1[k]).collect();
    let backward = (0..ws.len() * j).map(|k| yv[k] - c0[k]).collect();
    Ok((forward, backward))
}

fn rates(model: &Model) -> DMatrix<f64> {
    let j = model.states();
    DMatrix::from_fn(j, j, |a, b| model.rates[a][b])
}

/// The drifts at a batch of points, `J` per point: the rate to the right
/// neighbour `max(s, 0)` and to the left one `max(-s, 0)` (rates times `da`).
pub(super) type Upwind<'a> = dyn Fn(&[u64]) -> Result<(Vec<f64>, Vec<f64>)> + Sync + 'a;

/// The upwind rates of `pol`: forward drifts where it saves, backward ones
/// where it dissaves.
fn policy_rates(pol: &QttPolicy) -> impl Fn(&[u64]) -> Result<(Vec<f64>, Vec<f64>)> + Sync + '_ {
    move |ws: &[u64]| {
        let (fw, bw) = pol.drifts(ws)?;
        Ok((
            fw.into_iter().map(|s| s.max(0.0)).collect(),
            bw.into_iter().map(|s| (-s).max(0.0)).collect(),
        ))
    }
}

/// The fine-level coefficients of the reduction (see
/// `econ/reduction.rs`): the upwind rates `upwind`, the income
/// switching, the margin `margin` and the right-hand side `f` (`None`:
/// zero).
pub(super) fn fine_coefficients(
    model: &Model,
    p: &Pieces,
    o: &QttOptions,
    upwind: &Upwind,
    margin: f64,
    f: Option<&TensorTrain>,
) -> Result<Components> {
    let lay = Layout { j: p.states };
    let (j, k) = (lay.j, lay.k());
    let rates = rates(model);
    Components::compress(p.bits as usize, k, &o.compression(o.tol), |ws| {
        let (right, left) = upwind(ws)?;
        let rhs = match f {
            Some(f) => f.eval_fibers(ws)?,
            None => vec![0.0; ws.len() * j],
        };
        let mut out = vec![0.0; ws.len() * k];
        for q in 0..ws.len() {
            let s = &mut out[q * k..(q + 1) * k];
            for a in 0..j {
                s[lay.pl(a, a)] = left[q * j + a];
                s[lay.pr(a, a)] = right[q * j + a];
                for c in 0..j {
                    if c != a {
                        s[lay.n(a, c)] = rates[(a, c)];
                    }
                }
                s[lay.d(a)] = margin;
                s[lay.f(a)] = rhs[q * j + a];
            }
        }
        Ok(out)
    })
}

/// The slope train `x` (`x_0 = V_0`, `x_i = sqrt(da) (V_i - V_{i-1}) / da`)
/// of the HJB step's solution `v`. Each slope is read from the HJB row that
/// uses it: `p_i = q_i / |s_B,i|` where point `i` dissaves,
/// `p_i = -q_(i-1) / s_F,(i-1)` where point `i - 1` saves, with
/// `q = f - (rho + 1/Delta) V + Lambda V`; its error is `eps_V / |s|`,
/// not the `eps_V / da` of differencing `V` (`2^40` points: `da ~ 5e-12`).
/// Edges no row uses are differenced.
fn slopes(
    model: &Model,
    p: &Pieces,
    o: &QttOptions,
    pol: &QttPolicy,
    f: &TensorTrain,
    v: &TensorTrain,
    margin: f64,
) -> Result<TensorTrain> {
    let j = p.states;
    let rates = rates(model);
    let q = |vv: &[f64], ff: &[f64], a: usize| -> f64 {
        let switching: f64 = (0..j).map(|c| rates[(a, c)] * (vv[c] - vv[a])).sum();
        ff[a] - margin * vv[a] + switching
    };
    // A row gives the slope to `eps |q| / |s|` with `|q| ~ (margin + switching) |V|`,
    // the difference to `eps |V| / da`: rows are used where the drift's
    // rate `|s| / da` exceeds `margin + switching` (at the points next to a
    // zero of the drift a row's slope carried errors up to 1e-5 relative).
    let switching = (0..j)
        .map(|a| {
            (0..j)
                .filter(|&c| c != a)
                .map(|c| rates[(a, c)])
                .sum::<f64>()
        })
        .fold(0.0f64, f64::max);
    let floor = p.da * (margin + switching);
    cross_points(
        p.bits as usize,
        j,
        &o.compression(o.slope_tol.max(o.tol)),
        |ws| {
            let prev: Vec<u64> = ws.iter().map(|&w| w.saturating_sub(1)).collect();
            let (v0, v1) = (v.eval_fibers(ws)?, v.eval_fibers(&prev)?);
            let (f0, f1) = (f.eval_fibers(ws)?, f.eval_fibers(&prev)?);
            let bw = pol.drifts(ws)?.1;
            let fw = pol.drifts(&prev)?.0;
            let mut out = vec![0.0; ws.len() * j];
            for (t, &w) in ws.iter().enumerate() {
                let r = t * j..(t + 1) * j;
                for a in 0..j {
                    out[t * j + a] = if w == 0 {
                        v0[t * j + a]
                    } else if contains(&pol.backward_at[a], w) && -bw[t * j + a] > floor {
                        p.sda * q(&v0[r.clone()], &f0[r.clone()], a) / -bw[t * j + a]
                    } else if contains(&pol.forward_at[a], w - 1) && fw[t * j + a] > floor {
                        -p.sda * q(&v1[r.clone()], &f1[r.clone()], a) / fw[t * j + a]
                    } else {
                        (v0[t * j + a] - v1[t * j + a]) / p.sda
                    };
                }
            }
            Ok(out)
        },
    )
}

/// The stationary KFE's residual `max |(A^T g)_i| / (max |A_ii| max g)`
/// (the finite-difference backend's measure, `A` the policy's generator),
/// at every point of grids of at most `2^dense_bits` points, else at 4096
/// random points, both ends and the points around every switch of the
/// upwind choice (where a truncation error would show first). Point
/// evaluation costs `O(points L r^2)`; the residual as a train would need
/// products of rank `r_s r_g ~ 10^3` and their rounding.
fn kfe_residual(
    model: &Model,
    p: &Pieces,
    o: &QttOptions,
    pol: &QttPolicy,
    pi: &TensorTrain,
) -> Result<f64> {
    let n = p.points();
    let ws: Vec<u64> = if p.bits <= o.dense_bits {
        (0..n).collect()
    } else {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x6b6665);
        let mut v: Vec<u64> = (0..4096).map(|_| rng.random_range(0..n)).collect();
        v.extend([0, n - 1]);
        for ivs in pol.forward_at.iter().chain(&pol.backward_at) {
            for &(lo, hi) in ivs {
                for e in [lo, hi] {
                    v.extend((e.saturating_sub(1)..=e + 1).filter(|&w| w < n));
                }
            }
        }
        v.sort_unstable();
        v.dedup();
        v
    };
    let j = p.states;
    let rates = rates(model);
    let prev: Vec<u64> = ws.iter().map(|&w| w.saturating_sub(1)).collect();
    let next: Vec<u64> = ws.iter().map(|&w| (w + 1).min(n - 1)).collect();
    let (pi0, pim, pip) = (
        pi.eval_fibers(&ws)?,
        pi.eval_fibers(&prev)?,
        pi.eval_fibers(&next)?,
    );
    let ((f0, b0), fm, bn) = (pol.drifts(&ws)?, pol.drifts(&prev)?.0, pol.drifts(&next)?.1);
    let (mut worst, mut diag, mut top) = (0.0f64, 0.0f64, 0.0f64);
    for (t, &w) in ws.iter().enumerate() {
        for a in 0..j {
            let q = t * j + a;
            let others = (0..j).filter(|&c| c != a);
            // Outflow of (w, a): the drift (s_F - s_B >= 0) / da and switching.
            let out = (f0[q].max(0.0) - b0[q].min(0.0)) / p.da
                + others.clone().map(|c| rates[(a, c)]).sum::<f64>();
            let mut r = -out * pi0[q] + others.map(|c| rates[(c, a)] * pi0[t * j + c]).sum::<f64>();
            if w > 0 {
                r += fm[q].max(0.0) / p.da * pim[q];
            }
            if w + 1 < n {
                r += (-bn[q]).max(0.0) / p.da * pip[q];
            }
            worst = worst.max(r.abs());
            diag = diag.max(out);
            top = top.max(pi0[q].abs());
        }
    }
    Ok(worst / (diag * top).max(f64::MIN_POSITIVE))
}

/// Policy iteration's result: the grid pieces, resources, `V` and its
/// slope train, one report per iteration.
struct Iterated {
    p: Pieces,
    y: TensorTrain,
    v: TensorTrain,
    x: TensorTrain,
    reports: Vec<IterationReport>,
}

/// Policy iteration on `model`'s grid. Above `2^(coarse_bits + 1)`
/// points it starts from the solution on a grid four times coarser
/// (slopes and `V` interpolated linearly): a cold start spends its
/// first iterations on policies far from the solution, whose fields need
/// the rank cap.
fn iterate(
    model: &Model,
    prices: &Prices,
    opts: &SolveOptions,
    warm: Option<(&TensorTrain, Option<&TensorTrain>)>,
) -> Result<Iterated> {
    let start = Instant::now();
    let o = &opts.qtt;
    let p = Pieces::new(model)?;
    let y = approximate(&p, o, &|i, j| {
        model
            .resources(prices, model.wealth(i), j)
            .unwrap_or(f64::NAN)
    })?;
    if !y
        .cores()
        .iter()
        .all(|c| c.data().iter().all(|v| v.is_finite()))
    {
        return Err(Error::NonFinite(format!(
            "resources at prices {:?} are not finite on the grid",
            prices.values
        )));
    }
    let lay = Layout { j: p.states };
    // x from V: x_0 = V_0, x_i = (V_i - V_{i-1}) / sqrt(da), evaluated by
    // cross from V's values (cancellation costs digits only in the start).
    let differenced = |v: &TensorTrain| {
        approximate(&p, o, &|i, j| {
            let vi = v.eval_unchecked(&p.index(i, j));
            if i == 0 {
                vi
            } else {
                (vi - v.eval_unchecked(&p.index(i - 1, j))) / p.sda
            }
        })
    };
    let (mut v, mut x) = if let Some((w, wx)) = warm {
        let x = match wx {
            Some(x) => x.clone(),
            None => differenced(w)?,
        };
        (w.clone(), x)
    } else if p.bits > o.coarse_bits + 1 {
        let cm = model.with_bits(p.bits - 2)?;
        let coarse = iterate(&cm, prices, opts, None)?;
        let cp = &coarse.p;
        // Linear interpolation in wealth of the coarse slopes and values
        // (piecewise constant ones make the first fine policy a staircase
        // of rank ~80).
        let locate = |i: u64| -> (u64, f64) {
            let t = (model.wealth(i) - model.amin) / cp.da;
            let k = (t.floor().max(0.0) as u64).min(cp.points() - 2);
            (k, (t - k as f64).clamp(0.0, 1.0))
        };
        // `coarse`'s train at the fine points `ws`, interpolated, times
        // `factor` (the point 0 from `at_zero` when set).
        let interpolate =
            |t: &TensorTrain, ws: &[u64], factor: f64, at_zero: Option<&TensorTrain>| {
                let (ks, weights): (Vec<u64>, Vec<f64>) = ws.iter().map(|&i| locate(i)).unzip();
                let lo: Vec<u64> = ks
                    .iter()
                    .map(|&k| if at_zero.is_some() { k.max(1) } else { k })
                    .collect();
                let hi: Vec<u64> = ks.iter().map(|&k| k + 1).collect();
                let (a, b) = (t.eval_fibers(&lo)?, t.eval_fibers(&hi)?);
                let zero = match at_zero {
                    Some(v) => v.eval_fibers(&[0])?,
                    None => vec![0.0; p.states],
                };
                let j = p.states;
                Ok(ws
                    .iter()
                    .enumerate()
                    .flat_map(|(q, &i)| {
                        let (a, b, zero, w) = (&a, &b, &zero, weights[q]);
                        (0..j).map(move |c| {
                            if i == 0 && at_zero.is_some() {
                                zero[c]
                            } else {
                                factor * ((1.0 - w) * a[q * j + c] + w * b[q * j + c])
                            }
                        })
                    })
                    .collect())
            };
        let c = o.compression(o.tol);
        let xf = cross_points(p.bits as usize, p.states, &c, |ws| {
            interpolate(&coarse.x, ws, p.sda / cp.sda, Some(&coarse.v))
        })?;
        let vf = cross_points(p.bits as usize, p.states, &c, |ws| {
            interpolate(&coarse.v, ws, 1.0, None)
        })?;
        (vf, xf)
    } else {
        // Start: V = u(y) / rho, as the finite-difference backend.
        let v = approximate(&p, o, &|i, j| {
            let v = model
                .resources(prices, model.wealth(i), j)
                .unwrap_or(f64::NAN);
            model.utility.u(v.max(1e-3)) / model.rho
        })?;
        let x = differenced(&v)?;
        (v, x)
    };
    let margin = model.rho + 1.0 / opts.delta;
    let mut reports = Vec::new();
    let mut converged = false;
    for it in 1..=opts.max_iterations {
        // Every step at the full tolerance: an inexact policy iteration
        // (steps truncated at 1e-3 of the last change, as seed 000's
        // section 6 proposes) flips the upwind choice where the drift is
        // near zero and did not converge on 2^10 points (changes ~1 from
        // iteration 5 on), where the exact one converges in 11 iterations.
        let pol = policy(model, prices, &p, o, &x, &y)?;
        let f = round(&pol.utility.add(&v.scaled(1.0 / opts.delta))?, o)?;
        let fine = fine_coefficients(model, &p, o, &policy_rates(&pol), margin, Some(&f))?;
        let red = Reduction::new(lay, fine, p.da, o.compression(o.tol), Rhs::Columns, 0)?;
        let vn = round(&red.solve()?, o)?;
        log::debug!(
            target: "qtt::econ",
            "HJB step {it}: upwind intervals F {:?} B {:?}; ranks f {} coefficients {} (levels <= {:?}) V {} x {}",
            pol.forward_at.iter().map(|v| v.len()).collect::<Vec<_>>(),
            pol.backward_at.iter().map(|v| v.len()).collect::<Vec<_>>(),
            f.max_rank(),
            red.ranks()[0],
            red.ranks().iter().max(),
            vn.max_rank(),
            x.max_rank()
        );
        let xn = slopes(model, &p, o, &pol, &f, &vn, margin)?;
        let vnorm = vn.norm().max(1e-300);
        let change = vn.sub(&v)?.norm() / vnorm;
        if !change.is_finite() {
            return Err(Error::Numerical(format!(
                "HJB (QTT): V is not finite in iteration {it}; change history {:?}",
                reports
                    .iter()
                    .map(|r: &IterationReport| r.change)
                    .collect::<Vec<_>>()
            )));
        }
        x = xn;
        v = vn;
        reports.push(IterationReport {
            iteration: it,
            change,
            max_rank: v.max_rank(),
            seconds: start.elapsed().as_secs_f64(),
        });
        opts.report(Progress::Hjb {
            iteration: it,
            change,
            max_rank: v.max_rank(),
        });
        if change <= opts.hjb_tol {
            converged = true;
            break;
        }
        if let Some(why) = stalled(&reports, opts) {
            return Err(Error::Numerical(format!(
                "HJB (QTT): policy iteration stalled in iteration {it}: {why}; change history {:?}",
                reports.iter().map(|r| r.change).collect::<Vec<_>>()
            )));
        }
    }
    if !converged {
        return Err(Error::Numerical(format!(
            "HJB (QTT): policy iteration did not converge in {} iterations; change history {:?}",
            opts.max_iterations,
            reports.iter().map(|r| r.change).collect::<Vec<_>>()
        )));
    }
    Ok(Iterated {
        p,
        y,
        v,
        x,
        reports,
    })
}

/// Why the iteration should stop: its change rose 300x above a best
/// below 1e-5, or the last `STALL_WINDOW` changes all lie within a factor 2 of
/// their largest and below `STALL_CEILING` times the compression
/// tolerance (the compressed iteration then moves by its truncation
/// noise, or chatters between policies, and will not reach `hjb_tol`).
/// Converging iterations shrink the change 10-50x per step, so neither
/// test catches them.
fn stalled(reports: &[IterationReport], opts: &SolveOptions) -> Option<String> {
    const STALL_WINDOW: usize = 6;
    const STALL_CEILING: f64 = 1e5;
    // Once the change has been below 1e-5, a change 300x above it is
    // divergence: on 2^20 points at r = 0.0049 the compressed iteration
    // went 1.7e-7, 1.3e-6, 1.3e-6, 1.6e-4, ..., 0.18 with its upwind
    // intervals multiplying and the fields at the rank cap, until the
    // products of indicators and fields ran out of memory (9.6 GB); at
    // r = 0.004867 with `tol` 1e-14 it went 5.2e-6, 1.7e-7, 3.0e-6, 1.0e-4
    // with the intervals fixed (one switch point) and the slope train and
    // the right-hand side at the rank cap from the first fine iteration.
    // (Far from the solution a warm start may legitimately go 0.33,
    // 1.5e-3, 0.037, 0.16 and then converge.)
    let best = reports
        .iter()
        .map(|r| r.change)
        .fold(f64::INFINITY, f64::min);
    if let Some(last) = reports.last() {
        if best <= 1e-5 && last.change > 300.0 * best {
            return Some(format!(
                "the change of V rose to {:.1e} from {best:.1e} (diverging, V at rank {}, the cap \
                 QttOptions::max_rank is {}); on fine grids the consumption next to a zero of \
                 the drift carries the slopes' rounding noise, and where its sign flips between \
                 two of the QttOptions::switch_samples the fields run to the rank cap (Aiyagari \
                 on 2^20 points diverged with 65536 samples and converged with every point \
                 decided): raise switch_samples to the number of grid points if that fits, or \
                 use the finite-difference backend on grids that fit in memory (2^24 points)",
                last.change, last.max_rank, opts.qtt.max_rank
            ));
        }
    }
    let last = reports.get(reports.len().checked_sub(STALL_WINDOW)?..)?;
    let hi = last.iter().map(|r| r.change).fold(0.0f64, f64::max);
    let lo = last.iter().map(|r| r.change).fold(f64::INFINITY, f64::min);
    // Far above the compression's noise a flat stretch is the policy still
    // moving (Huggett on 2^12 points from a far price: changes 3.9e-4,
    // 3.3e-4, 3.0e-4, 3.0e-4, 2.8e-4, 1.9e-4, 8.4e-5, then 1e-13 seven
    // iterations later); below 1e5 times it, it is not (Aiyagari on 2^12
    // points at r = -0.04, its bracket's end, before the unused forward
    // utility at amax stopped setting the rounding's scale: 1.3e-8..2.7e-8
    // for 86 iterations, the upwind intervals and the ranks fixed).
    let noise = STALL_CEILING * opts.qtt.tol.max(opts.qtt.slope_tol);
    (hi <= noise && lo > 0.5 * hi).then(|| {
        format!(
            "the last {STALL_WINDOW} changes of V lie in [{lo:.1e}, {hi:.1e}] above hjb_tol = {:.0e}; \
             the compression (QttOptions::tol = {:.0e}, slope_tol = {:.0e}) limits how far V can \
             settle: tighten them or loosen hjb_tol",
            opts.hjb_tol, opts.qtt.tol, opts.qtt.slope_tol
        )
    })
}

/// How near a solved price must be for its value function to start a
/// solve on a grid that would otherwise start nested: the prices a nested
/// equilibrium evaluates on its finest grid lie within its coarse
/// grids' last step of each other (`~1e-4` for Huggett at `2^16` and
/// above), where a warm start takes 2-4 policy iterations.
const WARM_PRICE_GAP: f64 = 1e-3;

/// Solves the household's problem at `prices` in QTT format, starting
/// from `warm`'s value function when it is a QTT solution on the same grid
/// (an equilibrium passes the nearest price solved) and the grid is too
/// small for a nested start (at most `2^(coarse_bits + 1)` points). Before
/// the slopes next to a zero of the drift were differenced, a warm start
/// from r = 0 to r = 0.049 on 2^8 points made the compressed policy
/// iteration chatter (seed 000's section 7); now Huggett's equilibrium takes 2.9 s instead of
/// 4.1 s on 2^10 points and 10 s instead of 17 s on 2^12, with r*
/// unchanged to 1e-13 (30 s instead of 33 s on 2^14, where the nested
/// start is used now).
pub(crate) fn solve(
    model: &Model,
    prices: &Prices,
    opts: &SolveOptions,
    warm: Option<&HouseholdSolution>,
) -> Result<HouseholdSolution> {
    // The value function of the nearest price already solved on this grid,
    // where a cold start would not be nested or the price is near (a warm
    // start from a far price cost more than the nested start: 341 s
    // against 93 s for one solve on 2^20 points).
    let near = |w: &HouseholdSolution| {
        w.prices
            .values
            .iter()
            .zip(&prices.values)
            .all(|(a, b)| (a - b).abs() <= WARM_PRICE_GAP)
    };
    let warm = match warm {
        Some(
            w @ HouseholdSolution {
                value: Field::Qtt { tt, bits },
                ..
            },
        ) if *bits == model.bits && (model.bits <= opts.qtt.coarse_bits + 1 || near(w)) => {
            Some((tt, w.slopes.as_ref()))
        }
        _ => None,
    };
    let start = Instant::now();
    let o = &opts.qtt;
    let Iterated {
        p,
        y,
        v,
        x,
        reports,
    } = iterate(model, prices, opts, warm)?;
    let n = p.points();
    let lay = Layout { j: p.states };
    let pol = policy(model, prices, &p, o, &x, &y)?;
    // Stationary distribution: the masses pi = g da of the generator's
    // censored chains, non-negative by construction, sum 1.
    let fine = fine_coefficients(model, &p, o, &policy_rates(&pol), 0.0, None)?;
    // Seeded at a zero of some state's drift: with irreducible income
    // switching every such point is visited (the borrowing limit is not
    // when every state saves there).
    let sink = (0..p.states)
        .filter_map(|j| {
            complement(n, &pol.forward_at[j], &pol.backward_at[j])
                .first()
                .map(|iv| iv.0)
        })
        .min()
        .unwrap_or(0);
    let pi =
        Reduction::new(lay, fine, p.da, o.compression(o.tol), Rhs::Rows, sink)?.stationary()?;
    let kfe_res = kfe_residual(model, &p, o, &pol, &pi)?;
    if kfe_res.is_nan() || kfe_res >= 1e-8 {
        return Err(Error::Numerical(format!(
            "KFE (QTT): the stationary masses leave a relative residual {kfe_res:.1e} \
             (a wealth point where every income state has zero drift is absorbing, and \
             the reduction does not handle it)"
        )));
    }
    let mass = pi.sum();
    let g = pi.scaled(1.0 / p.da);
    // Aggregate: sum f g da = f^T pi.
    let (clearing, target) = model.clearing_parts(prices)?;
    let f = approximate(&p, o, &|i, j| {
        model
            .integrand(&clearing, prices, model.wealth(i), j)
            .unwrap_or(f64::NAN)
    })?;
    let aggregate = f.dot(&pi)?;
    let at0 = pi.eval_fibers(&[0])?;
    let mass_at_limit = (0..p.states).map(|j| at0[j]).collect();
    // The smallest density: every point of small grids, else samples.
    let field_g = Field::Qtt {
        tt: g,
        bits: p.bits,
    };
    let min_density = (0..p.states)
        .flat_map(|j| field_g.sample(n, j, 4097.min(n as usize)))
        .map(|(_, v)| v)
        .fold(f64::INFINITY, f64::min);
    opts.report(Progress::Kfe {
        residual: kfe_res,
        mass,
    });
    let savings = round(&y.sub(&pol.consumption)?, o)?;
    Ok(HouseholdSolution {
        prices: prices.clone(),
        value: Field::Qtt {
            tt: v,
            bits: p.bits,
        },
        consumption: Field::Qtt {
            tt: pol.consumption,
            bits: p.bits,
        },
        savings: Field::Qtt {
            tt: savings,
            bits: p.bits,
        },
        density: field_g,
        aggregate,
        target,
        excess: aggregate - target,
        mass,
        min_density,
        mass_at_limit,
        hjb: reports,
        kfe_residual: kfe_res,
        smoothing: None,
        seconds: start.elapsed().as_secs_f64(),
        slopes: Some(x),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One HJB step of Huggett's economy on `2^bits` points for a fixed
    /// policy: saving below a zero of the drift and dissaving above in
    /// state 0, saving everywhere in state 1; `V = u(y) / rho`.
    struct SinkStep {
        model: Model,
        p: Pieces,
        o: QttOptions,
        pol: QttPolicy,
        f: TensorTrain,
        fine: Components,
        margin: f64,
    }

    fn sink_step(bits: u32) -> SinkStep {
        use crate::econ::HuggettParams;
        let model = HuggettParams::default().model(1 << bits).unwrap();
        let prices = model.prices(&[0.03]).unwrap();
        let o = QttOptions::default();
        let p = Pieces::new(&model).unwrap();
        let res = |i: u64, j: usize| model.resources(&prices, model.wealth(i), j).unwrap();
        let y = approximate(&p, &o, &res).unwrap();
        let uy = approximate(&p, &o, &|i, j| model.utility.u(res(i, j))).unwrap();
        let v = uy.scaled(1.0 / model.rho);
        let x = approximate(&p, &o, &|i, j| {
            if i == 0 {
                v.eval_unchecked(&p.index(0, j))
            } else {
                let c = 0.05 + 0.02 * j as f64 + 0.05 * model.wealth(i);
                model.utility.marginal(c) * p.sda
            }
        })
        .unwrap();
        let pol = policy(&model, &prices, &p, &o, &x, &y).unwrap();
        let margin = model.rho + 1e-3;
        let f = round(&pol.utility.add(&v.scaled(1e-3)).unwrap(), &o).unwrap();
        let fine =
            fine_coefficients(&model, &p, &o, &policy_rates(&pol), margin, Some(&f)).unwrap();
        SinkStep {
            model,
            p,
            o,
            pol,
            f,
            fine,
            margin,
        }
    }

    /// One HJB step and its slopes, by the reduction and by a dense solve
    /// of the same upwind matrix.
    #[test]
    fn reduction_steps_equal_dense_solves_of_the_same_policy() {
        let SinkStep {
            model,
            p,
            o,
            pol,
            f,
            fine,
            margin,
        } = sink_step(6);
        let lay = Layout { j: 2 };
        let vq = Reduction::new(lay, fine, p.da, o.compression(1e-14), Rhs::Columns, 0)
            .unwrap()
            .solve()
            .unwrap();
        // Dense: rows (i, j) -> 2 i + j.
        let n = 64usize;
        let mut a = DMatrix::<f64>::zeros(2 * n, 2 * n);
        let mut b = nalgebra::DVector::<f64>::zeros(2 * n);
        let rates = rates(&model);
        for i in 0..n {
            for j in 0..2 {
                let idx = p.index(i as u64, j);
                let (sf, sb) = pol.drifts(&[i as u64]).unwrap();
                let (sf, sb) = (sf[j], sb[j]);
                let r = 2 * i + j;
                a[(r, r)] += margin - rates[(j, j)];
                let sf = if contains(&pol.forward_at[j], i as u64) {
                    sf
                } else {
                    0.0
                };
                let sb = if contains(&pol.backward_at[j], i as u64) {
                    sb
                } else {
                    0.0
                };
                a[(r, r)] += (sf - sb) / p.da;
                if sf > 0.0 {
                    a[(r, r + 2)] -= sf / p.da;
                }
                if sb < 0.0 {
                    a[(r, r - 2)] += sb / p.da;
                }
                a[(r, 2 * i + 1 - j)] -= rates[(j, 1 - j)];
                b[r] = f.eval_unchecked(&idx);
            }
        }
        let exact = a.clone().lu().solve(&b).unwrap();
        for i in 0..n {
            let got = vq.eval_fibers(&[i as u64]).unwrap();
            for j in 0..2 {
                let want = exact[2 * i + j];
                assert!(
                    (got[j] - want).abs() < 1e-11 * want.abs(),
                    "V at {i} {j}: {} vs {want}",
                    got[j]
                );
            }
        }
        // The slopes read from the HJB rows equal the differences of V.
        let xs = slopes(&model, &p, &o, &pol, &f, &vq, margin).unwrap();
        for i in 1..n {
            let got = xs.eval_fibers(&[i as u64]).unwrap();
            for j in 0..2 {
                let want = (exact[2 * i + j] - exact[2 * i - 2 + j]) / p.sda;
                assert!(
                    (got[j] - want).abs() < 1e-8 * want.abs(),
                    "x at {i} {j}: {} vs {want}",
                    got[j]
                );
            }
        }
    }

    /// Stopping rules: divergence after the change was small, a stall of
    /// six similar changes; neither for converging histories (including
    /// a warm start's early rise).
    #[test]
    fn stalls_and_divergence_are_told_from_convergence() {
        let history = |changes: &[f64]| -> Vec<IterationReport> {
            changes
                .iter()
                .enumerate()
                .map(|(i, &change)| IterationReport {
                    iteration: i + 1,
                    change,
                    max_rank: 12,
                    seconds: 0.0,
                })
                .collect()
        };
        let opts = SolveOptions::default();
        // The 2^20 run at r = 0.0049, stopped at 1.6e-4 instead of 0.18.
        let rising = history(&[5.2e-6, 1.7e-7, 1.3e-6, 1.3e-6]);
        assert!(stalled(&rising, &opts).is_none());
        let diverging = history(&[5.2e-6, 1.7e-7, 1.3e-6, 1.3e-6, 1.6e-4]);
        assert!(stalled(&diverging, &opts).unwrap().contains("diverging"));
        let flat = history(&[
            1e-3, 1e-6, 1.0e-11, 1.01e-11, 1.0e-11, 1.02e-11, 1.0e-11, 1.01e-11,
        ]);
        assert!(stalled(&flat, &opts).unwrap().contains("QttOptions::tol"));
        for ok in [
            &[0.33, 1.5e-3, 0.037, 0.16, 2e-3, 4e-5, 1e-6][..],
            // Huggett on 2^12 points at r = 0.0269 (the cold start of a
            // 2^14 solve): the policy still moving, converged seven
            // iterations later.
            &[
                6.6e-5, 5.7e-6, 9.3e-5, 8.0e-5, 6.7e-5, 7.6e-5, 8.5e-5, 7.2e-5, 3.9e-5,
            ][..],
            &[4.8e-5, 1.5e-6, 4.6e-8, 1.2e-9, 3e-11][..],
        ] {
            assert!(stalled(&history(ok), &opts).is_none(), "{ok:?}");
        }
    }

    /// The slope floor: where the drift's rate `|s| / da` is below
    /// `margin + switching`, a row's slope `q / |s|` would carry the
    /// rounding of `q` divided by `|s|`; the slope is the difference of V
    /// there. A policy
    /// whose backward drift at one point is 1e-13 (rounding of q ~ 1e-16
    /// would become ~1e-3 of the slope) keeps its slope to 1e-8 of the
    /// dense solve's difference.
    #[test]
    fn slopes_next_to_a_vanishing_drift_are_differences() {
        let SinkStep {
            model,
            p,
            o,
            mut pol,
            f,
            margin,
            ..
        } = sink_step(6);
        let n = 64u64;
        let i0 = (2..n)
            .find(|&i| contains(&pol.backward_at[0], i) && contains(&pol.backward_at[0], i - 1))
            .expect("a dissaving point");
        let idx = p.index(i0, 0);
        // c_B = y + 1e-13 there, so s_B = -1e-13.
        let old = pol.backward_consumption.eval_unchecked(&idx);
        let y = pol.resources.eval_unchecked(&idx);
        let tiny = -1e-13;
        let spike = TensorTrain::basis_state(&p.modes(), &idx)
            .unwrap()
            .scaled(y - tiny - old);
        pol.backward_consumption = pol.backward_consumption.add(&spike).unwrap();
        let sb = pol.drifts(&[i0]).unwrap().1[0];
        assert!(sb < 0.0 && sb > -(p.da * margin), "{sb}");
        let fine =
            fine_coefficients(&model, &p, &o, &policy_rates(&pol), margin, Some(&f)).unwrap();
        let vq = Reduction::new(
            Layout { j: 2 },
            fine,
            p.da,
            o.compression(1e-14),
            Rhs::Columns,
            0,
        )
        .unwrap()
        .solve()
        .unwrap();
        let xs = slopes(&model, &p, &o, &pol, &f, &vq, margin).unwrap();
        let v = |i: u64| vq.eval_unchecked(&p.index(i, 0));
        let want = (v(i0) - v(i0 - 1)) / p.sda;
        let got = xs.eval_unchecked(&idx);
        assert!(
            (got - want).abs() < 1e-8 * want.abs(),
            "slope at {i0}: {got} vs {want}"
        );
    }

    /// The reduction's levels stay near the ranks of the exact coefficients
    /// (at most 29 per component at 2^14 for this policy) instead of resolving
    /// truncation noise (71 for all sixteen together when they shared one
    /// scale, 44 at their own scales).
    #[test]
    fn reduction_ranks_stay_bounded_as_the_grid_grows() {
        for bits in [10u32, 14] {
            let SinkStep { p, o, fine, .. } = sink_step(bits);
            for (dense_bits, bound) in [(0, 32), (16, 32)] {
                let c = QttOptions {
                    dense_bits,
                    ..o.clone()
                }
                .compression(o.tol);
                let red = Reduction::new(Layout { j: 2 }, fine.clone(), p.da, c, Rhs::Columns, 0)
                    .unwrap();
                let vq = red.solve().unwrap();
                let worst = red.ranks().into_iter().max().unwrap();
                assert!(worst <= bound, "2^{bits}: level ranks {:?}", red.ranks());
                assert!(vq.max_rank() <= 30, "2^{bits}: V rank {}", vq.max_rank());
            }
        }
    }

    #[test]
    fn prefix_indicator_is_exact() {
        for k in [0u64, 1, 5, 8, 15, 16] {
            let t = prefix_indicator(4, k).unwrap();
            for i in 0..16u64 {
                let v = t.eval(&bit_index(i, 4)).unwrap();
                assert_eq!(v, if i < k { 1.0 } else { 0.0 }, "k {k} i {i}");
            }
        }
    }

    #[test]
    fn intervals_found_by_bisection() {
        let batch = |p: fn(u64) -> bool| move |ws: &[u64]| Ok(ws.iter().map(|&i| p(i)).collect());
        let pred = |i: u64| (3..17).contains(&i) || (40..41).contains(&i) || i >= 60;
        // Every point sampled.
        assert_eq!(
            intervals_where(64, 64, &batch(pred)).unwrap(),
            vec![(3, 17), (40, 41), (60, 64)]
        );
        // Coarse samples still find the wide intervals' ends exactly.
        let wide = |i: u64| (3..1700).contains(&i) || i >= 60_000;
        assert_eq!(
            intervals_where(1 << 16, 64, &batch(wide)).unwrap(),
            vec![(3, 1700), (60_000, 1 << 16)]
        );
        assert_eq!(
            complement(64, &vec![(3, 17)], &vec![(20, 64)]),
            vec![(0, 3), (17, 20)]
        );
    }
}
