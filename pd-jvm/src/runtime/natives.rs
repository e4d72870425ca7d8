//! Natives: the registry binding `(class, name, descriptor)` to Rust
//! functions, and the built-in natives the class library relies on
//! (docs/jvm.md, "The natives the class library relies on").
//!
//! A native gets the VM and its arguments as [`Args`], which read the
//! argument slots of the native's frame on the Java stack. Those slots are
//! GC roots, so a native that allocates must re-read references from
//! `Args` afterwards instead of keeping old `Ref`s.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::heap::{AccessError, AllocError, ElementKind, Ref};
use crate::interp::Exit;

use super::class::*;
use super::{Value, Vm, VmError};

/// A native method implementation.
pub type NativeFn = fn(&mut Vm, Args) -> NativeResult;

/// What a native returns: the value (`Value::Void` for `void`), or how it fails.
pub type NativeResult = Result<Value, NativeError>;

/// How a native fails.
#[derive(Debug)]
pub enum NativeError {
    /// Throw this (non-null) `Throwable`.
    Throw(Ref),
    /// Throw a new exception of this class (internal name) with this message.
    ThrowNew { class: &'static str, message: Option<String> },
    /// Abort the call into Java (budget, exit, ...).
    Vm(VmError),
    /// An exception is already being thrown: a VM helper called by the
    /// native failed with it (what `?` on an [`Exit`] gives).
    Pending,
}

impl NativeError {
    pub fn new(class: &'static str, message: impl Into<String>) -> Self {
        NativeError::ThrowNew { class, message: Some(message.into()) }
    }
}

impl From<Exit> for NativeError {
    fn from(e: Exit) -> Self {
        match e {
            Exit::Exception => NativeError::Pending,
            Exit::Link(l) => NativeError::ThrowNew { class: l.class, message: Some(l.message) },
            Exit::Vm(v) => NativeError::Vm(v),
        }
    }
}

/// A native's arguments: slots of its frame (`this` first for instance
/// natives; `long` and `double` take two slots, as in JVM locals).
#[derive(Clone, Copy, Debug)]
pub struct Args {
    pub(crate) base: usize,
    pub(crate) len: usize,
}

impl Args {
    /// Number of argument slots.
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    pub fn raw(&self, vm: &Vm, slot: usize) -> u64 {
        if slot < self.len {
            vm.stack[self.base + slot]
        } else {
            0
        }
    }
    pub fn int(&self, vm: &Vm, slot: usize) -> i32 {
        self.raw(vm, slot) as u32 as i32
    }
    pub fn boolean(&self, vm: &Vm, slot: usize) -> bool {
        self.int(vm, slot) & 1 != 0
    }
    pub fn long(&self, vm: &Vm, slot: usize) -> i64 {
        self.raw(vm, slot) as i64
    }
    pub fn float(&self, vm: &Vm, slot: usize) -> f32 {
        f32::from_bits(self.raw(vm, slot) as u32)
    }
    pub fn double(&self, vm: &Vm, slot: usize) -> f64 {
        f64::from_bits(self.raw(vm, slot))
    }
    /// A reference argument; re-read it after anything that may allocate.
    pub fn reference(&self, vm: &Vm, slot: usize) -> Ref {
        Ref::from_raw(self.raw(vm, slot) as u32)
    }
}

/// Natives by `class\0name\0descriptor`.
#[derive(Default)]
pub(crate) struct Registry {
    map: BTreeMap<Vec<u8>, NativeFn>,
    /// The raw memory natives among them ([`super::raw`]).
    raw: BTreeMap<Vec<u8>, super::raw::RawAccess>,
    /// The leaf natives among them ([`super::leaf`]).
    leaf: BTreeMap<Vec<u8>, super::leaf::LeafFn>,
    /// Interpreter twins of bytecode methods ([`Vm::register_interpreter_twin`])
    /// and their quick forms ([`Vm::register_quick_twin`]).
    twins: BTreeMap<Vec<u8>, (NativeFn, Option<super::twin::QuickTwinFn>)>,
}

fn key(class: &[u8], name: &[u8], desc: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(class.len() + name.len() + desc.len() + 2);
    k.extend_from_slice(class);
    k.push(0);
    k.extend_from_slice(name);
    k.push(0);
    k.extend_from_slice(desc);
    k
}

impl Registry {
    pub fn register(&mut self, class: &[u8], name: &[u8], desc: &[u8], f: NativeFn) {
        self.map.insert(key(class, name, desc), f);
    }
    pub fn lookup(&self, class: &[u8], name: &[u8], desc: &[u8]) -> Option<NativeFn> {
        self.map.get(&key(class, name, desc)).copied()
    }
    pub fn register_raw(&mut self, class: &[u8], name: &[u8], access: super::raw::RawAccess, f: NativeFn) {
        let k = key(class, name, access.descriptor().as_bytes());
        self.map.insert(k.clone(), f);
        self.raw.insert(k, access);
    }
    pub fn register_leaf(&mut self, class: &[u8], name: &[u8], f: super::leaf::LeafFn) {
        let k = key(class, name, super::leaf::DESCRIPTOR.as_bytes());
        self.map.insert(k.clone(), super::leaf::call_leaf);
        self.leaf.insert(k, f);
    }
    pub fn leaf(&self, class: &[u8], name: &[u8], desc: &[u8]) -> Option<super::leaf::LeafFn> {
        if self.leaf.is_empty() {
            return None;
        }
        self.leaf.get(&key(class, name, desc)).copied()
    }
    pub fn register_twin(
        &mut self,
        class: &[u8],
        name: &[u8],
        desc: &[u8],
        f: NativeFn,
        quick: Option<super::twin::QuickTwinFn>,
    ) {
        self.twins.insert(key(class, name, desc), (f, quick));
    }
    pub fn twin(&self, class: &[u8], name: &[u8], desc: &[u8]) -> Option<(NativeFn, Option<super::twin::QuickTwinFn>)> {
        if self.twins.is_empty() {
            return None;
        }
        self.twins.get(&key(class, name, desc)).copied()
    }
    pub fn raw(&self, class: &[u8], name: &[u8], desc: &[u8]) -> Option<super::raw::RawAccess> {
        if self.raw.is_empty() {
            return None;
        }
        self.raw.get(&key(class, name, desc)).copied()
    }
}

pub(crate) fn register_builtins(vm: &mut Vm) {
    let list: &[(&str, &str, &str, NativeFn)] = &[
        ("java/lang/Object", "getClass", "()Ljava/lang/Class;", object_get_class),
        ("java/lang/Object", "hashCode", "()I", object_hash_code),
        ("java/lang/Object", "clone", "()Ljava/lang/Object;", object_clone),
        ("java/lang/Object", "notify", "()V", object_notify),
        ("java/lang/Object", "notifyAll", "()V", object_notify),
        ("java/lang/System", "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V", system_arraycopy),
        ("java/lang/System", "nanoTime", "()J", system_nano_time),
        ("java/lang/System", "currentTimeMillis", "()J", system_current_time_millis),
        ("java/lang/System", "identityHashCode", "(Ljava/lang/Object;)I", system_identity_hash),
        ("java/lang/Class", "getName", "()Ljava/lang/String;", class_get_name),
        ("java/lang/Class", "isInstance", "(Ljava/lang/Object;)Z", class_is_instance),
        ("java/lang/Class", "isArray", "()Z", class_is_array),
        ("java/lang/Class", "isPrimitive", "()Z", class_is_primitive),
        ("java/lang/Class", "isInterface", "()Z", class_is_interface),
        ("java/lang/Class", "getComponentType", "()Ljava/lang/Class;", class_component_type),
        ("java/lang/Class", "getSuperclass", "()Ljava/lang/Class;", class_superclass),
        ("java/lang/Class", "desiredAssertionStatus", "()Z", class_desired_assertion_status),
        ("java/lang/String", "intern", "()Ljava/lang/String;", string_intern),
        ("java/lang/Float", "floatToRawIntBits", "(F)I", float_to_raw_int_bits),
        ("java/lang/Float", "intBitsToFloat", "(I)F", int_bits_to_float),
        ("java/lang/Double", "doubleToRawLongBits", "(D)J", double_to_raw_long_bits),
        ("java/lang/Double", "longBitsToDouble", "(J)D", long_bits_to_double),
        ("java/lang/Throwable", "fillInStackTrace", "()Ljava/lang/Throwable;", throwable_fill_in_stack_trace),
        ("java/lang/Throwable", "fillInStackTrace", "(I)Ljava/lang/Throwable;", throwable_fill_in_stack_trace),
        ("java/lang/Throwable", "getStackTraceDepth", "()I", throwable_stack_trace_depth),
        (
            "java/lang/Throwable",
            "getStackTraceElement",
            "(I)Ljava/lang/StackTraceElement;",
            throwable_stack_trace_element,
        ),
        ("java/lang/Thread", "currentThread", "()Ljava/lang/Thread;", thread_current),
        ("java/lang/Thread", "start", "()V", thread_start),
        ("java/lang/Thread", "start0", "()V", thread_start),
        ("capuchin/internal/Console", "write", "(I[BII)V", console_write),
        ("capuchin/internal/VM", "exit", "(I)V", vm_exit),
        ("capuchin/internal/VM", "ensureClassInitialized", "(Ljava/lang/Class;)V", vm_ensure_class_initialized),
        ("java/lang/reflect/Array", "newArray", "(Ljava/lang/Class;I)Ljava/lang/Object;", reflect_new_array),
    ];
    for &(c, n, d, f) in list {
        vm.register_native(c, n, d, f);
    }
    for &(n, d, f) in super::math::STRICT_MATH {
        vm.register_native("java/lang/StrictMath", n, d, f);
    }
}

fn npe(what: &str) -> NativeError {
    NativeError::new("java/lang/NullPointerException", what)
}

fn object_get_class(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let c = vm.class_of(this).ok_or_else(|| npe("getClass"))?;
    Ok(Value::Ref(vm.mirror(c)?))
}

fn object_hash_code(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    vm.heap.identity_hash(this).map(Value::Int).map_err(|_| npe("hashCode"))
}

/// `notify`/`notifyAll`: a PD has one thread, so there is never a waiter to
/// wake; what remains is the JDK's ownership check.
fn object_notify(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    if vm.monitors.iter().any(|&(o, _)| o == this) {
        Ok(Value::Void)
    } else {
        Err(NativeError::new("java/lang/IllegalMonitorStateException", "current thread is not owner"))
    }
}

fn system_identity_hash(vm: &mut Vm, a: Args) -> NativeResult {
    let r = a.reference(vm, 0);
    if r.is_null() {
        return Ok(Value::Int(0));
    }
    vm.heap.identity_hash(r).map(Value::Int).map_err(|_| npe("identityHashCode"))
}

fn object_clone(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let c = vm.class_of(this).ok_or_else(|| npe("clone"))?;
    let cls = &vm.classes[c.ix()];
    let cloneable = cls.is_array() || vm.wk.cloneable.is_some_and(|k| cls.all_interfaces.binary_search(&k).is_ok());
    if !cloneable {
        return Err(NativeError::new("java/lang/CloneNotSupportedException", super::loader::dotted(&cls.name)));
    }
    let mut collected = false;
    loop {
        let this = a.reference(vm, 0);
        match vm.heap.alloc_clone(this) {
            Ok(r) => return Ok(Value::Ref(r)),
            Err(AllocError::NeedsGc) if !collected => {
                vm.gc();
                collected = true;
            }
            Err(AllocError::NeedsGc | AllocError::OutOfMemory) => return Err(vm.out_of_memory().into()),
            Err(e) => return Err(NativeError::Vm(VmError::Internal(format!("clone: {e}")))),
        }
    }
}

/// `int[10]`, `object array[10]`: how HotSpot names arrays in arraycopy messages.
fn array_desc(kind: ElementKind, len: i32) -> String {
    let t = match kind {
        ElementKind::Boolean => "boolean",
        ElementKind::Byte => "byte",
        ElementKind::Char => "char",
        ElementKind::Short => "short",
        ElementKind::Int => "int",
        ElementKind::Long => "long",
        ElementKind::Float => "float",
        ElementKind::Double => "double",
        ElementKind::Reference => "object array",
    };
    format!("{t}[{len}]")
}

fn system_arraycopy(vm: &mut Vm, a: Args) -> NativeResult {
    let (src, sp, dst, dp, len) = (a.reference(vm, 0), a.int(vm, 1), a.reference(vm, 2), a.int(vm, 3), a.int(vm, 4));
    if src.is_null() || dst.is_null() {
        return Err(NativeError::ThrowNew { class: "java/lang/NullPointerException", message: None });
    }
    let (sc, dc) = (vm.class_of(src).unwrap_or(ClassId(0)), vm.class_of(dst).unwrap_or(ClassId(0)));
    let kinds = |vm: &Vm, c: ClassId| match vm.classes[c.ix()].kind {
        ClassKind::Array { component, elem } => Some((component, elem)),
        _ => None,
    };
    let Some((scomp, skind)) = kinds(vm, sc) else {
        return Err(NativeError::new(
            "java/lang/ArrayStoreException",
            format!("arraycopy: source type {} is not an array", super::loader::dotted(&vm.classes[sc.ix()].name)),
        ));
    };
    let Some((dcomp, dkind)) = kinds(vm, dc) else {
        return Err(NativeError::new(
            "java/lang/ArrayStoreException",
            format!("arraycopy: destination type {} is not an array", super::loader::dotted(&vm.classes[dc.ix()].name)),
        ));
    };
    let (slen, dlen) = (vm.heap.array_length(src).unwrap_or(0), vm.heap.array_length(dst).unwrap_or(0));
    if skind != dkind {
        let name = |vm: &Vm, c: ClassId| super::loader::dotted(&vm.classes[c.ix()].name);
        let (sn, dn) = (name(vm, sc), name(vm, dc));
        let msg = if skind == ElementKind::Reference || dkind == ElementKind::Reference {
            format!("arraycopy: type mismatch: can not copy {sn} into {dn}")
        } else {
            format!("arraycopy: type mismatch: can not copy {}[] into {}[]", prim_name(skind), prim_name(dkind))
        };
        return Err(NativeError::new("java/lang/ArrayStoreException", msg));
    }
    let oob = |m: String| Err(NativeError::new("java/lang/ArrayIndexOutOfBoundsException", m));
    if sp < 0 {
        return oob(format!("arraycopy: source index {sp} out of bounds for {}", array_desc(skind, slen)));
    }
    if dp < 0 {
        return oob(format!("arraycopy: destination index {dp} out of bounds for {}", array_desc(dkind, dlen)));
    }
    if len < 0 {
        return oob(format!("arraycopy: length {len} is negative"));
    }
    if i64::from(sp) + i64::from(len) > i64::from(slen) {
        return oob(format!(
            "arraycopy: last source index {} out of bounds for {}",
            i64::from(sp) + i64::from(len),
            array_desc(skind, slen)
        ));
    }
    if i64::from(dp) + i64::from(len) > i64::from(dlen) {
        return oob(format!(
            "arraycopy: last destination index {} out of bounds for {}",
            i64::from(dp) + i64::from(len),
            array_desc(dkind, dlen)
        ));
    }
    let r = if skind != ElementKind::Reference || src == dst || vm.is_instance_of(scomp, dcomp) {
        vm.heap.array_copy(src, sp, dst, dp, len)
    } else {
        let Vm { heap, classes, layout_class, .. } = vm;
        let classes = &*classes;
        let mut check = |l: crate::heap::LayoutId| {
            let c = layout_class[l.index() as usize];
            is_instance_of_in(classes, c, dcomp)
        };
        heap.array_copy_checked(src, sp, dst, dp, len, &mut check)
    };
    match r {
        Ok(()) => Ok(Value::Void),
        Err(AccessError::ArrayStore) => Err(NativeError::new(
            "java/lang/ArrayStoreException",
            format!(
                "arraycopy: element type mismatch: can not cast one of the elements of {}[] to the type of the destination array, {}",
                super::loader::dotted(&vm.classes[scomp.ix()].name),
                super::loader::dotted(&vm.classes[dcomp.ix()].name)
            ),
        )),
        Err(e) => Err(NativeError::Vm(VmError::Internal(format!("arraycopy: {e}")))),
    }
}

/// `Vm::is_instance_of` for use while the heap is borrowed.
fn is_instance_of_in(classes: &[Class], s: ClassId, t: ClassId) -> bool {
    // Only class (non-array) element types reach here with distinct classes
    // or array element classes; reuse the general rules via a tiny shim.
    struct Shim<'a>(&'a [Class]);
    impl Shim<'_> {
        fn inst(&self, s: ClassId, t: ClassId) -> bool {
            if s == t {
                return true;
            }
            let (sc, tc) = (&self.0[s.ix()], &self.0[t.ix()]);
            match (sc.kind, tc.kind) {
                (ClassKind::Array { component: a, .. }, ClassKind::Array { component: b, .. }) => {
                    match (self.0[a.ix()].kind, self.0[b.ix()].kind) {
                        (ClassKind::Primitive(x), ClassKind::Primitive(y)) => x == y,
                        (ClassKind::Primitive(_), _) | (_, ClassKind::Primitive(_)) => false,
                        _ => self.inst(a, b),
                    }
                }
                (ClassKind::Array { .. }, _) => {
                    tc.supers.len() == 1 || tc.is_interface() && sc.all_interfaces.binary_search(&t).is_ok()
                }
                (_, ClassKind::Array { .. }) => false,
                _ if tc.is_interface() => sc.all_interfaces.binary_search(&t).is_ok(),
                _ => !tc.supers.is_empty() && sc.supers.get(tc.depth()) == Some(&t),
            }
        }
    }
    Shim(classes).inst(s, t)
}

