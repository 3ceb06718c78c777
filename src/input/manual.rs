//! The evaluators' file of hand-given points (`manual.yaml`, optional): for each check whose
//! rule is `manual` — things a crawl cannot judge, such as the quality of replies — a list of
//! `{site, check, points, note}`. Sites are named as in `sites.txt`; `check` must be the id of
//! a `manual` check of the indicator file, and `points` between zero and that check's points.
//! The same list rules on severe-problem findings, by the id `explain` and `results.json` give:
//! `{site, confirm: FINDING-ID, note}` makes the finding veto the site, `{site, dismiss:
//! FINDING-ID, note}` clears it (the evaluator looked and found it harmless).

use std::path::Path;

use super::diagnostic::{Diagnostics, InputError, read_text};
use super::indicators::{IndicatorSet, Rule};
use super::sites::{SiteKey, SiteList};
use super::yaml::{self, Value};

/// The points an evaluator gave one site for one `manual` check.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualScore {
    /// The site, as listed in `sites.txt`.
    pub site: SiteKey,
    /// The id of a check whose rule is `manual`.
    pub check: String,
    /// Between zero and the check's points; the check's score is exactly this.
    pub points: f64,
    /// The evaluator's reason, if given; shown in the check's evidence.
    pub note: Option<String>,
    /// 1-based line of the manual file where the entry starts, for messages about it.
    pub line: usize,
}

/// What an evaluator ruled on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ruling {
    /// The finding is real: it vetoes the site.
    Confirm,
    /// The finding is harmless: it no longer flags the site.
    Dismiss,
}

impl Ruling {
    /// The key that writes it in the file.
    pub fn key(self) -> &'static str {
        match self {
            Ruling::Confirm => "confirm",
            Ruling::Dismiss => "dismiss",
        }
    }
}

/// An evaluator's ruling on a severe-problem finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The site, as listed in `sites.txt`.
    pub site: SiteKey,
    /// The finding's id (`hidden-links-1a2b3c4d`).
    pub finding: String,
    /// Confirmed or dismissed.
    pub ruling: Ruling,
    /// The evaluator's words, if given; shown with the veto or the dismissal.
    pub note: Option<String>,
    /// 1-based line of the manual file where the entry starts.
    pub line: usize,
}

/// The parsed manual points file; empty when there is none (manual checks get no points).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManualScores {
    /// In file order, at most one per site and check.
    pub scores: Vec<ManualScore>,
    /// Rulings on findings, in file order, at most one per site and finding.
    pub verdicts: Vec<Verdict>,
}

impl ManualScores {
    /// Reads and validates a manual points file against the sites and the indicator file.
    pub fn load(path: &Path, sites: &SiteList, set: &IndicatorSet) -> Result<Self, InputError> {
        let text = read_text(path)?;
        let mut diags = Diagnostics::new(path.display().to_string());
        let scores = Self::parse_lenient(&text, sites, set, &mut diags);
        diags.finish(scores)
    }

