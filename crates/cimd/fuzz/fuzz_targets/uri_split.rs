//! The one-pass URI split finds the components and the violations the straightforward reference
//! splitter finds, on any string (so a URI it calls clean has no violation), notices every `*` after
//! the scheme, and never panics.
#![no_main]

use cimd::uri::Uri;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let fast = Uri::split(raw);
    let slow = Uri::split_reference(raw);
    let ranges = |u: &Uri<'_>| {
        [
            u.scheme_range(),
            u.authority_range(),
            u.userinfo_range(),
            u.host_range(),
            u.port_range(),
            Some(u.path_range()),
            u.query_range(),
            u.fragment_range(),
        ]
    };
    assert_eq!(ranges(&fast), ranges(&slow), "components of {raw:?}");
    assert_eq!(fast.violations(), slow.violations(), "violations of {raw:?}");
    assert_eq!(fast.has_star(), slow.has_star(), "`*` in {raw:?}");
});
