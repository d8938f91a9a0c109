//! The document rules: one file per rule, each declaring its codes (with their docs) beside the check.
//!
//! Every rule gets a [`Doc`] (typed, positioned access to the parsed members; wrong types were already
//! reported by `members`, so a rule sees only well-typed values) and a [`Cx`] to report into.

use std::borrow::Cow;

// Documents list a few grant and response types: kept inline, not on the heap. (Redirect URIs
// stay in a Vec: each carries its split, and moving inline ones costs more than the allocation.)
use smallvec::SmallVec;

use crate::Options;
use crate::codes::Code;
use crate::json::{Member, Node, Value};
use crate::report::{Checked, Diagnostic, Document, Profile, Report, Span, pointer_token};
use crate::uri::Uri;

mod application_type;
mod auth_method;
mod auth_methods_supported;
mod client_id_form;
mod client_id_host;
mod client_id_match;
mod client_id_present;
mod client_name;
mod client_secret;
mod client_uri_origin;
mod display_metadata;
mod document_shape;
mod grant_type_extension;
mod grant_types;
mod json_problems;
mod keys;
mod members;
mod redirect_uri_loopback;
mod redirect_uri_scheme;
mod redirect_uri_syntax;
mod redirect_uris_presence;
mod scope;
mod software_statement;
mod url_members;

