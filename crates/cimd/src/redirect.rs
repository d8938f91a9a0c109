//! Redirect URI matching at authorization time (RFC 9700 §4.1.3, RFC 8252 §7.3;
//! docs/decisions.md#loopback-ports, docs/decisions.md#loopback-hosts).
//!
//! An authorization server compares the `redirect_uri` of an authorization request with the
//! document's `redirect_uris` (the registered URIs). [`match_redirect`] does that comparison under
//! one of three policies and explains, for every registered URI, exactly what differs.
//!
//! | policy | scheme, userinfo, host | port | path | query | fragment |
//! |---|---|---|---|---|---|
//! | `exact` | byte-exact | byte-exact | byte-exact | byte-exact | a requested fragment never matches |
//! | `rfc8252` (default) | byte-exact | byte-exact, except: **any** requested port when the registered URI is a loopback redirect (`http` or `https` + `127.0.0.0/8`, `[::1]` or `localhost`: [`loopback_host`]), with or without a registered port | byte-exact | byte-exact | never |
//! | `wildcard` | as `rfc8252`, plus a leading `*.` label in the registered host matches one or more subdomain labels | as `rfc8252`, plus a registered port `*` matches any port | `*` in the registered path matches any run of characters (also `/`), but never a requested path with a `.` or `..` segment | byte-exact | never |
//!
//! Under every policy a requested URI that is not absolute (RFC 3986 §4.3), or that has a fragment
//! (RFC 6749 §3.1.2), matches nothing; "byte-exact" is simple string comparison (RFC 3986 §6.2.1,
//! RFC 6749 §3.1.2.3): no case folding, no percent-decoding, no trailing-slash or default-port
//! leniency. A loopback redirect's host still has to match exactly: `localhost` does not match
//! `127.0.0.1`, and a registered port that is not a number (`*`) is not a loopback
//! redirect outside the wildcard policy.
//!
//! The `wildcard` policy models `FastMCP`'s `matches_allowed_pattern`
//! (`fastmcp/server/auth/redirect_validation.py`) with these deliberate differences:
//! - `FastMCP` ignores the query and the fragment; here the query is compared exactly and a requested
//!   fragment never matches (registered `https://app.example.com/cb` does not match `.../cb?x=1`).
//! - `FastMCP` lower-cases hosts, treats a missing port as the scheme's default port (`https://h/cb`
//!   matches `https://h:443/cb`) and lets an empty or `/` registered path match any path; here those
//!   are byte-exact.
//! - `FastMCP`'s `*.example.com` also accepts an empty first label (`.example.com`); here every label
//!   the `*` stands for must be non-empty (letters, digits, `-`, `_`).
//! - `FastMCP` makes a loopback port flexible only when the registered URI has no port; here
//!   (docs/decisions.md#loopback-ports) any loopback redirect accepts any port, as the MCP
//!   TypeScript SDK does.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::uri::{Uri, decode_unreserved};

/// How to compare a requested redirect URI with the registered ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchPolicy {
    /// Exact, except that a loopback redirect accepts any port (RFC 8252 §7.3). The default.
    #[default]
    Rfc8252,
    /// Simple string comparison, byte for byte (RFC 6749 §3.1.2.3).
    Exact,
    /// `rfc8252` plus `FastMCP`'s wildcards: `*` port, `*.` host prefix, `*` in the path.
    Wildcard,
}

impl MatchPolicy {
    /// Every policy, default first.
    pub const ALL: [MatchPolicy; 3] = [
        MatchPolicy::Rfc8252,
        MatchPolicy::Exact,
        MatchPolicy::Wildcard,
    ];

    /// The name used on the command line and in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            MatchPolicy::Rfc8252 => "rfc8252",
            MatchPolicy::Exact => "exact",
            MatchPolicy::Wildcard => "wildcard",
        }
    }
}

impl fmt::Display for MatchPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy name that is not `rfc8252`, `exact` or `wildcard`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsePolicyError(String);

impl fmt::Display for ParsePolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown match policy `{}`: expected rfc8252, exact or wildcard",
            self.0
        )
    }
}

impl std::error::Error for ParsePolicyError {}

impl FromStr for MatchPolicy {
    type Err = ParsePolicyError;

    /// Case-insensitive; `rfc-8252` is accepted for `rfc8252`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "rfc8252" | "rfc-8252" => Ok(MatchPolicy::Rfc8252),
            "exact" => Ok(MatchPolicy::Exact),
            "wildcard" => Ok(MatchPolicy::Wildcard),
            _ => Err(ParsePolicyError(s.to_owned())),
        }
    }
}

/// The outcome of matching one requested redirect URI against the registered ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchResult {
    pub matched: bool,
    pub policy: MatchPolicy,
    pub requested: String,
    /// The 0-based index of the matching entry: the first exact match, else the first match the
    /// policy allows.
    pub matched_index: Option<usize>,
    pub matched_uri: Option<String>,
    /// Why it matched, or why nothing did (the closest entry's differences plus a hint).
    pub reason: String,
    /// One per registered URI, in order.
    pub candidates: Vec<Candidate>,
}

/// The comparison with one registered URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// 0-based position in the registered list (`redirect_uris[index]`).
    pub index: usize,
    pub registered: String,
    pub matched: bool,
    /// "matches exactly", how the policy let it match, or every difference found, `; `-separated.
    /// In "X differs: A vs B", A is the registered value and B the requested one.
    pub reason: String,
}

/// Matches `requested` against the `registered` redirect URIs under `policy`.
pub fn match_redirect(registered: &[&str], requested: &str, policy: MatchPolicy) -> MatchResult {
    let req = Uri::split(requested);
    let refusal = refuse_request(&req);
    let outcomes: Vec<Outcome> = registered
        .iter()
        .map(|reg| match &refusal {
            Some(why) => Outcome::Differs(vec![Diff::new(Kind::Request, why.clone())]),
            None => compare(reg, &req, policy),
        })
        .collect();

    let candidates: Vec<Candidate> = registered
        .iter()
        .zip(&outcomes)
        .enumerate()
        .map(|(index, (reg, outcome))| Candidate {
            index,
            registered: (*reg).to_owned(),
            matched: !matches!(outcome, Outcome::Differs(_)),
            reason: outcome.reason(),
        })
        .collect();

    let chosen = outcomes
        .iter()
        .position(|o| matches!(o, Outcome::Exact))
        .or_else(|| {
            outcomes
                .iter()
                .position(|o| matches!(o, Outcome::Lenient(_)))
        });

    let reason = if let Some(i) = chosen {
        format!("matches entry {i} {}", outcomes[i].how())
    } else if registered.is_empty() {
        "no match: there are no registered redirect URIs".to_owned()
    } else if let Some(why) = refusal {
        format!("no match: the {why}")
    } else {
        no_match_reason(registered, &outcomes, policy)
    };

    MatchResult {
        matched: chosen.is_some(),
        policy,
        requested: requested.to_owned(),
        matched_index: chosen,
        matched_uri: chosen.map(|i| registered[i].to_owned()),
        reason,
        candidates,
    }
}

