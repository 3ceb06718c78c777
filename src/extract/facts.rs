//! A page read once into the compact facts that scoring needs: title and meta tags, the links
//! with their anchor text and where they sit (navigation, footer, body), the dated items of
//! list pages, the footer's identifiers (网站标识码, ICP备案号, 公安备案号, 党政机关标识, the
//! 找错 widget or link), search forms, viewport, language, image alt coverage, the visible text
//! that phrase rules search, and which of the indicator file's CSS selectors match.
//!
//! Footers are found by their markup (`<footer>`, ids and classes such as `footer`, `ft…`,
//! `bottom`, `copyright`); because portals are not consistent about it, the footer text also
//! always includes the last part of the page's text, where the identifiers sit on every
//! portal seen.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use chrono::NaiveDate;
use ego_tree::NodeId;
use ego_tree::iter::Edge;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde::Serialize;
use url::Url;

use super::{anchor_text, collapse, collapse_all};
use crate::dates;
use crate::urls::normalize;

/// Where a link sits on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// Navigation, menus and the page header: where a portal lists its columns.
    Nav,
    /// Footer markup: `<footer>`, or an id or class such as `footer`, `bottom`, `ft…`.
    Footer,
    /// Anywhere else: the page's content.
    Body,
}

/// A visible `<a>` or `<area>` link of a page; each URL and text pair once, in page order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkFact {
    /// Where the link goes; `None` for a control that opens something on the page itself
    /// (`javascript:` or `#`): portals build their 微信 QR pop-up and 关怀版 switch that way,
    /// and those still count as present.
    pub url: Option<String>,
    /// Its own text, else its `title`, else an image's `alt`; collapsed, at most 200 chars.
    pub text: String,
    /// Where it sits on the page; only body links make dated items.
    pub zone: Zone,
}

/// A dated entry of a list: a link whose list item carries a date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DatedItem {
    /// The date found in the item's text.
    pub date: NaiveDate,
    /// Where the item's link goes.
    pub url: String,
    /// The item's text, whitespace collapsed: a mailbox list says there whether a message
    /// was answered.
    pub text: String,
}

/// The 找错 (report an error) entry a page offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Jiucuo {
    /// The official `<script id="_jiucuo_" sitecode=…>` widget, with its site code.
    Widget {
        /// The widget's `sitecode` attribute, trimmed; `None` when it has none.
        sitecode: Option<String>,
    },
    /// A link to the national error-report page (`…/exposure/jiucuo.html?site_code=…`).
    Link {
        /// The national report page's URL.
        url: String,
    },
    /// A link reading 纠错 or 找错 to somewhere else (a portal's own form).
    Text {
        /// Where the link goes; empty when it is a `javascript:` or `#` control.
        url: String,
    },
}

/// The identifiers of a portal's footer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Marks {
    /// 网站标识码 as the footer writes it: 10 digits, or `bm` + 8 digits.
    pub site_code: Option<String>,
    /// ICP备案号, e.g. `粤ICP备2022092331号-1`.
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. `川公网安备 51010402000507号`.
    pub police: Option<String>,
    /// A 党政机关网站标识 (conac) link, image or script.
    pub conac: bool,
    /// The 找错 entry: the widget if present, else a national link, else a text link.
    pub jiucuo: Option<Jiucuo>,
}

