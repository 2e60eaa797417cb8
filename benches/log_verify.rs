//! The activity log's costs (R16.3): `plaza log verify` over 100,000
//! entries, and one logged commit with and without rewriting the signed
//! head file. Prints figures, asserts nothing about speed.
//!
//! `cargo bench --bench log_verify`

use plaza::db::{self, log::Source};
use std::time::Instant;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (keys, conn) = plaza::app::prepare_data(dir.path()).unwrap();
    let head = db::log::HeadFile::new(dir.path(), &keys.audit).unwrap();
    head.arm(&conn).unwrap();
    let src = Source { account_id: Some(1), ip: "203.0.113.7".into(), port: 40000, user_agent: "bench".into() };
    db::write(&conn, |tx| {
        for i in 0..100_000 {
            db::log::append(tx, &keys.audit, &src, 1_700_000_000 + i, "post.create", &format!("post:{i}"), "ok")?;
        }
        Ok(())
    })
    .unwrap();
    head.sync(&conn, 1_700_000_000).unwrap();
    let t = Instant::now();
    let out = plaza::cli::log_verify(dir.path(), None).unwrap();
    println!("log_verify: {out}: verify took {:?}", t.elapsed());

    let one = |sync: bool| {
        let t = Instant::now();
        for i in 0..500 {
            db::write(&conn, |tx| db::log::append(tx, &keys.audit, &src, 1_800_000_000 + i, "x", "y", "ok")).unwrap();
            if sync {
                head.sync(&conn, 1_800_000_000).unwrap();
            }
        }
        t.elapsed() / 500
    };
    let without = one(false);
    let with = one(true);
    println!("  one logged commit: {without:?} without the head, {with:?} with it");
}
