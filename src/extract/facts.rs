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

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use chrono::NaiveDate;
use html5ever::local_name;
use regex::Regex;
use scraper::ElementRef;
use serde::Serialize;
use url::Url;

use super::foreign::{ForeignScript, SpamLink, foreign_given_root, foreign_scripts, spam_link};
use super::hidden::Concealment;
use super::model::{PageClass, Structure, classify};
use super::personal::{PersonalDatum, personal_data};
use super::rows::ItemRows;
use super::walk::walk;
use super::{ExtractConfig, anchor_text, anchor_text_of, attr, collapse_all, elements_named};
use crate::dates;
use crate::tr;
use crate::urls::{Resolver, article_shape, root_of};

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
    /// For a 更多 (more) link, the column it leads to as its block's heading names it
    /// (`<h3>电视报道</h3> … <a>>>更多</a>`): portals head their homepage blocks that way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<String>,
}

impl LinkFact {
    /// What the link names: its text, or for a 更多 link the heading of its block.
    pub fn name(&self) -> &str {
        self.names.as_deref().unwrap_or(&self.text)
    }
}

/// An entry of a list on the page: a headline link among repeated same-site links, or any
/// body link whose list row shows a date. Its date is the row's, when the row shows one;
/// scoring completes it from the linked page and the address (see `score`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Item {
    /// The date the item's row shows; `None` for a headline listed without a date.
    pub date: Option<NaiveDate>,
    /// Where the item's link goes.
    pub url: String,
    /// The item's text (the row's, with its date, when dated), whitespace collapsed: a
    /// mailbox list says there whether a message was answered.
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
    /// The conac mark's id, from its link (`bszs.conac.cn/sitename?method=show&id=…`).
    pub conac_id: Option<String>,
    /// 主办单位 as the footer writes it.
    pub sponsor: Option<String>,
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
    /// The entries of the page's lists, each link once: dated ones by date, then the
    /// undated in page order.
    pub items: Vec<Item>,
    /// The page's own publication date (`<meta name="PubDate">`).
    pub pub_date: Option<NaiveDate>,
    /// The date the page says it was published: the `PubDate` meta, else a 发布时间 /
    /// 发布日期 / 日期 label in its text. A headline's date comes from here when its list
    /// shows none.
    pub article_date: Option<NaiveDate>,
    /// What the page's structure says, the measures the page model classifies by.
    pub structure: Structure,
    /// The page's class by its own structure (the homepage is told apart later, by depth).
    pub class: PageClass,
    /// The signals that chose the class, as evidence shows them; a page whose nesting was
    /// cut (see [`super::parse`]) says so here.
    pub signals: Vec<crate::lang::Text>,
    /// Start tags dropped because they nested deeper than the parse allows.
    pub cut_tags: u32,
    /// Links to other sites, not government ones (`*.gov.cn`), that the page hides from its
    /// readers (暗链 candidates), in page order, each with the element that hides it.
    pub hidden_links: Vec<HiddenLink>,
    /// Visible links to other, non-government sites whose text or address carries a spam
    /// word of the indicator file (篡改 signs).
    pub spam_links: Vec<SpamLink>,
    /// Scripts loaded from other, non-government sites, in page order.
    pub scripts: Vec<ForeignScript>,
    /// Identity and mobile numbers in the visible text, masked (个人信息泄露 candidates).
    pub personal: Vec<PersonalDatum>,
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

static SITE_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"网站标识码\s*[:：]?\s*(bm[0-9]{8}|[0-9]{10})").expect("static regex")
});
/// `粤ICP备2022092331号-1`.
static ICP: LazyLock<HanMark> =
    LazyLock::new(|| HanMark::new("ICP", r"备?\s*[:：]?\s*[0-9]{5,}号?(?:-[0-9]+)?"));
static SPONSOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"主\s*办\s*(?:单\s*位)?\s*[:：]\s*([^\s|｜,，。;；:：]+)").expect("static regex")
});
/// `川公网安备 51010402000507号`.
static POLICE: LazyLock<HanMark> = LazyLock::new(|| HanMark::new("公网安备", r"\s*[0-9]{14}号?"));

