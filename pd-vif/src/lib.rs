//! Capuchin's VIF domain: a virtual network interface in the sense of 000
//! (VIFlets), as a protection domain of its own. The classifier (or a
//! parent VIF) hands it the packets of its traffic class; its packet
//! processor decides with `enqueue`/`dequeue` what leaves and when; what
//! leaves goes to the transmit path or, split by rules, to child VIFs.
//!
//! Processors are Rust ([`processor`]) or a Java VIFlet running on our JVM
//! ([`viflet`]). Buffer ownership is
//! tracked per buffer ([`packet::Pool`]) so no packet leaks or exists
//! twice. Design: docs/network.md.

#![no_std]

extern crate alloc;

pub mod domain;
pub mod packet;
pub mod processor;
pub mod viflet;
