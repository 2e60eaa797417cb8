//! `plaza seed`: deterministic synthetic data for demos and benchmarks —
//! accounts, follows, posts in Chinese and English with hashtags, mentions
//! and links, reposts, comments and likes, plus optional sessions for load
//! tools. The same `--seed` and `--until` give the same data.

use crate::crypto;
use crate::db::{self, log::Source, seed::Bulk};
use crate::domain::text;
use crate::error::{Error, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to make.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub users: u32,
    /// Accounts each account follows (fewer when there are not enough).
    pub follows: u32,
    pub posts: u32,
    /// Comments in all (default: a fifth of the posts).
    pub comments: Option<u32>,
    /// Likes in all (default: half the posts).
    pub likes: Option<u32>,
    /// Seed of the random generator.
    pub seed: u64,
    /// The newest post's time, UTC unix seconds; posts spread over the year before.
    pub until: i64,
    /// Start this many sessions for sampled accounts...
    pub sessions: u32,
    /// ...and write them to this file, one `TOKEN CSRF USERNAME` per line.
    pub sessions_out: Option<PathBuf>,
    /// Issue 19: give each sampled account a client API bearer token too
    /// and write them here, one `TOKEN USERNAME` per line (the load tool's
    /// `api_home` scenario).
    pub api_tokens_out: Option<PathBuf>,
    /// Show a progress bar.
    pub progress: bool,
}

/// The password every seeded account has, for trying the demo.
pub const SEED_PASSWORD: &str = "plaza-seed-password";

/// bcrypt cost of the seeded accounts' shared password hash.
const SEED_BCRYPT_COST: u32 = 10;

/// Rows per transaction.
const BATCH: u64 = 20_000;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "桂英", "子涵", "浩然", "欣怡", "梓萱", "宇轩", "思远", "雨桐", "一诺",
];
const PINYIN: &[&str] = &[
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo",
    "he", "gao", "lin", "luo",
];
const TOPICS: &[&str] = &[
    "春节快乐",
    "周末去哪儿",
    "今日份学习",
    "读书打卡",
    "美食分享",
    "运动打卡",
    "校园生活",
    "职场日常",
    "技术分享",
    "摄影",
    "旅行日记",
    "天气",
    "社团活动",
    "期末考试",
    "志愿服务",
    "健康生活",
    "新品发布",
    "年终总结",
    "招聘",
    "开源",
    "Rust",
    "AI",
    "coffee",
    "music",
    "running",
];
/// Sentence parts by language: (openers, sentences, closers).
type Phrases = (&'static [&'static str], &'static [&'static str], &'static [&'static str]);
const ZH: Phrases = (
    &[
        "今天",
        "刚刚",
        "早上",
        "下班路上",
        "午饭时",
        "周末",
        "终于",
        "说实话，",
        "分享一下：",
        "有人知道吗，",
        "记录一下，",
    ],
    &[
        "去图书馆看了一下午书，收获很大",
        "食堂的新菜品味道不错，推荐大家试试",
        "跑了五公里，感觉整个人都轻松了",
        "和同事讨论了新项目的方案，思路清晰多了",
        "看到一场很美的日落，随手拍了几张",
        "参加了社区的志愿活动，很有意义",
        "学校的樱花开了，拍照的人特别多",
        "在咖啡店写代码，效率出奇地高",
        "整理了一下今年的读书笔记",
        "会议室的投影仪又坏了，只好改线上开会",
    ],
    &["。", "！", "～", "，大家觉得呢？", "😊", "👍", "🎉", "☕", "。明天继续加油！"],
);
const EN: Phrases = (
    &["Just now ", "Today I ", "Quick note: I ", "Finally ", "This morning I "],
    &[
        "finished the quarterly report",
        "tried out a new recipe",
        "got the new build running twice as fast",
        "read a great book about local history",
        "went for a long run by the river",
        "helped set up the club's spring fair",
    ],
    &[".", "!", " :)", " 🎉", ", more tomorrow."],
);
const COMMENTS: &[&str] = &[
    "说得好！",
    "赞同",
    "哈哈哈哈",
    "同感 👍",
    "学到了，谢谢分享",
    "在哪里呀？",
    "下次一起！",
    "太棒了",
    "Nice!",
    "Agreed.",
    "求链接",
    "支持一下",
    "这个我也想试试",
];

