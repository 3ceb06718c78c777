//! `govscore explain`: why a site scored what it did.

use std::io::Write;
use std::ops::ControlFlow;

use govscore::input::Lookup;

use super::{Failure, Outcome, read_results_with, read_summaries, this_year, year_folder};
use crate::cli::ExplainArgs;

pub fn explain(args: &ExplainArgs) -> Outcome {
    let path = args
        .results
        .clone()
        .unwrap_or_else(|| year_folder(this_year()).join("results.json"));
    let hint = " (give the file with --results)";
    // The site is looked up among every site's summary, then the file is read again for
    // its details alone: a census file is gigabytes of other sites' evidence.
    let summaries = read_summaries(&path, hint)?;
    let (index, url) = match govscore::explain::find(&summaries, &args.site) {
        Lookup::Found(site) => (
            summaries.sites.iter().position(|s| std::ptr::eq(s, site)),
            site.url.clone(),
        ),
        Lookup::Missing => {
            let names: Vec<&str> = summaries
                .sites
                .iter()
                .map(|s| s.name.as_str())
                .take(10)
                .collect();
            return Err(Failure::Invalid(format!(
                "no site `{}` in {}; name it by URL, host or name (e.g. {})",
                args.site,
                path.display(),
                names.join(", ")
            )));
        }
        Lookup::Ambiguous(sites) => {
            let names: Vec<String> = sites
                .iter()
                .map(|s| format!("{} ({})", s.name, s.url))
                .collect();
            return Err(Failure::Invalid(format!(
                "`{}` could be any of: {}; give more of the name, or the URL",
                args.site,
                names.join(", ")
            )));
        }
    };
    drop(summaries);
    // The second reading keeps that site alone (by its place, should a file repeat a URL).
    let mut place = 0;
    let results = read_results_with(&path, hint, |site| {
        let kept = (Some(place) == index).then_some(site);
        place += 1;
        ControlFlow::Continue(kept)
    })?;
    let Some(site) = results.sites.first().filter(|s| s.url == url) else {
        return Err(Failure::Invalid(format!(
            "{} changed while it was read: no site {url} the second time",
            path.display()
        )));
    };
    let lang = args.lang.lang;
    let text = if args.pages {
        govscore::explain::pages(site, lang)
    } else {
        govscore::explain::explain(&results, site, lang)
    };
    super::stdout().write_all(text.as_bytes())?;
    Ok(())
}
