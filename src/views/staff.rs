//! Staff administration pages: keyword rules (R12.1), roles (R6.5), the
//! emergency switches (R6.4) and evidence records (R12.2, R12.3).

use super::admin::admin_nav;
use super::components::{csrf_field, user_link};
use super::{layout, Chrome};
use crate::db::evidence::{Evidence, EvidenceKind};
use crate::db::staff::StaffRow;
use crate::domain::account::Role;
use crate::domain::keywords::{KeywordAction, KeywordRule};
use crate::domain::moderation::Emergency;
use crate::i18n::M;
use maud::{html, Markup};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

fn action_label(a: KeywordAction) -> M {
    match a {
        KeywordAction::Block => M::ActionBlock,
        KeywordAction::Review => M::ActionReview,
        KeywordAction::Flag => M::ActionFlag,
    }
}

/// What `/admin/keywords` shows.
#[derive(Debug, Clone, Default)]
pub struct RulesPage {
    /// The search.
    pub q: String,
    pub rules: Vec<KeywordRule>,
    pub total: i64,
    pub next: Option<String>,
    /// A refused single rule: the message and what was typed.
    pub error: Option<String>,
    pub pattern: String,
    pub category: String,
    /// A refused import: the text and one message per bad line.
    pub import_text: String,
    pub import_errors: Vec<String>,
    /// What was just done.
    pub notice: Option<String>,
}

/// The "done" notice a staff page shows after a redirect with `?done=TOKEN`,
/// in words: `added`, `deleted`, `imported N` (rules), `removed`,
/// `restored`, `proposed` (content); any other token says only "saved",
/// so no internal word (or text from the address) reaches the page.
pub fn done_text(c: &Chrome, token: &str) -> String {
    let token = token.replace('+', " ");
    match token.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["added"] => c.t(M::DoneRuleAdded).to_string(),
        ["deleted"] => c.t(M::DoneRuleDeleted).to_string(),
        ["imported", n] if n.parse::<u64>().is_ok() => c.lang.f(M::DoneRulesImported, &[n]),
        ["removed"] => c.t(M::DoneRemoved).to_string(),
        ["restored"] => c.t(M::DoneRestored).to_string(),
        ["proposed"] => c.t(M::DoneRumourProposed).to_string(),
        _ => c.t(M::Saved).to_string(),
    }
}

/// `GET /admin/keywords`.
pub fn keywords(c: &Chrome, p: &RulesPage) -> Markup {
    layout(
        c,
        c.t(M::KeywordsTitle),
        html! {
            (admin_nav(c))
            @if let Some(n) = &p.notice { p.notice role="status" { (done_text(c, n)) } }
            p.hint { (c.t(M::KeywordsHint)) }
            form.card method="post" action="/admin/keywords" {
                (csrf_field(c.csrf))
                h2 { (c.t(M::AddRule)) }
                @if let Some(e) = &p.error { p.error role="alert" { (e) } }
                label { (c.t(M::Keyword)) input type="text" name="pattern" required maxlength="200" value=(p.pattern); }
                label { (c.t(M::Category)) input type="text" name="category" maxlength="40" value=(p.category)
                    placeholder=(c.t(M::CategoryHint)); }
                label { (c.t(M::RuleAction)) " "
                    select name="action" {
                        @for a in [KeywordAction::Block, KeywordAction::Review, KeywordAction::Flag] {
                            option value=(a.as_str()) selected[a == KeywordAction::Review] { (c.t(action_label(a))) }
                        }
                    }
                }
                button type="submit" { (c.t(M::AddRule)) }
            }
            form.filter method="get" action="/admin/keywords" {
                label { (c.t(M::SearchRules)) input type="text" name="q" value=(p.q); }
                button type="submit" { (c.t(M::LogFilterButton)) }
                " " a href="/admin/keywords/export" { (c.t(M::ExportRules)) }
            }
            p.meta { (c.f(M::RuleCount, &[&p.total])) }
            table.log {
                thead { tr { th { "#" } th { (c.t(M::Keyword)) } th { (c.t(M::Category)) } th { (c.t(M::RuleAction)) } th {} } }
                tbody { @for r in &p.rules {
                    tr { td { (r.id) } td { (r.pattern) } td { (r.category) } td { (c.t(action_label(r.action))) }
                        td { form.inline method="post" action={ "/admin/keywords/" (r.id) "/delete" } {
                            (csrf_field(c.csrf)) button.link.danger type="submit" { (c.t(M::Delete)) } } } }
                } }
            }
            @if let Some(href) = &p.next { nav.pager { a rel="next" href=(href) { (c.t(M::MoreItems)) } } }
            form.card method="post" action="/admin/keywords/import" {
                (csrf_field(c.csrf))
                h2 { (c.t(M::ImportRules)) }
                p.hint { (c.t(M::ImportHint)) }
                @if !p.import_errors.is_empty() {
                    ul.error role="alert" { @for e in &p.import_errors { li { (e) } } }
                }
                textarea name="rules" rows="10" { (p.import_text) }
                label.check { input type="checkbox" name="replace" value="1"; " " (c.t(M::ImportReplace)) }
                button type="submit" { (c.t(M::ImportRules)) }
            }
        },
    )
}

