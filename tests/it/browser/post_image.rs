//! Journey: a verified member writes a post, attaches a photo through the
//! file input with a description, publishes, and sees it with the image on
//! the post page, their home timeline and the public timeline (R2.2).

use super::{log_in, png_file, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    s.client().signup("qian_li");
    let files = tempfile::tempdir().unwrap();
    let photo = png_file(files.path(), "morning.png");
    let mut b = Browser::open(&s, "post_image", width);
    log_in(&mut b, "qian_li");
    b.not_see(M::IdentityRequiredText.zh());

    let body = "今天早上的操场，阳光正好";
    let alt = "清晨的操场";
    b.fill("body", body);
    b.reveal(M::MediaLabel.zh());
    b.upload("media", &photo);
    b.fill("alt", alt);
    b.choose("visibility", "public");
    b.click_in(Within::Css("form.compose"), M::ComposeButton.zh());
    b.see(body);
    b.see_image(alt);

    // On the author's home timeline: a card with the text (or this panics) and the image.
    b.goto("/");
    b.text_of(Within::Post(body));
    b.see_image(alt);
    b.goto("/public");
    let card = b.text_of(Within::Post(body));
    assert!(card.contains("@qian_li"), "the card names its author: {card}");
    b.see_image(alt);
    b.finish();
}

at_both_widths!();
