//! The form of the client_id URL (-03 §3): an absolute https URI with a path, no dot segments, no
//! userinfo, no fragment, preferably no query, short, and in normalized form. Checked on the raw
//! string, never on a parsed-and-normalized URL (docs/decisions.md#raw-client-id).

use std::borrow::Cow;
use std::ops::Range;

use super::{Cx, Doc};
use crate::codes::declare_code;
use crate::uri::{Uri, ViolationKind};

declare_code! {
    /// ## What it checks
    /// That the client_id uses the `https` scheme.
    ///
    /// ## Why
    /// -03 §3: the Client Identifier URL MUST use the "https" scheme; MCP §5.1.1 repeats it. Every
    /// server checked (FastMCP, Auth0, atproto, the MCP SDKs) refuses `http`.
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "http://app.example.com/client.json"}
    /// ```
    pub(crate) static CLIENT_ID_NOT_HTTPS = "CIMD101" "client-id-not-https" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3",
        title: "client_id is not an https URL",
        help: "serve the document over https and make client_id start with https://",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id URL has a path (`https://app.example.com` has none).
    ///
    /// ## Why
    /// -03 §3: the Client Identifier URL MUST contain a path component. cimd treats no path as an
    /// error (docs/decisions.md#client-id-path).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com"}
    /// ```
    pub(crate) static CLIENT_ID_NO_PATH = "CIMD102" "client-id-no-path" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3",
        title: "client_id has no path",
        help: "host the document at a path, e.g. https://app.example.com/oauth/client.json",
    }
}

declare_code! {
    /// ## What it checks
    /// That no path segment of the client_id is `.` or `..`, including percent-encoded forms such
    /// as `%2e` and `%2E%2e`.
    ///
    /// ## Why
    /// -03 §3: the URL MUST NOT contain single-dot or double-dot path segments. An encoded dot segment
    /// is a dot segment (RFC 3986 §6.2.2.2), and checking the raw string matters because URL parsers
    /// silently remove them (docs/decisions.md#raw-client-id).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com/oauth/../client.json"}
    /// ```
    pub(crate) static CLIENT_ID_DOT_SEGMENT = "CIMD103" "client-id-dot-segment" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3",
        title: "client_id has a `.` or `..` path segment",
        help: "remove the dot segments and use the resolved path",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id has no fragment, not even an empty `#`.
    ///
    /// ## Why
    /// -03 §3: the URL MUST NOT contain a fragment component; under RFC 3986 §3.5 an empty `#` is
    /// still a fragment component (docs/decisions.md#raw-client-id).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com/client.json#v2"}
    /// ```
    pub(crate) static CLIENT_ID_FRAGMENT = "CIMD104" "client-id-fragment" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3",
        title: "client_id has a fragment",
        help: "remove the `#` and everything after it",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id has no userinfo (`user:password@`), not even an empty `@`.
    ///
    /// ## Why
    /// -03 §3: the URL MUST NOT contain a username or password. Userinfo also makes URLs that
    /// display as one host and connect to another (`https://trusted.example@evil.example/`).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://user@app.example.com/client.json"}
    /// ```
    pub(crate) static CLIENT_ID_USERINFO = "CIMD105" "client-id-userinfo" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3",
        title: "client_id contains userinfo (`user@`)",
        help: "remove the userinfo and the `@`",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id has no query component.
    ///
    /// ## Why
    /// -03 §3: the URL SHOULD NOT include a query string component. Authlete, Auth0, AuthHero,
    /// giantswarm/mcp-oauth and punkpeye/fastmcp reject a query by default, so cimd warns
    /// (docs/decisions.md#client-id-query).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com/client.json?tenant=42"}
    /// ```
    pub(crate) static CLIENT_ID_QUERY = "CIMD106" "client-id-query" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3",
        title: "client_id has a query string",
        help: "put the variant in the path instead (https://app.example.com/clients/42.json)",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id path is not just `/`.
    ///
    /// ## Why
    /// -03 §3: a path of `/` is NOT RECOMMENDED, so cimd warns (docs/decisions.md#client-id-path).
    /// FastMCP, the MCP SDKs, atproto and cimd-mcp-reference refuse it, and a site root is rarely a
    /// stable client identifier.
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com/"}
    /// ```
    pub(crate) static CLIENT_ID_ROOT_PATH = "CIMD108" "client-id-root-path" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3",
        title: "client_id path is only `/`",
        help: "host the document at a dedicated path such as /oauth/client.json",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id is an absolute URI (RFC 3986): a scheme, no spaces or characters that
    /// must be percent-encoded, valid `%XX` escapes, a numeric port.
    ///
    /// ## Why
    /// -03 §3 defines the client identifier as a URL; servers compare it by simple string
    /// comparison, and parsers disagree on malformed input, so only a well-formed URI is portable.
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com/my client.json"}
    /// ```
    pub(crate) static CLIENT_ID_NOT_URI = "CIMD109" "client-id-not-uri" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3; RFC 3986 §3",
        title: "client_id is not a valid absolute URI",
        help: "percent-encode the marked characters, or rename the file so its URL needs no encoding",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id is in the normalized form of RFC 3986 §6.2.2 and §6.2.3: lower-case scheme
    /// and host, no explicit `:443`, no empty port, no percent-encoded unreserved characters,
    /// upper-case hex in escapes.
    ///
    /// ## Why
    /// -03: the client SHOULD normalize its Client Identifier URL (RFC 3986 §6.2.2, §6.2.3), as
    /// the server MUST NOT normalize: servers compare client_ids byte for byte without
    /// default-port normalization (-03 §3). Many URL libraries normalize anyway (pydantic in
    /// FastMCP, WHATWG `new URL`), so a non-normalized client_id matches on some servers and not
    /// others (docs/decisions.md#normalization).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://App.Example.com:443/client.json"}
    /// ```
    pub(crate) static CLIENT_ID_NOT_NORMALIZED = "CIMD110" "client-id-not-normalized" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3; RFC 3986 §6.2.2, §6.2.3",
        title: "client_id is not in normalized form",
        help: "publish the normalized URL and use it everywhere",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id is at most 120 bytes long.
    ///
    /// ## Why
    /// -03 §3 recommends a short URL because it may be shown to users; Auth0 and AuthHero refuse
    /// client_ids longer than 120 bytes.
    ///
    /// ## Example
    /// A client_id with a long generated path of hashes.
    pub(crate) static CLIENT_ID_TOO_LONG = "CIMD114" "client-id-too-long" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3",
        title: "client_id is longer than 120 bytes",
        help: "use a shorter path; Auth0 refuses client_ids over 120 bytes",
    }
}

