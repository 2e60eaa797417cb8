//! Credit levels (R15.1): a score maps to excellent / good / fair / poor /
//! restricted by four configurable thresholds. Pure.

/// A credit level, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Excellent,
    Good,
    Fair,
    Poor,
    Restricted,
}

impl Level {
    /// Every level, best first.
    pub const ALL: [Level; 5] = [Level::Excellent, Level::Good, Level::Fair, Level::Poor, Level::Restricted];

    /// The name used in tier rules and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Excellent => "excellent",
            Level::Good => "good",
            Level::Fair => "fair",
            Level::Poor => "poor",
            Level::Restricted => "restricted",
        }
    }

    /// From [`Level::as_str`].
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// The level of `score` under `thresholds` (lowest scores of excellent,
/// good, fair and poor, descending; below the last is restricted).
pub fn level(score: i64, thresholds: &[i64]) -> Level {
    for (i, t) in thresholds.iter().enumerate().take(4) {
        if score >= *t {
            return Level::ALL[i];
        }
    }
    Level::Restricted
}

/// Keep a score within `0..=max`.
pub fn clamp(score: i64, max: i64) -> i64 {
    score.clamp(0, max.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_by_threshold() {
        let t = [120, 90, 70, 50];
        assert_eq!(level(150, &t), Level::Excellent);
        assert_eq!(level(120, &t), Level::Excellent);
        assert_eq!(level(100, &t), Level::Good);
        assert_eq!(level(70, &t), Level::Fair);
        assert_eq!(level(69, &t), Level::Poor);
        assert_eq!(level(49, &t), Level::Restricted);
        assert_eq!(Level::parse("poor"), Some(Level::Poor));
        assert_eq!(clamp(-5, 150), 0);
        assert_eq!(clamp(200, 150), 150);
    }
}
