//! The report on its way to JavaScript, in two parts that `js/api.js` (`decodeReport`) turns into
//! exactly the object `cimd validate --format json` prints:
//! - the numbers (flags, counts, code indexes, spans, ranges, fetch figures, string references) as
//!   `f64`s in wasm memory, read by JavaScript through a `Float64Array` (no text to parse);
//! - the strings as a JSON array for `JSON.parse`: its first two slots are where the numbers are
//!   (byte offset into wasm memory and count), then the strings in the order the numbers refer to
//!   them, and the document.
//!
//! What a diagnostic takes from the code registry (name, spec, docs link, the default help) is not
//! sent: the JavaScript side has the registry (`codes()`), and a code travels as its index there.
//! The document travels as the JSON text the core kept (the source itself, when it parsed cleanly),
//! so it is not parsed again here (unless a number could read differently in `JSON.parse`: then
//! serde_json's value, as the CLI prints it).
//!
//! Most messages, pointers, notes and server names are the core's static strings: each crosses
//! once. The first time one is sent it is defined and both sides append it to their string table;
//! after that only its index travels. Each string slot is one number: an index into the table,
//! [`NEW`] (the next JSON string, defined now), [`LITERAL`] (the next JSON string, made for this
//! report) or [`NULL`]. The last number is the table's length after the report, which the
//! JavaScript side checks (a mismatch resets both tables and asks again, rather than returning a
//! wrong string).
//!
//! ```text
//! numbers: valid profile strict [url] errors warnings infos n
//!          (code severity [message] [help]|-4 [pointer] span.start span.end
//!           range.start.line range.start.column range.end.line range.end.column) × n   -1: none
//!          has_fetch (status bytes cache_ttl_s elapsed_ms [content_type] [address])?          -1: null
//!          rows ([server] accepts k code × k m [note] × m) × rows  table_length
//! strings: [offset, count, the strings the numbers call for..., document|null]
//! ```
//! Flags are 0/1, profile 0 (mcp) or 1 (ietf), severity 0 (error), 1 (warning) or 2 (info);
//! `[x]` is a string slot, and a help of -4 is the code's default help.

use std::borrow::Cow;
use std::cell::RefCell;

use cimd::report::{Diagnostic, FetchInfo, Portability, Ports};
use cimd::{Profile, Report, Severity};

/// A string slot: the next JSON string, defined into the table now.
const NEW: f64 = -1.0;
/// A string slot: the next JSON string, made for this report (not kept).
const LITERAL: f64 = -2.0;
/// A string slot: null.
const NULL: f64 = -3.0;
/// The help slot: the code's default help.
const DEFAULT_HELP: f64 = -4.0;

/// The static strings sent so far, by address and length, and in the order they were defined.
struct Strings {
    /// (address, length, table index), sorted: a few hundred static strings at most, so a binary
    /// search is as quick as a hash map and links far less code.
    index: Vec<(usize, usize, u32)>,
    texts: Vec<&'static str>,
}

impl Strings {
    const EMPTY: Self = Self {
        index: Vec::new(),
        texts: Vec::new(),
    };
}

