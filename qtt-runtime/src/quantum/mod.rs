//! Quantum circuits, a state-vector simulator and quantum Monte Carlo (seed 001).
//!
//! - circuit IR: [`gate`], [`circuit`] (and [`from_ir`] for `qtt_dsl::ir::circuit`), [`decompose`], [`resources`], [`qasm`];
//! - simulation: [`state`] (amplitudes, sampling), [`kernels`], [`fusion`], [`unitary`];
//! - loading: [`multiplexor`], [`distribution`], [`payoff`], [`variational`];
//! - estimation: [`problem`], [`grover`], [`canonical`] (with [`subspace`], [`dense_grover`]), [`interval`], [`iterative`], [`mlae`],
//!   [`classical`], and the paper's [`models`].
//!
//! Rotation convention: `RY(t) = exp(-i t Y / 2)` (Qiskit, PennyLane).
//! Qubit `q` is bit `q` of a basis index (little-endian, as Qiskit).

pub mod canonical;
pub mod circuit;
pub mod classical;
pub mod decompose;
pub mod dense_grover;
pub mod distribution;
pub mod from_ir;
pub mod fusion;
pub mod gate;
pub mod grover;
pub mod interval;
pub mod iterative;
pub mod kernels;
pub mod mlae;
pub mod models;
pub mod multiplexor;
pub mod oracle;
pub mod payoff;
pub mod problem;
pub mod qasm;
pub mod resources;
pub mod state;
pub mod subspace;
pub mod unitary;
pub mod variational;

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
#[cfg(test)]
mod tests_estimation;
