//! An estimation problem: a preparation circuit `F` whose objective qubit reads 1
//! with probability `a`, and the map from `a` back to the quantity of interest.

use crate::quantum::circuits::circuit::Circuit;
use crate::quantum::loading::distribution::Discretized;
use crate::quantum::loading::payoff::{exact_payoff, linear_payoff};
use crate::quantum::simulation::state::StateVector;
use crate::{Error, Result};

/// How the measured probability `a` maps back to the expectation of interest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Readout {
    /// `value = offset + scale * a` (exact payoff loading of `(f - offset) / scale`).
    Affine {
        /// Added to the rescaled amplitude.
        offset: f64,
        /// Multiplies the amplitude.
        scale: f64,
    },
    /// Linear-approximation loading with scale `c`: `E[f] = ((a - 1/2) / c + 1) / 2`,
    /// then `value = offset + scale * E[f]`.
    LinearApprox {
        /// The approximation scale `c`.
        c: f64,
        /// Added to the rescaled expectation.
        offset: f64,
        /// Multiplies the expectation.
        scale: f64,
    },
}

impl Readout {
    /// The quantity of interest for the probability `a`.
    pub fn value(&self, a: f64) -> f64 {
        match *self {
            Readout::Affine { offset, scale } => offset + scale * a,
            Readout::LinearApprox { c, offset, scale } => {
                offset + scale * ((a - 0.5) / c + 1.0) / 2.0
            }
        }
    }
}

/// How a payoff is brought into `[0, 1]` before loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalization {
    /// The payoff is used as is and must lie in `[0, 1]`.
    Identity,
    /// `(f - min) / (max - min)` over the grid (seed 001, eq. 10).
    MinMax,
}

/// The problem amplitude estimation solves: prepare `F|0>`, estimate
/// `a = P(objective = 1)`, report `readout.value(a)`.
#[derive(Debug, Clone, PartialEq)]
pub struct EstimationProblem {
    /// The preparation circuit `F` (distribution and payoff loading).
    pub prep: Circuit,
    /// The qubit whose `|1>` marks the good states.
    pub objective: usize,
    /// Map from `a` to the reported value.
    pub readout: Readout,
    /// The joint pmf and the payoff values, when the problem came from
    /// distributions (the classical Monte Carlo baseline samples these).
    pub classical: Option<(Vec<f64>, Vec<f64>)>,
}

impl EstimationProblem {
    /// A problem from a preparation circuit and its objective qubit (identity readout).
    pub fn new(prep: Circuit, objective: usize) -> Result<Self> {
        if objective >= prep.n_qubits() {
            return Err(Error::invalid(format!(
                "objective qubit {objective}, but the preparation has {} qubits",
                prep.n_qubits()
            )));
        }
        Ok(EstimationProblem {
            prep,
            objective,
            readout: Readout::Affine {
                offset: 0.0,
                scale: 1.0,
            },
            classical: None,
        })
    }

    /// The number of qubits `F` acts on.
    pub fn n_qubits(&self) -> usize {
        self.prep.n_qubits()
    }

