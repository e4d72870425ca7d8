//! Packets and the buffer pool of a VIF domain.
//!
//! Every buffer of the domain's data region is in exactly one state
//! ([`BufState`]): free here, posted to the parent (in our receive free
//! ring or being filled), held by the packet processor, or on the transmit
//! path. Every move is checked against the state it must come from, so a
//! descriptor a peer sends twice, or for a buffer we did not give it, is
//! refused instead of duplicating a buffer.
//!
//! A [`Packet`] is the processor's handle to one held buffer. It is not
//! `Clone`: a packet is referenced from one place only (000's rule; the
//! Java VIFlet API enforces it at run time). A packet the processor drops
//! returns its buffer to the pool (the drop is recorded and reaped by the
//! domain after each call); one it forgets (`mem::forget`, or kept in a
//! structure it does not count in [`backlog`](crate::processor::PacketProcessor::backlog))
//! is reclaimed when the processor reports an empty backlog while the pool
//! still counts buffers as held.

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::mem::ManuallyDrop;

use net_queue::BUFFER_SIZE;

/// Where a buffer of the domain's pool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum BufState {
    Free = 0,
    /// Given to the parent to fill (receive free ring).
    Posted = 1,
    /// Held by the packet processor (a live [`Packet`]).
    Processor = 2,
    /// On the transmit path (transmit active ring, virtualiser, driver).
    Tx = 3,
}

/// The per-buffer states and a free list.
pub struct Pool {
    state: Vec<BufState>,
    free: Vec<u32>,
    counts: [u32; 4],
}

impl Pool {
    /// All `n` buffers free.
    pub fn new(n: u32) -> Self {
        Self { state: alloc::vec![BufState::Free; n as usize], free: (0..n).rev().collect(), counts: [n, 0, 0, 0] }
    }

    pub fn total(&self) -> u32 {
        self.state.len() as u32
    }

    pub fn count(&self, s: BufState) -> u32 {
        self.counts[s as usize]
    }

    pub fn state(&self, i: u32) -> Option<BufState> {
        self.state.get(i as usize).copied()
    }

    /// Moves buffer `i` from state `from` to `to`; `false` (and nothing
    /// changes) if it is not in `from`.
    pub fn to(&mut self, i: u32, from: BufState, to: BufState) -> bool {
        match self.state.get_mut(i as usize) {
            Some(s) if *s == from => {
                *s = to;
                self.counts[from as usize] -= 1;
                self.counts[to as usize] += 1;
                if to == BufState::Free {
                    self.free.push(i);
                }
                true
            }
            _ => false,
        }
    }

    /// Takes a free buffer, moving it to `to`.
    pub fn take_free(&mut self, to: BufState) -> Option<u32> {
        while let Some(i) = self.free.pop() {
            // Entries can be stale if a buffer left Free by `to`.
            if self.state[i as usize] == BufState::Free {
                self.state[i as usize] = to;
                self.counts[BufState::Free as usize] -= 1;
                self.counts[to as usize] += 1;
                return Some(i);
            }
        }
        None
    }

    /// Buffers in state `s`.
    pub fn in_state(&self, s: BufState) -> impl Iterator<Item = u32> + '_ {
        self.state.iter().enumerate().filter(move |(_, &x)| x == s).map(|(i, _)| i as u32)
    }

    /// The invariant: the counts add up and match the states.
    pub fn check(&self) -> bool {
        let mut c = [0u32; 4];
        for s in &self.state {
            c[*s as usize] += 1;
        }
        c == self.counts && c.iter().sum::<u32>() == self.total()
    }
}

/// Buffers whose packets the processor dropped, waiting to be reaped.
#[derive(Default)]
pub struct Returns {
    dropped: RefCell<Vec<u32>>,
}

impl Returns {
    pub fn take(&self) -> Vec<u32> {
        core::mem::take(&mut *self.dropped.borrow_mut())
    }
}

/// A packet held by a processor: one buffer of the domain's pool.
pub struct Packet {
    index: u32,
    len: u16,
    buf: *mut u8,
    home: Rc<Returns>,
}

