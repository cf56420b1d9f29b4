//! The state-vector simulator.
//!
//! - [`state`]: amplitudes, circuit application, probabilities, sampling;
//! - [`kernels`]: the in-place update of the amplitudes by one operation;
//! - [`fusion`]: neighbouring operations multiplied into dense blocks;
//! - [`unitary`]: the dense unitary of a small circuit (the tests' oracle).

pub mod fusion;
pub mod kernels;
pub mod state;
pub mod unitary;
