//! The one report shape every host prints: CLI `--format json`, wasm, the Worker API (docs/cli.md).

use std::borrow::Cow;

use serde::Serialize;

use crate::codes::{Code, Severity};

/// A byte range into the submitted text, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    /// A sub-range of this span, `offset` bytes in and `len` long (clamped to the span).
    #[must_use]
    pub fn sub(self, offset: usize, len: usize) -> Self {
        let start = (self.start as usize + offset).min(self.end as usize);
        let end = (start + len).min(self.end as usize);
        Self::new(start as u32, end as u32)
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and a 1-based column counted in UTF-16 code units (what editors use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// One finding. `code` and, through [`Diagnostic::name`], [`Diagnostic::spec`] and
/// [`Diagnostic::docs`], the rest of its registry entry; `help` starts as the code's default.
///
/// The registry fields are read through the entry rather than copied in: a report is built, sorted
/// and moved on every validation, and the copies made a diagnostic 176 bytes instead of 120.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    entry: Entry,
    pub severity: Severity,
    pub message: Cow<'static, str>,
    pub help: Cow<'static, str>,
    pub pointer: Option<Cow<'static, str>>,
    pub span: Option<Span>,
    pub range: Option<Range>,
}

// Sorting and pushing move diagnostics: up to 128 bytes the compiler copies one inline, above it
// calls memmove, which cost a tenth of validating a small document.
const _: () = assert!(std::mem::size_of::<Diagnostic>() <= 128);

/// A diagnostic's registry entry: compared by identity, shown by name.
#[derive(Clone, Copy)]
struct Entry(&'static Code);

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

impl Diagnostic {
    /// A diagnostic of `code` with the severity the code has under `profile`.
    pub fn new(
        code: &'static Code,
        profile: Profile,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        debug_assert!(code.retired.is_none(), "{} is retired", code.code);
        Self {
            entry: Entry(code),
            severity: code.severity(profile),
            message: message.into(),
            help: Cow::Borrowed(code.help),
            pointer: None,
            span: None,
            range: None,
        }
    }

    /// The code (`CIMD107`).
    pub fn code(&self) -> &'static str {
        self.entry.0.code
    }

    /// The registry entry of the code.
    pub fn registered(&self) -> &'static Code {
        self.entry.0
    }

    /// The code's name (`client-id-mismatch`).
    pub fn name(&self) -> &'static str {
        self.entry.0.name
    }

    /// The section of the text the rule comes from.
    pub fn spec(&self) -> &'static str {
        self.entry.0.spec
    }

    /// The link to the code's documentation.
    pub fn docs(&self) -> DocsLink {
        DocsLink(self.code())
    }

    #[must_use]
    pub fn at(mut self, pointer: impl Into<Cow<'static, str>>, span: Span) -> Self {
        self.pointer = Some(pointer.into());
        self.span = Some(span);
        self
    }

    #[must_use]
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = help.into();
        self
    }
}

/// The link to a code's published documentation ([`crate::codes::DOCS_URL`] + `cimd107`), so a
/// report read anywhere points where a reader can go; written out only when the report
/// is (a diagnostic is built on every hot path, most reports are only looked at for the verdict).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocsLink(pub &'static str);

impl std::fmt::Display for DocsLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::codes::DOCS_URL)?;
        for c in self.0.chars() {
            std::fmt::Write::write_char(f, c.to_ascii_lowercase())?;
        }
        Ok(())
    }
}

impl Serialize for DocsLink {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The fields in the order the report documents (docs/cli.md).
impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Diagnostic", 10)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("name", self.name())?;
        s.serialize_field("severity", &self.severity)?;
        s.serialize_field("message", &self.message)?;
        s.serialize_field("help", &self.help)?;
        s.serialize_field("spec", self.spec())?;
        s.serialize_field("docs", &self.docs())?;
        s.serialize_field("pointer", &self.pointer)?;
        s.serialize_field("span", &self.span)?;
        s.serialize_field("range", &self.range)?;
        s.end()
    }
}

