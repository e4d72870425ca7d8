//! `capuchin vif qemu`: the network pipeline on seL4 in QEMU, driven from
//! the host (`make qemu-net`).
//!
//! Boots a Microkit image of a virtio system (`examples/net/vif-virtio.xml`
//! built with the configuration compiled into netctl), gives QEMU's
//! virtio-net device a UDP socket backend on 127.0.0.1 (QEMU receives on
//! one port, sends what the guest transmits to another), and once the
//! driver is up sends `report_after` Ethernet frames of several classes,
//! at most `--window` of them in flight. From the same configuration it
//! works out what must happen to each frame (the classifier's routes, the
//! VIFs' processors and `keep` rules), then checks:
//!
//! * the frames that come back on the host: exactly those expected, each
//!   byte for byte, none twice;
//! * every domain's counters, from netctl's last report (printed when the
//!   driver has received them all and its transmit count moved): driver,
//!   classifier (per route), each VIF (in, out, dropped), virt_tx.
//!
//! Traffic only ever uses 127.0.0.1.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::UdpSocket;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use pd_netdriver::classify::{PacketInfo, TargetName};
use pd_netdriver::config::{Input, NetConfig, ProcessorSpec};
use serde_json::Value;

use super::pcapgen::{eth, ipv4, udp};
use super::NetStats;
use crate::qemu::{classify, qemu_command, LineEvent, QemuArgs};

#[derive(clap::Args, Debug)]
pub struct QemuNetArgs {
    /// The Microkit image (build/sel4/<config>/net/loader.img).
    #[arg(long)]
    pub image: PathBuf,
    /// The network configuration compiled into the image's netctl.
    #[arg(long, default_value = "examples/net/virtio.conf")]
    pub config: PathBuf,
    /// Frames in flight at most (sent, expected back, not yet received);
    /// at most the smallest VIF pool, or the classifier drops (overflow=drop).
    /// Frames the configuration drops are not counted, so about 1.4 times
    /// this many can wait in QEMU's socket while the guest is busy: at 64,
    /// with the interpreted VIFlets, one run in eleven overflowed its 208 KiB
    /// receive buffer (net.core.rmem_default) and lost frames.
    #[arg(long, default_value_t = 32)]
    pub window: usize,
    /// Whole run, seconds.
    #[arg(long, default_value_t = 300.0)]
    pub timeout: f64,
    /// No frame back for this long while some are due: fail.
    #[arg(long, default_value_t = 20.0)]
    pub stall: f64,
    #[arg(long, default_value = "qemu-system-aarch64")]
    pub qemu: String,
    /// Also write the console output to FILE.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Echo the console.
    #[arg(long)]
    pub verbose: bool,
}

/// Where a frame ends up.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fate {
    /// Transmitted by the classifier's bypass.
    Bypass,
    /// Through VIF `name`; `back`: its processor passes it on.
    Vif { name: String, back: bool },
    /// Dropped by a classifier rule.
    Dropped,
}

impl Fate {
    pub fn back(&self) -> bool {
        matches!(self, Fate::Bypass | Fate::Vif { back: true, .. })
    }
}

/// The UDP destination ports the test frames cycle through; with the
/// default configuration: vif0, vif1, vif2, a drop rule, the bypass.
pub const DPORTS: [u16; 5] = [9, 7, 19, 13, 5353];

/// Test frame `i`: Ethernet/IPv4/UDP to the guest's MAC, from port
/// 10000 + (i / 5) % 16 to `DPORTS[i % 5]`, 60 to 1514 bytes, the sequence
/// number `i` first in the payload.
pub fn frame(i: u64) -> Vec<u8> {
    let sport = 10000 + ((i / 5) % 16) as u16;
    let dport = DPORTS[(i % 5) as usize];
    let total = 60 + (i as usize * 97) % 1455; // 60..=1514
    let data_len = total.saturating_sub(14 + 20 + 8).max(8);
    let mut data = Vec::with_capacity(data_len);
    data.extend_from_slice(&i.to_be_bytes());
    while data.len() < data_len {
        data.push((i as usize * 7 + data.len()) as u8);
    }
    let l4 = udp(sport, dport, &data);
    let ip = ipv4([10, 0, 0, 1], [10, 0, 0, 2], 17, i as u16, &[], &l4);
    eth([0x52, 0x54, 0x00, 0x12, 0x34, 0x56], [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef], None, 0x0800, &ip)
}

/// The sequence number of a test frame.
pub fn seq_of(f: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(f.get(42..50)?.try_into().ok()?))
}

