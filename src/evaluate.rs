//! Scoring a crawl folder: each site's archive read back, its pages extracted into facts on
//! rayon's threads, its evidence assembled from the facts and the crawl log, scored, ranked,
//! and gathered into the [`Results`] document.
//!
//! Sites are handled in order, one scored while the next is read, so memory holds two
//! sites' pages at most; the pages of a site are extracted in parallel as its archive is
//! read. Results do not depend on the number of threads: a site's pages are sorted by
//! (platform, depth, URL) once extracted, every other parallel step collects in input
//! order, and floats are summed in file order.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::NaiveDate;
use rayon::prelude::*;
use url::Url;

use crate::archive;
use crate::archive::log::{ErrorClass, Event, LoggedError, Purpose, SiteStatus};
use crate::charset::decode_html_borrowed;
use crate::extract::{ExtractConfig, page_facts_resolving};
use crate::input::{Method, Site, SiteList};
use crate::lang::Text;
use crate::rank::rank;
use crate::results::{CategoryInfo, Results, SCHEMA, no_resolver_note};
use crate::score::findings::unmatched_verdicts;
use crate::score::{
    CheckedLink, CrawlStats, Extras, LinkVerdict, Page, SiteEvidence, SiteResult, Status, Visit,
    score_site,
};
use crate::shard::Shard;
use crate::tr;
use crate::urls::Resolver;

/// Why a crawl folder could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
    /// A site's archive or crawl log could not be read.
    #[error(transparent)]
    Read(#[from] archive::ReadError),
    /// The folder holds no copy of a site list, so it is not a crawl folder.
    #[error(
        "{path}: the crawl folder has no site list; is it a crawl folder made by `govscore crawl`?"
    )]
    NoSites {
        /// The folder given.
        path: String,
    },
    /// The folder's copy of the site list does not parse.
    #[error("{0}")]
    Sites(crate::input::InputError),
    /// The pool of extraction threads could not be started.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// The number asked for; 0 for one per core.
        threads: usize,
        /// rayon's error.
        message: String,
    },
    /// What took each site's result as it was scored (the report writer) failed.
    #[error("{0}")]
    Output(std::io::Error),
}

/// What scoring a crawl folder needs besides the folder.
#[derive(Debug, Clone, Copy)]
pub struct ScoreInputs<'a> {
    /// The indicator file, cases and manual points to score with.
    pub method: &'a Method,
    /// The evaluation date that freshness rules count back from.
    pub as_of: NaiveDate,
    /// The evaluation year, recorded in the results for the reports and `diff`.
    pub year: i32,
    /// Worker threads for extraction; `None` for one per core.
    pub threads: Option<usize>,
    /// Score only this shard's sites (a partial result, ranked when merged).
    pub shard: Option<Shard>,
}

/// The site list a crawl folder was made from.
pub fn crawl_sites(crawl_dir: &Path) -> Result<SiteList, EvaluateError> {
    let path = crawl_dir.join(archive::SITES_COPY);
    let text = std::fs::read_to_string(&path).map_err(|_| EvaluateError::NoSites {
        path: crawl_dir.display().to_string(),
    })?;
    SiteList::parse(&text, &path.display().to_string()).map_err(EvaluateError::Sites)
}

/// Scores every site of a crawl folder, all results in memory: for a library user or a
/// small folder; the command line streams them ([`evaluate_each`]).
pub fn evaluate(crawl_dir: &Path, inputs: &ScoreInputs) -> Result<Results, EvaluateError> {
    let mut sites = Vec::new();
    let mut results = evaluate_each(crawl_dir, inputs, |site| {
        sites.push(site);
        Ok(())
    })?;
    if results.shard.is_none() {
        results.rankings = rank(&sites);
    }
    results.sites = sites;
    Ok(results)
}

