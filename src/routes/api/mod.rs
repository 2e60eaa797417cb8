//! The Mastodon-compatible client API (issue 19): JSON over bearer tokens,
//! one file per resource, every write through the same `actions` and `Ctx`
//! helpers as the pages. The rows are in [`super::ROUTES`] with access
//! `App`, `Token(scope)` or `TokenVerified(scope)`; the dispatcher has
//! looked the token up (one indexed query) and checked the scope before a
//! handler here runs, and answers every error as `{"error": "..."}`
//! ([`error_response`]).
//!
//! - [`oauth`]: app registration, the consent page, tokens, revocation, `/settings/apps`.
//! - [`instance`]: `/api/v1/instance`, `/api/v2/instance`, custom emojis.
//! - [`accounts`]: accounts, relationships, follows, profile updates.
//! - [`limits`]: per-token and per-account rate limits.
//! - [`media`]: uploads (`/api/v2/media`) through the post form's media checks.
//! - [`notifications`]: notifications and read markers.
//! - [`search`]: `/api/v2/search` through the search page's queries.
//! - [`timelines`]: Status entities of posts; home, public, tag and account timelines.
//! - [`statuses`]: one status, its context, and the writes (post, comment, delete, favourite, reblog).

pub mod accounts;
pub mod instance;
pub mod limits;
pub mod media;
pub mod notifications;
pub mod oauth;
pub mod replays;
pub mod search;
pub mod statuses;
pub mod timelines;

use super::Ctx;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use serde::Serialize;

/// Is a request to `path` answered in JSON: the client API (`/api/...`)
/// and the OAuth endpoints apps call without a browser (`/oauth/token`,
/// `/oauth/revoke`)?
pub fn wants_json(path: &[String]) -> bool {
    match path.first().map(String::as_str) {
        Some("api") => true,
        Some(".well-known") => path.get(1).is_some_and(|p| p == "oauth-authorization-server"),
        Some("oauth") => matches!(path.get(1).map(String::as_str), Some("token" | "revoke")) && path.len() == 2,
        _ => false,
    }
}

/// `value` as a JSON response with `status`.
///
/// # Errors
/// `Internal` if the value does not serialise (a bug: entities are plain data).
pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Result<Resp> {
    // A page of statuses is some 30 KB: start big enough to grow rarely.
    let mut body = Vec::with_capacity(16 * 1024);
    serde_json::to_writer(&mut body, value).map_err(|e| Error::Internal(format!("JSON: {e}")))?;
    Ok(Resp::with_type(status, "application/json; charset=utf-8", body))
}

/// 200 with `value` as JSON.
///
/// # Errors
/// As [`json`].
pub fn ok<T: Serialize + ?Sized>(value: &T) -> Result<Resp> {
    json(200, value)
}

/// The site's own address for links in JSON (`public_url`, else the
/// request's `Host` over http).
pub fn base_url(ctx: &Ctx) -> String {
    let configured = ctx.app.config.public_url.trim().trim_end_matches('/');
    if !configured.is_empty() {
        return configured.to_string();
    }
    let host = ctx.req.header("host").filter(|h| h.bytes().all(|b| b.is_ascii_graphic())).unwrap_or("localhost");
    let scheme = if ctx.req.https { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// A client API error as JSON (`{"error": "..."}`, the words of the page
/// version in the request's language) with its status: 401 with
/// `WWW-Authenticate` for a missing or bad token; 403 with the identity
/// page's URL (`identity_url`) when the identity must be verified first
/// (R7.1); `Retry-After` where the error has one. Never the details of a
/// 500 (logged on the server instead).
pub fn error_response(ctx: &Ctx, e: &Error) -> Resp {
    if e.status() >= 500 {
        eprintln!("plaza: {} {}: {e}", ctx.req.source, ctx.req.raw_url);
    }
    let text = e.public_detail().map(str::to_string).unwrap_or_else(|| ctx.t(e.title()).to_string());
    let mut body = serde_json::json!({ "error": text });
    let mut resp = match e {
        Error::LoginRequired => {
            body = serde_json::json!({ "error": ctx.t(M::ApiTokenInvalid) });
            Resp::with_type(401, "application/json; charset=utf-8", Vec::new())
                .header("WWW-Authenticate", "Bearer realm=\"plaza\", error=\"invalid_token\"")
        }
        Error::IdentityRequired => {
            let url = format!("{}/settings/identity", base_url(ctx));
            body = serde_json::json!({ "error": format!("{text} {url}"), "identity_url": url });
            Resp::with_type(403, "application/json; charset=utf-8", Vec::new())
        }
        _ => Resp::with_type(e.status(), "application/json; charset=utf-8", Vec::new()),
    };
    resp.body = crate::http::Body::Bytes(body.to_string().into_bytes());
    match e.retry_after() {
        Some(s) => resp.header("Retry-After", &s.to_string()),
        None => resp,
    }
}

/// A page of accounts (`followers`, `following`, `favourited_by`,
/// `reblogged_by`: issue 19) as JSON with its `Link` header, as Mastodon
/// pages them: `next` (`max_id`, older) when the page is full or was read
/// from the older end, `prev` (`min_id`, newer) when it has any row. The
/// ids in the links are the rows' cursors (`rows`' second field), not
/// account ids; `shown` are the entities left after the caller's filters.
///
/// # Errors
/// As [`json`].
pub fn people_page<T: Serialize>(
    ctx: &Ctx,
    path: &str,
    rows: &[(crate::db::users::User, i64)],
    w: &crate::db::posts::Window,
    shown: &[T],
) -> Result<Resp> {
    let base = base_url(ctx);
    let limit = w.limit;
    let mut links = Vec::new();
    if let Some((_, oldest)) = rows.last() {
        if rows.len() == limit as usize || w.oldest_first {
            links.push(format!("<{base}{path}?max_id={oldest}&limit={limit}>; rel=\"next\""));
        }
    }
    if let Some((_, newest)) = rows.first() {
        links.push(format!("<{base}{path}?min_id={newest}&limit={limit}>; rel=\"prev\""));
    }
    let resp = ok(shown)?;
    Ok(if links.is_empty() { resp } else { resp.header("Link", &links.join(", ")) })
}

/// The bearer token of a request (`Authorization: Bearer ...`), if any.
pub fn bearer(ctx: &Ctx) -> Option<String> {
    let h = ctx.req.header("authorization")?.trim();
    let (kind, token) = h.split_once(' ')?;
    kind.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string()).filter(|t| !t.is_empty())
}

/// A field of the body or, failing that, of the query (clients send
/// either), empty values as absent.
///
/// # Errors
/// As [`sent_param`].
pub fn param<'c>(ctx: &'c Ctx, name: &str) -> Result<Option<&'c str>> {
    Ok(sent_param(ctx, name)?.filter(|v| !v.is_empty()))
}

