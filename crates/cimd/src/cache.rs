//! Effective cache lifetime of a fetched document (RFC 9111; docs/decisions.md#caching).
//!
//! -03 §5.2: a server MAY cache the document, SHOULD respect the HTTP cache headers (RFC 9111) and
//! MAY apply its own lower and upper bounds; it MUST NOT cache errors or invalid documents. SEP-991
//! recommends 24 hours at most. This module computes what a careful server does with a 200 response:
//!
//! - The server caches for itself, so it reads the headers as a *private* cache (RFC 9111 §1, §3):
//!   `private` does not stop it and `s-maxage` (shared caches only) is not used.
//! - `no-store` (§5.2.2.5): not stored, lifetime 0. `no-cache` without field names (§5.2.2.4): the
//!   stored copy must be revalidated before every use, so the document is fetched (or revalidated)
//!   on every authorization: lifetime 0. `no-cache="Set-Cookie"` only restricts those fields.
//! - `max-age` (§5.2.2.1; the first one, §4.2.1; token or quoted form, §5.2), else `Expires` minus
//!   `Date` (§5.3, §4.2.1; minus the time of receipt when `Date` is absent or invalid). An invalid
//!   `max-age` or `Expires` (`Expires: 0`) means already stale (§4.2.1, §5.3): lifetime 0 declared.
//!   `Age` (§5.1) is subtracted: a copy that sat 50 minutes in a CDN has 10 of its 60 left.
//! - The result is clamped to [60 s, 24 h] (as cimd-mcp-reference does): below 60 s a server
//!   would re-fetch on every sign-in burst, above 24 h it goes against SEP-991.
//! - With no Cache-Control and no Expires the server picks its own: we use **300 s**, the default of
//!   cimd-mcp-reference (FastMCP uses 1 h). Heuristic freshness from `Last-Modified` (§4.2.2) is not
//!   used: a stale redirect URI list locks users out, so servers stay short when nothing is said.
//!
//! No clock is read here: the host passes the time of receipt.

/// Lower bound of the lifetime a server keeps a document (docs/decisions.md#caching).
pub const MIN_TTL_S: u64 = 60;
/// Upper bound (SEP-991 recommends at most 24 hours; docs/decisions.md#caching).
pub const MAX_TTL_S: u64 = 86_400;
/// The lifetime when the response says nothing about caching.
pub const DEFAULT_TTL_S: u64 = 300;
/// RFC 9111 §1.2.2: a delta-seconds value too large to represent is taken as 2^31.
const DELTA_SECONDS_MAX: u64 = 2_147_483_648;

/// How long a server keeps a fetched document, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheLifetime {
    /// Seconds the server keeps the document: clamped to [60, 86400], 0 when it must not cache it.
    pub ttl_s: u64,
    /// The freshness lifetime the response declared (max-age, or Expires minus Date), before `Age`
    /// and clamping; `None` when it declared none.
    pub declared_s: Option<u64>,
    /// `"max-age"`, `"expires"`, `"default"`, `"no-store"` or `"no-cache"`.
    pub source: &'static str,
    /// The declared lifetime (less `Age`) fell outside [60 s, 24 h] and was clamped.
    pub clamped: bool,
}

/// The cache lifetime of a 200 response with these headers; `now_unix_s` is when it was received
/// (used when `Date` is absent, and to read two-digit years).
pub fn lifetime(headers: &[(String, String)], now_unix_s: Option<u64>) -> CacheLifetime {
    let directives = cache_control(headers);
    let has = |name: &str| directives.iter().any(|(n, v)| n == name && v.is_none());
    if has("no-store") {
        return CacheLifetime {
            ttl_s: 0,
            declared_s: None,
            source: "no-store",
            clamped: false,
        };
    }
    if has("no-cache") {
        return CacheLifetime {
            ttl_s: 0,
            declared_s: None,
            source: "no-cache",
            clamped: false,
        };
    }
    let age = header(headers, "age")
        .and_then(|v| parse_delta(v.trim()))
        .unwrap_or(0);
    if let Some((_, value)) = directives.iter().find(|(n, _)| n == "max-age") {
        // Invalid (missing, negative, not digits) means stale (§4.2.1).
        let declared = value.as_deref().and_then(parse_delta).unwrap_or(0);
        return clamp(declared, age, "max-age");
    }
    if let Some(expires) = header(headers, "expires") {
        let date = header(headers, "date")
            .and_then(|d| parse_http_date(d, now_unix_s))
            .or(now_unix_s);
        let declared = match (parse_http_date(expires, now_unix_s.or(date)), date) {
            (Some(exp), Some(date)) => Some(exp.saturating_sub(date)),
            // Invalid dates (`0`, `-1`) are in the past (§5.3).
            (None, _) => Some(0),
            // A valid Expires but no time to subtract it from: the server's default.
            (Some(_), None) => None,
        };
        if let Some(declared) = declared {
            return clamp(declared, age, "expires");
        }
    }
    CacheLifetime {
        ttl_s: DEFAULT_TTL_S,
        declared_s: None,
        source: "default",
        clamped: false,
    }
}

