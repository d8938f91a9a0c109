//! `token_endpoint_auth_methods_supported` (-03 §6, from OpenID Connect RP Metadata Choices 1.0):
//! a non-empty list of unique methods, no shared secret in it, the singular method among them, and
//! the shapes that servers reading only the singular get wrong; the same pairing for
//! `token_endpoint_auth_signing_alg` (docs/decisions.md#auth-methods-supported).

use super::auth_method::SHARED_SECRET;
use super::{Cx, Doc, ItemPtr, Str, Strings};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// That `token_endpoint_auth_methods_supported` lists at least one method and no method twice.
    /// (A value that is not an array of strings is CIMD014.)
    ///
    /// ## Why
    /// -03 §6 takes the member from OpenID Connect RP Metadata Choices 1.0: the methods the client
    /// can use, from which the server picks one. An empty list offers nothing to pick, and a
    /// duplicate says the list was not written with care (a server may refuse it as malformed).
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_methods_supported": []}
    /// ```
    pub(crate) static AUTH_METHODS_SUPPORTED_INVALID = "CIMD213" "auth-methods-supported-invalid" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §6; OpenID Connect RP Metadata Choices 1.0",
        title: "token_endpoint_auth_methods_supported is empty or lists a method twice",
        help: "list each method the client can use once, e.g. [\"none\"]",
    }
}

declare_code! {
    /// ## What it checks
    /// That `token_endpoint_auth_methods_supported` has no shared-secret method
    /// (`client_secret_basic`, `client_secret_post`, `client_secret_jwt`).
    ///
    /// ## Why
    /// -03 §4.1 and §6: the ban on shared-secret methods covers the list too. A CIMD document is
    /// public; there is no way to deliver the secret.
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_methods_supported": ["none", "client_secret_basic"]}
    /// ```
    pub(crate) static AUTH_METHODS_SUPPORTED_SHARED_SECRET = "CIMD214" "auth-methods-supported-shared-secret" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4.1, §6",
        title: "token_endpoint_auth_methods_supported lists a shared-secret method",
        help: "remove the client_secret_* methods; offer \"none\" or \"private_key_jwt\"",
    }
}

declare_code! {
    /// ## What it checks
    /// That, when both are present, `token_endpoint_auth_method` is one of
    /// `token_endpoint_auth_methods_supported`.
    ///
    /// ## Why
    /// -03 §6: when both members are present the singular value MUST be one of the list's.
    /// Cloudflare's workers-oauth-provider refuses a document that breaks it.
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_methods_supported": ["none"]}
    /// ```
    pub(crate) static AUTH_METHOD_NOT_IN_SUPPORTED = "CIMD215" "auth-method-not-in-supported" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §6",
        title: "token_endpoint_auth_method is not in token_endpoint_auth_methods_supported",
        help: "add the method to token_endpoint_auth_methods_supported, or change token_endpoint_auth_method to one listed there",
    }
}

declare_code! {
    /// ## What it checks
    /// Flags `token_endpoint_auth_methods_supported` without `token_endpoint_auth_method`.
    ///
    /// ## Why
    /// -03 §6 allows it (the server negotiates from the list and MUST NOT assume `none`) and
    /// RECOMMENDS both members. Servers written before -03 read only `token_endpoint_auth_method`
    /// and fall back to a default: atproto applies RFC 7591's `client_secret_basic` and refuses
    /// the document; FastMCP, giantswarm/mcp-oauth and cimd-mcp-reference assume `none`, whatever
    /// the list says (docs/decisions.md#auth-methods-supported).
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_methods_supported": ["private_key_jwt"], "jwks_uri": "https://app.example.com/jwks.json"}
    /// ```
    pub(crate) static AUTH_METHOD_ONLY_IN_SUPPORTED = "CIMD216" "auth-method-only-in-supported" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §6",
        title: "token_endpoint_auth_methods_supported without token_endpoint_auth_method",
        help: "add \"token_endpoint_auth_method\" with the method every server supports (usually \"none\")",
    }
}

