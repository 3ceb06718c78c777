//! Each rule kind of the indicator file evaluated against a site's evidence, giving a
//! fraction of the check's points and the evidence for it.

use chrono::NaiveDate;
use foldhash::{HashMapExt, HashSetExt};
use regex::Regex;
use url::Url;

use super::curve::lighthouse;
use super::freshness::{DateFrom, Freshness, age};
use super::{Evidence, LinkVerdict, Page, SiteEvidence};
use crate::dates;
use crate::extract::PageClass;
use crate::extract::facts::{Item, LinkFact, Zone};
use crate::input::indicators::{ColumnRule, IndicatorSet, PageScope, Patterns, Rule};
use crate::lang::Text;
use crate::tr;
use crate::urls::article_shape;

pub struct Ctx<'a> {
    pub ev: &'a SiteEvidence,
    pub as_of: NaiveDate,
    pub set: &'a IndicatorSet,
    /// Links that can name a column, best first, each (URL, or text for controls) once:
    /// computed once per site, since every page repeats the same navigation.
    candidates: Vec<(&'a LinkFact, &'a Page)>,
    /// The distinct anchor texts of `candidates`, and for each candidate the index of its
    /// text here: a column's patterns are tried once per text, not once per link (a site's
    /// pages repeat the same few hundred names over thousands of links).
    names: Vec<&'a str>,
    name_of: Vec<u32>,
    /// The site's pages by URL, for following links.
    /// Seeded per table as SipHash's are, cheaper to hash (see `extract::facts`).
    by_url: foldhash::HashMap<&'a str, &'a Page>,
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

