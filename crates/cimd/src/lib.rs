//! # cimd: OAuth Client ID Metadata Documents, checked
//!
//! The pure core: parse with positions, every rule of the CIMD draft and MCP, redirect matching, the
//! fetch policy, the document builder and the text renderer. No I/O: hosts (the CLI, wasm, the Worker)
//! fetch and hand the response to [`fetch::validate_fetched`].
//!
//! ```
//! let text = r#"{"client_id":"https://app.example/client.json","client_name":"App",
//!   "redirect_uris":["http://127.0.0.1/callback"],"token_endpoint_auth_method":"none"}"#;
//! let options = cimd::Options { url: Some("https://app.example/client.json".into()), ..Default::default() };
//! let report = cimd::validate(text, &options);
//! assert!(report.valid, "{:#?}", report.diagnostics);
//! ```

pub mod address;
pub mod builder;
pub mod cache;
pub mod codes;
pub mod drift;
pub mod fetch;
pub mod json;
mod lines;
mod portability;
pub mod redirect;
#[cfg(feature = "render")]
pub mod render;
pub mod report;
mod rules;
pub mod uri;

pub use builder::{CreateOptions, Created, create};
pub use codes::{Code, Severity};
#[cfg(feature = "render")]
pub use portability::{ServerInfo, servers};
pub use redirect::{MatchPolicy, MatchResult, match_redirect};
pub use render::{RenderOptions, render};
pub use report::{Diagnostic, Document, FetchInfo, Profile, Report, Span};

/// The size above which a document is too large (-03 §9.7 recommends 5 KB; FastMCP uses 5120 bytes).
pub const DEFAULT_MAX_BYTES: usize = 5120;

/// What to check a document against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The URL the document is (or will be) served at; enables the client_id comparison.
    pub url: Option<String>,
    pub profile: Profile,
    /// Warnings fail validation too.
    pub strict: bool,
    /// Size limit in bytes (a warning for pasted text, an error for a fetched body).
    pub max_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            url: None,
            profile: Profile::Mcp,
            strict: false,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Validates document text (pasted or read from a file).
pub fn validate(text: &str, options: &Options) -> Report {
    rules::validate_document(text.as_bytes(), Some(text), options)
}

/// Validates raw bytes (a file or a response body, which may not be UTF-8).
pub fn validate_bytes(bytes: &[u8], options: &Options) -> Report {
    rules::validate_document(bytes, None, options)
}

/// The documentation of a code (by number or name), as Markdown.
pub fn explain(code: &str) -> Option<String> {
    codes::lookup(code).map(|c| c.explain_with_doc(c.doc))
}
