//! Heap object access: every field and array kind, bounds and null
//! errors, byte views, `System.arraycopy` semantics, identity hashes,
//! clones, and layout validation.

use pd_jvm::heap::{
    AccessError, AllocError, ElementKind, Heap, HeapConfig, Layout, LayoutError, LayoutId, Ref, Tracer,
};

const KINDS: [ElementKind; 9] = [
    ElementKind::Boolean,
    ElementKind::Byte,
    ElementKind::Char,
    ElementKind::Short,
    ElementKind::Int,
    ElementKind::Long,
    ElementKind::Float,
    ElementKind::Double,
    ElementKind::Reference,
];

/// xorshift64*: deterministic, seedable, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo) as u64) as i64
    }
}

fn heap() -> Heap {
    Heap::new(1 << 20).unwrap()
}

fn array_layouts(heap: &mut Heap) -> Vec<(ElementKind, LayoutId)> {
    KINDS.iter().map(|&k| (k, heap.register_layout(&Layout::array(k)).unwrap())).collect()
}

#[test]
fn instance_fields_of_every_kind() {
    let mut h = heap();
    // byte@0 char@2 short@4 int@8 long@16 float@24 double@32 ref@40 ref@44, boolean@48
    let point = h.register_layout(&Layout::instance(49, &[40, 44])).unwrap();
    let other = h.register_layout(&Layout::instance(0, &[])).unwrap();
    let o = h.alloc_instance(point).unwrap();
    let target = h.alloc_instance(other).unwrap();
    assert_eq!(h.layout_of(o), Ok(point));
    assert_eq!(h.layout_of(target), Ok(other));
    assert_eq!(h.object_size(o), Ok(8 + 56));
    assert_eq!(h.object_size(target), Ok(8));
    // Zeroed.
    assert_eq!(h.get_field::<i8>(o, 0), Ok(0));
    assert_eq!(h.get_field::<i64>(o, 16), Ok(0));
    assert_eq!(h.get_field::<Ref>(o, 40), Ok(Ref::NULL));
    assert_eq!(h.get_field::<i8>(o, 48), Ok(0));

    h.set_field(o, 0, -128i8).unwrap();
    h.set_field(o, 2, 0xffffu16).unwrap();
    h.set_field(o, 4, i16::MIN).unwrap();
    h.set_field(o, 8, i32::MIN).unwrap();
    h.set_field(o, 16, i64::MAX).unwrap();
    h.set_field(o, 24, f32::NEG_INFINITY).unwrap();
    h.set_field(o, 32, f64::from_bits(0x7ff8_dead_beef_0001)).unwrap();
    h.set_field(o, 40, target).unwrap();
    h.set_field(o, 44, o).unwrap();
    h.set_field(o, 48, 1i8).unwrap();

    assert_eq!(h.get_field::<i8>(o, 0), Ok(-128));
    assert_eq!(h.get_field::<u16>(o, 2), Ok(0xffff));
    assert_eq!(h.get_field::<i16>(o, 4), Ok(i16::MIN));
    assert_eq!(h.get_field::<i32>(o, 8), Ok(i32::MIN));
    assert_eq!(h.get_field::<i64>(o, 16), Ok(i64::MAX));
    assert_eq!(h.get_field::<f32>(o, 24), Ok(f32::NEG_INFINITY));
    // NaN payloads survive (Java's raw bits are observable).
    assert_eq!(h.get_field::<f64>(o, 32).unwrap().to_bits(), 0x7ff8_dead_beef_0001);
    assert_eq!(h.get_field::<Ref>(o, 40), Ok(target));
    assert_eq!(h.get_field::<Ref>(o, 44), Ok(o));
    assert_eq!(h.get_field::<i8>(o, 48), Ok(1));
    assert_eq!(h.array_kind(o), Ok(None));
    assert_eq!(h.array_length(o), Err(AccessError::Invalid));
}

