//! The browser build in headless Chromium (wasm-bindgen-test; `npm test` runs it with Debian's
//! `chromium` and `chromium-driver`): each export of the package, compiled for the web, gives what
//! the core gives natively.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const URL: &str = "https://app.example.com/oauth/client.json";
const BROKEN: &str = "{\n  \"client_id\": \"https://app.example.com/oauth/client.json/\",\n  \"client_secret\": \"s\"\n}";

fn value(json: &str) -> serde_json::Value {
    serde_json::from_str(json).expect("valid JSON")
}

fn options() -> cimd::Options {
    cimd::Options {
        url: Some(URL.into()),
        ..cimd::Options::default()
    }
}

#[wasm_bindgen_test]
fn validate_gives_the_cli_report() {
    let out = cimd_wasm::decode(&cimd_wasm::validate_text(
        BROKEN,
        Some(URL.into()),
        false,
        false,
        5120,
    ));
    assert_eq!(out, value(&cimd::validate(BROKEN, &options()).to_json()));
    assert_eq!(out["valid"], false);
    let mismatch = out["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "CIMD107")
        .expect("client-id-mismatch");
    assert_eq!(
        mismatch["range"]["start"],
        serde_json::json!({"line": 2, "column": 17})
    );
    let bytes = cimd_wasm::decode(&cimd_wasm::validate_bytes(
        b"{\"a\":\xff}",
        None,
        true,
        true,
        5120,
    ));
    assert_eq!(bytes["profile"], "ietf");
    assert_eq!(bytes["strict"], true);
}

#[wasm_bindgen_test]
fn render_draws_frames_in_the_browser() {
    let json = cimd_wasm::decode(&cimd_wasm::validate_text(
        BROKEN,
        Some(URL.into()),
        false,
        false,
        5120,
    ))
    .to_string();
    let text = cimd_wasm::render_text(&json, Some(BROKEN), false, Some("c.json".into()), false)
        .expect("a report renders");
    assert!(text.contains("error[CIMD107]"), "{text}");
    assert!(text.contains("--> c.json:2:17"), "{text}");
    assert_eq!(
        text,
        cimd::render(
            &cimd::validate(BROKEN, &options()),
            Some(BROKEN),
            &cimd::RenderOptions {
                path: Some("c.json".into()),
                ..Default::default()
            }
        )
    );
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_trap() {
    assert!(
        cimd_wasm::validate_fetched("{\"status\":200}", b"", false, false, 5120, None).is_err()
    );
    assert!(
        cimd_wasm::fetch_failure(URL, "{\"kind\":\"nope\"}", false, false, 5120, None).is_err()
    );
    assert!(cimd_wasm::create("[]").is_err());
    assert!(cimd_wasm::match_redirect("{}", "x", "exact").is_err());
    assert!(cimd_wasm::render("{", None, false, None, false).is_err());
    // The module still answers afterwards.
    let out = cimd_wasm::decode(&cimd_wasm::validate_text("{", None, false, false, 5120));
    assert_eq!(out["valid"], false);
}

#[wasm_bindgen_test]
fn fetch_rules_run_in_the_browser() {
    assert!(cimd_wasm::refusal(URL, false, false, false, 5120, None).is_none());
    let refused = cimd_wasm::decode(
        &cimd_wasm::refusal("https://10.1.2.3/c.json", false, false, false, 5120, None).unwrap(),
    );
    assert_eq!(refused["valid"], false);
    let response =
        format!(r#"{{"url":"{URL}","status":404,"headers":[["content-type","text/html"]]}}"#);
    let out = cimd_wasm::decode(
        &cimd_wasm::validate_fetched(&response, b"<html>", false, false, 5120, None).unwrap(),
    );
    assert_eq!(out["fetch"]["status"], 404);
    assert_eq!(out["valid"], false);
}

#[wasm_bindgen_test]
fn create_match_lookup_and_codes() {
    let created = value(
        &cimd_wasm::create(&format!(
            r#"{{"name":"App","redirectUris":["http://127.0.0.1/cb"],"clientId":"{URL}"}}"#
        ))
        .unwrap(),
    );
    assert_eq!(created["placeholder"], false);
    assert!(
        created["document"]
            .as_str()
            .unwrap()
            .contains("\"client_name\": \"App\"")
    );
    let matched = value(
        &cimd_wasm::match_redirect(
            r#"["http://127.0.0.1/cb"]"#,
            "http://127.0.0.1:4000/cb",
            "rfc8252",
        )
        .unwrap(),
    );
    assert_eq!(matched["matched"], true);
    let codes = value(&cimd_wasm::codes());
    assert_eq!(codes.as_array().unwrap().len(), cimd::codes::all().len());
    let index = cimd_wasm::lookup("client-id-mismatch").unwrap() as usize;
    assert_eq!(codes[index]["code"], "CIMD107");
}
