//! The one walk over a parsed page: each element's zone (navigation, footer, body) and
//! whether it is hidden, the visible text and the prose, the footers' text, the head's title,
//! meta and base, the links (with which of their enclosing elements could be a list row)
//! and images, and which of the indicator file's selectors match — everything extraction
//! reads off the tree, read in document order, once. Every
//! element of every page passes through here: names are compared as atoms and attributes
//! read in one pass.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use html5ever::{LocalName, local_name};
use scraper::{ElementRef, Html, Selector};

use super::facts::{CONAC, Zone};
use super::hidden::{Concealment, StyleRules, concealment};
use super::rows::{MAX_ITEM_CHARS, MAX_ROW_NODES};
use super::{Collapsed, ExtractConfig, PageSelector, attr, collapse};

/// A selector the walk tests on each element, tried only on the element names its text
/// can match, as the indicator file's are.
macro_rules! page_selector {
    ($name:ident, $css:expr) => {
        static $name: LazyLock<PageSelector<'static>> = LazyLock::new(|| {
            static SELECTOR: LazyLock<Selector> =
                LazyLock::new(|| Selector::parse($css).expect("static selector"));
            PageSelector::new(&SELECTOR, $css)
        });
    };
}

page_selector!(
    SEARCH,
    "form input[type='search'], form[action*='search' i], form[action*='sousuo' i], input[name*='search' i], input[placeholder*='搜索']"
);

/// A link (`a[href]`, `area[href]`) as the walk found it.
pub(super) struct WalkLink {
    pub(super) id: NodeId,
    pub(super) zone: Zone,
    /// Hidden from the reader (for the visible links).
    pub(super) hidden: bool,
    /// The outermost element that conceals it by any means the hidden-link detector knows.
    pub(super) concealed: Option<NodeId>,
    /// What each of its three nearest enclosing elements can be to it. The list-row reader
    /// asks this of every body link; answered here from sums gathered as the walk closes
    /// each element, it needs no walk of each container per link.
    pub(super) levels: [Level; 3],
}

/// What one of a link's three nearest enclosing elements can be to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Level {
    /// Too big to be its row: its text is longer than an item, it holds more than
    /// [`MAX_ROW_NODES`] elements and text nodes, or it holds another link.
    NotRow,
    /// Small enough to be its row. `digits`: its text has an ASCII digit or a full-width
    /// form (a byte 0xEF); without either no date can be read in it, and the row reader
    /// does not gather its text to look (two levels in three on the real sites).
    Row { digits: bool },
}

/// What one walk over the document finds.
pub(super) struct Walk {
    /// Each `a[href]` and `area[href]` in document order.
    pub(super) links: Vec<WalkLink>,
    /// The first `<base href>`, as written.
    pub(super) base: Option<String>,
    /// The first `<title>`'s text, collapsed.
    pub(super) title: Option<String>,
    /// `<meta name content>`, names lower-cased; the first declaration of a name wins, as
    /// browsers and crawlers read it.
    pub(super) meta: BTreeMap<String, String>,
    /// The root element's `lang`.
    pub(super) lang: Option<String>,
    pub(super) images: u32,
    pub(super) images_with_alt: u32,
    /// Which of the indicator file's selectors match, by index.
    pub(super) selectors: Vec<bool>,
    /// A link, image or script of 开普云/CONAC's 党政机关 mark.
    pub(super) conac: bool,
    /// A search form or box.
    pub(super) search: bool,
    /// The elements that conceal themselves, and how.
    pub(super) concealers: HashMap<NodeId, Concealment>,
    /// The visible text (no script, style, template or hidden element), collapsed.
    pub(super) text: String,
    /// The text of each outermost footer element.
    pub(super) footers: Vec<String>,
    /// Visible body text outside links, navigation and footers: where an article's text and
    /// a guide's headings with their values are.
    pub(super) prose: String,
    /// Chinese characters of prose in the block that holds the most: the page's main text.
    pub(super) main_text_chars: u32,
}

/// The `href`s of the `a` elements in a subtree, as far as a list row needs them: none, all
/// one (`None` for an `a` without one), or more than one.
#[derive(Clone, Copy)]
enum Anchors<'a> {
    None,
    One(Option<&'a str>),
    Many,
}

