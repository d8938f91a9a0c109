//! Loopback redirect URIs: IP literals rather than `localhost`, what a portless loopback URI means
//! for exact-match servers, and the consent warning when every URI is loopback (RFC 8252 §7.3,
//! §8.3; MCP §11.6.2; docs/decisions.md#loopback-hosts, docs/decisions.md#loopback-ports).

use super::{Cx, Doc, ItemPtr, Loopback};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// Loopback redirect URIs that use the name `localhost` instead of `127.0.0.1` or `[::1]`.
    ///
    /// ## Why
    /// RFC 8252 §8.3: using `localhost` is NOT RECOMMENDED; the name can resolve to a non-loopback
    /// address or to IPv6 while the client listens on IPv4, and firewalls treat it differently.
    /// atproto rejects `localhost` redirect URIs (MCP issue #3223 asks the spec example to change).
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["http://localhost:8080/callback"]}
    /// ```
    pub(crate) static REDIRECT_URI_LOCALHOST_NAME = "CIMD307" "redirect-uri-localhost-name" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 8252 §8.3",
        title: "a loopback redirect URI uses the name localhost",
        help: "use http://127.0.0.1/... (and listen on 127.0.0.1)",
    }
}

declare_code! {
    /// ## What it checks
    /// Whether every redirect URI is a loopback URI.
    ///
    /// ## Why
    /// MCP §11.6.2: servers SHOULD show extra warnings when all redirect URIs are localhost, since
    /// any local program can listen there and a malicious page can pose as the client. Nothing is
    /// wrong with the document; users will see that warning on the consent screen.
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["http://127.0.0.1/callback"]}
    /// ```
    pub(crate) static REDIRECT_URIS_LOOPBACK_ONLY = "CIMD308" "redirect-uris-loopback-only" {
        mcp: Info, ietf: Info,
        spec: "MCP 2026-07-28 Security Considerations (Localhost Redirect URI Risks)",
        title: "every redirect URI is loopback: servers show an extra warning",
        help: "expected for a native or CLI client; a hosted client should add its https callback",
    }
}

declare_code! {
    /// ## What it checks
    /// Loopback redirect URIs registered without a port (`http://127.0.0.1/callback`, and
    /// `https://127.0.0.1/callback` alike: the scheme does not change loopback ports,
    /// docs/decisions.md#loopback-ports).
    ///
    /// ## Why
    /// RFC 8252 §7.3: servers MUST allow any port for loopback redirects, so the client can listen
    /// on an ephemeral port. Servers that compare exactly (Auth0, cimd-mcp-reference, the Python
    /// SDK) refuse the request port instead: the top complaint about CIMD (claude-code#41011,
    /// fastmcp#3588). With a fixed port the URI works everywhere, if the client can always bind it.
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["http://127.0.0.1/callback"]}
    /// ```
    pub(crate) static REDIRECT_URI_LOOPBACK_PORT = "CIMD310" "redirect-uri-loopback-port" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 8252 §7.3",
        title: "a portless loopback redirect URI only works on servers applying RFC 8252 §7.3",
        help: "keep it for RFC 8252 servers; for exact-match servers also list the fixed port your client binds (http://127.0.0.1:33418/callback)",
    }
}

