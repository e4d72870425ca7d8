//! The VM's own, owned runtime structures: classes, methods, fields and
//! the runtime constant pool with its resolution caches.
//!
//! Everything execution needs is copied out of the class file when a class
//! is created (docs/jvm.md, "Runtime structures are owned"), and everything
//! is named by a dense `u32` id into the VM's tables, so the interpreter
//! never borrows class-file bytes and caches are plain integers.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use crate::classfile::descriptor::{parse_method_descriptor, BaseType, FieldType};
use crate::classfile::flags::*;
use crate::heap::{ElementKind, LayoutId};

use super::natives::NativeFn;

/// A class (instance, array or primitive pseudo-class): an index into the VM's class table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClassId(pub u32);

/// A method: an index into the VM's method table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct MethodId(pub u32);

/// A field: an index into the VM's field table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId(pub u32);

impl ClassId {
    #[inline]
    pub(crate) fn ix(self) -> usize {
        self.0 as usize
    }
}
impl MethodId {
    #[inline]
    pub(crate) fn ix(self) -> usize {
        self.0 as usize
    }
}
impl FieldId {
    #[inline]
    pub(crate) fn ix(self) -> usize {
        self.0 as usize
    }
}

/// A linkage error remembered for a constant-pool entry or class, so later
/// attempts fail the same way (JVMS 5.4.3): the exception class and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError {
    /// Internal name of the `Throwable` class to throw, e.g. `java/lang/NoSuchMethodError`.
    pub class: &'static str,
    pub message: String,
}

impl LinkError {
    pub fn new(class: &'static str, message: impl Into<String>) -> Self {
        LinkError { class, message: message.into() }
    }
}

/// Initialization state (JVMS 5.5); single-threaded, so "in progress"
/// always means "by this thread".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitState {
    /// Created (superclasses loaded, prepared) but not verified.
    Loaded,
    /// Verified; not initialized.
    Linked,
    /// Waiting for superclasses/superinterfaces, for the instruction in the
    /// frame at this depth (which re-executes once they are done).
    Pending {
        trigger_depth: u32,
    },
    /// `<clinit>` is running.
    Initializing,
    Initialized,
    /// Initialization failed: later uses throw `NoClassDefFoundError`.
    Erroneous,
}

/// What kind of class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassKind {
    Instance,
    /// An array class; `component` is the class of the elements.
    Array {
        component: ClassId,
        elem: ElementKind,
    },
    /// `int.class` and friends (and `void`): never instantiated.
    Primitive(u8),
}

/// The storage type of a field or array element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Boolean,
    Byte,
    Char,
    Short,
    Int,
    Float,
    Long,
    Double,
    Ref,
}

impl ValueKind {
    pub fn from_descriptor_byte(b: u8) -> ValueKind {
        match b {
            b'Z' => ValueKind::Boolean,
            b'B' => ValueKind::Byte,
            b'C' => ValueKind::Char,
            b'S' => ValueKind::Short,
            b'I' => ValueKind::Int,
            b'F' => ValueKind::Float,
            b'J' => ValueKind::Long,
            b'D' => ValueKind::Double,
            _ => ValueKind::Ref,
        }
    }

    pub fn from_base(b: BaseType) -> ValueKind {
        match b {
            BaseType::Boolean => ValueKind::Boolean,
            BaseType::Byte => ValueKind::Byte,
            BaseType::Char => ValueKind::Char,
            BaseType::Short => ValueKind::Short,
            BaseType::Int => ValueKind::Int,
            BaseType::Float => ValueKind::Float,
            BaseType::Long => ValueKind::Long,
            BaseType::Double => ValueKind::Double,
        }
    }

    /// Bytes in an object.
    pub fn size(self) -> u32 {
        match self {
            ValueKind::Boolean | ValueKind::Byte => 1,
            ValueKind::Char | ValueKind::Short => 2,
            ValueKind::Int | ValueKind::Float | ValueKind::Ref => 4,
            ValueKind::Long | ValueKind::Double => 8,
        }
    }

    /// Operand-stack slots.
    pub fn slots(self) -> usize {
        match self {
            ValueKind::Long | ValueKind::Double => 2,
            _ => 1,
        }
    }

