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

/// Who may decide an appeal against a credit event (R15.1, R6.5), as the
/// appeals page shows it before any click and the decision checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppealDecider {
    /// The viewer did not decide the event: an independent decision.
    Independent,
    /// The viewer decided the event and these other reviewers or chief
    /// editors (usernames) exist: one of them must decide.
    Another(Vec<String>),
    /// The viewer decided the event, nobody else could, and the viewer is
    /// a chief editor or admin: they may decide, recorded as made without
    /// an independent reviewer.
    NoIndependentReviewer,
    /// The viewer decided the event, nobody else could, and the viewer is
    /// only a reviewer: a chief editor or another reviewer must be named first.
    Nobody,
}

/// Who decides: `me` holding `my_roles`, against an event decided by
/// `event_actor` (none for the system), where `others` are the usernames
/// of the active reviewers and chief editors other than `event_actor`.
pub fn appeal_decider(
    me: i64,
    my_roles: &[crate::domain::account::Role],
    event_actor: Option<i64>,
    others: Vec<String>,
) -> AppealDecider {
    use crate::domain::account::Role;
    if event_actor != Some(me) {
        AppealDecider::Independent
    } else if !others.is_empty() {
        AppealDecider::Another(others)
    } else if my_roles.iter().any(|r| matches!(r, Role::ChiefEditor | Role::Admin)) {
        AppealDecider::NoIndependentReviewer
    } else {
        AppealDecider::Nobody
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
    fn appeal_deciders() {
        use crate::domain::account::Role;
        let d = |me, roles: &[Role], actor, others: &[&str]| {
            appeal_decider(me, roles, actor, others.iter().map(|s| s.to_string()).collect())
        };
        assert_eq!(d(1, &[Role::Reviewer], Some(2), &["bob"]), AppealDecider::Independent);
        assert_eq!(d(1, &[Role::Reviewer], None, &[]), AppealDecider::Independent);
        assert_eq!(d(1, &[Role::Reviewer], Some(1), &["bob"]), AppealDecider::Another(vec!["bob".into()]));
        assert_eq!(d(1, &Role::ALL, Some(1), &[]), AppealDecider::NoIndependentReviewer);
        assert_eq!(d(1, &[Role::Reviewer], Some(1), &[]), AppealDecider::Nobody);
    }
}
