//! Native handle tables: stale, forged and closed handles are rejected,
//! generations never repeat, dead wrappers release their native objects,
//! and long runs stay bounded.

use std::collections::HashSet;

use pd_jvm::heap::{AllocError, Handle, HandleError, HandleTable, Heap, Layout, LayoutId, Ref, Tracer};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A stand-in native object that records its release.
#[derive(Debug, PartialEq)]
struct Native(u64);

fn heap() -> Heap {
    Heap::new(1 << 20).unwrap()
}

#[test]
fn stale_forged_and_closed_handles_are_rejected() {
    let mut h = heap();
    let mut t: HandleTable<Native> = HandleTable::new(16);
    let a = t.insert(Native(1)).unwrap();
    let b = t.insert(Native(2)).unwrap();
    assert_eq!(t.get(a), Ok(&Native(1)));
    t.get_mut(b).unwrap().0 = 20;
    assert_eq!(t.get(b), Ok(&Native(20)));
    assert_eq!(t.len(), 2);

    // Never issued: index out of range, generation 0, generation ahead.
    for forged in [
        Handle { index: 2, generation: 1 },
        Handle { index: u32::MAX, generation: 1 },
        Handle { index: a.index, generation: 0 },
        Handle { index: a.index, generation: a.generation + 1 },
        Handle { index: a.index, generation: u32::MAX },
    ] {
        assert_eq!(t.get(forged), Err(HandleError::Forged), "{forged:?}");
        assert_eq!(t.close(&mut h, forged), Err(HandleError::Forged));
    }
    // An uninitialised wrapper's all-zero handle.
    assert_eq!(t.get(Handle { index: 0, generation: 0 }), Err(HandleError::Forged));

    // Closed, then reused: Closed becomes Stale.
    assert_eq!(t.close(&mut h, a), Ok(Native(1)));
    assert_eq!(t.get(a), Err(HandleError::Closed));
    assert_eq!(t.close(&mut h, a), Err(HandleError::Closed));
    assert_eq!(t.len(), 1);
    let c = t.insert(Native(3)).unwrap();
    assert_eq!(c.index, a.index, "the freed slot is reused");
    assert!(c.generation > a.generation);
    assert_eq!(t.get(a), Err(HandleError::Stale));
    assert_eq!(t.get_mut(a).err(), Some(HandleError::Stale));
    assert_eq!(t.close(&mut h, a), Err(HandleError::Stale));
    assert_eq!(t.get(c), Ok(&Native(3)));
    assert_eq!(t.get(b), Ok(&Native(20)));
}

#[test]
fn capacity_is_enforced_with_a_clear_error() {
    let mut h = heap();
    let mut t = HandleTable::new(3);
    let hs: Vec<Handle> = (0..3).map(|i| t.insert(Native(i)).unwrap()).collect();
    assert_eq!(t.insert(Native(9)), Err(HandleError::Full { capacity: 3 }));
    assert_eq!(HandleError::Full { capacity: 3 }.to_string(), "handle table full (3 entries)");
    t.close(&mut h, hs[1]).unwrap();
    let again = t.insert(Native(9)).unwrap();
    assert_eq!(again.index, hs[1].index);
    assert_eq!(t.insert(Native(10)), Err(HandleError::Full { capacity: 3 }));
    assert_eq!(t.slot_count(), 3);
    let mut empty: HandleTable<Native> = HandleTable::new(0);
    assert_eq!(empty.insert(Native(0)), Err(HandleError::Full { capacity: 0 }));
}

#[test]
fn generations_never_repeat_and_old_handles_stay_dead() {
    let mut h = heap();
    let mut rng = Rng(5);
    let mut t = HandleTable::new(64);
    let mut issued: HashSet<Handle> = HashSet::new();
    let mut open: Vec<(Handle, u64)> = Vec::new();
    let mut closed: Vec<Handle> = Vec::new();
    for n in 0..100_000u64 {
        if open.is_empty() || (open.len() < 64 && rng.below(2) == 0) {
            let handle = t.insert(Native(n)).unwrap();
            assert!(issued.insert(handle), "handle {handle:?} issued twice");
            open.push((handle, n));
        } else {
            let (handle, v) = open.swap_remove(rng.below(open.len()));
            assert_eq!(t.close(&mut h, handle), Ok(Native(v)));
            closed.push(handle);
        }
        if n % 1000 == 0 {
            for &(handle, v) in &open {
                assert_eq!(t.get(handle), Ok(&Native(v)));
            }
            for &handle in &closed {
                let e = t.get(handle).unwrap_err();
                assert!(e == HandleError::Stale || e == HandleError::Closed, "{e:?}");
            }
        }
    }
    assert!(t.slot_count() <= 64);
}

