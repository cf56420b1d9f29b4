//! Small learning kernels for the deep-learning solvers of economic models
//! (seed 001, section 5.2.2): a dense network with ReLU hidden layers and
//! hand-written backpropagation ([`mlp`]), and the Adam optimiser ([`adam`]).
//!
//! Hand-written rather than a crate: the networks are tiny (a few thousand
//! parameters), the losses need gradients through the network's *inputs*
//! as well as its weights, and a deep-learning framework would add minutes
//! of build time and a large dependency tree for a few hundred lines of
//! arithmetic. Everything is `f64` and deterministic for a seed.

pub mod adam;
pub mod mlp;

pub use adam::Adam;
pub use mlp::{Forward, Mlp};
