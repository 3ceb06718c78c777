//! The national census, simulated: thousands of portals under distinct host names, served by
//! a separate process on loopback that behaves like real government servers — each response
//! after a latency drawn from 100 ms to 2 s, some sites slow (5 s a response), a few never
//! answering, a few throttling with 429 or 503 and `Retry-After` — crawled by the library with
//! the **default politeness** (2 requests per host, 500 ms apart, 15 s timeout, retries).
//!
//! Reports the crawl's rate against the politeness bound (sites in flight × 2 pages/s), the
//! crawler's peak memory and open descriptors (sampled each second), the archive's size per
//! page, the score stage's time and peak memory over the resulting crawl folder (in a process
//! of its own), and the projection for 14 000 portals × 300 pages.
//!
//! `cargo bench --bench census -- [SITES] [PAGES] [SITES_IN_FLIGHT]` (default 2000 × 30 ×
//! the library's default). Figures go in BENCHMARKS.md.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, Response};
use govscore::archive::log::SiteStatus;
use govscore::crawl::{CrawlOptions, Progress};
use govscore::input::{Site, SiteList};

#[path = "common/portal.rs"]
mod portal;

/// The national census: portals, and pages each at the default `--max-pages`.
const CENSUS_SITES: f64 = 14_000.0;
const CENSUS_PAGES: f64 = 300.0;

fn main() {
    let args = portal::args();
    match args.first().map(String::as_str) {
        Some("serve") => {
            let pages = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(30);
            serve(pages);
            return;
        }
        Some("score") => {
            score(Path::new(&args[1]));
            return;
        }
        _ => {}
    }
    let sites: usize = args.first().and_then(|p| p.parse().ok()).unwrap_or(2000);
    let pages: usize = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(30);
    let in_flight: usize = args
        .get(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(CrawlOptions::default().sites_in_flight);

    let (mut server, port) = portal::spawn_server(pages);

    let dir = tempfile::tempdir().unwrap();
    let crawl_dir = dir.path().join("crawl");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let progress = Arc::new(Counter::default());
    let sampler = Sampler::start(progress.clone());
    let started = Instant::now();
    let report = rt.block_on(crawl(
        port,
        sites,
        pages,
        in_flight,
        &crawl_dir,
        progress.clone(),
    ));
    let crawl_secs = started.elapsed().as_secs_f64();
    let samples = sampler.stop();
    server.kill().ok();
    server.wait().ok();

    let fetched = progress.pages.load(Ordering::Relaxed);
    let archive: u64 = dir_size(&crawl_dir.join("warc"));
    let logs: u64 = dir_size(&crawl_dir.join("log"));
    // The steady rate: pages between 10% and 80% of the crawl's fetches, before the tail of
    // slow and dead sites leaves most slots idle.
    let at = |share: f64| {
        samples
            .iter()
            .find(|s| s.fetches as f64 >= share * fetched as f64)
            .map(|s| (s.secs, s.fetches))
    };
    let steady = match (at(0.1), at(0.8)) {
        (Some((t0, f0)), Some((t1, f1))) if t1 > t0 => (f1 - f0) as f64 / (t1 - t0),
        _ => fetched as f64 / crawl_secs,
    };
    let peak_rss = samples.iter().map(|s| s.rss_kib).max().unwrap_or(0);
    let peak_fds = samples.iter().map(|s| s.fds).max().unwrap_or(0);
    let bound = in_flight as f64 * 2.0;

    let scored = Command::new(std::env::current_exe().unwrap())
        .args(["score", crawl_dir.to_str().unwrap()])
        .output()
        .unwrap();
    let score_line = String::from_utf8_lossy(&scored.stdout).into_owned();
    let mut parts = score_line.split_whitespace();
    let score_secs: f64 = parts
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    let score_rss: u64 = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0);
    assert!(
        scored.status.success(),
        "{}",
        String::from_utf8_lossy(&scored.stderr)
    );

    let census_pages = CENSUS_SITES * CENSUS_PAGES;
    println!(
        "census simulation: {sites} sites × {pages} pages, {in_flight} sites in flight, default politeness"
    );
    println!(
        "crawl: {} sites ({} unreachable), {} pages, {fetched} fetches in {crawl_secs:.0} s: {:.0} fetches/s overall, {steady:.0} steady; politeness bound {bound:.0} pages/s ({:.0}%)",
        report.crawled,
        report.unreachable,
        report.pages,
        fetched as f64 / crawl_secs,
        100.0 * steady / bound
    );
    println!(
        "crawler: peak RSS {:.0} MiB, peak open descriptors {peak_fds}",
        peak_rss as f64 / 1024.0
    );
    println!(
        "archive: {:.1} KiB per page (WARC {:.0} MiB, logs {:.1} MiB)",
        archive as f64 / 1024.0 / report.pages.max(1) as f64,
        archive as f64 / 1048576.0,
        logs as f64 / 1048576.0
    );
    println!(
        "score stage: {score_secs:.1} s ({:.0} pages/s), peak RSS {:.0} MiB",
        report.pages as f64 / score_secs,
        score_rss as f64 / 1024.0
    );
    let crawl_hours = census_pages / steady / 3600.0;
    let score_hours = census_pages / (report.pages as f64 / score_secs) / 3600.0;
    println!(
        "projection, {CENSUS_SITES} × {CENSUS_PAGES} pages: crawl {crawl_hours:.1} h at the steady rate, score {score_hours:.1} h; archive {:.0} GiB",
        census_pages * archive as f64 / report.pages.max(1) as f64 / 1073741824.0
    );
    for s in samples.iter().step_by((samples.len() / 12).max(1)) {
        println!(
            "  t={:>4.0}s fetches={:>6} sites done={:>5} rss={:>4.0} MiB fds={}",
            s.secs,
            s.fetches,
            s.sites,
            s.rss_kib as f64 / 1024.0,
            s.fds
        );
    }
}

