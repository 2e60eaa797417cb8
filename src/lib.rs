//! Plaza: one binary that runs a complete microblog for a small organisation,
//! built to meet the 2018 Microblog Information Service Provisions
//! (`../shared/REGULATION.md` numbers every requirement; code cites them as
//! `R7.3` and so on).
//!
//! # Layout
//! - [`server`]: binds the socket, runs the worker pool; one SQLite connection per worker.
//! - [`http`]: request parsing (path, query, cookies, forms, multipart uploads), responses, byte ranges.
//! - [`routes`]: the routing table (each row says who may use it: anyone,
//!   member, verified member, staff roles, client API tokens by scope) and
//!   one handler file per area: parse, call an action, render; `routes::api`
//!   is the Mastodon-compatible client API (JSON, OAuth bearer tokens).
//! - [`actions`]: the workflows between routes and db/domain, each taking
//!   an actor (member, staff, cli, system) and running in the caller's
//!   transaction: publish, removal, review, identity, roles, rumours,
//!   complaints, verification, emergency, credit, member data (download
//!   requests, closing an account), daily maintenance, blocks and mutes,
//!   sanctions (禁言 / 封禁).
//! - [`views`]: maud templates, one file per area, plus layout, partials and the embedded assets' URLs;
//!   `views::api` the client API's JSON entities.
//! - [`db`]: connection setup, migrations, and every SQL query, by area
//!   (`db::upkeep` holds the operator's PRAGMAs).
//! - [`domain`]: pure rules: text, accounts, dates, the audit chain, identity (one file per validator),
//!   keywords, moderation, complaints, credit, tiers.
//! - [`app`]: state shared by the workers (config, keys, cached site settings), and `prepare_data`, which readies a data folder for the server and the commands.
//! - [`config`]: layered configuration (defaults < `plaza.toml` < env < flags).
//! - [`media`]: image and video uploads: checks, cleaning, thumbnails, the content-addressed store.
//! - [`crypto`]: key file, derived keys, tokens, hashes.
//! - [`private`]: the data folder's modes (0700 folders, 0600 files), whatever the umask.
//! - [`i18n`]: the message catalogue (zh-CN, en).
//! - [`member_data`]: a member's own data download, built in the background (R7.6).
//! - [`seal`]: identity values at rest: sealed, keyed hashes for uniqueness and codes, stored and opened (R7.4, R7.5).
//! - [`replication`]: continuous replication to a second disk or server: the target, Litestream for the database (run and watched by the server), Plaza's own copies of media, key and head, the lag (issue 14).
//! - [`outbound`]: what leaves for outside services: code messages (outbox file or SMS webhook), the verification webhook (R7.1, R7.2).
//! - [`error`]: the one error type and its HTTP statuses.
//! - [`cli`]: the operator's subcommands besides `serve`, `plaza seed` (synthetic data for demos and benchmarks) among them.
//! - [`clock`]: the one clock (UTC unix seconds; shiftable in tests).

pub mod actions;
pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod i18n;
pub mod media;
pub mod member_data;
pub mod outbound;
pub mod private;
pub mod replication;
pub mod routes;
pub mod seal;
pub mod server;
pub mod views;
