//! The `capuchin` host command's library: system description parsing and
//! validation ([`sdf`]), the hosted platform runner ([`hosted`]), the
//! class-image packer ([`pack`]), the `java` launcher for our VM ([`java`]), the QEMU driver ([`qemu`]) and the
//! benchmarks ([`bench`]).

pub mod bench;
pub mod bench_jvm;
pub mod bench_vif;
pub mod hosted;
pub mod java;
pub mod net;
pub mod pack;
pub mod qemu;
pub mod qemu_profile;
pub mod sdf;
