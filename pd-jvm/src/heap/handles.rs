//! Native object tables for Java wrappers.
//!
//! Java never holds a pointer to a native object (capability, IPC stream,
//! memory region): its wrapper holds a [`Handle`], an index plus a
//! generation. Every use is checked in O(1): an index never issued or a
//! generation never issued is `Forged`, an older generation (the slot was
//! reused since) is `Stale`, the current generation of an empty slot is
//! `Closed`. A slot's generation only grows, so a handle is never valid
//! twice; a slot whose generations are spent is retired, not reused.
//! Freed slots are reused first-in first-out, spreading reuse over the
//! table, and the table never grows past its capacity or its peak of live
//! entries, so long runs do not leak.
//!
//! A wrapper can be bound to its entry through a heap weak slot: when the
//! collector finds the wrapper dead, [`HandleTable::reap`] removes the
//! entry and hands the native object back to be released.

use core::fmt;

use alloc::vec::Vec;

use super::object::Ref;
use super::weak::{ClearedWeak, WeakRef};
use super::Heap;

/// What a Java wrapper stores (as two `int` fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Handle {
    pub index: u32,
    pub generation: u32,
}

/// A handle that does not name a live entry, or a full table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandleError {
    /// The entry was closed and its slot reused since.
    Stale,
    /// Never issued by this table.
    Forged,
    /// The entry was closed (or its wrapper collected).
    Closed,
    /// All `capacity` slots are in use.
    Full { capacity: u32 },
}

impl fmt::Display for HandleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandleError::Stale => f.write_str("stale handle"),
            HandleError::Forged => f.write_str("forged handle"),
            HandleError::Closed => f.write_str("handle is closed"),
            HandleError::Full { capacity } => write!(f, "handle table full ({capacity} entries)"),
        }
    }
}

impl core::error::Error for HandleError {}

const NONE: u32 = u32::MAX;

enum Entry<T> {
    Occupied {
        value: T,
        wrapper: Option<WeakRef>,
    },
    /// Free; `next` links the FIFO free list.
    Vacant {
        next: u32,
    },
    /// Generations exhausted: never reused.
    Retired,
}

struct Slot<T> {
    /// Generation of the current or last occupant (first is 1, so an
    /// all-zero handle from an uninitialised wrapper is `Forged`).
    generation: u32,
    entry: Entry<T>,
}

/// A table of native objects of type `T`.
pub struct HandleTable<T> {
    slots: Vec<Slot<T>>,
    free_head: u32,
    free_tail: u32,
    live: u32,
    capacity: u32,
}

impl<T> HandleTable<T> {
    /// A table of at most `capacity` entries (at most `u32::MAX - 1`).
    pub fn new(capacity: u32) -> Self {
        HandleTable { slots: Vec::new(), free_head: NONE, free_tail: NONE, live: 0, capacity: capacity.min(NONE - 1) }
    }

    /// Stores `value`; `Full` if `capacity` entries are live.
    pub fn insert(&mut self, value: T) -> Result<Handle, HandleError> {
        let entry = Entry::Occupied { value, wrapper: None };
        let index = if self.free_head != NONE {
            let index = self.free_head;
            let slot = &mut self.slots[index as usize];
            let Entry::Vacant { next } = slot.entry else {
                unreachable!("free list links a vacant slot");
            };
            self.free_head = next;
            if next == NONE {
                self.free_tail = NONE;
            }
            slot.generation += 1;
            slot.entry = entry;
            index
        } else if (self.slots.len() as u64) < self.capacity as u64 {
            self.slots.push(Slot { generation: 1, entry });
            (self.slots.len() - 1) as u32
        } else {
            return Err(HandleError::Full { capacity: self.capacity });
        };
        self.live += 1;
        Ok(Handle { index, generation: self.slots[index as usize].generation })
    }

    fn check(&self, h: Handle) -> Result<usize, HandleError> {
        let slot = self.slots.get(h.index as usize).ok_or(HandleError::Forged)?;
        if h.generation == 0 || h.generation > slot.generation {
            return Err(HandleError::Forged);
        }
        if h.generation < slot.generation {
            return Err(HandleError::Stale);
        }
        match slot.entry {
            Entry::Occupied { .. } => Ok(h.index as usize),
            _ => Err(HandleError::Closed),
        }
    }

    pub fn get(&self, h: Handle) -> Result<&T, HandleError> {
        let i = self.check(h)?;
        match &self.slots[i].entry {
            Entry::Occupied { value, .. } => Ok(value),
            _ => Err(HandleError::Closed),
        }
    }

    /// The entry `h` names if it is live and bound to `wrapper` itself
    /// ([`HandleTable::bind_wrapper`]): the one-pass lookup natives use on
    /// every call through a wrapper. A handle copied into another object,
    /// or an entry without a wrapper, is `Forged`.
    pub fn get_bound_mut(&mut self, heap: &Heap, h: Handle, wrapper: Ref) -> Result<&mut T, HandleError> {
        let i = self.check(h)?;
        match &mut self.slots[i].entry {
            Entry::Occupied { value, wrapper: Some(w) } if heap.weak_get(*w) == Some(wrapper) => Ok(value),
            _ => Err(HandleError::Forged),
        }
    }

    /// [`HandleTable::get_bound_mut`], shared.
    pub fn get_bound(&self, heap: &Heap, h: Handle, wrapper: Ref) -> Result<&T, HandleError> {
        let i = self.check(h)?;
        match &self.slots[i].entry {
            Entry::Occupied { value, wrapper: Some(w) } if heap.weak_get(*w) == Some(wrapper) => Ok(value),
            _ => Err(HandleError::Forged),
        }
    }