fn prim_name(k: ElementKind) -> &'static str {
    match k {
        ElementKind::Boolean => "boolean",
        ElementKind::Byte => "byte",
        ElementKind::Char => "char",
        ElementKind::Short => "short",
        ElementKind::Int => "int",
        ElementKind::Long => "long",
        ElementKind::Float => "float",
        ElementKind::Double => "double",
        ElementKind::Reference => "object",
    }
}

fn system_nano_time(vm: &mut Vm, _a: Args) -> NativeResult {
    Ok(Value::Long(vm.config.nano_clock.map_or(0, |c| c() as i64)))
}

fn system_current_time_millis(vm: &mut Vm, _a: Args) -> NativeResult {
    Ok(Value::Long(vm.config.millis_clock.map_or(0, |c| c())))
}

fn this_class(vm: &Vm, a: Args) -> Result<ClassId, NativeError> {
    let m = a.reference(vm, 0);
    vm.mirror_class(m).ok_or_else(|| npe("not a Class"))
}

fn class_get_name(vm: &mut Vm, a: Args) -> NativeResult {
    let c = this_class(vm, a)?;
    let name = vm.binary_name(c);
    Ok(Value::Ref(vm.new_string(&name)?))
}

fn class_is_instance(vm: &mut Vm, a: Args) -> NativeResult {
    let c = this_class(vm, a)?;
    let o = a.reference(vm, 1);
    let r = !o.is_null() && vm.class_of(o).is_some_and(|oc| vm.is_instance_of(oc, c));
    Ok(Value::Int(r as i32))
}

