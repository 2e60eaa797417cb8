//! Plaza's own request: the raw URL is split and percent-decoded once, here,
//! headers and cookies are parsed, and the client address is worked out
//! (R16.1). The engine module reads the body (forms must be valid UTF-8;
//! multipart uploads are spooled to disk by `multipart.rs`).

use super::multipart::Upload;
use crate::error::{Error, Result};
use percent_encoding::percent_decode;
use std::net::{IpAddr, SocketAddr};

/// The methods Plaza answers; anything else is `Other`. `Put`, `Patch` and
/// `Delete` are answered only by client API rows (issue 19: Mastodon
/// clients use them); pages use `GET` and `POST` alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Other,
}

impl Method {
    /// Does a request with this method carry a body Plaza reads?
    pub fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch | Method::Delete)
    }

    /// The method's name as sent (`OTHER` for the rest).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Other => "OTHER",
        }
    }
}

/// A parsed request.
#[derive(Debug)]
pub struct Req {
    pub method: Method,
    /// Decoded path segments: `/posts/12/like` gives `["posts", "12", "like"]`.
    pub path: Vec<String>,
    /// The raw path and query as sent, for `next=` redirects.
    pub raw_url: String,
    /// Decoded query pairs in order.
    pub query: Vec<(String, String)>,
    /// Cookie name/value pairs.
    pub cookies: Vec<(String, String)>,
    /// Decoded `application/x-www-form-urlencoded` body pairs, the text
    /// fields of a `multipart/form-data` body, or an `application/json`
    /// object flattened the way Rails reads forms (`a[]` for array items,
    /// `a[b]` for nested keys; see `flatten_json`) (POST, PUT, PATCH, DELETE).
    pub form: Vec<(String, String)>,
    /// The files of a `multipart/form-data` body, in order (POST only).
    pub files: Vec<Upload>,
    /// Every header, name lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// Where the TCP connection comes from.
    pub peer: SocketAddr,
    /// The client's address as logged (R16.1: source IP and port): the
    /// socket's peer, or what a trusted proxy says (see [`client_addr`]).
    pub source: SocketAddr,
    /// `User-Agent`, cut to 512 characters.
    pub user_agent: String,
    /// The request came through TLS (a trusted proxy said so).
    pub https: bool,
}

/// The client address of a request (R16.1).
///
/// Headers are believed only when the socket's `peer` is one of `trusted`;
/// otherwise anyone could write any address into the log. Then
/// `X-Forwarded-For` is walked from the right (the entry the nearest proxy
/// added) past every trusted proxy, and the first other address is the
/// client; without it `X-Real-IP` is used. An entry may carry a port
/// (`203.0.113.7:4711`, `[2001:db8::1]:4711`); when it carries none the
/// socket's port is kept. A malformed entry stops the walk at the last
/// trusted hop, so garbage never becomes the logged address.
pub fn client_addr(
    peer: SocketAddr,
    trusted: &[IpAddr],
    forwarded_for: Option<&str>,
    real_ip: Option<&str>,
) -> SocketAddr {
    if !trusted.contains(&peer.ip()) {
        return peer;
    }
    let with_port = |(ip, port): (IpAddr, Option<u16>)| SocketAddr::new(ip, port.unwrap_or(peer.port()));
    if let Some(xff) = forwarded_for.filter(|v| !v.trim().is_empty()) {
        let mut nearest = peer;
        for entry in xff.rsplit(',') {
            match parse_addr(entry) {
                Some(a) if trusted.contains(&a.0) => nearest = with_port(a),
                Some(a) => return with_port(a),
                None => return nearest,
            }
        }
        return nearest;
    }
    match real_ip.and_then(parse_addr) {
        Some(a) => with_port(a),
        None => peer,
    }
}

/// `1.2.3.4`, `1.2.3.4:5`, `::1`, `[::1]` or `[::1]:5`.
fn parse_addr(s: &str) -> Option<(IpAddr, Option<u16>)> {
    let s = s.trim();
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some((ip, None));
    }
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Some((sa.ip(), Some(sa.port())));
    }
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    inner.parse::<IpAddr>().ok().map(|ip| (ip, None))
}

