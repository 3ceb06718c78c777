//! One site's crawl: breadth-first from the homepage within the site's scope, robots.txt
//! first for every origin, then link checks, then homepage probes.
//!
//! Each depth level is fetched concurrently (the fetcher's bounds decide how much). Every
//! response is archived, scanned for links and dropped as soon as it arrives, so a level
//! never holds more than one body per fetch in flight; the links found are then queued in the
//! level's order, so the pages crawled under `--max-pages` do not depend on which response
//! came back first.

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::Arc;
use std::time::Instant;

use reqwest::{Method, StatusCode};
use tokio::task::JoinSet;
use url::Url;

use super::fetch::{Attempted, Chain, FetchError, Fetcher, Response};
use super::links::{Fate, LinkBook, SeenLink};
use super::robots::{self, MAX_ROBOTS_BYTES, RobotsRules};
use super::{CrawlOptions, Progress};
use crate::archive::log::{
    CutShort, ErrorClass, Event, LoggedError, Purpose, SiteStatus, Unreached,
};
use crate::archive::{Exchange, SiteArchive};
use crate::charset::{self, CharsetSource};
use crate::extract;
use crate::input::Site;
use crate::urls::{SiteScope, is_attachment};

/// Body cap for a link check that had to fall back to GET: enough to see the response
/// start, never a whole attachment.
const LINK_CHECK_BYTES: usize = 64 * 1024;

/// What a finished site reports to the crawl.
#[derive(Debug, Clone)]
pub struct SiteOutcome {
    pub status: SiteStatus,
    pub pages: u32,
}

/// The result of a fetched URL, for reporting links to it without a new request.
#[derive(Debug, Clone)]
struct KnownResult {
    status: Option<u16>,
    error: Option<LoggedError>,
}

/// What scanning a page found.
struct PageScan {
    links: Vec<extract::Link>,
    charset: (String, CharsetSource),
}

/// A fetched page's scan, with its URL after redirects; `None` when it was not scanned.
type Scanned = Option<(Arc<Url>, PageScan)>;

/// robots.txt rules known so far, by origin.
type RobotsMap = HashMap<String, Arc<RobotsRules>>;

struct SiteCrawl<'a> {
    fetcher: Arc<Fetcher>,
    opts: &'a CrawlOptions,
    archive: &'a mut SiteArchive,
    progress: &'a dyn Progress,
    scope: SiteScope,
    robots: RobotsMap,
    pages: u32,
    errors: u32,
    bytes: u64,
    /// Platform pages the portal links to, in the order first seen.
    platform_entries: Vec<Url>,
    /// Fetching the service platform's pages: they are logged as such.
    on_platform: bool,
    /// When the site's time (`--site-timeout`) runs out.
    deadline: Instant,
    /// Page fetches that timed out since the last one that did not.
    timeouts_in_row: u32,
    /// Why the crawl stopped early, once it has.
    cut: Option<CutShort>,
}

pub async fn crawl_site(
    fetcher: Arc<Fetcher>,
    opts: &CrawlOptions,
    site: &Site,
    archive: &mut SiteArchive,
    progress: &dyn Progress,
) -> io::Result<SiteOutcome> {
    let started = Instant::now();
    let mut crawl = SiteCrawl {
        fetcher,
        opts,
        archive,
        progress,
        scope: SiteScope::of(&site.url),
        robots: HashMap::new(),
        pages: 0,
        errors: 0,
        bytes: 0,
        platform_entries: Vec::new(),
        on_platform: false,
        deadline: started + opts.site_timeout,
        timeouts_in_row: 0,
        cut: None,
    };
    let (status, unreached, final_url) = crawl.run(&site.url).await?;
    let (cause, reason) = unreached.unzip();
    crawl.archive.log(&Event::Site {
        url: site.url.to_string(),
        name: site.name.clone(),
        status,
        reason,
        cause,
        cut_short: crawl.cut.filter(|_| status == SiteStatus::Ok),
        final_url,
        pages: crawl.pages,
        errors: crawl.errors,
        bytes: crawl.bytes,
        seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
    })?;
    Ok(SiteOutcome {
        status,
        pages: crawl.pages,
    })
}