fn class_is_array(vm: &mut Vm, a: Args) -> NativeResult {
    let c = this_class(vm, a)?;
    Ok(Value::Int(vm.classes[c.ix()].is_array() as i32))
}

fn class_is_primitive(vm: &mut Vm, a: Args) -> NativeResult {
    let c = this_class(vm, a)?;
    Ok(Value::Int(matches!(vm.classes[c.ix()].kind, ClassKind::Primitive(_)) as i32))
}

fn class_is_interface(vm: &mut Vm, a: Args) -> NativeResult {
    let c = this_class(vm, a)?;
    let cls = &vm.classes[c.ix()];
    Ok(Value::Int((cls.is_interface() && matches!(cls.kind, ClassKind::Instance)) as i32))
}

fn class_component_type(vm: &mut Vm, a: Args) -> NativeResult {
    let c = this_class(vm, a)?;
    match vm.classes[c.ix()].kind {
        ClassKind::Array { component, .. } => Ok(Value::Ref(vm.mirror(component)?)),
        _ => Ok(Value::Ref(Ref::NULL)),
    }
}

fn class_superclass(vm: &mut Vm, a: Args) -> NativeResult {
    let c = this_class(vm, a)?;
    let cls = &vm.classes[c.ix()];
    if cls.is_interface() || matches!(cls.kind, ClassKind::Primitive(_)) {
        return Ok(Value::Ref(Ref::NULL));
    }
    match cls.super_class {
        Some(s) => Ok(Value::Ref(vm.mirror(s)?)),
        None => Ok(Value::Ref(Ref::NULL)),
    }
}