#[test]
fn null_and_invalid_references_are_errors() {
    let mut h = heap();
    let l = h.register_layout(&Layout::instance(8, &[])).unwrap();
    let o = h.alloc_instance(l).unwrap();
    assert_eq!(h.get_field::<i32>(Ref::NULL, 0), Err(AccessError::NullPointer));
    assert_eq!(h.set_field(Ref::NULL, 0, 1i32), Err(AccessError::NullPointer));
    assert_eq!(h.get_element::<i32>(Ref::NULL, 0), Err(AccessError::NullPointer));
    assert_eq!(h.set_element(Ref::NULL, 0, 1i32), Err(AccessError::NullPointer));
    assert_eq!(h.array_length(Ref::NULL), Err(AccessError::NullPointer));
    assert_eq!(h.identity_hash(Ref::NULL), Err(AccessError::NullPointer));
    assert_eq!(h.layout_of(Ref::NULL), Err(AccessError::NullPointer));
    // Made-up references: misaligned, beyond the used space, absurd.
    for raw in [o.to_raw() + 4, o.to_raw() + 1024, u32::MAX, 4] {
        let bad = Ref::from_raw(raw);
        assert_eq!(h.get_field::<i32>(bad, 0), Err(AccessError::Invalid), "{raw}");
        assert_eq!(h.array_length(bad), Err(AccessError::Invalid), "{raw}");
        assert_eq!(h.identity_hash(bad), Err(AccessError::Invalid), "{raw}");
        assert_eq!(h.alloc_clone(bad), Err(AllocError::Invalid), "{raw}");
    }
    // An offset past the used space.
    assert_eq!(h.get_field::<i64>(o, 1 << 20), Err(AccessError::Invalid));
    assert_eq!(h.get_field::<i64>(o, u32::MAX), Err(AccessError::Invalid));
}

#[test]
fn arrays_of_every_kind() {
    let mut h = heap();
    let layouts = array_layouts(&mut h);
    let filler = h.register_layout(&Layout::instance(0, &[])).unwrap();
    let obj = h.alloc_instance(filler).unwrap();
    for &(kind, l) in &layouts {
        for len in [0, 1, 7, 100] {
            let a = h.alloc_array(l, len).unwrap();
            assert_eq!(h.array_length(a), Ok(len));
            assert_eq!(h.array_kind(a), Ok(Some(kind)));
            assert_eq!(h.layout_of(a), Ok(l));
            let expect_size = (16 + len as usize * kind.size()).div_ceil(8) * 8;
            assert_eq!(h.object_size(a), Ok(expect_size));
            for i in 0..len {
                let v = i as i64 * 37 - 50;
                macro_rules! roundtrip {
                    ($t:ty, $val:expr) => {{
                        assert_eq!(h.get_element::<$t>(a, i), Ok(<$t>::default()));
                        h.set_element::<$t>(a, i, $val).unwrap();
                        assert_eq!(h.get_element::<$t>(a, i), Ok($val));
                    }};
                }
                match kind {
                    ElementKind::Boolean => roundtrip!(i8, (i & 1) as i8),
                    ElementKind::Byte => roundtrip!(i8, v as i8),
                    ElementKind::Char => roundtrip!(u16, (v as u16) | 0x8000),
                    ElementKind::Short => roundtrip!(i16, v as i16),
                    ElementKind::Int => roundtrip!(i32, v as i32 * 100_000),
                    ElementKind::Long => roundtrip!(i64, v << 40),
                    ElementKind::Float => roundtrip!(f32, v as f32 / 3.0),
                    ElementKind::Double => roundtrip!(f64, v as f64 / 7.0),
                    ElementKind::Reference => {
                        assert_eq!(h.get_element::<Ref>(a, i), Ok(Ref::NULL));
                        let r = if i % 2 == 0 { obj } else { a };
                        h.set_element(a, i, r).unwrap();
                        assert_eq!(h.get_element::<Ref>(a, i), Ok(r));
                    }
                }
            }
            // Bounds: -1, len, i32 extremes.
            for index in [-1, len, len + 1, i32::MIN, i32::MAX] {
                let oob = Some(AccessError::IndexOutOfBounds { index: index as i64, length: len });
                match kind {
                    ElementKind::Boolean | ElementKind::Byte => {
                        assert_eq!(h.get_element::<i8>(a, index).err(), oob);
                        assert_eq!(h.set_element(a, index, 1i8).err(), oob);
                    }
                    ElementKind::Char => assert_eq!(h.get_element::<u16>(a, index).err(), oob),
                    ElementKind::Short => assert_eq!(h.get_element::<i16>(a, index).err(), oob),
                    ElementKind::Int => assert_eq!(h.set_element(a, index, 1i32).err(), oob),
                    ElementKind::Long => assert_eq!(h.get_element::<i64>(a, index).err(), oob),
                    ElementKind::Float => assert_eq!(h.get_element::<f32>(a, index).err(), oob),
                    ElementKind::Double => assert_eq!(h.set_element(a, index, 1f64).err(), oob),
                    ElementKind::Reference => assert_eq!(h.get_element::<Ref>(a, index).err(), oob),
                }
            }
            // The wrong element type is a VM bug, reported, not trusted.
            if kind != ElementKind::Long {
                assert_eq!(h.get_element::<i64>(a, 0), Err(AccessError::Invalid));
            }
            if kind != ElementKind::Reference {
                assert_eq!(h.set_element(a, 0, obj), Err(AccessError::Invalid));
            }
        }
    }
    // Element access on an instance.
    assert_eq!(h.get_element::<i32>(obj, 0), Err(AccessError::Invalid));
}

