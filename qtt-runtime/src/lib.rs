//! Numerical kernels of qtt.
//!
//! This crate knows nothing about macros: it executes the operators,
//! automata and circuits that `qtt-dsl` describes.
//!
//! - [`linalg`]: dense decompositions on column-major storage and the one
//!   [`Truncation`] policy;
//! - [`tt`]: tensor trains (MPS) and TT matrices (MPO), rounding, arithmetic,
//!   operator application and cross approximation.

pub mod error;
pub mod linalg;
pub mod quantum;
pub mod tt;

pub use error::{Error, Result};
pub use linalg::Truncation;
