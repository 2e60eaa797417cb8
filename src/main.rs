//! The `plaza` command: parses arguments and calls one library function per
//! subcommand. With no subcommand it serves.

use clap::{Parser, Subcommand};
use plaza::config::{Config, Overrides};
use std::path::PathBuf;
use std::process::ExitCode;

/// A complete microblog for a small organisation, compliant with the 2018
/// Microblog Information Service Provisions.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Data folder: database, key file, media.
    #[arg(long, global = true, env = "PLAZA_DATA", default_value = "plaza-data")]
    data: PathBuf,
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Activity log commands (R16.3).
    #[command(subcommand)]
    Log(LogCommand),
    /// Fill an empty data folder with deterministic synthetic data.
    Seed(SeedArgs),
    /// Switch a feature with public-opinion or mobilisation attributes
    /// (reposts, trending, polls, live) on or off; on needs a security
    /// assessment on record, given here or in /admin/features (R13.1).
    Feature {
        /// `on` or `off`.
        #[arg(value_parser = ["on", "off"])]
        state: String,
        /// reposts, trending, polls or live.
        name: String,
        /// Date of the security assessment to record first (YYYY-MM-DD).
        #[arg(long)]
        assessed_on: Option<String>,
        /// Its report or filing reference number.
        #[arg(long)]
        reference: Option<String>,
        /// Who assessed it.
        #[arg(long)]
        assessor: Option<String>,
    },
    /// Media store commands (R2.2).
    #[command(subcommand)]
    Media(MediaCommand),
    /// Post search index commands (issue 17).
    #[command(subcommand)]
    Search(SearchCommand),
    /// Copy the database (consistently, while the server runs), the key,
    /// the signed log head and the media files into DIR, with a manifest of
    /// SHA-256 hashes.
    Backup {
        /// An empty or new folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check the database (integrity, foreign keys), the activity log (chain
    /// and signed head) and the media files; one line per fault, exit 1.
    Doctor {
        /// First remove orphaned media files older than an hour.
        #[arg(long)]
        gc: bool,
        /// First restore the append-only triggers of schema.sql that are
        /// missing (logged; needs a sound log head).
        #[arg(long)]
        repair: bool,
    },
    /// Restore a backup into the data folder given by --data, which must be
    /// empty or new; a backup that does not match its manifest is refused.
    Restore {
        /// The backup folder.
        dir: PathBuf,
    },
    /// Accounts the organisation makes for its members, with the identity
    /// verified by the organisation (R7.1); works while the server runs.
    #[command(subcommand)]
    User(UserCommand),
    /// Exports for filing with the regulator (R10.2).
    #[command(subcommand)]
    Filing(FilingCommand),
    /// Evidence records of removed, rejected, refused and deleted content (R12.3).
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Continuous replication to a second disk or server with Litestream
    /// (the server runs it), so a dead disk loses seconds, not days (R16.2, R12.2).
    #[command(subcommand)]
    Replication(ReplicationCommand),
}

#[derive(Subcommand)]
enum ReplicationCommand {
    /// Write Litestream's configuration (DATA/litestream.yml) for a replica
    /// target: a folder on another disk (Plaza also copies media, plaza.key
    /// and log.head there), sftp://user@host/path or
    /// s3://bucket/path?endpoint=http://minio:9000 (database only).
    Config {
        /// The replica target.
        #[arg(long)]
        to: String,
        /// Litestream's sync interval and Plaza's file-copy interval, milliseconds.
        #[arg(long, default_value_t = plaza::replication::DEFAULT_INTERVAL_MS)]
        interval_ms: u64,
    },
    /// Show the target, whether Litestream runs, the last sync and the lag;
    /// exit 1 when not running or lagging past replication_lag_alert_seconds.
    Status,
    /// Restore a whole site from a folder replica into a new or empty
    /// folder, then run doctor and log verify on it.
    Restore {
        /// The new data folder (must be empty or new).
        #[arg(long)]
        to: PathBuf,
        /// The replica (default: the target configured in --data).
        #[arg(long)]
        from: Option<String>,
        /// Restore the database as of this RFC 3339 time (default: newest).
        #[arg(long)]
        timestamp: Option<String>,
        /// Who is restoring, for the log (default: $USER).
        #[arg(long)]
        operator: Option<String>,
    },
}

