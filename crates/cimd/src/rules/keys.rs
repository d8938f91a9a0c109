//! Public keys only: `jwks` xor `jwks_uri`, a valid JWK Set, no private key material, and keys for
//! `private_key_jwt` (-03 §4.1; RFC 7591 §2; RFC 7517; docs/decisions.md#keys).

use super::{Cx, Doc};
use crate::codes::declare_code;
use crate::json::{Node, Value};

declare_code! {
    /// ## What it checks
    /// That a `private_key_jwt` client publishes its keys (`jwks_uri` or `jwks`).
    ///
    /// ## Why
    /// With `private_key_jwt` every token request is authenticated by a JWT signed with the client's
    /// key (RFC 7523), and the server can only verify it with the published public key; without
    /// one the client cannot authenticate at all (docs/decisions.md#keys).
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_method": "private_key_jwt"}
    /// ```
    pub(crate) static PRIVATE_KEY_JWT_WITHOUT_KEYS = "CIMD204" "private-key-jwt-without-keys" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4.1, §9.2; RFC 7523",
        title: "private_key_jwt without jwks_uri or jwks",
        help: "add \"jwks_uri\" pointing to your public JWK Set (preferred) or an inline \"jwks\"",
    }
}

declare_code! {
    /// ## What it checks
    /// That `jwks` and `jwks_uri` are not both present.
    ///
    /// ## Why
    /// RFC 7591 §2: the `jwks_uri` and `jwks` parameters MUST NOT both be present in the same
    /// request or response.
    ///
    /// ## Example
    /// ```json
    /// {"jwks_uri": "https://app.example.com/jwks.json", "jwks": {"keys": []}}
    /// ```
    pub(crate) static JWKS_AND_JWKS_URI = "CIMD205" "jwks-and-jwks-uri" {
        mcp: Error, ietf: Error,
        spec: "RFC 7591 §2",
        title: "both jwks and jwks_uri are present",
        help: "keep jwks_uri (it allows key rotation) and remove jwks",
    }
}

declare_code! {
    /// ## What it checks
    /// That no key in `jwks` carries private key material: the RSA/EC/OKP private members `d`, `p`,
    /// `q`, `dp`, `dq`, `qi`, `oth`, or a symmetric (`oct`) key `k`.
    ///
    /// ## Why
    /// -03 §4.1: the document MUST NOT contain private key material, only public keys; RFC 7591 §2:
    /// `jwks` holds the client's public keys. A published private key lets anyone impersonate the
    /// client. Auth0 and cerberauth reject it.
    ///
    /// ## Example
    /// ```json
    /// {"jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "...", "y": "...", "d": "..."}]}}
    /// ```
    pub(crate) static JWKS_PRIVATE_KEY = "CIMD206" "jwks-private-key" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4.1; RFC 7517 §4",
        title: "jwks contains private key material",
        help: "publish only the public key (drop the private members) and rotate the compromised key",
    }
}

declare_code! {
    /// ## What it checks
    /// That `jwks` is a JWK Set: an object with a `keys` array of objects, each with a string `kty`.
    ///
    /// ## Why
    /// RFC 7591 §2: `jwks` MUST contain a valid JWK Set (RFC 7517 §5); a server that cannot read it
    /// cannot verify the client's signatures.
    ///
    /// ## Example
    /// ```json
    /// {"jwks": [{"kty": "RSA", "n": "...", "e": "AQAB"}]}
    /// ```
    pub(crate) static JWKS_INVALID = "CIMD207" "jwks-invalid" {
        mcp: Error, ietf: Error,
        spec: "RFC 7591 §2; RFC 7517 §5",
        title: "jwks is not a valid JWK Set",
        help: "write jwks as {\"keys\": [ {\"kty\": ..., ...} ]}",
    }
}

declare_code! {
    /// ## What it checks
    /// That a `private_key_jwt` client's inline `jwks` has at least one key.
    ///
    /// ## Why
    /// An empty key set verifies nothing, so every client assertion fails (docs/decisions.md#keys);
    /// atproto requires at least one key.
    ///
    /// ## Example
    /// ```json
    /// {"token_endpoint_auth_method": "private_key_jwt", "jwks": {"keys": []}}
    /// ```
    pub(crate) static JWKS_EMPTY = "CIMD210" "jwks-empty" {
        mcp: Error, ietf: Error,
        spec: "RFC 7517 §5; RFC 7523",
        title: "jwks has no keys",
        help: "add the client's public signing key to jwks.keys",
    }
}

