//! Statuses (issue 19): one post, its context (comments), and the writes:
//! post, comment (`in_reply_to_id`), delete, favourite, reblog. Every
//! write goes through the pages' own checks and `actions` (text rules,
//! comment control, the tier gate, keyword screening, the review queue,
//! emergency mode, the activity log; R2.2, R2.3, R6.2, R6.4, R9.1, R10.3,
//! R12.1), with the refusal in words as `{"error": ...}`: 422 for a text,
//! tier or keyword refusal, 403 while emergency mode stops publishing.
//! A held post or comment answers 202 with the entity marked pending.
//!
//! A comment is the status `c{id}` (route parameter `{id:status}`): it is
//! opened, deleted, liked and listed through the post page's own rules and
//! actions (`visible_comment`, `delete_comment`, `like_comment`; R2.3,
//! R6.3); bookmarking or reblogging it is refused in words (422).

use super::{base_url, json, ok, param, timelines::statuses};
use crate::actions::publish::{self, Outcome};
use crate::actions::removal::{self, Target, Why};
use crate::db::{self, posts::Comment, posts::Post};
use crate::domain::account::Visibility;
use crate::domain::text;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::routes::posts::{body_error, live_post, refusal, visible_comment, visible_post};
use crate::routes::Ctx;
use crate::views::api::{self as entity, Status};

/// The Status entity of one post.
fn one(ctx: &Ctx, post: Post) -> Result<Status> {
    statuses(ctx, vec![post])?.pop().ok_or(Error::NotFound)
}

/// A publish outcome as the API answers it: the new item's id and whether
/// it is held for review (answered 202), or the refusal in words with its
/// status.
fn accepted(ctx: &Ctx, outcome: Outcome) -> std::result::Result<(i64, bool), Result<Resp>> {
    match outcome {
        Outcome::Published(id) | Outcome::Flagged(id, _) => Ok((id, false)),
        Outcome::Held(id, ..) => Ok((id, true)),
        Outcome::Refused(r) => {
            let (msg, status) = refusal(ctx, &r);
            Err(refused(status, &msg))
        }
    }
}

/// A refusal in words with its status (not an error page: nothing to log
/// as a denied access).
fn refused(status: u16, msg: &str) -> Result<Resp> {
    json(status, &serde_json::json!({ "error": msg }))
}

/// The comment a `c{id}` status id in the path names, with its post, when
/// the requester may see it as on the post page ([`visible_comment`]);
/// `None` for a post id. Afterwards the path's `id` is the comment's, so
/// the page's comment actions can run on it.
///
/// # Errors
/// `NotFound` for a comment the requester may not see (or none).
fn path_comment(ctx: &mut Ctx) -> Result<Option<(Comment, Post)>> {
    let Some(cid) = ctx.path_comment("id") else { return Ok(None) };
    ctx.params = crate::routes::Params::with_id("id", cid);
    visible_comment(ctx).map(Some)
}

/// The Status entity of one comment under `post` (see [`comment_statuses`]).
pub(super) fn comment_status(ctx: &Ctx, c: &Comment, post: &Post) -> Result<Status> {
    comment_statuses(ctx, std::slice::from_ref(c), post)?.pop().ok_or(Error::NotFound)
}

/// The Status entities of `comments` under `post`, with their likes as the
/// page counts them (issue 18) and, for an answer to a comment, that
/// comment's author as `in_reply_to_account_id`.
fn comment_statuses(ctx: &Ctx, comments: &[Comment], post: &Post) -> Result<Vec<Status>> {
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let ids: Vec<i64> = comments.iter().map(|c| c.id).collect();
    let likes = db::likes::for_comments(ctx.db, viewer, &ids)?;
    let mut out = Vec::with_capacity(comments.len());
    for c in comments {
        let replied_author = match c.reply_to {
            Some((rid, _)) => match comments.iter().find(|o| o.id == rid) {
                Some(o) => Some(o.author.id),
                None => db::posts::comment(ctx.db, rid)?.map(|o| o.author.id),
            },
            None => None,
        };
        let mut st = comment_entity(ctx, c, post)?;
        st.in_reply_to_account_id = Some(replied_author.unwrap_or(post.author.id).to_string());
        let (count, liked) = likes.get(&c.id).copied().unwrap_or((0, false));
        st.favourites_count = count;
        st.favourited = liked;
        out.push(st);
    }
    Ok(out)
}

