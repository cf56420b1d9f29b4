//! The QTT backend: the same implicit upwind scheme as
//! [`finite_difference`](super::finite_difference), with every grid
//! function a tensor train over the wealth bits (most significant first)
//! and a last mode for the income state, and the implicit matrices as MPOs.
//!
//! **Why the unknown is the slope of `V`.** `V` itself cannot be
//! differenced on a fine grid: `V ~ 100` and `V_a da ~ 1e-10` at `2^40`
//! points, so `(V_{i+1} - V_i) / da` keeps four digits. The HJB step is
//! solved for `x_0 = V_0`, `x_i = sqrt(da) (V_i - V_{i-1}) / da`, so that
//! the one-sided differences are exact shifts of `x` and `V = P x` with
//! `P = sqrt(da) T + (1 - sqrt(da)) 1 e_0^T` (`T` the lower-triangular
//! ones, rank 2). Scaling the rows by `sqrt(da)` the implicit operator is
//! `M = (da T + (sqrt(da) - da) 1 e_0^T) (x) ((rho + 1/Delta) I - Lambda)
//!  - diag(s_F^+) (S (x) I) - diag(s_B^-)`, every entry O(1) at any `L`
//! (the plain matrix `(rho + 1/Delta) I - A` has condition ~ 2^L).
//!
//! **The stationary distribution** in flux form: `da (T (x) I) A^T g = 0`
//! reads `-s_F^+ g - S (s_B^- g) + da (T (x) Lambda^T) g = 0` (the net flux
//! through each cell face equals the switching inflow below it), with the
//! unknown scaled as a mass at the borrowing limit (where the point mass
//! sits) and as `sqrt(da) g` elsewhere, and the one redundant equation
//! (the last row of the last income state, the total flux) bordered by the
//! mass `sum g da = 1`. No entry is pinned; the point mass survives at any
//! `L` because it is an unknown of its own scale.
//!
//! **Upwinding** is exact: the scheme's choice (forward, backward, zero
//! drift) is decided by [`scheme::side`](super::scheme::side) on the QTT's
//! values, its switch points located by sampling and bisection, and each
//! region is an exact interval indicator of rank 2 (no smoothing is needed
//! in one dimension: the policy has a handful of switch points). Points
//! between samples (`2^L / 4096` apart) where the choice flips and flips
//! back are not seen; on grids up to `2^12` points every point is decided.
//!
//! **Limits (measured, Huggett at r = 0.03).** The backend equals the
//! finite-difference one up to `2^10` points (29 s there, against
//! milliseconds). At `2^12` the Galerkin AMEn solve of `M x = b` stalls at
//! local residuals ~1e-4 from policy iteration 3 on (the first policy with
//! an interior zero-drift point), at truncation 1e-13 as well: in the
//! saving region the transport `diag(s_F) S` sits off the diagonal, so the
//! symmetric part of `M` is indefinite and projected systems can be near
//! singular. The unsolved residual then flips the upwind choice at dozens
//! of points (forward/backward intervals of a few cells), the indicators'
//! ranks grow and the iteration runs away. The normal equations converge
//! (residual 5e-13) but `M^T M` has MPO rank ~300 at `2^12`: 190 s per
//! policy iteration. A formulation whose transport part lands on the
//! diagonal with a definite symmetric part is the open work.

use super::equilibrium::{Progress, SolveOptions};
use super::scheme::{side, Side, DV_FLOOR};
use super::solution::{bit_index, Field, HouseholdSolution, IterationReport};
use super::{Model, Prices};
use crate::error::{Error, Result};
use crate::grid::{shift_forward, upper_triangular_ones, Boundary, Grid1d};
use crate::linalg::Truncation;
use crate::solve::{amen_solve, AmenOptions};
use crate::tt::{cross, Core, CrossMethod, CrossOptions, TensorTrain, TtMatrix};
use nalgebra::DMatrix;
use std::time::Instant;

