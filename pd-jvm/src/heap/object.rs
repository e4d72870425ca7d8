//! Object format (see the table in the [module docs](super)), references,
//! and the typed accessors the interpreter uses.

use super::error::{AccessError, AllocError};
use super::layout::{array_size, ElementKind, LayoutId, LayoutInfo};
use super::space::SPACE_START;
use super::Heap;

pub(crate) const INSTANCE_HEADER: usize = 8;
pub(crate) const ARRAY_HEADER: usize = 16;
pub(crate) const FORWARDED: u32 = 1;
pub(crate) const KIND_SHIFT: u32 = 1;
pub(crate) const KIND_MASK: u32 = 0xF << KIND_SHIFT;
pub(crate) const HASH_SHIFT: u32 = 5;

/// A reference: the byte offset of an object's header in the current
/// semispace, or 0 for null. Offsets change when the collector moves
/// objects, so a `Ref` held across an allocation must be a root.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Ref(pub(crate) u32);

impl Ref {
    pub const NULL: Ref = Ref(0);

    pub const fn is_null(self) -> bool {
        self.0 == 0
    }

    /// The raw 32-bit value, for interpreter slots that store untyped words.
    pub const fn to_raw(self) -> u32 {
        self.0
    }

    /// A reference from a raw word previously produced by [`Ref::to_raw`].
    /// A made-up value can at worst name another object of this heap; the
    /// accessors bounds-check it and the collector discards it.
    pub const fn from_raw(raw: u32) -> Ref {
        Ref(raw)
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A value that can be stored in a field or array element: `i8` (`byte`
/// and `boolean`), `u16` (`char`), `i16`, `i32`, `i64`, `f32`, `f64`, and
/// [`Ref`].
pub trait Value: Copy + sealed::Sealed {
    /// Bytes in memory.
    const SIZE: usize;
    /// The array kind whose elements have this type (`i8` also accesses
    /// `boolean[]`, as `baload`/`bastore` do).
    const KIND: ElementKind;
    #[doc(hidden)]
    fn load(bytes: &[u8]) -> Self;
    #[doc(hidden)]
    fn store(self, bytes: &mut [u8]);
}

/// Bare-metal AArch64 targets are built `+strict-align`
/// (aarch64-unknown-none, rust-sel4's aarch64-sel4), where an access the
/// compiler cannot prove aligned becomes one byte at a time. Heap fields,
/// elements and headers are naturally aligned whenever the space is, so
/// there a check of the address picks the word access.
const STRICT_ALIGN: bool = cfg!(all(target_arch = "aarch64", target_os = "none"));

macro_rules! word_access {
    ($load:ident, $store:ident, $load_with:ident, $store_with:ident, $u:ty) => {
        /// A little-endian word from exactly its size in bytes.
        #[inline(always)]
        pub(crate) fn $load(bytes: &[u8]) -> $u {
            $load_with::<STRICT_ALIGN>(bytes)
        }

        #[inline(always)]
        pub(crate) fn $store(bytes: &mut [u8], v: $u) {
            $store_with::<STRICT_ALIGN>(bytes, v)
        }

        /// `CHECK`: access the word whole when its address is aligned.
        #[inline(always)]
        fn $load_with<const CHECK: bool>(bytes: &[u8]) -> $u {
            let b: &[u8; core::mem::size_of::<$u>()] = bytes.try_into().expect("a whole word");
            if CHECK && b.as_ptr() as usize % core::mem::align_of::<$u>() == 0 {
                // SAFETY: `b` is the word's size in bytes, at an address
                // aligned for it. Volatile, or LLVM merges the two loads
                // of the same bytes into the byte-wise one.
                return <$u>::from_le(unsafe { b.as_ptr().cast::<$u>().read_volatile() });
            }
            <$u>::from_le_bytes(*b)
        }

        #[inline(always)]
        fn $store_with<const CHECK: bool>(bytes: &mut [u8], v: $u) {
            let b: &mut [u8; core::mem::size_of::<$u>()] = bytes.try_into().expect("a whole word");
            if CHECK && b.as_ptr() as usize % core::mem::align_of::<$u>() == 0 {
                // SAFETY: as in the load.
                unsafe { b.as_mut_ptr().cast::<$u>().write(v.to_le()) };
                return;
            }
            *b = v.to_le_bytes();
        }
    };
}

word_access!(load_u16, store_u16, load_u16_with, store_u16_with, u16);
word_access!(load_u32, store_u32, load_u32_with, store_u32_with, u32);
word_access!(load_u64, store_u64, load_u64_with, store_u64_with, u64);

macro_rules! value {
    ($t:ty, $kind:ident, $from:expr, $to:expr) => {
        impl sealed::Sealed for $t {}
        impl Value for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            const KIND: ElementKind = ElementKind::$kind;
            #[inline]
            fn load(bytes: &[u8]) -> Self {
                $from(bytes)
            }
            #[inline]
            fn store(self, bytes: &mut [u8]) {
                $to(bytes, self)
            }
        }
    };
}

value!(i8, Byte, |b: &[u8]| b[0] as i8, |b: &mut [u8], v: i8| b.copy_from_slice(&[v as u8]));
value!(u16, Char, load_u16, store_u16);
value!(i16, Short, |b| load_u16(b) as i16, |b, v: i16| store_u16(b, v as u16));
value!(i32, Int, |b| load_u32(b) as i32, |b, v: i32| store_u32(b, v as u32));
value!(i64, Long, |b| load_u64(b) as i64, |b, v: i64| store_u64(b, v as u64));
value!(f32, Float, |b| f32::from_bits(load_u32(b)), |b, v: f32| store_u32(b, v.to_bits()));
value!(f64, Double, |b| f64::from_bits(load_u64(b)), |b, v: f64| store_u64(b, v.to_bits()));

impl sealed::Sealed for Ref {}
impl Value for Ref {
    const SIZE: usize = 4;
    const KIND: ElementKind = ElementKind::Reference;
    #[inline]
    fn load(bytes: &[u8]) -> Self {
        Ref(load_u32(bytes))
    }
    #[inline]
    fn store(self, bytes: &mut [u8]) {
        store_u32(bytes, self.0)
    }
}

#[inline]
fn kind_accepts<T: Value>(kind: ElementKind) -> bool {
    kind == T::KIND || (T::KIND == ElementKind::Byte && kind == ElementKind::Boolean)
}

/// An array's header, read once per operation.
#[derive(Clone, Copy)]
struct ArrayInfo {
    at: usize,
    kind: ElementKind,
    len: i32,
}

impl ArrayInfo {
    fn elements(&self) -> usize {
        self.at + ARRAY_HEADER
    }
}

/// Arrays longer than this cannot exist (Java lengths are `i32`).
const MAX_ARRAY_LEN: u32 = i32::MAX as u32;

impl Heap {
    /// Start of the header of a non-null reference that lies in the used
    /// part of the space, with at least `min` bytes of object.
    #[inline]
    fn object_at(&self, r: Ref, min: usize) -> Result<usize, AccessError> {
        if r.is_null() {
            return Err(AccessError::NullPointer);
        }
        let at = r.0 as usize;
        if at % 8 != 0 || at < SPACE_START || at.saturating_add(min) > self.cur.top {
            return Err(AccessError::Invalid);
        }
        Ok(at)
    }

    #[inline]
    fn array_info(&self, r: Ref) -> Result<ArrayInfo, AccessError> {
        let at = self.object_at(r, ARRAY_HEADER)?;
        let w1 = self.cur.u32_at(at + 4);
        let kind = ElementKind::from_code((w1 & KIND_MASK) >> KIND_SHIFT).ok_or(AccessError::Invalid)?;
        let len = self.cur.u32_at(at + 8);
        // The whole array must lie in the used space, so element offsets
        // computed from a checked index never need another range check.
        let end = (at + ARRAY_HEADER) as u64 + len as u64 * kind.size() as u64;
        if len > MAX_ARRAY_LEN || end > self.cur.top as u64 {
            return Err(AccessError::Invalid);
        }
        Ok(ArrayInfo { at, kind, len: len as i32 })
    }

    /// Byte offset of field `offset` of size `size`, after a null and
    /// range check. Whether the field exists in the object's layout (and
    /// is a reference exactly when `is_ref`) is the linker's promise,
    /// checked in debug builds only: it would cost a layout lookup per
    /// `getfield`, and a broken promise can only damage this heap.
    #[inline]
    fn field_at(&self, r: Ref, offset: u32, size: usize, is_ref: bool) -> Result<usize, AccessError> {
        let at = self.object_at(r, INSTANCE_HEADER)?;
        let start = (at + INSTANCE_HEADER).saturating_add(offset as usize);
        if start.saturating_add(size) > self.cur.top {
            return Err(AccessError::Invalid);
        }
        debug_assert!(self.field_matches_layout(at, offset, size, is_ref), "field {offset} does not fit object {r:?}");
        Ok(start)
    }

    fn field_matches_layout(&self, at: usize, offset: u32, size: usize, is_ref: bool) -> bool {
        let id = self.cur.u32_at(at) as usize;
        let Some(LayoutInfo::Instance { field_bytes, refs, .. }) = self.layouts.get(id) else {
            return false;
        };
        let (start, end) = (offset as usize + INSTANCE_HEADER, offset as usize + INSTANCE_HEADER + size);
        if offset as usize + size > *field_bytes as usize {
            return false;
        }
        let overlaps_ref = refs.iter().any(|&o| (o as usize) < end && o as usize + 4 > start);
        if is_ref {
            refs.binary_search(&(start as u32)).is_ok()
        } else {
            !overlaps_ref
        }
    }

    /// Reads a field at `offset` into the instance's field area (the
    /// offsets of the instance [`Layout`](super::Layout)).
    #[inline]
    pub fn get_field<T: Value>(&self, r: Ref, offset: u32) -> Result<T, AccessError> {
        let at = self.field_at(r, offset, T::SIZE, T::KIND == ElementKind::Reference)?;
        Ok(T::load(&self.cur.bytes[at..at + T::SIZE]))
    }

    /// Reads two fields of one object with one check of the object (the
    /// two halves of a handle, for instance).
    #[inline]
    pub fn get_field_pair<T: Value>(&self, r: Ref, a: u32, b: u32) -> Result<(T, T), AccessError> {
        self.get_two_fields::<T, T>(r, a, b)
    }

    /// Reads two fields of one object, of types `A` and `B`, with one
    /// check of the object (a wrapper's state and its native address).
    #[inline]
    pub fn get_two_fields<A: Value, B: Value>(&self, r: Ref, a: u32, b: u32) -> Result<(A, B), AccessError> {
        let (a_end, b_end) = (a as usize + A::SIZE, b as usize + B::SIZE);
        // The field that ends last is checked; the other ends below it.
        let base = if a_end >= b_end {
            self.field_at(r, a, A::SIZE, A::KIND == ElementKind::Reference)? - a as usize
        } else {
            self.field_at(r, b, B::SIZE, B::KIND == ElementKind::Reference)? - b as usize
        };
        debug_assert!(self.field_at(r, a, A::SIZE, A::KIND == ElementKind::Reference).is_ok());
        debug_assert!(self.field_at(r, b, B::SIZE, B::KIND == ElementKind::Reference).is_ok());
        let (x, y) = (base + a as usize, base + b as usize);
        Ok((A::load(&self.cur.bytes[x..x + A::SIZE]), B::load(&self.cur.bytes[y..y + B::SIZE])))
    }

    /// `len` bytes of an instance's field area from `start`, after one
    /// check of the object, to write several of its fields (an embedder
    /// filling in a record it hands to Java on every call). `start` is a
    /// field offset of the linker's, as for [`Heap::set_field`]; offsets
    /// into the result count from it, and one past `len` is `Invalid`.
    /// With a constant `len` and constant offsets, the writes need no
    /// further checks.
    #[inline]
    pub fn fields_mut(&mut self, r: Ref, start: u32, len: u32) -> Result<FieldsMut<'_>, AccessError> {
        let range = self.field_range(r, start, len)?;
        Ok(FieldsMut { bytes: &mut self.cur.bytes[range] })
    }

    /// [`Heap::fields_mut`] to read: several fields of one object (a
    /// wrapper's state) after one check of it.
    #[inline]
    pub fn fields(&self, r: Ref, start: u32, len: u32) -> Result<Fields<'_>, AccessError> {
        let range = self.field_range(r, start, len)?;
        Ok(Fields { bytes: &self.cur.bytes[range] })
    }

