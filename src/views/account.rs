//! A member's own data (R7.6): the download page and the page that closes
//! the account, saying exactly what is kept and for how long.

use super::components::csrf_field;
use super::{layout, Chrome};
use crate::db::account_data::Export;
use crate::i18n::M;
use maud::{html, Markup};

/// `GET /settings/export`: the newest download job, and a button for a new one.
pub fn export(c: &Chrome, latest: Option<&Export>, keep_days: i64) -> Markup {
    layout(
        c,
        c.t(M::ExportTitle),
        html! {
            p { (c.f(M::ExportIntro, &[&keep_days])) }
            @match latest.map(|e| (e, e.status.as_str())) {
                Some((_, "pending")) => p.notice role="status" { (c.t(M::ExportPending)) },
                Some((e, "ready")) => p.notice {
                    (c.f(M::ExportReady, &[&c.time(e.finished_at.unwrap_or(e.created_at)), &e.bytes.unwrap_or(0)]))
                    " " a.download href={ "/settings/export/" (e.id) } { (c.t(M::ExportDownload)) }
                },
                Some((_, _)) => p.error { (c.t(M::ExportFailed)) },
                None => {},
            }
            @if latest.is_none_or(|e| e.status != "pending") {
                form method="post" action="/settings/export" {
                    (csrf_field(c.csrf))
                    button type="submit" { (c.t(M::ExportStart)) }
                }
            }
        },
    )
}

/// `GET /settings/close`: what goes, what is kept and for how long, and
/// the password form.
pub fn close(c: &Chrome, retention_days: u32, error: Option<&str>) -> Markup {
    layout(
        c,
        c.t(M::CloseTitle),
        html! {
            p.gone { (c.t(M::CloseGone)) }
            h2 { (c.t(M::CloseKeptTitle)) }
            ul.kept {
                li { (c.t(M::CloseKeptUsername)) }
                li { (c.f(M::CloseKeptLog, &[&retention_days])) }
                li { (c.t(M::CloseKeptEvidence)) }
            }
            p { (c.t(M::CloseDownloadFirst)) " " a href="/settings/export" { (c.t(M::ExportTitle)) } }
            form.card method="post" action="/settings/close" {
                (csrf_field(c.csrf))
                @if let Some(e) = error { p.error role="alert" { (e) } }
                label { (c.t(M::ClosePassword)) input type="password" name="password" required autocomplete="current-password"; }
                button.danger type="submit" { (c.t(M::CloseButton)) }
            }
        },
    )
}

/// The answer to a successful `POST /settings/close`.
pub fn closed(c: &Chrome, retention_days: u32) -> Markup {
    layout(
        c,
        c.t(M::ClosedTitle),
        html! {
            p { (c.t(M::ClosedText)) }
            ul.kept {
                li { (c.t(M::CloseKeptUsername)) }
                li { (c.f(M::CloseKeptLog, &[&retention_days])) }
                li { (c.t(M::CloseKeptEvidence)) }
            }
        },
    )
}
