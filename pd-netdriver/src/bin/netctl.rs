//! `netctl`: the network subsystem's control domain and the driver's
//! parent. At boot it publishes the configuration; when the driver stops
//! (a fault, or a swap it asked for) it has both virtualisers reclaim what
//! the driver held and starts the next driver; VIF domains never notice.
//! On the hosted platform it serves `capuchin vif` on a control socket.

#![cfg_attr(target_os = "none", no_std, no_main)]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use ipc_bindings::{
    debug_println, get_mr, memory_region, Channel, ChannelSet, Child, Handler, Infallible, MemoryRegion, MessageInfo,
};
use pd_netdriver::config::{parse_driver, with_driver_line, ClassSource, NetConfig, DEFAULT_CONFIG};
use pd_netdriver::platform::now_ns;
use pd_netdriver::shared::ConfigPage;
use pd_netdriver::stats::{json_str, StatsSnapshot};
use pd_netdriver::viflet_load::{answered, base64_decode, slot_of, stage, LoadOutcome, SLOTS};
use pd_netdriver::virt::ppc;

ipc_bindings::protection_domain!(init);

const DRIVER: Channel = Channel::new(0);
const CLASSIFIER: Channel = Channel::new(1);
const VIRT_TX: Channel = Channel::new(2);
const FIRST_VIF: usize = 3;
/// Driver faults (not swaps) after which netctl leaves it stopped.
const MAX_CRASHES: u32 = 10;

static SWAP_PENDING: AtomicBool = AtomicBool::new(false);
/// The configuration before the last swap, until the new driver has
/// started: if it cannot start (a missing file, an absent interface),
/// netctl goes back to it.
static PREVIOUS: Previous = Previous { busy: AtomicBool::new(false), text: UnsafeCell::new(None) };
static CRASHES: AtomicU32 = AtomicU32::new(0);
static SWAPS: AtomicU32 = AtomicU32::new(0);

/// A tiny lock for [`PREVIOUS`]: the control thread (hosted) and the event
/// loop both touch it, never for long.
struct Previous {
    busy: AtomicBool,
    text: UnsafeCell<Option<String>>,
}

// Access is serialised by `busy`.
unsafe impl Sync for Previous {}

impl Previous {
    fn with<R>(&self, f: impl FnOnce(&mut Option<String>) -> R) -> R {
        while self.busy.swap(true, Ordering::Acquire) {
            core::hint::spin_loop();
        }
        // SAFETY: `busy` gives us exclusive access.
        let r = f(unsafe { &mut *self.text.get() });
        self.busy.store(false, Ordering::Release);
        r
    }
}

/// The epoch the running (or last) driver published in its stats page.
fn driver_stats_epoch() -> Option<u64> {
    stats_pages().into_iter().find_map(|base| {
        // SAFETY: a stats region system.xml maps into netctl.
        let snap = unsafe { StatsSnapshot::read(base) }?;
        (snap.kind == "driver").then(|| snap.get("epoch")).flatten()
    })
}

struct NetCtl {
    cfg: ConfigPage,
    reports: u64,
}

fn stats_pages() -> Vec<*const u8> {
    let mut v = Vec::new();
    while let Ok(r) = memory_region(&alloc::format!("stats{}", v.len())) {
        v.push(r.base() as *const u8);
    }
    v
}

/// The `stats` command: every domain's page, as JSON.
fn stats_json(cfg: &ConfigPage) -> String {
    let mut s = alloc::format!(
        "{{\"ok\":true,\"driver_epoch\":{},\"swaps\":{},\"crashes\":{},\"swap_pending\":{},\"pds\":[",
        cfg.control().epoch,
        SWAPS.load(Ordering::Relaxed),
        CRASHES.load(Ordering::Relaxed),
        SWAP_PENDING.load(Ordering::Relaxed)
    );
    let mut first = true;
    for base in stats_pages() {
        // SAFETY: a stats region system.xml maps into netctl.
        if let Some(snap) = unsafe { StatsSnapshot::read(base) } {
            if !first {
                s.push(',');
            }
            first = false;
            s.push_str(&snap.to_json());
        }
    }
    s.push_str("]}");
    s
}

