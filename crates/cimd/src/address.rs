//! Special-use IP address classification (RFC 6890 and successors), and host strings to addresses.
//!
//! -03 §9.6: a server MUST NOT fetch a URL that resolves to a special-use IP address (RFC 6890),
//! except loopback for a development server on the same loopback interface. The IANA IPv4 and IPv6
//! Special-Purpose Address Registries (RFC 6890 and the RFCs that add to them) list those blocks;
//! [`special_use`] knows every entry, plus multicast, the deprecated site-local block and the IPv6
//! space outside global unicast (reserved by IETF, RFC 4291 §2.4).
//!
//! IPv6 forms that embed an IPv4 address are judged by the embedded address where the embedding
//! makes packets reach it: IPv4-mapped (`::ffff:0:0/96`, a dual-stack socket connects to the IPv4
//! address), NAT64 (`64:ff9b::/96`, the translator forwards to it), 6to4 (`2002::/16`, relays
//! tunnel to it) and Teredo (`2001::/32`, server and obfuscated client). So `::ffff:127.0.0.1` is
//! loopback and `64:ff9b::10.0.0.1` private, while `::ffff:93.184.216.34` is as public as
//! `93.184.216.34`. The deprecated IPv4-compatible form (`::a.b.c.d`) lies in reserved space and is
//! always special-use. ISATAP interface identifiers are not decoded: their packets go to the
//! embedded address inside the prefix owner's site, not ours.
//!
//! Hosts are read as a WHATWG URL parser (and `inet_aton`) reads them, because that is what HTTP
//! clients do: `2130706433`, `0x7f.1`, `0177.0.0.1` and `127.1.` are all 127.0.0.1.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One special-use block an address falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpecialUse {
    /// The registry's name for the block (`Loopback`, `Private-Use`, ...).
    pub name: &'static str,
    /// The block in CIDR notation (the IPv4 block when the address embeds one).
    pub block: &'static str,
    /// The RFC (and section) that reserves it.
    pub rfc: &'static str,
    /// Packets to this address stay on this host (127.0.0.0/8, `::1`, IPv4-mapped loopback): the
    /// one exception -03 §9.6 allows, for development servers.
    pub loopback: bool,
    /// The IPv6 form the IPv4 address is embedded in, when it is (`IPv4-mapped IPv6 ::ffff:0:0/96`).
    pub via: Option<&'static str>,
}

impl fmt::Display for SpecialUse {
    /// `Loopback (127.0.0.0/8, RFC 1122 §3.2.1.3)`, plus `, embedded in ...` for an IPv6 form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}, {})", self.name, self.block, self.rfc)?;
        if let Some(via) = self.via {
            write!(f, ", embedded in {via}")?;
        }
        Ok(())
    }
}

const fn su(name: &'static str, block: &'static str, rfc: &'static str) -> SpecialUse {
    SpecialUse {
        name,
        block,
        rfc,
        loopback: false,
        via: None,
    }
}

