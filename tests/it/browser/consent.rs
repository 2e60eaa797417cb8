//! Journey (issue 19): a member authorises a phone app in the browser.
//! The app sends them to Plaza's consent page, which names the app and
//! what it may do; after "授权" the browser follows the redirect to the
//! app's address (another origin) with the code and state: the page's
//! `form-action` lets exactly that destination through.

use super::{log_in, Browser};
use crate::common::api::{enc, register_app};
use crate::common::Server;
use plaza::i18n::M;

fn journey(width: u32) {
    let s = Server::start();
    s.client().signup_unverified("lin_yu");
    // Another origin than the site's (localhost, not 127.0.0.1): the app.
    let port = s.base.rsplit(':').next().unwrap().to_string();
    let redirect = format!("http://localhost:{port}/app-callback");
    let app = register_app(&s, "掌上广场", &redirect, "read write");
    let mut b = Browser::open(&s, "consent", width);
    log_in(&mut b, "lin_yu");
    b.goto(&format!(
        "/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&scope=read+write&state=xyz",
        enc(&app.client_id),
        enc(&redirect)
    ));
    b.see("掌上广场");
    b.see(M::ScopeRead.zh());
    b.see(M::ScopeWrite.zh());
    // The app's address answers 404 here (no app listens on it): expected.
    b.expect_status(404);
    b.click(M::ConsentApprove.zh());
    let at =
        b.js("return location.host + location.pathname + location.search").as_str().unwrap_or_default().to_string();
    assert!(at.starts_with(&format!("localhost:{port}/app-callback?code=")), "the browser reached the app: {at}");
    assert!(at.ends_with("&state=xyz"), "{at}");
    b.expect_status(404);
    b.finish();
}

at_both_widths!();
