//! The two-asset household of Kaplan, Moll and Violante as in the HACT
//! code `two_asset_kinked.m`: liquid assets `b` (earning `r_b`, borrowing at
//! the higher `r_b^-`), illiquid assets `a` (earning `r_a`) reached only by
//! deposits `d` that cost `chi(d, a) = chi0 |d| + chi1 d^2 / (2 max(a,
//! 1e-5))`, and a two-state Poisson income `z_j`; a 3-D state `(b, a, j)`
//! solved in partial equilibrium by sparse finite differences.
//!
//! - [`grid`]: the `2^Lb x 2^La x J` grid, the unknowns' order (liquid
//!   fastest, `p = ib + 2^Lb (ia + 2^La j)`), the sparsity pattern;
//! - [`household`]: the scheme (consumption and deposit policies with the
//!   drift of `b` split into its consumption and deposit parts, each
//!   upwinded by its own sign), the HJB by policy iteration and the
//!   stationary distribution.
//!
//! As in the HACT code (and beyond the list of parameters): a share
//! `xi = 0.1` of labour income is deposited automatically, and the
//! illiquid return is tapered at the top of the grid, `r_a(a) = r_a (1 -
//! (a / (1.33 amax))^(tau - 1))` with `tau = 10`, so that the illiquid
//! account does not pile up at `amax` (`taper: None` switches it off).

pub mod grid;
pub mod household;

pub use grid::TwoAssetGrid;
pub use household::{TwoAssetPolicy, TwoAssetSolution};

use crate::error::{Error, Result};
use crate::grid::{smooth_indicator, softplus};

/// The two-asset household's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoAsset {
    /// Relative risk aversion `gamma` (CRRA).
    pub gamma: f64,
    /// Discount rate `rho`.
    pub rho: f64,
    /// Illiquid return `r_a`.
    pub ra: f64,
    /// Liquid return for `b >= 0`.
    pub rb_pos: f64,
    /// Liquid borrowing rate for `b < 0`.
    pub rb_neg: f64,
    /// Wage `w`.
    pub w: f64,
    /// Labour productivity in each income state.
    pub z: Vec<f64>,
    /// Switching intensities `rates[j][k]` (rows sum to zero).
    pub rates: Vec<Vec<f64>>,
    /// Linear deposit cost `chi0`.
    pub chi0: f64,
    /// Convex deposit cost `chi1`.
    pub chi1: f64,
    /// Share of labour income deposited automatically.
    pub xi: f64,
    /// Liquid borrowing limit.
    pub bmin: f64,
    /// Top of the liquid grid.
    pub bmax: f64,
    /// Bottom of the illiquid grid (0: no illiquid borrowing).
    pub amin: f64,
    /// Top of the illiquid grid.
    pub amax: f64,
    /// `(scale, tau)` of the illiquid return's taper
    /// `r_a (1 - (a / (scale amax))^(tau - 1))`, or `None`.
    pub taper: Option<(f64, f64)>,
    /// Seed 000's smoothing of the household's two kinks (section 3.1), of
    /// width `mu`, or `None` (exact, as the HACT code): `|d|` in the deposit
    /// cost becomes [`smooth_abs`] (so the inaction band of deposits is
    /// blurred), and the step of the liquid rate at `b = 0` a logistic of
    /// width `mu` in `b`.
    pub kink_smoothing: Option<f64>,
}

/// `softplus(x) + softplus(-x) - 2 mu ln 2`: a smooth `|x|` that is 0 at 0,
/// within `2 mu ln 2` of `|x|`, with derivative `tanh(x / (2 mu))`.
pub fn smooth_abs(x: f64, mu: f64) -> f64 {
    softplus(x, mu) + softplus(-x, mu) - 2.0 * mu * std::f64::consts::LN_2
}

