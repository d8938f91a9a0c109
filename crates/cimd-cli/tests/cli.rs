//! The CLI contract (docs/cli.md): commands, output shapes and exit codes, on files and stdin.
//! Fetching over HTTPS is tested in `fetch.rs`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const VALID: &str = r#"{
  "client_id": "https://app.example.com/oauth/client.json",
  "client_name": "Example App",
  "client_uri": "https://app.example.com",
  "logo_uri": "https://app.example.com/logo.png",
  "redirect_uris": ["https://app.example.com/callback"],
  "token_endpoint_auth_method": "none"
}
"#;
const URL: &str = "https://app.example.com/oauth/client.json";

fn cimd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cimd"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn cimd_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cimd"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cimd-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn create_prints_fastmcp_shaped_json_and_reminds_about_the_placeholder() {
    let o = cimd(&[
        "create",
        "--name",
        "My App",
        "--redirect-uri",
        "http://127.0.0.1:8765/callback",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["client_name"], "My App");
    assert_eq!(doc["token_endpoint_auth_method"], "none");
    assert_eq!(
        doc["grant_types"],
        serde_json::json!(["authorization_code"])
    );
    assert_eq!(doc["response_types"], serde_json::json!(["code"]));
    assert_eq!(
        doc["client_id"],
        "https://YOUR-DOMAIN.com/path/to/client.json"
    );
    assert!(stderr(&o).contains("placeholder"));
}

#[test]
fn create_refuses_errors_and_warns_on_wildcards() {
    let o = cimd(&[
        "create",
        "--name",
        "A",
        "-r",
        "javascript:alert(1)",
        "--client-id",
        URL,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty(), "nothing is written on error");
    assert!(stderr(&o).contains("CIMD305"), "{}", stderr(&o));
    let o = cimd(&[
        "create",
        "--name",
        "A",
        "-r",
        "http://localhost:*/callback",
        "--client-id",
        URL,
        "--no-pretty",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o).lines().count(), 1);
    assert!(stderr(&o).contains("CIMD309"), "{}", stderr(&o));
}

#[test]
fn create_output_is_atomic_and_does_not_clobber() {
    let dir = temp_dir("create");
    let path = dir.join("sub/client.json");
    let p = path.to_str().unwrap();
    let args = [
        "create",
        "--name",
        "A",
        "-r",
        "https://app.example.com/cb",
        "--client-id",
        URL,
        "-o",
        p,
    ];
    let o = cimd(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first = std::fs::read_to_string(&path).unwrap();
    assert!(first.contains("\"client_name\": \"A\""));
    let o = cimd(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"));
    let o = cimd(&[
        "create",
        "--name",
        "B",
        "-r",
        "https://app.example.com/cb",
        "--client-id",
        URL,
        "-o",
        p,
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\"client_name\": \"B\"")
    );
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
    // A failed run (error in the document) leaves the existing file untouched.
    let o = cimd(&[
        "create",
        "--name",
        "",
        "-r",
        "https://app.example.com/cb",
        "--client-id",
        URL,
        "-o",
        p,
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\"client_name\": \"B\"")
    );
}

#[test]
fn validate_a_file_with_and_without_url() {
    let dir = temp_dir("validate");
    let file = write(&dir, "client.json", VALID);
    let o = cimd(&["validate", &file, "--url", URL]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("✓ Valid CIMD document"));
    assert!(stdout(&o).contains("Document details:"));
    let o = cimd(&[
        "validate",
        &file,
        "--url",
        "https://app.example.com/oauth/client.json/",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error[CIMD107]"), "{}", stdout(&o));
    assert!(stdout(&o).contains("trailing slash"));
}

#[test]
fn validate_json_output_is_the_report() {
    let o = cimd_stdin(
        &["validate", "-", "--url", URL, "--format", "json"],
        &VALID.replace("\"none\"", "\"client_secret_basic\""),
    );
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["profile"], "mcp");
    assert_eq!(report["url"], URL);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "CIMD201");
    assert_eq!(d["pointer"], "/token_endpoint_auth_method");
    assert_eq!(d["range"]["start"]["line"], 7);
    assert!(report["portability"].as_array().unwrap().len() >= 6);
    assert!(report["document"].is_object());
}

#[test]
fn strict_quiet_profile_and_usage_errors() {
    let dir = temp_dir("flags");
    let warn = write(
        &dir,
        "warn.json",
        &VALID.replace("/oauth/client.json\"", "/oauth/client.json?v=1\""),
    );
    let url = "https://app.example.com/oauth/client.json?v=1";
    assert_eq!(
        cimd(&["validate", &warn, "--url", url]).status.code(),
        Some(0)
    );
    let strict = cimd(&["validate", &warn, "--url", url, "--strict", "--quiet"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).is_empty());
    let no_name = write(
        &dir,
        "noname.json",
        &VALID.replace("\"client_name\": \"Example App\",", ""),
    );
    assert_eq!(
        cimd(&["validate", &no_name, "--url", URL]).status.code(),
        Some(1)
    );
    assert_eq!(
        cimd(&["validate", &no_name, "--url", URL, "--profile", "ietf"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        cimd(&["validate", "/no/such/file.json"]).status.code(),
        Some(2)
    );
    assert_eq!(
        cimd(&["validate", &warn, "--profile", "oauth"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        cimd(&["validate", &warn, "--http"]).status.code(),
        Some(2),
        "--http needs --url"
    );
}

#[test]
fn validate_a_raw_http_response() {
    let dir = temp_dir("http");
    let raw = "HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.app.example.com/oauth/client.json\r\nContent-Length: 0\r\n\r\n";
    let file = write(&dir, "redirect.http", raw);
    let o = cimd(&[
        "validate", &file, "--http", "--url", URL, "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let text = report.to_string();
    assert!(text.contains("CIMD501"), "{text}");
    assert!(text.contains("https://www.app.example.com/oauth/client.json"));
    let ok = format!(
        "HTTP/2 200\r\ncontent-type: application/json\r\ncache-control: max-age=600\r\n\r\n{VALID}"
    );
    let file = write(&dir, "ok.http", &ok);
    let o = cimd(&[
        "validate", &file, "--http", "--url", URL, "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["fetch"]["status"], 200);
    assert_eq!(report["fetch"]["cache_ttl_s"], 600);
    let o = cimd(&[
        "validate",
        &file,
        "--http",
        "--url",
        URL,
        "--resolve",
        "app.example.com:443:10.1.2.3",
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a private address is refused: {}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("CIMD506"));
}

#[test]
fn match_against_a_document_or_registered_uris() {
    let dir = temp_dir("match");
    let file = write(
        &dir,
        "client.json",
        &VALID.replace(
            "https://app.example.com/callback",
            "http://127.0.0.1/callback",
        ),
    );
    let o = cimd(&["match", &file, "http://127.0.0.1:53123/callback"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = cimd(&[
        "match",
        &file,
        "http://127.0.0.1:53123/callback",
        "--policy",
        "exact",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = cimd(&[
        "match",
        "--registered",
        "https://app.example.com/cb",
        "https://app.example.com/cb/",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let result: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(result["matched"], false);
    assert!(
        result["reason"]
            .as_str()
            .unwrap()
            .contains("trailing slash"),
        "{result}"
    );
    assert_eq!(
        cimd(&["match", "https://x.example/cb"]).status.code(),
        Some(2)
    );
}

#[test]
fn explain_and_codes() {
    let o = cimd(&["explain", "cimd107"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("client-id-mismatch"));
    assert!(stdout(&o).contains("## Why"));
    assert_eq!(
        cimd(&["explain", "client-id-mismatch"]).status.code(),
        Some(0)
    );
    assert_eq!(cimd(&["explain", "CIMD999"]).status.code(), Some(2));
    let o = cimd(&["codes", "--format", "json"]);
    let codes: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(codes.as_array().unwrap().len(), cimd::codes::all().len());
    assert!(stdout(&cimd(&["codes"])).contains("CIMD001"));
}

/// Every flag either takes effect for the target or is refused with exit code 2 saying why.
#[test]
fn no_flag_is_silently_ignored() {
    let dir = temp_dir("ignored");
    let file = write(&dir, "client.json", VALID);
    let raw = write(
        &dir,
        "ok.http",
        &format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{VALID}"),
    );
    let refused = |args: &[&str], says: &str| {
        let o = cimd(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?}");
    };
    // A file is read, not fetched: the fetch flags do nothing for it.
    for flags in [
        &["--resolve", "app.example.com:443:169.254.169.254"][..],
        &["--timeout", "10"],
        &["-t", "3"],
        &["--ca-cert", "ca.pem"],
        &["--allow-loopback"],
    ] {
        let mut args = vec!["validate", &file, "--url", URL];
        args.extend_from_slice(flags);
        refused(&args, "is read, not fetched");
        refused(&args, "--http");
        let mut args = vec!["validate", "-"];
        args.extend_from_slice(flags);
        refused(&args, "stdin is read, not fetched");
    }
    // A pin for another host or port than the one fetched changes nothing.
    refused(
        &[
            "validate",
            URL,
            "--resolve",
            "other.example:443:93.184.216.34",
        ],
        "give --resolve app.example.com:443:ADDR",
    );
    refused(
        &[
            "validate",
            "https://93.184.216.34/client.json",
            "--resolve",
            "93.184.216.34:443:10.0.0.1",
        ],
        "an IP address, which is not resolved",
    );
    refused(
        &[
            "validate",
            &file,
            "--url",
            URL,
            "--compare",
            "--resolve",
            "app.example.com:8443:93.184.216.34",
        ],
        "give --resolve app.example.com:443:ADDR",
    );
    // A URL is its own document URL.
    refused(&["validate", URL, "--url", URL], "--url");
    refused(&["validate", URL, "--http", "--url", URL], "drop --http");
    // With --http nothing is fetched: no deadline, no CA.
    for flags in [&["--timeout", "5"][..], &["--ca-cert", "ca.pem"]] {
        let mut args = vec!["validate", &raw, "--http", "--url", URL];
        args.extend_from_slice(flags);
        refused(&args, "nothing is fetched");
    }
    // --allow-loopback with --http needs an address to relax.
    refused(
        &["validate", &raw, "--http", "--url", URL, "--allow-loopback"],
        "--resolve",
    );
    // The --resolve address must be the URL's host and port, given once.
    for (pin, says) in [
        ("other.example:443:93.184.216.34", "app.example.com:443"),
        ("app.example.com:8443:93.184.216.34", "app.example.com:443"),
        (
            "app.example.com:443:93.184.216.34,93.184.216.35",
            "one --resolve address",
        ),
    ] {
        refused(
            &["validate", &raw, "--http", "--url", URL, "--resolve", pin],
            says,
        );
    }
    // --quiet prints nothing, so a format is dropped.
    refused(
        &["validate", &file, "--quiet", "--format", "json"],
        "--format",
    );
    // Defaults given explicitly are still judged (an explicit default is a choice).
    refused(&["validate", &file, "--timeout", "10"], "--timeout");
    // What applies stays accepted: the address is judged, loopback relaxed for it.
    let pinned = |pin: &str| {
        let ok = cimd(&[
            "validate",
            &raw,
            "--http",
            "--url",
            URL,
            "--resolve",
            pin,
            "--allow-loopback",
            "--max-bytes",
            "5120",
            "--format",
            "json",
        ]);
        assert_eq!(ok.status.code(), Some(0), "{pin}: {}", stderr(&ok));
        serde_json::from_str::<serde_json::Value>(&stdout(&ok)).unwrap()
    };
    let report = pinned("APP.example.com:443:93.184.216.34");
    assert_eq!(report["fetch"]["address"], "93.184.216.34");
    let report = pinned("app.example.com:443:127.0.0.1");
    assert!(report.to_string().contains("CIMD508"), "{report}");
    assert_eq!(
        cimd(&["validate", &file, "--max-bytes", "100", "--quiet"])
            .status
            .code(),
        Some(0),
        "--max-bytes applies to a file (a warning over it)"
    );
    // --compare compares a file with the live --url.
    refused(&["validate", &file, "--compare"], "--compare needs --url");
    refused(&["validate", URL, "--compare"], "give the file as TARGET");
    refused(
        &["validate", &raw, "--http", "--url", URL, "--compare"],
        "a saved response (--http)",
    );
    // match: --timeout is for a fetched DOCUMENT only.
    refused(
        &[
            "match",
            &file,
            "https://app.example.com/callback",
            "--timeout",
            "5",
        ],
        "--timeout has no effect",
    );
    refused(
        &[
            "match",
            "--registered",
            "https://app.example.com/callback",
            "https://app.example.com/callback",
            "-t",
            "5",
        ],
        "--timeout has no effect",
    );
    // create: --force needs --output; --pretty and --no-pretty contradict each other.
    for (flags, says) in [
        (&["--force"][..], "--output"),
        (&["--pretty", "--no-pretty"], "--no-pretty"),
    ] {
        let mut args = vec!["create", "--name", "X", "-r", "https://x.example/cb"];
        args.extend_from_slice(flags);
        refused(&args, says);
    }
}

#[test]
fn servers_lists_the_predicted_servers() {
    let o = cimd(&["servers", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let servers: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = servers
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, cimd::servers().map(|s| s.id).collect::<Vec<_>>());
    assert!(ids.contains(&"cloudflare-workers-oauth-provider") && ids.contains(&"keycloak"));
    assert!(stdout(&cimd(&["servers"])).contains("redirect matching: wildcard"));
}
