//! The server: prepares the data folder, binds the socket, starts fixed
//! pools of synchronous worker threads, each owning one SQLite connection,
//! and hands the socket to the I/O side ([`io`]), which reads requests in
//! full and passes them to the workers over a channel (DESIGN.md).

mod io;

use crate::app::App;
use crate::config::Config;
use crate::crypto;
use crate::db;
use crate::error::{Error, Result};
use crate::http::engine::ReadLimits;
use crate::routes;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

/// Most files an upload without a session carries (complaint evidence).
const ANONYMOUS_UPLOAD_FILES: u64 = 4;

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
    let (keys, conn) = crate::app::prepare_data(&config.data_dir)?;
    let listener = bind(&config)?;
    let addr = listener.local_addr()?;
    let app = Arc::new(App::new(config, keys, &conn)?);
    eprintln!("plaza: {}", app.config.describe());
    if let Some(w) = app.config.plain_http_warning(addr) {
        eprintln!("plaza: {w}");
    }
    if app.config.https() {
        crate::http::engine::send_hsts();
    }
    if crate::clock::offset() != 0 {
        eprintln!(
            "plaza: WARNING: {} shifts the clock by {} s (for tests only)",
            crate::clock::OFFSET_VAR,
            crate::clock::offset()
        );
    }
    // A full disk starts the server read-only (issue 14): reads are served,
    // writes answer 507, admins see a banner.
    check_storage(&app, &conn);
    if !db::users::admin_exists(&conn)? {
        let token = crypto::random_token();
        let now = app.now();
        match app.write(&conn, |tx| db::users::replace_setup_token(tx, &crypto::sha256(token.as_bytes()), now)) {
            Ok(()) => println!("First run: create the admin account at http://{addr}/setup?token={token}"),
            Err(Error::StorageFull(_)) => eprintln!("plaza: no setup link: the disk is full"),
            Err(e) => return Err(e),
        }
    }
    // Downloads being built when the server last stopped never finished.
    match app.write(&conn, db::account_data::fail_pending_exports) {
        Ok(_) | Err(Error::StorageFull(_)) => {}
        Err(e) => return Err(e),
    }
    daily(&app, &conn);
    // Litestream and the file copies to the replica target (issue 14).
    crate::replication::Replication::start(&app)?;
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
    {
        // Rewrites of the signed log head that busy writers left (issue 11).
        let app = app.clone();
        let conn = db::open(&app.config.data_dir.join(db::DB_FILE))?;
        std::thread::Builder::new().name("log-head".into()).spawn(move || loop {
            app.log_head.next_deferred();
            app.log_head.sync_reporting(&conn, app.now());
            app.log_head.rewrite_ended();
        })?;
    }
    drop(conn);
    let wait = Duration::from_secs(app.config.queue_wait_seconds);
    // Two places per worker: one at work, one handed over and waiting.
    let pages = lane(&app, "page", app.config.workers, 2 * app.config.workers, wait)?;
    let forms = lane(&app, "form", app.config.write_workers, 2 * app.config.write_workers, wait)?;
    // Password hashing runs on the hasher's own low-priority threads; one
    // more worker than hashing threads keeps them busy while a login's
    // database work runs. Their places are exactly the workers, so every
    // waiting login waits with the deadline.
    let hash_workers = app.config.hash_threads + 1;
    let hashing = lane(&app, "password", hash_workers, hash_workers, wait)?;
    let shared = io::Shared {
        limits: ReadLimits {
            max_form: app.config.max_form_bytes,
            max_upload: app.config.max_upload_bytes,
            upload_dir: crate::media::Store::new(&app.config.data_dir).tmp_dir(),
            trusted_proxies: app.config.trusted_proxies.clone(),
            anonymous: crate::http::engine::AnonymousUploads {
                session_cookie: routes::cookie_name(&app.config, routes::SESSION_COOKIE),
                csrf_cookie: routes::cookie_name(&app.config, routes::CSRF_COOKIE),
                // The complaint form's evidence: a few images and the text.
                max_bytes: app.config.max_form_bytes + ANONYMOUS_UPLOAD_FILES * app.config.image_max_bytes,
                csrf_key: app.keys.csrf,
            },
            body_idle: Duration::from_secs(app.config.idle_timeout_seconds),
            body_min_rate: BODY_MIN_RATE,
        },
        pages,
        forms,
        hashing,
        idle: Duration::from_secs(app.config.idle_timeout_seconds),
        max_connections: app.config.max_connections,
    };
    // Last line of start-up: scripts and tests wait for it.
    println!("Plaza listening on http://{addr}");
    io::run(listener, shared, app.config.io_threads)?;
    Ok(())
}

/// At start: is there room to write? A database that cannot grow (a full
/// disk or size cap) or a file system with less than [`crate::app::MIN_FREE_BYTES`]
/// free marks the storage full; the server still starts and serves reads.
fn check_storage(app: &App, conn: &rusqlite::Connection) {
    let free = db::upkeep::free_bytes(&app.config.data_dir);
    if free.is_some_and(|b| b < crate::app::MIN_FREE_BYTES) {
        app.note_storage_full(&format!("{} bytes free on the data folder's disk", free.unwrap_or(0)));
    } else {
        match db::upkeep::can_grow(conn) {
            Ok(true) => {}
            Ok(false) => app.note_storage_full("the database cannot grow"),
            // A lock held elsewhere: the first write will say so (503).
            Err(e) => eprintln!("plaza: checking for room to write: {e}"),
        }
    }
    if app.storage_full() {
        eprintln!("plaza: starting READ-ONLY: pages are served, every write answers 507 until space is freed");
    }
}

/// Bytes per second a request body must average after its first ten seconds.
const BODY_MIN_RATE: u64 = 1024;

/// Start `workers` threads, each with its own SQLite connection, taking jobs
/// for a lane with `places` places (at work or handed over).
fn lane(app: &Arc<App>, name: &'static str, workers: usize, places: usize, wait: Duration) -> Result<io::Lane> {
    let (jobs, rx) = crossbeam_channel::unbounded::<io::Job>();
    for i in 0..workers {
        let (app, rx) = (app.clone(), rx.clone());
        let conn = db::open(&app.config.data_dir.join(db::DB_FILE))?;
        std::thread::Builder::new().name(format!("{name}-{i}")).spawn(move || {
            for job in rx {
                // A bug must cost one request, never a worker.
                let resp =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| routes::dispatch(&app, &conn, job.req)))
                        .unwrap_or_else(|_| routes::bare_error(&Error::Internal("handler panicked".into())));
                // The client may have gone; its place is given back with the job.
                let _ = job.reply.send(resp);
            }
        })?;
    }
    Ok(io::Lane { name, places: Arc::new(tokio::sync::Semaphore::new(places)), jobs, wait })
}

/// The daily maintenance (`actions::daily::run`), at start-up and then once a day.
fn daily(app: &App, conn: &rusqlite::Connection) {
    crate::actions::daily::run(app, conn);
}

/// Bind the listening socket.
fn bind(config: &Config) -> Result<TcpListener> {
    TcpListener::bind(&config.listen).map_err(|e| Error::Config(format!("cannot listen on {}: {e}", config.listen)))
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
