//! Keys and tokens: the data folder's key file, derived sub-keys, random
//! tokens, hashes and keyed hashes.
//!
//! The key file (`DATA/plaza.key`, 64 hex characters, mode 0600) holds one
//! 256-bit master key. Each use gets its own sub-key, HMAC-SHA256(master,
//! label), so that the activity-log chain key (R16.3) and, later, the
//! identity encryption key (R7.4) are independent.

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
        }
    }
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

/// Compare two byte strings in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
    fn tokens_differ() {
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 64);
        assert!(constant_time_eq(b"abc", b"abc") && !constant_time_eq(b"abc", b"abd"));
    }
}
