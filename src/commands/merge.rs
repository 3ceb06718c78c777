//! `govscore merge`: the parts of a sharded run joined and reported as one run.

use anyhow::Context;
use govscore::report::ReportWriter;
use govscore::results::{ResultsError, for_each_merged_site, merge_header};

use super::{Failure, Outcome, print_tables, read_previous, read_summaries};
use crate::cli::MergeArgs;

/// The parts are read twice as they stream: first each site's summary, to check that the
/// parts make one run and to learn its header; then every site whole, in URL order, into
/// the report folder as `score` writes it. A census's parts are gigabytes: neither pass
/// holds more than the summaries and a few sites of each part.
pub fn merge(args: &MergeArgs) -> Outcome {
    let parts = args
        .parts
        .iter()
        .map(|path| Ok((path.display().to_string(), read_summaries(path, "")?)))
        .collect::<Result<Vec<_>, Failure>>()?;
    let header = merge_header(&parts).map_err(|e| Failure::Invalid(e.to_string()))?;
    drop(parts);
    let previous = read_previous(args.previous.as_deref())?;
    let writing = || format!("writing the reports in {}", args.out.display());
    let mut writer =
        ReportWriter::new(&args.out, args.output.lang.lang, false).with_context(writing)?;
    // A part that no longer reads is an input to fix, as in the first reading.
    for_each_merged_site(&args.parts, |site| writer.add(site).with_context(writing)).map_err(
        |e: anyhow::Error| match e.downcast::<ResultsError>() {
            Ok(e) => Failure::Invalid(e.to_string()),
            Err(e) => Failure::Runtime(e),
        },
    )?;
    let (merged, written) = writer
        .finish(header, previous.as_ref())
        .with_context(writing)?;
    print_tables(&merged, &args.output, &written)
}
