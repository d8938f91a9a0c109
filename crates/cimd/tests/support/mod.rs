//! The conformance corpus (`tests/conformance/cases/*.json` at the repository root), read and run
//! natively. Shared by `conformance.rs` (the verdicts) and `snapshots.rs` (the rendered text).
//!
//! A case is pure data so that the same files run natively, in wasm under Node, through the Worker
//! and in the browser:
//!
//! ```jsonc
//! {"name": "kebab-name", "description": "what it probes, and the rule or decision",
//!  "url": "https://... or null",
//!  "document": "raw text, exactly as served",     // or "document_base64" for bytes that are not UTF-8
//!  "profile": "mcp" | "ietf", "strict": false, "max_bytes": 5120,        // optional
//!  "response": {"status": 200, "headers": [["content-type", "application/json"]], "truncated": false,
//!               "address": "93.184.216.34", "elapsed_ms": 12,
//!               "allow_loopback": false, "received_unix_s": 784111777},  // optional: a fetched body
//!  "failure": {"kind": "timeout" | "resolve" | "connect" | "tls" | "special_use_address" | "refused" | "other",
//!              "message": "...", "address": "10.0.0.1", "after_ms": 10000},  // optional: no response
//!  "compare": "the file's text",  // optional, with `response`: a drift check of the file against it
//!  "expect": {"valid": true, "codes": ["CIMD107"]}}   // the exact sorted list of distinct codes
//! ```

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses part of this module"
)]
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    reason = "the tests read the corpus files"
)]

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use cimd::fetch::{FetchError, FetchedDocument};
use cimd::{Options, Profile, Report};
use serde::Deserialize;

/// The corpus folder: `tests/conformance` at the repository root.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    pub description: String,
    pub url: Option<String>,
    #[serde(default)]
    pub document: Option<String>,
    /// The document's bytes, base64 (standard alphabet), when they are not UTF-8.
    #[serde(default)]
    pub document_base64: Option<String>,
    #[serde(default)]
    pub profile: Option<String>,
    #[serde(default)]
    pub strict: bool,
    #[serde(default)]
    pub max_bytes: Option<usize>,
    #[serde(default)]
    pub response: Option<Response>,
    #[serde(default)]
    pub failure: Option<Failure>,
    /// A drift check: this file's text against the live `response` (`cimd::drift::compare`).
    #[serde(default)]
    pub compare: Option<String>,
    pub expect: Expect,
    /// The file the case comes from (not in the JSON).
    #[serde(skip)]
    pub file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub status: u16,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub truncated: bool,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub elapsed_ms: Option<u64>,
    /// The host relaxed the policy to allow loopback (`--allow-loopback`, testing only).
    #[serde(default)]
    pub allow_loopback: bool,
    /// When the response was received (Unix seconds), for `Expires` without `Date`.
    #[serde(default)]
    pub received_unix_s: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    pub kind: String,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub after_ms: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub valid: bool,
    pub codes: Vec<String>,
}

/// Every case of every `cases/*.json` file, in file-name order then file order.
pub fn load() -> Vec<Case> {
    let dir = corpus_dir().join("cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut cases = Vec::new();
    for path in paths {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut these: Vec<Case> = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{file} is not a JSON array of cases: {e}"));
        for case in &mut these {
            case.file.clone_from(&file);
        }
        cases.extend(these);
    }
    cases
}

/// The case called `name` (panics if there is none).
pub fn find<'a>(cases: &'a [Case], name: &str) -> &'a Case {
    cases
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no conformance case named `{name}`"))
}

impl Case {
    /// Whether the case is well formed beyond what the types say.
    pub fn check_shape(&self) -> Result<(), String> {
        let kebab = !self.name.is_empty()
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !self.name.starts_with('-')
            && !self.name.ends_with('-');
        if !kebab {
            return Err("the name is not kebab-case".into());
        }
        if self.description.trim().is_empty() {
            return Err("the description is empty".into());
        }
        let documents =
            usize::from(self.document.is_some()) + usize::from(self.document_base64.is_some());
        match (&self.failure, documents) {
            (Some(_), 0) | (None, 1) => {}
            (Some(_), _) => return Err("a failure case has no document".into()),
            (None, _) => {
                return Err("exactly one of `document` and `document_base64` is needed".into());
            }
        }
        if self.failure.is_some() && self.response.is_some() {
            return Err("`response` and `failure` exclude each other".into());
        }
        if (self.failure.is_some() || self.response.is_some()) && self.url.is_none() {
            return Err("a fetch (`response` or `failure`) needs the `url` it fetched".into());
        }
        if self.compare.is_some() && self.response.is_none() {
            return Err("`compare` needs the live `response` it is compared with".into());
        }
        if let Some(profile) = &self.profile {
            profile.parse::<Profile>()?;
        }
        let mut sorted = self.expect.codes.clone();
        sorted.sort();
        sorted.dedup();
        if sorted != self.expect.codes {
            return Err("`expect.codes` is not sorted and distinct".into());
        }
        if let Some(b64) = &self.document_base64 {
            base64_decode(b64)?;
        }
        if let Some(failure) = &self.failure {
            self.fetch_error(failure)?;
        }
        if let Some(address) = self.response.as_ref().and_then(|r| r.address.as_ref()) {
            address
                .parse::<IpAddr>()
                .map_err(|e| format!("response.address `{address}`: {e}"))?;
        }
        Ok(())
    }

