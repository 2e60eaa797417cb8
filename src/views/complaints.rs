//! Complaint pages (R14.1, R14.2): the form (works signed out), the status
//! page of a tracking number, the staff queue and a complaint's staff page.

use super::admin::admin_nav;
use super::components::{csrf_field, linked, rich_text, target, user_link};
use super::moderation::status_label as content_status;
use super::{layout, Chrome};
use crate::db::complaints::Complaint;
use crate::db::posts::{Comment, Post};
use crate::db::targets::Targets;
use crate::db::users::User;
use crate::domain::credit::Level;
use crate::i18n::M;
use maud::{html, Markup};

/// The complaint form's fields, as typed.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// The `target` field as sent (`post:12`, `comment:3`, `user:alice`).
    pub target: String,
    /// The target in words, when the complainant may see it.
    pub about: Option<crate::db::targets::Described>,
    pub category: String,
    pub body: String,
    pub contact: String,
    pub error: Option<String>,
    /// The configured category keys, in order.
    pub categories: Vec<String>,
}

/// Open complaints about one target (duplicates), soonest due first.
#[derive(Debug, Clone)]
pub struct Group {
    pub key: String,
    pub complaints: Vec<Complaint>,
}

/// The target of a complaint as the staff page shows it.
#[derive(Debug, Clone)]
pub enum TargetView {
    Post(Box<Post>),
    Comment(Box<Comment>),
    User(Box<User>),
    None,
}

/// The label of a category key (unknown keys show as they are).
pub fn category_label(c: &Chrome, key: &str) -> String {
    let m = match key {
        "prohibited" => M::CatProhibited,
        "rumour" => M::CatRumour,
        "fraud" => M::CatFraud,
        "harassment" => M::CatHarassment,
        "rights" => M::CatRights,
        "privacy" => M::CatPrivacy,
        "other" => M::CatOther,
        _ => return key.to_string(),
    };
    c.t(m).to_string()
}

fn status_label(s: &str) -> M {
    match s {
        "in_progress" => M::ComplaintInProgress,
        "resolved" => M::ComplaintResolved,
        "rejected" => M::ComplaintRejected,
        _ => M::ComplaintOpen,
    }
}

/// `GET /complaints/new`.
pub fn new_form(c: &Chrome, f: &Form) -> Markup {
    layout(
        c,
        c.t(M::ComplaintTitle),
        html! {
            p.hint { (c.t(M::ComplaintIntro)) }
            form.card method="post" action="/complaints" enctype="multipart/form-data" {
                (csrf_field(c.csrf))
                @if let Some(e) = &f.error { p.error role="alert" { (e) } }
                @if let Some(d) = &f.about {
                    p.about { (c.t(M::ComplaintAbout)) "：" (target(c, d, false)) }
                }
                input type="hidden" name="target" value=(f.target);
                label { (c.t(M::ComplaintCategory)) " "
                    select name="category" required {
                        @for k in &f.categories {
                            option value=(k) selected[*k == f.category] { (category_label(c, k)) }
                        }
                    }
                }
                label { (c.t(M::ComplaintBody))
                    textarea name="body" rows="5" required maxlength="2000" { (f.body) } }
                label { (c.t(M::ComplaintContact))
                    input type="text" name="contact" maxlength="100" value=(f.contact) required[c.user.is_none()]; }
                @if c.user.is_none() { p.hint { (c.t(M::ComplaintContactHint)) } }
                label { (c.t(M::ComplaintImages))
                    input type="file" name="images" multiple accept="image/jpeg,image/png,image/gif,image/webp"; }
                button type="submit" { (c.t(M::ComplaintSend)) }
            }
        },
    )
}

/// What `GET /complaints` shows.
pub struct Lookup<'a> {
    /// The number as typed, kept in the field.
    pub typed: &'a str,
    /// Why the number found nothing.
    pub error: Option<&'a str>,
    /// Signed in: the complaints I filed, newest first.
    pub mine: Option<&'a [Complaint]>,
    /// Their targets in words.
    pub known: &'a Targets,
}

/// `GET /complaints`: look up a tracking number; signed in, my complaints.
pub fn lookup(c: &Chrome, l: &Lookup) -> Markup {
    layout(
        c,
        c.t(M::ComplaintLookupTitle),
        html! {
            form.card.lookup method="get" action="/complaints" {
                @if let Some(e) = l.error { p.error role="alert" { (e) } }
                label { (c.t(M::ComplaintTracking))
                    input type="text" name="tracking" value=(l.typed) required maxlength="64"
                        placeholder="TS-XXXX-XXXX-XXXX-XXXX" autocomplete="off" autocapitalize="characters";
                }
                button type="submit" { (c.t(M::ComplaintLookupButton)) }
            }
            p { a href="/complaints/new" { (c.t(M::ComplaintTitle)) } }
            @if let Some(mine) = l.mine {
                h2 { (c.t(M::MyComplaintsTitle)) }
                @if mine.is_empty() { p.empty { (c.t(M::MyComplaintsEmpty)) } }
                @else {
                    table.mine {
                        thead { tr {
                            th { (c.t(M::ComplaintTracking)) } th { (c.t(M::ComplaintFiled)) } th { (c.t(M::ComplaintCategory)) }
                            th { (c.t(M::ComplaintAbout)) } th { (c.t(M::ComplaintStatus)) }
                        } }
                        tbody { @for x in mine {
                            tr {
                                td { a href={ "/complaints/" (x.tracking) } { (x.tracking) } }
                                td { (c.time(x.created_at)) }
                                td { (category_label(c, &x.category)) }
                                td { @match x.target_id {
                                    Some(id) => (linked(c, &format!("{}:{id}", x.target_type), l.known, false)),
                                    None => "-",
                                } }
                                td.complaint-status { (c.t(status_label(&x.status))) }
                            }
                        } }
                    }
                }
            }
        },
    )
}

