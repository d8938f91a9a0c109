//! # cimd-wasm: the core behind a wasm-bindgen boundary (the npm package `cimd`)
//!
//! No logic of its own: every function here turns its arguments into the core's types, calls the
//! core, and returns the result as JSON text, which the package's JavaScript (`js/api.js`) hands to
//! `JSON.parse`. Strings cross the boundary once each way. Reports travel in a compact form
//! (`wire.rs`) that `js/api.js` turns into exactly what `cimd validate --format json` prints
//! (DESIGN.md, "The report").
//!
//! The functions are plain Rust (`Result<String, String>`) so that they run and are tested natively;
//! the `#[wasm_bindgen]` wrappers only turn an `Err` into a thrown JavaScript `Error`. Argument types
//! and option names are checked by `js/api.js` before anything reaches wasm, and again here where
//! the JavaScript side passes JSON (serde names the field that is wrong).

use cimd::fetch::{FetchError, FetchedDocument};
use cimd::{MatchPolicy, Options, Profile, Report};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

mod report_in;
mod wire;

pub use wire::{code_index, decode, report_wire};

/// The options every validating function takes, as separate arguments (cheapest to pass).
fn options(url: Option<String>, ietf: bool, strict: bool, max_bytes: u32) -> Options {
    Options {
        url,
        profile: if ietf { Profile::Ietf } else { Profile::Mcp },
        strict,
        max_bytes: max_bytes as usize,
    }
}

#[allow(clippy::needless_pass_by_value, reason = "used as `map_err(throw)`")]
fn throw(message: String) -> JsError {
    JsError::new(&message)
}

/// `cimd.validate(text)` for a JavaScript string: the report as JSON.
#[wasm_bindgen(js_name = validateText)]
pub fn validate_text(
    text: &str,
    url: Option<String>,
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> String {
    report_wire(&cimd::validate(
        text,
        &options(url, ietf, strict, max_bytes),
    ))
}

/// `cimd.validate(bytes)` for a `Uint8Array` (bytes that may not be UTF-8): the report as JSON.
#[wasm_bindgen(js_name = validateBytes)]
pub fn validate_bytes(
    bytes: &[u8],
    url: Option<String>,
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> String {
    report_wire(&cimd::validate_bytes(
        bytes,
        &options(url, ietf, strict, max_bytes),
    ))
}

/// A response the host fetched, without its body (`cimd.validateFetched`; `cimd::FetchedDocument`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Response {
    url: String,
    status: u16,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default)]
    truncated: bool,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    elapsed_ms: Option<u64>,
    #[serde(default)]
    allow_loopback: bool,
    #[serde(default)]
    received_unix_s: Option<u64>,
}

