//! The command line as clap reads it: every command's flags, their parsers and help, parsed
//! "low" into plain values. Defaults come from the library's own option types, so a default
//! is written once; turning these values into the library's inputs is each command's work
//! (`commands/`).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use govscore::crawl::fetch::FetchOptions;
use govscore::crawl::guard::NameOverride;
use govscore::crawl::{CrawlOptions, PlatformBudget};
use govscore::input::indicators::Platform;
use govscore::input::{MethodPaths, SITES_FILE, Source};
use govscore::lang::Lang;
use govscore::report::Format;
use govscore::shard::Shard;

#[derive(Parser)]
#[command(
    name = "govscore",
    version,
    about = "Evaluate Chinese government websites on the national performance-evaluation indicators and rank them by category"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Hide the progress bar (every command accepts it).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Validate sites.txt, indicators.yaml and the cases file; print every problem as
    /// `file:line[:col]: message` and exit 2 if there is any.
    Check(CheckArgs),
    /// Crawl every site of the list into a WARC archive and a crawl log.
    Crawl(CrawlArgs),
    /// Score a crawl folder: print the ranked tables and write results.json. No network.
    Score(ScoreArgs),
    /// Crawl, then score: the whole evaluation in one command.
    Run(RunArgs),
    /// Compare two years' results: ranks, totals and indicators per category.
    Diff(DiffArgs),
    /// Why a site scored what it did: every indicator and check with its evidence.
    Explain(ExplainArgs),
    /// Serve nine built-in sample portals on 127.0.0.1 and evaluate them: the whole
    /// pipeline, offline, in seconds.
    Demo(DemoArgs),
    /// Join the partial results of a sharded run (`--shard K/N`) and write the reports a
    /// single run would.
    Merge(MergeArgs),
    /// Write the built-in indicators.yaml and sites.txt into a folder, to edit them.
    Init(InitArgs),
}

#[derive(Args)]
pub struct InitArgs {
    /// The folder to write into (created if needed); existing files are never overwritten.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub sites: SitesArg,
    #[command(flatten)]
    pub method: MethodArgs,
}

/// The site list: shared by `check`, `crawl` and `run`.
#[derive(Args)]
pub struct SitesArg {
    /// The site list [default: ./sites.txt when present, else the built-in list].
    #[arg(long = "sites", value_name = "FILE")]
    pub path: Option<PathBuf>,
}

impl SitesArg {
    pub fn source(&self) -> Source {
        Source::given_or_default(self.path.clone(), SITES_FILE)
    }
}

#[derive(Args)]
pub struct CrawlArgs {
    #[command(flatten)]
    pub sites: SitesArg,
    /// The crawl folder; a crawl interrupted earlier is resumed from it.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Crawl only shard K of N (sites split by their registrable domain).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// The indicator file, for its `platform` section: the service platform's hosts and
    /// crawl budget [default: ./indicators.yaml when present, else the built-in method].
    #[arg(long, value_name = "FILE")]
    pub indicators: Option<PathBuf>,
    #[command(flatten)]
    pub net: NetArgs,
}

#[derive(Args)]
pub struct ScoreArgs {
    /// The crawl folder (`govscore crawl --out`); it carries its site list.
    #[arg(long, value_name = "DIR")]
    pub crawl: PathBuf,
    #[command(flatten)]
    pub eval: EvalArgs,
    /// Where results.json goes [default: reports/<year>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub sites: SitesArg,
    #[command(flatten)]
    pub eval: EvalArgs,
    /// Where results.json goes [default: reports/<year>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Where the crawl archive goes [default: <out>/crawl]; a crawl interrupted earlier is
    /// resumed from it.
    #[arg(long, value_name = "DIR")]
    pub crawl: Option<PathBuf>,
    #[command(flatten)]
    pub net: NetArgs,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The earlier year's results: its results.json or its report folder.
    pub old: PathBuf,
    /// The later year's results: its results.json or its report folder.
    pub new: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The site, by URL, host or name.
    pub site: String,
    /// The results to explain, a results.json or its report folder [default:
    /// reports/<this year>].
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// List the site's pages as the page model read them — homepage, list, article, guide,
    /// other — with the signals that decided each.
    #[arg(long)]
    pub pages: bool,
    #[command(flatten)]
    pub lang: LangArg,
}

