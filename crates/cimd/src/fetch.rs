//! The fetch policy: what a careful authorization server does with the response to a document fetch
//! (-03 §5, §9.6, §9.7; docs/decisions.md#fetching). Pure functions on a [`FetchedDocument`]: the
//! host does the I/O (resolve, connect to the checked address, no redirects, cap, timeout).
//!
//! A host fetches like this:
//! 1. [`check_fetch_url`]: may this URL be fetched at all (https, a host, no special-use literal)?
//! 2. resolve the host (or take a pinned address) and [`check_address`] **every** address;
//! 3. connect to an address that was checked (no second lookup: DNS rebinding), TLS with SNI and
//!    `Host` = the URL host, `Accept: application/json`, no redirects, stop reading past the cap;
//! 4. [`validate_fetched`] on what came back, or [`failure_report`] when nothing did.
//!
//! `cimd validate --http` skips the I/O: [`parse_http_response`] reads `curl -si` output.

use std::net::IpAddr;

use crate::address::{self, SpecialUse};
use crate::cache;
use crate::codes::{Code, declare_code};
use crate::report::{Diagnostic, FetchInfo, Report};
use crate::uri::Uri;

declare_code! {
    /// ## What it checks
    /// That the document URL answers `200 OK`.
    ///
    /// ## Why
    /// -03 §5: the authorization server fetches the document and a successful response is `200 OK`;
    /// every other status, other 2xx codes included, is an error, and §5.1 says the server then
    /// aborts the authorization. Appendix A: a CIMD service returns a valid document or an error
    /// status. A bot-protection challenge has its own code, CIMD510.
    ///
    /// ## Example
    /// `GET https://app.example/client.json` answers `404 Not Found`: the file is not deployed at
    /// that path, or the path differs in case or trailing slash.
    pub static FETCH_STATUS_NOT_OK = "CIMD500" "fetch-status-not-ok" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §5, §5.1",
        title: "the document URL did not answer 200 OK",
        help: "serve the document at exactly this URL with status 200 (and exempt it from bot protection)",
    }
}

declare_code! {
    /// ## What it checks
    /// That the document URL does not redirect (3xx), and where it points if it does.
    ///
    /// ## Why
    /// -03 §5: authorization servers MUST NOT follow redirects when fetching the document; the
    /// `client_id` must be the URL that serves it (§4). Hosting platforms often redirect to add or
    /// remove a trailing slash, to `www.`, or from a short URL, and the fetch then fails at every
    /// conforming server.
    ///
    /// ## Example
    /// `https://app.example/client` answers `301` with `Location: https://app.example/client/`.
    pub static FETCH_REDIRECT = "CIMD501" "fetch-redirect" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §5",
        title: "the document URL redirects; servers do not follow redirects",
        help: "serve the document directly at the client_id URL, or use the redirect's target as the client_id",
    }
}

declare_code! {
    /// ## What it checks
    /// That the response has a JSON media type: `application/json` or `application/<x>+json`.
    ///
    /// ## Why
    /// -03 §4: the document is JSON; the draft allows a more specific `+json` type but names no
    /// other. Servers differ (docs/decisions.md#content-type): giantswarm/mcp-oauth and atproto
    /// accept only `application/json`, cimd-mcp-reference accepts `application/json` or
    /// `application/*+json`, others do not look. A GitHub gist "raw" link serves `text/plain` and
    /// is refused (margince#647). A missing Content-Type is refused by the same servers.
    ///
    /// ## Example
    /// `Content-Type: text/plain; charset=utf-8` from a raw file host.
    pub static FETCH_CONTENT_TYPE = "CIMD502" "fetch-content-type" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4; RFC 8259 §11",
        title: "the response is not served as application/json",
        help: "serve the document with `Content-Type: application/json`",
    }
}

declare_code! {
    /// ## What it checks
    /// That a `charset` parameter on the Content-Type, if any, is UTF-8.
    ///
    /// ## Why
    /// RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8 (and §11 defines no charset
    /// parameter for `application/json`). A server that honours another charset misreads the
    /// document, and giantswarm/mcp-oauth refuses anything but UTF-8
    /// (docs/decisions.md#content-type).
    ///
    /// ## Example
    /// `Content-Type: application/json; charset=iso-8859-1`
    pub static FETCH_CHARSET = "CIMD503" "fetch-charset" {
        mcp: Error, ietf: Error,
        spec: "RFC 8259 §8.1, §11",
        title: "the response declares a charset other than UTF-8",
        help: "serve UTF-8 and declare `charset=utf-8` or no charset at all",
    }
}

declare_code! {
    /// ## What it checks
    /// That the body is no larger than the size cap (5120 bytes unless `--max-bytes` says otherwise).
    ///
    /// ## Why
    /// -03 §9.7: servers SHOULD stop reading after a maximum and treat reaching it as an error; the
    /// recommended maximum is 5 kilobytes (FastMCP and cimd-mcp-reference use 5120 bytes). The fetch
    /// stops at the cap, so the rest of the document is never seen (docs/decisions.md#json-edges).
    ///
    /// ## Example
    /// A document that embeds a large `jwks` or a base64 `logo_uri` data URL.
    pub static FETCH_TOO_LARGE = "CIMD504" "fetch-too-large" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §9.7",
        title: "the response body is larger than the size cap",
        help: "keep the document under 5 KB: move keys to `jwks_uri`, drop unused members, link the logo",
    }
}

declare_code! {
    /// ## What it checks
    /// That the response arrived within the time limit (10 s unless `--timeout` says otherwise).
    ///
    /// ## Why
    /// Servers fetch while a user waits at the authorization endpoint, with short timeouts (5 s in
    /// cerberauth, cimd-mcp-reference and punkpeye/fastmcp, 10 s in FastMCP and giantswarm; SEP-991
    /// asks for timeouts). -03 §5.1: when the fetch fails, the server SHOULD abort the request.
    ///
    /// ## Example
    /// A cold-starting serverless function that takes 12 s to answer.
    pub static FETCH_TIMEOUT = "CIMD505" "fetch-timeout" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §5.1; SEP-991",
        title: "the fetch timed out",
        help: "serve the document as a static file or from a CDN so it answers in well under 5 s",
    }
}

declare_code! {
    /// ## What it checks
    /// That the document's host is not, and does not resolve to, a special-use IP address (RFC 6890
    /// and the IANA special-purpose registries: loopback, private, link-local, CGNAT,
    /// documentation, multicast, ...), in any spelling, including IPv6 forms that embed one
    /// (IPv4-mapped, NAT64, 6to4, Teredo). Every address the name resolves to is checked.
    ///
    /// ## Why
    /// -03 §9.6: the authorization server MUST NOT fetch a URL that resolves to a special-use
    /// address (server-side request forgery); the only exception is loopback for a development
    /// server on the same loopback interface, never in production (docs/decisions.md#fetching). A
    /// name that resolves to such an address cannot be a `client_id` anyone else can use.
    ///
    /// ## Example
    /// `https://intranet.example/client.json` resolving to `10.0.0.12`.
    pub static FETCH_SPECIAL_USE_ADDRESS = "CIMD506" "fetch-special-use-address" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §9.6; RFC 6890",
        title: "the document host is a special-use address; servers refuse to fetch it",
        help: "host the document on a public name with public addresses only (for local testing, the CLI's --allow-loopback permits loopback)",
    }
}

declare_code! {
    /// ## What it checks
    /// That the document could be fetched at all: the name resolves, a TCP connection opens, TLS
    /// verifies, and a well-formed HTTP response comes back. The message says which step failed.
    ///
    /// ## Why
    /// -03 §5: the server fetches the document; §5.1: when the fetch fails the server SHOULD abort
    /// the authorization request. A certificate that does not verify (expired, self-signed, wrong
    /// name, missing intermediate) fails at every server.
    ///
    /// ## Example
    /// A certificate issued for `www.app.example` on `app.example`.
    pub static FETCH_FAILED = "CIMD507" "fetch-failed" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §5, §5.1",
        title: "the document could not be fetched",
        help: "check that the name resolves publicly, the port is open and the certificate chain verifies",
    }
}

