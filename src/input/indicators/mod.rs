//! `indicators.yaml`: the whole scoring method as data — the first-level indicators and their
//! checks (each a [`Rule`] from a closed set of kinds), the column classes with their update
//! deadlines, the single-item vetoes (单项否决) with their thresholds, the deductions (扣分)
//! and the bonus cap (优秀创新案例).
//!
//! Loading validates everything that can be known without a crawl: unknown keys, wrong types,
//! duplicate ids, unknown rule kinds, regular expressions and CSS selectors that do not
//! compile, points that do not add up to their parent's, thresholds that are zero or negative,
//! references to column classes that do not exist. Every problem is reported with its
//! `line:col`, all in one pass. The types here carry compiled regexes and selectors, so the
//! scoring stage never meets an invalid rule.

//!
//! The types are here; [`load`] turns the file's node tree into them, and [`kinds`] holds
//! the closed sets of rule, veto and deduction kinds with their parameters.

mod kinds;
mod load;
#[cfg(test)]
mod tests;

use std::path::Path;

use regex::Regex;
use scraper::Selector;

use super::diagnostic::{Diagnostics, InputError, read_text};
use super::yaml;
pub use kinds::{DeductionKind, Kind, RuleKind, VetoKind};

/// The loaded indicator file.
#[derive(Debug, Clone)]
pub struct IndicatorSet {
    /// The points the first-level indicators add up to (100 in the national method).
    pub total: f64,
    pub indicators: Vec<Indicator>,
    /// Column classes: the columns a portal must keep up to date, with their deadlines.
    pub columns: Vec<ColumnClass>,
    pub vetoes: Vec<Veto>,
    pub deductions: Vec<Deduction>,
    pub bonus: Bonus,
}

/// A first-level indicator (一级指标).
#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub points: f64,
    pub checks: Vec<Check>,
}

/// A second-level check (二级指标) and the rule that decides its points.
#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
    pub name: String,
    pub points: f64,
    pub rule: Rule,
}

/// How a check is decided. Every rule yields a fraction in 0..=1 of the check's points, so
/// partial credit is the normal case, not a special one.
#[derive(Debug, Clone)]
pub enum Rule {
    /// A column found by the anchor text of a link on the homepage or its navigation,
    /// followed to its list page.
    Column(ColumnRule),
    /// A regular expression over the text of a page scope.
    Text { pattern: Regex, scope: PageScope },
    /// A CSS selector that must match an element.
    Selector {
        selector: Box<Selector>,
        source: String,
        scope: PageScope,
        /// Position in [`IndicatorSet::selectors`]: extraction tests every selector of the
        /// file on each page once, and scoring reads the answer by this index.
        index: usize,
    },
    /// A link whose target host matches `host` (and whose anchor text matches `text`, if given).
    LinkTo {
        host: Regex,
        text: Option<Regex>,
        scope: PageScope,
    },
    /// The share of crawled pages served over HTTPS.
    Https,
    /// Homepage load time on a log-normal curve, as Lighthouse scores metrics: 0.9 at
    /// `p10_ms`, 0.5 at `median_ms`.
    LoadTime { p10_ms: f64, median_ms: f64 },
    /// Links that work: full credit with none broken, falling linearly to zero when the
    /// broken share of checked links reaches `zero_at_share`.
    LinkHealth { zero_at_share: f64 },
    /// Article pages carrying the given meta tags, with `SiteIDCode` equal to the footer's
    /// 网站标识码; the fraction is the share of such pages.
    MetaConsistency { tags: Vec<String> },
    /// 办事指南 pages (found by `guide_patterns`) carrying at least `min_elements` of the key
    /// element headings; the fraction is the share of such guides.
    GuideElements {
        guide_patterns: Vec<Regex>,
        elements: Vec<String>,
        min_elements: u32,
    },
    /// Points an evaluator awards by hand, read from the evaluators' file by the check's id.
    Manual { note: Option<String> },
    /// The best of its rules.
    AnyOf(Vec<Rule>),
    /// The mean of its rules: each weighs equally, so meeting two of three earns two thirds.
    AllOf(Vec<Rule>),
}

