//! Leaf natives: Rust functions of four `long`s returning a `long` that
//! compiled code calls directly, without a native frame or the VM's native
//! path, for the hottest operations of a trusted library class (a Java
//! IPC client's protected procedure call).
//!
//! A leaf native is a `private static native long name(long, long, long,
//! long)` of a class the embedder names ([`Vm::register_leaf_native`]).
//! Like a raw native ([`super::raw`]) it is bound only as `private
//! static`, so only its own class's code calls it, and that class must
//! pass it only values it checked: a leaf typically takes the address of
//! an embedder structure the class keeps in a private field. The function
//! must not reach the VM (it gets no `&mut Vm`: no heap, no Java calls, no
//! exceptions) and must not unwind; it reports failures in its result,
//! which its Java caller turns into exceptions. It may block (a protected
//! procedure call does): nothing else runs in the VM meanwhile.
//!
//! The interpreter calls it through the ordinary native path
//! ([`call_leaf`]); compiled code calls the function itself after the
//! budget tick every call makes ([`super::compiler::PureNative::Leaf`]).

use super::natives::{Args, NativeResult};
use super::{Value, Vm};

/// A leaf native's function (see the module docs).
pub type LeafFn = extern "C" fn(u64, u64, u64, u64) -> u64;

/// The Java descriptor a leaf native must have.
pub const DESCRIPTOR: &str = "(JJJJ)J";

/// The interpreter's way in: the native frame on top names the method,
/// whose bound function takes the four `long` arguments.
pub(crate) fn call_leaf(vm: &mut Vm, a: Args) -> NativeResult {
    let f = vm.frames.last().and_then(|f| vm.methods[f.method.ix()].leaf);
    let Some(f) = f else {
        return Err(super::NativeError::new("java/lang/UnsatisfiedLinkError", "leaf native without a function"));
    };
    let r = f(a.long(vm, 0) as u64, a.long(vm, 2) as u64, a.long(vm, 4) as u64, a.long(vm, 6) as u64);
    Ok(Value::Long(r as i64))
}
