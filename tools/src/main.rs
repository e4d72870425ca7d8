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
    /// Pack class directories and jars into a class image for a Java PD.
    Pack {
        /// The image to write.
        #[arg(short, long)]
        out: PathBuf,
        /// Directories of .class files, or jars.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Boot a Microkit image (`make image`) in QEMU and watch its console.
    Qemu(capuchin::qemu::QemuArgs),
    /// Benchmarks.
    Bench {
        #[command(subcommand)]
        which: BenchCmd,
    },
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

fn main() -> ExitCode {
    let cli = Cli::parse();
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
        Cmd::Pack { out, inputs } => match capuchin::pack::pack(&inputs) {
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
        Cmd::Bench { which: BenchCmd::Ipc { system, search_path, json, rounds } } => {
            match bench::ipc(&system, default_search_path(&system, search_path), rounds) {
                Ok(report) => {
                    if json {
                        println!("{}", serde_json::to_string_pretty(&report).unwrap());
                    } else {
                        bench::print_ipc_table(&report);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("capuchin bench ipc: {e}");
                    ExitCode::FAILURE
                }
            }
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
