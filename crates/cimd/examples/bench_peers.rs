//! In-process throughput of `cimd::validate` on the benchmark's documents (`tests/data/peers`), as
//! JSON that `npm run bench` (`scripts/bench.mjs`) puts in one table with FastMCP and the MCP
//! TypeScript SDK.
//!
//! ```text
//! cargo run --release -p cimd --example bench_peers -- \
//!     [--docs DIR] [--reps 7] [--target-ms 200] [--json-out FILE] \
//!     [--modes validate,json] [--redirect-modes rfc8252,wildcard] [--verdicts-only]
//! ```
//!
//! Document modes (docs/s):
//!   validate  `cimd::validate(text, &Options { url: Some(manifest url), .. })`: the full report
//!             (every rule, the client_id comparison, portability predictions), dropped after use
//!   json      `serde_json::from_str::<serde_json::Value>(text)`: the in-run yardstick; the budget
//!             (`docs/benchmarks.md#budgets`) is validate >= 50% of this on every document of 500
//!             bytes or more
//! Redirect modes (matches/s), on the manifest's `redirect_cases`, against the document's
//! `redirect_uris` (already parsed, as a server holds them):
//!   rfc8252   `cimd::match_redirect(.., MatchPolicy::Rfc8252)` (exact + loopback any port)
//!   wildcard  `cimd::match_redirect(.., MatchPolicy::Wildcard)` (adds FastMCP's wildcards)
//!
//! Timing, the same in `scripts/peers/bench_fastmcp.py` and `scripts/peers/bench_ts_sdk.mjs`: per
//! (doc, mode) one untimed call, the iteration count grown 4x until a block takes >= target/4 and
//! scaled to --target-ms, one warm-up repetition, then --reps timed ones; docs/s at the median
//! repetition and at the fastest.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark program: its table goes to stdout"
)]
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    reason = "a benchmark reads files and the clock; the no-I/O rule is for the library"
)]
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    reason = "iteration counts and timings are far below 2^52"
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cimd::{MatchPolicy, Options};
use serde_json::{Value, json};

struct Args {
    docs: PathBuf,
    reps: usize,
    target: Duration,
    json_out: Option<PathBuf>,
    modes: Vec<String>,
    redirect_modes: Vec<String>,
    verdicts_only: bool,
}

const USAGE: &str = "usage: bench_peers [--docs DIR] [--reps N] [--target-ms MS] [--json-out FILE] \
                     [--modes validate,json] [--redirect-modes rfc8252,wildcard] [--verdicts-only]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        docs: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/peers"),
        reps: 7,
        target: Duration::from_millis(200),
        json_out: None,
        modes: vec!["validate".into(), "json".into()],
        redirect_modes: vec!["rfc8252".into(), "wildcard".into()],
        verdicts_only: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        let list = |s: String| -> Vec<String> {
            s.split(',')
                .filter(|m| !m.is_empty())
                .map(str::to_owned)
                .collect()
        };
        match flag.as_str() {
            "--docs" => args.docs = value()?.into(),
            "--reps" => args.reps = value()?.parse().map_err(|e| format!("--reps: {e}"))?,
            "--target-ms" => {
                let ms: f64 = value()?.parse().map_err(|e| format!("--target-ms: {e}"))?;
                args.target = Duration::from_secs_f64(ms / 1000.0);
            }
            "--json-out" => args.json_out = Some(value()?.into()),
            "--modes" => args.modes = list(value()?),
            "--redirect-modes" => args.redirect_modes = list(value()?),
            "--verdicts-only" => args.verdicts_only = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if args.reps == 0 {
        return Err("--reps must be at least 1".into());
    }
    for m in &args.modes {
        if !matches!(m.as_str(), "validate" | "json") {
            return Err(format!("unknown mode {m} (validate, json)"));
        }
    }
    for m in &args.redirect_modes {
        policy(m)?;
    }
    Ok(args)
}

fn policy(mode: &str) -> Result<MatchPolicy, String> {
    match mode {
        "rfc8252" => Ok(MatchPolicy::Rfc8252),
        "exact" => Ok(MatchPolicy::Exact),
        "wildcard" => Ok(MatchPolicy::Wildcard),
        other => Err(format!(
            "unknown redirect mode {other} (rfc8252, exact, wildcard)"
        )),
    }
}

/// One manifest entry with its text.
struct Doc {
    file: String,
    url: String,
    expect: String,
    text: String,
}

