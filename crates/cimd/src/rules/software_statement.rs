//! `software_statement` is a JWT (RFC 7591 §2.3; -02 §4.3), and its claims keep the rules on
//! secrets, methods and keys (-03 §4.1, §6; docs/decisions.md#software-statement).

use super::auth_method::SHARED_SECRET;
use super::{Cx, Doc, keys};
use crate::codes::declare_code;
use crate::json::{Node, Value};

declare_code! {
    /// ## What it checks
    /// That `software_statement` is a JWT: three base64url parts separated by dots (JWS compact
    /// serialization) whose header and payload decode to JSON objects. The signature is not
    /// verified.
    ///
    /// ## Why
    /// RFC 7591 §2.3: a software statement is a JWT; -02 §4.3 allows it in a CIMD document. A
    /// server that verifies statements rejects anything else, and cimd cannot check the claims of
    /// a statement it cannot decode (docs/decisions.md#software-statement).
    ///
    /// ## Example
    /// ```json
    /// {"software_statement": "my-app-v1"}
    /// ```
    pub(crate) static SOFTWARE_STATEMENT_INVALID = "CIMD417" "software-statement-invalid" {
        mcp: Warning, ietf: Warning,
        spec: "RFC 7591 §2.3; draft-ietf-oauth-client-id-metadata-document-02 §4.3",
        title: "software_statement is not a JWT",
        help: "put a signed JWT (header.payload.signature) here, or remove the member",
    }
}

declare_code! {
    /// ## What it checks
    /// The claims of `software_statement` (its payload, decoded without verifying the signature)
    /// against the rules for the document itself: no `client_secret` or
    /// `client_secret_expires_at`, no shared-secret method in `token_endpoint_auth_method` or
    /// `token_endpoint_auth_methods_supported`, that list neither empty nor with a method twice,
    /// the method among the methods supported, the signing algorithm among the algorithms
    /// supported, keys
    /// (in the claims or the document) for a `private_key_jwt` claim, and in `jwks` no private key
    /// material, whole public keys, and not `jwks_uri` as well.
    ///
    /// ## Why
    /// -03: the credential and key-material restrictions apply to the claims inside a software
    /// statement as well. A server that accepts the statement takes its claims as client metadata
    /// (RFC 7591 §2.3), so a secret in it is published just the same
    /// (docs/decisions.md#software-statement).
    ///
    /// ## Example
    /// A statement whose payload is `{"client_secret": "s3cr3t"}`:
    /// ```json
    /// {"software_statement": "eyJhbGciOiJSUzI1NiJ9.eyJjbGllbnRfc2VjcmV0IjoiczNjcjN0In0.c2ln"}
    /// ```
    pub(crate) static SOFTWARE_STATEMENT_FORBIDDEN_CLAIM = "CIMD220" "software-statement-forbidden-claim" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4.1, §6; RFC 7591 §2.3",
        title: "a claim of software_statement breaks the rules on secrets, methods or keys",
        help: "issue a new software statement without the claim (and rotate any secret or key it published)",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let Some(statement) = doc.string("software_statement") else {
        return;
    };
    let parts: Vec<&str> = statement.value.split('.').collect();
    let base64url = |p: &&str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if parts.len() != 3
        || !parts[..2].iter().all(base64url)
        || !(parts[2].is_empty() || base64url(&parts[2]))
    {
        cx.report(
            &SOFTWARE_STATEMENT_INVALID,
            "`software_statement` is not a JWT (header.payload.signature in base64url)",
            "/software_statement",
            statement.node.span,
        );
        return;
    }
    let (Some(header), Some(payload)) = (decode(parts[0]), decode(parts[1])) else {
        cx.report(
            &SOFTWARE_STATEMENT_INVALID,
            "`software_statement` is not a JWT: its header or payload is not base64url",
            "/software_statement",
            statement.node.span,
        );
        return;
    };
    let header = crate::json::parse(&header);
    let payload = crate::json::parse(&payload);
    let object = |p: &crate::json::Parsed<'_>| {
        p.is_valid_json() && matches!(p.root.as_ref().map(|r| &r.value), Some(Value::Object(_)))
    };
    if !object(&header) || !object(&payload) {
        cx.report(
            &SOFTWARE_STATEMENT_INVALID,
            "`software_statement` is not a JWT: its header or payload is not a JSON object",
            "/software_statement",
            statement.node.span,
        );
        return;
    }
    if let Some(claims) = &payload.root {
        let document_keys = doc.member("jwks").is_some() || doc.member("jwks_uri").is_some();
        for problem in forbidden_claims(claims, document_keys) {
            cx.report(
                &SOFTWARE_STATEMENT_FORBIDDEN_CLAIM,
                ["the software statement's claim ", &problem].concat(),
                "/software_statement",
                statement.node.span,
            );
        }
    }
}

