//! `client_name`: present and meaningful (MCP §5.1.1; RFC 7591 §2; docs/decisions.md#client-name).

use super::{Cx, Doc};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// That the document has a `client_name`.
    ///
    /// ## Why
    /// MCP §5.1.1: the document MUST include at least `client_id`, `client_name` and
    /// `redirect_uris`. The IETF draft alone only RECOMMENDS it (RFC 7591 §2), so under `ietf` it
    /// is a warning (docs/decisions.md#client-name). Without a name the consent screen can only
    /// show the raw URL.
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com/client.json", "redirect_uris": ["http://127.0.0.1/cb"]}
    /// ```
    pub(crate) static CLIENT_NAME_MISSING = "CIMD400" "client-name-missing" {
        mcp: Error, ietf: Warning,
        spec: "MCP 2026-07-28 Client Registration (Client ID Metadata Documents); RFC 7591 §2",
        title: "client_name is missing",
        help: "add \"client_name\" with the name users know your app by",
    }
}

declare_code! {
    /// ## What it checks
    /// That `client_name` is not empty or only whitespace.
    ///
    /// ## Why
    /// An empty name is no name (cimd treats it like a missing one: docs/decisions.md#client-name):
    /// the consent screen has nothing to show the user.
    ///
    /// ## Example
    /// ```json
    /// {"client_name": " "}
    /// ```
    pub(crate) static CLIENT_NAME_EMPTY = "CIMD401" "client-name-empty" {
        mcp: Error, ietf: Warning,
        spec: "MCP 2026-07-28 Client Registration (Client ID Metadata Documents); RFC 7591 §2",
        title: "client_name is empty",
        help: "write the name users know your app by",
    }
}

declare_code! {
    /// ## What it checks
    /// That `client_name` is at most 200 characters.
    ///
    /// ## Why
    /// A consent screen shows the name prominently; cimd-mcp-reference refuses names over 200
    /// characters, and long names are a phishing tool (a name that reads like a sentence of instructions).
    ///
    /// ## Example
    /// A client_name of 300 characters.
    pub(crate) static CLIENT_NAME_TOO_LONG = "CIMD418" "client-name-too-long" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 7591 §2; draft-ietf-oauth-client-id-metadata-document-03 §9.5",
        title: "client_name is longer than 200 characters",
        help: "use a short product name",
    }
}

const MAX_CHARS: usize = 200;

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    if doc.member("client_name").is_none() {
        cx.report(
            &CLIENT_NAME_MISSING,
            "the document has no `client_name`",
            "",
            doc.missing_span(),
        );
        return;
    }
    let Some(name) = doc.string("client_name") else {
        return;
    };
    if name.value.trim().is_empty() {
        // White space shows nothing on a consent screen: it counts as empty.
        cx.report(
            &CLIENT_NAME_EMPTY,
            if name.value.is_empty() {
                "`client_name` is empty"
            } else {
                "`client_name` is only white space, which counts as empty"
            },
            "/client_name",
            name.node.span,
        );
    }
    let chars = name.value.chars().count();
    if chars > MAX_CHARS {
        cx.report(
            &CLIENT_NAME_TOO_LONG,
            format!("`client_name` is {chars} characters long"),
            "/client_name",
            name.node.span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::Profile;
    use crate::rules::test_support::*;

    #[test]
    fn names() {
        let missing = with("client_name", None);
        assert_has(&run(&missing), "CIMD400");
        assert!(!run(&missing).valid);
        assert!(
            run_profile(&missing, Profile::Ietf).valid,
            "only a warning under ietf"
        );
        assert_has(&run(&with("client_name", Some("\" \""))), "CIMD401");
        assert_has(
            &run(&with("client_name", Some("\"\\u3000\\t\""))),
            "CIMD401",
        );
        assert!(
            run_profile(&with("client_name", Some("\"  \"")), Profile::Ietf).valid,
            "a warning under ietf, as an empty name"
        );
        assert_has(
            &run(&with(
                "client_name",
                Some(&format!("{:?}", "x".repeat(201))),
            )),
            "CIMD418",
        );
        assert_lacks(&run(BASE), "CIMD400");
    }
}
