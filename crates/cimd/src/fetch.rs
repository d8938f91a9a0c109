//! The fetch policy: what a careful authorization server does with the response to a document fetch
//! (-02 §5, §8.6, §8.7; decisions D12, D21, D22). Pure functions on a [`FetchedDocument`]: the host
//! does the I/O (resolve, connect to the checked address, no redirects, cap, timeout).

use std::net::IpAddr;

use crate::codes::Code;

/// The codes declared by the fetch rules (5xx, 6xx).
pub(crate) static CODES: &[&Code] = &[];

/// Everything the host learnt from one fetch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchedDocument {
    /// The URL that was requested (the one the client_id must equal).
    pub url: String,
    pub status: u16,
    /// Response headers in order, names as received.
    pub headers: Vec<(String, String)>,
    /// The body, at most the cap (plus one byte, to tell "exactly at the cap" from "over").
    pub body: Vec<u8>,
    /// The host stopped reading because the body exceeded the cap.
    pub truncated: bool,
    /// The address the host connected to (after its own special-use check).
    pub address: Option<IpAddr>,
    pub elapsed_ms: Option<u64>,
}

/// Why a fetch produced no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The URL may not be fetched at all (not https, no host, ...); the message says why.
    Refused(String),
    /// The name did not resolve.
    Resolve(String),
    /// Every address the name resolved to is special-use (RFC 6890).
    SpecialUseAddress { host: String, address: IpAddr },
    /// TCP or TLS failure.
    Connect(String),
    Tls(String),
    Timeout { after_ms: u64 },
    /// Anything else (I/O while reading, a malformed response).
    Other(String),
}
