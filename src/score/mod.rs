//! Scoring: pure functions from a site's evidence (its pages' facts and the crawl's
//! measurements) and the indicator file to the points an evaluator would give — every check,
//! the vetoes, the deductions and the bonus — each with the URLs and a one-line note that
//! justify it. No I/O happens here: the same evidence, indicator file, cases and evaluation
//! date always give the same result.

mod curve;
pub mod findings;
mod freshness;
mod identity;
mod rules;
mod tamper;
mod vetoes;

pub use identity::{Identity, Read};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::archive::log::{CutShort, ErrorClass, Unreached};
use crate::extract::{PageClass, PageFacts};
use crate::input::indicators::{Bonus, Deduction, DeductionRule, IndicatorSet, Rule, VetoRule};
use crate::input::{Cases, Category, ManualScores, SiteKey};
use crate::lang::Text;
use crate::points::{fmt_points, round2};
use crate::tr;

/// One crawled page of a site.
#[derive(Debug, Clone)]
pub struct Page {
    /// What extraction found on the page; `facts.url` is its URL after redirects.
    pub facts: PageFacts,
    /// Link depth from the homepage (from the first platform page, for platform pages).
    pub depth: u32,
    /// Served over HTTPS (the scheme of its URL after redirects).
    pub https: bool,
    /// The page's class: the homepage at depth 0, else what its structure says.
    pub class: PageClass,
    /// Fetched from the integrated service platform, not the portal itself: only its
    /// guides count, and evidence says where they came from.
    pub platform: bool,
}

impl Page {
    /// A page of the crawl, classed by its structure (or as the homepage at depth 0).
    pub fn new(facts: PageFacts, depth: u32, https: bool, platform: bool) -> Self {
        let class = if depth == 0 && !platform {
            PageClass::Homepage
        } else {
            facts.class
        };
        Self {
            facts,
            depth,
            https,
            class,
            platform,
        }
    }
}

/// A page as `results.json` lists it, for `govscore explain --pages`: its class and the
/// signals that chose it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageSummary {
    /// The page's URL after redirects.
    pub url: String,
    /// Its class by the page model.
    pub class: PageClass,
    /// Fetched from the integrated service platform.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub platform: bool,
    /// What its structure showed, as evidence writes it.
    pub signals: Vec<Text>,
}

/// A link whose status was checked (or fetched as a page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedLink {
    /// The page the link was seen on.
    pub from: String,
    /// The link's target, as written on the page and resolved.
    pub url: String,
    /// What the check showed: working, broken (an answer said so), or unverified (no
    /// answer came, which proves nothing about the link).
    pub verdict: LinkVerdict,
    /// Linked from the homepage, where a broken link costs more.
    pub on_homepage: bool,
    /// HTTP status of the last hop; `None` when no response came.
    pub status: Option<u16>,
    /// Why the fetch failed (DNS, timeout, bad redirect…); `None` when it did not.
    pub error: Option<String>,
}

/// What a link check showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkVerdict {
    /// Answered below 400.
    Ok,
    /// An answer says it is broken: HTTP 4xx/5xx (after the GET fallback), a certificate or
    /// TLS failure, a redirect loop, or a name that does not exist while names do resolve.
    Broken,
    /// No answer: a timeout, a refused or reset connection, an address the guard refused,
    /// or a failed lookup while no name could be resolved. Not deducted; listed apart.
    Unverified,
}

/// A visit of the homepage (the crawl's fetch and each probe).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    /// The homepage answered 2xx without a fetch error.
    pub ok: bool,
    /// How long the visit took, in milliseconds.
    pub ms: u64,
}

/// What the crawl measured of a site as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CrawlStats {
    /// Pages the crawl fetched or tried to, the homepage included.
    pub pages: u32,
    /// Page fetches that did not answer 2xx.
    pub errors: u32,
    /// Body bytes archived over every fetch: pages, robots.txt, link checks, probes.
    pub bytes: u64,
    /// Wall-clock time of the site's crawl, in seconds; written to two decimals.
    #[serde(serialize_with = "round2")]
    pub seconds: f64,
    /// Why the crawl stopped before it was done, when it did: the site was scored on the
    /// pages fetched by then.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cut_short: Option<Text>,
}

