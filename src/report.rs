//! Reports: what the three kinds of user read. The ranked tables (one per category, for the
//! terminal, Markdown, CSV or JSON), and the yearly report folder — `results.json`,
//! `rankings.csv`, `report.md`, `report.html` — each file written under a temporary name and
//! renamed, so an interrupted run never leaves half a report.
//!
//! All renderers work from one model ([`tables`]): the same rows, in the same order, whatever
//! the format.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::archive::write_atomic;
use crate::evaluate::Results;
use crate::score::{SiteResult, Status, round_to_cents};

/// What the tables print as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Md,
}

/// One row of a ranked table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// `None` for sites that are not ranked (vetoed or unreachable).
    pub rank: Option<u32>,
    pub name: String,
    pub url: String,
    pub total: f64,
    /// Points per scored first-level indicator, in the indicator file's order.
    pub indicators: Vec<f64>,
    pub bonus: f64,
    pub deductions: f64,
    /// 不合格 with the vetoes hit, or 无法访问 with the reason; `None` when ranked.
    pub verdict: Option<String>,
}

/// The table of one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryTable {
    pub id: String,
    pub name: String,
    pub indicator_names: Vec<String>,
    /// Ranked sites in rank order, then the sites that are not ranked, by name.
    pub rows: Vec<Row>,
}

/// The tables of every category, in the order the site list first names them.
pub fn tables(results: &Results) -> Vec<CategoryTable> {
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
                    rows.push(row(site, Some(entry.rank)));
                }
            }
            let mut unranked: Vec<&SiteResult> = results
                .sites
                .iter()
                .filter(|s| s.categories.contains(&category.id) && !s.rankable())
                .collect();
            unranked.sort_by(|a, b| (&a.name, &a.url).cmp(&(&b.name, &b.url)));
            rows.extend(unranked.into_iter().map(|s| row(s, None)));
            CategoryTable {
                id: category.id.clone(),
                name: category.name.clone(),
                indicator_names: indicator_names.clone(),
                rows,
            }
        })
        .collect()
}

fn row(site: &SiteResult, rank: Option<u32>) -> Row {
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
        verdict: verdict(site),
    }
}

/// Why a site is not ranked, as the tables show it.
pub fn verdict(site: &SiteResult) -> Option<String> {
    if site.status == Status::Unreachable {
        return Some(format!(
            "无法访问: {}",
            site.reason.as_deref().unwrap_or("unreachable")
        ));
    }
    site.veto.as_ref().map(|hits| {
        let names: Vec<&str> = hits.iter().map(|h| h.name.as_str()).collect();
        format!("不合格: {}", names.join("、"))
    })
}

fn points(v: f64) -> String {
    format!("{:.2}", round_to_cents(v))
}

fn header(t: &CategoryTable) -> Vec<String> {
    let mut h: Vec<String> = vec!["排名".into(), "网站".into(), "总分".into()];
    h.extend(t.indicator_names.iter().cloned());
    h.extend(["加分".to_owned(), "扣分".to_owned()]);
    h
}

fn cells(r: &Row) -> Vec<String> {
    let mut c = vec![
        r.rank.map_or("—".to_owned(), |n| n.to_string()),
        r.name.clone(),
        points(r.total),
    ];
    c.extend(r.indicators.iter().map(|v| points(*v)));
    c.extend([points(r.bonus), points(r.deductions)]);
    c
}

/// The tables in the chosen format.
pub fn render(results: &Results, format: Format) -> String {
    let tables = tables(results);
    match format {
        Format::Table => render_terminal(&tables),
        Format::Md => render_md(&tables),
        Format::Csv => render_csv(&tables, false),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&tables).expect("tables serialise");
            s.push('\n');
            s
        }
    }
}

