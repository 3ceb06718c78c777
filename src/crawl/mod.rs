//! The crawl stage, the only one that touches the network: every site of the list crawled in
//! parallel, politely and within bounds, every response archived as WARC as it arrives.
//!
//! [`crawl`] owns the crawl folder (see [`crate::archive`] for its layout): it records the
//! site list and options, skips sites a previous run finished, and runs the others with a
//! bounded number of sites in flight, so memory depends on that bound and not on the length of
//! the list. Each site (`site.rs`) is fetched through one shared [`fetch::Fetcher`] whose
//! global and per-host bounds keep the whole crawl polite.

pub mod fetch;
pub mod guard;
mod links;
mod robots;
mod site;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use serde::Serialize;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::archive::log::SiteStatus;
use crate::archive::{self, SiteArchive};
use crate::files::{sha256_hex, write_atomic};
use crate::input::{Site, SiteList};
use crate::shard::Shard;
use fetch::{FetchOptions, Fetcher};
use guard::{AddressPolicy, NameOverride};

/// Everything a crawl is configured by.
#[derive(Debug, Clone)]
pub struct CrawlOptions {
    /// How each request is made: bounds, politeness, time and size limits.
    pub fetch: FetchOptions,
    /// Link depth from the homepage.
    pub max_depth: u32,
    /// Sites crawled at once. Each holds at most `per_host` requests to its host and waits
    /// `delay` between them, so under politeness the crawl's rate is about this many sites
    /// times a site's rate (2 pages/s at the defaults): a national run needs hundreds in
    /// flight, a few dozen keep a loopback test busy.
    pub sites_in_flight: usize,
    /// Pages fetched per site, the homepage included.
    pub max_pages: usize,
    /// Links checked per site beyond the homepage's (which are all checked).
    pub check_links: usize,
    /// Extra homepage fetches for the availability rule.
    pub probes: u32,
    /// The wait between two probes.
    pub probe_interval: Duration,
    /// The longest one site's crawl may take: past it, no new page, link check or probe
    /// is started, what is in flight is dropped, and the site is scored on what was
    /// fetched, its evidence saying the crawl was cut short.
    pub site_timeout: Duration,
    /// Page fetches of a site in a row that may time out before the site's crawl stops: a
    /// server trickling every page just under `--timeout` must not hold the crawl for hours.
    pub max_timeouts_in_row: u32,
    /// `--allow-private`: loopback, private and the other non-public ranges may be contacted.
    pub allow_private: bool,
    /// `--allow-net`: non-public ranges opened one by one.
    pub allow_net: Vec<IpNet>,
    /// `--resolve HOST:PORT:ADDR` overrides; their addresses pass the same guard.
    pub resolve: Vec<NameOverride>,
    /// Crawl only this shard's sites.
    pub shard: Option<Shard>,
    /// The integrated service platform (一体化政务服务平台) a portal links to, followed on its
    /// own small budget so that the guides there are evaluated; `None` follows none.
    pub platform: Option<PlatformBudget>,
    /// Well-known names looked up when a link's name does not resolve, to tell a name that
    /// does not exist (a broken link) from a resolver that answers nothing (unverified).
    pub dns_probes: Vec<String>,
}

/// The names probed by default: national government and news hosts that always resolve.
pub const DNS_PROBES: [&str; 3] = ["www.gov.cn", "www.people.com.cn", "www.xinhuanet.com"];

/// How much of the service platform is crawled for each site (the indicator file's
/// `platform` section).
#[derive(Debug, Clone)]
pub struct PlatformBudget {
    /// Hosts that are the platform.
    pub hosts: crate::input::indicators::Patterns,
    /// Platform pages fetched per site.
    pub max_pages: usize,
    /// Link depth from the first platform page the portal links to.
    pub max_depth: u32,
}

impl PlatformBudget {
    /// The budget the indicator file sets.
    pub fn of(platform: &crate::input::indicators::Platform) -> Self {
        Self {
            hosts: platform.hosts.clone(),
            max_pages: platform.max_pages as usize,
            max_depth: platform.max_depth,
        }
    }

    /// Whether `url` is on the platform.
    pub fn covers(&self, url: &url::Url) -> bool {
        url.host_str().is_some_and(|h| self.hosts.is_match(h))
    }
}