impl SiteCrawl<'_> {
    /// Crawls the site level by level: how it ended, why the homepage could not be opened
    /// (with the cause in words), and the homepage after redirects.
    async fn run(
        &mut self,
        home: &Url,
    ) -> io::Result<(SiteStatus, Option<(Unreached, String)>, String)> {
        let mut known: HashMap<String, KnownResult> = HashMap::new();
        let platform_pages = self.opts.platform.as_ref().map_or(0, |p| p.max_pages);
        let mut book = LinkBook::new(self.opts.check_links, platform_pages);
        let mut queued: HashSet<String> = HashSet::from([home.as_str().to_owned()]);
        let mut level: Vec<Url> = vec![home.clone()];
        let mut home_final = home.to_string();

        for depth in 0..=self.opts.max_depth {
            if level.is_empty() || self.stopped() {
                break;
            }
            // Robots first, origin by origin, then the level's allowed URLs all at once.
            let mut allowed: Vec<Url> = Vec::with_capacity(level.len());
            for url in level.drain(..) {
                if self.robots_allow(&url).await? {
                    allowed.push(url);
                    continue;
                }
                let from = book.referrer(&url).map(Url::to_string).unwrap_or_default();
                self.archive.log(&Event::Disallowed {
                    url: url.to_string(),
                    from,
                })?;
                if depth == 0 {
                    let unreached = match self.robots.get(&robots::origin(&url)).map(|r| r.as_ref())
                    {
                        Some(RobotsRules::DisallowAll { reason, cause }) => {
                            (*cause, reason.clone())
                        }
                        _ => (
                            Unreached::Robots,
                            "robots.txt disallows the homepage; it was not fetched".to_owned(),
                        ),
                    };
                    return Ok((SiteStatus::Unreachable, Some(unreached), home_final));
                }
            }
            self.pages += allowed.len() as u32;
            // Each page's scan, once its fetch is done (`Some(None)`: nothing to scan). The
            // links are taken in the level's order, whatever order the responses come in,
            // as soon as every page before them is done: a level holds the scans of pages
            // that finished early, never all of them.
            let mut scans: Vec<Option<Scanned>> = (0..allowed.len()).map(|_| None).collect();
            let mut taken = 0;
            let mut next: Vec<Url> = Vec::new();
            let mut set = self.spawn_fetches(&allowed, Method::GET, self.opts.fetch.max_bytes);
            while let Some((i, chain)) = self.next_in_time(&mut set, &allowed).await {
                self.count_timeout(&chain);
                let page_ok = chain.response().is_some_and(|r| r.status.is_success());
                if !page_ok {
                    self.errors += 1;
                }
                if depth == 0 && page_ok {
                    home_final = chain.final_url().to_string();
                    // A homepage that moved takes its site along.
                    self.scope.include(chain.final_url());
                }
                let page_url = chain.final_url().clone();
                let in_scope = self.scope.contains(&page_url);
                let scan = self.take_page(&chain, depth, in_scope).await?;
                known.insert(allowed[i].to_string(), result_of(&chain));
                if depth == 0 && !page_ok {
                    let unreached = match (chain.error(), chain.response()) {
                        (Some(e), _) => (Unreached::Fetch { class: e.class }, e.message.clone()),
                        (None, Some(r)) => {
                            let status = r.status.as_u16();
                            (
                                Unreached::Http { status },
                                format!("the homepage answered HTTP {status}"),
                            )
                        }
                        _ => (
                            Unreached::NoAnswer,
                            "the homepage did not answer".to_owned(),
                        ),
                    };
                    return Ok((
                        SiteStatus::Unreachable,
                        Some(unreached),
                        page_url.to_string(),
                    ));
                }
                scans[i] = Some(scan.map(|s| (Arc::new(page_url), s)));
                while let Some(done) = scans.get_mut(taken).and_then(Option::take) {
                    taken += 1;
                    if let Some((page_url, scan)) = done {
                        self.take_links(&page_url, scan, depth, &mut book, &mut queued, &mut next)?;
                    }
                }
                if self.cut.is_some() {
                    // What is still in flight is dropped with the set.
                    break;
                }
            }
            if depth == 0 && taken == 0 {
                // The site's time ran out before the homepage answered.
                let seconds = self.opts.site_timeout.as_secs();
                return Ok((
                    SiteStatus::Unreachable,
                    Some((
                        Unreached::Fetch {
                            class: ErrorClass::Timeout,
                        },
                        format!(
                            "the homepage did not answer within the site's time (--site-timeout {seconds}s)"
                        ),
                    )),
                    home_final,
                ));
            }
            level = next;
        }

        self.crawl_platform(&mut known).await?;
        if self.check_links(book.kept(), &known).await? {
            let state = self.fetcher.resolver_state(&self.opts.dns_probes).await;
            self.archive.log(&Event::Network {
                resolver_works: state.works,
                probed: state.probed.clone(),
            })?;
        }
        self.probe(home).await?;
        Ok((SiteStatus::Ok, None, home_final))
    }

    /// Records a fetched page, and scans it for links when it is an HTML page answered 2xx
    /// and `wanted` (inside the site's scope, or the platform's).
    async fn take_page(
        &mut self,
        chain: &Chain,
        depth: u32,
        wanted: bool,
    ) -> io::Result<Option<PageScan>> {
        let scan = match chain.response() {
            Some(resp) if resp.status.is_success() && resp.is_html() && wanted => {
                Some(scan_page(resp, chain.final_url()).await)
            }
            _ => None,
        };
        self.record(
            chain,
            Purpose::Page,
            Some(depth),
            scan.as_ref().map(|s| &s.charset),
        )?;
        Ok(scan)
    }

    /// The links of one scanned page, in page order: external ones logged, the platform's
    /// noted, internal ones queued for the next level while there is room, and each kept
    /// in `book` when a check may report it.
    fn take_links(
        &mut self,
        page_url: &Arc<Url>,
        scan: PageScan,
        depth: u32,
        book: &mut LinkBook,
        queued: &mut HashSet<String>,
        next: &mut Vec<Url>,
    ) -> io::Result<()> {
        for link in scan.links {
            let internal = self.scope.contains(&link.url);
            let platform = !internal
                && self
                    .opts
                    .platform
                    .as_ref()
                    .is_some_and(|p| p.covers(&link.url));
            if !internal {
                self.archive.log(&Event::Outlink {
                    from: page_url.to_string(),
                    url: link.url.to_string(),
                    text: link.text.clone(),
                })?;
                self.note_platform_entry(&link);
            }
            let crawlable = internal && !is_attachment(&link.url) && link.tag != "area";
            let room = (self.pages as usize + next.len()) < self.opts.max_pages;
            let fate = if crawlable
                && depth < self.opts.max_depth
                && room
                && queued.insert(link.url.to_string())
            {
                next.push(link.url.clone());
                Fate::Queued
            } else if platform {
                Fate::Platform
            } else if self
                .robots
                .get(&robots::origin(&link.url))
                .is_some_and(|r| !r.allowed(&link.url))
            {
                Fate::Disallowed
            } else {
                Fate::Other
            };
            book.take(&link.url, &link.text, page_url, depth == 0, fate);
        }
        Ok(())
    }

    /// Remembers a link to the service platform, to be followed on its own budget.
    fn note_platform_entry(&mut self, link: &extract::Link) {
        let Some(platform) = &self.opts.platform else {
            return;
        };
        // More entries than the platform's page budget could never be fetched.
        if platform.covers(&link.url)
            && !is_attachment(&link.url)
            && link.tag != "area"
            && self.platform_entries.len() < platform.max_pages
            && !self.platform_entries.contains(&link.url)
        {
            self.platform_entries.push(link.url.clone());
        }
    }

    /// The service platform's pages the portal links to, breadth-first from those links
    /// within the platform's hosts, up to the platform budget: the same politeness and
    /// robots.txt rules, logged as platform pages. Their links are not the portal's, so they
    /// are neither status-checked nor recorded as outlinks.
    async fn crawl_platform(&mut self, known: &mut HashMap<String, KnownResult>) -> io::Result<()> {
        let Some(budget) = self.opts.platform.clone() else {
            return Ok(());
        };
        self.on_platform = true;
        let mut queued: HashSet<String> = known.keys().cloned().collect();
        let mut level: Vec<Url> = std::mem::take(&mut self.platform_entries)
            .into_iter()
            .filter(|u| queued.insert(u.to_string()))
            .take(budget.max_pages)
            .collect();
        let mut fetched = 0usize;
        for depth in 0..=budget.max_depth {
            if level.is_empty() || self.stopped() {
                break;
            }
            let mut allowed = Vec::with_capacity(level.len());
            for url in level.drain(..) {
                if self.robots_allow(&url).await? {
                    allowed.push(url);
                }
            }
            fetched += allowed.len();
            let mut scans: Vec<Option<(Url, PageScan)>> =
                (0..allowed.len()).map(|_| None).collect();
            let mut set = self.spawn_fetches(&allowed, Method::GET, self.opts.fetch.max_bytes);
            while let Some((i, chain)) = self.next_in_time(&mut set, &allowed).await {
                let page_url = chain.final_url().clone();
                let scan = self
                    .take_page(&chain, depth, budget.covers(&page_url))
                    .await?;
                known.insert(allowed[i].to_string(), result_of(&chain));
                scans[i] = scan.map(|s| (page_url, s));
            }
            let mut next = Vec::new();
            for (_, scan) in scans.into_iter().flatten() {
                for link in scan.links {
                    let room = fetched + next.len() < budget.max_pages;
                    if depth < budget.max_depth
                        && room
                        && budget.covers(&link.url)
                        && !is_attachment(&link.url)
                        && queued.insert(link.url.to_string())
                    {
                        next.push(link.url);
                    }
                }
            }
            level = next;
        }
        self.on_platform = false;
        Ok(())
    }

    /// Whether the crawl must stop: cut short already, or out of time, which cuts it short.
    fn stopped(&mut self) -> bool {
        if self.cut.is_none() && Instant::now() >= self.deadline {
            self.cut = Some(CutShort::Deadline {
                seconds: self.opts.site_timeout.as_secs(),
            });
        }
        self.cut.is_some()
    }

    /// The next finished fetch of `set`; `None` when none is left, or when the site's time
    /// runs out first (which cuts the crawl short, and drops what is in flight).
    async fn next_in_time(&mut self, set: &mut Fetches, urls: &[Url]) -> Option<(usize, Chain)> {
        match tokio::time::timeout_at(self.deadline.into(), set.next(urls)).await {
            Ok(next) => next,
            Err(_) => {
                self.stopped();
                None
            }
        }
    }

    /// Counts page fetches that time out in a row; too many cut the crawl short.
    fn count_timeout(&mut self, chain: &Chain) {
        if chain
            .error()
            .is_some_and(|e| e.class == ErrorClass::Timeout)
        {
            self.timeouts_in_row += 1;
            if self.timeouts_in_row >= self.opts.max_timeouts_in_row && self.cut.is_none() {
                self.cut = Some(CutShort::Timeouts {
                    in_row: self.timeouts_in_row,
                });
            }
        } else {
            self.timeouts_in_row = 0;
        }
    }

    /// Whether robots.txt lets us fetch `url`, fetching the origin's file the first time.
    async fn robots_allow(&mut self, url: &Url) -> io::Result<bool> {
        let origin = robots::origin(url);
        if !self.robots.contains_key(&origin) {
            let chain = self
                .fetcher
                .fetch(
                    &robots::robots_url(url),
                    Method::GET,
                    MAX_ROBOTS_BYTES,
                    &|_| true,
                )
                .await;
            self.record(&chain, Purpose::Robots, None, None)?;
            let (rules, verdict) = RobotsRules::from_fetch(&chain);
            if let Some(delay) = verdict.crawl_delay {
                self.fetcher.set_crawl_delay(url, delay);
            }
            self.archive.log(&Event::RobotsFile {
                origin: origin.clone(),
                outcome: verdict.outcome.to_owned(),
                reason: verdict.reason,
                crawl_delay: verdict.crawl_delay,
                interval_ms: self.fetcher.origin_interval(url).as_millis() as u64,
            })?;
            self.robots.insert(origin.clone(), Arc::new(rules));
        }
        Ok(self.robots[&origin].allowed(url))
    }

    /// Starts fetching every URL; results come back through [`Fetches::next`] as they finish.
    /// Redirect hops are held to the robots.txt rules known when the fetch starts (an origin
    /// first met as a redirect target has no rules yet and is allowed).
    fn spawn_fetches(&self, urls: &[Url], method: Method, max_bytes: usize) -> Fetches {
        let rules: Arc<RobotsMap> = Arc::new(self.robots.clone());
        let mut set = JoinSet::new();
        let mut index = HashMap::with_capacity(urls.len());
        for (i, url) in urls.iter().enumerate() {
            let (fetcher, url, method, rules) = (
                self.fetcher.clone(),
                url.clone(),
                method.clone(),
                rules.clone(),
            );
            let handle = set.spawn(async move {
                let may_fetch =
                    move |u: &Url| rules.get(&robots::origin(u)).is_none_or(|r| r.allowed(u));
                (i, fetcher.fetch(&url, method, max_bytes, &may_fetch).await)
            });
            index.insert(handle.id(), i);
        }
        Fetches { set, index }
    }

    /// Archives every hop of a chain and logs it as one fetch event.
    fn record(
        &mut self,
        chain: &Chain,
        purpose: Purpose,
        depth: Option<u32>,
        charset: Option<&(String, CharsetSource)>,
    ) -> io::Result<()> {
        for hop in &chain.hops {
            if let Ok(resp) = &hop.outcome {
                let head = resp.archived_head();
                self.archive.write_exchange(&Exchange {
                    url: hop.url.as_str(),
                    request_head: &hop.request_head,
                    response_head: &head,
                    body: &resp.body,
                    truncated: resp.truncated,
                    ip: resp.ip,
                    protocol: (resp.version == reqwest::Version::HTTP_2).then_some("h2"),
                })?;
                self.bytes += resp.body.len() as u64;
            }
        }
        let first = &chain.hops[0];
        let last = chain.last();
        let resp = last.outcome.as_ref().ok();
        let bytes = resp.map_or(0, |r| r.body.len() as u64);
        self.progress.page(bytes, chain.error().is_some());
        self.archive.log(&Event::Fetch {
            url: first.url.to_string(),
            final_url: last.url.to_string(),
            method: first.method.to_string(),
            purpose,
            depth,
            platform: self.on_platform && purpose == Purpose::Page,
            status: resp.map(|r| r.status.as_u16()),
            redirects: chain.hops[1..].iter().map(|h| h.url.to_string()).collect(),
            ms: chain_ms(chain),
            bytes,
            truncated: resp.is_some_and(|r| r.truncated),
            content_type: resp
                .and_then(|r| r.header("content-type"))
                .map(str::to_owned),
            charset: charset.map(|c| c.0.clone()),
            charset_source: charset.map(|c| c.1),
            attempts: chain.hops.iter().map(|h| h.attempts).sum(),
            error: chain.error().map(logged),
        })
    }

    /// Status checks: every homepage link, and the first `--check-links` other links not
    /// already fetched as pages. Links fetched as pages are reported from that fetch. Says
    /// whether a link's name failed to resolve, so the crawl checks the resolver.
    async fn check_links(
        &mut self,
        linked: &[SeenLink],
        known: &HashMap<String, KnownResult>,
    ) -> io::Result<bool> {
        let mut name_failed = false;
        let cut_short = self.stopped();
        let mut to_check: Vec<Url> = Vec::new();
        let mut sampled = 0usize;
        let mut chosen: HashSet<&str> = HashSet::new();
        for seen in linked {
            let url = &seen.url;
            if known.contains_key(url.as_str()) || chosen.contains(url.as_str()) {
                continue;
            }
            // A link check is a request like any other: robots.txt rules already known for
            // its origin apply. (External origins' robots.txt is not fetched for one HEAD.)
            if self
                .robots
                .get(&robots::origin(url))
                .is_some_and(|r| !r.allowed(url))
            {
                continue;
            }
            // A crawl cut short starts no new request; the links to fetched pages are
            // still reported below.
            if cut_short {
                break;
            }
            if seen.on_homepage || sampled < self.opts.check_links {
                if !seen.on_homepage {
                    sampled += 1;
                }
                chosen.insert(url.as_str());
                to_check.push(url.clone());
            }
        }
        let mut results: HashMap<String, KnownResult> = HashMap::new();
        let mut fallback: Vec<Url> = Vec::new();
        let mut set = self.spawn_fetches(&to_check, Method::HEAD, 0);
        while let Some((i, chain)) = self.next_in_time(&mut set, &to_check).await {
            let status = chain.response().map(|r| r.status);
            if matches!(
                status,
                Some(StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_IMPLEMENTED)
            ) {
                fallback.push(to_check[i].clone());
            }
            self.record(&chain, Purpose::LinkCheck, None, None)?;
            results.insert(to_check[i].to_string(), result_of(&chain));
        }
        fallback.sort();
        let mut set = self.spawn_fetches(&fallback, Method::GET, LINK_CHECK_BYTES);
        while let Some((i, chain)) = self.next_in_time(&mut set, &fallback).await {
            self.record(&chain, Purpose::LinkCheck, None, None)?;
            results.insert(fallback[i].to_string(), result_of(&chain));
        }
        for seen in linked {
            let url = &seen.url;
            let Some(result) = results
                .get(url.as_str())
                .or_else(|| known.get(url.as_str()))
            else {
                continue;
            };
            let ok = result.error.is_none() && result.status.is_some_and(|s| s < 400);
            name_failed |= result
                .error
                .as_ref()
                .is_some_and(|e| e.class == ErrorClass::Dns);
            self.archive.log(&Event::Link {
                from: seen.from.to_string(),
                url: url.to_string(),
                text: seen.text.clone(),
                internal: self.scope.contains(url),
                on_homepage: seen.on_homepage,
                status: result.status,
                ok,
                error: result.error.clone(),
            })?;
        }
        Ok(name_failed)
    }

    /// `--probes N`: the homepage fetched N more times, `--probe-interval` apart.
    async fn probe(&mut self, home: &Url) -> io::Result<()> {
        for n in 1..=self.opts.probes {
            if self.stopped() {
                break;
            }
            if n > 1 {
                tokio::time::sleep(self.opts.probe_interval).await;
            }
            let chain = self
                .fetcher
                .fetch(home, Method::GET, self.opts.fetch.max_bytes, &|_| true)
                .await;
            self.record(&chain, Purpose::Probe, None, None)?;
            let result = result_of(&chain);
            self.archive.log(&Event::Probe {
                n,
                status: result.status,
                ms: chain_ms(&chain),
                error: result.error,
            })?;
        }
        Ok(())
    }
}

