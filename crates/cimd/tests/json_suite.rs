//! The JSON parser against its oracle, `serde_json::from_slice::<serde_json::Value>`: the verdicts
//! must agree on every file of `JSONTestSuite` and on thousands of mutations of valid documents.
//! Offsets are not compared: they legitimately differ. The data is vendored under `tests/data/` (its
//! origin and licence: `tests/data/README.md`).

#![allow(clippy::print_stdout, reason = "the suite prints its counts")]
#![allow(
    clippy::disallowed_methods,
    reason = "the tests read fixture files and time the parser"
)]

use std::path::Path;

use cimd::json::{Parsed, parse};

const SUITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/JSONTestSuite/test_parsing"
);
const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/peers");

fn serde_accepts(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes).is_ok()
}

/// Our value of `bytes` is serde_json's (hosts read JSON through [`Parsed::value`]).
fn same_value(name: &str, bytes: &[u8], parsed: &Parsed<'_>, differing: &mut Vec<String>) {
    let theirs = serde_json::from_slice::<serde_json::Value>(bytes).ok();
    if parsed.value() != theirs {
        differing.push(format!(
            "{name}: value {:?}, serde_json {theirs:?}",
            parsed.value()
        ));
    }
}

/// The files of `dir` whose name ends with `extension`, sorted by name.
fn files(dir: &str, extension: &str) -> Vec<(String, Vec<u8>)> {
    let path = Path::new(dir);
    let entries = std::fs::read_dir(path).unwrap_or_else(|error| {
        panic!(
            "cannot read the fixture folder {} ({error}): the differential JSON tests need \
             tests/data/JSONTestSuite/test_parsing and tests/data/peers (see tests/data/README.md)",
            path.display()
        )
    });
    let mut files: Vec<(String, Vec<u8>)> = entries
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {name}: {e}"));
            (name, bytes)
        })
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no .{extension} files in {}",
        path.display()
    );
    files
}

/// Checks the invariants every parse keeps, whatever the input.
fn check_shape(input: &[u8], parsed: &Parsed<'_>) {
    // A parse without a root ends on exactly one fatal problem, the last one.
    let fatal: Vec<_> = parsed.problems.iter().filter(|p| p.fatal).collect();
    assert_eq!(
        parsed.root.is_none(),
        fatal.len() == 1 && parsed.problems.last().is_some_and(|p| p.fatal),
        "a root exactly when nothing was fatal: {parsed:#?}"
    );
    for p in fatal {
        assert!(
            !matches!(p.kind, cimd::json::ProblemKind::Duplicate { .. }),
            "a duplicate is never fatal"
        );
    }
    for problem in &parsed.problems {
        assert!(
            problem.span.start <= problem.span.end && problem.span.end as usize <= input.len(),
            "span out of bounds: {problem:?}"
        );
        assert!(!problem.message.is_empty());
    }
    if let Some(root) = &parsed.root {
        assert!(root.span.end as usize <= input.len());
    }
}

#[test]
fn json_test_suite_matches_serde() {
    let mut counts = [[0usize; 2]; 3]; // [y, n, i] x [accepted, total]
    let mut differing = Vec::new();
    for (name, bytes) in files(SUITE, "json") {
        let parsed = parse(&bytes);
        check_shape(&bytes, &parsed);
        let ours = parsed.is_valid_json();
        if ours != serde_accepts(&bytes) {
            differing.push(format!("{name}: ours {ours}, serde_json {}", !ours));
        }
        same_value(&name, &bytes, &parsed, &mut differing);
        let class = match name.as_bytes().first() {
            Some(b'y') => 0,
            Some(b'n') => 1,
            _ => 2,
        };
        counts[class][0] += usize::from(ours);
        counts[class][1] += 1;
    }
    let [y, n, i] = counts;
    println!(
        "JSONTestSuite: y accepted {}/{}, n rejected {}/{}, i accepted {}/{}, differing from \
         serde_json: {}",
        y[0],
        y[1],
        n[1] - n[0],
        n[1],
        i[0],
        i[1],
        differing.len()
    );
    assert!(
        differing.is_empty(),
        "verdicts differ from serde_json:\n{}",
        differing.join("\n")
    );
    assert_eq!(y[0], y[1], "every y_ file must be accepted");
    assert_eq!(n[0], 0, "every n_ file must be rejected");
    assert!(y[1] + n[1] + i[1] >= 300, "the suite looks incomplete");
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Bytes that matter to the grammar, favoured by the mutations.
const INTERESTING: &[u8] =
    b"\"\\{}[],:0123456789-+.eEtrufalsnu/' \t\n\r\x00\x01\x1f\x7f\x80\xbf\xc3\xed\xef\xbb\xf0\xff";

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    let operations = if rng.below(2) == 0 {
        1
    } else {
        1 + rng.below(3)
    };
    for _ in 0..operations {
        let at = rng.below(bytes.len() + 1);
        let byte = if rng.below(4) == 0 {
            (rng.next() >> 56) as u8
        } else {
            INTERESTING[rng.below(INTERESTING.len())]
        };
        match rng.below(6) {
            0 if at < bytes.len() => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            2 if at < bytes.len() => {
                bytes.remove(at);
            }
            3 => bytes.truncate(at),
            4 => {
                // Repeat a slice (nesting, duplicate members, long strings).
                let end = (at + rng.below(16)).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                bytes.splice(at..at, piece);
            }
            _ => {
                let escapes: [&[u8]; 6] = [
                    b"\\ud800",
                    b"\\udc00",
                    b"\\u0061",
                    b"1e400",
                    b"\xEF\xBB\xBF",
                    b"\\",
                ];
                let piece = escapes[rng.below(escapes.len())];
                bytes.splice(at..at, piece.iter().copied());
            }
        }
    }
    bytes
}

