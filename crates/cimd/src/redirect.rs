//! Redirect URI matching at authorization time (RFC 9700 §4.1.3, RFC 8252 §7.3; decisions D9, D10).

/// How to compare a requested redirect URI with the registered ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchPolicy {
    #[default]
    Rfc8252,
    Exact,
    Wildcard,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchResult;

pub fn match_redirect(_registered: &[&str], _requested: &str, _policy: MatchPolicy) -> MatchResult {
    MatchResult
}
