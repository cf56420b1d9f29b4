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
//!
//! Accuracy (measured, `tests/hjb_100d.rs`, `bench-results/hjb_100d.jsonl`):
//! Han, Jentzen and E's problem at d = 100 reaches `2.4e-7` relative error
//! with the defaults (21 points per axis, 16 Lawson steps, tolerance
//! `1e-7`, ranks <= 10) in about 15 CPU seconds; with 4 and 8 steps it
//! is `2.7e-4` and `1.1e-4`, so the time error is no clean power law
//! (Lawson methods lose order with the stiff, wall-bounded diffusion) and
//! part of the 16-step figure is cancellation. At d = 30 Strang splitting
//! converges faster than Lawson RK4 (`4e-5` at 4 steps). At d = 10 the
//! defaults stop near `1e-4`: the terminal cost's complex singularity is
//! close to the real axis there (distance ~1 at the origin), so the box
//! and the points matter more than the step. Strang splitting with 51
//! points on `[-10, 10]` reaches `3e-7` (32 steps) and stays between
//! `5e-7` and `6e-6` for 48..128 steps (5..17 s); the scatter, not a power
//! law, is the floor of the Hamiltonian's crosses. At d = 1 the grid
//! converges geometrically (`8e-4` at 41 points, `8e-5` at 61). At
//! d = 1000 (Strang, 4 steps, 21 points, weights balanced by
//! [`WeightProfile::balanced`]) `u(0, 0) = 6.90648` against `6.9062552`
//! (two quadratures): `3.3e-5` in 172 s with 2 busy cores, ranks <= 9.

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
