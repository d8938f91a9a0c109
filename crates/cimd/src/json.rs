//! A strict RFC 8259 parser that keeps byte spans of every name and value.
//!
//! Hand-written because no maintained crate gives all of: name and value spans, duplicates with both
//! spans, BOM / lone-surrogate / depth diagnostics without a second scan, and `serde_json`'s exact idea of
//! validity (docs/decisions.md#json-parser). Its verdict must equal
//! `serde_json::from_slice::<serde_json::Value>` on every input (differential test + fuzz target).

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::report::Span;

/// A parsed JSON value with its span (quotes included for strings).
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number exactly as written (already checked against `serde_json`'s grammar and range).
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Vec<Member<'a>>),
}

/// An object member, in document order (duplicates kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    pub name: Cow<'a, str>,
    /// The span of the name, quotes included.
    pub name_span: Span,
    pub value: Node<'a>,
}

/// What went wrong, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Span,
    /// A human sentence, e.g. "expected `,` or `}` after an object member, found `]`".
    pub message: String,
    /// This problem stopped the parse (`root` is then `None`); it is always the last one.
    pub fatal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// Any grammar violation (fatal).
    Syntax,
    /// No value at all: empty or whitespace-only input (fatal).
    Empty,
    /// Non-whitespace after the top-level value (fatal).
    TrailingCharacters,
    /// A UTF-8 byte order mark before the value: reported, then parsing continues after it.
    Bom,
    /// Bytes that are not UTF-8 (inside a string: reported, decoded lossily, parsing continues; a
    /// UTF-16 byte order mark at the start: fatal).
    InvalidUtf8,
    /// An escaped lone surrogate (`"\ud800"`): reported, decoded as U+FFFD, parsing continues.
    LoneSurrogate,
    /// A number `serde_json` refuses (out of f64 range, e.g. `1e400`): reported, parsing continues.
    NumberOutOfRange,
    /// A member name seen before in the same object (compared decoded); `first` is the earlier name.
    /// Valid JSON (`serde_json` keeps the last), but a parser differential, so an error for CIMD.
    Duplicate { first: Span },
    /// Nesting deeper than [`MAX_DEPTH`]: valid JSON, reported once, parsing continues. At
    /// `serde_json`'s limit (the 128th nested container) it is reported again and parsing stops
    /// (`root` is `None`, the input is not valid JSON for serde_json).
    TooDeep,
}

impl ProblemKind {
    /// Whether this problem makes the input invalid JSON (as `serde_json::Value` judges it).
    pub fn breaks_json(&self) -> bool {
        !matches!(self, ProblemKind::Duplicate { .. } | ProblemKind::TooDeep)
    }
}

/// Nesting deeper than this is reported (RFC 8259 §9 lets parsers limit depth).
pub const MAX_DEPTH: usize = 64;

/// The parse result: the tree when the grammar held, and every problem found.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<'a> {
    /// `None` after a fatal problem (syntax, empty, trailing characters, depth at serde's limit).
    pub root: Option<Node<'a>>,
    pub problems: Vec<Problem>,
}

impl Parsed<'_> {
    /// Whether `serde_json::Value` would accept the same bytes.
    pub fn is_valid_json(&self) -> bool {
        self.root.is_some() && !self.problems.iter().any(|p| p.kind.breaks_json())
    }

    /// The value `serde_json::from_slice::<Value>` gives for the same bytes, or `None` where it
    /// fails (a test over JSONTestSuite and thousands of mutations checks both). Hosts read JSON
    /// with it instead of serde_json's deserializer, which the web wasm then leaves out (~2.6 KB
    /// gzipped).
    pub fn value(&self) -> Option<serde_json::Value> {
        self.root
            .as_ref()
            .filter(|_| self.is_valid_json())
            .map(Node::to_serde)
    }
}

impl<'a> Node<'a> {
    /// The member `name` of an object: the last one when the name is duplicated (`serde_json`'s choice).
    pub fn get(&self, name: &str) -> Option<&Member<'a>> {
        match &self.value {
            Value::Object(members) => members.iter().rev().find(|m| m.name == name),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The JSON type name for messages: "string", "number", "object", ...
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// The span of a string's content (without quotes); the whole span for other values.
    pub fn inner_span(&self) -> Span {
        match self.value {
            Value::String(_) if self.span.end >= self.span.start + 2 => {
                Span::new(self.span.start + 1, self.span.end - 1)
            }
            _ => self.span,
        }
    }

    /// The value as `serde_json`'s `Value` (last duplicate wins), for the report's `document`.
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => n
                .parse::<serde_json::Number>()
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_serde).collect())
            }
            Value::Object(members) => {
                let mut map = serde_json::Map::new();
                for m in members {
                    map.insert(m.name.to_string(), m.value.to_serde());
                }
                serde_json::Value::Object(map)
            }
        }
    }
}

/// Parses `input` (bytes, since a fetched body may not be UTF-8).
pub fn parse(input: &[u8]) -> Parsed<'_> {
    // One UTF-8 check of the whole input (fast on ASCII) instead of one per string; invalid input
    // takes the per-string path, which positions every bad byte.
    Parser::new(input, std::str::from_utf8(input).ok()).run()
}

/// [`parse`] for text already known to be UTF-8.
pub fn parse_str(text: &str) -> Parsed<'_> {
    Parser::new(text.as_bytes(), Some(text)).run()
}

/// `serde_json` refuses the 128th nested container ("recursion limit exceeded").
const SERDE_DEPTH_LIMIT: usize = 128;

/// Up to this many members, duplicates are found by comparing names pairwise; above it, by hashing.
const PAIRWISE_LIMIT: usize = 16;

/// The UTF-8 encoding of U+FEFF.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Marks that a fatal problem was recorded: parsing stops and the root is `None`.
struct Fatal;

type Step<T> = Result<T, Fatal>;

#[derive(Clone, Copy)]
enum Container {
    Object,
    Array,
}

impl Container {
    fn name(self) -> &'static str {
        match self {
            Container::Object => "object",
            Container::Array => "array",
        }
    }
}

/// The parser state: one forward pass over `input`.
struct Parser<'a> {
    input: &'a [u8],
    /// `input` as text, when it is all valid UTF-8.
    text: Option<&'a str>,
    pos: usize,
    problems: Vec<Problem>,
    /// The containers currently open, with the offset of their bracket (for end-of-input messages).
    /// Inline: documents nest a few levels, and this is allocated on every parse otherwise.
    open: smallvec::SmallVec<[(Container, usize); 8]>,
    too_deep_reported: bool,
}

impl<'a> Parser<'a> {
    fn new(input: &'a [u8], text: Option<&'a str>) -> Self {
        Self {
            input,
            text,
            pos: 0,
            problems: Vec::new(),
            open: smallvec::SmallVec::new(),
            too_deep_reported: false,
        }
    }