impl CrawlStats {
    /// The note a crawl cut short carries.
    pub fn cut_short_note(cut: CutShort) -> Text {
        match cut {
            CutShort::Deadline { seconds } => tr!(
                "抓取提前结束：网站用时超过 --site-timeout（{seconds}秒），按已抓取的页面评分",
                "crawl cut short: the site's time (--site-timeout, {seconds} s) ran out; scored on the pages fetched by then"
            ),
            CutShort::Timeouts { in_row } => tr!(
                "抓取提前结束：连续{in_row}个页面请求超时，按已抓取的页面评分",
                "crawl cut short: {in_row} page fetches in a row timed out; scored on the pages fetched by then"
            ),
        }
    }
}

/// Everything known about one site, as scoring needs it.
#[derive(Debug, Clone)]
pub struct SiteEvidence {
    /// What identifies the site; the cases and manual points name it by this.
    pub key: SiteKey,
    /// The site's URL as listed in the site list.
    pub url: String,
    /// The site's name as listed.
    pub name: String,
    /// The categories the site is ranked in, as listed.
    pub categories: Vec<Category>,
    /// Unreachable, with the reason, when the crawl could not open the homepage.
    pub status: Status,
    /// Pages ordered by depth, then URL; the homepage first when it was fetched.
    pub pages: Vec<Page>,
    /// The homepage's URL after redirects.
    pub homepage_url: String,
    /// The crawl's fetch of the homepage, then each probe, in log order.
    pub visits: Vec<Visit>,
    /// Every link whose status is known, in log order; the broken ones cost points.
    pub links: Vec<CheckedLink>,
    /// Whether names resolved when the crawl checked (only when a link's name failed to
    /// resolve); `Some(false)` leaves every failed lookup unverified.
    pub resolver_works: Option<bool>,
    /// The crawl's totals for the site, copied into its result.
    pub crawl: CrawlStats,
}

impl SiteEvidence {
    /// The homepage, if it was fetched: the first page, at depth 0.
    pub fn homepage(&self) -> Option<&Page> {
        self.pages.first().filter(|p| p.depth == 0 && !p.platform)
    }

    /// The portal's own pages: not the service platform's, whose content is not the
    /// portal's to answer for (only its guides count).
    pub fn own_pages(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| !p.platform)
    }
}

/// Evaluator-provided inputs that are not in the crawl.
#[derive(Debug, Clone, Default)]
pub struct Extras<'a> {
    /// The awarded innovation cases, for the bonus; `None` gives no bonus.
    pub cases: Option<&'a Cases>,
    /// The evaluators' points for `manual` checks; `None` scores those checks zero.
    pub manual: Option<&'a ManualScores>,
}

/// Why a check got its points.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The URLs the note is about (pages, or broken links); empty when it stands alone.
    pub urls: Vec<String>,
    /// One line on what was found, in both languages, as the reports and `explain` print it.
    pub note: Text,
}

impl Evidence {
    /// Evidence that is a note alone, with no URL.
    pub fn note(note: Text) -> Self {
        Self {
            urls: Vec::new(),
            note,
        }
    }

    /// Evidence pointing at one page.
    pub fn at(url: impl Into<String>, note: Text) -> Self {
        Self {
            urls: vec![url.into()],
            note,
        }
    }
}

/// The points of one second-level check (二级指标), with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckScore {
    /// The check's id in the indicator file.
    pub id: String,
    /// The check's name in the indicator file.
    pub name: String,
    /// Points given: `max` times the rule's fraction (0 to 1); written to the cent.
    #[serde(serialize_with = "round2")]
    pub score: f64,
    /// The check's points in the indicator file.
    #[serde(serialize_with = "round2")]
    pub max: f64,
    /// The pages and note that justify the score.
    pub evidence: Evidence,
}