/// The codes declared by the document rules (the fetch codes live in `fetch.rs`).
pub(crate) static CODES: &[&Code] = &[
    &json_problems::JSON_SYNTAX,
    &json_problems::JSON_BOM,
    &json_problems::JSON_INVALID_UTF8,
    &json_problems::JSON_LONE_SURROGATE,
    &json_problems::JSON_DUPLICATE_MEMBER,
    &json_problems::JSON_TOO_DEEP,
    &json_problems::JSON_NUMBER_OUT_OF_RANGE,
    &json_problems::JSON_EMPTY,
    &json_problems::JSON_TRAILING_CHARACTERS,
    &document_shape::DOCUMENT_NOT_OBJECT,
    &document_shape::DOCUMENT_TOO_LARGE,
    &members::UNKNOWN_MEMBER,
    &members::MEMBER_NAME_TYPO,
    &members::MEMBER_WRONG_TYPE,
    &client_id_present::CLIENT_ID_MISSING,
    &client_id_form::CLIENT_ID_NOT_HTTPS,
    &client_id_form::CLIENT_ID_NO_PATH,
    &client_id_form::CLIENT_ID_DOT_SEGMENT,
    &client_id_form::CLIENT_ID_FRAGMENT,
    &client_id_form::CLIENT_ID_USERINFO,
    &client_id_form::CLIENT_ID_QUERY,
    &client_id_match::CLIENT_ID_MISMATCH,
    &client_id_form::CLIENT_ID_ROOT_PATH,
    &client_id_form::CLIENT_ID_NOT_URI,
    &client_id_form::CLIENT_ID_NOT_NORMALIZED,
    &client_id_host::CLIENT_ID_NON_ASCII_HOST,
    &client_id_host::CLIENT_ID_SPECIAL_USE_ADDRESS,
    &client_id_host::CLIENT_ID_IP_LITERAL,
    &client_id_form::CLIENT_ID_TOO_LONG,
    &client_id_host::CLIENT_ID_TRAILING_DOT,
    &client_id_host::CLIENT_ID_NO_HOST,
    &auth_method::AUTH_METHOD_MISSING,
    &auth_method::AUTH_METHOD_SHARED_SECRET,
    &client_secret::CLIENT_SECRET_PRESENT,
    &client_secret::CLIENT_SECRET_EXPIRES_AT_PRESENT,
    &keys::PRIVATE_KEY_JWT_WITHOUT_KEYS,
    &keys::JWKS_AND_JWKS_URI,
    &keys::JWKS_PRIVATE_KEY,
    &keys::JWKS_INVALID,
    &auth_method::AUTH_METHOD_UNCOMMON,
    &auth_method::AUTH_METHOD_UNKNOWN,
    &keys::JWKS_EMPTY,
    &url_members::JWKS_URI_UNFETCHABLE,
    &auth_method::AUTH_METHOD_OMITTED,
    &auth_methods_supported::AUTH_METHODS_SUPPORTED_INVALID,
    &auth_methods_supported::AUTH_METHODS_SUPPORTED_SHARED_SECRET,
    &auth_methods_supported::AUTH_METHOD_NOT_IN_SUPPORTED,
    &auth_methods_supported::AUTH_METHOD_ONLY_IN_SUPPORTED,
    &auth_methods_supported::AUTH_METHOD_PRIVATE_KEY_JWT_WITH_NONE,
    &auth_methods_supported::AUTH_SIGNING_ALG_NOT_IN_SUPPORTED,
    &keys::JWK_MISSING_PUBLIC_MEMBERS,
    &software_statement::SOFTWARE_STATEMENT_FORBIDDEN_CLAIM,
    &redirect_uris_presence::REDIRECT_URIS_MISSING,
    &redirect_uris_presence::REDIRECT_URIS_EMPTY,
    &redirect_uri_syntax::REDIRECT_URI_NOT_ABSOLUTE,
    &redirect_uri_syntax::REDIRECT_URI_FRAGMENT,
    &redirect_uri_scheme::REDIRECT_URI_HTTP_NOT_LOOPBACK,
    &redirect_uri_scheme::REDIRECT_URI_DANGEROUS_SCHEME,
    &redirect_uri_scheme::REDIRECT_URI_CUSTOM_SCHEME,
    &redirect_uri_loopback::REDIRECT_URI_LOCALHOST_NAME,
    &redirect_uri_loopback::REDIRECT_URIS_LOOPBACK_ONLY,
    &redirect_uri_syntax::REDIRECT_URI_WILDCARD,
    &redirect_uri_loopback::REDIRECT_URI_LOOPBACK_PORT,
    &redirect_uri_syntax::REDIRECT_URI_DUPLICATE,
    &redirect_uri_syntax::REDIRECT_URI_INVALID,
    &redirect_uri_loopback::REDIRECT_URI_LOOPBACK_FIXED_PORT,
    &client_name::CLIENT_NAME_MISSING,
    &client_name::CLIENT_NAME_EMPTY,
    &url_members::URL_MEMBER_INVALID,
    &url_members::URL_MEMBER_DANGEROUS_SCHEME,
    &url_members::URL_MEMBER_NOT_HTTPS,
    &url_members::URL_MEMBER_SPECIAL_USE_HOST,
    &client_uri_origin::CLIENT_URI_OTHER_ORIGIN,
    &display_metadata::CLIENT_URI_MISSING,
    &display_metadata::LOGO_URI_MISSING,
    &grant_types::GRANT_TYPES_EMPTY,
    &grant_types::RESPONSE_TYPES_EMPTY,
    &grant_types::GRANT_RESPONSE_MISMATCH,
    &grant_types::GRANT_TYPE_LEGACY,
    &grant_types::GRANT_TYPE_UNREGISTERED,
    &scope::SCOPE_INVALID,
    &application_type::APPLICATION_TYPE_INVALID,
    &application_type::APPLICATION_TYPE_NOT_NATIVE,
    &software_statement::SOFTWARE_STATEMENT_INVALID,
    &client_name::CLIENT_NAME_TOO_LONG,
    &grant_type_extension::GRANT_TYPE_EXTENSION,
];

/// Parses and checks a document; `fetch` is set when the bytes are a fetched body.
pub(crate) fn validate_document(bytes: &[u8], text: Option<&str>, options: &Options) -> Report {
    let (diagnostics, checked) = check_document(bytes, text, options, false);
    let text = match text {
        Some(text) => Some(text),
        None if diagnostics.iter().any(|d| d.span.is_some()) => std::str::from_utf8(bytes).ok(),
        None => None,
    };
    Report::finish(diagnostics, text, options, checked, None)
}

