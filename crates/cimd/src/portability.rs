//! Predicted verdicts of known CIMD servers on a document, from what their code and docs say (read
//! at the commits listed in docs/decisions.md#portability). A prediction, not a test against the
//! server: each names the codes of the report that make the server refuse, and notes in words what
//! else does, or where the server differs from the draft.
//!
//! The document facts are gathered once, while the rules have the parsed tree ([`Facts::gather`]);
//! the verdicts are decided when the report is finished, with every code known (fetch codes too).

use std::borrow::Cow;

use crate::codes::number;
use crate::redirect::MatchPolicy;
use crate::report::{Diagnostic, LoopbackPorts, Portability, Ports};
use crate::rules::Doc;
use crate::uri::Uri;

/// JSON problems every server's parser refuses (duplicates and depth < 128 are read silently). A
/// byte order mark, a lone surrogate and an out-of-range number are not here: Python's `json` and
/// JavaScript's `JSON.parse` (after a BOM-stripping decoder) read them, so each server that refuses
/// them lists them itself.
const JSON_FATAL: Codes = Codes::of(&["CIMD001", "CIMD008", "CIMD009", "CIMD010"]);

/// What the strict JSON parsers of the servers whose code was not run here also refuse.
const JSON_STRICT: [&str; 4] = ["CIMD002", "CIMD003", "CIMD004", "CIMD007"];

/// A set of codes as a bitset over their numbers, built at compile time: membership is one bit
/// test (a report is checked against six servers' lists on every validation).
#[derive(Clone, Copy)]
struct Codes([u64; WORDS]);

/// Bits for codes up to CIMD639 (a test checks every registry code fits).
const WORDS: usize = 10;

impl Codes {
    const fn of(codes: &[&str]) -> Self {
        let mut bits = [0_u64; WORDS];
        let mut i = 0;
        while i < codes.len() {
            let n = number(codes[i]);
            bits[n / 64] |= 1 << (n % 64);
            i += 1;
        }
        Self(bits)
    }

    fn intersects(self, other: Self) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    fn insert(&mut self, n: usize) {
        self.0[n / 64] |= 1 << (n % 64);
    }

    fn contains_number(self, n: usize) -> bool {
        self.0[n / 64] & (1 << (n % 64)) != 0
    }

    #[inline]
    fn contains(self, code: &str) -> bool {
        let n = number(code);
        self.contains_number(n)
    }
}

/// What the predictions need from the document beyond its codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Facts {
    /// The document's client_id, as FastMCP normalizes it, differs from the URL it fetched.
    /// (docs/decisions.md#client-id-comparison).
    fastmcp_mismatch: bool,
    has_jwks: bool,
    private_key_jwt: bool,
    dpop_bound: bool,
    atproto_scope: bool,
    /// A grant other than authorization_code / refresh_token.
    other_grants: bool,
    /// `grant_types` is present without authorization_code.
    no_authorization_code: bool,
    /// `response_types` is present without code.
    no_code_response: bool,
    /// The first https redirect URI on another host than the client_id (atproto refuses it).
    foreign_https_redirect: Option<String>,
    /// `redirect_uris` absent or `[]` (the `ietf` profile does not report it for a client without
    /// a redirecting grant; FastMCP, Cloudflare's provider and Keycloak require it whatever the
    /// grants).
    no_redirect_uris: bool,
    /// `redirect_uris` absent (the MCP TypeScript SDK's schema requires the member, `[]` passes).
    redirect_uris_absent: bool,
    /// `token_endpoint_auth_methods_supported` is present (-03 §6); Keycloak's client model lacks it.
    auth_methods_list: bool,
    /// After Cloudflare's provider drops the grants and response types it does not support (all but
    /// authorization_code and refresh_token, and code), authorization_code and code are not both
    /// there or both absent (`negotiateCimdClientCapabilities`).
    cloudflare_code_mismatch: bool,
    /// The document's loopback redirect URIs, for the servers' port rules.
    loopback: Vec<LoopbackUri>,
}

/// A loopback redirect URI and what the servers' port rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LoopbackUri {
    uri: std::sync::Arc<str>,
    port: PortForm,
    /// The host is `localhost` or `127.0.0.1` exactly (Keycloak's installed-app prefixes).
    keycloak_host: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PortForm {
    /// No port, or an empty one.
    Absent,
    Number,
    /// `*`, FastMCP's wildcard.
    Wildcard,
}