    /// Where `len` bytes of `r`'s field area from `start` lie in the
    /// current space, after a null and range check (the layout's promise,
    /// checked in debug builds only, as for single fields).
    #[inline]
    fn field_range(&self, r: Ref, start: u32, len: u32) -> Result<core::ops::Range<usize>, AccessError> {
        let at = self.object_at(r, INSTANCE_HEADER)? + INSTANCE_HEADER;
        let end = start as u64 + len as u64;
        debug_assert!(
            matches!(self.layouts.get(self.cur.u32_at(at - INSTANCE_HEADER) as usize),
                Some(LayoutInfo::Instance { field_bytes, .. }) if end <= *field_bytes as u64),
            "field bytes {start}..{end} do not fit object {r:?}"
        );
        let from = at + start as usize;
        let to = from.saturating_add(len as usize);
        if to > self.cur.top.min(self.cur.bytes.len()) {
            return Err(AccessError::Invalid);
        }
        Ok(from..to)
    }

    /// [`Heap::fields_mut`]'s checks of `N` bytes from `start`, done once
    /// for fields written again and again (a server's `MsgTag`, on every
    /// call): the span's offset, kept until a collection, which may move
    /// the object ([`Heap::span_fields`] then answers `None`). The span's
    /// address must be 8-aligned, so its words are written without
    /// alignment tests on strict-align targets.
    pub fn field_span<const N: usize>(&mut self, r: Ref, start: u32) -> Result<FieldSpan<N>, AccessError> {
        let len = u32::try_from(N).map_err(|_| AccessError::Invalid)?;
        let base = self.cur.bytes.as_ptr() as usize;
        let addr = self.fields_mut(r, start, len)?.bytes.as_ptr() as usize;
        if addr % 8 != 0 {
            return Err(AccessError::Invalid);
        }
        Ok(FieldSpan { at: addr - base, collections: self.stats.collections })
    }

