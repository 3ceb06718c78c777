//! The crawl archive on disk: one WARC/1.1 file and one JSON-lines crawl log per site, in a
//! crawl folder that also holds the site list it was made from and a manifest of the options.
//!
//! ```text
//! <crawl dir>/crawl.json              manifest: tool version, options, site-list digest
//! <crawl dir>/sites.txt               the site list, as given
//! <crawl dir>/warc/<site>.warc.gz     every request and response, gzip per record
//! <crawl dir>/log/<site>.jsonl        fetch timings, error classes, robots decisions,
//!                                     link checks, probes, and the site's outcome
//! ```
//!
//! Records are written as responses arrive and bodies are dropped after, so memory does not
//! grow with the number of pages. A site's files are written under a `.part` name and renamed
//! when the site is finished (the log first, then the WARC): a crawl killed at any point
//! leaves only complete files under their final names, and a resumed crawl knows a site is
//! done when its WARC exists.
//!
//! WARC records are written with the `warc` crate, one gzip member per record, as WARC
//! readers expect, and read back by [`record`] (the crate's reader took each block a line at
//! a time). Each record is serialised into a buffer and deflated whole by a compressor
//! kept per thread and reset between records: a fresh compressor per record spent most of
//! its time allocating and zeroing its tables (BENCHMARKS.md), and one per site would hold
//! some 300 KB for each of hundreds of sites in flight.

use std::cell::RefCell;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use flate2::{Compress, Compression, Crc, FlushCompress};
use serde::Serialize;
use warc::{RecordBuilder, RecordType, TruncatedType, WarcHeader, WarcWriter};

pub mod log;
mod record;

use crate::files::{is_part, part_path};
use crate::input::SiteKey;
use log::Event;

/// The manifest in the crawl folder: tool version, options of each run, site-list digest.
pub const MANIFEST: &str = "crawl.json";
/// The site list as given, kept so `score` needs no `--sites` and a resume can check it.
pub const SITES_COPY: &str = "sites.txt";
/// The subfolder holding one WARC file per site.
pub const WARC_DIR: &str = "warc";
/// The subfolder holding one crawl log per site.
pub const LOG_DIR: &str = "log";

/// A file name for a site: its host, then `_` and the port when one is given
/// (`chengdu.gov.cn`, `127.0.0.1_8081`). Any character of the host but `[a-z0-9.-]` is
/// written `%XX` (an IPv6 address's brackets and colons), so `_` only ever comes before the
/// port and two sites never share a file: `x.gov.cn:8080` is `x.gov.cn_8080`, and a host
/// `x.gov.cn_8080` (which `check` refuses anyway) would be `x.gov.cn%5F8080`. A stem never
/// starts with a dot, so no site's files are hidden.
pub fn site_file_stem(key: &SiteKey) -> String {
    let mut stem = String::new();
    for b in key.host().bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' | b'-' => stem.push(b as char),
            b'.' if !stem.is_empty() => stem.push('.'),
            _ => stem.push_str(&format!("%{b:02X}")),
        }
    }
    if let Some(port) = key.port() {
        stem.push_str(&format!("_{port}"));
    }
    stem
}

/// Where a site's WARC file lives under its final name (its `.part` file sits beside it).
pub fn warc_path(dir: &Path, stem: &str) -> PathBuf {
    dir.join(WARC_DIR).join(format!("{stem}.warc.gz"))
}

/// Where a site's crawl log lives under its final name (its `.part` file sits beside it).
pub fn log_path(dir: &Path, stem: &str) -> PathBuf {
    dir.join(LOG_DIR).join(format!("{stem}.jsonl"))
}

/// Whether a site's crawl finished in an earlier run: both files under their final names.
pub fn site_is_done(dir: &Path, stem: &str) -> bool {
    warc_path(dir, stem).is_file() && log_path(dir, stem).is_file()
}

