//! The `govscore` command line: parses the arguments ([`cli`]), runs the command
//! ([`commands`]), and turns its outcome into an exit code: `0` success, `1` a failure at
//! run time, `2` invalid input files or arguments.

mod cli;
mod commands;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet = cli.quiet;
    let outcome = match &cli.command {
        Command::Check(args) => commands::check::check(args),
        Command::Crawl(args) => commands::crawl::crawl(args, quiet),
        Command::Score(args) => commands::score::score(args),
        Command::Run(args) => commands::run::run(args, quiet),
        Command::Diff(args) => commands::diff::diff(args),
        Command::Explain(args) => commands::explain::explain(args),
        Command::Demo(args) => commands::demo::demo(args, quiet),
        Command::Merge(args) => commands::merge::merge(args),
        Command::Init(args) => commands::init::init(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => ExitCode::from(failure.report()),
    }
}
