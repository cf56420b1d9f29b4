//! Payoff loading onto one ancilla: `R|i>|0> = |i>(sqrt(1-f_i)|0> + sqrt(f_i)|1>)`.
//!
//! - exact: a multiplexed RY with angle `2 asin(sqrt(f_i))` for each index `i`
//!   of the (joint) index register, `2^k` RY and `2^k` CNOT gates;
//! - linear approximation (Woerner and Egger 2019; seed 001, appendix C): for an
//!   affine `f(i) = f0 + f1 i`, `P(1 | i) = sin^2(pi/4 + c (2 f(i) - 1))`, which is
//!   `1/2 + c (2 f(i) - 1) + O(c^3)`; one RY plus one controlled RY per qubit.

use super::multiplexor::uniformly_controlled_ry;
use crate::quantum::circuits::circuit::Circuit;
use crate::{Error, Result};

/// Appends the exact payoff rotation for `values` (in `[0, 1]`, one per index of
/// `index_qubits`, qubit `j` = bit `j`) onto `ancilla`.
pub fn exact_payoff(
    c: &mut Circuit,
    index_qubits: &[usize],
    ancilla: usize,
    values: &[f64],
) -> Result<()> {
    crate::error::check_finite("payoff values", values)?;
    if let Some(i) = values
        .iter()
        .position(|&v| !(-1e-12..=1.0 + 1e-12).contains(&v))
    {
        return Err(Error::invalid(format!(
            "payoff value {} at index {i}, expected a value in [0, 1] (rescale the payoff)",
            values[i]
        )));
    }
    let angles: Vec<f64> = values
        .iter()
        .map(|v| 2.0 * v.clamp(0.0, 1.0).sqrt().asin())
        .collect();
    uniformly_controlled_ry(c, index_qubits, ancilla, &angles)
}

/// The paper's choice of the linear-approximation scale for `n_est` estimation
/// qubits: `c = (3 pi / 2^n)^(1/3)` (Woerner and Egger; seed 001, appendix E).
pub fn linear_scale(n_est: usize) -> f64 {
    (3.0 * std::f64::consts::PI / (1u64 << n_est) as f64).cbrt()
}

/// Appends the linear-approximation rotation for `f(i) = f0 + f1 * i` (in `[0, 1]`
/// on the register's range) with scale `c`: `RY(pi/2 + 2c(2 f0 - 1))` on the
/// ancilla, then `CRY(4 c f1 2^j)` from index qubit `j`.
pub fn linear_payoff(
    c: &mut Circuit,
    index_qubits: &[usize],
    ancilla: usize,
    f0: f64,
    f1: f64,
    scale: f64,
) -> Result<()> {
    crate::error::check_finite("linear payoff (f0, f1, c)", &[f0, f1, scale])?;
    let top = f0 + f1 * ((1u64 << index_qubits.len()) - 1) as f64;
    for v in [f0, top] {
        if !(-1e-12..=1.0 + 1e-12).contains(&v) {
            return Err(Error::invalid(format!(
                "the linear payoff reaches {v} on the register, expected values in [0, 1]"
            )));
        }
    }
    // c <= pi/4 keeps sin^2 monotone on the register; seed 001 uses up to 0.84
    // (n = 4), so up to pi/2 is accepted.
    if !(scale > 0.0 && scale <= std::f64::consts::FRAC_PI_2) {
        return Err(Error::invalid(format!(
            "scale c = {scale}, expected 0 < c <= pi/2"
        )));
    }
    c.ry(
        std::f64::consts::FRAC_PI_2 + 2.0 * scale * (2.0 * f0 - 1.0),
        ancilla,
    )?;
    for (j, &q) in index_qubits.iter().enumerate() {
        c.cry(4.0 * scale * f1 * (1u64 << j) as f64, q, ancilla)?;
    }
    Ok(())
}
