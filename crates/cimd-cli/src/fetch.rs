//! Fetching a document as a careful authorization server does (-03 §5, §9.6, §9.7;
//! docs/decisions.md#fetching).
//!
//! The policy lives in the core (`cimd::fetch`); this module only does the I/O:
//! 1. `check_fetch_url`: https, a host, no special-use literal (loopback only with `allow_loopback`);
//! 2. resolve the name (or take a `--resolve` pin) and refuse if **any** address is special-use;
//! 3. connect to an address that was checked, never to a second lookup's answer (DNS rebinding):
//!    ureq is handed a resolver that returns exactly that address, while TLS SNI and `Host` stay
//!    the URL's host;
//! 4. `GET` with `Accept: application/json`, `User-Agent: cimd/<version>`, no redirects, no proxy,
//!    no compression (the cap counts the bytes served), one overall deadline;
//! 5. read the body as a stream up to the cap plus one byte and stop there.
//!
//! HTTP stack: ureq 3 (blocking, rustls with ring, webpki roots). It has no async runtime, so it
//! builds in a fraction of reqwest's time on two cores (reqwest blocking pulls in tokio, hyper and
//! tower), it never follows redirects when `max_redirects` is 0, and its pluggable resolver is
//! exactly the hook DNS pinning needs. The resolver trait is in ureq's `unversioned` module (not
//! covered by semver), so the version is pinned to 3.5 minor releases in Cargo.toml's lock.

use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use cimd::fetch::{FetchError, FetchedDocument, check_address, check_fetch_url};
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

const USER_AGENT: &str = concat!("cimd/", env!("CARGO_PKG_VERSION"));

/// How to fetch.
#[derive(Debug, Clone)]
pub(crate) struct FetchOptions {
    /// One deadline for everything: resolving, connecting, TLS, headers and body.
    pub(crate) timeout: Duration,
    /// Stop reading after this many bytes (the document is then too large).
    pub(crate) max_bytes: usize,
    /// `--resolve HOST:PORT:ADDR` pins, as curl has them: no DNS lookup for that host and port.
    pub(crate) resolve: Vec<(String, u16, IpAddr)>,
    /// Extra trust anchors (PEM), on top of the webpki roots.
    pub(crate) ca_cert: Option<PathBuf>,
    /// Allow loopback addresses (testing only: -03 §9.6; the report says so loudly).
    pub(crate) allow_loopback: bool,
    /// Show a spinner on stderr while waiting.
    pub(crate) spinner: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            max_bytes: cimd::DEFAULT_MAX_BYTES,
            resolve: Vec::new(),
            ca_cert: None,
            allow_loopback: false,
            spinner: false,
        }
    }
}

/// Parses one `--resolve` value, curl syntax `HOST:PORT:ADDR[,ADDR...]`; an IPv6 address may be
/// bracketed (`cimd.test:443:[::1]`).
pub(crate) fn parse_resolve(spec: &str) -> Result<Vec<(String, u16, IpAddr)>, String> {
    let bad = || {
        format!("--resolve `{spec}`: expected HOST:PORT:ADDRESS, e.g. app.example:443:127.0.0.1")
    };
    let (host, rest) = spec.split_once(':').ok_or_else(bad)?;
    let (port, addrs) = rest.split_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if host.is_empty() || addrs.is_empty() {
        return Err(bad());
    }
    addrs
        .split(',')
        .map(|a| {
            let a = a.trim();
            let a = a
                .strip_prefix('[')
                .and_then(|a| a.strip_suffix(']'))
                .unwrap_or(a);
            a.parse::<IpAddr>()
                .map(|ip| (host.to_owned(), port, ip))
                .map_err(|_| format!("--resolve `{spec}`: `{a}` is not an IP address"))
        })
        .collect()
}

