//! `cimd`: write, check and match OAuth Client ID Metadata Documents (docs/cli.md).
//!
//! Exit codes: 0 valid / matched / written; 1 invalid, refused or no match; 2 usage error or the
//! target could not be read.

#![allow(clippy::print_stderr, reason = "a CLI reports to stderr")]

mod fetch;

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use cimd::{MatchPolicy, Options, Profile, RenderOptions, Report};

#[derive(Parser)]
#[command(
    name = "cimd",
    version,
    about = "Write, check and match OAuth Client ID Metadata Documents (CIMD)"
)]
#[command(
    after_help = "Exit codes: 0 valid/matched, 1 invalid/refused/no match, 2 usage error or unreadable target.\n\
Docs for every diagnostic: `cimd explain CODE`."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a CIMD document (the flags of `fastmcp auth cimd create`), validated before it is written.
    Create(CreateArgs),
    /// Validate a document: an https URL (fetched as a careful server does), a file, or `-` (stdin).
    Validate(ValidateArgs),
    /// Does a requested redirect URI match a document's redirect_uris (or the given ones)?
    Match(MatchArgs),
    /// Show the documentation of a diagnostic code (`CIMD107` or `client-id-mismatch`).
    Explain {
        /// The code or its name.
        code: String,
    },
    /// List every diagnostic code.
    Codes {
        #[arg(long, value_enum, default_value_t = CodesFormat::Text)]
        format: CodesFormat,
    },
    /// List the servers whose verdict the report predicts (its `portability` rows).
    Servers {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum CodesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    Mcp,
    Ietf,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Self {
        match p {
            ProfileArg::Mcp => Profile::Mcp,
            ProfileArg::Ietf => Profile::Ietf,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum PolicyArg {
    Rfc8252,
    Exact,
    Wildcard,
}

impl From<PolicyArg> for MatchPolicy {
    fn from(p: PolicyArg) -> Self {
        match p {
            PolicyArg::Rfc8252 => MatchPolicy::Rfc8252,
            PolicyArg::Exact => MatchPolicy::Exact,
            PolicyArg::Wildcard => MatchPolicy::Wildcard,
        }
    }
}

#[derive(Args)]
struct CreateArgs {
    /// Human-readable name of the client application (client_name).
    #[arg(long)]
    name: String,
    /// Allowed redirect URI (repeatable).
    #[arg(long = "redirect-uri", short = 'r', required = true)]
    redirect_uri: Vec<String>,
    /// The URL where this document will be hosted (sets client_id).
    #[arg(long)]
    client_id: Option<String>,
    /// URL of the client's home page.
    #[arg(long)]
    client_uri: Option<String>,
    /// URL of the client's logo image.
    #[arg(long)]
    logo_uri: Option<String>,
    /// Space-separated scopes the client may request.
    #[arg(long)]
    scope: Option<String>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Replace an existing --output file.
    #[arg(long)]
    force: bool,
    /// Pretty-print the JSON (the default).
    #[arg(long, conflicts_with = "no_pretty")]
    pretty: bool,
    /// Write the JSON on one line.
    #[arg(long = "no-pretty")]
    no_pretty: bool,
    #[arg(long, value_enum, default_value = "mcp")]
    profile: ProfileArg,
}

#[derive(Args)]
struct ValidateArgs {
    /// An https:// URL, a file, or `-` for stdin.
    target: String,
    /// The URL a file is served at (enables the client_id comparison); required with --http.
    #[arg(long)]
    url: Option<String>,
    /// Read TARGET as a raw HTTP response (`curl -si` output) and apply the fetch rules to it.
    #[arg(long)]
    http: bool,
    /// Pin name resolution, as curl does: HOST:PORT:ADDR (repeatable).
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    resolve: Vec<String>,
    /// Fetch timeout in seconds [default: 10].
    #[arg(long, short = 't')]
    timeout: Option<f64>,
    /// Largest document accepted, in bytes (-03 §9.7 recommends 5 KB) [default: 5120].
    #[arg(long)]
    max_bytes: Option<usize>,
    #[arg(long, value_enum, default_value = "mcp")]
    profile: ProfileArg,
    /// Warnings fail validation too.
    #[arg(long)]
    strict: bool,
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Print nothing; the exit code tells.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// TESTING ONLY: also trust this CA certificate (PEM) when fetching.
    #[arg(long, value_name = "FILE")]
    ca_cert: Option<PathBuf>,
    /// TESTING ONLY: allow fetching from loopback addresses (servers must never do this in production).
    #[arg(long)]
    allow_loopback: bool,
    /// Fetch --url as a server does and report every difference between FILE and the live document.
    #[arg(long)]
    compare: bool,
}

#[derive(Args)]
struct MatchArgs {
    /// DOCUMENT REQUESTED, or just REQUESTED with --registered.
    #[arg(num_args = 1..=2, required = true, value_name = "DOCUMENT] [REQUESTED")]
    args: Vec<String>,
    /// A registered redirect URI (repeatable) instead of a document.
    #[arg(long)]
    registered: Vec<String>,
    #[arg(long, value_enum, default_value = "rfc8252")]
    policy: PolicyArg,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Fetch timeout in seconds when DOCUMENT is a URL [default: 10].
    #[arg(long, short = 't')]
    timeout: Option<f64>,
}

/// The fetch deadline when none is given.
const DEFAULT_TIMEOUT_S: f64 = 10.0;

/// A failure that ends the command with exit code 2.
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Create(args) => create(&args),
        Command::Validate(args) => validate(&args),
        Command::Match(args) => match_command(&args),
        Command::Explain { code } => explain(&code),
        Command::Codes { format } => {
            codes(format);
            Ok(true)
        }
        Command::Servers { format } => {
            servers(format);
            Ok(true)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(UsageError(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn color(stream_is_tty: bool) -> bool {
    stream_is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn create(args: &CreateArgs) -> Result<bool, UsageError> {
    if args.force && args.output.is_none() {
        return Err(UsageError(
            "--force has no effect without --output: it replaces an existing output file".into(),
        ));
    }
    let created = cimd::create(&cimd::CreateOptions {
        name: args.name.clone(),
        redirect_uris: args.redirect_uri.clone(),
        client_id: args.client_id.clone(),
        client_uri: args.client_uri.clone(),
        logo_uri: args.logo_uri.clone(),
        scope: args.scope.clone(),
        compact: args.no_pretty && !args.pretty,
        profile: args.profile.into(),
    });
    let stderr_color = color(std::io::stderr().is_terminal());
    let render = RenderOptions {
        color: stderr_color,
        path: Some("generated document".into()),
        diagnostics_only: true,
    };
    // Errors and warnings only: suggestions (infos) are for `cimd validate`.
    let mut shown = created.report.clone();
    shown
        .diagnostics
        .retain(|d| d.severity != cimd::Severity::Info);
    if !shown.diagnostics.is_empty() {
        eprint!("{}", cimd::render(&shown, Some(&created.document), &render));
        if shown.summary.infos > 0 {
            eprintln!("(suggestions not shown: run `cimd validate` on the document to see them)");
        }
    }
    if !created.writable() {
        eprintln!("Nothing was written: fix the errors above.");
        return Ok(false);
    }
    match &args.output {
        Some(path) => {
            write_atomically(path, created.document.as_bytes(), args.force)?;
            out(&format!("✓ CIMD document written to {}\n", path.display()));
        }
        None => out(&created.document),
    }
    if created.placeholder {
        eprintln!(
            "\nImportant: client_id is a placeholder. Update it to the URL where you will host this document, or re-run with --client-id."
        );
    }
    Ok(true)
}

/// Writes through a temporary file in the same directory and renames it into place, so a failed
/// run never leaves a half-written document. Without `force` the final step is a hard link, which
/// fails if the destination appeared meanwhile (no check-then-write race).
fn write_atomically(path: &Path, bytes: &[u8], force: bool) -> Result<(), UsageError> {
    let fail = |what: &str, e: std::io::Error| {
        UsageError(format!("cannot {what} {}: {e}", path.display()))
    };
    if !force && path.exists() {
        return Err(UsageError(format!(
            "{} already exists (use --force to replace it)",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| fail("create the folder for", e))?;
    let name = path
        .file_name()
        .map_or_else(|| "document".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create_new(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if force {
            std::fs::rename(&tmp, path)
        } else {
            std::fs::hard_link(&tmp, path).and_then(|()| std::fs::remove_file(&tmp))
        }
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            return Err(UsageError(format!(
                "{} already exists (use --force to replace it)",
                path.display()
            )));
        }
        return Err(fail("write", e));
    }
    Ok(())
}

fn is_url(target: &str) -> bool {
    let lower = target.get(..8).map(str::to_ascii_lowercase);
    lower.as_deref() == Some("https://")
        || target
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("http://"))
}

fn read_target(target: &str) -> Result<Vec<u8>, UsageError> {
    if target == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| UsageError(format!("cannot read stdin: {e}")))?;
        Ok(bytes)
    } else {
        std::fs::read(target).map_err(|e| UsageError(format!("cannot read {target}: {e}")))
    }
}

fn parse_resolve(entries: &[String]) -> Result<Vec<(String, u16, IpAddr)>, UsageError> {
    let mut pins = Vec::new();
    for entry in entries {
        pins.extend(fetch::parse_resolve(entry).map_err(UsageError)?);
    }
    Ok(pins)
}

fn timeout(secs: Option<f64>) -> Result<Duration, UsageError> {
    let secs = secs.unwrap_or(DEFAULT_TIMEOUT_S);
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            UsageError(format!(
                "--timeout {secs} is not a positive number of seconds"
            ))
        })
}

/// What `cimd validate` was given, once every flag was checked against it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// An https URL, fetched.
    Url,
    /// A raw HTTP response (`--http`), judged by the fetch rules; nothing is fetched.
    Http,
    /// A file or stdin, read.
    File,
    /// A file or stdin, read, and `--url` fetched to compare with it (`--compare`).
    Compare,
}

/// Refuses every flag that would have no effect on this target, saying why and what to use instead,
/// so that a run never looks like it applied an option it dropped.
fn validate_target(args: &ValidateArgs) -> Result<Target, UsageError> {
    let usage = |m: String| Err(UsageError(m));
    let target = if args.compare {
        if args.http || is_url(&args.target) {
            return usage(format!(
                "--compare compares a file (or `-`) with the document live at --url; {} is {}: give the \
                 file as TARGET and the URL with --url",
                args.target,
                if args.http {
                    "a saved response (--http)"
                } else {
                    "a URL"
                }
            ));
        }
        if args.url.is_none() {
            return usage(
                "--compare needs --url: the URL the file is published at, which is fetched".into(),
            );
        }
        Target::Compare
    } else if args.http {
        Target::Http
    } else if is_url(&args.target) {
        Target::Url
    } else {
        Target::File
    };
    if args.quiet && args.format.is_some() {
        return usage("--quiet prints nothing, so --format has no effect: give one of them".into());
    }
    match target {
        Target::Url => {
            if let Some(url) = &args.url {
                return usage(format!(
                    "{} is a URL: it is fetched and is itself the document URL, so --url {url} has no effect. \
                     To check a file against the URL it is served at, give the file: `cimd validate FILE --url URL`",
                    args.target
                ));
            }
        }
        Target::Http => {
            if is_url(&args.target) {
                return usage(format!(
                    "--http reads a saved HTTP response from a file or `-`, and {} is a URL: drop --http to fetch it",
                    args.target
                ));
            }
            let fetch_only = [
                ("--timeout", args.timeout.is_some()),
                ("--ca-cert", args.ca_cert.is_some()),
            ];
            if let Some((flag, _)) = fetch_only.iter().find(|(_, given)| *given) {
                return usage(format!(
                    "{flag} has no effect with --http: the response is read from {}, nothing is fetched",
                    target_name(&args.target)
                ));
            }
            if args.allow_loopback && args.resolve.is_empty() {
                return usage(
                    "--allow-loopback has no effect with --http unless an address is given: add \
                     --resolve HOST:PORT:ADDR for the address the response came from"
                        .into(),
                );
            }
        }
        Target::Compare => {}
        Target::File => {
            let fetch_only = [
                ("--resolve", !args.resolve.is_empty()),
                ("--timeout", args.timeout.is_some()),
                ("--ca-cert", args.ca_cert.is_some()),
                ("--allow-loopback", args.allow_loopback),
            ];
            if let Some((flag, _)) = fetch_only.iter().find(|(_, given)| *given) {
                return usage(format!(
                    "{flag} has no effect: {} is read, not fetched. Give --http with a raw response \
                     (`curl -si URL`) to apply the fetch rules, the https URL itself to fetch it, or \
                     --compare to fetch --url and compare it with the file",
                    target_name(&args.target)
                ));
            }
        }
    }
    Ok(target)
}

fn target_name(target: &str) -> String {
    if target == "-" {
        "stdin".to_owned()
    } else {
        target.to_owned()
    }
}

/// Every `--resolve` pin must be for the host and port of `url`, the one fetched (or, with
/// `--http`, said to be fetched): any other pin would change nothing.
fn check_pins(url: &str, pins: &[(String, u16, IpAddr)]) -> Result<(), UsageError> {
    if pins.is_empty() {
        return Ok(());
    }
    let (host, port) = cimd::fetch::check_fetch_url(url, true).map_err(|e| {
        UsageError(format!(
            "--resolve has no effect: {url} is refused before any fetch ({e})"
        ))
    })?;
    let bare = |h: &str| {
        h.trim_start_matches('[')
            .trim_end_matches(']')
            .trim_end_matches('.')
            .to_ascii_lowercase()
    };
    if bare(&host).parse::<IpAddr>().is_ok() {
        return Err(UsageError(format!(
            "--resolve has no effect: the host of {url} is an IP address, which is not resolved"
        )));
    }
    for (pin_host, pin_port, _) in pins {
        if bare(pin_host) != bare(&host) || *pin_port != port {
            return Err(UsageError(format!(
                "--resolve {pin_host}:{pin_port}:... has no effect: {url} is {host}:{port}; give \
                 --resolve {host}:{port}:ADDR"
            )));
        }
    }
    Ok(())
}

/// With `--http`, the `--resolve` address is the one the response is judged as coming from: one
/// address, for the URL's own host and port.
fn http_address(url: &str, pins: &[(String, u16, IpAddr)]) -> Result<Option<IpAddr>, UsageError> {
    check_pins(url, pins)?;
    match pins {
        [] => Ok(None),
        [(_, _, address)] => Ok(Some(*address)),
        _ => Err(UsageError(
            "with --http, give one --resolve address: the one the response came from".into(),
        )),
    }
}

fn validate(args: &ValidateArgs) -> Result<bool, UsageError> {
    let target = validate_target(args)?;
    let options = Options {
        url: args.url.clone(),
        profile: args.profile.into(),
        strict: args.strict,
        max_bytes: args.max_bytes.unwrap_or(cimd::DEFAULT_MAX_BYTES),
    };
    let resolve = parse_resolve(&args.resolve)?;
    let format = args.format.unwrap_or(Format::Text);
    let text_mode = format == Format::Text && !args.quiet;
    let (report, source, path) = match target {
        Target::Http => {
            let url = args.url.clone().ok_or_else(|| {
                UsageError("--http needs --url (the URL the response came from)".into())
            })?;
            let address = http_address(&url, &resolve)?;
            allow_loopback_warning(args);
            let raw = read_target(&args.target)?;
            let mut doc = cimd::fetch::parse_http_response(&url, &raw)
                .map_err(|e| UsageError(format!("{} is not an HTTP response: {e}", args.target)))?;
            doc.address = doc.address.or(address);
            doc.allow_loopback = args.allow_loopback;
            doc.received_unix_s = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .map(|d| d.as_secs());
            let report = cimd::fetch::validate_fetched(&doc, &options);
            (report, String::from_utf8_lossy(&doc.body).into_owned(), url)
        }
        Target::Compare => {
            let url = args.url.clone().unwrap_or_default();
            check_pins(&url, &resolve)?;
            let bytes = read_target(&args.target)?;
            let fetch_options = fetch_options(args, &url, options.max_bytes, resolve, text_mode)?;
            let report = match fetch::fetch(&url, &fetch_options) {
                Ok(live) => cimd::drift::compare(&bytes, &live, &options),
                Err(error) => cimd::drift::compare_failure(&bytes, &url, &error, &options),
            };
            let path = if args.target == "-" {
                "<stdin>".to_owned()
            } else {
                args.target.clone()
            };
            (report, String::from_utf8_lossy(&bytes).into_owned(), path)
        }
        Target::Url => {
            let url = args.target.clone();
            check_pins(&url, &resolve)?;
            let fetch_options = fetch_options(args, &url, options.max_bytes, resolve, text_mode)?;
            let options = Options {
                url: Some(url.clone()),
                ..options
            };
            match fetch::fetch(&url, &fetch_options) {
                Ok(doc) => {
                    let report = cimd::fetch::validate_fetched(&doc, &options);
                    (report, String::from_utf8_lossy(&doc.body).into_owned(), url)
                }
                Err(error) => (
                    cimd::fetch::failure_report(&url, &error, &options),
                    String::new(),
                    url,
                ),
            }
        }
        Target::File => {
            let bytes = read_target(&args.target)?;
            let report = cimd::validate_bytes(&bytes, &options);
            let path = if args.target == "-" {
                "<stdin>".to_owned()
            } else {
                args.target.clone()
            };
            (report, String::from_utf8_lossy(&bytes).into_owned(), path)
        }
    };
    print_report(&report, &source, &path, format, args.quiet);
    Ok(report.valid)
}

/// The careful fetch's settings, with the testing flags' warnings and the "Fetching" line.
fn fetch_options(
    args: &ValidateArgs,
    url: &str,
    max_bytes: usize,
    resolve: Vec<(String, u16, IpAddr)>,
    text_mode: bool,
) -> Result<fetch::FetchOptions, UsageError> {
    let timeout = timeout(args.timeout)?;
    allow_loopback_warning(args);
    if args.ca_cert.is_some() {
        eprintln!("⚠ --ca-cert: an extra CA is trusted for this fetch. For testing only.");
    }
    if text_mode {
        out(&format!("→ Fetching {url}...\n"));
    }
    Ok(fetch::FetchOptions {
        timeout,
        max_bytes,
        resolve,
        ca_cert: args.ca_cert.clone(),
        allow_loopback: args.allow_loopback,
        spinner: !args.quiet && std::io::stderr().is_terminal(),
    })
}

fn allow_loopback_warning(args: &ValidateArgs) {
    if args.allow_loopback {
        eprintln!(
            "⚠ --allow-loopback: loopback addresses are accepted. For testing only: a server must never do this."
        );
    }
}

fn print_report(report: &Report, source: &str, path: &str, format: Format, quiet: bool) {
    if quiet {
        return;
    }
    match format {
        Format::Json => out(&format!("{}\n", report.to_json())),
        Format::Text => {
            let options = RenderOptions {
                color: color(std::io::stdout().is_terminal()),
                path: Some(path.to_owned()),
                diagnostics_only: false,
            };
            out(&cimd::render(report, Some(source), &options));
        }
    }
}

fn match_command(args: &MatchArgs) -> Result<bool, UsageError> {
    let document = match (args.registered.is_empty(), args.args.as_slice()) {
        (true, [document, _]) => Some(document.as_str()),
        _ => None,
    };
    if args.timeout.is_some() && !document.is_some_and(is_url) {
        return Err(UsageError(
            "--timeout has no effect: it is the fetch deadline when DOCUMENT is an https URL, and no              document is fetched here"
                .into(),
        ));
    }
    let (registered, requested): (Vec<String>, &str) =
        match (args.registered.is_empty(), args.args.as_slice()) {
            (false, [requested]) => (args.registered.clone(), requested),
            (true, [document, requested]) => (redirect_uris_of(document, args.timeout)?, requested),
            (false, _) => {
                return Err(UsageError(
                    "with --registered give only the REQUESTED redirect URI".into(),
                ));
            }
            (true, _) => {
                return Err(UsageError(
                    "give DOCUMENT and REQUESTED, or --registered URI ... REQUESTED".into(),
                ));
            }
        };
    let refs: Vec<&str> = registered.iter().map(String::as_str).collect();
    let result = cimd::match_redirect(&refs, requested, args.policy.into());
    match args.format {
        Format::Json => out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&result).expect("a match result serializes")
        )),
        Format::Text => {
            let mut text = String::new();
            if result.matched {
                text.push_str(&format!("✓ {requested} matches: {}\n", result.reason));
            } else {
                text.push_str(&format!(
                    "✗ {requested} matches no registered redirect URI: {}\n",
                    result.reason
                ));
                for c in &result.candidates {
                    text.push_str(&format!("  [{}] {}: {}\n", c.index, c.registered, c.reason));
                }
            }
            out(&text);
        }
    }
    Ok(result.matched)
}

/// The redirect_uris of a document given as a file or an https URL.
fn redirect_uris_of(document: &str, secs: Option<f64>) -> Result<Vec<String>, UsageError> {
    let bytes = if is_url(document) {
        let options = fetch::FetchOptions {
            timeout: timeout(secs)?,
            max_bytes: cimd::DEFAULT_MAX_BYTES,
            resolve: Vec::new(),
            ca_cert: None,
            allow_loopback: false,
            spinner: std::io::stderr().is_terminal(),
        };
        let doc = fetch::fetch(document, &options)
            .map_err(|e| UsageError(format!("cannot fetch {document}: {e}")))?;
        if doc.status != 200 {
            return Err(UsageError(format!(
                "{document} answered {} instead of 200",
                doc.status
            )));
        }
        doc.body
    } else {
        read_target(document)?
    };
    let report = cimd::validate_bytes(&bytes, &Options::default());
    let value = report.document.as_ref().map(cimd::Document::value);
    let uris = value
        .as_ref()
        .and_then(|d| d.get("redirect_uris"))
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| UsageError(format!("{document} has no redirect_uris array")))?;
    Ok(uris
        .iter()
        .filter_map(|u| u.as_str().map(str::to_owned))
        .collect())
}

