//! `redirect_uris` is present and non-empty when the client uses a redirect (MCP §5.1.1; -03 §4.2;
//! docs/decisions.md#redirect-uris-required).

use super::{Cx, Doc};
use crate::codes::declare_code;
use crate::json::Value;
use crate::report::Profile;

declare_code! {
    /// ## What it checks
    /// That the document has `redirect_uris`. Under the `mcp` profile always; under `ietf` when a
    /// grant type uses a redirect (`authorization_code`, the default, or `implicit`).
    ///
    /// ## Why
    /// MCP §5.1.1: the document MUST include `redirect_uris`. -03 §4.2 requires registered redirect
    /// URIs for redirect-based flows (RFC 9700) and exempts grant types without a redirect
    /// (`client_credentials`, token exchange) (docs/decisions.md#redirect-uris-required).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com/client.json", "client_name": "App"}
    /// ```
    pub(crate) static REDIRECT_URIS_MISSING = "CIMD300" "redirect-uris-missing" {
        mcp: Error, ietf: Error,
        spec: "MCP 2026-07-28 Client Registration (Client ID Metadata Documents); draft-ietf-oauth-client-id-metadata-document-03 §4.2",
        title: "redirect_uris is missing",
        help: "add \"redirect_uris\" with the callback URLs your client listens on, e.g. [\"http://127.0.0.1/callback\"]",
    }
}

declare_code! {
    /// ## What it checks
    /// That `redirect_uris` is not an empty array (same conditions as CIMD300).
    ///
    /// ## Why
    /// An empty list registers no redirect URI, so every authorization request fails the exact
    /// match (RFC 9700 §4.1.3). FastMCP, atproto, giantswarm and the reference implementations all
    /// require at least one (MCP issue #3224).
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": []}
    /// ```
    pub(crate) static REDIRECT_URIS_EMPTY = "CIMD301" "redirect-uris-empty" {
        mcp: Error, ietf: Error,
        spec: "MCP 2026-07-28 Client Registration (Client ID Metadata Documents); RFC 9700 §4.1.3",
        title: "redirect_uris is empty",
        help: "list at least one redirect URI",
    }
}

/// Grant types that send the user agent back to a redirect URI.
const REDIRECT_GRANTS: &[&str] = &["authorization_code", "implicit"];

/// Whether the client's grant types need a redirect URI (RFC 7591 default: `authorization_code`).
pub(crate) fn uses_redirect(doc: &Doc<'_, '_>) -> bool {
    match &doc.grant_types {
        Some(grants) => {
            grants.is_empty()
                || grants
                    .iter()
                    .any(|(_, g)| REDIRECT_GRANTS.contains(&g.value))
        }
        None => true,
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    if cx.profile() == Profile::Ietf && !uses_redirect(doc) {
        return;
    }
    let why = match cx.profile() {
        Profile::Mcp => "MCP requires it",
        Profile::Ietf => "the grant types use a redirect",
    };
    match doc.member("redirect_uris") {
        None => cx.report(
            &REDIRECT_URIS_MISSING,
            format!("the document has no `redirect_uris` ({why})"),
            "",
            doc.missing_span(),
        ),
        Some(m) => {
            if let Value::Array(items) = &m.value.value
                && items.is_empty()
            {
                cx.report(
                    &REDIRECT_URIS_EMPTY,
                    format!("`redirect_uris` is empty ({why})"),
                    "/redirect_uris",
                    m.value.span,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Profile;
    use crate::rules::test_support::*;

    #[test]
    fn presence_depends_on_profile_and_grants() {
        assert_has(&run(&with("redirect_uris", None)), "CIMD300");
        assert_has(&run(&with("redirect_uris", Some("[]"))), "CIMD301");
        assert_has(
            &run_profile(&with("redirect_uris", None), Profile::Ietf),
            "CIMD300",
        );
        let mut doc: serde_json::Value =
            serde_json::from_str(&with("redirect_uris", None)).unwrap();
        doc["grant_types"] = serde_json::json!(["client_credentials"]);
        assert_lacks(&run_profile(&doc.to_string(), Profile::Ietf), "CIMD300");
        assert_has(&run(&doc.to_string()), "CIMD300");
    }
}
