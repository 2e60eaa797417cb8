//! The admin panel: dashboard with the recent activity log, the filtered
//! log (R16.3), and site settings with licence numbers (R4.1) and the
//! agreement (R6.1).

use super::components::{csrf_field, linked};
use super::{layout, Chrome};
use crate::db::log::LogRow;
use crate::db::settings::{Agreement, SiteSettings};
use crate::db::targets::Targets;
use crate::i18n::M;
use maud::{html, Markup};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

/// Partial: the admin panel's navigation: a link for each page the
/// viewer's roles open, as the routing table says (R6.5).
pub fn admin_nav(c: &Chrome) -> Markup {
    let links = [
        ("/admin", M::AdminTitle),
        ("/admin/review", M::ReviewTitle),
        ("/admin/review?kind=flag", M::FlaggedTitle),
        ("/admin/rumours", M::RumoursTitle),
        ("/admin/complaints", M::ComplaintsTitle),
        ("/admin/appeals", M::AppealsTitle),
        ("/admin/keywords", M::KeywordsTitle),
        ("/admin/takedown", M::TakedownTitle),
        ("/admin/emergency", M::EmergencyTitle),
        ("/admin/tiers", M::TiersTitle),
        ("/admin/evidence", M::EvidenceTitle),
        ("/admin/features", M::FeaturesTitle),
        ("/admin/users", M::UsersTitle),
        ("/admin/logs", M::LogsTitle),
        ("/admin/settings", M::AdminSettingsTitle),
    ];
    let items = html! {
        @for (href, title) in links {
            @if c.opens(href) { a href=(href) aria-current=[(c.url == href).then_some("page")] { (c.t(title)) } }
        }
        (super::identity::admin_links(c))
    };
    // A row of links on a wide screen; on a phone a folded `<details>`
    // menu (the stylesheet shows one or the other), no script needed
    // (issue 13).
    html! {
        nav.admin.wide aria-label=(c.t(M::AdminMenu)) { (items) }
        details.admin-menu {
            summary { (c.t(M::AdminMenu)) }
            nav.admin aria-label=(c.t(M::AdminMenu)) { (items) }
        }
    }
}

