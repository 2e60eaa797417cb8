//! The admin panel: dashboard with the recent activity log, the filtered
//! log (R16.3), and site settings with licence numbers (R4.1) and the
//! agreement (R6.1).

use super::components::{csrf_field, linked};
use super::{layout, Chrome};
use crate::db::dashboard::DayCount;
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
            @if c.opens(href) {
                a href=(href) aria-current=[(c.url == href).then_some("page")] { (c.t(title)) (inbox_badges(c, href)) }
            }
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
        "account.lift" => M::ActAccountLift,
        "account.mute" => M::ActAccountMute,
        "account.sanction_end" => M::ActAccountSanctionEnd,
        "account.suspend" => M::ActAccountSuspend,
        "access.denied" => M::ActAccessDenied,
        "agreement.accept" => M::ActAgreementAccept,
        "agreement.publish" => M::ActAgreementPublish,
        "comment.create" => M::ActCommentCreate,
        "comment.delete" => M::ActCommentDelete,
        "comment.hide" => M::ActCommentHide,
        "comment.like" => M::ActCommentLike,
        "comment.unlike" => M::ActCommentUnlike,
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
        "post.bookmark" => M::ActPostBookmark,
        "post.bulk_remove" => M::ActPostBulkRemove,
        "post.comment_mode" => M::ActPostCommentMode,
        "post.create" => M::ActPostCreate,
        "post.delete" => M::ActPostDelete,
        "post.edit" => M::ActPostEdit,
        "post.like" => M::ActPostLike,
        "post.pin" => M::ActPostPin,
        "post.remove" => M::ActPostRemove,
        "post.repost" => M::ActPostRepost,
        "post.restore" => M::ActPostRestore,
        "post.unbookmark" => M::ActPostUnbookmark,
        "post.unlike" => M::ActPostUnlike,
        "post.unpin" => M::ActPostUnpin,
        "review.approve" => M::ActReviewApprove,
        "review.dismiss" => M::ActReviewDismiss,
        "review.reject" => M::ActReviewReject,
        "role.grant" => M::ActRoleGrant,
        "role.revoke" => M::ActRoleRevoke,
        "rumour.confirm" => M::ActRumourConfirm,
        "rumour.decline" => M::ActRumourDecline,
        "rumour.propose" => M::ActRumourPropose,
        "rumour.withdraw" => M::ActRumourWithdraw,
        "search" => M::ActSearch,
        "search.rebuild" => M::ActSearchRebuild,
        "setting.change" => M::ActSettingChange,
        "trending.hide" => M::ActTrendingHide,
        "tier.add" => M::ActTierAdd,
        "tier.delete" => M::ActTierDelete,
        "user.avatar_update" => M::ActUserAvatarUpdate,
        "user.block" => M::ActUserBlock,
        "user.close" => M::ActUserClose,
        "user.create" => M::ActUserCreate,
        "user.follow" => M::ActUserFollow,
        "user.import" => M::ActUserImport,
        "user.login" => M::ActUserLogin,
        "user.mute" => M::ActUserMute,
        "user.mute_word" => M::ActUserMuteWord,
        "user.login_failed" => M::ActUserLoginFailed,
        "user.logout" => M::ActUserLogout,
        "user.password_change" => M::ActUserPasswordChange,
        "user.password_set" => M::ActUserPasswordSet,
        "user.profile_update" => M::ActUserProfileUpdate,
        "user.signup" => M::ActUserSignup,
        "user.unblock" => M::ActUserUnblock,
        "user.unfollow" => M::ActUserUnfollow,
        "user.unmute" => M::ActUserUnmute,
        "user.unmute_word" => M::ActUserUnmuteWord,
        "verification.apply" => M::ActVerificationApply,
        "verification.approve" => M::ActVerificationApprove,
        "verification.proof_view" => M::ActVerificationProofView,
        "verification.reject" => M::ActVerificationReject,
        "verification.revoke" => M::ActVerificationRevoke,
        _ => return None,
    })
}

