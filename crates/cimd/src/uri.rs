//! RFC 3986 URI references, split without normalizing.
//!
//! The draft states its URL rules in RFC 3986 terms (userinfo, path component, dot segments, simple
//! string comparison). WHATWG parsers such as the `url` crate normalize (`https:////h` becomes
//! `https://h/`, `:443` vanishes, case folds) and strict RFC 3986 crates reject a bad URI whole, so
//! neither can say *which* component is wrong and *where*. This splitter follows RFC 3986 Appendix B
//! (which accepts any string), keeps every component's byte range, and lists grammar violations
//! separately, so each rule looks at the raw text.

use std::ops::Range;

/// A URI reference split into its components; the `*_range` methods give byte offsets into `raw`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uri<'a> {
    pub raw: &'a str,
    /// Without the `:`.
    scheme: Part,
    /// Without the leading `//`; present (maybe empty) when `//` follows the scheme.
    authority: Part,
    /// Without the `@`.
    userinfo: Part,
    /// The host as written: brackets kept for IP literals.
    host: Part,
    /// Without the `:`; present (maybe empty) when the authority has a `:` after the host.
    port: Part,
    /// Always present (maybe empty).
    path: Part,
    /// Without the `?`.
    query: Part,
    /// Without the `#`.
    fragment: Part,
    /// Every byte is one its component allows as it is (no violation to look for).
    clean: bool,
    /// A `*` comes after the scheme.
    star: bool,
}

/// Where a component is, in 32-bit offsets, or that it is absent. Every redirect URI of a document
/// keeps its split; with `Option<Range<usize>>` components a `Uri` was 208 bytes and copying them
/// was a tenth of a 61-URI document's validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Part {
    start: u32,
    end: u32,
}

impl Part {
    const ABSENT: Self = Self {
        start: u32::MAX,
        end: u32::MAX,
    };

    /// `range` of a string shorter than `u32::MAX` bytes ([`Uri::split`] makes sure of it).
    fn of(range: Option<Range<usize>>) -> Self {
        range.map_or(Self::ABSENT, |r| Self {
            start: r.start as u32,
            end: r.end as u32,
        })
    }

    fn get(self) -> Option<Range<usize>> {
        (self.start != u32::MAX).then_some(self.start as usize..self.end as usize)
    }
}

/// One violation of the RFC 3986 grammar, at a byte offset of the raw string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub at: Range<usize>,
    pub kind: ViolationKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViolationKind {
    /// A character no URI may contain here (space, `"`, `<`, `\`, `{`, a control character, ...).
    InvalidCharacter(char),
    /// A non-ASCII character: an IRI, not a URI (it needs punycode or percent-encoding).
    NonAscii(char),
    /// `%` not followed by two hex digits.
    BadPercentEncoding,
    /// The scheme is not `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    BadScheme,
    /// The port is not `*DIGIT` (e.g. `*`, `abc`, or out of 0-65535).
    BadPort,
    /// `[...]` that is not a valid IPv6 (or IPvFuture) literal.
    BadIpLiteral,
}

impl ViolationKind {
    pub fn describe(&self) -> String {
        match self {
            ViolationKind::InvalidCharacter(c) if c.is_whitespace() => {
                format!("whitespace ({}) is not allowed in a URI", escape_char(*c))
            }
            ViolationKind::InvalidCharacter(c) => {
                format!("`{}` is not allowed in a URI here", escape_char(*c))
            }
            ViolationKind::NonAscii(c) => {
                format!(
                    "`{c}` is not ASCII: a URI needs it percent-encoded (or punycode in a host)"
                )
            }
            ViolationKind::BadPercentEncoding => {
                "`%` must be followed by two hex digits".to_owned()
            }
            ViolationKind::BadScheme => {
                "the scheme must start with a letter and use only letters, digits, `+`, `-` and `.`"
                    .to_owned()
            }
            ViolationKind::BadPort => "the port must be digits only, 0 to 65535".to_owned(),
            ViolationKind::BadIpLiteral => {
                "the bracketed host is not a valid IPv6 address".to_owned()
            }
        }
    }
}

fn escape_char(c: char) -> String {
    match c {
        ' ' => "space".to_owned(),
        '\t' => "tab".to_owned(),
        '\n' => "newline".to_owned(),
        '\r' => "carriage return".to_owned(),
        c if c.is_control() => format!("U+{:04X}", c as u32),
        c => c.to_string(),
    }
}

