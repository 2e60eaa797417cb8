//! A member's own data (R7.6): a zip of their posts, comments, follows,
//! likes, settings and activity log, built in the background; closing the
//! account after re-entering the password makes public content disappear
//! from every listing, keeps the username reserved and keeps the log.

use crate::common::{with_admin, Client, Server};
use std::io::Read;

/// GET raw bytes (the page helper reads text).
fn get_bytes(c: &Client, path: &str) -> (u16, Option<String>, Vec<u8>) {
    let resp = match c.agent.get(&format!("{}{path}", c.base)).call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let (status, ct) = (resp.status(), resp.header("content-type").map(String::from));
    let mut body = Vec::new();
    resp.into_reader().read_to_end(&mut body).unwrap();
    (status, ct, body)
}

fn actions(s: &Server, user: &str) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT l.action, l.outcome FROM activity_log l JOIN users u ON u.id = l.account_id
             WHERE u.username = ?1 ORDER BY l.id",
        )
        .unwrap();
    stmt.query_map([user], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_member_downloads_their_own_data_as_a_zip() {
    let s = Server::start();
    let friend = s.client();
    friend.signup("friend");
    let friends_post = friend.post_status("朋友的微博", "public");
    let m = s.client();
    m.signup("owner");
    let kept = m.post_status("我的第一条 #话题#", "followers");
    let gone = m.post_status("要删掉的", "public");
    m.post(&format!("/posts/{gone}/delete"), &[]);
    m.post(&format!("/posts/{friends_post}/comments"), &[("body", "我的评论")]);
    m.post(&format!("/posts/{friends_post}/like"), &[]);
    // Issue 18: a like of a comment is in the download too.
    friend.post(&format!("/posts/{friends_post}/comments"), &[("body", "朋友自己的评论")]);
    let friends_comment: i64 = rusqlite::Connection::open(s.db_path())
        .unwrap()
        .query_row("SELECT id FROM comments WHERE body = '朋友自己的评论'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(m.post(&format!("/comments/{friends_comment}/like"), &[]).status, 303);
    m.post("/@friend/follow", &[]);
    friend.post("/@owner/follow", &[]);
    m.post("/settings/profile", &[("display_name", "主人"), ("bio", "简介")]);
    let target = format!("post:{friends_post}");
    let p = m.post("/complaints", &[("target", &target), ("category", "other"), ("body", "我的投诉"), ("contact", "")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([1, 2, 3]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let p = m.post_multipart(
        "/posts",
        &[("body", "带图"), ("visibility", "public"), ("alt", "一张图")],
        &[("media", "a.png", png.get_ref())],
    );
    assert_eq!(p.status, 303, "{}", p.body);

    let p = m.get("/settings/export");
    assert_eq!(p.status, 200);
    assert!(p.has("JSON"), "{}", p.body);
    let p = m.post("/settings/export", &[]);
    assert_eq!(p.status, 303);
    // Built in the background: wait for the link.
    let mut link = None;
    for _ in 0..500 {
        let p = m.get("/settings/export");
        if let Some(i) = p.body.find("href=\"/settings/export/") {
            link = Some(p.body[i + 6..].split('"').next().unwrap().to_string());
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let link = link.expect("the download became ready");
    let (status, ct, zip_bytes) = get_bytes(&m, &link);
    assert_eq!(status, 200);
    assert_eq!(ct.as_deref(), Some("application/zip"));

    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut json = |name: &str| -> serde_json::Value {
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    assert_eq!(json("account.json")["username"], "owner");
    let settings = json("settings.json");
    assert_eq!((settings["display_name"].as_str(), settings["bio"].as_str()), (Some("主人"), Some("简介")));
    assert_eq!(settings["agreement_version"], 1);
    let posts = json("posts.json");
    let posts = posts.as_array().unwrap();
    assert_eq!(posts.len(), 3);
    assert_eq!((posts[0]["id"].as_i64(), posts[0]["visibility"].as_str()), (Some(kept), Some("followers")));
    assert_eq!((posts[1]["id"].as_i64(), posts[1]["status"].as_str()), (Some(gone), Some("deleted")));
    assert_eq!(json("comments.json")[0]["body"], "我的评论");
    let follows = json("follows.json");
    assert_eq!(follows["following"][0]["username"], "friend");
    assert_eq!(follows["followers"][0]["username"], "friend");
    let likes = json("likes.json");
    assert_eq!(likes[0]["post_id"].as_i64(), Some(friends_post));
    assert!(likes[0].get("comment_id").is_none());
    assert_eq!(
        (likes[1]["post_id"].as_i64(), likes[1]["comment_id"].as_i64()),
        (Some(friends_post), Some(friends_comment))
    );
    let log = json("activity_log.json");
    let logged: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(logged.contains(&"user.signup") && logged.contains(&"data.export_request"), "{logged:?}");
    assert!(log[0]["port"].as_u64().unwrap() > 0);
    // The complaints the member filed and their credit history (R14.2, R15.1).
    let complaints = json("complaints.json");
    assert_eq!((complaints[0]["body"].as_str(), complaints[0]["target"].as_str()), (Some("我的投诉"), Some(&*target)));
    assert!(complaints[0]["tracking"].as_str().unwrap().starts_with("TS-"));
    assert!(json("credit.json").is_array());
    // R7.6: the member's media, listed and included.
    let media = json("media.json");
    assert_eq!((media[0]["alt"].as_str(), media[0]["mime"].as_str()), (Some("一张图"), Some("image/png")));
    let sha = media[0]["sha256"].as_str().unwrap().to_string();
    let mut file = Vec::new();
    zip.by_name(&format!("media/{sha}")).unwrap().read_to_end(&mut file).unwrap();
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(&file)), sha);
    let mut readme = String::new();
    zip.by_name("README.txt").unwrap().read_to_string(&mut readme).unwrap();
    assert!(readme.contains("posts.json"));
    // Nobody else's data is in it, and nobody else can fetch it.
    assert!(!posts.iter().any(|p| p["body"] == "朋友的微博"));
    assert_eq!(get_bytes(&friend, &link).0, 404);
    assert_eq!(get_bytes(&s.client(), &link).0, 303, "signed out: to the login page");
    let mine = actions(&s, "owner");
    assert!(mine.iter().any(|(a, _)| a == "data.export_request"));
    assert!(mine.iter().any(|(a, _)| a == "data.export_download"));
}

#[test]
fn a_closed_account_disappears_and_its_name_stays_reserved() {
    let (s, admin) = with_admin();
    let other = s.client();
    other.signup("bystander");
    let leaver = s.client();
    leaver.signup("Leaver");
    let post = leaver.post_status("即将消失 #再见#", "public");
    let bystander_post = other.post_status("旁观者", "public");
    leaver.post(&format!("/posts/{bystander_post}/comments"), &[("body", "离开前的评论")]);
    leaver.post(&format!("/posts/{bystander_post}/like"), &[]);
    other.post(&format!("/posts/{post}/repost"), &[("body", "转发一下")]);
    other.post("/@Leaver/follow", &[]);
    leaver.post("/@bystander/follow", &[]);

    // The page says what goes, what is kept and for how long.
    let p = leaver.get("/settings/close?lang=en");
    assert_eq!(p.status, 200);
    assert!(p.has("nobody can register it again"), "{}", p.body);
    assert!(p.has("each entry for 365 days"), "{}", p.body);
    // Wrong password: nothing happens, and the attempt is logged.
    let p = leaver.post("/settings/close", &[("password", "not my password")]);
    assert_eq!(p.status, 422);
    assert!(p.has("Wrong password"));
    assert!(other.get("/public").has("即将消失"));
    // Staff accounts cannot close themselves.
    assert_eq!(admin.post("/settings/close", &[("password", "correct horse")]).status, 422);

    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([9, 9, 9]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    assert_eq!(leaver.post_multipart("/settings/avatar", &[], &[("avatar", "me.png", png.get_ref())]).status, 303);
    let avatar: String = rusqlite::Connection::open(s.db_path())
        .unwrap()
        .query_row("SELECT sha256 FROM attachments WHERE purpose = 'avatar'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(get_bytes(&other, &format!("/media/{avatar}")).0, 200);

    let p = leaver.post("/settings/close", &[("password", "correct horse")]);
    assert_eq!(p.status, 200, "{}", p.body);
    assert_eq!(get_bytes(&other, &format!("/media/{avatar}")).0, 404, "the avatar is no longer served");
    assert!(p.has("each entry for 365 days"));
    // Logged out everywhere, and cannot log in again.
    assert!(!leaver.get("/").has("/logout"));
    assert_eq!(leaver.login("Leaver").status, 401);

    // Gone from every listing and page.
    let public = other.get("/public");
    assert!(!public.has("即将消失") && !public.has("离开前的评论"));
    assert!(public.has("转发一下") && public.has("原微博已删除"), "a repost shows the original removed");
    assert!(!other.get("/tags/%E5%86%8D%E8%A7%81").has("即将消失"));
    assert_eq!(other.get("/@Leaver").status, 404);
    assert_eq!(other.get(&format!("/posts/{post}")).status, 410);
    let bp = other.get(&format!("/posts/{bystander_post}"));
    assert!(!bp.has("离开前的评论"));
    assert!(!other.get("/@bystander/followers").has("Leaver"));
    assert!(!other.get("/@bystander/following").has("Leaver"));
    let home = other.get("/");
    assert!(!home.has("即将消失"));
    let conn = rusqlite::Connection::open(s.db_path()).unwrap();
    let (likes, comments): (i64, i64) = conn
        .query_row("SELECT like_count, comment_count FROM posts WHERE id = ?1", [bystander_post], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((likes, comments), (0, 0));
    let body: String = conn.query_row("SELECT body FROM posts WHERE id = ?1", [post], |r| r.get(0)).unwrap();
    assert_eq!(body, "", "the text is erased");

    // The username stays reserved, whatever its case.
    for name in ["Leaver", "leaver", "LEAVER"] {
        let c = s.client();
        let p = c.post("/signup", &[("username", name), ("password", "correct horse"), ("accept_terms", "1")]);
        assert_eq!(p.status, 409, "{name}");
    }
    // The log stays, with the close and the refused attempt.
    let log = actions(&s, "Leaver");
    assert!(log.iter().any(|(a, o)| a == "user.close" && o == "wrong password"), "{log:?}");
    assert!(log.iter().any(|(a, o)| a == "user.close" && o == "ok"), "{log:?}");
    assert!(log.iter().any(|(a, _)| a == "post.create"));
    let p = admin.get("/admin/logs?account=Leaver");
    assert!(p.has("user.close"));
    let (ok, out, err) = s.command(&["doctor"]);
    assert!(ok, "{out}{err}");
}
