//! `report.html`: one self-contained page — no external script, font or style — with the
//! ranked tables, an SVG bar chart per category (each site's score stacked by first-level
//! indicator) and a section per site with every check's points and evidence links. Everything
//! that came from a crawled page is escaped, and only http(s) evidence is linked.

use std::fmt::Write as _;

use super::table::html_escape;
use super::{CategoryTable, Row, identity_heading, title, verdict};
use crate::lang::Lang;
use crate::points::fmt_cents;
use crate::results::Results;
use crate::score::SiteResult;
use crate::score::findings::FindingStatus;

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

/// A line of evidence with each http(s) URL in it made a link and the rest escaped. URLs in
/// notes are serialised, so ASCII: one ends at whitespace, at any other character, or at the
/// ASCII punctuation notes put around it (a parenthesis, comma, quote or angle bracket).
fn linkify(line: &str) -> String {
    let ends = |c: char| !c.is_ascii_graphic() || "()，,\"'<>".contains(c);
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = ["http://", "https://"]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        out.push_str(&html_escape(&rest[..start]));
        let tail = &rest[start..];
        let len = tail.find(ends).unwrap_or(tail.len());
        out.push_str(&evidence_link(&tail[..len]));
        rest = &tail[len..];
    }
    out.push_str(&html_escape(rest));
    out
}

const COLOURS: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f",
];

fn chart(t: &CategoryTable, lang: Lang) -> String {
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
        html_escape(&match lang {
            Lang::Zh => format!("{}各一级指标得分", t.name),
            Lang::En => format!("{} scores by indicator", t.name),
        })
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
const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}.bad{color:#b00}.muted{color:#666}section.site{border-top:1px solid #ddd;margin-top:2em}small{color:#666}";

/// The whole self-contained page: tables, charts, and a section per site with its evidence.
pub(super) fn report(results: &Results, tables: &[CategoryTable], lang: Lang) -> String {
    let mut h = head(results, tables, lang);
    for site in &results.sites {
        h.push_str(&site_section(site, lang));
    }
    h.push_str(TAIL);
    h
}

/// The page's end, after the sites' sections.
pub(super) const TAIL: &str = "</body></html>\n";

/// The page up to the sites' sections: title, notes, each category's chart and table, the
/// identifiers, and the sections' heading. `results` may hold the sites' summaries.
pub(super) fn head(results: &Results, tables: &[CategoryTable], lang: Lang) -> String {
    let mut h = String::new();
    let l = |zh, en| lang.pick(zh, en);
    let title = title(results.year, lang);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>",
        l("zh-CN", "en"),
        html_escape(&title),
    );
    let _ = write!(
        h,
        "<h1>{}</h1><p>{} {} · {} {} · {} {}<code>{}</code> · govscore {}</p>",
        html_escape(&title),
        l("评估日期", "Evaluation date"),
        results.as_of,
        results.sites.len(),
        l("个网站", "sites"),
        l("指标文件", "indicator file"),
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
            html_escape(note.get(lang))
        );
    }
    for t in tables {
        let _ = write!(
            h,
            "<h2 id=\"cat-{}\">{}</h2>",
            html_escape(t.id.id()),
            html_escape(&t.name)
        );
        h.push_str(&chart(t, lang));
        h.push_str(&t.grid(t.rows.iter(), lang).to_html());
    }
    let identities = super::identity_table(results, lang);
    if !identities.rows.is_empty() {
        let _ = write!(h, "<h2>{}</h2>", identity_heading(lang));
        h.push_str(&identities.to_html());
    }
    let _ = write!(h, "<h2>{}</h2>", l("各网站得分依据", "Sites"));
    h
}

/// One site's section with all its evidence: from its full result, as it is scored.
pub(super) fn site_section(site: &SiteResult, lang: Lang) -> String {
    let mut h = String::new();
    let l = |zh, en| lang.pick(zh, en);
    let (total, bonus, deductions) = (
        fmt_cents(site.total),
        fmt_cents(site.bonus),
        fmt_cents(site.deductions),
    );
    let _ = write!(
        h,
        "<section class=\"site\" id=\"site-{}\"><h3>{}</h3><p>{} · {}</p>",
        anchor(&site.url),
        html_escape(&site.name),
        evidence_link(&site.url),
        match lang {
            Lang::Zh => format!("总分 {total}（加分 {bonus}，扣分 {deductions}）"),
            Lang::En => format!("total {total} (bonus {bonus}, deductions {deductions})"),
        }
    );
    if let Some(v) = verdict(site, lang) {
        let _ = write!(h, "<p class=\"bad\">{}</p>", html_escape(&v));
    }
    if !site.findings.is_empty() {
        h.push_str("<ul>");
        for f in &site.findings {
            let class = if f.status == FindingStatus::Dismissed {
                "muted"
            } else {
                "bad"
            };
            let _ = write!(
                h,
                "<li class=\"{class}\"><code>{}</code> [{}] {}<br><small>{}</small></li>",
                html_escape(&f.id),
                f.status.label(lang),
                linkify(f.note.get(lang)),
                f.items
                    .iter()
                    .take(20)
                    .map(|i| linkify(i))
                    .collect::<Vec<_>>()
                    .join("<br>")
            );
        }
        h.push_str("</ul>");
    }
    if let Some(cut) = &site.crawl.cut_short {
        let _ = write!(h, "<p class=\"bad\">{}</p>", html_escape(cut.get(lang)));
    }
    for hit in site.veto.iter().flatten() {
        let _ = write!(
            h,
            "<p class=\"bad\">{}{}{}</p><ul>",
            html_escape(&hit.name),
            l("：", ": "),
            html_escape(hit.reason.get(lang))
        );
        for e in &hit.evidence {
            let _ = write!(h, "<li>{}</li>", linkify(e.get(lang)));
        }
        h.push_str("</ul>");
    }
    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l("指标", "Indicator"),
        l("得分", "Points"),
        l("满分", "Max"),
        l("依据", "Evidence")
    );
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
                html_escape(c.evidence.note.get(lang)),
                links.join(" ")
            );
        }
    }
    for d in &site.deduction_items {
        let _ = write!(
            h,
            "<tr><td>{} ({})</td><td class=\"n\">−{}</td><td></td><td>{}</td></tr>",
            html_escape(&d.name),
            l("扣分", "deduction"),
            fmt_cents(d.points),
            html_escape(d.evidence.note.get(lang))
        );
    }
    h.push_str("</tbody></table></section>");
    h
}

/// An id for a site's section: its URL reduced to safe characters.
pub(super) fn anchor(url: &str) -> String {
    url.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn urls_in_evidence_lines_are_linked_and_the_rest_escaped() {
        assert_eq!(
            linkify("「要闻」（http://a.gov.cn/news/，最新2026-11-20）"),
            "「要闻」（<a href=\"http://a.gov.cn/news/\" rel=\"noreferrer noopener\">http://a.gov.cn/news/</a>，最新2026-11-20）"
        );
        assert_eq!(
            linkify("要闻 (https://a.gov.cn/x?a=1&b=2, newest)"),
            "要闻 (<a href=\"https://a.gov.cn/x?a=1&amp;b=2\" rel=\"noreferrer noopener\">https://a.gov.cn/x?a=1&amp;b=2</a>, newest)"
        );
        assert_eq!(
            linkify("<b>javascript:alert(1)</b>"),
            "&lt;b&gt;javascript:alert(1)&lt;/b&gt;"
        );
    }
}
