//! Owns R12.1 keyword rules: normalisation, the compiled multi-rule matcher and the rule-list format.
//!
//! Requirement R12.1: "Keyword rules (block / hold for review / flag) match after Unicode
//! normalisation (NFKC, case folding, zero-width and separator characters removed) so that
//! trivial evasions fail".
//!
//! This module is pure domain logic: no I/O, no clock, no database. The caller loads
//! [`KeywordRule`]s from storage, builds one [`KeywordMatcher`] (cheap to clone, meant to be
//! shared and rebuilt when the rule set changes) and asks it about each post, comment or
//! profile text.
//!
//! # How matching works
//!
//! Both the rule patterns and the text being checked go through the same [`normalise`]
//! function, and a rule matches when its normalised pattern is a substring of the normalised
//! text. Because separators are removed, `赌 博`, `赌\u{200B}博` (zero-width space), `赌·博` and
//! `赌-*-博` all become `赌博`; because of NFKC and lower-casing, `Ｓｐａｍ`, `SPAM` and `ｓｐａｍ`
//! all become `spam`. The price is that a rule can match across what were word or sentence
//! boundaries (`…的赌。博物馆…` contains `赌博` once the `。` is gone): rules are short
//! prohibited phrases and erring toward a match is the intended trade-off for R12.1.
//!
//! Case folding is approximate: the crate set has no full Unicode case-folding table, so
//! [`normalise`] uses [`char::to_lowercase`] after NFKC, plus the two folds that matter most in
//! practice (`ß`/`ẞ` → `ss`, final `ς` → `σ`). Scripts whose full case folding differs from
//! lower-casing in other ways (for example Cherokee) are matched case-sensitively.

use std::fmt;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// What a rule does when it matches (R12.1: block / hold for review / flag).
///
/// Variants are ordered by severity, `Flag < Review < Block`, so `max()` over a set of
/// actions gives the one to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeywordAction {
    /// Publish, but mark the content for a moderator to look at later.
    Flag,
    /// Hold the content out of public view until a moderator approves it.
    Review,
    /// Refuse the content outright.
    Block,
}

impl KeywordAction {
    /// Every action, least severe first.
    pub const ALL: [KeywordAction; 3] = [KeywordAction::Flag, KeywordAction::Review, KeywordAction::Block];

    /// The stable lower-case name used in storage and in rule lists: `"flag"`, `"review"`
    /// or `"block"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            KeywordAction::Flag => "flag",
            KeywordAction::Review => "review",
            KeywordAction::Block => "block",
        }
    }

    /// Parse a name produced by [`KeywordAction::as_str`]. ASCII case is ignored (`"Block"`
    /// is accepted); surrounding whitespace is not. Returns `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        KeywordAction::ALL.into_iter().find(|a| a.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for KeywordAction {
    /// Writes [`KeywordAction::as_str`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One keyword rule as stored (R12.1).
///
/// `pattern` is kept as the administrator typed it; it is normalised with [`normalise`] when
/// a [`KeywordMatcher`] is built, so `"赌 博"` and `"赌博"` are the same rule in effect.
/// `category` is a free-form label for reports (for example `"gambling"`; `"custom"` when a
/// rule list gives none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordRule {
    /// Storage identifier; also the tie-breaker between rules of equal severity (lower first).
    pub id: i64,
    /// The prohibited text, before normalisation.
    pub pattern: String,
    /// Free-form category label.
    pub category: String,
    /// What to do when the rule matches.
    pub action: KeywordAction,
}

// ---------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------

