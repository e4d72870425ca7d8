//! The VM↔JIT interface (docs/jit.md): what a compiler reads about a
//! method, the ABI of compiled code, and the runtime helpers compiled code
//! calls. The compiler itself lives in the `jit` crate and plugs in as a
//! [`Compiler`]; this crate does not depend on a code generator, so a PD
//! image can leave the JIT out.
//!
//! # The ABI in one paragraph
//!
//! A compiled method is `extern "C" fn(ctx: *mut JitContext, bp: u64) -> u32`.
//! It runs on the *same* VM Java stack frame as the interpreter would: its
//! frame record was pushed by the VM, its locals are the slots `bp..`
//! (arguments already there), its operand stack follows `max_locals`. It
//! keeps values in registers between safepoints. A safepoint is a call to
//! a runtime helper (calls, slow-path allocation, resolution, anything
//! that may throw or collect): before it the code stores every live
//! reference (and, where an exception handler of the method covers the
//! instruction, every live local) to its slot and passes the bytecode pc
//! and the operand-stack top, which the helper writes to the frame record;
//! after it the code reloads references (the collector moves objects) and
//! the addresses in the context. So the interpreter's precise root scan
//! (reference maps per method and pc), exception unwinding with stack
//! traces, and deoptimization (the interpreter continues the frame at a
//! handler) work unchanged. Status 0 ([`STATUS_RETURN`]): the method
//! returned, its value (if any) is in slot `bp`. Status 1 ([`STATUS_EXIT`]):
//! something is pending ([`JitState`]'s `pending` exit: an exception to
//! throw or an abort) and the frame's pc is the instruction that raised it.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::classfile::mutf8::decode_lossy;
use crate::heap::{AccessError, ElementKind, Ref};
use crate::interp::frame::{Cont, Frame};
use crate::interp::{array_exit, Exit};
use crate::verify::insn::op;

use super::class::*;
use super::init::narrow;
use super::loader::dotted;
use super::{Value, Vm, VmError};

// ---- kinds and facts ----

/// The machine kind of a Java value in a slot (`boolean`, `byte`,
/// `char`, `short` and `int` are all `Int`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    Int,
    Float,
    Long,
    Double,
    Ref,
}

impl SlotKind {
    /// The kind of a field descriptor's first byte.
    pub fn from_descriptor_byte(b: u8) -> SlotKind {
        match b {
            b'F' => SlotKind::Float,
            b'J' => SlotKind::Long,
            b'D' => SlotKind::Double,
            b'L' | b'[' => SlotKind::Ref,
            _ => SlotKind::Int,
        }
    }

    pub fn slots(self) -> usize {
        match self {
            SlotKind::Long | SlotKind::Double => 2,
            _ => 1,
        }
    }
}

/// A method's code and signature, as the compiler sees them.
pub struct MethodData<'v> {
    pub id: MethodId,
    pub class: ClassId,
    pub name: &'v [u8],
    pub descriptor: &'v [u8],
    pub is_static: bool,
    pub is_synchronized: bool,
    /// One kind per argument *value* (`this` first for instance methods).
    pub arg_kinds: Vec<SlotKind>,
    /// `None` for `void`.
    pub ret: Option<SlotKind>,
    /// Verified bytecode.
    pub code: &'v [u8],
    pub max_locals: u16,
    pub max_stack: u16,
    pub handlers: &'v [Handler],
    /// Class-file major version (switch padding rules of the decoder).
    pub major: u16,
}

/// A loadable constant (`ldc`, `ldc_w`, `ldc2_w`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Constant {
    Int(i32),
    Float(f32),
    Long(i64),
    Double(f64),
    /// A string literal already interned: index into the VM's string
    /// table ([`JitContext::strings`]).
    InternedString(u32),
    /// A string literal not yet created (the helper creates it).
    String,
    /// A class, method type, method handle or dynamic constant: a
    /// reference the helper produces.
    OtherRef,
}

/// A field instruction's operand.
#[derive(Clone, Copy, Debug)]
pub struct FieldFact {
    /// From the descriptor: known even before resolution.
    pub kind: SlotKind,
    /// Byte size in memory (1, 2, 4 or 8).
    pub size: u32,
    /// `boolean`, `byte`, `short`: loads sign-extend (`char`: zero-extends).
    pub signed: bool,
    /// `boolean`: stores keep bit 0 only.
    pub boolean: bool,
    /// Set when the instruction may be done inline: the entry is resolved
    /// for this use (static or not, and for a put the final-field check
    /// passed) and, for statics, the class is initialized. Instance: byte
    /// offset in the field area; static: index into `static_prims` or
    /// (references) `static_refs`.
    pub fast_offset: Option<u32>,
}

/// An invocation's signature (from the descriptor of the pool entry).
#[derive(Clone, Debug)]
pub struct CallSig {
    /// Kinds of the arguments, not counting the receiver.
    pub args: Vec<SlotKind>,
    pub arg_slots: u16,
    pub ret: Option<SlotKind>,
}

/// A resolved class, for `new`, `anewarray`, `checkcast`, `instanceof`.
#[derive(Clone, Copy, Debug)]
pub struct ClassFact {
    pub id: ClassId,
    /// The layout id objects of exactly this class carry in header word 0.
    pub layout: Option<u32>,
    /// `new` may allocate inline: instantiable, initialized, laid out.
    pub new_inline: bool,
    /// Instance size in bytes (header included, 8-aligned).
    pub instance_size: u32,
    /// The class has no subclasses that could be instances (final, or an
    /// array of a final/primitive component): an exact layout mismatch is
    /// a definite `false` for `instanceof`.
    pub is_final: bool,
    /// `anewarray` of this class may allocate inline: the layout of the
    /// array class, if it already exists.
    pub array_layout: Option<u32>,
}

/// The runtime helpers compiled code calls (absolute addresses).
#[derive(Clone, Copy, Debug)]
pub struct Helpers {
    /// `extern "C" fn(ctx, pc: u32, sp: u32) -> u32`: executes the
    /// instruction at `pc` of the top frame's method with its operands in
    /// the slots below `bp + sp` and its results written there (the
    /// generic slow path: invocations, resolution, initialization,
    /// allocation, type checks, monitors, `athrow`, `aastore`). 0:
    /// continue; otherwise leave with that status.
    pub exec: usize,
    /// `extern "C" fn(ctx, pc: u32, sp: u32, kind_slots: u32, arg: u32) -> u32`:
    /// the invocation at `pc` with a target fixed at compile time
    /// ([`ResolvedCall::encode`]); the same contract as `exec`, faster.
    pub call: usize,
    /// `extern "C" fn(ctx, pc: u32, sp: u32, a: i64, b: i64) -> u32`:
    /// raises what the failed inline check at `pc` means: division by zero
    /// (`idiv`..`lrem`), a null array or index `a` out of bounds of length
    /// `b` (array accesses; `b < 0` for null), a null object (`getfield`,
    /// `putfield`, `arraylength`), budget exhausted (branches). Returns
    /// [`STATUS_EXIT`].
    pub throw: usize,
    /// `extern "C" fn(ctx, arr: u32, index: u32, value: u32) -> u32`:
    /// `aastore` of a non-null value into a non-null array at an index in
    /// bounds whose component class the value's class is assignable to:
    /// stores it and returns 1. Otherwise stores nothing and returns 0
    /// (the code takes `exec`, which raises). Not a safepoint: it neither
    /// allocates nor throws.
    pub aastore: usize,
    /// `extern "C" fn(ctx) -> u32`: after a direct call (compiled code
    /// pushed the callee's frame and called its entry, docs/jit.md,
    /// "Direct calls") left with [`STATUS_EXIT`]: raises the pending
    /// exit in the callee's frame (still on top); if a handler there
    /// catches, the interpreter finishes the callee and this returns 0
    /// with its value in the callee's slot `bp` and its frame popped;
    /// otherwise the callee's frame is gone and this returns
    /// [`STATUS_EXIT`] for the caller.
    pub unwind: usize,
    /// `extern "C" fn(ctx, pc: u32, sp: u32, arg_slots: u32, method: u32) -> u32`:
    /// a call of the unsynchronized native `method` whose receiver (if
    /// any) compiled code already checked ([`CompileEnv::native_call`]):
    /// ticks the budget and checks the native stack as the call helper
    /// does, then runs the native as the interpreter does (its own frame
    /// record, the arguments' `arg_slots` below `bp + sp` replaced by its
    /// result). Refreshes the context only if what it caches moved. The
    /// same contract as `exec` otherwise.
    pub native: usize,
    /// `extern "C" fn(f32, f32) -> f32` and `extern "C" fn(f64, f64) -> f64`:
    /// Java's `frem`/`drem` (no safepoint).
    pub frem: usize,
    pub drem: usize,
    /// `extern "C" fn(ctx, pc: u32, sp: u32) -> u32`: deoptimization. The
    /// code stored every live local and operand-stack slot of the frame
    /// as the interpreter keeps them and leaves with the returned
    /// [`STATUS_EXIT`]; the interpreter then continues the frame at `pc`
    /// (the instruction is not run yet) with `sp` operand slots. Only
    /// where [`CompileEnv::may_deoptimize`] said so (docs/jit.md,
    /// "Deoptimization of inlined calls' slow paths").
    pub deopt: usize,
    /// `extern "C" fn(ctx, method: u32) -> u32`: an entry into `method`'s
    /// baseline code ([`Compiled::baseline`]), which calls it first: counts
    /// the entry and, once the method is hot, compiles it optimized for
    /// the calls after this one. Returns 0. Not a safepoint (nothing
    /// allocates or collects); the context may be refreshed.
    pub hot: usize,
}

/// An invocation's target as far as resolution fixed it (the facts the
/// interpreter's quick invoke forms use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallTarget {
    /// `invokestatic` of a method whose class is initialized.
    Static(MethodId),
    /// A non-virtual instance call (`invokespecial`, private, or no
    /// vtable slot): null-checked, then this method.
    Direct(MethodId),
    /// Slot of the receiver class's vtable.
    Virtual(u32),
    /// The resolved interface method (selected per receiver class).
    Interface(MethodId),
}

impl CallTarget {
    const STATIC: u32 = 0;
    const DIRECT: u32 = 1;
    const VIRTUAL: u32 = 2;
    const INTERFACE: u32 = 3;
}

/// A call site's callee as far as the VM knows it at compile time, for
/// inlining ([`CompileEnv::inline_target`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InlineTarget {
    /// The method that runs (it has bytecode, is not synchronized).
    pub method: MethodId,
    /// Virtual and interface calls: the layout id (header word 0) of the
    /// receiver class the call site saw first (the pool entry's inline
    /// cache). The inlined body is right only for receivers of exactly
    /// this class; others must take the call path.
    pub guard_layout: Option<u32>,
}

/// A call compiled code may make directly ([`CompileEnv::direct_call`]):
/// push the callee's frame record itself and call the callee's entry
/// from [`JitContext::entries`] (when it has one by then).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DirectCall {
    pub method: MethodId,
    pub max_locals: u16,
    pub max_stack: u16,
    /// As [`InlineTarget::guard_layout`].
    pub guard_layout: Option<u32>,
}

