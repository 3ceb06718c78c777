//! Each rule kind of the indicator file evaluated against a site's evidence, giving a
//! fraction of the check's points and the evidence for it.

use std::collections::HashMap;

use chrono::NaiveDate;
use regex::Regex;
use url::Url;

use super::curve::lighthouse;
use super::{Evidence, LinkVerdict, Page, SiteEvidence};
use crate::dates;
use crate::extract::PageClass;
use crate::extract::facts::{Item, LinkFact, Zone};
use crate::input::indicators::{ColumnRule, IndicatorSet, PageScope, Rule};
use crate::urls::article_shape;

pub struct Ctx<'a> {
    pub ev: &'a SiteEvidence,
    pub as_of: NaiveDate,
    pub set: &'a IndicatorSet,
    /// Links that can name a column, best first, each (URL, or text for controls) once:
    /// computed once per site, since every page repeats the same navigation.
    candidates: Vec<(&'a LinkFact, &'a Page)>,
    /// The site's pages by URL, for following links.
    by_url: HashMap<&'a str, &'a Page>,
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

/// A column found on the site: the link that names it, the page it sits on, and the page it
/// leads to (when that page was crawled).
pub struct ColumnFind<'a> {
    pub link: &'a LinkFact,
    pub on: &'a Page,
    pub target: Option<&'a Page>,
}

impl<'a> ColumnFind<'a> {
    /// The column's list page: only a list has items, and so freshness.
    pub fn list(&self) -> Option<&'a Page> {
        self.target.filter(|p| p.class == PageClass::List)
    }
}

/// Where an item's date came from, as evidence says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFrom {
    /// The list row shows it.
    Row,
    /// The linked article says it (PubDate meta or 发布时间).
    Page,
    /// The linked address carries it.
    Address,
}

impl DateFrom {
    /// How evidence says where the date came from.
    pub fn as_str(self) -> &'static str {
        match self {
            DateFrom::Row => "shown in the list:",
            DateFrom::Page => "from its article page:",
            DateFrom::Address => "from its address:",
        }
    }
}

/// What a list's items say of its freshness, every date read through the same chain.
#[derive(Debug, Default)]
pub struct Freshness {
    /// The newest date not after the evaluation date.
    pub newest: Option<NaiveDate>,
    /// The item that date is read from, and where the date came from.
    pub newest_item: Option<(String, DateFrom)>,
    /// Items dated within the window (all dated items not in the future without a window).
    pub within: usize,
    /// Items with a date from any source.
    pub dated: usize,
    /// Items no source gives a date.
    pub undated: usize,
    /// Items dated after the evaluation date: not fresh, and a sign of forged dates.
    pub future: Vec<(NaiveDate, String)>,
    /// Dates taken from the linked page or address rather than the row.
    pub borrowed: usize,
}

impl Freshness {
    /// The newest date and how the items were dated, for a note.
    pub fn describe(&self) -> String {
        let mut parts = vec![match (self.newest, &self.newest_item) {
            (Some(d), Some((url, from))) => format!("newest {d} ({} {url})", from.as_str()),
            (Some(d), None) => format!("newest {d}"),
            (None, _) => "no dated items".to_owned(),
        }];
        if self.borrowed > 0 {
            parts.push(format!(
                "{} dated from their article or address",
                self.borrowed
            ));
        }
        if self.undated > 0 {
            parts.push(format!("{} undated", self.undated));
        }
        if !self.future.is_empty() {
            let shown: Vec<String> = self
                .future
                .iter()
                .take(3)
                .map(|(d, u)| format!("{d} {u}"))
                .collect();
            parts.push(format!(
                "{} future-dated, not counted as fresh: {}",
                self.future.len(),
                shown.join(", ")
            ));
        }
        parts.join(", ")
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

/// A matched text as evidence quotes it: whitespace collapsed, at most 60 characters.
fn quote(text: &str) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &collapsed[..cut]),
        None => collapsed,
    }
}

/// Sentence punctuation: a text carrying it is a headline or a sentence, not a column name.
const SENTENCE_MARKS: &str = "：，。！？“”《》";