/// Auth0's documented limit.
const MAX_LEN: usize = 120;

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let Some((client_id, uri)) = &doc.client_id else {
        return;
    };
    let client_id = *client_id;
    let value = client_id.value;
    let ptr = "/client_id";
    let node = client_id.node;
    let whole = node.inner_span();
    if value.is_empty() {
        cx.report(&CLIENT_ID_NOT_URI, "client_id is empty", ptr, node.span);
        return;
    }
    let host = uri.host_range();
    let in_host = |r: &Range<usize>| {
        host.as_ref()
            .is_some_and(|h| h.start <= r.start && r.end <= h.end)
    };
    for violation in uri.violations() {
        if matches!(violation.kind, ViolationKind::NonAscii(_)) && in_host(&violation.at) {
            continue; // client_id_host reports raw IDN hosts
        }
        let span = cx.string_span(node, violation.at.clone());
        cx.report(
            &CLIENT_ID_NOT_URI,
            format!(
                "client_id is not a valid URI: {}",
                violation.kind.describe()
            ),
            ptr,
            span,
        );
    }
    let Some(scheme) = uri.scheme() else {
        let message = format!("client_id `{value}` is not an absolute URL: it has no scheme");
        let help = format!(
            "write the full URL: https://{}",
            value.trim_start_matches('/')
        );
        cx.report_help(&CLIENT_ID_NOT_URI, message, help, ptr, whole);
        return;
    };
    if !scheme.eq_ignore_ascii_case("https") {
        let span = cx.string_span(node, uri.scheme_range().unwrap_or_default());
        cx.report(
            &CLIENT_ID_NOT_HTTPS,
            format!("client_id uses the `{scheme}` scheme; it must be https"),
            ptr,
            span,
        );
    }
    if let Some(range) = &uri.userinfo_range() {
        let span = cx.string_span(node, range.start..range.end + 1);
        let message = if range.is_empty() {
            "client_id has an empty userinfo (`@` before the host)".to_owned()
        } else {
            format!("client_id contains userinfo `{}@`", &value[range.clone()])
        };
        cx.report(&CLIENT_ID_USERINFO, message, ptr, span);
    }
    check_path(uri, client_id, cx);
    if let Some(range) = &uri.query_range() {
        let span = cx.string_span(node, range.start - 1..range.end);
        let message = if range.is_empty() {
            "client_id has an empty query (`?`)".to_owned()
        } else {
            format!("client_id has a query string `?{}`", &value[range.clone()])
        };
        cx.report(&CLIENT_ID_QUERY, message, ptr, span);
    }
    if let Some(range) = &uri.fragment_range() {
        let span = cx.string_span(node, range.start - 1..range.end);
        let message = if range.is_empty() {
            "client_id ends with an empty fragment `#`, which is still a fragment".to_owned()
        } else {
            format!("client_id has a fragment `#{}`", &value[range.clone()])
        };
        let help = format!("use {}", &value[..range.start - 1]);
        cx.report_help(&CLIENT_ID_FRAGMENT, message, help, ptr, span);
    }
    check_normalized(uri, client_id, cx);
    if value.len() > MAX_LEN {
        cx.report(
            &CLIENT_ID_TOO_LONG,
            format!(
                "client_id is {} bytes long; Auth0 and AuthHero refuse more than {MAX_LEN}",
                value.len()
            ),
            ptr,
            whole,
        );
    }
}

