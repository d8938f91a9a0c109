//! The rules: one file per rule, each declaring its codes beside the check.

use crate::Options;
use crate::codes::Code;
use crate::report::{Diagnostic, FetchInfo, Report};

/// The codes declared by the document rules (the fetch codes live in `fetch.rs`).
pub(crate) static CODES: &[&Code] = &[];

/// Parses and checks a document; `fetch` is set when the bytes are a fetched body.
pub(crate) fn validate_document(bytes: &[u8], options: &Options, fetch: Option<FetchInfo>) -> Report {
    let fetched = fetch.is_some();
    let (diagnostics, document) = check_document(bytes, options, fetched);
    Report::finish(diagnostics, std::str::from_utf8(bytes).ok(), options, document, fetch)
}

/// The document rules alone: diagnostics (spans into `bytes`) and the parsed document, if any.
/// `fetched` says the bytes came from a fetch (size limits are then the fetch rules' business).
pub(crate) fn check_document(
    bytes: &[u8],
    options: &Options,
    fetched: bool,
) -> (Vec<Diagnostic>, Option<serde_json::Value>) {
    let _ = (options, fetched);
    let parsed = crate::json::parse(bytes);
    let document = parsed.root.as_ref().map(crate::json::Node::to_serde);
    (Vec::new(), document)
}
