//! Keyword matching throughput (R12.1): 10,000 rules against 1,000 posts of
//! 2,000 characters (70 % ideographs, 20 % Latin letters, punctuation), every
//! tenth post carrying a planted rule; also normalisation alone. Prints
//! figures, asserts only that the planted rule is found.
//!
//! `cargo bench --bench keywords`

mod common;

use common::han;
use plaza::domain::keywords::{normalise, KeywordAction, KeywordMatcher, KeywordRule};
use std::time::Instant;

fn main() {
    let mut next = common::xorshift(0x2545_F491_4F6C_DD1D);
    // 3,000 common-range ideographs; English lower-case letters.
    let latin = |n: u64| char::from(b'a' + (n % 26) as u8);

    let mut rules = Vec::with_capacity(10_000);
    for i in 0..10_000i64 {
        let mut p = String::new();
        if i % 5 == 0 {
            for _ in 0..(5 + next() % 4) {
                p.push(latin(next()));
            }
        } else {
            for _ in 0..(2 + next() % 3) {
                p.push(han(next()));
            }
        }
        let action = KeywordAction::ALL[(i % 3) as usize];
        rules.push(KeywordRule { id: i, pattern: p, category: "test".to_string(), action });
    }
    let planted = rules[1234].pattern.clone();

    let build_start = Instant::now();
    let matcher = KeywordMatcher::new(rules);
    let build_time = build_start.elapsed();

    let punctuation = ['，', '。', ' ', '！', '、', '.', ',', '？'];
    let posts: Vec<String> = (0..1000)
        .map(|i| {
            let mut s = String::new();
            for _ in 0..2000 {
                let r = next() % 100;
                if r < 70 {
                    s.push(han(next()));
                } else if r < 90 {
                    s.push(latin(next()));
                } else {
                    s.push(punctuation[(next() % punctuation.len() as u64) as usize]);
                }
            }
            if i % 10 == 0 {
                s.push_str(&planted);
            }
            s
        })
        .collect();
    let bytes: usize = posts.iter().map(String::len).sum();

    // Warm up, then time.
    let _ = matcher.matches(&posts[0]);
    let start = Instant::now();
    let mut matched_posts = 0usize;
    let mut total_hits = 0usize;
    for post in &posts {
        let hits = matcher.matches(post);
        matched_posts += usize::from(!hits.is_empty());
        total_hits += hits.len();
    }
    let elapsed = start.elapsed().as_secs_f64();

    let norm_start = Instant::now();
    let mut norm_len = 0;
    for post in &posts {
        norm_len += normalise(post).len();
    }
    let norm_elapsed = norm_start.elapsed().as_secs_f64();

    let (kind, memory) = matcher.automaton_stats();
    println!(
        "keywords: {} rules (automaton {kind:?}, {:.1} MB, built in {:.1} ms), {} posts, {:.2} MB",
        matcher.len(),
        memory as f64 / 1e6,
        build_time.as_secs_f64() * 1e3,
        posts.len(),
        bytes as f64 / 1e6
    );
    println!(
        "  matches(): {elapsed:.3} s total, {:.0} posts/s, {:.1} MB/s; {matched_posts} posts matched, {total_hits} rule hits",
        posts.len() as f64 / elapsed,
        bytes as f64 / 1e6 / elapsed,
    );
    println!(
        "  normalise() alone: {:.0} posts/s, {:.1} MB/s ({norm_len} normalised bytes)",
        posts.len() as f64 / norm_elapsed,
        bytes as f64 / 1e6 / norm_elapsed,
    );
    assert!(matched_posts >= 100, "planted rule not found");
}
