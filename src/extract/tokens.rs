//! The tokenizer in front of html5ever's tree builder: html5gum's, which follows the HTML
//! standard's tokenization (it passes html5lib's tokenizer tests) and reads a page in runs
//! of bytes where html5ever's reads a character at a time inside tags — on the five real
//! sites it tokenizes 5× faster, and tokenizing was seven tenths of the parse. This module
//! owns the translation: html5gum's emitter calls become html5ever's tokens, the tree
//! builder's answers become html5gum's tokenizer states, and the tree is the one html5ever
//! builds by itself (`tests/link_scan.rs` holds it node for node on every real page).

use std::borrow::Cow;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::{Attribute, LocalName, QualName, ns};
use html5gum::{Emitter, Error, State};

use super::parse::place_in;

/// html5ever's tree builder reads a token's line only to tell the sink, and scraper's sink
/// does nothing with it.
const LINE: u64 = 1;

/// Builds html5ever's tokens from html5gum's emitter calls and hands each to `sink`.
pub(super) struct ToTreeBuilder<'a, S: TokenSink> {
    sink: &'a S,
    /// The page the tokenizer reads: text and attribute values that are runs of it become
    /// slices of it, without a copy.
    page: &'a StrTendril,
    kind: TagKind,
    name: Vec<u8>,
    self_closing: bool,
    attrs: Vec<Attribute>,
    /// Whether an attribute was dropped as a repeat (such an element is not nonceable).
    duplicates: bool,
    /// Whether an attribute is being read, its name, and its value so far.
    in_attr: bool,
    attr_name: Vec<u8>,
    attr_value: Value,
    /// Names made into atoms lately (interning one hashes it and looks it up in a
    /// table; a page uses a few dozen names thousands of times).
    names: [Option<LocalName>; NAME_SLOTS],
    /// The last start tag's name: an end tag with the same name ends raw text.
    last_start: Option<LocalName>,
    comment: Vec<u8>,
    doctype: DoctypeParts,
    /// The first bytes of a character whose last bytes the tokenizer has not yet handed on.
    partial: Vec<u8>,
    /// The state the tree builder asked for after the tag just handed to it.
    next_state: Option<State>,
}

#[derive(Default)]
struct DoctypeParts {
    name: Option<Vec<u8>>,
    public_id: Option<Vec<u8>>,
    system_id: Option<Vec<u8>>,
    force_quirks: bool,
}

/// An attribute's value as it is read: nothing yet, one run of the page (start and end),
/// or bytes gathered from several places (a character reference, or a run interrupted).
enum Value {
    Empty,
    Run(usize, usize),
    Owned(Vec<u8>),
}

impl<'a, S: TokenSink> ToTreeBuilder<'a, S> {
    pub(super) fn new(sink: &'a S, page: &'a StrTendril) -> Self {
        ToTreeBuilder {
            sink,
            page,
            kind: TagKind::StartTag,
            name: Vec::new(),
            self_closing: false,
            attrs: Vec::new(),
            duplicates: false,
            in_attr: false,
            attr_name: Vec::new(),
            attr_value: Value::Empty,
            names: [const { None }; NAME_SLOTS],
            last_start: None,
            comment: Vec::new(),
            doctype: DoctypeParts::default(),
            partial: Vec::new(),
            next_state: None,
        }
    }

    /// `bytes` as a tendril: a slice of the page when they are a run of it (no copy), a copy
    /// otherwise (the text a character reference stands for).
    fn tendril(&self, bytes: &[u8]) -> StrTendril {
        if let Some(at) = place_in(self.page, bytes)
            && let Ok(slice) = self.page.try_subtendril(at as u32, bytes.len() as u32)
        {
            return slice;
        }
        StrTendril::from_slice(&utf8(bytes))
    }

    /// Hands text on, each NUL as a token of its own, as html5ever's tokenizer does: the
    /// tree builder drops or replaces it depending on where it is.
    fn send_text(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some(nul) = memchr::memchr(0, rest) {
            if nul > 0 {
                let piece = self.tendril(&rest[..nul]);
                self.send(Token::CharacterTokens(piece));
            }
            self.send(Token::NullCharacterToken);
            rest = &rest[nul + 1..];
        }
        if !rest.is_empty() {
            let piece = self.tendril(rest);
            self.send(Token::CharacterTokens(piece));
        }
    }

