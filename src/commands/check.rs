//! `govscore check`: every input file validated, every problem printed at once, or a
//! summary of what the files hold.

use std::io::{self, Write};
use std::path::Path;

use govscore::input::{DEFAULT_CASES, DEFAULT_MANUAL, InputPaths, Inputs};
use govscore::points::fmt_points;

use super::{Failure, Outcome};
use crate::cli::CheckArgs;

pub fn check(args: &CheckArgs) -> Outcome {
    let paths = InputPaths {
        sites: args.sites.source(),
        method: args.method.paths(),
    };
    let inputs = Inputs::load(&paths).map_err(Failure::Problems)?;
    summary(&mut super::stdout(), &paths, &inputs)?;
    Ok(())
}

fn summary(out: &mut impl Write, paths: &InputPaths, inputs: &Inputs) -> io::Result<()> {
    let sites = &inputs.sites;
    let per_category: Vec<String> = sites
        .categories()
        .iter()
        .map(|c| {
            let n = sites
                .sites
                .iter()
                .filter(|s| s.categories.contains(c))
                .count();
            format!("{} {n}", c.display_name())
        })
        .collect();
    writeln!(
        out,
        "{}: {} sites ({})",
        paths.sites.shown(),
        sites.sites.len(),
        per_category.join(", ")
    )?;
    let method = &inputs.method;
    let ind = &method.indicators;
    writeln!(
        out,
        "{}: {} first-level indicators ({} scored, with {} checks and {} points, and the bonus {} up to {}); {} vetoes; {} deductions",
        paths.method.indicators.shown(),
        ind.indicators.len() + 1,
        ind.indicators.len(),
        ind.check_count(),
        fmt_points(ind.total),
        ind.bonus.name,
        fmt_points(ind.bonus.cap),
        ind.vetoes.len(),
        ind.deductions.len(),
    )?;
    optional_file(
        out,
        paths.method.cases.as_deref(),
        method.cases.cases.len(),
        "cases",
        &format!("cases: none ({DEFAULT_CASES} not found; no bonus points)"),
    )?;
    optional_file(
        out,
        paths.method.manual.as_deref(),
        method.manual.scores.len(),
        "manual scores",
        &format!("manual scores: none ({DEFAULT_MANUAL} not found; manual checks get no points)"),
    )?;
    writeln!(out, "all input files are valid")
}

/// A line on an optional file: how many entries it holds, or why there is none.
fn optional_file(
    out: &mut impl Write,
    path: Option<&Path>,
    entries: usize,
    what: &str,
    absent: &str,
) -> io::Result<()> {
    match path {
        Some(path) => writeln!(out, "{}: {entries} {what}", path.display()),
        None => writeln!(out, "{absent}"),
    }
}
