//! The `govscore` command line: argument parsing and printing over the library.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};

use govscore::crawl::fetch::FetchOptions;
use govscore::crawl::guard::NameOverride;
use govscore::crawl::{CrawlError, CrawlOptions};
use govscore::input::indicators::fmt_points;
use govscore::input::{InputPaths, Inputs, SiteList};

mod progress;

/// Exit code for invalid input files or arguments (clap uses the same for bad arguments).
const EXIT_INVALID: u8 = 2;

#[derive(Parser)]
#[command(
    name = "govscore",
    version,
    about = "Evaluate Chinese government websites on the national performance-evaluation indicators and rank them by category"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate sites.txt, indicators.yaml and the cases file; print every problem as
    /// `file:line[:col]: message` and exit 2 if there is any.
    Check(InputArgs),
    /// Crawl every site of the list into a WARC archive and a crawl log.
    Crawl(CrawlArgs),
}

#[derive(clap::Args)]
struct CrawlArgs {
    /// The site list.
    #[arg(long, value_name = "FILE", default_value = "sites.txt")]
    sites: PathBuf,
    /// The crawl folder; a crawl interrupted earlier is resumed from it.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    net: NetArgs,
    /// Hide the progress bar.
    #[arg(short, long)]
    quiet: bool,
}

/// How to crawl: shared by `crawl` and the commands that crawl.
#[derive(clap::Args)]
struct NetArgs {
    /// Requests in flight over all sites.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..))]
    concurrency: u32,
    /// Requests in flight to one host.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    per_host: u32,
    /// Minimum interval between requests to one host (`500ms`, `1s`; 0 turns politeness off).
    #[arg(long, default_value = "500ms", value_parser = parse_duration)]
    delay: Duration,
    /// Time limit of one request, body included.
    #[arg(long, default_value = "15s", value_parser = parse_duration)]
    timeout: Duration,
    /// Retries after a timeout, a connection error, 429 or 5xx.
    #[arg(long, default_value_t = 2)]
    retries: u32,
    /// Body size cap after decompression (`5MiB`, `512KiB`, bytes).
    #[arg(long, default_value = "5MiB", value_parser = parse_size)]
    max_bytes: usize,
    /// Link depth from the homepage.
    #[arg(long, default_value_t = 3)]
    max_depth: u32,
    /// Pages per site, the homepage included.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..))]
    max_pages: u32,
    /// Links status-checked per site beyond the homepage's, which are all checked.
    #[arg(long, default_value_t = 50)]
    check_links: u32,
    /// Extra homepage fetches per site, for the availability rule (15 s / 5%).
    #[arg(long, default_value_t = 0)]
    probes: u32,
    /// Interval between probes.
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    probe_interval: Duration,
    /// Longest robots.txt Crawl-delay honoured.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    max_crawl_delay: Duration,
    /// Permit one private or otherwise non-public address range (repeatable).
    #[arg(long, value_name = "CIDR")]
    allow_net: Vec<ipnet::IpNet>,
    /// Permit every non-public address (loopback, private, link-local…).
    #[arg(long)]
    allow_private: bool,
    /// Serve HOST from ADDR, as curl's --resolve (repeatable).
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    resolve: Vec<NameOverride>,
}

impl NetArgs {
    fn options(&self) -> CrawlOptions {
        CrawlOptions {
            fetch: FetchOptions {
                concurrency: self.concurrency as usize,
                per_host: self.per_host as usize,
                delay: self.delay,
                max_crawl_delay: self.max_crawl_delay,
                timeout: self.timeout,
                max_bytes: self.max_bytes,
                retries: self.retries,
                ..FetchOptions::default()
            },
            max_depth: self.max_depth,
            max_pages: self.max_pages as usize,
            check_links: self.check_links as usize,
            probes: self.probes,
            probe_interval: self.probe_interval,
            allow_private: self.allow_private,
            allow_net: self.allow_net.clone(),
            resolve: self.resolve.clone(),
        }
    }
}

/// `500ms`, `1.5s`, `2m`, or a bare number of seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
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
    Ok(Duration::from_secs_f64(value * scale))
}

/// `5MiB`, `512KiB`, `100kB`, or bytes.
fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let units: [(&str, f64); 7] = [
        ("GiB", 1024.0 * 1024.0 * 1024.0),
        ("MiB", 1024.0 * 1024.0),
        ("KiB", 1024.0),
        ("GB", 1e9),
        ("MB", 1e6),
        ("kB", 1e3),
        ("B", 1.0),
    ];
    let (number, scale) = units
        .iter()
        .find_map(|(u, s)| t.strip_suffix(u).map(|n| (n, *s)))
        .unwrap_or((t, 1.0));
    let value: f64 = number.trim().parse().map_err(|_| {
        format!("`{text}` is not a size; write e.g. 5MiB, 512KiB or a number of bytes")
    })?;
    if !value.is_finite() || value < 1.0 {
        return Err(format!("`{text}` must be at least one byte"));
    }
    Ok((value * scale) as usize)
}

