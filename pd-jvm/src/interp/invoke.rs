//! Method invocation: the invoke instructions (resolution, selection per
//! JVMS 5.4.6 with a one-entry inline cache in the pool entry), natives,
//! returns, and entries into Java from Rust.

use alloc::format;
use core::cell::Cell;

use crate::classfile::flags::ACC_FINAL;
use crate::heap::{Heap, Ref};
use crate::runtime::class::*;
use crate::runtime::compiler::JitEntry;
use crate::runtime::loader::dotted;
use crate::runtime::resolve::pretty_method;
use crate::runtime::{Args, EntryPlan, InterpretedPlan, LinkError, NativeError, RefCall, SlotRefs, Value, Vm, VmError};
use crate::verify::insn::op;

use super::frame::{Cont, Frame};
use super::quick::{self, q, Insn};
use super::Exit;

/// Cache key marking an `invokespecial` selection in [`MethodRef`].
const SPECIAL: u32 = u32::MAX - 1;

/// What an invocation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Invoked {
    /// A bytecode frame was pushed.
    Java,
    /// A native ran; its result is on the caller's stack.
    Native,
}

impl Vm {
    /// `invokevirtual/special/static/interface` at the top frame, whose
    /// operand stack ends at `sp` (arguments last).
    pub(crate) fn invoke_insn(&mut self, opcode: u8, cls: ClassId, idx: u16, sp: usize) -> Result<(), Exit> {
        let mr = match &self.classes[cls.ix()].cp[usize::from(idx)] {
            CpEntry::Method { res: Res::Ok(m), .. } => *m,
            _ => self.resolve_method(cls, idx).map_err(Exit::Link)?,
        };
        let m = &self.methods[mr.method.ix()];
        let (arg_slots, is_static, decl) = (usize::from(m.arg_slots), m.is_static(), m.class);
        let base = sp - arg_slots;
        if opcode == op::INVOKESTATIC {
            if !is_static {
                return Err(self.icce_static(mr.method, "Expected static method"));
            }
            if self.classes[decl.ix()].state != InitState::Initialized {
                if let crate::runtime::init::InitStep::Pushed = self.ensure_init(decl)? {
                    return Ok(());
                }
            }
            self.invoke_at(mr.method, base, Cont::Normal)?;
            return Ok(());
        }
        if is_static {
            return Err(self.icce_static(mr.method, "Expecting non-static method"));
        }
        let recv = Ref::from_raw(self.stack[base] as u32);
        if recv.is_null() {
            let m = &self.methods[mr.method.ix()];
            let s = pretty_method(&self.classes[m.class.ix()].name, &m.name, &m.descriptor);
            // 'void pkg.Foo.bar(int)' -> "pkg.Foo.bar(int)", as HotSpot prints it.
            let inner = s.trim_matches('\'');
            let inner = inner.split_once(' ').map_or(inner, |(_, r)| r);
            let inner = inner.replace("java.lang.Object", "Object").replace("java.lang.String", "String");
            return Err(Exit::new("java/lang/NullPointerException", format!("Cannot invoke \"{inner}\"")));
        }
        let target = if opcode == op::INVOKESPECIAL {
            if mr.cache_class == SPECIAL {
                mr.cache_target
            } else {
                let class_idx = match &self.classes[cls.ix()].cp[usize::from(idx)] {
                    CpEntry::Method { class, .. } => *class,
                    _ => 0,
                };
                let symbolic = self.resolve_class(cls, class_idx).map_err(Exit::Link)?;
                let sel = self.select_special(cls, symbolic, mr.method);
                let t = self.selected(sel, symbolic, mr.method)?;
                self.set_method_cache_raw(cls, idx, SPECIAL, t);
                t
            }
        } else {
            let rc = self.class_of(recv).ok_or_else(|| Exit::internal("invoke: bad receiver"))?;
            if mr.cache_class == rc.0 {
                mr.cache_target
            } else {
                let t = if opcode == op::INVOKEINTERFACE {
                    self.select_for_interface_call(rc, mr.method)?
                } else {
                    self.select_virtual(rc, mr.method)?
                };
                self.set_method_cache(cls, idx, rc, t);
                t
            }
        };
        self.invoke_at(target, base, Cont::Normal)?;
        Ok(())
    }

    /// The quick form of the invoke instruction (`opcode`, pool entry
    /// `idx`, `len` bytes) that just ran generically, if its resolution and
    /// selection are now fixed: the initialized static method, the
    /// `invokespecial` selection, a private or non-virtual method, a
    /// vtable slot, or the resolved interface method.
    pub(crate) fn quicken_invoke(&self, opcode: u8, cls: ClassId, idx: u16, len: usize) -> Option<Insn> {
        let CpEntry::Method { res: Res::Ok(mr), .. } = self.classes[cls.ix()].cp.get(usize::from(idx))? else {
            return None;
        };
        let m = &self.methods[mr.method.ix()];
        let slots = m.arg_slots;
        match opcode {
            op::INVOKESTATIC if m.is_static() && self.classes[m.class.ix()].state == InitState::Initialized => {
                Some(Insn::new(q::INVOKE_STATIC, len, slots, mr.method.0))
            }
            op::INVOKESPECIAL if !m.is_static() && mr.cache_class == SPECIAL => {
                Some(Insn::new(q::INVOKE_DIRECT, len, slots, mr.cache_target.0))
            }
            op::INVOKEINTERFACE if !m.is_static() => Some(Insn::new(q::INVOKE_IFACE, len, slots, mr.method.0)),
            // As `select_virtual` decides. A final method, or any method
            // of a final class (the receiver is then of exactly that class:
            // resolution found the method in the symbolic class or above,
            // and a final class has no subclass), is its own selection:
            // no vtable load, and compiled code inlines it without a class
            // guard (`String.length()`, `Queue.enqueue`).
            op::INVOKEVIRTUAL if !m.is_static() => {
                if m.is_private() || m.flags & ACC_FINAL != 0 || self.classes[m.class.ix()].flags & ACC_FINAL != 0 {
                    Some(Insn::new(q::INVOKE_DIRECT, len, slots, mr.method.0))
                } else if self.classes[m.class.ix()].is_interface() {
                    None
                } else if m.vtable_index == NO_VTABLE {
                    Some(Insn::new(q::INVOKE_DIRECT, len, slots, mr.method.0))
                } else {
                    Some(Insn::new(q::INVOKE_VT, len, slots, m.vtable_index))
                }
            }
            _ => None,
        }
    }