/// The document rules alone: diagnostics (spans into `bytes`) and, when the document is an
/// object, what the report needs of it. `fetched` says the bytes came from a fetch (size limits are
/// then the fetch rules' business).
pub(crate) fn check_document(
    bytes: &[u8],
    text: Option<&str>,
    options: &Options,
    fetched: bool,
) -> (Vec<Diagnostic>, Option<Checked>) {
    let parsed = match text {
        Some(text) => crate::json::parse_str(text),
        None => crate::json::parse(bytes),
    };
    let mut cx = Cx {
        options,
        source: bytes,
        out: Vec::with_capacity(8),
    };
    json_problems::check(&parsed, &mut cx);
    if !fetched {
        document_shape::check_size(bytes.len(), &mut cx);
    }
    let Some(root) = &parsed.root else {
        return (cx.out, None);
    };
    let Value::Object(members) = &root.value else {
        document_shape::not_object(root, &mut cx);
        return (cx.out, None);
    };
    let clean = parsed.problems.is_empty();
    let mut doc = Doc::new(members, root, options.url.as_deref());
    doc.read();
    for rule in RULES {
        rule(&doc, &mut cx);
    }
    let checked = Checked {
        document: Document::from_node(root, bytes, text, clean),
        facts: crate::portability::Facts::gather(&doc),
    };
    (cx.out, Some(checked))
}

/// The document rules, in the order they run: first those that report missing members (at the
/// root's `{`, where a report lists them first, by code), then the rest, so that most documents'
/// diagnostics come in the report's order and [`Cx::push`] only appends. The order changes no
/// report: diagnostics are put in order whatever the rules' order.
type Rule = fn(&Doc<'_, '_>, &mut Cx<'_>);
const RULES: &[Rule] = &[
    client_id_present::check,
    auth_method::check,
    redirect_uris_presence::check,
    client_name::check,
    display_metadata::check,
    application_type::check,
    members::check,
    client_id_form::check,
    client_id_host::check,
    client_id_match::check,
    client_secret::check,
    auth_methods_supported::check,
    keys::check,
    redirect_uri_syntax::check,
    redirect_uri_scheme::check,
    redirect_uri_loopback::check,
    url_members::check,
    client_uri_origin::check,
    grant_types::check,
    grant_type_extension::check,
    scope::check,
    software_statement::check,
];

/// Where diagnostics go, with the options and the source bytes (to map string offsets to spans).
pub(crate) struct Cx<'a> {
    pub(crate) options: &'a Options,
    source: &'a [u8],
    out: Vec<Diagnostic>,
}

