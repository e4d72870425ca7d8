//! Weak slots: references the collector does not follow. After a
//! collection a slot whose referent survived points at its new place; one
//! whose referent died is set to null and reported once (with the owner's
//! tag) so the owner can release what it attached, e.g. the native object
//! behind a dead Java wrapper ([`HandleTable::reap`](super::HandleTable::reap)).
//! A slot stays allocated, cleared, until its owner frees it, so a
//! [`WeakRef`] is never silently repurposed; generations catch stale ones.

use alloc::vec::Vec;

use super::gc::Tracer;
use super::object::Ref;

/// Names a weak slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WeakRef {
    index: u32,
    generation: u32,
}

/// A weak slot the last collections cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClearedWeak {
    pub weak: WeakRef,
    /// The value given to [`Heap::weak_new`](super::Heap::weak_new).
    pub tag: u32,
}

enum Entry {
    Free,
    Used { referent: Ref, tag: u32 },
}

struct Slot {
    generation: u32,
    entry: Entry,
}

#[derive(Default)]
pub(crate) struct WeakTable {
    slots: Vec<Slot>,
    free: Vec<u32>,
    used: usize,
}

impl WeakTable {
    pub(crate) fn insert(&mut self, referent: Ref, tag: u32) -> WeakRef {
        self.used += 1;
        let entry = Entry::Used { referent, tag };
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.generation += 1;
            slot.entry = entry;
            return WeakRef { index, generation: slot.generation };
        }
        let index = self.slots.len() as u32;
        self.slots.push(Slot { generation: 0, entry });
        WeakRef { index, generation: 0 }
    }

    fn slot(&self, w: WeakRef) -> Option<(Ref, u32)> {
        let slot = self.slots.get(w.index as usize)?;
        match slot.entry {
            Entry::Used { referent, tag } if slot.generation == w.generation => Some((referent, tag)),
            _ => None,
        }
    }

    pub(crate) fn get(&self, w: WeakRef) -> Option<Ref> {
        self.slot(w).map(|(r, _)| r).filter(|r| !r.is_null())
    }

    pub(crate) fn remove(&mut self, w: WeakRef) -> bool {
        if self.slot(w).is_none() {
            return false;
        }
        self.used -= 1;
        let slot = &mut self.slots[w.index as usize];
        slot.entry = Entry::Free;
        // A slot whose generation is spent is retired, never reused.
        if slot.generation != u32::MAX {
            self.free.push(w.index);
        }
        true
    }

    pub(crate) fn len(&self) -> usize {
        self.used
    }

    /// After the copy phase: follow survivors, clear and report the dead.
    pub(crate) fn process(&mut self, tracer: &Tracer<'_>, cleared: &mut Vec<ClearedWeak>) {
        for (index, slot) in self.slots.iter_mut().enumerate() {
            if let Entry::Used { referent, tag } = &mut slot.entry {
                if referent.is_null() {
                    continue;
                }
                match tracer.forwarded(*referent) {
                    Some(new) => *referent = new,
                    None => {
                        *referent = Ref::NULL;
                        let weak = WeakRef { index: index as u32, generation: slot.generation };
                        cleared.push(ClearedWeak { weak, tag: *tag });
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_weak_refs_never_name_a_reused_slot() {
        let mut t = WeakTable::default();
        let a = t.insert(Ref(8), 1);
        assert!(t.remove(a));
        let b = t.insert(Ref(16), 2);
        assert_eq!(b.index, a.index);
        assert_eq!(t.get(a), None);
        assert!(!t.remove(a));
        assert_eq!(t.get(b), Some(Ref(16)));
        t.slots[b.index as usize].generation = u32::MAX;
        let b = WeakRef { index: b.index, generation: u32::MAX };
        assert!(t.remove(b));
        // Spent generations retire the slot.
        assert_ne!(t.insert(Ref(8), 3).index, b.index);
        assert_eq!(t.len(), 1);
    }
}
