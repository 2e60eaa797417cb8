//! Sign-up, login, first-admin setup and agreement pages (R6.1).

use super::components::csrf_field;
use super::{layout, Chrome};
use crate::db::settings::Agreement;
use crate::i18n::M;
use maud::{html, Markup};

/// What the sign-up or login form showed when it was refused.
#[derive(Debug, Clone, Default)]
pub struct AccountForm {
    pub username: String,
    pub accepted: bool,
    pub error: Option<String>,
    /// Where to go after logging in.
    pub next: String,
}

/// `GET /signup`.
pub fn signup(c: &Chrome, f: &AccountForm) -> Markup {
    layout(
        c,
        c.t(M::SignupTitle),
        html! {
            form.card method="post" action="/signup" {
                (csrf_field(c.csrf))
                @if let Some(e) = &f.error { p.error role="alert" { (e) } }
                (credential_fields(c, &f.username, "new-password"))
                label.check {
                    input type="checkbox" name="accept_terms" value="1" required checked[f.accepted];
                    " " (c.t(M::AcceptTerms)) " ("
                    a href="/terms" target="_blank" { (c.t(M::AgreementTitle)) } ", "
                    a href="/rules" target="_blank" { (c.t(M::RulesTitle)) } ")"
                }
                button type="submit" { (c.t(M::SignupButton)) }
                p { (c.t(M::HaveAccount)) " " a href="/login" { (c.t(M::NavLogin)) } }
            }
        },
    )
}

fn credential_fields(c: &Chrome, username: &str, autocomplete: &str) -> Markup {
    html! {
        label { (c.t(M::Username))
            input type="text" name="username" value=(username) required autocomplete="username"
                minlength="3" maxlength="30" pattern="[A-Za-z0-9_]{3,30}" title=(c.t(M::UsernameHint));
        }
        label { (c.t(M::Password))
            input type="password" name="password" required autocomplete=(autocomplete) minlength="8"
                title=(c.t(M::PasswordHint));
        }
    }
}

/// `GET /login`.
pub fn login(c: &Chrome, f: &AccountForm) -> Markup {
    layout(
        c,
        c.t(M::LoginTitle),
        html! {
            form.card method="post" action="/login" {
                (csrf_field(c.csrf))
                input type="hidden" name="next" value=(f.next);
                @if let Some(e) = &f.error { p.error role="alert" { (e) } }
                (credential_fields(c, &f.username, "current-password"))
                button type="submit" { (c.t(M::LoginButton)) }
                p { (c.t(M::NoAccount)) " " a href="/signup" { (c.t(M::NavSignup)) } }
            }
        },
    )
}

/// What a suspended account's login page offers (issue 18): the credit
/// event its suspension made, and the appeal's status once one is filed.
#[derive(Debug, Clone)]
pub struct SuspensionAppeal {
    /// The credit event the appeal is against.
    pub event: i64,
    /// `open`, `upheld` or `rejected` once filed.
    pub status: Option<String>,
}

/// `POST /login` refused for a suspended (封禁) account: the refusal and,
/// below the login form, the appeal form (password again, a text) or the
/// appeal's status once filed.
pub fn login_suspended(c: &Chrome, f: &AccountForm, appeal: Option<&SuspensionAppeal>) -> Markup {
    layout(
        c,
        c.t(M::LoginTitle),
        html! {
            @if let Some(e) = &f.error { p.error role="alert" { (e) } }
            @match appeal.map(|a| a.status.as_deref()) {
                Some(Some(status)) => {
                    p.notice role="status" { (c.t(M::AppealTitle)) "：" (c.t(super::credit::appeal_status(status))) }
                }
                Some(None) => {
                    form.card #suspension-appeal method="post" action="/login/appeal" {
                        (csrf_field(c.csrf))
                        h2 { (c.t(M::SuspensionAppealTitle)) }
                        p.hint { (c.t(M::SuspensionAppealHint)) }
                        (credential_fields(c, &f.username, "current-password"))
                        label { (c.t(M::AppealTitle)) textarea name="body" required maxlength="500" {} }
                        button type="submit" { (c.t(M::SuspensionAppealButton)) }
                    }
                }
                None => {}
            }
        },
    )
}