declare_code! {
    /// ## What it checks
    /// That each key in `jwks` carries the public members its `kty` needs: `n` and `e` for `RSA`,
    /// `crv`, `x` and `y` for `EC`, `crv` and `x` for `OKP` (as strings).
    ///
    /// ## Why
    /// RFC 7518 §6.2.1 and §6.3.1 and RFC 8037 §2 make these members REQUIRED: they are the public
    /// key. A key without them verifies nothing, so no server can use it (docs/decisions.md#keys).
    ///
    /// ## Example
    /// ```json
    /// {"jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "..."}]}}
    /// ```
    pub(crate) static JWK_MISSING_PUBLIC_MEMBERS = "CIMD219" "jwk-missing-public-members" {
        mcp: Error, ietf: Error,
        spec: "RFC 7517 §4; RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2",
        title: "a key in jwks lacks the public members its kty needs",
        help: "publish the whole public key: n and e (RSA), crv, x and y (EC), crv and x (OKP)",
    }
}

/// The public members a key type needs (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2); other types are
/// not checked.
fn public_members(kty: &str) -> &'static [&'static str] {
    match kty {
        "RSA" => &["n", "e"],
        "EC" => &["crv", "x", "y"],
        "OKP" => &["crv", "x"],
        _ => &[],
    }
}

/// The private members (`d`, `p`, ..., `k`) a key object carries, in order: what -03 §4.1 forbids
/// in a document, and in its software statement's claims.
pub(super) fn private_members<'k>(key: &'k Node<'_>) -> impl Iterator<Item = &'k str> + 'k {
    let members: &[crate::json::Member<'_>] = match &key.value {
        Value::Object(members) => members,
        _ => &[],
    };
    members
        .iter()
        .map(|m| m.name.as_ref())
        .filter(|name| PRIVATE_MEMBERS.contains(name))
}

/// The public members `key` lacks for its `kty` (none when the type is unknown or absent).
pub(super) fn missing_public_members(key: &Node<'_>) -> Vec<&'static str> {
    let Some(kty) = key.get("kty").and_then(|m| m.value.as_str()) else {
        return Vec::new();
    };
    public_members(kty)
        .iter()
        .copied()
        .filter(|name| key.get(name).and_then(|m| m.value.as_str()).is_none())
        .collect()
}

/// Whether the document declares `private_key_jwt`: the method, or one of the methods supported.
pub(super) fn declares_private_key_jwt<'d, 'a>(doc: &Doc<'d, 'a>) -> Option<super::Str<'d, 'a>> {
    doc.string("token_endpoint_auth_method")
        .filter(|m| m.value == "private_key_jwt")
        .or_else(|| {
            doc.strings("token_endpoint_auth_methods_supported")?
                .into_iter()
                .map(|(_, s)| s)
                .find(|s| s.value == "private_key_jwt")
        })
}

const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    let jwks = doc.member("jwks");
    let jwks_uri = doc.member("jwks_uri");
    if let (Some(jwks), Some(_)) = (jwks, jwks_uri) {
        cx.report(
            &JWKS_AND_JWKS_URI,
            "`jwks` and `jwks_uri` must not both be present",
            "/jwks",
            jwks.name_span,
        );
    }
    let key_count = jwks.and_then(|m| check_jwks(&m.value, cx));
    // Wherever the document declares private_key_jwt, the singular or the list (-03 §6).
    let Some(method) = declares_private_key_jwt(doc) else {
        return;
    };
    if jwks.is_none() && jwks_uri.is_none() {
        let single = doc
            .string("token_endpoint_auth_method")
            .is_some_and(|m| std::ptr::eq(m.node, method.node));
        cx.report(
            &PRIVATE_KEY_JWT_WITHOUT_KEYS,
            "`private_key_jwt` needs the client's public keys, but there is neither `jwks_uri` nor `jwks`",
            if single {
                "/token_endpoint_auth_method"
            } else {
                "/token_endpoint_auth_methods_supported"
            },
            method.node.span,
        );
    } else if key_count == Some(0) {
        let span = jwks.map_or(method.node.span, |m| m.value.span);
        cx.report(
            &JWKS_EMPTY,
            "`jwks` has no keys, so no `private_key_jwt` assertion can be verified",
            "/jwks/keys",
            span,
        );
    }
}

