//! # cimd-wasm: the core behind a wasm-bindgen boundary (the npm package `cimd`)
//!
//! No logic of its own: every function here turns its arguments into the core's types, calls the
//! core, and returns the result as JSON text, which the package's JavaScript (`js/api.js`) hands to
//! `JSON.parse`. Strings cross the boundary once each way. Reports travel in a compact form
//! (`wire.rs`) that `js/api.js` turns into exactly what `cimd validate --format json` prints
//! (docs/cli.md, docs/npm.md).
//!
//! The functions are plain Rust (`Result<String, String>`) so that they run and are tested natively;
//! the `#[wasm_bindgen]` wrappers only turn an `Err` into a thrown JavaScript `Error`. Argument types
//! and option names are checked by `js/api.js` before anything reaches wasm, and again here where
//! the JavaScript side passes JSON (serde names the field that is wrong).

use args::Object;
use cimd::fetch::{FetchError, FetchedDocument};
use cimd::{MatchPolicy, Options, Profile, Report};
use serde_json::Value;
use wasm_bindgen::prelude::*;

mod args;
mod report_in;
mod wire;

pub use wire::{code_index, decode, report_wire};

// Talc instead of the default dlmalloc: made for wasm, ~2.3 KB smaller in the gzipped web `.wasm`
// and no slower in `npm run bench:wasm`. Single-threaded wasm only, as the package's builds are.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Forgets the strings reports have defined (`js/api.js` calls it when its table is out of step).
#[wasm_bindgen(js_name = resetStrings)]
pub fn reset_strings() {
    wire::reset_strings();
}

/// The options every validating function takes, as separate arguments (cheapest to pass).
fn options(url: Option<String>, ietf: bool, strict: bool, max_bytes: u32) -> Options {
    Options {
        url,
        profile: if ietf { Profile::Ietf } else { Profile::Mcp },
        strict,
        max_bytes: max_bytes as usize,
    }
}

/// The value of JSON text as serde_json reads it, or `None` when it is not JSON: through the core's
/// parser (`cimd::json::Parsed::value`), so serde_json's deserializer stays out of the web `.wasm`.
pub(crate) fn json_value(text: &str) -> Option<Value> {
    cimd::json::parse_str(text).value()
}

/// JSON text of a value that always serializes (no map with non-string keys, no I/O). Not
/// `expect`: its message would link `serde_json::Error`'s `Debug`, about 1.5 KB of the gzipped web
/// `.wasm` with the error texts it formats (`args::parse` does not format them either).
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| unreachable!("a value that always serializes"))
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

