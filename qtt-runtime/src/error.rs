//! The one error type of qtt.
//!
//! User input never panics: every public function that takes shapes, sizes,
//! tolerances, files or constraints returns `Result<_, Error>`, and the
//! message names the offending value and what was expected.

/// Everything that can go wrong in a qtt call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Shapes, mode sizes or ranks that do not fit together.
    #[error("shape mismatch: {0}")]
    Shape(String),
    /// An argument outside its allowed range (negative tolerance, L = 0, ...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A dense object that would not fit in the allowed memory.
    #[error("too large: {what} needs {needed} elements, the limit is {limit}")]
    TooLarge {
        /// What was to be built.
        what: String,
        /// Elements it would need.
        needed: u128,
        /// The allowed number of elements.
        limit: u128,
    },
    /// A constraint system with no feasible point.
    #[error("infeasible: {0}")]
    Infeasible(String),
    /// A malformed input file.
    #[error("{source_name}:{line}: {message}")]
    Parse {
        /// File name (or `<input>`).
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong on that line.
        message: String,
    },
    /// A non-finite number where a finite one is required.
    #[error("non-finite value: {0}")]
    NonFinite(String),
    /// A decomposition or iteration that failed numerically.
    #[error("numerical failure: {0}")]
    Numerical(String),
    /// Reading or writing a file failed.
    #[error("i/o error: {0}")]
    Io(String),
}

/// `Result` with qtt's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A [`Error::Shape`] from anything printable.
    pub fn shape(msg: impl Into<String>) -> Self {
        Error::Shape(msg.into())
    }
    /// An [`Error::InvalidArgument`] from anything printable.
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidArgument(msg.into())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

/// Checks that `value` is finite and `>= 0`; `name` appears in the error.
pub fn check_nonneg(name: &str, value: f64) -> Result<f64> {
    if !value.is_finite() {
        return Err(Error::NonFinite(format!(
            "{name} = {value}, expected a finite number >= 0"
        )));
    }
    if value < 0.0 {
        return Err(Error::invalid(format!(
            "{name} = {value}, expected a number >= 0"
        )));
    }
    Ok(value)
}

/// Checks that every entry of `values` is finite; `name` appears in the error.
pub fn check_finite(name: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(i) => Err(Error::NonFinite(format!(
            "{name}[{i}] = {}, expected a finite number",
            values[i]
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonneg_rejects_nan_and_negative() {
        assert!(matches!(
            check_nonneg("tol", f64::NAN),
            Err(Error::NonFinite(_))
        ));
        assert!(matches!(
            check_nonneg("tol", -1.0),
            Err(Error::InvalidArgument(_))
        ));
        assert_eq!(check_nonneg("tol", 0.5), Ok(0.5));
    }

    #[test]
    fn finite_names_the_index() {
        let e = check_finite("v", &[1.0, f64::INFINITY]).unwrap_err();
        assert!(e.to_string().contains("v[1]"), "{e}");
    }
}