/// A call site whose callee is known at compile time to be a registered
/// (Rust) native that is not synchronized and not a [`PureNative`]
/// ([`CompileEnv::native_call`]): compiled code calls [`Helpers::native`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NativeCall {
    pub method: MethodId,
    /// As [`InlineTarget::guard_layout`].
    pub guard_layout: Option<u32>,
}

/// A native compiled code may run without a frame or helper: a pure
/// function of its primitive arguments that neither throws, allocates nor
/// calls Java ([`CompileEnv::pure_native`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PureNative {
    /// `Float.floatToRawIntBits`, `Float.intBitsToFloat`,
    /// `Double.doubleToRawLongBits`, `Double.longBitsToDouble`: the
    /// argument's bits as the result's type.
    RawBits,
    /// `StrictMath.sqrt`: IEEE 754's square root.
    Sqrt,
    /// `extern "C" fn(f64) -> f64` at this address (`StrictMath`).
    D1(usize),
    /// `extern "C" fn(f64, f64) -> f64` at this address (`StrictMath`).
    D2(usize),
    /// A raw memory load or store ([`super::raw`]): one machine access.
    Raw(super::raw::RawAccess),
    /// A leaf native ([`super::leaf`]): `extern "C" fn(u64, u64, u64,
    /// u64) -> u64` at this address. Not pure in the strict sense (it has
    /// effects: compiled code must run it exactly once per call), but it
    /// needs neither a frame nor the VM.
    Leaf(usize),
    /// `System.nanoTime`: the VM's clock ([`crate::NanoClock`]) at this
    /// address, called directly (a clock read needs no frame, no budget
    /// tick and no slow path).
    Clock(usize),
}

/// A [`CallTarget`] with the slots its arguments take (receiver included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolvedCall {
    pub target: CallTarget,
    pub arg_slots: u16,
}

impl ResolvedCall {
    /// The call helper's `kind_slots` and `arg`.
    pub fn encode(self) -> (u32, u32) {
        let (k, a) = match self.target {
            CallTarget::Static(m) => (CallTarget::STATIC, m.0),
            CallTarget::Direct(m) => (CallTarget::DIRECT, m.0),
            CallTarget::Virtual(i) => (CallTarget::VIRTUAL, i),
            CallTarget::Interface(m) => (CallTarget::INTERFACE, m.0),
        };
        (k | u32::from(self.arg_slots) << 8, a)
    }
}

// ---- the ABI ----

/// The method returned; its value is in slot `bp`.
pub const STATUS_RETURN: u32 = 0;
/// An exception or abort is pending (see the module docs).
pub const STATUS_EXIT: u32 = 1;

/// Compiled code's entry point.
pub type JitEntry = unsafe extern "C" fn(ctx: *mut JitContext, bp: u64) -> u32;

/// The context compiled code gets. Helpers leave every field current
/// when they return (refreshing it, or for the native helper checking
/// that nothing moved); compiled code re-reads the ones it caches after
/// every helper call.
#[repr(C)]
#[derive(Debug)]
pub struct JitContext {
    /// Slot 0 of the VM Java stack (the slot vector may move when it grows).
    pub stack_base: *mut u64,
    /// Byte 0 of the current semispace (moves at every collection).
    pub heap_base: *mut u8,
    /// The heap's bump pointer (an offset into the space; stable).
    pub heap_top: *mut usize,
    /// Inline allocation must end at or below this offset (0 under
    /// `gc_stress`, so every allocation takes the collecting slow path).
    pub heap_limit: usize,
    /// The call/back-edge budget (`u64`; stable).
    pub budget: *mut u64,
    /// Static fields: primitives (`u64` each) and references (`u32` each).
    pub static_prims: *mut u64,
    pub static_refs: *mut u32,
    /// Interned strings (`u32` references).
    pub strings: *const u32,
    /// The VM (helpers only).
    pub vm: *mut Vm,
    /// Direct calls (docs/jit.md, "Direct calls"): the frame records,
    /// the address of their count, and the count below which compiled
    /// code may push one (the depth guard, `VmConfig::max_depth`, or the
    /// records there is room for, whichever is less); ...
    pub frames: *mut u8,
    pub frames_len: *mut usize,
    pub frames_limit: usize,
    /// ... the slots there are, the lowest native stack address compiled
    /// code may reach, and each method's compiled entry (0: none yet),
    /// indexed by method.
    pub stack_len: usize,
    pub native_limit: usize,
    pub entries: *const usize,
}

impl JitContext {
    pub const STACK_BASE: i32 = core::mem::offset_of!(JitContext, stack_base) as i32;
    pub const HEAP_BASE: i32 = core::mem::offset_of!(JitContext, heap_base) as i32;
    pub const HEAP_TOP: i32 = core::mem::offset_of!(JitContext, heap_top) as i32;
    pub const HEAP_LIMIT: i32 = core::mem::offset_of!(JitContext, heap_limit) as i32;
    pub const BUDGET: i32 = core::mem::offset_of!(JitContext, budget) as i32;
    pub const STATIC_PRIMS: i32 = core::mem::offset_of!(JitContext, static_prims) as i32;
    pub const STATIC_REFS: i32 = core::mem::offset_of!(JitContext, static_refs) as i32;
    pub const STRINGS: i32 = core::mem::offset_of!(JitContext, strings) as i32;
    pub const FRAMES: i32 = core::mem::offset_of!(JitContext, frames) as i32;
    pub const FRAMES_LEN: i32 = core::mem::offset_of!(JitContext, frames_len) as i32;
    pub const FRAMES_LIMIT: i32 = core::mem::offset_of!(JitContext, frames_limit) as i32;
    pub const STACK_LEN: i32 = core::mem::offset_of!(JitContext, stack_len) as i32;
    pub const NATIVE_LIMIT: i32 = core::mem::offset_of!(JitContext, native_limit) as i32;
    pub const ENTRIES: i32 = core::mem::offset_of!(JitContext, entries) as i32;
}

/// A frame record as compiled code writes it: byte offsets of its `u32`
/// fields and its size.
pub mod frame_layout {
    use super::{Cont, Frame};
    pub const SIZE: i32 = core::mem::size_of::<Frame>() as i32;
    pub const METHOD: i32 = core::mem::offset_of!(Frame, method) as i32;
    pub const PC: i32 = core::mem::offset_of!(Frame, pc) as i32;
    pub const BP: i32 = core::mem::offset_of!(Frame, bp) as i32;
    pub const SP: i32 = core::mem::offset_of!(Frame, sp) as i32;
    /// The continuation: a tag word, then one payload word.
    pub const CONT: i32 = core::mem::offset_of!(Frame, cont) as i32;
    pub const AUX: i32 = core::mem::offset_of!(Frame, aux) as i32;
    /// The tag of a frame called from compiled code (`Cont::Entry`).
    pub const CONT_ENTRY: u32 = Cont::ENTRY_TAG;
    const _: () = assert!(core::mem::size_of::<Cont>() == 8 && AUX + 4 == SIZE);
}

/// Object format constants compiled code relies on (heap module docs).
pub mod layout {
    /// Instance fields start after an 8-byte header.
    pub const INSTANCE_HEADER: i32 = 8;
    /// Array: length at 8, elements from 16.
    pub const ARRAY_LENGTH: i32 = 8;
    pub const ARRAY_HEADER: i32 = 16;
    /// Header word 1: element kind in bits 1..=4 (`ElementKind` codes).
    pub const KIND_SHIFT: u32 = 1;
    pub const KIND_BOOLEAN: u32 = 4;
}

// ---- the compiler plug-in ----

/// A compiled method.
#[derive(Clone, Copy, Debug)]
pub struct Compiled {
    pub entry: JitEntry,
    /// Machine code bytes.
    pub code_size: usize,
    /// A quick first tier (docs/jit.md, "The baseline tier"): only when
    /// [`CompileEnv::may_use_baseline`] allowed it. Such code calls
    /// [`Helpers::hot`] on every entry, and the VM compiles the method
    /// again, optimized, once it is hot.
    pub baseline: bool,
}

/// Why a method stays interpreted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decline(pub String);

