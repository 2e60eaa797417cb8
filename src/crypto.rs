//! Keys and tokens: the data folder's key file, derived sub-keys, random
//! tokens, hashes and keyed hashes.
//!
//! The key file (`DATA/plaza.key`, 64 hex characters, mode 0600) holds one
//! 256-bit master key. Each use gets its own sub-key, HMAC-SHA256(master,
//! label), so that the activity-log chain key (R16.3), the identity
//! encryption key, the identity hash key (R7.4) and the password pepper are
//! independent.
//!
//! Passwords ([`hash_password`] / [`verify_password`]) are pre-hashed
//! before bcrypt, because bcrypt reads only the first 72 bytes of its input:
//! the stored value is `$pz1$` followed by the bcrypt hash of the base64 of
//! HMAC-SHA256(pepper, password) (RFC 2104 HMAC; 44 characters, well inside
//! bcrypt's 72). Every password length hashes in full, so no two passwords
//! collide, and a copy of the database without the key file gives nothing to
//! guess against. Plain bcrypt hashes stored before the pre-hash still
//! verify, and are reported as needing an upgrade.
//!
//! Identity values are sealed with AES-256-GCM ([`seal`] / [`open`]): a
//! fresh 96-bit nonce per value, and associated data naming the account and
//! field, so a sealed value copied to another row or column does not open.

use crate::error::{Error, Result};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::Path;

type HmacSha256 = Hmac<Sha256>;

/// File name of the key inside the data folder.
pub const KEY_FILE: &str = "plaza.key";

/// The master key and the sub-keys derived from it.
#[derive(Clone)]
pub struct Keys {
    /// Key of the activity-log hash chain (R16.3).
    pub audit: [u8; 32],
    /// Key of backup manifests (`plaza backup`).
    pub backup: [u8; 32],
    /// AES-256-GCM key of identity values at rest (R7.4).
    pub identity_enc: [u8; 32],
    /// HMAC key of identity values and one-time codes: uniqueness checks
    /// without decrypting, codes that a copy of the database does not give
    /// away (R7.4).
    pub identity_mac: [u8; 32],
    /// HMAC key of passwords before bcrypt (the "pepper", [`hash_password`]):
    /// kept in the key file, never in the database.
    pub password_pepper: [u8; 32],
    /// HMAC key of sessions' CSRF tokens ([`session_csrf`]).
    pub csrf: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

impl Keys {
    /// Read `DATA/plaza.key`, creating it (mode 0600) on first run.
    ///
    /// # Errors
    /// `Error::Config` when the file exists but is not 64 hex characters, or
    /// `Error::Io` when it cannot be read or written.
    pub fn load_or_create(data_dir: &Path) -> Result<Keys> {
        let path = data_dir.join(KEY_FILE);
        let master = match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim())
                    .map_err(|_| Error::Config(format!("{}: not a hex key", path.display())))?;
                <[u8; 32]>::try_from(bytes.as_slice())
                    .map_err(|_| Error::Config(format!("{}: key must be 32 bytes", path.display())))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                write_private(&path, hex::encode(key).as_bytes())?;
                key
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Keys::from_master(&master))
    }

    /// Derive every sub-key from a master key.
    pub fn from_master(master: &[u8; 32]) -> Keys {
        Keys {
            audit: hmac_sha256(master, b"plaza activity log v1"),
            backup: hmac_sha256(master, b"plaza backup manifest v1"),
            identity_enc: hmac_sha256(master, b"plaza identity encryption v1"),
            identity_mac: hmac_sha256(master, b"plaza identity hash v1"),
            password_pepper: hmac_sha256(master, b"plaza password pepper v1"),
            csrf: hmac_sha256(master, b"plaza session csrf v1"),
        }
    }
}

/// The CSRF token of the session whose cookie holds `session_token`:
/// derived from it under `key` (`Keys::csrf`), so the I/O side can check
/// an upload's token before a byte of a file is written (issue 15) without
/// the database, and a made-up session cookie has no token anyone can
/// compute. 64 hex characters, like every token.
pub fn session_csrf(key: &[u8; 32], session_token: &str) -> String {
    hex::encode(hmac_sha256(key, session_token.as_bytes()))
}

