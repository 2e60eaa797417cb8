//! Profiles, follower lists and the profile settings page (R2.1, R2.3).

use super::components::{avatar, button_form, csrf_field, name_of, post_list, user_link, Pager, PostItem};
use super::{layout, Chrome};
use crate::db::users::{Counts, User};
use crate::i18n::M;
use maud::{html, Markup};

/// How the viewer relates to a profile.
#[derive(Debug, Clone, Copy, Default)]
pub struct Relation {
    /// The viewer follows this account.
    pub following: bool,
    /// This account follows the viewer.
    pub follows_you: bool,
    /// The viewer blocks this account (issue 18).
    pub blocked: bool,
    /// This account blocks the viewer: its posts are not shown.
    pub blocked_by: bool,
    /// The viewer mutes this account.
    pub muted: bool,
    /// Staff suspended this account (封禁): its posts are hidden meanwhile.
    pub suspended: bool,
}

/// `GET /@{username}`: `pinned` heads the first page (issue 18).
#[allow(clippy::too_many_arguments)]
pub fn profile(
    c: &Chrome,
    u: &User,
    certified: Option<&str>,
    counts: Counts,
    rel: Relation,
    pinned: Option<&PostItem>,
    items: &[PostItem],
    pager: Pager,
) -> Markup {
    let base = format!("/@{}", u.username);
    layout(
        c,
        name_of(u),
        html! {
            section.profile {
                (avatar(u, "large"))
                p.handle { "@" (u.username) (super::verification::badge(c, u.badge.as_deref()))
                    @if rel.follows_you { " " span.tag-note { (c.t(M::FollowsYou)) } }
                }
                @if let (Some(t), Some(name)) = (u.badge.as_deref(), certified) {
                    p.certified { (c.f(M::BadgeCertified, &[&c.t(super::identity::subject_label(t)), &name])) }
                }
                @if !u.bio.is_empty() { p.bio { (u.bio) } }
                p.counts {
                    span { (c.t(M::Posts)) " " strong { (counts.posts) } } " · "
                    a href={ (base) "/followers" } { (c.t(M::Followers)) " " strong { (counts.followers) } } " · "
                    a href={ (base) "/following" } { (c.t(M::Following)) " " strong { (counts.following) } }
                }
                p.meta { (c.f(M::JoinedOn, &[&c.time(u.created_at)]))
                    " · " a.complain href={ "/complaints/new?target=user:" (u.username) } { (c.t(M::Complain)) }
                    @if c.user.is_some_and(|v| v.has(crate::domain::account::Role::Reviewer) || v.has(crate::domain::account::Role::ChiefEditor)) {
                        " · " a.staff href={ "/admin/credit/" (u.username) } { (c.t(M::CreditTitle)) }
                    }
                }
                @if rel.suspended { p.notice role="status" { (c.t(M::ProfileSuspended)) } }
                @if rel.blocked { p.notice role="status" { (c.t(M::YouBlocked)) } }
                @else if rel.blocked_by { p.notice role="status" { (c.t(M::BlockedYou)) } }
                @if rel.muted { p.notice role="status" { (c.t(M::YouMuted)) } }
                @if c.user.is_some() && !c.is_me(u.id) {
                    p.actions {
                        @if rel.following {
                            (button_form(c, &format!("{base}/unfollow"), c.t(M::Unfollow), "secondary"))
                        } @else if !rel.blocked && !rel.blocked_by {
                            (button_form(c, &format!("{base}/follow"), c.t(M::Follow), ""))
                        }
                        " "
                        @if rel.muted {
                            (button_form(c, &format!("{base}/unmute"), c.t(M::Unmute), "secondary"))
                        } @else {
                            (button_form(c, &format!("{base}/mute"), c.t(M::Mute), "secondary"))
                        }
                        " "
                        @if rel.blocked {
                            (button_form(c, &format!("{base}/unblock"), c.t(M::Unblock), "secondary"))
                        } @else {
                            (button_form(c, &format!("{base}/block"), c.t(M::Block), "secondary"))
                        }
                    }
                }
            }
            @if let Some(item) = pinned {
                section.pinned aria-label=(c.t(M::Pinned)) {
                    p.tag-note { (c.t(M::Pinned)) }
                    (super::components::post_card(c, item))
                }
            }
            (post_list(c, items, pager, M::EmptyTimeline))
        },
    )
}

/// `GET /@{username}/followers` and `/following`.
pub fn follow_list(c: &Chrome, title: &str, users: &[User], next: Option<String>) -> Markup {
    layout(
        c,
        title,
        html! {
            @if users.is_empty() { p.empty { (c.t(M::NobodyYet)) } }
            ul.users {
                @for u in users {
                    li { (user_link(u)) @if !u.bio.is_empty() { p.bio { (u.bio) } } }
                }
            }
            @if let Some(href) = next { nav.pager { a rel="next" href=(href) { (c.t(M::Older)) } } }
        },
    )
}

/// What the profile settings form holds.
#[derive(Debug, Clone, Default)]
pub struct ProfileForm {
    pub display_name: String,
    pub bio: String,
    /// The current avatar's file name, if any.
    pub avatar: Option<String>,
    pub error: Option<String>,
    pub saved: bool,
    /// The change waits for a reviewer (R6.2).
    pub held: bool,
}