/// Removes the `.part` files a killed crawl left behind, so their sites are crawled again.
pub fn remove_partial_files(dir: &Path) -> io::Result<usize> {
    let mut removed = 0;
    for sub in [WARC_DIR, LOG_DIR] {
        let Ok(entries) = fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if is_part(&path) {
                fs::remove_file(&path)?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// One HTTP exchange as it goes into the archive.
#[derive(Debug)]
pub struct Exchange<'a> {
    /// The URL of this hop; each redirect hop is an exchange of its own.
    pub url: &'a str,
    /// The request as sent: request line and headers.
    pub request_head: &'a [u8],
    /// The response status line and headers, rewritten to describe the stored body: the
    /// wire's `Content-Encoding`, `Transfer-Encoding` and `Content-Length` are kept under
    /// `X-Archive-Orig-` names, since the body is stored decoded.
    pub response_head: &'a [u8],
    /// The body as stored: decoded, and no longer than the size cap.
    pub body: &'a [u8],
    /// The body was cut at the size cap or the time limit.
    pub truncated: bool,
    /// The server's address, for `WARC-IP-Address`; `None` when the client did not report it.
    pub ip: Option<IpAddr>,
    /// `h2` for HTTP/2 responses, which are stored with an HTTP/1.1 status line.
    pub protocol: Option<&'a str>,
}

/// The archive files of one site while it is being crawled.
pub struct SiteArchive {
    warc: BufWriter<File>,
    log: BufWriter<File>,
    warc_final: PathBuf,
    log_final: PathBuf,
    warcinfo_id: String,
}

impl SiteArchive {
    /// Opens the `.part` files of a site and writes its `warcinfo` record.
    pub fn create(dir: &Path, stem: &str, warcinfo: &[(&str, String)]) -> io::Result<Self> {
        fs::create_dir_all(dir.join(WARC_DIR))?;
        fs::create_dir_all(dir.join(LOG_DIR))?;
        let warc_final = warc_path(dir, stem);
        let log_final = log_path(dir, stem);
        let warc = BufWriter::new(File::create(part_path(&warc_final))?);
        let log = BufWriter::new(File::create(part_path(&log_final))?);
        let mut body = String::new();
        for (k, v) in warcinfo {
            body.push_str(k);
            body.push_str(": ");
            body.push_str(&v.replace(['\r', '\n'], " "));
            body.push_str("\r\n");
        }
        let record = RecordBuilder::default()
            .version("1.1".to_owned())
            .warc_type(RecordType::WarcInfo)
            .header(WarcHeader::Filename, format!("{stem}.warc.gz"))
            .header(WarcHeader::ContentType, "application/warc-fields")
            .body(body.into_bytes())
            .build()
            .map_err(io::Error::other)?;
        let warcinfo_id = record.warc_id().to_owned();
        let mut this = Self {
            warc,
            log,
            warc_final,
            log_final,
            warcinfo_id,
        };
        this.write_record(&record)?;
        Ok(this)
    }

    /// Writes a `request` and a `response` record for one fetch.
    pub fn write_exchange(&mut self, ex: &Exchange) -> io::Result<()> {
        let mut request = RecordBuilder::default()
            .version("1.1".to_owned())
            .warc_type(RecordType::Request)
            .header(WarcHeader::TargetURI, ex.url)
            .header(WarcHeader::WarcInfoID, self.warcinfo_id.as_str())
            .header(WarcHeader::ContentType, "application/http;msgtype=request")
            .header(WarcHeader::BlockDigest, digest(ex.request_head))
            .body(ex.request_head.to_vec());
        if let Some(ip) = ex.ip {
            request = request.header(WarcHeader::IPAddress, ip.to_string());
        }
        let request = request.build().map_err(io::Error::other)?;

        let mut block = Vec::with_capacity(ex.response_head.len() + ex.body.len());
        block.extend_from_slice(ex.response_head);
        block.extend_from_slice(ex.body);
        let mut response = RecordBuilder::default()
            .version("1.1".to_owned())
            .warc_type(RecordType::Response)
            .header(WarcHeader::TargetURI, ex.url)
            .header(WarcHeader::WarcInfoID, self.warcinfo_id.as_str())
            .header(WarcHeader::ConcurrentTo, request.warc_id())
            .header(WarcHeader::ContentType, "application/http;msgtype=response")
            .header(WarcHeader::BlockDigest, digest(&block))
            .header(WarcHeader::PayloadDigest, digest(ex.body))
            .body(block);
        if let Some(ip) = ex.ip {
            response = response.header(WarcHeader::IPAddress, ip.to_string());
        }
        if let Some(protocol) = ex.protocol {
            response = response.header(WarcHeader::Unknown("WARC-Protocol".to_owned()), protocol);
        }
        if ex.truncated {
            response = response.truncated_type(TruncatedType::Length);
        }
        let response = response.build().map_err(io::Error::other)?;
        self.write_record(&request)?;
        self.write_record(&response)
    }

    fn write_record(&mut self, record: &warc::Record<warc::BufferedBody>) -> io::Result<()> {
        GZIP.with_borrow_mut(|gz| {
            gz.plain.clear();
            WarcWriter::new(&mut gz.plain).write(record)?;
            gz.member(&mut self.warc)
        })
    }

    /// Appends one event to the site's crawl log.
    pub fn log(&mut self, event: &impl Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.log, event).map_err(io::Error::other)?;
        self.log.write_all(b"\n")
    }

    /// Flushes both files to disk and gives them their final names: the log first, then the
    /// WARC, whose presence marks the site as done.
    pub fn finish(self) -> io::Result<()> {
        let Self {
            warc,
            log,
            warc_final,
            log_final,
            ..
        } = self;
        for (writer, path) in [(log, &log_final), (warc, &warc_final)] {
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            fs::rename(part_path(path), path)?;
            // The rename itself must reach the disk, or a power cut could keep one file's
            // new name and lose the other's.
            if let Some(dir) = path.parent() {
                File::open(dir)?.sync_all()?;
            }
        }
        Ok(())
    }
}

/// `sha1:<base32>`, the digest form WARC tools check and deduplicate by.
fn digest(bytes: &[u8]) -> String {
    format!(
        "sha1:{}",
        data_encoding::BASE32.encode(
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, bytes).as_ref()
        )
    )
}

