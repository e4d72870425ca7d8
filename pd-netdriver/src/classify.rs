//! Packet classification: the header fields rules look at, rules, and
//! ordered route tables (the classifier at the root of the VIF tree and
//! every VIF that splits its traffic to child VIFs use the same code).
//!
//! A [`Rule`] is a conjunction of tests; a [`RouteTable`] is a list of
//! `rule -> target` lines tried in order, then the default target.
//! Semantics follow Wireshark's display-filter fields so that a rule can be
//! checked against `tshark -Y` (docs/network.md has the correspondence):
//! `udp`, `tcp` and ports look at the first (or only) fragment of IPv4 or
//! IPv6, behind up to two VLAN tags and IPv6 extension headers.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

pub const ETHERTYPE_IPV4: u16 = 0x0800;
pub const ETHERTYPE_ARP: u16 = 0x0806;
pub const ETHERTYPE_IPV6: u16 = 0x86dd;
pub const ETHERTYPE_VLAN: u16 = 0x8100;
pub const ETHERTYPE_QINQ: u16 = 0x88a8;

pub const PROTO_ICMP: u8 = 1;
pub const PROTO_TCP: u8 = 6;
pub const PROTO_UDP: u8 = 17;
pub const PROTO_ICMPV6: u8 = 58;

/// Network-layer addresses of a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addrs {
    None,
    V4 { src: [u8; 4], dst: [u8; 4] },
    V6 { src: [u8; 16], dst: [u8; 16] },
}

/// What a rule can test, parsed once per packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacketInfo {
    /// The EtherType after any VLAN tags.
    pub ethertype: u16,
    /// The outermost VLAN id, if tagged.
    pub vlan: Option<u16>,
    pub addrs: Addrs,
    /// The transport protocol (IPv4 protocol, IPv6 next header after the
    /// extension headers), if the packet is IP.
    pub proto: Option<u8>,
    /// Transport ports, for TCP, UDP and SCTP when the header is present
    /// (first fragment, not truncated).
    pub ports: Option<(u16, u16)>,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

impl PacketInfo {
    pub fn parse(frame: &[u8]) -> Self {
        let mut info = PacketInfo { ethertype: 0, vlan: None, addrs: Addrs::None, proto: None, ports: None };
        let Some(mut ethertype) = be16(frame, 12) else { return info };
        let mut at = 14;
        for _ in 0..2 {
            if ethertype != ETHERTYPE_VLAN && ethertype != ETHERTYPE_QINQ {
                break;
            }
            let (Some(tci), Some(inner)) = (be16(frame, at), be16(frame, at + 2)) else { return info };
            info.vlan.get_or_insert(tci & 0x0fff);
            ethertype = inner;
            at += 4;
        }
        info.ethertype = ethertype;
        let l4 = match ethertype {
            ETHERTYPE_IPV4 => {
                let Some(ip) = frame.get(at..at + 20) else { return info };
                let ihl = (ip[0] & 0x0f) as usize * 4;
                if ip[0] >> 4 != 4 || ihl < 20 {
                    return info;
                }
                info.addrs = Addrs::V4 { src: ip[12..16].try_into().unwrap(), dst: ip[16..20].try_into().unwrap() };
                info.proto = Some(ip[9]);
                let frag_offset = u16::from_be_bytes([ip[6], ip[7]]) & 0x1fff;
                if frag_offset != 0 {
                    return info;
                }
                at + ihl
            }
            ETHERTYPE_IPV6 => {
                let Some(ip) = frame.get(at..at + 40) else { return info };
                if ip[0] >> 4 != 6 {
                    return info;
                }
                info.addrs = Addrs::V6 { src: ip[8..24].try_into().unwrap(), dst: ip[24..40].try_into().unwrap() };
                let mut next = ip[6];
                let mut off = at + 40;
                // Hop-by-hop, routing, fragment and destination options.
                for _ in 0..8 {
                    match next {
                        0 | 43 | 60 => {
                            let (Some(&n), Some(&len)) = (frame.get(off), frame.get(off + 1)) else { return info };
                            next = n;
                            off += (len as usize + 1) * 8;
                        }
                        44 => {
                            let (Some(&n), Some(fo)) = (frame.get(off), be16(frame, off + 2)) else { return info };
                            next = n;
                            off += 8;
                            if fo >> 3 != 0 {
                                info.proto = Some(next);
                                return info;
                            }
                        }
                        _ => break,
                    }
                }
                info.proto = Some(next);
                off
            }
            _ => return info,
        };
        if matches!(info.proto, Some(PROTO_TCP | PROTO_UDP | 132)) {
            if let (Some(s), Some(d)) = (be16(frame, l4), be16(frame, l4 + 2)) {
                // A TCP header is 20 bytes at least; Wireshark does not
                // dissect the ports of a truncated one either.
                let min = if info.proto == Some(PROTO_TCP) { 20 } else { 8 };
                if frame.len() >= l4 + min {
                    info.ports = Some((s, d));
                }
            }
        }
        info
    }
}

