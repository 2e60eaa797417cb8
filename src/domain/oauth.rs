//! OAuth 2.0 rules of the client API (issue 19), pure: which scopes exist
//! and which granted scope covers a needed one, and the PKCE S256 check
//! (RFC 7636). No I/O; `routes::api::oauth` applies them.

use base64::Engine;

/// The top-level scopes Mastodon clients ask for. `push` is accepted and
/// granted, but Plaza sends no Web Push (README, "API").
pub const TOP: [&str; 4] = ["read", "write", "follow", "push"];

/// The sub-scopes Plaza knows, `read:*` and `write:*` as the Mastodon API
/// documents them.
pub const SUB: [&str; 26] = [
    "read:accounts",
    "read:blocks",
    "read:bookmarks",
    "read:favourites",
    "read:filters",
    "read:follows",
    "read:lists",
    "read:mutes",
    "read:notifications",
    "read:search",
    "read:statuses",
    "write:accounts",
    "write:blocks",
    "write:bookmarks",
    "write:conversations",
    "write:favourites",
    "write:filters",
    "write:follows",
    "write:lists",
    "write:media",
    "write:mutes",
    "write:notifications",
    "write:reports",
    "write:statuses",
    "profile",
    "read:me",
];

/// What the deprecated `follow` scope stands for.
const FOLLOW: [&str; 6] = ["read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"];

/// A space-separated scope list as sent (`"read write:statuses"`).
///
/// # Returns
/// The scopes in order without repeats; an empty list gives `["read"]`
/// (Mastodon's default). `Err(scope)` names the first unknown scope.
pub fn parse(list: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for s in list.split([' ', '+', ',']).filter(|s| !s.is_empty()) {
        if !TOP.contains(&s) && !SUB.contains(&s) {
            return Err(s.to_string());
        }
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    if out.is_empty() {
        out.push("read".into());
    }
    Ok(out)
}

/// Does granted scope `granted` cover the needed scope `need`? `write`
/// covers `write:*`, `read` covers `read:*` and `profile`, `follow` covers
/// follows, blocks and mutes.
pub fn covers(granted: &str, need: &str) -> bool {
    granted == need
        || need.strip_prefix(granted).is_some_and(|rest| rest.starts_with(':'))
        || (granted == "follow" && FOLLOW.contains(&need))
        || (granted == "read" && (need == "profile" || need == "read:me"))
}

/// Does any of `granted` cover `need`?
pub fn allows(granted: &[String], need: &str) -> bool {
    granted.iter().any(|g| covers(g, need))
}

/// Is every scope of `asked` covered by `registered` (what the app
/// registered with)?
pub fn within(asked: &[String], registered: &[String]) -> bool {
    asked.iter().all(|a| allows(registered, a))
}

/// A PKCE request's challenge method (RFC 7636 §4.3).
///
/// # Returns
/// `Ok(())` for `S256` (or no method with a challenge, which RFC 7636 reads
/// as `plain` and Plaza refuses); `Err(message)` for `plain` or anything else.
pub fn challenge_method(method: Option<&str>) -> Result<(), &'static str> {
    match method {
        Some("S256") => Ok(()),
        Some("plain") | None => Err("code_challenge_method plain is not accepted: use S256"),
        Some(_) => Err("unknown code_challenge_method: use S256"),
    }
}

