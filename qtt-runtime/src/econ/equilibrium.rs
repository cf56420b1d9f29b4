//! General equilibrium: the price at which the market clears, by Brent's
//! method ([`root::brent`](super::root::brent)) on the excess supply with warm starts (each household solve starts
//! from the value function of the nearest price solved so far).

use super::root::{brent, BrentOptions};
use super::solution::{Equilibrium, HouseholdSolution};
use super::{finite_difference, quantized, Model};
use crate::error::{Error, Result};
use std::sync::Arc;
use std::time::Instant;

/// The most income states `J` the QTT backend takes: its cyclic reduction
/// keeps `3 J^2 + 2 J` coefficient components per level, each a tensor
/// train, and inverts `J x J` blocks at every point, so time and memory
/// grow as `J^2` or faster. Measured (OU income, one household solve, 2
/// loaded cores, `bench-results/diffusion_chain.jsonl`): on `2^6` wealth
/// points `J = 64` 6.6 s, `J = 128` 28-37 s and 0.47 GB peak, `J = 256`
/// 134 s and 1.2 GB (27x finite differences; an equilibrium of ~13 solves
/// would take half an hour, and the dense levels grow with the wealth
/// grid), `V` to 1e-12 of the oracle throughout.
pub const MAX_QTT_STATES: usize = 128;

/// Which discretisation solves the household's problem.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backend {
    /// Quantized tensor trains (any grid up to `2^63` points, at most
    /// [`MAX_QTT_STATES`] income states).
    Qtt,
    /// The banded finite-difference solver (grids that fit in memory).
    FiniteDifference,
}

/// What a long solve reports as it goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// A policy iteration of the HJB equation.
    Hjb {
        /// Iteration, from 1.
        iteration: usize,
        /// Change of `V`.
        change: f64,
        /// Largest rank of `V` (1 for the dense backend).
        max_rank: usize,
    },
    /// The stationary distribution was found.
    Kfe {
        /// Relative residual.
        residual: f64,
        /// `sum g da`.
        mass: f64,
    },
    /// The root finder evaluated the excess at a price.
    Price {
        /// Evaluation, from 1.
        evaluation: usize,
        /// The price.
        price: f64,
        /// The excess supply there.
        excess: f64,
    },
    /// A report of the joint formulation's swarm ([`super::joint`]).
    Joint {
        /// CBO step, from 0.
        iteration: usize,
        /// The best particle's energy.
        energy: f64,
        /// The best particle's price.
        price: f64,
    },
    /// A step of a transition of the distribution
    /// ([`finite_difference::transition`](super::finite_difference::transition),
    /// [`quantized_transition::transition`](super::quantized_transition::transition)).
    Transition {
        /// Step, from 1.
        step: usize,
        /// Time since the start.
        time: f64,
        /// `sum g da`.
        mass: f64,
        /// `sum a g da`.
        wealth: f64,
    },
}

/// A caller's progress callback.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Settings of a household solve.
#[derive(Clone)]
pub struct SolveOptions {
    /// The discretisation.
    pub backend: Backend,
    /// Policy-iteration step `Delta` of `((rho + 1/Delta) I - A) V' = u + V / Delta`.
    pub delta: f64,
    /// Policy iteration stops when `max |V' - V| <= tol * max(1, max |V|)`.
    pub hjb_tol: f64,
    /// Most policy iterations.
    pub max_iterations: usize,
    /// QTT settings (truncation, AMEn, cross).
    pub qtt: quantized::QttOptions,
    /// `Some(mu)`: the upwind choice smoothed by softplus drifts of width
    /// `mu` ([`scheme::upwind_smoothed`](super::scheme::upwind_smoothed)),
    /// finite-difference backend only. `None` (the default): the exact
    /// choice, which the QTT backend represents at rank 2 per switch point
    /// in one dimension. Costs a bias of order `mu` in V and the prices
    /// (`cargo bench --bench econ -- --smoothing`).
    pub smoothing: Option<f64>,
    /// Called with every step, if set.
    pub progress: Option<ProgressFn>,
}

impl std::fmt::Debug for SolveOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SolveOptions")
            .field("backend", &self.backend)
            .field("delta", &self.delta)
            .field("hjb_tol", &self.hjb_tol)
            .field("max_iterations", &self.max_iterations)
            .field("qtt", &self.qtt)
            .field("smoothing", &self.smoothing)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl Default for SolveOptions {
    fn default() -> Self {
        Self {
            backend: Backend::Qtt,
            delta: 1000.0,
            hjb_tol: 1e-11,
            max_iterations: 100,
            qtt: quantized::QttOptions::default(),
            smoothing: None,
            progress: None,
        }
    }
}

