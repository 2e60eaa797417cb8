//! Helpers for the content-governance tests (R6.2-R6.6, R11.1, R12.1-R12.3):
//! members and staff, keyword rules, the database.
use super::{Client, Server};
use rusqlite::Connection;

/// A signed-up member whose pages are in English.
pub fn member(s: &Server, name: &str) -> Client {
    let c = s.client();
    c.signup(name);
    c.get("/?lang=en");
    c
}

/// A member given `roles` by `admin` through `/admin/users` (R6.5).
pub fn staff(s: &Server, admin: &Client, name: &str, roles: &[&str]) -> Client {
    let c = member(s, name);
    for r in roles {
        let p = admin.post(&format!("/admin/users/{name}/roles"), &[("role", r), ("action", "grant")]);
        assert_eq!(p.status, 303, "grant {r} to {name}: {}", p.body);
    }
    c
}

/// Add one keyword rule through `/admin/keywords`.
pub fn add_rule(c: &Client, pattern: &str, category: &str, action: &str) {
    let p = c.post("/admin/keywords", &[("pattern", pattern), ("category", category), ("action", action)]);
    assert_eq!(p.status, 303, "add rule {pattern}: {}", p.body);
}

/// The server's database.
pub fn db(s: &Server) -> Connection {
    Connection::open(s.db_path()).unwrap()
}

/// One integer from a query.
pub fn count(s: &Server, sql: &str) -> i64 {
    db(s).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A post's status.
pub fn status(s: &Server, post: i64) -> String {
    db(s).query_row("SELECT status FROM posts WHERE id = ?1", [post], |r| r.get(0)).unwrap()
}

/// A small PNG.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The ids of the open review items of `kind` (`hold`, `flag`), oldest first.
pub fn open_items(s: &Server, kind: &str) -> Vec<i64> {
    let conn = db(s);
    let mut stmt =
        conn.prepare("SELECT id FROM review_items WHERE decision IS NULL AND kind = ?1 ORDER BY id").unwrap();
    stmt.query_map([kind], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}