/// Fetches `url` as a server would (see the module docs). A `FetchedDocument` comes back for any
/// HTTP response, whatever its status; `FetchError` when none arrived or the fetch was refused.
pub(crate) fn fetch(url: &str, opts: &FetchOptions) -> Result<FetchedDocument, FetchError> {
    let started = Instant::now();
    let deadline = started + opts.timeout;
    let (host, port) = check_fetch_url(url, opts.allow_loopback)?;
    let _spinner = Spinner::start(opts.spinner, url);
    let addresses = resolve(&host, port, &opts.resolve, deadline, started)?;
    for ip in &addresses {
        check_address(&host, *ip, opts.allow_loopback)?;
    }
    let tls = tls_config(opts.ca_cert.as_deref())?;
    // The fragment is never sent (RFC 9110 §7.1); the report keeps the URL as given.
    let request_url = url.split_once('#').map_or(url, |(before, _)| before);
    let mut refused = Vec::new();
    for ip in addresses {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(FetchError::Timeout {
                after_ms: elapsed_ms(started),
            });
        }
        let address = SocketAddr::new(ip, port);
        match attempt(
            request_url,
            address,
            &tls,
            remaining,
            opts.max_bytes,
            started,
        ) {
            Ok(response) => {
                return Ok(FetchedDocument {
                    url: url.to_owned(),
                    status: response.status,
                    headers: response.headers,
                    truncated: response.body.len() > opts.max_bytes,
                    body: response.body,
                    address: Some(ip),
                    elapsed_ms: Some(elapsed_ms(started)),
                    allow_loopback: opts.allow_loopback,
                    received_unix_s: SystemTime::now()
                        .duration_since(SystemTime::UNIX_EPOCH)
                        .ok()
                        .map(|d| d.as_secs()),
                });
            }
            // Like curl, try the next checked address when this one refuses the connection.
            Err(FetchError::Connect(why)) => refused.push(format!("{address}: {why}")),
            Err(e) => return Err(e),
        }
    }
    if refused.is_empty() {
        return Err(FetchError::Resolve(format!("{host} has no address")));
    }
    Err(FetchError::Connect(refused.join("; ")))
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The addresses to try: the literal, the pins for this host and port, or a DNS lookup bounded by
/// the deadline (std's resolver cannot be cancelled, so it runs on its own thread).
fn resolve(
    host: &str,
    port: u16,
    pins: &[(String, u16, IpAddr)],
    deadline: Instant,
    started: Instant,
) -> Result<Vec<IpAddr>, FetchError> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    let bare = |h: &str| h.trim_end_matches('.').to_ascii_lowercase();
    let pinned: Vec<IpAddr> = pins
        .iter()
        .filter(|(h, p, _)| bare(h) == bare(host) && *p == port)
        .map(|(_, _, ip)| *ip)
        .collect();
    if !pinned.is_empty() {
        return Ok(pinned);
    }
    let (tx, rx) = mpsc::channel();
    let name = host.to_owned();
    std::thread::spawn(move || {
        let result = (name.as_str(), port)
            .to_socket_addrs()
            .map(|it| it.map(|a| a.ip()).collect::<Vec<_>>());
        let _ = tx.send(result);
    });
    match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Ok(found)) => {
            let mut unique: Vec<IpAddr> = Vec::with_capacity(found.len());
            for ip in found {
                if !unique.contains(&ip) {
                    unique.push(ip);
                }
            }
            if unique.is_empty() {
                Err(FetchError::Resolve(format!("{host} has no address")))
            } else {
                Ok(unique)
            }
        }
        Ok(Err(e)) => Err(FetchError::Resolve(format!("cannot resolve {host}: {e}"))),
        Err(_) => Err(FetchError::Timeout {
            after_ms: elapsed_ms(started),
        }),
    }
}

/// Webpki roots, plus the certificates of `ca_cert` when given.
fn tls_config(ca_cert: Option<&Path>) -> Result<TlsConfig, FetchError> {
    let Some(path) = ca_cert else {
        return Ok(TlsConfig::builder().root_certs(RootCerts::WebPki).build());
    };
    let unreadable =
        |why: String| FetchError::Other(format!("cannot use --ca-cert {}: {why}", path.display()));
    let pem = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|c| Certificate::from_der(c.as_ref()))
        .collect();
    let before = roots.len();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => roots.push(cert),
            Ok(_) => {}
            Err(e) => return Err(unreadable(e.to_string())),
        }
    }
    if roots.len() == before {
        return Err(unreadable("no PEM certificate in the file".to_owned()));
    }
    Ok(TlsConfig::builder()
        .root_certs(RootCerts::from(roots))
        .build())
}

/// Hands ureq the one address that was checked, whatever name the URL has.
#[derive(Debug)]
struct Pinned(SocketAddr);

