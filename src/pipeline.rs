//! The evaluation as one sequence — crawl a site list into a crawl folder, score the folder,
//! write the report folder — in one place, so `govscore run`, `govscore score` and the demo
//! cannot drift apart. Each stage is its own module; this one only chains them and says which
//! stage failed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::crawl::{self, CrawlError, CrawlOptions, CrawlReport, Progress};
use crate::evaluate::{self, EvaluateError, ScoreInputs};
use crate::input::SiteList;
use crate::lang::Lang;
use crate::report;
use crate::results::{Previous, Results};

/// Which stage of the evaluation failed.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The crawl failed.
    #[error("crawling")]
    Crawl(#[source] CrawlError),
    /// The crawl folder could not be scored.
    #[error("scoring the crawl in {dir}")]
    Score {
        /// The crawl folder.
        dir: String,
        /// Why it could not be scored.
        #[source]
        source: EvaluateError,
    },
    /// The report folder could not be written.
    #[error("writing the reports in {dir}")]
    Write {
        /// The report folder.
        dir: String,
        /// Why it could not be written.
        #[source]
        source: std::io::Error,
    },
}

/// A scored crawl and the report files written for it.
#[derive(Debug)]
pub struct Scored {
    /// The results with each site's summary ([`crate::score::SiteResult::summary`]): what
    /// the tables print; `results.json` has each site in full.
    pub results: Results,
    /// The files of the report folder (`results.json` alone for a shard's part).
    pub written: Vec<PathBuf>,
}

/// Scores the crawl folder `crawl_dir` and writes the report folder `out`, its prose in
/// `lang` (`results.json` carries every note in both languages); `previous` is last year's
/// results, for the most improved sites.
pub fn score(
    crawl_dir: &Path,
    inputs: &ScoreInputs,
    out: &Path,
    previous: Option<&Previous>,
    lang: Lang,
) -> Result<Scored, PipelineError> {
    let write_error = |source| PipelineError::Write {
        dir: out.display().to_string(),
        source,
    };
    // Each site's result goes to the report folder as it is scored; only its summary stays.
    let mut writer =
        report::ReportWriter::new(out, lang, inputs.shard.is_some()).map_err(write_error)?;
    let header =
        evaluate::evaluate_each(crawl_dir, inputs, |site| writer.add(site)).map_err(|source| {
            match source {
                evaluate::EvaluateError::Output(e) => write_error(e),
                source => PipelineError::Score {
                    dir: crawl_dir.display().to_string(),
                    source,
                },
            }
        })?;
    let (results, written) = writer.finish(header, previous).map_err(write_error)?;
    Ok(Scored { results, written })
}

/// Everything a whole evaluation is made of.
pub struct Job<'a> {
    /// The sites to crawl; only the shard's share of them when `crawl` names a shard.
    pub sites: &'a SiteList,
    /// The site list as read, copied into the crawl folder.
    pub sites_text: &'a str,
    /// How to crawl: request limits and politeness, depth, pages, link checks, probes, shard.
    pub crawl: &'a CrawlOptions,
    /// The crawl folder; a crawl interrupted earlier is resumed from it.
    pub crawl_dir: &'a Path,
    /// How to score the crawl folder once the crawl is over.
    pub score: ScoreInputs<'a>,
    /// The report folder.
    pub out: &'a Path,
    /// Last year's results, for the most improved sites in `report.md`.
    pub previous: Option<&'a Previous>,
    /// The language of the reports' prose.
    pub lang: Lang,
}

/// Crawls, then scores and writes the reports. Scoring runs on the caller's task once the
/// crawl is over: it is CPU work on rayon's threads, and nothing else is left to run.
pub async fn run(
    job: &Job<'_>,
    progress: Arc<dyn Progress>,
) -> Result<(CrawlReport, Scored), PipelineError> {
    let crawled = crawl::crawl(
        job.sites,
        job.sites_text,
        job.crawl,
        job.crawl_dir,
        progress,
    )
    .await
    .map_err(PipelineError::Crawl)?;
    let scored = score(job.crawl_dir, &job.score, job.out, job.previous, job.lang)?;
    Ok((crawled, scored))
}
