//! Reports: what the three kinds of user read. The ranked tables (one per category, for the
//! terminal, Markdown, CSV or JSON), and the yearly report folder — `results.json`,
//! `rankings.csv`, `report.md`, `report.html` — each file written under a temporary name and
//! renamed, so an interrupted run never leaves half a report.
//!
//! All renderers work from one model ([`tables`]): the same rows, in the same order, whatever
//! the format; each grid is a [`table::Table`], the one renderer `diff` uses too.

mod html;
mod stream;
pub mod table;

pub use stream::ReportWriter;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;

use crate::files::write_atomic;
use crate::input::Category;
use crate::lang::Lang;
use crate::points::{fmt_cents, fmt_change, round_to_cents};
use crate::results::{self, Previous, Results};
use crate::score::{SiteResult, Status};
use table::{Align, Cell, Table, md_escape};

/// What the tables print as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Box-drawn tables for the terminal.
    Table,
    /// Pretty-printed JSON.
    Json,
    /// CSV: every category in one table, with the category in a column.
    Csv,
    /// GitHub-flavoured Markdown, a section per category.
    Md,
}

impl Format {
    /// Every format by the name a user types, in the order help lists them.
    pub const ALL: [(&'static str, Format); 4] = [
        ("table", Format::Table),
        ("json", Format::Json),
        ("csv", Format::Csv),
        ("md", Format::Md),
    ];

    /// The names a user may type.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::ALL.iter().map(|(n, _)| *n)
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::names().collect();
                format!("`{s}` is not a format; use one of: {}", names.join(", "))
            })
    }
}

/// One row of a ranked table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// `None` for sites that are not ranked (vetoed or unreachable).
    pub rank: Option<u32>,
    /// The site's name as listed.
    pub name: String,
    /// The site's URL; the HTML report's anchor for the site is made from it.
    pub url: String,
    /// The site's total, rounded to the cent.
    pub total: f64,
    /// Points per scored first-level indicator, in the indicator file's order.
    pub indicators: Vec<f64>,
    /// Bonus points, rounded to the cent.
    pub bonus: f64,
    /// Points deducted, rounded to the cent.
    pub deductions: f64,
    /// 不合格 with the vetoes hit, or 无法访问 with the reason; `None` when ranked.
    pub verdict: Option<String>,
    /// 待核实 with the severe-problem findings an evaluator has yet to verify.
    pub to_verify: Option<String>,
}

/// The table of one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryTable {
    /// The category's id, as in the site list.
    pub id: Category,
    /// Its display name, which titles the table.
    pub name: String,
    /// The first-level indicators' names, the headers of each row's `indicators`.
    pub indicator_names: Vec<String>,
    /// Ranked sites in rank order, then the sites that are not ranked, by name.
    pub rows: Vec<Row>,
}

/// The tables of every category, in the order the site list first names them; verdicts in
/// `lang`.
pub fn tables(results: &Results, lang: Lang) -> Vec<CategoryTable> {
    let indicator_names: Vec<String> = results
        .sites
        .iter()
        .find(|s| !s.indicators.is_empty())
        .map(|s| s.indicators.iter().map(|i| i.name.clone()).collect())
        .unwrap_or_default();
    results
        .categories
        .iter()
        .map(|category| {
            let mut rows: Vec<Row> = Vec::new();
            for entry in results.rankings.get(&category.id).into_iter().flatten() {
                if let Some(site) = results.sites.iter().find(|s| s.url == entry.url) {
                    rows.push(row(site, Some(entry.rank), lang));
                }
            }
            let mut unranked: Vec<&SiteResult> = results
                .sites
                .iter()
                .filter(|s| s.categories.contains(&category.id) && !s.rankable())
                .collect();
            unranked.sort_by(|a, b| (&a.name, &a.url).cmp(&(&b.name, &b.url)));
            rows.extend(unranked.into_iter().map(|s| row(s, None, lang)));
            CategoryTable {
                id: category.id.clone(),
                name: category.name.clone(),
                indicator_names: indicator_names.clone(),
                rows,
            }
        })
        .collect()
}

