//! The VM-managed Java stack (docs/jvm.md "Frames"): one `Vec<u64>` of
//! slots shared by all frames plus a stack of frame records (`FrameStack`), so the
//! interpreter loop is iterative and the depth guard is exact.
//!
//! A frame's locals start at `bp`; its operand stack follows its
//! `max_locals` locals. A call's arguments, pushed on the caller's operand
//! stack, *are* the callee's first locals (no copying); the caller's `sp`
//! is left below them, so collectors see each slot in exactly one frame.
//! `long` and `double` take two slots with the value in the first.

use crate::heap::Ref;
use crate::runtime::class::{ClassId, MethodId};
use crate::runtime::{LinkError, Vm};

use super::Exit;

/// What happens when a frame finishes. `repr(u32)`: compiled code writes
/// `Entry` frames itself (its tag is [`Cont::ENTRY_TAG`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum Cont {
    /// An ordinary call: return to the caller after its invoke instruction.
    Normal,
    /// The first frame of an entry from Rust: the interpreter loop returns.
    Entry,
    /// A native method's frame (arguments only; no code).
    Native,
    /// `<clinit>` of this class: on return it is initialized and the
    /// caller's instruction executes again; on an exception it is erroneous.
    Clinit(ClassId),
    /// The constructor of an exception the VM raised: on return, throw
    /// `aux` at the caller's current instruction.
    ThrowAux,
}

impl Cont {
    /// The tag word of `Entry` (the second variant).
    pub(crate) const ENTRY_TAG: u32 = 1;
}

// SAFETY: `repr(u32)` puts the tag in the first word.
const _: () = assert!(unsafe { *(&Cont::Entry as *const Cont as *const u32) } == Cont::ENTRY_TAG);

/// A frame record. `repr(C)`: compiled code pushes and pops records
/// itself (docs/jit.md, "Direct calls").
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub(crate) struct Frame {
    pub method: MethodId,
    /// Bytecode offset of the current instruction (a call site while a
    /// callee runs).
    pub pc: u32,
    /// First local.
    pub bp: u32,
    /// Operand stack top (one past the last used slot) when this frame is
    /// not running; written back before anything that may collect.
    pub sp: u32,
    pub cont: Cont,
    /// The monitor of a synchronized method, or the exception of a
    /// `ThrowAux` constructor frame (a GC root either way).
    pub aux: Ref,
}

impl Frame {
    /// A bytecode method's frame about to run its first instruction: the
    /// locals from `bp`, an empty operand stack above them.
    #[inline]
    pub(crate) fn entered(method: MethodId, bp: usize, locals: usize, cont: Cont) -> Frame {
        Frame { method, pc: 0, bp: bp as u32, sp: (bp + locals) as u32, cont, aux: Ref::NULL }
    }
}

/// The frame records: `records[..len]`, the rest spare room that compiled
/// code may push into without a helper (its pointer, `len`'s address and
/// the room are in the JIT's context).
#[derive(Debug, Default)]
pub(crate) struct FrameStack {
    records: alloc::vec::Vec<Frame>,
    len: usize,
    /// Times `records` grew, plus the VM's other moves of what the JIT
    /// context points into ([`FrameStack::note_moved`]): one count, so an
    /// entry into compiled code checks the context with one comparison.
    moves: u64,
}

impl FrameStack {
    #[inline(always)]
    pub(crate) fn push(&mut self, f: Frame) {
        if self.len >= self.records.len() {
            self.grow(f);
        }
        // SAFETY: `len < records.len()`, by the test above or `grow`.
        unsafe { *self.records.get_unchecked_mut(self.len) = f };
        self.len += 1;
    }