declare_code! {
    /// ## What it checks
    /// Loopback redirect URIs registered with an explicit port (`http://127.0.0.1:33418/`).
    ///
    /// ## Why
    /// RFC 8252 §7.3: a server MUST allow any port in the request for a loopback redirect URI, so a
    /// registered port does not bind the client, and Cloudflare's workers-oauth-provider lets any
    /// port through. But FastMCP, Auth0, Keycloak's CIMD executor and cimd-mcp-reference compare the
    /// port exactly: there, the client must always listen on the registered port. GitHub Copilot
    /// CLI registers `http://127.0.0.1:33418/` and listens on a random port, and its logins fail on
    /// those servers (github/copilot-cli#4793, #4901; sassoftware/sas-mcp-server#58). The
    /// document is valid; the report's portability rows say which port each server takes
    /// (docs/decisions.md#loopback-ports).
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["http://127.0.0.1:33418/"]}
    /// ```
    pub(crate) static REDIRECT_URI_LOOPBACK_FIXED_PORT = "CIMD313" "redirect-uri-loopback-fixed-port" {
        mcp: Info, ietf: Info,
        spec: "RFC 8252 §7.3",
        title: "a loopback redirect URI with a fixed port: some servers take only that port",
        help: "make the client always listen on this port, or also list the URI without a port for RFC 8252 servers",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let Some(uris) = &doc.redirect_uris else {
        return;
    };
    let mut loopback = 0;
    for r in uris {
        let (item, uri, i) = (&r.item, &r.uri, &r.index);
        let Some(host) = uri.host() else { continue };
        if r.loopback == Loopback::No {
            continue;
        }
        loopback += 1;
        let ptr = ItemPtr("redirect_uris", *i);
        if r.loopback == Loopback::Name {
            cx.report(
                &REDIRECT_URI_LOCALHOST_NAME,
                format!(
                    "`{}` uses the name `{host}`; RFC 8252 recommends the loopback IP literal",
                    item.value
                ),
                ptr,
                cx.string_span(item.node, uri.host_range().unwrap_or_default()),
            );
        }
        // A `*` port is FastMCP's wildcard, reported as such (CIMD309).
        if let Some(port) = uri
            .port()
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            cx.report(
                &REDIRECT_URI_LOOPBACK_FIXED_PORT,
                [
                    "`", item.value, "` fixes port ", port,
                    ": RFC 8252 servers (Cloudflare's workers-oauth-provider) take any port, but FastMCP, Auth0, Keycloak and cimd-mcp-reference take only ",
                    port, ", so the client must always listen on it",
                ]
                .concat(),
                ptr,
                cx.string_span(item.node, uri.port_range().unwrap_or_default()),
            );
        }
        if uri.port().is_none_or(str::is_empty) {
            cx.report(
                &REDIRECT_URI_LOOPBACK_PORT,
                ["`", item.value, "` has no port: RFC 8252 servers accept any port, exact-match servers (Auth0, cimd-mcp-reference) refuse the port your client listens on"].concat(),
                ptr,
                cx.string_span(item.node, uri.host_range().unwrap_or_default()),
            );
        }
    }
    if loopback > 0 && loopback == uris.len() {
        let span = doc
            .member("redirect_uris")
            .map_or(doc.missing_span(), |m| m.value.span);
        cx.report(
            &REDIRECT_URIS_LOOPBACK_ONLY,
            "every redirect URI is loopback: servers should show users an extra warning (MCP §11.6.2)",
            "/redirect_uris",
            span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn loopback() {
        assert_has(
            &run_with_redirects(r#"["http://localhost:3000/cb"]"#),
            "CIMD307",
        );
        assert_lacks(
            &run_with_redirects(r#"["http://127.0.0.1:3000/cb"]"#),
            "CIMD307",
        );
        assert_has(&run_with_redirects(r#"["http://127.0.0.1/cb"]"#), "CIMD308");
        assert_lacks(
            &run_with_redirects(r#"["http://127.0.0.1/cb", "https://app.example.com/cb"]"#),
            "CIMD308",
        );
        assert_has(&run_with_redirects(r#"["http://127.0.0.1/cb"]"#), "CIMD310");
        assert_lacks(
            &run_with_redirects(r#"["http://127.0.0.1:33418/"]"#),
            "CIMD310",
        );
        assert_lacks(&run(BASE), "CIMD310");
        // https on a loopback host is loopback too; a name under `.localhost` is not.
        assert_has(
            &run_with_redirects(r#"["https://127.0.0.1/cb"]"#),
            "CIMD310",
        );
        let sub = run_with_redirects(r#"["http://app.localhost:3000/cb"]"#);
        assert_lacks(&sub, "CIMD307");
        assert_has(&sub, "CIMD304");
    }
}