/// A code generator. `compile` reads everything through `env` and returns
/// executable code, or declines (the method stays interpreted; never a
/// miscompilation).
pub trait Compiler {
    fn compile(&mut self, env: &CompileEnv<'_>, method: MethodId) -> Result<Compiled, Decline>;
}

/// How the VM uses its compiler.
#[derive(Clone, Copy, Debug)]
pub struct JitConfig {
    /// Compile a method when compiled code first invokes it (phase 1's
    /// "compile everything reachable" mode).
    pub compile_on_invoke: bool,
    /// Tiering: `Some(n)` compiles a method when it is entered (a fresh
    /// frame, from the interpreter or compiled code) after its hotness
    /// (invocations plus the back edges and calls counted while it was the
    /// top interpreted frame) reached `n`, and from then on enters its
    /// code wherever a fresh frame of it starts; `Some(0)` compiles every
    /// method before its first run. `None`: only explicit
    /// [`Vm::jit_compile`] and `compile_on_invoke` compile, and the
    /// interpreter never enters compiled code by itself (phase 1's tests
    /// compare the two on one VM).
    pub threshold: Option<u32>,
    /// Native stack compiled code may use below the outermost compiled
    /// entry (calls between compiled methods recurse natively); beyond it
    /// a call throws `StackOverflowError`.
    pub native_stack_bytes: usize,
    /// Deoptimizations a method's code may take before it is compiled
    /// again with slow paths that rejoin the code instead (0: never
    /// deoptimize). See [`Helpers::deopt`].
    pub deopt_limit: u32,
    /// Tiered compilation's second threshold: with `Some(n)`, a method
    /// compiled while its hotness is below `n` may get baseline code
    /// ([`Compiled::baseline`]), which counts its entries and has the
    /// method compiled again, optimized, when its hotness reaches `n`.
    /// `None`: every compile asks for optimized code.
    pub optimize_at: Option<u32>,
}

/// [`JitConfig::deopt_limit`] by default: enough for a warm-up's growing
/// queues and first-time paths, few enough that code whose slow path is
/// common soon stops leaving it.
pub const DEFAULT_DEOPT_LIMIT: u32 = 16;

impl Default for JitConfig {
    fn default() -> Self {
        JitConfig {
            compile_on_invoke: false,
            threshold: None,
            native_stack_bytes: 1 << 20,
            deopt_limit: DEFAULT_DEOPT_LIMIT,
            optimize_at: None,
        }
    }
}

/// What entering a fresh frame's compiled code did (the interpreter
/// loop's `'reload` point).
pub(crate) enum JitStep {
    /// Not compiled (or not a fresh frame): interpret the top frame.
    Interpret,
    /// The frame returned or unwound into another frame: reload the top.
    Reload,
    /// The entry frame of this loop returned this raw value.
    Return(u64),
}

#[derive(Clone, Copy)]
enum MethodJit {
    NotTried,
    Code(JitEntry),
    /// Baseline code ([`Compiled::baseline`]): compiled again once hot.
    Baseline(JitEntry),
    Declined,
}

impl MethodJit {
    fn entry(self) -> Option<JitEntry> {
        match self {
            MethodJit::Code(e) | MethodJit::Baseline(e) => Some(e),
            MethodJit::NotTried | MethodJit::Declined => None,
        }
    }
}

/// The VM's JIT state (a field of [`Vm`]).
pub struct JitState {
    compiler: Option<Box<dyn Compiler>>,
    config: JitConfig,
    methods: Vec<MethodJit>,
    /// Each method's compiled entry as an address, 0 if none (compiled
    /// code reads it for direct calls: [`JitContext::entries`]).
    entries: Vec<usize>,
    ctx: *mut JitContext,
    /// What a helper's non-zero status means.
    pub(crate) pending: Option<Exit>,
    /// The non-zero status is a deoptimization (`h_deopt`), not `pending`:
    /// the interpreter continues the top frame where the record says.
    deopting: bool,
    /// Deoptimizations taken, in all and per method: a method that
    /// reached [`JitConfig::deopt_limit`] is compiled without them.
    deoptimizations: u64,
    deopts: Vec<u32>,
    /// Changes of which methods have code: compiles, and code dropped.
    code_changes: u64,
    /// Calls compiled code made through the call helper (`h_call`), not
    /// directly or inlined.
    call_helper_calls: u64,
    /// Calls compiled code made through the native helper (`h_native`).
    native_helper_calls: u64,
    /// Lowest native stack address compiled code may reach, and the
    /// stack pointer it was set from (0: not yet).
    native_limit: usize,
    limit_sp: usize,
    /// The count of moves of what the context points into
    /// ([`Vm::note_moved`], kept in the frame stack) at the last full
    /// refresh; under GC stress never that count, so that every refresh
    /// takes the cold path, which checks the context against
    /// `ctx_moves_counted` (the count itself).
    ctx_moves: u64,
    ctx_moves_counted: u64,
    /// Compiled frames running natively right now.
    active: u32,
    /// Tiering on (a compiler and a threshold).
    pub(crate) tiering: bool,
    threshold: u32,
    /// Hotness per method (see [`JitConfig::threshold`]).
    counts: Vec<u32>,
    /// The top frame's method at the last `'reload` and the budget then:
    /// the ticks spent since are that method's back edges and calls.
    last_method: usize,
    last_budget: u64,
}

impl Default for JitState {
    fn default() -> Self {
        JitState {
            compiler: None,
            config: JitConfig::default(),
            methods: Vec::new(),
            ctx: Box::into_raw(Box::new(JitContext {
                stack_base: core::ptr::null_mut(),
                heap_base: core::ptr::null_mut(),
                heap_top: core::ptr::null_mut(),
                heap_limit: 0,
                budget: core::ptr::null_mut(),
                static_prims: core::ptr::null_mut(),
                static_refs: core::ptr::null_mut(),
                strings: core::ptr::null(),
                vm: core::ptr::null_mut(),
                frames: core::ptr::null_mut(),
                frames_len: core::ptr::null_mut(),
                frames_limit: 0,
                stack_len: 0,
                native_limit: 0,
                entries: core::ptr::null(),
            })),
            entries: Vec::new(),
            pending: None,
            deopting: false,
            deoptimizations: 0,
            code_changes: 0,
            deopts: Vec::new(),
            call_helper_calls: 0,
            native_helper_calls: 0,
            native_limit: 0,
            limit_sp: 0,
            ctx_moves: u64::MAX,
            ctx_moves_counted: u64::MAX,
            active: 0,
            tiering: false,
            threshold: 0,
            counts: Vec::new(),
            last_method: usize::MAX,
            last_budget: 0,
        }
    }
}

impl Drop for JitState {
    fn drop(&mut self) {
        // SAFETY: allocated by Box::into_raw in `default`, freed once here.
        drop(unsafe { Box::from_raw(self.ctx) });
    }
}

/// Read-only access to the VM for a compiler.
pub struct CompileEnv<'v> {
    vm: &'v Vm,
    baseline: bool,
}

