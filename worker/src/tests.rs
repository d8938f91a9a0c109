//! The routes against a fake platform: an in-memory resolver, web, cache, clock and rate limit.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use cimd::fetch::FetchError;
use serde_json::{Value, json};

use crate::app::{Platform, handle};
use crate::fetching::Fetched;
use crate::http::{Body, Incoming, Reply};

/// Runs a future whose fakes are always ready.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

#[derive(Default)]
struct Fake {
    dns: HashMap<String, Result<Vec<IpAddr>, FetchError>>,
    web: HashMap<String, Fetched>,
    /// URLs whose fetch never completes in time.
    slow: Vec<String>,
    gets: RefCell<Vec<String>>,
    /// The conditional headers of each request, in order.
    conditionals: RefCell<Vec<Vec<(String, String)>>>,
    /// Per URL, the headers of the 304 the page answers when `If-None-Match` is its ETag.
    not_modified: HashMap<String, Vec<(String, String)>>,
    resolved: RefCell<Vec<String>>,
    cache: RefCell<HashMap<String, (String, u64)>>,
    budget: Cell<u32>,
    clock: Cell<u64>,
    slow_now: Cell<bool>,
}

impl Fake {
    fn new() -> Self {
        Self {
            budget: Cell::new(1000),
            clock: Cell::new(1_700_000_000_000),
            ..Self::default()
        }
    }
    fn host(mut self, host: &str, ip: &str) -> Self {
        self.dns.insert(host.into(), Ok(vec![ip.parse().unwrap()]));
        self
    }
    fn page(mut self, url: &str, status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        self.web.insert(
            url.into(),
            Fetched {
                status,
                headers: headers
                    .iter()
                    .map(|(n, v)| ((*n).into(), (*v).into()))
                    .collect(),
                body: body.into(),
            },
        );
        self
    }
}

impl Platform for Fake {
    fn now_ms(&self) -> u64 {
        self.clock.set(self.clock.get() + 7);
        self.clock.get()
    }
    fn fetch_timeout_ms(&self) -> u64 {
        10_000
    }
    async fn resolve(&self, host: &str) -> Result<Vec<IpAddr>, FetchError> {
        self.resolved.borrow_mut().push(host.into());
        self.dns
            .get(host)
            .cloned()
            .unwrap_or_else(|| Err(FetchError::Resolve(format!("{host}: NXDOMAIN"))))
    }
    async fn get(
        &self,
        url: &str,
        max_bytes: usize,
        conditional: &[(String, String)],
    ) -> Result<Fetched, FetchError> {
        self.gets.borrow_mut().push(url.into());
        self.conditionals.borrow_mut().push(conditional.to_vec());
        if self.slow.iter().any(|u| u == url) {
            self.slow_now.set(true);
        }
        let mut page = self
            .web
            .get(url)
            .cloned()
            .ok_or_else(|| FetchError::Connect("refused".into()))?;
        let etag = page
            .headers
            .iter()
            .find(|(n, _)| n == "etag")
            .map(|(_, v)| v.clone());
        let asked = conditional
            .iter()
            .find(|(n, _)| n == "if-none-match")
            .map(|(_, v)| v.clone());
        if let (Some(headers), Some(etag)) = (self.not_modified.get(url), etag)
            && asked == Some(etag)
        {
            return Ok(Fetched {
                status: 304,
                headers: headers.clone(),
                body: Vec::new(),
            });
        }
        page.body.truncate(max_bytes + 1);
        Ok(page)
    }
    async fn within<T>(&self, _ms: u64, work: impl Future<Output = T>) -> Option<T> {
        let value = work.await;
        if self.slow_now.replace(false) {
            None
        } else {
            Some(value)
        }
    }
    async fn cache_get(&self, key: &str) -> Option<String> {
        self.cache.borrow().get(key).map(|(v, _)| v.clone())
    }
    async fn cache_put(&self, key: &str, value: String, ttl_s: u64) {
        self.cache.borrow_mut().insert(key.into(), (value, ttl_s));
    }
    fn memory_bytes(&self) -> Option<u64> {
        None
    }
    async fn allow_fetch(&self, _client: &str) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(1));
        left > 0
    }
}

fn request(method: &str, target: &str, headers: &[(&str, &str)], body: Body) -> Incoming {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (target, None),
    };
    Incoming {
        method: method.into(),
        path: path.into(),
        query,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_lowercase(), (*v).to_owned()))
            .collect(),
        body,
    }
}

