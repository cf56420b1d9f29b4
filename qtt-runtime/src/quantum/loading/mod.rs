//! Loading data into amplitudes: distributions and payoffs as circuits.
//!
//! - [`multiplexor`]: uniformly controlled RY rotations, the building block;
//! - [`distribution`]: discretised distributions and their exact loading;
//! - [`payoff`]: payoffs on one ancilla, exact or linearly approximated;
//! - [`variational`]: seed 001's trained distribution loader.

pub mod distribution;
pub mod multiplexor;
pub mod payoff;
pub mod variational;
