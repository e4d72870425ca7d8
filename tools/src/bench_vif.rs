//! `capuchin bench vif`: packet rates through the network domains on the
//! hosted platform, with the synthetic generator, in one run: bypass (the
//! driver's frames go through the classifier's bypass pool straight back
//! to the driver's sink: no VIF) and a Rust relay VIF domain, at 64 and
//! 1500 bytes; and the Java VIFlets on our JVM in `vif0`: a relay
//! (`examples/vif/vif/RelayVIFlet.java`) and 000's PriQ_VIFlet (Figure 2),
//! compiled with javac against `java-l4.jar` and packed for the run.
//!
//! Each row boots `examples/net/vif-relay.xml` with a configuration that
//! routes everything to the bypass or to `vif0`, with `overflow=wait`
//! (lossless back-pressure, so the rates are zero-loss rates). Each row
//! first sends a quarter of its frames again as a warm-up; the measured
//! window starts when the driver has sent those (the domains have started,
//! a Java VIF has booted its VM and compiled its VIFlet) and ends with the
//! last frame sent. Throughput is the window's frames over its time; CPU
//! is the window's run time of every PD process on the data path (/proc
//! schedstat; not netctl, which only answers the harness's polling), so
//! "Mpps per core" is frames per CPU-second of the whole pipeline.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::net::{run_network, NetRunOptions, NetStats, Until};

#[derive(Debug, Clone, Serialize)]
pub struct VifBenchRow {
    /// `bypass`, `rust_relay`, `java_relay_int`/`java_priq_int` (the
    /// VIFlets interpreted) or `java_relay_jit`/`java_priq_jit` (JIT).
    pub path: String,
    pub frame_bytes: u16,
    pub packets: u64,
    pub seconds: f64,
    pub pps: f64,
    pub ns_per_packet: f64,
    pub cpu_seconds: f64,
    pub mpps_per_core: f64,
    /// Throughput relative to bypass at the same frame size.
    pub ratio_to_bypass: f64,
    /// Throughput relative to the Rust relay at the same frame size.
    pub ratio_to_rust_relay: f64,
    /// The same-round ratios to the Rust relay whose median is
    /// `ratio_to_rust_relay`, in round order: their spread is the
    /// measurement's.
    pub rust_relay_ratio_by_round: Vec<f64>,
    pub dropped: u64,
    /// CPU seconds per PD process.
    pub cpu_by_pd: Vec<(String, f64)>,
    /// Event-loop wakeups per 1000 packets, per domain: what notification
    /// suppression and batching leave of one signal per packet and hop.
    pub wakeups_per_1k: Vec<(String, f64)>,
}

#[derive(Debug, Serialize)]
pub struct VifBenchReport {
    pub system: String,
    pub rounds: usize,
    pub cores: usize,
    /// Host core of each pinned PD (empty: Linux placed them).
    pub placement: Vec<(String, usize)>,
    pub rows: Vec<VifBenchRow>,
    /// PriQ_VIFlet's rate over the relay VIFlet's, both compiled, paired
    /// by round like the other ratios: (frame bytes, ratio). Issue 7 asks
    /// for at least 0.9.
    pub priq_vs_relay_viflet: Vec<(u16, f64)>,
}

/// A row: its name, where the classifier sends frames, vif0's processor.
struct Case {
    path: &'static str,
    route: &'static str,
    processor: String,
}

fn config(c: &Case, size: u16, packets: u64) -> String {
    format!(
        "driver input=gen size={size} count={packets} flows=16 output=count\n\
         classifier overflow=wait\n\
         classifier route default -> {}\n\
         vif0 {}\n",
        c.route, c.processor
    )
}

