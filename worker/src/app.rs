//! The Worker's routes, host-independent: an [`Incoming`] request and a [`Platform`] (the I/O the
//! fetching route needs) in, a [`Reply`] out. Every verdict comes from the core; this module only
//! reads requests, calls the core and writes replies. Any client mistake is a 4xx with a JSON error.

use std::future::Future;
use std::net::IpAddr;

use cimd::fetch::{FetchError, FetchedDocument, failure_report, validate_fetched};
use cimd::{MatchPolicy, Options, Profile, RenderOptions, Report};
use serde::Deserialize;

use crate::fetching::{
    CachedFetch, Fetched, MAX_FETCH_BYTES, STALE_KEEP_S, cache_key, fetch_document,
};
use crate::hosted;
use crate::http::{Body, Incoming, Reply, base64_decode, is_json_content_type, parse_query};

/// The I/O of the Worker: the wasm host implements it over the Workers runtime, the tests with fakes.
pub(crate) trait Platform {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
    /// The deadline of one `GET /api/validate?url=` (10 s: docs/decisions.md#fetching).
    fn fetch_timeout_ms(&self) -> u64;
    /// Every address of `host` (A and AAAA).
    fn resolve(&self, host: &str) -> impl Future<Output = Result<Vec<IpAddr>, FetchError>>;
    /// `GET url` without following redirects, the body read up to `max_bytes` + 1; `conditional`
    /// holds the validators of a stale cached copy (`If-None-Match`, `If-Modified-Since`), if any.
    fn get(
        &self,
        url: &str,
        max_bytes: usize,
        conditional: &[(String, String)],
    ) -> impl Future<Output = Result<Fetched, FetchError>>;
    /// Runs `work` for at most `ms` milliseconds (then cancels the platform's requests): `None` on timeout.
    fn within<T>(&self, ms: u64, work: impl Future<Output = T>) -> impl Future<Output = Option<T>>;
    fn cache_get(&self, key: &str) -> impl Future<Output = Option<String>>;
    fn cache_put(&self, key: &str, value: String, ttl_s: u64) -> impl Future<Output = ()>;
    /// Whether this client may fetch now (the per-client rate limit of the fetching endpoint).
    fn allow_fetch(&self, client: &str) -> impl Future<Output = bool>;
    /// The size of the wasm linear memory, where the host has one (`GET /api/health` shows it, so a
    /// load test can tell that the Rust heap stays put).
    fn memory_bytes(&self) -> Option<u64>;
}

const VALIDATE_ALLOW: &str = "GET, HEAD, POST, OPTIONS";
const POST_ALLOW: &str = "POST, OPTIONS";
const GET_ALLOW: &str = "GET, HEAD, OPTIONS";

/// Handles one request. `HEAD` gets the headers of `GET` and no body.
pub(crate) async fn handle<P: Platform>(platform: &P, req: &Incoming) -> Reply {
    let mut reply = route(platform, req).await;
    if req.method == "HEAD" {
        reply.body.clear();
    }
    reply
}

