//! Drift: the document in a file against the one live at its URL (docs/decisions.md#drift).
//!
//! [`compare`] is pure: the host fetches the URL as usual (the careful fetch) and hands the
//! response over with the file's bytes. The report is the file's: its own diagnostics, one
//! CIMD604 per top-level member that differs (positioned in the file, or at its root for a member
//! only the live document has), and the live response's fetch diagnostics (status, content type,
//! caching: those have no position).

use std::borrow::Cow;

use serde_json::Value;

use crate::codes::declare_code;
use crate::fetch::{FetchedDocument, validate_fetched};
use crate::json::{self, Node};
use crate::report::{Diagnostic, Report, Span};
use crate::{Options, Profile};

declare_code! {
    /// ## What it checks
    /// With a drift check (`cimd validate FILE --url URL --compare`, the Worker's and the npm
    /// package's `compare`), that the document live at the URL is the file: every top-level
    /// member with the same value, none only on one side. Each difference is one diagnostic at
    /// the member in the file (at the file's root for a member only the live document has), with
    /// both values.
    ///
    /// ## Why
    /// -03 §4: a server uses the document it fetches from the `client_id` URL, not the one in your
    /// repository. When they drift apart, what you reviewed is not what servers read: a client that
    /// listens on `http://127.0.0.1` while the published document still registers
    /// `http://localhost` fails at every server that matches redirect URIs exactly
    /// (aaif-goose/goose#8550), and a document moved to another domain answers 404 at the URL
    /// clients still send (anthropics/claude-ai-mcp#518).
    ///
    /// ## Example
    /// The file has `"redirect_uris": ["http://localhost/callback"]`; the URL serves
    /// `"redirect_uris": ["http://127.0.0.1/callback", "http://[::1]/callback"]`.
    pub static DRIFT = "CIMD604" "live-document-differs" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4",
        title: "the document live at the URL differs from the file",
        help: "publish the file at the URL (or update the file from the live document), so that what you check is what servers fetch",
    }
}

/// Longest value quoted in a message, in characters; the rest is elided.
const QUOTE_MAX: usize = 160;

/// The file's report with the drift between it and `live` (the response fetched from the URL the
/// file is published at: `live.url`).
pub fn compare(file: &[u8], live: &FetchedDocument, options: &Options) -> Report {
    let options = Options {
        url: Some(live.url.clone()),
        ..options.clone()
    };
    let profile = options.profile;
    let (mut diagnostics, document) = crate::rules::check_document(file, None, &options, false);
    let live_report = validate_fetched(live, &options);
    // The live document's own findings are positioned in its body, not in the file: only the
    // fetch diagnostics (no position) come along.
    diagnostics.extend(
        live_report
            .diagnostics
            .into_iter()
            .filter(|d| d.span.is_none() && is_fetch_code(d.code())),
    );
    let parsed = json::parse(file);
    if let Some(root) = parsed.root.as_ref().filter(|_| parsed.is_valid_json()) {
        diagnostics.extend(differences(root, live, profile));
    }
    let text = std::str::from_utf8(file).ok();
    Report::finish(diagnostics, text, &options, document, live_report.fetch)
}

/// The file's report when fetching `url` produced no response: nothing to compare, and why.
pub fn compare_failure(
    file: &[u8],
    url: &str,
    error: &crate::fetch::FetchError,
    options: &Options,
) -> Report {
    let options = Options {
        url: Some(url.to_owned()),
        ..options.clone()
    };
    let (mut diagnostics, document) = crate::rules::check_document(file, None, &options, false);
    let failed = crate::fetch::failure_report(url, error, &options);
    diagnostics.extend(failed.diagnostics);
    let text = std::str::from_utf8(file).ok();
    Report::finish(diagnostics, text, &options, document, failed.fetch)
}

fn is_fetch_code(code: &str) -> bool {
    code.starts_with("CIMD5") || code.starts_with("CIMD6")
}