/// The Status entity of a comment: a reply to its post (`in_reply_to_id`),
/// with id `c{id}` so it never collides with a post's.
fn comment_entity(ctx: &Ctx, c: &Comment, post: &Post) -> Result<Status> {
    let base = base_url(ctx);
    let url = format!("{base}/posts/{}#comment-{}", post.id, c.id);
    let mut spoiler = String::new();
    if c.status == "pending" {
        spoiler = ctx.t(M::StatusPending).to_string();
    }
    let content = {
        use crate::views::components::{rich_segments_keyed, tag_keys};
        let segments = text::segments(&c.body);
        entity::paragraphs(&rich_segments_keyed(&segments, &tag_keys(&segments), &[], &base).into_string())
    };
    Ok(Status {
        id: format!("c{}", c.id),
        created_at: crate::domain::dates::rfc3339(c.created_at),
        in_reply_to_id: Some(match c.reply_to {
            Some((id, _)) => format!("c{id}"),
            None => post.id.to_string(),
        }),
        in_reply_to_account_id: Some(post.author.id.to_string()),
        sensitive: false,
        spoiler_text: spoiler,
        visibility: entity::visibility(post.visibility),
        language: None,
        uri: url.clone(),
        url,
        replies_count: 0,
        reblogs_count: 0,
        favourites_count: 0,
        edited_at: None,
        favourited: false,
        reblogged: false,
        muted: false,
        bookmarked: false,
        pinned: false,
        content,
        text: None,
        filtered: Vec::new(),
        reblog: None,
        application: None,
        account: super::accounts::embedded(ctx, &c.author)?,
        media_attachments: Vec::new(),
        mentions: Vec::new(),
        tags: Vec::new(),
        emojis: Vec::new(),
        card: None,
        poll: None,
        plaza_status: c.status.clone(),
    })
}

/// # `GET /api/v1/statuses/{id}` — as the post page: 404 for a post the
/// requester may not see, 410 for a removed one; a comment `c{id}` as the
/// page shows it (404 when hidden from the requester, held, or gone).
pub fn show(ctx: &mut Ctx) -> Result<Resp> {
    if let Some((c, post)) = path_comment(ctx)? {
        return ok(&comment_status(ctx, &c, &post)?);
    }
    let post = visible_post(ctx)?;
    ok(&one(ctx, post)?)
}

/// # `GET /api/v1/statuses/{id}/context` — a post: no ancestors, its
/// comments as descendants, as the post page lists them. A comment `c{id}`
/// (as Mastodon answers a reply): ancestors are the post, then the
/// comments it answers, oldest first; descendants are the answers to it,
/// and to those, in the page's order. Only what the page shows the
/// requester is listed.
pub fn context(ctx: &mut Ctx) -> Result<Resp> {
    let target = path_comment(ctx)?;
    let post = match &target {
        Some((_, post)) => post.clone(),
        None => visible_post(ctx)?,
    };
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let comments = db::posts::comments(ctx.db, post.id, viewer, 0, 100)?;
    let Some((c, _)) = target else {
        let descendants = comment_statuses(ctx, &comments, &post)?;
        return ok(&serde_json::json!({ "ancestors": [], "descendants": descendants }));
    };
    let mut up = Vec::new();
    let mut next = c.reply_to.as_ref().map(|(id, _)| *id);
    while let Some(parent) = next.and_then(|id| comments.iter().find(|o| o.id == id)) {
        if up.iter().any(|o: &Comment| o.id == parent.id) {
            break;
        }
        up.push(parent.clone());
        next = parent.reply_to.as_ref().map(|(id, _)| *id);
    }
    up.reverse();
    let mut below: Vec<i64> = vec![c.id];
    let mut down = Vec::new();
    for o in &comments {
        if o.reply_to.as_ref().is_some_and(|(id, _)| below.contains(id)) && !below.contains(&o.id) {
            below.push(o.id);
            down.push(o.clone());
        }
    }
    let mut ancestors = vec![one(ctx, post.clone())?];
    ancestors.extend(comment_statuses(ctx, &up, &post)?);
    let descendants = comment_statuses(ctx, &down, &post)?;
    ok(&serde_json::json!({ "ancestors": ancestors, "descendants": descendants }))
}

