//! `govscore demo`: the built-in portals served and evaluated offline.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use govscore::report::Format;

use super::{Outcome, print_tables, runtime};
use crate::cli::DemoArgs;
use crate::progress::CrawlBar;

pub fn demo(args: &DemoArgs, quiet: bool) -> Outcome {
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
    let bar = Arc::new(CrawlBar::new(quiet));
    let results = runtime()?
        .block_on(govscore::demo::run(&out, args.output.lang.lang, bar))
        .context("running the demo")?;
    let format = args.output.format;
    print_tables(&results, &args.output, &[])?;
    if format == Format::Table {
        writeln!(
            super::stdout(),
            "\nreports in {} (crawl archive in {}); try: govscore explain 西岭市 --results {}",
            out.display(),
            out.join("crawl").display(),
            out.join("results.json").display()
        )?;
    }
    Ok(())
}
