//! Scoring a crawl folder: each site's archive read back, its pages extracted into facts on
//! rayon's threads, its evidence assembled from the facts and the crawl log, scored, ranked,
//! and gathered into the `results.json` document (schema `govscore/results/v1`).
//!
//! Sites are handled one at a time, so memory holds one site's pages; the pages of a site
//! are extracted in parallel. Results do not depend on the number of threads: every
//! parallel step collects in input order, and floats are summed in file order.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use crate::archive::{self, StoredResponse};
use crate::charset::decode_html;
use crate::crawl::hex;
use crate::crawl::log::{Event, Purpose, SiteStatus};
use crate::extract::page_facts;
use crate::input::indicators::IndicatorSet;
use crate::input::{Cases, ManualScores, Site, SiteList};
use crate::rank::{RankEntry, rank};
use crate::score::{
    CheckedLink, CrawlStats, Extras, Page, SiteEvidence, SiteResult, Visit, score_site,
};
use crate::shard::Shard;

pub const SCHEMA: &str = "govscore/results/v1";

/// The `results.json` document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub schema: String,
    pub tool_version: String,
    pub as_of: NaiveDate,
    pub year: i32,
    pub indicators_sha256: String,
    /// Category ids in the order the site list first uses them, with display names: the
    /// order the reports print their tables in.
    pub categories: Vec<CategoryInfo>,
    /// Set on the partial result of a sharded run; such a result has no rankings until the
    /// parts are merged.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shard: Option<Shard>,
    /// Sorted by URL.
    pub sites: Vec<SiteResult>,
    pub rankings: BTreeMap<String, Vec<RankEntry>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryInfo {
    pub id: String,
    pub name: String,
}

impl Results {
    /// Reads a `results.json`, checking its schema.
    pub fn read(path: &Path) -> Result<Self, ResultsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ResultsError::Io {
            path: shown.clone(),
            source,
        })?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| ResultsError::Json {
                path: shown.clone(),
                message: format!("line {}, column {}: {e}", e.line(), e.column()),
            })?;
        if value["schema"] != SCHEMA {
            return Err(ResultsError::Schema {
                path: shown,
                found: value["schema"].to_string(),
            });
        }
        serde_json::from_value(value).map_err(|e| ResultsError::Json {
            path: shown,
            message: e.to_string(),
        })
    }

    /// The document as written: pretty JSON with a final newline, byte-identical for the
    /// same inputs.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("results serialise");
        s.push('\n');
        s
    }
}

/// Why a `results.json` could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a results file: {message}")]
    Json { path: String, message: String },
    #[error(
        "{path}: schema {found}, expected \"{SCHEMA}\"; written by another version of govscore?"
    )]
    Schema { path: String, found: String },
}

#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
    #[error(transparent)]
    Read(#[from] archive::ReadError),
    #[error(
        "{path}: the crawl folder has no site list; is it a crawl folder made by `govscore crawl`?"
    )]
    NoSites { path: String },
    #[error("{0}")]
    Sites(crate::input::InputError),
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
}

/// What scoring a crawl folder needs besides the folder.
pub struct ScoreInputs<'a> {
    pub indicators: &'a IndicatorSet,
    /// The indicator file's bytes, for the digest recorded in the results.
    pub indicators_bytes: &'a [u8],
    pub cases: Option<&'a Cases>,
    pub manual: Option<&'a ManualScores>,
    pub as_of: NaiveDate,
    pub year: i32,
    /// Worker threads for extraction; `None` for one per core.
    pub threads: Option<usize>,
    /// Score only this shard's sites (a partial result, ranked when merged).
    pub shard: Option<Shard>,
}

/// The site list a crawl folder was made from.
pub fn crawl_sites(crawl_dir: &Path) -> Result<(SiteList, String), EvaluateError> {
    let path = crawl_dir.join(archive::SITES_COPY);
    let text = std::fs::read_to_string(&path).map_err(|_| EvaluateError::NoSites {
        path: crawl_dir.display().to_string(),
    })?;
    let list = SiteList::parse(&text, &path.display().to_string()).map_err(EvaluateError::Sites)?;
    Ok((list, text))
}

