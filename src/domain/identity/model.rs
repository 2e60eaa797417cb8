//! The identity model (R7.1, R7.3): subject types, the number an identity
//! is bound to, a checked binding form ([`parse_binding`]) and where an
//! identity stands ([`Status`], with expiry).

use super::credit_code::{overridable, parse_credit_code, parse_credit_code_unchecked, CreditCode};
use super::id_number::{parse_id_number, IdNumber};
use super::legal_name::check_legal_name;
use super::mask::{mask_credit_code, mask_id_number, mask_org_code};
use super::mobile::{parse_mobile, Mobile};
use super::org_code::{parse_org_code, OrgCode};
use super::IdentityError;

/// Who stands behind an account (DESIGN.md subject types). Individuals
/// bind a resident ID number; every other type a credit code (or a legacy
/// organisation code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectType {
    Individual,
    Organisation,
    Government,
    Media,
    ForeignOrg,
}

impl SubjectType {
    /// Every type, in the order forms list them.
    pub const ALL: [SubjectType; 5] = [
        SubjectType::Individual,
        SubjectType::Organisation,
        SubjectType::Government,
        SubjectType::Media,
        SubjectType::ForeignOrg,
    ];

    /// The stored name (`users.subject_type`).
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectType::Individual => "individual",
            SubjectType::Organisation => "organisation",
            SubjectType::Government => "government",
            SubjectType::Media => "media",
            SubjectType::ForeignOrg => "foreign_org",
        }
    }

    /// Parse a stored or typed name.
    pub fn parse(s: &str) -> Option<SubjectType> {
        SubjectType::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    /// An individual (ID number), not an organisation (credit code).
    pub fn is_individual(self) -> bool {
        self == SubjectType::Individual
    }
}

/// The number an identity is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Number {
    /// A resident ID number (individuals).
    Id(IdNumber),
    /// A unified social credit code (organisations).
    Credit(CreditCode),
    /// A legacy organisation code (organisations registered before 2015).
    Org(OrgCode),
}

impl Number {
    /// `id_number`, `credit_code` or `org_code` (`identities.number_kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Number::Id(_) => "id_number",
            Number::Credit(_) => "credit_code",
            Number::Org(_) => "org_code",
        }
    }

    /// The full normalised value: only for sealing and keyed hashing.
    pub fn as_str(&self) -> &str {
        match self {
            Number::Id(v) => v.as_str(),
            Number::Credit(v) => v.as_str(),
            Number::Org(v) => v.as_str(),
        }
    }

    /// The masked value pages show (R7.4).
    pub fn masked(&self) -> String {
        match self {
            Number::Id(v) => mask_id_number(v.as_str()),
            Number::Credit(v) => mask_credit_code(v.as_str()),
            Number::Org(v) => mask_org_code(v.as_str()),
        }
    }

    /// Province of registration from the region digits (R10.2); `None` for
    /// a national-level credit code and for organisation codes, which
    /// carry no region.
    pub fn province(&self) -> Option<&'static str> {
        match self {
            Number::Id(v) => v.province(),
            Number::Credit(v) => v.province(),
            Number::Org(_) => None,
        }
    }
}

/// Which field of a binding form a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    SubjectType,
    LegalName,
    Number,
    Mobile,
}

/// A checked identity binding (R7.1): who, the legal name, the number and
/// the mobile. `check_failed` marks a credit code accepted without its
/// check characters, for a reviewer to confirm by hand (R7.2).
#[derive(Debug, Clone)]
pub struct Binding {
    pub subject: SubjectType,
    pub legal_name: String,
    pub number: Number,
    pub mobile: Mobile,
    pub check_failed: bool,
}

/// Check the fields of a binding: the subject type decides the number
/// (individual: ID number; others: an 18-character credit code or a
/// 9-character organisation code). `override_check` accepts a credit code
/// whose only fault is a check character, marking it for a reviewer.
///
/// # Errors
/// The first field at fault and the rule it broke.
pub fn parse_binding(
    subject: &str,
    legal_name: &str,
    number: &str,
    mobile: &str,
    today: (i32, u8, u8),
    override_check: bool,
) -> Result<Binding, (Field, Option<IdentityError>)> {
    let subject = SubjectType::parse(subject).ok_or((Field::SubjectType, None))?;
    let legal_name = check_legal_name(legal_name).map_err(|e| (Field::LegalName, Some(e)))?;
    let mut check_failed = false;
    let number = if subject.is_individual() {
        Number::Id(parse_id_number(number, today).map_err(|e| (Field::Number, Some(e)))?)
    } else {
        let compact: String = number.trim().chars().filter(|c| *c != '-').collect();
        if compact.chars().count() == 9 {
            Number::Org(parse_org_code(number).map_err(|e| (Field::Number, Some(e)))?)
        } else {
            match parse_credit_code(number) {
                Ok(c) => Number::Credit(c),
                Err(e) if override_check && overridable(e) => {
                    check_failed = true;
                    Number::Credit(parse_credit_code_unchecked(number).map_err(|e| (Field::Number, Some(e)))?)
                }
                Err(e) => return Err((Field::Number, Some(e))),
            }
        }
    };
    let mobile = parse_mobile(mobile).map_err(|e| (Field::Mobile, Some(e)))?;
    Ok(Binding { subject, legal_name, number, mobile, check_failed })
}

