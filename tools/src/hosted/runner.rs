//! `capuchin run`: boots a system description on Linux, one process per
//! PD, and plays the Microkit monitor: it reports faults, delivers a child's
//! fault to its parent's `fault()` handler, restarts children when the
//! parent asks, and keeps every other PD running.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::Child;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::{Relaxed, SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ipc_bindings::hosted::abi::{call_state, fault_label, status, KERNEL_EVENT_BIT};
use ipc_bindings::hosted::futex;

use super::objects::Objects;
use super::spawn::{resolve_program_image, spawn_pd};
use crate::sdf::SystemDescription;

/// How the runner polls for faults and requests. The IPC path never waits
/// on the runner, so this only bounds fault-handling latency.
const POLL: Duration = Duration::from_millis(2);

#[derive(Clone, Default)]
pub struct RunOptions {
    /// Directories searched for program images (like `microkit --search-path`).
    pub search_path: Vec<PathBuf>,
    /// Stop once every PD waits for events and none is pending.
    pub exit_when_idle: bool,
    /// Stop after this long.
    pub timeout: Option<Duration>,
    /// Do not echo PD output (it is still captured).
    pub quiet: bool,
    /// Set from outside (Ctrl-C) to stop the system.
    pub stop: Option<Arc<AtomicBool>>,
    /// Host cores to pin PDs to, by PD name (a restarted PD keeps its
    /// core); PDs not named are left to Linux's scheduler. The runner does
    /// not read system.xml's `cpu` (the seL4 core) for this: on a
    /// uniprocessor kernel every PD has core 0, and the hosted platform
    /// runs them on all cores. Benchmarks pin so that every run places
    /// the domains alike (docs/hosted.md, "Scheduling").
    pub placement: Vec<(String, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    Idle,
    Timeout,
    Interrupted,
}

/// One line a PD (or the monitor, as `MON`) printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLine {
    pub pd: String,
    pub line: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub pd: String,
    pub description: String,
    /// Delivered to this parent PD's `fault()` handler.
    pub delivered_to: Option<String>,
}

#[derive(Debug)]
pub struct RunOutcome {
    pub reason: StopReason,
    pub faults: Vec<Fault>,
    pub output: Vec<OutputLine>,
}

impl RunOutcome {
    /// Faults no parent PD handled: the system is broken.
    pub fn unhandled_faults(&self) -> impl Iterator<Item = &Fault> {
        self.faults.iter().filter(|f| f.delivered_to.is_none())
    }

    pub fn lines_of<'a>(&'a self, pd: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.output.iter().filter(move |l| l.pd == pd).map(|l| l.line.as_str())
    }
}

#[derive(Debug)]
pub enum RunError {
    ProgramImageNotFound {
        pd: String,
        image: String,
        search_path: Vec<PathBuf>,
    },
    Io(String, std::io::Error),
    /// A [`RunOptions::placement`] naming no PD of the system, or a core
    /// this host does not have.
    Placement(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::ProgramImageNotFound { pd, image, search_path } => {
                let dirs: Vec<_> = search_path.iter().map(|p| p.display().to_string()).collect();
                write!(
                    f,
                    "program image '{image}' of protection domain '{pd}' not found in the search path [{}]",
                    dirs.join(", ")
                )
            }
            RunError::Io(what, e) => write!(f, "{what}: {e}"),
            RunError::Placement(why) => write!(f, "placement: {why}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Prints and records output lines from every PD and the monitor.
#[derive(Clone)]
struct Console {
    lines: Arc<Mutex<Vec<OutputLine>>>,
    quiet: bool,
    width: usize,
}

impl Console {
    fn emit(&self, pd: &str, line: String) {
        if !self.quiet {
            let mut out = std::io::stdout().lock();
            let _ =
                if pd == "MON" { writeln!(out, "{line}") } else { writeln!(out, "{pd:>w$} | {line}", w = self.width) };
            let _ = out.flush();
        }
        self.lines.lock().unwrap().push(OutputLine { pd: pd.to_string(), line });
    }

    fn monitor(&self, line: String) {
        self.emit("MON", line);
    }

    fn pump(&self, pd: String, pipe: impl Read + Send + 'static) -> JoinHandle<()> {
        let console = self.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                match line {
                    Ok(l) => console.emit(&pd, l),
                    Err(_) => break,
                }
            }
        })
    }
}

struct Runner<'a> {
    sys: &'a SystemDescription,
    objects: Objects,
    images: Vec<PathBuf>,
    /// The host core each PD is pinned to, if any.
    cores: Vec<Option<usize>>,
    procs: Vec<Option<Child>>,
    /// Output pumps of each PD's current process.
    pumps: Vec<Vec<JoinHandle<()>>>,
    console: Console,
    faults: Vec<Fault>,
}