    pub fn element_kind(self) -> ElementKind {
        match self {
            ValueKind::Boolean => ElementKind::Boolean,
            ValueKind::Byte => ElementKind::Byte,
            ValueKind::Char => ElementKind::Char,
            ValueKind::Short => ElementKind::Short,
            ValueKind::Int => ElementKind::Int,
            ValueKind::Float => ElementKind::Float,
            ValueKind::Long => ElementKind::Long,
            ValueKind::Double => ElementKind::Double,
            ValueKind::Ref => ElementKind::Reference,
        }
    }
}

/// What a method returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetKind {
    Void,
    Int,
    Long,
    Float,
    Double,
    Ref,
}

impl RetKind {
    pub fn slots(self) -> usize {
        match self {
            RetKind::Void => 0,
            RetKind::Long | RetKind::Double => 2,
            _ => 1,
        }
    }
}

/// A field (instance or static).
#[derive(Debug)]
pub struct Field {
    pub class: ClassId,
    pub name: Box<[u8]>,
    pub descriptor: Box<[u8]>,
    pub flags: u16,
    pub kind: ValueKind,
    /// Instance: byte offset in the field area. Static: index into the VM's
    /// `static_refs` (references) or `static_prims` (everything else).
    pub offset: u32,
    /// The ConstantValue attribute's constant-pool index (statics only).
    pub constant_value: Option<u16>,
}

impl Field {
    pub fn is_static(&self) -> bool {
        self.flags & ACC_STATIC != 0
    }
}

/// An exception-table entry.
#[derive(Clone, Copy, Debug)]
pub struct Handler {
    pub start: u16,
    pub end: u16,
    pub pc: u16,
    /// 0 = any.
    pub catch_type: u16,
}

/// A StackMapTable frame reduced to what the collector needs: which local
/// and operand-stack slots hold references (1) or not (0).
#[derive(Debug, Clone)]
pub struct MapFrame {
    pub pc: u16,
    pub locals: Box<[u8]>,
    pub stack: Box<[u8]>,
}

/// Reference map at one pc (see `interp::refmap`).
#[derive(Debug)]
pub struct RefMap {
    pub locals: Box<[u8]>,
    pub stack: Box<[u8]>,
}

/// Bytecode and what the interpreter and collector need around it.
#[derive(Debug)]
pub struct Code {
    pub bytes: Box<[u8]>,
    pub max_stack: u16,
    pub max_locals: u16,
    pub handlers: Box<[Handler]>,
    /// (start_pc, line) sorted by start_pc.
    pub lines: Box<[(u16, u16)]>,
    pub frames: Box<[MapFrame]>,
    /// Reference maps computed at collections, by pc.
    pub refmaps: RefCell<BTreeMap<u16, Rc<RefMap>>>,
    /// The interpreter's decoded and quickened form of `bytes`, built when
    /// the method first runs (`interp::quick`).
    pub(crate) quick: core::cell::OnceCell<Box<[core::cell::Cell<crate::interp::quick::Insn>]>>,
    /// The field this method returns, once its quickened code is seen to
    /// be a trivial getter (quickening never undoes that), so that calls
    /// read it in place without decoding again (`Vm::call_inline`).
    pub(crate) getter: core::cell::OnceCell<crate::interp::quick::Getter>,
}

impl Code {
    /// The source line of `pc`, if the method has a LineNumberTable.
    pub fn line_of(&self, pc: u32) -> Option<u16> {
        let mut best: Option<(u16, u16)> = None;
        for &(start, line) in self.lines.iter() {
            if u32::from(start) <= pc && best.is_none_or(|(s, _)| start >= s) {
                best = Some((start, line));
            }
        }
        best.map(|(_, l)| l)
    }
}