/// Whether an anchor text reads as a column's name: short, without sentence punctuation.
pub fn reads_as_column(text: &str, max_chars: u32) -> bool {
    !text.is_empty()
        && text.chars().count() <= max_chars as usize
        && !text.chars().any(|c| SENTENCE_MARKS.contains(c))
}

impl<'a> Ctx<'a> {
    /// Column links are looked for in this order: the homepage's navigation, the rest of
    /// the homepage, then the navigation and body of other pages in crawl order. A portal's
    /// columns are reached from its homepage; a sub-column (信息公开年报 under 政府信息公开)
    /// from the page above it. Only links that read as a column's name count, and outside
    /// the navigation never a link to an article (by the crawled page's class, or by its
    /// address's shape): a headline that happens to contain a column's word is news, not
    /// the column.
    pub fn new(ev: &'a SiteEvidence, set: &'a IndicatorSet, as_of: NaiveDate) -> Self {
        let by_url: HashMap<&'a str, &'a Page> =
            ev.pages.iter().map(|p| (p.facts.url.as_str(), p)).collect();
        let max_chars = set.pages.column_name_max_chars;
        let names_column = |link: &LinkFact| {
            if !reads_as_column(link.name(), max_chars) {
                return false;
            }
            let Some(url) = link.url.as_deref() else {
                // A control on the page (a QR pop-up, the 关怀版 switch) is a feature.
                return true;
            };
            // Navigation lists columns, even one published as a single document; elsewhere
            // a link to an article is a headline.
            if link.zone == Zone::Nav {
                return true;
            }
            if by_url
                .get(url)
                .is_some_and(|p| p.class == PageClass::Article)
            {
                return false;
            }
            Url::parse(url).is_ok_and(|u| article_shape(&u).is_none())
        };
        let mut candidates: Vec<(&'a LinkFact, &'a Page)> = Vec::new();
        let mut seen: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
        let mut add = |link: &'a LinkFact, on: &'a Page| {
            if !names_column(link) {
                return;
            }
            let key = (link.url.as_deref().unwrap_or(""), link.name());
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
        for page in ev.pages.iter().filter(|p| p.depth > 0 && !p.platform) {
            for link in page.facts.links.iter().filter(|l| l.zone != Zone::Footer) {
                add(link, page);
            }
        }
        Self {
            ev,
            as_of,
            set,
            candidates,
            by_url,
        }
    }

    /// The crawled page at `url`.
    pub fn page(&self, url: &str) -> Option<&'a Page> {
        self.by_url.get(url).copied()
    }