/// When an identity verified at `now` must next be checked (R7.3):
/// `recheck_days` (the `identity_recheck_days` setting) later.
pub fn next_check(now: i64, recheck_days: u32) -> i64 {
    now + i64::from(recheck_days) * 86_400
}

/// Where an identity stands (R7.1, R7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing bound, the mobile not yet confirmed, or refused by staff.
    Unverified,
    /// Mobile confirmed; waiting for the verification webhook or staff.
    Pending,
    /// Confirmed, and the next check is still ahead: may publish.
    Verified,
    /// Was verified, but the next-check date has passed (R7.3).
    Expired,
}

impl Status {
    /// `unverified`, `pending`, `verified` or `expired`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unverified => "unverified",
            Status::Pending => "pending",
            Status::Verified => "verified",
            Status::Expired => "expired",
        }
    }

    /// Parse a status name (also a filter of `/admin/identities`).
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Unverified, Status::Pending, Status::Verified, Status::Expired].into_iter().find(|t| t.as_str() == s)
    }

    /// The status of a stored identity at `now`: a stored `verified` whose
    /// `next_check_at` is not after `now` is [`Status::Expired`]. No
    /// identity at all is [`Status::Unverified`].
    pub fn effective(stored: Option<&str>, next_check_at: Option<i64>, now: i64) -> Status {
        match stored {
            Some("verified") if next_check_at.is_some_and(|t| t > now) => Status::Verified,
            Some("verified") => Status::Expired,
            Some("pending") => Status::Pending,
            _ => Status::Unverified,
        }
    }

    /// May an account in this status post, comment and repost (R7.1)?
    pub fn may_publish(self) -> bool {
        self == Status::Verified
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixed "today" so birth-date checks are deterministic.
    const TODAY: (i32, u8, u8) = (2026, 11, 30);

    #[test]
    fn bindings() {
        let b =
            parse_binding("individual", " 张  三 ", "420111196307154048", "+86 138 0013 8000", TODAY, false).unwrap();
        assert_eq!((b.legal_name.as_str(), b.number.kind(), b.mobile.as_str()), ("张 三", "id_number", "13800138000"));
        assert_eq!(b.number.masked(), "4201**********4048");
        assert_eq!(b.number.province(), Some("湖北省"));
        let o = parse_binding("media", "某某日报社", "12540102AKGKG6N892", "13800138000", TODAY, false).unwrap();
        assert_eq!((o.number.kind(), o.check_failed), ("credit_code", false));
        let legacy = parse_binding("organisation", "某某公司", "12345678-8", "13800138000", TODAY, false).unwrap();
        assert_eq!((legacy.number.kind(), legacy.number.province()), ("org_code", None));
        let err = |r: Result<Binding, (Field, Option<IdentityError>)>| r.unwrap_err();
        assert_eq!(err(parse_binding("robot", "x", "", "", TODAY, false)), (Field::SubjectType, None));
        assert_eq!(
            err(parse_binding("individual", "张", "420111196307154048", "13800138000", TODAY, false)),
            (Field::LegalName, Some(IdentityError::LegalName))
        );
        assert_eq!(
            err(parse_binding("individual", "张三", "91440305GG0UEQ5K5C", "13800138000", TODAY, false)).0,
            Field::Number,
            "an individual binds an ID number"
        );
        assert_eq!(
            err(parse_binding("individual", "张三", "420111196307154048", "12345678901", TODAY, false)),
            (Field::Mobile, Some(IdentityError::Prefix))
        );
        // An early credit code failing its check: refused, unless sent for a reviewer.
        assert_eq!(
            err(parse_binding("organisation", "某公司", "91110108MA01B2C31T", "13800138000", TODAY, false)),
            (Field::Number, Some(IdentityError::EmbeddedOrgCode))
        );
        let held = parse_binding("organisation", "某公司", "91110108MA01B2C31T", "13800138000", TODAY, true).unwrap();
        assert!(held.check_failed);
        assert!(parse_binding("organisation", "某公司", "91110108MA01B2C31", "13800138000", TODAY, true).is_err());
    }

    // R7.3: expiry is computed, never trusted from storage alone.
    #[test]
    fn statuses() {
        assert_eq!(Status::effective(None, None, 100), Status::Unverified);
        assert_eq!(Status::effective(Some("verified"), Some(101), 100), Status::Verified);
        assert_eq!(Status::effective(Some("verified"), Some(100), 100), Status::Expired);
        assert_eq!(Status::effective(Some("verified"), None, 100), Status::Expired);
        assert_eq!(Status::effective(Some("pending"), Some(10), 100), Status::Pending);
        assert!(Status::Verified.may_publish() && !Status::Expired.may_publish() && !Status::Pending.may_publish());
        assert_eq!(Status::parse("expired"), Some(Status::Expired));
        assert_eq!(next_check(1_000, 365), 1_000 + 365 * 86_400);
        assert_eq!(SubjectType::parse("foreign_org"), Some(SubjectType::ForeignOrg));
    }
}
