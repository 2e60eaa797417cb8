//! One-time codes that confirm a mobile number (R7.1): 6 digits, valid for
//! 10 minutes, 5 tries, and a resend throttle per account and per number.
//! Pure rules: the caller passes the clock and the stored state.

/// Digits in a code.
pub const CODE_DIGITS: usize = 6;
/// Seconds a code stays valid.
pub const CODE_TTL_SECONDS: i64 = 600;
/// Wrong entries before a code is dead.
pub const MAX_TRIES: i64 = 5;
/// Seconds between two sends to the same account or number.
pub const RESEND_GAP_SECONDS: i64 = 60;
/// Sends to the same account or number in [`WINDOW_SECONDS`].
pub const MAX_SENDS: usize = 5;
/// The window [`MAX_SENDS`] counts in (a day).
pub const WINDOW_SECONDS: i64 = 86_400;

/// Why a code may not be sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// Another code went out less than [`RESEND_GAP_SECONDS`] ago: wait this many seconds.
    Wait(i64),
    /// [`MAX_SENDS`] codes went out in the last day: wait this many seconds.
    DailyLimit(i64),
}

/// May a code be sent at `now`, given the times of earlier sends to this
/// account or this number (any order, older ones ignored)?
///
/// # Errors
/// The [`Throttle`] with the seconds to wait.
pub fn may_send(sent: &[i64], now: i64) -> Result<(), Throttle> {
    let mut recent: Vec<i64> = sent.iter().copied().filter(|t| *t > now - WINDOW_SECONDS).collect();
    recent.sort_unstable();
    if let Some(last) = recent.last() {
        if now - last < RESEND_GAP_SECONDS {
            return Err(Throttle::Wait(RESEND_GAP_SECONDS - (now - last)));
        }
    }
    if recent.len() >= MAX_SENDS {
        return Err(Throttle::DailyLimit(recent[recent.len() - MAX_SENDS] + WINDOW_SECONDS - now));
    }
    Ok(())
}

/// What an entered code amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Right, in time, within the tries: the mobile is confirmed.
    Confirmed,
    /// Wrong; this many tries are left (0: the code is now dead).
    Wrong { left: i64 },
    /// No live code: none was sent, or it was used.
    NoCode,
    /// The code is older than [`CODE_TTL_SECONDS`].
    Expired,
    /// [`MAX_TRIES`] wrong entries already: ask for a new code.
    TooManyTries,
}

/// Judge an entered code against the stored one: `stored` is
/// `(expires_at, tries so far)`, `matches` whether the entered code's keyed
/// hash equals the stored one (compared in constant time by the caller).
pub fn check(stored: Option<(i64, i64)>, matches: bool, now: i64) -> Check {
    let Some((expires_at, tries)) = stored else { return Check::NoCode };
    if tries >= MAX_TRIES {
        return Check::TooManyTries;
    }
    if now >= expires_at {
        return Check::Expired;
    }
    if matches {
        Check::Confirmed
    } else {
        Check::Wrong { left: MAX_TRIES - tries - 1 }
    }
}

/// Is `s` (trimmed) shaped like a code: exactly [`CODE_DIGITS`] ASCII digits?
pub fn well_formed(s: &str) -> bool {
    let s = s.trim();
    s.len() == CODE_DIGITS && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle() {
        assert_eq!(may_send(&[], 1000), Ok(()));
        assert_eq!(may_send(&[990], 1000), Err(Throttle::Wait(50)));
        assert_eq!(may_send(&[940], 1000), Ok(()));
        let day = [100_000, 100_100, 100_200, 100_300, 100_400];
        assert_eq!(may_send(&day, 100_500), Err(Throttle::DailyLimit(100_000 + 86_400 - 100_500)));
        assert_eq!(may_send(&day, 100_000 + 86_400), Ok(()), "the oldest left the window");
    }

    #[test]
    fn codes() {
        assert_eq!(check(None, true, 0), Check::NoCode);
        assert_eq!(check(Some((600, 0)), true, 599), Check::Confirmed);
        assert_eq!(check(Some((600, 0)), true, 600), Check::Expired);
        assert_eq!(check(Some((600, 0)), false, 10), Check::Wrong { left: 4 });
        assert_eq!(check(Some((600, 4)), false, 10), Check::Wrong { left: 0 });
        assert_eq!(check(Some((600, 5)), true, 10), Check::TooManyTries, "even the right code");
        assert!(
            well_formed(" 012345 ") && !well_formed("12345") && !well_formed("12345a") && !well_formed("１２３４５６")
        );
    }
}
