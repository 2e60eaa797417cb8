//! OAuth 2.0 as Mastodon clients use it (issue 19): an app registers
//! (`POST /api/v1/apps`), sends the member to `GET /oauth/authorize`
//! (Plaza's own login when signed out, then a consent page naming the app
//! and the scopes), gets a one-time code (shown on a page for the
//! out-of-band URI, else sent to its redirect URI with `state`), and trades
//! it at `POST /oauth/token` for a bearer token, proving the PKCE S256
//! verifier when it sent a challenge (`plain` is refused). Apps also get
//! tokens of their own (`client_credentials`); there is no password grant.
//! Codes, tokens and secrets are kept as SHA-256 only. `/settings/apps`
//! lists the apps a member authorised and revokes them. Every issue and
//! revocation is logged (R16.1).

use super::{json, ok, param};
use crate::db::{self, oauth::Code};
use crate::domain::oauth::{self as rules, OOB};
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::routes::{page, Ctx};
use crate::views::oauth as view;
use serde_json::json as j;

/// How long an authorization code may be traded (seconds).
const CODE_LIFETIME: i64 = 600;
/// The longest app name kept, in characters.
const NAME_MAX: usize = 100;

/// An OAuth error answer (RFC 6749 §5.2): `{"error", "error_description"}`.
fn oauth_error(status: u16, error: &str, description: &str) -> Result<Resp> {
    json(status, &j!({ "error": error, "error_description": description }))
}

/// # `POST /api/v1/apps` — register an app.
///
/// Fields: `client_name` (required), `redirect_uris` (one or more absolute
/// URIs or `urn:ietf:wg:oauth:2.0:oob`, as a string separated by new lines
/// or as an array), `scopes` (default `read`), `website`. Answers the
/// Application entity with `client_id` and `client_secret` (shown once).
///
/// # Errors
/// 422 naming the field that is missing or wrong.
pub fn register(ctx: &mut Ctx) -> Result<Resp> {
    let name: String = param(ctx, "client_name")?.unwrap_or("").trim().chars().take(NAME_MAX).collect();
    if name.is_empty() {
        return Err(Error::Invalid(format!("client_name: {}", ctx.t(M::ApiFieldMissing))));
    }
    let mut uris: Vec<String> = super::list_param(ctx, "redirect_uris")?
        .iter()
        .flat_map(|v| v.split(['\n', ' ']))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect();
    uris.dedup();
    if uris.is_empty() {
        return Err(Error::Invalid(format!("redirect_uris: {}", ctx.t(M::ApiFieldMissing))));
    }
    if let Some(bad) = uris.iter().find(|u| !rules::redirect_uri_ok(u) || u.len() > 2000) {
        return Err(Error::Invalid(format!("redirect_uris: {} {bad}", ctx.t(M::ApiBadRedirectUri))));
    }
    let scopes = rules::parse(param(ctx, "scopes")?.unwrap_or("read"))
        .map_err(|s| Error::Invalid(format!("scopes: {} {s}", ctx.t(M::ApiUnknownScope))))?;
    let website: String = param(ctx, "website")?.unwrap_or("").trim().chars().take(500).collect();
    let website =
        if website.starts_with("https://") || website.starts_with("http://") { website } else { String::new() };
    let client_id = crate::crypto::random_token()[..43].to_string();
    let client_secret = crate::crypto::random_token();
    let id = ctx.write(|tx| {
        let new = db::oauth::NewApp {
            client_id: &client_id,
            client_secret: &client_secret,
            name: &name,
            website: &website,
            redirect_uris: &uris,
            scopes: &scopes,
        };
        let id = db::oauth::create_app(tx, &new, ctx.now)?;
        ctx.log(tx, "api.app_register", &format!("app:{id}"))?;
        Ok(id)
    })?;
    ok(&j!({
        "id": id.to_string(),
        "name": name,
        "website": if website.is_empty() { None } else { Some(&website) },
        "scopes": scopes,
        "redirect_uri": uris.join("\n"),
        "redirect_uris": uris,
        "client_id": client_id,
        "client_secret": client_secret,
        "client_secret_expires_at": 0,
        "vapid_key": "",
    }))
}

/// An authorization request, checked: what the consent page shows and
/// the approval stores.
pub struct Request {
    pub app: db::oauth::App,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    /// The PKCE S256 challenge, if the app sent one.
    pub challenge: Option<String>,
}