/// Write a file readable by its owner only (mode 0600), created anew.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// A fresh random token: 32 bytes from the OS, as 64 lowercase hex characters.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// SHA-256 of `data` (32 bytes).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// HMAC-SHA256 of `data` under `key` (32 bytes).
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Length of the nonce in front of a sealed value.
const NONCE_LEN: usize = 12;

/// Seal `plain` with AES-256-GCM under `key`: 12-byte random nonce followed
/// by the ciphertext and its 16-byte tag. `aad` (not stored) must be given
/// again to [`open`]; it binds the value to where it belongs (R7.4).
pub fn seal(key: &[u8; 32], plain: &[u8], aad: &[u8]) -> Vec<u8> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let cipher = aes_gcm::Aes256Gcm::new(key.into());
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(&nonce.into(), Payload { msg: plain, aad })
        .expect("AES-GCM encryption of a short value cannot fail");
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

/// Open a value made by [`seal`] with the same `key` and `aad`.
///
/// # Errors
/// `Error::Internal` when it is too short, was altered, or belongs to
/// another key or place; the message never holds the value.
pub fn open(key: &[u8; 32], sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    if sealed.len() < NONCE_LEN + 16 {
        return Err(Error::Internal("sealed value too short".into()));
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let cipher = aes_gcm::Aes256Gcm::new(key.into());
    cipher
        .decrypt(aes_gcm::Nonce::from_slice(nonce), Payload { msg: body, aad })
        .map_err(|_| Error::Internal("a sealed identity value does not open with this key".into()))
}

/// `n` random decimal digits from the OS generator, uniformly distributed
/// (a one-time code, R7.1).
pub fn random_digits(n: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

/// Compare two byte strings in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Marker in front of a stored password hash made by [`hash_password`]:
/// bcrypt of the pre-hashed password. A stored hash without it is plain
/// bcrypt of the password (before the pre-hash).
pub const PASSWORD_SCHEME: &str = "$pz1$";

/// Longest password bcrypt reads in full, in bytes: what a plain (old)
/// hash can tell apart.
const BCRYPT_MAX_BYTES: usize = 72;

/// The bcrypt input for `password`: base64 of HMAC-SHA256(pepper, password)
/// (RFC 2104), 44 ASCII characters, so bcrypt sees every byte of it.
fn prehash(pepper: &[u8; 32], password: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(hmac_sha256(pepper, password.as_bytes()))
}

/// Hash a new password for storage: [`PASSWORD_SCHEME`] followed by the
/// bcrypt hash (at `cost`, 4..=31) of the pre-hashed password.
///
/// # Errors
/// `Error::Internal` if bcrypt refuses the cost.
pub fn hash_password(pepper: &[u8; 32], password: &str, cost: u32) -> Result<String> {
    let inner = bcrypt::hash(prehash(pepper, password), cost).map_err(|e| Error::Internal(format!("bcrypt: {e}")))?;
    Ok(format!("{PASSWORD_SCHEME}{inner}"))
}

/// What checking a password against a stored hash found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCheck {
    /// Not this password (or the stored value is not a hash at all).
    Wrong,
    /// The right password, stored in the current scheme.
    Right,
    /// The right password, stored as plain bcrypt: store [`hash_password`]
    /// of it now.
    RightButOld,
}

impl PasswordCheck {
    /// Is it the right password?
    pub fn ok(self) -> bool {
        self != PasswordCheck::Wrong
    }
}

/// Check `password` against a stored hash of either scheme. A plain bcrypt
/// hash only ever took passwords of at most 72 bytes, so a longer password
/// is wrong for it (bcrypt would cut it and match the first 72 bytes).
/// Fails closed on a malformed hash.
pub fn verify_password(pepper: &[u8; 32], password: &str, stored: &str) -> PasswordCheck {
    match stored.strip_prefix(PASSWORD_SCHEME) {
        Some(inner) => match bcrypt::verify(prehash(pepper, password), inner) {
            Ok(true) => PasswordCheck::Right,
            _ => PasswordCheck::Wrong,
        },
        None if password.len() > BCRYPT_MAX_BYTES => PasswordCheck::Wrong,
        None => match bcrypt::verify(password, stored) {
            Ok(true) => PasswordCheck::RightButOld,
            _ => PasswordCheck::Wrong,
        },
    }
}

/// Password hashing off the request workers: a few low-priority threads
/// take bcrypt jobs from a short queue, so a login flood cannot starve page
/// rendering. When the queue is full the request gets `Error::Busy` (503)
/// at once instead of tying up another worker. Hashes are made and checked
/// with [`hash_password`] and [`verify_password`].
pub struct PasswordHasher {
    jobs: crossbeam_channel::Sender<PasswordJob>,
    cost: u32,
}

enum PasswordJob {
    Hash(String, u32, crossbeam_channel::Sender<Result<String>>),
    Verify(String, String, crossbeam_channel::Sender<PasswordCheck>),
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PasswordHasher(cost {})", self.cost)
    }
}