/// IPv4 blocks: (network, prefix length, entry), most specific first.
static V4: &[(u32, u8, SpecialUse)] = &[
    (
        0x0000_0000,
        32,
        su(
            "This host on this network",
            "0.0.0.0/32",
            "RFC 1122 §3.2.1.3",
        ),
    ),
    (
        0x0000_0000,
        8,
        su("This network", "0.0.0.0/8", "RFC 791 §3.2"),
    ),
    (0x0a00_0000, 8, su("Private-Use", "10.0.0.0/8", "RFC 1918")),
    (
        0x6440_0000,
        10,
        su("Shared Address Space (CGNAT)", "100.64.0.0/10", "RFC 6598"),
    ),
    (
        0x7f00_0000,
        8,
        SpecialUse {
            name: "Loopback",
            block: "127.0.0.0/8",
            rfc: "RFC 1122 §3.2.1.3",
            loopback: true,
            via: None,
        },
    ),
    (
        0xa9fe_0000,
        16,
        su("Link-Local", "169.254.0.0/16", "RFC 3927"),
    ),
    (
        0xac10_0000,
        12,
        su("Private-Use", "172.16.0.0/12", "RFC 1918"),
    ),
    (
        0xc000_0000,
        29,
        su(
            "IPv4 Service Continuity Prefix (DS-Lite)",
            "192.0.0.0/29",
            "RFC 7335",
        ),
    ),
    (
        0xc000_0008,
        32,
        su("IPv4 dummy address", "192.0.0.8/32", "RFC 7600"),
    ),
    (
        0xc000_0009,
        32,
        su("Port Control Protocol Anycast", "192.0.0.9/32", "RFC 7723"),
    ),
    (
        0xc000_000a,
        32,
        su(
            "Traversal Using Relays around NAT Anycast",
            "192.0.0.10/32",
            "RFC 8155",
        ),
    ),
    (
        0xc000_00aa,
        31,
        su("NAT64/DNS64 Discovery", "192.0.0.170/31", "RFC 8880 §7.2"),
    ),
    (
        0xc000_0000,
        24,
        su("IETF Protocol Assignments", "192.0.0.0/24", "RFC 6890 §2.1"),
    ),
    (
        0xc000_0200,
        24,
        su("Documentation (TEST-NET-1)", "192.0.2.0/24", "RFC 5737"),
    ),
    (
        0xc01f_c400,
        24,
        su("AS112-v4", "192.31.196.0/24", "RFC 7535"),
    ),
    (0xc034_c100, 24, su("AMT", "192.52.193.0/24", "RFC 7450")),
    (
        0xc058_6300,
        24,
        su(
            "Deprecated (6to4 Relay Anycast)",
            "192.88.99.0/24",
            "RFC 7526",
        ),
    ),
    (
        0xc0a8_0000,
        16,
        su("Private-Use", "192.168.0.0/16", "RFC 1918"),
    ),
    (
        0xc0af_3000,
        24,
        su(
            "Direct Delegation AS112 Service",
            "192.175.48.0/24",
            "RFC 7534",
        ),
    ),
    (
        0xc612_0000,
        15,
        su("Benchmarking", "198.18.0.0/15", "RFC 2544"),
    ),
    (
        0xc633_6400,
        24,
        su("Documentation (TEST-NET-2)", "198.51.100.0/24", "RFC 5737"),
    ),
    (
        0xcb00_7100,
        24,
        su("Documentation (TEST-NET-3)", "203.0.113.0/24", "RFC 5737"),
    ),
    (0xe000_0000, 4, su("Multicast", "224.0.0.0/4", "RFC 5771")),
    (
        0xffff_ffff,
        32,
        su(
            "Limited Broadcast",
            "255.255.255.255/32",
            "RFC 8190, RFC 919 §7",
        ),
    ),
    (0xf000_0000, 4, su("Reserved", "240.0.0.0/4", "RFC 1112 §4")),
];