/// Which texts the rules follow (docs/decisions.md#profiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// The draft plus MCP (the default).
    #[default]
    Mcp,
    /// The IETF draft alone.
    Ietf,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Mcp => "mcp",
            Profile::Ietf => "ietf",
        }
    }
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mcp" => Ok(Profile::Mcp),
            "ietf" => Ok(Profile::Ietf),
            other => Err(format!(
                "unknown profile `{other}` (expected `mcp` or `ietf`)"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Summary {
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
}

/// What the host learnt when it fetched the document (null when the text was given directly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct FetchInfo {
    pub status: Option<u16>,
    pub content_type: Option<String>,
    pub bytes: Option<u64>,
    pub cache_ttl_s: Option<u64>,
    pub elapsed_ms: Option<u64>,
    pub address: Option<String>,
}

/// A known server's predicted verdict on the document (docs/decisions.md#portability).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Portability {
    pub server: &'static str,
    pub accepts: bool,
    /// Codes of this report that make the server refuse the document.
    pub because: smallvec::SmallVec<[&'static str; 2]>,
    /// What else makes the server refuse (no code covers it), and where it differs from the draft.
    pub notes: smallvec::SmallVec<[Cow<'static, str>; 2]>,
    /// For each loopback redirect URI of the document, which ports of an authorization request
    /// the server matches; empty when its redirect matching was not read.
    pub loopback: Vec<LoopbackPorts>,
}

/// Which request ports a server matches for one registered loopback redirect URI
/// (docs/decisions.md#loopback-ports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoopbackPorts {
    /// The registered redirect URI, as written in the document. Shared by every server's row (one
    /// allocation per URI, not one per server: a row per server is built on every validation).
    #[serde(serialize_with = "shared_str")]
    pub uri: std::sync::Arc<str>,
    pub ports: Ports,
}

fn shared_str<S: serde::Serializer>(s: &std::sync::Arc<str>, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(s)
}

/// The request ports a server matches for a loopback redirect URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ports {
    /// Any port (RFC 8252 §7.3): the client may listen wherever the system lets it.
    Any,
    /// Only the port written in the URI: the client must always listen there.
    Registered,
    /// No port a client can listen on: a portless URI compared exactly (only port 80 would
    /// match), or a form the server never matches (a `*` port where it has no wildcards).
    None,
}

impl Ports {
    /// Every value, in wire order.
    pub const ALL: [Ports; 3] = [Ports::Any, Ports::Registered, Ports::None];

    /// The name used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Ports::Any => "any",
            Ports::Registered => "registered",
            Ports::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub valid: bool,
    pub profile: Profile,
    pub strict: bool,
    pub url: Option<String>,
    pub summary: Summary,
    pub diagnostics: Vec<Diagnostic>,
    pub document: Option<Document>,
    pub fetch: Option<FetchInfo>,
    pub portability: Vec<Portability>,
}

impl Report {
    /// Counts, sorts and decides validity; fills `range` from `span` against `text`.
    pub(crate) fn finish(
        mut diagnostics: Vec<Diagnostic>,
        text: Option<&str>,
        options: &crate::Options,
        document: Option<Checked>,
        fetch: Option<FetchInfo>,
    ) -> Self {
        sort_diagnostics(&mut diagnostics);
        if let Some(text) = text {
            // Sorted by start, so one forward pass gives every range.
            let mut cursor = crate::lines::Cursor::new(text);
            // Several diagnostics often share a span (the opening brace for missing members).
            let mut last: Option<(Span, Range)> = None;
            for d in &mut diagnostics {
                if let Some(span) = d.span {
                    let range = match last {
                        Some((s, r)) if s == span => r,
                        _ => cursor.range(span),
                    };
                    last = Some((span, range));
                    d.range = Some(range);
                }
            }
        }
        let mut summary = Summary::default();
        for d in &diagnostics {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        let valid = summary.errors == 0 && !(options.strict && summary.warnings > 0);
        let (document, facts) =
            document.map_or((None, None), |c| (Some(c.document), Some(c.facts)));
        let portability = crate::portability::predict(&diagnostics, facts.as_ref());
        Self {
            valid,
            profile: options.profile,
            strict: options.strict,
            url: options.url.clone(),
            summary,
            diagnostics,
            document,
            fetch,
            portability,
        }
    }

    /// Whether any diagnostic has this code.
    pub fn has(&self, code: &str) -> bool {
        self.diagnostics.iter().any(|d| d.code() == code)
    }

    /// The report as the JSON every host prints (pretty, two-space indent).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serializes")
    }
}

/// Puts diagnostics in the report's stable order: by position (unpositioned first), then code,
/// then the order they were found in.
///
/// The keys are sorted, then the diagnostics moved once into place: a diagnostic is large, and
/// sorting them directly moved each several times (6% of validating a small document).
fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    // The keys on the stack for a usual report (a SmallVec here was copied whole when collected).
    let n = diagnostics.len();
    if n <= 16 {
        sort_by_keys(diagnostics, &mut [0; 16][..n]);
    } else {
        sort_by_keys(diagnostics, &mut vec![0; n]);
    }
}

/// Where a diagnostic goes in a report, as one integer: start + 1 (0 when unpositioned), end, the
/// code's number (`CIMD` + 3 digits, so numbers order as the codes do), shifted to leave the low
/// 32 bits for an index.
#[inline]
pub(crate) fn order_key(d: &Diagnostic) -> u128 {
    let (start, end) = d.span.map_or((0, 0), |s| (u128::from(s.start) + 1, s.end));
    start << 80 | u128::from(end) << 48 | u128::from(d.registered().number) << 32
}