/// The `swap` command: a new `driver` line; the running driver is asked to
/// stop, and `fault()` starts the next one.
fn swap(cfg: &ConfigPage, words: &str) -> Result<(), String> {
    parse_driver(&words.split_whitespace().collect::<Vec<_>>())?;
    if SWAP_PENDING.load(Ordering::Acquire) {
        return Err(String::from("a swap is already in progress"));
    }
    let old = cfg.read().unwrap_or_default();
    let new = with_driver_line(&old, words);
    NetConfig::parse(&new).map_err(|e| alloc::format!("{e}"))?;
    cfg.write(&new)?;
    PREVIOUS.with(|p| *p = Some(old));
    SWAP_PENDING.store(true, Ordering::Release);
    cfg.request_stop(cfg.control().epoch);
    DRIVER.notify();
    Ok(())
}

/// The regions netctl shares with VIF `vif` for loads: its `viflet_image`
/// (rw) and `viflet_status` (r), found by region name among
/// `viflet_image{j}` / `viflet_status{j}` (sysgen maps them for every VIF).
fn load_regions(vif: &str) -> Option<(MemoryRegion, MemoryRegion)> {
    let (image, status) = (alloc::format!("{vif}_viflet_image"), alloc::format!("{vif}_viflet_status"));
    let find = |sym: &str, name: &str| {
        (0..).map_while(|j| memory_region(&alloc::format!("{sym}{j}")).ok()).find(|r| r.name() == name)
    };
    Some((find("viflet_image", &image)?, find("viflet_status", &status)?))
}

/// Load requests so far (each gets the next number, `load=N`).
static LOAD_REQUESTS: AtomicU32 = AtomicU32::new(0);
/// One load at a time: the staging region and the answer are per request.
static LOAD_BUSY: AtomicBool = AtomicBool::new(false);
/// How long a VIF may take to build its new processor (a VM, a class
/// image, a constructor) before netctl gives up on the answer.
const LOAD_TIMEOUT_NS: u64 = 30_000_000_000;

/// The `load` command: new processor settings for one VIF (`vif0
/// processor=java:vif.PriQ_VIFlet heap=2m image64=BASE64`). The image
/// bytes, if any, are staged in the VIF's `viflet_image` region as load
/// N; the settings (with `image=N load=N`) are appended to the
/// configuration (later lines win) and the VIFs notified; the one named
/// swaps its processor between two wakeups and answers N in its
/// `viflet_status` region. A refusal puts the configuration back and is
/// returned as the error; the old processor keeps running.
fn load(cfg: &ConfigPage, words: &str) -> Result<String, String> {
    let (vif, settings) =
        words.trim().split_once(' ').ok_or("load VIF SETTINGS (e.g. load vif0 processor=java:C image64=BASE64)")?;
    let mut image = None;
    let mut kept = Vec::new();
    for w in settings.split_whitespace() {
        match w.split_once('=') {
            Some(("image64", b64)) => {
                image = Some(base64_decode(b64).map_err(|e| alloc::format!("load {vif}: image64: {e}"))?)
            }
            Some(("classes" | "image" | "load", _)) => {
                return Err(alloc::format!(
                    "load {vif}: '{w}': the class image travels as bytes (image64=BASE64, which `capuchin vif load \
                     ... classes=IMAGE` sends); netctl numbers the load"
                ))
            }
            Some(_) => kept.push(w),
            None => return Err(alloc::format!("load {vif}: give key=value settings, found '{w}'")),
        }
    }
    if matches!(vif, "driver" | "classifier") {
        return Err(alloc::format!("load {vif}: give a VIF's name"));
    }
    let (image_region, status_region) = load_regions(vif).ok_or_else(|| {
        alloc::format!("load {vif}: no VIF domain '{vif}' with viflet_image and viflet_status regions")
    })?;
    if LOAD_BUSY.swap(true, Ordering::Acquire) {
        return Err(String::from("another load is in progress"));
    }
    let r = load_locked(cfg, vif, &kept, image.as_deref(), &image_region, &status_region);
    LOAD_BUSY.store(false, Ordering::Release);
    r
}