impl<'v> CompileEnv<'v> {
    /// The method's code and signature; `None` for abstract and native methods.
    pub fn method(&self, m: MethodId) -> Option<MethodData<'v>> {
        let vm = self.vm;
        let method = vm.methods.get(m.ix())?;
        let code = method.code.as_deref()?;
        let mut arg_kinds = Vec::new();
        if !method.is_static() {
            arg_kinds.push(SlotKind::Ref);
        }
        let md = crate::classfile::descriptor::parse_method_descriptor(&method.descriptor)?;
        for p in &md.parameters {
            arg_kinds.push(kind_of_field_type(p));
        }
        Some(MethodData {
            id: m,
            class: method.class,
            name: &method.name,
            descriptor: &method.descriptor,
            is_static: method.is_static(),
            is_synchronized: method.is_synchronized(),
            arg_kinds,
            ret: ret_slot_kind(method.ret),
            code: &code.bytes,
            max_locals: code.max_locals,
            max_stack: code.max_stack,
            handlers: &code.handlers,
            major: vm.classes[method.class.ix()].major,
        })
    }

    pub fn helpers(&self) -> Helpers {
        Helpers {
            exec: h_exec as *const () as usize,
            call: h_call as *const () as usize,
            unwind: h_unwind as *const () as usize,
            native: h_native as *const () as usize,
            aastore: h_aastore as *const () as usize,
            throw: h_throw as *const () as usize,
            frem: h_frem as *const () as usize,
            drem: h_drem as *const () as usize,
            deopt: h_deopt as *const () as usize,
            hot: h_hot as *const () as usize,
        }
    }

    /// Whether `m`'s code may leave for the interpreter on a cold slow
    /// path ([`Helpers::deopt`]) instead of rejoining the code after it:
    /// not once `m` deoptimized [`JitConfig::deopt_limit`] times.
    pub fn may_deoptimize(&self, m: MethodId) -> bool {
        let jit = &self.vm.jit;
        jit.deopts.get(m.ix()).copied().unwrap_or(0) < jit.config.deopt_limit
    }

    /// Whether this compile may produce baseline code
    /// ([`Compiled::baseline`]): tiering has a second threshold
    /// ([`JitConfig::optimize_at`]) and the method has not reached it.
    pub fn may_use_baseline(&self) -> bool {
        self.baseline
    }

    /// Allocation is made to fail inline (every allocation collects).
    pub fn gc_stress(&self) -> bool {
        self.vm.config.gc_stress
    }

    fn cp(&self, cls: ClassId) -> &'v [CpEntry] {
        &self.vm.classes[cls.ix()].cp
    }

    /// The descriptor of a field, method or call-site reference.
    pub fn member_descriptor(&self, cls: ClassId, idx: u16) -> Option<&'v [u8]> {
        let cp = self.cp(cls);
        let nat = match cp.get(usize::from(idx))? {
            CpEntry::Field { nat, .. } | CpEntry::Method { nat, .. } | CpEntry::InvokeDynamic { nat, .. } => *nat,
            _ => return None,
        };
        match cp.get(usize::from(nat))? {
            CpEntry::NameAndType { descriptor, .. } => match cp.get(usize::from(*descriptor))? {
                CpEntry::Utf8(b) => Some(b),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn constant(&self, cls: ClassId, idx: u16) -> Option<Constant> {
        Some(match self.cp(cls).get(usize::from(idx))? {
            CpEntry::Int(v) => Constant::Int(*v),
            CpEntry::Float(v) => Constant::Float(*v),
            CpEntry::Long(v) => Constant::Long(*v),
            CpEntry::Double(v) => Constant::Double(*v),
            CpEntry::String { interned: Some(i), .. } => Constant::InternedString(*i),
            CpEntry::String { .. } => Constant::String,
            CpEntry::Class { .. } | CpEntry::MethodType { .. } | CpEntry::MethodHandle { .. } => Constant::OtherRef,
            CpEntry::Dynamic { .. } => return None,
            _ => return None,
        })
    }

    /// The operand of `getfield`/`putfield` (`is_static` false) or
    /// `getstatic`/`putstatic`.
    pub fn field(&self, cls: ClassId, idx: u16, is_static: bool, put: bool) -> Option<FieldFact> {
        let d = self.member_descriptor(cls, idx)?;
        let b = *d.first()?;
        let vk = ValueKind::from_descriptor_byte(b);
        let fast_offset = match self.cp(cls).get(usize::from(idx))? {
            CpEntry::Field { res: Res::Ok(fr), .. }
                if fr.is_static == is_static
                    && (!put || fr.put_ok)
                    && (!is_static || self.vm.classes[fr.class.ix()].state == InitState::Initialized) =>
            {
                Some(fr.offset)
            }
            _ => None,
        };
        Some(FieldFact {
            kind: SlotKind::from_descriptor_byte(b),
            size: vk.size(),
            signed: matches!(vk, ValueKind::Boolean | ValueKind::Byte | ValueKind::Short),
            boolean: vk == ValueKind::Boolean,
            fast_offset,
        })
    }

    /// The signature of an `invoke*` (the pool entry's descriptor).
    pub fn call(&self, cls: ClassId, idx: u16) -> Option<CallSig> {
        let d = self.member_descriptor(cls, idx)?;
        let md = crate::classfile::descriptor::parse_method_descriptor(d)?;
        let args: Vec<SlotKind> = md.parameters.iter().map(kind_of_field_type).collect();
        let arg_slots = args.iter().map(|k| k.slots() as u16).sum();
        let ret = ret_slot_kind(ret_kind(md.return_type.as_ref()));
        Some(CallSig { args, arg_slots, ret })
    }

    /// The target of the invoke instruction `opcode` with pool entry
    /// `idx`, if resolution (and for `invokestatic` initialization) fixed
    /// it: what the interpreter quickens the instruction to.
    pub fn call_target(&self, opcode: u8, cls: ClassId, idx: u16) -> Option<ResolvedCall> {
        use crate::interp::quick::q;
        let i = self.vm.quicken_invoke(opcode, cls, idx, 3)?;
        let target = match i.op() {
            q::INVOKE_STATIC => CallTarget::Static(MethodId(i.c())),
            q::INVOKE_DIRECT => CallTarget::Direct(MethodId(i.c())),
            q::INVOKE_VT => CallTarget::Virtual(i.c()),
            q::INVOKE_IFACE => CallTarget::Interface(MethodId(i.c())),
            _ => return None,
        };
        Some(ResolvedCall { target, arg_slots: i.b() as u16 })
    }

    /// The method an invoke instruction runs, for inlining: the static or
    /// direct target [`CompileEnv::call_target`] fixes, or for a virtual
    /// or interface call the selection for the receiver class the site
    /// saw first (then guarded by that class's layout). `None` when no
    /// bytecode method is known (natives, abstract, uncached selections)
    /// or the method is synchronized.
    pub fn inline_target(&self, opcode: u8, cls: ClassId, idx: u16) -> Option<InlineTarget> {
        let vm = self.vm;
        let (method, guard_layout) = self.known_callee(opcode, cls, idx)?;
        let m = &vm.methods[method.ix()];
        if m.code.is_none() || m.is_synchronized() || m.is_abstract() {
            return None;
        }
        Some(InlineTarget { method, guard_layout })
    }

    /// The native an invoke calls, if known now (as for
    /// [`CompileEnv::inline_target`]): linked to a Rust function, not
    /// synchronized, and not one [`CompileEnv::pure_native`] handles.
    pub fn native_call(&self, opcode: u8, cls: ClassId, idx: u16) -> Option<NativeCall> {
        if self.pure_native(opcode, cls, idx).is_some() {
            return None;
        }
        let (method, guard_layout) = self.known_callee(opcode, cls, idx)?;
        let m = &self.vm.methods[method.ix()];
        if m.code.is_some() || m.native.is_none() || m.is_synchronized() {
            return None;
        }
        Some(NativeCall { method, guard_layout })
    }

    /// The method an invoke runs as far as the VM knows it now, and for
    /// virtual and interface sites the layout of the receiver class the
    /// selection holds for.
    fn known_callee(&self, opcode: u8, cls: ClassId, idx: u16) -> Option<(MethodId, Option<u32>)> {
        let vm = self.vm;
        let (method, seen) = match self.call_target(opcode, cls, idx)?.target {
            CallTarget::Static(m) | CallTarget::Direct(m) => (m, None),
            CallTarget::Virtual(slot) => {
                let c = self.seen_class(cls, idx)?;
                (*vm.classes[c.ix()].vtable.get(slot as usize)?, Some(c))
            }
            CallTarget::Interface(resolved) => {
                let c = self.seen_class(cls, idx)?;
                match vm.classes[c.ix()].itable.get(&resolved)? {
                    Selected::Method(t) => (*t, Some(c)),
                    _ => return None,
                }
            }
        };
        let guard_layout = match seen {
            Some(c) => Some(vm.classes[c.ix()].layout?.index()),
            None => None,
        };
        Some((method, guard_layout))
    }

    /// Whether the invoke at pool entry `idx` looks cold from the
    /// interpreter's counts, with tiering on: never resolved (never run),
    /// or a bytecode target without compiled code whose hotness
    /// (entries plus back edges, as tiering counts) is under an eighth of
    /// the threshold (a queue's `grow`, a lazy initializer), while the
    /// caller being compiled reached the threshold. An inlined body leaves
    /// for the call's slow path there instead of calling (docs/jit.md,
    /// "Cold calls").
    pub fn cold_call(&self, opcode: u8, cls: ClassId, idx: u16) -> bool {
        let vm = self.vm;
        if !vm.jit.tiering || vm.jit.threshold < COLD_MIN_THRESHOLD {
            return false;
        }
        let Some((m, _)) = self.known_callee(opcode, cls, idx) else {
            // Unknown callee: cold only if the site never ran.
            return matches!(self.cp(cls).get(usize::from(idx)), Some(CpEntry::Method { res: Res::Unresolved, .. }));
        };
        let mm = &vm.methods[m.ix()];
        mm.code.is_some()
            && !vm.is_compiled(m)
            && vm.jit.counts.get(m.ix()).copied().unwrap_or(0) < vm.jit.threshold / 8
    }

    /// The callee of an invoke compiled code may call directly: a fixed
    /// target (static, direct, or the selection for the receiver class
    /// the site saw, then guarded) with bytecode, not synchronized.
    pub fn direct_call(&self, opcode: u8, cls: ClassId, idx: u16) -> Option<DirectCall> {
        let t = self.inline_target(opcode, cls, idx)?;
        let code = self.vm.methods[t.method.ix()].code.as_deref()?;
        Some(DirectCall {
            method: t.method,
            max_locals: code.max_locals,
            max_stack: code.max_stack,
            guard_layout: t.guard_layout,
        })
    }

    /// The frameless form of the native an `invokestatic` calls, if it
    /// has one (and its class is initialized).
    pub fn pure_native(&self, opcode: u8, cls: ClassId, idx: u16) -> Option<PureNative> {
        if opcode != op::INVOKESTATIC {
            return None;
        }
        let CallTarget::Static(m) = self.call_target(opcode, cls, idx)?.target else { return None };
        let vm = self.vm;
        let mm = &vm.methods[m.ix()];
        let f = mm.native?;
        if mm.code.is_some() || mm.is_synchronized() {
            return None;
        }
        if let Some(access) = mm.raw {
            return Some(PureNative::Raw(access));
        }
        if let Some(leaf) = mm.leaf {
            return Some(PureNative::Leaf(leaf as usize));
        }
        match &vm.classes[mm.class.ix()].name[..] {
            b"java/lang/Float" | b"java/lang/Double" => {
                super::natives::is_raw_bits_native(f).then_some(PureNative::RawBits)
            }
            b"java/lang/StrictMath" => super::math::strict_math_direct(&mm.name, f),
            _ if vm.is_nano_time(m) => vm.config.nano_clock.map(|c| PureNative::Clock(c as usize)),
            _ => None,
        }
    }

    /// The receiver class the generic invoke path cached in the pool
    /// entry (the first one it dispatched on), if any.
    fn seen_class(&self, cls: ClassId, idx: u16) -> Option<ClassId> {
        let CpEntry::Method { res: Res::Ok(mr), .. } = self.cp(cls).get(usize::from(idx))? else { return None };
        let c = ClassId(mr.cache_class);
        let k = self.vm.classes.get(c.ix())?;
        matches!(k.kind, ClassKind::Instance).then_some(c)
    }

    /// The class at pool entry `idx`, if resolved.
    pub fn class(&self, cls: ClassId, idx: u16) -> Option<ClassFact> {
        let CpEntry::Class { res: Res::Ok(c), .. } = self.cp(cls).get(usize::from(idx))? else { return None };
        Some(self.class_fact(*c))
    }

    fn class_fact(&self, c: ClassId) -> ClassFact {
        let vm = self.vm;
        let k = &vm.classes[c.ix()];
        let instantiable = k.flags & (crate::classfile::flags::ACC_ABSTRACT | crate::classfile::flags::ACC_INTERFACE)
            == 0
            && matches!(k.kind, ClassKind::Instance);
        let is_final = match k.kind {
            ClassKind::Instance => k.flags & crate::classfile::flags::ACC_FINAL != 0,
            ClassKind::Array { component, .. } => {
                let ck = &vm.classes[component.ix()];
                matches!(ck.kind, ClassKind::Primitive(_))
                    || (matches!(ck.kind, ClassKind::Instance) && ck.flags & crate::classfile::flags::ACC_FINAL != 0)
            }
            ClassKind::Primitive(_) => true,
        };
        ClassFact {
            id: c,
            layout: k.layout.map(|l| l.index()),
            new_inline: instantiable && k.state == InitState::Initialized && k.layout.is_some(),
            instance_size: ((8 + k.field_bytes as usize + 7) & !7) as u32,
            is_final,
            array_layout: k.array_class.and_then(|a| vm.classes[a.ix()].layout).map(|l| l.index()),
        }
    }

    /// The layout of `Object[]`, if that class exists: a store into an
    /// array of exactly that class needs no store check.
    pub fn object_array_layout(&self) -> Option<u32> {
        let ac = self.vm.classes[self.vm.wk.object?.ix()].array_class?;
        self.vm.classes[ac.ix()].layout.map(|l| l.index())
    }

    /// The layout of the array class for `newarray`'s `atype`, if it exists.
    pub fn primitive_array_layout(&self, atype: u8) -> Option<u32> {
        let code = crate::interp::atype_descriptor(atype)?;
        let pc = self
            .vm
            .wk
            .primitives
            .iter()
            .copied()
            .find(|p| matches!(self.vm.classes[p.ix()].kind, ClassKind::Primitive(b) if b == code))?;
        let ac = self.vm.classes[pc.ix()].array_class?;
        self.vm.classes[ac.ix()].layout.map(|l| l.index())
    }
}

fn kind_of_field_type(t: &crate::classfile::descriptor::FieldType<'_>) -> SlotKind {
    use crate::classfile::descriptor::{BaseType, FieldType};
    match t {
        FieldType::Base(BaseType::Float) => SlotKind::Float,
        FieldType::Base(BaseType::Long) => SlotKind::Long,
        FieldType::Base(BaseType::Double) => SlotKind::Double,
        FieldType::Base(_) => SlotKind::Int,
        _ => SlotKind::Ref,
    }
}

fn ret_slot_kind(r: RetKind) -> Option<SlotKind> {
    match r {
        RetKind::Void => None,
        RetKind::Int => Some(SlotKind::Int),
        RetKind::Float => Some(SlotKind::Float),
        RetKind::Long => Some(SlotKind::Long),
        RetKind::Double => Some(SlotKind::Double),
        RetKind::Ref => Some(SlotKind::Ref),
    }
}

/// Below this tiering threshold (`all`, tests) no call is taken for cold
/// ([`CompileEnv::cold_call`]): the counts say too little.
pub const COLD_MIN_THRESHOLD: u32 = 128;

// ---- the VM side ----

impl Vm {
    /// Installs a compiler (replacing any earlier one and its code).
    pub fn set_compiler(&mut self, compiler: Box<dyn Compiler>, config: JitConfig) {
        self.jit.compiler = Some(compiler);
        self.jit.config = config;
        // The native stack's share may differ: set the limit again.
        self.jit.limit_sp = 0;
        self.jit.methods.clear();
        self.jit.entries.clear();
        self.jit.tiering = config.threshold.is_some();
        if self.jit.tiering {
            self.unquicken_twins();
        }
        self.jit.threshold = config.threshold.unwrap_or(u32::MAX);
        self.jit.counts.clear();
        self.jit.last_method = usize::MAX;
        self.note_idle_entries();
    }

    /// The `'reload` point of the interpreter loop with tiering on: counts
    /// the ticks since the last reload against the method that was on
    /// top, and if the top frame is fresh (just pushed: pc 0, empty
    /// operand stack) counts an invocation, compiles the method once it
    /// is hot and runs its code. Re-entering at pc 0 a frame that was
    /// suspended there (a `<clinit>` ran first) is the same as a fresh
    /// start: nothing of the method ran yet, or (a loop back to pc 0) the
    /// verifier allows only the arguments to be live there.
    pub(crate) fn jit_reload(&mut self, stop: usize) -> Result<JitStep, Exit> {
        let b = self.budget_left;
        let spent = self.jit.last_budget.saturating_sub(b);
        if let Some(c) = self.jit.counts.get_mut(self.jit.last_method) {
            *c = c.saturating_add(spent.min(u64::from(u32::MAX)) as u32);
        }
        self.jit.last_budget = b;
        let Some(&f) = self.frames.last() else { return Ok(JitStep::Interpret) };
        self.jit.last_method = f.method.ix();
        if f.pc != 0 || f.cont == Cont::Native {
            return Ok(JitStep::Interpret);
        }
        let fresh = match &self.methods[f.method.ix()].code {
            Some(code) => f.sp == f.bp + u32::from(code.max_locals),
            None => false,
        };
        if !fresh {
            return Ok(JitStep::Interpret);
        }
        let Some(entry) = self.tier_up(f.method) else { return Ok(JitStep::Interpret) };
        let status = self.call_entry(entry, f.bp);
        if status == STATUS_RETURN {
            let slots = self.methods[f.method.ix()].ret.slots();
            let value = self.stack[f.bp as usize];
            return match self.do_return(value, slots, stop) {
                Ok(Some(v)) => Ok(JitStep::Return(v)),
                Ok(None) => Ok(JitStep::Reload),
                Err(e) => {
                    self.raise(e, stop)?;
                    Ok(JitStep::Reload)
                }
            };
        }
        self.raise_pending(stop)?;
        Ok(JitStep::Reload)
    }

    /// For a method whose interpreter twin is about to run: counts the
    /// entry as tiering would and says whether the method has compiled
    /// code now, which the caller then runs instead (a twin must not keep
    /// its method from being compiled, or compiled callers could only
    /// reach it through the call helper).
    pub(crate) fn twin_yields_to_code(&mut self, m: MethodId) -> bool {
        self.jit.tiering && self.tier_up(m).is_some()
    }

    /// Counts an entry of `m` and returns its code, compiling it if it has
    /// become hot.
    fn tier_up(&mut self, m: MethodId) -> Option<JitEntry> {
        let ix = m.ix();
        // Baseline code counts its own entries (`Helpers::hot`).
        if let Some(e) = self.jit.methods.get(ix).and_then(|j| j.entry()) {
            return Some(e);
        }
        let c = self.count_entry(ix);
        if c <= self.jit.threshold || matches!(self.jit.methods.get(ix), Some(MethodJit::Declined)) {
            return None;
        }
        self.jit_compile(m).ok()?;
        self.compiled_entry(m)
    }

    /// Runs compiled code on the top frame (at `bp`); its status. Always
    /// inline: out of line it was a frame of its own on every entry (a
    /// server's call went through it, aarch64 38 instructions).
    #[inline(always)]
    pub(crate) fn call_entry(&mut self, entry: JitEntry, bp: u32) -> u32 {
        if self.jit.active == 0 {
            self.set_native_limit();
        }
        self.refresh_jit_context();
        self.jit.active += 1;
        // SAFETY: `entry` was produced by the installed compiler for the
        // top frame's method and follows the ABI of this module; the
        // context is fresh.
        let status = unsafe { entry(self.jit.ctx, u64::from(bp)) };
        self.jit.active -= 1;
        status
    }

    /// [`Vm::call_entry`] from an idle VM (no frame, so no compiled code
    /// running): the outermost entry, without reading `active`.
    #[inline(always)]
    pub(crate) fn call_idle_entry(&mut self, entry: JitEntry) -> u32 {
        debug_assert!(self.jit.active == 0 && self.frames.len() == 1);
        self.set_native_limit();
        self.refresh_jit_context();
        self.jit.active = 1;
        // SAFETY: as in `call_entry`.
        let status = unsafe { entry(self.jit.ctx, 0) };
        self.jit.active = 0;
        status
    }

    /// Calls compiled code made through the call helper so far (the ones
    /// it could not make directly or inline).
    pub fn jit_call_helper_calls(&self) -> u64 {
        self.jit.call_helper_calls
    }

    /// Calls of natives compiled code made through the native helper
    /// (the call sites [`CompileEnv::native_call`] knew).
    pub fn jit_native_helper_calls(&self) -> u64 {
        self.jit.native_helper_calls
    }

    /// Hotness of `m` so far (tiering).
    pub fn jit_count(&self, m: MethodId) -> u32 {
        self.jit.counts.get(m.ix()).copied().unwrap_or(0)
    }

    /// Compiles `m` now (once: later calls report the first outcome).
    pub fn jit_compile(&mut self, m: MethodId) -> Result<(), Decline> {
        match self.jit.methods.get(m.ix()).copied().unwrap_or(MethodJit::NotTried) {
            MethodJit::Code(_) | MethodJit::Baseline(_) => return Ok(()),
            MethodJit::Declined => return Err(Decline(String::from("declined before"))),
            MethodJit::NotTried => {}
        }
        let baseline = self.jit.config.optimize_at.is_some_and(|n| self.jit_count(m) < n);
        self.compile_and_install(m, baseline)
    }

    /// Has the compiler compile `m` and installs the code, or records
    /// that it declined.
    fn compile_and_install(&mut self, m: MethodId, baseline: bool) -> Result<(), Decline> {
        let Some(mut c) = self.jit.compiler.take() else {
            return Err(Decline(String::from("no compiler installed")));
        };
        self.preresolve(m);
        let r = c.compile(&CompileEnv { vm: self, baseline }, m);
        self.jit.compiler = Some(c);
        if self.jit.methods.len() <= m.ix() {
            self.jit.methods.resize(self.methods.len().max(m.ix() + 1), MethodJit::NotTried);
        }
        match r {
            Ok(compiled) => {
                self.jit.methods[m.ix()] = if baseline && compiled.baseline {
                    MethodJit::Baseline(compiled.entry)
                } else {
                    MethodJit::Code(compiled.entry)
                };
                self.jit.code_changes += 1;
                if self.jit.entries.len() <= m.ix() {
                    self.jit.entries.resize(self.methods.len().max(m.ix() + 1), 0);
                    self.note_moved();
                }
                self.jit.entries[m.ix()] = compiled.entry as usize;
                Ok(())
            }
            Err(d) => {
                self.jit.methods[m.ix()] = MethodJit::Declined;
                Err(d)
            }
        }
    }

    /// A count that changes whenever a method gets compiled code or loses
    /// it: an embedder that reports which methods run compiled (a VIF's
    /// `jit_methods`) looks again only when it moved.
    pub fn jit_code_changes(&self) -> u64 {
        self.jit.code_changes
    }

    /// Whether `m` has compiled code.
    pub fn is_compiled(&self, m: MethodId) -> bool {
        self.compiled_entry(m).is_some()
    }

    pub(crate) fn compiled_entry(&self, m: MethodId) -> Option<JitEntry> {
        self.jit.methods.get(m.ix()).and_then(|j| j.entry())
    }

    /// Counts an entry of method `ix` toward its hotness; the count now.
    fn count_entry(&mut self, ix: usize) -> u32 {
        if self.jit.counts.len() <= ix {
            self.jit.counts.resize(self.methods.len().max(ix + 1), 0);
        }
        let c = self.jit.counts[ix].saturating_add(1);
        self.jit.counts[ix] = c;
        c
    }

    /// Whether `m` runs baseline code (compiled again once hot).
    pub fn is_baseline(&self, m: MethodId) -> bool {
        matches!(self.jit.methods.get(m.ix()), Some(MethodJit::Baseline(_)))
    }

    /// An entry into `m`'s baseline code ([`Helpers::hot`]): counts it,
    /// and once `m`'s hotness reaches [`JitConfig::optimize_at`] compiles
    /// `m` optimized; the calls after this one run that code. If the
    /// compiler declines, the baseline code stays, uncounted.
    fn count_baseline_entry(&mut self, m: MethodId) {
        let ix = m.ix();
        let Some(&MethodJit::Baseline(entry)) = self.jit.methods.get(ix) else { return };
        if self.count_entry(ix) < self.jit.config.optimize_at.unwrap_or(u32::MAX) {
            return;
        }
        if self.compile_and_install(m, false).is_err() {
            self.jit.methods[ix] = MethodJit::Code(entry);
        }
    }

    /// The methods a class declares.
    pub fn class_methods(&self, c: ClassId) -> &[MethodId] {
        &self.classes[c.ix()].methods
    }

    /// A method's name and descriptor.
    pub fn method_name(&self, m: MethodId) -> (&[u8], &[u8]) {
        let mm = &self.methods[m.ix()];
        (&mm.name, &mm.descriptor)
    }

    /// A method's class (dotted), name and descriptor, for reports.
    pub fn method_names(&self, m: MethodId) -> (String, String, String) {
        let mm = &self.methods[m.ix()];
        (dotted(&self.classes[mm.class.ix()].name), decode_lossy(&mm.name), decode_lossy(&mm.descriptor))
    }

    /// Bytes of bytecode of `m` (0 without code).
    pub fn method_code_len(&self, m: MethodId) -> usize {
        self.methods[m.ix()].code.as_ref().map_or(0, |c| c.bytes.len())
    }

    /// Calls `m` (non-virtually, like [`Vm::invoke`]) running its compiled
    /// code, compiling it first if needed; if it cannot be compiled this is
    /// an internal error. Exceptions it throws unwind as usual: a handler
    /// in the method continues it in the interpreter.
    pub fn invoke_compiled(&mut self, m: MethodId, args: &[Value]) -> Result<Value, VmError> {
        self.boot()?;
        self.enter();
        if let Err(Decline(why)) = self.jit_compile(m) {
            return Err(VmError::Internal(format!("method not compiled: {why}")));
        }
        let limit_set = self.jit.active == 0;
        if limit_set {
            self.set_native_limit();
        }
        let r = self.call_compiled_from_rust(m, args);
        r.map_err(|e| self.exit_to_vm(e))
    }

    fn call_compiled_from_rust(&mut self, m: MethodId, args: &[Value]) -> Result<Value, Exit> {
        let entry = self.compiled_entry(m).ok_or_else(|| Exit::internal("not compiled"))?;
        let (base, ret) = self.push_rust_args(m, args)?;
        let stop = self.frames.len();
        self.invoke_at(m, base, Cont::Entry)?;
        let raw = self.run_compiled(entry, stop)?;
        Ok(crate::interp::invoke::raw_value(raw, ret))
    }

    /// Runs the top frame (index `stop`, continuation `Entry`) with its
    /// compiled code until it returns (its raw value) or unwinds past
    /// `stop`. If the code leaves with a pending exception that a handler
    /// of the frame catches, the interpreter finishes the frame.
    pub(crate) fn run_compiled(&mut self, entry: JitEntry, stop: usize) -> Result<u64, Exit> {
        let f = *self.frames.last().ok_or_else(|| Exit::internal("run_compiled without a frame"))?;
        let status = self.call_entry(entry, f.bp);
        self.finish_compiled(status, stop)
    }

    /// What follows compiled code's return with `status` to a frame
    /// pushed at depth `stop` (see [`Vm::run_compiled`]).
    pub(crate) fn finish_compiled(&mut self, status: u32, stop: usize) -> Result<u64, Exit> {
        let f = *self.frames.last().ok_or_else(|| Exit::internal("compiled code returned without a frame"))?;
        if status == STATUS_RETURN {
            let slots = self.methods[f.method.ix()].ret.slots();
            let value = self.stack[f.bp as usize];
            return match self.do_return(value, slots, stop)? {
                Some(v) => Ok(v),
                None => Err(Exit::internal("compiled frame was not an entry frame")),
            };
        }
        self.raise_pending(stop)?;
        // A handler of the frame caught it: the interpreter finishes the
        // frame. Not `run_nested`: the native stack is bounded by the
        // check in `exec_invoke` instead, so compiled and interpreted
        // frames may alternate as deeply as `max_depth` allows.
        self.run(stop)
    }

    /// After compiled code left with [`STATUS_EXIT`]: raises what is
    /// pending in the top frame (index `stop` or above), as
    /// [`Vm::raise`]; `Ok` when a handler caught it and the interpreter
    /// must continue the top frame. After a deoptimization nothing is
    /// raised: the interpreter continues the frame where it left.
    pub(crate) fn raise_pending(&mut self, stop: usize) -> Result<(), Exit> {
        if core::mem::take(&mut self.jit.deopting) {
            return Ok(());
        }
        let e = self.jit.pending.take().unwrap_or_else(|| Exit::internal("compiled code exited without a reason"));
        self.raise(e, stop)
    }

    /// Deoptimizations compiled code took so far.
    pub fn jit_deoptimizations(&self) -> u64 {
        self.jit.deoptimizations
    }

    /// Counts a deoptimization of `m`'s code; on reaching the limit,
    /// compiles `m` again without them, once (the old code stays where it
    /// is: the frame leaving it, and any other activation, still return
    /// through it, and one of those deoptimizing later compiles nothing).
    fn note_deopt(&mut self, m: MethodId) {
        self.jit.deoptimizations += 1;
        let ix = m.ix();
        if self.jit.deopts.len() <= ix {
            self.jit.deopts.resize(self.methods.len().max(ix + 1), 0);
        }
        self.jit.deopts[ix] = self.jit.deopts[ix].saturating_add(1);
        if self.jit.deopts[ix] != self.jit.config.deopt_limit
            || !matches!(self.jit.methods.get(ix), Some(MethodJit::Code(_)))
        {
            return;
        }
        self.jit.methods[ix] = MethodJit::NotTried;
        self.jit.code_changes += 1;
        self.jit.entries[ix] = 0;
        self.note_entries_changed();
        // Declined is a fine outcome too: the interpreter runs it.
        let _ = self.jit_compile(m);
    }

    /// Whether the context no longer describes the VM: the slot vector,
    /// frame records, heap space, statics, strings or compiled entries
    /// moved or grew since the last refresh (comparing is cheaper than
    /// refreshing after every native call).
    fn jit_context_stale(&mut self) -> bool {
        let view = self.heap.raw_view();
        let limit = if self.config.gc_stress { 0 } else { view.limit };
        let (frames, _, frames_room) = self.frames.raw_parts();
        // SAFETY: `ctx` is the live allocation owned by `self.jit`.
        let ctx = unsafe { &*self.jit.ctx };
        ctx.stack_base != self.stack.as_mut_ptr()
            || ctx.stack_len != self.stack.len()
            || ctx.heap_base != view.base
            || ctx.heap_top != view.top
            || ctx.heap_limit != limit
            || ctx.frames != frames as *mut u8
            || ctx.frames_limit != frames_room.min(self.config.max_depth as usize)
            || ctx.static_prims != self.static_prims.as_mut_ptr()
            || ctx.static_refs != self.static_refs.as_mut_ptr() as *mut u32
            || ctx.strings != self.strings.as_ptr() as *const u32
            || ctx.entries != self.jit.entries.as_ptr()
            || self.jit.entries.len() < self.methods.len()
            || ctx.native_limit != self.jit.native_limit
    }

    /// The lowest native stack address compiled code entered from here
    /// may reach, in the VM and in the context (only an outermost entry
    /// sets it: a refresh has nothing to do for it). Entries from the
    /// same depth (a server's calls) find it set.
    #[inline(always)]
    fn set_native_limit(&mut self) {
        let sp = native_sp();
        if sp != self.jit.limit_sp {
            self.set_native_limit_from(sp);
        }
    }

    #[inline(never)]
    fn set_native_limit_from(&mut self, sp: usize) {
        self.jit.limit_sp = sp;
        self.jit.native_limit = sp.saturating_sub(self.jit.config.native_stack_bytes);
        // SAFETY: `ctx` is the live allocation owned by `self.jit`.
        unsafe { (*self.jit.ctx).native_limit = self.jit.native_limit };
    }

    /// Notes that an array the context points into may have moved or
    /// grown (the slot vector, the heap space, statics, strings, compiled
    /// entries): the next [`Vm::refresh_jit_context`] rewrites it all.
    #[inline]
    pub(crate) fn note_moved(&mut self) {
        self.frames.note_moved();
    }

    /// Points the context at the VM's current arrays and heap space. Most
    /// calls find nothing moved since the last time (every entry into
    /// compiled code and every helper's return calls this) and do nothing:
    /// always inline, a call costs as much as the test.
    #[inline(always)]
    pub(crate) fn refresh_jit_context(&mut self) {
        let ctx = self.jit.ctx;
        // SAFETY: `ctx` is the live allocation owned by `self.jit`.
        let current = unsafe { self.jit.ctx_moves == self.frames.moves() && core::ptr::eq((*ctx).vm, self) };
        if !current {
            self.refresh_jit_context_slowly();
        }
    }

    /// The context rewritten; under GC stress, which moves everything all
    /// the time, first a check that the counts missed nothing.
    #[cold]
    #[inline(never)]
    fn refresh_jit_context_slowly(&mut self) {
        if self.config.gc_stress {
            // SAFETY: `ctx` is the live allocation owned by `self.jit`.
            let counted =
                unsafe { core::ptr::eq((*self.jit.ctx).vm, self) } && self.jit.ctx_moves_counted == self.frames.moves();
            if counted {
                assert!(!self.jit_context_stale(), "JIT context stale after no noted move");
                return;
            }
        }
        self.rewrite_jit_context();
    }

    fn rewrite_jit_context(&mut self) {
        self.jit.ctx_moves_counted = self.frames.moves();
        self.jit.ctx_moves = if self.config.gc_stress { u64::MAX } else { self.jit.ctx_moves_counted };
        let view = self.heap.raw_view();
        let limit = if self.config.gc_stress { 0 } else { view.limit };
        // Compiled code indexes the entries by any method it may call.
        if self.jit.entries.len() < self.methods.len() {
            self.jit.entries.resize(self.methods.len(), 0);
        }
        let (frames, frames_len, frames_room) = self.frames.raw_parts();
        let ctx = self.jit.ctx;
        // SAFETY: `ctx` is the live allocation owned by `self.jit`.
        unsafe {
            (*ctx).stack_base = self.stack.as_mut_ptr();
            (*ctx).heap_base = view.base;
            (*ctx).heap_top = view.top;
            (*ctx).heap_limit = limit;
            (*ctx).budget = &mut self.budget_left as *mut u64;
            (*ctx).static_prims = self.static_prims.as_mut_ptr();
            (*ctx).static_refs = self.static_refs.as_mut_ptr() as *mut u32;
            (*ctx).strings = self.strings.as_ptr() as *const u32;
            (*ctx).vm = self as *mut Vm;
            (*ctx).frames = frames as *mut u8;
            (*ctx).frames_len = frames_len;
            (*ctx).frames_limit = frames_room.min(self.config.max_depth as usize);
            (*ctx).stack_len = self.stack.len();
            (*ctx).native_limit = self.jit.native_limit;
            (*ctx).entries = self.jit.entries.as_ptr();
        }
    }
}

/// The native stack pointer (of the caller's frame, or near it): one
/// register read on the two targets we generate code for, where every
/// outermost entry into compiled code reads it.
#[cfg(any(target_arch = "aarch64", target_arch = "x86_64"))]
#[inline(always)]
fn native_sp() -> usize {
    let sp: usize;
    // SAFETY: reads a register; touches no memory.
    unsafe {
        #[cfg(target_arch = "aarch64")]
        core::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags));
        #[cfg(target_arch = "x86_64")]
        core::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags));
    }
    sp
}

