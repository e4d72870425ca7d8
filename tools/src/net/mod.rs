//! `capuchin vif`: network systems on the hosted platform. Boots a network
//! system with a configuration and a control socket (`run`), talks to a
//! running one through `netctl`'s socket (`list`, `swap`, `stats`), and
//! writes network system descriptions (`sysgen`). `capuchin bench vif` is
//! in `bench_vif.rs`.

pub mod cli;
pub mod pcapgen;
pub mod qemu_net;
pub mod sysgen;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pd_netdriver::config::NetConfig;
use pd_netdriver::platform::{CONFIG_ENV, CONTROL_ENV};
use serde_json::Value;

use crate::hosted::{self, RunOptions, RunOutcome};
use crate::sdf;

/// A connection to `netctl`'s control socket.
pub struct ControlClient {
    w: UnixStream,
    r: BufReader<UnixStream>,
}

impl ControlClient {
    /// Connects, retrying for up to `wait` while the system boots.
    pub fn connect(path: &Path, wait: Duration) -> Result<Self, String> {
        let start = Instant::now();
        loop {
            match UnixStream::connect(path) {
                Ok(s) => {
                    let r = BufReader::new(s.try_clone().map_err(|e| e.to_string())?);
                    return Ok(Self { w: s, r });
                }
                Err(e) if start.elapsed() >= wait => {
                    return Err(format!("control socket {}: {e} (is a network system running?)", path.display()))
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    /// Sends one command and returns its JSON answer (an error if `ok` is false).
    pub fn call(&mut self, cmd: &str) -> Result<Value, String> {
        writeln!(self.w, "{cmd}").map_err(|e| format!("control socket: {e}"))?;
        let mut line = String::new();
        self.r.read_line(&mut line).map_err(|e| format!("control socket: {e}"))?;
        if line.is_empty() {
            return Err("control socket closed".into());
        }
        let v: Value = serde_json::from_str(&line).map_err(|e| format!("bad answer from netctl: {e}: {line}"))?;
        if v["ok"] == Value::Bool(true) {
            Ok(v)
        } else {
            Err(v["error"].as_str().unwrap_or("netctl refused").to_string())
        }
    }

    pub fn stats(&mut self) -> Result<NetStats, String> {
        self.call("stats").map(NetStats)
    }
}

/// The answer to `stats`: every domain's counters.
#[derive(Debug, Clone, PartialEq)]
pub struct NetStats(pub Value);

impl NetStats {
    pub fn pds(&self) -> impl Iterator<Item = &Value> {
        self.0["pds"].as_array().into_iter().flatten()
    }

    pub fn pd(&self, name: &str) -> Option<&Value> {
        self.pds().find(|p| p["name"] == name)
    }

    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        self.pds().filter(move |p| p["kind"] == kind)
    }

    /// A counter of the first domain of `kind` (0 if missing).
    pub fn kind_counter(&self, kind: &str, counter: &str) -> u64 {
        self.of_kind(kind).next().map_or(0, |p| p["counters"][counter].as_u64().unwrap_or(0))
    }

    pub fn counter(&self, pd: &str, counter: &str) -> u64 {
        self.pd(pd).map_or(0, |p| p["counters"][counter].as_u64().unwrap_or(0))
    }

    /// Sum of a counter over all VIF domains.
    pub fn vif_sum(&self, counter: &str) -> u64 {
        self.of_kind("vif").map(|p| p["counters"][counter].as_u64().unwrap_or(0)).sum()
    }

    /// Frames dropped anywhere after the driver received them.
    pub fn dropped(&self) -> u64 {
        self.kind_counter("classifier", "dropped_rule")
            + self.kind_counter("classifier", "dropped_nobuf")
            + ["dropped_processor", "dropped_route", "dropped_nobuf", "forgotten_reclaimed"]
                .iter()
                .map(|c| self.vif_sum(c))
                .sum::<u64>()
            + self.kind_counter("virt_tx", "dropped_in_driver")
    }

    /// Every counter that moves with traffic, to tell when it stopped.
    fn fingerprint(&self) -> Vec<u64> {
        let mut v = Vec::new();
        for p in self.pds() {
            if let Some(c) = p["counters"].as_object() {
                for k in ["rx", "tx", "in", "out_tx", "out_child", "delivered", "bypass", "returned"] {
                    v.push(c.get(k).and_then(Value::as_u64).unwrap_or(0));
                }
            }
        }
        v
    }

    /// The driver's input has ended and every frame it received was sent
    /// or dropped (VIFs hold nothing).
    pub fn drained(&self) -> bool {
        let rx = self.kind_counter("driver", "rx");
        self.kind_counter("driver", "input_done") == 1
            && self.vif_sum("held") == 0
            && self.kind_counter("driver", "tx") + self.dropped() >= rx
    }

    /// The table `capuchin vif list` prints.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{:<12} {:<10} {:<12} {:>10} {:>10} {:>9} {:>5}  {:<18} {}\n",
            "DOMAIN", "KIND", "PARENT", "IN", "OUT", "DROPPED", "HELD", "POOL free/post/p/tx", "INFO"
        );
        for p in self.pds() {
            let c = &p["counters"];
            let g = |k: &str| c[k].as_u64().unwrap_or(0);
            let (inn, out, dropped, held, pool) = match p["kind"].as_str().unwrap_or("") {
                "driver" => (g("rx"), g("tx"), g("rx_dev_dropped"), 0, String::new()),
                "classifier" => {
                    (g("rx"), g("delivered") + g("bypass"), g("dropped_rule") + g("dropped_nobuf"), 0, String::new())
                }
                "virt_tx" => (g("tx"), g("returned"), g("dropped_in_driver"), 0, String::new()),
                _ => (
                    g("in"),
                    g("out_tx") + g("out_child"),
                    g("dropped_processor") + g("dropped_route") + g("dropped_nobuf") + g("forgotten_reclaimed"),
                    g("held"),
                    format!("{}/{}/{}/{}", g("pool_free"), g("pool_posted"), g("pool_processor"), g("pool_tx")),
                ),
            };
            s.push_str(&format!(
                "{:<12} {:<10} {:<12} {:>10} {:>10} {:>9} {:>5}  {:<18} {}\n",
                p["name"].as_str().unwrap_or("?"),
                p["kind"].as_str().unwrap_or("?"),
                p["parent"].as_str().unwrap_or(""),
                inn,
                out,
                dropped,
                held,
                pool,
                p["info"].as_str().unwrap_or("")
            ));
        }
        s
    }
}

/// The control socket `capuchin vif` uses when none is given.
pub fn default_control_path() -> PathBuf {
    match std::env::var_os("CAPUCHIN_VIF_CONTROL") {
        Some(p) => PathBuf::from(p),
        None => std::env::temp_dir().join(format!("capuchin-vif-{}.sock", rustix::process::getuid().as_raw())),
    }
}

/// How a network run ends by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// Only on timeout or Ctrl-C.
    Stopped,
    /// When the driver's input ended and the pipeline drained (then the
    /// domains are woken once more and the final counters taken).
    Drained,
    /// When the driver has transmitted this many frames.
    Transmitted(u64),
}

