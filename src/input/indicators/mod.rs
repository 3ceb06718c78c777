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
//! The types are here; `load/` turns the file's node tree into them, and `kinds.rs` holds
//! the closed sets of rule, veto and deduction kinds with their parameters.

mod kinds;
mod load;
#[cfg(test)]
mod tests;

use std::path::Path;

use aho_corasick::AhoCorasick;
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
    /// The scored first-level indicators in file order; their points add up to `total`.
    pub indicators: Vec<Indicator>,
    /// Column classes: the columns a portal must keep up to date, with their deadlines.
    pub columns: Vec<ColumnClass>,
    /// The single-item vetoes, at most one of each kind.
    pub vetoes: Vec<Veto>,
    /// Taken from the indicators' sum (never below zero) before the bonus is added.
    pub deductions: Vec<Deduction>,
    /// The bonus for excellent innovation cases, added last.
    pub bonus: Bonus,
    /// How pages are read before any check: what names a column, what makes a page blank.
    pub pages: PageSettings,
    /// The key elements of a service guide and how many make a page a guide.
    pub guides: Guides,
    /// The province's integrated service platform, crawled on its own small budget.
    pub platform: Platform,
    /// The severe-problem detectors (the `severe` section): findings an evaluator confirms.
    pub severe: Severe,
}

/// The `severe` section: detectors of severe problems (严重问题) whose findings flag a site
/// for an evaluator to verify; a finding vetoes only once confirmed (or with `auto_veto`).
#[derive(Debug, Clone, PartialEq)]
pub struct Severe {
    /// Words of gambling, pornographic, medical and other spam: a finding whose links or
    /// text carry one is of high severity.
    pub spam_words: WordSet,
    /// Hosts whose links and scripts are part of a government site (conac, the 找错
    /// service, statistics), lower-case; each covers its subdomains.
    pub trusted_hosts: Vec<String>,
    /// Hidden blocks of links to other sites (暗链).
    pub hidden_links: Detector,
    /// At least this many hidden links to other sites make a block a finding (one spam
    /// word always does).
    pub hidden_links_min: u32,
    /// Spam in what readers and search engines see: links to other sites, the head, the text.
    pub spam_content: Detector,
    /// Different spam words that make a page's visible text a finding by themselves.
    pub spam_content_min_words: u32,
    /// Titles that no longer carry the name the site's titles carry.
    pub title_drift: Detector,
    /// Titled pages a site needs before its titles' name is judged.
    pub title_drift_min_pages: u32,
    /// The share of a page's siblings that must carry the name for its absence to count.
    pub title_drift_min_share: f64,
    /// Scripts from hosts outside gov.cn, the site and the trusted hosts.
    pub external_scripts: Detector,
    /// Identity and mobile numbers on pages of public notices and name lists.
    pub personal_data: Detector,
    /// Words of a page's title that make it a notice or a list of people (公示, 名单).
    pub personal_data_pages: Vec<String>,
    /// Items and articles dated after the evaluation date (伪造发稿日期).
    pub future_dates: Detector,
}

impl Severe {
    /// Whether `host` is one of the trusted hosts or under one.
    pub fn trusts(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.trusted_hosts.iter().any(|t| {
            host == *t
                || host
                    .strip_suffix(t.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }

    /// The spam words `text` carries, in list order.
    pub fn spam_in<'s>(&'s self, text: &str) -> Vec<&'s str> {
        self.spam_words.present(text)
    }
}

/// Regular expressions of which any may match (a column's spellings, a veto's channels).
/// They are tried as one `RegexSet` as well: a site's link texts are tested against each
/// list, and one search of a text costs less than one per pattern. (A set, not one
/// alternation `(?:a)|(?:b)`: a `(?x)` comment in one pattern would swallow the next.)
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    list: Vec<Regex>,
    /// `None` for no patterns, or when the set would not compile (beyond the size limit:
    /// the patterns are then tried one by one).
    any: Option<regex::RegexSet>,
}

impl Patterns {
    /// The patterns as the indicator file lists them.
    pub fn new(list: Vec<Regex>) -> Self {
        let any = (!list.is_empty())
            .then(|| regex::RegexSet::new(list.iter().map(Regex::as_str)).ok())
            .flatten();
        Self { list, any }
    }

