//! Routing: the one table from (method, path) to handler and who may use
//! it ([`ROUTES`], [`Access`]), the per-request context, and the checks every
//! request passes (session, CSRF, agreement, access) before the handler runs.
//!
//! Handlers are `fn(&mut Ctx) -> Result<Resp>`: read the typed path
//! parameters the table matched ([`Ctx::path_id`], [`Ctx::path_text`]),
//! call the domain, read/write through `db` in one transaction, render a view.

mod account;
mod admin;
mod api;
mod auth;
mod blocks;
mod bookmarks;
mod comments;
mod complaints;
mod compose;
mod credit;
mod features;
mod identity;
mod keywords;
mod likes;
mod media;
mod moderation;
mod notifications;
mod pages;
mod password;
mod posts;
mod rumours;
mod sanctions;
mod search;
mod second_factor;
mod sessions;
mod staff;
mod tiers;
mod timeline;
mod users;
mod verification;

use crate::actions::{Actor, Env};
use crate::app::{App, Governance, SiteState};
use crate::db::{self, log::Source, sessions::SessionUser};
use crate::domain::account::Role;
use crate::error::{Error, Result};
use crate::http::{Cookie, Method, Req, Resp};
use crate::i18n::{Lang, M};
use crate::views::{self, Chrome};
use rusqlite::{Connection, Transaction};
use std::sync::Arc;

/// Cookie with the session token.
pub const SESSION_COOKIE: &str = "plaza_session";
/// A session's last use is recorded at most this often (seconds).
const SESSION_TOUCH_SECONDS: i64 = 60;
/// Cookie with the CSRF token of a signed-out visitor (double-submit).
pub const CSRF_COOKIE: &str = "plaza_csrf";
/// Cookie with the chosen language.
const LANG_COOKIE: &str = "plaza_lang";
/// Cookie saying a staff form just succeeded: the next page says so once
/// (post/redirect/get, issue 13).
const FLASH_COOKIE: &str = "plaza_flash";

/// The name a cookie goes by on this site: on an https site
/// (`public_url`), the session and CSRF cookies carry the `__Host-`
/// prefix, so browsers take them only with `Secure`, `Path=/` and no
/// `Domain`: a neighbouring subdomain or a plain-http page cannot plant or
/// overwrite them (issue 15).
pub fn cookie_name(config: &crate::config::Config, base: &'static str) -> &'static str {
    match (config.https(), base) {
        (true, SESSION_COOKIE) => "__Host-plaza_session",
        (true, CSRF_COOKIE) => "__Host-plaza_csrf",
        _ => base,
    }
}

/// Everything a handler needs for one request.
pub struct Ctx<'a> {
    pub app: &'a App,
    pub db: &'a Connection,
    pub req: Req,
    /// The signed-in account, if any.
    pub user: Option<SessionUser>,
    pub lang: Lang,
    /// The CSRF token forms on this page carry.
    pub csrf: String,
    /// UTC unix seconds at the start of the request.
    pub now: i64,
    pub site: Arc<SiteState>,
    /// Keyword matcher and emergency switches as of this request (R12.1, R6.4).
    pub gov: Arc<Governance>,
    /// Cookies to set on whatever response goes out.
    pub cookies: Vec<Cookie>,
    /// The path parameters of the matched row, typed by the table.
    pub params: Params,
    /// The message about the form just sent, shown by the page (issue 13).
    pub flash: Option<views::Flash>,
    /// The client API's bearer token behind this request (issue 19): its
    /// app, scopes and member. Set only on client API rows, where `user`
    /// is the token's member and cookies count for nothing.
    pub grant: Option<db::oauth::Grant>,
    /// Where this token request stands against the client API's rate
    /// limits (issue 19), set by `handle_api`; its `X-RateLimit-*` headers
    /// go on every answer, errors (4xx) and 429 included, as Mastodon's do.
    pub rate_limit: Option<api::limits::Standing>,
}

impl<'a> Ctx<'a> {
    /// The signed-in account.
    ///
    /// # Errors
    /// `LoginRequired` when signed out.
    pub fn user(&self) -> Result<&SessionUser> {
        self.user.as_ref().ok_or(Error::LoginRequired)
    }

    /// The signed-in account holding any of `roles` (R6.5): the check of
    /// an `Access::Staff` row.
    ///
    /// # Errors
    /// `LoginRequired` when signed out, `Forbidden` without such a role.
    fn staff_any(&self, roles: &[Role]) -> Result<&SessionUser> {
        let u = self.user()?;
        if roles.iter().any(|r| u.has(*r)) {
            Ok(u)
        } else {
            // Say which role the page needs, so staff know whom to ask.
            let names: Vec<&str> = roles
                .iter()
                .map(|r| {
                    self.t(match r {
                        Role::Reviewer => M::RoleReviewer,
                        Role::ChiefEditor => M::RoleChiefEditor,
                        Role::Admin => M::RoleAdmin,
                    })
                })
                .collect();
            Err(Error::ForbiddenBecause(self.lang.f(M::ErrNeedsRole, &[&names.join(" / ")])))
        }
    }