/// Compiles the example VIFlets with javac against `java-l4.jar` (next to
/// the PD binaries) and packs them into a class image for `classes=`.
pub fn example_viflets(search_path: &[PathBuf], out: &Path) -> Result<(), String> {
    let jar = search_path
        .iter()
        .map(|d| d.join("java-l4.jar"))
        .find(|p| p.is_file())
        .ok_or("the VIFlet rows need java-l4.jar and java-l4.img next to the PD binaries: run `make java-l4`")?;
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/vif/vif");
    let classes = out.with_extension("classes");
    let _ = std::fs::remove_dir_all(&classes);
    let mut cmd = std::process::Command::new("javac");
    cmd.args(["--release", "17", "-cp"]).arg(&jar).arg("-d").arg(&classes);
    for e in std::fs::read_dir(&src).map_err(|e| format!("{}: {e}", src.display()))?.flatten() {
        cmd.arg(e.path());
    }
    let o = cmd.output().map_err(|e| format!("javac (JDK 17) is needed for the VIFlet rows: {e}"))?;
    if !o.status.success() {
        return Err(format!("javac failed:\n{}", String::from_utf8_lossy(&o.stderr)));
    }
    let (image, _) = crate::pack::pack(std::slice::from_ref(&classes))?;
    let _ = std::fs::remove_dir_all(&classes);
    std::fs::write(out, image).map_err(|e| format!("{}: {e}", out.display()))
}

/// A row of N measured frames first sends N / WARMUP_DIVISOR more: the
/// window starts at the first poll that finds the driver has transmitted
/// those, so it leaves out the domains' start (a Java VIF boots its VM
/// meanwhile) and the JIT's warm-up.
const WARMUP_DIVISOR: u64 = 4;

/// Where the bench pins the data path's domains on a host of two cores or
/// more: the driver with the transmit virtualiser, the classifier with the
/// VIF it feeds (of three placements tried, the one whose domains overlap
/// most). Left to Linux, each boot places the five processes anew, and
/// same-round ratios spread about twice as far (docs/network.md,
/// "Performance" and "The fifteenth session").
const PLACEMENT: [(&str, usize); 4] = [("netdriver", 0), ("virt_tx", 0), ("classifier", 1), ("vif0", 1)];

/// The bench's placement (`pin`), or none on a single-core host.
fn placement(pin: bool) -> Vec<(String, usize)> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if !pin || cores < 2 {
        return Vec::new();
    }
    PLACEMENT.iter().map(|&(pd, core)| (pd.to_string(), core)).collect()
}

fn one(
    system: &Path,
    search_path: &[PathBuf],
    placement: &[(String, usize)],
    case: &Case,
    size: u16,
    packets: u64,
) -> Result<VifBenchRow, String> {
    let control = std::env::temp_dir().join(format!("capuchin-bench-vif-{}.sock", std::process::id()));
    let warmup = packets / WARMUP_DIVISOR;
    let total = packets + warmup;
    let r = run_network(&NetRunOptions {
        system: system.to_path_buf(),
        config: Some(config(case, size, total)),
        control,
        search_path: search_path.to_vec(),
        until: Until::Transmitted(total),
        timeout: Some(Duration::from_secs(120)),
        quiet: true,
        stop: None,
        mark: Some(warmup),
        placement: placement.to_vec(),
    })?;
    let (Some(s), Some(m)) = (r.stats.as_ref().filter(|_| r.done_after.is_some()), r.marked.as_ref()) else {
        let why = match (&r.monitor_error, r.done_after) {
            (Some(e), _) => format!("lost the control socket: {e}"),
            (None, None) => format!("{:?} before the driver transmitted {total} frames", r.outcome.reason),
            (None, Some(_)) => format!("no sample at the warm-up mark ({warmup} frames)"),
        };
        return Err(format!("the benchmark system did not finish ({why}):\n{}", r.transcript()));
    };
    // The window: from the driver's last transmission as of the mark to its
    // last one (one clock, the driver's; the counters of one snapshot
    // are at most one of its batches apart).
    let driver = |s: &NetStats, c: &str| s.kind_counter("driver", c);
    let seconds = driver(s, "last_tx_ns").saturating_sub(driver(&m.stats, "last_tx_ns")) as f64 / 1e9;
    let tx = driver(s, "tx").saturating_sub(driver(&m.stats, "tx"));
    let cpu_by_pd: Vec<(String, u64)> = r
        .cpu
        .iter()
        .map(|(n, ns)| {
            let before = m.cpu.iter().find(|(b, _)| b == n).map_or(0, |(_, b)| *b);
            (n.clone(), ns.saturating_sub(before))
        })
        .collect();
    // The data path: netctl only answers the harness's polling here.
    let cpu_ns: u64 = cpu_by_pd.iter().filter(|(n, _)| n != "netctl").map(|(_, ns)| ns).sum();
    let pps = tx as f64 / seconds.max(1e-9);
    Ok(VifBenchRow {
        path: case.path.into(),
        frame_bytes: size,
        packets: tx,
        seconds,
        pps,
        ns_per_packet: 1e9 / pps,
        cpu_seconds: cpu_ns as f64 / 1e9,
        mpps_per_core: tx as f64 / (cpu_ns as f64 / 1e9).max(1e-9) / 1e6,
        ratio_to_bypass: 0.0,
        ratio_to_rust_relay: 0.0,
        rust_relay_ratio_by_round: Vec::new(),
        dropped: s.dropped(),
        cpu_by_pd: cpu_by_pd.iter().map(|(n, ns)| (n.clone(), *ns as f64 / 1e9)).collect(),
        wakeups_per_1k: s
            .pds()
            .filter_map(|p| {
                let name = p["name"].as_str()?;
                let w = p["counters"]["wakeups"].as_u64()?.saturating_sub(m.stats.counter(name, "wakeups"));
                Some((name.to_string(), w as f64 * 1000.0 / tx.max(1) as f64))
            })
            .collect(),
    })
}