    /// Whether any of the patterns matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        match &self.any {
            Some(any) => any.is_match(text),
            None => self.list.iter().any(|p| p.is_match(text)),
        }
    }

    /// The patterns, in the file's order.
    pub fn list(&self) -> &[Regex] {
        &self.list
    }

    /// No patterns: a column rule naming a class takes the class's.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Words looked for together: one Aho-Corasick pass tells which of them a text carries,
/// where a search per word reads a page's whole text once for each of them (three dozen
/// spam words and guide headings, on every page).
#[derive(Debug, Clone)]
pub struct WordSet {
    words: Vec<String>,
    /// `None` for no words (nothing to find).
    matchers: Option<Matchers>,
}

#[derive(Debug, Clone)]
struct Matchers {
    /// Leftmost-first, which runs a vectorised prefilter: finds where the first word starts,
    /// and on most pages that there is none.
    first: AhoCorasick,
    /// Standard semantics, searched overlapping: every occurrence of every word, words
    /// inside or across other words included, as a search per word would find them.
    all: AhoCorasick,
}

impl WordSet {
    /// The words as the indicator file lists them.
    pub fn new(words: Vec<String>) -> Self {
        let matchers = (!words.is_empty())
            .then(|| {
                Some(Matchers {
                    first: AhoCorasick::builder()
                        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                        .build(&words)
                        .ok()?,
                    all: AhoCorasick::new(&words).ok()?,
                })
            })
            .flatten();
        Self { words, matchers }
    }

    /// Every occurrence of every word in `text`: the word's index in the list and where
    /// it starts and ends.
    pub fn occurrences<'t>(
        &'t self,
        text: &'t str,
    ) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + 't {
        // No occurrence starts before the leftmost match: the overlapping search (which
        // reads every byte) starts there, and pages without any word skip it.
        let from = self
            .matchers
            .as_ref()
            .and_then(|m| Some((m, m.first.find(text)?.start())));
        from.into_iter().flat_map(move |(m, from)| {
            m.all
                .find_overlapping_iter(&text[from..])
                .map(move |o| (o.pattern().as_usize(), from + o.start()..from + o.end()))
        })
    }

    /// The words, in the indicator file's order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Whether `text` carries any of the words.
    pub fn any_in(&self, text: &str) -> bool {
        self.matchers
            .as_ref()
            .is_some_and(|m| m.first.is_match(text))
    }

    /// The words `text` carries, in list order.
    pub fn present(&self, text: &str) -> Vec<&str> {
        let mut seen = vec![false; self.words.len()];
        for (word, _) in self.occurrences(text) {
            seen[word] = true;
        }
        self.words
            .iter()
            .zip(seen)
            .filter(|(_, seen)| *seen)
            .map(|(w, _)| w.as_str())
            .collect()
    }
}

/// Two lists are the same when their words are, in the same order.
impl PartialEq for WordSet {
    fn eq(&self, other: &Self) -> bool {
        self.words == other.words
    }
}

impl Eq for WordSet {}

/// Whether a detector runs, and whether its findings veto without an evaluator's word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detector {
    /// The detector runs.
    pub enabled: bool,
    /// Its findings veto at once, unconfirmed.
    pub auto_veto: bool,
}

/// The page model's thresholds (the `pages` section).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSettings {
    /// A link names a column only when its text is at most this many characters (and has no
    /// sentence punctuation); a longer text is a headline.
    pub column_name_max_chars: u32,
    /// Chinese characters of main text that make a page content, never a blank column.
    pub blank_min_text_chars: u32,
}

/// A key element of a service guide (办事指南) and the headings real guides write it under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideElement {
    /// The element's name in evidence (申请条件).
    pub name: String,
    /// Every heading that names it (申请条件, 受理条件, 办理条件), the name among them.
    pub synonyms: Vec<String>,
}

/// The `guides` section: what a service guide must show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guides {
    /// Elements shown with a value that make a page a guide.
    pub min_elements: u32,
    /// The key elements, in the order evidence lists them.
    pub elements: Vec<GuideElement>,
    /// Every element's headings, searched for together on every page.
    pub headings: WordSet,
    /// The element (its index in `elements`) each of `headings` names.
    pub heading_element: Vec<usize>,
}

impl Guides {
    /// The section with its headings gathered for the search, once per method.
    pub fn new(min_elements: u32, elements: Vec<GuideElement>) -> Self {
        let (heading_element, headings): (Vec<usize>, Vec<String>) = elements
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.synonyms.iter().map(move |h| (i, h.clone())))
            .unzip();
        Self {
            min_elements,
            elements,
            headings: WordSet::new(headings),
            heading_element,
        }
    }
}

