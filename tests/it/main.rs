//! The integration tests, one binary with one module per feature. Each
//! starts the real `plaza` binary on `127.0.0.1:0` with a temporary data
//! folder ([`common`]) and drives it over HTTP like a browser. Run one
//! feature with `cargo test --test it keywords::`.
//! [`browser`] walks the same server's pages in headless Chromium.

mod common;

mod accounts;
mod activity_log;
mod api;
mod attacks;
mod backup;
mod backup_load;
mod bad_input;
mod blocks;
mod bookmarks;
mod browser;
mod comment_control;
mod complaints;
mod composer;
mod crash;
mod credentials;
mod credit_tiers;
mod doctor;
mod edits;
mod emergency;
mod features;
mod first_day;
mod http_layer;
mod identity;
mod import;
mod keywords;
mod likes;
mod log_export;
mod log_fields;
mod log_head;
mod media;
mod member_data;
mod notifications;
mod posting;
mod read_paths;
mod removal;
mod replication;
mod retention;
mod review_queue;
mod route_access;
mod rumours;
mod sanctions;
mod search;
mod seed;
mod staff_flows;
mod staff_roles;
mod storage_errors;
mod text_rules;
mod verification;
mod visibility;
