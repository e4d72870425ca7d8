//! Hosted devices for the driver domain: what stands in for a NIC when a
//! PD is a Linux process. Inputs: a synthetic generator, a pcap replay, an
//! AF_PACKET socket (e.g. on a veth pair in a network namespace). Outputs:
//! count and discard, a pcap file, or transmit on the AF_PACKET socket.
//! Each is wrapped as a [`NetDevice`] with a small "hardware ring" of
//! posted receive buffers, so the driver above is the one seL4 will run.

pub mod control;
pub mod irq;
pub mod pcap;

use std::boxed::Box;
use std::collections::VecDeque;
use std::path::Path;
use std::rc::Rc;
use std::string::{String, ToString};
use std::time::{Duration, Instant};
use std::vec::Vec;

use net_queue::BUFFER_SIZE;

use crate::config::{DriverConfig, GenConfig, Input, Output};
use crate::driver::{DevBuf, NetDevice};
use irq::{IrqLine, Raiser, Wait};
use pcap::{PcapReader, PcapWriter};

/// Receive buffers a hosted device holds at most (its "hardware ring").
const RX_RING: usize = 128;

/// Builds the generator's frames: Ethernet, IPv4 (valid header checksum),
/// UDP to port 9 (discard) from port `10000 + flow`, a 64-bit sequence
/// number at offset 42, zero padding.
pub struct Generator {
    templates: Vec<Vec<u8>>,
    size: usize,
    next: u64,
    count: u64,
    rate: u64,
    started: Option<Instant>,
    first_seq: u64,
}

fn ip_checksum(h: &[u8]) -> u16 {
    let mut sum = 0u32;
    for c in h.chunks(2) {
        sum += u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]) as u32;
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// One generated frame (also used by tests to know what to expect).
pub fn generated_frame(size: usize, flow: u32, seq: u64) -> Vec<u8> {
    let mut f = std::vec![0u8; size.max(60)];
    f[0..6].copy_from_slice(&[0x02, 0, 0, 0, 0, 0x02]);
    f[6..12].copy_from_slice(&[0x02, 0, 0, 0, 0, 0x01]);
    f[12..14].copy_from_slice(&0x0800u16.to_be_bytes());
    let ip_len = (f.len() - 14) as u16;
    let ip = &mut f[14..34];
    ip[0] = 0x45;
    ip[2..4].copy_from_slice(&ip_len.to_be_bytes());
    ip[6] = 0x40; // don't fragment
    ip[8] = 64;
    ip[9] = 17;
    ip[12..16].copy_from_slice(&[10, 0, 0, 1]);
    ip[16..20].copy_from_slice(&[10, 0, 1, 1]);
    let c = ip_checksum(ip);
    ip[10..12].copy_from_slice(&c.to_be_bytes());
    let udp_len = ip_len - 20;
    f[34..36].copy_from_slice(&(10000 + (flow % 50000) as u16).to_be_bytes());
    f[36..38].copy_from_slice(&9u16.to_be_bytes());
    f[38..40].copy_from_slice(&udp_len.to_be_bytes());
    if f.len() >= 50 {
        f[42..50].copy_from_slice(&seq.to_be_bytes());
    }
    f
}

impl Generator {
    pub fn new(cfg: &GenConfig, resume: u64) -> Self {
        let size = cfg.size as usize;
        Self {
            templates: (0..cfg.flows.min(4096)).map(|f| generated_frame(size, f, 0)).collect(),
            size,
            next: resume,
            count: cfg.count,
            rate: cfg.rate,
            started: None,
            first_seq: resume,
        }
    }

    fn done(&self) -> bool {
        self.count != 0 && self.next >= self.count
    }

    /// When frame `next` is due under the rate limit.
    fn due(&mut self) -> Option<Instant> {
        if self.rate == 0 {
            return None;
        }
        let start = *self.started.get_or_insert_with(Instant::now);
        let n = self.next - self.first_seq;
        Some(start + Duration::from_nanos((n as u128 * 1_000_000_000 / self.rate as u128) as u64))
    }

    fn fill(&mut self, buf: &mut [u8]) -> usize {
        let t = &self.templates[(self.next % self.templates.len() as u64) as usize];
        buf[..self.size].copy_from_slice(t);
        if self.size >= 50 {
            buf[42..50].copy_from_slice(&self.next.to_be_bytes());
        }
        self.next += 1;
        self.size
    }
}

/// An AF_PACKET socket bound to one interface.
pub struct PacketSocket {
    fd: i32,
}

const PACKET_IGNORE_OUTGOING: libc::c_int = 23;

