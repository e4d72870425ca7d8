//! Network domains on the hosted platform (issue 7): the data path end to
//! end, buffer accounting, driver crash and swap, AF_PACKET on a veth pair
//! in a network namespace, and a replay compared against tshark.
//!
//! The PD programs come from the workspace build next to the `capuchin`
//! binary (`make test` builds it first). Runs set the process's
//! environment for `netctl`, so the tests of this file run one at a time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use capuchin::net::sysgen::{examples, system_xml};
use capuchin::net::{pcapgen, run_network, ControlClient, NetRunOptions, NetRunResult, NetStats, Until};
use pd_netdriver::hosted::generated_frame;
use pd_netdriver::hosted::pcap::PcapReader;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn pd_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_BIN_EXE_capuchin")).parent().unwrap().to_path_buf();
    assert!(
        dir.join("netdriver").is_file() && dir.join("vif").is_file(),
        "network PD binaries missing in {}: build the workspace in this profile first (`make test` does)",
        dir.display()
    );
    dir
}

/// A scratch directory removed at the end of the test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Self {
        let d = std::env::temp_dir().join(format!("capuchin-nettest-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Self(d)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn options(system: &str, config: String, control: PathBuf, until: Until) -> NetRunOptions {
    NetRunOptions {
        system: repo().join(system),
        config: Some(config),
        control,
        search_path: vec![pd_dir()],
        until,
        timeout: Some(Duration::from_secs(60)),
        quiet: true,
        stop: None,
        mark: None,
        placement: Vec::new(),
    }
}

fn run(system: &str, config: String, scratch: &Scratch, until: Until) -> (NetRunResult, NetStats) {
    let r = run_network(&options(system, config, scratch.path("ctl.sock"), until)).unwrap();
    assert!(r.done_after.is_some(), "the run did not finish:\n{}", r.transcript());
    assert_eq!(r.outcome.unhandled_faults().count(), 0, "{}", r.transcript());
    let s = r.stats.clone().unwrap();
    (r, s)
}

/// Every VIF's buffers are home (free here or posted to its parent), its
/// processor holds none, and its own consistency check passed.
/// A system running in a thread with its control socket, until stopped.
struct Running {
    control: PathBuf,
    client: ControlClient,
    stop: Arc<AtomicBool>,
    runner: std::thread::JoinHandle<Result<NetRunResult, String>>,
}

impl Running {
    fn start(system: &str, config: String, scratch: &Scratch, until: Until) -> Running {
        let control = scratch.path("ctl.sock");
        let stop = Arc::new(AtomicBool::new(false));
        let mut o = options(system, config, control.clone(), until);
        o.stop = Some(stop.clone());
        let runner = std::thread::spawn(move || run_network(&o));
        let client = ControlClient::connect(&control, Duration::from_secs(10)).unwrap();
        Running { control, client, stop, runner }
    }

    fn ctl(&self) -> &str {
        self.control.to_str().unwrap()
    }

    /// Polls `stats` until `f` holds (30 s at most).
    fn wait_for(&mut self, what: &str, f: &dyn Fn(&NetStats) -> bool) -> NetStats {
        let t = Instant::now();
        loop {
            let s = self.client.stats().unwrap();
            if f(&s) {
                return s;
            }
            assert!(t.elapsed() < Duration::from_secs(30), "timed out waiting for {what}:\n{}", s.table());
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Stops the system (if `until` has not) and returns its result.
    fn finish(self) -> NetRunResult {
        self.stop.store(true, Ordering::SeqCst);
        self.runner.join().unwrap().unwrap()
    }
}

fn assert_pools_home(s: &NetStats) {
    for v in s.of_kind("vif") {
        let c = &v["counters"];
        let g = |k: &str| c[k].as_u64().unwrap();
        assert_eq!(
            g("pool_free") + g("pool_posted"),
            g("pool_total"),
            "{}: buffers not home:\n{}",
            v["name"],
            s.table()
        );
        assert_eq!(g("pool_processor") + g("pool_tx"), 0, "{}:\n{}", v["name"], s.table());
        assert_eq!(g("pool_ok"), 1, "{}: pool invariant", v["name"]);
        assert_eq!(g("bad_desc"), 0, "{}: bad descriptors", v["name"]);
    }
}

#[test]
fn example_systems_match_the_generator() {
    for (path, t) in examples() {
        let committed = std::fs::read_to_string(repo().join(path)).unwrap();
        assert_eq!(committed, system_xml(&t).unwrap(), "{path} is stale: run `capuchin vif sysgen --examples`");
    }
}

#[test]
fn a_relay_vif_forwards_every_generated_frame_in_order() {
    let _g = serial();
    let scratch = Scratch::new("relay");
    let out = scratch.path("out.pcap");
    let n = 20_000u64;
    let config = format!(
        "driver input=gen size=128 count={n} flows=3 output=pcap:{}\n\
         classifier overflow=wait\n\
         vif0 processor=relay\n",
        out.display()
    );
    let (_, s) = run("examples/net/vif-relay.xml", config, &scratch, Until::Drained);
    assert_eq!(s.counter("netdriver", "rx"), n);
    assert_eq!(s.counter("netdriver", "tx"), n);
    assert_eq!(s.counter("vif0", "in"), n);
    assert_eq!(s.dropped(), 0, "{}", s.table());
    assert_pools_home(&s);
    let frames = PcapReader::read_all(&out).unwrap();
    assert_eq!(frames.len() as u64, n);
    for (seq, rec) in frames.iter().enumerate() {
        assert_eq!(rec.data, generated_frame(128, (seq % 3) as u32, seq as u64), "frame {seq}");
    }
}

/// `count` 64-byte generated frames at `rate` per second through a relay
/// VIF to a counter.
fn paced_relay(count: u64, rate: u64) -> String {
    format!(
        "driver input=gen size=64 count={count} rate={rate} output=count\n\
         classifier overflow=wait\nvif0 processor=relay\n"
    )
}

#[test]
fn a_paced_generator_keeps_its_rate() {
    let _g = serial();
    let scratch = Scratch::new("paced");
    // 10,000 frames at 100,000 per second: 0.1 s, woken by the device's
    // interrupt thread between bursts.
    let config = paced_relay(10_000, 100_000);
    let (_, s) = run("examples/net/vif-relay.xml", config, &scratch, Until::Drained);
    assert_eq!(s.counter("netdriver", "tx"), 10_000);
    let span = s.counter("netdriver", "last_tx_ns") - s.counter("netdriver", "first_rx_ns");
    assert!((95_000_000..1_000_000_000).contains(&span), "took {span} ns");
    assert!(s.counter("netdriver", "wakeups") > 10, "paced by interrupts:\n{}", s.table());
}

/// The sample `capuchin bench vif` starts its window at: taken once the
/// driver has sent the mark's frames, with the CPU times of that moment.
#[test]
fn a_run_samples_its_counters_at_the_mark() {
    let _g = serial();
    let scratch = Scratch::new("mark");
    // 20,000 frames at 100,000 per second; the mark at 10,000.
    let config = paced_relay(20_000, 100_000);
    let o = NetRunOptions {
        mark: Some(10_000),
        ..options("examples/net/vif-relay.xml", config, scratch.path("ctl.sock"), Until::Transmitted(20_000))
    };
    let r = run_network(&o).unwrap();
    assert!(r.done_after.is_some(), "the run did not finish:\n{}", r.transcript());
    let (end, m) = (r.stats.clone().unwrap(), r.marked.clone().expect("a sample at the mark"));
    let tx_at_mark = m.stats.counter("netdriver", "tx");
    assert!((10_000..20_000).contains(&tx_at_mark), "sampled at {tx_at_mark} frames");
    // The window's frames took their paced time (the polls are 5 ms apart).
    let frames = end.counter("netdriver", "tx") - tx_at_mark;
    let span = end.counter("netdriver", "last_tx_ns") - m.stats.counter("netdriver", "last_tx_ns");
    let paced = frames * 10_000;
    assert!(span > paced * 9 / 10 && span < paced * 3 / 2, "{frames} frames in {span} ns");
    // CPU times at the mark are a part of the final ones, PD by PD.
    assert!(!m.cpu.is_empty());
    for (pd, ns) in &m.cpu {
        let last = r.cpu.iter().find(|(n, _)| n == pd).map(|(_, t)| *t);
        assert!(last.is_some_and(|t| t >= *ns), "{pd}: {ns} ns at the mark, {last:?} at the end");
    }
}

#[test]
fn no_buffer_leaks_in_a_vif_tree_after_a_long_careless_run() {
    let _g = serial();
    let scratch = Scratch::new("tree");
    let n = 300_000u64;
    // vif0 drops and forgets packets; vif1 splits by port to web (PriQ)
    // and dns (a filter); the classifier drops what no VIF wants. The
    // generator's flows use UDP source ports 10000.. to port 9.
    let config = format!(
        "driver input=gen size=64 count={n} flows=40 output=count\n\
         classifier route udp sport=10000-10009 -> vif0\n\
         classifier route udp sport=10010-10029 -> vif1\n\
         classifier route udp sport=10030-10034 -> tx\n\
         classifier route default -> drop\n\
         vif0 processor=lossy:7,13\n\
         vif1 route udp sport=10010-10019 -> web\n\
         vif1 route default -> dns\n\
         web processor=priq\n\
         dns processor=filter\n\
         dns keep udp sport=10020-10024\n"
    );
    let (_, s) = run("examples/net/vif-tree.xml", config, &scratch, Until::Drained);
    let rx = s.counter("netdriver", "rx");
    assert_eq!(rx, n);
    assert_eq!(s.counter("netdriver", "tx") + s.dropped(), rx, "every frame sent or dropped:\n{}", s.table());
    assert!(s.counter("vif0", "forgotten_reclaimed") > 0, "{}", s.table());
    assert!(s.counter("vif0", "dropped_processor") > 0, "{}", s.table());
    assert!(s.counter("dns", "dropped_processor") > 0, "{}", s.table());
    assert!(s.counter("web", "in") > 0 && s.counter("classifier", "bypass") > 0, "{}", s.table());
    for v in ["vif0", "vif1", "web", "dns"] {
        let c = |k| s.counter(v, k);
        assert_eq!(
            c("in"),
            c("out_tx")
                + c("out_child")
                + c("dropped_processor")
                + c("dropped_route")
                + c("dropped_nobuf")
                + c("forgotten_reclaimed"),
            "{v}: in = out + dropped:\n{}",
            s.table()
        );
    }
    assert_pools_home(&s);
}

#[test]
fn the_driver_restarts_after_a_crash_and_swaps_while_vifs_keep_state() {
    let _g = serial();
    let scratch = Scratch::new("swap");
    let capture = scratch.path("in.pcap");
    let pcap_frames = pcapgen::write(&capture).unwrap() as u64;
    let n = 40_000u64;
    let config = format!(
        "driver input=gen size=64 count={n} flows=2 output=count crash_after=15000\n\
         classifier overflow=wait\n\
         vif0 processor=relay\n"
    );
    let mut sys = Running::start("examples/net/vif-relay.xml", config, &scratch, Until::Stopped);
    // The generator crashes at frame 15000; netctl restarts it and the new
    // driver resumes the same input where the old one stopped.
    let s = sys.wait_for("the generator to finish", &|s| {
        s.counter("netdriver", "input_done") == 1 && s.counter("vif0", "in") == n
    });
    assert_eq!(s.0["crashes"], 1, "{}", s.table());
    assert_eq!(s.counter("netdriver", "rx"), n, "no frame lost or repeated across the crash");
    let vif_starts = s.pd("vif0").unwrap()["starts"].clone();
    // Swap to a pcap replay, with the command-line client.
    let cli = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_capuchin")).arg("vif").args(args).output().unwrap();
        assert!(out.status.success(), "capuchin vif {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let ctl = sys.ctl().to_string();
    let ctl = ctl.as_str();
    // A swap to a driver that cannot start (no such file): netctl goes
    // back to the previous driver, which resumes where it stopped.
    let missing = format!("file={}", scratch.path("missing.pcap").display());
    cli(&["swap", "--control", ctl, "input=pcap", &missing, "output=count"]);
    let s = sys.wait_for("the previous driver to come back", &|s| {
        s.0["crashes"] == 2 && s.counter("netdriver", "input_done") == 1 && s.0["swap_pending"] == false
    });
    assert!(s.pd("netdriver").unwrap()["info"].as_str().unwrap().starts_with("gen"), "{}", s.table());
    assert_eq!(s.counter("netdriver", "rx"), n, "the generator resumed after its last frame");
    let file = format!("file={}", capture.display());
    cli(&["swap", "--control", ctl, "input=pcap", &file, "output=count"]);
    let s = sys.wait_for("the replay to pass vif0", &|s| {
        s.counter("vif0", "in") == n + pcap_frames && s.counter("netdriver", "input_done") == 1
    });
    assert_eq!(s.0["swaps"], 2);
    assert_eq!(s.pd("vif0").unwrap()["starts"], vif_starts, "vif0 was never restarted");
    assert!(s.pd("netdriver").unwrap()["info"].as_str().unwrap().starts_with("pcap"));
    let listing = cli(&["list", "--control", ctl]);
    assert!(listing.contains("vif0") && listing.contains("2 swap(s), 2 crash(es)"), "{listing}");
    // Nothing was dropped, and every buffer is accounted for.
    let _ = sys.client.call("kick");
    let s = sys.wait_for("the transmit path to drain", &|s| {
        s.counter("netdriver", "tx") == n + pcap_frames && s.counter("vif0", "pool_tx") == 0
    });
    assert_eq!(s.dropped(), 0, "{}", s.table());
    assert_pools_home(&s);
    let r = sys.finish();
    assert_eq!(r.outcome.unhandled_faults().count(), 0);
    assert_eq!(r.outcome.faults.len(), 4, "two crashes, two swaps:\n{}", r.transcript());
}

/// A network namespace with a veth pair, removed on drop.
struct Netns {
    name: String,
}

fn ip(args: &[&str]) {
    let st = Command::new("ip").args(args).status().expect("the `ip` command (iproute2) is needed");
    assert!(st.success(), "ip {args:?} failed");
}

impl Netns {
    fn new() -> Self {
        let name = format!("capu-test-{}", std::process::id());
        let _ = Command::new("ip").args(["netns", "del", &name]).status();
        ip(&["netns", "add", &name]);
        let ns = Self { name };
        ip(&["-n", &ns.name, "link", "add", "cva", "type", "veth", "peer", "name", "cvb"]);
        for dev in ["cva", "cvb"] {
            // No IPv6 link-local address: less chatter on the wire (the
            // classifier drops anything but the test's EtherType anyway).
            ip(&["-n", &ns.name, "link", "set", "dev", dev, "addrgenmode", "none"]);
            ip(&["-n", &ns.name, "link", "set", dev, "up"]);
        }
        ns
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.name]).status();
    }
}

#[test]
fn frames_injected_on_a_veth_pair_come_back_through_a_vif() {
    let _g = serial();
    if !rustix::process::geteuid().is_root() {
        eprintln!("skipped: creating a network namespace needs root");
        return;
    }
    let scratch = Scratch::new("veth");
    let ns = Netns::new();
    let n = 2_000u64;
    let config = format!(
        "driver input=afpacket netns={} if=cva output=device\n\
         classifier overflow=wait\n\
         classifier route ethertype=0x88b5 -> vif0\n\
         classifier route default -> drop\n\
         vif0 processor=relay\n",
        ns.name
    );
    let mut sys = Running::start("examples/net/vif-relay.xml", config, &scratch, Until::Transmitted(n));
    let t = Instant::now();
    // Up: the driver has its socket open, the VIF is running.
    loop {
        let s = sys.client.stats().unwrap();
        let drv = s.pd("netdriver").and_then(|p| p["info"].as_str()).unwrap_or("").to_string();
        if drv.starts_with("af_packet") && s.pd("vif0").is_some() {
            break;
        }
        if t.elapsed() > Duration::from_secs(10) {
            sys.stop.store(true, Ordering::SeqCst);
            panic!("the network domains did not start:\n{}", s.table());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // This thread joins the namespace and plays the far end of the wire.
    let sock = pd_netdriver::hosted::PacketSocket::open("cvb", Some(&ns.name)).unwrap();
    let frame = |i: u64| {
        let mut f = vec![0u8; 60 + (i % 200) as usize];
        f[0..6].copy_from_slice(&[0x02, 0, 0, 0, 0, 0xaa]);
        f[6..12].copy_from_slice(&[0x02, 0, 0, 0, 0, 0xbb]);
        f[12..14].copy_from_slice(&0x88b5u16.to_be_bytes());
        f[14..22].copy_from_slice(&i.to_be_bytes());
        f
    };
    let mut got = Vec::new();
    let mut buf = vec![0u8; 2048];
    let mut sent = 0;
    let mut last_progress = Instant::now();
    while (got.len() as u64) < n && last_progress.elapsed() < Duration::from_secs(3) {
        // Keep a window of frames in flight (socket buffers are small).
        while sent < n && sent < got.len() as u64 + 64 {
            sock.send(&frame(sent)).unwrap();
            sent += 1;
        }
        match sock.recv(&mut buf).unwrap() {
            Some(len) if len >= 14 && buf[12..14] == [0x88, 0xb5] => {
                got.push(buf[..len].to_vec());
                last_progress = Instant::now();
            }
            Some(_) => {}
            None => std::thread::sleep(Duration::from_micros(200)),
        }
    }
    if (got.len() as u64) < n {
        sys.stop.store(true, Ordering::SeqCst);
    }
    let r = sys.runner.join().unwrap().unwrap();
    assert_eq!(got.len() as u64, n, "frames back\n{}", r.transcript());
    for (i, f) in got.iter().enumerate() {
        assert_eq!(*f, frame(i as u64), "frame {i} came back changed or out of order");
    }
    let s = r.stats.unwrap();
    assert_eq!(s.counter("vif0", "in"), n);
    drop(ns);
    assert!(!String::from_utf8_lossy(&Command::new("ip").args(["netns", "list"]).output().unwrap().stdout)
        .contains(&format!("capu-test-{}", std::process::id())));
}

/// The frame numbers (1-based) `tshark -Y FILTER` keeps.
fn tshark_keeps(capture: &Path, filter: &str) -> Vec<usize> {
    let out = Command::new("tshark")
        .args(["-n", "-r"])
        .arg(capture)
        .args(["-Y", filter, "-T", "fields", "-e", "frame.number"])
        .output()
        .unwrap_or_else(|e| panic!("tshark is needed for this test (`make test` installs it): {e}"));
    assert!(out.status.success(), "tshark: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| l.trim().parse().unwrap()).collect()
}

#[test]
fn a_filter_vif_keeps_what_tshark_keeps() {
    let _g = serial();
    let scratch = Scratch::new("tshark");
    let capture = scratch.path("capture.pcap");
    let total = pcapgen::write(&capture).unwrap();
    let input = PcapReader::read_all(&capture).unwrap();
    assert_eq!(input.len(), total);
    // (our keep rules, the same rule as a Wireshark display filter)
    let cases = [
        (vec!["udp dport=53"], "udp.dstport == 53"),
        (vec!["tcp dst=10.2.0.0/16", "icmp"], "(tcp && ip.dst == 10.2.0.0/16) || icmp"),
        (vec!["vlan=100", "ipv6 udp", "arp"], "vlan.id == 100 || (ipv6 && udp) || arp"),
        (vec!["port=443", "src=10.1.0.5 sport=50000-50005"], "tcp.port == 443 || udp.port == 443 || (ip.src == 10.1.0.5 && (tcp.srcport >= 50000 && tcp.srcport <= 50005 || udp.srcport >= 50000 && udp.srcport <= 50005))"),
    ];
    for (i, (keep, filter)) in cases.iter().enumerate() {
        let out = scratch.path(&format!("out{i}.pcap"));
        let mut config = format!(
            "driver input=pcap file={} output=pcap:{}\nclassifier overflow=wait\nvif0 processor=filter\n",
            capture.display(),
            out.display()
        );
        for k in keep {
            config.push_str(&format!("vif0 keep {k}\n"));
        }
        let (_, s) = run("examples/net/vif-relay.xml", config, &scratch, Until::Drained);
        assert_eq!(s.counter("netdriver", "rx"), total as u64);
        let expected: Vec<&Vec<u8>> = tshark_keeps(&capture, filter).iter().map(|&n| &input[n - 1].data).collect();
        let got = if out.exists() { PcapReader::read_all(&out).unwrap() } else { Vec::new() };
        assert!(!expected.is_empty(), "filter {filter} keeps nothing: a useless case");
        assert_eq!(got.len(), expected.len(), "{keep:?} vs tshark -Y '{filter}'");
        for (j, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(&g.data, *e, "{keep:?}: frame {j} differs from tshark's");
        }
        assert_pools_home(&s);
    }
}

// ---- Java VIFlets (pd-vif/src/viflet.rs) ----

/// The example VIFlets (examples/vif) and the misbehaving ones (tests/vif),
/// compiled with stock javac against java-l4.jar and packed into one class
/// image, once per test process.
fn viflets() -> PathBuf {
    static IMG: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    IMG.get_or_init(|| {
        let jar = pd_dir().join("java-l4.jar");
        assert!(
            jar.is_file() && pd_dir().join("java-l4.img").is_file(),
            "build the class library first: `make java-l4`"
        );
        let dir = std::env::temp_dir().join(format!("capuchin-nettest-viflets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut cmd = Command::new("javac");
        cmd.args(["--release", "17", "-cp"]).arg(&jar).arg("-d").arg(dir.join("classes"));
        for src in ["examples/vif/vif", "tests/vif/faulty"] {
            for e in std::fs::read_dir(repo().join(src)).unwrap().flatten() {
                cmd.arg(e.path());
            }
        }
        let o = cmd.output().expect("javac (JDK 17) on PATH");
        assert!(o.status.success(), "javac: {}", String::from_utf8_lossy(&o.stderr));
        let (image, _) = capuchin::pack::pack(&[dir.join("classes")]).unwrap();
        let img = dir.join("viflets.img");
        std::fs::write(&img, image).unwrap();
        img
    })
    .clone()
}

fn java(class: &str) -> String {
    format!("processor=java:{class} classes={}", viflets().display())
}

fn output_of(r: &NetRunResult, pd: &str) -> String {
    r.outcome.output.iter().filter(|l| l.pd == pd).map(|l| format!("{}\n", l.line)).collect()
}

#[test]
fn java_viflets_relay_and_prioritise_every_frame() {
    let _g = serial();
    let scratch = Scratch::new("viflet-relay");
    let n = 20_000u64;
    for class in ["vif.RelayVIFlet", "vif.PriQ_VIFlet"] {
        let out = scratch.path(&format!("{class}.pcap"));
        let config = format!(
            "driver input=gen size=128 count={n} flows=3 output=pcap:{}\nclassifier overflow=wait\nvif0 {}\n",
            out.display(),
            java(class)
        );
        let (r, s) = run("examples/net/vif-relay.xml", config, &scratch, Until::Drained);
        assert_eq!(s.counter("vif0", "in"), n, "{}", r.transcript());
        assert_eq!(s.counter("vif0", "out_tx"), n, "{}", r.transcript());
        assert_eq!(s.counter("vif0", "processor_faults"), 0, "{}", r.transcript());
        // The JIT's default tiering compiled Batch's loops, with the
        // handlers compiled too or inlined into them (qemu_net::check_counts).
        assert!(s.counter("vif0", "jit_methods") >= 2, "{class}: {}", s.table());
        assert_eq!(s.dropped(), 0);
        assert_pools_home(&s);
        // One UDP flow class: both keep the generator's order, byte for byte.
        let frames = PcapReader::read_all(&out).unwrap();
        assert_eq!(frames.len() as u64, n);
        for (seq, rec) in frames.iter().enumerate() {
            assert_eq!(rec.data, generated_frame(128, (seq % 3) as u32, seq as u64), "{class}: frame {seq}");
        }
        if class.contains("PriQ") {
            assert!(output_of(&r, "vif0").contains("Initializing..."), "Figure 2's println:\n{}", r.transcript());
        }
    }
}

#[test]
fn a_filtering_viflet_keeps_what_tshark_keeps() {
    let _g = serial();
    let scratch = Scratch::new("viflet-tshark");
    let capture = scratch.path("capture.pcap");
    let total = pcapgen::write(&capture).unwrap();
    let input = PcapReader::read_all(&capture).unwrap();
    let out = scratch.path("out.pcap");
    let config = format!(
        "driver input=pcap file={} output=pcap:{}\nclassifier overflow=wait\nvif0 {}\n",
        capture.display(),
        out.display(),
        java("vif.DnsFilterVIFlet")
    );
    let (_, s) = run("examples/net/vif-relay.xml", config, &scratch, Until::Drained);
    assert_eq!(s.counter("netdriver", "rx"), total as u64);
    let expected: Vec<&Vec<u8>> =
        tshark_keeps(&capture, "udp.dstport == 53").iter().map(|&n| &input[n - 1].data).collect();
    let got = PcapReader::read_all(&out).unwrap();
    assert!(!expected.is_empty() && expected.len() < total, "a useful case");
    assert_eq!(got.len(), expected.len(), "DnsFilterVIFlet vs tshark -Y 'udp.dstport == 53'");
    for (j, (g, e)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(&g.data, *e, "frame {j} differs from tshark's");
    }
    assert_eq!(s.counter("vif0", "dropped_processor"), (total - expected.len()) as u64);
    assert_pools_home(&s);
}

/// vif0 runs a misbehaving VIFlet on flows 0-7, vif1 a Java relay on the rest.
fn faulty_config(class: &str, policy: &str, n: u64) -> String {
    format!(
        "driver input=gen size=64 count={n} flows=16 output=count\n\
         classifier overflow=wait\n\
         classifier route udp sport=10000-10007 -> vif0\n\
         classifier route default -> vif1\n\
         vif0 {} on_fault={policy} heap=512k budget=20000 max_depth=48\n\
         vif1 {}\n\
         vif1 route default -> tx\n",
        java(class),
        java("vif.RelayVIFlet")
    )
}

#[test]
fn stopped_viflets_leave_their_domain_passing_and_other_vifs_running() {
    let _g = serial();
    let scratch = Scratch::new("viflet-guards");
    let n = 20_000u64;
    let cases = [
        ("faulty.Loop", "call budget exhausted"),
        ("faulty.Deep", "java.lang.StackOverflowError"),
        ("faulty.Throw", "java.lang.IllegalStateException: packet 1000 is one too many"),
        ("faulty.Hog", "java.lang.OutOfMemoryError"),
        ("faulty.Twice", "is already in a Queue"),
    ];
    for (class, why) in cases {
        let (r, s) = run("examples/net/vif-tree.xml", faulty_config(class, "pass", n), &scratch, Until::Drained);
        let log = output_of(&r, "vif0");
        assert_eq!(s.counter("vif0", "processor_faults"), 1, "{class}:\n{}", r.transcript());
        assert!(log.contains("VIFlet stopped") && log.contains(why), "{class}: expected '{why}' in:\n{log}");
        assert!(log.contains("passing packets through"), "{log}");
        let info = s.pd("vif0").unwrap()["info"].as_str().unwrap().to_string();
        assert!(info.starts_with(&format!("java:{class} stopped, passing: ")), "vif list shows it: {info}");
        // pass: nothing lost, in vif0 or anywhere.
        let half = s.counter("vif0", "in");
        assert!(half > 1000 && half < n, "{class}: vif0 got {half}");
        assert_eq!(s.counter("vif0", "out_tx"), half, "{class}:\n{}", s.table());
        assert_eq!(s.counter("vif1", "processor_faults"), 0, "{class}: vif1 unaffected");
        assert_eq!(s.counter("vif1", "out_tx"), n - half, "{class}:\n{}", s.table());
        assert_eq!(s.counter("netdriver", "tx"), n, "{class}:\n{}", s.table());
        assert_pools_home(&s);
    }
    // drop: what the VIFlet held and everything after is dropped, and counted.
    let (r, s) = run("examples/net/vif-tree.xml", faulty_config("faulty.Throw", "drop", n), &scratch, Until::Drained);
    assert!(output_of(&r, "vif0").contains("dropping packets"), "{}", r.transcript());
    let c = |k| s.counter("vif0", k);
    assert!(c("out_tx") > 0 && c("out_tx") < 1000, "relayed until the fault at packet 1000:\n{}", s.table());
    assert_eq!(c("out_tx") + c("dropped_processor"), c("in"), "{}", s.table());
    assert_eq!(s.counter("vif1", "out_tx"), n - c("in"));
    assert_pools_home(&s);
}

#[test]
fn no_buffer_leaks_with_java_viflets_after_a_long_careless_run() {
    let _g = serial();
    let scratch = Scratch::new("viflet-leaks");
    let n = 300_000u64;
    // vif0 forgets every 64th packet in an abandoned Queue; vif1 splits to
    // web (000's PriQ_VIFlet) and dns (a filtering VIFlet that drops all
    // but DNS, which the generator never sends: it drops everything).
    let config = format!(
        "driver input=gen size=64 count={n} flows=32 output=count\n\
         classifier overflow=wait\n\
         classifier route udp sport=10000-10015 -> vif0\n\
         classifier route default -> vif1\n\
         vif0 {}\n\
         vif1 route udp sport=10016-10023 -> web\n\
         vif1 route default -> dns\n\
         web {}\n\
         dns {}\n",
        java("faulty.Forget"),
        java("vif.PriQ_VIFlet"),
        java("vif.DnsFilterVIFlet")
    );
    let (r, s) = run("examples/net/vif-tree.xml", config, &scratch, Until::Drained);
    assert_eq!(s.counter("netdriver", "rx"), n);
    assert!(s.counter("vif0", "forgotten_reclaimed") > 0, "{}", r.transcript());
    assert_eq!(s.counter("dns", "dropped_processor"), s.counter("dns", "in"));
    assert!(s.counter("web", "out_tx") > 0 && s.counter("web", "out_tx") == s.counter("web", "in"));
    for v in ["vif0", "vif1", "web", "dns"] {
        let c = |k| s.counter(v, k);
        assert_eq!(c("processor_faults"), 0, "{v}:\n{}", r.transcript());
        assert_eq!(
            c("in"),
            c("out_tx")
                + c("out_child")
                + c("dropped_processor")
                + c("dropped_route")
                + c("dropped_nobuf")
                + c("forgotten_reclaimed")
                + c("held"),
            "{v}: in = out + dropped + held:\n{}",
            s.table()
        );
        // What the processor holds is all it has; everything else is home.
        assert_eq!(c("pool_processor"), c("held"), "{v}:\n{}", s.table());
        assert_eq!(c("pool_tx"), 0, "{v}");
        assert_eq!(c("pool_ok"), 1, "{v}");
    }
    // Forget leaves at most a pool's worth in Queues nobody has collected yet.
    assert!(s.counter("vif0", "held") < s.counter("vif0", "pool_total"));
    assert_eq!(s.counter("netdriver", "tx") + s.dropped() + s.vif_sum("held"), n, "{}", s.table());
}

#[test]
fn a_viflet_is_loaded_and_replaced_in_a_running_vif_without_losing_a_packet() {
    let _g = serial();
    let scratch = Scratch::new("viflet-load");
    let classes = format!("classes={}", viflets().display());
    let n = 100_000u64;
    let out = scratch.path("out.pcap");
    // Paced, so the swaps happen while frames keep arriving.
    let config = format!(
        "driver input=gen size=64 count={n} flows=1 rate=100000 output=pcap:{}\n\
         classifier overflow=wait\n\
         vif0 processor=relay\n",
        out.display()
    );
    let mut sys = Running::start("examples/net/vif-relay.xml", config, &scratch, Until::Stopped);
    let ctl = sys.ctl().to_string();
    let load = |settings: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_capuchin"))
            .args(["vif", "load", "--control", &ctl, "vif0"])
            .args(settings)
            .output()
            .unwrap()
    };
    let loaded = |settings: &[&str]| {
        let out = load(settings);
        assert!(out.status.success(), "capuchin vif load: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // A refused load fails `capuchin vif load` with the reason; the old
    // VIFlet keeps running.
    let refused = |settings: &[&str], why: &str| {
        let out = load(settings);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{settings:?} loaded");
        assert!(err.contains(why), "{settings:?}: expected '{why}' in: {err}");
        assert!(err.contains("java:vif.PriQ_VIFlet keeps running") || !why.starts_with("VIFlet"), "{err}");
    };
    // Bad images: cut short, not an image, larger than the region.
    let image = std::fs::read(viflets()).unwrap();
    let (short, junk, huge) = (scratch.path("short.img"), scratch.path("junk.img"), scratch.path("huge.img"));
    std::fs::write(&short, &image[..image.len() / 2]).unwrap();
    std::fs::write(&junk, b"not a class image at all").unwrap();
    std::fs::write(&huge, vec![0u8; capuchin::net::sysgen::VIFLET_IMAGE_SIZE as usize]).unwrap();
    let classes_of = |p: &std::path::Path| format!("classes={}", p.display());
    sys.wait_for("traffic", &|s| s.counter("vif0", "in") > 10_000);
    // Rust relay -> Java relay -> 000's PriQ_VIFlet, mid-stream, the image
    // travelling as bytes through vif0's viflet_image region.
    let said = loaded(&["processor=java:vif.RelayVIFlet", &classes]);
    assert!(
        said.contains("processor replaced by java:vif.RelayVIFlet") && said.contains("viflet_image region"),
        "{said}"
    );
    let s = sys.client.stats().unwrap();
    assert_eq!(s.counter("vif0", "processor_swaps"), 1, "the swap is done when load returns");
    assert!(s.counter("vif0", "in") < n, "swapped while frames were still arriving");
    sys.wait_for("more traffic", &|s| s.counter("vif0", "in") > 40_000);
    loaded(&["processor=java:vif.PriQ_VIFlet", &classes]);
    assert_eq!(sys.client.stats().unwrap().counter("vif0", "processor_swaps"), 2);
    // Loads that cannot succeed leave the running one in place.
    refused(&["processor=java:vif.NoSuchVIFlet", &classes], "VIFlet image has no class vif.NoSuchVIFlet");
    refused(&["processor=java:vif.RelayVIFlet", &classes_of(&short)], "VIFlet image:");
    refused(&["processor=java:vif.RelayVIFlet", &classes_of(&junk)], "VIFlet image:");
    refused(&["processor=java:faulty.NotAVIFlet", &classes], "faulty.NotAVIFlet does not extend capuchin.vif.VIFlet");
    refused(&["processor=java:faulty.Faulty", &classes], "faulty.Faulty.<init>: ");
    refused(&["processor=java:vif.RelayVIFlet", &classes_of(&huge)], "viflet_image region holds at most");
    refused(&["processor=java:vif.RelayVIFlet", "classes=/nonexistent.img"], "classes=/nonexistent.img");
    // The file form is gone: netctl takes image bytes only.
    let mut raw = ControlClient::connect(&sys.control, Duration::from_secs(1)).unwrap();
    let e = raw.call(&format!("load vif0 processor=java:vif.RelayVIFlet {classes}")).unwrap_err();
    assert!(e.contains("travels as bytes"), "{e}");
    let e = raw.call("load nosuchvif processor=relay").unwrap_err();
    assert!(e.contains("no VIF domain 'nosuchvif'"), "{e}");
    // The refused images went into the region's other slot: a load
    // without bytes still finds the image PriQ came from, and takes
    // another class of it.
    let said = loaded(&["processor=java:vif.RelayVIFlet"]);
    assert!(said.contains("processor replaced by java:vif.RelayVIFlet"), "{said}");
    let s = sys.wait_for("the generator to finish", &|s| {
        s.counter("netdriver", "input_done") == 1 && s.counter("netdriver", "tx") == n
    });
    assert_eq!(s.counter("vif0", "processor_swaps"), 3, "{}", s.table());
    assert_eq!(s.pd("vif0").unwrap()["info"].as_str().unwrap(), "java:vif.RelayVIFlet");
    assert_eq!(s.counter("vif0", "processor_faults"), 0, "{}", s.table());
    assert_eq!(s.counter("vif0", "in"), n);
    assert_eq!(s.counter("vif0", "out_tx"), n);
    assert_eq!(s.dropped(), 0, "{}", s.table());
    // The refusals put the configuration back each time.
    let config = raw.call("config").unwrap()["config"].as_str().unwrap().to_string();
    let vif0: Vec<&str> = config.lines().filter(|l| l.starts_with("vif0 ")).collect();
    assert_eq!(vif0.len(), 4, "boot, two loads with images, one without:\n{config}");
    assert!(vif0[3].contains("processor=java:vif.RelayVIFlet") && !vif0[3].contains("image="), "{config}");
    let r = sys.finish();
    let log = output_of(&r, "vif0");
    assert!(log.contains("processor replaced by java:vif.RelayVIFlet"), "{log}");
    assert!(log.contains("processor replaced by java:vif.PriQ_VIFlet"), "{log}");
    assert!(log.contains("processor not replaced") && log.contains("no class vif.NoSuchVIFlet"), "{log}");
    // Every frame once, in order, across the three swaps and the refusals.
    let frames = PcapReader::read_all(&out).unwrap();
    assert_eq!(frames.len() as u64, n);
    for (seq, rec) in frames.iter().enumerate() {
        assert_eq!(rec.data, generated_frame(64, 0, seq as u64), "frame {seq}");
    }
}

/// The system and configuration `make qemu-net` boots on seL4, on the
/// hosted platform: the frames `capuchin vif qemu` sends, replayed from a
/// capture (the driver line swapped for a pcap replay, lossless), end with
/// the counters and output the QEMU test requires.
#[test]
fn the_qemu_net_system_gives_the_same_counts_hosted() {
    use capuchin::net::qemu_net::{check_counts, expected, frame, seq_of};
    use pd_netdriver::config::{with_driver_line, NetConfig};
    use pd_netdriver::hosted::pcap::PcapWriter;
    let _g = serial();
    let scratch = Scratch::new("qemu-net");
    let text = std::fs::read_to_string(repo().join("examples/net/virtio.conf")).unwrap();
    let cfg = NetConfig::parse(&text).unwrap();
    let n = cfg.driver.report_after.unwrap();
    let frames: Vec<Vec<u8>> = (0..n).map(frame).collect();
    let (exp, fates) = expected(&cfg, &frames).unwrap();
    let (input, out) = (scratch.path("in.pcap"), scratch.path("out.pcap"));
    let mut w = PcapWriter::create(&input).unwrap();
    for f in &frames {
        w.write_frame(f).unwrap();
    }
    w.flush().unwrap();
    drop(w);
    let mut config =
        with_driver_line(&text, &format!("input=pcap file={} output=pcap:{}", input.display(), out.display()));
    // The replay starts before the VIFs have posted buffers; seL4's
    // priorities order that, here the classifier waits.
    config.push_str("classifier overflow=wait\n");
    // The Java VIFs load from the image their binary embeds on seL4; the
    // hosted binary embeds none, so name the same classes as a file.
    for (name, node) in &cfg.vifs {
        if matches!(node.processor, pd_netdriver::config::ProcessorSpec::Java { .. }) {
            config.push_str(&format!("{name} classes={}\n", viflets().display()));
        }
    }
    assert!(!exp.java.is_empty(), "virtio.conf runs Java VIFlets");
    let (_, s) = run("examples/net/vif-virtio.xml", config, &scratch, Until::Drained);
    let bad = check_counts(&s, &exp);
    assert!(bad.is_empty(), "{bad:?}\n{}", s.table());
    let got = PcapReader::read_all(&out).unwrap();
    assert_eq!(got.len() as u64, exp.back);
    let mut seen = vec![false; frames.len()];
    for g in &got {
        let i = seq_of(&g.data).unwrap() as usize;
        assert!(fates[i].back() && !seen[i], "frame {i}: {:?}", fates[i]);
        assert_eq!(g.data, frames[i], "frame {i} changed");
        seen[i] = true;
    }
}