    /// Hands on the start of a character that never got its end (the page is UTF-8, so
    /// only a tokenizer that cut a run oddly could leave one), replaced as a decoder would.
    fn flush_text(&mut self) {
        if !self.partial.is_empty() {
            let bytes = std::mem::take(&mut self.partial);
            self.send_text(&bytes);
        }
    }

    fn send(&mut self, token: Token) {
        if !matches!(token, Token::CharacterTokens(_) | Token::NullCharacterToken) {
            self.flush_text();
        }
        let answer = self.sink.process_token(token, LINE);
        self.next_state = match answer {
            // A script only asks the caller to run it, and an encoding indicator to reread
            // the page if the encoding was a guess: the page is already decoded (the
            // charset step reads the same `<meta>`), and no script is run.
            TokenSinkResult::Continue
            | TokenSinkResult::Script(_)
            | TokenSinkResult::EncodingIndicator(_) => None,
            TokenSinkResult::Plaintext => Some(State::PlainText),
            TokenSinkResult::RawData(RawKind::Rcdata) => Some(State::RcData),
            TokenSinkResult::RawData(RawKind::Rawtext) => Some(State::RawText),
            // The tree builder asks for script data; its escaped states are the tokenizer's
            // own, entered from the script data state.
            TokenSinkResult::RawData(RawKind::ScriptData | RawKind::ScriptDataEscaped(_)) => {
                Some(State::ScriptData)
            }
        };
    }

    /// The tag's or the attribute's name as an atom, from the recent names when it is one.
    fn atom(&mut self, of: AtomOf) -> LocalName {
        let bytes = match of {
            AtomOf::Tag => &self.name,
            AtomOf::Attribute => &self.attr_name,
        };
        // FNV-1a: names are a few bytes long.
        let hash = bytes.iter().fold(0x811c_9dc5_u32, |h, &b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        let slot = &mut self.names[hash as usize % NAME_SLOTS];
        if let Some(name) = slot
            && name.as_bytes() == bytes.as_slice()
        {
            return name.clone();
        }
        let name = LocalName::from(utf8(bytes));
        *slot = Some(name.clone());
        name
    }

    /// Ends the attribute being read. A second attribute of the same name is dropped, as
    /// the standard (and html5ever) have it.
    fn finish_attribute(&mut self) {
        if !std::mem::take(&mut self.in_attr) {
            return;
        }
        let name = self.atom(AtomOf::Attribute);
        let value = std::mem::replace(&mut self.attr_value, Value::Empty);
        if self.attrs.iter().any(|a| a.name.local == name) {
            self.duplicates = true;
            return;
        }
        let value = match value {
            Value::Empty => StrTendril::new(),
            Value::Run(start, end) => self.tendril(&self.page.as_bytes()[start..end]),
            Value::Owned(bytes) => StrTendril::from_slice(&utf8(&bytes)),
        };
        self.attrs.push(Attribute {
            name: QualName::new(None, ns!(), name),
            value,
        });
    }
}

/// The tokenizer reads a `&str` and cuts it only before ASCII bytes, so what it hands on is
/// UTF-8; a replacement keeps the parse going if that were ever not so.
fn utf8(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Slots of the recent names' cache: more than the names a page commonly uses.
const NAME_SLOTS: usize = 64;

/// Which name to make an atom of.
#[derive(Clone, Copy)]
enum AtomOf {
    Tag,
    Attribute,
}

/// How many bytes the UTF-8 character that starts with `lead` has.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// How many of `bytes` make whole characters: all but a character cut at the end.
fn whole_characters(bytes: &[u8]) -> usize {
    let n = bytes.len();
    for back in 1..=n.min(3) {
        let b = bytes[n - back];
        if b & 0xC0 != 0x80 {
            return if utf8_len(b) > back { n - back } else { n };
        }
    }
    n
}

impl<S: TokenSink> Emitter for ToTreeBuilder<'_, S> {
    /// Every token goes straight to the tree builder; the tokenizer yields none.
    type Token = std::convert::Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start = last_start_tag.map(|n| LocalName::from(utf8(n)));
    }

    fn emit_eof(&mut self) {
        self.flush_text();
    }

    fn emit_error(&mut self, _: Error) {}

    /// Parse errors change nothing in the tree; html5ever's tree builder only files them.
    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn pop_token(&mut self) -> Option<Self::Token> {
        None
    }

