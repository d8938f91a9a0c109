//! Property tests: the RFC 3986 splitter (`cimd::uri`) and redirect matching (`cimd::redirect`).

use std::ops::Range;

use cimd::redirect::{MatchPolicy, match_redirect};
use cimd::uri::{Uri, ViolationKind};
use proptest::prelude::*;

/// Strings that look like URIs often enough to reach every branch of the splitter.
fn uri_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9:/?#@%.+\\[\\]*~ é-]{0,30}",
        "[a-zA-Z][a-zA-Z0-9+.-]{0,5}:(//)?[a-zA-Z0-9.:@\\[\\]%*_-]{0,16}(/[a-zA-Z0-9.%~*_-]{0,6}){0,3}(\\?[a-z0-9=&%/?]{0,6})?(#[a-z#]{0,3})?",
        "(http|https|HTTP)://(localhost|127\\.0\\.0\\.1|\\[::1\\]|LOCALHOST|app\\.example\\.com|\\*\\.example\\.com)(:[0-9*]{0,5})?(/[a-z*%.]{0,5}){0,3}/?(\\?[a-z=]{0,3})?(#x)?",
        "(http://)?(user@)?\\[[0-9a-fv.:]{0,6}\\]?[a-z0-9:\\] ]{0,4}(/[a-z]{0,3})?",
    ]
}

/// Every component range of `u`, with its name.
fn ranges(u: &Uri<'_>) -> Vec<(&'static str, Range<usize>)> {
    let mut out = vec![("path", u.path_range())];
    for (name, range) in [
        ("scheme", u.scheme_range()),
        ("authority", u.authority_range()),
        ("userinfo", u.userinfo_range()),
        ("host", u.host_range()),
        ("port", u.port_range()),
        ("query", u.query_range()),
        ("fragment", u.fragment_range()),
    ] {
        if let Some(r) = range {
            out.push((name, r));
        }
    }
    out
}

fn rejoin(u: &Uri<'_>) -> String {
    let mut s = String::new();
    if let Some(scheme) = u.scheme() {
        s.push_str(scheme);
        s.push(':');
    }
    if let Some(authority) = u.authority() {
        s.push_str("//");
        s.push_str(authority);
    }
    s.push_str(u.path());
    if let Some(query) = u.query() {
        s.push('?');
        s.push_str(query);
    }
    if let Some(fragment) = u.fragment() {
        s.push('#');
        s.push_str(fragment);
    }
    s
}

fn absolute_without_fragment(s: &str) -> bool {
    let u = Uri::split(s);
    u.is_absolute()
        && u.fragment_range().is_none()
        && !u
            .violations()
            .iter()
            .any(|v| v.kind == ViolationKind::BadScheme)
}

/// `s` without its `:port` (when it has one).
fn without_port(s: &str) -> String {
    let u = Uri::split(s);
    match &u.port_range() {
        Some(port) => format!("{}{}", &s[..port.start - 1], &s[port.end..]),
        None => s.to_owned(),
    }
}

// ---- (a) the splitter ----