/// Everything scoring knows about one page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageFacts {
    /// The page's URL; for a crawled page, the one after redirects.
    pub url: String,
    /// The `<title>` text, collapsed and cut to 200 characters; empty when there is none.
    pub title: String,
    /// `<meta name>` → content, names lower-cased (`siteidcode`, `pubdate`, `viewport`…).
    pub meta: BTreeMap<String, String>,
    /// `<html lang>`, trimmed; `None` when absent or empty.
    pub lang: Option<String>,
    /// The visible links, in page order.
    pub links: Vec<LinkFact>,
    /// The dated entries of the page's lists, sorted by date, each once.
    pub dated_items: Vec<DatedItem>,
    /// The page's own publication date (`<meta name="PubDate">`).
    pub pub_date: Option<NaiveDate>,
    /// The portal identifiers: the codes as found in `footer_text`, conac and 找错 anywhere.
    pub marks: Marks,
    /// A site search: a search input, or a form whose action names `search` or `sousuo`.
    pub search_form: bool,
    /// `<img>` elements, hidden ones included.
    pub images: u32,
    /// Of those, the ones with a non-blank `alt`.
    pub images_with_alt: u32,
    /// Visible text, whitespace collapsed.
    pub text: String,
    /// The outermost footers' text plus the page's last 1500 visible characters, where
    /// footer identifiers are looked for whatever the markup.
    pub footer_text: String,
    /// Which of the selectors given to [`page_facts`] match, by index.
    pub selectors: Vec<bool>,
}

/// Characters of the page's end counted as footer whatever the markup says.
const FOOTER_TAIL_CHARS: usize = 1500;

/// An item of a list page is a link whose enclosing item is short; a long block is an
/// article, whose dates are not a list's.
const MAX_ITEM_CHARS: usize = 300;

macro_rules! selector {
    ($name:ident, $css:expr) => {
        static $name: LazyLock<Selector> =
            LazyLock::new(|| Selector::parse($css).expect("static selector"));
    };
}

selector!(TITLE, "title");
selector!(META, "meta[name]");
selector!(HTML_EL, "html");
selector!(LINKS, "a[href], area[href]");
selector!(BASE, "base[href]");
selector!(IMG, "img");
selector!(JIUCUO_SCRIPT, "script#_jiucuo_");
selector!(
    CONAC,
    "a[href*='conac.cn'], img[src*='conac.cn'], script[src*='conac.cn']"
);
selector!(
    SEARCH,
    "form input[type='search'], form[action*='search' i], form[action*='sousuo' i], input[name*='search' i], input[placeholder*='搜索']"
);

static SITE_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"网站标识码\s*[:：]?\s*(bm[0-9]{8}|[0-9]{10})").expect("static regex")
});
static ICP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Han}ICP备?\s*[:：]?\s*[0-9]{5,}号?(?:-[0-9]+)?").expect("static regex")
});
static POLICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Han}公网安备\s*[0-9]{14}号?").expect("static regex"));