    pub fn get_mut(&mut self, h: Handle) -> Result<&mut T, HandleError> {
        let i = self.check(h)?;
        match &mut self.slots[i].entry {
            Entry::Occupied { value, .. } => Ok(value),
            _ => Err(HandleError::Closed),
        }
    }

    /// Removes the entry and returns the native object for release; the
    /// wrapper's weak slot, if any, is freed.
    pub fn close(&mut self, heap: &mut Heap, h: Handle) -> Result<T, HandleError> {
        let i = self.check(h)?;
        let (value, wrapper) = self.vacate(i);
        if let Some(w) = wrapper {
            heap.weak_free(w);
        }
        Ok(value)
    }

    /// Associates the Java wrapper object with the entry (weakly): when a
    /// collection finds `wrapper` dead, [`HandleTable::reap`] releases the
    /// entry. Rebinding replaces the previous wrapper.
    pub fn bind_wrapper(&mut self, heap: &mut Heap, h: Handle, wrapper: Ref) -> Result<(), HandleError> {
        let i = self.check(h)?;
        let weak = heap.weak_new(wrapper, i as u32);
        if let Entry::Occupied { wrapper: slot, .. } = &mut self.slots[i].entry {
            if let Some(old) = slot.replace(weak) {
                heap.weak_free(old);
            }
        }
        Ok(())
    }

    /// The bound wrapper, if any and still alive (to hand Java the same
    /// object again).
    pub fn wrapper(&self, heap: &Heap, h: Handle) -> Result<Option<Ref>, HandleError> {
        let i = self.check(h)?;
        match &self.slots[i].entry {
            Entry::Occupied { wrapper, .. } => Ok(wrapper.and_then(|w| heap.weak_get(w))),
            _ => Err(HandleError::Closed),
        }
    }

    /// Releases entries whose wrappers the collector found dead: for each
    /// of `cleared` (from [`Heap::take_cleared_weaks`]) that belongs to
    /// this table, the entry is removed, its weak slot freed, and
    /// `release` gets the native object. Cleared slots of other owners are
    /// ignored, so one list can be offered to every table.
    pub fn reap(&mut self, heap: &mut Heap, cleared: &[ClearedWeak], mut release: impl FnMut(Handle, T)) {
        for c in cleared {
            let i = c.tag as usize;
            let ours = matches!(self.slots.get(i), Some(Slot { entry: Entry::Occupied { wrapper: Some(w), .. }, .. }) if *w == c.weak);
            if !ours {
                continue;
            }
            let generation = self.slots[i].generation;
            let (value, _) = self.vacate(i);
            heap.weak_free(c.weak);
            release(Handle { index: i as u32, generation }, value);
        }
    }

    /// Empties occupied slot `i` and queues it for reuse (or retires it).
    fn vacate(&mut self, i: usize) -> (T, Option<WeakRef>) {
        let slot = &mut self.slots[i];
        let spent = slot.generation == u32::MAX;
        let old =
            core::mem::replace(&mut slot.entry, if spent { Entry::Retired } else { Entry::Vacant { next: NONE } });
        let Entry::Occupied { value, wrapper } = old else {
            unreachable!("vacate is called on checked, occupied slots");
        };
        self.live -= 1;
        if !spent {
            if self.free_tail == NONE {
                self.free_head = i as u32;
            } else if let Entry::Vacant { next } = &mut self.slots[self.free_tail as usize].entry {
                *next = i as u32;
            }
            self.free_tail = i as u32;
        }
        (value, wrapper)
    }

    /// Live entries.
    pub fn len(&self) -> usize {
        self.live as usize
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Slots ever created (live, free and retired): the table's memory.
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    pub fn capacity(&self) -> u32 {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_with_spent_generations_is_retired_not_reused() {
        let mut heap = Heap::new(4096).unwrap();
        let mut t = HandleTable::new(4);
        let a = t.insert(1).unwrap();
        t.slots[a.index as usize].generation = u32::MAX - 1;
        let a = Handle { index: a.index, generation: u32::MAX - 1 };
        assert_eq!(t.close(&mut heap, a), Ok(1));
        let b = t.insert(2).unwrap();
        assert_eq!(b, Handle { index: a.index, generation: u32::MAX });
        assert_eq!(t.close(&mut heap, b), Ok(2));
        // Generation u32::MAX was the last: the slot is never handed out again.
        let c = t.insert(3).unwrap();
        assert_ne!(c.index, a.index);
        assert_eq!(t.get(b), Err(HandleError::Closed));
        assert_eq!(t.get(a), Err(HandleError::Stale));
        assert_eq!(t.slot_count(), 2);
    }

    #[test]
    fn free_slots_are_reused_in_fifo_order() {
        let mut heap = Heap::new(4096).unwrap();
        let mut t = HandleTable::new(8);
        let hs: alloc::vec::Vec<Handle> = (0..4).map(|i| t.insert(i).unwrap()).collect();
        for &i in &[2, 0, 3] {
            t.close(&mut heap, hs[i]).unwrap();
        }
        let order: alloc::vec::Vec<u32> = (0..3).map(|i| t.insert(10 + i).unwrap().index).collect();
        assert_eq!(order, [2, 0, 3]);
        assert_eq!(t.insert(99).unwrap().index, 4);
    }
}