#[test]
fn negative_and_impossible_array_sizes() {
    let mut h = heap();
    let ints = h.register_layout(&Layout::array(ElementKind::Int)).unwrap();
    let longs = h.register_layout(&Layout::array(ElementKind::Long)).unwrap();
    let inst = h.register_layout(&Layout::instance(4, &[])).unwrap();
    assert_eq!(h.alloc_array(ints, -1), Err(AllocError::NegativeArraySize(-1)));
    assert_eq!(h.alloc_array(ints, i32::MIN), Err(AllocError::NegativeArraySize(i32::MIN)));
    // Can never fit: OOM at once, no pointless collection.
    assert_eq!(h.alloc_array(longs, i32::MAX), Err(AllocError::OutOfMemory));
    assert_eq!(h.alloc_array(ints, 1 << 20), Err(AllocError::OutOfMemory));
    // Layout kind mismatches.
    assert_eq!(h.alloc_array(inst, 1), Err(AllocError::Invalid));
    assert_eq!(h.alloc_instance(ints), Err(AllocError::Invalid));
    // An id from another heap that this one never issued.
    let mut other = heap();
    let mut foreign = None;
    for _ in 0..10 {
        foreign = Some(other.register_layout(&Layout::instance(0, &[])).unwrap());
    }
    assert_eq!(h.alloc_instance(foreign.unwrap()), Err(AllocError::Invalid));
    assert_eq!(h.used_bytes(), 0);
}

#[test]
fn atype_codes() {
    assert_eq!(ElementKind::from_atype(4), Some(ElementKind::Boolean));
    assert_eq!(ElementKind::from_atype(5), Some(ElementKind::Char));
    assert_eq!(ElementKind::from_atype(6), Some(ElementKind::Float));
    assert_eq!(ElementKind::from_atype(7), Some(ElementKind::Double));
    assert_eq!(ElementKind::from_atype(8), Some(ElementKind::Byte));
    assert_eq!(ElementKind::from_atype(9), Some(ElementKind::Short));
    assert_eq!(ElementKind::from_atype(10), Some(ElementKind::Int));
    assert_eq!(ElementKind::from_atype(11), Some(ElementKind::Long));
    for bad in [0, 3, 12, 255] {
        assert_eq!(ElementKind::from_atype(bad), None);
    }
}

#[test]
fn byte_views_of_primitive_arrays() {
    let mut h = heap();
    let bytes = h.register_layout(&Layout::array(ElementKind::Byte)).unwrap();
    let chars = h.register_layout(&Layout::array(ElementKind::Char)).unwrap();
    let refs = h.register_layout(&Layout::array(ElementKind::Reference)).unwrap();
    let b = h.alloc_array(bytes, 5).unwrap();
    h.array_bytes_mut(b).unwrap().copy_from_slice(b"hello");
    assert_eq!(h.get_element::<i8>(b, 1), Ok(b'e' as i8));
    assert_eq!(h.array_bytes(b).unwrap(), b"hello");
    let c = h.alloc_array(chars, 2).unwrap();
    h.set_element(c, 0, 0x20acu16).unwrap();
    h.set_element(c, 1, b'A' as u16).unwrap();
    assert_eq!(h.array_bytes(c).unwrap(), &[0xac, 0x20, b'A', 0]); // UTF-16LE
    let r = h.alloc_array(refs, 3).unwrap();
    assert_eq!(h.array_bytes(r).err(), Some(AccessError::Invalid));
    assert_eq!(h.array_bytes_mut(r).err(), Some(AccessError::Invalid));
    assert_eq!(h.array_bytes(Ref::NULL).err(), Some(AccessError::NullPointer));
    let empty = h.alloc_array(bytes, 0).unwrap();
    assert_eq!(h.array_bytes(empty).unwrap(), b"");
}