impl Cx<'_> {
    pub(crate) fn profile(&self) -> Profile {
        self.options.profile
    }

    /// Reports `code` at a pointer and span.
    pub(crate) fn report(
        &mut self,
        code: &'static Code,
        message: impl Into<std::borrow::Cow<'static, str>>,
        pointer: impl Pointer,
        span: Span,
    ) {
        self.push(Diagnostic::new(code, self.profile(), message).at(pointer.pointer(), span));
    }

    /// Reports with a help text more precise than the code's default.
    pub(crate) fn report_help(
        &mut self,
        code: &'static Code,
        message: impl Into<std::borrow::Cow<'static, str>>,
        help: impl Into<std::borrow::Cow<'static, str>>,
        pointer: impl Pointer,
        span: Span,
    ) {
        self.push(
            Diagnostic::new(code, self.profile(), message)
                .at(pointer.pointer(), span)
                .with_help(help),
        );
    }

    /// Reports a diagnostic with no position (e.g. about the whole input).
    pub(crate) fn report_unpositioned(
        &mut self,
        code: &'static Code,
        message: impl Into<std::borrow::Cow<'static, str>>,
    ) {
        self.push(Diagnostic::new(code, self.profile(), message));
    }

    /// Adds a diagnostic where the report's order puts it (after those that sort before or with
    /// it), so the finished list is usually in order already and [`Report::finish`] has nothing
    /// to sort: sorting a finished list moved each large diagnostic several times (6% of
    /// validating a small document). Most come in order ([`RULES`]) and are simply appended.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        let key = crate::report::order_key(&diagnostic);
        match self.out.last() {
            Some(last) if crate::report::order_key(last) > key => {
                self.insert_in_order(diagnostic, key);
            }
            _ => self.out.push(diagnostic),
        }
    }

    /// Inserts after the last diagnostic whose key is at most `key` (the diagnostic's own).
    #[inline(never)]
    fn insert_in_order(&mut self, diagnostic: Diagnostic, key: u128) {
        let at = self
            .out
            .iter()
            .rposition(|d| crate::report::order_key(d) <= key)
            .map_or(0, |i| i + 1);
        self.out.insert(at, diagnostic);
    }

    /// "line 3, column 5" for a byte offset of the source (when it is UTF-8), for messages that
    /// refer to a second place.
    pub(crate) fn describe_position(&self, offset: usize) -> Option<String> {
        let text = std::str::from_utf8(self.source).ok()?;
        let p = crate::lines::position(text, offset);
        Some(format!("line {}, column {}", p.line, p.column))
    }

    /// The span of `range` (byte offsets into the *decoded* string) inside a string node's source.
    /// Escapes (`\/`, `\u0041`) make decoded and source offsets differ, so walk the source.
    pub(crate) fn string_span(&self, node: &Node<'_>, range: std::ops::Range<usize>) -> Span {
        let inner = node.inner_span();
        if let Value::String(Cow::Borrowed(_)) = node.value {
            // Borrowed from the source: no escapes, the decoded offsets are the source's.
            return inner.sub(range.start, range.end.saturating_sub(range.start));
        }
        let raw = self.source.get(inner.range()).unwrap_or_default();
        let start = inner.start as usize + source_offset(raw, range.start);
        let end = inner.start as usize + source_offset(raw, range.end);
        Span::new(start as u32, end.max(start) as u32)
    }
}

/// Maps a byte offset in the decoded content of a JSON string to an offset in its source.
fn source_offset(raw: &[u8], decoded: usize) -> usize {
    let (mut src, mut dec) = (0, 0);
    while src < raw.len() && dec < decoded {
        if raw[src] == b'\\' {
            let (src_len, dec_len) = match raw.get(src + 1) {
                Some(b'u') => {
                    let code = std::str::from_utf8(raw.get(src + 2..src + 6).unwrap_or_default())
                        .ok()
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .unwrap_or(0xFFFD);
                    let is_pair = (0xD800..0xDC00).contains(&code)
                        && raw.get(src + 6..src + 8) == Some(b"\\u");
                    if is_pair {
                        (12, 4)
                    } else {
                        (6, char::from_u32(code).map_or(3, char::len_utf8))
                    }
                }
                _ => (2, 1),
            };
            src += src_len;
            dec += dec_len;
        } else {
            src += 1;
            dec += 1;
        }
    }
    src.min(raw.len())
}

/// The top-level object with typed, positioned accessors.
pub(crate) struct Doc<'d, 'a> {
    pub(crate) members: &'d [Member<'a>],
    pub(crate) root: &'d Node<'a>,
    /// `client_id` when it is a string, split once for every rule.
    pub(crate) client_id: Option<(Str<'d, 'a>, Uri<'d>)>,
    /// The string items of `redirect_uris` (with their indexes), split once; `None` when the
    /// member is absent or not an array.
    pub(crate) redirect_uris: Option<Vec<Redirect<'d, 'a>>>,
    /// The string items of `grant_types` and `response_types`, read once.
    pub(crate) grant_types: Option<Strings<'d, 'a>>,
    pub(crate) response_types: Option<Strings<'d, 'a>>,
    /// The URL the document is served at (`Options::url`), and its split, made on first use: only
    /// a client_id that differs from it needs the parts (the mismatch rule and FastMCP's verdict).
    pub(crate) url: Option<&'d str>,
    url_split: std::cell::OnceCell<Option<Uri<'d>>>,
    /// Where the frequently read members are (index + 1; 0 when absent), so a lookup is one
    /// match instead of a scan of every member.
    slots: [u32; SLOTS],
    /// Whether some member name has a `#` (a language tag): without one, a name is its own base
    /// name, and the rules that look at every member skip searching each name for `#`.
    pub(crate) tagged: bool,
}

