//! `capuchin bench ipc`: IPC round trips on the hosted platform against a
//! bare futex ping-pong between two processes, measured in the same run.

use std::os::fd::{AsFd, AsRawFd};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::time::Instant;

use ipc_bindings::hosted::futex;
use serde::Serialize;

use crate::hosted::{self, RunOptions, StopReason};
use crate::sdf;

/// Round-trip statistics in nanoseconds.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct RoundTrip {
    pub samples: u64,
    pub min_ns: u64,
    pub median_ns: u64,
    pub p99_ns: u64,
    pub mean_ns: u64,
}

impl RoundTrip {
    pub fn from_samples(mut s: Vec<u64>) -> Self {
        s.sort_unstable();
        let n = s.len();
        Self {
            samples: n as u64,
            min_ns: s[0],
            median_ns: s[n / 2],
            p99_ns: s[(n * 99 / 100).min(n - 1)],
            mean_ns: s.iter().sum::<u64>() / n as u64,
        }
    }
}

/// The four combinations of 003's Figure 5.6: (name, client PD, server PD)
/// in examples/ipc-bench.xml.
pub const COMBINATIONS: [(&str, &str, &str); 4] = [
    ("rust_rust", "bench_client", "bench_server"),
    ("java_rust", "bench_client_java", "bench_server"),
    ("rust_java", "bench_client_r2j", "bench_server_java"),
    ("java_java", "bench_client_j2j", "bench_server_java"),
];

/// Ratios of the mean round trips of a combination to Rust -> Rust.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Ratios {
    pub java_java_vs_rust_rust: f64,
    pub java_rust_vs_rust_rust: f64,
    pub rust_java_vs_rust_rust: f64,
}

#[derive(Debug, Serialize)]
pub struct IpcBenchReport {
    /// Rounds, each booting the four client/server pairs one after the
    /// other (the order rotating from round to round; the three with a Java
    /// side twice, interpreted and with the JIT), then the futex baseline;
    /// each figure below is the round whose median is the median of the
    /// rounds.
    pub rounds: usize,
    /// PPC round trips (an echo of one i64), client -> server; the Java PDs
    /// interpreted (`CAPUCHIN_JIT=off`).
    pub ppc_rust_rust: RoundTrip,
    pub ppc_java_rust: RoundTrip,
    pub ppc_rust_java: RoundTrip,
    pub ppc_java_java: RoundTrip,
    pub notify_rust_rust: RoundTrip,
    pub futex_baseline: RoundTrip,
    pub ppc_vs_futex_ratio: f64,
    pub notify_vs_futex_ratio: f64,
    /// Java -> Java over Rust -> Rust, mean round trips (target <= 1.25).
    pub java_java_vs_rust_rust_ratio: f64,
    /// Java client -> Rust server over Rust -> Rust, mean round trips
    /// (target <= 1.1).
    pub java_client_vs_rust_client_ratio: f64,
    /// Rust client -> Java server over Rust -> Rust, mean round trips.
    pub java_server_vs_rust_server_ratio: f64,
    /// The same ratios of the medians.
    pub median_ratios: Ratios,
    /// The Java rows again with the JIT at its default threshold
    /// (`CAPUCHIN_JIT=1000`: the warm-up calls run interpreted, resolving
    /// the call sites, and the hot methods are compiled after them).
    pub ppc_java_rust_jit: RoundTrip,
    pub ppc_rust_java_jit: RoundTrip,
    pub ppc_java_java_jit: RoundTrip,
    /// The three ratios above with the JIT (means).
    pub java_java_vs_rust_rust_ratio_jit: f64,
    pub java_client_vs_rust_client_ratio_jit: f64,
    pub java_server_vs_rust_server_ratio_jit: f64,
    /// The same ratios of the medians, with the JIT.
    pub median_ratios_jit: Ratios,
}

/// How the Java PDs of a run execute: the hosted JVM PD takes
/// `CAPUCHIN_JIT` over its image's policy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum JavaMode {
    Interpreted,
    Jit,
}

