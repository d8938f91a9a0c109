//! URLs inside the document (`client_uri`, `logo_uri`, `tos_uri`, `policy_uri`, `jwks_uri` and
//! their localized variants): absolute https, no script schemes, nothing a server must not fetch
//! (RFC 7591 §2; -03 §9.6; docs/decisions.md#document-urls).

use super::{Cx, Doc, MemberPtr};
use crate::codes::declare_code;
use crate::uri::Uri;

declare_code! {
    /// ## What it checks
    /// That `jwks_uri` is not `localhost` or a special-use IP address.
    ///
    /// ## Why
    /// -03 §9.6: servers MUST NOT fetch any URL contained in the document that resolves to a
    /// special-use address, so the keys can never be fetched and `private_key_jwt` cannot work
    /// (docs/decisions.md#document-urls).
    ///
    /// ## Example
    /// ```json
    /// {"jwks_uri": "https://127.0.0.1/jwks.json"}
    /// ```
    pub(crate) static JWKS_URI_UNFETCHABLE = "CIMD211" "jwks-uri-unfetchable" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §9.6",
        title: "jwks_uri points at localhost or a special-use address",
        help: "publish the JWK Set on a public https host",
    }
}

declare_code! {
    /// ## What it checks
    /// That each URL member is a well-formed absolute URI with a host (and not `""`).
    ///
    /// ## Why
    /// RFC 7591 §2 defines these members as URLs; servers display or fetch them, and a relative or
    /// malformed one is refused or shown broken; `""` is an error too
    /// (docs/decisions.md#null-and-empty).
    ///
    /// ## Example
    /// ```json
    /// {"logo_uri": "/logo.png"}
    /// ```
    pub(crate) static URL_MEMBER_INVALID = "CIMD402" "url-member-invalid" {
        mcp: Error, ietf: Error,
        spec: "RFC 7591 §2; RFC 3986 §4.3",
        title: "a URL member is not a valid absolute URL",
        help: "write the full https URL, or remove the member",
    }
}

declare_code! {
    /// ## What it checks
    /// That no URL member uses `javascript:`, `data:`, `vbscript:` or `file:`.
    ///
    /// ## Why
    /// -03 §9.6: servers SHOULD only fetch or parse known URL schemes (no `javascript:`); a consent
    /// screen that renders such a link runs the attacker's script
    /// (docs/decisions.md#document-urls).
    ///
    /// ## Example
    /// ```json
    /// {"client_uri": "javascript:alert(1)"}
    /// ```
    pub(crate) static URL_MEMBER_DANGEROUS_SCHEME = "CIMD403" "url-member-dangerous-scheme" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §9.6",
        title: "a URL member uses a script or file scheme",
        help: "use an https URL",
    }
}

declare_code! {
    /// ## What it checks
    /// That URL members use https (plain http is tolerated only on loopback, for development).
    ///
    /// ## Why
    /// Servers fetch `logo_uri` and `jwks_uri` and show the others as links on the consent screen;
    /// over http both can be tampered with in transit. Open PR #50 would make https a MUST; the MCP
    /// SDKs' SafeUrl and cimd-mcp-reference already require it (docs/decisions.md#document-urls).
    ///
    /// ## Example
    /// ```json
    /// {"logo_uri": "http://cdn.example.com/logo.png"}
    /// ```
    pub(crate) static URL_MEMBER_NOT_HTTPS = "CIMD404" "url-member-not-https" {
        mcp: Error, ietf: Error,
        spec: "RFC 7591 §2; draft-ietf-oauth-client-id-metadata-document-03 §9.6",
        title: "a URL member does not use https",
        help: "serve the resource over https",
    }
}

declare_code! {
    /// ## What it checks
    /// That display URLs (`client_uri`, `logo_uri`, `tos_uri`, `policy_uri`) are not on `localhost`
    /// or a special-use address.
    ///
    /// ## Why
    /// -03 §9.6: servers MUST NOT fetch URLs in the document that resolve to special-use addresses,
    /// so the logo never shows, and links to a user's own machine or network mislead (a warning,
    /// since display URLs are optional: docs/decisions.md#document-urls).
    ///
    /// ## Example
    /// ```json
    /// {"logo_uri": "http://localhost:3000/logo.png"}
    /// ```
    pub(crate) static URL_MEMBER_SPECIAL_USE_HOST = "CIMD405" "url-member-special-use-host" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §9.6",
        title: "a URL member points at localhost or a special-use address",
        help: "use a public https URL, or remove the member",
    }
}

