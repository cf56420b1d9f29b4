//! Errors of the constraint compiler (plain Rust; the runtime converts them
//! into `qtt::Error`).

use std::fmt;

/// What can go wrong when turning linear constraints into an automaton.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintError {
    /// No binary configuration satisfies the system; `constraint` is the
    /// 0-based row that first makes it infeasible.
    Infeasible {
        /// 0-based index of the failing row.
        constraint: usize,
        /// The row as written.
        label: String,
        /// Why it fails.
        reason: String,
    },
    /// A malformed system (shapes, magnitudes, tables).
    Invalid(String),
}

impl fmt::Display for ConstraintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConstraintError::Infeasible {
                constraint,
                label,
                reason,
            } => write!(f, "constraint {} (`{label}`) {reason}", constraint + 1),
            ConstraintError::Invalid(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for ConstraintError {}
