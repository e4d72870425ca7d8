//! The collector: Cheney's copying algorithm, stop-the-world and precise.
//!
//! The VM names every root slot through a [`RootVisitor`]; each reachable
//! object is copied once into the empty semispace (the copy's offset is
//! left in the old header as a forwarding address), the copies are then
//! scanned breadth-first using the layouts' reference maps, weak slots are
//! updated or cleared, and the spaces swap. Work is proportional to live
//! data, not to garbage, and needs no mark stack: the unscanned copies are
//! the queue. The copy always fits because to-space is as large as
//! from-space and nothing is copied twice.

use super::layout::{array_size, ElementKind, LayoutInfo};
use super::object::{object_size, Ref, ARRAY_HEADER, FORWARDED};
use super::space::{Space, SPACE_START};
use super::Heap;

/// Enumerates root slots for [`Heap::collect`]: interpreter frames,
/// statics, strong handle-table entries, anything natives hold across an
/// allocation. Closures `|t: &mut Tracer| ...` implement it.
pub trait RootVisitor {
    /// Call [`Tracer::visit`] (or its variants) once per slot holding a
    /// reference; slots are rewritten to the new locations.
    fn visit_roots(&mut self, tracer: &mut Tracer<'_>);
}

impl<F: FnMut(&mut Tracer<'_>)> RootVisitor for F {
    fn visit_roots(&mut self, tracer: &mut Tracer<'_>) {
        self(tracer)
    }
}

/// The collector's view of one collection, handed to root visitors.
pub struct Tracer<'a> {
    from: &'a mut Space,
    to: &'a mut Space,
    layouts: &'a [LayoutInfo],
}

impl Tracer<'_> {
    /// Marks the object in `slot` live and updates the slot.
    #[inline]
    pub fn visit(&mut self, slot: &mut Ref) {
        *slot = self.forward(*slot);
    }

    /// [`Tracer::visit`] for slots that store references as raw words
    /// (untyped interpreter slots); the word must be a reference.
    #[inline]
    pub fn visit_raw(&mut self, slot: &mut u32) {
        *slot = self.forward(Ref(*slot)).0;
    }

    pub fn visit_all(&mut self, slots: &mut [Ref]) {
        for slot in slots {
            self.visit(slot);
        }
    }

    /// Copies `r` to to-space unless already copied; returns where it is.
    /// A reference that is not a valid object (only a VM bug makes one)
    /// becomes null rather than corrupting the copy or panicking.
    fn forward(&mut self, r: Ref) -> Ref {
        if r.is_null() {
            return r;
        }
        if let Some(new) = self.forwarded(r) {
            return new;
        }
        let at = r.0 as usize;
        if !self.in_from_space(at) {
            debug_assert!(false, "root or field {r:?} is not an object");
            return Ref::NULL;
        }
        let w1 = self.from.u32_at(at + 4);
        let new = self.to.top;
        let size = match object_size(&self.from.bytes[..self.from.top], at, self.layouts) {
            Some(size) if new + size <= self.to.capacity() => size,
            _ => {
                debug_assert!(false, "{r:?} has a corrupt header");
                return Ref::NULL;
            }
        };
        self.to.bytes[new..new + size].copy_from_slice(&self.from.bytes[at..at + size]);
        self.to.top += size;
        self.from.set_u32(at, new as u32);
        self.from.set_u32(at + 4, w1 | FORWARDED);
        Ref(new as u32)
    }

    fn in_from_space(&self, at: usize) -> bool {
        at % 8 == 0 && at >= SPACE_START && at.saturating_add(8) <= self.from.top
    }

    /// Where `r` was copied, or `None` if it was not (it is dead once the
    /// scan is complete).
    pub(crate) fn forwarded(&self, r: Ref) -> Option<Ref> {
        let at = r.0 as usize;
        if !self.in_from_space(at) || self.from.u32_at(at + 4) & FORWARDED == 0 {
            return None;
        }
        Some(Ref(self.from.u32_at(at)))
    }

    #[inline]
    fn visit_field(&mut self, at: usize) {
        let old = Ref(self.to.u32_at(at));
        let new = self.forward(old);
        if new != old {
            self.to.set_u32(at, new.0);
        }
    }

    /// Cheney scan: the copies between `scan` and `to.top` are grey.
    fn scan(&mut self) {
        let layouts = self.layouts;
        let mut scan = SPACE_START;
        while scan < self.to.top {
            let at = scan;
            // Copies were validated by `forward`, so the layout exists.
            match &layouts[self.to.u32_at(at) as usize] {
                LayoutInfo::Instance { size, refs, .. } => {
                    for &off in refs.iter() {
                        self.visit_field(at + off as usize);
                    }
                    scan += *size as usize;
                }
                LayoutInfo::Array(kind) => {
                    let len = self.to.u32_at(at + 8) as usize;
                    if *kind == ElementKind::Reference {
                        for i in 0..len {
                            self.visit_field(at + ARRAY_HEADER + 4 * i);
                        }
                    }
                    match array_size(*kind, len as u64) {
                        Some(size) => scan += size,
                        None => break,
                    }
                }
            }
        }
    }
}

impl Heap {
    /// Collects garbage: copies everything reachable from `roots` and the
    /// heap's own [`roots`](Heap::roots), rewrites the roots, clears weak
    /// slots whose referents died (see [`Heap::take_cleared_weaks`]), and
    /// records statistics. All `Ref`s not visited as roots are invalid
    /// afterwards.
    pub fn collect(&mut self, roots: &mut dyn RootVisitor) {
        let start = self.clock.map_or(0, |c| c());
        self.count_allocated();
        self.other.top = SPACE_START;
        let mut tracer = Tracer { from: &mut self.cur, to: &mut self.other, layouts: &self.layouts };
        tracer.visit_all(&mut self.roots);
        roots.visit_roots(&mut tracer);
        tracer.scan();
        self.weak.process(&tracer, &mut self.cleared);
        core::mem::swap(&mut self.cur, &mut self.other);
        // The survivors' copies were counted when first allocated.
        self.counted_top = self.cur.top;
        self.just_collected = true;
        let live = (self.cur.top - SPACE_START) as u64;
        let end = self.clock.map_or(0, |c| c());
        self.stats.record(live, end.saturating_sub(start));
    }
}
