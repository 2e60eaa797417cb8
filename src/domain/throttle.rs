//! Slowing down password guessing: failures remembered per key, each one
//! past a few free tries doubling the wait before the next try. A wait
//! only ever applies to the key that failed, so choosing keys well decides
//! who can slow down whom (see [`super::account::LoginThrottle`]).
//! Pure: the caller passes the time (UTC seconds) and keeps it behind a lock.

use std::collections::HashMap;

/// How quickly the wait grows, and when failures are forgotten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures that still leave the next try free: the wait starts after
    /// failure `free + 1`, so `free + 1` tries come without waiting.
    pub free: u32,
    /// Wait after the first failure past `free`, in seconds; it doubles with
    /// each further failure.
    pub base: i64,
    /// Longest wait, in seconds.
    pub max: i64,
    /// Seconds after the last failure when a key's failures are forgotten.
    pub forget: i64,
}

impl Policy {
    /// Seconds to wait after `failures` failures: 0 for the first `free`,
    /// then `base`, `2 * base`, `4 * base`, ... up to `max`.
    pub fn delay(&self, failures: u32) -> i64 {
        if failures <= self.free {
            return 0;
        }
        let doublings = (failures - self.free - 1).min(40);
        self.base.saturating_mul(1i64 << doublings).min(self.max)
    }
}

/// Re-entering the password of a signed-in account (password change,
/// account close), per account: five free tries, then 2 s, 4 s, 8 s ... up
/// to 15 minutes between tries, so a stolen session guesses about a hundred
/// passwords a day instead of twelve a second. Forgotten a day after the
/// last wrong try.
pub const REAUTH: Policy = Policy { free: 4, base: 2, max: 15 * 60, forget: 24 * 3600 };

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last: i64,
}

/// Failures per key (an account, an address, a pair of them) under one
/// [`Policy`].
#[derive(Debug)]
pub struct Backoff {
    policy: Policy,
    entries: HashMap<String, Entry>,
}

/// Keys kept before forgotten ones are swept out, bounding memory under a
/// flood of made-up keys.
const SWEEP_AT: usize = 10_000;

impl Backoff {
    /// An empty record under `policy`.
    pub fn new(policy: Policy) -> Backoff {
        Backoff { policy, entries: HashMap::new() }
    }

    /// Seconds `key` must still wait at `now` before its next try; 0 when it
    /// may try now.
    pub fn wait(&self, key: &str, now: i64) -> i64 {
        match self.entries.get(key) {
            Some(e) if now - e.last < self.policy.forget => (e.last + self.policy.delay(e.failures) - now).max(0),
            _ => 0,
        }
    }

    /// Remember a failed try of `key` at `now`.
    pub fn failed(&mut self, key: &str, now: i64) {
        let forget = self.policy.forget;
        if self.entries.len() >= SWEEP_AT {
            self.entries.retain(|_, e| now - e.last < forget);
        }
        let e = self.entries.entry(key.to_string()).or_insert(Entry { failures: 0, last: now });
        if now - e.last >= forget {
            e.failures = 0;
        }
        e.failures = e.failures.saturating_add(1);
        e.last = now;
    }

    /// A success forgets the key's failures.
    pub fn clear(&mut self, key: &str) {
        self.entries.remove(key);
    }
}

/// The composer's `@`/`#` suggestion requests one account may make a
/// minute (issue 18): a fast typist, with the script's pause between keys,
/// makes about one a second; listing every member through it takes long.
pub const AUTOCOMPLETE_PER_MINUTE: u32 = 120;

/// A cap on how often one key may do something (issue 18: the composer's
/// autocomplete): at most `limit` times in each fixed window of `window`
/// seconds. Pure; the caller passes the time (UTC seconds) and keeps it
/// behind a lock.
#[derive(Debug)]
pub struct Rate {
    limit: u32,
    window: i64,
    /// Per key: the window's start and the uses counted in it.
    entries: HashMap<String, (i64, u32)>,
}

impl Rate {
    /// At most `limit` uses per `window` seconds for each key.
    pub fn new(limit: u32, window: i64) -> Rate {
        Rate { limit, window: window.max(1), entries: HashMap::new() }
    }

    /// Count one use of `key` at `now`: true when it is within the cap,
    /// false (and not counted) when the key has used up its window.
    pub fn allow(&mut self, key: &str, now: i64) -> bool {
        let start = now - now.rem_euclid(self.window);
        if self.entries.len() >= SWEEP_AT {
            self.entries.retain(|_, (s, _)| *s == start);
        }
        let e = self.entries.entry(key.to_string()).or_insert((start, 0));
        if e.0 != start {
            *e = (start, 0);
        }
        if e.1 >= self.limit {
            return false;
        }
        e.1 += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Policy = Policy { free: 3, base: 2, max: 60, forget: 3600 };

    #[test]
    fn delay_doubles_after_the_free_tries_up_to_the_cap() {
        let d: Vec<i64> = (0..=10).map(|n| P.delay(n)).collect();
        assert_eq!(d, vec![0, 0, 0, 0, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(P.delay(u32::MAX), 60, "no overflow");
    }

    #[test]
    fn a_key_waits_only_for_its_own_failures() {
        let mut b = Backoff::new(P);
        for t in 0..3 {
            assert_eq!(b.wait("a", 100 + t), 0);
            b.failed("a", 100 + t);
        }
        assert_eq!(b.wait("a", 103), 0, "the fourth try is still free");
        b.failed("a", 103);
        assert_eq!(b.wait("a", 103), 2);
        assert_eq!(b.wait("a", 104), 1);
        assert_eq!(b.wait("a", 105), 0);
        b.failed("a", 105);
        assert_eq!(b.wait("a", 105), 4, "the wait grows");
        assert_eq!(b.wait("b", 105), 0, "another key is not slowed");
        b.clear("a");
        assert_eq!(b.wait("a", 105), 0, "a success clears");
    }

    #[test]
    fn failures_are_forgotten_after_a_quiet_spell() {
        let mut b = Backoff::new(P);
        for _ in 0..9 {
            b.failed("a", 0);
        }
        assert_eq!(b.wait("a", 0), 60);
        assert_eq!(b.wait("a", 3600), 0);
        b.failed("a", 3600);
        assert_eq!(b.wait("a", 3600), 0, "counting starts again");
    }

    #[test]
    fn a_rate_caps_each_key_per_window() {
        let mut r = Rate::new(3, 60);
        assert!((0..3).all(|_| r.allow("a", 120)));
        assert!(!r.allow("a", 150), "the fourth in the window is refused");
        assert!(r.allow("b", 150), "another key has its own count");
        assert!(r.allow("a", 180), "a new window starts afresh");
    }
}