impl Rule {
    /// The rules this one combines (`any_of`, `all_of`); none for a rule of its own.
    pub fn parts(&self) -> &[Rule] {
        match self {
            Rule::AnyOf(rules) | Rule::AllOf(rules) => rules,
            Rule::Column(_)
            | Rule::Text { .. }
            | Rule::Selector { .. }
            | Rule::LinkTo { .. }
            | Rule::Https
            | Rule::LoadTime { .. }
            | Rule::LinkHealth { .. }
            | Rule::MetaConsistency { .. }
            | Rule::GuideElements { .. }
            | Rule::Manual { .. } => &[],
        }
    }
}

#[derive(Debug, Clone)]
pub struct ColumnRule {
    /// The column class this rule refers to, if any; its patterns and deadline apply unless
    /// the rule gives its own.
    pub class: Option<String>,
    /// Anchor-text patterns; a link whose text matches any of them is the column.
    pub patterns: Vec<Regex>,
    /// Days within which the newest item must fall; `None` means freshness is not scored.
    pub fresh_within: Option<u32>,
    /// Dated items the list page must show for full credit; fewer earn a proportional share.
    pub min_items: Option<u32>,
}

/// Which pages a text, selector or link rule looks at (a crawl's reach is
/// [`crate::urls::SiteScope`], a different thing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageScope {
    Homepage,
    /// The homepage's footer (底部功能区), where the identifiers live.
    Footer,
    /// Full credit when any crawled page matches.
    AnyPage,
    /// The share of crawled pages that match.
    EveryPage,
}

impl PageScope {
    /// Every scope, for messages.
    pub const ALL: [PageScope; 4] = [
        PageScope::Homepage,
        PageScope::Footer,
        PageScope::AnyPage,
        PageScope::EveryPage,
    ];

    /// The name the indicator file uses.
    pub fn as_str(self) -> &'static str {
        match self {
            PageScope::Homepage => "homepage",
            PageScope::Footer => "footer",
            PageScope::AnyPage => "any_page",
            PageScope::EveryPage => "every_page",
        }
    }
}

/// A class of columns with the deadline within which it must be updated (DOMAIN §2: news 14
/// days, notices and policies 180, the rest 365).
#[derive(Debug, Clone)]
pub struct ColumnClass {
    pub id: String,
    pub name: String,
    pub patterns: Vec<Regex>,
    pub update_within: u32,
    /// Counted by the columns veto's "key columns late" threshold (动态/要闻, 通知公告, 政策文件).
    pub key: bool,
}

/// A single-item veto (单项否决): a site that trips one is 不合格 whatever its points.
#[derive(Debug, Clone)]
pub struct Veto {
    pub id: String,
    pub name: String,
    pub rule: VetoRule,
}

/// What trips a veto, with its thresholds.
#[derive(Debug, Clone)]
pub enum VetoRule {
    /// 站点无法访问: the homepage does not open within `timeout_secs`; with repeated probes,
    /// the share of failed visits reaches `failure_share`.
    SiteUnreachable {
        timeout_secs: f64,
        failure_share: f64,
    },
    /// 首页不更新: the newest dated item on the homepage is older than this.
    HomepageNotUpdated { max_age_days: u32 },
    /// 栏目不更新: trips when any threshold is reached.
    ColumnsNotUpdated {
        /// Key columns (see [`ColumnClass::key`]) past their deadline.
        late_key_columns: u32,
        /// Columns of any class past their deadline.
        late_columns: u32,
        /// Columns whose list page has no items.
        blank_columns: u32,
    },
    /// 严重错误: phrases from the evaluators' list found on any crawled page.
    SevereErrors { phrases: Vec<String>, min_hits: u32 },
    /// 互动回应差: no consultation channel found, or a listed message unanswered too long.
    PoorResponse {
        channel_patterns: Vec<Regex>,
        max_unanswered_days: u32,
    },
    /// 服务不实用: no services entry, or guides missing `missing_elements` or more elements.
    ServicesUnusable {
        entry_patterns: Vec<Regex>,
        guide_patterns: Vec<Regex>,
        elements: Vec<String>,
        missing_elements: u32,
    },
}