impl<'a> Uri<'a> {
    /// Splits any string (RFC 3986 Appendix B); never fails.
    ///
    /// One pass over the bytes finds the components and, on the way, whether every byte is one
    /// its component allows as it is: then [`Uri::violations`] has nothing to look for. (Rules
    /// split every redirect URI of a document, dozens for multi-tenant clients, and almost all are
    /// clean; splitting and then checking each component again cost twice the time.) Anything
    /// unusual (`%`, `[`, a second `@`, a bad byte) only clears `clean`: the full check decides.
    pub fn split(raw: &'a str) -> Self {
        // Offsets are 32-bit: a longer string (never a URI anyone sends) is split on its first 4 GiB.
        let mut raw = raw;
        if raw.len() >= u32::MAX as usize {
            let mut end = u32::MAX as usize - 1;
            while !raw.is_char_boundary(end) {
                end -= 1;
            }
            raw = &raw[..end];
        }
        let bytes = raw.as_bytes();
        let n = bytes.len();
        let class = |i: usize| CLASS[bytes[i] as usize];
        let mut clean = true;
        // The scheme: the text before the first `:` if no `/`, `?` or `#` comes first.
        let mut i = 0;
        while i < n && class(i) & SCHEME != 0 {
            i += 1;
        }
        let mut scheme = None;
        let mut pos = 0;
        if i < n && bytes[i] == b':' {
            if i > 0 {
                clean &= bytes[0].is_ascii_alphabetic();
                scheme = Some(0..i);
                pos = i + 1;
            }
        } else if i < n && class(i) & (SLASH | QUESTION | HASH) == 0 {
            // A byte no scheme has: a `:` further on still ends a (bad) scheme.
            if let Some(j) = find_byte(&raw[i..], |b| matches!(b, b':' | b'/' | b'?' | b'#'))
                && bytes[i + j] == b':'
            {
                clean = false;
                scheme = Some(0..i + j);
                pos = i + j + 1;
            }
        }
        // Past the scheme, a byte the fast scans stop at: `*` (allowed, but wildcards are worth
        // knowing about without another search) or one that needs the full check.
        let mut star = false;
        let note = |b: u8, clean: &mut bool, star: &mut bool| {
            if b == b'*' {
                *star = true;
            } else {
                *clean = false;
            }
        };
        let (mut authority, mut userinfo, mut host, mut port) = (None, None, None, None);
        if bytes[pos..].starts_with(b"//") {
            let start = pos + 2;
            let mut end = start;
            let mut last_at = None;
            // The `:`s after the last `@` (the host's and port's part), counted on the way: a
            // search afterwards cost more than the split on these short strings.
            let (mut colons, mut last_colon) = (0_u32, 0);
            loop {
                end = skip(bytes, end, PLAIN);
                if end == n || class(end) & (SLASH | QUESTION | HASH) != 0 {
                    break;
                }
                match bytes[end] {
                    b':' => {
                        colons += 1;
                        last_colon = end;
                    }
                    b'@' => {
                        // A second `@` belongs to the userinfo, which may not hold it.
                        clean &= last_at.is_none();
                        last_at = Some(end);
                        colons = 0;
                    }
                    b => note(b, &mut clean, &mut star),
                }
                end += 1;
            }
            authority = Some(start..end);
            let mut host_start = start;
            if let Some(at) = last_at {
                userinfo = Some(start..at);
                host_start = at + 1;
            }
            let auth = &raw[host_start..end];
            let host_end = if auth.starts_with('[') {
                host_start + ip_literal_len(auth)
            } else if colons > 0 {
                // The port starts after the last `:`: any other one is in the host, which may
                // not hold it.
                clean &= colons == 1;
                last_colon
            } else {
                end
            };
            host = Some(host_start..host_end);
            if host_end < end && bytes[host_end] == b':' {
                let digits = &raw[host_end + 1..end];
                clean &= digits.bytes().all(|b| b.is_ascii_digit())
                    && (digits.is_empty() || digits.parse::<u16>().is_ok());
                port = Some(host_end + 1..end);
            }
            pos = end;
        }
        // The path, up to `?` or `#`.
        let mut path_end = pos;
        loop {
            path_end = skip(bytes, path_end, PLAIN | COLON | AT | SLASH);
            if path_end == n || class(path_end) & (QUESTION | HASH) != 0 {
                break;
            }
            note(bytes[path_end], &mut clean, &mut star);
            path_end += 1;
        }
        let path = pos..path_end;
        pos = path_end;
        let mut query = None;
        if pos < n && bytes[pos] == b'?' {
            let mut end = pos + 1;
            loop {
                end = skip(bytes, end, PLAIN | COLON | AT | SLASH | QUESTION);
                if end == n || bytes[end] == b'#' {
                    break;
                }
                note(bytes[end], &mut clean, &mut star);
                end += 1;
            }
            query = Some(pos + 1..end);
            pos = end;
        }
        let mut fragment = None;
        if pos < n && bytes[pos] == b'#' {
            let mut end = pos + 1;
            loop {
                end = skip(bytes, end, PLAIN | COLON | AT | SLASH | QUESTION);
                if end == n {
                    break;
                }
                note(bytes[end], &mut clean, &mut star);
                end += 1;
            }
            fragment = Some(pos + 1..n);
        }
        Self::assemble(
            raw,
            [scheme, authority, userinfo, host, port, query, fragment],
            path,
            [clean, star],
        )
    }

