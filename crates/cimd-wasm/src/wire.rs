//! The report on its way to JavaScript: a compact JSON array that `js/api.js` (`decodeReport`)
//! turns into exactly the object `cimd validate --format json` prints. What a diagnostic takes from
//! the code registry (name, spec, docs link, the default help) is not sent: the JavaScript side has
//! the registry (`codes()`), and a code travels as its index there. The document travels as the
//! JSON text the core kept (the source itself, when it parsed cleanly), so it is not parsed again
//! here; `JSON.parse` reads it with the rest.
//!
//! Most messages, pointers and notes are the core's static strings: each crosses once. The first
//! time one is sent it is defined (`["text"]`) and both sides append it to their string table; after
//! that it travels as its index there. A string made for this report travels as itself. The last
//! slot is the table's length after the report, which the JavaScript side checks (a mismatch resets
//! both tables and throws, rather than returning a wrong string).
//!
//! ```text
//! [valid, profile, strict, url, errors, warnings, infos,
//!  [code, severity, message, help|null, pointer|null, span.start, span.end,
//!   range.start.line, range.start.column, range.end.line, range.end.column, ...],   // -1: no span/range
//!  document|null,
//!  [status, content_type, bytes, cache_ttl_s, elapsed_ms, address]|null,
//!  [server, accepts, [code, ...], [note, ...], ...],
//!  strings]
//! ```
//! Booleans are 0/1, profile 0 (mcp) or 1 (ietf), severity 0 (error), 1 (warning) or 2 (info); a
//! message, help, pointer, server or note is a string, `[string]` (defined) or a table index.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use cimd::report::{Diagnostic, FetchInfo, Portability};
use cimd::{Profile, Report, Severity};

/// The static strings sent so far, by address and length, and in the order they were defined.
#[derive(Default)]
struct Strings {
    index: HashMap<(usize, usize), u32, BuildHasherDefault<AddressHasher>>,
    texts: Vec<&'static str>,
}

thread_local! {
    static STRINGS: RefCell<Strings> = RefCell::new(Strings::default());
}

/// Forgets every string sent (the JavaScript side found its table out of step and cleared its own).
pub(crate) fn reset_strings() {
    STRINGS.with_borrow_mut(|t| *t = Strings::default());
}

/// A multiplicative hash for the (address, length) keys: cheaper than SipHash, and the keys are
/// not chosen by anyone.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// The wire form of a report.
pub fn report_wire(report: &Report) -> String {
    let document = report.document.as_ref().map(cimd::Document::json);
    let mut w = Wire(String::with_capacity(
        384 + 224 * report.diagnostics.len() + document.map_or(0, str::len),
    ));
    w.0.push('[');
    w.flag(report.valid);
    w.flag(report.profile == Profile::Ietf);
    w.flag(report.strict);
    w.option_str(report.url.as_deref());
    w.uint(report.summary.errors.into());
    w.uint(report.summary.warnings.into());
    w.uint(report.summary.infos.into());
    w.list(&report.diagnostics, Wire::diagnostic);
    match document {
        Some(json) if exact_in_javascript(json.as_bytes()) => w.raw(json),
        // A number that serde_json reads differently from JSON.parse (best-effort float parsing,
        // integers beyond u64): send serde_json's value, exactly what the CLI prints.
        Some(_) => {
            let value = report.document.as_ref().map(cimd::Document::value);
            w.raw(&serde_json::to_string(&value).expect("a JSON value serializes"));
        }
        None => w.raw("null"),
    }
    match &report.fetch {
        Some(fetch) => w.fetch(fetch),
        None => w.raw("null"),
    }
    w.list(&report.portability, Wire::portability);
    w.uint(STRINGS.with_borrow(|t| t.texts.len() as u64));
    w.0.pop();
    w.0.push(']');
    w.0
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

/// The JSON being written: every slot ends with a `,` (the last one is replaced by the closing
/// bracket). Strings are escaped by hand (only what JSON requires: `"`, `\\`, control characters);
/// `JSON.parse` reads any valid escaping the same.
struct Wire(String);

impl Wire {
    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
        self.0.push(',');
    }

    fn string(&mut self, s: &str) {
        let out = &mut self.0;
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

    /// A static string: its table index, or its definition the first time.
    fn interned(&mut self, s: &'static str) {
        let known = STRINGS.with_borrow_mut(|t| {
            let key = (s.as_ptr() as usize, s.len());
            if let Some(&index) = t.index.get(&key) {
                return Some(index);
            }
            t.index.insert(key, t.texts.len() as u32);
            t.texts.push(s);
            None
        });
        if let Some(index) = known {
            self.uint(index.into());
        } else {
            self.0.push('[');
            self.string(s);
            self.0.pop();
            self.0.push_str("],");
        }
    }

    #[allow(
        clippy::ptr_arg,
        reason = "a borrowed Cow is a static string, which is what is interned"
    )]
    fn text(&mut self, s: &Cow<'static, str>) {
        match s {
            Cow::Borrowed(s) => self.interned(s),
            Cow::Owned(s) => self.string(s),
        }
    }

    fn flag(&mut self, on: bool) {
        self.raw(if on { "1" } else { "0" });
    }

    fn uint(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.0
            .push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
        self.0.push(',');
    }

    fn option_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.raw("null"),
        }
    }

    fn option_uint(&mut self, n: Option<u64>) {
        match n {
            Some(n) => self.uint(n),
            None => self.raw("null"),
        }
    }

    /// `[...]` of each item's slots.
    fn list<T>(&mut self, items: impl IntoIterator<Item = T>, mut each: impl FnMut(&mut Self, T)) {
        self.0.push('[');
        let mark = self.0.len();
        for item in items {
            each(self, item);
        }
        if self.0.len() == mark {
            self.0.push(']');
        } else {
            self.0.pop();
            self.0.push(']');
        }
        self.0.push(',');
    }

    fn pair(&mut self, pair: Option<(u32, u32)>) {
        match pair {
            Some((a, b)) => {
                self.uint(a.into());
                self.uint(b.into());
            }
            None => self.raw("-1,-1"),
        }
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        let index = code_index(d.code);
        self.uint(index as u64);
        self.uint(severity_index(d.severity));
        self.text(&d.message);
        let default_help = cimd::codes::all()[index].help;
        if std::ptr::eq(d.help.as_ptr(), default_help.as_ptr()) || *d.help == *default_help {
            self.raw("null");
        } else {
            self.text(&d.help);
        }
        match &d.pointer {
            Some(pointer) => self.text(pointer),
            None => self.raw("null"),
        }
        self.pair(d.span.map(|s| (s.start, s.end)));
        self.pair(d.range.map(|r| (r.start.line, r.start.column)));
        self.pair(d.range.map(|r| (r.end.line, r.end.column)));
    }

    fn fetch(&mut self, f: &FetchInfo) {
        self.0.push('[');
        self.option_uint(f.status.map(u64::from));
        self.option_str(f.content_type.as_deref());
        self.option_uint(f.bytes);
        self.option_uint(f.cache_ttl_s);
        self.option_uint(f.elapsed_ms);
        self.option_str(f.address.as_deref());
        self.0.pop();
        self.0.push_str("],");
    }

    fn portability(&mut self, p: &Portability) {
        self.interned(p.server);
        self.flag(p.accepts);
        self.list(p.because.iter(), |w, code| w.uint(code_index(code) as u64));
        self.list(p.notes.iter(), Wire::text);
    }
}