/// Checks the JWK Set; returns how many keys it has when its shape is valid.
fn check_jwks(node: &Node<'_>, cx: &mut Cx<'_>) -> Option<usize> {
    let Value::Object(_) = node.value else {
        return None; // a non-object jwks is a type error (members)
    };
    let Some(keys) = node.get("keys") else {
        cx.report(
            &JWKS_INVALID,
            "`jwks` has no `keys` array",
            "/jwks",
            node.span,
        );
        return None;
    };
    let Value::Array(items) = &keys.value.value else {
        cx.report(
            &JWKS_INVALID,
            format!(
                "`jwks.keys` must be an array, not a {}",
                keys.value.type_name()
            ),
            "/jwks/keys",
            keys.value.span,
        );
        return None;
    };
    let mut valid = true;
    for (i, key) in items.iter().enumerate() {
        let ptr = format!("/jwks/keys/{i}");
        let Value::Object(members) = &key.value else {
            cx.report(
                &JWKS_INVALID,
                format!("key {i} must be an object, not a {}", key.type_name()),
                &ptr,
                key.span,
            );
            valid = false;
            continue;
        };
        match key.get("kty").and_then(|m| m.value.as_str()) {
            None => {
                cx.report(
                    &JWKS_INVALID,
                    format!("key {i} has no string `kty` (key type)"),
                    &ptr,
                    key.span,
                );
                valid = false;
            }
            Some(kty) => {
                let missing = missing_public_members(key);
                if !missing.is_empty() {
                    cx.report(
                        &JWK_MISSING_PUBLIC_MEMBERS,
                        format!(
                            "key {i} (`{kty}`) lacks `{}`: without it the public key is incomplete",
                            missing.join("`, `")
                        ),
                        &ptr,
                        key.span,
                    );
                }
            }
        }
        for member in members {
            if PRIVATE_MEMBERS.contains(&member.name.as_ref()) {
                let what = if member.name == "k" {
                    "a symmetric key value"
                } else {
                    "private key material"
                };
                cx.report(
                    &JWKS_PRIVATE_KEY,
                    format!(
                        "key {i} has `{}`, {what}: the document is public",
                        member.name
                    ),
                    &format!("{ptr}/{}", member.name),
                    member.name_span,
                );
            }
        }
    }
    valid.then_some(items.len())
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    fn doc(extra: &[(&str, &str)]) -> crate::Report {
        let mut value: serde_json::Value = serde_json::from_str(BASE).unwrap();
        for (k, v) in extra {
            value[*k] = serde_json::from_str(v).unwrap();
        }
        run(&value.to_string())
    }

    #[test]
    fn keys() {
        let pk = ("token_endpoint_auth_method", "\"private_key_jwt\"");
        assert_has(&doc(&[pk]), "CIMD204");
        assert_lacks(
            &doc(&[pk, ("jwks_uri", "\"https://app.example.com/jwks.json\"")]),
            "CIMD204",
        );
        assert_has(
            &doc(&[
                ("jwks_uri", "\"https://app.example.com/j\""),
                ("jwks", r#"{"keys":[]}"#),
            ]),
            "CIMD205",
        );
        assert_has(
            &doc(&[("jwks", r#"{"keys":[{"kty":"EC","d":"x"}]}"#)]),
            "CIMD206",
        );
        assert_has(
            &doc(&[("jwks", r#"{"keys":[{"kty":"oct","k":"x"}]}"#)]),
            "CIMD206",
        );
        assert_has(&doc(&[("jwks", r#"{"key":[]}"#)]), "CIMD207");
        assert_has(&doc(&[("jwks", r#"{"keys":[{"n":"x"}]}"#)]), "CIMD207");
        assert_has(&doc(&[pk, ("jwks", r#"{"keys":[]}"#)]), "CIMD210");
        // The key requirement follows private_key_jwt into the list of supported methods.
        assert_has(
            &doc(&[(
                "token_endpoint_auth_methods_supported",
                r#"["none","private_key_jwt"]"#,
            )]),
            "CIMD204",
        );
        assert_lacks(
            &doc(&[
                pk,
                ("jwks", r#"{"keys":[{"kty":"RSA","n":"x","e":"AQAB"}]}"#),
            ]),
            "CIMD210",
        );
    }

    #[test]
    fn public_members_by_key_type() {
        for (key, missing) in [
            (r#"{"kty":"RSA","n":"x"}"#, true),
            (r#"{"kty":"RSA","n":"x","e":"AQAB"}"#, false),
            (r#"{"kty":"EC","crv":"P-256","x":"x"}"#, true),
            (r#"{"kty":"EC","crv":"P-256","x":"x","y":"y"}"#, false),
            (r#"{"kty":"OKP","x":"x"}"#, true),
            (r#"{"kty":"OKP","crv":"Ed25519","x":"x"}"#, false),
            (r#"{"kty":"oct"}"#, false),
        ] {
            let report = doc(&[("jwks", &format!(r#"{{"keys":[{key}]}}"#))]);
            assert_eq!(report.has("CIMD219"), missing, "{key}");
        }
    }
}
