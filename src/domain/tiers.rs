//! Tiered management (R9.1): rules keyed on the author's subject type,
//! follower count and credit level and on the kind of content, each with
//! capabilities; the first matching rule (by position) applies. Pure.

use crate::domain::credit::Level;

/// The kinds of content a rule can be about.
pub const KINDS: [&str; 5] = ["text", "image", "video", "repost", "comment"];

/// One tier rule (`tier_rules` row). Empty text / `None` means "any".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TierRule {
    pub id: i64,
    /// Tried in ascending order.
    pub position: i64,
    /// `individual`, `organisation`, ... or empty for any.
    pub subject_type: String,
    pub min_followers: i64,
    /// Inclusive upper bound; `None`: no bound.
    pub max_followers: Option<i64>,
    /// `excellent` ... `restricted`, or empty for any.
    pub credit_level: String,
    /// One of [`KINDS`], or empty for any.
    pub content_kind: String,
    /// Matches only while an emergency switch is on (R6.4).
    pub in_emergency: bool,
    /// Items of this kind per 24 hours; `None`: no limit.
    pub daily_quota: Option<i64>,
    pub pre_review: bool,
    pub media_allowed: bool,
    pub reposts_allowed: bool,
    pub comments_allowed: bool,
    /// Why the rule exists, shown to staff and in the filing export.
    pub note: String,
    /// Issue 18: matches only an account under a 禁言 (mute) now or within
    /// this many days (a probation after it); `None`: any account.
    pub muted_within_days: Option<i64>,
}

/// What is known about the author and the content when a rule is chosen.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub subject_type: &'a str,
    pub followers: i64,
    pub level: Level,
    /// One of [`KINDS`].
    pub kind: &'a str,
    /// Is the site in emergency mode (R6.4): any switch on, or the banner shown?
    pub emergency: bool,
    /// Whole days since the author's last 禁言 ended (0 while one is in
    /// force); `None`: never muted.
    pub days_since_muted: Option<i64>,
}

impl TierRule {
    /// Does this rule apply to `f`?
    pub fn matches(&self, f: &Facts) -> bool {
        (self.subject_type.is_empty() || self.subject_type == f.subject_type)
            && f.followers >= self.min_followers
            && self.max_followers.is_none_or(|m| f.followers <= m)
            && (self.credit_level.is_empty() || self.credit_level == f.level.as_str())
            && (self.content_kind.is_empty() || self.content_kind == f.kind)
            && (!self.in_emergency || f.emergency)
            && self.muted_within_days.is_none_or(|d| f.days_since_muted.is_some_and(|x| x <= d))
    }
}

/// The first rule (rules sorted by position) that matches, if any.
pub fn first_match<'r>(rules: &'r [TierRule], f: &Facts) -> Option<&'r TierRule> {
    rules.iter().find(|r| r.matches(f))
}

/// A capability a rule refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The daily quota is used up.
    Quota(i64),
    /// No images or video.
    Media,
    /// No reposts.
    Reposts,
    /// No comments.
    Comments,
}

/// Is content of `f.kind` allowed under `rule`, given how many items of
/// that kind the author sent in the last 24 hours?
pub fn check(rule: &TierRule, kind: &str, sent_today: i64) -> Result<(), Refusal> {
    if matches!(kind, "image" | "video") && !rule.media_allowed {
        return Err(Refusal::Media);
    }
    if kind == "repost" && !rule.reposts_allowed {
        return Err(Refusal::Reposts);
    }
    if kind == "comment" && !rule.comments_allowed {
        return Err(Refusal::Comments);
    }
    match rule.daily_quota {
        Some(q) if sent_today >= q => Err(Refusal::Quota(q)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(level: Level, kind: &'static str, followers: i64, emergency: bool) -> Facts<'static> {
        Facts { subject_type: "individual", followers, level, kind, emergency, days_since_muted: None }
    }

    #[test]
    fn first_matching_rule_applies() {
        let rules = vec![
            TierRule { id: 1, credit_level: "restricted".into(), pre_review: true, ..Default::default() },
            TierRule {
                id: 2,
                min_followers: 10_000,
                content_kind: "repost".into(),
                in_emergency: true,
                pre_review: true,
                ..Default::default()
            },
            TierRule {
                id: 3,
                media_allowed: true,
                reposts_allowed: true,
                comments_allowed: true,
                ..Default::default()
            },
        ];
        assert_eq!(first_match(&rules, &facts(Level::Restricted, "text", 0, false)).unwrap().id, 1);
        assert_eq!(first_match(&rules, &facts(Level::Good, "repost", 20_000, true)).unwrap().id, 2);
        assert_eq!(first_match(&rules, &facts(Level::Good, "repost", 20_000, false)).unwrap().id, 3);
        assert_eq!(first_match(&rules, &facts(Level::Good, "repost", 9_999, true)).unwrap().id, 3);
    }

    /// Issue 18: a rule can hold the posts of accounts muted (禁言) within
    /// the last N days.
    #[test]
    fn muted_within_days() {
        let rules = vec![
            TierRule { id: 1, muted_within_days: Some(30), pre_review: true, ..Default::default() },
            TierRule { id: 2, ..Default::default() },
        ];
        let mut f = facts(Level::Good, "text", 0, false);
        assert_eq!(first_match(&rules, &f).unwrap().id, 2, "never muted");
        for (days, id) in [(0, 1), (30, 1), (31, 2)] {
            f.days_since_muted = Some(days);
            assert_eq!(first_match(&rules, &f).unwrap().id, id, "{days} days");
        }
    }

    #[test]
    fn capabilities() {
        let r = TierRule { daily_quota: Some(2), media_allowed: false, reposts_allowed: true, ..Default::default() };
        assert_eq!(check(&r, "image", 0), Err(Refusal::Media));
        assert_eq!(check(&r, "text", 1), Ok(()));
        assert_eq!(check(&r, "text", 2), Err(Refusal::Quota(2)));
        assert_eq!(check(&r, "comment", 0), Err(Refusal::Comments));
    }
}
