//! Site settings (R4.1) and the versions of the service agreement and
//! platform rules (R6.1).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// Settings an admin edits in `/admin/settings`; every footer shows the
/// licence and filing numbers (R4.1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteSettings {
    /// Shown in the header and page titles.
    pub site_name: String,
    /// ICP filing number (ICP备案号), e.g. `京ICP备12345678号`.
    pub icp_filing: String,
    /// Public security filing number (公安备案号).
    pub psb_filing: String,
    /// Internet news information service licence number, if any.
    pub news_licence: String,
    /// Free text under the numbers (operator, contact).
    pub footer_note: String,
}

/// Every setting key, with its field: the one list of what `settings` holds.
const KEYS: [&str; 5] = ["site_name", "icp_filing", "psb_filing", "news_licence", "footer_note"];

impl SiteSettings {
    fn field(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "site_name" => &mut self.site_name,
            "icp_filing" => &mut self.icp_filing,
            "psb_filing" => &mut self.psb_filing,
            "news_licence" => &mut self.news_licence,
            "footer_note" => &mut self.footer_note,
            _ => return None,
        })
    }
}

/// Read all settings; missing keys keep their defaults (site name "Plaza").
pub fn load(conn: &Connection) -> Result<SiteSettings> {
    let mut s = SiteSettings { site_name: "Plaza".into(), ..Default::default() };
    let mut stmt = conn.prepare_cached("SELECT key, value FROM settings")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (k, v) = row?;
        if let Some(f) = s.field(&k) {
            *f = v;
        }
    }
    Ok(s)
}

/// Store all settings; returns the keys whose value changed (for the log).
pub fn save(tx: &Transaction, new: &SiteSettings) -> Result<Vec<&'static str>> {
    let mut old = load(tx)?;
    let mut new = new.clone();
    let mut changed = Vec::new();
    for key in KEYS {
        let value = new.field(key).map(|v| v.clone()).unwrap_or_default();
        if old.field(key).map(|v| v.as_str()) != Some(value.as_str()) {
            changed.push(key);
            tx.prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
            )?
            .execute(params![key, value])?;
        }
    }
    Ok(changed)
}

/// One published version of the service agreement and platform rules.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub version: i64,
    pub agreement_text: String,
    pub rules_text: String,
    pub published_at: i64,
}

/// The current (newest) agreement, if any was published.
pub fn current_agreement(conn: &Connection) -> Result<Option<Agreement>> {
    Ok(conn
        .prepare_cached(
            "SELECT version, agreement_text, rules_text, published_at FROM agreements ORDER BY version DESC LIMIT 1",
        )?
        .query_row([], |r| {
            Ok(Agreement {
                version: r.get(0)?,
                agreement_text: r.get(1)?,
                rules_text: r.get(2)?,
                published_at: r.get(3)?,
            })
        })
        .optional()?)
}

/// Publish a new version (current + 1) and return its number. Every member
/// accepts it at their next request (R6.1).
pub fn publish_agreement(tx: &Transaction, agreement: &str, rules: &str, by: Option<i64>, now: i64) -> Result<i64> {
    let version: i64 =
        tx.prepare_cached("SELECT coalesce(max(version), 0) + 1 FROM agreements")?.query_row([], |r| r.get(0))?;
    tx.prepare_cached(
        "INSERT INTO agreements (version, agreement_text, rules_text, published_at, published_by) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![version, agreement, rules, now, by])?;
    Ok(version)
}
