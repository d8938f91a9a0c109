//! The JSON parser's verdict equals `serde_json::from_slice::<serde_json::Value>` on every input, and
//! the parser never panics; every span stays inside the input.
#![no_main]

use cimd::json::{ProblemKind, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = parse(data);
    let serde = serde_json::from_slice::<serde_json::Value>(data).is_ok();
    assert_eq!(
        parsed.is_valid_json(),
        serde,
        "verdict differs from serde_json: {:#?}",
        parsed.problems
    );
    // A parse without a root ends on exactly one fatal problem, the last one.
    let fatal = parsed.problems.iter().filter(|p| p.fatal).count();
    assert_eq!(
        parsed.root.is_none(),
        fatal == 1 && parsed.problems.last().is_some_and(|p| p.fatal)
    );
    for problem in &parsed.problems {
        assert!(problem.span.start <= problem.span.end);
        assert!(problem.span.end as usize <= data.len());
    }
    if let Some(root) = &parsed.root {
        assert!(root.span.end as usize <= data.len());
        if serde {
            // The tree says what serde_json says (last duplicate wins).
            let value: serde_json::Value = serde_json::from_slice(data).unwrap();
            assert_eq!(root.to_serde(), value);
        }
    }
});
