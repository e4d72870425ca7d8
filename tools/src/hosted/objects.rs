//! The kernel objects of a hosted system: one memfd per doorbell, kernel
//! page, channel page and memory region. The runner keeps every page mapped
//! (it is the kernel); a PD gets only the fds of what system.xml grants it.

use std::ffi::CString;
use std::os::fd::{AsFd, OwnedFd};

use ipc_bindings::hosted::abi::{ChannelPage, Doorbell, KernelPage, PAGE_SIZE};
use rustix::fs::{memfd_create, MemfdFlags};
use rustix::mm::{mmap, munmap, MapFlags, ProtFlags};

use crate::sdf::SystemDescription;

/// A memfd and the runner's own mapping of it.
pub struct SharedObject {
    pub fd: OwnedFd,
    pub base: *mut u8,
    pub len: usize,
}

// The mapping is shared memory touched only through atomics.
unsafe impl Send for SharedObject {}
unsafe impl Sync for SharedObject {}

impl SharedObject {
    pub fn new(name: &str, len: usize) -> std::io::Result<Self> {
        let cname = CString::new(format!("capuchin:{name}")).expect("no NUL in names");
        let fd = memfd_create(&cname, MemfdFlags::CLOEXEC)?;
        rustix::fs::ftruncate(&fd, len as u64)?;
        // SAFETY: a fresh shared mapping of our own memfd.
        let base = unsafe {
            mmap(core::ptr::null_mut(), len, ProtFlags::READ | ProtFlags::WRITE, MapFlags::SHARED, fd.as_fd(), 0)?
        };
        Ok(Self { fd, base: base.cast(), len })
    }

    /// # Safety
    /// `T` must be one of the ABI page types (all-zero is a valid `T`) and
    /// fit in the object.
    unsafe fn as_ref<T>(&self) -> &T {
        debug_assert!(std::mem::size_of::<T>() <= self.len);
        unsafe { &*self.base.cast::<T>() }
    }
}

impl Drop for SharedObject {
    fn drop(&mut self) {
        // SAFETY: our own mapping, unmapped once.
        let _ = unsafe { munmap(self.base.cast(), self.len) };
    }
}

pub struct PdObjects {
    pub doorbell: SharedObject,
    pub kernel: SharedObject,
}

impl PdObjects {
    pub fn doorbell(&self) -> &Doorbell {
        // SAFETY: sized and zeroed as a Doorbell page.
        unsafe { self.doorbell.as_ref() }
    }

    pub fn kernel(&self) -> &KernelPage {
        // SAFETY: sized and zeroed as a KernelPage.
        unsafe { self.kernel.as_ref() }
    }
}

pub struct ChannelObject(pub SharedObject);

impl ChannelObject {
    pub fn page(&self) -> &ChannelPage {
        // SAFETY: sized and zeroed as a ChannelPage.
        unsafe { self.0.as_ref() }
    }
}

/// All kernel objects of one system, indexed like the system description.
pub struct Objects {
    pub pds: Vec<PdObjects>,
    pub channels: Vec<ChannelObject>,
    pub regions: Vec<SharedObject>,
}

impl Objects {
    pub fn create(sys: &SystemDescription) -> std::io::Result<Self> {
        let pds = sys
            .pds
            .iter()
            .map(|pd| {
                Ok(PdObjects {
                    doorbell: SharedObject::new(&format!("{}.doorbell", pd.name), PAGE_SIZE)?,
                    kernel: SharedObject::new(&format!("{}.kernel", pd.name), PAGE_SIZE)?,
                })
            })
            .collect::<std::io::Result<_>>()?;
        let channels = sys
            .channels
            .iter()
            .enumerate()
            .map(|(i, _)| Ok(ChannelObject(SharedObject::new(&format!("channel{i}"), PAGE_SIZE)?)))
            .collect::<std::io::Result<_>>()?;
        let regions = sys
            .memory_regions
            .iter()
            .map(|mr| SharedObject::new(&mr.name, mr.size as usize))
            .collect::<std::io::Result<_>>()?;
        Ok(Self { pds, channels, regions })
    }
}
