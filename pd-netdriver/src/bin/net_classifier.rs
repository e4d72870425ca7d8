//! The receive virtualiser and root of the VIF tree: classifies each frame
//! from the driver into a VIF domain (or the bypass, or drops it), copying
//! it into that domain's own buffers (docs/network.md).

#![cfg_attr(target_os = "none", no_std, no_main)]

extern crate alloc;

use ipc_bindings::{
    debug_println, memory_region, set_mr, Channel, ChannelSet, Handler, Infallible, MemoryRegion, MessageInfo,
};
use pd_netdriver::config::NetConfig;
use pd_netdriver::shared::ConfigPage;
use pd_netdriver::virt::{classifier_channel, ppc, Classifier};

ipc_bindings::protection_domain!(init);

struct Pd {
    cfg: ConfigPage,
    stats: MemoryRegion,
    classifier: Option<Classifier>,
}

fn init() -> Pd {
    let cfg = ConfigPage::find().unwrap_or_else(|e| panic!("classifier: {e}"));
    let stats = memory_region("stats").unwrap_or_else(|e| panic!("classifier: {e}"));
    let mut pd = Pd { cfg, stats, classifier: None };
    pd.try_start();
    pd
}

impl Pd {
    fn try_start(&mut self) {
        let Some(text) = self.cfg.read() else { return };
        let net = NetConfig::parse(&text).unwrap_or_else(|e| panic!("classifier: {e}"));
        let c = Classifier::new(&net.classifier, &self.stats).unwrap_or_else(|e| panic!("classifier: {e}"));
        let names: alloc::vec::Vec<&str> = c.children.iter().map(|c| c.name.as_str()).collect();
        debug_println!("classifier: {} child VIF(s) {:?}", names.len(), names);
        self.classifier = Some(c);
    }
}

impl Handler for Pd {
    type Error = Infallible;

    fn notified(&mut self, _channels: ChannelSet) -> Result<(), Infallible> {
        match self.classifier.as_mut() {
            Some(c) => c.process(),
            None => self.try_start(),
        }
        Ok(())
    }

    fn protected(&mut self, channel: Channel, msg: MessageInfo) -> Result<MessageInfo, Infallible> {
        if channel != classifier_channel::CTL || msg.label() != ppc::RESET_DRIVER {
            return Ok(MessageInfo::new(ppc::BAD_REQUEST, 0));
        }
        let n = self.classifier.as_mut().map_or(0, |c| c.reset_driver());
        set_mr(0, n as u64);
        Ok(MessageInfo::new(ppc::OK, 1))
    }
}
