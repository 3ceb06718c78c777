//! The report folder written as the sites are scored, so that scoring a national run holds
//! one site's details at a time: each site's full result goes to two spool files beside the
//! reports as soon as it is made — its `results.json` entry and its `report.html` section —
//! and only its summary ([`SiteResult::summary`]) stays in memory for the rankings, the
//! tables and report.md. At the end the spools are spliced into the reports, each written
//! under a temporary name and renamed; the files are byte for byte what
//! [`super::write_reports`] writes from the same results in memory.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use super::{html, rankings_csv, report_md, tables};
use crate::files::{part_path, write_atomic};
use crate::lang::Lang;
use crate::rank::rank;
use crate::results::{self, Previous, Results};
use crate::score::SiteResult;

/// Takes each site's result as it is scored; [`ReportWriter::finish`] writes the folder.
pub struct ReportWriter {
    out: PathBuf,
    lang: Lang,
    /// Each site's `results.json` entry, indented for its place, separated by `,\n`.
    entries: Spool,
    /// Each site's `report.html` section; `None` for a shard's part, which has no report.
    sections: Option<Spool>,
    summaries: Vec<SiteResult>,
}

/// A temporary file in the report folder, removed when dropped.
struct Spool {
    path: PathBuf,
    file: BufWriter<File>,
    items: usize,
}

impl Spool {
    fn create(path: PathBuf) -> io::Result<Self> {
        // Read back at the end: opened for both.
        let file = BufWriter::new(
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(&path)?,
        );
        Ok(Self {
            path,
            file,
            items: 0,
        })
    }

    /// The spool's content, from its start, for copying into a report.
    fn reader(&mut self) -> io::Result<File> {
        self.file.flush()?;
        let mut file = self.file.get_ref().try_clone()?;
        file.rewind()?;
        Ok(file)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl ReportWriter {
    /// Spools into `out` (created if needed); `shard` when the results are a shard's part,
    /// which is written as `results.json` alone.
    pub fn new(out: &Path, lang: Lang, shard: bool) -> io::Result<Self> {
        std::fs::create_dir_all(out)?;
        let entries = Spool::create(part_path(&out.join(".results-sites")))?;
        let sections = if shard {
            None
        } else {
            Some(Spool::create(part_path(&out.join(".report-sites")))?)
        };
        Ok(Self {
            out: out.to_path_buf(),
            lang,
            entries,
            sections,
            summaries: Vec::new(),
        })
    }

    /// One site's result, in the order `results.json` lists the sites (by URL).
    pub fn add(&mut self, site: SiteResult) -> io::Result<()> {
        let entry = serde_json::to_string_pretty(&site).map_err(io::Error::other)?;
        let spool = &mut self.entries;
        if spool.items > 0 {
            spool.file.write_all(b",\n")?;
        }
        // An entry of `"sites"` sits two levels deep: four spaces before each of its lines
        // (a string's line breaks are escaped, so every newline here is the printer's).
        for (n, line) in entry.split('\n').enumerate() {
            if n > 0 {
                spool.file.write_all(b"\n")?;
            }
            spool.file.write_all(b"    ")?;
            spool.file.write_all(line.as_bytes())?;
        }
        spool.items += 1;
        if let Some(sections) = &mut self.sections {
            sections
                .file
                .write_all(html::site_section(&site, self.lang).as_bytes())?;
            sections.items += 1;
        }
        self.summaries.push(site.summary());
        Ok(())
    }

    /// Ranks the sites (unless `header` is a shard's part) and writes the folder: the
    /// results with `header`'s method, date and notes, and, for a whole evaluation,
    /// rankings.csv, report.md (most improved against `previous`) and report.html. Returns
    /// the results with each site's summary, and the files written, by name.
    pub fn finish(
        mut self,
        mut header: Results,
        previous: Option<&Previous>,
    ) -> io::Result<(Results, Vec<PathBuf>)> {
        let summaries = std::mem::take(&mut self.summaries);
        if header.shard.is_none() {
            header.rankings = rank(&summaries);
        }
        // The results as printed with no sites, and the spooled entries put where `[]` is.
        let skeleton = header.to_json();
        header.sites = summaries;
        let (before, after) = skeleton
            .split_once("\n  \"sites\": []")
            .ok_or_else(|| io::Error::other("results.json has no sites list"))?;
        let json_path = self.out.join(results::FILE_NAME);
        let items = self.entries.items;
        let mut entries = self.entries.reader()?;
        write_streamed(&json_path, |w| {
            w.write_all(before.as_bytes())?;
            w.write_all(b"\n  \"sites\": [")?;
            if items > 0 {
                w.write_all(b"\n")?;
                io::copy(&mut entries, w)?;
                w.write_all(b"\n  ")?;
            }
            w.write_all(b"]")?;
            w.write_all(after.as_bytes())
        })?;
        if header.shard.is_some() {
            return Ok((header, vec![json_path]));
        }
        let tables = tables(&header, self.lang);
        let csv_path = self.out.join("rankings.csv");
        write_atomic(&csv_path, rankings_csv(&tables).to_csv(true).as_bytes())?;
        let md_path = self.out.join("report.md");
        write_atomic(&md_path, report_md(&header, previous, self.lang).as_bytes())?;
        let html_path = self.out.join("report.html");
        let page_head = html::head(&header, &tables, self.lang);
        let sections = self.sections.as_mut().map(Spool::reader).transpose()?;
        write_streamed(&html_path, |w| {
            w.write_all(page_head.as_bytes())?;
            if let Some(mut sections) = sections {
                io::copy(&mut sections, w)?;
            }
            w.write_all(html::TAIL.as_bytes())
        })?;
        Ok((header, vec![csv_path, html_path, md_path, json_path]))
    }
}

/// Writes `path` through `write`, under its temporary name, then renames it.
fn write_streamed(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = part_path(path);
    let mut w = BufWriter::new(File::create(&tmp)?);
    write(&mut w)?;
    let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn read_all(mut r: impl Read) -> String {
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        s
    }

    /// The fixture's results, streamed site by site, make the very files `write_reports`
    /// makes from them in memory.
    #[test]
    fn streamed_reports_are_the_reports_written_whole() {
        let fixture =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-2026.json");
        let full = Results::read(&fixture).unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let whole = tempfile::tempdir().unwrap();
            super::super::write_reports(&full, None, whole.path(), lang).unwrap();
            let streamed = tempfile::tempdir().unwrap();
            let mut writer = ReportWriter::new(streamed.path(), lang, false).unwrap();
            for site in &full.sites {
                writer.add(site.clone()).unwrap();
            }
            let header = Results {
                sites: Vec::new(),
                rankings: Default::default(),
                ..full.clone()
            };
            let (summaries, written) = writer.finish(header, None).unwrap();
            assert_eq!(summaries.sites.len(), full.sites.len());
            assert_eq!(summaries.rankings, full.rankings);
            assert_eq!(written.len(), 4);
            for name in ["results.json", "rankings.csv", "report.md", "report.html"] {
                let a = read_all(File::open(whole.path().join(name)).unwrap());
                let b = read_all(File::open(streamed.path().join(name)).unwrap());
                assert!(a == b, "{name} differs");
            }
            let left: Vec<_> = std::fs::read_dir(streamed.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(left.len(), 4, "spools removed: {left:?}");
        }
    }
}
