//! The link-time platform interface (feature `external-platform`).
//!
//! Like `sel4-microkit`'s `extern-symbols` feature, this crate only
//! *declares* the platform operations; a backend crate linked into the same
//! program defines each of them with `#[no_mangle]` and exactly these
//! signatures. The seL4 Microkit backend is `ipc-bindings-sel4` (in the
//! separate `sel4/` cargo workspace). A program that enables this feature
//! but links no backend fails to link, naming the missing symbol.
//!
//! The functions use the Rust ABI (`extern "Rust"`): backend and this crate
//! are always built by the same compiler in the same cargo invocation, so
//! they can exchange ordinary Rust types.

use crate::{Channel, IpcError, MemoryRegion, MessageInfo, MessageRegisterValue, RegionError, MAX_MESSAGE_REGISTERS};

unsafe extern "Rust" {
    /// Signals the notification of `channel` (`microkit_notify`).
    pub fn __capuchin_platform_notify(channel: Channel) -> Result<(), IpcError>;
    /// Protected procedure call on `channel` (`microkit_ppcall`); the
    /// payload is in the message registers both ways.
    pub fn __capuchin_platform_pp_call(channel: Channel, msg_info: MessageInfo) -> Result<MessageInfo, IpcError>;
    /// Acknowledges the IRQ delivered on `channel` (`microkit_irq_ack`).
    pub fn __capuchin_platform_irq_ack(channel: Channel) -> Result<(), IpcError>;
    /// This PD's name as system.xml gives it.
    pub fn __capuchin_platform_pd_name() -> &'static str;
    /// True for a `passive="true"` PD.
    pub fn __capuchin_platform_pd_is_passive() -> bool;
    /// The region mapped into this PD under `name` (a `setvar_vaddr`
    /// symbol or a memory region name).
    pub fn __capuchin_platform_memory_region(name: &str) -> Result<MemoryRegion, RegionError>;
    /// Writes to the debug console.
    pub fn __capuchin_platform_debug_write(s: &str);
    /// Nanoseconds on a monotonic clock, if the platform has one.
    pub fn __capuchin_platform_monotonic_ns() -> Option<u64>;
    /// The message registers of this thread's IPC buffer. The pointer must
    /// stay valid for the life of the program (it is asked for once);
    /// [`crate::with_msg_regs`] and friends do the borrow checking.
    pub fn __capuchin_platform_msg_regs() -> *mut [MessageRegisterValue; MAX_MESSAGE_REGISTERS];
}

pub(crate) mod ops {
    use super::*;

    pub(crate) fn notify(ch: Channel) -> Result<(), IpcError> {
        // SAFETY: defined by the backend with this signature.
        unsafe { __capuchin_platform_notify(ch) }
    }

    pub(crate) fn pp_call(ch: Channel, msg: MessageInfo) -> Result<MessageInfo, IpcError> {
        unsafe { __capuchin_platform_pp_call(ch, msg) }
    }

    pub(crate) fn irq_ack(ch: Channel) -> Result<(), IpcError> {
        unsafe { __capuchin_platform_irq_ack(ch) }
    }

    pub(crate) fn pd_name() -> &'static str {
        unsafe { __capuchin_platform_pd_name() }
    }

    pub(crate) fn pd_is_passive() -> bool {
        unsafe { __capuchin_platform_pd_is_passive() }
    }

    pub(crate) fn memory_region(name: &str) -> Result<MemoryRegion, RegionError> {
        unsafe { __capuchin_platform_memory_region(name) }
    }

    pub(crate) fn debug_write(s: &str) {
        unsafe { __capuchin_platform_debug_write(s) }
    }

    pub(crate) fn monotonic_ns() -> Option<u64> {
        unsafe { __capuchin_platform_monotonic_ns() }
    }

    pub(crate) fn msg_regs() -> *mut [MessageRegisterValue; MAX_MESSAGE_REGISTERS] {
        unsafe { __capuchin_platform_msg_regs() }
    }
}
