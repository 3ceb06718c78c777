//! Each rule kind of the indicator file evaluated against a site's evidence, giving a
//! fraction of the check's points and the evidence for it.

use chrono::NaiveDate;
use regex::Regex;

use super::{Evidence, Page, SiteEvidence};
use crate::extract::facts::{LinkFact, Zone};
use crate::input::indicators::{ColumnRule, PageScope, Rule};

pub struct Ctx<'a> {
    pub ev: &'a SiteEvidence,
    pub as_of: NaiveDate,
    /// Links that can name a column, best first, each (URL, or text for controls) once:
    /// computed once per site, since every page repeats the same navigation.
    candidates: Vec<(&'a LinkFact, &'a Page)>,
}

pub struct Outcome {
    pub fraction: f64,
    pub evidence: Evidence,
}

impl Outcome {
    pub(super) fn zero(evidence: Evidence) -> Self {
        Self {
            fraction: 0.0,
            evidence,
        }
    }

    fn full(evidence: Evidence) -> Self {
        Self {
            fraction: 1.0,
            evidence,
        }
    }

    fn of(found: bool, yes: Evidence, no: Evidence) -> Self {
        if found {
            Self::full(yes)
        } else {
            Self::zero(no)
        }
    }
}

/// A column found on the site: the link that names it, the page it sits on, and the list
/// page it leads to (when that page was crawled).
pub struct ColumnFind<'a> {
    pub link: &'a LinkFact,
    pub on: &'a Page,
    pub list: Option<&'a Page>,
}

impl ColumnFind<'_> {
    /// The newest dated item of the list page.
    pub fn newest(&self) -> Option<NaiveDate> {
        self.list?.facts.dated_items.iter().map(|i| i.date).max()
    }

    /// Dated items of the list page no older than `days` before `as_of` (all of them when
    /// `days` is `None`).
    pub fn items_within(&self, days: Option<u32>, as_of: NaiveDate) -> usize {
        let Some(list) = self.list else { return 0 };
        list.facts
            .dated_items
            .iter()
            .filter(|i| days.is_none_or(|d| age(i.date, as_of) <= i64::from(d)))
            .count()
    }
}

/// Days from `date` to `as_of` (negative for dates after it).
pub fn age(date: NaiveDate, as_of: NaiveDate) -> i64 {
    (as_of - date).num_days()
}

fn any_match(patterns: &[Regex], text: &str) -> bool {
    patterns.iter().any(|p| p.is_match(text))
}

fn describe(patterns: &[Regex]) -> String {
    patterns
        .iter()
        .map(Regex::as_str)
        .collect::<Vec<_>>()
        .join("/")
}

impl<'a> Ctx<'a> {
    /// Column links are looked for in this order: the homepage's navigation, the rest of
    /// the homepage, then the navigation and body of other pages in crawl order. A portal's
    /// columns are reached from its homepage; a sub-column (信息公开年报 under 政府信息公开)
    /// from the page above it.
    pub fn new(ev: &'a SiteEvidence, as_of: NaiveDate) -> Self {
        let mut candidates: Vec<(&'a LinkFact, &'a Page)> = Vec::new();
        let mut seen: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
        let mut add = |link: &'a LinkFact, on: &'a Page| {
            if link.text.is_empty() {
                return;
            }
            let key = (link.url.as_deref().unwrap_or(""), link.text.as_str());
            if seen.insert(key) {
                candidates.push((link, on));
            }
        };
        if let Some(home) = ev.homepage() {
            for zone in [Zone::Nav, Zone::Body, Zone::Footer] {
                for link in home.facts.links.iter().filter(|l| l.zone == zone) {
                    add(link, home);
                }
            }
        }
        for page in ev.pages.iter().filter(|p| p.depth > 0) {
            for link in page.facts.links.iter().filter(|l| l.zone != Zone::Footer) {
                add(link, page);
            }
        }
        Self {
            ev,
            as_of,
            candidates,
        }
    }

