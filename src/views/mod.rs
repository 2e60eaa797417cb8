//! HTML pages as maud templates: one file per area, plus the shared
//! [`layout`] and the small partials in [`components`]. Templates take plain
//! values and never query; every string comes from the `i18n` catalogue.

pub mod account;
pub mod admin;
pub mod api;
pub mod assets;
pub mod auth;
pub mod blocks;
pub mod bookmarks;
pub mod complaints;
pub mod components;
pub mod credit;
pub mod features;
pub mod identity;
pub mod layout;
pub mod likes;
pub mod moderation;
pub mod notifications;
pub mod oauth;
pub mod posts;
pub mod sanctions;
pub mod search;
pub mod second_factor;
pub mod sessions;
pub mod staff;
pub mod tiers;
pub mod timeline;
pub mod users;
pub mod verification;

pub use layout::{error_page, layout, Chrome, Flash};
