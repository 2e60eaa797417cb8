//! The admin panel: dashboard with the recent activity log, and site
//! settings with licence numbers (R4.1) and the agreement (R6.1).

use super::components::csrf_field;
use super::{layout, Chrome};
use crate::db::log::LogRow;
use crate::db::settings::{Agreement, SiteSettings};
use crate::i18n::M;
use maud::{html, Markup};

/// `GET /admin`.
pub fn dashboard(c: &Chrome, log: &[LogRow]) -> Markup {
    layout(
        c,
        c.t(M::AdminTitle),
        html! {
            nav.admin { a href="/admin/settings" { (c.t(M::AdminSettingsTitle)) } }
            h2 { (c.t(M::RecentLog)) }
            table.log {
                thead { tr {
                    th { (c.t(M::LogTime)) } th { (c.t(M::LogAccount)) } th { (c.t(M::LogSource)) }
                    th { (c.t(M::LogAction)) } th { (c.t(M::LogTarget)) } th { (c.t(M::LogOutcome)) }
                } }
                tbody {
                    @for r in log {
                        tr {
                            td { (c.time(r.at)) } td { (r.username.as_deref().unwrap_or("-")) }
                            td { (r.ip) ":" (r.port) } td { (r.action) } td { (r.target) } td { (r.outcome) }
                        }
                    }
                }
            }
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