/// URL-valued members checked here (localized variants `name#tag` included).
const URL_MEMBERS: &[&str] = &[
    "client_uri",
    "logo_uri",
    "tos_uri",
    "policy_uri",
    "jwks_uri",
];
const DANGEROUS: &[&str] = &["javascript", "data", "vbscript", "file"];

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    for member in doc.members {
        let name = member.name.as_ref();
        let base = doc.base_name(name);
        if !URL_MEMBERS.contains(&base) {
            continue;
        }
        let Some(value) = member.value.as_str() else {
            continue;
        };
        check_url(name, base == "jwks_uri", value, &member.value, cx);
    }
}

fn check_url(
    name: &str,
    is_jwks: bool,
    value: &str,
    node: &crate::json::Node<'_>,
    cx: &mut Cx<'_>,
) {
    let ptr = MemberPtr(name);
    if value.is_empty() {
        cx.report_help(
            &URL_MEMBER_INVALID,
            format!("`{name}` is empty"),
            format!("remove `{name}` or give it a URL"),
            ptr,
            node.span,
        );
        return;
    }
    let uri = Uri::split(value);
    if let Some(violation) = uri.violations().into_iter().next() {
        let span = cx.string_span(node, violation.at.clone());
        cx.report(
            &URL_MEMBER_INVALID,
            format!("`{name}` is not a valid URL: {}", violation.kind.describe()),
            ptr,
            span,
        );
        return;
    }
    let Some(scheme) = uri.scheme() else {
        cx.report(
            &URL_MEMBER_INVALID,
            format!("`{name}` is relative (`{value}`); it must be an absolute URL"),
            ptr,
            node.inner_span(),
        );
        return;
    };
    if DANGEROUS.iter().any(|d| scheme.eq_ignore_ascii_case(d)) {
        cx.report(
            &URL_MEMBER_DANGEROUS_SCHEME,
            format!("`{name}` uses the `{scheme}:` scheme"),
            ptr,
            cx.string_span(node, uri.scheme_range().unwrap_or_default()),
        );
        return;
    }
    let host = uri.host().unwrap_or("");
    if host.is_empty() {
        cx.report(
            &URL_MEMBER_INVALID,
            format!("`{name}` has no host"),
            ptr,
            node.inner_span(),
        );
        return;
    }
    let special = match crate::address::host_ip(host) {
        Some(ip) => crate::address::special_use(ip).map(|s| format!("{} ({})", s.name, s.block)),
        // Not an IP, so loopback only as a name (`localhost`); saves parsing the host twice.
        None => crate::address::is_loopback_name(host).then(|| "a loopback name".to_owned()),
    };
    let http_on_loopback = uri.scheme_is("http") && special.is_some();
    if !(uri.scheme_is("https") || http_on_loopback) {
        cx.report(
            &URL_MEMBER_NOT_HTTPS,
            format!("`{name}` uses `{scheme}:`; it must be https"),
            ptr,
            cx.string_span(node, uri.scheme_range().unwrap_or_default()),
        );
    }
    if let Some(what) = special {
        if is_jwks {
            cx.report(
                &JWKS_URI_UNFETCHABLE,
                format!("`jwks_uri` host `{host}` is {what}: servers must not fetch it"),
                ptr,
                cx.string_span(node, uri.host_range().unwrap_or_default()),
            );
        } else {
            cx.report(
                &URL_MEMBER_SPECIAL_USE_HOST,
                format!("`{name}` host `{host}` is {what}: servers will not fetch or trust it"),
                ptr,
                cx.string_span(node, uri.host_range().unwrap_or_default()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn urls() {
        assert_has(&run(&with("logo_uri", Some("\"\""))), "CIMD402");
        assert_has(&run(&with("logo_uri", Some("\"/logo.png\""))), "CIMD402");
        assert_has(
            &run(&with("client_uri", Some("\"javascript:alert(1)\""))),
            "CIMD403",
        );
        assert_has(
            &run(&with("tos_uri", Some("\"http://app.example.com/tos\""))),
            "CIMD404",
        );
        assert_has(
            &run(&with("logo_uri", Some("\"http://localhost:3000/l.png\""))),
            "CIMD405",
        );
        assert_lacks(
            &run(&with("logo_uri", Some("\"http://localhost:3000/l.png\""))),
            "CIMD404",
        );
        assert_has(
            &run(&with("jwks_uri", Some("\"https://10.0.0.1/jwks\""))),
            "CIMD211",
        );
        assert_has(
            &run(&with(
                "logo_uri#ja",
                Some("\"ftp://app.example.com/l.png\""),
            )),
            "CIMD404",
        );
        for code in ["CIMD211", "CIMD402", "CIMD403", "CIMD404", "CIMD405"] {
            assert_lacks(&run(BASE), code);
        }
    }
}