/// A footer mark written as one Han character (the province's), a fixed text, and more:
/// `\p{Han}literal…`. Searched as that pattern over the whole footer, the engine stepped
/// through every character looking for a Han one followed by the literal (regex search fell
/// from 2.4% to 1.1% of the stage's time on the real sites when it stopped). It is tried
/// instead only at each occurrence of the literal, from the character before it; each match
/// starts there, so the first occurrence that matches gives the leftmost match, the one the
/// unanchored search gives. The literal is written once, for its searcher (built once:
/// built for every page, it showed in `perf` at 0.2% of the stage) and its pattern.
struct HanMark {
    literal: memchr::memmem::Finder<'static>,
    /// `^\p{Han}literal…`.
    anchored: Regex,
}

impl HanMark {
    /// The mark `\p{Han}` + `literal` + `rest` (a pattern).
    fn new(literal: &'static str, rest: &str) -> Self {
        Self {
            literal: memchr::memmem::Finder::new(literal),
            anchored: Regex::new(&format!(r"^\p{{Han}}{}{rest}", regex::escape(literal)))
                .expect("static regex"),
        }
    }

    /// The first of it in `text`.
    fn find<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.literal.find_iter(text.as_bytes()).find_map(|at| {
            let before = text[..at].chars().next_back()?;
            self.anchored
                .find(&text[at - before.len_utf8()..])
                .map(|m| m.as_str())
        })
    }
}

/// Reads a decoded page. `config` carries what the indicator file asks of every page: its
/// CSS selectors, tested here because the parsed document is not kept, and the guide
/// elements the page model looks for.
pub fn page_facts(html: &str, url: &Url, config: &ExtractConfig) -> PageFacts {
    page_facts_resolving(html, url, config, &mut Resolver::default())
}

