//! Problems posed on the kernels: a model says what is solved, the
//! algorithms in [`solve`](crate::solve) say how.
//!
//! - [`dirichlet`]: two-point boundary-value problems on QTT grids of up to
//!   `2^63` points by AMEn on the Green's-function preconditioned system.

pub mod dirichlet;

pub use dirichlet::{DirichletProblem, DirichletSolution};