impl SolveOptions {
    /// The same settings with the finite-difference backend.
    pub fn finite_difference() -> Self {
        Self {
            backend: Backend::FiniteDifference,
            ..Self::default()
        }
    }

    /// The same settings with `f` called on every step.
    pub fn with_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    pub(crate) fn report(&self, p: Progress) {
        if let Some(f) = &self.progress {
            f(&p);
        }
    }

    pub(crate) fn check(&self) -> Result<()> {
        if !(self.delta.is_finite() && self.delta > 0.0) {
            return Err(Error::invalid(format!(
                "the policy-iteration step Delta = {} must be positive and finite",
                self.delta
            )));
        }
        if !(self.hjb_tol.is_finite() && self.hjb_tol > 0.0) {
            return Err(Error::invalid(format!(
                "the HJB tolerance {} must be positive and finite",
                self.hjb_tol
            )));
        }
        if self.max_iterations == 0 {
            return Err(Error::invalid("max_iterations must be at least 1"));
        }
        if let Some(mu) = self.smoothing {
            if !(mu.is_finite() && mu > 0.0) {
                return Err(Error::invalid(format!(
                    "the smoothing width {mu} must be positive and finite (None for the exact upwind choice)"
                )));
            }
            if self.backend == Backend::Qtt {
                return Err(Error::invalid(
                    "the QTT backend upwinds exactly (each switch of the upwind choice is an interval \
                     indicator of rank 2, so one-dimensional models need no smoothing): set \
                     SolveOptions::smoothing = None, or use SolveOptions::finite_difference() to \
                     study the smoothed scheme",
                ));
            }
        }
        Ok(())
    }
}

/// Settings of the root finder.
#[derive(Debug, Clone, PartialEq)]
pub struct EquilibriumOptions {
    /// Stop when the bracket is narrower than this (in the price).
    pub price_tol: f64,
    /// Most evaluations of the excess.
    pub max_evaluations: usize,
    /// The bracket to search (the model's by default).
    pub bracket: Option<(f64, f64)>,
    /// `Some(b)`: grids of more than `2^(b + 1)` points first find the
    /// price on the grid four times coarser (recursively) and search
    /// around its extrapolation ([`Equilibrium::coarse_prices`]). The
    /// scheme is first order, so the coarse prices predict the fine one
    /// to a fraction of their last step and the fine grid, where every
    /// household solve is dearest, needs few of them and none far from
    /// the root (Huggett `2^20` by QTT diverged at Brent's third price of
    /// the full bracket, r = 0.0049). Nesting stops at 4 points, and each
    /// coarse grid must clear inside the bracket too (Aiyagari's market
    /// does not on 4 points). `None`: Brent on the whole bracket.
    pub nested_bits: Option<u32>,
    /// Stop at the first price whose excess is at most this in absolute
    /// value (0, the default: only `price_tol` stops). The price is then
    /// within `excess_tol / |S'(r*)|` of the root: near r* Brent spends
    /// about half its solves on excesses below their own noise (Huggett
    /// by QTT on `2^20` points: 5 of 10 below 5e-11).
    pub excess_tol: f64,
}

impl Default for EquilibriumOptions {
    fn default() -> Self {
        Self {
            price_tol: 1e-12,
            max_evaluations: 60,
            bracket: None,
            nested_bits: Some(14),
            excess_tol: 0.0,
        }
    }
}

impl EquilibriumOptions {
    /// The root finder's settings for these options.
    pub(crate) fn brent(&self) -> BrentOptions {
        BrentOptions {
            tol: self.price_tol,
            max_evaluations: self.max_evaluations,
            f_tol: self.excess_tol,
        }
    }
}

/// One point of the excess-supply curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExcessPoint {
    /// The price.
    pub price: f64,
    /// Excess supply `aggregate - target`.
    pub excess: f64,
}

impl Model {
    /// The household's problem at `price` (partial equilibrium), warm
    /// started from `warm` if given.
    pub fn solve_household(
        &self,
        price: f64,
        opts: &SolveOptions,
        warm: Option<&HouseholdSolution>,
    ) -> Result<HouseholdSolution> {
        opts.check()?;
        let prices = self.prices(&[price])?;
        match opts.backend {
            Backend::FiniteDifference => finite_difference::solve(self, &prices, opts, warm),
            Backend::Qtt => {
                self.check_qtt_states()?;
                quantized::solve(self, &prices, opts, warm)
            }
        }
    }

