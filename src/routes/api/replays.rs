//! `Idempotency-Key` on `POST /api/v1/statuses` (issue 19): a client that
//! retries a post it is not sure went through (a phone losing its signal)
//! sends the same key and gets the first answer again, not a second post.
//! Mastodon keeps a key an hour; so does Plaza, in memory (a restart
//! forgets them): at most [`PER_ACCOUNT`] keys an account (its oldest goes
//! first, so one busy account cannot push out another's) and
//! [`MAX_ACCOUNTS`] accounts. Only answers that stored something (2xx) are
//! kept: a refused post may be sent again. A key longer than
//! [`MAX_KEY_BYTES`] is not taken (the request goes on as without one).

use std::collections::HashMap;
use std::sync::Mutex;

/// How long a key is remembered, in seconds.
pub const KEEP: i64 = 3600;

/// Keys kept per account at most.
pub const PER_ACCOUNT: usize = 100;

/// Accounts with keys kept at most (past that, those whose keys have all
/// expired go; if none has, all).
pub const MAX_ACCOUNTS: usize = 10_000;

/// The longest key taken, in bytes.
pub const MAX_KEY_BYTES: usize = 256;

/// An answer as first sent: its key, when, its status and its JSON body.
struct Answer {
    key: String,
    at: i64,
    status: u16,
    body: Vec<u8>,
}

static SEEN: Mutex<Option<HashMap<i64, Vec<Answer>>>> = Mutex::new(None);

/// The answer given to `account`'s earlier request with `key` within the
/// last [`KEEP`] seconds before `now`: (status, JSON body).
pub fn replay(account: i64, key: &str, now: i64) -> Option<(u16, Vec<u8>)> {
    let guard = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let a = guard.as_ref()?.get(&account)?.iter().find(|a| a.key == key)?;
    (now - a.at < KEEP).then(|| (a.status, a.body.clone()))
}

/// Remember the answer (`status`, JSON `body`) to `account`'s request with `key`.
pub fn keep(account: i64, key: &str, now: i64, status: u16, body: &[u8]) {
    let mut guard = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let map = guard.get_or_insert_with(HashMap::new);
    if map.len() >= MAX_ACCOUNTS && !map.contains_key(&account) {
        map.retain(|_, keys| keys.iter().any(|a| now - a.at < KEEP));
        if map.len() >= MAX_ACCOUNTS {
            map.clear();
        }
    }
    let keys = map.entry(account).or_default();
    keys.retain(|a| a.key != key && now - a.at < KEEP);
    if keys.len() >= PER_ACCOUNT {
        keys.remove(0);
    }
    keys.push(Answer { key: key.to_string(), at: now, status, body: body.to_vec() });
}