impl<'a> Anchors<'a> {
    fn and(self, other: Anchors<'a>) -> Anchors<'a> {
        match (self, other) {
            (Anchors::None, x) | (x, Anchors::None) => x,
            (Anchors::One(a), Anchors::One(b)) if a == b => Anchors::One(a),
            _ => Anchors::Many,
        }
    }

    /// Whether one of them links elsewhere than `href`.
    fn other_than(self, href: Option<&str>) -> bool {
        match self {
            Anchors::None => false,
            Anchors::One(h) => h != href,
            Anchors::Many => true,
        }
    }
}

/// Elements that hold a page's text blocks; prose is credited to the nearest one.
fn is_block(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("div")
            | local_name!("table")
            | local_name!("article")
            | local_name!("section")
            | local_name!("main")
            | local_name!("body")
            | local_name!("form")
    )
}

/// `html_len` is the length of the page the tree was parsed from: its text is sized from it.
pub(super) fn walk(doc: &Html, config: &ExtractConfig, html_len: usize) -> Walk {
    struct Frame<'a> {
        zone: Zone,
        hidden: bool,
        concealed: Option<NodeId>,
        invisible: bool,
        in_link: bool,
        /// Index into `footers` of the outermost footer it sits in.
        footer: Option<usize>,
        /// Index into `blocks` of the nearest block element.
        block: Option<usize>,
        /// Characters of text inside it so far, counted up to one past an item's length:
        /// counted as the text is met, so no element is read twice (reading again the
        /// subtree of each candidate row costs, on a hostile page, as much as the page for
        /// each of its elements).
        chars: usize,
        /// Elements and text nodes inside it so far, counted up to one past
        /// [`MAX_ROW_NODES`].
        nodes: usize,
        /// Whether a text node inside it so far has an ASCII digit or a byte 0xEF; read only
        /// while it can be a row (its characters counted).
        digits: bool,
        /// The `href`s of the `a` elements inside it so far, itself included.
        anchors: Anchors<'a>,
        /// The links it is one of the three nearest enclosing elements of: the last one
        /// registered, as an index into `rows`, whose entries chain to the one before.
        rows_of: Option<usize>,
    }
    /// A link waiting for an enclosing element to close: the link, which level (0 for its
    /// parent) the element is to it, and the element's entry before this one.
    struct RowOf {
        link: usize,
        level: usize,
        next: Option<usize>,
    }
    let rules = StyleRules::of(doc);
    let mut links = Vec::new();
    let mut concealers = HashMap::new();
    let mut base = None;
    let mut title = None;
    let mut meta = BTreeMap::new();
    let mut lang = None;
    let mut root_seen = false;
    let (mut images, mut images_with_alt) = (0, 0);
    let mut selectors = vec![false; config.selectors.len()];
    let (mut conac, mut search) = (false, false);
    // A page's text is rarely more than a quarter of its markup: reserved at that, the text
    // is not copied each time it doubles (eighty thousand times over the five real sites),
    // and what the page's facts keep is trimmed in place at the end.
    let mut text = Collapsed::with_capacity(html_len / 4);
    let mut prose = Collapsed::with_capacity(html_len / 4);
    let mut blocks: Vec<u32> = Vec::new();
    let mut footers: Vec<Collapsed> = Vec::new();
    // Each link's `href`, and each link's place in the lists of its enclosing elements:
    // three entries a link at most, so an element's close reads only its own links, however
    // many a page (or a hostile one) nests under it.
    let mut link_hrefs: Vec<Option<&str>> = Vec::new();
    let mut rows: Vec<RowOf> = Vec::new();
    let mut stack: Vec<Frame> = vec![Frame {
        zone: Zone::Body,
        hidden: false,
        concealed: None,
        invisible: false,
        in_link: false,
        footer: None,
        block: None,
        chars: 0,
        nodes: 0,
        digits: false,
        anchors: Anchors::None,
        rows_of: None,
    }];
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if let Some(el) = ElementRef::wrap(node) {
                    let parent = stack.last().expect("root frame");
                    let own = own_zone(el.value());
                    let zone = own.unwrap_or(parent.zone);
                    let how = concealment(el, &rules);
                    // Visible text and links leave out what an inline style or the `hidden`
                    // attribute hides; the hidden-link reader counts every way of hiding.
                    let hidden = parent.hidden
                        || matches!(
                            how,
                            Some(
                                Concealment::DisplayNone
                                    | Concealment::VisibilityHidden
                                    | Concealment::HiddenAttribute
                            )
                        );
                    let concealed = parent.concealed.or_else(|| {
                        concealers.insert(node.id(), how?);
                        Some(node.id())
                    });
                    let v = el.value();
                    // Names compared as atoms: one integer compare each.
                    let name = &v.name.local;
                    let invisible = parent.invisible
                        || hidden
                        || matches!(
                            *name,
                            local_name!("script")
                                | local_name!("style")
                                | local_name!("noscript")
                                | local_name!("template")
                                | local_name!("head")
                        );
                    let footer = if own == Some(Zone::Footer) && parent.zone != Zone::Footer {
                        footers.push(Collapsed::default());
                        Some(footers.len() - 1)
                    } else {
                        parent.footer
                    };
                    let block = if is_block(name) {
                        blocks.push(0);
                        Some(blocks.len() - 1)
                    } else {
                        parent.block
                    };
                    // A link's address, read once for the links, their rows and the conac mark.
                    let href = match *name {
                        local_name!("a") | local_name!("area") => attr(v, &local_name!("href")),
                        _ => None,
                    };
                    let mut opens_link = false;
                    match *name {
                        local_name!("a") | local_name!("area") if href.is_some() => {
                            links.push(WalkLink {
                                id: node.id(),
                                zone,
                                hidden,
                                concealed,
                                levels: [Level::NotRow; 3],
                            });
                            link_hrefs.push(href);
                            opens_link = true;
                        }
                        local_name!("base") if base.is_none() => {
                            base = attr(v, &local_name!("href")).map(str::to_owned)
                        }
                        local_name!("title") if title.is_none() => {
                            title = Some(collapse(&el.text().collect::<String>()));
                        }
                        local_name!("meta") => {
                            if let Some(n) = attr(v, &local_name!("name")) {
                                let content =
                                    attr(v, &local_name!("content")).unwrap_or_default().trim();
                                meta.entry(n.trim().to_ascii_lowercase())
                                    .or_insert_with(|| content.to_owned());
                            }
                        }
                        local_name!("html") if !root_seen => {
                            root_seen = true;
                            lang = v
                                .attr("lang")
                                .map(|l| l.trim().to_owned())
                                .filter(|l| !l.is_empty());
                        }
                        local_name!("img") => {
                            images += 1;
                            if attr(v, &local_name!("alt")).is_some_and(|a| !a.trim().is_empty()) {
                                images_with_alt += 1;
                            }
                        }
                        _ => {}
                    }
                    let capital = name.bytes().any(|b| b.is_ascii_uppercase());
                    for (found, s) in selectors.iter_mut().zip(&config.selectors) {
                        if !*found && s.may_match(name, capital) && s.selector.matches(&el) {
                            *found = true;
                        }
                    }
                    // `a[href*='conac.cn'], img[src*='conac.cn'], script[src*='conac.cn']`,
                    // read without the selector engine: every link of every page is one.
                    if !conac {
                        conac = match *name {
                            local_name!("a") => href,
                            local_name!("img") | local_name!("script") => {
                                attr(v, &local_name!("src"))
                            }
                            _ => None,
                        }
                        .is_some_and(|u| CONAC.is_in(u));
                    }
                    if !search && SEARCH.may_match(name, capital) && SEARCH.selector.matches(&el) {
                        search = true;
                    }
                    let anchors = if *name == local_name!("a") {
                        Anchors::One(href)
                    } else {
                        Anchors::None
                    };
                    stack.push(Frame {
                        zone,
                        hidden,
                        concealed,
                        invisible,
                        chars: 0,
                        nodes: 0,
                        digits: false,
                        anchors,
                        rows_of: None,
                        in_link: parent.in_link
                            || matches!(
                                *name,
                                local_name!("a") | local_name!("button") | local_name!("select")
                            ),
                        footer,
                        block,
                    });
                    if opens_link {
                        // Its three nearest enclosing elements (the frame at 0 is the
                        // document's) hand it their sums when they close.
                        let at = stack.len() - 1;
                        let link = links.len() - 1;
                        for (level, f) in stack[1..at].iter_mut().rev().take(3).enumerate() {
                            rows.push(RowOf {
                                link,
                                level,
                                next: f.rows_of,
                            });
                            f.rows_of = Some(rows.len() - 1);
                        }
                    }
                } else if let Some(t) = node.value().as_text() {
                    let frame = stack.last_mut().expect("root frame");
                    frame.nodes = (frame.nodes + 1).min(MAX_ROW_NODES + 1);
                    // Any text counts, shown or not, as the row reader reads it. Past an
                    // item's length the count stops; four bytes at most make a character,
                    // so a longer text node is not counted at all.
                    if frame.chars <= MAX_ITEM_CHARS {
                        if t.len() > 4 * MAX_ITEM_CHARS {
                            frame.chars = MAX_ITEM_CHARS + 1;
                        } else {
                            frame.chars += t.chars().count();
                            frame.digits |= may_be_dated(t);
                        }
                    }
                    if !frame.invisible {
                        if !frame.in_link && frame.zone == Zone::Body {
                            text.push_both(&mut prose, t);
                            prose.space();
                            if let Some(b) = frame.block {
                                blocks[b] += han_count(t);
                            }
                        } else {
                            text.push(t);
                        }
                        text.space();
                    }
                    // Footer text, visible or not, as `text()` would give it.
                    if let Some(i) = frame.footer {
                        footers[i].push_cut(t);
                    }
                }
            }
            Edge::Close(node) => {
                if node.value().is_element() {
                    let frame = stack.pop().expect("element frame");
                    if frame.rows_of.is_some() {
                        let too_long = frame.chars > MAX_ITEM_CHARS || frame.nodes > MAX_ROW_NODES;
                        let mut entry = frame.rows_of;
                        while let Some(i) = entry {
                            let RowOf { link, level, next } = rows[i];
                            links[link].levels[level] =
                                if too_long || frame.anchors.other_than(link_hrefs[link]) {
                                    Level::NotRow
                                } else {
                                    Level::Row {
                                        digits: frame.digits,
                                    }
                                };
                            entry = next;
                        }
                    }
                    let parent = stack.last_mut().expect("root frame");
                    parent.chars = (parent.chars + frame.chars).min(MAX_ITEM_CHARS + 1);
                    parent.nodes = (parent.nodes + frame.nodes + 1).min(MAX_ROW_NODES + 1);
                    parent.digits |= frame.digits;
                    parent.anchors = parent.anchors.and(frame.anchors);
                }
            }
        }
    }
    Walk {
        links,
        base,
        title,
        meta,
        lang,
        images,
        images_with_alt,
        selectors,
        conac,
        search,
        concealers,
        text: {
            let mut text = text.finish();
            text.shrink_to_fit();
            text
        },
        footers: footers.into_iter().map(Collapsed::finish_cut).collect(),
        prose: prose.finish(),
        main_text_chars: blocks.into_iter().max().unwrap_or(0),
    }
}