    /// `RAW` for a quickened static call of a bound raw memory native
    /// (runtime/raw.rs): the access in place of the call.
    pub(crate) fn quicken_raw(&self, i: Insn) -> Option<Insn> {
        if i.op() != q::INVOKE_STATIC {
            return None;
        }
        let m = &self.methods[i.c() as usize];
        m.native?;
        Some(Insn::new(q::RAW, i.len(), m.raw?.code(), 0))
    }

    /// `TWIN` for a quickened direct call of a method with a quick twin,
    /// unless tiering is on: then the call takes the ordinary path, which
    /// counts it (`Vm::set_compiler` turns sites quickened earlier back).
    /// `cache` is the slot after the call's, where the twin's address goes
    /// ([`Insn::twin_cache`]).
    pub(crate) fn quicken_twin(&self, i: Insn, cache: &Cell<Insn>) -> Option<Insn> {
        if i.op() != q::INVOKE_DIRECT || self.jit.tiering || i.len() < 2 {
            return None;
        }
        cache.set(Insn::twin_cache(self.methods[i.c() as usize].quick_twin?));
        Some(i.with(q::TWIN, i.c()))
    }

    /// Turns every `TWIN` site back into the direct call it was quickened
    /// from (for tiering, which counts calls on the ordinary path).
    pub(crate) fn unquicken_twins(&mut self) {
        for m in &self.methods {
            let Some(code) = m.code.as_ref() else { continue };
            let Some(insns) = code.quick.get() else { continue };
            // Instruction by instruction: the slot after a `TWIN` holds
            // an address, not an instruction.
            let mut pc = 0;
            while let Some(cell) = insns.get(pc) {
                let i = cell.get();
                if i.op() == q::TWIN {
                    cell.set(i.with(q::INVOKE_DIRECT, i.c()));
                    insns[pc + 1].set(Insn::INSIDE);
                }
                pc += i.len().max(1);
            }
        }
    }

    /// `CLOCK` for a quickened static call of `System.nanoTime` when the VM
    /// has a clock (compiled code calls the clock directly too).
    pub(crate) fn quicken_clock(&self, i: Insn) -> Option<Insn> {
        let read_in_place =
            i.op() == q::INVOKE_STATIC && self.config.nano_clock.is_some() && self.is_nano_time(MethodId(i.c()));
        read_in_place.then(|| Insn::new(q::CLOCK, i.len(), 0, 0))
    }

    /// Whether `m` is the native `System.nanoTime()` (which reads the
    /// VM's clock: compiled code and the interpreter call the clock itself).
    pub(crate) fn is_nano_time(&self, m: MethodId) -> bool {
        let mm = &self.methods[m.ix()];
        mm.native.is_some()
            && &mm.name[..] == b"nanoTime"
            && &mm.descriptor[..] == b"()J"
            && &self.classes[mm.class.ix()].name[..] == b"java/lang/System"
    }

    /// The method `INVOKE_IFACE` calls: the receiver class's cached
    /// selection for the resolved interface method, if there is one and it
    /// is a method. `None` (null receiver, not cached yet, an error to
    /// report) takes the generic path, which fills the cache.
    #[inline]
    pub(crate) fn iface_target(&self, recv: Ref, resolved: MethodId) -> Option<MethodId> {
        let rc = self.class_of(recv)?;
        match self.classes[rc.ix()].itable.get(&resolved) {
            Some(&Selected::Method(t)) => Some(t),
            _ => None,
        }
    }

    /// A call from the interpreter loop with the arguments at `base..`:
    /// pushes the frame of an unsynchronized bytecode method directly when
    /// the depth guard and the slot vector allow it, else goes through
    /// [`Vm::invoke_at`] (natives, synchronized methods, growing the slot
    /// vector, the errors).
    #[inline]
    pub(crate) fn call_method(&mut self, target: MethodId, base: usize) -> Result<(), Exit> {
        let m = &self.methods[target.ix()];
        if let (Some(code), false) = (&m.code, m.is_synchronized()) {
            let locals = usize::from(code.max_locals);
            let top = base + locals + usize::from(code.max_stack) + 1;
            if self.frames.len() < self.config.max_depth as usize && top <= self.stack.len() {
                if let Some(f) = self.frames.last_mut() {
                    f.sp = base as u32;
                }
                self.frames.push(Frame::entered(target, base, locals, Cont::Normal));
                return Ok(());
            }
        }
        self.invoke_at(target, base, Cont::Normal).map(|_| ())
    }

