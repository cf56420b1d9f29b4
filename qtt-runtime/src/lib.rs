//! Numerical kernels of qtt.
//!
//! This crate knows nothing about macros: it executes the operators,
//! automata and circuits that `qtt-dsl` describes. Its rooms, from the
//! ground up (outside tests each imports only rooms above it here):
//!
//! - [`error`]: the one [`Error`] type and the input checks every room uses;
//! - [`linalg`]: dense decompositions on column-major storage and the one
//!   [`Truncation`] policy;
//! - [`tt`]: tensor trains (MPS) and TT matrices (MPO), rounding, arithmetic,
//!   operator application and cross approximation;
//! - [`grid`]: quantized grids, functions on them, finite-difference MPOs,
//!   quadrature and smoothing of kinks;
//! - [`solve`]: the algorithms: operator sums to MPO, DMRG (dense and U(1)
//!   block-sparse), AMEn for eigenproblems and linear systems, their Krylov
//!   solvers;
//! - [`learn`]: a dense ReLU network with hand-written backpropagation
//!   and the Adam optimiser, for the deep-learning solvers;
//! - [`models`]: problems posed on grids and solved by those algorithms
//!   (two-point boundary-value problems);
//! - [`parabolic`]: parabolic HJB equations in hundreds of dimensions (one
//!   TT core per dimension, exact diffusion, Hamiltonian by cross);
//! - [`econ`]: heterogeneous-agent economies in continuous time (seed 000):
//!   HJB, Kolmogorov forward equation and general equilibrium, on QTT grids
//!   and by a banded finite-difference oracle; and the discrete-time
//!   consumption-saving model solved by deep learning (seed 001);
//! - [`qregion`]: constrained MPS: QRegion automata, exact counting, perfect
//!   sampling, Born-machine training, the quadratic knapsack;
//! - [`quantum`]: circuits, the state-vector simulator, distribution and
//!   payoff loading, amplitude estimation (seed 001);
//! - [`progress`]: where progress lines go (the `log` crate; the library
//!   never prints).
//! - [`distributed`]: a communicator (serial, or MPI with the `mpi` feature),
//!   parameter sweeps over ranks and the state vector split over ranks.
#![warn(missing_docs)]

pub mod distributed;
pub mod econ;
pub mod error;
pub mod grid;
pub mod learn;
pub mod linalg;
mod memory;
pub mod models;
pub mod parabolic;
pub mod progress;
pub mod qregion;
pub mod quantum;
pub mod solve;
pub mod tt;

pub use error::{check_finite, check_nonneg};
pub use error::{Error, Result};
pub use linalg::Truncation;
pub use tt::{Core, TensorTrain, TtMatrix};