/// `System.arraycopy` as its Javadoc specifies, on plain vectors.
/// `arrays[None]` is null. Returns the error the VM would throw.
fn java_arraycopy(
    arrays: &mut [Vec<i64>],
    src: Option<usize>,
    src_pos: i32,
    dst: Option<usize>,
    dst_pos: i32,
    len: i32,
) -> Result<(), AccessError> {
    let (Some(s), Some(d)) = (src, dst) else {
        return Err(AccessError::NullPointer);
    };
    let (sl, dl) = (arrays[s].len() as i64, arrays[d].len() as i64);
    if src_pos < 0 || dst_pos < 0 || len < 0 || src_pos as i64 + len as i64 > sl || dst_pos as i64 + len as i64 > dl {
        return Err(AccessError::IndexOutOfBounds { index: 0, length: 0 });
    }
    // "As if" through a temporary array.
    let tmp: Vec<i64> = arrays[s][src_pos as usize..][..len as usize].to_vec();
    arrays[d][dst_pos as usize..][..len as usize].copy_from_slice(&tmp);
    Ok(())
}

fn read_all(h: &Heap, a: Ref, kind: ElementKind) -> Vec<i64> {
    (0..h.array_length(a).unwrap())
        .map(|i| match kind {
            ElementKind::Byte => h.get_element::<i8>(a, i).unwrap() as i64,
            ElementKind::Char => h.get_element::<u16>(a, i).unwrap() as i64,
            ElementKind::Int => h.get_element::<i32>(a, i).unwrap() as i64,
            ElementKind::Long => h.get_element::<i64>(a, i).unwrap(),
            ElementKind::Reference => h.get_element::<Ref>(a, i).unwrap().to_raw() as i64,
            _ => unreachable!(),
        })
        .collect()
}

#[test]
fn arraycopy_matches_java_semantics_including_overlap() {
    let mut rng = Rng(0x5eed_1234);
    for kind in [ElementKind::Byte, ElementKind::Char, ElementKind::Int, ElementKind::Long, ElementKind::Reference] {
        let mut h = heap();
        let l = h.register_layout(&Layout::array(kind)).unwrap();
        let lens = [20, 13, 0];
        let refs: Vec<Ref> = lens.iter().map(|&n| h.alloc_array(l, n).unwrap()).collect();
        // Fill with distinct values (for references: the arrays themselves).
        for (ai, &a) in refs.iter().enumerate() {
            for i in 0..lens[ai] {
                let v = (ai as i64 + 1) * 1000 + i as i64;
                match kind {
                    ElementKind::Byte => h.set_element(a, i, v as i8).unwrap(),
                    ElementKind::Char => h.set_element(a, i, v as u16).unwrap(),
                    ElementKind::Int => h.set_element(a, i, v as i32).unwrap(),
                    ElementKind::Long => h.set_element(a, i, v).unwrap(),
                    _ => h.set_element(a, i, refs[(i as usize + ai) % refs.len()]).unwrap(),
                }
            }
        }
        let mut model: Vec<Vec<i64>> = refs.iter().map(|&a| read_all(&h, a, kind)).collect();
        let mut copies = 0;
        for _ in 0..3000 {
            let pick = |rng: &mut Rng| match rng.range(0, 8) {
                0 => None,
                1 => Some(1),
                2 => Some(2),
                _ => Some(0), // mostly the same array: overlap
            };
            let (s, d) = (pick(&mut rng), pick(&mut rng));
            let (sp, dp, n) = (rng.range(-2, 22) as i32, rng.range(-2, 22) as i32, rng.range(-2, 12) as i32);
            let expect = java_arraycopy(&mut model, s, sp, d, dp, n);
            let r = |x: Option<usize>| x.map_or(Ref::NULL, |i| refs[i]);
            let got = h.array_copy(r(s), sp, r(d), dp, n);
            match (expect, got) {
                (Ok(()), Ok(())) => copies += 1,
                (Err(AccessError::IndexOutOfBounds { .. }), Err(AccessError::IndexOutOfBounds { .. })) => {}
                (e, g) => assert_eq!(e, g, "{kind:?} {s:?}[{sp}..] -> {d:?}[{dp}..] len {n}"),
            }
            for (ai, &a) in refs.iter().enumerate() {
                assert_eq!(read_all(&h, a, kind), model[ai], "{kind:?} {s:?}[{sp}..] -> {d:?}[{dp}..] len {n}");
            }
        }
        assert!(copies > 400, "{copies}");
    }
}

