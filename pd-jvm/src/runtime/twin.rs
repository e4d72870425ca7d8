//! Quick twins: an interpreter twin's frameless form.
//!
//! An interpreter twin ([`Vm::register_interpreter_twin`]) is a native the
//! interpreter runs in place of a small library method's bytecode. It runs
//! as a native: a frame of its own, its arguments through [`Args`], its
//! result as a [`Value`], and the call leaves the interpreter's fast loop
//! and comes back. For the few methods on a hot path of every IPC call
//! (`IpcStream`'s primitive puts and gets, `Cap.call`, `MsgTag`'s
//! accessors) that costs more than the work. A quick twin ([`Vm::register_quick_twin`]) is the same
//! operation on the call's argument slots in place: the fast loop calls it
//! at a quickened call site (`q::TWIN`) without a frame, and it either
//! completes the call or declines before changing anything, and the call
//! then takes the ordinary path (the full twin, which raises the
//! exception, or the bytecode).
//!
//! A quick twin gets the heap, the embedder's data and the slots, not the
//! VM: it cannot allocate, collect, run Java or throw. It must not block
//! on anything but the kernel (a protected procedure call may: nothing else
//! runs in the VM meanwhile).
//!
//! With tiering on, calls are not quickened to quick twins (and
//! [`Vm::set_compiler`] turns sites quickened before back into calls): the
//! ordinary path counts them towards compiling the method (compiled callers
//! inline the bytecode).

use super::natives::NativeFn;
use super::{EmbedderData, EmbedderKey, Vm};
use crate::heap::{Heap, Ref};

/// A quick twin (see the module docs): `Some(slots)` when it completed
/// the call, its result in the first slot (a `long` or `double` takes its
/// first slot only, as the interpreter keeps it), `slots` the result's
/// size; `None` when it declined, having changed nothing.
pub type QuickTwinFn = fn(&mut QuickCall<'_>) -> Option<usize>;

/// What a quick twin sees of the VM: the call's argument slots (the
/// receiver first), the heap and the embedder's data.
pub struct QuickCall<'a> {
    pub(crate) slots: &'a mut [u64],
    pub(crate) heap: &'a mut Heap,
    /// The VM's field itself: the fast loop then only takes its address.
    pub(crate) data: &'a mut Option<EmbedderData>,
}

impl QuickCall<'_> {
    /// Argument slot `i` as it is (an `int` in its low half, a `long` in
    /// the first of its two slots).
    #[inline]
    pub fn raw(&self, i: usize) -> u64 {
        self.slots[i]
    }

    /// Argument slot `i` as a reference.
    #[inline]
    pub fn reference(&self, i: usize) -> Ref {
        Ref::from_raw(self.slots[i] as u32)
    }

    /// Stores the result (its raw slot: an `int` zero-extended, a `long`
    /// as is, a reference as [`Ref::to_raw`]); the twin then returns its
    /// size in slots.
    #[inline]
    pub fn set_result(&mut self, raw: u64) {
        self.slots[0] = raw;
    }

    /// The embedder's data ([`Vm::set_embedder_data`]) if it is a `T`,
    /// with the heap.
    #[inline]
    pub fn embedder_data_and_heap<T: core::any::Any>(&mut self) -> Option<(&mut T, &mut Heap)> {
        Some((self.data.as_mut()?.get_mut::<T>()?, &mut *self.heap))
    }

    /// The embedder's data if it was set with `key`
    /// ([`Vm::set_keyed_embedder_data`]), with the heap: one address
    /// compared where [`QuickCall::embedder_data_and_heap`] compares type ids.
    #[inline]
    pub fn keyed_data_and_heap<T: core::any::Any>(
        &mut self,
        key: &'static EmbedderKey<T>,
    ) -> Option<(&mut T, &mut Heap)> {
        Some((self.data.as_mut()?.get_keyed(key)?, &mut *self.heap))
    }
}

impl Vm {
    /// Registers an interpreter twin (`full`, as
    /// [`Vm::register_interpreter_twin`]) together with its quick form
    /// (see the [module docs](self)): the interpreter's fast loop calls `quick` at
    /// the call sites it has quickened, and `full` where `quick` declines
    /// or the fast loop cannot call it.
    pub fn register_quick_twin(
        &mut self,
        class: &str,
        name: &str,
        descriptor: &str,
        full: NativeFn,
        quick: QuickTwinFn,
    ) {
        self.natives.register_twin(class.as_bytes(), name.as_bytes(), descriptor.as_bytes(), full, Some(quick));
    }
}
