//! What pages and logs may show of identity data: display masks that keep
//! a value's ends (R7.4), and redaction of numbers typed into free text
//! before it reaches the log (R7.5).

/// Masks a legal name for display (R7.4): the first character kept, and the
/// last too when the name has 3 or more, e.g. `张三` → `"张*"`, `欧阳娜娜` →
/// `"欧**娜"`.
pub fn mask_legal_name(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        _ => mask_middle(s, 1, 1),
    }
}

/// Keeps `head` leading and `tail` trailing characters of the trimmed value and
/// replaces each character between with `*`. A value too short to keep both
/// ends is masked completely, so a mask never reveals a whole value.
fn mask_middle(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - head - tail;
    let mut out = String::with_capacity(chars.len());
    out.extend(&chars[..head]);
    out.push_str(&"*".repeat(hidden));
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// Masks an ID number for display (R7.4): first 4 and last 4 characters kept,
/// one `*` per hidden character, e.g. `110101199003071234` →
/// `"1101**********1234"`. Meant for a normalised [`IdNumber::as_str`](super::IdNumber::as_str) value;
/// any input of 8 characters or fewer is masked entirely.
pub fn mask_id_number(s: &str) -> String {
    mask_middle(s, 4, 4)
}

/// Masks a mobile number for display (R7.4): first 3 and last 4 digits kept,
/// e.g. `13800138000` → `"138****8000"`. Meant for a normalised
/// [`Mobile::as_str`](super::Mobile::as_str) value; 7 characters or fewer are masked entirely.
pub fn mask_mobile(s: &str) -> String {
    mask_middle(s, 3, 4)
}

/// Masks a GB 32100 credit code for display (R7.4): first 4 and last 4
/// characters kept, e.g. `91440305GG0UEQ5K5C` → `"9144**********5K5C"`.
/// 8 characters or fewer are masked entirely.
pub fn mask_credit_code(s: &str) -> String {
    mask_middle(s, 4, 4)
}

/// Masks a GB 11714 organisation code for display (R7.4): first 2 and last 2
/// characters kept, e.g. `123456788` → `"12*****88"`. 4 characters or fewer
/// are masked entirely.
pub fn mask_org_code(s: &str) -> String {
    mask_middle(s, 2, 2)
}

/// Replaces every run of 6 or more digits, and every run of 9 or more
/// letters and digits holding 4 or more digits, with `*`: free text that
/// staff type next to identity data (a reveal reason) must not carry a
/// number into the log (R7.5).
pub fn redact_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let run = &chars[start..i];
            let digits = run.iter().filter(|c| c.is_ascii_digit()).count();
            let longest_digits = run.split(|c| !c.is_ascii_digit()).map(<[char]>::len).max().unwrap_or(0);
            if longest_digits >= 6 || (run.len() >= 9 && digits >= 4) {
                out.extend(std::iter::repeat_n('*', run.len()));
            } else {
                out.extend(run);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // R7.4: masks.
    #[test]
    fn masks_known_answers() {
        assert_eq!(mask_legal_name("张三"), "张*");
        assert_eq!(mask_legal_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_legal_name("某"), "*");
        assert_eq!(mask_id_number("11010119900307123X"), "1101**********123X");
        assert_eq!(mask_mobile("13800000000"), "138****0000");
        assert_eq!(mask_credit_code("91440305GG0UEQ5K5C"), "9144**********5K5C");
        assert_eq!(mask_org_code("123456788"), "12*****88");
        // Too short to keep both ends: everything hidden.
        assert_eq!(mask_mobile("1380000"), "*******");
        assert_eq!(mask_id_number(""), "");
    }

    // R7.5: numbers typed into free text do not reach the log.
    #[test]
    fn redaction() {
        assert_eq!(redact_numbers("投诉核实 420111196307154048 本人"), "投诉核实 ****************** 本人");
        assert_eq!(redact_numbers("call 13800138000"), "call ***********");
        assert_eq!(redact_numbers("code 91440305GG0UEQ5K5C ok"), "code ****************** ok");
        assert_eq!(redact_numbers("ticket 2026 case A12"), "ticket 2026 case A12");
    }
}
