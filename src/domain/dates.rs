//! Dates, in one place: what staff and operators type (log filters,
//! exports: a day `2026-03-01` or a minute `2026-03-01T08:30` in the site's
//! time zone, or a full RFC 3339 time, turned into UTC unix seconds), and how
//! a stored UTC time is written back (RFC 3339, or a minute or a day in the
//! site's time zone) for pages, exports and the birth-date rule.
//!
//! The site's time zone is an IANA name ([`Zone`], through `jiff` and its
//! bundled copy of the time zone database): each instant is shown with the
//! offset that applied at that instant, so daylight saving is right all
//! year. Times are stored as UTC unix seconds.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

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

/// The site's time zone: an IANA name (`Asia/Shanghai`,
/// `America/New_York`) and its rules from the time zone database.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    /// The zone of an IANA name.
    ///
    /// # Errors
    /// A message naming the unknown zone and the form expected.
    pub fn named(name: &str) -> Result<Zone, String> {
        let name = name.trim();
        jiff::tz::TimeZone::get(name)
            .map(|tz| Zone { name: name.to_string(), tz })
            .map_err(|_| format!("unknown time zone {name:?}: use an IANA name such as Asia/Shanghai or Europe/Berlin"))
    }

    /// UTC itself (for day numbers already counted in local time).
    pub fn utc() -> Zone {
        Zone { name: "UTC".into(), tz: jiff::tz::TimeZone::UTC }
    }

    /// Its IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The offset from UTC in seconds that applies at the UTC unix time
    /// `unix` (east positive; daylight saving included).
    pub fn offset_seconds_at(&self, unix: i64) -> i32 {
        jiff::Timestamp::from_second(unix).map(|t| self.tz.to_offset(t).seconds()).unwrap_or(0)
    }

    /// The UTC unix time of a local date and time here. A time skipped by
    /// a daylight-saving change counts as the instant after the gap; a
    /// repeated one as its first occurrence (RFC 5545's rule).
    fn instant(&self, local: jiff::civil::DateTime) -> Option<i64> {
        self.tz.to_ambiguous_zoned(local).compatible().ok().map(|z| z.timestamp().as_second())
    }

    /// The local date and time here of a UTC unix time.
    fn local(&self, unix: i64) -> jiff::civil::DateTime {
        let t = jiff::Timestamp::from_second(unix).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        self.tz.to_datetime(t)
    }
}

impl Default for Zone {
    /// `Asia/Shanghai` (China has no daylight saving time).
    fn default() -> Zone {
        Zone::named("Asia/Shanghai").expect("the bundled time zone database has Asia/Shanghai")
    }
}

/// Parse `s` as a day, a minute (`T` or a space between) or RFC 3339.
/// Days and minutes are local times in `zone`.
///
/// # Errors
/// A message naming the accepted forms.
pub fn parse(s: &str, zone: &Zone, bound: Bound) -> Result<i64, String> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t.unix_timestamp());
    }
    let bad = || format!("{s:?} is not a date: use 2026-03-01, 2026-03-01T08:30 or an RFC 3339 time");
    if let Ok(d) = Date::parse(s, format_description!("[year]-[month]-[day]")) {
        let d = if bound == Bound::To { d.next_day().ok_or("date out of range")? } else { d };
        let day = jiff::civil::date(d.year() as i16, u8::from(d.month()) as i8, d.day() as i8);
        return zone.instant(day.to_datetime(jiff::civil::Time::midnight())).ok_or_else(bad);
    }
    let minute = s.replacen(' ', "T", 1);
    if let Ok(t) = PrimitiveDateTime::parse(&minute, format_description!("[year]-[month]-[day]T[hour]:[minute]")) {
        let local = jiff::civil::datetime(
            t.year() as i16,
            u8::from(t.month()) as i8,
            t.day() as i8,
            t.hour() as i8,
            t.minute() as i8,
            0,
            0,
        );
        return zone.instant(local).ok_or_else(bad);
    }
    Err(bad())
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

