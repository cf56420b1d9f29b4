//! Quantum circuits, a state-vector simulator and quantum Monte Carlo (seed 001).
//!
//! One folder per group:
//! - [`circuits`], the circuit IR: [`gate`], [`circuit`] (and [`from_ir`] for
//!   `qtt_dsl::ir::circuit`), [`decompose`](mod@decompose), [`resources`], [`qasm`];
//! - [`simulation`]: [`state`] (amplitudes, sampling, the checked entry to the
//!   kernels), [`unitary`];
//! - [`loading`]: [`multiplexor`], [`distribution`], [`payoff`], [`variational`];
//! - [`estimation`]: [`problem`], [`grover`], [`canonical`] (with [`subspace`],
//!   [`dense_grover`]), [`oracle`], [`interval`], [`iterative`], [`mlae`],
//!   [`classical`], and the paper's [`models`].
//!
//! Each module is re-exported here under its old path (`qtt::quantum::state`),
//! and the main types at the top (`qtt::quantum::StateVector`).
//!
//! Rotation convention: `RY(t) = exp(-i t Y / 2)` (Qiskit, PennyLane).
//! Qubit `q` is bit `q` of a basis index (little-endian, as Qiskit).

pub mod circuits;
pub mod estimation;
pub mod loading;
pub mod simulation;

// The modules keep their paths `qtt::quantum::<module>` from before the
// grouping, so `qtt::quantum::models`, `qtt::quantum::payoff` etc. still work.
pub use circuits::{circuit, decompose, from_ir, gate, qasm, resources};
pub use estimation::{
    canonical, classical, dense_grover, grover, interval, iterative, mlae, models, oracle, problem,
    subspace,
};
pub use loading::{distribution, multiplexor, payoff, variational};
pub use simulation::{state, unitary};

pub use canonical::{AmplitudeRange, Backend, CanonicalQae, QaeResult};
pub use circuit::{Circuit, Op, Register};
pub use classical::{classical_monte_carlo, MonteCarloEstimate};
pub use decompose::decompose;
pub use distribution::{Discretized, SupportGrid};
pub use gate::Gate;
pub use interval::{IntervalEstimate, IntervalEstimator};
pub use iterative::IterativeQae;
pub use mlae::MaximumLikelihoodQae;
pub use problem::{EstimationProblem, Normalization, Readout};
pub use qasm::{from_qasm, to_qasm};
pub use resources::Resources;
pub use state::{SimOptions, StateVector};
pub use subspace::InvariantSubspace;
pub use unitary::circuit_unitary;
pub use variational::{TrainOptions, VariationalLoader};

#[cfg(test)]
mod tests;