/// A plausible post body: opener, sentence, closer, sometimes a topic,
/// a mention or a link. Returns the body and its tag keys.
fn post_body(rng: &mut ChaCha8Rng, users: u32) -> (String, Vec<String>) {
    let (openers, sentences, closers) = if rng.gen_bool(0.8) { ZH } else { EN };
    let mut s = String::new();
    s.push_str(openers.choose(rng).expect("non-empty"));
    let n = if rng.gen_bool(0.3) { 2 } else { 1 };
    let joiner = if openers == ZH.0 { "，" } else { ", and " };
    let picked: Vec<&str> = sentences.choose_multiple(rng, n).copied().collect();
    s.push_str(&picked.join(joiner));
    s.push_str(closers.choose(rng).expect("non-empty"));
    if rng.gen_bool(0.4) {
        let t = TOPICS.choose(rng).expect("non-empty");
        if t.is_ascii() {
            s.push_str(&format!(" #{t}"));
        } else {
            s.push_str(&format!(" #{t}#"));
        }
    }
    if rng.gen_bool(0.15) {
        s.push_str(&format!(" @{}", username(rng.gen_range(1..=users))));
    }
    if rng.gen_bool(0.05) {
        s.push_str(&format!(" https://example.com/p/{}", rng.gen_range(1000..99999)));
    }
    let tags = text::hashtags(&s);
    (s, tags)
}

/// The username of seeded account `id`: pinyin surname and number.
fn username(id: u32) -> String {
    format!("{}_{id:05}", PINYIN[(id as usize * 7) % PINYIN.len()])
}

