//! The registry of diagnostic codes: `CIMD` + 3 digits, grouped by hundreds (0xx JSON and document
//! shape, 1xx client_id URL, 2xx authentication and keys, 3xx redirect_uris, 4xx other metadata,
//! 5xx fetching and HTTP, 6xx hosting). A code is never renumbered or reused.
//!
//! Each code is declared beside the rule that emits it with [`declare_code!`]; its doc comment is the
//! text of `docs/codes.md` and of `cimd explain` (generated, checked by a test).

use std::fmt::Write as _;

use serde::Serialize;

use crate::report::Profile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where every code's documentation is published: this plus the lower-case code
/// (`...codes.md#cimd107`), the `docs` of each diagnostic.
pub const DOCS_URL: &str = "https://github.com/cimd-dev/cimd/blob/main/docs/codes.md#";

/// One registered code.
#[derive(Debug, Serialize)]
pub struct Code {
    pub code: &'static str,
    /// The code's number (`CIMD107` -> 107), for sorting and sets of codes.
    #[serde(skip)]
    pub number: u16,
    pub name: &'static str,
    /// Severity under the `mcp` profile (the default).
    pub mcp: Severity,
    /// Severity under the `ietf` profile.
    pub ietf: Severity,
    /// The section of the text the rule comes from.
    pub spec: &'static str,
    /// A one-line summary of what is wrong.
    pub title: &'static str,
    /// The default advice on how to fix it; rules may give a more precise one.
    pub help: &'static str,
    /// The long documentation (Markdown): what it checks, why, an example, the fix. Empty without
    /// the `docs` feature (the npm package's wasm: js/ ships the docs as a module of their own).
    pub doc: &'static str,
    /// Set when the code is retired: what replaced it and why. A retired code stays registered
    /// and documented (a code is never reused) but no rule reports it; JSON lists it with this
    /// member, which active codes lack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired: Option<&'static str>,
}

impl Code {
    pub fn severity(&self, profile: Profile) -> Severity {
        match profile {
            Profile::Mcp => self.mcp,
            Profile::Ietf => self.ietf,
        }
    }

    /// The code's documentation as a Markdown section: a heading of `level` with `title`, the
    /// severities and spec section, the summary, the doc (its headings one level down), the fix.
    pub fn section(&self, level: usize, title: &str) -> String {
        self.section_with_doc(level, title, self.doc)
    }

    /// [`Code::section`] with the long documentation given (`doc` as a doc comment has it, each
    /// line with its leading space): the npm package's wasm is built without the docs and gets
    /// them from JavaScript, so the layout lives here only.
    pub fn section_with_doc(&self, level: usize, title: &str, doc: &str) -> String {
        let hashes = "#".repeat(level);
        let sub = "#".repeat(level + 1);
        let doc: String = doc_markdown(doc)
            .lines()
            .map(|l| match l.strip_prefix("## ") {
                Some(heading) => format!("{sub} {heading}\n"),
                None => format!("{l}\n"),
            })
            .collect();
        let retired = self
            .retired
            .map(|why| format!("**Retired:** {why}. No rule reports this code.\n\n"))
            .unwrap_or_default();
        format!(
            "{hashes} {title}\n\n`{}` · {} (mcp) / {} (ietf) · {}\n\n{retired}**{}**\n\n{}\n\n**Fix:** {}\n",
            self.name,
            self.mcp.as_str(),
            self.ietf.as_str(),
            self.spec,
            self.title,
            doc.trim_end(),
            self.help
        )
    }

    /// `cimd explain`'s text: the section at level 1 titled with the code and name, with the long
    /// documentation given (the code's own where the `docs` feature is on).
    pub fn explain_with_doc(&self, doc: &str) -> String {
        self.section_with_doc(1, &format!("{} {}", self.code, self.name), doc)
    }

    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn doc_markdown(&self) -> String {
        doc_markdown(self.doc)
    }
}

fn doc_markdown(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    for line in doc.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out.trim_end().to_owned()
}

/// Declares a code as a `static` whose doc comment becomes its documentation.
macro_rules! declare_code {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = $code:literal $name:literal {
            mcp: $mcp:ident, ietf: $ietf:ident,
            spec: $spec:literal,
            title: $title:literal,
            help: $help:literal
            $(, retired: $retired:literal)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::codes::Code = $crate::codes::Code {
            code: $code,
            number: $crate::codes::number($code) as u16,
            name: $name,
            mcp: $crate::codes::Severity::$mcp,
            ietf: $crate::codes::Severity::$ietf,
            spec: $spec,
            title: $title,
            help: $help,
            // Evaluated at compile time: without `docs` the text never reaches the binary.
            doc: if cfg!(feature = "docs") { concat!($($doc, "\n"),*) } else { "" },
            retired: $crate::codes::retired(&[$($retired)?]),
        };
    };
}
pub(crate) use declare_code;