/// Mastodon's visibility as Plaza's: `public` and `unlisted` are public,
/// `private` is followers-only, `direct` is only me (README, "API").
fn plaza_visibility(v: &str) -> Option<Visibility> {
    match v {
        "public" | "unlisted" => Some(Visibility::Public),
        "private" => Some(Visibility::Followers),
        "direct" => Some(Visibility::OnlyMe),
        _ => None,
    }
}

/// # `POST /api/v1/statuses` (scope `write:statuses`, verified identity,
/// R7.1) — `status`, `visibility`, `in_reply_to_id` (then a comment on
/// that post, or an answer to that comment), `spoiler_text` (Plaza has no
/// content warnings: it becomes the first line of the text, so it is
/// screened with the rest), `media_ids` (uploads of this member not yet
/// posted: nine images or one video; the text may then be empty).
///
/// An `Idempotency-Key` header seen from the same member within the hour
/// answers the first post's answer again (`replays`), with no new post.
///
/// # Errors
/// 422 naming a bad visibility or media ids; refusals in words as above.
pub fn create(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let key = ctx
        .req
        .header("idempotency-key")
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= super::replays::MAX_KEY_BYTES)
        .map(str::to_string);
    if let Some((status, body)) = key.as_deref().and_then(|k| super::replays::replay(me, k, ctx.now)) {
        return Ok(Resp::with_type(status, "application/json; charset=utf-8", body));
    }
    let resp = publish_status(ctx)?;
    if let (Some(k), crate::http::Body::Bytes(body)) = (key.as_deref(), &resp.body) {
        if (200..300).contains(&resp.status) {
            super::replays::keep(me, k, ctx.now, resp.status, body);
        }
    }
    Ok(resp)
}

