//! Maximum-likelihood amplitude estimation (Suzuki et al. 2020): shots after
//! `m_k` Grover iterations for `m_k = 0, 1, 2, 4, ...`, the likelihood
//! `prod_k sin^{2h_k}((2m_k+1) t) cos^{2(N-h_k)}((2m_k+1) t)` maximised over
//! `t in [0, pi/2]` (`a = sin^2 t`), and a Fisher-information confidence interval.

use super::interval::{finish, IntervalEstimate, IntervalEstimator};
use super::oracle::{check_alpha, check_shots, normal_quantile, GroverOracle};
use super::problem::EstimationProblem;
use crate::{Error, Result};

/// The largest likelihood grid scanned (about a second per level on one core).
pub const MAX_LIKELIHOOD_GRID: usize = 1 << 24;

/// The most levels whose likelihood grid stays within [`MAX_LIKELIHOOD_GRID`].
fn max_levels() -> usize {
    // levels L has largest power 2^(L-2) and a grid of (2^(L-1) + 1) * 50 points
    (2..64)
        .take_while(|&l| ((1u64 << (l - 1)) + 1) * 50 <= MAX_LIKELIHOOD_GRID as u64)
        .last()
        .unwrap_or(1)
}

/// MLAE settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MaximumLikelihoodQae {
    /// Number of Grover powers: `m = 0` and `1, 2, 4, ..., 2^{levels-2}`.
    pub levels: usize,
    /// Shots per power.
    pub shots: u64,
    /// The interval misses with probability about `alpha`.
    pub alpha: f64,
    /// Seed of the simulated measurements.
    pub seed: u64,
}

impl MaximumLikelihoodQae {
    /// `levels` powers, 100 shots each, alpha 0.05, seed 0.
    pub fn new(levels: usize) -> Self {
        MaximumLikelihoodQae {
            levels,
            shots: 100,
            alpha: 0.05,
            seed: 0,
        }
    }

    /// The Grover powers of the schedule.
    pub fn powers(&self) -> Vec<u64> {
        std::iter::once(0)
            .chain((0..self.levels.saturating_sub(1)).map(|j| 1u64 << j))
            .collect()
    }
}

impl IntervalEstimator for MaximumLikelihoodQae {
    fn seed(&self) -> u64 {
        self.seed
    }

    fn run_with(
        &self,
        problem: &EstimationProblem,
        oracle: &mut GroverOracle,
    ) -> Result<IntervalEstimate> {
        check_alpha(self.alpha)?;
        check_shots(self.shots)?;
        if self.levels == 0 || self.levels > 40 {
            return Err(Error::invalid(format!(
                "levels = {}, expected 1..=40",
                self.levels
            )));
        }
        let powers = self.powers();
        let m_max = *powers.last().expect("one power") as f64;
        // The likelihood oscillates with period ~ pi / (2 m_max + 1) in t: the
        // grid resolves each period with 50 points, so its size (and the time
        // to scan it) doubles with every level.
        let grid_points = ((2.0 * m_max + 1.0) * 50.0).max(200.0);
        if grid_points > MAX_LIKELIHOOD_GRID as f64 {
            return Err(Error::TooLarge {
                what: format!(
                    "maximum-likelihood QAE with levels = {} (largest Grover power {m_max}): \
                     a likelihood grid of {grid_points:.3e} points; at most {} levels fit",
                    self.levels,
                    max_levels()
                ),
                needed: grid_points as u128,
                limit: MAX_LIKELIHOOD_GRID as u128,
            });
        }
        let hits: Vec<u64> = powers
            .iter()
            .map(|&m| oracle.measure(m, self.shots))
            .collect();
        let n = self.shots as f64;
        let loglik = |t: f64| -> f64 {
            powers
                .iter()
                .zip(&hits)
                .map(|(&m, &h)| {
                    let x = (2 * m + 1) as f64 * t;
                    let (s, c) = (x.sin().powi(2).max(1e-300), x.cos().powi(2).max(1e-300));
                    h as f64 * s.ln() + (n - h as f64) * c.ln()
                })
                .sum()
        };
        let half_pi = std::f64::consts::FRAC_PI_2;
        let grid = grid_points as usize;
        let mut best = (0.0, f64::NEG_INFINITY);
        for i in 0..=grid {
            let t = half_pi * i as f64 / grid as f64;
            let l = loglik(t);
            if l > best.1 {
                best = (t, l);
            }
        }
        // golden-section refinement in the grid cell around the best point
        let h = half_pi / grid as f64;
        let (mut lo, mut hi) = ((best.0 - h).max(0.0), (best.0 + h).min(half_pi));
        let g = (5f64.sqrt() - 1.0) / 2.0;
        for _ in 0..80 {
            let (x1, x2) = (hi - g * (hi - lo), lo + g * (hi - lo));
            if loglik(x1) > loglik(x2) {
                hi = x2
            } else {
                lo = x1
            }
        }
        let t = (lo + hi) / 2.0;
        let a = t.sin().powi(2);
        let fisher: f64 = powers
            .iter()
            .map(|&m| 4.0 * n * ((2 * m + 1) as f64).powi(2))
            .sum();
        let sd_a = (2.0 * t).sin().abs() / fisher.sqrt();
        let z = normal_quantile(1.0 - self.alpha / 2.0);
        let interval = ((a - z * sd_a).max(0.0), (a + z * sd_a).min(1.0));
        let calls = powers.iter().map(|&m| m * self.shots).sum();
        Ok(finish(
            problem,
            a,
            interval,
            calls,
            self.shots * powers.len() as u64,
            powers,
        ))
    }
}
