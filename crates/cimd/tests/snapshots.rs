//! Snapshots of the rendered text output (what `cimd validate` prints without colour) for
//! representative conformance cases, taken from the corpus by name. Review a change with
//! `cargo insta review`; create missing snapshots with `INSTA_UPDATE=always`.

mod support;

/// The cases whose rendering is pinned, one snapshot each (`snapshots/snapshots__<name>.snap`).
const CASES: &[&str] = &[
    // A clean real document: the verdict and the details, no frames.
    "real-vscode",
    // A real document with warnings and infos.
    "real-claude-code",
    // client_id near miss: the message names the difference, the frame points at the value.
    "mismatch-trailing-slash",
    // A secret in the document (the peers' invalid_has_client_secret.json).
    "client-secret-present",
    // FastMCP's wildcard loopback redirect: four findings on one string.
    "redirect-uri-wildcard-port-localhost",
    // A syntax error at the very end of the input: a zero-width span still gets a caret.
    "json-truncated-at-end-of-input",
    // The byte order mark: three invisible bytes at offset 0.
    "json-bom-then-document",
    // A duplicate written with an escape, and the mismatch it causes.
    "json-duplicate-via-escape-last-is-wrong",
    // A fetched redirect: unpositioned, the Location in the message.
    "fetch-redirect-301-trailing-slash",
    // A fetched document served as text/plain.
    "fetch-text-plain",
    // A fetched body over the cap, cut off by the host.
    "fetch-too-large-truncated",
    // A portless loopback redirect, the only redirect URI.
    "redirect-uri-loopback-portless",
    // A custom scheme under the ietf profile: a warning, so valid.
    "redirect-uri-custom-scheme-ietf-no-dot",
    // A fetch that produced no response.
    "failure-timeout",
];

#[test]
fn rendered_reports() {
    let cases = support::load();
    for name in CASES {
        let case = support::find(&cases, name);
        let report = case.run();
        let text = case.text();
        let rendered = cimd::render(
            &report,
            text.as_deref(),
            &cimd::RenderOptions {
                path: Some((*name).to_owned()),
                ..Default::default()
            },
        );
        insta::with_settings!({
            description => case.description.as_str(),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(*name, rendered);
        });
    }
}