/// Checks a response the host fetched: `response` is the JSON of `{url, status, headers?,
/// truncated?, address?, elapsedMs?, allowLoopback?, receivedUnixS?}` (`cimd::FetchedDocument`
/// without its body), `body` the bytes read.
pub fn validate_fetched_json(
    response: &str,
    body: &[u8],
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> Result<String, String> {
    compare_fetched_json(response, body, None, ietf, strict, max_bytes)
}

/// As [`validate_fetched_json`]; with `compare` (a file's bytes), the drift check of that file
/// against the response (`cimd::drift::compare`).
pub fn compare_fetched_json(
    response: &str,
    body: &[u8],
    compare: Option<&[u8]>,
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> Result<String, String> {
    let fetched = fetched_of(response, body)?;
    let options = options(None, ietf, strict, max_bytes);
    let report = match compare {
        Some(file) => cimd::drift::compare(file, &fetched, &options),
        None => cimd::fetch::validate_fetched(&fetched, &options),
    };
    Ok(report_wire(&report))
}

fn fetched_of(response: &str, body: &[u8]) -> Result<FetchedDocument, String> {
    let value = args::parse(response, "response")?;
    let r = Object::new(
        &value,
        "response",
        &[
            "url",
            "status",
            "headers",
            "truncated",
            "address",
            "elapsedMs",
            "allowLoopback",
            "receivedUnixS",
        ],
    )?;
    let status = r.required("status", r.uint("status")?)?;
    let headers = match r.array("headers")? {
        None => Vec::new(),
        Some(pairs) => pairs
            .iter()
            .map(|pair| match pair.as_array().map(Vec::as_slice) {
                Some([Value::String(name), Value::String(value)]) => {
                    Ok((name.clone(), value.clone()))
                }
                _ => Err("response.headers must be [name, value] pairs of strings".to_owned()),
            })
            .collect::<Result<_, _>>()?,
    };
    let address = match r.string("address")? {
        Some(a) => Some(
            a.parse()
                .map_err(|_| format!("response.address `{a}` is not an IP address"))?,
        ),
        None => None,
    };
    Ok(FetchedDocument {
        url: r.required("url", r.string("url")?)?,
        status: u16::try_from(status)
            .map_err(|_| format!("response.status {status} is not an HTTP status"))?,
        headers,
        body: body.to_vec(),
        truncated: r.flag("truncated")?,
        address,
        elapsed_ms: r.uint("elapsedMs")?,
        allow_loopback: r.flag("allowLoopback")?,
        received_unix_s: r.uint("receivedUnixS")?,
    })
}

/// `compare`: a file's bytes to check against the response for drift (none: the response alone).
#[allow(
    clippy::needless_pass_by_value,
    reason = "wasm-bindgen hands an optional byte array over owned"
)]
#[wasm_bindgen(js_name = validateFetched)]
pub fn validate_fetched(
    response: &str,
    body: &[u8],
    ietf: bool,
    strict: bool,
    max_bytes: u32,
    compare: Option<Vec<u8>>,
) -> Result<String, JsError> {
    compare_fetched_json(response, body, compare.as_deref(), ietf, strict, max_bytes).map_err(throw)
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

/// The report for a fetch of `url` that failed: `failure` is the JSON of `{kind, message?,
/// address?, afterMs?}` (`cimd::fetch::FetchError`).
pub fn fetch_failure_json(
    url: &str,
    failure: &str,
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> Result<String, String> {
    compare_failure_json(url, failure, None, ietf, strict, max_bytes)
}

/// As [`fetch_failure_json`]; with `compare` (a file's bytes), that file's report beside the
/// failure (`cimd::drift::compare_failure`).
pub fn compare_failure_json(
    url: &str,
    failure: &str,
    compare: Option<&[u8]>,
    ietf: bool,
    strict: bool,
    max_bytes: u32,
) -> Result<String, String> {
    let value = args::parse(failure, "failure")?;
    let f = Object::new(
        &value,
        "failure",
        &["kind", "message", "address", "afterMs"],
    )?;
    let kind = f.required("kind", f.string("kind")?)?;
    let error = match kind.as_str() {
        "timeout" => FetchError::Timeout {
            after_ms: f
                .uint("afterMs")?
                .ok_or("a timeout failure needs `afterMs`")?,
        },
        "special_use_address" => {
            let address = f
                .string("address")?
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
            error(f.string("message")?.unwrap_or_default())
        }
    };
    Ok(failure_wire(
        url,
        &error,
        compare,
        &options(None, ietf, strict, max_bytes),
    ))
}

fn failure_wire(
    url: &str,
    error: &FetchError,
    compare: Option<&[u8]>,
    options: &Options,
) -> String {
    report_wire(&match compare {
        Some(file) => cimd::drift::compare_failure(file, url, error, options),
        None => cimd::fetch::failure_report(url, error, options),
    })
}

#[allow(
    clippy::needless_pass_by_value,
    reason = "wasm-bindgen hands an optional byte array over owned"
)]
#[wasm_bindgen(js_name = fetchFailure)]
pub fn fetch_failure(
    url: &str,
    failure: &str,
    ietf: bool,
    strict: bool,
    max_bytes: u32,
    compare: Option<Vec<u8>>,
) -> Result<String, JsError> {
    compare_failure_json(url, failure, compare.as_deref(), ietf, strict, max_bytes).map_err(throw)
}

