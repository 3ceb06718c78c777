//! Crawl throughput and memory on loopback: generated gov-like sites served by a separate
//! process (so the crawler's peak memory is its own), crawled through the real pipeline
//! (guard, politeness bookkeeping, robots, charset, link extraction, WARC and log writing)
//! with politeness off, then the same pages fetched by a bare reqwest client with the same
//! number of requests in flight, to show how much of the server's rate the crawler reaches.
//!
//! `cargo bench --bench crawl -- [SITES] [PAGES]` (default 100 × 100). Figures go in
//! BENCHMARKS.md.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, Response};
use govscore::crawl::{CrawlOptions, NoProgress, fetch::FetchOptions};
use govscore::input::SiteList;

#[path = "common/portal.rs"]
mod portal;
use portal::page;

const CONCURRENCY: usize = 64;
const PER_HOST: usize = 4;

fn main() {
    let args = portal::args();
    if args.first().map(String::as_str) == Some("serve") {
        let pages: usize = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(100);
        serve(pages);
        return;
    }
    let sites: usize = args.first().and_then(|p| p.parse().ok()).unwrap_or(100);
    let pages: usize = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(100);
    let (mut server, port) = portal::spawn_server(pages);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (crawl_secs, fetched, rss) = rt.block_on(crawl(port, sites, pages));
    let baseline_secs = rt.block_on(baseline(port, sites, pages));
    server.kill().ok();
    server.wait().ok();

    let expected = sites * pages;
    println!(
        "sites: {sites}, pages per site: {pages} ({expected} pages), {CONCURRENCY} in flight, {PER_HOST} per host, delay 0"
    );
    println!(
        "govscore crawl: {fetched} fetches (pages + robots.txt) in {crawl_secs:.2} s = {:.0} fetches/s, {:.0} pages/s; peak RSS {:.1} MiB",
        fetched as f64 / crawl_secs,
        expected as f64 / crawl_secs,
        rss as f64 / 1024.0
    );
    println!(
        "bare client, same pages: {expected} GETs in {baseline_secs:.2} s = {:.0} pages/s",
        expected as f64 / baseline_secs
    );
    println!(
        "crawler / bare client: {:.0}%",
        100.0 * baseline_secs / crawl_secs
    );
}

fn host(i: usize) -> String {
    format!("www.site{i:04}.gov.cn")
}

/// Crawls the generated sites; returns seconds, fetches made, and peak resident memory
/// (KiB) of this process, which holds only the crawler.
async fn crawl(port: u16, sites: usize, pages: usize) -> (f64, u64, u64) {
    let (list, resolve) = portal::loopback_sites(sites, port, host);
    let site_list = SiteList::parse(&list, "bench-sites.txt").unwrap();
    let options = CrawlOptions {
        fetch: FetchOptions {
            concurrency: CONCURRENCY,
            per_host: PER_HOST,
            delay: Duration::ZERO,
            timeout: Duration::from_secs(30),
            ..FetchOptions::default()
        },
        max_depth: 3,
        // As many sites as the request bounds keep busy, as before sites in flight had a
        // bound of their own: the figures stay comparable.
        sites_in_flight: CONCURRENCY / PER_HOST,
        max_pages: pages,
        check_links: 0,
        allow_net: vec!["127.0.0.0/8".parse().unwrap()],
        resolve,
        ..CrawlOptions::default()
    };
    let out = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let report = govscore::crawl::crawl(
        &site_list,
        &list,
        &options,
        out.path(),
        Arc::new(NoProgress),
    )
    .await
    .unwrap();
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(report.unreachable, 0);
    assert_eq!(report.pages, (sites * pages) as u64, "every page crawled");
    // pages + one robots.txt per site
    (
        secs,
        report.pages + sites as u64,
        portal::status_kib("VmHWM:"),
    )
}

/// The same pages with a bare client: no guard, no robots, no parsing, no archive.
async fn baseline(port: u16, sites: usize, pages: usize) -> f64 {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let sem = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..sites {
        for p in 0..pages {
            let path = if p == 0 {
                "/".to_owned()
            } else {
                format!("/p/{p}.html")
            };
            let url = format!("http://127.0.0.1:{port}{path}");
            let (client, sem, host) = (client.clone(), sem.clone(), host(i));
            set.spawn(async move {
                let _permit = sem.acquire().await.unwrap();
                let resp = client
                    .get(&url)
                    .header("host", format!("{host}:{port}"))
                    .send()
                    .await
                    .unwrap();
                resp.bytes().await.unwrap().len()
            });
        }
    }
    while set.join_next().await.is_some() {}
    started.elapsed().as_secs_f64()
}

/// Serves generated portals: `/` links to the first twenty pages, every page links to ten
/// others, so a breadth-first crawl to depth 3 reaches all of them.
fn serve(pages: usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let listener = portal::listen().await;
        let app = axum::Router::new().fallback(move |req: Request<Body>| async move {
            match portal::page_number(req.uri().path()) {
                Some(n) if n < pages => Response::builder()
                    .header("content-type", "text/html; charset=utf-8")
                    .body(Body::from(page(n, pages)))
                    .unwrap(),
                _ => Response::builder().status(404).body(Body::empty()).unwrap(),
            }
        });
        axum::serve(listener, app).await.unwrap();
    });
}
