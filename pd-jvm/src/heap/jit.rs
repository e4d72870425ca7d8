//! What compiled code needs of the heap (docs/jit.md): the current
//! semispace's base address, the bump pointer's address and the
//! allocation limit, so generated code can access objects and allocate
//! inline. The heap itself stays free of `unsafe`: it only hands out
//! addresses; the code generator promises to use them as the object
//! format (module docs of [`super`]) says.
//!
//! The base changes when a collection flips the spaces; the bump
//! pointer's address does not (it is a field of the heap), so compiled
//! code re-reads the base after anything that may collect and reads and
//! writes the bump pointer through its address.

use super::Heap;

/// Addresses and limits for compiled code, valid until the next
/// collection (the base) or until the heap moves (the pointer to the
/// bump pointer).
#[derive(Clone, Copy, Debug)]
pub struct RawHeap {
    /// Byte 0 of the current semispace: a reference `r` is at `base + r`.
    pub base: *mut u8,
    /// The bump pointer (a `usize` offset into the space): allocation
    /// reads it, adds the 8-aligned size and writes it back. The heap's
    /// statistics count what compiled code bumps as allocated.
    pub top: *mut usize,
    /// Ordinary allocation must end at or below this offset.
    pub limit: usize,
}

impl Heap {
    /// The raw view of the current space for compiled code.
    pub fn raw_view(&mut self) -> RawHeap {
        RawHeap {
            base: self.cur.bytes.as_mut_ptr(),
            top: &mut self.cur.top as *mut usize,
            limit: self.cur.capacity() - self.reserve,
        }
    }

    /// Compiled code allocated inline since the last collection: the next
    /// failure must collect before it reports `OutOfMemory`.
    pub fn note_inline_allocation(&mut self) {
        self.just_collected = false;
    }
}