/// A request's head, parsed and decoded: everything of a [`Req`] but the
/// body. Built by the engine module from the engine's own types.
#[derive(Debug)]
pub(super) struct Head {
    method: Method,
    path: Vec<String>,
    raw_url: String,
    query: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    peer: SocketAddr,
    source: SocketAddr,
    user_agent: String,
    https: bool,
}

impl Head {
    /// Parse the request line's URL (split and percent-decoded once, here)
    /// and the headers (names lower-case, in order). Proxy headers count
    /// only from a peer in `trusted_proxies` (R16.1).
    ///
    /// # Errors
    /// `BadRequest` for a path with `..`, or invalid percent-encoding or
    /// UTF-8 in the path or query.
    pub(super) fn parse(
        method: Method,
        raw_url: String,
        headers: Vec<(String, String)>,
        peer: SocketAddr,
        trusted_proxies: &[IpAddr],
    ) -> Result<Head> {
        let (raw_path, raw_query) = raw_url.split_once('?').unwrap_or((&raw_url, ""));
        let path = parse_path(raw_path)?;
        let query = parse_urlencoded(raw_query.as_bytes())?;
        let mut cookies = Vec::new();
        let mut user_agent = String::new();
        let mut forwarded_proto = None;
        let (mut forwarded_for, mut real_ip): (Option<String>, Option<&str>) = (None, None);
        for (name, value) in &headers {
            match name.as_str() {
                "cookie" => cookies.extend(parse_cookies(value)),
                "user-agent" => user_agent = value.chars().take(512).collect(),
                "x-forwarded-proto" => forwarded_proto = Some(value.eq_ignore_ascii_case("https")),
                // Several headers are one list, in order.
                "x-forwarded-for" => {
                    forwarded_for = Some(match forwarded_for {
                        Some(before) => format!("{before},{value}"),
                        None => value.clone(),
                    })
                }
                "x-real-ip" => real_ip = Some(value),
                _ => {}
            }
        }
        let source = client_addr(peer, trusted_proxies, forwarded_for.as_deref(), real_ip);
        let https = trusted_proxies.contains(&peer.ip()) && forwarded_proto.unwrap_or(false);
        Ok(Head { method, path, raw_url, query, cookies, headers, peer, source, user_agent, https })
    }

    /// The first value of header `name` (lower-case).
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Does the path start with segment `first`?
    pub(super) fn path_starts_with(&self, first: &str) -> bool {
        self.path.first().is_some_and(|p| p == first)
    }

    /// Is this a client API request (issue 19: `/api/...`, `/oauth/token`,
    /// `/oauth/revoke`), whose body may also be JSON? Pages take forms only.
    pub(super) fn is_client_api(&self) -> bool {
        match self.path.as_slice() {
            [first, ..] if first == "api" => true,
            [a, b] => a == "oauth" && (b == "token" || b == "revoke"),
            _ => false,
        }
    }

    /// The value of cookie `name`.
    pub(super) fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The body's media type without parameters, lower-case (`""` when none).
    pub(super) fn content_type_essence(&self) -> String {
        let ct = self.header("content-type").unwrap_or_default();
        ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
    }

    /// The whole request, with the body's form fields and files.
    pub(super) fn into_req(self, form: Vec<(String, String)>, files: Vec<Upload>) -> Req {
        let Head { method, path, raw_url, query, cookies, headers, peer, source, user_agent, https } = self;
        Req { method, path, raw_url, query, cookies, form, files, headers, peer, source, user_agent, https }
    }
}

impl Req {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Turn this request into a `GET` of the local `raw_url` (path and
    /// query), without its form or files: how a refused staff form shows
    /// the page it was sent from again, with the message (issue 13).
    ///
    /// # Errors
    /// `BadRequest` for a path or query that does not parse, as for any request.
    pub fn retarget_get(&mut self, raw_url: &str) -> Result<()> {
        let (raw_path, raw_query) = raw_url.split_once('?').unwrap_or((raw_url, ""));
        self.path = parse_path(raw_path)?;
        self.query = parse_urlencoded(raw_query.as_bytes())?;
        self.raw_url = raw_url.to_string();
        self.method = Method::Get;
        self.form.clear();
        self.files.clear();
        Ok(())
    }

    /// The uploaded files sent in field `name`, in order.
    pub fn files_named<'r>(&'r self, name: &'r str) -> impl Iterator<Item = &'r Upload> + 'r {
        self.files.iter().filter(move |f| f.field == name)
    }

