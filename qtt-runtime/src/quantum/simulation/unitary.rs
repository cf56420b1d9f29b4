//! The dense unitary of a circuit (column `s` is the circuit applied to `|s>`),
//! the oracle the tests compare gates, decompositions and exports against.

use nalgebra::DMatrix;
use num_complex::Complex64 as C64;

use super::state::{SimOptions, StateVector};
use crate::quantum::circuits::circuit::Circuit;
use crate::{Error, Result};

/// Largest circuit whose dense unitary is built (a 2^14 x 2^14 matrix is 4 GiB).
pub const MAX_DENSE_QUBITS: usize = 13;

/// The `2^n x 2^n` unitary of `circuit` (global phase included).
pub fn circuit_unitary(circuit: &Circuit) -> Result<DMatrix<C64>> {
    let n = circuit.n_qubits();
    if n > MAX_DENSE_QUBITS {
        return Err(Error::TooLarge {
            what: format!("the dense unitary of a {n}-qubit circuit"),
            needed: 1u128 << (2 * n),
            limit: 1u128 << (2 * MAX_DENSE_QUBITS),
        });
    }
    let dim = 1usize << n;
    // All columns at once: a 2n-qubit state whose high n qubits label the column,
    // so each operation is one pass over 4^n amplitudes instead of 2^n passes.
    let mut amps = vec![C64::new(0.0, 0.0); dim * dim];
    for s in 0..dim {
        amps[(s << n) | s] = C64::new(1.0, 0.0);
    }
    let mut st = StateVector::from_amplitudes_unnormalised(amps)?;
    st.apply_with(
        circuit,
        SimOptions {
            fusion_max_qubits: 0,
        },
    )?;
    let a = st.amplitudes();
    let u = DMatrix::from_fn(dim, dim, |r, s| a[(s << n) | r]);
    Ok(u)
}

/// The largest entry-wise difference of two matrices of the same shape.
pub fn max_abs_diff(a: &DMatrix<C64>, b: &DMatrix<C64>) -> f64 {
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| (x - y).norm())
        .fold(0.0, f64::max)
}