fn render_terminal(tables: &[CategoryTable]) -> String {
    let mut out = String::new();
    for (n, t) in tables.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut table = comfy_table::Table::new();
        table
            .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
            .set_header(header(t));
        for r in t.rows.iter().filter(|r| r.rank.is_some()) {
            table.add_row(cells(r));
        }
        for (i, column) in table.column_iter_mut().enumerate() {
            if i != 1 {
                column.set_cell_alignment(comfy_table::CellAlignment::Right);
            }
        }
        let _ = writeln!(out, "{}（{}）", t.name, t.id);
        let _ = writeln!(out, "{table}");
        for r in t.rows.iter().filter(|r| r.rank.is_none()) {
            let _ = writeln!(
                out,
                "  {} — {}",
                r.name,
                r.verdict.as_deref().unwrap_or_default()
            );
        }
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn render_md(tables: &[CategoryTable]) -> String {
    let mut out = String::new();
    for t in tables {
        let _ = writeln!(out, "## {}\n", md_escape(&t.name));
        let h = header(t);
        let _ = writeln!(out, "| {} |", h.join(" | "));
        let _ = writeln!(
            out,
            "|{}",
            h.iter()
                .enumerate()
                .map(|(i, _)| if i == 1 { " --- |" } else { " ---: |" })
                .collect::<String>()
        );
        for r in t.rows.iter().filter(|r| r.rank.is_some()) {
            let c: Vec<String> = cells(r).iter().map(|c| md_escape(c)).collect();
            let _ = writeln!(out, "| {} |", c.join(" | "));
        }
        let unranked: Vec<&Row> = t.rows.iter().filter(|r| r.rank.is_none()).collect();
        if !unranked.is_empty() {
            let _ = writeln!(out, "\nNot ranked:\n");
            for r in unranked {
                let _ = writeln!(
                    out,
                    "- {} — {}",
                    md_escape(&r.name),
                    md_escape(r.verdict.as_deref().unwrap_or_default())
                );
            }
        }
        out.push('\n');
    }
    out
}

/// One row per site per category. With `bom`, the UTF-8 byte-order mark that spreadsheet
/// programs need to open Chinese text correctly.
fn render_csv(tables: &[CategoryTable], bom: bool) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let names = tables
        .first()
        .map(|t| t.indicator_names.clone())
        .unwrap_or_default();
    let mut head: Vec<String> = ["category", "category_name", "rank", "name", "url", "total"]
        .map(String::from)
        .to_vec();
    head.extend(names.iter().cloned());
    head.extend(["bonus", "deductions", "verdict"].map(String::from));
    w.write_record(&head).expect("in-memory write");
    for t in tables {
        for r in &t.rows {
            let mut rec = vec![
                t.id.clone(),
                t.name.clone(),
                r.rank.map(|n| n.to_string()).unwrap_or_default(),
                r.name.clone(),
                r.url.clone(),
                points(r.total),
            ];
            rec.extend(r.indicators.iter().map(|v| points(*v)));
            rec.extend([
                points(r.bonus),
                points(r.deductions),
                r.verdict.clone().unwrap_or_default(),
            ]);
            w.write_record(&rec).expect("in-memory write");
        }
    }
    let body = String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8 fields");
    if bom { format!("\u{feff}{body}") } else { body }
}

/// The sites whose total rose most from `previous` to `results` (present in both), largest
/// gain first, at most `n`.
pub fn most_improved<'a>(
    results: &'a Results,
    previous: &Results,
    n: usize,
) -> Vec<(&'a SiteResult, f64)> {
    let mut gains: Vec<(&SiteResult, f64)> = results
        .sites
        .iter()
        .filter_map(|s| {
            let old = previous.sites.iter().find(|p| p.url == s.url)?;
            Some((s, round_to_cents(s.total - old.total)))
        })
        .filter(|(_, d)| *d > 0.0)
        .collect();
    gains.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
    gains.truncate(n);
    gains
}

