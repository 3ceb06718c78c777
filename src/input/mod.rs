//! The three files a run starts from — `sites.txt`, `indicators.yaml` and the evaluators'
//! cases file — parsed into typed values and validated. Every problem found is a
//! [`Diagnostic`] naming the file, the line and (for YAML) the column, and all of a file's
//! problems are reported together, so an evaluator fixes a file in one round.

pub mod cases;
pub mod diagnostic;
pub mod indicators;
pub mod sites;
pub mod yaml;

pub use diagnostic::{Diagnostic, Diagnostics, InputError};

use std::path::{Path, PathBuf};

pub use cases::{Case, Cases};
pub use indicators::IndicatorSet;
pub use sites::{Category, Site, SiteKey, SiteList};

/// Where the three input files are. The cases file is optional: without one, no site gets
/// a bonus.
#[derive(Debug, Clone)]
pub struct InputPaths {
    pub sites: PathBuf,
    pub indicators: PathBuf,
    pub cases: Option<PathBuf>,
}

/// The three input files, loaded and valid.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub sites: SiteList,
    pub indicators: IndicatorSet,
    pub cases: Cases,
}

impl Inputs {
    /// Loads and validates all three files. On failure every problem of every file is
    /// returned, in file order: the cases file is still checked against the valid lines of
    /// a sites file that has bad ones.
    pub fn load(paths: &InputPaths) -> Result<Self, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let sites = load_lenient(&paths.sites, &mut problems, SiteList::parse_lenient);
        let indicators = IndicatorSet::load(&paths.indicators)
            .map_err(|e| problems.extend(e.diagnostics()))
            .ok();
        let cases = match &paths.cases {
            None => Some(Cases::default()),
            Some(path) => load_lenient(path, &mut problems, |text, diags| {
                Cases::parse_lenient(text, sites.as_ref().unwrap_or(&SiteList::default()), diags)
            }),
        };
        match (sites, indicators, cases) {
            (Some(sites), Some(indicators), Some(cases)) if problems.is_empty() => Ok(Self {
                sites,
                indicators,
                cases,
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
