//! The runtime: the [`Vm`] an embedder creates, class loading and linking
//! (JVMS 5.3-5.4), resolution, initialization (JVMS 5.5), natives and
//! strings. The interpreter ([`crate::interp`]) executes on top of it.
//!
//! # For embedders
//!
//! ```ignore
//! let mut vm = Vm::new(VmConfig { heap_quota: 4 << 20, ..VmConfig::default() }, Box::new(MyOutput))?;
//! vm.add_source(Box::new(ClassImage::parse(IMAGE)?));          // one or more class sources
//! vm.register_native("pkg/Foo", "bar", "(I)I", my_native);     // before the class links
//! match vm.run_main("pkg/Main", &["arg"]) {
//!     Ok(()) => {}
//!     Err(VmError::Exception(t)) => vm.report_uncaught(&t),    // "Exception in thread "main" ..."
//!     Err(other) => { /* BudgetExhausted, StackDepthExceeded, Exit(code), ... */ }
//! }
//! let stats = vm.heap_stats();
//! ```
//!
//! Design points (see docs/jvm.md): one class loader (the bootstrap loader
//! over the configured [`ClassSource`]s plus VM-synthesized classes); every
//! class is parsed, format-checked and verified before it runs; classes are
//! created (superclasses loaded, fields laid out, vtables built) when first
//! named and verified when first initialized.

pub mod class;
pub mod classgen;
pub mod compiler;
pub mod fdlibm;
pub mod init;
pub mod leaf;
pub mod link;
pub mod loader;
mod math;
pub mod natives;
mod preresolve;
pub mod raw;
pub mod resolve;
pub mod strings;
pub mod twin;

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::heap::{GcStats, Heap, HeapConfig, InitError, Ref};

use crate::image::ClassImage;
use crate::interp::frame::FrameStack;

pub use class::{ClassId, FieldId, LinkError, MethodId};
pub use natives::{Args, NativeError, NativeFn, NativeResult};

use class::{Class, Field, Method};

/// Where class files come from. `find` gets an internal name
/// (`java/lang/String`) and returns the class file, if this source has it.
pub trait ClassSource {
    fn find(&self, name: &[u8]) -> Option<Cow<'_, [u8]>>;

    /// Where this source's classes come from, for [`VmConfig::verbose_class`]
    /// (`file:/dir/`, `file:/x.jar`, ...); `None` prints `unknown`.
    fn location(&self) -> Option<&str> {
        None
    }
}

impl ClassSource for ClassImage<'static> {
    fn find(&self, name: &[u8]) -> Option<Cow<'_, [u8]>> {
        self.get(name).map(Cow::Borrowed)
    }

    fn location(&self) -> Option<&str> {
        Some("capuchin image")
    }
}

/// A class source over an owned map from internal names to class files.
#[derive(Default, Clone)]
pub struct MapSource(pub BTreeMap<Vec<u8>, Vec<u8>>);

impl ClassSource for MapSource {
    fn find(&self, name: &[u8]) -> Option<Cow<'_, [u8]>> {
        self.0.get(name).map(|b| Cow::Borrowed(b.as_slice()))
    }
}

/// Where `capuchin/internal/Console.write` goes: the host's stdout/stderr,
/// a PD's debug output.
pub trait Output {
    /// `fd` is 1 (stdout) or 2 (stderr).
    fn write(&mut self, fd: i32, bytes: &[u8]);
}

/// Discards output.
pub struct NullOutput;

impl Output for NullOutput {
    fn write(&mut self, _fd: i32, _bytes: &[u8]) {}
}

/// How the embedder configures a VM.
#[derive(Clone, Copy, Debug)]
pub struct VmConfig {
    /// Total heap bytes (two semispaces of half each).
    pub heap_quota: usize,
    /// Maximum Java frames; deeper calls throw `StackOverflowError`.
    pub max_depth: u32,
    /// Back edges plus calls allowed per entry into Java from the embedder;
    /// exhausting it aborts the entry with [`VmError::BudgetExhausted`],
    /// which Java code cannot catch. At most `i64::MAX` (more is taken as
    /// that, 292 years at a billion a second): compiled code counts it in
    /// a signed register (docs/jit.md, "Counted loops").
    pub budget: u64,
    /// Maximum Java stack slots (locals plus operand stacks of all frames).
    pub max_stack_slots: usize,
    /// How deeply Rust code may re-enter the interpreter (natives calling
    /// Java, `<clinit>` run on behalf of a native or an `invokedynamic`
    /// linkage). Ordinary Java calls, `<clinit>`s and exception
    /// constructors never nest. Each level costs roughly 2-4 KiB of native
    /// stack in an optimized build (the interpreter loop's own frame is
    /// about 1.2 KiB on x86-64: `sub rsp, 0x458` plus saved registers), so size this to the PD's stack.
    pub max_native_nesting: u32,
    /// Monotonic nanoseconds for `System.nanoTime` and GC pause statistics.
    pub nano_clock: Option<crate::NanoClock>,
    /// Milliseconds since the epoch for `System.currentTimeMillis`.
    pub millis_clock: Option<fn() -> i64>,
    /// Testing aid: collect before every allocation, so every object moves
    /// as often as possible and any imprecise root shows at once. Slow.
    pub gc_stress: bool,
    /// `-verbose:class`: one line per class created, to the output's
    /// stdout, as HotSpot's unified logging prints them:
    /// `[0.012s][info][class,load] java.lang.Object source: capuchin image`
    /// (seconds since the VM was created, by `nano_clock`; 0 without one).
    pub verbose_class: bool,
}

