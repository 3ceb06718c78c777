//! Extraction: every HTML parse of govscore lives here. [`links`] is what the crawler follows
//! and checks, read off the token stream without building the document ([`scan`]); [`facts::page_facts`] reads a page once into the compact facts that scoring
//! works from, classified by the page model ([`model`]).

pub mod facts;
pub mod foreign;
pub mod hidden;
pub mod model;
pub mod parse;
pub mod personal;
mod rows;
mod scan;
mod tokens;
mod walk;

pub use facts::{PageFacts, page_facts, page_facts_resolving};
pub use model::PageClass;
pub use scan::links;

use html5ever::{LocalName, local_name, ns};
use scraper::Selector;
use std::sync::LazyLock;
use url::Url;

use crate::input::indicators::{Guides, IndicatorSet, WordSet};

/// What the indicator file asks extraction to look for on every page.
#[derive(Debug, Clone, Default)]
pub struct ExtractConfig<'a> {
    /// The selector rules' CSS selectors, by their index.
    pub selectors: Vec<PageSelector<'a>>,
    /// The key elements of a service guide, each with the headings guides write it under;
    /// `None` looks for no guide.
    pub guides: Option<&'a Guides>,
    /// The severe section's spam words, which make a visible link to another site a
    /// tampering sign.
    pub spam_words: Option<&'a WordSet>,
}

impl<'a> ExtractConfig<'a> {
    /// What the indicator file `set` asks of every page.
    pub fn for_method(set: &'a IndicatorSet) -> Self {
        Self {
            selectors: set
                .selectors()
                .into_iter()
                .map(|(selector, css)| PageSelector::new(selector, css))
                .collect(),
            guides: Some(&set.guides),
            spam_words: Some(&set.severe.spam_words),
        }
    }
}

/// A selector of the indicator file, with the element names it can match when its text
/// says so: extraction tests each element of a page only against the selectors that could
/// match it, instead of running every selector over the whole document.
#[derive(Debug, Clone)]
pub struct PageSelector<'a> {
    /// The compiled selector, the one test of a match.
    pub selector: &'a Selector,
    /// The names of the elements it can match (`meta[name="viewport"]` → `meta`), lower
    /// case, as text and as atoms; `None` when a part of it matches any element or its text
    /// is beyond this simple reading.
    subjects: Option<(Vec<String>, Vec<LocalName>)>,
}

impl<'a> PageSelector<'a> {
    /// `css` is the selector's text as written: its subjects are read off it.
    pub fn new(selector: &'a Selector, css: &str) -> Self {
        Self {
            selector,
            subjects: subjects(css).map(|names| {
                let atoms = names.iter().map(|n| LocalName::from(n.as_str())).collect();
                (names, atoms)
            }),
        }
    }

    /// Whether it could match an element of this name, before the full test
    /// (`selector.matches`), which the page walk runs only on the elements it could match.
    /// HTML's element names are lower case, and compared as atoms; only a name with a
    /// capital (SVG's `foreignObject`: `capital`, which the caller finds once for all
    /// selectors) is compared as text.
    #[inline(always)]
    pub(crate) fn may_match(&self, name: &LocalName, capital: bool) -> bool {
        match &self.subjects {
            None => true,
            Some((_, atoms)) if atoms.contains(name) => true,
            Some((names, _)) => capital && names.iter().any(|t| t.eq_ignore_ascii_case(name)),
        }
    }
}

/// The element names a selector list can match: the type selector that starts the last
/// compound of each of its selectors. `None` when one of them has none (`.x`, `*`,
/// `a > *`), or when the text has what this reading does not follow (functional
/// pseudo-classes, namespaces, escapes): then every element is tested.
fn subjects(css: &str) -> Option<Vec<String>> {
    if css.contains(['(', '|', '\\']) {
        return None;
    }
    // Attribute tests (with any quoted commas or spaces in them) name no element.
    let mut bare = String::with_capacity(css.len());
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in css.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if depth > 0 => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, c) if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    if quote.is_some() || depth > 0 {
        return None;
    }
    bare.split(',')
        .map(|part| {
            let last = part
                .trim()
                .rsplit(|c: char| c.is_whitespace() || matches!(c, '>' | '+' | '~'))
                .next()?;
            let tag: String = last
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            (!tag.is_empty()).then(|| tag.to_ascii_lowercase())
        })
        .collect()
}

