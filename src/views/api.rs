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
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

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

/// An Account entity written as JSON once and embedded as it is in every
/// status of a page by the same author (the account is most of each
/// status's bytes), and kept for the next request by [`EmbedCache`].
#[derive(Debug, Clone)]
pub struct Embedded(Arc<serde_json::value::RawValue>);

impl Embedded {
    /// The JSON of `account`.
    ///
    /// # Errors
    /// A serialization error (none for an `Account`, whose fields are all
    /// strings, numbers, booleans and lists of them).
    pub fn of(account: &Account) -> serde_json::Result<Embedded> {
        Ok(Embedded(Arc::from(serde_json::value::to_raw_value(account)?)))
    }
}

impl Serialize for Embedded {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// Embedded accounts by account id, each with the fingerprint of what it
/// was built from (every input of [`account`]: profile fields, site
/// address, language), so an entry whose account or request differs is
/// never used: it is built again and replaces the old one. At most
/// [`EmbedCache::CAPACITY`] entries; when full it starts afresh.
#[derive(Debug, Default)]
pub struct EmbedCache(Mutex<HashMap<i64, (u64, Embedded)>>);

impl EmbedCache {
    /// Entries kept at most (some 700 bytes each).
    pub const CAPACITY: usize = 4096;

    /// The fingerprint of an account entity's inputs.
    pub fn fingerprint(u: &User, base: &str, lang: &str) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&u.username, &u.display_name, &u.bio, u.created_at, &u.avatar, &u.badge, base, lang).hash(&mut h);
        h.finish()
    }

    /// The entry of account `id` if it was built from inputs with this fingerprint.
    pub fn get(&self, id: i64, fingerprint: u64) -> Option<Embedded> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&id).filter(|(f, _)| *f == fingerprint).map(|(_, e)| e.clone())
    }

    /// Keep `embedded` for account `id`.
    pub fn put(&self, id: i64, fingerprint: u64, embedded: Embedded) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= Self::CAPACITY && !map.contains_key(&id) {
            map.clear();
        }
        map.insert(id, (fingerprint, embedded));
    }
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

/// The MediaAttachment entity.
#[derive(Debug, Clone, Serialize)]
pub struct MediaAttachment {
    pub id: String,
    /// `image`, `gifv` (an animated image) or `video`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub url: String,
    pub preview_url: String,
    pub remote_url: Option<String>,
    pub meta: serde_json::Value,
    pub description: Option<String>,
    pub blurhash: Option<String>,
}

/// The MediaAttachment entity of `a`; `base` is the site's address.
pub fn media(a: &crate::db::media::Attachment, base: &str) -> MediaAttachment {
    let kind = match (a.kind.as_str(), a.frames > 1) {
        ("video", _) => "video",
        (_, true) => "gifv",
        _ => "image",
    };
    let meta = match (a.width, a.height) {
        (Some(w), Some(h)) if h > 0 => serde_json::json!({
            "original": { "width": w, "height": h, "size": format!("{w}x{h}"), "aspect": w as f64 / h as f64 }
        }),
        _ => serde_json::json!({}),
    };
    MediaAttachment {
        id: a.id.to_string(),
        kind,
        url: format!("{base}/media/{}", a.sha256),
        preview_url: format!("{base}/media/{}/thumb", a.sha256),
        remote_url: None,
        meta,
        description: (!a.alt.is_empty()).then(|| a.alt.clone()),
        blurhash: None,
    }
}

/// A hashtag of a status (`tags`).
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub name: String,
    pub url: String,
}

/// The Status entity. Plaza adds one field clients ignore: `plaza_status`
/// (`published` or `pending`: held for review, R6.2, seen by its author
/// only).
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub id: String,
    pub created_at: String,
    pub in_reply_to_id: Option<String>,
    pub in_reply_to_account_id: Option<String>,
    pub sensitive: bool,
    pub spoiler_text: String,
    pub visibility: &'static str,
    pub language: Option<String>,
    pub uri: String,
    pub url: String,
    pub replies_count: i64,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub edited_at: Option<String>,
    pub favourited: bool,
    pub reblogged: bool,
    pub muted: bool,
    pub bookmarked: bool,
    pub pinned: bool,
    pub content: String,
    pub text: Option<String>,
    pub filtered: Vec<serde_json::Value>,
    pub reblog: Option<Box<Status>>,
    pub application: Option<serde_json::Value>,
    pub account: Embedded,
    pub media_attachments: Vec<MediaAttachment>,
    pub mentions: Vec<serde_json::Value>,
    pub tags: Vec<Tag>,
    pub emojis: Vec<serde_json::Value>,
    pub card: Option<serde_json::Value>,
    pub poll: Option<serde_json::Value>,
    pub plaza_status: String,
}

/// Plaza's visibility as Mastodon's (README, "API"): `public` is public,
/// `followers` is `private` (followers only), `self` is `direct` (a
/// direct message to no one but its author).
pub fn visibility(v: crate::domain::account::Visibility) -> &'static str {
    use crate::domain::account::Visibility as V;
    match v {
        V::Public => "public",
        V::Followers => "private",
        V::OnlyMe => "direct",
    }
}