#[derive(Args)]
pub struct DemoArgs {
    /// Where the crawl and the reports go [default: a new temporary folder, printed].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args)]
pub struct MergeArgs {
    /// The parts: each shard's results.json or report folder, every shard exactly once.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Where the reports go.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// A previous year's results (file or folder), for the most improved sites in report.md.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What a command that prints tables prints them as.
#[derive(Args)]
pub struct OutputArgs {
    /// What to print on standard output: a terminal table, JSON, CSV or Markdown (report
    /// files are written either way).
    #[arg(long, default_value = "table", value_parser = format_parser())]
    pub format: Format,
    #[command(flatten)]
    pub lang: LangArg,
}

/// The language of what a command prints and writes for people.
#[derive(Args)]
pub struct LangArg {
    /// The language of evidence notes, veto reasons and report prose: zh (简体中文) or en.
    /// Names from the indicator file and the site list are printed as they are written.
    #[arg(long = "lang", default_value = "zh", value_parser = lang_parser())]
    pub lang: Lang,
}

/// How to score: shared by `score` and `run`.
#[derive(Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub method: MethodArgs,
    /// The evaluation date that freshness rules count back from [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<chrono::NaiveDate>,
    /// The evaluation year, for reports/<year> [default: the year of --as-of].
    #[arg(long)]
    pub year: Option<i32>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// A previous year's results (file or folder), for the most improved sites in report.md.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// Only shard K of N: a partial results.json, ranked when the parts are merged.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Threads for page extraction [default: one per core]; results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub threads: Option<u32>,
}

/// The scoring method's files: shared by `check`, `score` and `run`.
#[derive(Args)]
pub struct MethodArgs {
    /// The indicator tree, vetoes, deductions and bonus cap [default: ./indicators.yaml when
    /// present, else the built-in method].
    #[arg(long, value_name = "FILE")]
    pub indicators: Option<PathBuf>,
    /// The evaluators' awards for excellent innovation cases [default: cases.yaml when it
    /// exists].
    #[arg(long, value_name = "FILE")]
    pub cases: Option<PathBuf>,
    /// The evaluators' points for `manual` checks [default: manual.yaml when it exists].
    #[arg(long, value_name = "FILE")]
    pub manual: Option<PathBuf>,
}

impl MethodArgs {
    pub fn paths(&self) -> MethodPaths {
        MethodPaths::with_defaults(
            self.indicators.clone(),
            self.cases.clone(),
            self.manual.clone(),
        )
    }
}

fn defaults() -> CrawlOptions {
    CrawlOptions::default()
}

fn fetch_defaults() -> FetchOptions {
    FetchOptions::default()
}

/// How to crawl: shared by `crawl` and `run`. Defaults are the library's
/// ([`CrawlOptions::default`]).
#[derive(Args)]
pub struct NetArgs {
    /// Requests in flight over all sites.
    #[arg(long, default_value_t = fetch_defaults().concurrency as u32, value_parser = clap::value_parser!(u32).range(1..))]
    pub concurrency: u32,
    /// Sites crawled at once (each at most --per-host requests, --delay apart): the crawl's
    /// rate under politeness, and its memory and open files.
    #[arg(long, default_value_t = defaults().sites_in_flight as u32, value_parser = clap::value_parser!(u32).range(1..))]
    pub sites_in_flight: u32,
    /// Requests in flight to one host.
    #[arg(long, default_value_t = fetch_defaults().per_host as u32, value_parser = clap::value_parser!(u32).range(1..))]
    pub per_host: u32,
    /// Minimum interval between requests to one host (`500ms`, `1s`; 0 turns politeness off).
    #[arg(long, default_value_t = Dur(fetch_defaults().delay), value_parser = parse_duration)]
    pub delay: Dur,
    /// Time limit of one request, body included.
    #[arg(long, default_value_t = Dur(fetch_defaults().timeout), value_parser = parse_duration)]
    pub timeout: Dur,
    /// Retries after a timeout, a connection error, 429 or 5xx.
    #[arg(long, default_value_t = fetch_defaults().retries)]
    pub retries: u32,
    /// Body size cap after decompression (`5MiB`, `512KiB`, bytes).
    #[arg(long, default_value_t = Size(fetch_defaults().max_bytes), value_parser = parse_size)]
    pub max_bytes: Size,
    /// Link depth from the homepage.
    #[arg(long, default_value_t = defaults().max_depth)]
    pub max_depth: u32,
    /// Pages per site, the homepage included.
    #[arg(long, default_value_t = defaults().max_pages as u32, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_pages: u32,
    /// Links status-checked per site beyond the homepage's, which are all checked.
    #[arg(long, default_value_t = defaults().check_links as u32)]
    pub check_links: u32,
    /// Extra homepage fetches per site, for the availability rule (15 s / 5%).
    #[arg(long, default_value_t = defaults().probes)]
    pub probes: u32,
    /// Interval between probes.
    #[arg(long, default_value_t = Dur(defaults().probe_interval), value_parser = parse_duration)]
    pub probe_interval: Dur,
    /// The longest one site's crawl may take; past it the site is scored on what was
    /// fetched, and its evidence says the crawl was cut short.
    #[arg(long, default_value_t = Dur(defaults().site_timeout), value_parser = parse_duration)]
    pub site_timeout: Dur,
    /// Longest robots.txt Crawl-delay honoured.
    #[arg(long, default_value_t = Dur(fetch_defaults().max_crawl_delay), value_parser = parse_duration)]
    pub max_crawl_delay: Dur,
    /// Permit one private or otherwise non-public address range (repeatable).
    #[arg(long, value_name = "CIDR")]
    pub allow_net: Vec<ipnet::IpNet>,
    /// Permit every non-public address (loopback, private, link-local…).
    #[arg(long)]
    pub allow_private: bool,
    /// Serve HOST from ADDR, as curl's --resolve (repeatable).
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    pub resolve: Vec<NameOverride>,
    /// A well-known name looked up when a link's name does not resolve (repeatable): if none
    /// resolves, the resolver is taken as not working and such links as unverified, not
    /// broken [default: www.gov.cn, www.people.com.cn, www.xinhuanet.com].
    #[arg(long = "dns-probe", value_name = "NAME")]
    pub dns_probes: Vec<String>,
    /// Also trust the certificate authorities of this PEM file (repeatable), e.g. a
    /// private CA of a government network.
    #[arg(long, value_name = "FILE", value_parser = parse_ca_file)]
    pub ca_cert: Vec<CaFile>,
}

impl NetArgs {
    /// The crawl's options: the library's defaults with what was given, and the service
    /// platform's budget from the indicator file.
    pub fn options(&self, shard: Option<Shard>, platform: &Platform) -> CrawlOptions {
        let defaults = defaults();
        CrawlOptions {
            shard,
            platform: Some(PlatformBudget::of(platform)),
            fetch: FetchOptions {
                concurrency: self.concurrency as usize,
                per_host: self.per_host as usize,
                delay: self.delay.0,
                max_crawl_delay: self.max_crawl_delay.0,
                timeout: self.timeout.0,
                max_bytes: self.max_bytes.0,
                retries: self.retries,
                extra_roots: self
                    .ca_cert
                    .iter()
                    .flat_map(|f| f.0.iter().cloned())
                    .collect(),
                ..defaults.fetch
            },
            max_depth: self.max_depth,
            sites_in_flight: self.sites_in_flight as usize,
            max_pages: self.max_pages as usize,
            check_links: self.check_links as usize,
            probes: self.probes,
            probe_interval: self.probe_interval.0,
            site_timeout: self.site_timeout.0,
            max_timeouts_in_row: defaults.max_timeouts_in_row,
            allow_private: self.allow_private,
            allow_net: self.allow_net.clone(),
            resolve: self.resolve.clone(),
            dns_probes: if self.dns_probes.is_empty() {
                defaults.dns_probes
            } else {
                self.dns_probes.clone()
            },
        }
    }
}

/// The certificates of a `--ca-cert` file.
#[derive(Clone)]
pub struct CaFile(Vec<reqwest::Certificate>);

fn parse_ca_file(path: &str) -> Result<CaFile, String> {
    let pem = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| format!("{path}: not a PEM certificate file: {e}"))?;
    if certs.is_empty() {
        return Err(format!("{path}: no certificate in the file"));
    }
    Ok(CaFile(certs))
}

fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::names()).try_map(|name| name.parse::<Format>())
}

fn lang_parser() -> impl TypedValueParser<Value = Lang> {
    PossibleValuesParser::new(Lang::names()).try_map(|name| name.parse::<Lang>())
}

/// A duration as the command line writes it: `500ms`, `1.5s`, `2m`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dur(pub Duration);

impl fmt::Display for Dur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if ms % 1000 == 0 {
            write!(f, "{}s", ms / 1000)
        } else {
            write!(f, "{ms}ms")
        }
    }
}

/// `500ms`, `1.5s`, `2m`, or a bare number of seconds.
fn parse_duration(text: &str) -> Result<Dur, String> {
    let t = text.trim();
    let (number, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write e.g. 500ms, 2s or 1m"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("`{text}` is not a duration of zero or more"));
    }
    Ok(Dur(Duration::from_secs_f64(value * scale)))
}

/// A size in bytes as the command line writes it: `5MiB`, `512KiB`, `100kB`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size(pub usize);

const SIZE_UNITS: [(&str, f64); 7] = [
    ("GiB", 1024.0 * 1024.0 * 1024.0),
    ("MiB", 1024.0 * 1024.0),
    ("KiB", 1024.0),
    ("GB", 1e9),
    ("MB", 1e6),
    ("kB", 1e3),
    ("B", 1.0),
];

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The largest binary unit that divides the size evenly, as the default is written.
        for (unit, scale) in &SIZE_UNITS[..3] {
            let scale = *scale as usize;
            if self.0 >= scale && self.0 % scale == 0 {
                return write!(f, "{}{unit}", self.0 / scale);
            }
        }
        write!(f, "{}", self.0)
    }
}