/// An address in the current native stack frame.
#[cfg(not(any(target_arch = "aarch64", target_arch = "x86_64")))]
#[inline(never)]
fn native_sp() -> usize {
    let marker = 0u8;
    core::hint::black_box(&marker) as *const u8 as usize
}

// ---- helpers ----

/// The VM behind a context, with the top frame synced to `pc`/`sp`.
///
/// # Safety
/// `ctx` must be the context the VM passed to compiled code that is
/// running now (its `vm` is the running VM, not otherwise borrowed).
unsafe fn helper_vm<'a>(ctx: *mut JitContext, pc: u32, sp: u32) -> &'a mut Vm {
    // SAFETY: per the function contract.
    let vm = unsafe { &mut *(*ctx).vm };
    if let Some(f) = vm.frames.last_mut() {
        f.pc = pc;
        f.sp = f.bp + sp;
    }
    vm
}

fn helper_done(vm: &mut Vm, r: Result<(), Exit>) -> u32 {
    vm.refresh_jit_context();
    match r {
        Ok(()) => 0,
        Err(e) => {
            vm.jit.pending = Some(e);
            STATUS_EXIT
        }
    }
}

unsafe extern "C" fn h_exec(ctx: *mut JitContext, pc: u32, sp: u32) -> u32 {
    // SAFETY: called only by compiled code with its context.
    let vm = unsafe { helper_vm(ctx, pc, sp) };
    let r = vm.exec_one(pc as usize, sp as usize);
    helper_done(vm, r)
}