/// What the claims break, each naming its claim: the rules on secrets, methods and keys that the
/// document itself follows. `document_keys`: the document publishes keys, which a `private_key_jwt`
/// claim may rely on.
fn forbidden_claims(claims: &Node<'_>, document_keys: bool) -> Vec<String> {
    let mut out = Vec::new();
    for name in ["client_secret", "client_secret_expires_at"] {
        if claims.get(name).is_some() {
            out.push(format!("`{name}` publishes a shared secret (-03 §4.1)"));
        }
    }
    let single = claims
        .get("token_endpoint_auth_method")
        .and_then(|m| m.value.as_str());
    if let Some(method) = single.filter(|m| SHARED_SECRET.contains(m)) {
        out.push(format!(
            "`token_endpoint_auth_method` is `{method}`, a shared-secret method (-03 §4.1)"
        ));
    }
    let list: Option<Vec<&str>> = match claims
        .get("token_endpoint_auth_methods_supported")
        .map(|m| &m.value.value)
    {
        Some(Value::Array(items)) => Some(items.iter().filter_map(Node::as_str).collect()),
        _ => None,
    };
    if let Some(list) = &list {
        if list.is_empty() {
            out.push("`token_endpoint_auth_methods_supported` is empty (-03 §6)".to_owned());
        }
        for (i, method) in list.iter().enumerate() {
            if list[..i].contains(method) {
                out.push(format!(
                    "`token_endpoint_auth_methods_supported` lists `{method}` twice (-03 §6)"
                ));
            }
        }
        for method in list.iter().filter(|m| SHARED_SECRET.contains(m)) {
            out.push(format!(
                "`token_endpoint_auth_methods_supported` lists `{method}`, a shared-secret method (-03 §6)"
            ));
        }
        if let Some(method) = single.filter(|m| !list.contains(m)) {
            out.push(format!(
                "`token_endpoint_auth_method` (`{method}`) is not in `token_endpoint_auth_methods_supported` (-03 §6)"
            ));
        }
    }
    // The signing algorithm pairs with its list as the method does (RP Metadata Choices 1.0).
    let alg = claims
        .get("token_endpoint_auth_signing_alg")
        .and_then(|m| m.value.as_str());
    if let (Some(alg), Some(Value::Array(algs))) = (
        alg,
        claims
            .get("token_endpoint_auth_signing_alg_values_supported")
            .map(|m| &m.value.value),
    ) && !algs.iter().any(|a| a.as_str() == Some(alg))
    {
        out.push(format!(
            "`token_endpoint_auth_signing_alg` (`{alg}`) is not in `token_endpoint_auth_signing_alg_values_supported`"
        ));
    }
    let private_key_jwt = single == Some("private_key_jwt")
        || list
            .as_ref()
            .is_some_and(|l| l.contains(&"private_key_jwt"));
    if private_key_jwt
        && !document_keys
        && claims.get("jwks").is_none()
        && claims.get("jwks_uri").is_none()
    {
        out.push(
            "declares `private_key_jwt`, but neither the claims nor the document have `jwks` or `jwks_uri`"
                .to_owned(),
        );
    }
    if let Some(jwks) = claims.get("jwks") {
        if claims.get("jwks_uri").is_some() {
            out.push("`jwks` comes with `jwks_uri` (RFC 7591 §2)".to_owned());
        }
        if let Some(Value::Array(keys)) = jwks.value.get("keys").map(|k| &k.value.value) {
            for (i, key) in keys.iter().enumerate() {
                for member in keys::private_members(key) {
                    out.push(format!(
                        "`jwks` key {i} has `{member}`, private key material (-03 §4.1)"
                    ));
                }
                let missing = keys::missing_public_members(key);
                if !missing.is_empty() {
                    out.push(format!(
                        "`jwks` key {i} lacks `{}` (RFC 7518 §6)",
                        missing.join("`, `")
                    ));
                }
            }
        }
    }
    out
}