/// The Java VIFlets whose behaviour the test knows (examples/vif/vif):
/// each forwards every frame unchanged (the relay in order, 000's
/// PriQ_VIFlet by its four classes, in order within a class).
pub const FORWARDING_VIFLETS: &[&str] = &["vif.RelayVIFlet", "vif.PriQ_VIFlet"];

/// Whether a frame comes back from `processor=java:CLASS`; `None` for a
/// VIFlet the test cannot predict.
fn java_forwards(class: &str) -> Option<bool> {
    let class = class.replace('/', ".");
    FORWARDING_VIFLETS.contains(&class.as_str()).then_some(true)
}

/// What the configuration does to `frame`; an error for configurations
/// the test cannot predict (lossy processors, VIFs with children).
pub fn fate(cfg: &NetConfig, frame: &[u8]) -> Result<(Fate, usize), String> {
    let info = PacketInfo::parse(frame);
    let (target, route) = match cfg.classifier.routes.iter().position(|(r, _)| r.matches(&info)) {
        Some(k) => (cfg.classifier.routes[k].1.clone(), k),
        None => (
            cfg.classifier.default.clone().ok_or("the configuration needs a classifier default route")?,
            cfg.classifier.routes.len(),
        ),
    };
    let f = match target {
        TargetName::Tx => Fate::Bypass,
        TargetName::Drop => Fate::Dropped,
        TargetName::Named(name) => {
            let v = cfg.vif(&name);
            if !v.routes.is_empty() || v.default.is_some() {
                return Err(format!("VIF '{name}' routes to children; the QEMU test only predicts leaf VIFs"));
            }
            let back = match v.processor {
                ProcessorSpec::Relay | ProcessorSpec::PriQ => true,
                ProcessorSpec::Filter => v.keep.iter().any(|r| r.matches(&info)),
                ProcessorSpec::Lossy { .. } => return Err(format!("VIF '{name}': lossy is not predictable here")),
                ProcessorSpec::Java { class } => match java_forwards(&class) {
                    Some(back) => back,
                    None => {
                        return Err(format!(
                            "VIF '{name}': the QEMU test predicts only the example VIFlets {} (they forward \
                             every frame), not java:{class}",
                            FORWARDING_VIFLETS.join(", ")
                        ))
                    }
                },
            };
            Fate::Vif { name, back }
        }
    };
    Ok((f, route))
}

/// Datagrams this network namespace dropped for a full socket receive
/// buffer (`Udp: RcvbufErrors` in /proc/net/snmp), where there is one.
fn udp_rcvbuf_errors() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/net/snmp").ok()?;
    let mut udp = text.lines().filter(|l| l.starts_with("Udp:"));
    let (names, values) = (udp.next()?, udp.next()?);
    let k = names.split_whitespace().position(|n| n == "RcvbufErrors")?;
    values.split_whitespace().nth(k)?.parse().ok()
}

/// Counters the run must end with, by domain.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Expected {
    pub n: u64,
    pub back: u64,
    pub bypass: u64,
    pub dropped_rule: u64,
    pub routes: Vec<u64>,
    /// VIF name: (in, out, dropped by the processor).
    pub vifs: BTreeMap<String, (u64, u64, u64)>,
    /// VIF name: the `info` of a Java VIFlet still running at the end
    /// (`java:CLASS`; a stopped one passing packets on says so there).
    pub java: BTreeMap<String, String>,
    /// Java VIFs whose VIFlet must run compiled by the end: the JIT on
    /// (`jit=`, default tiering) and enough packets (twice the threshold)
    /// for the handlers and `Batch`'s two loops to be compiled.
    pub compiled: Vec<String>,
}

pub fn expected(cfg: &NetConfig, frames: &[Vec<u8>]) -> Result<(Expected, Vec<Fate>), String> {
    let mut e = Expected { routes: vec![0; cfg.classifier.routes.len() + 1], ..Default::default() };
    let mut fates = Vec::new();
    for f in frames {
        let (fate, route) = fate(cfg, f)?;
        e.n += 1;
        e.routes[route] += 1;
        e.back += fate.back() as u64;
        match &fate {
            Fate::Bypass => e.bypass += 1,
            Fate::Dropped => e.dropped_rule += 1,
            Fate::Vif { name, back } => {
                let c = e.vifs.entry(name.clone()).or_default();
                c.0 += 1;
                if *back {
                    c.1 += 1
                } else {
                    c.2 += 1
                }
            }
        }
        fates.push(fate);
    }
    for (name, &(inn, _, _)) in &e.vifs {
        let node = cfg.vif(name);
        if let ProcessorSpec::Java { class } = node.processor {
            e.java.insert(name.clone(), format!("java:{class}"));
            if node.java.jit.is_some_and(|t| inn >= 2 * u64::from(t) + 64) {
                e.compiled.push(name.clone());
            }
        }
    }
    Ok((e, fates))
}

