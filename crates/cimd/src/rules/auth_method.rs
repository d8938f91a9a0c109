//! `token_endpoint_auth_method`: present, and never a shared-secret method (-03 §4.1;
//! docs/decisions.md#auth-method).

use super::{Cx, Doc};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// That `token_endpoint_auth_method` is present.
    ///
    /// ## Why
    /// RFC 7591 §2: when it is omitted the default is `client_secret_basic`, a shared-secret method
    /// that -03 §4.1 forbids for CIMD clients. FastMCP and others default to `none` instead, atproto
    /// rejects the document: say it explicitly (docs/decisions.md#auth-method).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com/client.json", "client_name": "App", "redirect_uris": ["http://127.0.0.1/cb"]}
    /// ```
    pub(crate) static AUTH_METHOD_MISSING = "CIMD200" "auth-method-missing" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4.1; RFC 7591 §2",
        title: "token_endpoint_auth_method is missing (RFC 7591 defaults it to client_secret_basic)",
        help: "add \"token_endpoint_auth_method\": \"none\" (or \"private_key_jwt\" with jwks_uri)",
    }
}

declare_code! {
    /// ## What it checks
    /// That `token_endpoint_auth_method` is not a shared-secret method: `client_secret_basic`,
    /// `client_secret_post` or `client_secret_jwt`.
    ///
    /// ## Why
    /// -03 §4.1: a CIMD document is public, so it MUST NOT use an authentication method based on a
    /// shared symmetric secret; there is no way to deliver the secret.
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_method": "client_secret_basic"}
    /// ```
    pub(crate) static AUTH_METHOD_SHARED_SECRET = "CIMD201" "auth-method-shared-secret" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4.1",
        title: "token_endpoint_auth_method uses a shared secret",
        help: "use \"none\" (public client with PKCE) or \"private_key_jwt\" with a jwks_uri",
    }
}

declare_code! {
    /// ## What it checks
    /// Flags `tls_client_auth` and `self_signed_tls_client_auth` (RFC 8705).
    ///
    /// ## Why
    /// The draft does not forbid mutual-TLS methods, but few CIMD servers accept them: FastMCP,
    /// atproto and cerberauth take only `none` and `private_key_jwt`, cimd-mcp-reference only `none`
    /// so cimd warns (docs/decisions.md#auth-method).
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_method": "tls_client_auth"}
    /// ```
    pub(crate) static AUTH_METHOD_UNCOMMON = "CIMD208" "auth-method-uncommon" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4.1; RFC 8705 §2",
        title: "token_endpoint_auth_method is one few servers accept",
        help: "prefer \"none\" or \"private_key_jwt\" unless your servers document mTLS support",
    }
}

declare_code! {
    /// ## What it checks
    /// That `token_endpoint_auth_method` is a registered method (IANA "OAuth Token Endpoint
    /// Authentication Methods").
    ///
    /// ## Why
    /// RFC 7591 §2: servers reject unsupported methods with `invalid_client_metadata`. A typo such
    /// as `"None"` or `"private-key-jwt"` makes the document unusable.
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_method": "None"}
    /// ```
    pub(crate) static AUTH_METHOD_UNKNOWN = "CIMD209" "auth-method-unknown" {
        mcp: Error, ietf: Error,
        spec: "RFC 7591 §2",
        title: "token_endpoint_auth_method is not a registered method",
        help: "use \"none\" or \"private_key_jwt\"",
    }
}

const SHARED_SECRET: &[&str] = &[
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
];
const UNCOMMON: &[&str] = &["tls_client_auth", "self_signed_tls_client_auth"];
const ACCEPTED: &[&str] = &["none", "private_key_jwt"];

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    if doc.member("token_endpoint_auth_method").is_none() {
        cx.report(
            &AUTH_METHOD_MISSING,
            "token_endpoint_auth_method is missing; RFC 7591 then means client_secret_basic, which a CIMD client cannot use",
            "",
            doc.missing_span(),
        );
        return;
    }
    let Some(method) = doc.string("token_endpoint_auth_method") else {
        return;
    };
    let ptr = "/token_endpoint_auth_method";
    let span = method.node.span;
    let value = method.value;
    if SHARED_SECRET.contains(&value) {
        cx.report(
            &AUTH_METHOD_SHARED_SECRET,
            [
                "`",
                value,
                "` needs a shared secret, which a public metadata document cannot carry",
            ]
            .concat(),
            ptr,
            span,
        );
    } else if UNCOMMON.contains(&value) {
        cx.report(
            &AUTH_METHOD_UNCOMMON,
            format!("`{value}` (mutual TLS) is accepted by few CIMD servers"),
            ptr,
            span,
        );
    } else if !ACCEPTED.contains(&value) {
        let help = match value.to_ascii_lowercase().replace('-', "_").as_str() {
            m if ACCEPTED.contains(&m) => format!("write \"{m}\" (methods are case-sensitive)"),
            _ => AUTH_METHOD_UNKNOWN.help.to_owned(),
        };
        cx.report_help(
            &AUTH_METHOD_UNKNOWN,
            format!("`{value}` is not a registered token endpoint authentication method"),
            help,
            ptr,
            span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn methods() {
        assert_has(&run(&with("token_endpoint_auth_method", None)), "CIMD200");
        assert_has(
            &run(&with(
                "token_endpoint_auth_method",
                Some("\"client_secret_post\""),
            )),
            "CIMD201",
        );
        assert_has(
            &run(&with(
                "token_endpoint_auth_method",
                Some("\"tls_client_auth\""),
            )),
            "CIMD208",
        );
        let report = run(&with("token_endpoint_auth_method", Some("\"None\"")));
        assert_has(&report, "CIMD209");
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.help.contains("\"none\""))
        );
        for code in ["CIMD200", "CIMD201", "CIMD208", "CIMD209"] {
            assert_lacks(&run(BASE), code);
        }
    }
}
