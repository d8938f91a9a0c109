//! Validation never panics, on bytes and on text, with and without the URL it is served at.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The bytes before a first NUL name the URL (else a fixed one), so the client_id comparison
    // and its near-miss explanations are fuzzed as well as the document.
    let (url, document) = match data.iter().position(|&b| b == 0) {
        Some(i) => (
            std::str::from_utf8(&data[..i]).ok().map(str::to_owned),
            &data[i + 1..],
        ),
        None => (
            Some("https://app.example.com/oauth/client.json".to_owned()),
            data,
        ),
    };
    let with_url = cimd::Options {
        url,
        ..cimd::Options::default()
    };
    for options in [cimd::Options::default(), with_url] {
        let _ = cimd::validate_bytes(document, &options);
        if let Ok(text) = std::str::from_utf8(document) {
            let _ = cimd::validate(text, &options);
        }
    }
});