/// `2026-11-30 16:05`: a UTC unix time in `zone`, with the offset that
/// applied at that instant.
pub fn format_time(unix: i64, zone: &Zone) -> String {
    zone.local(unix).strftime("%Y-%m-%d %H:%M").to_string()
}

/// `2026-11-30`: the day of a UTC unix time in `zone`.
pub fn format_day(unix: i64, zone: &Zone) -> String {
    zone.local(unix).strftime("%Y-%m-%d").to_string()
}

/// The date `(year, month, day)` at `now` in the site's time zone, for the
/// birth-date rule of ID numbers and assessment dates.
pub fn today(now: i64, zone: &Zone) -> (i32, u8, u8) {
    let d = zone.local(now).date();
    (i32::from(d.year()), d.month() as u8, d.day() as u8)
}

/// How long ago a time was, as a timeline says it (issue 18): the words
/// come from the message catalogue, the numbers from here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ago {
    /// Under a minute ago (or a little in the future: clocks differ).
    JustNow,
    /// 1-59 minutes ago.
    Minutes(i64),
    /// 1-23 hours ago, earlier the same local day.
    Hours(i64),
    /// The local day before, with its time of day (`14:05`).
    Yesterday(String),
    /// 2-6 local days ago.
    Days(i64),
    /// A week or more ago: the local date, `(year, month, day)`.
    Date(i32, u8, u8),
}

