//! The second factor's pages (issue 15): the code after the password, and
//! `/settings/two-factor` (set up with an authenticator app, recovery
//! codes shown once, switch off).

use super::components::csrf_field;
use super::{layout, Chrome};
use crate::i18n::M;
use maud::{html, Markup};

/// What `/settings/two-factor` shows.
#[derive(Debug, Clone, Default)]
pub struct SettingsPage {
    /// A second factor is on.
    pub on: bool,
    /// The account must have one (admin, chief editor).
    pub required: bool,
    /// Sent here right after login because it must.
    pub asked: bool,
    /// The secret being set up, base32, for typing into an app.
    pub base32: Option<String>,
    /// The same as an `otpauth://` link.
    pub uri: Option<String>,
    /// Recovery codes just made: shown this once.
    pub codes: Option<Vec<String>>,
    /// Unused recovery codes left.
    pub recovery_left: i64,
    pub error: Option<String>,
}

/// `GET /login/second-factor`: the code from the app or a recovery code.
pub fn login(c: &Chrome, next: &str, error: Option<&str>) -> Markup {
    layout(
        c,
        c.t(M::SecondFactorTitle),
        html! {
            form.card method="post" action="/login/second-factor" {
                (csrf_field(c.csrf))
                input type="hidden" name="next" value=(next);
                @if let Some(e) = error { p.error role="alert" { (e) } }
                p { (c.t(M::SecondFactorLoginIntro)) }
                label { (c.t(M::SecondFactorCode))
                    input type="text" name="code" required maxlength="20" autocomplete="one-time-code" autofocus;
                }
                button type="submit" { (c.t(M::SecondFactorVerify)) }
            }
            form.inline method="post" action="/logout" {
                (csrf_field(c.csrf))
                button.link type="submit" { (c.t(M::NavLogout)) }
            }
        },
    )
}

/// `GET /settings/two-factor`.
pub fn settings(c: &Chrome, p: &SettingsPage) -> Markup {
    layout(
        c,
        c.t(M::SecondFactorTitle),
        html! {
            (super::users::settings_nav(c, "/settings/two-factor"))
            @if let Some(e) = &p.error { p.error role="alert" { (e) } }
            @if p.asked || (p.required && !p.on) { p.error { (c.t(M::SecondFactorRequiredText)) } }
            @if let Some(codes) = &p.codes {
                section.card {
                    p.notice role="status" { (c.t(M::SecondFactorOn)) }
                    p { (c.t(M::RecoveryCodesIntro)) }
                    ul.recovery-codes { @for code in codes { li { code { (code) } } } }
                    // The setup admin came here first (R6.5): the way on to the dashboard.
                    @if p.required { p { a.button href="/admin" { (c.t(M::SecondFactorOnToAdmin)) } } }
                }
            } @else if p.on {
                p.notice { (c.t(M::SecondFactorOn)) " " (c.f(M::RecoveryCodesLeft, &[&p.recovery_left])) }
                @if !p.required {
                    form.card method="post" action="/settings/two-factor/disable" {
                        (csrf_field(c.csrf))
                        label { (c.t(M::CurrentPassword))
                            input type="password" name="password" required autocomplete="current-password";
                        }
                        button.secondary type="submit" { (c.t(M::SecondFactorDisable)) }
                    }
                }
            } @else if let (Some(b32), Some(uri)) = (&p.base32, &p.uri) {
                section.card {
                    p { (c.t(M::SecondFactorSetupIntro)) }
                    p { (c.t(M::SecondFactorKey)) " " code.secret { (b32) } }
                    p.meta { a href=(uri) { (c.t(M::SecondFactorAppLink)) } }
                    form method="post" action="/settings/two-factor/enable" {
                        (csrf_field(c.csrf))
                        label { (c.t(M::SecondFactorCode))
                            input type="text" name="code" inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength="7"
                                autocomplete="one-time-code" required;
                        }
                        button type="submit" { (c.t(M::SecondFactorEnable)) }
                    }
                }
            } @else {
                p { (c.t(M::SecondFactorIntro)) }
                form method="post" action="/settings/two-factor/start" {
                    (csrf_field(c.csrf))
                    button type="submit" { (c.t(M::SecondFactorStart)) }
                }
            }
        },
    )
}
