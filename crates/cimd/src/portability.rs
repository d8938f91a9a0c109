//! Predicted verdicts of known CIMD servers on a document, from what `spec/ANCHORS.md` records of
//! their code and docs. A prediction, not a test against the server: each names the codes of the
//! report that make the server refuse, and notes in words where the server differs from the draft.

use crate::report::{Portability, Report};
use crate::uri::Uri;

/// JSON problems every server's parser refuses (duplicates and depth < 128 are read silently).
const JSON_FATAL: &[&str] = &[
    "CIMD001", "CIMD002", "CIMD003", "CIMD004", "CIMD007", "CIMD008", "CIMD009", "CIMD010",
];

struct Server {
    id: &'static str,
    /// Codes whose presence makes this server refuse the document (or fail the authorization).
    rejects: &'static [&'static str],
    /// Extra checks the codes do not express; returns notes that mean refusal.
    extra: fn(&Facts<'_>) -> Vec<String>,
    /// Differences from the draft worth knowing even when the server accepts.
    quirks: fn(&Facts<'_>) -> Vec<String>,
}

/// What the predictions look at, read once.
struct Facts<'a> {
    report: &'a Report,
    doc: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

impl Facts<'_> {
    fn str(&self, name: &str) -> Option<&str> {
        self.doc?.get(name)?.as_str()
    }
    fn strings(&self, name: &str) -> Vec<&str> {
        self.doc
            .and_then(|d| d.get(name))
            .and_then(serde_json::Value::as_array)
            .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
            .unwrap_or_default()
    }
    fn has(&self, name: &str) -> bool {
        self.doc.is_some_and(|d| d.contains_key(name))
    }
}