impl JavaMode {
    fn env(self) -> &'static str {
        // Not `all`: code compiled before its call sites were resolved
        // calls through the generic path (docs/jit.md).
        match self {
            JavaMode::Interpreted => "off",
            JavaMode::Jit => crate::java::DEFAULT_JIT,
        }
    }
}

/// Maps the first word of a shared memfd page; the mapping lives as long as
/// the process.
fn map_futex_word(fd: std::os::fd::BorrowedFd<'_>) -> std::io::Result<&'static AtomicU32> {
    use rustix::mm::{mmap, MapFlags, ProtFlags};
    // SAFETY: a fresh shared mapping of a page-sized memfd, never unmapped.
    let page =
        unsafe { mmap(core::ptr::null_mut(), 4096, ProtFlags::READ | ProtFlags::WRITE, MapFlags::SHARED, fd, 0)? };
    // SAFETY: page-aligned, zero-initialized, and AtomicU32 has no invalid bit patterns.
    Ok(unsafe { &*page.cast::<AtomicU32>() })
}

/// The bare baseline: two processes bouncing one futex word, no framework.
/// The peer is this executable re-run as `capuchin bench futex-peer FD`.
pub fn futex_baseline(rounds: usize, warmup: usize) -> std::io::Result<RoundTrip> {
    let shm = rustix::fs::memfd_create("capuchin:futex-baseline", rustix::fs::MemfdFlags::empty())?;
    rustix::fs::ftruncate(&shm, 4096)?;
    let word = map_futex_word(shm.as_fd())?;
    let mut peer = Command::new(std::env::current_exe()?)
        .args(["bench", "futex-peer", &shm.as_raw_fd().to_string(), &(rounds + warmup).to_string()])
        .spawn()?;
    let mut samples = Vec::with_capacity(rounds);
    for i in 0..rounds + warmup {
        let t0 = Instant::now();
        word.store(1, SeqCst);
        futex::wake(word, 1);
        while word.load(SeqCst) == 1 {
            futex::wait(word, 1);
        }
        if i >= warmup {
            samples.push(t0.elapsed().as_nanos() as u64);
        }
    }
    peer.wait()?;
    Ok(RoundTrip::from_samples(samples))
}

/// The peer side of [`futex_baseline`].
pub fn futex_peer(fd: i32, rounds: usize) -> std::io::Result<()> {
    // SAFETY: the fd was inherited from the benchmark parent.
    let word = map_futex_word(unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) })?;
    for _ in 0..rounds {
        while word.load(SeqCst) == 0 {
            futex::wait(word, 0);
        }
        word.store(0, SeqCst);
        futex::wake(word, 1);
    }
    Ok(())
}

fn parse_bench_line(line: &str) -> Option<(String, RoundTrip)> {
    let json = line.strip_prefix("BENCH ")?;
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let field = |k: &str| v.get(k).and_then(|x| x.as_u64());
    Some((
        v.get("kind")?.as_str()?.to_string(),
        RoundTrip {
            samples: field("samples")?,
            min_ns: field("min_ns")?,
            median_ns: field("median_ns")?,
            p99_ns: field("p99_ns")?,
            mean_ns: field("mean_ns")?,
        },
    ))
}

/// The round whose median is the median over all rounds.
fn median_round(mut rounds: Vec<RoundTrip>) -> RoundTrip {
    rounds.sort_by_key(|r| r.median_ns);
    rounds[rounds.len() / 2]
}

