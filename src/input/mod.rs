//! The files a run starts from — `sites.txt`, `indicators.yaml` and the evaluators' cases
//! and manual points — parsed into typed values and validated. Every problem found is a
//! [`Diagnostic`] naming the file, the line and (for YAML) the column, and all of a file's
//! problems are reported together, so an evaluator fixes a file in one round.

pub mod cases;
pub mod diagnostic;
pub mod indicators;
pub mod manual;
pub mod sites;
mod yaml;

pub use diagnostic::{Diagnostic, Diagnostics, InputError};

use std::path::{Path, PathBuf};

pub use cases::{Case, Cases};
pub use indicators::IndicatorSet;
pub use manual::ManualScores;
pub use sites::{Category, Lookup, Site, SiteKey, SiteList, lookup};

use crate::files::sha256_hex;

/// The default method, built into the binary: every command works from any folder, and
/// `govscore init` writes it out for editing.
pub const BUILTIN_INDICATORS: &str = include_str!("../../indicators.yaml");
/// The default site list (the portals of the 2018 evaluation's three categories), built in.
pub const BUILTIN_SITES: &str = include_str!("../../sites.txt");
/// The conventional name of the indicator file.
pub const INDICATORS_FILE: &str = "indicators.yaml";
/// The conventional name of the site list.
pub const SITES_FILE: &str = "sites.txt";

/// Where an input file comes from: a file, or the copy built into govscore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// The built-in default, with the file name it stands for.
    BuiltIn(&'static str),
}

impl Source {
    /// The file given; else the conventional file `name` in the current folder when it
    /// exists; else the built-in copy.
    pub fn given_or_default(given: Option<PathBuf>, name: &'static str) -> Self {
        match given {
            Some(path) => Source::File(path),
            None if Path::new(name).is_file() => Source::File(PathBuf::from(name)),
            None => Source::BuiltIn(name),
        }
    }

    /// The text, read as every input file is (UTF-8, without a byte-order mark).
    pub fn read(&self) -> Result<String, InputError> {
        match self {
            Source::File(path) => diagnostic::read_text(path),
            Source::BuiltIn(name) => Ok(builtin(name).to_owned()),
        }
    }

    /// The bytes the digest recorded in results is taken of.
    pub fn bytes(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Source::File(path) => std::fs::read(path),
            Source::BuiltIn(name) => Ok(builtin(name).as_bytes().to_vec()),
        }
    }

    /// How messages and reports name it: the path, or `indicators.yaml (built in)`.
    pub fn shown(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::BuiltIn(name) => format!("{name} (built in)"),
        }
    }

    /// The folder files it names (list files) are relative to.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            Source::File(path) => path.parent(),
            Source::BuiltIn(_) => None,
        }
    }
}

/// The built-in text of a conventional file.
fn builtin(name: &str) -> &'static str {
    if name == SITES_FILE {
        BUILTIN_SITES
    } else {
        BUILTIN_INDICATORS
    }
}

/// The evaluators' cases file, read when present and no other is named.
pub const DEFAULT_CASES: &str = "cases.yaml";
/// The evaluators' manual points, read when present and no other is named.
pub const DEFAULT_MANUAL: &str = "manual.yaml";

/// Where the scoring method's files are: the indicator file, and the evaluators' cases and
/// manual points, which are optional (without them no site gets a bonus or manual points).
#[derive(Debug, Clone)]
pub struct MethodPaths {
    /// The indicator file (`--indicators`, else `./indicators.yaml` when present, else the
    /// built-in method).
    pub indicators: Source,
    /// The cases file; `None` when none was given and `cases.yaml` does not exist.
    pub cases: Option<PathBuf>,
    /// The manual points file; `None` when none was given and `manual.yaml` does not exist.
    pub manual: Option<PathBuf>,
}

impl MethodPaths {
    /// The files as given; an optional file not given is its conventional name
    /// ([`DEFAULT_CASES`], [`DEFAULT_MANUAL`]) when that exists. A file given explicitly
    /// must exist, which loading checks.
    pub fn with_defaults(
        indicators: Option<PathBuf>,
        cases: Option<PathBuf>,
        manual: Option<PathBuf>,
    ) -> Self {
        let or_default = |given: Option<PathBuf>, default: &str| {
            given.or_else(|| {
                let default = Path::new(default);
                default.exists().then(|| default.to_path_buf())
            })
        };
        Self {
            indicators: Source::given_or_default(indicators, INDICATORS_FILE),
            cases: or_default(cases, DEFAULT_CASES),
            manual: or_default(manual, DEFAULT_MANUAL),
        }
    }
}

