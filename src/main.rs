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
use govscore::evaluate::{Results, ScoreInputs};
use govscore::input::indicators::{IndicatorSet, fmt_points};
use govscore::input::{Cases, InputPaths, Inputs, ManualScores, SiteList};
use govscore::report::{self, Format};
use govscore::shard::Shard;

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
    /// Score a crawl folder: print the ranked tables and write results.json. No network.
    Score(ScoreArgs),
    /// Crawl, then score: the whole evaluation in one command.
    Run(RunArgs),
    /// Compare two years' results.json: ranks, totals and indicators per category.
    Diff(DiffArgs),
    /// Why a site scored what it did: every indicator and check with its evidence.
    Explain(ExplainArgs),
    /// Serve nine built-in sample portals on 127.0.0.1 and evaluate them: the whole
    /// pipeline, offline, in seconds.
    Demo(DemoArgs),
    /// Join the partial results of a sharded run (`--shard K/N`) and write the reports a
    /// single run would.
    Merge(MergeArgs),
}

#[derive(clap::Args)]
struct MergeArgs {
    /// The parts: each shard's results.json, every shard exactly once.
    #[arg(required = true, value_name = "PART")]
    parts: Vec<PathBuf>,
    /// Where the reports go.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// A previous year's results.json, for the most improved sites in report.md.
    #[arg(long, value_name = "FILE")]
    previous: Option<PathBuf>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(clap::Args)]