/// The three input files, shared by every command that reads them.
#[derive(clap::Args)]
struct InputArgs {
    /// The site list.
    #[arg(long, value_name = "FILE", default_value = "sites.txt")]
    sites: PathBuf,
    /// The indicator tree, vetoes, deductions and bonus cap.
    #[arg(long, value_name = "FILE", default_value = "indicators.yaml")]
    indicators: PathBuf,
    /// The evaluators' awards for excellent innovation cases [default: cases.yaml when it
    /// exists].
    #[arg(long, value_name = "FILE")]
    cases: Option<PathBuf>,
}

impl InputArgs {
    fn paths(&self) -> InputPaths {
        // The cases file is optional: the conventional name is used when present, and a
        // path given explicitly must exist.
        let cases = self.cases.clone().or_else(|| {
            let default = Path::new(DEFAULT_CASES);
            default.exists().then(|| default.to_path_buf())
        });
        InputPaths {
            sites: self.sites.clone(),
            indicators: self.indicators.clone(),
            cases,
        }
    }
}

const DEFAULT_CASES: &str = "cases.yaml";

/// Exit code for runtime failures.
const EXIT_FAILURE: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Crawl(args) => crawl(&args),
    };
    match result {
        Ok(code) => code,
        // `govscore check | head -1`: the reader went away, which is not our failure.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("govscore: error: {err:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn check(args: &InputArgs) -> anyhow::Result<ExitCode> {
    let paths = args.paths();
    match Inputs::load(&paths) {
        Ok(inputs) => {
            print_summary(&mut io::stdout().lock(), &paths, &inputs)
                .context("writing the summary to standard output")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            let mut err = io::stderr().lock();
            for problem in &problems {
                writeln!(err, "{problem}").context("writing to standard error")?;
            }
            let mut files: Vec<&str> = problems.iter().map(|p| p.file.as_str()).collect();
            files.dedup();
            writeln!(
                err,
                "{} problem{} in {} file{}",
                problems.len(),
                plural(problems.len()),
                files.len(),
                plural(files.len())
            )
            .context("writing to standard error")?;
            Ok(ExitCode::from(EXIT_INVALID))
        }
    }
}

fn crawl(args: &CrawlArgs) -> anyhow::Result<ExitCode> {
    let sites_text = match govscore::input::diagnostic::read_text(&args.sites) {
        Ok(text) => text,
        Err(err) => return report_problems(&err.diagnostics()),
    };
    let sites = match SiteList::parse(&sites_text, &args.sites.display().to_string()) {
        Ok(sites) => sites,
        Err(err) => return report_problems(&err.diagnostics()),
    };
    let options = args.net.options();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let bar = Arc::new(progress::CrawlBar::new(args.quiet));
    let result = runtime.block_on(govscore::crawl::crawl(
        &sites,
        &sites_text,
        &options,
        &args.out,
        bar,
    ));
    let report = match result {
        Ok(report) => report,
        Err(err @ CrawlError::DifferentSites(_)) => {
            eprintln!("govscore: {err}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        Err(err) => return Err(err).context("crawling"),
    };
    if report.failed > 0 {
        eprintln!(
            "govscore: {} site{} failed inside govscore (a bug worth reporting); run the same command again to retry them",
            report.failed,
            plural(report.failed)
        );
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "crawled {} site{} ({} unreachable), {} pages; {} finished earlier; archive in {}",
        report.crawled,
        plural(report.crawled),
        report.unreachable,
        report.pages,
        report.resumed,
        args.out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Prints input problems as `check` does and returns the invalid-input exit code.
fn report_problems(problems: &[govscore::input::Diagnostic]) -> anyhow::Result<ExitCode> {
    let mut err = io::stderr().lock();
    for problem in problems {
        writeln!(err, "{problem}").context("writing to standard error")?;
    }
    Ok(ExitCode::from(EXIT_INVALID))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn print_summary(out: &mut impl Write, paths: &InputPaths, inputs: &Inputs) -> io::Result<()> {
    let sites = &inputs.sites;
    let per_category: Vec<String> = sites
        .categories()
        .iter()
        .map(|c| {
            let n = sites
                .sites
                .iter()
                .filter(|s| s.categories.contains(c))
                .count();
            format!("{} {n}", c.display_name())
        })
        .collect();
    writeln!(
        out,
        "{}: {} sites ({})",
        paths.sites.display(),
        sites.sites.len(),
        per_category.join(", ")
    )?;
    let ind = &inputs.indicators;
    writeln!(
        out,
        "{}: {} first-level indicators ({} scored, with {} checks and {} points, and the bonus {} up to {}); {} vetoes; {} deductions",
        paths.indicators.display(),
        ind.indicators.len() + 1,
        ind.indicators.len(),
        ind.check_count(),
        fmt_points(ind.total),
        ind.bonus.name,
        fmt_points(ind.bonus.cap),
        ind.vetoes.len(),
        ind.deductions.len(),
    )?;
    match &paths.cases {
        Some(path) => writeln!(
            out,
            "{}: {} cases",
            path.display(),
            inputs.cases.cases.len()
        )?,
        None => writeln!(
            out,
            "cases: none ({DEFAULT_CASES} not found; no bonus points)"
        )?,
    }
    writeln!(out, "all input files are valid")
}