pub fn run(sys: &SystemDescription, opts: &RunOptions) -> Result<RunOutcome, RunError> {
    let images = sys
        .pds
        .iter()
        .map(|pd| {
            resolve_program_image(&pd.program_image, &opts.search_path).ok_or_else(|| RunError::ProgramImageNotFound {
                pd: pd.name.clone(),
                image: pd.program_image.clone(),
                search_path: opts.search_path.clone(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let cores = placement(sys, &opts.placement)?;
    let objects = Objects::create(sys).map_err(|e| RunError::Io("creating shared memory".into(), e))?;
    let width = sys.pds.iter().map(|p| p.name.len()).max().unwrap_or(0);
    let console = Console { lines: Arc::default(), quiet: opts.quiet, width };
    let mut runner = Runner {
        sys,
        objects,
        images,
        cores,
        procs: sys.pds.iter().map(|_| None).collect(),
        pumps: sys.pds.iter().map(|_| Vec::new()).collect(),
        console,
        faults: Vec::new(),
    };
    let result = runner.boot().map(|()| runner.supervise(opts));
    runner.shutdown();
    let reason = result?;
    let output = std::mem::take(&mut *runner.console.lines.lock().unwrap());
    Ok(RunOutcome { reason, faults: runner.faults, output })
}

/// Each PD's host core from `placement` (by PD name), checked.
fn placement(sys: &SystemDescription, placement: &[(String, usize)]) -> Result<Vec<Option<usize>>, RunError> {
    // The cores this thread may run on, which its children inherit: not
    // always 0..N (taskset, cgroups' cpusets).
    let allowed = rustix::thread::sched_getaffinity(None).map_err(|e| {
        RunError::Placement(format!("cannot read the cores this process may run on: {}", std::io::Error::from(e)))
    })?;
    let may_run = |c: usize| c < rustix::thread::CpuSet::MAX_CPU && allowed.is_set(c);
    let mut cores = vec![None; sys.pds.len()];
    for (name, core) in placement {
        let Some(i) = sys.pds.iter().position(|pd| pd.name == *name) else {
            return Err(RunError::Placement(format!("the system has no protection domain '{name}'")));
        };
        if !may_run(*core) {
            let list: Vec<String> =
                (0..rustix::thread::CpuSet::MAX_CPU).filter(|&c| may_run(c)).map(|c| c.to_string()).collect();
            return Err(RunError::Placement(format!(
                "core {core} for '{name}', but this process may run only on core(s) {}",
                list.join(",")
            )));
        }
        cores[i] = Some(*core);
    }
    Ok(cores)
}

impl Runner<'_> {
    fn boot(&mut self) -> Result<(), RunError> {
        for i in 0..self.sys.pds.len() {
            self.start(i)?;
        }
        Ok(())
    }

    fn start(&mut self, i: usize) -> Result<(), RunError> {
        let pd = &self.sys.pds[i];
        let db = self.objects.pds[i].doorbell();
        db.waiting.store(0, SeqCst);
        db.status.store(status::ALIVE, SeqCst);
        let mut child = spawn_pd(self.sys, &self.objects, i, &self.images[i], self.cores[i])
            .map_err(|e| RunError::Io(format!("starting protection domain '{}'", pd.name), e))?;
        self.pumps[i].push(self.console.pump(pd.name.clone(), child.stdout.take().unwrap()));
        self.pumps[i].push(self.console.pump(pd.name.clone(), child.stderr.take().unwrap()));
        self.procs[i] = Some(child);
        Ok(())
    }

    fn supervise(&mut self, opts: &RunOptions) -> StopReason {
        let started = Instant::now();
        let mut idle_since: Option<(Instant, u64)> = None;
        loop {
            if opts.stop.as_ref().is_some_and(|s| s.load(Relaxed)) {
                return StopReason::Interrupted;
            }
            if opts.timeout.is_some_and(|t| started.elapsed() >= t) {
                return StopReason::Timeout;
            }
            self.reap();
            self.serve_restart_requests();
            if opts.exit_when_idle {
                // Idle = quiescent for a while with no event handled meanwhile.
                let fp = self.activity_fingerprint();
                match (self.quiescent(), idle_since) {
                    (false, _) => idle_since = None,
                    (true, Some((t, f))) if f == fp => {
                        if t.elapsed() >= Duration::from_millis(50) {
                            return StopReason::Idle;
                        }
                    }
                    (true, _) => idle_since = Some((Instant::now(), fp)),
                }
            }
            std::thread::sleep(POLL);
        }
    }

    /// Collects dead PD processes: each is a fault.
    fn reap(&mut self) {
        for i in 0..self.procs.len() {
            let Some(child) = self.procs[i].as_mut() else { continue };
            let Ok(Some(st)) = child.try_wait() else { continue };
            self.procs[i] = None;
            // Print what the PD said before it died ahead of the fault report.
            for pump in self.pumps[i].drain(..) {
                let _ = pump.join();
            }
            let (label, code, description) = match (st.signal(), st.code()) {
                (Some(sig), _) => {
                    (fault_label::SIGNAL, sig as u64, format!("killed by signal {} ({sig})", signal_name(sig)))
                }
                (None, Some(101)) => (fault_label::EXIT, 101, "panicked (exit status 101)".to_string()),
                (None, Some(c)) => (fault_label::EXIT, c as u64, format!("exited with status {c}")),
                (None, None) => (fault_label::EXIT, 0, "ended".to_string()),
            };
            self.fault(i, label, code, description);
        }
    }

    fn fault(&mut self, i: usize, label: u64, code: u64, description: String) {
        let pd = &self.sys.pds[i];
        let db = self.objects.pds[i].doorbell();
        db.status.store(status::FAULTED, SeqCst);
        // Fail calls that were waiting for this PD to reply.
        for (ci, ch) in self.sys.channels.iter().enumerate() {
            for (e, end) in ch.ends.iter().enumerate() {
                if end.pd == i {
                    let slot = &self.objects.channels[ci].page().ends[e].call;
                    if slot.state.compare_exchange(call_state::CALLED, call_state::FAILED, SeqCst, SeqCst).is_ok() {
                        futex::wake(&slot.state, 1);
                    }
                }
            }
        }
        self.console.monitor(format!("MON|ERROR: faulting PD: {}", pd.name));
        self.console.monitor(format!("MON|ERROR: {description}"));
        let delivered_to = pd.parent.map(|p| {
            let id = pd.child_id.expect("children have ids") as usize;
            let k = self.objects.pds[p].kernel();
            k.faults[id].label.store(label, SeqCst);
            k.faults[id].code.store(code, SeqCst);
            k.child_faults.fetch_or(1 << id, SeqCst);
            let pdb = self.objects.pds[p].doorbell();
            pdb.pending.fetch_or(KERNEL_EVENT_BIT, SeqCst);
            pdb.seq.fetch_add(1, SeqCst);
            futex::wake(&pdb.seq, 1);
            self.console.monitor(format!(
                "MON|INFO: fault of child PD '{}' (id {id}) delivered to '{}'",
                pd.name, self.sys.pds[p].name
            ));
            self.sys.pds[p].name.clone()
        });
        self.faults.push(Fault { pd: pd.name.clone(), description, delivered_to });
    }

    /// A parent's `fault()` returned a reply: restart that child.
    fn serve_restart_requests(&mut self) {
        for p in 0..self.sys.pds.len() {
            let mut bits = self.objects.pds[p].kernel().restart_children.swap(0, SeqCst);
            while bits != 0 {
                let id = bits.trailing_zeros() as u8;
                bits &= bits - 1;
                let Some(c) = self.sys.pds.iter().position(|c| c.parent == Some(p) && c.child_id == Some(id)) else {
                    continue;
                };
                if self.procs[c].is_some() {
                    continue;
                }
                self.console.monitor(format!("MON|INFO: restarting PD '{}'", self.sys.pds[c].name));
                if let Err(e) = self.start(c) {
                    self.console.monitor(format!("MON|ERROR: {e}"));
                }
            }
        }
    }

    /// Every live PD sleeps in its event loop with nothing pending.
    fn quiescent(&self) -> bool {
        let live = |i: usize| self.procs[i].is_some();
        let pds_idle = (0..self.sys.pds.len()).filter(|&i| live(i)).all(|i| {
            let db = self.objects.pds[i].doorbell();
            db.waiting.load(SeqCst) != 0 && db.pending.load(SeqCst) == 0
        });
        let kernel_idle = self
            .objects
            .pds
            .iter()
            .all(|o| o.kernel().child_faults.load(SeqCst) == 0 && o.kernel().restart_children.load(SeqCst) == 0);
        let channels_idle = self.sys.channels.iter().zip(&self.objects.channels).all(|(ch, obj)| {
            ch.ends.iter().zip(&obj.page().ends).all(|(end, inbox)| {
                !live(end.pd) || (inbox.notify.load(SeqCst) == 0 && inbox.call.state.load(SeqCst) != call_state::CALLED)
            })
        });
        pds_idle && kernel_idle && channels_idle
    }

    fn activity_fingerprint(&self) -> u64 {
        self.objects.pds.iter().fold(0u64, |acc, o| {
            let db = o.doorbell();
            acc.wrapping_mul(31).wrapping_add(db.handled.load(SeqCst)).wrapping_add(db.seq.load(SeqCst) as u64)
        })
    }

    /// Kills every PD and waits for their output to drain. Nothing outlives
    /// the runner: memfds are anonymous and die with the last process.
    fn shutdown(&mut self) {
        for child in self.procs.iter_mut().flatten() {
            let _ = child.kill();
        }
        for child in self.procs.iter_mut().filter_map(Option::take) {
            let mut child = child;
            let _ = child.wait();
        }
        for pump in self.pumps.iter_mut().flat_map(|p| p.drain(..)) {
            let _ = pump.join();
        }
    }
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => "signal",
    }
}
