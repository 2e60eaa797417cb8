//! Profiles, follows and profile settings (R2.1, R2.3).

use super::{media, page, posts::items, Ctx};
use crate::actions::publish::{self, Outcome};
use crate::db::{self, notifications::Kind, users::User};
use crate::domain::text::grapheme_len;
use crate::error::{Error, MediaRefusal, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::media::Staged;
use crate::views::components::name_of;
use crate::views::users::{self as view, ProfileForm, Relation};
use rusqlite::Transaction;

/// Accounts per follower/following page.
const USERS_PER_PAGE: u32 = 50;
/// Longest display name and bio, in grapheme clusters.
pub(crate) const MAX_DISPLAY_NAME: usize = 30;
pub(crate) const MAX_BIO: usize = 160;

/// The active account named in the path, or `NotFound`.
fn profile_user(ctx: &Ctx) -> Result<User> {
    db::users::by_username(ctx.db, ctx.path_text("user")?)?.filter(|u| u.status == "active").ok_or(Error::NotFound)
}

/// # `GET /@{username}`
pub fn profile(ctx: &mut Ctx) -> Result<Resp> {
    let u = profile_user(ctx)?;
    let viewer = ctx.user.as_ref().map_or(0, |s| s.id);
    let p = db::posts::by_author(ctx.db, viewer, u.id, super::timeline::window(ctx)?)?;
    let next = super::timeline::pager(&format!("/@{}", u.username), &p);
    let counts = db::users::counts(ctx.db, u.id, viewer)?;
    let signed_in = viewer != 0 && viewer != u.id;
    let rel = Relation {
        following: viewer != 0 && db::posts::follows(ctx.db, viewer, u.id)?,
        follows_you: viewer != 0 && db::posts::follows(ctx.db, u.id, viewer)?,
        blocked: signed_in && db::blocks::blocks(ctx.db, viewer, u.id)?,
        blocked_by: signed_in && db::blocks::blocks(ctx.db, u.id, viewer)?,
        muted: signed_in && db::blocks::mutes(ctx.db, viewer, u.id)?,
        suspended: db::sanctions::suspended_now(ctx.db, u.id)?,
    };
    let top = p.newer.is_none();
    let mut list = items(ctx, p.posts)?;
    // Issue 18: the pinned post heads the first page, if the viewer may see it.
    let mut pinned = None;
    if let Some(pid) = db::bookmarks::pinned(ctx.db, u.id)?.filter(|_| top) {
        let viewer_id = (viewer != 0).then_some(viewer);
        if let Some(post) = db::posts::get(ctx.db, pid)?.filter(|p| p.is_published()) {
            if db::posts::visible_to(ctx.db, &post, viewer_id)? {
                list.retain(|i| i.post.id != pid);
                pinned = items(ctx, vec![post])?.pop();
            }
        }
    }
    let certified = match u.badge {
        Some(_) => db::verification::badge(ctx.db, u.id)?.map(|a| a.certified_name),
        None => None,
    };
    page(ctx, |c| view::profile(c, &u, certified.as_deref(), counts, rel, pinned.as_ref(), &list, next))
}

fn list(ctx: &mut Ctx, followers: bool) -> Result<Resp> {
    let u = profile_user(ctx)?;
    let page_no = ctx.req.query_id("page")?.unwrap_or(1).min(100_000) as u32;
    let users = db::users::follow_list(ctx.db, u.id, followers, (page_no - 1) * USERS_PER_PAGE, USERS_PER_PAGE)?;
    let kind = if followers { "followers" } else { "following" };
    let next =
        (users.len() == USERS_PER_PAGE as usize).then(|| format!("/@{}/{kind}?page={}", u.username, page_no + 1));
    let title = ctx.lang.f(if followers { M::FollowersOf } else { M::FollowingOf }, &[&name_of(&u)]);
    page(ctx, |c| view::follow_list(c, &title, &users, next))
}

/// # `GET /@{username}/followers`
pub fn followers(ctx: &mut Ctx) -> Result<Resp> {
    list(ctx, true)
}

/// # `GET /@{username}/following`
pub fn following(ctx: &mut Ctx) -> Result<Resp> {
    list(ctx, false)
}

/// # `POST /@{username}/follow`
pub fn follow(ctx: &mut Ctx) -> Result<Resp> {
    let u = profile_user(ctx)?;
    follow_user(ctx, &u)?;
    Ok(Resp::redirect(&ctx.next_or(&format!("/@{}", u.username))))
}

/// The signed-in member follows `u` (the page and the client API): the
/// follow, its notice and its log entry in one transaction.
///
/// # Errors
/// `Invalid` (422) for oneself or across a block (issue 18).
pub(crate) fn follow_user(ctx: &Ctx, u: &User) -> Result<()> {
    let me = ctx.user()?.id;
    if u.id == me {
        return Err(Error::Invalid(ctx.t(M::ErrFollowSelf).into()));
    }
    // Issue 18: neither side of a block may follow the other.
    if db::blocks::between(ctx.db, me, u.id)? {
        return Err(Error::Invalid(ctx.t(M::ErrBlockedAccount).into()));
    }
    let now = ctx.now;
    ctx.write(|tx| {
        if db::social::follow(tx, me, u.id, now)? {
            db::notifications::notify(tx, u.id, Kind::Follow, me, None, None, now)?;
            ctx.log(tx, "user.follow", &format!("user:{}", u.id))?;
        }
        Ok(())
    })
}

/// # `POST /@{username}/unfollow`
pub fn unfollow(ctx: &mut Ctx) -> Result<Resp> {
    let u = profile_user(ctx)?;
    unfollow_user(ctx, &u)?;
    Ok(Resp::redirect(&ctx.next_or(&format!("/@{}", u.username))))
}

/// The signed-in member stops following `u` (page and API).
pub(crate) fn unfollow_user(ctx: &Ctx, u: &User) -> Result<()> {
    let me = ctx.user()?.id;
    ctx.write(|tx| {
        if db::social::unfollow(tx, me, u.id)? {
            ctx.log(tx, "user.unfollow", &format!("user:{}", u.id))?;
        }
        Ok(())
    })
}

/// # `GET /settings` — the page that links every settings page (issue 13)
pub fn settings_index(ctx: &mut Ctx) -> Result<Resp> {
    let identity = ctx.user()?.identity;
    page(ctx, |c| view::settings_index(c, identity))
}

/// # `GET /settings/profile`
pub fn settings_form(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let u = db::users::by_id(ctx.db, me)?.ok_or(Error::NotFound)?;
    let saved = ctx.req.query("saved").is_some();
    let held = ctx.req.query("held").is_some();
    let form = ProfileForm { display_name: u.display_name, bio: u.bio, avatar: u.avatar, error: None, saved, held };
    page(ctx, |c| view::settings(c, &form))
}

/// # `POST /settings/profile` (`display_name`, `bio`)
pub fn settings(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let display_name = ctx.req.field("display_name").unwrap_or("").trim().to_string();
    let bio = ctx.req.field("bio").unwrap_or("").trim().to_string();
    let error = if grapheme_len(&display_name) > MAX_DISPLAY_NAME {
        Some(M::ErrDisplayNameLong)
    } else if grapheme_len(&bio) > MAX_BIO {
        Some(M::ErrBioLong)
    } else {
        None
    };
    if let Some(m) = error {
        let avatar = db::users::by_id(ctx.db, me)?.and_then(|u| u.avatar);
        let form = ProfileForm { display_name, bio, avatar, error: Some(ctx.t(m).into()), ..Default::default() };
        return Ok(page(ctx, |c| view::settings(c, &form))?.status(422));
    }
    // R12.1: display names and bios are screened like posts; a held change
    // waits in the queue and is applied when approved.
    let env = ctx.as_member()?;
    let outcome = ctx.write(|tx| publish::profile(&env, tx, &ctx.gov, me, &display_name, &bio))?;
    match outcome {
        Outcome::Refused(r) => {
            let (msg, status) = super::posts::refusal(ctx, &r);
            let avatar = db::users::by_id(ctx.db, me)?.and_then(|u| u.avatar);
            let form = ProfileForm { display_name, bio, avatar, error: Some(msg), ..Default::default() };
            Ok(page(ctx, |c| view::settings(c, &form))?.status(status))
        }
        Outcome::Held(..) => Ok(Resp::redirect("/settings/profile?held=1")),
        _ => Ok(Resp::redirect("/settings/profile?saved=1")),
    }
}

/// Check and stage the one image file sent in field `avatar` (R2.2): the
/// type from the bytes (JPEG, PNG, GIF, WebP), the size and pixel limits,
/// re-encoding without metadata and the thumbnail, as a post's image. The
/// profile page and the client API's `update_credentials` both call it.
///
/// # Errors
/// `Error::Media` with the words shown to the member: no file or more than
/// one (`ErrAvatarMissing`), a video (`ErrAvatarNotImage`), or the media
/// checks' refusal naming the file; `Error::Io` if staging fails.
pub(crate) fn stage_avatar(ctx: &mut Ctx) -> Result<Staged> {
    match ctx.req.files_named("avatar").count() {
        1 => Ok(media::stage_uploads(ctx, "avatar", media::Accept { max_images: 1, video: false })?.remove(0)),
        _ => Err(Error::Media(MediaRefusal::Unusable, ctx.t(M::ErrAvatarMissing).into())),
    }
}

/// Make the `staged` image member `me`'s avatar in `tx`, with its
/// `user.avatar_update` log entry (R16.1): the earlier avatar's row goes,
/// and its file with it once nothing else names it.
pub(crate) fn store_avatar(ctx: &Ctx, tx: &Transaction, me: i64, staged: Staged) -> Result<()> {
    let info = media::commit(ctx, tx, staged)?;
    let id = db::media::insert(tx, &publish::attachment(&info, me, None, 0, "", ctx.now))?;
    db::media::set_avatar(tx, me, id)?;
    ctx.log(tx, "user.avatar_update", &format!("user:{me}"))
}

/// # `POST /settings/avatar` (`multipart/form-data`, one image file `avatar`)
///
/// The image goes through the same checks as a post's (R2.2, see
/// [`stage_avatar`]); the earlier avatar's row goes, and its file with it
/// once nothing else names it.
pub fn avatar(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let staged = match stage_avatar(ctx) {
        Ok(s) => s,
        Err(e) => {
            let (status, msg) = e.media_refusal()?;
            let u = db::users::by_id(ctx.db, me)?.ok_or(Error::NotFound)?;
            let form = ProfileForm {
                display_name: u.display_name,
                bio: u.bio,
                avatar: u.avatar,
                error: Some(msg),
                ..Default::default()
            };
            return Ok(page(ctx, |c| view::settings(c, &form))?.status(status));
        }
    };
    ctx.write(|tx| store_avatar(ctx, tx, me, staged))?;
    Ok(Resp::redirect("/settings/profile?saved=1"))
}
