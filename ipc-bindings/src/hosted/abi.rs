//! The shared-memory layout between the hosted "kernel" (`capuchin run`)
//! and PD processes. Both sides map the same memfd pages and agree on these
//! `repr(C)` structs; all fields are atomics because two processes touch
//! them concurrently.
//!
//! Objects and who maps them:
//!
//! * One [`Doorbell`] page per PD: the PD waits on `seq` with a futex; every
//!   PD that has a channel to it may ring it. `pending` holds one hint bit
//!   per channel id (bit 63: a kernel event, i.e. a child's fault). Hints are
//!   only hints: the PD confirms each against the channel page, so a peer
//!   that sets a bit for a channel it does not hold causes a spurious wakeup
//!   and nothing else.
//! * One [`ChannelPage`] per `<channel>`: mapped by the two PDs at its ends
//!   and by nobody else. `ends[i]` is the inbox of end `i`: a coalescing
//!   notification flag and the call slot for protected procedure calls into
//!   that end.
//! * One [`KernelPage`] per PD, shared only between that PD and the runner:
//!   fault records of its children and its life-cycle state.

use core::sync::atomic::{AtomicU32, AtomicU64};

use crate::MAX_MESSAGE_REGISTERS;

pub const PAGE_SIZE: usize = 4096;

/// Hint bit for "a kernel event is pending" (child fault).
pub const KERNEL_EVENT_BIT: u64 = 1 << 63;

/// Values of [`Doorbell::status`].
pub mod status {
    /// Process not (yet) running.
    pub const DOWN: u32 = 0;
    /// Running its event loop.
    pub const ALIVE: u32 = 1;
    /// Faulted; calls into it fail until it is restarted.
    pub const FAULTED: u32 = 2;
}

/// Values of [`CallSlot::state`].
pub mod call_state {
    pub const IDLE: u32 = 0;
    /// The caller has written a request and waits.
    pub const CALLED: u32 = 1;
    /// The callee has written the reply.
    pub const REPLIED: u32 = 2;
    /// The callee faulted before replying.
    pub const FAILED: u32 = 3;
}

#[repr(C, align(64))]
pub struct Doorbell {
    /// Futex word: bumped by every ring.
    pub seq: AtomicU32,
    /// Non-zero while the owner sleeps (or is about to): ringers skip the
    /// futex wake syscall when it is zero.
    pub waiting: AtomicU32,
    /// One hint bit per channel id, plus [`KERNEL_EVENT_BIT`].
    pub pending: AtomicU64,
    /// See [`status`]; written by the runner.
    pub status: AtomicU32,
    /// Number of events the owner has handled (for idle detection).
    pub handled: AtomicU64,
}

#[repr(C)]
pub struct CallSlot {
    /// Futex word the caller waits on; see [`call_state`].
    pub state: AtomicU32,
    pub count: AtomicU32,
    pub label: AtomicU64,
    pub mrs: [AtomicU64; MAX_MESSAGE_REGISTERS],
}

#[repr(C)]
pub struct EndInbox {
    /// Set by the peer's notify(), cleared by this end when delivered.
    pub notify: AtomicU32,
    pub _pad: u32,
    pub call: CallSlot,
}

#[repr(C)]
pub struct ChannelPage {
    pub ends: [EndInbox; 2],
}

/// What the runner tells a parent about a faulting child.
#[repr(C)]
pub struct FaultRecord {
    /// The label of the fault message (see [`fault_label`]).
    pub label: AtomicU64,
    /// Signal number, or exit code for a panic / exit.
    pub code: AtomicU64,
}

/// Fault message labels the hosted kernel delivers to `fault()`. seL4 uses
/// its `seL4_Fault_tag` values; a hosted PD faults by signal or by exiting.
pub mod fault_label {
    /// Killed by a signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT...).
    pub const SIGNAL: u64 = 0x100;
    /// Exited, e.g. after a Rust panic (code 101) or `std::process::exit`.
    pub const EXIT: u64 = 0x101;
}

pub const MAX_CHILDREN: usize = 64;

#[repr(C)]
pub struct KernelPage {
    /// One bit per child id with an undelivered fault.
    pub child_faults: AtomicU64,
    pub faults: [FaultRecord; MAX_CHILDREN],
    /// Requests from the PD to the runner (restart/stop a child); the runner
    /// waits on `request_seq` with a futex.
    pub request_seq: AtomicU32,
    pub _pad: u32,
    /// One bit per child id to restart / stop.
    pub restart_children: AtomicU64,
    pub stop_children: AtomicU64,
}

const _: () = {
    assert!(core::mem::size_of::<Doorbell>() <= PAGE_SIZE);
    assert!(core::mem::size_of::<ChannelPage>() <= PAGE_SIZE);
    assert!(core::mem::size_of::<KernelPage>() <= PAGE_SIZE);
};