unsafe extern "C" fn h_call(ctx: *mut JitContext, pc: u32, sp: u32, kind_slots: u32, arg: u32) -> u32 {
    // SAFETY: called only by compiled code with its context.
    let vm = unsafe { helper_vm(ctx, pc, sp) };
    vm.jit.call_helper_calls += 1;
    match vm.exec_call(pc as usize, sp as usize, kind_slots, arg) {
        // The context is as the callee's last helper left it, or as the
        // caller had it (nothing ran that could move anything).
        Ok(true) => 0,
        Ok(false) => helper_done(vm, Ok(())),
        Err(e) => helper_done(vm, Err(e)),
    }
}

unsafe extern "C" fn h_native(ctx: *mut JitContext, pc: u32, sp: u32, arg_slots: u32, method: u32) -> u32 {
    // SAFETY: called only by compiled code with its context.
    let vm = unsafe { &mut *(*ctx).vm };
    vm.jit.native_helper_calls += 1;
    let Some(f) = vm.frames.last_mut() else {
        return helper_done(vm, Err(Exit::internal("native call without a frame")));
    };
    // The caller's frame ends below the arguments, which the native's
    // record covers (what `call_inline` leaves for the collector).
    let base = f.bp as usize + sp as usize - arg_slots as usize;
    f.pc = pc;
    f.sp = base as u32;
    let r = vm.call_tick().and_then(|()| vm.call_native(MethodId(method), base));
    if vm.jit_context_stale() {
        vm.refresh_jit_context();
    }
    match r {
        Ok(_) => 0,
        Err(e) => {
            vm.jit.pending = Some(e);
            STATUS_EXIT
        }
    }
}

unsafe extern "C" fn h_deopt(ctx: *mut JitContext, pc: u32, sp: u32) -> u32 {
    // SAFETY: called only by compiled code with its context.
    let vm = unsafe { helper_vm(ctx, pc, sp) };
    vm.jit.deopting = true;
    if let Some(m) = vm.frames.last().map(|f| f.method) {
        vm.note_deopt(m);
    }
    vm.refresh_jit_context();
    STATUS_EXIT
}

unsafe extern "C" fn h_hot(ctx: *mut JitContext, method: u32) -> u32 {
    // SAFETY: called only by compiled code with its context.
    let vm = unsafe { &mut *(*ctx).vm };
    vm.count_baseline_entry(MethodId(method));
    if vm.jit_context_stale() {
        vm.refresh_jit_context();
    }
    0
}

unsafe extern "C" fn h_unwind(ctx: *mut JitContext) -> u32 {
    // SAFETY: called only by compiled code with its context.
    let vm = unsafe { &mut *(*ctx).vm };
    let r = (|| {
        let callee = vm.frames.len().checked_sub(1).ok_or_else(|| Exit::internal("unwind without a frame"))?;
        vm.raise_pending(callee)?;
        vm.run(callee).map(|_| ())
    })();
    helper_done(vm, r)
}

