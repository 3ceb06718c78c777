//! `results.json`, the contract between scoring and everything that reads its outcome: the
//! reports, `diff`, `explain`, `merge`, and next year's run. This module owns the document's
//! shape and schema name, reads it back (checking the schema), writes it (whole or not at
//! all), and joins the partial results of a sharded run into what a single run would have
//! written.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::files::write_atomic;
use crate::input::Category;
use crate::points::round_to_cents;
use crate::rank::{RankEntry, rank};
use crate::score::SiteResult;
use crate::shard::Shard;

/// The schema name written into every results file and required when one is read.
pub const SCHEMA: &str = "govscore/results/v1";

/// The file name of the document inside a report folder.
pub const FILE_NAME: &str = "results.json";

/// The `results.json` document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub schema: String,
    pub tool_version: String,
    pub as_of: NaiveDate,
    pub year: i32,
    pub indicators_sha256: String,
    /// Category ids in the order the site list first uses them, with display names: the
    /// order the reports print their tables in.
    pub categories: Vec<CategoryInfo>,
    /// Set on the partial result of a sharded run; such a result has no rankings until the
    /// parts are merged.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shard: Option<Shard>,
    /// Sorted by URL.
    pub sites: Vec<SiteResult>,
    pub rankings: BTreeMap<Category, Vec<RankEntry>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryInfo {
    pub id: Category,
    pub name: String,
}

impl Results {
    /// Reads a `results.json`, checking its schema. `path` is the file or the report folder
    /// that holds it, so every command takes what `score` and `run` wrote by its folder.
    pub fn read(path: &Path) -> Result<Self, ResultsError> {
        let file = if path.is_dir() {
            path.join(FILE_NAME)
        } else {
            path.to_path_buf()
        };
        let path = file.as_path();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ResultsError::Io {
            path: shown.clone(),
            source,
        })?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| ResultsError::Json {
                path: shown.clone(),
                message: format!("line {}, column {}: {e}", e.line(), e.column()),
            })?;
        if value["schema"] != SCHEMA {
            return Err(ResultsError::Schema {
                path: shown,
                found: value["schema"].to_string(),
            });
        }
        serde_json::from_value(value).map_err(|e| ResultsError::Json {
            path: shown,
            message: e.to_string(),
        })
    }

    /// The document as written: pretty JSON with a final newline, byte-identical for the
    /// same inputs.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("results serialise");
        s.push('\n');
        s
    }

    /// The sites whose total rose most since `previous` (sites present in both), largest
    /// gain first, ties by name, at most `n`; gains are compared to the cent.
    pub fn most_improved<'a>(&'a self, previous: &Results, n: usize) -> Vec<(&'a SiteResult, f64)> {
        let mut gains: Vec<(&SiteResult, f64)> = self
            .sites
            .iter()
            .filter_map(|s| {
                let old = previous.sites.iter().find(|p| p.url == s.url)?;
                Some((s, round_to_cents(s.total - old.total)))
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
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a results file: {message}")]
    Json { path: String, message: String },
    #[error(
        "{path}: schema {found}, expected \"{SCHEMA}\"; written by another version of govscore?"
    )]
    Schema { path: String, found: String },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    #[error("no parts to merge")]
    Empty,
    #[error(
        "{part} is not a sharded result (it has no shard); merge only the parts of a `--shard K/N` run"
    )]
    NotSharded { part: String },
    #[error(
        "{part} was split {found} ways, {first} was split {expected} ways; merge parts of one run"
    )]
    ShardCount {
        part: String,
        first: String,
        found: u32,
        expected: u32,
    },
    #[error("{part} has {field} {found}, {first} has {expected}; merge parts of one run")]
    Mismatch {
        part: String,
        first: String,
        field: &'static str,
        found: String,
        expected: String,
    },
    #[error("shard {shard} is given twice: {first} and {second}")]
    Duplicate {
        shard: Shard,
        first: String,
        second: String,
    },
    #[error("shard {missing} of {count} is missing; give every part")]
    Missing { missing: u32, count: u32 },
}

/// Joins the parts of a sharded run (each named, for messages) into the results a single
/// run would have produced: the same sites, sorted the same way, ranked together.
pub fn merge(parts: &[(String, Results)]) -> Result<Results, MergeError> {
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
    let mut sites: Vec<_> = parts
        .iter()
        .flat_map(|(_, p)| p.sites.iter().cloned())
        .collect();
    sites.sort_by(|a, b| a.url.cmp(&b.url));
    let rankings = rank(&sites);
    Ok(Results {
        schema: first.schema.clone(),
        tool_version: first.tool_version.clone(),
        as_of: first.as_of,
        year: first.year,
        indicators_sha256: first.indicators_sha256.clone(),
        categories: first.categories.clone(),
        shard: None,
        sites,
        rankings,
    })
}
