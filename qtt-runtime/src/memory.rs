//! Allocations driven by user input are checked against the memory the
//! system has left, so that a grid too large is an error, not an abort.

use crate::error::{Error, Result};

/// Bytes of memory the process may still use (MemAvailable), if the system says.
pub(crate) fn available_memory_bytes() -> Option<u128> {
    let s = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = s.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u128 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Allocations of at most this many bytes (16 MiB) are not checked: reading
/// /proc/meminfo costs tens of microseconds, more than many small builds.
const UNCHECKED_BYTES: u128 = 1 << 24;

/// An error naming `what` when `bytes` exceed the available memory (or
/// 2^40 bytes where the system does not say).
pub(crate) fn check_fits(what: &str, bytes: u128) -> Result<()> {
    if bytes <= UNCHECKED_BYTES {
        return Ok(());
    }
    let limit = available_memory_bytes().unwrap_or(1 << 40);
    if bytes > limit {
        return Err(Error::TooLarge {
            what: format!("{what} ({} MiB)", bytes >> 20),
            needed: bytes,
            limit,
        });
    }
    Ok(())
}
