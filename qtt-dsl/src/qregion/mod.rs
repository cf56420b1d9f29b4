//! QRegions and constraint automata (seed 002): the exact encoding of
//! `lo <= A x <= hi` over binary `x` as a deterministic finite-state machine
//! whose states are QRegions, unions of disjoint integer boxes in `Z^m`.
//!
//! Plain Rust with no compiler dependency: the `constraints!` macro runs it
//! at compile time, the runtime on systems built from data.

mod automaton;
mod bounds;
mod build;
mod error;
mod intbox;
mod region;

pub use automaton::{
    AutomatonTables, ChargeComplexity, ConstraintAutomaton, FluxSite, OwnedTables, NO_TRANSITION,
};
pub use bounds::cumulative_bounds;
pub use build::MAX_LINK_REGIONS;
pub use error::ConstraintError;
pub use intbox::IntBox;
pub use region::QRegion;

#[cfg(test)]
mod tests;
