//! The activity log's hash chain (R16.3): each entry's hash is
//! HMAC-SHA256(key, previous hash || canonical encoding of the entry), so
//! editing, deleting or reordering any row breaks every hash after it.

use crate::crypto::hmac_sha256;

/// The previous hash of the very first entry.
pub const GENESIS: [u8; 32] = [0u8; 32];

/// One activity-log entry's content (R16.1). `at` is UTC unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Row id, part of the hash so that renumbering is caught.
    pub id: i64,
    pub at: i64,
    /// Acting account, if any (failed logins and anonymous requests have none).
    pub account_id: Option<i64>,
    /// Source IP address as text.
    pub ip: String,
    /// Source TCP port.
    pub port: u16,
    pub user_agent: String,
    /// What was done, e.g. `login`, `post.create` (see `db::log`).
    pub action: String,
    /// What it was done to, e.g. `post:12`, `user:3`.
    pub target: String,
    /// `ok` or a short failure reason.
    pub outcome: String,
}

/// Hash of `entry` chained to `prev`.
pub fn entry_hash(key: &[u8; 32], prev: &[u8; 32], e: &Entry) -> [u8; 32] {
    let mut buf = Vec::with_capacity(128);
    buf.extend_from_slice(prev);
    buf.extend_from_slice(&e.id.to_be_bytes());
    buf.extend_from_slice(&e.at.to_be_bytes());
    buf.extend_from_slice(&e.account_id.unwrap_or(-1).to_be_bytes());
    buf.extend_from_slice(&e.port.to_be_bytes());
    for field in [&e.ip, &e.user_agent, &e.action, &e.target, &e.outcome] {
        buf.extend_from_slice(&(field.len() as u64).to_be_bytes());
        buf.extend_from_slice(field.as_bytes());
    }
    hmac_sha256(key, &buf)
}

/// Where a chain check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The first entry whose stored hashes do not check out.
    pub id: i64,
    pub reason: &'static str,
}

/// Walk `(entry, stored prev_hash, stored hash)` rows in id order from
/// `start` (the chain's first prev hash: [`GENESIS`] or a pruning checkpoint).
///
/// # Returns
/// The number of entries checked, or the first broken entry.
pub fn verify<I>(key: &[u8; 32], start: [u8; 32], rows: I) -> Result<u64, Broken>
where
    I: IntoIterator<Item = (Entry, Vec<u8>, Vec<u8>)>,
{
    let mut prev = start;
    let mut n = 0;
    for (e, stored_prev, stored_hash) in rows {
        if stored_prev != prev {
            return Err(Broken { id: e.id, reason: "previous hash does not match the entry before it" });
        }
        let h = entry_hash(key, &prev, &e);
        if stored_hash != h {
            return Err(Broken { id: e.id, reason: "content does not match its hash" });
        }
        prev = h;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, action: &str) -> Entry {
        Entry {
            id,
            at: 1_700_000_000 + id,
            account_id: Some(7),
            ip: "127.0.0.1".into(),
            port: 40000,
            user_agent: "test".into(),
            action: action.into(),
            target: "post:1".into(),
            outcome: "ok".into(),
        }
    }

    fn chain(key: &[u8; 32], n: i64) -> Vec<(Entry, Vec<u8>, Vec<u8>)> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|id| {
                let e = entry(id, "post.create");
                let h = entry_hash(key, &prev, &e);
                let row = (e, prev.to_vec(), h.to_vec());
                prev = h;
                row
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies() {
        let key = [1u8; 32];
        assert_eq!(verify(&key, GENESIS, chain(&key, 5)), Ok(5));
    }

    #[test]
    fn edit_delete_and_swap_are_caught() {
        let key = [1u8; 32];
        let mut edited = chain(&key, 5);
        edited[2].0.action = "login".into();
        assert_eq!(verify(&key, GENESIS, edited).unwrap_err().id, 3);

        let mut deleted = chain(&key, 5);
        deleted.remove(1);
        assert_eq!(verify(&key, GENESIS, deleted).unwrap_err().id, 3);

        let mut swapped = chain(&key, 5);
        swapped.swap(1, 2);
        assert_eq!(verify(&key, GENESIS, swapped).unwrap_err().id, 3);

        assert!(verify(&[2u8; 32], GENESIS, chain(&key, 1)).is_err(), "another key fails");
    }
}
