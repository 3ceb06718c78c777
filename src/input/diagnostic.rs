//! Problems found in the input files, each tied to a file, a line and (where the format has
//! them) a column. Every loader in [`crate::input`] reports through this type, so `govscore
//! check` and every other command print problems in one shape: `file:line[:col]: message`,
//! the form editors and CI annotators already understand.

use std::fmt;

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file as the user named it, so the message points where they will look.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column in characters, where the format has meaningful columns (YAML does,
    /// the whitespace-separated `sites.txt` does not).
    pub column: Option<usize>,
    /// What is wrong, in one line, usually with what would fix it.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(col) => write!(f, "{}:{}:{}: {}", self.file, self.line, col, self.message),
            None => write!(f, "{}:{}: {}", self.file, self.line, self.message),
        }
    }
}

/// The problems of one file, collected so that a loader can report all of them in one pass
/// instead of stopping at the first.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    file: String,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No problems yet for `file`, named as the user gave it; [`Self::at`] records them.
    pub fn new(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            items: Vec::new(),
        }
    }

    /// The file the problems are reported under.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Records a problem at a line and optional column.
    pub fn at(&mut self, line: usize, column: Option<usize>, message: impl Into<String>) {
        self.items.push(Diagnostic {
            file: self.file.clone(),
            line: line.max(1),
            column: column.map(|c| c.max(1)),
            message: message.into(),
        });
    }

    /// Records a problem found in another file read on this one's behalf (a list file the
    /// indicator file names), under that file's name.
    pub fn in_file(&mut self, file: &str, line: usize, message: impl Into<String>) {
        self.items.push(Diagnostic {
            file: file.to_owned(),
            line: line.max(1),
            column: None,
            message: message.into(),
        });
    }

    /// Whether nothing was reported: the file is valid so far.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The number of problems recorded, those in other files included.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The problems in file order; problems found by later passes (cross-references, sums)
    /// are interleaved with earlier ones so the output reads top to bottom.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        let own = std::mem::take(&mut self.file);
        self.items.sort_by(|a, b| {
            (a.file != own, &a.file, a.line, a.column.unwrap_or(0)).cmp(&(
                b.file != own,
                &b.file,
                b.line,
                b.column.unwrap_or(0),
            ))
        });
        self.file = own;
        self.items
    }

    /// `Ok(value)` when nothing was reported, else every problem found.
    pub fn finish<T>(self, value: T) -> Result<T, InputError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(InputError::Invalid(self.into_sorted()))
        }
    }
}

/// Why an input file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be read at all (missing, a folder, no permission).
    #[error("{path}: cannot read the file: {source}")]
    Read {
        /// The file as the user named it.
        path: String,
        /// Why the read failed.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but has problems: every one found, in file order.
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
}

impl InputError {
    /// Every problem as a diagnostic, a read failure included (at line 1), so callers can
    /// print all input problems the same way.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            InputError::Read { path, source } => vec![Diagnostic {
                file: path.clone(),
                line: 1,
                column: None,
                message: format!("cannot read the file: {source}"),
            }],
            InputError::Invalid(items) => items.clone(),
        }
    }
}

fn render(items: &[Diagnostic]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads a whole input file as UTF-8 text, without a byte-order mark (Windows editors add
/// one to `sites.txt` and it must not become part of the first URL).
pub fn read_text(path: &std::path::Path) -> Result<String, InputError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| InputError::Read {
        path: shown.clone(),
        source,
    })?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let before = &err.as_bytes()[..valid];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let mut diags = Diagnostics::new(shown);
            diags.at(
                line,
                None,
                "the file is not UTF-8 text; save it as UTF-8 (GBK and other encodings are not read)",
            );
            Err(InputError::Invalid(diags.into_sorted()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_with_and_without_column() {
        let mut d = Diagnostics::new("a.yaml");
        d.at(3, Some(7), "bad");
        d.at(1, None, "worse");
        let items = d.into_sorted();
        assert_eq!(items[0].to_string(), "a.yaml:1: worse");
        assert_eq!(items[1].to_string(), "a.yaml:3:7: bad");
    }

    #[test]
    fn read_text_strips_bom_and_rejects_non_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.txt");
        std::fs::write(&good, "\u{feff}hello\n").unwrap();
        assert_eq!(read_text(&good).unwrap(), "hello\n");

        let bad = dir.path().join("bad.txt");
        // "成都" in GBK on line 2.
        std::fs::write(&bad, b"ok\n\xb3\xc9\xb6\xbc\n").unwrap();
        let err = read_text(&bad).unwrap_err();
        let diags = err.diagnostics();
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 2);
        assert!(diags[0].message.contains("UTF-8"));

        let missing = dir.path().join("missing.txt");
        let err = read_text(&missing).unwrap_err();
        assert!(matches!(err, InputError::Read { .. }));
        assert!(err.to_string().contains("missing.txt"));
    }
}