/// The catalogue name of a staff role (R6.5).
pub fn role_label(r: Role) -> M {
    match r {
        Role::Reviewer => M::RoleReviewer,
        Role::ChiefEditor => M::RoleChiefEditor,
        Role::Admin => M::RoleAdmin,
    }
}

/// `GET /admin/users`: accounts with the roles they hold (by name, in the
/// page's language), a revoke button for each held role and a grant button
/// for each other one (R6.5). The last active admin's admin role shows a
/// note saying why it stays instead of a button that could only fail;
/// `admins` is how many active admins there are.
pub fn users(
    c: &Chrome,
    q: &str,
    staff_only: bool,
    rows: &[StaffRow],
    admins: i64,
    next: Option<String>,
    notice: Option<&str>,
) -> Markup {
    layout(
        c,
        c.t(M::UsersTitle),
        html! {
            (admin_nav(c))
            @if let Some(n) = notice {
                p.notice role="status" { (c.t(if n == "unchanged" { M::NothingChanged } else { M::Saved })) }
            }
            form.filter method="get" action="/admin/users" {
                label { (c.t(M::Username)) input type="text" name="q" value=(q); }
                label.check { input type="checkbox" name="staff" value="1" checked[staff_only]; " " (c.t(M::StaffOnly)) }
                button type="submit" { (c.t(M::LogFilterButton)) }
            }
            @if rows.is_empty() { p.empty { (c.t(M::NobodyYet)) } }
            table.log.users {
                thead { tr { th { (c.t(M::Username)) } th { (c.t(M::Roles)) } th { (c.t(M::RoleActions)) } } }
                tbody { @for r in rows {
                    @let active = r.user.status == "active";
                    tr data-user=(r.user.username) {
                        td { (user_link(&r.user)) @if !active { " " span.vis { (c.t(M::AccountClosedTag)) } } }
                        td.roles {
                            @if r.roles.is_empty() { span.meta { (c.t(M::NoRoles)) } }
                            @for role in &r.roles { span.tag-note.role { (c.t(role_label(*role))) } " " }
                        }
                        td { @for role in Role::ALL {
                            @let held = r.roles.contains(&role);
                            @if held && role == Role::Admin && admins <= 1 && active {
                                span.meta.last-admin { (c.t(M::LastAdminKeeps)) } " "
                            } @else if held || active {
                                (super::components::flash_for(c, &format!("/admin/users/{}/roles", r.user.username)))
                                form.inline method="post" action={ "/admin/users/" (r.user.username) "/roles" } {
                                    (csrf_field(c.csrf))
                                    input type="hidden" name="role" value=(role.as_str());
                                    input type="hidden" name="action" value=(if held { "revoke" } else { "grant" });
                                    button.link.danger[held] type="submit" {
                                        (c.f(if held { M::RevokeRole } else { M::GrantRole }, &[&c.t(role_label(role))]))
                                    }
                                }
                                " "
                            }
                        } }
                    }
                } }
            }
            @if let Some(href) = next { nav.pager { a rel="next" href=(href) { (c.t(M::MoreItems)) } } }
        },
    )
}