/// An address prefix, IPv4 or IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    V4([u8; 4], u8),
    V6([u8; 16], u8),
}

fn prefix_match(addr: &[u8], net: &[u8], len: u8) -> bool {
    let full = len as usize / 8;
    if addr[..full] != net[..full] {
        return false;
    }
    let rem = len % 8;
    rem == 0 || (addr[full] ^ net[full]) & (0xffu8 << (8 - rem)) == 0
}

impl Prefix {
    fn matches(&self, a: &Addrs, src: bool, dst: bool) -> bool {
        match (self, a) {
            (Prefix::V4(net, len), Addrs::V4 { src: s, dst: d }) => {
                (src && prefix_match(s, net, *len)) || (dst && prefix_match(d, net, *len))
            }
            (Prefix::V6(net, len), Addrs::V6 { src: s, dst: d }) => {
                (src && prefix_match(s, net, *len)) || (dst && prefix_match(d, net, *len))
            }
            _ => false,
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u8>().map_err(|_| alloc::format!("bad prefix length in '{s}'"))?)),
            None => (s, None),
        };
        if addr.contains(':') {
            let a = parse_ipv6(addr).ok_or_else(|| alloc::format!("bad IPv6 address '{addr}'"))?;
            let len = len.unwrap_or(128);
            if len > 128 {
                return Err(alloc::format!("prefix length over 128 in '{s}'"));
            }
            Ok(Prefix::V6(a, len))
        } else {
            let mut a = [0u8; 4];
            let parts: Vec<&str> = addr.split('.').collect();
            if parts.len() != 4 {
                return Err(alloc::format!("bad IPv4 address '{addr}'"));
            }
            for (i, p) in parts.iter().enumerate() {
                a[i] = p.parse().map_err(|_| alloc::format!("bad IPv4 address '{addr}'"))?;
            }
            let len = len.unwrap_or(32);
            if len > 32 {
                return Err(alloc::format!("prefix length over 32 in '{s}'"));
            }
            Ok(Prefix::V4(a, len))
        }
    }
}

fn parse_ipv6(s: &str) -> Option<[u8; 16]> {
    let groups = |part: &str| -> Option<Vec<u16>> {
        if part.is_empty() {
            return Some(Vec::new());
        }
        part.split(':').map(|g| u16::from_str_radix(g, 16).ok().filter(|_| !g.is_empty() && g.len() <= 4)).collect()
    };
    let words: Vec<u16> = match s.split_once("::") {
        Some((a, b)) => {
            let (a, b) = (groups(a)?, groups(b)?);
            if a.len() + b.len() > 7 {
                return None;
            }
            let mut w = a;
            w.resize(8 - b.len(), 0);
            w.extend(b);
            w
        }
        None => groups(s)?,
    };
    if words.len() != 8 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, w) in words.iter().enumerate() {
        out[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
    }
    Some(out)
}

