//! `plaza user add` and `plaza user import`: accounts an organisation makes
//! for its members, with the identity verified by the organisation itself
//! (recorded as `organisation`, R7.1) and optional staff roles (R6.5).
//! Both work while the server runs, and running them again changes
//! nothing: an account that exists with the same identity is left as it is.

use super::DataDir;
use crate::config::Config;
use crate::crypto;
use crate::db::{identity as idb, onboarding, users};
use crate::domain::account::{self, Role};
use crate::domain::identity::{self as rules, Binding, Field};
use crate::error::{Error, Result};
use crate::seal;
use rusqlite::Transaction;
use std::collections::HashSet;
use std::path::Path;

/// Days a password-set link printed by `plaza user import` stays valid.
pub const LINK_DAYS: i64 = 14;

/// One account to make.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub username: String,
    pub display_name: String,
    pub binding: Binding,
    pub roles: Vec<Role>,
}

/// What became of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    /// Created, with this id.
    Created(i64),
    /// It exists already with the same identity: nothing was changed.
    Unchanged,
}

/// The arguments of `plaza user add`.
#[derive(Debug, Clone)]
pub struct AddArgs {
    pub username: String,
    pub display_name: Option<String>,
    pub legal_name: String,
    pub mobile: String,
    pub id_number: Option<String>,
    pub credit_code: Option<String>,
    pub subject_type: Option<String>,
    pub roles: Vec<String>,
}

fn field_name(f: Field) -> &'static str {
    match f {
        Field::SubjectType => "subject_type",
        Field::LegalName => "legal_name",
        Field::Number => "id_number / credit_code",
        Field::Mobile => "mobile",
    }
}

/// Check the fields of one account; the reason in English when refused.
#[allow(clippy::too_many_arguments)]
fn check_member(
    username: &str,
    display_name: &str,
    legal_name: &str,
    mobile: &str,
    id_number: &str,
    credit_code: &str,
    subject_type: &str,
    roles: &str,
    today: (i32, u8, u8),
) -> std::result::Result<NewMember, String> {
    account::check_username(username).map_err(|e| match e {
        account::AccountError::UsernameLength => "username: must be 3-30 characters".to_string(),
        _ => "username: only letters, digits and underscores".to_string(),
    })?;
    if display_name.chars().count() > 30 {
        return Err("display_name: at most 30 characters".into());
    }
    let (number, default_type) = match (id_number.trim(), credit_code.trim()) {
        ("", "") => return Err("id_number or credit_code: one of them is needed".into()),
        (id, "") => (id, "individual"),
        ("", cc) => (cc, "organisation"),
        _ => return Err("id_number and credit_code: give only one".into()),
    };
    let subject = if subject_type.trim().is_empty() { default_type } else { subject_type.trim() };
    if !id_number.trim().is_empty() && subject != "individual" {
        return Err(format!("subject_type: {subject} binds a credit_code, not an id_number"));
    }
    if !credit_code.trim().is_empty() && subject == "individual" {
        return Err("subject_type: an individual binds an id_number, not a credit_code".into());
    }
    let binding =
        rules::parse_binding(subject, legal_name, number, mobile, today, false).map_err(|(f, e)| match e {
            Some(e) => format!("{}: {e}", field_name(f)),
            None => {
                format!("subject_type: {subject:?} is not individual, organisation, government, media or foreign_org")
            }
        })?;
    let mut parsed = Vec::new();
    // `member` is DESIGN.md's plain role, which every account holds: it
    // adds no staff role (issue 13: such rows were refused).
    for r in roles.split([';', ',', '|']).map(str::trim).filter(|r| !r.is_empty() && *r != "member") {
        let role =
            Role::parse(r).ok_or_else(|| format!("role: {r:?} is not member, reviewer, chief_editor or admin"))?;
        if !parsed.contains(&role) {
            parsed.push(role);
        }
    }
    Ok(NewMember {
        username: username.to_string(),
        display_name: display_name.trim().to_string(),
        binding,
        roles: parsed,
    })
}