/// What the caller knows about one post for its Status entity.
pub struct StatusParts<'a> {
    pub post: &'a crate::db::posts::Post,
    pub account: Embedded,
    pub media: &'a [crate::db::media::Attachment],
    /// The confirmed 不实信息 label and the words for it (R11.1).
    pub rumour: Option<(&'a crate::db::rumours::Label, &'a str)>,
    /// The words that mark a held post (R6.2), shown as its content warning.
    pub pending_label: &'a str,
    pub edited_at: Option<i64>,
    /// The viewer liked this post (`favourited`).
    pub favourited: bool,
    /// The viewer boosted this post: a published repost of it by them
    /// without words (`reblogged`).
    pub reblogged: bool,
    /// The viewer bookmarked this post (`bookmarked`).
    pub bookmarked: bool,
    /// A repost: the original's entity when the viewer may see it, and
    /// whether this repost has words of its own (then it is a status with
    /// a link to the original, not a boost).
    pub original: Option<Status>,
    /// The original's address when this is a repost (shown or not).
    pub original_url: Option<String>,
    /// For a repost whose original is gone or hidden: the words saying so.
    pub original_missing: Option<&'a str>,
}

/// Rendered text (`inner`, escaped HTML whose new lines are the text's)
/// as Mastodon's `content` writes it: paragraphs (`<p>`) split at blank
/// lines, `<br>` at single new lines, since apps show `content` as HTML,
/// where a bare new line is a space.
pub fn paragraphs(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len() + 16);
    out.push_str("<p>");
    let mut newlines = 0;
    for ch in inner.chars() {
        match ch {
            '\n' => newlines += 1,
            '\r' => {}
            _ => {
                match newlines {
                    0 => {}
                    1 => out.push_str("<br>"),
                    _ => out.push_str("</p><p>"),
                }
                newlines = 0;
                out.push(ch);
            }
        }
    }
    out.push_str("</p>");
    out
}

/// The Status entity of a post. A confirmed rumour label becomes the
/// content warning (`spoiler_text`, `sensitive`) and heads the content
/// with the refutation, so no client shows the post without it (R11.1).
/// A repost without words is a boost (`reblog`); one with words is a
/// status of its own whose content ends with a link to the original.
pub fn status(p: StatusParts, base: &str) -> Status {
    let post = p.post;
    let url = format!("{base}/posts/{}", post.id);
    let mut content = String::new();
    let mut spoiler = String::new();
    if let Some((label, words)) = p.rumour {
        spoiler = words.to_string();
        content.push_str(&html! { p.rumour-label { strong { (words) } " " (label.refutation) } }.into_string());
    }
    if post.is_pending() {
        spoiler =
            if spoiler.is_empty() { p.pending_label.to_string() } else { format!("{} · {spoiler}", p.pending_label) };
    }
    let boost = post.repost_of.is_some() && post.body.trim().is_empty();
    // Tags are keyed once, for the content's links and for `tags`; links are absolute (apps need the host).
    let segments = crate::domain::text::segments(&post.body);
    let keys = super::components::tag_keys(&segments);
    if !post.body.is_empty() {
        content
            .push_str(&paragraphs(&super::components::rich_segments_keyed(&segments, &keys, &[], base).into_string()));
    }
    if let (Some(link), false) = (&p.original_url, boost) {
        content.push_str(&html! { p.quote { "RT: " a href=(link) { (link) } } }.into_string());
    }
    if let (Some(words), true) = (p.original_missing, boost) {
        content.push_str(&html! { p { (words) } }.into_string());
    }
    let mut tags: Vec<Tag> = Vec::new();
    for name in keys.into_iter().flatten() {
        if !tags.iter().any(|t| t.name == name) {
            tags.push(Tag { url: format!("{base}{}", super::components::tag_url(&name)), name });
        }
    }
    let reblog = if boost { p.original.map(Box::new) } else { None };
    Status {
        id: post.id.to_string(),
        created_at: rfc3339(post.created_at),
        in_reply_to_id: None,
        in_reply_to_account_id: None,
        sensitive: p.rumour.is_some(),
        spoiler_text: spoiler,
        visibility: visibility(post.visibility),
        language: None,
        uri: url.clone(),
        url,
        replies_count: post.comment_count,
        reblogs_count: post.repost_count,
        favourites_count: post.like_count,
        edited_at: p.edited_at.map(rfc3339),
        favourited: p.favourited,
        reblogged: p.reblogged,
        muted: false,
        bookmarked: p.bookmarked,
        pinned: false,
        content,
        text: None,
        filtered: Vec::new(),
        reblog,
        application: None,
        account: p.account,
        media_attachments: p.media.iter().map(|a| media(a, base)).collect(),
        mentions: Vec::new(),
        tags,
        emojis: Vec::new(),
        card: None,
        poll: None,
        plaza_status: post.status.clone(),
    }
}
