//! Shared-memory packet queues between network domains, after the seL4
//! Device Driver Framework (sDDF, `include/sddf/network/queue.h`).
//!
//! Two neighbouring domains share a *pair* of single-producer,
//! single-consumer rings of buffer descriptors: the **active** ring carries
//! buffers that hold packets, the **free** ring gives empty buffers back.
//! The side that fills buffers (a driver on receive, a client on transmit)
//! produces the active ring and consumes the free ring: it holds an
//! [`ActiveProducer`]. The other side holds an [`ActiveConsumer`]. Buffers
//! always return to the domain that handed them out, on the same pair.
//!
//! Each ring lives in its own memory region: a [`RingHeader`] (the tail,
//! written only by the producer; the head, written only by the consumer; the
//! `consumer_signalled` flag), each on its own cache line, followed by
//! `capacity` [`BuffDesc`] entries. Indices are free-running `u32`s, the
//! capacity a power of two. Differences from sDDF, and why:
//!
//! * Each side keeps its own index privately and only *writes* it to shared
//!   memory; it never trusts a value read back. The peer's index is checked
//!   (`tail - head <= capacity`) before use, so a corrupt or hostile peer
//!   cannot make us read outside the ring (sDDF lists this as future work).
//! * Operations are staged: [`ActiveProducer::enqueue_active`] and friends
//!   write the entry and advance the private index; [`flush`](ActiveProducer::flush)
//!   (or the signalling calls, which flush first) publishes the indices
//!   with one release store per ring and batch, so a busy ring moves its
//!   index cache line once per batch rather than once per packet.
//!   Publishing has an order: each side publishes the index of the ring it
//!   consumes before the index of the ring it produces. A buffer taken
//!   from one ring and staged on the other is then never visible in both
//!   at once: a peer that reads between the two stores would otherwise
//!   count more entries than there are buffers, find a ring whose
//!   capacity is the pool's size full, and refuse a buffer it must take.
//!   (sDDF publishes every operation at once, so it never meets this.)
//! * Recovery: when one side stops (a crashed or swapped driver), the
//!   other repairs out-of-range indices and finds the buffers the stopped
//!   side held as those in neither ring
//!   ([`ActiveConsumer::repair_stopped_peer`], `for_each_pending_*`).
//! * Descriptors derive `zerocopy`'s `FromBytes`/`IntoBytes`: any bit
//!   pattern a peer writes is a valid (if useless) descriptor, which the
//!   receiving side validates (offset, length) like sDDF's virtualisers.
//!
//! Notification suppression is sDDF's signalling protocol: the consumer sets
//! `consumer_signalled = 0` when it wants a notification, and double-checks
//! the ring afterwards ([`ActiveConsumer::request_signal_active`] returns
//! `true` when it must go on processing instead of sleeping); a producer
//! notifies only if the flag asks for it and then sets it
//! ([`ActiveProducer::signal_active`]). Both sides separate their store and
//! their load with a sequentially consistent fence (Dekker), so a
//! notification can be suppressed but never lost.

#![no_std]

#[cfg(test)]
extern crate std;

use core::fmt;
use core::sync::atomic::{fence, AtomicU32, Ordering};

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// Size of every packet buffer in a data region (sDDF's `NET_BUFFER_SIZE`):
/// the smallest power of two that holds an Ethernet frame of 1514 bytes.
pub const BUFFER_SIZE: usize = 2048;

/// A buffer descriptor: where a buffer is and how many bytes of it hold a
/// packet. Layout shared with every peer; 16 bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct BuffDesc {
    /// The buffer's offset in its data region, or its IO address on the
    /// queues between the transmit virtualiser and the driver (sDDF's
    /// `io_or_offset`).
    pub io_or_offset: u64,
    /// Bytes of packet data at the start of the buffer; 0 in free rings
    /// (and in an active ring: "unused buffer, give it back").
    pub len: u16,
    /// Which data region the buffer belongs to, where one ring carries
    /// buffers of several regions (sDDF's `oid`); 0 otherwise.
    pub oid: u8,
    pub _reserved: [u8; 5],
}

impl BuffDesc {
    pub const fn new(io_or_offset: u64, len: u16) -> Self {
        Self { io_or_offset, len, oid: 0, _reserved: [0; 5] }
    }
}

