//! `GET /api/validate?url=`: fetching a document as a careful authorization server does, mirroring
//! the CLI's `crates/cimd-cli/src/fetch.rs` with the Worker's I/O (the [`Platform`]). The policy is
//! the core's (`cimd::fetch`): the URL is checked before any I/O, every address the name resolves
//! to (DNS over HTTPS) is checked, the document is requested without following redirects, the body
//! is read up to the cap, one deadline covers it all; the core judges the response.
//!
//! What the Worker cannot do that the CLI does: connect to the address it checked. The runtime's
//! `fetch` resolves the name again, so a name that answers differently to the second lookup (DNS
//! rebinding) is only stopped by the platform itself (Cloudflare does not route Workers' requests
//! to private networks).

use std::net::IpAddr;

use cimd::fetch::{FetchError, FetchedDocument, check_address, check_fetch_url};
use serde::{Deserialize, Serialize};

use crate::app::Platform;

/// The largest `max_bytes` a caller may ask for: the body is held in memory.
pub(crate) const MAX_FETCH_BYTES: usize = 1024 * 1024;

/// A response as the host read it: the body up to the cap plus one byte.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Fetched {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// Fetches `url` (see the module docs); the caller bounds it with the deadline. `started_ms` is
/// the platform clock when the request began.
pub(crate) async fn fetch_document<P: Platform>(
    platform: &P,
    url: &str,
    max_bytes: usize,
    started_ms: u64,
    conditional: &[(String, String)],
) -> Result<FetchedDocument, FetchError> {
    let (host, _port) = check_fetch_url(url, false)?;
    let addresses = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => platform.resolve(&host).await?,
    };
    if addresses.is_empty() {
        return Err(FetchError::Resolve(format!("{host} has no address")));
    }
    for ip in &addresses {
        check_address(&host, *ip, false)?;
    }
    // The fragment is never sent (RFC 9110 §7.1); the report keeps the URL as given.
    let request_url = url.split_once('#').map_or(url, |(before, _)| before);
    let response = platform.get(request_url, max_bytes, conditional).await?;
    let now = platform.now_ms();
    Ok(FetchedDocument {
        url: url.to_owned(),
        status: response.status,
        headers: response.headers,
        truncated: response.body.len() > max_bytes,
        body: response.body,
        address: addresses.first().copied(),
        elapsed_ms: Some(now.saturating_sub(started_ms)),
        allow_loopback: false,
        received_unix_s: Some(now / 1000),
    })
}

/// A DNS JSON answer (`application/dns-json`, as Cloudflare and Google serve it).
#[derive(Debug, Deserialize)]
struct DnsJson {
    #[serde(rename = "Status")]
    status: u16,
    #[serde(rename = "Answer", default)]
    answer: Vec<DnsRecord>,
}

#[derive(Debug, Deserialize)]
struct DnsRecord {
    #[serde(rename = "type")]
    kind: u16,
    data: String,
}

/// The A (1) and AAAA (28) addresses of a DNS JSON answer; CNAMEs and other records are skipped
/// (the resolver follows the chain and lists the final addresses).
pub(crate) fn parse_dns_json(host: &str, body: &[u8]) -> Result<Vec<IpAddr>, FetchError> {
    let answer: DnsJson = serde_json::from_slice(body).map_err(|e| {
        FetchError::Resolve(format!(
            "the DNS-over-HTTPS answer for {host} is malformed: {e}"
        ))
    })?;
    match answer.status {
        0 => {}
        3 => {
            return Err(FetchError::Resolve(format!(
                "{host}: no such domain (NXDOMAIN)"
            )));
        }
        2 => {
            return Err(FetchError::Resolve(format!(
                "{host}: the resolver failed (SERVFAIL)"
            )));
        }
        rcode => {
            return Err(FetchError::Resolve(format!(
                "{host}: DNS error (RCODE {rcode})"
            )));
        }
    }
    answer
        .answer
        .iter()
        .filter(|r| r.kind == 1 || r.kind == 28)
        .map(|r| {
            r.data.parse::<IpAddr>().map_err(|_| {
                FetchError::Resolve(format!(
                    "{host}: the resolver answered `{}`, not an address",
                    r.data
                ))
            })
        })
        .collect()
}

/// What the cache keeps of a fetch whose report was valid: the response, so that a hit is judged
/// again by the core (and can be rendered as text) exactly as the first time.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct CachedFetch {
    url: String,
    status: u16,
    headers: Vec<(String, String)>,
    /// A valid document is UTF-8 JSON.
    body: String,
    address: Option<IpAddr>,
    elapsed_ms: Option<u64>,
    received_unix_s: Option<u64>,
    /// Until when (Unix seconds) the entry answers without asking the origin; after that it is
    /// revalidated with its ETag / Last-Modified (docs/decisions.md#caching). Absent in entries
    /// written before this field.
    #[serde(default)]
    fresh_until_s: Option<u64>,
}

