//! Files (issue 15): the data folder, database, key, downloads and media
//! are the server account's only (0700 folders, 0600 files) even when it
//! starts with umask 0; an upload without a session is checked for its
//! CSRF token and size before a byte of a file is written; proof PDFs with
//! scripts, submitting forms, launch actions or embedded files are refused
//! with a message naming the file.

use crate::common::gov::*;
use crate::common::{multipart_body, Client, Server};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o777
}

/// Every file and folder under `dir`.
fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        out.push(p.clone());
        if p.is_dir() {
            walk(&p, out);
        }
    }
}

#[test]
fn the_data_folder_is_private_whatever_the_umask() {
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("site");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plaza"));
    cmd.arg("--data").arg(&folder).args(["--listen", "127.0.0.1:0", "--bcrypt-cost", "4"]);
    cmd.env("PLAZA_SIGNUP_PER_ADDRESS_HOUR", "1000").stdout(Stdio::piped()).stderr(Stdio::null());
    // SAFETY: umask is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let base = out
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("Plaza listening on ").map(|b| b.trim().to_string()))
        .expect("listening");
    let c = Client {
        agent: ureq::AgentBuilder::new().redirects(0).timeout(Duration::from_secs(30)).build(),
        base,
        data: folder.clone(),
    };
    c.signup_unverified("alice");
    let p = c.post_multipart("/settings/avatar", &[], &[("avatar", "me.png", &png(64, 64))]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(c.post("/settings/export", &[]).status, 303);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !c.get("/settings/export").has("href=\"/settings/export/") {
        assert!(std::time::Instant::now() < deadline, "the download was never ready");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut all = vec![folder.clone()];
    walk(&folder, &mut all);
    let _ = child.kill();
    let _ = child.wait();
    for must in ["plaza.db", "plaza.key", "media", "exports"] {
        assert!(all.contains(&folder.join(must)), "{must} exists");
    }
    assert!(all.iter().any(|p| p.extension().is_some_and(|e| e == "zip")), "a download");
    let media_files = all.iter().filter(|p| p.starts_with(folder.join("media")) && p.is_file()).count();
    assert!(media_files >= 1, "media files");
    let mut checked = 0;
    for p in &all {
        // The log head (and its lock) is a public signature, the config
        // file the operator's; the folder around them is 0700 anyway.
        let public = p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("log.head") || n == "plaza.toml");
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        if !public {
            assert_eq!(mode(p), want, "{}", p.display());
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked} paths checked");
}

/// An upload without a session: a file before the CSRF token, or with a
/// wrong one, is refused before anything is written; a body over the
/// smaller cap is refused from its length.
#[test]
fn anonymous_uploads_are_checked_before_anything_is_written() {
    let s = Server::start();
    let anon = s.client();
    let form = anon.get("/complaints/new");
    assert_eq!(form.status, 200);
    let token = anon.csrf();
    let fields = [("target", ""), ("category", "other"), ("body", "证据"), ("contact", "13800000000")];
    let evidence = png(30, 20);
    let send = |fields: &[(&str, &str)], len: Option<usize>| {
        let (ct, body) = multipart_body(fields, &[("images", "shot.png", &evidence)]);
        let mut rq = anon.agent.post(&format!("{}/complaints", s.base)).set("Content-Type", &ct);
        if let Some(n) = len {
            rq = rq.set("Content-Length", &n.to_string());
        }
        match rq.send_bytes(&body) {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(e) => panic!("{e}"),
        }
    };
    let tmp = s.data.path().join("media").join("tmp");
    let before = std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0);
    // No token; a token sent after the file; a wrong token.
    assert_eq!(send(&fields, None), 403);
    let (ct, mut body) = multipart_body(&fields, &[("images", "shot.png", &evidence)]);
    let tail = format!("Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n");
    let end = body.len() - "----plazaTestBoundary7MA4YWxkTrZu0gW--\r\n".len();
    body.splice(end..end, format!("----plazaTestBoundary7MA4YWxkTrZu0gW\r\n{tail}").into_bytes());
    let late_status =
        match anon.agent.post(&format!("{}/complaints", s.base)).set("Content-Type", &ct).send_bytes(&body) {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(e) => panic!("{e}"),
        };
    assert_eq!(late_status, 403, "the token must come before the files");
    let zeros = "0".repeat(64);
    let wrong: Vec<(&str, &str)> = [("csrf_token", zeros.as_str())].into_iter().chain(fields).collect();
    assert_eq!(send(&wrong, None), 403);
    assert_eq!(count(&s, "SELECT count(*) FROM complaints"), 0);
    assert_eq!(std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0), before, "no temp file left");
    // Too large for an anonymous upload (4 images and the text), however
    // much a member may send: refused from the announced length.
    let big = 4 * 10 * 1024 * 1024 + 2 * 1024 * 1024;
    let raw = {
        use std::io::{Read, Write};
        let mut t = std::net::TcpStream::connect(s.base.trim_start_matches("http://")).unwrap();
        let cookie = format!("plaza_csrf={token}");
        write!(t, "POST /complaints HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: {big}\r\nConnection: close\r\n\r\n").unwrap();
        let mut head = [0u8; 12];
        t.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let _ = t.read(&mut head);
        String::from_utf8_lossy(&head).to_string()
    };
    assert!(raw.contains("413"), "{raw}");
    // A made-up session cookie gets no bigger cap and no way past the
    // token: a session's token is derived from its cookie.
    let fake = {
        let (ct, body) = multipart_body(&good_fields(&token, &fields), &[("images", "shot.png", &evidence)]);
        match anon
            .agent
            .post(&format!("{}/complaints", s.base))
            .set("Content-Type", &ct)
            .set("Cookie", &format!("plaza_session={}; plaza_csrf={token}", "f".repeat(64)))
            .send_bytes(&body)
        {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(fake, 403);
    // The right token first: accepted.
    let good: Vec<(&str, &str)> = [("csrf_token", token.as_str())].into_iter().chain(fields).collect();
    assert_eq!(send(&good, None), 303);
    assert_eq!(count(&s, "SELECT count(*) FROM complaint_media"), 1);
}

fn good_fields<'a>(token: &'a str, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    [("csrf_token", token)].into_iter().chain(fields.iter().copied()).collect()
}