    pub fn options(&self) -> Options {
        Options {
            url: self.url.clone(),
            profile: self
                .profile
                .as_deref()
                .map_or(Profile::Mcp, |p| p.parse().expect("checked by check_shape")),
            strict: self.strict,
            max_bytes: self.max_bytes.unwrap_or(cimd::DEFAULT_MAX_BYTES),
        }
    }

    /// The document's bytes (empty for a failure).
    pub fn bytes(&self) -> Vec<u8> {
        match (&self.document, &self.document_base64) {
            (Some(text), _) => text.as_bytes().to_vec(),
            (None, Some(b64)) => base64_decode(b64).expect("checked by check_shape"),
            (None, None) => Vec::new(),
        }
    }

    /// The text the report's spans point into, when the bytes are UTF-8.
    pub fn text(&self) -> Option<String> {
        if self.failure.is_some() {
            return None;
        }
        String::from_utf8(self.bytes()).ok()
    }

    fn fetch_error(&self, failure: &Failure) -> Result<FetchError, String> {
        let message = || failure.message.clone().unwrap_or_default();
        Ok(match failure.kind.as_str() {
            "timeout" => FetchError::Timeout {
                after_ms: failure.after_ms.ok_or("a timeout needs `after_ms`")?,
            },
            "resolve" => FetchError::Resolve(message()),
            "connect" => FetchError::Connect(message()),
            "tls" => FetchError::Tls(message()),
            "refused" => FetchError::Refused(message()),
            "other" => FetchError::Other(message()),
            "special_use_address" => {
                let url = self.url.as_deref().unwrap_or_default();
                let host = cimd::uri::Uri::split(url)
                    .host()
                    .unwrap_or_default()
                    .to_owned();
                let address = failure
                    .address
                    .as_deref()
                    .ok_or("a special_use_address failure needs `address`")?;
                FetchError::SpecialUseAddress {
                    host,
                    address: address
                        .parse()
                        .map_err(|e| format!("failure.address `{address}`: {e}"))?,
                }
            }
            other => return Err(format!("unknown failure kind `{other}`")),
        })
    }

    /// Runs the case the way a host would: `validate_bytes` for a document, `validate_fetched` for a
    /// response (`drift::compare` when the case compares a file with it), `failure_report` for a
    /// fetch that produced none.
    pub fn run(&self) -> Report {
        let options = self.options();
        let url = self.url.clone().unwrap_or_default();
        if let Some(failure) = &self.failure {
            let error = self.fetch_error(failure).expect("checked by check_shape");
            return cimd::fetch::failure_report(&url, &error, &options);
        }
        let bytes = self.bytes();
        if let Some(r) = &self.response {
            let fetched = FetchedDocument {
                url,
                status: r.status,
                headers: r.headers.clone(),
                body: bytes,
                truncated: r.truncated,
                address: r
                    .address
                    .as_deref()
                    .map(|a| a.parse().expect("checked by check_shape")),
                elapsed_ms: r.elapsed_ms,
                allow_loopback: r.allow_loopback,
                received_unix_s: r.received_unix_s,
            };
            if let Some(file) = &self.compare {
                return cimd::drift::compare(file.as_bytes(), &fetched, &options);
            }
            return cimd::fetch::validate_fetched(&fetched, &options);
        }
        match &self.document {
            Some(text) => cimd::validate(text, &options),
            None => cimd::validate_bytes(&bytes, &options),
        }
    }
}

/// The distinct codes of a report, sorted.
pub fn codes(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| d.code().to_owned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// `tests/conformance/xfail.txt`: `case-name  # reason`, one a line; `#` starts a comment line.
pub fn xfail() -> Vec<(String, String)> {
    let path = corpus_dir().join("xfail.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (name, reason) = line.split_once('#').unwrap_or((line, ""));
            (name.trim().to_owned(), reason.trim().to_owned())
        })
        .collect()
}

/// Standard base64 (RFC 4648 §4) with optional padding; whitespace is not allowed.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let value = |c: u8| -> Result<u32, String> {
        Ok(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("`{}` is not a base64 character", c as char)),
        }))
    };
    let data = text.trim_end_matches('=').as_bytes();
    if data.len() % 4 == 1 {
        return Err("truncated base64".into());
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for chunk in data.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Ok(out)
}
