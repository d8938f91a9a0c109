//! `cimd validate https://...` against real HTTPS servers on 127.0.0.1: a CA and a server
//! certificate for `localhost`, `cimd.test` and 127.0.0.1 are made here (rcgen), each server is a
//! thread with a std `TcpListener` and a rustls `ServerConnection`, and the built binary is run
//! with `--ca-cert`, `--resolve cimd.test:PORT:127.0.0.1` and (mostly) `--allow-loopback`.
//! Every connection stays on the loopback interface.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::Value;

/// The test CA (its PEM file) and a server configuration with a certificate it issued.
struct Pki {
    ca_pem: PathBuf,
    server: Arc<rustls::ServerConfig>,
}

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "cimd test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let ca =
            rcgen::CertifiedIssuer::self_signed(ca_params, rcgen::KeyPair::generate().unwrap())
                .unwrap();

        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let mut leaf_params =
            rcgen::CertificateParams::new(vec!["localhost".to_owned(), "cimd.test".to_owned()])
                .unwrap();
        leaf_params
            .subject_alt_names
            .push(rcgen::SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        leaf_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "cimd.test");
        let leaf = leaf_params.signed_by(&leaf_key, &ca).unwrap();

        let dir = std::env::temp_dir().join(format!("cimd-fetch-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca_pem = dir.join("ca.pem");
        std::fs::write(&ca_pem, ca.pem()).unwrap();

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let server = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(leaf.der().to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
            )
            .unwrap();
        Pki {
            ca_pem,
            server: Arc::new(server),
        }
    })
}

/// What the server answers.
#[derive(Clone)]
enum Answer {
    /// Status, headers, body.
    Plain(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Wait this long before answering 200.
    Slow(Duration),
}

/// A request as the server saw it: the TLS server name (SNI) and the request head.
#[derive(Debug, Clone)]
struct Seen {
    sni: Option<String>,
    head: String,
}

struct Server {
    port: u16,
    connections: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(answer: Answer) -> Self {
        Self::listen(TcpListener::bind("127.0.0.1:0").unwrap(), answer)
    }

    /// Starts a server whose answer is built from its own URL (a document names its URL, and the
    /// port is known only once the listener is bound).
    fn with_own_url(path: &str, answer: impl Fn(&str) -> Answer) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        Self::listen(listener, answer(&format!("https://cimd.test:{port}{path}")))
    }

    fn listen(listener: TcpListener, answer: Answer) -> Self {
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (count, seen) = (connections.clone(), requests.clone());
        // The listener thread lives as long as the test process; each connection gets a thread.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let (answer, seen) = (answer.clone(), seen.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &answer, &seen);
                });
            }
        });
        Self {
            port,
            connections,
            requests,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("https://cimd.test:{}{path}", self.port)
    }

    fn pin(&self) -> String {
        format!("cimd.test:{}:127.0.0.1", self.port)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn serve(
    tcp: std::net::TcpStream,
    answer: &Answer,
    seen: &Mutex<Vec<Seen>>,
) -> std::io::Result<()> {
    tcp.set_read_timeout(Some(Duration::from_secs(10)))?;
    let conn =
        rustls::ServerConnection::new(pki().server.clone()).map_err(std::io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if tls.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let sni = tls.conn.server_name().map(str::to_owned);
    seen.lock().unwrap().push(Seen {
        sni,
        head: String::from_utf8_lossy(&head).into_owned(),
    });
    let (status, headers, body) = match answer {
        Answer::Plain(status, headers, body) => (*status, headers.clone(), body.clone()),
        Answer::Slow(delay) => {
            std::thread::sleep(*delay);
            (
                200,
                vec![("Content-Type", "application/json".to_owned())],
                b"{}".to_vec(),
            )
        }
    };
    let mut out = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    out.push_str("\r\n");
    tls.write_all(out.as_bytes())?;
    for chunk in body.chunks(16 * 1024) {
        tls.write_all(chunk)?;
    }
    tls.conn.send_close_notify();
    tls.flush()
}

fn document(client_id: &str) -> Vec<u8> {
    serde_json::json!({
        "client_id": client_id,
        "client_name": "Fetch Test",
        "redirect_uris": ["http://127.0.0.1/callback"],
        "token_endpoint_auth_method": "none",
    })
    .to_string()
    .into_bytes()
}

fn json_ok(body: Vec<u8>) -> Answer {
    Answer::Plain(
        200,
        vec![
            ("Content-Type", "application/json".to_owned()),
            ("Cache-Control", "max-age=3600".to_owned()),
        ],
        body,
    )
}

/// Runs `cimd validate URL --format json ...`; returns the exit code, the parsed report and stderr.
fn validate(url: &str, args: &[&str]) -> (i32, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cimd"))
        .args(["validate", url, "--format", "json"])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("stdout is not a JSON report ({e}):\n{stdout}\nstderr:\n{stderr}")
    });
    (out.status.code().unwrap_or(-1), report, stderr)
}