/// The words for an activity-log action (`post.create`), for the log
/// pages; `None` for an action this table does not know, shown as its code.
pub fn action_label(action: &str) -> Option<M> {
    Some(match action {
        "access.denied" => M::ActAccessDenied,
        "agreement.accept" => M::ActAgreementAccept,
        "agreement.publish" => M::ActAgreementPublish,
        "comment.create" => M::ActCommentCreate,
        "comment.delete" => M::ActCommentDelete,
        "comment.hide" => M::ActCommentHide,
        "comment.remove" => M::ActCommentRemove,
        "comment.remove_by_author" => M::ActCommentRemoveByAuthor,
        "comment.restore" => M::ActCommentRestore,
        "comment.unhide" => M::ActCommentUnhide,
        "complaint.act" => M::ActComplaintAct,
        "complaint.assign" => M::ActComplaintAssign,
        "complaint.create" => M::ActComplaintCreate,
        "complaint.resolve" => M::ActComplaintResolve,
        "credit.adjust" => M::ActCreditAdjust,
        "credit.appeal" => M::ActCreditAppeal,
        "credit.appeal_decide" => M::ActCreditAppealDecide,
        "credit.event" => M::ActCreditEvent,
        "credit.monthly" => M::ActCreditMonthly,
        "data.backup" => M::ActDataBackup,
        "data.export_download" => M::ActDataExportDownload,
        "data.export_request" => M::ActDataExportRequest,
        "data.restore" => M::ActDataRestore,
        "data.seed" => M::ActDataSeed,
        "db.repair" => M::ActDbRepair,
        "emergency.switch" => M::ActEmergencySwitch,
        "evidence.export" => M::ActEvidenceExport,
        "evidence.prune" => M::ActEvidencePrune,
        "evidence.view" => M::ActEvidenceView,
        "feature.assess" => M::ActFeatureAssess,
        "feature.off" => M::ActFeatureOff,
        "feature.on" => M::ActFeatureOn,
        "feature.report_view" => M::ActFeatureReportView,
        "filing.export" => M::ActFilingExport,
        "identity.bind" => M::ActIdentityBind,
        "identity.code_confirm" => M::ActIdentityCodeConfirm,
        "identity.code_send" => M::ActIdentityCodeSend,
        "identity.confirm" => M::ActIdentityConfirm,
        "identity.override" => M::ActIdentityOverride,
        "identity.purge" => M::ActIdentityPurge,
        "identity.recheck" => M::ActIdentityRecheck,
        "identity.recheck_request" => M::ActIdentityRecheckRequest,
        "identity.reject" => M::ActIdentityReject,
        "identity.reveal" => M::ActIdentityReveal,
        "identity.verify" => M::ActIdentityVerify,
        "keyword.add" => M::ActKeywordAdd,
        "keyword.delete" => M::ActKeywordDelete,
        "keyword.export" => M::ActKeywordExport,
        "keyword.import" => M::ActKeywordImport,
        "log.export" => M::ActLogExport,
        "log.prune" => M::ActLogPrune,
        "log.reseal" => M::ActLogReseal,
        "log.view" => M::ActLogView,
        "outbox.view" => M::ActOutboxView,
        "post.bulk_remove" => M::ActPostBulkRemove,
        "post.comment_mode" => M::ActPostCommentMode,
        "post.create" => M::ActPostCreate,
        "post.delete" => M::ActPostDelete,
        "post.like" => M::ActPostLike,
        "post.remove" => M::ActPostRemove,
        "post.repost" => M::ActPostRepost,
        "post.restore" => M::ActPostRestore,
        "post.unlike" => M::ActPostUnlike,
        "review.approve" => M::ActReviewApprove,
        "review.dismiss" => M::ActReviewDismiss,
        "review.reject" => M::ActReviewReject,
        "role.grant" => M::ActRoleGrant,
        "role.revoke" => M::ActRoleRevoke,
        "rumour.confirm" => M::ActRumourConfirm,
        "rumour.decline" => M::ActRumourDecline,
        "rumour.propose" => M::ActRumourPropose,
        "rumour.withdraw" => M::ActRumourWithdraw,
        "setting.change" => M::ActSettingChange,
        "tier.add" => M::ActTierAdd,
        "tier.delete" => M::ActTierDelete,
        "user.avatar_update" => M::ActUserAvatarUpdate,
        "user.close" => M::ActUserClose,
        "user.create" => M::ActUserCreate,
        "user.follow" => M::ActUserFollow,
        "user.import" => M::ActUserImport,
        "user.login" => M::ActUserLogin,
        "user.login_failed" => M::ActUserLoginFailed,
        "user.logout" => M::ActUserLogout,
        "user.password_change" => M::ActUserPasswordChange,
        "user.password_set" => M::ActUserPasswordSet,
        "user.profile_update" => M::ActUserProfileUpdate,
        "user.signup" => M::ActUserSignup,
        "user.unfollow" => M::ActUserUnfollow,
        "verification.apply" => M::ActVerificationApply,
        "verification.approve" => M::ActVerificationApprove,
        "verification.proof_view" => M::ActVerificationProofView,
        "verification.reject" => M::ActVerificationReject,
        "verification.revoke" => M::ActVerificationRevoke,
        _ => return None,
    })
}

/// Partial: a table of log entries (time in the site's zone, source
/// IP:port, user agent), the posts, comments, accounts and complaints they
/// name shown in words with a link (issue 13).
fn log_table(c: &Chrome, log: &[LogRow], known: &Targets) -> Markup {
    html! {
        table.log {
            thead { tr {
                th { "#" } th { (c.t(M::LogTime)) } th { (c.t(M::LogAccount)) } th { (c.t(M::LogSource)) }
                th { (c.t(M::LogAction)) } th { (c.t(M::LogTarget)) } th { (c.t(M::LogOutcome)) }
                th { (c.t(M::LogUserAgent)) }
            } }
            tbody {
                @for r in log {
                    tr {
                        td { (r.id) } td { (c.time(r.at)) } td { (r.username.as_deref().unwrap_or("-")) }
                        td { (r.ip) ":" (r.port) } td.action title=(r.action) { @match action_label(&r.action) { Some(m) => (c.t(m)), None => code { (r.action) } } } td { (linked(c, &r.target, known, true)) } td { (linked(c, &r.outcome, known, true)) }
                        td.ua { (r.user_agent) }
                    }
                }
            }
        }
    }
}