fn row(site: &SiteResult, rank: Option<u32>, lang: Lang) -> Row {
    Row {
        rank,
        name: site.name.clone(),
        url: site.url.clone(),
        total: round_to_cents(site.total),
        indicators: site
            .indicators
            .iter()
            .map(|i| round_to_cents(i.score))
            .collect(),
        bonus: round_to_cents(site.bonus),
        deductions: round_to_cents(site.deductions),
        verdict: verdict(site, lang),
        to_verify: crate::score::findings::flag(&site.findings, lang),
    }
}

/// Why a site is not ranked, as the tables show it: 无法访问 with the reason, or 不合格 with
/// the vetoes' names (as the indicator file writes them).
pub fn verdict(site: &SiteResult, lang: Lang) -> Option<String> {
    if let Status::Unreachable { reason } = &site.status {
        let reason = reason.get(lang);
        return Some(match lang {
            Lang::Zh => format!("无法访问：{reason}"),
            Lang::En => format!("unreachable: {reason}"),
        });
    }
    site.veto.as_ref().map(|hits| {
        let names: Vec<&str> = hits.iter().map(|h| h.name.as_str()).collect();
        match lang {
            Lang::Zh => format!("不合格：{}", names.join("、")),
            Lang::En => format!("vetoed: {}", names.join(", ")),
        }
    })
}

impl Row {
    /// Why an unranked site is not ranked, and its findings to verify after.
    fn unranked_note(&self) -> String {
        let verdict = self.verdict.clone().unwrap_or_default();
        match &self.to_verify {
            Some(flag) => format!("{verdict} ⚠ {flag}"),
            None => verdict,
        }
    }
}

impl CategoryTable {
    fn ranked(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.rank.is_some())
    }

    fn unranked(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.rank.is_none())
    }

    /// The grid of `rows`: rank, site, total, each indicator, bonus, deductions. The site's
    /// cell links to its section of the HTML report and carries its verdict there.
    fn grid<'a>(&self, rows: impl Iterator<Item = &'a Row>, lang: Lang) -> Table {
        let mut header: Vec<String> = [("排名", "Rank"), ("网站", "Site"), ("总分", "Total")]
            .map(|(zh, en)| lang.pick(zh, en).to_owned())
            .to_vec();
        header.extend(self.indicator_names.iter().cloned());
        header.extend(
            [("加分", "Bonus"), ("扣分", "Deductions")]
                .map(|(zh, en)| lang.pick(zh, en).to_owned()),
        );
        let mut align = vec![Align::Right; header.len()];
        align[1] = Align::Left;
        let mut table = Table::new(header, align);
        for r in rows {
            let mut cells: Vec<Cell> = vec![
                r.rank.map_or("—".to_owned(), |n| n.to_string()).into(),
                Cell {
                    text: r.name.clone(),
                    href: Some(format!("#site-{}", html::anchor(&r.url))),
                    flag: r.verdict.clone().or_else(|| r.to_verify.clone()),
                },
                fmt_cents(r.total).into(),
            ];
            cells.extend(r.indicators.iter().map(|v| Cell::from(fmt_cents(*v))));
            cells.extend([fmt_cents(r.bonus).into(), fmt_cents(r.deductions).into()]);
            table.push(cells);
        }
        table
    }
}

/// The tables in the chosen format; prose and verdicts in `lang`.
pub fn render(results: &Results, format: Format, lang: Lang) -> String {
    let tables = tables(results, lang);
    match format {
        Format::Table => notes(results, "! ", lang) + &render_terminal(&tables, lang),
        Format::Md => notes(results, "> ", lang) + &render_md(&tables, lang),
        Format::Csv => rankings_csv(&tables).to_csv(false),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&tables).expect("tables serialise");
            s.push('\n');
            s
        }
    }
}

/// The results' notes, one a line with `prefix`, and a blank line after them.
fn notes(results: &Results, prefix: &str, lang: Lang) -> String {
    let mut out = String::new();
    for note in &results.notes {
        let _ = writeln!(out, "{prefix}{}", md_escape(note.get(lang)));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn render_terminal(tables: &[CategoryTable], lang: Lang) -> String {
    let mut out = String::new();
    for (n, t) in tables.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}（{}）", t.name, t.id);
        let _ = writeln!(out, "{}", t.grid(t.ranked(), lang).to_terminal());
        for r in t.unranked() {
            let _ = writeln!(out, "  {} — {}", r.name, r.unranked_note());
        }
    }
    out
}