/// Whether `text` has an ASCII digit or a byte 0xEF (which starts every full-width form):
/// a text without either, however it is joined to its neighbours, holds no date
/// ([`crate::dates::may_hold_date`] asks for four digits in a row or such a byte).
///
/// It reads nearly every text node of a page (most sit in a short element): sixteen bytes
/// at a time, without a branch inside, which the compiler makes a few vector compares
/// (a byte at a time cost 0.3% more of the stage's instructions).
fn may_be_dated(text: &str) -> bool {
    let hit = |b: &u8| (b.wrapping_sub(b'0') < 10) | (*b == 0xEF);
    let mut chunks = text.as_bytes().chunks_exact(16);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |found, b| found | hit(b)) {
            return true;
        }
    }
    chunks.remainder().iter().any(hit)
}

/// Chinese characters (U+4E00–U+9FFF, U+3400–U+4DBF): what an article's text is made of,
/// and a list's dates and numbers are not. Counted off the UTF-8 bytes: each such character
/// is three bytes, told by its first two, and a page's prose is long. Every byte is tested
/// with the one after it, without branches, so the loop runs on vectors: a continuation
/// byte (0x80–0xBF) is never a lead byte, so only characters' first bytes can count. (A
/// loop stepping from character to character was a sixth of the page walk's time.)
fn han_count(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let han = |lead: u8, second: u8| {
        // U+5000–U+9FFF
        (lead.wrapping_sub(0xE5) < 5)
            // U+4000–U+4DBF and U+4E00–U+4FFF, not U+4DC0–U+4DFF
            | ((lead == 0xE4) & (second != 0xB7))
            // U+3400–U+3FFF
            | ((lead == 0xE3) & (second.wrapping_sub(0x90) < 0x30))
    };
    let Some((&last, init)) = bytes.split_last() else {
        return 0;
    };
    let pairs: u32 = init
        .iter()
        .zip(&bytes[1..])
        .map(|(&lead, &second)| u32::from(han(lead, second)))
        .sum();
    pairs + u32::from(han(last, 0))
}

