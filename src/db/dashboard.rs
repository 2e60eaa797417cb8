//! The staff inbox and dashboard figures (R6.6, R14.2): counts of waiting
//! work for the admin navigation, counts by local day for the dashboard's
//! charts, and the operator's first-day checklist. Every query is an
//! indexed count or a range scan of one index over at most 30 days.

use crate::domain::features::Feature;
use crate::error::Result;
use rusqlite::{params, Connection};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Work waiting for staff, as the admin navigation counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inbox {
    /// Held posts, comments and reposts waiting for review (R6.2).
    pub held: i64,
    /// Open complaints due within the next 24 hours, not yet overdue (R14.2).
    pub complaints_due_soon: i64,
    /// Open complaints past their due time.
    pub complaints_overdue: i64,
    /// Identities waiting for a staff confirmation (R7.2).
    pub identities_waiting: i64,
    /// Open credit appeals (R15.1).
    pub appeals: i64,
    /// Badge applications waiting for a decision (R10.1).
    pub badge_applications: i64,
}

impl Inbox {
    /// Everything waiting, for a total.
    pub fn total(&self) -> i64 {
        self.held
            + self.complaints_due_soon
            + self.complaints_overdue
            + self.identities_waiting
            + self.appeals
            + self.badge_applications
    }
}

/// Count the waiting work at `now` (UTC unix seconds).
///
/// # Errors
/// A database error.
pub fn inbox(conn: &Connection, now: i64) -> Result<Inbox> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM review_items WHERE decision IS NULL AND kind = 'hold'),
                    (SELECT count(*) FROM complaints WHERE status IN ('open', 'in_progress')
                        AND due_at >= ?1 AND due_at < ?1 + 86400),
                    (SELECT count(*) FROM complaints WHERE status IN ('open', 'in_progress') AND due_at < ?1),
                    (SELECT count(*) FROM identities WHERE status = 'pending'),
                    (SELECT count(*) FROM appeals WHERE status = 'open'),
                    (SELECT count(*) FROM verifications WHERE status = 'pending')",
        )?
        .query_row([now], |r| {
            Ok(Inbox {
                held: r.get(0)?,
                complaints_due_soon: r.get(1)?,
                complaints_overdue: r.get(2)?,
                identities_waiting: r.get(3)?,
                appeals: r.get(4)?,
                badge_applications: r.get(5)?,
            })
        })?)
}

/// A series the dashboard charts by day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// Posts (reposts included) created, whatever became of them.
    Posts,
    /// Comments created.
    Comments,
    /// Complaints filed.
    ComplaintsOpened,
    /// Complaints decided (resolved or rejected).
    ComplaintsClosed,
    /// Complaints whose due time fell that day and that were not decided
    /// by then (still open past it, or decided late).
    ComplaintsOverdue,
    /// Accounts created.
    Members,
}

impl Series {
    /// The time column's bucket and its range condition; `?1` is the
    /// offset in seconds, `?2` the first second counted, `?3` now.
    fn sql(self) -> &'static str {
        match self {
            Series::Posts => {
                "SELECT (created_at + ?1) / 86400, count(*) FROM posts
                 WHERE created_at >= ?2 AND created_at < ?3 GROUP BY 1"
            }
            Series::Comments => {
                "SELECT (created_at + ?1) / 86400, count(*) FROM comments
                 WHERE created_at >= ?2 AND created_at < ?3 GROUP BY 1"
            }
            Series::ComplaintsOpened => {
                "SELECT (created_at + ?1) / 86400, count(*) FROM complaints
                 WHERE created_at >= ?2 AND created_at < ?3 GROUP BY 1"
            }
            Series::ComplaintsClosed => {
                "SELECT (decided_at + ?1) / 86400, count(*) FROM complaints
                 WHERE decided_at IS NOT NULL AND decided_at >= ?2 AND decided_at < ?3 GROUP BY 1"
            }
            Series::ComplaintsOverdue => {
                "SELECT (due_at + ?1) / 86400, count(*) FROM complaints
                 WHERE due_at >= ?2 AND due_at < ?3 AND (decided_at IS NULL OR decided_at > due_at) GROUP BY 1"
            }
            Series::Members => {
                "SELECT (created_at + ?1) / 86400, count(*) FROM users
                 WHERE created_at >= ?2 AND created_at < ?3 GROUP BY 1"
            }
        }
    }
}