    fn emit_string(&mut self, bytes: &[u8]) {
        let mut bytes = bytes;
        // After a character reference the tokenizer hands on the next character a byte at
        // a time: its first bytes wait here for the rest.
        if !self.partial.is_empty() {
            let need = utf8_len(self.partial[0]).saturating_sub(self.partial.len());
            let take = need.min(bytes.len());
            self.partial.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if take < need {
                return;
            }
            let whole = std::mem::take(&mut self.partial);
            self.send_text(&whole);
        }
        let whole = whole_characters(bytes);
        if whole > 0 {
            self.send_text(&bytes[..whole]);
        }
        self.partial.extend_from_slice(&bytes[whole..]);
    }

    fn init_start_tag(&mut self) {
        self.kind = TagKind::StartTag;
        self.name.clear();
        self.self_closing = false;
        self.attrs.clear();
        self.duplicates = false;
        self.in_attr = false;
    }

    fn init_end_tag(&mut self) {
        self.init_start_tag();
        self.kind = TagKind::EndTag;
    }

    fn init_comment(&mut self) {
        self.comment.clear();
    }

    fn emit_current_tag(&mut self) -> Option<State> {
        self.finish_attribute();
        let name = self.atom(AtomOf::Tag);
        if self.kind == TagKind::StartTag {
            self.last_start = Some(name.clone());
        }
        let tag = Tag {
            kind: self.kind,
            name,
            self_closing: self.self_closing,
            attrs: std::mem::take(&mut self.attrs),
            had_duplicate_attributes: self.duplicates,
        };
        self.send(Token::TagToken(tag));
        self.next_state.take()
    }

    fn emit_current_comment(&mut self) {
        let text = StrTendril::from_slice(&utf8(&self.comment));
        self.send(Token::CommentToken(text));
    }

    fn emit_current_doctype(&mut self) {
        let parts = std::mem::take(&mut self.doctype);
        let tendril = |b: Vec<u8>| StrTendril::from_slice(&utf8(&b));
        self.send(Token::DoctypeToken(Doctype {
            name: parts.name.map(tendril),
            public_id: parts.public_id.map(tendril),
            system_id: parts.system_id.map(tendril),
            force_quirks: parts.force_quirks,
        }));
    }

    fn set_self_closing(&mut self) {
        self.self_closing = true;
    }

    fn set_force_quirks(&mut self) {
        self.doctype.force_quirks = true;
    }

    fn push_tag_name(&mut self, s: &[u8]) {
        self.name.extend_from_slice(s);
    }

    fn push_comment(&mut self, s: &[u8]) {
        self.comment.extend_from_slice(s);
    }

    fn push_doctype_name(&mut self, s: &[u8]) {
        self.doctype
            .name
            .get_or_insert_with(Vec::new)
            .extend_from_slice(s);
    }

    fn init_doctype(&mut self) {
        self.doctype = DoctypeParts::default();
    }

    fn init_attribute(&mut self) {
        self.finish_attribute();
        self.in_attr = true;
        self.attr_name.clear();
    }

    fn push_attribute_name(&mut self, s: &[u8]) {
        self.attr_name.extend_from_slice(s);
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        if s.is_empty() {
            return;
        }
        let at = place_in(self.page, s);
        let value = &mut self.attr_value;
        *value = match (std::mem::replace(value, Value::Empty), at) {
            (Value::Empty, Some(at)) => Value::Run(at, at + s.len()),
            (Value::Run(start, end), Some(at)) if at == end => Value::Run(start, end + s.len()),
            (Value::Empty, None) => Value::Owned(s.to_vec()),
            (Value::Run(start, end), _) => {
                let mut bytes = self.page.as_bytes()[start..end].to_vec();
                bytes.extend_from_slice(s);
                Value::Owned(bytes)
            }
            (Value::Owned(mut bytes), _) => {
                bytes.extend_from_slice(s);
                Value::Owned(bytes)
            }
        };
    }

    fn set_doctype_public_identifier(&mut self, value: &[u8]) {
        self.doctype.public_id = Some(value.to_vec());
    }

    fn set_doctype_system_identifier(&mut self, value: &[u8]) {
        self.doctype.system_id = Some(value.to_vec());
    }

    fn push_doctype_public_identifier(&mut self, s: &[u8]) {
        self.doctype
            .public_id
            .get_or_insert_with(Vec::new)
            .extend_from_slice(s);
    }

    fn push_doctype_system_identifier(&mut self, s: &[u8]) {
        self.doctype
            .system_id
            .get_or_insert_with(Vec::new)
            .extend_from_slice(s);
    }

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        self.kind == TagKind::EndTag
            && self
                .last_start
                .as_ref()
                .is_some_and(|last| last.as_bytes() == self.name.as_slice())
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&mut self) -> bool {
        self.sink
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}