proptest! {
    #[test]
    fn split_never_panics_and_ranges_are_char_aligned(s in uri_like()) {
        let u = Uri::split(&s);
        for (name, r) in ranges(&u) {
            prop_assert!(r.start <= r.end && r.end <= s.len(), "{name} {r:?} out of {}", s.len());
            prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end), "{name} {r:?}");
        }
        // Sub-components sit inside the authority, in order.
        if let Some(auth) = &u.authority_range() {
            let host = u.host_range().expect("an authority always has a (maybe empty) host");
            prop_assert!(auth.start <= host.start && host.end <= auth.end);
            if let Some(userinfo) = &u.userinfo_range() {
                prop_assert!(auth.start == userinfo.start && userinfo.end < host.start);
            }
            if let Some(port) = &u.port_range() {
                prop_assert!(host.end < port.start && port.end == auth.end);
            }
        } else {
            prop_assert!(u.userinfo_range().is_none() && u.host_range().is_none() && u.port_range().is_none());
        }
        // The accessors and the derived helpers never panic either.
        let _ = (u.scheme_lower(), u.host_lower(), u.port_number(), u.is_absolute());
        for (seg, r) in u.path_segments() {
            prop_assert_eq!(&s[r], seg);
        }
        for v in u.violations() {
            prop_assert!(v.at.start < v.at.end && v.at.end <= s.len(), "{v:?}");
            let _ = v.kind.describe();
        }
        let _ = cimd::uri::decode_unreserved(&s);
    }

    #[test]
    fn violation_ranges_are_char_aligned(s in uri_like()) {
        for v in Uri::split(&s).violations() {
            prop_assert!(s.is_char_boundary(v.at.start) && s.is_char_boundary(v.at.end), "{s:?}: {v:?}");
        }
    }

    #[test]
    fn split_components_rejoin_to_the_input(s in uri_like()) {
        let u = Uri::split(&s);
        prop_assert_eq!(rejoin(&u), s);
    }

    #[test]
    fn authority_subcomponents_rejoin_to_the_authority(s in uri_like()) {
        let u = Uri::split(&s);
        if let Some(authority) = u.authority() {
            let mut joined = String::new();
            if let Some(userinfo) = u.userinfo() {
                joined.push_str(userinfo);
                joined.push('@');
            }
            joined.push_str(u.host().unwrap_or_default());
            if let Some(port) = u.port() {
                joined.push(':');
                joined.push_str(port);
            }
            prop_assert_eq!(joined, authority);
        }
    }
}

// ---- (b) violations ----

#[derive(Debug, Clone)]
struct HttpsUri {
    text: String,
}

fn https_uri() -> impl Strategy<Value = HttpsUri> {
    let label = "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?";
    let host = prop::collection::vec(label, 1..4).prop_map(|labels| labels.join("."));
    let port = prop::option::of(any::<u16>());
    let segments = prop::collection::vec("[A-Za-z0-9._~-]{0,8}", 0..4);
    let query = prop::option::of("[A-Za-z0-9._~=&-]{0,12}");
    (host, port, segments, query).prop_map(|(host, port, segments, query)| {
        let mut text = format!("https://{host}");
        if let Some(port) = port {
            text.push(':');
            text.push_str(&port.to_string());
        }
        for seg in segments {
            text.push('/');
            text.push_str(&seg);
        }
        if let Some(query) = query {
            text.push('?');
            text.push_str(&query);
        }
        HttpsUri { text }
    })
}

fn inserted(s: &str, at: usize, what: char) -> String {
    let mut out = s.to_owned();
    out.insert(at, what);
    out
}

proptest! {
    #[test]
    fn generated_https_uris_have_no_violations(u in https_uri()) {
        let v = Uri::split(&u.text).violations();
        prop_assert!(v.is_empty(), "{}: {v:?}", u.text);
    }

    #[test]
    fn an_inserted_space_is_a_violation_where_it_was_inserted(u in https_uri(), at in any::<prop::sample::Index>()) {
        let at = at.index(u.text.len() + 1);
        let bad = inserted(&u.text, at, ' ');
        let v = Uri::split(&bad).violations();
        prop_assert!(v.iter().any(|v| v.at.contains(&at)), "{bad:?} at {at}: {v:?}");
    }

    #[test]
    fn an_inserted_lone_percent_is_a_violation_where_it_was_inserted(u in https_uri(), at in any::<prop::sample::Index>()) {
        let at = at.index(u.text.len() + 1);
        let bad = inserted(&u.text, at, '%');
        let v = Uri::split(&bad).violations();
        // Not lone when the next two characters make it a valid `%XX`.
        let next = u.text.as_bytes().get(at..at + 2);
        if !next.is_some_and(|n| n.iter().all(u8::is_ascii_hexdigit)) {
            prop_assert!(v.iter().any(|v| v.at.contains(&at)), "{bad:?} at {at}: {v:?}");
        }
    }

    #[test]
    fn an_inserted_space_after_an_ip_literal_is_a_violation(port in any::<u16>(), path in "(/[a-z]{0,4}){0,2}", at in any::<prop::sample::Index>()) {
        let text = format!("http://[::1]:{port}{path}");
        let at = at.index(text.len() + 1);
        let bad = inserted(&text, at, ' ');
        let v = Uri::split(&bad).violations();
        prop_assert!(v.iter().any(|v| v.at.contains(&at)), "{bad:?} at {at}: {v:?}");
    }
}

