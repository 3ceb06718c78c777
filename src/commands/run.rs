//! `govscore run`: every input checked, then crawl → score → report in one command.

use std::sync::Arc;

use govscore::input::{InputPaths, Inputs};
use govscore::pipeline::{self, Job};

use super::crawl::{crawl_failure, warn_failed};
use super::score::{inputs, print_scored};
use super::{Failure, Outcome, runtime};
use crate::cli::RunArgs;
use crate::progress::CrawlBar;

pub fn run(args: &RunArgs, quiet: bool) -> Outcome {
    // Every input is checked before the crawl starts: a typo in indicators.yaml must not
    // cost a whole crawl.
    let loaded = Inputs::load(&InputPaths {
        sites: args.sites.source(),
        method: args.eval.method.paths(),
    })
    .map_err(Failure::Problems)?;
    let previous = args.eval.previous()?;
    let out = args.eval.out_dir(&args.out);
    let crawl_dir = args.crawl.clone().unwrap_or_else(|| out.join("crawl"));
    let options = args
        .net
        .options(args.eval.shard, &loaded.method.indicators.platform);
    let job = Job {
        sites: &loaded.sites,
        sites_text: &loaded.sites_text,
        crawl: &options,
        crawl_dir: &crawl_dir,
        score: inputs(&args.eval, &loaded.method),
        out: &out,
        previous: previous.as_ref(),
        lang: args.eval.output.lang.lang,
    };
    let bar = Arc::new(CrawlBar::new(quiet));
    let (crawled, scored) = runtime()?
        .block_on(pipeline::run(&job, bar))
        .map_err(crawl_failure)?;
    warn_failed(&crawled);
    print_scored(&scored, &args.eval, &out)
}
