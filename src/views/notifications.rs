//! The notifications page.

use super::components::{name_of, user_link};
use super::{layout, Chrome};
use crate::db::notifications::{Group, Kind, Tab};
use crate::i18n::M;
use maud::{html, Markup};

/// What a notification of `kind` says (the page and the client API).
pub fn what(kind: Kind) -> M {
    match kind {
        Kind::Follow => M::NotifFollow,
        Kind::Comment => M::NotifComment,
        Kind::Reply => M::NotifReply,
        Kind::Repost => M::NotifRepost,
        Kind::Like => M::NotifLike,
        Kind::Mention => M::NotifMention,
        Kind::IdentityVerified => M::NotifIdentityVerified,
        Kind::IdentityRejected => M::NotifIdentityRejected,
        Kind::IdentityChanged => M::NotifIdentityChanged,
        Kind::VerificationApproved => M::NotifVerificationApproved,
        Kind::VerificationRejected => M::NotifVerificationRejected,
        Kind::VerificationRevoked => M::NotifVerificationRevoked,
        Kind::Rejected => M::NotifRejected,
        Kind::Removed => M::NotifRemoved,
        Kind::Rumour => M::NotifRumour,
        Kind::RumourWithdrawn => M::NotifRumourWithdrawn,
        Kind::CommentHidden => M::NotifCommentHidden,
        Kind::AppealUpheld => M::NotifAppealUpheld,
        Kind::AppealRejected => M::NotifAppealRejected,
        Kind::ComplaintDecided => M::NotifComplaintDecided,
        Kind::Credit => M::NotifCredit,
        Kind::StaffComplaint => M::NotifStaffComplaint,
        Kind::ComplaintAssigned => M::NotifComplaintAssigned,
        Kind::StaffIdentity => M::NotifStaffIdentity,
        Kind::StaffAppeal => M::NotifStaffAppeal,
        Kind::StaffVerification => M::NotifStaffVerification,
        Kind::SanctionMute => M::NotifSanctionMute,
        Kind::SanctionSuspend => M::NotifSanctionSuspend,
        Kind::CommentLike => M::NotifCommentLike,
    }
}

/// Staff notices name no excerpt: the content is gone, the reason is the news.
fn is_staff_notice(kind: Kind) -> bool {
    matches!(kind, Kind::Rejected | Kind::Removed | Kind::ComplaintDecided | Kind::SanctionMute | Kind::SanctionSuspend)
}

/// The words for a tab.
fn tab_label(t: Tab) -> M {
    match t {
        Tab::All => M::NotifTabAll,
        Tab::Mentions => M::NotifTabMentions,
        Tab::Comments => M::NotifTabComments,
        Tab::LikesAndReposts => M::NotifTabLikes,
        Tab::System => M::NotifTabSystem,
    }
}

/// Where a group's "see all" goes: the likers or reposts of its post.
fn group_list(g: &Group) -> Option<String> {
    match (g.head.kind, g.head.subject_id) {
        (Kind::Like, Some(p)) => Some(format!("/posts/{p}/likes")),
        (Kind::Repost, Some(p)) => Some(format!("/posts/{p}/reposts")),
        _ => None,
    }
}

/// `GET /notifications`: the filter tabs (`tab` current), then the grouped list.
pub fn list(c: &Chrome, tab: Tab, groups: &[Group], next: Option<String>) -> Markup {
    layout(
        c,
        c.t(M::NotificationsTitle),
        html! {
            nav.tabs aria-label=(c.t(M::NotifTabsLabel)) {
                @for t in Tab::ALL {
                    @let href = if t == Tab::All { "/notifications".to_string() } else { format!("/notifications?tab={}", t.as_str()) };
                    @if t == tab { a.current href=(href) aria-current="page" { (c.t(tab_label(t))) } }
                    @else { a href=(href) { (c.t(tab_label(t))) } }
                }
            }
            @if groups.is_empty() { p.empty { (c.t(M::NoNotifications)) } }
            ul.notifications {
                @for g in groups {
                    @let n = &g.head;
                    li.unread[g.unread] {
                        @if let Some(href) = n.kind.settings_page() {
                            a href=(href) { (c.t(what(n.kind))) }
                        } @else if is_staff_notice(n.kind) || matches!(n.kind, Kind::Rumour | Kind::RumourWithdrawn) {
                            (c.t(what(n.kind)))
                        } @else if !g.others.is_empty() {
                            span.group {
                                a.author href={ "/@" (n.actor.username) } { (name_of(&n.actor)) }
                                (c.f(M::NotifGroupOthers, &[&(g.others.len() + 1), &g.others.len()]))
                            }
                            " " (c.t(what(n.kind)))
                        } @else {
                            (user_link(&n.actor)) " " (c.t(what(n.kind)))
                        }
                        @if !n.detail.is_empty() { span.detail { (c.f(M::NotifDetail, &[&n.detail])) } }
                        @if let (Some(post), false) = (n.post_id, is_staff_notice(n.kind)) {
                            " · " a href={ "/posts/" (post) } {
                                @if let Some(x) = &n.excerpt { "“" (x) "”" } @else { (c.t(M::PostDeleted)) }
                            }
                        }
                        // Which of one's own posts or comments was removed or rejected:
                        // its words, without a link (it no longer opens).
                        @if let (Some(x), true) = (&n.excerpt, matches!(n.kind, Kind::Removed | Kind::Rejected)) { " · " span.excerpt { "“" (x) "”" } }
                        @if n.kind == Kind::Removed {
                            // R15.1: appeal from the notification that told of the removal.
                            " · " a.appeal href="/settings/credit" { (c.t(M::AppealLink)) }
                        }
                        @if let (false, Some(href)) = (g.others.is_empty(), group_list(g)) {
                            " · " a.see-all href=(href) { (c.t(M::NotifSeeAll)) }
                        }
                        " · " (super::components::ago(c, n.created_at))
                    }
                }
            }
            @if let Some(href) = next { nav.pager { a rel="next" href=(href) { (c.t(M::Older)) } } }
        },
    )
}
