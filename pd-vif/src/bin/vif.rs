//! A VIF domain (docs/network.md): waits for `netctl` to publish the
//! configuration, then runs its configured packet processor.

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{debug_println, memory_region, ChannelSet, Handler, Infallible, MemoryRegion};
use pd_netdriver::config::NetConfig;
use pd_netdriver::shared::ConfigPage;
use pd_vif::domain::Vif;

ipc_bindings::protection_domain!(init);

struct Pd {
    cfg: ConfigPage,
    stats: MemoryRegion,
    vif: Option<Vif>,
}

fn init() -> Pd {
    let name = ipc_bindings::pd_name();
    let cfg = ConfigPage::find().unwrap_or_else(|e| panic!("{name}: {e}"));
    let stats = memory_region("stats").unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut pd = Pd { cfg, stats, vif: None };
    pd.try_start();
    pd
}

impl Pd {
    fn try_start(&mut self) {
        let Some(text) = self.cfg.read() else { return };
        let name = ipc_bindings::pd_name();
        let net = NetConfig::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The rings between a parent P and a child C are the regions
        // `P__C_free` and `P__C_active` (docs/network.md, "Naming").
        let rx = memory_region("rx_free").map(|r| r.name()).unwrap_or("");
        let parent = rx.split_once("__").map_or("?", |(p, _)| p);
        let vif = Vif::new(&net.vif(name), &self.stats, parent).unwrap_or_else(|e| panic!("{name}: {e}"));
        debug_println!("{name}: processor {}, {} child VIF(s)", vif.processor_name(), vif.children.len());
        self.vif = Some(vif);
    }
}

impl Handler for Pd {
    type Error = Infallible;

    fn notified(&mut self, _channels: ChannelSet) -> Result<(), Infallible> {
        match self.vif.as_mut() {
            Some(v) => v.process(),
            None => self.try_start(),
        }
        Ok(())
    }
}