    fn run(mut self) -> Parsed<'a> {
        let root = self.document().ok();
        if root.is_none()
            && let Some(last) = self.problems.last_mut()
        {
            last.fatal = true;
        }
        Parsed {
            root,
            problems: self.problems,
        }
    }

    fn document(&mut self) -> Step<Node<'a>> {
        let input = self.input;
        if input.starts_with(BOM) {
            self.report(
                ProblemKind::Bom,
                span(0, BOM.len()),
                "the document starts with a UTF-8 byte order mark (BOM): JSON text must not begin \
                 with one, and parsers such as serde_json reject it"
                    .to_owned(),
            );
            self.pos = BOM.len();
        } else if input.starts_with(b"\xFE\xFF") || input.starts_with(b"\xFF\xFE") {
            // Not UTF-8 at all (RFC 8259 §8.1): the encoding problem, fatal, not a grammar error.
            self.report(
                ProblemKind::InvalidUtf8,
                span(0, 2),
                "the document starts with a UTF-16 byte order mark: JSON must be encoded in UTF-8"
                    .to_owned(),
            );
            return Err(Fatal);
        }
        let content = self.pos;
        self.skip_ws();
        if self.pos >= input.len() {
            let message = if input.starts_with(BOM) {
                "the document holds only a byte order mark and whitespace: expected a JSON value"
            } else {
                "the document is empty: expected a JSON value"
            };
            self.report(
                ProblemKind::Empty,
                span(content, input.len()),
                message.to_owned(),
            );
            return Err(Fatal);
        }
        let root = self.value(0)?;
        self.skip_ws();
        if self.pos < input.len() {
            let start = self.pos;
            let mut end = input.len();
            while end > start && is_ws(input.get(end - 1).copied()) {
                end -= 1;
            }
            let message = format!(
                "unexpected {} after the end of the JSON value: a document holds exactly one value",
                self.describe(start)
            );
            self.report(ProblemKind::TrailingCharacters, span(start, end), message);
            return Err(Fatal);
        }
        Ok(root)
    }

    fn value(&mut self, depth: usize) -> Step<Node<'a>> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => {
                let start = self.pos;
                let text = self.string_outlined()?;
                let value = Value::String(text);
                Ok(Node {
                    value,
                    span: span(start, self.pos),
                })
            }
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.unexpected_value()),
            None => Err(self.eof("a value")),
        }
    }

    /// A value inside a container at `depth`. Strings, the common case, are parsed inline: returning
    /// a node through memory from the (recursive, so never inlined) `value` costs store-forwarding
    /// stalls, measured at a fifth of the time on the peer documents.
    #[allow(
        clippy::inline_always,
        reason = "measured: 1.5x to 1.85x serde_json::Value"
    )]
    #[inline(always)]
    fn element(&mut self, depth: usize) -> Step<Node<'a>> {
        if self.peek() == Some(b'"') {
            let start = self.pos;
            let text = self.string()?;
            let value = Value::String(text);
            Ok(Node {
                value,
                span: span(start, self.pos),
            })
        } else {
            self.value(depth)
        }
    }

    /// Opens a container at `self.pos` (its bracket), checking the nesting depth.
    fn enter(&mut self, depth: usize, container: Container) -> Step<()> {
        let at = self.pos;
        if depth >= SERDE_DEPTH_LIMIT {
            // Still a depth problem (the grammar holds), but fatal: serde_json gives up here.
            self.report(
                ProblemKind::TooDeep,
                span(at, at + 1),
                format!(
                    "nesting too deep: this {} is the {depth}th nested container, and serde_json \
                     refuses documents nested {SERDE_DEPTH_LIMIT} levels deep",
                    container.name()
                ),
            );
            return Err(Fatal);
        }
        if depth > MAX_DEPTH && !self.too_deep_reported {
            self.too_deep_reported = true;
            self.report(
                ProblemKind::TooDeep,
                span(at, at + 1),
                format!(
                    "nesting deeper than {MAX_DEPTH} levels: this {} is at depth {depth}, and \
                     parsers may refuse deeply nested documents",
                    container.name()
                ),
            );
        }
        self.open.push((container, at));
        self.pos += 1;
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Step<Node<'a>> {
        let start = self.pos;
        self.enter(depth, Container::Array)?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                items.push(self.element(depth)?);
                if self.after_item(Container::Array)? {
                    break;
                }
            }
        }
        self.open.pop();
        Ok(Node {
            value: Value::Array(items),
            span: span(start, self.pos),
        })
    }

    fn object(&mut self, depth: usize) -> Step<Node<'a>> {
        let start = self.pos;
        self.enter(depth, Container::Object)?;
        // The document object has about ten members: start there rather than growing 4, 8, 16.
        let mut members: Vec<Member<'a>> = Vec::with_capacity(if depth == 1 { 12 } else { 0 });
        let mut index: Option<HashMap<Cow<'a, str>, Span>> = None;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                match self.peek() {
                    Some(b'"') => {}
                    Some(_) => return Err(self.bad_name(members.is_empty())),
                    None => {
                        let expected = if members.is_empty() {
                            "a member name or `}`"
                        } else {
                            "a member name"
                        };
                        return Err(self.eof(expected));
                    }
                }
                let name_start = self.pos;
                let name = self.string()?;
                let name_span = span(name_start, self.pos);
                self.check_duplicate(&members, &mut index, &name, name_span);
                self.skip_ws();
                match self.peek() {
                    Some(b':') => self.pos += 1,
                    Some(_) => return Err(self.unexpected("`:` after member name")),
                    None => return Err(self.eof("`:`")),
                }
                self.skip_ws();
                let value = self.element(depth)?;
                members.push(Member {
                    name,
                    name_span,
                    value,
                });
                if self.after_item(Container::Object)? {
                    break;
                }
            }
        }
        self.open.pop();
        Ok(Node {
            value: Value::Object(members),
            span: span(start, self.pos),
        })
    }

    /// Reports `name` when an earlier member of the same object has the same decoded name.
    #[allow(
        clippy::ptr_arg,
        reason = "the index keeps a clone of the `Cow`, borrowed when it is"
    )]
    fn check_duplicate(
        &mut self,
        members: &[Member<'a>],
        index: &mut Option<HashMap<Cow<'a, str>, Span>>,
        name: &Cow<'a, str>,
        name_span: Span,
    ) {
        let first = if members.len() < PAIRWISE_LIMIT {
            members
                .iter()
                .find(|m| m.name == *name)
                .map(|m| m.name_span)
        } else {
            let map = index.get_or_insert_with(|| {
                let mut map = HashMap::with_capacity(members.len() * 2);
                for m in members {
                    map.entry(m.name.clone()).or_insert(m.name_span);
                }
                map
            });
            match map.entry(name.clone()) {
                Entry::Occupied(seen) => Some(*seen.get()),
                Entry::Vacant(slot) => {
                    slot.insert(name_span);
                    None
                }
            }
        };
        if let Some(first) = first {
            self.report(
                ProblemKind::Duplicate { first },
                name_span,
                format!(
                    "duplicate member name {}: the object already has a member with this name, \
                     and parsers disagree on which value wins",
                    quoted(name)
                ),
            );
        }
    }

    /// [`Self::string`] out of line, for a string outside any container (rare: keeps code small).
    #[inline(never)]
    fn string_outlined(&mut self) -> Step<Cow<'a, str>> {
        self.string()
    }

    /// The string at `self.pos` (its opening quote), decoded; `self.pos` ends after its closing quote.
    #[allow(clippy::inline_always, reason = "measured, see `element`")]
    #[inline(always)]
    fn string(&mut self) -> Step<Cow<'a, str>> {
        let input = self.input;
        let start = self.pos;
        let mut i = start + 1;
        // The start of the run of bytes not yet copied into `owned`.
        let mut run = i;
        let mut owned: Option<String> = None;
        loop {
            i = scan_plain(input, i);
            match input.get(i) {
                Some(b'"') => {
                    let raw = input.get(run..i).unwrap_or_default();
                    let text = match owned {
                        None => {
                            // Quotes and escapes are ASCII, so `run..i` is on char boundaries.
                            if let Some(text) = self.text.and_then(|t| t.get(run..i)) {
                                Cow::Borrowed(text)
                            } else if let Ok(text) = std::str::from_utf8(raw) {
                                Cow::Borrowed(text)
                            } else {
                                let mut text = String::with_capacity(raw.len() + 2);
                                self.push_lossy(&mut text, raw, run);
                                Cow::Owned(text)
                            }
                        }
                        Some(mut text) => {
                            self.push_lossy(&mut text, raw, run);
                            Cow::Owned(text)
                        }
                    };
                    self.pos = i + 1;
                    return Ok(text);
                }
                Some(b'\\') => {
                    let raw = input.get(run..i).unwrap_or_default();
                    let text = owned.get_or_insert_with(|| String::with_capacity(raw.len() + 16));
                    self.push_lossy(text, raw, run);
                    i = self.escape(start, i, text)?;
                    run = i;
                }
                Some(&byte) if byte < 0x20 => return Err(self.control_in_string(i, byte)),
                // `scan_plain` stops only at the bytes above; step over anything else regardless.
                Some(_) => i += 1,
                None => return Err(self.eof_in_string(start)),
            }
        }
    }

    /// Appends `raw` (string bytes starting at offset `at`) to `out`, reporting and replacing
    /// invalid UTF-8 with U+FFFD.
    fn push_lossy(&mut self, out: &mut String, raw: &[u8], at: usize) {
        let mut rest = raw;
        let mut at = at;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    out.push_str(text);
                    return;
                }
                Err(error) => {
                    let valid = error.valid_up_to();
                    let (good, after) = rest.split_at_checked(valid).unwrap_or((rest, &[]));
                    out.push_str(std::str::from_utf8(good).unwrap_or_default());
                    let bad = error
                        .error_len()
                        .unwrap_or(after.len())
                        .max(1)
                        .min(after.len());
                    out.push(char::REPLACEMENT_CHARACTER);
                    self.invalid_utf8(at + valid, at + valid + bad);
                    rest = after.get(bad..).unwrap_or_default();
                    at += valid + bad;
                }
            }
        }
    }

    /// Reports invalid UTF-8 bytes `start..end` in a string, merged with an adjacent report.
    fn invalid_utf8(&mut self, start: usize, end: usize) {
        let merged = match self.problems.last() {
            Some(last)
                if last.kind == ProblemKind::InvalidUtf8 && last.span.end as usize == start =>
            {
                self.problems
                    .pop()
                    .map_or(start, |last| last.span.start as usize)
            }
            _ => start,
        };
        let bytes = self.input.get(merged..end).unwrap_or_default();
        let mut shown: Vec<String> = bytes.iter().take(4).map(|b| format!("0x{b:02X}")).collect();
        if bytes.len() > 4 {
            shown.push("…".to_owned());
        }
        let message = format!(
            "invalid UTF-8 in a string ({} {}): JSON text must be UTF-8; read as U+FFFD",
            if bytes.len() == 1 { "byte" } else { "bytes" },
            shown.join(" ")
        );
        self.report(ProblemKind::InvalidUtf8, span(merged, end), message);
    }

    /// Decodes the escape whose backslash is at `at` into `out`; returns the offset after it.
    fn escape(&mut self, string_start: usize, at: usize, out: &mut String) -> Step<usize> {
        let decoded = match self.input.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(string_start, at, out),
            Some(_) => {
                let end = at + 1 + self.char_len(at + 1);
                let shown = String::from_utf8_lossy(self.input.get(at..end).unwrap_or_default());
                let message = format!(
                    "invalid escape `{shown}` in a string: JSON allows only \\\" \\\\ \\/ \\b \\f \\n \
                     \\r \\t and \\uXXXX"
                );
                return Err(self.syntax(span(at, end), message));
            }
            None => return Err(self.eof_in_string(string_start)),
        };
        out.push(decoded);
        Ok(at + 2)
    }

    /// Decodes a `\uXXXX` escape at `at` (and its low surrogate, when it is a high surrogate).
    fn unicode_escape(&mut self, string_start: usize, at: usize, out: &mut String) -> Step<usize> {
        let unit = self.hex4(string_start, at)?;
        let mut next = at + 6;
        let decoded = match unit {
            0xD800..=0xDBFF => {
                let low = if self.input.get(next..next + 2) == Some(b"\\u") {
                    hex_value(self.input.get(next + 2..next + 6))
                } else {
                    None
                };
                match low {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        next += 6;
                        char::from_u32(0x1_0000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    }
                    _ => None,
                }
            }
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(unit),
        };
        let decoded = decoded.unwrap_or_else(|| {
            let (role, hint) = if unit < 0xDC00 {
                ("high (leading)", "is not followed by a low surrogate")
            } else {
                ("low (trailing)", "does not follow a high surrogate")
            };
            let written = String::from_utf8_lossy(self.input.get(at..at + 6).unwrap_or_default());
            self.report(
                ProblemKind::LoneSurrogate,
                span(at, at + 6),
                format!(
                    "lone surrogate `{written}`: this {role} surrogate {hint}, so the string is \
                     not valid Unicode; read as U+FFFD"
                ),
            );
            char::REPLACEMENT_CHARACTER
        });
        out.push(decoded);
        Ok(next)
    }

    /// The four hex digits of the `\u` escape at `at`.
    fn hex4(&mut self, string_start: usize, at: usize) -> Step<u32> {
        let mut unit = 0;
        for i in at + 2..at + 6 {
            match self.input.get(i).copied() {
                Some(byte) if byte.is_ascii_hexdigit() => unit = unit * 16 + hex_digit(byte),
                Some(_) => {
                    let end = i + self.char_len(i);
                    let message = format!(
                        "invalid `\\u` escape: expected 4 hex digits, found {}",
                        self.describe(i)
                    );
                    return Err(self.syntax(span(at, end), message));
                }
                None => return Err(self.eof_in_string(string_start)),
            }
        }
        Ok(unit)
    }

    fn literal(&mut self, word: &'static [u8], value: Value<'a>) -> Step<Node<'a>> {
        let start = self.pos;
        let end = start + word.len();
        if self.input.get(start..end) == Some(word) {
            self.pos = end;
            return Ok(Node {
                value,
                span: span(start, end),
            });
        }
        let word = String::from_utf8_lossy(word);
        let rest = self.input.get(start..).unwrap_or_default();
        if word.as_bytes().starts_with(rest) {
            return Err(self.eof(&format!("`{word}`")));
        }
        let found_end = self.word_end(start);
        let found = String::from_utf8_lossy(self.input.get(start..found_end).unwrap_or_default());
        let message = format!("invalid literal `{found}`: expected `{word}`");
        Err(self.syntax(span(start, found_end), message))
    }

    fn number(&mut self) -> Step<Node<'a>> {
        let input = self.input;
        let start = self.pos;
        let mut i = start;
        if input.get(i) == Some(&b'-') {
            i += 1;
        }
        let int_start = i;
        match input.get(i) {
            Some(b'0') => {
                i += 1;
                if let Some(b'0'..=b'9') = input.get(i) {
                    let end = digits_end(input, i);
                    return Err(self.syntax(
                        span(int_start, end),
                        "leading zeros are not allowed in JSON numbers".to_owned(),
                    ));
                }
            }
            Some(b'1'..=b'9') => i = digits_end(input, i),
            Some(_) => {
                let message = format!("expected a digit after `-`, found {}", self.describe(i));
                return Err(self.syntax(span(start, i + self.char_len(i)), message));
            }
            None => return Err(self.eof("a digit after `-`")),
        }
        let mut integer = true;
        if input.get(i) == Some(&b'.') {
            integer = false;
            let dot = i;
            i += 1;
            match input.get(i) {
                Some(b'0'..=b'9') => i = digits_end(input, i),
                Some(_) => {
                    let message = format!(
                        "expected a digit after the decimal point, found {}",
                        self.describe(i)
                    );
                    return Err(self.syntax(span(dot, dot + 1), message));
                }
                None => return Err(self.eof("a digit after the decimal point")),
            }
        }
        if let Some(b'e' | b'E') = input.get(i) {
            integer = false;
            let exponent = i;
            i += 1;
            if let Some(b'+' | b'-') = input.get(i) {
                i += 1;
            }
            match input.get(i) {
                Some(b'0'..=b'9') => i = digits_end(input, i),
                Some(_) => {
                    let message = format!(
                        "expected a digit in the exponent, found {}",
                        self.describe(i)
                    );
                    return Err(self.syntax(span(exponent, i), message));
                }
                None => return Err(self.eof("a digit in the exponent")),
            }
        }
        self.pos = i;
        let span = span(start, i);
        // The grammar above admits ASCII only.
        let Some(text) = input
            .get(start..i)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
        else {
            return Err(self.syntax(span, "invalid number".to_owned()));
        };
        // Up to 18 digits always fit an i64; anything else goes through `serde_json`'s own number
        // parser, whose range is not f64's (docs/decisions.md#json-parser, pitfall 1).
        if !(integer && i - int_start <= 18) && text.parse::<serde_json::Number>().is_err() {
            let shown = shorten(text, 40);
            self.report(
                ProblemKind::NumberOutOfRange,
                span,
                format!(
                    "number `{shown}` is out of range: it overflows a 64-bit float, and parsers such \
                     as serde_json reject it"
                ),
            );
        }
        Ok(Node {
            value: Value::Number(text),
            span,
        })
    }

    // ---- errors -------------------------------------------------------------------------------

    fn report(&mut self, kind: ProblemKind, span: Span, message: String) {
        self.problems.push(Problem {
            kind,
            span,
            message,
            fatal: false,
        });
    }

    #[cold]
    fn syntax(&mut self, span: Span, message: String) -> Fatal {
        self.report(ProblemKind::Syntax, span, message);
        Fatal
    }

    /// After an element or member: a `,` (not followed by the closing bracket) or the closing
    /// bracket; returns whether the container is closed.
    #[inline(always)]
    #[allow(
        clippy::inline_always,
        reason = "on the hot path of every container, as the callers are"
    )]
    fn after_item(&mut self, container: Container) -> Step<bool> {
        let (close, expected, eof) = match container {
            Container::Array => (b']', "`,` or `]` after an array element", "`,` or `]`"),
            Container::Object => (b'}', "`,` or `}` after an object member", "`,` or `}`"),
        };
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                let comma = self.pos;
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(close) {
                    return Err(self.trailing_comma(comma, container));
                }
                Ok(false)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) => Err(self.unexpected(expected)),
            None => Err(self.eof(eof)),
        }
    }

    /// "expected X, found Y" at `self.pos`.
    #[cold]
    fn unexpected(&mut self, expected: &str) -> Fatal {
        let at = self.pos;
        let mut message = format!("expected {expected}, found {}", self.describe(at));
        message.push_str(hint(self.input.get(at).copied()));
        self.syntax(span(at, at + self.char_len(at)), message)
    }

    /// A byte that cannot start a value, at `self.pos`.
    #[cold]
    fn unexpected_value(&mut self) -> Fatal {
        let at = self.pos;
        match self.input.get(at).copied() {
            Some(b'+') => self.syntax(
                span(at, at + 1),
                "expected a value, found `+`: JSON numbers cannot start with `+`".to_owned(),
            ),
            Some(b'.') => self.syntax(
                span(at, at + 1),
                "expected a value, found `.`: JSON numbers need a digit before the decimal point \
                 (write `0.5`, not `.5`)"
                    .to_owned(),
            ),
            Some(byte) if byte.is_ascii_alphabetic() || byte == b'_' => {
                let end = self.word_end(at);
                let word = String::from_utf8_lossy(self.input.get(at..end).unwrap_or_default());
                let extra = match &*word {
                    "NaN" | "Infinity" => ": NaN and Infinity are not JSON numbers",
                    "True" | "False" | "TRUE" | "FALSE" => ": JSON literals are lower case",
                    "None" | "NULL" | "Null" | "undefined" | "nil" => ": JSON writes `null`",
                    _ => ": strings must be in double quotes",
                };
                let message = format!("expected a value, found `{word}`{extra}");
                self.syntax(span(at, end), message)
            }
            _ => self.unexpected("a value"),
        }
    }

    /// Something other than `"` where an object expects a member name, at `self.pos`.
    #[cold]
    fn bad_name(&mut self, first: bool) -> Fatal {
        let at = self.pos;
        match self.input.get(at).copied() {
            Some(b'\'') => self.syntax(
                span(at, at + 1),
                "expected a member name, found `'`: JSON strings use double quotes".to_owned(),
            ),
            Some(byte) if byte.is_ascii_alphabetic() || byte == b'_' || byte == b'$' => {
                let end = self.word_end(at);
                let word = String::from_utf8_lossy(self.input.get(at..end).unwrap_or_default());
                let message = format!(
                    "expected a member name, found `{word}`: member names must be strings in \
                     double quotes"
                );
                self.syntax(span(at, end), message)
            }
            _ if first => self.unexpected("a member name (a string in double quotes) or `}`"),
            _ => self.unexpected("a member name (a string in double quotes)"),
        }
    }

    #[cold]
    fn trailing_comma(&mut self, comma: usize, container: Container) -> Fatal {
        let (close, what) = match container {
            Container::Array => ("]", "element of an array"),
            Container::Object => ("}", "member of an object"),
        };
        self.syntax(
            span(comma, comma + 1),
            format!(
                "trailing comma before `{close}`: JSON does not allow a comma after the last {what}"
            ),
        )
    }

    #[cold]
    fn control_in_string(&mut self, at: usize, byte: u8) -> Fatal {
        let escaped = match byte {
            b'\n' => "\\n".to_owned(),
            b'\r' => "\\r".to_owned(),
            b'\t' => "\\t".to_owned(),
            _ => format!("\\u{byte:04x}"),
        };
        let message = format!(
            "raw control character U+{byte:04X} in a string: JSON requires it escaped, as `{escaped}`"
        );
        self.syntax(span(at, at + 1), message)
    }

    /// The input ended where `expected` was due.
    #[cold]
    fn eof(&mut self, expected: &str) -> Fatal {
        let end = self.input.len();
        let message = match self.open.last() {
            Some(&(container, at)) => format!(
                "unexpected end of input: the {} opened on line {} is not closed (expected {expected})",
                container.name(),
                line_of(self.input, at)
            ),
            None => format!("unexpected end of input: expected {expected}"),
        };
        self.syntax(span(end, end), message)
    }

    #[cold]
    fn eof_in_string(&mut self, string_start: usize) -> Fatal {
        let end = self.input.len();
        let message = format!(
            "unexpected end of input: the string opened on line {} is not closed",
            line_of(self.input, string_start)
        );
        self.syntax(span(end, end), message)
    }

    /// A human description of the character at `at`: "`,`", "a line break", "end of input".
    fn describe(&self, at: usize) -> String {
        match self.input.get(at).copied() {
            None => "end of input".to_owned(),
            Some(b' ') => "a space".to_owned(),
            Some(b'\n' | b'\r') => "a line break".to_owned(),
            Some(b'\t') => "a tab".to_owned(),
            Some(b'`') => "a backtick".to_owned(),
            Some(byte) if byte < 0x20 || byte == 0x7F => format!("control character U+{byte:04X}"),
            Some(byte) if byte < 0x80 => format!("`{}`", char::from(byte)),
            Some(byte) => match self.char_at(at) {
                Some(c) => format!("`{c}` (U+{:04X})", u32::from(c)),
                None => format!("byte 0x{byte:02X}, which is not UTF-8"),
            },
        }
    }

    /// The UTF-8 character starting at `at`, if the bytes there are one.
    fn char_at(&self, at: usize) -> Option<char> {
        let width = match self.input.get(at)? {
            0x00..=0x7F => 1,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return None,
        };
        std::str::from_utf8(self.input.get(at..at + width)?)
            .ok()?
            .chars()
            .next()
    }

    /// The length of the character at `at` (1 for a byte that starts none, 0 at the end).
    fn char_len(&self, at: usize) -> usize {
        if at >= self.input.len() {
            return 0;
        }
        self.char_at(at).map_or(1, char::len_utf8)
    }

    /// The end of the run of ASCII letters, digits and `_` starting at `at` (at least one character).
    fn word_end(&self, at: usize) -> usize {
        let mut end = at;
        while end - at < 40
            && self
                .input
                .get(end)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            end += 1;
        }
        if end == at {
            at + self.char_len(at)
        } else {
            end
        }
    }

    // ---- scanning -----------------------------------------------------------------------------

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while is_ws(self.input.get(self.pos).copied()) {
            self.pos += 1;
        }
    }
}