    fn set_method_cache_raw(&mut self, cls: ClassId, idx: u16, key: u32, target: MethodId) {
        if let Some(CpEntry::Method { res: Res::Ok(m), .. }) = self.classes[cls.ix()].cp.get_mut(usize::from(idx)) {
            m.cache_class = key;
            m.cache_target = target;
        }
    }

    fn icce_static(&self, m: MethodId, what: &str) -> Exit {
        let mm = &self.methods[m.ix()];
        Exit::new(
            "java/lang/IncompatibleClassChangeError",
            format!("{what} {}", pretty_method(&self.classes[mm.class.ix()].name, &mm.name, &mm.descriptor)),
        )
    }

    /// A selection outcome as a method or the error JVMS 6.5 prescribes.
    fn selected(&self, sel: Selected, rc: ClassId, resolved: MethodId) -> Result<MethodId, Exit> {
        match sel {
            Selected::Method(m) => Ok(m),
            Selected::Abstract => Err(self.abstract_method_error(rc, resolved)),
            Selected::Conflict => {
                let m = &self.methods[resolved.ix()];
                let names: alloc::vec::Vec<alloc::string::String> = self
                    .maximally_specific(rc, &m.name, &m.descriptor)
                    .into_iter()
                    .filter(|&c| !self.methods[c.ix()].is_abstract())
                    .map(|c| {
                        let cm = &self.methods[c.ix()];
                        format!(
                            "{}.{}",
                            dotted(&self.classes[cm.class.ix()].name),
                            crate::classfile::mutf8::decode_lossy(&cm.name)
                        )
                    })
                    .collect();
                Err(Exit::new(
                    "java/lang/IncompatibleClassChangeError",
                    format!("Conflicting default methods: {}", names.join(" ")),
                ))
            }
        }
    }

    fn abstract_method_error(&self, rc: ClassId, resolved: MethodId) -> Exit {
        let m = &self.methods[resolved.ix()];
        let decl = &self.classes[m.class.ix()];
        Exit::new(
            "java/lang/AbstractMethodError",
            format!(
                "Receiver class {} does not define or inherit an implementation of the resolved method {} of {} {}.",
                dotted(&self.classes[rc.ix()].name),
                crate::runtime::resolve::pretty_method_unqualified(&m.name, &m.descriptor, "abstract "),
                if decl.is_interface() { "interface" } else { "abstract class" },
                dotted(&decl.name)
            ),
        )
    }

    /// `invokevirtual` selection: the vtable for class methods, lookup
    /// (cached per class) for methods resolved in an interface.
    fn select_virtual(&mut self, rc: ClassId, resolved: MethodId) -> Result<MethodId, Exit> {
        let m = &self.methods[resolved.ix()];
        if m.is_private() {
            return Ok(resolved);
        }
        if self.classes[m.class.ix()].is_interface() {
            let sel = self.select_interface(rc, resolved);
            return self.selected(sel, rc, resolved);
        }
        if m.vtable_index == NO_VTABLE {
            return Ok(resolved);
        }
        let Some(&t) = self.classes[rc.ix()].vtable.get(m.vtable_index as usize) else {
            return Err(Exit::internal("vtable index out of range"));
        };
        if self.methods[t.ix()].is_abstract() {
            return Err(self.abstract_method_error(rc, resolved));
        }
        Ok(t)
    }

    fn select_for_interface_call(&mut self, rc: ClassId, resolved: MethodId) -> Result<MethodId, Exit> {
        let m = &self.methods[resolved.ix()];
        let decl = m.class;
        if m.is_private() {
            return Ok(resolved);
        }
        if self.classes[decl.ix()].is_interface() && self.classes[rc.ix()].all_interfaces.binary_search(&decl).is_err()
        {
            return Err(Exit::new(
                "java/lang/IncompatibleClassChangeError",
                format!(
                    "Class {} does not implement the requested interface {}",
                    dotted(&self.classes[rc.ix()].name),
                    dotted(&self.classes[decl.ix()].name)
                ),
            ));
        }
        let sel = self.select_interface(rc, resolved);
        self.selected(sel, rc, resolved)
    }

    /// The monitor of a synchronized method: `this`, or the class object.
    fn sync_object(&mut self, m: MethodId, base: usize) -> Result<Ref, Exit> {
        let method = &self.methods[m.ix()];
        if method.is_static() {
            let c = method.class;
            self.mirror(c)
        } else {
            Ok(Ref::from_raw(self.stack[base] as u32))
        }
    }

    /// Calls `target` with its arguments at `base..`: pushes a frame for
    /// bytecode, or runs a native to completion.
    pub(crate) fn invoke_at(&mut self, target: MethodId, base: usize, cont: Cont) -> Result<Invoked, Exit> {
        if cont != Cont::Entry {
            if let Some(f) = self.frames.last_mut() {
                f.sp = base as u32;
            }
        }
        let m = &self.methods[target.ix()];
        let sync = m.is_synchronized();
        if m.code.is_some() {
            self.push_java_frame(target, base, cont, Ref::NULL)?;
            if sync {
                let obj = match self.sync_object(target, base) {
                    Ok(obj) => obj,
                    Err(e) => {
                        self.frames.pop();
                        return Err(e);
                    }
                };
                self.monitor_enter(obj);
                if let Some(f) = self.frames.last_mut() {
                    f.aux = obj;
                }
            }
            return Ok(Invoked::Java);
        }
        if !m.is_native() {
            let rc = self.class_of(Ref::from_raw(self.stack[base] as u32)).unwrap_or(m.class);
            return Err(self.abstract_method_error(rc, target));
        }
        let slots = self.call_native(target, base)?;
        if cont == Cont::Normal {
            if let Some(c) = self.frames.last_mut() {
                c.sp = (base + slots) as u32;
            }
            self.advance_past_invoke();
        }
        Ok(Invoked::Native)
    }

