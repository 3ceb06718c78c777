//! The crawler's link scan: the links of a page read off html5ever's token stream, with no
//! tree built. The crawler needs only each link's address, its text and its tag, and
//! building the whole document (tree builder, nodes, attributes, then a selector pass over
//! it) to learn that cost more than the rest of handling a fetched page; the scoring stage
//! still reads each page through the full parse ([`super::facts`]).
//!
//! What the tree builder would decide and a token stream does not show is approximated the
//! way pages are written: an `<a>` ends at its end tag, at the next `<a>` (the parser closes
//! an open link before it opens another), at the end tag of an element it sits in, and at
//! a start tag that closes the list item, definition, cell or paragraph it sits in (the
//! parser closes the enclosing element, link and all). The tokenizer is switched into raw text for the
//! elements the tree builder would switch it for (`script`, `style`, `textarea`, `iframe`, …,
//! and `noscript`, as a browser running scripts reads it), so a link written inside a script
//! is not a link here either. Checked against the full parse on every page of the real sites
//! (`tests/link_scan.rs`).

use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{LocalName, TokenizerResult, local_name};
use url::Url;

use super::parse::{RawText, is_void, raw_text};
use super::{Link, link_text};
use crate::urls::normalize;

/// How much raw text a link's text is read from: more than any anchor text shown (200
/// characters once collapsed), and a bound when a page never closes its `<a>`.
const MAX_RAW_TEXT: usize = 4096;

/// Links taken from one page: more than any real portal page carries, few enough that a
/// hostile page cannot make the crawler hold or check millions. The scan stops keeping
/// links at this many, so such a page costs no memory for the rest.
pub const MAX_LINKS: usize = 2000;

/// How many open elements are tracked; deeper nesting is not followed (a hostile page's
/// 100,000 nested `<div>`s cost no memory), and only ends links early.
const MAX_TRACKED: usize = 512;