/// `system` reduced to the named PDs and the channels between them.
pub fn subsystem(sys: &sdf::SystemDescription, keep: &[&str]) -> Result<sdf::SystemDescription, String> {
    let mut out = sys.clone();
    let mut map = vec![None; sys.pds.len()];
    out.pds.clear();
    for (i, pd) in sys.pds.iter().enumerate() {
        if keep.contains(&pd.name.as_str()) {
            map[i] = Some(out.pds.len());
            out.pds.push(pd.clone());
        }
    }
    for name in keep {
        if sys.pd_index(name).is_none() {
            return Err(format!("{}: no protection domain '{name}'", sys.file));
        }
    }
    for pd in &mut out.pds {
        pd.parent = match pd.parent {
            Some(p) => Some(map[p].ok_or(format!("'{}' needs its parent PD", pd.name))?),
            None => None,
        };
    }
    out.channels.retain(|c| c.ends.iter().all(|e| map[e.pd].is_some()));
    for c in &mut out.channels {
        for e in &mut c.ends {
            e.pd = map[e.pd].unwrap();
        }
    }
    Ok(out)
}

/// Boots each client of [`COMBINATIONS`] with its server from `system` (the
/// IPC benchmark system) and collects their `BENCH` lines, then measures the
/// futex baseline, `rounds` times alternating, so all see the same machine
/// conditions.
pub fn ipc(system: &std::path::Path, search_path: Vec<PathBuf>, rounds: usize) -> Result<IpcBenchReport, String> {
    let sys = sdf::parse_file(system, &sdf::PlatformConfig::default()).map_err(|e| e.to_string())?;
    let rounds = rounds.max(1);
    let mut ppcs: [Vec<RoundTrip>; 4] = Default::default();
    let mut ppcs_jit: [Vec<RoundTrip>; 4] = Default::default();
    let (mut notifies, mut futexes) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        for k in 0..COMBINATIONS.len() {
            let c = (round + k) % COMBINATIONS.len();
            let (_, client, server) = COMBINATIONS[c];
            // Rust -> Rust has no Java PD: one run is enough.
            let modes: &[JavaMode] =
                if c == 0 { &[JavaMode::Interpreted] } else { &[JavaMode::Interpreted, JavaMode::Jit] };
            for &mode in modes {
                std::env::set_var("CAPUCHIN_JIT", mode.env());
                let results = run_pair(&sys, client, server, &search_path, mode == JavaMode::Jit);
                std::env::remove_var("CAPUCHIN_JIT");
                let results = results?;
                let into = if mode == JavaMode::Jit { &mut ppcs_jit } else { &mut ppcs };
                into[c].push(get_result(&results, client, "ppc")?);
                if c == 0 {
                    notifies.push(get_result(&results, client, "notify")?);
                }
            }
        }
        futexes.push(futex_baseline(50_000, 2_000).map_err(|e| format!("futex baseline: {e}"))?);
    }
    let [rr, jr, rj, jj] = ppcs.map(median_round);
    let [_, jr_jit, rj_jit, jj_jit] = ppcs_jit.map(|v| if v.is_empty() { rr } else { median_round(v) });
    let (notify, futex) = (median_round(notifies), median_round(futexes));
    let mean = |t: &RoundTrip| t.mean_ns as f64 / rr.mean_ns as f64;
    let median = |t: &RoundTrip| t.median_ns as f64 / rr.median_ns as f64;
    Ok(IpcBenchReport {
        rounds,
        ppc_rust_rust: rr,
        ppc_java_rust: jr,
        ppc_rust_java: rj,
        ppc_java_java: jj,
        notify_rust_rust: notify,
        futex_baseline: futex,
        ppc_vs_futex_ratio: rr.median_ns as f64 / futex.median_ns as f64,
        notify_vs_futex_ratio: notify.median_ns as f64 / futex.median_ns as f64,
        java_java_vs_rust_rust_ratio: mean(&jj),
        java_client_vs_rust_client_ratio: mean(&jr),
        java_server_vs_rust_server_ratio: mean(&rj),
        median_ratios: Ratios {
            java_java_vs_rust_rust: median(&jj),
            java_rust_vs_rust_rust: median(&jr),
            rust_java_vs_rust_rust: median(&rj),
        },
        ppc_java_rust_jit: jr_jit,
        ppc_rust_java_jit: rj_jit,
        ppc_java_java_jit: jj_jit,
        java_java_vs_rust_rust_ratio_jit: mean(&jj_jit),
        java_client_vs_rust_client_ratio_jit: mean(&jr_jit),
        java_server_vs_rust_server_ratio_jit: mean(&rj_jit),
        median_ratios_jit: Ratios {
            java_java_vs_rust_rust: median(&jj_jit),
            java_rust_vs_rust_rust: median(&jr_jit),
            rust_java_vs_rust_rust: median(&rj_jit),
        },
    })
}