fn class_desired_assertion_status(_vm: &mut Vm, _a: Args) -> NativeResult {
    Ok(Value::Int(0))
}

fn string_intern(vm: &mut Vm, a: Args) -> NativeResult {
    let s = a.reference(vm, 0);
    let units = vm.string_utf16(s).ok_or_else(|| npe("intern"))?;
    if let Some(&i) = vm.string_table.get(&units) {
        return Ok(Value::Ref(vm.strings[i as usize]));
    }
    // Absent: this very string joins the pool (as in the JDK).
    let i = vm.strings.len() as u32;
    vm.strings.push(s);
    vm.note_moved();
    vm.string_table.insert(units, i);
    Ok(Value::Ref(s))
}

/// The natives compiled code may replace by a reinterpretation of the
/// argument's bits ([`super::compiler::PureNative::RawBits`]), if they
/// are still ours.
pub(crate) fn is_raw_bits_native(f: NativeFn) -> bool {
    let ours: [NativeFn; 4] = [float_to_raw_int_bits, int_bits_to_float, double_to_raw_long_bits, long_bits_to_double];
    ours.iter().any(|&g| g as usize == f as usize)
}

fn float_to_raw_int_bits(vm: &mut Vm, a: Args) -> NativeResult {
    Ok(Value::Int(a.float(vm, 0).to_bits() as i32))
}