impl PacketSocket {
    /// Opens a raw socket on `ifname`, inside network namespace `netns`
    /// (a name under /run/netns) if given: the calling thread moves there.
    pub fn open(ifname: &str, netns: Option<&str>) -> Result<Self, String> {
        if let Some(ns) = netns {
            let path = std::format!("/run/netns/{ns}");
            let f = std::fs::File::open(&path).map_err(|e| std::format!("network namespace {path}: {e}"))?;
            use std::os::fd::AsRawFd;
            // SAFETY: plain system call on an fd we own.
            if unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
                return Err(std::format!("setns({path}): {}", std::io::Error::last_os_error()));
            }
        }
        let proto = (libc::ETH_P_ALL as u16).to_be() as i32;
        // SAFETY: plain system calls; every result is checked.
        unsafe {
            let fd = libc::socket(libc::AF_PACKET, libc::SOCK_RAW | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC, proto);
            if fd < 0 {
                return Err(std::format!("AF_PACKET socket: {}", std::io::Error::last_os_error()));
            }
            let sock = Self { fd };
            let cname = std::ffi::CString::new(ifname).map_err(|_| "bad interface name".to_string())?;
            let index = libc::if_nametoindex(cname.as_ptr());
            if index == 0 {
                return Err(std::format!("interface '{ifname}': {}", std::io::Error::last_os_error()));
            }
            let mut sll: libc::sockaddr_ll = core::mem::zeroed();
            sll.sll_family = libc::AF_PACKET as u16;
            sll.sll_protocol = proto as u16;
            sll.sll_ifindex = index as i32;
            if libc::bind(fd, (&sll as *const libc::sockaddr_ll).cast(), core::mem::size_of_val(&sll) as u32) != 0 {
                return Err(std::format!("bind to '{ifname}': {}", std::io::Error::last_os_error()));
            }
            let one: libc::c_int = 1;
            libc::setsockopt(
                fd,
                libc::SOL_PACKET,
                PACKET_IGNORE_OUTGOING,
                (&one as *const libc::c_int).cast(),
                core::mem::size_of::<libc::c_int>() as u32,
            );
            Ok(sock)
        }
    }

    /// Receives a frame into `buf` without blocking: `Ok(None)` if none is
    /// waiting; a frame longer than `buf` gives `Ok(Some(len > buf.len()))`.
    pub fn recv(&self, buf: &mut [u8]) -> std::io::Result<Option<usize>> {
        // SAFETY: buf is valid for its length.
        let n =
            unsafe { libc::recv(self.fd, buf.as_mut_ptr().cast(), buf.len(), libc::MSG_DONTWAIT | libc::MSG_TRUNC) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            return if e.kind() == std::io::ErrorKind::WouldBlock { Ok(None) } else { Err(e) };
        }
        Ok(Some(n as usize))
    }

    pub fn send(&self, frame: &[u8]) -> std::io::Result<()> {
        // SAFETY: frame is valid for its length.
        let n = unsafe { libc::send(self.fd, frame.as_ptr().cast(), frame.len(), 0) };
        if n < 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    pub fn fd(&self) -> i32 {
        self.fd
    }
}

impl Drop for PacketSocket {
    fn drop(&mut self) {
        // SAFETY: our fd.
        unsafe { libc::close(self.fd) };
    }
}

enum Source {
    Gen(Generator),
    Pcap { reader: PcapReader, file: String, repeat: u32, round: u32 },
    Socket(Rc<PacketSocket>),
    None,
}

enum Sink {
    Count,
    Pcap(PcapWriter),
    Socket(Rc<PacketSocket>),
}

/// A hosted NIC: a source, a sink, rings, and an interrupt if the source
/// waits on the world.
pub struct HostedDevice {
    source: Source,
    sink: Sink,
    posted: VecDeque<DevBuf>,
    tx_done: VecDeque<DevBuf>,
    irq: Option<IrqLine>,
    ended: bool,
    dropped: u64,
    describe: String,
    tx_errors: u64,
}

impl HostedDevice {
    /// Opens the configured device. `resume`: frames the previous
    /// incarnation of this configuration already received (skipped);
    /// `irq_channel`: the channel interrupts are raised on.
    pub fn open(cfg: &DriverConfig, resume: u64, irq_channel: u8) -> Result<Self, String> {
        let mut socket = None;
        let mut describe;
        let source = match &cfg.input {
            Input::Gen(g) => {
                describe = std::format!("gen size={} count={} flows={} rate={}", g.size, g.count, g.flows, g.rate);
                Source::Gen(Generator::new(g, resume))
            }
            Input::Pcap { file, repeat } => {
                describe = std::format!("pcap {file} x{repeat}");
                let mut reader = PcapReader::open(Path::new(file))?;
                let per_round = if resume > 0 { count_records(file)? } else { 0 };
                let (round, skip) = match resume.checked_div(per_round) {
                    Some(r) => (r as u32, resume % per_round),
                    None => (0, 0),
                };
                reader.skip(skip)?;
                Source::Pcap { reader, file: file.clone(), repeat: *repeat, round }
            }
            Input::AfPacket { ifname, netns } => {
                describe = std::format!("af_packet {ifname}");
                if let Some(ns) = netns {
                    describe.push_str(&std::format!(" (netns {ns})"));
                }
                let s = Rc::new(PacketSocket::open(ifname, netns.as_deref())?);
                socket = Some(s.clone());
                Source::Socket(s)
            }
            Input::Virtio => {
                return Err("input=virtio is a device of the seL4 build (virtio-mmio on QEMU's virt board); \
                            hosted inputs: gen, pcap, afpacket"
                    .to_string())
            }
            Input::None => {
                describe = "no input".to_string();
                Source::None
            }
        };
        let sink = match &cfg.output {
            Output::Count => Sink::Count,
            Output::Pcap(path) => {
                describe.push_str(&std::format!(" -> pcap {path}"));
                Sink::Pcap(PcapWriter::append(Path::new(path))?)
            }
            Output::Device => match &socket {
                Some(s) => {
                    describe.push_str(" -> device");
                    Sink::Socket(s.clone())
                }
                None => Sink::Count,
            },
        };
        let needs_irq = matches!(source, Source::Socket(_)) || matches!(&source, Source::Gen(g) if g.rate > 0);
        let irq = if needs_irq { Some(IrqLine::new(Raiser::new(irq_channel)?)) } else { None };
        Ok(Self {
            source,
            sink,
            posted: VecDeque::new(),
            tx_done: VecDeque::new(),
            irq,
            ended: false,
            dropped: 0,
            describe,
            tx_errors: 0,
        })
    }
}

