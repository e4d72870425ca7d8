//! Memory regions that system.xml maps into this PD.
//!
//! A region is found by the `setvar_vaddr` symbol name its `<map>` gives
//! (the name a Microkit PD would declare with `memory_region_symbol!`), or by
//! the memory region's own name. Accesses are bounds-checked copies: the
//! other side of a shared region may write it at any time, so we never hand
//! out Rust references into it.

use core::fmt;

/// A mapped memory region.
#[derive(Clone, Copy)]
pub struct MemoryRegion {
    name: &'static str,
    base: *mut u8,
    size: usize,
    writable: bool,
    /// Physical (IO) address, when the system gives the region one.
    phys: Option<u64>,
}

// The region is plain shared memory; the pointer is valid for the PD's life.
unsafe impl Send for MemoryRegion {}
unsafe impl Sync for MemoryRegion {}

/// An access outside a region, or a write to a read-only mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionError {
    OutOfBounds {
        region: &'static str,
        offset: usize,
        len: usize,
        size: usize,
    },
    ReadOnly {
        region: &'static str,
    },
    /// No `<map>` in system.xml gives this PD a region by that name.
    NotMapped {
        name: alloc::string::String,
    },
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegionError::OutOfBounds { region, offset, len, size } => {
                write!(f, "access of {len} bytes at offset {offset} outside memory region '{region}' ({size} bytes)")
            }
            RegionError::ReadOnly { region } => write!(f, "memory region '{region}' is mapped read-only"),
            RegionError::NotMapped { name } => {
                write!(f, "no memory region '{name}' is mapped into this protection domain by system.xml")
            }
        }
    }
}

impl MemoryRegion {
    /// # Safety
    /// `base..base + size` must stay mapped (and writable if `writable`) for
    /// the life of the program.
    pub const unsafe fn from_raw(name: &'static str, base: *mut u8, size: usize, writable: bool) -> Self {
        Self { name, base, size, writable, phys: None }
    }

    /// The same region, with the physical address a device sees it at (on
    /// seL4: the value the `microkit` tool patches for a `<setvar
    /// region_paddr="MR">` of this PD naming the region).
    pub const fn with_phys_addr(self, phys: u64) -> Self {
        Self { phys: Some(phys), ..self }
    }

    /// The physical address of the region's first byte, if system.xml gives
    /// this PD one (`<setvar symbol=.. region_paddr=..>`); the hosted
    /// platform has none (its "devices" use virtual addresses).
    pub fn phys_addr(&self) -> Option<u64> {
        self.phys
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn size(&self) -> usize {
        self.size
    }

    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// The virtual address the region is mapped at.
    pub fn base(&self) -> *mut u8 {
        self.base
    }

    fn check(&self, offset: usize, len: usize) -> Result<(), RegionError> {
        match offset.checked_add(len) {
            Some(end) if end <= self.size => Ok(()),
            _ => Err(RegionError::OutOfBounds { region: self.name, offset, len, size: self.size }),
        }
    }

    pub fn read(&self, offset: usize, out: &mut [u8]) -> Result<(), RegionError> {
        self.check(offset, out.len())?;
        // SAFETY: in bounds of a live mapping; `out` is private memory.
        unsafe { core::ptr::copy_nonoverlapping(self.base.add(offset), out.as_mut_ptr(), out.len()) };
        Ok(())
    }

    pub fn write(&self, offset: usize, data: &[u8]) -> Result<(), RegionError> {
        if !self.writable {
            return Err(RegionError::ReadOnly { region: self.name });
        }
        self.check(offset, data.len())?;
        // SAFETY: in bounds of a live, writable mapping.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), self.base.add(offset), data.len()) };
        Ok(())
    }

    pub fn read_u32(&self, offset: usize) -> Result<u32, RegionError> {
        let mut b = [0u8; 4];
        self.read(offset, &mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    pub fn write_u32(&self, offset: usize, v: u32) -> Result<(), RegionError> {
        self.write(offset, &v.to_le_bytes())
    }

    pub fn read_u64(&self, offset: usize) -> Result<u64, RegionError> {
        let mut b = [0u8; 8];
        self.read(offset, &mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    pub fn write_u64(&self, offset: usize, v: u64) -> Result<(), RegionError> {
        self.write(offset, &v.to_le_bytes())
    }
}

impl fmt::Debug for MemoryRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryRegion")
            .field("name", &self.name)
            .field("base", &self.base)
            .field("size", &self.size)
            .field("writable", &self.writable)
            .field("phys", &self.phys)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_permissions() {
        let mut mem = [0u8; 16];
        let rw = unsafe { MemoryRegion::from_raw("rw", mem.as_mut_ptr(), 16, true) };
        rw.write_u64(8, 0x1122_3344_5566_7788).unwrap();
        assert_eq!(rw.read_u64(8).unwrap(), 0x1122_3344_5566_7788);
        assert_eq!(rw.write_u64(9, 0), Err(RegionError::OutOfBounds { region: "rw", offset: 9, len: 8, size: 16 }));
        assert!(rw.read(usize::MAX, &mut [0u8; 2]).is_err());
        let ro = unsafe { MemoryRegion::from_raw("ro", mem.as_mut_ptr(), 16, false) };
        assert_eq!(ro.write_u32(0, 1), Err(RegionError::ReadOnly { region: "ro" }));
        assert_eq!(ro.read_u32(8).unwrap(), 0x5566_7788);
    }
}
