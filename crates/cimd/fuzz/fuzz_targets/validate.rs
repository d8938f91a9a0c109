//! Validation never panics, on bytes and on text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = cimd::Options::default();
    let _ = cimd::validate_bytes(data, &options);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = cimd::validate(text, &options);
    }
});
