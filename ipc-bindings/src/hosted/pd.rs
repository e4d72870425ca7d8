//! The PD side of the hosted kernel: boot, the event loop and the IPC
//! operations.

use core::sync::atomic::Ordering::{Acquire, Relaxed, Release, SeqCst};
use std::boxed::Box;
use std::io::Write;
use std::os::fd::BorrowedFd;
use std::string::String;
use std::sync::OnceLock;
use std::vec::Vec;

use rustix::mm::{mmap, MapFlags, ProtFlags};

use super::abi::{call_state, status, CallSlot, ChannelPage, Doorbell, KernelPage, KERNEL_EVENT_BIT, PAGE_SIZE};
use super::boot::{BootInfo, BOOT_ENV};
use super::futex;
use crate::{
    with_msg_regs, with_msg_regs_mut, Channel, ChannelSet, Child, Handler, IpcError, MemoryRegion, MessageInfo,
    RegionError, MAX_CHANNELS,
};

struct ChannelState {
    page: &'static ChannelPage,
    my_end: usize,
    peer_id: u8,
    peer_doorbell: &'static Doorbell,
    pp: bool,
    notify: bool,
    peer_pp: bool,
    peer_notify: bool,
}

struct Region {
    mr: String,
    setvar: Option<String>,
    region: MemoryRegion,
}

struct Pd {
    name: &'static str,
    passive: bool,
    doorbell: &'static Doorbell,
    kernel: &'static KernelPage,
    channels: [Option<ChannelState>; MAX_CHANNELS],
    regions: Vec<Region>,
    irqs: u64,
}

static PD: OnceLock<Pd> = OnceLock::new();

fn pd() -> &'static Pd {
    PD.get().expect("ipc-bindings: the hosted PD runtime is not booted (run this program under `capuchin run`)")
}

fn die(msg: core::fmt::Arguments<'_>) -> ! {
    let _ = writeln!(std::io::stderr(), "capuchin PD boot error: {msg}");
    std::process::exit(70)
}

/// Maps a shared page (or region) from an inherited fd.
fn map_fd(fd: i32, len: usize, vaddr: Option<u64>, prot: ProtFlags) -> Result<*mut u8, rustix::io::Errno> {
    // SAFETY: the fd was inherited from the runner and stays open.
    let fd = unsafe { BorrowedFd::borrow_raw(fd) };
    let (addr, flags) = match vaddr {
        Some(v) => (v as *mut core::ffi::c_void, MapFlags::SHARED | MapFlags::FIXED_NOREPLACE),
        None => (core::ptr::null_mut(), MapFlags::SHARED),
    };
    // SAFETY: a fresh mapping; FIXED_NOREPLACE never clobbers existing ones.
    let p = unsafe { mmap(addr, len, prot, flags, fd, 0)? };
    if let Some(v) = vaddr {
        if p as u64 != v {
            return Err(rustix::io::Errno::EXIST);
        }
    }
    Ok(p.cast())
}

fn map_page<T>(fd: i32, what: &str) -> &'static T {
    match map_fd(fd, PAGE_SIZE, None, ProtFlags::READ | ProtFlags::WRITE) {
        // SAFETY: the runner sized the memfd to a page holding a zeroed T
        // (all-zero is valid for the atomics it contains).
        Ok(p) => unsafe { &*p.cast::<T>() },
        Err(e) => die(format_args!("cannot map {what} (fd {fd}): {e}")),
    }
}

fn boot() -> Pd {
    let Ok(encoded) = std::env::var(BOOT_ENV) else {
        die(format_args!(
            "{BOOT_ENV} is not set: protection domains are started by `capuchin run system.xml`, not directly"
        ))
    };
    let info = BootInfo::decode(&encoded).unwrap_or_else(|e| die(format_args!("{BOOT_ENV}: {e}")));
    let name: &'static str = Box::leak(info.pd_name.clone().into_boxed_str());
    let doorbell = map_page::<Doorbell>(info.doorbell_fd, "doorbell");
    let kernel = map_page::<KernelPage>(info.kernel_fd, "kernel page");
    let mut channels: [Option<ChannelState>; MAX_CHANNELS] = [const { None }; MAX_CHANNELS];
    for c in &info.channels {
        channels[c.id as usize] = Some(ChannelState {
            page: map_page::<ChannelPage>(c.page_fd, "channel page"),
            my_end: c.my_end as usize,
            peer_id: c.peer_id,
            peer_doorbell: map_page::<Doorbell>(c.peer_doorbell_fd, "peer doorbell"),
            pp: c.pp,
            notify: c.notify,
            peer_pp: c.peer_pp,
            peer_notify: c.peer_notify,
        });
    }
    let mut regions = Vec::new();
    for r in &info.regions {
        let mut prot = ProtFlags::empty();
        if r.read {
            prot |= ProtFlags::READ;
        }
        if r.write {
            prot |= ProtFlags::WRITE;
        }
        if r.execute {
            prot |= ProtFlags::EXEC;
        }
        let base = map_fd(r.fd, r.size as usize, Some(r.vaddr), prot).unwrap_or_else(|e| {
            die(format_args!("cannot map memory region '{}' at vaddr {:#x} ({} bytes): {e}", r.mr, r.vaddr, r.size))
        });
        let mr_name: &'static str = Box::leak(r.mr.clone().into_boxed_str());
        // SAFETY: mapped above for the life of the process.
        let region = unsafe { MemoryRegion::from_raw(mr_name, base, r.size as usize, r.write) };
        regions.push(Region { mr: r.mr.clone(), setvar: r.setvar_vaddr.clone(), region });
    }
    let irqs = info.irqs.iter().fold(0u64, |m, i| m | 1 << i.id);
    Pd { name, passive: info.passive, doorbell, kernel, channels, regions, irqs }
}

