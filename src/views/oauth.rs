//! The client API's pages for people (issue 19): the OAuth consent page,
//! the code to copy for an out-of-band app, and `/settings/apps`, the
//! apps a member authorised with a button to revoke each.

use super::components::csrf_field;
use super::{layout, Chrome};
use crate::db::oauth::Authorised;
use crate::i18n::M;
use maud::{html, Markup};

/// What the consent page shows and carries.
pub struct Consent<'a> {
    pub app_name: &'a str,
    /// The app's website as it registered it (`http(s)://`), or empty.
    pub website: &'a str,
    pub scopes: &'a [String],
    /// The checked request's fields, sent back with the decision.
    pub hidden: Vec<(&'static str, String)>,
}

/// A scope in words.
pub fn scope_words(c: &Chrome, scope: &str) -> String {
    let m = match scope.split(':').next().unwrap_or("") {
        "read" if scope == "read" => M::ScopeRead,
        "write" if scope == "write" => M::ScopeWrite,
        "follow" => M::ScopeFollow,
        "push" => M::ScopePush,
        "read" | "profile" => M::ScopeReadPart,
        _ => M::ScopeWritePart,
    };
    format!("{} ({scope})", c.t(m))
}

/// `GET /oauth/authorize`: which app asks, for what, approve or deny.
pub fn consent(c: &Chrome, p: &Consent) -> Markup {
    layout(
        c,
        c.t(M::ConsentTitle),
        html! {
            p.consent-app { (c.f(M::ConsentAsks, &[&p.app_name])) }
            @if !p.website.is_empty() { p { a href=(p.website) rel="noopener noreferrer" { (p.website) } } }
            ul.scopes { @for s in p.scopes { li { (scope_words(c, s)) } } }
            p { (c.t(M::ConsentNote)) }
            form method="post" action="/oauth/authorize" {
                (csrf_field(c.csrf))
                @for (k, v) in &p.hidden { input type="hidden" name=(k) value=(v); }
                button type="submit" name="decision" value="approve" { (c.t(M::ConsentApprove)) }
                " "
                button type="submit" name="decision" value="deny" { (c.t(M::ConsentDeny)) }
            }
        },
    )
}

/// The code an out-of-band app asks the member to paste.
pub fn show_code(c: &Chrome, app: &str, code: &str) -> Markup {
    layout(
        c,
        c.t(M::ConsentTitle),
        html! {
            p { (c.f(M::ConsentCodeFor, &[&app])) }
            p { code.oauth-code { (code) } }
        },
    )
}

/// The member said no.
pub fn denied(c: &Chrome, app: &str) -> Markup {
    layout(c, c.t(M::ConsentTitle), html! { p.notice { (c.f(M::ConsentDenied, &[&app])) } })
}

/// `GET /settings/apps`: the authorised apps, each with its scopes, when
/// it was first authorised, and a revoke button.
pub fn settings(c: &Chrome, apps: &[Authorised], revoked: bool) -> Markup {
    layout(
        c,
        c.t(M::AppsTitle),
        html! {
            (super::users::settings_nav(c, "/settings/apps"))
            p { (c.t(M::AppsIntro)) }
            @if revoked { p.notice role="status" { (c.t(M::AppsRevoked)) } }
            @if apps.is_empty() { p.empty { (c.t(M::AppsNone)) } }
            ul.apps {
                @for a in apps {
                    li.card {
                        p { strong { (a.name) } @if !a.website.is_empty() { " · " a href=(a.website) rel="noopener noreferrer" { (a.website) } } }
                        ul.scopes { @for s in &a.scopes { li { (scope_words(c, s)) } } }
                        p { (c.t(M::AppsSince)) " " (c.time(a.since)) }
                        form.inline method="post" action={ "/settings/apps/" (a.app_id) "/revoke" } {
                            (csrf_field(c.csrf))
                            button type="submit" { (c.t(M::AppsRevoke)) }
                        }
                    }
                }
            }
        },
    )
}