fn arm(irq: &Option<IrqLine>, w: Wait) {
    if let Some(irq) = irq {
        irq.arm(w);
    }
}

fn count_records(file: &str) -> Result<u64, String> {
    let mut r = PcapReader::open(Path::new(file))?;
    r.skip(u64::MAX)
}

impl NetDevice for HostedDevice {
    fn rx_space(&self) -> usize {
        if self.ended {
            0
        } else {
            RX_RING - self.posted.len()
        }
    }

    fn post_rx(&mut self, buf: DevBuf) {
        self.posted.push_back(buf);
    }

    fn poll_rx(&mut self) -> Option<(DevBuf, u16)> {
        loop {
            let b = *self.posted.front()?;
            // SAFETY: a posted buffer of the receive pool, ours until returned.
            let buf = unsafe { core::slice::from_raw_parts_mut(b.ptr, BUFFER_SIZE) };
            let len = match &mut self.source {
                Source::Gen(g) => {
                    if g.done() {
                        self.ended = true;
                        return None;
                    }
                    if let Some(t) = g.due() {
                        if Instant::now() < t {
                            arm(&self.irq, Wait::Until(t));
                            return None;
                        }
                    }
                    g.fill(buf)
                }
                Source::Pcap { reader, file, repeat, round } => match reader.next_into(buf) {
                    Ok(Some(n)) => n,
                    Ok(None) => {
                        *round += 1;
                        if *round >= *repeat {
                            self.ended = true;
                            return None;
                        }
                        match PcapReader::open(Path::new(file.as_str())) {
                            Ok(r) => *reader = r,
                            Err(_) => {
                                self.ended = true;
                                return None;
                            }
                        }
                        continue;
                    }
                    Err(_) => {
                        self.ended = true;
                        return None;
                    }
                },
                Source::Socket(s) => match s.recv(buf) {
                    Ok(Some(n)) => n,
                    Ok(None) => {
                        arm(&self.irq, Wait::Readable(s.fd()));
                        return None;
                    }
                    Err(_) => return None,
                },
                Source::None => return None,
            };
            if len == 0 || len > BUFFER_SIZE {
                self.dropped += 1;
                continue;
            }
            self.posted.pop_front();
            return Some((b, len as u16));
        }
    }

    fn tx_space(&self) -> usize {
        256 - self.tx_done.len().min(256)
    }

    fn post_tx(&mut self, buf: DevBuf, len: u16) {
        // SAFETY: the buffer is the driver's until it comes back from poll_tx.
        let frame = unsafe { core::slice::from_raw_parts(buf.ptr, len as usize) };
        let ok = match &mut self.sink {
            Sink::Count => true,
            Sink::Pcap(w) => w.write_frame(frame).is_ok(),
            Sink::Socket(s) => s.send(frame).is_ok(),
        };
        if !ok {
            self.tx_errors += 1;
        }
        self.tx_done.push_back(buf);
    }

    fn poll_tx(&mut self) -> Option<DevBuf> {
        self.tx_done.pop_front()
    }

    fn flush(&mut self) {
        if let Sink::Pcap(w) = &mut self.sink {
            let _ = w.flush();
        }
    }

    fn input_done(&self) -> bool {
        self.ended
    }

    fn take_posted_rx(&mut self) -> Vec<DevBuf> {
        self.posted.drain(..).collect()
    }

    fn rx_dropped(&self) -> u64 {
        self.dropped
    }

    fn describe(&self) -> String {
        self.describe.clone()
    }
}

/// Boxes the configured hosted device.
pub fn open_device(cfg: &DriverConfig, resume: u64, irq_channel: u8) -> Result<Box<dyn NetDevice>, String> {
    Ok(Box::new(HostedDevice::open(cfg, resume, irq_channel)?))
}
