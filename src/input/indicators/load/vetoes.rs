//! The vetoes (单项否决), deductions (扣分) and bonus cap of the indicator file, each veto and
//! deduction by its kind; phrase and typo lists may live in list files beside it.

use super::super::super::yaml::{Node, Value};
use super::super::{
    Bonus, Deduction, DeductionKind, DeductionRule, Kind, Typo, Veto, VetoKind, VetoRule, WordSet,
};
use super::{Loader, MapReader};

impl Loader<'_> {
    pub(super) fn veto(&mut self, node: &Node, what: &str) -> Option<Veto> {
        let kind: VetoKind = self.kind(node, "veto")?;
        let m = self.kind_map(node, what, kind, &["id", "name"])?;
        let id = self.id(&m);
        let name = self.name(&m);
        let d = &mut *self.diags;
        let rule = match kind {
            VetoKind::SiteUnreachable => {
                let timeout = m.positive("timeout_secs", true, d);
                let share = self.share(&m, "failure_share");
                VetoRule::SiteUnreachable {
                    timeout_secs: timeout?,
                    failure_share: share?,
                }
            }
            VetoKind::HomepageNotUpdated => VetoRule::HomepageNotUpdated {
                max_age_days: m.positive_int("max_age_days", true, d)?,
            },
            VetoKind::ColumnsNotUpdated => {
                let a = m.positive_int("late_key_columns", true, d);
                let b = m.positive_int("late_columns", true, d);
                let c = m.positive_int("blank_columns", true, d);
                VetoRule::ColumnsNotUpdated {
                    late_key_columns: a?,
                    late_columns: b?,
                    blank_columns: c?,
                }
            }
            VetoKind::SevereErrors => {
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
                VetoRule::SevereErrors {
                    phrases,
                    min_hits: min_hits?,
                }
            }
            VetoKind::PoorResponse => {
                let channels = m
                    .required("channel_patterns", d)
                    .and_then(|n| self.patterns(n, "`channel_patterns`"));
                let days = m.positive_int("max_unanswered_days", true, self.diags);
                VetoRule::PoorResponse {
                    channel_patterns: channels?,
                    max_unanswered_days: days?,
                }
            }
            VetoKind::ServicesUnusable => {
                let entry = m
                    .required("entry_patterns", d)
                    .and_then(|n| self.patterns(n, "`entry_patterns`"));
                let of = self.guide_count;
                let missing = self.count_within(&m, "missing_elements", of);
                let failing = self.int_or(&m, "min_failing_guides", 5);
                VetoRule::ServicesUnusable {
                    entry_patterns: entry?,
                    missing_elements: missing?,
                    min_failing_guides: failing?,
                }
            }
        };
        Some(Veto {
            id: id?,
            name: name?,
            rule,
        })
    }

    /// A veto kind twice would count one failure twice in the list of vetoes hit.
    pub(super) fn check_unique_kinds(&mut self, m: &MapReader, vetoes: Option<&[Veto]>) {
        let (Some(vetoes), Some(node)) = (vetoes, m.get("vetoes")) else {
            return;
        };
        let Value::Seq(items) = &node.value else {
            return;
        };
        for (i, veto) in vetoes.iter().enumerate() {
            if let Some(first) = vetoes[..i]
                .iter()
                .position(|v| v.rule.kind() == veto.rule.kind())
            {
                let first_line = items[first].loc.line;
                self.error(
                    items[i].loc,
                    format!(
                        "a second `{}` veto (the first is at line {first_line}); merge their thresholds into one",
                        veto.rule.kind().name()
                    ),
                );
            }
        }
    }

    pub(super) fn deduction(&mut self, node: &Node, what: &str) -> Option<Deduction> {
        let kind: DeductionKind = self.kind(node, "deduction")?;
        let m = self.kind_map(node, what, kind, &["id", "name", "cap"])?;
        let id = self.id(&m);
        let name = self.name(&m);
        let cap = m.positive("cap", true, self.diags);
        let rule = match kind {
            DeductionKind::BrokenLinks => {
                let home = m.positive("homepage_points", true, self.diags);
                let other = m.positive("other_points", true, self.diags);
                DeductionRule::BrokenLinks {
                    homepage_points: home?,
                    other_points: other?,
                }
            }
            DeductionKind::Typos => {
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
                DeductionRule::Typos {
                    points: points?,
                    wrong: WordSet::new(pairs.iter().map(|t| t.wrong.clone()).collect()),
                    pairs,
                }
            }
        };
        Some(Deduction {
            id: id?,
            name: name?,
            cap: cap?,
            rule,
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

    pub(super) fn bonus(&mut self, node: &Node) -> Option<Bonus> {
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
