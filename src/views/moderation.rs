//! Staff pages of content governance: the workload panel (R6.6), the review
//! queue (R6.2), a post's or comment's staff page with removal, restore
//! and label forms (R12.2, R11.1), bulk takedown (R6.4), rumour labels.

use super::admin::admin_nav;
use super::components::{csrf_field, media_block, post_card, rich_text, user_link, PostItem};
use super::{layout, Chrome};
use crate::db::evidence::Evidence;
use crate::db::media::Attachment;
use crate::db::moderation::{Item, Workload};
use crate::db::posts::{Comment, Post};
use crate::db::rumours::Label;
use crate::domain::account::Role;
use crate::domain::credit::Decider;
use crate::i18n::{Lang, M};
use maud::{html, Markup};

fn has(c: &Chrome, r: Role) -> bool {
    c.user.is_some_and(|u| u.has(r))
}

fn reviews(c: &Chrome) -> bool {
    has(c, Role::Reviewer) || has(c, Role::ChiefEditor)
}

/// A duration in seconds as `3 h 20 min`, `2 d 4 h` or `45 s` (in `lang`).
pub fn age(lang: Lang, seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=59 => lang.f(M::AgeSeconds, &[&s]),
        60..=3599 => lang.f(M::AgeMinutes, &[&(s / 60)]),
        3600..=86_399 => lang.f(M::AgeHours, &[&(s / 3600), &(s % 3600 / 60)]),
        _ => lang.f(M::AgeDays, &[&(s / 86_400), &(s % 86_400 / 3600)]),
    }
}

/// Partial: the review workload (R6.6): queue size, oldest item's age,
/// flagged items, proposed labels.
pub fn workload(c: &Chrome, w: &Workload) -> Markup {
    let now = crate::clock::now();
    html! {
        section.workload aria-label=(c.t(M::WorkloadTitle)) {
            div.held { (c.t(M::WorkloadHeld)) strong { (w.held) } }
            div.oldest { (c.t(M::WorkloadOldest))
                strong { @match w.oldest_held_at { Some(t) => (age(c.lang, now - t)), None => "-" } }
            }
            div.flagged { (c.t(M::WorkloadFlagged)) strong { (w.flagged) } }
            div.rumours { (c.t(M::WorkloadRumours)) strong { (w.rumours_proposed) } }
        }
    }
}

fn cause_label(cause: &str) -> M {
    match cause {
        "emergency" => M::CauseEmergency,
        "tier" => M::CauseTier,
        _ => M::CauseKeyword,
    }
}

/// The words for a post's or comment's status (`published`, `pending`,
/// `rejected`, `deleted`, `removed`, `hidden`).
pub fn status_label(status: &str) -> M {
    match status {
        "hidden" => M::StatusHidden,
        "pending" => M::StatusPending,
        "rejected" => M::StatusRejected,
        "deleted" => M::StatusDeleted,
        "removed" => M::StatusRemoved,
        _ => M::StatusPublished,
    }
}

/// The words for a content type (`post`, `repost`, `comment`, `profile`).
pub fn content_kind(content_type: &str) -> M {
    match content_type {
        "comment" => M::TargetComment,
        "repost" => M::TargetRepost,
        "profile" => M::TargetProfile,
        _ => M::TargetPost,
    }
}

/// The words for a review decision (`approved`, `rejected`, `dismissed`,
/// `removed`, `withdrawn`); `…` while open.
fn decision_label(decision: Option<&str>) -> M {
    match decision {
        None => M::DecisionOpen,
        Some("approved") => M::DecisionApproved,
        Some("rejected") => M::DecisionRejected,
        Some("dismissed") => M::DecisionDismissed,
        Some("removed") => M::DecisionRemoved,
        Some(_) => M::DecisionWithdrawn,
    }
}

/// The words for a rumour label's status (`proposed`, `confirmed`,
/// `declined`, `withdrawn`).
fn label_status(status: &str) -> M {
    match status {
        "proposed" => M::LabelProposed,
        "confirmed" => M::LabelConfirmed,
        "declined" => M::LabelDeclined,
        _ => M::LabelWithdrawn,
    }
}

/// A queue item with the media of its post.
#[derive(Debug, Clone)]
pub struct QueueEntry {
    pub item: Item,
    pub media: Vec<Attachment>,
}