fn load(dir: &Path) -> Result<(Value, Vec<Doc>), String> {
    let path = dir.join("manifest.json");
    let manifest = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (the benchmark's documents are vendored in tests/data/peers)",
            path.display()
        )
    })?;
    let manifest: Value =
        serde_json::from_str(&manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    let entries = manifest["docs"]
        .as_array()
        .ok_or("manifest.json: no docs[]")?;
    let mut docs = Vec::with_capacity(entries.len());
    for d in entries {
        let field = |k: &str| {
            d[k].as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("manifest.json: docs[].{k} missing"))
        };
        let file = field("file")?;
        let path = dir.join(&file);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        // `validate` takes text, as a host has it after decoding a body; every benchmark document is
        // UTF-8 (a lossy decode would change the bytes and is reported instead of hidden).
        let text = String::from_utf8(bytes).map_err(|e| format!("{file}: not UTF-8: {e}"))?;
        docs.push(Doc {
            url: field("url")?,
            expect: field("expect")?,
            file,
            text,
        });
    }
    Ok((manifest, docs))
}

/// Calibrate, warm up, time `reps` repetitions (the method every contender of the benchmark uses).
fn time_block(mut run: impl FnMut(u64), target: Duration, reps: usize) -> Value {
    run(1);
    let mut n: u64 = 1;
    let mut dt;
    loop {
        let t0 = Instant::now();
        run(n);
        dt = t0.elapsed();
        if dt >= target / 4 || n >= 1 << 24 {
            break;
        }
        n *= 4;
    }
    let n = ((n as f64 * target.as_secs_f64() / dt.as_secs_f64().max(1e-9)) as u64).max(1);
    run(n);
    let times: Vec<f64> = (0..reps)
        .map(|_| {
            let t0 = Instant::now();
            run(n);
            t0.elapsed().as_secs_f64()
        })
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    // Python's statistics.median: the mean of the two middle values for an even count.
    let med = if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        f64::midpoint(sorted[mid - 1], sorted[mid])
    };
    let best = sorted[0];
    json!({
        "iters_per_rep": n,
        "reps": reps,
        "rep_times_s": times,
        "per_s_median": n as f64 / med,
        "per_s_best": n as f64 / best,
        "us_per_op_median": med / n as f64 * 1e6,
    })
}

fn run_doc(mode: &str, n: u64, text: &str, options: &Options) {
    match mode {
        "validate" => {
            for _ in 0..n {
                black_box(cimd::validate(black_box(text), black_box(options)));
            }
        }
        "json" => {
            for _ in 0..n {
                black_box(serde_json::from_str::<Value>(black_box(text)).ok());
            }
        }
        _ => unreachable!("modes are checked in parse_args"),
    }
}

fn options_for(doc: &Doc) -> Options {
    Options {
        url: Some(doc.url.clone()),
        ..Options::default()
    }
}

/// A redirect case: the registered URIs (a document's `redirect_uris` or the case's `patterns`)
/// and the requested URI (`LAST` = the last registered one).
struct RedirectCase {
    name: String,
    expect: Value,
    registered: Vec<String>,
    requested: String,
}

fn redirect_cases(manifest: &Value, docs: &[Doc]) -> Result<Vec<RedirectCase>, String> {
    let Some(cases) = manifest["redirect_cases"].as_array() else {
        return Ok(Vec::new());
    };
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    cases
        .iter()
        .map(|c| {
            let name = c["name"].as_str().unwrap_or("?").to_owned();
            let registered = if let Some(file) = c["doc"].as_str() {
                let doc = docs
                    .iter()
                    .find(|d| d.file == file)
                    .ok_or_else(|| format!("redirect case {name}: no doc {file}"))?;
                let value: Value = serde_json::from_str(&doc.text)
                    .map_err(|e| format!("redirect case {name}: {file}: {e}"))?;
                strings(&value["redirect_uris"])
            } else {
                strings(&c["patterns"])
            };
            let requested = match c["redirect_uri"].as_str() {
                Some("LAST") => registered.last().cloned().unwrap_or_default(),
                Some(uri) => uri.to_owned(),
                None => return Err(format!("redirect case {name}: no redirect_uri")),
            };
            Ok(RedirectCase {
                name,
                expect: c["expect"].clone(),
                registered,
                requested,
            })
        })
        .collect()
}

