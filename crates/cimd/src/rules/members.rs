//! Member names and JSON types: registered members have RFC 7591 / OpenID types; unknown members
//! are accepted (RFC 7591 §2: servers MUST ignore what they don't understand) but listed.

use super::{Cx, Doc, MemberPtr, pointer};
use crate::codes::declare_code;
use crate::json::{Node, Value};

declare_code! {
    /// ## What it checks
    /// Lists members that are not registered client metadata (IANA "OAuth Dynamic Client
    /// Registration Metadata" and OpenID Connect Registration).
    ///
    /// ## Why
    /// RFC 7591 §2: an authorization server MUST ignore metadata it does not understand, so an
    /// unknown member is harmless to conforming servers, but it is never used either (and cerberauth
    /// rejects unknown members). cimd accepts them and lists them as info
    /// (docs/decisions.md#unknown-members).
    ///
    /// ## Example
    /// ```json
    /// {"client_id": "...", "theme_color": "#ff0000"}
    /// ```
    pub(crate) static UNKNOWN_MEMBER = "CIMD012" "unknown-member" {
        mcp: Info, ietf: Info,
        spec: "RFC 7591 §2",
        title: "a member is not registered client metadata",
        help: "remove it unless a specific server documents it; servers ignore unknown members",
    }
}

declare_code! {
    /// ## What it checks
    /// Unknown member names that look like a misspelt registered one (`redirect_uri`, `clientName`,
    /// `grant_type`, `logo_url`).
    ///
    /// ## Why
    /// Servers ignore unknown members (RFC 7591 §2), so a typo silently drops the metadata: a
    /// misspelt `redirect_uris` leaves the client with no redirect URI at all
    /// (docs/decisions.md#unknown-members).
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uri": ["http://127.0.0.1/callback"]}
    /// ```
    pub(crate) static MEMBER_NAME_TYPO = "CIMD013" "member-name-typo" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 7591 §2",
        title: "a member name looks like a misspelt registered name",
        help: "rename the member to the registered name",
    }
}

declare_code! {
    /// ## What it checks
    /// That each registered member has its JSON type: strings for `client_id`, `client_name`, URLs,
    /// `scope` and `token_endpoint_auth_method`; arrays of strings for `redirect_uris`,
    /// `grant_types`, `response_types` and `contacts`; an object for `jwks`; never `null`.
    ///
    /// ## Why
    /// RFC 7591 §2 defines each member's type; a server parsing into typed fields refuses the whole
    /// document on a type error. `null` has no meaning for an optional member
    /// (docs/decisions.md#null-and-empty): omit it.
    ///
    /// ## Example
    /// ```json
    /// {"redirect_uris": "http://127.0.0.1/callback", "scope": ["read"], "logo_uri": null}
    /// ```
    pub(crate) static MEMBER_WRONG_TYPE = "CIMD014" "member-wrong-type" {
        mcp: Error, ietf: Error,
        spec: "RFC 7591 §2",
        title: "a member has the wrong JSON type",
        help: "give the member the type RFC 7591 defines, or remove it",
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Strings,
    Object,
    Number,
    Bool,
    /// Forbidden members (`client_secret`): any type, reported by their own rule.
    Any,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Strings => "an array of strings",
            Kind::Object => "an object",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Any => "any value",
        }
    }
}