impl Packet {
    /// # Safety
    /// `buf` must be buffer `index` of the pool `home` belongs to, held in
    /// state [`BufState::Processor`] for this packet alone.
    pub unsafe fn new(index: u32, len: u16, buf: *mut u8, home: Rc<Returns>) -> Self {
        Self { index, len: len.min(BUFFER_SIZE as u16), buf, home }
    }

    pub fn index(&self) -> u32 {
        self.index
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn data(&self) -> &[u8] {
        // SAFETY: the buffer is ours alone while the packet lives (module doc).
        unsafe { core::slice::from_raw_parts(self.buf, self.len as usize) }
    }

    pub fn data_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `data`.
        unsafe { core::slice::from_raw_parts_mut(self.buf, self.len as usize) }
    }

    /// Shortens or lengthens the packet within its 2048-byte buffer.
    pub fn set_len(&mut self, len: usize) -> bool {
        if len > BUFFER_SIZE {
            return false;
        }
        self.len = len as u16;
        true
    }

    pub fn u8_at(&self, off: usize) -> Option<u8> {
        self.data().get(off).copied()
    }

    /// A 16-bit field in network byte order.
    pub fn u16_at(&self, off: usize) -> Option<u16> {
        Some(u16::from_be_bytes(self.data().get(off..off + 2)?.try_into().ok()?))
    }

    /// A 32-bit field in network byte order.
    pub fn u32_at(&self, off: usize) -> Option<u32> {
        Some(u32::from_be_bytes(self.data().get(off..off + 4)?.try_into().ok()?))
    }

    pub fn set_u16_at(&mut self, off: usize, v: u16) -> bool {
        match self.data_mut().get_mut(off..off + 2) {
            Some(b) => {
                b.copy_from_slice(&v.to_be_bytes());
                true
            }
            None => false,
        }
    }

    /// Gives the buffer back to the domain without the drop bookkeeping:
    /// (index, length).
    pub(crate) fn into_raw(self) -> (u32, u16) {
        let me = ManuallyDrop::new(self);
        // SAFETY: `me` is never used again; its Rc is dropped exactly once.
        drop(unsafe { core::ptr::read(&me.home) });
        (me.index, me.len)
    }
}

impl Drop for Packet {
    fn drop(&mut self) {
        self.home.dropped.borrow_mut().push(self.index);
    }
}

impl core::fmt::Debug for Packet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Packet(#{}, {} bytes)", self.index, self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_move_only_from_where_they_are() {
        let mut p = Pool::new(4);
        let a = p.take_free(BufState::Posted).unwrap();
        assert!(!p.to(a, BufState::Tx, BufState::Free), "not on the transmit path");
        assert!(p.to(a, BufState::Posted, BufState::Processor));
        assert!(!p.to(a, BufState::Posted, BufState::Processor), "twice is refused");
        assert_eq!((p.count(BufState::Free), p.count(BufState::Processor)), (3, 1));
        assert!(p.to(a, BufState::Processor, BufState::Free));
        assert!(!p.to(99, BufState::Free, BufState::Tx));
        assert!(p.check());
        let all: Vec<u32> = core::iter::from_fn(|| p.take_free(BufState::Tx)).collect();
        assert_eq!(all.len(), 4);
        assert!(p.take_free(BufState::Tx).is_none());
        assert!(p.check());
    }

    #[test]
    fn dropped_packets_are_recorded_and_raw_ones_are_not() {
        let home = Rc::new(Returns::default());
        let mut mem = [0u8; 64];
        mem[12] = 0x08;
        let p = unsafe { Packet::new(3, 20, mem.as_mut_ptr(), home.clone()) };
        assert_eq!(p.u16_at(12), Some(0x0800));
        assert_eq!(p.u32_at(18), None, "past the length");
        drop(p);
        let q = unsafe { Packet::new(5, 20, mem.as_mut_ptr(), home.clone()) };
        assert_eq!(q.into_raw(), (5, 20));
        assert_eq!(home.take(), [3]);
        assert_eq!(Rc::strong_count(&home), 1);
    }
}
