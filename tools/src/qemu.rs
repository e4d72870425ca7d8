//! `capuchin qemu`: boots a Microkit image (`make image`) in QEMU, echoes
//! the serial console, and decides when the run is over:
//!
//! * success when every `--expect` text has appeared on the console (each
//!   is matched as a substring of one line, e.g. `"calc_client: done"`);
//! * failure on timeout (with `--expect`; without any, reaching the timeout
//!   is the normal end), or when QEMU exits first;
//! * failure when the Microkit monitor reports a fault
//!   (`MON|ERROR: faulting PD: NAME`) of a PD not named by `--allow-fault`.
//!   Faults of child PDs go to their parent's `fault()` instead and are not
//!   seen by the monitor (the parent prints what it does about them).
//!
//! The QEMU command is the Microkit manual's for `qemu_virt_aarch64`, plus a
//! virtio-net device on a user-mode network with `restrict=on` (no traffic
//! leaves the host), or with `--netdev` on a loopback-only backend such as
//! a UDP socket pair (`capuchin vif qemu` sends it frames), and, with
//! `--icount`, `-icount shift=0,sleep=off` (one instruction = 1 ns of
//! virtual time; deterministic runs).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Arguments of `capuchin qemu`.
#[derive(clap::Args, Debug)]
pub struct QemuArgs {
    /// The Microkit system image (loader.img) to boot.
    #[arg(long)]
    pub image: PathBuf,
    /// Microkit board; only qemu_virt_aarch64 has a QEMU recipe here.
    #[arg(long, default_value = "qemu_virt_aarch64")]
    pub board: String,
    /// The QEMU executable.
    #[arg(long, default_value = "qemu-system-aarch64")]
    pub qemu: String,
    /// A console line containing TEXT ends the run once all are seen
    /// (repeatable), e.g. --expect "calc_client: done".
    #[arg(long = "expect", value_name = "TEXT")]
    pub expect: Vec<String>,
    /// A monitor-reported fault of PD NAME is expected (repeatable).
    #[arg(long = "allow-fault", value_name = "NAME")]
    pub allow_fault: Vec<String>,
    /// Stop after this many seconds (wall clock).
    #[arg(long, default_value_t = 120.0)]
    pub timeout: f64,
    /// Deterministic instruction counting: -icount shift=0,sleep=off.
    #[arg(long)]
    pub icount: bool,
    /// Also write the console output to FILE.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Summarise `BENCH {json}` lines as a table at the end.
    #[arg(long)]
    pub bench: bool,
    /// The virtio-net device's backend instead of the restricted user
    /// network: a QEMU `-netdev` spec without `id`, whose addresses must
    /// all be 127.0.0.1, e.g. `socket,udp=127.0.0.1:5555,localaddr=127.0.0.1:5556`.
    /// The virtio-mmio transports are then modern (virtio 1.x).
    #[arg(long, value_name = "SPEC")]
    pub netdev: Option<String>,
    /// Count the instructions of ELF's code per execution of
    /// --profile-anchor (QEMU single-steps and logs them; slow), and print
    /// them by function at the end (docs/sel4.md, "Profiling a call").
    #[arg(long, value_name = "ELF")]
    pub profile: Option<PathBuf>,
    /// The function whose executions delimit the counted window: for a
    /// Microkit server, once per call.
    #[arg(long, value_name = "SYMBOL", default_value = "sel4_microkit_base::ipc::reply_recv")]
    pub profile_anchor: String,
    /// The window, in executions of the anchor.
    #[arg(long, value_name = "FROM..TO", default_value = "10000..20000")]
    pub profile_window: String,
    /// More code to count, as one entry (repeatable), e.g. a JIT's code
    /// memory: --profile-range 0x10100000+0x100000.
    #[arg(long = "profile-range", value_name = "START+LEN")]
    pub profile_ranges: Vec<String>,
    /// Also write the count of every address (per execution of the
    /// anchor) to FILE, one `ADDRESS COUNT FUNCTION` line each in address
    /// order: to read next to `objdump -d` of the ELF.
    #[arg(long, value_name = "FILE")]
    pub profile_addresses: Option<PathBuf>,
    /// `nm` for the profiled ELF's target.
    #[arg(long, default_value = "aarch64-linux-gnu-nm")]
    pub nm: String,
}