    /// The string that was split.
    pub fn as_str(&self) -> &'a str {
        self.raw
    }

    /// The split from its components' ranges.
    fn assemble(
        raw: &'a str,
        [scheme, authority, userinfo, host, port, query, fragment]: [Option<Range<usize>>; 7],
        path: Range<usize>,
        [clean, star]: [bool; 2],
    ) -> Self {
        Self {
            raw,
            scheme: Part::of(scheme),
            authority: Part::of(authority),
            userinfo: Part::of(userinfo),
            host: Part::of(host),
            port: Part::of(port),
            path: Part::of(Some(path)),
            query: Part::of(query),
            fragment: Part::of(fragment),
            clean,
            star,
        }
    }

    fn part(&self, range: Option<Range<usize>>) -> Option<&'a str> {
        range.map(|r| &self.raw[r])
    }

    /// Byte ranges of the components in `raw` (`None` when absent; the path is always there).
    pub fn scheme_range(&self) -> Option<Range<usize>> {
        self.scheme.get()
    }
    pub fn authority_range(&self) -> Option<Range<usize>> {
        self.authority.get()
    }
    pub fn userinfo_range(&self) -> Option<Range<usize>> {
        self.userinfo.get()
    }
    pub fn host_range(&self) -> Option<Range<usize>> {
        self.host.get()
    }
    pub fn port_range(&self) -> Option<Range<usize>> {
        self.port.get()
    }
    pub fn path_range(&self) -> Range<usize> {
        self.path.get().unwrap_or_default()
    }
    pub fn query_range(&self) -> Option<Range<usize>> {
        self.query.get()
    }
    pub fn fragment_range(&self) -> Option<Range<usize>> {
        self.fragment.get()
    }

    pub fn scheme(&self) -> Option<&'a str> {
        self.part(self.scheme.get())
    }
    pub fn authority(&self) -> Option<&'a str> {
        self.part(self.authority.get())
    }
    pub fn userinfo(&self) -> Option<&'a str> {
        self.part(self.userinfo.get())
    }
    pub fn host(&self) -> Option<&'a str> {
        self.part(self.host.get())
    }
    pub fn port(&self) -> Option<&'a str> {
        self.part(self.port.get())
    }
    pub fn path(&self) -> &'a str {
        &self.raw[self.path_range()]
    }
    pub fn query(&self) -> Option<&'a str> {
        self.part(self.query.get())
    }
    pub fn fragment(&self) -> Option<&'a str> {
        self.part(self.fragment.get())
    }

    /// Whether a `*` comes after the scheme (wildcard patterns have one; [`Uri::split`] notes it
    /// on the way).
    pub fn has_star(&self) -> bool {
        self.star
    }

    /// Whether the split found nothing for the full check to look at: no violation and no `%`, so
    /// nothing to decode either.
    pub(crate) fn is_clean(&self) -> bool {
        self.clean
    }

    /// Whether the scheme is `name` (ASCII case-insensitive, RFC 3986 §3.1).
    pub fn scheme_is(&self, name: &str) -> bool {
        self.scheme().is_some_and(|s| s.eq_ignore_ascii_case(name))
    }

    /// The scheme, lower-cased (schemes are case-insensitive, RFC 3986 §3.1).
    pub fn scheme_lower(&self) -> Option<String> {
        self.scheme().map(str::to_ascii_lowercase)
    }

    /// The host without IPv6 brackets, lower-cased.
    pub fn host_lower(&self) -> Option<String> {
        self.host().map(|h| {
            h.trim_start_matches('[')
                .trim_end_matches(']')
                .to_ascii_lowercase()
        })
    }

    /// The port as a number (`None` when absent, empty or not a number).
    pub fn port_number(&self) -> Option<u16> {
        self.port()
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse().ok())
    }

    /// Absolute: a scheme is present (RFC 3986 §4.3).
    pub fn is_absolute(&self) -> bool {
        self.scheme.get().is_some()
    }

    /// The path's segments, each with its byte range in `raw`.
    pub fn path_segments(&self) -> impl Iterator<Item = (&'a str, Range<usize>)> + '_ {
        let path = self.path();
        let base = self.path_range().start;
        let body = path.strip_prefix('/').unwrap_or(path);
        let first = base + (path.len() - body.len());
        let mut offset = first;
        // Split on the byte: `str::split(char)` sets up a char searcher per call.
        body.as_bytes().split(|&b| b == b'/').map(move |seg| {
            let seg = &body[offset - first..offset - first + seg.len()];
            let range = offset..offset + seg.len();
            offset += seg.len() + 1;
            (seg, range)
        })
    }

    /// Every grammar violation (RFC 3986 §2, §3), in order of position.
    pub fn violations(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        if self.clean {
            return out;
        }
        if let Some(range) = &self.scheme.get() {
            let s = &self.raw[range.clone()];
            let ok = s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
            if !ok {
                out.push(Violation {
                    at: range.clone(),
                    kind: ViolationKind::BadScheme,
                });
            }
        }
        if let Some(range) = &self.userinfo.get() {
            self.check_chars(range.clone(), b":", &mut out);
        }
        if let Some(range) = &self.host.get() {
            let h = &self.raw[range.clone()];
            if h.starts_with('[') {
                let inner = h.trim_start_matches('[').trim_end_matches(']');
                let ok = h.ends_with(']')
                    && (inner.parse::<std::net::Ipv6Addr>().is_ok() || is_ipvfuture(inner));
                if !ok {
                    out.push(Violation {
                        at: range.clone(),
                        kind: ViolationKind::BadIpLiteral,
                    });
                }
            } else {
                self.check_chars(range.clone(), b"", &mut out);
            }
        }
        if let Some(range) = &self.port.get() {
            let p = &self.raw[range.clone()];
            if !p.bytes().all(|b| b.is_ascii_digit())
                || (!p.is_empty() && p.parse::<u16>().is_err())
            {
                out.push(Violation {
                    at: range.clone(),
                    kind: ViolationKind::BadPort,
                });
            }
        }
        self.check_chars(self.path_range(), b":@/", &mut out);
        if let Some(range) = &self.query.get() {
            self.check_chars(range.clone(), b":@/?", &mut out);
        }
        if let Some(range) = &self.fragment.get() {
            self.check_chars(range.clone(), b":@/?", &mut out);
        }
        out
    }

    /// Checks `unreserved / pct-encoded / sub-delims / extra` over a component.
    fn check_chars(&self, range: Range<usize>, extra: &[u8], out: &mut Vec<Violation>) {
        let text = &self.raw[range.clone()];
        let bytes = text.as_bytes();
        // Fast path: every byte is allowed as is (no `%` to check, nothing to report).
        let mask = extra.iter().fold(PLAIN | STAR, |m, &b| m | extra_bit(b));
        if bytes.iter().all(|&b| CLASS[b as usize] & mask != 0) {
            return;
        }
        for (i, c) in text.char_indices() {
            let at = range.start + i..range.start + i + c.len_utf8();
            if !c.is_ascii() {
                out.push(Violation {
                    at,
                    kind: ViolationKind::NonAscii(c),
                });
                continue;
            }
            let b = c as u8;
            if b == b'%' {
                let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(i + 1) && hex(i + 2)) {
                    out.push(Violation {
                        // `%` and up to two more characters, ending on a char boundary.
                        at: at.start
                            ..range.start
                                + text[i..]
                                    .char_indices()
                                    .nth(3)
                                    .map_or(text.len(), |(j, _)| i + j),
                        kind: ViolationKind::BadPercentEncoding,
                    });
                }
                continue;
            }
            let allowed = b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'.' | b'_' | b'~')
                || matches!(
                    b,
                    b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
                )
                || extra.contains(&b);
            if !allowed {
                out.push(Violation {
                    at,
                    kind: ViolationKind::InvalidCharacter(c),
                });
            }
        }
    }
}

