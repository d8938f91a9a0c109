//! JSON-level problems found by the parser (RFC 8259), each with its own code.

use super::Cx;
use crate::codes::declare_code;
use crate::json::{Parsed, ProblemKind};

declare_code! {
    /// ## What it checks
    /// That the document is JSON (RFC 8259): the grammar holds everywhere.
    ///
    /// ## Why
    /// -03 §4: the document is a JSON document; MCP §5.1.1: the authorization server MUST validate
    /// that it is valid JSON. A server that cannot parse it refuses the client.
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example/client.json",}
    /// ```
    /// The trailing comma is not JSON.
    pub(crate) static JSON_SYNTAX = "CIMD001" "json-syntax" {
        mcp: Error, ietf: Error,
        spec: "RFC 8259 §2; draft-ietf-oauth-client-id-metadata-document-03 §4",
        title: "the document is not valid JSON",
        help: "fix the JSON syntax at the marked position (no comments, no trailing commas, double quotes only)",
    }
}

declare_code! {
    /// ## What it checks
    /// That the document does not start with a UTF-8 byte order mark (EF BB BF).
    ///
    /// ## Why
    /// RFC 8259 §8.1: implementations MUST NOT add a byte order mark to networked JSON. Many parsers
    /// (serde_json, Go's encoding/json) reject it, so servers fail on a document that looks fine in an editor.
    ///
    /// ## Example
    /// A file saved as "UTF-8 with BOM" by a Windows editor.
    pub(crate) static JSON_BOM = "CIMD002" "json-bom" {
        mcp: Error, ietf: Error,
        spec: "RFC 8259 §8.1",
        title: "the document starts with a byte order mark",
        help: "save the file as UTF-8 without a BOM",
    }
}

declare_code! {
    /// ## What it checks
    /// That the document is UTF-8.
    ///
    /// ## Why
    /// RFC 8259 §8.1: JSON exchanged between systems MUST be encoded in UTF-8. Latin-1 or UTF-16
    /// documents are refused or misread.
    ///
    /// ## Example
    /// A `client_name` of `Caf\xE9` saved in Latin-1.
    pub(crate) static JSON_INVALID_UTF8 = "CIMD003" "json-invalid-utf8" {
        mcp: Error, ietf: Error,
        spec: "RFC 8259 §8.1",
        title: "the document is not valid UTF-8",
        help: "re-encode the file as UTF-8",
    }
}

declare_code! {
    /// ## What it checks
    /// That no string contains an escaped lone surrogate such as `"\ud800"`.
    ///
    /// ## Why
    /// RFC 8259 §8.2: such strings are grammatically JSON but their meaning is unpredictable; strict
    /// parsers (serde_json) reject them while others replace them, a parser differential
    /// (docs/decisions.md#json-edges).
    ///
    /// ## Example
    /// ```json
    /// {"client_name": "App \ud83d"}
    /// ```
    pub(crate) static JSON_LONE_SURROGATE = "CIMD004" "json-lone-surrogate" {
        mcp: Error, ietf: Error,
        spec: "RFC 8259 §8.2",
        title: "a string contains an escaped lone surrogate",
        help: "escape the whole surrogate pair (\\ud83d\\ude00) or write the character itself",
    }
}

declare_code! {
    /// ## What it checks
    /// That no object has the same member name twice (names compared after unescaping).
    ///
    /// ## Why
    /// RFC 8259 §4: names SHOULD be unique, and with duplicates behaviour is unpredictable: one
    /// server keeps the first value, another the last. For a security document that is a parser
    /// differential, so cimd treats it as an error (docs/decisions.md#json-edges).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://a.example/c.json", "client_id": "https://b.example/c.json"}
    /// ```
    pub(crate) static JSON_DUPLICATE_MEMBER = "CIMD005" "json-duplicate-member" {
        mcp: Error, ietf: Error,
        spec: "RFC 8259 §4",
        title: "a member name appears twice in one object",
        help: "keep one of the two members and delete the other",
    }
}