/// A valid, synthetic GB 11643 ID number for seeded account `i`: region
/// 110101, a birth date and sequence derived from `i` (unique below 11
/// million accounts), and its check character.
fn synthetic_id_number(i: u32) -> String {
    let day = i % 11_760;
    let (year, month, dom) = (1970 + day / 336, 1 + (day / 28) % 12, 1 + day % 28);
    let first17 = format!("110101{year:04}{month:02}{dom:02}{:03}", (i / 11_760) % 1000);
    let check = crate::domain::identity::id_check_char(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

/// A number in `0..n` skewed toward small values, so a few accounts are
/// popular and prolific, as in a real network.
fn skewed(rng: &mut ChaCha8Rng, n: u32) -> u32 {
    let u: f64 = rng.gen();
    ((u * u * u) * n as f64) as u32 % n.max(1)
}

/// Fill the data folder with synthetic data.
///
/// # Errors
/// `Error::Config` if the database already has posts (seeding mixes with
/// nothing), or database and file errors.
pub fn run(data: &Path, o: &SeedOptions) -> Result<String> {
    if o.users < 2 {
        return Err(Error::Config("--users must be at least 2".into()));
    }
    let (keys, conn) = crate::app::prepare_data(data)?;
    let bulk = Bulk::new(&conn)?;
    if bulk.existing_posts()? > 0 {
        return Err(Error::Config(format!("{} already has posts: seed an empty data folder", data.display())));
    }
    let version = db::settings::current_agreement(&conn)?.map_or(1, |a| a.version);
    let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
    // One hash shared by every account, at the cost a real site uses
    // (`bcrypt_cost`'s default), so a login benchmark measures real hashing.
    let hash = crate::crypto::hash_password(&keys.password_pepper, SEED_PASSWORD, SEED_BCRYPT_COST)?;
    let comments = o.comments.unwrap_or(o.posts / 5);
    let likes = o.likes.unwrap_or(o.posts / 2);
    let follows_total = o.users as u64 * o.follows.min(o.users - 1) as u64;
    let total = o.users as u64 + follows_total + o.posts as u64 + comments as u64 + likes as u64;
    let bar = if o.progress { ProgressBar::new(total) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{msg:10} [{bar:40}] {pos}/{len} rows, {per_sec}, eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let year = 365 * 86_400;
    let start = o.until - year;
    // First user id after any existing accounts (the admin, usually).
    let base = db::seed::max_user_id(&conn)?;
    let uid = |i: u32| base + i as i64;
    let mut in_batch = 0u64;
    let mut step = |bar: &ProgressBar| -> Result<()> {
        bar.inc(1);
        in_batch += 1;
        if in_batch >= BATCH {
            bulk.commit()?;
            bulk.begin()?;
            in_batch = 0;
        }
        Ok(())
    };

    bulk.begin()?;
    bar.set_message("users");
    for i in 1..=o.users {
        let name = format!("{}{}", SURNAMES[rng.gen_range(0..SURNAMES.len())], GIVEN[rng.gen_range(0..GIVEN.len())]);
        let bio = if rng.gen_bool(0.5) { ZH.1.choose(&mut rng).expect("non-empty").to_string() } else { String::new() };
        bulk.user(uid(i), &username(i), &name, &bio, &hash, version, start + rng.gen_range(0..year / 10))?;
        step(&bar)?;
    }
    bar.set_message("follows");
    for i in 1..=o.users {
        let mut seen = HashSet::new();
        let want = o.follows.min(o.users - 1) as usize;
        while seen.len() < want {
            let j = skewed(&mut rng, o.users) + 1;
            if j != i && seen.insert(j) {
                bulk.follow(uid(i), uid(j), start + year / 10)?;
                step(&bar)?;
            }
        }
    }
    bar.set_message("posts");
    let mut counts = vec![(0u32, 0u32, 0u32); o.posts as usize + 1];
    let mut public: Vec<u32> = Vec::with_capacity(o.posts as usize);
    for p in 1..=o.posts {
        let author = skewed(&mut rng, o.users) + 1;
        let at = start + year / 10 + (p as i64 * (year * 9 / 10) / o.posts as i64);
        let roll: f64 = rng.gen();
        let vis = if roll < 0.9 {
            "public"
        } else if roll < 0.97 {
            "followers"
        } else {
            "self"
        };
        let repost = if vis == "public" && !public.is_empty() && rng.gen_bool(0.05) {
            Some(public[skewed(&mut rng, public.len() as u32) as usize % public.len()])
        } else {
            None
        };
        let (body, tags) = match repost {
            Some(_) if rng.gen_bool(0.5) => (String::new(), Vec::new()),
            _ => post_body(&mut rng, o.users),
        };
        if let Some(r) = repost {
            counts[r as usize].1 += 1;
        } else if vis == "public" {
            public.push(p);
        }
        bulk.post(p as i64, uid(author), &body, vis, repost.map(|r| r as i64), at, &tags)?;
        step(&bar)?;
    }
    bar.set_message("comments");
    if !public.is_empty() {
        for _ in 0..comments {
            let p = public[rng.gen_range(0..public.len())];
            counts[p as usize].0 += 1;
            let body = COMMENTS.choose(&mut rng).expect("non-empty");
            bulk.comment(p as i64, uid(skewed(&mut rng, o.users) + 1), body, o.until - rng.gen_range(0..year / 2))?;
            step(&bar)?;
        }
        bar.set_message("likes");
        for _ in 0..likes {
            let p = public[skewed(&mut rng, public.len() as u32) as usize];
            if bulk.like(uid(rng.gen_range(1..=o.users)), p as i64, o.until - rng.gen_range(0..year / 2))? {
                counts[p as usize].2 += 1;
            }
            step(&bar)?;
        }
    }
    bar.set_message("counters");
    for (p, &(c, r, l)) in counts.iter().enumerate().skip(1) {
        if c + r + l > 0 {
            bulk.counts(p as i64, c, r, l)?;
        }
    }
    bulk.commit()?;
    // R7.1: seeded members can publish, so each gets an identity verified
    // by the organisation, as `plaza user import` gives.
    bar.set_message("identities");
    let cfg = crate::config::Config::load(data, &crate::config::Overrides::default())?;
    let now = crate::clock::now();
    let today = crate::domain::dates::today(now, &cfg.zone);
    let members: Vec<u32> = (1..=o.users).collect();
    for chunk in members.chunks(BATCH as usize) {
        db::write(&conn, |tx| {
            for &i in chunk {
                let legal_name = db::seed::display_name(&conn, uid(i))?;
                let b = crate::domain::identity::parse_binding(
                    "individual",
                    &legal_name,
                    &synthetic_id_number(i),
                    &format!("139{i:08}"),
                    today,
                    false,
                )
                .map_err(|(field, e)| Error::Internal(format!("seed identity {i}: {field:?} {e:?}")))?;
                crate::seal::store_binding(tx, &keys, uid(i), &b, now)?;
                db::identity::confirm_mobile(tx, uid(i), now)?;
                db::identity::verify(
                    tx,
                    uid(i),
                    "organisation",
                    None,
                    now,
                    crate::domain::identity::next_check(now, cfg.identity_recheck_days),
                )?;
            }
            Ok(())
        })?;
    }
    bulk.begin()?;
    let mut sessions = Vec::new();
    let mut api_tokens = Vec::new();
    if o.sessions > 0 {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let app = match &o.api_tokens_out {
            Some(_) => Some(bulk.api_app(now)?),
            None => None,
        };
        for _ in 0..o.sessions {
            let i = rng.gen_range(1..=o.users);
            let token = crypto::random_token();
            let csrf = crypto::session_csrf(&keys.csrf, &token);
            bulk.session(uid(i), &token, &csrf, now)?;
            sessions.push(format!("{token} {csrf} {}", username(i)));
            if let Some(app) = app {
                let bearer = crypto::random_token();
                bulk.api_token(app, uid(i), &bearer, now)?;
                api_tokens.push(format!("{bearer} {}", username(i)));
            }
        }
    }
    let summary = format!(
        "seeded {} users, {follows_total} follows, {} posts, {comments} comments, {likes} likes (seed {}); password of every account: {SEED_PASSWORD}",
        o.users, o.posts, o.seed
    );
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    db::log::append(&conn, &keys.audit, &Source::cli("seed"), now, "data.seed", "site", &summary)?;
    bulk.commit()?;
    bar.finish_and_clear();
    bulk.finish()?;
    // R16.3: the signed head follows the log, as after every commit.
    db::log::HeadFile::new(data, &keys.audit)?.sync(&conn, now)?;
    if let Some(path) = &o.sessions_out {
        let mut f = std::fs::File::create(path)?;
        for line in &sessions {
            writeln!(f, "{line}")?;
        }
    }
    if let Some(path) = &o.api_tokens_out {
        let mut f = std::fs::File::create(path)?;
        for line in &api_tokens {
            writeln!(f, "{line}")?;
        }
    }
    Ok(summary)
}