impl Default for VmConfig {
    fn default() -> Self {
        VmConfig {
            heap_quota: 16 << 20,
            max_depth: 3000,
            budget: 2_000_000_000,
            max_stack_slots: 1 << 20,
            max_native_nesting: 32,
            nano_clock: None,
            millis_clock: None,
            gc_stress: false,
            verbose_class: false,
        }
    }
}

/// A pinned reference: a GC root the embedder holds until [`Vm::unpin`].
#[derive(Debug, PartialEq, Eq)]
pub struct Pin(pub(crate) u32);

/// The pins, read-only, beside a borrow of the heap or the embedder's data
/// ([`Vm::embedder_data_heap_and_pins`]).
#[derive(Clone, Copy)]
pub struct Pins<'v>(&'v [Ref]);

impl Pins<'_> {
    /// The (current) reference of a pin, as [`Vm::pinned`].
    #[inline]
    pub fn get(&self, p: &Pin) -> Ref {
        self.0.get(p.0 as usize).copied().unwrap_or(Ref::NULL)
    }
}

/// A Java value crossing the embedder or native boundary. A [`Ref`] is only
/// valid until the next allocation unless it is pinned or sits in a root.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Void,
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Ref(Ref),
}

impl Value {
    pub fn as_int(&self) -> Option<i32> {
        match *self {
            Value::Int(v) => Some(v),
            _ => None,
        }
    }
    pub fn as_ref(&self) -> Option<Ref> {
        match *self {
            Value::Ref(r) => Some(r),
            _ => None,
        }
    }
}

/// Why a call into Java did not return normally.
#[derive(Debug, PartialEq, Eq)]
pub enum VmError {
    /// A Java exception escaped; the throwable is pinned (unpin when done).
    Exception(Pin),
    /// The back-edge/call budget of this entry ran out. Not catchable by Java.
    BudgetExhausted,
    /// A `StackOverflowError` from the depth guard escaped (the throwable is
    /// pinned if it could be created).
    StackDepthExceeded(Option<Pin>),
    /// `capuchin/internal/VM.exit` (or `System.exit`) was called.
    Exit(i32),
    /// The heap could not be created.
    Heap(InitError),
    /// The VM cannot continue this call: a class it needs is missing or
    /// broken, or a VM bug. The VM stays usable.
    Internal(String),
}

impl fmt::Display for VmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VmError::Exception(_) => f.write_str("uncaught Java exception"),
            VmError::BudgetExhausted => f.write_str("instruction budget exhausted"),
            VmError::StackDepthExceeded(_) => f.write_str("Java stack depth exceeded"),
            VmError::Exit(c) => write!(f, "exit({c})"),
            VmError::Heap(e) => write!(f, "heap: {e}"),
            VmError::Internal(m) => write!(f, "internal VM error: {m}"),
        }
    }
}

/// Classes and offsets the VM itself depends on, found as they are created.
#[derive(Default)]
pub(crate) struct WellKnown {
    pub object: Option<ClassId>,
    pub string: Option<ClassId>,
    pub class: Option<ClassId>,
    pub throwable: Option<ClassId>,
    pub error: Option<ClassId>,
    pub cloneable: Option<ClassId>,
    pub serializable: Option<ClassId>,
    pub thread: Option<ClassId>,
    /// `String.value` and `String.hash` offsets.
    pub string_value: Option<u32>,
    pub string_hash: Option<u32>,
    /// The hidden class-id field of `java/lang/Class`.
    pub class_id_field: Option<u32>,
    /// The hidden backtrace field of `java/lang/Throwable`.
    pub backtrace_field: Option<u32>,
    /// `boolean byte char short int float long double void` pseudo-classes.
    pub primitives: [ClassId; 9],
}

/// A method that takes `N` references and nothing else, checked once by
/// [`Vm::ref_call`] for [`Vm::invoke_refs`]. Only the method: a server
/// hands it over on every call, so it stays one word (the entry reads the
/// method's frame facts itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefCall<const N: usize>(pub(crate) MethodId);

/// An entry into the compiled code of a [`RefCall`]'s method, checked
/// once by [`Vm::plan_entry_long`] for [`Vm::enter_planned_long`]: a
/// server's `dispatch`, entered on every call. What the general entry
/// looks up and checks per call (the method's code, return kind, frame
/// size and the slots for it) holds until the VM's compiled entries
/// change, which the plan's epoch tells.
#[derive(Clone, Copy, Debug)]
pub struct EntryPlan<const N: usize> {
    pub(crate) call: RefCall<N>,
    pub(crate) entry: compiler::JitEntry,
    pub(crate) locals: u32,
    pub(crate) epoch: u64,
}

