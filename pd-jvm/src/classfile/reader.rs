//! Bounds-checked big-endian cursor over the class-file bytes.
//!
//! All reads go through here so that no other module indexes the input
//! directly; every read either succeeds or returns `ErrorKind::Truncated`
//! with the absolute file offset, so hostile input cannot cause a panic.

use super::error::{ClassFormatError, ErrorKind, Result};

/// A cursor over `bytes`, reporting offsets relative to the whole class file.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader over the whole class file.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Current absolute offset in the class file.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    /// An error of `kind` at the current offset.
    pub fn error(&self, kind: ErrorKind) -> ClassFormatError {
        ClassFormatError::new(kind, self.pos)
    }

    /// Consume exactly `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n);
        match end.and_then(|end| self.bytes.get(self.pos..end)) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(self.error(ErrorKind::Truncated { needed: n, available: self.remaining() })),
        }
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let s = self.bytes(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// Read a `u1`.
    pub fn u1(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// Read a big-endian `u2`.
    pub fn u2(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// Read a big-endian `u4`.
    pub fn u4(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// Read a big-endian `u8` (two `u4`s, as used by Long/Double constants).
    pub fn u8(&mut self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// Read a `u2` count of items that occupy at least `min_size` bytes each,
    /// failing fast if they cannot fit in the remaining input. This keeps a
    /// hostile `count = 65535` from causing a large allocation.
    pub fn count(&mut self, what: &'static str, min_size: usize) -> Result<u16> {
        let at = self.pos;
        let count = self.u2()?;
        self.check_count(what, usize::from(count), min_size, at)?;
        Ok(count)
    }

    /// Check that `count` items of at least `min_size` bytes fit in the input.
    pub fn check_count(&self, what: &'static str, count: usize, min_size: usize, at: usize) -> Result<()> {
        let remaining = self.remaining();
        match count.checked_mul(min_size) {
            Some(total) if total <= remaining => Ok(()),
            _ => Err(ClassFormatError::new(ErrorKind::CountExceedsInput { what, count, remaining }, at)),
        }
    }
}