declare_code! {
    /// ## What it checks
    /// Flags `"token_endpoint_auth_method": "private_key_jwt"` together with `none` in
    /// `token_endpoint_auth_methods_supported` (the shape ChatGPT's document uses).
    ///
    /// ## Why
    /// -03 §6 lets the server pick `none` from the list, but servers that read only the singular
    /// member see `private_key_jwt`, and those that do not support it refuse the client:
    /// cimd-mcp-reference accepts only `none`, and Cloudflare's workers-oauth-provider failed on
    /// this shape until it negotiated from the list (cloudflare/workers-oauth-provider#293, #295).
    /// The client can use `none` anyway, so putting it in the singular member loses nothing
    /// (docs/decisions.md#auth-methods-supported).
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"]}
    /// ```
    pub(crate) static AUTH_METHOD_PRIVATE_KEY_JWT_WITH_NONE = "CIMD217" "auth-method-private-key-jwt-with-none" {
        mcp: Warning, ietf: Warning,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §6",
        title: "private_key_jwt in token_endpoint_auth_method while none is also supported",
        help: "put the method every server supports in the singular: \"token_endpoint_auth_method\": \"none\", and keep \"private_key_jwt\" in the list",
    }
}

declare_code! {
    /// ## What it checks
    /// That, when both are present, `token_endpoint_auth_signing_alg` is one of
    /// `token_endpoint_auth_signing_alg_values_supported`.
    ///
    /// ## Why
    /// OpenID Connect RP Metadata Choices 1.0 adds the list beside the singular member, as -03 §6
    /// does for the method; a singular value outside its own list contradicts it. Cloudflare's
    /// workers-oauth-provider refuses such a document (docs/decisions.md#auth-methods-supported).
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_signing_alg": "RS256", "token_endpoint_auth_signing_alg_values_supported": ["ES256"]}
    /// ```
    pub(crate) static AUTH_SIGNING_ALG_NOT_IN_SUPPORTED = "CIMD218" "auth-signing-alg-not-in-supported" {
        mcp: Error, ietf: Error,
        spec: "OpenID Connect RP Metadata Choices 1.0; draft-ietf-oauth-client-id-metadata-document-03 §6",
        title: "token_endpoint_auth_signing_alg is not in token_endpoint_auth_signing_alg_values_supported",
        help: "add the algorithm to the list, or change token_endpoint_auth_signing_alg to one listed there",
    }
}

const METHODS: &str = "token_endpoint_auth_methods_supported";
const ALGS: &str = "token_endpoint_auth_signing_alg_values_supported";

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    if let Some(list) = doc.strings(METHODS) {
        check_methods(doc, &list, cx);
    }
    if let (Some(alg), Some(list)) = (
        doc.string("token_endpoint_auth_signing_alg"),
        doc.strings(ALGS),
    ) && !list.is_empty()
        && !list.iter().any(|(_, s)| s.value == alg.value)
    {
        cx.report(
            &AUTH_SIGNING_ALG_NOT_IN_SUPPORTED,
            format!("`{}` is not in `{ALGS}`", alg.value),
            "/token_endpoint_auth_signing_alg",
            alg.node.span,
        );
    }
}

fn check_methods(doc: &Doc<'_, '_>, list: &Strings<'_, '_>, cx: &mut Cx<'_>) {
    let member = doc.member(METHODS);
    if list.is_empty() {
        // Only an empty array: items that are not strings are type errors (members).
        if let Some(m) = member
            && matches!(&m.value.value, crate::json::Value::Array(items) if items.is_empty())
        {
            cx.report(
                &AUTH_METHODS_SUPPORTED_INVALID,
                format!("`{METHODS}` is empty: it offers no method"),
                "/token_endpoint_auth_methods_supported",
                m.value.span,
            );
        }
        return;
    }
    for (n, (index, item)) in list.iter().enumerate() {
        if list[..n]
            .iter()
            .any(|(_, earlier)| earlier.value == item.value)
        {
            cx.report(
                &AUTH_METHODS_SUPPORTED_INVALID,
                format!("`{}` is listed twice in `{METHODS}`", item.value),
                ItemPtr(METHODS, *index),
                item.node.span,
            );
        }
        if SHARED_SECRET.contains(&item.value) {
            cx.report(
                &AUTH_METHODS_SUPPORTED_SHARED_SECRET,
                format!(
                    "`{}` needs a shared secret, which a public metadata document cannot carry",
                    item.value
                ),
                ItemPtr(METHODS, *index),
                item.node.span,
            );
        }
    }
    let has = |method: &str| list.iter().any(|(_, s)| s.value == method);
    let Some(single) = doc.string("token_endpoint_auth_method") else {
        if doc.member("token_endpoint_auth_method").is_none() {
            let span = member.map_or_else(|| doc.missing_span(), |m| m.name_span);
            cx.report(
                &AUTH_METHOD_ONLY_IN_SUPPORTED,
                format!(
                    "`{METHODS}` without `token_endpoint_auth_method`: servers that read only the singular fall back to a default (atproto refuses the document; FastMCP, giantswarm/mcp-oauth and cimd-mcp-reference assume `none`)"
                ),
                "/token_endpoint_auth_methods_supported",
                span,
            );
        }
        return;
    };
    if !has(single.value) {
        cx.report(
            &AUTH_METHOD_NOT_IN_SUPPORTED,
            format!("`{}` is not in `{METHODS}`", single.value),
            "/token_endpoint_auth_method",
            single.node.span,
        );
    } else if single.value == "private_key_jwt" && has("none") {
        report_private_key_jwt_with_none(single, cx);
    }
}

