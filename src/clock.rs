//! The program's clock: UTC unix seconds.
//!
//! `PLAZA_CLOCK_OFFSET_SECONDS` (an integer, may be negative) shifts it, read
//! once per process by the server and every command alike. It is for tests
//! only (they age activity-log entries with it to exercise retention,
//! R16.2); never set it on a real site, where it would misdate the log.

use std::sync::OnceLock;

/// The environment variable that shifts the clock (test-only).
pub const OFFSET_VAR: &str = "PLAZA_CLOCK_OFFSET_SECONDS";

/// The configured shift in seconds; 0 when unset or not an integer.
pub fn offset() -> i64 {
    static OFFSET: OnceLock<i64> = OnceLock::new();
    *OFFSET.get_or_init(|| std::env::var(OFFSET_VAR).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(0))
}

/// Now, UTC unix seconds (shifted by [`offset`]).
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() + offset()
}