/// Before fetching `url`: `None` when it may be fetched, else the report saying why not
/// (`cimd::fetch::check_fetch_url`: https only, a host, no userinfo, no special-use IP literal).
#[allow(
    clippy::needless_pass_by_value,
    reason = "wasm-bindgen hands an optional byte array over owned"
)]
#[wasm_bindgen(js_name = refusal)]
pub fn refusal(
    url: &str,
    allow_loopback: bool,
    ietf: bool,
    strict: bool,
    max_bytes: u32,
    compare: Option<Vec<u8>>,
) -> Option<String> {
    let error = cimd::fetch::check_fetch_url(url, allow_loopback).err()?;
    Some(failure_wire(
        url,
        &error,
        compare.as_deref(),
        &options(None, ietf, strict, max_bytes),
    ))
}

/// Builds a document (`cimd::create`): `options` is the JSON of the JavaScript options; returns
/// `{"document": text, "report": wire (a string), "placeholder": bool}`.
pub fn create_json(options: &str) -> Result<String, String> {
    let value = args::parse(options, "options")?;
    let o = Object::new(
        &value,
        "options",
        &[
            "name",
            "redirectUris",
            "clientId",
            "clientUri",
            "logoUri",
            "scope",
            "compact",
            "profile",
        ],
    )?;
    let profile = match o.string("profile")? {
        None => Profile::Mcp,
        Some(p) => p.parse()?,
    };
    let created = cimd::create(&cimd::CreateOptions {
        name: o.required("name", o.string("name")?)?,
        redirect_uris: o.required("redirectUris", o.strings("redirectUris")?)?,
        client_id: o.string("clientId")?,
        client_uri: o.string("clientUri")?,
        logo_uri: o.string("logoUri")?,
        scope: o.string("scope")?,
        compact: o.flag("compact")?,
        profile,
    });
    let mut out = String::with_capacity(created.document.len() * 3 + 2048);
    out.push_str("{\"document\":");
    out.push_str(&to_json(&created.document));
    out.push_str(",\"report\":");
    // The report's wire form as a string (its numbers stay in wasm memory, see wire.rs).
    out.push_str(&to_json(&report_wire(&created.report)));
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
    let registered: Vec<String> = match json_value(registered) {
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err("registered must be an array of strings".to_owned()),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err("registered must be an array of strings".into()),
    };
    let policy: MatchPolicy = policy.parse().map_err(|e| format!("{e}"))?;
    let refs: Vec<&str> = registered.iter().map(String::as_str).collect();
    let result = cimd::match_redirect(&refs, requested, policy);
    Ok(to_json(&result))
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

/// The index in `codes()` of a code, by number or name (`cimd::codes::lookup`): `js/api.js` passes
/// it to `explainWith` with the docs of pkg/docs.js, which this build leaves out.
#[wasm_bindgen(js_name = lookup)]
pub fn lookup(code: &str) -> Option<u32> {
    let code = cimd::codes::lookup(code)?;
    cimd::codes::all()
        .iter()
        .position(|c| std::ptr::eq(*c, code))
        .map(|i| i as u32)
}

/// `cimd explain`'s text for the code at `index` of `codes()`, with its long documentation `doc`
/// (from pkg/docs.js: this build leaves the docs out, but not their layout).
#[wasm_bindgen(js_name = explainWith)]
pub fn explain_with(index: u32, doc: &str) -> Option<String> {
    let code = cimd::codes::all().get(index as usize)?;
    Some(code.explain_with_doc(doc))
}

/// Every registered code as JSON (what `cimd codes --format json` prints; `doc` is empty in the
/// package's wasm, where `js/api.js` fills it in from pkg/docs.js).
#[wasm_bindgen(js_name = codes)]
pub fn codes() -> String {
    to_json(cimd::codes::all())
}

/// Every server whose verdict the report predicts, in the report's order, as JSON: `id`, `name`,
/// `what` and `source` (`cimd servers --format json`).
#[wasm_bindgen(js_name = servers)]
pub fn servers() -> String {
    to_json(&cimd::servers().collect::<Vec<_>>())
}

/// Where the codes' documentation is published (a diagnostic's `docs` is this + the lower-case code).
#[wasm_bindgen(js_name = docsUrl)]
#[must_use]
pub fn docs_url() -> String {
    cimd::codes::DOCS_URL.to_owned()
}

#[cfg(test)]
mod tests;