/// The points of one first-level indicator (一级指标) and of each of its checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    /// The indicator's id in the indicator file; `diff` matches years by it.
    pub id: String,
    /// The indicator's name, as the tables' column headers show it.
    pub name: String,
    /// The sum of its checks' points; written to the cent.
    #[serde(serialize_with = "round2")]
    pub score: f64,
    /// The indicator's points in the indicator file.
    #[serde(serialize_with = "round2")]
    pub max: f64,
    /// Its checks, in the indicator file's order.
    pub children: Vec<CheckScore>,
}

/// A single-item veto (单项否决) a site hit: it keeps its points but is not ranked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VetoHit {
    /// The veto's id in the indicator file.
    pub id: String,
    /// The veto's name, as the verdict `不合格：…` lists it.
    pub name: String,
    /// One line on what tripped it, with the figures and the limit.
    pub reason: Text,
    /// One line per page that shows it, each with the page's URL.
    pub evidence: Vec<Text>,
}

/// One deduction of the indicator file applied to a site; zero points when nothing was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeductionItem {
    /// The deduction's id in the indicator file.
    pub id: String,
    /// The deduction's name in the indicator file.
    pub name: String,
    /// Points taken, after the cap.
    #[serde(serialize_with = "round2")]
    pub points: f64,
    /// How many were found (broken links or misspellings), whatever the cap.
    pub count: u32,
    /// The URLs found (broken links, or pages with misspellings); the note says if capped.
    pub evidence: Evidence,
}

/// An innovation case (优秀创新案例) awarded to the site in the cases file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BonusCase {
    /// The case's title, as in the cases file.
    pub title: String,
    /// Points awarded for the case, before the site's bonus cap.
    #[serde(serialize_with = "round2")]
    pub points: f64,
}

/// Whether the crawl could open a site, and if not, why: an unreachable site is judged by
/// the availability veto alone. In `results.json` it is `"status": "ok"`, or
/// `"status": "unreachable"` with a `"reason"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// The homepage opened: the site is scored in full.
    Ok,
    /// The homepage did not open, or the crawl did not finish the site.
    Unreachable {
        /// Why, in one line, as the verdict `无法访问：…` shows it.
        reason: Text,
    },
}

impl Status {
    /// Whether the crawl could open the site.
    pub fn is_ok(&self) -> bool {
        *self == Status::Ok
    }

    /// An unreachable site's status, with the reason in both languages: in Chinese, the
    /// kind of failure in words and the crawl's technical detail after it; in English, the
    /// detail alone (it is English already). A log without a cause gives the detail in both.
    pub fn unreached(cause: Option<Unreached>, detail: &str) -> Self {
        let zh = match cause {
            None => detail.to_owned(),
            Some(Unreached::Http { status }) => format!("首页返回HTTP {status}"),
            Some(Unreached::NoAnswer) => "首页没有应答".to_owned(),
            Some(Unreached::Robots) => format!("robots.txt不允许抓取首页（{detail}）"),
            Some(Unreached::Fetch { class }) => {
                let kind = match class {
                    ErrorClass::Dns => "域名无法解析",
                    ErrorClass::Refused => "地址被抓取安全规则拒绝",
                    ErrorClass::Connect => "无法建立连接",
                    ErrorClass::Timeout => "请求超时",
                    ErrorClass::Tls => "证书或TLS握手失败",
                    ErrorClass::TooManyRedirects => "重定向次数过多",
                    ErrorClass::RedirectLoop => "重定向循环",
                    ErrorClass::BadRedirect => "重定向地址无效",
                    ErrorClass::Disallowed => "重定向目标被robots.txt禁止",
                    ErrorClass::Protocol => "服务器的应答不是有效的HTTP",
                    ErrorClass::Other => "传输失败",
                };
                format!("{kind}（{detail}）")
            }
        };
        Status::Unreachable {
            reason: Text::new(zh, detail),
        }
    }