declare_code! {
    /// ## What it checks
    /// Nothing: it records that the fetch went to a loopback address because the host relaxed the
    /// policy (`--allow-loopback`) for testing.
    ///
    /// ## Why
    /// -03 §9.6 allows loopback only for development servers on the same loopback interface, never
    /// in production. A document that passes here still fails at every real server, whose
    /// fetch cannot reach your machine.
    ///
    /// ## Example
    /// `cimd validate https://localhost:8443/client.json --allow-loopback`
    pub static FETCH_LOOPBACK_ALLOWED = "CIMD508" "fetch-loopback-allowed" {
        mcp: Info, ietf: Info,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §9.6",
        title: "fetched from a loopback address: allowed for testing only",
        help: "publish the document on a public https URL before using it as a client_id",
    }
}

declare_code! {
    /// ## What it checks
    /// That the URL is one a server would fetch: an absolute `https` URL with a host, a valid port,
    /// no userinfo, and nothing RFC 3986 forbids.
    ///
    /// ## Why
    /// -03 §3: the client identifier URL uses `https`, has a host and has no userinfo; §8.6: servers
    /// SHOULD only fetch known schemes. Servers refuse such `client_ids` before any request is made,
    /// so nothing was fetched.
    ///
    /// ## Example
    /// `http://app.example/client.json` (not https), `https://user@app.example/client.json`.
    pub static FETCH_URL_REFUSED = "CIMD509" "fetch-url-refused" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3, §9.6",
        title: "the URL is not one a server would fetch",
        help: "use an https URL with a host name and no userinfo",
    }
}

declare_code! {
    /// ## What it checks
    /// That the document URL did not answer with a bot-protection challenge instead of the
    /// document: a non-200 response marked as one by its CDN (Cloudflare's `cf-mitigated:
    /// challenge`, Vercel's `x-vercel-mitigated: challenge`, AWS WAF's `x-amzn-waf-action:
    /// challenge` or `captcha`), or a `403`, `429` or `503` HTML page that is a known challenge page
    /// (Cloudflare's "Just a moment...", `cf-chl`, `/cdn-cgi/challenge-platform/`; Vercel's
    /// Security Checkpoint).
    ///
    /// ## Why
    /// -03 §5: only `200 OK` is a document, and §5.1: the server then aborts the authorization. A
    /// challenge is a page for browsers to solve with JavaScript; authorization servers fetch from
    /// data centres, which bot protection challenges most, and cannot solve it. The document may
    /// load in your browser and still fail for every server (anthropics/claude-ai-mcp#650: the
    /// Claude document behind a Cloudflare managed challenge). Which markers mean a challenge:
    /// docs/decisions.md#bot-challenges.
    ///
    /// ## Example
    /// `GET https://app.example/client.json` answers `403 Forbidden`, `cf-mitigated: challenge`,
    /// with an HTML page titled "Just a moment...".
    pub static FETCH_BOT_CHALLENGE = "CIMD510" "fetch-bot-challenge" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §5, §5.1",
        title: "the server answered with a bot-protection challenge; authorization servers fetching from data centres will be refused",
        help: "exempt the document's path from bot protection (a WAF skip rule for this URL, no challenge for non-browser clients)",
    }
}

declare_code! {
    /// ## What it checks
    /// That the response says how long the document may be cached (`Cache-Control: max-age`, or
    /// `Expires`).
    ///
    /// ## Why
    /// -03 §5.2: servers MAY cache the document and SHOULD respect HTTP caching (RFC 9111). With no
    /// instructions each server picks its own lifetime (cimd assumes 300 s like
    /// cimd-mcp-reference; FastMCP keeps 1 h), so a change such as a new redirect URI reaches
    /// servers at unpredictable times (PostHog/posthog.com#18204).
    ///
    /// ## Example
    /// A 200 response with no `Cache-Control` header.
    pub static CACHE_CONTROL_MISSING = "CIMD600" "cache-control-missing" {
        mcp: Info, ietf: Info,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §5.2; RFC 9111 §4.2",
        title: "no cache lifetime given; servers use their own default",
        help: "send `Cache-Control: max-age=3600` (or the lifetime you want, between 60 s and 24 h)",
    }
}

declare_code! {
    /// ## What it checks
    /// That the declared cache lifetime lies within the bounds servers apply: 60 s to 24 h.
    ///
    /// ## Why
    /// -03 §5.2: servers MAY apply their own lower and upper bounds; SEP-991 recommends caching
    /// 24 hours at most, and servers re-fetch at most about once a minute (cimd clamps to
    /// [60 s, 24 h], as cimd-mcp-reference does: docs/decisions.md#caching). A `max-age` of a
    /// year (`immutable` assets) is cut to a day; a `max-age` of 5 s is raised to a minute.
    ///
    /// ## Example
    /// `Cache-Control: public, max-age=31536000, immutable`
    pub static CACHE_LIFETIME_CLAMPED = "CIMD601" "cache-lifetime-clamped" {
        mcp: Info, ietf: Info,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §5.2; SEP-991",
        title: "the declared cache lifetime is outside 60 s to 24 h; servers clamp it",
        help: "declare a max-age between 60 and 86400 seconds",
    }
}

declare_code! {
    /// ## What it checks
    /// Whether the response forbids caching (`Cache-Control: no-store`) or demands revalidation
    /// before every use (`no-cache`).
    ///
    /// ## Why
    /// RFC 9111 §5.2.2.4, §5.2.2.5; -03 §5.2 says servers SHOULD respect these: the server then
    /// fetches the document on every authorization, which adds the fetch's latency (and any outage
    /// of your host) to every sign-in. That is allowed, just rarely what you want.
    ///
    /// ## Example
    /// `Cache-Control: no-store, must-revalidate` from a framework's default for dynamic routes.
    pub static CACHE_NO_STORE = "CIMD602" "cache-no-store" {
        mcp: Info, ietf: Info,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §5.2; RFC 9111 §5.2.2.4, §5.2.2.5",
        title: "caching is disabled; servers fetch the document on every authorization",
        help: "send `Cache-Control: max-age=3600` unless you need every change to apply at once",
    }
}

declare_code! {
    /// ## What it checks
    /// That a response other servers cache gives a `Cache-Control` lifetime Cloudflare's
    /// workers-oauth-provider keeps too: a `max-age` (or `s-maxage`) above 0, without `private`.
    ///
    /// ## Why
    /// -03 §5.2 leaves caching to each server. Cloudflare's provider reads `Cache-Control` alone:
    /// it ignores `Expires`, stores nothing marked `private`, `no-cache` or `no-store`, and keeps
    /// `s-maxage` or else `max-age` (at most 7 days, no floor). Without such a lifetime it fetches
    /// the document again on every authorization, so each sign-in waits on your server and fails
    /// when it is down (`cacheTtlSeconds` in cloudflare/workers-oauth-provider
    /// `src/oauth-client-metadata.ts` @ 3b613959; docs/decisions.md#caching).
    ///
    /// ## Example
    /// `Expires: Thu, 01 Jan 2037 00:00:00 GMT` with no `Cache-Control`, or `Cache-Control:
    /// private, max-age=3600`.
    pub static CACHE_NO_MAX_AGE = "CIMD603" "cache-no-max-age" {
        mcp: Info, ietf: Info,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §5.2; RFC 9111 §5.2.2.1, §5.3",
        title: "no Cache-Control max-age: Cloudflare's provider fetches the document on every authorization",
        help: "send `Cache-Control: public, max-age=3600` (Expires alone is not read by every server)",
    }
}

/// The codes declared by the fetch rules (5xx, 6xx), and the drift check's (`drift.rs`).
pub(crate) static CODES: &[&Code] = &[
    &FETCH_STATUS_NOT_OK,
    &FETCH_REDIRECT,
    &FETCH_CONTENT_TYPE,
    &FETCH_CHARSET,
    &FETCH_TOO_LARGE,
    &FETCH_TIMEOUT,
    &FETCH_SPECIAL_USE_ADDRESS,
    &FETCH_FAILED,
    &FETCH_LOOPBACK_ALLOWED,
    &FETCH_URL_REFUSED,
    &FETCH_BOT_CHALLENGE,
    &CACHE_CONTROL_MISSING,
    &CACHE_LIFETIME_CLAMPED,
    &CACHE_NO_STORE,
    &CACHE_NO_MAX_AGE,
    &crate::drift::DRIFT,
];

