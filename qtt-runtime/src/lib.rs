//! Numerical kernels of qtt.
//!
//! This crate knows nothing about macros: it executes the operators,
//! automata and circuits that `qtt-dsl` describes.
//!
//! - [`linalg`]: dense decompositions on column-major storage and the one
//!   [`Truncation`] policy;
//! - [`tt`]: tensor trains (MPS) and TT matrices (MPO), rounding, arithmetic,
//!   operator application and cross approximation;
//! - [`grid`]: quantized grids, functions on them, finite-difference MPOs,
//!   quadrature and smoothing of kinks.

pub mod error;
pub mod grid;
pub mod linalg;
pub mod models;
pub mod qregion;
pub mod quantum;
pub mod solve;
pub mod tt;

pub use error::{check_finite, check_nonneg};
pub use error::{Error, Result};
pub use linalg::Truncation;
pub use tt::{Core, TensorTrain, TtMatrix};