/// Cloudflare's workers-oauth-provider caps what it keeps at 7 days.
pub const CLOUDFLARE_MAX_TTL_S: u64 = 7 * 86_400;

/// The lifetime Cloudflare's workers-oauth-provider keeps a valid document for, `None` when it
/// does not store it and fetches it again on every authorization (docs/decisions.md#caching). It
/// reads `Cache-Control` alone: nothing with `no-cache`, `no-store` or `private`; else `s-maxage`,
/// else `max-age`, capped at 7 days, and nothing for 0. `Expires` and `Age` are not read, and
/// there is no floor (`cacheTtlSeconds` in `src/oauth-client-metadata.ts` @ 3b613959).
pub fn cloudflare_provider_ttl(headers: &[(String, String)]) -> Option<u64> {
    let directives = cache_control(headers);
    if directives
        .iter()
        .any(|(n, _)| matches!(n.as_str(), "no-cache" | "no-store" | "private"))
    {
        return None;
    }
    let seconds = |name: &str| {
        directives
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
            .map(|v| {
                // Its pattern reads the leading digits.
                let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
                (!digits.is_empty()).then(|| digits.parse::<u64>().unwrap_or(u64::MAX))
            })
    };
    let ttl = seconds("s-maxage").or_else(|| seconds("max-age"))??;
    (ttl > 0).then_some(ttl.min(CLOUDFLARE_MAX_TTL_S))
}

fn clamp(declared: u64, age: u64, source: &'static str) -> CacheLifetime {
    let left = declared.saturating_sub(age);
    let ttl_s = left.clamp(MIN_TTL_S, MAX_TTL_S);
    CacheLifetime {
        ttl_s,
        declared_s: Some(declared),
        source,
        clamped: ttl_s != left,
    }
}

/// The first value of a header (names are case-insensitive).
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// `delta-seconds` (RFC 9111 §1.2.2): digits only; too large saturates at 2^31.
fn parse_delta(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        s.parse::<u64>()
            .map_or(DELTA_SECONDS_MAX, |v| v.min(DELTA_SECONDS_MAX)),
    )
}