    /// The first query value named `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The first form value named `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A form value that must be there.
    ///
    /// # Errors
    /// `BadRequest` naming the missing field.
    pub fn require(&self, name: &str) -> Result<&str> {
        self.field(name).ok_or_else(|| Error::BadRequest(format!("missing form field {name:?}")))
    }

    /// The value of cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// An id from the query (`?max_id=`), `None` when absent.
    ///
    /// # Errors
    /// `BadRequest` when present but not a positive integer.
    pub fn query_id(&self, name: &str) -> Result<Option<i64>> {
        self.query(name).filter(|v| !v.is_empty()).map(parse_id).transpose()
    }
}

/// Parse a positive integer id from a path segment or field.
///
/// # Errors
/// `BadRequest` for anything but 1..=i64::MAX in decimal.
pub fn parse_id(s: &str) -> Result<i64> {
    match s.parse::<i64>() {
        Ok(n) if n > 0 && s.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(Error::BadRequest(format!("{s:?} is not an id"))),
    }
}

fn decode(bytes: &[u8]) -> Result<String> {
    let raw: Vec<u8> = percent_decode(bytes).collect();
    String::from_utf8(raw).map_err(|_| Error::BadRequest("the request is not valid UTF-8".into()))
}

fn parse_path(raw: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for seg in raw.split('/').filter(|s| !s.is_empty()) {
        let seg = decode(seg.as_bytes())?;
        if seg == "." || seg == ".." || seg.contains('/') || seg.contains('\\') || seg.contains('\0') {
            return Err(Error::BadRequest("the path may not contain '..', '.', '/' or '\\' in a segment".into()));
        }
        out.push(seg);
    }
    Ok(out)
}

/// Decode `a=1&b=x+y` into pairs; `+` is a space.
///
/// # Errors
/// `BadRequest` when a value is not valid UTF-8 after decoding.
pub fn parse_urlencoded(bytes: &[u8]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for pair in bytes.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let plus = |s: &[u8]| s.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect::<Vec<u8>>();
        out.push((decode(&plus(k))?, decode(&plus(v))?));
    }
    Ok(out)
}

/// An `application/json` body as form pairs, so every handler reads one
/// shape (issue 19: Mastodon clients send either): a top-level object's
/// strings as they are, numbers and booleans as their JSON text, a
/// top-level `null` left out, array items as `key[]` pairs (a `null` item
/// as an empty one) and nested objects as `key[sub]` pairs. An empty array
/// is one empty `key[]` pair and an empty object one `key[{}]` pair, so a
/// handler that wants one value sees that something else came, never
/// nothing. Handlers then parse each field and name it when it does not.
///
/// # Errors
/// `BadRequest` when the body is not JSON or not an object.
pub fn flatten_json(bytes: &[u8]) -> Result<Vec<(String, String)>> {
    fn walk(key: String, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Null if key.ends_with("[]") => out.push((key, String::new())),
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => out.push((key, s.clone())),
            serde_json::Value::Bool(_) | serde_json::Value::Number(_) => out.push((key, v.to_string())),
            serde_json::Value::Array(items) if items.is_empty() => out.push((format!("{key}[]"), String::new())),
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(format!("{key}[]"), item, out);
                }
            }
            serde_json::Value::Object(map) if map.is_empty() => out.push((format!("{key}[{{}}]"), String::new())),
            serde_json::Value::Object(map) => {
                for (k, item) in map {
                    walk(format!("{key}[{k}]"), item, out);
                }
            }
        }
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| Error::BadRequest(format!("the JSON body does not parse: {e}")))?;
    let serde_json::Value::Object(map) = value else {
        return Err(Error::BadRequest("the JSON body must be an object".into()));
    };
    let mut out = Vec::new();
    for (k, v) in &map {
        walk(k.clone(), v, &mut out);
    }
    Ok(out)
}