/// The counters of a report against the expectation: the mismatches.
pub fn check_counts(s: &NetStats, e: &Expected) -> Vec<String> {
    let mut bad = Vec::new();
    let mut want = |pd: &str, kind: &str, counter: &str, v: u64| {
        let p = s.of_kind(kind).find(|p| pd.is_empty() || p["name"] == pd);
        let got = p.and_then(|p| p["counters"][counter].as_u64());
        if got != Some(v) {
            let who = if pd.is_empty() { kind } else { pd };
            bad.push(format!("{who}.{counter} = {got:?}, expected {v}"));
        }
    };
    want("", "driver", "rx", e.n);
    want("", "driver", "tx", e.back);
    for c in ["rx_bad_desc", "tx_bad_desc", "rx_dev_dropped"] {
        want("", "driver", c, 0);
    }
    want("", "classifier", "rx", e.n);
    want("", "classifier", "bypass", e.bypass);
    want("", "classifier", "dropped_rule", e.dropped_rule);
    want("", "classifier", "delivered", e.vifs.values().map(|v| v.0).sum());
    for c in ["dropped_nobuf", "bad_desc"] {
        want("", "classifier", c, 0);
    }
    for (k, &hits) in e.routes.iter().enumerate() {
        let name = if k + 1 == e.routes.len() { "route_default".to_string() } else { format!("route{k}") };
        want("", "classifier", &name, hits);
    }
    for (name, &(inn, out, dropped)) in &e.vifs {
        want(name, "vif", "in", inn);
        want(name, "vif", "out_tx", out);
        want(name, "vif", "dropped_processor", dropped);
        for c in ["dropped_nobuf", "bad_desc", "held", "forgotten_reclaimed", "processor_faults"] {
            want(name, "vif", c, 0);
        }
    }
    want("", "virt_tx", "tx", e.back);
    want("", "virt_tx", "returned", e.back);
    for c in ["bad_desc", "driver_bad_return"] {
        want("", "virt_tx", c, 0);
    }
    for (name, info) in &e.java {
        let got = s.of_kind("vif").find(|p| p["name"] == name.as_str()).and_then(|p| p["info"].as_str());
        if got != Some(info.as_str()) {
            bad.push(format!("{name}.info = {got:?}, expected {info:?} (the VIFlet running)"));
        }
    }
    for name in &e.compiled {
        // Batch.enqueueAll and Batch.dequeueAll, whose loops make them hot
        // first. The VIFlet's enqueue and dequeue are compiled as well, or
        // inlined into them if those compile first (then nothing calls
        // them again and they are never compiled themselves: which comes
        // first depends on how many packets each wakeup brings).
        let got = s.counter(name, "jit_methods");
        if got < 2 {
            bad.push(format!(
                "{name}.jit_methods = {got}, expected at least 2 (the VIFlet's batch entry points compiled by the JIT)"
            ));
        }
    }
    bad
}