    /// The id parameter `name` of the matched route (`{name}` in its path).
    ///
    /// # Errors
    /// `Internal` when the row has no such parameter (a mistake in the table);
    /// `Invalid` (422, in words) when a `{name:status}` parameter holds a
    /// comment id (`c{n}`): the action is for posts only (issue 19).
    pub fn path_id(&self, name: &str) -> Result<i64> {
        self.params.ids.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).ok_or_else(|| match self.path_comment(name) {
            // A comment id on a post-only client API action (issue 19).
            Some(_) => Error::Invalid(format!("{name}: {}", self.t(M::ApiCommentNotPost))),
            None => Error::Internal(format!("route has no id parameter {name}")),
        })
    }

    /// The comment id of a `{name:status}` parameter sent as `c{n}`
    /// (issue 19: comments are statuses `c{id}` in the client API); `None`
    /// for a post id or a route without it.
    pub fn path_comment(&self, name: &str) -> Option<i64> {
        self.params.comments.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    /// The text parameter `name` of the matched route (`{name:text}` or
    /// `@{name}`, without the `@`).
    ///
    /// # Errors
    /// `Internal` when the row has no such parameter (a mistake in the table).
    pub fn path_text(&self, name: &str) -> Result<&str> {
        self.params
            .text
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| Error::Internal(format!("route has no text parameter {name}")))
    }

    /// What an action needs to act for `actor` from this request: the
    /// request's address and user agent for the log, its time.
    pub fn env(&self, actor: Actor) -> Env<'a> {
        Env { config: &self.app.config, keys: &self.app.keys, actor, source: self.source(), now: self.now }
    }

    /// [`Ctx::env`] for the signed-in member acting for themselves.
    ///
    /// # Errors
    /// `LoginRequired` when signed out.
    pub fn as_member(&self) -> Result<Env<'a>> {
        Ok(self.env(Actor::Member(self.user()?.id)))
    }

    /// [`Ctx::env`] for the signed-in account acting as staff (the routing
    /// table has checked the role).
    ///
    /// # Errors
    /// `LoginRequired` when signed out.
    pub fn as_staff(&self) -> Result<Env<'a>> {
        Ok(self.env(Actor::Staff(self.user()?.id)))
    }

    /// A message in the request's language.
    pub fn t(&self, m: M) -> &'static str {
        self.lang.t(m)
    }

    /// Who is acting and from where, for the activity log (R16.1).
    /// A client API request names its app as the client, before the user
    /// agent (issue 19).
    pub fn source(&self) -> Source {
        let user_agent = match &self.grant {
            Some(g) => {
                let ua = format!("app:{} / {}", g.app_name, self.req.user_agent);
                ua.chars().take(512).collect()
            }
            None => self.req.user_agent.clone(),
        };
        Source {
            account_id: self.user.as_ref().map(|u| u.id),
            ip: self.req.source.ip().to_string(),
            port: self.req.source.port(),
            user_agent,
        }
    }

    /// Where a session is used from, for `db::sessions` (issue 15): the
    /// address and user agent of `src`.
    pub fn origin<'s>(&self, src: &'s Source) -> db::sessions::Origin<'s> {
        db::sessions::Origin { ip: &src.ip, user_agent: &src.user_agent }
    }

    /// Run `f` in one write transaction (`App::write`: `db::write`, then
    /// the signed log head is brought up to date).
    pub fn write<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.app.write(self.db, f)
    }

    /// Publish new content: the tier gate for `kind` (R9.1, reads only)
    /// runs before the write transaction, so the write lock is held for the
    /// writes alone, then `publish` runs in it; a tier refusal writes nothing.
    ///
    /// # Errors
    /// `LoginRequired` when signed out; whatever the gate or `publish` returns.
    pub fn publish(
        &self,
        env: &crate::actions::Env,
        kind: &str,
        publish: impl FnOnce(&Transaction, crate::actions::publish::Gate) -> Result<crate::actions::publish::Outcome>,
    ) -> Result<crate::actions::publish::Outcome> {
        // Issue 18: a muted (禁言) account publishes nothing until the end.
        if let Some(s) = db::sanctions::in_force(self.db, self.user()?.id, db::sanctions::Kind::Mute, self.now)? {
            let until = crate::domain::dates::format_time(s.ends_at, &self.app.config.zone);
            return Err(Error::ForbiddenBecause(self.lang.f(M::ErrAccountMuted, &[&until, &s.reason])));
        }
        match crate::actions::publish::tier_gate(env, self.db, &self.gov, self.user()?.id, kind)? {
            Ok(gate) => self.write(|tx| publish(tx, gate)),
            Err(r) => Ok(crate::actions::publish::Outcome::Refused(r)),
        }
    }

    /// Append an activity-log entry inside `tx` for the current account,
    /// with outcome `ok` (R16.1).
    pub fn log(&self, tx: &Transaction, action: &str, target: &str) -> Result<()> {
        self.log_outcome(tx, action, target, "ok")
    }

    /// Append an activity-log entry with an outcome other than `ok`: a
    /// refusal or a short note (never a password, token or identity value).
    pub fn log_outcome(&self, tx: &Transaction, action: &str, target: &str, outcome: &str) -> Result<()> {
        db::log::append(tx, &self.app.keys.audit, &self.source(), self.now, action, target, outcome)
    }

    /// The page frame's view of this request.
    pub fn chrome(&self) -> Chrome<'_> {
        let unread = match &self.user {
            Some(u) => db::notifications::unread_count(self.db, u.id).unwrap_or(0),
            None => 0,
        };
        Chrome {
            lang: self.lang,
            site: &self.site,
            user: self.user.as_ref(),
            unread,
            csrf: &self.csrf,
            url: &self.req.raw_url,
            zone: &self.app.config.zone,
            banner: &self.gov.emergency.banner,
            reposts_on: self.user.is_some()
                && db::features::enabled(self.db, crate::domain::features::Feature::Reposts).unwrap_or(false),
            trending_on: db::features::enabled(self.db, crate::domain::features::Feature::Trending).unwrap_or(false),
            staff_pages: self.user.as_ref().map(staff_pages).unwrap_or_default(),
            // The admin navigation's counts: only on staff pages, for staff.
            inbox: (self.req.path.first().is_some_and(|p| p == "admin")
                && self.user.as_ref().is_some_and(|u| !u.roles.is_empty()))
            .then(|| db::dashboard::inbox(self.db, self.now).ok())
            .flatten(),
            flash: self.flash.as_ref(),
            flash_shown: std::cell::Cell::new(false),
            admin_alerts: self.admin_alerts(),
            now: self.now,
        }
    }

    /// What an admin must see on every page (issue 14): a full disk, a
    /// signed log head the server stopped rewriting (R16.3), and
    /// replication lagging past its threshold or not running.
    fn admin_alerts(&self) -> Vec<String> {
        if !self.user.as_ref().is_some_and(|u| u.has(crate::domain::account::Role::Admin)) {
            return Vec::new();
        }
        let mut out = Vec::new();
        if self.app.storage_full() {
            out.push(self.lang.t(M::StorageFullBanner).to_string());
        }
        if self.app.log_head.problem().is_some() {
            out.push(self.lang.t(M::LogHeadAlert).to_string());
        }
        if let Some(alert) = self.app.replication.alert(self.lang) {
            out.push(alert);
        }
        out
    }

    /// A local path to return to after a form, from its `next` field;
    /// anything that is not a plain local path gives `fallback`.
    pub fn next_or(&self, fallback: &str) -> String {
        safe_next(self.req.field("next").or(self.req.query("next")), fallback)
    }

    /// A cookie to set, under its name on this site ([`cookie_name`]),
    /// `Secure` when the site is https or the request came over TLS.
    fn cookie(&self, name: &'static str, value: String, max_age: i64, http_only: bool) -> Cookie {
        let secure = secure_cookies(&self.app.config, &self.req);
        Cookie { name: cookie_name(&self.app.config, name), value, max_age, http_only, secure }
    }
}

/// Do cookies get `Secure`: an https site (`public_url`), `secure_cookies`,
/// or a request that came over TLS through a trusted proxy.
fn secure_cookies(config: &crate::config::Config, req: &Req) -> bool {
    config.https() || config.secure_cookies || req.https
}

/// `next` if it is a plain local path, else `fallback`: it must start with
/// one `/` and hold only printable ASCII without `\` (a browser drops tabs
/// and reads `\` as `/`, so `/\t/evil.example` would leave the site; pages
/// send their own URLs percent-encoded, so nothing real is refused).
pub fn safe_next(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(n)
            if n.starts_with('/') && !n.starts_with("//") && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_string()
        }
        _ => fallback.to_string(),
    }
}

type Handler = fn(&mut Ctx) -> Result<Resp>;