/// The `platform` section: the province's 一体化政务服务平台, where guides live.
#[derive(Debug, Clone)]
pub struct Platform {
    /// Hosts that are the platform (regular expressions over the host name).
    pub hosts: Patterns,
    /// Pages fetched from the platform per site.
    pub max_pages: u32,
    /// Link depth from the first platform page a portal links to.
    pub max_depth: u32,
}

/// A first-level indicator (一级指标).
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Unique in the whole file (a-z, 0-9, `-`, `_`); names the indicator in results.json.
    pub id: String,
    /// The Chinese name (信息发布) that heads the indicator's column in the ranked tables.
    pub name: String,
    /// The most the indicator can earn; its checks' points add up to this.
    pub points: f64,
    /// The second-level checks, in file order.
    pub checks: Vec<Check>,
}

/// A second-level check (二级指标) and the rule that decides its points.
#[derive(Debug, Clone)]
pub struct Check {
    /// Unique in the whole file; names the check in results.json, `govscore explain` and the
    /// manual points file.
    pub id: String,
    /// The Chinese name (要闻动态) shown with the check's points and evidence.
    pub name: String,
    /// The most the check can earn; a site earns the fraction its rule yields.
    pub points: f64,
    /// Decides the fraction of `points` a site earns.
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
    Text {
        /// Matched anywhere in the text; with the footer scope, in the footer's text alone.
        pattern: Regex,
        /// Which pages are looked at: any of the four scopes.
        scope: PageScope,
    },
    /// A CSS selector that must match an element.
    Selector {
        /// The compiled selector; extraction tests it on every page (see `index`).
        selector: Box<Selector>,
        /// The selector as written in the file, for evidence notes.
        source: String,
        /// Homepage, any page or every page (the footer scope is not accepted).
        scope: PageScope,
        /// Position in [`IndicatorSet::selectors`]: extraction tests every selector of the
        /// file on each page once, and scoring reads the answer by this index.
        index: usize,
    },
    /// A link whose target host matches `host` (and whose anchor text matches `text`, if given).
    LinkTo {
        /// Matched against the host of each link's target, e.g. `zwfw\.gov\.cn$`.
        host: Regex,
        /// Matched against the link's anchor text; `None` accepts any text.
        text: Option<Regex>,
        /// Homepage, footer (links in the footer only) or any page.
        scope: PageScope,
    },
    /// The share of crawled pages served over HTTPS.
    Https,
    /// Homepage load time on a log-normal curve, as Lighthouse scores metrics: 0.9 at
    /// `p10_ms`, 0.5 at `median_ms`.
    LoadTime {
        /// Milliseconds that score 0.9; below `median_ms`.
        p10_ms: f64,
        /// Milliseconds that score 0.5; compared with the median of the homepage's loads.
        median_ms: f64,
    },
    /// Links that work: full credit with none broken, falling linearly to zero when the
    /// broken share of checked links reaches `zero_at_share`.
    LinkHealth {
        /// The broken share (above 0, at most 1; 5% is 0.05) at which the rule yields zero.
        zero_at_share: f64,
    },
    /// Article pages carrying the given meta tags, with `SiteIDCode` equal to the footer's
    /// 网站标识码; the fraction is the share of such pages.
    MetaConsistency {
        /// The `<meta name=...>` names an article page must carry, e.g. `SiteIDCode`, `PubDate`.
        tags: Vec<String>,
    },
    /// Guide pages (by the page model) showing at least `min_elements` of the `guides`
    /// section's elements with values; the fraction is the share of such guides.
    GuideElements {
        /// Elements a guide must show with values to pass; at most their number.
        min_elements: u32,
    },
    /// Points an evaluator awards by hand, read from the evaluators' file by the check's id.
    Manual {
        /// What the evaluator is to judge (答复质量), for readers of the file; scoring ignores it.
        note: Option<String>,
    },
    /// The best of its rules.
    AnyOf(Vec<Rule>),
    /// The mean of its rules: each weighs equally, so meeting two of three earns two thirds.
    AllOf(Vec<Rule>),
}