/// Checks a response the host fetched: `response` is the JSON of [`Response`], `body` its bytes.
pub fn validate_fetched_json(
    response: &str,
    body: &[u8],
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> Result<String, String> {
    let r: Response =
        serde_json::from_str(response).map_err(|e| format!("the response is malformed: {e}"))?;
    let address = match &r.address {
        Some(a) => Some(
            a.parse()
                .map_err(|_| format!("response.address `{a}` is not an IP address"))?,
        ),
        None => None,
    };
    let fetched = FetchedDocument {
        url: r.url,
        status: r.status,
        headers: r.headers,
        body: body.to_vec(),
        truncated: r.truncated,
        address,
        elapsed_ms: r.elapsed_ms,
        allow_loopback: r.allow_loopback,
        received_unix_s: r.received_unix_s,
    };
    let report = cimd::fetch::validate_fetched(&fetched, &options(None, ietf, strict, max_bytes));
    Ok(report_wire(&report))
}

#[wasm_bindgen(js_name = validateFetched)]
pub fn validate_fetched(
    response: &str,
    body: &[u8],
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> Result<String, JsError> {
    validate_fetched_json(response, body, ietf, strict, max_bytes).map_err(throw)
}

/// A fetch that produced no response (`cimd.fetchFailure`; `cimd::fetch::FetchError`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Failure {
    kind: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    after_ms: Option<u64>,
}

/// How a failure that carries only a message becomes a `FetchError`.
type WithMessage = fn(String) -> FetchError;

/// The failure kinds that carry only a message, with the error each one is.
const MESSAGE_KINDS: [(&str, WithMessage); 5] = [
    ("resolve", FetchError::Resolve),
    ("connect", FetchError::Connect),
    ("tls", FetchError::Tls),
    ("refused", FetchError::Refused),
    ("other", FetchError::Other),
];

/// The report for a fetch of `url` that failed: `failure` is the JSON of [`Failure`].
pub fn fetch_failure_json(
    url: &str,
    failure: &str,
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> Result<String, String> {
    let f: Failure =
        serde_json::from_str(failure).map_err(|e| format!("the failure is malformed: {e}"))?;
    let error = match f.kind.as_str() {
        "timeout" => FetchError::Timeout {
            after_ms: f.after_ms.ok_or("a timeout failure needs `afterMs`")?,
        },
        "special_use_address" => {
            let address = f
                .address
                .as_deref()
                .ok_or("a special_use_address failure needs `address`")?;
            FetchError::SpecialUseAddress {
                host: cimd::uri::Uri::split(url)
                    .host()
                    .unwrap_or_default()
                    .to_owned(),
                address: address
                    .parse()
                    .map_err(|_| format!("failure.address `{address}` is not an IP address"))?,
            }
        }
        kind => {
            let (_, error) = MESSAGE_KINDS
                .iter()
                .find(|(name, _)| *name == kind)
                .ok_or_else(|| {
                    format!(
                        "unknown failure kind `{kind}` (expected timeout, special_use_address, \
                         resolve, connect, tls, refused or other)"
                    )
                })?;
            error(f.message.unwrap_or_default())
        }
    };
    let report = cimd::fetch::failure_report(url, &error, &options(None, ietf, strict, max_bytes));
    Ok(report_wire(&report))
}

#[wasm_bindgen(js_name = fetchFailure)]
pub fn fetch_failure(
    url: &str,
    failure: &str,
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> Result<String, JsError> {
    fetch_failure_json(url, failure, ietf, strict, max_bytes).map_err(throw)
}

/// Before fetching `url`: `None` when it may be fetched, else the report saying why not
/// (`cimd::fetch::check_fetch_url`: https only, a host, no userinfo, no special-use IP literal).
#[wasm_bindgen(js_name = refusal)]
pub fn refusal(
    url: &str,
    allow_loopback: bool,
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> Option<String> {
    let error = cimd::fetch::check_fetch_url(url, allow_loopback).err()?;
    let report = cimd::fetch::failure_report(url, &error, &options(None, ietf, strict, max_bytes));
    Some(report_wire(&report))
}

/// `cimd.create` options, as the JavaScript API names them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateIn {
    name: String,
    redirect_uris: Vec<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    client_uri: Option<String>,
    #[serde(default)]
    logo_uri: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    compact: bool,
    #[serde(default)]
    profile: Option<String>,
}

/// Builds a document (`cimd::create`): `options` is the JSON of the JavaScript options; returns
/// `{"document": text, "report": ..., "placeholder": bool}`.
pub fn create_json(options: &str) -> Result<String, String> {
    let o: CreateIn = serde_json::from_str(options).map_err(|e| format!("options: {e}"))?;
    let profile = match o.profile.as_deref() {
        None => Profile::Mcp,
        Some(p) => p.parse()?,
    };
    let created = cimd::create(&cimd::CreateOptions {
        name: o.name,
        redirect_uris: o.redirect_uris,
        client_id: o.client_id,
        client_uri: o.client_uri,
        logo_uri: o.logo_uri,
        scope: o.scope,
        compact: o.compact,
        profile,
    });
    let mut out = String::with_capacity(created.document.len() * 3 + 2048);
    out.push_str("{\"document\":");
    out.push_str(&serde_json::to_string(&created.document).expect("a string serializes"));
    out.push_str(",\"report\":");
    out.push_str(&report_wire(&created.report));
    out.push_str(",\"placeholder\":");
    out.push_str(if created.placeholder { "true" } else { "false" });
    out.push('}');
    Ok(out)
}

#[wasm_bindgen(js_name = create)]
pub fn create(options: &str) -> Result<String, JsError> {
    create_json(options).map_err(throw)
}

/// Matches `requested` against `registered` (a JSON array of strings) under `policy`
/// (`cimd::match_redirect`); the `MatchResult` as JSON.
pub fn match_redirect_json(
    registered: &str,
    requested: &str,
    policy: &str,
) -> Result<String, String> {
    let registered: Vec<String> = serde_json::from_str(registered)
        .map_err(|e| format!("registered must be an array of strings: {e}"))?;
    let policy: MatchPolicy = policy.parse().map_err(|e| format!("{e}"))?;
    let refs: Vec<&str> = registered.iter().map(String::as_str).collect();
    let result = cimd::match_redirect(&refs, requested, policy);
    Ok(serde_json::to_string(&result).expect("a match result serializes"))
}

#[wasm_bindgen(js_name = matchRedirect)]
pub fn match_redirect(registered: &str, requested: &str, policy: &str) -> Result<String, JsError> {
    match_redirect_json(registered, requested, policy).map_err(throw)
}

/// Renders a report as the CLI's text (`cimd::render`): `report` is its JSON, `text` the source
/// the spans point into.
pub fn render_text(
    report: &str,
    text: Option<&str>,
    color: bool,
    path: Option<String>,
    diagnostics_only: bool,
) -> Result<String, String> {
    let report: Report = report_in::parse(report)?;
    let options = cimd::RenderOptions {
        color,
        path,
        diagnostics_only,
    };
    Ok(cimd::render(&report, text, &options))
}

#[wasm_bindgen(js_name = render)]
#[allow(
    clippy::needless_pass_by_value,
    reason = "wasm-bindgen takes an optional string argument as Option<String>"
)]
pub fn render(
    report: &str,
    text: Option<String>,
    color: bool,
    path: Option<String>,
    diagnostics_only: bool,
) -> Result<String, JsError> {
    render_text(report, text.as_deref(), color, path, diagnostics_only).map_err(throw)
}

/// The Markdown documentation of a code, by number or name (`cimd::explain`).
#[wasm_bindgen(js_name = explain)]
pub fn explain(code: &str) -> Option<String> {
    cimd::explain(code)
}

/// Every registered code as JSON (what `cimd codes --format json` prints).
#[wasm_bindgen(js_name = codes)]
pub fn codes() -> String {
    serde_json::to_string(cimd::codes::all()).expect("codes serialize")
}

#[cfg(test)]
mod tests;
