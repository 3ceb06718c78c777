//! `govscore init`: the built-in method and site list written out for editing.

use std::io::Write;

use govscore::files::write_atomic;
use govscore::input::{BUILTIN_INDICATORS, BUILTIN_SITES, INDICATORS_FILE, SITES_FILE};

use super::{Failure, Outcome};
use crate::cli::InitArgs;

pub fn init(args: &InitArgs) -> Outcome {
    let files = [
        (INDICATORS_FILE, BUILTIN_INDICATORS),
        (SITES_FILE, BUILTIN_SITES),
    ];
    // Nothing is written unless everything can be: an evaluator's edited file is never lost.
    let existing: Vec<String> = files
        .iter()
        .map(|(name, _)| args.dir.join(name))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Failure::Invalid(format!(
            "{} already exist{}; init never overwrites a file (move it away, or init another folder)",
            existing.join(" and "),
            if existing.len() == 1 { "s" } else { "" }
        )));
    }
    std::fs::create_dir_all(&args.dir)?;
    let mut out = super::stdout();
    for (name, text) in files {
        let path = args.dir.join(name);
        write_atomic(&path, text.as_bytes())?;
        writeln!(out, "wrote {}", path.display())?;
    }
    writeln!(
        out,
        "edit them, then run `govscore check` in {} to validate",
        args.dir.display()
    )?;
    Ok(())
}
