//! HTTP plumbing: turning a `tiny_http::Request` into a [`Req`] (path,
//! query, cookies, form body, peer address) and a [`Resp`] back into bytes on
//! the wire. Nothing here knows about pages or the database.

mod request;
mod response;

pub use request::{client_addr, parse_id, parse_urlencoded, Method, Req};
pub use response::{Cookie, Resp};
