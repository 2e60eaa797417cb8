//! The attack suite (issue 15): one module per class of attack, each
//! against the real server. `SECURITY.md` lists the classes, their tests
//! and how many cases each tries.

mod brute_force;
mod csrf;
mod files;
mod headers;
mod identity_reauth;
mod idor;
mod malformed;
mod redirects;
mod rendering;
mod second_factor;
mod sessions;
mod side_channels;
mod staff_rank;
mod xss;