fn get_result(results: &[(String, String, RoundTrip)], pd: &str, kind: &str) -> Result<RoundTrip, String> {
    results
        .iter()
        .find(|(p, k, _)| p == pd && k == kind)
        .map(|(_, _, r)| *r)
        .ok_or(format!("no '{kind}' result from {pd}"))
}

/// Boots `client` and `server` of `sys` alone until idle; returns the
/// output, or an error with the log if the system did not finish cleanly.
fn boot_pair(
    sys: &sdf::SystemDescription,
    client: &str,
    server: &str,
    search_path: &[PathBuf],
    timeout: std::time::Duration,
) -> Result<hosted::RunOutcome, String> {
    let pair = subsystem(sys, &[server, client])?;
    let opts = RunOptions {
        search_path: search_path.to_vec(),
        exit_when_idle: true,
        timeout: Some(timeout),
        quiet: true,
        stop: None,
        placement: Vec::new(),
    };
    let outcome = hosted::run(&pair, &opts).map_err(|e| e.to_string())?;
    if outcome.reason != StopReason::Idle || outcome.unhandled_faults().next().is_some() || !outcome.faults.is_empty() {
        let log: Vec<String> = outcome.output.iter().map(|l| format!("{} | {}", l.pd, l.line)).collect();
        return Err(format!(
            "benchmark pair {client} -> {server} did not finish cleanly ({:?}, faults {:?}):\n{}",
            outcome.reason,
            outcome.faults,
            log.join("\n")
        ));
    }
    Ok(outcome)
}

/// (PD, kind, round trip) of every `BENCH` line of one pair's run. With
/// `jit`, a Java PD that could not start its JIT (and says so) fails the run
/// instead of reporting interpreted figures as compiled ones.
fn run_pair(
    sys: &sdf::SystemDescription,
    client: &str,
    server: &str,
    search_path: &[PathBuf],
    jit: bool,
) -> Result<Vec<(String, String, RoundTrip)>, String> {
    let outcome = boot_pair(sys, client, server, search_path, std::time::Duration::from_secs(180))?;
    if let Some(l) = outcome.output.iter().find(|l| jit && l.line.contains("JIT off, interpreting")) {
        return Err(format!("benchmark pair {client} -> {server} with the JIT: {} | {}", l.pd, l.line));
    }
    Ok(outcome.output.iter().filter_map(|l| parse_bench_line(&l.line).map(|(k, r)| (l.pd.clone(), k, r))).collect())
}

/// The soak test's figures: what the Java client reported at its checkpoints.
#[derive(Debug, Clone, Serialize)]
pub struct SoakReport {
    pub calls: u64,
    pub seconds: f64,
    pub checkpoints: usize,
    /// The figures must not change from the checkpoint at this many calls on.
    pub stable_from: u64,
    /// The stable figures (at `stable_from` and at the end).
    pub client_live_bytes: u64,
    pub client_handles: u64,
    pub client_handle_slots: u64,
    pub server_live_bytes: u64,
    pub server_handles: u64,
    pub server_handle_slots: u64,
    /// The same at the first checkpoint (before `stable_from`).
    pub first_client_live_bytes: u64,
    pub first_server_live_bytes: u64,
    /// Native allocations of the server from `stable_from` to the end (its
    /// stats requests and collections; the echo calls allocate nothing).
    pub server_native_allocations_after_stable: u64,
    pub mean_call_ns: u64,
}

/// Fields of a `SOAK` line that must stay equal from `stable_from` on.
const SOAK_STABLE: [&str; 6] = [
    "client_live_bytes",
    "client_handles",
    "client_handle_slots",
    "server_live_bytes",
    "server_handles",
    "server_handle_slots",
];

