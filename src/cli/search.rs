//! `plaza search rebuild`: write the post search index again from every
//! post's text (issue 17), with a progress bar; logged as `search.rebuild`.

use super::DataDir;
use crate::error::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;

/// Rebuild the search index of the data folder at `data` in one write
/// transaction (the server's writes wait meanwhile: about a minute for a
/// million posts here). `progress` shows a bar on stderr.
///
/// # Returns
/// `indexed N posts in S s`.
pub fn search_rebuild(data: &Path, progress: bool) -> Result<String> {
    let dir = DataDir::open(data)?;
    let started = std::time::Instant::now();
    let bar = if progress { ProgressBar::new(0) } else { ProgressBar::hidden() };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} posts {eta}") {
        bar.set_style(style);
    }
    let now = crate::clock::now();
    let n = dir.write(now, |tx| {
        let n = crate::db::search::rebuild(tx, |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })?;
        dir.log(tx, now, "search rebuild", "search.rebuild", "", &format!("{n} posts"))?;
        Ok(n)
    })?;
    bar.finish_and_clear();
    Ok(format!("indexed {n} posts in {:.1} s", started.elapsed().as_secs_f64()))
}
