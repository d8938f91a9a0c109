//! `token_endpoint_auth_method`: stated (-03 §6), and never a shared-secret method (-03 §4.1, §6;
//! docs/decisions.md#auth-method).

use super::{Cx, Doc};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// That `token_endpoint_auth_method` is present.
    ///
    /// ## Why
    /// RFC 7591 §2: when it is omitted the default is `client_secret_basic`, a shared-secret method
    /// that the draft forbids for CIMD clients. Draft -03 §6 sets that default aside: a document
    /// without a method means `none`, so a missing method is no longer an error; CIMD212 tells
    /// which servers still apply RFC 7591's default (docs/decisions.md#auth-method).
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
        retired: "replaced by CIMD212 (a warning): draft -03 §6 reads a document without a method as `none`",
    }
}

declare_code! {
    /// ## What it checks
    /// That the document says how the client authenticates: `token_endpoint_auth_method`,
    /// `token_endpoint_auth_methods_supported`, or both.
    ///
    /// ## Why
    /// -03 §6: with neither member the method is `none`, and the server MUST ignore RFC 7591's
    /// default (`client_secret_basic`). Not every server has caught up: atproto still applies
    /// RFC 7591's default and refuses the document, since a CIMD client cannot use a shared
    /// secret. FastMCP, Cloudflare's workers-oauth-provider, Keycloak and cimd-mcp-reference
    /// read it as `none`. Stating the method makes every server read the same one
    /// (docs/decisions.md#auth-method).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example.com/client.json", "client_name": "App", "redirect_uris": ["http://127.0.0.1/cb"]}
    /// ```
    pub(crate) static AUTH_METHOD_OMITTED = "CIMD212" "auth-method-omitted" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §6; RFC 7591 §2",
        title: "no token endpoint authentication method: -03 reads none, some servers refuse",
        help: "add \"token_endpoint_auth_method\": \"none\" and \"token_endpoint_auth_methods_supported\": [\"none\"]",
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

/// The shared-secret methods -03 §4.1 and §6 forbid, wherever a document names a method.
pub(super) const SHARED_SECRET: &[&str] = &[
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
];
const UNCOMMON: &[&str] = &["tls_client_auth", "self_signed_tls_client_auth"];
const ACCEPTED: &[&str] = &["none", "private_key_jwt"];

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    if doc.member("token_endpoint_auth_method").is_none() {
        if doc
            .member("token_endpoint_auth_methods_supported")
            .is_none()
        {
            cx.report(
                &AUTH_METHOD_OMITTED,
                "no token_endpoint_auth_method: draft -03 §6 means `none`, but atproto applies RFC 7591's default (client_secret_basic) and refuses the document",
                "",
                doc.missing_span(),
            );
        }
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
        let omitted = run(&with("token_endpoint_auth_method", None));
        assert_has(&omitted, "CIMD212");
        assert_lacks(&omitted, "CIMD200");
        assert!(omitted.valid, "-03 §6: a missing method means none");
        assert_lacks(
            &run(&with_all(&[
                ("token_endpoint_auth_method", None),
                ("token_endpoint_auth_methods_supported", Some("[\"none\"]")),
            ])),
            "CIMD212",
        );
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
        for code in ["CIMD200", "CIMD201", "CIMD208", "CIMD209", "CIMD212"] {
            assert_lacks(&run(BASE), code);
        }
    }
}
