//! Quantum Monte Carlo: amplitude estimation of an expectation.
//!
//! - [`problem`]: the preparation circuit and the map back from the amplitude;
//! - [`grover`]: the Grover operator `Q`;
//! - [`canonical`]: canonical amplitude estimation by phase estimation, with
//!   [`subspace`] (on `Q`'s invariant plane) and [`dense_grover`] (dense
//!   powers of `Q`) as faster exact backends;
//! - [`oracle`], [`interval`], [`iterative`], [`mlae`]: estimators with
//!   confidence intervals from measured shots;
//! - [`classical`]: the classical Monte Carlo baseline;
//! - [`models`]: seed 001's models as estimation problems.

pub mod canonical;
pub mod classical;
pub mod dense_grover;
pub mod grover;
pub mod interval;
pub mod iterative;
pub mod mlae;
pub mod models;
pub mod oracle;
pub mod problem;
pub mod subspace;

#[cfg(test)]
mod tests;
