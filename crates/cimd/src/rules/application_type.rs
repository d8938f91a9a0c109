//! `application_type` (OpenID Connect Dynamic Client Registration §2): `web` or `native`, and
//! `native` for clients that redirect to loopback or a private-use scheme.

use super::{Cx, Doc, Loopback, Web};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// That `application_type`, when present, is `"web"` or `"native"`.
    ///
    /// ## Why
    /// OpenID Connect Dynamic Client Registration §2 defines only these two values; servers that
    /// read it reject others.
    ///
    /// ## Example
    /// ```json
    /// {"application_type": "desktop"}
    /// ```
    pub(crate) static APPLICATION_TYPE_INVALID = "CIMD415" "application-type-invalid" {
        mcp: Error, ietf: Error,
        spec: "OpenID Connect Dynamic Client Registration 1.0 §2",
        title: "application_type is neither web nor native",
        help: "use \"native\" for desktop, CLI and mobile apps, \"web\" for hosted apps",
    }
}

declare_code! {
    /// ## What it checks
    /// Clients whose redirect URIs are loopback or private-use schemes (native apps) but whose
    /// `application_type` is missing or `web`.
    ///
    /// ## Why
    /// OpenID Connect servers default `application_type` to `web` and then refuse loopback and
    /// custom-scheme redirects; Auth0 asked MCP clients to set `native` (claude-code#37747,
    /// oauth-wg issue #75). VS Code's document sets it.
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": ["http://127.0.0.1/callback"]}
    /// ```
    pub(crate) static APPLICATION_TYPE_NOT_NATIVE = "CIMD416" "application-type-not-native" {
        mcp: Info, ietf: Info,
        spec: "OpenID Connect Dynamic Client Registration 1.0 §2; RFC 8252 §8.1",
        title: "a native client without application_type \"native\"",
        help: "add \"application_type\": \"native\"",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let declared = doc.string("application_type");
    if let Some(t) = declared
        && !matches!(t.value, "web" | "native")
    {
        cx.report(
            &APPLICATION_TYPE_INVALID,
            format!(
                "`application_type` is `{}`; only \"web\" and \"native\" exist",
                t.value
            ),
            "/application_type",
            t.node.span,
        );
        return;
    }
    if declared.is_some_and(|t| t.value == "native")
        || (declared.is_none() && doc.member("application_type").is_some())
    {
        return;
    }
    let Some(uris) = &doc.redirect_uris else {
        return;
    };
    let native = uris.iter().any(|r| {
        let uri = &r.uri;
        if r.web == Web::Http {
            return r.loopback != Loopback::No;
        }
        if r.web == Web::Https {
            return false;
        }
        match uri.scheme() {
            // Script and file schemes are no app's redirect (CIMD305 reports them).
            Some(s) => !["https", "javascript", "data", "vbscript", "file"]
                .iter()
                .any(|d| s.eq_ignore_ascii_case(d)),
            None => false,
        }
    });
    if native {
        match declared {
            Some(t) => cx.report(
                &APPLICATION_TYPE_NOT_NATIVE,
                "`application_type` is \"web\" but the redirect URIs are a native app's (loopback or private-use scheme)",
                "/application_type",
                t.node.span,
            ),
            None => cx.report(
                &APPLICATION_TYPE_NOT_NATIVE,
                "the redirect URIs are a native app's, but `application_type` is missing (OpenID servers assume \"web\")",
                "",
                doc.missing_span(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn application_type() {
        assert_has(
            &run(&with("application_type", Some("\"desktop\""))),
            "CIMD415",
        );
        let loopback = with("redirect_uris", Some(r#"["http://127.0.0.1/cb"]"#));
        assert_has(&run(&loopback), "CIMD416");
        let mut v: serde_json::Value = serde_json::from_str(&loopback).unwrap();
        v["application_type"] = "native".into();
        assert_lacks(&run(&v.to_string()), "CIMD416");
        assert_lacks(&run(BASE), "CIMD416");
    }
}
