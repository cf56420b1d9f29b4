//! The Grover iterate `G = F Z F^-1 V` and seed 001's `Q = G^2` (eq. 21), with
//! `V = I (x) Z` on the objective qubit and `Z = I - 2|0><0|` on all of `F`'s
//! qubits; `Q` has eigenvalues `e^{+-2 pi i theta}` on the span of `F|0>`, where
//! `a = sin^2(pi theta / 2)`.
//!
//! Controlled-Q follows appendix D: only `V` (one CZ) and `Z` (X gates, H, one
//! multi-controlled X, H, X gates) are controlled; `F` and `F^-1` are not, since
//! they cancel pairwise when the control is 0.

use super::problem::EstimationProblem;
use crate::quantum::circuits::circuit::Circuit;
use crate::quantum::circuits::gate::Gate;
use crate::{Error, Result};

/// Appends `I - 2|0><0|` on `qubits`, controlled by `controls` (appendix D, fig. 19).
/// An empty `qubits` is an error (the reflection needs a qubit to act on).
pub fn append_zero_reflection(c: &mut Circuit, qubits: &[usize], controls: &[usize]) -> Result<()> {
    let Some((&w, others)) = qubits.split_first() else {
        return Err(Error::invalid(
            "a reflection about |0> on no qubits, expected at least one qubit",
        ));
    };
    for &q in qubits {
        c.x(q)?;
    }
    let mut cs: Vec<usize> = others.to_vec();
    cs.extend_from_slice(controls);
    if cs.is_empty() {
        c.z(w)?;
    } else {
        c.h(w)?;
        c.mcx(&cs, w)?;
        c.h(w)?;
    }
    for &q in qubits {
        c.x(q)?;
    }
    Ok(())
}

/// Appends `G = F Z F^-1 V` (time order V, F^-1, Z, F) on `targets` (the problem's
/// qubits mapped there), with V and Z controlled by `controls`.
pub fn append_grover_iterate(
    c: &mut Circuit,
    problem: &EstimationProblem,
    targets: &[usize],
    controls: &[usize],
) -> Result<()> {
    let obj = targets[problem.objective];
    c.controlled_gate(Gate::Z, controls, obj)?;
    c.append(&problem.prep.adjoint(), targets)?;
    append_zero_reflection(c, targets, controls)?;
    c.append(&problem.prep, targets)?;
    Ok(())
}

/// `G` on the problem's own qubits.
pub fn grover_iterate(problem: &EstimationProblem) -> Result<Circuit> {
    let mut c = Circuit::new(problem.n_qubits());
    append_grover_iterate(
        &mut c,
        problem,
        &(0..problem.n_qubits()).collect::<Vec<_>>(),
        &[],
    )?;
    Ok(c)
}

/// Seed 001's `Q = G^2` on the problem's own qubits.
pub fn grover_operator(problem: &EstimationProblem) -> Result<Circuit> {
    Ok(grover_iterate(problem)?.power(2))
}

/// Appends controlled-`Q` (appendix D) with `control` on `targets`.
pub fn append_controlled_q(
    c: &mut Circuit,
    problem: &EstimationProblem,
    targets: &[usize],
    control: usize,
) -> Result<()> {
    append_grover_iterate(c, problem, targets, &[control])?;
    append_grover_iterate(c, problem, targets, &[control])
}