impl<const N: usize> EntryPlan<N> {
    pub fn call(&self) -> RefCall<N> {
        self.call
    }
}

/// An entry into the interpreter at a [`RefCall`]'s method, checked once
/// by [`Vm::plan_interpreted_long`] for [`Vm::enter_interpreted_long_with`]:
/// a server's `dispatch` on every call when there is no compiled code.
/// What the general entry finds per call (the decoded code, the frame's
/// size, that the method is plain) holds while the epoch stays; the code
/// it points into lives as long as the VM (methods are never dropped) and
/// the plan holds it anyway.
#[derive(Clone, Debug)]
pub struct InterpretedPlan<const N: usize> {
    pub(crate) call: RefCall<N>,
    /// The first decoded instruction of `_code`.
    pub(crate) first: *const core::cell::Cell<crate::interp::quick::Insn>,
    /// Held so that `first` stays valid whatever becomes of the VM.
    pub(crate) _code: alloc::rc::Rc<class::Code>,
    pub(crate) locals: u32,
    pub(crate) epoch: u64,
}

impl<const N: usize> InterpretedPlan<N> {
    pub fn call(&self) -> RefCall<N> {
        self.call
    }
}

/// `N` references as the argument slots hold them, widened once (by the
/// embedder that keeps them, e.g. until the next collection) rather than
/// on every [`Vm::enter_planned_long`]: aarch64 widened three through a
/// vector register and the stack.
#[derive(Clone, Copy, Debug)]
pub struct SlotRefs<const N: usize>(pub(crate) [u64; N]);

impl<const N: usize> SlotRefs<N> {
    pub fn new(refs: [Ref; N]) -> Self {
        SlotRefs(refs.map(|r| u64::from(r.to_raw())))
    }

    pub fn get(&self, i: usize) -> Ref {
        Ref::from_raw(self.0[i] as u32)
    }
}

impl<const N: usize> RefCall<N> {
    pub fn method(self) -> MethodId {
        self.0
    }
}

/// The embedder's data with its type, compared on every look-up instead
/// of asking the box (a virtual call per native call otherwise), and its
/// key if it has one ([`Vm::set_keyed_embedder_data`]).
pub(crate) struct EmbedderData {
    ty: core::any::TypeId,
    key: *const (),
    data: Box<dyn core::any::Any>,
}

/// A key for embedder data of type `T` ([`Vm::set_keyed_embedder_data`]):
/// a `static` whose address stands for `T`, so that a look-up compares
/// one address instead of a 128-bit type id (a quick twin looks its data
/// up on every call). One static has one type and, being interior
/// mutable and not zero-sized, an address of its own.
pub struct EmbedderKey<T: 'static> {
    _own_address: core::sync::atomic::AtomicU8,
    _type: core::marker::PhantomData<fn() -> T>,
}

impl<T: 'static> EmbedderKey<T> {
    #[allow(clippy::new_without_default)] // for `static`s: const
    pub const fn new() -> Self {
        EmbedderKey { _own_address: core::sync::atomic::AtomicU8::new(0), _type: core::marker::PhantomData }
    }

    fn address(&'static self) -> *const () {
        (self as *const Self).cast()
    }
}

impl EmbedderData {
    /// The data, if it was set with `key`.
    #[inline]
    pub(crate) fn get_keyed<T: core::any::Any>(&mut self, key: &'static EmbedderKey<T>) -> Option<&mut T> {
        // SAFETY: only `set_keyed_embedder_data::<T>` records this key's
        // address, with data of the key's type `T`.
        (self.key == key.address()).then(|| unsafe { &mut *(&mut *self.data as *mut dyn core::any::Any).cast::<T>() })
    }

    #[inline]
    fn get<T: core::any::Any>(&self) -> Option<&T> {
        // SAFETY: the box holds a `T`: its type was recorded with it.
        (self.ty == core::any::TypeId::of::<T>())
            .then(|| unsafe { &*(&*self.data as *const dyn core::any::Any).cast::<T>() })
    }

    #[inline]
    fn get_mut<T: core::any::Any>(&mut self) -> Option<&mut T> {
        // SAFETY: as in `get`.
        (self.ty == core::any::TypeId::of::<T>())
            .then(|| unsafe { &mut *(&mut *self.data as *mut dyn core::any::Any).cast::<T>() })
    }
}

