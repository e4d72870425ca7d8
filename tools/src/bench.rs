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

#[derive(Debug, Serialize)]
pub struct IpcBenchReport {
    /// Alternating rounds of (benchmark system, futex baseline); each
    /// figure below is the round whose median is the median of the rounds.
    pub rounds: usize,
    pub ppc_rust_rust: RoundTrip,
    pub notify_rust_rust: RoundTrip,
    pub futex_baseline: RoundTrip,
    pub ppc_vs_futex_ratio: f64,
    pub notify_vs_futex_ratio: f64,
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

/// Boots `system` (the IPC benchmark system) and collects its `BENCH`
/// lines, then measures the futex baseline, `rounds` times alternating, so
/// both see the same machine conditions.
pub fn ipc(system: &std::path::Path, search_path: Vec<PathBuf>, rounds: usize) -> Result<IpcBenchReport, String> {
    let (mut ppcs, mut notifies, mut futexes) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        let (ppc, notify) = ipc_system_round(system, &search_path)?;
        ppcs.push(ppc);
        notifies.push(notify);
        futexes.push(futex_baseline(50_000, 2_000).map_err(|e| format!("futex baseline: {e}"))?);
    }
    let (ppc, notify, futex) = (median_round(ppcs), median_round(notifies), median_round(futexes));
    Ok(IpcBenchReport {
        rounds: rounds.max(1),
        ppc_rust_rust: ppc,
        notify_rust_rust: notify,
        futex_baseline: futex,
        ppc_vs_futex_ratio: ppc.median_ns as f64 / futex.median_ns as f64,
        notify_vs_futex_ratio: notify.median_ns as f64 / futex.median_ns as f64,
    })
}

fn ipc_system_round(system: &std::path::Path, search_path: &[PathBuf]) -> Result<(RoundTrip, RoundTrip), String> {
    let sys = sdf::parse_file(system, &sdf::PlatformConfig::default()).map_err(|e| e.to_string())?;
    let opts = RunOptions {
        search_path: search_path.to_vec(),
        exit_when_idle: true,
        timeout: Some(std::time::Duration::from_secs(120)),
        quiet: true,
        stop: None,
    };
    let outcome = hosted::run(&sys, &opts).map_err(|e| e.to_string())?;
    if outcome.reason != StopReason::Idle || outcome.unhandled_faults().next().is_some() {
        let log: Vec<String> = outcome.output.iter().map(|l| format!("{} | {}", l.pd, l.line)).collect();
        return Err(format!("benchmark system did not finish cleanly ({:?}):\n{}", outcome.reason, log.join("\n")));
    }
    let results: Vec<(String, RoundTrip)> = outcome.output.iter().filter_map(|l| parse_bench_line(&l.line)).collect();
    let get = |k: &str| {
        results
            .iter()
            .find(|(kind, _)| kind == k)
            .map(|(_, r)| *r)
            .ok_or(format!("no '{k}' result from the benchmark PDs"))
    };
    Ok((get("ppc")?, get("notify")?))
}

pub fn print_ipc_table(r: &IpcBenchReport) {
    println!(
        "{:<34} {:>8} {:>12} {:>10} {:>10} {:>10}",
        "round trip", "samples", "median ns", "p99 ns", "min ns", "vs futex"
    );
    let row = |name: &str, t: &RoundTrip| {
        println!(
            "{:<34} {:>8} {:>12} {:>10} {:>10} {:>10.2}",
            name,
            t.samples,
            t.median_ns,
            t.p99_ns,
            t.min_ns,
            t.median_ns as f64 / r.futex_baseline.median_ns as f64
        );
    };
    row("PPC, Rust client -> Rust server", &r.ppc_rust_rust);
    row("notification ping-pong, Rust", &r.notify_rust_rust);
    row("bare futex ping-pong (baseline)", &r.futex_baseline);
    println!(
        "ppc_vs_futex_ratio = {:.3} (target <= 1.2; median of {} alternating rounds)",
        r.ppc_vs_futex_ratio, r.rounds
    );
}
