//! Reports: what the evaluators read. Today the ranked tables as plain text on the terminal,
//! one per category, and `results.json` written whole through a temporary file.

use std::io::{self, Write};
use std::path::Path;

use unicode_width::UnicodeWidthStr;

use crate::archive::write_atomic;
use crate::evaluate::Results;
use crate::score::{SiteResult, round_to_cents};

/// Writes `results.json` into `out` (created if needed) through a temporary file.
pub fn write_results(results: &Results, out: &Path) -> io::Result<()> {
    std::fs::create_dir_all(out)?;
    write_atomic(&out.join("results.json"), results.to_json().as_bytes())
}

/// The ranked tables: per category, 排名, 网站, 总分, the scored first-level indicators, 加分,
/// 扣分; then the sites that are not ranked, with why.
pub fn write_tables(results: &Results, out: &mut impl Write) -> io::Result<()> {
    let indicator_names: Vec<String> = results
        .sites
        .first()
        .map(|s| s.indicators.iter().map(|i| i.name.clone()).collect())
        .unwrap_or_default();
    for (n, category) in results.categories.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", category.name)?;
        let mut header: Vec<String> = vec!["排名".into(), "网站".into(), "总分".into()];
        header.extend(indicator_names.iter().cloned());
        header.extend(["加分".to_owned(), "扣分".to_owned()]);
        let mut rows: Vec<Vec<String>> = vec![header];
        let ranked = results
            .rankings
            .get(&category.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for entry in ranked {
            let Some(site) = results.sites.iter().find(|s| s.url == entry.url) else {
                continue;
            };
            let mut row = vec![
                entry.rank.to_string(),
                site.name.clone(),
                points(site.total),
            ];
            row.extend(site.indicators.iter().map(|i| points(i.score)));
            row.extend([points(site.bonus), points(site.deductions)]);
            rows.push(row);
        }
        write_aligned(&rows, out)?;
        for site in results
            .sites
            .iter()
            .filter(|s| s.categories.contains(&category.id) && !s.rankable())
        {
            writeln!(out, "  不合格 {} — {}", site.name, why_unranked(site))?;
        }
    }
    Ok(())
}

fn why_unranked(site: &SiteResult) -> String {
    if let Some(reason) = &site.reason {
        return format!("无法访问: {reason}");
    }
    site.veto
        .iter()
        .flatten()
        .map(|v| format!("{}: {}", v.name, v.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

fn points(v: f64) -> String {
    format!("{:.2}", round_to_cents(v))
}

/// Columns padded by display width, so Chinese text (two columns a character) lines up.
fn write_aligned(rows: &[Vec<String>], out: &mut impl Write) -> io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.width();
            // Names left-aligned, numbers right-aligned.
            if c == 1 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
            line.push_str("  ");
        }
        writeln!(out, "  {}", line.trim_end())?;
    }
    Ok(())
}
