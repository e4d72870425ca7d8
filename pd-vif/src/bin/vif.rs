//! A VIF domain (docs/network.md): waits for `netctl` to publish the
//! configuration, then runs its configured packet processor.

#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(not(target_os = "linux"))]
extern crate alloc;

use ipc_bindings::{debug_println, memory_region, ChannelSet, Handler, Infallible, MemoryRegion};
use pd_netdriver::config::NetConfig;
use pd_netdriver::shared::ConfigPage;
use pd_vif::domain::Vif;
use pd_vif::viflet::JavaHost;

ipc_bindings::protection_domain!(init);

struct Pd {
    cfg: ConfigPage,
    stats: MemoryRegion,
    vif: Option<Vif>,
    /// The configuration's sequence number when it was last read.
    seen: u32,
}

fn init() -> Pd {
    let name = ipc_bindings::pd_name();
    let cfg = ConfigPage::find().unwrap_or_else(|e| panic!("{name}: {e}"));
    let stats = memory_region("stats").unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut pd = Pd { cfg, stats, vif: None, seen: 0 };
    pd.try_start();
    pd
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
        let vif = Vif::new(&net.vif(name), &self.stats, parent, &java_host()).unwrap_or_else(|e| panic!("{name}: {e}"));
        debug_println!("{name}: processor {}, {} child VIF(s)", vif.processor_name(), vif.children.len());
        self.vif = Some(vif);
    }
}

impl Pd {
    /// `netctl` published a new configuration (`capuchin vif load`, a
    /// driver swap): swap the processor if ours changed.
    fn reload(&mut self) {
        let seq = self.cfg.sequence();
        if seq % 2 == 1 {
            return; // being written; the next wakeup looks again
        }
        let Some(text) = self.cfg.read() else { return };
        self.seen = seq;
        let name = ipc_bindings::pd_name();
        let node = match NetConfig::parse(&text) {
            Ok(n) => n.vif(name),
            Err(e) => return debug_println!("{name}: new configuration ignored: {e}"),
        };
        let vif = self.vif.as_mut().expect("started");
        match vif.reconfigure(&node, &java_host()) {
            Ok(true) => debug_println!("{name}: processor replaced by {}", vif.processor_name()),
            Ok(false) => {}
            Err(e) => debug_println!("{name}: processor not replaced, {} keeps running: {e}", vif.processor_name()),
        }
    }
}

impl Handler for Pd {
    type Error = Infallible;

    fn notified(&mut self, _channels: ChannelSet) -> Result<(), Infallible> {
        if self.vif.is_some() && self.cfg.sequence() != self.seen {
            self.reload();
        }
        match self.vif.as_mut() {
            Some(v) => v.process(),
            None => self.try_start(),
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

/// Hosted: the class library is `java-l4.img` next to this executable
/// (`make java-l4` puts it there), VIFlet images are files.
#[cfg(target_os = "linux")]
fn java_host() -> JavaHost {
    fn library() -> Result<&'static [u8], String> {
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
        read_classes: |path| std::fs::read(path).map_err(|e| format!("VIFlet image {path}: {e}")),
        output: || Box::new(DebugOutput),
    }
}

/// seL4: the library and VIFlet images are not wired up yet.
#[cfg(not(target_os = "linux"))]
fn java_host() -> JavaHost {
    JavaHost { output: || alloc::boxed::Box::new(DebugOutput), ..JavaHost::NONE }
}
