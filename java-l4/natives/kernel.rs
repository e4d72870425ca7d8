//! What the natives need from the platform, behind a trait: in a PD it is
//! ipc-bindings ([`Microkit`]: the seL4 Microkit or the hosted platform);
//! tests plug in a loopback that delivers calls to another VM in the same
//! process.

use ipc_bindings::{Channel, IpcError, MemoryRegion, MessageInfo, RegionError};

/// The kernel operations behind `capuchin.l4`. Messages travel in
/// ipc-bindings' message registers ([`ipc_bindings::with_msg_regs`]) both
/// ways, as on the Microkit.
pub trait Kernel {
    /// This PD's name.
    fn pd_name(&self) -> &str;
    fn is_passive(&self) -> bool;
    /// A protected procedure call; request and reply in the message registers.
    fn pp_call(&mut self, channel: Channel, msg: MessageInfo) -> Result<MessageInfo, IpcError>;
    fn notify(&mut self, channel: Channel) -> Result<(), IpcError>;
    fn memory_region(&mut self, name: &str) -> Result<MemoryRegion, RegionError>;
}

/// The real platform, through ipc-bindings.
pub struct Microkit;

impl Kernel for Microkit {
    fn pd_name(&self) -> &str {
        ipc_bindings::pd_name()
    }

    fn is_passive(&self) -> bool {
        ipc_bindings::pd_is_passive()
    }

    fn pp_call(&mut self, channel: Channel, msg: MessageInfo) -> Result<MessageInfo, IpcError> {
        channel.try_pp_call(msg)
    }

    fn notify(&mut self, channel: Channel) -> Result<(), IpcError> {
        channel.try_notify()
    }

    fn memory_region(&mut self, name: &str) -> Result<MemoryRegion, RegionError> {
        ipc_bindings::memory_region(name)
    }
}
