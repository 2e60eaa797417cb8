//! The page frame every page shares: header with navigation, footer with the
//! agreement links and licence numbers (R4.1), and the error page.

use crate::app::SiteState;
use crate::db::sessions::SessionUser;
use crate::error::Error;
use crate::i18n::{Lang, M};
use maud::{html, Markup, DOCTYPE};

/// A message about the form just sent (issue 13, post/redirect/get): a
/// refusal shown on the page the form came from, next to that form, or a
/// success shown once on the page a form redirected to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    /// A refusal (shown as an alert) rather than a success.
    pub error: bool,
    pub text: String,
    /// The `action` of the refused form: a page that holds that form shows
    /// the message next to it ([`super::components::flash_for`]); otherwise
    /// the frame shows it under the title.
    pub form: Option<String>,
}

/// What the frame needs to know about the request.
pub struct Chrome<'a> {
    pub lang: Lang,
    pub site: &'a SiteState,
    pub user: Option<&'a SessionUser>,
    /// Unread notifications, shown in the header.
    pub unread: i64,
    /// The CSRF token for the logout form.
    pub csrf: &'a str,
    /// The current path with query, for the language switch.
    pub url: &'a str,
    /// The site's time zone (its name is shown in the footer).
    pub zone: &'a crate::domain::dates::Zone,
    /// The emergency banner (R6.4), shown on every page when not empty.
    pub banner: &'a str,
    /// Reposting is switched on (R13.1): otherwise no repost links.
    pub reposts_on: bool,
    /// Trending topics are switched on (R13.1, issue 17): a header link.
    pub trending_on: bool,
    /// The staff pages (parameterless `GET /admin...` paths) the viewer's
    /// roles open, read from the routing table's access column (R6.5).
    pub staff_pages: Vec<&'static str>,
    /// Waiting staff work for the admin navigation's counts (admin pages only).
    pub inbox: Option<crate::db::dashboard::Inbox>,
    /// The message about the form just sent, if any.
    pub flash: Option<&'a Flash>,
    /// Set once a form on the page has shown the flash next to itself.
    pub flash_shown: std::cell::Cell<bool>,
    /// Operational alerts shown to admins on every page (storage full,
    /// replication lagging), already in the page language.
    pub admin_alerts: Vec<String>,
    /// UTC unix seconds at the start of the request: relative times
    /// ("3 分钟前", issue 18) count from here.
    pub now: i64,
}

impl Chrome<'_> {
    /// Whether the viewer may open the staff page at `href` (its query
    /// ignored): a staff link is shown exactly when this holds.
    pub fn opens(&self, href: &str) -> bool {
        let path = href.split('?').next().unwrap_or("");
        self.staff_pages.contains(&path)
    }

    /// A message in the page language.
    pub fn t(&self, m: M) -> &'static str {
        self.lang.t(m)
    }

    /// The colon after a label: the full-width "：" on a Chinese page,
    /// ": " on an English one.
    pub fn colon(&self) -> &'static str {
        match self.lang {
            crate::i18n::Lang::Zh => "：",
            crate::i18n::Lang::En => ": ",
        }
    }

    /// A message with arguments.
    pub fn f(&self, m: M, args: &[&dyn std::fmt::Display]) -> String {
        self.lang.f(m, args)
    }

    /// A UTC unix time in the site's time zone, `2026-11-30 16:05`.
    pub fn time(&self, unix: i64) -> String {
        super::components::format_time(unix, self.zone)
    }

    /// Is the viewer the account with this id?
    pub fn is_me(&self, id: i64) -> bool {
        self.user.is_some_and(|u| u.id == id)
    }

    /// The same page in the other language: always a path on this site.
    fn lang_switch_url(&self) -> String {
        let other = if self.lang == Lang::Zh { "en" } else { "zh" };
        let (path, query) = self.url.split_once('?').unwrap_or((self.url, ""));
        // A request target of `//evil.example/` must not become a
        // protocol-relative link off the site (issue 15): one leading `/`.
        let path = format!("/{}", path.trim_start_matches(['/', '\\']));
        let kept: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
        if kept.is_empty() {
            format!("{path}?lang={other}")
        } else {
            format!("{path}?{}&lang={other}", kept.join("&"))
        }
    }
}