/// A Java virtual machine instance. See the [module docs](self).
pub struct Vm {
    pub(crate) config: VmConfig,
    pub(crate) sources: Vec<Box<dyn ClassSource>>,
    /// Class files defined at run time: VM-synthesized (lambdas, concat,
    /// records) and [`Vm::define_class`], until loaded.
    pub(crate) synthesized: BTreeMap<Vec<u8>, Vec<u8>>,
    pub(crate) synth_counter: u32,
    pub(crate) classes: Vec<Class>,
    pub(crate) by_name: BTreeMap<Box<[u8]>, ClassId>,
    /// Classes being created right now (circularity detection).
    pub(crate) loading: Vec<Box<[u8]>>,
    pub(crate) methods: Vec<Method>,
    pub(crate) fields: Vec<Field>,
    pub(crate) heap: Heap,
    /// LayoutId → class.
    pub(crate) layout_class: Vec<ClassId>,
    pub(crate) natives: natives::Registry,
    pub(crate) static_prims: Vec<u64>,
    pub(crate) static_refs: Vec<Ref>,
    /// `java.lang.Class` objects, by class id (null until created).
    pub(crate) mirrors: Vec<Ref>,
    /// Interned strings and their contents.
    pub(crate) strings: Vec<Ref>,
    pub(crate) string_table: BTreeMap<Vec<u16>, u32>,
    pub(crate) pins: Vec<Ref>,
    pub(crate) free_pins: Vec<u32>,
    /// The Java stack's slots (the frame records are `frames`). It never
    /// shrinks (only `grow_stack` resizes it): an idle entry writes the
    /// argument slots made when it was planned without a bounds check.
    pub(crate) stack: Vec<u64>,
    pub(crate) frames: FrameStack,
    /// Held monitors and their counts.
    pub(crate) monitors: Vec<(Ref, u32)>,
    /// The exception being thrown (a root while handlers are searched).
    pub(crate) throwing: Ref,
    /// Pre-allocated errors, thrown when a fresh one cannot be built.
    pub(crate) oom_error: Ref,
    pub(crate) soe_error: Ref,
    pub(crate) thread_object: Ref,
    pub(crate) output: Box<dyn Output>,
    /// The embedder's data for its natives ([`Vm::set_embedder_data`]).
    pub(crate) embedder: Option<EmbedderData>,
    pub(crate) budget_left: u64,
    /// Depth of Rust-level entries into the interpreter.
    pub(crate) nesting: u32,
    pub(crate) wk: WellKnown,
    pub(crate) booted: bool,
    /// What an idle entry into compiled code needs of the VM that changes
    /// only at boot and with the compiler: tiering on, booted, and room
    /// for one frame and one nesting level ([`Vm::idle_entry`]).
    pub(crate) idle_entries: bool,
    /// Changes whenever an [`EntryPlan`] may no longer hold: a method's
    /// compiled entry replaced or dropped, a new compiler, boot.
    pub(crate) entry_epoch: u64,
    /// `nano_clock` when the VM was created (for `verbose_class` times).
    pub(crate) started_nanos: u64,
    /// The optional compiler and compiled code (`runtime::compiler`).
    pub(crate) jit: compiler::JitState,
}

impl Vm {
    /// A VM with a heap of `config.heap_quota` bytes and the built-in
    /// natives registered. Add class sources before running anything.
    pub fn new(mut config: VmConfig, output: Box<dyn Output>) -> Result<Vm, VmError> {
        config.budget = config.budget.min(i64::MAX as u64);
        let mut hc = HeapConfig::new(config.heap_quota);
        hc.clock = config.nano_clock;
        let heap = Heap::with_config(hc).map_err(VmError::Heap)?;
        let mut vm = Vm {
            config,
            sources: Vec::new(),
            synthesized: BTreeMap::new(),
            synth_counter: 0,
            classes: Vec::new(),
            by_name: BTreeMap::new(),
            loading: Vec::new(),
            methods: Vec::new(),
            fields: Vec::new(),
            heap,
            layout_class: Vec::new(),
            natives: natives::Registry::default(),
            static_prims: Vec::new(),
            static_refs: Vec::new(),
            mirrors: Vec::new(),
            strings: Vec::new(),
            string_table: BTreeMap::new(),
            pins: Vec::new(),
            free_pins: Vec::new(),
            stack: Vec::new(),
            frames: FrameStack::default(),
            monitors: Vec::new(),
            throwing: Ref::NULL,
            oom_error: Ref::NULL,
            soe_error: Ref::NULL,
            thread_object: Ref::NULL,
            output,
            embedder: None,
            budget_left: config.budget,
            nesting: 0,
            wk: WellKnown::default(),
            booted: false,
            idle_entries: false,
            entry_epoch: 0,
            started_nanos: config.nano_clock.map_or(0, |c| c()),
            jit: compiler::JitState::default(),
        };
        vm.create_primitive_classes();
        natives::register_builtins(&mut vm);
        Ok(vm)
    }

    /// Adds a class source; sources are searched in the order added.
    pub fn add_source(&mut self, source: Box<dyn ClassSource>) {
        self.sources.push(source);
    }

    /// Binds `class.name descriptor` (internal names, e.g. `java/lang/Foo`,
    /// `bar`, `(I)I`) to a Rust function. Natives are bound when their class
    /// links, so register before the class is first used; a later
    /// registration replaces the built-in binding.
    pub fn register_native(&mut self, class: &str, name: &str, descriptor: &str, f: NativeFn) {
        self.natives.register(class.as_bytes(), name.as_bytes(), descriptor.as_bytes(), f);
    }

    /// Registers `f` as the interpreter's twin of the bytecode method
    /// `class.name descriptor`: once a call site has quickened, the
    /// interpreter runs `f` in place of the bytecode (no frame of its own:
    /// as a native), while compiled code runs or inlines the bytecode. For
    /// small library methods whose Java form the JIT turns into a few
    /// instructions but the interpreter would run as calls. `f` must do
    /// exactly what the bytecode does, exceptions included; the tests run
    /// both forms.
    pub fn register_interpreter_twin(&mut self, class: &str, name: &str, descriptor: &str, f: NativeFn) {
        self.natives.register_twin(class.as_bytes(), name.as_bytes(), descriptor.as_bytes(), f, None);
    }

