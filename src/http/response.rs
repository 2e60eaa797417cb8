//! Responses: status, headers, body, and the security headers every page gets.

use std::io::Cursor;

/// A `Set-Cookie` to send.
#[derive(Debug, Clone)]
pub struct Cookie {
    pub name: &'static str,
    pub value: String,
    /// Lifetime in seconds; 0 deletes the cookie.
    pub max_age: i64,
    /// Hidden from scripts (session cookie).
    pub http_only: bool,
    /// Only sent over TLS.
    pub secure: bool,
}

impl Cookie {
    fn header(&self) -> String {
        let mut s = format!("{}={}; Path=/; Max-Age={}; SameSite=Lax", self.name, self.value, self.max_age);
        if self.http_only {
            s.push_str("; HttpOnly");
        }
        if self.secure {
            s.push_str("; Secure");
        }
        s
    }
}

/// A response being built.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    /// 200 with an HTML page.
    pub fn html(markup: maud::Markup) -> Resp {
        Resp::with_type(200, "text/html; charset=utf-8", markup.into_string().into_bytes())
    }

    /// A body of any type.
    pub fn with_type(status: u16, content_type: &str, body: Vec<u8>) -> Resp {
        Resp { status, headers: vec![("Content-Type".into(), content_type.into())], body }
    }

    /// Plain text.
    pub fn text(status: u16, body: &str) -> Resp {
        Resp::with_type(status, "text/plain; charset=utf-8", body.as_bytes().to_vec())
    }

    /// 303 See Other to a local path (after a form post).
    pub fn redirect(location: &str) -> Resp {
        let mut r = Resp::text(303, "");
        r.headers.push(("Location".into(), location.into()));
        r
    }

    /// Set the status.
    pub fn status(mut self, status: u16) -> Resp {
        self.status = status;
        self
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Resp {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Add a cookie.
    pub fn cookie(self, c: &Cookie) -> Resp {
        let h = c.header();
        self.header("Set-Cookie", &h)
    }

    /// Into a tiny_http response with the security headers every answer
    /// carries (tiny_http itself leaves the body out for HEAD).
    pub fn into_tiny(self) -> tiny_http::Response<Cursor<Vec<u8>>> {
        let mut r = tiny_http::Response::from_data(self.body).with_status_code(self.status);
        let fixed = [
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            (
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; \
                 object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ];
        let has_cache = self.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("cache-control"));
        for (k, v) in
            fixed.iter().map(|(k, v)| (*k, *v)).chain(self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        {
            if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
                r.add_header(h);
            }
        }
        if !has_cache {
            r.add_header(
                tiny_http::Header::from_bytes(&b"Cache-Control"[..], &b"no-store"[..]).expect("static header"),
            );
        }
        r
    }
}
