//! One module per command, each a function from its parsed arguments to an [`Outcome`]; the
//! helpers they share live here. A command never picks an exit code itself: it returns a
//! [`Failure`], which says what to print and how the process ends.

pub mod check;
pub mod crawl;
pub mod demo;
pub mod diff;
pub mod explain;
pub mod init;
pub mod merge;
pub mod run;
pub mod score;

use std::io::{self, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::Datelike;

use govscore::input::Diagnostic;
use govscore::report::{self, Format};
use govscore::results::{Previous, Results};
use govscore::score::SiteResult;
use govscore::text::printable;

use crate::cli::{EvalArgs, OutputArgs};

/// Exit code for a failure at run time.
const EXIT_FAILURE: u8 = 1;
/// Exit code for invalid input files or arguments (clap uses the same for bad arguments).
const EXIT_INVALID: u8 = 2;

/// How a command failed, and so what is printed and the exit code.
#[derive(Debug)]
pub enum Failure {
    /// Problems in input files, printed as `check` prints them (exit 2).
    Problems(Vec<Diagnostic>),
    /// An invalid argument or input, with the message that says what to do (exit 2).
    Invalid(String),
    /// A failure at run time, with the context of what was being done (exit 1).
    Runtime(anyhow::Error),
}

/// Any error a command meets with `?` is a failure at run time unless it says otherwise.
impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(err: E) -> Self {
        Failure::Runtime(err.into())
    }
}

pub type Outcome = Result<(), Failure>;

impl Failure {
    /// Prints the failure to standard error and gives the process's exit code.
    pub fn report(self) -> u8 {
        let mut err = stderr();
        match self {
            // `govscore check | head -1`: the reader went away, which is not our failure.
            Failure::Runtime(e) if is_broken_pipe(&e) => 0,
            Failure::Runtime(e) => {
                let _ = writeln!(err, "govscore: error: {e:#}");
                EXIT_FAILURE
            }
            Failure::Invalid(message) => {
                let _ = writeln!(err, "govscore: {message}");
                EXIT_INVALID
            }
            Failure::Problems(problems) => {
                for problem in &problems {
                    let _ = writeln!(err, "{problem}");
                }
                let mut files: Vec<&str> = problems.iter().map(|p| p.file.as_str()).collect();
                files.dedup();
                let _ = writeln!(
                    err,
                    "{} problem{} in {} file{}",
                    problems.len(),
                    plural(problems.len()),
                    files.len(),
                    plural(files.len())
                );
                EXIT_INVALID
            }
        }
    }
}

/// A writer that passes on only what a terminal shows (see [`printable`]): crawled text
/// reaches every command's output, and an ESC or BEL in a link's text must not retitle,
/// recolour or ring the user's terminal.
pub struct Printable<W>(W);

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) => self.0.write_all(printable(text).as_bytes())?,
            // Formatting writes whole strings; bytes cut mid-character lose their C0
            // controls, the only ones a single byte can carry.
            Err(_) => {
                let kept: Vec<u8> = buf
                    .iter()
                    .copied()
                    .filter(|b| !b.is_ascii_control() || matches!(b, b'\n' | b'\t'))
                    .collect();
                self.0.write_all(&kept)?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Standard output, printable only.
pub fn stdout() -> Printable<io::StdoutLock<'static>> {
    Printable(io::stdout().lock())
}

/// Standard error, printable only.
pub fn stderr() -> Printable<io::StderrLock<'static>> {
    Printable(io::stderr().lock())
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The async runtime the crawling commands run on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// A results file (or report folder) a command was given, read as it streams, each site
/// handed to `each` (see [`Results::read_with`]): unreadable or not results is an invalid
/// input; `hint` says how to name another.
pub fn read_results_with(
    path: &Path,
    hint: &str,
    each: impl FnMut(SiteResult) -> ControlFlow<(), Option<SiteResult>>,
) -> Result<Results, Failure> {
    Results::read_with(path, each).map_err(|e| Failure::Invalid(format!("{e}{hint}")))
}

/// [`read_results_with`] keeping each site's summary.
pub fn read_summaries(path: &Path, hint: &str) -> Result<Results, Failure> {
    read_results_with(path, hint, |site| {
        ControlFlow::Continue(Some(site.summary()))
    })
}

/// The `--previous` results, when given.
pub fn read_previous(path: Option<&Path>) -> anyhow::Result<Option<Previous>> {
    path.map(|path| Previous::read(path).context("reading --previous"))
        .transpose()
}

/// The year's report folder, `reports/<year>`, where `score` and `run` write and `explain`
/// looks by default.
pub fn year_folder(year: i32) -> PathBuf {
    PathBuf::from(format!("reports/{year}"))
}

/// This year, for defaults that name the year's report folder.
pub fn this_year() -> i32 {
    chrono::Local::now().year()
}

impl EvalArgs {
    pub fn as_of(&self) -> chrono::NaiveDate {
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    pub fn year(&self) -> i32 {
        self.year.unwrap_or_else(|| self.as_of().year())
    }

    /// The report folder: the one given, else `reports/<year>`.
    pub fn out_dir(&self, given: &Option<PathBuf>) -> PathBuf {
        given.clone().unwrap_or_else(|| year_folder(self.year()))
    }

    /// Last year's results, read before any work starts: a wrong path must not be found out
    /// after a long crawl.
    pub fn previous(&self) -> anyhow::Result<Option<Previous>> {
        read_previous(self.previous.as_deref())
    }
}

/// Prints the tables in `format`, and with the terminal table the files written.
pub fn print_tables(results: &Results, output: &OutputArgs, written: &[PathBuf]) -> Outcome {
    let format = output.format;
    let mut stdout = stdout();
    stdout.write_all(report::render(results, format, output.lang.lang).as_bytes())?;
    if format == Format::Table && !written.is_empty() {
        writeln!(stdout)?;
        for path in written {
            writeln!(stdout, "wrote {}", path.display())?;
        }
    }
    Ok(())
}
