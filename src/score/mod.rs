//! Scoring: pure functions from a site's evidence (its pages' facts and the crawl's
//! measurements) and the indicator file to the points an evaluator would give — every check,
//! the vetoes, the deductions and the bonus — each with the URLs and a one-line note that
//! justify it. No I/O happens here: the same evidence, indicator file, cases and evaluation
//! date always give the same result.

mod rules;
mod vetoes;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::extract::PageFacts;
use crate::input::indicators::{Bonus, Deduction, DeductionRule, IndicatorSet, Rule};
use crate::input::{Cases, Category, ManualScores, SiteKey};
use crate::points::{fmt_points, round2};

/// One crawled page of a site.
#[derive(Debug, Clone)]
pub struct Page {
    pub facts: PageFacts,
    /// Link depth from the homepage.
    pub depth: u32,
    pub https: bool,
}

/// A link whose status was checked (or fetched as a page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedLink {
    pub from: String,
    pub url: String,
    pub ok: bool,
    pub on_homepage: bool,
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// A visit of the homepage (the crawl's fetch and each probe).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub ok: bool,
    pub ms: u64,
}

/// What the crawl measured of a site as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CrawlStats {
    pub pages: u32,
    pub errors: u32,
    pub bytes: u64,
    #[serde(serialize_with = "round2")]
    pub seconds: f64,
}

/// Everything known about one site, as scoring needs it.
#[derive(Debug, Clone)]
pub struct SiteEvidence {
    pub key: SiteKey,
    pub url: String,
    pub name: String,
    pub categories: Vec<Category>,
    /// Unreachable, with the reason, when the crawl could not open the homepage.
    pub status: Status,
    /// Pages ordered by depth, then URL; the homepage first when it was fetched.
    pub pages: Vec<Page>,
    /// The homepage's URL after redirects.
    pub homepage_url: String,
    pub visits: Vec<Visit>,
    pub links: Vec<CheckedLink>,
    pub crawl: CrawlStats,
}

impl SiteEvidence {
    pub fn homepage(&self) -> Option<&Page> {
        self.pages.first().filter(|p| p.depth == 0)
    }

    pub fn page(&self, url: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.facts.url == url)
    }
}

/// Evaluator-provided inputs that are not in the crawl.
#[derive(Debug, Clone, Default)]
pub struct Extras<'a> {
    pub cases: Option<&'a Cases>,
    pub manual: Option<&'a ManualScores>,
}

/// Why a check got its points.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub urls: Vec<String>,
    pub note: String,
}

impl Evidence {
    pub fn note(note: impl Into<String>) -> Self {
        Self {
            urls: Vec::new(),
            note: note.into(),
        }
    }

    pub fn at(url: impl Into<String>, note: impl Into<String>) -> Self {
        Self {
            urls: vec![url.into()],
            note: note.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckScore {
    pub id: String,
    pub name: String,
    #[serde(serialize_with = "round2")]
    pub score: f64,
    #[serde(serialize_with = "round2")]
    pub max: f64,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    pub id: String,
    pub name: String,
    #[serde(serialize_with = "round2")]
    pub score: f64,
    #[serde(serialize_with = "round2")]
    pub max: f64,
    pub children: Vec<CheckScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VetoHit {
    pub id: String,
    pub name: String,
    pub reason: String,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeductionItem {
    pub id: String,
    pub name: String,
    /// Points taken, after the cap.
    #[serde(serialize_with = "round2")]
    pub points: f64,
    pub count: u32,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BonusCase {
    pub title: String,
    #[serde(serialize_with = "round2")]
    pub points: f64,
}

/// Whether the crawl could open a site, and if not, why: an unreachable site is judged by
/// the availability veto alone. In `results.json` it is `"status": "ok"`, or
/// `"status": "unreachable"` with a `"reason"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    Ok,
    Unreachable { reason: String },
}

impl Status {
    pub fn is_ok(&self) -> bool {
        *self == Status::Ok
    }

    /// Why the site could not be opened; `None` when it could.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Status::Ok => None,
            Status::Unreachable { reason } => Some(reason),
        }
    }
}

/// A site's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteResult {
    pub url: String,
    pub name: String,
    pub categories: Vec<Category>,
    #[serde(flatten)]
    pub status: Status,
    /// Indicator points less deductions (not below zero), plus the bonus.
    #[serde(serialize_with = "round2")]
    pub total: f64,
    #[serde(serialize_with = "round2")]
    pub bonus: f64,
    #[serde(serialize_with = "round2")]
    pub deductions: f64,
    /// The vetoes hit; `None` when none was.
    pub veto: Option<Vec<VetoHit>>,
    pub indicators: Vec<IndicatorScore>,
    pub deduction_items: Vec<DeductionItem>,
    pub bonus_cases: Vec<BonusCase>,
    pub crawl: CrawlStats,
}

impl SiteResult {
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
    let ctx = rules::Ctx::new(ev, as_of);
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
                        rules::Outcome::zero(Evidence::note("site unreachable: not evaluated"))
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

    let hits = vetoes::evaluate(&ctx, set);
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
    }
}

fn deduction(ctx: &rules::Ctx, d: &Deduction) -> DeductionItem {
    let ev = ctx.ev;
    let (raw, count, evidence) = match &d.rule {
        DeductionRule::BrokenLinks {
            homepage_points,
            other_points,
        } => {
            let broken: Vec<&CheckedLink> = ev.links.iter().filter(|l| !l.ok).collect();
            let home = broken.iter().filter(|l| l.on_homepage).count();
            let other = broken.len() - home;
            let mut urls: Vec<String> = broken.iter().map(|l| l.url.clone()).collect();
            urls.sort();
            urls.dedup();
            (
                home as f64 * homepage_points + other as f64 * other_points,
                broken.len() as u32,
                Evidence {
                    urls,
                    note: format!("{home} broken links on the homepage, {other} on other pages"),
                },
            )
        }
        DeductionRule::Typos { points, pairs } => {
            let mut found: Vec<(String, String)> = Vec::new();
            for page in &ev.pages {
                for typo in pairs {
                    if page.facts.text.contains(&typo.wrong) {
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
                "no listed misspelling found".to_owned()
            } else {
                format!("{} misspellings: {}", found.len(), words.join(", "))
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
        evidence
            .note
            .push_str(&format!(" (capped at {})", fmt_points(d.cap)));
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
                Some(note) => format!("evaluator's points: {note}"),
                None => "evaluator's points".to_owned(),
            }),
        },
        None => rules::Outcome::zero(Evidence::note("manual check: no evaluator's points given")),
    }
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