/// Why a requested URI can match nothing, whatever is registered.
fn refuse_request(req: &Uri<'_>) -> Option<String> {
    if req.scheme().is_none() {
        return Some(
            "requested URI is not an absolute URI: it has no scheme (RFC 6749 §3.1.2)".to_owned(),
        );
    }
    if !is_absolute(req) {
        return Some(format!(
            "requested URI is not an absolute URI: `{}` is not a valid scheme (RFC 3986 §3.1)",
            req.scheme().unwrap_or_default()
        ));
    }
    req.fragment().map(|f| {
        format!("requested URI has a fragment (#{f}), which a redirect URI must not have (RFC 6749 §3.1.2)")
    })
}

fn no_match_reason(registered: &[&str], outcomes: &[Outcome], policy: MatchPolicy) -> String {
    // The closest entry: fewest differing components, the first one on a tie.
    let (index, diffs) = outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| match o {
            Outcome::Differs(d) => Some((i, d)),
            _ => None,
        })
        .min_by_key(|(_, d)| d.iter().map(|d| d.kind.weight()).sum::<usize>())
        .expect("no match and at least one registered URI means at least one difference");
    let detail = diffs
        .iter()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let mut out = if registered.len() == 1 {
        format!(
            "no match: the only registered redirect URI, {}, differs: {detail}",
            registered[index]
        )
    } else {
        format!(
            "no match: the closest registered redirect URI is entry {index}, {}: {detail}",
            registered[index]
        )
    };
    if let Some(hint) = diffs.iter().find_map(|d| d.kind.hint(policy)) {
        out.push_str(". Hint: ");
        out.push_str(hint);
    }
    out
}

enum Outcome {
    /// Byte-for-byte equal.
    Exact,
    /// Equal except where the policy allows a difference; each note says where.
    Lenient(Vec<Leniency>),
    Differs(Vec<Diff>),
}

enum Leniency {
    LoopbackPort(String),
    Wildcard(String),
}

impl Outcome {
    /// How it matched, after "matches" (or after "matches entry N").
    fn how(&self) -> String {
        match self {
            Outcome::Exact => "exactly".to_owned(),
            Outcome::Lenient(notes) => {
                let mut parts = Vec::new();
                let mut wildcards = Vec::new();
                for note in notes {
                    match note {
                        Leniency::LoopbackPort(detail) => parts.push(format!(
                            "by RFC 8252 §7.3: loopback redirect, any port ({detail})"
                        )),
                        Leniency::Wildcard(detail) => wildcards.push(detail.as_str()),
                    }
                }
                if !wildcards.is_empty() {
                    parts.push(format!("by wildcard: {}", wildcards.join(", ")));
                }
                parts.join(" and ")
            }
            Outcome::Differs(_) => String::new(),
        }
    }

    fn reason(&self) -> String {
        match self {
            Outcome::Differs(diffs) => diffs
                .iter()
                .map(|d| d.text.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            other => format!("matches {}", other.how()),
        }
    }
}

struct Diff {
    kind: Kind,
    text: String,
}

impl Diff {
    fn new(kind: Kind, text: String) -> Self {
        Self { kind, text }
    }
}

/// What kind of difference, for the closeness ranking and the hint.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The requested URI itself is unusable (not absolute, or has a fragment).
    Request,
    /// The registered URI is not absolute: nothing matches it.
    RegisteredNotAbsolute,
    /// The registered URI has a fragment: nothing matches it.
    RegisteredFragment,
    /// A wildcard in the registered URI under a policy that compares it literally.
    WildcardNotUnderstood,
    Scheme,
    Authority,
    Userinfo,
    Host,
    /// Only ASCII case differs (scheme, host, path or query).
    Case,
    /// `localhost` vs `127.0.0.1` and the like.
    LoopbackCross,
    /// A port differs and the registered URI is not a loopback redirect.
    Port,
    /// A port differs only by being the scheme's default port, written or implied.
    DefaultPort,
    /// A port differs on a loopback redirect under the exact policy.
    LoopbackPortExact,
    /// The requested port is not a valid port number.
    BadPort,
    Path,
    TrailingSlash,
    PercentEncoding,
    /// A dot segment in a requested path that a wildcard path would otherwise match.
    DotSegment,
    Query,
}

impl Kind {
    /// How far this difference puts a registered URI from the requested one.
    fn weight(self) -> usize {
        match self {
            Kind::Request | Kind::RegisteredNotAbsolute => 100,
            _ => 1,
        }
    }

    fn hint(self, policy: MatchPolicy) -> Option<&'static str> {
        Some(match self {
            Kind::LoopbackPortExact => {
                "under the exact policy the port must match; RFC 8252 servers accept any loopback port"
            }
            Kind::Port => {
                "only a loopback redirect (http with 127.0.0.1, [::1] or localhost) may use another port \
                 (RFC 8252 §7.3); register the URI with the port the client uses"
            }
            Kind::DefaultPort => {
                "a default port is not implied or dropped: register the URI exactly as the client sends it"
            }
            Kind::LoopbackCross => {
                "loopback hosts are compared exactly: register each one the client uses (RFC 8252 §8.3 \
                 recommends 127.0.0.1 or [::1] over localhost)"
            }
            Kind::WildcardNotUnderstood => {
                "wildcards are a FastMCP extension: the wildcard policy accepts them, RFC 8252 and \
                 exact-match servers compare them literally and never match; register concrete URIs"
            }
            Kind::Case | Kind::TrailingSlash | Kind::PercentEncoding => {
                "redirect URIs are compared as exact strings (RFC 6749 §3.1.2.3): no case, trailing-slash \
                 or percent-encoding normalization; register the URI exactly as the client sends it"
            }
            Kind::Query => {
                "the query takes part in the comparison: register the URI with exactly this query"
            }
            Kind::DotSegment => "send the path without `.` or `..` segments",
            Kind::RegisteredFragment => "remove the fragment from the registered redirect URI",
            Kind::Path if policy != MatchPolicy::Wildcard => {
                "the path must match exactly: register the URI with the path the client uses"
            }
            _ => return None,
        })
    }
}