#[test]
fn arraycopy_overlap_examples() {
    let mut h = heap();
    let ints = h.register_layout(&Layout::array(ElementKind::Int)).unwrap();
    let a = h.alloc_array(ints, 6).unwrap();
    let fill = |h: &mut Heap| (0..6).for_each(|i| h.set_element(a, i, i + 1).unwrap());
    let get = |h: &Heap| (0..6).map(|i| h.get_element::<i32>(a, i).unwrap()).collect::<Vec<_>>();
    fill(&mut h);
    h.array_copy(a, 0, a, 1, 5).unwrap(); // shift right
    assert_eq!(get(&h), [1, 1, 2, 3, 4, 5]);
    fill(&mut h);
    h.array_copy(a, 1, a, 0, 5).unwrap(); // shift left
    assert_eq!(get(&h), [2, 3, 4, 5, 6, 6]);
    fill(&mut h);
    h.array_copy(a, 2, a, 2, 4).unwrap();
    assert_eq!(get(&h), [1, 2, 3, 4, 5, 6]);
    // Zero length at the very end is fine; one past is not.
    h.array_copy(a, 6, a, 6, 0).unwrap();
    assert!(matches!(h.array_copy(a, 7, a, 0, 0), Err(AccessError::IndexOutOfBounds { .. })));
    // Overflowing position + length is an index error, not a wraparound.
    assert!(matches!(h.array_copy(a, i32::MAX, a, 0, i32::MAX), Err(AccessError::IndexOutOfBounds { .. })));
}

#[test]
fn arraycopy_type_errors_follow_javadoc_order() {
    let mut h = heap();
    let ints = h.register_layout(&Layout::array(ElementKind::Int)).unwrap();
    let longs = h.register_layout(&Layout::array(ElementKind::Long)).unwrap();
    let objs = h.register_layout(&Layout::array(ElementKind::Reference)).unwrap();
    let inst = h.register_layout(&Layout::instance(4, &[])).unwrap();
    let i = h.alloc_array(ints, 4).unwrap();
    let l = h.alloc_array(longs, 4).unwrap();
    let o = h.alloc_array(objs, 4).unwrap();
    let x = h.alloc_instance(inst).unwrap();
    // NullPointer before anything else, even with bad indices.
    assert_eq!(h.array_copy(Ref::NULL, -1, i, 0, 1), Err(AccessError::NullPointer));
    assert_eq!(h.array_copy(i, 0, Ref::NULL, -1, 1), Err(AccessError::NullPointer));
    // ArrayStore before index checks.
    for (s, d) in [(i, l), (l, i), (i, o), (o, i), (x, i), (i, x), (x, x)] {
        assert_eq!(h.array_copy(s, -1, d, 0, 99), Err(AccessError::ArrayStore));
    }
    assert_eq!(h.array_copy(i, 0, i, 0, -1), Err(AccessError::IndexOutOfBounds { index: -1, length: 4 }));
    assert_eq!(h.array_copy(i, 2, i, 0, 3), Err(AccessError::IndexOutOfBounds { index: 5, length: 4 }));
}