/// How long before `now` the time `unix` was (both UTC unix seconds), by
/// the calendar of `zone` (the viewer's, so "yesterday" means their
/// yesterday).
pub fn ago(unix: i64, now: i64, zone: &Zone) -> Ago {
    let d = now - unix;
    if d < 60 {
        return Ago::JustNow;
    }
    if d < 3600 {
        return Ago::Minutes(d / 60);
    }
    let (then, today) = (zone.local(unix).date(), zone.local(now).date());
    let days = i64::from(today.since(then).map(|s| s.get_days()).unwrap_or(0));
    match days {
        0 => Ago::Hours(d / 3600),
        1 => Ago::Yesterday(zone.local(unix).strftime("%H:%M").to_string()),
        2..=6 => Ago::Days(days),
        _ => Ago::Date(i32::from(then.year()), then.month() as u8, then.day() as u8),
    }
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

    fn zone(name: &str) -> Zone {
        Zone::named(name).unwrap()
    }

    #[test]
    fn times_in_site_zone() {
        let (sh, utc) = (zone("Asia/Shanghai"), zone("UTC"));
        assert_eq!(format_time(0, &sh), "1970-01-01 08:00");
        assert_eq!(format_time(1_796_000_000, &utc), "2026-11-30 00:53");
        assert_eq!(format_day(1_796_000_000, &utc), "2026-11-30");
        assert_eq!(today(1_796_000_000, &utc), (2026, 11, 30));
        assert_eq!(today(1_796_000_000, &zone("Atlantic/Azores")), (2026, 11, 29));
    }

    /// Daylight saving: New York is UTC-5 in winter and UTC-4 in summer,
    /// Berlin UTC+1 and UTC+2; Shanghai UTC+8 all year.
    #[test]
    fn daylight_saving_applies_at_each_instant() {
        let ny = zone("America/New_York");
        // 2026-01-15 17:00 UTC and 2026-07-15 16:00 UTC are both noon there.
        assert_eq!(format_time(1_768_496_400, &ny), "2026-01-15 12:00");
        assert_eq!(format_time(1_784_131_200, &ny), "2026-07-15 12:00");
        assert_eq!(ny.offset_seconds_at(1_768_496_400), -5 * 3600);
        assert_eq!(ny.offset_seconds_at(1_784_131_200), -4 * 3600);
        let berlin = zone("Europe/Berlin");
        assert_eq!(format_time(1_784_131_200, &berlin), "2026-07-15 18:00");
        assert_eq!(zone("Asia/Shanghai").offset_seconds_at(1_784_131_200), 8 * 3600);
        // A day starts at local midnight, whatever the season.
        assert_eq!(parse("2026-07-15", &ny, Bound::From).unwrap(), 1_784_131_200 - 12 * 3600);
        // 2026-03-08 02:30 does not exist in New York (clocks go 02:00 -> 03:00):
        // it is the instant after the gap, 03:30 EDT = 07:30 UTC.
        assert_eq!(rfc3339(parse("2026-03-08T02:30", &ny, Bound::From).unwrap()), "2026-03-08T07:30:00Z");
    }

    #[test]
    fn unknown_zones_are_refused() {
        for bad in ["Mars/Olympus", "UTC+8", "", "Asia/Shang hai"] {
            let e = Zone::named(bad).unwrap_err();
            assert!(e.contains("unknown time zone"), "{e}");
        }
        assert_eq!(Zone::default().name(), "Asia/Shanghai");
    }

    #[test]
    fn days_minutes_and_rfc3339() {
        let (sh, utc) = (zone("Asia/Shanghai"), zone("UTC"));
        // 2026-03-01 00:00 in Shanghai (UTC+8) is 2026-02-28 16:00 UTC.
        let from = parse("2026-03-01", &sh, Bound::From).unwrap();
        assert_eq!(rfc3339(from), "2026-02-28T16:00:00Z");
        assert_eq!(parse("2026-03-01", &sh, Bound::To).unwrap(), from + 86_400);
        assert_eq!(parse("2026-03-01T08:30", &sh, Bound::To).unwrap(), from + 8 * 3600 + 1800);
        assert_eq!(parse("2026-03-01 08:30", &sh, Bound::From).unwrap(), from + 8 * 3600 + 1800);
        assert_eq!(parse("2026-03-01T00:00:00Z", &sh, Bound::From).unwrap(), from + 8 * 3600);
        assert_eq!(parse("2026-03-01", &utc, Bound::From).unwrap(), from + 8 * 3600);
        for bad in ["", "2026-13-01", "yesterday", "2026-02-30", "1/3/2026"] {
            assert!(parse(bad, &sh, Bound::From).is_err(), "{bad}");
        }
    }

    /// Issue 18: relative times by the viewer's calendar.
    #[test]
    fn relative_times() {
        let sh = zone("Asia/Shanghai");
        // 2026-03-10 14:05 in Shanghai.
        let now = parse("2026-03-10T14:05", &sh, Bound::From).unwrap();
        let at = |s: &str| parse(s, &sh, Bound::From).unwrap();
        assert_eq!(ago(now, now, &sh), Ago::JustNow);
        assert_eq!(ago(now + 30, now, &sh), Ago::JustNow, "a little in the future");
        assert_eq!(ago(now - 59, now, &sh), Ago::JustNow);
        assert_eq!(ago(now - 180, now, &sh), Ago::Minutes(3));
        assert_eq!(ago(now - 3599, now, &sh), Ago::Minutes(59));
        assert_eq!(ago(at("2026-03-10T00:01"), now, &sh), Ago::Hours(14));
        assert_eq!(ago(at("2026-03-09T23:59"), now, &sh), Ago::Yesterday("23:59".into()));
        assert_eq!(ago(at("2026-03-09T14:05"), now, &sh), Ago::Yesterday("14:05".into()));
        assert_eq!(ago(at("2026-03-08T23:00"), now, &sh), Ago::Days(2));
        assert_eq!(ago(at("2026-03-04T00:00"), now, &sh), Ago::Days(6));
        assert_eq!(ago(at("2026-03-03T23:59"), now, &sh), Ago::Date(2026, 3, 3));
        assert_eq!(ago(at("2025-03-01T08:00"), now, &sh), Ago::Date(2025, 3, 1));
        // "Yesterday" is the viewer's: 01:00 in Shanghai is still the day
        // before in New York.
        let ny = zone("America/New_York");
        let early = parse("2026-03-10T01:00", &sh, Bound::From).unwrap();
        assert_eq!(ago(early - 7200, early, &sh), Ago::Yesterday("23:00".into()));
        assert_eq!(ago(early - 7200, early, &ny), Ago::Hours(2));
    }
}
