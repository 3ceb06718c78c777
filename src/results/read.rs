//! Reading `results.json` back as it streams. A national run's file is gigabytes (about
//! 160 KB of evidence a site), so nothing here holds the document whole: each site is read,
//! handed over, and kept whole, as its summary, or not at all; the schema is checked as soon
//! as it is read (govscore writes it first), before any site.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

use super::{FILE_NAME, READABLE_SCHEMAS, Results, ResultsError};
use crate::score::SiteResult;

impl Results {
    /// Reads a `results.json`, checking its schema. `path` is the file or the report folder
    /// that holds it, so every command takes what `score` and `run` wrote by its folder.
    pub fn read(path: &Path) -> Result<Self, ResultsError> {
        Self::read_with(path, |site| ControlFlow::Continue(Some(site)))
    }

    /// Reads a `results.json` as it streams, handing each site, whole, to `each`: what it
    /// gives back is kept in the document returned, in place of the site — itself, its
    /// [`SiteResult::summary`] (so `diff` of two census files holds no evidence), or `None`
    /// for nothing; `Break` stops the reading, an error.
    pub fn read_with(
        path: &Path,
        each: impl FnMut(SiteResult) -> ControlFlow<(), Option<SiteResult>>,
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
        finish(read, &schema, &shown)
    }
}