#[test]
fn checked_reference_arraycopy_stops_at_first_rejected_element() {
    let mut h = heap();
    let objs = h.register_layout(&Layout::array(ElementKind::Reference)).unwrap();
    let a_cls = h.register_layout(&Layout::instance(0, &[])).unwrap();
    let b_cls = h.register_layout(&Layout::instance(0, &[])).unwrap();
    let a = h.alloc_instance(a_cls).unwrap();
    let b = h.alloc_instance(b_cls).unwrap();
    let src = h.alloc_array(objs, 5).unwrap();
    for (i, r) in [a, Ref::NULL, a, b, a].into_iter().enumerate() {
        h.set_element(src, i as i32, r).unwrap();
    }
    let dst = h.alloc_array(objs, 6).unwrap();
    let mut asked = Vec::new();
    let mut only_a = |l: LayoutId| {
        asked.push(l);
        l == a_cls
    };
    // Elements 0..=2 copy (null needs no check), element 3 is rejected.
    assert_eq!(h.array_copy_checked(src, 0, dst, 1, 5, &mut only_a), Err(AccessError::ArrayStore));
    assert_eq!(asked, [a_cls, a_cls, b_cls]);
    let got: Vec<Ref> = (0..6).map(|i| h.get_element(dst, i).unwrap()).collect();
    assert_eq!(got, [Ref::NULL, a, Ref::NULL, a, Ref::NULL, Ref::NULL]);
    // The same array: no checks, overlap semantics.
    let mut never = |_: LayoutId| panic!("no check for the same array");
    h.array_copy_checked(src, 0, src, 1, 4, &mut never).unwrap();
    let got: Vec<Ref> = (0..5).map(|i| h.get_element(src, i).unwrap()).collect();
    assert_eq!(got, [a, a, Ref::NULL, a, b]);
    // Errors before copying still come first.
    assert_eq!(
        h.array_copy_checked(src, 3, dst, 0, 3, &mut never).unwrap_err().to_string(),
        "index 6 out of bounds for length 5"
    );
}

#[test]
fn identity_hashes_are_stable_nonzero_and_spread() {
    let mut h = Heap::with_config(HeapConfig { hash_seed: 7, ..HeapConfig::new(1 << 20) }).unwrap();
    let l = h.register_layout(&Layout::instance(4, &[])).unwrap();
    let objs: Vec<Ref> = (0..1000).map(|_| h.alloc_instance(l).unwrap()).collect();
    let hashes: Vec<i32> = objs.iter().map(|&o| h.identity_hash(o).unwrap()).collect();
    for (&o, &hash) in objs.iter().zip(&hashes) {
        assert!(hash > 0);
        assert_eq!(h.identity_hash(o), Ok(hash));
        // The hash lives in the header, not in the fields.
        assert_eq!(h.get_field::<i32>(o, 0), Ok(0));
    }
    let mut distinct = hashes.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() > 990, "{}", distinct.len());
}

#[test]
fn clone_copies_contents_but_not_identity() {
    let mut h = heap();
    let l = h.register_layout(&Layout::instance(12, &[8])).unwrap();
    let longs = h.register_layout(&Layout::array(ElementKind::Long)).unwrap();
    let o = h.alloc_instance(l).unwrap();
    h.set_field(o, 0, -5i64).unwrap();
    h.set_field(o, 8, o).unwrap();
    let hash = h.identity_hash(o).unwrap();
    let c = h.alloc_clone(o).unwrap();
    assert_ne!(c, o);
    assert_eq!(h.layout_of(c), Ok(l));
    assert_eq!(h.get_field::<i64>(c, 0), Ok(-5));
    assert_eq!(h.get_field::<Ref>(c, 8), Ok(o)); // shallow
    assert_ne!(h.identity_hash(c).unwrap(), hash);
    assert_eq!(h.identity_hash(o), Ok(hash));
    let a = h.alloc_array(longs, 3).unwrap();
    h.set_element(a, 2, 99i64).unwrap();
    let ac = h.alloc_clone(a).unwrap();
    assert_eq!(h.array_length(ac), Ok(3));
    assert_eq!(h.array_kind(ac), Ok(Some(ElementKind::Long)));
    assert_eq!(h.get_element::<i64>(ac, 2), Ok(99));
    h.set_element(ac, 2, 1i64).unwrap();
    assert_eq!(h.get_element::<i64>(a, 2), Ok(99));
}