/// The link to a queue item's content on its staff page.
fn content_link(item: &Item) -> String {
    match item.content_type.as_str() {
        "post" => format!("/admin/posts/{}", item.content_id),
        "comment" => format!("/admin/comments/{}", item.content_id),
        _ => format!("/@{}", item.author.username),
    }
}

/// Partial: one queue item with a checkbox.
fn queue_item(c: &Chrome, e: &QueueEntry) -> Markup {
    let i = &e.item;
    html! {
        li.queue-item id={ "item-" (i.id) } {
            label.check {
                input type="checkbox" name="item" value=(i.id);
                " " (user_link(&i.author))
            }
            p.meta {
                a href=(content_link(i)) { (c.t(content_kind(&i.content_type))) " #" (i.content_id) } " · "
                (c.time(i.created_at)) " · " (c.t(cause_label(&i.cause)))
                @if let Some(p) = &i.rule_pattern {
                    " · " (c.f(M::MatchedRule, &[p, &i.rule_category.clone().unwrap_or_default()]))
                }
                @if let Some(p) = i.parent_post { " · " a href={ "/admin/posts/" (p) } { (c.f(M::ParentPost, &[&p])) } }
            }
            @if i.content_type == "profile" {
                @let v: serde_json::Value = i.proposed.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default();
                p { (c.t(M::DisplayName)) (c.colon()) (v["display_name"].as_str().unwrap_or("")) }
                p { (c.t(M::Bio)) (c.colon()) (v["bio"].as_str().unwrap_or("")) }
            } @else {
                div.body { (rich_text(&i.body)) }
                (media_block(c, &e.media))
            }
        }
    }
}

/// `GET /admin/review`: held (or flagged) content oldest first, chosen with
/// checkboxes, decided in bulk with one reason.
pub fn queue(
    c: &Chrome,
    flagged: bool,
    entries: &[QueueEntry],
    next: Option<String>,
    w: &Workload,
    done: Option<i64>,
) -> Markup {
    let title = c.t(if flagged { M::FlaggedTitle } else { M::ReviewTitle });
    let all: Vec<String> = entries.iter().map(|e| e.item.id.to_string()).collect();
    html! {
        (layout(c, title, html! {
            (admin_nav(c))
            (workload(c, w))
            @if let Some(n) = done { p.notice role="status" { (c.f(M::ReviewDone, &[&n])) } }
            @if entries.is_empty() { p.empty { (c.t(M::QueueEmpty)) } }
            @else {
                (super::components::flash_for(c, "/admin/review"))
                form method="post" action="/admin/review" {
                    (csrf_field(c.csrf))
                    ol.queue { @for e in entries { (queue_item(c, e)) } }
                    // Two forms, two reason fields: each says which items it is for.
                    h2 { (c.t(M::ReviewChosenHeading)) }
                    label { (c.t(M::Reason)) input type="text" name="reason" maxlength="1000"; }
                    @if flagged {
                        label { (c.t(M::Category)) input type="text" name="category" maxlength="40"; }
                        button type="submit" name="decision" value="dismiss" { (c.t(M::Dismiss)) } " "
                        button.danger type="submit" name="decision" value="remove" { (c.t(M::RemoveChosen)) }
                    } @else {
                        button type="submit" name="decision" value="approve" { (c.t(M::Approve)) } " "
                        button.danger type="submit" name="decision" value="reject" { (c.t(M::Reject)) }
                    }
                }
                form method="post" action="/admin/review" {
                    (csrf_field(c.csrf))
                    input type="hidden" name="all" value=(all.join(","));
                    h2 { (c.f(M::ReviewPageHeading, &[&entries.len()])) }
                    label { (c.t(M::Reason)) input type="text" name="reason" maxlength="1000"; }
                    @if flagged {
                        button type="submit" name="decision" value="dismiss" { (c.f(M::DismissAll, &[&entries.len()])) }
                    } @else {
                        button type="submit" name="decision" value="approve" { (c.f(M::ApproveAll, &[&entries.len()])) } " "
                        // Rejecting everything is asked twice (issue 13), without script.
                        details.confirm {
                            summary.button.danger { (c.f(M::RejectAll, &[&entries.len()])) }
                            p.warning role="note" { (c.f(M::ConfirmRejectAll, &[&entries.len()])) }
                            button.danger type="submit" name="decision" value="reject" { (c.f(M::ConfirmRejectAllButton, &[&entries.len()])) }
                        }
                    }
                }
            }
            @if let Some(href) = next { nav.pager { a rel="next" href=(href) { (c.t(M::MoreItems)) } } }
        }))
    }
}

