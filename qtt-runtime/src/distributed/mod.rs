//! Work across processes: a communicator abstraction with a serial and an
//! MPI implementation (feature `mpi`), parameter sweeps gathered in order on
//! rank 0, and a state vector split over `2^k` ranks (QuEST's layout).
//!
//! - [`comm`]: the [`Communicator`] trait, [`Serial`] and [`world`];
//! - [`mpi`] (feature `mpi`): MPI's world communicator, the abort-on-panic hook;
//! - [`sweep`]: a list of solves split round-robin over ranks;
//! - [`state`]: the distributed state vector;
//! - [`threads`]: ranks as threads of one process (multi-rank tests without MPI).

pub mod comm;
#[cfg(feature = "mpi")]
pub mod mpi;
pub mod state;
pub mod sweep;
pub mod threads;

pub use comm::{world, Communicator, Serial};
pub use state::DistributedState;
pub use sweep::sweep;
pub use threads::{run_on_threads, ThreadComm};
