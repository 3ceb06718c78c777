//! Text as govscore shows it to people. Crawled pages carry characters a terminal or a
//! reader acts on instead of showing — ESC sequences that retitle and recolour a terminal,
//! BEL, carriage returns, bidirectional overrides — and none of them may reach what govscore
//! prints or writes: extraction drops them from page text, and every output filters them.

use std::borrow::Cow;

/// Whether a terminal, or a reader, would act on the character rather than show it: control
/// characters (ESC starts the sequences that retitle and recolour a terminal, BEL rings it,
/// CR overwrites a line) and the bidirectional overrides that make text read backwards.
/// Line feeds and tabs are layout, and kept.
pub fn acts(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text with every character a terminal would act on removed (see [`acts`]). Everything
/// govscore prints goes through here: crawled link texts, quoted page text and the headers
/// of a failed fetch reach `explain`, the tables and the messages.
pub fn printable(s: &str) -> Cow<'_, str> {
    if s.chars().any(acts) {
        Cow::Owned(s.chars().filter(|c| !acts(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}
