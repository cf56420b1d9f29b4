//! The implicit upwind scheme of Achdou et al. at one grid point: consumption
//! from the first-order condition on each one-sided difference of `V`, and
//! the difference that the sign of savings selects.
//!
//! Forward where the forward drift is positive, backward where the backward
//! drift is negative, zero drift (consume the resources) otherwise; where
//! both would apply (a non-concave `V` during iteration) the forward one
//! wins, so that the three cases partition the grid. At the top of the grid
//! the forward difference is never used and at the borrowing limit the
//! backward one is never used: the state constraints
//! `V_a(amax) = u'(resources)` and `V_a(amin) = u'(resources)` make those
//! drifts zero exactly.
//!
//! [`upwind_smoothed`] replaces the choice by softplus drifts of width
//! `mu` (seed 000, section 3.1), for the study of what smoothing costs;
//! the finite-difference backend runs it with
//! [`SolveOptions::smoothing`](super::SolveOptions::smoothing).

use super::Utility;
use crate::grid::softplus;

/// The floor of a one-sided difference of `V` before the first-order
/// condition (as the HACT codes): active only in iterations where `V` is
/// not yet concave, never at a solution.
pub const DV_FLOOR: f64 = 1e-10;

/// The scheme's choice at one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Upwind {
    /// `s_F` where the forward difference is used, else 0 (`>= 0`).
    pub forward_drift: f64,
    /// `s_B` where the backward difference is used, else 0 (`<= 0`).
    pub backward_drift: f64,
    /// Consumption.
    pub consumption: f64,
    /// Flow utility of that consumption.
    pub utility: f64,
}

/// Which one-sided difference the scheme uses at a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Forward difference (saving).
    Forward,
    /// Backward difference (dissaving).
    Backward,
    /// Neither: zero drift, consumption equals resources.
    Zero,
}

/// The side chosen from the drifts `sf`, `sb` (at the ends of the grid the
/// outward difference is never chosen).
pub fn side(sf: f64, sb: f64, at_bottom: bool, at_top: bool) -> Side {
    if sf > 0.0 && !at_top {
        Side::Forward
    } else if sb < 0.0 && !at_bottom {
        Side::Backward
    } else {
        Side::Zero
    }
}

/// The scheme at a point with resources `y` and one-sided differences
/// `dvf`, `dvb` of `V` (pass the state-constraint value `u'(y)` at the ends).
pub fn upwind(u: &Utility, y: f64, dvf: f64, dvb: f64, at_bottom: bool, at_top: bool) -> Upwind {
    let cf = u.consumption(dvf.max(DV_FLOOR));
    let cb = u.consumption(dvb.max(DV_FLOOR));
    let (sf, sb) = (y - cf, y - cb);
    let (forward_drift, backward_drift, consumption) = match side(sf, sb, at_bottom, at_top) {
        Side::Forward => (sf, 0.0, cf),
        Side::Backward => (0.0, sb, cb),
        Side::Zero => (0.0, 0.0, y),
    };
    Upwind {
        forward_drift,
        backward_drift,
        consumption,
        utility: u.u(consumption),
    }
}

/// The scheme with seed 000's smoothing of the upwind choice: the drifts
/// `softplus_mu(s_F)` forward and `-softplus_mu(-s_B)` backward at every
/// point (the outward one dropped at the ends), consumption from the
/// budget `c = y - drift`. Both drifts keep their signs, so the generator
/// stays a generator; each is at most `mu ln 2` from the exact choice's,
/// and `mu -> 0` gives [`upwind`] back where `V` is concave. `None` where
/// the smoothed consumption is not positive (`mu` too wide for the
/// resources).
pub fn upwind_smoothed(
    u: &Utility,
    y: f64,
    dvf: f64,
    dvb: f64,
    at_bottom: bool,
    at_top: bool,
    mu: f64,
) -> Option<Upwind> {
    let sf = y - u.consumption(dvf.max(DV_FLOOR));
    let sb = y - u.consumption(dvb.max(DV_FLOOR));
    let forward_drift = if at_top { 0.0 } else { softplus(sf, mu) };
    let backward_drift = if at_bottom { 0.0 } else { -softplus(-sb, mu) };
    let consumption = y - forward_drift - backward_drift;
    (consumption > 0.0).then(|| Upwind {
        forward_drift,
        backward_drift,
        consumption,
        utility: u.u(consumption),
    })
}
