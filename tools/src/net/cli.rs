//! The `capuchin vif` subcommands.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::sysgen::{examples, system_xml, NetTopology};
use super::{default_control_path, run_network, ControlClient, NetRunOptions, Until};

#[derive(Args)]
pub struct VifArgs {
    #[command(subcommand)]
    cmd: VifCmd,
}

#[derive(Subcommand)]
enum VifCmd {
    /// Boot a network system with a configuration and a control socket.
    Run {
        #[arg(default_value = "examples/net/vif-relay.xml")]
        system: PathBuf,
        /// The network configuration (docs/network.md); default: netctl's.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// netctl's control socket (default: $CAPUCHIN_VIF_CONTROL or /tmp/capuchin-vif-UID.sock).
        #[arg(long, value_name = "PATH")]
        control: Option<PathBuf>,
        #[arg(long = "search-path", value_name = "DIR")]
        search_path: Vec<PathBuf>,
        /// Stop once the driver's input ended and every frame left the pipeline.
        #[arg(long)]
        until_drained: bool,
        /// Stop once the driver transmitted this many frames.
        #[arg(long, value_name = "N")]
        until_tx: Option<u64>,
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<f64>,
        /// Write the final counters (JSON) here.
        #[arg(long, value_name = "FILE")]
        stats_out: Option<PathBuf>,
        /// Do not echo the PDs' output.
        #[arg(long)]
        quiet: bool,
    },
    /// List the network domains of a running system and their counters.
    List {
        #[arg(long, value_name = "PATH")]
        control: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Swap the driver of a running system: stop it, start one with these
    /// settings (e.g. `input=pcap file=x.pcap output=count`). VIF domains keep running.
    Swap {
        #[arg(long, value_name = "PATH")]
        control: Option<PathBuf>,
        #[arg(required = true, num_args = 1..)]
        settings: Vec<String>,
    },
    /// Load or replace the packet processor of a running VIF, e.g. a Java
    /// VIFlet: `capuchin vif load vif0 processor=java:vif.PriQ_VIFlet
    /// classes=viflets.img`. The image's bytes go to netctl, which stages
    /// them in the VIF's viflet_image region; the VIF hands what the old
    /// processor held to the new one (no packet is lost) or refuses, and
    /// the old one keeps running (the reason is printed, exit status 1).
    Load {
        #[arg(long, value_name = "PATH")]
        control: Option<PathBuf>,
        /// The VIF domain's name.
        vif: String,
        #[arg(required = true, num_args = 1..)]
        settings: Vec<String>,
    },
    /// Write a network system description for a VIF tree.
    Sysgen {
        /// VIFs as NAME[:PARENT][@BUFFERS], comma-separated.
        #[arg(long, default_value = "vif0")]
        vifs: String,
        #[arg(long, default_value_t = 512)]
        rx_buffers: u32,
        /// Buffers of the classifier's bypass pool (0: no bypass).
        #[arg(long, default_value_t = 512)]
        bypass_buffers: u32,
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Rewrite the examples under examples/net/ instead.
        #[arg(long)]
        examples: bool,
        /// For seL4 on QEMU virt: a virtio-net device for the driver
        /// (registers, DMA region, IRQ) and physical addresses for the data regions.
        #[arg(long)]
        virtio: bool,
    },
    /// Write the generated test capture (everyday traffic, our licence).
    Pcapgen { out: PathBuf },
    /// Boot a seL4 virtio network image in QEMU, send it frames over a
    /// loopback UDP socket, check the frames that come back and every
    /// domain's counters (`make qemu-net`).
    Qemu(super::qemu_net::QemuNetArgs),
}

/// The settings of `capuchin vif load` as netctl's `load` takes them: a
/// `classes=IMAGE` file is read here and sent as its bytes (`image64=`,
/// base64 on the one command line); netctl stages them in the VIF's
/// `viflet_image` region. Returns the image's name and size too.
fn load_line(settings: &[String]) -> Result<(String, Option<(String, usize)>), String> {
    let mut words = Vec::new();
    let mut image = None;
    for w in settings {
        match w.split_once('=') {
            Some(("classes", f)) => {
                let bytes = std::fs::read(f).map_err(|e| format!("classes={f}: {e}"))?;
                words.push(format!("image64={}", pd_netdriver::viflet_load::base64_encode(&bytes)));
                image = Some((f.to_string(), bytes.len()));
            }
            Some(("image64" | "image" | "load", _)) => {
                return Err(format!("'{w}': name the class image with classes=IMAGE"));
            }
            _ => words.push(w.clone()),
        }
    }
    Ok((words.join(" "), image))
}

fn fail(what: &str, e: impl std::fmt::Display) -> ExitCode {
    eprintln!("capuchin vif {what}: {e}");
    ExitCode::FAILURE
}

pub fn main(args: VifArgs) -> ExitCode {
    match args.cmd {
        VifCmd::Run { system, config, control, search_path, until_drained, until_tx, timeout, stats_out, quiet } => {
            let config = match config.map(|p| std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display())))
            {
                Some(Ok(t)) => Some(t),
                Some(Err(e)) => return fail("run", e),
                None => None,
            };
            let search_path = if search_path.is_empty() {
                vec![std::env::current_exe().ok().and_then(|e| e.parent().map(|p| p.to_path_buf())).unwrap_or_default()]
            } else {
                search_path
            };
            let stop = Arc::new(AtomicBool::new(false));
            let flag = stop.clone();
            let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
            let control = control.unwrap_or_else(default_control_path);
            if !quiet {
                eprintln!("capuchin vif: control socket {}", control.display());
            }
            let until = match (until_tx, until_drained) {
                (Some(n), _) => Until::Transmitted(n),
                (None, true) => Until::Drained,
                _ => Until::Stopped,
            };
            let r = match run_network(&NetRunOptions {
                system,
                config,
                control,
                search_path,
                until,
                timeout: timeout.map(Duration::from_secs_f64),
                quiet,
                stop: Some(stop),
                mark: None,
                placement: Vec::new(),
            }) {
                Ok(r) => r,
                Err(e) => return fail("run", e),
            };
            if let Some(s) = &r.stats {
                print!("{}", s.table());
                if let Some(path) = stats_out {
                    if let Err(e) = std::fs::write(&path, serde_json::to_string_pretty(&s.0).unwrap()) {
                        return fail("run", format!("{}: {e}", path.display()));
                    }
                }
            }
            let unhandled = r.outcome.unhandled_faults().count();
            eprintln!(
                "capuchin vif: system stopped ({}); {} fault(s), {unhandled} not handled by a parent",
                if r.done_after.is_some() { "done" } else { "stopped" },
                r.outcome.faults.len()
            );
            if unhandled > 0 || (until != Until::Stopped && r.done_after.is_none()) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        VifCmd::List { control, json } => {
            let path = control.unwrap_or_else(default_control_path);
            match ControlClient::connect(&path, Duration::from_millis(200)).and_then(|mut c| c.stats()) {
                Ok(s) => {
                    if json {
                        println!("{}", serde_json::to_string_pretty(&s.0).unwrap());
                    } else {
                        print!("{}", s.table());
                        println!(
                            "driver epoch {}, {} swap(s), {} crash(es)",
                            s.0["driver_epoch"], s.0["swaps"], s.0["crashes"]
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail("list", e),
            }
        }
        VifCmd::Swap { control, settings } => {
            let path = control.unwrap_or_else(default_control_path);
            let line = settings.join(" ");
            match ControlClient::connect(&path, Duration::from_millis(200))
                .and_then(|mut c| c.call(&format!("swap {line}")))
            {
                Ok(_) => {
                    println!("swapping the driver to: {line}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail("swap", e),
            }
        }
        VifCmd::Load { control, vif, settings } => {
            let path = control.unwrap_or_else(default_control_path);
            let (line, image) = match load_line(&settings) {
                Ok(l) => l,
                Err(e) => return fail("load", e),
            };
            match ControlClient::connect(&path, Duration::from_millis(200))
                .and_then(|mut c| c.call(&format!("load {vif} {line}")))
            {
                Ok(v) => {
                    let p = v["processor"].as_str().unwrap_or("?");
                    let size = image.map(|(f, n)| format!(" ({f}: {n} bytes through {vif}'s viflet_image region)"));
                    match v["replaced"].as_bool() {
                        Some(true) => println!("{vif}: processor replaced by {p}{}", size.unwrap_or_default()),
                        _ => println!("{vif}: {p} already running with these settings"),
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail("load", e),
            }
        }
        VifCmd::Sysgen { vifs, rx_buffers, bypass_buffers, out, examples: ex, virtio } => {
            if ex {
                for (path, t) in examples() {
                    let xml = match system_xml(&t) {
                        Ok(x) => x,
                        Err(e) => return fail("sysgen", e),
                    };
                    if let Err(e) = std::fs::write(path, xml) {
                        return fail("sysgen", format!("{path}: {e}"));
                    }
                    println!("wrote {path}");
                }
                return ExitCode::SUCCESS;
            }
            let vifs = match NetTopology::parse_vifs(&vifs, 512) {
                Ok(v) => v,
                Err(e) => return fail("sysgen", e),
            };
            let t = NetTopology { rx_buffers, bypass_buffers, vifs, comment: String::new(), virtio };
            match system_xml(&t) {
                Ok(xml) => match out {
                    Some(p) => std::fs::write(&p, xml).map_or_else(|e| fail("sysgen", e), |_| ExitCode::SUCCESS),
                    None => {
                        print!("{xml}");
                        ExitCode::SUCCESS
                    }
                },
                Err(e) => fail("sysgen", e),
            }
        }
        VifCmd::Qemu(a) => super::qemu_net::main(a),
        VifCmd::Pcapgen { out } => match super::pcapgen::write(&out) {
            Ok(n) => {
                println!("{}: {n} frames", out.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail("pcapgen", e),
        },
    }
}