/// One index (or flag) alone on a cache line.
#[derive(FromBytes, IntoBytes, KnownLayout)]
#[repr(C, align(64))]
pub struct PaddedIndex {
    pub value: AtomicU32,
    _pad: [u8; 60],
}

/// The start of a ring's memory region; the entries follow.
#[derive(FromBytes, IntoBytes, KnownLayout)]
#[repr(C)]
pub struct RingHeader {
    /// Next entry the producer writes. Written by the producer only.
    pub tail: PaddedIndex,
    /// Next entry the consumer reads. Written by the consumer only.
    pub head: PaddedIndex,
    /// 0: the consumer wants a notification for the next enqueue.
    pub consumer_signalled: PaddedIndex,
}

/// Bytes of a ring's header; entries start here.
pub const RING_HEADER_SIZE: usize = core::mem::size_of::<RingHeader>();

const _: () = {
    assert!(core::mem::size_of::<BuffDesc>() == 16);
    assert!(RING_HEADER_SIZE == 192);
};

/// Bytes a ring of `capacity` entries needs.
pub const fn ring_size(capacity: u32) -> usize {
    RING_HEADER_SIZE + capacity as usize * core::mem::size_of::<BuffDesc>()
}

/// Why a ring could not be attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueError {
    /// The capacity is not a power of two (or is 0, or over 2^15).
    BadCapacity(u32),
    /// The region is too small for the header and `capacity` entries.
    RegionTooSmall { needed: usize, size: usize },
    /// The region is not aligned to a cache line.
    Misaligned,
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            QueueError::BadCapacity(c) => write!(f, "queue capacity {c} is not a power of two in 1..=32768"),
            QueueError::RegionTooSmall { needed, size } => {
                write!(f, "queue region of {size} bytes is too small: {needed} bytes needed")
            }
            QueueError::Misaligned => write!(f, "queue region is not aligned to 64 bytes"),
        }
    }
}

/// A ring in shared memory (no side attached yet).
#[derive(Clone, Copy)]
struct Ring {
    hdr: *const RingHeader,
    entries: *mut BuffDesc,
    capacity: u32,
}

// The ring is shared memory touched through atomics and volatile copies.
unsafe impl Send for Ring {}

impl Ring {
    /// # Safety
    /// `base..base + len` must stay mapped read-write for the life of the
    /// returned value and be used as a ring by at most one producer and one
    /// consumer.
    unsafe fn new(base: *mut u8, len: usize, capacity: u32) -> Result<Self, QueueError> {
        if !capacity.is_power_of_two() || capacity > 1 << 15 {
            return Err(QueueError::BadCapacity(capacity));
        }
        if base as usize % 64 != 0 {
            return Err(QueueError::Misaligned);
        }
        let needed = ring_size(capacity);
        if len < needed {
            return Err(QueueError::RegionTooSmall { needed, size: len });
        }
        Ok(Self {
            hdr: base.cast::<RingHeader>(),
            // SAFETY: in bounds (checked above).
            entries: unsafe { base.add(RING_HEADER_SIZE) }.cast::<BuffDesc>(),
            capacity,
        })
    }

    fn hdr(&self) -> &RingHeader {
        // SAFETY: mapped for our life (constructor contract); all fields atomic.
        unsafe { &*self.hdr }
    }

    fn read(&self, index: u32) -> BuffDesc {
        // SAFETY: index is reduced modulo the capacity the region was
        // checked for; any bit pattern is a valid BuffDesc (FromBytes).
        unsafe { self.entries.add((index & (self.capacity - 1)) as usize).read_volatile() }
    }

    fn write(&self, index: u32, d: BuffDesc) {
        // SAFETY: as in `read`; we are this ring's only producer.
        unsafe { self.entries.add((index & (self.capacity - 1)) as usize).write_volatile(d) }
    }
}

/// The producer's end of one ring.
struct ProducerEnd {
    ring: Ring,
    /// Our tail, possibly ahead of the published one.
    tail: u32,
    /// Last head we read from the consumer.
    head_cache: u32,
    /// The tail as last stored in shared memory.
    published: u32,
}

impl ProducerEnd {
    fn attach(ring: Ring) -> Self {
        let h = ring.hdr();
        let tail = h.tail.value.load(Ordering::Relaxed);
        let head = h.head.value.load(Ordering::Acquire);
        Self { ring, tail, head_cache: head, published: tail }
    }

