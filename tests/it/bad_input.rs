//! Bad input gets a clear 4xx, the server keeps serving, and nothing
//! already stored changes; other methods on known paths are 405, and a
//! `next` field redirects only to a plain local path.

use crate::common::Server;
use std::io::{Read, Write};

/// Everything a member can see of the site, to compare before and after.
/// What the victim's pages show, without their `<time>` elements: those
/// say how long ago in words and carry the moment the page was made, so
/// they change with the clock, not with what is stored.
fn snapshot(s: &Server) -> String {
    let c = s.client();
    let mut out = String::new();
    for page in ["/public", "/@victim", "/@victim/followers"].iter().map(|p| c.get(p).body) {
        let mut rest = page.as_str();
        while let Some(start) = rest.find("<time") {
            out.push_str(&rest[..start]);
            rest = rest[start..].find("</time>").map_or("", |end| &rest[start + end + "</time>".len()..]);
        }
        out.push_str(rest);
    }
    out
}

fn raw_request(s: &Server, request: &[u8]) -> String {
    let addr = s.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    stream.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn every_bad_input_is_a_clear_4xx_and_changes_nothing() {
    let s = Server::start_with(&["--max-form-bytes", "4096"], &[]);
    let v = s.client();
    v.signup("victim");
    let id = v.post_status("原始内容", "public");
    let before = snapshot(&s);

    // Missing and wrong CSRF tokens.
    let p = v.post_raw("/posts", &[("body", "无令牌"), ("visibility", "public")]);
    assert_eq!(p.status, 403);
    assert!(p.has("表单已过期"), "{}", p.body);
    let p = v.post_raw(&format!("/posts/{id}/delete"), &[("csrf_token", "0000")]);
    assert_eq!(p.status, 403);
    // Another member's token does not work either.
    let other = s.client();
    other.signup("other");
    let theirs = other.csrf();
    assert_eq!(v.post_raw(&format!("/posts/{id}/delete"), &[("csrf_token", &theirs)]).status, 403);

    // Unknown ids and malformed ids.
    assert_eq!(v.get("/posts/999999").status, 404);
    assert_eq!(v.get("/posts/abc").status, 400);
    assert_eq!(v.get("/posts/-1").status, 400);
    assert_eq!(v.get("/posts/99999999999999999999999").status, 400);
    assert_eq!(v.post("/posts/999999/like", &[]).status, 404);
    assert_eq!(v.post("/comments/424242/delete", &[]).status, 404);
    assert_eq!(v.post("/@nobody/follow", &[]).status, 404);
    assert_eq!(v.get("/no/such/page").status, 404);
    assert_eq!(v.post(&format!("/posts/{id}/comments"), &[("body", "x"), ("reply_to", "zz")]).status, 400);

    // Oversized body (cap 4096 bytes here).
    let big = "大".repeat(5000);
    let p = v.post("/posts", &[("body", &big), ("visibility", "public")]);
    assert_eq!(p.status, 413);

    // Invalid UTF-8 in a form and in a path.
    let token = v.csrf();
    let body = format!("csrf_token={token}&visibility=public&body=%FF%FE%FD");
    let p = v.post_bytes("/posts", "application/x-www-form-urlencoded", body.as_bytes());
    assert_eq!(p.status, 400);
    assert_eq!(v.get("/tags/%FF%FE").status, 400);

    // A body that is not a form.
    assert_eq!(v.post_bytes("/posts", "application/json", b"{\"body\":\"x\"}").status, 400);

    // Wrong method.
    assert_eq!(v.post("/public", &[]).status, 405);

    // Path traversal, raw on the wire so no client normalises it.
    for path in ["/assets/../plaza.key", "/assets/%2e%2e/plaza.db", "/assets/..%2fplaza.key", "/../../etc/passwd"] {
        let resp = raw_request(&s, format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes());
        let status = resp.split(' ').nth(1).unwrap_or("");
        assert!(status.starts_with('4'), "{path}: {resp:.200}");
        assert!(!resp.contains("plaza activity") && !resp.contains("root:"), "{path}");
    }

    // A garbled request line does not hurt the server.
    let _ = raw_request(&s, b"\x00\x01GARBAGE\r\n\r\n");

    // The server still serves and nothing changed.
    assert_eq!(v.get("/healthz").body, "ok");
    assert_eq!(snapshot(&s), before);
    assert!(v.get(&format!("/posts/{id}")).has("原始内容"));
}

#[test]
fn error_pages_use_the_site_layout_and_language() {
    let s = Server::start();
    let c = s.client();
    let p = c.get("/posts/777");
    assert_eq!(p.status, 404);
    assert!(p.has("找不到该页面") && p.has("服务协议"), "layout with footer");
    let p = c.get("/posts/777?lang=en");
    assert!(p.has("Page not found"));
}

#[test]
fn next_only_goes_to_plain_local_paths() {
    let s = Server::start();
    let c = s.client();
    c.signup("redirected");
    let id = c.post_status("x", "public");
    for evil in
        ["/\t/evil.example", "/\t\\evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/中"]
    {
        let p = c.post(&format!("/posts/{id}/like"), &[("next", evil)]);
        assert_eq!(p.status, 303, "{evil:?}");
        assert_eq!(p.location.as_deref(), Some(&*format!("/posts/{id}")), "{evil:?}");
    }
    let p = c.post(&format!("/posts/{id}/unlike"), &[("next", "/tags/%E8%AF%9D%E9%A2%98?max_id=3")]);
    assert_eq!(p.location.as_deref(), Some("/tags/%E8%AF%9D%E9%A2%98?max_id=3"), "a real local path is kept");
}

#[test]
fn other_methods_on_known_paths_are_405() {
    let s = Server::start();
    let c = s.client();
    let base = s.base.clone();
    for (m, path) in [("DELETE", "/posts/1"), ("OPTIONS", "/"), ("PUT", "/login")] {
        let r = c.agent.request(m, &format!("{base}{path}")).call();
        let status = match r {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(status, 405, "{m} {path}");
    }
}