/// A proof PDF with active content is refused, naming the file and what it holds.
#[test]
fn active_proof_pdfs_are_refused() {
    let s = Server::start();
    let alice = member(&s, "alice");
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "script.pdf",
            b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n",
            "/JavaScript",
        ),
        (
            "form.pdf",
            b"%PDF-1.4\n1 0 obj << /S /SubmitForm /F (http://evil.example/) >> endobj\n%%EOF\n",
            "/SubmitForm",
        ),
        ("launch.pdf", b"%PDF-1.4\n1 0 obj << /S /Launch /F (cmd.exe) >> endobj\n%%EOF\n", "/Launch"),
        ("attached.pdf", b"%PDF-1.4\n1 0 obj << /Type /EmbeddedFile >> endobj\n%%EOF\n", "/EmbeddedFile"),
        ("hidden.pdf", b"%PDF-1.4\n1 0 obj << /S /J#61vaScript >> endobj\n%%EOF\n", "/JavaScript"),
    ];
    for (name, pdf, what) in cases {
        let p = alice.post_multipart(
            "/settings/verification",
            &[("subject_type", "individual"), ("certified_name", "张三")],
            &[("proof", name, pdf)],
        );
        assert_eq!(p.status, 415, "{name}: {}", p.body);
        assert!(p.has(name) && p.has(what), "{name}: {}", p.body);
    }
    assert_eq!(count(&s, "SELECT count(*) FROM verifications"), 0);
    let plain = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    let p = alice.post_multipart(
        "/settings/verification",
        &[("subject_type", "individual"), ("certified_name", "张三")],
        &[("proof", "plain.pdf", plain)],
    );
    assert_eq!(p.status, 303, "a plain PDF still goes: {}", p.body);
}
