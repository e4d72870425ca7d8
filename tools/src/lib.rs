//! The `capuchin` host command's library: system description parsing and
//! validation ([`sdf`]), the hosted platform runner ([`hosted`]) and the
//! benchmarks ([`bench`]).

pub mod bench;
pub mod hosted;
pub mod qemu;
pub mod sdf;