/// Scores every site of a crawl folder.
pub fn evaluate(crawl_dir: &Path, inputs: &ScoreInputs) -> Result<Results, EvaluateError> {
    let (sites, _) = crawl_sites(crawl_dir)?;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = inputs.threads {
        pool = pool.num_threads(n);
    }
    let pool = pool.build().map_err(|e| EvaluateError::Threads {
        threads: inputs.threads.unwrap_or(0),
        message: e.to_string(),
    })?;
    let extras = Extras {
        cases: inputs.cases,
        manual: inputs.manual,
    };
    let mut results = Vec::with_capacity(sites.sites.len());
    let selected = sites
        .sites
        .iter()
        .filter(|s| inputs.shard.is_none_or(|sh| sh.contains(s)));
    for site in selected {
        let evidence = pool.install(|| site_evidence(crawl_dir, site, inputs.indicators))?;
        results.push(score_site(
            &evidence,
            inputs.indicators,
            &extras,
            inputs.as_of,
        ));
    }
    results.sort_by(|a, b| a.url.cmp(&b.url));
    // A shard cannot rank: the other sites of its categories are in other parts.
    let rankings = match inputs.shard {
        Some(_) => BTreeMap::new(),
        None => rank(&results),
    };
    Ok(Results {
        schema: SCHEMA.to_owned(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        as_of: inputs.as_of,
        year: inputs.year,
        indicators_sha256: hex(&Sha256::digest(inputs.indicators_bytes)),
        categories: sites
            .categories()
            .into_iter()
            .map(|c| CategoryInfo {
                id: c.id().to_owned(),
                name: c.display_name().to_owned(),
            })
            .collect(),
        shard: inputs.shard,
        sites: results,
        rankings,
    })
}

/// Reads one site's archive and log and assembles its evidence.
pub fn site_evidence(
    crawl_dir: &Path,
    site: &Site,
    set: &IndicatorSet,
) -> Result<SiteEvidence, EvaluateError> {
    let stem = archive::site_file_stem(&site.key());
    let mut ev = SiteEvidence {
        key: site.key(),
        url: site.url.to_string(),
        name: site.name.clone(),
        categories: site.categories.iter().map(|c| c.id().to_owned()).collect(),
        reachable: Ok(()),
        pages: Vec::new(),
        homepage_url: site.url.to_string(),
        visits: Vec::new(),
        links: Vec::new(),
        crawl: CrawlStats::default(),
    };
    if !archive::site_is_done(crawl_dir, &stem) {
        ev.reachable = Err("not in the crawl: the crawl did not finish this site (run `govscore crawl` again with the same --out to resume)".to_owned());
        return Ok(ev);
    }
    let events = archive::read_log(&archive::log_path(crawl_dir, &stem))?;
    let mut page_depth: HashMap<String, u32> = HashMap::new();
    for event in &events {
        match event {
            Event::Site {
                status,
                reason,
                final_url,
                pages,
                errors,
                bytes,
                seconds,
                ..
            } => {
                if *status == SiteStatus::Unreachable {
                    ev.reachable = Err(reason.clone().unwrap_or_else(|| "unreachable".to_owned()));
                }
                ev.homepage_url = final_url.clone();
                ev.crawl = CrawlStats {
                    pages: *pages,
                    errors: *errors,
                    bytes: *bytes,
                    seconds: *seconds,
                };
            }
            Event::Fetch {
                final_url,
                purpose: Purpose::Page,
                depth: Some(depth),
                status,
                ms,
                error,
                ..
            } => {
                let ok = error.is_none() && status.is_some_and(|s| (200..300).contains(&s));
                if *depth == 0 {
                    ev.visits.push(Visit { ok, ms: *ms });
                }
                if ok {
                    let d = page_depth.entry(final_url.clone()).or_insert(*depth);
                    *d = (*d).min(*depth);
                }
            }
            Event::Probe {
                status, ms, error, ..
            } => ev.visits.push(Visit {
                ok: error.is_none() && status.is_some_and(|s| (200..300).contains(&s)),
                ms: *ms,
            }),
            Event::Link {
                from,
                url,
                on_homepage,
                status,
                ok,
                error,
                ..
            } => ev.links.push(CheckedLink {
                from: from.clone(),
                url: url.clone(),
                ok: *ok,
                on_homepage: *on_homepage,
                status: *status,
                error: error.as_ref().map(|e| e.message.clone()),
            }),
            _ => {}
        }
    }
    if ev.reachable.is_err() {
        return Ok(ev);
    }
    // The first stored response of each page URL (later ones are probes of the homepage).
    let mut stored: Vec<StoredResponse> = Vec::new();
    for resp in archive::read_responses(&archive::warc_path(crawl_dir, &stem))? {
        if page_depth.contains_key(&resp.url) && !stored.iter().any(|s| s.url == resp.url) {
            stored.push(resp);
        }
    }
    let selectors = set.selectors();
    let mut pages: Vec<Page> = stored
        .par_iter()
        .filter_map(|resp| {
            let url = Url::parse(&resp.url).ok()?;
            let content_type = resp.header("content-type");
            let decoded = decode_html(&resp.body, content_type, url.host_str());
            let html_like = content_type.is_none_or(|ct| ct.to_ascii_lowercase().contains("html"))
                || decoded.text.trim_start().starts_with('<');
            if !html_like {
                return None;
            }
            Some(Page {
                facts: page_facts(&decoded.text, &url, &selectors),
                depth: page_depth[&resp.url],
                https: url.scheme() == "https",
            })
        })
        .collect();
    pages.sort_by(|a, b| (a.depth, &a.facts.url).cmp(&(b.depth, &b.facts.url)));
    ev.pages = pages;
    Ok(ev)
}
