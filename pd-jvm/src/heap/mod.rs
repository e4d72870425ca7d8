//! The Java heap: a per-VM arena of references as 32-bit offsets, bump
//! allocation, and a precise stop-the-world copying (Cheney) collector.
//!
//! # Design, and why
//!
//! * **Quota.** [`Heap::new`] takes the embedding PD's quota and splits it
//!   into two semispaces of `quota / 2`, both allocated up front (fallibly):
//!   the heap never asks the allocator for more, and a collection can never
//!   fail for want of memory. The price of copying is that Java sees half
//!   the quota; in exchange allocation is a bump, collection costs only
//!   live data, and there is no fragmentation. Side tables (layouts, weak
//!   slots, the root stack) are ordinary allocations outside the quota,
//!   bounded by the number of classes, handle-table capacities and natives.
//! * **References** ([`Ref`]) are byte offsets of object headers in the
//!   current space. The first 8 bytes of each space are reserved, so null
//!   is 0 without biasing every access by one. A semispace is at most
//!   `4 GiB - 8` bytes.
//! * **Objects** are 8-aligned (longs and doubles stay aligned, and every
//!   object has room for a forwarding address). Header, little-endian
//!   `u32` words:
//!
//!   | offset | instance     | array                                |
//!   |--------|--------------|--------------------------------------|
//!   | 0      | layout id    | layout id                            |
//!   | 4      | flags + hash | flags + hash                         |
//!   | 8      | fields...    | length                               |
//!   | 12     |              | 0 (aligns 8-byte elements)           |
//!   | 16     |              | elements...                          |
//!
//!   Word 1: bit 0 = forwarded (during a collection word 0 then holds the
//!   new offset); bits 1..=4 = element kind (0 for instances, so array
//!   checks need no layout lookup); bits 5..=31 = identity hash, 0 until
//!   first requested. As in HotSpot the hash lives in the header and moves
//!   with the object (27 bits; HotSpot has 25 on 32-bit VMs).
//! * **Layouts.** The heap knows no classes. The VM registers a [`Layout`]
//!   per class (instance: field bytes and reference offsets; array: element
//!   kind) and stores the returned [`LayoutId`]; headers carry it.
//! * **Allocation** ([`Heap::alloc_instance`], [`Heap::alloc_array`])
//!   returns zeroed objects. When the space is full it returns
//!   [`AllocError::NeedsGc`]: the VM calls [`Heap::collect`] with its roots
//!   and retries. A failure with no allocation attempt since the last
//!   collection, or a request larger than the space, is
//!   [`AllocError::OutOfMemory`]: throw `OutOfMemoryError`; nothing changed,
//!   the VM carries on. The VM holds no `Ref` across an allocation unless
//!   it is a root: any allocation may be followed by a collection.
//! * **Throwing OOM without memory.** [`HeapConfig::oom_reserve`] bytes at
//!   the end of the space are off limits to ordinary allocation and only
//!   usable through [`Heap::alloc_instance_reserved`] /
//!   [`Heap::alloc_array_reserved`], so the VM can build a fresh
//!   `OutOfMemoryError` (and its backtrace) after an OOM. The reserve comes
//!   back at the next collection. The VM should also pre-allocate one
//!   error object at startup and keep it in [`Heap::roots`], thrown when
//!   even the reserve is short (HotSpot does the same).
//! * **Roots** are enumerated by the VM ([`RootVisitor`]), which knows
//!   which frame slots hold references; [`Heap::roots`] is a root stack
//!   the heap traces itself, for natives holding objects across an
//!   allocation and for permanent objects.
//! * **Weak slots** ([`Heap::weak_new`]) are cleared when their referent
//!   dies and reported via [`Heap::take_cleared_weaks`];
//!   [`HandleTable`] uses them to release native objects whose Java
//!   wrapper was collected.
//! * **Robustness.** Java-controlled values (indices, lengths, nulls) give
//!   errors, never panics. References are bounds-checked against the used
//!   space on every access; a reference only a VM bug could produce gives
//!   [`AccessError::Invalid`], and the collector drops it (asserting in
//!   debug builds). There is no `unsafe`: a VM bug can damage this heap's
//!   contents but never memory outside it.

mod error;
mod gc;
mod handles;
mod jit;
mod layout;
mod object;
mod space;
mod stats;
mod weak;

use alloc::vec::Vec;

pub use error::{AccessError, AllocError, InitError};
pub use gc::{RootVisitor, Tracer};
pub use handles::{Handle, HandleError, HandleTable};
pub use jit::RawHeap;
pub use layout::{ElementKind, Layout, LayoutError, LayoutId, MAX_FIELD_BYTES};
pub use object::{FieldSpan, Fields, FieldsMut, Ref, SpanFields, Value};
pub use stats::GcStats;
pub use weak::{ClearedWeak, WeakRef};

