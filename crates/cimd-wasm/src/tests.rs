//! Native tests of the boundary: each function gives what the core gives, as the CLI prints it.

use super::*;

const URL: &str = "https://app.example.com/oauth/client.json";
const GOOD: &str = r#"{"client_id":"https://app.example.com/oauth/client.json","client_name":"App",
 "redirect_uris":["http://127.0.0.1/callback"],"token_endpoint_auth_method":"none"}"#;
const BROKEN: &str = "{\n  \"client_id\": \"http://app.example.com/oauth/client.json/\",\n  \"client_secret\": \"s\"\n}";

fn value(json: &str) -> serde_json::Value {
    serde_json::from_str(json).expect("valid JSON")
}

/// A report the boundary returned (its wire form), as the JSON the CLI prints.
fn report(wire: &str) -> serde_json::Value {
    decode(wire)
}

/// The JSON the CLI prints for the same input (`Report::to_json`).
fn cli_json(text: &str, options: &Options) -> serde_json::Value {
    value(&cimd::validate(text, options).to_json())
}

#[test]
fn validate_text_is_the_cli_json() {
    for (text, url, ietf, strict) in [
        (GOOD, Some(URL), false, false),
        (GOOD, None, true, true),
        (BROKEN, Some(URL), false, false),
        ("{\"a\":", None, false, false),
    ] {
        let out = validate_text(text, url.map(str::to_owned), ietf, strict, 5120);
        let expected = cli_json(text, &options(url.map(str::to_owned), ietf, strict, 5120));
        assert_eq!(report(&out), expected, "{text}");
    }
    let broken = report(&validate_text(BROKEN, Some(URL.into()), false, false, 5120));
    assert_eq!(broken["valid"], false);
    assert_eq!(broken["url"], URL);
}

#[test]
fn validate_bytes_takes_what_is_not_utf8() {
    let bytes = b"{\"client_name\":\"\xff\"}";
    let out = report(&validate_bytes(bytes, None, false, false, 5120));
    let expected = value(&cimd::validate_bytes(bytes, &Options::default()).to_json());
    assert_eq!(out, expected);
    assert_eq!(out["valid"], false);
}

#[test]
fn the_max_bytes_option_reaches_the_core() {
    let small = report(&validate_text(GOOD, Some(URL.into()), false, false, 10));
    let large = report(&validate_text(GOOD, Some(URL.into()), false, false, 5120));
    assert_ne!(small["diagnostics"], large["diagnostics"]);
}

#[test]
fn a_fetched_redirect_is_judged_by_the_core() {
    let response = format!(
        r#"{{"url":"{URL}","status":301,"headers":[["location","{URL}/"]],"address":"93.184.216.34","elapsedMs":12}}"#
    );
    let out = report(&validate_fetched_json(&response, b"", false, false, 5120).unwrap());
    let expected = cimd::fetch::validate_fetched(
        &FetchedDocument {
            url: URL.into(),
            status: 301,
            headers: vec![("location".into(), format!("{URL}/"))],
            address: Some("93.184.216.34".parse().unwrap()),
            elapsed_ms: Some(12),
            ..FetchedDocument::default()
        },
        &Options::default(),
    );
    assert_eq!(out, value(&expected.to_json()));
    assert_eq!(out["valid"], false);
    assert_eq!(out["fetch"]["status"], 301);
}