// ---- (c) redirect matching ----

fn loopback_host() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("localhost".to_owned()),
        Just("[::1]".to_owned()),
        (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(a, b, c)| format!("127.{a}.{b}.{c}")),
    ]
}

fn path_and_query() -> impl Strategy<Value = String> {
    (
        "(/[A-Za-z0-9._~-]{0,6}){0,3}",
        prop::option::of("[a-z0-9=&]{0,6}"),
    )
        .prop_map(|(path, query)| match query {
            Some(q) => format!("{path}?{q}"),
            None => path,
        })
}

/// A registered URI and variations of it that differ in one component or another.
fn near_misses() -> impl Strategy<Value = (Vec<String>, String)> {
    let base = prop_oneof![
        (
            loopback_host(),
            prop::option::of(1..=65535u16),
            path_and_query()
        )
            .prop_map(|(h, p, rest)| {
                let port = p.map(|p| format!(":{p}")).unwrap_or_default();
                format!("http://{h}{port}{rest}")
            }),
        https_uri().prop_map(|u| u.text),
        Just("http://localhost:*/callback".to_owned()),
        Just("https://*.example.com/auth/*".to_owned()),
    ];
    let variant = |s: String, how: u8, n: u16| -> String {
        match how % 8 {
            0 => s,
            1 => format!("{s}/"),
            2 => s.to_ascii_uppercase(),
            3 => without_port(&s),
            4 => {
                let u = Uri::split(&s);
                match &u.host_range() {
                    Some(h) => format!(
                        "{}{}:{n}{}",
                        &s[..h.start],
                        &s[h.clone()],
                        &s[u.authority_range().unwrap().end..]
                    ),
                    None => s,
                }
            }
            5 => format!("{s}?x={n}"),
            6 => s
                .replace("localhost", "127.0.0.1")
                .replace("*.example.com", "app.example.com"),
            _ => s.replace('~', "%7E").replace("auth/*", "auth/cb"),
        }
    };
    (
        prop::collection::vec((base.clone(), any::<u8>(), any::<u16>()), 1..4),
        base,
        any::<u8>(),
        any::<u16>(),
    )
        .prop_map(move |(registered, req, how, n)| {
            let registered: Vec<String> = registered
                .into_iter()
                .map(|(s, how, n)| variant(s, how, n))
                .collect();
            // Often take the request from a registered entry, so matches and near misses are common.
            let requested = if how % 3 == 0 {
                variant(req, how / 3, n)
            } else {
                variant(registered[0].clone(), how, n)
            };
            (registered, requested)
        })
}