/// What a staff content page lists besides the content.
#[derive(Debug, Clone, Copy)]
pub struct ContentPage<'a> {
    pub items: &'a [Item],
    pub evidence: &'a [Evidence],
    /// What was just done (`removed`, `restored`, `proposed`).
    pub done: Option<&'a str>,
    /// The tier rule that applied when it was sent (R9.1).
    pub tier: Option<&'a crate::domain::tiers::TierRule>,
    /// Who may reverse a removal (R6.5, issue 13), said before any click.
    pub reversal: Option<&'a Decider>,
    /// The reversals of its removals, from the activity log, newest first.
    pub reversals: &'a [crate::db::log::LogRow],
}

/// Partial: the reversals of a removal, each with who, when, why, and
/// whether it was made without an independent reviewer (R6.5).
fn reversals(c: &Chrome, rows: &[crate::db::log::LogRow]) -> Markup {
    html! {
        @if !rows.is_empty() {
            h2 { (c.t(M::ReversalsTitle)) }
            ul.reversals { @for r in rows {
                @let outcome = r.outcome.as_str();
                @let lone = outcome.ends_with(", no independent reviewer");
                @let rest = outcome.strip_suffix(", no independent reviewer").unwrap_or(outcome);
                @let reason = rest.strip_prefix("ok: ").or_else(|| rest.strip_prefix("ok")).unwrap_or(rest);
                li {
                    (c.time(r.at)) " · " @if let Some(u) = &r.username { "@" (u) } @else { "-" }
                    @if reason == "appeal upheld" { " · " (c.t(M::ReversalByAppeal)) }
                    @else if !reason.is_empty() { " · " (reason) }
                    @if lone { " · " strong.no-independent { (c.t(M::NoIndependentReviewer)) } }
                }
            } }
        }
    }
}

/// Partial: the queue history, evidence links and done notice of a staff content page.
fn history(c: &Chrome, p: &ContentPage) -> Markup {
    html! {
        @if let Some(d) = p.done { p.notice role="status" { (super::staff::done_text(c, d)) } }
        p.tier-applied { (c.t(M::TierApplied)) (c.colon())
            @match p.tier { Some(t) => { a href="/admin/tiers" { "#" (t.id) } " " (t.note) }, None => "-" } }
        @if !p.items.is_empty() {
            h2 { (c.t(M::QueueHistory)) }
            ul { @for i in p.items {
                li { (c.time(i.created_at)) " · " (c.t(if i.kind == "flag" { M::FlaggedTitle } else { M::ReviewTitle }))
                    " · " (c.t(cause_label(&i.cause)))
                    @if let Some(r) = &i.rule_pattern { " · " (r) }
                    " → " (c.t(decision_label(i.decision.as_deref()))) }
            } }
        }
        @if !p.evidence.is_empty() {
            h2 { (c.t(M::EvidenceTitle)) }
            ul { @for e in p.evidence {
                li { a href={ "/admin/evidence/" (e.id) } { "#" (e.id) } " · " (c.t(super::staff::kind_label(&e.kind))) " · " (c.time(e.recorded_at)) }
            } }
        }
    }
}

/// Partial: a removal form (reason required, category optional).
fn remove_form(c: &Chrome, action: &str) -> Markup {
    html! {
        form.card method="post" action=(action) {
            (csrf_field(c.csrf))
            h2 { (c.t(M::RemoveTitle)) }
            label { (c.t(M::Reason)) input type="text" name="reason" required maxlength="1000"; }
            label { (c.t(M::Category)) input type="text" name="category" maxlength="40" placeholder=(c.t(M::CategoryHint)); }
            button.danger type="submit" { (c.t(M::Remove)) }
        }
    }
}

/// Partial: the chief editor's restore form, or who must decide instead
/// (R6.5): never a button that can only fail.
fn restore_form(c: &Chrome, action: &str, who: Option<&Decider>) -> Markup {
    html! {
        @match who {
            Some(Decider::Another(names)) => {
                section.card { h2 { (c.t(M::RestoreTitle)) }
                    p.hint { (c.f(M::ReversalAnotherMust, &[&names.iter().map(|n| format!("@{n}")).collect::<Vec<_>>().join("、")])) } }
            }
            Some(Decider::Nobody) => {}
            _ => {
                (super::components::flash_for(c, action))
                form.card method="post" action=(action) {
                    (csrf_field(c.csrf))
                    h2 { (c.t(M::RestoreTitle)) }
                    @if who == Some(&Decider::NoIndependentReviewer) {
                        p.notice.no-independent role="note" { (c.t(M::ReversalNoIndependent)) }
                    }
                    label { (c.t(M::Reason)) input type="text" name="reason" maxlength="1000"; }
                    button type="submit" { (c.t(M::Restore)) }
                }
            }
        }
    }
}

