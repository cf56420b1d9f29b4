//! The circuit IR: registers, operations (controlled single-qubit gates, swaps,
//! dense unitary blocks) and the algebra on circuits (composition, control,
//! adjoint, powers).
//!
//! Qubit `q` is bit `q` of a basis-state index (little-endian, as in Qiskit), and
//! qubit `j` of a register is bit `j` of the register's value.

use std::sync::Arc;

use num_complex::Complex64 as C64;

use super::gate::{unitarity_defect, Gate};
use super::qubits::check_qubits;
use crate::{Error, Result};

/// One operation of a circuit. Every operation may carry controls (all on `|1>`).
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// A single-qubit gate on `target`, applied where all `controls` are 1.
    Gate {
        /// The gate.
        gate: Gate,
        /// The qubit it acts on.
        target: usize,
        /// Control qubits (may be empty).
        controls: Vec<usize>,
    },
    /// Exchange of qubits `a` and `b`.
    Swap {
        /// First qubit.
        a: usize,
        /// Second qubit.
        b: usize,
        /// Control qubits (may be empty).
        controls: Vec<usize>,
    },
    /// A dense unitary on `qubits` (qubit `qubits[j]` is bit `j` of the block index),
    /// row-major `2^k x 2^k`.
    Unitary {
        /// The qubits the block acts on.
        qubits: Vec<usize>,
        /// Row-major matrix of dimension `2^qubits.len()`.
        matrix: Arc<Vec<C64>>,
        /// Control qubits (may be empty).
        controls: Vec<usize>,
    },
}

impl Op {
    /// The control qubits of the operation.
    pub fn controls(&self) -> &[usize] {
        match self {
            Op::Gate { controls, .. }
            | Op::Swap { controls, .. }
            | Op::Unitary { controls, .. } => controls,
        }
    }

    /// The qubits acted on, without the controls.
    pub fn targets(&self) -> Vec<usize> {
        match self {
            Op::Gate { target, .. } => vec![*target],
            Op::Swap { a, b, .. } => vec![*a, *b],
            Op::Unitary { qubits, .. } => qubits.clone(),
        }
    }

    /// Calls `f(targets, controls)` without allocating (the hot paths that
    /// check or dispatch every operation use it).
    pub fn with_qubits<R>(&self, f: impl FnOnce(&[usize], &[usize]) -> R) -> R {
        match self {
            Op::Gate {
                target, controls, ..
            } => f(std::slice::from_ref(target), controls),
            Op::Swap { a, b, controls } => f(&[*a, *b], controls),
            Op::Unitary {
                qubits, controls, ..
            } => f(qubits, controls),
        }
    }

    /// Checks what the kernels rely on: every qubit below `n_qubits` and
    /// distinct, a dense block on 1..=[`MAX_UNITARY_QUBITS`] qubits with a
    /// `2^k x 2^k` matrix; `holder` names the circuit or state in the error.
    /// Unitarity and finiteness are [`Circuit::push`]'s further checks.
    pub fn check_shape(&self, n_qubits: usize, holder: &str) -> Result<()> {
        self.with_qubits(|targets, controls| {
            check_qubits(|| self.kind(), &[targets, controls], n_qubits, holder)
        })?;
        if let Op::Unitary { qubits, matrix, .. } = self {
            if qubits.is_empty() || qubits.len() > MAX_UNITARY_QUBITS {
                return Err(Error::invalid(format!(
                    "a dense block acts on {} qubits, expected 1..={MAX_UNITARY_QUBITS}",
                    qubits.len()
                )));
            }
            let dim = 1usize << qubits.len();
            if matrix.len() != dim * dim {
                return Err(Error::shape(format!(
                    "a dense block on {} qubits needs {dim}x{dim} = {} entries, got {}",
                    qubits.len(),
                    dim * dim,
                    matrix.len()
                )));
            }
        }
        Ok(())
    }

    /// Every qubit the operation touches (targets then controls).
    pub fn qubits(&self) -> Vec<usize> {
        let mut q = self.targets();
        q.extend_from_slice(self.controls());
        q
    }

