//! `/admin/tiers` (R9.1, R9.2): the tier rules in the order they are
//! tried, and the form to add one.

use super::admin::admin_nav;
use super::components::csrf_field;
use super::{layout, Chrome};
use crate::domain::credit::Level;
use crate::domain::tiers::{TierRule, KINDS};
use crate::i18n::M;
use maud::{html, Markup};

fn yes(c: &Chrome, b: bool) -> &'static str {
    c.t(if b { M::Yes } else { M::No })
}

/// The words for a tier rule's content kind (`text`, `image`, `video`,
/// `repost`, `comment`).
fn kind_label(kind: &str) -> M {
    match kind {
        "text" => M::TierKindText,
        "image" => M::TierKindImage,
        "video" => M::TierKindVideo,
        "repost" => M::TargetRepost,
        _ => M::TargetComment,
    }
}

/// `GET /admin/tiers`.
pub fn list(c: &Chrome, rules: &[TierRule]) -> Markup {
    layout(
        c,
        c.t(M::TiersTitle),
        html! {
            (admin_nav(c))
            p.hint { (c.t(M::TiersIntro)) }
            table.log.tiers {
                thead { tr {
                    th { "#" } th { (c.t(M::TierPosition)) } th { (c.t(M::TierSubject)) } th { (c.t(M::TierFollowers)) }
                    th { (c.t(M::CreditLevel)) } th { (c.t(M::TierKind)) } th { (c.t(M::TierEmergency)) }
                    th { (c.t(M::TierMuted)) } th { (c.t(M::TierQuotaCol)) } th { (c.t(M::TierPreReview)) } th { (c.t(M::TierMedia)) }
                    th { (c.t(M::TierReposts)) } th { (c.t(M::TierComments)) } th { (c.t(M::TierNote)) } th {}
                } }
                tbody { @for r in rules {
                    tr id={ "tier-" (r.id) } {
                        td { (r.id) } td { (r.position) }
                        td { @if r.subject_type.is_empty() { "*" } @else { (c.t(super::identity::subject_label(&r.subject_type))) } }
                        td { (r.min_followers) "–" @match r.max_followers { Some(m) => (m), None => "∞" } }
                        td { @match Level::parse(&r.credit_level) { Some(l) => (c.t(super::credit::level_label(l))), None => "*" } }
                        td { @if r.content_kind.is_empty() { "*" } @else { (c.t(kind_label(&r.content_kind))) } }
                        td { (yes(c, r.in_emergency)) }
                        td { @match r.muted_within_days { Some(d) => (c.f(M::TierMutedWithin, &[&d])), None => "*" } }
                        td { @match r.daily_quota { Some(q) => (q), None => "∞" } }
                        td { (yes(c, r.pre_review)) } td { (yes(c, r.media_allowed)) }
                        td { (yes(c, r.reposts_allowed)) } td { (yes(c, r.comments_allowed)) }
                        td { (r.note) }
                        td { form.inline method="post" action={ "/admin/tiers/" (r.id) "/delete" } {
                            (csrf_field(c.csrf)) button.link.danger type="submit" { (c.t(M::Delete)) } } }
                    }
                } }
            }
            form.card method="post" action="/admin/tiers" {
                (csrf_field(c.csrf))
                h2 { (c.t(M::TierAdd)) }
                label { (c.t(M::TierPosition)) input type="number" name="position" value="100" min="0"; }
                label { (c.t(M::TierSubject)) " " select name="subject_type" {
                    option value="" { "*" }
                    @for t in ["individual", "organisation", "government", "media", "foreign_org"] {
                        option value=(t) { (c.t(super::identity::subject_label(t))) } } } }
                label { (c.t(M::TierMinFollowers)) input type="number" name="min_followers" min="0" value="0"; }
                label { (c.t(M::TierMaxFollowers)) input type="number" name="max_followers" min="0"; }
                label { (c.t(M::CreditLevel)) " " select name="credit_level" {
                    option value="" { "*" }
                    @for l in Level::ALL { option value=(l.as_str()) { (c.t(super::credit::level_label(l))) } } } }
                label { (c.t(M::TierKind)) " " select name="content_kind" {
                    option value="" { "*" } @for k in KINDS { option value=(k) { (c.t(kind_label(k))) } } } }
                label { input type="checkbox" name="in_emergency" value="1"; " " (c.t(M::TierEmergency)) }
                label { (c.t(M::TierMutedDays)) input type="number" name="muted_within_days" min="0"; }
                label { (c.t(M::TierQuotaCol)) input type="number" name="daily_quota" min="0"; }
                label { input type="checkbox" name="pre_review" value="1"; " " (c.t(M::TierPreReview)) }
                label { input type="checkbox" name="media_allowed" value="1" checked; " " (c.t(M::TierMedia)) }
                label { input type="checkbox" name="reposts_allowed" value="1" checked; " " (c.t(M::TierReposts)) }
                label { input type="checkbox" name="comments_allowed" value="1" checked; " " (c.t(M::TierComments)) }
                label { (c.t(M::TierNote)) input type="text" name="note" maxlength="200"; }
                button type="submit" { (c.t(M::TierAdd)) }
            }
        },
    )
}
