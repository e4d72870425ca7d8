//! The PD's message registers (the `msg` array of seL4's IPC buffer): in
//! ordinary memory for the hosted and unbound platforms, or, with feature
//! `external-platform`, the real IPC buffer the backend points us at.
//!
//! Borrows are checked at run time like `sel4`'s IPC-buffer cell: nesting a
//! mutable borrow inside another borrow, or making a call while the
//! registers are borrowed, panics instead of corrupting a message.

use crate::{MessageRegisterValue, MAX_MESSAGE_REGISTERS};
use core::cell::Cell;
#[cfg(any(feature = "hosted", not(feature = "external-platform")))]
use core::cell::UnsafeCell;

pub(crate) struct IpcBuffer {
    borrow: Cell<isize>,
    #[cfg(any(feature = "hosted", not(feature = "external-platform")))]
    regs: UnsafeCell<[MessageRegisterValue; MAX_MESSAGE_REGISTERS]>,
    /// The backend's buffer, asked for once: it is fixed for the
    /// program's life, and asking costs a call on every message.
    #[cfg(all(feature = "external-platform", not(feature = "hosted")))]
    external: Cell<*mut [MessageRegisterValue; MAX_MESSAGE_REGISTERS]>,
}

impl IpcBuffer {
    pub(crate) const fn new() -> Self {
        Self {
            borrow: Cell::new(0),
            #[cfg(any(feature = "hosted", not(feature = "external-platform")))]
            regs: UnsafeCell::new([0; MAX_MESSAGE_REGISTERS]),
            #[cfg(all(feature = "external-platform", not(feature = "hosted")))]
            external: Cell::new(core::ptr::null_mut()),
        }
    }

    #[cfg(any(feature = "hosted", not(feature = "external-platform")))]
    fn regs(&self) -> *mut [MessageRegisterValue; MAX_MESSAGE_REGISTERS] {
        self.regs.get()
    }

    /// seL4's IPC buffer, from the backend (valid for the program's life).
    /// Inline: every message goes through it, and after the first it is
    /// one load.
    #[cfg(all(feature = "external-platform", not(feature = "hosted")))]
    #[inline(always)]
    fn regs(&self) -> *mut [MessageRegisterValue; MAX_MESSAGE_REGISTERS] {
        let p = self.external.get();
        if !p.is_null() {
            return p;
        }
        self.ask_backend()
    }

    #[cfg(all(feature = "external-platform", not(feature = "hosted")))]
    #[cold]
    #[inline(never)]
    fn ask_backend(&self) -> *mut [MessageRegisterValue; MAX_MESSAGE_REGISTERS] {
        let p = crate::platform::external::ops::msg_regs();
        self.external.set(p);
        p
    }

    #[inline]
    pub(crate) fn with<T>(&self, f: impl FnOnce(&[MessageRegisterValue]) -> T) -> T {
        let b = self.borrow.get();
        assert!(b >= 0, "IPC buffer already mutably borrowed");
        self.borrow.set(b + 1);
        let _g = Release(&self.borrow, b);
        // SAFETY: no mutable borrow is live (checked above).
        f(unsafe { &*self.regs() })
    }

    /// The registers without the borrow count: see
    /// [`crate::with_msg_regs_unchecked`]. Debug builds still check.
    #[inline]
    pub(crate) fn regs_unchecked(&self) -> *mut [MessageRegisterValue; MAX_MESSAGE_REGISTERS] {
        debug_assert!(self.borrow.get() == 0, "IPC buffer borrowed");
        self.regs()
    }

    #[inline]
    pub(crate) fn with_mut<T>(&self, f: impl FnOnce(&mut [MessageRegisterValue]) -> T) -> T {
        assert!(self.borrow.get() == 0, "IPC buffer already borrowed");
        self.borrow.set(-1);
        let _g = Release(&self.borrow, 0);
        // SAFETY: no other borrow is live (checked above).
        f(unsafe { &mut *self.regs() })
    }
}

/// Restores the borrow count even if `f` unwinds.
struct Release<'a>(&'a Cell<isize>, isize);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        self.0.set(self.1);
    }
}

#[cfg(feature = "std")]
std::thread_local! {
    static BUFFER: IpcBuffer = const { IpcBuffer::new() };
}

#[cfg(feature = "std")]
pub(crate) fn with_buffer<T>(f: impl FnOnce(&IpcBuffer) -> T) -> T {
    BUFFER.with(f)
}

#[cfg(not(feature = "std"))]
struct SingleThreaded(IpcBuffer);

// A PD has one thread: the one running its event loop.
#[cfg(not(feature = "std"))]
unsafe impl Sync for SingleThreaded {}

#[cfg(not(feature = "std"))]
static BUFFER: SingleThreaded = SingleThreaded(IpcBuffer::new());

#[cfg(not(feature = "std"))]
pub(crate) fn with_buffer<T>(f: impl FnOnce(&IpcBuffer) -> T) -> T {
    f(&BUFFER.0)
}
