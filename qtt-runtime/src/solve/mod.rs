//! Solvers on tensor trains: operator sums to MPO, DMRG (two-site, one-site
//! with White's correction) and AMEn for eigenproblems and linear systems.
//!
//! - [`opsum`]: operator sums to minimal-rank MPOs;
//! - `environment`, `local_operator`: cached projections `X^T A X` and the
//!   matrix-free local operator they define;
//! - [`eigensolver`]: Lanczos for the local eigenproblems;
//! - [`dmrg`], [`amen`]: the sweeping algorithms;
//! - [`dirichlet`]: two-point boundary-value problems on QTT grids of up to
//!   `2^63` points by AMEn on the Green's-function preconditioned system.

pub mod opsum;

pub use opsum::{LocalSpace, OpSum};
pub mod dmrg;
pub mod eigensolver;
mod environment;
mod local_operator;
mod mixer;
pub mod symmetric;

pub use dmrg::{dmrg, DmrgMethod, DmrgOptions, GroundState, SweepReport, SweepStage, Symmetry};
pub use eigensolver::{lanczos, Eigenpair, LanczosOptions};
pub use symmetric::{dmrg_u1, neel_state, spin_charges, U1Stats};
pub mod amen;

pub use amen::{amen_eig, amen_solve, AmenOptions, LinearSolution, SolveReport};
pub mod dirichlet;

pub use dirichlet::{DirichletProblem, DirichletSolution};
