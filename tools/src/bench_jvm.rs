//! `capuchin bench jvm`: our interpreter against HotSpot's interpreter
//! (`java -Xint`) on the kernels of `examples/bench-jvm/JvmBench.java`, in
//! one run; `capuchin bench jit` (below): our interpreter, our JIT, HotSpot
//! (default tiered) and, for Sieve, Rust, plus the JIT's compile cost.
//! Each kernel runs in a fresh process per VM and round, timed inside the
//! program (start-up excluded); rounds alternate the VMs. `bench jvm`
//! reports the median round; `bench jit` the best, after warm-ups (its
//! compiled kernels are short, and other tenants only add time). Start-up
//! is measured separately as the wall time of an empty `main` on our VM
//! and on `java`.

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

fn compile_bench(source: &Path, what: &str) -> Result<PathBuf, String> {
    let classes: PathBuf = std::env::temp_dir().join(format!("capuchin-bench-{what}-{}", std::process::id()));
    let javac = Command::new("javac")
        .args(["--release", "17", "-d"])
        .arg(&classes)
        .arg(source)
        .output()
        .map_err(|e| format!("javac: {e}"))?;
    if !javac.status.success() {
        return Err(format!("javac failed: {}", String::from_utf8_lossy(&javac.stderr)));
    }
    Ok(classes)
}

