//! Identity pages (R7.1-R7.5): the member's `/settings/identity`, and the
//! staff pages `/admin/identities` and `/admin/outbox`. Values are shown
//! masked; only an admin's reveal answer holds one in full.

use super::components::csrf_field;
use super::{layout, Chrome};
use crate::db::identity::{Identity, Reveal, CHECK_REASON};
use crate::domain::identity::reauth::Reauth;
use crate::domain::identity::{Field, Status, SubjectType};
use crate::i18n::M;
use crate::outbound::OutboxLine;
use maud::{html, Markup};

/// What the binding form shows again after a refusal. The number and the
/// mobile are never written back into a page (R7.5): they are typed again.
#[derive(Debug, Clone, Default)]
pub struct BindForm {
    pub subject_type: String,
    pub legal_name: String,
    /// The member asked for a failing credit code to be checked by hand.
    pub override_check: bool,
    /// The field at fault, and whether its fault may be overridden.
    pub field_error: Option<(Field, bool)>,
    /// Show the form open again (a refused re-authentication, issue 15).
    pub reopen: bool,
}

/// Everything `/settings/identity` shows.
#[derive(Debug, Clone)]
pub struct IdentityPage {
    pub identity: Option<Identity>,
    /// What replacing the identity takes (issue 15).
    pub reauth: Reauth,
    pub status: Status,
    /// A code is waiting to be entered until then.
    pub code_expires_at: Option<i64>,
    pub form: BindForm,
    pub notice: Option<String>,
    pub error: Option<String>,
    /// A verification webhook answers instead of staff.
    pub webhook: bool,
    /// UTC unix seconds of the request.
    pub now: i64,
}

/// The label of a subject type.
pub fn subject_label(t: &str) -> M {
    match SubjectType::parse(t) {
        Some(SubjectType::Individual) | None => M::SubjectIndividual,
        Some(SubjectType::Organisation) => M::SubjectOrganisation,
        Some(SubjectType::Government) => M::SubjectGovernment,
        Some(SubjectType::Media) => M::SubjectMedia,
        Some(SubjectType::ForeignOrg) => M::SubjectForeignOrg,
    }
}

/// The label of a status.
pub fn status_label(s: Status) -> M {
    match s {
        Status::Unverified => M::IdStatusUnverified,
        Status::Pending => M::IdStatusPending,
        Status::Verified => M::IdStatusVerified,
        Status::Expired => M::IdStatusExpired,
    }
}

fn number_label(kind: &str) -> M {
    match kind {
        "id_number" => M::IdNumberId,
        "credit_code" => M::IdNumberCredit,
        _ => M::IdNumberOrg,
    }
}

/// Partial: a status as a small coloured label.
pub fn status_tag(c: &Chrome, s: Status) -> Markup {
    html! { span class={ "id-status " (s.as_str()) } { (c.t(status_label(s))) } }
}

/// Partial: the masked values of an identity (R7.4).
fn values(c: &Chrome, i: &Identity, now: i64) -> Markup {
    html! {
        dl.identity {
            dt { (c.t(M::IdSubjectType)) } dd { (c.t(subject_label(&i.subject_type))) }
            dt { (c.t(M::IdLegalName)) } dd { (i.legal_name_masked) }
            dt { (c.t(number_label(&i.number_kind))) } dd { code { (i.number_masked) } }
            dt { (c.t(M::IdMobile)) } dd { code { (i.mobile_masked) } }
            dt { (c.t(M::IdStatus)) } dd { (status_tag(c, i.status(now))) }
            @if let Some(t) = i.verified_at { dt { (c.t(M::IdVerifiedAt)) } dd { (c.time(t)) } }
            @if let Some(t) = i.next_check_at { dt { (c.t(M::IdNextCheck)) } dd { (c.time(t)) } }
        }
    }
}