/// The soak test: `calls` echo calls Java -> Java (bench_client_j2j ->
/// bench_server_java of `system`), with live heap (after a collection) and
/// handle tables of both PDs reported every calls/100 calls; they must be
/// the same at every checkpoint from min(1,000,000, calls/10) calls on,
/// and the client's calls must allocate nothing. The Java client checks
/// this too (and faults); this checks its reports. Hosted only: the call
/// count reaches the client through `CAPUCHIN_JAVA_ARGS_bench_client_j2j`.
pub fn soak(system: &std::path::Path, search_path: Vec<PathBuf>, calls: u64) -> Result<SoakReport, String> {
    if calls < 1000 {
        return Err("the soak test needs at least 1000 calls".into());
    }
    let sys = sdf::parse_file(system, &sdf::PlatformConfig::default()).map_err(|e| e.to_string())?;
    let (client, server) = ("bench_client_j2j", "bench_server_java");
    std::env::set_var(format!("CAPUCHIN_JAVA_ARGS_{client}"), format!("soak {calls}"));
    let t0 = Instant::now();
    // Generous: 200 us per call is 20 times what a loaded machine shows.
    let timeout = std::time::Duration::from_secs(120 + calls / 5_000);
    let outcome = boot_pair(&sys, client, server, &search_path, timeout);
    std::env::remove_var(format!("CAPUCHIN_JAVA_ARGS_{client}"));
    let outcome = outcome?;
    let seconds = t0.elapsed().as_secs_f64();
    let log = || outcome.output.iter().map(|l| format!("{} | {}\n", l.pd, l.line)).collect::<String>();
    let lines: Vec<serde_json::Value> = outcome
        .lines_of(client)
        .filter_map(|l| l.strip_prefix("SOAK ").and_then(|j| serde_json::from_str(j).ok()))
        .collect();
    let f = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_u64()).unwrap_or(u64::MAX);
    let Some(last) = lines.last() else {
        return Err(format!("no SOAK lines from {client}:\n{}", log()));
    };
    if f(last, "calls") != calls {
        return Err(format!("the soak client stopped at {} of {calls} calls:\n{}", f(last, "calls"), log()));
    }
    let stable_from = (calls / 10).min(1_000_000);
    let base_ix = lines
        .iter()
        .position(|v| f(v, "calls") >= stable_from)
        .ok_or(format!("no checkpoint at or after {stable_from} calls"))?;
    let base = &lines[base_ix];
    for v in &lines {
        for k in ["client_loop_heap_bytes", "client_loop_native_allocations"] {
            if f(v, k) != 0 {
                return Err(format!("the client's calls allocated ({k} = {}) before call {}", f(v, k), f(v, "calls")));
            }
        }
    }
    for v in &lines[base_ix..] {
        for k in SOAK_STABLE {
            if f(v, k) != f(base, k) {
                return Err(format!(
                    "{k} changed from {} (at {} calls) to {} (at {} calls)",
                    f(base, k),
                    f(base, "calls"),
                    f(v, k),
                    f(v, "calls")
                ));
            }
        }
    }
    let elapsed_ms = f(last, "elapsed_ms");
    Ok(SoakReport {
        calls,
        seconds,
        checkpoints: lines.len(),
        stable_from: f(base, "calls"),
        client_live_bytes: f(base, "client_live_bytes"),
        client_handles: f(base, "client_handles"),
        client_handle_slots: f(base, "client_handle_slots"),
        server_live_bytes: f(base, "server_live_bytes"),
        server_handles: f(base, "server_handles"),
        server_handle_slots: f(base, "server_handle_slots"),
        first_client_live_bytes: f(&lines[0], "client_live_bytes"),
        first_server_live_bytes: f(&lines[0], "server_live_bytes"),
        server_native_allocations_after_stable: f(last, "server_native_allocations")
            .saturating_sub(f(base, "server_native_allocations")),
        mean_call_ns: elapsed_ms.saturating_mul(1_000_000) / calls,
    })
}

