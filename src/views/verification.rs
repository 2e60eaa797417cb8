//! Verified-badge pages (R8.1, R10.1): the member's application page and
//! the reviewers' `/admin/verifications`, and the badge partial shown
//! beside names on profiles, posts and comments.

use super::components::csrf_field;
use super::identity::subject_label;
use super::{layout, Chrome};
use crate::db::identity::Identity;
use crate::db::verification::{Application, Proof};
use crate::domain::identity::SubjectType;
use crate::i18n::M;
use maud::{html, Markup};

/// What the application form shows again after a refusal.
#[derive(Debug, Clone, Default)]
pub struct ApplyForm {
    pub subject_type: String,
    pub certified_name: String,
    pub error: Option<String>,
}

/// A pending application with what a reviewer needs.
#[derive(Debug, Clone)]
pub struct Queued {
    pub app: Application,
    pub proofs: Vec<Proof>,
    /// `Ok` when the badge may be given; otherwise why not (`identity`,
    /// `kind`, `mismatch`).
    pub check: Result<(), &'static str>,
}

/// Partial: the verified badge of an account by subject type (R8.1), or
/// nothing. `badge` is the approved application's subject type.
pub fn badge(c: &Chrome, badge: Option<&str>) -> Markup {
    html! {
        @if let Some(t) = badge {
            @let label = c.f(M::BadgeLabel, &[&c.t(subject_label(t))]);
            " " span class={ "vbadge " (t) } title=(label) aria-label=(label) role="img" { "V" }
        }
    }
}

fn status_label(s: &str) -> M {
    match s {
        "approved" => M::VerApproved,
        "rejected" => M::VerRejected,
        "revoked" => M::VerRevoked,
        _ => M::VerPending,
    }
}

/// Partial: links to the proofs of an application.
fn proof_links(c: &Chrome, proofs: &[Proof]) -> Markup {
    html! {
        ul.proofs {
            @for p in proofs {
                li { a href={ "/verification/proofs/" (p.id) } { (p.file_name) } " (" (p.mime) ", " (p.size) " B)" }
            }
            @if proofs.is_empty() { li { (c.t(M::VerNoProofs)) } }
        }
    }
}

/// `GET /settings/verification`.
#[allow(clippy::too_many_arguments)]
pub fn settings(
    c: &Chrome,
    apps: &[Application],
    proofs: &[Vec<Proof>],
    identity: Option<&Identity>,
    verified: bool,
    f: &ApplyForm,
    applied: bool,
    max_mib: u64,
) -> Markup {
    let open = apps.iter().any(|a| a.status == "pending" || a.status == "approved");
    let default_type = identity.map_or("individual", |i| i.subject_type.as_str());
    let chosen = if f.subject_type.is_empty() { default_type } else { f.subject_type.as_str() };
    layout(
        c,
        c.t(M::VerificationTitle),
        html! {
            p { (c.t(M::VerIntro)) }
            @if applied { p.notice role="status" { (c.t(M::VerApplied)) } }
            @if let Some(e) = &f.error { p.error role="alert" { (e) } }
            @for (a, ps) in apps.iter().zip(proofs) {
                section.card.application {
                    p {
                        strong { (a.certified_name) } (badge(c, (a.status == "approved").then_some(a.subject_type.as_str())))
                        " · " (c.t(subject_label(&a.subject_type))) " · " (c.t(status_label(&a.status)))
                    }
                    p.meta { (c.f(M::VerAppliedOn, &[&c.time(a.applied_at)])) }
                    @if !a.reason.is_empty() { p { (c.t(M::Reason)) "：" (a.reason) } }
                    (proof_links(c, ps))
                }
            }
            @if !verified {
                p.error { (c.t(M::VerNeedsIdentity)) " " a href="/settings/identity" { (c.t(M::IdentityBindLink)) } }
            } @else if !open {
                form.card method="post" action="/settings/verification" enctype="multipart/form-data" {
                    (csrf_field(c.csrf))
                    label { (c.t(M::VerType))
                        select name="subject_type" {
                            @for t in SubjectType::ALL {
                                option value=(t.as_str()) selected[chosen == t.as_str()] { (c.t(subject_label(t.as_str()))) }
                            }
                        }
                    }
                    label { (c.t(M::VerCertifiedName)) input type="text" name="certified_name" value=(f.certified_name) required maxlength="100"; }
                    p.meta { (c.t(M::VerNameRule)) }
                    label { (c.f(M::VerProofs, &[&max_mib]))
                        input type="file" name="proof" multiple required accept="application/pdf,image/jpeg,image/png";
                    }
                    ul.meta {
                        li { (c.t(M::VerProofIndividual)) }
                        li { (c.t(M::VerProofOrganisation)) }
                        li { (c.t(M::VerProofForeign)) }
                    }
                    button type="submit" { (c.t(M::VerApplyButton)) }
                }
            }
        },
    )
}