/// `GET /settings/identity`.
pub fn settings(c: &Chrome, p: &IdentityPage) -> Markup {
    let f = &p.form;
    let subject = if f.subject_type.is_empty() {
        p.identity.as_ref().map_or("individual", |i| i.subject_type.as_str())
    } else {
        f.subject_type.as_str()
    };
    let needs_code = matches!(p.status, Status::Unverified | Status::Expired) && p.identity.is_some();
    let offer_override = matches!(f.field_error, Some((Field::Number, true)));
    layout(
        c,
        c.t(M::IdentityTitle),
        html! {
            p { (c.t(M::IdentityIntro)) }
            // A pending identity's own line already says the mobile is
            // confirmed: the step's notice would say it twice.
            @if let Some(n) = p.notice.as_ref().filter(|n| !(matches!(p.status, Status::Pending) && *n == c.t(M::IdMobileConfirmed))) {
                p.notice role="status" { (n) }
            }
            @if let Some(e) = &p.error { p.error role="alert" { (e) } }
            @match p.status {
                Status::Verified => p.notice { (c.t(M::IdYouMayPublish)) },
                Status::Pending => p.notice { (c.t(if p.webhook { M::IdPendingWebhook } else { M::IdPendingStaff })) },
                Status::Expired => p.error { (c.t(M::IdExpiredText)) },
                Status::Unverified => p.error { (c.t(M::IdentityRequiredText)) },
            }
            @if let Some(i) = &p.identity {
                @if !i.note.is_empty() { p.error { (c.t(M::IdRefusedBecause)) " " (i.note) } }
                (values(c, i, p.now))
            }
            @if needs_code {
                section.card #code {
                    h2 { (c.t(M::IdCodeTitle)) }
                    @if let Some(t) = p.code_expires_at { p.meta { (c.f(M::IdCodeValidUntil, &[&c.time(t)])) } }
                    form method="post" action="/settings/identity/confirm" {
                        (csrf_field(c.csrf))
                        label { (c.t(M::IdCode))
                            input type="text" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6"
                                autocomplete="one-time-code" required;
                        }
                        button type="submit" { (c.t(M::IdConfirmButton)) }
                    }
                    form.inline method="post" action="/settings/identity/send" {
                        (csrf_field(c.csrf))
                        button.secondary type="submit" { (c.t(M::IdSendCode)) }
                    }
                }
            }
            details.card #rebind open[p.identity.is_none() || f.field_error.is_some() || f.reopen || p.notice.is_some() && p.reauth == Reauth::PasswordAndOldMobile] {
                summary { (c.t(if p.identity.is_some() { M::IdRebind } else { M::IdBind })) }
                @if p.reauth == Reauth::PasswordAndOldMobile {
                    @if let Some(i) = &p.identity {
                        p { (c.f(M::IdReauthOldMobile, &[&i.mobile_masked])) }
                        form.inline method="post" action="/settings/identity/send" {
                            (csrf_field(c.csrf))
                            input type="hidden" name="purpose" value="change";
                            button.secondary type="submit" { (c.f(M::IdSendOldCode, &[&i.mobile_masked])) }
                        }
                        p.meta { (c.t(M::IdOldMobileLost)) }
                    }
                }
                @if p.reauth == Reauth::Password { p { (c.t(M::IdReauthPassword)) } }
                form method="post" action="/settings/identity" {
                    (csrf_field(c.csrf))
                    @if p.reauth != Reauth::Nothing {
                        label { (c.t(M::CurrentPassword))
                            input type="password" name="current_password" required autocomplete="current-password";
                        }
                    }
                    @if p.reauth == Reauth::PasswordAndOldMobile {
                        label { (c.t(M::IdOldCode))
                            input type="text" name="old_code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6"
                                autocomplete="one-time-code" required;
                        }
                    }
                    label { (c.t(M::IdSubjectType))
                        select name="subject_type" {
                            @for t in SubjectType::ALL {
                                option value=(t.as_str()) selected[subject == t.as_str()] { (c.t(subject_label(t.as_str()))) }
                            }
                        }
                    }
                    label { (c.t(M::IdLegalName)) input type="text" name="legal_name" value=(f.legal_name) required maxlength="100"; }
                    label { (c.t(M::IdNumberAny)) input type="text" name="number" required maxlength="40" autocomplete="off"; }
                    p.meta { (c.t(M::IdNumberHint)) }
                    label { (c.t(M::IdMobile)) input type="tel" name="mobile" required maxlength="30" autocomplete="tel"; }
                    @if offer_override || f.override_check {
                        label.check {
                            input type="checkbox" name="override_check" value="1" checked[f.override_check];
                            " " (c.t(M::IdOverrideAsk))
                        }
                    }
                    p.meta { (c.t(M::IdPrivacy)) }
                    button type="submit" { (c.t(M::IdBindButton)) }
                }
            }
            p { a href="/settings/verification" { (c.t(M::VerificationTitle)) } }
        },
    )
}

/// Partial: the staff pages' links, as on every admin page.
fn nav(c: &Chrome) -> Markup {
    super::admin::admin_nav(c)
}