const SERVERS: &[Server] = &[
    Server {
        id: "fastmcp",
        rejects: &[
            "CIMD014", "CIMD100", "CIMD101", "CIMD102", "CIMD108", "CIMD116", "CIMD201", "CIMD208",
            "CIMD209", "CIMD300", "CIMD301", "CIMD302", "CIMD011", "CIMD504", "CIMD500", "CIMD501",
            "CIMD506", "CIMD112",
        ],
        extra: fastmcp_mismatch,
        quirks: |f| {
            let mut notes = Vec::new();
            if f.report.has("CIMD202") {
                notes.push(
                    "ignores client_secret silently (it does not enforce -02 §4.1)".to_owned(),
                );
            }
            if f.report.has("CIMD200") {
                notes.push("treats a missing token_endpoint_auth_method as \"none\"".to_owned());
            }
            notes
        },
    },
    Server {
        id: "auth0",
        rejects: &[
            "CIMD014", "CIMD100", "CIMD101", "CIMD102", "CIMD103", "CIMD104", "CIMD105", "CIMD106",
            "CIMD107", "CIMD108", "CIMD109", "CIMD112", "CIMD114", "CIMD116", "CIMD201", "CIMD202",
            "CIMD206", "CIMD309", "CIMD310", "CIMD011", "CIMD504", "CIMD500", "CIMD501",
        ],
        extra: |f| {
            let mut notes = Vec::new();
            if f.has("jwks") {
                notes.push("does not support inline jwks (use jwks_uri)".to_owned());
            }
            notes
        },
        quirks: |f| {
            let mut notes = Vec::new();
            if f.report.has("CIMD012") {
                notes.push("reports unknown members as warnings".to_owned());
            }
            notes
        },
    },
    Server {
        id: "atproto",
        rejects: &[
            "CIMD014", "CIMD100", "CIMD101", "CIMD102", "CIMD103", "CIMD104", "CIMD105", "CIMD107",
            "CIMD108", "CIMD109", "CIMD110", "CIMD112", "CIMD113", "CIMD115", "CIMD116", "CIMD200",
            "CIMD201", "CIMD204", "CIMD205", "CIMD206", "CIMD207", "CIMD208", "CIMD209", "CIMD210",
            "CIMD300", "CIMD301", "CIMD302", "CIMD303", "CIMD304", "CIMD305", "CIMD307", "CIMD309",
            "CIMD406", "CIMD411", "CIMD412", "CIMD500", "CIMD501", "CIMD502",
        ],
        extra: atproto_profile,
        quirks: |_| Vec::new(),
    },
    Server {
        id: "mcp-typescript-sdk",
        rejects: &["CIMD014", "CIMD300", "CIMD305", "CIMD402", "CIMD403"],
        extra: |_| Vec::new(),
        quirks: |f| {
            let mut notes = vec![
                "client side only: it has no server-side fetcher, so client_id is not compared"
                    .to_owned(),
            ];
            if f.report.has("CIMD201") || f.report.has("CIMD202") {
                notes.push("its schema accepts shared-secret methods and client_secret".to_owned());
            }
            notes
        },
    },
    Server {
        id: "cimd-mcp-reference",
        rejects: &[
            "CIMD014", "CIMD100", "CIMD101", "CIMD102", "CIMD103", "CIMD104", "CIMD105", "CIMD107",
            "CIMD108", "CIMD109", "CIMD110", "CIMD112", "CIMD113", "CIMD115", "CIMD116", "CIMD201",
            "CIMD202", "CIMD203", "CIMD208", "CIMD209", "CIMD300", "CIMD301", "CIMD302", "CIMD303",
            "CIMD304", "CIMD305", "CIMD306", "CIMD309", "CIMD310", "CIMD400", "CIMD401", "CIMD404",
            "CIMD418", "CIMD011", "CIMD504", "CIMD500", "CIMD501", "CIMD502", "CIMD506",
        ],
        extra: |f| {
            let mut notes = Vec::new();
            if f.str("token_endpoint_auth_method") == Some("private_key_jwt") {
                notes.push("accepts only token_endpoint_auth_method \"none\"".to_owned());
            }
            let grants = f.strings("grant_types");
            if f.has("grant_types") && !grants.contains(&"authorization_code") {
                notes.push("requires the authorization_code grant".to_owned());
            }
            let responses = f.strings("response_types");
            if f.has("response_types") && !responses.contains(&"code") {
                notes.push("requires the code response type".to_owned());
            }
            notes
        },
        quirks: |_| Vec::new(),
    },
    Server {
        id: "giantswarm-mcp-oauth",
        rejects: &[
            "CIMD014", "CIMD100", "CIMD101", "CIMD104", "CIMD105", "CIMD106", "CIMD107", "CIMD109",
            "CIMD112", "CIMD116", "CIMD300", "CIMD301", "CIMD302", "CIMD304", "CIMD305", "CIMD306",
            "CIMD500", "CIMD501", "CIMD502", "CIMD503", "CIMD506",
        ],
        extra: |_| Vec::new(),
        quirks: |f| {
            let mut notes = Vec::new();
            if f.report.has("CIMD201") {
                notes.push(
                    "accepts a shared-secret method and marks the client confidential".to_owned(),
                );
            }
            if f.report.has("CIMD102") {
                notes.push("accepts a client_id without a path".to_owned());
            }
            notes
        },
    },
];

/// FastMCP compares client_id and URL after pydantic normalization and `rstrip('/')`, so a trailing
/// slash, host case or `:443` difference passes there (ANCHORS 2c).
fn fastmcp_mismatch(f: &Facts<'_>) -> Vec<String> {
    let (Some(client_id), Some(url)) = (f.str("client_id"), f.report.url.as_deref()) else {
        return Vec::new();
    };
    let normalize = |s: &str| {
        let uri = Uri::split(s);
        let port = match uri.port() {
            Some("443" | "") | None => String::new(),
            Some(p) => format!(":{p}"),
        };
        let rest = &s[uri.port.as_ref().or(uri.host.as_ref()).map_or(0, |r| r.end)..];
        format!(
            "{}://{}{port}{}",
            uri.scheme_lower().unwrap_or_default(),
            uri.host_lower().unwrap_or_default(),
            rest
        )
        .trim_end_matches('/')
        .to_owned()
    };
    if client_id != url && normalize(client_id) != normalize(url) {
        vec!["client_id differs from the URL even after FastMCP's normalization".to_owned()]
    } else {
        Vec::new()
    }
}

