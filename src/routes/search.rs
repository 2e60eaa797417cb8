//! Search and the people directory (issue 17): `/search` (posts, accounts,
//! topics) and `/people`.
//!
//! Search terms are personal data: they are logged (`search`, R16.1) only
//! when the operator sets `log_searches`, and never written to the
//! server's output.

use super::{page, posts::items, Ctx};
use crate::db::{self, search::Start};
use crate::domain::search::{fold, fts_query, QueryError, MAX_QUERY_CHARS};
use crate::domain::text::tag_key;
use crate::error::Result;
use crate::http::Resp;
use crate::i18n::M;
use crate::views::search::{self as view, Results, Tab};

/// Posts and accounts per page of results.
pub const PAGE_SIZE: u32 = 20;
/// Topics listed for a prefix.
const TAGS_SHOWN: u32 = 50;
/// Accounts in each `/people` section.
const PEOPLE_SHOWN: u32 = 12;

/// # `GET /search?q=&type=posts|accounts|tags` (`&max_id=`, `&min_id=`, `&offset=`)
///
/// An empty query shows the form; a query with nothing searchable or over
/// [`MAX_QUERY_CHARS`] characters is answered 400 with the form and a
/// message saying why, and nothing is searched or logged.
pub fn search(ctx: &mut Ctx) -> Result<Resp> {
    let q = ctx.req.query("q").unwrap_or("").trim().to_string();
    let tab = Tab::parse(ctx.req.query("type"));
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    if q.is_empty() {
        return page(ctx, |c| view::search(c, &q, tab, &Results::Message(None)));
    }
    let refused = match fts_query(&q) {
        Err(QueryError::TooLong) => Some(ctx.lang.f(M::SearchTooLong, &[&MAX_QUERY_CHARS])),
        Err(QueryError::Empty) if tab == Tab::Posts => Some(ctx.lang.t(M::SearchEmptyQuery).to_string()),
        _ => None,
    };
    if let Some(message) = refused {
        let r = Results::Message(Some(message));
        return Ok(page(ctx, |c| view::search(c, &q, tab, &r))?.status(400));
    }
    let results = match tab {
        Tab::Posts => {
            let (fts, needles) = fts_query(&q).map_err(|_| crate::error::Error::BadRequest("query".into()))?;
            let from = match (ctx.req.query_id("min_id")?, ctx.req.query_id("max_id")?) {
                (Some(min), _) => Start::Newer(min),
                (None, max) => Start::Older(max.unwrap_or(i64::MAX)),
            };
            let hits = db::search::posts(ctx.db, viewer, &fts, from, PAGE_SIZE)?;
            Results::Posts { items: items(ctx, hits.posts)?, needles, older: hits.older, newer: hits.newer }
        }
        Tab::Accounts => {
            let needle: String = fold(q.trim_start_matches('@')).into_iter().map(|f| f.ch).collect();
            let offset = ctx.req.query_id("offset")?.unwrap_or(0).clamp(0, 10_000) as u32;
            let mut people = db::search::accounts(ctx.db, &needle, PAGE_SIZE + 1, offset)?;
            let more = (people.len() > PAGE_SIZE as usize).then_some(offset + PAGE_SIZE);
            people.truncate(PAGE_SIZE as usize);
            Results::Accounts { people, needles: vec![needle], more }
        }
        Tab::Tags => {
            let prefix = tag_key(q.trim_start_matches('#').trim_end_matches('#'));
            Results::Tags(db::search::tags(ctx.db, &prefix, TAGS_SHOWN)?)
        }
    };
    if ctx.app.config.log_searches && ctx.user.is_some() {
        let target: String = q.chars().take(MAX_QUERY_CHARS).collect();
        ctx.write(|tx| ctx.log(tx, "search", &target))?;
    }
    page(ctx, |c| view::search(c, &q, tab, &results))
}