/// Rings `doorbell` with hint bit `bit`, waking its owner if it sleeps.
fn ring(doorbell: &Doorbell, bit: u64) {
    doorbell.pending.fetch_or(bit, SeqCst);
    doorbell.seq.fetch_add(1, SeqCst);
    // Dekker pairing with the waiter in `wait_for_events`: either it sees
    // our pending bit, or we see its waiting flag and wake it.
    if doorbell.waiting.load(SeqCst) != 0 {
        futex::wake(&doorbell.seq, 1);
    }
}

fn channel(op: &'static str, ch: Channel) -> Result<&'static ChannelState, IpcError> {
    pd().channels[ch.index()].as_ref().ok_or(IpcError::NotGranted { op, channel: ch.index() })
}

pub(crate) fn notify(ch: Channel) -> Result<(), IpcError> {
    let c = channel("notify", ch)?;
    if !c.notify {
        return Err(IpcError::NotGranted { op: "notify", channel: ch.index() });
    }
    c.page.ends[1 - c.my_end].notify.store(1, SeqCst);
    ring(c.peer_doorbell, 1 << c.peer_id);
    Ok(())
}

pub(crate) fn pp_call(ch: Channel, msg: MessageInfo) -> Result<MessageInfo, IpcError> {
    let c = channel("pp_call", ch)?;
    if !c.pp {
        return Err(IpcError::NotGranted { op: "pp_call", channel: ch.index() });
    }
    let slot = &c.page.ends[1 - c.my_end].call;
    store_message(slot, &msg);
    slot.state.store(call_state::CALLED, SeqCst);
    ring(c.peer_doorbell, 1 << c.peer_id);
    // The runner marks a dead callee FAULTED, then fails CALLED slots; if it
    // had already passed ours, fail it ourselves (again Dekker-style).
    if c.peer_doorbell.status.load(SeqCst) == status::FAULTED {
        let _ = slot.state.compare_exchange(call_state::CALLED, call_state::FAILED, SeqCst, SeqCst);
    }
    let state = loop {
        match slot.state.load(Acquire) {
            call_state::CALLED => futex::wait(&slot.state, call_state::CALLED),
            s => break s,
        }
    };
    if state != call_state::REPLIED {
        slot.state.store(call_state::IDLE, Release);
        return Err(IpcError::PeerFaulted { channel: ch.index() });
    }
    let reply = load_message(slot);
    slot.state.store(call_state::IDLE, Release);
    Ok(reply)
}

pub(crate) fn irq_ack(ch: Channel) -> Result<(), IpcError> {
    if pd().irqs & (1 << ch.index()) == 0 {
        return Err(IpcError::NotGranted { op: "irq_ack", channel: ch.index() });
    }
    Ok(())
}

pub(crate) fn pd_name() -> &'static str {
    PD.get().map_or("(not booted)", |p| p.name)
}

pub(crate) fn pd_is_passive() -> bool {
    pd().passive
}

pub(crate) fn memory_region(name: &str) -> Result<MemoryRegion, RegionError> {
    let regions = &pd().regions;
    regions
        .iter()
        .find(|r| r.setvar.as_deref() == Some(name))
        .or_else(|| regions.iter().find(|r| r.mr == name))
        .map(|r| r.region)
        .ok_or_else(|| RegionError::NotMapped { name: name.into() })
}

pub(crate) fn debug_write(s: &str) {
    let _ = std::io::stdout().write_all(s.as_bytes());
    if s.ends_with('\n') {
        let _ = std::io::stdout().flush();
    }
}

pub(crate) fn monotonic_ns() -> Option<u64> {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    Some(EPOCH.get_or_init(std::time::Instant::now).elapsed().as_nanos() as u64)
}

/// Blocks until some event is pending and returns the hint bits.
fn wait_for_events(db: &Doorbell) -> u64 {
    loop {
        let p = db.pending.swap(0, SeqCst);
        if p != 0 {
            return p;
        }
        db.waiting.store(1, SeqCst);
        let seq = db.seq.load(SeqCst);
        if db.pending.load(SeqCst) == 0 {
            futex::wait(&db.seq, seq);
        }
        db.waiting.store(0, SeqCst);
    }
}