/// Normalise text for keyword matching (R12.1). Returns a new `String`; never fails.
///
/// Steps, in order, applied identically to rule patterns and to checked text:
///
/// 1. **NFKC** (compatibility composition): full-width `Ｓｐａｍ` → `Spam`, circled `①` → `1`,
///    `™` → `TM`, `🈲` → `禁`, mathematical `𝐬𝐩𝐚𝐦` → `spam`, ideographic space → space.
/// 2. **Removal** of everything that is not a letter or a number: whitespace of every kind,
///    zero-width and other format characters (U+200B..U+200F, U+2060..U+2064, U+FEFF, U+00AD,
///    U+180E, bidi controls, general category Cf), every Unicode default-ignorable code point
///    (variation selectors U+FE00..U+FE0F and U+E0100..U+E01EF, Hangul fillers, tag
///    characters), controls, private-use and unassigned code points, and all punctuation and
///    symbols (P*, S*: ASCII punctuation, General Punctuation U+2000..U+206F, CJK Symbols and
///    Punctuation U+3000..U+303F apart from its letters/numbers such as `々` and `〇`,
///    full-width and small-form punctuation such as `，。、·・！？：；“”‘’（）【】《》「」『』—…～`,
///    middle dots, arrows, box drawing, emoji). "Letter or number" is Rust's
///    [`char::is_alphanumeric`] (Unicode `Alphabetic` or `N*`), so this needs no table of
///    our own. The Korean `ㆍ` (U+318D, a letter that is widely typed as a middle dot) is
///    treated as a separator too.
/// 3. **Combining marks** are kept only when they sit on a letter that can carry them
///    (`é`, Devanagari vowel signs, kana voicing marks). Marks on CJK ideographs or digits,
///    marks whose base character was removed, and purely decorative marks (strike-through and
///    underline overlays U+0305, U+0332..U+0338, U+033F, enclosing keycap/circle marks
///    U+20D0..U+20FF, half marks U+FE20..U+FE2F, ideographic tone marks U+302A..U+302F,
///    U+034F) are removed, so `赌\u{0336}博` → `赌博`.
/// 4. **Approximate case folding**: [`char::to_lowercase`], then `ß` → `ss` and `ς` → `σ`.
///    Negative circled/squared Latin letters (`🅐`, `🅰`, no NFKC mapping) fold to `a`..`z`,
///    and dingbat / negative / double circled digits (`❶`, `➀`, `⓵`, `⓫`) to their digits.
///
/// If removing characters left a base letter next to a combining mark that NFKC would now
/// compose (`e` U+200B U+0301), the pipeline is re-run (at most a few times) so the result is
/// NFKC-stable and `normalise(normalise(x)) == normalise(x)`.
///
/// ```text
/// assert_eq!(normalise("Ｓｐａｍ 赌\u{200B}博！"), "spam赌博");
/// ```
pub fn normalise(text: &str) -> String {
    if text.is_ascii() {
        // Fast path; identical to the general path for ASCII input.
        return text.bytes().filter(u8::is_ascii_alphanumeric).map(|b| char::from(b.to_ascii_lowercase())).collect();
    }
    let mut out = String::with_capacity(text.len());
    let mut may_be_unstable = normalise_pass(text, &mut out);
    for _ in 0..4 {
        if !may_be_unstable || is_nfkc_quick(out.chars()) == IsNormalized::Yes {
            break;
        }
        let previous = std::mem::take(&mut out);
        may_be_unstable = normalise_pass(&previous, &mut out);
        if out == previous {
            break;
        }
    }
    out
}

/// One NFKC + removal + folding pass over `text`, appended to `out`.
///
/// NFKC is applied segment by segment: a segment starts at each character that is a
/// starter (combining class 0) with NFKC_Quick_Check = Yes, a point across which NFKC never
/// composes or reorders (UAX #15). Segments of that one character alone are already NFKC
/// and skip the comparatively slow normaliser, so typical Chinese/English text (ideographs,
/// ASCII) only pays for NFKC around full-width punctuation and other compatibility
/// characters. The result is identical to normalising the whole text at once.
///
/// Returns whether the output may not be NFKC-stable (see [`Folder::may_be_unstable`]).
fn normalise_pass(text: &str, out: &mut String) -> bool {
    let mut folder = Folder::default();
    let mut segment_start = 0;
    // True while the pending segment is empty or a single boundary character.
    let mut segment_simple = true;
    for (i, c) in text.char_indices() {
        if is_nfkc_boundary(c) {
            folder.feed_segment(&text[segment_start..i], segment_simple, out);
            segment_start = i;
            segment_simple = true;
        } else {
            segment_simple = false;
        }
    }
    folder.feed_segment(&text[segment_start..], segment_simple, out);
    folder.may_be_unstable
}