/// The usual flags: trust the test CA, pin cimd.test to 127.0.0.1, allow loopback.
fn local(server: &Server) -> Vec<String> {
    vec![
        "--ca-cert".to_owned(),
        pki().ca_pem.display().to_string(),
        "--resolve".to_owned(),
        server.pin(),
        "--allow-loopback".to_owned(),
    ]
}

fn run(server: &Server, path: &str, extra: &[&str]) -> (i32, Value, String) {
    let mut args = local(server);
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    validate(&server.url(path), &args)
}

fn codes(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

fn diagnostic<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {report:#}"))
}

#[test]
fn a_valid_document_is_fetched_like_a_server_does() {
    let url_path = "/client.json";
    let server = Server::with_own_url(url_path, |url| json_ok(document(url)));
    let (code, report, _) = run(&server, url_path, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["valid"], true);
    assert_eq!(report["url"], server.url(url_path));
    let fetch = &report["fetch"];
    assert_eq!(fetch["status"], 200);
    assert_eq!(fetch["content_type"], "application/json");
    assert_eq!(fetch["address"], "127.0.0.1");
    assert_eq!(fetch["cache_ttl_s"], 3600);
    assert_eq!(fetch["bytes"], document(&server.url(url_path)).len());
    assert!(fetch["elapsed_ms"].as_u64().is_some());
    assert_eq!(report["document"]["client_name"], "Fetch Test");
    assert!(
        !codes(&report)
            .iter()
            .any(|c| c == "CIMD600" || c == "CIMD502"),
        "{report:#}"
    );

    // What the server saw: SNI and Host are the URL's host, JSON is asked for, one connection.
    let seen = server.requests.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].sni.as_deref(), Some("cimd.test"));
    let head = seen[0].head.to_ascii_lowercase();
    assert!(head.starts_with("get /client.json http/1.1\r\n"), "{head}");
    assert!(
        head.contains(&format!("host: cimd.test:{}\r\n", server.port)),
        "{head}"
    );
    assert!(head.contains("accept: application/json\r\n"), "{head}");
    assert!(head.contains("user-agent: cimd/"), "{head}");
    assert!(
        !head.contains("accept-encoding"),
        "no compression, so the cap counts served bytes: {head}"
    );
    assert_eq!(server.connections(), 1);
}

