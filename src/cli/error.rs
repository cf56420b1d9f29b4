//! What a command can fail with, and the exit code each maps to.

use std::process::ExitCode;

/// A failed command line: the user's words or the run itself.
#[derive(Debug)]
pub enum CliError {
    /// Malformed arguments (unknown option, missing value): exit code 2.
    Usage(String),
    /// The command ran and failed (unreadable file, solver error): exit code 1.
    Runtime(String),
}

impl CliError {
    /// The conventional exit code: 2 for usage errors, 1 for the rest.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::from(2),
            CliError::Runtime(_) => ExitCode::from(1),
        }
    }

    /// The message, with a pointer to `--help` for usage errors.
    pub fn message(&self) -> String {
        match self {
            CliError::Usage(m) => format!("{m}\n(run 'qtt --help' for usage)"),
            CliError::Runtime(m) => m.clone(),
        }
    }
}

impl From<lexopt::Error> for CliError {
    fn from(e: lexopt::Error) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<qtt::Error> for CliError {
    fn from(e: qtt::Error) -> Self {
        CliError::Runtime(e.to_string())
    }
}

/// Runtime errors of the tour's sections, which report plain strings.
impl From<String> for CliError {
    fn from(e: String) -> Self {
        CliError::Runtime(e)
    }
}
