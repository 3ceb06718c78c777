//! `govscore crawl`: the site list crawled into a crawl folder, with the progress bar.

use std::io::Write;
use std::sync::Arc;

use govscore::crawl::{CrawlError, CrawlReport};
use govscore::input::{INDICATORS_FILE, IndicatorSet, SiteList, Source};
use govscore::pipeline::PipelineError;

use super::{Failure, Outcome, plural, runtime};
use crate::cli::CrawlArgs;
use crate::progress::CrawlBar;

pub fn crawl(args: &CrawlArgs, quiet: bool) -> Outcome {
    let (sites, text) = SiteList::read_source(&args.sites.source())
        .map_err(|e| Failure::Problems(e.diagnostics()))?;
    let indicators = Source::given_or_default(args.indicators.clone(), INDICATORS_FILE);
    let method =
        IndicatorSet::load_source(&indicators).map_err(|e| Failure::Problems(e.diagnostics()))?;
    let options = args.net.options(args.shard, &method.platform);
    let bar = Arc::new(CrawlBar::new(quiet));
    let report = runtime()?
        .block_on(govscore::crawl::crawl(
            &sites, &text, &options, &args.out, bar,
        ))
        .map_err(|e| crawl_failure(PipelineError::Crawl(e)))?;
    warn_failed(&report);
    writeln!(
        super::stdout(),
        "crawled {} site{} ({} unreachable), {} pages; {} finished earlier; archive in {}",
        report.crawled,
        plural(report.crawled),
        report.unreachable,
        report.pages,
        report.resumed,
        args.out.display()
    )?;
    Ok(())
}

/// A crawl into a folder that holds another site list's crawl is the user's mistake, not a
/// runtime failure.
pub fn crawl_failure(err: PipelineError) -> Failure {
    match err {
        PipelineError::Crawl(e @ CrawlError::DifferentSites(_)) => Failure::Invalid(e.to_string()),
        other => Failure::Runtime(other.into()),
    }
}

/// Says so when sites failed inside govscore: a bug, and a rerun retries them.
pub fn warn_failed(report: &CrawlReport) {
    if report.failed > 0 {
        eprintln!(
            "govscore: {} site{} failed inside govscore (a bug worth reporting); run the same command again to retry them",
            report.failed,
            plural(report.failed)
        );
    }
}