unsafe extern "C" fn h_aastore(ctx: *mut JitContext, arr: u32, index: u32, value: u32) -> u32 {
    // SAFETY: called only by compiled code with its context.
    let vm = unsafe { &mut *(*ctx).vm };
    let (a, v, i) = (Ref::from_raw(arr), Ref::from_raw(value), index as i32);
    let Ok(len) = vm.heap.array_length(a) else { return 0 };
    if i < 0 || i >= len {
        return 0;
    }
    let (Some(ac), Some(vc)) = (vm.class_of(a), vm.class_of(v)) else { return 0 };
    let ClassKind::Array { component, .. } = vm.classes[ac.ix()].kind else { return 0 };
    if vc != component && !vm.is_instance_of(vc, component) {
        return 0;
    }
    u32::from(vm.heap.set_element(a, i, v).is_ok())
}

/// `sp` for [`Helpers::throw`] when no handler of the method can catch
/// what is raised: the code stored nothing, so the helper clears the
/// frame's locals (the frame only unwinds now, but the collector still
/// scans it while the exception is built).
pub const SP_NOTHING_STORED: u32 = u32::MAX;

unsafe extern "C" fn h_throw(ctx: *mut JitContext, pc: u32, sp: u32, a: i64, b: i64) -> u32 {
    // SAFETY: called only by compiled code with its context.
    let vm = unsafe { &mut *(*ctx).vm };
    let sp = if sp == SP_NOTHING_STORED {
        let (bp, ml) = match vm.frames.last() {
            Some(f) => {
                (f.bp as usize, vm.methods[f.method.ix()].code.as_ref().map_or(0, |c| usize::from(c.max_locals)))
            }
            None => (0, 0),
        };
        vm.stack[bp..bp + ml].fill(0);
        ml as u32
    } else {
        sp
    };
    // SAFETY: as above.
    let vm = unsafe { helper_vm(ctx, pc, sp) };
    let e = vm.inline_check_exit(pc as usize, a, b);
    helper_done(vm, Err(e))
}

extern "C" fn h_frem(a: f32, b: f32) -> f32 {
    crate::interp::ops::frem(a, b)
}

extern "C" fn h_drem(a: f64, b: f64) -> f64 {
    crate::interp::ops::drem(a, b)
}

fn be_u16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn field_name(vm: &Vm, cls: ClassId, idx: u16) -> String {
    match vm.classes[cls.ix()].cp.get(usize::from(idx)) {
        Some(CpEntry::Field { res: Res::Ok(fr), .. }) => decode_lossy(&vm.fields[fr.field.ix()].name),
        _ => {
            let (_, name, _) = vm.cp_member(cls, idx);
            decode_lossy(&name)
        }
    }
}

impl Vm {
    /// The exception (or abort) of a failed inline check at `pc`.
    fn inline_check_exit(&mut self, pc: usize, a: i64, b: i64) -> Exit {
        let Some(f) = self.frames.last() else { return Exit::internal("inline check without a frame") };
        let method = f.method;
        let Some(code) = self.methods[method.ix()].code.clone() else {
            return Exit::internal("inline check without code");
        };
        let opcode = code.bytes[pc];
        match opcode {
            op::IDIV | op::IREM | op::LDIV | op::LREM => Exit::new("java/lang/ArithmeticException", "/ by zero"),
            op::IALOAD..=op::SALOAD | op::IASTORE..=op::SASTORE => {
                if b < 0 {
                    array_exit(AccessError::NullPointer, opcode)
                } else {
                    array_exit(AccessError::IndexOutOfBounds { index: a, length: b as i32 }, opcode)
                }
            }
            op::ARRAYLENGTH => Exit::new("java/lang/NullPointerException", "Cannot read the array length"),
            op::GETFIELD | op::PUTFIELD => {
                let cls = self.methods[method.ix()].class;
                let name = field_name(self, cls, be_u16(&code.bytes, pc + 1));
                let verb = if opcode == op::PUTFIELD { "assign" } else { "read" };
                Exit::new("java/lang/NullPointerException", format!("Cannot {verb} field \"{name}\""))
            }
            op::IFEQ..=op::GOTO | op::GOTO_W | op::IFNULL | op::IFNONNULL | op::TABLESWITCH | op::LOOKUPSWITCH => {
                Exit::Vm(VmError::BudgetExhausted)
            }
            _ => Exit::internal(format!("inline check failed at an unexpected instruction (opcode {opcode})")),
        }
    }

    /// The generic slow path: executes the instruction at `pc` of the top
    /// frame with its operands below slot `bp + sp`, leaving its results
    /// there, as the interpreter would (but running any `<clinit>` or
    /// callee to completion before returning).
    fn exec_one(&mut self, pc: usize, sp: usize) -> Result<(), Exit> {
        let f = *self.frames.last().ok_or_else(|| Exit::internal("exec without a frame"))?;
        let method = f.method;
        let cls = self.methods[method.ix()].class;
        let code = self.methods[method.ix()].code.clone().ok_or_else(|| Exit::internal("exec without code"))?;
        let bytes: &[u8] = &code.bytes;
        let opcode = bytes[pc];
        let top = f.bp as usize + sp;
        let u2 = || be_u16(bytes, pc + 1);
        match opcode {
            op::LDC | op::LDC_W => {
                let idx = if opcode == op::LDC { u16::from(bytes[pc + 1]) } else { u2() };
                let v = self.ldc_value(cls, idx)?;
                self.stack[top] = v;
            }
            op::LDC2_W => {
                self.stack[top] = match self.classes[cls.ix()].cp[usize::from(u2())] {
                    CpEntry::Long(v) => v as u64,
                    CpEntry::Double(v) => v.to_bits(),
                    _ => return Err(Exit::internal("ldc2_w of a non-wide constant")),
                };
            }
            op::GETSTATIC | op::PUTSTATIC | op::GETFIELD | op::PUTFIELD => {
                self.exec_field(opcode, cls, method, u2(), top)?;
            }
            op::INVOKEVIRTUAL | op::INVOKESPECIAL | op::INVOKESTATIC | op::INVOKEINTERFACE | op::INVOKEDYNAMIC => {
                self.exec_invoke(opcode, cls, u2(), top)?;
            }
            op::NEW => {
                let c = self.exec_new_class(cls, u2())?;
                self.heap.note_inline_allocation();
                let r = self.alloc_instance(c)?;
                self.stack[top] = u64::from(r.to_raw());
            }
            op::NEWARRAY => {
                let n = self.stack[top - 1] as u32 as i32;
                let ac = self.primitive_array_class(bytes[pc + 1])?;
                self.heap.note_inline_allocation();
                let r = self.alloc_array(ac, n)?;
                self.stack[top - 1] = u64::from(r.to_raw());
            }
            op::ANEWARRAY => {
                let n = self.stack[top - 1] as u32 as i32;
                let c = self.resolve_class(cls, u2()).map_err(Exit::Link)?;
                let ac = match self.classes[c.ix()].array_class {
                    Some(a) => a,
                    None => self.array_class_of(c).map_err(Exit::Link)?,
                };
                self.heap.note_inline_allocation();
                let r = self.alloc_array(ac, n)?;
                self.stack[top - 1] = u64::from(r.to_raw());
            }
            op::MULTIANEWARRAY => {
                let dims = usize::from(bytes[pc + 3]);
                let base = top - dims;
                let ac = self.resolve_class(cls, u2()).map_err(Exit::Link)?;
                let counts: Vec<i32> = (0..dims).map(|i| self.stack[base + i] as u32 as i32).collect();
                if let Some(&n) = counts.iter().find(|&&n| n < 0) {
                    return Err(Exit::new("java/lang/NegativeArraySizeException", format!("{n}")));
                }
                // The counts are ints: nothing to scan while allocating.
                if let Some(fr) = self.frames.last_mut() {
                    fr.sp = base as u32;
                }
                self.heap.note_inline_allocation();
                let r = self.alloc_multi(ac, &counts)?;
                self.stack[base] = u64::from(r.to_raw());
            }
            op::ATHROW => {
                let r = Ref::from_raw(self.stack[top - 1] as u32);
                if r.is_null() {
                    return Err(Exit::new("java/lang/NullPointerException", "Cannot throw exception"));
                }
                self.throwing = r;
                return Err(Exit::Exception);
            }
            op::CHECKCAST | op::INSTANCEOF => {
                let r = Ref::from_raw(self.stack[top - 1] as u32);
                let ok = if r.is_null() {
                    opcode == op::CHECKCAST
                } else {
                    let target = self.resolve_class(cls, u2()).map_err(Exit::Link)?;
                    let rc = self.class_of(r).unwrap_or(target);
                    let ok = self.is_instance_of(rc, target);
                    if !ok && opcode == op::CHECKCAST {
                        return Err(Exit::new(
                            "java/lang/ClassCastException",
                            format!(
                                "class {} cannot be cast to class {}",
                                self.binary_name(rc),
                                self.binary_name(target)
                            ),
                        ));
                    }
                    ok
                };
                if opcode == op::INSTANCEOF {
                    self.stack[top - 1] = u64::from(ok);
                }
            }
            op::MONITORENTER => {
                let r = Ref::from_raw(self.stack[top - 1] as u32);
                if r.is_null() {
                    return Err(Exit::new("java/lang/NullPointerException", "Cannot enter synchronized block"));
                }
                self.monitor_enter(r);
            }
            op::MONITOREXIT => {
                let r = Ref::from_raw(self.stack[top - 1] as u32);
                if r.is_null() {
                    return Err(Exit::new("java/lang/NullPointerException", "Cannot exit synchronized block"));
                }
                if !self.monitor_exit(r) {
                    return Err(Exit::new("java/lang/IllegalMonitorStateException", "current thread is not owner"));
                }
            }
            op::AASTORE => {
                let v = Ref::from_raw(self.stack[top - 1] as u32);
                let i = self.stack[top - 2] as u32 as i32;
                let a = Ref::from_raw(self.stack[top - 3] as u32);
                self.aastore(a, i, v)?;
            }
            _ => return Err(Exit::internal(format!("no slow path for opcode {opcode}"))),
        }
        Ok(())
    }

    fn ldc_value(&mut self, cls: ClassId, idx: u16) -> Result<u64, Exit> {
        let entry = self.classes[cls.ix()].cp[usize::from(idx)].clone();
        match entry {
            CpEntry::Int(v) => Ok(v as u32 as u64),
            CpEntry::Float(f) => Ok(u64::from(f.to_bits())),
            CpEntry::String { interned: Some(i), .. } => Ok(u64::from(self.strings[i as usize].to_raw())),
            CpEntry::String { .. } => Ok(u64::from(self.ldc_string(cls, idx)?.to_raw())),
            CpEntry::Class { .. } => {
                let c = self.resolve_class(cls, idx).map_err(Exit::Link)?;
                Ok(u64::from(self.mirror(c)?.to_raw()))
            }
            CpEntry::MethodType { .. } | CpEntry::MethodHandle { .. } => Err(Exit::new(
                "java/lang/BootstrapMethodError",
                "ldc of MethodType/MethodHandle constants is not supported",
            )),
            CpEntry::Dynamic { .. } => {
                Err(Exit::new("java/lang/BootstrapMethodError", "dynamically-computed constants are not supported"))
            }
            _ => Err(Exit::internal("ldc of an unloadable constant")),
        }
    }