impl Facts {
    pub(crate) fn gather(doc: &Doc<'_, '_>) -> Self {
        let grants = &doc.grant_types;
        let responses = &doc.response_types;
        let client_host = doc.client_id.as_ref().and_then(|(_, u)| u.host());
        let foreign_https_redirect = doc.redirect_uris.iter().flatten().find_map(|r| {
            let host = r.uri.host();
            (r.web == crate::rules::Web::Https
                && !host
                    .zip(client_host)
                    // Equal bytes first: the usual case, and cheaper than folding case.
                    .is_some_and(|(a, b)| a == b || a.eq_ignore_ascii_case(b)))
            .then(|| r.item.value.to_owned())
        });
        let no_redirect_uris = match doc.member("redirect_uris").map(|m| &m.value.value) {
            None => true,
            Some(crate::json::Value::Array(items)) => items.is_empty(),
            Some(_) => false,
        };
        let code_grant = grants
            .as_ref()
            .is_none_or(|g| g.iter().any(|(_, g)| g.value == "authorization_code"));
        let code_response = responses
            .as_ref()
            .is_none_or(|r| r.iter().any(|(_, r)| r.value == "code"));
        let loopback = doc
            .redirect_uris
            .iter()
            .flatten()
            .filter(|r| r.loopback != crate::rules::Loopback::No)
            .map(|r| LoopbackUri {
                uri: r.item.value.into(),
                port: match r.uri.port() {
                    None | Some("") => PortForm::Absent,
                    Some("*") => PortForm::Wildcard,
                    Some(_) => PortForm::Number,
                },
                keycloak_host: r
                    .uri
                    .host()
                    .is_some_and(|h| h.eq_ignore_ascii_case("localhost") || h == "127.0.0.1"),
            })
            .collect();
        Self {
            loopback,
            cloudflare_code_mismatch: code_grant != code_response,
            // FastMCP normalizes the document's client_id (pydantic) but compares it with the URL
            // it fetched as given, only without trailing slashes: a URL that is not in pydantic's
            // form never matches, even its own document.
            fastmcp_mismatch: match (&doc.client_id, doc.url) {
                (Some((_, id_uri)), Some(url)) => {
                    FastmcpNormal::of(id_uri) != FastmcpNormal::raw(url)
                }
                _ => false,
            },
            no_redirect_uris,
            redirect_uris_absent: doc.member("redirect_uris").is_none(),
            auth_methods_list: doc
                .member("token_endpoint_auth_methods_supported")
                .is_some(),

            has_jwks: doc.member("jwks").is_some(),
            private_key_jwt: doc
                .string("token_endpoint_auth_method")
                .is_some_and(|m| m.value == "private_key_jwt"),
            dpop_bound: matches!(
                doc.member("dpop_bound_access_tokens")
                    .map(|m| &m.value.value),
                Some(crate::json::Value::Bool(true))
            ),
            atproto_scope: doc.string("scope").is_some_and(|s| {
                s.value
                    .as_bytes()
                    .split(|&b| b == b' ')
                    .any(|t| t == b"atproto")
            }),
            other_grants: grants
                .iter()
                .flatten()
                .any(|(_, g)| !matches!(g.value, "authorization_code" | "refresh_token")),
            no_authorization_code: grants
                .as_ref()
                .is_some_and(|g| !g.iter().any(|(_, g)| g.value == "authorization_code")),
            no_code_response: responses
                .as_ref()
                .is_some_and(|r| !r.iter().any(|(_, r)| r.value == "code")),
            foreign_https_redirect,
        }
    }
}

/// The URL FastMCP compares, after pydantic's normalization (lower-case scheme and host, no
/// `:443`) and `rstrip('/')`: the pieces of `scheme://host[:port]rest`,
/// compared without building the string (this runs on every mismatch, on short URLs where
/// building two strings cost more than the rest of the verdict).
struct FastmcpNormal<'a> {
    /// Each piece, and whether it compares lower-cased.
    pieces: [(&'a [u8], bool); 6],
}

impl<'a> FastmcpNormal<'a> {
    fn of(uri: &Uri<'a>) -> Self {
        let s = uri.as_str();
        let rest = &s[uri.port_range().or(uri.host_range()).map_or(0, |r| r.end)..];
        let host = uri.host().unwrap_or_default();
        let port = uri.port().filter(|p| !matches!(*p, "443" | ""));
        let mut pieces = [
            (uri.scheme().unwrap_or_default().as_bytes(), true),
            (b"://".as_slice(), false),
            (host.as_bytes(), true),
            (if port.is_some() { b":".as_slice() } else { b"" }, false),
            (port.unwrap_or_default().as_bytes(), false),
            (rest.as_bytes(), false),
        ];
        // rstrip('/') over the whole string, which may reach back past `rest` (`https://`).
        for (piece, _) in pieces.iter_mut().rev() {
            let kept = piece.len() - piece.iter().rev().take_while(|&&b| b == b'/').count();
            *piece = &piece[..kept];
            if kept > 0 {
                break;
            }
        }
        Self { pieces }
    }

    /// `url` compared as written, only without trailing slashes.
    fn raw(url: &'a str) -> Self {
        let empty: (&[u8], bool) = (b"", false);
        Self {
            pieces: [
                (url.trim_end_matches('/').as_bytes(), false),
                empty,
                empty,
                empty,
                empty,
                empty,
            ],
        }
    }

    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.pieces.iter().flat_map(|&(piece, lower)| {
            piece
                .iter()
                .map(move |&b| if lower { b.to_ascii_lowercase() } else { b })
        })
    }

    fn len(&self) -> usize {
        self.pieces.iter().map(|(p, _)| p.len()).sum()
    }
}

