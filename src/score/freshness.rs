//! How fresh a list is: each item dated through one chain (its row, else its article, else
//! its address), and what the dates say — the newest, how many fall in a window, which are
//! undated or dated in the future — as one note evidence and vetoes quote.

use chrono::NaiveDate;

use crate::lang::Text;
use crate::tr;

/// Where an item's date came from, as evidence says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFrom {
    /// The list row shows it.
    Row,
    /// The linked article says it (PubDate meta or 发布时间).
    Page,
    /// The linked address carries it.
    Address,
}

impl DateFrom {
    /// How evidence says where the date came from, before the item's URL.
    pub fn label(self) -> Text {
        match self {
            DateFrom::Row => tr!("列表所示：", "shown in the list:"),
            DateFrom::Page => tr!("取自文章页：", "from its article page:"),
            DateFrom::Address => tr!("取自网址：", "from its address:"),
        }
    }
}

/// What a list's items say of its freshness, every date read through the same chain.
#[derive(Debug, Default)]
pub struct Freshness {
    /// The newest date not after the evaluation date.
    pub newest: Option<NaiveDate>,
    /// The item that date is read from, and where the date came from.
    pub newest_item: Option<(String, DateFrom)>,
    /// Items dated within the window (all dated items not in the future without a window).
    pub within: usize,
    /// Items with a date from any source.
    pub dated: usize,
    /// Items no source gives a date.
    pub undated: usize,
    /// Items dated after the evaluation date: not fresh, and a sign of forged dates.
    pub future: Vec<(NaiveDate, String)>,
    /// Dates taken from the linked page or address rather than the row.
    pub borrowed: usize,
}

impl Freshness {
    /// The newest date and how the items were dated, for a note.
    pub fn describe(&self) -> Text {
        let mut parts = vec![match (self.newest, &self.newest_item) {
            (Some(d), Some((url, from))) => {
                let Text { zh, en } = from.label();
                tr!("最新{d}（{zh}{url}）", "newest {d} ({en} {url})")
            }
            (Some(d), None) => tr!("最新{d}", "newest {d}"),
            (None, _) => tr!("没有带日期的条目", "no dated items"),
        }];
        if self.borrowed > 0 {
            let n = self.borrowed;
            parts.push(tr!(
                "{n}条的日期取自文章页或网址",
                "{n} dated from their article or address"
            ));
        }
        if self.undated > 0 {
            let n = self.undated;
            parts.push(tr!("{n}条无日期", "{n} undated"));
        }
        if !self.future.is_empty() {
            let shown: Vec<String> = self
                .future
                .iter()
                .take(3)
                .map(|(d, u)| format!("{d} {u}"))
                .collect();
            let (n, zh, en) = (self.future.len(), shown.join("，"), shown.join(", "));
            parts.push(tr!(
                "{n}条日期晚于评估日期，不计为更新：{zh}",
                "{n} future-dated, not counted as fresh: {en}"
            ));
        }
        Text::join(&parts, "，", ", ")
    }
}

/// Days from `date` to `as_of` (negative for dates after it).
pub fn age(date: NaiveDate, as_of: NaiveDate) -> i64 {
    (as_of - date).num_days()
}
