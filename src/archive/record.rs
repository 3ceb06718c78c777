//! Reading WARC records back: the version line, the named fields, and a block of exactly
//! `Content-Length` bytes followed by two CRLFs (WARC 1.1, section 4). The `warc` crate still
//! writes the records; its reader took the block a line at a time (`read_until` on every
//! `\n` of every page), a tenth of the scoring stage's instructions, so the block is read here
//! in one `read_exact`-style pass instead. The fields are kept as written, looked up by name
//! without regard to case.

use std::io::{self, BufRead, Read};

/// The largest block read: far above any body the crawler keeps, and a bound on what a
/// corrupt or hostile `Content-Length` can make the reader allocate.
const MAX_BLOCK: u64 = 1 << 30;

/// One record: its fields and its block.
pub(super) struct Record {
    fields: Vec<(String, String)>,
    pub(super) block: Vec<u8>,
}

impl Record {
    /// The value of the field `name` (any case), as written.
    pub(super) fn field(&self, name: &str) -> Option<&str> {
        field(&self.fields, name)
    }
}

fn field<'f>(fields: &'f [(String, String)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The next record of `reader`, `None` at the end of the file; a message saying what is
/// wrong when the bytes are not a WARC record.
pub(super) fn next(reader: &mut impl BufRead) -> Result<Option<Record>, String> {
    let mut line = Vec::new();
    // The version line, after any blank lines a writer left between records.
    loop {
        if !read_line(reader, &mut line)? {
            return Ok(None);
        }
        if !trim_eol(&line).is_empty() {
            break;
        }
    }
    if !line.starts_with(b"WARC/") {
        return Err(format!(
            "expected a WARC version line, found {:?}",
            String::from_utf8_lossy(&line[..line.len().min(40)])
        ));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    loop {
        if !read_line(reader, &mut line)? {
            return Err("the file ends inside a record's fields".into());
        }
        let text = trim_eol(&line);
        if text.is_empty() {
            break;
        }
        // Checked as UTF-8 first: the lossy reading walks a line in chunks, three times
        // the cost on the short ASCII lines a record's fields are (ninety thousand lines
        // over the bench's crawl).
        let text = match std::str::from_utf8(text) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(text),
        };
        if text.starts_with([' ', '\t']) {
            // A folded line continues the field before it (WARC 1.0 allows folding).
            let Some((_, value)) = fields.last_mut() else {
                return Err("a continuation line before any field".into());
            };
            value.push(' ');
            value.push_str(text.trim());
            continue;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(format!("a field line without a colon: {text:?}"));
        };
        fields.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length: u64 = field(&fields, "Content-Length")
        .ok_or("a record without Content-Length")?
        .parse()
        .map_err(|_| "a Content-Length that is not a number".to_owned())?;
    if length > MAX_BLOCK {
        return Err(format!(
            "a block of {length} bytes, more than any page kept"
        ));
    }
    // Grown as read, not reserved from the header: a corrupt length costs nothing.
    let mut block = Vec::with_capacity(length.min(1 << 20) as usize);
    let got = reader
        .by_ref()
        .take(length)
        .read_to_end(&mut block)
        .map_err(|e| e.to_string())?;
    if (got as u64) < length {
        return Err(format!("the block is cut short: {got} of {length} bytes"));
    }
    let mut end = [0u8; 4];
    reader.read_exact(&mut end).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => "the file ends before the record's closing CRLFs".into(),
        _ => e.to_string(),
    })?;
    if &end != b"\r\n\r\n" {
        return Err("the block is not followed by two CRLFs".into());
    }
    Ok(Some(Record { fields, block }))
}

/// The longest version or field line read: a corrupt file without line ends is an error,
/// not a line the size of the file.
const MAX_LINE: u64 = 64 * 1024;

/// Reads one line into `line` (replacing what it held); `false` at the end of the file.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> Result<bool, String> {
    line.clear();
    let read = reader
        .take(MAX_LINE)
        .read_until(b'\n', line)
        .map_err(|e| e.to_string())?;
    if read as u64 == MAX_LINE && !line.ends_with(b"\n") {
        return Err(format!("a header line longer than {MAX_LINE} bytes"));
    }
    Ok(read > 0)
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &str, block: &str) -> String {
        format!(
            "WARC/1.1\r\n{fields}Content-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
    }

    #[test]
    fn reads_records_one_after_another() {
        let text = format!(
            "{}{}",
            record("WARC-Type: warcinfo\r\n", "software: x\r\n"),
            record(
                "warc-type: response\r\nWARC-Target-URI: http://a/\r\n",
                "HTTP/1.1 200 OK\r\n\r\n<p>\n\n\r\n</p>"
            )
        );
        let mut reader = text.as_bytes();
        let first = next(&mut reader).unwrap().unwrap();
        assert_eq!(first.field("WARC-Type"), Some("warcinfo"));
        let second = next(&mut reader).unwrap().unwrap();
        assert_eq!(second.field("WARC-Type"), Some("response"));
        assert_eq!(second.field("warc-target-uri"), Some("http://a/"));
        assert!(second.block.ends_with(b"<p>\n\n\r\n</p>"));
        assert!(next(&mut reader).unwrap().is_none());
    }

    #[test]
    fn damaged_records_say_what_is_wrong() {
        let cases = [
            ("HTTP/1.1 200 OK\r\n", "version line"),
            ("WARC/1.1\r\nWARC-Type: response\r\n", "ends inside"),
            (
                "WARC/1.1\r\nWARC-Type: response\r\n\r\n",
                "without Content-Length",
            ),
            ("WARC/1.1\r\nContent-Length: x\r\n\r\n", "not a number"),
            (
                "WARC/1.1\r\nContent-Length: 99999999999\r\n\r\n",
                "more than",
            ),
            ("WARC/1.1\r\nContent-Length: 10\r\n\r\nabc", "cut short"),
            (
                "WARC/1.1\r\nContent-Length: 3\r\n\r\nabc\r\n",
                "ends before",
            ),
            ("WARC/1.1\r\nContent-Length: 3\r\n\r\nabcdefg", "two CRLFs"),
            ("WARC/1.1\r\nno colon\r\n\r\n", "without a colon"),
        ];
        for (text, says) in cases {
            let err = next(&mut text.as_bytes()).err().unwrap_or_default();
            assert!(err.contains(says), "{text:?}: {err}");
        }
        // No line end for megabytes: an error at the line cap, not the whole file read.
        let endless = format!("WARC/1.1\r\nWARC-Type: {}", "x".repeat(1 << 20));
        let err = next(&mut endless.as_bytes()).err().unwrap_or_default();
        assert!(err.contains("longer than"), "{err}");
    }
}