/// The report a wire form stands for, as the JSON value the CLI prints: what `js/api.js`
/// (`decodeReport`) builds, written again in Rust for the native and wasm-bindgen tests.
#[doc(hidden)]
pub fn decode(wire: &str) -> serde_json::Value {
    use serde_json::{Value, json};
    let w: Vec<Value> = serde_json::from_str(wire).expect("a wire report is JSON");
    let all = cimd::codes::all();
    // This side's table is the one the writer keeps: a definition is already in it.
    let text = |v: &Value| -> Value {
        match v {
            Value::Number(n) => STRINGS.with_borrow(|t| {
                json!(t.texts[usize::try_from(n.as_u64().expect("an index")).expect("an index")])
            }),
            Value::Array(defined) => defined[0].clone(),
            other => other.clone(),
        }
    };
    let flag = |v: &Value| v.as_u64() == Some(1);
    let pair = |a: &Value, b: &Value, x: &str, y: &str| {
        (a.as_i64() != Some(-1)).then(|| json!({ x: a, y: b }))
    };
    let diagnostics: Vec<Value> = w[7]
        .as_array()
        .expect("diagnostics")
        .chunks(11)
        .map(|d| {
            let code = all[d[0].as_u64().expect("a code index") as usize];
            let start = pair(&d[7], &d[8], "line", "column");
            let end = pair(&d[9], &d[10], "line", "column");
            let severity =
                ["error", "warning", "info"][d[1].as_u64().expect("a severity") as usize];
            json!({
                "code": code.code,
                "name": code.name,
                "severity": severity,
                "message": text(&d[2]),
                "help": if d[3].is_null() { json!(code.help) } else { text(&d[3]) },
                "spec": code.spec,
                "docs": format!("docs/codes.md#{}", code.code.to_ascii_lowercase()),
                "pointer": text(&d[4]),
                "span": pair(&d[5], &d[6], "start", "end"),
                "range": start.map(|s| json!({ "start": s, "end": end })),
            })
        })
        .collect();
    let fetch = w[9].as_array().map(|f| {
        json!({
            "status": f[0], "content_type": f[1], "bytes": f[2],
            "cache_ttl_s": f[3], "elapsed_ms": f[4], "address": f[5],
        })
    });
    let portability: Vec<Value> = w[10]
        .as_array()
        .expect("portability")
        .chunks(4)
        .map(|p| {
            let because: Vec<&str> = p[2]
                .as_array()
                .expect("codes")
                .iter()
                .map(|i| all[i.as_u64().expect("a code index") as usize].code)
                .collect();
            let notes: Vec<Value> = p[3].as_array().expect("notes").iter().map(text).collect();
            json!({ "server": text(&p[0]), "accepts": flag(&p[1]), "because": because, "notes": notes })
        })
        .collect();
    json!({
        "valid": flag(&w[0]),
        "profile": if flag(&w[1]) { "ietf" } else { "mcp" },
        "strict": flag(&w[2]),
        "url": w[3],
        "summary": { "errors": w[4], "warnings": w[5], "infos": w[6] },
        "diagnostics": diagnostics,
        "document": w[8],
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
            let mut w = Wire(String::new());
            w.string(&sample);
            let json = w.0.strip_suffix(',').expect("a slot");
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