thread_local! {
    /// This thread's gzip writer, reused for every record it archives.
    static GZIP: RefCell<Gzip> = RefCell::new(Gzip::new());
}

/// A deflate state and its buffers, reset for each gzip member.
struct Gzip {
    deflate: Compress,
    /// The record as serialised.
    plain: Vec<u8>,
    /// Its deflated form.
    packed: Vec<u8>,
}

/// Buffers grown past this by a large record are given back after it.
const KEEP_BUFFER: usize = 1 << 20;

impl Gzip {
    fn new() -> Self {
        // A fast level: HTML still shrinks several times, and at the default level
        // compression was a fifth of the crawler's CPU time (benches/crawl.rs). Level 2,
        // not 1: zlib-rs's level 1 is its quick mode, whose archives were 17% larger than
        // level 2's for the same CPU time (the five real sites).
        Self {
            deflate: Compress::new(Compression::new(2), false),
            plain: Vec::new(),
            packed: Vec::new(),
        }
    }

    /// Writes `plain` to `out` as one gzip member (RFC 1952): header, raw deflate, CRC-32
    /// and length.
    fn member(&mut self, out: &mut impl Write) -> io::Result<()> {
        self.deflate.reset();
        self.packed.clear();
        self.packed.reserve(self.plain.len() / 2 + 1024);
        loop {
            let done = self.deflate.total_in() as usize;
            let status = self
                .deflate
                .compress_vec(&self.plain[done..], &mut self.packed, FlushCompress::Finish)
                .map_err(io::Error::other)?;
            if status == flate2::Status::StreamEnd {
                break;
            }
            self.packed.reserve(self.packed.capacity().max(4096));
        }
        let mut crc = Crc::new();
        crc.update(&self.plain);
        // No name, no time: the same record makes the same bytes. XFL 4 says the fastest
        // level; OS 255 is "unknown".
        out.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255])?;
        out.write_all(&self.packed)?;
        out.write_all(&crc.sum().to_le_bytes())?;
        out.write_all(&(self.plain.len() as u32).to_le_bytes())?;
        for buffer in [&mut self.plain, &mut self.packed] {
            if buffer.capacity() > KEEP_BUFFER {
                *buffer = Vec::new();
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Headers are read off the block as they were stored: the first of a name, any case,
    /// a value that is not UTF-8 as `from_utf8_lossy` reads it.
    #[test]
    fn stored_headers_are_read_in_place() {
        let head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=GBK\r\nX-Name: \xc4\xe3\r\nx-name: second\r\nEmpty:\r\n\r\n";
        let mut block = head.to_vec();
        block.extend_from_slice(b"<p>body</p>");
        let record = format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://a.gov.cn/\r\nContent-Length: {}\r\n\r\n",
            block.len()
        );
        let mut warc = record.into_bytes();
        warc.extend_from_slice(&block);
        warc.extend_from_slice(b"\r\n\r\n");
        let read = read_warc(&warc[..], "test").unwrap();
        let resp = &read[0];
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header("content-type"), Some("text/html; charset=GBK"));
        assert_eq!(resp.header("x-name"), Some("\u{fffd}\u{fffd}"));
        assert_eq!(resp.header("empty"), Some(""));
        assert_eq!(resp.header("missing"), None);
        assert_eq!(resp.body(), b"<p>body</p>");
    }

    #[test]
    fn digests_are_sha1_in_base32() {
        // Python: base64.b32encode(hashlib.sha1(b"abc").digest())
        assert_eq!(digest(b"abc"), "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
        assert_eq!(digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }

    #[test]
    fn writes_gzip_member_per_record_and_renames_on_finish() {
        let dir = tempfile::tempdir().unwrap();
        let mut archive =
            SiteArchive::create(dir.path(), "a.gov.cn", &[("software", "govscore".into())])
                .unwrap();
        assert!(!site_is_done(dir.path(), "a.gov.cn"));
        let big = vec![b'x'; 300_000];
        archive
            .write_exchange(&Exchange {
                url: "http://www.a.gov.cn/",
                request_head: b"GET / HTTP/1.1\r\nHost: www.a.gov.cn\r\n\r\n",
                response_head: b"HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n",
                body: &big,
                truncated: true,
                ip: Some("127.0.0.1".parse().unwrap()),
                protocol: None,
            })
            .unwrap();
        archive.log(&serde_json::json!({"event": "fetch"})).unwrap();
        archive.finish().unwrap();
        assert!(site_is_done(dir.path(), "a.gov.cn"));

        let raw = fs::read(warc_path(dir.path(), "a.gov.cn")).unwrap();
        // Three gzip members: warcinfo, request, response.
        let members = raw.windows(3).filter(|w| *w == [0x1f, 0x8b, 0x08]).count();
        assert!(members >= 3, "{members}");
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut text)
            .unwrap();
        let text = String::from_utf8_lossy(&text);
        assert_eq!(text.matches("WARC/1.1\r\n").count(), 3);
        // Field names are case-insensitive in WARC; the `warc` crate writes them in lower case.
        let lower = text.to_ascii_lowercase();
        assert!(lower.contains("warc-type: response"));
        assert!(lower.contains("warc-truncated: length"));
        assert!(lower.contains("warc-payload-digest: sha1:"));
        assert!(text.ends_with(&format!("{}\r\n\r\n", "x".repeat(100))));
        let log = fs::read_to_string(log_path(dir.path(), "a.gov.cn")).unwrap();
        assert_eq!(log, "{\"event\":\"fetch\"}\n");
    }

    #[test]
    fn partial_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let archive = SiteArchive::create(dir.path(), "b.gov.cn", &[]).unwrap();
        drop(archive);
        assert_eq!(remove_partial_files(dir.path()).unwrap(), 2);
        assert!(
            fs::read_dir(dir.path().join(WARC_DIR))
                .unwrap()
                .next()
                .is_none()
        );
    }

    #[test]
    fn file_stems_are_safe() {
        let key = crate::input::SiteList::parse("http://127.0.0.1:8081/ district 甲\n", "s")
            .unwrap()
            .sites[0]
            .key();
        assert_eq!(site_file_stem(&key), "127.0.0.1_8081");
    }

    #[test]
    fn file_stems_never_collide_and_are_never_hidden() {
        let stem = |u: &str| site_file_stem(&SiteKey::of(&url::Url::parse(u).unwrap()).unwrap());
        assert_eq!(stem("https://www.chengdu.gov.cn/"), "chengdu.gov.cn");
        assert_eq!(stem("http://x.gov.cn:8080/"), "x.gov.cn_8080");
        // A host with `_` in it (refused by check) cannot take a port's file.
        assert_eq!(stem("http://x.gov.cn_8080/"), "x.gov.cn%5F8080");
        assert_eq!(stem("http://[::1]:8080/"), "%5B%3A%3A1%5D_8080");
        assert!(!stem("http://.a.gov.cn/").starts_with('.'));
    }
}