/// Is `challenge` a well-formed S256 challenge: 43 characters of
/// base64url without padding (a SHA-256)?
pub fn challenge_ok(challenge: &str) -> bool {
    challenge.len() == 43 && challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Does `verifier` answer `challenge` under S256:
/// `BASE64URL(SHA256(verifier)) == challenge`? The verifier must be 43 to
/// 128 unreserved characters (RFC 7636 §4.1).
pub fn verify_s256(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    let digest = crate::crypto::sha256(verifier.as_bytes());
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
    well_formed && crate::crypto::constant_time_eq(computed.as_bytes(), challenge.as_bytes())
}

/// The out-of-band redirect URI: the code is shown on a page to copy.
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// Is `uri` acceptable as a redirect URI: the out-of-band URN or an
/// absolute URI with a scheme (apps use custom schemes such as
/// `tusky://oauth`), no fragment, no spaces?
pub fn redirect_uri_ok(uri: &str) -> bool {
    if uri == OOB {
        return true;
    }
    let Some((scheme, rest)) = uri.split_once(':') else { return false };
    !scheme.is_empty()
        && scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && !rest.is_empty()
        && !uri.contains('#')
        && !uri.chars().any(|c| c.is_whitespace() || c.is_control())
        && !scheme.eq_ignore_ascii_case("javascript")
        && !scheme.eq_ignore_ascii_case("data")
}

/// The CSP source that lets a consent form's redirect reach `uri`: the
/// origin of an `http(s)` URI (`https://app.example:8443`), the scheme of
/// any other (`tusky:`); `None` for the out-of-band URN (no redirect).
pub fn csp_source(uri: &str) -> Option<String> {
    if uri == OOB {
        return None;
    }
    let (scheme, rest) = uri.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "http" || scheme == "https" {
        let authority = rest.strip_prefix("//")?.split(['/', '?']).next()?;
        let host = authority.rsplit('@').next()?;
        (!host.is_empty()).then(|| format!("{scheme}://{host}"))
    } else {
        Some(format!("{scheme}:"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_and_cover() {
        assert_eq!(parse("").unwrap(), vec!["read"]);
        assert_eq!(parse("read write read").unwrap(), vec!["read", "write"]);
        assert_eq!(parse("read+write:statuses").unwrap(), vec!["read", "write:statuses"]);
        assert_eq!(parse("read admin:read").unwrap_err(), "admin:read");
        assert!(covers("write", "write:statuses"));
        assert!(!covers("write", "writer"));
        assert!(!covers("write:statuses", "write"));
        assert!(!covers("read", "write:statuses"));
        assert!(covers("follow", "write:follows"));
        assert!(!covers("follow", "write:statuses"));
        assert!(covers("read", "profile"));
        let app = parse("read write follow").unwrap();
        assert!(within(&parse("read:statuses write").unwrap(), &app));
        assert!(!within(&parse("push").unwrap(), &app));
    }

    /// RFC 7636 Appendix B's known answer.
    #[test]
    fn pkce_s256_known_answer() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(challenge_ok(challenge));
        assert!(verify_s256(verifier, challenge));
        assert!(!verify_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl", challenge));
        assert!(!verify_s256("short", challenge));
        assert!(!verify_s256(challenge, challenge), "plain is not S256");
        assert!(challenge_method(Some("S256")).is_ok());
        assert!(challenge_method(Some("plain")).is_err());
        assert!(challenge_method(None).is_err());
    }

    #[test]
    fn csp_sources() {
        assert_eq!(csp_source("https://app.example:8443/cb?x=1").as_deref(), Some("https://app.example:8443"));
        assert_eq!(csp_source("https://user@app.example/cb").as_deref(), Some("https://app.example"));
        assert_eq!(csp_source("tusky://oauth").as_deref(), Some("tusky:"));
        assert_eq!(csp_source("com.example.app:/cb").as_deref(), Some("com.example.app:"));
        assert_eq!(csp_source(OOB), None);
    }

    #[test]
    fn redirect_uris() {
        for ok in [OOB, "https://app.example/cb", "tusky://oauth", "com.example.app:/cb", "http://127.0.0.1:5000/x"] {
            assert!(redirect_uri_ok(ok), "{ok}");
        }
        for bad in ["", "nocolon", "javascript:alert(1)", "https://a/#frag", "https://a b/", "1http://x", "data:x"] {
            assert!(!redirect_uri_ok(bad), "{bad}");
        }
    }
}