    /// Room for as many records again, so compiled code rarely finds none.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, f: Frame) {
        let n = (self.len * 2).max(16);
        self.records.resize(n, f);
        self.moves += 1;
    }

    /// The first record, on an empty stack (an entry from Rust): as
    /// [`FrameStack::push`] without computing the address.
    #[inline(always)]
    pub(crate) fn push_first(&mut self, f: Frame) {
        debug_assert!(self.len == 0);
        if self.records.is_empty() {
            self.grow(f);
        }
        // SAFETY: not empty, by the test above or `grow`.
        unsafe { *self.records.as_mut_ptr() = f };
        self.len = 1;
    }

    /// No record (without the slice's bounds check).
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of records (the slice's `len` through `Deref` would
    /// check `len` against the room first).
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// See `moves`.
    #[inline]
    pub(crate) fn moves(&self) -> u64 {
        self.moves
    }

    /// Counts a move of something else the JIT context points into.
    #[inline]
    pub(crate) fn note_moved(&mut self) {
        self.moves += 1;
    }

    #[inline]
    pub(crate) fn pop(&mut self) -> Option<Frame> {
        self.len = self.len.checked_sub(1)?;
        Some(self.records[self.len])
    }

    /// Pops the top record without reading it (there must be one).
    #[inline]
    pub(crate) fn drop_top(&mut self) {
        debug_assert!(self.len > 0);
        self.len = self.len.saturating_sub(1);
    }

    /// The records, the address of the length and the number of records
    /// there is room for.
    pub(crate) fn raw_parts(&mut self) -> (*mut Frame, *mut usize, usize) {
        (self.records.as_mut_ptr(), &mut self.len as *mut usize, self.records.len())
    }
}

impl core::ops::Deref for FrameStack {
    type Target = [Frame];
    #[inline]
    fn deref(&self) -> &[Frame] {
        &self.records[..self.len]
    }
}

impl core::ops::DerefMut for FrameStack {
    #[inline]
    fn deref_mut(&mut self) -> &mut [Frame] {
        &mut self.records[..self.len]
    }
}

/// Frames the VM may push beyond `max_depth` to construct the
/// `StackOverflowError` (and other exceptions) it throws.
pub(crate) const DEPTH_RESERVE: usize = 64;

impl Vm {
    /// Grows the slot vector to hold `top` slots, within the configured limit.
    #[inline(always)]
    pub(crate) fn ensure_stack(&mut self, top: usize) -> Result<(), Exit> {
        if top <= self.stack.len() {
            return Ok(());
        }
        self.grow_stack(top)
    }

    #[cold]
    #[inline(never)]
    fn grow_stack(&mut self, top: usize) -> Result<(), Exit> {
        if top > self.config.max_stack_slots {
            return Err(Exit::Link(LinkError::new("java/lang/StackOverflowError", "")));
        }
        let want = (top + 1024).max(self.stack.len() * 2).min(self.config.max_stack_slots.max(top));
        self.stack.resize(want, 0);
        self.note_moved();
        Ok(())
    }

    /// Pushes a frame for the bytecode method `m` whose arguments are at
    /// `base..`. Checks the depth guard (exceptions constructed by the VM
    /// may use a small reserve beyond it).
    pub(crate) fn push_java_frame(&mut self, m: MethodId, base: usize, cont: Cont, aux: Ref) -> Result<(), Exit> {
        self.push_java_frame_inline(m, base, cont, aux)
    }

    /// [`Vm::push_java_frame`] inlined, for the entry from Rust into
    /// compiled code (a server's dispatch, a VIFlet's batch).
    #[inline(always)]
    pub(crate) fn push_java_frame_inline(
        &mut self,
        m: MethodId,
        base: usize,
        cont: Cont,
        aux: Ref,
    ) -> Result<(), Exit> {
        let limit = self.config.max_depth as usize + if cont == Cont::ThrowAux { DEPTH_RESERVE } else { 0 };
        if self.frames.len() >= limit {
            return Err(Exit::Link(LinkError::new("java/lang/StackOverflowError", "")));
        }
        let method = &self.methods[m.ix()];
        let Some(code) = &method.code else {
            return Err(Exit::internal("push_java_frame: method has no code"));
        };
        let (locals, stack) = (usize::from(code.max_locals), usize::from(code.max_stack));
        self.ensure_stack(base + locals + stack + 1)?;
        self.frames.push(Frame { aux, ..Frame::entered(m, base, locals, cont) });
        Ok(())
    }
}
