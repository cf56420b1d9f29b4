//! Checks of a trained policy that do not rely on the training loss:
//!
//! - [`deterministic_policy`]: with the innovations switched off and the
//!   exogenous states at their mean 0, the model is the deterministic
//!   problem `u'(c) >= beta rbar u'(c')`, `w' = (w - c) rbar + 1`, with
//!   equality unless `c = w`, solved to round-off by the endogenous grid
//!   method (Carroll 2006). The calibrated innovations are of order 1e-3,
//!   so the stochastic policy at the mean states differs from it by
//!   about `sigma^2`, far below what a trained network resolves.
//! - [`ConsumptionSaving::euler_residuals`]: the Fischer-Burmeister residual
//!   `FB(1 - h*, 1 - c/w)` with the multiplier `h* = beta E[exp(delta' - delta)
//!   (c'/c)^(-gamma) rbar exp(r')]` computed from the policy itself by a
//!   three-point Gauss-Hermite rule in each of the four innovations (not the
//!   network's own `h`).

use super::calibration::{ConsumptionSavingParams, State};
use super::loss::fischer_burmeister;
use super::policy::{sigmoid, ConsumptionSaving};
use crate::{Error, Result};

/// The policy of the deterministic model on a cash-on-hand grid.
#[derive(Debug, Clone, PartialEq)]
pub struct DeterministicPolicy {
    /// Cash on hand at the knots (increasing; the first is the kink where
    /// the constraint stops binding).
    pub cash: Vec<f64>,
    /// Consumption at the knots.
    pub consumption: Vec<f64>,
}

impl DeterministicPolicy {
    /// Consumption at `w`: `w` below the kink, linear between knots, and
    /// linear extrapolation beyond the last knot.
    pub fn at(&self, w: f64) -> f64 {
        let (x, y) = (&self.cash, &self.consumption);
        if w <= x[0] {
            return w.min(y[0]);
        }
        let j = x.partition_point(|&v| v <= w).clamp(1, x.len() - 1);
        let t = (w - x[j - 1]) / (x[j] - x[j - 1]);
        y[j - 1] + t * (y[j] - y[j - 1])
    }

    /// The cash on hand below which the agent consumes everything.
    pub fn kink(&self) -> f64 {
        self.cash[0]
    }
}

/// The deterministic policy by the endogenous grid method on `points`
/// savings knots (quadratically spaced on `[0, 4 w_max]`), iterated until
/// consumption changes by less than 1e-13.
pub fn deterministic_policy(
    params: &ConsumptionSavingParams,
    points: usize,
) -> Result<DeterministicPolicy> {
    params.check()?;
    if !(3..=1 << 20).contains(&points) {
        return Err(Error::invalid(format!(
            "{points} savings knots, expected 3..=2^20"
        )));
    }
    let (rbar, gamma) = (params.rbar, params.gamma);
    let a_max = 4.0 * params.w_max;
    let savings: Vec<f64> = (0..points)
        .map(|j| a_max * (j as f64 / (points - 1) as f64).powi(2))
        .collect();
    // Start from "consume everything": c(w) = w.
    let mut policy = DeterministicPolicy {
        cash: vec![1.0, 2.0],
        consumption: vec![1.0, 2.0],
    };
    let factor = (params.beta * rbar).powf(-1.0 / gamma);
    for _ in 0..100_000 {
        let consumption: Vec<f64> = savings
            .iter()
            .map(|&a| factor * policy.at(a * rbar + 1.0))
            .collect();
        let cash: Vec<f64> = savings
            .iter()
            .zip(&consumption)
            .map(|(a, c)| a + c)
            .collect();
        let change = if policy.consumption.len() == points {
            consumption
                .iter()
                .zip(&policy.consumption)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max)
        } else {
            f64::INFINITY
        };
        policy = DeterministicPolicy { cash, consumption };
        if change < 1e-13 {
            return Ok(policy);
        }
    }
    Err(Error::Numerical(
        "the endogenous grid method did not converge in 100000 iterations".into(),
    ))
}

/// Three-point Gauss-Hermite rule for a standard normal: nodes and weights.
const GAUSS_HERMITE_3: [(f64, f64); 3] = [
    (-1.732_050_807_568_877_2, 1.0 / 6.0),
    (0.0, 2.0 / 3.0),
    (1.732_050_807_568_877_2, 1.0 / 6.0),
];

impl ConsumptionSaving {
    /// The Fischer-Burmeister Euler residual at each of `states` (0 for an
    /// exact solution), with the expectation by quadrature (see module docs).
    pub fn euler_residuals(&self, states: &[State]) -> Result<Vec<f64>> {
        if states.is_empty() {
            return Err(Error::invalid("no states, expected at least one"));
        }
        crate::error::check_finite("states", states.as_flattened())?;
        let p = *self.params();
        let nodes = GAUSS_HERMITE_3.len().pow(4);
        let decisions = self.decisions(states)?;
        let mut next = Vec::with_capacity(states.len() * nodes);
        let mut weight = Vec::with_capacity(states.len() * nodes);
        for (s, d) in states.iter().zip(&decisions) {
            for node in 0..nodes {
                let mut e = [0.0; 4];
                let mut wgt = 1.0;
                let mut rest = node;
                for (ek, sigma) in e.iter_mut().zip(p.sigma) {
                    let (x, w) = GAUSS_HERMITE_3[rest % 3];
                    rest /= 3;
                    *ek = sigma * x;
                    wgt *= w;
                }
                let x = p.next_exogenous(s, &e);
                let w = p.income(&x) + (1.0 - d.share) * s[4] * p.gross_return(&x);
                next.push([x[0], x[1], x[2], x[3], w]);
                weight.push(wgt);
            }
        }
        let fwd = self.forward(&next)?;
        let out = fwd.output();
        Ok(states
            .iter()
            .zip(&decisions)
            .enumerate()
            .map(|(i, (s, d))| {
                let c = d.share * s[4];
                let h: f64 = (i * nodes..(i + 1) * nodes)
                    .map(|j| {
                        let t = &next[j];
                        let c_next = sigmoid(out[2 * j]) * t[4];
                        weight[j]
                            * p.beta
                            * (t[1] - s[1]).exp()
                            * (c_next / c).powf(-p.gamma)
                            * p.gross_return(&[t[0], t[1], t[2], t[3]])
                    })
                    .sum();
                fischer_burmeister(1.0 - h, 1.0 - d.share)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_policy_satisfies_its_euler_equation() {
        let p = ConsumptionSavingParams::default();
        let pol = deterministic_policy(&p, 400).unwrap();
        let k = pol.kink();
        assert!(k > p.w_min && k < p.w_max, "kink at {k}");
        for i in 0..50 {
            let w = k + (p.w_max - k) * (i as f64 + 0.5) / 50.0;
            let c = pol.at(w);
            let c_next = pol.at((w - c) * p.rbar + 1.0);
            let euler = p.beta * p.rbar * (c_next / c).powf(-p.gamma);
            // interpolation error only (quadratic in the knot spacing)
            assert!((euler - 1.0).abs() < 1e-4, "w = {w}: {euler}");
        }
        assert_eq!(pol.at(0.5 * k), 0.5 * k);
        assert!(deterministic_policy(&p, 2).is_err());
    }
}
