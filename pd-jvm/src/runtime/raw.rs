//! Raw memory natives: loads and stores of memory outside the Java heap
//! (a VIF's packet buffers, a PD's IPC buffer), for trusted library
//! classes that check the bounds themselves in Java.
//!
//! A raw native is a `private static native` method of a class the
//! embedder names ([`Vm::register_raw_native`]); it takes an address as a
//! `long`. Private and static, so only its own class's code can call it:
//! that class must come from the trusted class library and must check
//! every address it passes (a user class cannot be defined in the
//! library's packages, see the embedders). A method registered as raw but
//! not declared `private static` is not bound (calling it raises
//! `UnsatisfiedLinkError`).
//!
//! The interpreter runs the natives here; compiled code does the access
//! inline ([`super::compiler::PureNative::Raw`]), which is why the checks
//! belong in Java, where the JIT sees and keeps them.

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

fn load<const N: usize, const SIGNED: bool, const BE: bool>(vm: &mut Vm, a: Args) -> NativeResult {
    let addr = a.long(vm, 0) as usize as *const u8;
    let mut b = [0u8; N];
    // SAFETY: the calling class (trusted, private static) checked the
    // address against memory the embedder gave it (module docs).
    unsafe { core::ptr::copy_nonoverlapping(addr, b.as_mut_ptr(), N) };
    if !BE {
        b.reverse();
    }
    // Big-endian now: fold in, then extend.
    let v = b.iter().fold(0u64, |v, &x| (v << 8) | u64::from(x));
    Ok(match N {
        8 => Value::Long(v as i64),
        _ => {
            let bits = 8 * N as u32;
            let v = if SIGNED { ((v << (64 - bits)) as i64 >> (64 - bits)) as i32 } else { v as u32 as i32 };
            Value::Int(v)
        }
    })
}

fn store<const N: usize, const BE: bool>(vm: &mut Vm, a: Args) -> NativeResult {
    let addr = a.long(vm, 0) as usize as *mut u8;
    let v = if N == 8 { a.long(vm, 2) as u64 } else { a.int(vm, 2) as u32 as u64 };
    let mut b = [0u8; N];
    for (k, x) in b.iter_mut().enumerate() {
        *x = (v >> (8 * (N - 1 - k))) as u8;
    }
    if !BE {
        b.reverse();
    }
    // SAFETY: as in `load`.
    unsafe { core::ptr::copy_nonoverlapping(b.as_ptr(), addr, N) };
    Ok(Value::Void)
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
