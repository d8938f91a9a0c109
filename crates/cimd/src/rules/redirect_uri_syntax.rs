//! Each redirect URI is an absolute URI without a fragment, written once, without wildcards
//! (RFC 6749 §3.1.2; RFC 3986; docs/decisions.md#wildcards).

use super::{Cx, Doc, ItemPtr, Web};
use crate::codes::declare_code;
use crate::uri::{Uri, ViolationKind};

declare_code! {
    /// ## What it checks
    /// That each redirect URI is absolute (has a scheme).
    ///
    /// ## Why
    /// RFC 6749 §3.1.2: the redirection endpoint URI MUST be an absolute URI (RFC 3986 §4.3). A
    /// relative `/callback` cannot be matched or redirected to.
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["/callback"]}
    /// ```
    pub(crate) static REDIRECT_URI_NOT_ABSOLUTE = "CIMD302" "redirect-uri-not-absolute" {
        mcp: Error, ietf: Error,
        spec: "RFC 6749 §3.1.2",
        title: "a redirect URI is not absolute",
        help: "write the full URI, e.g. https://app.example.com/callback",
    }
}

declare_code! {
    /// ## What it checks
    /// That no redirect URI has a fragment (`#...`, even empty).
    ///
    /// ## Why
    /// RFC 6749 §3.1.2: the endpoint URI MUST NOT include a fragment component.
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["https://app.example.com/callback#done"]}
    /// ```
    pub(crate) static REDIRECT_URI_FRAGMENT = "CIMD303" "redirect-uri-fragment" {
        mcp: Error, ietf: Error,
        spec: "RFC 6749 §3.1.2",
        title: "a redirect URI has a fragment",
        help: "remove the `#` and everything after it",
    }
}

declare_code! {
    /// ## What it checks
    /// Wildcards in redirect URIs: `*` as the port (`http://localhost:*/callback`), `*.` in the host,
    /// `*` in the path.
    ///
    /// ## Why
    /// No specification defines wildcards: `*` is not a port in RFC 3986 (port = *DIGIT) and RFC
    /// 9700 requires exact matching. FastMCP alone understands them; Auth0, the Python SDK and
    /// other exact-match servers will never match (docs/decisions.md#wildcards). Loopback ports
    /// need no wildcard: RFC 8252 §7.3 servers accept any port for a portless loopback URI.
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["http://localhost:*/callback"]}
    /// ```
    pub(crate) static REDIRECT_URI_WILDCARD = "CIMD309" "redirect-uri-wildcard" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 9700 §4.1.3; RFC 3986 §3.2.3",
        title: "a redirect URI uses a wildcard (FastMCP only)",
        help: "for loopback use http://127.0.0.1/callback (RFC 8252 servers accept any port); otherwise list each URI",
    }
}

declare_code! {
    /// ## What it checks
    /// That no redirect URI is listed twice.
    ///
    /// ## Why
    /// A duplicate is harmless to matching but signals a copy-paste error, and client.dev rejects it.
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["http://127.0.0.1/cb", "http://127.0.0.1/cb"]}
    /// ```
    pub(crate) static REDIRECT_URI_DUPLICATE = "CIMD311" "redirect-uri-duplicate" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 7591 §2",
        title: "a redirect URI is listed twice",
        help: "remove the duplicate entry",
    }
}

declare_code! {
    /// ## What it checks
    /// That each redirect URI is a well-formed URI: no spaces or characters that must be
    /// percent-encoded, valid `%XX` escapes, a valid scheme, a numeric port, a valid IPv6 literal.
    ///
    /// ## Why
    /// Servers compare redirect URIs by simple string comparison (RFC 6749 §3.1.2.3) and parse them
    /// to redirect; a malformed URI is parsed differently by each, or refused.
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["https://app.example.com/call back"]}
    /// ```
    pub(crate) static REDIRECT_URI_INVALID = "CIMD312" "redirect-uri-invalid" {
        mcp: Error, ietf: Error,
        spec: "RFC 3986 §3; RFC 6749 §3.1.2",
        title: "a redirect URI is not a valid URI",
        help: "percent-encode the marked characters",
    }
}

