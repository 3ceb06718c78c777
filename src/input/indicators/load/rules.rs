//! A check's `rule`: its kind read first, then the parameters that kind takes, each
//! checked (regexes and selectors compiled, thresholds coherent).

use super::super::super::yaml::Node;
use super::super::{ColumnRule, Kind, PageScope, Rule, RuleKind};
use super::Loader;

impl Loader<'_> {
    /// A check's rule, whose `kind` decides its parameters.
    pub(in super::super) fn rule(&mut self, node: &Node) -> Option<Rule> {
        let kind: RuleKind = self.kind(node, "rule")?;
        let m = self.kind_map(node, &format!("a `{}` rule", kind.name()), kind, &[])?;
        let d = &mut *self.diags;
        match kind {
            RuleKind::Column => {
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
            RuleKind::Text => {
                let pattern = m
                    .required("pattern", d)
                    .and_then(|n| self.regex(n, "`pattern`"));
                let scope = self.scope(&m, &PageScope::ALL);
                Some(Rule::Text {
                    pattern: pattern?,
                    scope: scope?,
                })
            }
            RuleKind::Selector => {
                let selector = m.required("selector", d).and_then(|n| self.selector(n));
                let scope = self.scope(
                    &m,
                    &[
                        PageScope::Homepage,
                        PageScope::AnyPage,
                        PageScope::EveryPage,
                        PageScope::Articles,
                    ],
                );
                let (selector, source) = selector?;
                Some(Rule::Selector {
                    selector: Box::new(selector),
                    source,
                    scope: scope?,
                    index: 0,
                })
            }
            RuleKind::LinkTo => {
                let host = m.required("host", d).and_then(|n| self.regex(n, "`host`"));
                let text = match m.get("text") {
                    Some(n) => Some(self.regex(n, "`text`")?),
                    None => None,
                };
                let scope = self.scope(
                    &m,
                    &[PageScope::Homepage, PageScope::Footer, PageScope::AnyPage],
                );
                Some(Rule::LinkTo {
                    host: host?,
                    text,
                    scope: scope?,
                })
            }
            RuleKind::Https => Some(Rule::Https),
            RuleKind::LoadTime => {
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
            RuleKind::LinkHealth => {
                let share = self.share(&m, "zero_at_share")?;
                Some(Rule::LinkHealth {
                    zero_at_share: share,
                })
            }
            RuleKind::MetaConsistency => {
                let tags = self.words(&m, "tags")?;
                Some(Rule::MetaConsistency { tags })
            }
            RuleKind::GuideElements => {
                let of = self.guide_count;
                let min = self.count_within(&m, "min_elements", of);
                Some(Rule::GuideElements { min_elements: min? })
            }
            RuleKind::Manual => Some(Rule::Manual {
                note: m.opt_str("note", d).map(str::to_owned),
            }),
            RuleKind::AnyOf | RuleKind::AllOf => {
                let kind = kind.name();
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
                Some(if kind == RuleKind::AnyOf.name() {
                    Rule::AnyOf(rules)
                } else {
                    Rule::AllOf(rules)
                })
            }
        }
    }
}