/// One day's count: the local day as days since 1970-01-01 in the site's
/// zone, and the count.
pub type DayCount = (i64, i64);

/// The local day (days since 1970-01-01 in a zone `offset_minutes` from
/// UTC) that holds `unix`.
pub fn local_day(unix: i64, offset_minutes: i32) -> i64 {
    (unix + i64::from(offset_minutes) * 60).div_euclid(DAY)
}

/// `series` counted by local day for the `days` days ending today (the
/// site's zone is `offset_minutes` from UTC), oldest first, a zero for a
/// day without any.
///
/// # Errors
/// A database error.
pub fn per_day(conn: &Connection, series: Series, now: i64, offset_minutes: i32, days: i64) -> Result<Vec<DayCount>> {
    let offset = i64::from(offset_minutes) * 60;
    let today = local_day(now, offset_minutes);
    let first = today - days + 1;
    let since = first * DAY - offset;
    let mut counts = vec![0; days as usize];
    let mut stmt = conn.prepare_cached(series.sql())?;
    let rows = stmt.query_map(params![offset, since, now + 1], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (day, n) = row?;
        if let Some(slot) = usize::try_from(day - first).ok().and_then(|i| counts.get_mut(i)) {
            *slot += n;
        }
    }
    Ok(counts.into_iter().enumerate().map(|(i, n)| (first + i as i64, n)).collect())
}

/// The upper bounds (seconds) of the review-queue age buckets: under an
/// hour, 1-6 hours, 6-24 hours, 1-3 days; the last bucket is older.
pub const QUEUE_AGE_BOUNDS: [i64; 4] = [3_600, 6 * 3_600, DAY, 3 * DAY];

/// How many held items waited how long at `now`: one count per
/// [`QUEUE_AGE_BOUNDS`] bucket, then the older ones.
///
/// # Errors
/// A database error.
pub fn queue_ages(conn: &Connection, now: i64) -> Result<[i64; 5]> {
    let b = QUEUE_AGE_BOUNDS;
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(age < ?2), 0), coalesce(sum(age >= ?2 AND age < ?3), 0),
                    coalesce(sum(age >= ?3 AND age < ?4), 0), coalesce(sum(age >= ?4 AND age < ?5), 0),
                    coalesce(sum(age >= ?5), 0)
             FROM (SELECT ?1 - created_at AS age FROM review_items WHERE decision IS NULL AND kind = 'hold')",
        )?
        .query_row(params![now, b[0], b[1], b[2], b[3]], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
        })?)
}

/// Active accounts in all, and those created since `since`.
///
/// # Errors
/// A database error.
pub fn members(conn: &Connection, since: i64) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM users WHERE status = 'active'),
                    (SELECT count(*) FROM users WHERE created_at >= ?1)",
        )?
        .query_row([since], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// What the first-day checklist reads from the database (the site's
/// settings come from the loaded site state).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Setup {
    /// A security assessment of reposts is on record (R13.1).
    pub reposts_assessed: bool,
    /// Accounts other than the first: staff added or members imported.
    pub other_accounts: i64,
}

/// Read the checklist's facts.
///
/// # Errors
/// A database error.
pub fn setup(conn: &Connection) -> Result<Setup> {
    let assessed = crate::db::features::assessment_count(conn, Feature::Reposts)? > 0;
    let accounts: i64 = conn.prepare_cached("SELECT count(*) FROM users")?.query_row([], |r| r.get(0))?;
    Ok(Setup { reposts_assessed: assessed, other_accounts: accounts - 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_days_turn_at_local_midnight() {
        // 2026-03-01 15:59:59 UTC is 23:59:59 in Shanghai (UTC+8); a second later it is the next day.
        let t = 1_772_380_799;
        assert_eq!(local_day(t + 1, 480), local_day(t, 480) + 1);
        assert_eq!(local_day(t, 0), local_day(t + 1, 0));
        assert_eq!(local_day(-1, 0), -1);
    }
}
