//! Routing: the one table from (method, path) to handler, the per-request
//! context, and the checks every request passes (session, CSRF, agreement).
//!
//! Handlers are `fn(&mut Ctx) -> Result<Resp>`: parse typed ids, check the
//! session and role, call the domain, read/write through `db` in one
//! transaction, render a view.

mod account;
mod admin;
mod auth;
mod complaints;
pub mod credit;
mod features;
mod identity;
mod keywords;
mod media;
mod moderation;
mod notifications;
mod pages;
mod password;
mod posts;
mod rumours;
mod staff;
mod tiers;
mod timeline;
mod users;
mod verification;

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
const SESSION_COOKIE: &str = "plaza_session";
/// Cookie with the CSRF token of a signed-out visitor (double-submit).
const CSRF_COOKIE: &str = "plaza_csrf";
/// Cookie with the chosen language.
const LANG_COOKIE: &str = "plaza_lang";

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
}

impl<'a> Ctx<'a> {
    /// The signed-in account.
    ///
    /// # Errors
    /// `LoginRequired` when signed out.
    pub fn user(&self) -> Result<&SessionUser> {
        self.user.as_ref().ok_or(Error::LoginRequired)
    }

    /// The signed-in account holding `role` (R6.5).
    ///
    /// # Errors
    /// `LoginRequired` when signed out, `Forbidden` without the role.
    pub fn staff(&self, role: Role) -> Result<&SessionUser> {
        self.staff_any(&[role])
    }

    /// The signed-in account holding any of `roles` (R6.5).
    ///
    /// # Errors
    /// `LoginRequired` when signed out, `Forbidden` without such a role.
    pub fn staff_any(&self, roles: &[Role]) -> Result<&SessionUser> {
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

    /// A message in the request's language.
    pub fn t(&self, m: M) -> &'static str {
        self.lang.t(m)
    }

    /// Who is acting and from where, for the activity log (R16.1).
    pub fn source(&self) -> Source {
        Source {
            account_id: self.user.as_ref().map(|u| u.id),
            ip: self.req.source.ip().to_string(),
            port: self.req.source.port(),
            user_agent: self.req.user_agent.clone(),
        }
    }

    /// Run `f` in one write transaction (`App::write`: `db::write`, then
    /// the signed log head is brought up to date).
    pub fn write<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.app.write(self.db, f)
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
            utc_offset_minutes: self.app.config.utc_offset_minutes,
            time_zone_name: &self.app.config.time_zone_name,
            banner: &self.gov.emergency.banner,
            reposts_on: self.user.is_some()
                && db::features::enabled(self.db, crate::domain::features::Feature::Reposts).unwrap_or(false),
        }
    }

    /// A local path to return to after a form, from its `next` field;
    /// anything that is not a plain local path gives `fallback`.
    pub fn next_or(&self, fallback: &str) -> String {
        safe_next(self.req.field("next").or(self.req.query("next")), fallback)
    }

    fn cookie(&self, name: &'static str, value: String, max_age: i64, http_only: bool) -> Cookie {
        Cookie { name, value, max_age, http_only, secure: self.app.config.secure_cookies || self.req.https }
    }
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

/// The handler for a request: 405 for a known path with another method,
/// 404 for anything else.
fn route(method: Method, path: &[&str]) -> Result<Handler> {
    if let Some(h) = lookup(method, path) {
        return Ok(h);
    }
    // A path known under another method is 405 (DELETE, OPTIONS... included).
    let known = [Method::Get, Method::Post].into_iter().any(|m| m != method && lookup(m, path).is_some());
    if known {
        Err(Error::MethodNotAllowed)
    } else {
        Err(Error::NotFound)
    }
}