impl Default for CrawlOptions {
    fn default() -> Self {
        Self {
            fetch: FetchOptions::default(),
            max_depth: 3,
            sites_in_flight: SITES_IN_FLIGHT,
            max_pages: 300,
            check_links: 50,
            probes: 0,
            probe_interval: Duration::from_secs(5),
            site_timeout: Duration::from_secs(30 * 60),
            max_timeouts_in_row: 5,
            allow_private: false,
            allow_net: Vec::new(),
            resolve: Vec::new(),
            shard: None,
            platform: None,
            dns_probes: DNS_PROBES.map(String::from).to_vec(),
        }
    }
}

/// Sites in flight by default: chosen from the census simulation (BENCHMARKS.md), where
/// this many sites at the default politeness keep the projected national run within 12 hours
/// and the crawler's memory far below 500 MiB.
pub const SITES_IN_FLIGHT: usize = 256;

/// Files a crawl may hold open besides its sites' and requests': the standard streams, the
/// manifest, the runtime's own, a resolver's.
const BASE_OPEN_FILES: u64 = 64;

impl CrawlOptions {
    /// The most files and sockets the crawl may hold open at once: per site in flight its
    /// WARC, its log and up to `per_host` idle connections kept for reuse (two seconds);
    /// per request in flight a socket, and as many idle ones again for the other hosts
    /// (link checks, the platform). The census simulation measured 1 226 open at 256 sites
    /// and 2 398 at 512, against 2 112 and 3 136 from this count.
    pub fn open_files_needed(&self) -> u64 {
        let sites = self.sites_in_flight as u64;
        sites * (2 + self.fetch.per_host as u64)
            + 2 * self.fetch.concurrency as u64
            + BASE_OPEN_FILES
    }
}

/// The options as recorded in the manifest and each WARC's `warcinfo`.
#[derive(Debug, Serialize)]
struct RecordedOptions<'a> {
    concurrency: usize,
    sites_in_flight: usize,
    per_host: usize,
    delay_ms: u128,
    timeout_ms: u128,
    max_bytes: usize,
    retries: u32,
    max_depth: u32,
    max_pages: usize,
    check_links: usize,
    probes: u32,
    probe_interval_ms: u128,
    site_timeout_ms: u128,
    max_timeouts_in_row: u32,
    allow_private: bool,
    allow_net: Vec<String>,
    resolve: Vec<String>,
    user_agent: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    platform: Option<RecordedPlatform>,
}

/// The platform budget as recorded.
#[derive(Debug, Serialize)]
struct RecordedPlatform {
    hosts: Vec<String>,
    max_pages: usize,
    max_depth: u32,
}

impl CrawlOptions {
    fn recorded(&self) -> RecordedOptions<'_> {
        RecordedOptions {
            concurrency: self.fetch.concurrency,
            sites_in_flight: self.sites_in_flight,
            per_host: self.fetch.per_host,
            delay_ms: self.fetch.delay.as_millis(),
            timeout_ms: self.fetch.timeout.as_millis(),
            max_bytes: self.fetch.max_bytes,
            retries: self.fetch.retries,
            max_depth: self.max_depth,
            max_pages: self.max_pages,
            check_links: self.check_links,
            probes: self.probes,
            probe_interval_ms: self.probe_interval.as_millis(),
            site_timeout_ms: self.site_timeout.as_millis(),
            max_timeouts_in_row: self.max_timeouts_in_row,
            allow_private: self.allow_private,
            allow_net: self.allow_net.iter().map(ToString::to_string).collect(),
            resolve: self
                .resolve
                .iter()
                .map(|o| format!("{}:{}:{}", o.host, o.port, o.addr))
                .collect(),
            user_agent: &self.fetch.user_agent,
            platform: self.platform.as_ref().map(|p| RecordedPlatform {
                hosts: p
                    .hosts
                    .list()
                    .iter()
                    .map(|h| h.as_str().to_owned())
                    .collect(),
                max_pages: p.max_pages,
                max_depth: p.max_depth,
            }),
        }
    }
}

/// Reports crawl progress to whoever shows it (the binary's progress bar).
pub trait Progress: Send + Sync {
    /// The crawl starts with `total` sites, `done` of them finished in an earlier run.
    fn start(&self, total: usize, done: usize);
    /// A fetch ended; `error` when it produced no usable response.
    fn page(&self, bytes: u64, error: bool);
    /// A site crawled in this run is finished and its files have their final names.
    fn site_done(&self, site: &Site, status: SiteStatus);
    /// Every site has ended; called once, unless the crawl stopped on an error.
    fn finish(&self);
}

