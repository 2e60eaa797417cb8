//! The server: prepares the data folder, binds the socket, and runs a fixed
//! pool of worker threads, each owning one SQLite connection and taking
//! requests that [`front`] receives from tiny_http (DESIGN.md).

mod front;

use crate::app::App;
use crate::config::Config;
use crate::crypto;
use crate::db::{self, log::Source};
use crate::error::{Error, Result};
use crate::http::{BodyLimits, Req};
use crate::routes;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

pub use crate::app::prepare_data;

/// Run the server until the process is stopped.
///
/// While no admin exists, prints one line with the one-time setup URL; then
/// `Plaza listening on http://ADDR` (with the real port when `listen` asks
/// for port 0) once requests can be served.
///
/// # Errors
/// Start-up failures only: data folder, database, or binding the address.
pub fn serve(config: Config) -> Result<()> {
    raise_open_file_limit(config.max_open_files);
    let (keys, conn) = prepare_data(&config.data_dir)?;
    let listener = bind(&config)?;
    let addr = listener.local_addr()?;
    let app = Arc::new(App::new(config, keys, &conn)?);
    eprintln!("plaza: {}", app.config.describe());
    if crate::clock::offset() != 0 {
        eprintln!(
            "plaza: WARNING: {} shifts the clock by {} s (for tests only)",
            crate::clock::OFFSET_VAR,
            crate::clock::offset()
        );
    }
    if !db::users::admin_exists(&conn)? {
        let token = crypto::random_token();
        let now = app.now();
        app.write(&conn, |tx| db::users::replace_setup_token(tx, &crypto::sha256(token.as_bytes()), now))?;
        println!("First run: create the admin account at http://{addr}/setup?token={token}");
    }
    // Downloads being built when the server last stopped never finished.
    app.write(&conn, db::account_data::fail_pending_exports)?;
    daily(&app, &conn);
    {
        let app = app.clone();
        std::thread::Builder::new().name("daily".into()).spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_secs(86_400));
            match db::open(&app.config.data_dir.join(db::DB_FILE)) {
                Ok(conn) => daily(&app, &conn),
                Err(e) => eprintln!("plaza: daily tasks: {e}"),
            }
        })?;
    }
    drop(conn);
    // Requests from the front to the workers; bounded so a flood queues in
    // the kernel's accept backlog rather than in our memory.
    let (tx, rx) = crossbeam_channel::bounded::<tiny_http::Request>(app.config.workers * 64);
    let idle = Duration::from_secs(app.config.idle_timeout_seconds);
    let mut workers = Vec::new();
    for i in 0..app.config.workers {
        let (app, rx) = (app.clone(), rx.clone());
        let conn = db::open(&app.config.data_dir.join(db::DB_FILE))?;
        workers.push(std::thread::Builder::new().name(format!("worker-{i}")).spawn(move || {
            let upload_dir = crate::media::Store::new(&app.config.data_dir).tmp_dir();
            let limits = BodyLimits {
                max_form: app.config.max_form_bytes,
                max_upload: app.config.max_upload_bytes,
                upload_dir: &upload_dir,
            };
            for rq in rx {
                handle(&app, &conn, &limits, rq);
            }
        })?);
    }
    front::start(listener, tx, idle)?;
    // Last line of start-up: scripts and tests wait for it.
    println!("Plaza listening on http://{addr}");
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

/// Tasks run at start-up and then once a day: prune activity-log entries
/// older than `log_retention_days` (R16.2) and evidence records of authors'
/// own deletions as old (R12.2), delete members' data downloads
/// older than a week (R7.6), delete the identities of accounts closed longer
/// than `log_retention_days` ago (R7.4, R7.6), and write the signed log head to
/// this process's stderr, so an operator who keeps the server's log
/// elsewhere holds a copy that `plaza log verify --head` can check (R16.3).
fn daily(app: &App, conn: &rusqlite::Connection) {
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
            let source = Source::cli("serve daily");
            db::log::append(
                tx,
                &app.keys.audit,
                &source,
                app.now(),
                "evidence.prune",
                "evidence:author_delete",
                &format!("{n} records"),
            )?;
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
            let src = Source::cli("serve daily");
            db::log::append(
                tx,
                &app.keys.audit,
                &src,
                app.now(),
                "identity.purge",
                "closed accounts",
                &format!("{n} identities"),
            )?;
        }
        Ok(n)
    });
    match purged {
        Ok(0) => {}
        Ok(n) => eprintln!("plaza: deleted the identities of {n} accounts closed over {days} days ago"),
        Err(e) => eprintln!("plaza: deleting the identities of closed accounts: {e}"),
    }
    // R15.1: 30 days without a violation earn credit, up to the cap.
    match crate::routes::credit::monthly_bonus(app, conn) {
        Ok(0) => {}
        Ok(n) => eprintln!("plaza: monthly credit bonus for {n} accounts"),
        Err(e) => eprintln!("plaza: monthly credit bonus: {e}"),
    }
    if let Err(e) = app.log_head.sync(conn, app.now()) {
        eprintln!("plaza: log head: {e}");
    }
    match app.log_head.read() {
        Ok(Some(Ok(head))) => eprintln!("plaza: log head: {}", head.encode(&app.keys.audit)),
        Ok(Some(Err(reason))) => eprintln!("plaza: log head: {reason}"),
        Ok(None) => {}
        Err(e) => eprintln!("plaza: log head: {e}"),
    }
}

/// Bind the listening socket with the options accepted connections inherit
/// on Linux: `TCP_NODELAY` (tiny_http never sets it, and without it pages
/// over 1 KiB on a kept-alive connection wait ~40 ms for a delayed ACK), and
/// read/write timeouts, which close a connection idle or stalled for the
/// idle timeout so it cannot hold a thread.
fn bind(config: &Config) -> Result<TcpListener> {
    let listener = TcpListener::bind(&config.listen)
        .map_err(|e| Error::Config(format!("cannot listen on {}: {e}", config.listen)))?;
    let sock = socket2::SockRef::from(&listener);
    sock.set_nodelay(true)?;
    let idle = Some(Duration::from_secs(config.idle_timeout_seconds));
    sock.set_read_timeout(idle)?;
    sock.set_write_timeout(idle)?;
    Ok(listener)
}

/// Raise the soft open-file limit (to `want`, or to the hard limit when 0):
/// every connection is a file descriptor.
fn raise_open_file_limit(want: u64) {
    #[cfg(unix)]
    {
        let result = if want == 0 {
            rlimit::increase_nofile_limit(u64::MAX).map(|_| ())
        } else {
            rlimit::Resource::NOFILE.get().and_then(|(_, hard)| rlimit::Resource::NOFILE.set(want.min(hard), hard))
        };
        if let Err(e) = result {
            eprintln!("plaza: could not set the open-file limit: {e}");
        }
    }
}

/// Answer one request on a worker.
fn handle(app: &App, conn: &rusqlite::Connection, limits: &BodyLimits, mut rq: tiny_http::Request) {
    let resp = match Req::read(&mut rq, limits, &app.config.trusted_proxies) {
        // A bug must cost one request, never a worker.
        Ok(req) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| routes::dispatch(app, conn, req)))
            .unwrap_or_else(|_| routes::bare_error(app, &Error::Internal("handler panicked".into()))),
        Err(e) => routes::bare_error(app, &e),
    };
    if let Err(e) = rq.respond(resp.into_tiny()) {
        use std::io::ErrorKind::*;
        if !matches!(e.kind(), BrokenPipe | ConnectionReset | WouldBlock | TimedOut) {
            eprintln!("plaza: writing a response failed: {e}");
        }
    }
}