/// IPv6 blocks checked after the IPv4-embedding forms: (network, prefix length, entry).
static V6: &[(u128, u8, SpecialUse)] = &[
    (
        0,
        128,
        su("Unspecified Address", "::/128", "RFC 4291 §2.5.2"),
    ),
    (
        1,
        128,
        SpecialUse {
            name: "Loopback Address",
            block: "::1/128",
            rfc: "RFC 4291 §2.5.3",
            loopback: true,
            via: None,
        },
    ),
    (
        0x0100_0000_0000_0000 << 64,
        64,
        su("Discard-Only Address Block", "100::/64", "RFC 6666"),
    ),
    (
        (0x0100_0000_0000_0001) << 64,
        64,
        su("Dummy IPv6 Prefix", "100:0:0:1::/64", "RFC 9780"),
    ),
    (
        0x2001_0001_0000_0000_0000_0000_0000_0001,
        128,
        su("Port Control Protocol Anycast", "2001:1::1/128", "RFC 7723"),
    ),
    (
        0x2001_0001_0000_0000_0000_0000_0000_0002,
        128,
        su(
            "Traversal Using Relays around NAT Anycast",
            "2001:1::2/128",
            "RFC 8155",
        ),
    ),
    (
        0x2001_0001_0000_0000_0000_0000_0000_0003,
        128,
        su(
            "DNS-SD Service Registration Protocol Anycast",
            "2001:1::3/128",
            "RFC 9665",
        ),
    ),
    (
        0x2001_0002_0000 << 80,
        48,
        su("Benchmarking", "2001:2::/48", "RFC 5180"),
    ),
    (0x2001_0003 << 96, 32, su("AMT", "2001:3::/32", "RFC 7450")),
    (
        0x2001_0004_0112 << 80,
        48,
        su("AS112-v6", "2001:4:112::/48", "RFC 7535"),
    ),
    (
        0x2001_0010 << 96,
        28,
        su("Deprecated (previously ORCHID)", "2001:10::/28", "RFC 4843"),
    ),
    (
        0x2001_0020 << 96,
        28,
        su("ORCHIDv2", "2001:20::/28", "RFC 7343"),
    ),
    (
        0x2001_0030 << 96,
        28,
        su(
            "Drone Remote ID Protocol Entity Tags (DETs)",
            "2001:30::/28",
            "RFC 9374",
        ),
    ),
    (
        0x2001 << 112,
        23,
        su("IETF Protocol Assignments", "2001::/23", "RFC 2928"),
    ),
    (
        0x2001_0db8 << 96,
        32,
        su("Documentation", "2001:db8::/32", "RFC 3849"),
    ),
    (
        0x2620_004f_8000 << 80,
        48,
        su(
            "Direct Delegation AS112 Service",
            "2620:4f:8000::/48",
            "RFC 7534",
        ),
    ),
    (
        0x3fff << 112,
        20,
        su("Documentation", "3fff::/20", "RFC 9637"),
    ),
    (
        0x5f00 << 112,
        16,
        su("Segment Routing (SRv6) SIDs", "5f00::/16", "RFC 9602"),
    ),
    (0xfc00 << 112, 7, su("Unique-Local", "fc00::/7", "RFC 4193")),
    (
        0xfe80 << 112,
        10,
        su("Link-Local Unicast", "fe80::/10", "RFC 4291 §2.5.6"),
    ),
    (
        0xfec0 << 112,
        10,
        su("Site-Local Unicast (deprecated)", "fec0::/10", "RFC 3879"),
    ),
    (
        0xff00 << 112,
        8,
        su("Multicast", "ff00::/8", "RFC 4291 §2.7"),
    ),
];

const VIA_MAPPED: &str = "IPv4-mapped IPv6 (::ffff:0:0/96, RFC 4291 §2.5.5.2)";
const VIA_NAT64: &str = "NAT64 well-known prefix (64:ff9b::/96, RFC 6052)";
const VIA_NAT64_LOCAL: &str = "local-use NAT64 prefix (64:ff9b:1::/48, RFC 8215)";
const VIA_6TO4: &str = "6to4 (2002::/16, RFC 3056)";
const VIA_TEREDO_SERVER: &str = "the Teredo server field (2001::/32, RFC 4380 §4)";
const VIA_TEREDO_CLIENT: &str = "the Teredo client field (2001::/32, RFC 4380 §4)";
const VIA_COMPAT: &str = "IPv4-compatible IPv6 (::/96, deprecated, RFC 4291 §2.5.5.1)";

fn in_block(addr: u128, net: u128, len: u8, bits: u32) -> bool {
    let shift = bits - u32::from(len);
    if shift >= bits {
        true
    } else {
        (addr >> shift) == (net >> shift)
    }
}

fn special_v4(ip: Ipv4Addr) -> Option<SpecialUse> {
    let a = u128::from(u32::from(ip));
    V4.iter()
        .find(|(net, len, _)| in_block(a, u128::from(*net), *len, 32))
        .map(|(_, _, s)| *s)
}

fn embedded(v4: Ipv4Addr, via: &'static str, keep_loopback: bool) -> Option<SpecialUse> {
    special_v4(v4).map(|s| SpecialUse {
        via: Some(via),
        loopback: s.loopback && keep_loopback,
        ..s
    })
}