/// A response read back from a site's WARC file.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    /// The record's `WARC-Target-URI`: the URL of that hop.
    pub url: String,
    /// The HTTP status code of the stored status line.
    pub status: u16,
    /// The headers, in the order stored, where they are in the block: a page's twenty
    /// names and values were forty strings to allocate and free, for the one header
    /// scoring reads.
    headers: Vec<Header>,
    /// The record's block: the HTTP head, then the body from `body_start`. The head is not
    /// cut out of it: that would move every body of the archive once more (33 MB on the
    /// five real sites) to free a few hundred bytes.
    block: Vec<u8>,
    body_start: usize,
}

impl StoredResponse {
    /// The body as stored: decoded, possibly truncated.
    pub fn body(&self) -> &[u8] {
        &self.block[self.body_start..]
    }

    /// The first value of a header; `name` must be given in lower case.
    pub fn header(&self, name: &str) -> Option<&str> {
        let header = self
            .headers
            .iter()
            .find(|h| self.block[h.name.clone()].eq_ignore_ascii_case(name.as_bytes()))?;
        match &header.value {
            // Checked to be UTF-8 when the record was read.
            HeaderValue::InBlock(at) => std::str::from_utf8(&self.block[at.clone()]).ok(),
            HeaderValue::Lossy(value) => Some(value),
        }
    }
}