fn int_bits_to_float(vm: &mut Vm, a: Args) -> NativeResult {
    Ok(Value::Float(f32::from_bits(a.int(vm, 0) as u32)))
}

fn double_to_raw_long_bits(vm: &mut Vm, a: Args) -> NativeResult {
    Ok(Value::Long(a.double(vm, 0).to_bits() as i64))
}

fn long_bits_to_double(vm: &mut Vm, a: Args) -> NativeResult {
    Ok(Value::Double(f64::from_bits(a.long(vm, 0) as u64)))
}

fn throwable_fill_in_stack_trace(vm: &mut Vm, a: Args) -> NativeResult {
    vm.fill_in_stack_trace(a)?;
    Ok(Value::Ref(a.reference(vm, 0)))
}

fn throwable_stack_trace_depth(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    Ok(Value::Int(vm.backtrace(this).len() as i32))
}

fn throwable_stack_trace_element(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let i = a.int(vm, 1);
    let bt = vm.backtrace(this);
    let Some(&(m, pc)) = usize::try_from(i).ok().and_then(|i| bt.get(i)) else {
        return Err(NativeError::new(
            "java/lang/IndexOutOfBoundsException",
            format!("Index {i} out of bounds for length {}", bt.len()),
        ));
    };
    Ok(Value::Ref(vm.new_stack_trace_element(m, pc)?))
}

