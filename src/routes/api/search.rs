//! `GET /api/v2/search` (issue 19, scope `read:search`): the search page's
//! own queries (issue 17) as JSON: posts through the same index and
//! visibility conditions as `/search` (`db::search::posts`), accounts by
//! username or display name, topics by prefix. `type` picks one;
//! `max_id`/`min_id` page statuses, `offset` accounts. Logged as the page
//! logs searches (`log_searches`, R16.1).

use super::{base_url, ok, param};
use crate::db::{self, search::Start};
use crate::domain::search::{fold, fts_query, QueryError, MAX_QUERY_CHARS};
use crate::domain::text::tag_key;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::routes::Ctx;

/// # `GET /api/v2/search?q=...&type=accounts|statuses|hashtags&limit=`
///
/// # Errors
/// 422 naming `q` when it is missing, too long, or has nothing searchable
/// for statuses.
pub fn search(ctx: &mut Ctx) -> Result<Resp> {
    let q = param(ctx, "q")?.unwrap_or("").trim().to_string();
    if q.is_empty() {
        return Err(Error::Invalid(format!("q: {}", ctx.t(M::ApiFieldMissing))));
    }
    if let Err(QueryError::TooLong) = fts_query(&q) {
        return Err(Error::Invalid(format!("q: {}", ctx.lang.f(M::SearchTooLong, &[&MAX_QUERY_CHARS]))));
    }
    let kind = param(ctx, "type")?.unwrap_or("");
    let limit = super::int_param(ctx, "limit")?.map_or(20, |l| l.clamp(1, 40)) as u32;
    let viewer = ctx.user.as_ref().map_or(0, |u| u.id);
    let mut accounts = Vec::new();
    let mut statuses = Vec::new();
    let mut hashtags = Vec::new();
    if kind.is_empty() || kind == "accounts" {
        let needle: String = fold(q.trim_start_matches('@')).into_iter().map(|f| f.ch).collect();
        let offset = super::int_param(ctx, "offset")?.unwrap_or(0).clamp(0, 10_000) as u32;
        for p in db::search::accounts(ctx.db, &needle, limit, offset)? {
            if viewer != 0 && db::blocks::between(ctx.db, viewer, p.user.id)? {
                continue;
            }
            accounts.push(super::accounts::embedded(ctx, &p.user)?);
        }
    }
    if kind.is_empty() || kind == "statuses" {
        match fts_query(&q) {
            Ok((fts, _)) => {
                let from = match (super::int_param(ctx, "min_id")?, super::int_param(ctx, "max_id")?) {
                    (Some(min), _) => Start::Newer(min),
                    (None, max) => Start::Older(max.unwrap_or(i64::MAX)),
                };
                let hits = db::search::posts(ctx.db, viewer, &fts, from, limit)?;
                statuses = super::timelines::statuses(ctx, hits.posts)?;
            }
            Err(_) if kind.is_empty() => {}
            Err(_) => return Err(Error::Invalid(format!("q: {}", ctx.t(M::SearchEmptyQuery)))),
        }
    }
    if kind.is_empty() || kind == "hashtags" {
        let prefix = tag_key(q.trim_start_matches('#').trim_end_matches('#'));
        let base = base_url(ctx);
        for (tag, uses) in db::search::tags(ctx.db, &prefix, limit)? {
            let url = format!("{base}{}", crate::views::components::tag_url(&tag));
            hashtags.push(serde_json::json!({ "name": tag, "url": url, "history": [], "plaza_uses": uses }));
        }
    }
    if ctx.app.config.log_searches && ctx.user.is_some() {
        let target: String = q.chars().take(MAX_QUERY_CHARS).collect();
        ctx.write(|tx| ctx.log(tx, "search", &target))?;
    }
    ok(&serde_json::json!({ "accounts": accounts, "statuses": statuses, "hashtags": hashtags }))
}