/// String items with their indexes: inline up to three (grant types rarely number more), which
/// keeps the list within the 128 bytes the compiler copies without calling memmove.
pub(crate) type Strings<'d, 'a> = SmallVec<[(usize, Str<'d, 'a>); 3]>;

const SLOTS: usize = 18;

/// The slot of a frequently read member name.
fn slot(name: &str) -> Option<usize> {
    Some(match name {
        "client_id" => 0,
        "client_name" => 1,
        "redirect_uris" => 2,
        "token_endpoint_auth_method" => 3,
        "grant_types" => 4,
        "response_types" => 5,
        "client_uri" => 6,
        "logo_uri" => 7,
        "scope" => 8,
        "jwks" => 9,
        "jwks_uri" => 10,
        "client_secret" => 11,
        "client_secret_expires_at" => 12,
        "application_type" => 13,
        "software_statement" => 14,
        "dpop_bound_access_tokens" => 15,
        "tos_uri" => 16,
        "policy_uri" => 17,
        _ => return None,
    })
}

/// One string item of `redirect_uris`.
pub(crate) struct Redirect<'d, 'a> {
    pub(crate) index: usize,
    pub(crate) item: Str<'d, 'a>,
    pub(crate) uri: Uri<'d>,
    /// https, http or another scheme, compared once (five rules ask).
    pub(crate) web: Web,
    /// Whether it is an http URI on a loopback host, worked out once (three rules ask).
    pub(crate) loopback: Loopback,
}

/// The scheme of a redirect URI as far as the rules tell them apart (case-insensitive).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Web {
    Https,
    Http,
    /// Another scheme, or none.
    Other,
}

impl Web {
    fn of(uri: &Uri<'_>) -> Self {
        if uri.scheme_is("https") {
            Self::Https
        } else if uri.scheme_is("http") {
            Self::Http
        } else {
            Self::Other
        }
    }
}

/// How an http or https redirect URI is loopback, by the one meaning matching also uses
/// ([`crate::redirect::loopback_host`]; docs/decisions.md#loopback-hosts); `No` for every other
/// scheme.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loopback {
    No,
    /// A 127.0.0.0/8 IPv4 literal or `[::1]`.
    Ip,
    /// `localhost`.
    Name,
}

impl Loopback {
    fn of(uri: &Uri<'_>, web: Web) -> Self {
        let Some(host) = uri.host().filter(|_| web != Web::Other) else {
            return Self::No;
        };
        match crate::redirect::loopback_host(host) {
            Some(crate::redirect::LoopbackHost::Ip) => Self::Ip,
            Some(crate::redirect::LoopbackHost::Name) => Self::Name,
            None => Self::No,
        }
    }
}

/// A string value with where it is.
#[derive(Clone, Copy)]
pub(crate) struct Str<'d, 'a> {
    pub(crate) value: &'d str,
    pub(crate) node: &'d Node<'a>,
}

