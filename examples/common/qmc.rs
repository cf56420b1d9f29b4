//! Error against oracle calls for the amplitude estimators and classical
//! Monte Carlo on one estimation problem: the measurements behind the
//! slope plots of tutorials 10 and 13.

use qtt::quantum::{
    classical_monte_carlo, AmplitudeRange, Backend, CanonicalQae, EstimationProblem,
    IntervalEstimator, IterativeQae, MaximumLikelihoodQae,
};

/// `(oracle calls, absolute error)` of canonical QAE for `n` estimation
/// qubits in `ns` (phase estimation on the invariant subspace of Q: exact and
/// fast); the half of the circle is chosen from the exact amplitude, as seed
/// 001 does.
pub fn canonical(
    problem: &EstimationProblem,
    exact: f64,
    ns: std::ops::RangeInclusive<usize>,
) -> qtt::Result<Vec<(f64, f64)>> {
    let range = if problem.amplitude()? <= 0.5 {
        AmplitudeRange::AtMostHalf
    } else {
        AmplitudeRange::AtLeastHalf
    };
    ns.map(|n| {
        let r = CanonicalQae {
            backend: Backend::InvariantSubspace,
            range,
            ..CanonicalQae::new(n)
        }
        .run(problem)?;
        Ok((r.oracle_calls as f64, (r.estimate - exact).abs().max(1e-16)))
    })
    .collect()
}

/// Iterative QAE (100 shots a round, alpha 0.05) for target widths
/// `10^-k / 2`, `k` in `ks`: mean calls and mean error over `seeds` seeds.
pub fn iterative(
    problem: &EstimationProblem,
    exact: f64,
    ks: std::ops::RangeInclusive<i32>,
    seeds: u64,
) -> qtt::Result<Vec<(f64, f64)>> {
    ks.map(|k| {
        averaged(seeds, |seed| {
            IterativeQae {
                seed,
                shots: 100,
                ..IterativeQae::new(10f64.powi(-k) / 2.0, 0.05)
            }
            .run(problem)
            .map(|r| (r.oracle_calls as f64, (r.estimate - exact).abs()))
        })
    })
    .collect()
}

/// Maximum-likelihood QAE (100 shots a power) with `levels` Grover powers:
/// mean calls and mean error over `seeds` seeds.
pub fn maximum_likelihood(
    problem: &EstimationProblem,
    exact: f64,
    levels: std::ops::RangeInclusive<usize>,
    seeds: u64,
) -> qtt::Result<Vec<(f64, f64)>> {
    levels
        .map(|l| {
            averaged(seeds, |seed| {
                MaximumLikelihoodQae {
                    seed,
                    shots: 100,
                    ..MaximumLikelihoodQae::new(l)
                }
                .run(problem)
                .map(|r| (r.oracle_calls as f64, (r.estimate - exact).abs()))
            })
        })
        .collect()
}

/// Classical Monte Carlo with `10^k` samples, `k` in `ks`: samples and mean
/// error over `seeds` seeds.
pub fn monte_carlo(
    problem: &EstimationProblem,
    exact: f64,
    ks: std::ops::RangeInclusive<u32>,
    seeds: u64,
) -> qtt::Result<Vec<(f64, f64)>> {
    ks.map(|k| {
        let n = 10usize.pow(k);
        averaged(seeds, |seed| {
            classical_monte_carlo(problem, n, seed).map(|r| (n as f64, (r.estimate - exact).abs()))
        })
    })
    .collect()
}

/// The mean of `(calls, error)` over seeds `0..seeds`.
fn averaged(
    seeds: u64,
    mut run: impl FnMut(u64) -> qtt::Result<(f64, f64)>,
) -> qtt::Result<(f64, f64)> {
    let (mut calls, mut err) = (0.0, 0.0);
    for seed in 0..seeds {
        let (c, e) = run(seed)?;
        calls += c;
        err += e;
    }
    Ok((calls / seeds as f64, err / seeds as f64))
}
