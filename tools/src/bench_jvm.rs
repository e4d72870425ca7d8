//! `capuchin bench jvm`: our interpreter against HotSpot's interpreter
//! (`java -Xint`) on the kernels of `examples/bench-jvm/JvmBench.java`, in
//! one run. Each kernel runs in a fresh process per VM and round, timed
//! inside the program (start-up excluded); rounds alternate the VMs and the
//! median round counts. Start-up is measured separately as the wall time of
//! an empty `main` on our VM and on `java`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde::Serialize;

pub const KERNELS: &[&str] = &["sieve", "sort", "calls", "fields", "strings"];

#[derive(Debug, Serialize)]
pub struct KernelResult {
    pub kernel: String,
    pub capuchin_ns: u64,
    pub hotspot_xint_ns: u64,
    /// capuchin / hotspot: below 1 means we are faster.
    pub ratio: f64,
}

#[derive(Debug, Serialize)]
pub struct JvmBenchReport {
    pub rounds: usize,
    pub kernels: Vec<KernelResult>,
    pub geomean_ratio: f64,
    pub startup_capuchin_ms: f64,
    pub startup_java_ms: f64,
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}

/// Runs one kernel and returns its in-program time and checksum.
fn run_kernel(cmd: &mut Command) -> Result<(u64, String), String> {
    let out = cmd.output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().find(|l| l.starts_with("BENCH ")).ok_or_else(|| {
        format!("no BENCH line (exit {:?}): {}{}", out.status.code(), stdout, String::from_utf8_lossy(&out.stderr))
    })?;
    let mut parts = line.split(' ').skip(2);
    let ns = parts.next().and_then(|s| s.parse().ok()).ok_or("bad BENCH line")?;
    Ok((ns, parts.next().unwrap_or("").to_string()))
}

fn wall_ms(cmd: &mut Command, runs: usize) -> Result<f64, String> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let st = cmd.output().map_err(|e| e.to_string())?;
        if !st.status.success() {
            return Err(format!("start-up run failed: {}", String::from_utf8_lossy(&st.stderr)));
        }
        times.push(t.elapsed().as_micros() as u64);
    }
    Ok(median(times) as f64 / 1000.0)
}

pub fn jvm(source: &Path, capuchin: &Path, rounds: usize, reps: u32) -> Result<JvmBenchReport, String> {
    let classes: PathBuf = std::env::temp_dir().join(format!("capuchin-bench-jvm-{}", std::process::id()));
    let javac = Command::new("javac")
        .args(["--release", "17", "-d"])
        .arg(&classes)
        .arg(source)
        .output()
        .map_err(|e| format!("javac: {e}"))?;
    if !javac.status.success() {
        return Err(format!("javac failed: {}", String::from_utf8_lossy(&javac.stderr)));
    }
    let ours = |args: &[&str]| {
        let mut c = Command::new(capuchin);
        c.arg("java").arg("-cp").arg(&classes).arg("JvmBench").args(args);
        c
    };
    let hotspot = |flags: &[&str], args: &[&str]| {
        let mut c = Command::new("java");
        c.args(flags).arg("-cp").arg(&classes).arg("JvmBench").args(args);
        c
    };
    let reps_s = reps.to_string();
    let mut kernels = Vec::new();
    for &k in KERNELS {
        let (mut o, mut h) = (Vec::new(), Vec::new());
        for _ in 0..rounds.max(1) {
            let (ns_o, sum_o) = run_kernel(&mut ours(&[k, &reps_s])).map_err(|e| format!("{k} on capuchin: {e}"))?;
            let (ns_h, sum_h) =
                run_kernel(&mut hotspot(&["-Xint"], &[k, &reps_s])).map_err(|e| format!("{k} on java: {e}"))?;
            if sum_o != sum_h {
                return Err(format!("{k}: checksum {sum_o} on capuchin, {sum_h} on java"));
            }
            o.push(ns_o);
            h.push(ns_h);
        }
        let (co, ch) = (median(o), median(h));
        kernels.push(KernelResult {
            kernel: k.into(),
            capuchin_ns: co,
            hotspot_xint_ns: ch,
            ratio: co as f64 / ch as f64,
        });
    }
    let geomean_ratio = (kernels.iter().map(|k| k.ratio.ln()).sum::<f64>() / kernels.len() as f64).exp();
    let startup_capuchin_ms = wall_ms(&mut ours(&["empty", "0"]), 5)?;
    let startup_java_ms = wall_ms(&mut hotspot(&[], &["empty", "0"]), 5)?;
    let _ = std::fs::remove_dir_all(&classes);
    Ok(JvmBenchReport { rounds: rounds.max(1), kernels, geomean_ratio, startup_capuchin_ms, startup_java_ms })
}

pub fn print_jvm_table(r: &JvmBenchReport) {
    println!("{:<10} {:>14} {:>16} {:>8}", "kernel", "capuchin ms", "java -Xint ms", "ratio");
    for k in &r.kernels {
        println!(
            "{:<10} {:>14.1} {:>16.1} {:>8.2}",
            k.kernel,
            k.capuchin_ns as f64 / 1e6,
            k.hotspot_xint_ns as f64 / 1e6,
            k.ratio
        );
    }
    println!(
        "geometric mean ratio (capuchin / HotSpot interpreter) = {:.3} (target <= 1.0; median of {} rounds)",
        r.geomean_ratio, r.rounds
    );
    println!(
        "start-up, empty main: capuchin {:.1} ms, java {:.1} ms (ratio {:.2})",
        r.startup_capuchin_ms,
        r.startup_java_ms,
        r.startup_capuchin_ms / r.startup_java_ms
    );
}
