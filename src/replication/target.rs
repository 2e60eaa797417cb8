//! Where the replica goes: a folder on another disk, or an SFTP or S3 URL.

use super::DB_REPLICA;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Where the replica goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A folder on another disk (absolute): Litestream's replica and
    /// Plaza's copies of media, key and head.
    Path(PathBuf),
    /// `sftp://user@host[:port]/path` or `s3://bucket/prefix[?endpoint=…]`
    /// (an S3-compatible store such as an on-premises MinIO): Litestream
    /// replicates the database there; media, key and head are not copied.
    Remote(String),
}

impl Target {
    /// Parse what the operator typed: a folder path (absolute or relative,
    /// or `file:///…`), `sftp://…` or `s3://…`.
    ///
    /// # Errors
    /// `Error::Config` for an empty value, another URL scheme, or an SFTP
    /// or S3 URL without a host or bucket.
    pub fn parse(s: &str) -> Result<Target> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Error::Config(
                "give a replica target: a folder on another disk, sftp://user@host/path or s3://bucket/path".into(),
            ));
        }
        if let Some(rest) = s.strip_prefix("file://") {
            return Target::folder(rest);
        }
        for scheme in ["sftp://", "s3://"] {
            if let Some(rest) = s.strip_prefix(scheme) {
                let host = rest.split(['/', '?']).next().unwrap_or("");
                if host.is_empty() || host.ends_with('@') {
                    return Err(Error::Config(format!("{s}: no host or bucket after {scheme}")));
                }
                return Ok(Target::Remote(s.trim_end_matches('/').to_string()));
            }
        }
        if s.contains("://") {
            return Err(Error::Config(format!(
                "{s}: unsupported replica target; use a folder on another disk, sftp://user@host/path or \
                 s3://bucket/path?endpoint=http://minio:9000"
            )));
        }
        Target::folder(s)
    }

    fn folder(p: &str) -> Result<Target> {
        let abs = std::path::absolute(p).map_err(|e| Error::Config(format!("{p}: {e}")))?;
        Ok(Target::Path(abs))
    }

    /// The target as stored in the settings and shown to the operator.
    pub fn text(&self) -> String {
        match self {
            Target::Path(p) => p.display().to_string(),
            Target::Remote(u) => u.clone(),
        }
    }

    /// The folder, for a folder target.
    pub fn folder_path(&self) -> Option<&Path> {
        match self {
            Target::Path(p) => Some(p),
            Target::Remote(_) => None,
        }
    }

    /// Litestream's replica URL: the target's `db` folder or key prefix.
    pub fn db_url(&self) -> String {
        match self {
            Target::Path(p) => format!("file://{}", p.join(DB_REPLICA).display()),
            Target::Remote(u) => match u.split_once('?') {
                Some((base, query)) => format!("{}/{DB_REPLICA}?{query}", base.trim_end_matches('/')),
                None => format!("{u}/{DB_REPLICA}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!(Target::parse("/mnt/disk2/plaza").unwrap(), Target::Path("/mnt/disk2/plaza".into()));
        assert_eq!(Target::parse("file:///mnt/b").unwrap(), Target::Path("/mnt/b".into()));
        let s3 = Target::parse("s3://bucket/site?endpoint=http://minio:9000").unwrap();
        assert_eq!(s3.db_url(), "s3://bucket/site/db?endpoint=http://minio:9000");
        assert_eq!(Target::parse("sftp://u@host:22/x/").unwrap().db_url(), "sftp://u@host:22/x/db");
        assert!(Target::parse("ftp://host/x").is_err());
        assert!(Target::parse("s3://").is_err());
        assert!(Target::parse("  ").is_err());
        assert_eq!(Target::Path("/a b".into()).db_url(), "file:///a b/db");
    }
}