#[test]
fn mutations_match_serde() {
    let mut seeds: Vec<(String, Vec<u8>)> = files(SUITE, "json")
        .into_iter()
        .filter(|(name, _)| name.starts_with("y_"))
        .collect();
    seeds.extend(files(DOCS, "json"));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut total, mut valid) = (0usize, 0usize);
    let mut differing = Vec::new();
    for (name, seed) in &seeds {
        for _ in 0..40 {
            let bytes = mutate(&mut rng, seed);
            let parsed = parse(&bytes);
            check_shape(&bytes, &parsed);
            let ours = parsed.is_valid_json();
            if ours != serde_accepts(&bytes) {
                differing.push(format!(
                    "{name}: {:?} (ours {ours})",
                    String::from_utf8_lossy(&bytes)
                ));
            }
            same_value(name, &bytes, &parsed, &mut differing);
            total += 1;
            valid += usize::from(ours);
        }
    }
    println!(
        "mutations: {total} of {} seeds, {valid} valid, differing from serde_json: {}",
        seeds.len(),
        differing.len()
    );
    assert!(total >= 4000);
    assert!(
        differing.is_empty(),
        "verdicts differ from serde_json:\n{}",
        differing.join("\n")
    );
}

/// Timing against `serde_json::Value` (run: `cargo test --release -p cimd --test json_suite --
/// --ignored --nocapture`). Not a benchmark: a quick check that the parser stays ahead.
#[test]
#[ignore = "timing; run with --release"]
fn speed_against_serde_value() {
    use std::hint::black_box;
    use std::time::Instant;

    /// Nanoseconds per call of each of `work`: the median of `rounds` rounds, taken alternately
    /// so that load from other processes hits both alike, after one warm-up round.
    fn median_ns<const N: usize>(rounds: usize, iterations: u32, work: [&dyn Fn(); N]) -> [f64; N] {
        let mut samples: [Vec<f64>; N] = std::array::from_fn(|_| Vec::with_capacity(rounds));
        for round in 0..=rounds {
            for (work, samples) in work.iter().zip(&mut samples) {
                let start = Instant::now();
                for _ in 0..iterations {
                    work();
                }
                if round > 0 {
                    samples.push(start.elapsed().as_secs_f64() * 1e9 / f64::from(iterations));
                }
            }
        }
        samples.map(|mut samples| {
            samples.sort_by(f64::total_cmp);
            samples[rounds / 2]
        })
    }

    for name in ["valid_vscode.json", "valid_4kb_redirects.json"] {
        let bytes = std::fs::read(Path::new(DOCS).join(name)).expect("the peer document");
        let [ours, serde] = median_ns(
            31,
            10_000,
            [
                &|| {
                    black_box(parse(black_box(&bytes)));
                },
                &|| {
                    black_box(serde_json::from_slice::<serde_json::Value>(black_box(&bytes)).ok());
                },
            ],
        );
        println!(
            "{name} ({} B): cimd::json::parse {ours:.0} ns, serde_json::Value {serde:.0} ns, \
             speed-up {:.2}x",
            bytes.len(),
            serde / ours
        );
    }
}