fn explain(code: &str) -> Result<bool, UsageError> {
    let doc = cimd::explain(code)
        .ok_or_else(|| UsageError(format!("unknown code `{code}` (see `cimd codes`)")))?;
    out(&doc);
    Ok(true)
}

fn servers(format: Format) {
    let all: Vec<_> = cimd::servers().collect();
    if format == Format::Json {
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&all).expect("servers serialize")
        ));
        return;
    }
    let mut text = String::new();
    for s in all {
        let redirects = s.redirects.map_or("not read", cimd::MatchPolicy::as_str);
        text.push_str(&format!(
            "{}\n  {}: {}\n  read from: {}\n  redirect matching: {redirects}\n",
            s.id, s.name, s.what, s.source
        ));
    }
    out(&text);
}

fn codes(format: CodesFormat) {
    match format {
        CodesFormat::Markdown => out(&cimd::codes::markdown()),
        CodesFormat::Json => out(&format!(
            "{}\n",
            serde_json::to_string_pretty(cimd::codes::all()).expect("codes serialize")
        )),
        CodesFormat::Text => {
            let mut text = String::new();
            for c in cimd::codes::all() {
                text.push_str(&format!(
                    "{}  {:<7}  {:<7}  {:<34} {}{}\n",
                    c.code,
                    c.mcp.as_str(),
                    c.ietf.as_str(),
                    c.name,
                    if c.retired.is_some() {
                        "(retired) "
                    } else {
                        ""
                    },
                    c.title
                ));
            }
            out(&text);
        }
    }
}
