//! The network configuration: which device the driver runs, how the
//! classifier and each VIF route, which packet processor each VIF runs.
//!
//! system.xml says *what is connected* (regions, channels); this text says
//! *what the domains do* with it, the part sDDF's `sdfgen` bakes into each
//! component's config section. Here `netctl` owns it: it loads it at boot
//! (on the hosted platform from the file `CAPUCHIN_NET_CONFIG` names, else
//! [`DEFAULT_CONFIG`]), publishes it in the read-only `net_config` region,
//! and rewrites the `driver` line to swap the driver. One line per setting:
//!
//! ```text
//! # comment
//! driver input=gen size=64 count=1000000 flows=4 output=count
//! driver input=pcap file=in.pcap output=pcap:out.pcap
//! driver input=afpacket netns=NS if=veth0 output=device
//! driver input=virtio output=device report_after=1000   # seL4, QEMU virt
//! classifier overflow=drop
//! classifier route udp dport=53 -> dns
//! classifier route default -> vif0
//! vif0 processor=relay
//! dns processor=filter
//! dns keep udp src=10.0.0.0/8
//! vif0 route tcp -> web
//! ```

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::classify::{Rule, TargetName};

/// What `netctl` runs when it is given no configuration: the generator
/// through the first VIF and back out, counted.
pub const DEFAULT_CONFIG: &str = "\
driver input=gen size=64 count=100000 flows=4 output=count
classifier route default -> vif0
vif0 processor=relay
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenConfig {
    /// Frame length in bytes, without the FCS (60..=1514).
    pub size: u16,
    /// Frames to generate; 0: without end.
    pub count: u64,
    /// Distinct UDP flows (source ports).
    pub flows: u32,
    /// Frames per second; 0: as fast as buffers come back.
    pub rate: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Gen(GenConfig),
    /// Replay a pcap file `repeat` times, as fast as buffers come back.
    Pcap {
        file: String,
        repeat: u32,
    },
    /// An AF_PACKET socket on interface `ifname`, inside network namespace
    /// `netns` (a name under /run/netns) if given.
    AfPacket {
        ifname: String,
        netns: Option<String>,
    },
    /// A virtio-net device over virtio-mmio (seL4 on QEMU's virt board):
    /// frames arrive from the device and are transmitted back to it.
    Virtio,
    /// No input: the driver only transmits.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Count and discard.
    Count,
    /// Transmit on the input device (AF_PACKET); counted for the others.
    Device,
    /// Append to a pcap file.
    Pcap(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverConfig {
    pub input: Input,
    pub output: Output,
    /// Fault injection: panic after receiving this many frames (first start
    /// of this configuration only).
    pub crash_after: Option<u64>,
    /// After this many frames received, the driver tells `netctl` whenever
    /// its counters move, and `netctl` prints every domain's counters
    /// (how the QEMU test reads them; docs/network.md).
    pub report_after: Option<u64>,
}

impl Default for DriverConfig {
    fn default() -> Self {
        Self { input: Input::None, output: Output::Count, crash_after: None, report_after: None }
    }
}

/// What a classifier or VIF does when the next stage has no free buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overflow {
    /// Drop the packet (sDDF's copier): a slow VIF cannot hold up the others.
    #[default]
    Drop,
    /// Leave it queued until the stage returns buffers (lossless, but one
    /// slow child stalls its siblings): for benchmarks and replays.
    Wait,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ProcessorSpec {
    /// FIFO: every packet enqueued is dequeued.
    #[default]
    Relay,
    /// Keeps the packets that match one of the node's `keep` rules.
    Filter,
    /// Strict priority over four classes, as 000's PriQ_VIFlet.
    PriQ,
    /// Test processor: drops every `drop_every`-th packet and forgets (leaks
    /// the handle of) every `forget_every`-th; 0 disables either.
    Lossy { drop_every: u32, forget_every: u32 },
    /// A Java VIFlet (`processor=java:CLASS`): the class, binary or
    /// internal name, from the node's `classes=` image; see [`JavaSettings`].
    Java { class: String },
}

/// What a VIF does when its VIFlet is stopped by a guard or throws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaultPolicy {
    /// Pass packets on unprocessed (FIFO), the ones the VIFlet held first.
    #[default]
    Pass,
    /// Drop them.
    Drop,
}

/// Where a VIFlet's class image (`capuchin pack`) comes from; the class
/// library comes from the domain, not from here.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ClassSource {
    /// The image the `vif` binary embeds (seL4; no `classes=`/`image=`).
    #[default]
    Embedded,
    /// `classes=FILE`: a file the domain reads at start (hosted only).
    File(String),
    /// `image=N`: the image netctl staged as load N in the VIF's
    /// `viflet_image` region (`capuchin vif load ... classes=IMAGE`;
    /// [`crate::viflet_load`]).
    Staged(u32),
}