/// A header of a stored response: its name's place in the block, and its value.
#[derive(Debug, Clone)]
struct Header {
    name: std::ops::Range<usize>,
    value: HeaderValue,
}

/// A header's value: in the block when it is UTF-8 (the crawler writes nothing else), else a
/// copy in which what is not UTF-8 is replaced, as `String::from_utf8_lossy` reads it.
#[derive(Debug, Clone)]
enum HeaderValue {
    InBlock(std::ops::Range<usize>),
    Lossy(String),
}

/// Why a crawl folder could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file, as shown to the user.
        path: String,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// A file was read, but its content is not what the crawler writes.
    #[error("{path}: record {record}: {message}")]
    Malformed {
        /// The file, as shown to the user.
        path: String,
        /// The WARC record number, or the crawl log's line number, counting from 1.
        record: usize,
        /// What was wrong with it.
        message: String,
    },
}

/// A `.warc.gz` file read as one uncompressed stream.
pub type GzWarc = io::BufReader<flate2::read::MultiGzDecoder<io::BufReader<File>>>;

/// The `response` records of a WARC file, read one at a time as they are asked for: the
/// score stage parses a site's pages while the rest of its archive is still compressed.
pub fn responses(path: &Path) -> Result<Responses<GzWarc>, ReadError> {
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|source| ReadError::Io {
        path: shown.clone(),
        source,
    })?;
    // flate2 rather than the `warc` crate's own gzip reader (libflate), which was an eighth
    // of the scoring stage's time in benches/score.rs.
    Ok(Responses::new(
        io::BufReader::with_capacity(
            256 * 1024,
            flate2::read::MultiGzDecoder::new(io::BufReader::new(file)),
        ),
        shown,
    ))
}