impl Rule {
    /// The kind the indicator file names this rule by.
    pub fn kind(&self) -> RuleKind {
        match self {
            Rule::Column(_) => RuleKind::Column,
            Rule::Text { .. } => RuleKind::Text,
            Rule::Selector { .. } => RuleKind::Selector,
            Rule::LinkTo { .. } => RuleKind::LinkTo,
            Rule::Https => RuleKind::Https,
            Rule::LoadTime { .. } => RuleKind::LoadTime,
            Rule::LinkHealth { .. } => RuleKind::LinkHealth,
            Rule::MetaConsistency { .. } => RuleKind::MetaConsistency,
            Rule::GuideElements { .. } => RuleKind::GuideElements,
            Rule::Manual { .. } => RuleKind::Manual,
            Rule::AnyOf(_) => RuleKind::AnyOf,
            Rule::AllOf(_) => RuleKind::AllOf,
        }
    }

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

/// A `column` rule: which column to look for and what its list page must show. After
/// loading, a rule naming a class has that class's patterns and deadline unless it gave its own.
#[derive(Debug, Clone)]
pub struct ColumnRule {
    /// The column class this rule refers to, if any; its patterns and deadline apply unless
    /// the rule gives its own.
    pub class: Option<String>,
    /// Anchor-text patterns; a link whose text matches any of them is the column.
    pub patterns: Patterns,
    /// Days within which the newest item must fall; `None` means freshness is not scored.
    pub fresh_within: Option<u32>,
    /// Dated items the list page must show for full credit; fewer earn a proportional share.
    pub min_items: Option<u32>,
}

/// Which pages a text, selector or link rule looks at (a crawl's reach is
/// [`crate::urls::SiteScope`], a different thing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageScope {
    /// The homepage alone, footer included.
    Homepage,
    /// The homepage's footer (底部功能区), where the identifiers live.
    Footer,
    /// Full credit when any crawled page matches.
    AnyPage,
    /// The share of crawled pages that match.
    EveryPage,
    /// The share of the portal's article pages (by the page model) that match: what article
    /// pages must carry (a PubDate tag) is not asked of lists and the homepage.
    Articles,
}

impl PageScope {
    /// Every scope, for messages.
    pub const ALL: [PageScope; 5] = [
        PageScope::Homepage,
        PageScope::Footer,
        PageScope::AnyPage,
        PageScope::EveryPage,
        PageScope::Articles,
    ];

    /// The name the indicator file uses.
    pub fn as_str(self) -> &'static str {
        match self {
            PageScope::Homepage => "homepage",
            PageScope::Footer => "footer",
            PageScope::AnyPage => "any_page",
            PageScope::EveryPage => "every_page",
            PageScope::Articles => "articles",
        }
    }
}

/// A class of columns with the deadline within which it must be updated (DOMAIN §2: news 14
/// days, notices and policies 180, the rest 365).
#[derive(Debug, Clone)]
pub struct ColumnClass {
    /// What column rules name in `class`; unique in the whole file.
    pub id: String,
    /// The Chinese name of the class, e.g. 通知公告.
    pub name: String,
    /// Spellings of the column's link text; a match anywhere in the anchor text counts.
    pub patterns: Patterns,
    /// Days within which the column must have a new item; the default `fresh_within` of
    /// column rules naming the class.
    pub update_within: u32,
    /// Counted by the columns veto's "key columns late" threshold (动态/要闻, 通知公告, 政策文件).
    pub key: bool,
}

/// A single-item veto (单项否决): a site that trips one is 不合格 whatever its points.
#[derive(Debug, Clone)]
pub struct Veto {
    /// Unique in the whole file; names the veto in results.json.
    pub id: String,
    /// The Chinese name listed after 不合格 (首页不更新).
    pub name: String,
    /// What trips the veto, with its thresholds.
    pub rule: VetoRule,
}

