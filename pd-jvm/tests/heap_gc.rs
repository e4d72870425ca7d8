//! The collector: random cyclic graphs survive intact, garbage is freed,
//! OutOfMemory leaves the heap usable, a long run under a small quota stays
//! bounded, weak slots clear exactly when their referents die.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::OnceLock;
use std::time::Instant;

use pd_jvm::heap::{AllocError, ElementKind, Heap, HeapConfig, Layout, LayoutId, Ref, Tracer};

/// xorshift64*: deterministic, seedable, dependency-free.
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

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

extern "C" fn clock() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

fn collect_roots(h: &mut Heap, roots: &mut [Ref]) {
    h.collect(&mut |t: &mut Tracer<'_>| t.visit_all(roots));
}

// ---------------------------------------------------------------------
// Random graphs

/// Node: id:i32 @0, edges @4 @8, bag:Object[] @12, payload:i64 @16.
const NODE_FIELDS: u32 = 24;
const EDGES: [u32; 2] = [4, 8];
const BAG: u32 = 12;
const PAYLOAD: u32 = 16;
const NODE_SIZE: u64 = 32;

fn bag_size(len: usize) -> u64 {
    (16 + 4 * len as u64).div_ceil(8) * 8
}

#[derive(Clone, Debug)]
struct MNode {
    edges: [Option<usize>; 2],
    bag: Option<Vec<Option<usize>>>,
    hash: Option<i32>,
}

struct World {
    h: Heap,
    node: LayoutId,
    bag: LayoutId,
    model: HashMap<usize, MNode>,
    /// Where each model node is now (valid until the next collection).
    refs: HashMap<usize, Ref>,
    /// The keys of `refs` in a deterministic order (HashMap order is
    /// random per process).
    ids: Vec<usize>,
    /// The official root set (ids; duplicates allowed).
    roots: Vec<usize>,
    next_id: usize,
    emergency_gcs: usize,
}

impl World {
    /// Allocates, running a checked collection (official roots only) if
    /// the heap is full.
    fn alloc(&mut self, layout: LayoutId, len: Option<i32>) -> Ref {
        for _ in 0..2 {
            let r = match len {
                None => self.h.alloc_instance(layout),
                Some(n) => self.h.alloc_array(layout, n),
            };
            match r {
                Ok(r) => return r,
                Err(AllocError::NeedsGc) => {
                    self.emergency_gcs += 1;
                    self.checkpoint();
                }
                Err(e) => panic!("allocation failed: {e:?}"),
            }
        }
        panic!("no room even after a collection");
    }

    fn random_target(&self, rng: &mut Rng) -> Option<usize> {
        if self.refs.is_empty() || rng.chance(5) {
            return None;
        }
        Some(self.ids[rng.below(self.ids.len())])
    }

    fn set_ref(&mut self, obj: Ref, at: u32, target: Option<usize>) {
        let t = target.map_or(Ref::NULL, |id| self.refs[&id]);
        self.h.set_field(obj, at, t).unwrap();
    }

    fn add_node(&mut self, rng: &mut Rng) -> usize {
        let id = self.next_id;
        self.next_id += 1;
        let r = self.alloc(self.node, None);
        let edges = [self.random_target(rng), self.random_target(rng)];
        self.h.set_field(r, 0, id as i32).unwrap();
        self.h.set_field(r, PAYLOAD, id as i64 * 0x1_0000_0001).unwrap();
        self.refs.insert(id, r);
        self.ids.push(id);
        for (k, &e) in edges.iter().enumerate() {
            self.set_ref(r, EDGES[k], e);
        }
        let hash = if rng.chance(3) { Some(self.h.identity_hash(r).unwrap()) } else { None };
        self.model.insert(id, MNode { edges, bag: None, hash });
        if rng.chance(2) {
            let len = rng.below(6);
            self.roots.push(id); // the bag's allocation may collect
            let bag = self.alloc(self.bag, Some(len as i32));
            self.roots.pop();
            let elems: Vec<Option<usize>> = (0..len).map(|_| self.random_target(rng)).collect();
            for (i, &e) in elems.iter().enumerate() {
                let t = e.map_or(Ref::NULL, |id| self.refs[&id]);
                self.h.set_element(bag, i as i32, t).unwrap();
            }
            let r = self.refs[&id];
            self.h.set_field(r, BAG, bag).unwrap();
            self.model.get_mut(&id).unwrap().bag = Some(elems);
        }
        id
    }

    fn mutate(&mut self, rng: &mut Rng) {
        match rng.below(10) {
            0..=3 => {
                let id = self.add_node(rng);
                if rng.chance(3) {
                    self.roots.push(id);
                }
            }
            4..=5 => {
                if let Some(id) = self.random_target(rng) {
                    let k = rng.below(2);
                    let target = self.random_target(rng);
                    let r = self.refs[&id];
                    self.set_ref(r, EDGES[k], target);
                    self.model.get_mut(&id).unwrap().edges[k] = target;
                }
            }
            6 => {
                if let Some(id) = self.random_target(rng) {
                    let r = self.refs[&id];
                    let bag = self.h.get_field::<Ref>(r, BAG).unwrap();
                    let len = self.h.array_length(bag).unwrap_or(0) as usize;
                    if len > 0 {
                        let i = rng.below(len);
                        let target = self.random_target(rng);
                        let t = target.map_or(Ref::NULL, |id| self.refs[&id]);
                        self.h.set_element(bag, i as i32, t).unwrap();
                        self.model.get_mut(&id).unwrap().bag.as_mut().unwrap()[i] = target;
                    }
                }
            }
            7 => {
                if !self.roots.is_empty() {
                    let i = rng.below(self.roots.len());
                    self.roots.swap_remove(i);
                }
            }
            8 => {
                if let Some(id) = self.random_target(rng) {
                    self.roots.push(id);
                }
            }
            _ => {
                if let Some(id) = self.random_target(rng) {
                    let r = self.refs[&id];
                    self.h.set_field(r, BAG, Ref::NULL).unwrap();
                    self.model.get_mut(&id).unwrap().bag = None;
                }
            }
        }
    }

    /// Collects with the official roots, then walks the heap and checks it
    /// against the model: same reachable set, same edges, shared nodes
    /// shared, payloads and hashes intact, live bytes exact.
    fn checkpoint(&mut self) {
        let mut root_refs: Vec<Ref> = self.roots.iter().map(|id| self.refs[id]).collect();
        collect_roots(&mut self.h, &mut root_refs);

        // Model reachability and expected live bytes.
        let mut reach: HashSet<usize> = HashSet::new();
        let mut queue: VecDeque<usize> = self.roots.iter().copied().collect();
        let mut expect_live = 0;
        while let Some(id) = queue.pop_front() {
            if !reach.insert(id) {
                continue;
            }
            let n = &self.model[&id];
            expect_live += NODE_SIZE + n.bag.as_ref().map_or(0, |b| bag_size(b.len()));
            queue.extend(n.edges.iter().flatten());
            queue.extend(n.bag.iter().flatten().flatten());
        }

        // Heap walk.
        let h = &mut self.h;
        let mut at: HashMap<usize, Ref> = HashMap::new();
        let mut seen: HashMap<Ref, usize> = HashMap::new();
        let mut queue: VecDeque<(Ref, usize)> = root_refs.iter().copied().zip(self.roots.iter().copied()).collect();
        let check_target = |r: Ref, expect: Option<usize>, h: &Heap, queue: &mut VecDeque<(Ref, usize)>| match expect {
            None => assert!(r.is_null()),
            Some(id) => {
                assert_eq!(h.get_field::<i32>(r, 0), Ok(id as i32));
                queue.push_back((r, id));
            }
        };
        while let Some((r, id)) = queue.pop_front() {
            assert_eq!(h.get_field::<i32>(r, 0), Ok(id as i32), "node id");
            match at.insert(id, r) {
                Some(prev) => {
                    assert_eq!(prev, r, "node {id} duplicated by the copy");
                    continue;
                }
                None => assert_eq!(seen.insert(r, id), None, "two nodes at one address"),
            }
            let n = &self.model[&id];
            assert_eq!(h.layout_of(r), Ok(self.node));
            assert_eq!(h.get_field::<i64>(r, PAYLOAD), Ok(id as i64 * 0x1_0000_0001));
            if let Some(hash) = n.hash {
                assert_eq!(h.identity_hash(r), Ok(hash), "hash of node {id} moved");
            }
            for (k, &e) in n.edges.iter().enumerate() {
                let t = h.get_field::<Ref>(r, EDGES[k]).unwrap();
                check_target(t, e, h, &mut queue);
            }
            let bag = h.get_field::<Ref>(r, BAG).unwrap();
            match &n.bag {
                None => assert!(bag.is_null()),
                Some(elems) => {
                    assert_eq!(h.layout_of(bag), Ok(self.bag));
                    assert_eq!(h.array_length(bag), Ok(elems.len() as i32));
                    for (i, &e) in elems.iter().enumerate() {
                        let t = h.get_element::<Ref>(bag, i as i32).unwrap();
                        check_target(t, e, h, &mut queue);
                    }
                }
            }
        }
        assert_eq!(at.keys().copied().collect::<HashSet<_>>(), reach);
        assert_eq!(h.stats().live_bytes, expect_live);
        assert_eq!(h.used_bytes() as u64, expect_live);
        // The dead leave the model.
        self.model.retain(|id, _| reach.contains(id));
        self.refs = at;
        self.ids = self.refs.keys().copied().collect();
        self.ids.sort_unstable();
    }
}

#[test]
fn random_cyclic_graphs_survive_collections_intact() {
    for seed in [1u64, 0xdead_beef, 42] {
        let mut rng = Rng(seed);
        let mut h = Heap::with_config(HeapConfig { clock: Some(clock), ..HeapConfig::new(64 << 10) }).unwrap();
        let node = h.register_layout(&Layout::instance(NODE_FIELDS, &[EDGES[0], EDGES[1], BAG])).unwrap();
        let bag = h.register_layout(&Layout::array(ElementKind::Reference)).unwrap();
        let mut w = World {
            h,
            node,
            bag,
            model: HashMap::new(),
            refs: HashMap::new(),
            ids: Vec::new(),
            roots: Vec::new(),
            next_id: 0,
            emergency_gcs: 0,
        };
        for _ in 0..5 {
            let id = w.add_node(&mut rng);
            w.roots.push(id);
        }
        let mut max_live = 0;
        for _round in 0..60 {
            for _ in 0..800 {
                w.mutate(&mut rng);
            }
            // Keep the root set from growing without bound.
            while w.roots.len() > 40 {
                let i = rng.below(w.roots.len());
                w.roots.swap_remove(i);
            }
            w.checkpoint();
            max_live = max_live.max(w.model.len());
        }
        let stats = w.h.stats();
        assert!(stats.collections >= 60);
        assert!(w.emergency_gcs > 0, "the heap never filled up: test too small");
        assert!(max_live > 100, "graphs too small: {max_live}");
        assert!(stats.max_pause > 0 && stats.total_pause >= stats.max_pause);
    }
}

// ---------------------------------------------------------------------
// Freeing, OOM, reserve

#[test]
fn unreachable_objects_are_freed() {
    let mut h = Heap::new(1 << 20).unwrap();
    let node = h.register_layout(&Layout::instance(8, &[4])).unwrap();
    let mut head = Ref::NULL;
    for i in 0..1000 {
        h.roots().push(head);
        let n = h.alloc_instance(node).unwrap();
        head = h.roots().pop().unwrap();
        h.set_field(n, 0, i).unwrap();
        h.set_field(n, 4, head).unwrap();
        head = n;
    }
    let mut roots = [head];
    collect_roots(&mut h, &mut roots);
    assert_eq!(h.stats().live_bytes, 1000 * 16);
    // Still a list 999 -> 0.
    let mut r = roots[0];
    for i in (0..1000).rev() {
        assert_eq!(h.get_field::<i32>(r, 0), Ok(i));
        r = h.get_field(r, 4).unwrap();
    }
    assert!(r.is_null());
    // Keep only the tail half alive.
    let mut r = roots[0];
    for _ in 0..500 {
        r = h.get_field(r, 4).unwrap();
    }
    let mut roots = [r];
    collect_roots(&mut h, &mut roots);
    assert_eq!(h.stats().live_bytes, 500 * 16);
    collect_roots(&mut h, &mut []);
    assert_eq!(h.stats().live_bytes, 0);
    assert_eq!(h.used_bytes(), 0);
    assert_eq!(h.stats().collections, 3);
    assert_eq!(h.stats().bytes_allocated, 1000 * 16);
    assert_eq!(h.stats().bytes_copied, 1000 * 16 + 500 * 16);
}

#[test]
fn out_of_memory_leaves_the_heap_usable() {
    let mut h = Heap::new(64 << 10).unwrap(); // 32 KiB per space
    let bytes = h.register_layout(&Layout::array(ElementKind::Byte)).unwrap();
    let mut live: Vec<Ref> = Vec::new();
    let mut gcs = 0;
    let oom = loop {
        match h.alloc_array(bytes, 1000) {
            Ok(a) => {
                h.array_bytes_mut(a).unwrap().fill(live.len() as u8);
                live.push(a);
            }
            Err(AllocError::NeedsGc) => {
                gcs += 1;
                collect_roots(&mut h, &mut live);
            }
            Err(e) => break e,
        }
    };
    assert_eq!(oom, AllocError::OutOfMemory);
    assert_eq!(gcs, 1);
    assert_eq!(live.len(), (h.capacity()) / 1016);
    // The failure changed nothing; what fits still fits.
    let used = h.used_bytes();
    assert_eq!(h.alloc_array(bytes, 1000), Err(AllocError::NeedsGc));
    collect_roots(&mut h, &mut live);
    assert_eq!(h.alloc_array(bytes, 1000), Err(AllocError::OutOfMemory));
    assert_eq!(h.used_bytes(), used);
    let small = h.alloc_array(bytes, 8).unwrap();
    assert_eq!(h.array_length(small), Ok(8));
    // Drop half the data: allocation works again after a collection.
    live.truncate(live.len() / 2);
    assert_eq!(h.alloc_array(bytes, 1000), Err(AllocError::NeedsGc));
    collect_roots(&mut h, &mut live);
    for _ in 0..live.len() - 1 {
        h.alloc_array(bytes, 1000).unwrap();
    }
    for (i, &a) in live.iter().enumerate() {
        assert!(h.array_bytes(a).unwrap().iter().all(|&b| b == i as u8));
    }
    // A request bigger than the space fails without asking for a collection.
    assert_eq!(h.alloc_array(bytes, 40_000), Err(AllocError::OutOfMemory));
}

#[test]
fn oom_reserve_is_only_for_the_error() {
    let config = HeapConfig { oom_reserve: 500, ..HeapConfig::new(64 << 10) };
    let mut h = Heap::with_config(config).unwrap();
    let bytes = h.register_layout(&Layout::array(ElementKind::Byte)).unwrap();
    let ints = h.register_layout(&Layout::array(ElementKind::Int)).unwrap();
    let error = h.register_layout(&Layout::instance(16, &[0, 4])).unwrap();
    // A pre-allocated error lives in the heap's root stack.
    let pre = h.alloc_instance(error).unwrap();
    h.roots().push(pre);
    let mut live: Vec<Ref> = Vec::new();
    loop {
        match h.alloc_array(bytes, 100) {
            Ok(a) => live.push(a),
            Err(AllocError::NeedsGc) => collect_roots(&mut h, &mut live),
            Err(AllocError::OutOfMemory) => break,
            Err(e) => panic!("{e:?}"),
        }
    }
    assert!(h.free_bytes() < 120);
    // The VM builds the error in the reserve...
    let e = h.alloc_instance_reserved(error).unwrap();
    let trace = h.alloc_array_reserved(ints, 64).unwrap();
    h.set_field(e, 0, trace).unwrap();
    // ...which is finite and never asks for a collection.
    let mut n = 0;
    while h.alloc_array_reserved(ints, 10).is_ok() {
        n += 1;
    }
    assert!(n < 10);
    assert_eq!(h.alloc_instance_reserved(error), Err(AllocError::OutOfMemory));
    // Java catches the error and drops its data: all is well again.
    live.clear();
    let mut roots = [e];
    collect_roots(&mut h, &mut roots);
    assert_eq!(h.get_field::<Ref>(roots[0], 0).map(|t| h.array_length(t)), Ok(Ok(64)));
    let pre = h.roots()[0];
    assert_eq!(h.layout_of(pre), Ok(error));
    h.alloc_array(bytes, 20_000).unwrap();
}

#[test]
fn heap_creation_errors() {
    use pd_jvm::heap::InitError;
    assert_eq!(Heap::new(100).err(), Some(InitError::QuotaTooSmall));
    let too_big = HeapConfig { oom_reserve: 1 << 20, ..HeapConfig::new(1 << 20) };
    assert_eq!(Heap::with_config(too_big).err(), Some(InitError::ReserveTooLarge));
    if usize::BITS > 32 {
        assert_eq!(Heap::new(1 << 40).err(), Some(InitError::QuotaTooLarge));
    }
}

// ---------------------------------------------------------------------
// The long run

#[test]
fn a_gigabyte_of_garbage_under_a_one_megabyte_quota() {
    const SLOTS: usize = 32;
    const MAX_LEAF: i32 = 1024;
    const MAX_ELEMS: i32 = 8;
    let mut h = Heap::with_config(HeapConfig { clock: Some(clock), ..HeapConfig::new(1 << 20) }).unwrap();
    let node = h.register_layout(&Layout::instance(16, &[0, 4])).unwrap();
    let bytes = h.register_layout(&Layout::array(ElementKind::Byte)).unwrap();
    let ints = h.register_layout(&Layout::array(ElementKind::Int)).unwrap();
    let objs = h.register_layout(&Layout::array(ElementKind::Reference)).unwrap();
    // Worst case live: every slot an Object[8] holding eight maximal leaves.
    let leaf_max = (16 + MAX_LEAF as u64).div_ceil(8) * 8;
    let bound = SLOTS as u64 * ((16 + 4 * MAX_ELEMS as u64) + MAX_ELEMS as u64 * leaf_max);
    assert!(bound < h.capacity() as u64 * 3 / 4);

    let mut rng = Rng(0x1dea);
    let mut slots = [Ref::NULL; SLOTS];
    let mut stamps = [0u8; SLOTS];
    let mut seq: u64 = 0;
    let mut max_live = 0;
    let verify = |h: &Heap, slots: &[Ref], stamps: &[u8]| {
        for (&r, &stamp) in slots.iter().zip(stamps) {
            if r.is_null() {
                continue;
            }
            let layout = h.layout_of(r).unwrap();
            if layout == bytes {
                assert!(h.array_bytes(r).unwrap().iter().all(|&b| b == stamp));
            } else if layout == ints {
                let n = h.array_length(r).unwrap();
                assert!((0..n).all(|i| h.get_element::<i32>(r, i) == Ok(stamp as i32 * 3 + i)));
            } else if layout == node {
                assert_eq!(h.get_field::<i64>(r, 8), Ok(stamp as i64));
            } else {
                assert_eq!(layout, objs);
                for i in 0..h.array_length(r).unwrap() {
                    let leaf = h.get_element::<Ref>(r, i).unwrap();
                    if !leaf.is_null() {
                        let l = h.layout_of(leaf).unwrap();
                        assert!(l == bytes || l == ints);
                    }
                }
            }
        }
    };
    while h.stats().bytes_allocated < 1 << 30 {
        seq += 1;
        let stamp = seq as u8;
        let choice = rng.below(8);
        let r = loop {
            let r = match choice {
                0..=3 => h.alloc_array(bytes, rng.below(MAX_LEAF as usize + 1) as i32),
                4 => h.alloc_array(ints, rng.below(MAX_LEAF as usize / 4 + 1) as i32),
                5 | 6 => h.alloc_instance(node),
                _ => h.alloc_array(objs, rng.below(MAX_ELEMS as usize + 1) as i32),
            };
            match r {
                Ok(r) => break r,
                Err(AllocError::NeedsGc) => {
                    collect_roots(&mut h, &mut slots);
                    let live = h.stats().live_bytes;
                    assert!(live <= bound, "live {live} > bound {bound}");
                    max_live = max_live.max(live);
                    verify(&h, &slots, &stamps);
                }
                Err(e) => panic!("{e:?} with {} live", h.stats().live_bytes),
            }
        };
        match choice {
            0..=3 => h.array_bytes_mut(r).unwrap().fill(stamp),
            4 => {
                for i in 0..h.array_length(r).unwrap() {
                    h.set_element(r, i, stamp as i32 * 3 + i).unwrap();
                }
            }
            5 | 6 => {
                h.set_field(r, 8, stamp as i64).unwrap();
                // Short-lived links between fresh objects.
                let prev = slots[rng.below(SLOTS)];
                if h.layout_of(prev) != Ok(node) && h.layout_of(prev) != Ok(objs) {
                    h.set_field(r, 0, prev).unwrap();
                }
            }
            _ => {
                // References to leaves currently in slots only, so the
                // retained set stays bounded.
                for i in 0..h.array_length(r).unwrap() {
                    let s = slots[rng.below(SLOTS)];
                    let l = h.layout_of(s);
                    if l == Ok(bytes) || l == Ok(ints) {
                        h.set_element(r, i, s).unwrap();
                    }
                }
            }
        }
        if rng.chance(16) {
            let i = rng.below(SLOTS);
            slots[i] = r;
            stamps[i] = stamp;
        }
    }
    let stats = h.stats();
    let min_gcs = (1u64 << 30) / h.capacity() as u64;
    assert!(stats.collections >= min_gcs, "{} collections", stats.collections);
    assert!(max_live > 0 && max_live <= bound);
    assert!(stats.max_pause > 0 && stats.last_pause <= stats.max_pause && stats.total_pause >= stats.max_pause);
    assert!(stats.bytes_copied < stats.bytes_allocated / 4);
    collect_roots(&mut h, &mut slots);
    verify(&h, &slots, &stamps);
    eprintln!(
        "{} objects, {} MiB, {} collections, max live {max_live} B, pause total {} us max {} us",
        seq,
        stats.bytes_allocated >> 20,
        stats.collections,
        stats.total_pause / 1000,
        stats.max_pause / 1000
    );
}

// ---------------------------------------------------------------------
// Roots, hashes, weak slots

#[test]
fn heap_root_stack_and_raw_roots_are_updated() {
    let mut h = Heap::new(16 << 10).unwrap();
    let l = h.register_layout(&Layout::instance(8, &[])).unwrap();
    let a = h.alloc_instance(l).unwrap();
    h.set_field(a, 0, 11i64).unwrap();
    let b = h.alloc_instance(l).unwrap();
    h.set_field(b, 0, 22i64).unwrap();
    let hash_a = h.identity_hash(a).unwrap();
    h.roots().push(a);
    let mut raw = [b.to_raw(), b.to_raw()];
    // Churn through several collections; objects move every time.
    let mut gcs = 0;
    while gcs < 10 {
        match h.alloc_instance(l) {
            Ok(_) => {}
            Err(AllocError::NeedsGc) => {
                h.collect(&mut |t: &mut Tracer<'_>| raw.iter_mut().for_each(|w| t.visit_raw(w)));
                gcs += 1;
            }
            Err(e) => panic!("{e:?}"),
        }
    }
    let a = h.roots()[0];
    assert_eq!(h.get_field::<i64>(a, 0), Ok(11));
    assert_eq!(h.identity_hash(a), Ok(hash_a));
    assert_eq!(raw[0], raw[1], "one object, one copy");
    assert_eq!(h.get_field::<i64>(Ref::from_raw(raw[0]), 0), Ok(22));
    assert_eq!(h.stats().live_bytes, 32);
}

#[test]
fn identity_hashes_survive_moves() {
    let mut h = Heap::new(1 << 20).unwrap();
    let l = h.register_layout(&Layout::instance(4, &[])).unwrap();
    let ints = h.register_layout(&Layout::array(ElementKind::Int)).unwrap();
    let mut objs: Vec<Ref> = Vec::new();
    let mut hashes = Vec::new();
    for i in 0..200 {
        let o = if i % 2 == 0 { h.alloc_instance(l).unwrap() } else { h.alloc_array(ints, i).unwrap() };
        // Garbage in between, so survivors pack differently each time.
        h.alloc_array(ints, 3).unwrap();
        objs.push(o);
        hashes.push(if i % 3 == 0 { Some(h.identity_hash(o).unwrap()) } else { None });
    }
    for round in 0..5 {
        collect_roots(&mut h, &mut objs);
        for (i, &o) in objs.iter().enumerate() {
            match hashes[i] {
                Some(hash) => assert_eq!(h.identity_hash(o), Ok(hash)),
                // First request after some moves: assigned now, kept after.
                None if round == 2 => hashes[i] = Some(h.identity_hash(o).unwrap()),
                None => {}
            }
        }
        // Drop some objects each round so survivors' addresses shift.
        for _ in 0..10 {
            objs.remove(round * 7);
            hashes.remove(round * 7);
        }
    }
}

#[test]
fn weak_slots_clear_exactly_when_the_referent_dies() {
    let mut h = Heap::new(256 << 10).unwrap();
    let l = h.register_layout(&Layout::instance(8, &[0])).unwrap();
    let mut rng = Rng(99);
    const N: usize = 300;
    let objs: Vec<Ref> = (0..N).map(|_| h.alloc_instance(l).unwrap()).collect();
    for (i, &o) in objs.iter().enumerate() {
        h.set_field(o, 4, i as i32).unwrap();
    }
    // Some objects keep others alive through a strong field.
    let mut strong_to: Vec<Option<usize>> = vec![None; N];
    for i in 0..N {
        if rng.chance(3) {
            let j = rng.below(N);
            h.set_field(objs[i], 0, objs[j]).unwrap();
            strong_to[i] = Some(j);
        }
    }
    let weaks: Vec<_> = objs.iter().enumerate().map(|(i, &o)| h.weak_new(o, i as u32)).collect();
    let null_weak = h.weak_new(Ref::NULL, 12345);
    // Roots: indices still rooted.
    let mut rooted: Vec<usize> = (0..N).collect();
    let mut refs: Vec<Ref> = objs.clone();
    let mut cleared_ever: HashSet<usize> = HashSet::new();
    for _round in 0..8 {
        // Drop a random third of the roots.
        let mut keep = Vec::new();
        let mut keep_refs = Vec::new();
        for (k, &i) in rooted.iter().enumerate() {
            if !rng.chance(3) {
                keep.push(i);
                keep_refs.push(refs[k]);
            }
        }
        rooted = keep;
        refs = keep_refs;
        collect_roots(&mut h, &mut refs);
        // Expected survivors: rooted plus the strong closure.
        let mut alive: HashSet<usize> = HashSet::new();
        let mut stack = rooted.clone();
        while let Some(i) = stack.pop() {
            if alive.insert(i) {
                stack.extend(strong_to[i]);
            }
        }
        let cleared: HashSet<usize> = h
            .take_cleared_weaks()
            .into_iter()
            .map(|c| {
                assert_eq!(weaks[c.tag as usize], c.weak);
                c.tag as usize
            })
            .collect();
        let newly_dead: HashSet<usize> = (0..N).filter(|i| !alive.contains(i) && !cleared_ever.contains(i)).collect();
        assert_eq!(cleared, newly_dead, "cleared exactly the newly dead, once");
        cleared_ever.extend(&cleared);
        for (i, &w) in weaks.iter().enumerate() {
            match h.weak_get(w) {
                Some(r) => {
                    assert!(alive.contains(&i));
                    assert_eq!(h.get_field::<i32>(r, 4), Ok(i as i32));
                }
                None => assert!(!alive.contains(&i)),
            }
        }
        for (k, &i) in rooted.iter().enumerate() {
            assert_eq!(h.weak_get(weaks[i]), Some(refs[k]), "weak follows the move");
        }
        assert_eq!(h.weak_get(null_weak), None);
    }
    // Cleared slots stay allocated until freed; freeing twice is refused.
    assert_eq!(h.weak_count(), N + 1);
    for &w in &weaks {
        assert!(h.weak_free(w));
        assert!(!h.weak_free(w));
        assert_eq!(h.weak_get(w), None);
    }
    assert_eq!(h.weak_count(), 1);
    // Freed slots are reused under a new generation: old names stay dead.
    let o = refs.first().copied().unwrap_or(Ref::NULL);
    let fresh = h.weak_new(o, 7);
    assert!(!weaks.contains(&fresh));
}

#[test]
fn weakly_reachable_cycles_are_cleared_together() {
    let mut h = Heap::new(16 << 10).unwrap();
    let l = h.register_layout(&Layout::instance(4, &[0])).unwrap();
    let a = h.alloc_instance(l).unwrap();
    let b = h.alloc_instance(l).unwrap();
    h.set_field(a, 0, b).unwrap();
    h.set_field(b, 0, a).unwrap();
    let wa = h.weak_new(a, 1);
    let wb = h.weak_new(b, 2);
    let mut roots = [a];
    collect_roots(&mut h, &mut roots);
    assert!(h.take_cleared_weaks().is_empty());
    let (a2, b2) = (h.weak_get(wa).unwrap(), h.weak_get(wb).unwrap());
    assert_eq!(a2, roots[0]);
    assert_eq!(h.get_field::<Ref>(a2, 0), Ok(b2));
    assert_eq!(h.get_field::<Ref>(b2, 0), Ok(a2));
    collect_roots(&mut h, &mut []);
    let mut tags: Vec<u32> = h.take_cleared_weaks().into_iter().map(|c| c.tag).collect();
    tags.sort();
    assert_eq!(tags, [1, 2]);
    assert_eq!(h.used_bytes(), 0);
    collect_roots(&mut h, &mut []);
    assert!(h.take_cleared_weaks().is_empty(), "reported once");
}

/// A reference only a VM bug can make (debug builds assert instead).
#[cfg(not(debug_assertions))]
#[test]
fn forged_roots_are_dropped_not_followed() {
    let mut h = Heap::new(16 << 10).unwrap();
    let l = h.register_layout(&Layout::instance(8, &[0])).unwrap();
    let a = h.alloc_instance(l).unwrap();
    h.set_field(a, 4, 5i32).unwrap();
    let mut roots = [a, Ref::from_raw(a.to_raw() + 4), Ref::from_raw(1 << 20), Ref::from_raw(!7)];
    collect_roots(&mut h, &mut roots);
    assert_eq!(roots[1..], [Ref::NULL; 3]);
    assert_eq!(h.get_field::<i32>(roots[0], 4), Ok(5));
    assert_eq!(h.stats().live_bytes, 16);
}
