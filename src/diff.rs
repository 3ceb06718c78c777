//! Year over year: two `results.json` compared per category — each site's old and new rank
//! and total, the change per first-level indicator, the sites that entered or left, and the
//! most improved. When the two years used different indicator files, only the indicators
//! both share are compared, and the comparison says so.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::evaluate::Results;
use crate::report::Format;
use crate::score::{SiteResult, round_to_cents};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteChange {
    pub url: String,
    pub name: String,
    pub old_rank: Option<u32>,
    pub new_rank: Option<u32>,
    pub old_total: Option<f64>,
    pub new_total: Option<f64>,
    /// New total less old; `None` for a site present in one year only.
    pub delta: Option<f64>,
    /// Change per shared first-level indicator id.
    pub indicators: BTreeMap<String, f64>,
    /// `entered`, `left` or `both`.
    pub presence: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Improved {
    pub url: String,
    pub name: String,
    pub delta: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub old_year: i32,
    pub new_year: i32,
    /// Set when the indicator files differ.
    pub indicators_changed: bool,
    /// The first-level indicators compared (all, or those both years share).
    pub shared_indicators: Vec<String>,
    pub categories: BTreeMap<String, Vec<SiteChange>>,
    pub most_improved: Vec<Improved>,
}

fn rank_of(results: &Results, category: &str, url: &str) -> Option<u32> {
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
    let mut categories: BTreeMap<String, Vec<SiteChange>> = BTreeMap::new();
    let mut cats: Vec<&str> = new.categories.iter().map(|c| c.id.as_str()).collect();
    for c in &old.categories {
        if !cats.contains(&c.id.as_str()) {
            cats.push(&c.id);
        }
    }
    for cat in cats {
        let in_cat = |r: &Results| -> Vec<SiteResult> {
            r.sites
                .iter()
                .filter(|s| s.categories.iter().any(|c| c == cat))
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
                presence: if o.is_some() { "both" } else { "entered" },
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
                presence: "left",
            });
        }
        // New ranking order first, then the unranked, then the sites that left.
        rows.sort_by(|a, b| {
            let key = |r: &SiteChange| {
                (
                    r.presence == "left",
                    r.new_rank.is_none(),
                    r.new_rank.unwrap_or(u32::MAX),
                    r.name.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        categories.insert(cat.to_owned(), rows);
    }
    let mut improved: Vec<Improved> = new
        .sites
        .iter()
        .filter_map(|n| {
            let o = old.sites.iter().find(|o| o.url == n.url)?;
            Some(Improved {
                url: n.url.clone(),
                name: n.name.clone(),
                delta: round_to_cents(n.total - o.total),
            })
        })
        .filter(|i| i.delta > 0.0)
        .collect();
    improved.sort_by(|a, b| {
        b.delta
            .total_cmp(&a.delta)
            .then_with(|| a.name.cmp(&b.name))
    });
    improved.truncate(10);
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

fn total_text(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.2}"))
}

fn delta_text(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:+.2}"))
}

fn rows_for(d: &Diff) -> Vec<(String, Vec<Vec<String>>)> {
    d.categories
        .iter()
        .map(|(cat, rows)| {
            let body = rows
                .iter()
                .map(|c| {
                    let mut r = vec![
                        c.name.clone(),
                        rank_text(c.old_rank),
                        format!("{}{}", rank_text(c.new_rank), arrow(c)),
                        total_text(c.old_total),
                        total_text(c.new_total),
                        delta_text(c.delta),
                    ];
                    for id in &d.shared_indicators {
                        r.push(
                            c.indicators
                                .get(id)
                                .map_or("—".into(), |v| format!("{v:+.2}")),
                        );
                    }
                    r.push(c.presence.to_owned());
                    r
                })
                .collect();
            (cat.clone(), body)
        })
        .collect()
}

fn header(d: &Diff) -> Vec<String> {
    let mut h: Vec<String> = [
        "site",
        "old rank",
        "new rank",
        "old total",
        "new total",
        "change",
    ]
    .map(String::from)
    .to_vec();
    h.extend(d.shared_indicators.iter().cloned());
    h.push("presence".into());
    h
}

/// The comparison in the chosen format.
pub fn render(d: &Diff, format: Format) -> String {
    let mut out = String::new();
    let note = d.indicators_changed.then(|| {
        format!(
            "The indicator files differ between {} and {}; only the indicators both share are compared: {}.",
            d.old_year,
            d.new_year,
            d.shared_indicators.join(", ")
        )
    });
    match format {
        Format::Json => {
            out = serde_json::to_string_pretty(d).expect("diff serialises");
            out.push('\n');
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut h = vec!["category".to_owned()];
            h.extend(header(d));
            w.write_record(&h).expect("in-memory write");
            for (cat, rows) in rows_for(d) {
                for r in rows {
                    let mut rec = vec![cat.clone()];
                    rec.extend(r);
                    w.write_record(&rec).expect("in-memory write");
                }
            }
            out = String::from_utf8(w.into_inner().expect("flush")).expect("UTF-8");
        }
        Format::Md => {
            let _ = writeln!(out, "# {} → {}\n", d.old_year, d.new_year);
            if let Some(n) = &note {
                let _ = writeln!(out, "{n}\n");
            }
            for (cat, rows) in rows_for(d) {
                let _ = writeln!(
                    out,
                    "## {cat}\n\n| {} |\n|{}",
                    header(d).join(" | "),
                    " --- |".repeat(header(d).len())
                );
                for r in rows {
                    let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                out.push('\n');
            }
            let _ = writeln!(out, "## Most improved\n");
            for i in &d.most_improved {
                let _ = writeln!(out, "- {} {:+.2}", i.name.replace('|', "\\|"), i.delta);
            }
        }
        Format::Table => {
            if let Some(n) = &note {
                let _ = writeln!(out, "{n}\n");
            }
            for (cat, rows) in rows_for(d) {
                let mut t = comfy_table::Table::new();
                t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
                    .set_header(header(d));
                for r in rows {
                    t.add_row(r);
                }
                let _ = writeln!(out, "{cat}\n{t}\n");
            }
            let _ = writeln!(out, "Most improved:");
            for i in &d.most_improved {
                let _ = writeln!(out, "  {} {:+.2}", i.name, i.delta);
            }
        }
    }
    out
}