/// A method.
pub struct Method {
    pub class: ClassId,
    pub name: Box<[u8]>,
    pub descriptor: Box<[u8]>,
    pub flags: u16,
    /// Argument slots including `this`.
    pub arg_slots: u16,
    /// One byte per argument slot: 1 if it holds a reference.
    pub arg_refs: Box<[u8]>,
    /// The same for the first 64 slots, bit i for slot i (an entry from
    /// Rust checks its arguments against it in one comparison).
    pub arg_ref_mask: u64,
    pub ret: RetKind,
    /// Slot in the declaring class's vtable; `NO_VTABLE` for static, private,
    /// `<init>`/`<clinit>` and interface methods.
    pub vtable_index: u32,
    pub code: Option<Rc<Code>>,
    /// The bound native (natives only), set when the class is linked.
    pub native: Option<NativeFn>,
    /// A native the interpreter may run in place of this bytecode method
    /// ([`super::Vm::register_interpreter_twin`]), set when linked.
    pub twin: Option<NativeFn>,
    /// The twin's quick form ([`super::twin`]), set when linked.
    pub quick_twin: Option<super::twin::QuickTwinFn>,
    /// The access a bound raw memory native does ([`super::raw`]), set
    /// when linked (looked up then, so quickening allocates nothing).
    pub raw: Option<super::raw::RawAccess>,
    /// The function of a bound leaf native ([`super::leaf`]), set when
    /// linked.
    pub leaf: Option<super::leaf::LeafFn>,
}

pub const NO_VTABLE: u32 = u32::MAX;

impl Method {
    pub fn is_static(&self) -> bool {
        self.flags & ACC_STATIC != 0
    }
    pub fn is_private(&self) -> bool {
        self.flags & ACC_PRIVATE != 0
    }
    pub fn is_abstract(&self) -> bool {
        self.flags & ACC_ABSTRACT != 0
    }
    pub fn is_native(&self) -> bool {
        self.flags & ACC_NATIVE != 0
    }
    pub fn is_synchronized(&self) -> bool {
        self.flags & ACC_SYNCHRONIZED != 0
    }
}

/// Resolution state of a constant-pool entry.
#[derive(Clone, Debug)]
pub enum Res<T> {
    Unresolved,
    Ok(T),
    Err(LinkError),
}

/// A resolved field reference, everything `get/putfield/static` needs.
#[derive(Clone, Copy, Debug)]
pub struct FieldRef {
    pub field: FieldId,
    pub class: ClassId,
    pub offset: u32,
    pub kind: ValueKind,
    pub is_static: bool,
    /// A `putfield`/`putstatic` through this entry passed the final-field check.
    pub put_ok: bool,
}

/// A resolved method reference with a one-entry inline cache for virtual
/// and interface dispatch (receiver class → selected method).
#[derive(Clone, Copy, Debug)]
pub struct MethodRef {
    pub method: MethodId,
    pub cache_class: u32,
    pub cache_target: MethodId,
}

/// One runtime constant-pool entry.
#[derive(Clone, Debug)]
pub enum CpEntry {
    Empty,
    Utf8(Box<[u8]>),
    Int(i32),
    Float(f32),
    Long(i64),
    Double(f64),
    Class {
        name: u16,
        res: Res<ClassId>,
    },
    /// `interned`: index into the VM's interned-string table once created.
    String {
        utf8: u16,
        interned: Option<u32>,
    },
    Field {
        class: u16,
        nat: u16,
        res: Res<FieldRef>,
    },
    Method {
        class: u16,
        nat: u16,
        interface: bool,
        res: Res<MethodRef>,
    },
    NameAndType {
        name: u16,
        descriptor: u16,
    },
    MethodHandle {
        kind: u8,
        index: u16,
    },
    MethodType {
        descriptor: u16,
    },
    Dynamic {
        bsm: u16,
        nat: u16,
    },
    /// `res`: the synthesized static method the call site invokes.
    InvokeDynamic {
        bsm: u16,
        nat: u16,
        res: Res<MethodId>,
    },
    Other,
}

/// A BootstrapMethods entry.
#[derive(Clone, Debug)]
pub struct Bootstrap {
    pub method_handle: u16,
    pub args: Box<[u16]>,
}

/// One piece of a string-concatenation recipe.
#[derive(Clone, Debug)]
pub enum ConcatPiece {
    /// The next argument.
    Arg,
    /// A constant (UTF-16).
    Const(Box<[u16]>),
}

/// VM-synthesized classes carry what their intrinsics need.
#[derive(Clone, Debug)]
pub enum Synthetic {
    /// String concatenation: the recipe, and the first descriptor byte of
    /// each argument of the class's `join` native.
    Concat {
        pieces: Rc<[ConcatPiece]>,
        args: Rc<[u8]>,
    },
    Lambda,
    ObjectMethods,
}