/// The checks of a run whose driver crashed after `crash_after` frames and
/// was restarted by netctl: the restart happened; the frames lost in it
/// (`lost`) were all in flight around the crash; every domain's counts
/// agree with each other and with what came back; the VIF domains, their
/// VIFlets and their counters lived on (one start each, no fault).
fn check_crash(
    con: &Console,
    s: &NetStats,
    e: &Expected,
    crash_after: u64,
    lost: &[usize],
    received: u64,
    window: usize,
) -> Vec<String> {
    let mut bad = Vec::new();
    let injected = format!("netdriver: injected crash after {crash_after} frames");
    for line in
        [injected.as_str(), "netctl: the driver faulted", "netctl: restarting the driver", "netdriver: start 2 "]
    {
        if !con.seen(line) {
            bad.push(format!("no '{line}' on the console: the driver was not restarted"));
        }
    }
    let near = (crash_after as usize).saturating_sub(3 * window)..crash_after as usize + 3 * window;
    if let Some(f) = lost.iter().find(|f| !near.contains(f)) {
        bad.push(format!("frame {f} was lost, far from the crash after frame {crash_after}"));
    }
    let pd = |name: &str| s.pd(name).cloned().unwrap_or_default();
    let starts = |p: &Value| p["starts"].as_u64();
    if let Some(d) = s.of_kind("driver").next() {
        if starts(d) != Some(2) {
            bad.push(format!("driver.starts = {:?}, expected 2", starts(d)));
        }
    }
    let (drv_rx, drv_tx) = (s.kind_counter("driver", "rx"), s.kind_counter("driver", "tx"));
    if s.kind_counter("classifier", "rx") != drv_rx {
        bad.push(format!("classifier.rx = {}, driver.rx = {drv_rx}", s.kind_counter("classifier", "rx")));
    }
    if drv_tx != received {
        bad.push(format!("driver.tx = {drv_tx}, but {received} frames came back"));
    }
    let (vtx, ret, held) = (
        s.kind_counter("virt_tx", "tx"),
        s.kind_counter("virt_tx", "returned"),
        s.kind_counter("virt_tx", "dropped_in_driver"),
    );
    if vtx != ret + held {
        bad.push(format!("virt_tx.tx = {vtx}, but returned {ret} + dropped_in_driver {held}"));
    }
    for name in e.vifs.keys() {
        let p = pd(name);
        if starts(&p) != Some(1) {
            bad.push(format!(
                "{name}.starts = {:?}, expected 1 (VIF domains live on across a driver crash)",
                starts(&p)
            ));
        }
        for c in ["processor_faults", "dropped_nobuf", "bad_desc"] {
            if p["counters"][c].as_u64() != Some(0) {
                bad.push(format!("{name}.{c} = {:?}, expected 0", p["counters"][c].as_u64()));
            }
        }
    }
    for (name, info) in &e.java {
        let got = pd(name)["info"].as_str().map(str::to_string);
        if got.as_deref() != Some(info.as_str()) {
            bad.push(format!("{name}.info = {got:?}, expected {info:?} (the VIFlet running)"));
        }
    }
    bad
}

/// Collects netctl's `report K {json}` ... `report K end` lines.
#[derive(Default)]
struct Reports {
    current: Vec<Value>,
    last: Option<NetStats>,
    count: u64,
}

impl Reports {
    fn line(&mut self, line: &str) {
        let Some((_, rest)) = line.split_once("netctl: report ") else { return };
        let Some((_, body)) = rest.split_once(' ') else { return };
        if body.trim() == "end" {
            let pds = std::mem::take(&mut self.current);
            self.last = Some(NetStats(serde_json::json!({ "pds": pds })));
            self.count += 1;
        } else if let Ok(v) = serde_json::from_str::<Value>(body.trim()) {
            self.current.push(v);
        }
    }
}

struct Console {
    rx: mpsc::Receiver<Option<String>>,
    log: Option<std::fs::File>,
    verbose: bool,
    lines: Vec<String>,
    faults: Vec<String>,
    /// Driver panics that are the configuration's injected crash
    /// (`crash_after`: one), not faults.
    driver_panics_expected: u32,
    reports: Reports,
    eof: bool,
}

impl Console {
    /// Takes the lines that arrived within `wait`.
    fn pump(&mut self, wait: Duration) {
        let deadline = Instant::now() + wait;
        loop {
            let now = Instant::now();
            let r = if now >= deadline { self.rx.try_recv().ok() } else { self.rx.recv_timeout(deadline - now).ok() };
            match r {
                Some(Some(line)) => {
                    if self.verbose {
                        println!("{line}");
                    }
                    if let Some(f) = self.log.as_mut() {
                        let _ = writeln!(f, "{line}");
                    }
                    if let LineEvent::Fault(name) = classify(&line) {
                        self.faults.push(name);
                    }
                    if line.contains("panicked") {
                        if line.starts_with("netdriver: ") && self.driver_panics_expected > 0 {
                            self.driver_panics_expected -= 1;
                        } else {
                            self.faults.push(line.clone());
                        }
                    }
                    self.reports.line(&line);
                    self.lines.push(line);
                }
                Some(None) => {
                    self.eof = true;
                    return;
                }
                None => return,
            }
        }
    }

    fn seen(&self, text: &str) -> bool {
        self.lines.iter().any(|l| l.contains(text))
    }

    fn check(&self) -> Result<(), String> {
        if let Some(f) = self.faults.first() {
            return Err(format!("a protection domain faulted: {f}"));
        }
        if self.eof {
            return Err("QEMU exited".into());
        }
        Ok(())
    }
}