    /// Runs native method `target` on the arguments at `base` and stores
    /// its result there; returns the result's slots. The caller's frame
    /// must already end at `base` (`invoke_at` and the inline path set it).
    pub(crate) fn call_native(&mut self, target: MethodId, base: usize) -> Result<usize, Exit> {
        let m = &self.methods[target.ix()];
        let Some(f) = m.native else {
            let s = pretty_method(&self.classes[m.class.ix()].name, &m.name, &m.descriptor);
            return Err(Exit::Link(LinkError::new("java/lang/UnsatisfiedLinkError", s)));
        };
        self.call_native_fn(target, base, f)
    }

    /// Runs `f` as `target`'s native (its own or its interpreter twin).
    fn call_native_fn(&mut self, target: MethodId, base: usize, f: crate::runtime::NativeFn) -> Result<usize, Exit> {
        let m = &self.methods[target.ix()];
        let sync = m.is_synchronized();
        let (arg_slots, ret) = (usize::from(m.arg_slots), m.ret);
        if self.frames.len() >= self.config.max_depth as usize {
            return Err(Exit::new("java/lang/StackOverflowError", ""));
        }
        self.ensure_stack(base + arg_slots + 2)?;
        self.frames.push(Frame {
            method: target,
            pc: 0,
            bp: base as u32,
            sp: (base + arg_slots) as u32,
            cont: Cont::Native,
            aux: Ref::NULL,
        });
        if sync {
            match self.sync_object(target, base) {
                Ok(obj) => {
                    self.monitor_enter(obj);
                    if let Some(f) = self.frames.last_mut() {
                        f.aux = obj;
                    }
                }
                Err(e) => {
                    self.frames.pop();
                    return Err(e);
                }
            }
        }
        let r = f(self, Args { base, len: arg_slots });
        let fr = self.frames.pop().ok_or_else(|| Exit::internal("native frame vanished"))?;
        if sync {
            self.monitor_exit(fr.aux);
        }
        match r {
            Ok(v) => self.write_value(base, v, ret),
            Err(NativeError::Throw(r)) => {
                if r.is_null() {
                    return Err(Exit::new("java/lang/NullPointerException", ""));
                }
                self.throwing = r;
                Err(Exit::Exception)
            }
            Err(NativeError::ThrowNew { class, message }) => {
                Err(Exit::Link(LinkError::new(class, message.unwrap_or_default())))
            }
            Err(NativeError::Pending) => {
                if self.throwing.is_null() {
                    return Err(Exit::internal("native reported a pending exception but none is set"));
                }
                Err(Exit::Exception)
            }
            Err(NativeError::Vm(e)) => Err(Exit::Vm(e)),
        }
    }

    /// A call from a quickened invoke that needs no frame of its own and
    /// no trip through the interpreter's reload: an unsynchronized native,
    /// or a trivial getter (`aload_0; getfield; return`, its getfield
    /// already quickened) whose field is read right here. The receiver and
    /// arguments are at `base` (the caller's frame ends there: its `sp` is
    /// set); the result replaces them. `Ok(None)`: not such a method, take
    /// the generic path.
    pub(crate) fn call_inline(&mut self, target: MethodId, base: usize) -> Result<Option<usize>, Exit> {
        let m = &self.methods[target.ix()];
        if m.is_synchronized() {
            return Ok(None);
        }
        // The twin once the bytecode ran (so its pool entries are resolved
        // for the JIT, which compiles and inlines the bytecode).
        if let Some(f) = m.twin {
            let ran = m.code.as_ref().is_some_and(|c| c.quick.get().is_some());
            if ran && !self.twin_yields_to_code(target) {
                if let Some(fr) = self.frames.last_mut() {
                    fr.sp = base as u32;
                }
                return self.call_native_fn(target, base, f).map(Some);
            }
            if ran {
                // Compiled now: the generic path enters the code.
                return Ok(None);
            }
        }
        let m = &self.methods[target.ix()];
        let Some(code) = &m.code else {
            if m.native.is_none() {
                return Ok(None);
            }
            if let Some(f) = self.frames.last_mut() {
                f.sp = base as u32;
            }
            return self.call_native(target, base).map(Some);
        };
        let getter = match code.getter.get() {
            Some(&g) => g,
            None => {
                let Some(g) = code.quick.get().and_then(|d| quick::getter(d, code.bytes.len())) else {
                    return Ok(None);
                };
                *code.getter.get_or_init(|| g)
            }
        };
        let recv = Ref::from_raw(self.stack[base] as u32);
        let raw = match getter.kind {
            quick::GetterKind::Int => self.heap.get_field::<i32>(recv, getter.offset).map(|v| v as u32 as u64),
            quick::GetterKind::Long => self.heap.get_field::<i64>(recv, getter.offset).map(|v| v as u64),
            quick::GetterKind::Ref => self.heap.get_field::<Ref>(recv, getter.offset).map(|v| u64::from(v.to_raw())),
            quick::GetterKind::Byte => {
                self.heap.get_field::<i8>(recv, getter.offset).map(|v| i32::from(v) as u32 as u64)
            }
            quick::GetterKind::Char => self.heap.get_field::<u16>(recv, getter.offset).map(u64::from),
            quick::GetterKind::Short => {
                self.heap.get_field::<i16>(recv, getter.offset).map(|v| i32::from(v) as u32 as u64)
            }
        };
        // The receiver was null-checked by the invoke; any other failure
        // means the generic path should report it.
        let Ok(raw) = raw else { return Ok(None) };
        self.stack[base] = raw;
        Ok(Some(getter.slots))
    }

