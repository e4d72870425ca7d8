//! Capuchin's IPC API for protection domains.
//!
//! The same PD source runs on the seL4 Microkit and on the hosted platform
//! (`capuchin run`), because both implement this API. It follows the shape
//! of rust-sel4's `sel4-microkit` crate: an init function named in
//! [`protection_domain!`] returns a [`Handler`]; the event loop calls its
//! `notified`, `protected` and `fault` methods; [`Channel`]s notify, make
//! protected procedure calls and acknowledge IRQs; message registers are
//! reached through [`with_msg_regs`] and friends. On top of that:
//!
//! * [`stream`]: a typed, bounds-checked IPC stream over the message
//!   registers, with large payloads in shared memory;
//! * [`memory_region`]: the regions system.xml maps into this PD, by name;
//! * `try_` variants of channel operations that return [`IpcError`]
//!   instead of faulting the PD.
//!
//! The crate is `no_std` + `alloc`. Backends: feature `hosted` (std, one
//! Linux process per PD, futexes in shared memory) and feature
//! `external-platform`, whose operations a backend crate provides at link
//! time: the seL4 Microkit backend `ipc-bindings-sel4` in the separate seL4
//! build workspace (see docs/sel4.md).

#![no_std]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod channel;
mod defer;
mod handler;
mod ipc_buffer;
mod message;
mod platform;
mod region;
pub mod stream;

#[cfg(feature = "hosted")]
pub mod hosted;

pub use channel::{Channel, ChannelSet, ChannelSetIter, Child, DisplayChannelSet, IpcError, IrqAckError, MAX_CHANNELS};
pub use defer::{DeferredAction, DeferredActionInterface, DeferredActionSlot};
pub use handler::{Handler, Infallible, NullHandler};
pub use message::{MessageInfo, MessageLabel, MessageRegisterValue, MAX_MESSAGE_REGISTERS, MESSAGE_LABEL_BITS};
pub use region::{MemoryRegion, RegionError};

use stream::{StreamError, StreamReader, StreamWriter};
use zerocopy::IntoBytes;

/// Reads this PD's message registers.
pub fn with_msg_regs<T>(f: impl FnOnce(&[MessageRegisterValue]) -> T) -> T {
    ipc_buffer::with_buffer(|b| b.with(f))
}

/// Writes this PD's message registers.
pub fn with_msg_regs_mut<T>(f: impl FnOnce(&mut [MessageRegisterValue]) -> T) -> T {
    ipc_buffer::with_buffer(|b| b.with_mut(f))
}

/// [`with_msg_regs_mut`] without the run-time borrow check (six
/// instructions on aarch64, twice per message for a copy in and out):
/// for a copy on a hot path whose caller knows no borrow can be live.
///
/// # Safety
///
/// No borrow of the message registers may be live when this is called
/// (the caller is not inside a `with_msg_regs*` closure, `read_message`
/// or `write_message`), and `f` must not borrow them or make a call,
/// notification or reply (debug builds check the first).
#[inline]
pub unsafe fn with_msg_regs_unchecked<T>(f: impl FnOnce(&mut [MessageRegisterValue]) -> T) -> T {
    // SAFETY: no other borrow is live (the caller's promise) and `f`
    // starts none.
    ipc_buffer::with_buffer(|b| f(unsafe { &mut *b.regs_unchecked() }))
}

/// The message registers viewed as bytes (little-endian words).
pub fn with_msg_bytes<T>(f: impl FnOnce(&[u8]) -> T) -> T {
    with_msg_regs(|regs| f(regs.as_bytes()))
}

pub fn with_msg_bytes_mut<T>(f: impl FnOnce(&mut [u8]) -> T) -> T {
    with_msg_regs_mut(|regs| f(regs.as_mut_bytes()))
}

pub fn set_mr(i: usize, value: MessageRegisterValue) {
    with_msg_regs_mut(|regs| regs[i] = value)
}

pub fn get_mr(i: usize) -> MessageRegisterValue {
    with_msg_regs(|regs| regs[i])
}

