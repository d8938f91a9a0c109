//! `client_uri` on the same host as the client_id (docs/decisions.md#document-urls).

use super::{Cx, Doc};
use crate::codes::declare_code;
use crate::uri::Uri;

declare_code! {
    /// ## What it checks
    /// That `client_uri` (the app's home page) is on the same host as the client_id, or a
    /// subdomain of the same parent.
    ///
    /// ## Why
    /// The consent screen links to `client_uri` as the app's identity; a home page on another site
    /// than the client_id is a phishing sign (client.dev flags it; atproto requires the same origin,
    /// -03 §9.1 discusses binding metadata to the client_id).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com/client.json", "client_uri": "https://other.example.net"}
    /// ```
    pub(crate) static CLIENT_URI_OTHER_ORIGIN = "CIMD406" "client-uri-other-origin" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §9.1",
        title: "client_uri is on a different site than client_id",
        help: "host the document on the app's own domain, or point client_uri at that domain",
    }
}

/// The last two labels of a host (a rough registrable domain: no public-suffix list in the core).
fn site(host: &str) -> &str {
    let host = host.trim_end_matches('.');
    // Bytes, not `rmatch_indices`: its searcher costs more than the rest of this rule.
    let bytes = host.as_bytes();
    let last = bytes.iter().rposition(|&b| b == b'.');
    match last.and_then(|i| bytes[..i].iter().rposition(|&b| b == b'.')) {
        Some(second) => &host[second + 1..],
        None => host,
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let (Some((_, a)), Some(client_uri)) = (&doc.client_id, doc.string("client_uri")) else {
        return;
    };
    let b = Uri::split(client_uri.value);
    let (Some(ha), Some(hb)) = (
        a.host().filter(|h| !h.is_empty()),
        b.host().filter(|h| !h.is_empty()),
    ) else {
        return;
    };
    if !site(ha).eq_ignore_ascii_case(site(hb)) {
        cx.report(
            &CLIENT_URI_OTHER_ORIGIN,
            format!("`client_uri` is on `{hb}` but the client_id is on `{ha}`"),
            "/client_uri",
            client_uri.node.span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn origin() {
        assert_has(
            &run(&with("client_uri", Some("\"https://evil.example.net\""))),
            "CIMD406",
        );
        assert_lacks(
            &run(&with("client_uri", Some("\"https://www.example.com\""))),
            "CIMD406",
        );
        assert_lacks(&run(BASE), "CIMD406");
    }
}
