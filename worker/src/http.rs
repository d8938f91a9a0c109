//! The host-independent shape of a request and a reply, and the few HTTP rules the routes share
//! (CORS, errors as JSON, query strings, content types). The wasm host turns `worker::Request`
//! into an [`Incoming`] and a [`Reply`] into a `worker::Response`; nothing here touches I/O.

/// The largest request body accepted (`POST /api/validate`, `POST /api/match`): a document is at
/// most a few KB (-03 §9.7 recommends 5 KB), so 64 KiB leaves room for JSON escaping.
pub(crate) const REQUEST_MAX_BYTES: usize = 64 * 1024;

pub(crate) const JSON: &str = "application/json; charset=utf-8";

/// A request body, read by the host up to [`REQUEST_MAX_BYTES`] (plus one byte).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    /// No body was read (the method has none, or it was empty).
    Empty,
    Bytes(Vec<u8>),
    /// The body (or its declared Content-Length) is over the limit; it was not kept.
    TooLarge,
}

#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    pub(crate) method: String,
    /// The path as the runtime parsed it (percent-encoded, no query).
    pub(crate) path: String,
    /// The query string without `?`, when there is one.
    pub(crate) query: Option<String>,
    /// Header names in lower case.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
}

impl Incoming {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// A reply with CORS open to every origin (the API and the documents are public, and browser
    /// tools must be able to read them; no specification says anything about CORS).
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![
                ("content-type", content_type.to_owned()),
                ("access-control-allow-origin", "*".to_owned()),
                ("x-content-type-options", "nosniff".to_owned()),
            ],
            body: body.into(),
        }
    }

    pub(crate) fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::new(status, JSON, body)
    }

    /// A client mistake (or a missing route): `{"status": 400, "error": "bad-request", "message": ...}`.
    pub(crate) fn error(status: u16, message: impl AsRef<str>) -> Self {
        let error = match status {
            404 => "not-found",
            405 => "method-not-allowed",
            413 => "payload-too-large",
            415 => "unsupported-media-type",
            429 => "too-many-requests",
            _ => "bad-request",
        };
        let body =
            serde_json::json!({ "status": status, "error": error, "message": message.as_ref() });
        Self::json(status, body.to_string())
    }

    /// 405 with the `Allow` header (RFC 9110 §15.5.6).
    pub(crate) fn not_allowed(method: &str, allow: &'static str) -> Self {
        Self::error(405, format!("{method} is not allowed here; use {allow}")).with("allow", allow)
    }

    /// The answer to a CORS preflight.
    pub(crate) fn preflight(allow: &'static str) -> Self {
        let mut reply = Self::new(204, "text/plain; charset=utf-8", Vec::new());
        reply.headers.retain(|(n, _)| *n != "content-type");
        reply
            .with("allow", allow)
            .with("access-control-allow-methods", allow)
            .with(
                "access-control-allow-headers",
                "content-type, if-none-match",
            )
            .with("access-control-max-age", "86400")
    }

    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    #[cfg(test)]
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Whether a `Content-Type` is JSON in UTF-8: `application/json`, parameters allowed, a charset
/// only if it is UTF-8 (RFC 8259 §8.1).
pub(crate) fn is_json_content_type(value: Option<&str>) -> bool {
    let Some(value) = value else {
        return false;
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return false;
    }
    parts.all(|param| match param.split_once('=') {
        Some((name, v)) if name.trim().eq_ignore_ascii_case("charset") => {
            let v = v.trim().trim_matches('"');
            v.eq_ignore_ascii_case("utf-8") || v.eq_ignore_ascii_case("utf8")
        }
        _ => true,
    })
}

/// Decodes an `application/x-www-form-urlencoded` query string (WHATWG URL §5.1): `+` is a space,
/// `%XX` a byte; the bytes must be UTF-8. Empty pieces (`a=1&&b=2`) are skipped.
pub(crate) fn parse_query(query: &str) -> Result<Vec<(String, String)>, String> {
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            Ok((form_decode(name)?, form_decode(value)?))
        })
        .collect()
}

fn form_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => match bytes.get(i + 1..i + 3).and_then(hex_pair) {
                Some(decoded) => {
                    out.push(decoded);
                    i += 2;
                }
                // WHATWG keeps a `%` that starts no escape.
                None => out.push(b'%'),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| format!("`{s}` does not decode to UTF-8"))
}

fn hex_pair(pair: &[u8]) -> Option<u8> {
    let digit = |b: u8| char::from(b).to_digit(16);
    match pair {
        [hi, lo] => Some(u8::try_from(digit(*hi)? * 16 + digit(*lo)?).ok()?),
        _ => None,
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (for a query value).
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes standard base64 (RFC 4648 §4, padding optional, no line breaks).
pub(crate) fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("`{}` is not a base64 character", char::from(c))),
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return Err("the base64 text has a stray last character".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_content_types() {
        for ok in [
            "application/json",
            "Application/JSON; charset=UTF-8",
            "application/json;charset=\"utf-8\"",
            "application/json; foo=bar",
        ] {
            assert!(is_json_content_type(Some(ok)), "{ok}");
        }
        for bad in [
            "text/plain",
            "application/json; charset=latin1",
            "application/jsonx",
            "",
            "multipart/form-data",
        ] {
            assert!(!is_json_content_type(Some(bad)), "{bad}");
        }
        assert!(!is_json_content_type(None));
    }

    #[test]
    fn query_strings() {
        assert_eq!(
            parse_query("url=https%3A%2F%2Fa.example%2Fc.json%3Fx%3D1&strict=true&&profile=ietf")
                .unwrap(),
            vec![
                ("url".into(), "https://a.example/c.json?x=1".into()),
                ("strict".into(), "true".into()),
                ("profile".into(), "ietf".into())
            ]
        );
        assert_eq!(
            parse_query("a=b+c%2").unwrap(),
            vec![("a".into(), "b c%2".into())]
        );
        assert_eq!(
            parse_query("flag").unwrap(),
            vec![("flag".into(), String::new())]
        );
        assert!(parse_query("a=%ff").is_err());
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("eyJhIjoxfQ==").unwrap(), br#"{"a":1}"#);
        assert_eq!(base64_decode("/w").unwrap(), [0xff]);
        assert_eq!(base64_decode("").unwrap(), b"");
        assert!(base64_decode("a").is_err());
        assert!(base64_decode("a b=").is_err());
    }

    #[test]
    fn errors_are_json_with_cors() {
        let r = Reply::not_allowed("PUT", "GET, HEAD");
        assert_eq!(r.status, 405);
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["error"], "method-not-allowed");
        assert_eq!(v["status"], 405);
    }
}