/// Compares one registered URI with the (absolute, fragment-free) requested URI.
fn compare(registered: &str, req: &Uri<'_>, policy: MatchPolicy) -> Outcome {
    if registered == req.raw {
        return Outcome::Exact;
    }
    let reg = Uri::split(registered);
    if !is_absolute(&reg) {
        return Outcome::Differs(vec![Diff::new(
            Kind::RegisteredNotAbsolute,
            "the registered URI is not an absolute URI (RFC 6749 §3.1.2), so nothing matches it"
                .to_owned(),
        )]);
    }
    let mut cmp = Comparison {
        policy,
        diffs: Vec::new(),
        lenient: Vec::new(),
    };
    cmp.scheme(&reg, req);
    match (reg.authority(), req.authority()) {
        (Some(_), Some(_)) => {
            cmp.userinfo(&reg, req);
            cmp.host(&reg, req);
            cmp.host_tail(&reg, req);
            cmp.port(&reg, req);
        }
        (None, None) => {}
        (r, q) => cmp.diffs.push(Diff::new(
            Kind::Authority,
            format!(
                "authority differs: {} vs {}",
                r.map_or_else(|| "none".to_owned(), |a| format!("//{a}")),
                q.map_or_else(|| "none".to_owned(), |a| format!("//{a}"))
            ),
        )),
    }
    cmp.path(&reg, req);
    cmp.query(&reg, req);
    if let Some(f) = reg.fragment() {
        cmp.diffs.push(Diff::new(
            Kind::RegisteredFragment,
            format!(
                "the registered URI has a fragment (#{f}), which a redirect URI must not have \
                 (RFC 6749 §3.1.2), so nothing matches it"
            ),
        ));
    }
    if !cmp.diffs.is_empty() {
        return Outcome::Differs(cmp.diffs);
    }
    if cmp.lenient.is_empty() {
        // Equal components rebuild equal strings, so this is unreachable; stay safe regardless.
        return Outcome::Differs(vec![Diff::new(Kind::Path, "the URIs differ".to_owned())]);
    }
    Outcome::Lenient(cmp.lenient)
}

struct Comparison {
    policy: MatchPolicy,
    diffs: Vec<Diff>,
    lenient: Vec<Leniency>,
}

impl Comparison {
    fn differs(&mut self, kind: Kind, text: String) {
        self.diffs.push(Diff::new(kind, text));
    }

    fn wildcard_not_understood(&mut self, what: &str) {
        self.differs(
            Kind::WildcardNotUnderstood,
            format!("registered URI uses a wildcard ({what}), which only the wildcard policy understands"),
        );
    }

    fn scheme(&mut self, reg: &Uri<'_>, req: &Uri<'_>) {
        let (r, q) = (
            reg.scheme().unwrap_or_default(),
            req.scheme().unwrap_or_default(),
        );
        if r == q {
            return;
        }
        if r.eq_ignore_ascii_case(q) {
            self.differs(
                Kind::Case,
                format!("case differs in the scheme: {r} vs {q}"),
            );
        } else {
            self.differs(Kind::Scheme, format!("scheme differs: {r} vs {q}"));
        }
    }

    fn userinfo(&mut self, reg: &Uri<'_>, req: &Uri<'_>) {
        let (r, q) = (reg.userinfo(), req.userinfo());
        if r != q {
            let show = |u: Option<&str>| u.map_or_else(|| "none".to_owned(), |u| format!("`{u}@`"));
            self.differs(
                Kind::Userinfo,
                format!("userinfo differs: {} vs {}", show(r), show(q)),
            );
        }
    }

    fn host(&mut self, reg: &Uri<'_>, req: &Uri<'_>) {
        let (r, q) = (
            reg.host().unwrap_or_default(),
            req.host().unwrap_or_default(),
        );
        if r == q {
            return;
        }
        if self.policy == MatchPolicy::Wildcard {
            if let Some(suffix) = r.strip_prefix('*').filter(|s| s.starts_with('.')) {
                self.subdomain(r, suffix, q);
                return;
            }
        } else if r.contains('*') {
            self.wildcard_not_understood(&format!("host `{r}`"));
            return;
        }
        let (rs, qs) = (show(r), show(q));
        if r.eq_ignore_ascii_case(q) {
            self.differs(
                Kind::Case,
                format!("case differs in the host: {rs} vs {qs}"),
            );
        } else if is_loopback_host(r) && is_loopback_host(q) {
            self.differs(
                Kind::LoopbackCross,
                format!("host differs: {rs} vs {qs} (loopback hosts do not cross-match)"),
            );
        } else if decode_unreserved(r) == decode_unreserved(q) {
            self.differs(
                Kind::PercentEncoding,
                format!("percent-encoding differs in the host: {rs} vs {qs}"),
            );
        } else {
            self.differs(Kind::Host, format!("host differs: {rs} vs {qs}"));
        }
    }

