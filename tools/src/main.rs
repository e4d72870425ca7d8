//! `capuchin`: the project's host command.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use capuchin::hosted::{self, RunOptions, StopReason};
use capuchin::{bench, sdf};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "capuchin", version, about = "Java guest runtime for the seL4 Microkit: host tools")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Validate a Microkit system description (system.xml).
    Check { file: PathBuf },
    /// Boot a system description on the hosted platform (one process per PD).
    Run {
        #[arg(default_value = "system.xml")]
        file: PathBuf,
        /// Where program images are looked up (repeatable); default: the
        /// directory of FILE.
        #[arg(long = "search-path", value_name = "DIR")]
        search_path: Vec<PathBuf>,
        /// Stop when every PD is waiting and no event is pending.
        #[arg(long)]
        exit_when_idle: bool,
        /// Stop after this many seconds.
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<f64>,
    },
    /// Run a Java program on Capuchin's VM (like `java -cp PATH Main args`).
    Java(capuchin::java::JavaArgs),
    /// Pack class directories, jars and class images into a class image; with
    /// --pd, into the image of a Java protection domain (docs/java-ipc.md).
    Pack {
        /// The image to write.
        #[arg(short, long)]
        out: PathBuf,
        /// Directories of .class files, jars, or class images (.img).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        pd: capuchin::pack::PdArgs,
    },
    /// Boot a Microkit image (`make image`) in QEMU and watch its console.
    Qemu(capuchin::qemu::QemuArgs),
    /// Network systems: run one, list its VIF domains, swap its driver.
    Vif(capuchin::net::cli::VifArgs),
    /// Benchmarks.
    Bench {
        #[command(subcommand)]
        which: BenchCmd,
    },
}

