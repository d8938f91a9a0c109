//! A report back from JavaScript (for `render`): the JSON of a report, read into the core's types.
//! Codes, names, spec sections and server names come from the core's registry; a report whose
//! codes or servers the registry does not know is refused with the member that is wrong.

use std::borrow::Cow;
use std::sync::OnceLock;

use cimd::report::{FetchInfo, Portability, Position, Range, Summary};
use cimd::{Diagnostic, Document, Options, Profile, Report, Severity, Span};
use serde::Deserialize;

#[derive(Deserialize)]
struct ReportIn {
    valid: bool,
    profile: String,
    #[serde(default)]
    strict: bool,
    #[serde(default)]
    url: Option<String>,
    summary: SummaryIn,
    diagnostics: Vec<DiagnosticIn>,
    #[serde(default)]
    document: Option<serde_json::Value>,
    #[serde(default)]
    fetch: Option<FetchIn>,
    #[serde(default)]
    portability: Vec<PortabilityIn>,
}

#[derive(Deserialize)]
struct SummaryIn {
    errors: u32,
    warnings: u32,
    infos: u32,
}

#[derive(Deserialize)]
struct SpanIn {
    start: u32,
    end: u32,
}

#[derive(Deserialize)]
struct PositionIn {
    line: u32,
    column: u32,
}

#[derive(Deserialize)]
struct RangeIn {
    start: PositionIn,
    end: PositionIn,
}

#[derive(Deserialize)]
struct DiagnosticIn {
    code: String,
    severity: String,
    message: String,
    help: String,
    #[serde(default)]
    pointer: Option<String>,
    #[serde(default)]
    span: Option<SpanIn>,
    #[serde(default)]
    range: Option<RangeIn>,
}

#[derive(Deserialize)]
struct FetchIn {
    status: Option<u16>,
    content_type: Option<String>,
    bytes: Option<u64>,
    cache_ttl_s: Option<u64>,
    elapsed_ms: Option<u64>,
    address: Option<String>,
}

#[derive(Deserialize)]
struct PortabilityIn {
    server: String,
    accepts: bool,
    because: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
}

/// Reads the JSON of a report.
pub(crate) fn parse(json: &str) -> Result<Report, String> {
    let r: ReportIn = serde_json::from_str(json).map_err(|e| format!("report: {e}"))?;
    let profile: Profile = r
        .profile
        .parse()
        .map_err(|e| format!("report.profile: {e}"))?;
    let diagnostics = r
        .diagnostics
        .into_iter()
        .enumerate()
        .map(|(i, d)| diagnostic(d, profile).map_err(|e| format!("report.diagnostics[{i}]: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let portability = r
        .portability
        .into_iter()
        .enumerate()
        .map(|(i, p)| portability(p).map_err(|e| format!("report.portability[{i}]: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Report {
        valid: r.valid,
        profile,
        strict: r.strict,
        url: r.url,
        summary: Summary {
            errors: r.summary.errors,
            warnings: r.summary.warnings,
            infos: r.summary.infos,
        },
        diagnostics,
        document: r.document.as_ref().and_then(document),
        fetch: r.fetch.map(|f| FetchInfo {
            status: f.status,
            content_type: f.content_type,
            bytes: f.bytes,
            cache_ttl_s: f.cache_ttl_s,
            elapsed_ms: f.elapsed_ms,
            address: f.address,
        }),
        portability,
    })
}

fn code(code: &str) -> Result<&'static cimd::Code, String> {
    cimd::codes::lookup(code)
        .filter(|c| c.code == code)
        .ok_or_else(|| format!("`{code}` is not a registered code"))
}

fn diagnostic(d: DiagnosticIn, profile: Profile) -> Result<Diagnostic, String> {
    let mut out = Diagnostic::new(code(&d.code)?, profile, d.message).with_help(d.help);
    out.severity = match d.severity.as_str() {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        other => return Err(format!("unknown severity `{other}`")),
    };
    out.pointer = d.pointer.map(Cow::Owned);
    out.span = d.span.map(|s| Span::new(s.start, s.end));
    out.range = d.range.map(|r| Range {
        start: Position {
            line: r.start.line,
            column: r.start.column,
        },
        end: Position {
            line: r.end.line,
            column: r.end.column,
        },
    });
    Ok(out)
}

/// The servers the core predicts for, with their static names (from a report on `{}`).
fn servers() -> &'static [&'static str] {
    static SERVERS: OnceLock<Vec<&'static str>> = OnceLock::new();
    SERVERS.get_or_init(|| {
        cimd::validate("{}", &Options::default())
            .portability
            .iter()
            .map(|p| p.server)
            .collect()
    })
}

fn portability(p: PortabilityIn) -> Result<Portability, String> {
    let server = servers()
        .iter()
        .copied()
        .find(|s| *s == p.server)
        .ok_or_else(|| format!("unknown server `{}`", p.server))?;
    Ok(Portability {
        server,
        accepts: p.accepts,
        because: p
            .because
            .iter()
            .map(|c| code(c).map(|c| c.code))
            .collect::<Result<_, _>>()?,
        notes: p.notes.into_iter().map(Cow::Owned).collect(),
    })
}

/// The core's `Document` for a JSON object (it has no public constructor: the core keeps the
/// text it validated, so the object is validated as text and its document taken).
fn document(value: &serde_json::Value) -> Option<Document> {
    value
        .is_object()
        .then(|| cimd::validate(&value.to_string(), &Options::default()).document)
        .flatten()
}
