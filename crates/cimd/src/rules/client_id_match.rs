//! client_id equals the URL the document is served at, byte for byte, and a near miss says exactly
//! what differs (docs/decisions.md#client-id-comparison).

use super::{Cx, Doc};
use crate::codes::declare_code;
use crate::uri::{Uri, decode_unreserved};

declare_code! {
    /// ## What it checks
    /// That `client_id` equals the URL the document was fetched from (or the `--url` given), by
    /// simple string comparison: no case folding, no percent-decoding, no default-port,
    /// dot-segment or trailing-slash normalization. A near miss says what differs: trailing slash,
    /// case, default port, percent-encoding, IDN form, `www.`, scheme, query.
    ///
    /// ## Why
    /// -03 §4: the client_id MUST match the Client Identifier URL and the URL the server fetched,
    /// by simple string comparison, and servers MUST NOT apply default-port normalization (-03 §3);
    /// MCP §5.1.1: the server MUST validate that the fetched document's client_id matches the URL
    /// exactly. FastMCP strips trailing slashes before comparing, so a document can pass there and
    /// fail everywhere else.
    ///
    /// ## Example
    /// Served at `https://app.example.com/oauth/client.json`:
    /// ```json
    /// {"client_id": "https://app.example.com/oauth/client.json/"}
    /// ```
    pub(crate) static CLIENT_ID_MISMATCH = "CIMD107" "client-id-mismatch" {
        mcp: Error, ietf: Error,
        spec: "draft-ietf-oauth-client-id-metadata-document-03 §4",
        title: "client_id differs from the document URL",
        help: "set client_id to exactly the URL the document is served at",
    }
}

pub(super) fn check(doc: &Doc<'_, '_>, cx: &mut Cx<'_>) {
    const LEAD: &str = "client_id differs from the document URL: ";
    let (Some((client_id, id_uri)), Some(url)) = (&doc.client_id, doc.url) else {
        return;
    };
    if client_id.value == url {
        return;
    }
    let mut message = String::with_capacity(LEAD.len() + 64);
    message.push_str(LEAD);
    if let Some(url_uri) = doc.url_uri() {
        differences_of(id_uri, url_uri, &mut Items::new(&mut message));
    }
    if message.len() == LEAD.len() {
        message = [
            "client_id `",
            client_id.value,
            "` differs from the document URL `",
            url,
            "`",
        ]
        .concat();
    }
    let help = [
        "set client_id to exactly ",
        url,
        " (or serve the document at the client_id URL)",
    ]
    .concat();
    cx.report_help(
        &CLIENT_ID_MISMATCH,
        message,
        help,
        "/client_id",
        client_id.node.inner_span(),
    );
}

/// A comma-separated list written straight into a message: the differences are pieces of the
/// two URLs, and joining them through a list of strings cost an allocation each.
struct Items<'s> {
    out: &'s mut String,
    empty: bool,
}

impl<'s> Items<'s> {
    fn new(out: &'s mut String) -> Self {
        Self { out, empty: true }
    }

    fn add(&mut self, pieces: &[&str]) {
        if !self.empty {
            self.out.push_str(", ");
        }
        self.empty = false;
        for piece in pieces {
            self.out.push_str(piece);
        }
    }
}