fn sort_by_keys(diagnostics: &mut [Diagnostic], keys: &mut [u128]) {
    // The rules add diagnostics in order (`Cx::push`): then there is nothing to do.
    if diagnostics.is_sorted_by_key(order_key) {
        return;
    }
    // One integer per diagnostic, its index in the low bits.
    for (i, (key, d)) in keys.iter_mut().zip(diagnostics.iter()).enumerate() {
        *key = order_key(d) | i as u128;
    }
    sort_keys(keys); // the index makes every key distinct: as stable as a stable sort
    // The low 32 bits of `keys[i]`: where the diagnostic that belongs at `i` is now. Each cycle
    // of the permutation is walked once, swapping along it, and each place visited is marked
    // as holding its own diagnostic.
    let at = |key: u128| (key as u32) as usize;
    let mark = |key: &mut u128, i: usize| *key = (*key & !u128::from(u32::MAX)) | i as u128;
    for start in 0..keys.len() {
        let mut i = start;
        while at(keys[i]) != start {
            let next = at(keys[i]);
            diagnostics.swap(i, next);
            mark(&mut keys[i], i);
            i = next;
        }
        mark(&mut keys[i], i);
    }
}

/// Sorts keys in place: insertion sort for a few, heapsort (O(n log n)) for more. By hand: the
/// standard library's sorts add ~1 KB gzipped to the web .wasm for this one use.
fn sort_keys(keys: &mut [u128]) {
    fn sift_down(keys: &mut [u128], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && keys[child] < keys[child + 1] {
                child += 1;
            }
            if keys[root] >= keys[child] {
                return;
            }
            keys.swap(root, child);
            root = child;
        }
    }
    let n = keys.len();
    if n <= 16 {
        // Insertion sort: fewer steps on the handful of keys a report usually has.
        for i in 1..n {
            let mut j = i;
            while j > 0 && keys[j - 1] > keys[j] {
                keys.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    for start in (0..n / 2).rev() {
        sift_down(keys, start, n);
    }
    for end in (1..n).rev() {
        keys.swap(0, end);
        sift_down(keys, 0, end);
    }
}

/// What the rules learnt from a parsed document object, carried to [`Report::finish`].
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) document: Document,
    pub(crate) facts: crate::portability::Facts,
}

/// The parsed document, kept as JSON text and turned into a value when it is needed (printing the
/// report, `Document::value`): most callers only want the verdict, and building a JSON tree costs
/// as much as parsing the document again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Valid JSON with no duplicate names (the source text itself when it is clean).
    json: String,
}

impl Document {
    pub(crate) fn from_node(
        node: &crate::json::Node<'_>,
        source: &[u8],
        text: Option<&str>,
        clean: bool,
    ) -> Self {
        let raw = clean
            .then(|| match text {
                Some(text) => text.get(node.span.range()),
                None => source
                    .get(node.span.range())
                    .and_then(|b| std::str::from_utf8(b).ok()),
            })
            .flatten();
        let json = match raw {
            Some(text) => text.to_owned(),
            None => node.to_serde().to_string(),
        };
        Self { json }
    }

    /// The document as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The document as a JSON value.
    pub fn value(&self) -> serde_json::Value {
        crate::json::parse_str(&self.json)
            .value()
            .unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for Document {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

/// Escapes one JSON Pointer reference token (RFC 6901 §3).
pub fn pointer_token(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|b| b == b'~' || b == b'/') {
        name.replace('~', "~0").replace('/', "~1").into()
    } else {
        name.into()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sort_keys_sorts(mut keys in proptest::collection::vec(any::<u128>(), 0..80)) {
            let mut expected = keys.clone();
            expected.sort_unstable();
            super::sort_keys(&mut keys);
            prop_assert_eq!(keys, expected);
        }
    }

    #[test]
    fn diagnostics_sort_as_a_stable_sort_by_position_then_code() {
        let many: Vec<String> = (0..20).map(|i| format!("\"/cb{}\"", 20 - i)).collect();
        let texts = [
            r#"{"redirect_uris": ["/a", "/a"], "client_id": "x"}"#.to_owned(),
            format!(r#"{{"redirect_uris": [{}], "scope": 7}}"#, many.join(",")),
        ];
        let by_position_then_code = |d: &super::Diagnostic| {
            (
                d.span.map_or((0, 0), |s| (u64::from(s.start) + 1, s.end)),
                d.code(),
            )
        };
        for text in texts {
            let options = crate::Options::default();
            let (found, _) =
                crate::rules::check_document(text.as_bytes(), Some(&text), &options, false);
            // The rules add each diagnostic in place (`Cx::push`).
            assert!(found.is_sorted_by_key(by_position_then_code), "{text}");
            // Out of order (reversed, then rotated: equal keys swapped too), the sort restores it.
            let mut scrambled = found.clone();
            scrambled.reverse();
            scrambled.rotate_left(3);
            let mut expected = scrambled.clone();
            expected.sort_by_key(by_position_then_code);
            assert_ne!(scrambled, expected, "{text}");
            let mut sorted = scrambled;
            super::sort_diagnostics(&mut sorted);
            assert_eq!(sorted, expected, "{text}");
        }
    }
}
