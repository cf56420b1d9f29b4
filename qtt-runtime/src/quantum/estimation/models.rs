//! The models of seed 001 as estimation problems.

use super::problem::{EstimationProblem, Normalization};
use crate::quantum::loading::distribution::{Discretized, SupportGrid};
use crate::Result;

/// `E[sin^2 x]`, `x ~ N(0, 1)` on `2^m` equally spaced points of `[-pi, pi]`
/// (section 4.4; PennyLane's `QuantumMonteCarlo` example). The payoff is in
/// `[0, 1]` already and loaded exactly.
pub fn gaussian_sin2(m: usize) -> Result<EstimationProblem> {
    let pi = std::f64::consts::PI;
    let d = Discretized::normal(0.0, 1.0, -pi, pi, m, SupportGrid::Endpoints)?;
    EstimationProblem::from_distributions(&[d], |x| x[0].sin().powi(2), Normalization::Identity)
}

/// The continuous value of [`gaussian_sin2`]: `(1 - e^{-2}) / 2`.
pub fn gaussian_sin2_continuous() -> f64 {
    (1.0 - (-2.0f64).exp()) / 2.0
}

/// The two-bank, two-period stress test (section 5.1, eq. 40): expected loss
/// `E[0.0064 (2 + d2)(1 + d1)]`, `d1, d2 ~ Beta(2, 10)` i.i.d., each on `m` qubits
/// (cells of [0, 1] at their conditional means), payoff min-max normalised.
pub fn bank_stress_test(m: usize) -> Result<EstimationProblem> {
    let d = Discretized::beta(2.0, 10.0, 0.0, 1.0, m, SupportGrid::CellMeans)?;
    EstimationProblem::from_distributions(
        &[d.clone(), d],
        |x| 0.0064 * (2.0 + x[1]) * (1.0 + x[0]),
        Normalization::MinMax,
    )
}

/// The continuous expected loss of the stress test: `0.0064 (13/6)(7/6)` = 1.618%.
pub fn bank_stress_test_exact() -> f64 {
    0.0064 * (13.0 / 6.0) * (7.0 / 6.0)
}

/// How the neoclassical payoff is loaded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PayoffLoading {
    /// Exact multiplexed rotation (min-max normalised).
    Exact,
    /// The linear approximation with scale `c` (seed 001 uses `(3 pi / 2^n)^(1/3)`).
    LinearApprox(f64),
}

/// The simplified neoclassical investment model (section 5.2.1): `E[30 - 29 z']`,
/// `z' ~ N(1, 0.02^2)` on 32 points of `[0.94, 1.06]`; the exact value is 1.
pub fn neoclassical(dist: &Discretized, loading: PayoffLoading) -> Result<EstimationProblem> {
    match loading {
        PayoffLoading::Exact => EstimationProblem::from_distributions(
            std::slice::from_ref(dist),
            |z| 30.0 - 29.0 * z[0],
            Normalization::MinMax,
        ),
        PayoffLoading::LinearApprox(c) => EstimationProblem::linear_approx(dist, 30.0, -29.0, c),
    }
}

/// The neoclassical model's productivity distribution: `N(1, 0.02^2)` on
/// `2^m` equally spaced points of `[0.94, 1.06]`.
pub fn neoclassical_productivity(m: usize) -> Result<Discretized> {
    Discretized::normal(1.0, 0.02, 0.94, 1.06, m, SupportGrid::Endpoints)
}
