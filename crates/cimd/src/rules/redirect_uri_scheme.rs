//! Redirect URI schemes: https, http only on loopback, never script or file schemes, custom schemes
//! per profile (MCP §11.3; RFC 8252 §7.1; docs/decisions.md#redirect-schemes).

use super::{Cx, Doc, ItemPtr, Loopback, Web};
use crate::codes::declare_code;
use crate::report::Profile;

declare_code! {
    /// ## What it checks
    /// That an `http` redirect URI points at a loopback host: `localhost` (any case), an IPv4
    /// literal in 127.0.0.0/8, or `[::1]`. Names under `.localhost` and other spellings of an
    /// address (`0x7f.1`, `[::ffff:127.0.0.1]`) are not loopback here
    /// (docs/decisions.md#loopback-hosts).
    ///
    /// ## Why
    /// MCP §11.3: all redirect URIs MUST be either localhost or use HTTPS (OAuth 2.1 §1.5). An
    /// authorization code sent over plain http to a remote host can be intercepted. Under the `ietf`
    /// profile a warning (RFC 6749 §3.1.2.1 only says SHOULD use TLS).
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["http://app.example.com/callback"]}
    /// ```
    pub(crate) static REDIRECT_URI_HTTP_NOT_LOOPBACK = "CIMD304" "redirect-uri-http-not-loopback" {
        mcp: Error, ietf: Warning,
        spec: "MCP 2026-07-28 Security Considerations (Communication Security); RFC 6749 §3.1.2.1",
        title: "an http redirect URI is not on a loopback host",
        help: "use https for remote hosts; plain http is only for http://127.0.0.1 or http://[::1]",
    }
}

declare_code! {
    /// ## What it checks
    /// That no redirect URI uses `javascript:`, `data:`, `vbscript:` or `file:`.
    ///
    /// ## Why
    /// MCP §11.5: servers MUST take precautions against redirecting to untrusted URIs; these
    /// schemes run script or read local files in the browser, and every SDK refuses them
    /// (docs/decisions.md#redirect-schemes).
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["javascript:alert(document.cookie)"]}
    /// ```
    pub(crate) static REDIRECT_URI_DANGEROUS_SCHEME = "CIMD305" "redirect-uri-dangerous-scheme" {
        mcp: Error, ietf: Error,
        spec: "MCP 2026-07-28 Security Considerations (Open Redirection); draft-ietf-oauth-client-id-metadata-document-03 §9.6",
        title: "a redirect URI uses a script or file scheme",
        help: "use an https or loopback http redirect URI",
    }
}

declare_code! {
    /// ## What it checks
    /// Private-use (custom) schemes such as `cursor://` or `com.example.app:/cb`. Under `mcp` they
    /// are errors; under `ietf` a reverse-domain scheme with a dot is fine and others are warnings.
    ///
    /// ## Why
    /// MCP §11.3 allows only localhost or https redirect URIs. RFC 8252 §7.1 allows private-use
    /// schemes for native apps but requires reverse-domain names (with a `.`) under the app's
    /// control, and §8.4 says schemes without a dot SHOULD be rejected
    /// (docs/decisions.md#redirect-schemes).
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["myapp://callback"]}
    /// ```
    pub(crate) static REDIRECT_URI_CUSTOM_SCHEME = "CIMD306" "redirect-uri-custom-scheme" {
        mcp: Error, ietf: Warning,
        spec: "MCP 2026-07-28 Security Considerations (Communication Security); RFC 8252 §7.1, §8.4",
        title: "a redirect URI uses a private-use scheme",
        help: "use a loopback redirect (http://127.0.0.1/callback) or an https URI; under the IETF profile a reverse-domain scheme (com.example.app:/cb)",
    }
}

const DANGEROUS: &[&str] = &["javascript", "data", "vbscript", "file"];

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let Some(uris) = &doc.redirect_uris else {
        return;
    };
    for r in uris {
        let (item, uri) = (&r.item, &r.uri);
        if r.web == Web::Https {
            continue;
        }
        let Some(raw_scheme) = uri.scheme() else {
            continue;
        };
        let ptr = ItemPtr("redirect_uris", r.index);
        let span = cx.string_span(item.node, uri.scheme_range().unwrap_or_default());
        // Lower-cased (an allocation) only for the rare schemes that are neither https nor http.
        let scheme = if r.web == Web::Http {
            std::borrow::Cow::Borrowed("http")
        } else {
            std::borrow::Cow::Owned(raw_scheme.to_ascii_lowercase())
        };
        match scheme.as_ref() {
            "https" => {}
            "http" => {
                let host = uri.host().unwrap_or("");
                if r.loopback == Loopback::No {
                    let span = uri
                        .host_range()
                        .map_or(span, |r| cx.string_span(item.node, r));
                    cx.report(
                        &REDIRECT_URI_HTTP_NOT_LOOPBACK,
                        format!(
                            "`{}` uses plain http on `{host}`, which is not a loopback host",
                            item.value
                        ),
                        ptr,
                        span,
                    );
                }
            }
            s if DANGEROUS.contains(&s) => {
                cx.report(
                    &REDIRECT_URI_DANGEROUS_SCHEME,
                    format!("`{s}:` redirect URIs are never allowed"),
                    ptr,
                    span,
                );
            }
            s => {
                let reverse_domain = s.contains('.');
                match cx.profile() {
                    Profile::Mcp => cx.report(
                        &REDIRECT_URI_CUSTOM_SCHEME,
                        format!("`{s}:` is a private-use scheme; MCP allows only localhost or https redirect URIs"),
                        ptr,
                        span,
                    ),
                    Profile::Ietf if !reverse_domain => cx.report(
                        &REDIRECT_URI_CUSTOM_SCHEME,
                        format!("`{s}:` is a private-use scheme without a dot; RFC 8252 wants a reverse-domain name (com.example.app)"),
                        ptr,
                        span,
                    ),
                    Profile::Ietf => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Profile;
    use crate::rules::test_support::*;

    #[test]
    fn schemes() {
        assert_has(
            &run_with_redirects_under(r#"["http://app.example.com/cb"]"#, Profile::Mcp),
            "CIMD304",
        );
        assert_lacks(
            &run_with_redirects_under(r#"["http://127.0.0.1:3000/cb"]"#, Profile::Mcp),
            "CIMD304",
        );
        assert_lacks(
            &run_with_redirects_under(r#"["http://[::1]/cb"]"#, Profile::Mcp),
            "CIMD304",
        );
        assert_has(
            &run_with_redirects_under(r#"["javascript:alert(1)"]"#, Profile::Ietf),
            "CIMD305",
        );
        assert_has(
            &run_with_redirects_under(
                r#"["cursor://anysphere.cursor-mcp/oauth/callback"]"#,
                Profile::Mcp,
            ),
            "CIMD306",
        );
        assert_has(
            &run_with_redirects_under(r#"["myapp://cb"]"#, Profile::Ietf),
            "CIMD306",
        );
        assert_lacks(
            &run_with_redirects_under(r#"["com.example.app:/cb"]"#, Profile::Ietf),
            "CIMD306",
        );
        let report = run_with_redirects_under(r#"["myapp://cb"]"#, Profile::Ietf);
        assert!(report.valid, "a warning under ietf");
    }
}
