//! Constrained MPS (seed 002): block-sparse tensor trains whose link sectors
//! are QRegions, so that every configuration they can produce satisfies a
//! system of linear constraints exactly.
//!
//! The QRegion algebra and the constraint automaton live in
//! [`qtt_dsl::qregion`] (the `constraints!` macro runs them at compile time)
//! and are re-exported here. This module adds what needs numbers: the
//! block-sparse MPS ([`ConstrainedMps`]), exact counting, amplitudes, perfect
//! sampling, canonical form with global truncation, Born-machine training
//! ([`BornMachine`]), the optimisation loop of Algorithm 3 ([`optimize`]) and
//! the quadratic knapsack problem ([`knapsack`]).

mod born;
mod canonical;
mod constraint_set;
mod count;
pub mod knapsack;
mod mps;
mod optimize;
mod sample;

pub use born::BornMachine;
pub use canonical::Orthogonality;
pub use constraint_set::{int_coefficient, ConstraintSet};
pub use count::count_feasible;
pub use mps::ConstrainedMps;
pub use optimize::{optimize, OptimizeConfig, OptimizeResult, Progress};
pub use qtt_dsl::ir::constraints::{LinearConstraint, LinearSystem};
pub use qtt_dsl::qregion::{
    cumulative_bounds, AutomatonTables, ChargeComplexity, ConstraintAutomaton, ConstraintError,
    FluxSite, IntBox, OwnedTables, QRegion,
};

impl From<ConstraintError> for crate::Error {
    fn from(e: ConstraintError) -> Self {
        match e {
            ConstraintError::Infeasible { .. } => crate::Error::Infeasible(e.to_string()),
            ConstraintError::Invalid(m) => crate::Error::InvalidArgument(m),
        }
    }
}

#[cfg(test)]
mod tests;