/// How long a fetch took the site to answer, in milliseconds: each hop from sending its
/// request to the end of its body, summed over the redirects. Our own waits (politeness,
/// retries) are not in it.
fn chain_ms(chain: &Chain) -> u64 {
    chain
        .hops
        .iter()
        .map(|h| h.elapsed.as_millis() as u64)
        .sum()
}

/// Fetches in flight, with each task's index so that a task that panicked (a bug, not a
/// site's doing) can still be reported as a failed fetch of its URL instead of taking the
/// crawl down.
struct Fetches {
    set: JoinSet<(usize, Chain)>,
    index: HashMap<tokio::task::Id, usize>,
}

impl Fetches {
    async fn next(&mut self, urls: &[Url]) -> Option<(usize, Chain)> {
        match self.set.join_next_with_id().await? {
            Ok((_, done)) => Some(done),
            Err(err) => {
                let i = self.index[&err.id()];
                let failed = Attempted {
                    url: urls[i].clone(),
                    method: Method::GET,
                    request_head: Vec::new(),
                    outcome: Err(FetchError {
                        class: ErrorClass::Other,
                        message: format!("internal error while fetching: {err}"),
                    }),
                    attempts: 1,
                    elapsed: Default::default(),
                };
                Some((
                    i,
                    Chain {
                        hops: vec![failed],
                        redirect_error: None,
                    },
                ))
            }
        }
    }
}