/// Check the authorization request in the query (`GET`) or form (`POST`).
///
/// # Errors
/// `BadRequest` (a page, never a redirect: the redirect URI is not to be
/// trusted yet) for an unknown client, a redirect URI it did not register,
/// a response type other than `code`, an unknown or unregistered scope, or
/// a PKCE challenge that is not S256.
fn checked_request(ctx: &Ctx) -> Result<Request> {
    let bad = |m: M, what: &str| Error::BadRequest(format!("{} {what}", ctx.t(m)));
    let client_id = param(ctx, "client_id")?.unwrap_or("");
    let app = db::oauth::app_by_client_id(ctx.db, client_id)?.ok_or_else(|| bad(M::ApiUnknownClient, ""))?;
    let redirect_uri = match param(ctx, "redirect_uri")? {
        Some(u) => u.to_string(),
        None if app.redirect_uris.len() == 1 => app.redirect_uris[0].clone(),
        None => return Err(bad(M::ApiBadRedirectUri, "")),
    };
    if !app.redirect_uris.contains(&redirect_uri) {
        return Err(bad(M::ApiBadRedirectUri, &redirect_uri));
    }
    if param(ctx, "response_type")?.unwrap_or("code") != "code" {
        return Err(bad(M::ApiResponseType, ""));
    }
    let scopes = rules::parse(param(ctx, "scope")?.or(param(ctx, "scopes")?).unwrap_or("read"))
        .map_err(|s| bad(M::ApiUnknownScope, &s))?;
    if !rules::within(&scopes, &app.scopes) {
        return Err(bad(M::ApiScopeNotRegistered, &scopes.join(" ")));
    }
    let challenge = match param(ctx, "code_challenge")? {
        Some(c) => {
            rules::challenge_method(param(ctx, "code_challenge_method")?)
                .map_err(|m| Error::BadRequest(m.to_string()))?;
            if !rules::challenge_ok(c) {
                return Err(bad(M::ApiBadChallenge, ""));
            }
            Some(c.to_string())
        }
        None => None,
    };
    let state = param(ctx, "state")?.map(|s| s.chars().take(1000).collect());
    Ok(Request { app, redirect_uri, scopes, state, challenge })
}

/// # `GET /oauth/authorize` — the consent page: which app asks, for which
/// scopes in words, approve or deny (the table sends a signed-out visitor
/// to log in first and back here).
pub fn authorize_form(ctx: &mut Ctx) -> Result<Resp> {
    let r = checked_request(ctx)?;
    let mut hidden = vec![
        ("client_id", r.app.client_id.clone()),
        ("redirect_uri", r.redirect_uri.clone()),
        ("response_type", "code".to_string()),
        ("scope", r.scopes.join(" ")),
    ];
    if let Some(s) = &r.state {
        hidden.push(("state", s.clone()));
    }
    if let Some(ch) = &r.challenge {
        hidden.push(("code_challenge", ch.clone()));
        hidden.push(("code_challenge_method", "S256".into()));
    }
    let consent = view::Consent { app_name: &r.app.name, website: &r.app.website, scopes: &r.scopes, hidden };
    let resp = page(ctx, |c| view::consent(c, &consent))?;
    // Browsers check the form's CSP on the redirect to the app.
    Ok(match rules::csp_source(&r.redirect_uri) {
        Some(source) => resp.allow_form_action(&source),
        None => resp,
    })
}

/// `uri` with `pairs` added to its query.
fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    // RFC 3986 unreserved characters stay as they are.
    const QUERY: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    let mut out = uri.to_string();
    for (k, v) in pairs {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(k);
        out.push('=');
        out.push_str(&utf8_percent_encode(v, QUERY).to_string());
    }
    out
}