/// The routing table: every endpoint on one screen.
#[rustfmt::skip]
fn lookup(method: Method, path: &[&str]) -> Option<Handler> {
    use Method::{Get, Head, Post};
    let get = matches!(method, Get | Head);
    let post = method == Post;
    let h: Handler = match path {
        [] if get                                     => timeline::home,
        ["public"] if get                             => timeline::public,
        ["tags", _] if get                            => timeline::tag,
        ["healthz"] if get                            => pages::healthz,
        ["assets", _] if get                          => pages::asset,
        ["terms"] if get                              => pages::terms,
        ["rules"] if get                              => pages::rules,
        ["terms", "accept"] if get                    => auth::accept_form,
        ["terms", "accept"] if post                   => auth::accept,
        ["signup"] if get                             => auth::signup_form,
        ["signup"] if post                            => auth::signup,
        ["login"] if get                              => auth::login_form,
        ["login"] if post                             => auth::login,
        ["logout"] if post                            => auth::logout,
        ["setup"] if get                              => auth::setup_form,
        ["setup"] if post                             => auth::setup,
        ["posts"] if post                             => posts::create,
        ["posts", _] if get                           => posts::show,
        ["posts", _, "comments"] if post              => posts::comment,
        ["posts", _, "repost"] if post                => posts::repost,
        ["posts", _, "like"] if post                  => posts::like,
        ["posts", _, "unlike"] if post                => posts::unlike,
        ["posts", _, "delete"] if post                => posts::delete,
        ["posts", _, "comment-mode"] if post          => posts::comment_mode,
        ["comments", _, "delete"] if post             => posts::delete_comment,
        ["comments", _, "hide"] if post               => posts::hide_comment,
        ["comments", _, "unhide"] if post             => posts::hide_comment,
        ["comments", _, "remove"] if post             => posts::remove_comment,
        ["complaints"] if post                        => complaints::create,
        ["complaints", "new"] if get                  => complaints::new_form,
        ["complaints", _] if get                      => complaints::status,
        ["media", _] if get                           => media::file,
        ["media", _, "thumb"] if get                  => media::thumb,
        ["notifications"] if get                      => notifications::list,
        ["settings", "profile"] if get                => users::settings_form,
        ["settings", "profile"] if post               => users::settings,
        ["settings", "avatar"] if post                => users::avatar,
        ["settings", "password"] if get               => auth::password_form,
        ["settings", "password"] if post              => auth::change_password,
        ["settings", "export"] if get                 => account::export_page,
        ["settings", "export"] if post                => account::export_start,
        ["settings", "export", _] if get              => account::export_download,
        ["settings", "close"] if get                  => account::close_form,
        ["settings", "close"] if post                 => account::close,
        ["settings", "credit"] if get                 => credit::settings,
        ["settings", "credit", "appeal"] if post      => credit::appeal,
        ["settings", "identity"] if get               => identity::settings,
        ["settings", "identity"] if post              => identity::bind,
        ["settings", "identity", "send"] if post      => identity::send,
        ["settings", "identity", "confirm"] if post   => identity::confirm,
        ["settings", "verification"] if get           => verification::settings,
        ["settings", "verification"] if post          => verification::apply,
        ["verification", "proofs", _] if get          => verification::proof,
        ["password", "set"] if get                    => password::form,
        ["password", "set"] if post                   => password::set,
        [u] if get && u.starts_with('@')              => users::profile,
        [u, "followers"] if get && u.starts_with('@') => users::followers,
        [u, "following"] if get && u.starts_with('@') => users::following,
        [u, "follow"] if post && u.starts_with('@')   => users::follow,
        [u, "unfollow"] if post && u.starts_with('@') => users::unfollow,
        ["admin", rest @ ..]                          => return admin_lookup(method, rest),
        _                                             => return None,
    };
    Some(h)
}

