//! The one date parser of govscore: publication dates as Chinese government pages write
//! them — `2018-12-25`, `2018年12月25日`, `2018/12/25`, `2018.12.25`, with or without a time,
//! in full-width digits, inside `[ ]` or `（ ）` on list pages.
//!
//! [`url_date`] reads the dates content management systems write into article addresses
//! (`/2018-07-27/10366.html`, `/201807/t20180727_123.html`, `/2019/3/20/…`).
//!
//! A date must stand alone: digits glued to it (`12018-12-25`, `2018-12-2510`), a run of
//! digits without separators (`20181225`), year ranges (`2005-2018`) and impossible dates
//! (`2018-02-30`) are not dates. Mixed separators (`2018-12/25`) are not either.

use std::borrow::Cow;
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

/// Full-width digits and separators as their ASCII forms, so one pattern reads both. Most
/// text has none (each is a full-width form, starting with byte 0xEF, or `—` or `　`): it is
/// read as it is, not copied.
fn normalize(text: &str) -> Cow<'_, str> {
    if !text.as_bytes().contains(&0xEF) && !text.contains(['—', '　']) {
        return Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' | '—' => '-',
            '／' => '/',
            '．' => '.',
            '　' => ' ',
            _ => c,
        })
        .collect::<String>()
        .into()
}

/// Every date in `text`, in order of appearance.
pub fn find_dates(text: &str) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    each_date(text, |date| {
        out.push(date);
        true
    });
    out
}

/// Hands each date of `text` to `take`, in order, while it asks for more (returns true).
fn each_date(text: &str, mut take: impl FnMut(NaiveDate) -> bool) {
    if !may_hold_date(text) {
        return;
    }
    let text = normalize(text);
    let bytes = text.as_bytes();
    // A date starts with its year's four digits: the search starts at the first four in a
    // row, not at the start of a headline that precedes its row's date.
    let Some(mut from) = bytes
        .windows(4)
        .position(|w| w.iter().all(u8::is_ascii_digit))
    else {
        return;
    };
    // The pattern finds where a date is; its parts are read off the match by hand, which
    // the pattern's shape makes simple (three runs of digits), instead of by capture
    // groups, a second and slower search of every match. Each search starts where the
    // last match ended, as `find_iter` would.
    while let Some(whole) = DATE.find_at(&text, from) {
        from = whole.end();
        let glued_before = whole.start() > 0 && bytes[whole.start() - 1].is_ascii_digit();
        let glued_after = bytes.get(whole.end()).is_some_and(u8::is_ascii_digit);
        if glued_before || glued_after {
            continue;
        }
        let Some((year, month, day)) = date_parts(whole.as_str()) else {
            continue;
        };
        if !YEARS.contains(&year) {
            continue;
        }
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day)
            && !take(date)
        {
            return;
        }
    }
}

/// The year, month and day of a match of [`DATE`]: its three runs of digits. Written with
/// separators, both must be the same (`2018-12/25` is not a date).
fn date_parts(found: &str) -> Option<(i32, u32, u32)> {
    let b = found.as_bytes();
    let mut runs = [0u32; 3];
    let mut ends = [0usize; 3];
    let (mut n, mut i) = (0, 0);
    while i < b.len() && n < 3 {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            runs[n] = found[start..i].parse().ok()?;
            ends[n] = i;
            n += 1;
        } else {
            i += 1;
        }
    }
    if n < 3 {
        return None;
    }
    // `2018-12-25`: the byte after the year and the byte after the month are the
    // separators; `2018年12月25日` has none.
    let first = b[ends[0]];
    if matches!(first, b'-' | b'/' | b'.') && b[ends[1]] != first {
        return None;
    }
    Some((i32::try_from(runs[0]).ok()?, runs[1], runs[2]))
}

/// Whether `text` could hold a date: a run of four ASCII digits (the year), or a full-width
/// form (starting with byte 0xEF), which may be a full-width digit. Most texts of a page
/// have neither (a headline's `第3期`, a phone extension), and are not searched.
pub fn may_hold_date(text: &str) -> bool {
    let mut run = 0;
    for b in text.bytes() {
        if b.is_ascii_digit() {
            run += 1;
            if run == 4 {
                return true;
            }
        } else if b == 0xEF {
            return true;
        } else {
            run = 0;
        }
    }
    false
}

/// The first date in `text`: the search stops there.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut first = None;
    each_date(text, |date| {
        first = Some(date);
        false
    });
    first
}

/// Where CMSs put the publication date in an article's path: a folder `YYYY-MM-DD`
/// (`/2018-07-27/10366.html`), TRS's file name `tYYYYMMDD_N`, folders `YYYY/M/D`
/// (`/2019/3/20/…`), `YYYYMM/DD` and `YYYYMMDD`. A bare month folder (`/201807/`) has no day
/// and gives no date.
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"/(?:([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})/|t([0-9]{4})([0-9]{2})([0-9]{2})_[0-9]+|([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})/|([0-9]{4})([0-9]{2})/([0-9]{2})/|([0-9]{4})([0-9]{2})([0-9]{2})/)",
    )
    .expect("static regex")
});