/// The place of a registered code in [`all`]: what hosts send instead of the code itself.
pub fn index(code: &Code) -> usize {
    all()
        .binary_search_by_key(&code.number, |c| c.number)
        .expect("every code is registered")
}

/// Looks a code up by its number (`CIMD107`, case-insensitive) or its name (`client-id-mismatch`).
pub fn lookup(key: &str) -> Option<&'static Code> {
    let key = key.trim();
    all()
        .iter()
        .copied()
        .find(|c| c.code.eq_ignore_ascii_case(key) || c.name.eq_ignore_ascii_case(key))
}

/// Every registered code, in code order.
pub fn all() -> &'static [&'static Code] {
    static ALL: std::sync::OnceLock<Vec<&'static Code>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        // Declared in code order, the rules' codes before the fetch codes (a test checks): no sort,
        // which would cost ~1.4 KB of the gzipped web wasm.
        crate::rules::CODES
            .iter()
            .chain(crate::fetch::CODES)
            .copied()
            .collect()
    })
}

/// `docs/codes.md`: every code's documentation, generated from the registry.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n<!-- Generated from crates/cimd (declare_code! doc comments) by \
         `cimd codes --format markdown`; a test fails when this file is stale. Do not edit. -->\n\n\
         Severity is given for the `mcp` profile (the default) and the `ietf` profile. `--strict` \
         makes every warning fail validation. A retired code is never reported: it stays listed with \
         what replaced it, and its number is never given to another check.\n\n| code | name | mcp | ietf | summary |\n|---|---|---|---|---|\n",
    );
    for c in all() {
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} | {}{} |",
            c.code,
            c.code.to_ascii_lowercase(),
            c.name,
            c.mcp.as_str(),
            c.ietf.as_str(),
            if c.retired.is_some() { "retired: " } else { "" },
            c.title
        );
    }
    for c in all() {
        out.push('\n');
        out.push_str(&c.section(2, c.code));
    }
    out
}

/// The `retired` of [`declare_code!`]: the text when one was given.
#[doc(hidden)]
pub(crate) const fn retired(given: &[&'static str]) -> Option<&'static str> {
    match given {
        [why] => Some(why),
        _ => None,
    }
}

/// `CIMD107` -> 107 (registry codes are always `CIMD` + 3 digits; a test checks it).
#[inline]
pub(crate) const fn number(code: &str) -> usize {
    let b = code.as_bytes();
    if b.len() != 7 {
        return 0;
    }
    (b[4] - b'0') as usize * 100 + (b[5] - b'0') as usize * 10 + (b[6] - b'0') as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_knows_its_number_and_place() {
        for (i, code) in all().iter().enumerate() {
            assert_eq!(usize::from(code.number), number(code.code), "{}", code.code);
            assert_eq!(index(code), i, "{}", code.code);
        }
    }

    #[test]
    fn codes_are_unique_sorted_and_well_formed() {
        let codes = all();
        assert!(codes.len() > 50);
        for pair in codes.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}: list each code once, in code order, in rules::CODES and fetch::CODES",
                pair[0].code,
                pair[1].code
            );
        }
        let mut names: Vec<_> = codes.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), codes.len(), "names are unique");
        for c in codes {
            assert!(
                c.code.len() == 7 && c.code.starts_with("CIMD"),
                "{}",
                c.code
            );
            assert!(
                c.code[4..].bytes().all(|b| b.is_ascii_digit()),
                "{}",
                c.code
            );
            assert!(
                c.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                c.name
            );
            assert!(
                !c.help.is_empty() && !c.title.is_empty() && !c.spec.is_empty(),
                "{}",
                c.code
            );
            #[cfg(feature = "docs")]
            for heading in ["## What it checks", "## Why", "## Example"] {
                assert!(c.doc.contains(heading), "{} lacks `{heading}`", c.code);
            }
        }
    }

    #[test]
    fn a_retired_code_stays_registered_and_says_so() {
        let retired = lookup("CIMD200").expect("retired codes stay registered");
        assert!(retired.retired.is_some_and(|why| why.contains("CIMD212")));
        assert!(retired.section(2, "CIMD200").contains("**Retired:**"));
        assert!(markdown().contains("| retired: "));
        let json = serde_json::to_value(retired).unwrap();
        assert!(json["retired"].is_string());
        let active = serde_json::to_value(lookup("CIMD212").unwrap()).unwrap();
        assert!(
            active.get("retired").is_none(),
            "additive: active codes lack the member"
        );
    }

    #[test]
    fn lookup_by_code_or_name() {
        let first = all()[0];
        assert_eq!(
            lookup(&first.code.to_lowercase()).map(|c| c.code),
            Some(first.code)
        );
        assert_eq!(lookup(first.name).map(|c| c.code), Some(first.code));
        assert!(lookup("CIMD999").is_none());
    }
}
