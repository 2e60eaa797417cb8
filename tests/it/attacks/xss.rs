//! Cross-site scripting (issue 15): a list of 60 payloads (script tags,
//! event handlers, attribute breakers, `javascript:` and `data:` links,
//! SVG and MathML, encodings, template syntax, full-width look-alikes)
//! stored through every text a member, a visitor or staff can leave
//! (post, comment, display name, bio, complaint, keyword rule, removal
//! reason, credit reason, user agent in the log) and reflected through
//! the query parameters pages echo, then read back on the public pages
//! and the admin pages. A payload with markup never comes back as markup.

use crate::common::gov::*;
use crate::common::{with_admin, Client};

pub const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=javascript&colon;alert(1)>x</a>",
    "<object data=\"data:text/html,<script>alert(1)</script>\">",
    "<embed src=javascript:alert(1)>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<style>@import '//evil.example/x.css';</style>",
    "<meta http-equiv=refresh content=\"0;url=//evil.example\">",
    "<base href=//evil.example/>",
    "<form action=//evil.example><button>x</button></form>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">",
    "\"><script>alert(1)</script>",
    "'><script>alert(1)</script>",
    "\" onmouseover=\"alert(1)",
    "' onmouseover='alert(1)",
    "\" autofocus onfocus=\"alert(1)",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1)//<</script>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}",
    "<img src=`x` onerror=`alert(1)`>",
    "<x onclick=alert(1)>click",
    "<svg/onload=alert(1)>",
    "<img/src/onerror=alert(1)>",
    "＜script＞alert(1)＜/script＞",
    "<scr\u{0}ipt>alert(1)</script>",
    "<img src=x\u{200B}onerror=alert(1)>",
    "\u{202E}<script>alert(1)</script>",
    "#<script>alert(1)</script>#",
    "@<img src=x onerror=alert(1)>",
    "https://a.example/\"><script>alert(1)</script>",
    "http://a.example/?q=<script>alert(1)</script>",
];

/// Whatever in `page` would run: the payload verbatim when it holds
/// markup or quotes, or, inside any tag of the page (text is escaped, so
/// every raw `<` opens a real element), an event handler, a script or
/// frame element, or a `javascript:`/`data:` target.
fn finding(page: &str, payload: &str) -> Option<String> {
    // `'` and a backtick are harmless as text: every attribute is quoted with `"`.
    let markup = payload.contains('<') || payload.contains('"');
    if markup && page.contains(payload) {
        return Some(format!("verbatim: {payload:?}"));
    }
    let mut rest = page;
    while let Some(i) = rest.find('<') {
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let tag = rest[i..tag_end].to_ascii_lowercase();
        rest = &rest[tag_end..];
        // The tag outside its quoted attribute values (Plaza always quotes
        // with `"` and escapes a `"` inside as `&quot;`), and those values.
        let (mut bare, mut values, mut quoted, mut cur) = (String::new(), Vec::new(), false, String::new());
        for ch in tag.chars() {
            match (ch, quoted) {
                ('"', false) => quoted = true,
                ('"', true) => {
                    quoted = false;
                    values.push((bare.clone(), std::mem::take(&mut cur)));
                }
                (c, true) => cur.push(c),
                (c, false) => bare.push(c),
            }
        }
        let name: String =
            bare[1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!').collect();
        let handler = bare.split(|c: char| c.is_whitespace() || c == '/').any(|w| {
            w.strip_prefix("on")
                .and_then(|r| r.split_once('='))
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphabetic()))
        });
        let own_script = name == "script" && values.iter().any(|(_, v)| v.starts_with("/assets/"));
        // The frame's own: charset, viewport, and the theme colour (issue 18).
        let own_meta = name == "meta"
            && (bare.contains("charset") || values.iter().any(|(_, v)| v == "viewport" || v == "theme-color"));
        let bad_element = matches!(
            name.as_str(),
            "script" | "iframe" | "object" | "embed" | "svg" | "math" | "base" | "meta" | "style"
        ) && !own_script
            && !own_meta;
        let bad_target = values.iter().any(|(before, v)| {
            let attr = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
            matches!(attr, "href=" | "src=" | "action=" | "formaction=" | "srcdoc=")
                && (v.trim_start().starts_with("javascript:")
                    || v.trim_start().starts_with("vbscript:")
                    || v.trim_start().starts_with("data:")
                    || attr == "srcdoc=")
        });
        if handler || bad_element || bad_target {
            return Some(format!("{tag} for {payload:?}"));
        }
    }
    None
}

struct Sweep {
    failures: Vec<String>,
    pages: usize,
}

impl Sweep {
    fn look(&mut self, c: &Client, path: &str, payload: &str) {
        let p = c.get(path);
        assert!(p.status < 500, "GET {path}: {}", p.status);
        if let Some(f) = finding(&p.body, payload) {
            self.failures.push(format!("{path}: {f}"));
        }
        self.pages += 1;
    }
}