/// Partial: the settings pages' navigation, `current` marked.
pub fn settings_nav(c: &Chrome, current: &str) -> Markup {
    let links = [
        ("/settings", M::SettingsTitle),
        ("/settings/profile", M::ProfileSettings),
        ("/settings/password", M::PasswordTitle),
        ("/settings/sessions", M::SessionsTitle),
        ("/settings/apps", M::AppsTitle),
        ("/settings/two-factor", M::SecondFactorTitle),
        ("/settings/identity", M::IdentityTitle),
        ("/settings/verification", M::VerificationTitle),
        ("/settings/credit", M::CreditTitle),
        ("/settings/blocks", M::BlocksTitle),
        ("/settings/export", M::ExportTitle),
        ("/settings/close", M::CloseTitle),
    ];
    html! {
        nav.settings {
            @for (href, m) in links {
                @if href == current { strong aria-current="page" { (c.t(m)) } } @else { a href=(href) { (c.t(m)) } }
            }
        }
    }
}

/// `GET /settings`: every settings page (sessions and two-step
/// verification included, R6.5) with what it is for, the
/// identity's status, the language, and the complaints the member filed
/// (issue 13).
pub fn settings_index(c: &Chrome, identity: crate::domain::identity::Status) -> Markup {
    let pages = [
        ("/settings/profile", M::ProfileSettings, M::SettingsProfileText),
        ("/settings/password", M::PasswordTitle, M::SettingsPasswordText),
        ("/settings/sessions", M::SessionsTitle, M::SettingsSessionsText),
        ("/settings/two-factor", M::SecondFactorTitle, M::SettingsTwoFactorText),
        ("/settings/identity", M::IdentityTitle, M::SettingsIdentityText),
        ("/settings/verification", M::VerificationTitle, M::SettingsVerificationText),
        ("/settings/credit", M::CreditTitle, M::SettingsCreditText),
        ("/complaints", M::MyComplaintsTitle, M::SettingsComplaintsText),
        ("/settings/blocks", M::BlocksTitle, M::SettingsBlocksText),
        ("/bookmarks", M::BookmarksTitle, M::BookmarksHint),
        ("/settings/export", M::ExportTitle, M::SettingsExportText),
        ("/settings/close", M::CloseTitle, M::SettingsCloseText),
    ];
    let base = c.url.split('?').next().unwrap_or("/settings");
    layout(
        c,
        c.t(M::SettingsTitle),
        html! {
            ul.settings-index {
                @for (href, title, text) in pages {
                    li.card {
                        a href=(href) { strong { (c.t(title)) } }
                        @if href == "/settings/identity" {
                            " " span class={ "id-status " (identity.as_str()) } { (c.t(super::identity::status_label(identity))) }
                        }
                        p.meta { (c.t(text)) }
                    }
                }
                li.card #language {
                    strong { (c.t(M::SettingsLanguage)) }
                    p.meta { (c.t(M::SettingsLanguageText)) }
                    p.langs {
                        @for (code, name) in [("zh", "简体中文"), ("en", "English")] {
                            @if c.lang.code().starts_with(code) { strong aria-current="true" { (name) } }
                            @else { a href={ (base) "?lang=" (code) } lang=(code) { (name) } }
                            " "
                        }
                    }
                }
            }
        },
    )
}

/// `GET /settings/profile`.
pub fn settings(c: &Chrome, f: &ProfileForm) -> Markup {
    layout(
        c,
        c.t(M::ProfileSettings),
        html! {
            (settings_nav(c, "/settings/profile"))
            form.card method="post" action="/settings/profile" {
                (csrf_field(c.csrf))
                @if let Some(e) = &f.error { p.error role="alert" { (e) } }
                @if f.saved { p.notice role="status" { (c.t(M::Saved)) } }
                @if f.held { p.under-review role="status" { (c.t(M::ProfileUnderReview)) } }
                label { (c.t(M::DisplayName)) input type="text" name="display_name" value=(f.display_name) maxlength="30"; }
                label { (c.t(M::Bio)) textarea name="bio" rows="3" maxlength="160" { (f.bio) } }
                button type="submit" { (c.t(M::Save)) }
            }
            form.card.avatar-form method="post" action="/settings/avatar" enctype="multipart/form-data" {
                (csrf_field(c.csrf))
                h2 { (c.t(M::Avatar)) }
                @if let Some(h) = &f.avatar { img.avatar.large src={ "/media/" (h) "/thumb" } alt=(c.t(M::Avatar)); }
                label { (c.t(M::AvatarHint))
                    input type="file" name="avatar" required accept="image/jpeg,image/png,image/gif,image/webp";
                }
                button type="submit" { (c.t(M::AvatarUpload)) }
            }
            h2 { (c.t(M::YourData)) }
            p {
                a href="/settings/export" { (c.t(M::ExportTitle)) } " · "
                a href="/settings/close" { (c.t(M::CloseTitle)) }
            }
        },
    )
}
