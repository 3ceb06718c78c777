//! A page's lists, row by row: which body links are headlines repeated under one parent (a
//! list), which rows show a date, and the items those rows make. The page model reads the
//! size of the largest list; scoring reads the items and completes their dates.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use ego_tree::NodeId;
use html5ever::local_name;
use scraper::{ElementRef, Node};
use url::Url;

use super::collapse_all;
use super::facts::Item;
use super::walk::Level;
use crate::dates;
use crate::urls::article_shape;

/// An item of a list page is a link whose enclosing item is short; a long block is an
/// article, whose dates are not a list's.
pub(super) const MAX_ITEM_CHARS: usize = 300;

/// Elements and text nodes an element may hold and still be one row of a list (a list
/// item's link, date, icon and spans are a dozen): a larger block is not a row, and reading
/// the text of every such block for every link in it would let a hostile page (thousands of
/// links to one address over a million empty elements) cost time quadratic in its size.
pub(super) const MAX_ROW_NODES: usize = 200;

/// Headline links that may form a list: short to be an item, long to be a headline.
const MIN_HEADLINE_CHARS: usize = 8;
/// Repeated headlines under one parent that make a list.
const MIN_GROUP: usize = 3;

/// The body links of a page gathered into list rows, by the element the rows repeat under.
#[derive(Default)]
pub(super) struct ItemRows {
    /// Each candidate, in page order: its group key, whether it is a same-site headline,
    /// the date its row shows, and the item it makes (none for a control link).
    rows: Vec<(Option<NodeId>, Row)>,
}

/// One candidate row of a list.
struct Row {
    /// A same-site link (or a broken control) with a headline's length of text.
    headline: bool,
    /// The date the row shows.
    date: Option<NaiveDate>,
    /// The link goes to an article address (`/201807/t20180727_1.html`).
    to_article: bool,
    /// The item the row makes; none for a control link.
    item: Option<Item>,
}

/// What a page's rows say: its items, and the measures the page model reads.
pub(super) struct Rows {
    pub(super) items: Vec<Item>,
    /// Same-site headlines in the largest group of repeated rows.
    pub(super) list_items: u32,
    /// How many of those show a date.
    pub(super) dated_list_items: u32,
    /// Body rows of any kind showing a date.
    pub(super) dated_rows: u32,
}

impl ItemRows {
    /// Adds the body link `a` to `url`, whose anchor text is `text` and own text (its text
    /// nodes as they are) `own`; `levels` tells what its three nearest enclosing elements
    /// can be to it (the walk's [`WalkLink::levels`]).
    ///
    /// [`WalkLink::levels`]: super::walk::WalkLink::levels
    pub(super) fn add(
        &mut self,
        a: ElementRef,
        url: Option<&Url>,
        text: &str,
        own: &str,
        same_site: bool,
        levels: [Level; 3],
    ) {
        let row = item_date(a, own, levels);
        let headline = same_site && text.chars().count() >= MIN_HEADLINE_CHARS;
        if row.is_none() && !headline {
            return;
        }
        let date = row.as_ref().map(|(d, _)| *d);
        let item = url.map(|url| {
            let text = match row {
                Some((_, row_text)) => row_text,
                None => text.to_owned(),
            };
            Item {
                date,
                url: url.to_string(),
                text,
            }
        });
        let row = Row {
            headline,
            date,
            to_article: url.is_some_and(|u| article_shape(u).is_some()),
            item,
        };
        self.rows.push((list_parent(a), row));
    }