/// Reads a decoded page. `selectors` are the indicator file's CSS selectors, tested here
/// because the parsed document is not kept.
pub fn page_facts(html: &str, url: &Url, selectors: &[&Selector]) -> PageFacts {
    let doc = Html::parse_document(html);
    let base = doc
        .select(&BASE)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| url.join(h.trim()).ok())
        .unwrap_or_else(|| url.clone());

    let title = doc
        .select(&TITLE)
        .next()
        .map(|t| collapse(&t.text().collect::<String>()))
        .unwrap_or_default();
    let mut meta = BTreeMap::new();
    for m in doc.select(&META) {
        let name = m
            .value()
            .attr("name")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let content = m
            .value()
            .attr("content")
            .unwrap_or_default()
            .trim()
            .to_owned();
        // The first declaration wins, as browsers and crawlers read it.
        meta.entry(name).or_insert(content);
    }
    let lang = doc
        .select(&HTML_EL)
        .next()
        .and_then(|h| h.value().attr("lang"))
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty());

    // One walk over the tree: each element's zone (the nearest enclosing footer or
    // navigation decides, so it is inherited from the parent unless the element itself is
    // one), whether it is hidden, the visible text, and the text of the outermost footers.
    let walk = walk(&doc);

    let mut links = Vec::new();
    let mut items: BTreeSet<DatedItem> = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for a in doc.select(&LINKS) {
        let Some(&(zone, hidden)) = walk.elements.get(&a.id()) else {
            continue;
        };
        if hidden {
            continue;
        }
        let href = a.value().attr("href").unwrap_or_default();
        let target = normalize(&base, href);
        if target.is_none() && !is_control(href) {
            continue;
        }
        let text = anchor_text(a);
        let target = target.map(String::from);
        if zone == Zone::Body
            && let Some(url) = &target
            && let Some((date, text)) = item_date(a)
        {
            items.insert(DatedItem {
                date,
                url: url.clone(),
                text,
            });
        }
        if seen.insert((target.clone(), text.clone())) {
            links.push(LinkFact {
                url: target,
                text,
                zone,
            });
        }
    }
    let body_text = walk.text;
    let mut footer_parts = walk.footers;
    let tail_start = body_text
        .char_indices()
        .rev()
        .nth(FOOTER_TAIL_CHARS)
        .map_or(0, |(i, _)| i);
    footer_parts.push(body_text[tail_start..].to_owned());
    let footer_text = footer_parts.join(" ");

    let marks = Marks {
        site_code: SITE_CODE.captures(&footer_text).map(|c| c[1].to_owned()),
        icp: ICP.find(&footer_text).map(|m| m.as_str().to_owned()),
        police: POLICE.find(&footer_text).map(|m| m.as_str().to_owned()),
        conac: doc.select(&CONAC).next().is_some(),
        jiucuo: jiucuo(&doc, &links),
    };

    let mut images = 0;
    let mut images_with_alt = 0;
    for img in doc.select(&IMG) {
        images += 1;
        if img
            .value()
            .attr("alt")
            .is_some_and(|a| !a.trim().is_empty())
        {
            images_with_alt += 1;
        }
    }

    PageFacts {
        url: url.to_string(),
        title,
        pub_date: meta.get("pubdate").and_then(|d| dates::parse_date(d)),
        meta,
        lang,
        links,
        dated_items: items.into_iter().collect(),
        marks,
        search_form: doc.select(&SEARCH).next().is_some(),
        images,
        images_with_alt,
        text: body_text,
        footer_text,
        selectors: selectors
            .iter()
            .map(|s| doc.select(s).next().is_some())
            .collect(),
    }
}

/// What one walk over the document finds.
struct Walk {
    /// Each element's zone and whether it is hidden.
    elements: HashMap<NodeId, (Zone, bool)>,
    /// The visible text (no script, style, template or hidden element), collapsed.
    text: String,
    /// The text of each outermost footer element.
    footers: Vec<String>,
}

fn walk(doc: &Html) -> Walk {
    struct Frame {
        zone: Zone,
        hidden: bool,
        invisible: bool,
        /// Index into `footers` when this element opened a footer.
        footer: Option<usize>,
    }
    let mut elements = HashMap::new();
    let mut text = String::new();
    let mut footers: Vec<String> = Vec::new();
    let mut stack: Vec<Frame> = vec![Frame {
        zone: Zone::Body,
        hidden: false,
        invisible: false,
        footer: None,
    }];
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if let Some(el) = ElementRef::wrap(node) {
                    let parent = stack.last().expect("root frame");
                    let own = if is_footer_element(el) {
                        Some(Zone::Footer)
                    } else if is_nav_element(el) {
                        Some(Zone::Nav)
                    } else {
                        None
                    };
                    let zone = own.unwrap_or(parent.zone);
                    let hidden = parent.hidden || is_hidden_itself(el);
                    let invisible = parent.invisible
                        || hidden
                        || matches!(
                            el.value().name(),
                            "script" | "style" | "noscript" | "template" | "head"
                        );
                    let footer =
                        (own == Some(Zone::Footer) && parent.zone != Zone::Footer).then(|| {
                            footers.push(String::new());
                            footers.len() - 1
                        });
                    elements.insert(node.id(), (zone, hidden));
                    stack.push(Frame {
                        zone,
                        hidden,
                        invisible,
                        footer,
                    });
                } else if let Some(t) = node.value().as_text() {
                    let frame = stack.last().expect("root frame");
                    if !frame.invisible {
                        text.push_str(t);
                        text.push(' ');
                    }
                    // Footer text, visible or not, as `text()` would give it.
                    if let Some(i) = stack.iter().rev().find_map(|f| f.footer) {
                        footers[i].push_str(t);
                    }
                }
            }
            Edge::Close(node) => {
                if node.value().is_element() {
                    stack.pop();
                }
            }
        }
    }
    Walk {
        elements,
        text: collapse_all(&text),
        footers: footers.iter().map(|f| collapse(f)).collect(),
    }
}

