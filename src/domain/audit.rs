//! The activity log's hash chain (R16.3): each entry's hash is
//! HMAC-SHA256(key, previous hash || canonical encoding of the entry), so
//! editing, deleting or reordering any row breaks every hash after it.
//!
//! A chain cannot see its newest rows cut off, so a signed [`Head`] (entry
//! count and newest hash, like a transparency log's signed tree head) is
//! kept outside the database and compared with the chain.

use crate::crypto::hmac_sha256;

/// The previous hash of the very first entry.
pub const GENESIS: [u8; 32] = [0u8; 32];

/// No entry younger than this many days is ever deleted, whatever the
/// configuration says (R16.2: six months).
pub const MIN_RETENTION_DAYS: u32 = 180;

/// The time before which entries may be pruned when they are kept
/// `retention_days` days: `now - retention_days` days.
///
/// # Errors
/// A message for the operator when `retention_days` is under
/// [`MIN_RETENTION_DAYS`].
pub fn prune_cutoff(now: i64, retention_days: u32) -> Result<i64, String> {
    if retention_days < MIN_RETENTION_DAYS {
        return Err(format!(
            "refused: activity-log entries younger than {MIN_RETENTION_DAYS} days are never deleted (R16.2), \
             asked for {retention_days}"
        ));
    }
    Ok(now - i64::from(retention_days) * 86_400)
}

/// Where the chain starts after pruning (R16.2, R16.3): the last pruned
/// entry's id and hash, signed so that it cannot be moved or forged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub last_id: i64,
    pub last_hash: [u8; 32],
    /// When the pruning happened, UTC unix seconds.
    pub at: i64,
}

impl Checkpoint {
    /// HMAC over everything the checkpoint states.
    pub fn mac(&self, key: &[u8; 32]) -> [u8; 32] {
        let text = format!("plaza-log-checkpoint-v1 {} {} {}", self.last_id, hex::encode(self.last_hash), self.at);
        hmac_sha256(key, text.as_bytes())
    }
}

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
        if n == 0 && stored_prev != prev {
            return Err(Broken {
                id: e.id,
                reason: "the entries before it are missing and no pruning checkpoint accounts for them",
            });
        }
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

/// A signed statement "the log had `entries` entries and the newest one's
/// hash was `last_hash`", written outside the database after every commit
/// that appended (R16.3). Entry ids are consecutive from 1 and pruning only
/// removes the oldest, so `entries` is also the newest entry's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// Entries ever appended (= the newest entry's id).
    pub entries: i64,
    /// Hash of entry `entries` ([`GENESIS`] when there is none).
    pub last_hash: [u8; 32],
    /// When the head was written, UTC unix seconds.
    pub at: i64,
}

/// First word of an encoded [`Head`].
const HEAD_TAG: &str = "plaza-log-head-v1";

impl Head {
    /// HMAC over everything the head states.
    pub fn mac(&self, key: &[u8; 32]) -> [u8; 32] {
        let text = format!("{HEAD_TAG} {} {} {}", self.entries, hex::encode(self.last_hash), self.at);
        hmac_sha256(key, text.as_bytes())
    }

    /// One line: `plaza-log-head-v1 entries=N last_hash=HEX at=UNIX mac=HEX`,
    /// for the head file and the server's own log.
    pub fn encode(&self, key: &[u8; 32]) -> String {
        format!(
            "{HEAD_TAG} entries={} last_hash={} at={} mac={}",
            self.entries,
            hex::encode(self.last_hash),
            self.at,
            hex::encode(self.mac(key))
        )
    }

    /// Parse and authenticate a line made by [`Head::encode`].
    ///
    /// # Errors
    /// A short reason when the line is malformed or its MAC does not match
    /// (edited, or made with another key).
    pub fn decode(line: &str, key: &[u8; 32]) -> Result<Head, &'static str> {
        let mut words = line.split_whitespace();
        if words.next() != Some(HEAD_TAG) {
            return Err("not a log head");
        }
        let mut field = |name: &str| -> Result<&str, &'static str> {
            words
                .next()
                .and_then(|w| w.strip_prefix(name))
                .and_then(|w| w.strip_prefix('='))
                .ok_or("malformed log head")
        };
        let entries = field("entries")?.parse::<i64>().map_err(|_| "malformed log head")?;
        let last_hash = hash_from_hex(field("last_hash")?).ok_or("malformed log head")?;
        let at = field("at")?.parse::<i64>().map_err(|_| "malformed log head")?;
        let mac = hash_from_hex(field("mac")?).ok_or("malformed log head")?;
        let head = Head { entries, last_hash, at };
        if !crate::crypto::constant_time_eq(&head.mac(key), &mac) {
            return Err("the log head's signature does not match");
        }
        Ok(head)
    }
}