thread_local! {
    static STRINGS: RefCell<Strings> = const { RefCell::new(Strings::EMPTY) };
    /// The numbers of the last report written (JavaScript reads them before the next call).
    static NUMBERS: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// Forgets every string sent (the JavaScript side found its table out of step and cleared its own).
pub(crate) fn reset_strings() {
    STRINGS.with_borrow_mut(|t| *t = Strings::EMPTY);
}

/// The wire form of a report: the strings part (JSON text); the numbers stay in wasm memory
/// until the next report is written.
pub fn report_wire(report: &Report) -> String {
    let document = report.document.as_ref().map(cimd::Document::json);
    let mut numbers = NUMBERS.with_borrow_mut(std::mem::take);
    numbers.clear();
    let mut w = Wire {
        json: String::with_capacity(64 + document.map_or(0, str::len)),
        numbers,
    };
    w.json.push_str("[0,0,");
    w.flag(report.valid);
    w.flag(report.profile == Profile::Ietf);
    w.flag(report.strict);
    w.option_string(report.url.as_deref());
    w.count(report.summary.errors.into());
    w.count(report.summary.warnings.into());
    w.count(report.summary.infos.into());
    w.count(report.diagnostics.len() as u64);
    for d in &report.diagnostics {
        w.diagnostic(d);
    }
    match &report.fetch {
        Some(fetch) => w.fetch(fetch),
        None => w.flag(false),
    }
    // The loopback redirect URIs once: every row that has loopback ports lists the same URIs in
    // the same order (the document's), so a row sends only its ports.
    let loopback = report
        .portability
        .iter()
        .map(|p| p.loopback.as_slice())
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    w.count(loopback.len() as u64);
    for l in loopback {
        w.literal(&l.uri);
    }
    w.count(report.portability.len() as u64);
    for p in &report.portability {
        debug_assert!(
            p.loopback.is_empty()
                || p.loopback
                    .iter()
                    .map(|l| &l.uri)
                    .eq(loopback.iter().map(|l| &l.uri))
        );
        w.portability(p);
    }
    w.count(STRINGS.with_borrow(|t| t.texts.len() as u64));
    match document {
        Some(json) if exact_in_javascript(json.as_bytes()) => w.json.push_str(json),
        // A number that serde_json reads differently from JSON.parse (best-effort float parsing,
        // integers beyond u64): send serde_json's value, exactly what the CLI prints.
        Some(_) => {
            let value = report.document.as_ref().map(cimd::Document::value);
            w.json.push_str(&crate::to_json(&value));
        }
        None => w.json.push_str("null"),
    }
    w.json.push(']');
    // Where the numbers are: a Vec's buffer stays where it is when the Vec is moved back.
    let (offset, count) = (w.numbers.as_ptr() as usize, w.numbers.len());
    NUMBERS.with_borrow_mut(|n| *n = w.numbers);
    w.json.replace_range(1..4, &format!("{offset},{count}"));
    w.json
}

/// The numbers of the last report written (for [`decode`]).
fn last_numbers() -> Vec<f64> {
    NUMBERS.with_borrow(Clone::clone)
}

/// The index of a registered code in `cimd::codes::all()` (the order `codes()` returns).
pub fn code_index(code: &str) -> usize {
    cimd::codes::all()
        .binary_search_by(|c| c.code.cmp(code))
        .expect("reports carry registered codes")
}

fn severity_index(severity: Severity) -> u64 {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// Whether `JSON.parse` gives every number of this JSON exactly the value serde_json gives it:
/// true when every number is an integer of at most 19 digits (serde_json then holds it exactly as
/// an i64/u64 and prints the same digits). Fractions and exponents are left to serde_json.
fn exact_in_javascript(json: &[u8]) -> bool {
    let mut i = 0;
    while i < json.len() {
        match json[i] {
            b'"' => {
                i += 1;
                loop {
                    let Some(k) = memchr::memchr2(b'"', b'\\', &json[i..]) else {
                        return false;
                    };
                    i += k + 1;
                    if json[i - 1] == b'"' {
                        break;
                    }
                    i += 1;
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i + usize::from(json[i] == b'-');
                i = start;
                while i < json.len() && json[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start > 19 || matches!(json.get(i), Some(b'.' | b'e' | b'E')) {
                    return false;
                }
            }
            _ => i += 1,
        }
    }
    true
}

/// A report being written: the strings part (JSON, every slot followed by a `,` until the
/// document closes it) and the numbers.
struct Wire {
    json: String,
    numbers: Vec<f64>,
}

impl Wire {
    /// A JSON string slot. Escapes only what JSON requires (`"`, `\`, control characters):
    /// `JSON.parse` reads any valid escaping the same.
    fn string(&mut self, s: &str) {
        let out = &mut self.json;
        out.push('"');
        let mut start = 0;
        for (i, &b) in s.as_bytes().iter().enumerate() {
            if b >= 0x20 && b != b'"' && b != b'\\' {
                continue;
            }
            out.push_str(&s[start..i]);
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 0xf)]));
                }
            }
            start = i + 1;
        }
        out.push_str(&s[start..]);
        out.push_str("\",");
    }

    /// A string made for this report.
    fn literal(&mut self, s: &str) {
        self.numbers.push(LITERAL);
        self.string(s);
    }

    fn option_string(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.literal(s),
            None => self.numbers.push(NULL),
        }
    }

    /// A static string: its table index, or its definition the first time.
    fn interned(&mut self, s: &'static str) {
        let known = STRINGS.with_borrow_mut(|t| {
            let key = (s.as_ptr() as usize, s.len());
            match t
                .index
                .binary_search_by(|&(at, len, _)| (at, len).cmp(&key))
            {
                Ok(found) => Some(t.index[found].2),
                Err(at) => {
                    t.index.insert(at, (key.0, key.1, t.texts.len() as u32));
                    t.texts.push(s);
                    None
                }
            }
        });
        if let Some(index) = known {
            self.numbers.push(f64::from(index));
        } else {
            self.numbers.push(NEW);
            self.string(s);
        }
    }

    #[allow(
        clippy::ptr_arg,
        reason = "a borrowed Cow is a static string, which is what is interned"
    )]
    fn text(&mut self, s: &Cow<'static, str>) {
        match s {
            Cow::Borrowed(s) => self.interned(s),
            Cow::Owned(s) => self.literal(s),
        }
    }

    fn flag(&mut self, on: bool) {
        self.numbers.push(if on { 1.0 } else { 0.0 });
    }

    #[allow(
        clippy::cast_precision_loss,
        reason = "counts, offsets and milliseconds stay far below 2^53"
    )]
    fn count(&mut self, n: u64) {
        self.numbers.push(n as f64);
    }

    fn option_count(&mut self, n: Option<u64>) {
        match n {
            Some(n) => self.count(n),
            None => self.numbers.push(-1.0),
        }
    }

    fn pair(&mut self, pair: Option<(u32, u32)>) {
        let (a, b) = pair.map_or((-1.0, -1.0), |(a, b)| (f64::from(a), f64::from(b)));
        self.numbers.push(a);
        self.numbers.push(b);
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        let index = cimd::codes::index(d.registered());
        self.count(index as u64);
        self.count(severity_index(d.severity));
        self.text(&d.message);
        let default_help = cimd::codes::all()[index].help;
        if std::ptr::eq(d.help.as_ptr(), default_help.as_ptr()) || *d.help == *default_help {
            self.numbers.push(DEFAULT_HELP);
        } else {
            self.text(&d.help);
        }
        match &d.pointer {
            Some(pointer) => self.text(pointer),
            None => self.numbers.push(NULL),
        }
        self.pair(d.span.map(|s| (s.start, s.end)));
        self.pair(d.range.map(|r| (r.start.line, r.start.column)));
        self.pair(d.range.map(|r| (r.end.line, r.end.column)));
    }

    fn fetch(&mut self, f: &FetchInfo) {
        self.flag(true);
        self.option_count(f.status.map(u64::from));
        self.option_count(f.bytes);
        self.option_count(f.cache_ttl_s);
        self.option_count(f.elapsed_ms);
        self.option_string(f.content_type.as_deref());
        self.option_string(f.address.as_deref());
    }

    fn portability(&mut self, p: &Portability) {
        self.interned(p.server);
        self.flag(p.accepts);
        self.count(p.because.len() as u64);
        for code in &p.because {
            self.count(code_index(code) as u64);
        }
        self.count(p.notes.len() as u64);
        for note in &p.notes {
            self.text(note);
        }
        self.count(p.loopback.len() as u64);
        for l in &p.loopback {
            // The index in `Ports::ALL`: js/api.js names it.
            self.count(Ports::ALL.iter().position(|&q| q == l.ports).unwrap_or(0) as u64);
        }
    }
}