/// Who may use a route (R6.5): the column of the routing table that the
/// dispatcher checks before the handler runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Anyone,
    /// A signed-in member; signed out, a `GET` goes to the login page and a
    /// `POST` gets 401.
    Member,
    /// A signed-in member whose identity is verified and not past its next
    /// check (R7.1, R7.3); others get 403 `IdentityRequired`, whose page
    /// links to `/settings/identity`.
    Verified,
    /// A signed-in account holding at least one of these staff roles (R6.5);
    /// others get 403 naming the roles, logged as `access.denied`.
    Staff(&'static [Role]),
    /// The client API open to anyone (issue 19): cookies count for nothing,
    /// a bearer token is optional (a bad one gets 401), there is no CSRF
    /// token (nothing rides on cookies). Errors are JSON.
    App,
    /// The client API for a member's bearer token holding this scope (or
    /// one covering it, `domain::oauth::covers`): no token or a bad one
    /// gets 401 with `WWW-Authenticate`, a token without the scope 403.
    Token(&'static str),
    /// As `Token`, and the member's identity is verified (R7.1, R7.3):
    /// others get 403 with the identity page's URL.
    TokenVerified(&'static str),
}

impl Access {
    /// Is this a client API row (JSON, bearer tokens, no cookies)?
    pub fn is_api(self) -> bool {
        matches!(self, Access::App | Access::Token(_) | Access::TokenVerified(_))
    }
}

/// Who reviews, removes and proposes labels: reviewers and chief editors.
pub const REVIEW: &[Role] = &[Role::Reviewer, Role::ChiefEditor];
/// Whose decision is final (rumour labels, reversals of removals, R6.5): the chief editor.
pub const CHIEF: &[Role] = &[Role::ChiefEditor];
/// Who sets policy (keyword and tier rules, emergency mode, bulk takedown,
/// features) and reads the evidence: chief editors and admins.
pub const POLICY: &[Role] = &[Role::ChiefEditor, Role::Admin];
/// Who handles identities and verified-account applications (R7.2, R10.1):
/// reviewers and admins.
pub const IDENTITY: &[Role] = &[Role::Reviewer, Role::Admin];
/// Every staff role: the dashboard.
pub const ANY_STAFF: &[Role] = &Role::ALL;
/// Accounts, roles, the log, site settings, identity reveals: admins.
pub const ADMIN: &[Role] = &[Role::Admin];

/// One row of the routing table.
pub struct Route {
    /// `Get` (which also answers `HEAD`) or `Post`; client API rows also
    /// `Put`, `Patch`, `Delete`.
    pub method: Method,
    /// The path pattern, segment by segment: a literal; `{name}`, an id (a
    /// positive integer, 400 otherwise); `{name:status}`, a client API
    /// status id (a post's positive integer, or `c` and a comment's; else
    /// `Invalid` naming the parameter, 422); `{name:text}`, any one
    /// segment; or `@{name}`, a username after `@`.
    pub path: &'static str,
    /// Who may use it.
    pub access: Access,
    handler: Handler,
}

impl Route {
    /// The pattern's segments (none for `/`).
    fn segments(&self) -> impl Iterator<Item = &'static str> {
        self.path.split('/').filter(|s| !s.is_empty())
    }

    /// Whether `path` fits the pattern: segment by segment, so most rows
    /// are ruled out by their first.
    fn fits(&self, path: &[&str]) -> bool {
        let mut pattern = self.segments();
        path.iter().all(|seg| {
            pattern.next().is_some_and(|p| match p.strip_prefix('@') {
                Some(_) => seg.starts_with('@'),
                None if p.starts_with('{') => true,
                None => p == *seg,
            })
        }) && pattern.next().is_none()
    }

    /// Whether the row answers `method` (`HEAD` as `GET`).
    fn answers(&self, method: Method) -> bool {
        match self.method {
            Method::Get => matches!(method, Method::Get | Method::Head),
            m => m == method,
        }
    }

    /// The typed parameters of `path`, which fits the pattern.
    ///
    /// # Errors
    /// `BadRequest` when an id segment is not a positive integer;
    /// `Invalid` (the parameter's name) for a bad `{name:status}`.
    fn params(&self, path: &[&str]) -> Result<Params> {
        let mut out = Params::default();
        for (pattern, seg) in self.segments().zip(path) {
            if let Some(name) = pattern.strip_prefix("@{").and_then(|p| p.strip_suffix('}')) {
                out.text.push((name, seg.trim_start_matches('@').to_string()));
            } else if let Some(name) = pattern.strip_prefix('{').and_then(|p| p.strip_suffix(":text}")) {
                out.text.push((name, (*seg).to_string()));
            } else if let Some(name) = pattern.strip_prefix('{').and_then(|p| p.strip_suffix(":status}")) {
                match (crate::http::parse_id(seg), seg.strip_prefix('c').map(crate::http::parse_id)) {
                    (Ok(id), _) => out.ids.push((name, id)),
                    (_, Some(Ok(id))) => out.comments.push((name, id)),
                    _ => return Err(Error::Invalid(name.to_string())),
                }
            } else if let Some(name) = pattern.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                out.ids.push((name, crate::http::parse_id(seg)?));
            }
        }
        Ok(out)
    }
}

