//! Year over year: two `results.json` compared per category — each site's old and new rank
//! and total, the change per first-level indicator, the sites that entered or left, and the
//! most improved. When the two years used different indicator files, only the indicators
//! both share are compared, and the comparison says so.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::input::Category;
use crate::lang::Lang;
use crate::points::{fmt_cents, fmt_change, round_to_cents};
use crate::report::table::{Align, Table, md_escape};
use crate::report::{Format, MOST_IMPROVED};
use crate::results::{Previous, Results};
use crate::score::SiteResult;

/// Whether a site was evaluated in both years, or entered or left the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Listed in the category in both years.
    Both,
    /// Listed in the category in the new year only.
    Entered,
    /// Listed in the category in the old year only.
    Left,
}

impl Presence {
    /// The name the tables print in their `presence` column, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Both => "both",
            Presence::Entered => "entered",
            Presence::Left => "left",
        }
    }
}

/// One site's change within one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteChange {
    /// The site's URL, by which the two years are matched.
    pub url: String,
    /// The site's name in the new year, or in the old one for a site that left.
    pub name: String,
    /// Rank in the category in the old year; `None` when not ranked or not present.
    pub old_rank: Option<u32>,
    /// Rank in the category in the new year; `None` when not ranked or not present.
    pub new_rank: Option<u32>,
    /// Total in the old year, to the cent; `None` for a site that entered.
    pub old_total: Option<f64>,
    /// Total in the new year, to the cent; `None` for a site that left.
    pub new_total: Option<f64>,
    /// New total less old; `None` for a site present in one year only.
    pub delta: Option<f64>,
    /// Change per shared first-level indicator id.
    pub indicators: BTreeMap<String, f64>,
    /// Whether the site is in both years, or entered or left the list.
    pub presence: Presence,
}

/// One of the most improved sites: present in both years, with a higher total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Improved {
    /// The site's URL.
    pub url: String,
    /// The site's name in the new year.
    pub name: String,
    /// How much its total rose, to the cent; always positive.
    pub delta: f64,
}

/// Two years' results compared, as `govscore diff` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The evaluation year of the earlier results.
    pub old_year: i32,
    /// The evaluation year of the later results.
    pub new_year: i32,
    /// Set when the indicator files differ.
    pub indicators_changed: bool,
    /// The first-level indicators compared (all, or those both years share).
    pub shared_indicators: Vec<String>,
    /// Per category of either year: the new ranking's order, then the unranked, then
    /// the sites that left.
    pub categories: BTreeMap<Category, Vec<SiteChange>>,
    /// At most [`MOST_IMPROVED`] sites, largest gain first, ties by name.
    pub most_improved: Vec<Improved>,
}

fn rank_of(results: &Results, category: &Category, url: &str) -> Option<u32> {
    results
        .rankings
        .get(category)?
        .iter()
        .find(|e| e.url == url)
        .map(|e| e.rank)
}

fn indicator_scores(site: &SiteResult) -> BTreeMap<&str, f64> {
    site.indicators
        .iter()
        .map(|i| (i.id.as_str(), i.score))
        .collect()
}

/// What [`diff`] reads of a site — its URL, name, categories, total and each first-level
/// indicator's id and score — and nothing else: `govscore diff` keeps only this of each
/// site as it reads two census files (a summary is about 11 KB a site; this, a few hundred
/// bytes). A test holds `diff` of the views to `diff` of the whole results.
pub fn diff_view(site: SiteResult) -> SiteResult {
    let mut site = site.summary();
    site.veto = None;
    site.deduction_items = Vec::new();
    site.bonus_cases = Vec::new();
    site.identity = None;
    site.findings = Vec::new();
    site.crawl = Default::default();
    for indicator in &mut site.indicators {
        indicator.name = String::new();
    }
    site
}