fn special_v6(ip: Ipv6Addr) -> Option<SpecialUse> {
    let a = u128::from(ip);
    let low32 = Ipv4Addr::from(a as u32);
    // IPv4-mapped: a dual-stack socket sends to the IPv4 address itself, loopback included.
    if a >> 32 == 0xffff {
        return embedded(low32, VIA_MAPPED, true);
    }
    // NAT64 (RFC 6052 /96 well-known prefix): the translator forwards to the embedded address.
    if a >> 32 == 0x0064_ff9b_0000_0000_0000_0000 {
        return embedded(low32, VIA_NAT64, false);
    }
    // Local-use NAT64 (RFC 8215): never globally reachable; name the embedded address if it is
    // special too (the /96 layout inside the /48 puts it in the low 32 bits).
    if a >> 80 == 0x0064_ff9b_0001 {
        return Some(embedded(low32, VIA_NAT64_LOCAL, false).unwrap_or(su(
            "Local-Use IPv4/IPv6 Translation",
            "64:ff9b:1::/48",
            "RFC 8215",
        )));
    }
    // 6to4: the IPv4 address of the tunnel end point sits in bits 16..48.
    if a >> 112 == 0x2002 {
        return embedded(Ipv4Addr::from((a >> 80) as u32), VIA_6TO4, false);
    }
    // Teredo: server address in bits 32..64, client address (bit-inverted) in the low 32 bits.
    if a >> 96 == 0x2001_0000 {
        let server = Ipv4Addr::from((a >> 64) as u32);
        let client = Ipv4Addr::from(!(a as u32));
        return embedded(client, VIA_TEREDO_CLIENT, false)
            .or_else(|| embedded(server, VIA_TEREDO_SERVER, false));
    }
    if let Some(s) = V6
        .iter()
        .find(|(net, len, _)| in_block(a, *net, *len, 128))
        .map(|(_, _, s)| *s)
    {
        return Some(s);
    }
    // IPv4-compatible (deprecated): reserved space, so special-use whatever it embeds.
    if a >> 32 == 0 {
        return Some(embedded(low32, VIA_COMPAT, false).unwrap_or(su(
            "IPv4-compatible IPv6 address (deprecated)",
            "::/96",
            "RFC 4291 §2.5.5.1",
        )));
    }
    // Outside global unicast 2000::/3 everything is reserved by IETF (unassigned, never routed).
    if a >> 125 != 0b001 {
        return Some(su("Reserved by IETF", "outside 2000::/3", "RFC 4291 §2.4"));
    }
    None
}

/// The special-use block `ip` is in, or `None` for an ordinary (public) unicast address.
pub fn special_use(ip: IpAddr) -> Option<SpecialUse> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

/// Undoes what a WHATWG URL parser undoes before it looks at a host: percent-encoding, full-width
/// forms (UTS #46 maps `１２７．０．０．１` to `127.0.0.1`), ideographic full stops, ASCII case.
/// `None` when the result is not ASCII (then it is no IP address and no plain DNS name).
fn normalize_host(host: &str) -> Option<String> {
    let bytes = host.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            decoded.push(h * 16 + l);
            i += 3;
            continue;
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    let text = String::from_utf8(decoded).ok()?;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let mapped = match c {
            '\u{3002}' | '\u{ff0e}' | '\u{ff61}' => '.',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xff01 + 0x21)?,
            c if c.is_ascii() => c,
            _ => return None,
        };
        out.push(mapped.to_ascii_lowercase());
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// One IPv4 part as WHATWG's "IPv4 number parser" reads it: `0x` hex, leading-`0` octal, decimal.
fn ipv4_number(part: &str) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(rest) = part.strip_prefix("0x") {
        (rest, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    if digits.is_empty() {
        return Some(0);
    }
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Anything past u64 is out of range anyway: saturate.
    Some(u64::from_str_radix(digits, radix).unwrap_or(u64::MAX))
}

/// Parses a (normalized) host as IPv4 the WHATWG way: 1 to 4 parts, each hex, octal or decimal,
/// the last filling the remaining bytes, one trailing dot allowed.
fn parse_ipv4(host: &str) -> Option<Ipv4Addr> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| ipv4_number(p))
        .collect::<Option<_>>()?;
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) {
        return None;
    }
    let room = 8 * (5 - numbers.len() as u32);
    if room < 64 && *last >= 1u64 << room {
        return None;
    }
    let mut value = *last;
    for (i, &n) in init.iter().enumerate() {
        value += n << (8 * (3 - i));
    }
    Some(Ipv4Addr::from(u32::try_from(value).ok()?))
}

/// The IP address a URI host (as written: `[::1]`, `127.0.0.1`, `0x7f.1`, `2130706433`) denotes,
/// read as a WHATWG URL parser or `inet_aton` reads it; `None` for a DNS name (or garbage).
pub fn host_ip(host: &str) -> Option<IpAddr> {
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        return inner.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    if is_plain_name(host) {
        return None;
    }
    // The canonical dotted quad, by far the most common IP host, needs no normalizing.
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Some(IpAddr::V4(ip));
    }
    let host = normalize_host(host)?;
    parse_ipv4(&host).map(IpAddr::V4)
}

