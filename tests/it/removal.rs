//! Removal with evidence (R12.2, R12.3) and bulk takedown (R6.4): a removed
//! post leaves every listing at once, its media answers 404 to members,
//! reposts show it as removed; evidence survives the author's own delete
//! and cannot be changed; the export's hashes check out.

use crate::common::gov::*;
use crate::common::{id_from, with_admin, Client};
use sha2::{Digest, Sha256};

fn post_with_image(c: &Client, body: &str) -> i64 {
    let p =
        c.post_multipart("/posts", &[("body", body), ("visibility", "public")], &[("media", "a.png", &png(40, 30))]);
    assert_eq!(p.status, 303, "{}", p.body);
    id_from(p.location.as_deref().unwrap())
}

fn image_of(s: &Server, post: i64) -> String {
    db(s).query_row("SELECT sha256 FROM attachments WHERE post_id = ?1", [post], |r| r.get(0)).unwrap()
}

use crate::common::Server;

/// R12.2: removal takes effect at once everywhere a member could meet the
/// post: home, public, profile, tag page, post page, reposts, the
/// notifications about it, and its media; staff still see the media.
#[test]
fn removal_propagates_everywhere() {
    let (s, admin) = with_admin();
    let reviewer = staff(&s, &admin, "rita", &["reviewer"]);
    let alice = member(&s, "alice");
    let bob = member(&s, "bob");
    assert_eq!(bob.post("/@alice/follow", &[]).status, 303);
    let post = post_with_image(&alice, "违规内容 #话题# here");
    let hash = image_of(&s, post);
    let r = bob.post(&format!("/posts/{post}/repost"), &[("body", "look")]);
    let repost = id_from(r.location.as_deref().unwrap());
    assert_eq!(bob.post(&format!("/posts/{post}/like"), &[]).status, 303);
    assert_eq!(bob.post(&format!("/posts/{post}/comments"), &[("body", "nice")]).status, 303);
    let anon = s.client();
    let tag = "/tags/%E8%AF%9D%E9%A2%98";
    for (who, path) in [(&bob, "/"), (&anon, "/public"), (&anon, "/@alice"), (&anon, tag)] {
        assert!(who.get(path).has("违规内容"), "before: {path}");
    }
    assert!(alice.get("/notifications").has("liked your post"));
    assert_eq!(anon.get_raw(&format!("/media/{hash}"), &[]).status, 200);

    assert!(reviewer.get(&format!("/posts/{post}")).has(&format!("/admin/posts/{post}")), "staff link on the card");
    let p = reviewer
        .post(&format!("/admin/posts/{post}/remove"), &[("reason", "违反平台规则第 3 条"), ("category", "politics")]);
    assert_eq!(p.status, 303, "{}", p.body);

    for (who, path) in [(&bob, "/"), (&anon, "/public"), (&anon, "/@alice"), (&anon, tag), (&alice, "/@alice")] {
        assert!(!who.get(path).has("违规内容"), "after: {path}");
    }
    assert_eq!(anon.get(&format!("/posts/{post}")).status, 410);
    assert_eq!(alice.get(&format!("/posts/{post}")).status, 410, "not even to its author");
    let rp = anon.get(&format!("/posts/{repost}"));
    assert_eq!(rp.status, 200);
    assert!(rp.has("The original post was removed") || rp.has("原微博已删除"), "{}", rp.body);
    assert!(!rp.has("违规内容"));
    assert!(bob.get("/").has("The original post was removed"), "the repost in a timeline");
    for who in [&anon, &alice, &bob] {
        assert_eq!(who.get_raw(&format!("/media/{hash}"), &[]).status, 404);
        assert_eq!(who.get_raw(&format!("/media/{hash}/thumb"), &[]).status, 404);
    }
    assert_eq!(reviewer.get_raw(&format!("/media/{hash}"), &[]).status, 200, "staff see the evidence");
    let n = alice.get("/notifications");
    assert!(!n.has("liked your post") && !n.has("commented on your post"), "{}", n.body);
    assert!(n.has("Your content was removed") && n.has("违反平台规则第 3 条"), "{}", n.body);
    assert!(!n.body.contains("Unread\">3"), "the unread count leaves out the hidden ones");
    let (kind, body, media, decider, reason, category): (String, String, String, String, String, String) = db(&s)
        .query_row(
            "SELECT e.kind, e.body, m.sha256, e.decider_username, e.reason, e.category
             FROM evidence e JOIN evidence_media m ON m.evidence_id = e.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    assert_eq!(kind, "removal");
    assert_eq!(body, "违规内容 #话题# here");
    assert_eq!(media, hash);
    assert_eq!((decider.as_str(), reason.as_str(), category.as_str()), ("rita", "违反平台规则第 3 条", "politics"));
    assert_eq!(count(&s, &format!("SELECT repost_count FROM posts WHERE id = {post}")), 1);

    // Removing a comment; the chief editor reverses a removal.
    let cid = count(&s, "SELECT max(id) FROM comments");
    assert_eq!(reviewer.post(&format!("/admin/comments/{cid}/remove"), &[("reason", "spam")]).status, 303);
    assert_eq!(reviewer.post(&format!("/admin/posts/{post}/restore"), &[]).status, 403, "reviewers cannot reverse");
    let chief = staff(&s, &admin, "chief", &["chief_editor"]);
    assert_eq!(chief.post(&format!("/admin/posts/{post}/restore"), &[("reason", "误删")]).status, 303);
    assert!(anon.get("/public").has("违规内容"));
    assert_eq!(count(&s, "SELECT count(*) FROM evidence"), 2, "the removal's evidence stays");
}

/// R12.2: an author's own delete leaves an evidence record with the text
/// and the media hashes; the file is kept; nobody can change or delete the
/// record; only staff with the right role see it.
#[test]
fn evidence_survives_the_authors_delete() {
    let (s, admin) = with_admin();
    admin.get("/?lang=en");
    let alice = member(&s, "alice");
    let post = post_with_image(&alice, "我要删掉的微博");
    let hash = image_of(&s, post);
    assert_eq!(alice.post(&format!("/posts/{post}/delete"), &[]).status, 303);
    let c = alice.post(&format!("/posts/{}/comments", alice.post_status("x", "public")), &[("body", "删掉的评论")]);
    assert_eq!(c.status, 303);
    let cid = count(&s, "SELECT max(id) FROM comments");
    assert_eq!(alice.post(&format!("/comments/{cid}/delete"), &[]).status, 303);

    let conn = db(&s);
    let (kind, body, ip, media): (String, String, String, String) = conn
        .query_row(
            "SELECT e.kind, e.body, e.source_ip, m.sha256 FROM evidence e JOIN evidence_media m ON m.evidence_id = e.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), body.as_str(), ip.as_str()), ("author_delete", "我要删掉的微博", "127.0.0.1"));
    assert_eq!(media, hash);
    assert_eq!(count(&s, "SELECT count(*) FROM evidence WHERE content_type = 'comment' AND body = '删掉的评论'"), 1);
    assert!(conn.execute("UPDATE evidence SET body = 'x'", []).is_err(), "immutable");
    assert!(conn.execute("DELETE FROM evidence", []).is_err(), "not deletable while young");
    assert!(conn.execute("DELETE FROM evidence_media", []).is_err());
    drop(conn);

    let (ok, out, err) = s.command(&["media", "gc", "--min-age", "0"]);
    assert!(ok, "{err}");
    assert!(s.data.path().join("media").join(&hash[..2]).join(&hash).exists(), "held for the evidence: {out}");
    assert_eq!(alice.get_raw(&format!("/media/{hash}"), &[]).status, 404, "never shown to members again");

    assert_eq!(alice.get("/admin/evidence").status, 403);
    // Closing the account erases the text from the posts, not from the evidence.
    let left = alice.post_status("最后一条", "public");
    assert_eq!(alice.post("/settings/close", &[("password", "correct horse")]).status, 200);
    assert_eq!(
        db(&s).query_row("SELECT body FROM posts WHERE id = ?1", [left], |r| r.get::<_, String>(0)).unwrap(),
        ""
    );
    assert_eq!(count(&s, "SELECT count(*) FROM evidence WHERE body = '最后一条' AND kind = 'author_delete'"), 1);

    let reviewer = staff(&s, &admin, "rita", &["reviewer"]);
    assert_eq!(reviewer.get("/admin/evidence").status, 403, "evidence is for chief editors and admins");
    let list = admin.get("/admin/evidence?kind=author_delete&author=alice");
    assert_eq!(list.status, 200);
    assert!(list.has("我要删掉的微博") && list.has("删掉的评论"), "{}", list.body);
    let id = count(&s, "SELECT min(id) FROM evidence");
    let one = admin.get(&format!("/admin/evidence/{id}"));
    assert!(one.has("matches its content") && one.has(&hash), "{}", one.body);
    assert_eq!(admin.get_raw(&format!("/media/{hash}"), &[]).status, 200, "staff open the evidence's file");
    assert!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'evidence.view'") >= 2);
}

/// Compact JSON with sorted keys: what each record's SHA-256 is taken over.
fn canonical(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", serde_json::Value::String((*k).clone()), canonical(&m[*k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        serde_json::Value::Array(a) => format!("[{}]", a.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// R12.3: `plaza evidence export` writes JSON and CSV; every record's
/// SHA-256 is that of its canonical JSON, and SHA256SUMS matches every file.
#[test]
fn evidence_export_hashes_check_out() {
    let (s, admin) = with_admin();
    add_rule(&admin, "赌博", "gambling", "block");
    let reviewer = staff(&s, &admin, "rita", &["reviewer"]);
    let alice = member(&s, "alice");
    assert_eq!(alice.post("/posts", &[("body", "赌博 \"quoted\"\n第二行"), ("visibility", "public")]).status, 422);
    let p = post_with_image(&alice, "带图, with a comma");
    assert_eq!(reviewer.post(&format!("/admin/posts/{p}/remove"), &[("reason", "fraud, again")]).status, 303);
    let q = alice.post_status("自己删", "public");
    assert_eq!(alice.post(&format!("/posts/{q}/delete"), &[]).status, 303);

    let out = s.data.path().join("export");
    let out_s = out.to_str().unwrap();
    let (ok, stdout, err) =
        s.command(&["evidence", "export", "--from", "2000-01-01", "--to", "2100-12-31", "--out", out_s]);
    assert!(ok, "{err}");
    assert!(stdout.contains("exported 3 evidence records and 1 media files"), "{stdout}");

    let json = std::fs::read(out.join("evidence.json")).unwrap();
    let records: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    assert_eq!(records.len(), 3);
    for r in &records {
        let mut content = r.clone();
        let stored = content.as_object_mut().unwrap().remove("sha256").unwrap();
        assert_eq!(stored.as_str().unwrap(), sha256_hex(canonical(&content).as_bytes()), "{r}");
    }
    assert_eq!(records[0]["kind"], "block");
    assert_eq!(records[0]["body"], "赌博 \"quoted\"\n第二行");
    assert_eq!(records[1]["media"][0]["mime"], "image/png");

    let mut rdr = csv::Reader::from_path(out.join("evidence.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let sha_col = headers.iter().position(|h| h == "sha256").unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    for (row, rec) in rows.iter().zip(&records) {
        assert_eq!(&row[sha_col], rec["sha256"].as_str().unwrap());
    }
    assert_eq!(&rows[1][headers.iter().position(|h| h == "reason").unwrap()], "fraud, again");

    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    let mut checked = 0;
    for line in sums.lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        assert_eq!(hash, sha256_hex(&std::fs::read(out.join(name)).unwrap()), "{name}");
        checked += 1;
    }
    assert_eq!(checked, 3, "json, csv and the one image: {sums}");

    let (ok, _, err) = s.command(&["evidence", "export", "--from", "2000-01-01", "--to", "2100-12-31", "--out", out_s]);
    assert!(!ok && err.contains("not empty"), "never overwrites: {err}");
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'evidence.export'"), 1);
}

/// R6.4: bulk takedown by keyword (matched after normalisation) or hashtag:
/// the count is shown before confirming; a count that moved is not acted on.
#[test]
fn bulk_takedown_by_keyword_and_hashtag() {
    let (s, admin) = with_admin();
    admin.get("/?lang=en");
    let chief = staff(&s, &admin, "chief", &["chief_editor"]);
    let alice = member(&s, "alice");
    let bob = member(&s, "bob");
    alice.post_status("传谣 一", "public");
    bob.post_status("传 谣 二", "followers");
    alice.post_status("无关", "public");
    alice.post_status("#事件# 第一条", "public");
    bob.post_status("#事件# 第二条", "public");

    let preview = chief.get("/admin/takedown?keyword=%E4%BC%A0%E8%B0%A3");
    assert_eq!(preview.status, 200);
    assert!(preview.has("2 live posts match"), "{}", preview.body);
    let wrong = chief.post("/admin/takedown", &[("keyword", "传谣"), ("expected", "5"), ("reason", "谣言")]);
    assert_eq!(wrong.status, 409);
    assert!(wrong.has("it is now 2"), "{}", wrong.body);
    assert_eq!(count(&s, "SELECT count(*) FROM posts WHERE status = 'removed'"), 0);
    let p = chief.post("/admin/takedown", &[("keyword", "传谣"), ("expected", "2"), ("reason", "谣言")]);
    assert_eq!(p.status, 303);
    assert_eq!(p.location.as_deref(), Some("/admin/takedown?done=2"));
    assert_eq!(count(&s, "SELECT count(*) FROM posts WHERE status = 'removed'"), 2);

    assert!(chief.get("/admin/takedown?tag=%23%E4%BA%8B%E4%BB%B6%23").has("2 live posts match"));
    let p = chief.post(
        "/admin/takedown",
        &[("tag", "#事件#"), ("expected", "2"), ("reason", "统一处理"), ("category", "rumour")],
    );
    assert_eq!(p.status, 303);
    let public = s.client().get("/public");
    assert!(public.has("无关") && !public.has("事件") && !public.has("传谣"));
    assert_eq!(count(&s, "SELECT count(*) FROM evidence WHERE kind = 'removal' AND decider_username = 'chief'"), 4);
    assert_eq!(count(&s, "SELECT count(*) FROM activity_log WHERE action = 'post.bulk_remove'"), 2);
    let reviewer = staff(&s, &admin, "rita", &["reviewer"]);
    assert_eq!(reviewer.get("/admin/takedown").status, 403, "bulk takedown is for chief editors and admins");
}