/// Builds a message in the message registers with a [`StreamWriter`] and
/// returns its tag, ready for [`Channel::pp_call`] or as a reply.
pub fn write_message(
    label: MessageLabel,
    f: impl FnOnce(&mut StreamWriter<'_>) -> Result<(), StreamError>,
) -> Result<MessageInfo, StreamError> {
    with_msg_bytes_mut(|bytes| {
        let mut w = StreamWriter::new(bytes);
        f(&mut w)?;
        Ok(MessageInfo::new(label, w.finish()))
    })
}

/// Reads the message `msg_info` describes with a [`StreamReader`] limited
/// to its `count` registers.
pub fn read_message<T>(
    msg_info: &MessageInfo,
    f: impl FnOnce(&mut StreamReader<'_>) -> Result<T, StreamError>,
) -> Result<T, StreamError> {
    with_msg_bytes(|bytes| f(&mut StreamReader::new(&bytes[..msg_info.count() * 8])))
}

/// This PD's name, as system.xml gives it.
pub fn pd_name() -> &'static str {
    platform::pd_name()
}

/// True for a `passive="true"` PD.
pub fn pd_is_passive() -> bool {
    platform::pd_is_passive()
}

/// Nanoseconds on the platform's monotonic clock (an arbitrary epoch), for
/// timing; `None` where the platform has no clock (the unbound build).
/// Hosted: the process's monotonic clock. seL4 on AArch64: the generic
/// timer's physical count (CNTPCT_EL0 is readable from user space;
/// CNTVCT_EL0 is not), so under QEMU's `-icount shift=0` one nanosecond is
/// one guest instruction.
pub fn monotonic_ns() -> Option<u64> {
    platform::monotonic_ns()
}

/// The memory region mapped into this PD under `name`: the `setvar_vaddr`
/// symbol of its `<map>`, or else the `<memory_region>` name.
pub fn memory_region(name: &str) -> Result<MemoryRegion, RegionError> {
    platform::memory_region(name)
}

/// One memory region mapped into this PD twice, read-write under `rw` and
/// read-execute under `rx` (`setvar_vaddr` names): `Ok(None)` when either
/// map is missing, an error when the two maps are not of one region or the
/// first is not writable. A JIT writes code through one and runs it
/// through the other (docs/jit.md, "Code memory").
pub fn dual_mapped_region(rw: &str, rx: &str) -> Result<Option<(MemoryRegion, MemoryRegion)>, alloc::string::String> {
    let (Ok(w), Ok(x)) = (memory_region(rw), memory_region(rx)) else { return Ok(None) };
    if w.name() != x.name() || w.size() != x.size() || !w.is_writable() {
        return Err(alloc::format!(
            "{rw} ({}, {} bytes) and {rx} ({}, {} bytes) must map one memory region, read-write and read-execute",
            w.name(),
            w.size(),
            x.name(),
            x.size()
        ));
    }
    Ok(Some((w, x)))
}

/// A PD's heap size in bytes from a build-time variable (`option_env!`),
/// else `default`: `heap_size(option_env!("X_PD_HEAP"), 16 << 20)`. Not
/// a number of bytes: a compile-time error.
pub const fn heap_size(var: Option<&str>, default: usize) -> usize {
    let Some(s) = var else { return default };
    let b = s.as_bytes();
    let mut i = 0;
    let mut n = 0usize;
    while i < b.len() {
        assert!(b[i].is_ascii_digit(), "a PD heap size must be a number of bytes");
        n = n * 10 + (b[i] - b'0') as usize;
        i += 1;
    }
    n
}

#[doc(hidden)]
pub fn __debug_write(s: &str) {
    platform::debug_write(s)
}

#[doc(hidden)]
pub struct __DebugWriter;

impl core::fmt::Write for __DebugWriter {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        __debug_write(s);
        Ok(())
    }
}

/// Prints to the debug console (the serial port on seL4, the runner's
/// output prefixed with the PD's name on the hosted platform).
#[macro_export]
macro_rules! debug_print {
    ($($arg:tt)*) => {{
        let _ = core::fmt::Write::write_fmt(&mut $crate::__DebugWriter, format_args!($($arg)*));
    }};
}

#[macro_export]
macro_rules! debug_println {
    () => { $crate::debug_print!("\n") };
    ($($arg:tt)*) => {{
        $crate::debug_print!($($arg)*);
        $crate::debug_print!("\n");
    }};
}

/// Declares this program's protection-domain entry point: `init` builds the
/// [`Handler`] whose event loop then runs forever.
///
/// ```ignore
/// ipc_bindings::protection_domain!(init);
/// fn init() -> impl Handler { ... }
/// ```
///
/// PD crates start with `#![cfg_attr(target_os = "none", no_std, no_main)]`
/// so the same source builds for seL4 and as a hosted Linux executable.
#[macro_export]
macro_rules! protection_domain {
    ($init:path $(, heap_size = $heap:expr)? $(,)?) => {
        $crate::__platform_entry!($init $(, $heap)?);
    };
}

#[cfg(feature = "hosted")]
#[doc(hidden)]
#[macro_export]
macro_rules! __platform_entry {
    ($init:path $(, $heap:expr)?) => {
        fn main() {
            $crate::hosted::run_main($init)
        }
    };
}

/// The seL4 backend (`ipc-bindings-sel4`, docs/sel4.md) provides the entry
/// point; the PD's crate must depend on it.
#[cfg(all(feature = "external-platform", not(feature = "hosted")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __platform_entry {
    ($init:path $(, $heap:expr)?) => {
        ::ipc_bindings_sel4::__entry!($init $(, $heap)?);
    };
}

#[cfg(not(any(feature = "hosted", feature = "external-platform")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __platform_entry {
    ($init:path $(, $heap:expr)?) => {
        compile_error!("ipc-bindings: no platform backend enabled; enable feature `hosted` (Linux) or build with the seL4 workspace");
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_sizes_come_from_the_variable_or_the_default() {
        const FROM_VAR: usize = heap_size(Some("1048576"), 7);
        assert_eq!(FROM_VAR, 1 << 20);
        assert_eq!(heap_size(None, 7), 7);
    }

    #[test]
    fn messages_round_trip_through_the_registers() {
        let info = write_message(7, |w| {
            w.put_i32(-5)?.put_str("abc")?;
            Ok(())
        })
        .unwrap();
        assert_eq!(info.label(), 7);
        assert_eq!(info.count(), 2);
        let (a, s) = read_message(&info, |r| {
            let a = r.get_i32()?;
            let s = r.get_str()?.len();
            Ok((a, s))
        })
        .unwrap();
        assert_eq!((a, s), (-5, 3));
        // The reader is limited to `count` registers.
        let short = MessageInfo::new(7, 1);
        assert!(read_message(&short, |r| {
            r.get_i32()?;
            r.get_str().map(|_| ())
        })
        .is_err());
    }

    #[test]
    #[should_panic(expected = "already borrowed")]
    fn nested_mutable_borrow_panics() {
        with_msg_regs(|_| with_msg_regs_mut(|_| ()));
    }

    #[test]
    fn without_a_platform_operations_fail_cleanly() {
        #[cfg(not(any(feature = "hosted", feature = "external-platform")))]
        {
            assert_eq!(Channel::new(0).try_notify(), Err(IpcError::NoPlatform));
            assert!(memory_region("x").is_err());
        }
    }
}
