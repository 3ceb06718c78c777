//! Personal data a page exposes (个人信息泄露): resident identity numbers (GB 11643, 18
//! characters with a check character) and mobile numbers. A number is only taken when it
//! stands alone — a longer run of digits is an order or account number — and an identity
//! number only when its birth date is a real date and its check character is right, so a
//! document number that happens to have 18 digits is not one. What is found is kept masked
//! (`4101**********1234`, `138****5678`): govscore never stores or prints a whole number.

use chrono::NaiveDate;

use super::hidden::css_path;
use scraper::{ElementRef, Html};
use serde::{Deserialize, Serialize};

/// A kind of personal datum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalKind {
    /// A resident identity card number (居民身份证号码).
    IdNumber,
    /// A mainland mobile number.
    Mobile,
}

/// One personal datum found in a page's text, masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDatum {
    /// What it is.
    pub kind: PersonalKind,
    /// The number with its middle masked.
    pub masked: String,
    /// A CSS path to the element whose text holds it (empty when markup splits it).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub location: String,
}

/// The runs of digits in `text`, each with an `X` or `x` that ends it (an identity number's
/// check character), as `[0-9]+[Xx]?` finds them: start and end. A byte loop, since it
/// reads every page's whole text.
fn digit_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let start = first_digit(bytes, i)?;
        let mut end = start + 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        if end < bytes.len() && matches!(bytes[end], b'X' | b'x') {
            end += 1;
        }
        i = end;
        Some((start, end))
    })
}

/// The first ASCII digit at or after `from`. A page's text is mostly Chinese, without a
/// digit for hundreds of bytes: sixteen bytes are tested at a time without a branch (vector
/// compares), then the block that holds one a byte at a time (byte by byte, the search was
/// 2% of the score stage's instructions on the bench's crawl).
fn first_digit(bytes: &[u8], mut from: usize) -> Option<usize> {
    while let Some(block) = bytes.get(from..from + 16) {
        if block.iter().fold(false, |any, b| any | b.is_ascii_digit()) {
            break;
        }
        from += 16;
    }
    Some(from + bytes.get(from..)?.iter().position(u8::is_ascii_digit)?)
}