/// Partial: the staff inbox count for the nav link `href` (issue 13):
/// held items on the review queue, complaints due within 24 hours and
/// overdue, appeals, identities and badge applications waiting. Each count
/// carries its meaning in words (`title` and, for overdue, the text), so
/// it reads without colour; nothing when nothing waits.
pub fn inbox_badges(c: &Chrome, href: &str) -> Markup {
    let Some(i) = c.inbox else { return html! {} };
    let one = |n: i64, what: M| {
        html! { @if n > 0 { " " span.badge.inbox title=(c.f(what, &[&n])) aria-label=(c.f(what, &[&n])) { (n) } } }
    };
    match href {
        "/admin/review" => one(i.held, M::InboxHeld),
        "/admin/complaints" => html! {
            (one(i.complaints_due_soon, M::InboxDueSoon))
            @if i.complaints_overdue > 0 {
                " " span.badge.inbox.overdue title=(c.f(M::InboxOverdue, &[&i.complaints_overdue])) {
                    (c.f(M::InboxOverdueShort, &[&i.complaints_overdue]))
                }
            }
        },
        "/admin/appeals" => one(i.appeals, M::InboxAppeals),
        "/admin/identities" => one(i.identities_waiting, M::InboxIdentities),
        "/admin/verifications" => one(i.badge_applications, M::InboxBadges),
        _ => html! {},
    }
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

/// The first-day checklist's items (issue 13), each true when done, as
/// the database says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checklist {
    /// Site name, ICP and public security filing numbers set (R4.1).
    pub site_named: bool,
    /// The viewer's own identity verified (R7.1).
    pub identity_bound: bool,
    /// A security assessment for reposts on record (R13.1).
    pub reposts_assessed: bool,
    /// Another account exists: staff added or members imported (R6.5).
    pub others_added: bool,
}

impl Checklist {
    /// Every item done: the list is no longer shown.
    pub fn done(&self) -> bool {
        self.site_named && self.identity_bound && self.reposts_assessed && self.others_added
    }
}

/// The dashboard's figures: counts by local day (oldest first, 30 days),
/// held items by age ([`crate::db::dashboard::QUEUE_AGE_BOUNDS`]), members (total, new in
/// the charted days).
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub posts: Vec<DayCount>,
    pub comments: Vec<DayCount>,
    pub complaints_opened: Vec<DayCount>,
    pub complaints_closed: Vec<DayCount>,
    pub complaints_overdue: Vec<DayCount>,
    pub new_members: Vec<DayCount>,
    pub queue_ages: [i64; 5],
    pub members: (i64, i64),
}

/// Partial: the first-day checklist: each step says in words whether it is
/// done and links to where it is done.
fn checklist(c: &Chrome, l: &Checklist) -> Markup {
    let items = [
        (l.site_named, M::ChecklistSite, "/admin/settings"),
        (l.identity_bound, M::ChecklistIdentity, "/settings/identity"),
        (l.reposts_assessed, M::ChecklistAssessment, "/admin/features"),
        (l.others_added, M::ChecklistPeople, "/admin/users"),
    ];
    html! {
        section.card.checklist aria-labelledby="checklist-title" {
            h2 #checklist-title { (c.t(M::ChecklistTitle)) }
            p.hint { (c.t(M::ChecklistIntro)) }
            ol {
                @for (done, what, href) in items {
                    li.done[done] {
                        span.mark aria-hidden="true" { (if done { "✓" } else { "○" }) } " "
                        a href=(href) { (c.t(what)) } " "
                        span.state { "(" (c.t(if done { M::ChecklistDone } else { M::ChecklistTodo })) ")" }
                    }
                }
            }
        }
    }
}

