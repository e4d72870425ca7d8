//! Raw memory natives: loads and stores of memory outside the Java heap
//! (a VIF's packet buffers, a PD's IPC buffer), for trusted library
//! classes that check the bounds themselves in Java.
//!
//! A raw native is a `private static native` method of a class the
//! embedder names ([`Vm::register_raw_native`]); it takes an address as a
//! `long`. Private and static, so only its own class's code can call it:
//! that class must come from the trusted class library and must check
//! every address it passes. Where untrusted code shares the VM (a VIF
//! domain's VIFlets), the embedder must keep it out of the library's
//! packages (pd-vif refuses VIFlet classes in `capuchin.*`, `java.*`, ...);
//! a Java PD's image is its author's, library and program alike, so a PD
//! that redefined `capuchin.l4.IpcStream` could reach only its own memory
//! (as a Rust PD's `unsafe` code can). A method registered as raw but
//! not declared `private static` is not bound (calling it raises
//! `UnsatisfiedLinkError`).
//!
//! The interpreter runs the natives here until the call site quickens,
//! then does the access in place (`q::RAW`, [`exec_quick`]); compiled code
//! does it inline ([`super::compiler::PureNative::Raw`]). So the checks
//! belong in Java, where both see and keep them.

use super::natives::{Args, NativeFn, NativeResult};
use super::{Value, Vm};

/// One raw access: `width` bytes at the address, network (big-endian) or
/// the machine's byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawAccess {
    /// `(J)I` for 1, 2 or 4 bytes (sign- or zero-extended), `(J)J` for 8.
    Load { width: u8, signed: bool, big_endian: bool },
    /// `(JI)V` for 1, 2 or 4 bytes (the low bytes of the int), `(JJ)V` for 8.
    Store { width: u8, big_endian: bool },
}

impl RawAccess {
    /// The Java descriptor the method must have.
    pub fn descriptor(self) -> &'static str {
        match self {
            RawAccess::Load { width: 8, .. } => "(J)J",
            RawAccess::Load { .. } => "(J)I",
            RawAccess::Store { width: 8, .. } => "(JJ)V",
            RawAccess::Store { .. } => "(JI)V",
        }
    }

    /// The interpreter's implementation, or `None` for a width other than
    /// 1, 2, 4 and 8 or a signed 8-byte load (there is no unsigned one).
    pub(crate) fn native(self) -> Option<NativeFn> {
        Some(match self {
            RawAccess::Load { width: 1, signed: true, .. } => load::<1, true, false>,
            RawAccess::Load { width: 1, signed: false, .. } => load::<1, false, false>,
            RawAccess::Load { width: 2, signed: true, big_endian: true } => load::<2, true, true>,
            RawAccess::Load { width: 2, signed: false, big_endian: true } => load::<2, false, true>,
            RawAccess::Load { width: 2, signed: true, big_endian: false } => load::<2, true, false>,
            RawAccess::Load { width: 2, signed: false, big_endian: false } => load::<2, false, false>,
            RawAccess::Load { width: 4, big_endian: true, .. } => load::<4, true, true>,
            RawAccess::Load { width: 4, big_endian: false, .. } => load::<4, true, false>,
            RawAccess::Load { width: 8, signed: true, big_endian: true } => load::<8, true, true>,
            RawAccess::Load { width: 8, signed: true, big_endian: false } => load::<8, true, false>,
            RawAccess::Store { width: 1, .. } => store::<1, false>,
            RawAccess::Store { width: 2, big_endian: true } => store::<2, true>,
            RawAccess::Store { width: 2, big_endian: false } => store::<2, false>,
            RawAccess::Store { width: 4, big_endian: true } => store::<4, true>,
            RawAccess::Store { width: 4, big_endian: false } => store::<4, false>,
            RawAccess::Store { width: 8, big_endian: true } => store::<8, true>,
            RawAccess::Store { width: 8, big_endian: false } => store::<8, false>,
            _ => return None,
        })
    }
}

/// The bits of a load, extended to a Java slot: an int zero-extended to
/// 64 bits (as the interpreter keeps ints), a long as is.
///
/// # Safety
/// `addr` must be readable for `width` bytes (the caller checked it).
#[inline(always)]
unsafe fn load_slot(addr: usize, width: u8, signed: bool, big_endian: bool) -> u64 {
    // SAFETY: the caller's contract; any alignment.
    let bits = unsafe {
        match width {
            1 => u64::from(*(addr as *const u8)),
            2 => {
                let v = (addr as *const u16).read_unaligned();
                u64::from(if big_endian { u16::from_be(v) } else { u16::from_le(v) })
            }
            4 => {
                let v = (addr as *const u32).read_unaligned();
                u64::from(if big_endian { u32::from_be(v) } else { u32::from_le(v) })
            }
            _ => {
                let v = (addr as *const u64).read_unaligned();
                return if big_endian { u64::from_be(v) } else { u64::from_le(v) };
            }
        }
    };
    let shift = 64 - 8 * u32::from(width);
    let v = if signed { ((bits << shift) as i64 >> shift) as u64 } else { bits };
    v as u32 as u64
}