/// Every difference between the file's tree and the live body, as CIMD604 diagnostics.
fn differences(file: &Node<'_>, live: &FetchedDocument, profile: Profile) -> Vec<Diagnostic> {
    let root_at = |message: String| {
        Diagnostic::new(&DRIFT, profile, message)
            .at("", Span::new(file.span.start, file.span.start + 1))
    };
    // A failed fetch already says why (its own error); nothing was served to compare.
    if live.status != 200 || live.truncated {
        return Vec::new();
    }
    let parsed = json::parse(&live.body);
    let Some(live_value) = parsed.value() else {
        return vec![root_at(
            "the live document is not valid JSON, so it cannot be the file (see its fetch diagnostics, or \
             validate the URL itself)"
                .to_owned(),
        )];
    };
    let (json::Value::Object(members), Value::Object(live_members)) = (&file.value, &live_value)
    else {
        let file_value = file.to_serde();
        if file_value == live_value {
            return Vec::new();
        }
        return vec![
            Diagnostic::new(
                &DRIFT,
                profile,
                format!(
                    "the live document differs from the file: file {}, live {}",
                    quote(&file_value),
                    quote(&live_value)
                ),
            )
            .at("", file.span),
        ];
    };
    let mut out = Vec::new();
    for (i, member) in members.iter().enumerate() {
        // A duplicated name counts once, by its last value (as serde_json and servers read it).
        if members[i + 1..].iter().any(|m| m.name == member.name) {
            continue;
        }
        let pointer = pointer(&member.name);
        let file_value = member.value.to_serde();
        match live_members.get(member.name.as_ref()) {
            None => out.push(
                Diagnostic::new(
                    &DRIFT,
                    profile,
                    format!(
                        "`{}` is in the file ({}) but not in the live document",
                        member.name,
                        quote(&file_value)
                    ),
                )
                .at(pointer, member.name_span),
            ),
            Some(live_value) if *live_value != file_value => out.push(
                Diagnostic::new(
                    &DRIFT,
                    profile,
                    format!(
                        "`{}` differs: file {}, live {}{}",
                        member.name,
                        quote(&file_value),
                        quote(live_value),
                        list_difference(&file_value, live_value)
                    ),
                )
                .at(pointer, member.value.span),
            ),
            Some(_) => {}
        }
    }
    for (name, live_value) in live_members {
        if !members.iter().any(|m| m.name == name.as_str()) {
            out.push(root_at(format!(
                "`{name}` is in the live document ({}) but not in the file",
                quote(live_value)
            )));
        }
    }
    out
}

/// For two arrays of strings (redirect URIs, grant types), which entries only one side has.
fn list_difference(file: &Value, live: &Value) -> String {
    let (Some(file), Some(live)) = (file.as_array(), live.as_array()) else {
        return String::new();
    };
    let only = |a: &[Value], b: &[Value]| -> Vec<String> {
        a.iter()
            .filter(|v| !b.contains(v))
            .map(|v| quote(v).into_owned())
            .collect()
    };
    let (in_file, in_live) = (only(file, live), only(live, file));
    let mut out = String::new();
    if !in_file.is_empty() {
        out.push_str(&format!("; only in the file: {}", in_file.join(", ")));
    }
    if !in_live.is_empty() {
        out.push_str(&format!("; only live: {}", in_live.join(", ")));
    }
    if in_file.is_empty() && in_live.is_empty() {
        out.push_str("; the same entries in another order or count");
    }
    out
}

/// A JSON value as it is written, shortened when long.
fn quote(value: &Value) -> Cow<'static, str> {
    let text = value.to_string();
    if text.chars().count() <= QUOTE_MAX {
        return Cow::Owned(format!("`{text}`"));
    }
    let cut: String = text.chars().take(QUOTE_MAX).collect();
    Cow::Owned(format!("`{cut}…`"))
}

