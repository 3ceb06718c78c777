//! `govscore explain`: why a site scored what it did — every indicator and check with the
//! points got and possible and its evidence, the vetoes, deductions and bonus with theirs;
//! with `--pages`, how the page model read each of its pages.

use std::fmt::Write as _;

use url::Url;

use crate::extract::PageClass;
use crate::input::{Lookup, SiteKey, lookup};
use crate::points::fmt_cents as p;
use crate::results::Results;
use crate::score::{PageSummary, SiteResult};

/// The site a user means: by URL, host, full name, or a part of one name only (see
/// [`lookup`]).
pub fn find<'a>(results: &'a Results, reference: &str) -> Lookup<'a, SiteResult> {
    lookup(
        reference,
        &results.sites,
        |s| Url::parse(&s.url).ok().as_ref().and_then(SiteKey::of),
        |s| &s.name,
    )
}

/// The explanation as text.
pub fn explain(results: &Results, site: &SiteResult) -> String {
    let mut out = String::new();
    let names: Vec<String> = site
        .categories
        .iter()
        .map(|c| {
            results
                .categories
                .iter()
                .find(|i| &i.id == c)
                .map_or(c.to_string(), |i| i.name.clone())
        })
        .collect();
    let _ = writeln!(out, "{} {} ({})", site.name, site.url, names.join(", "));
    let base: f64 = site.indicators.iter().map(|i| i.score).sum();
    let _ = writeln!(
        out,
        "total {} = {} from the indicators − {} deductions + {} bonus (evaluated {})",
        p(site.total),
        p(base),
        p(site.deductions),
        p(site.bonus),
        results.as_of
    );
    let ranks: Vec<String> = site
        .categories
        .iter()
        .zip(&names)
        .map(|(c, name)| {
            match results
                .rankings
                .get(c)
                .and_then(|r| r.iter().find(|e| e.url == site.url))
            {
                Some(e) => format!("{name} #{} of {}", e.rank, results.rankings[c].len()),
                None => format!("{name}: not ranked"),
            }
        })
        .collect();
    let _ = writeln!(out, "rank: {}", ranks.join("; "));
    if let Some(identity) = &site.identity {
        let _ = writeln!(out, "\nidentity:");
        for (name, read) in identity.rows() {
            let _ = writeln!(out, "  {name} {} ({})", read.value, read.url);
        }
        if identity.site_code_agrees == Some(false) {
            let _ = writeln!(
                out,
                "  the footer's 网站标识码 and the SiteIDCode tag disagree"
            );
        }
    }
    if let Some(reason) = site.status.reason() {
        let _ = writeln!(out, "\n无法访问 (unreachable): {reason}");
    }
    if let Some(hits) = &site.veto {
        let _ = writeln!(out, "\n不合格 — vetoes hit:");
        for h in hits {
            let _ = writeln!(out, "  {} ({}): {}", h.name, h.id, h.reason);
            for e in &h.evidence {
                let _ = writeln!(out, "      {e}");
            }
        }
    }
    for ind in &site.indicators {
        let _ = writeln!(out, "\n{} {}/{}", ind.name, p(ind.score), p(ind.max));
        for c in &ind.children {
            let _ = writeln!(
                out,
                "  {} ({}) {}/{} — {}",
                c.name,
                c.id,
                p(c.score),
                p(c.max),
                c.evidence.note
            );
            for u in &c.evidence.urls {
                let _ = writeln!(out, "      {u}");
            }
        }
    }
    let _ = writeln!(out, "\ndeductions −{}", p(site.deductions));
    for d in &site.deduction_items {
        let _ = writeln!(
            out,
            "  {} ({}) −{} for {} — {}",
            d.name,
            d.id,
            p(d.points),
            d.count,
            d.evidence.note
        );
        for u in d.evidence.urls.iter().take(20) {
            let _ = writeln!(out, "      {u}");
        }
    }
    let _ = writeln!(out, "\nbonus +{}", p(site.bonus));
    for b in &site.bonus_cases {
        let _ = writeln!(out, "  {} +{}", b.title, p(b.points));
    }
    out
}

/// The pages of a site as the page model read them (`explain --pages`): each page's class
/// and the signals that chose it, grouped by class, the homepage first.
pub fn pages(site: &SiteResult) -> String {
    let mut out = String::new();
    if site.pages.is_empty() {
        let _ = writeln!(
            out,
            "{}: no pages recorded (unreachable, or results written before the page model)",
            site.name
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{} {}: {} pages",
        site.name,
        site.url,
        site.pages.len()
    );
    let mut classes: Vec<PageClass> = site.pages.iter().map(|p| p.class).collect();
    classes.sort();
    classes.dedup();
    for class in classes {
        let of_class: Vec<&PageSummary> = site.pages.iter().filter(|p| p.class == class).collect();
        let _ = writeln!(out, "\n{} ({})", class.as_str(), of_class.len());
        for page in of_class {
            let from = if page.platform {
                " [service platform]"
            } else {
                ""
            };
            let _ = writeln!(out, "  {}{from}", page.url);
            let _ = writeln!(out, "      {}", page.signals.join("; "));
        }
    }
    out
}