    /// Stores a native's result where the caller expects it; returns its slots.
    fn write_value(&mut self, at: usize, v: Value, ret: RetKind) -> Result<usize, Exit> {
        let (raw, slots) = match (v, ret) {
            (Value::Void, RetKind::Void) => (0, 0),
            (Value::Int(i), RetKind::Int) => (i as u32 as u64, 1),
            (Value::Float(f), RetKind::Float) => (u64::from(f.to_bits()), 1),
            (Value::Long(l), RetKind::Long) => (l as u64, 2),
            (Value::Double(d), RetKind::Double) => (d.to_bits(), 2),
            (Value::Ref(r), RetKind::Ref) => (u64::from(r.to_raw()), 1),
            (v, r) => return Err(Exit::internal(format!("native returned {v:?} for a {r:?} method"))),
        };
        if slots > 0 {
            self.stack[at] = raw;
        }
        Ok(slots)
    }

    /// Moves the top frame past the invoke instruction at its pc.
    fn advance_past_invoke(&mut self) {
        let Some(f) = self.frames.last() else { return };
        let len = match &self.methods[f.method.ix()].code {
            Some(c) => match c.bytes.get(f.pc as usize) {
                Some(&op::INVOKEINTERFACE | &op::INVOKEDYNAMIC) => 5,
                _ => 3,
            },
            None => 0,
        };
        if let Some(f) = self.frames.last_mut() {
            f.pc += len;
        }
    }

    /// A `*return`: pops the frame and continues as its [`Cont`] says.
    /// `Some(value)` ends the interpreter loop (its entry frame returned).
    pub(crate) fn do_return(&mut self, value: u64, slots: usize, stop: usize) -> Result<Option<u64>, Exit> {
        let f = self.frames.pop().ok_or_else(|| Exit::internal("return without a frame"))?;
        if self.methods[f.method.ix()].is_synchronized() {
            // Unbalanced locking inside the method cannot make this fail
            // observably in a single-threaded VM; the count is just dropped.
            self.monitor_exit(f.aux);
        }
        match f.cont {
            Cont::Entry => {
                self.stack[f.bp as usize] = value;
                Ok(Some(value))
            }
            Cont::Normal => {
                let bp = f.bp as usize;
                if slots > 0 {
                    self.stack[bp] = value;
                }
                if let Some(c) = self.frames.last_mut() {
                    c.sp = (bp + slots) as u32;
                }
                self.advance_past_invoke();
                Ok(None)
            }
            Cont::Clinit(c) => {
                self.init_done(c);
                if self.frames.len() <= stop {
                    return Ok(Some(0));
                }
                Ok(None)
            }
            Cont::ThrowAux => {
                self.throwing = f.aux;
                Err(Exit::Exception)
            }
            Cont::Native => Err(Exit::internal("return from a native frame")),
        }
    }

    /// Runs the interpreter for frames pushed by Rust code (natives, the
    /// embedder), within the native nesting limit.
    pub(crate) fn run_nested(&mut self, stop: usize) -> Result<u64, Exit> {
        if self.nesting >= self.config.max_native_nesting {
            // Unwind what was pushed for this entry before refusing it.
            while self.frames.len() > stop {
                self.frames.pop();
            }
            return Err(Exit::new("java/lang/StackOverflowError", ""));
        }
        self.nesting += 1;
        let r = self.run(stop);
        self.nesting -= 1;
        r
    }

    /// Writes `args` (receiver first for instance methods; one value per
    /// parameter) as `m`'s argument slots above the top frame; returns
    /// their base and `m`'s return kind.
    #[inline(always)]
    pub(crate) fn push_rust_args(&mut self, m: MethodId, args: &[Value]) -> Result<(usize, RetKind), Exit> {
        let base = self.frames.last().map_or(0, |f| f.sp as usize);
        let method = &self.methods[m.ix()];
        let (want, ret) = (usize::from(method.arg_slots), method.ret);
        self.ensure_stack(base + want + 2)?;
        let method = &self.methods[m.ix()];
        let slots = &mut self.stack[base..base + want];
        // Bit i: argument slot i was given a reference (the first 64; the
        // rest are checked one by one).
        let mut refs = 0u64;
        let mut at = 0;
        for a in args {
            let (raw, n, is_ref) = match *a {
                Value::Int(i) => (i as u32 as u64, 1, false),
                Value::Float(f) => (u64::from(f.to_bits()), 1, false),
                Value::Long(l) => (l as u64, 2, false),
                Value::Double(d) => (d.to_bits(), 2, false),
                Value::Ref(r) => (u64::from(r.to_raw()), 1, true),
                Value::Void => return Err(Exit::internal("void argument")),
            };
            if at + n > want {
                return Err(Exit::internal("too many arguments"));
            }
            if at < 64 {
                refs |= u64::from(is_ref) << at;
            } else if (method.arg_refs[at] != 0) != is_ref {
                return Err(wrong_argument_kind(at, is_ref));
            }
            slots[at] = raw;
            at += n;
        }
        if at != want {
            return Err(Exit::internal(format!("expected {want} argument slots, got {at}")));
        }
        // A number where the method takes a reference would be a forged
        // reference for the collector (and a reference where it takes a
        // number would leak an address).
        if refs != method.arg_ref_mask {
            let slot = (refs ^ method.arg_ref_mask).trailing_zeros() as usize;
            return Err(wrong_argument_kind(slot, refs & 1 << slot != 0));
        }
        Ok((base, ret))
    }

