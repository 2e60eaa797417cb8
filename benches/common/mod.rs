//! What the benchmark programs share: a repeatable pseudo-random source
//! and the characters their synthetic texts are made of.

/// A xorshift64 generator from `seed`: the same numbers on every run, so
/// figures compare across runs and machines.
pub fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// One of 3,000 common-range CJK ideographs (from U+4E00), picked by `n`.
pub fn han(n: u64) -> char {
    char::from_u32(0x4E00 + (n % 3000) as u32).unwrap()
}
