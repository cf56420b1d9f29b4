//! Solvers on tensor trains: operator sums to MPO, DMRG (two-site, one-site
//! with White's correction) and AMEn for eigenproblems and linear systems.
//!
//! - [`local_space`]: a site's Hilbert space and its named operators;
//! - [`opsum`]: operator sums over local spaces to minimal-rank MPOs;
//! - `environment`, `local_operator`: cached projections `X^T A X` and the
//!   matrix-free local operator they define;
//! - [`krylov`]: Lanczos and GMRES for the local problems;
//! - [`dmrg_options`]: DMRG's variants, sweep schedules and stopping rules;
//! - [`dmrg`](mod@dmrg), [`amen`]: the sweeping algorithms;
//! - `mixer`: White's density-matrix mixer of a two-site split;
//! - [`symmetric`]: U(1) charge-conserving (block-sparse) two-site DMRG.
//!
//! Problems posed with them (boundary-value problems) live in
//! [`models`](crate::models).

pub mod amen;
pub mod dmrg;
pub mod dmrg_options;
mod environment;
pub mod krylov;
mod local_operator;
pub mod local_space;
mod mixer;
pub mod opsum;
pub mod symmetric;

pub use amen::{amen_eig, amen_solve, AmenOptions, LinearSolution, SolveReport};
pub use dmrg::{dmrg, ChargeSector, GroundState, SweepReport};
pub use dmrg_options::{DmrgMethod, DmrgOptions, SweepStage, Symmetry};
pub use krylov::{lanczos, Eigenpair, LanczosOptions};
pub use local_space::LocalSpace;
pub use opsum::OpSum;
pub use symmetric::{dmrg_u1, neel_state, spin_charges, U1Stats};