    fn consumer_head(&mut self) -> u32 {
        let head = self.ring.hdr().head.value.load(Ordering::Acquire);
        // A head beyond our tail, or more than a ring behind, is corrupt:
        // treat the ring as full until it is sane again.
        if self.tail.wrapping_sub(head) <= self.ring.capacity {
            self.head_cache = head;
        }
        self.head_cache
    }

    fn len(&mut self) -> u32 {
        self.tail.wrapping_sub(self.consumer_head())
    }

    fn push(&mut self, d: BuffDesc) -> Result<(), BuffDesc> {
        if self.tail.wrapping_sub(self.head_cache) >= self.ring.capacity
            && self.tail.wrapping_sub(self.consumer_head()) >= self.ring.capacity
        {
            return Err(d);
        }
        self.ring.write(self.tail, d);
        self.tail = self.tail.wrapping_add(1);
        Ok(())
    }

    /// Stores the tail if it moved (an unchanged store would still take
    /// the cache line from the consumer).
    fn publish(&mut self) {
        if self.published != self.tail {
            self.published = self.tail;
            self.ring.hdr().tail.value.store(self.tail, Ordering::Release);
            after_publish();
        }
    }

    /// Entries published and not yet consumed.
    fn for_each_pending(&mut self, mut f: impl FnMut(BuffDesc)) {
        let head = self.consumer_head();
        let mut i = head;
        while i != self.tail {
            f(self.ring.read(i));
            i = i.wrapping_add(1);
        }
    }

    /// Makes an out-of-range consumer index "everything consumed".
    fn repair(&mut self) {
        let h = self.ring.hdr();
        if self.tail.wrapping_sub(h.head.value.load(Ordering::Acquire)) > self.ring.capacity {
            h.head.value.store(self.tail, Ordering::Release);
            self.head_cache = self.tail;
            after_publish();
        }
    }

    /// Tells whether the consumer asked for a notification (and if so,
    /// marks it as given). The caller has published.
    fn signal(&mut self) -> bool {
        fence(Ordering::SeqCst);
        let ring = self.ring;
        let flag = &ring.hdr().consumer_signalled.value;
        if flag.load(Ordering::Relaxed) == 0 {
            flag.store(1, Ordering::Relaxed);
            true
        } else {
            false
        }
    }
}

/// The consumer's end of one ring.
struct ConsumerEnd {
    ring: Ring,
    /// Our head, possibly ahead of the published one.
    head: u32,
    /// Last valid tail we read from the producer.
    tail_cache: u32,
    /// Times the producer's tail was found corrupt.
    corrupt: u32,
    /// The head as last stored in shared memory.
    published: u32,
}

impl ConsumerEnd {
    fn attach(ring: Ring) -> Self {
        let head = ring.hdr().head.value.load(Ordering::Relaxed);
        let mut c = Self { ring, head, tail_cache: head, corrupt: 0, published: head };
        c.producer_tail();
        c
    }

    fn producer_tail(&mut self) -> u32 {
        let tail = self.ring.hdr().tail.value.load(Ordering::Acquire);
        if tail.wrapping_sub(self.head) <= self.ring.capacity {
            self.tail_cache = tail;
        } else {
            self.corrupt = self.corrupt.wrapping_add(1);
        }
        self.tail_cache
    }

    fn len(&mut self) -> u32 {
        self.producer_tail().wrapping_sub(self.head)
    }

    fn peek(&mut self) -> Option<BuffDesc> {
        if self.head == self.tail_cache && self.head == self.producer_tail() {
            return None;
        }
        Some(self.ring.read(self.head))
    }

    fn pop(&mut self) -> Option<BuffDesc> {
        let d = self.peek()?;
        self.head = self.head.wrapping_add(1);
        Some(d)
    }

    /// Stores the head if it moved.
    fn publish(&mut self) {
        if self.published != self.head {
            self.published = self.head;
            self.ring.hdr().head.value.store(self.head, Ordering::Release);
            after_publish();
        }
    }

    /// Entries published by the producer and not yet consumed by us.
    fn for_each_pending(&mut self, mut f: impl FnMut(BuffDesc)) {
        let tail = self.producer_tail();
        let mut i = self.head;
        while i != tail {
            f(self.ring.read(i));
            i = i.wrapping_add(1);
        }
    }

