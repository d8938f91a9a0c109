//! `software_statement` is a JWT (RFC 7591 §2.3; -02 §4.3).

use super::{Cx, Doc};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// That `software_statement` looks like a JWT: three base64url parts separated by dots (JWS
    /// compact serialization).
    ///
    /// ## Why
    /// RFC 7591 §2.3: a software statement is a JWT; -02 §4.3 allows it in a CIMD document. A
    /// server that verifies statements rejects anything else.
    ///
    /// ## Example
    /// ```json
    /// {"software_statement": "my-app-v1"}
    /// ```
    pub(crate) static SOFTWARE_STATEMENT_INVALID = "CIMD417" "software-statement-invalid" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 7591 §2.3; draft-ietf-oauth-client-id-metadata-document-02 §4.3",
        title: "software_statement is not a JWT",
        help: "put a signed JWT (header.payload.signature) here, or remove the member",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let Some(statement) = doc.string("software_statement") else {
        return;
    };
    let parts: Vec<&str> = statement.value.split('.').collect();
    let base64url = |p: &&str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if parts.len() != 3
        || !parts[..2].iter().all(base64url)
        || !(parts[2].is_empty() || base64url(&parts[2]))
    {
        cx.report(
            &SOFTWARE_STATEMENT_INVALID,
            "`software_statement` is not a JWT (header.payload.signature in base64url)",
            "/software_statement",
            statement.node.span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn statement() {
        assert_has(&run(&with("software_statement", Some("\"v1\""))), "CIMD417");
        assert_lacks(
            &run(&with(
                "software_statement",
                Some("\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\""),
            )),
            "CIMD417",
        );
    }
}