/// The path parameters of the matched row, typed as the table says.
#[derive(Debug, Default)]
pub struct Params {
    ids: Vec<(&'static str, i64)>,
    text: Vec<(&'static str, String)>,
    /// `{name:status}` parameters sent as a comment id (`c{n}`).
    comments: Vec<(&'static str, i64)>,
}

impl Params {
    /// Parameters holding one id: how a client API handler reuses a page
    /// helper that reads `{id}` for an id sent in the body (issue 19).
    pub fn with_id(name: &'static str, id: i64) -> Params {
        Params { ids: vec![(name, id)], ..Params::default() }
    }
}

/// One row (a `const fn`, so the table stays one aligned `static`).
const fn row(method: Method, path: &'static str, access: Access, handler: Handler) -> Route {
    Route { method, path, access, handler }
}

/// The routing table: every endpoint on one screen, with who may use it.
/// The first row that fits a request wins; a path that fits only under
/// another method is 405, anything else 404.
#[rustfmt::skip]
pub static ROUTES: &[Route] = {
    use Access::{Anyone, App, Member, Staff, Token, TokenVerified, Verified};
    use Method::{Delete as DELETE, Get as GET, Patch as PATCH, Post as POST, Put as PUT};
    &[
    row(GET,  "/",                                 Anyone,            timeline::home),
    row(GET,  "/public",                           Anyone,            timeline::public),
    row(GET,  "/tags/{tag:text}",                  Anyone,            timeline::tag),
    row(GET,  "/search",                           Anyone,            search::search),
    row(GET,  "/people",                           Anyone,            search::people),
    row(GET,  "/trending",                         Anyone,            search::trending),
    row(GET,  "/healthz",                          Anyone,            pages::healthz),
    row(GET,  "/assets/{name:text}",               Anyone,            pages::asset),
    row(GET,  "/favicon.ico",                      Anyone,            pages::favicon),
    row(GET,  "/manifest.webmanifest",             Anyone,            compose::manifest),
    row(GET,  "/autocomplete",                     Member,            compose::autocomplete),
    row(GET,  "/terms",                            Anyone,            pages::terms),
    row(GET,  "/rules",                            Anyone,            pages::rules),
    row(GET,  "/terms/accept",                     Member,            auth::accept_form),
    row(POST, "/terms/accept",                     Member,            auth::accept),
    row(GET,  "/signup",                           Anyone,            auth::signup_form),
    row(POST, "/signup",                           Anyone,            auth::signup),
    row(GET,  "/login",                            Anyone,            auth::login_form),
    row(POST, "/login",                            Anyone,            auth::login),
    row(POST, "/login/appeal",                     Anyone,            auth::login_appeal),
    row(POST, "/logout",                           Anyone,            auth::logout),
    row(GET,  "/setup",                            Anyone,            auth::setup_form),
    row(POST, "/setup",                            Anyone,            auth::setup),
    row(POST, "/posts",                            Verified,          posts::create),
    row(GET,  "/posts/{id}",                       Anyone,            posts::show),
    row(POST, "/posts/{id}/comments",              Verified,          posts::comment),
    row(POST, "/posts/{id}/repost",                Verified,          posts::repost),
    row(POST, "/posts/{id}/like",                  Member,            posts::like),
    row(GET,  "/posts/{id}/likes",                 Anyone,            likes::likers),
    row(GET,  "/posts/{id}/reposts",               Anyone,            likes::reposts),
    row(POST, "/posts/{id}/unlike",                Member,            posts::unlike),
    row(POST, "/posts/{id}/delete",                Member,            posts::delete),
    row(POST, "/posts/{id}/edit",                  Verified,          posts::edit),
    row(POST, "/posts/{id}/bookmark",              Member,            bookmarks::bookmark),
    row(POST, "/posts/{id}/unbookmark",            Member,            bookmarks::unbookmark),
    row(POST, "/posts/{id}/pin",                   Member,            bookmarks::pin),
    row(POST, "/posts/{id}/unpin",                 Member,            bookmarks::unpin),
    row(GET,  "/bookmarks",                        Member,            bookmarks::list),
    row(POST, "/posts/{id}/comment-mode",          Member,            comments::comment_mode),
    row(POST, "/comments/{id}/delete",             Member,            posts::delete_comment),
    row(POST, "/comments/{id}/like",               Member,            likes::like_comment),
    row(POST, "/comments/{id}/unlike",             Member,            likes::unlike_comment),
    row(POST, "/comments/{id}/hide",               Member,            comments::hide_comment),
    row(POST, "/comments/{id}/unhide",             Member,            comments::unhide_comment),
    row(POST, "/comments/{id}/remove",             Member,            comments::remove_comment),
    row(POST, "/complaints",                       Anyone,            complaints::create),
    row(GET,  "/complaints",                       Anyone,            complaints::lookup),
    row(GET,  "/complaints/new",                   Anyone,            complaints::new_form),
    row(GET,  "/complaints/{tracking:text}",       Anyone,            complaints::status),
    row(GET,  "/media/{hash:text}",                Anyone,            media::file),
    row(GET,  "/media/{hash:text}/thumb",          Anyone,            media::thumb),
    row(GET,  "/notifications",                    Member,            notifications::list),
    row(GET,  "/settings",                         Member,            users::settings_index),
    row(GET,  "/settings/profile",                 Member,            users::settings_form),
    row(POST, "/settings/profile",                 Member,            users::settings),
    row(POST, "/settings/avatar",                  Member,            users::avatar),
    row(GET,  "/settings/password",                Member,            auth::password_form),
    row(POST, "/settings/password",                Member,            auth::change_password),
    row(GET,  "/login/second-factor",              Anyone,            second_factor::login_form),
    row(POST, "/login/second-factor",              Anyone,            second_factor::login),
    row(GET,  "/settings/two-factor",              Member,            second_factor::settings),
    row(POST, "/settings/two-factor/start",        Member,            second_factor::start),
    row(POST, "/settings/two-factor/enable",       Member,            second_factor::enable),
    row(POST, "/settings/two-factor/disable",      Member,            second_factor::disable),
    row(GET,  "/settings/sessions",                Member,            sessions::list),
    row(POST, "/settings/sessions/others/end",     Member,            sessions::end_others),
    row(POST, "/settings/sessions/{handle:text}/end", Member,         sessions::end_one),
    row(GET,  "/settings/export",                  Member,            account::export_page),
    row(POST, "/settings/export",                  Member,            account::export_start),
    row(GET,  "/settings/export/{id}",             Member,            account::export_download),
    row(GET,  "/settings/close",                   Member,            account::close_form),
    row(POST, "/settings/close",                   Member,            account::close),
    row(GET,  "/settings/blocks",                  Member,            blocks::settings),
    row(POST, "/settings/blocks/words",            Member,            blocks::add_word),
    row(POST, "/settings/blocks/words/{id}/delete", Member,           blocks::remove_word),
    row(GET,  "/settings/credit",                  Member,            credit::settings),
    row(POST, "/settings/credit/appeal",           Member,            credit::appeal),
    row(GET,  "/settings/identity",                Member,            identity::settings),
    row(POST, "/settings/identity",                Member,            identity::bind),
    row(POST, "/settings/identity/send",           Member,            identity::send),
    row(POST, "/settings/identity/confirm",        Member,            identity::confirm),
    row(GET,  "/settings/verification",            Member,            verification::settings),
    row(POST, "/settings/verification",            Verified,          verification::apply),
    row(GET,  "/verification/proofs/{id}",         Member,            verification::proof),
    row(GET,  "/password/set",                     Anyone,            password::form),
    row(POST, "/password/set",                     Anyone,            password::set),
    row(GET,  "/@{user}",                          Anyone,            users::profile),
    row(GET,  "/@{user}/followers",                Anyone,            users::followers),
    row(GET,  "/@{user}/following",                Anyone,            users::following),
    row(POST, "/@{user}/follow",                   Member,            users::follow),
    row(POST, "/@{user}/unfollow",                 Member,            users::unfollow),
    row(POST, "/@{user}/block",                    Member,            blocks::block),
    row(POST, "/@{user}/unblock",                  Member,            blocks::unblock),
    row(POST, "/@{user}/mute",                     Member,            blocks::mute),
    row(POST, "/@{user}/unmute",                   Member,            blocks::unmute),
    // The staff panel (R6.5).
    row(GET,  "/admin",                            Staff(ANY_STAFF),  admin::dashboard),
    row(GET,  "/admin/logs",                       Staff(ADMIN),      admin::logs),
    row(GET,  "/admin/settings",                   Staff(ADMIN),      admin::settings_form),
    row(POST, "/admin/settings",                   Staff(ADMIN),      admin::settings),
    row(GET,  "/admin/identities",                 Staff(IDENTITY),   identity::admin_list),
    row(GET,  "/admin/identities/{id}",            Staff(IDENTITY),   identity::admin_show),
    row(POST, "/admin/identities/{id}/check",      Staff(IDENTITY),   identity::admin_check),
    row(POST, "/admin/identities/{id}/confirm",    Staff(IDENTITY),   identity::admin_confirm),
    row(POST, "/admin/identities/{id}/reject",     Staff(IDENTITY),   identity::admin_reject),
    row(POST, "/admin/identities/{id}/recheck",    Staff(ADMIN),      identity::admin_recheck),
    row(POST, "/admin/identities/{id}/reveal",     Staff(ADMIN),      identity::admin_reveal),
    row(GET,  "/admin/outbox",                     Staff(ADMIN),      identity::outbox),
    row(GET,  "/admin/verifications",              Staff(IDENTITY),   verification::admin_list),
    row(POST, "/admin/verifications/{id}/approve", Staff(IDENTITY),   verification::approve),
    row(POST, "/admin/verifications/{id}/reject",  Staff(IDENTITY),   verification::reject),
    row(POST, "/admin/verifications/{id}/revoke",  Staff(IDENTITY),   verification::revoke),
    row(POST, "/admin/trending/hide",              Staff(REVIEW),     search::hide_trend),
    row(GET,  "/admin/review",                     Staff(REVIEW),     moderation::queue),
    row(POST, "/admin/review",                     Staff(REVIEW),     moderation::decide),
    row(GET,  "/admin/posts/{id}",                 Staff(REVIEW),     moderation::post_page),
    row(POST, "/admin/posts/{id}/remove",          Staff(REVIEW),     moderation::remove_post),
    row(POST, "/admin/posts/{id}/restore",         Staff(CHIEF),      moderation::restore_post),
    row(POST, "/admin/posts/{id}/rumour",          Staff(REVIEW),     rumours::propose),
    row(GET,  "/admin/comments/{id}",              Staff(REVIEW),     moderation::comment_page),
    row(POST, "/admin/comments/{id}/remove",       Staff(REVIEW),     moderation::remove_comment),
    row(POST, "/admin/comments/{id}/restore",      Staff(CHIEF),      moderation::restore_comment),
    row(GET,  "/admin/takedown",                   Staff(POLICY),     moderation::takedown_form),
    row(POST, "/admin/takedown",                   Staff(POLICY),     moderation::takedown),
    row(GET,  "/admin/rumours",                    Staff(REVIEW),     rumours::list),
    row(POST, "/admin/rumours/{id}/confirm",       Staff(CHIEF),      rumours::confirm),
    row(POST, "/admin/rumours/{id}/decline",       Staff(CHIEF),      rumours::decline),
    row(POST, "/admin/rumours/{id}/withdraw",      Staff(CHIEF),      rumours::withdraw),
    row(GET,  "/admin/complaints",                 Staff(REVIEW),     complaints::queue),
    row(GET,  "/admin/complaints/{id}",            Staff(REVIEW),     complaints::show),
    row(GET,  "/admin/complaints/{id}/media/{pos}", Staff(REVIEW),    complaints::media),
    row(POST, "/admin/complaints/{id}/assign",     Staff(REVIEW),     complaints::assign),
    row(POST, "/admin/complaints/{id}/act",        Staff(REVIEW),     complaints::act),
    row(POST, "/admin/complaints/{id}/resolve",    Staff(REVIEW),     complaints::resolve),
    row(GET,  "/admin/credit/{user:text}",         Staff(REVIEW),     credit::admin_show),
    row(POST, "/admin/credit/{user:text}/adjust",  Staff(REVIEW),     credit::adjust),
    row(POST, "/admin/credit/{user:text}/sanction", Staff(REVIEW),    sanctions::impose),
    row(POST, "/admin/sanctions/{id}/lift",        Staff(REVIEW),     sanctions::lift),
    row(GET,  "/admin/appeals",                    Staff(REVIEW),     credit::appeals),
    row(POST, "/admin/appeals/{id}",               Staff(REVIEW),     credit::decide),
    row(GET,  "/admin/tiers",                      Staff(POLICY),     tiers::list),
    row(POST, "/admin/tiers",                      Staff(POLICY),     tiers::add),
    row(POST, "/admin/tiers/{id}/delete",          Staff(POLICY),     tiers::delete),
    row(GET,  "/admin/keywords",                   Staff(POLICY),     keywords::list),
    row(POST, "/admin/keywords",                   Staff(POLICY),     keywords::add),
    row(POST, "/admin/keywords/import",            Staff(POLICY),     keywords::import),
    row(GET,  "/admin/keywords/export",            Staff(POLICY),     keywords::export),
    row(POST, "/admin/keywords/{id}/delete",       Staff(POLICY),     keywords::delete),
    row(GET,  "/admin/emergency",                  Staff(POLICY),     staff::emergency_form),
    row(POST, "/admin/emergency",                  Staff(POLICY),     staff::emergency),
    row(GET,  "/admin/evidence",                   Staff(POLICY),     staff::evidence),
    row(GET,  "/admin/evidence/{id}",              Staff(POLICY),     staff::evidence_record),
    row(GET,  "/admin/users",                      Staff(ADMIN),      staff::users),
    row(POST, "/admin/users/{user:text}/roles",    Staff(ADMIN),      staff::set_role),
    row(GET,  "/admin/features",                   Staff(POLICY),     features::list),
    row(POST, "/admin/features/{feature:text}/assess", Staff(POLICY), features::assess),
    row(POST, "/admin/features/{feature:text}/switch", Staff(POLICY), features::switch),
    row(GET,  "/admin/features/reports/{id}",      Staff(POLICY),     features::report),
    // OAuth and the Mastodon-compatible client API (issue 19): JSON,
    // bearer tokens with scopes, no cookies, no CSRF.
    row(GET,  "/oauth/authorize",                  Member,            api::oauth::authorize_form),
    row(POST, "/oauth/authorize",                  Member,            api::oauth::authorize),
    row(POST, "/oauth/token",                      App,               api::oauth::token),
    row(POST, "/oauth/revoke",                     App,               api::oauth::revoke),
    row(GET,  "/settings/apps",                    Member,            api::oauth::settings),
    row(POST, "/settings/apps/{id}/revoke",        Member,            api::oauth::settings_revoke),
    row(POST, "/api/v1/apps",                      App,               api::oauth::register),
    row(GET,  "/api/v1/instance",                  App,               api::instance::v1),
    row(GET,  "/api/v2/instance",                  App,               api::instance::v2),
    row(GET,  "/api/v1/custom_emojis",             App,               api::instance::custom_emojis),
    row(GET,  "/api/v1/apps/verify_credentials",   App,               api::instance::app),
    row(GET,  "/api/v1/preferences",               Token("read:accounts"), api::instance::preferences),
    row(GET,  "/api/v1/lists",                     Token("read:lists"), api::instance::empty_list),
    row(GET,  "/api/v1/filters",                   Token("read:filters"), api::instance::empty_list),
    row(GET,  "/api/v2/filters",                   Token("read:filters"), api::instance::empty_list),
    row(GET,  "/api/v1/announcements",             Token("read"),     api::instance::empty_list),
    row(GET,  "/api/v1/followed_tags",             Token("read:follows"), api::instance::empty_list),
    row(GET,  "/api/v1/accounts/verify_credentials", Token("read:accounts"), api::accounts::verify_credentials),
    row(PATCH, "/api/v1/accounts/update_credentials", Token("write:accounts"), api::accounts::update_credentials),
    row(GET,  "/api/v1/accounts/lookup",           App,               api::accounts::lookup),
    row(GET,  "/api/v1/accounts/relationships",    Token("read:follows"), api::accounts::relationships),
    row(GET,  "/api/v1/accounts/{id}",             App,               api::accounts::show),
    row(GET,  "/api/v1/accounts/{id}/statuses",    App,               api::timelines::account),
    row(GET,  "/api/v1/accounts/{id}/followers",   App,               api::accounts::followers),
    row(GET,  "/api/v1/accounts/{id}/following",   App,               api::accounts::following),
    row(POST, "/api/v1/accounts/{id}/follow",      Token("write:follows"), api::accounts::follow),
    row(POST, "/api/v1/accounts/{id}/unfollow",    Token("write:follows"), api::accounts::unfollow),
    row(GET,  "/api/v1/timelines/home",            Token("read:statuses"), api::timelines::home),
    row(GET,  "/api/v1/timelines/public",          App,               api::timelines::public),
    row(GET,  "/api/v1/timelines/tag/{tag:text}",  App,               api::timelines::tag),
    row(POST, "/api/v1/statuses",                  TokenVerified("write:statuses"), api::statuses::create),
    row(GET,  "/api/v1/statuses/{id:status}",      App,               api::statuses::show),
    row(DELETE, "/api/v1/statuses/{id:status}",    Token("write:statuses"), api::statuses::delete),
    row(GET,  "/api/v1/statuses/{id:status}/context", App,               api::statuses::context),
    row(GET,  "/api/v1/statuses/{id:status}/favourited_by", App,             api::statuses::favourited_by),
    row(GET,  "/api/v1/statuses/{id:status}/reblogged_by", App,              api::statuses::reblogged_by),
    row(POST, "/api/v1/statuses/{id:status}/favourite", Token("write:favourites"), api::statuses::favourite),
    row(POST, "/api/v1/statuses/{id:status}/unfavourite", Token("write:favourites"), api::statuses::unfavourite),
    row(POST, "/api/v1/statuses/{id:status}/reblog", TokenVerified("write:statuses"), api::statuses::reblog),
    row(POST, "/api/v1/statuses/{id:status}/unreblog", Token("write:statuses"), api::statuses::unreblog),
    row(POST, "/api/v1/statuses/{id:status}/bookmark", Token("write:bookmarks"), api::statuses::bookmark),
    row(POST, "/api/v1/statuses/{id:status}/unbookmark", Token("write:bookmarks"), api::statuses::unbookmark),
    row(GET,  "/api/v1/bookmarks",                 Token("read:bookmarks"), api::statuses::bookmarks),
    row(GET,  "/api/v1/notifications",             Token("read:notifications"), api::notifications::list),
    row(POST, "/api/v1/notifications/clear",       Token("write:notifications"), api::notifications::clear),
    row(GET,  "/api/v1/notifications/{id}",        Token("read:notifications"), api::notifications::show),
    row(GET,  "/api/v2/search",                    Token("read:search"), api::search::search),
    row(GET,  "/api/v1/markers",                   Token("read:statuses"), api::notifications::markers),
    row(POST, "/api/v1/markers",                   Token("write:statuses"), api::notifications::save_markers),
    row(GET,  "/.well-known/oauth-authorization-server", App,         api::oauth::server_info),
    row(POST, "/api/v2/media",                     TokenVerified("write:media"), api::media::upload),
    row(POST, "/api/v1/media",                     TokenVerified("write:media"), api::media::upload),
    row(GET,  "/api/v1/media/{id}",                Token("write:media"), api::media::show),
    row(PUT,  "/api/v1/media/{id}",                Token("write:media"), api::media::describe),
    ]
};

/// The row for a request: 405 for a known path with another method, 404
/// for anything else.
fn route(method: Method, path: &[&str]) -> Result<&'static Route> {
    if let Some(r) = ROUTES.iter().find(|r| r.answers(method) && r.fits(path)) {
        return Ok(r);
    }
    // A path known under another method is 405 (DELETE, OPTIONS... included).
    if ROUTES.iter().any(|r| r.fits(path)) {
        Err(Error::MethodNotAllowed)
    } else {
        Err(Error::NotFound)
    }
}

/// Whether `user` passes `access`.
///
/// # Errors
/// `LoginRequired` when signed out, `IdentityRequired` for an unverified
/// member on a `Verified` row, `ForbiddenBecause` (naming the roles) for
/// an account without a staff role the row needs.
fn check_access(ctx: &Ctx, access: Access) -> Result<()> {
    match access {
        Access::Anyone => Ok(()),
        Access::Member => ctx.user().map(|_| ()),
        Access::Verified if ctx.user()?.identity.may_publish() => Ok(()),
        Access::Verified => Err(Error::IdentityRequired),
        // Client API rows are checked by `handle_api` before this.
        Access::App | Access::Token(_) | Access::TokenVerified(_) => Ok(()),
        Access::Staff(roles) => {
            let u = ctx.staff_any(roles)?;
            // Admins and chief editors: not without a second factor (issue 15).
            if !u.second_factor_on
                && crate::domain::second_factor::required(&u.roles, ctx.app.config.second_factor_for_top_staff)
            {
                return Err(Error::ForbiddenBecause(ctx.t(M::ErrNeedsSecondFactor).into()));
            }
            Ok(())
        }
    }
}

/// The staff pages `user` may open: every parameterless `GET` row with a
/// staff access rule one of the account's roles meets. The admin
/// navigation shows exactly these links.
pub fn staff_pages(user: &SessionUser) -> Vec<&'static str> {
    ROUTES
        .iter()
        .filter(|r| r.method == Method::Get && !r.path.contains('{'))
        .filter(|r| matches!(r.access, Access::Staff(roles) if roles.iter().any(|role| user.has(*role))))
        .map(|r| r.path)
        .collect()
}

/// Paths a session waiting for its second factor may use.
fn allowed_before_second_factor(path: &[&str]) -> bool {
    matches!(path, ["login", "second-factor"] | ["logout"] | ["terms"] | ["rules"] | ["assets", _] | ["healthz"])
}

/// Paths a member who has not accepted the current agreement may still use.
fn allowed_before_accepting(path: &[&str]) -> bool {
    matches!(
        path,
        ["terms"]
            | ["rules"]
            | ["terms", "accept"]
            | ["logout"]
            | ["assets", _]
            | ["healthz"]
            | ["favicon.ico"]
            | ["manifest.webmanifest"]
    )
}

/// Handle one request: session, language, CSRF, agreement check, route,
/// and the error page for any error.
pub fn dispatch(app: &App, conn: &Connection, req: Req) -> Resp {
    let now = app.now();
    let mut cookies = Vec::new();
    let life = db::sessions::Lifetimes::of(&app.config);
    let secure = secure_cookies(&app.config, &req);
    // The client API (issue 19): no cookie is read or set; the bearer
    // token is looked up by `handle_api`.
    let json = api::wants_json(&req.path);
    let session_cookie = if json { None } else { req.cookie(cookie_name(&app.config, SESSION_COOKIE)) };
    let user = match session_cookie {
        Some(token) => match db::sessions::lookup(conn, token, now, &life) {
            Ok(u) => u,
            Err(e) => return bare_error(&e),
        },
        None => None,
    };
    if let Some(u) = &user {
        // The last use, for idle expiry and `/settings/sessions`: at most
        // one write a minute per session (issue 15).
        if now - u.last_seen_at >= SESSION_TOUCH_SECONDS {
            let ip = req.source.ip().to_string();
            let from = db::sessions::Origin { ip: &ip, user_agent: &req.user_agent };
            if let Err(e) = db::write(conn, |tx| db::sessions::touch(tx, &u.token_hash, now, from)) {
                return bare_error(&e);
            }
        }
    }
    let lang = match req.query("lang").and_then(Lang::parse) {
        Some(l) if json => l,
        None if json => match req.header("accept-language") {
            Some(a) if a.trim_start().to_ascii_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Zh,
        },
        Some(l) => {
            cookies.push(Cookie {
                name: LANG_COOKIE,
                value: l.code().into(),
                max_age: 365 * 86_400,
                http_only: false,
                secure,
            });
            l
        }
        None => req.cookie(LANG_COOKIE).and_then(Lang::parse).unwrap_or(Lang::Zh),
    };
    let csrf = match (&user, req.cookie(cookie_name(&app.config, CSRF_COOKIE))) {
        _ if json => String::new(),
        (Some(u), _) => u.csrf_token.clone(),
        (None, Some(c)) if c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()) => c.to_string(),
        (None, _) => {
            let token = crate::crypto::random_token();
            cookies.push(Cookie {
                name: cookie_name(&app.config, CSRF_COOKIE),
                value: token.clone(),
                max_age: 86_400,
                http_only: true,
                secure,
            });
            token
        }
    };
    let gov = match app.governance(conn) {
        Ok(g) => g,
        Err(e) => return bare_error(&e),
    };
    let flash = match req.cookie(FLASH_COOKIE) {
        Some(_) if !json && !req.method.has_body() => {
            cookies.push(Cookie {
                name: FLASH_COOKIE,
                value: String::new(),
                max_age: 0,
                http_only: true,
                secure: false,
            });
            Some(views::Flash { error: false, text: lang.t(M::FlashDone).into(), form: None })
        }
        _ => None,
    };
    let mut ctx = Ctx {
        app,
        db: conn,
        req,
        user,
        lang,
        csrf,
        now,
        site: app.site(),
        gov,
        cookies,
        params: Params::default(),
        flash,
        grant: None,
        rate_limit: None,
    };
    let staff_form = ctx.req.method == Method::Post && ctx.req.path.first().is_some_and(|p| p == "admin");
    let mut resp = match handle(&mut ctx) {
        Ok(r) => r,
        Err(e @ (Error::Forbidden | Error::ForbiddenBecause(_) | Error::Outranked(_))) => match log_denied(&ctx, &e) {
            Ok(()) => error_response(&ctx, e),
            Err(log_error) => error_response(&ctx, log_error),
        },
        Err(e @ (Error::Invalid(_) | Error::BadRequest(_) | Error::Conflict(_))) if staff_form => {
            refused_in_place(&mut ctx, e)
        }
        Err(e) => {
            if let Error::StorageFull(why) = &e {
                app.note_storage_full(why);
            }
            error_response(&ctx, e)
        }
    };
    // A staff form that worked: the page it leads to says so once, unless
    // that page has its own notice (`done=`, `saved=`).
    if staff_form && resp.status == 303 {
        let own_notice = resp.header_value("Location").is_some_and(|l| l.contains("done=") || l.contains("saved="));
        if !own_notice {
            let c = ctx.cookie(FLASH_COOKIE, "1".into(), 60, true);
            ctx.cookies.push(c);
        }
    }
    if let Some(s) = ctx.rate_limit.filter(|s| s.limit > 0) {
        resp = api::limits::headers(resp, &s);
    }
    for c in &ctx.cookies {
        resp = resp.cookie(c);
    }
    resp
}

