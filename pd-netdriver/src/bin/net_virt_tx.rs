//! The transmit virtualiser: merges its clients' transmit rings into the
//! driver's and returns sent buffers to their owners (docs/network.md).

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{memory_region, set_mr, Channel, ChannelSet, Handler, Infallible, MessageInfo};
use pd_netdriver::virt::{ppc, virt_tx_channel, VirtTx};

ipc_bindings::protection_domain!(init);

struct Pd {
    virt: VirtTx,
}

fn init() -> Pd {
    let stats = memory_region("stats").unwrap_or_else(|e| panic!("virt_tx: {e}"));
    let mut virt = VirtTx::new(&stats).unwrap_or_else(|e| panic!("virt_tx: {e}"));
    virt.process();
    Pd { virt }
}

impl Handler for Pd {
    type Error = Infallible;

    fn notified(&mut self, _channels: ChannelSet) -> Result<(), Infallible> {
        self.virt.process();
        Ok(())
    }

    fn protected(&mut self, channel: Channel, msg: MessageInfo) -> Result<MessageInfo, Infallible> {
        if channel != virt_tx_channel::CTL || msg.label() != ppc::RESET_DRIVER {
            return Ok(MessageInfo::new(ppc::BAD_REQUEST, 0));
        }
        let n = self.virt.reset_driver();
        set_mr(0, n as u64);
        Ok(MessageInfo::new(ppc::OK, 1))
    }
}