/// A link found on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The absolute target, normalised by [`crate::urls::normalize`]: http(s) only, no fragment.
    pub url: Url,
    /// The anchor text, whitespace collapsed (the `alt` of an image link when it has no
    /// text), cut to a sensible length: column names are matched against it.
    pub text: String,
    /// `a`, `area`, `frame` or `iframe`: frames are followed like links, since older portals
    /// build their pages from framesets.
    pub tag: &'static str,
}

const MAX_TEXT_CHARS: usize = 200;

/// The elements named `name` (`style`, `script`) that the parser made, in the order it made
/// them, as scraper's `select` reads a document: an element that a later `<frameset>` cut out
/// of the page still counts (its script ran, its style applied before), and the order is
/// creation order, which the parser's moving of misnested tags does not change. A plain scan
/// of the node arena, without the selector engine.
pub(crate) fn elements_named<'a>(
    doc: &'a scraper::Html,
    name: &'a LocalName,
) -> impl Iterator<Item = scraper::ElementRef<'a>> + 'a {
    doc.tree
        .nodes()
        .filter_map(scraper::ElementRef::wrap)
        .filter(move |e| e.value().name.local == *name && e.parent().is_some())
}

/// The value of the attribute `name` of `el`, as `Element::attr` gives it, with the name
/// given as an atom (`local_name!("href")`): `attr("href")` makes the atom from the text
/// on every call, a hash of it for each of the thousand elements of every page.
pub(crate) fn attr<'e>(el: &'e scraper::node::Element, name: &LocalName) -> Option<&'e str> {
    el.attrs
        .iter()
        .find(|(q, _)| q.local == *name && q.ns == ns!() && q.prefix.is_none())
        .map(|(_, value)| &**value)
}

/// A link's text as a reader takes it: its own text, else its `title`, else the `alt` of an
/// image inside it (portals make many columns image links).
pub fn anchor_text(el: scraper::ElementRef<'_>) -> String {
    anchor_text_of(el, &el.text().collect::<String>())
}

/// [`anchor_text`] with the link's own text (its text nodes joined, as they are) already
/// read: the list rows read it too.
pub(crate) fn anchor_text_of(el: scraper::ElementRef<'_>, own: &str) -> String {
    link_text(own, attr(el.value(), &local_name!("title")), || {
        el.select(&IMG_ALT).find_map(|img| img.value().attr("alt"))
    })
}

/// The one rule for a link's text, for the document ([`anchor_text`]) and the crawler's token
/// scan alike: `own` text, else `title`, else the image `alt` (asked only when needed);
/// collapsed and cut.
pub(crate) fn link_text<'a>(
    own: &str,
    title: Option<&str>,
    alt: impl FnOnce() -> Option<&'a str>,
) -> String {
    let text = collapse(own);
    if !text.is_empty() {
        return text;
    }
    title
        .map(collapse)
        .filter(|t| !t.is_empty())
        .or_else(|| alt().map(collapse))
        .unwrap_or_default()
}

/// Whitespace (including the full-width space) collapsed to single spaces and trimmed.
pub(crate) fn collapse_all(text: &str) -> String {
    // Collapsing never lengthens a text: room for all of it is one allocation, where
    // growing from nothing took three or four for a link's text (136 000 growths over the
    // bench's crawl).
    let mut out = Collapsed::with_capacity(text.len());
    out.push(text);
    out.finish()
}

/// Text collapsed as it is added, piece by piece: the same as [`collapse_all`] on the pieces
/// joined, without first building the joined text (a page's text nodes are pushed one by
/// one as the walk meets them).
#[derive(Debug, Default)]
pub(crate) struct Collapsed {
    out: String,
    /// A space was read since the last character kept.
    gap: bool,
}

/// Bytes that may start a space or a control character: every such character is ASCII
/// (up to the space, and DEL) or starts with 0xC2 (U+0080–U+00BF), 0xE1 (U+1680), 0xE2
/// (U+2000–U+206F) or 0xE3 (U+3000). Other bytes are copied without being decoded.
static MAY_BREAK: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b <= 0x20 {
        t[b] = true;
        b += 1;
    }
    t[0x7F] = true;
    t[0xC2] = true;
    t[0xE1] = true;
    t[0xE2] = true;
    t[0xE3] = true;
    t
};