/// One test of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    EtherType(u16),
    Vlan(u16),
    /// IPv4 or IPv6 (`ip` / `ipv6`).
    Ipv4,
    Ipv6,
    Proto(u8),
    Src(Prefix),
    Dst(Prefix),
    /// Either address.
    Host(Prefix),
    SrcPort(u16, u16),
    DstPort(u16, u16),
    /// Either port.
    Port(u16, u16),
}

impl Test {
    fn matches(&self, p: &PacketInfo) -> bool {
        let in_range = |v: u16, lo: u16, hi: u16| lo <= v && v <= hi;
        match *self {
            Test::EtherType(t) => p.ethertype == t,
            Test::Vlan(v) => p.vlan == Some(v),
            Test::Ipv4 => matches!(p.addrs, Addrs::V4 { .. }),
            Test::Ipv6 => matches!(p.addrs, Addrs::V6 { .. }),
            Test::Proto(n) => p.proto == Some(n),
            Test::Src(ref pf) => pf.matches(&p.addrs, true, false),
            Test::Dst(ref pf) => pf.matches(&p.addrs, false, true),
            Test::Host(ref pf) => pf.matches(&p.addrs, true, true),
            Test::SrcPort(lo, hi) => p.ports.is_some_and(|(s, _)| in_range(s, lo, hi)),
            Test::DstPort(lo, hi) => p.ports.is_some_and(|(_, d)| in_range(d, lo, hi)),
            Test::Port(lo, hi) => p.ports.is_some_and(|(s, d)| in_range(s, lo, hi) || in_range(d, lo, hi)),
        }
    }
}

/// A conjunction of tests; the empty rule (`any`) matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    pub tests: Vec<Test>,
    /// The rule as written, for messages and stats.
    pub text: String,
}

