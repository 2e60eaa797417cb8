//! Open redirects and header injection (issue 15): every `next` a page
//! takes (login, the agreement, the second factor) stays on the site
//! whatever is sent; CR/LF in a parameter, a cookie value or a username
//! never splits a header.

use crate::common::gov::*;
use crate::common::Server;
use std::io::{Read, Write};

/// `next` values that try to leave the site.
const NEXTS: &[&str] = &[
    "//evil.example",
    "//evil.example/",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    " //evil.example",
    "http://evil.example",
    "https://evil.example",
    "HTTPS://evil.example",
    "https:evil.example",
    "//evil.example@plaza.local",
    "/@evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "evil.example",
    ".evil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "%2F%2Fevil.example",
    "/%09/evil.example",
    "//%65vil.example",
    "/\u{3000}/evil.example",
    "/\u{FF0F}evil.example",
    "／／evil.example",
    "//evil.example\\@plaza.local",
    "/.//evil.example",
    "/./\\evil.example",
    "\u{0000}//evil.example",
    "/\r\nLocation: http://evil.example",
    "/\r\nSet-Cookie: plaza_session=x",
    "",
];

/// Is `location` a path on this site?
fn local(location: &str) -> bool {
    location.starts_with('/')
        && !location.starts_with("//")
        && !location.starts_with("/\\")
        && location.bytes().all(|b| b.is_ascii_graphic())
}

#[test]
fn next_never_leaves_the_site() {
    let s = Server::start();
    let m = member(&s, "alice");
    let mut tried = 0;
    for next in NEXTS {
        // Login.
        m.post("/logout", &[]);
        let p = m.post("/login", &[("username", "alice"), ("password", "correct horse"), ("next", next)]);
        assert_eq!(p.status, 303, "{next:?}");
        let to = p.location.clone().unwrap();
        assert!(local(&to), "login next {next:?} -> {to:?}");
        // The login form carrying it.
        m.post("/logout", &[]);
        let enc = percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC).to_string();
        let form = m.get(&format!("/login?next={enc}"));
        assert!(form.status == 200, "{next:?}: {}", form.status);
        assert!(!form.has("value=\"//") && !form.has("value=\"http") && !form.has("value=\"javascript"), "{next:?}");
        assert_eq!(m.login("alice").status, 303);
        // Accepting the agreement.
        let p = m.post("/terms/accept", &[("accept_terms", "1"), ("next", next)]);
        if let Some(to) = &p.location {
            assert!(local(to), "terms next {next:?} -> {to:?}");
        }
        tried += 3;
    }
    assert!(tried >= 100, "{tried}");
}

/// Send a raw request; the response head.
fn raw(s: &Server, request: &str) -> String {
    let mut t = std::net::TcpStream::connect(s.base.trim_start_matches("http://")).unwrap();
    t.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    t.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = t.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).to_string();
    text.split("\r\n\r\n").next().unwrap_or("").to_string()
}

#[test]
fn no_header_is_split() {
    let s = Server::start();
    member(&s, "alice");
    let host = s.base.trim_start_matches("http://").to_string();
    let injected = |head: &str| {
        head.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("x-injected") || l.starts_with("location: http://evil") || l.contains("plaza_session=x")
        })
    };
    let cases = [
        format!("GET /?lang=en%0d%0aX-Injected:%201 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        format!("GET /login?next=%2F%0d%0aX-Injected:%201 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        format!("GET /settings/profile%0d%0aX-Injected:%201 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        format!("GET /@alice%0d%0aX-Injected:%201 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        format!("GET /tags/a%0d%0aX-Injected:%201 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nCookie: plaza_lang=en%0d%0aX-Injected: 1\r\nConnection: close\r\n\r\n"
        ),
        format!("GET /admin/credit/a%0d%0aX-Injected:%201 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    ];
    for req in &cases {
        let head = raw(&s, req);
        assert!(head.starts_with("HTTP/1.1 "), "{req:?}: {head}");
        assert!(!injected(&head), "{req:?}:\n{head}");
    }
    // A login whose next and username carry CR/LF.
    let body = "username=alice%0d%0aX-Injected:%201&password=correct+horse&next=%2F%0d%0aX-Injected:%201";
    let c = s.client();
    let token = c.csrf();
    let cookie = "plaza_csrf=".to_string() + &token;
    let req = format!(
        "POST /login HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}&csrf_token={token}",
        body.len() + "&csrf_token=".len() + token.len()
    );
    let head = raw(&s, &req);
    assert!(!injected(&head), "{head}");
}