fn handle(ctx: &mut Ctx) -> Result<Resp> {
    let path: Vec<&str> = ctx.req.path.iter().map(String::as_str).collect();
    let row = route(ctx.req.method, &path)?;
    let params = row.params(&path);
    if row.access.is_api() {
        return handle_api(ctx, row, params);
    }
    if ctx.req.method.has_body() {
        let sent = ctx.req.field("csrf_token").unwrap_or("");
        if sent.is_empty() || !crate::crypto::constant_time_eq(sent.as_bytes(), ctx.csrf.as_bytes()) {
            return Err(Error::Csrf);
        }
    }
    if let Some(u) = &ctx.user {
        // Password right, second factor still to come: nothing else opens (issue 15).
        if u.second_factor_pending && !allowed_before_second_factor(&path) {
            if ctx.req.method == Method::Post {
                return Err(Error::LoginRequired);
            }
            return Ok(Resp::redirect("/login/second-factor"));
        }
    }
    if let Some(u) = &ctx.user {
        if u.agreement_version < ctx.site.agreement.version && !allowed_before_accepting(&path) {
            let next = if ctx.req.method == Method::Get { ctx.req.raw_url.clone() } else { "/".into() };
            let q: String =
                percent_encoding::utf8_percent_encode(&next, percent_encoding::NON_ALPHANUMERIC).to_string();
            return Ok(Resp::redirect(&format!("/terms/accept?next={q}")));
        }
    }
    check_access(ctx, row.access)?;
    ctx.params = params?;
    (row.handler)(ctx)
}

