use crate::{Channel, IpcError, MemoryRegion, MessageInfo, RegionError};

pub(crate) fn notify(_: Channel) -> Result<(), IpcError> {
    Err(IpcError::NoPlatform)
}

pub(crate) fn pp_call(_: Channel, _: MessageInfo) -> Result<MessageInfo, IpcError> {
    Err(IpcError::NoPlatform)
}

pub(crate) fn irq_ack(_: Channel) -> Result<(), IpcError> {
    Err(IpcError::NoPlatform)
}

pub(crate) fn pd_name() -> &'static str {
    "(no platform)"
}

pub(crate) fn pd_is_passive() -> bool {
    false
}

pub(crate) fn memory_region(name: &str) -> Result<MemoryRegion, RegionError> {
    Err(RegionError::NotMapped { name: name.into() })
}

pub(crate) fn debug_write(_: &str) {}

pub(crate) fn monotonic_ns() -> Option<u64> {
    None
}