pub struct NetRunOptions {
    pub system: PathBuf,
    /// The network configuration text (`None`: netctl's default).
    pub config: Option<String>,
    pub control: PathBuf,
    pub search_path: Vec<PathBuf>,
    pub until: Until,
    pub timeout: Option<Duration>,
    pub quiet: bool,
    pub stop: Option<Arc<AtomicBool>>,
    /// Also take the counters and the CPU times at the first poll that
    /// finds the driver has transmitted this many frames (a benchmark's
    /// warm-up ends there: [`NetRunResult::marked`]).
    pub mark: Option<u64>,
    /// Host cores to pin PDs to ([`RunOptions::placement`]).
    pub placement: Vec<(String, usize)>,
}

/// Counters and per-PD CPU times taken together during a run.
#[derive(Clone)]
pub struct NetSample {
    pub stats: NetStats,
    pub cpu: Vec<(String, u64)>,
}

pub struct NetRunResult {
    pub outcome: RunOutcome,
    /// The counters when the run ended by `until` (or the last ones polled).
    pub stats: Option<NetStats>,
    /// When `until` was reached, from the start of the run.
    pub done_after: Option<Duration>,
    /// CPU time of each PD process (name, ns), read when `until` was reached.
    pub cpu: Vec<(String, u64)>,
    /// The sample at [`NetRunOptions::mark`], if the run got there.
    pub marked: Option<NetSample>,
    /// Why the monitor stopped the run before `until` (the control
    /// socket failed and did not come back).
    pub monitor_error: Option<String>,
}