fn post_json(target: &str, body: &Value) -> Incoming {
    request(
        "POST",
        target,
        &[("content-type", "application/json")],
        Body::Bytes(body.to_string().into_bytes()),
    )
}

fn call(fake: &Fake, req: &Incoming) -> (Reply, Value) {
    let reply = block_on(handle(fake, req));
    let value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
    (reply, value)
}

fn get(fake: &Fake, target: &str) -> (Reply, Value) {
    call(fake, &request("GET", target, &[], Body::Empty))
}

fn codes(report: &Value) -> Vec<String> {
    let mut codes: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

const URL: &str = "https://app.example.com/oauth/client.json";
const DOC: &str = r#"{"client_id":"https://app.example.com/oauth/client.json","client_name":"App","client_uri":"https://app.example.com","logo_uri":"https://app.example.com/logo.png","redirect_uris":["https://app.example.com/callback"],"token_endpoint_auth_method":"none"}"#;

#[test]
fn post_validate_is_the_cli_report() {
    let fake = Fake::new();
    let body = json!({"document": DOC.replace("client.json\"", "client.json/\""), "url": URL});
    let (reply, report) = call(&fake, &post_json("/api/validate", &body));
    assert_eq!(reply.status, 200);
    let expected = cimd::validate(
        &DOC.replace("client.json\"", "client.json/\""),
        &cimd::Options {
            url: Some(URL.into()),
            ..cimd::Options::default()
        },
    );
    assert_eq!(
        report,
        serde_json::from_str::<Value>(&expected.to_json()).unwrap()
    );
    assert_eq!(report["valid"], false);
    assert_eq!(codes(&report), ["CIMD107"]);

    let (_, ietf) = call(
        &fake,
        &post_json(
            "/api/validate",
            &json!({"document": "{}", "profile": "ietf", "strict": true, "max_bytes": 1}),
        ),
    );
    assert_eq!(ietf["profile"], "ietf");
    assert_eq!(ietf["strict"], true);
    assert!(codes(&ietf).contains(&"CIMD011".to_owned()), "{ietf}");

    let (b64, report) = call(
        &fake,
        &post_json(
            "/api/validate",
            &json!({"document_base64": "eyJjbGllbnRfbmFtZSI6Iv8ifQ=="}),
        ),
    );
    assert_eq!(b64.status, 200);
    assert!(codes(&report).contains(&"CIMD003".to_owned()), "{report}");

    let (text, _) = call(
        &fake,
        &post_json(
            "/api/validate?format=text",
            &json!({"document": "{\"client_id\": 1}", "url": URL}),
        ),
    );
    assert_eq!(
        text.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let text = String::from_utf8(text.body).unwrap();
    assert!(
        text.contains("error[CIMD014]") && text.contains("Invalid CIMD document"),
        "{text}"
    );
}

#[test]
fn client_mistakes_are_4xx_json() {
    let json = "application/json";
    let raw = |content_type: &str, body: Body| {
        let headers: &[(&str, &str)] = if content_type.is_empty() {
            &[]
        } else {
            &[("content-type", content_type)]
        };
        request("POST", "/api/validate", headers, body)
    };
    let bytes = |b: &[u8]| Body::Bytes(b.to_vec());
    let get = |target: &str| request("GET", target, &[], Body::Empty);
    let other = |method: &str, target: &str| request(method, target, &[], Body::Empty);
    let fake = Fake::new();
    let cases: Vec<(Incoming, u16)> = vec![
        (raw("text/plain", bytes(b"{}")), 415),
        (raw("", bytes(b"{}")), 415),
        (raw("application/json; charset=latin1", bytes(b"{}")), 415),
        (raw(json, Body::TooLarge), 413),
        (raw(json, Body::Empty), 400),
        (raw(json, bytes(b"{\"document\":")), 400),
        (raw(json, bytes(b"[]")), 400),
        (post_json("/api/validate", &json!({"document": 5})), 400),
        (
            post_json("/api/validate", &json!({"document": "{}", "extra": 1})),
            400,
        ),
        (
            post_json(
                "/api/validate",
                &json!({"document": "{}", "profile": "oauth"}),
            ),
            400,
        ),
        (
            post_json("/api/validate", &json!({"document": "{}", "max_bytes": -1})),
            400,
        ),
        (post_json("/api/validate", &json!({"url": URL})), 400),
        (
            post_json(
                "/api/validate",
                &json!({"document": "{}", "document_base64": "e30="}),
            ),
            400,
        ),
        (
            post_json("/api/validate", &json!({"document_base64": "!!"})),
            400,
        ),
        (
            post_json("/api/validate?format=yaml", &json!({"document": "{}"})),
            400,
        ),
        (
            post_json("/api/validate?url=x", &json!({"document": "{}"})),
            400,
        ),
        (get("/api/validate"), 400),
        (get("/api/validate?url="), 200),
        (get("/api/validate?url=a&url=b"), 400),
        (get("/api/validate?url=a&strict=maybe"), 400),
        (get("/api/validate?url=a&max_bytes=0"), 400),
        (get("/api/validate?url=a&max_bytes=99999999"), 400),
        (get("/api/validate?url=a&nope=1"), 400),
        (get("/api/validate?url=%ff"), 400),
        (other("DELETE", "/api/validate"), 405),
        (get("/api/match"), 405),
        (post_json("/api/match", &json!({"requested": "x"})), 400),
        (
            post_json(
                "/api/match",
                &json!({"requested": "x", "registered": [], "document": "{}"}),
            ),
            400,
        ),
        (
            post_json(
                "/api/match",
                &json!({"requested": "x", "registered": [], "policy": "loose"}),
            ),
            400,
        ),
        (
            post_json("/api/match", &json!({"requested": "x", "document": "[]"})),
            400,
        ),
        (
            post_json(
                "/api/match?x=1",
                &json!({"requested": "x", "registered": []}),
            ),
            400,
        ),
        (
            post_json(
                "/api/match",
                &json!({"requested": "x", "registered": [], "format": "text"}),
            ),
            400,
        ),
        (
            post_json("/api/validate?profile=ietf", &json!({"document": "{}"})),
            400,
        ),
        (
            post_json("/api/validate", &json!({"document": "{}", "timeout": 5})),
            400,
        ),
        (other("POST", "/api/codes"), 405),
        (get("/api/codes?x"), 400),
        (other("PUT", "/api/health"), 405),
        (get("/nope"), 404),
        (get("/clients/"), 404),
        (other("POST", "/clients/demo-cli.json"), 405),
    ];
    for (req, status) in cases {
        let (reply, value) = call(&fake, &req);
        assert_eq!(
            reply.status, status,
            "{} {}?{:?}: {value}",
            req.method, req.path, req.query
        );
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
        if status >= 400 {
            assert_eq!(value["status"], status);
            assert!(value["message"].as_str().is_some_and(|m| !m.is_empty()));
            assert_eq!(
                reply.header("content-type"),
                Some("application/json; charset=utf-8")
            );
        }
        if status == 405 {
            assert!(reply.header("allow").is_some());
        }
    }
}

#[test]
fn match_and_codes_are_the_cli_output() {
    let fake = Fake::new();
    let (reply, value) = call(
        &fake,
        &post_json(
            "/api/match",
            &json!({"registered": ["http://127.0.0.1/callback"], "requested": "http://127.0.0.1:53124/callback"}),
        ),
    );
    assert_eq!(reply.status, 200);
    let expected = cimd::match_redirect(
        &["http://127.0.0.1/callback"],
        "http://127.0.0.1:53124/callback",
        cimd::MatchPolicy::Rfc8252,
    );
    assert_eq!(value, serde_json::to_value(&expected).unwrap());
    assert_eq!(value["matched"], true);
    let (_, exact) = call(
        &fake,
        &post_json(
            "/api/match",
            &json!({"document": DOC, "requested": "https://app.example.com/callback/", "policy": "exact"}),
        ),
    );
    assert_eq!(exact["matched"], false);
    assert_eq!(exact["policy"], "exact");
    let (reply, codes) = get(&fake, "/api/codes");
    assert_eq!(reply.status, 200);
    assert_eq!(codes, serde_json::to_value(cimd::codes::all()).unwrap());
    let (head, _) = call(&fake, &request("HEAD", "/api/codes", &[], Body::Empty));
    assert_eq!((head.status, head.body.len()), (200, 0));
}

#[test]
fn url_check_fetches_and_caches_valid_documents_only() {
    let headers = [
        ("content-type", "application/json"),
        ("cache-control", "max-age=3600"),
    ];
    let fake = Fake::new()
        .host("app.example.com", "93.184.216.34")
        .page(URL, 200, &headers, DOC)
        .host("gone.example.com", "93.184.216.35")
        .page(
            "https://gone.example.com/c.json",
            404,
            &[("content-type", "text/html")],
            "<h1>404</h1>",
        );
    let target = format!(
        "/api/validate?url={}",
        URL.replace(':', "%3A").replace('/', "%2F")
    );
    let (first, report) = get(&fake, &target);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("cimd-cache"), Some("miss"));
    assert_eq!(report["valid"], true, "{report}");
    assert_eq!(report["fetch"]["status"], 200);
    assert_eq!(report["fetch"]["cache_ttl_s"], 3600);
    assert_eq!(report["fetch"]["address"], "93.184.216.34");
    assert_eq!(
        fake.cache.borrow().values().next().unwrap().1,
        3600 + crate::fetching::STALE_KEEP_S,
        "kept for its lifetime, then a day for revalidation"
    );
    let (second, again) = get(&fake, &target);
    assert_eq!(second.header("cimd-cache"), Some("hit"));
    assert_eq!(again, report);
    assert_eq!(
        fake.gets.borrow().len(),
        1,
        "the second call is served from the cache"
    );
    // Another profile is another entry.
    let (third, _) = get(&fake, &format!("{target}&profile=ietf"));
    assert_eq!(third.header("cimd-cache"), Some("miss"));

    for _ in 0..2 {
        let (reply, report) = get(&fake, "/api/validate?url=https://gone.example.com/c.json");
        assert_eq!(reply.header("cimd-cache"), Some("miss"));
        assert_eq!(codes(&report), ["CIMD500"]);
    }
    assert_eq!(
        fake.gets
            .borrow()
            .iter()
            .filter(|u| u.contains("gone"))
            .count(),
        2,
        "errors are never cached"
    );
    assert_eq!(fake.cache.borrow().len(), 2);
}

#[test]
fn a_stale_entry_is_revalidated_with_its_etag() {
    let headers = [
        ("content-type", "application/json"),
        ("cache-control", "max-age=60"),
        ("etag", "\"v1\""),
    ];
    let mut fake = Fake::new()
        .host("app.example.com", "93.184.216.34")
        .page(URL, 200, &headers, DOC);
    fake.not_modified.insert(
        URL.into(),
        vec![
            ("cache-control".into(), "max-age=120".into()),
            ("etag".into(), "\"v1\"".into()),
        ],
    );
    let target = format!("/api/validate?url={URL}");
    let (first, report) = get(&fake, &target);
    assert_eq!(first.header("cimd-cache"), Some("miss"));
    assert_eq!(report["fetch"]["cache_ttl_s"], 60);
    let kept = fake.cache.borrow().values().next().unwrap().1;
    assert_eq!(
        kept,
        60 + crate::fetching::STALE_KEEP_S,
        "kept past freshness"
    );
    // Still fresh: from the cache, no request.
    let (fresh, _) = get(&fake, &target);
    assert_eq!(fresh.header("cimd-cache"), Some("hit"));
    assert_eq!(fake.gets.borrow().len(), 1);

    // 61 s later the entry is stale: a conditional request, answered 304.
    fake.clock.set(fake.clock.get() + 61_000);
    let (revalidated, report) = get(&fake, &target);
    assert_eq!(revalidated.header("cimd-cache"), Some("revalidated"));
    assert_eq!(report["valid"], true, "{report}");
    assert_eq!(
        report["fetch"]["cache_ttl_s"], 120,
        "the 304's Cache-Control replaces the stored one"
    );
    assert_eq!(fake.gets.borrow().len(), 2);
    assert_eq!(
        fake.conditionals.borrow()[1],
        [("if-none-match".to_owned(), "\"v1\"".to_owned())]
    );
    let (after, _) = get(&fake, &target);
    assert_eq!(after.header("cimd-cache"), Some("hit"), "fresh again");
    assert_eq!(fake.gets.borrow().len(), 2);

    // The origin changed the document: a 200 replaces the entry.
    fake.clock.set(fake.clock.get() + 121_000);
    fake.not_modified.clear();
    let (changed, _) = get(&fake, &target);
    assert_eq!(changed.header("cimd-cache"), Some("miss"));
    assert_eq!(fake.gets.borrow().len(), 3);
}

#[test]
fn a_stale_entry_without_validators_is_fetched_whole() {
    let headers = [
        ("content-type", "application/json"),
        ("cache-control", "max-age=60"),
    ];
    let fake = Fake::new()
        .host("app.example.com", "93.184.216.34")
        .page(URL, 200, &headers, DOC);
    let target = format!("/api/validate?url={URL}");
    get(&fake, &target);
    fake.clock.set(fake.clock.get() + 61_000);
    let (again, report) = get(&fake, &target);
    assert_eq!(again.header("cimd-cache"), Some("miss"));
    assert_eq!(report["valid"], true);
    assert!(fake.conditionals.borrow().iter().all(Vec::is_empty));
    assert_eq!(fake.gets.borrow().len(), 2);
}

#[test]
fn url_check_refuses_before_any_request() {
    let fake = Fake::new()
        .host("private.example.com", "10.1.2.3")
        .host("mapped.example.com", "::ffff:127.0.0.1");
    for (url, code) in [
        ("http://app.example.com/c.json", "CIMD509"),
        ("https://127.0.0.1/c.json", "CIMD506"),
        ("https://0x7f.1/c.json", "CIMD506"),
        ("https://[::1]/c.json", "CIMD506"),
        ("https://localhost/c.json", "CIMD506"),
        ("https://private.example.com/c.json", "CIMD506"),
        ("https://mapped.example.com/c.json", "CIMD506"),
        ("https://nowhere.example.com/c.json", "CIMD507"),
    ] {
        let (reply, report) = get(&fake, &format!("/api/validate?url={url}"));
        assert_eq!(reply.status, 200, "{url}");
        assert_eq!(codes(&report), [code], "{url}: {report}");
        assert_eq!(report["valid"], false);
    }
    assert!(fake.gets.borrow().is_empty(), "{:?}", fake.gets.borrow());
    assert_eq!(
        *fake.resolved.borrow(),
        [
            "private.example.com",
            "mapped.example.com",
            "nowhere.example.com"
        ]
    );
}

#[test]
fn url_check_timeouts_sizes_and_rate_limit() {
    let mut fake = Fake::new()
        .host("slow.example.com", "93.184.216.34")
        .page(
            "https://slow.example.com/c.json",
            200,
            &[("content-type", "application/json")],
            DOC,
        )
        .host("big.example.com", "93.184.216.34")
        .page(
            "https://big.example.com/c.json",
            200,
            &[("content-type", "application/json")],
            &" ".repeat(6000),
        );
    fake.slow.push("https://slow.example.com/c.json".into());
    let (_, slow) = get(&fake, "/api/validate?url=https://slow.example.com/c.json");
    assert_eq!(codes(&slow), ["CIMD505"], "{slow}");
    let (_, big) = get(&fake, "/api/validate?url=https://big.example.com/c.json");
    assert_eq!(codes(&big), ["CIMD504"], "{big}");
    assert_eq!(big["fetch"]["bytes"], 5121);
    let (_, bigger_cap) = get(
        &fake,
        "/api/validate?url=https://big.example.com/c.json&max_bytes=10000",
    );
    assert!(!codes(&bigger_cap).contains(&"CIMD504".to_owned()));

    fake.budget.set(1);
    let (ok, _) = get(&fake, "/api/validate?url=https://big.example.com/c.json");
    assert_eq!(ok.status, 200);
    let (limited, value) = get(&fake, "/api/validate?url=https://big.example.com/c.json");
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("60"));
    assert_eq!(value["error"], "too-many-requests");
    // POST is not rate limited: it does no I/O.
    let (post, _) = call(
        &fake,
        &post_json("/api/validate", &json!({"document": "{}"})),
    );
    assert_eq!(post.status, 200);
}