/// `GET /setup?token=`: create the first admin.
pub fn setup(c: &Chrome, token: &str, f: &AccountForm) -> Markup {
    layout(
        c,
        c.t(M::SetupTitle),
        html! {
            p { (c.t(M::SetupIntro)) }
            p.hint.setup-roles { (c.t(M::SetupRoles)) }
            form.card method="post" action="/setup" {
                (csrf_field(c.csrf))
                input type="hidden" name="token" value=(token);
                @if let Some(e) = &f.error { p.error role="alert" { (e) } }
                (credential_fields(c, &f.username, "new-password"))
                label.check {
                    input type="checkbox" name="accept_terms" value="1" required checked[f.accepted];
                    " " (c.t(M::AcceptTerms))
                }
                button type="submit" { (c.t(M::SetupButton)) }
            }
        },
    )
}

/// `GET /terms` and `/rules`: the current text and its version.
pub fn agreement(c: &Chrome, a: &Agreement, rules: bool) -> Markup {
    let (title, text) = if rules { (M::RulesTitle, &a.rules_text) } else { (M::AgreementTitle, &a.agreement_text) };
    layout(
        c,
        c.t(title),
        html! {
            p.meta { (c.f(M::AgreementVersion, &[&a.version, &c.time(a.published_at)])) }
            div.legal { (text) }
        },
    )
}

/// `GET /terms/accept`: a new version must be accepted before going on (R6.1).
pub fn accept(c: &Chrome, a: &Agreement, next: &str) -> Markup {
    layout(
        c,
        c.t(M::TermsUpdatedTitle),
        html! {
            p { (c.f(M::TermsUpdatedIntro, &[&a.version])) }
            h2 { (c.t(M::AgreementTitle)) }
            div.legal { (a.agreement_text) }
            h2 { (c.t(M::RulesTitle)) }
            div.legal { (a.rules_text) }
            form method="post" action="/terms/accept" {
                (csrf_field(c.csrf))
                input type="hidden" name="version" value=(a.version);
                input type="hidden" name="next" value=(next);
                button type="submit" { (c.t(M::TermsAcceptButton)) }
            }
        },
    )
}

/// `GET /password/set?token=`: the one-time page that sets the password of
/// an account an organisation made.
pub fn password_set(c: &Chrome, token: &str, username: &str, error: Option<&str>) -> Markup {
    layout(
        c,
        c.t(M::PasswordSetTitle),
        html! {
            form.card method="post" action="/password/set" {
                (csrf_field(c.csrf))
                input type="hidden" name="token" value=(token);
                @if let Some(e) = error { p.error role="alert" { (e) } }
                p { (c.f(M::PasswordSetIntro, &[&format!("@{username}")])) }
                label { (c.t(M::Password))
                    input type="password" name="password" required autocomplete="new-password" minlength="8"
                        title=(c.t(M::PasswordHint));
                }
                button type="submit" { (c.t(M::PasswordSetButton)) }
            }
        },
    )
}

/// `GET /settings/password`: change the password.
pub fn change_password(c: &Chrome, error: Option<&str>, saved: bool) -> Markup {
    layout(
        c,
        c.t(M::PasswordTitle),
        html! {
            (super::users::settings_nav(c, "/settings/password"))
            form.card method="post" action="/settings/password" {
                (csrf_field(c.csrf))
                @if let Some(e) = error { p.error role="alert" { (e) } }
                @if saved { p.notice role="status" { (c.t(M::PasswordChanged)) } }
                label { (c.t(M::CurrentPassword))
                    input type="password" name="current" required autocomplete="current-password";
                }
                label { (c.t(M::NewPassword))
                    input type="password" name="password" required autocomplete="new-password" minlength="8"
                        title=(c.t(M::PasswordHint));
                }
                button type="submit" { (c.t(M::Save)) }
            }
        },
    )
}