    /// The items (dated rows, and headlines in groups of [`MIN_GROUP`] or more), with the
    /// size of the largest list of headlines and how many of them are dated. A group of
    /// undated links to sections (a directory of offices, a menu) is not a list of
    /// headlines: half its rows must be dated or lead to articles.
    pub(super) fn finish(self) -> Rows {
        #[derive(Default, Clone, Copy)]
        struct Group {
            rows: u32,
            dated: u32,
            to_articles: u32,
        }
        let mut groups: HashMap<NodeId, Group> = HashMap::new();
        let mut dated_rows = 0;
        for (key, row) in &self.rows {
            dated_rows += u32::from(row.date.is_some());
            if let (Some(key), true) = (key, row.headline) {
                let g = groups.entry(*key).or_default();
                g.rows += 1;
                g.dated += u32::from(row.date.is_some());
                g.to_articles += u32::from(row.to_article);
            }
        }
        let (largest, dated) = groups
            .values()
            .filter(|g| 2 * g.dated >= g.rows || 2 * g.to_articles >= g.rows)
            .map(|g| (g.rows, g.dated))
            .max()
            .unwrap_or_default();
        let grouped = |key: &Option<NodeId>, headline: bool| {
            headline
                && key.is_some_and(|k| groups.get(&k).is_some_and(|g| g.rows as usize >= MIN_GROUP))
        };
        let mut dated_items: BTreeSet<Item> = BTreeSet::new();
        let mut undated: Vec<Item> = Vec::new();
        for (key, row) in self.rows {
            let Some(item) = row.item else { continue };
            if row.date.is_some() {
                dated_items.insert(item);
            } else if grouped(&key, row.headline) {
                undated.push(item);
            }
        }
        // A headline also listed with a date elsewhere on the page is that dated item.
        let mut seen: BTreeSet<String> = dated_items.iter().map(|i| i.url.clone()).collect();
        let mut items: Vec<Item> = dated_items.into_iter().collect();
        items.extend(undated.into_iter().filter(|i| seen.insert(i.url.clone())));
        Rows {
            items,
            list_items: largest,
            dated_list_items: dated,
            dated_rows,
        }
    }
}

/// The element a list repeats its rows under: the parent of the link's row (`li`, `tr`,
/// `dd`, `dt` or `p` within three levels), else the link's own parent.
fn list_parent(a: ElementRef) -> Option<NodeId> {
    for anc in a.ancestors().filter_map(ElementRef::wrap).take(3) {
        if matches!(
            anc.value().name.local,
            local_name!("li")
                | local_name!("tr")
                | local_name!("dd")
                | local_name!("dt")
                | local_name!("p")
        ) {
            return anc.parent().map(|p| p.id());
        }
    }
    a.parent().map(|p| p.id())
}

/// The date and text of the list item a link sits in: the nearest enclosing item (or the
/// link's parent) whose text is short enough to be one entry of a list. A long block is not
/// a list item, and a block holding other links is the list, not this link's row: its dates
/// are theirs. Which of the three levels are either, `levels` says, and which hold no digit:
/// only the text of a row that could show a date is read.
fn item_date(a: ElementRef, own: &str, levels: [Level; 3]) -> Option<(NaiveDate, String)> {
    let own_date = || {
        // A headline that carries its date (`2020年12月8日…报道`) when its row shows none.
        dates::parse_date(own).map(|d| (d, collapse_all(own)))
    };
    // One buffer for the three levels: most links are no row's, and never need it.
    let mut text = String::new();
    let mut rest = String::new();
    for (anc, level) in a.ancestors().filter_map(ElementRef::wrap).zip(levels) {
        let Level::Row { digits } = level else {
            return own_date();
        };
        // A row without a digit shows no date: its text is not gathered.
        if digits {
            // Its text is an item's at most: the buffer is sized once, at the first row
            // read.
            text.clear();
            text.reserve(4 * MAX_ITEM_CHARS);
            for node in anc.descendants() {
                if let Node::Text(t) = node.value() {
                    text.push_str(t);
                }
            }
            // The row's own date, not one written in the headline
            // (`2020年12月31日前完成…`): the headline's first occurrence read as a space.
            if dates::may_hold_date(&text) {
                // `memmem` rather than `str::find`, whose searcher took longer to set up
                // than to search a row. A match of one string in another is on a
                // character boundary.
                let date = match memchr::memmem::find(text.as_bytes(), own.as_bytes()) {
                    Some(at) => {
                        rest.clear();
                        rest.push_str(&text[..at]);
                        rest.push(' ');
                        rest.push_str(&text[at + own.len()..]);
                        dates::parse_date(&rest)
                    }
                    None => dates::parse_date(&text),
                };
                if let Some(date) = date {
                    return Some((date, collapse_all(&text)));
                }
            }
        }
        if matches!(
            anc.value().name.local,
            local_name!("li") | local_name!("tr") | local_name!("dd")
        ) {
            return own_date();
        }
    }
    own_date()
}
