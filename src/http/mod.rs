//! HTTP plumbing: Plaza's own [`Req`] (path, query, cookies, form or
//! multipart body, peer address) and [`Resp`] (with byte ranges), and in
//! `engine` their conversion from and to the HTTP engine's types (hyper),
//! the only place that names the engine. Nothing here knows about pages or
//! the database.

pub mod engine;
mod multipart;
pub mod range;
mod request;
mod response;

pub use multipart::Upload;
pub use request::{client_addr, parse_id, parse_urlencoded, Method, Req};
pub use response::{Body, Cookie, Part, Resp};
