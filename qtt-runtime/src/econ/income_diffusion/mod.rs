//! Heterogeneous-agent economies with income as a diffusion: the state is
//! `(a, z)`, wealth and income, with `z` a reflected Ornstein–Uhlenbeck
//! process (HACT's `aiyagari_diffusion_equilibrium`), solved by sparse
//! finite differences: the oracle of `model!`'s income diffusions, which
//! both 1-D backends solve as the `2^Lz`-state Markov chain of the same
//! grid ([`super::diffusion_income`], `tests/model_diffusion.rs`).
//!
//! - [`chain`]: a reflected diffusion on a uniform grid as a birth–death
//!   chain (shared with `model!`'s income diffusions);
//! - [`ou`]: the income process and its birth–death chain on `2^Lz` points;
//! - [`grid`]: the `2^La x 2^Lz` grid, the unknowns' order (wealth fastest,
//!   `p = i + 2^La k`), the generator's sparsity pattern;
//! - [`household`]: the implicit upwind HJB by policy iteration and the
//!   stationary KFE at given prices;
//! - [`equilibrium`]: the interest rate that clears the capital (Aiyagari)
//!   or bond (Huggett) market, by the bracketing root finder [`super::root`].
//!
//! The scheme at a grid point is the 1-D one ([`super::scheme::upwind`]):
//! `V_a` forward where saving, backward where dissaving, the state
//! constraints `V_a = u'(w z + r a)` at both ends of the wealth grid. The
//! income direction adds the chain of [`OuIncome::rates`] (drift upwinded by
//! its sign, diffusion by the central second difference, reflecting ends).
//!
//! **Firm.** `r = alpha A K^(alpha-1) L^(1-alpha) - delta` and `w = (1-alpha)
//! A (K/L)^alpha` with `L = E[z]` under the income chain's stationary law on
//! the grid (computed exactly by detailed balance). The HACT code writes
//! `K^alpha` without `L`, taking `L = 1` (its `zmean` comment asks that the
//! truncated process have mean 1); on the default symmetric domain our `L`
//! is 1 to rounding, so both agree, and an asymmetric domain stays right.
//!
//! **Huggett.** The same household with income `z` itself (no wage) and
//! bonds in zero net supply, `sum a g da dz = 0`. The borrowing limit is
//! `-1`: the 1-D Huggett calibration's `amin = -0.15` is minus its mean
//! income (0.15), scaled here to mean income 1; the grid's top stays at 30
//! (the 1-D `amax = 5` is ~33 mean incomes).

pub mod chain;
pub mod equilibrium;
pub mod grid;
pub mod household;
pub(crate) mod income_axis;
pub(crate) mod multigrid;
pub mod ou;
pub mod quantized;

pub use chain::BirthDeathChain;
pub use equilibrium::{DiffusionEquilibrium, QttDiffusionEquilibrium};
pub use grid::DiffusionGrid;
pub use household::{DiffusionPolicy, DiffusionSolution};
pub use ou::OuIncome;
pub use quantized::{QttDiffusionOptions, QttDiffusionSolution};

use crate::error::{Error, Result};

/// The market that clears.
#[derive(Debug, Clone, PartialEq)]
pub enum Market {
    /// Aiyagari: households own the capital of a Cobb–Douglas firm.
    Capital {
        /// Capital share `alpha`.
        alpha: f64,
        /// Depreciation `delta`.
        delta: f64,
        /// Total factor productivity `A`.
        tfp: f64,
    },
    /// Huggett: bonds in zero net supply; income is `z` itself.
    Bonds,
}

/// A stationary economy of households with OU income and one asset.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomeDiffusion {
    /// Relative risk aversion `gamma` (CRRA).
    pub gamma: f64,
    /// Discount rate `rho`.
    pub rho: f64,
    /// The income process.
    pub income: OuIncome,
    /// Borrowing limit.
    pub amin: f64,
    /// Top of the wealth grid.
    pub amax: f64,
    /// Which market clears.
    pub market: Market,
    /// Bracket of the interest rate for the root finder.
    pub r_bracket: (f64, f64),
}

impl IncomeDiffusion {
    /// Aiyagari as in HACT's `aiyagari_diffusion_equilibrium.m`: gamma 2,
    /// rho 0.05, alpha 0.35, delta 0.1, A 1, [`OuIncome::hact`], a in
    /// [-1, 30]; r searched in (0.01, 0.0499).
    pub fn aiyagari() -> Self {
        Self {
            gamma: 2.0,
            rho: 0.05,
            income: OuIncome::hact(),
            amin: -1.0,
            amax: 30.0,
            market: Market::Capital {
                alpha: 0.35,
                delta: 0.1,
                tfp: 1.0,
            },
            r_bracket: (0.01, 0.0499),
        }
    }

