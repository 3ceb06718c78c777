//! One site's crawl: breadth-first from the homepage within the site's scope, robots.txt
//! first for every origin, then link checks, then homepage probes.
//!
//! Each depth level is fetched concurrently (the fetcher's bounds decide how much), and its
//! results are processed in the level's order, so the set of pages crawled under
//! `--max-pages` does not depend on which response came back first. Every response is written
//! to the archive as soon as it is processed and its body dropped.

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::Arc;
use std::time::Instant;

use reqwest::{Method, StatusCode};
use tokio::task::JoinSet;
use url::Url;

use super::fetch::{Chain, FetchError, Fetcher};
use super::log::{Event, LoggedError, Purpose, SiteStatus};
use super::robots::{self, MAX_ROBOTS_BYTES, RobotsRules};
use super::scope::{Scope, is_attachment};
use super::{CrawlOptions, Progress};
use crate::archive::{Exchange, SiteArchive};
use crate::charset;
use crate::extract;
use crate::input::Site;

/// Body cap for a link check that had to fall back to GET: enough to see the response
/// start, never a whole attachment.
const LINK_CHECK_BYTES: usize = 64 * 1024;

/// What a finished site reports to the crawl.
#[derive(Debug, Clone)]
pub struct SiteOutcome {
    pub status: SiteStatus,
    pub reason: Option<String>,
    pub pages: u32,
}

/// A link seen on a crawled page, remembered for link checking.
#[derive(Debug, Clone)]
struct SeenLink {
    from: Url,
    text: String,
    on_homepage: bool,
}

/// The result of a URL fetched as a page, for reporting links to it without a new request.
#[derive(Debug, Clone)]
struct KnownResult {
    status: Option<u16>,
    error: Option<LoggedError>,
}

struct SiteCrawl<'a> {
    fetcher: Arc<Fetcher>,
    opts: &'a CrawlOptions,
    archive: &'a mut SiteArchive,
    progress: &'a dyn Progress,
    scope: Scope,
    robots: HashMap<String, RobotsRules>,
    pages: u32,
    errors: u32,
    bytes: u64,
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
        scope: Scope::of(&site.url),
        robots: HashMap::new(),
        pages: 0,
        errors: 0,
        bytes: 0,
    };
    let (status, reason, final_url) = crawl.run(&site.url).await?;
    crawl.archive.log(&Event::Site {
        url: site.url.to_string(),
        name: site.name.clone(),
        status,
        reason: reason.clone(),
        final_url,
        pages: crawl.pages,
        errors: crawl.errors,
        bytes: crawl.bytes,
        seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
    })?;
    Ok(SiteOutcome {
        status,
        reason,
        pages: crawl.pages,
    })
}