/// What differs between two URLs, component by component, in words (`a` the client_id, `b` the
/// URL), added to `out`.
fn differences_of(a: &Uri<'_>, b: &Uri<'_>, out: &mut Items<'_>) {
    let (sa, sb) = (a.scheme().unwrap_or(""), b.scheme().unwrap_or(""));
    if sa != sb {
        if sa.eq_ignore_ascii_case(sb) {
            out.add(&["scheme case (`", sa, "` vs `", sb, "`)"]);
        } else {
            out.add(&["scheme (`", sa, "` vs `", sb, "`)"]);
        }
    }
    if a.userinfo() != b.userinfo() {
        out.add(&["userinfo"]);
    }
    let (ha, hb) = (a.host().unwrap_or(""), b.host().unwrap_or(""));
    if ha != hb {
        host_difference(ha, hb, out);
    }
    let default = |u: &Uri<'_>| {
        if u.scheme_is("https") {
            "443"
        } else if u.scheme_is("http") {
            "80"
        } else {
            ""
        }
    };
    let (pa, pb) = (a.port(), b.port());
    if pa != pb {
        let effective = |p: Option<&str>, u: &Uri<'_>| match p {
            None | Some("") => default(u).to_owned(),
            Some(p) => p.to_owned(),
        };
        if effective(pa, a) == effective(pb, b) {
            match pa.or(pb).filter(|p| !p.is_empty()) {
                Some(p) => out.add(&[
                    "default port (`:",
                    p,
                    "` written in one, omitted in the other)",
                ]),
                None => {
                    out.add(&["default port (an empty port written in one, omitted in the other)"]);
                }
            }
        } else {
            out.add(&[
                "port (`",
                pa.unwrap_or("none"),
                "` vs `",
                pb.unwrap_or("none"),
                "`)",
            ]);
        }
    }
    let (pa, pb) = (a.path(), b.path());
    if pa != pb {
        path_difference(pa, pb, out);
    }
    match (a.query(), b.query()) {
        (x, y) if x == y => {}
        (Some(_), None) => out.add(&["client_id has a query string the URL lacks"]),
        (None, Some(_)) => out.add(&["the URL has a query string client_id lacks"]),
        (Some(x), Some(y)) if decode_unreserved(x) == decode_unreserved(y) => {
            out.add(&["percent-encoding in the query"]);
        }
        _ => out.add(&["query string"]),
    }
    if a.fragment() != b.fragment() {
        out.add(&["fragment"]);
    }
}

fn host_difference(a: &str, b: &str, out: &mut Items<'_>) {
    if a.eq_ignore_ascii_case(b) {
        return out.add(&["host case (`", a, "` vs `", b, "`)"]);
    }
    if a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
    {
        return out.add(&["trailing dot in the host"]);
    }
    // Only punycode or non-ASCII hosts can spell one name two ways; skip decoding otherwise.
    let maybe_idn = |h: &str| {
        !h.is_ascii()
            || h.as_bytes()
                .windows(4)
                .any(|w| w.eq_ignore_ascii_case(b"xn--"))
    };
    if (maybe_idn(a) || maybe_idn(b))
        && unicode_host(a).is_some_and(|ua| Some(ua) == unicode_host(b))
    {
        return out.add(&[
            "IDN form of the host (`",
            a,
            "` vs `",
            b,
            "`: Unicode and punycode spell the same name differently)",
        ]);
    }
    let (sa, sb) = (
        a.strip_prefix("www.").unwrap_or(a),
        b.strip_prefix("www.").unwrap_or(b),
    );
    if sa.eq_ignore_ascii_case(sb) {
        return out.add(&["`www.` prefix (`", a, "` vs `", b, "`)"]);
    }
    out.add(&["host (`", a, "` vs `", b, "`)"]);
}

fn path_difference<'p>(a: &'p str, b: &'p str, out: &mut Items<'_>) {
    let (what, a, b) = if a.trim_end_matches('/') == b.trim_end_matches('/') {
        ("trailing slash (`", a, b)
    } else if decode_unreserved(a) == decode_unreserved(b) {
        ("percent-encoding of the path (`", a, b)
    } else if a.eq_ignore_ascii_case(b) {
        ("path case (`", a, b)
    } else {
        let none = |p: &'p str| if p.is_empty() { "none" } else { p };
        ("path (`", none(a), none(b))
    };
    out.add(&[what, a, "` vs `", b, "`)"]);
}