    /// The inverse operation.
    pub fn adjoint(&self) -> Op {
        match self {
            Op::Gate {
                gate,
                target,
                controls,
            } => Op::Gate {
                gate: gate.adjoint(),
                target: *target,
                controls: controls.clone(),
            },
            Op::Swap { .. } => self.clone(),
            Op::Unitary {
                qubits,
                matrix,
                controls,
            } => {
                let dim = 1usize << qubits.len();
                let mut adj = vec![C64::new(0.0, 0.0); dim * dim];
                for i in 0..dim {
                    for j in 0..dim {
                        adj[j * dim + i] = matrix[i * dim + j].conj();
                    }
                }
                Op::Unitary {
                    qubits: qubits.clone(),
                    matrix: Arc::new(adj),
                    controls: controls.clone(),
                }
            }
        }
    }

    /// The same operation with extra controls and qubits renamed by `map`.
    pub fn remapped(&self, map: &[usize], extra_controls: &[usize]) -> Op {
        self.mapped(|q| map[q], extra_controls)
    }

    /// The same operation with extra controls and qubit `q` renamed `map(q)`.
    pub fn mapped(&self, map: impl Fn(usize) -> usize, extra_controls: &[usize]) -> Op {
        let cs = |c: &[usize]| -> Vec<usize> {
            extra_controls
                .iter()
                .copied()
                .chain(c.iter().map(|&q| map(q)))
                .collect()
        };
        match self {
            Op::Gate {
                gate,
                target,
                controls,
            } => Op::Gate {
                gate: *gate,
                target: map(*target),
                controls: cs(controls),
            },
            Op::Swap { a, b, controls } => Op::Swap {
                a: map(*a),
                b: map(*b),
                controls: cs(controls),
            },
            Op::Unitary {
                qubits,
                matrix,
                controls,
            } => Op::Unitary {
                qubits: qubits.iter().map(|&q| map(q)).collect(),
                matrix: matrix.clone(),
                controls: cs(controls),
            },
        }
    }

    /// A short name for resource counts: `cx`, `ccx`, `mcx`, `c3ry`, `swap`, `unitary3`, ...
    pub fn kind(&self) -> String {
        let prefix = |k: usize| match k {
            0 => String::new(),
            1 => "c".to_string(),
            2 => "cc".to_string(),
            k => format!("c{k}"),
        };
        match self {
            Op::Gate { gate, controls, .. } => format!("{}{}", prefix(controls.len()), gate.name()),
            Op::Swap { controls, .. } => format!("{}swap", prefix(controls.len())),
            Op::Unitary {
                qubits, controls, ..
            } => format!("{}unitary{}", prefix(controls.len()), qubits.len()),
        }
    }
}

/// A named, contiguous range of qubits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Register {
    /// The register's name.
    pub name: String,
    /// Its first qubit.
    pub start: usize,
    /// Its number of qubits.
    pub len: usize,
}

impl Register {
    /// Qubit `j` of the register (bit `j` of its value), checked against its size.
    pub fn qubit(&self, j: usize) -> Result<usize> {
        if j < self.len {
            Ok(self.start + j)
        } else {
            Err(Error::invalid(format!(
                "qubit {}[{j}] is out of range: register `{}` has {} qubits",
                self.name, self.name, self.len
            )))
        }
    }

    /// All qubits of the register, least significant first.
    pub fn qubits(&self) -> Vec<usize> {
        (self.start..self.start + self.len).collect()
    }
}

/// A quantum circuit: a qubit count, a list of operations and a global phase.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Circuit {
    n_qubits: usize,
    ops: Vec<Op>,
    /// The circuit's unitary is `e^{i global_phase}` times the product of its ops.
    pub global_phase: f64,
    registers: Vec<Register>,
}

/// Largest dense block a circuit accepts (a 2^12 x 2^12 matrix is 256 MiB).
pub const MAX_UNITARY_QUBITS: usize = 12;

impl Circuit {
    /// An empty circuit on `n_qubits` qubits.
    pub fn new(n_qubits: usize) -> Self {
        Circuit {
            n_qubits,
            ..Default::default()
        }
    }

    /// The number of qubits.
    pub fn n_qubits(&self) -> usize {
        self.n_qubits
    }