impl Default for TwoAsset {
    /// `two_asset_kinked.m`: gamma 2, rho 0.06, r_a 0.05, r_b 0.03 (0.12
    /// borrowing), w 4, z = (0.8, 1.3) switching at 1/3, chi0 0.03, chi1
    /// 2, xi 0.1, b in [-2, 40], a in [0, 70], taper (1.33, 10).
    fn default() -> Self {
        Self {
            gamma: 2.0,
            rho: 0.06,
            ra: 0.05,
            rb_pos: 0.03,
            rb_neg: 0.12,
            w: 4.0,
            z: vec![0.8, 1.3],
            rates: vec![vec![-1.0 / 3.0, 1.0 / 3.0], vec![1.0 / 3.0, -1.0 / 3.0]],
            chi0: 0.03,
            chi1: 2.0,
            xi: 0.1,
            bmin: -2.0,
            bmax: 40.0,
            amin: 0.0,
            amax: 70.0,
            taper: Some((1.33, 10.0)),
            kink_smoothing: None,
        }
    }
}

impl TwoAsset {
    /// The CRRA utility.
    pub fn utility(&self) -> super::Utility {
        super::Utility::Crra(self.gamma)
    }

    /// The liquid rate at `b` (its step at 0 smoothed if set).
    pub fn rb(&self, b: f64) -> f64 {
        match self.kink_smoothing {
            Some(mu) => self.rb_pos + (self.rb_neg - self.rb_pos) * smooth_indicator(-b, mu),
            None if b < 0.0 => self.rb_neg,
            None => self.rb_pos,
        }
    }

    /// The illiquid rate at `a` (tapered at the top if set).
    pub fn ra_at(&self, a: f64) -> f64 {
        match self.taper {
            Some((scale, tau)) => self.ra * (1.0 - (a / (scale * self.amax)).powf(tau - 1.0)),
            None => self.ra,
        }
    }

    /// The deposit cost `chi0 |d| + chi1 d^2 / (2 max(a, 1e-5))` (`|d|`
    /// smoothed if set).
    pub fn cost(&self, d: f64, a: f64) -> f64 {
        let abs = match self.kink_smoothing {
            Some(mu) => smooth_abs(d, mu),
            None => d.abs(),
        };
        self.chi0 * abs + self.chi1 * d * d / (2.0 * a.max(1e-5))
    }

    /// The deposit from the first-order condition `V_a = V_b (1 + chi_d)`
    /// given one-sided differences `va`, `vb`: `d = a/chi1 (min(va/vb - 1 +
    /// chi0, 0) + max(va/vb - 1 - chi0, 0))` (zero in the band `|va/vb - 1|
    /// <= chi0` where the kink of `|d|` makes inaction optimal). Smoothed,
    /// the root of `chi0 tanh(d / (2 mu)) + chi1 d / a = va/vb - 1`
    /// (increasing in `d`, bracketed by the exact band's edges), by
    /// safeguarded Newton.
    pub fn deposit(&self, va: f64, vb: f64, a: f64) -> f64 {
        let x = va / vb - 1.0;
        let Some(mu) = self.kink_smoothing else {
            return a / self.chi1 * ((x + self.chi0).min(0.0) + (x - self.chi0).max(0.0));
        };
        if a <= 0.0 || !x.is_finite() {
            return 0.0;
        }
        let slope = self.chi1 / a;
        let g = |d: f64| self.chi0 * (d / (2.0 * mu)).tanh() + slope * d - x;
        let (mut lo, mut hi) = ((x - self.chi0) / slope, (x + self.chi0) / slope);
        let mut d = (x / slope).clamp(lo, hi);
        for _ in 0..100 {
            let v = g(d);
            if v == 0.0 {
                break;
            }
            if v > 0.0 {
                hi = d;
            } else {
                lo = d;
            }
            let t = (d / (2.0 * mu)).tanh();
            let dg = self.chi0 * (1.0 - t * t) / (2.0 * mu) + slope;
            let newton = d - v / dg;
            let next = if newton > lo && newton < hi {
                newton
            } else {
                0.5 * (lo + hi)
            };
            let settled = (next - d).abs() <= 1e-15 * next.abs() || hi - lo <= f64::MIN_POSITIVE;
            d = next;
            if settled {
                break;
            }
        }
        d
    }

    /// Liquid income before consumption and deposits: `(1 - xi) w z_j + r_b(b) b`.
    pub fn liquid_income(&self, b: f64, j: usize) -> f64 {
        (1.0 - self.xi) * self.w * self.z[j] + self.rb(b) * b
    }