#[test]
fn a_million_insert_close_cycles_stay_bounded() {
    let mut h = heap();
    let mut t = HandleTable::new(1 << 20);
    let keep: Vec<Handle> = (0..10).map(|i| t.insert(Native(i)).unwrap()).collect();
    let mut last = None;
    for n in 0..1_000_000u64 {
        let a = t.insert(Native(n)).unwrap();
        let b = t.insert(Native(n + 1)).unwrap();
        assert_eq!(t.close(&mut h, a), Ok(Native(n)));
        assert_eq!(t.close(&mut h, b), Ok(Native(n + 1)));
        last = Some(a);
    }
    assert_eq!(t.len(), 10);
    assert!(t.slot_count() <= 12, "{}", t.slot_count());
    assert_eq!(t.get(last.unwrap()), Err(HandleError::Closed));
    for (i, &k) in keep.iter().enumerate() {
        assert_eq!(t.get(k), Ok(&Native(i as u64)));
    }
}

/// A Java wrapper class: `int index; int generation;`.
fn wrapper_layout(h: &mut Heap) -> LayoutId {
    h.register_layout(&Layout::instance(8, &[])).unwrap()
}

fn new_wrapper(h: &mut Heap, t: &mut HandleTable<Native>, layout: LayoutId, value: u64) -> (Ref, Handle) {
    let w = h.alloc_instance(layout).unwrap();
    let handle = t.insert(Native(value)).unwrap();
    h.set_field(w, 0, handle.index as i32).unwrap();
    h.set_field(w, 4, handle.generation as i32).unwrap();
    t.bind_wrapper(h, handle, w).unwrap();
    (w, handle)
}

fn handle_of(h: &Heap, w: Ref) -> Handle {
    Handle { index: h.get_field::<i32>(w, 0).unwrap() as u32, generation: h.get_field::<i32>(w, 4).unwrap() as u32 }
}