/// Make one account inside `tx` (or find it unchanged), logging each step
/// for the operator's `command`. `password_hash` is a bcrypt hash, or
/// [`onboarding::NO_PASSWORD`] for an account whose member sets it by link.
///
/// # Errors
/// `Err(Ok(reason))` when the row is refused (username taken by another
/// identity, ID number already backing an account); `Err(Err(e))` on a
/// database failure.
fn make(
    dir: &DataDir,
    cfg: &Config,
    tx: &Transaction,
    m: &NewMember,
    password_hash: &str,
    command: &str,
    now: i64,
) -> std::result::Result<Made, std::result::Result<String, Error>> {
    let b = &m.binding;
    let number_mac = seal::mac(&dir.keys, b.number.kind(), b.number.as_str());
    if let Some(existing) = users::by_username(tx, &m.username).map_err(Err)? {
        return match idb::number_mac(tx, existing.id).map_err(Err)? {
            Some(mac) if mac == number_mac => Ok(Made::Unchanged),
            _ => Err(Ok(format!("username: {} is taken by another account", m.username))),
        };
    }
    if seal::number_taken(tx, &dir.keys, cfg, 0, b).map_err(Err)? {
        return Err(Ok("id_number: already backs another account".into()));
    }
    let id = users::create(tx, &users::NewUser { username: &m.username, password_hash, agreement_version: 0, now })
        .map_err(|e| match e {
            Error::Conflict(_) => Ok(format!("username: {} is taken", m.username)),
            e => Err(e),
        })?;
    let next = crate::domain::identity::next_check(now, cfg.identity_recheck_days);
    let steps = || -> Result<()> {
        onboarding::clear_agreement(tx, id)?;
        users::update_profile(tx, id, &m.display_name, "")?;
        seal::store_binding(tx, &dir.keys, id, b, now)?;
        idb::verify(tx, id, "organisation", None, now, next)?;
        let target = format!("user:{id}");
        dir.log(tx, now, command, "user.create", &target, "ok")?;
        dir.log(tx, now, command, "identity.verify", &target, "ok organisation")?;
        for r in &m.roles {
            users::grant_role(tx, id, *r, now)?;
            dir.log(tx, now, command, "role.grant", &target, r.as_str())?;
        }
        Ok(())
    };
    steps().map_err(Err)?;
    Ok(Made::Created(id))
}

/// `plaza user add`: one account with the password read from standard
/// input (the first line), identity verified by the organisation, roles.
///
/// # Errors
/// `Error::Config` naming the bad field, a taken username, or an ID number
/// already in use; `Error::Db`.
pub fn user_add(cfg: &Config, a: &AddArgs, password: &str) -> Result<String> {
    let dir = DataDir::open(&cfg.data_dir)?;
    let now = crate::clock::now();
    let today = crate::domain::dates::today(now, &cfg.zone);
    let m = check_member(
        a.username.trim(),
        a.display_name.as_deref().unwrap_or(""),
        &a.legal_name,
        &a.mobile,
        a.id_number.as_deref().unwrap_or(""),
        a.credit_code.as_deref().unwrap_or(""),
        a.subject_type.as_deref().unwrap_or(""),
        &a.roles.join(";"),
        today,
    )
    .map_err(Error::Config)?;
    let password = password.trim_end_matches(['\r', '\n']);
    account::check_password(password).map_err(|e| {
        Error::Config(match e {
            account::AccountError::PasswordTooLong => {
                format!("password: at most {} characters", account::MAX_PASSWORD_CHARS)
            }
            account::AccountError::PasswordTooCommon => {
                "password: one of the most common passwords, easily guessed; choose another".to_string()
            }
            _ => format!("password: at least {} characters (read from standard input)", account::MIN_PASSWORD_CHARS),
        })
    })?;
    let hash = crate::crypto::hash_password(&dir.keys.password_pepper, password, cfg.bcrypt_cost)?;
    let made = dir.write(now, |tx| match make(&dir, cfg, tx, &m, &hash, "user add", now) {
        Ok(made) => Ok(Ok(made)),
        Err(Ok(reason)) => Ok(Err(reason)),
        Err(Err(e)) => Err(e),
    })?;
    match made {
        Ok(Made::Created(id)) => Ok(format!(
            "created {} (user:{id}), identity verified by the organisation{}",
            m.username,
            if m.roles.is_empty() {
                String::new()
            } else {
                format!(", roles {}", m.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "))
            }
        )),
        Ok(Made::Unchanged) => Ok(format!("unchanged {}: it exists with the same identity", m.username)),
        Err(reason) => Err(Error::Config(reason)),
    }
}

/// What `plaza user import` did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Accounts made, each with its one-time password-set link.
    pub created: Vec<(String, String)>,
    /// Usernames that exist with the same identity (a re-run).
    pub unchanged: Vec<String>,
    /// Refused rows: line number in the file and the reason.
    pub bad: Vec<(u64, String)>,
}

impl ImportReport {
    /// What goes to standard output: one line per account, then a summary.
    pub fn stdout(&self) -> String {
        let mut out = String::new();
        for (name, link) in &self.created {
            out.push_str(&format!("created {name}: set the password at {link}\n"));
        }
        for name in &self.unchanged {
            out.push_str(&format!("unchanged {name}\n"));
        }
        out.push_str(&format!(
            "{} created, {} unchanged, {} bad rows (links are valid {LINK_DAYS} days and work once)",
            self.created.len(),
            self.unchanged.len(),
            self.bad.len()
        ));
        out
    }

    /// One line per bad row, for standard error.
    pub fn bad_lines(&self) -> String {
        self.bad.iter().map(|(line, why)| format!("line {line}: {why}")).collect::<Vec<_>>().join("\n")
    }
}

/// The columns of a member file.
const COLUMNS: [&str; 8] =
    ["username", "display_name", "legal_name", "mobile", "id_number", "credit_code", "subject_type", "role"];