use layout::{array_size, LayoutInfo};
use object::KIND_SHIFT;
use space::{Space, SPACE_START};
use weak::WeakTable;

/// Smallest quota [`Heap::new`] accepts.
pub const MIN_QUOTA: usize = 256;

/// Largest semispace: offsets must fit a `u32`.
const MAX_SPACE: usize = (u32::MAX as usize) & !7;

/// How to build a [`Heap`].
#[derive(Clone, Copy, Debug)]
pub struct HeapConfig {
    /// Total bytes the heap may use; each semispace gets half.
    pub quota: usize,
    /// Bytes of each space kept for [`Heap::alloc_instance_reserved`]
    /// (building `OutOfMemoryError`); rounded up to 8. Default 0.
    pub oom_reserve: usize,
    /// Seed for identity hashes (any value; 0 is replaced).
    pub hash_seed: u32,
    /// Monotonic clock for pause statistics, in units of the embedder's
    /// choice. `None`: pauses read 0.
    pub clock: Option<crate::NanoClock>,
}

impl HeapConfig {
    pub fn new(quota: usize) -> Self {
        HeapConfig { quota, oom_reserve: 0, hash_seed: 0x2545_f491, clock: None }
    }
}

/// A VM's heap. See the [module docs](self) for the design.
pub struct Heap {
    cur: Space,
    other: Space,
    reserve: usize,
    layouts: Vec<LayoutInfo>,
    roots: Vec<Ref>,
    weak: WeakTable,
    cleared: Vec<ClearedWeak>,
    stats: GcStats,
    /// `cur.top` when `stats.bytes_allocated` last caught up with it:
    /// compiled code bumps `top` inline (`raw_view`) without counting, so
    /// what lies between is allocated and not yet counted.
    counted_top: usize,
    clock: Option<crate::NanoClock>,
    hash_state: u32,
    /// No allocation was attempted since the last collection: a failure
    /// now means the heap really is full.
    just_collected: bool,
}

impl Heap {
    /// A heap using at most `quota` bytes of arena, with defaults.
    pub fn new(quota: usize) -> Result<Heap, InitError> {
        Heap::with_config(HeapConfig::new(quota))
    }

    pub fn with_config(config: HeapConfig) -> Result<Heap, InitError> {
        if config.quota < MIN_QUOTA {
            return Err(InitError::QuotaTooSmall);
        }
        let size = (config.quota / 2) & !7;
        if size > MAX_SPACE {
            return Err(InitError::QuotaTooLarge);
        }
        let reserve = config.oom_reserve.checked_add(7).ok_or(InitError::ReserveTooLarge)? & !7;
        if reserve >= size - SPACE_START {
            return Err(InitError::ReserveTooLarge);
        }
        let cur = Space::new(size).map_err(|_| InitError::NoMemory)?;
        let other = Space::new(size).map_err(|_| InitError::NoMemory)?;
        Ok(Heap {
            cur,
            other,
            reserve,
            layouts: Vec::new(),
            roots: Vec::new(),
            weak: WeakTable::default(),
            cleared: Vec::new(),
            stats: GcStats::default(),
            counted_top: SPACE_START,
            clock: config.clock,
            hash_state: if config.hash_seed == 0 { 0x2545_f491 } else { config.hash_seed },
            just_collected: false,
        })
    }

    /// Registers a class's layout; the id goes in every header of its
    /// objects.
    pub fn register_layout(&mut self, layout: &Layout) -> Result<LayoutId, LayoutError> {
        let id = u32::try_from(self.layouts.len()).map_err(|_| LayoutError::TooManyLayouts)?;
        self.layouts.push(LayoutInfo::check(layout)?);
        Ok(LayoutId(id))
    }

    /// A zeroed instance of `layout`.
    pub fn alloc_instance(&mut self, layout: LayoutId) -> Result<Ref, AllocError> {
        self.instance(layout, false)
    }

    /// A zeroed array of `len` elements of an array `layout`. A negative
    /// length is `NegativeArraySize`; a length that can never fit is
    /// `OutOfMemory` at once.
    pub fn alloc_array(&mut self, layout: LayoutId, len: i32) -> Result<Ref, AllocError> {
        self.array(layout, len, false)
    }

    /// Like [`Heap::alloc_instance`] but may use the OOM reserve; never
    /// `NeedsGc`. Only for constructing the `OutOfMemoryError` to throw.
    pub fn alloc_instance_reserved(&mut self, layout: LayoutId) -> Result<Ref, AllocError> {
        self.instance(layout, true)
    }