/// [`page_facts`] for one of a site's pages, its links resolved through `resolver`, which
/// keeps what the site's other pages resolved.
pub fn page_facts_resolving(
    html: &str,
    url: &Url,
    config: &ExtractConfig,
    resolver: &mut Resolver,
) -> PageFacts {
    let parsed = super::parse::parse_document(html);
    let doc = parsed.doc;
    // One walk over the tree: each element's zone (the nearest enclosing footer or
    // navigation decides, so it is inherited from the parent unless the element itself is
    // one), whether it is hidden, the visible text, the text of the outermost footers, the
    // page's prose (body text outside links, by the block that holds it), the head's title,
    // meta and base, the links, images, and which selectors match.
    let walk = walk(&doc, config, html.len());
    let base = walk
        .base
        .as_deref()
        .and_then(|h| url.join(h.trim()).ok())
        .unwrap_or_else(|| url.clone());
    let mut hidden_links: Vec<HiddenLink> = Vec::new();
    let mut spam_links: Vec<SpamLink> = Vec::new();

    let own_root = root_of(url);
    let mut links = Vec::new();
    // Each (target, text) once: the first link's index by the pair's hash, the pair itself
    // compared on a hit (and every link read on the rare hit of another pair's hash).
    let mut seen: HashMap<u64, usize, BuildHasherDefault<Prehashed>> = HashMap::default();
    // Seeded per page, as SipHash's `RandomState` is (a page's links are the keys, and a
    // hostile page chooses them), at a fraction of its cost: SipHash was 2% of the bench
    // crawl's score stage, here and in scoring's tables of links.
    let keys = foldhash::fast::RandomState::default();
    let mut rows = ItemRows::default();
    // Each `href` resolved once: on the real sites half a page's links repeat another's
    // (a headline's picture and title, a menu in the header and the footer). The resolver
    // behind this table keeps what the site's other pages resolved; this one lends its
    // answers by reference, so a repeat costs neither the resolver's key nor a copy.
    let mut resolved: foldhash::HashMap<&str, Option<Url>> =
        foldhash::HashMapExt::with_capacity(walk.links.len());
    for link in &walk.links {
        let (id, zone, hidden, concealed) = (link.id, link.zone, link.hidden, link.concealed);
        let Some(a) = doc.tree.get(id).and_then(ElementRef::wrap) else {
            continue;
        };
        let href = attr(a.value(), &local_name!("href")).unwrap_or_default();
        // Borrowed from the table, not copied: a link's target is copied once, into the
        // link kept, if it is kept.
        let target: &Option<Url> = resolved
            .entry(href)
            .or_insert_with(|| resolver.resolve(&base, href));
        // The target's registrable domain, found once: the hidden-link, spam-link and
        // list-row tests all ask whether the link leaves the site.
        let target_root = target.as_ref().map(|t| {
            // Most links stay on the page's own host: its domain is known.
            if t.host_str() == url.host_str() {
                own_root.as_deref().map(Cow::Borrowed)
            } else {
                root_of(t).map(Cow::Owned)
            }
        });
        let foreign = match (target, &target_root) {
            (Some(t), Some(r)) => foreign_given_root(t, r.as_deref(), own_root.as_deref()),
            _ => false,
        };
        // A hidden panel or menu that links other government sites (a slide-out 我要办
        // pointing at the province's service platform) is a menu a script opens, not 暗链.
        if let (Some(block), Some(t)) = (concealed, target)
            && foreign
            && let Some(hider) = doc.tree.get(block).and_then(ElementRef::wrap)
        {
            hidden_links.push(HiddenLink {
                url: t.to_string(),
                text: anchor_text(a),
                block: super::hidden::css_path(hider),
                how: walk.concealers[&block].clone(),
            });
        }
        if hidden {
            continue;
        }
        if target.is_none() && !is_control(href) {
            continue;
        }
        let own: String = a.text().collect();
        let text = anchor_text_of(a, &own);
        if let Some(t) = target
            && let Some(spam) = spam_link(a, t, &text, foreign, config.spam_words)
        {
            spam_links.push(spam);
        }
        if zone == Zone::Body {
            // A headline whose link a copy or a script broke (`javascript:;`) still shows
            // the page is a list; only a real link makes an item to date.
            let same_site = target_root
                .as_ref()
                .is_none_or(|r| r.as_deref() == own_root.as_deref());
            rows.add(a, target.as_ref(), &text, &own, same_site, link.levels);
        }
        let target = target.as_ref().map(Url::as_str);
        let hash = std::hash::BuildHasher::hash_one(&keys, (target, text.as_str()));
        let same = |l: &LinkFact| l.url.as_deref() == target && l.text == text;
        let repeated = seen
            .get(&hash)
            .is_some_and(|&i| same(&links[i]) || links.iter().any(same));
        if !repeated {
            seen.entry(hash).or_insert(links.len());
            let names = more_link_heading(a, &text);
            links.push(LinkFact {
                url: target.map(str::to_owned),
                text,
                zone,
                names,
            });
        }
    }
    let rows = rows.finish();

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
        icp: ICP.find(&footer_text).map(str::to_owned),
        police: POLICE.find(&footer_text).map(str::to_owned),
        conac: walk.conac,
        conac_id: conac_id(&links),
        sponsor: SPONSOR.captures(&footer_text).map(|c| c[1].to_owned()),
        jiucuo: jiucuo(
            elements_named(&doc, &local_name!("script"))
                .find(|s| s.value().id() == Some("_jiucuo_")),
            &links,
        ),
    };

    let meta = walk.meta;
    let pub_date = meta.get("pubdate").and_then(|d| dates::parse_date(d));
    let labelled_date = DATE_LABEL
        .captures(&body_text)
        .and_then(|c| dates::parse_date(&c[2]).map(|d| (c[1].to_owned(), d)));
    let structure = Structure {
        list_items: rows.list_items,
        dated_list_items: rows.dated_list_items,
        dated_rows: rows.dated_rows,
        pagination: pagination(&body_text, &links, url),
        main_text_chars: walk.main_text_chars,
        pub_date_meta: pub_date,
        labelled_date: labelled_date.clone(),
        article_title_meta: meta.get("articletitle").is_some_and(|t| !t.is_empty()),
        url_shape: article_shape(url),
        url_date: dates::url_date(url.path()),
        guide_elements: super::model::guide_elements(&walk.prose, config),
    };
    let (class, mut signals) = classify(&structure, config);
    if parsed.cut_tags > 0 {
        let (n, max) = (parsed.cut_tags, super::parse::MAX_DEPTH);
        signals.push(tr!(
            "嵌套超过{max}层：略去{n}个标签（只读其中的文字）",
            "nested deeper than {max} levels: {n} tags dropped (their text kept)"
        ));
    }

    PageFacts {
        url: url.to_string(),
        title: walk.title.unwrap_or_default(),
        article_date: pub_date.or(labelled_date.map(|(_, d)| d)),
        pub_date,
        meta,
        lang: walk.lang,
        links,
        items: rows.items,
        structure,
        class,
        signals,
        cut_tags: parsed.cut_tags,
        hidden_links,
        spam_links,
        scripts: foreign_scripts(
            elements_named(&doc, &local_name!("script"))
                .filter(|s| attr(s.value(), &local_name!("src")).is_some()),
            &base,
            &own_root,
        ),
        personal: super::personal::locate(&doc, personal_data(&body_text)),
        marks,
        search_form: walk.search,
        images: walk.images,
        images_with_alt: walk.images_with_alt,
        text: body_text,
        footer_text,
        selectors: walk.selectors,
    }
}