#[test]
fn preflight_and_head() {
    let fake = Fake::new();
    let (reply, _) = call(
        &fake,
        &request("OPTIONS", "/api/validate", &[], Body::Empty),
    );
    assert_eq!(reply.status, 204);
    assert_eq!(
        reply.header("access-control-allow-methods"),
        Some("GET, HEAD, POST, OPTIONS")
    );
    assert!(reply.body.is_empty());
    let doc = crate::hosted::find("/clients/demo-cli.json").unwrap();
    let (head, _) = call(&fake, &request("HEAD", doc.path, &[], Body::Empty));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), Some(doc.etag));
}

/// Every hosted document is served so that every server caches it: the core's own judgement of
/// the response gives no caching advice (CIMD600-603), a lifetime of at least 300 s here and at
/// Cloudflare's provider, and a strong ETag for revalidation.
#[test]
fn hosted_documents_are_cacheable_everywhere() {
    let fake = Fake::new();
    for doc in crate::hosted::HOSTED {
        let (reply, _) = call(&fake, &request("GET", doc.path, &[], Body::Empty));
        assert_eq!(reply.status, 200);
        let etag = reply.header("etag").unwrap();
        assert!(
            etag.starts_with('"') && etag.ends_with('"'),
            "strong: {etag}"
        );
        let headers: Vec<(String, String)> = reply
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect();
        let fetched = cimd::fetch::FetchedDocument {
            url: doc.url.to_owned(),
            status: reply.status,
            headers: headers.clone(),
            body: reply.body.clone(),
            ..Default::default()
        };
        let report = cimd::fetch::validate_fetched(&fetched, &cimd::Options::default());
        assert!(report.valid, "{}", doc.path);
        let advice: Vec<&str> = report
            .diagnostics
            .iter()
            .map(cimd::Diagnostic::code)
            .filter(|c| c.starts_with("CIMD6"))
            .collect();
        assert!(advice.is_empty(), "{}: {advice:?}", doc.path);
        assert!(report.fetch.unwrap().cache_ttl_s.unwrap() >= 300);
        assert!(cimd::cache::cloudflare_provider_ttl(&headers).unwrap() >= 300);
    }
}

