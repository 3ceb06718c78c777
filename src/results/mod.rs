//! `results.json`, the contract between scoring and everything that reads its outcome: the
//! reports, `diff`, `explain`, `merge`, and next year's run. This module owns the document's
//! shape and schema name, writes it (whole or not at all), and joins the partial results of
//! a sharded run into what a single run would have written; `read.rs` reads it back as it
//! streams (checking the schema).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::files::write_atomic;
use crate::input::Category;
use crate::lang::Text;
use crate::points::round_to_cents;
use crate::rank::RankEntry;
use crate::score::SiteResult;
use crate::shard::Shard;
use crate::tr;

mod read;

pub use read::{Previous, for_each_merged_site};

/// The schema name written into every results file and required when one is read.
pub const SCHEMA: &str = "govscore/results/v3";

/// Earlier schemas this version still reads. v2 only added fields (the page model's pages,
/// the identity block, the indicator file's name), so a v1 file reads with them empty; v3
/// writes every note in both languages (`{"zh": …, "en": …}`), and the plain English
/// strings of v1 and v2 read as the same text in both.
pub const READABLE_SCHEMAS: [&str; 3] = [SCHEMA, "govscore/results/v2", "govscore/results/v1"];

/// The note every report opens with when the crawl found no working resolver.
pub fn no_resolver_note() -> Text {
    tr!(
        "外部链接未能核实：没有一个域名能够解析，因此无法访问的链接不计为断链",
        "external links unverified: no name could be resolved, so links that could not be reached are not counted as broken"
    )
}

/// The file name of the document inside a report folder.
pub const FILE_NAME: &str = "results.json";

/// The `results.json` document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    /// Always [`SCHEMA`] when written; checked when read.
    pub schema: String,
    /// The version of govscore that scored the crawl.
    pub tool_version: String,
    /// The evaluation date that freshness rules counted back from.
    pub as_of: NaiveDate,
    /// The evaluation year the reports are titled with (by default the year of `as_of`).
    pub year: i32,
    /// SHA-256 (hex) of the indicator file; `diff` compares it to see if the method changed.
    pub indicators_sha256: String,
    /// Which indicator file the results were scored with: its path, or the built-in method
    /// (absent in files written before it was recorded).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub indicators_file: String,
    /// What every reader must know before any score, printed at the top of every report:
    /// e.g. that external links went unverified because no name could be resolved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// Category ids in the order the site list first uses them, with display names: the
    /// order the reports print their tables in.
    pub categories: Vec<CategoryInfo>,
    /// Set on the partial result of a sharded run; such a result has no rankings until the
    /// parts are merged.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shard: Option<Shard>,
    /// Sorted by URL.
    pub sites: Vec<SiteResult>,
    /// Per category, the ranked sites in rank order (vetoed and unreachable ones are
    /// absent); empty in a shard's partial result.
    pub rankings: BTreeMap<Category, Vec<RankEntry>>,
}

/// A category of the site list, with the name its table is titled with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryInfo {
    /// The id as written in the site list (`provincial-capital`).
    pub id: Category,
    /// The display name (省会城市), or the id when it has none.
    pub name: String,
}

impl Results {
    /// The document as written: pretty JSON with a final newline, byte-identical for the
    /// same inputs.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("results serialise");
        s.push('\n');
        s
    }

    /// The sites whose total rose most since `previous` (sites present in both), largest
    /// gain first, ties by name, at most `n`; gains are compared to the cent.
    pub fn most_improved<'a>(
        &'a self,
        previous: &Previous,
        n: usize,
    ) -> Vec<(&'a SiteResult, f64)> {
        let mut gains: Vec<(&SiteResult, f64)> = self
            .sites
            .iter()
            .filter_map(|s| {
                let old = previous.total(&s.url)?;
                Some((s, round_to_cents(s.total - old)))
            })
            .filter(|(_, d)| *d > 0.0)
            .collect();
        gains.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
        gains.truncate(n);
        gains
    }

    /// Writes the document to `out/results.json` through a temporary file, creating `out`.
    pub fn write(&self, out: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(out)?;
        write_atomic(&out.join(FILE_NAME), self.to_json().as_bytes())
    }
}

/// Why a `results.json` could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file, as given or found in the given folder.
        path: String,
        /// Why it could not be read.
        #[source]
        source: std::io::Error,
    },
    /// The file is not JSON, or not shaped like a results document.
    #[error("{path}: not a results file: {message}")]
    Json {
        /// The file.
        path: String,
        /// The JSON parser's message, with line and column when the text is malformed.
        message: String,
    },
    /// The file names another schema, or none.
    #[error(
        "{path}: schema {found}, expected \"{SCHEMA}\"; written by another version of govscore?"
    )]
    Schema {
        /// The file.
        path: String,
        /// The `schema` value found, as JSON (`null` when absent).
        found: String,
    },
    /// A part of a sharded run read a second time lists a site out of URL order: it changed
    /// after it was first read.
    #[error("{path}: {url} comes after {after}; the file changed while merge read it")]
    OutOfOrder {
        /// The file.
        path: String,
        /// The site out of order.
        url: String,
        /// The site read before it.
        after: String,
    },
}

