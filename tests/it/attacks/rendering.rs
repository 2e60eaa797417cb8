//! Text rendering under random input (proptest, issue 15): no markup from
//! a post body survives into the page (every `<`, `>`, `"` and `'` of the
//! input comes out escaped, only Plaza's own links are elements), links
//! never carry a `javascript:` or other non-http scheme, and the text
//! rules are idempotent: cleaning, keyword normalisation and the tag key
//! give the same result when applied again.

use plaza::domain::keywords::normalise;
use plaza::domain::text::{clean, tag_key};
use plaza::views::components::rich_text;
use proptest::prelude::*;

/// Strings rich in what breaks HTML: angle brackets, quotes, ampersands,
/// scheme names, hashtags, mentions, URLs, full-width and zero-width
/// characters, controls.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<",
        ">",
        "\"",
        "'",
        "&",
        "&amp;",
        "&#60;",
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "javascript:",
        "JaVaScRiPt:",
        "data:text/html,",
        "vbscript:",
        "http://",
        "https://a.example/",
        "www.",
        "#",
        "#话题#",
        "@",
        "@alice",
        " ",
        "\n",
        "\t",
        "\u{200B}",
        "\u{202E}",
        "\u{0000}",
        "＜",
        "＞",
        "`",
        "=",
        "/",
        "\\",
        "(",
        ")",
        "a",
        "中",
        "x",
        "onload=",
        "style=",
        "srcdoc=",
        "%3C",
        "\u{FEFF}",
    ]);
    prop::collection::vec(prop_oneof![pieces.prop_map(String::from), any::<char>().prop_map(String::from)], 0..40)
        .prop_map(|v| v.concat())
}

/// The attributes and elements `rich_text` may produce: links only, whose
/// targets are tag pages, profiles or http(s) (so never `javascript:`;
/// `http://javascript:x` is a host named javascript, found by proptest).
fn markup_is_only_links(html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let tag = &rest[i..];
        let end = tag.find('>').ok_or_else(|| format!("unclosed tag in {html}"))?;
        let t = &tag[..=end];
        let allowed = t == "</a>"
            || t.starts_with("<a class=\"tag\" href=\"/tags/")
            || t.starts_with("<a class=\"mention\" href=\"/@")
            || t.starts_with("<a href=\"http://")
            || t.starts_with("<a href=\"https://")
            || t.starts_with("<a href=\"www.");
        if !allowed {
            return Err(format!("unexpected markup {t} in {html}"));
        }
        rest = &tag[end + 1..];
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn no_markup_from_input_survives(body in hostile()) {
        let html = rich_text(&clean(&body)).into_string();
        prop_assert!(markup_is_only_links(&html).is_ok(), "{:?}", markup_is_only_links(&html));
        // The text between tags holds no raw `<` or `"`.
        let text: String = html.split('<').map(|s| s.split_once('>').map_or(s, |(_, t)| t)).collect();
        prop_assert!(!text.contains('"') || html.contains("&quot;") || !body.contains('"'));
    }

    #[test]
    fn cleaning_is_idempotent(body in hostile()) {
        let once = clean(&body);
        prop_assert_eq!(clean(&once), once);
    }

    #[test]
    fn keyword_normalisation_is_idempotent(text in hostile()) {
        let once = normalise(&text);
        prop_assert_eq!(normalise(&once), once);
    }

    #[test]
    fn tag_keys_are_idempotent(tag in hostile()) {
        let once = tag_key(&tag);
        prop_assert_eq!(tag_key(&once), once);
    }
}

/// Cases proptest found once, kept.
#[test]
fn kept_cases() {
    for body in
        ["<a href=\"javascript:alert(1)\">x</a>", "www.<script>", "https://a.example/\"onmouseover=alert(1)", "#<b>#"]
    {
        let html = rich_text(&clean(body)).into_string();
        markup_is_only_links(&html).unwrap();
        assert!(!html.contains("<script") && !html.contains("<b>"), "{html}");
    }
}
