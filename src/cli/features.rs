//! `plaza feature on|off NAME`: switch a feature with public-opinion or
//! mobilisation attributes (R13.1), recording its security assessment
//! first when one is given; switching on without one on record is refused.

use super::DataDir;
use crate::config::Config;
use crate::db::features as fdb;
use crate::domain::features::{self, Feature, SwitchError};
use crate::error::{Error, Result};

/// What `plaza feature on` records with the switch.
#[derive(Debug, Clone, Default)]
pub struct AssessmentArgs {
    /// `YYYY-MM-DD`.
    pub assessed_on: Option<String>,
    pub reference: Option<String>,
    pub assessor: Option<String>,
}

/// Switch `name` on (recording the assessment in `a` if given) or off.
///
/// # Errors
/// `Error::Config` for an unknown feature, a bad date, or switching on a
/// feature that is not built or has no assessment on record.
pub fn feature_switch(cfg: &Config, name: &str, on: bool, a: &AssessmentArgs) -> Result<String> {
    let f = Feature::parse(name).ok_or_else(|| {
        let known: Vec<&str> = Feature::ALL.iter().map(|f| f.as_str()).collect();
        Error::Config(format!("unknown feature {name:?}: one of {}", known.join(", ")))
    })?;
    let dir = DataDir::open(&cfg.data_dir)?;
    let now = crate::clock::now();
    let today = crate::domain::dates::today(now, &cfg.zone);
    let record = match (&a.assessed_on, &a.reference) {
        (Some(d), Some(r)) if features::check_date(d, today) && !r.trim().is_empty() => Some((d.trim(), r.trim())),
        (None, None) => None,
        _ => {
            return Err(Error::Config(
                "--assessed-on YYYY-MM-DD (not in the future) and --reference go together".into(),
            ))
        }
    };
    dir.write(now, |tx| {
        if let Some((date, reference)) = record {
            let new = fdb::NewAssessment {
                feature: f,
                assessed_on: date,
                reference,
                assessor: a.assessor.as_deref().unwrap_or(""),
                note: "",
                file: None,
                by: None,
                now,
            };
            let id = fdb::add_assessment(tx, &new)?;
            dir.log(
                tx,
                now,
                "feature",
                "feature.assess",
                &format!("feature:{}", f.as_str()),
                &format!("assessment:{id}"),
            )?;
        }
        if on {
            features::may_switch_on(f, fdb::assessment_count(tx, f)?).map_err(|e| {
                Error::Config(match e {
                    SwitchError::NotBuilt => format!("{}: not in this version of Plaza", f.as_str()),
                    SwitchError::NoAssessment => format!(
                        "{}: no security assessment on record (R13.1): give --assessed-on and --reference",
                        f.as_str()
                    ),
                })
            })?;
        }
        fdb::set_enabled(tx, f, on, None, now)?;
        dir.log(
            tx,
            now,
            "feature",
            if on { "feature.on" } else { "feature.off" },
            &format!("feature:{}", f.as_str()),
            "ok",
        )
    })?;
    Ok(format!("{} is {}", f.as_str(), if on { "on" } else { "off" }))
}