    /// Registers `class.name` (descriptor [`raw::RawAccess::descriptor`])
    /// as a raw memory native (see [`raw`]: only for a trusted class that
    /// declares it `private static native` and checks its addresses).
    /// Returns false, registering nothing, for an access [`raw`] lacks.
    pub fn register_raw_native(&mut self, class: &str, name: &str, access: raw::RawAccess) -> bool {
        let Some(f) = access.native() else { return false };
        self.natives.register_raw(class.as_bytes(), name.as_bytes(), access, f);
        true
    }

    /// Registers `class.name` (descriptor [`leaf::DESCRIPTOR`]) as a leaf
    /// native calling `f` (see [`leaf`]: only for a trusted class that
    /// declares it `private static native` and checks what it passes).
    pub fn register_leaf_native(&mut self, class: &str, name: &str, f: leaf::LeafFn) {
        self.natives.register_leaf(class.as_bytes(), name.as_bytes(), f);
    }

    /// Collector statistics.
    pub fn heap_stats(&self) -> GcStats {
        self.heap.stats()
    }

    /// The heap (for natives: field and array access).
    pub fn heap(&self) -> &Heap {
        &self.heap
    }

    pub fn heap_mut(&mut self) -> &mut Heap {
        &mut self.heap
    }

    /// Attaches the embedder's data (native object tables, the PD's
    /// environment, ...) for its natives to reach through
    /// [`Vm::embedder_data_mut`]; replaces earlier data.
    pub fn set_embedder_data<T: core::any::Any>(&mut self, data: T) {
        let ty = core::any::TypeId::of::<T>();
        self.embedder = Some(EmbedderData { ty, key: core::ptr::null(), data: Box::new(data) });
    }

    /// [`Vm::set_embedder_data`] with a key, for quick twins to find it
    /// with one comparison ([`QuickCall::keyed_data_and_heap`](twin::QuickCall::keyed_data_and_heap)).
    pub fn set_keyed_embedder_data<T: core::any::Any>(&mut self, data: T, key: &'static EmbedderKey<T>) {
        let ty = core::any::TypeId::of::<T>();
        self.embedder = Some(EmbedderData { ty, key: key.address(), data: Box::new(data) });
    }

    /// The embedder's data, if it is a `T`.
    #[inline]
    pub fn embedder_data<T: core::any::Any>(&self) -> Option<&T> {
        self.embedder.as_ref()?.get()
    }

    #[inline]
    pub fn embedder_data_mut<T: core::any::Any>(&mut self) -> Option<&mut T> {
        self.embedder.as_mut()?.get_mut()
    }

    /// The embedder's data and the heap at once (a native that moves bytes
    /// between a native object and a Java array needs both).
    #[inline]
    pub fn embedder_data_and_heap<T: core::any::Any>(&mut self) -> Option<(&mut T, &mut Heap)> {
        let data = self.embedder.as_mut()?.get_mut()?;
        Some((data, &mut self.heap))
    }

    /// The embedder's data, the heap and the pins at once: what a PD's
    /// call path needs to find its server's pinned objects and write
    /// into them with one look-up of the data (`embedder_data` compares
    /// type identities on every call).
    #[inline]
    pub fn embedder_data_heap_and_pins<T: core::any::Any>(&mut self) -> Option<(&mut T, &mut Heap, Pins<'_>)> {
        let data = self.embedder.as_mut()?.get_mut()?;
        Some((data, &mut self.heap, Pins(&self.pins)))
    }

    /// The method `name`/`descriptor` that virtual dispatch selects for
    /// `receiver`'s class (`None` if there is none, or it is abstract):
    /// resolve once, then [`Vm::invoke`] it on every entry.
    pub fn find_virtual_method(&self, receiver: Ref, name: &str, descriptor: &str) -> Option<MethodId> {
        self.find_virtual(receiver, name.as_bytes(), descriptor.as_bytes())
    }

    /// Runs a collection now.
    pub fn collect_garbage(&mut self) {
        self.gc();
    }

    /// Writes to the VM's output sink.
    pub fn write_output(&mut self, fd: i32, bytes: &[u8]) {
        self.output.write(fd, bytes);
    }

    /// Makes `r` a root until [`Vm::unpin`].
    pub fn pin(&mut self, r: Ref) -> Pin {
        if let Some(i) = self.free_pins.pop() {
            self.pins[i as usize] = r;
            Pin(i)
        } else {
            self.pins.push(r);
            Pin(self.pins.len() as u32 - 1)
        }
    }

    /// The (current) reference of a pin.
    pub fn pinned(&self, p: &Pin) -> Ref {
        Pins(&self.pins).get(p)
    }

    pub fn unpin(&mut self, p: Pin) {
        if let Some(slot) = self.pins.get_mut(p.0 as usize) {
            *slot = Ref::NULL;
            self.free_pins.push(p.0);
        }
    }

