//! Circuits from their description in `qtt_dsl::ir::circuit` (what `circuit!`
//! lowers to, or what a program builds from data): registers laid out in
//! declaration order, every qubit index and angle checked here.

use qtt_dsl::ir::circuit::{CircuitIr, GateIr, OpIr, QubitIr};

use super::circuit::{Circuit, Register};
use super::gate::Gate;
use crate::{Error, Result};

impl From<GateIr> for Gate {
    fn from(g: GateIr) -> Gate {
        match g {
            GateIr::H => Gate::H,
            GateIr::X => Gate::X,
            GateIr::Y => Gate::Y,
            GateIr::Z => Gate::Z,
            GateIr::S => Gate::S,
            GateIr::Sdg => Gate::Sdg,
            GateIr::T => Gate::T,
            GateIr::Tdg => Gate::Tdg,
            GateIr::Rx(t) => Gate::Rx(t),
            GateIr::Ry(t) => Gate::Ry(t),
            GateIr::Rz(t) => Gate::Rz(t),
            GateIr::Phase(t) => Gate::Phase(t),
        }
    }
}

impl Circuit {
    /// The circuit a description stands for. Errors name the offending qubit
    /// (`a[5]` of a 2-qubit register `a`, or a negative index), an undeclared
    /// register, a qubit used twice in one gate, or a non-finite angle.
    pub fn from_ir(ir: &CircuitIr) -> Result<Circuit> {
        let mut c = Circuit::new(0);
        let regs: Vec<Register> = ir
            .registers
            .iter()
            .map(|r| c.add_register(&r.name, r.size))
            .collect::<Result<_>>()?;
        let register = |k: usize| -> Result<&Register> {
            regs.get(k).ok_or_else(|| {
                Error::invalid(format!(
                    "register number {k} is not declared ({} registers)",
                    regs.len()
                ))
            })
        };
        let qubit = |q: QubitIr| -> Result<usize> {
            let r = register(q.register)?;
            match usize::try_from(q.index) {
                Ok(j) => r.qubit(j),
                Err(_) => Err(Error::invalid(format!(
                    "qubit {}[{}] has a negative index",
                    r.name, q.index
                ))),
            }
        };
        let qubits =
            |qs: &[QubitIr]| -> Result<Vec<usize>> { qs.iter().map(|&q| qubit(q)).collect() };
        for op in &ir.ops {
            match op {
                OpIr::Gate {
                    gate,
                    controls,
                    target,
                } => c.controlled_gate((*gate).into(), &qubits(controls)?, qubit(*target)?)?,
                OpIr::Swap { a, b } => c.swap(qubit(*a)?, qubit(*b)?)?,
                OpIr::Mcx { controls, target } => c.mcx(&qubits(controls)?, qubit(*target)?)?,
                OpIr::Qft {
                    register: k,
                    inverse,
                } => {
                    let r = register(*k)?;
                    // before the register's qubit list is collected
                    Circuit::check_qft_fits(r.len)?;
                    let qs = r.qubits();
                    if *inverse {
                        c.iqft(&qs)?
                    } else {
                        c.qft(&qs)?
                    }
                }
            };
        }
        Ok(c)
    }
}
