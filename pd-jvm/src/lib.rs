//! Capuchin's JVM for seL4 Microkit protection domains: `no_std` + `alloc`
//! building blocks. So far: the class-file parser ([`classfile`]).
#![no_std]

extern crate alloc;

pub mod classfile;
pub mod image;

pub use classfile::{parse, ClassFile, ClassFormatError};