    /// `E[payoff(x_1, ..., x_d)]` for independent discretised variables, each on its
    /// own register (register 0 first), with the exact multiplexed payoff rotation.
    pub fn from_distributions(
        dists: &[Discretized],
        payoff: impl Fn(&[f64]) -> f64,
        normalization: Normalization,
    ) -> Result<Self> {
        if dists.is_empty() {
            return Err(Error::invalid(
                "no distributions given, expected at least one",
            ));
        }
        let widths: Vec<usize> = dists.iter().map(|d| d.n_qubits()).collect();
        let total: usize = widths.iter().sum();
        if total > 20 {
            return Err(Error::TooLarge {
                what: "an exact payoff rotation over the joint grid".into(),
                needed: 1u128 << total,
                limit: 1u128 << 20,
            });
        }
        let mut prep = Circuit::new(0);
        let mut start = 0;
        for (k, d) in dists.iter().enumerate() {
            let r = prep.add_register(&format!("x{k}"), widths[k])?;
            prep.append(&d.loader()?, &r.qubits())?;
            start += widths[k];
        }
        let anc = prep.add_register("objective", 1)?.start;
        let size = 1usize << total;
        let mut pmf = vec![0.0; size];
        let mut values = vec![0.0; size];
        let mut x = vec![0.0; dists.len()];
        for (idx, (p, v)) in pmf.iter_mut().zip(values.iter_mut()).enumerate() {
            let mut rest = idx;
            let mut prob = 1.0;
            for (k, d) in dists.iter().enumerate() {
                let i = rest & ((1 << widths[k]) - 1);
                rest >>= widths[k];
                x[k] = d.points[i];
                prob *= d.pmf[i];
            }
            *p = prob;
            *v = payoff(&x);
        }
        crate::error::check_finite("payoff on the grid", &values)?;
        let (offset, scale) = match normalization {
            Normalization::Identity => (0.0, 1.0),
            Normalization::MinMax => {
                let lo = values.iter().cloned().fold(f64::INFINITY, f64::min);
                let hi = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                (lo, if hi > lo { hi - lo } else { 1.0 })
            }
        };
        let scaled: Vec<f64> = values.iter().map(|v| (v - offset) / scale).collect();
        exact_payoff(&mut prep, &(0..start).collect::<Vec<_>>(), anc, &scaled)?;
        Ok(EstimationProblem {
            prep,
            objective: anc,
            readout: Readout::Affine { offset, scale },
            classical: Some((pmf, values)),
        })
    }

    /// `E[g(x)]` for an affine `g(x) = g0 + g1 x` of one variable on an equally
    /// spaced grid, loaded with the linear approximation of scale `c`.
    pub fn linear_approx(dist: &Discretized, g0: f64, g1: f64, c: f64) -> Result<Self> {
        Self::linear_approx_with_loader(dist, &dist.loader()?, g0, g1, c)
    }

    /// As [`EstimationProblem::linear_approx`], with the distribution loaded by
    /// `loader` (for instance a trained variational circuit) instead of exactly;
    /// `dist` still defines the grid and the classical baseline.
    pub fn linear_approx_with_loader(
        dist: &Discretized,
        loader: &Circuit,
        g0: f64,
        g1: f64,
        c: f64,
    ) -> Result<Self> {
        let m = dist.n_qubits();
        if loader.n_qubits() != m {
            return Err(Error::shape(format!(
                "the loader acts on {} qubits, the distribution has {m}",
                loader.n_qubits()
            )));
        }
        let pts = &dist.points;
        let (x0, x1) = (pts[0], pts[pts.len() - 1]);
        let h = (x1 - x0) / (pts.len() - 1) as f64;
        if let Some(i) = (0..pts.len()).find(|&i| {
            (pts[i] - (x0 + h * i as f64)).abs() > 1e-9 * (1.0 + h.abs() * pts.len() as f64)
        }) {
            return Err(Error::invalid(format!(
                "point {i} = {} is not on an equally spaced grid; the linear approximation needs SupportGrid::Endpoints",
                pts[i]
            )));
        }
        let mut prep = Circuit::new(0);
        let r = prep.add_register("x0", m)?;
        prep.append(loader, &r.qubits())?;
        let anc = prep.add_register("objective", 1)?.start;
        // f(i) = i / (M - 1) in [0, 1]; g(x_i) = g0 + g1 (x0 + (x1 - x0) f(i)).
        linear_payoff(
            &mut prep,
            &r.qubits(),
            anc,
            0.0,
            1.0 / (pts.len() - 1) as f64,
            c,
        )?;
        let values: Vec<f64> = pts.iter().map(|x| g0 + g1 * x).collect();
        Ok(EstimationProblem {
            prep,
            objective: anc,
            readout: Readout::LinearApprox {
                c,
                offset: g0 + g1 * x0,
                scale: g1 * (x1 - x0),
            },
            classical: Some((dist.pmf.clone(), values)),
        })
    }

    /// The exact `a = P(objective = 1)` of `F|0>` (state-vector simulation).
    pub fn amplitude(&self) -> Result<f64> {
        let mut s = StateVector::zero(self.n_qubits())?;
        s.apply(&self.prep)?;
        s.probability_one(self.objective)
    }

    /// The exact discretised expectation `sum_i p_i f_i`, when known.
    pub fn exact_value(&self) -> Option<f64> {
        self.classical
            .as_ref()
            .map(|(p, v)| p.iter().zip(v).map(|(a, b)| a * b).sum())
    }
}