/// atproto's OAuth profile (oauth-client-metadata.ts): DPoP, the `atproto` scope, authorization_code
/// and refresh_token only, https redirect URIs on the client_id's host.
fn atproto_profile(f: &Facts<'_>) -> Vec<String> {
    let mut notes = Vec::new();
    if f.doc
        .and_then(|d| d.get("dpop_bound_access_tokens"))
        .and_then(serde_json::Value::as_bool)
        != Some(true)
    {
        notes.push("requires \"dpop_bound_access_tokens\": true".to_owned());
    }
    if !f
        .str("scope")
        .is_some_and(|s| s.split(' ').any(|t| t == "atproto"))
    {
        notes.push("requires the `atproto` scope".to_owned());
    }
    let grants = f.strings("grant_types");
    if grants
        .iter()
        .any(|g| !matches!(*g, "authorization_code" | "refresh_token"))
    {
        notes.push("allows only the authorization_code and refresh_token grants".to_owned());
    }
    let host = f.str("client_id").and_then(|c| Uri::split(c).host_lower());
    for uri in f.strings("redirect_uris") {
        let u = Uri::split(uri);
        if u.scheme_lower().as_deref() == Some("https") && u.host_lower() != host {
            notes.push(format!(
                "requires https redirect URIs on the client_id's host (`{uri}`)"
            ));
        }
    }
    notes
}

/// Predicts each known server's verdict on the report's document.
pub fn predict(report: &Report) -> Vec<Portability> {
    let facts = Facts {
        report,
        doc: report
            .document
            .as_ref()
            .and_then(serde_json::Value::as_object),
    };
    if facts.doc.is_none() {
        // No document (unparseable, not an object, or the fetch failed): every server refuses, and
        // a row per server would only repeat the error.
        return Vec::new();
    }
    SERVERS
        .iter()
        .map(|server| {
            let because: Vec<&'static str> = report
                .diagnostics
                .iter()
                .map(|d| d.code)
                .filter(|c| JSON_FATAL.contains(c) || server.rejects.contains(c))
                .fold(Vec::new(), |mut acc, c| {
                    if !acc.contains(&c) {
                        acc.push(c);
                    }
                    acc
                });
            let refusals = if facts.doc.is_some() {
                (server.extra)(&facts)
            } else {
                Vec::new()
            };
            let mut notes: Vec<String> = because
                .iter()
                .filter_map(|c| crate::codes::lookup(c))
                .map(|c| format!("{}: {}", c.code, c.title))
                .collect();
            let accepts = because.is_empty() && refusals.is_empty() && facts.doc.is_some();
            notes.extend(refusals);
            if facts.doc.is_some() {
                notes.extend((server.quirks)(&facts));
            }
            Portability {
                server: server.id,
                accepts,
                because,
                notes,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::Options;

    fn verdicts(text: &str, url: &str) -> Vec<(&'static str, bool)> {
        let report = crate::validate(
            text,
            &Options {
                url: Some(url.into()),
                ..Options::default()
            },
        );
        report
            .portability
            .iter()
            .map(|p| (p.server, p.accepts))
            .collect()
    }

    #[test]
    fn fastmcp_tolerates_a_trailing_slash_mismatch_others_do_not() {
        let text = r#"{"client_id":"https://app.example.com/c.json/","client_name":"A","redirect_uris":["https://app.example.com/cb"],"token_endpoint_auth_method":"none"}"#;
        let v = verdicts(text, "https://app.example.com/c.json");
        assert!(v.contains(&("fastmcp", true)), "{v:?}");
        assert!(v.contains(&("auth0", false)), "{v:?}");
    }

    #[test]
    fn portless_loopback_fails_on_exact_match_servers() {
        let text = r#"{"client_id":"https://app.example.com/c.json","client_name":"A","redirect_uris":["http://127.0.0.1/callback"],"token_endpoint_auth_method":"none"}"#;
        let report = crate::validate(
            text,
            &Options {
                url: Some("https://app.example.com/c.json".into()),
                ..Options::default()
            },
        );
        let auth0 = report
            .portability
            .iter()
            .find(|p| p.server == "auth0")
            .unwrap();
        assert!(!auth0.accepts);
        assert_eq!(auth0.because, vec!["CIMD310"]);
        assert!(
            report
                .portability
                .iter()
                .any(|p| p.server == "fastmcp" && p.accepts)
        );
    }

    #[test]
    fn no_document_no_predictions() {
        let v = verdicts("{", "https://app.example.com/c.json");
        assert!(v.is_empty(), "{v:?}");
    }
}
