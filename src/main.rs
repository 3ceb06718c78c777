//! The `govscore` command line: argument parsing and printing over the library.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use govscore::input::indicators::fmt_points;
use govscore::input::{InputPaths, Inputs};

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