/// The first byte matching `pred` (a byte loop: `str::find` with a char set is several times slower).
/// The length of the host of an authority (after any userinfo) that starts with `[`: up to the
/// `]` when a port or nothing follows it; otherwise the whole rest stays in the host, so the
/// IP-literal check sees it instead of it belonging to no component.
fn ip_literal_len(auth: &str) -> usize {
    match auth.find(']') {
        Some(i) if auth[i + 1..].is_empty() || auth[i + 1..].starts_with(':') => i + 1,
        _ => auth.len(),
    }
}

/// The index of the first byte at or after `from` whose class has none of the `ok` bits, or the
/// length. Eight bytes per step with one branch (a branch per byte was most of a split's time).
#[inline]
fn skip(bytes: &[u8], mut from: usize, ok: u8) -> usize {
    while let Some(chunk) = bytes.get(from..from + 8) {
        let mut every = true;
        for &b in chunk {
            every &= CLASS[b as usize] & ok != 0;
        }
        if !every {
            break;
        }
        from += 8;
    }
    while from < bytes.len() && CLASS[bytes[from] as usize] & ok != 0 {
        from += 1;
    }
    from
}

fn find_byte(s: &str, pred: impl Fn(u8) -> bool) -> Option<usize> {
    s.as_bytes().iter().position(|&b| pred(b))
}