#[test]
fn malformed_responses_and_failures_name_what_is_wrong() {
    let e = validate_fetched_json(r#"{"url":"x","status":"200"}"#, b"", false, false, 5120)
        .unwrap_err();
    assert_eq!(e, "response.status must be a whole number");
    let e = validate_fetched_json(
        r#"{"url":"x","status":200,"adress":"1.2.3.4"}"#,
        b"",
        false,
        false,
        5120,
    )
    .unwrap_err();
    assert!(e.starts_with("response: unknown member `adress`"), "{e}");
    let e = validate_fetched_json(
        r#"{"url":"x","status":200,"address":"nope"}"#,
        b"",
        false,
        false,
        5120,
    )
    .unwrap_err();
    assert!(e.contains("`nope` is not an IP address"), "{e}");
    let e = fetch_failure_json(URL, r#"{"kind":"gone"}"#, false, false, 5120).unwrap_err();
    assert!(e.contains("unknown failure kind `gone`"), "{e}");
    let e = fetch_failure_json(URL, r#"{"kind":"timeout"}"#, false, false, 5120).unwrap_err();
    assert!(e.contains("afterMs"), "{e}");
}

#[test]
fn failures_are_the_cores_failure_reports() {
    let out = report(
        &fetch_failure_json(
            URL,
            r#"{"kind":"timeout","afterMs":10000}"#,
            false,
            false,
            5120,
        )
        .unwrap(),
    );
    let expected = cimd::fetch::failure_report(
        URL,
        &FetchError::Timeout { after_ms: 10_000 },
        &Options::default(),
    );
    assert_eq!(out, value(&expected.to_json()));
    let special = report(
        &fetch_failure_json(
            "https://internal.example/c.json",
            r#"{"kind":"special_use_address","address":"10.0.0.1"}"#,
            false,
            false,
            5120,
        )
        .unwrap(),
    );
    assert_eq!(special["fetch"]["address"], "10.0.0.1");
    assert_eq!(special["valid"], false);
}

#[test]
fn refusal_decides_before_any_fetch() {
    assert_eq!(refusal(URL, false, false, false, 5120, None), None);
    for url in [
        "http://app.example.com/c.json",
        "https://127.0.0.1/c.json",
        "https://user@app.example.com/c.json",
        "c.json",
    ] {
        let refused = report(&refusal(url, false, false, false, 5120, None).expect(url));
        assert_eq!(refused["valid"], false, "{url}");
        assert_eq!(refused["diagnostics"].as_array().unwrap().len(), 1, "{url}");
    }
    assert_eq!(
        refusal("https://127.0.0.1/c.json", true, false, false, 5120, None),
        None
    );
}

#[test]
fn create_builds_and_validates() {
    let out = value(
        &create_json(&format!(
            r#"{{"name":"My App","redirectUris":["http://127.0.0.1/callback"],"clientId":"{URL}"}}"#
        ))
        .unwrap(),
    );
    let expected = cimd::create(&cimd::CreateOptions {
        name: "My App".into(),
        redirect_uris: vec!["http://127.0.0.1/callback".into()],
        client_id: Some(URL.into()),
        ..Default::default()
    });
    assert_eq!(out["document"], expected.document.as_str());
    assert_eq!(
        report(out["report"].as_str().unwrap()),
        value(&expected.report.to_json())
    );
    assert_eq!(out["placeholder"], false);
    let placeholder =
        value(&create_json(r#"{"name":"A","redirectUris":[],"compact":true}"#).unwrap());
    assert_eq!(placeholder["placeholder"], true);
    assert!(!placeholder["document"].as_str().unwrap().contains("\n  "));
    let e = create_json(r#"{"name":"A","redirect_uris":[]}"#).unwrap_err();
    assert!(
        e.starts_with("options: unknown member `redirect_uris`"),
        "{e}"
    );
    let e = create_json(r#"{"name":"A","redirectUris":[],"profile":"oauth"}"#).unwrap_err();
    assert!(e.contains("unknown profile `oauth`"), "{e}");
}

#[test]
fn match_redirect_is_the_cores_match() {
    let loopback = |policy| {
        value(
            &match_redirect_json(
                r#"["http://127.0.0.1/callback"]"#,
                "http://127.0.0.1:53124/callback",
                policy,
            )
            .unwrap(),
        )
    };
    let out = loopback("rfc8252");
    assert_eq!(out["matched"], true);
    assert_eq!(out["matched_index"], 0);
    assert_eq!(loopback("exact")["matched"], false);
    assert!(match_redirect_json("[1]", "x", "exact").is_err());
    let e = match_redirect_json("[]", "x", "loose").unwrap_err();
    assert!(e.contains("unknown match policy `loose`"), "{e}");
}

#[test]
fn render_of_the_json_is_the_render_of_the_report() {
    for (text, url) in [(BROKEN, Some(URL)), (GOOD, Some(URL)), ("[1,", None)] {
        let options = options(url.map(str::to_owned), false, false, 5120);
        let native = cimd::validate(text, &options);
        let expected = cimd::render(&native, Some(text), &cimd::RenderOptions::default());
        let json = report(&validate_text(
            text,
            url.map(str::to_owned),
            false,
            false,
            5120,
        ))
        .to_string();
        let out = render_text(&json, Some(text), false, None, false).unwrap();
        assert_eq!(out, expected);
    }
    let fetched =
        report(&refusal("http://x.example/c.json", false, false, false, 5120, None).unwrap())
            .to_string();
    assert!(
        render_text(&fetched, None, false, None, false)
            .unwrap()
            .contains("✗")
    );
}

#[test]
fn render_refuses_a_report_it_cannot_read() {
    let json = report(&validate_text(BROKEN, Some(URL.into()), false, false, 5120)).to_string();
    let e = render_text(&json.replace("CIMD", "XIMD"), None, false, None, false).unwrap_err();
    assert!(e.contains("is not a registered code"), "{e}");
    let e = render_text("{\"valid\":true}", None, false, None, false).unwrap_err();
    assert_eq!(e, "report.profile is required");
    let e = render_text("[]", None, false, None, false).unwrap_err();
    assert_eq!(e, "report must be an object");
}

#[test]
fn codes_and_lookup_come_from_the_registry() {
    let all = value(&codes());
    assert_eq!(all.as_array().unwrap().len(), cimd::codes::all().len());
    let index = lookup("client-id-mismatch").unwrap() as usize;
    assert_eq!(all[index]["code"], "CIMD107");
    assert_eq!(lookup(" cimd107 "), Some(index as u32));
    assert_eq!(lookup("CIMD999"), None);
}

#[test]
fn explain_with_a_doc_is_the_native_explain() {
    // This test build has the docs, so the native text is there to compare with.
    for (index, code) in cimd::codes::all().iter().enumerate() {
        let index = u32::try_from(index).unwrap();
        assert_eq!(
            explain_with(index, code.doc),
            cimd::explain(code.code),
            "{}",
            code.code
        );
    }
    assert_eq!(explain_with(u32::MAX, ""), None);
}