    /// Whether no collection ran since `s` was made.
    #[inline]
    pub fn span_is_current<const N: usize>(&self, s: &FieldSpan<N>) -> bool {
        s.collections == self.stats.collections
    }

    /// The fields of a span [`Heap::field_span`] made, `None` if a
    /// collection ran since (make the span again).
    #[inline]
    pub fn span_fields<const N: usize>(&mut self, s: &FieldSpan<N>) -> Option<SpanFields<'_, N>> {
        if !self.span_is_current(s) {
            return None;
        }
        // SAFETY: `field_span` checked that `at..at + N` lies below `top`
        // of the current space, and 8-aligned. Only a collection swaps the
        // spaces or lowers `top` (the count differs then), and a space's
        // bytes are never reallocated.
        let p = unsafe { self.cur.bytes.as_mut_ptr().add(s.at) };
        Some(SpanFields { p, _heap: core::marker::PhantomData })
    }

    /// Replaces a field's value `v` with `f(v)`, with one check of the
    /// object (`o.f += k`).
    #[inline]
    pub fn update_field<T: Value>(&mut self, r: Ref, offset: u32, f: impl FnOnce(T) -> T) -> Result<(), AccessError> {
        let at = self.field_at(r, offset, T::SIZE, T::KIND == ElementKind::Reference)?;
        let bytes = &mut self.cur.bytes[at..at + T::SIZE];
        f(T::load(bytes)).store(bytes);
        Ok(())
    }

    /// Writes a field. Storing a [`Ref`] does no type check: the
    /// verifier guarantees `putfield` types.
    #[inline]
    pub fn set_field<T: Value>(&mut self, r: Ref, offset: u32, value: T) -> Result<(), AccessError> {
        let at = self.field_at(r, offset, T::SIZE, T::KIND == ElementKind::Reference)?;
        value.store(&mut self.cur.bytes[at..at + T::SIZE]);
        Ok(())
    }

    #[inline]
    fn element_at<T: Value>(&self, r: Ref, index: i32) -> Result<usize, AccessError> {
        let a = self.array_info(r)?;
        if !kind_accepts::<T>(a.kind) {
            return Err(AccessError::Invalid);
        }
        if index < 0 || index >= a.len {
            return Err(AccessError::IndexOutOfBounds { index: index as i64, length: a.len });
        }
        Ok(a.elements() + index as usize * T::SIZE)
    }

    /// Reads an array element (`xaload`). The element type must match the
    /// array kind (`i8` for `byte[]` and `boolean[]`), else `Invalid`.
    #[inline]
    pub fn get_element<T: Value>(&self, r: Ref, index: i32) -> Result<T, AccessError> {
        let at = self.element_at::<T>(r, index)?;
        Ok(T::load(&self.cur.bytes[at..at + T::SIZE]))
    }

    /// Writes an array element (`xastore`). For reference arrays the VM
    /// does the `ArrayStoreException` check first (it knows the classes);
    /// for `boolean[]` it masks the value to 0/1 as `bastore` requires.
    #[inline]
    pub fn set_element<T: Value>(&mut self, r: Ref, index: i32, value: T) -> Result<(), AccessError> {
        let at = self.element_at::<T>(r, index)?;
        value.store(&mut self.cur.bytes[at..at + T::SIZE]);
        Ok(())
    }

    /// `arraylength`: the header's checks of [`Heap::array_info`] but the
    /// elements' extent, which only element accesses need (inline: the
    /// interpreter's and the natives' most common array operation).
    #[inline]
    pub fn array_length(&self, r: Ref) -> Result<i32, AccessError> {
        let at = self.object_at(r, ARRAY_HEADER)?;
        let code = (self.cur.u32_at(at + 4) & KIND_MASK) >> KIND_SHIFT;
        let len = self.cur.u32_at(at + 8);
        if ElementKind::from_code(code).is_none() || len > MAX_ARRAY_LEN {
            return Err(AccessError::Invalid);
        }
        Ok(len as i32)
    }

    /// The element kind if `r` is an array, `None` for an instance.
    pub fn array_kind(&self, r: Ref) -> Result<Option<ElementKind>, AccessError> {
        let at = self.object_at(r, INSTANCE_HEADER)?;
        let code = (self.cur.u32_at(at + 4) & KIND_MASK) >> KIND_SHIFT;
        if code == 0 {
            return Ok(None);
        }
        ElementKind::from_code(code).map(Some).ok_or(AccessError::Invalid)
    }

    /// The layout (hence the class) of an object: `getClass`, `instanceof`,
    /// `checkcast` and virtual dispatch start here.
    #[inline]
    pub fn layout_of(&self, r: Ref) -> Result<LayoutId, AccessError> {
        let at = self.object_at(r, INSTANCE_HEADER)?;
        Ok(LayoutId(self.cur.u32_at(at)))
    }

    /// Bytes the object occupies, header and padding included.
    pub fn object_size(&self, r: Ref) -> Result<usize, AccessError> {
        let at = self.object_at(r, INSTANCE_HEADER)?;
        object_size(&self.cur.bytes[..self.cur.top], at, &self.layouts).ok_or(AccessError::Invalid)
    }

    /// The elements of a primitive array as bytes (little-endian), for
    /// natives that fill or read `byte[]`/`char[]`/... in bulk.
    pub fn array_bytes(&self, r: Ref) -> Result<&[u8], AccessError> {
        let (start, end) = self.primitive_bytes(r)?;
        Ok(&self.cur.bytes[start..end])
    }

    /// Mutable form of [`Heap::array_bytes`]. Reference arrays are refused
    /// (`Invalid`): writing their bytes would forge references.
    pub fn array_bytes_mut(&mut self, r: Ref) -> Result<&mut [u8], AccessError> {
        let (start, end) = self.primitive_bytes(r)?;
        Ok(&mut self.cur.bytes[start..end])
    }

    fn primitive_bytes(&self, r: Ref) -> Result<(usize, usize), AccessError> {
        let a = self.array_info(r)?;
        if !a.kind.is_primitive() {
            return Err(AccessError::Invalid);
        }
        let start = a.elements();
        Ok((start, start + a.len as usize * a.kind.size()))
    }

    /// `System.identityHashCode`: assigned on first use from the heap's
    /// PRNG, kept in the header so it survives moves; never 0 and never
    /// negative.
    pub fn identity_hash(&mut self, r: Ref) -> Result<i32, AccessError> {
        let at = self.object_at(r, INSTANCE_HEADER)?;
        let w1 = self.cur.u32_at(at + 4);
        let hash = w1 >> HASH_SHIFT;
        if hash != 0 {
            return Ok(hash as i32);
        }
        let hash = self.next_hash();
        self.cur.set_u32(at + 4, (w1 & !(u32::MAX << HASH_SHIFT)) | (hash << HASH_SHIFT));
        Ok(hash as i32)
    }

    /// A fresh 27-bit non-zero hash (xorshift32).
    fn next_hash(&mut self) -> u32 {
        loop {
            let mut x = self.hash_state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            self.hash_state = x;
            let h = x >> HASH_SHIFT;
            if h != 0 {
                return h;
            }
        }
    }

    /// `System.arraycopy` between arrays the VM knows to be compatible
    /// without per-element checks: primitive arrays of one kind, the same
    /// array, or reference arrays whose source component type is
    /// assignable to the destination's. Checks and exceptions follow the
    /// `System.arraycopy` Javadoc in its order (null → `NullPointer`; not
    /// arrays or different kinds → `ArrayStore`; bad positions or length →
    /// `IndexOutOfBounds`), nothing is written on error, and overlapping
    /// ranges of one array copy as if through a temporary array.
    pub fn array_copy(&mut self, src: Ref, src_pos: i32, dst: Ref, dst_pos: i32, len: i32) -> Result<(), AccessError> {
        let (s, d) = self.copy_operands(src, src_pos, dst, dst_pos, len)?;
        let size = s.kind.size();
        let from = s.elements() + src_pos as usize * size;
        let to = d.elements() + dst_pos as usize * size;
        self.cur.bytes.copy_within(from..from + len as usize * size, to);
        Ok(())
    }

    /// `System.arraycopy` between reference arrays whose component types
    /// are not known compatible: `assignable(layout)` says whether a
    /// (non-null) source element of that layout may be stored in `dst`.
    /// As the Javadoc requires, elements before the first rejected one are
    /// copied, then `ArrayStore` is returned. The same array needs no
    /// checks and copies with overlap semantics.
    pub fn array_copy_checked(
        &mut self,
        src: Ref,
        src_pos: i32,
        dst: Ref,
        dst_pos: i32,
        len: i32,
        assignable: &mut dyn FnMut(LayoutId) -> bool,
    ) -> Result<(), AccessError> {
        let (s, d) = self.copy_operands(src, src_pos, dst, dst_pos, len)?;
        if s.at == d.at || s.kind != ElementKind::Reference {
            return self.array_copy(src, src_pos, dst, dst_pos, len);
        }
        // Distinct arrays never overlap: a forward loop is exact.
        for i in 0..len as usize {
            let from = s.elements() + (src_pos as usize + i) * 4;
            let to = d.elements() + (dst_pos as usize + i) * 4;
            let r = Ref(self.cur.u32_at(from));
            if !r.is_null() {
                let layout = self.layout_of(r).map_err(|_| AccessError::Invalid)?;
                if !assignable(layout) {
                    return Err(AccessError::ArrayStore);
                }
            }
            self.cur.set_u32(to, r.0);
        }
        Ok(())
    }

    fn copy_operands(
        &self,
        src: Ref,
        src_pos: i32,
        dst: Ref,
        dst_pos: i32,
        len: i32,
    ) -> Result<(ArrayInfo, ArrayInfo), AccessError> {
        if src.is_null() || dst.is_null() {
            return Err(AccessError::NullPointer);
        }
        let array = |r: Ref| -> Result<ArrayInfo, AccessError> {
            match self.array_kind(r)? {
                None => Err(AccessError::ArrayStore),
                Some(_) => self.array_info(r),
            }
        };
        let (s, d) = (array(src)?, array(dst)?);
        if s.kind != d.kind {
            return Err(AccessError::ArrayStore);
        }
        let oob = |index: i64, length: i32| Err(AccessError::IndexOutOfBounds { index, length });
        if src_pos < 0 {
            return oob(src_pos as i64, s.len);
        }
        if dst_pos < 0 {
            return oob(dst_pos as i64, d.len);
        }
        if len < 0 {
            return oob(len as i64, s.len);
        }
        if src_pos as i64 + len as i64 > s.len as i64 {
            return oob(src_pos as i64 + len as i64, s.len);
        }
        if dst_pos as i64 + len as i64 > d.len as i64 {
            return oob(dst_pos as i64 + len as i64, d.len);
        }
        Ok((s, d))
    }

    /// `Object.clone` (shallow): a new object of the same layout (and
    /// length) with the same contents and no identity hash yet. May fail
    /// like any allocation; on `NeedsGc` root `r`, collect, and retry with
    /// the updated `r`.
    pub fn alloc_clone(&mut self, r: Ref) -> Result<Ref, AllocError> {
        let at = self.object_at(r, INSTANCE_HEADER).map_err(|_| AllocError::Invalid)?;
        let size = object_size(&self.cur.bytes[..self.cur.top], at, &self.layouts).ok_or(AllocError::Invalid)?;
        let new = self.alloc_raw(size, false)?;
        self.cur.bytes.copy_within(at..at + size, new);
        let w1 = self.cur.u32_at(new + 4);
        self.cur.set_u32(new + 4, w1 & KIND_MASK);
        Ok(Ref(new as u32))
    }
}