/// A client API row (issue 19): the bearer token, if sent, is looked up
/// (one indexed query, `db::oauth::lookup`) and stands for its member;
/// `Token` rows need one of a member holding the row's scope (or a scope
/// covering it), with the current agreement accepted (R6.1), and
/// `TokenVerified` rows a verified identity too (R7.1). No CSRF token:
/// nothing here rides on cookies.
///
/// # Errors
/// `LoginRequired` (401) for a missing, unknown or revoked token where one
/// is needed (a bad one anywhere); `ForbiddenBecause` (403) for a missing
/// scope, an app's own token on a member's row, or an agreement to accept;
/// `IdentityRequired` (403) before identity verification.
fn handle_api(ctx: &mut Ctx, row: &Route, params: Result<Params>) -> Result<Resp> {
    ctx.user = None;
    if let Some(token) = api::bearer(ctx) {
        let grant = db::oauth::lookup(ctx.db, &token, ctx.now)?.ok_or(Error::LoginRequired)?;
        let c = &ctx.app.config;
        let s = api::limits::take(
            &crate::crypto::sha256(token.as_bytes()),
            grant.user.as_ref().map(|u| u.id),
            c.api_token_requests_per_5min,
            c.api_account_requests_per_5min,
            ctx.now,
        );
        ctx.rate_limit = Some(s);
        if s.exceeded {
            return Err(Error::RateLimited((s.reset - ctx.now).max(1)));
        }
        ctx.user = grant.user.clone();
        ctx.grant = Some(grant);
    }
    if let Access::Token(scope) | Access::TokenVerified(scope) = row.access {
        let grant = ctx.grant.as_ref().ok_or(Error::LoginRequired)?;
        if !crate::domain::oauth::allows(&grant.scopes, scope) {
            return Err(Error::ForbiddenBecause(format!("{} {scope}", ctx.t(M::ApiScopeMissing))));
        }
        let u = ctx.user.as_ref().ok_or_else(|| Error::ForbiddenBecause(ctx.t(M::ApiUserRequired).into()))?;
        if u.agreement_version < ctx.site.agreement.version {
            let url = format!("{}/terms/accept", api::base_url(ctx));
            return Err(Error::ForbiddenBecause(format!("{} {url}", ctx.t(M::ApiAcceptAgreement))));
        }
        if matches!(row.access, Access::TokenVerified(_)) && !u.identity.may_publish() {
            return Err(Error::IdentityRequired);
        }
    }
    ctx.params = params.map_err(|e| match e {
        // A status id that is neither a post's nor a comment's (issue 19).
        Error::Invalid(name) => Error::Invalid(format!("{name}: {}", ctx.t(M::ApiBadStatusId))),
        _ => Error::NotFound,
    })?;
    (row.handler)(ctx)
}