struct DemoArgs {
    /// Where the crawl and the reports go [default: a new temporary folder, printed].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Hide the progress bar.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The earlier year's results.json.
    old: PathBuf,
    /// The later year's results.json.
    new: PathBuf,
    /// What to print.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// The site, by URL, host or name.
    site: String,
    /// The results to explain [default: reports/<this year>/results.json].
    #[arg(long, value_name = "FILE")]
    results: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ScoreArgs {
    /// The crawl folder (`govscore crawl --out`); it carries its site list.
    #[arg(long, value_name = "DIR")]
    crawl: PathBuf,
    #[command(flatten)]
    eval: EvalArgs,
    /// Where results.json goes [default: reports/<year>].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(clap::Args)]
struct RunArgs {
    /// The site list.
    #[arg(long, value_name = "FILE", default_value = "sites.txt")]
    sites: PathBuf,
    #[command(flatten)]
    eval: EvalArgs,
    /// Where results.json goes [default: reports/<year>].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Where the crawl archive goes [default: <out>/crawl]; a crawl interrupted earlier is
    /// resumed from it.
    #[arg(long, value_name = "DIR")]
    crawl: Option<PathBuf>,
    #[command(flatten)]
    net: NetArgs,
    /// Hide the progress bar.
    #[arg(short, long)]
    quiet: bool,
}

/// How to score: shared by `score` and `run`.
#[derive(clap::Args)]
struct EvalArgs {
    #[command(flatten)]
    method: MethodFiles,
    /// The evaluation date that freshness rules count back from [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<chrono::NaiveDate>,
    /// The evaluation year, for reports/<year> [default: the year of --as-of].
    #[arg(long)]
    year: Option<i32>,
    /// What to print on standard output: the ranked tables as a terminal table, JSON, CSV
    /// or Markdown (the report files are written either way).
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// A previous year's results.json, for the most improved sites in report.md.
    #[arg(long, value_name = "FILE")]
    previous: Option<PathBuf>,
    /// Only shard K of N: a partial results.json, ranked when the parts are merged.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Threads for page extraction [default: one per core]; results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    threads: Option<u32>,
}

#[derive(clap::Args)]
struct CrawlArgs {
    /// The site list.
    #[arg(long, value_name = "FILE", default_value = "sites.txt")]
    sites: PathBuf,
    /// The crawl folder; a crawl interrupted earlier is resumed from it.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Crawl only shard K of N (sites split by their registrable domain).
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
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
    /// Also trust the certificate authorities of this PEM file (repeatable), e.g. a
    /// private CA of a government network.
    #[arg(long, value_name = "FILE", value_parser = parse_ca_file)]
    ca_cert: Vec<CaFile>,
}

/// The certificates of a `--ca-cert` file.
#[derive(Clone)]
struct CaFile(Vec<reqwest::Certificate>);

fn parse_ca_file(path: &str) -> Result<CaFile, String> {
    let pem = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| format!("{path}: not a PEM certificate file: {e}"))?;
    if certs.is_empty() {
        return Err(format!("{path}: no certificate in the file"));
    }
    Ok(CaFile(certs))
}

impl NetArgs {
    fn options(&self, shard: Option<Shard>) -> CrawlOptions {
        CrawlOptions {
            shard,
            fetch: FetchOptions {
                concurrency: self.concurrency as usize,
                per_host: self.per_host as usize,
                delay: self.delay,
                max_crawl_delay: self.max_crawl_delay,
                timeout: self.timeout,
                max_bytes: self.max_bytes,
                retries: self.retries,
                extra_roots: self
                    .ca_cert
                    .iter()
                    .flat_map(|f| f.0.iter().cloned())
                    .collect(),
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
    #[command(flatten)]
    method: MethodFiles,
}

/// The scoring method's files: shared by `check`, `score` and `run`.
#[derive(clap::Args)]
struct MethodFiles {
    /// The indicator tree, vetoes, deductions and bonus cap.
    #[arg(long, value_name = "FILE", default_value = "indicators.yaml")]
    indicators: PathBuf,
    /// The evaluators' awards for excellent innovation cases [default: cases.yaml when it
    /// exists].
    #[arg(long, value_name = "FILE")]
    cases: Option<PathBuf>,
    /// The evaluators' points for `manual` checks [default: manual.yaml when it exists].
    #[arg(long, value_name = "FILE")]
    manual: Option<PathBuf>,
}

/// An optional file given on the command line, or its conventional name when that exists.
fn given_or_default(given: &Option<PathBuf>, default: &str) -> Option<PathBuf> {
    given.clone().or_else(|| {
        let default = Path::new(default);
        default.exists().then(|| default.to_path_buf())
    })
}

impl InputArgs {
    fn paths(&self) -> InputPaths {
        // The cases and manual files are optional: the conventional name is used when
        // present, and a path given explicitly must exist.
        InputPaths {
            sites: self.sites.clone(),
            indicators: self.method.indicators.clone(),
            cases: given_or_default(&self.method.cases, DEFAULT_CASES),
            manual: given_or_default(&self.method.manual, DEFAULT_MANUAL),
        }
    }
}

const DEFAULT_CASES: &str = "cases.yaml";
const DEFAULT_MANUAL: &str = "manual.yaml";

/// Exit code for runtime failures.
const EXIT_FAILURE: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Crawl(args) => crawl(&args),
        Command::Score(args) => score(&args),
        Command::Run(args) => run(&args),
        Command::Diff(args) => diff(&args),
        Command::Explain(args) => explain(&args),
        Command::Demo(args) => demo(&args),
        Command::Merge(args) => merge(&args),
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
    let (sites, sites_text) = match read_sites(&args.sites) {
        Ok(found) => found,
        Err(problems) => return report_problems(&problems),
    };
    let options = args.net.options(args.shard);
    let Some(report) = crawl_with_bar(&sites, &sites_text, &options, &args.out, args.quiet)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
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

/// The indicator file and cases file, loaded and checked (the cases against `sites`).
struct Method {
    indicators: IndicatorSet,
    indicators_bytes: Vec<u8>,
    cases: Option<Cases>,
    manual: Option<ManualScores>,
}

fn load_method(
    files: &MethodFiles,
    sites: &SiteList,
) -> Result<Method, Vec<govscore::input::Diagnostic>> {
    let mut problems = Vec::new();
    let bytes = std::fs::read(&files.indicators);
    let indicators = IndicatorSet::load(&files.indicators)
        .map_err(|e| problems.extend(e.diagnostics()))
        .ok();
    let cases = match given_or_default(&files.cases, DEFAULT_CASES) {
        None => Some(None),
        Some(path) => Cases::load(&path, sites)
            .map(Some)
            .map_err(|e| problems.extend(e.diagnostics()))
            .ok(),
    };
    let manual = match (given_or_default(&files.manual, DEFAULT_MANUAL), &indicators) {
        (None, _) => Some(None),
        (Some(_), None) => None,
        (Some(path), Some(set)) => ManualScores::load(&path, sites, set)
            .map(Some)
            .map_err(|e| problems.extend(e.diagnostics()))
            .ok(),
    };
    match (indicators, cases, manual, bytes) {
        (Some(indicators), Some(cases), Some(manual), Ok(indicators_bytes))
            if problems.is_empty() =>
        {
            Ok(Method {
                indicators,
                indicators_bytes,
                cases,
                manual,
            })
        }
        _ => Err(problems),
    }
}

impl EvalArgs {
    fn as_of(&self) -> chrono::NaiveDate {
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The report folder: the one given, else `reports/<year>`.
    fn out_dir(&self, given: &Option<PathBuf>) -> PathBuf {
        given
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("reports/{}", self.year())))
    }

    fn year(&self) -> i32 {
        use chrono::Datelike;
        self.year.unwrap_or_else(|| self.as_of().year())
    }
}

fn score(args: &ScoreArgs) -> anyhow::Result<ExitCode> {
    let (sites, _) = match govscore::evaluate::crawl_sites(&args.crawl) {
        Ok(found) => found,
        Err(err) => {
            eprintln!("govscore: {err}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    let method = match load_method(&args.eval.method, &sites) {
        Ok(m) => m,
        Err(problems) => return report_problems(&problems),
    };
    let out = args.eval.out_dir(&args.out);
    score_and_report(&args.crawl, &args.eval, &method, &out)
}

fn score_and_report(
    crawl_dir: &Path,
    eval: &EvalArgs,
    method: &Method,
    out: &Path,
) -> anyhow::Result<ExitCode> {
    let inputs = ScoreInputs {
        indicators: &method.indicators,
        indicators_bytes: &method.indicators_bytes,
        cases: method.cases.as_ref(),
        manual: method.manual.as_ref(),
        as_of: eval.as_of(),
        year: eval.year(),
        threads: eval.threads.map(|t| t as usize),
        shard: eval.shard,
    };
    // A previous year's results are read before the work starts: a wrong path must not be
    // found out after a long scoring run.
    let previous = match &eval.previous {
        Some(path) => Some(Results::read(path).context("reading --previous")?),
        None => None,
    };
    let results = govscore::evaluate::evaluate(crawl_dir, &inputs)
        .with_context(|| format!("scoring the crawl in {}", crawl_dir.display()))?;
    if let Some(shard) = eval.shard {
        // A part has no rankings, so it gets no report files: `merge` writes those.
        report::write_results(&results, out)
            .with_context(|| format!("writing {}/results.json", out.display()))?;
        writeln!(
            io::stdout().lock(),
            "partial results of shard {shard}: {} sites in {}; run `govscore merge` over all {} parts to rank them",
            results.sites.len(),
            out.join("results.json").display(),
            shard.count
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    write_and_print(&results, previous.as_ref(), out, eval.format)
}

/// Writes the report folder and prints the tables.
fn write_and_print(
    results: &Results,
    previous: Option<&Results>,
    out: &Path,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let written = report::write_reports(results, previous, out)
        .with_context(|| format!("writing the reports in {}", out.display()))?;
    let mut stdout = io::stdout().lock();
    stdout.write_all(report::render(results, format).as_bytes())?;
    if format == Format::Table {
        writeln!(stdout)?;
        for path in written {
            writeln!(stdout, "wrote {}", path.display())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn demo(args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let out = match &args.out {
        Some(dir) => dir.clone(),
        None => {
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default();
            std::env::temp_dir().join(format!("govscore-demo-{}-{stamp}", std::process::id()))
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let bar = Arc::new(progress::CrawlBar::new(args.quiet));
    let results = runtime
        .block_on(govscore::demo::run(&out, bar))
        .context("running the demo")?;
    let mut stdout = io::stdout().lock();
    stdout.write_all(report::render(&results, args.format).as_bytes())?;
    if args.format == Format::Table {
        writeln!(
            stdout,
            "\nreports in {} (crawl archive in {}); try: govscore explain 西岭市 --results {}",
            out.display(),
            out.join("crawl").display(),
            out.join("results.json").display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn merge(args: &MergeArgs) -> anyhow::Result<ExitCode> {
    let mut parts = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        match Results::read(path) {
            Ok(r) => parts.push((path.display().to_string(), r)),
            Err(e) => {
                eprintln!("govscore: {e}");
                return Ok(ExitCode::from(EXIT_INVALID));
            }
        }
    }
    let merged = match govscore::shard::merge(&parts) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("govscore: {e}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    let previous = match &args.previous {
        Some(path) => Some(Results::read(path).context("reading --previous")?),
        None => None,
    };
    write_and_print(&merged, previous.as_ref(), &args.out, args.format)
}

fn diff(args: &DiffArgs) -> anyhow::Result<ExitCode> {
    let (old, new) = match (Results::read(&args.old), Results::read(&args.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("govscore: {e}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    let d = govscore::diff::diff(&old, &new);
    io::stdout()
        .lock()
        .write_all(govscore::diff::render(&d, args.format).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn explain(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let path = args.results.clone().unwrap_or_else(|| {
        use chrono::Datelike;
        PathBuf::from(format!(
            "reports/{}/results.json",
            chrono::Local::now().year()
        ))
    });
    let results = match Results::read(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("govscore: {e} (give the file with --results)");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    let Some(site) = govscore::explain::find(&results, &args.site) else {
        let names: Vec<&str> = results
            .sites
            .iter()
            .map(|s| s.name.as_str())
            .take(10)
            .collect();
        eprintln!(
            "govscore: no site `{}` in {}; name it by URL, host or name (e.g. {})",
            args.site,
            path.display(),
            names.join(", ")
        );
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    io::stdout()
        .lock()
        .write_all(govscore::explain::explain(&results, site).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let (sites, sites_text) = match read_sites(&args.sites) {
        Ok(found) => found,
        Err(problems) => return report_problems(&problems),
    };
    // Every input is checked before the crawl starts: a typo in indicators.yaml must not
    // cost a whole crawl.
    let method = match load_method(&args.eval.method, &sites) {
        Ok(m) => m,
        Err(problems) => return report_problems(&problems),
    };
    let out = args.eval.out_dir(&args.out);
    let crawl_dir = args.crawl.clone().unwrap_or_else(|| out.join("crawl"));
    let options = args.net.options(args.eval.shard);
    if crawl_with_bar(&sites, &sites_text, &options, &crawl_dir, args.quiet)?.is_none() {
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    score_and_report(&crawl_dir, &args.eval, &method, &out)
}

/// Crawls with the progress bar. `Ok(None)` when the folder holds a crawl of another site
/// list (already reported: an argument error).
fn crawl_with_bar(
    sites: &SiteList,
    sites_text: &str,
    options: &CrawlOptions,
    dir: &Path,
    quiet: bool,
) -> anyhow::Result<Option<govscore::crawl::CrawlReport>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let bar = Arc::new(progress::CrawlBar::new(quiet));
    match runtime.block_on(govscore::crawl::crawl(sites, sites_text, options, dir, bar)) {
        Ok(report) => {
            if report.failed > 0 {
                eprintln!(
                    "govscore: {} site{} failed inside govscore (a bug worth reporting); run the same command again to retry them",
                    report.failed,
                    plural(report.failed)
                );
            }
            Ok(Some(report))
        }
        Err(err @ CrawlError::DifferentSites(_)) => {
            eprintln!("govscore: {err}");
            Ok(None)
        }
        Err(err) => Err(err).context("crawling"),
    }
}

/// The site list and its text (the crawl folder keeps a copy of the text).
fn read_sites(path: &Path) -> Result<(SiteList, String), Vec<govscore::input::Diagnostic>> {
    let text = govscore::input::diagnostic::read_text(path).map_err(|e| e.diagnostics())?;
    let sites = SiteList::parse(&text, &path.display().to_string()).map_err(|e| e.diagnostics())?;
    Ok((sites, text))
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
    match &paths.manual {
        Some(path) => writeln!(
            out,
            "{}: {} manual scores",
            path.display(),
            inputs.manual.scores.len()
        )?,
        None => writeln!(
            out,
            "manual scores: none ({DEFAULT_MANUAL} not found; manual checks get no points)"
        )?,
    }
    writeln!(out, "all input files are valid")
}