/// A whole page: `title` goes into `<title>` and `<h1>`.
pub fn layout(c: &Chrome, title: &str, body: Markup) -> Markup {
    let s = &c.site.settings;
    html! {
        (DOCTYPE)
        html lang=(c.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - " (s.site_name) }
                link rel="icon" type="image/svg+xml" href=(super::assets::asset_url("favicon.svg"));
                // Issue 18: "add to home screen" (the manifest names the icons).
                link rel="manifest" href="/manifest.webmanifest";
                link rel="apple-touch-icon" href=(super::assets::asset_url("icon-192.png"));
                meta name="theme-color" content=(THEME_COLOUR);
                link rel="stylesheet" href=(super::assets::asset_url("style.css"));
                script src=(super::assets::asset_url("app.js")) defer {}
            }
            body {
                a.skip href="#main" { (c.t(M::SkipToContent)) }
                header.site {
                    nav {
                        a.brand href="/" { (s.site_name) }
                        @if let Some(u) = c.user {
                            // `in-tabbar`: the phone's tab bar has these four, so
                            // at phone width the header leaves them out.
                            a.in-tabbar href="/" { (c.t(M::NavHome)) }
                            a.in-tabbar href="/public" { (c.t(M::NavPublic)) }
                            a href="/people" { (c.t(M::NavPeople)) }
                            @if c.trending_on { a href="/trending" { (c.t(M::NavTrending)) } }
                            a.in-tabbar href="/notifications" {
                                (c.t(M::NavNotifications))
                                @if c.unread > 0 { " " span.badge title=(c.t(M::Unread)) { (c.unread) } }
                            }
                            a.in-tabbar href={ "/@" (u.username) } { (c.t(M::NavProfile)) }
                            a href="/settings" { (c.t(M::NavSettings)) }
                            @if c.opens("/admin") { a href="/admin" { (c.t(M::NavAdmin)) } }
                            form.inline method="post" action="/logout" {
                                (super::components::csrf_field(c.csrf))
                                button.link type="submit" { (c.t(M::NavLogout)) }
                            }
                        } @else {
                            a href="/public" { (c.t(M::NavPublic)) }
                            a href="/people" { (c.t(M::NavPeople)) }
                            @if c.trending_on { a href="/trending" { (c.t(M::NavTrending)) } }
                            a href="/login" { (c.t(M::NavLogin)) }
                            a href="/signup" { (c.t(M::NavSignup)) }
                        }
                        a.lang href=(c.lang_switch_url()) { (c.t(M::LangSwitch)) }
                        (super::search::header_box(c))
                    }
                }
                @if !c.banner.is_empty() { div.emergency-banner role="alert" { (c.banner) } }
                @for a in &c.admin_alerts { div.emergency-banner.admin-alert role="alert" { (a) } }
                main #main {
                    h1 { (title) }
                    @if let Some(f) = c.flash.filter(|_| !c.flash_shown.get()) {
                        @if f.error { p.error.flash role="alert" { (f.text) } } @else { p.notice.flash role="status" { (f.text) } }
                    }
                    (body)
                }
                footer.site {
                    p {
                        a href="/terms" { (c.t(M::FooterAgreement)) } " · "
                        a href="/rules" { (c.t(M::FooterRules)) }
                    }
                    p.licences {
                        @if !s.icp_filing.is_empty() { span { (c.t(M::FooterIcp)) "：" (s.icp_filing) } " " }
                        @if !s.psb_filing.is_empty() { span { (c.t(M::FooterPsb)) "：" (s.psb_filing) } " " }
                        @if !s.news_licence.is_empty() { span { (c.t(M::FooterNews)) "：" (s.news_licence) } }
                    }
                    @if !s.footer_note.is_empty() { p { (s.footer_note) } }
                    p.tz { (c.f(M::FooterTimes, &[&c.zone.name()])) }
                }
                @if let Some(u) = c.user { (tab_bar(c, &u.username)) }
                (lightbox_template(c))
            }
        }
    }
}