/// `POST /api/validate` with `compare`: `url` fetched as the URL check fetches it (cache and rate
/// limit included), then compared with the document: the core's `drift::compare` report.
#[test]
fn post_validate_compares_with_the_live_document() {
    let headers = [
        ("content-type", "application/json"),
        ("cache-control", "max-age=3600"),
    ];
    let fake = Fake::new()
        .host("app.example.com", "93.184.216.34")
        .page(URL, 200, &headers, DOC);
    let file = DOC
        .replace(
            "https://app.example.com/callback",
            "https://app.example.com/cb",
        )
        .replace(",\"client_uri\":\"https://app.example.com\"", "");
    let (reply, report) = call(
        &fake,
        &post_json(
            "/api/validate",
            &json!({"document": file, "url": URL, "compare": true}),
        ),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cimd-cache"), Some("miss"));
    let live = cimd::fetch::FetchedDocument {
        url: URL.into(),
        status: 200,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: DOC.as_bytes().to_vec(),
        address: Some("93.184.216.34".parse().unwrap()),
        elapsed_ms: Some(0),
        ..Default::default()
    };
    let mut expected: Value = serde_json::from_str(
        &cimd::drift::compare(file.as_bytes(), &live, &cimd::Options::default()).to_json(),
    )
    .unwrap();
    expected["fetch"]["elapsed_ms"] = report["fetch"]["elapsed_ms"].clone();
    assert_eq!(report, expected);
    let drift: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CIMD604")
        .collect();
    assert_eq!(drift.len(), 2, "{report:#}");
    assert!(drift.iter().any(|d| d["pointer"] == "/redirect_uris"));
    assert!(
        drift
            .iter()
            .any(|d| d["pointer"] == "" && d["message"].as_str().unwrap().contains("client_uri"))
    );
    // The same document: nothing differs; the fetch came from the cache.
    let (again, same) = call(
        &fake,
        &post_json(
            "/api/validate",
            &json!({"document": DOC, "url": URL, "compare": true}),
        ),
    );
    assert_eq!(again.header("cimd-cache"), Some("hit"));
    assert_eq!(same["valid"], true, "{same}");
    assert_eq!(fake.gets.borrow().len(), 1);
    // Compare needs the URL; without compare nothing is fetched.
    let (missing, _) = call(
        &fake,
        &post_json("/api/validate", &json!({"document": DOC, "compare": true})),
    );
    assert_eq!(missing.status, 400);
    let (plain, _) = call(
        &fake,
        &post_json("/api/validate", &json!({"document": DOC, "url": URL})),
    );
    assert_eq!(plain.header("cimd-cache"), None);
    assert_eq!(fake.gets.borrow().len(), 1);
}