/// Size of the object at `at` from its header, or `None` if the header is
/// not a consistent object that fits in `bytes` (used by the collector to
/// drop references a VM bug forged instead of panicking).
pub(crate) fn object_size(bytes: &[u8], at: usize, layouts: &[LayoutInfo]) -> Option<usize> {
    let word = |i: usize| bytes.get(i..i + 4).map(load_u32);
    let id = word(at)? as usize;
    let code = (word(at + 4)? & KIND_MASK) >> KIND_SHIFT;
    let size = match (layouts.get(id)?, code) {
        (LayoutInfo::Instance { size, .. }, 0) => *size as usize,
        (LayoutInfo::Array(kind), c) if c == *kind as u32 => {
            let len = word(at + 8)?;
            if len > MAX_ARRAY_LEN {
                return None;
            }
            array_size(*kind, len as u64)?
        }
        _ => return None,
    };
    (at.checked_add(size)? <= bytes.len()).then_some(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both ways of each word access, at every offset of an aligned
    /// buffer: the same little-endian bytes either way.
    #[test]
    fn word_accesses_agree_aligned_or_not() {
        #[repr(align(8))]
        struct Buf([u8; 24]);
        let mut buf = Buf([0; 24]);
        for at in 0..8 {
            let v = 0x0102_0304_0506_0708u64.wrapping_mul(at as u64 + 1);
            for checked in [false, true] {
                buf.0 = [0xee; 24];
                let b = &mut buf.0[at..];
                if checked {
                    store_u64_with::<true>(&mut b[..8], v);
                    store_u32_with::<true>(&mut b[8..12], v as u32);
                    store_u16_with::<true>(&mut b[12..14], v as u16);
                } else {
                    store_u64_with::<false>(&mut b[..8], v);
                    store_u32_with::<false>(&mut b[8..12], v as u32);
                    store_u16_with::<false>(&mut b[12..14], v as u16);
                }
                assert_eq!(b[..8], v.to_le_bytes(), "at {at}, checked {checked}");
                assert_eq!(b[8..12], (v as u32).to_le_bytes());
                assert_eq!(b[12..14], (v as u16).to_le_bytes());
                assert_eq!(b[14], 0xee, "nothing written past the words");
                for c in [false, true] {
                    let (x, y, z) = if c {
                        (
                            load_u64_with::<true>(&b[..8]),
                            load_u32_with::<true>(&b[8..12]),
                            load_u16_with::<true>(&b[12..14]),
                        )
                    } else {
                        (
                            load_u64_with::<false>(&b[..8]),
                            load_u32_with::<false>(&b[8..12]),
                            load_u16_with::<false>(&b[12..14]),
                        )
                    };
                    assert_eq!((x, y, z), (v, v as u32, v as u16), "at {at}");
                }
            }
        }
    }
}

/// `N` bytes of one object's fields, checked and 8-aligned, at an offset
/// that holds until the next collection ([`Heap::field_span`]).
#[derive(Clone, Copy, Debug)]
pub struct FieldSpan<const N: usize> {
    /// Of the span's first byte, in the current space.
    at: usize,
    /// The heap's completed collections when it was made.
    collections: u64,
}

/// The fields of a [`FieldSpan`], while the heap is borrowed.
pub struct SpanFields<'h, const N: usize> {
    p: *mut u8,
    _heap: core::marker::PhantomData<&'h mut Heap>,
}