/// Runs every row `rounds` times (alternating) and keeps the median round
/// of each by throughput; ratios are medians of same-round ratios.
pub fn vif(
    system: &Path,
    search_path: &[PathBuf],
    packets: u64,
    rounds: usize,
    pin: bool,
) -> Result<VifBenchReport, String> {
    let placement = placement(pin);
    let image = std::env::temp_dir().join(format!("capuchin-bench-viflets-{}.img", std::process::id()));
    example_viflets(search_path, &image)?;
    let java = |class_and_settings: &str| format!("processor=java:{class_and_settings} classes={}", image.display());
    let kinds = [
        Case { path: "bypass", route: "tx", processor: "processor=relay".into() },
        Case { path: "rust_relay", route: "vif0", processor: "processor=relay".into() },
        // The VIFlets with the JIT's default tiering (compiled in the first
        // milliseconds of the run), right after the Rust relay they are
        // compared with, and interpreted (jit=off).
        Case { path: "java_relay_jit", route: "vif0", processor: java("vif.RelayVIFlet") },
        Case { path: "java_priq_jit", route: "vif0", processor: java("vif.PriQ_VIFlet") },
        Case { path: "java_relay_int", route: "vif0", processor: java("vif.RelayVIFlet jit=off") },
        Case { path: "java_priq_int", route: "vif0", processor: java("vif.PriQ_VIFlet jit=off") },
    ];
    let cases: Vec<(&Case, u16)> = [64u16, 1500].iter().flat_map(|&s| kinds.iter().map(move |k| (k, s))).collect();
    let mut runs: Vec<Vec<VifBenchRow>> = vec![Vec::new(); cases.len()];
    for _ in 0..rounds.max(1) {
        for (i, (case, size)) in cases.iter().enumerate() {
            // Fewer large frames: the same order of bytes per row.
            let n = if *size > 1000 { (packets / 2).max(1) } else { packets };
            let row = one(system, search_path, &placement, case, *size, n);
            if row.is_err() {
                let _ = std::fs::remove_file(&image);
            }
            runs[i].push(row?);
        }
    }
    let _ = std::fs::remove_file(&image);
    // Ratios are paired: a row's rate over its baseline's in the same round
    // (seconds apart), then the median over rounds. The machine's load
    // drifts over a run, and a ratio of two medians taken in different
    // rounds carries that drift.
    let median = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let index_of = |path: &str, size: u16| cases.iter().position(|(c, s)| c.path == path && *s == size);
    let by_round = |i: usize, base: Option<usize>| -> Vec<f64> {
        base.map_or_else(Vec::new, |b| runs[i].iter().zip(&runs[b]).map(|(r, b)| r.pps / b.pps).collect())
    };
    let paired = |i: usize, base: Option<usize>| if base.is_some() { median(by_round(i, base)) } else { 1.0 };
    let priq_vs_relay_viflet = [64u16, 1500]
        .iter()
        .filter_map(|&size| Some((size, paired(index_of("java_priq_jit", size)?, index_of("java_relay_jit", size)))))
        .collect();
    let ratios: Vec<(f64, f64, Vec<f64>)> = cases
        .iter()
        .enumerate()
        .map(|(i, (_, size))| {
            let relay = index_of("rust_relay", *size);
            (paired(i, index_of("bypass", *size)), paired(i, relay), by_round(i, relay))
        })
        .collect();
    let rows: Vec<VifBenchRow> = runs
        .into_iter()
        .zip(ratios)
        .map(|(mut v, (to_bypass, to_relay, to_relay_by_round))| {
            v.sort_by(|a, b| a.pps.total_cmp(&b.pps));
            let mut row = v.swap_remove(v.len() / 2);
            row.ratio_to_bypass = to_bypass;
            row.ratio_to_rust_relay = to_relay;
            row.rust_relay_ratio_by_round = to_relay_by_round;
            row
        })
        .collect();
    Ok(VifBenchReport {
        system: system.display().to_string(),
        rounds: rounds.max(1),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        placement,
        rows,
        priq_vs_relay_viflet,
    })
}