/// Every `response` record of an uncompressed WARC stream, in order; `shown` names the
/// stream in errors. Any input gives records or an error, never a panic (fuzzed:
/// `fuzz/fuzz_targets/warc.rs`).
pub fn read_warc(reader: impl io::BufRead, shown: &str) -> Result<Vec<StoredResponse>, ReadError> {
    Responses::new(reader, shown.to_owned()).collect()
}

/// The `response` records of an uncompressed WARC stream, in order. The first error ends
/// it: what follows a malformed record cannot be told apart from it.
pub struct Responses<R> {
    reader: R,
    /// The stream's name in errors.
    shown: String,
    /// Records read so far, of any type.
    records: usize,
    done: bool,
}

impl<R: io::BufRead> Responses<R> {
    fn new(reader: R, shown: String) -> Self {
        Self {
            reader,
            shown,
            records: 0,
            done: false,
        }
    }

    /// The next record, `None` at the end, or why the stream cannot be read on.
    fn read_next(&mut self) -> Result<Option<StoredResponse>, ReadError> {
        loop {
            self.records += 1;
            let malformed = |message: String| ReadError::Malformed {
                path: self.shown.clone(),
                record: self.records,
                message,
            };
            let Some(record) = record::next(&mut self.reader).map_err(malformed)? else {
                return Ok(None);
            };
            if record.field("WARC-Type") != Some("response") {
                continue;
            }
            let url = record
                .field("WARC-Target-URI")
                .ok_or_else(|| malformed("response without WARC-Target-URI".into()))?
                .to_owned();
            let block = record.block;
            let mut parsed_headers = [httparse::EMPTY_HEADER; 128];
            let mut response = httparse::Response::new(&mut parsed_headers);
            let body_start = match response.parse(&block) {
                Ok(httparse::Status::Complete(len)) => len,
                Ok(httparse::Status::Partial) => {
                    return Err(malformed(format!("{url}: HTTP head cut short")));
                }
                Err(e) => return Err(malformed(format!("{url}: HTTP head: {e}"))),
            };
            // httparse's names and values are slices of the block: their places in it.
            let at = |part: &[u8]| {
                let start = part.as_ptr() as usize - block.as_ptr() as usize;
                start..start + part.len()
            };
            let headers = response
                .headers
                .iter()
                .map(|h| Header {
                    name: at(h.name.as_bytes()),
                    value: match std::str::from_utf8(h.value) {
                        Ok(_) => HeaderValue::InBlock(at(h.value)),
                        Err(_) => HeaderValue::Lossy(String::from_utf8_lossy(h.value).into_owned()),
                    },
                })
                .collect();
            let status = response.code.unwrap_or(0);
            return Ok(Some(StoredResponse {
                url,
                status,
                headers,
                block,
                body_start,
            }));
        }
    }
}

impl<R: io::BufRead> Iterator for Responses<R> {
    type Item = Result<StoredResponse, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.read_next().transpose();
        self.done = !matches!(next, Some(Ok(_)));
        next
    }
}

/// Every event of a site's crawl log.
pub fn read_log(path: &Path) -> Result<Vec<Event>, ReadError> {
    let shown = path.display().to_string();
    let text = fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: shown.clone(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| ReadError::Malformed {
                path: shown.clone(),
                record: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}