#[test]
fn a_bot_challenge_has_its_own_code() {
    let server = Server::start(Answer::Plain(
        403,
        vec![
            ("Content-Type", "text/html; charset=UTF-8".to_owned()),
            ("cf-mitigated", "challenge".to_owned()),
        ],
        b"<!DOCTYPE html><title>Just a moment...</title>".to_vec(),
    ));
    let (code, report, _) = run(&server, "/client.json", &[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(codes(&report), ["CIMD508", "CIMD510"], "{report:#}");
    let d = diagnostic(&report, "CIMD510");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("bot-protection challenge"),
        "{d:#}"
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("exempt the document's path from bot protection")
    );
}

#[test]
fn not_found_is_an_error() {
    let server = Server::start(Answer::Plain(
        404,
        vec![("Content-Type", "text/html".to_owned())],
        b"<h1>404</h1>".to_vec(),
    ));
    let (code, report, _) = run(&server, "/client.json", &[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["valid"], false);
    assert!(codes(&report).contains(&"CIMD500".to_owned()), "{report:#}");
    assert!(
        diagnostic(&report, "CIMD500")["message"]
            .as_str()
            .unwrap()
            .contains("404")
    );
    assert_eq!(report["fetch"]["status"], 404);
    assert_eq!(report["fetch"]["cache_ttl_s"], Value::Null);
    assert_eq!(report["document"], Value::Null);
}

#[test]
fn a_redirect_is_reported_and_not_followed() {
    let server = Server::with_own_url("/client.json", |url| {
        Answer::Plain(301, vec![("Location", format!("{url}/"))], Vec::new())
    });
    let (code, report, _) = run(&server, "/client.json", &[]);
    assert_eq!(code, 1, "{report:#}");
    let message = diagnostic(&report, "CIMD501")["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains(&format!("{}/", server.url("/client.json"))),
        "{message}"
    );
    assert_eq!(report["fetch"]["status"], 301);
    assert_eq!(server.connections(), 1, "the redirect was not followed");
}

#[test]
fn text_plain_is_a_warning() {
    let server = Server::with_own_url("/client.json", |url| {
        Answer::Plain(
            200,
            vec![
                ("Content-Type", "text/plain; charset=utf-8".to_owned()),
                ("Cache-Control", "max-age=600".to_owned()),
            ],
            document(url),
        )
    });
    let (code, report, _) = run(&server, "/client.json", &[]);
    let d = diagnostic(&report, "CIMD502");
    assert_eq!(d["severity"], "warning");
    assert!(d["message"].as_str().unwrap().contains("text/plain"));
    assert_eq!(code, 0, "a warning alone does not fail: {report:#}");
    assert_eq!(report["fetch"]["content_type"], "text/plain; charset=utf-8");
}

#[test]
fn a_slow_server_times_out() {
    let server = Server::start(Answer::Slow(Duration::from_secs(4)));
    let started = Instant::now();
    let (code, report, _) = run(&server, "/client.json", &["--timeout", "1"]);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the timeout held: {:?}",
        started.elapsed()
    );
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(codes(&report), vec!["CIMD505"]);
    assert_eq!(diagnostic(&report, "CIMD505")["severity"], "error");
}

#[test]
fn an_oversized_body_is_cut_at_the_cap() {
    let mut body = document("https://cimd.test/client.json");
    body.truncate(body.len() - 1);
    body.extend(std::iter::repeat_n(b' ', 300_000));
    body.push(b'}');
    let server = Server::start(Answer::Plain(
        200,
        vec![("Content-Type", "application/json".to_owned())],
        body,
    ));
    let (code, report, _) = run(&server, "/client.json", &["--max-bytes", "1000"]);
    assert_eq!(code, 1, "{report:#}");
    let d = diagnostic(&report, "CIMD504");
    assert!(d["message"].as_str().unwrap().contains("1000"), "{d:#}");
    assert_eq!(
        report["fetch"]["bytes"], 1001,
        "read the cap plus one byte, then stopped"
    );
    assert!(
        !codes(&report).iter().any(|c| c.starts_with("CIMD00")),
        "no JSON errors for a cut body: {report:#}"
    );
}

#[test]
fn a_name_resolving_to_loopback_is_refused_without_allow_loopback() {
    let server = Server::start(json_ok(document("https://cimd.test/client.json")));
    let ca = pki().ca_pem.display().to_string();
    let pin = server.pin();
    let (code, report, _) = validate(
        &server.url("/client.json"),
        &["--ca-cert", &ca, "--resolve", &pin],
    );
    assert_eq!(code, 1, "{report:#}");
    let d = diagnostic(&report, "CIMD506");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("127.0.0.1")
            && message.contains("127.0.0.0/8")
            && message.contains("RFC 1122"),
        "{message}"
    );
    assert_eq!(d["severity"], "error");
    // An address literal in any spelling is refused too.
    let (code, report, _) = validate(
        &format!("https://0x7f.1:{}/client.json", server.port),
        &["--ca-cert", &ca],
    );
    assert_eq!(code, 1);
    assert!(codes(&report).contains(&"CIMD506".to_owned()), "{report:#}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(server.connections(), 0, "nothing was connected");
}

#[test]
fn client_id_with_a_trailing_slash_does_not_match() {
    let server = Server::with_own_url("/client.json", |url| json_ok(document(&format!("{url}/"))));
    let (code, report, _) = run(&server, "/client.json", &[]);
    assert_eq!(code, 1, "{report:#}");
    let d = diagnostic(&report, "CIMD107");
    assert_eq!(d["name"], "client-id-mismatch");
    assert_eq!(d["pointer"], "/client_id");
    assert!(
        d["span"].is_object(),
        "document diagnostics point into the body"
    );
    assert_eq!(
        report["fetch"]["cache_ttl_s"],
        Value::Null,
        "an invalid document is not cached"
    );
}

#[test]
fn allow_loopback_is_loud() {
    let server = Server::with_own_url("/client.json", |url| json_ok(document(url)));
    let (code, report, _) = run(&server, "/client.json", &[]);
    assert_eq!(code, 0, "{report:#}");
    let d = diagnostic(&report, "CIMD508");
    assert_eq!(d["severity"], "info");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("LOOPBACK ALLOWED FOR TESTING"),
        "{d:#}"
    );
    // The same on localhost, found through the system resolver (::1 may refuse; 127.0.0.1 answers).
    let ca = pki().ca_pem.display().to_string();
    let url = format!("https://localhost:{}/client.json", server.port);
    let (_, report, _) = validate(&url, &["--ca-cert", &ca, "--allow-loopback"]);
    assert!(codes(&report).contains(&"CIMD508".to_owned()), "{report:#}");
    assert_eq!(report["fetch"]["status"], 200, "{report:#}");
}