    /// Links whose text matches `patterns`, best first, one per target (or per text, for
    /// controls without a target).
    pub fn find_columns(&self, patterns: &[Regex]) -> Vec<ColumnFind<'a>> {
        let mut found: Vec<ColumnFind<'a>> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for &(link, on) in &self.candidates {
            if !any_match(patterns, link.name()) {
                continue;
            }
            let key = link.url.as_deref().unwrap_or(link.name());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let target = link.url.as_deref().and_then(|u| self.page(u));
            found.push(ColumnFind { link, on, target });
        }
        found
    }

    /// An item's date: its list row's, else the linked article's own (PubDate meta or
    /// 发布时间), else the one in its address. `None` only when none gives one.
    pub fn item_date(&self, item: &Item) -> Option<(NaiveDate, DateFrom)> {
        if let Some(d) = item.date {
            return Some((d, DateFrom::Row));
        }
        if let Some(d) = self.page(&item.url).and_then(|p| p.facts.article_date) {
            return Some((d, DateFrom::Page));
        }
        Url::parse(&item.url)
            .ok()
            .and_then(|u| dates::url_date(u.path()))
            .map(|d| (d, DateFrom::Address))
    }

    /// How fresh the items of `page` are, with `days` as the window for `within`.
    pub fn freshness(&self, page: &Page, days: Option<u32>) -> Freshness {
        let mut f = Freshness::default();
        for item in &page.facts.items {
            let Some((date, from)) = self.item_date(item) else {
                f.undated += 1;
                continue;
            };
            f.dated += 1;
            if from != DateFrom::Row {
                f.borrowed += 1;
            }
            let days_old = age(date, self.as_of);
            if days_old < 0 {
                f.future.push((date, item.url.clone()));
                continue;
            }
            if f.newest.is_none_or(|n| date > n) {
                f.newest = Some(date);
                f.newest_item = Some((item.url.clone(), from));
            }
            if days.is_none_or(|d| days_old <= i64::from(d)) {
                f.within += 1;
            }
        }
        f.future.sort();
        f.future.dedup();
        f
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
            Rule::GuideElements { min_elements } => self.guide_elements(*min_elements),
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
        // The first find that leads to a list page, else one that leads to any crawled page,
        // else the first find.
        let Some(best) = finds
            .iter()
            .find(|f| f.list().is_some())
            .or_else(|| finds.iter().find(|f| f.target.is_some()))
            .or(finds.first())
        else {
            return Outcome::zero(Evidence::note(format!(
                "no link reading as a column named {names} on the homepage or in the navigation"
            )));
        };
        let where_ = best
            .link
            .url
            .clone()
            .unwrap_or_else(|| best.on.facts.url.clone());
        if col.fresh_within.is_none() && col.min_items.is_none() {
            return Outcome::full(Evidence::at(where_, format!("{} found", best.link.name())));
        }
        let Some(list) = best.list() else {
            return match best.target {
                // A static page (机构职能, 领导信息) is present and never stale; only a rule
                // that counts items needs a list.
                Some(page) if col.min_items.is_none() => Outcome::full(Evidence::at(
                    page.facts.url.clone(),
                    format!(
                        "{} at {}: present, a page of text (read as {}), not a list; only lists have freshness",
                        best.link.name(),
                        page.facts.url,
                        page.class.as_str()
                    ),
                )),
                Some(page) => Outcome::zero(Evidence::at(
                    page.facts.url.clone(),
                    format!(
                        "{} found, but its page {} is not a list (read as {}), so it has no items",
                        best.link.name(),
                        page.facts.url,
                        page.class.as_str()
                    ),
                )),
                None => Outcome::zero(Evidence::at(
                    where_,
                    format!(
                        "{} found, but its page was not crawled, so its items are unknown",
                        best.link.name()
                    ),
                )),
            };
        };
        let f = self.freshness(list, col.fresh_within);
        let fresh = match (col.fresh_within, f.newest) {
            (None, _) => 1.0,
            (Some(days), Some(n)) if age(n, self.as_of) <= i64::from(days) => 1.0,
            _ => 0.0,
        };
        let enough = match col.min_items {
            None => 1.0,
            Some(min) => (f.within as f64 / f64::from(min)).min(1.0),
        };
        let window_text = match col.fresh_within {
            Some(days) => format!("{} items in {days} days", f.within),
            None => format!("{} dated items", f.within),
        };
        Outcome {
            fraction: fresh * enough,
            evidence: Evidence::at(
                list.facts.url.clone(),
                format!(
                    "{} at {}, {}, {window_text}",
                    best.link.name(),
                    list.facts.url,
                    f.describe()
                ),
            ),
        }
    }

    fn scope_pages(&self, scope: PageScope) -> Vec<&'a Page> {
        match scope {
            PageScope::Homepage | PageScope::Footer => self.ev.homepage().into_iter().collect(),
            PageScope::AnyPage | PageScope::EveryPage => self.ev.own_pages().collect(),
            PageScope::Articles => self
                .ev
                .own_pages()
                .filter(|p| p.class == PageClass::Article)
                .collect(),
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
            PageScope::Articles => "on the article pages",
        };
        match scope {
            PageScope::EveryPage | PageScope::Articles => Outcome {
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
        fn text_of(p: &Page, scope: PageScope) -> &str {
            if scope == PageScope::Footer {
                &p.facts.footer_text
            } else {
                &p.facts.text
            }
        }
        if matches!(
            scope,
            PageScope::Homepage | PageScope::Footer | PageScope::AnyPage
        ) {
            // Evidence an evaluator can cite: the text found, not the pattern that found it.
            let found = self.scope_pages(scope).into_iter().find_map(|p| {
                pattern
                    .find(text_of(p, scope))
                    .map(|m| (p.facts.url.clone(), quote(m.as_str())))
            });
            let where_ = match scope {
                PageScope::Footer => "in the homepage footer",
                PageScope::Homepage => "on the homepage",
                _ => "on",
            };
            return match found {
                Some((url, quoted)) if scope == PageScope::AnyPage => {
                    Outcome::full(Evidence::at(url.clone(), format!("`{quoted}` on {url}")))
                }
                Some((url, quoted)) => {
                    Outcome::full(Evidence::at(url, format!("`{quoted}` {where_}")))
                }
                None => self.over_pages(scope, &what, |_| false),
            };
        }
        self.over_pages(scope, &what, |p| pattern.is_match(text_of(p, scope)))
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
        let pages: Vec<&Page> = self.ev.own_pages().collect();
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
        // Only links an answer judged count: an unverified link proves nothing either way.
        let judged: Vec<&super::CheckedLink> = self
            .ev
            .links
            .iter()
            .filter(|l| l.verdict != LinkVerdict::Unverified)
            .collect();
        let unverified = self.ev.links.len() - judged.len();
        let checked = judged.len();
        if checked == 0 {
            return Outcome::full(Evidence::note(format!(
                "no links checked with an answer ({unverified} unverified)"
            )));
        }
        let broken: Vec<&&super::CheckedLink> = judged
            .iter()
            .filter(|l| l.verdict == LinkVerdict::Broken)
            .collect();
        let share = broken.len() as f64 / checked as f64;
        let mut note = format!(
            "{} of {checked} checked links broken ({:.1}%)",
            broken.len(),
            share * 100.0
        );
        if unverified > 0 {
            note.push_str(&format!("; {unverified} unverified, not counted"));
        }
        Outcome {
            fraction: (1.0 - share / zero_at_share).max(0.0),
            evidence: Evidence {
                urls: broken.iter().take(10).map(|l| l.url.clone()).collect(),
                note,
            },
        }
    }

    fn meta_consistency(&self, tags: &[String]) -> Outcome {
        // The portal's own article pages, by the page model.
        let articles: Vec<&Page> = self
            .ev
            .own_pages()
            .filter(|p| p.class == PageClass::Article)
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

    /// The service guides crawled, on the portal or its platform (by the page model).
    pub fn guides(&self) -> Vec<&'a Page> {
        self.ev
            .pages
            .iter()
            .filter(|p| p.class == PageClass::Guide)
            .collect()
    }

    /// The key elements a guide does not show with a value.
    pub fn missing_elements(&self, guide: &Page) -> Vec<&'a str> {
        self.set
            .guides
            .elements
            .iter()
            .filter(|e| !guide.facts.structure.guide_elements.contains(&e.name))
            .map(|e| e.name.as_str())
            .collect()
    }

    fn guide_elements(&self, min: u32) -> Outcome {
        let guides = self.guides();
        if guides.is_empty() {
            return Outcome::zero(Evidence::note(
                "no service guide (办事指南) found on the portal or its service platform",
            ));
        }
        let shown = |p: &Page| p.facts.structure.guide_elements.len();
        let passing = guides.iter().filter(|p| shown(p) >= min as usize).count();
        let on_platform = guides.iter().filter(|p| p.platform).count();
        let mut urls: Vec<String> = guides
            .iter()
            .filter(|p| shown(p) < min as usize)
            .take(5)
            .map(|p| p.facts.url.clone())
            .collect();
        if urls.is_empty() {
            urls.extend(guides.iter().take(3).map(|p| p.facts.url.clone()));
        }
        Outcome {
            fraction: passing as f64 / guides.len() as f64,
            evidence: Evidence {
                urls,
                note: format!(
                    "{passing} of {} guides ({on_platform} from the service platform) show at least {min} of the {} key elements with values",
                    guides.len(),
                    self.set.guides.elements.len()
                ),
            },
        }
    }
}