fn render_md(tables: &[CategoryTable], lang: Lang) -> String {
    let mut out = String::new();
    for t in tables {
        let _ = writeln!(out, "## {}\n", md_escape(&t.name));
        out.push_str(&t.grid(t.ranked(), lang).to_markdown());
        let unranked: Vec<&Row> = t.unranked().collect();
        if !unranked.is_empty() {
            let _ = writeln!(out, "\n{}\n", lang.pick("未排名：", "Not ranked:"));
            for r in unranked {
                let _ = writeln!(
                    out,
                    "- {} — {}",
                    md_escape(&r.name),
                    md_escape(&r.unranked_note())
                );
            }
        }
        out.push('\n');
    }
    out
}

/// One row per site per category, ranked and unranked, as `rankings.csv` and `--format csv`
/// write them.
fn rankings_csv(tables: &[CategoryTable]) -> Table {
    let names = tables
        .first()
        .map(|t| t.indicator_names.clone())
        .unwrap_or_default();
    let mut header: Vec<String> = ["category", "category_name", "rank", "name", "url", "total"]
        .map(String::from)
        .to_vec();
    header.extend(names.iter().cloned());
    header.extend(["bonus", "deductions", "verdict", "to_verify"].map(String::from));
    let mut table = Table::new(header, Vec::new());
    for t in tables {
        for r in &t.rows {
            let mut row = vec![
                t.id.to_string(),
                t.name.clone(),
                r.rank.map(|n| n.to_string()).unwrap_or_default(),
                r.name.clone(),
                r.url.clone(),
                fmt_cents(r.total),
            ];
            row.extend(r.indicators.iter().map(|v| fmt_cents(*v)));
            row.extend([
                fmt_cents(r.bonus),
                fmt_cents(r.deductions),
                r.verdict.clone().unwrap_or_default(),
                r.to_verify.clone().unwrap_or_default(),
            ]);
            table.push_text(row);
        }
    }
    table
}

/// The report's title.
pub fn title(year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("政府网站绩效评估 {year}"),
        Lang::En => format!("Government website performance evaluation {year}"),
    }
}

fn report_md(results: &Results, previous: Option<&Previous>, lang: Lang) -> String {
    let mut out = String::new();
    let l = |zh, en| lang.pick(zh, en);
    let _ = writeln!(out, "# {}\n", title(results.year, lang));
    let _ = writeln!(
        out,
        "- {}: {}",
        l("评估网站数", "Sites evaluated"),
        results.sites.len()
    );
    let cats: Vec<String> = results
        .categories
        .iter()
        .map(|c| format!("{} ({})", c.name, c.id))
        .collect();
    let _ = writeln!(
        out,
        "- {}: {}",
        l("类别", "Categories"),
        cats.join(l("、", ", "))
    );
    let _ = writeln!(
        out,
        "- {}: {}",
        l("评估日期", "Evaluation date"),
        results.as_of
    );
    if !results.indicators_file.is_empty() {
        let _ = writeln!(
            out,
            "- {}: {}",
            l("指标文件", "Indicator file"),
            md_escape(&results.indicators_file)
        );
    }
    let _ = writeln!(
        out,
        "- {}: `{}`",
        l("指标文件 SHA-256", "Indicator file SHA-256"),
        results.indicators_sha256
    );
    let _ = writeln!(out, "- govscore {}\n", results.tool_version);
    out.push_str(&notes(results, "> ", lang));
    out.push_str(&render_md(&tables(results, lang), lang));
    let with_findings: Vec<&SiteResult> = results
        .sites
        .iter()
        .filter(|s| !s.findings.is_empty())
        .collect();
    if !with_findings.is_empty() {
        let _ = writeln!(out, "## {}\n", l("严重问题线索", "Severe-problem findings"));
        for site in with_findings {
            for f in &site.findings {
                let _ = writeln!(
                    out,
                    "- {} `{}` [{}] — {}",
                    md_escape(&site.name),
                    f.id,
                    f.status.label(lang),
                    md_escape(f.note.get(lang))
                );
            }
        }
        out.push('\n');
    }
    let cut: Vec<&SiteResult> = results
        .sites
        .iter()
        .filter(|s| s.crawl.cut_short.is_some())
        .collect();
    if !cut.is_empty() {
        let _ = writeln!(out, "## {}\n", l("抓取提前结束的网站", "Crawls cut short"));
        for site in cut {
            let note = site.crawl.cut_short.as_ref().map(|t| t.get(lang));
            let _ = writeln!(
                out,
                "- {} — {}",
                md_escape(&site.name),
                md_escape(note.unwrap_or_default())
            );
        }
        out.push('\n');
    }
    let identities = identity_table(results, lang);
    if !identities.rows.is_empty() {
        let _ = writeln!(out, "## {}\n", identity_heading(lang));
        out.push_str(&identities.to_markdown());
        out.push('\n');
    }
    if let Some(previous) = previous {
        let _ = writeln!(
            out,
            "## {}\n",
            match lang {
                Lang::Zh => format!("较 {} 年进步最大", previous.year),
                Lang::En => format!("Most improved since {}", previous.year),
            }
        );
        let gains = results.most_improved(previous, MOST_IMPROVED);
        if gains.is_empty() {
            let _ = writeln!(
                out,
                "{}\n",
                l("没有网站的总分提高。", "No site improved its total.")
            );
        }
        for (site, delta) in gains {
            let _ = writeln!(out, "- {} {}", md_escape(&site.name), fmt_change(delta));
        }
    }
    out
}

