//! Test harness shared by every feature module: [`server`] starts the real
//! `plaza` binary on an ephemeral port with a temporary data folder,
//! [`client`] is a browser-like client (cookie jar, CSRF-aware form posts,
//! no automatic redirects), [`identity`] binds test accounts' identities
//! through the real pages, [`raw`] speaks plain TCP when a test needs the
//! source port, [`gov`] has the content-governance helpers and [`exif`]
//! a phone photo's EXIF segment; [`api`] calls the client API with a
//! bearer token after the OAuth dance; [`pyenv`] installs test tools from PyPI.

pub mod api;
pub mod client;
pub mod exif;
pub mod gov;
pub mod identity;
pub mod pyenv;
pub mod raw;
pub mod server;

pub use client::*;
pub use identity::*;
pub use raw::*;
pub use server::*;
