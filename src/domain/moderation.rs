//! What happens to new content (R6.2, R6.4, R12.1): given the strongest
//! keyword rule that matched, the emergency switches and the author's tier,
//! publish it, flag it, hold it for review, refuse it, or say publishing is
//! stopped. Also the limits of the texts staff type (reasons, refutations).
//!
//! Pure: the caller matches the text ([`crate::domain::keywords`]) and
//! reads the switches; this decides.

use crate::domain::keywords::{KeywordAction, KeywordRule};

/// Longest reason or refutation staff may type, in characters.
pub const MAX_STAFF_TEXT: usize = 1000;
/// Longest category label, in characters.
pub const MAX_CATEGORY: usize = 40;
/// Longest keyword pattern, in characters.
pub const MAX_PATTERN: usize = 200;

/// What kind of text is being published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    Post,
    Comment,
    /// A repost's added text (may be empty).
    Repost,
    /// A display name and bio.
    Profile,
}

impl ContentKind {
    /// The name stored in `evidence.content_type` (`post`, `comment`, `repost`, `profile`).
    pub fn as_str(self) -> &'static str {
        match self {
            ContentKind::Post => "post",
            ContentKind::Comment => "comment",
            ContentKind::Repost => "repost",
            ContentKind::Profile => "profile",
        }
    }

    /// Posts, comments and reposts are "publishing" for the emergency
    /// switches; a profile edit is not.
    fn is_publishing(self) -> bool {
        self != ContentKind::Profile
    }
}

/// The emergency switches (R6.4), each on or off at once, site-wide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Emergency {
    /// Every new post, comment and repost waits in the review queue.
    pub hold_all: bool,
    /// No new reposts.
    pub stop_reposts: bool,
    /// No new posts, comments or reposts at all.
    pub stop_publishing: bool,
    /// Shown at the top of every page when not empty.
    pub banner: String,
}

/// Why content waits in the review queue (`review_items.cause`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldCause {
    /// A `review` keyword rule matched (R12.1).
    Keyword,
    /// The emergency switch holds everything (R6.4).
    Emergency,
    /// The author's tier requires pre-review (R9.1).
    Tier,
}

impl HoldCause {
    /// The name stored in `review_items.cause`.
    pub fn as_str(self) -> &'static str {
        match self {
            HoldCause::Keyword => "keyword",
            HoldCause::Emergency => "emergency",
            HoldCause::Tier => "tier",
        }
    }
}

/// The fate of a new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'r> {
    /// Publishing (or reposting) is stopped by an emergency switch: refuse,
    /// nothing is stored.
    Stopped,
    /// A `block` rule matched: refuse with a neutral message and keep an
    /// evidence record (R12.2).
    Block(&'r KeywordRule),
    /// Store as `pending`, visible only to its author, until a reviewer
    /// decides (R6.2). `rule` is the rule that matched, if any.
    Hold { cause: HoldCause, rule: Option<&'r KeywordRule> },
    /// Publish, and list for staff (R12.1 `flag`).
    Flag(&'r KeywordRule),
    /// Publish.
    Publish,
}

/// Decide what happens to a new text of `kind`, given the strongest
/// matching keyword rule (`KeywordMatcher::strongest`), the emergency
/// switches and whether the author's tier requires pre-review.
///
/// Order: a stopped switch first (nothing is looked at), then `block`,
/// then holding (a `review` rule, the emergency hold, the tier), then
/// `flag`. A held text keeps the rule that matched even when the emergency
/// hold is why it waits, so the reviewer sees it.
pub fn decide<'r>(
    kind: ContentKind,
    strongest: Option<&'r KeywordRule>,
    emergency: &Emergency,
    tier_prereview: bool,
) -> Decision<'r> {
    if kind.is_publishing() && (emergency.stop_publishing || (kind == ContentKind::Repost && emergency.stop_reposts)) {
        return Decision::Stopped;
    }
    match strongest {
        Some(r) if r.action == KeywordAction::Block => return Decision::Block(r),
        Some(r) if r.action == KeywordAction::Review => {
            return Decision::Hold { cause: HoldCause::Keyword, rule: Some(r) };
        }
        _ => {}
    }
    if kind.is_publishing() && emergency.hold_all {
        return Decision::Hold { cause: HoldCause::Emergency, rule: strongest };
    }
    if kind.is_publishing() && tier_prereview {
        return Decision::Hold { cause: HoldCause::Tier, rule: strongest };
    }
    match strongest {
        Some(r) => Decision::Flag(r),
        None => Decision::Publish,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(action: KeywordAction) -> KeywordRule {
        KeywordRule { id: 1, pattern: "x".into(), category: "c".into(), action }
    }

    #[test]
    fn keyword_actions() {
        let e = Emergency::default();
        let (b, r, f) = (rule(KeywordAction::Block), rule(KeywordAction::Review), rule(KeywordAction::Flag));
        assert_eq!(decide(ContentKind::Post, None, &e, false), Decision::Publish);
        assert_eq!(decide(ContentKind::Post, Some(&b), &e, false), Decision::Block(&b));
        assert_eq!(
            decide(ContentKind::Comment, Some(&r), &e, false),
            Decision::Hold { cause: HoldCause::Keyword, rule: Some(&r) }
        );
        assert_eq!(decide(ContentKind::Repost, Some(&f), &e, false), Decision::Flag(&f));
        assert_eq!(decide(ContentKind::Profile, Some(&b), &e, false), Decision::Block(&b));
    }

    #[test]
    fn emergency_switches() {
        let f = rule(KeywordAction::Flag);
        let hold = Emergency { hold_all: true, ..Default::default() };
        assert_eq!(
            decide(ContentKind::Post, Some(&f), &hold, false),
            Decision::Hold { cause: HoldCause::Emergency, rule: Some(&f) }
        );
        // A profile edit is not publishing: the switches leave it alone.
        assert_eq!(decide(ContentKind::Profile, None, &hold, false), Decision::Publish);
        let no_reposts = Emergency { stop_reposts: true, ..Default::default() };
        assert_eq!(decide(ContentKind::Repost, None, &no_reposts, false), Decision::Stopped);
        assert_eq!(decide(ContentKind::Post, None, &no_reposts, false), Decision::Publish);
        let stop = Emergency { stop_publishing: true, ..Default::default() };
        for k in [ContentKind::Post, ContentKind::Comment, ContentKind::Repost] {
            assert_eq!(decide(k, Some(&rule(KeywordAction::Block)), &stop, false), Decision::Stopped);
        }
        assert_eq!(decide(ContentKind::Profile, None, &stop, false), Decision::Publish);
    }

    #[test]
    fn tier_prereview_holds() {
        let e = Emergency::default();
        assert_eq!(decide(ContentKind::Post, None, &e, true), Decision::Hold { cause: HoldCause::Tier, rule: None });
    }
}