fn load_locked(
    cfg: &ConfigPage,
    vif: &str,
    settings: &[&str],
    image: Option<&[u8]>,
    image_region: &MemoryRegion,
    status_region: &MemoryRegion,
) -> Result<String, String> {
    let n = LOAD_REQUESTS.fetch_add(1, Ordering::Relaxed) + 1;
    let old = cfg.read().unwrap_or_default();
    let mut new = old.clone();
    if !new.ends_with('\n') && !new.is_empty() {
        new.push('\n');
    }
    new.push_str(&alloc::format!("{vif} {}", settings.join(" ")));
    if let Some(bytes) = image {
        // Not over the image the VIF runs now (the configuration's
        // `image=G`): if this load is refused, it keeps running from it.
        let base = image_region.base();
        let running = match NetConfig::parse(&old).map(|c| c.vif(vif).java.classes) {
            // SAFETY: the VIF's viflet_image region, mapped rw into netctl.
            Ok(ClassSource::Staged(g)) => unsafe { slot_of(base, image_region.size(), g) },
            _ => None,
        };
        let slot = running.map_or(0, |k| (k + 1) % SLOTS);
        // SAFETY: as above; written by this (serialised) command only.
        unsafe { stage(base, image_region.size(), slot, n, bytes) }.map_err(|e| alloc::format!("load {vif}: {e}"))?;
        new.push_str(&alloc::format!(" image={n}"));
    }
    new.push_str(&alloc::format!(" load={n}\n"));
    NetConfig::parse(&new).map_err(|e| alloc::format!("{e}"))?;
    cfg.write(&new)?;
    notify_vifs();
    let start = now_ns();
    let outcome = loop {
        // SAFETY: the VIF's viflet_status region, mapped read-only here.
        if let Some(o) = unsafe { answered(status_region.base(), status_region.size(), n) } {
            break Ok(o);
        }
        if now_ns().saturating_sub(start) > LOAD_TIMEOUT_NS {
            break Err(alloc::format!("load {vif}: no answer from {vif} within {} s", LOAD_TIMEOUT_NS / 1_000_000_000));
        }
        pause();
    };
    match outcome {
        Ok(LoadOutcome::Replaced(p)) => {
            Ok(alloc::format!("{{\"ok\":true,\"replaced\":true,\"processor\":{}}}", json_str(&p)))
        }
        Ok(LoadOutcome::Unchanged(p)) => {
            Ok(alloc::format!("{{\"ok\":true,\"replaced\":false,\"processor\":{}}}", json_str(&p)))
        }
        Ok(LoadOutcome::Refused(why)) => {
            // Back to the configuration the running processor came from.
            cfg.write(&old)?;
            notify_vifs();
            Err(alloc::format!("{vif}: {why}"))
        }
        Err(e) => {
            cfg.write(&old)?;
            notify_vifs();
            Err(e)
        }
    }
}

fn notify_vifs() {
    let mut k = 0;
    while Channel::new(FIRST_VIF + k).try_notify().is_ok() {
        k += 1;
    }
}

/// Between polls of a VIF's answer (the control thread, hosted).
fn pause() {
    #[cfg(target_os = "linux")]
    std::thread::sleep(std::time::Duration::from_millis(1));
    #[cfg(not(target_os = "linux"))]
    core::hint::spin_loop();
}

/// One control command; one JSON line back.
fn command(cfg: &ConfigPage, line: &str) -> String {
    let (cmd, rest) = line.split_once(' ').unwrap_or((line, ""));
    let err = |e: &str| alloc::format!("{{\"ok\":false,\"error\":{}}}", json_str(e));
    match cmd {
        "stats" => stats_json(cfg),
        "config" => alloc::format!("{{\"ok\":true,\"config\":{}}}", json_str(&cfg.read().unwrap_or_default())),
        "swap" => match swap(cfg, rest) {
            Ok(()) => String::from("{\"ok\":true}"),
            Err(e) => err(&e),
        },
        "load" => load(cfg, rest).unwrap_or_else(|e| err(&e)),
        "ping" => String::from("{\"ok\":true}"),
        "kick" => {
            // Wake every domain so that it collects returned buffers and
            // publishes fresh counters (for audits).
            for ch in [CLASSIFIER, VIRT_TX] {
                let _ = ch.try_notify();
            }
            let mut k = 0;
            while Channel::new(FIRST_VIF + k).try_notify().is_ok() {
                k += 1;
            }
            String::from("{\"ok\":true}")
        }
        _ => err(&alloc::format!(
            "unknown command '{cmd}' (stats, config, swap DRIVER-SETTINGS, load VIF SETTINGS, kick, ping)"
        )),
    }
}

