//! `govscore merge`: the parts of a sharded run joined and reported as one run.

use anyhow::Context;
use govscore::report::write_reports;
use govscore::results::merge as join;

use super::{Failure, Outcome, print_tables, read_previous, read_results};
use crate::cli::MergeArgs;

pub fn merge(args: &MergeArgs) -> Outcome {
    let parts = args
        .parts
        .iter()
        .map(|path| Ok((path.display().to_string(), read_results(path, "")?)))
        .collect::<Result<Vec<_>, Failure>>()?;
    let merged = join(&parts).map_err(|e| Failure::Invalid(e.to_string()))?;
    let previous = read_previous(args.previous.as_deref())?;
    let written = write_reports(&merged, previous.as_ref(), &args.out, args.output.lang.lang)
        .with_context(|| format!("writing the reports in {}", args.out.display()))?;
    print_tables(&merged, &args.output, &written)
}
