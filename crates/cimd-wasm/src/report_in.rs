//! A report back from JavaScript (for `render`): the JSON of a report, read into the core's types.
//! Codes, names, spec sections and server names come from the core's registry; a report whose
//! codes or servers the registry does not know is refused with the member that is wrong.

use std::borrow::Cow;
use std::sync::OnceLock;

use cimd::report::{FetchInfo, LoopbackPorts, Portability, Ports, Position, Range, Summary};
use cimd::{Diagnostic, Document, Options, Profile, Report, Severity, Span};
use serde_json::Value;

use crate::args::{self, Object};

const REPORT: &[&str] = &[
    "valid",
    "profile",
    "strict",
    "url",
    "summary",
    "diagnostics",
    "document",
    "fetch",
    "portability",
];
const DIAGNOSTIC: &[&str] = &[
    "code", "name", "severity", "message", "help", "spec", "docs", "pointer", "span", "range",
];
const FETCH: &[&str] = &[
    "status",
    "content_type",
    "bytes",
    "cache_ttl_s",
    "elapsed_ms",
    "address",
];

/// Reads the JSON of a report.
pub(crate) fn parse(json: &str) -> Result<Report, String> {
    let value = args::parse(json, "report")?;
    let r = Object::new(&value, "report", REPORT)?;
    let profile: Profile = r
        .required("profile", r.string("profile")?)?
        .parse()
        .map_err(|e| format!("report.profile: {e}"))?;
    let summary = r.required("summary", r.get("summary"))?;
    let summary = Object::new(summary, "report.summary", &["errors", "warnings", "infos"])?;
    let count = |name| -> Result<u32, String> {
        let n = summary.required(name, summary.uint(name)?)?;
        u32::try_from(n).map_err(|_| format!("report.summary.{name} is too large"))
    };
    let items = |name| -> Result<&Vec<Value>, String> { Ok(r.array(name)?.map_or(&EMPTY, |a| a)) };
    let diagnostics = items("diagnostics")?
        .iter()
        .enumerate()
        .map(|(i, d)| diagnostic(d, profile, &format!("report.diagnostics[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let portability = items("portability")?
        .iter()
        .enumerate()
        .map(|(i, p)| portability(p, &format!("report.portability[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let fetch = match r.get("fetch") {
        None => None,
        Some(f) => {
            let f = Object::new(f, "report.fetch", FETCH)?;
            Some(FetchInfo {
                status: f
                    .uint("status")?
                    .map(|s| u16::try_from(s).map_err(|_| "report.fetch.status is too large"))
                    .transpose()?,
                content_type: f.string("content_type")?,
                bytes: f.uint("bytes")?,
                cache_ttl_s: f.uint("cache_ttl_s")?,
                elapsed_ms: f.uint("elapsed_ms")?,
                address: f.string("address")?,
            })
        }
    };
    Ok(Report {
        valid: r.flag("valid")?,
        profile,
        strict: r.flag("strict")?,
        url: r.string("url")?,
        summary: Summary {
            errors: count("errors")?,
            warnings: count("warnings")?,
            infos: count("infos")?,
        },
        diagnostics,
        document: r.get("document").and_then(document),
        fetch,
        portability,
    })
}

static EMPTY: Vec<Value> = Vec::new();

fn code(code: &str, path: &str) -> Result<&'static cimd::Code, String> {
    cimd::codes::lookup(code)
        .filter(|c| c.code == code)
        .ok_or_else(|| format!("{path}: `{code}` is not a registered code"))
}

/// Two whole numbers `a` and `b` of an object (a span's start and end, a position's line and column).
fn two(value: &Value, path: &str, a: &str, b: &str) -> Result<(u32, u32), String> {
    let o = Object::new(value, path, &[a, b])?;
    let get = |name| -> Result<u32, String> {
        let n = o.required(name, o.uint(name)?)?;
        u32::try_from(n).map_err(|_| format!("{path}.{name} is too large"))
    };
    Ok((get(a)?, get(b)?))
}

fn diagnostic(value: &Value, profile: Profile, path: &str) -> Result<Diagnostic, String> {
    let d = Object::new(value, path, DIAGNOSTIC)?;
    let registered = code(&d.required("code", d.string("code")?)?, path)?;
    let message = d.required("message", d.string("message")?)?;
    let mut out = Diagnostic::new(registered, profile, message);
    if let Some(help) = d.string("help")? {
        out = out.with_help(help);
    }
    out.severity = match d.string("severity")?.as_deref() {
        Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        Some("info") => Severity::Info,
        _ => return Err(format!("{path}.severity must be error, warning or info")),
    };
    out.pointer = d.string("pointer")?.map(Cow::Owned);
    out.span = d
        .get("span")
        .map(|s| two(s, &format!("{path}.span"), "start", "end"))
        .transpose()?
        .map(|(start, end)| Span::new(start, end));
    out.range = d
        .get("range")
        .map(|r| {
            let range = Object::new(r, path, &["start", "end"])?;
            let position = |name| -> Result<Position, String> {
                let at = range.required(name, range.get(name))?;
                let (line, column) = two(at, &format!("{path}.range.{name}"), "line", "column")?;
                Ok(Position { line, column })
            };
            Ok::<_, String>(Range {
                start: position("start")?,
                end: position("end")?,
            })
        })
        .transpose()?;
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

fn portability(value: &Value, path: &str) -> Result<Portability, String> {
    let p = Object::new(
        value,
        path,
        &["server", "accepts", "because", "notes", "loopback"],
    )?;
    let name = p.required("server", p.string("server")?)?;
    let server = servers()
        .iter()
        .copied()
        .find(|s| *s == name)
        .ok_or_else(|| format!("{path}: unknown server `{name}`"))?;
    Ok(Portability {
        server,
        accepts: p.flag("accepts")?,
        because: p
            .strings("because")?
            .unwrap_or_default()
            .iter()
            .map(|c| code(c, path).map(|c| c.code))
            .collect::<Result<_, _>>()?,
        notes: p
            .strings("notes")?
            .unwrap_or_default()
            .into_iter()
            .map(Cow::Owned)
            .collect(),
        loopback: p
            .array("loopback")?
            .map_or(&[][..], |a| a.as_slice())
            .iter()
            .enumerate()
            .map(|(i, l)| loopback_ports(l, &format!("{path}.loopback[{i}]")))
            .collect::<Result<_, _>>()?,
    })
}

fn loopback_ports(value: &Value, path: &str) -> Result<LoopbackPorts, String> {
    let l = Object::new(value, path, &["uri", "ports"])?;
    let uri = l.required("uri", l.string("uri")?)?;
    let name = l.required("ports", l.string("ports")?)?;
    let ports = Ports::ALL
        .into_iter()
        .find(|p| p.as_str() == name)
        .ok_or_else(|| format!("{path}.ports: `{name}` is not any, registered or none"))?;
    Ok(LoopbackPorts {
        uri: uri.into(),
        ports,
    })
}

/// The core's `Document` for a JSON object (it has no public constructor: the core keeps the
/// text it validated, so the object is validated as text and its document taken).
fn document(value: &Value) -> Option<Document> {
    value
        .is_object()
        // serde_json's `to_string`, as wire.rs, rather than `Display` (`value.to_string()`), which
        // links one more serializer.
        .then(|| cimd::validate(&crate::to_json(value), &Options::default()).document)
        .flatten()
}
