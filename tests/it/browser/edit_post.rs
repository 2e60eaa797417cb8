//! Journey (issue 18): an author edits a post from its page and sees
//! "edited" with the earlier version, bookmarks it and finds it in
//! 收藏, pins it and finds it heading the profile.

use super::{log_in, Browser, Within};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    let author = s.client();
    author.signup("lin_yu");
    let id = author.post_status("明天下午三点开会", "public");
    author.post_status("另一条普通的帖子", "public");
    let mut b = Browser::open(&s, "edit_post", width);
    log_in(&mut b, "lin_yu");
    b.goto(&format!("/posts/{id}"));
    b.reveal(M::EditPost.zh());
    b.fill_in(Within::Css("details.edit-post form"), "body", "明天下午四点开会（改时间了）");
    b.click_in(Within::Css("details.edit-post form"), M::Save.zh());
    b.see("明天下午四点开会（改时间了）");
    b.reveal(&b.text_of(Within::Css("details.versions summary")));
    b.see("明天下午三点开会");

    b.click(M::Bookmark.zh());
    b.see(M::Unbookmark.zh());
    b.goto("/bookmarks");
    b.see("明天下午四点开会（改时间了）");
    b.not_see("另一条普通的帖子");

    b.goto(&format!("/posts/{id}"));
    b.click(M::Pin.zh());
    b.see(M::Unpin.zh());
    b.goto("/@lin_yu");
    b.see(M::Pinned.zh());
    let page = b.text();
    let pinned = page.find("明天下午四点开会").expect("the pinned post on the profile");
    assert!(pinned < page.find("另一条普通的帖子").expect("the other post"), "pinned comes first: {page}");
    b.finish();
}

at_both_widths!();