    /// Makes an out-of-range producer index "nothing produced".
    fn repair(&mut self) {
        let h = self.ring.hdr();
        if h.tail.value.load(Ordering::Acquire).wrapping_sub(self.head) > self.ring.capacity {
            h.tail.value.store(self.head, Ordering::Release);
            self.tail_cache = self.head;
            after_publish();
        }
    }

    /// sDDF's event-registering phase: ask for a notification, then
    /// double-check. Returns `true` if entries arrived meanwhile (the
    /// request is withdrawn and the caller must process them). The caller
    /// has published.
    fn request_signal(&mut self) -> bool {
        let ring = self.ring;
        let flag = &ring.hdr().consumer_signalled.value;
        flag.store(0, Ordering::Relaxed);
        fence(Ordering::SeqCst);
        if self.len() != 0 {
            flag.store(1, Ordering::Relaxed);
            true
        } else {
            false
        }
    }

    fn cancel_signal(&self) {
        self.ring.hdr().consumer_signalled.value.store(1, Ordering::Relaxed);
    }
}

/// Runs after every store of an index to shared memory: tests observe the
/// rings there as a peer could between two stores.
#[inline(always)]
fn after_publish() {
    #[cfg(test)]
    tests::OBSERVER.with(|o| {
        if let Some(f) = o.borrow().as_ref() {
            f()
        }
    });
}

/// Memory for one ring: its base address and length.
#[derive(Clone, Copy, Debug)]
pub struct RingMemory {
    pub base: *mut u8,
    pub len: usize,
}

/// The side of a pair that fills buffers: produces the active ring,
/// consumes the free ring (a driver's receive pair, a client's transmit
/// pair).
pub struct ActiveProducer {
    active: ProducerEnd,
    free: ConsumerEnd,
}

/// The side of a pair that empties buffers: consumes the active ring,
/// produces the free ring (a virtualiser's receive pair with the driver).
pub struct ActiveConsumer {
    active: ConsumerEnd,
    free: ProducerEnd,
}

unsafe fn rings(free: RingMemory, active: RingMemory, capacity: u32) -> Result<(Ring, Ring), QueueError> {
    // SAFETY: forwarded from the caller.
    unsafe { Ok((Ring::new(free.base, free.len, capacity)?, Ring::new(active.base, active.len, capacity)?)) }
}

impl ActiveProducer {
    /// Attaches to a pair. The indices in shared memory are taken as they
    /// are, so a restarted domain resumes where its predecessor stopped.
    ///
    /// # Safety
    /// Both regions must stay mapped read-write for the life of the value,
    /// and no other `ActiveProducer` may be attached to the pair.
    pub unsafe fn attach(free: RingMemory, active: RingMemory, capacity: u32) -> Result<Self, QueueError> {
        // SAFETY: forwarded.
        let (f, a) = unsafe { rings(free, active, capacity)? };
        Ok(Self { active: ProducerEnd::attach(a), free: ConsumerEnd::attach(f) })
    }

    pub fn capacity(&self) -> u32 {
        self.active.ring.capacity
    }

    /// Stages a filled buffer; `Err` gives it back if the ring is full.
    pub fn enqueue_active(&mut self, d: BuffDesc) -> Result<(), BuffDesc> {
        self.active.push(d)
    }

    /// Takes an empty buffer the peer gave back.
    pub fn dequeue_free(&mut self) -> Option<BuffDesc> {
        self.free.pop()
    }

    /// Free buffers waiting for us.
    pub fn free_len(&mut self) -> u32 {
        self.free.len()
    }

    /// Entries in the active ring the peer has not taken yet.
    pub fn active_len(&mut self) -> u32 {
        self.active.len()
    }

    pub fn free_is_empty(&mut self) -> bool {
        self.free.peek().is_none()
    }

    /// Publishes staged dequeues, then staged enqueues (the order the
    /// module documentation explains).
    pub fn flush(&mut self) {
        self.free.publish();
        self.active.publish();
    }

    /// Producer's notification phase for the active ring: flushes, and
    /// returns `true` if the peer asked to be notified (call only after
    /// enqueuing something).
    pub fn signal_active(&mut self) -> bool {
        self.flush();
        self.active.signal()
    }

    /// Consumer's event-registering phase for the free ring; `true`: more
    /// arrived, go on processing.
    pub fn request_signal_free(&mut self) -> bool {
        self.flush();
        self.free.request_signal()
    }