    /// Number of loaded classes (arrays and primitives included).
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// The internal name of a class.
    pub fn class_name(&self, c: ClassId) -> &[u8] {
        &self.classes[c.ix()].name
    }

    /// The class of a non-null object.
    pub fn class_of(&self, r: Ref) -> Option<ClassId> {
        let l = self.heap.layout_of(r).ok()?;
        self.layout_class.get(l.index() as usize).copied()
    }

    /// Looks up a loaded class by internal name.
    pub fn find_loaded(&self, name: &str) -> Option<ClassId> {
        self.by_name.get(name.as_bytes()).copied()
    }

    /// Loads and links (verifies) a class without initializing it or
    /// running any Java code: for tools that check a set of classes.
    pub fn load_and_link(&mut self, name: &str) -> Result<ClassId, LinkError> {
        let c = self.load_class(name.as_bytes())?;
        self.link_class(c)?;
        Ok(c)
    }

    /// Loads, links and initializes a class by internal name.
    pub fn load_and_init(&mut self, name: &str) -> Result<ClassId, VmError> {
        self.boot()?;
        self.enter();
        let c = match self.load_class(name.as_bytes()) {
            Ok(c) => c,
            Err(e) => return Err(self.link_error_to_vm(e)),
        };
        self.initialize_nested(c).map_err(|e| self.exit_to_vm(e))?;
        Ok(c)
    }

    /// Finds a method declared in `class` (no inheritance).
    pub fn find_method(&self, class: ClassId, name: &str, descriptor: &str) -> Option<MethodId> {
        self.classes[class.ix()].methods.iter().copied().find(|&m| {
            &*self.methods[m.ix()].name == name.as_bytes() && &*self.methods[m.ix()].descriptor == descriptor.as_bytes()
        })
    }

    /// Calls a static method with the given arguments (one [`Value`] per
    /// parameter, `long`/`double` as one value). The class is initialized first.
    pub fn invoke_static(
        &mut self,
        class: &str,
        name: &str,
        descriptor: &str,
        args: &[Value],
    ) -> Result<Value, VmError> {
        let c = self.load_and_init(class)?;
        let m = self.find_method(c, name, descriptor).ok_or_else(|| {
            let e = LinkError::new("java/lang/NoSuchMethodError", alloc::format!("{class}.{name}{descriptor}"));
            self.link_error_to_vm(e)
        })?;
        self.invoke(m, args)
    }

    /// Calls any method (instance methods take the receiver as the first
    /// argument; the call is non-virtual). Resets the budget when called by
    /// the embedder (not from a native).
    pub fn invoke(&mut self, method: MethodId, args: &[Value]) -> Result<Value, VmError> {
        self.boot()?;
        self.enter();
        self.call_from_rust(method, args).map_err(|e| self.exit_to_vm(e))
    }

    /// Checks `method` once for [`Vm::invoke_refs`]: it must take exactly
    /// `N` argument slots (receiver included), every one a reference.
    /// `None` otherwise.
    pub fn ref_call<const N: usize>(&self, method: MethodId) -> Option<RefCall<N>> {
        let m = self.methods.get(method.ix())?;
        // The mask covers the first 64 slots only.
        if N >= 64 {
            return None;
        }
        let all_refs = (1u64 << N) - 1;
        (usize::from(m.arg_slots) == N && m.arg_ref_mask == all_refs).then_some(RefCall(method))
    }

    /// [`Vm::invoke`] for a method [`Vm::ref_call`] checked: the
    /// references go to its argument slots as they are, with no per-call
    /// matching of argument kinds (a server's `dispatch` on every call).
    #[inline]
    pub fn invoke_refs<const N: usize>(&mut self, call: RefCall<N>, args: [Ref; N]) -> Result<Value, VmError> {
        match self.idle_entry(call) {
            Some(entry) => self.enter_compiled_refs(call, entry, args.map(|r| u64::from(r.to_raw()))),
            None => self.invoke_refs_generally(call, args),
        }
    }

    /// [`Vm::invoke_refs`] of a method that returns `long`, the value as it
    /// is: a server's `dispatch`, on every call, with no [`Value`] to build
    /// and match. A method of another return type is an internal error.
    #[inline]
    pub fn invoke_refs_long<const N: usize>(&mut self, call: RefCall<N>, args: [Ref; N]) -> Result<i64, VmError> {
        if self.methods.get(call.0.ix()).map(|m| m.ret) != Some(crate::runtime::class::RetKind::Long) {
            return Err(self.not_long(call.0));
        }
        match self.idle_entry(call) {
            Some(entry) => {
                self.enter_compiled_refs_raw(call, entry, args.map(|r| u64::from(r.to_raw()))).map(|raw| raw as i64)
            }
            None => match self.invoke_refs_generally(call, args)? {
                Value::Long(v) => Ok(v),
                _ => Err(self.not_long(call.0)),
            },
        }
    }

    #[cold]
    #[inline(never)]
    fn not_long(&self, m: MethodId) -> VmError {
        let (class, name, desc) = self.method_names(m);
        VmError::Internal(alloc::format!("{class}.{name}{desc} does not return long (Vm::invoke_refs_long)"))
    }