/// [`create`] without the key.
fn publish_status(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let mut raw = param(ctx, "status")?.unwrap_or("").to_string();
    if let Some(cw) = param(ctx, "spoiler_text")?.map(str::trim).filter(|s| !s.is_empty()) {
        raw = format!("{cw}\n{raw}");
    }
    let media_ids = super::list_param(ctx, "media_ids")?;
    let uploaded = super::media::for_status(ctx, me, &media_ids)?;
    let env = ctx.as_member()?;
    if let Some(reply) = param(ctx, "in_reply_to_id")?.map(str::to_string) {
        if !uploaded.is_empty() {
            return Err(Error::Invalid(format!("media_ids: {}", ctx.t(M::ApiNoMediaOnComments))));
        }
        return comment(ctx, &reply, &raw);
    }
    let vis = param(ctx, "visibility")?.unwrap_or("public");
    let visibility =
        plaza_visibility(vis).ok_or_else(|| Error::Invalid(format!("visibility: {}", ctx.t(M::ErrBadVisibility))))?;
    let body = match text::check_body(&raw, ctx.app.config.post_max_chars) {
        Ok(b) => b,
        Err(text::BodyError::Empty) if !uploaded.is_empty() => String::new(),
        Err(e) => return refused(422, &body_error(ctx, e)),
    };
    // R9.1: the author's tier for this kind of post, as the post form decides it.
    let kind = if uploaded.iter().any(|m| m.attachment.is_video()) {
        "video"
    } else if uploaded.is_empty() {
        "text"
    } else {
        "image"
    };
    let new = publish::NewPost { body: &body, visibility, kind, files: Vec::new(), uploaded };
    let outcome = ctx.publish(&env, kind, |tx, gate| publish::post(&env, tx, &ctx.gov, me, gate, new))?;
    let (id, held) = match accepted(ctx, outcome) {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let post = db::posts::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    json(if held { 202 } else { 200 }, &one(ctx, post)?)
}

/// A comment through the API: on post `reply` (a post id), or answering
/// comment `c{id}`; the same checks as the post page's comment form.
fn comment(ctx: &mut Ctx, reply: &str, raw: &str) -> Result<Resp> {
    let me = ctx.user()?.id;
    let malformed = || Error::Invalid(format!("in_reply_to_id: {}", ctx.t(M::ApiBadStatusId)));
    let (post_id, reply_to) = match reply.strip_prefix('c') {
        Some(cid) => {
            let cid = crate::http::parse_id(cid).map_err(|_| malformed())?;
            let c = db::posts::comment(ctx.db, cid)?
                .filter(|c| c.status == "published")
                .filter(|c| !db::blocks::between(ctx.db, me, c.author.id).unwrap_or(true))
                .ok_or_else(|| Error::Invalid(format!("in_reply_to_id: {}", ctx.t(M::ErrBadReply))))?;
            (c.post_id, Some(c.id))
        }
        None => (crate::http::parse_id(reply).map_err(|_| malformed())?, None),
    };
    ctx.params = crate::routes::Params::with_id("id", post_id);
    let post = live_post(ctx)?;
    let body = match text::check_body(raw, ctx.app.config.comment_max_chars) {
        Ok(b) => b,
        Err(e) => return refused(422, &body_error(ctx, e)),
    };
    if let Some(m) = crate::routes::comments::comment_refusal(ctx, &post, me)? {
        return refused(403, ctx.t(m));
    }
    let new = publish::NewComment { post: post.id, reply_to, body: &body };
    let env = ctx.as_member()?;
    let outcome = ctx.publish(&env, "comment", |tx, gate| publish::comment(&env, tx, &ctx.gov, me, gate, new))?;
    let (id, held) = match accepted(ctx, outcome) {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let c = db::posts::comment(ctx.db, id)?.ok_or(Error::NotFound)?;
    json(if held { 202 } else { 200 }, &comment_status(ctx, &c, &post)?)
}

/// # `DELETE /api/v1/statuses/{id}` — the author's own post, through the
/// same removal as the page (its log entry included); answers the post
/// as it was.
///
/// A comment `c{id}`: the author's own, through the page's
/// `delete_comment` (same checks, same removal and log entry).
///
/// # Errors
/// 404 for a post or comment the member may not see, 403 for someone
/// else's.
pub fn delete(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    if let Some((c, post)) = path_comment(ctx)? {
        let before = comment_status(ctx, &c, &post)?;
        crate::routes::posts::delete_comment(ctx)?;
        return ok(&before);
    }
    let post = visible_post(ctx)?;
    if post.author.id != me {
        return Err(Error::ForbiddenBecause(ctx.t(M::ApiNotYours).into()));
    }
    let before = one(ctx, post.clone())?;
    let env = ctx.as_member()?;
    ctx.write(|tx| removal::remove(&env, tx, Target::Post(&post), Why::Author))?;
    ok(&before)
}

/// The comment `c{id}` after the page's comment action `act` (like or
/// unlike: the same checks, notice and log entry as the page's buttons).
fn comment_after(ctx: &mut Ctx, act: fn(&mut Ctx) -> Result<Resp>) -> Result<Option<Resp>> {
    let Some((c, post)) = path_comment(ctx)? else { return Ok(None) };
    act(ctx)?;
    let c = db::posts::comment(ctx.db, c.id)?.ok_or(Error::NotFound)?;
    ok(&comment_status(ctx, &c, &post)?).map(Some)
}

/// # `POST /api/v1/statuses/{id}/favourite` — a comment `c{id}` is liked
/// as with its 赞 button (issue 18).
pub fn favourite(ctx: &mut Ctx) -> Result<Resp> {
    if let Some(resp) = comment_after(ctx, crate::routes::likes::like_comment)? {
        return Ok(resp);
    }
    let post = live_post(ctx)?;
    crate::routes::posts::like_post(ctx, &post)?;
    let post = db::posts::get(ctx.db, post.id)?.ok_or(Error::NotFound)?;
    ok(&one(ctx, post)?)
}

/// # `POST /api/v1/statuses/{id}/unfavourite` — a comment `c{id}` too.
pub fn unfavourite(ctx: &mut Ctx) -> Result<Resp> {
    if let Some(resp) = comment_after(ctx, crate::routes::likes::unlike_comment)? {
        return Ok(resp);
    }
    let post = visible_post(ctx)?;
    crate::routes::posts::unlike_post(ctx, &post)?;
    let post = db::posts::get(ctx.db, post.id)?.ok_or(Error::NotFound)?;
    ok(&one(ctx, post)?)
}

/// The post a boost stands for: a repost without words is shown as a
/// boost of its chain's original (`reblog`), so boosting or unboosting it
/// acts on that original, as Mastodon resolves a reblog to what it shows.
///
/// # Errors
/// `NotFound` when the original is gone from the database.
fn boosted_post(ctx: &Ctx, post: Post) -> Result<Post> {
    match post.repost_root {
        Some(root) if post.body.trim().is_empty() => db::posts::get(ctx.db, root)?.ok_or(Error::NotFound),
        _ => Ok(post),
    }
}

/// # `POST /api/v1/statuses/{id}/reblog` (verified identity, R7.1) — a
/// repost without words, under the page's rules: reposting switched on
/// (R13.1), public posts only, the original visible (R2.3). A boost's id
/// boosts what it shows ([`boosted_post`]); a post the member boosted
/// already answers that boost again, as Mastodon does, with no new one.
pub fn reblog(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    if !db::features::enabled(ctx.db, crate::domain::features::Feature::Reposts)? {
        return refused(422, ctx.t(M::RepostsOff));
    }
    let target = live_post(ctx)?;
    let target = boosted_post(ctx, target)?;
    if target.visibility != Visibility::Public {
        return refused(422, ctx.t(M::ErrCannotRepost));
    }
    let root_id = target.repost_root.unwrap_or(target.id);
    let root = db::posts::get(ctx.db, root_id)?.ok_or(Error::NotFound)?;
    if root.is_published() && !db::posts::visible_to(ctx.db, &root, Some(me))? {
        return Err(Error::NotFound);
    }
    if !root.is_published() {
        return refused(422, ctx.t(M::ErrCannotRepost));
    }
    if let Some(mine) = db::posts::boosts_by(ctx.db, me, target.id, root_id)?.into_iter().next() {
        return json(if mine.is_pending() { 202 } else { 200 }, &one(ctx, mine)?);
    }
    let new = publish::NewRepost { of: target.id, root: root_id, body: "" };
    let env = ctx.as_member()?;
    let outcome = ctx.publish(&env, "repost", |tx, gate| publish::repost(&env, tx, &ctx.gov, me, gate, new))?;
    let (id, held) = match accepted(ctx, outcome) {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let post = db::posts::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    json(if held { 202 } else { 200 }, &one(ctx, post)?)
}

/// # `POST /api/v1/statuses/{id}/unreblog` — delete the member's own
/// boosts of post `id`, however old (found with one indexed query,
/// `db::posts::boosts_by`; removed through the same removal as deleting
/// them on the page); answers the original. A boost's id stands for what
/// it shows ([`boosted_post`]).
pub fn unreblog(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let target = visible_post(ctx)?;
    let target = boosted_post(ctx, target)?;
    if !db::posts::visible_to(ctx.db, &target, Some(me))? {
        return Err(Error::NotFound);
    }
    let mine = db::posts::boosts_by(ctx.db, me, target.id, target.repost_root.unwrap_or(target.id))?;
    let env = ctx.as_member()?;
    for p in &mine {
        ctx.write(|tx| removal::remove(&env, tx, Target::Post(p), Why::Author))?;
    }
    let post = db::posts::get(ctx.db, target.id)?.ok_or(Error::NotFound)?;
    ok(&one(ctx, post)?)
}

/// The accounts of `rows` the requester may see (no block either way), as
/// Account entities, with the page's `Link` header (ids there are the
/// rows' cursors).
fn people(ctx: &Ctx, path: &str, rows: Vec<(db::users::User, i64)>, w: &db::posts::Window) -> Result<Resp> {
    let viewer = ctx.user.as_ref().map(|u| u.id);
    let mut out = Vec::new();
    for (u, _) in &rows {
        if let Some(v) = viewer {
            if db::blocks::between(ctx.db, v, u.id)? {
                continue;
            }
        }
        out.push(super::accounts::embedded(ctx, u)?);
    }
    super::people_page(ctx, path, &rows, w, &out)
}

/// # `GET /api/v1/statuses/{id}/favourited_by` — newest like first, paged
/// by `max_id`/`since_id`/`min_id` and `limit` (40, up to 80) with `Link`
/// headers; as Mastodon's, the ids there are cursors of the like rows
/// (`db::oauth::row_cursor`), not account ids.
pub fn favourited_by(ctx: &mut Ctx) -> Result<Resp> {
    let post = visible_post(ctx)?;
    let w = super::timelines::window_of(ctx, 40, 80)?;
    let rows = db::oauth::likers_page(ctx.db, post.id, &w)?;
    people(ctx, &format!("/api/v1/statuses/{}/favourited_by", post.id), rows, &w)
}

/// # `GET /api/v1/statuses/{id}/reblogged_by` — boosts (reposts without
/// words) of this post, newest first, paged as `favourited_by`; the ids in
/// `Link` are the boosts' status ids, as Mastodon's.
pub fn reblogged_by(ctx: &mut Ctx) -> Result<Resp> {
    let post = visible_post(ctx)?;
    let w = super::timelines::window_of(ctx, 40, 80)?;
    let rows = db::oauth::boosters_page(ctx.db, post.id, post.repost_root.unwrap_or(post.id), &w)?;
    people(ctx, &format!("/api/v1/statuses/{}/reblogged_by", post.id), rows, &w)
}

/// # `POST /api/v1/statuses/{id}/bookmark`, `.../unbookmark` (scope
/// `write:bookmarks`) — as the post page's 收藏 button. Posts only: a
/// comment `c{id}` the requester may see answers 422 in words.
fn set_bookmark(ctx: &mut Ctx, on: bool) -> Result<Resp> {
    if path_comment(ctx)?.is_some() {
        return refused(422, ctx.t(M::ApiNoCommentBookmark));
    }
    let post = visible_post(ctx)?;
    crate::routes::bookmarks::bookmark_post(ctx, &post, on)?;
    let mut st = one(ctx, post)?;
    st.bookmarked = on;
    ok(&st)
}

/// # `POST /api/v1/statuses/{id}/bookmark`
pub fn bookmark(ctx: &mut Ctx) -> Result<Resp> {
    set_bookmark(ctx, true)
}

/// # `POST /api/v1/statuses/{id}/unbookmark`
pub fn unbookmark(ctx: &mut Ctx) -> Result<Resp> {
    set_bookmark(ctx, false)
}

/// # `GET /api/v1/bookmarks` (scope `read:bookmarks`) — the member's
/// bookmarks as `/bookmarks` lists them (posts they can no longer see
/// left out), newest bookmark first; `max_id` is a bookmark time, as the
/// `Link` header gives it.
pub fn bookmarks(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let before = super::int_param(ctx, "max_id")?.unwrap_or(i64::MAX);
    let limit = super::int_param(ctx, "limit")?.map_or(20, |l| l.clamp(1, 40)) as u32;
    let rows = db::bookmarks::list(ctx.db, me, before, limit)?;
    let next = (rows.len() == limit as usize).then(|| rows.last().map(|(_, at)| *at)).flatten();
    let mut list = statuses(ctx, rows.into_iter().map(|(p, _)| p).collect())?;
    for s in &mut list {
        s.bookmarked = true;
    }
    let resp = ok(&list)?;
    Ok(match next {
        Some(at) => resp
            .header("Link", &format!("<{}/api/v1/bookmarks?max_id={at}&limit={limit}>; rel=\"next\"", base_url(ctx))),
        None => resp,
    })
}