/// CJK Unified Ideographs (main block and Extension A): NFKC-stable starters that are kept
/// unchanged; tested first because they make up most Chinese text.
fn is_common_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// Whether NFKC leaves `c` alone and never combines it with what precedes it.
fn is_nfkc_boundary(c: char) -> bool {
    c.is_ascii()
        || is_common_ideograph(c)
        || (canonical_combining_class(c) == 0 && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Steps 2–4 of [`normalise`] over NFKC output, one character at a time.
#[derive(Default)]
struct Folder {
    /// Whether the last kept base character is a letter that may carry combining marks.
    marks_allowed: bool,
    /// Set when something was written that could make the output differ from its own NFKC
    /// now that characters between have been removed or case-mapped: a combining mark, a
    /// character that is not NFKC_Quick_Check = Yes (Hangul vowel/trailing jamo), or a
    /// non-ASCII character changed by lower-casing. Clear means the output is NFKC.
    may_be_unstable: bool,
}

impl Folder {
    /// Feed one NFKC segment; `already_nfkc` skips the normaliser.
    fn feed_segment(&mut self, segment: &str, already_nfkc: bool, out: &mut String) {
        if already_nfkc {
            segment.chars().for_each(|c| self.feed(c, out));
        } else {
            segment.chars().nfkc().for_each(|c| self.feed(c, out));
        }
    }

    /// Feed one character of NFKC output.
    fn feed(&mut self, c: char, out: &mut String) {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                self.marks_allowed = c.is_ascii_alphabetic();
            } else {
                self.marks_allowed = false;
            }
            return;
        }
        if is_common_ideograph(c) {
            out.push(c);
            self.marks_allowed = false;
            return;
        }
        if let Some(folded) = fold_symbol(c) {
            out.push_str(folded);
            self.marks_allowed = false;
            return;
        }
        if is_combining_mark(c) {
            if self.marks_allowed && !is_decorative_mark(c) && !is_default_ignorable(c) {
                self.may_be_unstable = true;
                push_lowercase(c, out);
            }
            return;
        }
        if is_dropped(c) {
            // Invisible characters do not separate a mark from its base; visible separators do.
            if !is_default_ignorable(c) {
                self.marks_allowed = false;
            }
            return;
        }
        self.marks_allowed = c.is_alphabetic() && !is_han(c);
        if push_lowercase(c, out) || is_nfkc_quick(std::iter::once(c)) != IsNormalized::Yes {
            self.may_be_unstable = true;
        }
    }
}

/// Lower-case `c` into `out`, with the extra folds `ß` → `ss` and `ς` → `σ`. Returns
/// whether anything other than `c` itself was written.
fn push_lowercase(c: char, out: &mut String) -> bool {
    let mut lower = c.to_lowercase();
    if lower.len() == 1 {
        let l = lower.next().unwrap_or(c);
        if l == c && l != 'ß' && l != 'ς' {
            out.push(c);
            return false;
        }
    }
    for l in c.to_lowercase() {
        match l {
            'ß' => out.push_str("ss"),
            'ς' => out.push('σ'),
            _ => out.push(l),
        }
    }
    true
}

/// Non-mark characters that are removed: everything that is not a letter or number, every
/// default-ignorable code point, and the Hangul letter araea (U+318D, and U+119E which NFKC
/// maps it to) that is commonly typed as a middle dot.
fn is_dropped(c: char) -> bool {
    !c.is_alphanumeric() || is_default_ignorable(c) || matches!(c as u32, 0x119E | 0x318D)
}

/// Unicode `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt), as ranges.
fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Combining marks that only decorate (overlays, underlines, enclosing circles and keycaps,
/// half marks) and never distinguish one word from another.
fn is_decorative_mark(c: char) -> bool {
    matches!(c as u32,
        0x0305 | 0x0332..=0x0338 | 0x033F | 0x0488..=0x0489 | 0x1ABE | 0x20D0..=0x20FF
        | 0x302A..=0x302F | 0xA670..=0xA672 | 0xFE20..=0xFE2F)
}

/// CJK ideographs (and the ideographic letters/numbers of U+3005..U+303B), which never carry
/// combining marks.
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007 | 0x3021..=0x3029 | 0x3038..=0x303B | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Letter- and digit-like symbols that NFKC leaves alone but evaders use in place of the
/// plain character.
fn fold_symbol(c: char) -> Option<&'static str> {
    const LETTERS: [&str; 26] = [
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v",
        "w", "x", "y", "z",
    ];
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    const ELEVEN_TO_TWENTY: [&str; 10] = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "20"];
    let u = c as u32;
    let s = match u {
        // Negative circled / negative squared Latin capital letters A..Z.
        0x1F150..=0x1F169 => LETTERS[(u - 0x1F150) as usize],
        0x1F170..=0x1F189 => LETTERS[(u - 0x1F170) as usize],
        // Dingbat negative circled, circled sans-serif and negative circled sans-serif 1..10.
        0x2776..=0x2793 => {
            let n = (u - 0x2776) % 10;
            if n == 9 {
                "10"
            } else {
                DIGITS[n as usize + 1]
            }
        }
        // Negative circled 11..20.
        0x24EB..=0x24F4 => ELEVEN_TO_TWENTY[(u - 0x24EB) as usize],
        // Double circled 1..10.
        0x24F5..=0x24FE => {
            let n = u - 0x24F5;
            if n == 9 {
                "10"
            } else {
                DIGITS[n as usize + 1]
            }
        }
        // Negative circled 0, dingbat circled sans-serif 0, negative circled sans-serif 0.
        0x24FF | 0x1F10B | 0x1F10C => "0",
        _ => return None,
    };
    Some(s)
}