/// # `GET /people` — newest members, most followed, "who to follow" and,
/// signed in, accounts of the viewer's own subject type.
pub fn people(ctx: &mut Ctx) -> Result<Resp> {
    let newest = db::search::newest_members(ctx.db, PEOPLE_SHOWN)?;
    let most_followed = db::search::most_followed(ctx.db, PEOPLE_SHOWN)?;
    let (same_type, suggested) = match ctx.user.as_ref().map(|u| u.id) {
        Some(me) => {
            let kind = db::users::by_id(ctx.db, me)?.map(|u| u.subject_type).unwrap_or_default();
            let mut list = db::search::of_type(ctx.db, &kind, PEOPLE_SHOWN + 1)?;
            list.retain(|p| p.user.id != me);
            list.truncate(PEOPLE_SHOWN as usize);
            let label = crate::views::identity::subject_label(&kind);
            (Some((label, list)), db::search::who_to_follow(ctx.db, me, PEOPLE_SHOWN)?)
        }
        None => (None, Vec::new()),
    };
    let p = view::People { newest, most_followed, same_type, suggested };
    page(ctx, |c| view::people(c, &p))
}

/// Tags shown on `/trending`.
const TRENDS_SHOWN: u32 = 20;
/// The trending window: the last 24 hours, in seconds.
const TREND_WINDOW: i64 = 24 * 3600;

/// # `GET /trending` — the top tags of the last 24 hours by distinct
/// authors (R13.1: only while the `trending` feature is on, which needs a
/// security assessment on record; 404 otherwise). A tag matching any
/// keyword rule (R12.1) never trends; reviewers see a form to hide one.
pub fn trending(ctx: &mut Ctx) -> Result<Resp> {
    use crate::domain::features::Feature;
    if !db::features::enabled(ctx.db, Feature::Trending)? {
        return Err(crate::error::Error::NotFound);
    }
    let trends = top_trends(ctx, TRENDS_SHOWN)?;
    let staff = ctx.user.as_ref().is_some_and(|u| u.roles.iter().any(|r| super::REVIEW.contains(r)));
    page(ctx, |c| view::trending(c, &trends, staff))
}

/// The top `n` trending tags when the `trending` feature is on (none when
/// off): distinct authors over the last 24 hours, never a tag that a
/// keyword rule matches (R12.1, R13.1).
pub fn top_trends(ctx: &Ctx, n: u32) -> Result<Vec<db::search::Trend>> {
    if !db::features::enabled(ctx.db, crate::domain::features::Feature::Trending)? {
        return Ok(Vec::new());
    }
    let mut trends = db::search::trending(ctx.db, ctx.now - TREND_WINDOW, n * 2)?;
    trends.retain(|t| ctx.gov.matcher.matches(&t.tag).is_empty());
    trends.truncate(n as usize);
    Ok(trends)
}

/// # `POST /admin/trending/hide` (`tag`, `reason`) — take a tag off the
/// trending list for good, with a reason (R13.1), logged as `trending.hide`.
pub fn hide_trend(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let tag = tag_key(ctx.req.field("tag").unwrap_or("").trim().trim_matches('#'));
    let reason = ctx.req.field("reason").unwrap_or("").trim().to_string();
    if tag.is_empty() {
        return Err(crate::error::Error::Invalid(ctx.t(M::TrendNoTag).into()));
    }
    if reason.is_empty() {
        return Err(crate::error::Error::Invalid(ctx.t(M::ErrReasonRequired).into()));
    }
    if reason.chars().count() > 500 {
        return Err(crate::error::Error::Invalid(ctx.lang.f(M::ErrStaffTextLong, &[&500])));
    }
    ctx.write(|tx| {
        if db::search::hide_trend(tx, &tag, &reason, me, ctx.now)? {
            ctx.log_outcome(tx, "trending.hide", &format!("#{tag}"), &reason)?;
        }
        Ok(())
    })?;
    Ok(Resp::redirect("/trending"))
}