/// The heading over the identifiers table.
fn identity_heading(lang: Lang) -> &'static str {
    lang.pick("网站标识", "Identifiers as read (网站标识)")
}

/// Every site's identifiers as read (a site without any is left out): the table report.md
/// and report.html show. The identifiers keep their Chinese names in both languages: they
/// are the names of official registers.
fn identity_table(results: &Results, lang: Lang) -> Table {
    let header = [
        lang.pick("网站", "Site"),
        "网站标识码",
        "SiteIDCode",
        "ICP备案号",
        "公安机关备案号",
        "党政机关网站标识",
        "主办单位",
    ]
    .map(String::from)
    .to_vec();
    let mut table = Table::new(header, Vec::new());
    for site in &results.sites {
        let Some(id) = &site.identity else { continue };
        if id.rows().is_empty() {
            continue;
        }
        let value = |r: &Option<crate::score::Read>| {
            r.as_ref().map_or("—".to_owned(), |r| r.value.clone())
        };
        let mut meta = value(&id.site_code_meta);
        if id.site_code_agrees == Some(false) {
            meta.push_str(lang.pick("（与页脚不一致）", " (≠ footer)"));
        }
        table.push_text(vec![
            site.name.clone(),
            value(&id.site_code),
            meta,
            value(&id.icp),
            value(&id.police),
            value(&id.conac),
            value(&id.sponsor),
        ]);
    }
    table
}

/// How many sites the "most improved" lists name.
pub const MOST_IMPROVED: usize = 10;

/// Writes the report folder: `results.json`, `rankings.csv`, `report.md`, `report.html`.
/// Each file is written whole to a temporary name and renamed. The partial results of a
/// shard have no rankings, so they get `results.json` alone: `merge` writes the rest.
pub fn write_reports(
    results: &Results,
    previous: Option<&Previous>,
    out: &Path,
    lang: Lang,
) -> io::Result<Vec<PathBuf>> {
    if results.shard.is_some() {
        results.write(out)?;
        return Ok(vec![out.join(results::FILE_NAME)]);
    }
    std::fs::create_dir_all(out)?;
    let tables = tables(results, lang);
    let files: BTreeMap<&str, String> = BTreeMap::from([
        (results::FILE_NAME, results.to_json()),
        ("rankings.csv", rankings_csv(&tables).to_csv(true)),
        ("report.md", report_md(results, previous, lang)),
        ("report.html", html::report(results, &tables, lang)),
    ]);
    let mut written = Vec::new();
    for (name, content) in files {
        let path = out.join(name);
        write_atomic(&path, content.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