/// RFC 6901: `~` and `/` escaped.
fn pointer(name: &str) -> String {
    format!("/{}", name.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://app.example.com/oauth/client.json";

    fn live(status: u16, body: &str) -> FetchedDocument {
        FetchedDocument {
            url: URL.to_owned(),
            status,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("Cache-Control".into(), "max-age=600".into()),
            ],
            body: body.as_bytes().to_vec(),
            address: Some("93.184.216.34".parse().unwrap()),
            ..Default::default()
        }
    }

    fn doc(redirects: &str, extra: &str) -> String {
        format!(
            "{{\n  \"client_id\": \"{URL}\",\n  \"client_name\": \"App\",\n  \"redirect_uris\": {redirects},\n  \"token_endpoint_auth_method\": \"none\"{extra}\n}}\n"
        )
    }

    fn drift(r: &Report) -> Vec<&Diagnostic> {
        r.diagnostics
            .iter()
            .filter(|d| d.code() == "CIMD604")
            .collect()
    }

    #[test]
    fn the_same_document_has_no_drift() {
        let file = doc(r#"["http://127.0.0.1/callback"]"#, "");
        // Whitespace and member order are not differences.
        let served = r#"{"token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1/callback"],"client_name":"App","client_id":"https://app.example.com/oauth/client.json"}"#;
        let r = compare(file.as_bytes(), &live(200, served), &Options::default());
        assert!(drift(&r).is_empty(), "{:#?}", r.diagnostics);
        assert!(r.valid, "{:#?}", r.diagnostics);
        assert_eq!(r.url.as_deref(), Some(URL));
        assert_eq!(r.fetch.unwrap().cache_ttl_s, Some(600));
    }

    #[test]
    fn every_difference_is_positioned_in_the_file_with_both_values() {
        let file = doc(
            r#"["http://localhost/callback"]"#,
            ",\n  \"logo_uri\": \"https://app.example.com/logo.png\"",
        );
        let served = doc(
            r#"["http://127.0.0.1/callback", "http://[::1]/callback"]"#,
            ",\n  \"client_uri\": \"https://app.example.com\"",
        );
        let r = compare(file.as_bytes(), &live(200, &served), &Options::default());
        let found = drift(&r);
        assert_eq!(found.len(), 3, "{found:#?}");
        let at = |pointer: &str| {
            found
                .iter()
                .find(|d| d.pointer.as_deref() == Some(pointer))
                .unwrap()
        };
        let redirects = at("/redirect_uris");
        assert!(
            redirects
                .message
                .contains(r#"file `["http://localhost/callback"]`"#),
            "{}",
            redirects.message
        );
        assert!(
            redirects
                .message
                .contains(r#"only live: `"http://127.0.0.1/callback"`, `"http://[::1]/callback"`"#),
            "{}",
            redirects.message
        );
        let span = redirects.span.unwrap();
        assert_eq!(&file[span.range()], r#"["http://localhost/callback"]"#);
        assert_eq!(redirects.range.unwrap().start.line, 4);
        let logo = at("/logo_uri");
        assert!(logo.message.contains("in the file"));
        assert_eq!(&file[logo.span.unwrap().range()], "\"logo_uri\"");
        let only_live = at("");
        assert!(
            only_live
                .message
                .contains("`client_uri` is in the live document")
        );
        assert_eq!(only_live.span, Some(Span::new(0, 1)));
        assert!(!r.valid);
        assert!(found.iter().all(|d| d.severity == crate::Severity::Error));
    }

    #[test]
    fn a_failed_or_unreadable_live_document() {
        let file = doc(r#"["http://127.0.0.1/callback"]"#, "");
        let r = compare(
            file.as_bytes(),
            &live(404, "<h1>no</h1>"),
            &Options::default(),
        );
        let codes: Vec<_> = r.diagnostics.iter().map(Diagnostic::code).collect();
        assert!(codes.contains(&"CIMD500"), "{codes:?}");
        assert!(!codes.contains(&"CIMD604"));
        assert!(!r.valid);
        let r = compare(
            file.as_bytes(),
            &live(200, "{\"client_id\":"),
            &Options::default(),
        );
        let found = drift(&r);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("not valid JSON"));
        // The live body's own JSON errors point into it, not into the file: left out.
        assert!(
            !r.diagnostics.iter().any(|d| d.code().starts_with("CIMD0")),
            "{:#?}",
            r.diagnostics
        );
    }

    #[test]
    fn live_fetch_advice_comes_along() {
        let file = doc(r#"["http://127.0.0.1/callback"]"#, "");
        let mut served = live(200, &file);
        served.headers.retain(|(n, _)| n != "Cache-Control");
        let r = compare(file.as_bytes(), &served, &Options::default());
        assert!(r.diagnostics.iter().any(|d| d.code() == "CIMD600"));
        assert!(r.valid);
    }

    #[test]
    fn no_response_is_an_error_beside_the_file_s_findings() {
        let file = doc(r#"["http://127.0.0.1/callback"]"#, "");
        let error = crate::fetch::FetchError::Timeout { after_ms: 10_000 };
        let r = compare_failure(file.as_bytes(), URL, &error, &Options::default());
        assert!(r.diagnostics.iter().any(|d| d.code() == "CIMD505"));
        assert!(r.diagnostics.iter().any(|d| d.code() == "CIMD408"));
        assert!(!r.valid);
        assert!(r.document.is_some());
    }

    #[test]
    fn pointers_escape_names() {
        assert_eq!(pointer("a/b~c"), "/a~1b~0c");
    }
}