/// # `POST /oauth/authorize` — approve (`decision=approve`) or deny.
///
/// Approval stores a one-time code for ten minutes and sends it to the
/// app: shown on a page for the out-of-band URI, else a 303 to the
/// redirect URI with `code` and `state`. Denial sends `error=access_denied`.
pub fn authorize(ctx: &mut Ctx) -> Result<Resp> {
    let r = checked_request(ctx)?;
    let user = ctx.user()?.id;
    let state = r.state.clone().unwrap_or_default();
    let mut back: Vec<(&str, &str)> = Vec::new();
    if ctx.req.field("decision") != Some("approve") {
        ctx.write(|tx| ctx.log_outcome(tx, "api.authorize", &format!("app:{}", r.app.id), "denied"))?;
        if r.redirect_uri == OOB {
            return page(ctx, |c| view::denied(c, &r.app.name));
        }
        back.push(("error", "access_denied"));
        if r.state.is_some() {
            back.push(("state", &state));
        }
        return Ok(Resp::redirect(&with_query(&r.redirect_uri, &back)));
    }
    let code = crate::crypto::random_token();
    let stored = Code {
        app_id: r.app.id,
        user_id: user,
        redirect_uri: r.redirect_uri.clone(),
        scopes: r.scopes.clone(),
        challenge: r.challenge.clone(),
    };
    ctx.write(|tx| {
        db::oauth::create_code(tx, &code, &stored, ctx.now + CODE_LIFETIME)?;
        ctx.log_outcome(tx, "api.authorize", &format!("app:{}", r.app.id), &format!("ok: {}", r.scopes.join(" ")))
    })?;
    if r.redirect_uri == OOB {
        return page(ctx, |c| view::show_code(c, &r.app.name, &code));
    }
    back.push(("code", &code));
    if r.state.is_some() {
        back.push(("state", &state));
    }
    Ok(Resp::redirect(&with_query(&r.redirect_uri, &back)))
}

/// The client's credentials: `client_id`/`client_secret` fields, or HTTP
/// Basic authentication (RFC 6749 §2.3.1).
///
/// # Errors
/// `Invalid` (422) for a field sent as an array or object.
fn client_credentials(ctx: &Ctx) -> Result<(String, String)> {
    use base64::Engine;
    if let Some(basic) = ctx.req.header("authorization").and_then(|h| h.strip_prefix("Basic ")) {
        if let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(basic.trim()) {
            if let Some((id, secret)) = String::from_utf8_lossy(&raw).split_once(':') {
                return Ok((id.to_string(), secret.to_string()));
            }
        }
    }
    Ok((param(ctx, "client_id")?.unwrap_or("").to_string(), param(ctx, "client_secret")?.unwrap_or("").to_string()))
}

/// The Token entity.
fn token_entity(token: &str, scopes: &[String], now: i64) -> Result<Resp> {
    ok(&j!({ "access_token": token, "token_type": "Bearer", "scope": scopes.join(" "), "created_at": now }))
}

/// # `POST /oauth/token` — trade a code (`authorization_code`, with
/// `code_verifier` when the authorization sent a challenge) or the app's
/// own credentials (`client_credentials`) for a bearer token. JSON or form
/// bodies.
///
/// # Errors
/// OAuth errors, never a page: 400 `unsupported_grant_type` (the password
/// grant among them), 401 `invalid_client`, 400 `invalid_grant` for a
/// code that is unknown, used, expired, of another app or redirect URI, or
/// whose PKCE verifier does not match (the code is used up either way),
/// 400 `invalid_scope`.
pub fn token(ctx: &mut Ctx) -> Result<Resp> {
    let grant = param(ctx, "grant_type")?.unwrap_or("").to_string();
    if grant != "authorization_code" && grant != "client_credentials" {
        return oauth_error(400, "unsupported_grant_type", ctx.t(M::ApiGrantUnsupported));
    }
    let (client_id, secret) = client_credentials(ctx)?;
    let app = match db::oauth::app_by_client_id(ctx.db, &client_id)? {
        Some(a) if db::oauth::secret_matches(&a, &secret) => a,
        _ => return oauth_error(401, "invalid_client", ctx.t(M::ApiUnknownClient)),
    };
    let token = crate::crypto::random_token();
    if grant == "client_credentials" {
        let scopes = match rules::parse(param(ctx, "scope")?.unwrap_or("read")) {
            Ok(s) if rules::within(&s, &app.scopes) => s,
            _ => return oauth_error(400, "invalid_scope", ctx.t(M::ApiScopeNotRegistered)),
        };
        ctx.write(|tx| {
            db::oauth::create_token(tx, &token, app.id, None, &scopes, ctx.now)?;
            ctx.log_outcome(tx, "api.token", &format!("app:{}", app.id), "ok: client_credentials")
        })?;
        return token_entity(&token, &scopes, ctx.now);
    }
    let code = param(ctx, "code")?.unwrap_or("").to_string();
    let redirect_uri = param(ctx, "redirect_uri")?.map(str::to_string);
    let verifier = param(ctx, "code_verifier")?.map(str::to_string);
    let outcome = ctx.write(|tx| {
        let Some(c) = db::oauth::take_code(tx, &code, ctx.now)? else { return Ok(Err(M::ApiBadCode)) };
        let refused = if c.app_id != app.id {
            Some(M::ApiBadCode)
        } else if redirect_uri.as_deref().is_some_and(|u| u != c.redirect_uri) {
            Some(M::ApiBadRedirectUri)
        } else {
            match (&c.challenge, &verifier) {
                (Some(ch), Some(v)) if rules::verify_s256(v, ch) => None,
                (Some(_), _) => Some(M::ApiBadVerifier),
                (None, _) => None,
            }
        };
        if let Some(m) = refused {
            ctx.log_outcome(tx, "api.token", &format!("app:{}", app.id), "refused: invalid_grant")?;
            return Ok(Err(m));
        }
        db::oauth::create_token(tx, &token, app.id, Some(c.user_id), &c.scopes, ctx.now)?;
        db::log::append(
            tx,
            &ctx.app.keys.audit,
            &crate::db::log::Source { account_id: Some(c.user_id), ..ctx.source() },
            ctx.now,
            "api.token",
            &format!("app:{}", app.id),
            "ok: authorization_code",
        )?;
        Ok(Ok(c.scopes))
    })?;
    match outcome {
        Ok(scopes) => token_entity(&token, &scopes, ctx.now),
        Err(m) => oauth_error(400, "invalid_grant", ctx.t(m)),
    }
}

