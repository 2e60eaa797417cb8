//! A client API caller (issue 19): no cookies, a bearer token, JSON back;
//! and the OAuth dance a phone app does, driven through the real consent
//! page of a signed-in [`Client`].

use super::{Client, Server};
use serde_json::Value;
use std::io::Read;
use std::time::Duration;

/// One JSON answer.
#[derive(Debug)]
pub struct Json {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    /// The body as sent.
    pub text: String,
}

impl Json {
    /// The value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The `error` text of an error answer ("" if none).
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }
}

/// An API caller: a cookie-less agent and, once it has one, a token.
pub struct Api {
    pub agent: ureq::Agent,
    pub base: String,
    pub token: Option<String>,
}

fn into_json(r: Result<ureq::Response, ureq::Error>) -> Json {
    let (status, headers, resp) = super::client::answered(r);
    let mut text = String::new();
    resp.into_reader().take(10 << 20).read_to_string(&mut text).expect("utf-8 body");
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::Null) };
    Json { status, headers, body, text }
}

impl Api {
    /// A caller without a token.
    pub fn new(s: &Server) -> Api {
        let agent = ureq::AgentBuilder::new().redirects(0).timeout(Duration::from_secs(30)).build();
        Api { agent, base: s.base.clone(), token: None }
    }

    /// The same caller with `token`.
    pub fn with_token(s: &Server, token: &str) -> Api {
        Api { token: Some(token.to_string()), ..Api::new(s) }
    }

    fn request(&self, method: &str, path: &str) -> ureq::Request {
        let rq = self.agent.request(method, &format!("{}{path}", self.base));
        match &self.token {
            Some(t) => rq.set("Authorization", &format!("Bearer {t}")),
            None => rq,
        }
    }

    /// GET a path.
    pub fn get(&self, path: &str) -> Json {
        into_json(self.request("GET", path).call())
    }

    /// A form body with `method`.
    pub fn send(&self, method: &str, path: &str, form: &[(&str, &str)]) -> Json {
        into_json(self.request(method, path).send_form(form))
    }

    /// POST a form.
    pub fn post(&self, path: &str, form: &[(&str, &str)]) -> Json {
        self.send("POST", path, form)
    }

    /// POST a JSON body.
    pub fn post_json(&self, path: &str, body: &Value) -> Json {
        self.send_json("POST", path, body)
    }

    /// A JSON body with `method`.
    pub fn send_json(&self, method: &str, path: &str, body: &Value) -> Json {
        into_json(self.request(method, path).set("Content-Type", "application/json").send_string(&body.to_string()))
    }

    /// POST `multipart/form-data`: text `fields`, then `files` as (field,
    /// file name, bytes); no CSRF token (a bearer request carries none).
    pub fn post_multipart(&self, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Json {
        self.send_multipart("POST", path, fields, files)
    }

    /// `multipart/form-data` with `method` (a phone app's `PATCH` of
    /// `update_credentials` with an avatar).
    pub fn send_multipart(
        &self,
        method: &str,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Json {
        let (ct, body) = super::multipart_body(fields, files);
        into_json(self.request(method, path).set("Content-Type", &ct).send_bytes(&body))
    }

    /// DELETE a path.
    pub fn delete(&self, path: &str) -> Json {
        into_json(self.request("DELETE", path).call())
    }

    /// POST a form with one more header (`Idempotency-Key`).
    pub fn post_with(&self, path: &str, header: (&str, &str), form: &[(&str, &str)]) -> Json {
        into_json(self.request("POST", path).set(header.0, header.1).send_form(form))
    }
}

/// A registered app's credentials.
pub struct AppCreds {
    pub client_id: String,
    pub client_secret: String,
}

/// Register an app named `name` with `redirect` and `scopes`.
pub fn register_app(s: &Server, name: &str, redirect: &str, scopes: &str) -> AppCreds {
    let r = Api::new(s).post("/api/v1/apps", &[("client_name", name), ("redirect_uris", redirect), ("scopes", scopes)]);
    assert_eq!(r.status, 200, "{}", r.text);
    AppCreds {
        client_id: r.body["client_id"].as_str().unwrap().into(),
        client_secret: r.body["client_secret"].as_str().unwrap().into(),
    }
}

/// A PKCE pair: RFC 7636 Appendix B's verifier and its S256 challenge.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// Percent-encode a query value.
pub fn enc(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// The consent page for `app`, as `member` sees it, and the approval: the
/// code the redirect carries (with `state` checked).
pub fn approve(member: &Client, app: &AppCreds, redirect: &str, scopes: &str) -> String {
    let q = format!(
        "/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&scope={}&state=st8&code_challenge={CHALLENGE}&code_challenge_method=S256",
        enc(&app.client_id),
        enc(redirect),
        enc(scopes)
    );
    let page = member.get(&q);
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page.csrf().expect("a consent form");
    let p = member.post_raw(
        "/oauth/authorize",
        &[
            ("csrf_token", &csrf),
            ("client_id", &app.client_id),
            ("redirect_uri", redirect),
            ("response_type", "code"),
            ("scope", scopes),
            ("state", "st8"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("decision", "approve"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let loc = p.location.unwrap();
    assert!(loc.starts_with(redirect), "{loc}");
    assert!(loc.contains("state=st8"), "{loc}");
    let code = loc.split("code=").nth(1).unwrap().split('&').next().unwrap();
    code.to_string()
}

/// The whole dance: a token of `member` for a new app with `scopes`.
pub fn token_for(s: &Server, member: &Client, app_name: &str, scopes: &str) -> String {
    let redirect = "https://app.example/callback";
    let app = register_app(s, app_name, redirect, scopes);
    let code = approve(member, &app, redirect, scopes);
    let t = Api::new(s).post(
        "/oauth/token",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("redirect_uri", redirect),
            ("code", &code),
            ("code_verifier", VERIFIER),
        ],
    );
    assert_eq!(t.status, 200, "{}", t.text);
    t.body["access_token"].as_str().unwrap().to_string()
}

/// A member signed up as `name` (`gov::member`) and an API caller holding a
/// token of theirs for `scopes`.
pub fn member_api(s: &Server, name: &str, scopes: &str) -> (Client, Api) {
    let c = super::gov::member(s, name);
    let api = Api::with_token(s, &token_for(s, &c, "App", scopes));
    (c, api)
}