fn report_md(results: &Results, previous: Option<&Results>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# 政府网站绩效评估 {}\n", results.year);
    let _ = writeln!(out, "- Sites evaluated: {}", results.sites.len());
    let cats: Vec<String> = results
        .categories
        .iter()
        .map(|c| format!("{} ({})", c.name, c.id))
        .collect();
    let _ = writeln!(out, "- Categories: {}", cats.join(", "));
    let _ = writeln!(out, "- Evaluation date: {}", results.as_of);
    let _ = writeln!(
        out,
        "- Indicator file SHA-256: `{}`",
        results.indicators_sha256
    );
    let _ = writeln!(out, "- govscore {}\n", results.tool_version);
    out.push_str(&render_md(&tables(results)));
    if let Some(previous) = previous {
        let _ = writeln!(out, "## Most improved since {}\n", previous.year);
        let gains = most_improved(results, previous, 10);
        if gains.is_empty() {
            let _ = writeln!(out, "No site improved its total.\n");
        }
        for (site, delta) in gains {
            let _ = writeln!(out, "- {} +{:.2}", md_escape(&site.name), delta);
        }
    }
    out
}

/// Text for HTML content and attribute values. Everything that came from a crawled page —
/// titles, anchor texts, URLs, notes — goes through here.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A link to an evidence URL, or plain text when it is not http(s): a crawled page must not
/// be able to put a `javascript:` link into the report.
fn evidence_link(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        format!(
            "<a href=\"{0}\" rel=\"noreferrer noopener\">{0}</a>",
            html_escape(url)
        )
    } else {
        html_escape(url)
    }
}

const COLOURS: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f",
];

