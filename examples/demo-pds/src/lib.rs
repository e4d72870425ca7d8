//! Shared pieces of the demo and benchmark PDs: the calculator protocol
//! and a clock for benchmarks.

#![no_std]

extern crate alloc;
#[cfg(target_os = "linux")]
extern crate std;

pub mod bench;

/// The calculator protocol (after 003's ExampleSvr): the message label is
/// the operation; arguments and results travel as typed stream values.
pub mod calc {
    /// `i64 -> i64`
    pub const NEG: u64 = 1;
    /// `i64, i64 -> i64` (wrapping)
    pub const ADD: u64 = 2;
    /// shared-region reference -> `u64` sum of the bytes, `u32` length
    pub const SUM_BYTES: u64 = 3;

    /// Reply labels.
    pub const OK: u64 = 0;
    /// Followed by a string saying what was wrong with the request.
    pub const BAD_REQUEST: u64 = 1;
}
