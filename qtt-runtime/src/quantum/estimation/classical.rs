//! The classical Monte Carlo baseline: seeded draws from the problem's joint pmf,
//! sample mean of the payoff and its standard error (error ~ N^{-1/2}).

use super::problem::EstimationProblem;
use crate::quantum::simulation::state::sample_pmf;
use crate::{Error, Result};

/// A classical Monte Carlo estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonteCarloEstimate {
    /// The sample mean.
    pub estimate: f64,
    /// Its standard error `s / sqrt(N)`.
    pub std_error: f64,
    /// The number of samples (one payoff evaluation each).
    pub samples: usize,
}

/// `samples` draws of the problem's payoff under its joint pmf.
pub fn classical_monte_carlo(
    problem: &EstimationProblem,
    samples: usize,
    seed: u64,
) -> Result<MonteCarloEstimate> {
    let (pmf, values) = problem.classical.as_ref().ok_or_else(|| {
        Error::invalid("the problem has no classical description (build it from distributions)")
    })?;
    if samples < 2 {
        return Err(Error::invalid(format!(
            "{samples} samples, expected at least 2"
        )));
    }
    let draws = sample_pmf(pmf, samples, seed)?;
    let n = samples as f64;
    let mean = draws.iter().map(|&i| values[i]).sum::<f64>() / n;
    let var = draws
        .iter()
        .map(|&i| (values[i] - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    Ok(MonteCarloEstimate {
        estimate: mean,
        std_error: (var / n).sqrt(),
        samples,
    })
}