/// The staff page a form posted to `action` belongs to, without a
/// `Referer`: the nearest `GET` route up the path (`/admin/appeals/5` →
/// `/admin/appeals`, `/admin/complaints/5/assign` → `/admin/complaints/5`).
fn page_of_form(action: &str) -> Option<String> {
    let mut segs: Vec<&str> = action.split('/').filter(|s| !s.is_empty()).collect();
    while segs.len() > 1 {
        if ROUTES.iter().any(|r| r.method == Method::Get && r.fits(&segs)) {
            return Some(format!("/{}", segs.join("/")));
        }
        segs.pop();
    }
    None
}

/// A refused staff form (issue 13, no error page at a POST URL): the page
/// the form was sent from (the `Referer`, when it is one of this site's
/// staff pages; else the nearest staff page up the form's path) is shown
/// again with the message next to the form, with the error's 4xx status;
/// nothing was changed. Without such a page, the error page as before.
fn refused_in_place(ctx: &mut Ctx, e: Error) -> Resp {
    let action = ctx.req.raw_url.split('?').next().unwrap_or("").to_string();
    let host = ctx.req.header("host").unwrap_or("").to_string();
    let from_referer = ctx.req.header("referer").and_then(|r| {
        let rest = r.strip_prefix("http://").or_else(|| r.strip_prefix("https://"))?;
        let (authority, path) = rest.split_at(rest.find('/')?);
        (authority == host && (path == "/admin" || path.starts_with("/admin/") || path.starts_with("/admin?")))
            .then(|| safe_next(Some(path), ""))
            .filter(|p| !p.is_empty())
    });
    let Some(back) = from_referer.or_else(|| page_of_form(&action)) else { return error_response(ctx, e) };
    let text = e.public_detail().map(str::to_string).unwrap_or_else(|| ctx.t(e.title()).to_string());
    if ctx.req.retarget_get(&back).is_err() {
        return error_response(ctx, e);
    }
    ctx.flash = Some(views::Flash { error: true, text, form: Some(action) });
    let path: Vec<String> = ctx.req.path.clone();
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let shown = route(Method::Get, &path).and_then(|row| {
        check_access(ctx, row.access)?;
        ctx.params = row.params(&path)?;
        (row.handler)(ctx)
    });
    match shown {
        Ok(r) if r.status == 200 => r.status(e.status()),
        _ => {
            ctx.flash = None;
            error_response(ctx, e)
        }
    }
}