/// `GET /complaints/{tracking}`: what the complainant sees.
pub fn status(c: &Chrome, x: &Complaint) -> Markup {
    layout(
        c,
        c.t(M::ComplaintStatusTitle),
        html! {
            p.tracking { (c.t(M::ComplaintTracking)) (c.colon()) strong { (x.tracking) } }
            p.hint { (c.t(M::ComplaintKeepNumber)) }
            dl {
                dt { (c.t(M::ComplaintCategory)) } dd { (category_label(c, &x.category)) }
                dt { (c.t(M::ComplaintStatus)) } dd.complaint-status { (c.t(status_label(&x.status))) }
                dt { (c.t(M::ComplaintFiled)) } dd { (c.time(x.created_at)) }
                dt { (c.t(M::ComplaintDue)) } dd { (c.time(x.due_at)) }
                @if !x.resolution.is_empty() {
                    dt { (c.t(M::ComplaintResult)) } dd.resolution { (x.resolution) }
                }
            }
            p { a href="/complaints" { (c.t(M::ComplaintLookupTitle)) } }
        },
    )
}

/// Partial: the due time, marked when overdue.
fn due(c: &Chrome, x: &Complaint, now: i64) -> Markup {
    html! {
        @if x.is_open() && x.due_at < now {
            span.overdue { (c.t(M::ComplaintOverdue)) " " (c.time(x.due_at)) }
        } @else {
            span.due { (c.time(x.due_at)) }
        }
    }
}

/// Partial: a complaint's target in words with a link to its staff page
/// (issue 13), `-` for a complaint in general.
fn target_link(c: &Chrome, x: &Complaint, known: &Targets) -> Markup {
    match x.target_id {
        Some(id) => linked(c, &format!("{}:{id}", x.target_type), known, true),
        None => html! { span { "-" } },
    }
}

/// `GET /admin/complaints`.
pub fn queue(c: &Chrome, groups: &[Group], decided: &[Complaint], known: &Targets, now: i64) -> Markup {
    layout(
        c,
        c.t(M::ComplaintsTitle),
        html! {
            (admin_nav(c))
            @if groups.is_empty() { p.empty { (c.t(M::ComplaintsEmpty)) } }
            table.log.complaints {
                thead { tr { th { (c.t(M::ComplaintDue)) } th { (c.t(M::ComplaintCategory)) } th { (c.t(M::ComplaintAbout)) }
                    th { (c.t(M::ComplaintCount)) } th { (c.t(M::ComplaintStatus)) } th { (c.t(M::ComplaintAssigned)) } th {} } }
                tbody { @for g in groups {
                    @let x = &g.complaints[0];
                    tr.overdue-row[x.due_at < now] id={ "complaint-" (x.id) } {
                        td { (due(c, x, now)) }
                        td { (category_label(c, &x.category)) }
                        td { (target_link(c, x, known)) }
                        td { (g.complaints.len()) }
                        td { (c.t(status_label(&x.status))) }
                        td { @if let Some(u) = &x.assigned_to { (user_link(u)) } }
                        td { a href={ "/admin/complaints/" (x.id) } { (c.t(M::ComplaintOpenLink)) } }
                    }
                } }
            }
            @if !decided.is_empty() {
                h2 { (c.t(M::ComplaintsDecided)) }
                ul { @for x in decided {
                    li { a href={ "/admin/complaints/" (x.id) } { (x.tracking) } " · " (c.t(status_label(&x.status)))
                        " · " (x.resolution) }
                } }
            }
        },
    )
}

/// What a complaint's staff page shows.
#[derive(Debug, Clone)]
pub struct Detail<'a> {
    pub complaint: &'a Complaint,
    /// Every complaint about the same target (the complaint itself included).
    pub group: &'a [Complaint],
    pub target: &'a TargetView,
    /// The target author's score and level (R15.1).
    pub credit: Option<(i64, Level)>,
    /// Staff usernames to assign to.
    pub staff: &'a [String],
    /// Evidence images: (complaint id, position).
    pub images: &'a [(i64, i64)],
    /// The target in words (issue 13).
    pub known: &'a Targets,
}