pub fn print_vif_table(r: &VifBenchReport) {
    println!(
        "{:<15} {:>6} {:>9} {:>10} {:>9} {:>8} {:>10} {:>9} {:>9}",
        "path", "bytes", "packets", "Mpps", "ns/pkt", "cpu s", "Mpps/core", "vs bypass", "vs relay"
    );
    for x in &r.rows {
        println!(
            "{:<15} {:>6} {:>9} {:>10.3} {:>9.1} {:>8.3} {:>10.3} {:>9.3} {:>9.3}",
            x.path,
            x.frame_bytes,
            x.packets,
            x.pps / 1e6,
            x.ns_per_packet,
            x.cpu_seconds,
            x.mpps_per_core,
            x.ratio_to_bypass,
            x.ratio_to_rust_relay
        );
    }
    for x in &r.rows {
        let w: Vec<String> = x.wakeups_per_1k.iter().map(|(n, w)| format!("{n} {w:.1}")).collect();
        println!("  wakeups per 1000 packets, {} {}: {}", x.path, x.frame_bytes, w.join(", "));
    }
    for (size, r) in &r.priq_vs_relay_viflet {
        println!("  PriQ_VIFlet / relay VIFlet (compiled, paired), {size} bytes: {r:.3}");
    }
    for x in r.rows.iter().filter(|x| x.path.starts_with("java_") && x.path.ends_with("_jit")) {
        let v: Vec<String> = x.rust_relay_ratio_by_round.iter().map(|v| format!("{v:.3}")).collect();
        println!("  {} {} / Rust relay, by round: {}", x.path, x.frame_bytes, v.join(" "));
    }
    let pinned = if r.placement.is_empty() {
        "PDs placed by Linux".to_string()
    } else {
        let p: Vec<String> = r.placement.iter().map(|(pd, c)| format!("{pd}@{c}")).collect();
        format!("pinned {}", p.join(" "))
    };
    println!(
        "hosted platform, {} cores, {pinned}, median of {} round(s), ratios the median of same-round ratios; \
         system {}; zero-loss (overflow=wait), dropped: {}",
        r.cores,
        r.rounds,
        r.system,
        r.rows.iter().map(|x| x.dropped).sum::<u64>()
    );
}
