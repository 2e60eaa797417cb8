//! Complaints (R14.1, R14.2): anyone may complain about a post, comment or
//! account, or in general, with or without an account (then a contact is
//! required and each IP address may file `complaint_anonymous_per_hour`).
//! Each complaint gets a tracking number and a status page; its category
//! sets its due time. Staff work the queue at `/admin/complaints`,
//! soonest due first with overdue ones marked and duplicates on one target
//! grouped, act on the target from the complaint's page (the removal path
//! of `moderation`, a 不实信息 label, a credit restriction), and resolve
//! with a text the complainant sees. An upheld complaint costs the
//! target's author credit (R15.1).

use super::{moderation, page, Ctx};
use crate::actions;
use crate::db;
use crate::db::complaints::{self as dbc, Complaint, NewComplaint};
use crate::domain::complaints::{self as rules, Target, MAX_CONTACT, MAX_TEXT};
use crate::domain::text::grapheme_len;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::complaints::{self as view, Detail, Form, Group, TargetView};
use rand::RngCore;

/// How many open complaints the queue lists.
const QUEUE: u32 = 500;
/// Most evidence images one complaint may carry.
const MAX_IMAGES: usize = 4;

/// The form as typed, for a refusal.
fn form_of(ctx: &Ctx) -> Form {
    let f = |k: &str| ctx.req.field(k).or(ctx.req.query(k)).unwrap_or("").to_string();
    let target = f("target");
    Form {
        about: about(ctx, &target),
        target,
        category: f("category"),
        body: f("body"),
        contact: f("contact"),
        error: None,
        categories: rules::categories(&ctx.app.config.complaint_categories).into_iter().map(|c| c.key).collect(),
    }
}

/// The complaint's target in words for the form (issue 13: an excerpt and
/// a link, never `post:7`), when the complainant may see it.
fn about(ctx: &Ctx, target: &str) -> Option<db::targets::Described> {
    let described = match Target::parse(target)? {
        Target::Post(id) => {
            seen_post(ctx, id).ok().and_then(|id| db::targets::describe(ctx.db, &format!("post:{id}")).ok())
        }
        Target::Comment(id) => {
            let c = db::posts::comment(ctx.db, id).ok()??;
            seen_post(ctx, c.post_id).ok()?;
            db::targets::describe(ctx.db, &format!("comment:{id}")).ok()
        }
        Target::User(name) => {
            let u = db::users::by_username(ctx.db, &name).ok()??;
            db::targets::describe(ctx.db, &format!("user:{}", u.id)).ok()
        }
        Target::None => None,
    };
    described.flatten()
}

/// # `GET /complaints/new` (`?target=post:12|comment:3|user:alice`) — works signed out.
///
/// A target the visitor may not see (or that does not exist) is said
/// before anything is typed: 404 with the form, its target dropped.
pub fn new_form(ctx: &mut Ctx) -> Result<Resp> {
    let mut form = form_of(ctx);
    let unseen = Target::parse(&form.target).is_some_and(|t| matches!(resolve_target(ctx, &t), Err(Error::NotFound)));
    if unseen {
        form.target.clear();
        form.error = Some(ctx.t(M::ErrComplaintTargetUnseen).to_string());
        return Ok(page(ctx, |c| view::new_form(c, &form))?.status(404));
    }
    page(ctx, |c| view::new_form(c, &form))
}

/// The post `id` if the complainant may see it (a hidden post is not
/// confirmed to exist); a removed one may still be complained about.
fn seen_post(ctx: &Ctx, id: i64) -> Result<i64> {
    let p = db::posts::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let viewer = ctx.user.as_ref().map(|u| u.id);
    if p.is_published() && !db::posts::visible_to(ctx.db, &p, viewer)? {
        return Err(Error::NotFound);
    }
    Ok(p.id)
}

