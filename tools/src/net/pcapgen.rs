//! A small capture of everyday traffic, generated here so that its licence
//! is ours: ARP, DNS over UDP, an HTTP exchange over TCP with its
//! handshake, ping, NTP, mDNS, syslog on a VLAN, IPv4 with options, and
//! IPv6 (neighbour discovery, DHCPv6, TCP with a hop-by-hop header).
//! Checksums are correct; every frame is one a real network carries.

use std::path::Path;

use pd_netdriver::hosted::pcap::PcapWriter;

const CLIENT_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
const ROUTER_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef];
const BCAST: [u8; 6] = [0xff; 6];

fn sum16(data: &[u8], mut acc: u32) -> u32 {
    for c in data.chunks(2) {
        acc += u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]) as u32;
    }
    acc
}

fn fold(mut acc: u32) -> u16 {
    while acc >> 16 != 0 {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

pub(crate) fn eth(dst: [u8; 6], src: [u8; 6], vlan: Option<u16>, ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(18 + payload.len());
    f.extend_from_slice(&dst);
    f.extend_from_slice(&src);
    if let Some(id) = vlan {
        f.extend_from_slice(&0x8100u16.to_be_bytes());
        f.extend_from_slice(&id.to_be_bytes());
    }
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    while f.len() < 60 {
        f.push(0);
    }
    f
}

/// An IPv4 packet; the transport checksum is filled in for TCP and UDP.
pub(crate) fn ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, id: u16, options: &[u8], l4: &[u8]) -> Vec<u8> {
    let ihl = 20 + options.len();
    let mut p = vec![0u8; ihl];
    p[0] = 0x40 | (ihl / 4) as u8;
    p[2..4].copy_from_slice(&((ihl + l4.len()) as u16).to_be_bytes());
    p[4..6].copy_from_slice(&id.to_be_bytes());
    p[6] = 0x40;
    p[8] = 64;
    p[9] = proto;
    p[12..16].copy_from_slice(&src);
    p[16..20].copy_from_slice(&dst);
    p[20..].copy_from_slice(options);
    let c = fold(sum16(&p, 0));
    p[10..12].copy_from_slice(&c.to_be_bytes());
    let mut l4 = l4.to_vec();
    let pseudo = {
        let mut ph = Vec::new();
        ph.extend_from_slice(&src);
        ph.extend_from_slice(&dst);
        ph.extend_from_slice(&[0, proto]);
        ph.extend_from_slice(&(l4.len() as u16).to_be_bytes());
        sum16(&ph, 0)
    };
    set_l4_checksum(proto, &mut l4, pseudo);
    p.extend_from_slice(&l4);
    p
}

fn set_l4_checksum(proto: u8, l4: &mut [u8], pseudo: u32) {
    let at = match proto {
        6 => 16,
        17 => 6,
        58 => 2,
        _ => return,
    };
    l4[at] = 0;
    l4[at + 1] = 0;
    let mut c = fold(sum16(l4, pseudo));
    if proto == 17 && c == 0 {
        c = 0xffff;
    }
    l4[at..at + 2].copy_from_slice(&c.to_be_bytes());
}

/// An IPv6 packet with optional extension header bytes (whose first byte,
/// the next header, is set to `proto`).
fn ipv6(src: [u8; 16], dst: [u8; 16], proto: u8, ext: Option<(u8, &[u8])>, l4: &[u8]) -> Vec<u8> {
    let mut l4 = l4.to_vec();
    let mut ph = Vec::new();
    ph.extend_from_slice(&src);
    ph.extend_from_slice(&dst);
    ph.extend_from_slice(&(l4.len() as u32).to_be_bytes());
    ph.extend_from_slice(&[0, 0, 0, proto]);
    set_l4_checksum(proto, &mut l4, sum16(&ph, 0));
    let mut p = vec![0u8; 40];
    p[0] = 0x60;
    let mut payload = Vec::new();
    match ext {
        Some((kind, bytes)) => {
            p[6] = kind;
            let mut e = bytes.to_vec();
            e[0] = proto;
            payload.extend_from_slice(&e);
        }
        None => p[6] = proto,
    }
    payload.extend_from_slice(&l4);
    p[4..6].copy_from_slice(&(payload.len() as u16).to_be_bytes());
    p[7] = 64;
    p[8..24].copy_from_slice(&src);
    p[24..40].copy_from_slice(&dst);
    p.extend_from_slice(&payload);
    p
}

pub(crate) fn udp(sport: u16, dport: u16, data: &[u8]) -> Vec<u8> {
    let mut u = Vec::with_capacity(8 + data.len());
    u.extend_from_slice(&sport.to_be_bytes());
    u.extend_from_slice(&dport.to_be_bytes());
    u.extend_from_slice(&((8 + data.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(data);
    u
}

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;
const PSH: u8 = 0x08;
const FIN: u8 = 0x01;

fn tcp(sport: u16, dport: u16, seq: u32, ack: u32, flags: u8, data: &[u8]) -> Vec<u8> {
    let mut t = vec![0u8; 20];
    t[0..2].copy_from_slice(&sport.to_be_bytes());
    t[2..4].copy_from_slice(&dport.to_be_bytes());
    t[4..8].copy_from_slice(&seq.to_be_bytes());
    t[8..12].copy_from_slice(&ack.to_be_bytes());
    t[12] = 5 << 4;
    t[13] = flags;
    t[14..16].copy_from_slice(&64240u16.to_be_bytes());
    t.extend_from_slice(data);
    t
}

fn dns_query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(&id.to_be_bytes());
    d.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for label in name.split('.') {
        d.push(label.len() as u8);
        d.extend_from_slice(label.as_bytes());
    }
    d.push(0);
    d.extend_from_slice(&qtype.to_be_bytes());
    d.extend_from_slice(&1u16.to_be_bytes());
    d
}

fn dns_answer(id: u16, name: &str, addr: [u8; 4]) -> Vec<u8> {
    let mut d = dns_query(id, name, 1);
    d[2] = 0x81;
    d[3] = 0x80;
    d[7] = 1;
    d.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4]);
    d.extend_from_slice(&addr);
    d
}

fn v6(s: &str) -> [u8; 16] {
    s.parse::<std::net::Ipv6Addr>().unwrap().octets()
}

/// The frames of the capture, in order.
pub fn frames() -> Vec<Vec<u8>> {
    let client = [10, 1, 0, 5];
    let router = [10, 1, 0, 1];
    let web = [10, 2, 0, 80];
    let mut out = Vec::new();
    // ARP for the gateway.
    let mut arp = vec![0, 1, 8, 0, 6, 4, 0, 1];
    arp.extend_from_slice(&CLIENT_MAC);
    arp.extend_from_slice(&client);
    arp.extend_from_slice(&[0; 6]);
    arp.extend_from_slice(&router);
    out.push(eth(BCAST, CLIENT_MAC, None, 0x0806, &arp));
    let mut reply = vec![0, 1, 8, 0, 6, 4, 0, 2];
    reply.extend_from_slice(&ROUTER_MAC);
    reply.extend_from_slice(&router);
    reply.extend_from_slice(&CLIENT_MAC);
    reply.extend_from_slice(&client);
    out.push(eth(CLIENT_MAC, ROUTER_MAC, None, 0x0806, &reply));
    let names = ["example.org", "capuchin.test", "sel4.systems", "java.example", "www.example.net"];
    let mut ip_id = 0x1000u16;
    for round in 0..12u16 {
        let name = names[round as usize % names.len()];
        let id = 0x4a00 + round;
        let sport = 40000 + round * 7;
        ip_id += 1;
        out.push(eth(
            ROUTER_MAC,
            CLIENT_MAC,
            None,
            0x0800,
            &ipv4(client, router, 17, ip_id, &[], &udp(sport, 53, &dns_query(id, name, 1))),
        ));
        out.push(eth(
            CLIENT_MAC,
            ROUTER_MAC,
            None,
            0x0800,
            &ipv4(router, client, 17, 0x2000 + round, &[], &udp(53, sport, &dns_answer(id, name, [10, 2, 0, 80]))),
        ));
        // An HTTP exchange with its handshake and teardown.
        let cport = 50000 + round;
        let (cs, ss) = (1_000_000u32 * (round as u32 + 1), 7_000_000u32 + round as u32);
        let c2s = |seq, ack, flags, data: &[u8], id| {
            eth(
                ROUTER_MAC,
                CLIENT_MAC,
                None,
                0x0800,
                &ipv4(client, web, 6, id, &[], &tcp(cport, 80, seq, ack, flags, data)),
            )
        };
        let s2c = |seq, ack, flags, data: &[u8], id| {
            eth(
                CLIENT_MAC,
                ROUTER_MAC,
                None,
                0x0800,
                &ipv4(web, client, 6, id, &[], &tcp(80, cport, seq, ack, flags, data)),
            )
        };
        let req = format!("GET /page/{round} HTTP/1.1\r\nHost: {name}\r\nUser-Agent: capuchin-test\r\n\r\n");
        let body = "x".repeat(200 + 97 * round as usize);
        let resp =
            format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: text/plain\r\n\r\n{body}", body.len());
        ip_id += 1;
        out.push(c2s(cs, 0, SYN, &[], ip_id));
        out.push(s2c(ss, cs + 1, SYN | ACK, &[], 0x3000 + round));
        out.push(c2s(cs + 1, ss + 1, ACK, &[], ip_id + 1));
        out.push(c2s(cs + 1, ss + 1, PSH | ACK, req.as_bytes(), ip_id + 2));
        let mut off = 0usize;
        let mut sid = 0x3100 + round;
        for chunk in resp.as_bytes().chunks(1460) {
            out.push(s2c(ss + 1 + off as u32, cs + 1 + req.len() as u32, PSH | ACK, chunk, sid));
            off += chunk.len();
            sid += 1;
        }
        out.push(c2s(cs + 1 + req.len() as u32, ss + 1 + off as u32, FIN | ACK, &[], ip_id + 3));
        out.push(s2c(ss + 1 + off as u32, cs + 2 + req.len() as u32, FIN | ACK, &[], sid));
        out.push(c2s(cs + 2 + req.len() as u32, ss + 2 + off as u32, ACK, &[], ip_id + 4));
        ip_id += 5;
        // Ping.
        let mut echo = vec![8, 0, 0, 0, 0x12, 0x34];
        echo.extend_from_slice(&(round + 1).to_be_bytes());
        echo.extend_from_slice(&[0x61; 48]);
        let c = fold(sum16(&echo, 0));
        echo[2..4].copy_from_slice(&c.to_be_bytes());
        out.push(eth(ROUTER_MAC, CLIENT_MAC, None, 0x0800, &ipv4(client, [9, 9, 9, 9], 1, ip_id, &[], &echo)));
        echo[0] = 0;
        echo[2] = 0;
        echo[3] = 0;
        let c = fold(sum16(&echo, 0));
        echo[2..4].copy_from_slice(&c.to_be_bytes());
        out.push(eth(CLIENT_MAC, ROUTER_MAC, None, 0x0800, &ipv4([9, 9, 9, 9], client, 1, 0x5000 + round, &[], &echo)));
        // NTP, mDNS, syslog on VLAN 100, IPv4 with a router-alert option.
        let mut ntp = vec![0x23];
        ntp.extend_from_slice(&[0; 47]);
        out.push(eth(
            ROUTER_MAC,
            CLIENT_MAC,
            None,
            0x0800,
            &ipv4(client, [10, 3, 0, 123], 17, ip_id + 1, &[], &udp(123, 123, &ntp)),
        ));
        out.push(eth(
            [0x01, 0x00, 0x5e, 0, 0, 0xfb],
            CLIENT_MAC,
            None,
            0x0800,
            &ipv4(
                client,
                [224, 0, 0, 251],
                17,
                ip_id + 2,
                &[],
                &udp(5353, 5353, &dns_query(0, "_http._tcp.local", 12)),
            ),
        ));
        let msg = format!("<14>Jan  1 00:00:{:02} host app[1]: event {round}", round);
        out.push(eth(
            ROUTER_MAC,
            CLIENT_MAC,
            Some(100),
            0x0800,
            &ipv4([10, 100, 0, 7], [10, 100, 0, 1], 17, ip_id + 3, &[], &udp(514, 514, msg.as_bytes())),
        ));
        out.push(eth(
            ROUTER_MAC,
            CLIENT_MAC,
            None,
            0x0800,
            &ipv4(
                client,
                [10, 2, 0, 9],
                17,
                ip_id + 4,
                &[0x94, 0x04, 0, 0],
                &udp(40999, 53, &dns_query(0x7700 + round, "opt.test", 1)),
            ),
        ));
        ip_id += 5;
        // IPv6: neighbour solicitation, DHCPv6 solicit, TCP with a hop-by-hop header.
        let ll = v6("fe80::5054:ff:fe12:3456");
        let mut ns = vec![135, 0, 0, 0, 0, 0, 0, 0];
        ns.extend_from_slice(&v6("fe80::1"));
        out.push(eth(
            [0x33, 0x33, 0xff, 0, 0, 1],
            CLIENT_MAC,
            None,
            0x86dd,
            &ipv6(ll, v6("ff02::1:ff00:1"), 58, None, &ns),
        ));
        let solicit = [1, 0x10, 0x20, round as u8, 0, 1, 0, 4, 0, 1, 0, 1];
        out.push(eth(
            [0x33, 0x33, 0, 1, 0, 2],
            CLIENT_MAC,
            None,
            0x86dd,
            &ipv6(ll, v6("ff02::1:2"), 17, None, &udp(546, 547, &solicit)),
        ));
        let hbh = [0u8, 0, 1, 4, 0, 0, 0, 0];
        out.push(eth(
            ROUTER_MAC,
            CLIENT_MAC,
            None,
            0x86dd,
            &ipv6(
                v6("2001:db8:1::5"),
                v6("2001:db8:2::443"),
                6,
                Some((0, &hbh)),
                &tcp(51000 + round, 443, 1, 0, SYN, &[]),
            ),
        ));
        out.push(eth(
            ROUTER_MAC,
            CLIENT_MAC,
            None,
            0x86dd,
            &ipv6(
                v6("2001:db8:1::5"),
                v6("2001:db8:53::53"),
                17,
                None,
                &udp(41000 + round, 53, &dns_query(0x6600 + round, name, 28)),
            ),
        ));
    }
    out
}

/// Writes the capture; returns the number of frames.
pub fn write(path: &Path) -> Result<usize, String> {
    let mut w = PcapWriter::create(path)?;
    let frames = frames();
    for (i, f) in frames.iter().enumerate() {
        w.write_record(1_700_000_000 + i as u32 / 10, (i as u32 % 10) * 100_000, f).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())?;
    Ok(frames.len())
}