impl QemuArgs {
    /// The profile these arguments ask for, if any.
    pub fn profile_spec(&self) -> Result<Option<crate::qemu_profile::ProfileSpec>, String> {
        let Some(elf) = &self.profile else { return Ok(None) };
        let bad = || format!("--profile-window {}: expected FROM..TO", self.profile_window);
        let (a, b) = self.profile_window.split_once("..").ok_or_else(bad)?;
        Ok(Some(crate::qemu_profile::ProfileSpec {
            elf: elf.clone(),
            anchor: self.profile_anchor.clone(),
            from: a.parse().map_err(|_| bad())?,
            to: b.parse().map_err(|_| bad())?,
            ranges: self.profile_ranges.clone(),
            nm: self.nm.clone(),
        }))
    }
}

/// Checks a `-netdev` spec for `--netdev`: `socket` with only
/// `udp=`/`localaddr=`/`connect=`/`listen=` at 127.0.0.1, or `user` with
/// `restrict=on` and nothing else, so traffic never leaves loopback.
pub fn check_netdev(spec: &str) -> Result<(), String> {
    let mut parts = spec.split(',');
    let kind = parts.next().unwrap_or("");
    for p in parts {
        let (k, v) = p.split_once('=').ok_or_else(|| format!("--netdev {spec}: '{p}' is not key=value"))?;
        let ok = match kind {
            "socket" => {
                ["udp", "localaddr", "connect", "listen"].contains(&k)
                    && v.strip_prefix("127.0.0.1:").is_some_and(|port| port.parse::<u16>().is_ok())
            }
            "user" => p == "restrict=on",
            _ => return Err(format!("--netdev {spec}: backend '{kind}' (supported: socket, user)")),
        };
        if !ok {
            return Err(format!(
                "--netdev {spec}: '{p}' not allowed (socket: udp=/localaddr=/connect=/listen=127.0.0.1:PORT; \
                 user: restrict=on)"
            ));
        }
    }
    if kind == "user" && !spec.split(',').any(|p| p == "restrict=on") {
        return Err(format!("--netdev {spec}: a user network needs restrict=on"));
    }
    if kind == "socket" && spec == "socket" {
        return Err("--netdev socket: give udp= and localaddr= (or connect=/listen=)".into());
    }
    Ok(())
}

/// The QEMU command line for `board`.
pub fn qemu_command(args: &QemuArgs) -> Result<Command, String> {
    if args.board != "qemu_virt_aarch64" {
        return Err(format!("no QEMU recipe for board '{}' (supported: qemu_virt_aarch64)", args.board));
    }
    if !args.image.is_file() {
        return Err(format!("image {} not found (build it with `make image`)", args.image.display()));
    }
    let mut c = Command::new(&args.qemu);
    c.args(["-machine", "virt,virtualization=on", "-cpu", "cortex-a53", "-nographic", "-serial", "mon:stdio"])
        .arg("-device")
        .arg(format!("loader,file={},addr=0x70000000,cpu-num=0", args.image.display()))
        .args(["-m", "size=2G"])
        .args(["-device", "virtio-net-device,netdev=net0"]);
    match &args.netdev {
        Some(spec) => {
            check_netdev(spec)?;
            c.arg("-netdev").arg(format!("{spec},id=net0")).args(["-global", "virtio-mmio.force-legacy=false"]);
        }
        None => {
            c.args(["-netdev", "user,id=net0,restrict=on"]);
        }
    }
    if args.icount {
        c.args(["-icount", "shift=0,sleep=off"]);
    }
    c.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    Ok(c)
}

/// What one console line means to the driver.
#[derive(Debug, PartialEq, Eq)]
pub enum LineEvent {
    Fault(String),
    Other,
}

