//! A browser over plain TCP, one connection per request, for tests that
//! need each request's exact source port (R16.1).

use super::{code_for, fresh_identity, Server};
use std::io::Read;
use std::time::Duration;

/// What a [`RawClient`] request got back, with the local port it came from.
#[derive(Debug)]
pub struct RawAnswer {
    /// The client's TCP port: what the server must log as the source port.
    pub local_port: u16,
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// A browser over plain TCP, one connection per request, so a test knows
/// the exact source port of every request (R16.1). Keeps the session
/// cookie and the CSRF token.
pub struct RawClient {
    pub addr: String,
    pub cookies: Vec<(String, String)>,
    /// Extra headers sent with every request (e.g. `X-Forwarded-For`).
    pub headers: Vec<(String, String)>,
    pub user_agent: String,
}

impl RawClient {
    /// A client of `s` with an empty cookie jar.
    pub fn new(s: &Server, user_agent: &str) -> RawClient {
        RawClient {
            addr: s.base.trim_start_matches("http://").to_string(),
            cookies: Vec::new(),
            headers: Vec::new(),
            user_agent: user_agent.into(),
        }
    }

    /// Send one request on a fresh connection.
    pub fn send(&mut self, method: &str, path: &str, form: &[(&str, &str)]) -> RawAnswer {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let local_port = stream.local_addr().unwrap().port();
        let body: String = form
            .iter()
            .map(|(k, v)| {
                let enc =
                    |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
                format!("{}={}", enc(k), enc(v))
            })
            .collect::<Vec<_>>()
            .join("&");
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nUser-Agent: {}\r\n",
            self.addr, self.user_agent
        );
        if !self.cookies.is_empty() {
            let c: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req.push_str(&format!("Cookie: {}\r\n", c.join("; ")));
        }
        for (k, v) in &self.headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if method == "POST" {
            req.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        req.push_str("\r\n");
        req.push_str(&body);
        stream.write_all(req.as_bytes()).unwrap();
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut location = None;
        for line in head.lines().skip(1) {
            let Some((k, v)) = line.split_once(':') else { continue };
            let v = v.trim();
            if k.eq_ignore_ascii_case("location") {
                location = Some(v.to_string());
            } else if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap_or("");
                if let Some((name, value)) = pair.split_once('=') {
                    self.cookies.retain(|(n, _)| n != name);
                    if !value.is_empty() && !v.contains("Max-Age=0") {
                        self.cookies.push((name.to_string(), value.to_string()));
                    }
                }
            }
        }
        RawAnswer { local_port, status, location, body: body.to_string() }
    }

    /// The CSRF token this client's forms carry now.
    pub fn csrf(&mut self) -> String {
        let p = self.send("GET", "/login?next=/", &[]);
        let p = if p.body.contains("csrf_token") { p } else { self.send("GET", "/terms", &[]) };
        let key = "name=\"csrf_token\" value=\"";
        let i = p.body.find(key).expect("a form") + key.len();
        p.body[i..].split('"').next().unwrap().to_string()
    }

    /// POST a form with the CSRF token added.
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> RawAnswer {
        let token = self.csrf();
        let mut all = fields.to_vec();
        all.push(("csrf_token", &token));
        self.send("POST", path, &all)
    }

    /// Bind a fresh synthetic identity and confirm the code from the outbox
    /// of data folder `data`, then wait for the webhook stub to verify it
    /// (like [`Client::verify_identity`]). Returns the answers of the form
    /// and of the code.
    pub fn verify_identity(&mut self, data: &std::path::Path, username: &str) -> (RawAnswer, RawAnswer) {
        let (id, mobile) = fresh_identity();
        let bind = self.post(
            "/settings/identity",
            &[("subject_type", "individual"), ("legal_name", "张三"), ("number", &id), ("mobile", &mobile)],
        );
        assert_eq!(bind.status, 303, "{}", bind.body);
        let code = code_for(data, username).expect("a code in the outbox");
        let confirm = self.post("/settings/identity/confirm", &[("code", &code)]);
        assert_eq!(confirm.status, 303, "{}", confirm.body);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !self.send("GET", "/settings/identity", &[]).body.contains("id-status verified") {
            assert!(std::time::Instant::now() < deadline, "identity of {username} never verified");
            std::thread::sleep(Duration::from_millis(10));
        }
        (bind, confirm)
    }
}
