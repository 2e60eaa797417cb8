//! Emergency mode (R6.4): the operator's switches (hold all new content
//! for review, stop reposts, stop all new publishing) and the banner, which
//! take effect site-wide from the next request. Each switch that changes
//! is logged on its own as `emergency.switch`.

use super::Env;
use crate::db::moderation as dbm;
use crate::domain::moderation::Emergency;
use crate::error::Result;
use rusqlite::Transaction;

/// Set the switches and banner to `new` as `env.actor`.
///
/// # Returns
/// False when nothing changed (nothing written).
///
/// # Errors
/// A database error.
pub fn set(env: &Env, tx: &Transaction, new: &Emergency) -> Result<bool> {
    let old = dbm::emergency(tx)?;
    if &old == new {
        return Ok(false);
    }
    dbm::set_emergency(tx, new, env.actor.account(), env.now)?;
    let word = |b: bool| if b { "on" } else { "off" };
    for (name, was, is) in [
        ("hold_all", old.hold_all, new.hold_all),
        ("stop_reposts", old.stop_reposts, new.stop_reposts),
        ("stop_publishing", old.stop_publishing, new.stop_publishing),
    ] {
        if was != is {
            env.log(tx, "emergency.switch", &format!("emergency:{name}"), word(is))?;
        }
    }
    if old.banner != new.banner {
        let shown: String = new.banner.chars().take(200).collect();
        let outcome = if shown.is_empty() { "off".to_string() } else { format!("on: {shown}") };
        env.log(tx, "emergency.switch", "emergency:banner", &outcome)?;
    }
    Ok(true)
}