/// # Safety
/// `addr` must be writable for `width` bytes (the caller checked it).
#[inline(always)]
unsafe fn store_slot(addr: usize, width: u8, big_endian: bool, v: u64) {
    // SAFETY: the caller's contract; any alignment.
    unsafe {
        match width {
            1 => *(addr as *mut u8) = v as u8,
            2 => (addr as *mut u16).write_unaligned(if big_endian { (v as u16).to_be() } else { (v as u16).to_le() }),
            4 => (addr as *mut u32).write_unaligned(if big_endian { (v as u32).to_be() } else { (v as u32).to_le() }),
            _ => (addr as *mut u64).write_unaligned(if big_endian { v.to_be() } else { v.to_le() }),
        }
    }
}

/// Registers the library's usual raw accessors of `class` in one byte
/// order: `peekU8`, `peekI8`, `peekU16`, `peekI16`, `peekI32`, `peekI64`
/// (loads) and `poke8`, `poke16`, `poke32`, `poke64` (stores). A class
/// declares (`private static native`) those it uses.
pub fn register_accessors(vm: &mut Vm, class: &str, big_endian: bool) {
    let load = |width, signed| RawAccess::Load { width, signed, big_endian };
    let store = |width| RawAccess::Store { width, big_endian };
    for (name, access) in [
        ("peekU8", load(1, false)),
        ("peekI8", load(1, true)),
        ("peekU16", load(2, false)),
        ("peekI16", load(2, true)),
        ("peekI32", load(4, true)),
        ("peekI64", load(8, true)),
        ("poke8", store(1)),
        ("poke16", store(2)),
        ("poke32", store(4)),
        ("poke64", store(8)),
    ] {
        let supported = vm.register_raw_native(class, name, access);
        debug_assert!(supported, "{name}");
    }
}

fn load<const N: u8, const SIGNED: bool, const BE: bool>(vm: &mut Vm, a: Args) -> NativeResult {
    let addr = a.long(vm, 0) as usize;
    // SAFETY: the calling class (trusted, private static) checked the
    // address against memory the embedder gave it (module docs).
    let v = unsafe { load_slot(addr, N, SIGNED, BE) };
    Ok(if N == 8 { Value::Long(v as i64) } else { Value::Int(v as u32 as i32) })
}

fn store<const N: u8, const BE: bool>(vm: &mut Vm, a: Args) -> NativeResult {
    let addr = a.long(vm, 0) as usize;
    let v = if N == 8 { a.long(vm, 2) as u64 } else { u64::from(a.int(vm, 2) as u32) };
    // SAFETY: as in `load`.
    unsafe { store_slot(addr, N, BE, v) };
    Ok(Value::Void)
}

impl RawAccess {
    /// The interpreter's encoding (an instruction's `b`): width in the low
    /// four bits, then signed, big-endian, store.
    pub(crate) fn code(self) -> u16 {
        match self {
            RawAccess::Load { width, signed, big_endian } => {
                u16::from(width) | u16::from(signed) << 4 | u16::from(big_endian) << 5
            }
            RawAccess::Store { width, big_endian } => u16::from(width) | u16::from(big_endian) << 5 | 1 << 6,
        }
    }
}

/// The interpreter's quick form of a raw native: the access on the
/// operand stack ending at `sp` (slots from `lp`), without a call.
/// Returns the new `sp`.
///
/// # Safety
/// `code` comes from [`RawAccess::code`] of a bound raw native (so the
/// calling class checked the address), and the slots below `sp` hold its
/// verified arguments.
#[inline(always)]
pub(crate) unsafe fn exec_quick(code: u16, lp: *mut u64, sp: usize) -> usize {
    let (width, signed, big_endian, store) =
        ((code & 15) as u8, code & 1 << 4 != 0, code & 1 << 5 != 0, code & 1 << 6 != 0);
    // A long takes two slots, its value in the lower one.
    // SAFETY: the caller's contract.
    unsafe {
        if store {
            let at = if width == 8 { sp - 4 } else { sp - 3 };
            store_slot(*lp.add(at) as usize, width, big_endian, *lp.add(at + 2));
            at
        } else {
            let at = sp - 2;
            *lp.add(at) = load_slot(*lp.add(at) as usize, width, signed, big_endian);
            if width == 8 {
                sp
            } else {
                sp - 1
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RawAccess;

    #[test]
    fn every_supported_access_has_a_native_and_odd_ones_none() {
        for width in [1, 2, 4, 8] {
            for big_endian in [false, true] {
                assert!(RawAccess::Store { width, big_endian }.native().is_some());
                assert!(RawAccess::Load { width, signed: true, big_endian }.native().is_some());
            }
        }
        assert!(RawAccess::Load { width: 3, signed: true, big_endian: true }.native().is_none());
        assert!(RawAccess::Load { width: 8, signed: false, big_endian: true }.native().is_none());
    }
}
