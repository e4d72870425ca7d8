//! Memory for generated code: never writable and executable at once
//! (docs/jit.md, "Code memory"). One region of physical memory is mapped
//! twice, read-write for the compiler and read-execute for running, so
//! neither mapping ever changes its permissions:
//!
//! * hosted (Linux): a `memfd` mapped twice ([`MemfdCodeMemory`]);
//! * seL4: one memory region that `system.xml` maps into the PD twice,
//!   once `rw` and once `rx` ([`DualMapped`] over the two addresses; the
//!   PD passes its region symbols).
//!
//! After code is written, [`flush_icache`] makes the instruction side see
//! it (a no-op on x86-64, whose caches are coherent; on aarch64 clean the
//! data cache by the write address and invalidate the instruction cache
//! by the execute address).

use alloc::boxed::Box;
#[cfg(target_os = "linux")]
use alloc::vec::Vec;

/// Where compiled code goes.
pub trait CodeMemory {
    /// Room for `len` bytes aligned to `align`: the address to write them
    /// at and the address they will run at.
    fn allocate(&mut self, len: usize, align: usize) -> Option<(*mut u8, usize)>;

    /// The `len` bytes written at `write` are complete: make them visible
    /// to instruction fetch at `exec`.
    fn publish(&mut self, write: *mut u8, exec: usize, len: usize) {
        flush_icache(write, exec, len);
    }

    /// Bytes handed out so far.
    fn used(&self) -> usize;
}

/// One region mapped twice: `write` (read-write) and `exec`
/// (read-execute) name the same `size` bytes. A bump allocator; code is
/// never freed (methods are compiled once).
pub struct DualMapped {
    write: *mut u8,
    exec: usize,
    size: usize,
    used: usize,
}

impl DualMapped {
    /// # Safety
    /// `write..write+size` must be a writable mapping and `exec..exec+size`
    /// an executable mapping of the same memory, both valid for as long as
    /// any code allocated from it may run, and used by nothing else.
    pub unsafe fn new(write: *mut u8, exec: usize, size: usize) -> DualMapped {
        DualMapped { write, exec, size, used: 0 }
    }

    pub fn remaining(&self) -> usize {
        self.size - self.used
    }
}

impl CodeMemory for DualMapped {
    fn allocate(&mut self, len: usize, align: usize) -> Option<(*mut u8, usize)> {
        let align = align.max(1);
        let start = self.used.checked_add(align - 1)? & !(align - 1);
        let end = start.checked_add(len)?;
        if end > self.size {
            return None;
        }
        self.used = end;
        // SAFETY: `start < size`, inside the mapping (constructor contract).
        Some((unsafe { self.write.add(start) }, self.exec + start))
    }

    fn used(&self) -> usize {
        self.used
    }
}

/// Makes `len` bytes written at `write` executable at `exec`.
#[allow(unused_variables)]
pub fn flush_icache(write: *mut u8, exec: usize, len: usize) {
    #[cfg(target_arch = "aarch64")]
    // SAFETY: cache maintenance by virtual address on mapped memory; the
    // line sizes come from CTR_EL0. Needs EL0 cache maintenance enabled
    // (Linux does; on seL4 the PD's code memory backend may instead use
    // the kernel's cache invocations).
    unsafe {
        let ctr: u64;
        core::arch::asm!("mrs {0}, ctr_el0", out(reg) ctr);
        let dline = 4usize << ((ctr >> 16) & 0xF);
        let iline = 4usize << (ctr & 0xF);
        let w = write as usize;
        let mut a = w & !(dline - 1);
        while a < w + len {
            core::arch::asm!("dc cvau, {0}", in(reg) a);
            a += dline;
        }
        core::arch::asm!("dsb ish");
        let mut a = exec & !(iline - 1);
        while a < exec + len {
            core::arch::asm!("ic ivau, {0}", in(reg) a);
            a += iline;
        }
        core::arch::asm!("dsb ish", "isb");
    }
}

/// Hosted code memory: chunks of a `memfd`, each mapped twice.
#[cfg(target_os = "linux")]
pub struct MemfdCodeMemory {
    chunks: Vec<(DualMapped, usize, usize)>,
    chunk_size: usize,
    used: usize,
}

#[cfg(target_os = "linux")]
impl MemfdCodeMemory {
    /// Code memory that grows in chunks of at least `chunk_size` bytes.
    pub fn new(chunk_size: usize) -> MemfdCodeMemory {
        MemfdCodeMemory { chunks: Vec::new(), chunk_size: chunk_size.max(4096), used: 0 }
    }

    fn new_chunk(&mut self, min: usize) -> Option<()> {
        use rustix::fs::{ftruncate, memfd_create, MemfdFlags};
        use rustix::mm::{mmap, MapFlags, ProtFlags};
        let size = (min.max(self.chunk_size) + 0xFFFF) & !0xFFFF;
        let fd = memfd_create("capuchin-jit", MemfdFlags::CLOEXEC).ok()?;
        ftruncate(&fd, size as u64).ok()?;
        // SAFETY: fresh shared mappings of our own memfd; nothing else
        // maps it. The mappings stay until the code memory is dropped
        // (the fd can close: mappings keep the memory alive).
        let (w, x) = unsafe {
            let w =
                mmap(core::ptr::null_mut(), size, ProtFlags::READ | ProtFlags::WRITE, MapFlags::SHARED, &fd, 0).ok()?;
            let x = match mmap(core::ptr::null_mut(), size, ProtFlags::READ | ProtFlags::EXEC, MapFlags::SHARED, &fd, 0)
            {
                Ok(x) => x,
                Err(_) => {
                    let _ = rustix::mm::munmap(w, size);
                    return None;
                }
            };
            (w, x)
        };
        // SAFETY: two mappings of the same memfd pages, owned by this chunk.
        let region = unsafe { DualMapped::new(w as *mut u8, x as usize, size) };
        self.chunks.push((region, w as usize, size));
        Some(())
    }
}

#[cfg(target_os = "linux")]
impl CodeMemory for MemfdCodeMemory {
    fn allocate(&mut self, len: usize, align: usize) -> Option<(*mut u8, usize)> {
        if let Some((c, _, _)) = self.chunks.last_mut() {
            if let Some(r) = c.allocate(len, align) {
                self.used += len;
                return Some(r);
            }
        }
        self.new_chunk(len + align)?;
        let r = self.chunks.last_mut()?.0.allocate(len, align)?;
        self.used += len;
        Some(r)
    }

    fn used(&self) -> usize {
        self.used
    }
}

#[cfg(target_os = "linux")]
impl Drop for MemfdCodeMemory {
    fn drop(&mut self) {
        for (c, w, size) in self.chunks.drain(..) {
            // SAFETY: the mappings made in `new_chunk`; no code from them
            // runs any more once the compiler (and its VM) is gone.
            unsafe {
                let _ = rustix::mm::munmap(w as *mut core::ffi::c_void, size);
                let _ = rustix::mm::munmap(c.exec as *mut core::ffi::c_void, size);
            }
        }
    }
}

/// The platform's default code memory, if it has one.
pub fn default_code_memory() -> Option<Box<dyn CodeMemory>> {
    #[cfg(target_os = "linux")]
    {
        Some(Box::new(MemfdCodeMemory::new(1 << 20)))
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}
