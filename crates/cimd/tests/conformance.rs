//! The conformance corpus, run natively: every case of `tests/conformance/cases/*.json` must give
//! exactly the expected verdict and the expected set of codes (see `support/mod.rs` for the format).
//! The same files run in wasm under Node, through the Worker and in the browser.
//!
//! Cases listed in `tests/conformance/xfail.txt` are known disagreements between the corpus (written
//! from the spec and the decisions) and the code: they must still fail, and one that passes must be
//! removed from the list.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use cimd::codes::Severity;
use cimd::{Profile, Report};
use support::{Case, codes, load, xfail};

/// The corpus must stay at least this large (the brief for the corpus).
const MIN_CASES: usize = 220;

/// What a case produced when it differs from what it expects.
fn mismatch(case: &Case, report: &Report) -> Option<String> {
    let actual = codes(report);
    if report.valid == case.expect.valid && actual == case.expect.codes {
        return None;
    }
    let mut out = format!(
        "{} ({}): {}\n    expected valid={} codes={:?}\n    actual   valid={} codes={:?}\n",
        case.name,
        case.file,
        case.description,
        case.expect.valid,
        case.expect.codes,
        report.valid,
        actual
    );
    for d in &report.diagnostics {
        let _ = writeln!(
            out,
            "      {} {} {}: {}",
            d.code(),
            d.severity.as_str(),
            d.pointer.as_deref().unwrap_or("-"),
            d.message
        );
    }
    Some(out)
}

/// The verdict the expected codes imply, from the registry's severities: a check on the corpus
/// itself (a case whose `valid` contradicts its own codes was written wrong).
fn implied_validity(case: &Case) -> Result<bool, String> {
    let profile = case.options().profile;
    let mut valid = true;
    for code in &case.expect.codes {
        let registered = cimd::codes::lookup(code)
            .ok_or_else(|| format!("`{code}` is not a registered code"))?;
        if registered.code != code {
            return Err(format!("`{code}` is a name, not a code"));
        }
        if let Some(why) = registered.retired {
            return Err(format!("`{code}` is retired ({why}): no rule reports it"));
        }
        match registered.severity(profile) {
            Severity::Error => valid = false,
            Severity::Warning if case.strict => valid = false,
            _ => {}
        }
    }
    Ok(valid)
}

#[test]
fn conformance_corpus() {
    let cases = load();
    let xfail = xfail();
    let mut problems = Vec::new();

    // The corpus itself.
    if cases.len() < MIN_CASES {
        problems.push(format!(
            "the corpus has {} cases; it must keep at least {MIN_CASES}",
            cases.len()
        ));
    }
    let mut seen = BTreeMap::new();
    for case in &cases {
        if let Some(file) = seen.insert(case.name.as_str(), case.file.as_str()) {
            problems.push(format!(
                "case name `{}` is used twice ({file} and {})",
                case.name, case.file
            ));
        }
        if let Err(why) = case.check_shape() {
            problems.push(format!(
                "{} ({}): malformed case: {why}",
                case.name, case.file
            ));
            continue;
        }
        match implied_validity(case) {
            Ok(valid) if valid != case.expect.valid => problems.push(format!(
                "{} ({}): expects valid={} but its own codes {:?} imply valid={valid} under {}{}",
                case.name,
                case.file,
                case.expect.valid,
                case.expect.codes,
                case.options().profile.as_str(),
                if case.strict { " --strict" } else { "" }
            )),
            Ok(_) => {}
            Err(why) => problems.push(format!("{} ({}): {why}", case.name, case.file)),
        }
    }
    let mut xfail_names = BTreeSet::new();
    for (name, reason) in &xfail {
        if !seen.contains_key(name.as_str()) {
            problems.push(format!("xfail.txt names `{name}`, which is no case"));
        }
        if reason.is_empty() {
            problems.push(format!("xfail.txt gives no `# reason` for `{name}`"));
        }
        if !xfail_names.insert(name.as_str()) {
            problems.push(format!("xfail.txt lists `{name}` twice"));
        }
    }
    assert!(
        problems.is_empty(),
        "the conformance corpus is malformed:\n{}",
        problems.join("\n")
    );

    // Run every case.
    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    let mut expected_failures = 0;
    // For coverage: (code, profile) triggered by a passing case, and codes some passing case lacks.
    let mut triggered: BTreeSet<(String, &'static str)> = BTreeSet::new();
    let mut absent_somewhere: BTreeSet<String> = BTreeSet::new();
    let all: Vec<&str> = cimd::codes::all().iter().map(|c| c.code).collect();
    for case in &cases {
        let report = case.run();
        let failed = mismatch(case, &report);
        match (failed, xfail_names.contains(case.name.as_str())) {
            (Some(message), false) => failures.push(message),
            (Some(_), true) => expected_failures += 1,
            (None, true) => fixed.push(case.name.clone()),
            (None, false) => {
                let profile = case.options().profile;
                for code in &case.expect.codes {
                    triggered.insert((code.clone(), profile.as_str()));
                }
                for code in &all {
                    if !case.expect.codes.iter().any(|c| c == code) {
                        absent_somewhere.insert((*code).to_owned());
                    }
                }
            }
        }
    }

    let mut out = String::new();
    if !failures.is_empty() {
        let _ = writeln!(
            out,
            "{} of {} conformance cases do not give the expected result:\n",
            failures.len(),
            cases.len()
        );
        for f in &failures {
            out.push_str(f);
            out.push('\n');
        }
    }
    if !fixed.is_empty() {
        let _ = writeln!(
            out,
            "these cases are listed in tests/conformance/xfail.txt but now pass: remove them from the list:\n  {}\n",
            fixed.join("\n  ")
        );
    }
    // Coverage: every registered code is triggered by a passing case, and lacked by another; a
    // code whose severity depends on the profile is triggered under both profiles. A retired code
    // is reported by no rule, so no case can trigger it.
    for code in cimd::codes::all().iter().filter(|c| c.retired.is_none()) {
        let under = |p: Profile| triggered.contains(&(code.code.to_owned(), p.as_str()));
        if !under(Profile::Mcp) && !under(Profile::Ietf) {
            let _ = writeln!(
                out,
                "no passing case triggers {} ({}): add one to tests/conformance/cases",
                code.code, code.name
            );
        } else if code.mcp != code.ietf && !(under(Profile::Mcp) && under(Profile::Ietf)) {
            let _ = writeln!(
                out,
                "{} ({}) is {} under mcp and {} under ietf, but passing cases trigger it under one profile only",
                code.code,
                code.name,
                code.mcp.as_str(),
                code.ietf.as_str()
            );
        }
        if !absent_somewhere.contains(code.code) {
            let _ = writeln!(
                out,
                "every passing case triggers {}: add one that does not",
                code.code
            );
        }
    }
    assert!(
        out.is_empty(),
        "{out}\n({} cases, {} expected failures listed in xfail.txt)",
        cases.len(),
        expected_failures
    );
}

#[test]
fn corpus_base64_decoder_matches_rfc_4648_vectors() {
    for (text, bytes) in [
        ("", &b""[..]),
        ("Zg==", b"f"),
        ("Zm8=", b"fo"),
        ("Zm9v", b"foo"),
        ("Zm9vYg", b"foob"),
        ("Zm9vYmE=", b"fooba"),
        ("Zm9vYmFy", b"foobar"),
        ("//79", b"\xff\xfe\xfd"),
    ] {
        assert_eq!(support::base64_decode(text).unwrap(), bytes, "{text}");
    }
    assert!(support::base64_decode("Z").is_err());
    assert!(support::base64_decode("Zm9v!").is_err());
}