/// A fast, allocation-free "certainly a DNS name": ASCII, nothing to decode, and a last label that
/// does not start with a digit (WHATWG parses a host as IPv4 only when its last label is a number).
fn is_plain_name(host: &str) -> bool {
    let bytes = host.as_bytes();
    let trimmed = bytes.strip_suffix(b".").unwrap_or(bytes);
    let last_start = trimmed
        .iter()
        .rposition(|&b| b == b'.')
        .map_or(0, |i| i + 1);
    trimmed.get(last_start).is_some_and(|b| !b.is_ascii_digit())
        && bytes.iter().all(|&b| b.is_ascii() && b != b'%')
}

/// An IPv4 host written in any form but the canonical dotted decimal (`0x7f.1`, `2130706433`,
/// `0177.0.0.1`, `127.1`, `127.0.0.1.`): parsers disagree on these, and filters miss them.
pub fn is_noncanonical_ipv4(host: &str) -> bool {
    match host_ip(host) {
        Some(IpAddr::V4(v4)) => v4.to_string() != host,
        _ => false,
    }
}

/// `localhost`, `*.localhost` (RFC 6761 §6.3), 127.0.0.0/8 in any form, `[::1]` (and
/// IPv4-mapped loopback); case-insensitive, a trailing dot tolerated.
pub fn is_loopback_host(host: &str) -> bool {
    match host_ip(host) {
        Some(ip) => special_use(ip).is_some_and(|s| s.loopback),
        None => is_loopback_name(host),
    }
}