/// Partial: a bar chart as inline SVG (no script): one bar per entry of
/// `bars` (label, count), scaled to the largest, each bar with a `<title>`
/// giving its label and count, the chart with a title and a summary in
/// words, and the first and last labels under the axis. `class` names the
/// chart for styles and tests.
fn bar_chart(c: &Chrome, class: &str, title: &str, bars: &[(String, i64)]) -> Markup {
    const W: f64 = 320.0;
    const H: f64 = 120.0;
    const LEFT: f64 = 24.0;
    const BOTTOM: f64 = 18.0;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let total: i64 = bars.iter().map(|b| b.1).sum();
    let step = (W - LEFT) / bars.len().max(1) as f64;
    let bar_w = (step * 0.75).max(1.0);
    let plot_h = H - BOTTOM - 8.0;
    let summary = c.f(M::ChartSummary, &[&total, &bars.iter().map(|b| b.1).max().unwrap_or(0)]);
    let id = format!("chart-{class}");
    html! {
        figure.chart.(class) {
            figcaption #(id) { strong { (title) } " · " (summary) }
            svg.bars viewBox={ "0 0 " (W) " " (H) } width="100%" role="img" aria-labelledby=(id) preserveAspectRatio="xMinYMin meet" {
                title { (title) ": " (summary) }
                line.axis x1=(LEFT) y1=(H - BOTTOM) x2=(W) y2=(H - BOTTOM) {}
                text.tick x=(LEFT - 4.0) y="14" text-anchor="end" { (max) }
                text.tick x=(LEFT - 4.0) y=(H - BOTTOM) text-anchor="end" { "0" }
                @for (i, (label, n)) in bars.iter().enumerate() {
                    @let h = plot_h * (*n as f64) / (max as f64);
                    @let x = LEFT + step * i as f64 + (step - bar_w) / 2.0;
                    rect.bar x=(format!("{x:.1}")) y=(format!("{:.1}", H - BOTTOM - h)) width=(format!("{bar_w:.1}")) height=(format!("{h:.1}")) {
                        title { (label) ": " (n) }
                    }
                }
                @if let (Some(first), Some(last)) = (bars.first(), bars.last()) {
                    text.tick x=(LEFT) y=(H - 4.0) text-anchor="start" { (first.0) }
                    text.tick x=(W) y=(H - 4.0) text-anchor="end" { (last.0) }
                }
            }
        }
    }
}

/// Per-day counts as chart bars labelled with their local date (`MM-DD`).
fn day_bars(days: &[DayCount]) -> Vec<(String, i64)> {
    days.iter()
        .map(|(day, n)| {
            (
                crate::domain::dates::format_day(day * 86_400, &crate::domain::dates::Zone::utc())
                    .chars()
                    .skip(5)
                    .collect(),
                *n,
            )
        })
        .collect()
}

/// Partial: the waiting work, each count a link to where it is done.
fn inbox_summary(c: &Chrome) -> Markup {
    let Some(i) = c.inbox else { return html! {} };
    let items = [
        ("/admin/review", M::InboxHeld, i.held),
        ("/admin/complaints", M::InboxDueSoon, i.complaints_due_soon),
        ("/admin/complaints", M::InboxOverdue, i.complaints_overdue),
        ("/admin/identities", M::InboxIdentities, i.identities_waiting),
        ("/admin/appeals", M::InboxAppeals, i.appeals),
        ("/admin/verifications", M::InboxBadges, i.badge_applications),
    ];
    html! {
        section.inbox-summary aria-label=(c.t(M::InboxTitle)) {
            h2 { (c.t(M::InboxTitle)) }
            ul.counts {
                @for (href, what, n) in items {
                    @if c.opens(href) { li.overdue[what == M::InboxOverdue && n > 0] { a href=(href) { (c.f(what, &[&n])) } } }
                }
            }
        }
    }
}

