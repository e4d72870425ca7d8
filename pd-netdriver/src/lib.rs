//! Capuchin's network domains, after the seL4 Device Driver Framework
//! (sDDF): the driver domain and its devices, the receive virtualiser that
//! classifies frames into VIF domains, the transmit virtualiser, and
//! `netctl`, which configures them and restarts or swaps the driver.
//! The design is in docs/network.md; the shared-memory rings are the
//! `net-queue` crate.
//!
//! `no_std` + `alloc`; the hosted devices (`hosted`) are built for Linux.

#![no_std]

extern crate alloc;
#[cfg(target_os = "linux")]
extern crate std;

pub mod classify;
pub mod config;
pub mod driver;
pub mod platform;
pub mod shared;
pub mod stats;
pub mod viflet_load;
pub mod virt;
pub mod virtio;

#[cfg(target_os = "linux")]
pub mod hosted;

pub use net_queue;
