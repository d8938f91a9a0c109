//! The document builder behind `cimd create`: FastMCP's `fastmcp auth cimd create` flags and output
//! keys (same order), and the result validated by the same rules as any other document.

use serde::Serialize;

use crate::report::{Profile, Report};
use crate::{Options, Severity};

/// FastMCP's placeholder when no `--client-id` is given (kept byte-identical for drop-in use).
pub const PLACEHOLDER_CLIENT_ID: &str = "https://YOUR-DOMAIN.com/path/to/client.json";

/// The `create` options (FastMCP's flags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateOptions {
    /// `--name`: the client_name.
    pub name: String,
    /// `--redirect-uri` / `-r`, repeatable.
    pub redirect_uris: Vec<String>,
    /// `--client-id`: the URL the document will be served at.
    pub client_id: Option<String>,
    pub client_uri: Option<String>,
    pub logo_uri: Option<String>,
    pub scope: Option<String>,
    /// Pretty-print (two-space indent, FastMCP's default) or one line.
    pub compact: bool,
    pub profile: Profile,
}

/// The generated document and its validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Created {
    /// The JSON text, ending with a newline.
    pub document: String,
    /// The report on `document` (client_id rules skipped when the placeholder is used).
    pub report: Report,
    /// Whether client_id is FastMCP's placeholder and must be replaced before hosting.
    pub placeholder: bool,
}

impl Created {
    /// Whether the document may be written: no error-severity diagnostic.
    pub fn writable(&self) -> bool {
        self.report.summary.errors == 0
    }
}

/// Key order as FastMCP writes it.
#[derive(Serialize)]
struct Document<'a> {
    client_id: &'a str,
    client_name: &'a str,
    redirect_uris: &'a [String],
    token_endpoint_auth_method: &'static str,
    grant_types: [&'static str; 1],
    response_types: [&'static str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    client_uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo_uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
}

/// Builds and validates a document.
pub fn create(options: &CreateOptions) -> Created {
    let placeholder = options.client_id.is_none();
    let client_id = options
        .client_id
        .as_deref()
        .unwrap_or(PLACEHOLDER_CLIENT_ID);
    let document = Document {
        client_id,
        client_name: &options.name,
        redirect_uris: &options.redirect_uris,
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code"],
        response_types: ["code"],
        client_uri: options.client_uri.as_deref(),
        logo_uri: options.logo_uri.as_deref(),
        scope: options.scope.as_deref(),
    };
    let mut text = if options.compact {
        serde_json::to_string(&document)
    } else {
        serde_json::to_string_pretty(&document)
    }
    // Not `expect`: its message would link `serde_json::Error`'s `Debug` into the web wasm (~1.5 KB
    // gzipped with the error texts).
    .unwrap_or_else(|_| unreachable!("the document always serializes"));
    text.push('\n');
    let validation = Options {
        url: options.client_id.clone(),
        profile: options.profile,
        ..Options::default()
    };
    let mut report = crate::validate(&text, &validation);
    if placeholder {
        // The placeholder is known to be wrong; its diagnostics would only repeat the reminder.
        report
            .diagnostics
            .retain(|d| d.pointer.as_deref() != Some("/client_id"));
        recount(&mut report);
    }
    Created {
        document: text,
        report,
        placeholder,
    }
}

fn recount(report: &mut Report) {
    let count = |s: Severity| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count() as u32
    };
    report.summary.errors = count(Severity::Error);
    report.summary.warnings = count(Severity::Warning);
    report.summary.infos = count(Severity::Info);
    report.valid = report.summary.errors == 0 && !(report.strict && report.summary.warnings > 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> CreateOptions {
        CreateOptions {
            name: "My App".into(),
            redirect_uris: vec!["http://127.0.0.1:8765/callback".into()],
            client_id: Some("https://app.example.com/oauth/client.json".into()),
            ..CreateOptions::default()
        }
    }

    #[test]
    fn writes_fastmcp_keys_in_order() {
        let created = create(&CreateOptions {
            scope: Some("read".into()),
            ..options()
        });
        let keys: Vec<_> = created
            .document
            .lines()
            .filter(|l| l.contains("\": "))
            .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
            .collect();
        assert_eq!(
            keys[..7],
            [
                "client_id",
                "client_name",
                "redirect_uris",
                "token_endpoint_auth_method",
                "grant_types",
                "response_types",
                "scope"
            ]
        );
        assert!(created.document.ends_with("}\n"));
        assert!(
            created.writable() && !created.placeholder,
            "{:#?}",
            created.report.diagnostics
        );
    }

    #[test]
    fn placeholder_is_flagged_not_reported() {
        let created = create(&CreateOptions {
            client_id: None,
            ..options()
        });
        assert!(created.placeholder);
        assert!(created.document.contains(PLACEHOLDER_CLIENT_ID));
        assert!(
            created
                .report
                .diagnostics
                .iter()
                .all(|d| d.pointer.as_deref() != Some("/client_id"))
        );
        assert!(created.writable());
    }

    #[test]
    fn errors_refuse_and_wildcards_warn() {
        let bad = create(&CreateOptions {
            redirect_uris: vec!["javascript:alert(1)".into()],
            ..options()
        });
        assert!(!bad.writable());
        let wildcard = create(&CreateOptions {
            redirect_uris: vec!["http://localhost:*/callback".into()],
            ..options()
        });
        assert!(wildcard.writable());
        assert!(wildcard.report.has("CIMD309"));
        let compact = create(&CreateOptions {
            compact: true,
            ..options()
        });
        assert_eq!(compact.document.lines().count(), 1);
    }
}