impl PartialEq for FastmcpNormal<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.bytes().eq(other.bytes())
    }
}

type Notes = smallvec::SmallVec<[Cow<'static, str>; 2]>;
/// Whether the report has a code.
type HasCode<'a> = &'a Codes;

/// A server whose verdict the report predicts: its public id, what users call it, and where its
/// behaviour was read (`cimd servers`, the package's `servers()`, the playground's Servers tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ServerInfo {
    /// Stable kebab-case id, as in `report.portability[].server`.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// What it is, in a line.
    pub what: &'static str,
    /// Where its behaviour was read (repository and commit, or a documentation page).
    pub source: &'static str,
    /// The [`MatchPolicy`] nearest to how it matches a requested redirect URI with the registered
    /// ones; `None` when its matcher was not read.
    pub redirects: Option<MatchPolicy>,
}

struct Server {
    info: ServerInfo,
    /// Codes whose presence makes this server refuse the document (or fail the authorization).
    rejects: Codes,
    /// Refusals the codes do not express.
    extra: fn(&Facts, &mut Notes),
    /// Differences from the draft worth knowing even when the server accepts.
    quirks: fn(HasCode<'_>, &mut Notes),
    /// Which request ports it matches for a loopback redirect URI; `None` when not read.
    loopback: Option<fn(&LoopbackUri) -> Ports>,
}

/// RFC 8252 §7.3: any port for any loopback redirect URI; a `*` port is not a URL they parse.
fn any_port(u: &LoopbackUri) -> Ports {
    if u.port == PortForm::Wildcard {
        Ports::None
    } else {
        Ports::Any
    }
}

/// Exact comparison: the registered port only, and a portless URI only port 80.
fn exact_port(u: &LoopbackUri) -> Ports {
    if u.port == PortForm::Number {
        Ports::Registered
    } else {
        Ports::None
    }
}

/// Builds a server's list from codes and the strict-JSON codes when it has them.
const fn with_json_strict(codes: &[&str], strict: bool) -> Codes {
    let mut set = Codes::of(codes);
    if strict {
        let json = Codes::of(&JSON_STRICT);
        let mut i = 0;
        while i < WORDS {
            set.0[i] |= json.0[i];
            i += 1;
        }
    }
    set
}

fn requires_redirect_uris(f: &Facts, notes: &mut Notes) {
    if f.no_redirect_uris {
        notes.push("requires redirect_uris, whatever the grants".into());
    }
}

const SERVERS: &[Server] = &[
    Server {
        info: ServerInfo {
            id: "fastmcp",
            name: "FastMCP",
            what: "Python MCP framework (OAuth proxy)",
            source: "fastmcp 4.2.3 from PyPI; PrefectHQ/fastmcp @ 743ddffd: fastmcp_slim/fastmcp/server/auth/cimd.py, ssrf.py, redirect_validation.py",
            redirects: Some(MatchPolicy::Wildcard),
        },
        // Checked against its code on the conformance corpus (tests/servers/).
        rejects: with_json_strict(
            &[
                "CIMD003", "CIMD014", "CIMD100", "CIMD101", "CIMD102", "CIMD103", "CIMD108",
                "CIMD109", "CIMD111", "CIMD116", "CIMD201", "CIMD208", "CIMD209", "CIMD211",
                "CIMD300", "CIMD301", "CIMD302", "CIMD402", "CIMD403", "CIMD011", "CIMD504",
                "CIMD500", "CIMD510", "CIMD501", "CIMD506", "CIMD508", "CIMD112",
            ],
            false,
        ),
        extra: |f, notes| {
            if f.fastmcp_mismatch {
                notes.push(
                    "its normalized client_id differs from the URL as fetched (FastMCP normalizes only the document's side)".into(),
                );
            }
            requires_redirect_uris(f, notes);
        },
        quirks: |has, notes| {
            if has.contains("CIMD202") {
                notes.push("ignores client_secret silently (it does not enforce -03 §4.1)".into());
            }
            if has.contains("CIMD212") {
                notes.push("treats a missing token_endpoint_auth_method as \"none\"".into());
            }
            if has.contains("CIMD107") {
                notes.push(
                    "strips trailing slashes and normalizes the host before comparing client_id"
                        .into(),
                );
            }
        },
        loopback: Some(|u| match u.port {
            // redirect_validation.py: a port is flexible only when the registered URI has none.
            PortForm::Absent | PortForm::Wildcard => Ports::Any,
            PortForm::Number => Ports::Registered,
        }),
    },
    Server {
        info: ServerInfo {
            id: "cloudflare-workers-oauth-provider",
            name: "Cloudflare workers-oauth-provider",
            what: "authorization server library for Cloudflare Workers (1.2.x)",
            source: "@cloudflare/workers-oauth-provider 1.2.3 from npm (dist/oauth-provider.js); cloudflare/workers-oauth-provider @ 742e222c: src/oauth-client-metadata.ts, src/oauth-provider.ts",
            redirects: Some(MatchPolicy::Rfc8252),
        },
        // Checked against its code in workerd on the conformance corpus (tests/servers/).
        rejects: with_json_strict(
            &[
                "CIMD003", "CIMD014", "CIMD100", "CIMD101", "CIMD102", "CIMD103", "CIMD104",
                "CIMD105", "CIMD107", "CIMD109", "CIMD116", "CIMD201", "CIMD202", "CIMD203",
                "CIMD204", "CIMD205", "CIMD206", "CIMD207", "CIMD208", "CIMD209", "CIMD210",
                "CIMD215", "CIMD218", "CIMD300", "CIMD301", "CIMD302", "CIMD305", "CIMD400",
                "CIMD401", "CIMD402", "CIMD403", "CIMD409", "CIMD410", "CIMD011", "CIMD504",
                "CIMD500", "CIMD510", "CIMD506", "CIMD508", "CIMD112",
            ],
            false,
        ),
        extra: |f, notes| {
            requires_redirect_uris(f, notes);
            if f.cloudflare_code_mismatch {
                notes.push(
                    "after dropping the grants and response types it does not support, authorization_code and code must both remain or both go"
                        .into(),
                );
            }
        },
        quirks: |has, notes| {
            if has.contains("CIMD501") {
                notes.push(
                    "follows redirects (the Workers default): the document at the target decides"
                        .into(),
                );
            }
            if has.contains("CIMD502") || has.contains("CIMD503") {
                notes.push("does not check the Content-Type".into());
            }
            if has.contains("CIMD212") {
                notes.push("treats a missing token_endpoint_auth_method as \"none\"".into());
            }
            if has.contains("CIMD108") {
                notes.push("accepts a client_id whose path is `/`".into());
            }
            if has.contains("CIMD600") {
                notes.push(
                    "caches a document only when Cache-Control gives a max-age: without one it refetches on every authorization"
                        .into(),
                );
            }
        },
        loopback: Some(any_port),
    },
    Server {
        info: ServerInfo {
            id: "keycloak",
            name: "Keycloak",
            what: "open-source identity server, with --features=cimd (26.6+, preview)",
            source: "keycloak/keycloak @ 0c5f679d: services/…/oauth2/cimd/clientpolicy/executor/AbstractClientIdMetadataDocumentExecutor.java; @ ecd43b18: services/…/protocol/oidc/utils/RedirectUtils.java",
            redirects: None,
        },
        // verifyClientId, fetchClientMetadata (200 only, a size cap, Jackson into
        // OIDCClientRepresentation) and verifyClientMetadata.
        rejects: with_json_strict(
            &[
                "CIMD014", "CIMD100", "CIMD101", "CIMD102", "CIMD103", "CIMD104", "CIMD105",
                "CIMD106", "CIMD107", "CIMD109", "CIMD116", "CIMD201", "CIMD202", "CIMD203",
                "CIMD300", "CIMD301", "CIMD500", "CIMD510", "CIMD504",
            ],
            true,
        ),
        extra: |f, notes| {
            requires_redirect_uris(f, notes);
            // Jackson fails on a member its OIDCClientRepresentation lacks (keycloak#51039,
            // #51236 still open): ChatGPT's and opencode's documents carry this one.
            if f.auth_methods_list {
                notes.push(
                    "refuses token_endpoint_auth_methods_supported: its client model lacks the member (UnrecognizedPropertyException)"
                        .into(),
                );
            }
        },
        quirks: |has, notes| {
            notes.push(
                "accepts only hosts under the realm's trusted domains, in every URL (loopback redirect hosts too)"
                    .into(),
            );
            if has.contains("CIMD012") {
                notes.push(
                    "releases whose client model lacks a member refuse it (UnrecognizedPropertyException)"
                        .into(),
                );
            }
            if has.contains("CIMD212") {
                notes.push("treats a missing token_endpoint_auth_method as \"none\"".into());
            }
        },
        loopback: Some(|u| match u.port {
            // RedirectUtils.verifyRedirectUri: a request on `http://localhost` or
            // `http://127.0.0.1` that matches nothing is compared again without its port.
            PortForm::Absent if u.keycloak_host => Ports::Any,
            PortForm::Number => Ports::Registered,
            PortForm::Absent | PortForm::Wildcard => Ports::None,
        }),
    },
    Server {
        info: ServerInfo {
            id: "auth0",
            name: "Auth0",
            what: "commercial authorization server",
            source: "https://auth0.com/docs/get-started/auth0-overview/create-applications/cimd-validation-rules",
            redirects: Some(MatchPolicy::Exact),
        },
        rejects: with_json_strict(
            &[
                "CIMD014", "CIMD100", "CIMD101", "CIMD102", "CIMD103", "CIMD104", "CIMD105",
                "CIMD106", "CIMD107", "CIMD108", "CIMD109", "CIMD112", "CIMD114", "CIMD116",
                "CIMD201", "CIMD202", "CIMD206", "CIMD309", "CIMD310", "CIMD011", "CIMD504",
                "CIMD500", "CIMD510", "CIMD501",
            ],
            true,
        ),
        extra: |f, notes| {
            if f.has_jwks {
                notes.push("does not support inline jwks (use jwks_uri)".into());
            }
        },
        quirks: |has, notes| {
            if has.contains("CIMD012") {
                notes.push("reports unknown members as warnings".into());
            }
        },
        loopback: Some(exact_port),
    },
    Server {
        info: ServerInfo {
            id: "atproto",
            name: "Bluesky atproto",
            what: "the largest CIMD deployment",
            source: "bluesky-social/atproto: packages/oauth/oauth-types/src/oauth-client-metadata.ts @ 3159a109",
            redirects: None,
        },
        rejects: with_json_strict(
            &[
                "CIMD014", "CIMD100", "CIMD101", "CIMD102", "CIMD103", "CIMD104", "CIMD105",
                "CIMD107", "CIMD108", "CIMD109", "CIMD110", "CIMD112", "CIMD113", "CIMD115",
                "CIMD116", "CIMD212", "CIMD216", "CIMD201", "CIMD204", "CIMD205", "CIMD206",
                "CIMD207", "CIMD208", "CIMD209", "CIMD210", "CIMD300", "CIMD301", "CIMD302",
                "CIMD303", "CIMD304", "CIMD305", "CIMD307", "CIMD309", "CIMD406", "CIMD411",
                "CIMD412", "CIMD500", "CIMD510", "CIMD501", "CIMD502",
            ],
            true,
        ),
        // atproto's OAuth profile (oauth-client-metadata.ts): DPoP, the `atproto` scope,
        // authorization_code and refresh_token only, https redirect URIs on the client_id's host.
        extra: |f, notes| {
            if !f.dpop_bound {
                notes.push("requires \"dpop_bound_access_tokens\": true".into());
            }
            if !f.atproto_scope {
                notes.push("requires the `atproto` scope".into());
            }
            if f.other_grants {
                notes.push("allows only the authorization_code and refresh_token grants".into());
            }
            if let Some(uri) = &f.foreign_https_redirect {
                notes.push(
                    format!("requires https redirect URIs on the client_id's host (`{uri}`)")
                        .into(),
                );
            }
        },
        quirks: |_, _| {},
        loopback: None,
    },
    Server {
        info: ServerInfo {
            id: "mcp-typescript-sdk",
            name: "MCP TypeScript SDK",
            what: "client side only",
            source: "@modelcontextprotocol/sdk from npm (shared/auth.js); modelcontextprotocol/typescript-sdk @ 3924de99: packages/core/src/auth.ts",
            redirects: Some(MatchPolicy::Rfc8252),
        },
        // Checked against its schema on the conformance corpus (tests/servers/).
        rejects: with_json_strict(
            &[
                "CIMD014", "CIMD100", "CIMD300", "CIMD302", "CIMD305", "CIMD402", "CIMD403",
            ],
            false,
        ),
        extra: |f, notes| {
            if f.redirect_uris_absent {
                notes.push("its schema requires redirect_uris".into());
            }
        },
        quirks: |has, notes| {
            notes.push(
                "client side only: it has no server-side fetcher, so client_id is not compared"
                    .into(),
            );
            if has.contains("CIMD201") || has.contains("CIMD202") {
                notes.push("its schema accepts shared-secret methods and client_secret".into());
            }
        },
        loopback: Some(any_port),
    },
    Server {
        info: ServerInfo {
            id: "cimd-mcp-reference",
            name: "cimd-mcp-reference",
            what: "reference MCP server on Cloudflare Workers",
            source: "AndreaGriffiths11/cimd-mcp-reference: src/auth/cimd.ts @ 4261cba6",
            redirects: Some(MatchPolicy::Exact),
        },
        rejects: with_json_strict(
            &[
                "CIMD014", "CIMD100", "CIMD101", "CIMD102", "CIMD103", "CIMD104", "CIMD105",
                "CIMD107", "CIMD108", "CIMD109", "CIMD110", "CIMD112", "CIMD113", "CIMD115",
                "CIMD116", "CIMD201", "CIMD202", "CIMD203", "CIMD208", "CIMD209", "CIMD300",
                "CIMD301", "CIMD302", "CIMD303", "CIMD304", "CIMD305", "CIMD306", "CIMD309",
                "CIMD310", "CIMD400", "CIMD401", "CIMD404", "CIMD418", "CIMD011", "CIMD504",
                "CIMD500", "CIMD510", "CIMD501", "CIMD502", "CIMD506",
            ],
            true,
        ),
        extra: |f, notes| {
            if f.private_key_jwt {
                notes.push("accepts only token_endpoint_auth_method \"none\"".into());
            }
            if f.no_authorization_code {
                notes.push("requires the authorization_code grant".into());
            }
            if f.no_code_response {
                notes.push("requires the code response type".into());
            }
        },
        quirks: |_, _| {},
        loopback: Some(exact_port),
    },
    Server {
        info: ServerInfo {
            id: "giantswarm-mcp-oauth",
            name: "giantswarm/mcp-oauth",
            what: "Go authorization server library",
            source: "giantswarm/mcp-oauth: server/cimd.go @ 003f1961",
            redirects: None,
        },
        rejects: with_json_strict(
            &[
                "CIMD014", "CIMD100", "CIMD101", "CIMD104", "CIMD105", "CIMD106", "CIMD107",
                "CIMD109", "CIMD112", "CIMD116", "CIMD300", "CIMD301", "CIMD302", "CIMD304",
                "CIMD305", "CIMD306", "CIMD500", "CIMD510", "CIMD501", "CIMD502", "CIMD503",
                "CIMD506",
            ],
            true,
        ),
        extra: |_, _| {},
        quirks: |has, notes| {
            if has.contains("CIMD201") {
                notes.push(
                    "accepts a shared-secret method and marks the client confidential".into(),
                );
            }
            if has.contains("CIMD102") {
                notes.push("accepts a client_id without a path".into());
            }
        },
        loopback: None,
    },
];

/// Every server whose verdict the report predicts, in the report's order.
pub fn servers() -> impl ExactSizeIterator<Item = &'static ServerInfo> {
    SERVERS.iter().map(|s| &s.info)
}