    /// The operations, in time order.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// The named registers.
    pub fn registers(&self) -> &[Register] {
        &self.registers
    }

    /// The register called `name`.
    pub fn register(&self, name: &str) -> Option<&Register> {
        self.registers.iter().find(|r| r.name == name)
    }

    /// Appends a register of `len` new qubits after the existing ones.
    pub fn add_register(&mut self, name: &str, len: usize) -> Result<Register> {
        if self.register(name).is_some() {
            return Err(Error::invalid(format!(
                "register `{name}` is declared twice"
            )));
        }
        if len == 0 {
            return Err(Error::invalid(format!(
                "register `{name}` has 0 qubits, expected at least 1"
            )));
        }
        let total = self.n_qubits.checked_add(len).ok_or_else(|| {
            Error::invalid(format!(
                "register `{name}` of {len} qubits after {} qubits overflows the qubit count",
                self.n_qubits
            ))
        })?;
        let r = Register {
            name: name.to_string(),
            start: self.n_qubits,
            len,
        };
        self.n_qubits = total;
        self.registers.push(r.clone());
        Ok(r)
    }

    /// Widens the circuit to at least `n` qubits (new qubits are idle).
    pub fn widen(&mut self, n: usize) {
        self.n_qubits = self.n_qubits.max(n);
    }

    /// Checks and appends one operation.
    pub fn push(&mut self, op: Op) -> Result<&mut Self> {
        self.check(&op)?;
        self.ops.push(op);
        Ok(self)
    }

    fn check(&self, op: &Op) -> Result<()> {
        op.check_shape(self.n_qubits, "circuit")?;
        match op {
            Op::Gate { gate, .. } => {
                if let Some(t) = gate.angle() {
                    if !t.is_finite() {
                        return Err(Error::NonFinite(format!(
                            "{} angle = {t}, expected a finite number",
                            gate.name()
                        )));
                    }
                }
                if let Gate::Unitary(m) = gate {
                    check_unitary(m, 2)?;
                }
            }
            Op::Unitary { qubits, matrix, .. } => check_unitary(matrix, 1 << qubits.len())?,
            Op::Swap { .. } => {}
        }
        Ok(())
    }

    /// Applies `gate` to `target`.
    pub fn gate(&mut self, gate: Gate, target: usize) -> Result<&mut Self> {
        self.controlled_gate(gate, &[], target)
    }

    /// Applies `gate` to `target` where every qubit of `controls` is 1.
    pub fn controlled_gate(
        &mut self,
        gate: Gate,
        controls: &[usize],
        target: usize,
    ) -> Result<&mut Self> {
        self.push(Op::Gate {
            gate,
            target,
            controls: controls.to_vec(),
        })
    }