/// Where all the input files are.
#[derive(Debug, Clone)]
pub struct InputPaths {
    /// The sites file (`--sites`, else `./sites.txt` when present, else the built-in list).
    pub sites: Source,
    /// The indicator file and the evaluators' files.
    pub method: MethodPaths,
}

/// The scoring method, loaded and valid: the indicator file (with the digest of its bytes,
/// which results record so that years are compared on the same method), the cases and the
/// manual points.
#[derive(Debug, Clone)]
pub struct Method {
    /// The indicator file: indicators, checks, vetoes, deductions and the bonus cap.
    pub indicators: IndicatorSet,
    /// SHA-256 of the indicator file as read.
    pub indicators_sha256: String,
    /// Which indicator file: its path, or the built-in method.
    pub indicators_file: String,
    /// The bonus awards; empty without a cases file.
    pub cases: Cases,
    /// The evaluators' points for `manual` checks; empty without a manual points file.
    pub manual: ManualScores,
}

impl Method {
    /// Loads the method's files, checking the cases and manual points against `sites` (the
    /// site list of the run, or of the crawl folder being scored). Every problem of every
    /// file is returned on failure.
    pub fn load(paths: &MethodPaths, sites: &SiteList) -> Result<Self, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        match Self::load_into(paths, sites, &mut problems) {
            Some(method) if problems.is_empty() => Ok(method),
            _ => Err(problems),
        }
    }

    fn load_into(
        paths: &MethodPaths,
        sites: &SiteList,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let indicators = IndicatorSet::load_source(&paths.indicators)
            .map_err(|e| problems.extend(e.diagnostics()))
            .ok();
        let cases = match &paths.cases {
            None => Some(Cases::default()),
            Some(path) => load_lenient(path, problems, |text, diags| {
                Cases::parse_lenient(text, sites, diags)
            }),
        };
        let manual = match (&paths.manual, &indicators) {
            (None, _) => Some(ManualScores::default()),
            // Manual points refer to the indicator file's checks; without a valid one there
            // is nothing to check them against (its own problems are already reported).
            (Some(_), None) => None,
            (Some(path), Some(set)) => load_lenient(path, problems, |text, diags| {
                ManualScores::parse_lenient(text, sites, set, diags)
            }),
        };
        // The file was just read whole; reading its bytes again cannot fail but for a race,
        // which is reported like any unreadable file.
        let indicators_sha256 = match paths.indicators.bytes() {
            Ok(bytes) => Some(sha256_hex(&bytes)),
            Err(_) if indicators.is_none() => None,
            Err(source) => {
                problems.extend(
                    InputError::Read {
                        path: paths.indicators.shown(),
                        source,
                    }
                    .diagnostics(),
                );
                None
            }
        };
        Some(Self {
            indicators: indicators?,
            indicators_sha256: indicators_sha256?,
            indicators_file: paths.indicators.shown(),
            cases: cases?,
            manual: manual?,
        })
    }
}

/// All the input files, loaded and valid.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The sites to evaluate, in file order.
    pub sites: SiteList,
    /// The site list as read: a crawl folder keeps a copy, so scoring needs no `--sites`.
    pub sites_text: String,
    /// The scoring method, checked against `sites`.
    pub method: Method,
}

impl Inputs {
    /// Loads and validates every file. On failure every problem of every file is returned,
    /// in file order: the cases file is still checked against the valid lines of a sites
    /// file that has bad ones.
    pub fn load(paths: &InputPaths) -> Result<Self, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let sites = match paths.sites.read() {
            Ok(text) => {
                let mut diags = Diagnostics::new(paths.sites.shown());
                let list = SiteList::parse_lenient(&text, &mut diags);
                problems.extend(diags.into_sorted());
                Some((list, text))
            }
            Err(err) => {
                problems.extend(err.diagnostics());
                None
            }
        };
        let empty = SiteList::default();
        let listed = sites.as_ref().map_or(&empty, |(list, _)| list);
        let method = Method::load_into(&paths.method, listed, &mut problems);
        match (sites, method) {
            (Some((sites, sites_text)), Some(method)) if problems.is_empty() => Ok(Self {
                sites,
                sites_text,
                method,
            }),
            _ => Err(problems),
        }
    }
}