/// Patterns as a note names them: `a/b/c`.
fn describe(patterns: &Patterns) -> String {
    patterns
        .list()
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

/// Whether an anchor text reads as a column's name: short, without sentence punctuation
/// (`：，。！？“”《》`: a text carrying it is a headline or a sentence, not a column name).
/// It runs on every link of every crawled page.
pub fn reads_as_column(text: &str, max_chars: u32) -> bool {
    !text.is_empty()
        && text.chars().nth(max_chars as usize).is_none()
        && !text.contains(|c| {
            matches!(
                c,
                '：' | '，' | '。' | '！' | '？' | '“' | '”' | '《' | '》'
            )
        })
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
        let by_url: foldhash::HashMap<&'a str, &'a Page> =
            ev.pages.iter().map(|p| (p.facts.url.as_str(), p)).collect();
        let max_chars = set.pages.column_name_max_chars;
        // Whether a link's address can be a column's (it parses and does not read as an
        // article's), once per address.
        let mut column_address: foldhash::HashMap<&'a str, bool> = HashMapExt::new();
        let mut names_column = |link: &'a LinkFact| {
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
            *column_address
                .entry(url)
                .or_insert_with(|| Url::parse(url).is_ok_and(|u| article_shape(&u).is_none()))
        };
        let mut candidates: Vec<(&'a LinkFact, &'a Page)> = Vec::new();
        let mut seen: foldhash::HashSet<(&str, &str)> = HashSetExt::new();
        // A pair already taken is not read again: a portal's menu is on every page. (A
        // pair enters only when it names a column, so a first link that did not cannot
        // keep out a later one that does, in the navigation.)
        let mut add = |link: &'a LinkFact, on: &'a Page| {
            let key = (link.url.as_deref().unwrap_or(""), link.name());
            if seen.contains(&key) || !names_column(link) {
                return;
            }
            seen.insert(key);
            candidates.push((link, on));
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
        let mut index: foldhash::HashMap<&'a str, u32> = HashMapExt::new();
        let mut names = Vec::new();
        let name_of = candidates
            .iter()
            .map(|(link, _)| {
                *index.entry(link.name()).or_insert_with(|| {
                    names.push(link.name());
                    names.len() as u32 - 1
                })
            })
            .collect();
        Self {
            ev,
            as_of,
            set,
            candidates,
            names,
            name_of,
            by_url,
        }
    }

    /// The crawled page at `url`.
    pub fn page(&self, url: &str) -> Option<&'a Page> {
        self.by_url.get(url).copied()
    }

    /// Links whose text matches `patterns`, best first, one per target (or per text, for
    /// controls without a target).
    pub fn find_columns(&self, patterns: &Patterns) -> Vec<ColumnFind<'a>> {
        let mut found: Vec<ColumnFind<'a>> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        let mut matched: Vec<Option<bool>> = vec![None; self.names.len()];
        for (&(link, on), &name) in self.candidates.iter().zip(&self.name_of) {
            let name = name as usize;
            if !*matched[name].get_or_insert_with(|| patterns.is_match(self.names[name])) {
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
            Rule::Manual { .. } => Outcome::zero(Evidence::note(super::no_manual_points())),
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
                let note = Text::join(outcomes.iter().map(|o| &o.evidence.note), "；", "; ");
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
            return Outcome::zero(Evidence::note(tr!(
                "首页及各页导航中没有可读作栏目{names}的链接",
                "no link reading as a column named {names} on the homepage or in the navigation"
            )));
        };
        let where_ = best
            .link
            .url
            .clone()
            .unwrap_or_else(|| best.on.facts.url.clone());
        let name = best.link.name();
        if col.fresh_within.is_none() && col.min_items.is_none() {
            return Outcome::full(Evidence::at(
                where_,
                tr!("找到栏目「{name}」", "{name} found"),
            ));
        }
        let Some(list) = best.list() else {
            return match best.target {
                // A static page (机构职能, 领导信息) is present and never stale; only a rule
                // that counts items needs a list.
                Some(page) if col.min_items.is_none() => {
                    let (url, zh, en) = (&page.facts.url, page.class.zh(), page.class.as_str());
                    Outcome::full(Evidence::at(
                        url.clone(),
                        tr!(
                            "栏目「{name}」（{url}）存在，是文字页面（识别为{zh}）而非列表；只有列表才有更新时效",
                            "{name} at {url}: present, a page of text (read as {en}), not a list; only lists have freshness"
                        ),
                    ))
                }
                Some(page) => {
                    let (url, zh, en) = (&page.facts.url, page.class.zh(), page.class.as_str());
                    Outcome::zero(Evidence::at(
                        url.clone(),
                        tr!(
                            "找到栏目「{name}」，但其页面{url}不是列表（识别为{zh}），没有条目",
                            "{name} found, but its page {url} is not a list (read as {en}), so it has no items"
                        ),
                    ))
                }
                None => Outcome::zero(Evidence::at(
                    where_,
                    tr!(
                        "找到栏目「{name}」，但其页面未抓取，条目不详",
                        "{name} found, but its page was not crawled, so its items are unknown"
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
        let n = f.within;
        let window = match col.fresh_within {
            Some(days) => tr!("{days}天内{n}条", "{n} items in {days} days"),
            None => tr!("带日期的条目{n}条", "{n} dated items"),
        };
        let url = &list.facts.url;
        let Text { zh: fz, en: fe } = f.describe();
        let (wz, we) = (&window.zh, &window.en);
        Outcome {
            fraction: fresh * enough,
            evidence: Evidence::at(
                url.clone(),
                tr!(
                    "栏目「{name}」（{url}）：{fz}，{wz}",
                    "{name} at {url}, {fe}, {we}"
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
    fn over_pages(&self, scope: PageScope, what: &Text, pass: impl Fn(&Page) -> bool) -> Outcome {
        let Text { zh: wz, en: we } = what;
        let pages = self.scope_pages(scope);
        if pages.is_empty() {
            return Outcome::zero(Evidence::note(tr!(
                "{wz}：没有可查看的页面",
                "{we}: no page to look at"
            )));
        }
        let passing: Vec<&Page> = pages.iter().copied().filter(|p| pass(p)).collect();
        let (hz, he) = match scope {
            PageScope::Homepage => ("首页", "on the homepage"),
            PageScope::Footer => ("首页页脚", "in the homepage footer"),
            PageScope::AnyPage | PageScope::EveryPage => ("已抓取的页面", "on the crawled pages"),
            PageScope::Articles => ("文章页", "on the article pages"),
        };
        let (p, n) = (passing.len(), pages.len());
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
                    note: tr!("{wz}：{n}个页面中{p}个符合", "{we}: {p} of {n} pages"),
                },
            },
            PageScope::Homepage | PageScope::Footer | PageScope::AnyPage => Outcome::of(
                !passing.is_empty(),
                Evidence::at(
                    passing
                        .first()
                        .map(|p| p.facts.url.clone())
                        .unwrap_or_default(),
                    tr!("在{hz}找到{wz}", "{we} found {he}"),
                ),
                Evidence::note(tr!("在{hz}未找到{wz}", "{we} not found {he}")),
            ),
        }
    }

    fn text(&self, pattern: &Regex, scope: PageScope) -> Outcome {
        let pattern_text = pattern.as_str();
        let what = tr!(
            "符合`{pattern_text}`的文字",
            "text matching `{pattern_text}`"
        );
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
            return match found {
                Some((url, quoted)) => {
                    let note = match scope {
                        PageScope::Footer => {
                            tr!("首页页脚有“{quoted}”", "`{quoted}` in the homepage footer")
                        }
                        PageScope::Homepage => {
                            tr!("首页有“{quoted}”", "`{quoted}` on the homepage")
                        }
                        _ => tr!("{url} 上有“{quoted}”", "`{quoted}` on {url}"),
                    };
                    Outcome::full(Evidence::at(url, note))
                }
                None => self.over_pages(scope, &what, |_| false),
            };
        }
        self.over_pages(scope, &what, |p| pattern.is_match(text_of(p, scope)))
    }

    fn selector(&self, source: &str, scope: PageScope, index: usize) -> Outcome {
        let what = tr!("符合`{source}`的元素", "an element matching `{source}`");
        self.over_pages(scope, &what, |p| {
            p.facts.selectors.get(index).copied().unwrap_or(false)
        })
    }

    fn link_to(&self, host: &Regex, text: Option<&Regex>, scope: PageScope) -> Outcome {
        let host_text = host.as_str();
        let what = match text.map(Regex::as_str) {
            Some(t) => tr!(
                "指向符合`{host_text}`的主机、文字符合`{t}`的链接",
                "a link to a host matching `{host_text}` reading `{t}`"
            ),
            None => tr!(
                "指向符合`{host_text}`的主机的链接",
                "a link to a host matching `{host_text}`"
            ),
        };
        let pages = self.scope_pages(scope);
        for page in pages {
            for link in &page.facts.links {
                if scope == PageScope::Footer && link.zone != Zone::Footer {
                    continue;
                }
                let Some(url) = link.url.as_deref() else {
                    continue;
                };
                let host_ok = crate::urls::host_of(url).is_some_and(|h| host.is_match(h));
                let text_ok = text.is_none_or(|t| t.is_match(&link.text));
                if host_ok && text_ok {
                    let from = &page.facts.url;
                    return Outcome::full(Evidence {
                        urls: vec![from.clone(), url.to_string()],
                        note: tr!("{from} 链接到 {url}", "{from} links to {url}"),
                    });
                }
            }
        }
        let Text { zh, en } = what;
        Outcome::zero(Evidence::note(tr!("没有{zh}", "no {en}")))
    }

    fn https(&self) -> Outcome {
        let pages: Vec<&Page> = self.ev.own_pages().collect();
        if pages.is_empty() {
            return Outcome::zero(Evidence::note(tr!("未抓取到页面", "no page crawled")));
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
                note: {
                    let n = pages.len();
                    tr!(
                        "{n}个页面中{secure}个通过HTTPS提供",
                        "{secure} of {n} pages served over HTTPS"
                    )
                },
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
            return Outcome::zero(Evidence::note(tr!(
                "首页一次也没有打开",
                "the homepage never loaded"
            )));
        }
        times.sort_unstable();
        let median = times[times.len() / 2] as f64;
        let fraction = lighthouse(median.max(1.0), p10_ms, median_ms);
        Outcome {
            fraction,
            evidence: Evidence::at(self.ev.homepage_url.clone(), {
                let n = times.len();
                tr!(
                    "首页加载用时{median:.0}毫秒（{n}次访问的中位数）；{p10_ms:.0}毫秒得0.9，{median_ms:.0}毫秒得0.5",
                    "homepage loaded in {median:.0} ms (median of {n} loads); 0.9 at {p10_ms:.0} ms, 0.5 at {median_ms:.0} ms"
                )
            }),
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
            return Outcome::full(Evidence::note(tr!(
                "没有得到应答的链接检查（{unverified}个未能核实）",
                "no links checked with an answer ({unverified} unverified)"
            )));
        }
        let broken: Vec<&&super::CheckedLink> = judged
            .iter()
            .filter(|l| l.verdict == LinkVerdict::Broken)
            .collect();
        let share = broken.len() as f64 / checked as f64;
        let (b, pct) = (broken.len(), share * 100.0);
        let mut note = tr!(
            "已检查链接{checked}个，断链{b}个（{pct:.1}%）",
            "{b} of {checked} checked links broken ({pct:.1}%)"
        );
        if unverified > 0 {
            note.push(&tr!(
                "；{unverified}个未能核实，不计入",
                "; {unverified} unverified, not counted"
            ));
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
            return Outcome::zero(Evidence::note(tr!(
                "未抓取到文章页",
                "no article page crawled"
            )));
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
                note: {
                    let (n, zh, en) = (articles.len(), tags.join("、"), tags.join(", "));
                    tr!(
                        "{n}个文章页中{passing}个带有{zh}，且SiteIDCode与页脚一致",
                        "{passing} of {n} article pages carry {en} with SiteIDCode matching the footer"
                    )
                },
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
            return Outcome::zero(Evidence::note(tr!(
                "门户及其政务服务平台上均未找到办事指南",
                "no service guide (办事指南) found on the portal or its service platform"
            )));
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
                note: {
                    let (n, all) = (guides.len(), self.set.guides.elements.len());
                    tr!(
                        "{n}个办事指南（{on_platform}个来自政务服务平台）中{passing}个列出{all}项关键要素中至少{min}项且有内容",
                        "{passing} of {n} guides ({on_platform} from the service platform) show at least {min} of the {all} key elements with values"
                    )
                },
            },
        }
    }
}