/// Registered client metadata: RFC 7591 §2, RFC 7591 §3.2.1 response members, OpenID Connect
/// Dynamic Client Registration §2, RFC 8705, RFC 9126, RFC 9449, RFC 9396, OpenID front/back-channel logout.
const KNOWN: &[(&str, Kind)] = &[
    ("client_id", Kind::String),
    ("client_name", Kind::String),
    ("redirect_uris", Kind::Strings),
    ("token_endpoint_auth_method", Kind::String),
    ("grant_types", Kind::Strings),
    ("response_types", Kind::Strings),
    ("client_uri", Kind::String),
    ("logo_uri", Kind::String),
    ("scope", Kind::String),
    ("contacts", Kind::Strings),
    ("tos_uri", Kind::String),
    ("policy_uri", Kind::String),
    ("jwks_uri", Kind::String),
    ("jwks", Kind::Object),
    ("software_id", Kind::String),
    ("software_version", Kind::String),
    ("software_statement", Kind::String),
    ("client_secret", Kind::Any),
    ("client_secret_expires_at", Kind::Any),
    ("client_id_issued_at", Kind::Number),
    ("registration_access_token", Kind::String),
    ("registration_client_uri", Kind::String),
    ("application_type", Kind::String),
    ("sector_identifier_uri", Kind::String),
    ("subject_type", Kind::String),
    ("id_token_signed_response_alg", Kind::String),
    ("id_token_encrypted_response_alg", Kind::String),
    ("id_token_encrypted_response_enc", Kind::String),
    ("userinfo_signed_response_alg", Kind::String),
    ("userinfo_encrypted_response_alg", Kind::String),
    ("userinfo_encrypted_response_enc", Kind::String),
    ("request_object_signing_alg", Kind::String),
    ("request_object_encryption_alg", Kind::String),
    ("request_object_encryption_enc", Kind::String),
    ("token_endpoint_auth_signing_alg", Kind::String),
    ("default_max_age", Kind::Number),
    ("require_auth_time", Kind::Bool),
    ("default_acr_values", Kind::Strings),
    ("initiate_login_uri", Kind::String),
    ("request_uris", Kind::Strings),
    ("post_logout_redirect_uris", Kind::Strings),
    ("frontchannel_logout_uri", Kind::String),
    ("frontchannel_logout_session_required", Kind::Bool),
    ("backchannel_logout_uri", Kind::String),
    ("backchannel_logout_session_required", Kind::Bool),
    ("tls_client_auth_subject_dn", Kind::String),
    ("tls_client_auth_san_dns", Kind::String),
    ("tls_client_auth_san_uri", Kind::String),
    ("tls_client_auth_san_ip", Kind::String),
    ("tls_client_auth_san_email", Kind::String),
    ("tls_client_certificate_bound_access_tokens", Kind::Bool),
    ("require_pushed_authorization_requests", Kind::Bool),
    ("dpop_bound_access_tokens", Kind::Bool),
    ("authorization_details_types", Kind::Strings),
    ("require_signed_request_object", Kind::Bool),
    ("client_id_expires_at", Kind::Number),
    // OpenID Connect RP Metadata Choices 1.0: the lists beside the singular members; -03 §6 takes
    // `token_endpoint_auth_methods_supported` from it.
    ("token_endpoint_auth_methods_supported", Kind::Strings),
    (
        "token_endpoint_auth_signing_alg_values_supported",
        Kind::Strings,
    ),
    ("subject_types_supported", Kind::Strings),
    ("id_token_signing_alg_values_supported", Kind::Strings),
    ("id_token_encryption_alg_values_supported", Kind::Strings),
    ("id_token_encryption_enc_values_supported", Kind::Strings),
    ("userinfo_signing_alg_values_supported", Kind::Strings),
    ("userinfo_encryption_alg_values_supported", Kind::Strings),
    ("userinfo_encryption_enc_values_supported", Kind::Strings),
    ("request_object_signing_alg_values_supported", Kind::Strings),
    (
        "request_object_encryption_alg_values_supported",
        Kind::Strings,
    ),
    (
        "request_object_encryption_enc_values_supported",
        Kind::Strings,
    ),
];

/// Human-readable members that may carry a BCP 47 language tag (`client_name#ja-Jpan-JP`, RFC 7591 §2.2).
const LOCALIZABLE: &[&str] = &[
    "client_name",
    "client_uri",
    "logo_uri",
    "tos_uri",
    "policy_uri",
];