#[test]
fn layouts_are_validated() {
    let mut h = heap();
    assert_eq!(h.register_layout(&Layout::instance(8, &[2])), Err(LayoutError::MisalignedRef(2)));
    assert_eq!(h.register_layout(&Layout::instance(8, &[8])), Err(LayoutError::RefOutOfBounds(8)));
    assert_eq!(h.register_layout(&Layout::instance(7, &[4])), Err(LayoutError::RefOutOfBounds(4)));
    assert_eq!(h.register_layout(&Layout::instance(16, &[4, 0, 4])), Err(LayoutError::DuplicateRef(4)));
    assert_eq!(h.register_layout(&Layout::instance(u32::MAX, &[u32::MAX - 3])), Err(LayoutError::TooLarge(u32::MAX)));
    // Refused layouts take no id.
    assert_eq!(h.register_layout(&Layout::instance(16, &[12, 0])).map(|l| l.index()), Ok(0));
    assert_eq!(h.register_layout(&Layout::array(ElementKind::Int)).map(|l| l.index()), Ok(1));
}

#[test]
fn several_fields_written_after_one_check() {
    let mut h = heap();
    // long@0 int@8 int@12
    let tag = h.register_layout(&Layout::instance(16, &[])).unwrap();
    let o = h.alloc_instance(tag).unwrap();
    {
        let mut f = h.fields_mut(o, 0, 16).unwrap();
        f.set::<i64>(0, -2).unwrap();
        f.set::<i32>(8, 7).unwrap();
        f.set::<i32>(12, 9).unwrap();
        // Past the checked bytes: refused, nothing written.
        assert_eq!(f.set::<i32>(14, 1), Err(AccessError::Invalid));
    }
    assert_eq!(h.get_field::<i64>(o, 0), Ok(-2));
    assert_eq!(h.get_field::<i32>(o, 8), Ok(7));
    assert_eq!(h.get_field::<i32>(o, 12), Ok(9));
    {
        // A span from a later field: offsets count from its start.
        let mut f = h.fields_mut(o, 8, 8).unwrap();
        f.set::<i32>(4, 11).unwrap();
        assert_eq!(f.set::<i32>(8, 1), Err(AccessError::Invalid));
    }
    assert_eq!(h.get_field::<i32>(o, 8), Ok(7));
    assert_eq!(h.get_field::<i32>(o, 12), Ok(11));
    assert_eq!(h.fields_mut(Ref::NULL, 0, 16).err(), Some(AccessError::NullPointer));
    // Beyond the space's last object: refused (debug builds assert
    // earlier that the bytes fit the object's layout).
    if !cfg!(debug_assertions) {
        assert_eq!(h.fields_mut(o, 0, 1 << 16).err(), Some(AccessError::Invalid));
        assert_eq!(h.fields_mut(o, 1 << 16, 4).err(), Some(AccessError::Invalid));
    }
}

#[test]
fn a_field_span_is_written_until_a_collection_moves_its_object() {
    let mut h = heap();
    // long@0 int@8 int@12 int@16 (a MsgTag), after a filler object so
    // that the collection below moves it.
    let tag = h.register_layout(&Layout::instance(24, &[])).unwrap();
    let _garbage = h.alloc_instance(tag).unwrap();
    let mut o = h.alloc_instance(tag).unwrap();
    let span = h.field_span::<20>(o, 0).unwrap();
    {
        let mut f = h.span_fields(&span).unwrap();
        f.set_i64::<0>(-3);
        f.set_i32::<8>(1);
        f.set_i32::<16>(-1);
    }
    assert_eq!(h.get_field::<i64>(o, 0), Ok(-3));
    assert_eq!(h.get_field::<i32>(o, 8), Ok(1));
    assert_eq!(h.get_field::<i32>(o, 12), Ok(0));
    assert_eq!(h.get_field::<i32>(o, 16), Ok(-1));
    h.collect(&mut |t: &mut Tracer<'_>| t.visit(&mut o));
    assert!(!h.span_is_current(&span));
    assert!(h.span_fields(&span).is_none(), "the object moved: the span must be made again");
    let span = h.field_span::<20>(o, 0).unwrap();
    h.span_fields(&span).unwrap().set_i32::<12>(5);
    assert_eq!(h.get_field::<i64>(o, 0), Ok(-3), "the collection kept the fields");
    assert_eq!(h.get_field::<i32>(o, 12), Ok(5));
    // A span must start 8-aligned in memory, and be an object's.
    assert_eq!(h.field_span::<8>(o, 4).err(), Some(AccessError::Invalid));
    assert_eq!(h.field_span::<8>(Ref::NULL, 0).err(), Some(AccessError::NullPointer));
}