/// `5MiB`, `512KiB`, `100kB`, or bytes.
fn parse_size(text: &str) -> Result<Size, String> {
    let t = text.trim();
    let (number, scale) = SIZE_UNITS
        .iter()
        .find_map(|(u, s)| t.strip_suffix(u).map(|n| (n, *s)))
        .unwrap_or((t, 1.0));
    let value: f64 = number.trim().parse().map_err(|_| {
        format!("`{text}` is not a size; write e.g. 5MiB, 512KiB or a number of bytes")
    })?;
    if !value.is_finite() || value < 1.0 {
        return Err(format!("`{text}` must be at least one byte"));
    }
    Ok(Size((value * scale) as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_print_as_they_are_typed_and_parse_back() {
        assert_eq!(Dur(Duration::from_millis(500)).to_string(), "500ms");
        assert_eq!(Dur(Duration::from_secs(15)).to_string(), "15s");
        assert_eq!(Size(5 * 1024 * 1024).to_string(), "5MiB");
        assert_eq!(Size(1000).to_string(), "1000");
        for d in ["500ms", "15s", "0s"] {
            assert_eq!(parse_duration(d).unwrap().to_string(), d);
        }
        assert_eq!(parse_size("5MiB").unwrap(), Size(5 * 1024 * 1024));
        assert!(parse_size("0").is_err() && parse_duration("-1s").is_err());
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
