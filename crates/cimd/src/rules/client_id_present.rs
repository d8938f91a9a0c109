//! The document has a `client_id`.

use super::{Cx, Doc};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// That the document has a `client_id` member.
    ///
    /// ## Why
    /// -03 §4: the document MUST contain a `client_id` property whose value is the document's URL;
    /// MCP §5.1.1 lists it first among the required fields. Without it no server can bind the
    /// document to the client identifier (apify/mcpc#271 shipped such a document).
    ///
    /// ## Example
    /// ```json
    /// {"client_name": "My App", "redirect_uris": ["http://127.0.0.1/callback"]}
    /// ```
    pub(crate) static CLIENT_ID_MISSING = "CIMD100" "client-id-missing" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4; MCP 2026-07-28 Client Registration (Client ID Metadata Documents)",
        title: "the document has no client_id",
        help: "add \"client_id\" set to the exact https URL the document is served at",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    if doc.member("client_id").is_none() {
        let help: std::borrow::Cow<'static, str> = match &cx.options.url {
            Some(url) => format!("add \"client_id\": \"{url}\"").into(),
            None => CLIENT_ID_MISSING.help.into(),
        };
        cx.report_help(
            &CLIENT_ID_MISSING,
            "the document has no `client_id` member",
            help,
            "",
            doc.missing_span(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn missing_client_id_is_an_error_with_the_url_in_the_help() {
        let report = run(&with("client_id", None));
        assert_has(&report, "CIMD100");
        assert!(!report.valid);
        assert!(report.diagnostics[0].help.contains(URL));
        assert_lacks(&run(BASE), "CIMD100");
    }
}
