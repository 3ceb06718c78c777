//! Turning the bytes of an HTML page into text: the one charset decoder of govscore, used by
//! the crawler (to find links) and by extraction (to read the archived pages), so both see the
//! same text.
//!
//! Many government portals still serve GBK or GB2312, often declared only in a `<meta>` tag
//! and not in the HTTP header (reqwest's `text()` would read those as UTF-8 and garble every
//! character). The order follows the HTML standard's encoding sniffing: a byte-order mark,
//! then the HTTP `charset`, then a prescan of the first 1024 bytes for `<meta charset>` or
//! `<meta http-equiv="Content-Type">`, then `chardetng`'s guess with the site's top-level
//! domain as a hint, and UTF-8 when there is nothing to go on.
//!
//! The prescan is written here: it is a few dozen lines of the HTML standard's algorithm and
//! no maintained crate offers it on its own.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};
use serde::{Deserialize, Serialize};

/// Where the encoding of a page came from, recorded in the crawl log as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CharsetSource {
    /// A byte-order mark at the start of the body.
    Bom,
    /// The `charset` parameter of the HTTP `Content-Type` header.
    Http,
    /// `<meta charset>` or `<meta http-equiv="Content-Type">` in the first 1024 bytes.
    Meta,
    /// `chardetng`'s statistical guess, steered by the host's top-level domain.
    Detected,
    /// Nothing to go on (an empty body): UTF-8 assumed.
    Default,
}

/// A decoded page.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The page as text; malformed byte sequences become U+FFFD.
    pub text: String,
    /// The encoding the body was decoded with.
    pub encoding: &'static Encoding,
    /// Why that encoding was chosen.
    pub source: CharsetSource,
}

/// How many bytes the `<meta>` prescan looks at, as browsers do.
const PRESCAN_BYTES: usize = 1024;

/// How many bytes the statistical guess reads.
const DETECT_BYTES: usize = 64 * 1024;

/// Decodes an HTML body. `content_type` is the HTTP `Content-Type` header, if any; `host` is
/// the page's host, whose top-level domain steers the statistical guess (`cn` favours GBK).
pub fn decode_html(body: &[u8], content_type: Option<&str>, host: Option<&str>) -> Decoded {
    let (text, encoding, source) = decode_html_borrowed(body, content_type, host);
    Decoded {
        text: text.into_owned(),
        encoding,
        source,
    }
}

/// [`decode_html`] for a reader that only needs the text for a while (the crawler's link
/// scan, the score stage's parse): a body in UTF-8 is read in place, not copied.
pub fn decode_html_borrowed<'b>(
    body: &'b [u8],
    content_type: Option<&str>,
    host: Option<&str>,
) -> (Cow<'b, str>, &'static Encoding, CharsetSource) {
    let (encoding, source) = sniff(body, content_type, host);
    // Most pages are UTF-8 without a BOM: checked with SIMD and lent as they are.
    if encoding == UTF_8
        && Encoding::for_bom(body).is_none()
        && let Ok(text) = simdutf8::basic::from_utf8(body)
    {
        return (Cow::Borrowed(text), encoding, source);
    }
    // A BOM, when present, wins inside `decode` as well; malformed sequences become U+FFFD
    // rather than failing, since a page with one bad byte still has to be scored.
    let (text, _, _) = encoding.decode(body);
    (text, encoding, source)
}