    /// Parses what can be parsed, reporting the rest to `diags`, so every problem of the
    /// input files is found in one run even when the sites file has bad lines.
    pub fn parse_lenient(
        text: &str,
        sites: &SiteList,
        set: &IndicatorSet,
        diags: &mut Diagnostics,
    ) -> Self {
        let Ok(Some(root)) = yaml::parse_optional(text, diags) else {
            return Self::default();
        };
        if matches!(root.value, Value::Null) {
            return Self::default();
        }
        let Some(items) = root.seq(
            diags,
            "the manual scores file (a list of `{site, check, points, note}`)",
        ) else {
            return Self::default();
        };
        let mut scores: Vec<ManualScore> = Vec::new();
        let mut verdicts: Vec<Verdict> = Vec::new();
        for item in items {
            let Some(m) = item.map(
                diags,
                "a manual score",
                &["site", "check", "points", "note", "confirm", "dismiss"],
            ) else {
                continue;
            };
            let rulings: Vec<(Ruling, &yaml::Node)> = [Ruling::Confirm, Ruling::Dismiss]
                .into_iter()
                .filter_map(|r| m.get(r.key()).map(|n| (r, n)))
                .collect();
            if let Some(&(ruling, node)) = rulings.first() {
                if rulings.len() > 1 {
                    diags.at(
                        m.loc().line,
                        Some(m.loc().column),
                        "an entry either confirms or dismisses a finding, not both",
                    );
                    continue;
                }
                if let Some(v) = verdict(&m, ruling, node, sites, diags) {
                    if let Some(first) = verdicts
                        .iter()
                        .find(|f| f.site == v.site && f.finding == v.finding)
                    {
                        diags.at(
                            v.line,
                            None,
                            format!(
                                "finding `{}` is ruled on twice for this site (first at line {})",
                                v.finding, first.line
                            ),
                        );
                    } else {
                        verdicts.push(v);
                    }
                }
                continue;
            }
            let site = m.required("site", diags).and_then(|node| {
                let reference = node.str(diags, "`site`")?;
                sites.key_named(reference, node.loc.line, node.loc.column, diags)
            });
            let check = m.required("check", diags).and_then(|node| {
                let id = node.str(diags, "`check`")?;
                let found = set.indicators.iter().flat_map(|i| &i.checks).find(|c| c.id == id);
                match found {
                    Some(c) if matches!(c.rule, Rule::Manual { .. }) => Some((id.to_owned(), c.points)),
                    Some(_) => {
                        diags.at(
                            node.loc.line,
                            Some(node.loc.column),
                            format!("check `{id}` is scored from the crawl, not by hand (its rule is not `manual`)"),
                        );
                        None
                    }
                    None => {
                        diags.at(
                            node.loc.line,
                            Some(node.loc.column),
                            format!("there is no check `{id}` in the indicator file"),
                        );
                        None
                    }
                }
            });
            let points = m.required("points", diags).and_then(|node| {
                let points = node.number(diags, "`points`")?;
                if let Some((id, max)) = &check
                    && !(0.0..=*max).contains(&points)
                {
                    diags.at(
                        node.loc.line,
                        Some(node.loc.column),
                        format!("`points` is {points}; check `{id}` takes 0 to {max}"),
                    );
                    return None;
                }
                Some(points)
            });
            let note = m.opt_str("note", diags).map(str::to_owned);
            let (Some(site), Some((check, _)), Some(points)) = (site, check, points) else {
                continue;
            };
            if let Some(first) = scores.iter().find(|s| s.site == site && s.check == check) {
                diags.at(
                    m.loc().line,
                    Some(m.loc().column),
                    format!(
                        "check `{check}` is scored twice for this site (first at line {})",
                        first.line
                    ),
                );
                continue;
            }
            scores.push(ManualScore {
                site,
                check,
                points,
                note,
                line: m.loc().line,
            });
        }
        Self { scores, verdicts }
    }

    /// The evaluator's ruling on finding `id` of `site`, if given.
    pub fn verdict(&self, site: &SiteKey, id: &str) -> Option<&Verdict> {
        self.verdicts
            .iter()
            .find(|v| &v.site == site && v.finding == id)
    }

    /// The points given to `site` for the check with id `check`; `None` when the evaluators
    /// gave none, and the check then scores zero.
    pub fn get(&self, site: &SiteKey, check: &str) -> Option<&ManualScore> {
        self.scores
            .iter()
            .find(|s| &s.site == site && s.check == check)
    }
}

/// One `{site, confirm|dismiss: ID, note}` entry, its problems reported to `diags`.
fn verdict(
    m: &yaml::MapReader,
    ruling: Ruling,
    node: &yaml::Node,
    sites: &SiteList,
    diags: &mut Diagnostics,
) -> Option<Verdict> {
    let key = ruling.key();
    let site = m.required("site", diags).and_then(|node| {
        let reference = node.str(diags, "`site`")?;
        sites.key_named(reference, node.loc.line, node.loc.column, diags)
    });
    let id = node.str(diags, &format!("`{key}`")).and_then(|id| {
        if is_finding_id(id) {
            Some(id.to_owned())
        } else {
            diags.at(
                node.loc.line,
                Some(node.loc.column),
                format!("`{id}` is not a finding id; copy one from `govscore explain` (e.g. `hidden-links-1a2b3c4d`)"),
            );
            None
        }
    });
    for other in ["check", "points"] {
        if let Some(n) = m.get(other) {
            diags.at(
                n.loc.line,
                Some(n.loc.column),
                format!("an entry that rules on a finding takes `site`, `{key}` and `note`, not `{other}`; give points in an entry of their own"),
            );
        }
    }
    let note = m.opt_str("note", diags).map(str::to_owned);
    Some(Verdict {
        site: site?,
        finding: id?,
        ruling,
        note,
        line: m.loc().line,
    })
}