/// Cuts `text` at its spaces and control characters: `piece` gets each run of kept
/// characters (maybe empty) and whether a space ended it. A page's text is long, and
/// reading it a character at a time was a tenth of extraction: runs are found by a table
/// lookup a byte, and only the bytes that may start a break are decoded. (Testing eight
/// bytes at a time was tried: more work on Chinese text, whose punctuation starts with
/// 0xE3 and whose text nodes are short. Sixteen at a time with the two bytes after each
/// 0xE3 read, to pass over the punctuation, was tried too: SSE2's compares of the three
/// shifted blocks cost as many instructions as the table, 58 M more over the bench's crawl.)
fn pieces(text: &str, mut piece: impl FnMut(&str, bool)) {
    let bytes = text.as_bytes();
    let (mut run, mut i) = (0, 0);
    loop {
        while i < bytes.len() && !MAY_BREAK[bytes[i] as usize] {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        let c = match bytes[i] {
            b @ 0..0x80 => b as char,
            _ => text[i..].chars().next().unwrap_or_default(),
        };
        let space = c.is_whitespace() || c == '\u{3000}';
        // A browser shows no control character; a terminal would act on one.
        if space || crate::text::acts(c) {
            piece(&text[run..i], space);
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    piece(&text[run..], false);
}

impl Collapsed {
    /// Room for `bytes` of text before it grows.
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        Collapsed {
            out: String::with_capacity(bytes),
            gap: false,
        }
    }

    pub(crate) fn push(&mut self, text: &str) {
        pieces(text, |run, space| {
            self.keep(run);
            self.gap |= space;
        });
    }

    /// Pushes `text` here and to `other` with one reading of it.
    pub(crate) fn push_both(&mut self, other: &mut Collapsed, text: &str) {
        pieces(text, |run, space| {
            self.keep(run);
            self.gap |= space;
            other.keep(run);
            other.gap |= space;
        });
    }

    /// The same as pushing `" "`.
    pub(crate) fn space(&mut self) {
        self.gap = true;
    }

    fn keep(&mut self, run: &str) {
        if run.is_empty() {
            return;
        }
        if self.gap && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.gap = false;
        self.out.push_str(run);
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }

    /// Pushes `text` until what is kept is longer than [`collapse`] keeps: `finish_cut`
    /// then gives what [`collapse`] gives of all the text pushed, and a page-long footer is
    /// not read to its end. (Four bytes is the longest character.)
    pub(crate) fn push_cut(&mut self, text: &str) {
        if self.out.len() <= 4 * MAX_TEXT_CHARS {
            self.push(text);
        }
    }

    /// The text, cut as [`collapse`] cuts it.
    pub(crate) fn finish_cut(self) -> String {
        cut(self.out)
    }
}

static IMG_ALT: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("img[alt]").expect("static selector"));

/// Whitespace (including the full-width space) collapsed to single spaces, trimmed and cut.
pub fn collapse(text: &str) -> String {
    cut(collapse_all(text))
}

/// `text`'s first [`MAX_TEXT_CHARS`] characters.
fn cut(mut text: String) -> String {
    // No more bytes than the characters kept: nothing to cut, without counting.
    if text.len() <= MAX_TEXT_CHARS {
        return text;
    }
    if let Some((end, _)) = text.char_indices().nth(MAX_TEXT_CHARS) {
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_frames_and_base() {
        let page = Url::parse("http://www.a.gov.cn/index.html").unwrap();
        let html = r#"<html><head><base href="/sub/"></head><body>
            <a href="tzgg/">通知
               公告</a><a href="tzgg/#x">dup</a>
            <a href="javascript:;">找错</a><a href="mailto:a@b">信</a>
            <a href="http://www.gov.cn/"><img alt="中国政府网"></a>
            <map><area href="/map.html" title="地图"></map>
            <iframe src="frame.html"></iframe>
        </body></html>"#;
        let found = links(html, &page);
        let shown: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|l| (l.url.as_str(), l.text.as_str(), l.tag))
            .collect();
        assert_eq!(
            shown,
            [
                ("http://www.a.gov.cn/sub/tzgg/", "通知 公告", "a"),
                ("http://www.gov.cn/", "中国政府网", "a"),
                ("http://www.a.gov.cn/map.html", "地图", "area"),
                ("http://www.a.gov.cn/sub/frame.html", "", "iframe"),
            ]
        );
    }

    #[test]
    fn a_selector_names_the_elements_it_can_match() {
        let names = |css: &str| subjects(css);
        assert_eq!(names(r#"meta[name="PubDate"]"#), Some(vec!["meta".into()]));
        assert_eq!(
            names(r#"form input[type='search'], form[action*="a, b" i]"#),
            Some(vec!["input".into(), "form".into()])
        );
        assert_eq!(names("script#_jiucuo_"), Some(vec!["script".into()]));
        assert_eq!(names("div > A.x"), Some(vec!["a".into()]));
        assert_eq!(names(".banner"), None);
        assert_eq!(names("div *"), None);
        assert_eq!(names("a, .b"), None);
        assert_eq!(names("li:not(.x)"), None);
        assert_eq!(names("svg|a"), None);
        assert_eq!(names("a[href='x"), None);
        // A selector whose subjects are known is still tested in full on those elements.
        let sel = Selector::parse("input[type=search]").unwrap();
        let tested = PageSelector::new(&sel, "input[type=search]");
        let name = |n: &str| LocalName::from(n);
        assert!(tested.may_match(&name("input"), false));
        assert!(tested.may_match(&name("INPUT"), true));
        assert!(!tested.may_match(&name("form"), false));
    }

    /// Collapsing as first written, a character at a time.
    fn collapse_by_chars(text: &str) -> String {
        let (mut out, mut gap) = (String::new(), false);
        for c in text.chars() {
            if c.is_whitespace() || c == '\u{3000}' {
                gap = true;
            } else if !crate::text::acts(c) {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn collapse_skips_runs_as_a_character_at_a_time_would_read_them() {
        // Characters of every first byte that may start a break, and their neighbours.
        let chars = [
            'a',
            ' ',
            '\t',
            '\n',
            '\u{1f}',
            '!',
            '\u{7f}',
            '\u{80}',
            '\u{85}',
            '\u{a0}',
            'é',
            '\u{800}',
            '\u{1680}',
            '\u{2003}',
            '\u{200b}',
            '\u{202e}',
            '\u{3000}',
            '、',
            '\u{3fff}',
            '中',
            '，',
            '\u{1f600}',
        ];
        for (i, a) in chars.iter().enumerate() {
            for b in &chars {
                // Runs of several lengths, the break at each offset of a word.
                for len in [1, 7, 8, 9, 17] {
                    let text: String = std::iter::repeat_n(*a, len)
                        .chain(std::iter::once(*b))
                        .chain(chars[i..].iter().copied())
                        .collect();
                    assert_eq!(collapse_all(&text), collapse_by_chars(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn collapse_reads_every_space_and_control_character() {
        let text = "\u{a0}一\u{85}二\u{1680}三\u{2003}四\u{2028}五\u{202f}六\u{205f}七\u{3000}八\r\n\t\u{b}\u{c}九";
        assert_eq!(collapse_all(text), "一 二 三 四 五 六 七 八 九");
        // Control and direction characters go, with no space in their place.
        assert_eq!(
            collapse_all("a\u{1b}[31mb\u{202e}c\u{2066}d\u{9f}e"),
            "a[31mbcde"
        );
        // Characters that share a first byte with a space stay whole.
        assert_eq!(collapse_all(" 「通知」 ¥5 ‐ — "), "「通知」 ¥5 ‐ —");
        let same = |t: &str| {
            let words: Vec<String> = t
                .split(|c: char| c.is_whitespace())
                .map(|w| w.chars().filter(|c| !crate::text::acts(*c)).collect())
                .filter(|w: &String| !w.is_empty())
                .collect();
            words.join(" ")
        };
        for t in [
            "政务\u{3000}公开 通知\n\n公告",
            "  a  b  ",
            "",
            "\u{3000}",
            "é ü 中",
        ] {
            assert_eq!(collapse_all(t), same(t), "{t:?}");
        }
    }

    #[test]
    fn text_collapsed_piece_by_piece_is_the_joined_text_collapsed() {
        let pieces = [
            " 政务", "\u{3000}", "公开 ", "", "a\u{1b}", "b", "  ", "\n通知", "公告 ", " ",
        ];
        for n in 0..=pieces.len() {
            let mut joined = String::new();
            let mut piecewise = Collapsed::default();
            for (k, piece) in pieces[..n].iter().enumerate() {
                joined.push_str(piece);
                piecewise.push(piece);
                if k % 3 == 0 {
                    joined.push(' ');
                    piecewise.space();
                }
            }
            assert_eq!(piecewise.finish(), collapse_all(&joined), "{n}");
        }
    }

    #[test]
    fn collapse_handles_full_width_spaces_and_length() {
        assert_eq!(collapse("\u{3000}政务\u{3000}\n 公开 "), "政务 公开");
        assert_eq!(collapse(&"长".repeat(500)).chars().count(), MAX_TEXT_CHARS);
    }
}
