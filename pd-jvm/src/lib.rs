//! Capuchin's JVM for seL4 Microkit protection domains: `no_std` + `alloc`
//! building blocks. So far: the class-file parser ([`classfile`]), class images
//! ([`image`]), the bytecode verifier ([`verify`]) and the heap with its
//! copying collector ([`heap`]), the runtime (class loading, linking,
//! initialization: [`runtime`]) and the interpreter ([`interp`]).
#![no_std]

extern crate alloc;

pub mod classfile;
pub mod heap;
pub mod image;
pub mod interp;
pub mod runtime;
pub mod verify;

pub use classfile::{parse, ClassFile, ClassFormatError};
pub use verify::{verify_class, verify_method, ClassEnv, VerifyError};

/// A monotonic nanosecond clock (`System.nanoTime`, GC pause statistics,
/// compile times). C's calling convention, so that compiled code can call
/// it directly: `System.nanoTime` from compiled code is this call alone
/// (`PureNative::Clock`).
pub type NanoClock = extern "C" fn() -> u64;