    /// An error where the model has more income states than the QTT
    /// backend takes ([`MAX_QTT_STATES`]).
    fn check_qtt_states(&self) -> Result<()> {
        let j = self.states();
        if j > MAX_QTT_STATES {
            return Err(Error::invalid(format!(
                "the model has {j} income states and the QTT backend takes at most {MAX_QTT_STATES} \
                 (its cyclic reduction keeps 3 J^2 + 2 J coefficient trains per level, {} here): \
                 solve it with the finite-difference backend (Backend::FiniteDifference, \
                 SolveOptions::finite_difference())",
                3 * j * j + 2 * j
            )));
        }
        Ok(())
    }

    /// The excess supply at each price of `prices`, solved in order with warm starts.
    pub fn excess_curve(&self, prices: &[f64], opts: &SolveOptions) -> Result<Vec<ExcessPoint>> {
        let mut warm: Option<HouseholdSolution> = None;
        let mut out = Vec::with_capacity(prices.len());
        for &p in prices {
            let s = self.solve_household(p, opts, warm.as_ref())?;
            out.push(ExcessPoint {
                price: p,
                excess: s.excess,
            });
            warm = Some(s);
        }
        Ok(out)
    }

    /// The stationary general equilibrium: the price in the bracket where
    /// excess supply is zero (Brent's method), and the economy there. On
    /// large grids the search starts from the coarser grids' prices
    /// ([`EquilibriumOptions::nested_bits`]).
    pub fn steady_state(
        &self,
        opts: &SolveOptions,
        eq: &EquilibriumOptions,
    ) -> Result<Equilibrium> {
        let start = Instant::now();
        let bracket = eq.bracket.unwrap_or(self.bracket);
        if eq.price_tol.is_nan() || eq.price_tol <= 0.0 {
            return Err(Error::invalid(format!(
                "price_tol {} must be positive",
                eq.price_tol
            )));
        }
        if !(eq.excess_tol >= 0.0 && eq.excess_tol.is_finite()) {
            return Err(Error::invalid(format!(
                "excess_tol {} must be finite and non-negative",
                eq.excess_tol
            )));
        }
        let coarse_prices = match eq.nested_bits {
            // (The coarse grid must have the 4 points every grid needs.)
            Some(b) if self.bits > b + 1 && self.bits >= 4 => {
                let model = self.with_bits(self.bits - 2)?;
                let coarse = model.steady_state(opts, eq)?;
                let mut prices = coarse.coarse_prices;
                prices.push((model.points(), coarse.price));
                prices
            }
            _ => Vec::new(),
        };
        // The newest solution (the root finder's next price is nearest it
        // or the best) and the one with the smallest excess so far: a
        // solution on 2^24 points holds 1 GB, so not every one is kept.
        let mut kept: Vec<HouseholdSolution> = Vec::new();
        let mut evaluations: Vec<(f64, f64)> = Vec::new();
        // Whether an excess within `excess_tol` has been found.
        let cleared = std::cell::Cell::new(false);
        // A household solve at `p` (warm from the nearest solution kept),
        // or the excess already found there.
        let mut evaluate = |p: f64| -> Result<f64> {
            if let Some(&(_, e)) = evaluations.iter().find(|&&(q, _)| q == p) {
                return Ok(e);
            }
            let warm = kept.iter().min_by(|x, y| {
                (x.prices.values[0] - p)
                    .abs()
                    .total_cmp(&(y.prices.values[0] - p).abs())
            });
            let s = self.solve_household(p, opts, warm)?;
            let e = s.excess;
            cleared.set(cleared.get() || e.abs() <= eq.excess_tol);
            evaluations.push((p, e));
            opts.report(super::Progress::Price {
                evaluation: evaluations.len(),
                price: p,
                excess: e,
            });
            let best = std::mem::take(&mut kept)
                .into_iter()
                .min_by(|x, y| x.excess.abs().total_cmp(&y.excess.abs()));
            kept.extend(best);
            kept.push(s);
            Ok(e)
        };
        let search = match coarse_prices.as_slice() {
            [] => bracket,
            prices => around_prediction(&mut evaluate, prices, bracket, eq.price_tol)?,
        };
        if !cleared.get() {
            brent(&mut evaluate, search, &eq.brent(), |a, fa, b, fb| {
                Error::Numerical(format!(
                    "excess supply has the same sign at both ends of the bracket: S({a}) = {fa:e}, S({b}) = {fb:e}; \
                     widen the bracket of `{}`",
                    self.price_name()
                ))
            })?;
        }
        let solution = kept
            .into_iter()
            .min_by(|x, y| x.excess.abs().total_cmp(&y.excess.abs()))
            .ok_or_else(|| Error::Numerical("no household solve".into()))?;
        Ok(Equilibrium {
            price: solution.prices.values[0],
            solution,
            evaluations,
            coarse_prices,
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}

/// A bracket of the fine grid's root around the extrapolation of the
/// coarse grids' `prices` (`(points, price)`, coarsest first), inside
/// `bracket`. A first-order scheme moves the price by a quarter of its
/// last step when the grid is refined fourfold; the search starts at half
/// that step on either side (1% of `bracket` around a single coarse
/// price) and steps outwards, doubling, from the end with the smaller
/// excess until the sign changes (the whole `bracket` at worst, whose
/// ends then decide as Brent's would).
fn around_prediction(
    evaluate: &mut impl FnMut(f64) -> Result<f64>,
    prices: &[(u64, f64)],
    bracket: (f64, f64),
    price_tol: f64,
) -> Result<(f64, f64)> {
    let (lo, hi) = bracket;
    let (centre, width) = match prices {
        [.., (_, before), (_, last)] => (last + (last - before) / 4.0, (last - before).abs() / 2.0),
        [(_, last)] => (*last, 5e-3 * (hi - lo)),
        [] => ((lo + hi) / 2.0, (hi - lo) / 2.0),
    };
    let centre = centre.clamp(lo, hi);
    let mut width = width.max(100.0 * price_tol);
    // The lowest and highest prices evaluated, with their excesses.
    let mut bottom = ((centre - width).max(lo), 0.0);
    let mut top = ((centre + width).min(hi), 0.0);
    bottom.1 = evaluate(bottom.0)?;
    top.1 = evaluate(top.0)?;
    if bottom.1.signum() != top.1.signum() || bottom.1 == 0.0 || top.1 == 0.0 {
        return Ok((bottom.0, top.0));
    }
    while bottom.0 > lo || top.0 < hi {
        width *= 2.0;
        let down = (bottom.1.abs() <= top.1.abs() && bottom.0 > lo) || top.0 == hi;
        let end = if down { &mut bottom } else { &mut top };
        let x = if down {
            (end.0 - width).max(lo)
        } else {
            (end.0 + width).min(hi)
        };
        let fx = evaluate(x)?;
        if fx.signum() != end.1.signum() || fx == 0.0 {
            return Ok(if down { (x, end.0) } else { (end.0, x) });
        }
        *end = (x, fx);
    }
    Ok((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `f` at each call, recorded.
    fn recording(
        f: impl Fn(f64) -> f64,
    ) -> (
        impl FnMut(f64) -> Result<f64>,
        std::rc::Rc<std::cell::RefCell<Vec<f64>>>,
    ) {
        let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let log = seen.clone();
        (
            move |x| {
                log.borrow_mut().push(x);
                Ok(f(x))
            },
            seen,
        )
    }

    #[test]
    fn the_search_starts_at_the_extrapolated_price_and_widens_until_the_sign_changes() {
        let ladder = [(64, 0.1), (256, 0.2)];
        // A root inside the first guess: two evaluations around 0.2 + 0.1 / 4.
        let (mut f, seen) = recording(|x| x - 0.22);
        let (a, b) = around_prediction(&mut f, &ladder, (-1.0, 1.0), 1e-12).unwrap();
        assert_eq!(seen.borrow().len(), 2);
        assert!(
            (a - 0.175).abs() < 1e-15 && (b - 0.275).abs() < 1e-15,
            "{a} {b}"
        );
        // A root above it: the upper end moves out, doubling.
        let (mut f, seen) = recording(|x| x - 0.3);
        let (a, b) = around_prediction(&mut f, &ladder, (-1.0, 1.0), 1e-12).unwrap();
        assert!(a < 0.3 && 0.3 < b && (a - 0.275).abs() < 1e-15, "{a} {b}");
        assert_eq!(seen.borrow().len(), 3);
        // A root below it, far: the lower end moves out to the bracket's end.
        let (mut f, _) = recording(|x| x + 0.9);
        let (a, b) = around_prediction(&mut f, &ladder, (-1.0, 1.0), 1e-12).unwrap();
        assert!(a < -0.9 && -0.9 < b, "{a} {b}");
        // No root: the whole bracket, whose ends Brent then reports.
        let (mut f, _) = recording(|x| x + 5.0);
        assert_eq!(
            around_prediction(&mut f, &ladder, (-1.0, 1.0), 1e-12).unwrap(),
            (-1.0, 1.0)
        );
        // One coarse price: a start 1% of the bracket wide.
        let (mut f, _) = recording(|x| x - 0.2);
        let (a, b) = around_prediction(&mut f, &[(64, 0.2)], (0.0, 1.0), 1e-12).unwrap();
        assert!(
            (a - 0.195).abs() < 1e-15 && (b - 0.205).abs() < 1e-15,
            "{a} {b}"
        );
    }
}
