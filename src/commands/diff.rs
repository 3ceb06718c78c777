//! `govscore diff`: two years' results compared.

use std::io::Write;

use super::{Outcome, read_results_keeping};
use crate::cli::DiffArgs;

pub fn diff(args: &DiffArgs) -> Outcome {
    // The comparison reads totals, ranks and indicator scores: each site's summary, so two
    // census files are compared without holding their evidence.
    let old = read_results_keeping(&args.old, "", |_| false)?;
    let new = read_results_keeping(&args.new, "", |_| false)?;
    let d = govscore::diff::diff(&old, &new);
    super::stdout().write_all(
        govscore::diff::render(&d, args.output.format, args.output.lang.lang).as_bytes(),
    )?;
    Ok(())
}
