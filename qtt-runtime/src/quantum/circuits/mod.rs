//! The circuit IR: gates, circuits and what is computed from a circuit
//! without running it (decomposition, resource counts, OpenQASM 2).
//!
//! - [`gate`]: single-qubit gates and their matrices;
//! - [`circuit`]: registers, operations and the algebra on circuits;
//! - [`from_ir`]: circuits from `qtt_dsl::ir::circuit` (what `circuit!` emits);
//! - [`decompose`]: exact decomposition to {RX, RY, RZ, CNOT};
//! - [`resources`]: qubits, gates by kind, CNOTs, depth;
//! - [`qasm`]: OpenQASM 2 export and the parser of its subset;
//! - [`qubits`]: the range-and-distinctness check of qubit lists.

pub mod circuit;
pub mod decompose;
pub mod from_ir;
pub mod gate;
pub mod qasm;
pub mod qubits;
pub mod resources;
