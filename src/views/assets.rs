//! The embedded assets (`assets/`: CSS, JS, icons, the default agreement):
//! their bytes, their content hashes, and the hashed URL pages link to, so
//! a page can name an asset without knowing how it is served.

use rust_embed::RustEmbed;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Everything under `assets/`, embedded in the binary (debug builds too).
#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

/// Content hashes of the assets, first 16 hex characters, by file name.
fn hashes() -> &'static HashMap<String, String> {
    static H: OnceLock<HashMap<String, String>> = OnceLock::new();
    H.get_or_init(|| {
        Assets::iter()
            .filter_map(|name| {
                let f = Assets::get(&name)?;
                Some((name.to_string(), hex::encode(&f.metadata.sha256_hash()[..8])))
            })
            .collect()
    })
}

/// The URL of an asset with its content hash, so it can be cached forever.
pub fn asset_url(name: &str) -> String {
    match hashes().get(name) {
        Some(h) => format!("/assets/{name}?v={h}"),
        None => format!("/assets/{name}"),
    }
}

/// The bytes of asset `name`, if there is one.
pub fn file(name: &str) -> Option<Cow<'static, [u8]>> {
    Assets::get(name).map(|f| f.data)
}

/// The content hash of asset `name` (16 hex characters), as [`asset_url`] puts it in the URL.
pub fn hash(name: &str) -> Option<&'static str> {
    hashes().get(name).map(String::as_str)
}