/// How long an entry is kept past its freshness, to be revalidated rather than fetched whole.
pub(crate) const STALE_KEEP_S: u64 = 24 * 60 * 60;

/// The response headers a 304 replaces in the stored response (RFC 9111 §4.3.4).
const REFRESHED_HEADERS: &[&str] = &[
    "cache-control",
    "expires",
    "date",
    "etag",
    "last-modified",
    "age",
    "vary",
];

impl CachedFetch {
    /// `None` when the body is not UTF-8 (never the case for a valid document). `ttl_s` is the
    /// lifetime the core gave the document, counted from `now_s`.
    pub(crate) fn of(doc: &FetchedDocument, now_s: u64, ttl_s: u64) -> Option<Self> {
        Some(Self {
            fresh_until_s: Some(now_s.saturating_add(ttl_s)),
            url: doc.url.clone(),
            status: doc.status,
            headers: doc.headers.clone(),
            body: String::from_utf8(doc.body.clone()).ok()?,
            address: doc.address,
            elapsed_ms: doc.elapsed_ms,
            received_unix_s: doc.received_unix_s,
        })
    }

    /// Whether the entry may answer without asking the origin.
    pub(crate) fn is_fresh(&self, now_s: u64) -> bool {
        self.fresh_until_s.is_none_or(|until| now_s < until)
    }

    /// The conditional request headers of a revalidation: empty when the origin gave no validator.
    pub(crate) fn validators(&self) -> Vec<(String, String)> {
        let header = |name: &str| {
            self.headers
                .iter()
                .rev()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let mut out = Vec::new();
        if let Some(etag) = header("etag") {
            out.push(("if-none-match".to_owned(), etag));
        }
        if let Some(date) = header("last-modified") {
            out.push(("if-modified-since".to_owned(), date));
        }
        out
    }

    /// The stored response brought up to date by a 304 (`not_modified`): its caching headers
    /// replace the stored ones, and the time, address and elapsed time are the new request's.
    pub(crate) fn refreshed(mut self, not_modified: &FetchedDocument) -> FetchedDocument {
        for name in REFRESHED_HEADERS {
            let new: Vec<(String, String)> = not_modified
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .cloned()
                .collect();
            if !new.is_empty() {
                self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                self.headers.extend(new);
            }
        }
        self.address = not_modified.address;
        self.elapsed_ms = not_modified.elapsed_ms;
        self.received_unix_s = not_modified.received_unix_s;
        self.into_document()
    }

    pub(crate) fn into_document(self) -> FetchedDocument {
        FetchedDocument {
            url: self.url,
            status: self.status,
            headers: self.headers,
            body: self.body.into_bytes(),
            truncated: false,
            address: self.address,
            elapsed_ms: self.elapsed_ms,
            allow_loopback: false,
            received_unix_s: self.received_unix_s,
        }
    }
}

/// The cache key of a fetch with these options: a URL (the Cache API keys by request URL) that no
/// client can ask for, since `.invalid` never resolves (RFC 6761 §6.4).
pub(crate) fn cache_key(url: &str, options: &cimd::Options) -> String {
    format!(
        "https://cache.cimd.invalid/v1/validate?profile={}&strict={}&max_bytes={}&url={}",
        options.profile.as_str(),
        options.strict,
        options.max_bytes,
        crate::http::percent_encode(url)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_json_answers() {
        let body = br#"{"Status":0,"Answer":[{"name":"a.example","type":5,"TTL":1,"data":"b.example."},
            {"name":"b.example","type":1,"TTL":1,"data":"93.184.216.34"},{"name":"b.example","type":28,"TTL":1,"data":"2606:2800:220:1::1"}]}"#;
        assert_eq!(
            parse_dns_json("a.example", body).unwrap(),
            vec![
                "93.184.216.34".parse::<IpAddr>().unwrap(),
                "2606:2800:220:1::1".parse().unwrap()
            ]
        );
        assert!(
            parse_dns_json("a.example", br#"{"Status":0}"#)
                .unwrap()
                .is_empty()
        );
        for bad in [
            &br#"{"Status":3}"#[..],
            br#"{"Status":2}"#,
            br#"{"Status":5}"#,
            b"<html>",
            br#"{"Status":0,"Answer":[{"type":1,"data":"x"}]}"#,
        ] {
            assert!(
                matches!(
                    parse_dns_json("a.example", bad),
                    Err(FetchError::Resolve(_))
                ),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn cache_keys_separate_options_and_urls() {
        let options = cimd::Options::default();
        let a = cache_key("https://a.example/c.json?x=1&y", &options);
        assert_eq!(
            a,
            "https://cache.cimd.invalid/v1/validate?profile=mcp&strict=false&max_bytes=5120&url=https%3A%2F%2Fa.example%2Fc.json%3Fx%3D1%26y"
        );
        let strict = cimd::Options {
            strict: true,
            ..cimd::Options::default()
        };
        assert_ne!(a, cache_key("https://a.example/c.json?x=1&y", &strict));
        assert_ne!(a, cache_key("https://a.example/c.json?x=1", &options));
    }
}
