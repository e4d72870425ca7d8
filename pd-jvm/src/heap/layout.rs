//! Object layouts. The heap never sees Java classes: the VM registers one
//! [`Layout`] per class (instance or array) and gets a dense [`LayoutId`]
//! back, which it stores in the class and which every object header
//! carries. A layout says only what the collector and the accessors need:
//! how big an object is and where its references are.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use super::object::{ARRAY_HEADER, INSTANCE_HEADER};

/// Largest field area of an instance layout. Java caps a class at 65535
/// fields of at most 8 bytes; anything larger is a VM bug, and the bound
/// keeps every size computation far from `u32` overflow.
pub const MAX_FIELD_BYTES: u32 = 1 << 24;

/// Array element type. The discriminants are the JVMS `newarray` `atype`
/// codes (4..=11) plus 12 for references, so `newarray` maps directly
/// ([`ElementKind::from_atype`]) and the code fits the header's 4-bit field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ElementKind {
    Boolean = 4,
    Char = 5,
    Float = 6,
    Double = 7,
    Byte = 8,
    Short = 9,
    Int = 10,
    Long = 11,
    Reference = 12,
}

impl ElementKind {
    /// Bytes per element (booleans take a byte, as in HotSpot; references
    /// are 32-bit heap offsets).
    pub const fn size(self) -> usize {
        match self {
            ElementKind::Boolean | ElementKind::Byte => 1,
            ElementKind::Char | ElementKind::Short => 2,
            ElementKind::Int | ElementKind::Float | ElementKind::Reference => 4,
            ElementKind::Long | ElementKind::Double => 8,
        }
    }

    /// The kind for a `newarray` `atype` operand (4..=11); `None` for
    /// anything else (the verifier rejects such code, but never trust it).
    pub const fn from_atype(atype: u8) -> Option<Self> {
        match atype {
            4..=11 => Self::from_code(atype as u32),
            _ => None,
        }
    }

    pub(crate) const fn from_code(code: u32) -> Option<Self> {
        Some(match code {
            4 => ElementKind::Boolean,
            5 => ElementKind::Char,
            6 => ElementKind::Float,
            7 => ElementKind::Double,
            8 => ElementKind::Byte,
            9 => ElementKind::Short,
            10 => ElementKind::Int,
            11 => ElementKind::Long,
            12 => ElementKind::Reference,
            _ => return None,
        })
    }

    /// Whether elements are plain bytes (byte views are allowed): every
    /// kind but references, whose bytes must never be forged.
    pub const fn is_primitive(self) -> bool {
        !matches!(self, ElementKind::Reference)
    }
}

/// Identifies a registered layout. Dense from 0 in registration order, so
/// the VM can map it back to its class with a plain `Vec`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LayoutId(pub(crate) u32);

impl LayoutId {
    /// The dense index (0 for the first registered layout).
    pub const fn index(self) -> u32 {
        self.0
    }
}

/// What the VM registers for a class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A class instance: `field_bytes` of fields after the header, with
    /// 32-bit references at `ref_offsets` (offsets into the field area,
    /// 4-aligned, any order). Field accessors take the same offsets.
    Instance { field_bytes: u32, ref_offsets: Vec<u32> },
    /// An array class. Each array class (`int[]`, `String[]`, `Object[][]`)
    /// gets its own layout so the header identifies the class.
    Array(ElementKind),
}

impl Layout {
    pub fn instance(field_bytes: u32, ref_offsets: &[u32]) -> Self {
        Layout::Instance { field_bytes, ref_offsets: ref_offsets.to_vec() }
    }

    pub fn array(kind: ElementKind) -> Self {
        Layout::Array(kind)
    }
}

