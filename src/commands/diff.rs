//! `govscore diff`: two years' results compared.

use std::io::Write;

use super::{Outcome, read_results};
use crate::cli::DiffArgs;

pub fn diff(args: &DiffArgs) -> Outcome {
    let old = read_results(&args.old, "")?;
    let new = read_results(&args.new, "")?;
    let d = govscore::diff::diff(&old, &new);
    super::stdout().write_all(
        govscore::diff::render(&d, args.output.format, args.output.lang.lang).as_bytes(),
    )?;
    Ok(())
}