declare_code! {
    /// ## What it checks
    /// That arrays and objects nest at most 64 deep.
    ///
    /// ## Why
    /// RFC 8259 §9 lets parsers limit nesting; a metadata document never needs depth, and deep
    /// nesting is a denial-of-service vector (serde_json stops at 128;
    /// docs/decisions.md#json-edges).
    ///
    /// ## Example
    /// `{"x": [[[[ ... 70 levels ... ]]]]}`
    pub(crate) static JSON_TOO_DEEP = "CIMD006" "json-too-deep" {
        mcp: Error, ietf: Error,
        spec: "RFC 8259 §9",
        title: "the document nests deeper than 64 levels",
        help: "flatten the structure: client metadata needs at most a few levels",
    }
}

declare_code! {
    /// ## What it checks
    /// That every number fits an IEEE 754 double.
    ///
    /// ## Why
    /// RFC 8259 §6 and §9: numbers beyond the double range are not interoperable; serde_json and
    /// JavaScript refuse or turn them into infinity.
    ///
    /// ## Example
    /// `{"client_secret_expires_at": 1e400}`
    pub(crate) static JSON_NUMBER_OUT_OF_RANGE = "CIMD007" "json-number-out-of-range" {
        mcp: Error, ietf: Error,
        spec: "RFC 8259 §6",
        title: "a number is out of range",
        help: "use a number within the range of a 64-bit float",
    }
}

declare_code! {
    /// ## What it checks
    /// That the input is not empty or whitespace only.
    ///
    /// ## Why
    /// An empty body is not JSON (RFC 8259 §2). Servers often serve an empty 200 when a file is
    /// missing from a static host.
    ///
    /// ## Example
    /// A zero-byte `client.json`.
    pub(crate) static JSON_EMPTY = "CIMD008" "json-empty" {
        mcp: Error, ietf: Error,
        spec: "RFC 8259 §2",
        title: "the document is empty",
        help: "write the metadata object, e.g. generate one with `cimd create`",
    }
}

declare_code! {
    /// ## What it checks
    /// That nothing but whitespace follows the top-level value.
    ///
    /// ## Why
    /// RFC 8259 §2: a JSON text is one value. Two concatenated objects or a stray character after
    /// the closing brace make the whole document invalid.
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "https://app.example/client.json"}}
    /// ```
    pub(crate) static JSON_TRAILING_CHARACTERS = "CIMD009" "json-trailing-characters" {
        mcp: Error, ietf: Error,
        spec: "RFC 8259 §2",
        title: "there is text after the JSON value",
        help: "delete everything after the closing brace",
    }
}

pub(super) fn check(parsed: &Parsed<'_>, cx: &mut Cx<'_>) {
    for problem in &parsed.problems {
        let code = match problem.kind {
            ProblemKind::Syntax => &JSON_SYNTAX,
            ProblemKind::Empty => &JSON_EMPTY,
            ProblemKind::TrailingCharacters => &JSON_TRAILING_CHARACTERS,
            ProblemKind::Bom => &JSON_BOM,
            ProblemKind::InvalidUtf8 => &JSON_INVALID_UTF8,
            ProblemKind::LoneSurrogate => &JSON_LONE_SURROGATE,
            ProblemKind::NumberOutOfRange => &JSON_NUMBER_OUT_OF_RANGE,
            ProblemKind::Duplicate { .. } => &JSON_DUPLICATE_MEMBER,
            ProblemKind::TooDeep => &JSON_TOO_DEEP,
        };
        let mut message = problem.message.clone();
        if let ProblemKind::Duplicate { first } = problem.kind
            && let Some(at) = cx.describe_position(first.start as usize)
        {
            message.push_str(&format!(" (first at {at})"));
        }
        let diagnostic =
            crate::Diagnostic::new(code, cx.profile(), message).with_span(problem.span);
        cx.push(diagnostic);
    }
}
