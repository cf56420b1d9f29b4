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

/// The per-axis weight `rho_k(x) = s_k (exp(-x^2 / (4 c_k)) + floor)` of a
/// weighted train (`c_k = inf`: uniform).
///
/// The constants `s_k` keep a train over hundreds of axes inside the range
/// of `f64`: the weighted train's norm grows like `prod_k |rho_k|` over the
/// nodes and a single entry like `prod_k rho_k(x_k)`, so
/// `s_k = |rho_k|^(-1/2)` (see [`WeightProfile::balanced`]) puts both near
/// `|rho_k|^(+-d/2)`, e.g. `~1e+-150` at d = 1000 on 21 nodes instead of a
/// norm of `1e301`.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightProfile {
    /// The variances `c_k`.
    pub variance: Vec<f64>,
    /// The floor added to each factor.
    pub floor: f64,
    /// The per-axis scales `s_k`.
    pub scale: Vec<f64>,
}

impl WeightProfile {
    /// The uniform weight 1 on `d` axes.
    pub fn uniform(d: usize) -> Self {
        Self {
            variance: vec![f64::INFINITY; d],
            floor: 0.0,
            scale: vec![1.0; d],
        }
    }
    /// `rho_k(x)`.
    pub fn at(&self, k: usize, x: f64) -> f64 {
        self.scale[k] * ((-x * x / (4.0 * self.variance[k])).exp() + self.floor)
    }
    /// The same profile with `s_k = |rho_k|^(-1/2)`, `|rho_k|` the 2-norm of
    /// the unscaled weight over the nodes of `grid`'s axis `k`, when
    /// `prod_k |rho_k|` exceeds `1e100` (about d = 300 on 21 nodes); below
    /// that the scales stay 1, since the Hamiltonian's cross has absolute
    /// thresholds tuned on unscaled weights (at d = 100 balancing moved the
    /// error from 2.4e-7 to 1.9e-5).
    pub fn balanced(mut self, grid: &TensorGrid) -> Self {
        self.scale = vec![1.0; self.variance.len()];
        let norms: Vec<f64> = self
            .on_grid(grid)
            .iter()
            .map(|r| r.iter().map(|v| v * v).sum::<f64>().sqrt())
            .collect();
        if norms.iter().map(|n| n.log10()).sum::<f64>() > 100.0 {
            self.scale = norms.iter().map(|n| n.powf(-0.5)).collect();
        }
        self
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