/// The staff panel's routes, under `/admin/`: every staff page checks its
/// role in its handler (R6.5); a 403 is logged in `dispatch`.
#[rustfmt::skip]
fn admin_lookup(method: Method, path: &[&str]) -> Option<Handler> {
    use Method::{Get, Head, Post};
    let get = matches!(method, Get | Head);
    let post = method == Post;
    let h: Handler = match path {
        [] if get                                    => admin::dashboard,
        ["logs"] if get                              => admin::logs,
        ["settings"] if get                          => admin::settings_form,
        ["settings"] if post                         => admin::settings,
        ["identities"] if get                        => identity::admin_list,
        ["identities", _] if get                     => identity::admin_show,
        ["identities", _, "confirm"] if post         => identity::admin_confirm,
        ["identities", _, "reject"] if post          => identity::admin_reject,
        ["identities", _, "recheck"] if post         => identity::admin_recheck,
        ["identities", _, "reveal"] if post          => identity::admin_reveal,
        ["outbox"] if get                            => identity::outbox,
        ["verifications"] if get                     => verification::admin_list,
        ["verifications", _, "approve"] if post      => verification::approve,
        ["verifications", _, "reject"] if post       => verification::reject,
        ["verifications", _, "revoke"] if post       => verification::revoke,
        ["review"] if get                            => moderation::queue,
        ["review"] if post                           => moderation::decide,
        ["posts", _] if get                          => moderation::post_page,
        ["posts", _, "remove"] if post               => moderation::remove_post,
        ["posts", _, "restore"] if post              => moderation::restore_post,
        ["posts", _, "rumour"] if post               => rumours::propose,
        ["comments", _] if get                       => moderation::comment_page,
        ["comments", _, "remove"] if post            => moderation::remove_comment,
        ["comments", _, "restore"] if post           => moderation::restore_comment,
        ["takedown"] if get                          => moderation::takedown_form,
        ["takedown"] if post                         => moderation::takedown,
        ["rumours"] if get                           => rumours::list,
        ["rumours", _, "confirm"] if post            => rumours::confirm,
        ["rumours", _, "decline"] if post            => rumours::decline,
        ["rumours", _, "withdraw"] if post           => rumours::withdraw,
        ["complaints"] if get                        => complaints::queue,
        ["complaints", _] if get                     => complaints::show,
        ["complaints", _, "media", _] if get         => complaints::media,
        ["complaints", _, "assign"] if post          => complaints::assign,
        ["complaints", _, "act"] if post             => complaints::act,
        ["complaints", _, "resolve"] if post         => complaints::resolve,
        ["credit", _] if get                         => credit::admin_show,
        ["credit", _, "adjust"] if post              => credit::adjust,
        ["appeals"] if get                           => credit::appeals,
        ["appeals", _] if post                       => credit::decide,
        ["tiers"] if get                             => tiers::list,
        ["tiers"] if post                            => tiers::add,
        ["tiers", _, "delete"] if post               => tiers::delete,
        ["keywords"] if get                          => keywords::list,
        ["keywords"] if post                         => keywords::add,
        ["keywords", "import"] if post               => keywords::import,
        ["keywords", "export"] if get                => keywords::export,
        ["keywords", _, "delete"] if post            => keywords::delete,
        ["emergency"] if get                         => staff::emergency_form,
        ["emergency"] if post                        => staff::emergency,
        ["evidence"] if get                          => staff::evidence,
        ["evidence", _] if get                       => staff::evidence_record,
        ["users"] if get                             => staff::users,
        ["users", _, "roles"] if post                => staff::set_role,
        ["features"] if get                          => features::list,
        ["features", _, "assess"] if post            => features::assess,
        ["features", _, "switch"] if post            => features::switch,
        ["features", "reports", _] if get            => features::report,
        _                                            => return None,
    };
    Some(h)
}

/// Paths a member who has not accepted the current agreement may still use.
fn allowed_before_accepting(path: &[&str]) -> bool {
    matches!(path, ["terms"] | ["rules"] | ["terms", "accept"] | ["logout"] | ["assets", _] | ["healthz"])
}

/// Handle one request: session, language, CSRF, agreement check, route,
/// and the error page for any error.
pub fn dispatch(app: &App, conn: &Connection, req: Req) -> Resp {
    let now = app.now();
    let mut cookies = Vec::new();
    let user = match req.cookie(SESSION_COOKIE) {
        Some(token) => match db::sessions::lookup(conn, token, now) {
            Ok(u) => u,
            Err(e) => return bare_error(&e),
        },
        None => None,
    };
    let lang = match req.query("lang").and_then(Lang::parse) {
        Some(l) => {
            cookies.push(Cookie {
                name: LANG_COOKIE,
                value: l.code().into(),
                max_age: 365 * 86_400,
                http_only: false,
                secure: false,
            });
            l
        }
        None => req.cookie(LANG_COOKIE).and_then(Lang::parse).unwrap_or(Lang::Zh),
    };
    let csrf = match (&user, req.cookie(CSRF_COOKIE)) {
        (Some(u), _) => u.csrf_token.clone(),
        (None, Some(c)) if c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()) => c.to_string(),
        (None, _) => {
            let token = crate::crypto::random_token();
            cookies.push(Cookie {
                name: CSRF_COOKIE,
                value: token.clone(),
                max_age: 86_400,
                http_only: true,
                secure: false,
            });
            token
        }
    };
    let gov = match app.governance(conn) {
        Ok(g) => g,
        Err(e) => return bare_error(&e),
    };
    let mut ctx = Ctx { app, db: conn, req, user, lang, csrf, now, site: app.site(), gov, cookies };
    let mut resp = match handle(&mut ctx) {
        Ok(r) => r,
        Err(e @ (Error::Forbidden | Error::ForbiddenBecause(_))) => match log_denied(&ctx) {
            Ok(()) => error_response(&ctx, e),
            Err(log_error) => error_response(&ctx, log_error),
        },
        Err(e) => error_response(&ctx, e),
    };
    for c in &ctx.cookies {
        resp = resp.cookie(c);
    }
    resp
}