/// The zone an element opens by itself, if any: a footer (`<footer>`, or an id or class
/// that [`token_zone`] reads as one) before navigation (`<nav>`, `<header>`, or such an id
/// or class). It runs on every element of every page: the attributes are read once, their
/// names compared as atoms.
fn own_zone(el: &scraper::node::Element) -> Option<Zone> {
    let name = &el.name.local;
    if *name == local_name!("footer") {
        return Some(Zone::Footer);
    }
    let mut nav = matches!(*name, local_name!("nav") | local_name!("header"));
    for (q, value) in el.attrs.iter() {
        let (id, class) = match q.local {
            local_name!("id") => (Some(&**value), None),
            local_name!("class") => (None, Some(value.split_whitespace())),
            _ => continue,
        };
        for token in id.into_iter().chain(class.into_iter().flatten()) {
            match token_zone(token) {
                Some(Zone::Footer) => return Some(Zone::Footer),
                Some(_) => nav = true,
                None => {}
            }
        }
    }
    nav.then_some(Zone::Nav)
}

/// What an id or class names, ignoring case: a footer when it holds `foot`, `bottom`,
/// `copyright` or `banquan` or starts with `ft` or `bq`; navigation when it holds `nav`,
/// `menu`, `header`, `daohang` or `column` or starts with `head`. Read in one pass over
/// the token, each word tried only where its first letter is.
fn token_zone(token: &str) -> Option<Zone> {
    let b = token.as_bytes();
    let at = |i: usize, word: &str| {
        b.len() - i >= word.len() && b[i..i + word.len()].eq_ignore_ascii_case(word.as_bytes())
    };
    if at(0, "ft") || at(0, "bq") {
        return Some(Zone::Footer);
    }
    let mut nav = at(0, "head");
    for (i, &c) in b.iter().enumerate() {
        // Lower case for ASCII letters; any other byte the words are compared with fails.
        match c | 0x20 {
            b'f' if at(i, "foot") => return Some(Zone::Footer),
            b'b' if at(i, "bottom") || at(i, "banquan") => return Some(Zone::Footer),
            b'c' if at(i, "copyright") => return Some(Zone::Footer),
            b'c' if at(i, "column") => nav = true,
            b'n' if at(i, "nav") => nav = true,
            b'm' if at(i, "menu") => nav = true,
            b'h' if at(i, "header") => nav = true,
            b'd' if at(i, "daohang") => nav = true,
            _ => {}
        }
    }
    nav.then_some(Zone::Nav)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Node;

    /// What each of a link's three nearest enclosing elements is to it, found by reading
    /// each one's whole subtree, as the list-row reader once did for every link.
    fn levels_by_reading(a: ElementRef) -> Vec<Level> {
        let href = attr(a.value(), &local_name!("href"));
        a.ancestors()
            .filter_map(ElementRef::wrap)
            .take(3)
            .map(|anc| {
                let nodes = anc
                    .descendants()
                    .skip(1)
                    .filter(|n| n.value().is_element() || n.value().is_text())
                    .count();
                let mut chars = 0;
                let not_row = nodes > MAX_ROW_NODES
                    || anc.descendants().any(|node| match node.value() {
                        Node::Text(t) => {
                            chars += t.chars().count();
                            chars > MAX_ITEM_CHARS
                        }
                        Node::Element(e) => {
                            e.name.local == local_name!("a")
                                && attr(e, &local_name!("href")) != href
                        }
                        _ => false,
                    });
                let text: String = anc.text().collect();
                if not_row {
                    Level::NotRow
                } else {
                    Level::Row {
                        digits: text.bytes().any(|b| b.is_ascii_digit() || b == 0xEF),
                    }
                }
            })
            .collect()
    }

    #[test]
    fn rows_from_the_walks_sums_are_rows_read_off_the_subtrees() {
        let long = "长".repeat(MAX_ITEM_CHARS);
        let made = format!(
            r#"<html><body><ul>
              <li><a href="/a/1.html">通知一</a><span>2026-11-01</span></li>
              <li><a href="/a/2.html"><img src=x.png></a><a href="/a/2.html">同一链接</a></li>
              <li><a>无链接</a><a href="/a/3.html">通知三</a></li>
              <li><a href="/a/4.html">{long}</a></li>
              <li><p><a href="/a/5.html">{long}</a></p>一</li>
              <li><a href="/a/6.html"><map><area href="/b.html"></map></a></li>
              <li><a href="/a/7.html">多节点</a>{many}</li>
              <li><a href="/a/8.html">少节点</a>{few}</li>
            </ul><div><p><span><b><a href="/deep.html">深处</a></b></span></p></div>
            <a href="/top.html">顶层</a><script>{}</script></body></html>"#,
            "x".repeat(5000),
            many = "<i></i>".repeat(MAX_ROW_NODES),
            few = "<i></i>".repeat(MAX_ROW_NODES - 2),
        );
        let mut pages = vec![made];
        for name in [
            "gov-cn-document",
            "gz-gov-article",
            "sc-gov-article",
            "shanxi-gov-article",
            "zj-fgw-article",
        ] {
            let path = format!(
                "{}/tests/fixtures/realworld/{name}.html",
                env!("CARGO_MANIFEST_DIR")
            );
            pages.push(std::fs::read_to_string(&path).expect("fixture page"));
        }
        let mut compared = 0;
        for html in &pages {
            let doc = Html::parse_document(html);
            let found = walk(&doc, &ExtractConfig::default(), html.len());
            for link in &found.links {
                let a = ElementRef::wrap(doc.tree.get(link.id).unwrap()).unwrap();
                let expected = levels_by_reading(a);
                assert_eq!(link.levels[..expected.len()], expected[..], "{}", a.html());
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared} links compared");
    }

    #[test]
    fn han_characters_are_counted_off_the_bytes_as_off_the_characters() {
        let is_han = |c: char| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}');
        let edges = [
            '\u{33ff}',
            '\u{3400}',
            '\u{3fff}',
            '\u{4000}',
            '\u{4dbf}',
            '\u{4dc0}',
            '\u{4dff}',
            '\u{4e00}',
            '\u{9fff}',
            '\u{a000}',
            '\u{3000}',
            '\u{ff0c}',
            '\u{1f600}',
            'a',
            'é',
            '\u{20000}',
        ];
        let mut text: String = edges.iter().collect();
        text.push_str("政务公开，2026年11月30日。e\u{301}");
        for start in 0..text.len() {
            let Some(t) = text.get(start..) else { continue };
            let expected = t.chars().filter(|c| is_han(*c)).count() as u32;
            assert_eq!(han_count(t), expected, "{t:?}");
        }
        // Every three-byte character, one at a time.
        for c in ('\u{800}'..='\u{ffff}').filter(|c| c.len_utf8() == 3) {
            assert_eq!(
                han_count(c.encode_utf8(&mut [0; 4])),
                u32::from(is_han(c)),
                "{c:?}"
            );
        }
    }

    #[test]
    fn ids_and_classes_name_zones_as_the_word_lists_say() {
        // The lists as first written, a search per word on the lower-cased token.
        let reference = |t: &str| {
            let t = t.to_ascii_lowercase();
            let has = |w: &str| t.contains(w);
            if ["foot", "bottom", "copyright", "banquan"]
                .iter()
                .any(|w| has(w))
                || t.starts_with("ft")
                || t.starts_with("bq")
            {
                Some(Zone::Footer)
            } else if ["nav", "menu", "header", "daohang", "column"]
                .iter()
                .any(|w| has(w))
                || t.starts_with("head")
            {
                Some(Zone::Nav)
            } else {
                None
            }
        };
        for token in [
            "",
            "f",
            "ft",
            "FT_box",
            "bq",
            "xbq",
            "footer",
            "PageFoot",
            "bottom_nav",
            "navFoot",
            "NAV",
            "mainmenu",
            "heading",
            "subheader",
            "Daohang",
            "columnList",
            "colum",
            "nafoo",
            "copyRight",
            "banquan",
            "content",
            "head",
            "hea",
            "左侧nav",
            "顶部",
            "menü",
        ] {
            assert_eq!(token_zone(token), reference(token), "{token:?}");
        }
    }
}
