//! Measurement oracle for Grover-power circuits: the probability that the
//! objective qubit reads 1 after `G^k F|0>`, and seeded shot sampling. Iterative
//! and maximum-likelihood amplitude estimation query it.

use num_complex::Complex64 as C64;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::dense_grover::prepared_state;
use super::grover::grover_iterate;
use super::problem::EstimationProblem;
use super::subspace::InvariantSubspace;
use crate::{Error, Result};

/// `P(objective = 1)` after `G^k F|0>`, computed on the invariant subspace of
/// `G` containing `F|0>` (2-dimensional; see [`InvariantSubspace`]): with the
/// subspace coordinates `c_k = H^k e_1` and the Gram matrix `M` of the basis
/// restricted to the good states, `P = c_k^* M c_k`. Exact to rounding for any
/// `k`, at `O(log k)` small products per query; plus a seeded random source for shots.
pub struct GroverOracle {
    subspace: InvariantSubspace,
    good_gram: Vec<C64>,
    rng: ChaCha8Rng,
}

impl GroverOracle {
    /// The oracle of `problem`, drawing shots from `seed`.
    pub fn new(problem: &EstimationProblem, seed: u64) -> Result<Self> {
        let g = grover_iterate(problem)?;
        let psi = prepared_state(problem)?;
        let subspace = InvariantSubspace::arnoldi(&g, &psi, InvariantSubspace::tolerance(&g))?;
        let good_gram = subspace.gram(|x| x >> problem.objective & 1 == 1);
        Ok(GroverOracle {
            subspace,
            good_gram,
            rng: ChaCha8Rng::seed_from_u64(seed),
        })
    }

    /// The exact probability of reading 1 after `k` Grover iterations.
    pub fn probability(&mut self, k: u64) -> f64 {
        let c = self.subspace.coordinates_after(k);
        let d = c.len();
        let mut p = C64::new(0.0, 0.0);
        for i in 0..d {
            for j in 0..d {
                p += c[i].conj() * self.good_gram[i * d + j] * c[j];
            }
        }
        p.re.clamp(0.0, 1.0)
    }

    /// The number of ones in `shots` measurements after `k` Grover iterations.
    pub fn measure(&mut self, k: u64, shots: u64) -> u64 {
        let p = self.probability(k);
        (0..shots).filter(|_| self.rng.random::<f64>() < p).count() as u64
    }
}

/// The standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9):
/// `-inf` at `p = 0`, `+inf` at `p = 1`, and NaN for a NaN `p` or one outside `[0, 1]`.
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 || p == 1.0 {
        return if p == 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    if p > 0.5 {
        // The upper half by symmetry; `1 - p` lies in the lower half, so this
        // recurses once.
        return -normal_quantile(1.0 - p);
    }
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let pl = 0.02425;
    if p < pl {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// The most shots one measurement simulates: each is one random draw, so
/// 2^32 take seconds and more would make a run hang.
pub const MAX_SHOTS: u64 = 1 << 32;

/// Checks a number of shots: `1..=`[`MAX_SHOTS`].
pub fn check_shots(shots: u64) -> Result<()> {
    if !(1..=MAX_SHOTS).contains(&shots) {
        return Err(Error::invalid(format!(
            "shots = {shots}, expected 1..={MAX_SHOTS}"
        )));
    }
    Ok(())
}

/// Checks a confidence level `alpha` (the probability the interval may miss).
pub fn check_alpha(alpha: f64) -> Result<()> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Error::invalid(format!(
            "alpha = {alpha}, expected 0 < alpha < 1"
        )));
    }
    Ok(())
}