    /// Hadamard.
    pub fn h(&mut self, q: usize) -> Result<&mut Self> {
        self.gate(Gate::H, q)
    }
    /// Pauli X.
    pub fn x(&mut self, q: usize) -> Result<&mut Self> {
        self.gate(Gate::X, q)
    }
    /// Pauli Y.
    pub fn y(&mut self, q: usize) -> Result<&mut Self> {
        self.gate(Gate::Y, q)
    }
    /// Pauli Z.
    pub fn z(&mut self, q: usize) -> Result<&mut Self> {
        self.gate(Gate::Z, q)
    }
    /// S = diag(1, i).
    pub fn s(&mut self, q: usize) -> Result<&mut Self> {
        self.gate(Gate::S, q)
    }
    /// S adjoint.
    pub fn sdg(&mut self, q: usize) -> Result<&mut Self> {
        self.gate(Gate::Sdg, q)
    }
    /// T = diag(1, e^{i pi/4}).
    pub fn t(&mut self, q: usize) -> Result<&mut Self> {
        self.gate(Gate::T, q)
    }
    /// T adjoint.
    pub fn tdg(&mut self, q: usize) -> Result<&mut Self> {
        self.gate(Gate::Tdg, q)
    }
    /// `exp(-i theta X / 2)`.
    pub fn rx(&mut self, theta: f64, q: usize) -> Result<&mut Self> {
        self.gate(Gate::Rx(theta), q)
    }
    /// `exp(-i theta Y / 2)`.
    pub fn ry(&mut self, theta: f64, q: usize) -> Result<&mut Self> {
        self.gate(Gate::Ry(theta), q)
    }
    /// `exp(-i theta Z / 2)`.
    pub fn rz(&mut self, theta: f64, q: usize) -> Result<&mut Self> {
        self.gate(Gate::Rz(theta), q)
    }
    /// `diag(1, e^{i theta})`.
    pub fn phase(&mut self, theta: f64, q: usize) -> Result<&mut Self> {
        self.gate(Gate::Phase(theta), q)
    }
    /// CNOT from `c` to `t`.
    pub fn cx(&mut self, c: usize, t: usize) -> Result<&mut Self> {
        self.controlled_gate(Gate::X, &[c], t)
    }
    /// Controlled Z.
    pub fn cz(&mut self, c: usize, t: usize) -> Result<&mut Self> {
        self.controlled_gate(Gate::Z, &[c], t)
    }
    /// Controlled RY.
    pub fn cry(&mut self, theta: f64, c: usize, t: usize) -> Result<&mut Self> {
        self.controlled_gate(Gate::Ry(theta), &[c], t)
    }
    /// Controlled phase.
    pub fn cphase(&mut self, theta: f64, c: usize, t: usize) -> Result<&mut Self> {
        self.controlled_gate(Gate::Phase(theta), &[c], t)
    }
    /// Toffoli.
    pub fn ccx(&mut self, c0: usize, c1: usize, t: usize) -> Result<&mut Self> {
        self.controlled_gate(Gate::X, &[c0, c1], t)
    }
    /// Multi-controlled X.
    pub fn mcx(&mut self, controls: &[usize], t: usize) -> Result<&mut Self> {
        self.controlled_gate(Gate::X, controls, t)
    }
    /// SWAP.
    pub fn swap(&mut self, a: usize, b: usize) -> Result<&mut Self> {
        self.push(Op::Swap {
            a,
            b,
            controls: vec![],
        })
    }

    /// A dense unitary block (row-major, `2^k x 2^k`) on `qubits`.
    pub fn unitary(&mut self, qubits: &[usize], matrix: Vec<C64>) -> Result<&mut Self> {
        self.push(Op::Unitary {
            qubits: qubits.to_vec(),
            matrix: Arc::new(matrix),
            controls: vec![],
        })
    }

    /// A circuit on `n_qubits` holding only the QFT ([`Circuit::qft`]) or,
    /// with `inverse`, its inverse ([`Circuit::iqft`]) on `qubits`.
    pub fn fourier(n_qubits: usize, qubits: &[usize], inverse: bool) -> Result<Self> {
        let mut c = Circuit::new(n_qubits);
        if inverse {
            c.iqft(qubits)?;
        } else {
            c.qft(qubits)?;
        }
        Ok(c)
    }

    /// The quantum Fourier transform `|j> -> 2^{-k/2} sum_y e^{2 pi i j y / 2^k} |y>`
    /// on `qubits` (least significant first), with the final swaps.
    /// Its `k (k + 1) / 2 + k / 2` operations are counted first: a QFT whose
    /// operations would not fit in the available memory is an error.
    pub fn qft(&mut self, qubits: &[usize]) -> Result<&mut Self> {
        let k = qubits.len();
        Self::check_qft_fits(k)?;
        for i in (0..k).rev() {
            self.h(qubits[i])?;
            for j in (0..i).rev() {
                let angle = std::f64::consts::PI / (1u64 << (i - j)) as f64;
                self.cphase(angle, qubits[j], qubits[i])?;
            }
        }
        for i in 0..k / 2 {
            self.swap(qubits[i], qubits[k - 1 - i])?;
        }
        Ok(self)
    }

    /// An error naming the size when the operations of a QFT on `k` qubits
    /// would not fit in the available memory.
    pub(crate) fn check_qft_fits(k: usize) -> Result<()> {
        let ops = (k as u128) * (k as u128 + 1) / 2 + k as u128 / 2;
        crate::memory::check_fits(
            &format!("a QFT on {k} qubits ({ops} operations)"),
            ops * std::mem::size_of::<Op>() as u128,
        )
    }