impl VetoRule {
    pub fn kind(&self) -> VetoKind {
        match self {
            VetoRule::SiteUnreachable { .. } => VetoKind::SiteUnreachable,
            VetoRule::HomepageNotUpdated { .. } => VetoKind::HomepageNotUpdated,
            VetoRule::ColumnsNotUpdated { .. } => VetoKind::ColumnsNotUpdated,
            VetoRule::SevereErrors { .. } => VetoKind::SevereErrors,
            VetoRule::PoorResponse { .. } => VetoKind::PoorResponse,
            VetoRule::ServicesUnusable { .. } => VetoKind::ServicesUnusable,
        }
    }
}

/// Points taken off the total, per item found, up to `cap`.
#[derive(Debug, Clone)]
pub struct Deduction {
    pub id: String,
    pub name: String,
    pub cap: f64,
    pub rule: DeductionRule,
}

/// What a deduction counts, and at what rate.
#[derive(Debug, Clone)]
pub enum DeductionRule {
    /// Broken links: one rate for links on the homepage, another for the rest.
    BrokenLinks {
        homepage_points: f64,
        other_points: f64,
    },
    /// Known misspellings (`wrong` → `right`) found in page text.
    Typos { points: f64, pairs: Vec<Typo> },
}

impl DeductionRule {
    pub fn kind(&self) -> DeductionKind {
        match self {
            DeductionRule::BrokenLinks { .. } => DeductionKind::BrokenLinks,
            DeductionRule::Typos { .. } => DeductionKind::Typos,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typo {
    pub wrong: String,
    pub right: String,
}

/// 优秀创新案例: points from the evaluators' cases file, capped per site.
#[derive(Debug, Clone)]
pub struct Bonus {
    pub name: String,
    pub cap: f64,
}

impl IndicatorSet {
    /// Reads and validates an indicator file; list files it names (`phrases_file`,
    /// `pairs_file`) are read relative to its folder.
    pub fn load(path: &Path) -> Result<Self, InputError> {
        let text = read_text(path)?;
        Self::parse_in(&text, &path.display().to_string(), path.parent())
    }

    /// Parses and validates `text`, naming `file` in every problem; list files are looked
    /// for in the current folder.
    pub fn parse(text: &str, file: &str) -> Result<Self, InputError> {
        Self::parse_in(text, file, None)
    }

    fn parse_in(text: &str, file: &str, base: Option<&Path>) -> Result<Self, InputError> {
        let mut diags = Diagnostics::new(file);
        let set = yaml::parse(text, &mut diags).and_then(|root| {
            load::Loader::new(&mut diags, base.map(Path::to_path_buf)).root(&root)
        });
        match set {
            Some(set) if diags.is_empty() => Ok(set),
            _ => Err(InputError::Invalid(diags.into_sorted())),
        }
    }

    /// Number of second-level checks.
    pub fn check_count(&self) -> usize {
        self.indicators.iter().map(|i| i.checks.len()).sum()
    }

    /// Every selector rule's selector, by its index.
    pub fn selectors(&self) -> Vec<&Selector> {
        fn walk<'a>(rule: &'a Rule, out: &mut Vec<&'a Selector>) {
            if let Rule::Selector { selector, .. } = rule {
                out.push(selector);
            }
            rule.parts().iter().for_each(|r| walk(r, out));
        }
        let mut out = Vec::new();
        for check in self.indicators.iter().flat_map(|i| &i.checks) {
            walk(&check.rule, &mut out);
        }
        out
    }

    pub fn column_class(&self, id: &str) -> Option<&ColumnClass> {
        self.columns.iter().find(|c| c.id == id)
    }
}