/// Everything the host learnt from one fetch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchedDocument {
    /// The URL that was requested (the one the `client_id` must equal).
    pub url: String,
    pub status: u16,
    /// Response headers in order, names as received.
    pub headers: Vec<(String, String)>,
    /// The body, at most the cap (plus one byte, to tell "exactly at the cap" from "over").
    pub body: Vec<u8>,
    /// The host stopped reading because the body exceeded the cap.
    pub truncated: bool,
    /// The address the host connected to (after its own special-use check); with `--http`, the
    /// address the response is said to come from (`--resolve`).
    pub address: Option<IpAddr>,
    pub elapsed_ms: Option<u64>,
    /// The host relaxed the policy to allow a loopback address (testing only, -03 §9.6).
    pub allow_loopback: bool,
    /// When the response was received (Unix seconds), for `Expires` without `Date`.
    pub received_unix_s: Option<u64>,
}

/// Why a fetch produced no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The URL may not be fetched at all (not https, no host, ...); the message says why.
    Refused(String),
    /// The name did not resolve.
    Resolve(String),
    /// The host is, or resolved to (among its addresses), a special-use address (RFC 6890).
    SpecialUseAddress {
        host: String,
        address: IpAddr,
    },
    /// TCP or TLS failure.
    Connect(String),
    Tls(String),
    Timeout {
        after_ms: u64,
    },
    /// Anything else (I/O while reading, a malformed response).
    Other(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Refused(why) => write!(f, "refused to fetch: {why}"),
            FetchError::Resolve(why) => write!(f, "DNS resolution failed: {why}"),
            FetchError::SpecialUseAddress { host, address } => {
                let block =
                    address::special_use(*address).map_or_else(String::new, |s| format!(": {s}"));
                if address::host_ip(host).is_some() {
                    write!(f, "{host} is a special-use address{block}")
                } else {
                    write!(
                        f,
                        "{host} resolves to the special-use address {address}{block}"
                    )
                }
            }
            FetchError::Connect(why) => write!(f, "connection failed: {why}"),
            FetchError::Tls(why) => write!(f, "TLS failed: {why}"),
            FetchError::Timeout { after_ms } => write!(f, "timed out after {}", seconds(*after_ms)),
            FetchError::Other(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for FetchError {}

fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{}.{:01} s", ms / 1000, ms % 1000 / 100)
    }
}

/// Decides whether `url` may be fetched at all, before any I/O: an `https` URL (scheme
/// case-insensitive), a non-empty host, no userinfo, a valid port, RFC 3986 syntax, and a host
/// that is not a special-use IP literal in any spelling (nor `localhost`) unless `allow_loopback`
/// and it is loopback. Returns the host to resolve and connect to (IPv6 without brackets, IPv4 in
/// canonical dotted form, names lower-cased) and the port (443 by default).
pub fn check_fetch_url(url: &str, allow_loopback: bool) -> Result<(String, u16), FetchError> {
    let refused = |why: &str| Err(FetchError::Refused(why.to_owned()));
    let uri = Uri::split(url);
    if let Some(v) = uri.violations().first() {
        return Err(FetchError::Refused(format!(
            "`{url}` is not a valid URI: {} (at `{}`)",
            v.kind.describe(),
            &url[v.at.clone()]
        )));
    }
    match uri.scheme_lower().as_deref() {
        Some("https") => {}
        Some(other) => {
            return Err(FetchError::Refused(format!(
                "only https URLs are fetched, not `{other}:` (-03 §3: the client_id uses https)"
            )));
        }
        None => return refused("the URL is not absolute (no scheme)"),
    }
    let Some(host) = uri.host() else {
        return refused("the URL has no host (`https://host/path`)");
    };
    if host.is_empty() {
        return refused("the URL has an empty host");
    }
    if uri.userinfo().is_some() {
        return refused("the URL has userinfo (`user@`); -03 §3 forbids it and servers refuse it");
    }
    let port = match uri.port() {
        None | Some("") => 443,
        Some(p) => match p.parse::<u16>() {
            Ok(0) | Err(_) => {
                return Err(FetchError::Refused(format!(
                    "port `{p}` is not a usable port"
                )));
            }
            Ok(p) => p,
        },
    };
    let connect_host = if let Some(ip) = address::host_ip(host) {
        check_address(host, ip, allow_loopback)?;
        ip.to_string()
    } else if host.starts_with('[') {
        return Err(FetchError::Refused(format!(
            "`{host}` is not an IPv6 address this client can fetch"
        )));
    } else if host.contains('%') {
        return Err(FetchError::Refused(format!(
            "the host `{host}` is percent-encoded; write it plainly"
        )));
    } else {
        if address::is_loopback_host(host) && !allow_loopback {
            return Err(FetchError::SpecialUseAddress {
                host: host.to_owned(),
                address: IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            });
        }
        host.to_ascii_lowercase()
    };
    Ok((connect_host, port))
}

/// Judges one address `host` resolved to (or was pinned to): special-use addresses are refused,
/// loopback ones too unless `allow_loopback`. A host calls this for **every** address.
pub fn check_address(host: &str, ip: IpAddr, allow_loopback: bool) -> Result<(), FetchError> {
    match address::special_use(ip) {
        Some(s) if !(s.loopback && allow_loopback) => Err(FetchError::SpecialUseAddress {
            host: host.to_owned(),
            address: ip,
        }),
        _ => Ok(()),
    }
}

/// The report for a fetch that produced no response: one unpositioned diagnostic saying why.
pub fn failure_report(url: &str, error: &FetchError, options: &crate::Options) -> Report {
    let options = crate::Options {
        url: Some(url.to_owned()),
        ..options.clone()
    };
    let profile = options.profile;
    let mut info = FetchInfo::default();
    let diagnostic = match error {
        FetchError::Refused(why) => Diagnostic::new(&FETCH_URL_REFUSED, profile, format!("not fetched: {why}")),
        FetchError::SpecialUseAddress { host, address: ip } => {
            info.address = Some(ip.to_string());
            special_use_diagnostic(host, *ip, profile, false)
        }
        FetchError::Timeout { after_ms } => {
            info.elapsed_ms = Some(*after_ms);
            Diagnostic::new(&FETCH_TIMEOUT, profile, format!("no complete response within {}", seconds(*after_ms)))
                .with_help(
                    "serve the document as a static file or from a CDN; servers give up after 5 to 10 s \
                     (raise --timeout only to diagnose)",
                )
        }
        FetchError::Resolve(why) => Diagnostic::new(&FETCH_FAILED, profile, format!("DNS: {why}"))
            .with_help("publish a public DNS record (A or AAAA) for the host"),
        FetchError::Connect(why) => Diagnostic::new(&FETCH_FAILED, profile, format!("connection failed: {why}"))
            .with_help("check that the host accepts HTTPS connections on this port from the internet"),
        FetchError::Tls(why) => Diagnostic::new(&FETCH_FAILED, profile, format!("TLS: {why}")).with_help(
            "serve a certificate for this host name from a public CA, with the full chain (intermediates included)",
        ),
        FetchError::Other(why) => Diagnostic::new(&FETCH_FAILED, profile, why.clone()),
    };
    Report::finish(vec![diagnostic], None, &options, None, Some(info))
}

fn special_use_diagnostic(
    host: &str,
    ip: IpAddr,
    profile: crate::Profile,
    connected: bool,
) -> Diagnostic {
    let class = address::special_use(ip)
        .map_or_else(|| "special-use".to_owned(), |s: SpecialUse| s.to_string());
    let what = if address::host_ip(host).is_some() || host.parse::<IpAddr>().is_ok() {
        format!("the host {host} is a special-use address: {class}")
    } else if address::is_loopback_host(host) && address::host_ip(host).is_none() {
        format!("the host `{host}` is a loopback name: servers do not fetch it")
    } else {
        format!("`{host}` resolves to {ip}, a special-use address: {class}")
    };
    let tail = if connected {
        "; a server following -03 §9.6 refuses to fetch it"
    } else {
        "; nothing was fetched (-03 §9.6)"
    };
    Diagnostic::new(&FETCH_SPECIAL_USE_ADDRESS, profile, format!("{what}{tail}"))
}

