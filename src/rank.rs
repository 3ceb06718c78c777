//! Ranking: per category, reachable sites without a veto ordered by total, ties sharing a
//! rank (1, 2, 2, 4). Vetoed and unreachable sites are not ranked; the reports list them
//! after the ranked ones.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::input::Category;
use crate::points::{cents, round2};
use crate::score::SiteResult;

/// A site's place in one category's ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankEntry {
    /// 1-based; sites whose totals print the same share a rank (1, 2, 2, 4).
    pub rank: u32,
    /// The site's URL, which links the entry to its result.
    pub url: String,
    /// The site's name.
    pub name: String,
    /// The site's total; written to the cent.
    #[serde(serialize_with = "round2")]
    pub total: f64,
}

/// The ranking of every category that a site lists. Totals are compared as printed (to the
/// cent), so two sites shown with the same total share a rank; equal totals are ordered by
/// name, then URL, so the order is stable.
pub fn rank(results: &[SiteResult]) -> BTreeMap<Category, Vec<RankEntry>> {
    let mut by_category: BTreeMap<Category, Vec<&SiteResult>> = BTreeMap::new();
    for r in results {
        for c in &r.categories {
            let entry = by_category.entry(c.clone()).or_default();
            if r.rankable() {
                entry.push(r);
            }
        }
    }
    by_category
        .into_iter()
        .map(|(category, mut sites)| {
            sites.sort_by(|a, b| {
                cents(b.total)
                    .cmp(&cents(a.total))
                    .then_with(|| a.name.cmp(&b.name))
                    .then_with(|| a.url.cmp(&b.url))
            });
            let mut ranked = Vec::with_capacity(sites.len());
            let mut previous: Option<(i64, u32)> = None;
            for (i, s) in sites.iter().enumerate() {
                let total = cents(s.total);
                let rank = match previous {
                    Some((t, r)) if t == total => r,
                    _ => i as u32 + 1,
                };
                previous = Some((total, rank));
                ranked.push(RankEntry {
                    rank,
                    url: s.url.clone(),
                    name: s.name.clone(),
                    total: s.total,
                });
            }
            (category, ranked)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{CrawlStats, Status, VetoHit};

    fn site(name: &str, total: f64, categories: &[&str]) -> SiteResult {
        SiteResult {
            url: format!("https://www.{name}.gov.cn/"),
            name: name.to_owned(),
            categories: categories.iter().map(|c| Category::new(*c)).collect(),
            status: Status::Ok,
            total,
            bonus: 0.0,
            deductions: 0.0,
            veto: None,
            indicators: Vec::new(),
            deduction_items: Vec::new(),
            bonus_cases: Vec::new(),
            crawl: CrawlStats::default(),
            identity: None,
            findings: Vec::new(),
            pages: Vec::new(),
        }
    }

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        let results = vec![
            site("a", 90.0, &["district"]),
            site("b", 85.004, &["district"]),
            site("c", 84.996, &["district"]),
            site("d", 70.0, &["district"]),
        ];
        let ranks: Vec<(u32, String)> = rank(&results)[&Category::new("district")]
            .iter()
            .map(|e| (e.rank, e.name.clone()))
            .collect();
        assert_eq!(
            ranks,
            [
                (1, "a".into()),
                (2, "b".into()),
                (2, "c".into()),
                (4, "d".into())
            ]
        );
    }

    #[test]
    fn a_site_in_two_categories_is_ranked_in_both_and_vetoed_sites_in_none() {
        let mut vetoed = site("v", 99.0, &["district"]);
        vetoed.veto = Some(vec![VetoHit {
            id: "x".into(),
            name: "首页不更新".into(),
            reason: crate::lang::Text::same("r"),
            evidence: vec![],
        }]);
        let mut down = site("u", 0.0, &["district"]);
        down.status = Status::Unreachable {
            reason: crate::lang::Text::same("timeout"),
        };
        let results = vec![
            site("cd", 80.0, &["provincial-capital", "sub-provincial"]),
            vetoed,
            down,
        ];
        let ranks = rank(&results);
        assert_eq!(ranks[&Category::new("provincial-capital")][0].name, "cd");
        assert_eq!(ranks[&Category::new("sub-provincial")][0].name, "cd");
        assert!(ranks[&Category::new("district")].is_empty());
    }
}