    /// Withdraws a request for a free-ring notification.
    pub fn cancel_signal_free(&mut self) {
        self.free.cancel_signal()
    }

    /// Times the peer's index was found out of range.
    pub fn corruptions(&self) -> u32 {
        self.free.corrupt
    }

    /// The entries in the active ring the peer has not taken yet, oldest
    /// first (for recovery after the peer stopped).
    pub fn for_each_pending_active(&mut self, f: impl FnMut(BuffDesc)) {
        self.flush();
        self.active.for_each_pending(f)
    }

    /// The entries in the free ring we have not taken yet.
    pub fn for_each_pending_free(&mut self, f: impl FnMut(BuffDesc)) {
        self.free.for_each_pending(f)
    }

    /// Recovery after the peer stopped (crashed, or was swapped out), before
    /// another attaches: an index the peer left out of range is reset to
    /// "empty". Entries in range stay where they are; the next peer attaches
    /// to the indices as they are and takes them. The caller reclaims the
    /// buffers that are in neither ring (the stopped peer held them).
    ///
    /// # Safety
    /// No process may be attached to the other side.
    pub unsafe fn repair_stopped_peer(&mut self) {
        self.flush();
        self.active.repair();
        self.free.repair();
    }
}

impl ActiveConsumer {
    /// Attaches to a pair; see [`ActiveProducer::attach`].
    ///
    /// # Safety
    /// As for [`ActiveProducer::attach`].
    pub unsafe fn attach(free: RingMemory, active: RingMemory, capacity: u32) -> Result<Self, QueueError> {
        // SAFETY: forwarded.
        let (f, a) = unsafe { rings(free, active, capacity)? };
        Ok(Self { active: ConsumerEnd::attach(a), free: ProducerEnd::attach(f) })
    }

    pub fn capacity(&self) -> u32 {
        self.active.ring.capacity
    }

    /// Takes a filled buffer.
    pub fn dequeue_active(&mut self) -> Option<BuffDesc> {
        self.active.pop()
    }

    /// The next filled buffer, left in the ring.
    pub fn peek_active(&mut self) -> Option<BuffDesc> {
        self.active.peek()
    }

    /// Stages an empty buffer for the peer; `Err` if the ring is full.
    pub fn enqueue_free(&mut self, d: BuffDesc) -> Result<(), BuffDesc> {
        self.free.push(d)
    }

    pub fn active_len(&mut self) -> u32 {
        self.active.len()
    }

    /// Entries in the free ring the peer has not taken yet.
    pub fn free_len(&mut self) -> u32 {
        self.free.len()
    }

    /// Publishes staged dequeues, then staged enqueues (the order the
    /// module documentation explains).
    pub fn flush(&mut self) {
        self.active.publish();
        self.free.publish();
    }

    /// Consumer's event-registering phase for the active ring; `true`:
    /// more arrived, go on processing.
    pub fn request_signal_active(&mut self) -> bool {
        self.flush();
        self.active.request_signal()
    }

    pub fn cancel_signal_active(&mut self) {
        self.active.cancel_signal()
    }

    /// Producer's notification phase for the free ring (call only after
    /// enqueuing something).
    pub fn signal_free(&mut self) -> bool {
        self.flush();
        self.free.signal()
    }

    pub fn corruptions(&self) -> u32 {
        self.active.corrupt
    }

    /// The entries in the active ring we have not taken yet.
    pub fn for_each_pending_active(&mut self, f: impl FnMut(BuffDesc)) {
        self.active.for_each_pending(f)
    }

    /// The entries in the free ring the peer has not taken yet.
    pub fn for_each_pending_free(&mut self, f: impl FnMut(BuffDesc)) {
        self.flush();
        self.free.for_each_pending(f)
    }

