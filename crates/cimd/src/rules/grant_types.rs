//! `grant_types` and `response_types`: non-empty, consistent, current (RFC 7591 §2, §2.1;
//! OAuth 2.1; docs/decisions.md#grant-types).

use super::{Cx, Doc, ItemPtr, Str};
use crate::codes::declare_code;
use crate::json::Value;

declare_code! {
    /// ## What it checks
    /// That `grant_types`, when present, is not an empty array.
    ///
    /// ## Why
    /// An empty list registers no grant at all, so the client can obtain no token; omitting the
    /// member gives RFC 7591's default `["authorization_code"]` instead
    /// (docs/decisions.md#grant-types).
    ///
    /// ## Example
    /// ```json
    /// {"grant_types": []}
    /// ```
    pub(crate) static GRANT_TYPES_EMPTY = "CIMD409" "grant-types-empty" {
        mcp: Error, ietf: Error,
        spec: "RFC 7591 §2",
        title: "grant_types is empty",
        help: "list the grants you use, e.g. [\"authorization_code\", \"refresh_token\"], or remove the member",
    }
}

declare_code! {
    /// ## What it checks
    /// That `response_types`, when present, is not an empty array.
    ///
    /// ## Why
    /// An empty list allows no authorization response; omitting it means `["code"]` (RFC 7591 §2;
    /// docs/decisions.md#grant-types).
    ///
    /// ## Example
    /// ```json
    /// {"response_types": []}
    /// ```
    pub(crate) static RESPONSE_TYPES_EMPTY = "CIMD410" "response-types-empty" {
        mcp: Error, ietf: Error,
        spec: "RFC 7591 §2",
        title: "response_types is empty",
        help: "use [\"code\"] or remove the member",
    }
}

declare_code! {
    /// ## What it checks
    /// That grant types and response types agree: `authorization_code` with `code`, `implicit`
    /// with `token` (defaults apply to an omitted member).
    ///
    /// ## Why
    /// RFC 7591 §2.1: the server SHOULD reject inconsistent registrations with
    /// `invalid_client_metadata`, so cimd warns (docs/decisions.md#grant-types).
    ///
    /// ## Example
    /// ```json
    /// {"grant_types": ["authorization_code"], "response_types": ["token"]}
    /// ```
    pub(crate) static GRANT_RESPONSE_MISMATCH = "CIMD411" "grant-response-mismatch" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 7591 §2.1",
        title: "grant_types and response_types do not agree",
        help: "pair authorization_code with code (and drop implicit/token)",
    }
}

declare_code! {
    /// ## What it checks
    /// Grants removed by OAuth 2.1: `implicit` (and response type `token`) and `password`.
    ///
    /// ## Why
    /// MCP builds on OAuth 2.1, which drops both; RFC 9700 §2.1.2 and §2.4 say not to use them.
    /// MCP clients use `authorization_code` with PKCE. cimd reports this under the `mcp` profile
    /// only (docs/decisions.md#grant-types): under `ietf` it is not reported.
    ///
    /// ## Example
    /// ```json
    /// {"grant_types": ["implicit"], "response_types": ["token"]}
    /// ```
    pub(crate) static GRANT_TYPE_LEGACY = "CIMD412" "grant-type-legacy" {
        mcp: Warning, ietf: Warning,
        spec: "MCP 2026-07-28 Authorization (Standards Compliance); RFC 9700 §2.1.2, §2.4",
        title: "a grant type OAuth 2.1 removed",
        help: "use authorization_code with PKCE",
    }
}

declare_code! {
    /// ## What it checks
    /// Grant or response types that are not registered with IANA.
    ///
    /// ## Why
    /// RFC 7591 §2: servers MAY reject unsupported values (and oauth-wg issue #71 asks whether to
    /// reject or filter); a misspelt grant such as `authorisation_code` silently disables the flow.
    ///
    /// ## Example
    /// ```json
    /// {"grant_types": ["authorisation_code"]}
    /// ```
    pub(crate) static GRANT_TYPE_UNREGISTERED = "CIMD413" "grant-type-unregistered" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 7591 §2",
        title: "an unregistered grant or response type",
        help: "check the spelling against the IANA registry (authorization_code, refresh_token, ...)",
    }
}

const GRANTS: &[&str] = &[
    "authorization_code",
    "implicit",
    "password",
    "client_credentials",
    "refresh_token",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:saml2-bearer",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:token-exchange",
    "urn:openid:params:grant-type:ciba",
    "urn:ietf:params:oauth:grant-type:pre-authorized_code",
];
const RESPONSES: &[&str] = &["code", "token", "id_token", "none"];

