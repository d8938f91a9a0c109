//! The wasm host: the Workers runtime behind [`Platform`], and the conversions between
//! `worker::Request`/`Response` and the routes' [`Incoming`]/[`Reply`]. I/O only; the routes are
//! in `app.rs` and the policy in the core.

use std::cell::RefCell;
use std::future::{Future, poll_fn};
use std::net::IpAddr;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use cimd::fetch::FetchError;
use futures_util::StreamExt as _;
use worker::{
    AbortController, AbortSignal, Cache, Context, Date, Delay, Env, Fetch, Headers, Method,
    Request, RequestInit, RequestRedirect, Response, event,
};

use crate::app::{self, Platform};
use crate::fetching::{Fetched, parse_dns_json};
use crate::http::{Body, Incoming, REQUEST_MAX_BYTES, Reply, percent_encode};

const USER_AGENT: &str = concat!(
    "cimd-worker/",
    env!("CARGO_PKG_VERSION"),
    " (CIMD validator)"
);
/// The request headers the routes look at.
const READ_HEADERS: [&str; 3] = ["content-type", "if-none-match", "cf-connecting-ip"];
/// The rate-limit binding of `wrangler.toml` (`[[ratelimits]]`).
const RATE_LIMIT_BINDING: &str = "FETCH_RATE_LIMIT";
const DEFAULT_DOH_URL: &str = "https://cloudflare-dns.com/dns-query";
const DEFAULT_TIMEOUT_MS: u64 = 10_000;
/// How much of an oversized request body is read (and dropped) before answering 413.
const DRAIN_MAX_BYTES: usize = 1024 * 1024;
/// A DNS JSON answer is a few hundred bytes.
const DNS_MAX_BYTES: usize = 64 * 1024;

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let incoming = incoming(&mut req).await;
    let platform = WorkerPlatform::new(&env);
    let reply = app::handle(&platform, &incoming).await;
    response(reply).or_else(|e| Response::error(format!("internal error: {e}"), 500))
}

async fn incoming(req: &mut Request) -> Incoming {
    // The method as sent: worker::Method maps unknown methods to GET.
    let method = req.inner().method();
    let (path, query) = match req.url() {
        Ok(url) => (url.path().to_owned(), url.query().map(str::to_owned)),
        Err(_) => (req.path(), None),
    };
    // Only the headers the routes read cross the boundary (not every header of every request).
    let headers = READ_HEADERS
        .iter()
        .filter_map(|name| Some(((*name).to_owned(), req.headers().get(name).ok()??)))
        .collect();
    let body = if matches!(method.as_str(), "POST" | "PUT" | "PATCH") {
        read_body(req).await
    } else {
        Body::Empty
    };
    Incoming {
        method,
        path,
        query,
        headers,
        body,
    }
}

/// The body up to [`REQUEST_MAX_BYTES`]. A larger one is read on and dropped up to
/// [`DRAIN_MAX_BYTES`], so that the client is still reading when the 413 comes (closing on a client
/// that is writing resets the connection before it sees the answer); beyond that, or when its
/// Content-Length says so, it is not read at all.
async fn read_body(req: &mut Request) -> Body {
    let declared = req
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_MAX_BYTES as u64) {
        return Body::TooLarge;
    }
    // A declared small body is taken in one piece (one promise instead of one a chunk); the
    // runtime holds it to its Content-Length.
    if let Some(n) = declared.filter(|n| *n <= REQUEST_MAX_BYTES as u64) {
        return match req.bytes().await {
            Ok(bytes) if bytes.len() as u64 == n => Body::Bytes(bytes),
            _ => Body::Empty,
        };
    }
    let Ok(mut stream) = req.stream() else {
        return Body::Empty;
    };
    let mut bytes = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return Body::Empty;
        };
        total = total.saturating_add(chunk.len());
        if total <= REQUEST_MAX_BYTES {
            bytes.extend_from_slice(&chunk);
        } else if total > DRAIN_MAX_BYTES {
            break;
        }
    }
    if total > REQUEST_MAX_BYTES {
        Body::TooLarge
    } else {
        Body::Bytes(bytes)
    }
}

fn response(reply: Reply) -> worker::Result<Response> {
    let headers = Headers::new();
    for (name, value) in &reply.headers {
        headers.append(name, value)?;
    }
    let response = if reply.body.is_empty() {
        Response::empty()?
    } else {
        Response::from_bytes(reply.body)?
    };
    Ok(response.with_status(reply.status).with_headers(headers))
}

/// One request's view of the runtime: its variables and one abort controller for all its fetches,
/// made only when the request fetches (most routes never do).
struct WorkerPlatform<'a> {
    env: &'a Env,
    controller: RefCell<Option<AbortController>>,
}

impl<'a> WorkerPlatform<'a> {
    fn new(env: &'a Env) -> Self {
        Self {
            env,
            controller: RefCell::new(None),
        }
    }

    fn var(&self, name: &str) -> Option<String> {
        self.env.var(name).ok().map(|v| v.to_string())
    }

    fn signal(&self) -> AbortSignal {
        self.controller
            .borrow_mut()
            .get_or_insert_with(AbortController::default)
            .signal()
    }

