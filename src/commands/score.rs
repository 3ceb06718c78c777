//! `govscore score`: a crawl folder scored, the report folder written, the tables printed.

use std::io::Write;
use std::path::{Path, PathBuf};

use govscore::evaluate::{ScoreInputs, crawl_sites};
use govscore::input::Method;
use govscore::pipeline::{self, Scored};

use super::{Failure, Outcome, print_tables};
use crate::cli::{EvalArgs, ScoreArgs};

pub fn score(args: &ScoreArgs) -> Outcome {
    let sites = crawl_sites(&args.crawl).map_err(|e| Failure::Invalid(e.to_string()))?;
    let method = Method::load(&args.eval.method.paths(), &sites).map_err(Failure::Problems)?;
    let previous = args.eval.previous()?;
    let out = args.eval.out_dir(&args.out);
    let scored = pipeline::score(
        &args.crawl,
        &inputs(&args.eval, &method),
        &out,
        previous.as_ref(),
        args.eval.output.lang.lang,
    )?;
    print_scored(&scored, &args.eval, &out)
}

/// What `score` and `run` score with.
pub fn inputs<'a>(eval: &EvalArgs, method: &'a Method) -> ScoreInputs<'a> {
    ScoreInputs {
        method,
        as_of: eval.as_of(),
        year: eval.year(),
        threads: eval.threads.map(|t| t as usize),
        shard: eval.shard,
    }
}

/// The tables, or for a shard's part where it went and what to do next.
pub fn print_scored(scored: &Scored, eval: &EvalArgs, out: &Path) -> Outcome {
    let results = &scored.results;
    // The notes (a ruling in manual.yaml that names no finding, a resolver that did not
    // work) are in the reports too, but whoever ran the command must see them now.
    let mut err = super::stderr();
    for note in &results.notes {
        writeln!(err, "govscore: note: {}", note.get(eval.output.lang.lang))?;
    }
    if let Some(shard) = results.shard {
        let file: PathBuf = scored
            .written
            .first()
            .cloned()
            .unwrap_or_else(|| out.join("results.json"));
        writeln!(
            super::stdout(),
            "partial results of shard {shard}: {} sites in {}; run `govscore merge` over all {} parts to rank them",
            results.sites.len(),
            file.display(),
            shard.count
        )?;
        return Ok(());
    }
    print_tables(results, &eval.output, &scored.written)
}
