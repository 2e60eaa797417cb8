//! The security-assessment page (R13.1).

use super::admin::admin_nav;
use super::components::csrf_field;
use super::{layout, Chrome};
use crate::db::features::Assessment;
use crate::domain::features::Feature;
use crate::i18n::M;
use maud::{html, Markup};

fn name(f: Feature) -> M {
    match f {
        Feature::Reposts => M::FeatureReposts,
        Feature::Trending => M::FeatureTrending,
        Feature::Polls => M::FeaturePolls,
        Feature::Live => M::FeatureLive,
    }
}

/// `GET /admin/features`: each feature with its switch and assessment count,
/// a form to record an assessment, and every record.
pub fn page(c: &Chrome, rows: &[(Feature, bool, usize)], records: &[Assessment], error: Option<&str>) -> Markup {
    layout(
        c,
        c.t(M::FeaturesTitle),
        html! {
            (admin_nav(c))
            p { (c.t(M::FeaturesIntro)) }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            table.log {
                thead { tr { th { (c.t(M::FeatureName)) } th { (c.t(M::FeatureState)) } th { (c.t(M::FeatureAssessments)) } th {} } }
                tbody {
                    @for (f, on, n) in rows {
                        tr {
                            td { (c.t(name(*f))) }
                            td {
                                @if !f.built() { (c.t(M::FeatureNotBuiltShort)) }
                                @else if *on { strong { (c.t(M::FeatureOn)) } } @else { (c.t(M::FeatureOff)) }
                            }
                            td { (n) }
                            td {
                                @if f.built() && !*on && *n == 0 {
                                    // Never a button that can only fail (R13.1, issue 13).
                                    span.hint.needs-assessment { (c.t(M::FeatureNeedsAssessment)) }
                                } @else if f.built() {
                                    (super::components::flash_for(c, &format!("/admin/features/{}/switch", f.as_str())))
                                    form.inline method="post" action={ "/admin/features/" (f.as_str()) "/switch" } {
                                        (csrf_field(c.csrf))
                                        input type="hidden" name="on" value=(if *on { "0" } else { "1" });
                                        button type="submit" { (c.t(if *on { M::FeatureSwitchOff } else { M::FeatureSwitchOn })) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (c.t(M::FeatureRecord)) }
            @for (f, _, _) in rows.iter().filter(|(f, _, _)| f.built()) {
                form.card method="post" action={ "/admin/features/" (f.as_str()) "/assess" } enctype="multipart/form-data" {
                    (csrf_field(c.csrf))
                    h3 { (c.t(name(*f))) }
                    label { (c.t(M::FeatureAssessedOn)) input type="date" name="assessed_on" required; }
                    label { (c.t(M::FeatureReference)) input type="text" name="reference" required maxlength="100"; }
                    label { (c.t(M::FeatureAssessor)) input type="text" name="assessor" maxlength="100"; }
                    label { (c.t(M::FeatureNote)) textarea name="note" rows="2" maxlength="1000" {} }
                    label { (c.t(M::FeatureReport)) input type="file" name="report" accept="application/pdf,image/jpeg,image/png"; }
                    button type="submit" { (c.t(M::FeatureRecordButton)) }
                }
            }
            h2 { (c.t(M::FeatureRecords)) }
            table.log {
                thead { tr {
                    th { (c.t(M::FeatureName)) } th { (c.t(M::FeatureAssessedOn)) } th { (c.t(M::FeatureReference)) }
                    th { (c.t(M::FeatureAssessor)) } th { (c.t(M::FeatureReport)) } th { (c.t(M::LogTime)) } th { (c.t(M::LogAccount)) }
                } }
                tbody {
                    @for a in records {
                        tr {
                            td { (Feature::parse(&a.feature).map(|f| c.t(name(f))).unwrap_or(&a.feature)) }
                            td { (a.assessed_on) } td { (a.reference) } td { (a.assessor) }
                            td { @if a.file.is_some() { a href={ "/admin/features/reports/" (a.id) } { (c.t(M::FeatureReport)) } } }
                            td { (c.time(a.recorded_at)) }
                            td { (a.recorded_by.as_deref().unwrap_or("cli")) }
                        }
                    }
                }
            }
        },
    )
}