    /// Like [`Heap::alloc_array`] but may use the OOM reserve (for the
    /// error's backtrace or message).
    pub fn alloc_array_reserved(&mut self, layout: LayoutId, len: i32) -> Result<Ref, AllocError> {
        self.array(layout, len, true)
    }

    fn instance(&mut self, layout: LayoutId, reserved: bool) -> Result<Ref, AllocError> {
        let size = match self.layouts.get(layout.0 as usize) {
            Some(LayoutInfo::Instance { size, .. }) => *size as usize,
            _ => return Err(AllocError::Invalid),
        };
        let at = self.alloc_raw(size, reserved)?;
        self.cur.set_u32(at, layout.0);
        Ok(Ref(at as u32))
    }

    fn array(&mut self, layout: LayoutId, len: i32, reserved: bool) -> Result<Ref, AllocError> {
        let kind = match self.layouts.get(layout.0 as usize) {
            Some(LayoutInfo::Array(kind)) => *kind,
            _ => return Err(AllocError::Invalid),
        };
        if len < 0 {
            return Err(AllocError::NegativeArraySize(len));
        }
        let size = array_size(kind, len as u64).ok_or(AllocError::OutOfMemory)?;
        let at = self.alloc_raw(size, reserved)?;
        self.cur.set_u32(at, layout.0);
        self.cur.set_u32(at + 4, (kind as u32) << KIND_SHIFT);
        self.cur.set_u32(at + 8, len as u32);
        Ok(Ref(at as u32))
    }

    /// Bump-allocates `size` zeroed bytes (a multiple of 8).
    fn alloc_raw(&mut self, size: usize, reserved: bool) -> Result<usize, AllocError> {
        let limit = if reserved { self.cur.capacity() } else { self.cur.capacity() - self.reserve };
        let just_collected = core::mem::replace(&mut self.just_collected, false);
        if let Some(at) = self.cur.bump(size, limit) {
            self.count_allocated();
            return Ok(at);
        }
        if reserved || just_collected || size > limit - SPACE_START {
            Err(AllocError::OutOfMemory)
        } else {
            Err(AllocError::NeedsGc)
        }
    }

    /// The heap's own root stack, traced by every collection: push a `Ref`
    /// before an allocation that may collect, read it back (updated)
    /// after, truncate when done. Also the place for permanent objects such
    /// as a pre-allocated `OutOfMemoryError`.
    pub fn roots(&mut self) -> &mut Vec<Ref> {
        &mut self.roots
    }

    /// A weak slot for `referent`; `tag` is the owner's, reported back
    /// when the slot is cleared.
    pub fn weak_new(&mut self, referent: Ref, tag: u32) -> WeakRef {
        self.weak.insert(referent, tag)
    }

    /// The referent, or `None` once cleared (or if `weak` was freed).
    pub fn weak_get(&self, weak: WeakRef) -> Option<Ref> {
        self.weak.get(weak)
    }

    /// Frees a weak slot; `false` if it was already freed.
    pub fn weak_free(&mut self, weak: WeakRef) -> bool {
        self.weak.remove(weak)
    }

    /// Weak slots allocated (cleared or not): for leak checks.
    pub fn weak_count(&self) -> usize {
        self.weak.len()
    }

    /// Whether [`Heap::take_cleared_weaks`] has anything to report (one
    /// load: owners ask after every entry into Java).
    #[inline]
    pub fn has_cleared_weaks(&self) -> bool {
        !self.cleared.is_empty()
    }

    /// Weak slots cleared by collections since the last call, each
    /// reported once. Owners free them (handle tables do, in `reap`).
    pub fn take_cleared_weaks(&mut self) -> Vec<ClearedWeak> {
        core::mem::take(&mut self.cleared)
    }

    pub fn stats(&self) -> GcStats {
        let mut stats = self.stats;
        stats.bytes_allocated += (self.cur.top - self.counted_top) as u64;
        stats
    }

    /// Counts everything allocated up to the bump pointer: by the heap
    /// and, inline, by compiled code.
    fn count_allocated(&mut self) {
        self.stats.bytes_allocated += (self.cur.top - self.counted_top) as u64;
        self.counted_top = self.cur.top;
    }

    /// Usable bytes per semispace (what live data can reach), including
    /// the OOM reserve.
    pub fn capacity(&self) -> usize {
        self.cur.capacity() - SPACE_START
    }

    /// Bytes in use now (live and not yet collected).
    pub fn used_bytes(&self) -> usize {
        self.cur.top - SPACE_START
    }

    /// Bytes ordinary allocation can still use before a collection.
    pub fn free_bytes(&self) -> usize {
        (self.cur.capacity() - self.reserve).saturating_sub(self.cur.top)
    }
}