/// `GET /admin/posts/{id}`.
/// `versions` are the post's earlier texts (issue 18, R12.2), shown open.
pub fn post_page(
    c: &Chrome,
    item: &PostItem,
    root: i64,
    labels: &[Label],
    p: &ContentPage,
    versions: &[crate::db::edits::PostEdit],
) -> Markup {
    let post = &item.post;
    let live_label = labels.iter().any(|l| l.status == "proposed" || l.status == "confirmed");
    let title = c.f(M::StaffPostTitle, &[&post.id]);
    layout(
        c,
        &title,
        html! {
            (admin_nav(c))
            p.meta { (c.t(M::Status)) (c.colon()) strong { (c.t(status_label(&post.status))) } }
            (post_card(c, item))
            @if !versions.is_empty() {
                h2 { (c.t(M::VersionsTitle)) }
                (super::posts::versions(c, versions, true))
            }
            (history(c, p))
            (reversals(c, p.reversals))
            @if !labels.is_empty() {
                h2 { (c.t(M::RumoursTitle)) }
                ul { @for l in labels { li { (c.t(label_status(&l.status))) " · " (l.refutation) " · @" (l.proposed_by) } } }
            }
            @if reviews(c) && (post.is_published() || post.is_pending()) {
                (remove_form(c, &format!("/admin/posts/{}/remove", post.id)))
            }
            @if has(c, Role::ChiefEditor) && post.status == "removed" {
                (restore_form(c, &format!("/admin/posts/{}/restore", post.id), p.reversal))
            }
            @if reviews(c) && post.is_published() && !live_label {
                form.card method="post" action={ "/admin/posts/" (post.id) "/rumour" } {
                    (csrf_field(c.csrf))
                    h2 { (c.t(M::ProposeRumour)) }
                    @if root != post.id { p.hint { (c.f(M::RumourOnOriginal, &[&root])) } }
                    label { (c.t(M::Refutation)) textarea name="refutation" rows="3" required maxlength="1000" {} }
                    label { (c.t(M::RefutingPost)) input type="text" name="refuting_post" placeholder="/posts/123"; }
                    button type="submit" { (c.t(M::Propose)) }
                }
            }
        },
    )
}

/// `GET /admin/comments/{id}`.
pub fn comment_page(c: &Chrome, cm: &Comment, p: &ContentPage) -> Markup {
    let title = c.f(M::StaffCommentTitle, &[&cm.id]);
    layout(
        c,
        &title,
        html! {
            (admin_nav(c))
            p.meta {
                (c.t(M::Status)) (c.colon()) strong { (c.t(status_label(&cm.status))) } " · "
                a href={ "/admin/posts/" (cm.post_id) } { (c.f(M::ParentPost, &[&cm.post_id])) }
            }
            div.staff-card { p.meta { (user_link(&cm.author)) " · " (c.time(cm.created_at)) } div.body { (rich_text(&cm.body)) } }
            (history(c, p))
            (reversals(c, p.reversals))
            @if reviews(c) && (cm.status == "published" || cm.status == "pending") {
                (remove_form(c, &format!("/admin/comments/{}/remove", cm.id)))
            }
            @if has(c, Role::ChiefEditor) && cm.status == "removed" {
                (restore_form(c, &format!("/admin/comments/{}/restore", cm.id), p.reversal))
            }
        },
    )
}

/// The bulk takedown form and its preview.
#[derive(Debug, Clone, Default)]
pub struct Takedown {
    pub keyword: String,
    pub tag: String,
    pub reason: String,
    pub category: String,
    /// How many live posts match now (after a preview).
    pub count: Option<usize>,
    /// The first of them.
    pub sample: Vec<Post>,
    /// The count moved between preview and confirmation.
    pub changed: bool,
    /// How many were just removed.
    pub done: Option<i64>,
}