    /// Calls `m` from Rust with `args` (receiver first for instance
    /// methods; one value per parameter) and runs it to completion.
    pub(crate) fn call_from_rust(&mut self, m: MethodId, args: &[Value]) -> Result<Value, Exit> {
        let (base, ret) = self.push_rust_args(m, args)?;
        self.call_pushed_from_rust(m, base, ret)
    }

    /// [`Vm::call_from_rust`] for a method that takes exactly `N`
    /// references ([`Vm::ref_call`] checked it): the slots are written
    /// as they are.
    pub(crate) fn call_refs_from_rust<const N: usize>(&mut self, m: MethodId, args: [Ref; N]) -> Result<Value, Exit> {
        let base = self.frames.last().map_or(0, |f| f.sp as usize);
        self.ensure_stack(base + N + 2)?;
        for (slot, r) in self.stack[base..base + N].iter_mut().zip(args) {
            *slot = u64::from(r.to_raw());
        }
        let ret = self.methods[m.ix()].ret;
        self.call_pushed_from_rust(m, base, ret)
    }

    /// The compiled code of `call`'s method if the VM is idle, so that an
    /// entry from the embedder needs nothing but a frame record: tiering
    /// on (it would enter the code anyway), booted, no Java frame and no
    /// native running, room for one frame and one nesting level, and a
    /// method that is not `synchronized`.
    #[inline(always)]
    pub(crate) fn idle_entry<const N: usize>(&self, call: RefCall<N>) -> Option<JitEntry> {
        // What changes only at boot and with the compiler first: an
        // interpreting VM leaves after one test.
        if !self.idle_entries {
            return None;
        }
        let entry = self.compiled_entry(call.0)?;
        let idle = self.nesting == 0 && self.frames.is_empty() && !self.methods[call.0.ix()].is_synchronized();
        idle.then_some(entry)
    }

    /// Recomputes [`Vm::idle_entries`] (at boot and with a new compiler).
    pub(crate) fn note_idle_entries(&mut self) {
        self.idle_entries =
            self.jit.tiering && self.booted && self.config.max_depth > 0 && self.config.max_native_nesting > 0;
        self.note_entries_changed();
    }

    /// Ends every [`EntryPlan`] made so far: the VM's own reasons (a new
    /// compiler, code dropped) call this, and so may an embedder whose
    /// plans rest on more than the entry (e.g. which server a call goes to).
    pub fn note_entries_changed(&mut self) {
        self.entry_epoch += 1;
    }

    /// The count [`Vm::note_entries_changed`] moves: an embedder's own
    /// plans made at one value hold while it stays.
    #[inline]
    pub fn entry_epoch(&self) -> u64 {
        self.entry_epoch
    }

    /// Checks `call` once for [`Vm::enter_planned_long`]: its method
    /// returns `long`, has compiled code and is not `synchronized`, and
    /// an idle VM may enter it ([`Vm::idle_entry`]'s lasting conditions);
    /// the slots its frame needs are made now (the slot vector never
    /// shrinks). `None` if any of that does not hold (yet).
    pub fn plan_entry_long<const N: usize>(&mut self, call: RefCall<N>) -> Option<EntryPlan<N>> {
        // An interpreting VM leaves after one test (its server asks
        // after every call).
        if !self.idle_entries {
            return None;
        }
        let m = self.methods.get(call.0.ix())?;
        if m.ret != RetKind::Long || m.is_synchronized() {
            return None;
        }
        let c = m.code.as_ref()?;
        let (locals, stack) = (usize::from(c.max_locals), usize::from(c.max_stack));
        let entry = self.compiled_entry(call.0)?;
        self.ensure_stack(locals.max(N) + stack + 1).ok()?;
        Some(EntryPlan { call, entry, locals: locals as u32, epoch: self.entry_epoch })
    }

    /// [`Vm::invoke_refs_long`] through a plan: the same entry into
    /// compiled code from an idle VM, without the per-call look-ups.
    /// `None` (nothing ran) when the plan no longer holds or the VM is
    /// not idle: the caller takes the general way.
    #[inline]
    pub fn enter_planned_long<const N: usize>(
        &mut self,
        plan: &EntryPlan<N>,
        args: &SlotRefs<N>,
    ) -> Option<Result<i64, VmError>> {
        self.enter_planned_long_with(plan, args, |_| true)
    }

    /// [`Vm::enter_planned_long`] with the embedder's own work before the
    /// entry: `prepare` runs once the plan is known to hold (so it need
    /// not be undone), with the heap, e.g. to write the arguments'
    /// fields; `false` from it ends the attempt (`None`, nothing entered).
    #[inline]
    pub fn enter_planned_long_with<const N: usize>(
        &mut self,
        plan: &EntryPlan<N>,
        args: &SlotRefs<N>,
        prepare: impl FnOnce(&mut Heap) -> bool,
    ) -> Option<Result<i64, VmError>> {
        if !self.idle_in_epoch(plan.epoch, prepare) {
            return None;
        }
        Some(self.run_idle_entry(plan.call.0, plan.entry, plan.locals as usize, &args.0).map(|raw| raw as i64))
    }