/// Reads a file and parses it leniently: the value is returned when the file could be read
/// (possibly partial), and its problems are appended to `problems`.
fn load_lenient<T>(
    path: &Path,
    problems: &mut Vec<Diagnostic>,
    parse: impl FnOnce(&str, &mut Diagnostics) -> T,
) -> Option<T> {
    match diagnostic::read_text(path) {
        Ok(text) => {
            let mut diags = Diagnostics::new(path.display().to_string());
            let value = parse(&text, &mut diags);
            problems.extend(diags.into_sorted());
            Some(value)
        }
        Err(err) => {
            problems.extend(err.diagnostics());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so a failure names a seed that reproduces it.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// One random edit of the kind a hurried evaluator makes: a line deleted or repeated,
    /// a character dropped, doubled or replaced with a YAML-significant one, a cut short file.
    fn mutate(text: &str, rng: &mut XorShift) -> String {
        let mut lines: Vec<&str> = text.lines().collect();
        let mut chars: Vec<char> = text.chars().collect();
        match rng.below(5) {
            0 => {
                lines.remove(rng.below(lines.len()));
                lines.join("\n")
            }
            1 => {
                let i = rng.below(lines.len());
                lines.insert(i, lines[i]);
                lines.join("\n")
            }
            2 => {
                chars.remove(rng.below(chars.len()));
                chars.into_iter().collect()
            }
            3 => {
                const NASTY: &[char] = &[
                    ':', '-', '[', ']', '{', '}', '\'', '"', '#', '&', '*', '!', '|', '>', ' ',
                    '\t', '0', '，',
                ];
                let i = rng.below(chars.len());
                chars[i] = NASTY[rng.below(NASTY.len())];
                chars.into_iter().collect()
            }
            _ => chars[..rng.below(chars.len())].iter().collect(),
        }
    }

    /// Thousands of broken variants of the default files: none may panic, and each problem
    /// found must name its file and a line inside it (or line 1 of an empty file).
    #[test]
    fn mangled_default_files_give_messages_not_panics() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sites_text = std::fs::read_to_string(root.join("sites.txt")).unwrap();
        let indicators_text = std::fs::read_to_string(root.join("indicators.yaml")).unwrap();
        let sites = SiteList::parse(&sites_text, "sites.txt").unwrap();
        let cases_text = "- site: 成都市\n  title: 网络理政\n  points: 3\n- {site: www.djy.gov.cn, title: 进步, points: 1.5}\n";
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for round in 0..500 {
            let mut text = indicators_text.clone();
            for _ in 0..=rng.below(3) {
                text = mutate(&text, &mut rng);
            }
            let lines = text.lines().count().max(1);
            if let Err(err) = IndicatorSet::parse(&text, "indicators.yaml") {
                for d in err.diagnostics() {
                    assert!(
                        d.file == "indicators.yaml" && d.line <= lines + 1,
                        "round {round}: {d}"
                    );
                }
            }
            let s = mutate(&sites_text, &mut rng);
            let mut diags = Diagnostics::new("sites.txt");
            SiteList::parse_lenient(&s, &mut diags);
            for d in diags.into_sorted() {
                assert!(d.line <= s.lines().count().max(1), "round {round}: {d}");
            }
            let c = mutate(cases_text, &mut rng);
            let _ = Cases::parse(&c, "cases.yaml", &sites);
        }
    }

    #[test]
    fn load_reports_all_files_and_accepts_the_defaults() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let paths = InputPaths {
            sites: Source::File(root.join("sites.txt")),
            method: MethodPaths {
                indicators: Source::File(root.join("indicators.yaml")),
                cases: None,
                manual: None,
            },
        };
        let inputs = Inputs::load(&paths).unwrap();
        assert_eq!(inputs.sites.sites.len(), 42);
        assert!(inputs.method.cases.cases.is_empty());

        let dir = tempfile::tempdir().unwrap();
        let bad_sites = dir.path().join("sites.txt");
        std::fs::write(
            &bad_sites,
            "https://www.chengdu.gov.cn/ provincial-capital 成都市\nnot-a-url district 甲\n",
        )
        .unwrap();
        let cases = dir.path().join("cases.yaml");
        std::fs::write(
            &cases,
            "- {site: 成都市, title: 好, points: 1}\n- {site: 甲, title: 坏, points: 1}\n",
        )
        .unwrap();
        let problems = Inputs::load(&InputPaths {
            sites: Source::File(bad_sites),
            method: MethodPaths {
                indicators: Source::File(dir.path().join("missing.yaml")),
                cases: Some(cases),
                manual: None,
            },
        })
        .unwrap_err();
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].ends_with("sites.txt:2: `not-a-url` is not an absolute URL; write it with its scheme, e.g. `https://not-a-url`"));
        assert!(shown[1].contains("missing.yaml:1: cannot read the file"));
        // The cases file is still checked against the sites file's good lines.
        assert!(
            shown[2].contains("cases.yaml:2:10: site `甲` is not in the sites file"),
            "{shown:?}"
        );
    }
}