/// Settings of the QTT backend.
#[derive(Debug, Clone, PartialEq)]
pub struct QttOptions {
    /// Relative truncation tolerance of every rounding and cross.
    pub tol: f64,
    /// Largest bond dimension of any field.
    pub max_rank: usize,
    /// The linear solver's settings (its `tol` is the solve's stopping
    /// tolerance).
    pub amen: AmenOptions,
    /// Sample points per income state when locating the switch points of
    /// the upwind choice.
    pub switch_samples: usize,
}

impl Default for QttOptions {
    fn default() -> Self {
        Self {
            tol: 1e-13,
            max_rank: 96,
            amen: AmenOptions {
                tol: 1e-13,
                max_rank: 96,
                enrichment_rank: 4,
                max_sweeps: 12,
                ..AmenOptions::default()
            },
            switch_samples: 4096,
        }
    }
}

/// Half-open intervals `[lo, hi)` of wealth indices.
type Intervals = Vec<(u64, u64)>;

/// The fixed pieces of one model's operators.
struct Pieces {
    bits: u32,
    states: usize,
    da: f64,
    sda: f64,
    /// `T (x) I_J`.
    lower: TtMatrix,
    /// `1 e_0^T (x) I_J`.
    first_column: TtMatrix,
    /// `S (x) I_J`.
    shift: TtMatrix,
}

fn with_income(m: &TtMatrix, f: DMatrix<f64>) -> Result<TtMatrix> {
    Ok(m.kron_sites(&TtMatrix::kron(&[f])?))
}