/// The report the last wire form stands for, as the JSON value the CLI prints: what `js/api.js`
/// (`decodeReport`) builds, written again in Rust for the native and wasm-bindgen tests (which
/// read the numbers from this side; this side's string table is the one the writer keeps).
#[doc(hidden)]
#[allow(
    clippy::cast_sign_loss,
    clippy::cast_possible_truncation,
    clippy::float_cmp,
    reason = "the numbers are small whole numbers (or the negative markers) report_wire wrote"
)]
pub fn decode(wire: &str) -> serde_json::Value {
    use serde_json::{Value, json};
    let strings: Vec<Value> = serde_json::from_str(wire).expect("a wire report is JSON");
    let numbers = last_numbers();
    let mut n = numbers.iter().copied();
    let mut s = strings[2..].iter();
    let all = cimd::codes::all();
    let mut num = || n.next().expect("a number");
    let table = |i: f64| STRINGS.with_borrow(|t| json!(t.texts[i as usize]));
    let mut text = |slot: f64| -> Value {
        if slot >= 0.0 {
            table(slot)
        } else if slot == NULL {
            Value::Null
        } else {
            s.next().expect("a string").clone()
        }
    };
    let opt = |v: f64| {
        if v < 0.0 {
            Value::Null
        } else {
            json!(v as u64)
        }
    };
    let flag = |v: f64| v == 1.0;
    let valid = flag(num());
    let ietf = flag(num());
    let strict = flag(num());
    let url = text(num());
    let (errors, warnings, infos) = (num() as u64, num() as u64, num() as u64);
    let mut diagnostics = Vec::new();
    for _ in 0..num() as usize {
        let code = all[num() as usize];
        let severity = ["error", "warning", "info"][num() as usize];
        let message = text(num());
        let help = match num() {
            slot if slot == DEFAULT_HELP => json!(code.help),
            slot => text(slot),
        };
        let pointer = text(num());
        let span = [num(), num()];
        let range = [num(), num(), num(), num()];
        let position =
            |line: f64, column: f64| json!({ "line": line as u64, "column": column as u64 });
        diagnostics.push(json!({
            "code": code.code,
            "name": code.name,
            "severity": severity,
            "message": message,
            "help": help,
            "spec": code.spec,
            "docs": cimd::report::DocsLink(code.code).to_string(),
            "pointer": pointer,
            "span": (span[0] >= 0.0).then(|| json!({ "start": span[0] as u64, "end": span[1] as u64 })),
            "range": (range[0] >= 0.0).then(|| json!({
                "start": position(range[0], range[1]),
                "end": position(range[2], range[3]),
            })),
        }));
    }
    let fetch = flag(num()).then(|| {
        let (status, bytes, ttl, elapsed) = (opt(num()), opt(num()), opt(num()), opt(num()));
        json!({
            "status": status, "content_type": text(num()), "bytes": bytes,
            "cache_ttl_s": ttl, "elapsed_ms": elapsed, "address": text(num()),
        })
    });
    let uris: Vec<Value> = (0..num() as usize).map(|_| text(num())).collect();
    let mut portability = Vec::new();
    for _ in 0..num() as usize {
        let server = text(num());
        let accepts = flag(num());
        let because: Vec<&str> = (0..num() as usize)
            .map(|_| all[num() as usize].code)
            .collect();
        let notes: Vec<Value> = (0..num() as usize).map(|_| text(num())).collect();
        let loopback: Vec<Value> = (0..num() as usize)
            .map(|k| json!({ "uri": uris[k], "ports": Ports::ALL[num() as usize].as_str() }))
            .collect();
        portability.push(json!({
            "server": server, "accepts": accepts, "because": because, "notes": notes,
            "loopback": loopback,
        }));
    }
    json!({
        "valid": valid,
        "profile": if ietf { "ietf" } else { "mcp" },
        "strict": strict,
        "url": url,
        "summary": { "errors": errors, "warnings": warnings, "infos": infos },
        "diagnostics": diagnostics,
        "document": strings.last().expect("the document"),
        "fetch": fetch,
        "portability": portability,
    })
}