impl<'d, 'a> Doc<'d, 'a> {
    /// The document with its members indexed; [`Doc::read`] then reads the ones every rule uses.
    /// Two steps so that the large `Doc` is built in place: returned after being filled in, it
    /// was copied with memmove on every validation.
    fn new(members: &'d [Member<'a>], root: &'d Node<'a>, url: Option<&'d str>) -> Self {
        let mut slots = [0_u32; SLOTS];
        let mut tagged = false;
        for (i, m) in members.iter().enumerate() {
            match slot(&m.name) {
                Some(s) => slots[s] = u32::try_from(i + 1).unwrap_or(0), // the last duplicate wins
                None => tagged |= m.name.as_bytes().contains(&b'#'),
            }
        }
        Self {
            members,
            root,
            client_id: None,
            redirect_uris: None,
            grant_types: None,
            response_types: None,
            url,
            url_split: std::cell::OnceCell::new(),
            slots,
            tagged,
        }
    }

    /// Splits client_id and the redirect URIs and reads the grant and response types, once.
    fn read(&mut self) {
        let doc = &*self;
        let client_id = doc.string("client_id").map(|s| (s, Uri::split(s.value)));
        let redirect_uris = doc.string_items("redirect_uris").map(|items| {
            // Sized up front: a Redirect is large, and growing by doubling copies them all.
            let mut out = Vec::with_capacity(doc.array_len("redirect_uris"));
            out.extend(items.map(|(index, item)| {
                let uri = Uri::split(item.value);
                let web = Web::of(&uri);
                Redirect {
                    index,
                    item,
                    web,
                    loopback: Loopback::of(&uri, web),
                    uri,
                }
            }));
            out
        });
        let grant_types = doc.strings("grant_types");
        let response_types = doc.strings("response_types");
        self.client_id = client_id;
        self.redirect_uris = redirect_uris;
        self.grant_types = grant_types;
        self.response_types = response_types;
    }

    /// [`base_name`] of a member's name, without a search when no name has a tag.
    pub(crate) fn base_name<'n>(&self, name: &'n str) -> &'n str {
        if self.tagged { base_name(name) } else { name }
    }

    /// The member (last one if duplicated, as serde_json reads it).
    pub(crate) fn member(&self, name: &str) -> Option<&'d Member<'a>> {
        match slot(name) {
            Some(s) => self.slots[s]
                .checked_sub(1)
                .map(|i| &self.members[i as usize]),
            None => self.members.iter().rev().find(|m| m.name == name),
        }
    }

    /// The member's value if it is a string.
    pub(crate) fn string(&self, name: &str) -> Option<Str<'d, 'a>> {
        let member = self.member(name)?;
        member.value.as_str().map(|value| Str {
            value,
            node: &member.value,
        })
    }

    /// [`Doc::url`] split into its parts.
    pub(crate) fn url_uri(&self) -> Option<&Uri<'d>> {
        self.url_split
            .get_or_init(|| self.url.map(Uri::split))
            .as_ref()
    }

    /// The member's string items with their indexes, if it is an array (non-strings skipped).
    pub(crate) fn strings(&self, name: &str) -> Option<Strings<'d, 'a>> {
        self.string_items(name).map(Iterator::collect)
    }

    /// The member's string items with their indexes, if it is an array (non-strings skipped).
    fn string_items(
        &self,
        name: &str,
    ) -> Option<impl Iterator<Item = (usize, Str<'d, 'a>)> + use<'d, 'a>> {
        let member = self.member(name)?;
        let Value::Array(items) = &member.value.value else {
            return None;
        };
        Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, node)| node.as_str().map(|value| (i, Str { value, node }))),
        )
    }

    /// The number of items of an array member (0 when absent or not an array).
    fn array_len(&self, name: &str) -> usize {
        match self.member(name).map(|m| &m.value.value) {
            Some(Value::Array(items)) => items.len(),
            _ => 0,
        }
    }

    /// The span to point at when a member is missing: the opening brace.
    pub(crate) fn missing_span(&self) -> Span {
        Span::new(self.root.span.start, self.root.span.start + 1)
    }
}

/// Where a diagnostic points, formatted only when a diagnostic is reported (rules name the place
/// of every value they look at, and most values are fine).
pub(crate) trait Pointer {
    fn pointer(self) -> Cow<'static, str>;
}

impl Pointer for &'static str {
    fn pointer(self) -> Cow<'static, str> {
        Cow::Borrowed(self)
    }
}

impl Pointer for &String {
    fn pointer(self) -> Cow<'static, str> {
        Cow::Owned(self.clone())
    }
}

