//! Iterative amplitude estimation (Grinko, Gacon, Zoufal and Woerner 2021):
//! no phase estimation; Grover powers `k` chosen so that the current interval of
//! `theta` stays in one half circle after scaling by `4k + 2`, shot counts turned
//! into intervals by the Chernoff-Hoeffding bound.

use super::interval::{finish, IntervalEstimate, IntervalEstimator};
use super::oracle::{check_alpha, check_shots, GroverOracle};
use super::problem::EstimationProblem;
use crate::{Error, Result};

/// Iterative QAE settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IterativeQae {
    /// Target half-width of the interval on `a`.
    pub epsilon: f64,
    /// The interval misses with probability at most `alpha`.
    pub alpha: f64,
    /// Shots per round.
    pub shots: u64,
    /// Seed of the simulated measurements.
    pub seed: u64,
}

impl IterativeQae {
    /// Settings with 100 shots per round and seed 0.
    pub fn new(epsilon: f64, alpha: f64) -> Self {
        IterativeQae {
            epsilon,
            alpha,
            shots: 100,
            seed: 0,
        }
    }
}

impl IntervalEstimator for IterativeQae {
    fn seed(&self) -> u64 {
        self.seed
    }

    fn run_with(
        &self,
        problem: &EstimationProblem,
        oracle: &mut GroverOracle,
    ) -> Result<IntervalEstimate> {
        check_alpha(self.alpha)?;
        if !(self.epsilon > 0.0 && self.epsilon < 0.5) {
            return Err(Error::invalid(format!(
                "epsilon = {}, expected 0 < epsilon < 0.5",
                self.epsilon
            )));
        }
        check_shots(self.shots)?;
        let pi = std::f64::consts::PI;
        // theta here is theta_a / (2 pi) in [0, 1/4], a = sin^2(2 pi theta).
        let mut interval = (0.0f64, 0.25f64);
        let max_rounds = ((pi / 8.0 / self.epsilon).ln() / 2f64.ln()).ceil().max(1.0) + 1.0;
        let mut k = 0u64;
        let mut upper = true;
        let mut powers = vec![];
        let (mut calls, mut total_shots) = (0u64, 0u64);
        let (mut ones_k, mut shots_k) = (0u64, 0u64);
        let mut rounds = 0;
        while interval.1 - interval.0 > self.epsilon / pi && rounds < 200 {
            rounds += 1;
            let (nk, nup) = next_k(k, upper, interval);
            if nk != k {
                ones_k = 0;
                shots_k = 0;
            }
            k = nk;
            upper = nup;
            powers.push(k);
            ones_k += oracle.measure(k, self.shots);
            shots_k += self.shots;
            calls += self.shots * k;
            total_shots += self.shots;
            let p = ones_k as f64 / shots_k as f64;
            let half = ((2.0 * max_rounds / self.alpha).ln() / (2.0 * shots_k as f64)).sqrt();
            let (a_lo, a_hi) = ((p - half).max(0.0), (p + half).min(1.0));
            let ac = |a: f64| (1.0 - 2.0 * a).clamp(-1.0, 1.0).acos() / (2.0 * pi);
            let (t_lo, t_hi) = if upper {
                (ac(a_lo), ac(a_hi))
            } else {
                (1.0 - ac(a_hi), 1.0 - ac(a_lo))
            };
            let scale = (4 * k + 2) as f64;
            let lo = ((scale * interval.0).floor() + t_lo) / scale;
            let hi = ((scale * interval.0).floor() + t_hi) / scale;
            // keep the new interval inside the old one (rounding can leak by ~1 ulp)
            interval = (
                lo.max(interval.0),
                hi.min(interval.1).max(lo.max(interval.0)),
            );
        }
        let a = |t: f64| (2.0 * pi * t).sin().powi(2);
        let (a_lo, a_hi) = (a(interval.0), a(interval.1));
        Ok(finish(
            problem,
            (a_lo + a_hi) / 2.0,
            (a_lo, a_hi),
            calls,
            total_shots,
            powers,
        ))
    }
}

/// The largest `k` (at least twice the old scaling) keeping the scaled interval in one half circle.
fn next_k(k: u64, upper: bool, (lo, hi): (f64, f64)) -> (u64, bool) {
    let old = (4 * k + 2) as f64;
    let max_scale = (1.0 / (2.0 * (hi - lo))).floor() as i64;
    let mut scale = max_scale - (max_scale - 2).rem_euclid(4);
    while scale as f64 >= 2.0 * old {
        let s = scale as f64;
        let t_lo = s * lo - (s * lo).floor();
        let t_hi = s * hi - (s * hi).floor();
        if t_lo <= t_hi && t_hi <= 0.5 {
            return (((scale - 2) / 4) as u64, true);
        }
        if t_lo >= 0.5 && t_hi >= t_lo {
            return (((scale - 2) / 4) as u64, false);
        }
        scale -= 4;
    }
    (k, upper)
}