pub fn jvm(source: &Path, capuchin: &Path, rounds: usize, reps: u32) -> Result<JvmBenchReport, String> {
    let classes = compile_bench(source, "jvm")?;
    let ours = |args: &[&str]| {
        let mut c = Command::new(capuchin);
        // The interpreter (capuchin java's default is the JIT).
        c.args(["java", "--jit", "off", "-cp"]).arg(&classes).arg("JvmBench").args(args);
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

// ---- capuchin bench jit ----

/// Sieve, the object sort, and the primitive operations of 000's Figure 5.
pub const JIT_KERNELS: &[&str] = &[
    "sieve",
    "sort",
    "local",
    "field",
    "static",
    "array",
    "alu",
    "invoke_static",
    "invoke_virtual",
    "invoke_interface",
    "invoke_native",
    "new_object",
    "new_array",
];

/// Untimed runs of each kernel before the clock starts in `bench jit`:
/// the first runs interpreted and makes the kernel hot, the second
/// compiles it (our JIT compiles on the next call; HotSpot's tiers need a
/// few), so the timed runs measure compiled code on both VMs. The compile
/// cost has a table of its own.
const JIT_WARMUPS: u32 = 3;

/// A kernel's time (all its reps) below this on either VM is not a
/// measurement of its loop (`JitBenchReport::geomean_vs_hotspot_timed`).
pub const TIMED_FLOOR_NS: u64 = 1_000_000;

/// Sieve takes 0.2 ms a run compiled, the other kernels 2 ms or more: it
/// runs this many times the repetitions, so its timed window is as long.
const SIEVE_REPS_FACTOR: u32 = 10;

fn kernel_reps(kernel: &str, reps: u32) -> u32 {
    if kernel == "sieve" {
        reps * SIEVE_REPS_FACTOR
    } else {
        reps
    }
}

#[derive(Debug, Serialize)]
pub struct JitKernelResult {
    pub kernel: String,
    /// Timed repetitions (`--reps`, times ten for Sieve).
    pub reps: u32,
    pub interpreter_ns: u64,
    pub jit_ns: u64,
    pub hotspot_ns: u64,
    /// Sieve only: the same algorithm in Rust (this binary, `-O`).
    pub rust_ns: Option<u64>,
    /// interpreter / JIT: how much faster the JIT is.
    pub jit_speedup: f64,
    /// HotSpot / JIT: our speed relative to HotSpot's (target >= 0.5 geomean).
    pub vs_hotspot: f64,
    /// Rust / JIT: our speed relative to Rust's (Sieve; target >= 0.9).
    pub vs_rust: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct CompileCostRow {
    pub method: String,
    pub bytecodes: usize,
    pub machine_bytes: usize,
    pub micros: f64,
    /// Compiled by the baseline tier (`--jit-opt auto`), not Cranelift.
    pub baseline: bool,
}

#[derive(Debug, Serialize)]
pub struct CompileCostSummary {
    /// `auto`, `speed` or `fast` (capuchin java --jit-opt).
    pub config: String,
    /// Methods compiled by `--jit all` for `JvmBench sieve`: the whole
    /// start-up path of the class library plus the kernel.
    pub methods: usize,
    pub methods_under_100: usize,
    pub median_us_under_100: f64,
    pub max_us_under_100: f64,
    /// Of the methods under 100 bytecodes, those the baseline tier
    /// compiled, and the median of each tier (0 without such methods).
    pub baseline_under_100: usize,
    pub median_us_baseline: f64,
    pub median_us_cranelift: f64,
    /// The benchmark's own methods (000's Table 2).
    pub table: Vec<CompileCostRow>,
}

#[derive(Debug, Serialize)]
pub struct JitBenchReport {
    pub rounds: usize,
    pub reps: u32,
    /// capuchin java --jit for the JIT column.
    pub threshold: String,
    pub kernels: Vec<JitKernelResult>,
    pub geomean_vs_hotspot: f64,
    /// The same over the kernels each VM ran for at least
    /// [`TIMED_FLOOR_NS`]: where a JIT removed a kernel's loop (both do in
    /// the `invoke_*` kernels, docs/jit.md "Counting loops") its time is
    /// the clock's and its ratio says nothing about speed.
    pub geomean_vs_hotspot_timed: f64,
    pub kernels_timed: usize,
    pub geomean_jit_speedup: f64,
    pub compile: Vec<CompileCostSummary>,
    pub plain_cranelift: PlainCompile,
}

/// Cranelift alone in this process (`jit::Jit::plain_compile_nanos`): the
/// floor under the compile-cost medians, measured in the same run.
#[derive(Debug, Serialize)]
pub struct PlainCompile {
    /// IR instructions of the plain function (the reference: 45).
    pub instructions: usize,
    pub compiles: usize,
    /// Median of the compiles, warm (one after another).
    pub median_us: f64,
    /// The first compile in the process (cold caches, as in `--jit all`).
    pub first_us: f64,
}

/// JvmBench's sieve in Rust, the same loops over a `bool` vector.
#[inline(never)]
fn rust_sieve(n: usize) -> u32 {
    let mut composite = vec![false; n + 1];
    let mut count = 0;
    let mut i = 2;
    while i <= n {
        if !composite[i] {
            count += 1;
            let mut j = i + i;
            while j <= n {
                composite[j] = true;
                j += i;
            }
        }
        i += 1;
    }
    count
}

/// Nanoseconds for `reps` sieves after the warm-ups, like JvmBench's main.
fn time_rust_sieve(reps: u32) -> u64 {
    let n = std::hint::black_box(100_000usize);
    let mut check = 0;
    for _ in 0..JIT_WARMUPS {
        check += rust_sieve(std::hint::black_box(n)) as u64;
    }
    let t = Instant::now();
    for _ in 0..reps {
        check += rust_sieve(std::hint::black_box(n)) as u64;
    }
    let ns = t.elapsed().as_nanos() as u64;
    std::hint::black_box(check);
    ns
}

const PLAIN_INSTRUCTIONS: usize = 45;
const PLAIN_COMPILES: usize = 51;

fn plain_compile() -> Result<PlainCompile, String> {
    extern "C" fn nanos() -> u64 {
        static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        EPOCH.get_or_init(Instant::now).elapsed().as_nanos() as u64
    }
    let times = jit::Jit::plain_compile_nanos(nanos, PLAIN_INSTRUCTIONS, PLAIN_COMPILES).map_err(|d| d.0)?;
    let mut sorted = times.clone();
    sorted.sort_unstable();
    Ok(PlainCompile {
        instructions: PLAIN_INSTRUCTIONS,
        compiles: times.len(),
        median_us: sorted[sorted.len() / 2] as f64 / 1000.0,
        first_us: times[0] as f64 / 1000.0,
    })
}

/// Runs of `--jit all` per configuration: each method's figure is its
/// fastest compile of these (the others only add a shared machine's
/// noise, up to 1.5x on the median between single runs).
const COMPILE_COST_RUNS: usize = 3;

fn compile_cost(capuchin: &Path, classes: &Path, config: &str) -> Result<CompileCostSummary, String> {
    let mut rows: Vec<CompileCostRow> = Vec::new();
    for run in 0..COMPILE_COST_RUNS {
        let out = Command::new(capuchin)
            .args(["java", "--jit", "all", "--jit-opt", config, "--jit-log", "-cp"])
            .arg(classes)
            .args(["JvmBench", "sieve", "0"])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("compile-cost run failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        // "capuchin java: jit CLASS.NAME(DESC): N bytecodes, M machine bytes, U us (T translating)[, ...]"
        let mut i = 0;
        for line in String::from_utf8_lossy(&out.stderr).lines() {
            let Some(rest) = line.strip_prefix("capuchin java: jit ") else { continue };
            // Declined methods have no counts; what follows the counts
            // may hold ": " (a reason the baseline tier declined).
            let Some(pos) = rest.find(" bytecodes, ") else { continue };
            let Some((method, count)) = rest[..pos].rsplit_once(": ") else { continue };
            let nums = format!("{count}{}", &rest[pos..]);
            let f: Vec<&str> = nums.split(' ').collect();
            if f.len() < 7 {
                continue; // declined
            }
            let (Ok(bytecodes), Ok(machine_bytes), Ok(micros)) = (f[0].parse(), f[2].parse(), f[5].parse()) else {
                continue;
            };
            let baseline = nums.ends_with(", baseline");
            if run == 0 {
                rows.push(CompileCostRow { method: method.into(), bytecodes, machine_bytes, micros, baseline });
            } else {
                // The runs compile the same methods in the same order.
                match rows.get_mut(i) {
                    Some(r) if r.method == method => r.micros = r.micros.min(micros),
                    _ => return Err(format!("compile-cost runs differ at {method}")),
                }
            }
            i += 1;
        }
    }
    let sorted = |tier: Option<bool>| {
        let mut v: Vec<f64> = rows
            .iter()
            .filter(|r| r.bytecodes < 100 && tier.is_none_or(|b| r.baseline == b))
            .map(|r| r.micros)
            .collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v
    };
    let median = |v: &[f64]| v.get(v.len() / 2).copied().unwrap_or(0.0);
    let small = sorted(None);
    let (baseline, cranelift) = (sorted(Some(true)), sorted(Some(false)));
    Ok(CompileCostSummary {
        config: config.into(),
        methods: rows.len(),
        methods_under_100: small.len(),
        median_us_under_100: median(&small),
        max_us_under_100: small.last().copied().unwrap_or(0.0),
        baseline_under_100: baseline.len(),
        median_us_baseline: median(&baseline),
        median_us_cranelift: median(&cranelift),
        table: rows.into_iter().filter(|r| r.method.starts_with("JvmBench")).collect(),
    })
}

pub fn jit(
    source: &Path,
    capuchin: &Path,
    rounds: usize,
    reps: u32,
    threshold: &str,
) -> Result<JitBenchReport, String> {
    let classes = compile_bench(source, "jit")?;
    let ours = |jit: &str, args: &[&str]| {
        let mut c = Command::new(capuchin);
        c.args(["java", "--jit", jit, "-cp"]).arg(&classes).arg("JvmBench").args(args);
        c
    };
    let mut kernels = Vec::new();
    for &k in JIT_KERNELS {
        let (mut i, mut j, mut h, mut r) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let kr = kernel_reps(k, reps);
        let (reps_s, warm) = (kr.to_string(), JIT_WARMUPS.to_string());
        for _ in 0..rounds.max(1) {
            let args = [k, reps_s.as_str(), warm.as_str()];
            let (ns_i, sum_i) = run_kernel(&mut ours("off", &args)).map_err(|e| format!("{k}, interpreter: {e}"))?;
            let (ns_j, sum_j) = run_kernel(&mut ours(threshold, &args)).map_err(|e| format!("{k}, JIT: {e}"))?;
            let mut hs = Command::new("java");
            hs.arg("-cp").arg(&classes).arg("JvmBench").args(args);
            let (ns_h, sum_h) = run_kernel(&mut hs).map_err(|e| format!("{k} on java: {e}"))?;
            if sum_i != sum_h || sum_j != sum_h {
                return Err(format!("{k}: checksum {sum_i} interpreted, {sum_j} compiled, {sum_h} on java"));
            }
            i.push(ns_i);
            j.push(ns_j);
            h.push(ns_h);
            if k == "sieve" {
                r.push(time_rust_sieve(kr));
            }
        }
        // The best round of each: other tenants of a shared machine only
        // ever add time (Sieve's runs spread by up to 1.7x, on either side).
        let best = |v: Vec<u64>| v.into_iter().min().unwrap_or(0);
        let (ni, nj, nh) = (best(i), best(j), best(h));
        let rust_ns = (!r.is_empty()).then(|| best(r));
        kernels.push(JitKernelResult {
            kernel: k.into(),
            reps: kr,
            interpreter_ns: ni,
            jit_ns: nj,
            hotspot_ns: nh,
            rust_ns,
            jit_speedup: ni as f64 / nj as f64,
            vs_hotspot: nh as f64 / nj as f64,
            vs_rust: rust_ns.map(|r| r as f64 / nj as f64),
        });
    }
    let geo = |ks: &[&JitKernelResult], f: &dyn Fn(&JitKernelResult) -> f64| {
        (ks.iter().map(|k| f(k).ln()).sum::<f64>() / ks.len() as f64).exp()
    };
    let all: Vec<&JitKernelResult> = kernels.iter().collect();
    let timed: Vec<&JitKernelResult> =
        kernels.iter().filter(|k| k.jit_ns.min(k.hotspot_ns) >= TIMED_FLOOR_NS).collect();
    let geomean_vs_hotspot = geo(&all, &|k| k.vs_hotspot);
    let geomean_vs_hotspot_timed = geo(&timed, &|k| k.vs_hotspot);
    let kernels_timed = timed.len();
    let geomean_jit_speedup = geo(&all, &|k| k.jit_speedup);
    let plain_cranelift = plain_compile()?;
    let compile = vec![
        compile_cost(capuchin, &classes, "auto")?,
        compile_cost(capuchin, &classes, "speed")?,
        compile_cost(capuchin, &classes, "fast")?,
    ];
    let _ = std::fs::remove_dir_all(&classes);
    Ok(JitBenchReport {
        rounds: rounds.max(1),
        reps,
        threshold: threshold.into(),
        kernels,
        geomean_vs_hotspot,
        geomean_vs_hotspot_timed,
        kernels_timed,
        geomean_jit_speedup,
        compile,
        plain_cranelift,
    })
}

pub fn print_jit_table(r: &JitBenchReport) {
    println!(
        "{:<17} {:>10} {:>10} {:>10} {:>9} {:>9} {:>10} {:>8}",
        "kernel", "interp ms", "JIT ms", "HotSpot ms", "JIT/int", "vs HS", "Rust ms", "vs Rust"
    );
    for k in &r.kernels {
        println!(
            "{:<17} {:>10.1} {:>10.2} {:>10.2} {:>8.1}x {:>8.2}x {:>10} {:>8}",
            k.kernel,
            k.interpreter_ns as f64 / 1e6,
            k.jit_ns as f64 / 1e6,
            k.hotspot_ns as f64 / 1e6,
            k.jit_speedup,
            k.vs_hotspot,
            k.rust_ns.map_or("-".into(), |n| format!("{:.2}", n as f64 / 1e6)),
            k.vs_rust.map_or("-".into(), |v| format!("{v:.2}x")),
        );
    }
    println!(
        "geometric means: JIT {:.1}x the interpreter; {:.2}x HotSpot's speed (target >= 0.5); \
         vs X = X's time / JIT time (best of {} rounds, {} reps each after {} warm-ups, Sieve {}x the reps, \
         --jit {})",
        r.geomean_jit_speedup, r.geomean_vs_hotspot, r.rounds, r.reps, JIT_WARMUPS, SIEVE_REPS_FACTOR, r.threshold
    );
    println!(
        "over the {} of {} kernels each VM ran for at least {} ms (the others' loops were removed, their times \
         are the clock's): {:.2}x HotSpot's speed",
        r.kernels_timed,
        r.kernels.len(),
        TIMED_FLOOR_NS / 1_000_000,
        r.geomean_vs_hotspot_timed
    );
    for c in &r.compile {
        println!();
        println!(
            "compile cost, --jit-opt {} (--jit all, JvmBench sieve, each method's best of {} runs: {} methods; \
             {} under 100 bytecodes: median {:.1} us, max {:.1} us; target median <= 50 us)",
            c.config, COMPILE_COST_RUNS, c.methods, c.methods_under_100, c.median_us_under_100, c.max_us_under_100
        );
        if c.baseline_under_100 > 0 {
            println!(
                "  {} of them compiled by the baseline tier (median {:.1} us), {} by Cranelift (median {:.1} us)",
                c.baseline_under_100,
                c.median_us_baseline,
                c.methods_under_100 - c.baseline_under_100,
                c.median_us_cranelift
            );
        }
        let p = &r.plain_cranelift;
        println!(
            "  {:.2}x the compile of a plain {}-instruction function by Cranelift alone in this process \
             ({:.1} us, median of {} warm; the first {:.1} us)",
            c.median_us_under_100 / p.median_us,
            p.instructions,
            p.median_us,
            p.compiles,
            p.first_us
        );
        println!("{:<58} {:>9} {:>9} {:>9} {:>11} {:>9}", "method", "bytecodes", "us", "bytes", "us/bytecode", "tier");
        for row in &c.table {
            println!(
                "{:<58} {:>9} {:>9.1} {:>9} {:>11.2} {:>9}",
                row.method,
                row.bytecodes,
                row.micros,
                row.machine_bytes,
                row.micros / row.bytecodes.max(1) as f64,
                if row.baseline { "baseline" } else { "cranelift" }
            );
        }
    }
}