/// `/name` as a JSON Pointer.
#[derive(Clone, Copy)]
pub(crate) struct MemberPtr<'n>(pub(crate) &'n str);

impl Pointer for MemberPtr<'_> {
    fn pointer(self) -> Cow<'static, str> {
        let token = pointer_token(self.0);
        let mut out = String::with_capacity(token.len() + 1);
        out.push('/');
        out.push_str(&token);
        Cow::Owned(out)
    }
}

/// `/name/index` as a JSON Pointer.
#[derive(Clone, Copy)]
pub(crate) struct ItemPtr<'n>(pub(crate) &'n str, pub(crate) usize);

/// `/redirect_uris/0` to `/redirect_uris/15`: the items most diagnostics point at, as static
/// strings (building one cost an allocation and a fifth of the diagnostic).
const REDIRECT_URI_POINTERS: [&str; 16] = [
    "/redirect_uris/0",
    "/redirect_uris/1",
    "/redirect_uris/2",
    "/redirect_uris/3",
    "/redirect_uris/4",
    "/redirect_uris/5",
    "/redirect_uris/6",
    "/redirect_uris/7",
    "/redirect_uris/8",
    "/redirect_uris/9",
    "/redirect_uris/10",
    "/redirect_uris/11",
    "/redirect_uris/12",
    "/redirect_uris/13",
    "/redirect_uris/14",
    "/redirect_uris/15",
];

impl Pointer for ItemPtr<'_> {
    fn pointer(self) -> Cow<'static, str> {
        if self.0 == "redirect_uris"
            && let Some(&pointer) = REDIRECT_URI_POINTERS.get(self.1)
        {
            return Cow::Borrowed(pointer);
        }
        // Built by hand: `format!` costs more than the rest of a diagnostic here.
        let token = pointer_token(self.0);
        let mut digits = [0_u8; 20];
        let mut start = digits.len();
        let mut n = self.1;
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let index = std::str::from_utf8(&digits[start..]).unwrap_or_default();
        let mut out = String::with_capacity(token.len() + index.len() + 2);
        out.push('/');
        out.push_str(&token);
        out.push('/');
        out.push_str(index);
        Cow::Owned(out)
    }
}

/// `/name` as a JSON Pointer.
pub(crate) fn pointer(name: &str) -> String {
    MemberPtr(name).pointer().into_owned()
}