/// Whether a redirect URI uses FastMCP-style wildcards.
pub(crate) fn is_wildcard(uri: &Uri<'_>) -> bool {
    // Almost no URI has a `*` at all, and the split noticed whether this one does.
    uri.has_star()
        && (uri.port() == Some("*")
            || uri.host().is_some_and(|h| h.starts_with("*.") || h == "*")
            || uri.path().contains('*'))
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let Some(uris) = &doc.redirect_uris else {
        return;
    };
    // Pairwise for short lists; for the dozens of URIs multi-tenant clients list, an order check
    // and only then a set. Duplicates are rare: find whether there are any first, and only then
    // look for which ones.
    let any_duplicate = if uris.len() <= 8 {
        uris.iter()
            .enumerate()
            .any(|(k, r)| uris[..k].iter().any(|p| p.item.value == r.item.value))
    } else if uris.windows(2).all(|w| w[0].item.value < w[1].item.value) {
        // Long lists are usually written in order: strictly increasing means no duplicate.
        false
    } else {
        // A set, not a sort: the parser's duplicate-name check already links the hashing code; a
        // sort of strings added 0.6 KB to the gzipped web wasm.
        let mut seen = std::collections::HashSet::with_capacity(uris.len());
        !uris.iter().all(|r| seen.insert(r.item.value))
    };
    for (k, r) in uris.iter().enumerate() {
        let (i, item, uri) = (&r.index, &r.item, &r.uri);
        let ptr = ItemPtr("redirect_uris", *i);
        let value = item.value;
        let node = item.node;
        if any_duplicate && uris[..k].iter().any(|p| p.item.value == value) {
            cx.report(
                &REDIRECT_URI_DUPLICATE,
                format!("`{value}` is listed more than once"),
                ptr,
                node.span,
            );
        }
        if value.is_empty() {
            cx.report(
                &REDIRECT_URI_NOT_ABSOLUTE,
                "a redirect URI is empty",
                ptr,
                node.span,
            );
            continue;
        }
        let wildcard = is_wildcard(uri);
        for violation in uri.violations() {
            if wildcard && violation.kind == ViolationKind::BadPort {
                continue;
            }
            let span = cx.string_span(node, violation.at.clone());
            cx.report(
                &REDIRECT_URI_INVALID,
                format!(
                    "`{value}` is not a valid URI: {}",
                    violation.kind.describe()
                ),
                ptr,
                span,
            );
        }
        if !uri.is_absolute() {
            cx.report(
                &REDIRECT_URI_NOT_ABSOLUTE,
                ["`", value, "` is not an absolute URI (it has no scheme)"].concat(),
                ptr,
                node.inner_span(),
            );
            continue;
        }
        if r.web != Web::Other && uri.host().is_none_or(str::is_empty) {
            cx.report(
                &REDIRECT_URI_INVALID,
                format!("`{value}` has no host: an http(s) URI with an empty host is invalid (RFC 9110 §4.2)"),
                ptr,
                node.inner_span(),
            );
        }
        if let Some(range) = &uri.fragment_range() {
            let span = cx.string_span(node, range.start - 1..range.end);
            cx.report(
                &REDIRECT_URI_FRAGMENT,
                format!("`{value}` has a fragment"),
                ptr,
                span,
            );
        }
        if wildcard {
            let star = value.find('*').unwrap_or(0);
            let span = cx.string_span(node, star..star + 1);
            cx.report(
                &REDIRECT_URI_WILDCARD,
                format!("`{value}` uses a wildcard: only FastMCP matches it; exact-match servers (Auth0, the Python SDK) never will"),
                ptr,
                span,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn syntax() {
        assert_has(&run_with_redirects(r#"["/callback"]"#), "CIMD302");
        assert_has(
            &run_with_redirects(r#"["https://app.example.com/cb#x"]"#),
            "CIMD303",
        );
        let wildcard = run_with_redirects(r#"["http://localhost:*/callback"]"#);
        assert_has(&wildcard, "CIMD309");
        assert_lacks(&wildcard, "CIMD312");
        assert_has(
            &run_with_redirects(r#"["https://app.example.com/cb","https://app.example.com/cb"]"#),
            "CIMD311",
        );
        assert_has(
            &run_with_redirects(r#"["https://app.example.com/call back"]"#),
            "CIMD312",
        );
        // Long lists: in order, out of order, with and without a repeated entry.
        let list = |ids: &[u32]| {
            let items: Vec<String> = ids
                .iter()
                .map(|i| format!("\"https://app.example.com/cb/{i:02}\""))
                .collect();
            format!("[{}]", items.join(","))
        };
        let sorted: Vec<u32> = (0..12).collect();
        assert_lacks(&run_with_redirects(&list(&sorted)), "CIMD311");
        let mut shuffled = sorted.clone();
        shuffled.swap(2, 9);
        assert_lacks(&run_with_redirects(&list(&shuffled)), "CIMD311");
        let mut repeated = sorted.clone();
        repeated[5] = 4;
        assert_has(&run_with_redirects(&list(&repeated)), "CIMD311");
        shuffled[11] = 2;
        assert_has(&run_with_redirects(&list(&shuffled)), "CIMD311");
        for code in ["CIMD302", "CIMD303", "CIMD309", "CIMD311", "CIMD312"] {
            assert_lacks(&run(BASE), code);
        }
    }
}