proptest! {
    #[test]
    fn a_uri_matches_itself_under_every_policy(s in uri_like(), others in prop::collection::vec(uri_like(), 0..3)) {
        let mut registered: Vec<&str> = others.iter().map(String::as_str).collect();
        registered.push(&s);
        for policy in MatchPolicy::ALL {
            let r = match_redirect(&registered, &s, policy);
            if !absolute_without_fragment(&s) {
                // Not a usable redirect URI: it matches nothing, not even itself.
                prop_assert!(!r.matched, "{s:?} under {policy}: {}", r.reason);
                continue;
            }
            prop_assert!(r.matched, "{s:?} under {policy}: {}", r.reason);
            let i = r.matched_index.unwrap();
            prop_assert_eq!(registered[i], s.as_str());
            prop_assert!(r.reason.starts_with("matches entry"));
        }
    }

    #[test]
    fn under_exact_a_match_is_byte_equality((registered, requested) in near_misses()) {
        let refs: Vec<&str> = registered.iter().map(String::as_str).collect();
        let r = match_redirect(&refs, &requested, MatchPolicy::Exact);
        for c in &r.candidates {
            prop_assert_eq!(c.matched, c.registered == requested && absolute_without_fragment(&requested), "{:?}", c);
        }
        prop_assert_eq!(r.matched, registered.contains(&requested) && absolute_without_fragment(&requested));
    }

    #[test]
    fn under_rfc8252_only_a_loopback_port_may_differ((registered, requested) in near_misses()) {
        let refs: Vec<&str> = registered.iter().map(String::as_str).collect();
        let r = match_redirect(&refs, &requested, MatchPolicy::Rfc8252);
        for c in r.candidates.iter().filter(|c| c.matched) {
            prop_assert!(c.registered == requested || without_port(&c.registered) == without_port(&requested), "{c:?} vs {requested}");
            if c.registered != requested {
                let u = Uri::split(&c.registered);
                prop_assert!(u.scheme().is_some_and(|s| s.eq_ignore_ascii_case("http")), "{c:?}");
                prop_assert!(c.reason.contains("loopback"), "{c:?}");
            }
        }
        // The wildcard policy accepts everything rfc8252 does.
        let w = match_redirect(&refs, &requested, MatchPolicy::Wildcard);
        for (a, b) in r.candidates.iter().zip(&w.candidates) {
            prop_assert!(!a.matched || b.matched, "{a:?} / {b:?}");
        }
    }

    #[test]
    fn a_loopback_redirect_matches_any_port(host in loopback_host(), registered_port in prop::option::of(any::<u16>()), rest in path_and_query(), port in 1..=65535u16) {
        let reg_port = registered_port.map(|p| format!(":{p}")).unwrap_or_default();
        let registered = format!("http://{host}{reg_port}{rest}");
        let requested = format!("http://{host}:{port}{rest}");
        for policy in [MatchPolicy::Rfc8252, MatchPolicy::Wildcard] {
            let r = match_redirect(&[&registered], &requested, policy);
            prop_assert!(r.matched, "{registered} vs {requested} under {policy}: {}", r.reason);
        }
        let exact = match_redirect(&[&registered], &requested, MatchPolicy::Exact);
        prop_assert_eq!(exact.matched, registered == requested);
    }

    #[test]
    fn a_non_loopback_redirect_matches_only_its_own_port(u in https_uri(), registered_port in prop::option::of(any::<u16>()), port in 1..=65535u16, http in any::<bool>()) {
        let text = if http { u.text.replacen("https", "http", 1) } else { u.text };
        let bare = without_port(&text);
        let split = Uri::split(&bare);
        let host_end = split.host_range().unwrap().end;
        prop_assume!(!split.host().is_some_and(|h| h == "localhost" || h.parse::<std::net::Ipv4Addr>().is_ok_and(|a| a.is_loopback())));
        let with_port = |p: Option<u16>| match p {
            Some(p) => format!("{}:{p}{}", &bare[..host_end], &bare[host_end..]),
            None => bare.clone(),
        };
        let registered = with_port(registered_port);
        let requested = with_port(Some(port));
        for policy in MatchPolicy::ALL {
            let r = match_redirect(&[&registered], &requested, policy);
            prop_assert_eq!(r.matched, registered_port == Some(port), "{} vs {} under {}: {}", registered, requested, policy, r.reason);
            if !r.matched {
                prop_assert!(r.candidates[0].reason.starts_with("port differs"), "{}", r.candidates[0].reason);
            }
        }
    }

    #[test]
    fn matching_never_panics_and_the_result_is_consistent(registered in prop::collection::vec(uri_like(), 0..4), requested in uri_like()) {
        let refs: Vec<&str> = registered.iter().map(String::as_str).collect();
        for policy in MatchPolicy::ALL {
            let r = match_redirect(&refs, &requested, policy);
            prop_assert_eq!(r.policy, policy);
            prop_assert_eq!(r.candidates.len(), registered.len());
            prop_assert_eq!(r.matched, r.matched_index.is_some());
            prop_assert_eq!(r.matched, r.candidates.iter().any(|c| c.matched));
            prop_assert_eq!(r.matched_uri.as_deref(), r.matched_index.map(|i| refs[i]));
            prop_assert!(!r.reason.is_empty());
            for (i, c) in r.candidates.iter().enumerate() {
                prop_assert_eq!(c.index, i);
                prop_assert!(!c.reason.is_empty());
            }
            if !absolute_without_fragment(&requested) {
                prop_assert!(!r.matched);
            }
        }
    }
}