    /// An error naming the first impossible parameter.
    pub fn check(&self) -> Result<()> {
        let scalars = [
            ("risk aversion gamma", self.gamma),
            ("the discount rate rho", self.rho),
            ("r_a", self.ra),
            ("r_b", self.rb_pos),
            ("the borrowing rate r_b^-", self.rb_neg),
            ("the wage w", self.w),
            ("chi0", self.chi0),
            ("chi1", self.chi1),
            ("xi", self.xi),
            ("bmin", self.bmin),
            ("bmax", self.bmax),
            ("amin", self.amin),
            ("amax", self.amax),
        ];
        for (name, v) in scalars {
            if !v.is_finite() {
                return Err(Error::NonFinite(format!(
                    "{name} of the two-asset household is {v}"
                )));
            }
        }
        if self.gamma <= 0.0 {
            return Err(Error::invalid(format!(
                "risk aversion gamma = {} must be positive",
                self.gamma
            )));
        }
        if self.rho <= 0.0 {
            return Err(Error::invalid(format!(
                "the discount rate rho = {} must be positive",
                self.rho
            )));
        }
        if self.bmin >= self.bmax {
            return Err(Error::invalid(format!(
                "liquid assets on [{}, {}]: bmin must lie below bmax",
                self.bmin, self.bmax
            )));
        }
        if self.amin >= self.amax || self.amin < 0.0 {
            return Err(Error::invalid(format!(
                "illiquid assets on [{}, {}]: need 0 <= amin < amax (the deposit cost divides by a)",
                self.amin, self.amax
            )));
        }
        if self.chi0 < 0.0 || self.chi1 <= 0.0 {
            return Err(Error::invalid(format!(
                "deposit costs chi0 = {} must be >= 0 and chi1 = {} > 0",
                self.chi0, self.chi1
            )));
        }
        if !(0.0..=1.0).contains(&self.xi) {
            return Err(Error::invalid(format!(
                "the automatic deposit share xi = {} must lie in [0, 1]",
                self.xi
            )));
        }
        if let Some(mu) = self.kink_smoothing {
            if !(mu.is_finite() && mu > 0.0) {
                return Err(Error::invalid(format!(
                    "the kink smoothing width {mu} must be positive and finite (None: exact kinks)"
                )));
            }
        }
        if let Some((scale, tau)) = self.taper {
            if !(scale.is_finite() && scale > 0.0 && tau.is_finite() && tau > 1.0) {
                return Err(Error::invalid(format!(
                    "the illiquid taper (scale {scale}, tau {tau}) needs scale > 0 and tau > 1"
                )));
            }
        }
        let jn = self.z.len();
        if jn == 0 {
            return Err(Error::invalid("the income process has no states"));
        }
        crate::error::check_finite("income z", &self.z)?;
        if self.rates.len() != jn || self.rates.iter().any(|r| r.len() != jn) {
            return Err(Error::shape(format!(
                "the income rates must be {jn} x {jn} (one row and column per income state)"
            )));
        }
        for (j, row) in self.rates.iter().enumerate() {
            crate::error::check_finite(&format!("income rates row {j}"), row)?;
            if row.iter().enumerate().any(|(k, v)| k != j && *v < 0.0) {
                return Err(Error::invalid(format!(
                    "income rates row {j} {row:?}: switching intensities cannot be negative"
                )));
            }
            let s: f64 = row.iter().sum();
            if s.abs() > 1e-12 * row.iter().map(|v| v.abs()).sum::<f64>().max(1.0) {
                return Err(Error::invalid(format!(
                    "income rates row {j} sums to {s}: the rows of an intensity matrix sum to 0"
                )));
            }
        }
        for j in 0..jn {
            let y = self.liquid_income(self.bmin, j);
            if y.is_nan() || y <= 0.0 {
                return Err(Error::invalid(format!(
                    "income state {j} has liquid income {y} at the borrowing limit b = {}: \
                     consumption is impossible there (raise bmin)",
                    self.bmin
                )));
            }
        }
        Ok(())
    }

    /// The grid of `2^lb x 2^la x J` points (checks the parameters first).
    pub fn grid(&self, lb: u32, la: u32) -> Result<TwoAssetGrid> {
        self.check()?;
        TwoAssetGrid::new(lb, la, self)
    }
}
