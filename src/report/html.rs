//! `report.html`: one self-contained page — no external script, font or style — with the
//! ranked tables, an SVG bar chart per category (each site's score stacked by first-level
//! indicator) and a section per site with every check's points and evidence links. Everything
//! that came from a crawled page is escaped, and only http(s) evidence is linked.

use std::fmt::Write as _;

use super::table::html_escape;
use super::{CategoryTable, Row, verdict};
use crate::points::fmt_cents;
use crate::results::Results;

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
    let ranked: Vec<&Row> = t.ranked().collect();
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
                "<rect x=\"{bx:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                y + 3.0,
                bar_h - 6.0,
                COLOURS[i % COLOURS.len()],
                html_escape(
                    t.indicator_names
                        .get(i)
                        .map(String::as_str)
                        .unwrap_or_default()
                ),
                fmt_cents(*v)
            );
            bx += w;
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{}</text>",
            bx + 4.0,
            y + 15.0,
            fmt_cents(r.total)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The report's whole style sheet: the page carries no external styles, fonts or scripts.
const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}.bad{color:#b00}section.site{border-top:1px solid #ddd;margin-top:2em}small{color:#666}";

/// The whole self-contained page: tables, charts, and a section per site with its evidence.
pub(super) fn report(results: &Results, tables: &[CategoryTable]) -> String {
    let mut h = String::new();
    let title = format!("政府网站绩效评估 {}", results.year);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>",
        html_escape(&title),
    );
    let _ = write!(
        h,
        "<h1>{}</h1><p>Evaluation date {} · {} sites · indicator file {}<code>{}</code> · govscore {}</p>",
        html_escape(&title),
        results.as_of,
        results.sites.len(),
        if results.indicators_file.is_empty() {
            String::new()
        } else {
            format!("{} ", html_escape(&results.indicators_file))
        },
        html_escape(&results.indicators_sha256),
        html_escape(&results.tool_version)
    );
    for note in &results.notes {
        let _ = write!(
            h,
            "<p class=\"bad\"><strong>{}</strong></p>",
            html_escape(note)
        );
    }
    for t in tables {
        let _ = write!(
            h,
            "<h2 id=\"cat-{}\">{}</h2>",
            html_escape(t.id.id()),
            html_escape(&t.name)
        );
        h.push_str(&chart(t));
        h.push_str(&t.grid(t.rows.iter()).to_html());
    }
    let identities = super::identity_table(results);
    if !identities.rows.is_empty() {
        h.push_str("<h2>网站标识 (identifiers as read)</h2>");
        h.push_str(&identities.to_html());
    }
    h.push_str("<h2>Sites</h2>");
    for site in &results.sites {
        let _ = write!(
            h,
            "<section class=\"site\" id=\"site-{}\"><h3>{}</h3><p>{} · total {} (bonus {}, deductions {})</p>",
            anchor(&site.url),
            html_escape(&site.name),
            evidence_link(&site.url),
            fmt_cents(site.total),
            fmt_cents(site.bonus),
            fmt_cents(site.deductions)
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
                "<tr><th>{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td></td></tr>",
                html_escape(&ind.name),
                fmt_cents(ind.score),
                fmt_cents(ind.max)
            );
            for c in &ind.children {
                let links: Vec<String> = c.evidence.urls.iter().map(|u| evidence_link(u)).collect();
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}<br><small>{}</small></td></tr>",
                    html_escape(&c.name),
                    fmt_cents(c.score),
                    fmt_cents(c.max),
                    html_escape(&c.evidence.note),
                    links.join(" ")
                );
            }
        }
        for d in &site.deduction_items {
            let _ = write!(
                h,
                "<tr><td>{} (扣分)</td><td class=\"n\">−{}</td><td></td><td>{}</td></tr>",
                html_escape(&d.name),
                fmt_cents(d.points),
                html_escape(&d.evidence.note)
            );
        }
        h.push_str("</tbody></table></section>");
    }
    h.push_str("</body></html>\n");
    h
}

/// An id for a site's section: its URL reduced to safe characters.
pub(super) fn anchor(url: &str) -> String {
    url.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