/// Character classes of RFC 3986 §2-§3 as bits: `PLAIN` (unreserved and sub-delims) and the
/// delimiters some components also allow.
const PLAIN: u8 = 1;
const COLON: u8 = 2;
const AT: u8 = 4;
const SLASH: u8 = 8;
const QUESTION: u8 = 16;
/// `#` (never allowed inside a component: it starts the fragment).
const HASH: u8 = 32;
/// A byte a scheme may hold (letters, digits, `+`, `-`, `.`; all of them also `PLAIN`).
const SCHEME: u8 = 64;
/// `*`: a sub-delim like the `PLAIN` bytes, apart so that the split notices wildcards.
const STAR: u8 = 128;
const fn extra_bit(b: u8) -> u8 {
    match b {
        b':' => COLON,
        b'@' => AT,
        b'/' => SLASH,
        b'?' => QUESTION,
        b'#' => HASH,
        _ => 0,
    }
}
static CLASS: [u8; 256] = {
    let mut table = [0_u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let plain = c.is_ascii_alphanumeric()
            || matches!(c, b'-' | b'.' | b'_' | b'~')
            || matches!(
                c,
                b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
            );
        let scheme = c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.');
        table[b] = if c == b'*' {
            STAR
        } else if plain {
            PLAIN
        } else {
            extra_bit(c)
        } | if scheme { SCHEME } else { 0 };
        b += 1;
    }
    table
};

fn is_ipvfuture(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['v', 'V']) else {
        return false;
    };
    let Some((version, addr)) = rest.split_once('.') else {
        return false;
    };
    !version.is_empty()
        && version.bytes().all(|b| b.is_ascii_hexdigit())
        && !addr.is_empty()
        && addr
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:".contains(&b))
}

/// Decodes `%XX` of unreserved characters only, for comparisons that tolerate equivalent encodings
/// (used to explain near misses, never to decide a match).
pub fn decode_unreserved(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('%') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(decode_unreserved_owned(s))
}