/// What a "more" link reads after its arrows: 更多, 查看更多, more.
fn is_more(text: &str) -> bool {
    // The arrows as a `match`: a set written as a string is searched, a hundred
    // instructions a character, two characters a link.
    let arrow = |c: char| {
        matches!(
            c,
            '<' | '>' | '«' | '»' | '＞' | '》' | '→' | '+' | '.' | '．' | '…'
        )
    };
    let bare = text.trim_matches(|c: char| c.is_whitespace() || arrow(c));
    // Compared in place: every link of every page asks, and a lower-cased copy was an
    // allocation a link.
    matches!(bare, "更多" | "查看更多" | "更多内容" | "更多信息")
        || bare.eq_ignore_ascii_case("more")
}

/// The heading a 更多 link's block gives it: the nearest enclosing block (within three
/// levels) whose text, the link's own taken out, is short enough to be a column's name.
fn more_link_heading(a: ElementRef, text: &str) -> Option<String> {
    if !is_more(text) {
        return None;
    }
    let own: String = a.text().collect();
    for anc in a.ancestors().filter_map(ElementRef::wrap).take(3) {
        let mut block = String::new();
        for chunk in anc.text() {
            block.push_str(chunk);
            if block.len() > 200 {
                return None;
            }
        }
        let heading = collapse_all(&block.replacen(own.as_str(), " ", 1));
        let chars = heading.chars().count();
        if chars >= 2 {
            return (chars <= 16).then_some(heading);
        }
    }
    None
}

/// A label that introduces a page's own publication date: `发布时间：2021-01-08`.
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(发布时间|发布日期|发表时间|发文日期|成文日期|更新时间|信息时间|日期|时间)\s*[:：]\s*(\S[^:：]{0,24})")
        .expect("static regex")
});

/// Words and links that show a list continues on other pages.
static PAGINATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"下一页|下页|尾页|末页|上一页|共\s*[0-9]+\s*页|第\s*[0-9]+\s*页")
        .expect("static regex")
});
static PAGE_QUERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|&)(?:page|pageindex|pagenum|curpage|pageNo)=[0-9]+").expect("static regex")
});

