//! Keyword rules (R12.1) for chief editors and admins: list and search,
//! add and delete one, import and export a rule list as text (one rule a
//! line: `pattern<TAB>category<TAB>action`). Every change moves the
//! governance version, so every worker and process matches with the new
//! rules from its next request. Every change is logged.

use super::{page, Ctx};
use crate::db::moderation as dbm;
use crate::domain::keywords::{self, normalise, KeywordAction, DEFAULT_CATEGORY};
use crate::domain::moderation::{MAX_CATEGORY, MAX_PATTERN};
use crate::domain::text::grapheme_len;
use crate::error::{Error, Result};
use crate::http::Resp;
use crate::i18n::M;
use crate::views::staff::{self as view, RulesPage};

/// Rules per page of `/admin/keywords`.
const RULES_PAGE: u32 = 200;

/// What is wrong with a rule's pattern or category, if anything.
fn check_rule(ctx: &Ctx, pattern: &str, category: &str) -> Option<String> {
    if normalise(pattern).is_empty() {
        return Some(ctx.t(M::ErrPatternEmpty).into());
    }
    if grapheme_len(pattern) > MAX_PATTERN {
        return Some(ctx.lang.f(M::ErrPatternLong, &[&MAX_PATTERN]));
    }
    if grapheme_len(category) > MAX_CATEGORY {
        return Some(ctx.lang.f(M::ErrCategoryLong, &[&MAX_CATEGORY]));
    }
    None
}

fn show(ctx: &mut Ctx, mut p: RulesPage, status: u16) -> Result<Resp> {
    let after = ctx.req.query_id("after")?.unwrap_or(0);
    p.rules = dbm::rule_page(ctx.db, &p.q, after, RULES_PAGE)?;
    p.total = dbm::rule_count(ctx.db)?;
    p.next = (p.rules.len() == RULES_PAGE as usize)
        .then(|| p.rules.last().map(|r| format!("/admin/keywords?q={}&after={}", urlencode(&p.q), r.id)))
        .flatten();
    Ok(page(ctx, |c| view::keywords(c, &p))?.status(status))
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// # `GET /admin/keywords` (`q` searches patterns and categories, `after` pages)
pub fn list(ctx: &mut Ctx) -> Result<Resp> {
    let q = ctx.req.query("q").unwrap_or("").trim().chars().take(MAX_PATTERN).collect();
    let notice = ctx.req.query("done").map(|d| d.chars().take(100).collect());
    show(ctx, RulesPage { q, notice, ..Default::default() }, 200)
}

/// # `POST /admin/keywords` (`pattern`, `category`, `action` = block | review | flag)
pub fn add(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let pattern = ctx.req.field("pattern").unwrap_or("").trim().to_string();
    let category = Some(ctx.req.field("category").unwrap_or("").trim())
        .filter(|c| !c.is_empty())
        .unwrap_or(DEFAULT_CATEGORY)
        .to_string();
    let action = KeywordAction::parse(ctx.req.field("action").unwrap_or(""))
        .ok_or_else(|| Error::BadRequest("action: block, review or flag".into()))?;
    if let Some(error) = check_rule(ctx, &pattern, &category) {
        let p = RulesPage { error: Some(error), pattern, category, ..Default::default() };
        return show(ctx, p, 422);
    }
    ctx.write(|tx| {
        let (id, new) = dbm::add_rule(tx, &pattern, &category, action, Some(me), ctx.now)?;
        if new {
            ctx.log_outcome(tx, "keyword.add", &format!("rule:{id}"), &format!("ok {}", action.as_str()))?;
        }
        Ok(())
    })?;
    Ok(Resp::redirect("/admin/keywords?done=added"))
}

/// # `POST /admin/keywords/{id}/delete`
pub fn delete(ctx: &mut Ctx) -> Result<Resp> {
    let id = ctx.path_id("id")?;
    ctx.write(|tx| {
        if dbm::delete_rule(tx, id)? {
            ctx.log(tx, "keyword.delete", &format!("rule:{id}"))?;
        }
        Ok(())
    })?;
    Ok(Resp::redirect("/admin/keywords?done=deleted"))
}

/// # `POST /admin/keywords/import` (`rules` text, `replace` to drop every rule first)
///
/// All or nothing: a list with any bad line changes nothing, and the page
/// names every bad line.
pub fn import(ctx: &mut Ctx) -> Result<Resp> {
    let me = ctx.user()?.id;
    let text = ctx.req.field("rules").unwrap_or("").to_string();
    let replace = ctx.req.field("replace").is_some();
    let parsed = match keywords::parse_rule_list(&text) {
        Ok(rules) => rules,
        Err(errors) => {
            let lines = errors.into_iter().map(|(n, msg)| ctx.lang.f(M::ImportBadLine, &[&n, &msg])).collect();
            let p = RulesPage { import_text: text, import_errors: lines, ..Default::default() };
            return show(ctx, p, 422);
        }
    };
    let too_long: Vec<String> = parsed
        .iter()
        .enumerate()
        .filter_map(|(i, (pattern, category, _))| check_rule(ctx, pattern, category).map(|e| format!("#{} {e}", i + 1)))
        .collect();
    if !too_long.is_empty() {
        let p = RulesPage { import_text: text, import_errors: too_long, ..Default::default() };
        return show(ctx, p, 422);
    }
    let added = ctx.write(|tx| {
        let dropped = if replace { dbm::delete_all_rules(tx)? } else { 0 };
        let mut added = 0;
        for (pattern, category, action) in &parsed {
            if dbm::add_rule(tx, pattern, category, *action, Some(me), ctx.now)?.1 {
                added += 1;
            }
        }
        ctx.log_outcome(tx, "keyword.import", "rules", &format!("ok {added} added, {dropped} replaced"))?;
        Ok(added)
    })?;
    Ok(Resp::redirect(&format!("/admin/keywords?done=imported+{added}")))
}

/// # `GET /admin/keywords/export` — every rule as a rule list (text/plain).
pub fn export(ctx: &mut Ctx) -> Result<Resp> {
    let rules = dbm::rules(ctx.db)?;
    let text = keywords::format_rule_list(&rules);
    ctx.write(|tx| ctx.log_outcome(tx, "keyword.export", "rules", &format!("ok {} rules", rules.len())))?;
    Ok(Resp::with_type(200, "text/plain; charset=utf-8", text.into_bytes())
        .header("Content-Disposition", "attachment; filename=\"plaza-keyword-rules.tsv\""))
}
