//! The admin panel: dashboard with the recent activity log, the filtered
//! log (R16.3), and site settings with licence numbers (R4.1) and the
//! agreement (R6.1).

use super::components::csrf_field;
use super::{layout, Chrome};
use crate::db::log::LogRow;
use crate::db::settings::{Agreement, SiteSettings};
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
    html! {
        nav.admin {
            @for (href, title) in links {
                @if c.opens(href) { a href=(href) { (c.t(title)) } }
            }
            (super::identity::admin_links(c))
        }
    }
}

/// Partial: a table of log entries (time in the site's zone, source IP:port, user agent).
fn log_table(c: &Chrome, log: &[LogRow]) -> Markup {
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
                        td { (r.ip) ":" (r.port) } td { (r.action) } td { (r.target) } td { (r.outcome) }
                        td.ua { (r.user_agent) }
                    }
                }
            }
        }
    }
}

/// `GET /admin`: the review workload (R6.6), and for admins the newest log entries.
pub fn dashboard(
    c: &Chrome,
    work: &crate::db::moderation::Workload,
    log: &[LogRow],
    replication: Option<&(Option<crate::replication::State>, u64)>,
) -> Markup {
    layout(
        c,
        c.t(M::AdminTitle),
        html! {
            (admin_nav(c))
            (super::moderation::workload(c, work))
            @if let Some((state, threshold)) = replication { (replication_status(c, state.as_ref(), *threshold)) }
            @if !log.is_empty() {
                h2 { (c.t(M::RecentLog)) }
                (log_table(c, log))
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
pub fn logs(c: &Chrome, f: &LogForm, log: &[LogRow], next: Option<String>, error: Option<&str>) -> Markup {
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
            @if !log.is_empty() { (log_table(c, log)) }
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