/// How the page shows that its list goes on: the pager's words, or a link to another page of
/// the same list — the page's own address with a page number (`index.html` → `index_2.html`,
/// `18287.html` → `18287_3.html`, `list_2.html` → `list_3.html`) or a `page=` query.
fn pagination(text: &str, links: &[LinkFact], page: &Url) -> Option<String> {
    if let Some(m) = PAGINATION.find(text) {
        return Some(m.as_str().to_owned());
    }
    let path = page.path();
    let file = path.rsplit('/').next().unwrap_or_default();
    let folder = &path[..path.len() - file.len()];
    let stem = file.split('.').next().unwrap_or_default();
    // `list_2.html` is page 2 of `list.html`: its stem without its own page number.
    let stem = match stem.rsplit_once('_') {
        Some((base, n)) if !base.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => base,
        _ if stem.is_empty() => "index",
        _ => stem,
    };
    let same_list = |u: &Url| {
        u.path()
            .strip_prefix(folder)
            .and_then(|f| f.strip_prefix(stem))
            .and_then(|rest| rest.strip_prefix('_'))
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    };
    // Only an address that holds the list's stem or a query can be another page of it:
    // those alone are parsed.
    let needle = format!("{folder}{stem}_");
    links
        .iter()
        .filter(|l| l.zone != Zone::Footer)
        .filter_map(|l| l.url.as_deref())
        .filter(|u| u.contains('?') || u.contains(&needle))
        .filter_map(|u| Url::parse(u).ok())
        .find(|u| same_list(u) || u.query().is_some_and(|q| PAGE_QUERY.is_match(q)))
        .map(|u| format!("link to {u}"))
}

/// A link to another site that its page hides from readers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HiddenLink {
    /// The link's target.
    pub url: String,
    /// Its anchor text.
    pub text: String,
    /// A CSS path to the outermost element that hides it: the block an evaluator looks at.
    pub block: String,
    /// How that element is hidden.
    pub how: Concealment,
}

/// A hasher for keys that are hashes already: it keeps the `u64` it is given.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64`s are hashed with it; any other key still hashes, byte by byte.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A text looked for in every link of a page, its searcher built once: `str::contains`
/// builds one on each call (130 instructions a link and text, four of them a link).
pub(super) struct Needle(LazyLock<memchr::memmem::Finder<'static>>);

impl Needle {
    const fn new(text: fn() -> memchr::memmem::Finder<'static>) -> Self {
        Needle(LazyLock::new(text))
    }

    pub(super) fn is_in(&self, haystack: &str) -> bool {
        self.0.find(haystack.as_bytes()).is_some()
    }
}

pub(super) static CONAC: Needle = Needle::new(|| memchr::memmem::Finder::new("conac.cn"));
static NATIONAL_JIUCUO: Needle = Needle::new(|| memchr::memmem::Finder::new("/exposure/jiucuo"));
static JIUCUO: Needle = Needle::new(|| memchr::memmem::Finder::new("纠错"));
static ZHAOCUO: Needle = Needle::new(|| memchr::memmem::Finder::new("找错"));

/// `javascript:…` and `#…` hrefs: controls on the page, not links to fetch.
fn is_control(href: &str) -> bool {
    let h = href.trim().to_ascii_lowercase();
    h.starts_with("javascript:") || h.starts_with('#') || h.is_empty()
}

/// The id of the page's conac mark, from its link's `id` parameter.
fn conac_id(links: &[LinkFact]) -> Option<String> {
    links
        .iter()
        .filter_map(|l| l.url.as_deref())
        .filter(|u| CONAC.is_in(u))
        .filter_map(|u| Url::parse(u).ok())
        .filter(|u| u.host_str().is_some_and(|h| h.ends_with("conac.cn")))
        .find_map(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "id")
                .map(|(_, v)| v.into_owned())
                .filter(|v| !v.is_empty())
        })
}

