//! Class images: the classes of a Java PD (its program and our class
//! library), packed at build time by `capuchin pack` and embedded in the PD
//! (000's "ROMizer", without pre-linking: classes are still parsed and
//! verified when loaded, because the image is only as trusted as its build).
//!
//! Layout, all integers little-endian:
//!
//! ```text
//! magic    "CPCI"            4 bytes
//! version  u16 = 1, reserved u16 = 0
//! count    u32               number of classes
//! index    count × { name_offset u32, name_len u32, data_offset u32, data_len u32 }
//!          sorted by name (bytewise), names unique
//! blob     names and class-file bytes, referenced by the index
//! ```
//!
//! Names are internal class names (`java/lang/String`). Lookups are binary
//! searches over the index and return slices borrowed from the image.

use alloc::vec::Vec;
use core::fmt;

pub const MAGIC: &[u8; 4] = b"CPCI";
pub const VERSION: u16 = 1;
const HEADER: usize = 12;
const ENTRY: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    BadMagic,
    UnsupportedVersion(u16),
    Truncated {
        what: &'static str,
        offset: usize,
    },
    /// An index entry points outside the image.
    OutOfBounds {
        entry: u32,
    },
    /// Names are not strictly increasing at this entry (unsorted or duplicate).
    Unsorted {
        entry: u32,
    },
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::BadMagic => write!(f, "class image: bad magic (expected \"CPCI\")"),
            ImageError::UnsupportedVersion(v) => write!(f, "class image: unsupported version {v} (this VM reads 1)"),
            ImageError::Truncated { what, offset } => write!(f, "class image: truncated {what} at offset {offset}"),
            ImageError::OutOfBounds { entry } => write!(f, "class image: entry {entry} points outside the image"),
            ImageError::Unsorted { entry } => {
                write!(f, "class image: entry {entry} is out of order or a duplicate name")
            }
        }
    }
}

fn u32_at(bytes: &[u8], offset: usize, what: &'static str) -> Result<u32, ImageError> {
    bytes
        .get(offset..offset + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or(ImageError::Truncated { what, offset })
}

/// A validated class image borrowed from its bytes.
#[derive(Clone, Copy)]
pub struct ClassImage<'a> {
    bytes: &'a [u8],
    count: u32,
}

impl<'a> ClassImage<'a> {
    /// Checks the header and every index entry once, so lookups need no
    /// further checks.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ImageError> {
        if bytes.len() < 4 || &bytes[..4] != MAGIC {
            return Err(ImageError::BadMagic);
        }
        let version = bytes
            .get(4..6)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or(ImageError::Truncated { what: "header", offset: 4 })?;
        if version != VERSION {
            return Err(ImageError::UnsupportedVersion(version));
        }
        let count = u32_at(bytes, 8, "header")?;
        let index_end = (count as usize)
            .checked_mul(ENTRY)
            .and_then(|n| n.checked_add(HEADER))
            .filter(|&end| end <= bytes.len())
            .ok_or(ImageError::Truncated { what: "index", offset: HEADER })?;
        let image = Self { bytes, count };
        let mut previous: Option<&[u8]> = None;
        for i in 0..count {
            let (name, _) = image.entry_checked(i, index_end)?;
            if previous.is_some_and(|p| p >= name) {
                return Err(ImageError::Unsorted { entry: i });
            }
            previous = Some(name);
        }
        Ok(image)
    }

    fn entry_checked(&self, i: u32, index_end: usize) -> Result<(&'a [u8], &'a [u8]), ImageError> {
        let at = HEADER + i as usize * ENTRY;
        let field = |k: usize| u32_at(self.bytes, at + 4 * k, "index entry").map(|v| v as usize);
        let slice = |off: usize, len: usize| {
            off.checked_add(len)
                .filter(|&end| off >= index_end && end <= self.bytes.len())
                .map(|end| &self.bytes[off..end])
                .ok_or(ImageError::OutOfBounds { entry: i })
        };
        Ok((slice(field(0)?, field(1)?)?, slice(field(2)?, field(3)?)?))
    }

    fn entry(&self, i: u32) -> (&'a [u8], &'a [u8]) {
        // Validated in `parse`.
        let index_end = HEADER + self.count as usize * ENTRY;
        self.entry_checked(i, index_end).expect("entries validated by ClassImage::parse")
    }

    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The class file of `name` (internal form).
    pub fn get(&self, name: &[u8]) -> Option<&'a [u8]> {
        let (mut lo, mut hi) = (0u32, self.count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (n, data) = self.entry(mid);
            match n.cmp(name) {
                core::cmp::Ordering::Less => lo = mid + 1,
                core::cmp::Ordering::Greater => hi = mid,
                core::cmp::Ordering::Equal => return Some(data),
            }
        }
        None
    }

    /// All `(name, class file)` pairs in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + '_ {
        (0..self.count).map(|i| self.entry(i))
    }
}

