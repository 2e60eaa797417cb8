//! Cookies and headers (issue 15): on an https site (`public_url`) the
//! session and CSRF cookies are `Secure` with the `__Host-` prefix and
//! every answer carries HSTS; a plain-http site on an address other than
//! loopback warns at start; no answer names the server software.

use crate::common::gov::*;
use crate::common::Server;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn set_cookies(headers: &[(String, String)]) -> Vec<String> {
    headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie")).map(|(_, v)| v.clone()).collect()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

#[test]
fn an_https_site_sends_host_cookies_and_hsts() {
    let s = Server::start_with(&["--public-url", "https://plaza.example.org"], &[]);
    let c = s.client();
    let form = c.get("/login");
    assert_eq!(header(&form.headers, "strict-transport-security"), Some("max-age=31536000"));
    let csrf = set_cookies(&form.headers);
    assert!(csrf.iter().any(|v| v.starts_with("__Host-plaza_csrf=") && v.contains("; Secure") && v.contains("Path=/")));
    assert!(csrf.iter().all(|v| !v.to_ascii_lowercase().contains("domain=")), "{csrf:?}");
    // The browser will not send a Secure cookie over the test's plain http:
    // carry them by hand, as a browser on the https site would.
    let token = csrf.iter().find(|v| v.starts_with("__Host-plaza_csrf=")).unwrap()["__Host-plaza_csrf=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body = format!("username=alice&password=correct+horse&accept_terms=1&csrf_token={token}");
    let r = ureq::AgentBuilder::new()
        .redirects(0)
        .build()
        .post(&format!("{}/signup", s.base))
        .set("Cookie", &format!("__Host-plaza_csrf={token}"))
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string(&body);
    let r = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(r.status(), 303);
    let session: Vec<String> = r.all("set-cookie").into_iter().map(String::from).collect();
    let cookie = session.iter().find(|v| v.starts_with("__Host-plaza_session=")).expect("host cookie");
    assert!(cookie.contains("; Secure") && cookie.contains("; HttpOnly") && cookie.contains("Path=/"), "{cookie}");
    let value = cookie["__Host-plaza_session=".len()..].split(';').next().unwrap();
    let me = s.client().get_raw("/settings/profile", &[("Cookie", &format!("__Host-plaza_session={value}"))]);
    assert_eq!(me.status, 200, "the prefixed cookie signs in");
    let plain = s.client().get_raw("/settings/profile", &[("Cookie", &format!("plaza_session={value}"))]);
    assert_eq!(plain.status, 303, "the unprefixed name is not read on an https site");
    // HSTS on every answer: an error page and a bare refusal too.
    assert!(s.client().get_raw("/nothing", &[]).header("strict-transport-security").is_some());
    assert!(s.client().get_raw("/a/../b", &[]).header("strict-transport-security").is_some());
}

#[test]
fn a_plain_site_sends_no_hsts_and_no_server_banner() {
    let s = Server::start();
    let c = member(&s, "alice");
    let id = c.post_status("hello", "public");
    for path in ["/", "/login", &format!("/posts/{id}"), "/nothing", "/a/../b", "/assets/style.css", "/healthz"] {
        let r = c.get_raw(path, &[]);
        assert!(r.header("server").is_none(), "{path}: {:?}", r.header("server"));
        assert!(r.header("x-powered-by").is_none());
        assert!(r.header("strict-transport-security").is_none(), "{path}: no HSTS over plain http");
    }
    let signed_in = s.client();
    let p = signed_in.post("/login", &[("username", "alice"), ("password", "correct horse")]);
    let cookies = set_cookies(&p.headers);
    let session = cookies.iter().find(|v| v.starts_with("plaza_session=")).expect("plain cookie name");
    assert!(!session.contains("Secure") && session.contains("HttpOnly") && session.contains("SameSite=Lax"));
    // Loopback: no warning.
    assert!(!s.stderr().contains("plain http"), "{}", s.stderr());
}

/// Listening beyond loopback over plain http prints a clear warning.
#[test]
fn plain_http_beyond_loopback_warns_at_start() {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_plaza"))
        .arg("--data")
        .arg(data.path())
        .args(["--listen", "0.0.0.0:0", "--bcrypt-cost", "4"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut warned = String::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines().map_while(Result::ok).take(20) {
        if line.contains("WARNING: serving plain http") {
            warned = line;
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(warned.contains("public_url = \"https://") && warned.contains("127.0.0.1"), "{warned}");
}
