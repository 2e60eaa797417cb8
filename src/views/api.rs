//! The client API's JSON entities (issue 19), shaped as the Mastodon API
//! documents them (docs.joinmastodon.org/entities): fields Plaza has no
//! concept of are present with neutral values, so clients parse them.
//! Built from the same rows the pages show; no identity value (ID number,
//! legal name, mobile) is ever among them (R7.5): only public profile
//! fields and the verified badge's certified name, which the profile page
//! shows too.

use crate::db::users::{Counts, User};
use crate::domain::dates::rfc3339;
use maud::html;
use serde::Serialize;

/// A profile field (`fields`): the verified badge is one (R8.1).
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub verified_at: Option<String>,
}

/// A role badge (`roles`, Mastodon 4.1+): clients show its name next to the account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountRole {
    pub id: String,
    pub name: String,
    pub color: String,
}

/// What `verify_credentials` adds: the raw texts the member edits.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub privacy: &'static str,
    pub sensitive: bool,
    pub language: String,
    pub note: String,
    pub fields: Vec<Field>,
    pub follow_requests_count: i64,
}

/// The Account entity.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub acct: String,
    pub display_name: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub group: bool,
    pub created_at: String,
    /// The bio as HTML (escaped text in a paragraph).
    pub note: String,
    pub url: String,
    pub uri: String,
    pub avatar: String,
    pub avatar_static: String,
    pub header: String,
    pub header_static: String,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<String>,
    pub emojis: Vec<serde_json::Value>,
    pub fields: Vec<Field>,
    pub roles: Vec<AccountRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// Plain text as the HTML of a paragraph, escaped, new lines as `<br>`.
pub fn text_html(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    html! { p { @for (i, line) in text.lines().enumerate() { @if i > 0 { br; } (line) } } }.into_string()
}

/// The verified badge in words for `fields` and `roles`.
pub struct Badge<'a> {
    /// "认证" / "Verified", in the request's language.
    pub label: &'a str,
    /// The certified name the profile shows.
    pub certified_name: &'a str,
    /// When it was approved (UTC seconds).
    pub since: Option<i64>,
}

/// The Account entity of `u`; `base` is the site's address (for `url`
/// and avatars), `badge` the verified badge if it holds one.
pub fn account(u: &User, counts: Counts, base: &str, badge: Option<Badge>) -> Account {
    let url = format!("{base}/@{}", u.username);
    let avatar = match &u.avatar {
        Some(a) => format!("{base}/media/{a}/thumb"),
        None => format!("{base}/favicon.ico"),
    };
    let (fields, roles) = match badge {
        Some(b) => (
            vec![Field {
                name: b.label.to_string(),
                value: b.certified_name.to_string(),
                verified_at: b.since.map(rfc3339),
            }],
            vec![AccountRole { id: "verified".into(), name: b.label.to_string(), color: "#1d9bf0".into() }],
        ),
        None => (Vec::new(), Vec::new()),
    };
    Account {
        id: u.id.to_string(),
        username: u.username.clone(),
        acct: u.username.clone(),
        display_name: if u.display_name.is_empty() { u.username.clone() } else { u.display_name.clone() },
        locked: false,
        bot: false,
        discoverable: true,
        group: false,
        created_at: rfc3339(u.created_at),
        note: text_html(&u.bio),
        uri: url.clone(),
        url,
        avatar_static: avatar.clone(),
        avatar,
        header: String::new(),
        header_static: String::new(),
        followers_count: counts.followers,
        following_count: counts.following,
        statuses_count: counts.posts,
        last_status_at: None,
        emojis: Vec::new(),
        fields,
        roles,
        source: None,
    }
}