#[test]
fn payloads_never_come_back_as_markup() {
    assert!(PAYLOADS.len() >= 50);
    let (s, admin) = with_admin();
    for r in ["reviewer", "chief_editor"] {
        admin.post("/admin/users/admin/roles", &[("role", r), ("action", "grant")]);
    }
    admin.get("/?lang=en");
    let alice = member(&s, "alice");
    let anon = s.client();
    let mut sw = Sweep { failures: Vec::new(), pages: 0 };
    let enc = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        // Stored by a member: a post, a comment, the profile.
        let p = alice.post("/posts", &[("body", payload), ("visibility", "public")]);
        assert!(p.status < 500, "post {payload:?}");
        let post = count(&s, "SELECT max(id) FROM posts");
        alice.post(&format!("/posts/{post}/comments"), &[("body", payload)]);
        let p = alice.post("/settings/profile", &[("display_name", payload), ("bio", payload)]);
        assert!(p.status < 500, "profile {payload:?}");
        // Stored by a visitor: a complaint about the post.
        let c = anon.post(
            "/complaints",
            &[("target", &format!("post:{post}")), ("category", "other"), ("body", payload), ("contact", payload)],
        );
        assert!(c.status < 500);
        let complaint = count(&s, "SELECT max(id) FROM complaints");
        // Stored by staff: a keyword rule, a removal reason, a credit reason.
        admin.post(
            "/admin/keywords",
            &[("pattern", &format!("{payload}{i}")), ("category", payload), ("action", "flag")],
        );
        admin.post("/admin/credit/alice/adjust", &[("delta", "1"), ("reason", payload)]);
        // Through the user agent into the activity log.
        let ua_client = Client {
            agent: ureq::AgentBuilder::new().redirects(0).user_agent(&payload.replace(['\u{0}'], "")).build(),
            base: s.base.clone(),
            data: s.data.path().to_path_buf(),
        };
        ua_client.get("/login");
        ua_client.post("/login", &[("username", "nobody"), ("password", "wrong password")]);

        for path in [
            "/public".to_string(),
            "/".to_string(),
            "/@alice".to_string(),
            format!("/posts/{post}"),
            "/notifications".to_string(),
        ] {
            sw.look(&alice, &path, payload);
        }
        sw.look(&anon, &format!("/posts/{post}"), payload);
        for path in [
            format!("/admin/posts/{post}"),
            format!("/admin/complaints/{complaint}"),
            "/admin/complaints".to_string(),
            "/admin/keywords".to_string(),
            "/admin/credit/alice".to_string(),
            "/admin/users?q=alice".to_string(),
            "/admin/logs".to_string(),
            "/admin/review?kind=flag".to_string(),
        ] {
            sw.look(&admin, &path, payload);
        }
        if i % 6 == 0 {
            // A removal with the payload as its reason, and the evidence pages.
            admin.post(&format!("/admin/posts/{post}/remove"), &[("reason", payload), ("category", payload)]);
            sw.look(&admin, "/admin/evidence", payload);
            sw.look(&alice, "/notifications", payload);
        }
        // Reflected.
        let e = enc(payload);
        for path in [
            format!("/admin/users?q={e}"),
            format!("/admin/logs?account={e}&action={e}&ip={e}&from={e}"),
            format!("/admin/takedown?keyword={e}"),
            format!("/admin/evidence?account={e}"),
            format!("/admin/identities?status={e}"),
            format!("/tags/{e}"),
            format!("/complaints/new?target={e}"),
            format!("/login?next={e}"),
            format!("/public?lang={e}"),
        ] {
            sw.look(&admin, &path, payload);
        }
        sw.look(&anon, &format!("/login?next={e}"), payload);
        sw.look(&anon, &format!("/complaints/{e}"), payload);
    }
    assert!(
        sw.failures.is_empty(),
        "{} findings in {} pages:\n{}",
        sw.failures.len(),
        sw.pages,
        sw.failures.join("\n")
    );
    assert!(sw.pages >= 1000, "{} pages", sw.pages);
}

/// The detector itself finds what it must (a sweep that cannot fail
/// proves nothing) and passes what Plaza's own pages hold.
#[test]
fn the_detector_finds_injected_markup() {
    for (page, payload) in [
        ("<p><img src=x onerror=alert(1)></p>", "x"),
        ("<a href=\"javascript:alert(1)\">x</a>", "x"),
        ("<a href=\" JAVASCRIPT:alert(1)\">x</a>", "x"),
        ("<div onclick=\"x\">", "x"),
        ("<svg/onload=alert(1)>", "x"),
        ("<iframe srcdoc=\"&lt;b&gt;\">", "x"),
        ("<p>\"><b>x</b></p>", "\"><b>x</b>"),
        ("<script>alert(1)</script>", "x"),
    ] {
        assert!(finding(page, payload).is_some(), "{page}");
    }
    for page in [
        "<script src=\"/assets/app.js?v=1\" defer></script><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"x\">",
        "<meta name=\"theme-color\" content=\"#d9480f\">",
        "<input type=\"text\" name=\"q\" value=\"&lt;img src=x onerror=alert(1)&gt;\">",
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; ' onmouseover='alert(1)</p>",
        "<a href=\"https://a.example/?q=%3Cscript%3E\" rel=\"nofollow\">x</a>",
    ] {
        assert_eq!(finding(page, "<script>alert(1)</script>"), None, "{page}");
    }
}