/// `GET /admin`: the review workload (R6.6), and for admins the newest log entries.
pub fn dashboard(c: &Chrome, work: &crate::db::moderation::Workload, log: &[LogRow], known: &Targets) -> Markup {
    layout(
        c,
        c.t(M::AdminTitle),
        html! {
            (admin_nav(c))
            (super::moderation::workload(c, work))
            @if !log.is_empty() {
                h2 { (c.t(M::RecentLog)) }
                (log_table(c, log, known))
            }
        },
    )
}

/// The fields of the log filter form, as typed.
#[derive(Debug, Clone, Default)]
pub struct LogForm {
    pub account: String,
    pub action: String,
    pub ip: String,
    pub from: String,
    pub to: String,
}

impl LogForm {
    /// The non-empty fields as `name=value&` pairs, to keep the filter on
    /// the next page's link.
    pub fn query_prefix(&self) -> String {
        [("account", &self.account), ("action", &self.action), ("ip", &self.ip), ("from", &self.from), ("to", &self.to)]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}&", utf8_percent_encode(v, NON_ALPHANUMERIC)))
            .collect()
    }
}

/// `GET /admin/logs`: filter form, entries newest first, "older" link.
pub fn logs(
    c: &Chrome,
    f: &LogForm,
    log: &[LogRow],
    known: &Targets,
    next: Option<String>,
    error: Option<&str>,
) -> Markup {
    layout(
        c,
        c.t(M::LogsTitle),
        html! {
            (admin_nav(c))
            form.filter method="get" action="/admin/logs" {
                label { (c.t(M::LogAccount)) input type="text" name="account" value=(f.account); }
                label { (c.t(M::LogAction)) input type="text" name="action" value=(f.action) placeholder="post.*"; }
                label { (c.t(M::LogIp)) input type="text" name="ip" value=(f.ip); }
                label { (c.t(M::LogFrom)) input type="date" name="from" value=(f.from); }
                label { (c.t(M::LogTo)) input type="date" name="to" value=(f.to); }
                button type="submit" { (c.t(M::LogFilterButton)) }
            }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            @if log.is_empty() && error.is_none() { p.empty { (c.t(M::LogNoEntries)) } }
            @if !log.is_empty() { (log_table(c, log, known)) }
            @if let Some(href) = next { nav.pager { a rel="next" href=(href) { (c.t(M::OlderEntries)) } } }
        },
    )
}

/// `GET /admin/settings`.
pub fn settings(c: &Chrome, s: &SiteSettings, a: &Agreement, saved: bool) -> Markup {
    let field = |name: &str, label: M, value: &str| {
        html! { label { (c.t(label)) input type="text" name=(name) value=(value); } }
    };
    layout(
        c,
        c.t(M::AdminSettingsTitle),
        html! {
            (admin_nav(c))
            form.card method="post" action="/admin/settings" {
                (csrf_field(c.csrf))
                @if saved { p.notice role="status" { (c.t(M::Saved)) } }
                (field("site_name", M::SiteName, &s.site_name))
                (field("icp_filing", M::IcpFiling, &s.icp_filing))
                (field("psb_filing", M::PsbFiling, &s.psb_filing))
                (field("news_licence", M::NewsLicence, &s.news_licence))
                (field("footer_note", M::FooterNote, &s.footer_note))
                p.meta { (c.f(M::CurrentVersion, &[&a.version])) }
                label { (c.t(M::AgreementText)) textarea name="agreement_text" rows="12" { (a.agreement_text) } }
                label { (c.t(M::RulesText)) textarea name="rules_text" rows="8" { (a.rules_text) } }
                label.check { input type="checkbox" name="new_version" value="1"; " " (c.t(M::PublishNewVersion)) }
                button type="submit" { (c.t(M::Save)) }
            }
        },
    )
}