/// Scores every site of a crawl folder in the order of their URLs (the order results list
/// them), handing each result to `each` once it is made and the next site is read: at most
/// two sites' pages and evidence are in memory at once (one scored while the next is read),
/// whatever the number of sites. Returns
/// the results' header — method, date, notes, categories — with no sites and no rankings:
/// ranking needs every site, and is the caller's.
pub fn evaluate_each(
    crawl_dir: &Path,
    inputs: &ScoreInputs,
    mut each: impl FnMut(SiteResult) -> std::io::Result<()>,
) -> Result<Results, EvaluateError> {
    let sites = crawl_sites(crawl_dir)?;
    let method = inputs.method;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = inputs.threads {
        pool = pool.num_threads(n);
    }
    let pool = pool.build().map_err(|e| EvaluateError::Threads {
        threads: inputs.threads.unwrap_or(0),
        message: e.to_string(),
    })?;
    let extras = Extras {
        cases: Some(&method.cases),
        manual: Some(&method.manual),
    };
    // What every page is read for, from the indicator file: made once for all sites.
    let config = ExtractConfig::for_method(&method.indicators);
    let mut no_resolver = false;
    // Rulings in manual.yaml that name no finding: said in the results, never silently ignored.
    let mut notes: Vec<Text> = Vec::new();
    let mut selected: Vec<(String, &Site)> = sites
        .sites
        .iter()
        .filter(|s| inputs.shard.is_none_or(|sh| sh.contains(s)))
        .map(|s| (s.url.to_string(), s))
        .collect();
    selected.sort_by(|a, b| a.0.cmp(&b.0));
    // A site is scored while the next one's pages are read: scoring one site is work for
    // one thread, and the other threads would wait. At most two sites' evidence is held.
    let mut scored: Option<(&Site, SiteEvidence)> = None;
    for site in selected.iter().map(|(_, s)| Some(*s)).chain([None]) {
        let (result, next) = pool.install(|| {
            rayon::join(
                || {
                    scored.take().map(|(site, evidence)| {
                        let result =
                            score_site(&evidence, &method.indicators, &extras, inputs.as_of);
                        (site, result, evidence)
                    })
                },
                || site.map(|s| site_evidence(crawl_dir, s, &config).map(|ev| (s, ev))),
            )
        });
        if let Some((site, result, evidence)) = result {
            // Freed here, while no thread parses. Freed beside the next site's parse, its
            // pages (made on every thread) took the allocator's lock of the thread that made
            // each, which was then allocating for its own page: at two threads the workers
            // slept on those locks (three times the context switches), and the bench
            // crawl's median run took 324.8 ms instead of 303.6.
            drop(evidence);
            notes.extend(unmatched_verdicts(
                &method.manual,
                &site.key(),
                &result.findings,
            ));
            each(result).map_err(EvaluateError::Output)?;
        }
        if let Some(next) = next {
            let (site, evidence) = next?;
            no_resolver |= evidence.resolver_works == Some(false);
            scored = Some((site, evidence));
        }
    }
    if no_resolver {
        notes.insert(0, no_resolver_note());
    }
    Ok(Results {
        schema: SCHEMA.to_owned(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        as_of: inputs.as_of,
        year: inputs.year,
        indicators_sha256: method.indicators_sha256.clone(),
        indicators_file: method.indicators_file.clone(),
        notes,
        categories: sites
            .categories()
            .into_iter()
            .map(|c| CategoryInfo {
                name: c.display_name().to_owned(),
                id: c,
            })
            .collect(),
        shard: inputs.shard,
        sites: Vec::new(),
        rankings: BTreeMap::new(),
    })
}

/// Reads one site's archive and log and assembles its evidence.
pub fn site_evidence(
    crawl_dir: &Path,
    site: &Site,
    config: &ExtractConfig,
) -> Result<SiteEvidence, EvaluateError> {
    let stem = archive::site_file_stem(&site.key());
    let mut ev = SiteEvidence {
        key: site.key(),
        url: site.url.to_string(),
        name: site.name.clone(),
        categories: site.categories.clone(),
        status: Status::Ok,
        pages: Vec::new(),
        homepage_url: site.url.to_string(),
        visits: Vec::new(),
        links: Vec::new(),
        resolver_works: None,
        crawl: CrawlStats::default(),
    };
    if !archive::site_is_done(crawl_dir, &stem) {
        ev.status = Status::Unreachable {
            reason: tr!(
                "不在抓取结果中：抓取没有完成这个网站（用相同的 --out 再次运行 `govscore crawl` 可以接着抓取）",
                "not in the crawl: the crawl did not finish this site (run `govscore crawl` again with the same --out to resume)"
            ),
        };
        return Ok(ev);
    }
    let events = archive::read_log(&archive::log_path(crawl_dir, &stem))?;
    // Link checks are judged once the whole log is read: the network state comes after them.
    let mut links = Vec::new();
    let mut resolver_works_seen: Option<bool> = None;
    // Each page's depth, and whether it came from the service platform.
    let mut page_depth: HashMap<String, (u32, bool)> = HashMap::new();
    for event in &events {
        match event {
            Event::Site {
                status,
                reason,
                cause,
                cut_short,
                final_url,
                pages,
                errors,
                bytes,
                seconds,
                ..
            } => {
                if *status == SiteStatus::Unreachable {
                    ev.status =
                        Status::unreached(*cause, reason.as_deref().unwrap_or("unreachable"));
                }
                ev.homepage_url = final_url.clone();
                ev.crawl = CrawlStats {
                    pages: *pages,
                    errors: *errors,
                    bytes: *bytes,
                    seconds: *seconds,
                    cut_short: cut_short.map(CrawlStats::cut_short_note),
                };
            }
            Event::Fetch {
                final_url,
                purpose: Purpose::Page,
                depth: Some(depth),
                platform,
                status,
                ms,
                error,
                ..
            } => {
                let ok = error.is_none() && status.is_some_and(|s| (200..300).contains(&s));
                if *depth == 0 && !platform {
                    ev.visits.push(Visit { ok, ms: *ms });
                }
                if ok {
                    // A page reached both ways is the portal's, at its smallest depth.
                    let d = page_depth
                        .entry(final_url.clone())
                        .or_insert((*depth, *platform));
                    *d = (*d).min((*depth, *platform));
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
                error,
                ..
            } => links.push((from, url, *on_homepage, *status, error.clone())),
            Event::Network { resolver_works, .. } => resolver_works_seen = Some(*resolver_works),
            _ => {}
        }
    }
    ev.resolver_works = resolver_works_seen;
    for (from, url, on_homepage, status, error) in links {
        ev.links.push(CheckedLink {
            from: from.clone(),
            url: url.clone(),
            verdict: link_verdict(status, error.as_ref(), resolver_works_seen),
            on_homepage,
            status,
            error: error.map(|e| e.message),
        });
    }
    if !ev.status.is_ok() {
        return Ok(ev);
    }
    // The first stored response of each page URL (later ones are probes of the homepage),
    // read off the archive as the workers ask for them: pages are parsed while the rest is
    // inflated, and at most two responses per worker are held at once.
    let mut kept: HashSet<String> = HashSet::new();
    let responses = archive::responses(&archive::warc_path(crawl_dir, &stem))?.filter(|resp| {
        resp.as_ref().map_or(true, |r| {
            page_depth.contains_key(&r.url) && kept.insert(r.url.clone())
        })
    });
    let threads = rayon::current_num_threads();
    let feed = Feed::new(responses, threads);
    // Each page keeps its record's place in the archive: two addresses can be written
    // differently and read as one URL, and their order must not depend on the threads.
    let pages: Result<Vec<Vec<(usize, Page)>>, archive::ReadError> = (0..threads)
        .into_par_iter()
        .map(|_| {
            let mut pages = Vec::new();
            // The site's links as this thread resolved them on the pages before.
            let mut resolver = Resolver::default();
            while let Some((place, resp)) = feed.next() {
                feed.read_ahead();
                let resp = resp?;
                let Ok(url) = Url::parse(&resp.url) else {
                    continue;
                };
                let content_type = resp.header("content-type");
                let (text, _, _) = decode_html_borrowed(resp.body(), content_type, url.host_str());
                let html_like = content_type
                    .is_none_or(|ct| ct.to_ascii_lowercase().contains("html"))
                    || text.trim_start().starts_with('<');
                if !html_like {
                    continue;
                }
                let (depth, platform) = page_depth[&resp.url];
                let page = Page::new(
                    page_facts_resolving(&text, &url, config, &mut resolver),
                    depth,
                    url.scheme() == "https",
                    platform,
                );
                pages.push((place, page));
            }
            Ok(pages)
        })
        .collect();
    let mut pages: Vec<(usize, Page)> = pages?.into_iter().flatten().collect();
    // The portal's pages first (its homepage first of all), then the platform's; ties in
    // archive order.
    pages.sort_by(|(i, a), (j, b)| {
        (a.platform, a.depth, &a.facts.url, i).cmp(&(b.platform, b.depth, &b.facts.url, j))
    });
    ev.pages = pages.into_iter().map(|(_, page)| page).collect();
    Ok(ev)
}

/// A site's records handed to the pool's threads so that a thread seldom sleeps while
/// another inflates the archive. Reading is sequential (one gzip stream), so one thread at
/// a time reads; behind rayon's `par_bridge` a thread that wanted the next record slept on
/// the reader's lock while another inflated. Here a thread that takes a record first reads
/// ahead, when no other thread is reading, so the next record is ready when one is asked
/// for (bench crawl at two threads, five runs each in turn: stage 258.4 -> 253.0 ms, the
/// median, and lower in every pair).
struct Feed<I: Iterator> {
    /// The records not yet read, each numbered with its place in the archive.
    source: Mutex<std::iter::Fuse<std::iter::Enumerate<I>>>,
    ready: Mutex<VecDeque<(usize, I::Item)>>,
    /// How many records are read ahead at most: as many as there are threads.
    ahead: usize,
}

impl<I: Iterator> Feed<I> {
    fn new(records: I, threads: usize) -> Self {
        Feed {
            source: Mutex::new(records.enumerate().fuse()),
            ready: Mutex::new(VecDeque::new()),
            ahead: threads.max(1),
        }
    }

    /// The next record: one read ahead, or one read now (after any thread reading).
    fn next(&self) -> Option<(usize, I::Item)> {
        if let Some(record) = lock(&self.ready).pop_front() {
            return Some(record);
        }
        let mut source = lock(&self.source);
        // Another thread may have read ahead while this one waited for the reader.
        if let Some(record) = lock(&self.ready).pop_front() {
            return Some(record);
        }
        source.next()
    }

    /// Reads records until `ahead` are ready, unless another thread is reading.
    fn read_ahead(&self) {
        let Ok(mut source) = self.source.try_lock() else {
            return;
        };
        while lock(&self.ready).len() < self.ahead {
            let Some(record) = source.next() else {
                return;
            };
            lock(&self.ready).push_back(record);
        }
    }
}

/// A lock of the feed. A thread that panicked while holding it left the records as they
/// were, and the pool raises its panic anyway.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a link check's answer says: broken only on an answer — an HTTP error, a certificate
/// failure, a redirect that goes nowhere, a name that does not exist while names resolve.
/// No answer (timeout, refused or reset connection, a failed lookup while no name resolves)
/// leaves the link unverified. A crawl without the network state (older crawls) treats a
/// failed lookup as unverified too.
fn link_verdict(
    status: Option<u16>,
    error: Option<&LoggedError>,
    resolver_works: Option<bool>,
) -> LinkVerdict {
    match error.map(|e| e.class) {
        None => match status {
            Some(s) if s < 400 => LinkVerdict::Ok,
            Some(_) => LinkVerdict::Broken,
            None => LinkVerdict::Unverified,
        },
        Some(ErrorClass::Dns) if resolver_works == Some(true) => LinkVerdict::Broken,
        Some(
            ErrorClass::Tls
            | ErrorClass::Protocol
            | ErrorClass::TooManyRedirects
            | ErrorClass::RedirectLoop
            | ErrorClass::BadRedirect,
        ) => LinkVerdict::Broken,
        Some(
            ErrorClass::Dns
            | ErrorClass::Refused
            | ErrorClass::Connect
            | ErrorClass::Timeout
            | ErrorClass::Disallowed
            | ErrorClass::Other,
        ) => LinkVerdict::Unverified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record reaches exactly one thread, numbered with its place, however the
    /// threads take turns reading ahead; an error is handed on like any record.
    #[test]
    fn the_feed_hands_each_record_to_one_thread_with_its_place() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let records = (0..2_000_u32).map(|n| if n == 1_500 { Err(n) } else { Ok(n) });
        let feed = Feed::new(records, 4);
        let mut got: Vec<(usize, Result<u32, u32>)> = pool.install(|| {
            (0..4)
                .into_par_iter()
                .map(|_| {
                    let mut mine = Vec::new();
                    while let Some(record) = feed.next() {
                        feed.read_ahead();
                        // Uneven work, so the threads interleave.
                        std::hint::black_box((0..(record.0 % 7) * 500).sum::<usize>());
                        mine.push(record);
                    }
                    mine
                })
                .flatten()
                .collect()
        });
        got.sort_by_key(|(place, _)| *place);
        assert_eq!(got.len(), 2_000);
        for (i, (place, record)) in got.iter().enumerate() {
            assert_eq!(*place, i);
            let n = i as u32;
            assert_eq!(*record, if n == 1_500 { Err(n) } else { Ok(n) });
        }
    }
}
