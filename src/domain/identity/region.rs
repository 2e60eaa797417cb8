//! GB/T 2260 province-level region codes: the province named by the
//! first digits of an ID number or a credit code's region (R10.2).

/// Province-level name for the first two digits of a GB/T 2260 region code.
/// 83 is the code used on residence permits of Taiwan residents.
pub(super) fn province_name(two_digits: &str) -> Option<&'static str> {
    Some(match two_digits {
        "11" => "北京市",
        "12" => "天津市",
        "13" => "河北省",
        "14" => "山西省",
        "15" => "内蒙古自治区",
        "21" => "辽宁省",
        "22" => "吉林省",
        "23" => "黑龙江省",
        "31" => "上海市",
        "32" => "江苏省",
        "33" => "浙江省",
        "34" => "安徽省",
        "35" => "福建省",
        "36" => "江西省",
        "37" => "山东省",
        "41" => "河南省",
        "42" => "湖北省",
        "43" => "湖南省",
        "44" => "广东省",
        "45" => "广西壮族自治区",
        "46" => "海南省",
        "50" => "重庆市",
        "51" => "四川省",
        "52" => "贵州省",
        "53" => "云南省",
        "54" => "西藏自治区",
        "61" => "陕西省",
        "62" => "甘肃省",
        "63" => "青海省",
        "64" => "宁夏回族自治区",
        "65" => "新疆维吾尔自治区",
        "71" | "83" => "台湾省",
        "81" => "香港特别行政区",
        "82" => "澳门特别行政区",
        _ => return None,
    })
}

/// Province-level name of a kind of number's normalised value, for the
/// filing export of values already stored (R10.2).
pub fn province_of(kind: &str, value: &str) -> Option<&'static str> {
    match kind {
        "id_number" => value.get(..2).and_then(province_name),
        "credit_code" => value.get(2..4).and_then(province_name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // R10.2: the province of a stored value.
    #[test]
    fn provinces_of_stored_values() {
        assert_eq!(province_of("credit_code", "91440305GG0UEQ5K5C"), Some("广东省"));
        assert_eq!(province_of("id_number", "650102195604082468"), Some("新疆维吾尔自治区"));
        assert_eq!(province_of("credit_code", "11100000GG0UEQ5K5X"), None, "national-level registration");
        assert_eq!(province_of("org_code", "123456788"), None);
    }
}