pub fn print_soak(r: &SoakReport) {
    println!(
        "soak: {} calls Java -> Java in {:.1} s ({} ns per call with the checkpoints), {} checkpoints",
        r.calls, r.seconds, r.mean_call_ns, r.checkpoints
    );
    println!(
        "stable from {} calls on: client {} live heap bytes, {} handles in {} slots; server {} live heap bytes, {} \
         handles in {} slots (first checkpoint: client {} B, server {} B)",
        r.stable_from,
        r.client_live_bytes,
        r.client_handles,
        r.client_handle_slots,
        r.server_live_bytes,
        r.server_handles,
        r.server_handle_slots,
        r.first_client_live_bytes,
        r.first_server_live_bytes
    );
    println!("client calls allocated nothing (Java or native heap) between checkpoints: ok");
}

pub fn print_ipc_table(r: &IpcBenchReport) {
    println!(
        "{:<34} {:>8} {:>9} {:>9} {:>9} {:>9} {:>8} {:>8}",
        "round trip", "samples", "mean ns", "min ns", "p99 ns", "median", "vs R->R", "vs futex"
    );
    let row = |name: &str, t: &RoundTrip| {
        println!(
            "{:<34} {:>8} {:>9} {:>9} {:>9} {:>9} {:>8.2} {:>8.2}",
            name,
            t.samples,
            t.mean_ns,
            t.min_ns,
            t.p99_ns,
            t.median_ns,
            t.mean_ns as f64 / r.ppc_rust_rust.mean_ns as f64,
            t.median_ns as f64 / r.futex_baseline.median_ns as f64
        );
    };
    row("PPC, Rust client -> Rust server", &r.ppc_rust_rust);
    row("PPC, Java client -> Rust server", &r.ppc_java_rust);
    row("PPC, Rust client -> Java server", &r.ppc_rust_java);
    row("PPC, Java client -> Java server", &r.ppc_java_java);
    row("PPC, Java client -> Rust server, JIT", &r.ppc_java_rust_jit);
    row("PPC, Rust client -> Java server, JIT", &r.ppc_rust_java_jit);
    row("PPC, Java client -> Java server, JIT", &r.ppc_java_java_jit);
    row("notification ping-pong, Rust", &r.notify_rust_rust);
    row("bare futex ping-pong (baseline)", &r.futex_baseline);
    println!(
        "java_java_vs_rust_rust_ratio = {:.3} (target <= 1.25), java_client_vs_rust_client_ratio = {:.3} (target \
         <= 1.1), java_server_vs_rust_server_ratio = {:.3} (means; medians: {:.3}, {:.3}, {:.3})",
        r.java_java_vs_rust_rust_ratio,
        r.java_client_vs_rust_client_ratio,
        r.java_server_vs_rust_server_ratio,
        r.median_ratios.java_java_vs_rust_rust,
        r.median_ratios.java_rust_vs_rust_rust,
        r.median_ratios.rust_java_vs_rust_rust
    );
    println!(
        "with the JIT: java_java_vs_rust_rust_ratio_jit = {:.3}, java_client_vs_rust_client_ratio_jit = {:.3}, \
         java_server_vs_rust_server_ratio_jit = {:.3} (means; medians: {:.3}, {:.3}, {:.3})",
        r.java_java_vs_rust_rust_ratio_jit,
        r.java_client_vs_rust_client_ratio_jit,
        r.java_server_vs_rust_server_ratio_jit,
        r.median_ratios_jit.java_java_vs_rust_rust,
        r.median_ratios_jit.java_rust_vs_rust_rust,
        r.median_ratios_jit.rust_java_vs_rust_rust
    );
    println!(
        "ppc_vs_futex_ratio = {:.3} (target <= 1.2; medians; the median of {} rounds alternating the pairs and the \
         baseline)",
        r.ppc_vs_futex_ratio, r.rounds
    );
}