// ---------------------------------------------------------------------------------------------
// Matcher
// ---------------------------------------------------------------------------------------------

/// Compiled matcher over many keyword rules (R12.1).
///
/// Built once from the whole rule set: all normalised patterns go into one Aho-Corasick
/// automaton, so checking a text costs one normalisation plus one linear scan whatever the
/// number of rules (10,000 rules cost about the same per text as 10). Matching is
/// overlapping (every rule that occurs anywhere is reported, not only the leftmost-longest).
/// Rules that share a normalised pattern are all reported.
///
/// Cheap to clone (the automaton is reference-counted); `Send + Sync`.
#[derive(Debug, Clone)]
pub struct KeywordMatcher {
    /// Kept rules, sorted most severe first, then by ascending `id`.
    rules: Vec<KeywordRule>,
    /// Automaton over the distinct normalised patterns.
    automaton: AhoCorasick,
    /// Automaton pattern index → indices into `rules` (ascending).
    pattern_rules: Vec<Vec<u32>>,
}

impl KeywordMatcher {
    /// Build from rules. Rules whose normalised pattern is empty (only separators, spaces or
    /// invisible characters) are skipped, since they would match every text.
    ///
    /// # Panics
    /// Only if the automaton would exceed aho-corasick's internal limits (about 2³¹ states,
    /// i.e. gigabytes of patterns) — not reachable with any realistic rule set.
    pub fn new(rules: Vec<KeywordRule>) -> KeywordMatcher {
        let mut kept: Vec<(String, KeywordRule)> = rules
            .into_iter()
            .filter_map(|r| {
                let n = normalise(&r.pattern);
                (!n.is_empty()).then_some((n, r))
            })
            .collect();
        kept.sort_by(|(_, a), (_, b)| b.action.cmp(&a.action).then(a.id.cmp(&b.id)));

        let mut index_of: std::collections::HashMap<String, usize> =
            std::collections::HashMap::with_capacity(kept.len());
        let mut patterns: Vec<String> = Vec::with_capacity(kept.len());
        let mut pattern_rules: Vec<Vec<u32>> = Vec::with_capacity(kept.len());
        let mut sorted_rules = Vec::with_capacity(kept.len());
        for (i, (norm, rule)) in kept.into_iter().enumerate() {
            let rule_index = u32::try_from(i).expect("more than 4 billion keyword rules");
            match index_of.get(&norm) {
                Some(&p) => pattern_rules[p].push(rule_index),
                None => {
                    index_of.insert(norm.clone(), patterns.len());
                    patterns.push(norm);
                    pattern_rules.push(vec![rule_index]);
                }
            }
            sorted_rules.push(rule);
        }

        let build = |kind: Option<AhoCorasickKind>| {
            AhoCorasick::builder().match_kind(MatchKind::Standard).kind(kind).build(&patterns)
        };
        let automaton = build(None)
            .or_else(|_| build(Some(AhoCorasickKind::NoncontiguousNFA)))
            .expect("keyword automaton exceeds aho-corasick size limits");

        KeywordMatcher { rules: sorted_rules, automaton, pattern_rules }
    }