/// `javascript:…` and `#…` hrefs: controls on the page, not links to fetch.
fn is_control(href: &str) -> bool {
    let h = href.trim().to_ascii_lowercase();
    h.starts_with("javascript:") || h.starts_with('#') || h.is_empty()
}

/// Hidden by its own inline style or `hidden` attribute (the walk inherits it downwards):
/// a reader never sees it, so it counts for nothing.
fn is_hidden_itself(el: ElementRef<'_>) -> bool {
    el.value().attr("hidden").is_some()
        || el.value().attr("style").is_some_and(|s| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

fn class_tokens(el: ElementRef<'_>) -> impl Iterator<Item = &str> {
    let id = el.value().attr("id").into_iter();
    let class = el
        .value()
        .attr("class")
        .into_iter()
        .flat_map(str::split_whitespace);
    id.chain(class)
}

fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn starts_ci(haystack: &str, prefix: &str) -> bool {
    haystack.len() >= prefix.len()
        && haystack.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn is_footer_element(el: ElementRef) -> bool {
    el.value().name() == "footer"
        || class_tokens(el).any(|t| {
            contains_ci(t, "foot")
                || contains_ci(t, "bottom")
                || contains_ci(t, "copyright")
                || contains_ci(t, "banquan")
                || starts_ci(t, "ft")
                || starts_ci(t, "bq")
        })
}

fn is_nav_element(el: ElementRef) -> bool {
    matches!(el.value().name(), "nav" | "header")
        || class_tokens(el).any(|t| {
            contains_ci(t, "nav")
                || contains_ci(t, "menu")
                || starts_ci(t, "head")
                || contains_ci(t, "header")
                || contains_ci(t, "daohang")
                || contains_ci(t, "column")
        })
}

/// The date and text of the list item a link sits in: the nearest enclosing item (or the
/// link's parent) whose text is short enough to be one entry of a list.
fn item_date(a: ElementRef) -> Option<(NaiveDate, String)> {
    for anc in a.ancestors().filter_map(ElementRef::wrap).take(3) {
        // Read at most one item's worth: a long block is not a list item, and collecting
        // the whole text of a page-sized container for every link would be quadratic.
        let mut text = String::new();
        for chunk in anc.text() {
            text.push_str(chunk);
            if text.len() > MAX_ITEM_CHARS * 4 {
                return None;
            }
        }
        if text.chars().count() > MAX_ITEM_CHARS {
            return None;
        }
        if let Some(date) = dates::parse_date(&text) {
            return Some((date, collapse_all(&text)));
        }
        if matches!(anc.value().name(), "li" | "tr" | "dd") {
            return None;
        }
    }
    None
}

fn jiucuo(doc: &Html, links: &[LinkFact]) -> Option<Jiucuo> {
    if let Some(script) = doc.select(&JIUCUO_SCRIPT).next() {
        return Some(Jiucuo::Widget {
            sitecode: script.value().attr("sitecode").map(|s| s.trim().to_owned()),
        });
    }
    // The national report page lives on a named host; a copy behind a bare IP address is
    // not the service the rule asks for.
    let national = links.iter().filter_map(|l| l.url.as_deref()).find(|u| {
        u.contains("/exposure/jiucuo")
            && Url::parse(u).is_ok_and(|u| matches!(u.host(), Some(url::Host::Domain(_))))
    });
    if let Some(url) = national {
        return Some(Jiucuo::Link {
            url: url.to_owned(),
        });
    }
    links
        .iter()
        .find(|l| l.text.contains("纠错") || l.text.contains("找错"))
        .map(|l| Jiucuo::Text {
            url: l.url.clone().unwrap_or_default(),
        })
}
