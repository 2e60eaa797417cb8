//! Credit levels (R15.1): a score maps to excellent / good / fair / poor /
//! restricted by four configurable thresholds. Pure.

/// A credit level, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Excellent,
    Good,
    Fair,
    Poor,
    Restricted,
}

impl Level {
    /// Every level, best first.
    pub const ALL: [Level; 5] = [Level::Excellent, Level::Good, Level::Fair, Level::Poor, Level::Restricted];

    /// The name used in tier rules and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Excellent => "excellent",
            Level::Good => "good",
            Level::Fair => "fair",
            Level::Poor => "poor",
            Level::Restricted => "restricted",
        }
    }

    /// From [`Level::as_str`].
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// The level of `score` under `thresholds` (lowest scores of excellent,
/// good, fair and poor, descending; below the last is restricted).
pub fn level(score: i64, thresholds: &[i64]) -> Level {
    for (i, t) in thresholds.iter().enumerate().take(4) {
        if score >= *t {
            return Level::ALL[i];
        }
    }
    Level::Restricted
}

/// Keep a score within `0..=max`.
pub fn clamp(score: i64, max: i64) -> i64 {
    score.clamp(0, max.max(0))
}

/// Who may make a decision that needs a second person (R6.5): an appeal
/// against a credit event (R15.1) or the reversal of a removal (R12.2), as
/// the page shows it before any click and the decision checks it. "The
/// first decision" is the penalty or the removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decider {
    /// The viewer did not make the first decision: an independent one.
    Independent,
    /// The viewer made the first decision and these other eligible staff
    /// (usernames) exist: one of them must decide.
    Another(Vec<String>),
    /// The viewer made the first decision, nobody else could decide, and
    /// the viewer is a chief editor or admin: they may, recorded as made
    /// without an independent reviewer.
    NoIndependentReviewer,
    /// The viewer made the first decision, nobody else could, and the
    /// viewer is only a reviewer: someone else must be given a role first.
    Nobody,
}

/// Who decides: `me` holding `my_roles`, against a first decision made by
/// `event_actor` (none for the system), where `others` are the usernames
/// of the other active staff eligible to decide (not `event_actor`).
pub fn decider_for(
    me: i64,
    my_roles: &[crate::domain::account::Role],
    event_actor: Option<i64>,
    others: Vec<String>,
) -> Decider {
    use crate::domain::account::Role;
    if event_actor != Some(me) {
        Decider::Independent
    } else if !others.is_empty() {
        Decider::Another(others)
    } else if my_roles.iter().any(|r| matches!(r, Role::ChiefEditor | Role::Admin)) {
        Decider::NoIndependentReviewer
    } else {
        Decider::Nobody
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_by_threshold() {
        let t = [120, 90, 70, 50];
        assert_eq!(level(150, &t), Level::Excellent);
        assert_eq!(level(120, &t), Level::Excellent);
        assert_eq!(level(100, &t), Level::Good);
        assert_eq!(level(70, &t), Level::Fair);
        assert_eq!(level(69, &t), Level::Poor);
        assert_eq!(level(49, &t), Level::Restricted);
        assert_eq!(Level::parse("poor"), Some(Level::Poor));
        assert_eq!(clamp(-5, 150), 0);
        assert_eq!(clamp(200, 150), 150);
    }

    #[test]
    fn who_decides_where_a_second_person_is_needed() {
        use crate::domain::account::Role;
        let d = |me, roles: &[Role], actor, others: &[&str]| {
            decider_for(me, roles, actor, others.iter().map(|s| s.to_string()).collect())
        };
        assert_eq!(d(1, &[Role::Reviewer], Some(2), &["bob"]), Decider::Independent);
        assert_eq!(d(1, &[Role::Reviewer], None, &[]), Decider::Independent);
        assert_eq!(d(1, &[Role::Reviewer], Some(1), &["bob"]), Decider::Another(vec!["bob".into()]));
        assert_eq!(d(1, &Role::ALL, Some(1), &[]), Decider::NoIndependentReviewer);
        assert_eq!(d(1, &[Role::Reviewer], Some(1), &[]), Decider::Nobody);
    }
}