impl Pieces {
    fn new(model: &Model) -> Result<Self> {
        let bits = model.bits;
        let jn = model.states();
        let grid = Grid1d::new(model.amin, model.amax, bits)?;
        let lower_bits = upper_triangular_ones(bits, false)?.transpose();
        let col0 = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 1.0, 0.0]);
        let first = TtMatrix::kron(&vec![col0; bits as usize])?;
        let id = DMatrix::identity(jn, jn);
        Ok(Self {
            bits,
            states: jn,
            da: model.spacing(),
            sda: model.spacing().sqrt(),
            lower: with_income(&lower_bits, id.clone())?,
            first_column: with_income(&first, id.clone())?,
            shift: with_income(&shift_forward(&grid, Boundary::Zero)?, id)?,
        })
    }

    fn modes(&self) -> Vec<usize> {
        let mut m = vec![2; self.bits as usize];
        m.push(self.states);
        m
    }

    fn index(&self, i: u64, j: usize) -> Vec<usize> {
        let mut idx = bit_index(i, self.bits);
        idx.push(j);
        idx
    }

    fn points(&self) -> u64 {
        1u64 << self.bits
    }

    /// `V = P x`.
    fn value_map(&self) -> Result<TtMatrix> {
        let p = self
            .lower
            .scaled(self.sda)
            .add(&self.first_column.scaled(1.0 - self.sda))?;
        p.round(&Truncation::exact())
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
fn intervals_where(n: u64, samples: usize, pred: &dyn Fn(u64) -> bool) -> Intervals {
    let k = (samples.max(2) as u64).min(n);
    let at = |s: u64| -> u64 { ((n - 1) as u128 * s as u128 / (k - 1) as u128) as u64 };
    let mut out = Vec::new();
    let mut open: Option<u64> = None;
    let mut prev_i = 0u64;
    let mut prev = pred(0);
    if prev {
        open = Some(0);
    }
    for s in 1..k {
        let i = at(s);
        let cur = pred(i);
        if cur != prev {
            // First index in (prev_i, i] where the predicate equals `cur`.
            let (mut lo, mut hi) = (prev_i, i);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if pred(mid) == cur {
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
    out
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

/// Cross options for the element-wise maps of the backend.
fn cross_options(o: &QttOptions) -> CrossOptions {
    CrossOptions {
        tol: o.tol,
        max_rank: o.max_rank,
        method: CrossMethod::TwoSite,
        ..Default::default()
    }
}

/// The grid function `f(i, j)` as a QTT by cross approximation.
fn approximate(
    p: &Pieces,
    o: &QttOptions,
    f: &(dyn Fn(u64, usize) -> f64 + Sync),
) -> Result<TensorTrain> {
    let bits = p.bits as usize;
    let (tt, _) = cross(
        |idx: &[usize]| {
            let i = idx[..bits]
                .iter()
                .fold(0u64, |acc, &b| (acc << 1) | b as u64);
            f(i, idx[bits])
        },
        &p.modes(),
        &cross_options(o),
    )?;
    Ok(tt)
}

fn round(t: &TensorTrain, o: &QttOptions) -> Result<TensorTrain> {
    t.round(&Truncation::tol(o.tol)?.with_max_rank(o.max_rank)?)
}

/// The policy of slope vector `x`: drifts, consumption, utility, as QTTs.
struct QttPolicy {
    forward: TensorTrain,
    backward: TensorTrain,
    consumption: TensorTrain,
    utility: TensorTrain,
    forward_at_limit: Vec<bool>,
}

/// Evaluation of the slope train and resources at single points.
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
    /// `dV_B` at `(i, j)` (the state constraint at `i = 0`).
    fn dvb(&self, i: u64, j: usize) -> f64 {
        if i == 0 {
            self.model.utility.marginal(self.y(0, j))
        } else {
            self.x.eval_unchecked(&self.p.index(i, j)) / self.p.sda
        }
    }
    /// `dV_F` at `(i, j)` (the state constraint at the top).
    fn dvf(&self, i: u64, j: usize) -> f64 {
        let n = self.p.points();
        if i + 1 == n {
            self.model.utility.marginal(self.y(i, j).max(1e-10))
        } else {
            self.dvb(i + 1, j)
        }
    }
    fn side(&self, i: u64, j: usize) -> Side {
        let u = &self.model.utility;
        let y = self.y(i, j);
        let cf = u.consumption(self.dvf(i, j).max(DV_FLOOR));
        let cb = u.consumption(self.dvb(i, j).max(DV_FLOOR));
        side(y - cf, y - cb, i == 0, i + 1 == self.p.points())
    }
}

fn policy(
    model: &Model,
    prices: &Prices,
    p: &Pieces,
    o: &QttOptions,
    x: &TensorTrain,
    y: &TensorTrain,
    uy: &TensorTrain,
) -> Result<QttPolicy> {
    let n = p.points();
    let pe = PointEval {
        model,
        prices,
        p,
        x,
    };
    let u = &model.utility;
    // Consumption and utility on the backward difference (c_B; c_F is its shift).
    let cb = approximate(p, o, &|i, j| u.consumption(pe.dvb(i, j).max(DV_FLOOR)))?;
    let ub = approximate(p, o, &|i, j| u.u(u.consumption(pe.dvb(i, j).max(DV_FLOOR))))?;
    // The top point's forward values from the state constraint.
    let top = |f: &dyn Fn(f64) -> f64| -> Result<TensorTrain> {
        let v: Vec<f64> = (0..p.states)
            .map(|j| f(pe.y(n - 1, j).max(1e-10)))
            .collect();
        let mut e = TensorTrain::basis_state(&vec![2; p.bits as usize], &bit_index(n - 1, p.bits))?
            .into_cores();
        e.push(Core::new(1, p.states, 1, v)?);
        TensorTrain::new(e)
    };
    let shift = |t: &TensorTrain| p.shift.apply_exact(t);
    let cf = round(&shift(&cb)?.add(&top(&|c| c)?)?, o)?;
    let uf = round(&shift(&ub)?.add(&top(&|c| u.u(c))?)?, o)?;
    let mut fwd = Vec::with_capacity(p.states);
    let mut bwd = Vec::with_capacity(p.states);
    for j in 0..p.states {
        let f = intervals_where(n, o.switch_samples, &|i| pe.side(i, j) == Side::Forward);
        let b = intervals_where(n, o.switch_samples, &|i| pe.side(i, j) == Side::Backward);
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
    let sf = y.sub(&cf)?;
    let sb = y.sub(&cb)?;
    let forward = round(&i_f.hadamard(&sf)?, o)?;
    let backward = round(&i_b.hadamard(&sb)?, o)?;
    let consumption = round(
        &i_f.hadamard(&cf)?
            .add(&i_b.hadamard(&cb)?)?
            .add(&i_0.hadamard(y)?)?,
        o,
    )?;
    let utility = round(
        &i_f.hadamard(&uf)?
            .add(&i_b.hadamard(&ub)?)?
            .add(&i_0.hadamard(uy)?)?,
        o,
    )?;
    let forward_at_limit = fwd
        .iter()
        .map(|f| f.first().is_some_and(|iv| iv.0 == 0))
        .collect();
    Ok(QttPolicy {
        forward,
        backward,
        consumption,
        utility,
        forward_at_limit,
    })
}

fn rates(model: &Model) -> DMatrix<f64> {
    let j = model.states();
    DMatrix::from_fn(j, j, |a, b| model.rates[a][b])
}

/// The balanced HJB operator `M` of the module doc.
fn hjb_operator(model: &Model, p: &Pieces, pol: &QttPolicy, delta: f64) -> Result<TtMatrix> {
    let jn = p.states;
    let c = DMatrix::identity(jn, jn) * (model.rho + 1.0 / delta) - rates(model);
    let lower = p.lower.matmul(&with_income(
        &TtMatrix::identity(&vec![2; p.bits as usize])?,
        c.clone(),
    )?)?;
    let first = p.first_column.matmul(&with_income(
        &TtMatrix::identity(&vec![2; p.bits as usize])?,
        c,
    )?)?;
    let transport = TtMatrix::diag(&pol.forward)
        .matmul(&p.shift)?
        .add(&TtMatrix::diag(&pol.backward))?;
    lower
        .scaled(p.da)
        .add(&first.scaled(p.sda - p.da))?
        .add(&transport.scaled(-1.0))?
        .round(&Truncation::tol(1e-15)?)
}

/// The bordered flux-form KFE operator and the mass functional `v`
/// (`v^T h = sum g da`) of the module doc; `constrained[j]`: the point mass
/// scaling at the borrowing limit in state `j`.
fn kfe_operator(
    model: &Model,
    p: &Pieces,
    pol: &QttPolicy,
    constrained: &[bool],
) -> Result<(TtMatrix, TensorTrain)> {
    let jn = p.states;
    let bits = p.bits as usize;
    let lt = rates(model).transpose();
    let dc = DMatrix::from_fn(
        jn,
        jn,
        |a, b| if a == b && constrained[a] { 1.0 } else { 0.0 },
    );
    let id_bits = TtMatrix::identity(&vec![2; bits])?;
    let switching = p.lower.matmul(&with_income(&id_bits, lt.clone())?)?;
    let point_mass = p.first_column.matmul(&with_income(&id_bits, &lt * &dc)?)?;
    let transport =
        TtMatrix::diag(&pol.forward).add(&p.shift.matmul(&TtMatrix::diag(&pol.backward))?)?;
    // Mass functional v = sqrt(da) 1 + (1 - sqrt(da)) (e_0 (x) 1_C).
    let ones = TensorTrain::ones(&p.modes())?;
    let mut e0c = TensorTrain::basis_state(&vec![2; bits], &vec![0; bits])?.into_cores();
    e0c.push(Core::new(
        1,
        jn,
        1,
        constrained
            .iter()
            .map(|&c| if c { 1.0 } else { 0.0 })
            .collect(),
    )?);
    let v = ones
        .scaled(p.sda)
        .add(&TensorTrain::new(e0c)?.scaled(1.0 - p.sda))?
        .round(&Truncation::tol(1e-15)?)?;
    let last = last_basis(p)?;
    let border = outer(&last, &v)?;
    let m = switching
        .scaled(p.da)
        .add(&point_mass.scaled(p.sda - p.da))?
        .add(&transport.scaled(-1.0))?
        .add(&border)?
        .round(&Truncation::tol(1e-15)?)?;
    Ok((m, v))
}

/// The basis vector of the last wealth point in the last income state.
fn last_basis(p: &Pieces) -> Result<TensorTrain> {
    let mut idx = bit_index(p.points() - 1, p.bits);
    idx.push(p.states - 1);
    TensorTrain::basis_state(&p.modes(), &idx)
}

/// The rank-product MPO `u v^T`.
fn outer(u: &TensorTrain, v: &TensorTrain) -> Result<TtMatrix> {
    let cores = u
        .cores()
        .iter()
        .zip(v.cores())
        .map(|(a, b)| {
            let (ra, n, rb) = a.shape();
            let (sa, m, sb) = b.shape();
            let mut c = Core::zeros(ra * sa, n * m, rb * sb);
            for (a1, a2, i, j, b1, b2) in itertools(ra, sa, n, m, rb, sb) {
                *c.get_mut(a1 + ra * a2, i + n * j, b1 + rb * b2) =
                    a.get(a1, i, b1) * b.get(a2, j, b2);
            }
            c
        })
        .collect();
    TtMatrix::new(cores, &u.modes(), &v.modes())
}

/// Every index tuple of the six ranges.
fn itertools(
    ra: usize,
    sa: usize,
    n: usize,
    m: usize,
    rb: usize,
    sb: usize,
) -> impl Iterator<Item = (usize, usize, usize, usize, usize, usize)> {
    (0..ra).flat_map(move |a1| {
        (0..sa).flat_map(move |a2| {
            (0..n).flat_map(move |i| {
                (0..m).flat_map(move |j| {
                    (0..rb).flat_map(move |b1| (0..sb).map(move |b2| (a1, a2, i, j, b1, b2)))
                })
            })
        })
    })
}

/// Solves the household's problem at `prices` in QTT format.
pub(crate) fn solve(
    model: &Model,
    prices: &Prices,
    opts: &SolveOptions,
    warm: Option<&HouseholdSolution>,
) -> Result<HouseholdSolution> {
    let start = Instant::now();
    let o = &opts.qtt;
    let p = Pieces::new(model)?;
    let n = p.points();
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
    let uy = approximate(&p, o, &|i, j| {
        let v = model
            .resources(prices, model.wealth(i), j)
            .unwrap_or(f64::NAN);
        model.utility.u(v.max(1e-3))
    })?;
    let pmap = p.value_map()?;
    // Start: V = u(y) / rho. A warm start from the value function of another
    // price is not used: from r = 0 to r = 0.049 on 2^8 points it made the
    // compressed policy iteration chatter (changes 1e-2 .. 2 for 100
    // iterations; seed 000's section 7), where the cold start converges
    // in 9 iterations.
    let _ = warm;
    let v0 = uy.scaled(1.0 / model.rho);
    // x from V: x_0 = V_0, x_i = (V_i - V_{i-1}) / sqrt(da): evaluated by
    // cross from V's values (cancellation costs digits only in the start).
    let mut x = approximate(&p, o, &|i, j| {
        let vi = v0.eval_unchecked(&p.index(i, j));
        if i == 0 {
            vi
        } else {
            (vi - v0.eval_unchecked(&p.index(i - 1, j))) / p.sda
        }
    })?;
    let mut v = round(&pmap.apply_exact(&x)?, o)?;
    let mut reports = Vec::new();
    let mut converged = false;
    let amen = AmenOptions {
        verbose: false,
        ..o.amen.clone()
    };
    let mut last_change = 1.0f64;
    let base_tol = o.tol;
    for it in 1..=opts.max_iterations {
        // Inexact policy iteration: each step is solved (and its fields
        // truncated) a thousand times more accurately than the last change
        // of V, so early steps run at low rank (seed 000, section 6).
        let eps = (last_change * 1e-3).clamp(o.tol, 1e-6);
        let oi = QttOptions {
            tol: eps,
            ..o.clone()
        };
        let o = &oi;
        let amen = AmenOptions {
            tol: eps,
            ..amen.clone()
        };
        let pol = policy(model, prices, &p, o, &x, &y, &uy)?;
        let m = hjb_operator(model, &p, &pol, opts.delta)?;
        let rhs = round(
            &pol.utility.add(&v.scaled(1.0 / opts.delta))?.scaled(p.sda),
            o,
        )?;
        let sol = amen_solve(&m, &rhs, &x, &amen)?;
        let xn = round(&sol.x, o)?;
        let vn = round(&pmap.apply_exact(&xn)?, o)?;
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
        last_change = change;
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
        if change <= opts.hjb_tol && eps <= base_tol * 1.0001 {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(Error::Numerical(format!(
            "HJB (QTT): policy iteration did not converge in {} iterations; change history {:?}",
            opts.max_iterations,
            reports.iter().map(|r| r.change).collect::<Vec<_>>()
        )));
    }
    let pol = policy(model, prices, &p, o, &x, &y, &uy)?;
    // Stationary distribution.
    let constrained: Vec<bool> = pol.forward_at_limit.iter().map(|f| !f).collect();
    let (mk, mass_fn) = kfe_operator(model, &p, &pol, &constrained)?;
    let rhs = last_basis(&p)?;
    let h0 = mass_fn.scaled(1.0 / mass_fn.dot(&mass_fn)?);
    // The normal equations: Galerkin projections of the nonsymmetric flux
    // operator can be near-singular even where the operator is not (seen:
    // local residual 6e-14 with a local change of 3e-6); those of
    // M^T M are symmetric positive definite. cond(M) ~ 1e3, so squaring costs
    // six of sixteen digits.
    let mt = mk.transpose();
    let nm = mt.matmul(&mk)?.round(&Truncation::tol(1e-15)?)?;
    let nr = mt.apply_exact(&rhs)?.round(&Truncation::tol(1e-15)?)?;
    let ksol = amen_solve(&nm, &nr, &h0, &amen)?;
    let mut h = round(&ksol.x, o)?;
    let mass = mass_fn.dot(&h)?;
    if !(mass.is_finite() && mass > 0.0) {
        return Err(Error::Numerical(format!(
            "KFE (QTT): the mass of the solution is {mass}"
        )));
    }
    h.scale(1.0 / mass);
    let kfe_residual = mk.apply_exact(&h)?.sub(&rhs)?.norm();
    // g = W h: 1/da at the point masses, 1/sqrt(da) elsewhere.
    let mut wc = TensorTrain::basis_state(&vec![2; p.bits as usize], &vec![0; p.bits as usize])?
        .into_cores();
    wc.push(Core::new(
        1,
        p.states,
        1,
        constrained
            .iter()
            .map(|&c| if c { 1.0 } else { 0.0 })
            .collect(),
    )?);
    let w = TensorTrain::ones(&p.modes())?
        .scaled(1.0 / p.sda)
        .add(&TensorTrain::new(wc)?.scaled(1.0 / p.da - 1.0 / p.sda))?;
    let g = round(&w.hadamard(&h)?, o)?;
    let mass_after = mass_fn.dot(&h)?;
    // Aggregate: sum f g da = (f * v)^T h.
    let (clearing, target) = model.clearing_parts(prices)?;
    let f = approximate(&p, o, &|i, j| {
        model
            .integrand(&clearing, prices, model.wealth(i), j)
            .unwrap_or(f64::NAN)
    })?;
    let aggregate = round(&f.hadamard(&mass_fn)?, o)?.dot(&h)?;
    let mass_at_limit = (0..p.states)
        .map(|j| {
            let hj = h.eval_unchecked(&p.index(0, j));
            if constrained[j] {
                hj
            } else {
                hj * p.sda
            }
        })
        .collect();
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
        residual: kfe_residual,
        mass: mass_after,
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
        mass: mass_after,
        min_density,
        mass_at_limit,
        hjb: reports,
        kfe_residual,
        seconds: start.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let pred = |i: u64| (3..17).contains(&i) || (40..41).contains(&i) || i >= 60;
        // Every point sampled.
        assert_eq!(
            intervals_where(64, 64, &pred),
            vec![(3, 17), (40, 41), (60, 64)]
        );
        // Coarse samples still find the wide intervals' ends exactly.
        let wide = |i: u64| (3..1700).contains(&i) || i >= 60_000;
        assert_eq!(
            intervals_where(1 << 16, 64, &wide),
            vec![(3, 1700), (60_000, 1 << 16)]
        );
        assert_eq!(
            complement(64, &vec![(3, 17)], &vec![(20, 64)]),
            vec![(0, 3), (17, 20)]
        );
    }
}
