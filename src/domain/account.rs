//! Account rules: usernames, passwords, roles (R6.5), subject types and post
//! visibility.

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

/// Check a new password: 8 to 128 characters (R7.1 accounts).
///
/// # Errors
/// [`AccountError::PasswordTooShort`] or [`AccountError::PasswordTooLong`].
pub fn check_password(pw: &str) -> Result<(), AccountError> {
    let chars = pw.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooLong);
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

/// Failed logins remembered per key (`user:NAME`, `ip:ADDR`) for
/// [`LoginThrottle::WINDOW`] seconds, to slow down password guessing.
/// Pure: the caller passes the time and keeps it behind a lock.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: std::collections::HashMap<String, Vec<i64>>,
}

impl LoginThrottle {
    /// Seconds a failure counts for.
    pub const WINDOW: i64 = 15 * 60;
    /// Failures for one username within the window before it is refused.
    pub const PER_ACCOUNT: usize = 5;
    /// Failures from one address within the window before it is refused.
    pub const PER_ADDRESS: usize = 30;

    /// May `username` try to log in from `ip` at `now` (UTC seconds)?
    pub fn allows(&mut self, username: &str, ip: &str, now: i64) -> bool {
        self.count(&format!("user:{}", username_key(username)), now) < Self::PER_ACCOUNT
            && self.count(&format!("ip:{ip}"), now) < Self::PER_ADDRESS
    }

    /// Remember a failed attempt.
    pub fn failed(&mut self, username: &str, ip: &str, now: i64) {
        for key in [format!("user:{}", username_key(username)), format!("ip:{ip}")] {
            self.failures.entry(key).or_default().push(now);
        }
        if self.failures.len() > 10_000 {
            self.failures.retain(|_, times| times.iter().any(|t| now - t < Self::WINDOW));
        }
    }

    /// A successful login clears the account's failures.
    pub fn succeeded(&mut self, username: &str) {
        self.failures.remove(&format!("user:{}", username_key(username)));
    }

    fn count(&mut self, key: &str, now: i64) -> usize {
        match self.failures.get_mut(key) {
            Some(times) => {
                times.retain(|t| now - t < Self::WINDOW);
                times.len()
            }
            None => 0,
        }
    }
}

#[cfg(test)]
mod throttle_tests {
    use super::LoginThrottle;

    #[test]
    fn five_failures_lock_an_account_for_the_window() {
        let mut t = LoginThrottle::default();
        for i in 0..5 {
            assert!(t.allows("Bob", "10.0.0.1", 100 + i));
            t.failed("bob", "10.0.0.1", 100 + i);
        }
        assert!(!t.allows("BOB", "10.0.0.2", 200), "per account, any address, any case");
        assert!(t.allows("alice", "10.0.0.1", 200), "others from the same address still may");
        assert!(t.allows("bob", "10.0.0.2", 104 + LoginThrottle::WINDOW), "the window passes");
        t.succeeded("bob");
        assert!(t.allows("bob", "10.0.0.1", 201));
    }
}