    /// The inverse quantum Fourier transform on `qubits`.
    pub fn iqft(&mut self, qubits: &[usize]) -> Result<&mut Self> {
        let k = qubits.len();
        Self::check_qft_fits(k)?;
        let mut f = Circuit::new(k);
        f.qft(&(0..k).collect::<Vec<_>>())?;
        self.append(&f.adjoint(), qubits)
    }

    /// Appends `other` with its qubit `i` mapped to `qubits[i]`.
    pub fn append(&mut self, other: &Circuit, qubits: &[usize]) -> Result<&mut Self> {
        self.append_controlled(other, qubits, &[])
    }

    /// Appends `other`, controlled by `controls`, with its qubit `i` mapped to `qubits[i]`.
    /// A global phase of `other` becomes a (controlled) phase gate on the controls.
    pub fn append_controlled(
        &mut self,
        other: &Circuit,
        qubits: &[usize],
        controls: &[usize],
    ) -> Result<&mut Self> {
        if qubits.len() != other.n_qubits {
            return Err(Error::shape(format!(
                "appending a {}-qubit circuit needs {} target qubits, got {}",
                other.n_qubits,
                other.n_qubits,
                qubits.len()
            )));
        }
        self.append_mapped(other, |q| qubits[q], controls)
    }

    /// Appends `other`'s operations with qubit `q` renamed `map(q)` and the
    /// extra `controls`, each checked; no map over all qubits is built, so a
    /// circuit of many (idle) qubits costs what its operations cost.
    fn append_mapped(
        &mut self,
        other: &Circuit,
        map: impl Fn(usize) -> usize,
        controls: &[usize],
    ) -> Result<&mut Self> {
        for op in &other.ops {
            self.push(op.mapped(&map, controls))?;
        }
        if other.global_phase != 0.0 {
            match controls.split_last() {
                None => self.global_phase += other.global_phase,
                Some((&last, rest)) => {
                    self.controlled_gate(Gate::Phase(other.global_phase), rest, last)?;
                }
            }
        }
        Ok(self)
    }

    /// The inverse circuit (reversed order, each operation adjoint, phase negated).
    pub fn adjoint(&self) -> Circuit {
        Circuit {
            n_qubits: self.n_qubits,
            ops: self.ops.iter().rev().map(Op::adjoint).collect(),
            global_phase: -self.global_phase,
            registers: self.registers.clone(),
        }
    }

    /// This circuit followed by `other` (same qubits).
    pub fn then(&self, other: &Circuit) -> Result<Circuit> {
        let mut c = self.clone();
        c.widen(other.n_qubits);
        c.append_mapped(other, |q| q, &[])?;
        Ok(c)
    }

    /// The circuit repeated `k` times (`k < 0` repeats the adjoint).
    pub fn power(&self, k: i64) -> Circuit {
        let base = if k < 0 { self.adjoint() } else { self.clone() };
        let mut c = Circuit::new(self.n_qubits);
        c.registers = self.registers.clone();
        for _ in 0..k.unsigned_abs() {
            c.ops.extend(base.ops.iter().cloned());
            c.global_phase += base.global_phase;
        }
        c
    }

    /// The whole circuit controlled by new qubits: `controls` of the result, which
    /// has `max(n_qubits, 1 + max control)` qubits.
    pub fn controlled(&self, controls: &[usize]) -> Result<Circuit> {
        let n = controls
            .iter()
            .map(|&c| c + 1)
            .max()
            .unwrap_or(0)
            .max(self.n_qubits);
        let mut c = Circuit::new(n);
        c.append_mapped(self, |q| q, controls)?;
        Ok(c)
    }
}

fn check_unitary(m: &[C64], dim: usize) -> Result<()> {
    if let Some(i) = m
        .iter()
        .position(|z| !z.re.is_finite() || !z.im.is_finite())
    {
        return Err(Error::NonFinite(format!(
            "unitary entry {i} = {}, expected a finite number",
            m[i]
        )));
    }
    let d = unitarity_defect(m, dim);
    if d > 1e-9 {
        return Err(Error::invalid(format!(
            "a {dim}x{dim} block is not unitary: |U^dagger U - I| = {d:.3e}, expected < 1e-9"
        )));
    }
    Ok(())
}