/// The publication date an article's URL path carries, if any (see [`URL_DATE`]); the
/// query and fragment are ignored, and impossible dates are not dates.
pub fn url_date(path: &str) -> Option<NaiveDate> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    URL_DATE.captures_iter(path).find_map(|caps| {
        let groups: Vec<u32> = caps
            .iter()
            .skip(1)
            .flatten()
            .filter_map(|m| m.as_str().parse().ok())
            .collect();
        let [year, month, day] = groups[..] else {
            return None;
        };
        let year = i32::try_from(year).ok().filter(|y| YEARS.contains(y))?;
        NaiveDate::from_ymd_opt(year, month, day)
    })
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
            "2018—12—25",
            "2018年　12月　25日",
            "２０１８／１２／２５",
            "<span>2018-12-25</span>",
        ] {
            assert_eq!(parse_date(text), Some(d(2018, 12, 25)), "{text}");
        }
        assert_eq!(parse_date("2019-1-5"), Some(d(2019, 1, 5)));
        assert_eq!(parse_date("2019年1月5日"), Some(d(2019, 1, 5)));
    }

    /// Every date as the capture groups read it (the parser before the parts were read by
    /// hand): the same dates, in the same order, for every written form tried.
    #[test]
    fn parts_read_by_hand_are_the_capture_groups() {
        let by_groups = |text: &str| -> Vec<NaiveDate> {
            let text = normalize(text);
            let bytes = text.as_bytes();
            let mut out = Vec::new();
            for caps in DATE.captures_iter(&text) {
                let whole = caps.get(0).unwrap();
                if (whole.start() > 0 && bytes[whole.start() - 1].is_ascii_digit())
                    || bytes.get(whole.end()).is_some_and(u8::is_ascii_digit)
                {
                    continue;
                }
                let num = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
                let (month, day) = match (caps.get(2), caps.get(4)) {
                    (Some(a), Some(b)) if a.as_str() == b.as_str() => (num(3), num(5)),
                    (Some(_), Some(_)) => continue,
                    _ => (num(6), num(7)),
                };
                let year = caps[1].parse::<i32>().unwrap();
                if let (true, Some(m), Some(d)) = (YEARS.contains(&year), month, day)
                    && let Some(date) = NaiveDate::from_ymd_opt(year, m, d)
                {
                    out.push(date);
                }
            }
            out
        };
        let mut texts = Vec::new();
        for year in ["2018", "1979", "2101", "0999"] {
            for (m, d) in [
                ("12", "25"),
                ("1", "5"),
                ("02", "30"),
                ("13", "1"),
                ("00", "9"),
            ] {
                for (s1, s2) in [("-", "-"), ("/", "/"), (".", "."), ("-", "/"), (".", "-")] {
                    texts.push(format!("{year}{s1}{m}{s2}{d}"));
                }
                for gap in ["", " ", "　", "\u{a0}"] {
                    texts.push(format!("{year}{gap}年{gap}{m}{gap}月{gap}{d}{gap}日"));
                }
            }
        }
        texts.extend(
            [
                "[2018-12-25] 通知 2019年1月5日 发布 2020/2/29",
                "2018-12-2510 2018-12-25",
                "１２０１８－１２－２５ ２０１８－１２－２５",
                "2018年12月25日2019年1月1日",
                "v1.2.3 2005-2018 20181225",
            ]
            .map(String::from),
        );
        for text in &texts {
            assert_eq!(find_dates(text), by_groups(text), "{text}");
        }
    }

    /// The quick test skips only texts the pattern cannot match: each piece of a text that
    /// holds a date, cut anywhere, is skipped only if the pattern finds nothing in it.
    #[test]
    fn the_quick_test_skips_only_texts_without_a_match() {
        for text in [
            "发布时间：2018年12月25日 09:00",
            "２０１８－１２－２５",
            "第3期 2019-1-5",
            "电话 0851-1234 分机 12",
            "[2018.12.25]",
        ] {
            for start in 0..text.len() {
                for end in start..=text.len() {
                    let Some(piece) = text.get(start..end) else {
                        continue;
                    };
                    if !may_hold_date(piece) {
                        assert!(!DATE.is_match(&normalize(piece)), "{piece:?}");
                    }
                }
            }
        }
        assert!(!may_hold_date("第3期 123 第45号"));
        assert!(may_hold_date("2018年"));
        assert!(may_hold_date("２"));
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
    fn reads_dates_from_article_addresses() {
        for (url, date) in [
            (
                "http://www.a.gov.cn/2018-07-27/10366.html",
                Some(d(2018, 7, 27)),
            ),
            (
                "/xxgk/ghjh/201708/t20170804_633612.html",
                Some(d(2017, 8, 4)),
            ),
            (
                "/scedu/c100529/2019/3/20/82f08978b722419ba65a0f782e7e8d78.html",
                Some(d(2019, 3, 20)),
            ),
            ("/news/201807/27/123.shtml", Some(d(2018, 7, 27))),
            ("/news/20180727/123.shtml", Some(d(2018, 7, 27))),
            (
                "/ywgz/201708/t20170808_21248663.html?x=2019-01-01",
                Some(d(2017, 8, 8)),
            ),
            ("/news/201807/index.html", None),
            ("/art/2018/7/art_1_2.html", None),
            ("/col/col1/index.html", None),
            ("/contents/18111/12345.html", None),
            ("/2018-02-30/1.html", None),
            ("/t21248663_1.html", None),
        ] {
            assert_eq!(url_date(url), date, "{url}");
        }
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