fn handle(ctx: &mut Ctx) -> Result<Resp> {
    let path: Vec<&str> = ctx.req.path.iter().map(String::as_str).collect();
    let handler = route(ctx.req.method, &path)?;
    if ctx.req.method == Method::Post {
        let sent = ctx.req.field("csrf_token").unwrap_or("");
        if sent.is_empty() || !crate::crypto::constant_time_eq(sent.as_bytes(), ctx.csrf.as_bytes()) {
            return Err(Error::Csrf);
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
    handler(ctx)
}

/// Log a refused request (403) as `access.denied` with its method and path,
/// in one place for every handler: a member who guesses a staff URL gets 403
/// and the attempt is logged (R6.5, R16.1). If the entry cannot be written
/// the request fails with that error instead.
fn log_denied(ctx: &Ctx) -> Result<()> {
    let path: String = ctx.req.raw_url.split('?').next().unwrap_or("").chars().take(300).collect();
    let method = match ctx.req.method {
        Method::Get => "GET",
        Method::Head => "HEAD",
        Method::Post => "POST",
        Method::Other => "OTHER",
    };
    ctx.write(|tx| ctx.log_outcome(tx, "access.denied", &format!("path:{path}"), &format!("forbidden {method}")))
}

/// The response for a handler's error: a login redirect for pages that
/// need a session, otherwise the error page with the error's status.
fn error_response(ctx: &Ctx, e: Error) -> Resp {
    if matches!(e, Error::LoginRequired) && ctx.req.method != Method::Post {
        let q: String =
            percent_encoding::utf8_percent_encode(&ctx.req.raw_url, percent_encoding::NON_ALPHANUMERIC).to_string();
        return Resp::redirect(&format!("/login?next={q}"));
    }
    if e.status() >= 500 {
        eprintln!("plaza: {} {}: {e}", ctx.req.source, ctx.req.raw_url);
    }
    Resp::html(views::error_page(&ctx.chrome(), &e)).status(e.status())
}

/// An error answer for a request that could not even be parsed: plain text,
/// since no session or language is known yet.
pub fn bare_error(e: &Error) -> Resp {
    if e.status() >= 500 {
        eprintln!("plaza: {e}");
    }
    let detail = e.public_detail().map(|d| format!("\n{d}")).unwrap_or_default();
    Resp::text(e.status(), &format!("{} / {}{detail}\n", e.title().zh(), e.title().en()))
}

/// Render a page in the frame (200).
pub fn page(ctx: &Ctx, body: impl FnOnce(&Chrome) -> maud::Markup) -> Result<Resp> {
    Ok(Resp::html(body(&ctx.chrome())))
}

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
) -> Result<std::result::Result<(Option<i64>, Option<i64>, Option<i64>), String>> {
    use crate::domain::dates::{self, Bound};
    let mut out = (None, None, None);
    if !account.is_empty() {
        match db::users::by_username(ctx.db, account.trim_start_matches('@'))? {
            Some(u) => out.0 = Some(u.id),
            None => return Ok(Err(ctx.lang.f(M::LogUnknownAccount, &[&account]))),
        }
    }
    let offset = ctx.app.config.utc_offset_minutes;
    for (text, bound) in [(from, Bound::From), (to, Bound::To)] {
        if text.is_empty() {
            continue;
        }
        match dates::parse(text, offset, bound) {
            Ok(t) if bound == Bound::From => out.1 = Some(t),
            Ok(t) => out.2 = Some(t),
            Err(_) => return Ok(Err(ctx.lang.f(M::LogBadDate, &[&text]))),
        }
    }
    Ok(Ok(out))
}

/// The first path segment after `/@`, the username.
pub fn username_segment<'c>(ctx: &'c Ctx) -> &'c str {
    ctx.req.path.first().map(|s| s.trim_start_matches('@')).unwrap_or("")
}

/// Path segment `i` as an id.
pub fn id_segment(ctx: &Ctx, i: usize) -> Result<i64> {
    crate::http::parse_id(ctx.req.path.get(i).map(String::as_str).unwrap_or(""))
}

/// Does this request hash a password (bcrypt, ~85 ms)? Such requests run in
/// their own lane of workers, so a burst of logins waits its turn without
/// taking the workers that render pages (`server::io`). `raw_path` is the
/// path as sent; a wrong guess costs only the lane, never access.
pub fn hashes_password(post: bool, raw_path: &str) -> bool {
    post && matches!(
        raw_path.trim_end_matches('/'),
        "/login" | "/signup" | "/setup" | "/settings/password" | "/settings/close" | "/password/set"
    )
}