fn free_udp_port() -> Result<u16, String> {
    let s = UdpSocket::bind("127.0.0.1:0").map_err(|e| format!("udp bind: {e}"))?;
    Ok(s.local_addr().map_err(|e| e.to_string())?.port())
}

pub fn main(a: QemuNetArgs) -> ExitCode {
    match run(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("capuchin vif qemu: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(a: &QemuNetArgs) -> Result<(), String> {
    let text = std::fs::read_to_string(&a.config).map_err(|e| format!("{}: {e}", a.config.display()))?;
    let cfg = NetConfig::parse(&text).map_err(|e| format!("{}: {e}", a.config.display()))?;
    if cfg.driver.input != Input::Virtio {
        return Err(format!("{}: the driver line must say input=virtio", a.config.display()));
    }
    let n = cfg.driver.report_after.ok_or_else(|| {
        format!("{}: the driver line needs report_after=N (the frames the test sends)", a.config.display())
    })?;
    // With crash_after, frames are lost in the crash (see `drive`), so the
    // driver would never count report_after of them: a few windows more
    // are sent so that netctl's reports start.
    let extra = if cfg.driver.crash_after.is_some() { 3 * a.window as u64 } else { 0 };
    let frames: Vec<Vec<u8>> = (0..n + extra).map(frame).collect();
    let (exp, fates) = expected(&cfg, &frames)?;
    if a.window == 0 {
        return Err("--window must be at least 1".into());
    }

    // QEMU receives on `qemu_port`; what the guest transmits comes to `sock`.
    let sock = UdpSocket::bind("127.0.0.1:0").map_err(|e| format!("udp bind: {e}"))?;
    let host_port = sock.local_addr().map_err(|e| e.to_string())?.port();
    let qemu_port = free_udp_port()?;
    let netdev = format!("socket,udp=127.0.0.1:{host_port},localaddr=127.0.0.1:{qemu_port}");
    let qargs = QemuArgs {
        image: a.image.clone(),
        board: "qemu_virt_aarch64".into(),
        qemu: a.qemu.clone(),
        expect: vec![],
        allow_fault: vec![],
        timeout: a.timeout,
        icount: false,
        log: None,
        bench: false,
        netdev: Some(netdev.clone()),
        profile: None,
        profile_anchor: String::new(),
        profile_window: String::new(),
        profile_ranges: vec![],
        profile_addresses: None,
        nm: String::new(),
    };
    let mut cmd = qemu_command(&qargs)?;
    eprintln!("capuchin vif qemu: -netdev {netdev},id=net0; {n} frames, window {}", a.window);
    let mut child = cmd.spawn().map_err(|e| format!("cannot start {}: {e}", a.qemu))?;
    let rx = crate::qemu::console_lines(&mut child);
    let log = match &a.log {
        Some(p) => Some(std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?),
        None => None,
    };
    let mut con = Console {
        rx,
        log,
        verbose: a.verbose,
        lines: vec![],
        faults: vec![],
        driver_panics_expected: u32::from(cfg.driver.crash_after.is_some()),
        reports: Reports::default(),
        eof: false,
    };
    let plan =
        Plan { frames, fates, exp, digest: pd_netdriver::config::digest(&text), crash_after: cfg.driver.crash_after };
    let result = drive(a, &mut con, &sock, qemu_port, &plan);
    let _ = child.kill();
    let _ = child.wait();
    con.pump(Duration::from_millis(100));
    result
}

/// The frames to send, what must become of them, and the configuration's digest.
struct Plan {
    frames: Vec<Vec<u8>>,
    fates: Vec<Fate>,
    exp: Expected,
    digest: u64,
    /// The driver line's `crash_after`: the driver crashes once and
    /// `netctl` restarts it (see [`drive`]).
    crash_after: Option<u64>,
}

/// How long the traffic must stand still, after the crashed driver has
/// started again, before the frames still due count as lost in the crash.
const CRASH_SETTLE: Duration = Duration::from_secs(3);

fn drive(a: &QemuNetArgs, con: &mut Console, sock: &UdpSocket, qemu_port: u16, plan: &Plan) -> Result<(), String> {
    let (frames, fates, exp, digest) = (&plan.frames[..], &plan.fates[..], &plan.exp, plan.digest);
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(a.timeout);
    let over = |what: &str| -> Result<(), String> {
        if Instant::now() >= deadline {
            Err(format!("timeout after {:.0} s {what}", a.timeout))
        } else {
            Ok(())
        }
    };
    // 1. The driver is up, and every domain has started: netctl (the
    // lowest priority) prints its line after its notifications have run
    // them all, so every VIF has posted its buffers to the classifier.
    while !(con.seen("netdriver: start") && con.seen("netctl: configuration published")) {
        con.pump(Duration::from_millis(200));
        con.check()?;
        over("waiting for 'netdriver: start' and 'netctl: configuration published'")?;
    }
    let boot = start.elapsed();
    // The image must carry this very configuration (compiled into netctl).
    let want = format!("digest {digest:#018x}");
    if let Some(l) = con.lines.iter().find(|l| l.contains("netctl: configuration published")) {
        if !l.contains(&format!("{want})")) {
            return Err(format!(
                "the image was built with another configuration than {} ({want}): '{l}'; \
                 rebuild with SEL4_NET_CONFIG={}",
                a.config.display(),
                a.config.display()
            ));
        }
    }
    // 2. Frames out, at most `window` due back at a time.
    sock.set_read_timeout(Some(Duration::from_millis(20))).map_err(|e| e.to_string())?;
    let dest = format!("127.0.0.1:{qemu_port}");
    let mut got = vec![false; frames.len()];
    let (mut due, mut received, mut sent) = (0usize, 0u64, 0usize);
    let mut errors: Vec<String> = Vec::new();
    let mut last_progress = Instant::now();
    let mut buf = vec![0u8; 4096];
    // With `crash_after`, the frames inside the driver or its device when
    // it crashes are lost (the restarted driver resets the device, as on a
    // real NIC): once it has started again and the traffic has settled,
    // the frames still due are counted lost and sending goes on.
    let mut lost_in_crash: Vec<usize> = Vec::new();
    let rcvbuf_errors_before = udp_rcvbuf_errors();
    let t_send = Instant::now();
    while received + (lost_in_crash.len() as u64) < exp.back || sent < frames.len() {
        while sent < frames.len() && due < a.window {
            sock.send_to(&frames[sent], &dest).map_err(|e| format!("send to {dest}: {e}"))?;
            if fates[sent].back() {
                due += 1;
            }
            sent += 1;
        }
        match sock.recv_from(&mut buf) {
            Ok((len, _)) => {
                let f = &buf[..len];
                last_progress = Instant::now();
                match seq_of(f).filter(|&s| (s as usize) < frames.len()) {
                    Some(s) if !fates[s as usize].back() => errors
                        .push(format!("frame {s} came back but should have been dropped ({:?})", fates[s as usize])),
                    Some(s) if got[s as usize] => errors.push(format!("frame {s} came back twice")),
                    Some(s) if f != frames[s as usize].as_slice() => errors.push(format!(
                        "frame {s} came back changed ({} bytes, sent {})",
                        len,
                        frames[s as usize].len()
                    )),
                    Some(s) => {
                        got[s as usize] = true;
                        received += 1;
                        // Counted lost in the crash but only late (it waited
                        // in QEMU): not lost, and no longer due.
                        match lost_in_crash.binary_search(&(s as usize)) {
                            Ok(k) => {
                                lost_in_crash.remove(k);
                            }
                            Err(_) => due -= 1,
                        }
                    }
                    None => errors.push(format!("a {len}-byte frame that is not one of ours came back")),
                }
                if errors.len() >= 20 {
                    return Err(format!("stopped after {} wrong frames:\n  {}", errors.len(), errors.join("\n  ")));
                }
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(e) => return Err(format!("receive: {e}")),
        }
        con.pump(Duration::ZERO);
        con.check()?;
        if plan.crash_after.is_some()
            && lost_in_crash.is_empty()
            && due > 0
            && last_progress.elapsed() > CRASH_SETTLE
            && con.seen("netdriver: start 2 ")
        {
            lost_in_crash = (0..sent).filter(|&i| fates[i].back() && !got[i]).collect();
            eprintln!(
                "capuchin vif qemu: the driver restarted; {} frame(s) lost in the crash: {lost_in_crash:?}",
                lost_in_crash.len()
            );
            due = 0;
            last_progress = Instant::now();
        }
        if last_progress.elapsed().as_secs_f64() > a.stall {
            let missing: Vec<usize> = (0..sent).filter(|&i| fates[i].back() && !got[i]).take(10).collect();
            let lost = match (rcvbuf_errors_before, udp_rcvbuf_errors()) {
                (Some(b), Some(n)) if n > b => format!(
                    "; the host's UDP RcvbufErrors (/proc/net/snmp) rose by {} meanwhile: frames were probably \
                     lost in a socket's receive buffer, not in the guest (try a smaller --window)",
                    n - b
                ),
                _ => String::new(),
            };
            return Err(format!(
                "no frame back for {:.0} s: sent {sent}, received {received} of {}; first missing {missing:?}{lost}",
                a.stall, exp.back
            ));
        }
        over("sending frames")?;
    }
    let traffic = t_send.elapsed();
    // 3. The final report: netctl prints one when the driver's counters
    // move after the last frame; wait for one that has seen every frame out.
    let done = |r: &Option<NetStats>| {
        r.as_ref().is_some_and(|s| match plan.crash_after {
            None => {
                s.kind_counter("driver", "rx") >= exp.n
                    && s.kind_counter("driver", "tx") >= exp.back
                    && s.kind_counter("virt_tx", "returned") >= exp.back
            }
            Some(_) => s.kind_counter("driver", "tx") >= received,
        })
    };
    let t_report = Instant::now();
    while !done(&con.reports.last) && t_report.elapsed() < Duration::from_secs(30) {
        con.pump(Duration::from_millis(200));
        con.check()?;
        over("waiting for netctl's report")?;
    }
    // A moment more: anything arriving late would be an error.
    con.pump(Duration::from_millis(500));
    while let Ok((len, _)) = sock.recv_from(&mut buf) {
        errors.push(format!("a {len}-byte frame (seq {:?}) arrived after the end", seq_of(&buf[..len])));
    }
    con.check()?;
    let Some(stats) = con.reports.last.clone() else {
        errors.insert(0, "netctl printed no report ('netctl: report K ...')".into());
        return Err(summary(&errors));
    };
    println!("{}", stats.table());
    match plan.crash_after {
        None => errors.extend(check_counts(&stats, exp)),
        Some(c) => errors.extend(check_crash(con, &stats, exp, c, &lost_in_crash, received, a.window)),
    }
    println!(
        "qemu-net: boot to driver up {:.1} s; {} frames sent, {} back ({} expected), {} dropped as configured, in {:.1} s \
         ({:.0} frames/s); {} reports",
        boot.as_secs_f64(),
        sent,
        received,
        exp.back,
        exp.n - exp.back,
        traffic.as_secs_f64(),
        sent as f64 / traffic.as_secs_f64().max(1e-9),
        con.reports.count
    );
    for (name, (i, o, d)) in exp.vifs.iter().filter(|_| plan.crash_after.is_none()) {
        println!(
            "qemu-net: {name}: in {i}, out {o}, dropped by its processor {d} (all as expected unless listed below)"
        );
    }
    if errors.is_empty() {
        match plan.crash_after {
            None => println!("qemu-net: OK: every domain's counters and every frame as expected"),
            Some(c) => println!(
                "qemu-net: OK: the driver crashed after {c} frames and was restarted; {} frame(s) in flight lost \
                 in the crash, every other frame back as expected; the counters agree; the VIF domains lived on",
                lost_in_crash.len()
            ),
        }
        Ok(())
    } else {
        Err(summary(&errors))
    }
}

/// The first errors, one a line, and how many more there were.
fn summary(errors: &[String]) -> String {
    let mut s = format!("{} mismatch(es):", errors.len());
    for e in errors.iter().take(12) {
        s.push_str("\n  ");
        s.push_str(e);
    }
    if errors.len() > 12 {
        s.push_str(&format!("\n  ... and {} more", errors.len() - 12));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONF: &str = "driver input=virtio output=device report_after=100\n\
        classifier route udp dport=9 -> vif0\n\
        classifier route udp dport=7 -> vif1\n\
        classifier route udp dport=19 -> vif2\n\
        classifier route udp dport=13 -> drop\n\
        classifier route default -> tx\n\
        vif0 processor=relay\n\
        vif1 processor=filter\n\
        vif1 keep udp sport=10000-10007\n\
        vif2 processor=priq\n";

    #[test]
    fn frames_are_valid_and_numbered() {
        for i in [0u64, 1, 4, 15, 99, 1000] {
            let f = frame(i);
            assert!((60..=1514).contains(&f.len()), "{}", f.len());
            assert_eq!(seq_of(&f), Some(i));
            let p = PacketInfo::parse(&f);
            assert_eq!(p.ports.map(|p| p.1), Some(DPORTS[(i % 5) as usize]));
        }
    }

    #[test]
    fn fates_follow_the_configuration() {
        let cfg = NetConfig::parse(CONF).unwrap();
        let frames: Vec<_> = (0..100).map(frame).collect();
        let (e, fates) = expected(&cfg, &frames).unwrap();
        assert_eq!(e.n, 100);
        assert_eq!(e.routes, vec![20, 20, 20, 20, 20]);
        assert_eq!(e.dropped_rule, 20);
        assert_eq!(e.bypass, 20);
        assert_eq!(e.vifs["vif0"], (20, 20, 0));
        // sport = 10000 + (i / 5) % 16: half of vif1's frames pass its filter.
        let (i1, o1, d1) = e.vifs["vif1"];
        assert_eq!(i1, 20);
        assert_eq!(o1 + d1, 20);
        assert!(o1 > 0 && d1 > 0);
        assert_eq!(e.back, 60 + o1);
        assert_eq!(fates[3], Fate::Dropped);
        let lossy = NetConfig::parse("classifier route default -> v\nv processor=lossy:2,0\n").unwrap();
        assert!(fate(&lossy, &frame(0)).is_err());
        // The example VIFlets forward everything; other Java classes are refused.
        for class in ["vif.RelayVIFlet", "vif/PriQ_VIFlet"] {
            let java = NetConfig::parse(&format!("classifier route default -> v\nv processor=java:{class}\n")).unwrap();
            assert_eq!(fate(&java, &frame(0)).unwrap().0, Fate::Vif { name: "v".into(), back: true });
        }
        let dns = NetConfig::parse("classifier route default -> v\nv processor=java:vif.DnsFilterVIFlet\n").unwrap();
        assert!(fate(&dns, &frame(0)).unwrap_err().contains("not java:vif.DnsFilterVIFlet"));
    }

    #[test]
    fn udp_receive_buffer_errors_are_read_on_linux() {
        // Every Linux network namespace has the counter (0 or more).
        assert!(udp_rcvbuf_errors().is_some());
    }

    #[test]
    fn counts_are_checked() {
        let cfg = NetConfig::parse(CONF).unwrap();
        let frames: Vec<_> = (0..10).map(frame).collect();
        let (e, _) = expected(&cfg, &frames).unwrap();
        let empty = NetStats(serde_json::json!({ "pds": [] }));
        let bad = check_counts(&empty, &e);
        assert!(bad.iter().any(|b| b.starts_with("driver.rx = None")), "{bad:?}");
        let mut r = Reports::default();
        r.line(r#"netctl: report 1 {"kind":"driver","name":"netdriver","counters":{"rx":10}}"#);
        r.line("netctl: report 1 end");
        let s = r.last.unwrap();
        assert_eq!(s.kind_counter("driver", "rx"), 10);
        let bad = check_counts(&s, &e);
        assert!(!bad.iter().any(|b| b.starts_with("driver.rx ")), "{bad:?}");
        assert!(bad.iter().any(|b| b.starts_with("driver.tx = None")), "{bad:?}");
        // A Java VIF must end with its VIFlet running, not stopped and passing.
        let java = NetConfig::parse("classifier route default -> v\nv processor=java:vif.RelayVIFlet\n").unwrap();
        let (e, _) = expected(&java, &frames).unwrap();
        assert_eq!(e.java["v"], "java:vif.RelayVIFlet");
        let report = |info: &str| {
            let mut r = Reports::default();
            r.line(&format!(r#"netctl: report 1 {{"kind":"vif","name":"v","info":"{info}","counters":{{"in":10}}}}"#));
            r.line("netctl: report 1 end");
            check_counts(&r.last.unwrap(), &e)
        };
        assert!(!report("java:vif.RelayVIFlet").iter().any(|b| b.starts_with("v.info")));
        let stopped = report("java:vif.RelayVIFlet stopped, passing: call budget exhausted");
        assert!(stopped.iter().any(|b| b.starts_with("v.info = ")), "{stopped:?}");
        assert!(stopped.iter().any(|b| b.starts_with("v.processor_faults = None")), "{stopped:?}");
        // Enough packets for the default tiering: the VIFlet must be compiled.
        let many: Vec<_> = (0..2200).map(frame).collect();
        let (e, _) = expected(&java, &many).unwrap();
        assert_eq!(e.compiled, ["v"]);
        assert!(check_counts(&s, &e).iter().any(|b| b.starts_with("v.jit_methods = 0")));
        let off =
            NetConfig::parse("classifier route default -> v\nv processor=java:vif.RelayVIFlet jit=off\n").unwrap();
        assert!(expected(&off, &many).unwrap().0.compiled.is_empty());
    }
}