    /// Why the site could not be opened; `None` when it could.
    pub fn reason(&self) -> Option<&Text> {
        match self {
            Status::Ok => None,
            Status::Unreachable { reason } => Some(reason),
        }
    }
}

/// A site's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteResult {
    /// The site's URL as listed; results of two years are matched by it.
    pub url: String,
    /// The site's name as listed.
    pub name: String,
    /// The categories the site is ranked in, as listed.
    pub categories: Vec<Category>,
    /// Whether the crawl opened the site; flattened into `status` and `reason`.
    #[serde(flatten)]
    pub status: Status,
    /// Indicator points less deductions (not below zero), plus the bonus.
    #[serde(serialize_with = "round2")]
    pub total: f64,
    /// Innovation-case points, capped at the indicator file's `bonus.cap`.
    #[serde(serialize_with = "round2")]
    pub bonus: f64,
    /// Points taken by all deductions together, each after its cap.
    #[serde(serialize_with = "round2")]
    pub deductions: f64,
    /// The vetoes hit; `None` when none was.
    pub veto: Option<Vec<VetoHit>>,
    /// Points per first-level indicator, in the indicator file's order.
    pub indicators: Vec<IndicatorScore>,
    /// Every deduction of the indicator file, in its order, with what was found.
    pub deduction_items: Vec<DeductionItem>,
    /// The site's cases, in the cases file's order, with their points before the cap.
    pub bonus_cases: Vec<BonusCase>,
    /// What the crawl measured of the site.
    pub crawl: CrawlStats,
    /// The identifiers read off the site, each with its page (absent for an unreachable
    /// site, and in files written before they were recorded).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub identity: Option<Identity>,
    /// Severe-problem findings, for an evaluator to verify (absent when there are none, and
    /// in files written before they were looked for).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub findings: Vec<findings::Finding>,
    /// Every page scored, with its class by the page model (absent in files written before
    /// the page model).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub pages: Vec<PageSummary>,
}

impl SiteResult {
    /// The result without what only the site's own report section and `results.json` show
    /// (each check and its evidence, veto and deduction evidence, findings' items, pages):
    /// what the tables, the rankings and report.md need — a few KB, so that scoring many
    /// thousands of sites keeps the details of one at a time.
    pub fn summary(mut self) -> Self {
        for indicator in &mut self.indicators {
            indicator.children = Vec::new();
        }
        for hit in self.veto.iter_mut().flatten() {
            hit.evidence = Vec::new();
        }
        for d in &mut self.deduction_items {
            d.evidence.urls = Vec::new();
        }
        for f in &mut self.findings {
            f.items = Vec::new();
            f.also_on = Vec::new();
        }
        self.pages = Vec::new();
        self
    }

    /// Ranked: reachable and no veto hit.
    pub fn rankable(&self) -> bool {
        self.status.is_ok() && self.veto.is_none()
    }
}