    /// Indices into `self.rules` of every rule matching `text`, ascending (= most severe
    /// first), without duplicates.
    fn matching_indices(&self, text: &str) -> Vec<u32> {
        if self.rules.is_empty() {
            return Vec::new();
        }
        let normalised = normalise(text);
        let mut patterns: Vec<u32> = Vec::new();
        let mut compact_at = 64;
        for m in self.automaton.find_overlapping_iter(normalised.as_str()) {
            patterns.push(m.pattern().as_u32());
            if patterns.len() >= compact_at {
                // Repetitive text can hit the same pattern thousands of times; keep it bounded.
                patterns.sort_unstable();
                patterns.dedup();
                compact_at = (patterns.len() * 2).max(64);
            }
        }
        patterns.sort_unstable();
        patterns.dedup();
        let mut hits: Vec<u32> =
            patterns.iter().flat_map(|&p| self.pattern_rules[p as usize].iter().copied()).collect();
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    /// All distinct rules matching `text` (after [`normalise`]), most severe action first;
    /// rules of equal severity in ascending `id` order. Empty when nothing matches.
    pub fn matches(&self, text: &str) -> Vec<&KeywordRule> {
        self.matching_indices(text).into_iter().map(|i| &self.rules[i as usize]).collect()
    }

    /// The most severe matching rule (lowest `id` among equals), if any; the same as
    /// `self.matches(text).first()`.
    pub fn strongest(&self, text: &str) -> Option<&KeywordRule> {
        self.matching_indices(text).first().map(|&i| &self.rules[i as usize])
    }

    /// Number of rules in effect (rules with an empty normalised pattern are not counted).
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when no rule is in effect, so nothing can ever match.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The automaton's kind and its heap size in bytes, for the keyword
    /// benchmark's report (`cargo bench --bench keywords`).
    pub fn automaton_stats(&self) -> (AhoCorasickKind, usize) {
        (self.automaton.kind(), self.automaton.memory_usage())
    }
}

// ---------------------------------------------------------------------------------------------
// Rule lists (bulk import / export)
// ---------------------------------------------------------------------------------------------

/// Category given to rules whose rule-list line has no category.
pub const DEFAULT_CATEGORY: &str = "custom";

/// Action given to rules whose rule-list line has no action.
pub const DEFAULT_ACTION: KeywordAction = KeywordAction::Review;

/// Parse a bulk rule list (R12.1 import).
///
/// Format: UTF-8 text, one rule a line, `pattern<TAB>category<TAB>action`. Lines end in `\n`
/// or `\r\n`; a leading byte-order mark is ignored. Blank lines and lines whose first
/// non-blank character is `#` are comments (a pattern therefore cannot start with `#`, which
/// loses nothing: `#` is removed by [`normalise`] anyway). Each field is trimmed of
/// surrounding whitespace. `category` defaults to [`DEFAULT_CATEGORY`] (`"custom"`) and
/// `action` to [`DEFAULT_ACTION`] (`"review"`) when missing or empty; `action` is one of
/// `flag`, `review`, `block` (ASCII case ignored).
///
/// Returns `Ok` with one `(pattern, category, action)` per rule line, in file order, or
/// `Err` listing every bad line as `(line_number, message)` with 1-based line numbers, one
/// entry per bad line (several problems on a line are joined with `"; "`). A line is bad
/// when its pattern is empty, its pattern is empty after normalisation (only punctuation,
/// spaces or invisible characters: such a rule would match every text), its action is
/// unknown, or it has more than three tab-separated fields.
// The signature is the agreed public API; a type alias would only hide it.
#[allow(clippy::type_complexity)]
pub fn parse_rule_list(text: &str) -> Result<Vec<(String, String, KeywordAction)>, Vec<(usize, String)>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line_number = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let mut problems: Vec<String> = Vec::new();
        if fields.len() > 3 {
            problems.push(format!(
                "expected at most 3 tab-separated fields (pattern, category, action), found {}",
                fields.len()
            ));
        }
        let pattern = fields[0].trim();
        if pattern.is_empty() {
            problems.push("empty pattern".to_string());
        } else if normalise(pattern).is_empty() {
            problems.push(format!(
                "pattern {pattern:?} is empty after normalisation (only punctuation, spaces or invisible characters)"
            ));
        }
        let category = match fields.get(1).map(|s| s.trim()) {
            Some(c) if !c.is_empty() => c,
            _ => DEFAULT_CATEGORY,
        };
        let action = match fields.get(2).map(|s| s.trim()) {
            Some(a) if !a.is_empty() => match KeywordAction::parse(a) {
                Some(action) => action,
                None => {
                    problems.push(format!("unknown action {a:?} (expected flag, review or block)"));
                    DEFAULT_ACTION
                }
            },
            _ => DEFAULT_ACTION,
        };
        if problems.is_empty() {
            rules.push((pattern.to_string(), category.to_string(), action));
        } else {
            errors.push((line_number, problems.join("; ")));
        }
    }
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(errors)
    }
}