/// Names people write instead of the registered ones, beyond what edit distance finds.
const ALIASES: &[(&str, &str)] = &[
    ("redirect_uri", "redirect_uris"),
    ("redirect_url", "redirect_uris"),
    ("redirect_urls", "redirect_uris"),
    ("redirects", "redirect_uris"),
    ("callback_urls", "redirect_uris"),
    ("grant_type", "grant_types"),
    ("response_type", "response_types"),
    ("name", "client_name"),
    ("app_name", "client_name"),
    ("application_name", "client_name"),
    ("logo", "logo_uri"),
    ("logo_url", "logo_uri"),
    ("icon_uri", "logo_uri"),
    ("client_url", "client_uri"),
    ("homepage", "client_uri"),
    ("website", "client_uri"),
    ("tos_url", "tos_uri"),
    ("terms_of_service", "tos_uri"),
    ("policy_url", "policy_uri"),
    ("privacy_policy", "policy_uri"),
    ("jwks_url", "jwks_uri"),
    ("auth_method", "token_endpoint_auth_method"),
    ("token_endpoint_auth_methods", "token_endpoint_auth_method"),
    ("scopes", "scope"),
    ("contact", "contacts"),
    ("id", "client_id"),
    ("clientid", "client_id"),
];

/// The kind of value a member holds; `tagged` says whether any name in the document has a `#`.
fn kind_of(name: &str, tagged: bool) -> Option<Kind> {
    let tag_at = if tagged {
        name.as_bytes().iter().position(|&b| b == b'#')
    } else {
        None
    };
    let base = match tag_at.map(|i| (&name[..i], &name[i + 1..])) {
        Some((base, tag)) if LOCALIZABLE.contains(&base) && !tag.is_empty() => base,
        _ => name,
    };
    // The common members first: most documents have nothing else.
    match base {
        "client_id"
        | "client_name"
        | "token_endpoint_auth_method"
        | "client_uri"
        | "logo_uri"
        | "scope"
        | "tos_uri"
        | "policy_uri"
        | "jwks_uri"
        | "software_id"
        | "software_version"
        | "software_statement"
        | "application_type" => Some(Kind::String),
        "redirect_uris" | "grant_types" | "response_types" | "contacts" => Some(Kind::Strings),
        "jwks" => Some(Kind::Object),
        _ => KNOWN.iter().find(|(n, _)| *n == base).map(|(_, k)| *k),
    }
}