    /// [`Vm::invoke_refs`] when the VM is not idle or the method has no
    /// code: through the interpreter's entry.
    #[inline(never)]
    fn invoke_refs_generally<const N: usize>(&mut self, call: RefCall<N>, args: [Ref; N]) -> Result<Value, VmError> {
        self.boot()?;
        self.enter();
        self.call_refs_from_rust(call.0, args).map_err(|e| self.exit_to_vm(e))
    }

    /// A new entry into Java from the embedder gets a fresh budget (calls
    /// from natives share their caller's).
    fn enter(&mut self) {
        if self.nesting == 0 {
            self.budget_left = self.config.budget;
        }
    }

    /// Defines a class from class-file bytes supplied at run time (a
    /// VIFlet): it is parsed now, and verified and linked on first use like
    /// any other class. Its name must not be taken.
    pub fn define_class(&mut self, bytes: Vec<u8>) -> Result<ClassId, VmError> {
        self.boot()?;
        self.enter();
        let name: Vec<u8> = match crate::classfile::parse(&bytes) {
            Ok(cf) => cf.name().to_vec(),
            Err(e) => {
                let e = LinkError::new("java/lang/ClassFormatError", alloc::format!("{e}"));
                return Err(self.link_error_to_vm(e));
            }
        };
        if self.by_name.contains_key(&name[..]) {
            let e = LinkError::new(
                "java/lang/LinkageError",
                alloc::format!("duplicate class definition: {}", loader::dotted(&name)),
            );
            return Err(self.link_error_to_vm(e));
        }
        self.synthesized.insert(name.clone(), bytes);
        match self.load_class(&name) {
            Ok(c) => Ok(c),
            Err(e) => {
                self.synthesized.remove(&name);
                Err(self.link_error_to_vm(e))
            }
        }
    }

    /// Whether `sub` is `sup` or a subclass of it (for an embedder checking
    /// that a class it loaded at run time extends its API class).
    pub fn is_subclass(&self, sub: ClassId, sup: ClassId) -> bool {
        self.is_subclass_of(sub, sup)
    }

    /// Creates an instance of `class` (initialized first) and runs its
    /// no-argument constructor, whatever its access: the embedder's way to
    /// instantiate a class it loaded at run time (a VIFlet). The result is
    /// pinned; the constructor runs under the entry's budget.
    pub fn new_instance(&mut self, class: &str) -> Result<Pin, VmError> {
        let c = self.load_and_init(class)?;
        let Some(init) = self.find_method(c, "<init>", "()V") else {
            let e = LinkError::new("java/lang/NoSuchMethodError", alloc::format!("{class}.<init>()V"));
            return Err(self.link_error_to_vm(e));
        };
        let cls = &self.classes[c.ix()];
        if cls.is_interface() || cls.flags & crate::classfile::flags::ACC_ABSTRACT != 0 {
            let e = LinkError::new("java/lang/InstantiationError", loader::dotted(class.as_bytes()));
            return Err(self.link_error_to_vm(e));
        }
        self.enter();
        let r = self.alloc_instance(c).map_err(|e| self.exit_to_vm(e))?;
        let pin = self.pin(r);
        let obj = self.pinned(&pin);
        if let Err(e) = self.invoke(init, &[Value::Ref(obj)]) {
            self.unpin(pin);
            return Err(e);
        }
        Ok(pin)
    }

    /// Calls Java from a native (same budget as the call that reached the
    /// native; nesting is limited by [`VmConfig::max_native_nesting`]).
    /// Re-read reference arguments from [`Args`] afterwards: this may collect.
    pub fn call_java(&mut self, method: MethodId, args: &[Value]) -> Result<Value, NativeError> {
        self.call_from_rust(method, args).map_err(NativeError::from)
    }

    /// Calls `name`/`descriptor` on `receiver` with virtual dispatch (from a native).
    pub fn call_virtual(
        &mut self,
        receiver: Ref,
        name: &str,
        descriptor: &str,
        args: &[Value],
    ) -> Result<Value, NativeError> {
        if receiver.is_null() {
            return Err(NativeError::new(
                "java/lang/NullPointerException",
                alloc::format!("Cannot invoke \"{name}()\""),
            ));
        }
        let m = self
            .find_virtual(receiver, name.as_bytes(), descriptor.as_bytes())
            .ok_or_else(|| NativeError::new("java/lang/AbstractMethodError", alloc::format!("{name}{descriptor}")))?;
        let mut all = alloc::vec::Vec::with_capacity(args.len() + 1);
        all.push(Value::Ref(receiver));
        all.extend_from_slice(args);
        self.call_java(m, &all)
    }

    /// The byte offset of an instance field (declared in `class` or a
    /// superclass), for natives reading fields with [`Heap::get_field`].
    pub fn instance_field_offset(&self, class: ClassId, name: &str, descriptor: &str) -> Option<u32> {
        let mut k = Some(class);
        while let Some(c) = k {
            let cls = &self.classes[c.ix()];
            for &f in &cls.fields {
                let fd = &self.fields[f.ix()];
                if !fd.is_static() && &*fd.name == name.as_bytes() && &*fd.descriptor == descriptor.as_bytes() {
                    return Some(fd.offset);
                }
            }
            k = cls.super_class;
        }
        None
    }