/// `GET /admin/emergency`: the switches (R6.4).
pub fn emergency(c: &Chrome, e: &Emergency, saved: bool) -> Markup {
    let switch = |name: &str, label: M, on: bool| {
        html! { label.check { input type="checkbox" name=(name) value="1" checked[on]; " " (c.t(label)) } }
    };
    layout(
        c,
        c.t(M::EmergencyTitle),
        html! {
            (admin_nav(c))
            form.card method="post" action="/admin/emergency" {
                (csrf_field(c.csrf))
                @if saved { p.notice role="status" { (c.t(M::Saved)) } }
                p.hint { (c.t(M::EmergencyHint)) }
                (switch("hold_all", M::EmergencyHoldAll, e.hold_all))
                (switch("stop_reposts", M::EmergencyStopReposts, e.stop_reposts))
                (switch("stop_publishing", M::EmergencyStopPublishing, e.stop_publishing))
                label { (c.t(M::EmergencyBanner)) textarea name="banner" rows="2" maxlength="300" { (e.banner) } }
                button.danger type="submit" { (c.t(M::Save)) }
            }
        },
    )
}

/// `POST /admin/emergency` when it would stop all publishing: the second
/// step, saying what it does, with the switches as sent (R6.4, issue 13).
pub fn emergency_confirm(c: &Chrome, e: &Emergency) -> Markup {
    let hidden = |name: &str, on: bool| html! { @if on { input type="hidden" name=(name) value="1"; } };
    layout(
        c,
        c.t(M::ConfirmStopPublishingTitle),
        html! {
            (admin_nav(c))
            form.card method="post" action="/admin/emergency" {
                (csrf_field(c.csrf))
                (hidden("hold_all", e.hold_all))
                (hidden("stop_reposts", e.stop_reposts))
                (hidden("stop_publishing", e.stop_publishing))
                input type="hidden" name="banner" value=(e.banner);
                input type="hidden" name="confirm" value="1";
                p.warning role="note" { (c.t(M::ConfirmStopPublishing)) }
                button.danger type="submit" { (c.t(M::ConfirmStopPublishingButton)) } " "
                a href="/admin/emergency" { (c.t(M::Cancel)) }
            }
        },
    )
}

/// The fields of the evidence filter, as typed.
#[derive(Debug, Clone, Default)]
pub struct EvidenceForm {
    pub kind: String,
    pub author: String,
    pub from: String,
    pub to: String,
}

impl EvidenceForm {
    /// The non-empty fields as `name=value&` pairs.
    pub fn query_prefix(&self) -> String {
        [("kind", &self.kind), ("author", &self.author), ("from", &self.from), ("to", &self.to)]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}&", utf8_percent_encode(v, NON_ALPHANUMERIC)))
            .collect()
    }
}

/// The words for an evidence record's kind.
pub fn kind_label(kind: &str) -> M {
    match EvidenceKind::parse(kind) {
        Some(EvidenceKind::Removal) => M::EvidenceRemoval,
        Some(EvidenceKind::Rejection) => M::EvidenceRejection,
        Some(EvidenceKind::Block) => M::EvidenceBlock,
        Some(EvidenceKind::Sanction) => M::EvidenceSanction,
        _ => M::EvidenceAuthorDelete,
    }
}

/// Partial: what an evidence record is about, in words with a link to its
/// staff page (issue 13), never `post:12`.
fn evidence_target(c: &Chrome, e: &Evidence) -> Markup {
    let kind = c.t(super::moderation::content_kind(&e.content_type));
    let href = match (e.content_type.as_str(), e.content_id) {
        ("post" | "repost", Some(id)) => Some(format!("/admin/posts/{id}")),
        ("comment", Some(id)) => Some(format!("/admin/comments/{id}")),
        // Issue 18: a sanction's record is about the account: its staff page.
        ("profile", Some(_)) => Some(format!("/admin/credit/{}", e.author_username)),
        _ => None,
    };
    html! {
        @match (href, e.content_id) {
            (Some(h), Some(id)) => a href=(h) { (kind) " #" (id) },
            (None, Some(id)) => (kind) " #" (id),
            _ => (kind),
        }
    }
}

