//! The Mastodon-compatible client API (issue 19), over real HTTP with
//! bearer tokens: OAuth ([`oauth`]), the entities and timelines, the
//! writes through the same rules as the pages, and a client nobody here
//! wrote (Mastodon.py).

mod accounts;
mod comments;
mod hardening;
mod lists;
mod oauth;
mod real_client;
mod statuses;