fn number(s: &str) -> Option<u32> {
    match s.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

fn port_range(s: &str) -> Result<(u16, u16), String> {
    let bad = || alloc::format!("bad port or port range '{s}'");
    let (lo, hi) = match s.split_once('-') {
        Some((a, b)) => (a, b),
        None => (s, s),
    };
    let lo: u16 = lo.parse().map_err(|_| bad())?;
    let hi: u16 = hi.parse().map_err(|_| bad())?;
    if lo > hi {
        return Err(bad());
    }
    Ok((lo, hi))
}

impl Rule {
    /// Parses whitespace-separated tests, e.g. `udp dport=53 src=10.0.0.0/8`.
    pub fn parse(words: &[&str]) -> Result<Self, String> {
        let mut tests = Vec::new();
        for &w in words {
            let t = match w.split_once('=') {
                None => match w {
                    "any" | "default" => continue,
                    "ip" => Test::Ipv4,
                    "ipv6" => Test::Ipv6,
                    "tcp" => Test::Proto(PROTO_TCP),
                    "udp" => Test::Proto(PROTO_UDP),
                    "icmp" => Test::Proto(PROTO_ICMP),
                    "icmpv6" => Test::Proto(PROTO_ICMPV6),
                    "arp" => Test::EtherType(ETHERTYPE_ARP),
                    _ => return Err(alloc::format!("unknown rule word '{w}'")),
                },
                Some((k, v)) => match k {
                    "proto" => match v {
                        "tcp" => Test::Proto(PROTO_TCP),
                        "udp" => Test::Proto(PROTO_UDP),
                        "icmp" => Test::Proto(PROTO_ICMP),
                        "icmpv6" => Test::Proto(PROTO_ICMPV6),
                        _ => Test::Proto(
                            number(v)
                                .and_then(|n| u8::try_from(n).ok())
                                .ok_or_else(|| alloc::format!("bad protocol '{v}'"))?,
                        ),
                    },
                    "ethertype" => Test::EtherType(
                        number(v)
                            .and_then(|n| u16::try_from(n).ok())
                            .ok_or_else(|| alloc::format!("bad EtherType '{v}'"))?,
                    ),
                    "vlan" => Test::Vlan(
                        number(v).filter(|&n| n < 4096).ok_or_else(|| alloc::format!("bad VLAN id '{v}'"))? as u16,
                    ),
                    "src" => Test::Src(Prefix::parse(v)?),
                    "dst" => Test::Dst(Prefix::parse(v)?),
                    "host" => Test::Host(Prefix::parse(v)?),
                    "sport" => {
                        let (a, b) = port_range(v)?;
                        Test::SrcPort(a, b)
                    }
                    "dport" => {
                        let (a, b) = port_range(v)?;
                        Test::DstPort(a, b)
                    }
                    "port" => {
                        let (a, b) = port_range(v)?;
                        Test::Port(a, b)
                    }
                    _ => return Err(alloc::format!("unknown rule test '{k}='")),
                },
            };
            tests.push(t);
        }
        let text = if words.is_empty() { "any".to_string() } else { words.join(" ") };
        Ok(Rule { tests, text })
    }

    pub fn matches(&self, p: &PacketInfo) -> bool {
        self.tests.iter().all(|t| t.matches(p))
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Where a routed packet goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Child VIF number `n` of this node (the order of its `child{n}_*`
    /// regions in system.xml).
    Child(usize),
    /// Straight to the transmit path (from the classifier: the bypass).
    Tx,
    Drop,
}

/// A target as written in the configuration, before child names are
/// resolved to child numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetName {
    Named(String),
    Tx,
    Drop,
}

impl TargetName {
    pub fn parse(s: &str) -> Self {
        match s {
            "tx" | "bypass" => TargetName::Tx,
            "drop" => TargetName::Drop,
            _ => TargetName::Named(s.to_string()),
        }
    }
}

/// Ordered `rule -> target` lines and a default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteTable {
    pub routes: Vec<(Rule, Target)>,
    pub default: Target,
}

impl RouteTable {
    pub fn new(default: Target) -> Self {
        Self { routes: Vec::new(), default }
    }

    /// The target of a frame, and the index of the matching route
    /// (`routes.len()` for the default).
    pub fn route(&self, frame: &[u8]) -> (Target, usize) {
        if self.routes.is_empty() {
            return (self.default, 0);
        }
        let info = PacketInfo::parse(frame);
        for (i, (rule, target)) in self.routes.iter().enumerate() {
            if rule.matches(&info) {
                return (*target, i);
            }
        }
        (self.default, self.routes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn udp4(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16) -> Vec<u8> {
        let mut f = alloc::vec![0u8; 14 + 20 + 8 + 4];
        f[12..14].copy_from_slice(&ETHERTYPE_IPV4.to_be_bytes());
        f[14] = 0x45;
        f[14 + 9] = PROTO_UDP;
        f[14 + 12..14 + 16].copy_from_slice(&src);
        f[14 + 16..14 + 20].copy_from_slice(&dst);
        f[34..36].copy_from_slice(&sport.to_be_bytes());
        f[36..38].copy_from_slice(&dport.to_be_bytes());
        f
    }

    fn rule(s: &str) -> Rule {
        Rule::parse(&s.split_whitespace().collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn ipv4_udp_fields() {
        let f = udp4([10, 1, 2, 3], [192, 168, 0, 9], 5353, 53);
        let p = PacketInfo::parse(&f);
        assert_eq!(p.proto, Some(PROTO_UDP));
        assert_eq!(p.ports, Some((5353, 53)));
        assert!(rule("udp dport=53 src=10.0.0.0/8").matches(&p));
        assert!(rule("ip port=5353").matches(&p));
        assert!(rule("dport=50-60 dst=192.168.0.0/23").matches(&p));
        assert!(!rule("tcp").matches(&p));
        assert!(!rule("src=10.1.2.4").matches(&p));
        assert!(!rule("ipv6").matches(&p));
        assert!(rule("any").matches(&p));
    }

    #[test]
    fn vlan_options_and_fragments() {
        let mut f = udp4([1, 1, 1, 1], [2, 2, 2, 2], 1, 2);
        // Insert a VLAN tag (id 42).
        let tag = [0x81, 0x00, 0x20, 0x2a];
        f.splice(12..12, tag);
        let p = PacketInfo::parse(&f);
        assert_eq!(p.vlan, Some(42));
        assert_eq!(p.ports, Some((1, 2)));
        assert!(rule("vlan=42 udp").matches(&p));
        // A non-first fragment has no ports.
        let mut g = udp4([1, 1, 1, 1], [2, 2, 2, 2], 1, 2);
        g[14 + 7] = 10;
        let q = PacketInfo::parse(&g);
        assert_eq!(q.proto, Some(PROTO_UDP));
        assert_eq!(q.ports, None);
        assert!(!rule("dport=2").matches(&q));
        // IP options move the transport header.
        let mut h = udp4([1, 1, 1, 1], [2, 2, 2, 2], 7, 8);
        h[14] = 0x46;
        h.splice(34..34, [1, 1, 1, 0]);
        assert_eq!(PacketInfo::parse(&h).ports, Some((7, 8)));
    }

    #[test]
    fn ipv6_with_extension_headers() {
        let mut f = alloc::vec![0u8; 14 + 40 + 8 + 8];
        f[12..14].copy_from_slice(&ETHERTYPE_IPV6.to_be_bytes());
        f[14] = 0x60;
        f[14 + 6] = 0; // hop-by-hop
        f[14 + 8..14 + 24].copy_from_slice(&parse_ipv6("fe80::1").unwrap());
        f[14 + 24..14 + 40].copy_from_slice(&parse_ipv6("2001:db8::42").unwrap());
        f[54] = PROTO_UDP;
        f[55] = 0;
        f[62..64].copy_from_slice(&546u16.to_be_bytes());
        f[64..66].copy_from_slice(&547u16.to_be_bytes());
        let p = PacketInfo::parse(&f);
        assert_eq!(p.proto, Some(PROTO_UDP));
        assert_eq!(p.ports, Some((546, 547)));
        assert!(rule("ipv6 udp dst=2001:db8::/32 src=fe80::/10").matches(&p));
        assert!(!rule("dst=10.0.0.0/8").matches(&p));
    }

    #[test]
    fn parse_errors_say_what_is_wrong() {
        assert!(Rule::parse(&["dport=99999"]).unwrap_err().contains("99999"));
        assert!(Rule::parse(&["src=1.2.3"]).unwrap_err().contains("IPv4"));
        assert!(Rule::parse(&["sctp"]).unwrap_err().contains("sctp"));
        assert!(Rule::parse(&["src=::1/129"]).is_err());
        assert_eq!(parse_ipv6("::"), Some([0; 16]));
        assert_eq!(parse_ipv6("1::2:3").unwrap()[15], 3);
        assert_eq!(parse_ipv6("1:2:3:4:5:6:7:8:9"), None);
    }

    #[test]
    fn route_tables_try_in_order() {
        let mut t = RouteTable::new(Target::Drop);
        t.routes.push((rule("udp dport=53"), Target::Child(1)));
        t.routes.push((rule("udp"), Target::Child(0)));
        t.routes.push((rule("tcp"), Target::Tx));
        assert_eq!(t.route(&udp4([0; 4], [0; 4], 1, 53)), (Target::Child(1), 0));
        assert_eq!(t.route(&udp4([0; 4], [0; 4], 1, 54)), (Target::Child(0), 1));
        assert_eq!(t.route(&[0u8; 10]), (Target::Drop, 3));
    }
}
