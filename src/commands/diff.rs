//! `govscore diff`: two years' results compared.

use std::io::Write;
use std::ops::ControlFlow;

use super::{Outcome, read_results_with};
use crate::cli::DiffArgs;

pub fn diff(args: &DiffArgs) -> Outcome {
    // The comparison reads totals, ranks and indicator scores: only those of each site are
    // kept as the files stream, so two census files are compared without their evidence.
    let read = |path| {
        read_results_with(path, "", |site| {
            ControlFlow::Continue(Some(govscore::diff::diff_view(site)))
        })
    };
    let old = read(&args.old)?;
    let new = read(&args.new)?;
    let d = govscore::diff::diff(&old, &new);
    super::stdout().write_all(
        govscore::diff::render(&d, args.output.format, args.output.lang.lang).as_bytes(),
    )?;
    Ok(())
}