/// The links of a page, in document order, de-duplicated by URL (the first occurrence, with
/// its text, wins), at most [`MAX_LINKS`]. Relative links resolve against the first
/// `<base href>` when the page has one, as the page's facts do (and the HTML standard).
pub fn links(html: &str, page: &Url) -> Vec<Link> {
    let sink = Scan {
        state: RefCell::new(State {
            base: page.clone(),
            base_seen: false,
            out: Vec::new(),
            seen: HashSet::new(),
            open: Vec::new(),
            anchors: Vec::new(),
        }),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let mut state = tokenizer.sink.state.into_inner();
    state.close_anchors_from(0);
    state.out
}

struct Scan {
    state: RefCell<State>,
}

/// A link element whose text is being read: an `<a>`, or an `<iframe>` (its fallback text
/// is its text, as the parse reads it).
struct Anchor {
    /// Its index in the output, or `None` when it is not one (no address, or a duplicate):
    /// it still closes as a link would.
    index: Option<usize>,
    text: String,
    title: Option<String>,
    /// The `alt` of the first image inside it.
    alt: Option<String>,
    /// Where the link sits in `State::open`: elements above it were opened inside it.
    depth: usize,
}

struct State {
    base: Url,
    /// A `<base href>` was met: later ones are not the document's base.
    base_seen: bool,
    out: Vec<Link>,
    seen: HashSet<String>,
    /// Elements opened and not yet closed, as a plain stack: an end tag closes the nearest
    /// element of its name; one with no such open element is ignored, as the parser does.
    open: Vec<LocalName>,
    /// The links open at this point, innermost last: a link, and an iframe inside it.
    anchors: Vec<Anchor>,
}

fn attr(tag: &Tag, name: LocalName) -> Option<&str> {
    tag.attrs
        .iter()
        .find(|a| a.name.local == name && a.name.ns.is_empty())
        .map(|a| &*a.value)
}

/// The elements a start tag closes when one is open (the list item, definition, cell or
/// paragraph a link sits in, and the link with it), and the elements that shield an open
/// one from it: an `<li>` closes the open `<li>` unless a nested list or another block
/// (a cell, a table) stands between them.
fn closes(name: &LocalName) -> Option<(&'static [LocalName], &'static [LocalName])> {
    const LI: &[LocalName] = &[local_name!("li")];
    const DEF: &[LocalName] = &[local_name!("dd"), local_name!("dt")];
    const CELL: &[LocalName] = &[local_name!("td"), local_name!("th")];
    const P: &[LocalName] = &[local_name!("p")];
    // The standard's "special" elements that commonly hold links, less address, div and p.
    const SPECIAL: &[LocalName] = &[
        local_name!("ul"),
        local_name!("ol"),
        local_name!("dl"),
        local_name!("table"),
        local_name!("td"),
        local_name!("th"),
        local_name!("tr"),
        local_name!("body"),
        local_name!("html"),
        local_name!("section"),
        local_name!("article"),
        local_name!("nav"),
        local_name!("aside"),
        local_name!("header"),
        local_name!("footer"),
        local_name!("form"),
        local_name!("center"),
        local_name!("button"),
        local_name!("object"),
        local_name!("template"),
    ];
    const TABLE_SCOPE: &[LocalName] = &[
        local_name!("table"),
        local_name!("html"),
        local_name!("template"),
    ];
    const BUTTON_SCOPE: &[LocalName] = &[
        local_name!("button"),
        local_name!("table"),
        local_name!("td"),
        local_name!("th"),
        local_name!("caption"),
        local_name!("object"),
        local_name!("marquee"),
        local_name!("applet"),
        local_name!("html"),
        local_name!("template"),
    ];
    match *name {
        local_name!("li") => Some((LI, SPECIAL)),
        local_name!("dd") | local_name!("dt") => Some((DEF, SPECIAL)),
        local_name!("td") | local_name!("th") | local_name!("tr") => Some((CELL, TABLE_SCOPE)),
        local_name!("p")
        | local_name!("div")
        | local_name!("ul")
        | local_name!("ol")
        | local_name!("dl")
        | local_name!("h1")
        | local_name!("h2")
        | local_name!("h3")
        | local_name!("h4")
        | local_name!("h5")
        | local_name!("h6") => Some((P, BUTTON_SCOPE)),
        _ => None,
    }
}

impl State {
    /// Closes the open links that sit at `depth` of the open elements or deeper.
    fn close_anchors_from(&mut self, depth: usize) {
        while self.anchors.last().is_some_and(|a| a.depth >= depth) {
            let Some(anchor) = self.anchors.pop() else {
                break;
            };
            self.open.truncate(anchor.depth);
            if let Some(index) = anchor.index {
                self.out[index].text = link_text(&anchor.text, anchor.title.as_deref(), || {
                    anchor.alt.as_deref()
                });
            }
        }
    }

    /// Adds a link (text filled in when it closes); its index, or `None` for a duplicate or
    /// an address that is not a page.
    fn add(&mut self, href: Option<&str>, tag: &'static str) -> Option<usize> {
        if self.out.len() >= MAX_LINKS {
            return None;
        }
        let url = normalize(&self.base, href?)?;
        if !self.seen.insert(url.as_str().to_owned()) {
            return None;
        }
        self.out.push(Link {
            url,
            text: String::new(),
            tag,
        });
        Some(self.out.len() - 1)
    }

    fn start(&mut self, tag: &Tag) {
        let name = &tag.name;
        if *name == local_name!("a") {
            self.close_anchors_from(0);
        }
        if let Some(at) = self.implied_close(name) {
            self.close_anchors_from(at + 1);
            self.open.truncate(at);
        }
        match *name {
            local_name!("base") if !self.base_seen => {
                if let Some(href) = attr(tag, local_name!("href")) {
                    self.base_seen = true;
                    if let Ok(b) = self.base.join(href.trim()) {
                        self.base = b;
                    }
                }
            }
            local_name!("a") | local_name!("iframe") => {
                let (attr_name, kind) = if *name == local_name!("a") {
                    (local_name!("href"), "a")
                } else {
                    (local_name!("src"), "iframe")
                };
                let index = self.add(attr(tag, attr_name), kind);
                self.anchors.push(Anchor {
                    index,
                    text: String::new(),
                    title: attr(tag, local_name!("title")).map(str::to_owned),
                    alt: None,
                    depth: self.open.len(),
                });
                self.push(name);
                return;
            }
            // Void: no text of their own, their title stands for it.
            local_name!("area") | local_name!("frame") => {
                let (attr_name, kind) = if *name == local_name!("area") {
                    (local_name!("href"), "area")
                } else {
                    (local_name!("src"), "frame")
                };
                if let Some(i) = self.add(attr(tag, attr_name), kind) {
                    self.out[i].text = link_text("", attr(tag, local_name!("title")), || None);
                }
            }
            local_name!("img") => {
                for anchor in self.anchors.iter_mut().filter(|a| a.alt.is_none()) {
                    anchor.alt = attr(tag, local_name!("alt")).map(str::to_owned);
                }
            }
            _ => {}
        }
        // A self-closing slash on an HTML element that is not void is ignored by browsers.
        if !is_void(name) {
            self.push(name);
        }
    }

    /// Where the element this start tag closes sits in the open elements, as the parser
    /// would find it: the nearest of the elements it closes, with no shielding element above
    /// it.
    fn implied_close(&self, name: &LocalName) -> Option<usize> {
        let (targets, shields) = closes(name)?;
        for (at, open) in self.open.iter().enumerate().rev() {
            if targets.contains(open) {
                return Some(at);
            }
            if shields.contains(open) {
                return None;
            }
        }
        None
    }

    fn push(&mut self, name: &LocalName) {
        if self.open.len() < MAX_TRACKED {
            self.open.push(name.clone());
        }
    }

    fn end(&mut self, name: &LocalName) {
        let Some(at) = self.open.iter().rposition(|n| n == name) else {
            return;
        };
        // The link's own end tag, or one of an element it sits in.
        self.close_anchors_from(at);
        self.open.truncate(at);
    }
}

impl TokenSink for Scan {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => {
                    state.start(&tag);
                    // `<script src=… />` still opens a script: the slash is ignored.
                    match raw_text(&tag.name) {
                        Some(RawText::Kind(kind)) => return TokenSinkResult::RawData(kind),
                        Some(RawText::Plaintext) => return TokenSinkResult::Plaintext,
                        None => {}
                    }
                }
                TagKind::EndTag => state.end(&tag.name),
            },
            Token::CharacterTokens(text) => {
                // An iframe's text is also the text of a link it sits in.
                for anchor in state.anchors.iter_mut() {
                    push_capped(&mut anchor.text, &text);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Appends as much of `more` to a link's raw text as [`MAX_RAW_TEXT`] leaves room for, cut
/// at a character boundary: one run of text can be a whole page long (the tokenizer hands
/// over a line at a time), and a link left open over it would otherwise copy all of it.
fn push_capped(text: &mut String, more: &str) {
    let mut room = MAX_RAW_TEXT.saturating_sub(text.len()).min(more.len());
    while !more.is_char_boundary(room) {
        room -= 1;
    }
    text.push_str(&more[..room]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_links_raw_text_stops_at_its_bound_whatever_the_runs() {
        let mut text = String::new();
        push_capped(&mut text, "政务公开");
        assert_eq!(text, "政务公开");
        // A page-long run of three-byte characters: cut at a character, within the bound.
        push_capped(&mut text, &"字".repeat(1 << 20));
        assert!(text.len() <= MAX_RAW_TEXT && text.len() > MAX_RAW_TEXT - 3);
        assert!(text.ends_with('字'));
        // What room is left takes what fits of the next run, and then nothing more.
        push_capped(&mut text, "more");
        assert_eq!(text.len(), MAX_RAW_TEXT);
        assert!(text.ends_with("字m"));
        push_capped(&mut text, "字");
        assert_eq!(text.len(), MAX_RAW_TEXT);
        // The link's text as read off such a page is its first characters.
        let page = Url::parse("http://www.a.gov.cn/").unwrap();
        let html = format!("<a href=/x.html>{}", "字".repeat(1 << 20));
        let found = links(&html, &page);
        assert_eq!(found[0].text, "字".repeat(200));
    }

    #[test]
    fn a_page_of_endless_links_keeps_the_first_ones() {
        let page = Url::parse("http://www.a.gov.cn/").unwrap();
        let html: String = (0..50_000)
            .map(|i| format!("<a href=/{i}.html>第{i}条"))
            .collect();
        let found = links(&html, &page);
        assert_eq!(found.len(), MAX_LINKS);
        assert_eq!(found[0].url.as_str(), "http://www.a.gov.cn/0.html");
        assert_eq!(found[0].text, "第0条");
        assert_eq!(found[MAX_LINKS - 1].text, format!("第{}条", MAX_LINKS - 1));
    }
}
