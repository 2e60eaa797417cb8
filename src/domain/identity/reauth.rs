//! What changing a bound identity takes (issue 15): rebinding replaces the
//! legal name, number and mobile, and costs the account its right to
//! publish until the new details are checked, so a stolen session must not
//! be able to do it. [`needed`] decides from the identity as it stands.

use super::Status;

/// The proof a member gives before their identity is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reauth {
    /// Nothing bound yet, or a first binding whose mobile was never
    /// confirmed: the member is still binding, nothing to protect.
    Nothing,
    /// The current password: the old mobile is out of the question (staff
    /// asked for a full re-verification, or refused the identity).
    Password,
    /// The current password and a code sent to the mobile bound now.
    PasswordAndOldMobile,
}

/// What replacing an identity in `status` takes: `bound` whether one is
/// stored at all, `mobile_confirmed` whether its mobile was ever confirmed,
/// `full_recheck` whether staff asked for a full re-verification (the way
/// on for a member who lost the old number, R7.3).
pub fn needed(bound: bool, status: Status, mobile_confirmed: bool, full_recheck: bool) -> Reauth {
    if !bound || (!mobile_confirmed && status == Status::Unverified) {
        return Reauth::Nothing;
    }
    match status {
        _ if full_recheck => Reauth::Password,
        Status::Verified | Status::Pending | Status::Expired if mobile_confirmed => Reauth::PasswordAndOldMobile,
        _ => Reauth::Password,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_mobile_guards_a_working_identity() {
        assert_eq!(needed(false, Status::Unverified, false, false), Reauth::Nothing);
        assert_eq!(needed(true, Status::Unverified, false, false), Reauth::Nothing, "still binding");
        assert_eq!(needed(true, Status::Verified, true, false), Reauth::PasswordAndOldMobile);
        assert_eq!(needed(true, Status::Pending, true, false), Reauth::PasswordAndOldMobile);
        assert_eq!(needed(true, Status::Expired, true, false), Reauth::PasswordAndOldMobile);
        assert_eq!(needed(true, Status::Verified, true, true), Reauth::Password, "staff asked for a full check");
        assert_eq!(needed(true, Status::Unverified, true, false), Reauth::Password, "refused after confirming");
    }
}
