//! `scope` follows RFC 6749 §3.3: scope tokens of NQCHAR separated by single spaces.

use super::{Cx, Doc};
use crate::codes::declare_code;

declare_code! {
    /// ## What it checks
    /// That `scope` is a space-separated list of scope tokens (RFC 6749 §3.3): no leading,
    /// trailing or double spaces, no `"` or `\`, no control or non-ASCII characters, and not empty.
    ///
    /// ## Why
    /// RFC 7591 §2 defines `scope` as a string of space-separated scope values; servers split it
    /// on single spaces, so a comma-separated or padded list registers scopes nobody asked for.
    ///
    /// ## Example
    /// ```json
    /// {"scope": "read  write "}
    /// ```
    pub(crate) static SCOPE_INVALID = "CIMD414" "scope-invalid" {
        mcp: Error, ietf: Error,
        spec: "RFC 7591 §2; RFC 6749 §3.3",
        title: "scope is not a valid space-separated list of scope tokens",
        help: "separate scope tokens with single spaces, e.g. \"read write\"",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let Some(scope) = doc.string("scope") else {
        return;
    };
    let value = scope.value;
    let node = scope.node;
    if value.is_empty() {
        cx.report_help(
            &SCOPE_INVALID,
            "`scope` is empty",
            "remove `scope` or list the scopes",
            "/scope",
            node.span,
        );
        return;
    }
    if value.starts_with(' ') || value.ends_with(' ') || value.contains("  ") {
        cx.report(
            &SCOPE_INVALID,
            "`scope` has leading, trailing or repeated spaces",
            "/scope",
            node.span,
        );
    }
    if let Some((i, c)) = value
        .char_indices()
        .find(|&(_, c)| c != ' ' && !matches!(c, '\x21' | '\x23'..='\x5b' | '\x5d'..='\x7e'))
    {
        let span = cx.string_span(node, i..i + c.len_utf8());
        cx.report(
            &SCOPE_INVALID,
            format!(
                "`scope` contains `{}`, which a scope token cannot hold",
                c.escape_default()
            ),
            "/scope",
            span,
        );
    }
    if value.contains(',') {
        let span = node.span;
        cx.report_help(
            &SCOPE_INVALID,
            "`scope` contains a comma: scopes are separated by spaces, so this is one scope with a comma in it",
            format!("write \"{}\"", value.split(',').map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")),
            "/scope",
            span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn scopes() {
        assert_has(&run(&with("scope", Some("\"\""))), "CIMD414");
        assert_has(&run(&with("scope", Some("\"read  write\""))), "CIMD414");
        assert_has(&run(&with("scope", Some("\"read,write\""))), "CIMD414");
        assert_has(&run(&with("scope", Some("\"lecture\\\\\""))), "CIMD414");
        assert_lacks(
            &run(&with("scope", Some("\"openid profile mcp:tools\""))),
            "CIMD414",
        );
    }
}