impl PasswordHasher {
    /// Start `threads` hashing threads (at nice +10 on Linux) with room for
    /// `queue` waiting jobs; new hashes use bcrypt `cost` and the `pepper`
    /// ([`Keys::password_pepper`]).
    pub fn new(threads: usize, queue: usize, cost: u32, pepper: [u8; 32]) -> PasswordHasher {
        let (tx, rx) = crossbeam_channel::bounded::<PasswordJob>(queue);
        for i in 0..threads.max(1) {
            let rx = rx.clone();
            let _ = std::thread::Builder::new().name(format!("bcrypt-{i}")).spawn(move || {
                lower_thread_priority();
                for job in rx {
                    match job {
                        PasswordJob::Hash(pw, cost, reply) => {
                            let _ = reply.send(hash_password(&pepper, &pw, cost));
                        }
                        PasswordJob::Verify(pw, hash, reply) => {
                            let _ = reply.send(verify_password(&pepper, &pw, &hash));
                        }
                    }
                }
            });
        }
        PasswordHasher { jobs: tx, cost }
    }

    /// Stored hash of a new password ([`hash_password`]).
    ///
    /// # Errors
    /// `Error::Busy` when the queue is full, `Error::Internal` if bcrypt fails.
    pub fn hash(&self, password: &str) -> Result<String> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        self.jobs.try_send(PasswordJob::Hash(password.to_string(), self.cost, tx)).map_err(|_| Error::Busy)?;
        rx.recv().map_err(|e| Error::Internal(e.to_string()))?
    }

    /// Check `password` against a stored hash of either scheme
    /// ([`verify_password`]).
    ///
    /// # Errors
    /// `Error::Busy` when the queue is full.
    pub fn check(&self, password: &str, hash: &str) -> Result<PasswordCheck> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        self.jobs.try_send(PasswordJob::Verify(password.to_string(), hash.to_string(), tx)).map_err(|_| Error::Busy)?;
        rx.recv().map_err(|e| Error::Internal(e.to_string()))
    }

    /// Does `password` match the stored `hash` (either scheme)?
    ///
    /// # Errors
    /// `Error::Busy` when the queue is full.
    pub fn verify(&self, password: &str, hash: &str) -> Result<bool> {
        Ok(self.check(password, hash)?.ok())
    }
}