async fn route<P: Platform>(platform: &P, req: &Incoming) -> Reply {
    let method = req.method.as_str();
    match req.path.as_str() {
        "/api/validate" => match method {
            "POST" => respond(validate_post(platform, req).await),
            "GET" | "HEAD" => respond(validate_url(platform, req).await),
            "OPTIONS" => Reply::preflight(VALIDATE_ALLOW),
            other => Reply::not_allowed(other, VALIDATE_ALLOW),
        },
        "/api/match" => match method {
            "POST" => respond(match_post(req)),
            "OPTIONS" => Reply::preflight(POST_ALLOW),
            other => Reply::not_allowed(other, POST_ALLOW),
        },
        "/api/codes" => get_only(req, || {
            Ok(Reply::json(
                200,
                serde_json::to_string(cimd::codes::all()).map_err(internal)?,
            ))
        }),
        // The trivial route: what the Worker costs without the core (the load test's baseline).
        "/api/health" => get_only(req, || {
            let memory = platform
                .memory_bytes()
                .map_or_else(|| "null".to_owned(), |n| n.to_string());
            Ok(Reply::json(
                200,
                format!(r#"{{"status":"ok","wasm_memory_bytes":{memory}}}"#),
            ))
        }),
        path => match hosted::find(path) {
            Some(doc) => hosted::serve(doc, req),
            None => Reply::error(404, format!("nothing is served at {path}")),
        },
    }
}

fn respond(result: Result<Reply, Reply>) -> Reply {
    result.unwrap_or_else(|error| error)
}

fn get_only(req: &Incoming, reply: impl FnOnce() -> Result<Reply, Reply>) -> Reply {
    match req.method.as_str() {
        "GET" | "HEAD" => {
            if let Err(e) = no_query(req) {
                return e;
            }
            respond(reply())
        }
        "OPTIONS" => Reply::preflight(GET_ALLOW),
        other => Reply::not_allowed(other, GET_ALLOW),
    }
}

fn no_query(req: &Incoming) -> Result<(), Reply> {
    match req.query.as_deref().map(parse_query) {
        None => Ok(()),
        Some(Ok(params)) if params.is_empty() => Ok(()),
        Some(Ok(params)) => Err(bad(format!(
            "unknown query parameter `{}`",
            params.first().map_or("", |p| p.0.as_str())
        ))),
        Some(Err(e)) => Err(bad(format!("the query string is malformed: {e}"))),
    }
}

fn bad(message: impl AsRef<str>) -> Reply {
    Reply::error(400, message)
}

/// Only reachable if serde_json fails to serialize the core's own types.
#[allow(clippy::needless_pass_by_value, reason = "used as map_err(internal)")]
fn internal(e: serde_json::Error) -> Reply {
    Reply::json(
        500,
        serde_json::json!({"status": 500, "error": "internal", "message": e.to_string()})
            .to_string(),
    )
}

/// How to print a report: its JSON (default; docs/worker.md) or the CLI's text with code frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Text,
}

fn parse_format(value: &str) -> Result<Format, Reply> {
    match value {
        "json" => Ok(Format::Json),
        "text" => Ok(Format::Text),
        other => Err(bad(format!(
            "unknown format `{other}` (expected json or text)"
        ))),
    }
}

fn parse_profile(value: &str) -> Result<Profile, Reply> {
    value.parse().map_err(bad)
}

fn report_reply(report: &Report, source: &str, format: Format) -> Result<Reply, Reply> {
    match format {
        Format::Json => Ok(Reply::json(
            200,
            serde_json::to_string(report).map_err(internal)?,
        )),
        Format::Text => {
            let options = RenderOptions {
                color: false,
                path: Some(
                    report
                        .url
                        .clone()
                        .unwrap_or_else(|| "<document>".to_owned()),
                ),
                diagnostics_only: false,
            };
            Ok(Reply::new(
                200,
                "text/plain; charset=utf-8",
                cimd::render(report, Some(source), &options),
            ))
        }
    }
}

/// The JSON body of a POST, after the content type and size checks.
fn json_body<'de, T: Deserialize<'de>>(req: &'de Incoming) -> Result<T, Reply> {
    if !is_json_content_type(req.header("content-type")) {
        return Err(Reply::error(
            415,
            "send the request as `Content-Type: application/json` (UTF-8)",
        ));
    }
    let bytes = match &req.body {
        Body::Bytes(bytes) if !bytes.is_empty() => bytes,
        Body::Bytes(_) | Body::Empty => return Err(bad("the request has no body")),
        Body::TooLarge => {
            return Err(Reply::error(
                413,
                format!(
                    "the request body is over {} bytes",
                    crate::http::REQUEST_MAX_BYTES
                ),
            ));
        }
    };
    serde_json::from_slice(bytes)
        .map_err(|e| bad(format!("the request body is not the expected JSON: {e}")))
}

/// `POST /api/validate`: `{"document": "...", "url": "...", "profile": "mcp", "strict": false}`;
/// with `"compare": true`, `url` is fetched and compared with the document (a drift check).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateRequest {
    document: Option<String>,
    /// The document's bytes in base64, for bytes that are not UTF-8 (instead of `document`).
    document_base64: Option<String>,
    url: Option<String>,
    profile: Option<String>,
    #[serde(default)]
    strict: bool,
    max_bytes: Option<u32>,
    /// Fetch `url` and report every difference between it and the document.
    #[serde(default)]
    compare: bool,
}