/// The JIT tiering default of Java PDs (`capuchin pack --jit`, `capuchin
/// java --jit`): compile a method once it is entered about this hot.
pub const DEFAULT_JIT_THRESHOLD: u32 = 1000;

/// The settings of a Java VIFlet (`vif0 classes=F heap=N budget=N
/// max_depth=N on_fault=pass|drop jit=off|all|N`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaSettings {
    pub classes: ClassSource,
    /// Heap quota of the VIFlet's VM, bytes.
    pub heap: u32,
    /// Calls plus back edges allowed per call of `enqueue`/`dequeue` (and
    /// for the constructor).
    pub budget: u64,
    /// Java frames allowed.
    pub max_depth: u32,
    pub on_fault: FaultPolicy,
    /// `jit=off` (`None`: interpret), `all` (`Some(0)`: compile before the
    /// first run) or `N` (tiered at N); default [`DEFAULT_JIT_THRESHOLD`].
    pub jit: Option<u32>,
}

impl Default for JavaSettings {
    fn default() -> Self {
        // A handler is a few dozen calls and branches per packet; 100,000
        // stops a runaway one within about a millisecond.
        JavaSettings {
            classes: ClassSource::Embedded,
            heap: 1 << 20,
            budget: 100_000,
            max_depth: 64,
            on_fault: FaultPolicy::Pass,
            jit: Some(DEFAULT_JIT_THRESHOLD),
        }
    }
}

/// The configuration of the classifier or of one VIF.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeConfig {
    pub routes: Vec<(Rule, TargetName)>,
    /// `None`: the first child if there is one, else transmit.
    pub default: Option<TargetName>,
    pub overflow: Overflow,
    pub processor: ProcessorSpec,
    pub keep: Vec<Rule>,
    pub java: JavaSettings,
    /// `load=N`: the last `capuchin vif load` request for this VIF (netctl
    /// numbers them; the VIF answers N in its `viflet_status` region).
    pub load_request: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetConfig {
    pub driver: DriverConfig,
    pub classifier: NodeConfig,
    /// VIFs by PD name, in order of first mention.
    pub vifs: Vec<(String, NodeConfig)>,
}

/// A configuration error: line number (1-based) and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub line: usize,
    pub message: String,
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "network config line {}: {}", self.line, self.message)
    }
}

fn num<T: core::str::FromStr>(k: &str, v: &str) -> Result<T, String> {
    v.replace('_', "").parse().map_err(|_| alloc::format!("bad number '{v}' for {k}"))
}

