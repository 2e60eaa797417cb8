//! The maintenance the server runs at start-up and then once a day
//! (`server` calls [`run`]): log retention (R16.2), evidence of authors'
//! own deletions (R12.2), old data downloads (R7.6), identities of closed
//! accounts (R7.4, R7.6), the monthly credit bonus (R15.1) and the signed
//! log head (R16.3). Each step reports to stderr and a failed step does not
//! stop the others.

use super::{Actor, Env};
use crate::app::App;
use crate::db::{self, log::Source};

/// The server acting on its own ([`Actor::System`]) now, logged with the
/// source `plaza serve daily`.
pub fn system(app: &App) -> Env<'_> {
    Env {
        config: &app.config,
        keys: &app.keys,
        actor: Actor::System,
        source: Source::cli("serve daily"),
        now: app.now(),
    }
}

/// The daily maintenance: prune activity-log entries older than
/// `log_retention_days` (R16.2) and evidence records of authors' own
/// deletions as old (R12.2), delete members' data downloads older than a
/// week (R7.6), delete the identities of accounts closed longer than
/// `log_retention_days` ago (R7.4, R7.6), grant the monthly credit bonus
/// (R15.1), forget client API uploads never posted after a day (issue
/// 19), and write the signed log head to this process's stderr, so an
/// operator who keeps the server's log elsewhere holds a copy that
/// `plaza log verify --head` can check (R16.3). Each step reports its
/// failure to stderr and the others still run.
pub fn run(app: &App, conn: &rusqlite::Connection) {
    let days = app.config.log_retention_days;
    match db::log::prune_old(conn, &app.keys.audit, &app.log_head, days, app.now(), &Source::cli("serve daily")) {
        Ok(Some(p)) => eprintln!("plaza: pruned activity-log entries {}-{} older than {days} days", p.first, p.last),
        Ok(None) => {}
        Err(e) => eprintln!("plaza: pruning the activity log: {e}"),
    }
    // R12.2: the records of authors' own deletions are kept for the same retention.
    let cutoff = app.now() - i64::from(days) * 86_400;
    let pruned = app.write(conn, |tx| {
        let n = db::evidence::prune_author_deletions(tx, cutoff)?;
        if n > 0 {
            system(app).log(tx, "evidence.prune", "evidence:author_delete", &format!("{n} records"))?;
        }
        Ok(n)
    });
    if let Err(e) = pruned {
        eprintln!("plaza: pruning evidence of authors' deletions: {e}");
    }
    if let Err(e) = crate::member_data::delete_downloads(conn, &app.config.data_dir, app.now(), None) {
        eprintln!("plaza: deleting old data downloads: {e}");
    }
    // R7.4, R7.6: the identity of a closed account is kept as long as its log, then deleted.
    let cutoff = app.now() - i64::from(days) * 86_400;
    let purged = app.write(conn, |tx| {
        let n = db::identity::purge_closed(tx, cutoff)?;
        if n > 0 {
            system(app).log(tx, "identity.purge", "closed accounts", &format!("{n} identities"))?;
        }
        Ok(n)
    });
    match purged {
        Ok(0) => {}
        Ok(n) => eprintln!("plaza: deleted the identities of {n} accounts closed over {days} days ago"),
        Err(e) => eprintln!("plaza: deleting the identities of closed accounts: {e}"),
    }
    // Issue 18: sanctions that ran out on their own get their log entry.
    match app.write(conn, |tx| super::sanctions::log_expired(&system(app), tx)) {
        Ok(0) => {}
        Ok(n) => eprintln!("plaza: {n} sanctions ran out"),
        Err(e) => eprintln!("plaza: logging sanctions that ran out: {e}"),
    }
    // Issue 19: uploads an app never posted go after a day (their files
    // with the next `plaza media gc`).
    let stale = app.write(conn, |tx| db::oauth::purge_unposted_media(tx, app.now() - 86_400));
    if let Err(e) = stale {
        eprintln!("plaza: deleting unposted client API uploads: {e}");
    }
    // R15.1: 30 days without a violation earn credit, up to the cap.
    match super::credit::monthly_bonus(app, conn) {
        Ok(0) => {}
        Ok(n) => eprintln!("plaza: monthly credit bonus for {n} accounts"),
        Err(e) => eprintln!("plaza: monthly credit bonus: {e}"),
    }
    app.log_head.sync_reporting(conn, app.now());
    match app.log_head.read() {
        Ok(Some(Ok(head))) => eprintln!("plaza: log head: {}", head.encode(&app.keys.audit)),
        Ok(Some(Err(reason))) => eprintln!("plaza: log head: {reason}"),
        Ok(None) => {}
        Err(e) => eprintln!("plaza: log head: {e}"),
    }
}