    /// `*.example.com`: one or more non-empty labels, then `.example.com` byte for byte.
    fn subdomain(&mut self, pattern: &str, suffix: &str, q: &str) {
        let Some(labels) = q.strip_suffix(suffix) else {
            let text = if q
                .to_ascii_lowercase()
                .ends_with(&suffix.to_ascii_lowercase())
            {
                format!("case differs in the host: {q} does not end in {suffix}")
            } else if q == &suffix[1..] {
                format!("host differs: {pattern} matches subdomains of {q} only, not {q} itself")
            } else {
                format!("host differs: {q} is not a subdomain of {}", &suffix[1..])
            };
            let kind = if text.starts_with("case") {
                Kind::Case
            } else {
                Kind::Host
            };
            self.differs(kind, text);
            return;
        };
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        };
        if labels.split('.').all(label_ok) {
            self.lenient
                .push(Leniency::Wildcard(format!("host {pattern} matches {q}")));
        } else {
            self.differs(
                Kind::Host,
                format!(
                    "host differs: `{labels}` in {} is not a sequence of subdomain labels",
                    show(q)
                ),
            );
        }
    }

    /// Text between the host and the port (only after a malformed IP literal: `[::1]x`).
    fn host_tail(&mut self, reg: &Uri<'_>, req: &Uri<'_>) {
        let (r, q) = (host_tail(reg), host_tail(req));
        if r != q {
            self.differs(
                Kind::Authority,
                format!(
                    "authority differs after the host: {} vs {}",
                    show(r),
                    show(q)
                ),
            );
        }
    }

    fn port(&mut self, reg: &Uri<'_>, req: &Uri<'_>) {
        let (r, q) = (reg.port(), req.port());
        if r == q {
            return;
        }
        let bad_request_port = |q: Option<&str>| {
            format!(
                "requested port `{}` is not a valid port (digits, 0 to 65535)",
                q.unwrap_or_default()
            )
        };
        if self.policy == MatchPolicy::Wildcard && r == Some("*") {
            if valid_port(q) {
                self.lenient.push(Leniency::Wildcard(format!(
                    "port * matches {}",
                    show_port(q)
                )));
            } else {
                self.differs(Kind::BadPort, bad_request_port(q));
            }
            return;
        }
        let loopback = is_loopback_redirect(reg);
        if loopback && self.policy != MatchPolicy::Exact {
            if valid_port(q) {
                let detail = match (r, q) {
                    (None, q) => format!("registered without a port, requested {}", show_port(q)),
                    (Some(r), q) => format!(
                        "registered {}, requested {}",
                        show_port(Some(r)),
                        show_port(q)
                    ),
                };
                self.lenient.push(Leniency::LoopbackPort(detail));
            } else {
                self.differs(Kind::BadPort, bad_request_port(q));
            }
            return;
        }
        if self.policy != MatchPolicy::Wildcard && r.is_some_and(|p| p.contains('*')) {
            self.wildcard_not_understood(&format!("port `{}`", r.unwrap_or_default()));
            return;
        }
        let base = format!("port differs ({} vs {})", show_port(r), show_port(q));
        if loopback {
            self.differs(
                Kind::LoopbackPortExact,
                format!(
                    "{base}; the exact policy does not apply the RFC 8252 §7.3 loopback exception"
                ),
            );
            return;
        }
        let default = match reg.scheme().map(str::to_ascii_lowercase).as_deref() {
            Some("http") => Some("80"),
            Some("https") => Some("443"),
            _ => None,
        };
        if default.is_some() && (r.is_none() && q == default || q.is_none() && r == default) {
            self.differs(
                Kind::DefaultPort,
                format!("{base}: the default port is not implied (no port normalization)"),
            );
            return;
        }
        let scheme = reg.scheme().unwrap_or_default();
        let host = reg.host().unwrap_or_default();
        let why = if !is_loopback_host(host) {
            String::new()
        } else if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            format!(" (the loopback port exception covers http and https, not {scheme})")
        } else {
            format!(
                " (its port `{}` is not a valid port number)",
                r.unwrap_or_default()
            )
        };
        self.differs(
            Kind::Port,
            format!("{base} and the registered URI is not a loopback redirect{why}"),
        );
    }

    fn path(&mut self, reg: &Uri<'_>, req: &Uri<'_>) {
        let (r, q) = (reg.path(), req.path());
        if r == q {
            return;
        }
        if r.contains('*') {
            if self.policy != MatchPolicy::Wildcard {
                self.wildcard_not_understood(&format!("path `{r}`"));
            } else if has_dot_segment(q) {
                self.differs(
                    Kind::DotSegment,
                    format!(
                        "requested path {q} has a `.` or `..` segment, which a wildcard path never \
                         matches (the browser would resolve it to a path outside the pattern)"
                    ),
                );
            } else if glob(r, q) {
                self.lenient
                    .push(Leniency::Wildcard(format!("path {r} matches {}", show(q))));
            } else {
                self.differs(
                    Kind::Path,
                    format!("path differs: {} does not match the pattern {r}", show(q)),
                );
            }
            return;
        }
        let (rs, qs) = (show(r), show(q));
        if format!("{r}/") == q || format!("{q}/") == r {
            self.differs(
                Kind::TrailingSlash,
                format!("path differs: {rs} vs {qs} (trailing slash)"),
            );
        } else if decode_unreserved(r) == decode_unreserved(q) {
            self.differs(
                Kind::PercentEncoding,
                format!("percent-encoding differs: {rs} vs {qs} (equivalent encodings still do not match)"),
            );
        } else if r.eq_ignore_ascii_case(q) {
            self.differs(
                Kind::Case,
                format!("case differs in the path: {rs} vs {qs}"),
            );
        } else {
            self.differs(Kind::Path, format!("path differs: {rs} vs {qs}"));
        }
    }

    fn query(&mut self, reg: &Uri<'_>, req: &Uri<'_>) {
        let (r, q) = (reg.query(), req.query());
        if r == q {
            return;
        }
        let show_query =
            |s: Option<&str>| s.map_or_else(|| "no query".to_owned(), |s| format!("?{s}"));
        let (rs, qs) = (show_query(r), show_query(q));
        match (r, q) {
            (Some(r), Some(q)) if decode_unreserved(r) == decode_unreserved(q) => self.differs(
                Kind::PercentEncoding,
                format!("percent-encoding differs in the query: {rs} vs {qs} (equivalent encodings still do not match)"),
            ),
            (Some(r), Some(q)) if r.eq_ignore_ascii_case(q) => {
                self.differs(Kind::Case, format!("case differs in the query: {rs} vs {qs}"));
            }
            _ => self.differs(Kind::Query, format!("query differs: {rs} vs {qs}")),
        }
    }
}

/// An empty component shown in a message.
fn show(s: &str) -> &str {
    if s.is_empty() { "(empty)" } else { s }
}

fn show_port(p: Option<&str>) -> String {
    match p {
        None => "no port".to_owned(),
        Some("") => "an empty port".to_owned(),
        Some(p) => p.to_owned(),
    }
}

/// RFC 3986 §4.3: a scheme, and one that follows `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_absolute(u: &Uri<'_>) -> bool {
    u.scheme().is_some_and(|s| {
        s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    })
}

/// Absent, empty (RFC 3986 allows `host:`), or 0 to 65535 in digits.
fn valid_port(p: Option<&str>) -> bool {
    p.is_none_or(|p| {
        p.is_empty() || (p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok())
    })
}

/// A loopback host for matching (docs/decisions.md#loopback-hosts): the name `localhost` (any
/// case), an IPv4 literal in 127.0.0.0/8, or `[::1]`.
/// How a redirect URI's host is loopback: an IP literal or the name `localhost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoopbackHost {
    /// An IPv4 literal in 127.0.0.0/8 (four decimal numbers, RFC 3986's `IPv4address`) or `[::1]`
    /// in any IPv6 spelling.
    Ip,
    /// `localhost`, in any case.
    Name,
}

/// The one meaning of "loopback host" for redirect URIs, which matching and the document rules
/// share (docs/decisions.md#loopback-hosts): `localhost` in any case, a 127.0.0.0/8 IPv4 literal,
/// `[::1]`. Names under `.localhost` are not loopback here: MCP says `localhost` and RFC 8252 §7.3
/// names the IP literals; other spellings of an address (`2130706433`, `[::ffff:127.0.0.1]`) are
/// not what either text means.
pub(crate) fn loopback_host(host: &str) -> Option<LoopbackHost> {
    if host.eq_ignore_ascii_case("localhost") {
        return Some(LoopbackHost::Name);
    }
    let ip = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(inner) => inner
            .parse::<Ipv6Addr>()
            .is_ok_and(|a| a == Ipv6Addr::LOCALHOST),
        None => host.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback()),
    };
    ip.then_some(LoopbackHost::Ip)
}

