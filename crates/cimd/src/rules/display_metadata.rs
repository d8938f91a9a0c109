//! Display metadata users see on the consent screen: `client_uri` and `logo_uri` (RFC 7591 §2).

use super::{Cx, Doc};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// Whether the document has a `client_uri` (the app's home page).
    ///
    /// ## Why
    /// RFC 7591 §2: `client_uri` is RECOMMENDED and servers SHOULD show it as a link, so users can
    /// tell who they are authorizing (-03 §9.5).
    ///
    /// ## Example
    /// A document with only client_id, client_name and redirect_uris.
    pub(crate) static CLIENT_URI_MISSING = "CIMD407" "client-uri-missing" {
        mcp: Info, ietf: Info,
        spec: "RFC 7591 §2",
        title: "no client_uri: the consent screen has no link to the app",
        help: "add \"client_uri\": \"https://your-app.example\"",
    }
}

declare_code! {
    /// ## What it checks
    /// Whether the document has a `logo_uri`.
    ///
    /// ## Why
    /// RFC 7591 §2: servers SHOULD display the logo; users recognize a logo faster than a URL
    /// (microsoft/vscode#298300 and claude-code#44388 asked for one).
    ///
    /// ## Example
    /// A document without `logo_uri`.
    pub(crate) static LOGO_URI_MISSING = "CIMD408" "logo-uri-missing" {
        mcp: Info, ietf: Info,
        spec: "RFC 7591 §2",
        title: "no logo_uri: the consent screen shows no logo",
        help: "add \"logo_uri\" with an https URL of a square PNG or SVG",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    // Without language tags, the member index answers; with them, `logo_uri#ja` counts too.
    let has = |name: &str| {
        if doc.tagged {
            doc.members
                .iter()
                .any(|m| super::base_name(&m.name) == name)
        } else {
            doc.member(name).is_some()
        }
    };
    if !has("client_uri") {
        cx.report(
            &CLIENT_URI_MISSING,
            "the document has no `client_uri`; the consent screen cannot link to the app",
            "",
            doc.missing_span(),
        );
    }
    if !has("logo_uri") {
        cx.report(
            &LOGO_URI_MISSING,
            "the document has no `logo_uri`; the consent screen shows no logo",
            "",
            doc.missing_span(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn display() {
        assert_has(&run(&with("client_uri", None)), "CIMD407");
        assert_has(&run(&with("logo_uri", None)), "CIMD408");
        assert_lacks(&run(BASE), "CIMD407");
        assert_lacks(&run(BASE), "CIMD408");
    }

    #[test]
    fn a_localized_variant_alone_counts() {
        let logo = with("logo_uri", None).replacen(
            '{',
            r#"{"logo_uri#ja": "https://app.example.com/logo-ja.png","#,
            1,
        );
        assert_lacks(&run(&logo), "CIMD408");
        let client = with("client_uri", None).replacen(
            '{',
            r#"{"client_uri#fr": "https://app.example.com/fr","#,
            1,
        );
        assert_lacks(&run(&client), "CIMD407");
    }
}