fn is_ws(byte: Option<u8>) -> bool {
    matches!(byte, Some(b' ' | b'\n' | b'\r' | b'\t'))
}

/// The offset of the first `"`, `\` or control byte at or after `i` (or the end of `input`),
/// eight bytes at a time.
fn scan_plain(input: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = input.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(bytes);
        // A byte of `x` is zero exactly when the lowest flagged byte of `zero(x)` marks it; the
        // flags above a real match may be spurious (borrows), so only the lowest one is used.
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let flags = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(ONES * 0x20) & !word);
        let flags = flags & HIGH;
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&byte) = input.get(i) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

fn digits_end(input: &[u8], mut i: usize) -> usize {
    while input.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

fn hex_digit(byte: u8) -> u32 {
    match byte {
        b'0'..=b'9' => u32::from(byte - b'0'),
        b'a'..=b'f' => u32::from(byte - b'a' + 10),
        b'A'..=b'F' => u32::from(byte - b'A' + 10),
        _ => 0,
    }
}

/// The value of four hex digits, if `bytes` is exactly that.
fn hex_value(bytes: Option<&[u8]>) -> Option<u32> {
    let bytes = bytes?;
    if bytes.len() != 4 || !bytes.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0, |unit, &byte| unit * 16 + hex_digit(byte)),
    )
}