fn thread_current(vm: &mut Vm, _a: Args) -> NativeResult {
    Ok(Value::Ref(vm.current_thread()?))
}

fn thread_start(_vm: &mut Vm, _a: Args) -> NativeResult {
    Err(NativeError::new("java/lang/UnsupportedOperationException", "threads are not supported in a protection domain"))
}

fn console_write(vm: &mut Vm, a: Args) -> NativeResult {
    let (fd, b, off, len) = (a.int(vm, 0), a.reference(vm, 1), a.int(vm, 2), a.int(vm, 3));
    if b.is_null() {
        return Err(NativeError::ThrowNew { class: "java/lang/NullPointerException", message: None });
    }
    let bytes = vm.heap.array_bytes(b).map_err(|_| npe("not a byte array"))?;
    let n = bytes.len() as i64;
    if off < 0 || len < 0 || i64::from(off) + i64::from(len) > n {
        return Err(NativeError::new(
            "java/lang/IndexOutOfBoundsException",
            format!("Range [{off}, {off} + {len}) out of bounds for length {n}"),
        ));
    }
    let chunk: Vec<u8> = bytes[off as usize..(off + len) as usize].to_vec();
    vm.output.write(fd, &chunk);
    Ok(Value::Void)
}

/// Runs a class's static initialization now (JVMS 5.5), as reflection does.
fn vm_ensure_class_initialized(vm: &mut Vm, a: Args) -> NativeResult {
    let m = a.reference(vm, 0);
    if m.is_null() {
        return Err(NativeError::ThrowNew { class: "java/lang/NullPointerException", message: None });
    }
    let c = vm.mirror_class(m).ok_or_else(|| npe("not a Class"))?;
    vm.initialize_nested(c)?;
    Ok(Value::Void)
}