/// Format rules as a rule list (R12.1 export), the reverse of [`parse_rule_list`]: one line
/// `pattern<TAB>category<TAB>action\n` per rule, in the given order, no header.
///
/// So that every line reads back as the same rule, tabs, carriage returns and line feeds
/// inside a pattern or category are written as spaces, leading `#` characters of a pattern
/// are dropped (both are removed by [`normalise`], so what the rule matches is unchanged),
/// and an empty category is written as [`DEFAULT_CATEGORY`]. Rules whose normalised pattern
/// is empty are still written, and [`parse_rule_list`] reports them as bad lines.
pub fn format_rule_list(rules: &[KeywordRule]) -> String {
    fn clean(s: &str) -> String {
        s.replace(['\t', '\r', '\n'], " ").trim().to_string()
    }
    let mut out = String::new();
    for rule in rules {
        let pattern = clean(&rule.pattern);
        let pattern = pattern.trim_start_matches('#').trim();
        let category = clean(&rule.category);
        let category = if category.is_empty() { DEFAULT_CATEGORY } else { category.as_str() };
        out.push_str(pattern);
        out.push('\t');
        out.push_str(category);
        out.push('\t');
        out.push_str(rule.action.as_str());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVASION_TSV: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/testdata/keyword-evasion.tsv"));

    fn rule(id: i64, pattern: &str, action: KeywordAction) -> KeywordRule {
        KeywordRule { id, pattern: pattern.to_string(), category: "test".to_string(), action }
    }

    /// Every data line of shared/testdata/keyword-evasion.tsv is a case and must pass.
    #[test]
    fn evasion_table_every_line() {
        let mut cases = 0;
        let mut saw_empty_text = false;
        let mut failures = Vec::new();
        for (index, raw) in EVASION_TSV.split('\n').enumerate() {
            let line_number = index + 1;
            // Only the line ending is stripped: the text field may be empty or hold spaces.
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            assert!(fields.len() >= 3, "line {line_number}: expected text, rule, expect[, note]: {line:?}");
            let (text, pattern, expect) = (fields[0], fields[1], fields[2]);
            let note = fields.get(3).copied().unwrap_or("");
            let want = match expect {
                "match" => true,
                "no match" => false,
                other => panic!("line {line_number}: unknown expectation {other:?}"),
            };
            saw_empty_text |= text.is_empty();
            cases += 1;

            let matcher = KeywordMatcher::new(vec![rule(7, pattern, KeywordAction::Block)]);
            assert_eq!(matcher.len(), 1, "line {line_number}: rule {pattern:?} was skipped");
            let got = matcher.strongest(text).map(|r| r.id);
            let got_all: Vec<i64> = matcher.matches(text).iter().map(|r| r.id).collect();
            let expected = if want { Some(7) } else { None };
            if got != expected || got_all != expected.into_iter().collect::<Vec<_>>() {
                failures.push(format!(
                    "line {line_number} ({note}): text {text:?} rule {pattern:?} expected {expect}, \
                     normalised text {:?}, pattern {:?}",
                    normalise(text),
                    normalise(pattern)
                ));
            }
            // The matcher agrees with a plain substring test on normalised strings.
            assert_eq!(normalise(text).contains(&normalise(pattern)), want, "line {line_number}");
        }
        assert!(failures.is_empty(), "failing lines:\n{}", failures.join("\n"));
        assert!(cases >= 20, "only {cases} cases read from keyword-evasion.tsv");
        assert!(saw_empty_text, "the empty-text line was not read as a case");
    }

    #[test]
    fn normalise_known_answer() {
        assert_eq!(normalise("Ｓｐａｍ 赌\u{200B}博！"), "spam赌博");
    }

    #[test]
    fn normalise_examples() {
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("   \t\n", ""),
            ("！？。，、·・…—～", ""),
            ("Hello, World!", "helloworld"),
            ("①②③", "123"),
            ("™", "tm"),
            ("🈲", "禁"),
            ("𝐬𝐩𝐚𝐦", "spam"),
            ("ＡＢＣ１２３", "abc123"),
            ("Straße STRASSE", "strassestrasse"),
            ("ΟΔΟΣ οδος", "οδοσοδοσ"),
            ("café", "café"),
            ("cafe\u{0301}", "café"),
            ("cafe\u{200B}\u{0301}", "café"),
            ("赌\u{0336}博", "赌博"),
            ("s\u{0336}p\u{0336}a\u{0336}m\u{0336}", "spam"),
            ("赌\u{0301}博", "赌博"),
            ("1\u{FE0F}\u{20E3}2\u{20E3}", "12"),
            ("赌😀博", "赌博"),
            ("赌\u{2800}博", "赌博"),
            ("赌ㆍ博", "赌博"),
            ("赌\u{3164}博", "赌博"),
            ("赌\u{E0041}博", "赌博"),
            ("赌\u{202E}博", "赌博"),
            ("「赌博」『赌博』【赌博】《赌博》", "赌博赌博赌博赌博"),
            ("🅢🅟🅐🅜 🆂🅿🅰🅼", "spamspam"),
            ("❶➁➓⓫⓵⓿", "12101110"),
            ("々〇", "々〇"),
            ("ｶﾞ", "ガ"),
            ("İ", "i\u{307}"),
        ];
        for (input, want) in cases {
            assert_eq!(normalise(input), *want, "normalise({input:?})");
        }
    }

    #[test]
    fn normalise_removes_punctuation_blocks() {
        // General Punctuation and CJK Symbols and Punctuation: everything but letters/numbers.
        for u in (0x2000..=0x206F).chain(0x3000..=0x303F) {
            let c = char::from_u32(u).unwrap();
            let n = normalise(&format!("a{c}b"));
            let keep = c.is_alphanumeric() && !is_default_ignorable(c);
            if keep {
                assert_ne!(n, "ab", "U+{u:04X} should be kept");
            } else {
                assert_eq!(n, "ab", "U+{u:04X} should be removed");
            }
        }
        // Full-width and half-width punctuation.
        for u in (0xFF01..=0xFF0F)
            .chain(0xFF1A..=0xFF20)
            .chain(0xFF3B..=0xFF40)
            .chain(0xFF5B..=0xFF65)
            .chain(0xFE10..=0xFE19)
            .chain(0xFE30..=0xFE4F)
        {
            let c = char::from_u32(u).unwrap();
            assert_eq!(normalise(&format!("赌{c}博")), "赌博", "U+{u:04X}");
        }
    }

    #[test]
    fn normalise_is_idempotent() {
        let pool: Vec<char> =
            "\u{1100}\u{1161}\u{11A8}\u{323}\u{FE00}\u{302A}ⅫaZé\u{301}\u{336}赌博 ,.。·\u{200B}\u{FEFF}\u{FE0F}\u{20E3}ß ΣςＳ①™ｶﾞ\u{3099}İ1🅰❶"
                .chars()
                .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let len = (seed % 12) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(pool[(seed % pool.len() as u64) as usize]);
            }
            let once = normalise(&s);
            assert_eq!(normalise(&once), once, "not idempotent on {s:?}");
            assert_eq!(once.chars().nfkc().collect::<String>(), once, "output not NFKC on {s:?}");
            seed = seed.wrapping_add(1);
        }
    }

    #[test]
    fn segmented_nfkc_equals_whole_text_nfkc() {
        let pool: Vec<char> = "ae\u{301}\u{323}\u{302}éệ\u{1100}\u{1161}\u{11A8}가\u{11A8}ｶﾞﾟ\u{3099}か，。！①ﬁ™\u{0F71}\u{0F72}\u{0F80}\u{0344}\u{2126}Å\u{212B}赌 \u{200B}"
            .chars()
            .collect();
        let mut seed: u64 = 0x1234_5678_9ABC_DEF1;
        for _ in 0..20_000 {
            let len = (seed % 10) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(pool[(seed % pool.len() as u64) as usize]);
            }
            let mut segmented = String::new();
            normalise_pass(&s, &mut segmented);
            let mut whole = String::new();
            Folder::default().feed_segment(&s, false, &mut whole);
            assert_eq!(segmented, whole, "segmented NFKC differs on {s:?}");
            seed = seed.wrapping_add(1);
        }
    }

    #[test]
    fn action_severity_order_and_names() {
        use KeywordAction::*;
        assert!(Flag < Review && Review < Block);
        assert_eq!([Review, Block, Flag].into_iter().max(), Some(Block));
        for a in KeywordAction::ALL {
            assert_eq!(KeywordAction::parse(a.as_str()), Some(a));
            assert_eq!(a.to_string(), a.as_str());
        }
        assert_eq!([Flag.as_str(), Review.as_str(), Block.as_str()], ["flag", "review", "block"]);
        assert_eq!(KeywordAction::parse("BLOCK"), Some(Block));
        assert_eq!(KeywordAction::parse("ban"), None);
        assert_eq!(KeywordAction::parse(""), None);
        assert_eq!(KeywordAction::parse(" block"), None);
    }

    #[test]
    fn matches_most_severe_first_and_distinct() {
        use KeywordAction::*;
        let m = KeywordMatcher::new(vec![
            rule(1, "赌博", Flag),
            rule(2, "博彩", Block),
            rule(3, "赌 博", Review), // same normalised pattern as rule 1
            rule(4, "彩票", Review),
            rule(5, "abc", Flag),
            rule(6, "BC", Flag),
            rule(7, "！！", Block), // empty after normalisation: skipped
        ]);
        assert_eq!(m.len(), 6);
        assert!(!m.is_empty());
        // Overlapping: 赌博 and 博彩 share 博; both found, and 赌博 found twice counts once.
        let ids: Vec<i64> = m.matches("赌博彩……赌·博").iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![2, 3, 1]);
        assert_eq!(m.strongest("赌博彩").map(|r| r.id), Some(2));
        // A pattern inside another pattern is found too.
        let ids: Vec<i64> = m.matches("xAbCx").iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![5, 6]);
        assert!(m.matches("nothing here").is_empty());
        assert!(m.strongest("").is_none());
        assert!(m.strongest("！！").is_none());
    }

    #[test]
    fn strongest_agrees_with_matches() {
        use KeywordAction::*;
        let m = KeywordMatcher::new(vec![rule(10, "spam", Review), rule(3, "spam", Review), rule(20, "offer", Flag)]);
        let all = m.matches("SPAM offer");
        assert_eq!(all.iter().map(|r| r.id).collect::<Vec<_>>(), vec![3, 10, 20]);
        assert_eq!(m.strongest("SPAM offer"), all.first().copied());
    }

    #[test]
    fn empty_matcher() {
        let m = KeywordMatcher::new(Vec::new());
        assert!(m.is_empty());
        assert_eq!(m.len(), 0);
        assert!(m.matches("赌博").is_empty());
        let m = KeywordMatcher::new(vec![rule(1, " \u{200B} ", KeywordAction::Block)]);
        assert!(m.is_empty());
        assert!(m.strongest("anything").is_none());
    }

    #[test]
    fn ten_thousand_rules_still_find_one() {
        let mut rules: Vec<KeywordRule> =
            (0..10_000).map(|i| rule(i, &format!("禁词{i:05}号"), KeywordAction::Flag)).collect();
        rules.push(rule(99_999, "赌博", KeywordAction::Block));
        let m = KeywordMatcher::new(rules);
        assert_eq!(m.len(), 10_001);
        let hit = m.strongest("今天去 赌\u{200B}博 了，还看到禁词07777号").unwrap();
        assert_eq!(hit.id, 99_999);
        let ids: Vec<i64> = m.matches("今天去 赌\u{200B}博 了，还看到禁词07777号").iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![99_999, 7777]);
        assert_eq!(m.strongest("禁 词 0 4 2 4 2 号").unwrap().id, 4242);
        assert!(m.strongest("禁词10000号").is_none());
    }

    #[test]
    fn parse_rule_list_defaults_comments_and_line_endings() {
        let text = "\u{FEFF}# header comment\r\n\
                    赌博\tgambling\tblock\r\n\
                    \n\
                    \x20  # indented comment\n\
                    彩票\n\
                    spam\tads\n\
                    offer\t\tFlag\n";
        let rules = parse_rule_list(text).unwrap();
        assert_eq!(
            rules,
            vec![
                ("赌博".into(), "gambling".into(), KeywordAction::Block),
                ("彩票".into(), "custom".into(), KeywordAction::Review),
                ("spam".into(), "ads".into(), KeywordAction::Review),
                ("offer".into(), "custom".into(), KeywordAction::Flag),
            ]
        );
        assert_eq!(parse_rule_list(""), Ok(Vec::new()));
    }

    #[test]
    fn parse_rule_list_reports_every_bad_line() {
        let text = "good\tcat\tblock\n\
                    bad1\tcat\tban\n\
                    \tcat\tflag\n\
                    # comment\n\
                    ！？\tcat\n\
                    ok\n\
                    x\ty\tflag\textra\n\
                    \t\tnope\n";
        let errors = parse_rule_list(text).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|(n, _)| *n).collect();
        assert_eq!(lines, vec![2, 3, 5, 7, 8]);
        assert!(errors[0].1.contains("unknown action \"ban\""), "{errors:?}");
        assert!(errors[1].1.contains("empty pattern"), "{errors:?}");
        assert!(errors[2].1.contains("empty after normalisation"), "{errors:?}");
        assert!(errors[3].1.contains("at most 3"), "{errors:?}");
        assert!(errors[4].1.contains("empty pattern") && errors[4].1.contains("unknown action"), "{errors:?}");
    }

    #[test]
    fn format_then_parse_round_trips() {
        use KeywordAction::*;
        let rules = vec![
            KeywordRule { id: 1, pattern: "赌博".into(), category: "gambling".into(), action: Block },
            KeywordRule { id: 2, pattern: "spam offer".into(), category: "ads".into(), action: Flag },
            KeywordRule { id: 3, pattern: "#话题#".into(), category: "".into(), action: Review },
            KeywordRule { id: 4, pattern: "a\tb\nc".into(), category: "x\ty".into(), action: Block },
        ];
        let text = format_rule_list(&rules);
        assert_eq!(text, "赌博\tgambling\tblock\nspam offer\tads\tflag\n话题#\tcustom\treview\na b c\tx y\tblock\n");
        let parsed = parse_rule_list(&text).unwrap();
        assert_eq!(parsed.len(), rules.len());
        for (rule, (pattern, category, action)) in rules.iter().zip(&parsed) {
            assert_eq!(normalise(&rule.pattern), normalise(pattern));
            assert_eq!(rule.action, *action);
            if !rule.category.is_empty() && !rule.category.contains('\t') {
                assert_eq!(&rule.category, category);
            }
        }
        assert_eq!(format_rule_list(&[]), "");
    }
}
