//! A session's device in words (issue 15): the kind of device, browser and
//! operating system read from a user agent by the `woothee` parser, so
//! `/settings/sessions` says "phone · Chrome · Android" rather than a raw
//! header.

/// The kind of device a user agent says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A desktop or laptop computer.
    Computer,
    /// A smartphone or tablet.
    Phone,
    /// A feature phone.
    MobilePhone,
    /// A games console, TV or other appliance.
    Appliance,
    /// A crawler or a program (curl, a script).
    Program,
    /// Not recognised.
    Unknown,
}

/// What a user agent says about the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub kind: Kind,
    /// Browser name (`Chrome`, `Safari`...), if recognised.
    pub browser: Option<String>,
    /// Operating system (`Windows 10`, `Android`, `iPhone`...), if recognised.
    pub os: Option<String>,
}

/// Read a user agent (any string; empty or unknown gives [`Kind::Unknown`]).
pub fn parse(user_agent: &str) -> Device {
    let known = |s: &str| (!s.is_empty() && s != "UNKNOWN").then(|| s.to_string());
    match woothee::parser::Parser::new().parse(user_agent) {
        Some(r) => Device {
            kind: match r.category {
                "pc" => Kind::Computer,
                "smartphone" => Kind::Phone,
                "mobilephone" => Kind::MobilePhone,
                "appliance" => Kind::Appliance,
                "crawler" | "misc" => Kind::Program,
                _ => Kind::Unknown,
            },
            browser: known(r.name),
            os: known(r.os),
        },
        None => Device { kind: Kind::Unknown, browser: None, os: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_devices() {
        let d = parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        assert_eq!(d.kind, Kind::Computer);
        assert_eq!(d.browser.as_deref(), Some("Chrome"));
        assert!(d.os.as_deref().unwrap().starts_with("Windows"), "{d:?}");
        let d = parse("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1");
        assert_eq!(d.kind, Kind::Phone);
        assert_eq!(parse("").kind, Kind::Unknown);
        assert_eq!(parse("<script>").browser, None);
    }
}