/// As [`param`], an empty value kept (a field that clears a text).
///
/// # Errors
/// `Invalid` (422) naming the field when it came as an array or an object
/// (`name[]` or `name[key]` pairs, empty ones too:
/// `http::request::flatten_json`), or more than once (body and query
/// alike): a wrong type is refused, never read as absent or as whichever
/// value came first.
pub fn sent_param<'c>(ctx: &'c Ctx, name: &str) -> Result<Option<&'c str>> {
    let mut values = pairs(ctx).filter(|(k, _)| k == name);
    let (value, again) = (values.next(), values.next());
    if again.is_some() || pairs(ctx).any(|(k, _)| nested(k, name).is_some()) {
        return Err(Error::Invalid(format!("{name}: {}", ctx.t(M::ApiNotSingle))));
    }
    Ok(value.map(|(_, v)| v.as_str()))
}

/// Whether field `name` came at all, as one value, an array or an object.
pub fn sent(ctx: &Ctx, name: &str) -> bool {
    pairs(ctx).any(|(k, _)| k == name || nested(k, name).is_some())
}

/// The body's pairs, then the query's.
fn pairs<'c>(ctx: &'c Ctx) -> impl Iterator<Item = &'c (String, String)> {
    ctx.req.form.iter().chain(ctx.req.query.iter())
}

/// For key `k` of field `name` as an array or object (`name[...]`,
/// `http::request::flatten_json`), what follows the name (`[]`, `[sub]`).
fn nested<'k>(k: &'k str, name: &str) -> Option<&'k str> {
    k.strip_prefix(name).filter(|rest| rest.starts_with('['))
}

/// An integer field, `None` when absent.
///
/// # Errors
/// `Invalid` (422) naming the field when it is not an integer.
pub fn int_param(ctx: &Ctx, name: &str) -> Result<Option<i64>> {
    match param(ctx, name)? {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| Error::Invalid(format!("{name}: {}", ctx.t(M::ApiNotInteger)))),
    }
}

/// Every value of an array field (`name[]`, or `name` repeated).
///
/// # Errors
/// `Invalid` (422) naming the field when an item is itself an array or an
/// object (`name[][...]`) or the field is an object (`name[key]`).
pub fn list_param<'c>(ctx: &'c Ctx, name: &str) -> Result<Vec<&'c str>> {
    if pairs(ctx).any(|(k, _)| nested(k, name).is_some_and(|rest| rest != "[]")) {
        return Err(Error::Invalid(format!("{name}: {}", ctx.t(M::ApiNotList))));
    }
    Ok(pairs(ctx)
        .filter(|(k, _)| k == name || nested(k, name).is_some())
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
        .collect())
}

/// An id in the path that the client sent as a string: 404 (not 400) when
/// it is not one of ours, as Mastodon answers.
///
/// # Errors
/// `NotFound` when the route's `{name}` is missing.
pub fn path_id(ctx: &Ctx, name: &str) -> Result<i64> {
    ctx.path_id(name).map_err(|_| Error::NotFound)
}