async fn validate_post<P: Platform>(platform: &P, req: &Incoming) -> Result<Reply, Reply> {
    let mut format = Format::Json;
    for (name, value) in req
        .query
        .as_deref()
        .map(parse_query)
        .transpose()
        .map_err(bad)?
        .unwrap_or_default()
    {
        match name.as_str() {
            "format" => format = parse_format(&value)?,
            other => {
                return Err(bad(format!(
                    "unknown query parameter `{other}` (the options go in the body)"
                )));
            }
        }
    }
    let body: ValidateRequest = json_body(req)?;
    if body.compare && body.url.is_none() {
        return Err(bad(
            "`compare` needs `url`: the URL the document is published at, which is fetched",
        ));
    }
    let options = Options {
        url: body.url,
        profile: body
            .profile
            .as_deref()
            .map(parse_profile)
            .transpose()?
            .unwrap_or_default(),
        strict: body.strict,
        max_bytes: body
            .max_bytes
            .map_or(cimd::DEFAULT_MAX_BYTES, |n| n as usize),
    };
    let bytes = match (body.document, body.document_base64) {
        (Some(text), None) => text.into_bytes(),
        (None, Some(b64)) => {
            base64_decode(&b64).map_err(|e| bad(format!("document_base64: {e}")))?
        }
        (Some(_), Some(_)) => return Err(bad("give `document` or `document_base64`, not both")),
        (None, None) => return Err(bad("`document` (the document's text) is required")),
    };
    let source = String::from_utf8_lossy(&bytes);
    if !body.compare {
        return report_reply(&cimd::validate_bytes(&bytes, &options), &source, format);
    }
    let url = options.url.clone().unwrap_or_default();
    let (live, cache_state) = live_document(platform, req, &url, &options).await?;
    let report = match live {
        Ok(doc) => cimd::drift::compare(&bytes, &doc, &options),
        Err(error) => cimd::drift::compare_failure(&bytes, &url, &error, &options),
    };
    Ok(report_reply(&report, &source, format)?
        .with("cimd-cache", cache_state)
        .with("access-control-expose-headers", "cimd-cache"))
}

/// `GET /api/validate?url=...[&profile=ietf][&strict=true][&max_bytes=N][&format=text]`.
async fn validate_url<P: Platform>(platform: &P, req: &Incoming) -> Result<Reply, Reply> {
    let params = req
        .query
        .as_deref()
        .map(parse_query)
        .transpose()
        .map_err(|e| bad(format!("the query string is malformed: {e}")))?
        .unwrap_or_default();
    let mut url = None;
    let mut options = Options::default();
    let mut format = Format::Json;
    let mut seen = Vec::new();
    for (name, value) in params {
        if seen.contains(&name) {
            return Err(bad(format!("`{name}` is given twice")));
        }
        match name.as_str() {
            "url" => url = Some(value.clone()),
            "profile" => options.profile = parse_profile(&value)?,
            "strict" => {
                options.strict = match value.as_str() {
                    "true" | "1" | "" => true,
                    "false" | "0" => false,
                    other => return Err(bad(format!("strict=`{other}`: expected true or false"))),
                };
            }
            "max_bytes" => {
                options.max_bytes = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_FETCH_BYTES).contains(n))
                    .ok_or_else(|| {
                        bad(format!(
                            "max_bytes=`{value}`: expected 1 to {MAX_FETCH_BYTES}"
                        ))
                    })?;
            }
            "format" => format = parse_format(&value)?,
            other => return Err(bad(format!("unknown query parameter `{other}`"))),
        }
        seen.push(name);
    }
    let Some(url) = url else {
        return Err(bad(
            "`url` is required: GET /api/validate?url=https://... (or POST a document)",
        ));
    };
    let (live, cache_state) = live_document(platform, req, &url, &options).await?;
    let (report, body) = match live {
        Ok(doc) => (
            validate_fetched(&doc, &options),
            String::from_utf8_lossy(&doc.body).into_owned(),
        ),
        Err(error) => (failure_report(&url, &error, &options), String::new()),
    };
    Ok(report_reply(&report, &body, format)?
        .with("cimd-cache", cache_state)
        .with("access-control-expose-headers", "cimd-cache"))
}