/// Builds an image from `(name, class file)` pairs; names must be unique.
pub fn build<'n>(classes: impl IntoIterator<Item = (&'n [u8], &'n [u8])>) -> Result<Vec<u8>, &'n [u8]> {
    let mut classes: Vec<_> = classes.into_iter().collect();
    classes.sort_by(|a, b| a.0.cmp(b.0));
    if let Some(w) = classes.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(w[0].0);
    }
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(classes.len() as u32).to_le_bytes());
    let mut blob_at = HEADER + classes.len() * ENTRY;
    let mut blob = Vec::new();
    for (name, data) in &classes {
        for (off, len) in [(blob_at, name.len()), (blob_at + name.len(), data.len())] {
            out.extend_from_slice(&(off as u32).to_le_bytes());
            out.extend_from_slice(&(len as u32).to_le_bytes());
        }
        blob.extend_from_slice(name);
        blob.extend_from_slice(data);
        blob_at += name.len() + data.len();
    }
    out.extend_from_slice(&blob);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let entries: [(&[u8], &[u8]); 3] = [(b"b/B", b"\xca\xfe2"), (b"a/A", b"\xca\xfe1"), (b"c", b"")];
        build(entries).unwrap()
    }

    #[test]
    fn round_trip_and_lookup() {
        let bytes = sample();
        let img = ClassImage::parse(&bytes).unwrap();
        assert_eq!(img.len(), 3);
        assert_eq!(img.get(b"a/A"), Some(&b"\xca\xfe1"[..]));
        assert_eq!(img.get(b"b/B"), Some(&b"\xca\xfe2"[..]));
        assert_eq!(img.get(b"c"), Some(&b""[..]));
        assert_eq!(img.get(b"a"), None);
        assert_eq!(img.get(b"zzz"), None);
        let names: Vec<&[u8]> = img.iter().map(|(n, _)| n).collect();
        assert_eq!(names, [&b"a/A"[..], b"b/B", b"c"]);
    }

    #[test]
    fn duplicates_are_refused_when_building() {
        let entries: [(&[u8], &[u8]); 2] = [(b"x", b"1"), (b"x", b"2")];
        assert_eq!(build(entries), Err(&b"x"[..]));
    }

    #[test]
    fn hostile_images_are_rejected_and_never_panic() {
        let good = sample();
        assert_eq!(ClassImage::parse(b"NOPE").err(), Some(ImageError::BadMagic));
        let mut v2 = good.clone();
        v2[4] = 2;
        assert_eq!(ClassImage::parse(&v2).err(), Some(ImageError::UnsupportedVersion(2)));
        // Every truncation fails cleanly.
        for n in 0..good.len() {
            assert!(ClassImage::parse(&good[..n]).is_err(), "prefix {n} accepted");
        }
        // A huge count.
        let mut huge = good.clone();
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(ClassImage::parse(&huge), Err(ImageError::Truncated { .. })));
        // An entry pointing past the end, or into the index.
        let mut oob = good.clone();
        oob[HEADER + 12..HEADER + 16].copy_from_slice(&1000u32.to_le_bytes());
        assert_eq!(ClassImage::parse(&oob).err(), Some(ImageError::OutOfBounds { entry: 0 }));
        let mut into_index = good.clone();
        into_index[HEADER..HEADER + 4].copy_from_slice(&0u32.to_le_bytes());
        assert_eq!(ClassImage::parse(&into_index).err(), Some(ImageError::OutOfBounds { entry: 0 }));
        // Swapped entries: unsorted.
        let mut unsorted = good.clone();
        let (a, b) = (HEADER..HEADER + ENTRY, HEADER + ENTRY..HEADER + 2 * ENTRY);
        let first: Vec<u8> = unsorted[a.clone()].to_vec();
        let second: Vec<u8> = unsorted[b.clone()].to_vec();
        unsorted[a].copy_from_slice(&second);
        unsorted[b].copy_from_slice(&first);
        assert_eq!(ClassImage::parse(&unsorted).err(), Some(ImageError::Unsorted { entry: 1 }));
        // Random byte flips never panic.
        let mut seed = 0x1234_5678u32;
        for _ in 0..20_000 {
            let mut m = good.clone();
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let i = seed as usize % m.len();
            m[i] ^= (seed >> 8) as u8 | 1;
            if let Ok(img) = ClassImage::parse(&m) {
                for (n, _) in img.iter() {
                    let _ = img.get(n);
                }
            }
        }
    }
}