    /// Whether a planned entry may go ahead: the plan's epoch is the
    /// current one, the VM is idle (no Java running) and `prepare` agreed.
    #[inline(always)]
    fn idle_in_epoch(&mut self, epoch: u64, prepare: impl FnOnce(&mut Heap) -> bool) -> bool {
        epoch == self.entry_epoch && self.nesting == 0 && self.frames.is_empty() && prepare(&mut self.heap)
    }

    /// Checks `call` once for [`Vm::enter_interpreted_long_with`]: its
    /// method returns `long`, has bytecode and is not `synchronized`; the
    /// VM interprets (without tiering: with it, calls are counted and
    /// compiled code is entered through [`Vm::plan_entry_long`]), is
    /// booted and has room for one frame and one nesting level. The code
    /// is decoded and the slots its frame needs are made now. `None` if
    /// any of that does not hold.
    pub fn plan_interpreted_long<const N: usize>(&mut self, call: RefCall<N>) -> Option<InterpretedPlan<N>> {
        if self.jit.tiering || !self.booted || self.config.max_depth == 0 || self.config.max_native_nesting == 0 {
            return None;
        }
        let m = self.methods.get(call.0.ix())?;
        if m.ret != RetKind::Long || m.is_synchronized() || usize::from(m.arg_slots) != N {
            return None;
        }
        let code = m.code.clone()?;
        let first = self.decoded(&code, m.class);
        let (locals, stack) = (usize::from(code.max_locals), usize::from(code.max_stack));
        self.ensure_stack(locals.max(N) + stack + 1).ok()?;
        Some(InterpretedPlan { call, first, _code: code, locals: locals as u32, epoch: self.entry_epoch })
    }

    /// [`Vm::invoke_refs_long`] of interpreted code through a plan: from an
    /// idle VM, the frame pushed and the fast loop entered at the method's
    /// first instruction, without the general entry's look-ups, and
    /// without [`Vm::run`] when the fast loop runs the method to its
    /// `lreturn` (a server's `dispatch` that calls twins only). Anything
    /// else goes on in `run`, as from the general entry. `None` (nothing
    /// ran) as for [`Vm::enter_planned_long_with`]; `prepare` likewise.
    #[inline]
    pub fn enter_interpreted_long_with<const N: usize>(
        &mut self,
        plan: &InterpretedPlan<N>,
        args: &SlotRefs<N>,
        prepare: impl FnOnce(&mut Heap) -> bool,
    ) -> Option<Result<i64, VmError>> {
        if !self.idle_in_epoch(plan.epoch, prepare) {
            return None;
        }
        self.budget_left = self.config.budget;
        // The plan made the slots (the vector never shrinks).
        debug_assert!(self.stack.len() >= N);
        // SAFETY: as just said, the first `N` slots exist.
        unsafe { core::ptr::copy_nonoverlapping(args.0.as_ptr(), self.stack.as_mut_ptr(), N) };
        let locals = plan.locals as usize;
        self.frames.push_first(Frame::entered(plan.call.0, 0, locals, Cont::Entry));
        self.nesting = 1;
        let lp = self.stack.as_mut_ptr();
        let (ip, sp) = self.fast(plan.first, locals, lp);
        // The fast loop pushes no frame, so it stopped in this one: at its
        // return (a long: two slots), or at what it leaves to `run`.
        // SAFETY: it stopped at an instruction of the decoded code.
        let r = if unsafe { (*ip).get() }.op() == q::RETURN2 {
            self.frames.drop_top();
            // SAFETY: the value's slots are on the operand stack.
            Ok(unsafe { *lp.add(sp - 2) })
        } else {
            self.interpret_planned(plan, ip, sp)
        };
        self.nesting = 0;
        Some(r.map(|raw| raw as i64))
    }

    /// The rest of a planned interpreted entry once the fast loop stopped
    /// at `ip` with the stack top `sp`: the frame records them and `run`
    /// goes on, to the method's return or an exception escaping it.
    #[cold]
    #[inline(never)]
    fn interpret_planned<const N: usize>(
        &mut self,
        plan: &InterpretedPlan<N>,
        ip: *const core::cell::Cell<Insn>,
        sp: usize,
    ) -> Result<u64, VmError> {
        // SAFETY: both point into the plan's decoded code.
        let pc = unsafe { ip.offset_from(plan.first) } as u32;
        let f = self.frames.last_mut().expect("the planned entry's frame");
        f.pc = pc;
        // The frame's base is slot 0.
        f.sp = sp as u32;
        self.run(0).map_err(|e| self.exit_to_vm(e))
    }

    /// Compiled code entered from an idle VM whose slot vector holds the
    /// frame: a fresh budget, the arguments in slots from 0, the frame
    /// record, the call. What the code leaves other than a plain return
    /// is handled as [`Vm::run_compiled`] does.
    #[inline(always)]
    fn run_idle_entry<const N: usize>(
        &mut self,
        m: MethodId,
        entry: JitEntry,
        locals: usize,
        args: &[u64; N],
    ) -> Result<u64, VmError> {
        self.budget_left = self.config.budget;
        // Both callers made the slots (`ensure_stack`; the slot vector
        // never shrinks): no bounds check.
        debug_assert!(self.stack.len() >= N);
        // SAFETY: as just said, the first `N` slots exist.
        unsafe { core::ptr::copy_nonoverlapping(args.as_ptr(), self.stack.as_mut_ptr(), N) };
        self.frames.push_first(Frame::entered(m, 0, locals, Cont::Entry));
        self.nesting = 1;
        let status = self.call_idle_entry(entry);
        let r = self.finish_entry(status, 0, 0);
        self.nesting = 0;
        r.map_err(|e| self.exit_to_vm(e))
    }