/// Log a refused request (403) as `access.denied` with its method and path,
/// in one place for every handler: a member who guesses a staff URL gets 403
/// and the attempt is logged (R6.5, R16.1); so is a sanction refused for
/// rank (`actions::rank`). If the entry cannot be written
/// the request fails with that error instead.
fn log_denied(ctx: &Ctx, e: &Error) -> Result<()> {
    let path: String = ctx.req.raw_url.split('?').next().unwrap_or("").chars().take(300).collect();
    let method = ctx.req.method.as_str();
    // A sanction refused for rank (R6.5) says so, with the target's role.
    let why = match e {
        Error::Outranked(role) => format!("forbidden {method}: outranked ({})", role.as_str()),
        _ => format!("forbidden {method}"),
    };
    ctx.write(|tx| ctx.log_outcome(tx, "access.denied", &format!("path:{path}"), &why))
}

/// The response for a handler's error: a login redirect for pages that
/// need a session, otherwise the error page with the error's status.
fn error_response(ctx: &Ctx, e: Error) -> Resp {
    if api::wants_json(&ctx.req.path) {
        return api::error_response(ctx, &e);
    }
    if matches!(e, Error::LoginRequired) && !ctx.req.method.has_body() {
        let q: String =
            percent_encoding::utf8_percent_encode(&ctx.req.raw_url, percent_encoding::NON_ALPHANUMERIC).to_string();
        return Resp::redirect(&format!("/login?next={q}"));
    }
    if e.status() >= 500 {
        eprintln!("plaza: {} {}: {e}", ctx.req.source, ctx.req.raw_url);
    }
    // A refused post, comment or repost keeps what was typed on the page (issue 13).
    let kept = match e {
        Error::IdentityRequired if ctx.req.method == Method::Post => {
            ctx.req.field("body").map(str::trim).filter(|b| !b.is_empty())
        }
        _ => None,
    };
    let resp = Resp::html(views::layout::error_page_keeping(&ctx.chrome(), &e, kept)).status(e.status());
    match e.retry_after() {
        Some(s) => resp.header("Retry-After", &s.to_string()),
        None => resp,
    }
}

/// An error answer for a request that could not even be parsed: plain text,
/// since no session or language is known yet.
pub fn bare_error(e: &Error) -> Resp {
    if e.status() >= 500 {
        eprintln!("plaza: {e}");
    }
    let mut detail = e.public_detail().map(|d| format!("\n{d}")).unwrap_or_default();
    if let Some(m) = e.explanation() {
        detail.push_str(&format!("\n{}\n{}", m.zh(), m.en()));
    }
    let resp = Resp::text(e.status(), &format!("{} / {}{detail}\n", e.title().zh(), e.title().en()));
    match e.retry_after() {
        Some(s) => resp.header("Retry-After", &s.to_string()),
        None => resp,
    }
}

/// Render a page in the frame (200).
pub fn page(ctx: &Ctx, body: impl FnOnce(&Chrome) -> maud::Markup) -> Result<Resp> {
    Ok(Resp::html(body(&ctx.chrome())))
}

/// An account id and a `[from, to]` range in UTC unix seconds, each optional.
pub type AccountRange = (Option<i64>, Option<i64>, Option<i64>);

/// What a staff filter form (`/admin/logs`, `/admin/evidence`) asks for:
/// an account by username (a leading `@` allowed) and a date range in the
/// site's time zone, as (account id, from, to) in UTC unix seconds.
///
/// # Returns
/// `Ok(Err(message))` naming the first unknown account or bad date.
pub fn account_and_range(
    ctx: &Ctx,
    account: &str,
    from: &str,
    to: &str,
) -> Result<std::result::Result<AccountRange, String>> {
    use crate::domain::dates::{self, Bound};
    let mut out = (None, None, None);
    if !account.is_empty() {
        match db::users::by_username(ctx.db, account.trim_start_matches('@'))? {
            Some(u) => out.0 = Some(u.id),
            None => return Ok(Err(ctx.lang.f(M::LogUnknownAccount, &[&account]))),
        }
    }
    let zone = &ctx.app.config.zone;
    for (text, bound) in [(from, Bound::From), (to, Bound::To)] {
        if text.is_empty() {
            continue;
        }
        match dates::parse(text, zone, bound) {
            Ok(t) if bound == Bound::From => out.1 = Some(t),
            Ok(t) => out.2 = Some(t),
            Err(_) => return Ok(Err(ctx.lang.f(M::LogBadDate, &[&text]))),
        }
    }
    Ok(Ok(out))
}

/// Does this request hash a password (bcrypt, ~85 ms)? Such requests run in
/// their own lane of workers, so a burst of logins waits its turn without
/// taking the workers that render pages (`server::io`). `raw_path` is the
/// path as sent; a wrong guess costs only the lane, never access.
pub fn hashes_password(post: bool, raw_path: &str) -> bool {
    post && matches!(
        raw_path.trim_end_matches('/'),
        "/login"
            | "/login/appeal"
            | "/signup"
            | "/setup"
            | "/settings/password"
            | "/settings/close"
            | "/password/set"
            | "/settings/identity"
    )
}

#[cfg(test)]
mod status_id_tests {
    use super::*;

    /// Issue 19: `{id:status}` takes a post id or `c` and a comment id;
    /// anything else is `Invalid` naming the parameter (422, never 500).
    #[test]
    fn status_ids_are_post_ids_or_c_and_a_comment_id() {
        let r = route(Method::Get, &["api", "v1", "statuses", "c12"]).unwrap();
        let p = r.params(&["api", "v1", "statuses", "c12"]).unwrap();
        assert_eq!((p.ids.len(), p.comments.as_slice()), (0, &[("id", 12)][..]));
        let p = r.params(&["api", "v1", "statuses", "501"]).unwrap();
        assert_eq!((p.ids.as_slice(), p.comments.len()), (&[("id", 501)][..], 0));
        for bad in ["cx", "c-1", "c0", "0x10", "0", "-3", "c", "1c", "c+1", "cc1"] {
            match r.params(&["api", "v1", "statuses", bad]) {
                Err(Error::Invalid(name)) => assert_eq!(name, "id", "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