fn logged(e: &FetchError) -> LoggedError {
    LoggedError {
        class: e.class,
        message: e.message.clone(),
    }
}

fn result_of(chain: &Chain) -> KnownResult {
    KnownResult {
        status: chain
            .last()
            .outcome
            .as_ref()
            .ok()
            .map(|r| r.status.as_u16()),
        error: chain.error().map(logged),
    }
}

/// Decodes a page and extracts its links on the blocking pool: charset detection and HTML
/// parsing are CPU work that would stall the timers of other fetches (measured: scanning on
/// the async workers instead was about 20% slower in `benches/crawl.rs`), and `scraper`'s
/// document is not `Send`, so it is built and dropped inside one closure.
async fn scan_page(resp: &Response, page: &Url) -> PageScan {
    let body = resp.body.clone();
    let content_type = resp.header("content-type").map(str::to_owned);
    let page = page.clone();
    tokio::task::spawn_blocking(move || {
        let (text, encoding, source) =
            charset::decode_html_borrowed(&body, content_type.as_deref(), page.host_str());
        let links = extract::links(&text, &page);
        PageScan {
            links,
            charset: (encoding.name().to_owned(), source),
        }
    })
    .await
    .unwrap_or_else(|_| PageScan {
        links: Vec::new(),
        charset: ("UTF-8".to_owned(), CharsetSource::Default),
    })
}