/// `Array.newArray(componentType, length)`: a new array of any component type.
fn reflect_new_array(vm: &mut Vm, a: Args) -> NativeResult {
    let m = a.reference(vm, 0);
    let len = a.int(vm, 1);
    if m.is_null() {
        return Err(NativeError::ThrowNew { class: "java/lang/NullPointerException", message: None });
    }
    let c = vm.mirror_class(m).ok_or_else(|| npe("not a Class"))?;
    if vm.classes[c.ix()].kind == ClassKind::Primitive(b'V') {
        return Err(NativeError::new("java/lang/IllegalArgumentException", "void"));
    }
    let ac = vm.array_class_of(c).map_err(Exit::Link)?;
    Ok(Value::Ref(vm.alloc_array(ac, len)?))
}

fn vm_exit(vm: &mut Vm, a: Args) -> NativeResult {
    Err(NativeError::Vm(VmError::Exit(a.int(vm, 0))))
}

impl Vm {
    /// The `java.lang.Class` object of `c`, created on first use.
    pub(crate) fn mirror(&mut self, c: ClassId) -> Result<Ref, Exit> {
        let m = self.mirrors[c.ix()];
        if !m.is_null() {
            return Ok(m);
        }
        let (Some(cc), Some(off)) = (self.wk.class, self.wk.class_id_field) else {
            return Err(Exit::internal("java/lang/Class is missing"));
        };
        let r = self.alloc_instance(cc)?;
        let _ = self.heap.set_field(r, off, c.0 as i32);
        self.mirrors[c.ix()] = r;
        Ok(r)
    }

    /// The class a `java.lang.Class` object stands for.
    pub(crate) fn mirror_class(&self, m: Ref) -> Option<ClassId> {
        let off = self.wk.class_id_field?;
        if m.is_null() || self.class_of(m) != self.wk.class {
            return None;
        }
        let id = self.heap.get_field::<i32>(m, off).ok()?;
        (id >= 0 && (id as usize) < self.classes.len()).then_some(ClassId(id as u32))
    }

    /// `Class.getName()`: `java.lang.String`, `[I`, `[Ljava.lang.String;`, `int`.
    pub(crate) fn binary_name(&self, c: ClassId) -> String {
        super::loader::dotted(&self.classes[c.ix()].name)
    }

    /// The thread object, created on first use (its constructor may call
    /// `currentThread()` itself, which then sees the object already).
    pub(crate) fn current_thread(&mut self) -> Result<Ref, Exit> {
        if !self.thread_object.is_null() {
            return Ok(self.thread_object);
        }
        let tc = self.load_class(b"java/lang/Thread").map_err(Exit::Link)?;
        self.initialize_nested(tc)?;
        let t = self.alloc_instance(tc)?;
        self.thread_object = t;
        if let Some(m) = self.declared_method(tc, b"<init>", b"(Ljava/lang/String;)V") {
            let name = self.new_string("main")?;
            let t = self.thread_object;
            self.call_from_rust(m, &[Value::Ref(t), Value::Ref(name)])?;
        } else if let Some(m) = self.declared_method(tc, b"<init>", b"()V") {
            let t = self.thread_object;
            self.call_from_rust(m, &[Value::Ref(t)])?;
        }
        Ok(self.thread_object)
    }
}