impl NetRunResult {
    /// What the domains printed, their faults and the last counters
    /// polled: what to show when a run did not go as expected.
    pub fn transcript(&self) -> String {
        let mut s: String = self.outcome.output.iter().map(|l| format!("{} | {}\n", l.pd, l.line)).collect();
        for f in &self.outcome.faults {
            s.push_str(&format!("fault: {}: {}\n", f.pd, f.description));
        }
        match &self.stats {
            Some(st) => s.push_str(&st.table()),
            None => s.push_str("(no counters polled)\n"),
        }
        s
    }
}

/// CPU time, in nanoseconds, of every live child process of this process
/// (the PDs), by executable name (/proc/PID/schedstat).
pub fn child_cpu_ns() -> Vec<(String, u64)> {
    let me = std::process::id();
    let mut v = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else { return v };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // pid (comm) state ppid ...; comm may contain spaces.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { continue };
        let ppid: u32 = rest.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        if ppid != me {
            continue;
        }
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_string();
        // Every thread's run time: the process's schedstat covers the main
        // thread only.
        let mut ns = 0u64;
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for t in tasks.flatten() {
                let s = std::fs::read_to_string(t.path().join("schedstat")).unwrap_or_default();
                ns += s.split_whitespace().next().and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
            }
        }
        v.push((comm, ns));
    }
    v.sort();
    v
}

/// Boots a network system: the configuration goes to `netctl` through
/// `CAPUCHIN_NET_CONFIG`, its control socket through `CAPUCHIN_NET_CONTROL`
/// (both inherited by the PD processes). Not reentrant: the environment is
/// the process's.
pub fn run_network(o: &NetRunOptions) -> Result<NetRunResult, String> {
    let sys = sdf::parse_file(&o.system, &sdf::PlatformConfig::default()).map_err(|e| e.to_string())?;
    let config_file = match &o.config {
        Some(text) => {
            NetConfig::parse(text).map_err(|e| e.to_string())?;
            let f = std::env::temp_dir().join(format!("capuchin-net-{}-{}.conf", std::process::id(), unique()));
            std::fs::write(&f, text).map_err(|e| format!("{}: {e}", f.display()))?;
            Some(f)
        }
        None => None,
    };
    // SAFETY (of the environment): set before any PD process is spawned;
    // the runner's threads do not read the environment.
    match &config_file {
        Some(f) => std::env::set_var(CONFIG_ENV, f),
        None => std::env::remove_var(CONFIG_ENV),
    }
    std::env::set_var(CONTROL_ENV, &o.control);
    let _ = std::fs::remove_file(&o.control);
    let stop = o.stop.clone().unwrap_or_default();
    let shared: Arc<Shared> = Arc::default();
    let monitor = (o.until != Until::Stopped).then(|| {
        let (path, until, mark, stop, shared) = (o.control.clone(), o.until, o.mark, stop.clone(), shared.clone());
        std::thread::spawn(move || monitor(&path, until, mark, &stop, &shared))
    });
    let opts = RunOptions {
        search_path: o.search_path.clone(),
        exit_when_idle: false,
        timeout: o.timeout,
        quiet: o.quiet,
        stop: Some(stop.clone()),
        placement: o.placement.clone(),
    };
    let outcome = hosted::run(&sys, &opts).map_err(|e| e.to_string());
    stop.store(true, Ordering::SeqCst);
    if let Some(m) = monitor {
        let _ = m.join();
    }
    std::env::remove_var(CONFIG_ENV);
    std::env::remove_var(CONTROL_ENV);
    if let Some(f) = config_file {
        let _ = std::fs::remove_file(f);
    }
    let _ = std::fs::remove_file(&o.control);
    let outcome = outcome?;
    let Polled { stats, done_after, cpu, marked, error } = std::mem::take(&mut *shared.lock().unwrap());
    Ok(NetRunResult { outcome, stats, done_after, cpu, marked, monitor_error: error })
}

