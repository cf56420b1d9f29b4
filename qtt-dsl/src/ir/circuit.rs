//! Circuit descriptions: registers and gates on register qubits, the IR the
//! `circuit!` macro lowers to and that the runtime turns into a
//! `qtt::quantum::Circuit` (`Circuit::from_ir`), which checks what only run
//! time knows (indices computed in loops, angles from variables).

/// A gate on one target qubit (angles in radians, `RY(t) = exp(-i t Y / 2)`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GateIr {
    /// Hadamard.
    H,
    /// Pauli X.
    X,
    /// Pauli Y.
    Y,
    /// Pauli Z.
    Z,
    /// `diag(1, i)`.
    S,
    /// `diag(1, -i)`.
    Sdg,
    /// `diag(1, e^{i pi/4})`.
    T,
    /// `diag(1, e^{-i pi/4})`.
    Tdg,
    /// `exp(-i t X / 2)`.
    Rx(f64),
    /// `exp(-i t Y / 2)`.
    Ry(f64),
    /// `exp(-i t Z / 2)`.
    Rz(f64),
    /// `diag(1, e^{i t})`.
    Phase(f64),
}

/// Qubit `index` of register number `register` (the index is checked when the
/// runtime builds the circuit, so it may be any integer here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QubitIr {
    /// Position of the register in [`CircuitIr::registers`].
    pub register: usize,
    /// Index within the register.
    pub index: i64,
}

/// One operation of a circuit description.
#[derive(Debug, Clone, PartialEq)]
pub enum OpIr {
    /// `gate` on `target` where every qubit of `controls` is 1.
    Gate {
        /// The gate.
        gate: GateIr,
        /// Control qubits (may be empty).
        controls: Vec<QubitIr>,
        /// The qubit it acts on.
        target: QubitIr,
    },
    /// Exchange of two qubits.
    Swap {
        /// First qubit.
        a: QubitIr,
        /// Second qubit.
        b: QubitIr,
    },
    /// X on `target` controlled by all of `controls` (decomposed in linear size).
    Mcx {
        /// Control qubits.
        controls: Vec<QubitIr>,
        /// The flipped qubit.
        target: QubitIr,
    },
    /// The quantum Fourier transform (or its inverse) on a whole register.
    Qft {
        /// Position of the register in [`CircuitIr::registers`].
        register: usize,
        /// Whether the inverse transform is meant.
        inverse: bool,
    },
}

/// A named register of `size` qubits; registers are laid out in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterIr {
    /// The register's name (used in error messages and kept on the circuit).
    pub name: String,
    /// Its number of qubits.
    pub size: usize,
}

/// A circuit description: registers and operations in time order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CircuitIr {
    /// Registers in declaration order (the first holds qubit 0).
    pub registers: Vec<RegisterIr>,
    /// Operations in time order.
    pub ops: Vec<OpIr>,
}

impl CircuitIr {
    /// An empty description.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares a register of `size` qubits after the existing ones; returns its position.
    pub fn register(&mut self, name: &str, size: usize) -> usize {
        self.registers.push(RegisterIr {
            name: name.to_string(),
            size,
        });
        self.registers.len() - 1
    }

    /// Appends an operation.
    pub fn push(&mut self, op: OpIr) {
        self.ops.push(op);
    }

    /// The total number of qubits.
    pub fn n_qubits(&self) -> usize {
        self.registers.iter().map(|r| r.size).sum()
    }
}