    /// `GET url` with `redirect: "manual"` (a 3xx comes back as it is), the body read as a stream
    /// up to `max_bytes` + 1 bytes.
    async fn request(
        &self,
        url: &str,
        accept: &str,
        max_bytes: usize,
        conditional: &[(String, String)],
    ) -> Result<Fetched, FetchError> {
        let runtime = |e: worker::Error| {
            FetchError::Other(format!("the Workers runtime refused the request: {e}"))
        };
        let headers = Headers::new();
        headers.set("accept", accept).map_err(runtime)?;
        headers.set("user-agent", USER_AGENT).map_err(runtime)?;
        for (name, value) in conditional {
            headers.set(name, value).map_err(runtime)?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Get)
            .with_headers(headers)
            .with_redirect(RequestRedirect::Manual);
        let request = Request::new_with_init(url, &init).map_err(runtime)?;
        let mut response = Fetch::Request(request)
            .send_with_signal(&self.signal())
            .await
            .map_err(|e| FetchError::Connect(e.to_string()))?;
        let status = response.status_code();
        let headers = response.headers().entries().collect();
        let mut body = Vec::new();
        // A response without a body (204, 304, HEAD) has no stream.
        if let Ok(mut stream) = response.stream() {
            while let Some(chunk) = stream.next().await {
                let chunk = chunk
                    .map_err(|e| FetchError::Other(format!("reading the body failed: {e}")))?;
                body.extend_from_slice(&chunk);
                if body.len() > max_bytes {
                    // Stop reading: the rest of an oversized body is never pulled.
                    body.truncate(max_bytes.saturating_add(1));
                    break;
                }
            }
        }
        Ok(Fetched {
            status,
            headers,
            body,
        })
    }
}

impl Platform for WorkerPlatform<'_> {
    fn now_ms(&self) -> u64 {
        Date::now().as_millis()
    }

    fn fetch_timeout_ms(&self) -> u64 {
        self.var("FETCH_TIMEOUT_MS")
            .and_then(|v| v.parse().ok())
            .filter(|ms| *ms > 0)
            .unwrap_or(DEFAULT_TIMEOUT_MS)
    }

    /// DNS over HTTPS (JSON API): A and AAAA; every address is then checked by the core.
    async fn resolve(&self, host: &str) -> Result<Vec<IpAddr>, FetchError> {
        let doh_url = self
            .var("DOH_URL")
            .unwrap_or_else(|| DEFAULT_DOH_URL.to_owned());
        let mut addresses: Vec<IpAddr> = Vec::new();
        for kind in ["A", "AAAA"] {
            let url = format!("{doh_url}?name={}&type={kind}", percent_encode(host));
            let answer = self
                .request(&url, "application/dns-json", DNS_MAX_BYTES, &[])
                .await
                .map_err(|e| {
                    FetchError::Resolve(format!("DNS over HTTPS for {host} failed: {e}"))
                })?;
            if answer.status != 200 {
                return Err(FetchError::Resolve(format!(
                    "DNS over HTTPS for {host} failed: the resolver answered {}",
                    answer.status
                )));
            }
            for ip in parse_dns_json(host, &answer.body)? {
                if !addresses.contains(&ip) {
                    addresses.push(ip);
                }
            }
        }
        Ok(addresses)
    }

    async fn get(
        &self,
        url: &str,
        max_bytes: usize,
        conditional: &[(String, String)],
    ) -> Result<Fetched, FetchError> {
        self.request(url, "application/json", max_bytes, conditional)
            .await
    }

    async fn within<T>(&self, ms: u64, work: impl Future<Output = T>) -> Option<T> {
        let mut work = pin!(work);
        let mut delay = pin!(Delay::from(Duration::from_millis(ms)));
        let outcome = poll_fn(|cx| {
            if let Poll::Ready(value) = work.as_mut().poll(cx) {
                return Poll::Ready(Some(value));
            }
            if delay.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            Poll::Pending
        })
        .await;
        if outcome.is_none() {
            // Cancel what is still in flight (the DNS query or the document request).
            if let Some(controller) = self.controller.borrow_mut().take() {
                controller.abort();
            }
        }
        outcome
    }

    async fn cache_get(&self, key: &str) -> Option<String> {
        let mut hit = Cache::default().get(key, false).await.ok()??;
        hit.text().await.ok()
    }

    async fn cache_put(&self, key: &str, value: String, ttl_s: u64) {
        let headers = Headers::new();
        let stored = headers
            .set("content-type", crate::http::JSON)
            .and_then(|()| headers.set("cache-control", &format!("max-age={ttl_s}")))
            .and_then(|()| Response::from_bytes(value.into_bytes()))
            .map(|r| r.with_headers(headers));
        if let Ok(stored) = stored
            && let Err(e) = Cache::default().put(key, stored).await
        {
            worker::console_warn!("cache put failed: {e}");
        }
    }

    fn memory_bytes(&self) -> Option<u64> {
        Some(core::arch::wasm32::memory_size(0) as u64 * 65_536)
    }

    async fn allow_fetch(&self, client: &str) -> bool {
        match self.env.rate_limiter(RATE_LIMIT_BINDING) {
            Ok(limiter) => limiter
                .limit(client.to_owned())
                .await
                .map_or(true, |outcome| outcome.success),
            // No binding configured: no limit (wrangler.toml configures one).
            Err(_) => true,
        }
    }
}