/// `GET /admin/complaints/{id}`.
pub fn show(c: &Chrome, d: &Detail, now: i64) -> Markup {
    let Detail { complaint: x, group, target, credit, staff, images, known } = *d;
    let base = format!("/admin/complaints/{}", x.id);
    layout(
        c,
        c.t(M::ComplaintsTitle),
        html! {
            (admin_nav(c))
            h2.tracking { (x.tracking) }
            dl {
                dt { (c.t(M::ComplaintCategory)) } dd { (category_label(c, &x.category)) }
                dt { (c.t(M::ComplaintStatus)) } dd.complaint-status { (c.t(status_label(&x.status))) }
                dt { (c.t(M::ComplaintDue)) } dd { (due(c, x, now)) }
                dt { (c.t(M::ComplaintAbout)) } dd { (target_link(c, x, known)) }
                @if let Some((s, l)) = credit {
                    dt { (c.t(M::CreditTitle)) } dd.credit { (s) " · " (c.t(super::credit::level_label(l))) }
                }
            }
            @match target {
                TargetView::Post(p) => blockquote.target { (user_link(&p.author)) " · " (c.t(content_status(&p.status))) div.body { (rich_text(&p.body)) } },
                TargetView::Comment(cm) => blockquote.target { (user_link(&cm.author)) " · " (c.t(content_status(&cm.status))) div.body { (rich_text(&cm.body)) } },
                TargetView::User(u) => blockquote.target { (user_link(u)) " · "
                    a href={ "/admin/credit/" (u.username) } { (c.t(M::CreditTitle)) } },
                TargetView::None => {},
            }
            h2 { (c.f(M::ComplaintGroup, &[&group.len()])) }
            ol.group { @for g in group {
                li { (g.tracking) " · " (c.t(status_label(&g.status))) " · " (c.time(g.created_at))
                    @if !g.contact.is_empty() { " · " (c.t(M::ComplaintContact)) (c.colon()) (g.contact) }
                    div.body { (g.body) } }
            } }
            @if !images.is_empty() {
                p.complaint-images { (c.t(M::ComplaintImages)) (c.colon())
                    @for (cid, pos) in images {
                        a href={ "/admin/complaints/" (cid) "/media/" (pos) } { img src={ "/admin/complaints/" (cid) "/media/" (pos) } alt="" width="120"; } " "
                    }
                }
            }
            @if x.is_open() {
                (super::components::flash_for(c, &format!("{base}/assign")))
                form.card method="post" action={ (base) "/assign" } {
                    (csrf_field(c.csrf))
                    label { (c.t(M::ComplaintAssigned)) " "
                        select name="to" { option value="" { "-" }
                            @for s in staff { option value=(s) selected[x.assigned_to.as_ref().is_some_and(|u| &u.username == s)] { "@" (s) } } }
                    }
                    button type="submit" { (c.t(M::ComplaintAssign)) }
                }
                // A refused removal or restriction: its message above both forms.
                (super::components::flash_for(c, &format!("{base}/act")))
                @if matches!(target, TargetView::Post(_) | TargetView::Comment(_)) {
                    form.card method="post" action={ (base) "/act" } {
                        (csrf_field(c.csrf))
                        input type="hidden" name="action" value="remove";
                        h2 { (c.t(M::RemoveTitle)) }
                        label { (c.t(M::Reason)) input type="text" name="reason" required maxlength="1000"; }
                        button.danger type="submit" { (c.t(M::RemoveTitle)) }
                    }
                }
                @if let TargetView::Post(p) = target {
                    form.card method="post" action={ "/admin/posts/" (p.id) "/rumour" } {
                        (csrf_field(c.csrf))
                        h2 { (c.t(M::ComplaintLabel)) }
                        label { (c.t(M::ComplaintRefutation)) input type="text" name="refutation" required maxlength="1000"; }
                        button type="submit" { (c.t(M::ComplaintLabel)) }
                    }
                }
                @if !matches!(target, TargetView::None) {
                    // Restricting an account is asked twice (issue 13), without script.
                    section.card {
                        h2 { (c.t(M::ComplaintRestrict)) }
                        (super::components::confirm_form(c, &format!("{base}/act"), c.t(M::ComplaintRestrict),
                            c.t(M::ConfirmRestrict), c.t(M::ConfirmRestrictButton), html! {
                                input type="hidden" name="action" value="restrict";
                                label { (c.t(M::Reason)) input type="text" name="reason" required maxlength="1000"; }
                            }))
                    }
                }
                (super::components::flash_for(c, &format!("{base}/resolve")))
                form.card method="post" action={ (base) "/resolve" } {
                    (csrf_field(c.csrf))
                    h2 { (c.t(M::ComplaintResolve)) }
                    label { input type="radio" name="decision" value="upheld" checked; " " (c.t(M::ComplaintUpheld)) }
                    label { input type="radio" name="decision" value="rejected"; " " (c.t(M::ComplaintRejected)) }
                    label { (c.t(M::ComplaintResult)) textarea name="resolution" rows="3" required maxlength="2000" {} }
                    button type="submit" { (c.t(M::ComplaintResolve)) }
                }
            } @else {
                p.resolution { (c.t(M::ComplaintResult)) (c.colon()) (x.resolution) }
            }
        },
    )
}
