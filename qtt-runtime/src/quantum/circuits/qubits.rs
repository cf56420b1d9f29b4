//! The one check of a qubit list against a register size: every qubit in
//! range and none repeated. Every public path runs it before the kernels,
//! which write through raw pointers and rely on distinct, in-range qubits.

use crate::{Error, Result};

/// Checks that the qubits of `groups` (for an operation: its targets, then
/// its controls) are below `n_qubits` and pairwise distinct; `what` names
/// the operation (called only on error: the check runs once per gate) and
/// `holder` the circuit or state.
pub fn check_qubits(
    what: impl Fn() -> String,
    groups: &[&[usize]],
    n_qubits: usize,
    holder: &str,
) -> Result<()> {
    let all = || groups.iter().flat_map(|g| g.iter().copied());
    for (i, q) in all().enumerate() {
        if q >= n_qubits {
            return Err(Error::invalid(format!(
                "{} acts on qubit {q}, but the {holder} has {n_qubits} qubits (0..{n_qubits})",
                what()
            )));
        }
        if all().take(i).any(|p| p == q) {
            return Err(Error::invalid(format!(
                "{} uses qubit {q} twice; its targets and controls must be distinct",
                what()
            )));
        }
    }
    Ok(())
}
