//! The one date parser of govscore: publication dates as Chinese government pages write
//! them — `2018-12-25`, `2018年12月25日`, `2018/12/25`, `2018.12.25`, with or without a time,
//! in full-width digits, inside `[ ]` or `（ ）` on list pages.
//!
//! A date must stand alone: digits glued to it (`12018-12-25`, `2018-12-2510`), a run of
//! digits without separators (`20181225`), year ranges (`2005-2018`) and impossible dates
//! (`2018-02-30`) are not dates. Mixed separators (`2018-12/25`) are not either.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([0-9]{4})(?:([-/.])([0-9]{1,2})([-/.])([0-9]{1,2})|\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日)",
    )
    .expect("static regex")
});

/// Years a publication date on a government site can have; outside them a match is a
/// version number or an identifier, not a date.
const YEARS: std::ops::RangeInclusive<i32> = 1980..=2100;

/// Full-width digits and separators as their ASCII forms, so one pattern reads both.
fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' | '—' => '-',
            '／' => '/',
            '．' => '.',
            '　' => ' ',
            _ => c,
        })
        .collect()
}

/// Every date in `text`, in order of appearance.
pub fn find_dates(text: &str) -> Vec<NaiveDate> {
    let text = normalize(text);
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for caps in DATE.captures_iter(&text) {
        let whole = caps.get(0).expect("group 0");
        let glued_before = whole.start() > 0 && bytes[whole.start() - 1].is_ascii_digit();
        let glued_after = bytes.get(whole.end()).is_some_and(u8::is_ascii_digit);
        if glued_before || glued_after {
            continue;
        }
        let num = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (month, day) = match (caps.get(2), caps.get(4)) {
            (Some(a), Some(b)) if a.as_str() == b.as_str() => (num(3), num(5)),
            (Some(_), Some(_)) => continue,
            _ => (num(6), num(7)),
        };
        let Ok(year) = caps[1].parse::<i32>() else {
            continue;
        };
        if !YEARS.contains(&year) {
            continue;
        }
        if let (Some(m), Some(d)) = (month, day)
            && let Some(date) = NaiveDate::from_ymd_opt(year, m, d)
        {
            out.push(date);
        }
    }
    out
}

/// The first date in `text`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    find_dates(text).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_every_written_form() {
        for text in [
            "2018-12-25",
            "2018-12-25 10:30",
            "2018-12-25 10:30:05",
            "2018年12月25日",
            "2018 年 12 月 25 日 星期二",
            "2018/12/25",
            "2018.12.25",
            "[2018-12-25]",
            "（2018-12-25）",
            "发布时间：2018年12月25日 09:00",
            "２０１８－１２－２５",
            "２０１８年１２月２５日",
            "<span>2018-12-25</span>",
        ] {
            assert_eq!(parse_date(text), Some(d(2018, 12, 25)), "{text}");
        }
        assert_eq!(parse_date("2019-1-5"), Some(d(2019, 1, 5)));
        assert_eq!(parse_date("2019年1月5日"), Some(d(2019, 1, 5)));
    }

    #[test]
    fn rejects_impossible_and_glued_dates() {
        for text in [
            "12018-12-25",
            "2018-12-2510",
            "20181225",
            "2005-2018",
            "2018-02-30",
            "2018-13-01",
            "2018-00-10",
            "2018-12/25",
            "2018年13月1日",
            "0999-01-01",
            "9999.12.31",
            "v1.2.3",
            "",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(parse_date("2020-02-29"), Some(d(2020, 2, 29)));
        assert_eq!(parse_date("2019-02-29"), None);
    }

    #[test]
    fn finds_all_dates_of_a_list_page() {
        let list = "<li><a>通知一</a><span>[2018-12-25]</span></li><li><a>通知二</a> 2018-11-02</li>\
                    <li>编号 20181225 不是日期</li><li>（2018年10月1日）</li>";
        assert_eq!(
            find_dates(list),
            [d(2018, 12, 25), d(2018, 11, 2), d(2018, 10, 1)]
        );
    }
}