fn unique() -> u64 {
    use std::sync::atomic::AtomicU64;
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// What the monitor found (the result's fields of the same names).
#[derive(Default)]
struct Polled {
    stats: Option<NetStats>,
    done_after: Option<Duration>,
    cpu: Vec<(String, u64)>,
    marked: Option<NetSample>,
    error: Option<String>,
}

type Shared = Mutex<Polled>;

/// How long the monitor tries to reconnect after a failed poll.
const RECONNECT: Duration = Duration::from_secs(2);

fn monitor(path: &Path, until: Until, mark: Option<u64>, stop: &AtomicBool, shared: &Shared) {
    let start = Instant::now();
    let mut client = loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        if let Ok(c) = ControlClient::connect(path, Duration::from_millis(100)) {
            break c;
        }
    };
    let mut last: Option<Vec<u64>> = None;
    let mut stable = 0;
    let mut mark = mark;
    while !stop.load(Ordering::SeqCst) {
        let s = match client.stats() {
            Ok(s) => s,
            // One failed poll does not end the watch: the run would go on
            // unwatched until its timeout. Reconnect: netctl serves each
            // connection from a thread of its own. (Not when the run is
            // over: then the system went away, for a reason of its own.)
            Err(_) if stop.load(Ordering::SeqCst) => return,
            Err(e) => {
                std::thread::sleep(Duration::from_millis(5));
                match ControlClient::connect(path, RECONNECT) {
                    Ok(c) => {
                        client = c;
                        continue;
                    }
                    Err(again) => {
                        // Unwatched, the run could only go on to its
                        // timeout: end it now.
                        if !stop.swap(true, Ordering::SeqCst) {
                            shared.lock().unwrap().error = Some(format!("{e}; then {again}"));
                        }
                        return;
                    }
                }
            }
        };
        if mark.is_some_and(|m| s.kind_counter("driver", "tx") >= m) {
            mark = None;
            let cpu = child_cpu_ns();
            shared.lock().unwrap().marked = Some(NetSample { stats: s.clone(), cpu });
        }
        let done = match until {
            Until::Transmitted(n) => s.kind_counter("driver", "tx") >= n,
            Until::Drained => {
                let fp = s.fingerprint();
                stable = if last.as_ref() == Some(&fp) { stable + 1 } else { 0 };
                last = Some(fp);
                s.drained() && stable >= 2
            }
            Until::Stopped => false,
        };
        if done {
            let elapsed = start.elapsed();
            let cpu = child_cpu_ns();
            // Wake everyone once so the last returned buffers are collected.
            let _ = client.call("kick");
            std::thread::sleep(Duration::from_millis(30));
            let s = client.stats().unwrap_or(s);
            let mut p = shared.lock().unwrap();
            (p.stats, p.done_after, p.cpu) = (Some(s), Some(elapsed), cpu);
            stop.store(true, Ordering::SeqCst);
            return;
        }
        shared.lock().unwrap().stats = Some(s);
        std::thread::sleep(Duration::from_millis(if matches!(until, Until::Transmitted(_)) { 5 } else { 20 }));
    }
}