/// Parses the words after `driver`.
pub fn parse_driver(words: &[&str]) -> Result<DriverConfig, String> {
    let mut kv: Vec<(&str, &str)> = Vec::new();
    for w in words {
        let (k, v) = w.split_once('=').ok_or_else(|| alloc::format!("expected key=value, found '{w}'"))?;
        kv.push((k, v));
    }
    let get = |k: &str| kv.iter().rev().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let known = [
        "input",
        "size",
        "count",
        "flows",
        "rate",
        "file",
        "repeat",
        "if",
        "netns",
        "output",
        "crash_after",
        "report_after",
    ];
    if let Some((k, _)) = kv.iter().find(|(k, _)| !known.contains(k)) {
        return Err(alloc::format!("unknown driver setting '{k}'"));
    }
    let input = match get("input").unwrap_or("none") {
        "gen" => {
            let size: u16 = get("size").map(|v| num("size", v)).transpose()?.unwrap_or(64);
            if !(60..=1514).contains(&size) {
                return Err(alloc::format!("size={size}: frames are 60 to 1514 bytes (without FCS)"));
            }
            let flows: u32 = get("flows").map(|v| num("flows", v)).transpose()?.unwrap_or(1);
            Input::Gen(GenConfig {
                size,
                count: get("count").map(|v| num("count", v)).transpose()?.unwrap_or(0),
                flows: flows.max(1),
                rate: get("rate").map(|v| num("rate", v)).transpose()?.unwrap_or(0),
            })
        }
        "pcap" => Input::Pcap {
            file: get("file").ok_or("input=pcap needs file=PATH")?.to_string(),
            repeat: get("repeat").map(|v| num("repeat", v)).transpose()?.unwrap_or(1),
        },
        "afpacket" => Input::AfPacket {
            ifname: get("if").ok_or("input=afpacket needs if=INTERFACE")?.to_string(),
            netns: get("netns").map(|s| s.to_string()),
        },
        "virtio" => Input::Virtio,
        "none" => Input::None,
        other => return Err(alloc::format!("unknown input '{other}' (gen, pcap, afpacket, virtio, none)")),
    };
    let output = match get("output").unwrap_or("count") {
        "count" => Output::Count,
        "device" => Output::Device,
        o => match o.strip_prefix("pcap:") {
            Some(path) if !path.is_empty() => Output::Pcap(path.to_string()),
            _ => return Err(alloc::format!("unknown output '{o}' (count, device, pcap:PATH)")),
        },
    };
    if input == Input::Virtio && output != Output::Device {
        return Err("input=virtio transmits on the device: it needs output=device".to_string());
    }
    let crash_after = get("crash_after").map(|v| num("crash_after", v)).transpose()?;
    let report_after = get("report_after").map(|v| num("report_after", v)).transpose()?;
    Ok(DriverConfig { input, output, crash_after, report_after })
}

fn parse_node_line(node: &mut NodeConfig, words: &[&str]) -> Result<(), String> {
    match words.first().copied() {
        Some("route") => {
            let arrow = words.iter().position(|w| *w == "->").ok_or("route needs '-> TARGET'")?;
            if arrow + 2 != words.len() {
                return Err("route: exactly one target after '->'".to_string());
            }
            let rule = Rule::parse(&words[1..arrow])?;
            let target = TargetName::parse(words[arrow + 1]);
            if rule.tests.is_empty() {
                node.default = Some(target);
            } else {
                node.routes.push((rule, target));
            }
        }
        Some("keep") => node.keep.push(Rule::parse(&words[1..])?),
        Some(_) => {
            for w in words {
                let (k, v) = w.split_once('=').ok_or_else(|| alloc::format!("expected key=value, found '{w}'"))?;
                match k {
                    "overflow" => {
                        node.overflow = match v {
                            "drop" => Overflow::Drop,
                            "wait" => Overflow::Wait,
                            _ => return Err(alloc::format!("overflow={v}: drop or wait")),
                        }
                    }
                    "processor" => node.processor = parse_processor(v)?,
                    "classes" => node.java.classes = ClassSource::File(v.to_string()),
                    "image" => node.java.classes = ClassSource::Staged(num(k, v)?),
                    "load" => node.load_request = num(k, v)?,
                    "jit" => {
                        node.java.jit = match v {
                            "off" => None,
                            "all" => Some(0),
                            n => Some(num(k, n).map_err(|_| alloc::format!("jit={v}: off, all or a threshold"))?),
                        }
                    }
                    "heap" => node.java.heap = parse_size(v)?,
                    "budget" => node.java.budget = num(k, v)?,
                    "max_depth" => node.java.max_depth = num(k, v)?,
                    "on_fault" => {
                        node.java.on_fault = match v {
                            "pass" => FaultPolicy::Pass,
                            "drop" => FaultPolicy::Drop,
                            _ => return Err(alloc::format!("on_fault={v}: pass or drop")),
                        }
                    }
                    _ => return Err(alloc::format!("unknown setting '{k}'")),
                }
            }
        }
        None => {}
    }
    Ok(())
}