/// The document live at `url`, fetched as a careful server does, or from the cache (a fresh entry,
/// or a stale one a 304 revalidated): the response (or why none came) and the cache state for the
/// `cimd-cache` header. Valid documents are kept for their lifetime; errors and invalid ones never
/// (docs/decisions.md#caching). The per-client rate limit applies (429).
async fn live_document<P: Platform>(
    platform: &P,
    req: &Incoming,
    url: &str,
    options: &Options,
) -> Result<(Result<FetchedDocument, FetchError>, &'static str), Reply> {
    let client = req.header("cf-connecting-ip").unwrap_or("unknown");
    if !platform.allow_fetch(client).await {
        return Err(Reply::error(
            429,
            "too many URL checks from this address; try again in a minute",
        )
        .with("retry-after", "60"));
    }
    let key = cache_key(url, options);
    let cached = platform
        .cache_get(&key)
        .await
        .and_then(|json| serde_json::from_str::<CachedFetch>(&json).ok());
    let mut stale = None;
    if let Some(entry) = cached {
        if entry.is_fresh(platform.now_ms() / 1000) {
            return Ok((Ok(entry.into_document()), "hit"));
        }
        stale = Some(entry);
    }
    // A stale entry is revalidated (docs/decisions.md#caching): the same checks and request, with
    // its validators.
    let conditional = stale
        .as_ref()
        .map(CachedFetch::validators)
        .unwrap_or_default();
    let started = platform.now_ms();
    let timeout = platform.fetch_timeout_ms();
    let outcome = platform
        .within(
            timeout,
            fetch_document(platform, url, options.max_bytes, started, &conditional),
        )
        .await;
    let mut cache_state = "miss";
    let outcome = match (outcome, stale) {
        (Some(Ok(doc)), Some(entry)) if doc.status == 304 && !conditional.is_empty() => {
            cache_state = "revalidated";
            Some(Ok(entry.refreshed(&doc)))
        }
        (outcome, _) => outcome,
    };
    let live = match outcome {
        Some(Ok(doc)) => {
            let report = validate_fetched(&doc, options);
            let ttl = report
                .fetch
                .as_ref()
                .and_then(|f| f.cache_ttl_s)
                .unwrap_or(0);
            // The core sets a lifetime only on a valid document; errors and invalid ones are never
            // kept. The entry outlives its freshness by STALE_KEEP_S so that it can be revalidated.
            if report.valid
                && ttl > 0
                && let Some(json) = CachedFetch::of(&doc, platform.now_ms() / 1000, ttl)
                    .and_then(|c| serde_json::to_string(&c).ok())
            {
                platform
                    .cache_put(&key, json, ttl.saturating_add(STALE_KEEP_S))
                    .await;
            }
            Ok(doc)
        }
        Some(Err(error)) => Err(error),
        None => {
            let after_ms = platform.now_ms().saturating_sub(started).max(timeout);
            Err(FetchError::Timeout { after_ms })
        }
    };
    Ok((live, cache_state))
}

/// `POST /api/match`: `{"requested": "...", "registered": ["..."] | "document": "...", "policy": "rfc8252"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchRequest {
    requested: String,
    registered: Option<Vec<String>>,
    document: Option<String>,
    policy: Option<String>,
}

fn match_post(req: &Incoming) -> Result<Reply, Reply> {
    no_query(req)?;
    let body: MatchRequest = json_body(req)?;
    let policy = match body.policy.as_deref() {
        None => MatchPolicy::default(),
        Some(p) => p
            .parse()
            .map_err(|e: cimd::redirect::ParsePolicyError| bad(e.to_string()))?,
    };
    let registered = match (body.registered, body.document) {
        (Some(registered), None) => registered,
        (None, Some(document)) => redirect_uris_of(&document)?,
        (Some(_), Some(_)) => return Err(bad("give `registered` or `document`, not both")),
        (None, None) => {
            return Err(bad(
                "give the registered redirect URIs (`registered`) or a `document`",
            ));
        }
    };
    let refs: Vec<&str> = registered.iter().map(String::as_str).collect();
    let result = cimd::match_redirect(&refs, &body.requested, policy);
    Ok(Reply::json(
        200,
        serde_json::to_string(&result).map_err(internal)?,
    ))
}

/// The redirect_uris of a document, as `cimd match DOCUMENT` reads them.
fn redirect_uris_of(document: &str) -> Result<Vec<String>, Reply> {
    let report = cimd::validate(document, &Options::default());
    let value = report.document.as_ref().map(cimd::Document::value);
    let uris = value
        .as_ref()
        .and_then(|d| d.get("redirect_uris"))
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| bad("the document has no redirect_uris array"))?;
    Ok(uris
        .iter()
        .filter_map(|u| u.as_str().map(str::to_owned))
        .collect())
}