/// # `POST /oauth/revoke` — an app revokes one of its tokens (RFC 7009:
/// the answer is `{}` whether or not the token was live).
///
/// # Errors
/// 401 `invalid_client` for wrong client credentials.
pub fn revoke(ctx: &mut Ctx) -> Result<Resp> {
    let (client_id, secret) = client_credentials(ctx)?;
    let app = match db::oauth::app_by_client_id(ctx.db, &client_id)? {
        Some(a) if db::oauth::secret_matches(&a, &secret) => a,
        _ => return oauth_error(401, "invalid_client", ctx.t(M::ApiUnknownClient)),
    };
    let token = param(ctx, "token")?.unwrap_or("").to_string();
    ctx.write(|tx| {
        if db::oauth::revoke(tx, &token, app.id)? {
            ctx.log(tx, "api.revoke", &format!("app:{}", app.id))?;
        }
        Ok(())
    })?;
    ok(&j!({}))
}

/// # `GET /settings/apps` — the apps this member authorised, with their
/// scopes and a button to revoke each.
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    let apps = db::oauth::authorised(ctx.db, ctx.user()?.id)?;
    let revoked = ctx.req.query("revoked").is_some();
    page(ctx, |c| view::settings(c, &apps, revoked))
}

/// # `POST /settings/apps/{id}/revoke` — revoke every token of app `id`
/// for this member.
///
/// # Errors
/// `NotFound` when the member holds no token of that app.
pub fn settings_revoke(ctx: &mut Ctx) -> Result<Resp> {
    let user = ctx.user()?.id;
    let app = ctx.path_id("id")?;
    ctx.write(|tx| {
        let n = db::oauth::revoke_app(tx, user, app)?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        ctx.log_outcome(tx, "api.app_revoke", &format!("app:{app}"), &format!("ok: {n} tokens"))
    })?;
    Ok(Resp::redirect("/settings/apps?revoked=1"))
}

/// # `GET /.well-known/oauth-authorization-server` (RFC 8414, as Mastodon
/// 4.3 serves it): where the endpoints are, the scopes, S256 only, and no
/// password grant, so clients pick the right flow.
pub fn server_info(ctx: &mut Ctx) -> Result<Resp> {
    let base = super::base_url(ctx);
    let scopes: Vec<&str> = rules::TOP.iter().chain(rules::SUB.iter()).copied().collect();
    ok(&j!({
        "issuer": format!("{base}/"),
        "service_documentation": format!("{base}/terms"),
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "scopes_supported": scopes,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]
    }))
}