/// `1048576`, `512k`, `4m`.
fn parse_size(v: &str) -> Result<u32, String> {
    let (n, mul) = match v.as_bytes().last() {
        Some(b'k' | b'K') => (&v[..v.len() - 1], 1 << 10),
        Some(b'm' | b'M') => (&v[..v.len() - 1], 1 << 20),
        _ => (v, 1),
    };
    let n: u32 = num("heap", n)?;
    n.checked_mul(mul).filter(|&b| b >= 64 << 10).ok_or_else(|| alloc::format!("heap={v}: 64k to 4095m"))
}

fn parse_processor(v: &str) -> Result<ProcessorSpec, String> {
    let (name, args) = v.split_once(':').unwrap_or((v, ""));
    match name {
        "relay" => Ok(ProcessorSpec::Relay),
        "filter" => Ok(ProcessorSpec::Filter),
        "priq" => Ok(ProcessorSpec::PriQ),
        "lossy" => {
            let mut it = args.split(',');
            let drop_every = it.next().filter(|s| !s.is_empty()).map(|s| num("lossy", s)).transpose()?.unwrap_or(0);
            let forget_every = it.next().map(|s| num("lossy", s)).transpose()?.unwrap_or(0);
            Ok(ProcessorSpec::Lossy { drop_every, forget_every })
        }
        "java" if !args.is_empty() => Ok(ProcessorSpec::Java { class: args.to_string() }),
        "java" => Err("processor=java:CLASS: name the VIFlet class".to_string()),
        _ => Err(alloc::format!("unknown processor '{name}' (relay, filter, priq, lossy:D,F, java:CLASS)")),
    }
}

impl NetConfig {
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let mut cfg = NetConfig::default();
        for (i, line) in text.lines().enumerate() {
            let err = |message: String| ConfigError { line: i + 1, message };
            let line = line.split('#').next().unwrap_or("");
            let words: Vec<&str> = line.split_whitespace().collect();
            let Some((&section, rest)) = words.split_first() else { continue };
            match section {
                "driver" => cfg.driver = parse_driver(rest).map_err(err)?,
                "classifier" => parse_node_line(&mut cfg.classifier, rest).map_err(err)?,
                name => {
                    let pos = match cfg.vifs.iter().position(|(n, _)| n == name) {
                        Some(p) => p,
                        None => {
                            cfg.vifs.push((name.to_string(), NodeConfig::default()));
                            cfg.vifs.len() - 1
                        }
                    };
                    parse_node_line(&mut cfg.vifs[pos].1, rest).map_err(err)?;
                }
            }
        }
        Ok(cfg)
    }

    /// The configuration of VIF `name` (defaults if it has no lines).
    pub fn vif(&self, name: &str) -> NodeConfig {
        self.vifs.iter().find(|(n, _)| n == name).map(|(_, c)| c.clone()).unwrap_or_default()
    }
}

