//! The document is one JSON object of a reasonable size.

use super::Cx;
use crate::codes::declare_code;
use crate::json::Node;

declare_code! {
    /// ## What it checks
    /// That the top-level JSON value is an object.
    ///
    /// ## Why
    /// -03 §4: the document is a JSON object of client metadata (RFC 7591 §2); an array, string,
    /// number or null has no members to read, so servers refuse it.
    ///
    /// ## Example
    /// ```json
    /// [{"client_id": "https://app.example/client.json"}]
    /// ```
    pub(crate) static DOCUMENT_NOT_OBJECT = "CIMD010" "document-not-object" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4; RFC 7591 §2",
        title: "the document is not a JSON object",
        help: "make the top-level value an object: { \"client_id\": ..., ... }",
    }
}

declare_code! {
    /// ## What it checks
    /// That the document is at most 5120 bytes (or the `--max-bytes` limit).
    ///
    /// ## Why
    /// -03 §9.7: servers SHOULD stop reading after a maximum and treat reaching it as an error; the
    /// recommended maximum is 5 kilobytes (FastMCP and cimd-mcp-reference use 5120 bytes). Pasted or
    /// read from a file this is a warning; when fetched, the fetch rule CIMD504 makes it an error.
    ///
    /// ## Example
    /// A document with 200 redirect URIs.
    pub(crate) static DOCUMENT_TOO_LARGE = "CIMD011" "document-too-large" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §9.7",
        title: "the document is larger than servers will read",
        help: "shrink the document below 5120 bytes: drop unused members and whitespace",
    }
}

pub(super) fn not_object(root: &Node<'_>, cx: &mut Cx<'_>) {
    cx.report(
        &DOCUMENT_NOT_OBJECT,
        format!("the document is a JSON {}, not an object", root.type_name()),
        "",
        root.span,
    );
}

pub(super) fn check_size(len: usize, cx: &mut Cx<'_>) {
    let max = cx.options.max_bytes;
    if len > max {
        cx.report_unpositioned(
            &DOCUMENT_TOO_LARGE,
            format!("the document is {len} bytes; servers stop reading at {max} bytes (-03 §9.7 recommends 5 KB)"),
        );
    }
}