/// Predicts each known server's verdict from the report's codes and the document's facts; nothing
/// when there is no document (unparseable, not an object, or the fetch failed): every server
/// refuses then, and a row per server would only repeat the error.
pub(crate) fn predict(diagnostics: &[Diagnostic], facts: Option<&Facts>) -> Vec<Portability> {
    let Some(facts) = facts else {
        return Vec::new();
    };
    // The report's codes as a set, then per server a bitset intersection: most servers refuse
    // nothing.
    let number = |d: &Diagnostic| usize::from(d.registered().number);
    let mut present = Codes([0; WORDS]);
    for d in diagnostics {
        present.insert(number(d));
    }
    SERVERS
        .iter()
        .map(|server| {
            let mut because = smallvec::SmallVec::new();
            let refused = |n: usize| {
                let bit = 1 << (n % 64);
                (JSON_FATAL.0[n / 64] | server.rejects.0[n / 64]) & bit != 0
            };
            if present.intersects(JSON_FATAL) || present.intersects(server.rejects) {
                // Each refusing code once, in report order (a code can have several diagnostics).
                let mut listed = Codes([0; WORDS]);
                for d in diagnostics {
                    let n = number(d);
                    if refused(n) && !listed.contains_number(n) {
                        listed.insert(n);
                        because.push(d.code());
                    }
                }
            }
            let mut notes = Notes::new();
            (server.extra)(facts, &mut notes);
            let accepts = because.is_empty() && notes.is_empty();
            (server.quirks)(&present, &mut notes);
            let loopback = server.loopback.map_or_else(Vec::new, |rule| {
                facts
                    .loopback
                    .iter()
                    .map(|u| LoopbackPorts {
                        uri: u.uri.clone(),
                        ports: rule(u),
                    })
                    .collect()
            });
            Portability {
                server: server.info.id,
                accepts,
                because,
                notes,
                loopback,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::FastmcpNormal;
    use crate::Options;
    use crate::uri::Uri;

    /// FastMCP's normalized URL as a string, the way its Python builds it.
    fn normal_string(url: &str) -> String {
        let uri = Uri::split(url);
        let rest = &url[uri.port_range().or(uri.host_range()).map_or(0, |r| r.end)..];
        let host = uri.host().unwrap_or_default();
        let mut out = uri.scheme().unwrap_or_default().to_ascii_lowercase();
        out.push_str("://");
        out.push_str(&host.to_ascii_lowercase());
        if let Some(port) = uri.port().filter(|p| !matches!(*p, "443" | "")) {
            out.push(':');
            out.push_str(port);
        }
        out.push_str(rest);
        out.trim_end_matches('/').to_owned()
    }

    #[test]
    fn fastmcp_normal_form_compares_like_the_string() {
        let urls = [
            "https://app.example.com/oauth/client.json",
            "https://app.example.com/oauth/client.json/",
            "https://app.example.com/oauth/client.json//",
            "HTTPS://APP.example.com/oauth/client.json",
            "https://app.example.com:443/oauth/client.json",
            "https://app.example.com:/oauth/client.json",
            "https://app.example.com:8443/oauth/client.json",
            "https://app.example.com/OAuth/client.json",
            "https://app.example.com",
            "https://app.example.com/",
            "https://app.example.com///",
            "https://",
            "https:///",
            "https:",
            "https://[::1]/x",
            "https://[::1]:443/x/",
            "https://evil.example.net/oauth/client.json",
            "https://app.example.com/oauth/client.json?x=1/",
            "",
        ];
        for a in urls {
            for b in urls {
                let (ua, ub) = (Uri::split(a), Uri::split(b));
                assert_eq!(
                    FastmcpNormal::of(&ua) == FastmcpNormal::of(&ub),
                    normal_string(a) == normal_string(b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    fn verdicts(text: &str, url: &str) -> Vec<(&'static str, bool)> {
        let report = crate::validate(
            text,
            &Options {
                url: Some(url.into()),
                ..Options::default()
            },
        );
        report
            .portability
            .iter()
            .map(|p| (p.server, p.accepts))
            .collect()
    }

    #[test]
    fn fastmcp_tolerates_a_trailing_slash_mismatch_others_do_not() {
        let text = r#"{"client_id":"https://app.example.com/c.json/","client_name":"A","redirect_uris":["https://app.example.com/cb"],"token_endpoint_auth_method":"none"}"#;
        let v = verdicts(text, "https://app.example.com/c.json");
        assert!(v.contains(&("fastmcp", true)), "{v:?}");
        assert!(v.contains(&("auth0", false)), "{v:?}");
        let v = verdicts(text, "https://app.example.com/other.json");
        assert!(v.contains(&("fastmcp", false)), "{v:?}");
    }

    #[test]
    fn a_code_with_several_diagnostics_is_listed_once_in_report_order() {
        // Two portless loopback URIs (CIMD310 twice) and a relative one (CIMD302).
        let text = r#"{"client_id":"https://app.example.com/c.json","client_name":"A","redirect_uris":["http://127.0.0.1/a","http://[::1]/b","/c"],"token_endpoint_auth_method":"none"}"#;
        let report = crate::validate(
            text,
            &Options {
                url: Some("https://app.example.com/c.json".into()),
                ..Options::default()
            },
        );
        assert_eq!(
            report
                .diagnostics
                .iter()
                .filter(|d| d.code() == "CIMD310")
                .count(),
            2
        );
        let row = |server: &str| {
            report
                .portability
                .iter()
                .find(|p| p.server == server)
                .unwrap()
                .because
                .to_vec()
        };
        assert_eq!(row("auth0"), ["CIMD310"]);
        assert_eq!(row("cimd-mcp-reference"), ["CIMD310", "CIMD302"]);
    }

    #[test]
    fn portless_loopback_fails_on_exact_match_servers() {
        let text = r#"{"client_id":"https://app.example.com/c.json","client_name":"A","redirect_uris":["http://127.0.0.1/callback"],"token_endpoint_auth_method":"none"}"#;
        let report = crate::validate(
            text,
            &Options {
                url: Some("https://app.example.com/c.json".into()),
                ..Options::default()
            },
        );
        let auth0 = report
            .portability
            .iter()
            .find(|p| p.server == "auth0")
            .unwrap();
        assert!(!auth0.accepts);
        assert_eq!(auth0.because.as_slice(), ["CIMD310"]);
        assert!(
            report
                .portability
                .iter()
                .any(|p| p.server == "fastmcp" && p.accepts)
        );
        let atproto = report
            .portability
            .iter()
            .find(|p| p.server == "atproto")
            .unwrap();
        assert!(!atproto.accepts && atproto.notes.iter().any(|n| n.contains("dpop")));
    }

    /// The rows of `server` for `text` served at `url`.
    fn row(text: &str, url: &str, server: &str) -> crate::report::Portability {
        let report = crate::validate(
            text,
            &Options {
                url: Some(url.into()),
                ..Options::default()
            },
        );
        report
            .portability
            .into_iter()
            .find(|p| p.server == server)
            .unwrap()
    }

    #[test]
    fn fastmcp_refuses_a_url_pydantic_would_rewrite_even_for_its_own_document() {
        // pydantic lower-cases the document's host; FastMCP compares with the URL as fetched.
        let url = "https://App.example.com/c.json";
        let text = format!(
            r#"{{"client_id":"{url}","client_name":"A","redirect_uris":["https://app.example.com/cb"],"token_endpoint_auth_method":"none"}}"#
        );
        let fastmcp = row(&text, url, "fastmcp");
        assert!(
            !fastmcp.accepts && fastmcp.because.is_empty(),
            "{fastmcp:?}"
        );
        assert!(row(&text, url, "cloudflare-workers-oauth-provider").accepts);
    }

    #[test]
    fn cloudflare_accepts_a_root_path_and_refuses_an_inconsistent_grant_after_filtering() {
        let url = "https://app.example.com/";
        let text = format!(
            r#"{{"client_id":"{url}","client_name":"A","redirect_uris":["https://app.example.com/cb"],"token_endpoint_auth_method":"none"}}"#
        );
        assert!(row(&text, url, "cloudflare-workers-oauth-provider").accepts);
        assert!(!row(&text, url, "fastmcp").accepts);
        // client_credentials is dropped, which leaves response type code without its grant.
        let url = "https://app.example.com/c.json";
        let text = format!(
            r#"{{"client_id":"{url}","client_name":"A","redirect_uris":["https://app.example.com/cb"],"token_endpoint_auth_method":"none","grant_types":["client_credentials"]}}"#
        );
        let cf = row(&text, url, "cloudflare-workers-oauth-provider");
        assert!(
            !cf.accepts && cf.notes.iter().any(|n| n.contains("both remain")),
            "{cf:?}"
        );
    }

    #[test]
    fn keycloak_refuses_a_query_in_the_client_id() {
        let url = "https://app.example.com/c.json?v=1";
        let text = format!(
            r#"{{"client_id":"{url}","client_name":"A","redirect_uris":["https://app.example.com/cb"],"token_endpoint_auth_method":"none"}}"#
        );
        let keycloak = row(&text, url, "keycloak");
        assert!(
            !keycloak.accepts && keycloak.because.as_slice() == ["CIMD106"],
            "{keycloak:?}"
        );
        let url = "https://app.example.com/c.json";
        let text = text.replace("c.json?v=1", "c.json");
        assert!(row(&text, url, "keycloak").accepts);
    }

    #[test]
    fn loopback_ports_per_server() {
        use crate::report::Ports::{Any, None, Registered};
        let url = "https://app.example.com/c.json";
        let text = format!(
            r#"{{"client_id":"{url}","client_name":"A","redirect_uris":["http://127.0.0.1:33418/","http://127.0.0.1/cb","http://[::1]/cb","http://localhost:*/cb","https://app.example.com/cb"],"token_endpoint_auth_method":"none"}}"#
        );
        let ports = |server: &str| -> Vec<_> {
            row(&text, url, server)
                .loopback
                .iter()
                .map(|l| l.ports)
                .collect()
        };
        // The https URI is no loopback redirect: four rows, in document order.
        assert_eq!(ports("fastmcp"), [Registered, Any, Any, Any]);
        assert_eq!(
            ports("cloudflare-workers-oauth-provider"),
            [Any, Any, Any, None]
        );
        assert_eq!(ports("keycloak"), [Registered, Any, None, None]);
        assert_eq!(ports("auth0"), [Registered, None, None, None]);
        assert!(ports("atproto").is_empty());
        assert_eq!(
            &*row(&text, url, "fastmcp").loopback[0].uri,
            "http://127.0.0.1:33418/"
        );
    }

    #[test]
    fn every_server_is_described() {
        let servers: Vec<_> = super::servers().collect();
        assert_eq!(servers.len(), super::SERVERS.len());
        for s in servers {
            assert!(
                !s.name.is_empty() && !s.what.is_empty() && !s.source.is_empty(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn every_code_has_a_bit() {
        for code in crate::codes::all() {
            let n = super::number(code.code);
            assert!(n > 0 && n < super::WORDS * 64, "{}", code.code);
        }
    }

    /// A server's list is written as code strings: a typo or an unregistered code would be a bit no
    /// diagnostic ever sets, and the server would silently accept what it should refuse.
    #[test]
    fn every_listed_code_is_registered() {
        let registered: std::collections::BTreeSet<usize> = crate::codes::all()
            .iter()
            .map(|c| usize::from(c.number))
            .collect();
        let lists = super::SERVERS
            .iter()
            .map(|s| (s.info.id, s.rejects))
            .chain([("JSON_FATAL", super::JSON_FATAL)]);
        for (server, rejects) in lists {
            for n in 0..super::WORDS * 64 {
                if rejects.contains_number(n) {
                    assert!(
                        registered.contains(&n),
                        "{server} lists CIMD{n:03}, which is not a registered code"
                    );
                }
            }
        }
    }

    #[test]
    fn no_document_no_predictions() {
        let v = verdicts("{", "https://app.example.com/c.json");
        assert!(v.is_empty(), "{v:?}");
    }
}