/// FNV-1a (64-bit) of a configuration text: netctl prints it at boot, so
/// a test can tell which configuration an image was built with.
pub fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// Replaces the `driver` line(s) of a configuration text.
pub fn with_driver_line(text: &str, driver_words: &str) -> String {
    let mut out = String::new();
    out.push_str("driver ");
    out.push_str(driver_words.trim());
    out.push('\n');
    for line in text.lines() {
        if line.split_whitespace().next() == Some("driver") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_configuration() {
        let c = NetConfig::parse(
            "# test\n\
             driver input=gen size=1500 count=1_000 flows=3 output=pcap:/tmp/x.pcap\n\
             classifier overflow=wait\n\
             classifier route udp dport=53 -> dns   # comment\n\
             classifier route default -> vif0\n\
             vif0 processor=lossy:7,11\n\
             dns processor=filter\n\
             dns keep udp src=10.0.0.0/8\n",
        )
        .unwrap();
        assert_eq!(c.driver.input, Input::Gen(GenConfig { size: 1500, count: 1000, flows: 3, rate: 0 }));
        assert_eq!(c.driver.output, Output::Pcap("/tmp/x.pcap".into()));
        assert_eq!(c.classifier.overflow, Overflow::Wait);
        assert_eq!(c.classifier.routes.len(), 1);
        assert_eq!(c.classifier.default, Some(TargetName::Named("vif0".into())));
        assert_eq!(c.vif("vif0").processor, ProcessorSpec::Lossy { drop_every: 7, forget_every: 11 });
        assert_eq!(c.vif("dns").keep.len(), 1);
        let j = NetConfig::parse(
            "vif1 processor=java:vif.PriQ_VIFlet classes=/x/priq.img heap=2m budget=5000 max_depth=9 on_fault=drop\n",
        )
        .unwrap()
        .vif("vif1");
        assert_eq!(j.processor, ProcessorSpec::Java { class: "vif.PriQ_VIFlet".into() });
        assert_eq!(
            j.java,
            JavaSettings {
                classes: ClassSource::File("/x/priq.img".into()),
                heap: 2 << 20,
                budget: 5000,
                max_depth: 9,
                on_fault: FaultPolicy::Drop,
                jit: Some(DEFAULT_JIT_THRESHOLD),
            }
        );
        assert_eq!(c.vif("nope"), NodeConfig::default());
        // Later settings win: a staged image replaces a file, and back.
        let j = NetConfig::parse("v classes=/a.img\nv image=3 load=7 jit=off\n").unwrap().vif("v");
        assert_eq!((j.java.classes, j.load_request, j.java.jit), (ClassSource::Staged(3), 7, None));
        let j = NetConfig::parse("v image=3 jit=all\nv classes=/b.img jit=50\n").unwrap().vif("v");
        assert_eq!((j.java.classes, j.java.jit), (ClassSource::File("/b.img".into()), Some(50)));
        assert!(NetConfig::parse("v jit=fast\n").unwrap_err().message.contains("off, all or a threshold"));
    }

    #[test]
    fn errors_name_the_line() {
        let e = NetConfig::parse("driver input=gen\nclassifier route udp -> \n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = NetConfig::parse("driver input=gen size=20\n").unwrap_err();
        assert!(e.message.contains("60 to 1514"), "{e}");
        assert!(NetConfig::parse("driver input=tap\n").unwrap_err().message.contains("unknown input"));
        assert!(NetConfig::parse("vif0 processor=jit\n").is_err());
        assert!(NetConfig::parse("vif0 processor=java\n").unwrap_err().message.contains("java:CLASS"));
        assert!(NetConfig::parse("vif0 on_fault=maybe\n").unwrap_err().message.contains("pass or drop"));
        assert!(NetConfig::parse("vif0 heap=1k\n").unwrap_err().message.contains("64k"));
        let e = NetConfig::parse("driver input=virtio output=count\n").unwrap_err();
        assert!(e.message.contains("output=device"), "{e}");
        let c = NetConfig::parse("driver input=virtio output=device report_after=1_000\n").unwrap();
        assert_eq!((c.driver.input, c.driver.report_after), (Input::Virtio, Some(1000)));
    }

    #[test]
    fn the_driver_line_is_replaced() {
        let t = with_driver_line("driver input=gen\nvif0 processor=relay\n", "input=pcap file=a.pcap");
        let c = NetConfig::parse(&t).unwrap();
        assert_eq!(c.driver.input, Input::Pcap { file: "a.pcap".into(), repeat: 1 });
        assert_eq!(c.vif("vif0").processor, ProcessorSpec::Relay);
        assert!(NetConfig::parse(DEFAULT_CONFIG).is_ok());
        assert_eq!(digest(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(digest("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