fn check_path(uri: &Uri<'_>, client_id: super::Str<'_, '_>, cx: &mut Cx<'_>) {
    let node = client_id.node;
    let ptr = "/client_id";
    if uri.authority_range().is_none() || uri.host().is_some_and(str::is_empty) {
        return; // no host: client_id_host reports it, and the path is meaningless without one
    }
    match uri.path() {
        "" => {
            let end = uri.path_range().start;
            let span = cx.string_span(node, end.saturating_sub(1)..end);
            let help = format!(
                "host the document at a path, e.g. {}/oauth/client.json",
                &client_id.value[..end]
            );
            cx.report_help(
                &CLIENT_ID_NO_PATH,
                "client_id has no path component",
                help,
                ptr,
                span,
            );
        }
        "/" => {
            let span = cx.string_span(node, uri.path_range());
            cx.report(&CLIENT_ID_ROOT_PATH, "client_id path is only `/` (NOT RECOMMENDED; FastMCP, the MCP SDKs and atproto refuse it)", ptr, span);
        }
        _ => {
            for (segment, range) in uri.path_segments() {
                // At most `%2e%2e` (6 bytes) can decode to a dot segment.
                if segment.len() > 6 || !segment.starts_with(['.', '%']) {
                    continue;
                }
                let decoded = segment.replace("%2e", ".").replace("%2E", ".");
                if decoded == "." || decoded == ".." {
                    let span = cx.string_span(node, range);
                    let encoded = if decoded == segment {
                        ""
                    } else {
                        " (percent-encoded)"
                    };
                    cx.report(
                        &CLIENT_ID_DOT_SEGMENT,
                        format!("client_id has a `{decoded}` path segment{encoded}: `{segment}`"),
                        ptr,
                        span,
                    );
                }
            }
        }
    }
}