/// Progress reporting that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: usize, _: usize) {}
    fn page(&self, _: u64, _: bool) {}
    fn site_done(&self, _: &Site, _: SiteStatus) {}
    fn finish(&self) {}
}

/// What a crawl run did.
#[derive(Debug, Clone, Default)]
pub struct CrawlReport {
    /// Sites crawled in this run.
    pub crawled: usize,
    /// Sites skipped because an earlier run finished them.
    pub resumed: usize,
    /// Sites crawled in this run whose homepage was disallowed or gave no 2xx response.
    pub unreachable: usize,
    /// Page fetches of the sites crawled in this run; link checks and probes not counted.
    pub pages: u64,
    /// Sites whose crawl failed inside govscore; running the same command again retries them.
    pub failed: usize,
}

/// Why a crawl stopped. A site that cannot be reached is not an error: it is recorded.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// A file of the crawl folder could not be read or written: the site list copy, the
    /// manifest, or a site's archive.
    #[error("{path}: {source}")]
    Io {
        /// The file, or the crawl folder when a site's archive failed.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The folder, named here, holds a crawl of another site list; resuming would mix them.
    #[error(
        "{0} holds a crawl of a different site list; crawl into a new folder, or use the sites file it was made from ({0}/sites.txt)"
    )]
    DifferentSites(String),
    /// reqwest could not build the HTTP client.
    #[error("cannot build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    /// The system lets the process open fewer files than the crawl may hold at once.
    #[error(
        "this crawl may hold {needed} files and sockets open at once ({sites} sites in flight, {requests} requests), but the system allows {limit} (`ulimit -n`); lower --sites-in-flight or --concurrency, or raise the limit"
    )]
    OpenFiles {
        /// What the options may need.
        needed: u64,
        /// The limit after raising the soft limit as far as the hard one allows.
        limit: u64,
        /// `--sites-in-flight`.
        sites: usize,
        /// `--concurrency`.
        requests: usize,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> CrawlError + '_ {
    move |source| CrawlError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Crawls every site of `sites` into `out`. `sites_text` is the site list as read, copied
/// into the crawl folder so `score` needs no `--sites` and a resumed crawl can tell whether
/// it is continuing the same list.
pub async fn crawl(
    sites: &SiteList,
    sites_text: &str,
    options: &CrawlOptions,
    out: &Path,
    progress: Arc<dyn Progress>,
) -> Result<CrawlReport, CrawlError> {
    // Many sites in flight need more descriptors than a shell's usual soft limit of 1024:
    // raise it (up to the hard limit) before the first file is opened, or say what to do.
    let needed = options.open_files_needed();
    let limit = rlimit::increase_nofile_limit(needed).unwrap_or(0);
    if limit != 0 && limit < needed {
        return Err(CrawlError::OpenFiles {
            needed,
            limit,
            sites: options.sites_in_flight,
            requests: options.fetch.concurrency,
        });
    }
    std::fs::create_dir_all(out).map_err(io_err(out))?;
    let copy = out.join(archive::SITES_COPY);
    match std::fs::read_to_string(&copy) {
        Ok(previous) if previous != sites_text => {
            return Err(CrawlError::DifferentSites(out.display().to_string()));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write_atomic(&copy, sites_text.as_bytes()).map_err(io_err(&copy))?;
        }
        Err(e) => return Err(io_err(&copy)(e)),
    }
    archive::remove_partial_files(out).map_err(io_err(out))?;

    let sites_sha256 = sha256_hex(sites_text.as_bytes());
    let recorded = serde_json::to_string(&options.recorded()).expect("options serialise");
    // One manifest for the folder; each run (the first and every resume) adds its options,
    // since sites finished in different runs may have been crawled with different ones.
    let manifest_path = out.join(archive::MANIFEST);
    let run = serde_json::json!({
        "tool_version": env!("CARGO_PKG_VERSION"),
        "options": options.recorded(),
    });
    let mut manifest = std::fs::read(&manifest_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .filter(|m| m["runs"].is_array())
        .unwrap_or_else(|| {
            serde_json::json!({
                "schema": "govscore/crawl/v1",
                "sites_sha256": sites_sha256,
                "sites": sites.sites.len(),
                "runs": [],
            })
        });
    if let Some(runs) = manifest["runs"].as_array_mut() {
        runs.push(run);
    }
    write_atomic(&manifest_path, format!("{manifest:#}\n").as_bytes())
        .map_err(io_err(&manifest_path))?;

    let policy = AddressPolicy::new(options.allow_private, options.allow_net.clone());
    let fetcher = Arc::new(Fetcher::new(
        options.fetch.clone(),
        policy,
        &options.resolve,
    )?);

    let selected: Vec<&Site> = sites
        .sites
        .iter()
        .filter(|s| options.shard.is_none_or(|sh| sh.contains(s)))
        .collect();
    let pending: Vec<(&Site, String)> = selected
        .iter()
        .map(|s| (*s, archive::site_file_stem(&s.key())))
        .filter(|(_, stem)| !archive::site_is_done(out, stem))
        .collect();
    let mut report = CrawlReport {
        resumed: selected.len() - pending.len(),
        ..CrawlReport::default()
    };
    progress.start(selected.len(), report.resumed);

    // Sites in flight are bounded on their own, not derived from the request bounds: under
    // politeness a site fetches slowly whatever the global bound, so the crawl's rate comes
    // from how many sites are open, and its memory and descriptors from the same number.
    let site_slots = Arc::new(Semaphore::new(options.sites_in_flight.max(1)));
    let options = Arc::new(options.clone());
    let out = Arc::new(out.to_path_buf());
    let mut tasks = JoinSet::new();
    for (site, stem) in pending {
        let permit = site_slots
            .clone()
            .acquire_owned()
            .await
            .expect("semaphore never closed");
        let (site, fetcher, options, out, progress) = (
            site.clone(),
            fetcher.clone(),
            options.clone(),
            out.clone(),
            progress.clone(),
        );
        let info = warcinfo(&site, &sites_sha256, &recorded);
        tasks.spawn(async move {
            let _permit = permit;
            let mut archive = SiteArchive::create(&out, &stem, &info).map_err(io_err(&out))?;
            let outcome =
                site::crawl_site(fetcher, &options, &site, &mut archive, progress.as_ref())
                    .await
                    .map_err(io_err(&out))?;
            archive.finish().map_err(io_err(&out))?;
            progress.site_done(&site, outcome.status);
            Ok::<_, CrawlError>(outcome)
        });
        // Collect finished sites as we go so their results do not accumulate.
        while let Some(done) = tasks.try_join_next() {
            tally(&mut report, done)?;
        }
    }
    while let Some(done) = tasks.join_next().await {
        tally(&mut report, done)?;
    }
    // The network state, when some link's name failed and the resolver was checked: the
    // manifest says for the whole folder what each site's log says for its links.
    if let Some(state) = fetcher.probed_resolver() {
        manifest["network"] = serde_json::json!({
            "resolver_works": state.works,
            "probed": state.probed,
            "resolved": state.resolved,
        });
        write_atomic(&manifest_path, format!("{manifest:#}\n").as_bytes())
            .map_err(io_err(&manifest_path))?;
    }
    progress.finish();
    Ok(report)
}

fn tally(
    report: &mut CrawlReport,
    joined: Result<Result<site::SiteOutcome, CrawlError>, tokio::task::JoinError>,
) -> Result<(), CrawlError> {
    // A site task that panicked is a bug, not the site's doing: its `.part` files stay behind
    // and are removed and redone by the next run; the other sites carry on.
    let Ok(outcome) = joined else {
        report.failed += 1;
        return Ok(());
    };
    let outcome = outcome?;
    report.crawled += 1;
    report.pages += u64::from(outcome.pages);
    if outcome.status == SiteStatus::Unreachable {
        report.unreachable += 1;
    }
    Ok(())
}

fn warcinfo(site: &Site, sites_sha256: &str, options_json: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "software",
            format!("govscore/{}", env!("CARGO_PKG_VERSION")),
        ),
        ("format", "WARC File Format 1.1".to_owned()),
        (
            "conformsTo",
            "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
                .to_owned(),
        ),
        ("robots", "obey".to_owned()),
        ("http-header-user-agent", fetch::user_agent()),
        ("govscore-site", site.url.to_string()),
        ("govscore-site-name", site.name.clone()),
        ("govscore-sites-sha256", sites_sha256.to_owned()),
        ("govscore-options", options_json.to_owned()),
    ]
}
