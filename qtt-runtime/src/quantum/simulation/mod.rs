//! The state-vector simulator.
//!
//! - [`state`]: amplitudes, circuit application, probabilities, sampling;
//! - `kernels` (crate-private): the in-place update of the amplitudes by one
//!   operation, through raw pointers; reached only through [`state`], which
//!   checks every operation's qubits first;
//! - `fusion` (crate-private): neighbouring operations multiplied into dense blocks;
//! - [`unitary`]: the dense unitary of a small circuit (the tests' oracle).

pub(crate) mod fusion;
pub(crate) mod kernels;
pub mod state;
pub mod unitary;

/// The kernels are not part of the API: they trust their qubits.
///
/// ```compile_fail
/// use qtt_runtime::quantum::simulation::kernels::apply_swap;
/// ```
///
/// ```compile_fail
/// use qtt_runtime::quantum::kernels::apply_1q;
/// ```
#[cfg(doctest)]
pub struct KernelsArePrivate;