/// Every Cache-Control directive of every Cache-Control field line, in order: lower-cased name and
/// the argument with any quoted-string unquoted.
fn cache_control(headers: &[(String, String)]) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (name, value) in headers {
        if !name.trim().eq_ignore_ascii_case("cache-control") {
            continue;
        }
        let mut chars = value.chars().peekable();
        loop {
            // One directive: token [ "=" ( token / quoted-string ) ], up to a comma outside quotes.
            let mut name = String::new();
            let mut arg: Option<String> = None;
            while let Some(&c) = chars.peek() {
                if c == ',' || c == '=' {
                    break;
                }
                name.push(c);
                chars.next();
            }
            if chars.peek() == Some(&'=') {
                chars.next();
                while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
                    chars.next();
                }
                let mut value = String::new();
                if chars.peek() == Some(&'"') {
                    chars.next();
                    while let Some(c) = chars.next() {
                        match c {
                            '"' => break,
                            '\\' => value.extend(chars.next()),
                            c => value.push(c),
                        }
                    }
                    // Anything up to the comma after a closing quote is junk; skip it.
                    while chars.peek().is_some_and(|c| *c != ',') {
                        chars.next();
                    }
                } else {
                    while let Some(&c) = chars.peek() {
                        if c == ',' {
                            break;
                        }
                        value.push(c);
                        chars.next();
                    }
                    value.truncate(value.trim_end().len());
                }
                arg = Some(value);
            }
            let name = name.trim().to_ascii_lowercase();
            if !name.is_empty() {
                out.push((name, arg));
            }
            if chars.next().is_none() {
                break;
            }
        }
    }
    out
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const LONG_DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Parses an HTTP-date (RFC 9110 §5.6.7) to Unix seconds: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37
/// GMT`) and the two obsolete forms recipients MUST accept, RFC 850 (`Sunday, 06-Nov-94 08:49:37
/// GMT`) and asctime (`Sun Nov  6 08:49:37 1994`). Names are matched case-insensitively and the
/// weekday is not cross-checked (lenient, as most caches are). A two-digit year more than 50 years
/// after `now` (or after 1970 + 50 without a clock) is taken in the previous century.
pub fn parse_http_date(s: &str, now_unix_s: Option<u64>) -> Option<u64> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    let (weekday, rest) = lower.split_once([',', ' '])?;
    let rest = rest.trim_start();
    if lower.as_bytes().get(weekday.len()) == Some(&b',') {
        if DAYS.contains(&weekday) {
            // IMF-fixdate: DD Mon YYYY HH:MM:SS GMT
            let mut parts = rest.split(' ').filter(|p| !p.is_empty());
            let day = parse_num(parts.next()?, 1, 2)?;
            let month = month(parts.next()?)?;
            let year = parse_num(parts.next()?, 4, 4)?;
            let time = parse_time(parts.next()?)?;
            (parts.next()? == "gmt" && parts.next().is_none()).then_some(())?;
            return to_unix(year, month, day, time);
        }
        if LONG_DAYS.contains(&weekday) {
            // RFC 850: DD-Mon-YY HH:MM:SS GMT
            let mut parts = rest.split(' ').filter(|p| !p.is_empty());
            let mut date = parts.next()?.split('-');
            let day = parse_num(date.next()?, 1, 2)?;
            let month = month(date.next()?)?;
            let yy = parse_num(date.next()?, 2, 2)?;
            date.next().is_none().then_some(())?;
            let time = parse_time(parts.next()?)?;
            (parts.next()? == "gmt" && parts.next().is_none()).then_some(())?;
            return to_unix(
                two_digit_year(yy, month, day, time, now_unix_s),
                month,
                day,
                time,
            );
        }
        return None;
    }
    // asctime: Www Mon _D HH:MM:SS YYYY
    if !DAYS.contains(&weekday) {
        return None;
    }
    let mut parts = rest.split(' ').filter(|p| !p.is_empty());
    let month = month(parts.next()?)?;
    let day = parse_num(parts.next()?, 1, 2)?;
    let time = parse_time(parts.next()?)?;
    let year = parse_num(parts.next()?, 4, 4)?;
    parts.next().is_none().then_some(())?;
    to_unix(year, month, day, time)
}

fn parse_num(s: &str, min_len: usize, max_len: usize) -> Option<u64> {
    (s.len() >= min_len && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())?
}

fn month(s: &str) -> Option<u64> {
    MONTHS.iter().position(|m| *m == s).map(|i| i as u64 + 1)
}

fn parse_time(s: &str) -> Option<(u64, u64, u64)> {
    let mut it = s.split(':');
    let h = parse_num(it.next()?, 2, 2)?;
    let m = parse_num(it.next()?, 2, 2)?;
    let sec = parse_num(it.next()?, 2, 2)?;
    // 60 allows a leap second (RFC 9110 §5.6.7 grammar: second = 2DIGIT, 00-60 in IMF).
    (it.next().is_none() && h < 24 && m < 60 && sec <= 60).then_some((h, m, sec))
}