/// The target's type and id, checked to exist and be visible.
fn resolve_target(ctx: &Ctx, t: &Target) -> Result<(&'static str, Option<i64>)> {
    Ok(match t {
        Target::Post(id) => ("post", Some(seen_post(ctx, *id)?)),
        Target::Comment(id) => {
            let c = db::posts::comment(ctx.db, *id)?.ok_or(Error::NotFound)?;
            seen_post(ctx, c.post_id)?;
            ("comment", Some(c.id))
        }
        Target::User(name) => ("user", Some(db::users::by_username(ctx.db, name)?.ok_or(Error::NotFound)?.id)),
        Target::None => ("none", None),
    })
}

/// # `POST /complaints` (`target`, `category`, `body`, `contact`)
///
/// Answers with the tracking number's status page.
pub fn create(ctx: &mut Ctx) -> Result<Resp> {
    let mut form = form_of(ctx);
    let me = ctx.user.as_ref().map(|u| u.id);
    let ip = ctx.req.source.ip().to_string();
    let cats = rules::categories(&ctx.app.config.complaint_categories);
    let refuse = |ctx: &mut Ctx, mut form: Form, m: String, status: u16| {
        form.error = Some(m);
        Ok(page(ctx, |c| view::new_form(c, &form))?.status(status))
    };
    let Some(target) = Target::parse(&form.target) else {
        return Err(Error::BadRequest("target".into()));
    };
    let Some(cat) = cats.iter().find(|c| c.key == form.category) else {
        let m = ctx.t(M::ErrComplaintCategory).to_string();
        return refuse(ctx, form, m, 422);
    };
    form.body = form.body.trim().to_string();
    form.contact = form.contact.trim().to_string();
    if form.body.is_empty() || grapheme_len(&form.body) > MAX_TEXT {
        let m = ctx.lang.f(M::ErrComplaintBody, &[&MAX_TEXT]);
        return refuse(ctx, form, m, 422);
    }
    if grapheme_len(&form.contact) > MAX_CONTACT || (me.is_none() && form.contact.is_empty()) {
        let m = ctx.t(M::ErrComplaintContact).to_string();
        return refuse(ctx, form, m, 422);
    }
    if me.is_none() {
        // R14.1: keep bots out of the anonymous form: a few an hour per address.
        let recent = dbc::anonymous_since(ctx.db, &ip, ctx.now - 3600)?;
        if recent >= i64::from(ctx.app.config.complaint_anonymous_per_hour) {
            let m = ctx.t(M::ErrComplaintRate).to_string();
            return refuse(ctx, form, m, 429);
        }
    }
    // A target that is gone or hidden from the complainant (a block, a
    // followers-only post) is not confirmed to exist: 404, the form again
    // with what was typed and a way on (no target), never a bare error page.
    let (target_type, target_id) = match resolve_target(ctx, &target) {
        Err(Error::NotFound) => {
            form.target.clear();
            form.about = None;
            let m = ctx.t(M::ErrComplaintTargetUnseen).to_string();
            return refuse(ctx, form, m, 404);
        }
        r => r?,
    };
    // R14.2: optional evidence images, checked and cleaned like post images.
    let accept = super::media::Accept { max_images: MAX_IMAGES, video: false };
    let staged = match super::media::stage_uploads(ctx, "images", accept) {
        Ok(s) => s,
        Err(e) => {
            let (status, m) = e.media_refusal()?;
            return refuse(ctx, form, m, status);
        }
    };
    let mut random = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let tracking = rules::tracking_number(&random);
    let due_at = ctx.now + cat.sla_hours * 3600;
    ctx.write(|tx| {
        let id = dbc::create(
            tx,
            &NewComplaint {
                tracking: &tracking,
                category: &cat.key,
                target_type,
                target_id,
                body: &form.body,
                contact: &form.contact,
                complainant: me,
                source_ip: &ip,
                due_at,
                now: ctx.now,
            },
        )?;
        for (i, file) in staged.into_iter().enumerate() {
            let info = super::media::commit(ctx, tx, file)?;
            dbc::add_media(tx, id, i as i64 + 1, &info.sha256, info.format.mime())?;
        }
        let target = target_id.map(|t| format!(" {target_type}:{t}")).unwrap_or_default();
        ctx.log(tx, "complaint.create", &format!("complaint:{id}{target}"))?;
        // Issue 13: everyone who handles complaints hears of it (some are due in 24 h).
        let env = ctx.env(me.map_or(actions::Actor::System, actions::Actor::Member));
        let kind = db::notifications::Kind::StaffComplaint;
        actions::inbox::tell_staff(&env, tx, actions::inbox::REVIEW_DESK, me, kind, &tracking).map(|_| ())
    })?;
    Ok(Resp::redirect(&format!("/complaints/{tracking}")))
}

