//! HTTP plumbing: turning a `tiny_http::Request` into a [`Req`] (path,
//! query, cookies, form or multipart body, peer address) and a [`Resp`] back
//! into bytes on the wire, with byte ranges. Nothing here knows about pages
//! or the database.

mod multipart;
pub mod range;
mod request;
mod response;

pub use multipart::Upload;
pub use request::{client_addr, parse_id, parse_urlencoded, BodyLimits, Method, Req};
pub use response::{Body, Cookie, Part, Resp};
