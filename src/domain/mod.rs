//! Pure rules, no I/O: what is allowed and how values are checked. Routes call
//! these; they never touch the database or the network.
//!
//! - [`account`]: usernames, passwords, roles (R6.5), visibility (R2.1).
//! - [`text`]: post length in grapheme clusters, hashtags, mentions, links (R2.2, R2.3).
//! - [`audit`]: the activity log's hash chain, signed head, checkpoint, retention floor (R16.2, R16.3).
//! - [`dates`]: dates typed in filters and exports, and times shown, in the site's time zone.
//! - [`identity`]: ID number, credit code, organisation code and mobile validators (one file
//!   each), masking, bindings, subject types, identity statuses and one-time codes (R7.1-R7.4, R10.1).
//! - [`keywords`]: keyword rule normalisation and multi-pattern matching (R12.1).
//! - [`moderation`]: publish, flag, hold or refuse new content (R6.2, R6.4, R12.1).
//! - [`search`]: the folded text of the post search index and its queries (issue 17, R12.2).
//! - [`complaints`]: complaint categories and SLA, tracking numbers, targets (R14.1, R14.2).
//! - [`credit`]: credit levels from scores and thresholds (R15.1).
//! - [`tiers`]: tier rules and which applies to a piece of content (R9.1).
//! - [`features`]: features with public-opinion or mobilisation attributes and their assessments (R13.1).
//! - [`device`]: a session's device in words, from its user agent (issue 15).
//! - [`second_factor`]: TOTP codes (RFC 6238), recovery codes, who must have one (issue 15).
//! - [`oauth`]: scopes and PKCE of the client API's OAuth (issue 19).
//! - [`throttle`]: growing waits between password tries, per key (issue 15).

pub mod account;
pub mod audit;
pub mod complaints;
pub mod credit;
pub mod dates;
pub mod device;
pub mod features;
pub mod identity;
pub mod keywords;
pub mod moderation;
pub mod mute;
pub mod oauth;
pub mod search;
pub mod second_factor;
pub mod text;
pub mod throttle;
pub mod tiers;