fn host(i: usize) -> String {
    format!("www.county{i:05}.gov.cn")
}

async fn crawl(
    port: u16,
    sites: usize,
    pages: usize,
    in_flight: usize,
    out: &Path,
    progress: Arc<Counter>,
) -> govscore::crawl::CrawlReport {
    let (list, resolve) = portal::loopback_sites(sites, port, host);
    let site_list = SiteList::parse(&list, "census-sites.txt").unwrap();
    let options = CrawlOptions {
        sites_in_flight: in_flight,
        max_pages: pages,
        allow_net: vec!["127.0.0.0/8".parse().unwrap()],
        resolve,
        dns_probes: Vec::new(),
        ..CrawlOptions::default()
    };
    govscore::crawl::crawl(&site_list, &list, &options, out, progress)
        .await
        .unwrap()
}

/// Fetches and finished sites, counted as the crawl reports them.
#[derive(Default)]
struct Counter {
    pages: AtomicU64,
    sites: AtomicU64,
}

impl Progress for Counter {
    fn start(&self, _: usize, _: usize) {}
    fn page(&self, _: u64, _: bool) {
        self.pages.fetch_add(1, Ordering::Relaxed);
    }
    fn site_done(&self, _: &Site, _: SiteStatus) {
        self.sites.fetch_add(1, Ordering::Relaxed);
    }
    fn finish(&self) {}
}

/// One second of the crawl.
struct Sample {
    secs: f64,
    fetches: u64,
    sites: u64,
    rss_kib: u64,
    fds: usize,
}

/// Samples the crawler's progress, memory and descriptors every second on a thread.
struct Sampler {
    stop: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<Vec<Sample>>,
}

impl Sampler {
    fn start(counter: Arc<Counter>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let started = Instant::now();
            let mut samples = Vec::new();
            while !flag.load(Ordering::Relaxed) {
                samples.push(Sample {
                    secs: started.elapsed().as_secs_f64(),
                    fetches: counter.pages.load(Ordering::Relaxed),
                    sites: counter.sites.load(Ordering::Relaxed),
                    rss_kib: portal::status_kib("VmRSS:"),
                    fds: std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count),
                });
                std::thread::sleep(Duration::from_secs(1));
            }
            samples
        });
        Self { stop, handle }
    }

    fn stop(self) -> Vec<Sample> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap()
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |d| {
        d.filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum()
    })
}