    /// See [`ActiveProducer::repair_stopped_peer`].
    ///
    /// # Safety
    /// No process may be attached to the other side.
    pub unsafe fn repair_stopped_peer(&mut self) {
        self.flush();
        self.active.repair();
        self.free.repair();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::boxed::Box;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    use std::vec::Vec;

    /// Cache-line aligned memory for a pair of rings.
    struct Pair {
        mem: Box<[Aligned]>,
        capacity: u32,
    }

    #[repr(C, align(64))]
    #[derive(Clone, Copy)]
    struct Aligned([u8; 64]);

    unsafe impl Send for Pair {}
    unsafe impl Sync for Pair {}

    impl Pair {
        fn new(capacity: u32) -> Self {
            let lines = 2 * ring_size(capacity).div_ceil(64);
            Self { mem: vec_box(lines), capacity }
        }

        fn rings(&self) -> (RingMemory, RingMemory) {
            let len = ring_size(self.capacity).div_ceil(64) * 64;
            let base = self.mem.as_ptr() as *mut u8;
            (RingMemory { base, len }, RingMemory { base: unsafe { base.add(len) }, len })
        }

        fn producer(&self) -> ActiveProducer {
            let (f, a) = self.rings();
            unsafe { ActiveProducer::attach(f, a, self.capacity).unwrap() }
        }

        fn consumer(&self) -> ActiveConsumer {
            let (f, a) = self.rings();
            unsafe { ActiveConsumer::attach(f, a, self.capacity).unwrap() }
        }
    }

    std::thread_local! {
        /// Called after each index store of this thread's rings.
        pub(super) static OBSERVER: core::cell::RefCell<Option<Box<dyn Fn()>>> = const { core::cell::RefCell::new(None) };
    }

    fn vec_box(n: usize) -> Box<[Aligned]> {
        let mut v = Vec::new();
        v.resize(n, Aligned([0; 64]));
        v.into_boxed_slice()
    }

    #[test]
    fn layout_is_fixed() {
        assert_eq!(core::mem::size_of::<BuffDesc>(), 16);
        assert_eq!(core::mem::offset_of!(RingHeader, head), 64);
        assert_eq!(core::mem::offset_of!(RingHeader, consumer_signalled), 128);
        assert_eq!(ring_size(512), 192 + 512 * 16);
        let d = BuffDesc::new(0x1234_5678_9abc, 60);
        assert_eq!(BuffDesc::read_from_bytes(d.as_bytes()).unwrap(), d);
    }

    #[test]
    fn attach_checks_capacity_and_size() {
        let p = Pair::new(8);
        let (f, a) = p.rings();
        assert_eq!(unsafe { ActiveProducer::attach(f, a, 6) }.err(), Some(QueueError::BadCapacity(6)));
        let small = RingMemory { base: f.base, len: 100 };
        assert!(matches!(unsafe { ActiveProducer::attach(small, a, 8) }, Err(QueueError::RegionTooSmall { .. })));
        let odd = RingMemory { base: unsafe { f.base.add(8) }, len: f.len - 8 };
        assert_eq!(unsafe { ActiveProducer::attach(odd, a, 8) }.err(), Some(QueueError::Misaligned));
    }

    #[test]
    fn fifo_order_full_and_wraparound() {
        let p = Pair::new(4);
        let mut prod = p.producer();
        let mut cons = p.consumer();
        for round in 0..10u64 {
            for i in 0..4 {
                prod.enqueue_active(BuffDesc::new(round * 10 + i, i as u16)).unwrap();
            }
            assert!(prod.enqueue_active(BuffDesc::new(99, 0)).is_err(), "a full ring refuses");
            // Nothing is visible before the flush.
            assert_eq!(cons.dequeue_active(), None);
            prod.flush();
            for i in 0..4 {
                assert_eq!(cons.dequeue_active(), Some(BuffDesc::new(round * 10 + i, i as u16)));
            }
            assert_eq!(cons.dequeue_active(), None);
            // Still full for the producer until the consumer publishes.
            assert!(prod.enqueue_active(BuffDesc::new(99, 0)).is_err());
            cons.flush();
        }
    }

    #[test]
    fn buffers_return_on_the_free_ring() {
        let p = Pair::new(8);
        let mut prod = p.producer();
        let mut cons = p.consumer();
        for i in 0..8 {
            cons.enqueue_free(BuffDesc::new(i * 2048, 0)).unwrap();
        }
        assert!(cons.signal_free(), "a fresh ring wants a notification");
        assert!(!cons.signal_free(), "but only one until it asks again");
        let mut got = Vec::new();
        while let Some(d) = prod.dequeue_free() {
            got.push(d.io_or_offset);
        }
        assert_eq!(got, (0..8).map(|i| i * 2048).collect::<Vec<_>>());
        assert!(!prod.request_signal_free(), "empty: sleep");
        cons.flush();
        cons.enqueue_free(BuffDesc::new(0, 0)).unwrap();
        assert!(cons.signal_free(), "the request is seen");
    }

    #[test]
    fn double_check_catches_a_racing_enqueue() {
        let p = Pair::new(8);
        let mut prod = p.producer();
        let mut cons = p.consumer();
        // The producer enqueues and checks the flag after the consumer's
        // last look but before it registered: flag still 1, no signal.
        cons.cancel_signal_active();
        prod.enqueue_active(BuffDesc::new(0, 1)).unwrap();
        assert!(!prod.signal_active());
        // The consumer's double-check must find the entry.
        assert!(cons.request_signal_active(), "must reprocess, or the packet would wait forever");
        assert!(cons.dequeue_active().is_some());
        assert!(!cons.request_signal_active());
        prod.enqueue_active(BuffDesc::new(0, 2)).unwrap();
        assert!(prod.signal_active());
    }

    #[test]
    fn a_corrupt_peer_index_is_not_trusted() {
        let p = Pair::new(8);
        let mut prod = p.producer();
        let mut cons = p.consumer();
        prod.enqueue_active(BuffDesc::new(1, 1)).unwrap();
        prod.flush();
        assert_eq!(cons.active_len(), 1);
        // The producer scribbles a tail far beyond the ring.
        let (_, a) = p.rings();
        let hdr = unsafe { &*(a.base as *const RingHeader) };
        hdr.tail.value.store(1_000_000, Ordering::Release);
        assert_eq!(cons.dequeue_active(), Some(BuffDesc::new(1, 1)), "entries before the corruption");
        assert_eq!(cons.dequeue_active(), None);
        assert!(cons.corruptions() > 0);
        assert!(cons.active_len() <= 8);
    }

    #[test]
    fn recovery_finds_the_buffers_a_stopped_peer_held() {
        let p = Pair::new(8);
        let mut virt = p.consumer();
        {
            let mut drv = p.producer();
            for i in 0..8 {
                virt.enqueue_free(BuffDesc::new(i * 2048, 0)).unwrap();
            }
            virt.flush();
            // The driver takes three buffers, fills one, and dies.
            let a = drv.dequeue_free().unwrap();
            drv.dequeue_free().unwrap();
            drv.dequeue_free().unwrap();
            drv.enqueue_active(BuffDesc::new(a.io_or_offset, 60)).unwrap();
            drv.flush();
        }
        unsafe { virt.repair_stopped_peer() };
        let mut in_rings = std::vec![false; 8];
        virt.for_each_pending_free(|d| in_rings[(d.io_or_offset / 2048) as usize] = true);
        virt.for_each_pending_active(|d| in_rings[(d.io_or_offset / 2048) as usize] = true);
        assert_eq!(in_rings, [true, false, false, true, true, true, true, true], "the driver held buffers 1 and 2");
        // A new driver resumes from the indices as they are.
        let mut drv2 = p.producer();
        assert_eq!(drv2.dequeue_free(), Some(BuffDesc::new(3 * 2048, 0)));
        assert_eq!(virt.dequeue_active().map(|d| d.len), Some(60));
        // A corrupt index left behind is repaired to "empty".
        let (f, _) = p.rings();
        unsafe { &*(f.base as *const RingHeader) }.head.value.store(77_777, Ordering::Release);
        unsafe { virt.repair_stopped_peer() };
        let mut n = 0;
        virt.for_each_pending_free(|_| n += 1);
        assert_eq!(n, 0);
    }

    /// A peer may read the indices between any two stores (the other side
    /// can be preempted there). Every such view must hold at most as many
    /// entries in both rings together as there are buffers: a side that
    /// published the buffers it staged on one ring before the entries it
    /// took from the other showed them twice, and a ring whose capacity
    /// is the pool's size looked full to the peer, which then had to drop
    /// a buffer (the lost frames of the bench's rare stalls).
    #[test]
    fn no_peer_ever_sees_more_entries_than_buffers() {
        const BUFS: u32 = 8;
        let p = Pair::new(BUFS);
        let (f, a) = p.rings();
        let (free, active) = (f.base as usize, a.base as usize);
        OBSERVER.with(|o| {
            *o.borrow_mut() = Some(Box::new(move || {
                let held = |base: usize| {
                    let h = unsafe { &*(base as *const RingHeader) };
                    h.tail.value.load(Ordering::Relaxed).wrapping_sub(h.head.value.load(Ordering::Relaxed))
                };
                let (nf, na) = (held(free), held(active));
                assert!(nf + na <= BUFS, "a peer sees {nf} free and {na} active entries for {BUFS} buffers");
            }))
        });
        let mut prod = p.producer();
        let mut cons = p.consumer();
        for i in 0..BUFS as u64 {
            cons.enqueue_free(BuffDesc::new(i * 2048, 0)).unwrap();
        }
        cons.flush();
        // Each side ends its turn with each of its publishing calls in
        // turn, moving a different number of buffers each time.
        let mut moved = 0u64;
        for round in 0..48u32 {
            let k = round % BUFS + 1;
            for _ in 0..k {
                let Some(mut d) = prod.dequeue_free() else { break };
                d.len = 60;
                prod.enqueue_active(d).unwrap();
            }
            match round % 3 {
                0 => prod.flush(),
                1 => drop(prod.signal_active()),
                _ => drop(prod.request_signal_free()),
            }
            for _ in 0..(k + round % 2) {
                let Some(d) = cons.dequeue_active() else { break };
                cons.enqueue_free(BuffDesc::new(d.io_or_offset, 0)).unwrap();
                moved += 1;
            }
            match (round / 3) % 3 {
                0 => cons.flush(),
                1 => drop(cons.signal_free()),
                _ => drop(cons.request_signal_active()),
            }
        }
        OBSERVER.with(|o| o.borrow_mut().take());
        assert!(moved > 100, "only {moved} buffers moved");
    }

    /// Two threads pass 200,000 descriptors through both rings with
    /// notification suppression; a "notification" is an atomic flag the
    /// other side spins on. Nothing is lost, duplicated or reordered, and
    /// far fewer notifications than packets are sent.
    #[test]
    fn two_threads_move_200k_buffers_with_few_signals() {
        const N: u64 = 200_000;
        const CAP: u32 = 256;
        let p = Arc::new(Pair::new(CAP));
        let to_cons = Arc::new(AtomicBool::new(false));
        let to_prod = Arc::new(AtomicBool::new(false));
        let mut cons = p.consumer();
        for i in 0..CAP as u64 {
            cons.enqueue_free(BuffDesc::new(i * 2048, 0)).unwrap();
        }
        cons.flush();
        let (pp, tc, tp) = (p.clone(), to_cons.clone(), to_prod.clone());
        let producer = std::thread::spawn(move || {
            let mut prod = pp.producer();
            let (mut sent, mut signals) = (0u64, 0u64);
            while sent < N {
                let mut any = false;
                while sent < N {
                    let Some(mut d) = prod.dequeue_free() else { break };
                    d.len = (sent % 1500) as u16 + 1;
                    d.oid = (sent % 61) as u8;
                    prod.enqueue_active(d).unwrap();
                    sent += 1;
                    any = true;
                }
                if any && prod.signal_active() {
                    signals += 1;
                    tc.store(true, Ordering::Release);
                }
                if sent < N && !prod.request_signal_free() {
                    while !tp.swap(false, Ordering::Acquire) {
                        std::thread::yield_now();
                    }
                }
            }
            signals
        });
        let (mut got, mut signals) = (0u64, 0u64);
        let mut seen = std::vec![0u32; CAP as usize];
        while got < N {
            let mut any = false;
            while let Some(d) = cons.dequeue_active() {
                assert_eq!(d.len, (got % 1500) as u16 + 1, "in order");
                assert_eq!(d.oid, (got % 61) as u8);
                seen[(d.io_or_offset / 2048) as usize] += 1;
                cons.enqueue_free(BuffDesc::new(d.io_or_offset, 0)).unwrap();
                got += 1;
                any = true;
            }
            if any && cons.signal_free() {
                signals += 1;
                to_prod.store(true, Ordering::Release);
            }
            if got < N && !cons.request_signal_active() {
                while !to_cons.swap(false, Ordering::Acquire) {
                    std::thread::yield_now();
                }
            }
        }
        let prod_signals = producer.join().unwrap();
        assert_eq!(seen.iter().map(|&n| n as u64).sum::<u64>(), N);
        assert!(seen.iter().all(|&n| n > 0), "every buffer circulated");
        assert!(prod_signals + signals < N / 2, "signals {prod_signals} + {signals} for {N} packets");
    }
}