#[cfg(test)]
mod tests {
    use super::{Wire, exact_in_javascript};

    #[test]
    fn strings_are_escaped_as_json_requires() {
        let mut samples: Vec<String> = [
            "",
            "plain ASCII text that is longer than eight bytes",
            "quote \" and backslash \\ and slash /",
            "controls \u{0}\u{1}\n\r\t\u{1f} and DEL \u{7f}",
            "non-ASCII § é → 😀 across word boundaries",
            "\"\"\"\"\"\"\"\"\"",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        samples.extend((0u8..0x80).map(|b| format!("abcdefg{}hijklmnop", char::from(b))));
        for sample in samples {
            let mut w = Wire {
                json: String::new(),
                numbers: Vec::new(),
            };
            w.string(&sample);
            let json = w.json.strip_suffix(',').expect("a slot");
            let back: String = serde_json::from_str(json).expect("valid JSON");
            assert_eq!(back, sample, "{json}");
        }
    }

    #[test]
    fn integers_are_exact_and_floats_are_not() {
        for exact in [
            r#"{"a":1,"b":-20,"c":[0,1234567890123456789]}"#,
            r#"{"s":"1.5e3 and \"2.5\" and \\","t":true,"n":null}"#,
            "{}",
        ] {
            assert!(exact_in_javascript(exact.as_bytes()), "{exact}");
        }
        for inexact in [
            r#"{"a":1.5}"#,
            r#"{"a":1e3}"#,
            r#"{"a":-2E-7}"#,
            r#"{"a":12345678901234567890}"#,
            r#"{"a":"unterminated"#,
        ] {
            assert!(!exact_in_javascript(inexact.as_bytes()), "{inexact}");
        }
    }
}