/// The score stage as `govscore score` runs it (results and reports written), in this
/// process alone: prints its seconds and peak resident KiB.
fn score(crawl_dir: &Path) {
    let sites = govscore::evaluate::crawl_sites(crawl_dir).unwrap();
    let paths = govscore::input::MethodPaths {
        indicators: govscore::input::Source::File(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators.yaml"),
        ),
        cases: None,
        manual: None,
    };
    let method = govscore::input::Method::load(&paths, &sites).unwrap();
    let inputs = govscore::evaluate::ScoreInputs {
        method: &method,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        year: 2026,
        threads: None,
        shard: None,
    };
    let out = crawl_dir.with_file_name("report");
    let started = Instant::now();
    govscore::pipeline::score(crawl_dir, &inputs, &out, None, govscore::lang::Lang::Zh).unwrap();
    println!(
        "{} {}",
        started.elapsed().as_secs_f64(),
        portal::status_kib("VmHWM:")
    );
}

/// How a simulated site behaves, from its index: most answer after 100 ms – 2 s; 5% take
/// 5 s a response; 1% never answer; 3% throttle each page's first request (429 or 503 with
/// `Retry-After: 2`).
#[derive(Clone, Copy, PartialEq)]
enum Behaviour {
    Normal,
    Slow,
    Dead,
    Throttling,
}

fn behaviour(site: usize) -> Behaviour {
    match mix(site as u64) % 100 {
        0 => Behaviour::Dead,
        1..=5 => Behaviour::Slow,
        6..=8 => Behaviour::Throttling,
        _ => Behaviour::Normal,
    }
}

/// SplitMix64: a deterministic spread of an index.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A latency between 100 ms and 2 s, log-uniform (median about 450 ms), for one request.
fn latency(site: usize, path: &str, nth: u64) -> Duration {
    let seed = path
        .bytes()
        .fold(mix(site as u64 ^ nth.rotate_left(17)), |h, b| {
            mix(h ^ u64::from(b))
        });
    let unit = (seed >> 11) as f64 / (1u64 << 53) as f64;
    Duration::from_secs_f64(0.1 * 20f64.powf(unit))
}

fn serve(pages: usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let listener = portal::listen().await;
        let throttled: Arc<Mutex<HashSet<(usize, String)>>> = Arc::default();
        let requests = Arc::new(AtomicU64::new(0));
        let app = axum::Router::new().fallback(move |req: Request<Body>| {
            let (throttled, requests) = (throttled.clone(), requests.clone());
            async move {
                let nth = requests.fetch_add(1, Ordering::Relaxed);
                let site: usize = req
                    .headers()
                    .get("host")
                    .and_then(|h| h.to_str().ok())
                    .and_then(|h| h.strip_prefix("www.county"))
                    .and_then(|h| h.get(..5))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                let path = req.uri().path().to_owned();
                let how = behaviour(site);
                let wait = match how {
                    Behaviour::Dead => Duration::from_secs(120),
                    Behaviour::Slow => Duration::from_secs(5),
                    _ => latency(site, &path, nth),
                };
                tokio::time::sleep(wait).await;
                if how == Behaviour::Throttling
                    && throttled.lock().unwrap().insert((site, path.clone()))
                {
                    let status = if nth % 2 == 0 { 429 } else { 503 };
                    return Response::builder()
                        .status(status)
                        .header("retry-after", "2")
                        .body(Body::empty())
                        .unwrap();
                }
                match portal::page_number(&path) {
                    Some(n) if n < pages => Response::builder()
                        .header("content-type", "text/html; charset=utf-8")
                        .body(Body::from(portal::page(n, pages)))
                        .unwrap(),
                    _ => Response::builder().status(404).body(Body::empty()).unwrap(),
                }
            }
        });
        axum::serve(listener, app).await.unwrap();
    });
}