/// The kernel benchmarks' common options (`bench jvm`, `bench jit`).
#[derive(clap::Args, Debug)]
struct KernelRuns {
    #[arg(long, default_value = "examples/bench-jvm/JvmBench.java")]
    source: PathBuf,
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Repetitions of each kernel per process (after one warm-up run).
    #[arg(long, default_value_t = 5)]
    reps: u32,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum BenchCmd {
    /// IPC round trips vs a bare futex ping-pong baseline.
    Ipc {
        /// The benchmark system.
        #[arg(long, default_value = "examples/ipc-bench.xml")]
        system: PathBuf,
        #[arg(long = "search-path", value_name = "DIR")]
        search_path: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Alternating rounds of system and baseline.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Instead of the benchmark, the soak test: N calls Java -> Java,
        /// checking that heap and handle tables stay the same.
        #[arg(long, value_name = "N")]
        soak: Option<u64>,
    },
    /// Our interpreter vs HotSpot's interpreter (java -Xint) on a kernel set.
    Jvm {
        #[command(flatten)]
        k: KernelRuns,
    },
    /// Our interpreter, our JIT, HotSpot (tiered) and, for Sieve, Rust, on
    /// Sieve, an object sort and 000's primitive operations; compile cost.
    Jit {
        #[command(flatten)]
        k: KernelRuns,
        /// `capuchin java --jit` of the JIT column.
        #[arg(long, default_value = capuchin::java::DEFAULT_JIT)]
        jit: String,
    },
    /// Packet rates through the network domains (bypass, Rust relay VIF).
    Vif {
        #[arg(long, default_value = "examples/net/vif-relay.xml")]
        system: PathBuf,
        #[arg(long = "search-path", value_name = "DIR")]
        search_path: Vec<PathBuf>,
        /// Frames measured per 64-byte row (half as many 1500-byte frames),
        /// after a warm-up of a quarter as many more.
        #[arg(long, default_value_t = 1_000_000)]
        packets: u64,
        /// Alternating rounds; the median round of each row is reported
        /// (5: single rounds swing by ±15% on a shared 2-core machine).
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Leave the domains to Linux's scheduler instead of pinning them
        /// (netdriver and virt_tx to core 0, classifier and vif0 to core 1).
        #[arg(long)]
        no_pin: bool,
        #[arg(long)]
        json: bool,
    },
    /// (internal) the peer process of the futex baseline.
    #[command(hide = true)]
    FutexPeer { fd: i32, rounds: usize },
}

fn default_search_path(file: &std::path::Path, given: Vec<PathBuf>) -> Vec<PathBuf> {
    if !given.is_empty() {
        return given;
    }
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    vec![dir.to_path_buf()]
}

/// Accepts the JDK launcher's spellings for `capuchin java`: `-cp PATH`,
/// `-classpath PATH`, `-XmxSIZE` and `-verbose:class` (also
/// `-Xlog:class+load`), up to the main class.
fn jdk_style_java_args(args: Vec<String>) -> Vec<String> {
    if args.get(1).map(String::as_str) != Some("java") {
        return args;
    }
    let mut out: Vec<String> = args[..2].to_vec();
    let mut rest = args.into_iter().skip(2);
    while let Some(a) = rest.next() {
        match a.as_str() {
            "-cp" | "-classpath" => out.push("--class-path".into()),
            "-verbose:class" | "-Xlog:class+load" | "-Xlog:class+load=info" => out.push("--verbose-class".into()),
            _ if a.starts_with("-Xmx") => {
                out.push("--heap".into());
                out.push(a[4..].to_string());
            }
            _ if !a.starts_with('-') => {
                // The main class: everything after it belongs to the program.
                out.push("--".into());
                out.push(a);
                out.extend(rest);
                break;
            }
            _ => out.push(a),
        }
        // Options that take a separate value: the value is not the main class.
        if out.last().is_some_and(|l| {
            matches!(
                l.as_str(),
                "--class-path"
                    | "--cp"
                    | "--classpath"
                    | "-c"
                    | "--heap"
                    | "--max-depth"
                    | "--budget"
                    | "--boot-image"
                    | "--jit"
                    | "--jit-opt"
                    | "--jit-optimize-at"
                    | "--jit-dump"
            )
        }) {
            out.extend(rest.next());
        }
    }
    out
}

fn main() -> ExitCode {
    let cli = Cli::parse_from(jdk_style_java_args(std::env::args().collect()));
    match cli.command {
        Cmd::Check { file } => match sdf::parse_file(&file, &sdf::PlatformConfig::default()) {
            Ok(sys) => {
                println!(
                    "{}: ok ({} protection domains, {} channels, {} memory regions)",
                    file.display(),
                    sys.pds.len(),
                    sys.channels.len(),
                    sys.memory_regions.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Cmd::Run { file, search_path, exit_when_idle, timeout } => {
            let sys = match sdf::parse_file(&file, &sdf::PlatformConfig::default()) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            let stop = Arc::new(AtomicBool::new(false));
            let flag = stop.clone();
            if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
                eprintln!("capuchin: cannot install the Ctrl-C handler: {e}");
            }
            let opts = RunOptions {
                search_path: default_search_path(&file, search_path),
                exit_when_idle,
                timeout: timeout.map(Duration::from_secs_f64),
                quiet: false,
                stop: Some(stop),
                placement: Vec::new(),
            };
            match hosted::run(&sys, &opts) {
                Ok(outcome) => {
                    let unhandled = outcome.unhandled_faults().count();
                    let why = match outcome.reason {
                        StopReason::Idle => "all protection domains idle",
                        StopReason::Timeout => "timeout",
                        StopReason::Interrupted => "interrupted",
                    };
                    eprintln!(
                        "capuchin: system stopped ({why}); {} fault(s), {unhandled} not handled by a parent",
                        outcome.faults.len()
                    );
                    if unhandled > 0 || outcome.reason == StopReason::Timeout {
                        ExitCode::FAILURE
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => {
                    eprintln!("capuchin: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Cmd::Qemu(args) => capuchin::qemu::main(args),
        Cmd::Vif(args) => capuchin::net::cli::main(args),
        Cmd::Java(args) => capuchin::java::main(args),
        Cmd::Pack { out, inputs, pd } => match capuchin::pack::pack_cli(&inputs, pd) {
            Ok((image, n)) => match std::fs::write(&out, &image) {
                Ok(()) => {
                    println!("{}: {n} classes, {} bytes", out.display(), image.len());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("capuchin pack: {}: {e}", out.display());
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("capuchin pack: {e}");
                ExitCode::FAILURE
            }
        },
        Cmd::Bench { which: BenchCmd::Ipc { system, search_path, json, rounds: _, soak: Some(n) } } => bench_report(
            "capuchin bench ipc --soak",
            bench::soak(&system, default_search_path(&system, search_path), n),
            json,
            bench::print_soak,
        ),
        Cmd::Bench { which: BenchCmd::Ipc { system, search_path, json, rounds, soak: None } } => bench_report(
            "capuchin bench ipc",
            bench::ipc(&system, default_search_path(&system, search_path), rounds),
            json,
            bench::print_ipc_table,
        ),
        Cmd::Bench { which: BenchCmd::Jit { k, jit } } => {
            let me = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("capuchin"));
            bench_report(
                "capuchin bench jit",
                capuchin::bench_jvm::jit(&k.source, &me, k.rounds, k.reps, &jit),
                k.json,
                capuchin::bench_jvm::print_jit_table,
            )
        }
        Cmd::Bench { which: BenchCmd::Jvm { k } } => {
            let me = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("capuchin"));
            bench_report(
                "capuchin bench jvm",
                capuchin::bench_jvm::jvm(&k.source, &me, k.rounds, k.reps),
                k.json,
                capuchin::bench_jvm::print_jvm_table,
            )
        }
        Cmd::Bench { which: BenchCmd::Vif { system, search_path, packets, rounds, no_pin, json } } => {
            let search_path = if search_path.is_empty() {
                vec![std::env::current_exe().ok().and_then(|e| e.parent().map(|p| p.to_path_buf())).unwrap_or_default()]
            } else {
                search_path
            };
            bench_report(
                "capuchin bench vif",
                capuchin::bench_vif::vif(&system, &search_path, packets, rounds, !no_pin),
                json,
                capuchin::bench_vif::print_vif_table,
            )
        }
        Cmd::Bench { which: BenchCmd::FutexPeer { fd, rounds } } => match bench::futex_peer(fd, rounds) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("futex peer: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

/// A benchmark's outcome: its report as JSON or as the table `print`
/// writes, or its error.
fn bench_report<R: serde::Serialize>(what: &str, r: Result<R, String>, json: bool, print: fn(&R)) -> ExitCode {
    match r {
        Ok(r) if json => {
            println!("{}", serde_json::to_string_pretty(&r).unwrap());
            ExitCode::SUCCESS
        }
        Ok(r) => {
            print(&r);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{what}: {e}");
            ExitCode::FAILURE
        }
    }
}
