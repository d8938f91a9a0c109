//! The report as JSON text for `JSON.parse` on the JavaScript side.

use cimd::Report;

/// The report as compact JSON: the same members and values as `cimd validate --format json`.
pub fn report_json(report: &Report) -> String {
    serde_json::to_string(report).expect("a report always serializes")
}