    /// Links whose text matches `patterns`, best first, one per target (or per text, for
    /// controls without a target).
    pub fn find_columns(&self, patterns: &[Regex]) -> Vec<ColumnFind<'a>> {
        let mut found: Vec<ColumnFind<'a>> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for &(link, on) in &self.candidates {
            if !any_match(patterns, &link.text) {
                continue;
            }
            let key = link.url.as_deref().unwrap_or(&link.text);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let list = link.url.as_deref().and_then(|u| self.ev.page(u));
            found.push(ColumnFind { link, on, list });
        }
        found
    }

    pub fn eval(&self, rule: &Rule) -> Outcome {
        match rule {
            Rule::Column(col) => self.column(col),
            Rule::Text { pattern, scope } => self.text(pattern, *scope),
            Rule::Selector {
                source,
                scope,
                index,
                ..
            } => self.selector(source, *scope, *index),
            Rule::LinkTo { host, text, scope } => self.link_to(host, text.as_ref(), *scope),
            Rule::Https => self.https(),
            Rule::LoadTime { p10_ms, median_ms } => self.load_time(*p10_ms, *median_ms),
            Rule::LinkHealth { zero_at_share } => self.link_health(*zero_at_share),
            Rule::MetaConsistency { tags } => self.meta_consistency(tags),
            Rule::GuideElements {
                guide_patterns,
                elements,
                min_elements,
            } => self.guide_elements(guide_patterns, elements, *min_elements),
            // Scored from the evaluators' file by the check (see `score::manual`); a manual
            // rule is always a check's whole rule, so it is never reached here.
            Rule::Manual { .. } => {
                Outcome::zero(Evidence::note("manual check: no evaluator's points given"))
            }
            Rule::AnyOf(rules) => {
                let outcomes: Vec<Outcome> = rules.iter().map(|r| self.eval(r)).collect();
                // The best fraction; on a tie the first rule, so evidence is stable.
                outcomes
                    .into_iter()
                    .enumerate()
                    .max_by(|(ia, a), (ib, b)| a.fraction.total_cmp(&b.fraction).then(ib.cmp(ia)))
                    .map(|(_, o)| o)
                    .expect("any_of has rules")
            }
            Rule::AllOf(rules) => {
                let outcomes: Vec<Outcome> = rules.iter().map(|r| self.eval(r)).collect();
                let fraction =
                    outcomes.iter().map(|o| o.fraction).sum::<f64>() / outcomes.len() as f64;
                let mut urls: Vec<String> = Vec::new();
                for o in &outcomes {
                    for u in &o.evidence.urls {
                        if !urls.contains(u) {
                            urls.push(u.clone());
                        }
                    }
                }
                let note = outcomes
                    .iter()
                    .map(|o| o.evidence.note.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                Outcome {
                    fraction,
                    evidence: Evidence { urls, note },
                }
            }
        }
    }

    fn column(&self, col: &ColumnRule) -> Outcome {
        let names = describe(&col.patterns);
        let finds = self.find_columns(&col.patterns);
        // The first find that leads to a crawled list page, else the first find.
        let Some(best) = finds.iter().find(|f| f.list.is_some()).or(finds.first()) else {
            return Outcome::zero(Evidence::note(format!(
                "no link whose text matches {names} on the homepage or in the navigation"
            )));
        };
        let where_ = best
            .link
            .url
            .clone()
            .unwrap_or_else(|| best.on.facts.url.clone());
        if col.fresh_within.is_none() && col.min_items.is_none() {
            return Outcome::full(Evidence::at(where_, format!("{} found", best.link.text)));
        }
        let Some(list) = best.list else {
            return Outcome {
                fraction: 0.0,
                evidence: Evidence::at(
                    where_,
                    format!(
                        "{} found, but its list page was not crawled, so its dates are unknown",
                        best.link.text
                    ),
                ),
            };
        };
        let newest = best.newest();
        let window_items = best.items_within(col.fresh_within, self.as_of);
        let fresh = match (col.fresh_within, newest) {
            (None, _) => 1.0,
            (Some(days), Some(n)) if age(n, self.as_of) <= i64::from(days) => 1.0,
            _ => 0.0,
        };
        let enough = match col.min_items {
            None => 1.0,
            Some(min) => (window_items as f64 / f64::from(min)).min(1.0),
        };
        let newest_text = newest.map_or("no dated items".to_owned(), |d| format!("newest {d}"));
        let window_text = match col.fresh_within {
            Some(days) => format!("{window_items} items in {days} days"),
            None => format!("{window_items} dated items"),
        };
        Outcome {
            fraction: fresh * enough,
            evidence: Evidence::at(
                list.facts.url.clone(),
                format!(
                    "{} at {}, {newest_text}, {window_text}",
                    best.link.text, list.facts.url
                ),
            ),
        }
    }

    fn scope_pages(&self, scope: PageScope) -> Vec<&'a Page> {
        match scope {
            PageScope::Homepage | PageScope::Footer => self.ev.homepage().into_iter().collect(),
            PageScope::AnyPage | PageScope::EveryPage => self.ev.pages.iter().collect(),
        }
    }

    /// Full credit when one page of the scope passes (every_page: the share that pass).
    fn over_pages(&self, scope: PageScope, what: &str, pass: impl Fn(&Page) -> bool) -> Outcome {
        let pages = self.scope_pages(scope);
        if pages.is_empty() {
            return Outcome::zero(Evidence::note(format!("{what}: no page to look at")));
        }
        let passing: Vec<&Page> = pages.iter().copied().filter(|p| pass(p)).collect();
        let where_ = match scope {
            PageScope::Homepage => "on the homepage",
            PageScope::Footer => "in the homepage footer",
            PageScope::AnyPage | PageScope::EveryPage => "on the crawled pages",
        };
        match scope {
            PageScope::EveryPage => Outcome {
                fraction: passing.len() as f64 / pages.len() as f64,
                evidence: Evidence {
                    urls: pages
                        .iter()
                        .filter(|p| !pass(p))
                        .take(5)
                        .map(|p| p.facts.url.clone())
                        .collect(),
                    note: format!("{what}: {} of {} pages", passing.len(), pages.len()),
                },
            },
            PageScope::Homepage | PageScope::Footer | PageScope::AnyPage => Outcome::of(
                !passing.is_empty(),
                Evidence::at(
                    passing
                        .first()
                        .map(|p| p.facts.url.clone())
                        .unwrap_or_default(),
                    format!("{what} found {where_}"),
                ),
                Evidence::note(format!("{what} not found {where_}")),
            ),
        }
    }

    fn text(&self, pattern: &Regex, scope: PageScope) -> Outcome {
        let what = format!("text matching `{}`", pattern.as_str());
        self.over_pages(scope, &what, |p| {
            let text = if scope == PageScope::Footer {
                &p.facts.footer_text
            } else {
                &p.facts.text
            };
            pattern.is_match(text)
        })
    }

    fn selector(&self, source: &str, scope: PageScope, index: usize) -> Outcome {
        let what = format!("an element matching `{source}`");
        self.over_pages(scope, &what, |p| {
            p.facts.selectors.get(index).copied().unwrap_or(false)
        })
    }

    fn link_to(&self, host: &Regex, text: Option<&Regex>, scope: PageScope) -> Outcome {
        let what = match text {
            Some(t) => format!(
                "a link to a host matching `{}` reading `{}`",
                host.as_str(),
                t.as_str()
            ),
            None => format!("a link to a host matching `{}`", host.as_str()),
        };
        let pages = self.scope_pages(scope);
        for page in pages {
            for link in &page.facts.links {
                if scope == PageScope::Footer && link.zone != Zone::Footer {
                    continue;
                }
                let Some(url) = link.url.as_deref().and_then(|u| url::Url::parse(u).ok()) else {
                    continue;
                };
                let host_ok = url.host_str().is_some_and(|h| host.is_match(h));
                let text_ok = text.is_none_or(|t| t.is_match(&link.text));
                if host_ok && text_ok {
                    return Outcome::full(Evidence {
                        urls: vec![page.facts.url.clone(), url.to_string()],
                        note: format!("{} links to {url}", page.facts.url),
                    });
                }
            }
        }
        Outcome::zero(Evidence::note(format!("no {what}")))
    }

    fn https(&self) -> Outcome {
        let pages = &self.ev.pages;
        if pages.is_empty() {
            return Outcome::zero(Evidence::note("no page crawled"));
        }
        let secure = pages.iter().filter(|p| p.https).count();
        Outcome {
            fraction: secure as f64 / pages.len() as f64,
            evidence: Evidence {
                urls: pages
                    .iter()
                    .filter(|p| !p.https)
                    .take(5)
                    .map(|p| p.facts.url.clone())
                    .collect(),
                note: format!("{secure} of {} pages served over HTTPS", pages.len()),
            },
        }
    }

    fn load_time(&self, p10_ms: f64, median_ms: f64) -> Outcome {
        let mut times: Vec<u64> = self
            .ev
            .visits
            .iter()
            .filter(|v| v.ok)
            .map(|v| v.ms)
            .collect();
        if times.is_empty() {
            return Outcome::zero(Evidence::note("the homepage never loaded"));
        }
        times.sort_unstable();
        let median = times[times.len() / 2] as f64;
        let fraction = lighthouse(median.max(1.0), p10_ms, median_ms);
        Outcome {
            fraction,
            evidence: Evidence::at(
                self.ev.homepage_url.clone(),
                format!(
                    "homepage loaded in {median:.0} ms (median of {} loads); 0.9 at {p10_ms:.0} ms, 0.5 at {median_ms:.0} ms",
                    times.len()
                ),
            ),
        }
    }

    fn link_health(&self, zero_at_share: f64) -> Outcome {
        let checked = self.ev.links.len();
        if checked == 0 {
            return Outcome::full(Evidence::note("no links checked"));
        }
        let broken: Vec<&super::CheckedLink> = self.ev.links.iter().filter(|l| !l.ok).collect();
        let share = broken.len() as f64 / checked as f64;
        Outcome {
            fraction: (1.0 - share / zero_at_share).max(0.0),
            evidence: Evidence {
                urls: broken.iter().take(10).map(|l| l.url.clone()).collect(),
                note: format!(
                    "{} of {checked} checked links broken ({:.1}%)",
                    broken.len(),
                    share * 100.0
                ),
            },
        }
    }

    fn meta_consistency(&self, tags: &[String]) -> Outcome {
        // Article pages: not the homepage, not a list page.
        let articles: Vec<&Page> = self
            .ev
            .pages
            .iter()
            .filter(|p| p.depth > 0 && p.facts.dated_items.len() < 3)
            .collect();
        if articles.is_empty() {
            return Outcome::zero(Evidence::note("no article page crawled"));
        }
        let home_code = self
            .ev
            .homepage()
            .and_then(|h| h.facts.marks.site_code.clone());
        let good = |p: &Page| {
            let all = tags.iter().all(|t| {
                p.facts
                    .meta
                    .get(&t.to_ascii_lowercase())
                    .is_some_and(|v| !v.is_empty())
            });
            let footer = p
                .facts
                .marks
                .site_code
                .clone()
                .or_else(|| home_code.clone());
            let consistent = match (p.facts.meta.get("siteidcode"), footer) {
                (Some(meta), Some(footer)) => meta.trim() == footer,
                _ => true,
            };
            all && consistent
        };
        let passing = articles.iter().filter(|p| good(p)).count();
        Outcome {
            fraction: passing as f64 / articles.len() as f64,
            evidence: Evidence {
                urls: articles
                    .iter()
                    .filter(|p| !good(p))
                    .take(5)
                    .map(|p| p.facts.url.clone())
                    .collect(),
                note: format!(
                    "{passing} of {} article pages carry {} with SiteIDCode matching the footer",
                    articles.len(),
                    tags.join(", ")
                ),
            },
        }
    }

    /// The 办事指南 pages reached through links matching `patterns`, crawled.
    pub fn guide_pages(&self, patterns: &[Regex]) -> Vec<&'a Page> {
        let mut out: Vec<&Page> = Vec::new();
        for page in &self.ev.pages {
            for link in &page.facts.links {
                if !any_match(patterns, &link.text) {
                    continue;
                }
                if let Some(target) = link.url.as_deref().and_then(|u| self.ev.page(u))
                    && !out.iter().any(|p| p.facts.url == target.facts.url)
                {
                    out.push(target);
                }
            }
        }
        out
    }

    fn guide_elements(&self, patterns: &[Regex], elements: &[String], min: u32) -> Outcome {
        let guides = self.guide_pages(patterns);
        if guides.is_empty() {
            return Outcome::zero(Evidence::note(format!(
                "no crawled page reached through a link matching {}",
                describe(patterns)
            )));
        }
        let present = |p: &Page| {
            elements
                .iter()
                .filter(|e| p.facts.text.contains(e.as_str()))
                .count()
        };
        let passing = guides.iter().filter(|p| present(p) >= min as usize).count();
        Outcome {
            fraction: passing as f64 / guides.len() as f64,
            evidence: Evidence {
                urls: guides.iter().take(5).map(|p| p.facts.url.clone()).collect(),
                note: format!(
                    "{passing} of {} guides show at least {min} of the {} key elements",
                    guides.len(),
                    elements.len()
                ),
            },
        }
    }
}

/// Lighthouse's metric curve: log-normal, 0.9 at `p10`, 0.5 at `median`.
pub fn lighthouse(value: f64, p10: f64, median: f64) -> f64 {
    // Φ⁻¹(0.9): the standard normal quantile that puts p10 at a score of 0.9.
    const Z90: f64 = 1.281_551_565_545;
    let sigma = (median / p10).ln() / Z90;
    let z = (value / median).ln() / sigma;
    (0.5 * erfc(z / std::f64::consts::SQRT_2)).clamp(0.0, 1.0)
}

/// The complementary error function (Numerical Recipes' Chebyshev fit, relative error below
/// 1.2e-7: ample for points rounded to hundredths).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lighthouse_curve_control_points() {
        assert!((lighthouse(1000.0, 1000.0, 3000.0) - 0.9).abs() < 1e-6);
        assert!((lighthouse(3000.0, 1000.0, 3000.0) - 0.5).abs() < 1e-6);
        assert!(lighthouse(100.0, 1000.0, 3000.0) > 0.99);
        assert!(lighthouse(15_000.0, 1000.0, 3000.0) < 0.05);
        let a = lighthouse(2000.0, 1000.0, 3000.0);
        assert!(a > 0.5 && a < 0.9);
    }
}