/// Partial: a reason field and a button posting to `action`.
fn reason_form(c: &Chrome, action: &str, button: M, class: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            (csrf_field(c.csrf))
            input type="text" name="reason" required minlength="4" maxlength="500" placeholder=(c.t(M::Reason)) aria-label=(c.t(M::Reason));
            button type="submit" class=(class) { (c.t(button)) }
        }
    }
}

/// `GET /admin/verifications`.
pub fn admin(
    c: &Chrome,
    queue: &[Queued],
    approved: &[Application],
    closed: &[Application],
    error: Option<M>,
) -> Markup {
    layout(
        c,
        c.t(M::VerificationsTitle),
        html! {
            (super::admin::admin_nav(c))
            @if let Some(m) = error { p.error role="alert" { (c.t(m)) } }
            h2 { (c.t(M::VerQueue)) " (" (queue.len()) ")" }
            @if queue.is_empty() { p.empty { (c.t(M::VerQueueEmpty)) } }
            @for q in queue {
                section.card.application id={ "application-" (q.app.id) } {
                    p {
                        a href={ "/@" (q.app.username) } { "@" (q.app.username) } " · "
                        (c.t(subject_label(&q.app.subject_type))) " · " strong { (q.app.certified_name) }
                    }
                    p.meta { (c.f(M::VerAppliedOn, &[&c.time(q.app.applied_at)])) }
                    @match q.check {
                        Ok(()) => p.notice { (c.t(M::VerNameMatches)) },
                        Err("mismatch") => p.error { (c.t(M::VerNameMismatch)) },
                        Err("kind") => p.error { (c.t(M::VerKindMismatch)) },
                        Err(_) => p.error { (c.t(M::VerApplicantNotVerified)) },
                    }
                    (proof_links(c, &q.proofs))
                    form.inline method="post" action={ "/admin/verifications/" (q.app.id) "/approve" } {
                        (csrf_field(c.csrf))
                        button type="submit" disabled[q.check.is_err()] { (c.t(M::VerApprove)) }
                    }
                    (reason_form(c, &format!("/admin/verifications/{}/reject", q.app.id), M::VerReject, "danger"))
                }
            }
            h2 { (c.t(M::VerBadges)) }
            @if approved.is_empty() { p.empty { (c.t(M::NobodyYet)) } }
            @for a in approved {
                p.application {
                    a href={ "/@" (a.username) } { "@" (a.username) } (badge(c, Some(&a.subject_type))) " "
                    (a.certified_name) " · " (c.time(a.decided_at.unwrap_or(a.applied_at)))
                    @if let Some(by) = &a.decided_by { " · @" (by) }
                    " " (reason_form(c, &format!("/admin/verifications/{}/revoke", a.id), M::VerRevoke, "danger"))
                }
            }
            h2 { (c.t(M::VerClosed)) }
            @for a in closed {
                p.application {
                    a href={ "/@" (a.username) } { "@" (a.username) } " " (a.certified_name) " · "
                    (c.t(status_label(&a.status))) "：" (a.reason)
                }
            }
        },
    )
}