pub fn classify(line: &str) -> LineEvent {
    match line.split_once("MON|ERROR: faulting PD: ") {
        Some((_, name)) => LineEvent::Fault(name.trim().to_string()),
        None => LineEvent::Other,
    }
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct BenchLine {
    /// The client PD that measured it.
    #[serde(default)]
    pub pd: String,
    pub kind: String,
    pub samples: u64,
    pub min_ns: u64,
    pub median_ns: u64,
    pub p99_ns: u64,
    pub mean_ns: u64,
}

pub fn parse_bench(line: &str) -> Option<BenchLine> {
    let (_, json) = line.split_once("BENCH ")?;
    serde_json::from_str(json.trim()).ok()
}

/// What a row measures: the combination of examples/ipc-bench.xml its
/// client PD belongs to, or the client's name.
fn bench_row_name(b: &BenchLine) -> String {
    let combo = crate::bench::COMBINATIONS.iter().find(|(_, client, _)| *client == b.pd);
    match (b.kind.as_str(), combo) {
        ("ppc", Some((name, _, _))) => format!("ppc {}", name.replace('_', "->")),
        (kind, _) if b.pd.is_empty() => kind.to_string(),
        (kind, _) => format!("{kind} {}", b.pd),
    }
}

/// The BENCH lines as a table, with each PPC row's mean and median over
/// Rust -> Rust's (the ratios the hosted `capuchin bench ipc` reports).
pub fn print_bench_table(rows: &[BenchLine], icount: bool) {
    let unit = if icount { "ns = instructions (icount shift=0)" } else { "ns (QEMU wall-clock timer)" };
    println!("seL4 IPC round trips on QEMU qemu_virt_aarch64 [{unit}]");
    println!(
        "{:<20} {:>8} {:>10} {:>10} {:>10} {:>10} {:>12} {:>12}",
        "row", "samples", "min", "median", "p99", "mean", "mean/r->r", "median/r->r"
    );
    let base = rows.iter().find(|r| r.kind == "ppc" && r.pd == crate::bench::COMBINATIONS[0].1);
    for r in rows {
        let ratio = |f: fn(&BenchLine) -> u64| match base {
            Some(b) if r.kind == "ppc" && f(b) > 0 => format!("{:.3}", f(r) as f64 / f(b) as f64),
            _ => "-".to_string(),
        };
        println!(
            "{:<20} {:>8} {:>10} {:>10} {:>10} {:>10} {:>12} {:>12}",
            bench_row_name(r),
            r.samples,
            r.min_ns,
            r.median_ns,
            r.p99_ns,
            r.mean_ns,
            ratio(|b| b.mean_ns),
            ratio(|b| b.median_ns)
        );
    }
}

/// QEMU's console: one thread per output stream of `child` sends each
/// line as `Some`, and `None` when its stream ends (two `None`s: QEMU is
/// gone).
pub fn console_lines(child: &mut std::process::Child) -> mpsc::Receiver<Option<String>> {
    console_lines_profiled(child, None).0
}

/// [`console_lines`], with QEMU's trace output on stderr going to
/// `profiler` instead (the stderr reader returns it when stderr ends).
pub fn console_lines_profiled(
    child: &mut std::process::Child,
    profiler: Option<crate::qemu_profile::Profiler>,
) -> (mpsc::Receiver<Option<String>>, Option<std::thread::JoinHandle<Option<crate::qemu_profile::Profiler>>>) {
    let (tx, rx) = mpsc::channel();
    if let Some(stream) = child.stdout.take() {
        read_lines(stream, tx.clone(), None);
    }
    let profiled = child.stderr.take().map(|stream| read_lines(stream, tx, profiler));
    (rx, profiled)
}

/// A thread sending `stream`'s lines to `tx` (then `None` at its end),
/// except the lines `profiler` takes; it returns the profiler.
fn read_lines(
    stream: impl std::io::Read + Send + 'static,
    tx: mpsc::Sender<Option<String>>,
    mut profiler: Option<crate::qemu_profile::Profiler>,
) -> std::thread::JoinHandle<Option<crate::qemu_profile::Profiler>> {
    std::thread::spawn(move || {
        // A profiled run writes a trace line per guest instruction.
        let mut r = BufReader::with_capacity(1 << 20, stream);
        let mut buf = Vec::new();
        // Read to the end even when nobody listens: the profiler counts on.
        let mut listened = true;
        while matches!(r.read_until(b'\n', &mut buf), Ok(n) if n > 0) {
            let traced = profiler.as_mut().is_some_and(|p| p.take(&buf));
            if !traced && listened {
                let s = String::from_utf8_lossy(&buf).trim_end_matches(['\n', '\r']).to_string();
                listened = tx.send(Some(s)).is_ok();
            }
            buf.clear();
        }
        let _ = tx.send(None);
        profiler
    })
}

pub fn main(args: QemuArgs) -> ExitCode {
    let profiler = match args.profile_spec().and_then(|s| s.map(|s| crate::qemu_profile::Profiler::new(&s)).transpose())
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("capuchin qemu: --profile: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut cmd = match qemu_command(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("capuchin qemu: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(p) = &profiler {
        cmd.args(p.qemu_args());
    }
    let mut log = match &args.log {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("capuchin qemu: cannot create {}: {e}", p.display());
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("capuchin qemu: cannot start {}: {e}", args.qemu);
            return ExitCode::FAILURE;
        }
    };
    let (rx, profiled) = console_lines_profiled(&mut child, profiler);

    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(args.timeout);
    let mut pending: BTreeSet<&str> = args.expect.iter().map(String::as_str).collect();
    let mut faults: Vec<(String, bool)> = Vec::new();
    let mut bench = Vec::new();
    let mut eofs = 0;
    // After an unexpected fault, keep echoing briefly so the monitor's
    // register dump is complete.
    let mut stop_at: Option<Instant> = None;
    let outcome: Result<&str, String> = loop {
        let now = Instant::now();
        let until = stop_at.map_or(deadline, |s| s.min(deadline));
        if now >= until {
            if let Some((name, _)) = faults.iter().find(|(_, ok)| !ok) {
                break Err(format!("protection domain '{name}' faulted"));
            }
            if pending.is_empty() {
                break Ok("timeout reached (no --expect given)");
            }
            break Err(format!("timeout after {:.0} s; never saw: {:?}", args.timeout, pending));
        }
        match rx.recv_timeout(until - now) {
            Ok(Some(line)) => {
                println!("{line}");
                if let Some(f) = log.as_mut() {
                    let _ = writeln!(f, "{line}");
                }
                if let LineEvent::Fault(name) = classify(&line) {
                    let allowed = args.allow_fault.contains(&name);
                    eprintln!(
                        "capuchin qemu: monitor reports a fault in '{name}' ({})",
                        if allowed { "allowed" } else { "unexpected" }
                    );
                    if !allowed && stop_at.is_none() {
                        stop_at = Some(Instant::now() + Duration::from_secs(1));
                    }
                    faults.push((name, allowed));
                }
                if let Some(b) = parse_bench(&line) {
                    bench.push(b);
                }
                let was_pending = !pending.is_empty();
                pending.retain(|e| !line.contains(e));
                if was_pending && pending.is_empty() && stop_at.is_none() {
                    break Ok("all expected lines seen");
                }
            }
            Ok(None) => {
                eofs += 1;
                if eofs == 2 {
                    break Err("QEMU exited".into());
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break Err("QEMU exited".into()),
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    let elapsed = start.elapsed().as_secs_f64();
    let allowed = faults.iter().filter(|(_, ok)| *ok).count();
    if args.bench && !bench.is_empty() {
        print_bench_table(&bench, args.icount);
    }
    if let (Some(t), Some(elf)) = (profiled, &args.profile) {
        if let Ok(Some(p)) = t.join() {
            p.print(elf, &args.profile_anchor);
            if let Some(out) = &args.profile_addresses {
                if let Err(e) = std::fs::write(out, p.addresses()) {
                    eprintln!("capuchin qemu: {}: {e}", out.display());
                }
            }
        }
    }
    match outcome {
        Ok(why) => {
            eprintln!("capuchin qemu: done in {elapsed:.1} s: {why}; {allowed} expected fault(s)");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("capuchin qemu: FAILED after {elapsed:.1} s: {why}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netdev_specs_stay_on_loopback() {
        assert!(check_netdev("socket,udp=127.0.0.1:5555,localaddr=127.0.0.1:5556").is_ok());
        assert!(check_netdev("user,restrict=on").is_ok());
        assert!(check_netdev("user").is_err());
        assert!(check_netdev("socket,udp=10.0.0.1:5555,localaddr=127.0.0.1:5556").is_err());
        assert!(check_netdev("socket,udp=127.0.0.1:5555,localaddr=0.0.0.0:5556").is_err());
        assert!(check_netdev("tap,ifname=tap0").is_err());
        assert!(check_netdev("socket,id=x,udp=127.0.0.1:1,localaddr=127.0.0.1:2").is_err());
    }

    #[test]
    fn monitor_fault_lines_name_the_pd() {
        assert_eq!(classify("MON|ERROR: faulting PD: faulty_server"), LineEvent::Fault("faulty_server".into()));
        assert_eq!(classify("MON|ERROR: received message 0x00000006"), LineEvent::Other);
        assert_eq!(classify("calc_client: done"), LineEvent::Other);
    }

    #[test]
    fn bench_lines_parse() {
        let b = parse_bench(r#"BENCH {"kind":"ppc","samples":50000,"min_ns":1,"median_ns":2,"p99_ns":3,"mean_ns":4}"#)
            .unwrap();
        assert_eq!(b.kind, "ppc");
        assert_eq!(b.median_ns, 2);
        assert_eq!(bench_row_name(&b), "ppc");
        let b = parse_bench(
            r#"BENCH {"pd":"bench_client_j2j","kind":"ppc","samples":5,"min_ns":1,"median_ns":2,"p99_ns":3,"mean_ns":4}"#,
        )
        .unwrap();
        assert_eq!(bench_row_name(&b), "ppc java->java");
        assert!(parse_bench("bench_client: notification round trips").is_none());
    }
}