/// `GET /admin`: the first-day checklist (admins, until done), the waiting
/// work, the review workload (R6.6), charts at a glance, and for admins the
/// replication lag (issue 14) and the newest log entries.
pub fn dashboard(
    c: &Chrome,
    work: &crate::db::moderation::Workload,
    fig: &Figures,
    list: Option<&Checklist>,
    log: &[LogRow],
    known: &Targets,
    replication: Option<&(Option<crate::replication::State>, u64)>,
) -> Markup {
    let ages: Vec<(String, i64)> =
        [M::AgeUnderHour, M::AgeHoursOneSix, M::AgeHoursSixDay, M::AgeDaysOneThree, M::AgeOlder]
            .iter()
            .zip(fig.queue_ages)
            .map(|(m, n)| (c.t(*m).to_string(), n))
            .collect();
    layout(
        c,
        c.t(M::AdminTitle),
        html! {
            (admin_nav(c))
            @if let Some(l) = list { (checklist(c, l)) }
            (inbox_summary(c))
            (super::moderation::workload(c, work))
            @if let Some((state, threshold)) = replication { (replication_status(c, state.as_ref(), *threshold)) }
            section.charts aria-label=(c.t(M::ChartsTitle)) {
                h2 { (c.t(M::ChartsTitle)) }
                p.hint { (c.f(M::ChartsHint, &[&c.zone.name()])) }
                p.members { (c.f(M::MembersFigure, &[&fig.members.0, &fig.members.1])) }
                (bar_chart(c, "posts", c.t(M::ChartPosts), &day_bars(&fig.posts)))
                (bar_chart(c, "comments", c.t(M::ChartComments), &day_bars(&fig.comments)))
                (bar_chart(c, "complaints-opened", c.t(M::ChartComplaintsOpened), &day_bars(&fig.complaints_opened)))
                (bar_chart(c, "complaints-closed", c.t(M::ChartComplaintsClosed), &day_bars(&fig.complaints_closed)))
                (bar_chart(c, "complaints-overdue", c.t(M::ChartComplaintsOverdue), &day_bars(&fig.complaints_overdue)))
                (bar_chart(c, "members", c.t(M::ChartMembers), &day_bars(&fig.new_members)))
                (bar_chart(c, "queue-age", c.t(M::ChartQueueAge), &ages))
            }
            // The newest entries, folded: the dashboard reads at a glance,
            // the log's technical fields on demand (and in /admin/logs).
            @if !log.is_empty() {
                details.recent-log {
                    summary { (c.t(M::RecentLog)) }
                    (log_table(c, log, known))
                }
            }
        },
    )
}

/// Partial: the replication lag on the dashboard (issue 14), for admins.
fn replication_status(c: &Chrome, state: Option<&crate::replication::State>, threshold: u64) -> Markup {
    html! {
        section.replication {
            h2 { (c.t(M::ReplicationTitle)) }
            @match state {
                None => p.error { (c.t(M::ReplicationOff)) },
                Some(s) => {
                    @let alarming = crate::replication::Replication::alarming(s, threshold);
                    dl {
                        dt { (c.t(M::ReplicationTarget)) } dd { code { (s.target) } }
                        dt { (c.t(M::ReplicationLag)) }
                        dd.lag {
                            @match &s.lag {
                                Some(l) => (c.f(M::ReplicationSeconds, &[&l.seconds])),
                                None => (c.t(M::ReplicationUnknown)),
                            }
                        }
                        dt { (c.t(M::ReplicationLastSync)) }
                        dd {
                            @match s.lag.as_ref().and_then(|l| l.last_sync) {
                                Some(t) => (c.time(t)),
                                None => (c.t(M::ReplicationUnknown)),
                            }
                        }
                        dt { (c.t(M::ReplicationFilesCopied)) } dd { (s.files_copied) }
                    }
                    @if !alarming { p { (c.t(M::ReplicationOk)) } }
                    @else if s.problem.is_some() || s.lag.is_none() { p.error role="alert" { (c.t(M::ReplicationDownAlert)) } }
                    @else { p.error role="alert" { (c.f(M::ReplicationLagAlert, &[&s.lag.as_ref().map_or(0, |l| l.seconds), &threshold])) } }
                }
            }
        }
    }
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