#[test]
fn an_untrusted_certificate_fails_tls() {
    let server = Server::with_own_url("/client.json", |url| json_ok(document(url)));
    let pin = server.pin();
    let (code, report, _) = validate(
        &server.url("/client.json"),
        &["--resolve", &pin, "--allow-loopback"],
    );
    assert_eq!(code, 1, "{report:#}");
    let message = diagnostic(&report, "CIMD507")["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("TLS") && message.contains("trusted"),
        "{message}"
    );
}

#[test]
fn a_closed_port_fails_to_connect() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let ca = pki().ca_pem.display().to_string();
    let pin = format!("cimd.test:{port}:127.0.0.1");
    let url = format!("https://cimd.test:{port}/client.json");
    let (code, report, _) = validate(
        &url,
        &["--ca-cert", &ca, "--resolve", &pin, "--allow-loopback"],
    );
    assert_eq!(code, 1, "{report:#}");
    assert!(
        diagnostic(&report, "CIMD507")["message"]
            .as_str()
            .unwrap()
            .contains("connection"),
        "{report:#}"
    );
}

/// `cimd validate FILE --url URL --compare`: the careful fetch of URL, then every difference with
/// the file, positioned in the file.
#[test]
fn compare_reports_drift_between_the_file_and_the_live_document() {
    let url_path = "/client.json";
    let server = Server::with_own_url(url_path, |url| json_ok(document(url)));
    let url = server.url(url_path);
    let dir = std::env::temp_dir().join(format!("cimd-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("client.json");
    let write = |body: &str| std::fs::write(&file, body).unwrap();
    let file_arg = file.display().to_string();
    let compare = |extra: &[&str]| {
        let mut args = local(&server);
        args.extend(["--url".to_owned(), url.clone(), "--compare".to_owned()]);
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        validate(&file_arg, &args)
    };

    // The same document, written out differently: no drift.
    let same: Value = serde_json::from_slice(&document(&url)).unwrap();
    write(&serde_json::to_string_pretty(&same).unwrap());
    let (code, report, _) = compare(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(!codes(&report).contains(&"CIMD604".to_owned()));
    assert_eq!(report["fetch"]["status"], 200);
    assert_eq!(report["url"], url.as_str());
    let before = server.connections();

    // The file registers localhost; the live document 127.0.0.1, and has no logo_uri.
    let drifted = format!(
        "{{\n  \"client_id\": \"{url}\",\n  \"client_name\": \"Fetch Test\",\n  \"redirect_uris\": [\"http://localhost/callback\"],\n  \"token_endpoint_auth_method\": \"none\",\n  \"logo_uri\": \"https://cimd.test/logo.png\"\n}}\n"
    );
    write(&drifted);
    let (code, report, _) = compare(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(server.connections(), before + 1, "one careful fetch");
    let drift: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CIMD604")
        .collect();
    assert_eq!(drift.len(), 2, "{report:#}");
    let redirects = drift
        .iter()
        .find(|d| d["pointer"] == "/redirect_uris")
        .unwrap();
    let message = redirects["message"].as_str().unwrap();
    assert!(message.contains("http://localhost/callback"), "{message}");
    assert!(message.contains("http://127.0.0.1/callback"), "{message}");
    assert_eq!(redirects["range"]["start"]["line"], 4);
    let logo = drift.iter().find(|d| d["pointer"] == "/logo_uri").unwrap();
    assert_eq!(logo["range"]["start"]["line"], 6);
    // The live fetch's own findings come along (the loopback address of this test).
    assert!(codes(&report).contains(&"CIMD508".to_owned()));

    // Text output frames the file.
    let out = Command::new(env!("CARGO_BIN_EXE_cimd"))
        .args(["validate", &file_arg, "--url", &url, "--compare"])
        .args(local(&server))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error[CIMD604]"), "{text}");
    assert!(text.contains("client.json:4"), "{text}");

    // A URL that does not answer: the fetch failure, nothing compared.
    let (code, report, _) = validate(
        &file_arg,
        &[
            "--url",
            "https://cimd.test:1/client.json",
            "--compare",
            "--resolve",
            "cimd.test:1:127.0.0.1",
            "--allow-loopback",
            "--timeout",
            "2",
        ],
    );
    assert_eq!(code, 1);
    assert!(codes(&report).contains(&"CIMD507".to_owned()), "{report:#}");
    assert!(!codes(&report).contains(&"CIMD604".to_owned()));
    let _ = std::fs::remove_dir_all(&dir);
}