/// The site's colour: the browser's bar and the installed app's splash
/// (the manifest, `theme-color`), the same orange as the stylesheet's accent.
pub const THEME_COLOUR: &str = "#d9480f";

/// Partial: the bottom tab bar a signed-in member sees at phone width
/// (issue 18; hidden by the stylesheet at desktop width): home, public,
/// notifications with the unread count, and their own profile. The
/// current page's tab says so (`aria-current`).
fn tab_bar(c: &Chrome, username: &str) -> Markup {
    let path = c.url.split('?').next().unwrap_or("/");
    let me = format!("/@{username}");
    let tabs = [
        ("/", M::NavHome),
        ("/public", M::NavPublic),
        ("/notifications", M::NavNotifications),
        (me.as_str(), M::TabMe),
    ];
    html! {
        // The icons are the stylesheet's (`::before`), so a tab reads as its word.
        nav.tabbar aria-label=(c.t(M::TabBar)) {
            @for (href, m) in tabs {
                @let current = path == href || (href != "/" && path.starts_with(&format!("{href}/")));
                a href=(href) aria-current=[current.then_some("page")] {
                    (c.t(m))
                    @if m == M::NavNotifications && c.unread > 0 { " " span.badge title=(c.t(M::Unread)) { (c.unread) } }
                }
            }
        }
    }
}

/// Partial: the image viewer that `app.js` opens over a post's images
/// (issue 18), as an inert `<template>` holding its labelled buttons;
/// without script, an image link opens the image itself.
fn lightbox_template(c: &Chrome) -> Markup {
    html! {
        template #lightbox {
            dialog.lightbox aria-label=(c.t(M::LightboxTitle)) {
                figure {
                    img alt="";
                    figcaption {}
                }
                button.lb-prev type="button" aria-label=(c.t(M::LightboxPrev)) { "‹" }
                button.lb-next type="button" aria-label=(c.t(M::LightboxNext)) { "›" }
                button.lb-close type="button" aria-label=(c.t(M::LightboxClose)) { "×" }
            }
        }
    }
}

/// The error page, in the same frame as every page.
pub fn error_page(c: &Chrome, e: &Error) -> Markup {
    error_page_keeping(c, e, None)
}

/// The error page, with the text a refused form carried (`kept`) shown
/// to copy, so a member refused for want of an identity (R7.1) never loses
/// what they wrote (issue 13).
pub fn error_page_keeping(c: &Chrome, e: &Error, kept: Option<&str>) -> Markup {
    layout(
        c,
        c.t(e.title()),
        html! {
            @if let Some(d) = e.public_detail() { p.error { (d) } }
            @if let Some(m) = e.explanation() { p.error role="alert" { (c.t(m)) } }
            @if let Error::Outranked(role) = e {
                p.error { (c.lang.f(M::ErrOutranked, &[&c.t(super::staff::role_label(*role))])) }
            }
            @if matches!(e, Error::ForbiddenBecause(m) if m == c.t(M::ErrNeedsSecondFactor)) {
                p { a.button href="/settings/two-factor" { (c.t(M::TwoFactorSetUpLink)) } }
            }
            @if matches!(e, Error::IdentityRequired) {
                p.error { (c.t(M::IdentityRequiredText)) }
                p { a.button href="/settings/identity" { (c.t(M::IdentityBindLink)) } }
            }
            @if let Some(text) = kept {
                label.kept { (c.t(M::KeptText))
                    textarea readonly rows="4" { (text) }
                }
            }
            p { a href="/" { (c.t(M::ErrBackHome)) } }
        },
    )
}