/// A member name without its language tag (`client_name#ja` -> `client_name`, RFC 7591 §2.2).
pub(crate) fn base_name(name: &str) -> &str {
    // A byte search: `split_once('#')` sets up a char searcher, noticeable on every member.
    name.as_bytes()
        .iter()
        .position(|&b| b == b'#')
        .map_or(name, |i| &name[..i])
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::{ItemPtr, MemberPtr, Pointer};

    #[test]
    fn pointers_escape_names_and_write_every_digit() {
        assert_eq!(MemberPtr("a/b~c").pointer(), "/a~1b~0c");
        for i in 0..20 {
            let pointer = ItemPtr("redirect_uris", i).pointer();
            assert_eq!(pointer, format!("/redirect_uris/{i}"));
            assert_eq!(matches!(pointer, Cow::Borrowed(_)), i < 16);
        }
        assert_eq!(ItemPtr("x", 10).pointer(), "/x/10");
        assert_eq!(ItemPtr("x", 1_234_567).pointer(), "/x/1234567");
        assert_eq!(
            ItemPtr("x", usize::MAX).pointer(),
            format!("/x/{}", usize::MAX)
        );
    }

    proptest::proptest! {
        /// Diagnostics added one by one end up as a stable sort of the order they came in.
        #[test]
        fn push_keeps_diagnostics_in_report_order(
            added in proptest::collection::vec((0_u32..4, 0_u32..3, 0_usize..4, 0_u32..5), 0..24),
        ) {
            use crate::report::Span;
            let codes = [
                &super::client_id_match::CLIENT_ID_MISMATCH,
                &super::display_metadata::CLIENT_URI_MISSING,
                &super::display_metadata::LOGO_URI_MISSING,
                &super::auth_method::AUTH_METHOD_OMITTED,
            ];
            let options = crate::Options::default();
            let mut cx = super::Cx { options: &options, source: b"", out: Vec::new() };
            let mut diagnostics = Vec::new();
            for (i, &(start, len, code, positioned)) in added.iter().enumerate() {
                let d = crate::Diagnostic::new(codes[code], options.profile, i.to_string());
                // One in five unpositioned.
                let d = if positioned > 0 { d.with_span(Span::new(start, start + len)) } else { d };
                diagnostics.push(d.clone());
                cx.push(d);
            }
            let mut expected = diagnostics;
            expected.sort_by_key(|d| {
                (d.span.map_or((0, 0), |s| (u64::from(s.start) + 1, s.end)), d.code())
            });
            proptest::prop_assert_eq!(cx.out, expected);
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::{Options, Profile, Report};

    /// A valid MCP document to modify in tests.
    pub(crate) const BASE: &str = r#"{
  "client_id": "https://app.example.com/oauth/client.json",
  "client_name": "Example App",
  "client_uri": "https://app.example.com",
  "logo_uri": "https://app.example.com/logo.png",
  "redirect_uris": ["https://app.example.com/callback"],
  "token_endpoint_auth_method": "none"
}"#;

    pub(crate) const URL: &str = "https://app.example.com/oauth/client.json";

    pub(crate) fn run(text: &str) -> Report {
        crate::validate(
            text,
            &Options {
                url: Some(URL.into()),
                ..Options::default()
            },
        )
    }

    pub(crate) fn run_profile(text: &str, profile: Profile) -> Report {
        crate::validate(
            text,
            &Options {
                url: Some(URL.into()),
                profile,
                ..Options::default()
            },
        )
    }

    /// The base document with one member replaced (or added) by raw JSON text; `None` removes it.
    pub(crate) fn with(name: &str, raw: Option<&str>) -> String {
        let mut value: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(BASE).unwrap();
        match raw {
            Some(raw) => {
                value.insert(name.into(), serde_json::from_str(raw).unwrap());
            }
            None => {
                value.remove(name);
            }
        }
        serde_json::to_string_pretty(&value).unwrap()
    }

    /// The base document with several members replaced, added (raw JSON text) or removed (`None`).
    pub(crate) fn with_all(changes: &[(&str, Option<&str>)]) -> String {
        let mut text = BASE.to_owned();
        for (name, raw) in changes {
            let mut value: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&text).unwrap();
            match raw {
                Some(raw) => {
                    value.insert((*name).into(), serde_json::from_str(raw).unwrap());
                }
                None => {
                    value.remove(*name);
                }
            }
            text = serde_json::to_string_pretty(&value).unwrap();
        }
        text
    }

    /// The base document with `redirect_uris` replaced by raw JSON, validated against [`URL`].
    pub(crate) fn run_with_redirects(list: &str) -> Report {
        run(&with("redirect_uris", Some(list)))
    }

    /// As [`run_with_redirects`], under a profile.
    pub(crate) fn run_with_redirects_under(list: &str, profile: Profile) -> Report {
        run_profile(&with("redirect_uris", Some(list)), profile)
    }

    /// The base document with `client_id` replaced, validated without a URL.
    pub(crate) fn with_id(id: &str) -> Report {
        crate::validate(
            &with("client_id", Some(&format!("{id:?}"))),
            &Options::default(),
        )
    }

    #[track_caller]
    pub(crate) fn assert_has(report: &Report, code: &str) {
        assert!(
            report.has(code),
            "expected {code} in {:#?}",
            report.diagnostics
        );
    }

    #[track_caller]
    pub(crate) fn assert_lacks(report: &Report, code: &str) {
        assert!(
            !report.has(code),
            "did not expect {code} in {:#?}",
            report.diagnostics
        );
    }
}