impl<const N: usize> SpanFields<'_, N> {
    /// Writes a `long` at byte `OFF` (8-aligned, within the span: checked
    /// when compiled).
    #[inline(always)]
    pub fn set_i64<const OFF: usize>(&mut self, v: i64) {
        const { assert!(OFF % 8 == 0 && OFF + 8 <= N) };
        // SAFETY: in bounds and aligned (above and `Heap::span_fields`);
        // the heap is little-endian.
        unsafe { self.p.add(OFF).cast::<i64>().write(v.to_le()) }
    }

    /// Writes an `int` at byte `OFF` (4-aligned, within the span).
    #[inline(always)]
    pub fn set_i32<const OFF: usize>(&mut self, v: i32) {
        const { assert!(OFF % 4 == 0 && OFF + 4 <= N) };
        // SAFETY: as in `set_i64`.
        unsafe { self.p.add(OFF).cast::<i32>().write(v.to_le()) }
    }
}

/// Fields of one instance checked once ([`Heap::fields_mut`]).
pub struct FieldsMut<'h> {
    bytes: &'h mut [u8],
}

/// Fields of one object checked once ([`Heap::fields`]), to read.
pub struct Fields<'h> {
    bytes: &'h [u8],
}

impl Fields<'_> {
    /// Reads the field at `offset` (from the checked bytes' start),
    /// `Invalid` if it does not lie within them.
    #[inline]
    pub fn get<T: Value>(&self, offset: u32) -> Result<T, AccessError> {
        let at = offset as usize;
        Ok(T::load(self.bytes.get(at..at + T::SIZE).ok_or(AccessError::Invalid)?))
    }
}

impl FieldsMut<'_> {
    /// Writes the field at `offset` (from the checked bytes' start),
    /// `Invalid` if it does not lie within them.
    #[inline]
    pub fn set<T: Value>(&mut self, offset: u32, value: T) -> Result<(), AccessError> {
        let at = offset as usize;
        let bytes = self.bytes.get_mut(at..at + T::SIZE).ok_or(AccessError::Invalid)?;
        value.store(bytes);
        Ok(())
    }
}