/// A handler error ends the PD like a panic, as in `sel4-microkit`.
fn handler_failed(e: &dyn core::fmt::Display) -> ! {
    panic!("{}: handler returned an error: {e}", pd_name())
}

/// Boots the PD from what the runner passed, builds the handler with
/// `init` and runs the event loop forever. A handler error or panic ends
/// the process, which the runner reports as a fault.
pub fn run_main<H: Handler>(init: impl FnOnce() -> H) {
    if PD.set(boot()).is_err() {
        panic!("hosted PD booted twice");
    }
    let pd = pd();
    let mut handler = init();
    loop {
        if let Some(action) = handler.take_deferred_action() {
            action.execute_now().unwrap_or_else(|e| handler_failed(&e));
        }
        let hints = wait_for_events(pd.doorbell);
        pd.doorbell.handled.fetch_add(1, Relaxed);
        let mut notified = 0u64;
        let mut calls = 0u64;
        let mut bits = hints & !KERNEL_EVENT_BIT;
        while bits != 0 {
            let id = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            // Hints are unauthenticated; the channel page is the truth.
            let Some(c) = pd.channels.get(id).and_then(Option::as_ref) else { continue };
            let inbox = &c.page.ends[c.my_end];
            // The peer holds the page, so it could write anything; only
            // what system.xml grants it is delivered.
            if inbox.notify.swap(0, SeqCst) != 0 && c.peer_notify {
                notified |= 1 << id;
            }
            if inbox.call.state.load(Acquire) == call_state::CALLED {
                if c.peer_pp {
                    calls |= 1 << id;
                } else {
                    refuse_call(&inbox.call);
                }
            }
        }
        if notified != 0 {
            handler.notified(ChannelSet::from_bits(notified)).unwrap_or_else(|e| handler_failed(&e));
        }
        while calls != 0 {
            let id = calls.trailing_zeros() as usize;
            calls &= calls - 1;
            let c = pd.channels[id].as_ref().unwrap();
            serve_call(&mut handler, Channel::new(id), &c.page.ends[c.my_end].call);
        }
        if hints & KERNEL_EVENT_BIT != 0 {
            deliver_child_faults(&mut handler, pd);
        }
    }
}

/// Fails a call from a peer that has no `pp` right on the channel.
fn refuse_call(slot: &CallSlot) {
    if slot.state.compare_exchange(call_state::CALLED, call_state::FAILED, SeqCst, SeqCst).is_ok() {
        futex::wake(&slot.state, 1);
    }
}

/// Copies this PD's message registers and `msg`'s tag into a call slot
/// (the kernel's copy of an IPC message: only `count` registers).
fn store_message(slot: &CallSlot, msg: &MessageInfo) {
    with_msg_regs(|regs| {
        for (dst, &src) in slot.mrs.iter().zip(&regs[..msg.count()]) {
            dst.store(src, Relaxed);
        }
    });
    slot.label.store(msg.label(), Relaxed);
    slot.count.store(msg.count() as u32, Relaxed);
}

/// Copies a call slot's message into this PD's message registers. The peer
/// wrote the slot, so its count and label are clamped, never trusted.
fn load_message(slot: &CallSlot) -> MessageInfo {
    let count = (slot.count.load(Relaxed) as usize).min(crate::MAX_MESSAGE_REGISTERS);
    let label = slot.label.load(Relaxed) & ((1 << crate::MESSAGE_LABEL_BITS) - 1);
    with_msg_regs_mut(|regs| {
        for (dst, src) in regs[..count].iter_mut().zip(&slot.mrs) {
            *dst = src.load(Relaxed);
        }
    });
    MessageInfo::new(label, count)
}

fn serve_call<H: Handler>(handler: &mut H, ch: Channel, slot: &CallSlot) {
    let request = load_message(slot);
    let reply = handler.protected(ch, request).unwrap_or_else(|e| handler_failed(&e));
    store_message(slot, &reply);
    slot.state.store(call_state::REPLIED, Release);
    futex::wake(&slot.state, 1);
}

fn deliver_child_faults<H: Handler>(handler: &mut H, pd: &Pd) {
    let mut faults = pd.kernel.child_faults.swap(0, SeqCst);
    while faults != 0 {
        let id = faults.trailing_zeros() as usize;
        faults &= faults - 1;
        let rec = &pd.kernel.faults[id];
        let label = rec.label.load(Acquire);
        let code = rec.code.load(Acquire);
        with_msg_regs_mut(|regs| regs[0] = code);
        let resume = handler.fault(Child::new(id), MessageInfo::new(label, 1)).unwrap_or_else(|e| handler_failed(&e));
        if resume.is_some() {
            pd.kernel.restart_children.fetch_or(1 << id, SeqCst);
            pd.kernel.request_seq.fetch_add(1, SeqCst);
            futex::wake(&pd.kernel.request_seq, 1);
        }
    }
}
