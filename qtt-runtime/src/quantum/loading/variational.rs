//! Seed 001's variational distribution loader (appendix A): `L` layers of a
//! general rotation `RZ(w) RY(t) RZ(p)` on every qubit followed by a ring of
//! CNOTs (`q -> q+1 mod m`, the pattern of PennyLane's StronglyEntanglingLayers,
//! which the paper's 3-parameters-per-qubit ansatz matches), trained to the L1
//! cost `sum_i |p(i) - p_target(i)|` with parameter-shift gradients and Adam
//! under the paper's learning-rate schedule (0.01, 0.001, 0.0001).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::learn::Adam;
use crate::quantum::circuits::circuit::Circuit;
use crate::quantum::simulation::state::StateVector;
use crate::{Error, Result};

/// A layered ansatz and its parameters (`3 * n_qubits * layers`).
#[derive(Debug, Clone, PartialEq)]
pub struct VariationalLoader {
    /// Number of qubits.
    pub n_qubits: usize,
    /// Number of layers.
    pub layers: usize,
    /// Parameters, layer-major, then qubit, then (p, t, w).
    pub params: Vec<f64>,
}

/// Training settings.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// `(learning rate, epochs)` stages, in order.
    pub schedule: Vec<(f64, usize)>,
    /// Seed of the initial parameters.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            schedule: vec![(0.01, 1000), (0.001, 1000), (0.0001, 1000)],
            seed: 0,
        }
    }
}

impl VariationalLoader {
    /// Random initial parameters in `[0, 2 pi)` from `seed`.
    pub fn new(n_qubits: usize, layers: usize, seed: u64) -> Result<Self> {
        if n_qubits == 0 || n_qubits > 20 || layers == 0 {
            return Err(Error::invalid(format!(
                "{n_qubits} qubits and {layers} layers, expected 1..=20 qubits and at least one layer"
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let params = (0..3 * n_qubits * layers)
            .map(|_| rng.random::<f64>() * std::f64::consts::TAU)
            .collect();
        Ok(VariationalLoader {
            n_qubits,
            layers,
            params,
        })
    }

    /// The ansatz circuit for the current parameters.
    pub fn circuit(&self) -> Result<Circuit> {
        circuit_for(self.n_qubits, self.layers, &self.params)
    }

    /// The distribution `p(i) = |<i|U|0>|^2` the circuit prepares.
    pub fn probabilities(&self) -> Result<Vec<f64>> {
        probabilities(self.n_qubits, self.layers, &self.params)
    }

    /// Trains to `target` (length `2^n_qubits`); returns the L1 cost after each epoch.
    pub fn train(&mut self, target: &[f64], opts: &TrainOptions) -> Result<Vec<f64>> {
        if target.len() != 1 << self.n_qubits {
            return Err(Error::shape(format!(
                "target pmf has {} entries, expected 2^{} = {}",
                target.len(),
                self.n_qubits,
                1 << self.n_qubits
            )));
        }
        crate::error::check_finite("target pmf", target)?;
        let mut adam = Adam::new(self.params.len());
        let mut history = vec![];
        for &(lr, epochs) in &opts.schedule {
            for _ in 0..epochs {
                let g = self.gradient(target)?;
                adam.step(&mut self.params, &g, lr)?;
                history.push(l1(&self.probabilities()?, target));
            }
        }
        Ok(history)
    }

    /// The L1 cost gradient by the parameter-shift rule (`+-pi/2` per rotation).
    pub fn gradient(&self, target: &[f64]) -> Result<Vec<f64>> {
        let p = self.probabilities()?;
        let sign: Vec<f64> = p
            .iter()
            .zip(target)
            .map(|(a, b)| (a - b).signum())
            .collect();
        let mut shifted = self.params.clone();
        let mut g = vec![0.0; self.params.len()];
        for j in 0..self.params.len() {
            let base = shifted[j];
            shifted[j] = base + std::f64::consts::FRAC_PI_2;
            let pp = probabilities(self.n_qubits, self.layers, &shifted)?;
            shifted[j] = base - std::f64::consts::FRAC_PI_2;
            let pm = probabilities(self.n_qubits, self.layers, &shifted)?;
            shifted[j] = base;
            g[j] = (0..p.len()).map(|i| sign[i] * (pp[i] - pm[i]) / 2.0).sum();
        }
        Ok(g)
    }
}

/// `sum_i |p_i - q_i|`.
pub fn l1(p: &[f64], q: &[f64]) -> f64 {
    p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum()
}

fn circuit_for(m: usize, layers: usize, params: &[f64]) -> Result<Circuit> {
    let mut c = Circuit::new(m);
    for l in 0..layers {
        for q in 0..m {
            let p = &params[3 * (l * m + q)..3 * (l * m + q) + 3];
            c.rz(p[0], q)?.ry(p[1], q)?.rz(p[2], q)?;
        }
        if m == 2 {
            c.cx(0, 1)?;
        } else if m > 2 {
            for q in 0..m {
                c.cx(q, (q + 1) % m)?;
            }
        }
    }
    Ok(c)
}

fn probabilities(m: usize, layers: usize, params: &[f64]) -> Result<Vec<f64>> {
    let mut s = StateVector::zero(m)?;
    s.apply(&circuit_for(m, layers, params)?)?;
    Ok(s.probabilities())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_shift_matches_finite_differences_and_training_lowers_the_cost() {
        let target = [0.05, 0.1, 0.2, 0.3, 0.2, 0.1, 0.04, 0.01];
        let mut v = VariationalLoader::new(3, 3, 5).unwrap();
        assert_eq!(v.params.len(), 27);
        // gradient of sum_i s_i p_i (fixed signs) by central differences
        let p0 = v.probabilities().unwrap();
        let sign: Vec<f64> = p0
            .iter()
            .zip(&target)
            .map(|(a, b)| (a - b).signum())
            .collect();
        let g = v.gradient(&target).unwrap();
        let h = 1e-6;
        // the L1 cost's gradient at fixed signs is that of sum_i sign_i p_i
        let signed = |w: &VariationalLoader| -> f64 {
            let p = w.probabilities().unwrap();
            p.iter().zip(&sign).map(|(p, s)| p * s).sum()
        };
        for j in [0, 7, 26] {
            let mut w = v.clone();
            w.params[j] += h;
            let up = signed(&w);
            w.params[j] -= 2.0 * h;
            let dn = signed(&w);
            assert!(((up - dn) / (2.0 * h) - g[j]).abs() < 1e-7, "param {j}");
        }
        let before = l1(&p0, &target);
        let hist = v
            .train(
                &target,
                &TrainOptions {
                    schedule: vec![(0.05, 300), (0.005, 200)],
                    seed: 0,
                },
            )
            .unwrap();
        let after = *hist.last().unwrap();
        assert!(
            after < 0.1 && after < before / 3.0,
            "before {before}, after {after}"
        );
        assert!(v.train(&[0.5, 0.5], &TrainOptions::default()).is_err());
    }
}