/// Scores one site.
pub fn score_site(
    ev: &SiteEvidence,
    set: &IndicatorSet,
    extras: &Extras,
    as_of: NaiveDate,
) -> SiteResult {
    let ctx = rules::Ctx::new(ev, set, as_of);
    let indicators: Vec<IndicatorScore> = set
        .indicators
        .iter()
        .map(|ind| {
            let children: Vec<CheckScore> = ind
                .checks
                .iter()
                .map(|check| {
                    let outcome = if let Rule::Manual { .. } = check.rule {
                        manual(ev, &check.id, check.points, extras)
                    } else if ev.status.is_ok() {
                        ctx.eval(&check.rule)
                    } else {
                        rules::Outcome::zero(Evidence::note(tr!(
                            "网站无法访问，未评估",
                            "site unreachable: not evaluated"
                        )))
                    };
                    CheckScore {
                        id: check.id.clone(),
                        name: check.name.clone(),
                        score: check.points * outcome.fraction.clamp(0.0, 1.0),
                        max: check.points,
                        evidence: outcome.evidence,
                    }
                })
                .collect();
            IndicatorScore {
                id: ind.id.clone(),
                name: ind.name.clone(),
                score: children.iter().map(|c| c.score).sum(),
                max: ind.points,
                children,
            }
        })
        .collect();

    let mut hits = vetoes::evaluate(&ctx, set);
    let found = if ev.status.is_ok() {
        findings::findings(&ctx, extras)
    } else {
        Vec::new()
    };
    confirmed_findings_veto(set, &found, &mut hits);
    let deduction_items: Vec<DeductionItem> =
        set.deductions.iter().map(|d| deduction(&ctx, d)).collect();
    let deductions: f64 = deduction_items.iter().map(|d| d.points).sum();
    let (bonus, bonus_cases) = bonus(&ev.key, &set.bonus, extras);
    let base: f64 = indicators.iter().map(|i| i.score).sum();
    SiteResult {
        url: ev.url.clone(),
        name: ev.name.clone(),
        categories: ev.categories.clone(),
        status: ev.status.clone(),
        total: (base - deductions).max(0.0) + bonus,
        bonus,
        deductions,
        veto: (!hits.is_empty()).then_some(hits),
        indicators,
        deduction_items,
        bonus_cases,
        crawl: ev.crawl.clone(),
        identity: ev.status.is_ok().then(|| Identity::of(ev)),
        findings: found,
        pages: ev
            .pages
            .iter()
            .map(|p| PageSummary {
                url: p.facts.url.clone(),
                class: p.class,
                platform: p.platform,
                signals: p.facts.signals.clone(),
            })
            .collect(),
    }
}

/// Confirmed (or auto-vetoing) findings trip the indicator file's severe-errors veto, beside
/// any phrase it found: one hit, its reason naming every finding, its evidence their pages and
/// items. A file without that veto lets findings flag, never veto.
fn confirmed_findings_veto(
    set: &IndicatorSet,
    found: &[findings::Finding],
    hits: &mut Vec<VetoHit>,
) {
    let vetoing: Vec<&findings::Finding> = found.iter().filter(|f| f.vetoes()).collect();
    let Some(veto) = set
        .vetoes
        .iter()
        .find(|v| matches!(v.rule, VetoRule::SevereErrors { .. }))
    else {
        return;
    };
    if vetoing.is_empty() {
        return;
    }
    let reason = Text::join(vetoing.iter().map(|f| &f.note), "；", "; ");
    let mut evidence: Vec<Text> = Vec::new();
    for f in &vetoing {
        let who = match &f.evaluator_note {
            Some(note) => tr!("（评估人员确认：{note}）", " (confirmed: {note})"),
            None if f.status == findings::FindingStatus::Confirmed => {
                tr!("（评估人员已确认）", " (confirmed)")
            }
            None => tr!("（自动否决）", " (auto veto)"),
        };
        let mut line = Text::same(format!("{} {}", f.id, f.url));
        line.push(&who);
        evidence.push(line);
        evidence.extend(
            f.items
                .iter()
                .take(10)
                .map(|i| Text::same(format!("  {i}"))),
        );
    }
    match hits.iter_mut().find(|h| h.id == veto.id) {
        Some(hit) => {
            hit.reason.push(&tr!("；", "; "));
            hit.reason.push(&reason);
            hit.evidence.extend(evidence);
        }
        None => hits.push(VetoHit {
            id: veto.id.clone(),
            name: veto.name.clone(),
            reason,
            evidence,
        }),
    }
}