impl SiteCrawl<'_> {
    async fn run(&mut self, home: &Url) -> io::Result<(SiteStatus, Option<String>, String)> {
        let mut known: HashMap<String, KnownResult> = HashMap::new();
        let mut linked: Vec<(Url, SeenLink)> = Vec::new();
        let mut linked_seen: HashSet<String> = HashSet::new();
        let mut queued: HashSet<String> = HashSet::from([home.as_str().to_owned()]);
        let mut level: Vec<Url> = vec![home.clone()];
        let mut home_final = home.to_string();

        for depth in 0..=self.opts.max_depth {
            if level.is_empty() {
                break;
            }
            // Robots first, origin by origin, then the level's allowed URLs all at once.
            let mut allowed: Vec<Url> = Vec::with_capacity(level.len());
            for url in level.drain(..) {
                if self.robots_allow(&url).await? {
                    allowed.push(url);
                } else {
                    let from = linked
                        .iter()
                        .find(|(u, _)| *u == url)
                        .map(|(_, s)| s.from.to_string())
                        .unwrap_or_default();
                    self.archive.log(&Event::Disallowed {
                        url: url.to_string(),
                        from,
                    })?;
                    if depth == 0 {
                        return Ok((
                            SiteStatus::Unreachable,
                            Some(
                                "robots.txt disallows the homepage; it was not fetched".to_owned(),
                            ),
                            home_final,
                        ));
                    }
                }
            }
            self.pages += allowed.len() as u32;
            let chains = self
                .fetch_all(&allowed, Method::GET, self.opts.fetch.max_bytes)
                .await;
            let mut next: Vec<Url> = Vec::new();
            for (url, chain) in allowed.iter().zip(chains) {
                self.record(&chain, Purpose::Page, Some(depth))?;
                let last = chain.last();
                known.insert(
                    url.to_string(),
                    KnownResult {
                        status: last.outcome.as_ref().ok().map(|r| r.status.as_u16()),
                        error: chain.error().map(logged),
                    },
                );
                let page_ok = chain.response().is_some_and(|r| r.status.is_success());
                if !page_ok {
                    self.errors += 1;
                }
                if depth == 0 {
                    if !page_ok {
                        let reason = match (chain.error(), chain.response()) {
                            (Some(e), _) => e.message.clone(),
                            (None, Some(r)) => {
                                format!("the homepage answered HTTP {}", r.status.as_u16())
                            }
                            _ => "the homepage did not answer".to_owned(),
                        };
                        return Ok((
                            SiteStatus::Unreachable,
                            Some(reason),
                            chain.final_url().to_string(),
                        ));
                    }
                    home_final = chain.final_url().to_string();
                    // A homepage that moved takes its site along.
                    self.scope.include(chain.final_url());
                }
                let Some(resp) = chain
                    .response()
                    .filter(|r| r.status.is_success() && r.is_html())
                else {
                    continue;
                };
                let page_url = chain.final_url().clone();
                if !self.scope.contains(&page_url) {
                    continue;
                }
                let links = page_links(resp, &page_url).await;
                drop(chain);
                for link in links {
                    let key = link.url.to_string();
                    let internal = self.scope.contains(&link.url);
                    if !internal {
                        self.archive.log(&Event::Outlink {
                            from: page_url.to_string(),
                            url: key.clone(),
                            text: link.text.clone(),
                        })?;
                    }
                    let seen_now = linked_seen.insert(key.clone());
                    if seen_now || depth == 0 {
                        linked.push((
                            link.url.clone(),
                            SeenLink {
                                from: page_url.clone(),
                                text: link.text.clone(),
                                on_homepage: depth == 0,
                            },
                        ));
                    }
                    let crawlable = internal && !is_attachment(&link.url) && link.tag != "area";
                    let room = (self.pages as usize + next.len()) < self.opts.max_pages;
                    if crawlable && depth < self.opts.max_depth && room && queued.insert(key) {
                        next.push(link.url);
                    }
                }
            }
            level = next;
        }

        self.check_links(&linked, &known).await?;
        self.probe(home).await?;
        Ok((SiteStatus::Ok, None, home_final))
    }

    /// Whether robots.txt lets us fetch `url`, fetching the origin's file the first time.
    async fn robots_allow(&mut self, url: &Url) -> io::Result<bool> {
        let origin = robots::origin(url);
        if !self.robots.contains_key(&origin) {
            let chain = self
                .fetcher
                .fetch(&robots::robots_url(url), Method::GET, MAX_ROBOTS_BYTES)
                .await;
            self.record(&chain, Purpose::Robots, None)?;
            let (rules, verdict) = RobotsRules::from_fetch(&chain);
            let host = url.host_str().unwrap_or_default();
            if let Some(delay) = verdict.crawl_delay {
                self.fetcher.set_crawl_delay(host, delay);
            }
            self.archive.log(&Event::RobotsFile {
                origin: origin.clone(),
                outcome: verdict.outcome.to_owned(),
                reason: verdict.reason,
                crawl_delay: verdict.crawl_delay,
                interval_ms: self.fetcher.host_interval(host).as_millis() as u64,
            })?;
            self.robots.insert(origin.clone(), rules);
        }
        Ok(self.robots[&origin].allowed(url))
    }

    /// Fetches URLs concurrently and returns their chains in the order given.
    async fn fetch_all(&self, urls: &[Url], method: Method, max_bytes: usize) -> Vec<Chain> {
        let mut set = JoinSet::new();
        for (i, url) in urls.iter().enumerate() {
            let fetcher = self.fetcher.clone();
            let url = url.clone();
            let method = method.clone();
            set.spawn(async move { (i, fetcher.fetch(&url, method, max_bytes).await) });
        }
        let mut out: Vec<Option<Chain>> = vec![None; urls.len()];
        while let Some(joined) = set.join_next().await {
            let (i, chain) = joined.expect("fetch tasks do not panic");
            out[i] = Some(chain);
        }
        out.into_iter()
            .map(|c| c.expect("every fetch returns"))
            .collect()
    }

    /// Archives every hop of a chain and logs it as one fetch event.
    fn record(&mut self, chain: &Chain, purpose: Purpose, depth: Option<u32>) -> io::Result<()> {
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
            }
        }
        let first = &chain.hops[0];
        let last = chain.last();
        let resp = last.outcome.as_ref().ok();
        let bytes = resp.map_or(0, |r| r.body.len() as u64);
        self.bytes += chain
            .hops
            .iter()
            .filter_map(|h| h.outcome.as_ref().ok())
            .map(|r| r.body.len() as u64)
            .sum::<u64>();
        let (charset, charset_source) = match resp {
            Some(r) if purpose == Purpose::Page && r.is_html() => {
                let (enc, src) =
                    charset::sniff(&r.body, r.header("content-type"), last.url.host_str());
                (Some(enc.name().to_owned()), Some(src))
            }
            _ => (None, None),
        };
        self.progress.page(bytes, chain.error().is_some());
        self.archive.log(&Event::Fetch {
            url: first.url.to_string(),
            final_url: last.url.to_string(),
            method: first.method.to_string(),
            purpose,
            depth,
            status: resp.map(|r| r.status.as_u16()),
            redirects: chain.hops[1..].iter().map(|h| h.url.to_string()).collect(),
            ms: last.elapsed.as_millis() as u64,
            bytes,
            truncated: resp.is_some_and(|r| r.truncated),
            content_type: resp
                .and_then(|r| r.header("content-type"))
                .map(str::to_owned),
            charset,
            charset_source,
            attempts: chain.hops.iter().map(|h| h.attempts).sum(),
            error: chain.error().map(logged),
        })
    }

    /// Status checks: every homepage link, and the first `--check-links` other links not
    /// already fetched as pages. Links fetched as pages are reported from that fetch.
    async fn check_links(
        &mut self,
        linked: &[(Url, SeenLink)],
        known: &HashMap<String, KnownResult>,
    ) -> io::Result<()> {
        let mut to_check: Vec<Url> = Vec::new();
        let mut sampled = 0usize;
        let mut chosen: HashSet<&str> = HashSet::new();
        for (url, seen) in linked {
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
            if seen.on_homepage || sampled < self.opts.check_links {
                if !seen.on_homepage {
                    sampled += 1;
                }
                chosen.insert(url.as_str());
                to_check.push(url.clone());
            }
        }
        let mut results: HashMap<String, KnownResult> = HashMap::new();
        let heads = self.fetch_all(&to_check, Method::HEAD, 0).await;
        let mut fallback: Vec<Url> = Vec::new();
        for (url, chain) in to_check.iter().zip(heads) {
            let status = chain.response().map(|r| r.status);
            if matches!(
                status,
                Some(StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_IMPLEMENTED)
            ) {
                fallback.push(url.clone());
            }
            self.record(&chain, Purpose::LinkCheck, None)?;
            results.insert(url.to_string(), result_of(&chain));
        }
        let gets = self
            .fetch_all(&fallback, Method::GET, LINK_CHECK_BYTES)
            .await;
        for (url, chain) in fallback.iter().zip(gets) {
            self.record(&chain, Purpose::LinkCheck, None)?;
            results.insert(url.to_string(), result_of(&chain));
        }
        for (url, seen) in linked {
            let Some(result) = results
                .get(url.as_str())
                .or_else(|| known.get(url.as_str()))
            else {
                continue;
            };
            let ok = result.error.is_none() && result.status.is_some_and(|s| s < 400);
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
        Ok(())
    }

    /// `--probes N`: the homepage fetched N more times, `--probe-interval` apart.
    async fn probe(&mut self, home: &Url) -> io::Result<()> {
        for n in 1..=self.opts.probes {
            if n > 1 {
                tokio::time::sleep(self.opts.probe_interval).await;
            }
            let chain = self
                .fetcher
                .fetch(home, Method::GET, self.opts.fetch.max_bytes)
                .await;
            self.record(&chain, Purpose::Probe, None)?;
            let result = result_of(&chain);
            let ms: u64 = chain
                .hops
                .iter()
                .map(|h| h.elapsed.as_millis() as u64)
                .sum();
            self.archive.log(&Event::Probe {
                n,
                status: result.status,
                ms,
                error: result.error,
            })?;
        }
        Ok(())
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

/// Decodes a page and extracts its links on the blocking pool: parsing is CPU work and
/// `scraper`'s document is not `Send`, so it is built and dropped inside one closure.
async fn page_links(resp: &super::fetch::Response, page: &Url) -> Vec<extract::Link> {
    let body = resp.body.clone();
    let content_type = resp.header("content-type").map(str::to_owned);
    let page = page.clone();
    tokio::task::spawn_blocking(move || {
        let decoded = charset::decode_html(&body, content_type.as_deref(), page.host_str());
        extract::links(&decoded.text, &page)
    })
    .await
    .unwrap_or_default()
}