/// The host with punycode labels decoded and ASCII lower-cased, for comparing IDN spellings.
///
/// ASCII case only: IDNA maps a name to lower case before encoding it, so punycode labels decode
/// to lower case, and Unicode case tables would cost 8 KB gzipped in the web build to explain a
/// near miss in the rare `MÜNCHEN` vs `xn--mnchen-3ya` spelling (still reported, as a host mismatch).
fn unicode_host(host: &str) -> Option<String> {
    let labels: Option<Vec<String>> = host
        .split('.')
        .map(|label| match label.get(..4) {
            Some(prefix) if prefix.eq_ignore_ascii_case("xn--") => {
                decode_punycode(&label[4..]).map(|s| s.to_ascii_lowercase())
            }
            _ => Some(label.to_ascii_lowercase()),
        })
        .collect();
    labels.map(|l| l.join("."))
}

/// RFC 3492 punycode decoding, used only to explain near misses. Hand-written: the `idna` crate
/// brings Unicode tables (tens of KB in wasm) that nothing else in the core needs.
fn decode_punycode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    let (basic, rest) = match input.rfind('-') {
        Some(i) => (&input[..i], &input[i + 1..]),
        None => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (128_u32, 0_u32, 72_u32);
    let mut digits = rest.bytes();
    let mut pending = digits.len();
    while pending > 0 {
        let old_i = i;
        let mut weight = 1_u32;
        let mut k = BASE;
        loop {
            let byte = digits.next()?;
            pending -= 1;
            let digit = u32::from(match byte {
                b'a'..=b'z' => byte - b'a',
                b'A'..=b'Z' => byte - b'A',
                b'0'..=b'9' => byte - b'0' + 26,
                _ => return None,
            });
            i = i.checked_add(digit.checked_mul(weight)?)?;
            let t = if k <= bias {
                TMIN
            } else if k >= bias + TMAX {
                TMAX
            } else {
                k - bias
            };
            if digit < t {
                break;
            }
            weight = weight.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = u32::try_from(output.len()).ok()? + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        output.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 * delta) / (delta + 38)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::*;

    /// What differs between two URLs, separated by commas.
    fn diff(client_id: &str, url: &str) -> String {
        let mut out = String::new();
        differences_of(
            &Uri::split(client_id),
            &Uri::split(url),
            &mut Items::new(&mut out),
        );
        out
    }

    #[test]
    fn names_each_near_miss() {
        let url = "https://app.example.com/oauth/client.json";
        assert!(
            diff("https://app.example.com/oauth/client.json/", url).starts_with("trailing slash")
        );
        assert!(diff("https://App.example.com/oauth/client.json", url).starts_with("host case"));
        assert!(
            diff("https://app.example.com:443/oauth/client.json", url).starts_with("default port")
        );
        assert!(
            diff("https://app.example.com/oauth/client%2Ejson", url)
                .starts_with("percent-encoding")
        );
        assert!(
            diff("http://app.example.com/oauth/client.json", url).starts_with("scheme (`http`")
        );
        assert!(
            diff("https://www.app.example.com/oauth/client.json", url).starts_with("`www.` prefix")
        );
        assert!(diff("https://app.example.com/oauth/client.json?x", url).contains("query"));
        assert!(
            diff(
                "https://bücher.example/c",
                "https://xn--bcher-kva.example/c"
            )
            .starts_with("IDN form")
        );
        // Unicode case is not folded (see `unicode_host`): still a reported mismatch.
        assert!(
            diff(
                "https://MÜNCHEN.example/c",
                "https://xn--mnchen-3ya.example/c"
            )
            .starts_with("host (")
        );
    }

    #[test]
    fn punycode_decodes() {
        assert_eq!(decode_punycode("bcher-kva").as_deref(), Some("bücher"));
        assert_eq!(decode_punycode("mnchen-3ya").as_deref(), Some("münchen"));
        assert_eq!(decode_punycode("!!"), None);
    }

    #[test]
    fn mismatch_is_reported_with_the_url_in_the_help() {
        let report = run(&with(
            "client_id",
            Some("\"https://app.example.com/oauth/client.json/\""),
        ));
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.code() == "CIMD107")
            .unwrap();
        assert_eq!(
            d.message,
            "client_id differs from the document URL: trailing slash (`/oauth/client.json/` vs `/oauth/client.json`)"
        );
        assert!(d.help.contains(URL));
        assert_lacks(&run(BASE), "CIMD107");
    }
}
