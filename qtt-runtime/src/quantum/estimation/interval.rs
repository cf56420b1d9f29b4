//! What the amplitude estimators with confidence intervals (iterative and
//! maximum-likelihood QAE) share: their result and how they are run against the
//! measurement oracle.

use super::oracle::GroverOracle;
use super::problem::EstimationProblem;
use crate::Result;

/// What an amplitude-estimation run with a confidence interval returns.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalEstimate {
    /// The estimated `a`.
    pub amplitude: f64,
    /// Confidence interval on `a`.
    pub interval: (f64, f64),
    /// `readout.value(amplitude)`.
    pub estimate: f64,
    /// The interval mapped through the readout (sorted).
    pub estimate_interval: (f64, f64),
    /// Applications of the Grover iterate `G` over all shots.
    pub oracle_calls: u64,
    /// Total shots.
    pub shots: u64,
    /// The Grover powers used, in order.
    pub powers: Vec<u64>,
}

/// The estimate and interval on `a` mapped through the problem's readout.
pub(crate) fn finish(
    problem: &EstimationProblem,
    amplitude: f64,
    interval: (f64, f64),
    oracle_calls: u64,
    shots: u64,
    powers: Vec<u64>,
) -> IntervalEstimate {
    let (l, u) = (
        problem.readout.value(interval.0),
        problem.readout.value(interval.1),
    );
    IntervalEstimate {
        amplitude,
        interval,
        estimate: problem.readout.value(amplitude),
        estimate_interval: (l.min(u), l.max(u)),
        oracle_calls,
        shots,
        powers,
    }
}

/// An amplitude estimator that measures Grover powers through a
/// [`GroverOracle`] and returns a confidence interval.
pub trait IntervalEstimator {
    /// Seed of the simulated measurements.
    fn seed(&self) -> u64;

    /// Runs against an existing oracle (several runs can share its cached powers).
    fn run_with(
        &self,
        problem: &EstimationProblem,
        oracle: &mut GroverOracle,
    ) -> Result<IntervalEstimate>;

    /// Runs on `problem` with a fresh oracle drawing shots from [`Self::seed`].
    fn run(&self, problem: &EstimationProblem) -> Result<IntervalEstimate> {
        let mut oracle = GroverOracle::new(problem, self.seed())?;
        self.run_with(problem, &mut oracle)
    }
}
