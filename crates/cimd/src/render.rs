//! The text renderer every host shares: FastMCP's output shape (`✓ Valid CIMD document`,
//! `Document details:`) plus a code frame with carets for each diagnostic (annotate-snippets).

use std::fmt::Write as _;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::Severity;
use crate::report::{Diagnostic, Report};

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// ANSI colours (the CLI sets this on a TTY without `NO_COLOR`).
    pub color: bool,
    /// The name shown in code frames (a file path or the URL); `document` when `None`.
    pub path: Option<String>,
    /// Leave out the `Document details:` block and the portability lines.
    pub diagnostics_only: bool,
}

/// Renders a report; `source` is the text the spans point into (frames are skipped without it).
pub fn render(report: &Report, source: Option<&str>, options: &RenderOptions) -> String {
    let mut out = String::new();
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let path = options.path.as_deref().unwrap_or("document");
    // Errors first, then warnings, then advice; by position within each (the report's own order).
    let mut ordered: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    ordered.sort_by_key(|d| std::cmp::Reverse(d.severity));
    for diagnostic in ordered {
        out.push_str(&renderer.render(&frame(diagnostic, source, path)));
        out.push_str("\n\n");
    }
    let (ok, bad) = if options.color {
        ("\x1b[32m✓\x1b[0m", "\x1b[31m✗\x1b[0m")
    } else {
        ("✓", "✗")
    };
    let s = report.summary;
    let counts = format!(
        "{} error{}, {} warning{}, {} info",
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.infos
    );
    if report.valid {
        let _ = writeln!(
            out,
            "{ok} Valid CIMD document ({counts}, profile {})",
            report.profile.as_str()
        );
    } else if report.strict && s.errors == 0 {
        let _ = writeln!(
            out,
            "{bad} Invalid CIMD document under --strict ({counts}, profile {})",
            report.profile.as_str()
        );
    } else {
        let _ = writeln!(
            out,
            "{bad} Invalid CIMD document ({counts}, profile {})",
            report.profile.as_str()
        );
    }
    if options.diagnostics_only {
        return out;
    }
    if let Some(fetch) = &report.fetch {
        out.push_str("\nFetch:\n");
        let field = |name: &str, value: Option<String>| {
            value
                .map(|v| format!("  {name}: {v}\n"))
                .unwrap_or_default()
        };
        out.push_str(&field("status", fetch.status.map(|s| s.to_string())));
        out.push_str(&field("content_type", fetch.content_type.clone()));
        out.push_str(&field("bytes", fetch.bytes.map(|b| b.to_string())));
        out.push_str(&field("address", fetch.address.clone()));
        out.push_str(&field(
            "elapsed",
            fetch.elapsed_ms.map(|m| format!("{m} ms")),
        ));
        out.push_str(&field(
            "cache lifetime",
            fetch.cache_ttl_s.map(|t| format!("{t} s")),
        ));
    }
    let value = report.document.as_ref().map(crate::Document::value);
    if let Some(document) = value.as_ref().and_then(serde_json::Value::as_object) {
        out.push_str("\nDocument details:\n");
        let text = |name: &str| document.get(name).and_then(serde_json::Value::as_str);
        let _ = writeln!(
            out,
            "  client_id: {}",
            text("client_id").unwrap_or("(not set)")
        );
        let _ = writeln!(
            out,
            "  client_name: {}",
            text("client_name").unwrap_or("(not set)")
        );
        let _ = writeln!(
            out,
            "  token_endpoint_auth_method: {}",
            text("token_endpoint_auth_method").unwrap_or("(not set)")
        );
        match document
            .get("redirect_uris")
            .and_then(serde_json::Value::as_array)
        {
            Some(uris) if !uris.is_empty() => {
                out.push_str("  redirect_uris:\n");
                for uri in uris {
                    let _ = writeln!(
                        out,
                        "    • {}",
                        uri.as_str().map_or_else(|| uri.to_string(), str::to_owned)
                    );
                }
            }
            _ => out.push_str("  redirect_uris: (none)\n"),
        }
        for name in ["scope", "client_uri", "logo_uri"] {
            if let Some(value) = text(name) {
                let _ = writeln!(out, "  {name}: {value}");
            }
        }
    }
    if !report.portability.is_empty() {
        out.push_str("\nPortability (predicted):\n");
        for p in &report.portability {
            let mark = if p.accepts { ok } else { bad };
            let mut reasons: Vec<String> = p
                .because
                .iter()
                .map(|c| {
                    crate::codes::lookup(c)
                        .map_or_else(|| (*c).to_owned(), |code| format!("{c} ({})", code.title))
                })
                .collect();
            reasons.extend(p.notes.iter().map(ToString::to_string));
            let why = if reasons.is_empty() {
                String::new()
            } else {
                format!(": {}", reasons.join("; "))
            };
            let _ = writeln!(out, "  {mark} {}{why}", p.server);
        }
    }
    out
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn frame<'a>(d: &'a Diagnostic, source: Option<&'a str>, path: &'a str) -> Vec<Group<'a>> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let title = level.primary_title(&*d.message).id(d.code);
    // A missing member points at the opening brace (editors need a place to mark); a frame of
    // that one character says nothing in a terminal.
    let whole_document =
        d.pointer.as_deref() == Some("") && d.span.is_some_and(|s| s.end - s.start <= 1);
    let span = d.span.filter(|s| {
        !whole_document
            && source.is_some_and(|src| {
                (s.end as usize) <= src.len()
                    && src.is_char_boundary(s.start as usize)
                    && src.is_char_boundary(s.end as usize)
            })
    });
    let group = match (span, source) {
        (Some(span), Some(source)) => {
            let mut range = span.range();
            if range.is_empty() {
                // A zero-width span (end of input) still needs a caret.
                range.end = (range.start + 1).min(source.len());
                range.start = range.end.saturating_sub(1).min(range.start);
            }
            title.element(
                Snippet::source(source)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(range).label(d.name)),
            )
        }
        _ => title.element(Level::NOTE.message(match &d.pointer {
            Some(p) if !p.is_empty() => format!("at {p}"),
            _ if d.code.starts_with("CIMD5") || d.code.starts_with("CIMD6") => {
                "about the HTTP response".to_owned()
            }
            _ => "about the whole document".to_owned(),
        })),
    };
    let mut groups = vec![group.element(Level::HELP.message(&*d.help))];
    groups.push(Group::with_title(
        Level::NOTE.secondary_title(format!("{} · {}", d.spec, d.docs)),
    ));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_frames_and_the_verdict() {
        let text = "{\n  \"client_id\": \"http://app.example.com/c.json\"\n}";
        let report = crate::validate(text, &crate::Options::default());
        let out = render(
            &report,
            Some(text),
            &RenderOptions {
                path: Some("client.json".into()),
                ..Default::default()
            },
        );
        assert!(out.contains("error[CIMD101]"), "{out}");
        assert!(out.contains("client.json:2:"), "{out}");
        assert!(out.contains("^^^^"), "{out}");
        assert!(out.contains("✗ Invalid CIMD document"), "{out}");
        assert!(out.contains("Document details:"), "{out}");
        assert!(!out.contains('\x1b'));
    }
}
