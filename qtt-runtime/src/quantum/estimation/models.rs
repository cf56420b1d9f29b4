//! The models of seed 001 as estimation problems: the Gaussian example, the
//! bank stress test, the neoclassical model and the consumption-saving loss.

use super::problem::{EstimationProblem, Normalization};
use crate::econ::consumption_saving::{ConsumptionSaving, Draws, Shock, State};
use crate::quantum::loading::distribution::{Discretized, SupportGrid};
use crate::{Error, Result};

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

/// Which random variables of the consumption-saving loss are discretised and
/// loaded (seed 001, figures 11 and 12). The other states sit at their mean
/// 0; innovations that are not loaded are 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LossVariables {
    /// Cash on hand `w`, uniform on `[w_min, w_max]`, and the interest-rate
    /// state `r`, ergodic normal on +-3 standard deviations (figure 11: two
    /// variables, no innovations).
    CashAndRate,
    /// The interest-rate state `r` and its two innovations `e1_r`, `e2_r`
    /// (normal on +-3 standard deviations) at cash on hand `cash` (figure 12).
    RateAndShocks {
        /// Cash on hand, in `[w_min, w_max]`.
        cash: f64,
    },
}

/// The all-in-one loss `E[R1(e1) R1(e2) + R2^2]` of the consumption-saving
/// model's current network over the variables `vars`, each on `m` qubits
/// (`2^m` equally spaced points), the integrand min-max normalised and loaded
/// by the exact multiplexed rotation; the readout gives the loss itself.
pub fn consumption_saving_loss(
    model: &ConsumptionSaving,
    vars: LossVariables,
    m: usize,
) -> Result<EstimationProblem> {
    let p = model.params();
    let sd = p.ergodic_sd();
    let grid = SupportGrid::Endpoints;
    let rate = Discretized::normal(0.0, sd[0], -3.0 * sd[0], 3.0 * sd[0], m, grid)?;
    let integrand = |s: State, e1: Shock, e2: Shock| -> f64 {
        Draws::new(vec![s], vec![e1], vec![e2])
            .and_then(|d| model.integrand(&d))
            .map_or(f64::NAN, |v| v[0])
    };
    match vars {
        LossVariables::CashAndRate => {
            let cash = Discretized::uniform(p.w_min, p.w_max, m, grid)?;
            EstimationProblem::from_distributions(
                &[cash, rate],
                |x| integrand([x[1], 0.0, 0.0, 0.0, x[0]], [0.0; 4], [0.0; 4]),
                Normalization::MinMax,
            )
        }
        LossVariables::RateAndShocks { cash } => {
            if !(cash >= p.w_min && cash <= p.w_max) {
                return Err(Error::invalid(format!(
                    "cash on hand {cash}, expected a number in [{}, {}]",
                    p.w_min, p.w_max
                )));
            }
            let s = p.sigma[0];
            let shock = Discretized::normal(0.0, s, -3.0 * s, 3.0 * s, m, grid)?;
            EstimationProblem::from_distributions(
                &[rate, shock.clone(), shock],
                |x| {
                    integrand(
                        [x[0], 0.0, 0.0, 0.0, cash],
                        [x[1], 0.0, 0.0, 0.0],
                        [x[2], 0.0, 0.0, 0.0],
                    )
                },
                Normalization::MinMax,
            )
        }
    }
}