/// Nest host resolution (JVMS 5.4.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NestHost {
    /// Not yet determined; the NestHost attribute's class index (0 = none).
    Unresolved(u16),
    Resolved(ClassId),
}

/// A class, interface, array class or primitive pseudo-class.
pub struct Class {
    pub name: Box<[u8]>,
    pub flags: u16,
    pub kind: ClassKind,
    pub major: u16,
    pub super_class: Option<ClassId>,
    /// Direct superinterfaces, in declaration order.
    pub interfaces: Vec<ClassId>,
    /// Every superinterface (direct or not), sorted, for `instanceof`.
    pub all_interfaces: Vec<ClassId>,
    /// The superclass chain from `java/lang/Object` down to this class
    /// (itself last): `A` is a superclass of `C` iff `C.supers[A.depth] == A`.
    pub supers: Vec<ClassId>,
    pub state: InitState,
    /// Verification or other link failure, rethrown on every later use.
    pub link_error: Option<LinkError>,
    pub layout: Option<LayoutId>,
    /// Bytes of instance fields, inherited included.
    pub field_bytes: u32,
    /// Reference offsets of instance fields, inherited included.
    pub ref_offsets: Vec<u32>,
    /// Declared fields and methods.
    pub fields: Vec<FieldId>,
    pub methods: Vec<MethodId>,
    pub vtable: Vec<MethodId>,
    /// Interface dispatch cache: resolved interface method → selection.
    pub itable: BTreeMap<MethodId, Selected>,
    pub cp: Vec<CpEntry>,
    pub bootstraps: Vec<Bootstrap>,
    pub source_file: Option<Box<[u8]>>,
    pub nest_host: NestHost,
    /// Names in the NestMembers attribute.
    pub nest_members: Vec<Box<[u8]>>,
    pub clinit: Option<MethodId>,
    /// The class-file bytes, kept only until the class is verified.
    pub pending_bytes: Option<Box<[u8]>>,
    /// The class of arrays of this type, once created.
    pub array_class: Option<ClassId>,
    pub synthetic: Option<Synthetic>,
}

/// The outcome of method selection (JVMS 5.4.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selected {
    Method(MethodId),
    /// No non-abstract method: `AbstractMethodError`.
    Abstract,
    /// Several maximally-specific defaults: `IncompatibleClassChangeError`.
    Conflict,
}

impl Class {
    pub fn is_interface(&self) -> bool {
        self.flags & ACC_INTERFACE != 0
    }
    pub fn is_array(&self) -> bool {
        matches!(self.kind, ClassKind::Array { .. })
    }
    pub fn depth(&self) -> usize {
        self.supers.len().saturating_sub(1)
    }
}

/// Parsed facts about a method descriptor.
pub struct DescInfo {
    /// Argument slots, not counting `this`.
    pub arg_slots: u16,
    /// One byte per argument slot (no `this`): 1 = reference.
    pub arg_refs: Vec<u8>,
    pub ret: RetKind,
}

pub fn ret_kind(t: Option<&FieldType<'_>>) -> RetKind {
    match t {
        None => RetKind::Void,
        Some(FieldType::Base(BaseType::Long)) => RetKind::Long,
        Some(FieldType::Base(BaseType::Double)) => RetKind::Double,
        Some(FieldType::Base(BaseType::Float)) => RetKind::Float,
        Some(FieldType::Base(_)) => RetKind::Int,
        Some(_) => RetKind::Ref,
    }
}

/// Facts about a (valid) method descriptor; `None` if malformed.
pub fn desc_info(desc: &[u8]) -> Option<DescInfo> {
    let md = parse_method_descriptor(desc)?;
    let mut arg_refs = Vec::with_capacity(md.parameters.len());
    for p in &md.parameters {
        match p {
            FieldType::Base(BaseType::Long | BaseType::Double) => arg_refs.extend_from_slice(&[0, 0]),
            FieldType::Base(_) => arg_refs.push(0),
            _ => arg_refs.push(1),
        }
    }
    Some(DescInfo { arg_slots: arg_refs.len() as u16, arg_refs, ret: ret_kind(md.return_type.as_ref()) })
}

/// The slot count of a field descriptor's value.
pub fn field_slots(desc: &[u8]) -> usize {
    match desc.first() {
        Some(b'J' | b'D') => 2,
        _ => 1,
    }
}
