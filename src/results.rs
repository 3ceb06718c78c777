//! `results.json`, the contract between scoring and everything that reads its outcome: the
//! reports, `diff`, `explain`, `merge`, and next year's run. This module owns the document's
//! shape and schema name, reads it back (checking the schema), writes it (whole or not at
//! all), and joins the partial results of a sharded run into what a single run would have
//! written.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::files::write_atomic;
use crate::input::Category;
use crate::lang::Text;
use crate::points::round_to_cents;
use crate::rank::{RankEntry, rank};
use crate::score::SiteResult;
use crate::shard::Shard;
use crate::tr;

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
    /// Reads a `results.json`, checking its schema. `path` is the file or the report folder
    /// that holds it, so every command takes what `score` and `run` wrote by its folder.
    pub fn read(path: &Path) -> Result<Self, ResultsError> {
        Self::read_keeping(path, |_| true)
    }

    /// [`Results::read`], keeping whole only the sites `keep` accepts: every other site is
    /// kept as its [`SiteResult::summary`]. The file is read as it streams, one site's
    /// details at a time, so `diff` of two census files (about 160 KB of evidence a site)
    /// holds their summaries, not gigabytes.
    pub fn read_keeping(
        path: &Path,
        mut keep: impl FnMut(&SiteResult) -> bool,
    ) -> Result<Self, ResultsError> {
        Self::read_with(path, |site| {
            Some(if keep(&site) { site } else { site.summary() })
        })
    }

    /// Reads a `results.json` as it streams, handing each site, whole, to `each`: what it
    /// gives back is kept in the document returned, in place of the site; `None` keeps
    /// nothing.
    pub fn read_with(
        path: &Path,
        each: impl FnMut(SiteResult) -> Option<SiteResult>,
    ) -> Result<Self, ResultsError> {
        let (reader, shown) = open(path)?;
        let schema = RefCell::new(None);
        let mut de = serde_json::Deserializer::from_reader(reader);
        let read = DocSeed {
            each,
            schema: &schema,
        }
        .deserialize(&mut de)
        .and_then(|results| de.end().map(|()| results));
        read.map_err(|e| {
            if let Some(found) = schema.borrow().as_ref()
                && let Err(wrong) = check_schema(found, &shown)
            {
                return wrong;
            }
            read_error(e, &shown)
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
    pub fn most_improved<'a>(
        &'a self,
        previous: &Previous,
        n: usize,
    ) -> Vec<(&'a SiteResult, f64)> {
        let before = &previous.totals;
        let mut gains: Vec<(&SiteResult, f64)> = self
            .sites
            .iter()
            .filter_map(|s| {
                let old = before.get(s.url.as_str())?;
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

/// The file a results path names: the path itself, or `results.json` in the folder it is.
fn file_of(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(FILE_NAME)
    } else {
        path.to_path_buf()
    }
}

/// The results file `path` names (see [`file_of`]), open for reading as it streams, and its
/// name as shown in errors.
fn open(path: &Path) -> Result<(std::io::BufReader<std::fs::File>, String), ResultsError> {
    let file = file_of(path);
    let shown = file.display().to_string();
    match std::fs::File::open(&file) {
        Ok(f) => Ok((std::io::BufReader::with_capacity(1 << 20, f), shown)),
        Err(source) => Err(ResultsError::Io {
            path: shown,
            source,
        }),
    }
}

/// A reading error of the JSON parser as the file's error: the disk's, or the text's (its
/// message names the line and column).
fn read_error(e: serde_json::Error, shown: &str) -> ResultsError {
    if e.is_io() {
        ResultsError::Io {
            path: shown.to_owned(),
            source: e.into(),
        }
    } else {
        ResultsError::Json {
            path: shown.to_owned(),
            message: e.to_string(),
        }
    }
}

/// An error unless `schema` (the document's `schema` field) is one this version reads.
fn check_schema(schema: &serde_json::Value, shown: &str) -> Result<(), ResultsError> {
    if READABLE_SCHEMAS.iter().any(|s| schema == *s) {
        return Ok(());
    }
    Err(ResultsError::Schema {
        path: shown.to_owned(),
        found: schema.to_string(),
    })
}

/// Reads a results document: the schema checked as soon as it is read (an error if it is
/// not one this version reads, or missing), the sites one at a time through [`SitesSeed`],
/// the other fields (a few KB) gathered and read as [`Results`].
struct DocSeed<'s, K> {
    each: K,
    /// The `schema` field once read, for the caller to tell a wrong schema from bad JSON.
    schema: &'s RefCell<Option<serde_json::Value>>,
}

impl<'de, K: FnMut(SiteResult) -> Option<SiteResult>> DeserializeSeed<'de> for DocSeed<'_, K> {
    type Value = Results;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Results, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, K: FnMut(SiteResult) -> Option<SiteResult>> Visitor<'de> for DocSeed<'_, K> {
    type Value = Results;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a results document (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Results, A::Error> {
        let wrong_schema = |schema: &RefCell<Option<serde_json::Value>>| {
            let found = schema.borrow();
            let found = found.as_ref().unwrap_or(&serde_json::Value::Null);
            (!READABLE_SCHEMAS.iter().any(|s| found == *s)).then(|| A::Error::custom("schema"))
        };
        let mut rest = serde_json::Map::new();
        let mut sites = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "sites" {
                sites = Some(map.next_value_seed(SitesSeed {
                    each: &mut self.each,
                })?);
                continue;
            }
            let value: serde_json::Value = map.next_value()?;
            if key == "schema" {
                *self.schema.borrow_mut() = Some(value.clone());
                if let Some(e) = wrong_schema(self.schema) {
                    return Err(e);
                }
            }
            rest.insert(key, value);
        }
        if self.schema.borrow().is_none() {
            *self.schema.borrow_mut() = Some(serde_json::Value::Null);
            return Err(A::Error::custom("schema"));
        }
        let sites = sites.ok_or_else(|| A::Error::missing_field("sites"))?;
        rest.insert("sites".into(), serde_json::Value::Array(Vec::new()));
        let mut results: Results =
            serde_json::from_value(serde_json::Value::Object(rest)).map_err(A::Error::custom)?;
        results.sites = sites;
        Ok(results)
    }
}

/// Reads the `sites` array one site at a time, each handed to `each`, which gives back
/// what to keep of it.
struct SitesSeed<'k, K> {
    each: &'k mut K,
}

impl<'de, K: FnMut(SiteResult) -> Option<SiteResult>> DeserializeSeed<'de> for SitesSeed<'_, K> {
    type Value = Vec<SiteResult>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, K: FnMut(SiteResult) -> Option<SiteResult>> Visitor<'de> for SitesSeed<'_, K> {
    type Value = Vec<SiteResult>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of sites")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut sites = Vec::new();
        while let Some(site) = seq.next_element::<SiteResult>()? {
            sites.extend((self.each)(site));
        }
        Ok(sites)
    }
}

/// Hands every site of the sharded parts at `paths` to `add`, whole and in URL order
/// (ties in the order the parts are given, as [`merge`] orders them), reading the parts side
/// by side as they stream, a thread each: a census is merged holding a few sites of each part
/// at a time, not every part whole. The parts are those [`merge`] accepted (read as
/// summaries); a part that no longer reads, or whose sites come out of order, is an error.
pub fn for_each_merged_site<E: From<ResultsError>>(
    paths: &[PathBuf],
    mut add: impl FnMut(SiteResult) -> Result<(), E>,
) -> Result<(), E> {
    std::thread::scope(|scope| {
        let mut readers = Vec::new();
        let mut heads = Vec::new();
        for path in paths {
            let (tx, rx) = std::sync::mpsc::sync_channel::<SiteResult>(4);
            readers.push(scope.spawn(move || {
                // Once the merge stops listening, the rest of the part is read and dropped.
                Results::read_with(path, |site| {
                    let _ = tx.send(site);
                    None
                })
            }));
            heads.push((rx.recv().ok(), rx));
        }
        let mut outcome = Ok(());
        let mut last = String::new();
        loop {
            let next = heads
                .iter()
                .enumerate()
                .filter_map(|(i, (head, _))| head.as_ref().map(|s| (s.url.as_str(), i)))
                .min();
            let Some((_, i)) = next else {
                break;
            };
            let (head, rx) = &mut heads[i];
            let site = head.take().expect("the chosen part has a site");
            *head = rx.recv().ok();
            if site.url < last {
                outcome = Err(ResultsError::Json {
                    path: paths[i].display().to_string(),
                    message: format!("{} comes after {last}: the part changed", site.url),
                }
                .into());
                break;
            }
            last.clone_from(&site.url);
            if let Err(e) = add(site) {
                outcome = Err(e);
                break;
            }
        }
        drop(heads);
        for reader in readers {
            match reader.join() {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    if outcome.is_ok() {
                        outcome = Err(e.into());
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        outcome
    })
}

/// What a year's report reads of an earlier year's results (`--previous`): the year and
/// each site's total, by URL. A national run's `results.json` is gigabytes of evidence
/// (about 160 KB a site); this is read off the file as it streams, a few dozen bytes a
/// site, so the score stage's memory stays flat in the number of sites last year had too.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// The evaluation year of those results.
    pub year: i32,
    /// Each site's total, by URL.
    totals: HashMap<String, f64>,
}

impl Previous {
    /// Reads the year and the totals of a `results.json` (the file or its report folder),
    /// checking its schema, without holding the rest of the document.
    pub fn read(path: &Path) -> Result<Self, ResultsError> {
        /// The parts of the document read; serde skips every other field as it streams.
        #[derive(Deserialize)]
        struct Doc {
            #[serde(default)]
            schema: serde_json::Value,
            year: i32,
            sites: Vec<Site>,
        }
        #[derive(Deserialize)]
        struct Site {
            url: String,
            total: f64,
        }
        let (reader, shown) = open(path)?;
        let doc: Doc = serde_json::from_reader(reader).map_err(|e| read_error(e, &shown))?;
        check_schema(&doc.schema, &shown)?;
        Ok(Self {
            year: doc.year,
            totals: doc.sites.into_iter().map(|s| (s.url, s.total)).collect(),
        })
    }
}

impl From<&Results> for Previous {
    fn from(results: &Results) -> Self {
        Self {
            year: results.year,
            totals: results
                .sites
                .iter()
                .map(|s| (s.url.clone(), s.total))
                .collect(),
        }
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
        indicators_file: first.indicators_file.clone(),
        notes: {
            let mut notes: Vec<Text> = parts.iter().flat_map(|(_, p)| p.notes.clone()).collect();
            notes.sort_by(|a, b| a.en.cmp(&b.en));
            notes.dedup();
            notes
        },
        categories: first.categories.clone(),
        shard: None,
        sites,
        rankings,
    })
}
