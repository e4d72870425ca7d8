//! A VIF domain (docs/network.md): waits for `netctl` to publish the
//! configuration, then runs its configured packet processor.

#![cfg_attr(target_os = "none", no_std, no_main)]

extern crate alloc;

use alloc::format;
use alloc::string::String;

use ipc_bindings::{debug_println, memory_region, ChannelSet, Handler, Infallible, MemoryRegion};
use pd_netdriver::config::{ClassSource, NetConfig};
use pd_netdriver::shared::ConfigPage;
use pd_netdriver::viflet_load::{answer, LoadOutcome};
use pd_vif::domain::Vif;
use pd_vif::viflet::JavaHost;

ipc_bindings::protection_domain!(init, heap_size = HEAP_SIZE);

/// The class library (`java-l4.img`) and one VIFlet class image, embedded
/// at build time where the platform has no files (seL4: mk/sel4.mk sets
/// CAPUCHIN_VIF_LIBRARY and CAPUCHIN_VIF_CLASSES; see pd-vif/embed_images.rs).
/// Empty when not: the hosted domain then reads files.
static LIBRARY: &[u8] = include_bytes!(env!("CAPUCHIN_VIF_LIBRARY_FILE"));
static CLASSES: &[u8] = include_bytes!(env!("CAPUCHIN_VIF_CLASSES_FILE"));
/// Whether a library is embedded, for the heap size (a const cannot read
/// the static; this evaluates to a bool and embeds nothing).
#[cfg_attr(target_os = "linux", allow(dead_code))]
const HAS_LIBRARY: bool = !include_bytes!(env!("CAPUCHIN_VIF_LIBRARY_FILE")).is_empty();

/// The domain's native heap on seL4 (the hosted platform uses the
/// process's allocator). With an embedded class library it holds a VM per
/// VIFlet (the heap quota, 1 MiB by default, plus class tables and stacks,
/// as the JVM PD's 16 MiB); a build may set it in bytes with
/// CAPUCHIN_VIF_PD_HEAP.
#[cfg_attr(target_os = "linux", allow(dead_code))]
const HEAP_SIZE: usize =
    ipc_bindings::heap_size(option_env!("CAPUCHIN_VIF_PD_HEAP"), if HAS_LIBRARY { 16 << 20 } else { 2 << 20 });

struct Pd {
    cfg: ConfigPage,
    stats: MemoryRegion,
    /// Where this VIF answers `capuchin vif load` requests (netctl reads it).
    status: Option<MemoryRegion>,
    vif: Option<Vif>,
    /// The configuration's sequence number when it was last read.
    seen: u32,
    /// The last load request (`load=N`) answered.
    answered: u32,
}

fn init() -> Pd {
    let name = ipc_bindings::pd_name();
    code_region(name);
    let cfg = ConfigPage::find().unwrap_or_else(|e| panic!("{name}: {e}"));
    let stats = memory_region("stats").unwrap_or_else(|e| panic!("{name}: {e}"));
    let status = memory_region("viflet_status").ok().filter(|r| r.is_writable());
    let mut pd = Pd { cfg, stats, status, vif: None, seen: 0, answered: 0 };
    pd.try_start();
    pd
}

/// The JIT's code memory: the region system.xml maps twice, read-write at
/// `jit_code_rw` and read-execute at `jit_code_rx` (docs/jit.md); a VIF
/// without it interprets its VIFlets unless the platform has another
/// (hosted: a memfd).
fn code_region(name: &str) {
    let (w, x) = match ipc_bindings::dual_mapped_region("jit_code_rw", "jit_code_rx") {
        Ok(Some(maps)) => maps,
        Ok(None) => return,
        Err(e) => return debug_println!("{name}: no JIT code memory: {e}"),
    };
    // SAFETY: two mappings of one region (checked above), for the PD's
    // life, used by the VIFlets' JIT only.
    unsafe { pd_vif::viflet::set_code_region(w.base(), x.base() as usize, w.size()) };
}

impl Pd {
    fn try_start(&mut self) {
        self.seen = self.cfg.sequence();
        let Some(text) = self.cfg.read() else { return };
        let name = ipc_bindings::pd_name();
        let net = NetConfig::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The rings between a parent P and a child C are the regions
        // `P__C_free` and `P__C_active` (docs/network.md, "Naming").
        let rx = memory_region("rx_free").map(|r| r.name()).unwrap_or("");
        let parent = rx.split_once("__").map_or("?", |(p, _)| p);
        let node = net.vif(name);
        // A load before this start (none in practice) is not answered.
        self.answered = node.load_request;
        let vif = Vif::new(&node, &self.stats, parent, &java_host()).unwrap_or_else(|e| panic!("{name}: {e}"));
        debug_println!("{name}: processor {}, {} child VIF(s)", vif.processor_name(), vif.children.len());
        self.vif = Some(vif);
    }
}

