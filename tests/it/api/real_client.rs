//! Issue 19, "check it with real clients": Mastodon.py (PyPI
//! `Mastodon.py`, a client nobody here wrote) registers an app, is
//! authorised through Plaza's login and consent page, and calls every
//! endpoint Plaza offers (`tests/api_client/run.py`); the test fails on
//! any failed check. Every response body of that run is then searched for
//! the member's identity values: none may appear (R7.5).

use crate::common::gov::*;
use crate::common::{pyenv, with_admin};
use std::process::Command;

/// The Mastodon.py version the project was checked with.
pub const MASTODON_PY: &str = "2.3.3";

#[test]
fn mastodon_py_drives_the_whole_api_and_no_identity_value_leaks() {
    let venv = pyenv::venv(&format!("mastodon-py-{MASTODON_PY}"), &format!("Mastodon.py=={MASTODON_PY}"), None);
    let (s, admin) = with_admin();
    add_rule(&admin, "赌博", "gambling", "block");
    // The member the client acts for, with identity values to look for.
    let alice = s.client();
    alice.signup_unverified("alice");
    let (number, mobile) = crate::common::fresh_identity();
    let legal_name = "欧阳明月";
    alice.bind_identity("alice", "individual", legal_name, &number, &mobile);
    alice.wait_verified();
    let _bob = member(&s, "bob");

    let dump = s.data.path().join("api-responses.txt");
    let out = Command::new(venv.join("bin/python"))
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api_client/run.py"))
        .args([s.base.as_str(), "alice", "correct horse", "bob", "赌博"])
        .arg(&dump)
        .output()
        .expect("run python");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "Mastodon.py run failed:\n{stdout}\n{stderr}\nserver:\n{}", s.stderr());
    assert!(stdout.starts_with("OK: "), "{stdout}");

    // R7.5: no identity value in any response of the whole run.
    let all = std::fs::read_to_string(&dump).unwrap();
    assert!(all.len() > 10_000, "the run's responses were recorded ({} bytes)", all.len());
    for secret in [number.as_str(), mobile.as_str(), legal_name, &number[..14]] {
        assert!(!all.contains(secret), "identity value {secret} in a response");
    }
    // The log names the app as the client of its calls (R16.1).
    assert!(
        count(&s, "SELECT count(*) FROM activity_log WHERE user_agent LIKE 'app:Plaza test (Mastodon.py) / %'") >= 3
    );
}