fn decode_unreserved_owned(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let v = u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(0);
            if v.is_ascii_alphanumeric() || matches!(v, b'-' | b'.' | b'_' | b'~') {
                out.push(v as char);
            } else {
                out.push('%');
                out.push_str(&s[i + 1..i + 3].to_ascii_uppercase());
            }
            i += 3;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

// Built for the tests and the `uri_split` fuzz target (`cargo fuzz` sets `--cfg fuzzing`) only.
#[cfg(any(test, fuzzing))]
impl<'a> Uri<'a> {
    /// The straightforward splitter the one-pass [`Uri::split`] is checked against.
    #[doc(hidden)]
    pub fn split_reference(raw: &'a str) -> Self {
        let bytes = raw.as_bytes();
        let mut scheme = None;
        let mut pos = 0;
        // scheme: up to the first ':' if it comes before any of "/?#"
        if let Some(i) = find_byte(raw, |b| matches!(b, b':' | b'/' | b'?' | b'#'))
            && bytes[i] == b':'
            && i > 0
        {
            scheme = Some(0..i);
            pos = i + 1;
        }
        let mut authority = None;
        let (mut userinfo, mut host, mut port) = (None, None, None);
        if raw[pos..].starts_with("//") {
            let start = pos + 2;
            // One pass over the authority: where it ends, and its last `@`.
            let mut end = raw.len();
            let mut last_at = None;
            for (i, &b) in bytes[start..].iter().enumerate() {
                match b {
                    b'/' | b'?' | b'#' => {
                        end = start + i;
                        break;
                    }
                    b'@' => last_at = Some(i),
                    _ => {}
                }
            }
            authority = Some(start..end);
            let mut host_start = start;
            if let Some(at) = last_at {
                userinfo = Some(start..start + at);
                host_start = start + at + 1;
            }
            let auth = &raw[host_start..end];
            let host_end = if auth.starts_with('[') {
                host_start + ip_literal_len(auth)
            } else {
                auth.as_bytes()
                    .iter()
                    .rposition(|&b| b == b':')
                    .map_or(end, |i| host_start + i)
            };
            host = Some(host_start..host_end);
            if host_end < end && bytes[host_end] == b':' {
                port = Some(host_end + 1..end);
            }
            pos = end;
        }
        let path_end =
            find_byte(&raw[pos..], |b| matches!(b, b'?' | b'#')).map_or(raw.len(), |i| pos + i);
        let path = pos..path_end;
        pos = path_end;
        let mut query = None;
        if bytes.get(pos) == Some(&b'?') {
            let end = raw[pos..].find('#').map_or(raw.len(), |i| pos + i);
            query = Some(pos + 1..end);
            pos = end;
        }
        let fragment = (bytes.get(pos) == Some(&b'#')).then(|| pos + 1..raw.len());
        Self::assemble(
            raw,
            [
                scheme.clone(),
                authority,
                userinfo,
                host,
                port,
                query,
                fragment,
            ],
            path,
            [false, raw[scheme.map_or(0, |s| s.end)..].contains('*')],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_component() {
        let u = Uri::split("https://user:pw@Example.COM:8443/a/b?x=1#frag");
        assert_eq!(u.scheme(), Some("https"));
        assert_eq!(u.authority(), Some("user:pw@Example.COM:8443"));
        assert_eq!(u.userinfo(), Some("user:pw"));
        assert_eq!(u.host(), Some("Example.COM"));
        assert_eq!(u.port(), Some("8443"));
        assert_eq!(u.path(), "/a/b");
        assert_eq!(u.query(), Some("x=1"));
        assert_eq!(u.fragment(), Some("frag"));
        assert!(u.violations().is_empty());
    }

    #[test]
    fn keeps_empty_components_apart_from_absent_ones() {
        let u = Uri::split("https://h:/p?#");
        assert_eq!(u.port(), Some(""));
        assert_eq!(u.query(), Some(""));
        assert_eq!(u.fragment(), Some(""));
        let u = Uri::split("https://h/p");
        assert_eq!((u.port(), u.query(), u.fragment()), (None, None, None));
        let u = Uri::split("https:///169.254.169.254");
        assert_eq!(u.host(), Some(""));
        assert_eq!(u.path(), "/169.254.169.254");
    }

    #[test]
    fn ipv6_hosts_and_ports() {
        let u = Uri::split("http://[::1]:3000/cb");
        assert_eq!(u.host(), Some("[::1]"));
        assert_eq!(u.host_lower().as_deref(), Some("::1"));
        assert_eq!(u.port_number(), Some(3000));
        assert!(u.violations().is_empty());
        let u = Uri::split("http://[::g]/");
        assert_eq!(u.violations()[0].kind, ViolationKind::BadIpLiteral);
    }

    #[test]
    fn relative_and_custom_scheme_references() {
        let u = Uri::split("/callback");
        assert!(!u.is_absolute());
        let u = Uri::split("com.example.app:/oauth2redirect");
        assert_eq!(u.scheme(), Some("com.example.app"));
        assert_eq!(u.authority(), None);
        assert_eq!(u.path(), "/oauth2redirect");
        let u = Uri::split("c:\\path");
        assert_eq!(u.scheme(), Some("c"));
    }

    #[test]
    fn reports_violations_with_positions() {
        let u = Uri::split("http://localhost:*/cb");
        let v = u.violations();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].kind, ViolationKind::BadPort);
        assert_eq!(&u.raw[v[0].at.clone()], "*");
        let u = Uri::split("https://ex.com/a b%zz/é");
        let kinds: Vec<_> = u.violations().into_iter().map(|v| v.kind).collect();
        assert_eq!(
            kinds,
            vec![
                ViolationKind::InvalidCharacter(' '),
                ViolationKind::BadPercentEncoding,
                ViolationKind::NonAscii('é')
            ]
        );
        assert_eq!(
            Uri::split("1http://x/").violations()[0].kind,
            ViolationKind::BadScheme
        );
        assert_eq!(
            Uri::split("https://h:99999/").violations()[0].kind,
            ViolationKind::BadPort
        );
    }

    #[test]
    fn path_segments_have_ranges() {
        let u = Uri::split("https://h/a/../b/");
        let segs: Vec<_> = u.path_segments().map(|(s, r)| (s, &u.raw[r])).collect();
        assert_eq!(segs, vec![("a", "a"), ("..", ".."), ("b", "b"), ("", "")]);
    }

    /// The one-pass split finds the components the reference splitter finds, and says `clean`
    /// only when the full check finds nothing.
    fn agrees_with_the_reference(raw: &str) {
        let fast = Uri::split(raw);
        let slow = Uri::split_reference(raw);
        let parts = |u: &Uri<'_>| {
            (
                u.scheme_range(),
                u.authority_range(),
                u.userinfo_range(),
                u.host_range(),
                u.port_range(),
                u.path_range(),
                u.query_range(),
                u.fragment_range(),
            )
        };
        assert_eq!(parts(&fast), parts(&slow), "components of {raw:?}");
        assert_eq!(
            fast.violations(),
            slow.violations(),
            "violations of {raw:?}"
        );
        assert_eq!(fast.has_star(), slow.has_star(), "`*` in {raw:?}");
        if fast.clean {
            assert!(
                slow.violations().is_empty(),
                "clean but {raw:?} has violations"
            );
            assert!(!raw.contains('%'), "clean but {raw:?} has a `%`");
        }
    }

    #[test]
    fn one_pass_split_agrees_on_examples() {
        for raw in [
            "",
            ":",
            "//",
            "a:",
            "1a:b",
            "_x:y",
            "a_b:c",
            "https://h",
            "https://u@v@h/",
            "http://[::1]:80/",
            "http://h:99999/",
            "http://h:8a/",
            "http://h:/",
            "https://h/p?q#f#g",
            "https://h/%41",
            "https://h/é",
            "mailto:a@b",
            "/p:q",
            "?x",
            "#",
            "https://h/a b",
            "h:/[x]",
            "a+b.c-d:x",
            "https://user:pw@Example.COM:8443/a/b?x=1#frag",
            "http://localhost:*/cb",
            "//:82-2:82",
            "//-2::8",
            "http://a:b:80/",
            "http://u:p@a:b:80/",
            "http://[::1]:x:80/",
        ] {
            agrees_with_the_reference(raw);
        }
    }

    proptest::proptest! {
        #[test]
        fn one_pass_split_agrees_with_the_reference(
            raw in "[a-zA-Z0-9:/?#@\\[\\]%.+*~ !$&'()=_é-]{0,24}"
        ) {
            agrees_with_the_reference(&raw);
        }

        #[test]
        fn one_pass_split_agrees_on_uri_like_strings(
            raw in "(https?|[a-z0-9+._-]{1,4}|)(:|)(//|)([a-z@:%\\[\\]0-9.*]{0,10})([/a-z0-9:@%?]{0,10})(\\?[a-z:/?#%]{0,6}|)(#[a-z#?/]{0,4}|)"
        ) {
            agrees_with_the_reference(&raw);
        }
    }

    #[test]
    fn decodes_only_unreserved() {
        assert_eq!(decode_unreserved("/%7Euser/%2fx%41"), "/~user/%2FxA");
    }
}