    /// [`Vm::invoke_refs`] of compiled code from an idle VM
    /// ([`Vm::idle_entry`]), through [`Vm::run_idle_entry`]. The
    /// arguments come as slot words: widened by the caller, they are
    /// word copies here (widening here, aarch64 went through a vector
    /// register and the stack).
    #[inline]
    pub(crate) fn enter_compiled_refs<const N: usize>(
        &mut self,
        call: RefCall<N>,
        entry: JitEntry,
        args: [u64; N],
    ) -> Result<Value, VmError> {
        let ret = self.methods[call.0.ix()].ret;
        self.enter_compiled_refs_raw(call, entry, args).map(|raw| raw_value(raw, ret))
    }

    /// [`Vm::enter_compiled_refs`] with the returned slot as it is.
    #[inline]
    pub(crate) fn enter_compiled_refs_raw<const N: usize>(
        &mut self,
        call: RefCall<N>,
        entry: JitEntry,
        args: [u64; N],
    ) -> Result<u64, VmError> {
        let m = call.0;
        let method = &self.methods[m.ix()];
        // Compiled code implies bytecode; the locals hold the arguments.
        let (locals, stack) =
            method.code.as_ref().map_or((N, 0), |c| (usize::from(c.max_locals), usize::from(c.max_stack)));
        if let Err(e) = self.ensure_stack(locals + stack + 1) {
            return Err(self.exit_to_vm(e));
        }
        self.run_idle_entry(m, entry, locals, &args)
    }

    /// What follows compiled code entered from Rust on a plain frame
    /// (no monitor) pushed at depth `stop` with its base at `base`: a
    /// return is `do_return` of an entry frame (the value is in place);
    /// anything else as [`Vm::finish_compiled`].
    #[inline(always)]
    fn finish_entry(&mut self, status: u32, stop: usize, base: usize) -> Result<u64, Exit> {
        if status == crate::runtime::compiler::STATUS_RETURN && self.frames.len() == stop + 1 {
            self.frames.drop_top();
            Ok(self.stack[base])
        } else {
            self.finish_compiled(status, stop)
        }
    }

    /// Runs `m`, whose arguments are in place at `base`, to completion.
    #[inline(always)]
    fn call_pushed_from_rust(&mut self, m: MethodId, base: usize, ret: RetKind) -> Result<Value, Exit> {
        let stop = self.frames.len();
        if let Some(entry) = self.compiled_entry(m).filter(|_| self.jit.tiering) {
            // Compiled already (a server's dispatch, a VIFlet's batch):
            // straight into its code, not through the interpreter loop,
            // which would enter it (with tiering on, as here) all the same.
            if self.nesting >= self.config.max_native_nesting {
                return Err(Exit::new("java/lang/StackOverflowError", ""));
            }
            let plain = !self.methods[m.ix()].is_synchronized();
            if plain {
                self.push_java_frame_inline(m, base, Cont::Entry, Ref::NULL)?;
            } else {
                self.invoke_at(m, base, Cont::Entry)?;
            }
            self.nesting += 1;
            let status = self.call_entry(entry, base as u32);
            let r = if plain { self.finish_entry(status, stop, base) } else { self.finish_compiled(status, stop) };
            self.nesting -= 1;
            return Ok(raw_value(r?, ret));
        }
        let method = &self.methods[m.ix()];
        let raw = if method.code.is_some() && !method.is_synchronized() {
            // What `invoke_at` does for such a method, without its cases.
            self.push_java_frame_inline(m, base, Cont::Entry, Ref::NULL)?;
            self.run_nested(stop)?
        } else {
            match self.invoke_at(m, base, Cont::Entry)? {
                Invoked::Native => self.stack[base],
                Invoked::Java => self.run_nested(stop)?,
            }
        };
        Ok(raw_value(raw, ret))
    }

    /// Virtual dispatch from Rust: the method `name`/`desc` selected for
    /// the receiver's class.
    pub(crate) fn find_virtual(&self, recv: Ref, name: &[u8], desc: &[u8]) -> Option<MethodId> {
        let rc = self.class_of(recv)?;
        let m = self.lookup_in_classes(rc, name, desc)?;
        (!self.methods[m.ix()].is_abstract()).then_some(m)
    }
}

#[cold]
fn wrong_argument_kind(slot: usize, is_ref: bool) -> Exit {
    let (given, wanted) = if is_ref { ("a reference", "a number") } else { ("a number", "a reference") };
    Exit::internal(format!("argument slot {slot} takes {wanted}, but {given} was given"))
}

/// A raw slot value returned by a method of return kind `ret`.
pub(crate) fn raw_value(raw: u64, ret: RetKind) -> Value {
    match ret {
        RetKind::Void => Value::Void,
        RetKind::Int => Value::Int(raw as u32 as i32),
        RetKind::Float => Value::Float(f32::from_bits(raw as u32)),
        RetKind::Long => Value::Long(raw as i64),
        RetKind::Double => Value::Double(f64::from_bits(raw)),
        RetKind::Ref => Value::Ref(Ref::from_raw(raw as u32)),
    }
}