/// What trips a veto, with its thresholds.
#[derive(Debug, Clone)]
pub enum VetoRule {
    /// 站点无法访问: the homepage does not open within `timeout_secs`; with repeated probes,
    /// the share of failed visits reaches `failure_share`.
    SiteUnreachable {
        /// Seconds a homepage visit may take before it counts as failed.
        timeout_secs: f64,
        /// The share of failed visits (at most 1; 5% is 0.05) that trips the veto.
        failure_share: f64,
    },
    /// 首页不更新: the newest dated item on the homepage is older than this.
    HomepageNotUpdated {
        /// Days the newest item may be older than the evaluation date; no dated item trips it.
        max_age_days: u32,
    },
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
    SevereErrors {
        /// Plain text, not regular expressions: `phrases` and `phrases_file` together.
        phrases: Vec<String>,
        /// Finds that trip the veto; a phrase counts once for each page it is on.
        min_hits: u32,
    },
    /// 互动回应差: no consultation channel found, or a listed message unanswered too long.
    PoorResponse {
        /// Anchor-text patterns of the channels (信箱, 留言, ...); their list pages are read too.
        channel_patterns: Patterns,
        /// Days a listed message marked as unanswered (未回复, 待答复, ...) may wait.
        max_unanswered_days: u32,
    },
    /// 服务不实用: no services entry, or `min_failing_guides` or more guides each missing
    /// `missing_elements` or more of the `guides` section's elements.
    ServicesUnusable {
        /// Anchor-text patterns of the 办事服务 entry; finding none trips the veto.
        entry_patterns: Patterns,
        /// A guide lacking this many elements or more fails.
        missing_elements: u32,
        /// Failing guides (事项) that trip the veto; fewer cost points, not the veto.
        min_failing_guides: u32,
    },
}

impl VetoRule {
    /// The kind this rule was read as; a file may have one veto of each kind.
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
    /// Unique in the whole file; names the deduction in results.json.
    pub id: String,
    /// The Chinese name (错链断链) shown with the points taken.
    pub name: String,
    /// The most points this deduction takes from one site.
    pub cap: f64,
    /// What is counted, and the points per item.
    pub rule: DeductionRule,
}

/// What a deduction counts, and at what rate.
#[derive(Debug, Clone)]
pub enum DeductionRule {
    /// Broken links: one rate for links on the homepage, another for the rest.
    BrokenLinks {
        /// Points per broken link on the homepage.
        homepage_points: f64,
        /// Points per broken link on any other crawled page.
        other_points: f64,
    },
    /// Known misspellings (`wrong` → `right`) found in page text.
    Typos {
        /// Points per find; a misspelling counts once for each page it is on.
        points: f64,
        /// `pairs` and `pairs_file` together.
        pairs: Vec<Typo>,
        /// The pairs' wrong spellings, found on a page in one pass.
        wrong: WordSet,
    },
}

impl DeductionRule {
    /// The kind this rule was read as, whose [`Kind::name`] the file uses.
    pub fn kind(&self) -> DeductionKind {
        match self {
            DeductionRule::BrokenLinks { .. } => DeductionKind::BrokenLinks,
            DeductionRule::Typos { .. } => DeductionKind::Typos,
        }
    }
}

/// A known misspelling and its correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typo {
    /// Looked for as plain text on every crawled page; never empty.
    pub wrong: String,
    /// The correct spelling, shown beside the wrong one in the evidence.
    pub right: String,
}

/// 优秀创新案例: points from the evaluators' cases file, capped per site.
#[derive(Debug, Clone)]
pub struct Bonus {
    /// The bonus's name (优秀创新案例), as `govscore check` prints it.
    pub name: String,
    /// The most bonus points one site gets, whatever its cases add up to.
    pub cap: f64,
}

impl IndicatorSet {
    /// Reads and validates an indicator file; list files it names (`phrases_file`,
    /// `pairs_file`) are read relative to its folder.
    pub fn load(path: &Path) -> Result<Self, InputError> {
        let text = read_text(path)?;
        Self::parse_in(&text, &path.display().to_string(), path.parent())
    }

    /// Reads and validates the indicator file of `source`, a file or the built-in method.
    pub fn load_source(source: &super::Source) -> Result<Self, InputError> {
        let text = source.read()?;
        Self::parse_in(&text, &source.shown(), source.folder())
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
    pub fn selectors(&self) -> Vec<(&Selector, &str)> {
        fn walk<'a>(rule: &'a Rule, out: &mut Vec<(&'a Selector, &'a str)>) {
            if let Rule::Selector {
                selector, source, ..
            } = rule
            {
                out.push((selector, source));
            }
            rule.parts().iter().for_each(|r| walk(r, out));
        }
        let mut out = Vec::new();
        for check in self.indicators.iter().flat_map(|i| &i.checks) {
            walk(&check.rule, &mut out);
        }
        out
    }

    /// The column class with id `id`; `None` when the file defines none.
    pub fn column_class(&self, id: &str) -> Option<&ColumnClass> {
        self.columns.iter().find(|c| c.id == id)
    }
}
