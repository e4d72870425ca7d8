//! The `capuchin` host command's library: system description parsing and
//! validation ([`sdf`]), the hosted platform runner ([`hosted`]), the
//! class-image packer ([`pack`]), the QEMU driver ([`qemu`]) and the
//! benchmarks ([`bench`]).

pub mod bench;
pub mod hosted;
pub mod pack;
pub mod qemu;
pub mod sdf;
