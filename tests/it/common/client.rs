//! A browser-like client: cookie jar, CSRF-aware form posts, multipart
//! uploads, no automatic redirects; and what it gets back.

use std::io::Read;
use std::path::PathBuf;

/// One answer.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl Page {
    /// Does the body contain `s`?
    pub fn has(&self, s: &str) -> bool {
        self.body.contains(s)
    }

    /// The value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The first `csrf_token` value in the page's forms.
    pub fn csrf(&self) -> Option<String> {
        let i = self.body.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
        Some(self.body[i..].split('"').next()?.to_string())
    }
}

/// A browser: cookie jar, no automatic redirects.
pub struct Client {
    pub agent: ureq::Agent,
    pub base: String,
    /// The server's data folder, where the outbox of one-time codes is.
    pub data: PathBuf,
}

/// An answer whatever its status (4xx and 5xx are answers too): the
/// status, every header as (name, value), and the response for its body.
/// Panics on a transport error.
pub(crate) fn answered(r: Result<ureq::Response, ureq::Error>) -> (u16, Vec<(String, String)>, ureq::Response) {
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    };
    let headers = resp
        .headers_names()
        .into_iter()
        .flat_map(|n| resp.all(&n).into_iter().map(|v| (n.clone(), v.to_string())).collect::<Vec<_>>())
        .collect();
    (resp.status(), headers, resp)
}

fn into_page(r: Result<ureq::Response, ureq::Error>) -> Page {
    let (status, headers, resp) = answered(r);
    let location = resp.header("location").map(String::from);
    let mut body = String::new();
    resp.into_reader().take(10 << 20).read_to_string(&mut body).expect("utf-8 body");
    Page { status, body, location, headers }
}

impl Client {
    /// GET a path.
    pub fn get(&self, path: &str) -> Page {
        into_page(self.agent.get(&format!("{}{path}", self.base)).call())
    }

    /// The CSRF token this browser's forms carry now.
    pub fn csrf(&self) -> String {
        // Signed in, every page has the logout form; signed out, the login page has a form.
        self.get("/terms").csrf().or_else(|| self.get("/login").csrf()).expect("a page with a form")
    }

    /// POST a form with this browser's CSRF token added.
    pub fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_raw(path, &all)
    }

    /// POST a form with the CSRF token, sent from the page at `from` (a
    /// path: the `Referer` a browser sends), as a refused staff form is
    /// shown again on its page (issue 13).
    pub fn post_from(&self, from: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        let req = self.agent.post(&format!("{}{path}", self.base)).set("Referer", &format!("{}{from}", self.base));
        into_page(req.send_form(&all))
    }

    /// POST a form exactly as given (no CSRF token added).
    pub fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        into_page(self.agent.post(&format!("{}{path}", self.base)).send_form(fields))
    }

    /// POST raw bytes with a content type.
    pub fn post_bytes(&self, path: &str, content_type: &str, body: &[u8]) -> Page {
        into_page(self.agent.post(&format!("{}{path}", self.base)).set("Content-Type", content_type).send_bytes(body))
    }

    /// POST `multipart/form-data` with this browser's CSRF token added:
    /// text `fields`, then `files` as (field, file name, bytes).
    pub fn post_multipart(&self, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Page {
        let token = self.csrf();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        all.extend_from_slice(fields);
        let (ct, body) = multipart_body(&all, files);
        self.post_bytes(path, &ct, &body)
    }

    /// GET a path with extra request headers; the body as bytes.
    pub fn get_raw(&self, path: &str, headers: &[(&str, &str)]) -> Raw {
        let mut rq = self.agent.get(&format!("{}{path}", self.base));
        for (k, v) in headers {
            rq = rq.set(k, v);
        }
        let (status, headers, resp) = answered(rq.call());
        let mut body = Vec::new();
        resp.into_reader().take(200 << 20).read_to_end(&mut body).expect("body");
        Raw { status, headers, body }
    }

    /// Sign up (accepting the terms) and stay logged in, with no identity.
    pub fn signup_unverified(&self, username: &str) -> Page {
        let p = self.post("/signup", &[("username", username), ("password", "correct horse"), ("accept_terms", "1")]);
        assert_eq!(p.status, 303, "signup {username}: {}", p.body);
        p
    }

    /// Log in with the password `signup` uses.
    pub fn login(&self, username: &str) -> Page {
        self.post("/login", &[("username", username), ("password", "correct horse")])
    }

    /// Publish a post; returns its id.
    pub fn post_status(&self, body: &str, visibility: &str) -> i64 {
        let p = self.post("/posts", &[("body", body), ("visibility", visibility)]);
        assert_eq!(p.status, 303, "post: {}", p.body);
        id_from(p.location.as_deref().unwrap())
    }

    /// Publish a public text post with a CSRF `token` already fetched, for
    /// load during a kill: its id once acknowledged (303), `None` when the
    /// connection failed (the server went away before answering); any other
    /// answer panics.
    pub fn post_until_gone(&self, token: &str, body: &str) -> Option<i64> {
        let form = [("body", body), ("visibility", "public"), ("csrf_token", token)];
        match self.agent.post(&format!("{}/posts", self.base)).send_form(&form) {
            Ok(resp) if resp.status() == 303 => Some(id_from(resp.header("location").unwrap())),
            Ok(resp) => panic!("unexpected status {}", resp.status()),
            Err(ureq::Error::Status(code, r)) => {
                panic!("unexpected status {code}: {}", r.into_string().unwrap_or_default())
            }
            Err(_) => None,
        }
    }
}

/// An answer with a binary body.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Raw {
    /// The value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A `multipart/form-data` body: (content type, bytes).
pub fn multipart_body(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----plazaTestBoundary7MA4YWxkTrZu0gW";
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    for (field, name, data) in files {
        b.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(data);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}

/// The number after `/posts/` in a location.
pub fn id_from(location: &str) -> i64 {
    location.trim_start_matches("/posts/").split(['#', '?']).next().unwrap().parse().expect("post id")
}