/// A finding id: a detector's name and eight hex digits (`hidden-links-1a2b3c4d`).
pub fn is_finding_id(id: &str) -> bool {
    id.rsplit_once('-').is_some_and(|(kind, hex)| {
        !kind.is_empty()
            && kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            && hex.len() == 8
            && hex
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDICATORS: &str = r#"total: 10
pages: {column_name_max_chars: 12, blank_min_text_chars: 200}
guides: {min_elements: 1, elements: [{name: 办理材料, headings: [申请材料]}]}
platform: {hosts: [zwfw], max_pages: 40, max_depth: 2}
severe:
  spam_words: [博彩]
  trusted_hosts: [conac.cn]
  hidden_links: {enabled: true, auto_veto: false, min_links: 3}
  spam_content: {enabled: true, auto_veto: false, min_words: 5}
  title_drift: {enabled: true, auto_veto: false, min_pages: 10, min_share: 0.8}
  external_scripts: {enabled: true, auto_veto: false}
  personal_data: {enabled: true, auto_veto: false, page_words: [公示]}
  future_dates: {enabled: true, auto_veto: false}
columns: [{id: news, name: 要闻, patterns: [要闻], update_within: 14}]
indicators:
  - id: a
    name: 甲
    points: 10
    checks:
      - {id: a-auto, name: 自动, points: 6, rule: {kind: https}}
      - {id: a-hand, name: 人工, points: 4, rule: {kind: manual, note: 答复质量}}
vetoes: [{id: v, name: 首页不更新, kind: homepage_not_updated, max_age_days: 14}]
deductions: [{id: d, name: 错链断链, kind: broken_links, homepage_points: 1, other_points: 0.1, cap: 10}]
bonus: {name: 优秀创新案例, cap: 5}
"#;

    fn setup() -> (SiteList, IndicatorSet) {
        (
            SiteList::parse(
                "https://www.chengdu.gov.cn/ provincial-capital 成都市\n",
                "sites.txt",
            )
            .unwrap(),
            IndicatorSet::parse(INDICATORS, "indicators.yaml").unwrap(),
        )
    }

    #[test]
    fn reads_scores_and_rejects_bad_ones() {
        let (sites, set) = setup();
        let mut d = Diagnostics::new("manual.yaml");
        let m = ManualScores::parse_lenient(
            "- {site: 成都市, check: a-hand, points: 3, note: 答复及时}\n",
            &sites,
            &set,
            &mut d,
        );
        assert!(d.is_empty());
        assert_eq!(m.get(&sites.sites[0].key(), "a-hand").unwrap().points, 3.0);

        let mut d = Diagnostics::new("manual.yaml");
        ManualScores::parse_lenient(
            "- {site: 成都市, check: a-auto, points: 3}\n- {site: 成都市, check: nope, points: 1}\n\
             - {site: 成都市, check: a-hand, points: 5}\n- {site: 西安市, check: a-hand, points: 1}\n",
            &sites,
            &set,
            &mut d,
        );
        let msgs: Vec<String> = d.into_sorted().iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(msgs[0].contains("not by hand"), "{msgs:?}");
        assert!(msgs[1].contains("no check `nope`"), "{msgs:?}");
        assert!(msgs[2].contains("takes 0 to 4"), "{msgs:?}");
        assert!(
            msgs[3].contains("site `西安市` is not in the sites file"),
            "{msgs:?}"
        );
    }

    #[test]
    fn rulings_confirm_or_dismiss_once_each() {
        let (sites, set) = setup();
        let key = sites.sites[0].key();
        let mut d = Diagnostics::new("manual.yaml");
        let m = ManualScores::parse_lenient(
            "- {site: 成都市, confirm: hidden-links-0a1b2c3d, note: 已核实}\n\
             - {site: 成都市, dismiss: external-scripts-00ff00ff}\n",
            &sites,
            &set,
            &mut d,
        );
        assert!(d.is_empty());
        let v = m.verdict(&key, "hidden-links-0a1b2c3d").unwrap();
        assert_eq!(
            (v.ruling, v.note.as_deref()),
            (Ruling::Confirm, Some("已核实"))
        );
        let v = m.verdict(&key, "external-scripts-00ff00ff").unwrap();
        assert_eq!((v.ruling, v.line), (Ruling::Dismiss, 2));
        assert!(m.verdict(&key, "title-drift-00000000").is_none());

        let mut d = Diagnostics::new("manual.yaml");
        ManualScores::parse_lenient(
            "- {site: 成都市, confirm: hidden-links-0a1b2c3d, dismiss: hidden-links-0a1b2c3d}\n\
             - {site: 成都市, dismiss: Hidden-Links-0A1B2C3D}\n\
             - {site: 成都市, confirm: title-drift-11112222}\n\
             - {site: 成都市, dismiss: title-drift-11112222, points: 1}\n",
            &sites,
            &set,
            &mut d,
        );
        let msgs: Vec<String> = d.into_sorted().iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(msgs[0].contains("not both"), "{msgs:?}");
        assert!(msgs[1].contains("is not a finding id"), "{msgs:?}");
        assert!(
            msgs[2].contains("ruled on twice") && msgs[2].contains("line 3"),
            "{msgs:?}"
        );
        assert!(
            msgs[3].contains("takes `site`, `dismiss` and `note`, not `points`"),
            "{msgs:?}"
        );
    }
}
