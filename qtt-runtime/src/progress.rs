//! Progress of long runs (DMRG, AMEn and cross-approximation sweeps, when
//! their `verbose` option asks for it) is sent as `log` records at level
//! `Info`, under targets starting with `qtt`; the library never prints. A
//! program decides what is shown by installing a logger of its choice, or
//! [`log_to_stderr`], which prints the records' messages one per line.

use log::{Level, LevelFilter, Log, Metadata, Record};

/// Prints `qtt` records of level `Info` and above to stderr, as plain lines.
struct StderrLogger;

impl Log for StderrLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= Level::Info && metadata.target().starts_with("qtt")
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            eprintln!("{}", record.args());
        }
    }

    fn flush(&self) {}
}

/// Installs a logger that prints qtt's progress lines to stderr; `false`
/// when the program already has a logger (which then receives them).
pub fn log_to_stderr() -> bool {
    static LOGGER: StderrLogger = StderrLogger;
    let installed = log::set_logger(&LOGGER).is_ok();
    if installed {
        log::set_max_level(LevelFilter::Info);
    }
    installed
}