fn empty(doc: &Doc<'_, '_>, name: &str) -> Option<crate::Span> {
    let m = doc.member(name)?;
    matches!(&m.value.value, Value::Array(items) if items.is_empty()).then_some(m.value.span)
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    if let Some(span) = empty(doc, "grant_types") {
        cx.report(
            &GRANT_TYPES_EMPTY,
            "`grant_types` is empty: the client could use no grant",
            "/grant_types",
            span,
        );
    }
    if let Some(span) = empty(doc, "response_types") {
        cx.report(
            &RESPONSE_TYPES_EMPTY,
            "`response_types` is empty",
            "/response_types",
            span,
        );
    }
    let grants = &doc.grant_types;
    let responses = &doc.response_types;
    let mcp = cx.profile() == crate::Profile::Mcp;
    for (i, g) in grants.iter().flatten() {
        let ptr = ItemPtr("grant_types", *i);
        if matches!(g.value, "implicit" | "password") {
            if !mcp {
                continue;
            }
            cx.report(
                &GRANT_TYPE_LEGACY,
                format!("the `{}` grant was removed by OAuth 2.1", g.value),
                ptr,
                g.node.span,
            );
        } else if !GRANTS.contains(&g.value) {
            cx.report(
                &GRANT_TYPE_UNREGISTERED,
                format!("`{}` is not a registered grant type", g.value),
                ptr,
                g.node.span,
            );
        }
    }
    for (i, r) in responses.iter().flatten() {
        let ptr = ItemPtr("response_types", *i);
        let mut parts = r.value.split(' ');
        let has_token = r.value.split(' ').any(|p| p == "token");
        if parts.any(|p| !RESPONSES.contains(&p)) {
            cx.report(
                &GRANT_TYPE_UNREGISTERED,
                format!("`{}` is not a registered response type", r.value),
                ptr,
                r.node.span,
            );
        } else if has_token && !grants.iter().flatten().any(|(_, g)| g.value == "implicit") {
            // reported as a mismatch below
        } else if has_token && mcp {
            cx.report(
                &GRANT_TYPE_LEGACY,
                "the `token` response type (implicit flow) was removed by OAuth 2.1",
                ptr,
                r.node.span,
            );
        }
    }
    check_consistency(doc, grants.as_deref(), responses.as_deref(), cx);
}

fn check_consistency(
    doc: &Doc<'_, '_>,
    grants: Option<&[(usize, Str<'_, '_>)]>,
    responses: Option<&[(usize, Str<'_, '_>)]>,
    cx: &mut Cx<'_>,
) {
    let grant = |name: &str| {
        grants.map_or(name == "authorization_code", |g| {
            g.iter().any(|(_, s)| s.value == name)
        })
    };
    let response = |name: &str| {
        responses.map_or(name == "code", |r| {
            r.iter().any(|(_, s)| s.value.split(' ').any(|p| p == name))
        })
    };
    if grants.is_some_and(<[_]>::is_empty) || responses.is_some_and(<[_]>::is_empty) {
        return;
    }
    // A redirect-free client (client_credentials, token exchange) omits response_types: the
    // default `code` is meaningless for it, not a contradiction.
    if responses.is_none() && !grant("authorization_code") && !grant("implicit") {
        return;
    }
    let mut problems = Vec::new();
    if grant("authorization_code") != response("code") {
        problems.push(if grant("authorization_code") {
            "`authorization_code` needs the `code` response type"
        } else {
            "the `code` response type needs the `authorization_code` grant"
        });
    }
    if grant("implicit") != response("token") {
        problems.push(if grant("implicit") {
            "`implicit` needs the `token` response type"
        } else {
            "the `token` response type needs the `implicit` grant"
        });
    }
    if problems.is_empty() {
        return;
    }
    let (ptr, span) = match (doc.member("response_types"), doc.member("grant_types")) {
        (Some(m), _) => ("/response_types", m.value.span),
        (None, Some(m)) => ("/grant_types", m.value.span),
        (None, None) => ("", doc.missing_span()),
    };
    cx.report(&GRANT_RESPONSE_MISMATCH, problems.join("; "), ptr, span);
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    fn doc(grants: Option<&str>, responses: Option<&str>) -> crate::Report {
        let mut value: serde_json::Value = serde_json::from_str(BASE).unwrap();
        if let Some(g) = grants {
            value["grant_types"] = serde_json::from_str(g).unwrap();
        }
        if let Some(r) = responses {
            value["response_types"] = serde_json::from_str(r).unwrap();
        }
        run(&value.to_string())
    }

    #[test]
    fn grants() {
        assert_has(&doc(Some("[]"), None), "CIMD409");
        assert_has(&doc(None, Some("[]")), "CIMD410");
        assert_has(
            &doc(Some(r#"["authorization_code"]"#), Some(r#"["token"]"#)),
            "CIMD411",
        );
        assert_lacks(&doc(Some(r#"["client_credentials"]"#), None), "CIMD411");
        assert_has(
            &doc(Some(r#"["client_credentials"]"#), Some(r#"["code"]"#)),
            "CIMD411",
        );
        assert_has(
            &doc(Some(r#"["implicit"]"#), Some(r#"["token"]"#)),
            "CIMD412",
        );
        assert_has(&doc(Some(r#"["authorisation_code"]"#), None), "CIMD413");
        let vscode = doc(
            Some(
                r#"["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:device_code"]"#,
            ),
            Some(r#"["code"]"#),
        );
        for code in ["CIMD409", "CIMD410", "CIMD411", "CIMD412", "CIMD413"] {
            assert_lacks(&vscode, code);
            assert_lacks(&run(BASE), code);
        }
    }
}