/// Lists the ways the URL differs from its RFC 3986 §6.2.2/§6.2.3 normal form, and that form.
pub(crate) fn normalization_issues(uri: &Uri<'_>) -> (Vec<String>, String) {
    let mut issues = Vec::new();
    let raw = uri.raw;
    if let Some(scheme) = uri.scheme()
        && scheme.bytes().any(|b| b.is_ascii_uppercase())
    {
        issues.push(format!("the scheme `{scheme}` is not lower-case"));
    }
    if let Some(host) = uri.host()
        && host.bytes().any(|b| b.is_ascii_uppercase())
    {
        issues.push(format!("the host `{host}` is not lower-case"));
    }
    let default_port = if uri.scheme_is("https") {
        Some("443")
    } else if uri.scheme_is("http") {
        Some("80")
    } else {
        None
    };
    match uri.port() {
        Some("") => issues.push("an empty port follows `:`".to_owned()),
        Some(p) if Some(p) == default_port => {
            issues.push(format!("the default port `:{p}` is explicit"));
        }
        _ => {}
    }
    let after_host = uri.host_range().map_or(0, |h| h.end);
    // RFC 3986 §6.2.2.2 applies to every component, the host included (`%61pp.example`).
    let host_and_tail = &raw[uri.host_range().map_or(0, |h| h.start)..];
    // A clean split saw no `%`: nothing to decode.
    let decoded = if uri.is_clean() {
        Cow::Borrowed(host_and_tail)
    } else {
        crate::uri::decode_unreserved(host_and_tail)
    };
    if decoded != host_and_tail {
        let tail = host_and_tail;
        if decoded.eq_ignore_ascii_case(tail) && decoded.len() == tail.len() {
            issues.push("percent-encodings use lower-case hex digits".to_owned());
        } else {
            issues.push("unreserved characters are percent-encoded".to_owned());
        }
    }
    if issues.is_empty() {
        return (issues, String::new());
    }
    let mut normal = String::with_capacity(raw.len());
    if let Some(scheme) = uri.scheme_lower() {
        normal.push_str(&scheme);
        normal.push(':');
    }
    if uri.authority_range().is_some() {
        normal.push_str("//");
        if let Some(userinfo) = uri.userinfo() {
            normal.push_str(userinfo);
            normal.push('@');
        }
        normal.push_str(
            &crate::uri::decode_unreserved(uri.host().unwrap_or_default()).to_ascii_lowercase(),
        );
        match uri.port() {
            Some(p) if !p.is_empty() && Some(p) != default_port => {
                normal.push(':');
                normal.push_str(p);
            }
            _ => {}
        }
    }
    let path_and_rest = uri.port_range().map_or(after_host, |p| p.end);
    normal.push_str(&crate::uri::decode_unreserved(&raw[path_and_rest..]));
    (issues, normal)
}

fn check_normalized(uri: &Uri<'_>, client_id: super::Str<'_, '_>, cx: &mut Cx<'_>) {
    let (issues, normal) = normalization_issues(uri);
    if issues.is_empty() {
        return;
    }
    cx.report_help(
        &CLIENT_ID_NOT_NORMALIZED,
        format!(
            "client_id is not in normalized form: {}; servers that normalize URLs will not match it byte for byte",
            issues.join(", ")
        ),
        format!("use {normal} (and serve the document there)"),
        "/client_id",
        client_id.node.inner_span(),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn each_form_rule() {
        assert_has(&with_id("http://app.example.com/c.json"), "CIMD101");
        assert_has(&with_id("https://app.example.com"), "CIMD102");
        assert_has(&with_id("https://app.example.com/a/../c.json"), "CIMD103");
        assert_has(
            &with_id("https://app.example.com/a/%2E%2e/c.json"),
            "CIMD103",
        );
        assert_has(&with_id("https://app.example.com/c.json#"), "CIMD104");
        assert_has(&with_id("https://@app.example.com/c.json"), "CIMD105");
        assert_has(&with_id("https://app.example.com/c.json?x=1"), "CIMD106");
        assert_has(&with_id("https://app.example.com/"), "CIMD108");
        assert_has(
            &with_id("https://app.example.com/my client.json"),
            "CIMD109",
        );
        assert_has(&with_id("app.example.com/c.json"), "CIMD109");
        assert_has(&with_id("HTTPS://app.example.com/c.json"), "CIMD110");
        assert_has(&with_id("https://app.example.com:443/c.json"), "CIMD110");
        assert_has(
            &with_id(&format!("https://app.example.com/{}", "a".repeat(120))),
            "CIMD114",
        );
        let clean = with_id("https://app.example.com/oauth/client.json");
        for code in [
            "CIMD101", "CIMD102", "CIMD103", "CIMD104", "CIMD105", "CIMD106", "CIMD108", "CIMD109",
            "CIMD110", "CIMD114",
        ] {
            assert_lacks(&clean, code);
        }
    }

    #[test]
    fn spans_point_at_the_component_even_with_escapes() {
        let text = r#"{"client_id": "https:\/\/app.example.com\/c.json#frag"}"#;
        let report = crate::validate(text, &crate::Options::default());
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.code() == "CIMD104")
            .unwrap();
        let span = d.span.unwrap();
        assert_eq!(&text[span.range()], "#frag");
    }

    #[test]
    fn normalized_form_is_suggested() {
        let report = with_id("HTTPS://App.Example.com:443/%7Euser/c.json");
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.code() == "CIMD110")
            .unwrap();
        assert!(
            d.help.contains("https://app.example.com/~user/c.json"),
            "{}",
            d.help
        );
    }
}