/// Compares two years.
pub fn diff(old: &Results, new: &Results) -> Diff {
    let old_ids: Vec<&str> = old
        .sites
        .first()
        .map(|s| s.indicators.iter().map(|i| i.id.as_str()).collect())
        .unwrap_or_default();
    let new_ids: Vec<&str> = new
        .sites
        .first()
        .map(|s| s.indicators.iter().map(|i| i.id.as_str()).collect())
        .unwrap_or_default();
    let shared: Vec<String> = new_ids
        .iter()
        .filter(|id| old_ids.contains(id))
        .map(|s| s.to_string())
        .collect();
    let mut categories: BTreeMap<Category, Vec<SiteChange>> = BTreeMap::new();
    let mut cats: Vec<&Category> = new.categories.iter().map(|c| &c.id).collect();
    for c in &old.categories {
        if !cats.contains(&&c.id) {
            cats.push(&c.id);
        }
    }
    for cat in cats {
        let in_cat = |r: &Results| -> Vec<SiteResult> {
            r.sites
                .iter()
                .filter(|s| s.categories.contains(cat))
                .cloned()
                .collect()
        };
        let (olds, news) = (in_cat(old), in_cat(new));
        let mut rows: Vec<SiteChange> = Vec::new();
        for n in &news {
            let o = olds.iter().find(|o| o.url == n.url);
            let mut per = BTreeMap::new();
            if let Some(o) = o {
                let (os, ns) = (indicator_scores(o), indicator_scores(n));
                for id in &shared {
                    if let (Some(a), Some(b)) = (os.get(id.as_str()), ns.get(id.as_str())) {
                        per.insert(id.clone(), round_to_cents(b - a));
                    }
                }
            }
            rows.push(SiteChange {
                url: n.url.clone(),
                name: n.name.clone(),
                old_rank: o.and_then(|o| rank_of(old, cat, &o.url)),
                new_rank: rank_of(new, cat, &n.url),
                old_total: o.map(|o| round_to_cents(o.total)),
                new_total: Some(round_to_cents(n.total)),
                delta: o.map(|o| round_to_cents(n.total - o.total)),
                indicators: per,
                presence: if o.is_some() {
                    Presence::Both
                } else {
                    Presence::Entered
                },
            });
        }
        for o in olds.iter().filter(|o| !news.iter().any(|n| n.url == o.url)) {
            rows.push(SiteChange {
                url: o.url.clone(),
                name: o.name.clone(),
                old_rank: rank_of(old, cat, &o.url),
                new_rank: None,
                old_total: Some(round_to_cents(o.total)),
                new_total: None,
                delta: None,
                indicators: BTreeMap::new(),
                presence: Presence::Left,
            });
        }
        // New ranking order first, then the unranked, then the sites that left.
        rows.sort_by(|a, b| {
            let key = |r: &SiteChange| {
                (
                    r.presence == Presence::Left,
                    r.new_rank.is_none(),
                    r.new_rank.unwrap_or(u32::MAX),
                    r.name.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        categories.insert(cat.clone(), rows);
    }
    let improved: Vec<Improved> = new
        .most_improved(&Previous::from(old), MOST_IMPROVED)
        .into_iter()
        .map(|(site, delta)| Improved {
            url: site.url.clone(),
            name: site.name.clone(),
            delta,
        })
        .collect();
    Diff {
        old_year: old.year,
        new_year: new.year,
        indicators_changed: old.indicators_sha256 != new.indicators_sha256,
        shared_indicators: shared,
        categories,
        most_improved: improved,
    }
}

fn rank_text(r: Option<u32>) -> String {
    r.map_or("—".into(), |r| r.to_string())
}

fn arrow(c: &SiteChange) -> &'static str {
    match (c.old_rank, c.new_rank) {
        (Some(o), Some(n)) if n < o => "↑",
        (Some(o), Some(n)) if n > o => "↓",
        (Some(_), Some(_)) => "=",
        _ => "",
    }
}

fn or_dash(v: Option<f64>, fmt: fn(f64) -> String) -> String {
    v.map_or("—".into(), fmt)
}

fn header(d: &Diff, lang: Lang) -> Vec<String> {
    let mut h: Vec<String> = [
        ("网站", "site"),
        ("原排名", "old rank"),
        ("新排名", "new rank"),
        ("原总分", "old total"),
        ("新总分", "new total"),
        ("变化", "change"),
    ]
    .map(|(zh, en)| lang.pick(zh, en).to_owned())
    .to_vec();
    h.extend(d.shared_indicators.iter().cloned());
    h.push(lang.pick("出现情况", "presence").into());
    h
}

/// The cells of one site's change, in [`header`]'s order.
fn cells(d: &Diff, c: &SiteChange, lang: Lang) -> Vec<String> {
    let mut r = vec![
        c.name.clone(),
        rank_text(c.old_rank),
        format!("{}{}", rank_text(c.new_rank), arrow(c)),
        or_dash(c.old_total, fmt_cents),
        or_dash(c.new_total, fmt_cents),
        or_dash(c.delta, fmt_change),
    ];
    for id in &d.shared_indicators {
        r.push(or_dash(c.indicators.get(id).copied(), fmt_change));
    }
    r.push(
        match lang {
            Lang::En => c.presence.as_str(),
            Lang::Zh => match c.presence {
                Presence::Both => "两年均有",
                Presence::Entered => "新进入",
                Presence::Left => "已退出",
            },
        }
        .to_owned(),
    );
    r
}

/// One category's comparison as a table (with a leading category column for CSV, where all
/// categories share one table).
fn table(
    d: &Diff,
    categories: &[(&Category, &Vec<SiteChange>)],
    with_category: bool,
    lang: Lang,
) -> Table {
    let mut head = header(d, lang);
    if with_category {
        head.insert(0, "category".to_owned());
    }
    let mut t = Table::new(head, vec![Align::Left]);
    for (cat, rows) in categories {
        for c in rows.iter() {
            let mut row = cells(d, c, lang);
            if with_category {
                row.insert(0, cat.to_string());
            }
            t.push_text(row);
        }
    }
    t
}

/// The comparison in the chosen format, its prose and headers in `lang`. CSV is data for
/// other programs: its header and presence values are the same (English) in every language.
pub fn render(d: &Diff, format: Format, lang: Lang) -> String {
    let mut out = String::new();
    let (old, new) = (d.old_year, d.new_year);
    let note = d.indicators_changed.then(|| match lang {
        Lang::Zh => format!(
            "{old}年与{new}年的指标文件不同，只比较两者共有的指标：{}。",
            d.shared_indicators.join("、")
        ),
        Lang::En => format!(
            "The indicator files differ between {old} and {new}; only the indicators both share are compared: {}.",
            d.shared_indicators.join(", ")
        ),
    });
    let improved = lang.pick("进步最大", "Most improved");
    let categories: Vec<(&Category, &Vec<SiteChange>)> = d.categories.iter().collect();
    match format {
        Format::Json => {
            out = serde_json::to_string_pretty(d).expect("diff serialises");
            out.push('\n');
        }
        Format::Csv => out = table(d, &categories, true, Lang::En).to_csv(false),
        Format::Md => {
            let _ = writeln!(out, "# {} → {}\n", d.old_year, d.new_year);
            if let Some(n) = &note {
                let _ = writeln!(out, "{n}\n");
            }
            for one in &categories {
                let _ = writeln!(out, "## {}\n", md_escape(one.0.id()));
                out.push_str(&table(d, std::slice::from_ref(one), false, lang).to_markdown());
                out.push('\n');
            }
            let _ = writeln!(out, "## {improved}\n");
            for i in &d.most_improved {
                let _ = writeln!(out, "- {} {}", md_escape(&i.name), fmt_change(i.delta));
            }
        }
        Format::Table => {
            if let Some(n) = &note {
                let _ = writeln!(out, "{n}\n");
            }
            for one in &categories {
                let t = table(d, std::slice::from_ref(one), false, lang);
                let _ = writeln!(out, "{}\n{}\n", one.0, t.to_terminal());
            }
            let _ = writeln!(out, "{improved}{}", lang.pick("：", ":"));
            for i in &d.most_improved {
                let _ = writeln!(out, "  {} {}", i.name, fmt_change(i.delta));
            }
        }
    }
    out
}
