//! `/settings/blocks`: the accounts a member blocks and mutes and their
//! muted words, each with its undo button (issue 18).

use super::components::{button_form, csrf_field, user_link};
use super::users::settings_nav;
use super::{layout, Chrome};
use crate::db::{blocks::MutedWord, users::User};
use crate::i18n::M;
use maud::{html, Markup};

/// What the page lists.
#[derive(Debug, Clone, Default)]
pub struct Blocks {
    /// Accounts the member blocks, newest first.
    pub blocked: Vec<User>,
    /// Accounts the member mutes, newest first.
    pub muted: Vec<User>,
    /// The member's muted words, oldest first.
    pub words: Vec<MutedWord>,
    /// Why the word just sent was refused.
    pub error: Option<String>,
    /// The word just sent, kept in the form after a refusal.
    pub typed: String,
}

/// Partial: a list of accounts, each with a button that takes the relation back.
fn accounts(c: &Chrome, users: &[User], undo: &str, label: M) -> Markup {
    html! {
        @if users.is_empty() { p.empty { (c.t(M::NoneYet)) } }
        ul.users {
            @for u in users {
                li { (user_link(u)) " " (button_form(c, &format!("/@{}/{undo}", u.username), c.t(label), "secondary")) }
            }
        }
    }
}

/// `GET /settings/blocks`.
pub fn settings(c: &Chrome, b: &Blocks) -> Markup {
    layout(
        c,
        c.t(M::BlocksTitle),
        html! {
            (settings_nav(c, "/settings/blocks"))
            section.card #blocked {
                h2 { (c.t(M::BlockedAccounts)) }
                p.meta { (c.t(M::BlockedAccountsHint)) }
                (accounts(c, &b.blocked, "unblock", M::Unblock))
            }
            section.card #muted {
                h2 { (c.t(M::MutedAccounts)) }
                p.meta { (c.t(M::MutedAccountsHint)) }
                (accounts(c, &b.muted, "unmute", M::Unmute))
            }
            section.card #words {
                h2 { (c.t(M::MutedWords)) }
                p.meta { (c.t(M::MutedWordsHint)) }
                @if b.words.is_empty() { p.empty { (c.t(M::NoneYet)) } }
                ul.muted-words {
                    @for w in &b.words {
                        li {
                            span.word { (w.word) } " "
                            (button_form(c, &format!("/settings/blocks/words/{}/delete", w.id), c.t(M::MutedWordRemove), "secondary"))
                        }
                    }
                }
                form method="post" action="/settings/blocks/words" {
                    (csrf_field(c.csrf))
                    @if let Some(e) = &b.error { p.error role="alert" { (e) } }
                    label { (c.t(M::MutedWordAdd))
                        input type="text" name="word" value=(b.typed) maxlength="60" required;
                    }
                    button type="submit" { (c.t(M::MutedWordAdd)) }
                }
            }
        },
    )
}
