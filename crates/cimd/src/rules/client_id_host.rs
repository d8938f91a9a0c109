//! The client_id host: present, ASCII, a public DNS name (not an address a server must not fetch).

use super::{Cx, Doc};
use crate::address;
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// That the client_id host is ASCII (an internationalized name must be written in punycode).
    ///
    /// ## Why
    /// A URI is ASCII (RFC 3986 §2); a raw Unicode host is an IRI, and servers compare client_ids by
    /// simple string comparison, so the Unicode and punycode forms are different clients and
    /// parsers disagree on which one they see (docs/decisions.md#normalization).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://bücher.example/client.json"}
    /// ```
    pub(crate) static CLIENT_ID_NON_ASCII_HOST = "CIMD111" "client-id-non-ascii-host" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3; RFC 3986 §3.2.2",
        title: "client_id host is not ASCII",
        help: "write the host in punycode (xn--...) in both the URL and client_id",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id host is not `localhost` or a special-use IP address (RFC 6890: loopback,
    /// private, link-local, CGNAT, documentation, ...), in any spelling: `127.0.0.1`, `2130706433`,
    /// `0x7f.1`, `0177.0.0.1`, `[::ffff:127.0.0.1]`, NAT64, 6to4 and Teredo forms.
    ///
    /// ## Why
    /// -03 §9.6: servers MUST NOT fetch a document URL that resolves to a special-use address (SSRF
    /// protection), so such a client can never be resolved in production
    /// (docs/decisions.md#ip-literal-hosts).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://192.168.1.10/client.json"}
    /// ```
    pub(crate) static CLIENT_ID_SPECIAL_USE_ADDRESS = "CIMD112" "client-id-special-use-address" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §9.6; RFC 6890",
        title: "client_id host is localhost or a special-use address",
        help: "host the document on a public DNS name",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id host is a DNS name rather than a (public) IP address.
    ///
    /// ## Why
    /// -03 §9.5: servers SHOULD show the client_id hostname to the user, and an IP address tells the
    /// user nothing; atproto and cimd-mcp-reference refuse IP hosts, and addresses change (-03 §3
    /// recommends a stable URL), so cimd warns (docs/decisions.md#ip-literal-hosts).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://93.184.216.34/client.json"}
    /// ```
    pub(crate) static CLIENT_ID_IP_LITERAL = "CIMD113" "client-id-ip-literal" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3, §9.5",
        title: "client_id host is an IP address",
        help: "use a DNS name the user can recognize",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id host does not end with a dot (`app.example.com.`).
    ///
    /// ## Why
    /// A trailing dot names the same host but a different client_id string; servers that strip it
    /// (or not) disagree on the identifier and on hostname checks (directus#27106).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com./client.json"}
    /// ```
    pub(crate) static CLIENT_ID_TRAILING_DOT = "CIMD115" "client-id-trailing-dot" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3",
        title: "client_id host ends with a dot",
        help: "remove the trailing dot from the host",
    }
}

declare_code! {
    /// ## What it checks
    /// That the client_id has an authority with a non-empty host (`https://host/...`).
    ///
    /// ## Why
    /// An https URL needs a host to be fetched; `https:///169.254.169.254/x` (empty authority) has
    /// slipped past naive checks and reached internal addresses (MCPJam/inspector#3138).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https:///app.example.com/client.json"}
    /// ```
    pub(crate) static CLIENT_ID_NO_HOST = "CIMD116" "client-id-no-host" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §3; RFC 3986 §3.2",
        title: "client_id has no host",
        help: "write the URL as https://host/path",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let Some((client_id, uri)) = &doc.client_id else {
        return;
    };
    if uri.scheme_range().is_none() {
        return; // not a URL at all: client_id_form reports it
    }
    let node = client_id.node;
    let ptr = "/client_id";
    let (Some(host), Some(range)) = (uri.host(), uri.host_range()) else {
        let span = node.inner_span();
        cx.report(
            &CLIENT_ID_NO_HOST,
            "client_id has no `//host` authority",
            ptr,
            span,
        );
        return;
    };
    // The common case, a plain DNS name, needs no span.
    let plain = !host.is_empty()
        && host.is_ascii()
        && !host.ends_with('.')
        && address::host_ip(host).is_none()
        && !address::is_loopback_name(host);
    if plain {
        return;
    }
    let span = cx.string_span(node, range.clone());
    if host.is_empty() {
        let span = cx.string_span(node, range.start.saturating_sub(2)..range.end + 1);
        cx.report(
            &CLIENT_ID_NO_HOST,
            "client_id has an empty host (`///`)",
            ptr,
            span,
        );
        return;
    }
    if !host.is_ascii() {
        cx.report(
            &CLIENT_ID_NON_ASCII_HOST,
            format!("client_id host `{host}` is not ASCII (a raw internationalized name)"),
            ptr,
            span,
        );
        return;
    }
    if let Some(ip) = address::host_ip(host) {
        let spelled = if address::is_noncanonical_ipv4(host) {
            format!(" (`{host}` is {ip})")
        } else {
            String::new()
        };
        if let Some(special) = address::special_use(ip) {
            cx.report(
                &CLIENT_ID_SPECIAL_USE_ADDRESS,
                format!("client_id host is a special-use address{spelled}: {} ({}, {}); servers must not fetch it", special.name, special.block, special.rfc),
                ptr,
                span,
            );
        } else {
            cx.report(
                &CLIENT_ID_IP_LITERAL,
                format!(
                    "client_id host is the IP address {ip}{spelled}, not a name users can recognize"
                ),
                ptr,
                span,
            );
        }
    } else if address::is_loopback_host(host) {
        cx.report(
            &CLIENT_ID_SPECIAL_USE_ADDRESS,
            format!("client_id host `{host}` is a loopback name; servers must not fetch it"),
            ptr,
            span,
        );
    }
    if host.ends_with('.') {
        cx.report(
            &CLIENT_ID_TRAILING_DOT,
            format!("client_id host `{host}` ends with a dot"),
            ptr,
            span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn hosts() {
        assert_has(&with_id("https://bücher.example/c.json"), "CIMD111");
        assert_has(&with_id("https://127.0.0.1/c.json"), "CIMD112");
        assert_has(&with_id("https://2130706433/c.json"), "CIMD112");
        assert_has(&with_id("https://0x7f.1/c.json"), "CIMD112");
        assert_has(&with_id("https://[::ffff:10.0.0.1]/c.json"), "CIMD112");
        assert_has(&with_id("https://localhost/c.json"), "CIMD112");
        assert_has(&with_id("https://93.184.216.34/c.json"), "CIMD113");
        assert_has(&with_id("https://app.example.com./c.json"), "CIMD115");
        assert_has(&with_id("https:///169.254.169.254/c.json"), "CIMD116");
        assert_has(&with_id("https:app.example.com/c.json"), "CIMD116");
        let clean = with_id("https://app.example.com/c.json");
        for code in ["CIMD111", "CIMD112", "CIMD113", "CIMD115", "CIMD116"] {
            assert_lacks(&clean, code);
        }
    }
}