    /// Huggett with the same household: gamma 2, rho 0.05,
    /// [`OuIncome::hact`] as income, a in [-1, 30] (see the module docs for
    /// the borrowing limit); r searched in (0, 0.0499).
    pub fn huggett() -> Self {
        Self {
            market: Market::Bonds,
            r_bracket: (0.0, 0.0499),
            ..Self::aiyagari()
        }
    }

    /// The CRRA utility.
    pub fn utility(&self) -> super::Utility {
        super::Utility::Crra(self.gamma)
    }

    /// The grid of `2^la x 2^lz` points (checks the economy first).
    pub fn grid(&self, la: u32, lz: u32) -> Result<DiffusionGrid> {
        self.check()?;
        DiffusionGrid::new(la, lz, self.amin, self.amax, &self.income)
    }

    /// The wage and the asset demand the market needs at interest rate `r`
    /// with aggregate labour `labour`: `(w, K(r))` for capital, `(1, 0)` for
    /// bonds.
    pub fn wage_and_demand(&self, r: f64, labour: f64) -> Result<(f64, f64)> {
        if !r.is_finite() {
            return Err(Error::NonFinite(format!("the interest rate is {r}")));
        }
        match self.market {
            Market::Bonds => Ok((1.0, 0.0)),
            Market::Capital { alpha, delta, tfp } => {
                if r <= -delta {
                    return Err(Error::invalid(format!(
                        "r = {r} <= -delta = {}: the firm's capital demand is infinite",
                        -delta
                    )));
                }
                let k_per_l = (alpha * tfp / (r + delta)).powf(1.0 / (1.0 - alpha));
                let w = (1.0 - alpha) * tfp * k_per_l.powf(alpha);
                Ok((w, k_per_l * labour))
            }
        }
    }

    /// Resources `w z + r a` (before consumption).
    pub fn resources(&self, r: f64, w: f64, a: f64, z: f64) -> f64 {
        w * z + r * a
    }

    /// An error naming the first impossible parameter (non-finite numbers,
    /// `gamma <= 0`, `rho <= 0`, reversed bounds, a firm without a
    /// Cobb–Douglas technology, a bracket where consumption is impossible
    /// at the borrowing limit or wealth earns at least `rho`).
    pub fn check(&self) -> Result<()> {
        for (name, v) in [
            ("risk aversion gamma", self.gamma),
            ("the discount rate rho", self.rho),
            ("the borrowing limit amin", self.amin),
            ("the top of the wealth grid amax", self.amax),
            ("the lower end of the r bracket", self.r_bracket.0),
            ("the upper end of the r bracket", self.r_bracket.1),
        ] {
            if !v.is_finite() {
                return Err(Error::NonFinite(format!("{name} is {v}")));
            }
        }
        if self.gamma <= 0.0 {
            return Err(Error::invalid(format!(
                "risk aversion gamma = {} must be positive (CRRA utility is concave only for gamma > 0)",
                self.gamma
            )));
        }
        if self.rho <= 0.0 {
            return Err(Error::invalid(format!(
                "the discount rate rho = {} must be positive",
                self.rho
            )));
        }
        self.income.check()?;
        if self.amin >= self.amax {
            return Err(Error::invalid(format!(
                "wealth on [{}, {}]: the borrowing limit must lie below the top of the grid",
                self.amin, self.amax
            )));
        }
        if let Market::Capital { alpha, delta, tfp } = self.market {
            for (name, v) in [("alpha", alpha), ("delta", delta), ("A", tfp)] {
                if !v.is_finite() {
                    return Err(Error::NonFinite(format!("the firm's {name} is {v}")));
                }
            }
            if !(alpha > 0.0 && alpha < 1.0) || delta < 0.0 || tfp <= 0.0 {
                return Err(Error::invalid(format!(
                    "the firm needs 0 < alpha < 1, delta >= 0, A > 0: alpha = {alpha}, delta = {delta}, A = {tfp}"
                )));
            }
        }
        let (lo, hi) = self.r_bracket;
        if lo >= hi {
            return Err(Error::invalid(format!(
                "the r bracket ({lo}, {hi}) must be increasing"
            )));
        }
        if hi >= self.rho {
            return Err(Error::invalid(format!(
                "the r bracket ({lo}, {hi}) must stay below rho = {}: at r >= rho households save \
                 without bound and there is no stationary distribution",
                self.rho
            )));
        }
        // Labour is at least zmin (any distribution on the grid).
        for r in [lo, hi] {
            let (w, _) = self.wage_and_demand(r, self.income.zmin.max(f64::MIN_POSITIVE))?;
            let y = self.resources(r, w, self.amin, self.income.zmin);
            if y.is_nan() || y <= 0.0 {
                return Err(Error::invalid(format!(
                    "at r = {r} the lowest income z = {} has resources {y} at the borrowing limit \
                     a = {}: consumption is impossible there (raise the borrowing limit or narrow the bracket)",
                    self.income.zmin, self.amin
                )));
            }
        }
        Ok(())
    }
}