/// Checks a response: the fetch rules (status, redirect, content type, charset, size, address,
/// caching) and, for a `200`, the document rules on the body with `options.url` = the fetched URL.
/// Fetch diagnostics are unpositioned; document diagnostics point into the body.
pub fn validate_fetched(doc: &FetchedDocument, options: &crate::Options) -> Report {
    let options = crate::Options {
        url: Some(doc.url.clone()),
        ..options.clone()
    };
    let profile = options.profile;
    let mut diagnostics = Vec::new();
    let content_type = header(&doc.headers, "content-type").map(str::to_owned);
    let mut info = FetchInfo {
        status: Some(doc.status),
        content_type: content_type.clone(),
        bytes: Some(doc.body.len() as u64),
        cache_ttl_s: None,
        elapsed_ms: doc.elapsed_ms,
        address: doc.address.map(|a| a.to_string()),
    };

    if let Some(ip) = doc.address {
        let host = Uri::split(&doc.url).host().unwrap_or_default().to_owned();
        match address::special_use(ip) {
            Some(s) if s.loopback && doc.allow_loopback => diagnostics.push(Diagnostic::new(
                &FETCH_LOOPBACK_ALLOWED,
                profile,
                format!(
                    "LOOPBACK ALLOWED FOR TESTING: fetched from {ip} ({}); every real server refuses this \
                     address (-03 §9.6), so this result says nothing about production",
                    s.name
                ),
            )),
            Some(_) => diagnostics.push(special_use_diagnostic(&host, ip, profile, true)),
            None => {}
        }
    }

    if doc.status != 200 {
        diagnostics.push(status_diagnostic(doc, profile));
        return Report::finish(diagnostics, None, &options, None, Some(info));
    }

    match content_type.as_deref().map(MediaType::parse) {
        None => diagnostics.push(
            Diagnostic::new(
                &FETCH_CONTENT_TYPE,
                profile,
                "the response has no Content-Type; giantswarm/mcp-oauth, atproto and cimd-mcp-reference \
                 refuse a document not served as application/json",
            )
            .with_help("add `Content-Type: application/json` to the response"),
        ),
        Some(media) => {
            if !media.is_json() {
                let hint = if media.essence == "text/plain" {
                    " (raw file hosts such as GitHub gists serve text/plain)"
                } else if media.essence == "text/html" {
                    " (an HTML page: is this the document at all?)"
                } else {
                    ""
                };
                diagnostics.push(Diagnostic::new(
                    &FETCH_CONTENT_TYPE,
                    profile,
                    format!(
                        "served as `{}`{hint}; giantswarm/mcp-oauth, atproto and cimd-mcp-reference refuse \
                         anything but application/json",
                        media.essence
                    ),
                ));
            }
            if let Some(charset) = media.charset.as_deref()
                && !(charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8"))
            {
                diagnostics.push(Diagnostic::new(
                    &FETCH_CHARSET,
                    profile,
                    format!("the Content-Type declares `charset={charset}`; JSON between systems is UTF-8"),
                ));
            }
        }
    }

    let cap = options.max_bytes;
    if doc.truncated || doc.body.len() > cap {
        let message = if doc.truncated {
            format!(
                "the body is larger than the {cap}-byte cap; reading stopped there, as a server does"
            )
        } else {
            format!(
                "the body is {} bytes, over the {cap}-byte cap",
                doc.body.len()
            )
        };
        diagnostics.push(Diagnostic::new(&FETCH_TOO_LARGE, profile, message));
    }
    if doc.truncated {
        // A cut-off body is not the document: don't report its (certain) JSON errors.
        return Report::finish(diagnostics, None, &options, None, Some(info));
    }

    let (document_diagnostics, document) =
        crate::rules::check_document(&doc.body, None, &options, true);
    diagnostics.extend(document_diagnostics);

    let lifetime = cache::lifetime(&doc.headers, doc.received_unix_s);
    diagnostics.extend(cache_diagnostic(&lifetime, profile));
    diagnostics.extend(cloudflare_cache_diagnostic(doc, &lifetime, profile));

    let text = std::str::from_utf8(&doc.body).ok();
    let mut report = Report::finish(diagnostics, text, &options, document, Some(info.clone()));
    // Errors and invalid documents are never cached (-03 §5.2).
    if report.valid {
        info.cache_ttl_s = Some(lifetime.ttl_s);
        report.fetch = Some(info);
    }
    report
}

fn cache_diagnostic(
    lifetime: &cache::CacheLifetime,
    profile: crate::Profile,
) -> Option<Diagnostic> {
    match lifetime.source {
        "no-store" | "no-cache" => Some(Diagnostic::new(
            &CACHE_NO_STORE,
            profile,
            format!(
                "`Cache-Control: {}`: servers fetch the document again on every authorization",
                lifetime.source
            ),
        )),
        "default" => Some(Diagnostic::new(
            &CACHE_CONTROL_MISSING,
            profile,
            format!(
                "no Cache-Control max-age or Expires: servers pick their own lifetime (cimd assumes {} s; \
                 FastMCP keeps 1 h; Cloudflare's workers-oauth-provider fetches it on every authorization)",
                lifetime.ttl_s
            ),
        )),
        _ if lifetime.clamped => {
            let declared = lifetime.declared_s.unwrap_or(0);
            let direction = if lifetime.ttl_s == cache::MAX_TTL_S {
                "cut to 24 h"
            } else {
                "raised to 60 s"
            };
            Some(Diagnostic::new(
                &CACHE_LIFETIME_CLAMPED,
                profile,
                format!(
                    "{} declares {declared} s{}; servers clamp it: {direction} ({} s)",
                    lifetime.source,
                    if declared == 0 {
                        " (already stale)"
                    } else {
                        ""
                    },
                    lifetime.ttl_s
                ),
            ))
        }
        _ => None,
    }
}

/// CIMD603: what cimd and most servers cache, Cloudflare's provider does not (no lifetime of its
/// own is said when CIMD600 or CIMD602 already says that nothing is cached).
fn cloudflare_cache_diagnostic(
    doc: &FetchedDocument,
    lifetime: &cache::CacheLifetime,
    profile: crate::Profile,
) -> Option<Diagnostic> {
    if !matches!(lifetime.source, "max-age" | "expires")
        || cache::cloudflare_provider_ttl(&doc.headers).is_some()
    {
        return None;
    }
    let cache_control = doc
        .headers
        .iter()
        .filter(|(n, _)| n.trim().eq_ignore_ascii_case("cache-control"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(", ");
    let refused = ["private", "no-cache", "no-store"]
        .into_iter()
        .find(|d| cache_control.contains(d));
    let why = match (lifetime.source, refused) {
        ("expires", _) => {
            "`Expires` without `Cache-Control: max-age`: Cloudflare's workers-oauth-provider \
                           ignores Expires"
                .to_owned()
        }
        (_, Some(directive)) => format!(
            "`Cache-Control: {cache_control}`: Cloudflare's workers-oauth-provider stores nothing marked \
             `{directive}`"
        ),
        _ => format!(
            "`Cache-Control: {cache_control}` has no max-age above 0 that Cloudflare's \
             workers-oauth-provider reads, so it stores nothing"
        ),
    };
    Some(Diagnostic::new(
        &CACHE_NO_MAX_AGE,
        profile,
        format!(
            "{why} and fetches the document again on every authorization (cimd and other servers keep it {} s)",
            lifetime.ttl_s
        ),
    ))
}

fn status_diagnostic(doc: &FetchedDocument, profile: crate::Profile) -> Diagnostic {
    let status = doc.status;
    let reason = reason_phrase(status);
    // 304 Not Modified answers a conditional request (none is sent): not a redirect, just not 200.
    if (300..400).contains(&status) && status != 304 {
        let Some(location) = header(&doc.headers, "location") else {
            return Diagnostic::new(
                &FETCH_REDIRECT,
                profile,
                format!(
                    "the server answered {status} {reason} (a redirect, without a Location); servers do not follow redirects"
                ),
            );
        };
        let location = location.trim();
        let mut message = format!(
            "the server answered {status} {reason} redirecting to {location}; servers MUST NOT follow redirects (-03 §5)"
        );
        let help = if location == format!("{}/", doc.url)
            || doc.url.strip_suffix('/') == Some(location)
        {
            message.push_str(" (the redirect only changes the trailing slash)");
            format!(
                "serve the document at {} without a redirect (turn off the platform's trailing-slash redirect), \
                 or make client_id and the URL both {location}",
                doc.url
            )
        } else {
            format!(
                "serve the document at {} itself, or use {location} as the client_id and fetch that",
                doc.url
            )
        };
        return Diagnostic::new(&FETCH_REDIRECT, profile, message).with_help(help);
    }
    if let Some(challenge) = bot_challenge(doc) {
        return Diagnostic::new(
            &FETCH_BOT_CHALLENGE,
            profile,
            format!(
                "the server answered {status} {reason} with a bot-protection challenge ({challenge}) instead \
                 of the document; authorization servers fetching from data centres will be refused"
            ),
        );
    }
    let message =
        format!("the server answered {status} {reason}; only 200 OK is a document (-03 §5)");
    let help = match status {
        404 | 410 => {
            "deploy the document at exactly this path (check case, extension and trailing slash)"
        }
        401 | 403 => {
            "make the document public: no authentication, IP allowlist or bot protection on this URL"
        }
        429 => "exempt the document from rate limiting (servers fetch it on sign-ins)",
        500..=599 => "fix the server error; until then no server can resolve this client",
        _ => FETCH_STATUS_NOT_OK.help,
    };
    Diagnostic::new(&FETCH_STATUS_NOT_OK, profile, message).with_help(help)
}

/// Names the bot-protection challenge a non-200 response is, if it is one
/// (docs/decisions.md#bot-challenges): a CDN's own marker header on any status, or a known
/// challenge page in a 403/429/503 HTML body. A 403 that is only "HTML from a CDN" is not
/// enough: it may as well be an access rule, and stays CIMD500.
fn bot_challenge(doc: &FetchedDocument) -> Option<&'static str> {
    let has = |name: &str, value: &str| {
        header(&doc.headers, name).is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
    };
    if has("cf-mitigated", "challenge") {
        return Some("Cloudflare: `cf-mitigated: challenge`");
    }
    if has("x-vercel-mitigated", "challenge") {
        return Some("Vercel Security Checkpoint: `x-vercel-mitigated: challenge`");
    }
    if has("x-amzn-waf-action", "challenge") || has("x-amzn-waf-action", "captcha") {
        return Some("AWS WAF: `x-amzn-waf-action`");
    }
    if !matches!(doc.status, 403 | 429 | 503) {
        return None;
    }
    let head = &doc.body[..doc.body.len().min(16 * 1024)];
    let body = String::from_utf8_lossy(head).to_ascii_lowercase();
    let html = header(&doc.headers, "content-type")
        .is_some_and(|t| t.to_ascii_lowercase().contains("html"))
        || body.trim_start().starts_with('<');
    if !html {
        return None;
    }
    if body.contains("<title>just a moment")
        || body.contains("cf-chl")
        || body.contains("cf_chl")
        || body.contains("/cdn-cgi/challenge-platform/")
    {
        return Some("a Cloudflare challenge page");
    }
    if body.contains("vercel security checkpoint") {
        return Some("a Vercel Security Checkpoint page");
    }
    None
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// The first value of a header (names are case-insensitive).
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A Content-Type value: the lower-cased `type/subtype` and the charset parameter, if any.
struct MediaType {
    essence: String,
    charset: Option<String>,
}

impl MediaType {
    fn parse(value: &str) -> Self {
        let mut parts = value.split(';');
        let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let charset = parts.find_map(|p| {
            let (name, value) = p.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| value.trim().trim_matches('"').to_owned())
        });
        Self { essence, charset }
    }

    /// `application/json` or `application/<anything>+json` (RFC 6839 §3.1).
    fn is_json(&self) -> bool {
        self.essence == "application/json"
            || self
                .essence
                .strip_prefix("application/")
                .is_some_and(|s| s.len() > 5 && s.ends_with("+json"))
    }
}

/// Reads raw HTTP response text (`curl -si URL` output) into a [`FetchedDocument`] for `url`:
/// status line, headers, a blank line (CRLF or LF), the body. Interim `1xx` responses (and a
/// proxy's `200 Connection established`) are skipped. When the text holds several final responses
/// (`curl -L` followed a redirect), the first is the one a server sees (it does not follow
/// redirects), so that one is kept and the rest is dropped.
pub fn parse_http_response(url: &str, raw: &[u8]) -> Result<FetchedDocument, String> {
    let mut rest = trim_leading_newlines(raw);
    loop {
        if !rest.starts_with(b"HTTP/") {
            let shown = String::from_utf8_lossy(&rest[..rest.len().min(40)]).into_owned();
            return Err(format!(
                "not an HTTP response: expected a status line such as `HTTP/1.1 200 OK`, found `{}` \
                 (save the response with `curl -si URL`)",
                shown.lines().next().unwrap_or_default()
            ));
        }
        let (head, body) =
            split_head(rest).ok_or("the HTTP response has no blank line after its headers")?;
        let head = std::str::from_utf8(head)
            .map_err(|_| "the HTTP response headers are not UTF-8".to_owned())?;
        let mut lines = head.lines().map(|l| l.strip_suffix('\r').unwrap_or(l));
        let status_line = lines.next().unwrap_or_default();
        let status = parse_status_line(status_line)?;
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in lines {
            if line.starts_with([' ', '\t']) {
                // Obsolete line folding (RFC 9112 §5.2): part of the previous value.
                if let Some((_, value)) = headers.last_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                continue;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("malformed header line `{line}` (no `:`)"))?;
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let interim = (100..200).contains(&status)
            || (status == 200
                && status_line
                    .to_ascii_lowercase()
                    .contains("connection established"));
        if interim && trim_leading_newlines(body).starts_with(b"HTTP/") {
            rest = trim_leading_newlines(body);
            continue;
        }
        let body = first_body(body, &headers);
        return Ok(FetchedDocument {
            url: url.to_owned(),
            status,
            headers,
            body: body.to_vec(),
            ..Default::default()
        });
    }
}

fn trim_leading_newlines(mut raw: &[u8]) -> &[u8] {
    while let [b'\r' | b'\n', tail @ ..] = raw {
        raw = tail;
    }
    raw
}

/// Splits at the first empty line (`\r\n\r\n` or `\n\n`).
fn split_head(raw: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\n' {
            let next = &raw[i + 1..];
            if next.starts_with(b"\r\n") {
                return Some((&raw[..i], &next[2..]));
            }
            if next.starts_with(b"\n") {
                return Some((&raw[..i], &next[1..]));
            }
        }
        i += 1;
    }
    None
}

fn parse_status_line(line: &str) -> Result<u16, String> {
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    let code = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/") || code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("malformed status line `{line}`"));
    }
    code.parse()
        .map_err(|_| format!("malformed status line `{line}`"))
}

