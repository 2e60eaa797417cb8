//! Files only the server's own account may read (issue 15): the data
//! folder and its subfolders are mode 0700, the database, key, member data
//! downloads and media files 0600. Modes are set explicitly after creation,
//! so they do not depend on the umask the server was started with (0022
//! would leave everything readable by every local user).

use std::path::Path;

/// Create `dir` (and missing parents) and make it 0700.
///
/// # Errors
/// An I/O error creating it or setting its mode.
pub fn dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)
}

/// Make an existing `file` 0600 (a missing one is left alone).
///
/// # Errors
/// An I/O error other than the file not existing.
pub fn file(file: &Path) -> std::io::Result<()> {
    match set_mode(file, 0o600) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn modes_whatever_the_umask() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("a/b");
        dir(&d).unwrap();
        assert_eq!(std::fs::metadata(&d).unwrap().permissions().mode() & 0o777, 0o700);
        let f = d.join("f");
        std::fs::write(&f, b"x").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o666)).unwrap();
        file(&f).unwrap();
        assert_eq!(std::fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o600);
        file(&d.join("missing")).unwrap();
    }
}