/// Base64url without padding (RFC 7515 §2) to bytes; `None` on a character outside the alphabet
/// or a length no encoding has.
fn decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0_u32, 0_u32);
    for b in text.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn statement() {
        assert_has(&run(&with("software_statement", Some("\"v1\""))), "CIMD417");
        assert_lacks(
            &run(&with(
                "software_statement",
                Some("\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\""),
            )),
            "CIMD417",
        );
        // Three parts, but the payload is not JSON.
        assert_has(
            &run(&with(
                "software_statement",
                Some("\"eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln\""),
            )),
            "CIMD417",
        );
    }

    fn with_claims(claims: &str) -> crate::Report {
        use std::fmt::Write as _;
        // Base64url without padding, written here so the test does not lean on `decode`.
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut payload = String::new();
        for chunk in claims.as_bytes().chunks(3) {
            let n = chunk
                .iter()
                .fold(0_u32, |acc, &b| (acc << 8) | u32::from(b))
                << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                let _ = write!(
                    payload,
                    "{}",
                    ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char
                );
            }
        }
        run(&with(
            "software_statement",
            Some(&format!("\"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln\"")),
        ))
    }

    #[test]
    fn claims_keep_the_rules() {
        for claims in [
            r#"{"client_secret":"s"}"#,
            r#"{"client_secret_expires_at":0}"#,
            r#"{"token_endpoint_auth_method":"client_secret_basic"}"#,
            r#"{"token_endpoint_auth_methods_supported":["none","client_secret_post"]}"#,
            r#"{"token_endpoint_auth_method":"private_key_jwt","token_endpoint_auth_methods_supported":["none"]}"#,
            r#"{"jwks":{"keys":[{"kty":"EC","crv":"P-256","x":"x","y":"y","d":"d"}]}}"#,
            r#"{"jwks":{"keys":[{"kty":"RSA","n":"n"}]}}"#,
            r#"{"token_endpoint_auth_methods_supported":["none","private_key_jwt"]}"#,
            r#"{"token_endpoint_auth_methods_supported":[]}"#,
            r#"{"token_endpoint_auth_methods_supported":["none","none"]}"#,
            r#"{"token_endpoint_auth_signing_alg":"RS256","token_endpoint_auth_signing_alg_values_supported":["ES256"]}"#,
        ] {
            let report = with_claims(claims);
            assert_has(&report, "CIMD220");
            assert_lacks(&report, "CIMD417");
            assert!(!report.valid, "{claims}");
        }
        let fine = with_claims(
            r#"{"software_id":"app","token_endpoint_auth_method":"none","jwks":{"keys":[{"kty":"OKP","crv":"Ed25519","x":"x"}]}}"#,
        );
        assert_lacks(&fine, "CIMD220");
        assert_lacks(
            &with_claims(
                r#"{"token_endpoint_auth_signing_alg":"ES256","token_endpoint_auth_signing_alg_values_supported":["RS256","ES256"],"token_endpoint_auth_methods_supported":["none"]}"#,
            ),
            "CIMD220",
        );
        assert_lacks(&fine, "CIMD417");
        // Keys in the claims serve a private_key_jwt claim.
        assert_lacks(
            &with_claims(
                r#"{"token_endpoint_auth_method":"private_key_jwt","jwks_uri":"https://app.example.com/jwks.json"}"#,
            ),
            "CIMD220",
        );
    }

    #[test]
    fn base64url() {
        assert_eq!(
            super::decode("eyJhIjoxfQ").as_deref(),
            Some(&b"{\"a\":1}"[..])
        );
        assert_eq!(super::decode("").as_deref(), Some(&b""[..]));
        assert!(super::decode("a").is_none());
        assert!(super::decode("ab+/").is_none());
    }
}