/// `GET /admin/takedown`: choose a keyword or hashtag, see the count, confirm.
pub fn takedown(c: &Chrome, t: &Takedown) -> Markup {
    layout(
        c,
        c.t(M::TakedownTitle),
        html! {
            (admin_nav(c))
            @if let Some(n) = t.done { p.notice role="status" { (c.f(M::TakedownDone, &[&n])) } }
            form.card method="get" action="/admin/takedown" {
                p.hint { (c.t(M::TakedownHint)) }
                label { (c.t(M::Keyword)) input type="text" name="keyword" value=(t.keyword); }
                label { (c.t(M::Hashtag)) input type="text" name="tag" value=(t.tag) placeholder="#话题#"; }
                button type="submit" { (c.t(M::Preview)) }
            }
            @if let Some(n) = t.count {
                @if t.changed { p.error role="alert" { (c.f(M::TakedownChanged, &[&n])) } }
                p.notice role="status" { (c.f(M::TakedownCount, &[&n])) }
                @if n > 0 {
                    ul { @for p in &t.sample {
                        li { a href={ "/admin/posts/" (p.id) } { "#" (p.id) } " " (user_link(&p.author)) " · "
                            (p.body.chars().take(80).collect::<String>()) }
                    } }
                    form.card method="post" action="/admin/takedown" {
                        (csrf_field(c.csrf))
                        input type="hidden" name="keyword" value=(t.keyword);
                        input type="hidden" name="tag" value=(t.tag);
                        input type="hidden" name="expected" value=(n);
                        label { (c.t(M::Reason)) input type="text" name="reason" required maxlength="1000" value=(t.reason); }
                        label { (c.t(M::Category)) input type="text" name="category" maxlength="40" value=(t.category); }
                        button.danger type="submit" { (c.f(M::TakedownConfirm, &[&n])) }
                    }
                }
            }
        },
    )
}

/// Partial: one label with the chief editor's buttons.
fn label_row(c: &Chrome, l: &Label) -> Markup {
    let chief = has(c, Role::ChiefEditor);
    html! {
        li.staff-card {
            p.meta { a href={ "/admin/posts/" (l.post_id) } { (c.f(M::StaffPostTitle, &[&l.post_id])) }
                " · " (c.f(M::ProposedBy, &[&l.proposed_by, &c.time(l.proposed_at)])) }
            p { strong { (c.t(M::RumourLabel)) } " " (l.refutation)
                @if let Some(id) = l.refuting_post_id { " " a href={ "/posts/" (id) } { (c.t(M::RumourRefutingPost)) } } }
            @if chief {
                @if l.status == "proposed" {
                    form.inline method="post" action={ "/admin/rumours/" (l.id) "/confirm" } {
                        (csrf_field(c.csrf)) button type="submit" { (c.t(M::Confirm)) } }
                    " "
                    form.inline method="post" action={ "/admin/rumours/" (l.id) "/decline" } {
                        (csrf_field(c.csrf)) button.secondary type="submit" { (c.t(M::Decline)) } }
                }
                @if l.status == "confirmed" {
                    form.inline method="post" action={ "/admin/rumours/" (l.id) "/withdraw" } {
                        (csrf_field(c.csrf)) button.secondary type="submit" { (c.t(M::Withdraw)) } }
                }
            }
        }
    }
}

/// `GET /admin/rumours`.
pub fn rumours(c: &Chrome, proposed: &[Label], confirmed: &[Label], done: Option<i64>) -> Markup {
    layout(
        c,
        c.t(M::RumoursTitle),
        html! {
            (admin_nav(c))
            @if let Some(n) = done { p.notice role="status" { (c.f(M::RumourDone, &[&n])) } }
            h2 { (c.t(M::RumoursProposed)) }
            @if proposed.is_empty() { p.empty { (c.t(M::QueueEmpty)) } }
            ul.plain { @for l in proposed { (label_row(c, l)) } }
            h2 { (c.t(M::RumoursConfirmed)) }
            @if confirmed.is_empty() { p.empty { (c.t(M::QueueEmpty)) } }
            ul.plain { @for l in confirmed { (label_row(c, l)) } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(age(Lang::En, 5), "5 s");
        assert_eq!(age(Lang::En, 125), "2 min");
        assert_eq!(age(Lang::En, 3 * 3600 + 20 * 60), "3 h 20 min");
        assert_eq!(age(Lang::En, 2 * 86_400 + 4 * 3600), "2 d 4 h");
        assert_eq!(age(Lang::En, -3), "0 s");
        assert_eq!(age(Lang::Zh, 125), "2 分钟");
    }
}