impl Pd {
    /// `netctl` published a new configuration (`capuchin vif load`, a
    /// driver swap): swap the processor if ours changed. Returns the load
    /// request to answer, if this was one.
    fn reload(&mut self) -> Option<(u32, LoadOutcome)> {
        let seq = self.cfg.sequence();
        if seq % 2 == 1 {
            return None; // being written; the next wakeup looks again
        }
        let text = self.cfg.read()?;
        self.seen = seq;
        let name = ipc_bindings::pd_name();
        let node = match NetConfig::parse(&text) {
            Ok(n) => n.vif(name),
            Err(e) => {
                debug_println!("{name}: new configuration ignored: {e}");
                return None;
            }
        };
        let vif = self.vif.as_mut().expect("started");
        let outcome = match vif.reconfigure(&node, &java_host()) {
            Ok(true) => {
                debug_println!("{name}: processor replaced by {}", vif.processor_name());
                LoadOutcome::Replaced(vif.processor_name().into())
            }
            Ok(false) => LoadOutcome::Unchanged(vif.processor_name().into()),
            Err(e) => {
                debug_println!("{name}: processor not replaced, {} keeps running: {e}", vif.processor_name());
                LoadOutcome::Refused(format!("processor not replaced, {} keeps running: {e}", vif.processor_name()))
            }
        };
        // netctl numbers loads upwards; a lower number is its revert of a
        // refused one (nothing to answer).
        (node.load_request > self.answered).then_some((node.load_request, outcome))
    }

    /// Answers load request `n` (after the wakeup published the counters,
    /// so `capuchin vif load` returning means `vif list` shows the swap).
    fn answer(&mut self, n: u32, outcome: &LoadOutcome) {
        self.answered = n;
        if let Some(r) = &self.status {
            // SAFETY: our viflet_status region (checked writable), written by us only.
            unsafe { answer(r.base(), r.size(), n, outcome) };
        }
    }
}

impl Handler for Pd {
    type Error = Infallible;

    fn notified(&mut self, _channels: ChannelSet) -> Result<(), Infallible> {
        let mut load = None;
        if self.vif.is_some() && self.cfg.sequence() != self.seen {
            load = self.reload();
        }
        match self.vif.as_mut() {
            Some(v) => v.process(),
            None => self.try_start(),
        }
        if let Some((n, outcome)) = load {
            self.answer(n, &outcome);
        }
        Ok(())
    }
}

/// VIFlet output and reports on the domain's debug console.
struct DebugOutput;

impl pd_jvm::runtime::Output for DebugOutput {
    fn write(&mut self, _fd: i32, bytes: &[u8]) {
        for chunk in bytes.utf8_chunks() {
            ipc_bindings::__debug_write(chunk.valid());
        }
    }
}

/// The VIFlet image a configuration names: none for the one this binary
/// embeds (a `classes=FILE` only where there are files).
fn embedded_classes(source: &ClassSource) -> Result<alloc::vec::Vec<u8>, String> {
    match (source, CLASSES.is_empty()) {
        (ClassSource::Embedded, false) => Ok(CLASSES.to_vec()),
        (ClassSource::Embedded, true) => Err(String::from(
            "no classes=IMAGE (a capuchin pack image), no image loaded with `capuchin vif load`, and this VIF \
             binary embeds no VIFlet image (build it with CAPUCHIN_VIF_CLASSES=/abs/path/to/viflets.img)",
        )),
        (ClassSource::File(p), _) => Err(format!(
            "classes={p}: this platform has no files; leave classes= out to use the VIFlet image this binary \
             embeds, or load one with `capuchin vif load` (it travels through the viflet_image region)"
        )),
        (ClassSource::Staged(n), _) => Err(format!("image={n}: read from the viflet_image region, not here")),
    }
}

/// Hosted: the class library is the embedded one if there is one, else
/// `java-l4.img` next to this executable (`make java-l4` puts it there);
/// VIFlet images are `classes=` files, or the embedded one without it.
#[cfg(target_os = "linux")]
fn java_host() -> JavaHost {
    fn library() -> Result<&'static [u8], String> {
        if !LIBRARY.is_empty() {
            return Ok(LIBRARY);
        }
        static LIB: std::sync::OnceLock<Result<&'static [u8], String>> = std::sync::OnceLock::new();
        LIB.get_or_init(|| {
            let exe = std::env::current_exe().map_err(|e| e.to_string())?;
            let path = exe.with_file_name("java-l4.img");
            let bytes = std::fs::read(&path)
                .map_err(|e| format!("{}: {e} (build the class library with `make java-l4`)", path.display()))?;
            Ok(&*Box::leak(bytes.into_boxed_slice()))
        })
        .clone()
    }
    JavaHost {
        library,
        read_classes: |source| match source {
            ClassSource::File(p) => std::fs::read(p).map_err(|e| format!("VIFlet image {p}: {e}")),
            other => embedded_classes(other),
        },
        output: || Box::new(DebugOutput),
    }
}

/// seL4: no files; the library and the VIFlet image are the embedded ones.
#[cfg(not(target_os = "linux"))]
fn java_host() -> JavaHost {
    JavaHost {
        library: || match LIBRARY.is_empty() {
            false => Ok(LIBRARY),
            true => Err(String::from(
                "this VIF binary embeds no class library (build it with \
                 CAPUCHIN_VIF_LIBRARY=/abs/path/to/java-l4.img, as `make qemu-net` does)",
            )),
        },
        read_classes: embedded_classes,
        output: || alloc::boxed::Box::new(DebugOutput),
    }
}