    /// The slot of a static `int` field declared in `class`, for an
    /// embedder that reads a counter Java keeps ([`Vm::static_int`]).
    pub fn static_int_slot(&self, class: ClassId, name: &str) -> Option<u32> {
        let cls = &self.classes[class.ix()];
        cls.fields.iter().map(|&f| &self.fields[f.ix()]).find_map(|fd| {
            (fd.is_static() && &*fd.name == name.as_bytes() && &*fd.descriptor == b"I").then_some(fd.offset)
        })
    }

    /// The value of the static `int` field at `slot` (from
    /// [`Vm::static_int_slot`]); 0 before the class is initialized.
    pub fn static_int(&self, slot: u32) -> i32 {
        self.static_prims[slot as usize] as u32 as i32
    }

    /// Runs `public static void main(String[])` of `class` (internal or
    /// binary name) with `args`.
    pub fn run_main(&mut self, class: &str, args: &[&str]) -> Result<(), VmError> {
        self.boot()?;
        let internal: String = class.chars().map(|c| if c == '.' { '/' } else { c }).collect();
        let c = self.load_and_init(&internal)?;
        let m = self.find_method(c, "main", "([Ljava/lang/String;)V").filter(|&m| self.methods[m.ix()].is_static());
        let Some(m) = m else {
            let e =
                LinkError::new("java/lang/NoSuchMethodError", alloc::format!("{internal}.main([Ljava/lang/String;)V"));
            return Err(self.link_error_to_vm(e));
        };
        let arr = self.new_string_array(args).map_err(|e| self.exit_to_vm(e))?;
        self.invoke(m, &[Value::Ref(arr)]).map(|_| ())
    }

    /// A new `String[]` of `items` (not pinned).
    pub fn new_string_array(&mut self, items: &[&str]) -> Result<Ref, crate::interp::Exit> {
        let string = self.wk.string.ok_or_else(|| crate::interp::Exit::internal("java/lang/String missing"))?;
        let ac = self.array_class_of(string).map_err(crate::interp::Exit::Link)?;
        let arr = self.alloc_array(ac, items.len() as i32)?;
        let pin = self.pin(arr);
        for (i, s) in items.iter().enumerate() {
            let r = match self.new_string(s) {
                Ok(r) => r,
                Err(e) => {
                    self.unpin(pin);
                    return Err(e);
                }
            };
            let arr = self.pinned(&pin);
            let _ = self.heap.set_element(arr, i as i32, r);
        }
        let arr = self.pinned(&pin);
        self.unpin(pin);
        Ok(arr)
    }
}

impl Vm {
    /// Loads and initializes the classes the VM itself needs
    /// (`java/lang/Object`, `String`, `Class`) and pre-allocates the errors
    /// it throws when it cannot build new ones. Runs once, on first use.
    #[inline]
    pub fn boot(&mut self) -> Result<(), VmError> {
        if self.booted {
            return Ok(());
        }
        self.boot_once()
    }

    #[cold]
    fn boot_once(&mut self) -> Result<(), VmError> {
        self.booted = true;
        self.note_idle_entries();
        for name in ["java/lang/Object", "java/lang/String", "java/lang/Class"] {
            let c = self
                .load_class(name.as_bytes())
                .map_err(|e| VmError::Internal(alloc::format!("cannot load {name}: {}: {}", e.class, e.message)))?;
            if let Err(e) = self.initialize_nested(c) {
                return Err(self.exit_to_vm(e));
            }
        }
        if self.wk.string_value.is_none() {
            return Err(VmError::Internal("java/lang/String has no `char[] value` field".into()));
        }
        self.budget_left = self.config.budget;
        for (name, msg, oom) in
            [("java/lang/OutOfMemoryError", "Java heap space", true), ("java/lang/StackOverflowError", "", false)]
        {
            if self.sources.iter().any(|s| s.find(name.as_bytes()).is_some()) {
                if let Ok(r) = self.create_throwable(&LinkError::new(name, msg)) {
                    if oom {
                        self.oom_error = r;
                    } else {
                        self.soe_error = r;
                    }
                }
                self.throwing = Ref::NULL;
            }
        }
        // Initialize the exceptions the interpreter throws, so throwing them
        // rarely needs a nested <clinit>.
        for name in [
            "java/lang/NullPointerException",
            "java/lang/ArithmeticException",
            "java/lang/ArrayIndexOutOfBoundsException",
            "java/lang/ClassCastException",
            "java/lang/ArrayStoreException",
            "java/lang/NegativeArraySizeException",
            "java/lang/ExceptionInInitializerError",
        ] {
            if self.sources.iter().any(|s| s.find(name.as_bytes()).is_some()) {
                if let Ok(c) = self.load_class(name.as_bytes()) {
                    let _ = self.initialize_nested(c);
                    self.throwing = Ref::NULL;
                }
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Vm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vm").field("classes", &self.classes.len()).field("frames", &self.frames.len()).finish()
    }
}