/// Make the calling thread yield the CPU to request workers (nice +10).
fn lower_thread_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread's own id has no memory effects.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_known_answer() {
        // RFC 4231 test case 2.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(hex::encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn key_file_is_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let a = Keys::load_or_create(dir.path()).unwrap();
        let b = Keys::load_or_create(dir.path()).unwrap();
        assert_eq!(a.audit, b.audit);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("plaza.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn hasher_hashes_verifies_and_sheds() {
        let h = PasswordHasher::new(1, 4, 4, [3u8; 32]);
        let hash = h.hash("correct horse").unwrap();
        assert!(hash.starts_with(PASSWORD_SCHEME));
        assert!(h.verify("correct horse", &hash).unwrap());
        assert!(!h.verify("wrong", &hash).unwrap());
        assert!(!h.verify("x", "not a hash").unwrap());
    }

    #[test]
    fn prehash_known_answer() {
        // RFC 4231 test case 2 again, through the pre-hash: base64 of the MAC.
        let mut pepper = [0u8; 32];
        pepper[..4].copy_from_slice(b"Jefe");
        let mac = hmac_sha256(&pepper, b"what do ya want for nothing?");
        use base64::Engine;
        assert_eq!(
            prehash(&pepper, "what do ya want for nothing?"),
            base64::engine::general_purpose::STANDARD.encode(mac)
        );
        assert_eq!(prehash(&pepper, "x").len(), 44, "inside bcrypt's 72 bytes");
    }

    #[test]
    fn long_passwords_do_not_collide() {
        let pepper = [9u8; 32];
        let pw72 = "a".repeat(72);
        let stored = hash_password(&pepper, &pw72, 4).unwrap();
        assert_eq!(verify_password(&pepper, &pw72, &stored), PasswordCheck::Right);
        assert_eq!(verify_password(&pepper, &format!("{pw72}b"), &stored), PasswordCheck::Wrong);
        let zh: String = "密码".repeat(64);
        let stored = hash_password(&pepper, &zh, 4).unwrap();
        assert_eq!(verify_password(&pepper, &zh, &stored), PasswordCheck::Right);
        assert_eq!(verify_password(&pepper, &zh[..zh.len() - 3], &stored), PasswordCheck::Wrong);
        assert_eq!(verify_password(&[8u8; 32], &zh, &stored), PasswordCheck::Wrong, "another pepper");
    }

    #[test]
    fn plain_bcrypt_hashes_verify_as_old() {
        let pepper = [9u8; 32];
        let old = bcrypt::hash("correct horse", 4).unwrap();
        assert_eq!(verify_password(&pepper, "correct horse", &old), PasswordCheck::RightButOld);
        assert_eq!(verify_password(&pepper, "wrong horse", &old), PasswordCheck::Wrong);
        let pw72 = "z".repeat(72);
        let old = bcrypt::hash(&pw72, 4).unwrap();
        assert_eq!(verify_password(&pepper, &pw72, &old), PasswordCheck::RightButOld);
        assert_eq!(verify_password(&pepper, &format!("{pw72}!"), &old), PasswordCheck::Wrong, "bcrypt would cut it");
        assert_eq!(verify_password(&pepper, "x", "$pz1$garbage"), PasswordCheck::Wrong);
        assert_eq!(verify_password(&pepper, "x", "!unset"), PasswordCheck::Wrong);
    }

    #[test]
    fn seal_opens_only_in_its_place() {
        let keys = Keys::from_master(&[7u8; 32]);
        let a = seal(&keys.identity_enc, b"110101199003071234", b"user:1 number");
        let b = seal(&keys.identity_enc, b"110101199003071234", b"user:1 number");
        assert_ne!(a, b, "fresh nonce each time");
        assert!(!a.windows(18).any(|w| w == b"110101199003071234"));
        assert_eq!(open(&keys.identity_enc, &a, b"user:1 number").unwrap(), b"110101199003071234");
        assert!(open(&keys.identity_enc, &a, b"user:2 number").is_err(), "moved to another account");
        assert!(open(&keys.audit, &a, b"user:1 number").is_err(), "another key");
        let mut bad = a.clone();
        bad[20] ^= 1;
        assert!(open(&keys.identity_enc, &bad, b"user:1 number").is_err(), "altered");
        assert!(open(&keys.identity_enc, &a[..10], b"user:1 number").is_err());
        assert_ne!(keys.identity_enc, keys.identity_mac);
        assert_ne!(keys.password_pepper, keys.identity_mac);
    }

    #[test]
    fn digits() {
        let d = random_digits(6);
        assert_eq!(d.len(), 6);
        assert!(d.bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn tokens_differ() {
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 64);
        assert!(constant_time_eq(b"abc", b"abc") && !constant_time_eq(b"abc", b"abd"));
    }
}