/// A fatal-message-only helper: the 1-based line of `offset` (\n, \r\n and \r end lines).
fn line_of(input: &[u8], offset: usize) -> usize {
    let before = input.get(..offset).unwrap_or(input);
    let mut line = 1;
    for (i, &byte) in before.iter().enumerate() {
        if byte == b'\n' || (byte == b'\r' && input.get(i + 1) != Some(&b'\n')) {
            line += 1;
        }
    }
    line
}

/// A hint for a common non-JSON habit, appended to an "expected …, found …" message.
fn hint(byte: Option<u8>) -> &'static str {
    match byte {
        Some(b'/') => ": JSON does not allow comments",
        Some(b'\'') => ": JSON strings use double quotes",
        Some(b'=') => ": JSON separates a member name from its value with `:`",
        _ => "",
    }
}

/// `text` in double quotes with escapes, cut to `max` characters.
fn quoted(text: &str) -> String {
    shorten(&format!("{text:?}"), 60)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max).collect();
    cut.push('…');
    cut
}

fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

fn span(start: usize, end: usize) -> Span {
    Span::new(to_u32(start), to_u32(end))
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn serde_accepts(input: &[u8]) -> bool {
        serde_json::from_slice::<serde_json::Value>(input).is_ok()
    }

    /// Parses, checks the verdict against `serde_json`, and returns the result.
    fn check(input: &[u8]) -> Parsed<'_> {
        let parsed = parse(input);
        assert_eq!(
            parsed.is_valid_json(),
            serde_accepts(input),
            "verdict differs from serde_json on {:?}: {:#?}",
            String::from_utf8_lossy(input),
            parsed.problems
        );
        if parsed
            .problems
            .iter()
            .any(|p| p.kind.breaks_json() && p.kind.is_fatal())
        {
            assert!(parsed.root.is_none());
        }
        parsed
    }

    /// The single problem of `input`, which must be fatal.
    fn fatal(input: &[u8]) -> Problem {
        let parsed = check(input);
        assert!(
            parsed.root.is_none(),
            "{:?} parsed",
            String::from_utf8_lossy(input)
        );
        assert_eq!(parsed.problems.len(), 1, "{:#?}", parsed.problems);
        parsed.problems.into_iter().next().unwrap()
    }

    fn text_at(input: &[u8], span: Span) -> &str {
        std::str::from_utf8(&input[span.range()]).unwrap()
    }

    fn kinds(parsed: &Parsed<'_>) -> Vec<ProblemKind> {
        parsed.problems.iter().map(|p| p.kind.clone()).collect()
    }

    trait Fatality {
        fn is_fatal(&self) -> bool;
    }

    impl Fatality for ProblemKind {
        fn is_fatal(&self) -> bool {
            matches!(
                self,
                ProblemKind::Syntax | ProblemKind::Empty | ProblemKind::TrailingCharacters
            )
        }
    }

    #[test]
    fn spans_of_names_and_values() {
        let input = br#" { "client_id" : "https://a.example/c.json", "n": [1, -2.5e3, true, false, null, {}] } "#;
        let parsed = check(input);
        assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
        let root = parsed.root.unwrap();
        assert_eq!(
            text_at(input, root.span),
            &std::str::from_utf8(input).unwrap()[1..input.len() - 1]
        );
        let Value::Object(members) = &root.value else {
            panic!("not an object")
        };
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].name, "client_id");
        assert_eq!(text_at(input, members[0].name_span), r#""client_id""#);
        assert_eq!(
            text_at(input, members[0].value.span),
            r#""https://a.example/c.json""#
        );
        assert_eq!(
            text_at(input, members[0].value.inner_span()),
            "https://a.example/c.json"
        );
        assert!(matches!(
            &members[0].value.value,
            Value::String(Cow::Borrowed(_))
        ));
        assert_eq!(text_at(input, members[1].name_span), r#""n""#);
        let Value::Array(items) = &members[1].value.value else {
            panic!("not an array")
        };
        let texts: Vec<&str> = items.iter().map(|item| text_at(input, item.span)).collect();
        assert_eq!(texts, ["1", "-2.5e3", "true", "false", "null", "{}"]);
        assert_eq!(items[1].value, Value::Number("-2.5e3"));
        assert_eq!(items[2].value, Value::Bool(true));
        assert_eq!(items[4].value, Value::Null);
        assert_eq!(root.get("n").unwrap().value.type_name(), "array");
    }

    #[test]
    fn top_level_scalars() {
        for input in [
            &b"0"[..],
            b"-0",
            b"\"x\"",
            b"null",
            b" true ",
            b"1.5E+2",
            b"[]",
            b"{}",
        ] {
            let parsed = check(input);
            assert!(parsed.root.is_some() && parsed.problems.is_empty());
        }
    }

    #[test]
    fn escapes_are_decoded() {
        let input = br#"["a\"b\\c\/d\b\f\n\r\t", "\u0041\u00e9\u20AC", "\ud83d\ude00!", "plain", "https:\/\/x"]"#;
        let parsed = check(input);
        assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
        let root = parsed.root.unwrap();
        let Value::Array(items) = root.value else {
            panic!("not an array")
        };
        let strings: Vec<&str> = items.iter().map(|item| item.as_str().unwrap()).collect();
        assert_eq!(
            strings,
            [
                "a\"b\\c/d\u{8}\u{c}\n\r\t",
                "Aé€",
                "😀!",
                "plain",
                "https://x"
            ]
        );
        assert!(matches!(&items[0].value, Value::String(Cow::Owned(_))));
        assert!(matches!(&items[3].value, Value::String(Cow::Borrowed(_))));
        assert_eq!(text_at(input, items[2].span), r#""\ud83d\ude00!""#);
    }

    #[test]
    fn long_strings_cross_the_eight_byte_scan() {
        for len in 0..40 {
            for special in ["", "\\n", "é", "\\u00e9"] {
                let body = format!("{}{special}{}", "x".repeat(len), "y".repeat(len % 9));
                let input = format!("\"{body}\"");
                let parsed = check(input.as_bytes());
                let root = parsed.root.unwrap();
                let expected: String = serde_json::from_str(&input).unwrap();
                assert_eq!(root.as_str().unwrap(), expected);
                assert_eq!(root.span, Span::new(0, input.len() as u32));
            }
        }
    }

    #[test]
    fn duplicate_names_compare_decoded() {
        let input = br#"{"a": 1, "b": 2, "\u0061": 3}"#;
        let parsed = check(input);
        assert!(parsed.is_valid_json());
        assert_eq!(parsed.problems.len(), 1);
        let problem = &parsed.problems[0];
        assert_eq!(text_at(input, problem.span), r#""\u0061""#);
        assert_eq!(
            problem.kind,
            ProblemKind::Duplicate {
                first: Span::new(1, 4)
            }
        );
        assert!(
            problem.message.contains("duplicate member name \"a\""),
            "{}",
            problem.message
        );
        let root = parsed.root.unwrap();
        assert_eq!(root.get("a").unwrap().value.value, Value::Number("3"));
        assert_eq!(root.to_serde(), serde_json::json!({"a": 3, "b": 2}));
    }

    #[test]
    fn duplicate_names_in_large_objects_use_the_index() {
        let mut input = String::from("{");
        for i in 0..40 {
            write!(input, "\"k{i}\": {i},").unwrap();
        }
        input.push_str(r#""k3": 0, "k\u0033": 1, "k39": 2, "k40": 3}"#);
        let parsed = check(input.as_bytes());
        let duplicates: Vec<(&str, &str)> = parsed
            .problems
            .iter()
            .map(|p| {
                let ProblemKind::Duplicate { first } = p.kind else {
                    panic!("{p:?}")
                };
                (
                    text_at(input.as_bytes(), p.span),
                    text_at(input.as_bytes(), first),
                )
            })
            .collect();
        assert_eq!(
            duplicates,
            [
                (r#""k3""#, r#""k3""#),
                (r#""k\u0033""#, r#""k3""#),
                (r#""k39""#, r#""k39""#)
            ]
        );
        // Every later duplicate points at the first occurrence.
        let first_k3 = input.find("\"k3\"").unwrap() as u32;
        assert!(parsed.problems[..2].iter().all(|p| p.kind
            == ProblemKind::Duplicate {
                first: Span::new(first_k3, first_k3 + 4)
            }));
        // The pairwise path, with the same triple.
        let parsed = check(br#"{"x":1,"x":2,"x":3}"#);
        let firsts: Vec<ProblemKind> = kinds(&parsed);
        assert_eq!(
            firsts,
            vec![
                ProblemKind::Duplicate {
                    first: Span::new(1, 4)
                };
                2
            ]
        );
    }

    #[test]
    fn duplicates_in_sibling_objects_are_separate() {
        let parsed = check(br#"[{"a":1},{"a":2,"b":{"a":3}}]"#);
        assert!(parsed.problems.is_empty());
    }

    #[test]
    fn syntax_errors_point_at_the_offending_bytes() {
        let cases: &[(&[u8], &str, &str)] = &[
            (
                br#"{"a",1}"#,
                ",",
                "expected `:` after member name, found `,`",
            ),
            (b"[1,]", ",", "trailing comma before `]`"),
            (b"{\"a\":1,\n}", ",", "trailing comma before `}`"),
            (
                b"[1 2]",
                "2",
                "expected `,` or `]` after an array element, found `2`",
            ),
            (
                br#"{"a":1 "b":2}"#,
                "\"",
                "expected `,` or `}` after an object member",
            ),
            (b"[01]", "01", "leading zeros"),
            (b"[-012]", "012", "leading zeros"),
            (b"[+1]", "+", "cannot start with `+`"),
            (b"[.5]", ".", "digit before the decimal point"),
            (
                b"[1.]",
                ".",
                "expected a digit after the decimal point, found `]`",
            ),
            (
                b"[1.e5]",
                ".",
                "expected a digit after the decimal point, found `e`",
            ),
            (b"[1e]", "e", "expected a digit in the exponent, found `]`"),
            (b"[1e+]", "e+", "expected a digit in the exponent"),
            (b"[-]", "-]", "expected a digit after `-`, found `]`"),
            (b"[NaN]", "NaN", "NaN and Infinity are not JSON numbers"),
            (b"[Infinity]", "Infinity", "NaN and Infinity"),
            (b"[tru]", "tru", "invalid literal `tru`: expected `true`"),
            (b"[nulL]", "nulL", "expected `null`"),
            (b"{'a':1}", "'", "double quotes"),
            (b"['a']", "'", "double quotes"),
            (
                b"{a:1}",
                "a",
                "member names must be strings in double quotes",
            ),
            (b"{\"a\":1 // c\n}", "/", "comments"),
            (b"// c\n{}", "/", "comments"),
            (b"/* c */ {}", "/", "comments"),
            (
                b"[\"a\tb\"]",
                "\t",
                "raw control character U+0009 in a string",
            ),
            (b"[\"a\nb\"]", "\n", "as `\\n`"),
            (b"[\"a\x01\"]", "\x01", "as `\\u0001`"),
            (br#"["\x"]"#, r"\x", "invalid escape `\\x`"),
            (
                br#"["\u00g0"]"#,
                r"\u00g",
                "expected 4 hex digits, found `g`",
            ),
            (br#"["\U0041"]"#, r"\U", "invalid escape"),
            (b"[,1]", ",", "expected a value, found `,`"),
            (b"[1,,2]", ",", "expected a value, found `,`"),
            (b"{,}", ",", "expected a member name"),
            (br#"{"a":}"#, "}", "expected a value, found `}`"),
            (b"[1}", "}", "expected `,` or `]`"),
            (b"{\"a\"=1}", "=", "with `:`"),
            (b"[\xFF]", "", "byte 0xFF, which is not UTF-8"),
            (b"[\xC3\xA9]", "é", "found `é` (U+00E9)"),
            (b"[True]", "True", "lower case"),
            (b"[undefined]", "undefined", "`null`"),
        ];
        for (input, at, message) in cases {
            let problem = fatal(input);
            assert_eq!(problem.kind, ProblemKind::Syntax, "{input:?}");
            assert!(
                problem.message.contains(message),
                "{:?}: {}",
                String::from_utf8_lossy(input),
                problem.message
            );
            if at.is_empty() {
                assert_eq!(problem.span.end - problem.span.start, 1);
            } else {
                assert_eq!(
                    text_at(input, problem.span),
                    *at,
                    "{:?}: {}",
                    String::from_utf8_lossy(input),
                    problem.message
                );
            }
        }
    }

    #[test]
    fn end_of_input_names_the_open_container() {
        let input = b"{\n  \"a\": [1,\n    2";
        let problem = fatal(input);
        assert_eq!(problem.kind, ProblemKind::Syntax);
        assert_eq!(
            problem.span,
            Span::new(input.len() as u32, input.len() as u32)
        );
        assert_eq!(
            problem.message,
            "unexpected end of input: the array opened on line 2 is not closed (expected `,` or `]`)"
        );
        let problem = fatal(b"{\"a\":1");
        assert_eq!(
            problem.message,
            "unexpected end of input: the object opened on line 1 is not closed (expected `,` or `}`)"
        );
        let problem = fatal(b"[\r\n\"abc");
        assert_eq!(
            problem.message,
            "unexpected end of input: the string opened on line 2 is not closed"
        );
        for input in [
            &b"{"[..],
            b"{\"a\"",
            b"{\"a\":",
            b"[",
            b"[1,",
            b"[tr",
            b"-",
            b"1.",
            b"1e",
            b"\"\\",
            b"\"\\u12",
            b"{\"a\\",
        ] {
            let problem = fatal(input);
            assert!(
                problem.message.starts_with("unexpected end of input"),
                "{input:?}: {}",
                problem.message
            );
            assert_eq!(problem.span.start as usize, input.len());
        }
    }

    #[test]
    fn empty_documents() {
        for input in [&b""[..], b" ", b"\n\t\r "] {
            let problem = fatal(input);
            assert_eq!(problem.kind, ProblemKind::Empty);
            assert!(problem.message.contains("empty"));
        }
    }

    #[test]
    fn trailing_characters() {
        let input = b"{} x \n";
        let problem = fatal(input);
        assert_eq!(problem.kind, ProblemKind::TrailingCharacters);
        assert_eq!(text_at(input, problem.span), "x");
        assert!(
            problem
                .message
                .contains("unexpected `x` after the end of the JSON value")
        );
        let problem = fatal(b"{}{}");
        assert_eq!(problem.kind, ProblemKind::TrailingCharacters);
        assert_eq!(problem.span, Span::new(2, 4));
        assert_eq!(fatal(b"truex").kind, ProblemKind::TrailingCharacters);
        assert_eq!(fatal(b"1 2").kind, ProblemKind::TrailingCharacters);
    }

    #[test]
    fn bom_is_reported_and_skipped() {
        let input = b"\xEF\xBB\xBF{\"a\": \"b\"}";
        let parsed = check(input);
        assert!(!parsed.is_valid_json());
        assert_eq!(kinds(&parsed), [ProblemKind::Bom]);
        assert_eq!(parsed.problems[0].span, Span::new(0, 3));
        let root = parsed.root.unwrap();
        assert_eq!(root.span, Span::new(3, input.len() as u32));
        assert_eq!(root.get("a").unwrap().value.as_str(), Some("b"));
        // A BOM before nothing, and before a syntax error.
        let parsed = check(b"\xEF\xBB\xBF  ");
        assert_eq!(kinds(&parsed), [ProblemKind::Bom, ProblemKind::Empty]);
        assert!(parsed.root.is_none());
        let parsed = check(b"\xEF\xBB\xBF[1,]");
        assert_eq!(kinds(&parsed), [ProblemKind::Bom, ProblemKind::Syntax]);
        // A UTF-16 byte order mark is a different thing.
        let problem = fatal(b"\xFF\xFE{\x00}\x00");
        assert!(problem.message.contains("UTF-16"));
        assert_eq!(problem.kind, ProblemKind::InvalidUtf8);
    }

    #[test]
    fn invalid_utf8_in_strings_is_recovered() {
        let input = b"{\"name\": \"Caf\xE9 \xFF\xFEx\", \"\xC3\": [\"ok\"]}";
        let parsed = check(input);
        assert!(!parsed.is_valid_json());
        assert_eq!(
            kinds(&parsed),
            [
                ProblemKind::InvalidUtf8,
                ProblemKind::InvalidUtf8,
                ProblemKind::InvalidUtf8
            ]
        );
        assert_eq!(&input[parsed.problems[0].span.range()], b"\xE9");
        assert_eq!(&input[parsed.problems[1].span.range()], b"\xFF\xFE");
        assert_eq!(&input[parsed.problems[2].span.range()], b"\xC3");
        let root = parsed.root.unwrap();
        assert_eq!(
            root.get("name").unwrap().value.as_str(),
            Some("Caf\u{FFFD} \u{FFFD}\u{FFFD}x")
        );
        assert!(root.get("\u{FFFD}").is_some());
        // Around escapes, in the owned path.
        let parsed = check(b"[\"\xE9\\n\xE9\"]");
        assert_eq!(
            kinds(&parsed),
            [ProblemKind::InvalidUtf8, ProblemKind::InvalidUtf8]
        );
        assert_eq!(
            parsed.root.unwrap().value,
            Value::Array(vec![Node {
                value: Value::String("\u{FFFD}\n\u{FFFD}".into()),
                span: Span::new(1, 7)
            }])
        );
        // Outside strings it is a syntax error.
        assert_eq!(fatal(b"{\"a\":1,\xFF}").kind, ProblemKind::Syntax);
    }

    #[test]
    fn lone_surrogates_are_recovered() {
        let input = br#"["\ud800", "a\uDC00b", "\ud83d\u0041", "\ud83d\ud83d\ude00"]"#;
        let parsed = check(input);
        assert!(!parsed.is_valid_json());
        assert_eq!(kinds(&parsed), vec![ProblemKind::LoneSurrogate; 4]);
        let escapes: Vec<&str> = parsed
            .problems
            .iter()
            .map(|p| text_at(input, p.span))
            .collect();
        assert_eq!(escapes, [r"\ud800", r"\uDC00", r"\ud83d", r"\ud83d"]);
        assert!(parsed.problems[0].message.contains("high (leading)"));
        assert!(parsed.problems[1].message.contains("low (trailing)"));
        let root = parsed.root.unwrap();
        let Value::Array(items) = root.value else {
            panic!("not an array")
        };
        let strings: Vec<&str> = items.iter().map(|item| item.as_str().unwrap()).collect();
        assert_eq!(
            strings,
            ["\u{FFFD}", "a\u{FFFD}b", "\u{FFFD}A", "\u{FFFD}😀"]
        );
        // A lone surrogate then a broken escape: both reported, the second fatal.
        let parsed = check(br#"["\ud800\u12"]"#);
        assert_eq!(
            kinds(&parsed),
            [ProblemKind::LoneSurrogate, ProblemKind::Syntax]
        );
    }

    #[test]
    fn numbers_out_of_range_follow_serde() {
        let parsed = check(b"{\"a\": 1e400, \"b\": [-1E+999]}");
        assert_eq!(
            kinds(&parsed),
            [ProblemKind::NumberOutOfRange, ProblemKind::NumberOutOfRange]
        );
        assert_eq!(parsed.problems[0].span, Span::new(6, 11));
        assert!(parsed.root.is_some());
        assert!(!parsed.is_valid_json());
        // serde_json's range, not f64's (docs/decisions.md#json-parser, pitfall 1): each checked
        // against serde.
        for input in [
            &b"1e-400"[..],
            b"123456789012345678901234567890",
            b"-123456789012345678901234567890",
            b"1.7976931348623158e308",
            b"1.79769313486231597e308",
            b"1.7976931348623157e308",
            b"18446744073709551615",
            b"18446744073709551616",
            b"-9223372036854775809",
            b"0.0000000000000000000000000000001e-300",
            b"100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            b"1e308",
            b"10e308",
            b"0.1e310",
        ] {
            let parsed = check(input);
            assert!(parsed.root.is_some());
        }
    }

    fn nested(depth: usize) -> String {
        let mut text = String::new();
        for i in 0..depth {
            text.push_str(if i % 2 == 0 { "[" } else { "{\"k\":" });
        }
        text.push('0');
        for i in (0..depth).rev() {
            text.push(if i % 2 == 0 { ']' } else { '}' });
        }
        text
    }

    #[test]
    fn depth_limits() {
        let input = nested(64);
        assert!(check(input.as_bytes()).problems.is_empty());
        for depth in [65, 127] {
            let input = nested(depth);
            let parsed = check(input.as_bytes());
            assert!(parsed.is_valid_json());
            assert!(parsed.root.is_some());
            assert_eq!(kinds(&parsed), [ProblemKind::TooDeep]);
            // Reported once, at the 65th container.
            let at = parsed.problems[0].span;
            assert_eq!(&input[at.range()], "[");
            assert_eq!(input[..at.start as usize].matches(['[', '{']).count(), 64);
        }
        for depth in [128, 129, 5000] {
            let input = nested(depth);
            let parsed = check(input.as_bytes());
            assert!(parsed.root.is_none());
            assert_eq!(kinds(&parsed), [ProblemKind::TooDeep, ProblemKind::TooDeep]);
            let at = parsed.problems[1].span;
            assert_eq!(input[..at.start as usize].matches(['[', '{']).count(), 127);
            assert!(
                parsed.problems[1]
                    .message
                    .contains("128th nested container")
            );
        }
        // Depth counts open containers, not all containers seen.
        let wide = "[".to_owned() + &vec![nested(100); 3].join(",") + "]";
        assert_eq!(kinds(&check(wide.as_bytes())), [ProblemKind::TooDeep]);
    }

    #[test]
    fn verdicts_match_serde_on_small_inputs() {
        let inputs: &[&[u8]] = &[
            b"[\"\x7F\"]",
            b"[\"\\u0000\"]",
            b"\"\\uD834\\uDD1E\"",
            b"[1e1, 0e0, -0.0e-0, 0E+1]",
            b"[-01]",
            b"[0x1]",
            b"[1_000]",
            b" \t\r\n[ \t\r\n] \t\r\n",
            b"\x0C[]",
            b"[]\x00",
            b"{\"\":\"\"}",
            b"[\"\xF0\x9F\x98\x80\"]",
            b"[\"\xED\xA0\x80\"]",
            b"[\"\xC0\xAF\"]",
            b"[\"\xF4\x90\x80\x80\"]",
            b"[\xEF\xBB\xBF]",
            b"\"\\ud800\\ud800\"",
            b"\"\\udc00\\ud800\"",
            b"[1.0e+]",
            b"[-Infinity]",
            b"nul",
            b"n",
            b"[\"\\",
        ];
        for input in inputs {
            check(input);
        }
    }

    #[test]
    fn huge_offsets_saturate() {
        assert_eq!(span(usize::MAX, 3), Span::new(u32::MAX, 3));
    }
}
