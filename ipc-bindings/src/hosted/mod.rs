//! The hosted backend: a PD is a Linux process started by `capuchin run`,
//! which plays the kernel. The runner passes each PD a [`boot::BootInfo`]
//! (what system.xml grants it) and memfds for exactly the objects it may
//! touch: its doorbell and kernel page, the pages of its channels, the
//! doorbells of its peers, and its memory regions. The PD maps them and runs
//! the event loop in [`pd`]; the layout of the shared pages is in [`abi`].

pub mod abi;
pub mod boot;
pub mod futex;
mod pd;

pub(crate) mod ops {
    pub(crate) use super::pd::{
        debug_write, irq_ack, memory_region, monotonic_ns, notify, pd_is_passive, pd_name, pp_call,
    };
}

pub use pd::run_main;