/// The encoding a body is in, and why.
pub fn sniff(
    body: &[u8],
    content_type: Option<&str>,
    host: Option<&str>,
) -> (&'static Encoding, CharsetSource) {
    if let Some((encoding, _)) = Encoding::for_bom(body) {
        return (encoding, CharsetSource::Bom);
    }
    if let Some(encoding) = content_type.and_then(charset_param).and_then(html_label) {
        return (encoding, CharsetSource::Http);
    }
    if let Some(encoding) = prescan(&body[..body.len().min(PRESCAN_BYTES)]) {
        return (encoding, CharsetSource::Meta);
    }
    if body.is_empty() {
        return (UTF_8, CharsetSource::Default);
    }
    // The first 64 KiB decide as well as the whole page would, at a fraction of the cost
    // on multi-megabyte pages.
    let sample = &body[..body.len().min(DETECT_BYTES)];
    let whole = sample.len() == body.len();
    // Text that is valid UTF-8 is UTF-8: chardetng answers UTF-8 whenever UTF-8 is still a
    // candidate, and checking validity costs a small part of its statistical guess. A
    // character cut by the sample's end is read whole from the bytes after it.
    let checked = &body[..body.len().min(DETECT_BYTES + 4)];
    if Encoding::utf8_valid_up_to(checked) >= sample.len() {
        return (UTF_8, CharsetSource::Detected);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // A sample cut from a longer page does not end the stream: told it did, chardetng
    // would take the character cut in half for a malformed one and rule UTF-8 out.
    detector.feed(sample, whole);
    let tld = host.and_then(|h| h.trim_end_matches('.').rsplit('.').next());
    let guess = detector.guess(tld.map(str::as_bytes), chardetng::Utf8Detection::Allow);
    (guess, CharsetSource::Detected)
}

/// An encoding label as the HTML standard maps it: UTF-16 labels in a `<meta>` mean UTF-8
/// (the page could not have been parsed that far otherwise), `x-user-defined` means
/// windows-1252.
fn html_label(label: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    Some(
        if encoding == encoding_rs::UTF_16BE || encoding == encoding_rs::UTF_16LE {
            UTF_8
        } else if encoding == encoding_rs::X_USER_DEFINED {
            encoding_rs::WINDOWS_1252
        } else {
            encoding
        },
    )
}

/// The `charset` parameter of a `Content-Type` value (`text/html; charset="gbk"`).
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|v| !v.is_empty())
    })
}