    fn exec_field(&mut self, opcode: u8, cls: ClassId, method: MethodId, idx: u16, top: usize) -> Result<(), Exit> {
        let put = matches!(opcode, op::PUTSTATIC | op::PUTFIELD);
        let is_static = matches!(opcode, op::GETSTATIC | op::PUTSTATIC);
        let fr = self.resolve_field_use(cls, method, idx, is_static, put).map_err(Exit::Link)?;
        let slots = fr.kind.slots();
        let off = fr.offset as usize;
        if is_static {
            if self.classes[fr.class.ix()].state != InitState::Initialized {
                self.initialize_nested(fr.class)?;
            }
            if put {
                let v = self.stack[top - slots];
                match fr.kind {
                    ValueKind::Ref => self.static_refs[off] = Ref::from_raw(v as u32),
                    ValueKind::Long | ValueKind::Double | ValueKind::Float => self.static_prims[off] = v,
                    k => self.static_prims[off] = narrow(k, v as u32 as i32) as u32 as u64,
                }
            } else {
                self.stack[top] = match fr.kind {
                    ValueKind::Ref => u64::from(self.static_refs[off].to_raw()),
                    _ => self.static_prims[off],
                };
            }
            return Ok(());
        }
        let h = &mut self.heap;
        let o = fr.offset;
        let npe = |put: bool, vm: &Vm| {
            let name = decode_lossy(&vm.fields[fr.field.ix()].name);
            let verb = if put { "assign" } else { "read" };
            Exit::new("java/lang/NullPointerException", format!("Cannot {verb} field \"{name}\""))
        };
        let r = if put {
            let v = self.stack[top - slots];
            let obj = Ref::from_raw(self.stack[top - slots - 1] as u32);
            let i = v as u32 as i32;
            match fr.kind {
                ValueKind::Int => h.set_field(obj, o, i),
                ValueKind::Ref => h.set_field(obj, o, Ref::from_raw(v as u32)),
                ValueKind::Long => h.set_field(obj, o, v as i64),
                ValueKind::Double => h.set_field(obj, o, f64::from_bits(v)),
                ValueKind::Float => h.set_field(obj, o, f32::from_bits(v as u32)),
                ValueKind::Boolean => h.set_field(obj, o, (i & 1) as i8),
                ValueKind::Byte => h.set_field(obj, o, i as i8),
                ValueKind::Char => h.set_field(obj, o, i as u16),
                ValueKind::Short => h.set_field(obj, o, i as i16),
            }
        } else {
            let obj = Ref::from_raw(self.stack[top - 1] as u32);
            let v: Result<u64, AccessError> = (|| {
                Ok(match fr.kind {
                    ValueKind::Int => h.get_field::<i32>(obj, o)? as u32 as u64,
                    ValueKind::Ref => u64::from(h.get_field::<Ref>(obj, o)?.to_raw()),
                    ValueKind::Long => h.get_field::<i64>(obj, o)? as u64,
                    ValueKind::Double => h.get_field::<f64>(obj, o)?.to_bits(),
                    ValueKind::Float => u64::from(h.get_field::<f32>(obj, o)?.to_bits()),
                    ValueKind::Boolean | ValueKind::Byte => i32::from(h.get_field::<i8>(obj, o)?) as u32 as u64,
                    ValueKind::Char => u64::from(h.get_field::<u16>(obj, o)?),
                    ValueKind::Short => i32::from(h.get_field::<i16>(obj, o)?) as u32 as u64,
                })
            })();
            v.map(|v| self.stack[top - 1] = v)
        };
        match r {
            Ok(()) => Ok(()),
            Err(AccessError::NullPointer) => Err(npe(put, self)),
            Err(e) => Err(Exit::internal(format!("field access: {e}"))),
        }
    }

    /// An invocation from compiled code, run to completion: the callee's
    /// frame (continuation `Entry`) runs compiled if it has code, else in a
    /// nested interpreter loop; its result is left at its base slot.
    fn exec_invoke(&mut self, opcode: u8, cls: ClassId, idx: u16, top: usize) -> Result<(), Exit> {
        self.call_tick()?;
        self.exec_invoke_ticked(opcode, cls, idx, top)
    }

    /// [`Vm::exec_invoke`] after its [`Vm::call_tick`].
    fn exec_invoke_ticked(&mut self, opcode: u8, cls: ClassId, idx: u16, top: usize) -> Result<(), Exit> {
        let depth = self.frames.len();
        loop {
            if opcode == op::INVOKEDYNAMIC {
                self.invoke_dynamic(cls, idx, top)?;
            } else {
                self.invoke_insn(opcode, cls, idx, top)?;
            }
            if self.frames.len() == depth {
                // A native ran; its result is in place.
                return Ok(());
            }
            let callee = self.frames.len() - 1;
            match self.frames[callee].cont {
                Cont::Clinit(_) => {
                    // The class was not initialized: run its <clinit> and
                    // execute the invocation again.
                    self.run_nested(callee)?;
                }
                Cont::Normal => {
                    self.frames[callee].cont = Cont::Entry;
                    let m = self.frames[callee].method;
                    if self.jit.config.compile_on_invoke
                        && matches!(self.jit.methods.get(m.ix()), None | Some(MethodJit::NotTried))
                    {
                        let _ = self.jit_compile(m);
                    }
                    match self.compiled_entry(m) {
                        Some(entry) => self.run_compiled(entry, callee)?,
                        // With tiering, the loop's `'reload` point counts
                        // this entry and may compile and enter the code.
                        // Not `run_nested`: the native stack check above
                        // bounds this recursion (the nesting limit is for
                        // natives calling Java), so compiled and
                        // interpreted frames alternate as deeply as
                        // `max_depth` allows.
                        None => self.run(callee)?,
                    };
                    return Ok(());
                }
                _ => return Err(Exit::internal("unexpected frame pushed by an invocation")),
            }
        }
    }

    /// An invocation whose target compiled code resolved at compile time
    /// (`h_call`). The common case, a compiled, unsynchronized callee, is
    /// pushed and run here with no decoding, resolution or context
    /// refresh (`Ok(true)`: the context is still valid); everything else
    /// (a null receiver, an uncached interface selection, natives,
    /// interpreted callees, errors) takes the generic path (`Ok(false)`).
    fn exec_call(&mut self, pc: usize, sp: usize, kind_slots: u32, arg: u32) -> Result<bool, Exit> {
        let f = *self.frames.last().ok_or_else(|| Exit::internal("call without a frame"))?;
        let slots = (kind_slots >> 8) as usize;
        let base = f.bp as usize + sp - slots;
        let target = match kind_slots & 0xff {
            CallTarget::STATIC => Some(MethodId(arg)),
            kind => {
                let recv = Ref::from_raw(self.stack[base] as u32);
                match kind {
                    CallTarget::DIRECT => (!recv.is_null()).then_some(MethodId(arg)),
                    CallTarget::VIRTUAL => self.vtable_target(recv, arg),
                    _ => self.iface_target(recv, MethodId(arg)),
                }
            }
        };
        // One tick for this call, whichever path below runs it (the
        // generic one included: `exec_invoke_ticked` does not tick again).
        self.call_tick()?;
        // Natives and trivial getters in place, as the interpreter's
        // quickened invokes run them: no frame, no entry into other code.
        if let Some(t) = target {
            if self.call_inline(t, base)?.is_some() {
                return Ok(false);
            }
        }
        let entry = match target.map(|t| (t, self.jit.methods.get(t.ix()))) {
            Some((t, Some(j))) if !self.methods[t.ix()].is_synchronized() => j.entry().map(|e| (t, e)),
            _ => None,
        };
        let native = |vm: &Vm, t: MethodId| {
            let m = &vm.methods[t.ix()];
            m.code.is_none() && m.native.is_some()
        };
        let (t, entry) = match (entry, target) {
            (Some(te), _) => te,
            // A linked native: run it here (`invoke_at` writes its result
            // where the arguments began), without decoding or resolution.
            (None, Some(t)) if native(self, t) => {
                self.invoke_at(t, base, Cont::Normal)?;
                return Ok(false);
            }
            _ => {
                let f = self.frames[self.frames.len() - 1];
                let code =
                    self.methods[f.method.ix()].code.clone().ok_or_else(|| Exit::internal("call without code"))?;
                let cls = self.methods[f.method.ix()].class;
                let opcode = code.bytes[pc];
                self.exec_invoke_ticked(opcode, cls, be_u16(&code.bytes, pc + 1), f.bp as usize + sp)?;
                return Ok(false);
            }
        };
        // The caller's operand stack ends below the arguments (each slot
        // in one frame for the collector).
        if let Some(c) = self.frames.last_mut() {
            c.sp = base as u32;
        }
        let before = (self.stack.as_ptr(), self.stack.len(), self.frames.raw_parts().2);
        self.push_java_frame(t, base, Cont::Entry, Ref::NULL)?;
        let callee = self.frames.len() - 1;
        // The callee's code reads the slot vector and the frame records
        // (direct calls) through the context: refresh it if they moved.
        if before != (self.stack.as_ptr(), self.stack.len(), self.frames.raw_parts().2) {
            self.refresh_jit_context();
        }
        // SAFETY: the callee's code, on its fresh frame, with the context
        // the caller runs with (valid: see above).
        let status = unsafe { entry(self.jit.ctx, base as u64) };
        if status == STATUS_RETURN {
            // `do_return` of an entry frame of an unsynchronized method:
            // the value is already in the callee's slot `bp`.
            self.frames.drop_top();
            return Ok(true);
        }
        self.raise_pending(callee)?;
        self.run(callee)?;
        Ok(false)
    }

    /// What every call from compiled code checks first: the budget (one
    /// tick, as the interpreter counts calls) and the native stack.
    fn call_tick(&mut self) -> Result<(), Exit> {
        if self.budget_left == 0 {
            return Err(Exit::Vm(VmError::BudgetExhausted));
        }
        self.budget_left -= 1;
        if native_sp() < self.jit.native_limit {
            return Err(Exit::new("java/lang/StackOverflowError", ""));
        }
        Ok(())
    }

    fn exec_new_class(&mut self, cls: ClassId, idx: u16) -> Result<ClassId, Exit> {
        let c = self.resolve_class(cls, idx).map_err(Exit::Link)?;
        let k = &self.classes[c.ix()];
        if k.flags & (crate::classfile::flags::ACC_ABSTRACT | crate::classfile::flags::ACC_INTERFACE) != 0
            || !matches!(k.kind, ClassKind::Instance)
        {
            return Err(Exit::new("java/lang/InstantiationError", dotted(&k.name)));
        }
        if self.classes[c.ix()].state != InitState::Initialized {
            self.initialize_nested(c)?;
        }
        Ok(c)
    }
}

// The element-kind code compiled code tests in header word 1.
const _: () = assert!(ElementKind::Boolean as u32 == layout::KIND_BOOLEAN);