/// 64 hex characters as 32 bytes.
pub fn hash_from_hex(s: &str) -> Option<[u8; 32]> {
    hex::decode(s).ok().and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
}

/// Compare a chain that verified with the signed head.
///
/// `newest` is the chain's newest entry (id, hash), `None` when empty;
/// `hash_at` is the stored hash of entry `head.entries`, if that entry is
/// still there (or the pruning checkpoint's hash when the head points at it).
///
/// # Returns
/// `None` when they agree (the chain may have grown since), or what is wrong.
pub fn compare_head(head: &Head, newest: Option<(i64, [u8; 32])>, hash_at: Option<[u8; 32]>) -> Option<String> {
    let last_id = newest.map_or(0, |(id, _)| id);
    if last_id < head.entries {
        return Some(format!(
            "truncated: the signed head counts {} entries but the log ends at entry {last_id}",
            head.entries
        ));
    }
    if head.entries == 0 {
        return None;
    }
    match hash_at {
        Some(h) if h == head.last_hash => None,
        Some(_) => Some(format!("entry {} does not match the signed head", head.entries)),
        None => Some(format!("entry {} named by the signed head is missing", head.entries)),
    }
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

    #[test]
    fn retention_floor() {
        assert_eq!(prune_cutoff(1_000_000_000, 365), Ok(1_000_000_000 - 365 * 86_400));
        assert_eq!(prune_cutoff(1_000_000_000, 180), Ok(1_000_000_000 - 180 * 86_400));
        assert!(prune_cutoff(1_000_000_000, 179).unwrap_err().contains("180 days"));
    }

    #[test]
    fn chain_from_a_checkpoint() {
        let key = [1u8; 32];
        let rows = chain(&key, 6);
        let start = <[u8; 32]>::try_from(rows[2].2.as_slice()).unwrap();
        assert_eq!(verify(&key, start, rows[3..].to_vec()), Ok(3));
        assert!(verify(&key, start, rows[4..].to_vec()).unwrap_err().reason.contains("missing"));
        assert!(verify(&key, GENESIS, rows[3..].to_vec()).unwrap_err().reason.contains("missing"));
        let cp = Checkpoint { last_id: 3, last_hash: start, at: 5 };
        assert_ne!(cp.mac(&key), Checkpoint { last_id: 2, ..cp.clone() }.mac(&key));
    }

    #[test]
    fn head_round_trips_and_rejects_edits() {
        let key = [3u8; 32];
        let head = Head { entries: 42, last_hash: [9u8; 32], at: 1_700_000_000 };
        let line = head.encode(&key);
        assert!(line.starts_with("plaza-log-head-v1 entries=42 last_hash=0909"), "{line}");
        assert_eq!(Head::decode(&line, &key), Ok(head.clone()));
        assert!(Head::decode(&line.replace("entries=42", "entries=41"), &key).is_err());
        assert!(Head::decode(&line, &[4u8; 32]).is_err());
        assert!(Head::decode("garbage", &key).is_err());
        assert!(Head::decode(&line[..line.len() - 2], &key).is_err());
    }

    #[test]
    fn head_comparison() {
        let head = Head { entries: 5, last_hash: [5u8; 32], at: 0 };
        assert_eq!(compare_head(&head, Some((5, [5u8; 32])), Some([5u8; 32])), None);
        assert_eq!(compare_head(&head, Some((9, [1u8; 32])), Some([5u8; 32])), None, "grown since");
        assert!(compare_head(&head, Some((4, [4u8; 32])), None).unwrap().starts_with("truncated"));
        assert!(compare_head(&head, None, None).unwrap().starts_with("truncated"));
        assert!(compare_head(&head, Some((5, [6u8; 32])), Some([6u8; 32])).unwrap().contains("does not match"));
        let empty = Head { entries: 0, last_hash: GENESIS, at: 0 };
        assert_eq!(compare_head(&empty, None, None), None);
    }
}
