//! No client secret in a public document (-03 §4.1).

use super::{Cx, Doc};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// That the document has no `client_secret` member.
    ///
    /// ## Why
    /// -03 §4.1: the `client_secret` property MUST NOT be used. The document is public: a secret in
    /// it is a leaked secret. FastMCP and the TS SDK silently ignore it, so it can go unnoticed.
    ///
    /// ## Example
    /// ```json
    /// {"client_secret": "s3cr3t"}
    /// ```
    pub(crate) static CLIENT_SECRET_PRESENT = "CIMD202" "client-secret-present" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4.1",
        title: "the document contains client_secret",
        help: "remove client_secret and rotate the secret: it has been published",
    }
}

declare_code! {
    /// ## What it checks
    /// That the document has no `client_secret_expires_at` member.
    ///
    /// ## Why
    /// -03 §4.1: the `client_secret_expires_at` property MUST NOT be used; it only makes sense for a
    /// secret the document cannot have.
    ///
    /// ## Example
    /// ```json
    /// {"client_secret_expires_at": 0}
    /// ```
    pub(crate) static CLIENT_SECRET_EXPIRES_AT_PRESENT = "CIMD203" "client-secret-expires-at-present" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4.1",
        title: "the document contains client_secret_expires_at",
        help: "remove client_secret_expires_at",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    if let Some(m) = doc.member("client_secret") {
        cx.report(
            &CLIENT_SECRET_PRESENT,
            "the document publishes a `client_secret`; a public document cannot keep a secret",
            "/client_secret",
            m.name_span,
        );
    }
    if let Some(m) = doc.member("client_secret_expires_at") {
        cx.report(
            &CLIENT_SECRET_EXPIRES_AT_PRESENT,
            "`client_secret_expires_at` has no place in a document without a secret",
            "/client_secret_expires_at",
            m.name_span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn secrets() {
        assert_has(&run(&with("client_secret", Some("\"x\""))), "CIMD202");
        assert_has(
            &run(&with("client_secret_expires_at", Some("0"))),
            "CIMD203",
        );
        assert_lacks(&run(BASE), "CIMD202");
    }
}