/// How many of their own complaints `GET /complaints` lists.
const MINE: u32 = 100;

/// # `GET /complaints` (`?tracking=`) — look up a tracking number; signed
/// in, the complaints I filed with their status (R14.2, issue 13)
///
/// A known number goes to its status page; an unknown one is answered 404
/// on this page with the number kept in the field.
pub fn lookup(ctx: &mut Ctx) -> Result<Resp> {
    let typed: String = ctx.req.query("tracking").unwrap_or("").chars().take(64).collect();
    let mut error = None;
    if !typed.trim().is_empty() {
        let t = rules::normalise_tracking(&typed);
        if rules::looks_like_tracking(&t) && dbc::by_tracking(ctx.db, &t)?.is_some() {
            return Ok(Resp::redirect(&format!("/complaints/{t}")));
        }
        error = Some(ctx.t(M::ComplaintNotFound).to_string());
    }
    let mine = match &ctx.user {
        Some(u) => Some(dbc::filed_by(ctx.db, u.id, MINE)?),
        None => None,
    };
    let keys: Vec<String> = mine.iter().flatten().map(target_token).collect();
    let known = db::targets::describe_in(ctx.db, keys.iter().map(String::as_str))?;
    let status = if error.is_some() { 404 } else { 200 };
    let l = view::Lookup { typed: &typed, error: error.as_deref(), mine: mine.as_deref(), known: &known };
    Ok(page(ctx, |c| view::lookup(c, &l))?.status(status))
}

/// # `GET /complaints/{tracking}` — status, due time and the result, for
/// whoever holds the number.
pub fn status(ctx: &mut Ctx) -> Result<Resp> {
    let tracking = ctx.path_text("tracking")?.to_string();
    if !rules::looks_like_tracking(&tracking) {
        return Err(Error::NotFound);
    }
    let c = dbc::by_tracking(ctx.db, &tracking)?.ok_or(Error::NotFound)?;
    page(ctx, |v| view::status(v, &c))
}

/// Group open complaints by target, keeping the soonest-due order.
fn group(list: Vec<Complaint>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for c in list {
        let key = c.target_key();
        match groups.iter_mut().find(|g| g.key == key) {
            Some(g) => g.complaints.push(c),
            None => groups.push(Group { key, complaints: vec![c] }),
        }
    }
    groups
}

/// # `GET /admin/complaints` — open complaints soonest due first, one row
/// per target (duplicates grouped), overdue ones marked; recent decisions.
pub fn queue(ctx: &mut Ctx) -> Result<Resp> {
    let groups = group(dbc::open(ctx.db, QUEUE)?);
    let decided = dbc::decided(ctx.db, 50)?;
    let keys: Vec<String> = groups.iter().map(|g| target_token(&g.complaints[0])).collect();
    let known = db::targets::describe_in(ctx.db, keys.iter().map(String::as_str))?;
    let now = ctx.now;
    page(ctx, |c| view::queue(c, &groups, &decided, &known, now))
}

/// A complaint's target as a `kind:id` token (empty for one in general).
fn target_token(c: &Complaint) -> String {
    c.target_id.map(|id| format!("{}:{id}", c.target_type)).unwrap_or_default()
}

/// The complaints of one group: every one about the same target, or this one.
fn group_of(ctx: &Ctx, c: &Complaint) -> Result<Vec<Complaint>> {
    match c.target_id {
        Some(t) => dbc::for_target(ctx.db, &c.target_type, t),
        None => Ok(vec![c.clone()]),
    }
}