fn matches(kind: Kind, node: &Node<'_>) -> bool {
    match (kind, &node.value) {
        (Kind::Any, _)
        | (Kind::String, Value::String(_))
        | (Kind::Object, Value::Object(_))
        | (Kind::Number, Value::Number(_))
        | (Kind::Bool, Value::Bool(_)) => true,
        (Kind::Strings, Value::Array(items)) => {
            items.iter().all(|i| matches!(i.value, Value::String(_)))
        }
        _ => false,
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let mut unknown = Vec::new();
    for member in doc.members {
        let name = member.name.as_ref();
        match kind_of(name, doc.tagged) {
            Some(kind) if !matches(kind, &member.value) => {
                report_type(name, kind, &member.value, &pointer(name), cx);
            }
            Some(_) => {}
            None => {
                if let Some(suggestion) = suggest(name) {
                    let present = doc.member(suggestion).is_some();
                    let message = if present {
                        format!(
                            "`{name}` looks like a misspelling of `{suggestion}` (which is also present); servers ignore `{name}`"
                        )
                    } else {
                        format!(
                            "`{name}` is not registered metadata; did you mean `{suggestion}`? Servers ignore `{name}`"
                        )
                    };
                    cx.report_help(
                        &MEMBER_NAME_TYPO,
                        message,
                        format!("rename `{name}` to `{suggestion}`"),
                        MemberPtr(name),
                        member.name_span,
                    );
                } else {
                    unknown.push(member);
                }
            }
        }
    }
    for member in unknown {
        cx.report(
            &UNKNOWN_MEMBER,
            format!(
                "`{}` is not registered client metadata; servers ignore it",
                member.name
            ),
            &pointer(&member.name),
            member.name_span,
        );
    }
}

fn report_type(name: &str, kind: Kind, node: &Node<'_>, ptr: &String, cx: &mut Cx<'_>) {
    if kind == Kind::Strings
        && let Value::Array(items) = &node.value
    {
        for (i, item) in items.iter().enumerate() {
            if !matches!(item.value, Value::String(_)) {
                cx.report(
                    &MEMBER_WRONG_TYPE,
                    format!(
                        "`{name}` must be an array of strings; item {i} is a {}",
                        item.type_name()
                    ),
                    &format!("{ptr}/{i}"),
                    item.span,
                );
            }
        }
        return;
    }
    let (message, help) = if matches!(node.value, Value::Null) {
        (
            format!("`{name}` is null; an optional member is omitted, never null"),
            format!("remove `{name}` or give it {}", kind.describe()),
        )
    } else if kind == Kind::Strings && matches!(node.value, Value::String(_)) {
        (
            format!("`{name}` must be an array of strings, not a single string"),
            format!("wrap the value in brackets: \"{name}\": [ ... ]"),
        )
    } else {
        (
            format!(
                "`{name}` must be {}, not a {}",
                kind.describe(),
                node.type_name()
            ),
            format!("give `{name}` {}", kind.describe()),
        )
    };
    cx.report_help(&MEMBER_WRONG_TYPE, message, help, ptr, node.span);
}

/// A registered name close to `name`: an alias, the snake_case of a camelCase name, or one within
/// two edits (names of six letters or more, so short unknown names aren't forced onto a known one).
fn suggest(name: &str) -> Option<&'static str> {
    let normalized = snake_case(name);
    if let Some((_, to)) = ALIASES.iter().find(|(from, _)| *from == normalized) {
        return Some(to);
    }
    if let Some((known, _)) = KNOWN.iter().find(|(k, _)| *k == normalized) {
        return Some(known);
    }
    if normalized.len() < 6 {
        return None;
    }
    KNOWN
        .iter()
        .map(|(k, _)| (*k, edit_distance(&normalized, k)))
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| k)
}

/// `clientName`, `Client-Name`, `client name` -> `client_name`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.trim().chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c == '-' || c == ' ' {
            out.push('_');
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// Levenshtein distance (names are short; the quadratic table is a few hundred cells).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::*;

    #[test]
    fn suggests_registered_names() {
        assert_eq!(suggest("redirect_uri"), Some("redirect_uris"));
        assert_eq!(suggest("clientName"), Some("client_name"));
        assert_eq!(suggest("redirectUris"), Some("redirect_uris"));
        assert_eq!(suggest("clinet_name"), Some("client_name"));
        assert_eq!(suggest("theme_color"), None);
        assert_eq!(suggest("x"), None);
    }

    #[test]
    fn unknown_member_is_info_and_typo_a_warning() {
        let report = run(&with("theme_color", Some("\"red\"")));
        assert_has(&report, "CIMD012");
        assert!(report.valid);
        let report = run(&with("clientName", Some("\"x\"")));
        assert_has(&report, "CIMD013");
        assert_lacks(&report, "CIMD012");
    }

    #[test]
    fn localized_names_are_known() {
        let report = run(&with("client_name#ja-Jpan-JP", Some("\"アプリ\"")));
        assert_lacks(&report, "CIMD012");
        let report = run(&with("client_name#ja", Some("1")));
        assert_has(&report, "CIMD014");
    }

    #[test]
    fn wrong_types_point_at_the_value() {
        let report = run(&with(
            "redirect_uris",
            Some("\"https://app.example.com/cb\""),
        ));
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.code() == "CIMD014")
            .unwrap();
        assert_eq!(d.pointer.as_deref(), Some("/redirect_uris"));
        assert!(d.message.contains("not a single string"));
        let report = run(&with(
            "redirect_uris",
            Some("[\"https://app.example.com/cb\", 3]"),
        ));
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.code() == "CIMD014")
            .unwrap();
        assert_eq!(d.pointer.as_deref(), Some("/redirect_uris/1"));
        let report = run(&with("logo_uri", Some("null")));
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.code() == "CIMD014" && d.message.contains("null"))
        );
    }
}