#[derive(Subcommand)]
enum EvidenceCommand {
    /// Write the records of a time range as evidence.json and evidence.csv
    /// (a SHA-256 per record), their media files, and SHA256SUMS, into a new
    /// folder. Dates are days (2026-03-01) or minutes in the site's time
    /// zone, or RFC 3339; --to includes its whole day.
    Export {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// A new or empty folder.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create one account; the password is the first line of standard input.
    /// Running it again with the same identity changes nothing.
    Add {
        #[arg(long)]
        username: String,
        /// Read the password from standard input (required: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long)]
        display_name: Option<String>,
        /// The member's or organisation's legal name.
        #[arg(long)]
        legal_name: String,
        /// Mainland mobile number (+86 and separators allowed).
        #[arg(long)]
        mobile: String,
        /// Resident ID number (individuals).
        #[arg(long, group = "number", required_unless_present = "credit_code")]
        id_number: Option<String>,
        /// Unified social credit code or organisation code (organisations).
        #[arg(long, group = "number")]
        credit_code: Option<String>,
        /// individual, organisation, government, media or foreign_org
        /// (default: individual with --id-number, organisation with --credit-code).
        #[arg(long)]
        subject_type: Option<String>,
        /// A staff role: reviewer, chief_editor or admin (repeat for several).
        #[arg(long)]
        role: Vec<String>,
    },
    /// Create accounts from a CSV file with the columns username,
    /// display_name, legal_name, mobile, id_number or credit_code,
    /// subject_type, role; prints a one-time password-set link per new
    /// account and each bad row with its line number. Running it again
    /// changes nothing.
    Import {
        /// The CSV file (UTF-8, header row first).
        file: PathBuf,
    },
    /// Grant or revoke a staff role: reviewer, chief_editor or admin (R6.5).
    /// The last admin keeps the admin role.
    Role {
        #[arg(long)]
        username: String,
        #[arg(long, conflicts_with = "revoke", required_unless_present = "revoke")]
        grant: Option<String>,
        #[arg(long)]
        revoke: Option<String>,
    },
}

#[derive(Subcommand)]
enum FilingCommand {
    /// Write a CSV for the regulator; never overwrites a file.
    Export {
        /// What to export.
        #[arg(value_enum)]
        what: FilingWhat,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FilingWhat {
    /// Accounts holding a verified badge: type, certified name, province, dates.
    Verified,
    /// The tier rules in the order they are tried, with the credit-level thresholds (R9.2).
    Tiers,
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Write the search index again from every post's text, with a progress bar.
    Rebuild {
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
}

#[derive(Subcommand)]
enum MediaCommand {
    /// Remove media files that no post or avatar references any more.
    Gc {
        /// Only count what would be removed.
        #[arg(long)]
        dry_run: bool,
        /// Keep orphans younger than this many seconds (an upload in flight).
        #[arg(long, default_value_t = plaza::media::GC_MIN_AGE.as_secs())]
        min_age: u64,
    },
}

#[derive(clap::Args)]
struct SeedArgs {
    /// Accounts to create.
    #[arg(long, default_value_t = 1000)]
    users: u32,
    /// Accounts each account follows.
    #[arg(long, default_value_t = 50)]
    follows: u32,
    /// Posts to create (5% of them reposts).
    #[arg(long, default_value_t = 20_000)]
    posts: u32,
    /// Comments in all (default: posts / 5).
    #[arg(long)]
    comments: Option<u32>,
    /// Likes in all (default: posts / 2).
    #[arg(long)]
    likes: Option<u32>,
    /// Random seed: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Time of the newest post, RFC 3339 (default: the start of today, UTC).
    #[arg(long)]
    until: Option<String>,
    /// Start sessions for this many sampled accounts (for load tools).
    #[arg(long, default_value_t = 0)]
    sessions: u32,
    /// Where to write the sessions: one "TOKEN CSRF USERNAME" per line.
    #[arg(long)]
    sessions_out: Option<PathBuf>,
    /// Also give each of those sessions' accounts a client API bearer
    /// token and write them to this file, one `TOKEN USERNAME` per line
    /// (the load tool's `api_home` scenario, issue 19).
    #[arg(long)]
    api_tokens_out: Option<PathBuf>,
}

/// Server settings; each also reads a `PLAZA_*` variable and overrides
/// `plaza.toml`.
#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, global = true, env = "PLAZA_LISTEN")]
    listen: Option<String>,
    /// Page worker threads (default 4).
    #[arg(long, global = true, env = "PLAZA_WORKERS")]
    workers: Option<usize>,
    /// bcrypt cost for new passwords (default 10).
    #[arg(long, global = true, env = "PLAZA_BCRYPT_COST")]
    bcrypt_cost: Option<u32>,
    /// Longest post in characters (default 2000).
    #[arg(long, global = true, env = "PLAZA_POST_MAX_CHARS")]
    post_max_chars: Option<usize>,
    /// Largest form body in bytes (default 1048576).
    #[arg(long, global = true, env = "PLAZA_MAX_FORM_BYTES")]
    max_form_bytes: Option<u64>,
    /// Seconds before an idle or stalled connection is closed (default 30).
    #[arg(long, global = true, env = "PLAZA_IDLE_TIMEOUT_SECONDS")]
    idle_timeout_seconds: Option<u64>,
    /// Open-file limit to raise to at start (default: the hard limit).
    #[arg(long, global = true, env = "PLAZA_MAX_OPEN_FILES")]
    max_open_files: Option<u64>,
    /// Largest multipart upload body in bytes (default 105906176 = 101 MiB).
    #[arg(long, global = true, env = "PLAZA_MAX_UPLOAD_BYTES")]
    max_upload_bytes: Option<u64>,
    /// Reverse proxies (IP addresses, comma-separated) whose X-Forwarded-For /
    /// X-Real-IP headers are believed (default: none).
    #[arg(long, global = true, env = "PLAZA_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Option<Vec<std::net::IpAddr>>,
    /// Accounts that may sign up from one IP address per hour (default 5).
    #[arg(long, global = true, env = "PLAZA_SIGNUP_PER_ADDRESS_HOUR")]
    signup_per_address_hour: Option<u32>,
    /// Days the activity log is kept (default 365; at least 180, R16.2).
    #[arg(long, global = true, env = "PLAZA_LOG_RETENTION_DAYS")]
    log_retention_days: Option<u32>,
    /// Days a verified identity is valid before it is checked again (default 365, R7.3).
    #[arg(long, global = true, env = "PLAZA_IDENTITY_RECHECK_DAYS")]
    identity_recheck_days: Option<u32>,
    /// URL of an external identity check (R7.2); empty: an admin confirms.
    #[arg(long, global = true, env = "PLAZA_IDENTITY_VERIFY_WEBHOOK")]
    identity_verify_webhook: Option<String>,
    /// The site's public address, for links printed by commands (default: http:// + listen).
    /// `https://...`: cookies become `Secure` with the `__Host-` prefix and HSTS is sent.
    #[arg(long, global = true, env = "PLAZA_PUBLIC_URL")]
    public_url: Option<String>,
    /// Admins and chief editors must set up a second factor (TOTP) before staff pages open (default true).
    #[arg(long, global = true, env = "PLAZA_SECOND_FACTOR_FOR_TOP_STAFF")]
    second_factor_for_top_staff: Option<bool>,
}

#[derive(Subcommand)]
enum LogCommand {
    /// Check the hash chain of the activity log and compare it with the
    /// signed head (DATA/log.head); prints `ok N entries`.
    Verify {
        /// Also compare with a head line kept elsewhere (the server writes
        /// one to its log daily: `plaza-log-head-v1 entries=...`).
        #[arg(long)]
        head: Option<String>,
    },
    /// Replace a missing, unreadable, forged, older or mismatching signed
    /// head: log a `log.reseal` entry with the old head's state, the
    /// operator and the reason, then sign anew. verify and doctor list every
    /// reseal (R16.3).
    Reseal {
        /// Why the head is replaced (required; kept in the log).
        #[arg(long)]
        reason: String,
        /// Who is doing it (default: $USER).
        #[arg(long)]
        operator: Option<String>,
    },
    /// Delete entries older than the retention period (log_retention_days),
    /// keeping the chain verifiable from a signed checkpoint. Entries
    /// younger than 180 days are never deleted (R16.2).
    Prune {
        /// Prune entries older than this many days instead (at least 180).
        #[arg(long)]
        older_than_days: Option<u32>,
    },
    /// Export entries for the authorities (R16.3) as CSV or JSON Lines.
    /// Dates are days (2026-03-01) or minutes (2026-03-01T08:30) in the
    /// site's time zone, or RFC 3339; --to includes its whole day.
    Export {
        /// Only this account's entries (username).
        #[arg(long)]
        account: Option<String>,
        /// Only this action (`post.create`), or a prefix (`post.*`).
        #[arg(long)]
        action: Option<String>,
        /// Only entries from this source IP.
        #[arg(long)]
        ip: Option<String>,
        /// From this date or time (inclusive).
        #[arg(long)]
        from: Option<String>,
        /// Up to this date (inclusive) or time (exclusive).
        #[arg(long)]
        to: Option<String>,
        /// The file to write; never overwritten.
        #[arg(long)]
        out: PathBuf,
        /// csv or jsonl (default: from the file's extension).
        #[arg(long, value_enum)]
        format: Option<plaza::cli::ExportFormat>,
    },
}

fn seed(data: &std::path::Path, a: SeedArgs) -> plaza::error::Result<()> {
    let until = match a.until {
        Some(s) => time::OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339)
            .map_err(|e| plaza::error::Error::Config(format!("--until {s:?}: {e}")))?
            .unix_timestamp(),
        None => {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            now - now.rem_euclid(86_400)
        }
    };
    let o = plaza::cli::seed::SeedOptions {
        users: a.users,
        follows: a.follows,
        posts: a.posts,
        comments: a.comments,
        likes: a.likes,
        seed: a.seed,
        until,
        sessions: a.sessions,
        sessions_out: a.sessions_out,
        api_tokens_out: a.api_tokens_out,
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    println!("{}", plaza::cli::seed::run(data, &o)?);
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let a = cli.serve;
    let over = Overrides {
        listen: a.listen,
        workers: a.workers,
        bcrypt_cost: a.bcrypt_cost,
        post_max_chars: a.post_max_chars,
        max_form_bytes: a.max_form_bytes,
        trusted_proxies: a.trusted_proxies,
        log_retention_days: a.log_retention_days,
        signup_per_address_hour: a.signup_per_address_hour,
        idle_timeout_seconds: a.idle_timeout_seconds,
        max_open_files: a.max_open_files,
        max_upload_bytes: a.max_upload_bytes,
        identity_recheck_days: a.identity_recheck_days,
        identity_verify_webhook: a.identity_verify_webhook,
        public_url: a.public_url,
        second_factor_for_top_staff: a.second_factor_for_top_staff,
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => Config::load(&cli.data, &over).and_then(plaza::server::serve),
        Command::Log(LogCommand::Verify { head }) => {
            plaza::cli::log_verify(&cli.data, head.as_deref()).map(|s| println!("{s}"))
        }
        Command::Log(LogCommand::Reseal { reason, operator }) => {
            plaza::cli::log_reseal(&cli.data, &reason, operator.as_deref()).map(|s| println!("{s}"))
        }
        Command::Log(LogCommand::Export { account, action, ip, from, to, out, format }) => {
            let args = plaza::cli::ExportArgs { account, action, ip, from, to, out, format };
            Config::load(&cli.data, &over).and_then(|cfg| plaza::cli::log_export(&cfg, &args)).map(|s| println!("{s}"))
        }
        Command::Log(LogCommand::Prune { older_than_days }) => Config::load(&cli.data, &over)
            .and_then(|cfg| plaza::cli::log_prune(&cfg, older_than_days))
            .map(|s| println!("{s}")),
        Command::Doctor { gc, repair } => plaza::cli::doctor(&cli.data, gc, repair).map(|s| println!("{s}")),
        Command::Backup { out } => plaza::cli::backup(&cli.data, &out).map(|s| println!("{s}")),
        Command::Restore { dir } => plaza::cli::restore(&dir, &cli.data).map(|s| println!("{s}")),
        Command::Seed(a) => seed(&cli.data, a),
        Command::Feature { state, name, assessed_on, reference, assessor } => {
            let a = plaza::cli::AssessmentArgs { assessed_on, reference, assessor };
            Config::load(&cli.data, &over)
                .and_then(|cfg| plaza::cli::feature_switch(&cfg, &name, state == "on", &a))
                .map(|s| println!("{s}"))
        }
        Command::User(UserCommand::Add {
            username,
            password_stdin: _,
            display_name,
            legal_name,
            mobile,
            id_number,
            credit_code,
            subject_type,
            role,
        }) => {
            let args = plaza::cli::AddArgs {
                username,
                display_name,
                legal_name,
                mobile,
                id_number,
                credit_code,
                subject_type,
                roles: role,
            };
            let mut password = String::new();
            match std::io::stdin().read_line(&mut password) {
                Ok(_) => Config::load(&cli.data, &over)
                    .and_then(|cfg| plaza::cli::user_add(&cfg, &args, &password))
                    .map(|s| println!("{s}")),
                Err(e) => Err(plaza::error::Error::Config(format!("reading the password from standard input: {e}"))),
            }
        }
        Command::User(UserCommand::Import { file }) => {
            Config::load(&cli.data, &over).and_then(|cfg| plaza::cli::user_import(&cfg, &file)).and_then(|report| {
                println!("{}", report.stdout());
                if report.bad.is_empty() {
                    Ok(())
                } else {
                    Err(plaza::error::Error::Config(report.bad_lines()))
                }
            })
        }
        Command::Evidence(EvidenceCommand::Export { from, to, out }) => Config::load(&cli.data, &over)
            .and_then(|cfg| plaza::cli::evidence_export(&cfg, &from, &to, &out))
            .map(|s| println!("{s}")),
        Command::User(UserCommand::Role { username, grant, revoke }) => {
            let (role, is_grant) = match (grant, revoke) {
                (Some(r), _) => (r, true),
                (None, Some(r)) => (r, false),
                (None, None) => (String::new(), true),
            };
            Config::load(&cli.data, &over)
                .and_then(|cfg| plaza::cli::user_role(&cfg, &username, &role, is_grant))
                .map(|s| println!("{s}"))
        }
        Command::Filing(FilingCommand::Export { what: FilingWhat::Verified, out }) => Config::load(&cli.data, &over)
            .and_then(|cfg| plaza::cli::filing_export_verified(&cfg, &out))
            .map(|s| println!("{s}")),
        Command::Filing(FilingCommand::Export { what: FilingWhat::Tiers, out }) => Config::load(&cli.data, &over)
            .and_then(|cfg| plaza::cli::filing_export_tiers(&cfg, &out))
            .map(|s| println!("{s}")),
        Command::Replication(ReplicationCommand::Config { to, interval_ms }) => Config::load(&cli.data, &over)
            .and_then(|cfg| plaza::cli::replication_config(&cfg, &to, interval_ms))
            .map(|s| println!("{s}")),
        Command::Replication(ReplicationCommand::Status) => {
            Config::load(&cli.data, &over).and_then(|cfg| plaza::cli::replication_status(&cfg)).map(|s| println!("{s}"))
        }
        Command::Replication(ReplicationCommand::Restore { to, from, timestamp, operator }) => {
            // The data folder may be gone with its disk: defaults then.
            let cfg = if cli.data.join("plaza.toml").exists() {
                Config::load(&cli.data, &over)
            } else {
                Ok(Config { data_dir: cli.data.clone(), ..Config::default() })
            };
            let args = plaza::cli::replication::RestoreArgs { from, to, timestamp, operator };
            cfg.and_then(|cfg| plaza::cli::replication_restore(&cfg, &args)).map(|s| println!("{s}"))
        }
        Command::Search(SearchCommand::Rebuild { quiet }) => {
            plaza::cli::search_rebuild(&cli.data, !quiet).map(|s| println!("{s}"))
        }
        Command::Media(MediaCommand::Gc { dry_run, min_age }) => {
            plaza::cli::media_gc(&cli.data, std::time::Duration::from_secs(min_age), dry_run).map(|s| println!("{s}"))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line per fault (doctor, log verify) each with the prefix.
            for line in e.to_string().lines() {
                eprintln!("plaza: {line}");
            }
            ExitCode::FAILURE
        }
    }
}