/// What the staff page shows about the target.
fn target_view(ctx: &Ctx, c: &Complaint) -> Result<TargetView> {
    let Some(id) = c.target_id else { return Ok(TargetView::None) };
    Ok(match c.target_type.as_str() {
        "post" => match db::posts::get(ctx.db, id)? {
            Some(p) => TargetView::Post(Box::new(p)),
            None => TargetView::None,
        },
        "comment" => match db::posts::comment(ctx.db, id)? {
            Some(cm) => TargetView::Comment(Box::new(cm)),
            None => TargetView::None,
        },
        _ => match db::users::by_id(ctx.db, id)? {
            Some(u) => TargetView::User(Box::new(u)),
            None => TargetView::None,
        },
    })
}

/// The account a complaint's target belongs to.
fn target_author(tv: &TargetView) -> Option<i64> {
    match tv {
        TargetView::Post(p) => Some(p.author.id),
        TargetView::Comment(c) => Some(c.author.id),
        TargetView::User(u) => Some(u.id),
        TargetView::None => None,
    }
}

/// # `GET /admin/complaints/{id}` — the complaint, its duplicates, the
/// target, and the forms to assign, act and resolve.
pub fn show(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let c = dbc::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let group = group_of(ctx, &c)?;
    let tv = target_view(ctx, &c)?;
    let credit = match target_author(&tv) {
        Some(u) => Some(actions::credit::score(&ctx.app.config, ctx.db, u)?),
        None => None,
    };
    // Who may handle complaints (the queue's own access rule, R14.2).
    let staff = db::staff::holders(ctx.db, super::REVIEW)?.into_iter().map(|u| u.username).collect::<Vec<_>>();
    let mut images = Vec::new();
    for g in &group {
        images.extend(dbc::media(ctx.db, g.id)?.into_iter().map(|(pos, _, _)| (g.id, pos)));
    }
    let known = db::targets::describe_in(ctx.db, [target_token(&c).as_str()])?;
    let now = ctx.now;
    let d = Detail { complaint: &c, group: &group, target: &tv, credit, staff: &staff, images: &images, known: &known };
    page(ctx, |v| view::show(v, &d, now))
}

/// # `POST /admin/complaints/{id}/assign` (`to` = a staff username, empty: nobody)
pub fn assign(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let c = dbc::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let to = match ctx.req.field("to").unwrap_or("").trim() {
        "" => None,
        name => {
            let u = db::users::by_username(ctx.db, name)?.ok_or(Error::NotFound)?;
            if !db::users::roles(ctx.db, u.id)?.iter().any(|r| super::REVIEW.contains(r)) || u.status != "active" {
                return Err(Error::Invalid(ctx.t(M::ErrAssignStaff).into()));
            }
            Some(u.id)
        }
    };
    let ids: Vec<i64> = group_of(ctx, &c)?.iter().filter(|x| x.is_open()).map(|x| x.id).collect();
    ctx.write(|tx| {
        let n = dbc::assign(tx, &ids, to)?;
        if let Some(t) = to {
            actions::inbox::tell_assignee(&ctx.as_staff()?, tx, t, &c.tracking)?;
        }
        let who = to.map(|t| format!("user:{t}")).unwrap_or_else(|| "nobody".into());
        ctx.log_outcome(tx, "complaint.assign", &format!("complaint:{id}"), &format!("ok: {who}, {n} complaints"))
    })?;
    Ok(Resp::redirect(&format!("/admin/complaints/{id}")))
}