fn parse_cookies(header: &str) -> Vec<(String, String)> {
    header
        .split(';')
        .filter_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            Some((k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded() {
        let f = parse_urlencoded(b"a=1&body=%E4%BD%A0%E5%A5%BD+x&empty=&flag").unwrap();
        assert_eq!(f[1], ("body".into(), "你好 x".into()));
        assert_eq!(f[2], ("empty".into(), "".into()));
        assert_eq!(f[3], ("flag".into(), "".into()));
        assert!(parse_urlencoded(b"a=%FF%FE").is_err());
    }

    #[test]
    fn paths() {
        assert_eq!(parse_path("/tags/%E8%AF%9D%E9%A2%98").unwrap(), vec!["tags", "话题"]);
        assert_eq!(parse_path("/").unwrap(), Vec::<String>::new());
        assert!(parse_path("/assets/../plaza.key").is_err());
        assert!(parse_path("/assets/%2e%2e/x").is_err());
        assert!(parse_path("/a/%2F").is_err());
    }

    #[test]
    fn ids() {
        assert_eq!(parse_id("12").unwrap(), 12);
        for bad in ["0", "-1", "+1", "1e3", "", "99999999999999999999"] {
            assert!(parse_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn proxy_headers_only_from_trusted_peers() {
        let peer: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let a = |s: &str| s.parse::<SocketAddr>().unwrap();
        // Untrusted peer: headers are ignored.
        assert_eq!(client_addr(peer, &[], Some("203.0.113.7"), Some("203.0.113.8")), peer);
        // Trusted: the client's address, keeping the socket port when none is given.
        assert_eq!(client_addr(peer, &[proxy], Some("203.0.113.7"), None), a("203.0.113.7:40000"));
        assert_eq!(client_addr(peer, &[proxy], Some("203.0.113.7:4711"), None), a("203.0.113.7:4711"));
        assert_eq!(client_addr(peer, &[proxy], Some("[2001:db8::1]:4711"), None), a("[2001:db8::1]:4711"));
        assert_eq!(client_addr(peer, &[proxy], Some("2001:db8::1"), None), a("[2001:db8::1]:40000"));
        // A spoofed entry on the left is passed over: the nearest untrusted hop counts.
        assert_eq!(client_addr(peer, &[proxy], Some("6.6.6.6, 203.0.113.7"), None), a("203.0.113.7:40000"));
        // Trusted hops are skipped.
        let inner: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(client_addr(peer, &[proxy, inner], Some("198.51.100.1, 10.0.0.2"), None), a("198.51.100.1:40000"));
        // Garbage never becomes the address: the last trusted hop does.
        assert_eq!(client_addr(peer, &[proxy, inner], Some("nonsense, 10.0.0.2"), None), a("10.0.0.2:40000"));
        assert_eq!(client_addr(peer, &[proxy], Some("nonsense"), None), peer);
        // X-Real-IP only without X-Forwarded-For.
        assert_eq!(client_addr(peer, &[proxy], None, Some("203.0.113.9:5")), a("203.0.113.9:5"));
        assert_eq!(client_addr(peer, &[proxy], Some("203.0.113.7"), Some("203.0.113.9")), a("203.0.113.7:40000"));
        assert_eq!(client_addr(peer, &[proxy], None, Some("bad")), peer);
    }

    #[test]
    fn json_bodies_flatten_like_forms() {
        let f = flatten_json(
            br#"{"status":"hi","media_ids":["1","2"],"limit":5,"sensitive":false,"x":null,"source":{"note":"n"}}"#,
        )
        .unwrap();
        let has = |k: &str, v: &str| f.iter().any(|(a, b)| a == k && b == v);
        assert!(has("status", "hi") && has("media_ids[]", "1") && has("media_ids[]", "2"));
        assert!(has("limit", "5") && has("sensitive", "false") && has("source[note]", "n"));
        assert!(!f.iter().any(|(k, _)| k == "x"));
        assert!(flatten_json(b"[1]").is_err());
        assert!(flatten_json(b"{").is_err());
        assert!(flatten_json(b"").unwrap().is_empty());
    }

    #[test]
    fn cookies() {
        assert_eq!(parse_cookies("a=1; b=\"2\"; junk"), vec![("a".into(), "1".into()), ("b".into(), "2".into())]);
    }
}