/// What a year's report reads of an earlier year's results (`--previous`): the year and
/// each site's total, by URL — a few dozen bytes a site of the file's 160 KB, so the score
/// stage's memory stays flat in the number of sites last year had too.
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
        let (reader, shown) = open(path)?;
        let schema = RefCell::new(None);
        let mut de = serde_json::Deserializer::from_reader(reader);
        let read = de
            .deserialize_map(PreviousVisitor { schema: &schema })
            .and_then(|previous| de.end().map(|()| previous));
        finish(read, &schema, &shown)
    }

    /// The site's total last year, if it was evaluated.
    pub fn total(&self, url: &str) -> Option<f64> {
        self.totals.get(url).copied()
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

/// Hands every site of the sharded parts at `paths` to `add`, whole and in URL order (ties
/// in the order the parts are given, as a stable sort of them all orders them), reading the
/// parts side by side as they stream, a thread each: a census is merged holding a few sites of
/// each part at a time. The parts are those [`super::merge_header`] accepted; a part that no
/// longer reads, or whose sites come out of order, stops the merge with its error.
pub fn for_each_merged_site<E: From<ResultsError>>(
    paths: &[PathBuf],
    mut add: impl FnMut(SiteResult) -> Result<(), E>,
) -> Result<(), E> {
    std::thread::scope(|scope| {
        let mut parts = Vec::new();
        for path in paths {
            let (tx, rx) = std::sync::mpsc::sync_channel::<SiteResult>(4);
            // Once the merge stops listening (it failed), the part stops being read.
            let reader = std::thread::Builder::new()
                .name("merge-part".into())
                .spawn_scoped(scope, move || {
                    Results::read_with(path, |site| match tx.send(site) {
                        Ok(()) => ControlFlow::Continue(None),
                        Err(_) => ControlFlow::Break(()),
                    })
                })
                .map_err(|source| ResultsError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
            parts.push(Part {
                path,
                head: None,
                rx,
                reader: Some(reader),
            });
        }
        let merged = merge_in_order(&mut parts, &mut add);
        // The readers still running see their channel closed as their part is dropped, and
        // stop; what they say then is about being stopped, not about their part.
        let running: Vec<_> = parts.into_iter().filter_map(|p| p.reader).collect();
        for reader in running {
            if let Err(panic) = reader.join() {
                std::panic::resume_unwind(panic);
            }
        }
        merged
    })
}

/// The k-way merge itself: the smallest URL among the parts' next sites (the first part on
/// a tie) goes to `add`, until every part is read.
fn merge_in_order<E: From<ResultsError>>(
    parts: &mut [Part],
    add: &mut impl FnMut(SiteResult) -> Result<(), E>,
) -> Result<(), E> {
    for part in parts.iter_mut() {
        part.advance()?;
    }
    let mut last = String::new();
    loop {
        let next = parts
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.head.as_ref().map(|s| (s.url.as_str(), i)))
            .min();
        let Some((_, i)) = next else {
            return Ok(());
        };
        let site = parts[i].head.take().expect("the chosen part has a site");
        parts[i].advance()?;
        if site.url < last {
            return Err(ResultsError::OutOfOrder {
                path: file_of(parts[i].path).display().to_string(),
                url: site.url,
                after: last,
            }
            .into());
        }
        last.clone_from(&site.url);
        add(site)?;
    }
}

/// One part of a merge: its next site, and the reader sending the rest.
struct Part<'p, 's> {
    path: &'p Path,
    head: Option<SiteResult>,
    rx: std::sync::mpsc::Receiver<SiteResult>,
    reader: Option<std::thread::ScopedJoinHandle<'s, Result<Results, ResultsError>>>,
}

impl Part<'_, '_> {
    /// Takes the part's next site; at its end, the reader's outcome: its error, if it
    /// failed, stops the merge at once rather than after the other parts are written.
    fn advance(&mut self) -> Result<(), ResultsError> {
        self.head = self.rx.recv().ok();
        if self.head.is_some() {
            return Ok(());
        }
        match self.reader.take().map(|r| r.join()) {
            Some(Ok(read)) => read.map(|_| ()),
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => Ok(()),
        }
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

/// The results file `path` names, open for reading as it streams, and its name as shown in
/// errors.
fn open(path: &Path) -> Result<(BufReader<File>, String), ResultsError> {
    let file = file_of(path);
    let shown = file.display().to_string();
    match File::open(&file) {
        Ok(f) => Ok((BufReader::with_capacity(1 << 20, f), shown)),
        Err(source) => Err(ResultsError::Io {
            path: shown,
            source,
        }),
    }
}

/// A reading's outcome as the file's: a schema this version does not read (or none) says
/// so before anything the parser met after it; otherwise the disk's error, or the text's
/// (its message names the line and column).
fn finish<T>(
    read: Result<T, serde_json::Error>,
    schema: &RefCell<Option<Value>>,
    shown: &str,
) -> Result<T, ResultsError> {
    read.map_err(|e| {
        if let Some(found) = schema.borrow().as_ref()
            && !readable(found)
        {
            return ResultsError::Schema {
                path: shown.to_owned(),
                found: found.to_string(),
            };
        }
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
    })
}

fn readable(schema: &Value) -> bool {
    READABLE_SCHEMAS.iter().any(|s| schema == *s)
}

/// Notes the document's `schema` as it is read: an error, ending the reading, when it is
/// given twice or is not one this version reads.
fn note_schema<E: serde::de::Error>(
    schema: &RefCell<Option<Value>>,
    value: Value,
) -> Result<(), E> {
    if schema.borrow().is_some() {
        return Err(E::duplicate_field("schema"));
    }
    let ok = readable(&value);
    *schema.borrow_mut() = Some(value);
    if ok { Ok(()) } else { Err(E::custom("schema")) }
}

/// At the document's end: an error when it had no `schema` at all.
fn require_schema<E: serde::de::Error>(schema: &RefCell<Option<Value>>) -> Result<(), E> {
    if schema.borrow().is_some() {
        return Ok(());
    }
    *schema.borrow_mut() = Some(Value::Null);
    Err(E::custom("schema"))
}

/// Reads a results document: the schema noted as it is read, the sites one at a time
/// through [`SitesSeed`], the other fields (a few KB) gathered and read as [`Results`].
struct DocSeed<'s, K> {
    each: K,
    schema: &'s RefCell<Option<Value>>,
}

impl<'de, K> DeserializeSeed<'de> for DocSeed<'_, K>
where
    K: FnMut(SiteResult) -> ControlFlow<(), Option<SiteResult>>,
{
    type Value = Results;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Results, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, K> Visitor<'de> for DocSeed<'_, K>
where
    K: FnMut(SiteResult) -> ControlFlow<(), Option<SiteResult>>,
{
    type Value = Results;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a results document (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Results, A::Error> {
        let mut rest = serde_json::Map::new();
        let mut sites = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "sites" if sites.is_some() => return Err(A::Error::duplicate_field("sites")),
                "sites" => {
                    sites = Some(map.next_value_seed(SitesSeed {
                        each: &mut self.each,
                    })?);
                }
                "schema" => {
                    let value: Value = map.next_value()?;
                    note_schema(self.schema, value.clone())?;
                    rest.insert(key, value);
                }
                _ => {
                    let value: Value = map.next_value()?;
                    rest.insert(key, value);
                }
            }
        }
        require_schema(self.schema)?;
        let sites = sites.ok_or_else(|| A::Error::missing_field("sites"))?;
        rest.insert("sites".into(), Value::Array(Vec::new()));
        let mut results: Results =
            serde_json::from_value(Value::Object(rest)).map_err(A::Error::custom)?;
        results.sites = sites;
        Ok(results)
    }
}

/// Reads the `sites` array one site at a time, each handed to `each`.
struct SitesSeed<'k, K> {
    each: &'k mut K,
}

impl<'de, K> DeserializeSeed<'de> for SitesSeed<'_, K>
where
    K: FnMut(SiteResult) -> ControlFlow<(), Option<SiteResult>>,
{
    type Value = Vec<SiteResult>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, K> Visitor<'de> for SitesSeed<'_, K>
where
    K: FnMut(SiteResult) -> ControlFlow<(), Option<SiteResult>>,
{
    type Value = Vec<SiteResult>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of sites")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut sites = Vec::new();
        while let Some(site) = seq.next_element::<SiteResult>()? {
            match (self.each)(site) {
                ControlFlow::Continue(kept) => sites.extend(kept),
                ControlFlow::Break(()) => return Err(A::Error::custom("reading stopped")),
            }
        }
        Ok(sites)
    }
}

/// Reads what [`Previous`] keeps: the schema noted first, the year, each site's URL and
/// total; everything else skipped as it streams.
struct PreviousVisitor<'s> {
    schema: &'s RefCell<Option<Value>>,
}

impl<'de> Visitor<'de> for PreviousVisitor<'_> {
    type Value = Previous;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a results document (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Previous, A::Error> {
        #[derive(Deserialize)]
        struct Site {
            url: String,
            total: f64,
        }
        let mut year = None;
        let mut sites: Option<Vec<Site>> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "schema" => note_schema(self.schema, map.next_value()?)?,
                "year" if year.is_some() => return Err(A::Error::duplicate_field("year")),
                "year" => year = Some(map.next_value::<i32>()?),
                "sites" if sites.is_some() => return Err(A::Error::duplicate_field("sites")),
                "sites" => sites = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        require_schema(self.schema)?;
        Ok(Previous {
            year: year.ok_or_else(|| A::Error::missing_field("year"))?,
            totals: sites
                .ok_or_else(|| A::Error::missing_field("sites"))?
                .into_iter()
                .map(|s| (s.url, s.total))
                .collect(),
        })
    }
}