/// Partial: links to the identity pages, for the admin panel's navigation.
pub fn admin_links(c: &Chrome) -> Markup {
    let links = [
        ("/admin/identities", M::IdentitiesTitle),
        ("/admin/verifications", M::VerificationsTitle),
        ("/admin/outbox", M::OutboxTitle),
    ];
    html! {
        @for (href, title) in links {
            @if c.opens(href) {
                a href=(href) aria-current=[(c.url == href).then_some("page")] { (c.t(title)) (super::admin::inbox_badges(c, href)) }
            }
        }
    }
}

/// `GET /admin/identities`.
pub fn admin_list(c: &Chrome, rows: &[Identity], filter: Option<Status>, now: i64) -> Markup {
    layout(
        c,
        c.t(M::IdentitiesTitle),
        html! {
            (nav(c))
            nav.filter {
                a href="/admin/identities" aria-current=[filter.is_none().then_some("page")] { (c.t(M::IdAll)) }
                @for s in [Status::Pending, Status::Unverified, Status::Verified, Status::Expired] {
                    " · " a href={ "/admin/identities?status=" (s.as_str()) } aria-current=[(filter == Some(s)).then_some("page")] {
                        (c.t(status_label(s)))
                    }
                }
            }
            @if rows.is_empty() { p.empty { (c.t(M::NobodyYet)) } }
            @else {
                table.identities {
                    thead { tr {
                        th { (c.t(M::Username)) } th { (c.t(M::IdSubjectType)) } th { (c.t(M::IdLegalName)) }
                        th { (c.t(M::IdNumberAny)) } th { (c.t(M::IdMobile)) } th { (c.t(M::IdStatus)) }
                        th { (c.t(M::IdNextCheck)) }
                    } }
                    tbody {
                        @for i in rows {
                            tr {
                                td { a href={ "/admin/identities/" (i.user_id) } { "@" (i.username) } }
                                td { (c.t(subject_label(&i.subject_type))) }
                                td { (i.legal_name_masked) }
                                td { code { (i.number_masked) } @if i.check_failed { " " span.warn { (c.t(M::IdCheckFailed)) } } }
                                td { code { (i.mobile_masked) } }
                                td { (status_tag(c, i.status(now))) }
                                td { @if let Some(t) = i.next_check_at { (c.time(t)) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// What the staff page of one identity shows.
pub struct AdminDetail<'a> {
    pub identity: &'a Identity,
    /// Every reveal of its values, newest first (R7.4).
    pub reveals: &'a [Reveal],
    /// One value an admin just revealed: (field, value).
    pub revealed: Option<(&'a str, &'a str)>,
    /// The legal name and number in full for the reviewer's check before
    /// confirming (R7.2), recorded as a reveal.
    pub check: Option<(&'a str, &'a str)>,
    pub now: i64,
    pub is_admin: bool,
    pub error: Option<&'a str>,
}

/// `GET /admin/identities/{user_id}`, and the answer to a reveal or a check.
pub fn admin_detail(c: &Chrome, d: &AdminDetail) -> Markup {
    let AdminDetail { identity: i, reveals, revealed, check, now, is_admin, error } = *d;
    let base = format!("/admin/identities/{}", i.user_id);
    let field_label = |f: &str| match f {
        "legal_name" => c.t(M::IdLegalName),
        "number" => c.t(M::IdNumberAny),
        _ => c.t(M::IdMobile),
    };
    let pending = i.stored_status == "pending" && !i.account_closed;
    layout(
        c,
        &format!("{} @{}", c.t(M::IdentityTitle), i.username),
        html! {
            (nav(c))
            @if let Some(e) = error { p.error role="alert" { (e) } }
            @if let Some((field, value)) = revealed {
                p.notice.revealed role="status" { (field_label(field)) "：" code { (value) } " — " (c.t(M::IdRevealLogged)) }
            }
            @if let Some((name, number)) = check {
                section.card.id-check #check {
                    h2 { (c.t(M::IdCheckTitle)) }
                    p.meta { (c.t(M::IdCheckShownText)) }
                    dl.id-check {
                        div { dt { (c.t(M::IdLegalName)) } dd.legal-name { (name) } }
                        div { dt { (c.t(number_label(&i.number_kind))) } dd { code.number { (number) } } }
                    }
                    @if i.check_failed { p.warn { (c.t(M::IdCheckFailedText)) } }
                    form method="post" action={ (base) "/confirm" } {
                        (csrf_field(c.csrf))
                        p { (c.t(if i.check_failed { M::IdConfirmOverrideText } else { M::IdConfirmText })) }
                        button type="submit" { (c.t(M::IdConfirmStaff)) }
                    }
                }
            }
            (values(c, i, now))
            @if i.account_closed { p.meta { (c.t(M::IdAccountClosed)) } }
            @if let Some(by) = &i.verified_by { p.meta { (c.f(M::IdConfirmedBy, &[by, &via_label(c, i.verified_via.as_deref())])) } }
            @else if i.verified_via.is_some() { p.meta { (c.f(M::IdConfirmedVia, &[&via_label(c, i.verified_via.as_deref())])) } }
            @if i.check_failed && check.is_none() {
                p.warn { (c.t(M::IdCheckFailedText)) }
                @if let (Some(by), Some(at)) = (&i.override_by, i.override_at) { p.meta { (c.f(M::IdOverriddenBy, &[by, &c.time(at)])) } }
            }
            @if !i.note.is_empty() { p { (c.t(M::IdRefusedBecause)) " " (i.note) } }
            @if pending && check.is_none() {
                form.card method="post" action={ (base) "/check" } {
                    (csrf_field(c.csrf))
                    p { (c.t(M::IdCheckIntro)) }
                    button type="submit" { (c.t(M::IdCheckButton)) }
                }
            }
            @if !i.account_closed {
                form.card method="post" action={ (base) "/reject" } {
                    (csrf_field(c.csrf))
                    label { (c.t(M::Reason)) input type="text" name="reason" required minlength="4" maxlength="500"; }
                    button.danger type="submit" { (c.t(M::IdRejectStaff)) }
                }
            }
            @if is_admin {
                @if i.status(now) == Status::Verified && !i.account_closed {
                    form.card method="post" action={ (base) "/recheck" } {
                        (csrf_field(c.csrf))
                        p { (c.t(M::IdRecheckText)) }
                        button.secondary type="submit" { (c.t(M::IdRecheckButton)) }
                    }
                }
                form.card method="post" action={ (base) "/reveal" } {
                    (csrf_field(c.csrf))
                    h2 { (c.t(M::IdRevealTitle)) }
                    p.meta { (c.t(M::IdRevealText)) }
                    label { (c.t(M::IdRevealField))
                        select name="field" {
                            option value="number" { (c.t(M::IdNumberAny)) }
                            option value="mobile" { (c.t(M::IdMobile)) }
                            option value="legal_name" { (c.t(M::IdLegalName)) }
                        }
                    }
                    label { (c.t(M::Reason)) input type="text" name="reason" required minlength="4" maxlength="500"; }
                    button type="submit" { (c.t(M::IdRevealButton)) }
                }
            }
            h2 { (c.t(M::IdRevealHistory)) }
            @if reveals.is_empty() { p.empty { (c.t(M::IdNoReveals)) } }
            @else {
                table.log {
                    thead { tr { th { (c.t(M::LogTime)) } th { (c.t(M::LogAccount)) } th { (c.t(M::IdRevealField)) } th { (c.t(M::Reason)) } } }
                    tbody {
                        @for r in reveals {
                            tr { td { (c.time(r.at)) } td { "@" (r.staff) } td { (field_label(&r.field)) }
                                td { @if r.reason == CHECK_REASON { (c.t(M::IdCheckReason)) } @else { (r.reason) } } }
                        }
                    }
                }
            }
        },
    )
}

/// `GET /admin/outbox`.
pub fn outbox(c: &Chrome, lines: &[OutboxLine], sender: &str) -> Markup {
    layout(
        c,
        c.t(M::OutboxTitle),
        html! {
            (nav(c))
            p { (c.t(if sender == "outbox" { M::OutboxIntro } else { M::OutboxWebhook })) }
            @if lines.is_empty() { p.empty { (c.t(M::OutboxEmpty)) } }
            @else {
                table.log {
                    thead { tr { th { (c.t(M::LogTime)) } th { (c.t(M::Username)) } th { (c.t(M::IdMobile)) } th { (c.t(M::OutboxText)) } } }
                    tbody {
                        @for l in lines {
                            tr { td { @if let Some(t) = l.at { (c.time(t)) } } td { a href={ "/@" (l.username) } { "@" (l.username) } } td { code { (l.mobile_masked) } } td { (l.text) } }
                        }
                    }
                }
            }
        },
    )
}

/// How an identity was verified (`identities.verified_via`: `admin`,
/// `webhook`, `mobile`, `organisation`), in words for staff pages (R7.2);
/// an unknown value is shown as stored.
fn via_label(c: &Chrome, via: Option<&str>) -> String {
    match via {
        Some("admin") => c.t(M::IdViaAdmin).to_string(),
        Some("webhook") => c.t(M::IdViaWebhook).to_string(),
        Some("mobile") => c.t(M::IdViaMobile).to_string(),
        Some("organisation") => c.t(M::IdViaOrganisation).to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}