/// A layout the heap refused; always a VM bug, reported rather than
/// trusted because a wrong reference map would corrupt the heap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayoutError {
    /// The field area exceeds [`MAX_FIELD_BYTES`].
    TooLarge(u32),
    /// A reference offset is not a multiple of 4.
    MisalignedRef(u32),
    /// A reference does not fit in the field area.
    RefOutOfBounds(u32),
    /// The same reference offset twice.
    DuplicateRef(u32),
    /// More layouts than ids.
    TooManyLayouts,
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayoutError::TooLarge(n) => write!(f, "instance field area of {n} bytes is too large"),
            LayoutError::MisalignedRef(o) => write!(f, "reference field at offset {o} is not 4-aligned"),
            LayoutError::RefOutOfBounds(o) => write!(f, "reference field at offset {o} is outside the field area"),
            LayoutError::DuplicateRef(o) => write!(f, "reference field at offset {o} listed twice"),
            LayoutError::TooManyLayouts => f.write_str("too many layouts"),
        }
    }
}

impl core::error::Error for LayoutError {}

/// The checked, collector-ready form of a [`Layout`].
#[derive(Debug)]
pub(crate) enum LayoutInfo {
    /// `size`: whole object in bytes, header included, 8-aligned.
    /// `refs`: reference offsets from the object start, sorted.
    Instance {
        size: u32,
        field_bytes: u32,
        refs: Box<[u32]>,
    },
    Array(ElementKind),
}

impl LayoutInfo {
    pub(crate) fn check(layout: &Layout) -> Result<Self, LayoutError> {
        match layout {
            Layout::Array(kind) => Ok(LayoutInfo::Array(*kind)),
            Layout::Instance { field_bytes, ref_offsets } => {
                let field_bytes = *field_bytes;
                if field_bytes > MAX_FIELD_BYTES {
                    return Err(LayoutError::TooLarge(field_bytes));
                }
                let mut refs: Vec<u32> = ref_offsets.clone();
                refs.sort_unstable();
                for (i, &o) in refs.iter().enumerate() {
                    if o % 4 != 0 {
                        return Err(LayoutError::MisalignedRef(o));
                    }
                    if o.checked_add(4).is_none_or(|end| end > field_bytes) {
                        return Err(LayoutError::RefOutOfBounds(o));
                    }
                    if i > 0 && refs[i - 1] == o {
                        return Err(LayoutError::DuplicateRef(o));
                    }
                }
                let header = INSTANCE_HEADER as u32;
                let refs = refs.into_iter().map(|o| o + header).collect();
                let size = align8(INSTANCE_HEADER + field_bytes as usize) as u32;
                Ok(LayoutInfo::Instance { size, field_bytes, refs })
            }
        }
    }
}

/// Rounds up to the 8-byte object alignment (keeps longs and doubles
/// naturally aligned and leaves room for the forwarding header).
pub(crate) const fn align8(n: usize) -> usize {
    (n + 7) & !7
}

/// Bytes of an array of `len` elements, or `None` if it cannot fit in
/// `u32`-addressed memory at all.
pub(crate) fn array_size(kind: ElementKind, len: u64) -> Option<usize> {
    let bytes = (ARRAY_HEADER as u64).checked_add(len.checked_mul(kind.size() as u64)?)?;
    let bytes = (bytes + 7) & !7;
    if bytes > u32::MAX as u64 {
        return None;
    }
    usize::try_from(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(array_size(ElementKind::Byte, 0), Some(16));
        assert_eq!(array_size(ElementKind::Byte, 1), Some(24));
        assert_eq!(array_size(ElementKind::Char, 4), Some(24));
        assert_eq!(array_size(ElementKind::Long, 3), Some(40));
        assert_eq!(array_size(ElementKind::Long, i32::MAX as u64), None);
        assert_eq!(array_size(ElementKind::Long, u64::MAX), None);
        let info = LayoutInfo::check(&Layout::instance(13, &[4])).unwrap();
        let LayoutInfo::Instance { size, refs, .. } = info else { panic!() };
        assert_eq!((size, &*refs), (24, &[12][..]));
        let LayoutInfo::Instance { size, .. } = LayoutInfo::check(&Layout::instance(0, &[])).unwrap() else { panic!() };
        assert_eq!(size, 8);
    }
}
