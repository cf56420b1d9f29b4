//! What a solve reports: one [`StepReport`] per time step (ranks, samples,
//! time) and the [`Solution`] `u(0, .)` on the grid.

use super::TensorGrid;
use crate::error::Result;
use crate::tt::TensorTrain;

/// What one time step did.
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    /// Step number, from 1.
    pub step: usize,
    /// The time `t` reached (the solve runs from `T` down to 0).
    pub time: f64,
    /// TT ranks of `u(t, .)` after the step (length `d + 1`).
    pub ranks: Vec<usize>,
    /// The largest of them.
    pub max_rank: usize,
    /// Largest rank of a Hamiltonian cross approximation in the step.
    pub max_cross_rank: usize,
    /// Points at which the Hamiltonian was sampled in the step.
    pub evaluations: usize,
    /// Cross half-sweeps in the step.
    pub cross_sweeps: usize,
    /// Seconds since the solve started (cumulative).
    pub seconds: f64,
}

impl std::fmt::Display for StepReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "step {:4}  t = {:.4}  max rank {:3} (cross {:3})  {:9} samples  {:3} sweeps  {:8.2} s",
            self.step,
            self.time,
            self.max_rank,
            self.max_cross_rank,
            self.evaluations,
            self.cross_sweeps,
            self.seconds
        )
    }
}

/// The per-axis weight `rho_k(x) = exp(-x^2 / (4 c_k)) + floor` of a
/// weighted train (`c_k = inf`: uniform).
#[derive(Debug, Clone, PartialEq)]
pub struct WeightProfile {
    /// The variances `c_k`.
    pub variance: Vec<f64>,
    /// The floor added to each factor.
    pub floor: f64,
}

impl WeightProfile {
    /// The uniform weight 1 on `d` axes.
    pub fn uniform(d: usize) -> Self {
        Self {
            variance: vec![f64::INFINITY; d],
            floor: 0.0,
        }
    }
    /// `rho_k(x)`.
    pub fn at(&self, k: usize, x: f64) -> f64 {
        (-x * x / (4.0 * self.variance[k])).exp() + self.floor
    }
    /// `rho_k` at every node of the grid, per axis.
    pub fn on_grid(&self, grid: &TensorGrid) -> Vec<Vec<f64>> {
        grid.axes()
            .iter()
            .enumerate()
            .map(|(k, a)| a.nodes().iter().map(|&x| self.at(k, x)).collect())
            .collect()
    }
}

/// The solution `u(0, .)` of a parabolic HJB problem on its grid.
#[derive(Debug, Clone)]
pub struct Solution {
    /// `u(0, .)` at the grid nodes (accurate where the final weight is not
    /// small; see [`Weighting`](super::Weighting)).
    pub u: TensorTrain,
    /// `rho (x) u(0, .)`, the train the solver computed.
    pub weighted: TensorTrain,
    /// The final weight `rho`.
    pub weight: WeightProfile,
    /// The grid.
    pub grid: TensorGrid,
    /// Ranks of the terminal condition `g` on the grid.
    pub terminal_ranks: Vec<usize>,
    /// One report per time step.
    pub steps: Vec<StepReport>,
    /// Total wall time in seconds.
    pub seconds: f64,
}

impl Solution {
    /// `u(0, x)` at any point `x` of the truncated domain (spectral
    /// interpolation between the nodes).
    pub fn value_at(&self, x: &[f64]) -> Result<f64> {
        // Interpolate the smooth weighted function, then divide: the
        // unweighted train may carry amplified noise near the walls.
        let w = self.grid.evaluate(&self.weighted, x)?;
        let rho: f64 = x
            .iter()
            .enumerate()
            .map(|(k, &xk)| self.weight.at(k, xk))
            .product();
        Ok(w / rho)
    }

    /// The largest TT rank of `u` over all time steps.
    pub fn max_rank(&self) -> usize {
        self.steps
            .iter()
            .map(|s| s.max_rank)
            .chain(std::iter::once(self.u.max_rank()))
            .max()
            .unwrap_or(1)
    }
}