fn deduction(ctx: &rules::Ctx, d: &Deduction) -> DeductionItem {
    let ev = ctx.ev;
    let (raw, count, evidence) = match &d.rule {
        DeductionRule::BrokenLinks {
            homepage_points,
            other_points,
        } => {
            let broken: Vec<&CheckedLink> = ev
                .links
                .iter()
                .filter(|l| l.verdict == LinkVerdict::Broken)
                .collect();
            let unverified = ev
                .links
                .iter()
                .filter(|l| l.verdict == LinkVerdict::Unverified)
                .count();
            let home = broken.iter().filter(|l| l.on_homepage).count();
            let other = broken.len() - home;
            let mut urls: Vec<String> = broken.iter().map(|l| l.url.clone()).collect();
            urls.sort();
            urls.dedup();
            let mut note = tr!(
                "首页断链{home}个，其他页面{other}个",
                "{home} broken links on the homepage, {other} on other pages"
            );
            if unverified > 0 {
                note.push(&tr!(
                    "；另有{unverified}个未能核实（没有应答，不扣分）",
                    "; {unverified} unverified (no answer came: not deducted)"
                ));
            }
            (
                home as f64 * homepage_points + other as f64 * other_points,
                broken.len() as u32,
                Evidence { urls, note },
            )
        }
        DeductionRule::Typos {
            points,
            pairs,
            wrong,
        } => {
            let mut found: Vec<(String, String)> = Vec::new();
            for page in ev.own_pages() {
                let on_page: std::collections::HashSet<&str> = wrong
                    .occurrences(&page.facts.text)
                    .map(|(i, _)| wrong.words()[i].as_str())
                    .collect();
                if on_page.is_empty() {
                    continue;
                }
                for typo in pairs {
                    if on_page.contains(typo.wrong.as_str()) {
                        found.push((
                            page.facts.url.clone(),
                            format!("{} → {}", typo.wrong, typo.right),
                        ));
                    }
                }
            }
            let mut words: Vec<&str> = found.iter().map(|(_, w)| w.as_str()).collect();
            words.sort();
            words.dedup();
            let note = if found.is_empty() {
                tr!("未发现所列错别字", "no listed misspelling found")
            } else {
                let (n, zh, en) = (found.len(), words.join("、"), words.join(", "));
                tr!("错别字{n}处：{zh}", "{n} misspellings: {en}")
            };
            let mut urls: Vec<String> = found.iter().map(|(u, _)| u.clone()).collect();
            urls.dedup();
            (
                found.len() as f64 * points,
                found.len() as u32,
                Evidence { urls, note },
            )
        }
    };
    let points = raw.min(d.cap);
    let mut evidence = evidence;
    if raw > d.cap {
        let cap = fmt_points(d.cap);
        evidence
            .note
            .push(&tr!("（封顶{cap}分）", " (capped at {cap})"));
    }
    DeductionItem {
        id: d.id.clone(),
        name: d.name.clone(),
        points,
        count,
        evidence,
    }
}

/// A manual check: the evaluators' points from their file, whatever the crawl saw.
fn manual(ev: &SiteEvidence, check: &str, max: f64, extras: &Extras) -> rules::Outcome {
    match extras.manual.and_then(|m| m.get(&ev.key, check)) {
        Some(score) => rules::Outcome {
            fraction: if max > 0.0 { score.points / max } else { 0.0 },
            evidence: Evidence::note(match &score.note {
                Some(note) => tr!("评估人员给分：{note}", "evaluator's points: {note}"),
                None => tr!("评估人员给分", "evaluator's points"),
            }),
        },
        None => rules::Outcome::zero(Evidence::note(no_manual_points())),
    }
}

/// The note of a manual check the evaluators' file gives no points for.
fn no_manual_points() -> Text {
    tr!(
        "人工评分项：评估人员未给分",
        "manual check: no evaluator's points given"
    )
}

fn bonus(key: &SiteKey, bonus: &Bonus, extras: &Extras) -> (f64, Vec<BonusCase>) {
    let Some(cases) = extras.cases else {
        return (0.0, Vec::new());
    };
    let mine: Vec<BonusCase> = cases
        .cases
        .iter()
        .filter(|c| &c.site == key)
        .map(|c| BonusCase {
            title: c.title.clone(),
            points: c.points,
        })
        .collect();
    let sum: f64 = mine.iter().map(|c| c.points).sum();
    (sum.min(bonus.cap), mine)
}