/// The page's 纠错 entry: `script`, the first `<script id="_jiucuo_">` (the national
/// widget), else a link to the national report page, else a link that reads as one.
fn jiucuo(script: Option<ElementRef>, links: &[LinkFact]) -> Option<Jiucuo> {
    if let Some(script) = script {
        return Some(Jiucuo::Widget {
            sitecode: script.value().attr("sitecode").map(|s| s.trim().to_owned()),
        });
    }
    // The national report page lives on a named host; a copy behind a bare IP address is
    // not the service the rule asks for.
    let national = links.iter().filter_map(|l| l.url.as_deref()).find(|u| {
        NATIONAL_JIUCUO.is_in(u)
            && Url::parse(u).is_ok_and(|u| matches!(u.host(), Some(url::Host::Domain(_))))
    });
    if let Some(url) = national {
        return Some(Jiucuo::Link {
            url: url.to_owned(),
        });
    }
    links
        .iter()
        .find(|l| JIUCUO.is_in(&l.text) || ZHAOCUO.is_in(&l.text))
        .map(|l| Jiucuo::Text {
            url: l.url.clone().unwrap_or_default(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The footer marks found at their literal are what the unanchored patterns find: on
    /// the real pages and where the two could part (no character or a non-Han one before the
    /// literal, the literal repeated or glued to itself, a first occurrence that fails
    /// before one that matches).
    #[test]
    fn marks_found_at_their_literal_are_the_unanchored_matches() {
        let icp = Regex::new(r"\p{Han}ICP备?\s*[:：]?\s*[0-9]{5,}号?(?:-[0-9]+)?").unwrap();
        let police = Regex::new(r"\p{Han}公网安备\s*[0-9]{14}号?").unwrap();
        let mut texts: Vec<String> = [
            "蜀ICP备12345678号-1",
            "ICP备12345678号 京ICP备87654321号",
            "aICP12345 粤ICP 2022092331号-1",
            "粤ICP备123 粤ICP备2022092331号",
            "ICPICP备12345678",
            "京ICPICP备12345678",
            "川公网安备 51010402000507号",
            "公网安备 51010402000507号",
            "x公网安备51010402000507 川公网安备 51010402000507",
            "公网安备公网安备51010402000507号",
            "川公网安备 5101040200050 川公网安备 51010402000507号",
            "备案：京ICP备05070218号 京公网安备11010202000001号 京ICP备05070219号",
            "",
            "ICP",
            "公网安备",
        ]
        .map(String::from)
        .to_vec();
        let pages =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/realworld");
        for entry in std::fs::read_dir(pages).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                texts.push(String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned());
            }
        }
        for text in &texts {
            let short: String = text.chars().take(30).collect();
            assert_eq!(
                ICP.find(text),
                icp.find(text).map(|m| m.as_str()),
                "{short}"
            );
            assert_eq!(
                POLICE.find(text),
                police.find(text).map(|m| m.as_str()),
                "{short}"
            );
        }
    }

    /// A `<frameset>` takes the `<body>` out of the document, scripts and all; a browser had
    /// run the scripts by then: they still count, as the selector engine read them.
    #[test]
    fn scripts_a_frameset_cut_out_still_count() {
        let html = r#"<html><head></head><body>
            <script src="//evil.example.com/kb.js"></script>
            <script id="_jiucuo_" sitecode="bm01000001"></script>
            <style>.f{display:none}</style>
            <frameset><frame class="f" src="a.html"></frameset></body></html>"#;
        let url = Url::parse("http://www.a.gov.cn/").unwrap();
        let facts = page_facts(html, &url, &ExtractConfig::default());
        let scripts: Vec<&str> = facts.scripts.iter().map(|s| s.url.as_str()).collect();
        assert_eq!(scripts, ["http://evil.example.com/kb.js"]);
        assert_eq!(
            facts.marks.jiucuo,
            Some(Jiucuo::Widget {
                sitecode: Some("bm01000001".into())
            })
        );
    }

    #[test]
    fn a_more_link_names_the_column_its_block_heads() {
        let html = r#"<html><body>
            <div class="tit"><h3>电视报道</h3><p><a href="/channels/18288.html">&gt;&gt;更多</a></p></div>
            <div class="box"><span>通知公告</span><a href="/tzgg/">更多»</a></div>
            <div><a href="/news/1.html">更多精彩内容请关注本网</a></div>
        </body></html>"#;
        let url = Url::parse("http://www.a.gov.cn/").unwrap();
        let facts = page_facts(html, &url, &ExtractConfig::default());
        let names: Vec<(&str, &str)> = facts
            .links
            .iter()
            .map(|l| (l.text.as_str(), l.name()))
            .collect();
        assert_eq!(
            names,
            [
                (">>更多", "电视报道"),
                ("更多»", "通知公告"),
                ("更多精彩内容请关注本网", "更多精彩内容请关注本网"),
            ]
        );
    }
}