fn is_loopback_host(host: &str) -> bool {
    loopback_host(host).is_some()
}

/// RFC 8252 §7.3: a loopback host and no port or a numeric one. The scheme does not change the
/// port's flexibility (docs/decisions.md#loopback-ports): the client picks the port at run time
/// whether it serves http or https there.
fn is_loopback_redirect(u: &Uri<'_>) -> bool {
    u.scheme()
        .is_some_and(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"))
        && u.host().is_some_and(is_loopback_host)
        && valid_port(u.port())
}

/// What the authority holds between the host and the `:` of the port (or its end).
fn host_tail<'a>(u: &Uri<'a>) -> &'a str {
    match (&u.host_range(), &u.authority_range()) {
        (Some(host), Some(auth)) => {
            let end = u.port_range().map_or(auth.end, |p| p.start - 1);
            u.raw.get(host.end..end).unwrap_or_default()
        }
        _ => "",
    }
}

/// A `.` or `..` segment, written plainly or percent-encoded (`%2e`).
fn has_dot_segment(path: &str) -> bool {
    let decoded = decode_unreserved(path);
    [path, &*decoded]
        .iter()
        .any(|p| p.split('/').any(|seg| seg == "." || seg == ".."))
}

/// `*` matches any run of characters, `/` included (as Python's `fnmatch`); the rest is literal.
fn glob(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    use MatchPolicy::{Exact, Rfc8252, Wildcard};

    fn m(registered: &[&str], requested: &str, policy: MatchPolicy) -> MatchResult {
        match_redirect(registered, requested, policy)
    }

    fn reason(registered: &str, requested: &str, policy: MatchPolicy) -> String {
        let r = m(&[registered], requested, policy);
        assert!(
            !r.matched,
            "{registered} unexpectedly matched {requested} under {policy}"
        );
        r.candidates[0].reason.clone()
    }

    #[track_caller]
    fn matches_under(registered: &str, requested: &str, policies: &[MatchPolicy]) {
        for policy in MatchPolicy::ALL {
            let r = m(&[registered], requested, policy);
            assert_eq!(
                r.matched,
                policies.contains(&policy),
                "{registered} vs {requested} under {policy}: {}",
                r.reason
            );
        }
    }

    #[test]
    fn identical_uris_match_under_every_policy() {
        for uri in [
            "https://app.example.com/cb",
            "http://127.0.0.1:3000/callback",
            "com.example.app:/oauth2redirect",
            "https://app.example.com/cb?mode=cli",
            "http://localhost:*/callback",
        ] {
            for policy in MatchPolicy::ALL {
                let r = m(&["https://other.example/", uri], uri, policy);
                assert!(r.matched, "{uri} under {policy}");
                assert_eq!(r.matched_index, Some(1));
                assert_eq!(r.matched_uri.as_deref(), Some(uri));
                assert_eq!(r.reason, "matches entry 1 exactly");
                assert_eq!(r.candidates[1].reason, "matches exactly");
                assert!(!r.candidates[0].matched);
            }
        }
    }

    #[test]
    fn ts_sdk_and_fastmcp_diverge_on_a_registered_loopback_port() {
        // The TS SDK accepts this, FastMCP does not (docs/decisions.md#loopback-ports).
        let reg = "http://localhost:3118/callback";
        let req = "http://localhost:53428/callback";
        matches_under(reg, req, &[Rfc8252, Wildcard]);
        let r = m(&[reg], req, Rfc8252);
        assert_eq!(
            r.reason,
            "matches entry 0 by RFC 8252 §7.3: loopback redirect, any port (registered 3118, requested 53428)"
        );
        let r = m(&[reg], req, Exact);
        assert!(
            r.candidates[0]
                .reason
                .starts_with("port differs (3118 vs 53428)"),
            "{}",
            r.reason
        );
        assert!(
            r.reason.ends_with(
                "Hint: under the exact policy the port must match; RFC 8252 servers accept any loopback port"
            ),
            "{}",
            r.reason
        );
    }

    #[test]
    fn loopback_without_a_registered_port_accepts_any_port_or_none() {
        matches_under(
            "http://127.0.0.1/callback",
            "http://127.0.0.1:51353/callback",
            &[Rfc8252, Wildcard],
        );
        matches_under(
            "http://127.0.0.1:8080/callback",
            "http://127.0.0.1/callback",
            &[Rfc8252, Wildcard],
        );
        matches_under(
            "http://localhost/callback",
            "http://localhost:1/callback",
            &[Rfc8252, Wildcard],
        );
        matches_under(
            "http://localhost/callback",
            "http://localhost:65535/callback",
            &[Rfc8252, Wildcard],
        );
        matches_under(
            "http://localhost/cb",
            "http://localhost:/cb",
            &[Rfc8252, Wildcard],
        );
        let r = m(
            &["http://127.0.0.1/callback"],
            "http://127.0.0.1:51353/callback",
            Rfc8252,
        );
        assert!(
            r.reason
                .ends_with("(registered without a port, requested 51353)"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn the_whole_127_slash_8_block_and_ipv6_loopback_are_loopback() {
        matches_under(
            "http://127.1.2.3/cb",
            "http://127.1.2.3:9/cb",
            &[Rfc8252, Wildcard],
        );
        matches_under(
            "http://[::1]/cb",
            "http://[::1]:8080/cb",
            &[Rfc8252, Wildcard],
        );
        matches_under(
            "http://[::1]:3000/cb",
            "http://[::1]:4000/cb",
            &[Rfc8252, Wildcard],
        );
        matches_under(
            "http://[0:0:0:0:0:0:0:1]:1/cb",
            "http://[0:0:0:0:0:0:0:1]:2/cb",
            &[Rfc8252, Wildcard],
        );
        // The scheme does not change the exception: https on a loopback host too.
        matches_under(
            "https://localhost:3000/cb",
            "https://localhost:4000/cb",
            &[Rfc8252, Wildcard],
        );
        matches_under(
            "https://localhost/cb",
            "https://localhost:8443/cb",
            &[Rfc8252, Wildcard],
        );
        matches_under(
            "https://127.0.0.1/cb",
            "https://127.0.0.1:8443/cb",
            &[Rfc8252, Wildcard],
        );
        // Not loopback: other addresses, a name that only contains "localhost", names under
        // `.localhost`, other spellings of 127.0.0.1, other schemes.
        matches_under("http://128.0.0.1/cb", "http://128.0.0.1:9/cb", &[]);
        matches_under("http://[::2]/cb", "http://[::2]:9/cb", &[]);
        matches_under(
            "http://localhost.example.com/cb",
            "http://localhost.example.com:9/cb",
            &[],
        );
        matches_under("http://app.localhost/cb", "http://app.localhost:9/cb", &[]);
        matches_under("http://2130706433/cb", "http://2130706433:9/cb", &[]);
        matches_under(
            "http://[::ffff:127.0.0.1]/cb",
            "http://[::ffff:127.0.0.1]:9/cb",
            &[],
        );
        assert!(
            reason("ftp://localhost:21/cb", "ftp://localhost:22/cb", Rfc8252)
                .contains("(the loopback port exception covers http and https, not ftp)")
        );
    }

    #[test]
    fn ipv6_loopback_does_not_cross_match_ipv4() {
        matches_under("http://[::1]/cb", "http://127.0.0.1:8080/cb", &[]);
        assert_eq!(
            reason("http://[::1]/cb", "http://127.0.0.1/cb", Rfc8252),
            "host differs: [::1] vs 127.0.0.1 (loopback hosts do not cross-match)"
        );
    }

    #[test]
    fn localhost_does_not_cross_match_127_0_0_1() {
        matches_under(
            "http://localhost/callback",
            "http://127.0.0.1:3000/callback",
            &[],
        );
        let r = m(
            &["http://localhost/callback"],
            "http://127.0.0.1:3000/callback",
            Rfc8252,
        );
        assert_eq!(
            r.candidates[0].reason,
            "host differs: localhost vs 127.0.0.1 (loopback hosts do not cross-match)"
        );
        assert!(
            r.reason
                .contains("Hint: loopback hosts are compared exactly"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn host_case_is_significant() {
        // The TS SDK's WHATWG parser lower-cases LOCALHOST; simple string comparison does not
        // (docs/decisions.md#loopback-hosts).
        matches_under("http://localhost:3000/cb", "http://LOCALHOST:3000/cb", &[]);
        matches_under("http://localhost/cb", "http://LOCALHOST:3000/cb", &[]);
        assert_eq!(
            reason(
                "http://localhost:3000/cb",
                "http://LOCALHOST:3000/cb",
                Rfc8252
            ),
            "case differs in the host: localhost vs LOCALHOST"
        );
        // A registered upper-case loopback name is still loopback, and matches itself on any port.
        matches_under(
            "http://LOCALHOST/cb",
            "http://LOCALHOST:3000/cb",
            &[Rfc8252, Wildcard],
        );
        assert_eq!(
            reason(
                "https://App.example.com/cb",
                "https://app.example.com/cb",
                Wildcard
            ),
            "case differs in the host: App.example.com vs app.example.com"
        );
    }

    #[test]
    fn a_query_must_match_under_every_policy() {
        // FastMCP ignores the query; nothing here does (docs/decisions.md#wildcards).
        matches_under(
            "https://app.example.com/cb",
            "https://app.example.com/cb?x=1",
            &[],
        );
        matches_under(
            "https://*.example.com/cb",
            "https://app.example.com/cb?x=1",
            &[],
        );
        matches_under(
            "http://localhost/cb?mode=cli",
            "http://localhost:3000/cb?mode=web",
            &[],
        );
        matches_under(
            "http://localhost/cb?mode=cli",
            "http://localhost:3000/cb?mode=cli",
            &[Rfc8252, Wildcard],
        );
        assert_eq!(
            reason(
                "https://app.example.com/cb",
                "https://app.example.com/cb?x=1",
                Wildcard
            ),
            "query differs: no query vs ?x=1"
        );
        assert_eq!(
            reason(
                "https://a.example/cb?x=1",
                "https://a.example/cb?x=2",
                Exact
            ),
            "query differs: ?x=1 vs ?x=2"
        );
        assert_eq!(
            reason(
                "https://a.example/cb?q=%7E",
                "https://a.example/cb?q=~",
                Exact
            ),
            "percent-encoding differs in the query: ?q=%7E vs ?q=~ (equivalent encodings still do not match)"
        );
        assert_eq!(
            reason("https://a.example/cb?", "https://a.example/cb", Exact),
            "query differs: ? vs no query"
        );
    }

    #[test]
    fn a_requested_fragment_never_matches() {
        for policy in MatchPolicy::ALL {
            for req in [
                "https://app.example.com/cb#x",
                "https://app.example.com/cb#",
            ] {
                let r = m(&["https://app.example.com/cb", req], req, policy);
                assert!(!r.matched, "{req} under {policy}");
                assert!(
                    r.reason
                        .starts_with("no match: the requested URI has a fragment"),
                    "{}",
                    r.reason
                );
                assert!(
                    r.candidates
                        .iter()
                        .all(|c| c.reason.starts_with("requested URI has a fragment"))
                );
            }
        }
        let r = m(
            &["https://app.example.com/cb"],
            "https://app.example.com/cb#x",
            Rfc8252,
        );
        assert_eq!(
            r.reason,
            "no match: the requested URI has a fragment (#x), which a redirect URI must not have (RFC 6749 §3.1.2)"
        );
    }

    #[test]
    fn a_registered_fragment_can_never_be_matched() {
        assert!(
            reason(
                "https://app.example.com/cb#x",
                "https://app.example.com/cb",
                Rfc8252
            )
            .starts_with("the registered URI has a fragment (#x)")
        );
    }

    #[test]
    fn a_relative_request_never_matches() {
        for policy in MatchPolicy::ALL {
            for req in ["/callback", "//app.example.com/cb", "", "1http://x/cb"] {
                let r = m(&[req, "https://app.example.com/cb"], req, policy);
                assert!(!r.matched, "{req:?} under {policy}");
                assert!(
                    r.reason
                        .starts_with("no match: the requested URI is not an absolute URI"),
                    "{}",
                    r.reason
                );
            }
        }
        assert_eq!(
            m(&["/cb"], "/cb", Exact).reason,
            "no match: the requested URI is not an absolute URI: it has no scheme (RFC 6749 §3.1.2)"
        );
        assert!(
            reason("/cb", "https://a.example/cb", Rfc8252)
                .contains("registered URI is not an absolute URI")
        );
    }

    #[test]
    fn no_registered_uris() {
        let r = m(&[], "https://app.example.com/cb", Rfc8252);
        assert!(!r.matched);
        assert_eq!(r.matched_index, None);
        assert_eq!(r.matched_uri, None);
        assert!(r.candidates.is_empty());
        assert_eq!(r.reason, "no match: there are no registered redirect URIs");
    }

    #[test]
    fn a_non_loopback_port_must_match() {
        matches_under(
            "https://app.example.com:8080/cb",
            "https://app.example.com:3000/cb",
            &[],
        );
        assert_eq!(
            reason(
                "https://app.example.com:8080/cb",
                "https://app.example.com:3000/cb",
                Rfc8252
            ),
            "port differs (8080 vs 3000) and the registered URI is not a loopback redirect"
        );
        assert_eq!(
            reason(
                "https://app.example.com/cb",
                "https://app.example.com:3000/cb",
                Rfc8252
            ),
            "port differs (no port vs 3000) and the registered URI is not a loopback redirect"
        );
    }

    #[test]
    fn default_ports_are_not_normalized() {
        matches_under(
            "https://app.example.com/cb",
            "https://app.example.com:443/cb",
            &[],
        );
        matches_under(
            "http://app.example.com:80/cb",
            "http://app.example.com/cb",
            &[],
        );
        assert_eq!(
            reason(
                "https://app.example.com/cb",
                "https://app.example.com:443/cb",
                Wildcard
            ),
            "port differs (no port vs 443): the default port is not implied (no port normalization)"
        );
    }

    #[test]
    fn scheme_differences() {
        matches_under(
            "https://app.example.com/cb",
            "http://app.example.com/cb",
            &[],
        );
        assert_eq!(
            reason(
                "https://app.example.com/cb",
                "http://app.example.com/cb",
                Rfc8252
            ),
            "scheme differs: https vs http"
        );
        assert_eq!(
            reason("http://localhost/cb", "HTTP://localhost:3000/cb", Rfc8252),
            "case differs in the scheme: http vs HTTP"
        );
        // A loopback host over https is not port-flexible, and http://localhost does not match https.
        matches_under("http://localhost/cb", "https://localhost:3000/cb", &[]);
    }

    #[test]
    fn path_differences() {
        assert_eq!(
            reason(
                "https://a.example/callback",
                "https://a.example/callback/",
                Rfc8252
            ),
            "path differs: /callback vs /callback/ (trailing slash)"
        );
        assert_eq!(
            reason("https://a.example", "https://a.example/", Exact),
            "path differs: (empty) vs / (trailing slash)"
        );
        assert_eq!(
            reason(
                "https://a.example/%7Euser",
                "https://a.example/~user",
                Rfc8252
            ),
            "percent-encoding differs: /%7Euser vs /~user (equivalent encodings still do not match)"
        );
        assert_eq!(
            reason(
                "https://a.example/a%2fb",
                "https://a.example/a%2Fb",
                Rfc8252
            ),
            "percent-encoding differs: /a%2fb vs /a%2Fb (equivalent encodings still do not match)"
        );
        assert_eq!(
            reason(
                "https://a.example/Callback",
                "https://a.example/callback",
                Rfc8252
            ),
            "case differs in the path: /Callback vs /callback"
        );
        assert_eq!(
            reason("https://a.example/a", "https://a.example/b", Rfc8252),
            "path differs: /a vs /b"
        );
        // The loopback exception covers the port only.
        matches_under(
            "http://127.0.0.1:3000/callback",
            "http://127.0.0.1:4000/callback/",
            &[],
        );
    }

    #[test]
    fn userinfo_and_authority_differences() {
        assert_eq!(
            reason(
                "http://localhost/cb",
                "http://evil.example@localhost:3000/cb",
                Rfc8252
            ),
            "userinfo differs: none vs `evil.example@`"
        );
        assert_eq!(
            reason("com.example.app:/cb", "com.example.app://cb", Exact),
            "authority differs: none vs //cb; path differs: /cb vs (empty)"
        );
        // Text after a malformed IP literal is not silently ignored.
        matches_under("http://[::1]/cb", "http://[::1]x/cb", &[]);
    }

    #[test]
    fn several_differences_are_all_listed() {
        assert_eq!(
            reason(
                "https://a.example:8443/cb?x=1",
                "http://b.example/cb/?x=2",
                Rfc8252
            ),
            "scheme differs: https vs http; host differs: a.example vs b.example; \
             port differs (8443 vs no port) and the registered URI is not a loopback redirect; \
             path differs: /cb vs /cb/ (trailing slash); query differs: ?x=1 vs ?x=2"
        );
    }

    #[test]
    fn the_closest_candidate_explains_a_miss() {
        let registered = [
            "https://other.example/x/y?z",
            "http://localhost:3118/callback",
        ];
        let r = m(&registered, "http://localhost:53428/callback", Exact);
        assert!(!r.matched);
        assert_eq!(
            r.reason,
            "no match: the closest registered redirect URI is entry 1, http://localhost:3118/callback: \
             port differs (3118 vs 53428); the exact policy does not apply the RFC 8252 §7.3 loopback \
             exception. Hint: under the exact policy the port must match; RFC 8252 servers accept any \
             loopback port"
        );
        let r = m(&["https://a.example/cb"], "https://a.example/cb/", Exact);
        assert!(r.reason.starts_with(
            "no match: the only registered redirect URI, https://a.example/cb, differs: "
        ));
        assert!(
            r.reason
                .contains("Hint: redirect URIs are compared as exact strings"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn an_exact_match_is_preferred_over_a_lenient_one() {
        let registered = ["http://127.0.0.1/cb", "http://127.0.0.1:3000/cb"];
        let r = m(&registered, "http://127.0.0.1:3000/cb", Rfc8252);
        assert_eq!(r.matched_index, Some(1));
        assert!(r.candidates.iter().all(|c| c.matched));
        assert_eq!(
            r.candidates[0].reason,
            "matches by RFC 8252 §7.3: loopback redirect, any port (registered without a port, requested 3000)"
        );
    }

    #[test]
    fn an_invalid_requested_port_does_not_match_a_loopback_redirect() {
        for port in ["abc", "99999", "-1", "+80", "*"] {
            let req = format!("http://localhost:{port}/cb");
            matches_under("http://localhost/cb", &req, &[]);
            assert_eq!(
                reason("http://localhost/cb", &req, Rfc8252),
                format!("requested port `{port}` is not a valid port (digits, 0 to 65535)")
            );
        }
    }

    #[test]
    fn wildcard_port() {
        let reg = "http://localhost:*/callback";
        matches_under(reg, "http://localhost:3000/callback", &[Wildcard]);
        matches_under(reg, "http://localhost/callback", &[Wildcard]);
        matches_under(reg, "http://127.0.0.1:3000/callback", &[]);
        matches_under(reg, "http://localhost:3000/other", &[]);
        matches_under(
            "https://app.example.com:*/cb",
            "https://app.example.com:8443/cb",
            &[Wildcard],
        );
        assert_eq!(
            reason(reg, "http://localhost:3000/callback", Rfc8252),
            "registered URI uses a wildcard (port `*`), which only the wildcard policy understands"
        );
        let r = m(&[reg], "http://localhost:3000/callback", Exact);
        assert!(
            r.reason.contains("Hint: wildcards are a FastMCP extension"),
            "{}",
            r.reason
        );
        assert_eq!(
            m(&[reg], "http://localhost:3000/callback", Wildcard).reason,
            "matches entry 0 by wildcard: port * matches 3000"
        );
        assert_eq!(
            reason(reg, "http://localhost:x/callback", Wildcard),
            "requested port `x` is not a valid port (digits, 0 to 65535)"
        );
    }

    #[test]
    fn wildcard_host() {
        let reg = "https://*.example.com/cb";
        matches_under(reg, "https://app.example.com/cb", &[Wildcard]);
        matches_under(reg, "https://a.b-c.example.com/cb", &[Wildcard]);
        matches_under(reg, "https://example.com/cb", &[]);
        matches_under(reg, "https://.example.com/cb", &[]);
        matches_under(reg, "https://a..example.com/cb", &[]);
        matches_under(reg, "https://evil-example.com/cb", &[]);
        matches_under(reg, "https://app.example.com.evil.net/cb", &[]);
        matches_under(reg, "https://evil.net@app.example.com/cb", &[]);
        matches_under(reg, "https://app.example.com:8443/cb", &[]);
        matches_under(reg, "http://app.example.com/cb", &[]);
        assert_eq!(
            reason(reg, "https://example.com/cb", Wildcard),
            "host differs: *.example.com matches subdomains of example.com only, not example.com itself"
        );
        assert_eq!(
            reason(reg, "https://evil.net/cb", Wildcard),
            "host differs: evil.net is not a subdomain of example.com"
        );
        assert_eq!(
            reason(reg, "https://app.example.com/cb", Rfc8252),
            "registered URI uses a wildcard (host `*.example.com`), which only the wildcard policy understands"
        );
        assert_eq!(
            m(&[reg], "https://a.b.example.com/cb", Wildcard).reason,
            "matches entry 0 by wildcard: host *.example.com matches a.b.example.com"
        );
        // Only a leading `*.` label is a wildcard.
        matches_under(
            "https://app-*.example.com/cb",
            "https://app-1.example.com/cb",
            &[],
        );
    }

    #[test]
    fn wildcard_path() {
        let reg = "https://app.example.com/auth/*";
        matches_under(reg, "https://app.example.com/auth/cb", &[Wildcard]);
        matches_under(reg, "https://app.example.com/auth/a/b", &[Wildcard]);
        matches_under(reg, "https://app.example.com/auth/", &[Wildcard]);
        matches_under(reg, "https://app.example.com/other/cb", &[]);
        matches_under(reg, "https://app.example.com/auth/../steal", &[]);
        matches_under(reg, "https://app.example.com/auth/%2e%2E/steal", &[]);
        matches_under(reg, "https://app.example.com/auth/cb?x=1", &[]);
        matches_under(
            "https://app.example.com/*/cb",
            "https://app.example.com/a/b/cb",
            &[Wildcard],
        );
        matches_under(
            "https://app.example.com/*/cb",
            "https://app.example.com/a/b/cbx",
            &[],
        );
        matches_under(
            "http://localhost:*/*",
            "http://localhost:5000/anything",
            &[Wildcard],
        );
        // FastMCP lets an empty or `/` pattern path match any path; here it stays exact.
        matches_under("http://localhost:*", "http://localhost:3000/callback", &[]);
        assert!(
            reason(reg, "https://app.example.com/auth/../steal", Wildcard)
                .starts_with("requested path /auth/../steal has a `.` or `..` segment")
        );
        assert_eq!(
            reason(reg, "https://app.example.com/other", Wildcard),
            "path differs: /other does not match the pattern /auth/*"
        );
        assert_eq!(
            m(
                &["http://localhost:*/cb/*"],
                "http://localhost:1234/cb/x",
                Wildcard
            )
            .reason,
            "matches entry 0 by wildcard: port * matches 1234, path /cb/* matches /cb/x"
        );
    }

    #[test]
    fn glob_semantics() {
        assert!(glob("/a/*", "/a/"));
        assert!(glob("*", ""));
        assert!(glob("/a*b*c", "/abc"));
        assert!(glob("/a*b*c", "/axxbyyc"));
        assert!(!glob("/a*b*c", "/axxbyy"));
        assert!(!glob("/a*a", "/a"));
        assert!(glob("/a*a", "/aa"));
        assert!(!glob("/x", "/xy"));
    }

    #[test]
    fn policy_names_round_trip() {
        for policy in MatchPolicy::ALL {
            assert_eq!(policy.as_str().parse::<MatchPolicy>(), Ok(policy));
            assert_eq!(
                serde_json::to_value(policy).unwrap(),
                serde_json::json!(policy.as_str())
            );
            assert_eq!(
                serde_json::from_value::<MatchPolicy>(serde_json::json!(policy.as_str())).unwrap(),
                policy
            );
        }
        assert_eq!("RFC8252".parse::<MatchPolicy>(), Ok(Rfc8252));
        assert_eq!(MatchPolicy::default(), Rfc8252);
        let err = "fuzzy".parse::<MatchPolicy>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown match policy `fuzzy`: expected rfc8252, exact or wildcard"
        );
    }

    #[test]
    fn result_serializes_with_snake_case_fields() {
        let r = m(
            &["http://127.0.0.1/cb"],
            "http://127.0.0.1:8080/cb",
            Rfc8252,
        );
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["matched"], true);
        assert_eq!(v["policy"], "rfc8252");
        assert_eq!(v["requested"], "http://127.0.0.1:8080/cb");
        assert_eq!(v["matched_index"], 0);
        assert_eq!(v["matched_uri"], "http://127.0.0.1/cb");
        assert_eq!(v["candidates"][0]["index"], 0);
        assert_eq!(v["candidates"][0]["registered"], "http://127.0.0.1/cb");
        assert_eq!(v["candidates"][0]["matched"], true);
        assert!(v["candidates"][0]["reason"].is_string());
        let v = serde_json::to_value(m(&[], "x:y", Exact)).unwrap();
        assert_eq!(v["matched_index"], serde_json::Value::Null);
        assert_eq!(v["policy"], "exact");
    }
}
