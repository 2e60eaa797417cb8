//! The notifications page.

use super::components::user_link;
use super::{layout, Chrome};
use crate::db::notifications::{Kind, Notification};
use crate::i18n::M;
use maud::{html, Markup};

fn what(kind: Kind) -> M {
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
    }
}

/// Staff notices name no excerpt: the content is gone, the reason is the news.
fn is_staff_notice(kind: Kind) -> bool {
    matches!(kind, Kind::Rejected | Kind::Removed | Kind::ComplaintDecided | Kind::SanctionMute | Kind::SanctionSuspend)
}

/// `GET /notifications`.
pub fn list(c: &Chrome, items: &[Notification], next: Option<String>) -> Markup {
    layout(
        c,
        c.t(M::NotificationsTitle),
        html! {
            @if items.is_empty() { p.empty { (c.t(M::NoNotifications)) } }
            ul.notifications {
                @for n in items {
                    li.unread[n.unread] {
                        @if let Some(href) = n.kind.settings_page() {
                            a href=(href) { (c.t(what(n.kind))) }
                        } @else if is_staff_notice(n.kind) || matches!(n.kind, Kind::Rumour | Kind::RumourWithdrawn) {
                            (c.t(what(n.kind)))
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
                        " · " time { (c.time(n.created_at)) }
                    }
                }
            }
            @if let Some(href) = next { nav.pager { a rel="next" href=(href) { (c.t(M::Older)) } } }
        },
    )
}
