//! A linear system together with its automaton: what `constraints!` returns.

use super::{ChargeComplexity, ConstrainedMps, ConstraintAutomaton, LinearSystem};
use crate::error::Result;
use qtt_dsl::qregion::AutomatonTables;
use std::sync::Arc;

/// Linear constraints over binary variables with their QRegion automaton
/// (built at compile time by `constraints!` for literal coefficients).
#[derive(Debug, Clone)]
pub struct ConstraintSet {
    system: LinearSystem,
    automaton: Arc<ConstraintAutomaton>,
}

impl ConstraintSet {
    /// Builds the automaton of `system` (flux at the last site); an
    /// infeasible system is an [`crate::Error::Infeasible`] naming the row.
    pub fn build(system: LinearSystem) -> Result<Self> {
        let automaton = Arc::new(ConstraintAutomaton::build(&system)?);
        Ok(Self { system, automaton })
    }

    /// Loads an automaton emitted as constant tables by `constraints!`.
    pub fn from_tables(system: LinearSystem, tables: &AutomatonTables<'_>) -> Result<Self> {
        let automaton = ConstraintAutomaton::from_tables(tables)?;
        if automaton.num_sites() != system.num_vars() {
            return Err(crate::Error::shape(format!(
                "automaton tables for {} sites, system of {} variables",
                automaton.num_sites(),
                system.num_vars()
            )));
        }
        Ok(Self {
            system,
            automaton: Arc::new(automaton),
        })
    }

    /// The linear system.
    pub fn system(&self) -> &LinearSystem {
        &self.system
    }

    /// The automaton (flux at the last site).
    pub fn automaton(&self) -> &ConstraintAutomaton {
        &self.automaton
    }

    /// Shared handle to the automaton.
    pub fn automaton_arc(&self) -> Arc<ConstraintAutomaton> {
        Arc::clone(&self.automaton)
    }

    /// Number of binary variables.
    pub fn num_vars(&self) -> usize {
        self.system.num_vars()
    }

    /// Whether `x` satisfies every constraint (checked on the rows).
    pub fn is_feasible(&self, x: &[u8]) -> bool {
        self.system.is_feasible(x)
    }

    /// The exact number of feasible configurations.
    pub fn count(&self) -> num_bigint::BigUint {
        super::count_feasible(&self.automaton)
    }

    /// Max QRegions per link over both flux orientations.
    pub fn charge_complexity(&self) -> Result<ChargeComplexity> {
        Ok(ChargeComplexity::of(&self.system)?)
    }

    /// The uniform superposition of all feasible configurations.
    pub fn uniform_mps(&self) -> ConstrainedMps {
        ConstrainedMps::uniform(self.automaton_arc())
    }
}

/// Converts a runtime coefficient of any integer type to `i64` (used by
/// code `constraints!` emits); `what` names the constraint in the error.
pub fn int_coefficient<T>(v: T, what: &str) -> Result<i64>
where
    T: TryInto<i64> + Copy + std::fmt::Display,
{
    v.try_into().map_err(|_| {
        crate::Error::invalid(format!(
            "constraint `{what}`: coefficient {v} does not fit in i64"
        ))
    })
}
