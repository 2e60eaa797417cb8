//! Dates, in one place: what staff and operators type (log filters,
//! exports: a day `2026-03-01` or a minute `2026-03-01T08:30` in the site's
//! time zone, or a full RFC 3339 time, turned into UTC unix seconds), and how
//! a stored UTC time is written back (RFC 3339, or a minute or a day in the
//! site's time zone) for pages, exports and the birth-date rule.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Which end of a range a typed date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// Inclusive start: a day means its first second.
    From,
    /// Exclusive end: a day means the start of the next day, so `--to
    /// 2026-03-01` includes all of March 1st; a minute or a full time means
    /// that instant.
    To,
}

/// Parse `s` as a day, a minute (`T` or a space between) or RFC 3339.
/// Days and minutes are local times at `offset_minutes` from UTC.
///
/// # Errors
/// A message naming the accepted forms.
pub fn parse(s: &str, offset_minutes: i32, bound: Bound) -> Result<i64, String> {
    let s = s.trim();
    let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap_or(UtcOffset::UTC);
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t.unix_timestamp());
    }
    if let Ok(d) = Date::parse(s, format_description!("[year]-[month]-[day]")) {
        let d = if bound == Bound::To { d.next_day().ok_or("date out of range")? } else { d };
        return Ok(d.midnight().assume_offset(offset).unix_timestamp());
    }
    let minute = s.replacen(' ', "T", 1);
    if let Ok(t) = PrimitiveDateTime::parse(&minute, format_description!("[year]-[month]-[day]T[hour]:[minute]")) {
        return Ok(t.assume_offset(offset).unix_timestamp());
    }
    Err(format!("{s:?} is not a date: use 2026-03-01, 2026-03-01T08:30 or an RFC 3339 time"))
}

/// A UTC unix time as RFC 3339 (`2026-03-01T00:30:00Z`).
pub fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix).ok().and_then(|t| t.format(&Rfc3339).ok()).unwrap_or_default()
}

/// The UTC unix time of an RFC 3339 timestamp (as [`rfc3339`] writes
/// them); `None` when it is not one.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok().map(OffsetDateTime::unix_timestamp)
}

/// `2026-11-30 16:05` for a UTC unix time at `offset_minutes` from UTC.
pub fn format_time(unix: i64, offset_minutes: i32) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]");
    let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.to_offset(offset).format(&fmt).unwrap_or_default())
        .unwrap_or_default()
}

/// `2026-11-30` for a UTC unix time at `offset_minutes` from UTC.
pub fn format_day(unix: i64, offset_minutes: i32) -> String {
    format_time(unix, offset_minutes).chars().take(10).collect()
}

/// The date `(year, month, day)` at `now` in the site's time zone, for the
/// birth-date rule of ID numbers and assessment dates.
pub fn today(now: i64, utc_offset_minutes: i32) -> (i32, u8, u8) {
    let offset = UtcOffset::from_whole_seconds(utc_offset_minutes * 60).unwrap_or(UtcOffset::UTC);
    let d = OffsetDateTime::from_unix_timestamp(now).unwrap_or(OffsetDateTime::UNIX_EPOCH).to_offset(offset);
    (d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips() {
        let t = 1_796_000_000;
        assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t));
        assert_eq!(parse_rfc3339("2026-11-30T08:05:00+08:00"), Some(1_795_997_100));
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn times_in_site_zone() {
        assert_eq!(format_time(0, 480), "1970-01-01 08:00");
        assert_eq!(format_time(1_796_000_000, 0), "2026-11-30 00:53");
        assert_eq!(format_day(1_796_000_000, 0), "2026-11-30");
        assert_eq!(today(1_796_000_000, 0), (2026, 11, 30));
        assert_eq!(today(1_796_000_000, -60), (2026, 11, 29));
    }

    #[test]
    fn days_minutes_and_rfc3339() {
        // 2026-03-01 00:00 in Shanghai (UTC+8) is 2026-02-28 16:00 UTC.
        let from = parse("2026-03-01", 480, Bound::From).unwrap();
        assert_eq!(rfc3339(from), "2026-02-28T16:00:00Z");
        assert_eq!(parse("2026-03-01", 480, Bound::To).unwrap(), from + 86_400);
        assert_eq!(parse("2026-03-01T08:30", 480, Bound::To).unwrap(), from + 8 * 3600 + 1800);
        assert_eq!(parse("2026-03-01 08:30", 480, Bound::From).unwrap(), from + 8 * 3600 + 1800);
        assert_eq!(parse("2026-03-01T00:00:00Z", 480, Bound::From).unwrap(), from + 8 * 3600);
        assert_eq!(parse("2026-03-01", 0, Bound::From).unwrap(), from + 8 * 3600);
        for bad in ["", "2026-13-01", "yesterday", "2026-02-30", "1/3/2026"] {
            assert!(parse(bad, 480, Bound::From).is_err(), "{bad}");
        }
    }
}
