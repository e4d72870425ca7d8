//! A semispace: a byte arena with a bump pointer.
//!
//! Plain `Vec<u8>` with little-endian loads and stores rather than typed
//! pointers: no alignment assumptions about the allocator (the word
//! accessors in `object.rs` check the address where that pays), and the
//! same byte order on every target (byte views of `char[]` are UTF-16LE
//! everywhere).

use alloc::collections::TryReserveError;
use alloc::vec::Vec;

/// The first 8 bytes of every space are never an object, so offset 0 can
/// be the null reference without adding 1 on every access.
pub(crate) const SPACE_START: usize = 8;

pub(crate) struct Space {
    pub(crate) bytes: Vec<u8>,
    /// Next free byte; objects live in `SPACE_START..top`.
    pub(crate) top: usize,
}

impl Space {
    /// Allocates fallibly: a PD's allocator running dry is reported to the
    /// embedder, not an abort.
    pub(crate) fn new(size: usize) -> Result<Self, TryReserveError> {
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(size)?;
        bytes.resize(size, 0);
        Ok(Space { bytes, top: SPACE_START })
    }

    pub(crate) fn capacity(&self) -> usize {
        self.bytes.len()
    }

    #[inline]
    pub(crate) fn u32_at(&self, at: usize) -> u32 {
        super::object::load_u32(&self.bytes[at..at + 4])
    }

    #[inline]
    pub(crate) fn set_u32(&mut self, at: usize, v: u32) {
        super::object::store_u32(&mut self.bytes[at..at + 4], v);
    }

    /// Bump-allocates `size` zeroed bytes ending at or below `limit`.
    /// Zeroing here, not after a flip, touches memory right before use and
    /// costs only what is allocated.
    #[inline]
    pub(crate) fn bump(&mut self, size: usize, limit: usize) -> Option<usize> {
        if size > limit.saturating_sub(self.top) {
            return None;
        }
        let at = self.top;
        self.top += size;
        self.bytes[at..at + size].fill(0);
        Some(at)
    }
}