fn report_private_key_jwt_with_none(single: Str<'_, '_>, cx: &mut Cx<'_>) {
    cx.report(
        &AUTH_METHOD_PRIVATE_KEY_JWT_WITH_NONE,
        "`private_key_jwt` in the singular while `none` is also supported: servers that read only `token_endpoint_auth_method` and do not support `private_key_jwt` refuse the client (cimd-mcp-reference)",
        "/token_endpoint_auth_method",
        single.node.span,
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    const METHODS: &str = "token_endpoint_auth_methods_supported";
    const JWKS_URI: (&str, Option<&str>) =
        ("jwks_uri", Some("\"https://app.example.com/jwks.json\""));

    #[test]
    fn list_shape() {
        assert_has(&run(&with(METHODS, Some("[]"))), "CIMD213");
        assert_has(&run(&with(METHODS, Some(r#"["none","none"]"#))), "CIMD213");
        let fine = run(&with(METHODS, Some(r#"["none"]"#)));
        for code in [
            "CIMD012", "CIMD213", "CIMD214", "CIMD215", "CIMD216", "CIMD217",
        ] {
            assert_lacks(&fine, code);
        }
        assert!(fine.valid);
        assert_has(&run(&with(METHODS, Some("\"none\""))), "CIMD014");
    }

    #[test]
    fn shared_secret_in_the_list() {
        assert_has(
            &run(&with(METHODS, Some(r#"["none","client_secret_post"]"#))),
            "CIMD214",
        );
        assert_lacks(
            &run(&with(METHODS, Some(r#"["none","private_key_jwt"]"#))),
            "CIMD214",
        );
    }

    #[test]
    fn singular_and_list() {
        assert_has(
            &run(&with(METHODS, Some(r#"["private_key_jwt"]"#))),
            "CIMD215",
        );
        let only_list = run(&with_all(&[
            ("token_endpoint_auth_method", None),
            (METHODS, Some(r#"["private_key_jwt"]"#)),
            JWKS_URI,
        ]));
        assert_has(&only_list, "CIMD216");
        assert_lacks(&only_list, "CIMD212");
        let chatgpt = run(&with_all(&[
            ("token_endpoint_auth_method", Some("\"private_key_jwt\"")),
            (METHODS, Some(r#"["none","private_key_jwt"]"#)),
            JWKS_URI,
        ]));
        assert_has(&chatgpt, "CIMD217");
        assert!(chatgpt.valid);
        assert_lacks(
            &run(&with_all(&[
                ("token_endpoint_auth_method", Some("\"private_key_jwt\"")),
                (METHODS, Some(r#"["private_key_jwt"]"#)),
                JWKS_URI,
            ])),
            "CIMD217",
        );
    }

    #[test]
    fn signing_alg_pairing() {
        let alg = ("token_endpoint_auth_signing_alg", Some("\"RS256\""));
        assert_has(
            &run(&with_all(&[
                alg,
                (
                    "token_endpoint_auth_signing_alg_values_supported",
                    Some(r#"["ES256"]"#),
                ),
            ])),
            "CIMD218",
        );
        let fine = run(&with_all(&[
            alg,
            (
                "token_endpoint_auth_signing_alg_values_supported",
                Some(r#"["ES256","RS256"]"#),
            ),
        ]));
        assert_lacks(&fine, "CIMD218");
        assert_lacks(&fine, "CIMD012");
    }
}