fn two_digit_year(yy: u64, month: u64, day: u64, time: (u64, u64, u64), now: Option<u64>) -> u64 {
    let now = now.unwrap_or(0);
    let candidate = 2000 + yy;
    let fifty_years = 50 * 365 * 86_400 + 12 * 86_400;
    match to_unix(candidate, month, day, time) {
        Some(t) if t > now + fifty_years => candidate - 100,
        Some(_) => candidate,
        None => 1900 + yy,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date from 1970 on (H. Hinnant's
/// `days_from_civil`, in unsigned arithmetic since the year is never before 1969 here).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        _ => 28,
    }
}

fn to_unix(year: u64, month: u64, day: u64, (h, m, s): (u64, u64, u64)) -> Option<u64> {
    if day == 0 || day > days_in_month(year, month) || year < 1970 {
        // Before the epoch: long expired; report 0 so `Expires` in the past stays in the past.
        return (year < 1970 && day >= 1 && day <= days_in_month(year, month)).then_some(0);
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cloudflare_provider_reads_cache_control_only() {
        let h = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect()
        };
        let expires = ("Expires", "Sun, 06 Nov 1994 09:49:37 GMT");
        let date = ("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(cloudflare_provider_ttl(&h(&[expires, date])), None);
        assert_eq!(cloudflare_provider_ttl(&h(&[])), None);
        assert_eq!(
            cloudflare_provider_ttl(&h(&[("Cache-Control", "public, max-age=3600")])),
            Some(3600)
        );
        assert_eq!(
            cloudflare_provider_ttl(&h(&[("Cache-Control", "max-age=10")])),
            Some(10),
            "no floor"
        );
        assert_eq!(
            cloudflare_provider_ttl(&h(&[("Cache-Control", "max-age=31536000")])),
            Some(CLOUDFLARE_MAX_TTL_S)
        );
        assert_eq!(
            cloudflare_provider_ttl(&h(&[("Cache-Control", "private, max-age=3600")])),
            None
        );
        assert_eq!(
            cloudflare_provider_ttl(&h(&[("Cache-Control", "max-age=0")])),
            None
        );
        assert_eq!(
            cloudflare_provider_ttl(&h(&[("Cache-Control", "s-maxage=0, max-age=600")])),
            None,
            "s-maxage wins"
        );
        assert_eq!(
            cloudflare_provider_ttl(&h(&[("Cache-Control", "s-maxage=\"120\", max-age=600")])),
            Some(120)
        );
    }

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    const T: u64 = 784_111_777; // Sun, 06 Nov 1994 08:49:37 GMT

    #[test]
    fn http_dates_in_all_three_forms() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", None),
            Some(T)
        );
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", None),
            Some(T)
        );
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994", None), Some(T));
        assert_eq!(
            parse_http_date("sun, 06 nov 1994 08:49:37 gmt", None),
            Some(T)
        );
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT", None),
            Some(0)
        );
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2028 23:59:60 GMT", None),
            Some(1_835_481_600)
        );
        // Two-digit years: more than 50 years ahead of now means last century.
        let now_2026 = 1_780_000_000;
        assert_eq!(
            parse_http_date("Friday, 31-Dec-99 23:59:59 GMT", Some(now_2026)),
            Some(946_684_799)
        );
        assert_eq!(
            parse_http_date("Thursday, 01-Jan-26 00:00:00 GMT", Some(now_2026)),
            parse_http_date("Thu, 01 Jan 2026 00:00:00 GMT", None)
        );
        for bad in [
            "",
            "0",
            "-1",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Funday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37",
            "2026-07-01T00:00:00Z",
        ] {
            assert_eq!(parse_http_date(bad, None), None, "{bad}");
        }
    }

    #[test]
    fn max_age_and_its_forms() {
        let l = lifetime(&h(&[("Cache-Control", "public, max-age=3600")]), None);
        assert_eq!(
            l,
            CacheLifetime {
                ttl_s: 3600,
                declared_s: Some(3600),
                source: "max-age",
                clamped: false
            }
        );
        let l = lifetime(&h(&[("cache-control", "MAX-AGE=\"600\"")]), None);
        assert_eq!((l.ttl_s, l.source), (600, "max-age"));
        // The first max-age wins, across field lines too.
        let l = lifetime(
            &h(&[
                ("Cache-Control", "max-age=120"),
                ("Cache-Control", "max-age=9"),
            ]),
            None,
        );
        assert_eq!(l.ttl_s, 120);
        // private does not bind the server's own cache; s-maxage is for shared caches.
        let l = lifetime(
            &h(&[("Cache-Control", "private, s-maxage=10, max-age=900")]),
            None,
        );
        assert_eq!((l.ttl_s, l.source), (900, "max-age"));
        // Age counts against the lifetime.
        let l = lifetime(
            &h(&[("Cache-Control", "max-age=3600"), ("Age", "3000")]),
            None,
        );
        assert_eq!((l.ttl_s, l.declared_s, l.clamped), (600, Some(3600), false));
    }

    #[test]
    fn clamping() {
        let l = lifetime(&h(&[("Cache-Control", "max-age=5")]), None);
        assert_eq!(
            l,
            CacheLifetime {
                ttl_s: 60,
                declared_s: Some(5),
                source: "max-age",
                clamped: true
            }
        );
        let l = lifetime(
            &h(&[("Cache-Control", "max-age=31536000, immutable")]),
            None,
        );
        assert_eq!(
            (l.ttl_s, l.declared_s, l.clamped),
            (86_400, Some(31_536_000), true)
        );
        let l = lifetime(
            &h(&[("Cache-Control", "max-age=99999999999999999999999")]),
            None,
        );
        assert_eq!((l.ttl_s, l.declared_s), (86_400, Some(DELTA_SECONDS_MAX)));
        // Invalid max-age: stale, so the lower bound.
        for bad in ["max-age=-1", "max-age=abc", "max-age", "max-age="] {
            let l = lifetime(&h(&[("Cache-Control", bad)]), None);
            assert_eq!(
                (l.ttl_s, l.declared_s, l.clamped),
                (60, Some(0), true),
                "{bad}"
            );
        }
    }

    #[test]
    fn no_store_and_no_cache() {
        let l = lifetime(&h(&[("Cache-Control", "max-age=3600, No-Store")]), None);
        assert_eq!(
            l,
            CacheLifetime {
                ttl_s: 0,
                declared_s: None,
                source: "no-store",
                clamped: false
            }
        );
        let l = lifetime(&h(&[("Cache-Control", "no-cache")]), None);
        assert_eq!((l.ttl_s, l.source), (0, "no-cache"));
        // Qualified no-cache restricts the named fields only.
        let l = lifetime(
            &h(&[(
                "Cache-Control",
                "no-cache=\"Set-Cookie, X-Foo\", max-age=120",
            )]),
            None,
        );
        assert_eq!((l.ttl_s, l.source), (120, "max-age"));
        // Pragma is not Cache-Control.
        let l = lifetime(&h(&[("Pragma", "no-cache")]), None);
        assert_eq!(l.source, "default");
    }

    #[test]
    fn expires_minus_date_or_now() {
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        let l = lifetime(
            &h(&[("Date", date), ("Expires", "Sun, 06 Nov 1994 09:49:37 GMT")]),
            None,
        );
        assert_eq!(
            l,
            CacheLifetime {
                ttl_s: 3600,
                declared_s: Some(3600),
                source: "expires",
                clamped: false
            }
        );
        let l = lifetime(
            &h(&[("Expires", "Sunday, 06-Nov-94 10:49:37 GMT")]),
            Some(T),
        );
        assert_eq!((l.ttl_s, l.source), (7200, "expires"));
        // max-age wins over Expires.
        let l = lifetime(
            &h(&[
                ("Expires", "Sun, 06 Nov 1994 09:49:37 GMT"),
                ("Cache-Control", "max-age=100"),
            ]),
            Some(T),
        );
        assert_eq!((l.ttl_s, l.source), (100, "max-age"));
        // Expires: 0 and dates in the past: already expired.
        for expires in [
            "0",
            "-1",
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "Sat, 01 Jan 1000 00:00:00 GMT",
        ] {
            let l = lifetime(&h(&[("Date", date), ("Expires", expires)]), None);
            assert_eq!(
                (l.ttl_s, l.declared_s, l.source, l.clamped),
                (60, Some(0), "expires", true),
                "{expires}"
            );
        }
        // Expires with neither Date nor a clock: nothing to subtract from.
        let l = lifetime(&h(&[("Expires", "Sun, 06 Nov 1994 09:49:37 GMT")]), None);
        assert_eq!(l.source, "default");
    }

    #[test]
    fn default_when_nothing_is_said() {
        let l = lifetime(&h(&[("Content-Type", "application/json")]), Some(T));
        assert_eq!(
            l,
            CacheLifetime {
                ttl_s: DEFAULT_TTL_S,
                declared_s: None,
                source: "default",
                clamped: false
            }
        );
        let l = lifetime(&h(&[("Cache-Control", "public")]), None);
        assert_eq!(l.source, "default");
    }

    proptest! {
        #[test]
        fn ttl_is_always_in_bounds_or_zero(value in "\\PC{0,40}", expires in "\\PC{0,40}", now in any::<Option<u32>>()) {
            let l = lifetime(&h(&[("Cache-Control", &value), ("Expires", &expires)]), now.map(u64::from));
            prop_assert!(l.ttl_s == 0 || (MIN_TTL_S..=MAX_TTL_S).contains(&l.ttl_s));
        }

        #[test]
        fn imf_fixdate_round_trips(secs in 0u64..253_402_300_799) {
            let days = secs / 86_400;
            let (y, m, d) = civil_from_days(days);
            let rem = secs % 86_400;
            let text = format!(
                "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize],
                d,
                ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1],
                y,
                rem / 3600,
                rem / 60 % 60,
                rem % 60
            );
            prop_assert_eq!(parse_http_date(&text, None), Some(secs), "{}", text);
        }
    }

    /// The inverse of `days_from_civil` (from 1970 on), for the round-trip property.
    fn civil_from_days(days: u64) -> (u64, usize, u64) {
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + u64::from(m <= 2), m as usize, d)
    }
}