fn init() -> NetCtl {
    let cfg = ConfigPage::find().unwrap_or_else(|e| panic!("netctl: {e}"));
    let text = match pd_netdriver::platform::config_override() {
        Ok(Some(t)) => t,
        Ok(None) => String::from(DEFAULT_CONFIG),
        Err(e) => panic!("netctl: {e}"),
    };
    if let Err(e) = NetConfig::parse(&text) {
        panic!("netctl: {e}");
    }
    cfg.write(&text).unwrap_or_else(|e| panic!("netctl: {e}"));
    cfg.begin_driver_epoch(true);
    for ch in [DRIVER, CLASSIFIER, VIRT_TX] {
        let _ = ch.try_notify();
    }
    let mut k = 0;
    while Channel::new(FIRST_VIF + k).try_notify().is_ok() {
        k += 1;
    }
    debug_println!(
        "netctl: configuration published ({} VIF domain(s) notified; {} bytes, digest {:#018x})",
        k,
        text.len(),
        pd_netdriver::config::digest(&text)
    );
    start_control(cfg);
    NetCtl { cfg, reports: 0 }
}

#[cfg(target_os = "linux")]
fn start_control(cfg: ConfigPage) {
    if let Ok(path) = std::env::var(pd_netdriver::platform::CONTROL_ENV) {
        match pd_netdriver::hosted::control::serve(&path, move |line| command(&cfg, line)) {
            Ok(()) => debug_println!("netctl: control socket {path}"),
            Err(e) => debug_println!("netctl: {e}"),
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn start_control(_: ConfigPage) {
    let _ = command;
}

fn reset(ch: Channel, what: &str) -> u64 {
    match ch.try_pp_call(MessageInfo::new(ppc::RESET_DRIVER, 0)) {
        Ok(reply) if reply.label() == ppc::OK => get_mr(0),
        Ok(reply) => {
            debug_println!("netctl: {what} refused the reset (label {})", reply.label());
            0
        }
        Err(e) => {
            debug_println!("netctl: {what}: {e}");
            0
        }
    }
}

impl Handler for NetCtl {
    type Error = Infallible;

    fn notified(&mut self, channels: ChannelSet) -> Result<(), Infallible> {
        // The driver's `report_after`: its counters moved. netctl has the
        // lowest priority, so on seL4 this runs when every other domain is
        // idle: each report is a consistent picture of a quiet pipeline.
        if channels.contains(DRIVER) {
            self.reports += 1;
            let k = self.reports;
            for base in stats_pages() {
                // SAFETY: a stats region system.xml maps into netctl.
                if let Some(snap) = unsafe { StatsSnapshot::read(base) } {
                    debug_println!("netctl: report {k} {}", snap.to_json());
                }
            }
            debug_println!("netctl: report {k} end");
        }
        Ok(())
    }

    fn fault(&mut self, child: Child, msg: MessageInfo) -> Result<Option<MessageInfo>, Infallible> {
        if child.index() != 0 {
            return Ok(None);
        }
        let swapping = SWAP_PENDING.swap(false, Ordering::AcqRel);
        if swapping {
            SWAPS.fetch_add(1, Ordering::Relaxed);
        } else {
            let n = CRASHES.fetch_add(1, Ordering::Relaxed) + 1;
            debug_println!("netctl: the driver faulted (label {:#x}, code {}), crash {n}", msg.label(), get_mr(0));
            if n > MAX_CRASHES {
                debug_println!("netctl: giving up on the driver after {MAX_CRASHES} crashes");
                return Ok(None);
            }
        }
        // A driver that never got going under a swapped-in configuration
        // (it faulted before publishing its epoch): go back to the previous
        // configuration, resuming its input where it stopped.
        let started = driver_stats_epoch() == Some(self.cfg.control().epoch as u64);
        if !swapping {
            let previous = PREVIOUS.with(|p| p.take());
            if let (false, Some(old)) = (started, previous) {
                if self.cfg.write(&old).is_ok() {
                    self.cfg.revert_driver_line();
                    debug_println!("netctl: the swapped-in driver did not start; going back to the previous one");
                }
            }
        }
        let rx = reset(CLASSIFIER, "classifier");
        let tx = reset(VIRT_TX, "virt_tx");
        let epoch = self.cfg.begin_driver_epoch(swapping);
        debug_println!(
            "netctl: {} driver: {rx} receive buffers reclaimed, {tx} frames lost in it; starting epoch {epoch}",
            if swapping { "swapping the" } else { "restarting the" }
        );
        Ok(Some(MessageInfo::new(0, 0)))
    }
}
