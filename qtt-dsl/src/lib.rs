//! The qtt model compiler.
//!
//! Each macro of qtt runs through the same four stages, one module each:
//! parse (token stream to an AST with spans) -> check (AST to a typed spec,
//! errors at the user's span) -> lower (spec to IR) -> emit (IR to Rust tokens
//! naming only `::qtt::…` paths).
//!
//! The IR types (`ir`) are plain Rust with no syn/quote dependency, so the
//! runtime can build the same IR from data at run time. The front end lives
//! behind the `compiler` feature.

#![warn(missing_docs)]

#[cfg(feature = "compiler")]
pub mod circuit;
#[cfg(feature = "compiler")]
pub mod constraints;
#[cfg(feature = "compiler")]
pub mod estimate;
pub mod ir;
#[cfg(feature = "compiler")]
pub mod model;
#[cfg(feature = "compiler")]
pub mod mpo;
pub mod qregion;
