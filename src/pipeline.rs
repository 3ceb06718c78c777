//! The evaluation as one sequence — crawl a site list into a crawl folder, score the folder,
//! write the report folder — in one place, so `govscore run`, `govscore score` and the demo
//! cannot drift apart. Each stage is its own module; this one only chains them and says which
//! stage failed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::crawl::{self, CrawlError, CrawlOptions, CrawlReport, Progress};
use crate::evaluate::{self, EvaluateError, ScoreInputs};
use crate::input::SiteList;
use crate::report;
use crate::results::Results;

/// Which stage of the evaluation failed.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("crawling")]
    Crawl(#[source] CrawlError),
    #[error("scoring the crawl in {dir}")]
    Score {
        dir: String,
        #[source]
        source: EvaluateError,
    },
    #[error("writing the reports in {dir}")]
    Write {
        dir: String,
        #[source]
        source: std::io::Error,
    },
}

/// A scored crawl and the report files written for it.
#[derive(Debug)]
pub struct Scored {
    pub results: Results,
    /// The files of the report folder (`results.json` alone for a shard's part).
    pub written: Vec<PathBuf>,
}

/// Scores the crawl folder `crawl_dir` and writes the report folder `out`; `previous` is
/// last year's results, for the most improved sites.
pub fn score(
    crawl_dir: &Path,
    inputs: &ScoreInputs,
    out: &Path,
    previous: Option<&Results>,
) -> Result<Scored, PipelineError> {
    let results = evaluate::evaluate(crawl_dir, inputs).map_err(|source| PipelineError::Score {
        dir: crawl_dir.display().to_string(),
        source,
    })?;
    let written =
        report::write_reports(&results, previous, out).map_err(|source| PipelineError::Write {
            dir: out.display().to_string(),
            source,
        })?;
    Ok(Scored { results, written })
}

/// Everything a whole evaluation is made of.
pub struct Job<'a> {
    pub sites: &'a SiteList,
    /// The site list as read, copied into the crawl folder.
    pub sites_text: &'a str,
    pub crawl: &'a CrawlOptions,
    /// The crawl folder; a crawl interrupted earlier is resumed from it.
    pub crawl_dir: &'a Path,
    pub score: ScoreInputs<'a>,
    /// The report folder.
    pub out: &'a Path,
    pub previous: Option<&'a Results>,
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
    let scored = score(job.crawl_dir, &job.score, job.out, job.previous)?;
    Ok((crawled, scored))
}
