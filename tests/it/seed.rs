//! `plaza seed`: the same seed gives the same data; the data is usable (log
//! verifies, members can log in and publish, sessions work for load tools).

use crate::common::Server;
use std::path::Path;

fn seed(dir: &Path, seed: &str, extra: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plaza"))
        .args(["seed", "--data", dir.to_str().unwrap(), "--users", "60", "--follows", "8", "--posts", "500"])
        .args(["--seed", seed, "--until", "2026-11-30T00:00:00Z"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Everything seeded that a seed decides (not password hashes, tokens or keys).
fn content(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut rows = Vec::new();
    for sql in [
        "SELECT username || '|' || display_name || '|' || bio FROM users ORDER BY id",
        "SELECT follower_id || '>' || followee_id FROM follows ORDER BY 1",
        "SELECT id || '|' || author_id || '|' || body || '|' || visibility || '|' || coalesce(repost_of, '') || '|' || created_at
         || '|' || comment_count || '|' || repost_count || '|' || like_count FROM posts ORDER BY id",
        "SELECT post_id || '|' || author_id || '|' || body FROM comments ORDER BY id",
        "SELECT user_id || '|' || post_id FROM likes ORDER BY 1",
        "SELECT tag || '|' || post_id FROM post_tags ORDER BY 1",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        rows.extend(stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap));
    }
    rows
}

#[test]
fn same_seed_same_data_and_it_is_usable() {
    let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let summary = seed(a.path(), "7", &[]);
    assert!(summary.contains("seeded 60 users") && summary.contains("500 posts"), "{summary}");
    seed(b.path(), "7", &[]);
    seed(c.path(), "8", &[]);
    let (ca, cb, cc) =
        (content(&a.path().join("plaza.db")), content(&b.path().join("plaza.db")), content(&c.path().join("plaza.db")));
    assert!(ca.len() > 1000, "{}", ca.len());
    assert_eq!(ca, cb, "same seed, same data");
    assert_ne!(ca, cc, "another seed, other data");
    // Chinese and English text, hashtags, mentions, reposts.
    let all = ca.join("\n");
    assert!(all.contains('，') && all.contains(" the ") && all.contains("#") && all.contains(" @"));
    assert!(ca.iter().any(|r| r.split('|').nth(4).is_some_and(|x| !x.is_empty())), "some reposts");
    // A second seed into the same folder is refused, changing nothing.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plaza"))
        .args(["seed", "--data", a.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("already has posts"));
    assert_eq!(content(&a.path().join("plaza.db")), ca);

    // The data works: the log verifies, a seeded member logs in and posts,
    // and the sessions written for load tools are live.
    let sessions = tempfile::NamedTempFile::new().unwrap();
    let d = tempfile::TempDir::new().unwrap();
    let api_tokens = tempfile::NamedTempFile::new().unwrap();
    seed(
        d.path(),
        "9",
        &[
            "--sessions",
            "3",
            "--sessions-out",
            sessions.path().to_str().unwrap(),
            "--api-tokens-out",
            api_tokens.path().to_str().unwrap(),
        ],
    );
    let s = Server::start_in(d, &[], &[]);
    let (ok, out, err) = s.command(&["log", "verify"]);
    assert!(ok, "{out}{err}");
    let first = std::fs::read_to_string(sessions.path()).unwrap();
    let line: Vec<&str> = first.lines().next().unwrap().split(' ').collect();
    let (token, username) = (line[0], line[2]);
    let c = s.client();
    let p = c.post("/login", &[("username", username), ("password", "plaza-seed-password")]);
    assert_eq!(p.status, 303, "{}", p.body);
    c.post_status("种子账号也能发微博", "public");
    let raw = s.client().get_raw("/", &[("Cookie", &format!("plaza_session={token}"))]);
    assert_eq!(raw.status, 200);
    assert!(
        String::from_utf8_lossy(&raw.body).contains(&format!("/@{username}")),
        "the session is the sampled member's"
    );
    // Issue 19: the bearer tokens written for the load tool's api_home work.
    let tokens = std::fs::read_to_string(api_tokens.path()).unwrap();
    assert_eq!(tokens.lines().count(), 3);
    let (bearer, who) = tokens.lines().next().unwrap().split_once(' ').unwrap();
    let api = crate::common::api::Api::with_token(&s, bearer);
    assert_eq!(api.get("/api/v1/accounts/verify_credentials").body["username"], who);
    let home = api.get("/api/v1/timelines/home");
    assert_eq!(home.status, 200);
    assert!(!home.body.as_array().unwrap().is_empty(), "a seeded member's home has posts");
}
