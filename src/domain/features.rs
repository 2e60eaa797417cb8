//! Features with public-opinion or mobilisation attributes (R13.1): which
//! they are, and the rule that one is switched on only with a security
//! assessment on record.

/// A feature that needs a security assessment before it is switched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// Sharing a post to one's followers (built).
    Reposts,
    /// Trending topics: `/trending` (issue 17).
    Trending,
    /// Polls (not built in this version).
    Polls,
    /// Live streaming (not built in this version).
    Live,
}

impl Feature {
    /// Every such feature, in the order the admin page lists them.
    pub const ALL: [Feature; 4] = [Feature::Reposts, Feature::Trending, Feature::Polls, Feature::Live];

    /// The name stored in the database and used in URLs and commands.
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Reposts => "reposts",
            Feature::Trending => "trending",
            Feature::Polls => "polls",
            Feature::Live => "live",
        }
    }

    /// Parse a stored or typed name.
    pub fn parse(s: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Does this version of Plaza have the feature at all?
    pub fn built(self) -> bool {
        matches!(self, Feature::Reposts | Feature::Trending)
    }
}

/// Why a feature may not be switched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwitchError {
    /// This version does not have the feature.
    NotBuilt,
    /// No security assessment is on record (R13.1).
    NoAssessment,
}

/// May `feature` be switched on, given how many assessments are on record?
/// Switching off is always allowed.
///
/// # Errors
/// [`SwitchError`] naming the missing condition.
pub fn may_switch_on(feature: Feature, assessments: usize) -> Result<(), SwitchError> {
    if !feature.built() {
        return Err(SwitchError::NotBuilt);
    }
    if assessments == 0 {
        return Err(SwitchError::NoAssessment);
    }
    Ok(())
}

/// Check an assessment's date, `YYYY-MM-DD`, not after `today`.
pub fn check_date(s: &str, today: (i32, u8, u8)) -> bool {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else { return false };
    let Ok(month) = time::Month::try_from(m) else { return false };
    if y < 1990 || time::Date::from_calendar_date(y, month, d).is_err() {
        return false;
    }
    (y, m, d) <= today
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_built_and_assessed_features_switch_on() {
        assert_eq!(may_switch_on(Feature::Reposts, 0), Err(SwitchError::NoAssessment));
        assert_eq!(may_switch_on(Feature::Reposts, 1), Ok(()));
        assert_eq!(may_switch_on(Feature::Live, 3), Err(SwitchError::NotBuilt));
        assert_eq!(Feature::parse("polls"), Some(Feature::Polls));
        assert_eq!(Feature::parse("x"), None);
    }

    #[test]
    fn dates() {
        let today = (2026, 11, 30);
        assert!(check_date("2026-03-01", today));
        assert!(check_date("2026-11-30", today));
        assert!(!check_date("2026-12-01", today), "not in the future");
        assert!(!check_date("2026-02-30", today));
        assert!(!check_date("2026/03/01", today));
        assert!(!check_date("", today));
    }
}