/// The HTML standard's prescan for a character encoding declaration, simplified where it
/// does not change the answer on real pages: skips comments, reads the attributes of each
/// `<meta>` and returns the first `charset` or `http-equiv="content-type"` declaration.
fn prescan(head: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while i < head.len() {
        if head[i..].starts_with(b"<!--") {
            i = find(head, i + 4, b"-->").map_or(head.len(), |end| end + 3);
            continue;
        }
        if head[i] == b'<' && starts_with_ignore_case(&head[i + 1..], b"meta") {
            let after = i + 5;
            if after < head.len() && (head[after].is_ascii_whitespace() || head[after] == b'/') {
                let (attrs, end) = attributes(head, after);
                if let Some(encoding) = meta_declaration(&attrs) {
                    return Some(encoding);
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    None
}

fn meta_declaration(attrs: &[(String, String)]) -> Option<&'static Encoding> {
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(charset) = get("charset") {
        return html_label(charset);
    }
    let is_content_type =
        get("http-equiv").is_some_and(|v| v.trim().eq_ignore_ascii_case("content-type"));
    if is_content_type {
        let content = get("content")?;
        // `content="text/html; charset=gb2312"`: the value after `charset=`.
        let lower = content.to_ascii_lowercase();
        let at = lower.find("charset")?;
        let rest = content[at + "charset".len()..].trim_start();
        let rest = rest.strip_prefix('=')?.trim_start();
        let value: String = rest
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| !matches!(c, ';' | '"' | '\'') && !c.is_whitespace())
            .collect();
        return html_label(&value);
    }
    None
}

/// Reads `name=value` attributes from `start` to the closing `>`; returns them (names
/// lower-cased) and the index after the tag.
fn attributes(s: &[u8], start: usize) -> (Vec<(String, String)>, usize) {
    let mut attrs = Vec::new();
    let mut i = start;
    loop {
        while i < s.len() && (s[i].is_ascii_whitespace() || s[i] == b'/') {
            i += 1;
        }
        if i >= s.len() {
            return (attrs, i);
        }
        if s[i] == b'>' {
            return (attrs, i + 1);
        }
        let name_start = i;
        while i < s.len() && !s[i].is_ascii_whitespace() && !matches!(s[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = String::from_utf8_lossy(&s[name_start..i]).to_ascii_lowercase();
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < s.len() && s[i] == b'=' {
            i += 1;
            while i < s.len() && s[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < s.len() && (s[i] == b'"' || s[i] == b'\'') {
                let quote = s[i];
                let value_start = i + 1;
                let end = s[value_start..]
                    .iter()
                    .position(|&c| c == quote)
                    .map_or(s.len(), |p| value_start + p);
                value = String::from_utf8_lossy(&s[value_start..end]).into_owned();
                i = (end + 1).min(s.len());
            } else {
                let value_start = i;
                while i < s.len() && !s[i].is_ascii_whitespace() && s[i] != b'>' {
                    i += 1;
                }
                value = String::from_utf8_lossy(&s[value_start..i]).into_owned();
            }
        }
        if !name.is_empty() && !attrs.iter().any(|(n, _): &(String, String)| *n == name) {
            attrs.push((name, value));
        }
    }
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn find(s: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    s.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The UTF-8 fast path lends what `encoding_rs` would decode: the same text for bodies
    /// with and without a BOM, malformed, empty, or in another encoding.
    #[test]
    fn the_utf8_fast_path_decodes_as_encoding_rs() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<p>政务公开</p>");
        let bodies: Vec<Vec<u8>> = vec![
            Vec::new(),
            "<p>政务公开</p>".into(),
            b"\xEF\xBB\xBF<p>bom</p>".to_vec(),
            b"\xFF\xFE<\x00p\x00".to_vec(),
            b"<p>cut \xE6\x94 and \xC0\xAF and \xF0\x9F\x98 end\xE6".to_vec(),
            gbk.into_owned(),
        ];
        for body in bodies {
            for content_type in [
                None,
                Some("text/html; charset=utf-8"),
                Some("text/html; charset=gbk"),
            ] {
                let lent = decode_html(&body, content_type, Some("www.a.gov.cn"));
                let (encoding, source) = sniff(&body, content_type, Some("www.a.gov.cn"));
                let (text, _, _) = encoding.decode(&body);
                assert_eq!(lent.text, text, "{body:?} {content_type:?}");
                assert_eq!(lent.encoding, encoding);
                assert_eq!(lent.source, source);
            }
        }
    }

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(text).0.into_owned()
    }

    #[test]
    fn meta_charset_alone_decodes_gbk() {
        let html =
            "<html><head><meta charset=\"gb2312\"><title>成都市人民政府</title></head></html>";
        let d = decode_html(&gbk(html), Some("text/html"), Some("www.chengdu.gov.cn"));
        assert_eq!(d.encoding, encoding_rs::GBK);
        assert_eq!(d.source, CharsetSource::Meta);
        assert!(d.text.contains("成都市人民政府"));
    }

    #[test]
    fn http_equiv_content_type_is_read() {
        let html = "<!-- <meta charset=utf-8> --><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=GBK'><p>网站标识码</p>";
        let d = decode_html(&gbk(html), None, None);
        assert_eq!(
            (d.encoding, d.source),
            (encoding_rs::GBK, CharsetSource::Meta)
        );
        assert!(d.text.contains("网站标识码"));
    }

    #[test]
    fn the_order_is_bom_http_meta_detect() {
        let body = b"\xEF\xBB\xBF<meta charset=gbk>ok";
        assert_eq!(
            sniff(body, Some("text/html; charset=gbk"), None),
            (UTF_8, CharsetSource::Bom)
        );
        let body = gbk("<meta charset=utf-8><p>政务公开</p>");
        assert_eq!(
            sniff(&body, Some("text/html; charset=\"GB2312\""), None),
            (encoding_rs::GBK, CharsetSource::Http)
        );
        // No declaration: chardetng recognises GBK Chinese text.
        let body = gbk(
            "<html><body><p>政府信息公开目录，通知公告，政策文件，办事指南，领导信箱。</p></body></html>",
        );
        let (enc, src) = sniff(&body, Some("text/html"), Some("www.pidu.gov.cn"));
        assert_eq!((enc, src), (encoding_rs::GBK, CharsetSource::Detected));
        let (enc, src) = sniff("<p>中文</p>".as_bytes(), None, None);
        assert_eq!((enc, src), (UTF_8, CharsetSource::Detected));
        assert_eq!(sniff(b"", None, None), (UTF_8, CharsetSource::Default));
    }

    #[test]
    fn a_meta_after_1024_bytes_is_not_seen_and_labels_are_mapped() {
        let mut html = "<!-- padding -->".repeat(70);
        html.push_str("<meta charset=gbk>");
        assert!(html.len() > PRESCAN_BYTES);
        assert_eq!(
            sniff(html.as_bytes(), None, None).1,
            CharsetSource::Detected
        );
        assert_eq!(prescan(b"<meta charset=utf-16le>"), Some(UTF_8));
        assert_eq!(
            prescan(b"<meta charset=x-user-defined>"),
            Some(encoding_rs::WINDOWS_1252)
        );
        // An unknown label is skipped and the scan goes on, as the standard has it.
        assert_eq!(
            prescan(b"<meta charset=no-such-thing><meta charset=gbk>"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(prescan(b"<metadata charset=gbk>"), None);
        assert_eq!(prescan(b"<meta name=x content=\"charset=gbk\">"), None);
        assert_eq!(prescan(b"<meta charset"), None);
    }

    /// What chardetng alone guesses, as `sniff` asked it before its UTF-8 check.
    fn chardetng_guess(body: &[u8], tld: &[u8]) -> &'static Encoding {
        let sample = &body[..body.len().min(DETECT_BYTES)];
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(sample, sample.len() == body.len());
        detector.guess(Some(tld), chardetng::Utf8Detection::Allow)
    }

    #[test]
    fn the_utf8_check_answers_as_chardetng_does() {
        let long_chinese = format!("<p>{}</p>", "政务公开，通知公告。".repeat(3_000));
        assert!(long_chinese.len() > DETECT_BYTES);
        let cases: Vec<Vec<u8>> = vec![
            b"<p>plain ascii only</p>".to_vec(),
            "<p>中文页面</p>".as_bytes().to_vec(),
            long_chinese.as_bytes().to_vec(),
            gbk("<p>政府信息公开目录，通知公告，政策文件。</p>"),
            gbk(&long_chinese),
            // Valid UTF-8 but for one stray byte.
            [b"<p>\xff</p>".as_slice(), "中文".as_bytes()].concat(),
        ];
        for body in &cases {
            for tld in [b"cn".as_slice(), b"com"] {
                let host = format!("www.x.{}", std::str::from_utf8(tld).unwrap());
                assert_eq!(
                    sniff(body, None, Some(&host)).0,
                    chardetng_guess(body, tld),
                    "{:?}",
                    String::from_utf8_lossy(&body[..40.min(body.len())])
                );
            }
        }
    }

    #[test]
    fn a_utf8_page_cut_mid_character_by_the_sample_stays_utf8() {
        // Three-byte characters from the second byte on: the 64 KiB sample ends inside one.
        let page = format!("<p{}", "中".repeat(DETECT_BYTES));
        assert!(!page.is_char_boundary(DETECT_BYTES));
        assert_eq!(
            sniff(page.as_bytes(), Some("text/html"), Some("www.x.gov.cn")),
            (UTF_8, CharsetSource::Detected)
        );
        // chardetng on the same sample, told the stream goes on, agrees.
        assert_eq!(chardetng_guess(page.as_bytes(), b"cn"), UTF_8);
    }

    #[test]
    fn charset_parameter_parsing() {
        assert_eq!(charset_param("text/html; charset=GBK"), Some("GBK"));
        assert_eq!(
            charset_param("text/html;charset=\"utf-8\";x=y"),
            Some("utf-8")
        );
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(charset_param("text/html; charset="), None);
    }
}
