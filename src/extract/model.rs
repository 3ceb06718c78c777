//! The page model: what a page is — a list (a column's page), an article, a service guide,
//! or something else — decided from its structure, with the signals that decided it kept as
//! evidence. The homepage is told apart later, by its depth in the crawl.
//!
//! - A **list** repeats items that link to pages of the same site: five or more headlines
//!   under one parent (three with a pager: 下一页, 尾页, `index_2.html`).
//! - An **article** has one main block of text and says when it was published: a `PubDate`
//!   or `ArticleTitle` meta tag, a 发布时间/发布日期 label, or an article address shape such as
//!   `/201807/t20180727_1.html`.
//! - A **guide** (办事指南) shows the key element headings of a service *with values* in its
//!   own text, as many as the indicator file asks (three by default).
//!
//! Only lists have freshness: a static page (机构职能, 领导信息) is present or absent, never
//! stale.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ExtractConfig;
use crate::lang::{Lang, Text};
use crate::tr;

/// What kind of page a page is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageClass {
    /// The site's homepage (depth 0 of the crawl).
    Homepage,
    /// A column's page: repeated items linking to the site's pages.
    List,
    /// One main text with a publication date.
    Article,
    /// A service guide: element headings with their values.
    Guide,
    /// Anything else: a static page, a form, a search page, an index of sub-columns.
    #[default]
    Other,
}

impl PageClass {
    /// The name reports show.
    pub fn as_str(self) -> &'static str {
        match self {
            PageClass::Homepage => "homepage",
            PageClass::List => "list",
            PageClass::Article => "article",
            PageClass::Guide => "guide",
            PageClass::Other => "other",
        }
    }

    /// The name Chinese notes give the class.
    pub fn zh(self) -> &'static str {
        match self {
            PageClass::Homepage => "首页",
            PageClass::List => "列表页",
            PageClass::Article => "文章页",
            PageClass::Guide => "办事指南",
            PageClass::Other => "其他页面",
        }
    }

    /// The class's name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.as_str())
    }
}

/// The structural measures a page is classified by, from the one walk over its tree.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Structure {
    /// Same-site headlines in the largest group of repeated rows.
    pub list_items: u32,
    /// How many of those show a date in their row.
    pub dated_list_items: u32,
    /// Rows of the body, in any list, that show a date.
    pub dated_rows: u32,
    /// What shows the list continues on other pages (the pager's words or a link).
    pub pagination: Option<String>,
    /// Chinese characters of the block holding the most body text outside links.
    pub main_text_chars: u32,
    /// The `PubDate` meta tag's date.
    pub pub_date_meta: Option<NaiveDate>,
    /// A date the page labels as its own (`发布时间：2021-01-08`), with the label.
    pub labelled_date: Option<(String, NaiveDate)>,
    /// An `ArticleTitle` meta tag with content.
    pub article_title_meta: bool,
    /// The article address shape of the page's URL, if it has one.
    pub url_shape: Option<&'static str>,
    /// The date in the page's URL, if it has one.
    pub url_date: Option<NaiveDate>,
    /// The guide elements whose headings appear with a value, by their names.
    pub guide_elements: Vec<String>,
}

/// Headlines under one parent that make a list.
const LIST_MIN_ITEMS: u32 = 5;
/// With a pager, fewer do (the last page of a column).
const LIST_MIN_ITEMS_PAGED: u32 = 2;
/// Chinese characters of main text an article with a publication date has at least.
const ARTICLE_MIN_TEXT: u32 = 100;

/// The class of a page by its structure, and the signals that chose it.
pub fn classify(s: &Structure, config: &ExtractConfig) -> (PageClass, Vec<Text>) {
    let mut signals = Vec::new();
    if s.list_items > 0 || s.dated_rows > 0 {
        let (items, dated, rows) = (s.list_items, s.dated_list_items, s.dated_rows);
        signals.push(tr!(
            "列表条目{items}个（{dated}个带日期），带日期的行{rows}个",
            "{items} list items ({dated} dated), {rows} dated rows"
        ));
    }
    if let Some(p) = &s.pagination {
        signals.push(tr!("翻页：{p}", "pagination: {p}"));
    }
    let chars = s.main_text_chars;
    signals.push(tr!("正文{chars}字", "main text {chars} characters"));
    if let Some(d) = s.pub_date_meta {
        signals.push(tr!("PubDate元数据{d}", "PubDate meta {d}"));
    }
    if let Some((label, d)) = &s.labelled_date {
        signals.push(Text::same(format!("{label} {d}")));
    }
    if s.article_title_meta {
        signals.push(tr!("ArticleTitle元数据", "ArticleTitle meta"));
    }
    if let Some(shape) = s.url_shape {
        signals.push(tr!("文章网址{shape}", "article address {shape}"));
    }
    if !s.guide_elements.is_empty() {
        let elements = s.guide_elements.join("、");
        signals.push(tr!(
            "办事指南要素：{elements}",
            "guide elements: {elements}"
        ));
    }
    let dated = s.pub_date_meta.is_some()
        || s.labelled_date.is_some()
        || s.article_title_meta
        || s.url_shape.is_some()
        || s.url_date.is_some();
    // A column with one or two entries is still a list when its rows are dated and it has
    // next to no text of its own.
    let list = s.list_items >= LIST_MIN_ITEMS
        || (s.list_items >= LIST_MIN_ITEMS_PAGED && s.pagination.is_some())
        || (s.dated_rows >= 1 && s.main_text_chars < ARTICLE_MIN_TEXT && !dated);
    let guide_min = config.guides.map_or(0, |g| g.min_elements as usize);
    let class = if guide_min > 0 && s.guide_elements.len() >= guide_min {
        PageClass::Guide
    } else if dated && (s.main_text_chars >= ARTICLE_MIN_TEXT || !list) {
        PageClass::Article
    } else if list {
        PageClass::List
    } else {
        // A long text without any date is a static page (机构职能, 领导信息): present, never
        // stale.
        PageClass::Other
    };
    (class, signals)
}

/// Characters before a heading that show it starts a line or a cell: the start of the text,
/// a space, or a numbering mark (`一、`, `1.`, `【`).
fn starts_heading(before: Option<char>) -> bool {
    before.is_none_or(|c| {
        c.is_whitespace() || c.is_ascii_digit() || "、.．:：【[（(|一二三四五六七八九十".contains(c)
    })
}

/// The guide elements whose heading (any of its synonyms) starts a line or cell of `prose`
/// and is followed by a value: some text that is not just the next heading, as in a table
/// header row without values. Listed in the indicator file's order.
pub fn guide_elements(prose: &str, config: &ExtractConfig) -> Vec<String> {
    let Some(guide) = config.guides else {
        return Vec::new();
    };
    let mut shown = vec![false; guide.elements.len()];
    for (heading, at) in guide.headings.occurrences(prose) {
        let element = guide.heading_element[heading];
        if shown[element] || !starts_heading(prose[..at.start].chars().next_back()) {
            continue;
        }
        let rest = prose[at.end..]
            .trim_start_matches(|c: char| c.is_whitespace() || "】])）:：".contains(c));
        if !rest.is_empty()
            && !guide
                .headings
                .words()
                .iter()
                .any(|h| rest.starts_with(h.as_str()))
        {
            shown[element] = true;
        }
    }
    guide
        .elements
        .iter()
        .zip(shown)
        .filter(|(_, shown)| *shown)
        .map(|(element, _)| element.name.clone())
        .collect()
}