fn chart(t: &CategoryTable) -> String {
    let ranked: Vec<&Row> = t.rows.iter().filter(|r| r.rank.is_some()).collect();
    let bar_h = 22.0;
    let label_w = 160.0;
    let width = 720.0;
    let scale = (width - label_w - 60.0)
        / 100.0_f64.max(
            ranked
                .iter()
                .map(|r| r.indicators.iter().sum::<f64>())
                .fold(0.0, f64::max),
        );
    let legend_h = 24.0;
    let height = legend_h + bar_h * ranked.len() as f64 + 10.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        html_escape(&format!("{} scores by indicator", t.name))
    );
    let mut x = 0.0;
    for (i, name) in t.indicator_names.iter().enumerate() {
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"15\" font-size=\"12\">{}</text>",
            COLOURS[i % COLOURS.len()],
            x + 16.0,
            html_escape(name)
        );
        x += 16.0 + 14.0 * name.chars().count() as f64 + 12.0;
    }
    for (n, r) in ranked.iter().enumerate() {
        let y = legend_h + n as f64 * bar_h;
        // Long names are cut so they stay clear of the bars; the table has them whole.
        let label: String = if r.name.chars().count() > 10 {
            r.name.chars().take(9).chain(['…']).collect()
        } else {
            r.name.clone()
        };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}. {}</text>",
            y + 15.0,
            r.rank.unwrap_or_default(),
            html_escape(&label)
        );
        let mut bx = label_w;
        for (i, v) in r.indicators.iter().enumerate() {
            let w = v * scale;
            let _ = write!(
                svg,
                "<rect x=\"{bx:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {:.2}</title></rect>",
                y + 3.0,
                bar_h - 6.0,
                COLOURS[i % COLOURS.len()],
                html_escape(
                    t.indicator_names
                        .get(i)
                        .map(String::as_str)
                        .unwrap_or_default()
                ),
                v
            );
            bx += w;
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{:.2}</text>",
            bx + 4.0,
            y + 15.0,
            r.total
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The report's whole style sheet: the page carries no external styles, fonts or scripts.
const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}.bad{color:#b00}section.site{border-top:1px solid #ddd;margin-top:2em}small{color:#666}";

fn report_html(results: &Results) -> String {
    let tables = tables(results);
    let mut h = String::new();
    let title = format!("政府网站绩效评估 {}", results.year);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>",
        html_escape(&title),
    );
    let _ = write!(
        h,
        "<h1>{}</h1><p>Evaluation date {} · {} sites · indicator file <code>{}</code> · govscore {}</p>",
        html_escape(&title),
        results.as_of,
        results.sites.len(),
        html_escape(&results.indicators_sha256),
        html_escape(&results.tool_version)
    );
    for t in &tables {
        let _ = write!(
            h,
            "<h2 id=\"cat-{}\">{}</h2>",
            html_escape(&t.id),
            html_escape(&t.name)
        );
        h.push_str(&chart(t));
        h.push_str("<table><thead><tr>");
        for c in header(t) {
            let _ = write!(h, "<th>{}</th>", html_escape(&c));
        }
        h.push_str("</tr></thead><tbody>");
        for r in &t.rows {
            let c = cells(r);
            h.push_str("<tr>");
            for (i, cell) in c.iter().enumerate() {
                if i == 1 {
                    let _ = write!(
                        h,
                        "<td><a href=\"#site-{}\">{}</a>",
                        anchor(&r.url),
                        html_escape(cell)
                    );
                    if let Some(v) = &r.verdict {
                        let _ = write!(h, " <span class=\"bad\">{}</span>", html_escape(v));
                    }
                    h.push_str("</td>");
                } else {
                    let _ = write!(h, "<td class=\"n\">{}</td>", html_escape(cell));
                }
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("<h2>Sites</h2>");
    for site in &results.sites {
        let _ = write!(
            h,
            "<section class=\"site\" id=\"site-{}\"><h3>{}</h3><p>{} · total {:.2} (bonus {:.2}, deductions {:.2})</p>",
            anchor(&site.url),
            html_escape(&site.name),
            evidence_link(&site.url),
            round_to_cents(site.total),
            round_to_cents(site.bonus),
            round_to_cents(site.deductions)
        );
        if let Some(v) = verdict(site) {
            let _ = write!(h, "<p class=\"bad\">{}</p>", html_escape(&v));
        }
        for hit in site.veto.iter().flatten() {
            let _ = write!(
                h,
                "<p class=\"bad\">{}: {}</p><ul>",
                html_escape(&hit.name),
                html_escape(&hit.reason)
            );
            for e in &hit.evidence {
                let _ = write!(h, "<li>{}</li>", evidence_link(e));
            }
            h.push_str("</ul>");
        }
        h.push_str("<table><thead><tr><th>指标</th><th>得分</th><th>满分</th><th>依据</th></tr></thead><tbody>");
        for ind in &site.indicators {
            let _ = write!(
                h,
                "<tr><th>{}</th><td class=\"n\">{:.2}</td><td class=\"n\">{:.2}</td><td></td></tr>",
                html_escape(&ind.name),
                round_to_cents(ind.score),
                round_to_cents(ind.max)
            );
            for c in &ind.children {
                let links: Vec<String> = c.evidence.urls.iter().map(|u| evidence_link(u)).collect();
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{:.2}</td><td class=\"n\">{:.2}</td><td>{}<br><small>{}</small></td></tr>",
                    html_escape(&c.name),
                    round_to_cents(c.score),
                    round_to_cents(c.max),
                    html_escape(&c.evidence.note),
                    links.join(" ")
                );
            }
        }
        for d in &site.deduction_items {
            let _ = write!(
                h,
                "<tr><td>{} (扣分)</td><td class=\"n\">−{:.2}</td><td></td><td>{}</td></tr>",
                html_escape(&d.name),
                round_to_cents(d.points),
                html_escape(&d.evidence.note)
            );
        }
        h.push_str("</tbody></table></section>");
    }
    h.push_str("</body></html>\n");
    h
}

/// An id for a site's section: its URL reduced to safe characters.
fn anchor(url: &str) -> String {
    url.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Writes `results.json` alone (the partial result of a shard), through a temporary file.
pub fn write_results(results: &Results, out: &Path) -> io::Result<()> {
    std::fs::create_dir_all(out)?;
    write_atomic(&out.join("results.json"), results.to_json().as_bytes())
}

/// Writes the report folder: `results.json`, `rankings.csv`, `report.md`, `report.html`.
/// Each file is written whole to a temporary name and renamed.
pub fn write_reports(
    results: &Results,
    previous: Option<&Results>,
    out: &Path,
) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out)?;
    let files: BTreeMap<&str, String> = BTreeMap::from([
        ("results.json", results.to_json()),
        ("rankings.csv", render_csv(&tables(results), true)),
        ("report.md", report_md(results, previous)),
        ("report.html", report_html(results)),
    ]);
    let mut written = Vec::new();
    for (name, content) in files {
        let path = out.join(name);
        write_atomic(&path, content.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
