//! Parabolic Hamilton–Jacobi–Bellman equations in tensor-train format:
//! `u_t + sum_i sigma_i u_{x_i x_i} + H(u, sum_i a_i u_{x_i}^2) = 0` on
//! `[0, T] x R^d`, `u(T, .) = g`, in hundreds of dimensions.
//!
//! - [`ChebyshevAxis`] / [`TensorGrid`]: mapped Chebyshev collocation per
//!   axis on a truncated box, one TT core per dimension;
//! - [`Diffusion`] / [`Propagator`]: the diagonal diffusion as a rank-2
//!   Kronecker sum and its exact rank-1 propagator;
//! - [`Hamiltonian`]: `-lambda q` or any element-wise `H(u, q)`, evaluated
//!   by a cross approximation that samples `u` and `q` from interfaces;
//! - [`Stepper`]: Strang splitting or Lawson RK4, exact in the diffusion;
//! - [`HjbProblem`] / [`SolverOptions`] / [`solve`]: the problem, the
//!   settings and the driver, with a per-step [`StepReport`] callback;
//! - [`Solution`]: `u(0, .)`, evaluated anywhere in the box.
//!
//! The method never uses the Cole–Hopf transform: it works for any
//! Hamiltonian; tests use Cole–Hopf only as the reference.

mod axis;
mod grid;
mod hamiltonian;
mod hamiltonian_cross;
mod operator;
mod problem;
mod report;
mod solver;
mod stepper;

pub use axis::ChebyshevAxis;
pub use grid::TensorGrid;
pub use hamiltonian::Hamiltonian;
pub use operator::{Diffusion, Propagator};
pub use problem::{HjbProblem, SolverOptions, TerminalCost, TerminalFn, Weighting};
pub use report::{Solution, StepReport, WeightProfile};
pub use solver::{
    domain_error, grid_for, solve, solve_with_progress, terminal_train, weight_profile,
};
pub use stepper::Stepper;