impl Resolver for Pinned {
    fn resolve(
        &self,
        _uri: &ureq::http::Uri,
        _config: &ureq::config::Config,
        _timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let mut addresses = self.empty();
        addresses.push(self.0);
        Ok(addresses)
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn attempt(
    url: &str,
    address: SocketAddr,
    tls: &TlsConfig,
    timeout: Duration,
    max_bytes: usize,
    started: Instant,
) -> Result<Response, FetchError> {
    let config = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .https_only(true)
        .proxy(None)
        .timeout_global(Some(timeout))
        .user_agent(USER_AGENT)
        .accept("application/json")
        .tls_config(tls.clone())
        .build();
    let agent = ureq::Agent::with_parts(config, DefaultConnector::default(), Pinned(address));
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| classify(e, started, false))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    let cap = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    response
        .body_mut()
        .as_reader()
        .take(cap)
        .read_to_end(&mut body)
        .map_err(|e| classify(ureq::Error::from(e), started, true))?;
    // Dropping the response here closes the connection: the rest of an oversized body is not read.
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// Sorts ureq's errors into the core's kinds; `reading` is set once the headers arrived.
fn classify(error: ureq::Error, started: Instant, reading: bool) -> FetchError {
    use std::io::ErrorKind;
    let timeout = || FetchError::Timeout {
        after_ms: elapsed_ms(started),
    };
    match error {
        ureq::Error::Timeout(_) => timeout(),
        ureq::Error::HostNotFound => FetchError::Resolve("host not found".to_owned()),
        ureq::Error::ConnectionFailed => FetchError::Connect("could not connect".to_owned()),
        ureq::Error::Tls(why) => FetchError::Tls(why.to_owned()),
        ureq::Error::Rustls(e) => FetchError::Tls(describe_rustls(&e)),
        ureq::Error::Io(e) => {
            if let Some(tls) = e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            {
                return FetchError::Tls(describe_rustls(tls));
            }
            match e.kind() {
                ErrorKind::TimedOut | ErrorKind::WouldBlock => timeout(),
                ErrorKind::ConnectionRefused
                | ErrorKind::HostUnreachable
                | ErrorKind::NetworkUnreachable
                | ErrorKind::AddrNotAvailable
                    if !reading =>
                {
                    FetchError::Connect(e.to_string())
                }
                _ if reading => FetchError::Other(format!("reading the body failed: {e}")),
                _ => FetchError::Connect(e.to_string()),
            }
        }
        ureq::Error::Protocol(e) => {
            FetchError::Other(format!("the server sent a malformed HTTP response: {e}"))
        }
        ureq::Error::LargeResponseHeader(size, limit) => FetchError::Other(format!(
            "the response headers are too large ({size} bytes, limit {limit})"
        )),
        other => FetchError::Other(other.to_string()),
    }
}

fn describe_rustls(error: &rustls::Error) -> String {
    use rustls::CertificateError;
    match error {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "the certificate is not signed by a trusted CA (unknown issuer; self-signed, or the \
             intermediate certificates are missing)"
                .to_owned()
        }
        rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        ) => "the certificate has expired".to_owned(),
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => "the certificate is not valid for this host name".to_owned(),
        other => other.to_string(),
    }
}

/// A spinner on stderr while the fetch runs; cleared when dropped.
struct Spinner(Option<indicatif::ProgressBar>);

impl Spinner {
    fn start(on: bool, url: &str) -> Self {
        if !on {
            return Self(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!("Fetching {url}"));
        bar.enable_steady_tick(Duration::from_millis(100));
        Self(Some(bar))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_pins_in_curl_syntax() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            parse_resolve("cimd.test:443:127.0.0.1"),
            Ok(vec![("cimd.test".into(), 443, ip("127.0.0.1"))])
        );
        assert_eq!(
            parse_resolve("cimd.test:8443:[::1]"),
            Ok(vec![("cimd.test".into(), 8443, ip("::1"))])
        );
        assert_eq!(
            parse_resolve("h:1:::1"),
            Ok(vec![("h".into(), 1, ip("::1"))])
        );
        assert_eq!(parse_resolve("h:1:10.0.0.1,10.0.0.2").unwrap().len(), 2);
        for bad in [
            "cimd.test",
            "cimd.test:443",
            "cimd.test:x:1.2.3.4",
            ":443:1.2.3.4",
            "h:443:",
            "h:443:nope",
        ] {
            assert!(parse_resolve(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pins_and_literals_skip_dns() {
        let far = Instant::now() + Duration::from_secs(5);
        let pins = vec![("Cimd.Test".to_owned(), 443, "203.0.113.7".parse().unwrap())];
        assert_eq!(
            resolve("cimd.test", 443, &pins, far, Instant::now()),
            Ok(vec!["203.0.113.7".parse().unwrap()])
        );
        assert_eq!(
            resolve("::1", 443, &pins, far, Instant::now()),
            Ok(vec!["::1".parse().unwrap()])
        );
    }

    #[test]
    fn refuses_special_use_before_any_io() {
        let opts = FetchOptions {
            timeout: Duration::from_secs(1),
            ..FetchOptions::default()
        };
        for url in [
            "https://127.0.0.1:1/x",
            "https://0x7f.1:1/x",
            "https://[::1]:1/x",
            "https://localhost:1/x",
        ] {
            assert!(
                matches!(fetch(url, &opts), Err(FetchError::SpecialUseAddress { .. })),
                "{url}"
            );
        }
        assert!(matches!(
            fetch("http://app.example/x", &opts),
            Err(FetchError::Refused(_))
        ));
        // A pin to a private address is judged like a DNS answer.
        let opts = FetchOptions {
            resolve: vec![("cimd.test".into(), 443, "10.0.0.1".parse().unwrap())],
            allow_loopback: true,
            ..opts
        };
        assert!(matches!(
            fetch("https://cimd.test/x", &opts),
            Err(FetchError::SpecialUseAddress { address, .. }) if address == "10.0.0.1".parse::<IpAddr>().unwrap()
        ));
    }

    #[test]
    fn unreadable_ca_file() {
        let e = tls_config(Some(Path::new("/nonexistent/ca.pem"))).unwrap_err();
        assert!(matches!(e, FetchError::Other(m) if m.contains("--ca-cert")));
    }
}
