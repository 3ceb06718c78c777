//! Loading `indicators.yaml`: the YAML node tree walked into the typed method, every value
//! checked where it is read and reported at its `line:col`. This file holds the walk's frame
//! (the file's sections, ids, names and the value checks every section shares);
//! [`pages`] reads the page model's sections, [`rules`] a check's rule and [`vetoes`] the
//! vetoes, deductions and bonus.

mod pages;
mod rules;
mod vetoes;

use std::collections::HashMap;

use regex::Regex;
use scraper::Selector;

use super::super::diagnostic::{Diagnostics, InputError, read_text};
use super::super::yaml::{self, Loc, MapReader, Node, Value};
use super::{Check, ColumnClass, Indicator, IndicatorSet, Kind, PageScope, Patterns, Rule};
use crate::points::fmt_points;

/// Points are decimals in the file; sums are compared with this tolerance so that `0.1 + 0.2`
/// adds up to `0.3`.
const POINTS_EPSILON: f64 = 1e-6;

/// A list file's name as shown in messages, and its lines with their numbers.
type ListFile = (String, Vec<(usize, String)>);

/// Walks the node tree into typed values, reporting as it goes. Each method returns `None`
/// when its part could not be built; the caller carries on with the rest so that every
/// problem of the file is found.
pub(super) struct Loader<'d> {
    diags: &'d mut Diagnostics,
    /// Every id with where it was first defined: ids name indicators, checks, columns,
    /// vetoes and deductions in results and in `explain`, so one namespace keeps them apart.
    ids: HashMap<String, Loc>,
    /// Column rules that name a class, resolved once all classes are known.
    class_refs: Vec<(String, Loc)>,
    /// The folder list files are relative to.
    base: Option<std::path::PathBuf>,
    /// How many guide elements the `guides` section lists, once it is read.
    guide_count: Option<usize>,
}

impl<'d> Loader<'d> {
    pub(super) fn new(diags: &'d mut Diagnostics, base: Option<std::path::PathBuf>) -> Self {
        Self {
            diags,
            ids: HashMap::new(),
            class_refs: Vec::new(),
            base,
            guide_count: None,
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

    pub(super) fn root(mut self, root: &Node) -> Option<IndicatorSet> {
        let m = root.map(
            self.diags,
            "the indicator file",
            &[
                "total",
                "pages",
                "guides",
                "platform",
                "severe",
                "columns",
                "indicators",
                "vetoes",
                "deductions",
                "bonus",
            ],
        )?;
        let total = m.positive("total", true, self.diags);
        // The page model's sections first: rules and vetoes count the guide elements.
        let pages = self.pages(&m);
        let guides = self.guides(&m);
        self.guide_count = guides.as_ref().map(|g| g.elements.len());
        let platform = self.platform(&m);
        let severe = self.severe(&m);
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
            self.check_sum(&m, "total", sum, total, |sum, total| {
                format!("the first-level indicators add up to {sum} points, but `total` is {total}")
            });
        }
        Some(IndicatorSet {
            total,
            indicators,
            columns,
            vetoes: vetoes?,
            deductions: deductions?,
            bonus: bonus?,
            pages: pages?,
            guides: guides?,
            platform: platform?,
            severe: severe?,
        })
    }

    /// Reports, at `key`, parts whose points do not add up to their whole; `message` is given
    /// both sums as written.
    fn check_sum(
        &mut self,
        m: &MapReader,
        key: &str,
        sum: f64,
        whole: f64,
        message: impl FnOnce(String, String) -> String,
    ) {
        if (sum - whole).abs() > POINTS_EPSILON {
            let loc = m.get(key).map_or(m.loc(), |n| n.loc);
            self.error(loc, message(fmt_points(sum), fmt_points(whole)));
        }
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
        self.check_sum(&m, "points", sum, points, |sum, points| {
            format!("the checks of `{id}` ({name}) add up to {sum} points, but the indicator has {points}")
        });
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
    fn kind<K: Kind>(&mut self, node: &Node, what: &str) -> Option<K> {
        let Value::Map(entries) = &node.value else {
            node.map(self.diags, what, &[]);
            return None;
        };
        let known = K::names();
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
        let name = value.str(self.diags, "`kind`")?;
        let Some(kind) = K::parse(name) else {
            let hint = match yaml::closest(name, &known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("known kinds: {}", known.join(", ")),
            };
            self.error(value.loc, format!("unknown {what} kind `{name}`; {hint}"));
            return None;
        };
        Some(kind)
    }

    /// The mapping of a rule, veto or deduction of `kind`: its `kind`, the keys `common` to
    /// every item of its section, and the kind's own parameters.
    fn kind_map<'n, K: Kind>(
        &mut self,
        node: &'n Node,
        what: &str,
        kind: K,
        common: &[&str],
    ) -> Option<MapReader<'n>> {
        let allowed: Vec<&str> = common
            .iter()
            .chain(["kind"].iter())
            .chain(kind.params())
            .copied()
            .collect();
        node.map(self.diags, what, &allowed)
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
    fn count_within(&mut self, m: &MapReader, key: &str, of: Option<usize>) -> Option<u32> {
        let v = m.positive_int(key, true, self.diags)?;
        if let Some(of) = of
            && v as usize > of
        {
            let loc = m.get(key).map_or(m.loc(), |n| n.loc);
            self.error(
                loc,
                format!("`{key}` is {v}, but only {of} elements are listed"),
            );
            return None;
        }
        Some(v)
    }

    /// A whole number of at least 1 that may be left out for `default`.
    fn int_or(&mut self, m: &MapReader, key: &str, default: u32) -> Option<u32> {
        match m.get(key) {
            None => Some(default),
            Some(_) => m.positive_int(key, true, self.diags),
        }
    }

    /// A rule's `scope`, one of the scopes that kind of rule can look at.
    fn scope(&mut self, m: &MapReader, allowed: &[PageScope]) -> Option<PageScope> {
        let node = m.required("scope", self.diags)?;
        let name = node.str(self.diags, "`scope`")?;
        if let Some(scope) = allowed.iter().copied().find(|s| s.as_str() == name) {
            return Some(scope);
        }
        let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        let hint = yaml::closest(name, &names).map(|near| format!("; did you mean `{near}`?"));
        self.error(
            node.loc,
            format!(
                "this rule's `scope` must be one of: {}; found `{name}`{}",
                names.join(", "),
                hint.unwrap_or_default()
            ),
        );
        None
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

    fn patterns(&mut self, node: &Node, what: &str) -> Option<Patterns> {
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
        compiled
            .into_iter()
            .collect::<Option<_>>()
            .map(Patterns::new)
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
