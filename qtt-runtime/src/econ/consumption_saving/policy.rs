//! The decision rule: a network of the normalised state whose two outputs
//! give the consumption share `zeta = c / w = sigmoid(x_0)`, in `(0, 1)` so
//! that `c <= w` holds by construction, and the Euler multiplier
//! `h = exp(x_1) > 0`, the network's guess of `beta E[...] / u'(c)`.
//!
//! Inputs are scaled to be of order one: each exogenous state divided by
//! twice its ergodic standard deviation, cash on hand mapped affinely from
//! `[w_min, w_max]` to `[-1, 1]` (as Maliar, Maliar and Winant do).

use super::calibration::{ConsumptionSavingParams, State};
use crate::learn::{Forward, Mlp};
use crate::{Error, Result};

/// The consumption-saving model with its network decision rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsumptionSaving {
    params: ConsumptionSavingParams,
    net: Mlp,
}

/// The decision at one state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// The consumption share `c / w`, in `(0, 1)`.
    pub share: f64,
    /// The Euler multiplier `h > 0` (`h < 1` where the constraint binds).
    pub multiplier: f64,
}

impl ConsumptionSaving {
    /// A model with `params` and a fresh network with the given hidden widths
    /// (ReLU between them), initialised from `seed`.
    pub fn new(params: ConsumptionSavingParams, hidden: &[usize], seed: u64) -> Result<Self> {
        params.check()?;
        if hidden.is_empty() {
            return Err(Error::invalid(
                "no hidden layers, expected at least one width",
            ));
        }
        let sizes: Vec<usize> = std::iter::once(5)
            .chain(hidden.iter().copied())
            .chain(std::iter::once(2))
            .collect();
        Ok(ConsumptionSaving {
            params,
            net: Mlp::new(&sizes, seed)?,
        })
    }

    /// Maliar, Maliar and Winant's calibration with seed 001's network: three
    /// hidden layers of 32 with ReLU.
    pub fn seed_001(seed: u64) -> Result<Self> {
        Self::new(ConsumptionSavingParams::default(), &[32, 32, 32], seed)
    }

    /// The parameters.
    pub fn params(&self) -> &ConsumptionSavingParams {
        &self.params
    }

    /// The network.
    pub fn net(&self) -> &Mlp {
        &self.net
    }

    pub(crate) fn net_mut(&mut self) -> &mut Mlp {
        &mut self.net
    }

    /// The network inputs for `states` (`n x 5`, row-major).
    pub(crate) fn inputs(&self, states: &[State]) -> Vec<f64> {
        let sd = self.params.ergodic_sd();
        let (lo, hi) = (self.params.w_min, self.params.w_max);
        let mut x = Vec::with_capacity(5 * states.len());
        for s in states {
            for k in 0..4 {
                x.push(s[k] / (2.0 * sd[k]));
            }
            x.push((s[4] - lo) / (hi - lo) * 2.0 - 1.0);
        }
        x
    }

    /// `d input_w / d w` of the cash-on-hand input.
    pub(crate) fn cash_input_scale(&self) -> f64 {
        2.0 / (self.params.w_max - self.params.w_min)
    }

    /// The forward pass at `states` (kept for backpropagation).
    pub(crate) fn forward(&self, states: &[State]) -> Result<Forward> {
        self.net.forward(&self.inputs(states), states.len())
    }

    /// The decisions at `states`.
    pub fn decisions(&self, states: &[State]) -> Result<Vec<Decision>> {
        let out = self.forward(states)?;
        Ok(out
            .output()
            .chunks_exact(2)
            .map(|x| Decision {
                share: sigmoid(x[0]),
                multiplier: x[1].exp(),
            })
            .collect())
    }

    /// Consumption `c = zeta w` at `states`.
    pub fn consumption(&self, states: &[State]) -> Result<Vec<f64>> {
        Ok(self
            .decisions(states)?
            .iter()
            .zip(states)
            .map(|(d, s)| d.share * s[4])
            .collect())
    }
}

/// The logistic function, without overflow for large `|x|`.
pub(crate) fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}
