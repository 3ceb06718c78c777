//! The cases file (`cases.yaml`): the evaluators' awards for excellent innovation cases
//! (优秀创新案例), a list of `{site, title, points}`. Sites are named as in `sites.txt` (by URL,
//! host or name) and must be listed there; points may not be negative. The per-site cap is the
//! indicator file's `bonus.cap`, applied when scoring, so an award above it is legal here.

use std::path::Path;

use super::diagnostic::{Diagnostics, InputError, read_text};
use super::sites::{SiteKey, SiteList};
use super::yaml::{self, Value};

/// One award of the cases file: a site's innovation case and the points given for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The site the case belongs to, as listed in `sites.txt`.
    pub site: SiteKey,
    /// What the case is called, unique per site; results and `govscore explain` show it.
    pub title: String,
    /// Bonus points awarded, zero or more; the cap (`bonus.cap`) is applied when scoring.
    pub points: f64,
    /// 1-based line of the cases file where the case starts, for messages about it.
    pub line: usize,
}

/// The parsed cases file; empty when there is none (no site gets bonus points).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cases {
    /// In file order; a site may have several.
    pub cases: Vec<Case>,
}

impl Cases {
    /// Reads and validates a cases file, checking every case's site against `sites`.
    pub fn load(path: &Path, sites: &SiteList) -> Result<Self, InputError> {
        let text = read_text(path)?;
        Self::parse(&text, &path.display().to_string(), sites)
    }

    /// Parses `text` and checks every case's site against `sites`.
    pub fn parse(text: &str, file: &str, sites: &SiteList) -> Result<Self, InputError> {
        let mut diags = Diagnostics::new(file);
        let cases = Self::parse_lenient(text, sites, &mut diags);
        diags.finish(cases)
    }

    /// Parses what can be parsed, reporting the rest.
    pub fn parse_lenient(text: &str, sites: &SiteList, diags: &mut Diagnostics) -> Self {
        let Ok(Some(root)) = yaml::parse_optional(text, diags) else {
            return Self::default();
        };
        if matches!(root.value, Value::Null) {
            return Self::default();
        }
        let Some(items) = root.seq(diags, "the cases file (a list of `{site, title, points}`)")
        else {
            return Self::default();
        };
        let mut cases: Vec<Case> = Vec::with_capacity(items.len());
        for item in items {
            let Some(m) = item.map(diags, "a case", &["site", "title", "points"]) else {
                continue;
            };
            let site = m.required("site", diags).and_then(|node| {
                let reference = node.str(diags, "`site`")?;
                sites.key_named(reference, node.loc.line, node.loc.column, diags)
            });
            let title = m.required("title", diags).and_then(|node| {
                let title = node.str(diags, "`title`")?;
                if title.trim().is_empty() {
                    diags.at(node.loc.line, Some(node.loc.column), "`title` is empty");
                    return None;
                }
                Some(title.to_owned())
            });
            let points = m.required("points", diags).and_then(|node| {
                let points = node.number(diags, "`points`")?;
                if points < 0.0 {
                    diags.at(
                        node.loc.line,
                        Some(node.loc.column),
                        format!("`points` is {points}; awards cannot be negative (deductions belong in indicators.yaml)"),
                    );
                    return None;
                }
                Some(points)
            });
            let (Some(site), Some(title), Some(points)) = (site, title, points) else {
                continue;
            };
            if let Some(first) = cases.iter().find(|c| c.site == site && c.title == title) {
                diags.at(
                    m.loc().line,
                    Some(m.loc().column),
                    format!(
                        "the case `{title}` is listed twice for this site (first at line {})",
                        first.line
                    ),
                );
                continue;
            }
            cases.push(Case {
                site,
                title,
                points,
                line: m.loc().line,
            });
        }
        Self { cases }
    }

    /// The points awarded to one site before the cap.
    pub fn points_for(&self, site: &SiteKey) -> f64 {
        self.cases
            .iter()
            .filter(|c| &c.site == site)
            .map(|c| c.points)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites() -> SiteList {
        SiteList::parse(
            "https://www.chengdu.gov.cn/ provincial-capital,sub-provincial 成都市\n\
             https://www.djy.gov.cn/ district 都江堰市\n",
            "sites.txt",
        )
        .unwrap()
    }

    fn errors(text: &str) -> Vec<String> {
        match Cases::parse(text, "cases.yaml", &sites()) {
            Ok(c) => panic!("expected errors, got {c:?}"),
            Err(e) => e.diagnostics().iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn parses_cases_by_url_host_and_name() {
        let text = "- site: https://www.chengdu.gov.cn/\n  title: 网络理政\n  points: 3\n\
                    - site: www.djy.gov.cn\n  title: 进步显著\n  points: 1.5\n\
                    - site: 成都市\n  title: 一网通办\n  points: 4\n";
        let cases = Cases::parse(text, "cases.yaml", &sites()).unwrap();
        assert_eq!(cases.cases.len(), 3);
        assert_eq!(cases.cases[1].line, 4);
        let chengdu = sites().sites[0].key();
        assert_eq!(cases.points_for(&chengdu), 7.0);
    }

    #[test]
    fn empty_or_commented_out_file_has_no_cases() {
        assert_eq!(Cases::parse("", "c", &sites()).unwrap().cases.len(), 0);
        assert_eq!(
            Cases::parse("# - site: x\n", "c", &sites())
                .unwrap()
                .cases
                .len(),
            0
        );
    }

    #[test]
    fn rejects_unknown_sites_and_negative_points() {
        let e = errors(
            "- site: www.xa.gov.cn\n  title: 案例\n  points: 2\n\
             - site: 成都市\n  title: 案例\n  points: -1\n",
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("cases.yaml:1:9: site `www.xa.gov.cn` is not in the sites file"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("cases.yaml:6:11: `points` is -1; awards cannot be negative"),
            "{e:?}"
        );
    }

    #[test]
    fn rejects_bad_shapes_missing_keys_and_repeats() {
        let e = errors("site: 成都市\n");
        assert!(
            e[0].starts_with("cases.yaml:1:1: the cases file") && e[0].contains("must be a list"),
            "{e:?}"
        );
        let e = errors(
            "- site: 成都市\n  points: 1\n  titel: x\n\
             - site: 成都市\n  title: 同一个\n  points: 1\n\
             - site: https://chengdu.gov.cn\n  title: 同一个\n  points: 2\n\
             - site: 成都市\n  title: 三\n  points: lots\n",
        );
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e[0].starts_with("cases.yaml:1:3: a case is missing the key `title`"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("cases.yaml:3:3: unknown key `titel`")
                && e[1].contains("did you mean `title`"),
            "{e:?}"
        );
        assert!(
            e[2].starts_with("cases.yaml:7:3: the case `同一个` is listed twice"),
            "{e:?}"
        );
        assert!(
            e[3].starts_with("cases.yaml:12:11: `points` must be a number"),
            "{e:?}"
        );
    }
}
