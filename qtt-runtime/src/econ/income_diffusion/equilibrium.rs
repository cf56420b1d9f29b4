//! The stationary general equilibrium of an [`IncomeDiffusion`] economy:
//! the interest rate at which the households' assets equal what the market
//! needs (the firm's capital, or zero bonds), by Brent's method with warm
//! starts (each household solve starts from the nearest rate solved so far).

use super::{
    DiffusionGrid, DiffusionSolution, IncomeDiffusion, Market, QttDiffusionOptions,
    QttDiffusionSolution,
};
use crate::econ::root::brent;
use crate::econ::sparse_generator::FdOptions;
use crate::econ::{EquilibriumOptions, ExcessPoint};
use crate::error::{Error, Result};
use std::time::Instant;

/// A stationary equilibrium on one grid, with the household solution of
/// the backend that found it (the sparse oracle's by default).
#[derive(Debug, Clone)]
pub struct DiffusionEquilibrium<S = DiffusionSolution> {
    /// The clearing interest rate `r*`.
    pub r: f64,
    /// The wage there.
    pub w: f64,
    /// Aggregate capital `K* = K(r*)` (Aiyagari) or the households' bond
    /// holdings, ~0 (Huggett).
    pub capital: f64,
    /// The household solution at `r*`.
    pub solution: S,
    /// Every `(r, excess)` the root finder evaluated, in order.
    pub evaluations: Vec<(f64, f64)>,
    /// Seconds the whole solve took.
    pub seconds: f64,
}

/// A stationary equilibrium on a quantized grid.
pub type QttDiffusionEquilibrium = DiffusionEquilibrium<QttDiffusionSolution>;

/// What the root finder reads from a household solution at one rate.
trait AtRate {
    fn rate(&self) -> f64;
    fn wage(&self) -> f64;
    fn excess(&self) -> f64;
    /// What the market needs (the firm's capital).
    fn demand(&self) -> f64;
    /// What households hold.
    fn wealth(&self) -> f64;
}

macro_rules! at_rate {
    ($t:ty) => {
        impl AtRate for $t {
            fn rate(&self) -> f64 {
                self.r
            }
            fn wage(&self) -> f64 {
                self.w
            }
            fn excess(&self) -> f64 {
                self.excess
            }
            fn demand(&self) -> f64 {
                self.demand
            }
            fn wealth(&self) -> f64 {
                self.wealth
            }
        }
    };
}
at_rate!(DiffusionSolution);
at_rate!(QttDiffusionSolution);

impl IncomeDiffusion {
    /// The excess supply `sum a g da dz - demand(r)` at each rate of `rs`,
    /// solved in order with warm starts.
    pub fn excess_curve(
        &self,
        grid: &DiffusionGrid,
        rs: &[f64],
        opts: &FdOptions,
    ) -> Result<Vec<ExcessPoint>> {
        let mut warm: Option<DiffusionSolution> = None;
        let mut out = Vec::with_capacity(rs.len());
        for &r in rs {
            let s = self.solve_household(grid, r, opts, warm.as_ref())?;
            out.push(ExcessPoint {
                price: r,
                excess: s.excess,
            });
            warm = Some(s);
        }
        Ok(out)
    }

    /// The stationary equilibrium on `grid`: Brent's method on the excess
    /// supply in `eq.bracket` (the economy's `r_bracket` by default). Where
    /// the excess has one sign at both ends the error names the bracket and
    /// both values.
    pub fn steady_state(
        &self,
        grid: &DiffusionGrid,
        opts: &FdOptions,
        eq: &EquilibriumOptions,
    ) -> Result<DiffusionEquilibrium> {
        self.clear(eq, |r, warm| self.solve_household(grid, r, opts, warm))
    }

    /// The stationary equilibrium on `2^la x 2^lz` points by QTT
    /// ([`Self::solve_household_qtt`]): Brent's method on the excess supply
    /// as [`Self::steady_state`], each household solve warm started from
    /// the nearest rate solved so far; `progress` also gets a line per rate.
    pub fn steady_state_qtt(
        &self,
        la: u32,
        lz: u32,
        opts: &QttDiffusionOptions,
        eq: &EquilibriumOptions,
        progress: Option<&(dyn Fn(&str) + Sync)>,
    ) -> Result<QttDiffusionEquilibrium> {
        self.clear(eq, |r, warm| {
            let s = self.solve_household_qtt(la, lz, r, opts, warm, progress)?;
            if let Some(p) = progress {
                p(&format!(
                    "r = {r:.12}: excess {:.3e} ({:.1} s)",
                    s.excess, s.seconds
                ));
            }
            Ok(s)
        })
    }

    /// Brent's method on the excess supply in `eq.bracket` (the economy's
    /// `r_bracket` by default), `solve(r, warm)` solving the household at
    /// `r` from the solution at the nearest rate solved so far. Where the
    /// excess has one sign at both ends the error names the bracket and
    /// both values.
    fn clear<S: AtRate>(
        &self,
        eq: &EquilibriumOptions,
        mut solve: impl FnMut(f64, Option<&S>) -> Result<S>,
    ) -> Result<DiffusionEquilibrium<S>> {
        let start = Instant::now();
        self.check()?;
        let bracket = eq.bracket.unwrap_or(self.r_bracket);
        let mut solved: Vec<S> = Vec::new();
        let evaluate = |r: f64| -> Result<f64> {
            let warm = solved
                .iter()
                .min_by(|x, y| (x.rate() - r).abs().total_cmp(&(y.rate() - r).abs()));
            let s = solve(r, warm)?;
            let e = s.excess();
            solved.push(s);
            Ok(e)
        };
        let market = self.market_name();
        let evaluations = brent(evaluate, bracket, &eq.brent(), |a, fa, b, fb| {
            Error::Numerical(format!(
                "the excess supply of {market} has the same sign at both ends of the bracket \
                     r in ({a}, {b}): {fa:e} at r = {a}, {fb:e} at r = {b}; widen the bracket"
            ))
        })?;
        let solution = solved
            .into_iter()
            .min_by(|x, y| x.excess().abs().total_cmp(&y.excess().abs()))
            .ok_or_else(|| Error::Numerical("no household solve".into()))?;
        let capital = match self.market {
            Market::Capital { .. } => solution.demand(),
            Market::Bonds => solution.wealth(),
        };
        Ok(DiffusionEquilibrium {
            r: solution.rate(),
            w: solution.wage(),
            capital,
            solution,
            evaluations,
            seconds: start.elapsed().as_secs_f64(),
        })
    }

    fn market_name(&self) -> &'static str {
        match self.market {
            Market::Capital { .. } => "capital: sum a g da dz - K(r)",
            Market::Bonds => "bonds: sum a g da dz",
        }
    }
}
