//! One table model for every grid govscore prints — the ranked tables and `diff`'s
//! comparison alike — rendered to the terminal, Markdown, CSV and HTML. A table knows its
//! header, each column's alignment and its rows of text; a cell may also carry a link (HTML
//! only) and a flag — a verdict, or findings to verify — shown after its text. The escaping
//! rules of each format live here, once.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::text::{acts, printable};

/// How a column's cells line up: names left, numbers right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left-aligned: names and other text.
    Left,
    /// Right-aligned: numbers.
    Right,
}

/// One cell: its text, and for HTML a link target and a flag shown beside the text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// What every format prints.
    pub text: String,
    /// A link target; HTML only.
    pub href: Option<String>,
    /// A note shown after the text, such as a site's verdict or its findings to verify.
    pub flag: Option<String>,
}

impl Cell {
    /// The text with its flag after it, for the formats without markup.
    fn with_flag(&self) -> String {
        match &self.flag {
            Some(flag) => format!("{} ⚠ {flag}", self.text),
            None => self.text.clone(),
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self {
            text,
            ..Self::default()
        }
    }
}

/// A grid of text with a header and per-column alignment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The column titles.
    pub header: Vec<String>,
    /// Each column's alignment; columns past its end are left-aligned.
    pub align: Vec<Align>,
    /// The rows in print order, a cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table whose columns are aligned as `align` says (missing entries are left-aligned).
    pub fn new(header: Vec<String>, align: Vec<Align>) -> Self {
        Self {
            header,
            align,
            rows: Vec::new(),
        }
    }

    /// Appends a row of cells, which may carry links and flags.
    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// Appends a row of plain text cells.
    pub fn push_text(&mut self, row: Vec<String>) {
        self.rows.push(row.into_iter().map(Cell::from).collect());
    }

    fn align_of(&self, column: usize) -> Align {
        self.align.get(column).copied().unwrap_or(Align::Left)
    }

    /// Box-drawn for a terminal; column widths count display width, so Chinese text lines up.
    pub fn to_terminal(&self) -> String {
        let mut table = comfy_table::Table::new();
        table
            .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
            .set_header(self.header.clone());
        for row in &self.rows {
            table.add_row(row.iter().map(Cell::with_flag));
        }
        for (i, column) in table.column_iter_mut().enumerate() {
            if self.align_of(i) == Align::Right {
                column.set_cell_alignment(comfy_table::CellAlignment::Right);
            }
        }
        table.to_string()
    }

    /// A GitHub-flavoured Markdown table, each line ending in a newline.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let header: Vec<String> = self.header.iter().map(|h| md_escape(h)).collect();
        let _ = writeln!(out, "| {} |", header.join(" | "));
        out.push('|');
        for i in 0..self.header.len() {
            out.push_str(match self.align_of(i) {
                Align::Left => " --- |",
                Align::Right => " ---: |",
            });
        }
        out.push('\n');
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| md_escape(&c.with_flag())).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out
    }

    /// CSV with a header record; with `bom`, the UTF-8 byte-order mark that spreadsheet
    /// programs need to open Chinese text correctly.
    pub fn to_csv(&self, bom: bool) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.header.iter().map(|h| csv_safe(h).into_owned()))
            .expect("in-memory write");
        for row in &self.rows {
            w.write_record(row.iter().map(|c| csv_safe(&c.text).into_owned()))
                .expect("in-memory write");
        }
        let body =
            String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8 fields");
        if bom { format!("\u{feff}{body}") } else { body }
    }

    /// An HTML `<table>`; every text is escaped, right-aligned cells get the class `n`.
    pub fn to_html(&self) -> String {
        let mut h = String::from("<table><thead><tr>");
        for c in &self.header {
            let _ = write!(h, "<th>{}</th>", html_escape(c));
        }
        h.push_str("</tr></thead><tbody>");
        for row in &self.rows {
            h.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                h.push_str(match self.align_of(i) {
                    Align::Left => "<td>",
                    Align::Right => "<td class=\"n\">",
                });
                match &cell.href {
                    Some(href) => {
                        let _ = write!(
                            h,
                            "<a href=\"{}\">{}</a>",
                            html_escape(href),
                            html_escape(&cell.text)
                        );
                    }
                    None => h.push_str(&html_escape(&cell.text)),
                }
                if let Some(flag) = &cell.flag {
                    let _ = write!(h, " <span class=\"bad\">{}</span>", html_escape(flag));
                }
                h.push_str("</td>");
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table>");
        h
    }
}

/// A CSV field a spreadsheet will not run: one that starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return is a formula to Excel, LibreOffice and Google Sheets, so it gets a
/// leading `'` (OWASP's rule for CSV injection). Numbers (`-5.00`, `+13.00`) are left as
/// they are: they are what the columns hold, and a spreadsheet reads them as numbers.
pub fn csv_safe(field: &str) -> Cow<'_, str> {
    let risky = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = field.strip_prefix(['+', '-']).is_some_and(|rest| {
        rest.bytes().all(|b| b.is_ascii_digit() || b == b'.') && rest.parse::<f64>().is_ok()
    });
    if risky && !number {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// Text for Markdown, a table cell or a list item: one line, printable, and every character
/// Markdown would read as markup escaped with a backslash — HTML tags (`<script>`), links and
/// images (`[`, `]`), code, emphasis and table pipes — so crawled text is shown, never run
/// or linked.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in printable(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Text for HTML content and attribute values. Everything that came from a crawled page —
/// titles, anchor texts, URLs, notes — goes through here; characters a reader would act on
/// are dropped as [`printable`] drops them.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| !acts(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_fields_a_spreadsheet_would_run_are_neutralised() {
        for (field, safe) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-5.00", "-5.00"),
            ("+13.00", "+13.00"),
            ("示例市", "示例市"),
            ("97.47", "97.47"),
        ] {
            assert_eq!(csv_safe(field), safe, "{field:?}");
        }
    }

    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(
            vec!["网站".into(), "总分".into()],
            vec![Align::Left, Align::Right],
        );
        t.push(vec![
            Cell {
                text: "甲|区".into(),
                href: Some("#site-a".into()),
                flag: Some("不合格: <x>".into()),
            },
            Cell::from("97.47".to_owned()),
        ]);
        t
    }

    #[test]
    fn one_model_four_formats() {
        let t = sample();
        assert_eq!(
            t.to_markdown(),
            "| 网站 | 总分 |\n| --- | ---: |\n| 甲\\|区 ⚠ 不合格: \\<x\\> | 97.47 |\n"
        );
        assert_eq!(t.to_csv(false), "网站,总分\n甲|区,97.47\n");
        assert!(t.to_csv(true).starts_with('\u{feff}'));
        assert_eq!(
            t.to_html(),
            "<table><thead><tr><th>网站</th><th>总分</th></tr></thead><tbody><tr><td><a href=\"#site-a\">甲|区</a> <span class=\"bad\">不合格: &lt;x&gt;</span></td><td class=\"n\">97.47</td></tr></tbody></table>"
        );
        let term = t.to_terminal();
        assert!(
            term.contains("甲|区 ⚠ 不合格: <x>") && term.contains("97.47"),
            "{term}"
        );
    }
}