/// The body of the first final response: up to the next response curl appended (`-L`).
fn first_body<'a>(body: &'a [u8], headers: &[(String, String)]) -> &'a [u8] {
    let next_response = |rest: &[u8]| {
        let rest = trim_leading_newlines(rest);
        rest.starts_with(b"HTTP/")
            && rest.iter().position(|&b| b == b'\n').is_some_and(|end| {
                parse_status_line(String::from_utf8_lossy(&rest[..end]).trim_end_matches('\r'))
                    .is_ok()
            })
    };
    if next_response(body) {
        return &[];
    }
    if let Some(len) =
        header(headers, "content-length").and_then(|v| v.trim().parse::<usize>().ok())
        && len < body.len()
        && next_response(&body[len..])
    {
        return &body[..len];
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;
    use crate::codes::Severity;

    const URL: &str = "https://app.example/client.json";

    fn good_body() -> Vec<u8> {
        format!(
            r#"{{"client_id":"{URL}","client_name":"App","redirect_uris":["http://127.0.0.1/callback"],"token_endpoint_auth_method":"none"}}"#
        )
        .into_bytes()
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> FetchedDocument {
        FetchedDocument {
            url: URL.to_owned(),
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_vec(),
            address: Some("93.184.216.34".parse().unwrap()),
            elapsed_ms: Some(41),
            ..Default::default()
        }
    }

    fn codes(r: &Report) -> Vec<&'static str> {
        r.diagnostics
            .iter()
            .map(super::super::report::Diagnostic::code)
            .collect()
    }

    fn fetch_codes(r: &Report) -> Vec<&'static str> {
        codes(r)
            .into_iter()
            .filter(|c| c.starts_with("CIMD5") || c.starts_with("CIMD6"))
            .collect()
    }

    #[test]
    fn codes_are_in_their_ranges_and_documented() {
        for c in CODES {
            let n: u32 = c.code[4..].parse().unwrap();
            assert!((500..700).contains(&n), "{}", c.code);
            assert!(crate::codes::lookup(c.code).is_some());
        }
    }

    #[test]
    fn a_good_response() {
        let doc = response(
            200,
            &[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Cache-Control", "max-age=3600"),
            ],
            &good_body(),
        );
        let r = validate_fetched(&doc, &Options::default());
        assert!(fetch_codes(&r).is_empty(), "{:#?}", r.diagnostics);
        let fetch = r.fetch.as_ref().unwrap();
        assert_eq!(fetch.status, Some(200));
        assert_eq!(fetch.address.as_deref(), Some("93.184.216.34"));
        assert_eq!(fetch.bytes, Some(good_body().len() as u64));
        assert_eq!(fetch.elapsed_ms, Some(41));
        assert_eq!(r.url.as_deref(), Some(URL));
        assert!(r.valid, "{:#?}", r.diagnostics);
        assert_eq!(fetch.cache_ttl_s, Some(3600));
        assert!(r.document.is_some());
    }

    #[test]
    fn non_200_statuses() {
        let r = validate_fetched(
            &response(404, &[("Content-Type", "text/html")], b"<h1>nope</h1>"),
            &Options::default(),
        );
        assert_eq!(codes(&r), vec!["CIMD500"]);
        assert!(!r.valid);
        assert!(r.diagnostics[0].message.contains("404 Not Found"));
        assert!(r.document.is_none());
        assert_eq!(r.fetch.as_ref().unwrap().cache_ttl_s, None);
        // 2xx other than 200 is an error too; no document rules run on it.
        let r = validate_fetched(&response(204, &[], b""), &Options::default());
        assert_eq!(codes(&r), vec!["CIMD500"]);
    }

    /// A status, headers and body.
    type Answer<'a> = (u16, &'a [(&'a str, &'a str)], &'a [u8]);

    #[test]
    fn bot_challenges_are_recognized() {
        let html = ("Content-Type", "text/html; charset=UTF-8");
        let challenged: &[Answer<'_>] = &[
            (403, &[html, ("cf-mitigated", "challenge")], b"<html>"),
            // Super Bot Fight Mode answers 429 with the same header.
            (429, &[("cf-mitigated", "Challenge")], b""),
            (
                403,
                &[html],
                b"<!DOCTYPE html><title>Just a moment...</title>",
            ),
            (
                503,
                &[],
                b"<html><script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1\">",
            ),
            (
                403,
                &[html],
                b"<html><form id=\"challenge-form\" action=\"/?__cf_chl_tk=x\">",
            ),
            (403, &[("x-vercel-mitigated", "challenge")], b""),
            (
                429,
                &[html],
                b"<html><title>Vercel Security Checkpoint</title>",
            ),
            // AWS WAF answers 202 to a challenge and 405 to a CAPTCHA.
            (202, &[("x-amzn-waf-action", "challenge")], b""),
            (405, &[("x-amzn-waf-action", "captcha")], b""),
        ];
        for (status, headers, body) in challenged {
            let r = validate_fetched(&response(*status, headers, body), &Options::default());
            assert_eq!(codes(&r), vec!["CIMD510"], "{status} {headers:?}");
            let d = &r.diagnostics[0];
            assert!(
                d.message.contains("bot-protection challenge"),
                "{}",
                d.message
            );
            assert!(d.message.contains("data centres will be refused"));
            assert!(d.help.contains("exempt the document's path"));
        }
        let not_challenged: &[Answer<'_>] = &[
            // A CDN's own 403 page is not a challenge by itself: an access rule looks the same.
            (
                403,
                &[("Server", "cloudflare"), html],
                b"<html>Access denied",
            ),
            (
                403,
                &[("Content-Type", "application/json")],
                b"{\"error\":\"just a moment\"}",
            ),
            (404, &[html], b"<title>Just a moment...</title>"),
            (403, &[("cf-mitigated", "block")], b""),
        ];
        for (status, headers, body) in not_challenged {
            let r = validate_fetched(&response(*status, headers, body), &Options::default());
            assert_eq!(codes(&r), vec!["CIMD500"], "{status} {headers:?}");
            assert!(!r.diagnostics[0].message.contains("challenge"));
        }
    }

    #[test]
    fn redirects_report_the_location() {
        let doc = response(
            301,
            &[("Location", "https://app.example/client.json/")],
            b"",
        );
        let r = validate_fetched(&doc, &Options::default());
        assert_eq!(codes(&r), vec!["CIMD501"]);
        let d = &r.diagnostics[0];
        assert!(
            d.message.contains("https://app.example/client.json/"),
            "{}",
            d.message
        );
        assert!(d.message.contains("trailing slash"), "{}", d.message);
        let doc = response(302, &[("location", "https://cdn.example/x.json")], b"");
        let d = &validate_fetched(&doc, &Options::default()).diagnostics[0];
        assert!(d.message.contains("302 Found") && d.help.contains("https://cdn.example/x.json"));
        let d = &validate_fetched(&response(307, &[], b""), &Options::default()).diagnostics[0];
        assert_eq!(d.code(), "CIMD501");
    }

    #[test]
    fn content_types() {
        let body = good_body();
        for ok in [
            "application/json",
            "Application/JSON",
            "application/cimd+json",
            "application/json;charset=\"UTF-8\"",
        ] {
            let r = validate_fetched(
                &response(
                    200,
                    &[("Content-Type", ok), ("Cache-Control", "max-age=60")],
                    &body,
                ),
                &Options::default(),
            );
            assert!(fetch_codes(&r).is_empty(), "{ok}: {:?}", codes(&r));
        }
        for (bad, code) in [
            ("text/plain; charset=utf-8", "CIMD502"),
            ("text/json", "CIMD502"),
            ("application/+json", "CIMD502"),
            ("application/json; charset=iso-8859-1", "CIMD503"),
            ("application/json; charset=utf-16", "CIMD503"),
        ] {
            let r = validate_fetched(
                &response(
                    200,
                    &[("Content-Type", bad), ("Cache-Control", "max-age=60")],
                    &body,
                ),
                &Options::default(),
            );
            assert_eq!(fetch_codes(&r), vec![code], "{bad}");
        }
        let r = validate_fetched(
            &response(200, &[("Cache-Control", "max-age=60")], &body),
            &Options::default(),
        );
        assert_eq!(fetch_codes(&r), vec!["CIMD502"]);
        assert!(r.diagnostics[0].message.contains("no Content-Type"));
        let sev = r
            .diagnostics
            .iter()
            .find(|d| d.code() == "CIMD502")
            .unwrap()
            .severity;
        assert_eq!(sev, Severity::Warning);
        let r = validate_fetched(
            &response(200, &[("Content-Type", "text/plain")], &body),
            &Options::default(),
        );
        assert!(r.diagnostics.iter().any(|d| d.message.contains("gists")));
    }

    #[test]
    fn size_cap() {
        let body = good_body();
        let options = Options {
            max_bytes: 50,
            ..Options::default()
        };
        let mut doc = response(200, &[("Content-Type", "application/json")], &body[..51]);
        doc.truncated = true;
        let r = validate_fetched(&doc, &options);
        assert_eq!(
            codes(&r),
            vec!["CIMD504"],
            "no JSON errors for a cut-off body"
        );
        assert!(r.document.is_none() && !r.valid);
        // Over the cap but read whole (`--http`): still an error, and the document rules run.
        let r = validate_fetched(
            &response(200, &[("Content-Type", "application/json")], &body),
            &options,
        );
        assert!(r.has("CIMD504") && r.document.is_some());
        assert!(
            r.diagnostics
                .iter()
                .any(|d| d.message.contains(&format!("{} bytes", body.len())))
        );
    }

    #[test]
    fn special_use_and_loopback_addresses() {
        let mut doc = response(200, &[("Content-Type", "application/json")], &good_body());
        doc.address = Some("10.1.2.3".parse().unwrap());
        let r = validate_fetched(&doc, &Options::default());
        assert!(r.has("CIMD506") && !r.valid);
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.code() == "CIMD506")
            .unwrap();
        assert!(
            d.message.contains("10.0.0.0/8") && d.message.contains("RFC 1918"),
            "{}",
            d.message
        );
        // Loopback without the testing exception: refused like any other.
        doc.address = Some("127.0.0.1".parse().unwrap());
        assert!(validate_fetched(&doc, &Options::default()).has("CIMD506"));
        doc.allow_loopback = true;
        let r = validate_fetched(&doc, &Options::default());
        assert!(r.has("CIMD508") && !r.has("CIMD506"));
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.code() == "CIMD508")
            .unwrap();
        assert_eq!(d.severity, Severity::Info);
        assert!(d.message.starts_with("LOOPBACK ALLOWED FOR TESTING"));
        // allow_loopback never excuses a private address.
        doc.address = Some("192.168.0.5".parse().unwrap());
        assert!(validate_fetched(&doc, &Options::default()).has("CIMD506"));
    }

    #[test]
    fn cache_advice_and_ttl() {
        let body = good_body();
        let ct = ("Content-Type", "application/json");
        let r = validate_fetched(&response(200, &[ct], &body), &Options::default());
        assert_eq!(fetch_codes(&r), vec!["CIMD600"]);
        assert!(r.diagnostics[0].message.contains("300 s"));
        let r = validate_fetched(
            &response(
                200,
                &[ct, ("Cache-Control", "max-age=31536000, immutable")],
                &body,
            ),
            &Options::default(),
        );
        assert_eq!(fetch_codes(&r), vec!["CIMD601"]);
        assert!(
            r.diagnostics[0].message.contains("cut to 24 h"),
            "{}",
            r.diagnostics[0].message
        );
        let r = validate_fetched(
            &response(200, &[ct, ("Cache-Control", "max-age=1")], &body),
            &Options::default(),
        );
        assert!(r.diagnostics[0].message.contains("raised to 60 s"));
        let r = validate_fetched(
            &response(200, &[ct, ("Cache-Control", "no-store")], &body),
            &Options::default(),
        );
        assert_eq!(fetch_codes(&r), vec!["CIMD602"]);
        for d in &r.diagnostics {
            if d.code().starts_with("CIMD6") {
                assert_eq!(d.severity, Severity::Info);
            }
        }
        // Expires against the time of receipt.
        let mut doc = response(
            200,
            &[ct, ("Expires", "Sun, 06 Nov 1994 10:49:37 GMT")],
            &body,
        );
        doc.received_unix_s = Some(784_111_777);
        let r = validate_fetched(&doc, &Options::default());
        // Cloudflare's provider does not read Expires.
        assert_eq!(fetch_codes(&r), vec!["CIMD603"], "{:?}", codes(&r));
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.code() == "CIMD603")
            .unwrap();
        assert!(d.message.contains("ignores Expires"), "{}", d.message);
        assert!(d.message.contains("every authorization"));
        assert!(d.message.contains("7200 s"));
        assert_eq!(d.severity, Severity::Info);
        assert!(r.valid, "{:#?}", r.diagnostics);
        assert_eq!(r.fetch.unwrap().cache_ttl_s, Some(7200));
        for (cache_control, says) in [
            ("private, max-age=600", "marked `private`"),
            ("max-age=0", "no max-age above 0"),
        ] {
            let r = validate_fetched(
                &response(200, &[ct, ("Cache-Control", cache_control)], &body),
                &Options::default(),
            );
            let d = r.diagnostics.iter().find(|d| d.code() == "CIMD603");
            assert!(
                d.is_some_and(|d| d.message.contains(says)),
                "{cache_control}"
            );
        }
        // Both read max-age; with nothing at all CIMD600 says it, once.
        for headers in [&[ct, ("Cache-Control", "public, max-age=600")][..], &[ct]] {
            let r = validate_fetched(&response(200, headers, &body), &Options::default());
            assert!(!fetch_codes(&r).contains(&"CIMD603"), "{headers:?}");
        }
        // An invalid document is never cached.
        let r = validate_fetched(
            &response(200, &[ct, ("Cache-Control", "max-age=600")], b"{"),
            &Options::default(),
        );
        assert!(!r.valid);
        assert_eq!(r.fetch.unwrap().cache_ttl_s, None);
    }

    #[test]
    fn document_rules_run_with_the_fetched_url() {
        let body = good_body();
        let mut doc = response(
            200,
            &[
                ("Content-Type", "application/json"),
                ("Cache-Control", "max-age=600"),
            ],
            &body,
        );
        doc.url = format!("{URL}/");
        let r = validate_fetched(&doc, &Options::default());
        assert_eq!(r.url.as_deref(), Some(doc.url.as_str()));
        // Document diagnostics have positions into the body; fetch ones do not.
        for d in &r.diagnostics {
            if d.code().starts_with("CIMD5") || d.code().starts_with("CIMD6") {
                assert!(d.span.is_none() && d.pointer.is_none());
            }
        }
    }

    #[test]
    fn urls_that_may_be_fetched() {
        assert_eq!(
            check_fetch_url(URL, false),
            Ok(("app.example".to_owned(), 443))
        );
        assert_eq!(
            check_fetch_url("HTTPS://App.Example:8443/c.json", false),
            Ok(("app.example".to_owned(), 8443))
        );
        assert_eq!(
            check_fetch_url("https://app.example:/c.json", false),
            Ok(("app.example".to_owned(), 443))
        );
        assert_eq!(
            check_fetch_url("https://93.184.216.34/c.json", false),
            Ok(("93.184.216.34".to_owned(), 443))
        );
        assert_eq!(
            check_fetch_url("https://[2606:4700::1111]/c", false),
            Ok(("2606:4700::1111".to_owned(), 443))
        );
        for (url, why) in [
            ("http://app.example/c.json", "only https"),
            ("ftp://app.example/c.json", "only https"),
            ("app.example/c.json", "not absolute"),
            ("https:///169.254.169.254/", "empty host"),
            ("https:/c.json", "no host"),
            ("https://user@app.example/c", "userinfo"),
            ("https://app.example:0/c", "port"),
            ("https://app.example:99999/c", "not a valid URI"),
            ("https://app.example/a b", "not a valid URI"),
            ("https://%61pp.example/c", "percent-encoded"),
        ] {
            match check_fetch_url(url, false) {
                Err(FetchError::Refused(m)) => assert!(m.contains(why), "{url}: {m}"),
                other => panic!("{url}: {other:?}"),
            }
        }
    }

    #[test]
    fn special_use_literals_are_refused_in_every_spelling() {
        for url in [
            "https://127.0.0.1/c",
            "https://2130706433/c",
            "https://0x7f.1/c",
            "https://0177.0.0.1/c",
            "https://127.1/c",
            "https://[::1]/c",
            "https://[::ffff:127.0.0.1]/c",
            "https://localhost/c",
            "https://LocalHost./c",
            "https://app.localhost/c",
            "https://10.0.0.1/c",
            "https://169.254.169.254/latest/meta-data",
            "https://0xa9fea9fe/c",
            "https://[64:ff9b::a00:1]/c",
            "https://[fd00::1]/c",
            "https://0.0.0.0/c",
        ] {
            assert!(
                matches!(
                    check_fetch_url(url, false),
                    Err(FetchError::SpecialUseAddress { .. })
                ),
                "{url}: {:?}",
                check_fetch_url(url, false)
            );
        }
        // The testing exception covers loopback only, and canonicalizes the address.
        assert_eq!(
            check_fetch_url("https://0x7f.1:8443/c", true),
            Ok(("127.0.0.1".to_owned(), 8443))
        );
        assert_eq!(
            check_fetch_url("https://[::1]/c", true),
            Ok(("::1".to_owned(), 443))
        );
        assert_eq!(
            check_fetch_url("https://localhost/c", true),
            Ok(("localhost".to_owned(), 443))
        );
        assert!(check_fetch_url("https://10.0.0.1/c", true).is_err());
        assert!(check_fetch_url("https://0.0.0.0/c", true).is_err());
    }

    #[test]
    fn addresses() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            check_address("app.example", ip("93.184.216.34"), false),
            Ok(())
        );
        assert_eq!(
            check_address("app.example", ip("2606:4700::1111"), false),
            Ok(())
        );
        assert_eq!(
            check_address("app.example", ip("10.0.0.1"), true),
            Err(FetchError::SpecialUseAddress {
                host: "app.example".into(),
                address: ip("10.0.0.1")
            })
        );
        assert!(check_address("app.example", ip("127.0.0.1"), false).is_err());
        assert!(check_address("app.example", ip("127.0.0.1"), true).is_ok());
        assert!(check_address("app.example", ip("::1"), true).is_ok());
        assert!(check_address("app.example", ip("::ffff:127.0.0.1"), true).is_ok());
        assert!(check_address("app.example", ip("64:ff9b::7f00:1"), true).is_err());
        let e = check_address("app.example", ip("100.64.1.1"), false).unwrap_err();
        assert!(
            e.to_string().contains("100.64.0.0/10") && e.to_string().contains("RFC 6598"),
            "{e}"
        );
    }

    #[test]
    fn failure_reports() {
        let o = Options::default();
        let r = failure_report(URL, &FetchError::Timeout { after_ms: 1000 }, &o);
        assert_eq!(codes(&r), vec!["CIMD505"]);
        assert!(r.diagnostics[0].message.contains("1 s"));
        assert_eq!(r.fetch.as_ref().unwrap().elapsed_ms, Some(1000));
        assert!(!r.valid && r.document.is_none());
        assert_eq!(r.url.as_deref(), Some(URL));
        let e = FetchError::SpecialUseAddress {
            host: "intranet.example".into(),
            address: "10.0.0.12".parse().unwrap(),
        };
        let r = failure_report("https://intranet.example/c", &e, &o);
        assert_eq!(codes(&r), vec!["CIMD506"]);
        let m = &r.diagnostics[0].message;
        assert!(
            m.contains("resolves to 10.0.0.12")
                && m.contains("10.0.0.0/8")
                && m.contains("RFC 1918"),
            "{m}"
        );
        assert_eq!(
            r.fetch.as_ref().unwrap().address.as_deref(),
            Some("10.0.0.12")
        );
        let e = FetchError::SpecialUseAddress {
            host: "localhost".into(),
            address: "127.0.0.1".parse().unwrap(),
        };
        assert!(
            failure_report("https://localhost/c", &e, &o).diagnostics[0]
                .message
                .contains("loopback name")
        );
        for (e, code, word) in [
            (FetchError::Resolve("no such host".into()), "CIMD507", "DNS"),
            (
                FetchError::Connect("connection refused".into()),
                "CIMD507",
                "connection",
            ),
            (
                FetchError::Tls("certificate expired".into()),
                "CIMD507",
                "TLS",
            ),
            (
                FetchError::Other("truncated headers".into()),
                "CIMD507",
                "truncated",
            ),
            (
                FetchError::Refused("only https URLs are fetched".into()),
                "CIMD509",
                "https",
            ),
        ] {
            let r = failure_report(URL, &e, &o);
            assert_eq!(codes(&r), vec![code]);
            assert!(
                r.diagnostics[0].message.contains(word),
                "{}",
                r.diagnostics[0].message
            );
            assert_eq!(r.diagnostics[0].severity, Severity::Error);
        }
    }

    #[test]
    fn parses_curl_output() {
        let raw = b"HTTP/2 200 \r\ncontent-type: application/json\r\ncache-control: max-age=60\r\n\r\n{\"a\":1}";
        let doc = parse_http_response(URL, raw).unwrap();
        assert_eq!(doc.status, 200);
        assert_eq!(
            doc.headers[0],
            ("content-type".to_owned(), "application/json".to_owned())
        );
        assert_eq!(doc.body, b"{\"a\":1}");
        assert_eq!(doc.url, URL);
        assert!(!doc.truncated && doc.address.is_none());
        // LF only, reason phrase, folded header.
        let raw = b"HTTP/1.1 404 Not Found\nServer: x\nX-Long: a\n  b\n\nnope\n";
        let doc = parse_http_response(URL, raw).unwrap();
        assert_eq!(
            (doc.status, doc.body.as_slice()),
            (404, b"nope\n".as_slice())
        );
        assert_eq!(doc.headers[1].1, "a b");
        // 100 Continue and 103 Early Hints are skipped.
        let raw = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}";
        let doc = parse_http_response(URL, raw).unwrap();
        assert_eq!((doc.status, doc.body.as_slice()), (200, b"{}".as_slice()));
        // A proxy's tunnel response is skipped.
        let raw = b"HTTP/1.1 200 Connection established\r\n\r\nHTTP/2 404\r\n\r\n";
        assert_eq!(parse_http_response(URL, raw).unwrap().status, 404);
        // curl -L: the first final response is what a server sees.
        let raw = b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://app.example/client.json/\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}";
        let doc = parse_http_response(URL, raw).unwrap();
        assert_eq!(doc.status, 301);
        assert!(doc.body.is_empty());
        let raw = b"HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 5\r\n\r\nmovedHTTP/1.1 200 OK\r\n\r\n{}";
        assert_eq!(parse_http_response(URL, raw).unwrap().body, b"moved");
        // A body that merely mentions HTTP/ is kept whole.
        let raw = b"HTTP/1.1 200 OK\r\n\r\n{\"x\":\"HTTP/1.1 200 OK\"}";
        assert_eq!(
            parse_http_response(URL, raw).unwrap().body,
            b"{\"x\":\"HTTP/1.1 200 OK\"}"
        );
        // Leading blank lines are tolerated; an empty body is fine.
        assert_eq!(
            parse_http_response(URL, b"\r\nHTTP/1.0 200 OK\r\n\r\n")
                .unwrap()
                .body,
            b""
        );
    }

    #[test]
    fn rejects_what_is_not_an_http_response() {
        for (raw, why) in [
            (b"{\"client_id\":1}".as_slice(), "not an HTTP response"),
            (
                b"HTTP/1.1 200 OK\r\nContent-Type: x".as_slice(),
                "no blank line",
            ),
            (b"HTTP/1.1 OK\r\n\r\n".as_slice(), "malformed status line"),
            (
                b"HTTP/1.1 2000 OK\r\n\r\n".as_slice(),
                "malformed status line",
            ),
            (
                b"HTTP/1.1 200 OK\r\nbad header\r\n\r\n".as_slice(),
                "malformed header",
            ),
            (b"".as_slice(), "not an HTTP response"),
        ] {
            let e = parse_http_response(URL, raw).unwrap_err();
            assert!(e.contains(why), "{e}");
        }
    }

    #[test]
    fn parsed_responses_validate() {
        let mut raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: max-age=600\r\n\r\n".to_vec();
        raw.extend(good_body());
        let doc = parse_http_response(URL, &raw).unwrap();
        let r = validate_fetched(&doc, &Options::default());
        assert!(fetch_codes(&r).is_empty(), "{:?}", codes(&r));
        assert_eq!(r.fetch.as_ref().unwrap().address, None);
    }
}
