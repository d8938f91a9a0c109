//! Extension grants in `grant_types` (RFC 7591 §2 allows them; servers differ on what they do
//! with one they do not support).

use super::{Cx, Doc, ItemPtr};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// Whether `grant_types` lists an extension grant: a grant type named by an absolute URI, such
    /// as `urn:ietf:params:oauth:grant-type:device_code` (VS Code, MCPJam, the LFX CLI) or
    /// `urn:ietf:params:oauth:grant-type:jwt-bearer` (claude.ai).
    ///
    /// ## Why
    /// RFC 7591 §2 allows any grant type, and the draft says nothing about ones the server does not
    /// support. Servers split: atproto accepts only `authorization_code` and `refresh_token` and
    /// refuses the whole document; Keycloak setups, better-auth, django-oauth-toolkit and ToolHive
    /// were reported to refuse documents listing a grant they do not support (so were VS Code's and
    /// claude.ai's documents); Cloudflare's workers-oauth-provider drops the grants it does not
    /// support and goes on. The grant is valid; the document is less portable with it
    /// (docs/decisions.md#grant-types).
    ///
    /// ## Example
    /// ```json
    /// {"grant_types": ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"]}
    /// ```
    pub(crate) static GRANT_TYPE_EXTENSION = "CIMD419" "grant-type-extension" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 7591 §2",
        title: "an extension grant type some servers refuse",
        help: "keep it only if the servers you sign in to support it; for the widest acceptance list only authorization_code and refresh_token",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    for (i, g) in doc.grant_types.iter().flatten() {
        // An extension grant is an absolute URI (RFC 6749 §4.5); registered names have no colon.
        if g.value.contains(':') {
            cx.report(
                &GRANT_TYPE_EXTENSION,
                format!(
                    "`{}` is an extension grant: atproto refuses a document that lists it, as \
                     servers that refuse unsupported grants do (Keycloak setups, better-auth, \
                     django-oauth-toolkit, ToolHive); Cloudflare's workers-oauth-provider ignores it",
                    g.value
                ),
                ItemPtr("grant_types", *i),
                g.node.span,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn extension_grants() {
        let vscode = r#"{"client_id":"https://vscode.dev/oauth/client-metadata.json","client_name":"VS Code","redirect_uris":["https://vscode.dev/redirect"],"token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:device_code"]}"#;
        assert_has(&run(vscode), "CIMD419");
        assert_lacks(
            &run(&vscode.replace(r#","urn:ietf:params:oauth:grant-type:device_code""#, "")),
            "CIMD419",
        );
        assert_lacks(&run(BASE), "CIMD419");
    }
}