/// `GET /admin/evidence`.
pub fn evidence_list(
    c: &Chrome,
    f: &EvidenceForm,
    rows: &[Evidence],
    next: Option<String>,
    error: Option<&str>,
) -> Markup {
    layout(
        c,
        c.t(M::EvidenceTitle),
        html! {
            (admin_nav(c))
            p.hint { (c.t(M::EvidenceHint)) }
            form.filter method="get" action="/admin/evidence" {
                label { (c.t(M::EvidenceKindLabel)) " "
                    select name="kind" {
                        option value="" { "-" }
                        @for k in EvidenceKind::ALL {
                            option value=(k.as_str()) selected[f.kind == k.as_str()] { (c.t(kind_label(k.as_str()))) }
                        }
                    }
                }
                label { (c.t(M::LogAccount)) input type="text" name="author" value=(f.author); }
                label { (c.t(M::LogFrom)) input type="date" name="from" value=(f.from); }
                label { (c.t(M::LogTo)) input type="date" name="to" value=(f.to); }
                button type="submit" { (c.t(M::LogFilterButton)) }
            }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            @if rows.is_empty() && error.is_none() { p.empty { (c.t(M::LogNoEntries)) } }
            @if !rows.is_empty() {
                table.log {
                    thead { tr { th { "#" } th { (c.t(M::LogTime)) } th { (c.t(M::EvidenceKindLabel)) }
                        th { (c.t(M::LogTarget)) } th { (c.t(M::LogAccount)) } th { (c.t(M::Reason)) } th { (c.t(M::Excerpt)) } } }
                    tbody { @for e in rows {
                        tr { td { a href={ "/admin/evidence/" (e.id) } { (e.id) } } td { (c.time(e.recorded_at)) }
                            td { (c.t(kind_label(&e.kind))) }
                            td { (evidence_target(c, e)) }
                            td { "@" (e.author_username) } td { (e.reason) }
                            td { (e.body.chars().take(60).collect::<String>()) } }
                    } }
                }
            }
            @if let Some(href) = next { nav.pager { a rel="next" href=(href) { (c.t(M::OlderEntries)) } } }
        },
    )
}

/// `GET /admin/evidence/{id}`: every field, the media, and whether the
/// stored hash still matches.
pub fn evidence_record(c: &Chrome, e: &Evidence, intact: bool) -> Markup {
    let title = c.f(M::EvidenceRecordTitle, &[&e.id]);
    let row = |label: M, value: String| html! { tr { th { (c.t(label)) } td { (value) } } };
    layout(
        c,
        &title,
        html! {
            (admin_nav(c))
            table.log {
                (row(M::EvidenceKindLabel, c.t(kind_label(&e.kind)).to_string()))
                (row(M::LogTime, c.time(e.recorded_at)))
                tr { th { (c.t(M::LogTarget)) } td { (evidence_target(c, e)) } }
                (row(M::ParentLabel, e.parent.clone()))
                (row(M::LogAccount, format!("@{} (#{})", e.author_username, e.author_id)))
                (row(M::PublishedAt, e.content_created_at.map(|t| c.time(t)).unwrap_or_default()))
                (row(M::LogSource, if e.source_ip.is_empty() { String::new() } else { format!("{}:{}", e.source_ip, e.source_port) }))
                (row(M::RuleLabel, e.rule_pattern.clone().map(|p| format!("#{} {p}", e.rule_id.unwrap_or(0))).unwrap_or_default()))
                (row(M::Decider, e.decider_username.clone().map(|u| format!("@{u}")).unwrap_or_default()))
                (row(M::Category, match (EvidenceKind::parse(&e.kind), crate::db::sanctions::Kind::parse(&e.category)) {
                    // Issue 18: a sanction's kind in words, never `suspend`.
                    (Some(EvidenceKind::Sanction), Some(k)) => c.t(super::sanctions::kind_label(k)).to_string(),
                    _ => e.category.clone(),
                }))
                (row(M::Reason, e.reason.clone()))
                (row(M::Sha256Label, e.sha256.clone()))
            }
            @if intact { p.notice { (c.t(M::EvidenceIntact)) } } @else { p.error role="alert" { (c.t(M::EvidenceTampered)) } }
            h2 { (c.t(M::Excerpt)) }
            pre.evidence-body { (e.body) }
            @if !e.media.is_empty() {
                h2 { (c.t(M::MediaLabel)) }
                ul { @for m in &e.media {
                    li { a href={ "/media/" (m.sha256) } { (m.sha256) } " " (m.mime) }
                } }
            }
        },
    )
}