/// `plaza user import FILE.csv`: columns `username, display_name,
/// legal_name, mobile, id_number` or `credit_code`, `subject_type`, `role`
/// (header row first, any order; `display_name`, `subject_type` and `role`
/// may be absent; several roles separated by `;`). Good rows are imported
/// in one transaction, each with a password-set link; bad rows are
/// reported with their line number and reason.
///
/// # Errors
/// `Error::Config` when the file cannot be read or has no usable header;
/// `Error::Db`.
pub fn user_import(cfg: &Config, file: &Path) -> Result<ImportReport> {
    let dir = DataDir::open(&cfg.data_dir)?;
    let now = crate::clock::now();
    let today = crate::domain::dates::today(now, &cfg.zone);
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_path(file)
        .map_err(|e| Error::Config(format!("{}: {e}", file.display())))?;
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| Error::Config(format!("{}: header row: {e}", file.display())))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    if let Some(h) = headers.iter().find(|h| !h.is_empty() && !COLUMNS.contains(&h.as_str())) {
        return Err(Error::Config(format!(
            "{}: unknown column {h:?} (columns: {})",
            file.display(),
            COLUMNS.join(", ")
        )));
    }
    for need in ["username", "legal_name", "mobile"] {
        if !headers.iter().any(|h| h == need) {
            return Err(Error::Config(format!("{}: no {need} column", file.display())));
        }
    }
    if !headers.iter().any(|h| h == "id_number" || h == "credit_code") {
        return Err(Error::Config(format!("{}: no id_number or credit_code column", file.display())));
    }
    let mut report = ImportReport::default();
    let mut rows = Vec::new();
    let mut names = HashSet::new();
    let mut numbers = HashSet::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                report.bad.push((line, format!("not readable as CSV: {e}")));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let col = |name: &str| headers.iter().position(|h| h == name).and_then(|i| rec.get(i)).unwrap_or("");
        match check_member(
            col("username"),
            col("display_name"),
            col("legal_name"),
            col("mobile"),
            col("id_number"),
            col("credit_code"),
            col("subject_type"),
            col("role"),
            today,
        ) {
            Ok(m) => {
                if !names.insert(account::username_key(&m.username)) {
                    report.bad.push((line, format!("username: {} appears on an earlier line", m.username)));
                    continue;
                }
                let mac = seal::mac(&dir.keys, m.binding.number.kind(), m.binding.number.as_str());
                if m.binding.subject.is_individual() && cfg.identity_unique && !numbers.insert(mac) {
                    report.bad.push((line, "id_number: appears on an earlier line".into()));
                    continue;
                }
                rows.push((line, m));
            }
            Err(why) => report.bad.push((line, why)),
        }
    }
    let site = cfg.site_url();
    dir.write(now, |tx| {
        for (line, m) in &rows {
            match make(&dir, cfg, tx, m, onboarding::NO_PASSWORD, "user import", now) {
                Ok(Made::Created(id)) => {
                    let token = crypto::random_token();
                    onboarding::add_token(tx, id, &crypto::sha256(token.as_bytes()), now, now + LINK_DAYS * 86_400)?;
                    report.created.push((m.username.clone(), format!("{site}/password/set?token={token}")));
                }
                Ok(Made::Unchanged) => report.unchanged.push(m.username.clone()),
                Err(Ok(why)) => report.bad.push((*line, why)),
                Err(Err(e)) => return Err(e),
            }
        }
        let outcome =
            format!("{} created, {} unchanged, {} bad", report.created.len(), report.unchanged.len(), report.bad.len());
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        dir.log(tx, now, "user import", "user.import", &format!("file:{name}"), &outcome)
    })?;
    report.bad.sort_by_key(|(line, _)| *line);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: (i32, u8, u8) = (2026, 6, 1);

    #[test]
    fn member_rows() {
        let m = check_member(
            "alice",
            "爱丽丝",
            "张三",
            "13800138000",
            "420111196307154048",
            "",
            "",
            "reviewer; admin",
            TODAY,
        )
        .unwrap();
        assert_eq!((m.binding.subject.as_str(), m.roles.len()), ("individual", 2));
        // DESIGN.md's plain `member` role adds no staff role, alone or with others.
        for roles in ["member", "member; reviewer"] {
            let m =
                check_member("carol", "", "张三", "13800138000", "420111196307154048", "", "", roles, TODAY).unwrap();
            assert_eq!(m.roles.len(), usize::from(roles.contains("reviewer")), "{roles}");
        }
        let o =
            check_member("acme", "", "某某公司", "13800138000", "", "91440305GG0UEQ5K5C", "media", "", TODAY).unwrap();
        assert_eq!(o.binding.subject.as_str(), "media");
        let bad = |r: std::result::Result<NewMember, String>| r.unwrap_err();
        assert!(bad(check_member("a", "", "张三", "13800138000", "420111196307154048", "", "", "", TODAY))
            .starts_with("username"));
        assert!(bad(check_member("bob", "", "张三", "13800138000", "", "", "", "", TODAY)).contains("one of them"));
        assert!(bad(check_member("bob", "", "张三", "13800138000", "420111196307154040", "", "", "", TODAY))
            .contains("check character"));
        assert!(bad(check_member("bob", "", "张三", "13800138000", "420111196307154048", "", "", "boss", TODAY))
            .starts_with("role"));
        assert!(bad(check_member("bob", "", "张三", "13800138000", "420111196307154048", "", "media", "", TODAY))
            .starts_with("subject_type"));
    }
}