/// GB 11643's weights for the first 17 digits, and the check character by remainder.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// Whether `s` (18 characters) is a valid resident identity number: an area code that does
/// not start with 0, a real birth date between 1900 and 2100, and the right check character.
pub fn valid_id_number(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || b[0] == b'0' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    let (Some(y), Some(m), Some(d)) = (digits(6..10), digits(10..12), digits(12..14)) else {
        return false;
    };
    if !(1900..=2100).contains(&y) || NaiveDate::from_ymd_opt(y as i32, m, d).is_none() {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    b[17].to_ascii_uppercase() == CHECK[(sum % 11) as usize]
}

/// `s` with all but its first `head` and last `tail` characters replaced by `*`.
fn mask(s: &str, head: usize, tail: usize) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

/// The identity and mobile numbers in `text`, masked, in text order, each once.
pub fn personal_data(text: &str) -> Vec<PersonalDatum> {
    let mut found: Vec<PersonalDatum> = Vec::new();
    for (start, end) in digit_runs(text) {
        let run = &text[start..end];
        // A run glued to a Latin letter is a code (`ABC13812345678`), not a number.
        let glued = text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            || text[end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if glued {
            continue;
        }
        let datum = if run.len() == 18 && valid_id_number(run) {
            PersonalDatum {
                kind: PersonalKind::IdNumber,
                masked: mask(&run.to_ascii_uppercase(), 4, 4),
                location: String::new(),
            }
        } else if run.len() == 11
            && run.starts_with('1')
            && matches!(run.as_bytes()[1], b'3'..=b'9')
            && run.bytes().all(|b| b.is_ascii_digit())
        {
            PersonalDatum {
                kind: PersonalKind::Mobile,
                masked: mask(run, 3, 4),
                location: String::new(),
            }
        } else {
            continue;
        };
        if !found.contains(&datum) {
            found.push(datum);
        }
    }
    found
}

/// `found` (from the page's visible text) with each datum's element: the parent of the first
/// text node of `doc` that holds it. Only run on the rare page with personal data.
pub fn locate(doc: &Html, mut found: Vec<PersonalDatum>) -> Vec<PersonalDatum> {
    if found.is_empty() {
        return found;
    }
    for node in doc.tree.nodes() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        for datum in personal_data(text) {
            if let Some(f) = found
                .iter_mut()
                .find(|f| f.location.is_empty() && f.masked == datum.masked)
                && let Some(parent) = node.parent().and_then(ElementRef::wrap)
            {
                f.location = css_path(parent);
            }
        }
        if found.iter().all(|f| !f.location.is_empty()) {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_runs_are_what_the_pattern_finds() {
        let pattern = regex::Regex::new("[0-9]+[Xx]?").unwrap();
        for text in [
            "",
            "x",
            "1",
            "电话13812345678，身份证11010519491231002X号",
            "12x34X5xx6",
            "２０２６年1月",
            "a1b22c333",
            "99",
        ]
        .into_iter()
        .map(str::to_owned)
        .chain(
            // Digits at every offset of the sixteen-byte blocks, after Chinese text.
            (0..40).map(|k| {
                format!(
                    "{}{}号，电话13812345678",
                    "中".repeat(k / 3),
                    "a".repeat(k % 3)
                )
            }),
        )
        .chain([
            "政务公开政务公开政务公开2026年".repeat(3),
            "0123456789abcdef0123456789".into(),
        ]) {
            let text = text.as_str();
            let expected: Vec<(usize, usize)> = pattern
                .find_iter(text)
                .map(|m| (m.start(), m.end()))
                .collect();
            assert_eq!(digit_runs(text).collect::<Vec<_>>(), expected, "{text}");
        }
    }

    /// Builds a valid number from its first 17 digits.
    fn with_check(first17: &str) -> String {
        let sum: u32 = first17
            .bytes()
            .zip(WEIGHTS)
            .map(|(c, w)| u32::from(c - b'0') * w)
            .sum();
        format!("{first17}{}", CHECK[(sum % 11) as usize] as char)
    }

    #[test]
    fn identity_numbers_need_their_check_character_and_a_real_birth_date() {
        // The standard's own example.
        assert!(valid_id_number("11010519491231002X"));
        assert!(valid_id_number("11010519491231002x"));
        assert!(
            !valid_id_number("110105194912310021"),
            "wrong check character"
        );
        let good = with_check("41010119900307123");
        assert!(valid_id_number(&good));
        assert!(
            !valid_id_number(&with_check("41010119900230123")),
            "30 February"
        );
        assert!(
            !valid_id_number(&with_check("01010119900307123")),
            "area code 0…"
        );
        assert!(
            !valid_id_number(&with_check("41010118000307123")),
            "born in 1800"
        );
        assert!(!valid_id_number("4101011990030712"), "17 characters");
    }

    #[test]
    fn numbers_are_found_alone_and_kept_masked() {
        let id = with_check("41010119900307123");
        let text = format!(
            "拟录用人员名单：张三，身份证号{id}，电话13812345678；订单号2019030712345678901，\
             文号13812345678901，编码ABC13912345678，座机028-12345678。再次：{id}"
        );
        let found = personal_data(&text);
        assert_eq!(
            found,
            [
                PersonalDatum {
                    kind: PersonalKind::IdNumber,
                    masked: format!("4101**********{}", &id[14..]),
                    location: String::new(),
                },
                PersonalDatum {
                    kind: PersonalKind::Mobile,
                    masked: "138****5678".into(),
                    location: String::new(),
                },
            ]
        );
        assert!(!format!("{found:?}").contains(&id), "never whole");
    }

    #[test]
    fn each_number_is_located_in_its_element() {
        let id = with_check("41010119900307123");
        let doc = Html::parse_document(&format!(
            "<table><tr><td>张三</td><td>{id}</td></tr><tr><td>李四</td><td>电话13812345678</td></tr></table>"
        ));
        let found = locate(
            &doc,
            personal_data(&format!("张三 {id} 李四 电话13812345678")),
        );
        let places: Vec<&str> = found.iter().map(|f| f.location.as_str()).collect();
        assert_eq!(
            places,
            [
                "html > body > table > tbody > tr:nth-of-type(1) > td:nth-of-type(2)",
                "html > body > table > tbody > tr:nth-of-type(2) > td:nth-of-type(2)"
            ]
        );
    }
}
