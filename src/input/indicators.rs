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

use std::collections::HashMap;
use std::path::Path;

use regex::Regex;
use scraper::Selector;

use super::diagnostic::{Diagnostics, InputError, read_text};
use super::yaml::{self, Loc, MapReader, Node, Value};

/// Points are decimals in the file; sums are compared with this tolerance so that `0.1 + 0.2`
/// adds up to `0.3`.
const POINTS_EPSILON: f64 = 1e-6;

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
    Text { pattern: Regex, scope: Scope },
    /// A CSS selector that must match an element.
    Selector {
        selector: Box<Selector>,
        source: String,
        scope: Scope,
        /// Position in [`IndicatorSet::selectors`]: extraction tests every selector of the
        /// file on each page once, and scoring reads the answer by this index.
        index: usize,
    },
    /// A link whose target host matches `host` (and whose anchor text matches `text`, if given).
    LinkTo {
        host: Regex,
        text: Option<Regex>,
        scope: Scope,
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

/// Which pages a text, selector or link rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Homepage,
    /// The homepage's footer (底部功能区), where the identifiers live.
    Footer,
    /// Full credit when any crawled page matches.
    AnyPage,
    /// The share of crawled pages that match.
    EveryPage,
}

impl Scope {
    const ALL: [(&'static str, Scope); 4] = [
        ("homepage", Scope::Homepage),
        ("footer", Scope::Footer),
        ("any_page", Scope::AnyPage),
        ("every_page", Scope::EveryPage),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map(|(n, _)| *n)
            .unwrap_or_default()
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
    pub kind: VetoKind,
}

#[derive(Debug, Clone)]
pub enum VetoKind {
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

impl VetoKind {
    pub fn name(&self) -> &'static str {
        match self {
            VetoKind::SiteUnreachable { .. } => "site_unreachable",
            VetoKind::HomepageNotUpdated { .. } => "homepage_not_updated",
            VetoKind::ColumnsNotUpdated { .. } => "columns_not_updated",
            VetoKind::SevereErrors { .. } => "severe_errors",
            VetoKind::PoorResponse { .. } => "poor_response",
            VetoKind::ServicesUnusable { .. } => "services_unusable",
        }
    }
}

/// Points taken off the total, per item found, up to `cap`.
#[derive(Debug, Clone)]
pub struct Deduction {
    pub id: String,
    pub name: String,
    pub cap: f64,
    pub kind: DeductionKind,
}

#[derive(Debug, Clone)]
pub enum DeductionKind {
    /// Broken links: one rate for links on the homepage, another for the rest.
    BrokenLinks {
        homepage_points: f64,
        other_points: f64,
    },
    /// Known misspellings (`wrong` → `right`) found in page text.
    Typos { points: f64, pairs: Vec<Typo> },
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
        let set = yaml::parse(text, &mut diags)
            .and_then(|root| Loader::new(&mut diags, base.map(Path::to_path_buf)).root(&root));
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
            match rule {
                Rule::Selector { selector, .. } => out.push(selector),
                Rule::AnyOf(rules) | Rule::AllOf(rules) => rules.iter().for_each(|r| walk(r, out)),
                _ => {}
            }
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

const RULE_KINDS: &[&str] = &[
    "column",
    "text",
    "selector",
    "link_to",
    "https",
    "load_time",
    "link_health",
    "meta_consistency",
    "guide_elements",
    "manual",
    "any_of",
    "all_of",
];

const VETO_KINDS: &[&str] = &[
    "site_unreachable",
    "homepage_not_updated",
    "columns_not_updated",
    "severe_errors",
    "poor_response",
    "services_unusable",
];

const DEDUCTION_KINDS: &[&str] = &["broken_links", "typos"];

/// Walks the node tree into typed values, reporting as it goes. Each method returns `None`
/// when its part could not be built; the caller carries on with the rest so that every
/// problem of the file is found.
/// A list file's name as shown in messages, and its lines with their numbers.
type ListFile = (String, Vec<(usize, String)>);

struct Loader<'d> {
    diags: &'d mut Diagnostics,
    /// Every id with where it was first defined: ids name indicators, checks, columns,
    /// vetoes and deductions in results and in `explain`, so one namespace keeps them apart.
    ids: HashMap<String, Loc>,
    /// Column rules that name a class, resolved once all classes are known.
    class_refs: Vec<(String, Loc)>,
    /// The folder list files are relative to.
    base: Option<std::path::PathBuf>,
}

impl<'d> Loader<'d> {
    fn new(diags: &'d mut Diagnostics, base: Option<std::path::PathBuf>) -> Self {
        Self {
            diags,
            ids: HashMap::new(),
            class_refs: Vec::new(),
            base,
        }
    }

    /// The lines of a list file named by `key` (blank lines and `#` comments skipped), each
    /// with its line number and the file's name as given; `Some(None)` when the key is
    /// absent, `None` when the file cannot be read (reported at the key's value).
    fn list_file(&mut self, m: &MapReader, key: &str) -> Option<Option<ListFile>> {
        let Some(node) = m.get(key) else {
            return Some(None);
        };
        let name = node.str(self.diags, &format!("`{key}`"))?;
        let path = match &self.base {
            Some(base) => base.join(name),
            None => std::path::PathBuf::from(name),
        };
        let shown = path.display().to_string();
        let text = match read_text(&path) {
            Ok(text) => text,
            Err(err) => {
                let why = match err {
                    InputError::Read { source, .. } => source.to_string(),
                    InputError::Invalid(_) => "it is not UTF-8 text".to_owned(),
                };
                self.error(
                    node.loc,
                    format!("`{key}` `{name}` cannot be read ({shown}: {why})"),
                );
                return None;
            }
        };
        let lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim().to_owned()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .collect();
        Some(Some((shown, lines)))
    }

    fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.diags.at(loc.line, Some(loc.column), message);
    }

    fn root(mut self, root: &Node) -> Option<IndicatorSet> {
        let m = root.map(
            self.diags,
            "the indicator file",
            &[
                "total",
                "columns",
                "indicators",
                "vetoes",
                "deductions",
                "bonus",
            ],
        )?;
        let total = m.positive("total", true, self.diags);
        // Column classes first: column rules in the indicators refer to them.
        let columns = self.list(&m, "columns", "a column class", Self::column_class);
        let indicators = self.list(&m, "indicators", "a first-level indicator", Self::indicator);
        let vetoes = self.list(&m, "vetoes", "a veto", Self::veto);
        let deductions = self.list(&m, "deductions", "a deduction", Self::deduction);
        let bonus = m.required("bonus", self.diags).and_then(|n| self.bonus(n));

        let (columns, indicators) = (columns?, indicators?);
        let mut columns_ok = true;
        for (class, loc) in std::mem::take(&mut self.class_refs) {
            if !columns.iter().any(|c| c.id == class) {
                let known: Vec<&str> = columns.iter().map(|c| c.id.as_str()).collect();
                self.error(
                    loc,
                    format!(
                        "unknown column class `{class}`; the `columns` section defines: {}",
                        known.join(", ")
                    ),
                );
                columns_ok = false;
            }
        }
        let mut indicators = indicators;
        if columns_ok {
            resolve(&mut indicators, &columns);
        }
        self.check_unique_kinds(&m, vetoes.as_deref());

        let total = total?;
        if indicators.iter().all(|i| i.points.is_finite()) {
            let sum: f64 = indicators.iter().map(|i| i.points).sum();
            if (sum - total).abs() > POINTS_EPSILON {
                let loc = m.get("total").map_or(m.loc(), |n| n.loc);
                self.error(
                    loc,
                    format!(
                        "the first-level indicators add up to {} points, but `total` is {}",
                        fmt_points(sum),
                        fmt_points(total)
                    ),
                );
            }
        }
        Some(IndicatorSet {
            total,
            indicators,
            columns,
            vetoes: vetoes?,
            deductions: deductions?,
            bonus: bonus?,
        })
    }

    /// A required list of mappings under `key`, each built by `item`. `None` if the list is
    /// missing or any item failed (its problems are already reported).
    fn list<T>(
        &mut self,
        m: &MapReader,
        key: &str,
        what: &str,
        item: fn(&mut Self, &Node, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let node = m.required(key, self.diags)?;
        let items = node.seq(self.diags, &format!("`{key}`"))?;
        if items.is_empty() {
            self.error(
                node.loc,
                format!("`{key}` is empty; list at least one entry"),
            );
            return None;
        }
        let built: Vec<Option<T>> = items.iter().map(|n| item(self, n, what)).collect();
        built.into_iter().collect()
    }

    /// An id: lowercase ASCII, digits, `-` and `_`, unique in the whole file.
    fn id(&mut self, m: &MapReader) -> Option<String> {
        let node = m.required("id", self.diags)?;
        let id = node.str(self.diags, "`id`")?;
        let valid = id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !valid {
            self.error(
                node.loc,
                format!(
                    "id `{id}` must start with a lowercase letter or digit and use only a-z, 0-9, `-` and `_` (the display name goes in `name`)"
                ),
            );
            return None;
        }
        if let Some(first) = self.ids.get(id) {
            let first = first.line;
            self.error(
                node.loc,
                format!("duplicate id `{id}` (first used at line {first})"),
            );
            return None;
        }
        self.ids.insert(id.to_owned(), node.loc);
        Some(id.to_owned())
    }

    fn name(&mut self, m: &MapReader) -> Option<String> {
        let node = m.required("name", self.diags)?;
        let name = node.str(self.diags, "`name`")?;
        if name.trim().is_empty() {
            self.error(node.loc, "`name` is empty");
            return None;
        }
        Some(name.to_owned())
    }

    fn indicator(&mut self, node: &Node, what: &str) -> Option<Indicator> {
        let m = node.map(self.diags, what, &["id", "name", "points", "checks"])?;
        let id = self.id(&m);
        let name = self.name(&m);
        let points = m.positive("points", true, self.diags);
        let checks = self.list(&m, "checks", "a check", Self::check);
        let (id, name, points, checks) = (id?, name?, points?, checks?);
        let sum: f64 = checks.iter().map(|c| c.points).sum();
        if (sum - points).abs() > POINTS_EPSILON {
            let loc = m.get("points").map_or(m.loc(), |n| n.loc);
            self.error(
                loc,
                format!(
                    "the checks of `{id}` ({name}) add up to {} points, but the indicator has {}",
                    fmt_points(sum),
                    fmt_points(points)
                ),
            );
        }
        Some(Indicator {
            id,
            name,
            points,
            checks,
        })
    }

    fn check(&mut self, node: &Node, what: &str) -> Option<Check> {
        let m = node.map(self.diags, what, &["id", "name", "points", "rule"])?;
        let id = self.id(&m);
        let name = self.name(&m);
        let points = m.positive("points", true, self.diags);
        let rule = m.required("rule", self.diags).and_then(|n| self.rule(n));
        Some(Check {
            id: id?,
            name: name?,
            points: points?,
            rule: rule?,
        })
    }

    /// The `kind` of a rule, veto or deduction mapping, read before the mapping is opened
    /// because the kind decides which other keys are allowed.
    fn kind<'n>(&mut self, node: &'n Node, what: &str, known: &[&str]) -> Option<&'n str> {
        let Value::Map(entries) = &node.value else {
            node.map(self.diags, what, &[]);
            return None;
        };
        let Some((_, value)) = entries
            .iter()
            .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == "kind"))
        else {
            self.error(
                node.loc,
                format!(
                    "{what} is missing the key `kind` (one of: {})",
                    known.join(", ")
                ),
            );
            return None;
        };
        let kind = value.str(self.diags, "`kind`")?;
        if !known.contains(&kind) {
            let hint = match yaml::closest(kind, known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("known kinds: {}", known.join(", ")),
            };
            self.error(value.loc, format!("unknown {what} kind `{kind}`; {hint}"));
            return None;
        }
        Some(kind)
    }

    fn rule(&mut self, node: &Node) -> Option<Rule> {
        let kind = self.kind(node, "rule", RULE_KINDS)?;
        let params: &[&str] = match kind {
            "column" => &["class", "patterns", "fresh_within", "min_items"],
            "text" => &["pattern", "scope"],
            "selector" => &["selector", "scope"],
            "link_to" => &["host", "text", "scope"],
            "https" => &[],
            "load_time" => &["p10_ms", "median_ms"],
            "link_health" => &["zero_at_share"],
            "meta_consistency" => &["tags"],
            "guide_elements" => &["guide_patterns", "elements", "min_elements"],
            "manual" => &["note"],
            _ => &["rules"], // any_of, all_of
        };
        let allowed: Vec<&str> = std::iter::once("kind")
            .chain(params.iter().copied())
            .collect();
        let m = node.map(self.diags, &format!("a `{kind}` rule"), &allowed)?;
        let d = &mut *self.diags;
        match kind {
            "column" => {
                let class = m.opt_str("class", d).map(str::to_owned);
                let patterns = match m.get("patterns") {
                    Some(n) => Some(self.patterns(n, "`patterns`")?),
                    None => None,
                };
                let fresh_within = self.opt_positive_int(&m, "fresh_within");
                let min_items = self.opt_positive_int(&m, "min_items");
                if let Some(class) = &class {
                    let loc = m.get("class").map_or(m.loc(), |n| n.loc);
                    self.class_refs.push((class.clone(), loc));
                } else if patterns.is_none() {
                    self.error(
                        m.loc(),
                        "a `column` rule needs `class` (a column class id) or `patterns`",
                    );
                    return None;
                }
                Some(Rule::Column(ColumnRule {
                    class,
                    patterns: patterns.unwrap_or_default(),
                    fresh_within: fresh_within?,
                    min_items: min_items?,
                }))
            }
            "text" => {
                let pattern = m
                    .required("pattern", d)
                    .and_then(|n| self.regex(n, "`pattern`"));
                let scope = self.scope(&m, &["homepage", "footer", "any_page", "every_page"]);
                Some(Rule::Text {
                    pattern: pattern?,
                    scope: scope?,
                })
            }
            "selector" => {
                let selector = m.required("selector", d).and_then(|n| self.selector(n));
                let scope = self.scope(&m, &["homepage", "any_page", "every_page"]);
                let (selector, source) = selector?;
                Some(Rule::Selector {
                    selector: Box::new(selector),
                    source,
                    scope: scope?,
                    index: 0,
                })
            }
            "link_to" => {
                let host = m.required("host", d).and_then(|n| self.regex(n, "`host`"));
                let text = match m.get("text") {
                    Some(n) => Some(self.regex(n, "`text`")?),
                    None => None,
                };
                let scope = self.scope(&m, &["homepage", "footer", "any_page"]);
                Some(Rule::LinkTo {
                    host: host?,
                    text,
                    scope: scope?,
                })
            }
            "https" => Some(Rule::Https),
            "load_time" => {
                let p10 = m.positive("p10_ms", true, d);
                let median = m.positive("median_ms", true, d);
                let (p10_ms, median_ms) = (p10?, median?);
                if p10_ms >= median_ms {
                    let loc = m.get("p10_ms").map_or(m.loc(), |n| n.loc);
                    self.error(
                        loc,
                        format!(
                            "`p10_ms` ({p10_ms}) must be below `median_ms` ({median_ms}): the curve gives 0.9 at p10 and 0.5 at the median"
                        ),
                    );
                    return None;
                }
                Some(Rule::LoadTime { p10_ms, median_ms })
            }
            "link_health" => {
                let share = self.share(&m, "zero_at_share")?;
                Some(Rule::LinkHealth {
                    zero_at_share: share,
                })
            }
            "meta_consistency" => {
                let tags = self.words(&m, "tags")?;
                Some(Rule::MetaConsistency { tags })
            }
            "guide_elements" => {
                let guide_patterns = m
                    .required("guide_patterns", d)
                    .and_then(|n| self.patterns(n, "`guide_patterns`"));
                let elements = self.words(&m, "elements");
                let min = self.count_within(&m, "min_elements", elements.as_deref());
                Some(Rule::GuideElements {
                    guide_patterns: guide_patterns?,
                    elements: elements?,
                    min_elements: min?,
                })
            }
            "manual" => Some(Rule::Manual {
                note: m.opt_str("note", d).map(str::to_owned),
            }),
            _ => {
                let node = m.required("rules", d)?;
                let items = node.seq(self.diags, "`rules`")?;
                if items.is_empty() {
                    self.error(
                        node.loc,
                        format!("`{kind}` needs at least one rule in `rules`"),
                    );
                    return None;
                }
                let rules: Vec<Option<Rule>> = items.iter().map(|n| self.rule(n)).collect();
                // Evaluators' points are given per check, so a manual rule must be a check's
                // whole rule: inside a combination there would be nothing to give them to.
                for (rule, node) in rules.iter().zip(items) {
                    if matches!(rule, Some(Rule::Manual { .. })) {
                        self.error(
                            node.loc,
                            format!("a `manual` rule cannot be combined in `{kind}`; give it a check of its own"),
                        );
                        return None;
                    }
                }
                let rules: Vec<Rule> = rules.into_iter().collect::<Option<_>>()?;
                Some(if kind == "any_of" {
                    Rule::AnyOf(rules)
                } else {
                    Rule::AllOf(rules)
                })
            }
        }
    }

    fn opt_positive_int(&mut self, m: &MapReader, key: &str) -> Option<Option<u32>> {
        match m.get(key) {
            None => Some(None),
            Some(_) => m.positive_int(key, true, self.diags).map(Some),
        }
    }

    /// A share: above zero and at most one.
    fn share(&mut self, m: &MapReader, key: &str) -> Option<f64> {
        let v = m.positive(key, true, self.diags)?;
        if v > 1.0 {
            let loc = m.get(key).map_or(m.loc(), |n| n.loc);
            self.error(
                loc,
                format!("`{key}` is a share and must be at most 1 (write 5% as 0.05), found {v}"),
            );
            return None;
        }
        Some(v)
    }

    /// A count of at least 1 that cannot exceed the number of `of` items.
    fn count_within(&mut self, m: &MapReader, key: &str, of: Option<&[String]>) -> Option<u32> {
        let v = m.positive_int(key, true, self.diags)?;
        if let Some(of) = of
            && v as usize > of.len()
        {
            let loc = m.get(key).map_or(m.loc(), |n| n.loc);
            self.error(
                loc,
                format!("`{key}` is {v}, but only {} elements are listed", of.len()),
            );
            return None;
        }
        Some(v)
    }

    fn scope(&mut self, m: &MapReader, allowed: &[&str]) -> Option<Scope> {
        let node = m.required("scope", self.diags)?;
        let name = node.str(self.diags, "`scope`")?;
        match Scope::ALL.iter().find(|(n, _)| *n == name) {
            Some((n, scope)) if allowed.contains(n) => Some(*scope),
            _ => {
                let hint =
                    yaml::closest(name, allowed).map(|near| format!("; did you mean `{near}`?"));
                self.error(
                    node.loc,
                    format!(
                        "this rule's `scope` must be one of: {}; found `{name}`{}",
                        allowed.join(", "),
                        hint.unwrap_or_default()
                    ),
                );
                None
            }
        }
    }

    fn regex(&mut self, node: &Node, what: &str) -> Option<Regex> {
        let source = node.str(self.diags, what)?;
        if source.is_empty() {
            self.error(
                node.loc,
                format!("{what} is empty; an empty pattern matches everything"),
            );
            return None;
        }
        match regex::RegexBuilder::new(source).size_limit(1 << 20).build() {
            Ok(re) => Some(re),
            Err(err) => {
                self.error(
                    node.loc,
                    format!(
                        "{what} `{source}` is not a valid regular expression: {}",
                        regex_reason(&err)
                    ),
                );
                None
            }
        }
    }

    fn patterns(&mut self, node: &Node, what: &str) -> Option<Vec<Regex>> {
        let items = node.seq(self.diags, what)?;
        if items.is_empty() {
            self.error(
                node.loc,
                format!("{what} is empty; list at least one pattern"),
            );
            return None;
        }
        let compiled: Vec<Option<Regex>> = items
            .iter()
            .map(|n| self.regex(n, &format!("a pattern in {what}")))
            .collect();
        compiled.into_iter().collect()
    }

    fn selector(&mut self, node: &Node) -> Option<(Selector, String)> {
        let source = node.str(self.diags, "`selector`")?;
        match Selector::parse(source) {
            Ok(sel) => Some((sel, source.to_owned())),
            Err(err) => {
                self.error(
                    node.loc,
                    format!("`selector` `{source}` is not a valid CSS selector: {err}"),
                );
                None
            }
        }
    }

    /// A non-empty list of non-empty words without repeats (element headings, meta tags).
    fn words(&mut self, m: &MapReader, key: &str) -> Option<Vec<String>> {
        let node = m.required(key, self.diags)?;
        let items = node.str_list(self.diags, &format!("`{key}`"))?;
        if items.is_empty() {
            self.error(node.loc, format!("`{key}` is empty"));
            return None;
        }
        let mut out: Vec<String> = Vec::with_capacity(items.len());
        let mut ok = true;
        for (word, loc) in items {
            if word.trim().is_empty() {
                self.error(loc, format!("an item of `{key}` is empty"));
                ok = false;
            } else if out.iter().any(|w| w == word) {
                self.error(loc, format!("`{word}` is listed twice in `{key}`"));
                ok = false;
            } else {
                out.push(word.to_owned());
            }
        }
        ok.then_some(out)
    }

    fn column_class(&mut self, node: &Node, what: &str) -> Option<ColumnClass> {
        let m = node.map(
            self.diags,
            what,
            &["id", "name", "patterns", "update_within", "key"],
        )?;
        let id = self.id(&m);
        let name = self.name(&m);
        let patterns = m
            .required("patterns", self.diags)
            .and_then(|n| self.patterns(n, "`patterns`"));
        let update_within = m.positive_int("update_within", true, self.diags);
        let key = match m.get("key") {
            Some(_) => m.opt_bool("key", self.diags),
            None => Some(false),
        };
        Some(ColumnClass {
            id: id?,
            name: name?,
            patterns: patterns?,
            update_within: update_within?,
            key: key?,
        })
    }

    fn veto(&mut self, node: &Node, what: &str) -> Option<Veto> {
        let kind = self.kind(node, "veto", VETO_KINDS)?;
        let params: &[&str] = match kind {
            "site_unreachable" => &["timeout_secs", "failure_share"],
            "homepage_not_updated" => &["max_age_days"],
            "columns_not_updated" => &["late_key_columns", "late_columns", "blank_columns"],
            "severe_errors" => &["phrases", "phrases_file", "min_hits"],
            "poor_response" => &["channel_patterns", "max_unanswered_days"],
            _ => &[
                "entry_patterns",
                "guide_patterns",
                "elements",
                "missing_elements",
            ],
        };
        let allowed: Vec<&str> = ["id", "name", "kind"]
            .iter()
            .chain(params)
            .copied()
            .collect();
        let m = node.map(self.diags, what, &allowed)?;
        let id = self.id(&m);
        let name = self.name(&m);
        let d = &mut *self.diags;
        let kind = match kind {
            "site_unreachable" => {
                let timeout = m.positive("timeout_secs", true, d);
                let share = self.share(&m, "failure_share");
                VetoKind::SiteUnreachable {
                    timeout_secs: timeout?,
                    failure_share: share?,
                }
            }
            "homepage_not_updated" => VetoKind::HomepageNotUpdated {
                max_age_days: m.positive_int("max_age_days", true, d)?,
            },
            "columns_not_updated" => {
                let a = m.positive_int("late_key_columns", true, d);
                let b = m.positive_int("late_columns", true, d);
                let c = m.positive_int("blank_columns", true, d);
                VetoKind::ColumnsNotUpdated {
                    late_key_columns: a?,
                    late_columns: b?,
                    blank_columns: c?,
                }
            }
            "severe_errors" => {
                let min_hits = m.positive_int("min_hits", true, d);
                let mut phrases: Vec<String> = Vec::new();
                if let Some(node) = m.get("phrases") {
                    let listed = node.str_list(self.diags, "`phrases`")?;
                    if listed.iter().any(|(p, _)| p.trim().is_empty()) {
                        self.error(
                            node.loc,
                            "`phrases` has an empty item, which would match every page",
                        );
                        return None;
                    }
                    phrases.extend(listed.into_iter().map(|(p, _)| p.to_owned()));
                }
                let from_file = self.list_file(&m, "phrases_file")?;
                if let Some((_, lines)) = &from_file {
                    phrases.extend(lines.iter().map(|(_, l)| l.clone()));
                }
                if m.get("phrases").is_none() && from_file.is_none() {
                    self.error(m.loc(), "a `severe_errors` veto needs `phrases` (a list) or `phrases_file` (one phrase a line)");
                    return None;
                }
                VetoKind::SevereErrors {
                    phrases,
                    min_hits: min_hits?,
                }
            }
            "poor_response" => {
                let channels = m
                    .required("channel_patterns", d)
                    .and_then(|n| self.patterns(n, "`channel_patterns`"));
                let days = m.positive_int("max_unanswered_days", true, self.diags);
                VetoKind::PoorResponse {
                    channel_patterns: channels?,
                    max_unanswered_days: days?,
                }
            }
            _ => {
                let entry = m
                    .required("entry_patterns", d)
                    .and_then(|n| self.patterns(n, "`entry_patterns`"));
                let guide = m
                    .required("guide_patterns", self.diags)
                    .and_then(|n| self.patterns(n, "`guide_patterns`"));
                let elements = self.words(&m, "elements");
                let missing = self.count_within(&m, "missing_elements", elements.as_deref());
                VetoKind::ServicesUnusable {
                    entry_patterns: entry?,
                    guide_patterns: guide?,
                    elements: elements?,
                    missing_elements: missing?,
                }
            }
        };
        Some(Veto {
            id: id?,
            name: name?,
            kind,
        })
    }

    /// A veto kind twice would count one failure twice in the list of vetoes hit.
    fn check_unique_kinds(&mut self, m: &MapReader, vetoes: Option<&[Veto]>) {
        let (Some(vetoes), Some(node)) = (vetoes, m.get("vetoes")) else {
            return;
        };
        let Value::Seq(items) = &node.value else {
            return;
        };
        for (i, veto) in vetoes.iter().enumerate() {
            if let Some(first) = vetoes[..i]
                .iter()
                .position(|v| v.kind.name() == veto.kind.name())
            {
                let first_line = items[first].loc.line;
                self.error(
                    items[i].loc,
                    format!(
                        "a second `{}` veto (the first is at line {first_line}); merge their thresholds into one",
                        veto.kind.name()
                    ),
                );
            }
        }
    }

    fn deduction(&mut self, node: &Node, what: &str) -> Option<Deduction> {
        let kind = self.kind(node, "deduction", DEDUCTION_KINDS)?;
        let params: &[&str] = match kind {
            "broken_links" => &["homepage_points", "other_points"],
            _ => &["points", "pairs", "pairs_file"],
        };
        let allowed: Vec<&str> = ["id", "name", "kind", "cap"]
            .iter()
            .chain(params)
            .copied()
            .collect();
        let m = node.map(self.diags, what, &allowed)?;
        let id = self.id(&m);
        let name = self.name(&m);
        let cap = m.positive("cap", true, self.diags);
        let kind = match kind {
            "broken_links" => {
                let home = m.positive("homepage_points", true, self.diags);
                let other = m.positive("other_points", true, self.diags);
                DeductionKind::BrokenLinks {
                    homepage_points: home?,
                    other_points: other?,
                }
            }
            _ => {
                let points = m.positive("points", true, self.diags);
                let mut pairs = match m.get("pairs") {
                    Some(n) => self.typo_pairs(n)?,
                    None => Vec::new(),
                };
                let from_file = self.list_file(&m, "pairs_file")?;
                if let Some((file, lines)) = &from_file {
                    for (line, text) in lines {
                        match parse_typo_line(text) {
                            Some(typo) => pairs.push(typo),
                            None => self.diags.in_file(
                                file,
                                *line,
                                format!("`{text}` is not `wrong → right` (`->` and `=>` work too)"),
                            ),
                        }
                    }
                }
                if m.get("pairs").is_none() && from_file.is_none() {
                    self.error(m.loc(), "a `typos` deduction needs `pairs` (a list) or `pairs_file` (`wrong → right` a line)");
                    return None;
                }
                DeductionKind::Typos {
                    points: points?,
                    pairs,
                }
            }
        };
        Some(Deduction {
            id: id?,
            name: name?,
            cap: cap?,
            kind,
        })
    }

    fn typo_pairs(&mut self, node: &Node) -> Option<Vec<Typo>> {
        let items = node.seq(self.diags, "`pairs`")?;
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            let Some(m) = item.map(self.diags, "a typo pair", &["wrong", "right"]) else {
                ok = false;
                continue;
            };
            let wrong = m.req_str("wrong", self.diags);
            let right = m.req_str("right", self.diags);
            match (wrong, right) {
                (Some(w), Some(r)) if !w.is_empty() && w != r => out.push(Typo {
                    wrong: w.to_owned(),
                    right: r.to_owned(),
                }),
                (Some(w), Some(_)) => {
                    self.error(
                        m.loc(),
                        format!(
                            "typo pair `{w}`: `wrong` must be non-empty and differ from `right`"
                        ),
                    );
                    ok = false;
                }
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn bonus(&mut self, node: &Node) -> Option<Bonus> {
        let m = node.map(self.diags, "`bonus`", &["name", "cap"])?;
        let name = self.name(&m);
        let cap = m.positive("cap", true, self.diags);
        Some(Bonus {
            name: name?,
            cap: cap?,
        })
    }
}

/// One line of a typo list file: `wrong → right`, `wrong -> right` or `wrong => right`.
fn parse_typo_line(line: &str) -> Option<Typo> {
    let (wrong, right) = ["→", "->", "=>"]
        .iter()
        .find_map(|sep| line.split_once(sep))?;
    let (wrong, right) = (wrong.trim(), right.trim());
    (!wrong.is_empty() && !right.is_empty() && wrong != right).then(|| Typo {
        wrong: wrong.to_owned(),
        right: right.to_owned(),
    })
}

/// Gives every column rule the patterns and deadline of its class where it has none of its
/// own, so scoring sees self-contained rules, and numbers the selector rules in file order.
fn resolve(indicators: &mut [Indicator], classes: &[ColumnClass]) {
    fn walk(rule: &mut Rule, classes: &[ColumnClass], next_selector: &mut usize) {
        match rule {
            Rule::Column(col) => {
                if let Some(class) = col
                    .class
                    .as_deref()
                    .and_then(|id| classes.iter().find(|c| c.id == id))
                {
                    if col.patterns.is_empty() {
                        col.patterns = class.patterns.clone();
                    }
                    if col.fresh_within.is_none() {
                        col.fresh_within = Some(class.update_within);
                    }
                }
            }
            Rule::Selector { index, .. } => {
                *index = *next_selector;
                *next_selector += 1;
            }
            Rule::AnyOf(rules) | Rule::AllOf(rules) => rules
                .iter_mut()
                .for_each(|r| walk(r, classes, next_selector)),
            _ => {}
        }
    }
    let mut next_selector = 0;
    for check in indicators.iter_mut().flat_map(|i| i.checks.iter_mut()) {
        walk(&mut check.rule, classes, &mut next_selector);
    }
}

/// The regex crate's message is a multi-line picture with a caret; the last line says what
/// is wrong, which is what fits on one diagnostic line.
fn regex_reason(err: &regex::Error) -> String {
    let text = err.to_string();
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(&text)
        .trim()
        .trim_start_matches("error: ")
        .to_owned()
}

/// Points without float noise: `25`, `0.1`, `24.9`.
pub fn fmt_points(v: f64) -> String {
    let rounded = (v * 1000.0).round() / 1000.0;
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small valid file that exercises every rule kind; tests change one thing in it.
    const BASE: &str = r#"total: 10
columns:
  - id: news
    name: 要闻动态
    patterns: [要闻, 动态]
    update_within: 14
    key: true
indicators:
  - id: info
    name: 信息发布
    points: 6
    checks:
      - id: info-news
        name: 要闻动态
        points: 2
        rule: {kind: column, class: news, min_items: 10}
      - id: info-text
        name: 标识码
        points: 1
        rule: {kind: text, pattern: '\d{10}', scope: footer}
      - id: info-sel
        name: viewport
        points: 1
        rule: {kind: selector, selector: 'meta[name="viewport"]', scope: every_page}
      - id: info-mix
        name: 组合
        points: 2
        rule:
          kind: any_of
          rules:
            - {kind: link_to, host: 'zwfw\.gov\.cn$', text: 办事, scope: any_page}
            - kind: all_of
              rules:
                - {kind: https}
                - {kind: load_time, p10_ms: 1000, median_ms: 3000}
                - {kind: link_health, zero_at_share: 0.05}
  - id: more
    name: 其他
    points: 4
    checks:
      - id: more-meta
        name: 网页标签
        points: 1
        rule: {kind: meta_consistency, tags: [SiteName, PubDate]}
      - id: more-guides
        name: 办事指南
        points: 1.5
        rule: {kind: guide_elements, guide_patterns: [办事指南], elements: [事项名称, 办理材料], min_elements: 2}
      - id: more-manual
        name: 人工
        points: 1.5
        rule: {kind: manual, note: 评估人员打分}
vetoes:
  - {id: v-unreach, name: 站点无法访问, kind: site_unreachable, timeout_secs: 15, failure_share: 0.05}
  - {id: v-home, name: 首页不更新, kind: homepage_not_updated, max_age_days: 14}
  - {id: v-cols, name: 栏目不更新, kind: columns_not_updated, late_key_columns: 5, late_columns: 10, blank_columns: 5}
  - {id: v-severe, name: 严重错误, kind: severe_errors, phrases: [错误短语], min_hits: 1}
  - {id: v-resp, name: 互动回应差, kind: poor_response, channel_patterns: [信箱], max_unanswered_days: 90}
  - {id: v-serv, name: 服务不实用, kind: services_unusable, entry_patterns: [办事], guide_patterns: [指南], elements: [甲, 乙, 丙, 丁], missing_elements: 4}
deductions:
  - {id: d-links, name: 错链断链, kind: broken_links, homepage_points: 1, other_points: 0.1, cap: 10}
  - {id: d-typos, name: 错别字, kind: typos, points: 0.5, cap: 5, pairs: [{wrong: 再接再励, right: 再接再厉}]}
bonus: {name: 优秀创新案例, cap: 5}
"#;

    fn errors(text: &str) -> Vec<String> {
        match IndicatorSet::parse(text, "indicators.yaml") {
            Ok(_) => panic!("expected errors"),
            Err(e) => e.diagnostics().iter().map(ToString::to_string).collect(),
        }
    }

    /// BASE with one substring replaced; panics if the substring is not there, so a test
    /// cannot silently stop testing anything when BASE changes.
    fn with(from: &str, to: &str) -> String {
        assert!(BASE.contains(from), "BASE has no `{from}`");
        BASE.replacen(from, to, 1)
    }

    fn line_of(needle: &str) -> usize {
        BASE.lines()
            .position(|l| l.contains(needle))
            .expect("needle in BASE")
            + 1
    }

    #[test]
    fn base_parses_with_every_rule_kind() {
        let set = IndicatorSet::parse(BASE, "indicators.yaml").unwrap();
        assert_eq!(set.total, 10.0);
        assert_eq!(set.check_count(), 7);
        let Rule::Column(col) = &set.indicators[0].checks[0].rule else {
            panic!()
        };
        // The class's patterns and deadline were filled in.
        assert_eq!(col.patterns.len(), 2);
        assert_eq!(col.fresh_within, Some(14));
        assert_eq!(col.min_items, Some(10));
        let Rule::AnyOf(rules) = &set.indicators[0].checks[3].rule else {
            panic!()
        };
        assert!(matches!(&rules[1], Rule::AllOf(inner) if inner.len() == 3));
        assert!(matches!(
            set.indicators[1].checks[2].rule,
            Rule::Manual { .. }
        ));
        assert_eq!(set.vetoes.len(), 6);
        assert_eq!(set.bonus.cap, 5.0);
    }

    #[test]
    fn default_file_encodes_the_method() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators.yaml");
        let set = IndicatorSet::load(&path).unwrap();
        assert_eq!(set.total, 100.0);
        let names: Vec<(&str, f64)> = set
            .indicators
            .iter()
            .map(|i| (i.name.as_str(), i.points))
            .collect();
        assert_eq!(
            names,
            [
                ("信息发布", 25.0),
                ("解读回应", 10.0),
                ("办事服务", 25.0),
                ("互动交流", 15.0),
                ("管理保障", 15.0),
                ("功能推广", 10.0)
            ]
        );
        assert_eq!(
            (set.bonus.name.as_str(), set.bonus.cap),
            ("优秀创新案例", 5.0)
        );
        let kinds: Vec<&str> = set.vetoes.iter().map(|v| v.kind.name()).collect();
        assert_eq!(kinds, VETO_KINDS);
        for veto in &set.vetoes {
            match &veto.kind {
                VetoKind::SiteUnreachable {
                    timeout_secs,
                    failure_share,
                } => {
                    assert_eq!((*timeout_secs, *failure_share), (15.0, 0.05))
                }
                VetoKind::HomepageNotUpdated { max_age_days } => assert_eq!(*max_age_days, 14),
                VetoKind::ColumnsNotUpdated {
                    late_key_columns,
                    late_columns,
                    blank_columns,
                } => {
                    assert_eq!(
                        (*late_key_columns, *late_columns, *blank_columns),
                        (5, 10, 5)
                    )
                }
                VetoKind::ServicesUnusable {
                    elements,
                    missing_elements,
                    ..
                } => {
                    assert_eq!((elements.len(), *missing_elements), (10, 4))
                }
                VetoKind::PoorResponse {
                    max_unanswered_days,
                    ..
                } => assert_eq!(*max_unanswered_days, 90),
                VetoKind::SevereErrors { min_hits, .. } => assert_eq!(*min_hits, 1),
            }
        }
        let DeductionKind::BrokenLinks {
            homepage_points,
            other_points,
        } = set.deductions[0].kind
        else {
            panic!("first deduction is broken links")
        };
        assert_eq!((homepage_points, other_points), (1.0, 0.1));
        // Column deadlines of DOMAIN §2: 14 days for news, 180 for notices and policies.
        let deadline = |id: &str| set.column_class(id).unwrap().update_within;
        assert_eq!(
            (deadline("news"), deadline("notices"), deadline("policies")),
            (14, 180, 180)
        );
        assert_eq!(set.columns.iter().filter(|c| c.key).count(), 3);
        assert!(
            set.columns
                .iter()
                .filter(|c| !c.key)
                .all(|c| c.update_within == 365)
        );
    }

    #[test]
    fn unknown_keys_anywhere() {
        let e = errors(&with("total: 10", "total: 10\ntotals: 3"));
        assert_eq!(
            e,
            [
                "indicators.yaml:2:1: unknown key `totals` in the indicator file; did you mean `total`?"
            ]
        );
        let e = errors(&with("min_items: 10}", "min_item: 10}"));
        let line = line_of("min_items: 10}");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(&format!("indicators.yaml:{line}:")),
            "{e:?}"
        );
        assert!(
            e[0].contains("unknown key `min_item` in a `column` rule; did you mean `min_items`?"),
            "{e:?}"
        );
        // A key of one rule kind on another is unknown there.
        let e = errors(&with("{kind: https}", "{kind: https, scope: homepage}"));
        assert!(
            e[0].contains("unknown key `scope` in a `https` rule"),
            "{e:?}"
        );
    }

    #[test]
    fn wrong_types() {
        let e = errors(&with("points: 6", "points: six"));
        assert_eq!(
            e,
            [format!(
                "indicators.yaml:{}:13: `points` must be a number, found text",
                line_of("points: 6")
            )]
        );
        let e = errors(&with("max_age_days: 14", "max_age_days: 14.5"));
        assert!(
            e[0].contains("`max_age_days` must be a whole number, found a number"),
            "{e:?}"
        );
        let e = errors(&with(
            "bonus: {name: 优秀创新案例, cap: 5}",
            "bonus: [优秀创新案例, 5]",
        ));
        assert!(
            e[0].contains("`bonus` must be a mapping of keys to values, found a list"),
            "{e:?}"
        );
        let e = errors(&with("key: true", "key: yes please"));
        assert!(
            e[0].contains("`key` must be true or false, found text"),
            "{e:?}"
        );
        let e = errors(&with("tags: [SiteName, PubDate]", "tags: SiteName"));
        assert!(e[0].contains("`tags` must be a list, found text"), "{e:?}");
    }

    #[test]
    fn duplicate_ids() {
        let e = errors(&with("- id: info-text", "- id: info-news"));
        let line = line_of("- id: info-text");
        assert_eq!(
            e,
            [format!(
                "indicators.yaml:{line}:13: duplicate id `info-news` (first used at line {})",
                line_of("- id: info-news")
            )]
        );
        let e = errors(&with("id: d-typos", "id: v-home"));
        assert!(e[0].contains("duplicate id `v-home`"), "{e:?}");
        let e = errors(&with("- id: info-text", "- id: Info Text"));
        assert!(
            e[0].contains("id `Info Text` must start with a lowercase letter"),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_rule_veto_and_deduction_kinds() {
        let e = errors(&with("{kind: https}", "{kind: htps}"));
        assert_eq!(e.len(), 1, "{e:?}");
        let line = line_of("{kind: https}");
        assert!(
            e[0].starts_with(&format!(
                "indicators.yaml:{line}:26: unknown rule kind `htps`; did you mean `https`?"
            )),
            "{e:?}"
        );
        let e = errors(&with("kind: homepage_not_updated", "kind: homepage_stale"));
        assert!(e[0].contains("unknown veto kind `homepage_stale`"), "{e:?}");
        let e = errors(&with("kind: typos", "kind: spelling"));
        assert!(e[0].contains("unknown deduction kind `spelling`"), "{e:?}");
        let e = errors(&with("{kind: https}", "{scope: homepage}"));
        assert!(e[0].contains("rule is missing the key `kind`"), "{e:?}");
    }

    #[test]
    fn regexes_and_selectors_must_compile() {
        let e = errors(&with(r"pattern: '\d{10}'", "pattern: '(unclosed'"));
        let line = line_of(r"pattern: '\d{10}'");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(&format!("indicators.yaml:{line}:37: `pattern` `(unclosed` is not a valid regular expression: unclosed group")),
            "{e:?}"
        );
        let e = errors(&with("patterns: [要闻, 动态]", "patterns: [要闻, '[动态']"));
        assert!(
            e[0].contains("a pattern in `patterns` `[动态` is not a valid regular expression"),
            "{e:?}"
        );
        let e = errors(&with(
            r#"selector: 'meta[name="viewport"]'"#,
            "selector: 'meta[name='",
        ));
        assert!(e[0].contains("is not a valid CSS selector"), "{e:?}");
        let e = errors(&with(
            r#"selector: 'meta[name="viewport"]'"#,
            "selector: 'div >> p'",
        ));
        assert!(
            e[0].contains("`div >> p` is not a valid CSS selector"),
            "{e:?}"
        );
    }

    #[test]
    fn points_must_add_up() {
        let e = errors(&with(
            "points: 1.5\n        rule: {kind: manual",
            "points: 1\n        rule: {kind: manual",
        ));
        assert_eq!(
            e,
            [format!(
                "indicators.yaml:{}:13: the checks of `more` (其他) add up to 3.5 points, but the indicator has 4",
                line_of("points: 4")
            )]
        );
        let e = errors(&with("total: 10", "total: 100"));
        assert_eq!(
            e,
            [
                "indicators.yaml:1:8: the first-level indicators add up to 10 points, but `total` is 100"
            ]
        );
        // Decimal points add up without float noise: 0.1 + 0.2 == 0.3.
        let text = with(
            "points: 1.5\n        rule: {kind: guide",
            "points: 0.3\n        rule: {kind: guide",
        )
        .replace(
            "points: 1.5\n        rule: {kind: manual",
            "points: 2.7\n        rule: {kind: manual",
        );
        IndicatorSet::parse(&text, "x").unwrap();
    }

    #[test]
    fn thresholds_must_be_positive_and_coherent() {
        let e = errors(&with("max_age_days: 14", "max_age_days: 0"));
        assert!(
            e[0].contains("`max_age_days` must be a whole number of at least 1, found 0"),
            "{e:?}"
        );
        let e = errors(&with("timeout_secs: 15", "timeout_secs: -15"));
        assert!(
            e[0].contains("`timeout_secs` must be greater than zero, found -15"),
            "{e:?}"
        );
        let e = errors(&with("failure_share: 0.05", "failure_share: 5"));
        assert!(e[0].contains("at most 1 (write 5% as 0.05)"), "{e:?}");
        let e = errors(&with("cap: 10", "cap: 0"));
        assert!(e[0].contains("`cap` must be greater than zero"), "{e:?}");
        let e = errors(&with(
            "points: 2\n        rule: {kind: column",
            "points: -2\n        rule: {kind: column",
        ));
        assert!(
            e.iter()
                .any(|m| m.contains("`points` must be greater than zero, found -2")),
            "{e:?}"
        );
        let e = errors(&with("p10_ms: 1000", "p10_ms: 5000"));
        assert!(
            e[0].contains("`p10_ms` (5000) must be below `median_ms` (3000)"),
            "{e:?}"
        );
        let e = errors(&with("missing_elements: 4", "missing_elements: 5"));
        assert!(
            e[0].contains("`missing_elements` is 5, but only 4 elements are listed"),
            "{e:?}"
        );
        let e = errors(&with(
            "bonus: {name: 优秀创新案例, cap: 5}",
            "bonus: {name: 优秀创新案例, cap: -5}",
        ));
        assert!(
            e[0].contains("`cap` must be greater than zero, found -5"),
            "{e:?}"
        );
    }

    #[test]
    fn column_rules_need_a_known_class_or_patterns() {
        let e = errors(&with("class: news, min_items", "class: newz, min_items"));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("unknown column class `newz`; the `columns` section defines: news"),
            "{e:?}"
        );
        let e = errors(&with("class: news, min_items", "min_items"));
        assert!(
            e[0].contains("a `column` rule needs `class` (a column class id) or `patterns`"),
            "{e:?}"
        );
    }

    #[test]
    fn phrase_and_typo_lists_can_live_in_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("severe.txt"),
            "# 严重错误\n国务院总理李克墙\n\n习进平\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("typos.txt"),
            "再接再励 → 再接再厉\n震憾 -> 震撼\n不成对\n",
        )
        .unwrap();
        let text = with("phrases: [错误短语]", "phrases_file: severe.txt").replace(
            "pairs: [{wrong: 再接再励, right: 再接再厉}]",
            "pairs_file: typos.txt",
        );
        let path = dir.path().join("indicators.yaml");
        std::fs::write(&path, &text).unwrap();
        let err = IndicatorSet::load(&path).unwrap_err();
        let msgs: Vec<String> = err.diagnostics().iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(
            msgs[0]
                .ends_with("typos.txt:3: `不成对` is not `wrong → right` (`->` and `=>` work too)"),
            "{msgs:?}"
        );

        std::fs::write(
            dir.path().join("typos.txt"),
            "再接再励 → 再接再厉\n震憾 -> 震撼\n",
        )
        .unwrap();
        let set = IndicatorSet::load(&path).unwrap();
        let VetoKind::SevereErrors { phrases, .. } = &set.vetoes[3].kind else {
            panic!()
        };
        assert_eq!(phrases, &["国务院总理李克墙", "习进平"]);
        let DeductionKind::Typos { pairs, .. } = &set.deductions[1].kind else {
            panic!()
        };
        assert_eq!(pairs.len(), 2);

        std::fs::remove_file(dir.path().join("severe.txt")).unwrap();
        let msgs: Vec<String> = IndicatorSet::load(&path)
            .unwrap_err()
            .diagnostics()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            msgs[0].contains("`phrases_file` `severe.txt` cannot be read"),
            "{msgs:?}"
        );
    }

    #[test]
    fn manual_rules_stand_alone() {
        let e = errors(&with(
            "                - {kind: https}",
            "                - {kind: manual}",
        ));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("a `manual` rule cannot be combined in `all_of`"),
            "{e:?}"
        );
    }

    #[test]
    fn a_veto_kind_appears_once() {
        let e = errors(&with(
            "  - {id: v-home,",
            "  - {id: v-home2, name: 又一个, kind: homepage_not_updated, max_age_days: 7}\n  - {id: v-home,",
        ));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("a second `homepage_not_updated` veto (the first is at line"),
            "{e:?}"
        );
    }

    #[test]
    fn every_problem_is_reported_in_one_pass() {
        let text = with("total: 10", "total: 10\nextra: 1")
            .replace("{kind: https}", "{kind: htps}")
            .replace(r"pattern: '\d{10}'", "pattern: '(x'")
            .replace("max_age_days: 14", "max_age_days: -1")
            .replace("- id: info-text", "- id: info-news");
        let e = errors(&text);
        assert_eq!(e.len(), 5, "{e:?}");
        // Reported in file order.
        let lines: Vec<usize> = e
            .iter()
            .map(|m| m.split(':').nth(1).unwrap().parse().unwrap())
            .collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    }

    #[test]
    fn malformed_yaml_and_wrong_shapes_do_not_panic() {
        for text in [
            "",
            "- just\n- a list\n",
            "total: [\n",
            "total: 100\nindicators: 5\ncolumns: {}\nvetoes: []\ndeductions: x\nbonus: 1\n",
            "indicators:\n  - 1\n  - [a]\n  - {id: 5}\n",
            "\u{0}\u{1}binary",
            "a: &x [*x]\n",
            "? [a, b]\n: c\n",
        ] {
            let e = errors(text);
            assert!(!e.is_empty());
            for m in &e {
                assert!(m.starts_with("indicators.yaml:"), "{m}");
            }
        }
    }
}