/// Why the parts of a sharded run could not be merged.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    /// No part was given.
    #[error("no parts to merge")]
    Empty,
    /// A part does not list its sites by URL, as every result `score` writes does.
    #[error("{part} does not list its sites in URL order; give the parts as `score` wrote them")]
    Unsorted {
        /// The part, as given.
        part: String,
    },
    /// A part is the result of a whole run, not of one shard.
    #[error(
        "{part} is not a sharded result (it has no shard); merge only the parts of a `--shard K/N` run"
    )]
    NotSharded {
        /// The part's name, as given.
        part: String,
    },
    /// A part was split a different number of ways from the first part.
    #[error(
        "{part} was split {found} ways, {first} was split {expected} ways; merge parts of one run"
    )]
    ShardCount {
        /// The part's name, as given.
        part: String,
        /// The first part's name, which every other part is held to.
        first: String,
        /// The part's number of shards.
        found: u32,
        /// The first part's number of shards.
        expected: u32,
    },
    /// A part was scored with another indicator file, date, year or schema than the first.
    #[error("{part} has {field} {found}, {first} has {expected}; merge parts of one run")]
    Mismatch {
        /// The part's name, as given.
        part: String,
        /// The first part's name, which every other part is held to.
        first: String,
        /// What differs: `indicator digest`, `evaluation date`, `year` or `schema`.
        field: &'static str,
        /// The part's value.
        found: String,
        /// The first part's value.
        expected: String,
    },
    /// Two parts are the same shard.
    #[error("shard {shard} is given twice: {first} and {second}")]
    Duplicate {
        /// The shard given twice.
        shard: Shard,
        /// The earlier part with that shard.
        first: String,
        /// The later part with that shard.
        second: String,
    },
    /// A shard of the run has no part.
    #[error("shard {missing} of {count} is missing; give every part")]
    Missing {
        /// The lowest missing shard index (1-based).
        missing: u32,
        /// How many ways the run was split.
        count: u32,
    },
}

/// Checks that the parts of a sharded run (each named, for messages) make one run, and gives
/// the results a single run would have produced without their sites and rankings: the
/// header `govscore merge` streams the sites into ([`for_each_merged_site`]), which ranks
/// them as `score` does. Parts read as summaries are enough.
pub fn merge_header(parts: &[(String, Results)]) -> Result<Results, MergeError> {
    let (first_name, first) = parts.first().ok_or(MergeError::Empty)?;
    let first_shard = first.shard.ok_or_else(|| MergeError::NotSharded {
        part: first_name.clone(),
    })?;
    let mut seen: Vec<(u32, &str)> = Vec::new();
    for (name, part) in parts {
        let shard = part
            .shard
            .ok_or_else(|| MergeError::NotSharded { part: name.clone() })?;
        if shard.count != first_shard.count {
            return Err(MergeError::ShardCount {
                part: name.clone(),
                first: first_name.clone(),
                found: shard.count,
                expected: first_shard.count,
            });
        }
        let checks: [(&'static str, String, String); 4] = [
            (
                "indicator digest",
                part.indicators_sha256.clone(),
                first.indicators_sha256.clone(),
            ),
            (
                "evaluation date",
                part.as_of.to_string(),
                first.as_of.to_string(),
            ),
            ("year", part.year.to_string(), first.year.to_string()),
            ("schema", part.schema.clone(), first.schema.clone()),
        ];
        for (field, found, expected) in checks {
            if found != expected {
                return Err(MergeError::Mismatch {
                    part: name.clone(),
                    first: first_name.clone(),
                    field,
                    found,
                    expected,
                });
            }
        }
        // The parts are joined as they stream, by URL: each must list its sites in that
        // order, as `score` writes them.
        if part.sites.windows(2).any(|w| w[0].url > w[1].url) {
            return Err(MergeError::Unsorted { part: name.clone() });
        }
        if let Some((_, other)) = seen.iter().find(|(i, _)| *i == shard.index) {
            return Err(MergeError::Duplicate {
                shard,
                first: (*other).to_owned(),
                second: name.clone(),
            });
        }
        seen.push((shard.index, name));
    }
    if let Some(missing) = (1..=first_shard.count).find(|i| !seen.iter().any(|(s, _)| s == i)) {
        return Err(MergeError::Missing {
            missing,
            count: first_shard.count,
        });
    }
    Ok(Results {
        schema: first.schema.clone(),
        tool_version: first.tool_version.clone(),
        as_of: first.as_of,
        year: first.year,
        indicators_sha256: first.indicators_sha256.clone(),
        indicators_file: first.indicators_file.clone(),
        notes: {
            let mut notes: Vec<Text> = parts.iter().flat_map(|(_, p)| p.notes.clone()).collect();
            notes.sort_by(|a, b| a.en.cmp(&b.en));
            notes.dedup();
            notes
        },
        categories: first.categories.clone(),
        shard: None,
        sites: Vec::new(),
        rankings: BTreeMap::new(),
    })
}