/// # `POST /admin/complaints/{id}/act` (`action` = remove | restrict, `reason`)
///
/// `remove` takes the post or comment down exactly as a staff removal does
/// (evidence, author told, credit event); `restrict` brings the author's
/// credit to the `restricted` level with a staff event (R15.1, R9.1).
pub fn act(ctx: &mut Ctx) -> Result<Resp> {
    let env = ctx.as_staff()?;
    let id = ctx.path_id("id")?;
    let c = dbc::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let reason = ctx.req.field("reason").unwrap_or("").trim().to_string();
    if reason.is_empty() || grapheme_len(&reason) > MAX_TEXT {
        return Err(Error::Invalid(ctx.t(M::ErrReasonRequired).into()));
    }
    let category = c.category.clone();
    let tv = target_view(ctx, &c)?;
    let action = ctx.req.field("action").unwrap_or("").to_string();
    ctx.write(|tx| {
        let done = match (action.as_str(), &tv) {
            ("remove", TargetView::Post(p)) => {
                moderation::remove_as_staff(ctx, tx, actions::removal::Target::Post(p), &reason, &category)?
            }
            ("remove", TargetView::Comment(cm)) => {
                moderation::remove_as_staff(ctx, tx, actions::removal::Target::Comment(cm), &reason, &category)?
            }
            ("restrict", tv) => match target_author(tv) {
                Some(user) => {
                    actions::credit::restrict(&env, tx, user, &format!("complaint:{id}"), &reason)?;
                    true
                }
                None => false,
            },
            _ => return Err(Error::BadRequest("action: remove (a post or comment) or restrict".into())),
        };
        if !done {
            return Err(Error::Invalid(ctx.t(M::ErrNotLive).into()));
        }
        ctx.log_outcome(tx, "complaint.act", &format!("complaint:{id}"), &format!("ok: {action}"))
    })?;
    Ok(Resp::redirect(&format!("/admin/complaints/{id}")))
}

/// # `POST /admin/complaints/{id}/resolve` (`decision` = upheld | rejected, `resolution`)
///
/// Decides every open complaint of the group with one text the
/// complainants see. Upheld costs the target's author credit, once.
pub fn resolve(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let c = dbc::get(ctx.db, id)?.ok_or(Error::NotFound)?;
    let upheld = match ctx.req.field("decision") {
        Some("upheld") => true,
        Some("rejected") => false,
        _ => return Err(Error::BadRequest("decision: upheld or rejected".into())),
    };
    let resolution = ctx.req.field("resolution").unwrap_or("").trim().to_string();
    if resolution.is_empty() || grapheme_len(&resolution) > MAX_TEXT {
        return Err(Error::Invalid(ctx.t(M::ErrResolutionRequired).into()));
    }
    let ids: Vec<i64> = group_of(ctx, &c)?.iter().filter(|x| x.is_open()).map(|x| x.id).collect();
    if ids.is_empty() {
        return Err(Error::Invalid(ctx.t(M::ErrComplaintDecided).into()));
    }
    let tv = target_view(ctx, &c)?;
    let members: Vec<i64> =
        group_of(ctx, &c)?.iter().filter(|x| x.is_open()).filter_map(|x| x.complainant_id).collect();
    let r = actions::complaints::Resolution {
        complaint: id,
        ids: &ids,
        complainants: &members,
        target_author: target_author(&tv),
        upheld,
        text: &resolution,
    };
    let env = ctx.as_staff()?;
    ctx.write(|tx| actions::complaints::resolve(&env, tx, &r))?;
    Ok(Resp::redirect(&format!("/admin/complaints/{id}")))
}

/// # `GET /admin/complaints/{id}/media/{position}` — an evidence image (positions from 1), staff only.
pub fn media(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    let pos = ctx.path_id("pos")?;
    let (_, sha, mime) = dbc::media(ctx.db, id)?.into_iter().find(|(p, _, _)| *p == pos).ok_or(Error::NotFound)?;
    let bytes = match crate::media::Store::new(&ctx.app.config.data_dir).open(&sha) {
        Ok(f) => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut &f, &mut buf)?;
            buf
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::Gone),
        Err(e) => return Err(e.into()),
    };
    Ok(Resp::with_type(200, &mime, bytes)
        .header("Cache-Control", "private, no-store")
        .header("X-Content-Type-Options", "nosniff"))
}
