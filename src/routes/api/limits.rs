//! Client API rate limits (issue 19): fixed five-minute windows per
//! bearer token and per account (`api_token_requests_per_5min`,
//! `api_account_requests_per_5min`), kept in memory (a restart forgets
//! them). Every token request answers with `X-RateLimit-Limit`,
//! `X-RateLimit-Remaining` and `X-RateLimit-Reset` (RFC 3339, as Mastodon
//! sends it) for the tighter of the two, error answers (4xx) included;
//! past it, 429 with `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;

/// The window length in seconds.
pub const WINDOW: i64 = 300;

/// Whose requests a count is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    /// The first 16 bytes of a token's SHA-256.
    Token([u8; 16]),
    Account(i64),
}

/// Requests counted in the window starting at `start`.
#[derive(Debug, Clone, Copy)]
struct Count {
    start: i64,
    used: u32,
}

static COUNTS: Mutex<Option<HashMap<Key, Count>>> = Mutex::new(None);

/// Where a request stands against its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// The limit that binds (the smaller remainder), 0 when none applies.
    pub limit: u32,
    pub remaining: u32,
    /// When the binding window ends (UTC seconds).
    pub reset: i64,
    /// Over a limit: refuse.
    pub exceeded: bool,
}

/// Count one request of token `token_hash` (and account `account`, if
/// any) at `now` against `per_token` and `per_account` (0: no limit).
pub fn take(token_hash: &[u8; 32], account: Option<i64>, per_token: u32, per_account: u32, now: i64) -> Standing {
    let mut guard = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    let map = guard.get_or_insert_with(HashMap::new);
    if map.len() > 100_000 {
        map.retain(|_, c| now - c.start < WINDOW);
    }
    let mut short = [0u8; 16];
    short.copy_from_slice(&token_hash[..16]);
    let mut keys = vec![(Key::Token(short), per_token)];
    if let Some(a) = account {
        keys.push((Key::Account(a), per_account));
    }
    let mut out = Standing { limit: 0, remaining: u32::MAX, reset: now + WINDOW, exceeded: false };
    for (key, limit) in keys {
        if limit == 0 {
            continue;
        }
        let c = map.entry(key).or_insert(Count { start: now, used: 0 });
        if now - c.start >= WINDOW {
            *c = Count { start: now, used: 0 };
        }
        c.used = c.used.saturating_add(1);
        let remaining = limit.saturating_sub(c.used);
        if c.used > limit {
            out.exceeded = true;
        }
        if remaining < out.remaining || out.limit == 0 {
            out = Standing { limit, remaining, reset: c.start + WINDOW, exceeded: out.exceeded };
        }
    }
    if out.limit == 0 {
        out.remaining = 0;
    }
    out
}

/// `resp` with the `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
/// `X-RateLimit-Reset` (RFC 3339) headers of `s`: on every answer to a
/// token request, successes and errors (4xx, 429) alike, as Mastodon sends them.
pub fn headers(resp: crate::http::Resp, s: &Standing) -> crate::http::Resp {
    resp.header("X-RateLimit-Limit", &s.limit.to_string())
        .header("X-RateLimit-Remaining", &s.remaining.to_string())
        .header("X-RateLimit-Reset", &crate::domain::dates::rfc3339(s.reset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_count_and_reset() {
        let t = [7u8; 32];
        let first = take(&t, Some(42_000_001), 3, 10, 1000);
        assert_eq!((first.limit, first.remaining, first.reset, first.exceeded), (3, 2, 1300, false));
        take(&t, Some(42_000_001), 3, 10, 1001);
        let third = take(&t, Some(42_000_001), 3, 10, 1002);
        assert_eq!((third.remaining, third.exceeded), (0, false));
        assert!(take(&t, Some(42_000_001), 3, 10, 1003).exceeded);
        // A new window starts afresh.
        assert_eq!(take(&t, Some(42_000_001), 3, 10, 1300).remaining, 2);
        // Another token of the same account counts towards the account (its
        // window restarted at 1300 too).
        let other = take(&[8u8; 32], Some(42_000_001), 100, 10, 1301);
        assert_eq!((other.limit, other.remaining, other.reset), (10, 8, 1600), "{other:?}");
        // Off.
        assert_eq!(take(&[9u8; 32], None, 0, 0, 1).limit, 0);
    }
}