/// `localhost` or `*.localhost` (RFC 6761 §6.3), for a host already known not to be an IP address.
pub fn is_loopback_name(host: &str) -> bool {
    let is_localhost = |name: &str| {
        let name = name.strip_suffix('.').unwrap_or(name);
        let tail = name.len().checked_sub(10).and_then(|i| name.get(i..));
        name.eq_ignore_ascii_case("localhost")
            || tail.is_some_and(|t| t.eq_ignore_ascii_case(".localhost"))
    };
    if host.is_ascii() && !host.contains('%') {
        return is_localhost(host);
    }
    normalize_host(host).is_some_and(|name| is_localhost(&name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v4(s: &str) -> IpAddr {
        IpAddr::V4(s.parse().unwrap())
    }
    fn v6(s: &str) -> IpAddr {
        IpAddr::V6(s.parse().unwrap())
    }
    fn name(ip: IpAddr) -> Option<&'static str> {
        special_use(ip).map(|s| s.name)
    }

    #[test]
    fn ipv4_registry_entries() {
        for (ip, expect) in [
            ("0.0.0.0", "This host on this network"),
            ("0.1.2.3", "This network"),
            ("10.1.2.3", "Private-Use"),
            ("100.64.0.1", "Shared Address Space (CGNAT)"),
            ("100.127.255.255", "Shared Address Space (CGNAT)"),
            ("127.0.0.1", "Loopback"),
            ("127.255.255.254", "Loopback"),
            ("169.254.169.254", "Link-Local"),
            ("172.16.0.1", "Private-Use"),
            ("172.31.255.255", "Private-Use"),
            ("192.0.0.1", "IPv4 Service Continuity Prefix (DS-Lite)"),
            ("192.0.0.9", "Port Control Protocol Anycast"),
            ("192.0.0.171", "NAT64/DNS64 Discovery"),
            ("192.0.0.200", "IETF Protocol Assignments"),
            ("192.0.2.10", "Documentation (TEST-NET-1)"),
            ("192.31.196.1", "AS112-v4"),
            ("192.52.193.1", "AMT"),
            ("192.88.99.1", "Deprecated (6to4 Relay Anycast)"),
            ("192.168.1.1", "Private-Use"),
            ("192.175.48.1", "Direct Delegation AS112 Service"),
            ("198.18.0.1", "Benchmarking"),
            ("198.19.255.255", "Benchmarking"),
            ("198.51.100.7", "Documentation (TEST-NET-2)"),
            ("203.0.113.9", "Documentation (TEST-NET-3)"),
            ("224.0.0.1", "Multicast"),
            ("239.255.255.250", "Multicast"),
            ("240.0.0.1", "Reserved"),
            ("255.255.255.254", "Reserved"),
            ("255.255.255.255", "Limited Broadcast"),
        ] {
            assert_eq!(name(v4(ip)), Some(expect), "{ip}");
        }
        assert!(special_use(v4("127.0.0.1")).unwrap().loopback);
        assert!(!special_use(v4("10.0.0.1")).unwrap().loopback);
        assert_eq!(special_use(v4("100.64.0.1")).unwrap().rfc, "RFC 6598");
    }

    #[test]
    fn ipv4_public_neighbours() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "9.255.255.255",
            "11.0.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "126.255.255.255",
            "128.0.0.0",
            "169.253.255.255",
            "169.255.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.0",
            "192.0.3.0",
            "192.167.255.255",
            "192.169.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "203.0.112.255",
            "223.255.255.255",
            "93.184.216.34",
        ] {
            assert_eq!(special_use(v4(ip)), None, "{ip}");
        }
    }

    #[test]
    fn ipv6_registry_entries() {
        for (ip, expect) in [
            ("::", "Unspecified Address"),
            ("::1", "Loopback Address"),
            ("100::1", "Discard-Only Address Block"),
            ("100:0:0:1::5", "Dummy IPv6 Prefix"),
            ("2001:1::1", "Port Control Protocol Anycast"),
            ("2001:2::1", "Benchmarking"),
            ("2001:3::1", "AMT"),
            ("2001:4:112::1", "AS112-v6"),
            ("2001:10::1", "Deprecated (previously ORCHID)"),
            ("2001:20::1", "ORCHIDv2"),
            ("2001:30::1", "Drone Remote ID Protocol Entity Tags (DETs)"),
            ("2001:100::1", "IETF Protocol Assignments"),
            ("2001:db8::1", "Documentation"),
            ("2620:4f:8000::1", "Direct Delegation AS112 Service"),
            ("3fff::1", "Documentation"),
            ("3fff:fff::1", "Documentation"),
            ("5f00::1", "Segment Routing (SRv6) SIDs"),
            ("fc00::1", "Unique-Local"),
            ("fd12:3456::1", "Unique-Local"),
            ("fe80::1", "Link-Local Unicast"),
            ("febf::1", "Link-Local Unicast"),
            ("fec0::1", "Site-Local Unicast (deprecated)"),
            ("ff02::1", "Multicast"),
            ("::2:0:0:1", "Reserved by IETF"),
            ("4000::1", "Reserved by IETF"),
            ("::1.2.3.4", "IPv4-compatible IPv6 address (deprecated)"),
            ("64:ff9b:1::1.2.3.4", "Local-Use IPv4/IPv6 Translation"),
        ] {
            assert_eq!(name(v6(ip)), Some(expect), "{ip}");
        }
        assert!(special_use(v6("::1")).unwrap().loopback);
        for ip in [
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "2001:200::1",
            "3fff:1000::1",
            "2620:4f:8001::1",
        ] {
            assert_eq!(special_use(v6(ip)), None, "{ip}");
        }
    }

    #[test]
    fn ipv6_forms_that_embed_ipv4() {
        let s = special_use(v6("::ffff:127.0.0.1")).unwrap();
        assert_eq!(
            (s.name, s.loopback, s.via),
            ("Loopback", true, Some(VIA_MAPPED))
        );
        assert_eq!(name(v6("::ffff:a9fe:a9fe")), Some("Link-Local"));
        assert_eq!(name(v6("64:ff9b::10.0.0.1")), Some("Private-Use"));
        assert!(!special_use(v6("64:ff9b::127.0.0.1")).unwrap().loopback);
        assert_eq!(name(v6("64:ff9b:1::192.168.0.1")), Some("Private-Use"));
        assert_eq!(name(v6("2002:c0a8:0101::1")), Some("Private-Use"));
        assert_eq!(name(v6("2002:7f00:1::")), Some("Loopback"));
        // Teredo: server 65.54.227.120, client 10.0.0.1 obfuscated (f5ff:fffe).
        let t = special_use(v6("2001:0:4136:e378:8000:63bf:f5ff:fffe")).unwrap();
        assert_eq!((t.name, t.via), ("Private-Use", Some(VIA_TEREDO_CLIENT)));
        // Teredo with a special server field, public client (1.2.3.4 -> fefd:fcfb).
        let t = special_use(v6("2001:0:c0a8:101::fefd:fcfb")).unwrap();
        assert_eq!(t.via, Some(VIA_TEREDO_SERVER));
        assert_eq!(
            special_use(v6("2001:0:4136:e378:8000:63bf:fefd:fcfb")),
            None
        );
        assert_eq!(name(v6("::127.0.0.1")), Some("Loopback"));
        assert!(!special_use(v6("::127.0.0.1")).unwrap().loopback);
        // Public IPv4 embedded where packets reach it: public.
        for ip in [
            "::ffff:93.184.216.34",
            "64:ff9b::93.184.216.34",
            "2002:5db8:d822::1",
        ] {
            assert_eq!(special_use(v6(ip)), None, "{ip}");
        }
        let shown = special_use(v6("::ffff:10.0.0.1")).unwrap().to_string();
        assert!(
            shown.contains("10.0.0.0/8") && shown.contains("::ffff:0:0/96"),
            "{shown}"
        );
    }

    #[test]
    fn hosts_in_every_ipv4_form() {
        for host in [
            "127.0.0.1",
            "2130706433",
            "0x7f000001",
            "0X7F000001",
            "0x7f.1",
            "0x7f.0.0.1",
            "0177.0.0.1",
            "0177.1",
            "017700000001",
            "127.1",
            "127.0.1",
            "127.0.0.1.",
            "127.0.0.01",
            "%31%32%37.0.0.1",
            "１２７．０．０．１",
            "0x7f.0x00.0x00.0x01",
        ] {
            assert_eq!(host_ip(host), Some(v4("127.0.0.1")), "{host}");
            assert!(is_loopback_host(host), "{host}");
        }
        assert_eq!(host_ip("0x"), Some(v4("0.0.0.0")));
        assert_eq!(host_ip("0"), Some(v4("0.0.0.0")));
        assert_eq!(host_ip("4294967295"), Some(v4("255.255.255.255")));
        for not_ip in [
            "example.com",
            "localhost",
            "4294967296",
            "256.0.0.1",
            "1.2.3.4.5",
            "1.2.3.256",
            "1.2.65536",
            "08.0.0.1",
            "0x.0xg",
            "1..2",
            "",
            ".",
            "1.2.3.4..",
            "[::1",
            "[example]",
            "[::1%25eth0]",
            "é.com",
        ] {
            assert_eq!(host_ip(not_ip), None, "{not_ip}");
        }
        assert_eq!(host_ip("[::1]"), Some(v6("::1")));
        assert_eq!(host_ip("[::FFFF:127.0.0.1]"), Some(v6("::ffff:127.0.0.1")));
        assert_eq!(host_ip("1.65535"), Some(v4("1.0.255.255")));
    }

    #[test]
    fn noncanonical_ipv4() {
        for host in [
            "2130706433",
            "0x7f.1",
            "0177.0.0.1",
            "127.1",
            "127.0.0.1.",
            "127.000.0.1",
            "１.1.1.1",
        ] {
            assert!(is_noncanonical_ipv4(host), "{host}");
        }
        for host in [
            "127.0.0.1",
            "93.184.216.34",
            "example.com",
            "[::1]",
            "0.0.0.0",
        ] {
            assert!(!is_noncanonical_ipv4(host), "{host}");
        }
    }

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "LOCALHOST",
            "localhost.",
            "app.localhost",
            "App.LocalHost.",
            "127.0.0.1",
            "127.9.9.9",
            "[::1]",
            "[0:0:0:0:0:0:0:1]",
            "[::ffff:127.0.0.1]",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "localhost.example.com",
            "notlocalhost",
            "example.com",
            "0.0.0.0",
            "[::]",
            "10.0.0.1",
            "[::127.0.0.1]",
            "[64:ff9b::127.0.0.1]",
            "localhost..",
            "",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    /// IPv4 blocks that are special, as (network, prefix length).
    fn special_v4_block() -> impl Strategy<Value = Ipv4Addr> {
        prop::sample::select(V4.to_vec()).prop_flat_map(|(net, len, _)| {
            let host_bits = 32 - u32::from(len);
            let mask = if host_bits == 32 {
                u32::MAX
            } else {
                (1u32 << host_bits) - 1
            };
            any::<u32>().prop_map(move |r| Ipv4Addr::from(net | (r & mask)))
        })
    }

    fn public_v4() -> impl Strategy<Value = Ipv4Addr> {
        any::<u32>()
            .prop_map(Ipv4Addr::from)
            .prop_filter("public", |ip| special_v4(*ip).is_none())
    }

    /// Every way to write an IPv4 address that a WHATWG parser accepts.
    fn spellings(ip: Ipv4Addr) -> Vec<String> {
        let n = u32::from(ip);
        let [o1, o2, o3, o4] = ip.octets();
        vec![
            ip.to_string(),
            format!("{ip}."),
            n.to_string(),
            format!("0x{n:x}"),
            format!("0{n:o}"),
            format!("0x{o1:x}.0x{o2:x}.0x{o3:x}.0x{o4:x}"),
            format!("0{o1:o}.0{o2:o}.0{o3:o}.0{o4:o}"),
            format!("{o1}.{}", n & 0x00ff_ffff),
            format!("{o1}.{o2}.{}", n & 0xffff),
            format!("0x{o1:X}.{o2}.0{o3:o}.{o4}"),
        ]
    }

    proptest! {
        #[test]
        fn special_ipv4_is_special_in_every_spelling(ip in special_v4_block()) {
            let expect = special_v4(ip).expect("from a special block");
            for host in spellings(ip) {
                prop_assert_eq!(host_ip(&host), Some(IpAddr::V4(ip)), "{}", host);
                prop_assert_eq!(special_use(host_ip(&host).unwrap()).map(|s| s.name), Some(expect.name));
                prop_assert_eq!(is_loopback_host(&host), expect.loopback);
            }
            let mapped = ip.to_ipv6_mapped();
            prop_assert_eq!(special_use(IpAddr::V6(mapped)).map(|s| (s.name, s.loopback)), Some((expect.name, expect.loopback)));
            let bits = u128::from(u32::from(ip));
            let nat64 = Ipv6Addr::from((0x0064_ff9b_u128 << 96) | bits);
            prop_assert_eq!(special_use(IpAddr::V6(nat64)).map(|s| s.name), Some(expect.name));
            let six_to_four = Ipv6Addr::from((0x2002_u128 << 112) | (bits << 80) | 1);
            prop_assert_eq!(special_use(IpAddr::V6(six_to_four)).map(|s| s.name), Some(expect.name));
            let teredo = Ipv6Addr::from((0x2001_0000_u128 << 96) | (0x4136_e378_u128 << 64) | u128::from(!u32::from(ip)));
            prop_assert_eq!(special_use(IpAddr::V6(teredo)).map(|s| s.name), Some(expect.name));
            let bracketed = format!("[{mapped}]");
            prop_assert!(host_ip(&bracketed).is_some_and(|a| special_use(a).is_some()));
        }

        #[test]
        fn public_ipv4_is_public_in_every_spelling(ip in public_v4()) {
            for host in spellings(ip) {
                prop_assert_eq!(host_ip(&host), Some(IpAddr::V4(ip)), "{}", host);
                prop_assert!(!is_loopback_host(&host));
            }
            prop_assert_eq!(is_noncanonical_ipv4(&ip.to_string()), false);
            let bits = u128::from(u32::from(ip));
            for v6 in [
                ip.to_ipv6_mapped(),
                Ipv6Addr::from((0x0064_ff9b_u128 << 96) | bits),
                Ipv6Addr::from((0x2002_u128 << 112) | (bits << 80) | 1),
            ] {
                prop_assert_eq!(special_use(IpAddr::V6(v6)), None, "{}", v6);
            }
            // IPv4-compatible is reserved space whatever it embeds.
            prop_assert!(special_use(IpAddr::V6(Ipv6Addr::from(bits))).is_some());
        }

        #[test]
        fn host_parsing_never_panics(s in "\\PC{0,24}") {
            let _ = host_ip(&s);
            let _ = is_loopback_host(&s);
            let _ = is_noncanonical_ipv4(&s);
        }

        #[test]
        fn ipv4_like_strings_agree_with_std_when_canonical(a: u8, b: u8, c: u8, d: u8) {
            let s = format!("{a}.{b}.{c}.{d}");
            prop_assert_eq!(host_ip(&s), Some(IpAddr::V4(Ipv4Addr::new(a, b, c, d))));
        }
    }
}