#[test]
fn collected_wrappers_release_their_native_objects() {
    let mut h = heap();
    let layout = wrapper_layout(&mut h);
    let mut t = HandleTable::new(1000);
    let mut rooted: Vec<Ref> = Vec::new();
    let mut rooted_vals = Vec::new();
    let mut dropped_vals = HashSet::new();
    let mut closed_handles = Vec::new();
    for v in 0..300u64 {
        let (w, handle) = new_wrapper(&mut h, &mut t, layout, v);
        match v % 3 {
            0 => {
                rooted.push(w);
                rooted_vals.push(v);
            }
            1 => {
                dropped_vals.insert(v);
            }
            _ => {
                // Closed by Java before its wrapper dies: released once, by close.
                assert_eq!(t.close(&mut h, handle), Ok(Native(v)));
                closed_handles.push(handle);
            }
        }
    }
    assert_eq!(h.weak_count(), 200);
    h.collect(&mut |tr: &mut Tracer<'_>| tr.visit_all(&mut rooted));
    let cleared = h.take_cleared_weaks();
    let mut released = HashSet::new();
    let mut released_handles = Vec::new();
    t.reap(&mut h, &cleared, |handle, native| {
        released_handles.push(handle);
        assert!(released.insert(native.0));
    });
    assert_eq!(released, dropped_vals);
    for handle in released_handles {
        assert_eq!(t.get(handle), Err(HandleError::Closed));
    }
    assert_eq!(t.len(), 100);
    assert_eq!(h.weak_count(), 100);
    // Survivors: the wrapper's handle still works and maps back to it.
    for (&w, &v) in rooted.iter().zip(&rooted_vals) {
        let handle = handle_of(&h, w);
        assert_eq!(t.get(handle), Ok(&Native(v)));
        assert_eq!(t.wrapper(&h, handle), Ok(Some(w)));
    }
    for &handle in &closed_handles {
        // Closed, and possibly reused by a later insert.
        let e = t.wrapper(&h, handle).unwrap_err();
        assert!(e == HandleError::Closed || e == HandleError::Stale, "{e:?}");
    }
    // Reaping the same list again releases nothing.
    t.reap(&mut h, &cleared, |_, n| panic!("released twice: {n:?}"));
    // Now drop the rest.
    rooted.clear();
    h.collect(&mut |tr: &mut Tracer<'_>| tr.visit_all(&mut rooted));
    let cleared = h.take_cleared_weaks();
    let mut n = 0;
    t.reap(&mut h, &cleared, |_, _| n += 1);
    assert_eq!(n, 100);
    assert!(t.is_empty());
    assert_eq!(h.weak_count(), 0);
}

#[test]
fn one_cleared_list_serves_several_tables() {
    let mut h = heap();
    let layout = wrapper_layout(&mut h);
    let mut caps: HandleTable<Native> = HandleTable::new(100);
    let mut streams: HandleTable<Native> = HandleTable::new(100);
    // Same slot indices in both tables, so tags collide on purpose.
    let (_, c) = new_wrapper(&mut h, &mut caps, layout, 1);
    let (sw, s) = new_wrapper(&mut h, &mut streams, layout, 2);
    assert_eq!(c.index, s.index);
    let mut roots = [sw];
    h.collect(&mut |tr: &mut Tracer<'_>| tr.visit_all(&mut roots));
    let cleared = h.take_cleared_weaks();
    assert_eq!(cleared.len(), 1);
    let mut from_streams = 0;
    streams.reap(&mut h, &cleared, |_, _| from_streams += 1);
    let mut from_caps = Vec::new();
    caps.reap(&mut h, &cleared, |handle, n| from_caps.push((handle, n)));
    assert_eq!(from_streams, 0);
    assert_eq!(from_caps, [(c, Native(1))]);
    assert_eq!(streams.get(s), Ok(&Native(2)));
    assert_eq!(caps.get(c), Err(HandleError::Closed));
}

#[test]
fn rebinding_replaces_the_wrapper() {
    let mut h = heap();
    let layout = wrapper_layout(&mut h);
    let mut t = HandleTable::new(10);
    let (w1, handle) = new_wrapper(&mut h, &mut t, layout, 7);
    let w2 = h.alloc_instance(layout).unwrap();
    t.bind_wrapper(&mut h, handle, w2).unwrap();
    assert_eq!(h.weak_count(), 1);
    // The old wrapper dies: nothing is released; the new one holds it.
    let mut roots = [w2];
    h.collect(&mut |tr: &mut Tracer<'_>| tr.visit_all(&mut roots));
    let cleared = h.take_cleared_weaks();
    t.reap(&mut h, &cleared, |_, n| panic!("released {n:?} with a live wrapper"));
    assert_eq!(t.wrapper(&h, handle), Ok(Some(roots[0])));
    let _ = w1;
}

#[test]
fn wrapper_churn_under_a_small_heap_stays_bounded() {
    let mut h = Heap::new(64 << 10).unwrap();
    let layout = wrapper_layout(&mut h);
    let mut t = HandleTable::new(10_000);
    let mut live: Vec<Ref> = Vec::new();
    let mut rng = Rng(77);
    let (mut created, mut released) = (0u64, 0u64);
    for v in 0..200_000u64 {
        let w = loop {
            match h.alloc_instance(layout) {
                Ok(w) => break w,
                Err(AllocError::NeedsGc) => {
                    h.collect(&mut |tr: &mut Tracer<'_>| tr.visit_all(&mut live));
                    let cleared = h.take_cleared_weaks();
                    t.reap(&mut h, &cleared, |_, _| released += 1);
                }
                Err(e) => panic!("{e:?}"),
            }
        };
        let handle = t.insert(Native(v)).unwrap();
        t.bind_wrapper(&mut h, handle, w).unwrap();
        h.set_field(w, 0, handle.index as i32).unwrap();
        h.set_field(w, 4, handle.generation as i32).unwrap();
        created += 1;
        if live.len() < 50 {
            live.push(w);
        } else if rng.below(4) == 0 {
            let i = rng.below(live.len());
            live[i] = w;
        }
    }
    assert!(h.stats().collections > 50);
    assert_eq!(created - released, t.len() as u64);
    // Slots and weak slots track what is alive between collections, not
    // everything ever created.
    let per_gc = h.capacity() / 16 + 1;
    assert!(t.slot_count() <= per_gc + 50, "{} slots", t.slot_count());
    assert_eq!(h.weak_count(), t.len());
    for &w in &live {
        assert!(t.get(handle_of(&h, w)).is_ok());
    }
}