/// `YYYY-MM-DDTHH:MM:SSZ` for now (days-to-civil, proleptic Gregorian).
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_peers: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let (manifest, docs) = load(&args.docs)?;
    let cpus = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let env = json!({
        "peer": "cimd",
        "cimd": env!("CARGO_PKG_VERSION"),
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
        "yardstick": "json = serde_json::from_str::<Value>",
        "machine": format!("{} {cpus} cpu", std::env::consts::ARCH),
        "started_utc": utc_now(),
    });
    if cfg!(debug_assertions) {
        eprintln!("bench_peers: this is a debug build; run with --release for real numbers");
    }
    println!(
        "# bench_peers peer=cimd cimd={} build={} machine={}",
        env["cimd"].as_str().unwrap_or_default(),
        env["build"].as_str().unwrap_or_default(),
        env["machine"].as_str().unwrap_or_default(),
    );

    println!("\n## verdicts (cimd::validate with the manifest URL; valid = no errors)");
    let mut verdicts = Vec::new();
    for d in &docs {
        let report = cimd::validate(&d.text, &options_for(d));
        let ok = report.valid;
        let agrees = ok == d.expect.starts_with("valid");
        let reason: Vec<&str> = report
            .diagnostics
            .iter()
            .filter(|x| x.severity == cimd::Severity::Error)
            .map(cimd::Diagnostic::code)
            .collect();
        let reason = reason.join(" ");
        println!(
            "{:34} expect={:8} cimd={:6} {} {reason}",
            d.file,
            d.expect,
            if ok { "ACCEPT" } else { "REJECT" },
            if agrees { "ok  " } else { "MISS" },
        );
        verdicts.push(json!({
            "file": d.file, "expect": d.expect, "accepted": ok, "agrees": agrees, "reason": reason,
        }));
    }
    let mut results = json!({ "env": env, "verdicts": verdicts, "docs": [], "redirects": [] });
    if args.verdicts_only {
        return write_out(args.json_out.as_deref(), &results);
    }

    println!(
        "\n## documents: docs/s  (reps={}, ~{:.0} ms per rep; median / best; x = median relative to serde_json of the same doc)",
        args.reps,
        args.target.as_secs_f64() * 1000.0
    );
    println!(
        "{:34} {:>5}  {}",
        "doc",
        "bytes",
        args.modes
            .iter()
            .map(|m| format!("{m:>24}"))
            .collect::<Vec<_>>()
            .join("  ")
    );
    let mut rows = Vec::new();
    for d in &docs {
        let options = options_for(d);
        let mut modes = serde_json::Map::new();
        for m in &args.modes {
            let r = time_block(|n| run_doc(m, n, &d.text, &options), args.target, args.reps);
            modes.insert(m.clone(), r);
        }
        let base = modes.get("json").and_then(|r| r["per_s_median"].as_f64());
        let cells: Vec<String> = args
            .modes
            .iter()
            .map(|m| {
                let r = &modes[m];
                let med = r["per_s_median"].as_f64().unwrap_or_default();
                let best = r["per_s_best"].as_f64().unwrap_or_default();
                let rel = match base {
                    Some(b) if m != "json" => format!(" x{:.3}", med / b),
                    _ => String::new(),
                };
                format!("{:>24}", format!("{med:.0}/{best:.0}{rel}"))
            })
            .collect();
        println!("{:34} {:5}  {}", d.file, d.text.len(), cells.join("  "));
        rows.push(json!({
            "file": d.file, "bytes": d.text.len(), "expect": d.expect, "modes": modes,
        }));
    }
    results["docs"] = Value::Array(rows);

    let cases = redirect_cases(&manifest, &docs)?;
    if !args.redirect_modes.is_empty() && !cases.is_empty() {
        println!("\n## redirect-URI matching: matches/s (median / best)");
        let mut rows = Vec::new();
        for c in &cases {
            let registered: Vec<&str> = c.registered.iter().map(String::as_str).collect();
            let mut modes = serde_json::Map::new();
            let mut cells = Vec::new();
            for m in &args.redirect_modes {
                let policy = policy(m)?;
                let matched = cimd::match_redirect(&registered, &c.requested, policy).matched;
                let mut r = time_block(
                    |n| {
                        for _ in 0..n {
                            black_box(cimd::match_redirect(
                                black_box(&registered),
                                black_box(&c.requested),
                                policy,
                            ));
                        }
                    },
                    args.target,
                    args.reps,
                );
                cells.push(format!(
                    "{m}={}: {:>9.0}/{:<9.0}",
                    if matched { "MATCH" } else { "no" },
                    r["per_s_median"].as_f64().unwrap_or_default(),
                    r["per_s_best"].as_f64().unwrap_or_default(),
                ));
                r["result"] = Value::Bool(matched);
                modes.insert(m.clone(), r);
            }
            println!(
                "{:26} n={:<3} expect={:12} {}",
                c.name,
                registered.len(),
                c.expect.to_string(),
                cells.join("  ")
            );
            rows.push(json!({
                "name": c.name, "uri": c.requested, "n_patterns": registered.len(),
                "expect": c.expect, "modes": modes,
            }));
        }
        results["redirects"] = Value::Array(rows);
    }
    write_out(args.json_out.as_deref(), &results)
}

fn write_out(path: Option<&Path>, results: &Value) -> Result<(), String> {
    let Some(path) = path else { return Ok(()) };
    let text = serde_json::to_string_pretty(results).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
