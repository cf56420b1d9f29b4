//! Resource counts of a circuit: qubits, gates by kind, CNOTs, depth.

use std::collections::BTreeMap;

use super::circuit::{Circuit, Op};
use super::gate::Gate;

/// What a circuit costs to run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resources {
    /// Number of qubits.
    pub qubits: usize,
    /// Number of operations.
    pub gates: u64,
    /// Operations by kind (`cx`, `ry`, `ccx`, `unitary3`, ...).
    pub by_kind: BTreeMap<String, u64>,
    /// Number of CNOTs (X with exactly one control).
    pub cnots: u64,
    /// Depth: the longest chain of operations that share a qubit.
    pub depth: u64,
}

impl Resources {
    /// Counts the resources of `circuit`.
    pub fn of(circuit: &Circuit) -> Resources {
        let mut r = Resources {
            qubits: circuit.n_qubits(),
            ..Default::default()
        };
        let mut level = vec![0u64; circuit.n_qubits()];
        for op in circuit.ops() {
            r.gates += 1;
            *r.by_kind.entry(op.kind()).or_insert(0) += 1;
            if matches!(op, Op::Gate { gate: Gate::X, controls, .. } if controls.len() == 1) {
                r.cnots += 1;
            }
            let qs = op.qubits();
            let d = qs.iter().map(|&q| level[q]).max().unwrap_or(0) + 1;
            for q in qs {
                level[q] = d;
            }
            r.depth = r.depth.max(d);
        }
        r
    }

    /// The resources of `self` followed by `times` copies of `other` on the same
    /// qubits; the depth is the sum (an upper bound, exact when every part spans
    /// the qubits it shares with its neighbours).
    pub fn then_repeated(&self, other: &Resources, times: u64) -> Resources {
        let mut r = self.clone();
        r.qubits = r.qubits.max(other.qubits);
        r.gates += other.gates * times;
        r.cnots += other.cnots * times;
        r.depth += other.depth * times;
        for (k, v) in &other.by_kind {
            *r.by_kind.entry(k.clone()).or_insert(0) += v * times;
        }
        r
    }
}

impl std::fmt::Display for Resources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} qubits, {} gates ({} CNOT), depth {}",
            self.qubits, self.gates, self.cnots, self.depth
        )?;
        let kinds: Vec<String> = self
            .by_kind
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        write!(f, " [{}]", kinds.join(", "))
    }
}
