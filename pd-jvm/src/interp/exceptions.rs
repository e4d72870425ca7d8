//! Throwing and catching: handler search over exception tables, the
//! exceptions the VM raises itself (built by running their Java
//! constructors as ordinary frames), `ExceptionInInitializerError`
//! wrapping, aborts, stack traces (`Throwable.fillInStackTrace` and
//! friends) and reporting uncaught exceptions to the embedder.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::classfile::mutf8::decode_lossy;
use crate::heap::Ref;
use crate::runtime::class::*;
use crate::runtime::loader::dotted;
use crate::runtime::{Args, LinkError, NativeError, Pin, Value, Vm, VmError};

use super::frame::Cont;
use super::Exit;

/// A stack-trace line number for native methods (as `StackTraceElement`).
const NATIVE_LINE: i32 = -2;

impl Vm {
    /// Continues after a failure inside the interpreter loop: finds a
    /// handler (`Ok`), or returns the exit for the loop's caller.
    pub(crate) fn raise(&mut self, e: Exit, stop: usize) -> Result<(), Exit> {
        match e {
            Exit::Exception => self.unwind(stop),
            Exit::Link(l) => match self.throw_new(&l) {
                Ok(()) => Ok(()),
                Err(Exit::Link(l2)) => {
                    self.abort_to(stop);
                    Err(Exit::Vm(VmError::Internal(format!(
                        "cannot throw {}: {}: {}",
                        dotted(l.class.as_bytes()),
                        dotted(l2.class.as_bytes()),
                        l2.message
                    ))))
                }
                Err(e2) => self.raise(e2, stop),
            },
            Exit::Vm(v) => {
                self.abort_to(stop);
                Err(Exit::Vm(v))
            }
        }
    }

    /// Unwinds with the exception in `throwing` to the nearest handler at
    /// or above `stop`.
    fn unwind(&mut self, stop: usize) -> Result<(), Exit> {
        loop {
            if self.frames.len() <= stop {
                return Err(Exit::Exception);
            }
            let fi = self.frames.len() - 1;
            let f = self.frames[fi];
            if f.cont != Cont::Native {
                if let Some(h) = self.find_handler(f.method, f.pc) {
                    let code = self.methods[f.method.ix()].code.clone();
                    let max_locals = code.map_or(0, |c| usize::from(c.max_locals));
                    let sb = f.bp as usize + max_locals;
                    self.stack[sb] = u64::from(self.throwing.to_raw());
                    let fr = &mut self.frames[fi];
                    fr.pc = u32::from(h);
                    fr.sp = sb as u32 + 1;
                    self.throwing = Ref::NULL;
                    return Ok(());
                }
            }
            self.frames.pop();
            if self.methods[f.method.ix()].is_synchronized() {
                self.monitor_exit(f.aux);
            }
            if let Cont::Clinit(c) = f.cont {
                self.init_failed(c, self.frames.len() as u32);
                let is_error = self
                    .wk
                    .error
                    .is_some_and(|e| self.class_of(self.throwing).is_some_and(|tc| self.is_instance_of(tc, e)));
                if !is_error && self.throw_eiie().is_ok() {
                    return Ok(());
                }
            }
        }
    }

    /// The handler pc for an exception of `throwing`'s class at `pc`.
    fn find_handler(&mut self, m: MethodId, pc: u32) -> Option<u16> {
        let code = self.methods[m.ix()].code.clone()?;
        if code.handlers.is_empty() {
            return None;
        }
        let cls = self.methods[m.ix()].class;
        let tc = self.class_of(self.throwing)?;
        for h in code.handlers.iter() {
            if pc < u32::from(h.start) || pc >= u32::from(h.end) {
                continue;
            }
            if h.catch_type == 0 {
                return Some(h.pc);
            }
            // A catch type that cannot be resolved never matches.
            if let Ok(c) = self.resolve_class(cls, h.catch_type) {
                if self.is_instance_of(tc, c) {
                    return Some(h.pc);
                }
            }
        }
        None
    }

    /// Pops frames down to `stop` without running handlers (budget, exit):
    /// monitors are released and interrupted initializations fail.
    pub(crate) fn abort_to(&mut self, stop: usize) {
        while self.frames.len() > stop {
            let Some(f) = self.frames.pop() else { break };
            if f.cont != Cont::Native && self.methods[f.method.ix()].is_synchronized() {
                self.monitor_exit(f.aux);
            }
            if let Cont::Clinit(c) = f.cont {
                self.init_failed(c, self.frames.len() as u32);
            }
        }
        self.throwing = Ref::NULL;
        self.abort_initializations();
        if stop == 0 {
            self.monitors.clear();
        }
    }

    /// Loads and initializes an exception class the VM throws; a minimal
    /// class library may lack specific ones, so fall back to the base classes.
    fn exception_class(&mut self, name: &str) -> Result<ClassId, Exit> {
        let fallback: &[u8] = if name.ends_with("Error") { b"java/lang/Error" } else { b"java/lang/RuntimeException" };
        let c = match self.load_class(name.as_bytes()) {
            Ok(c) => c,
            Err(e) => match self.load_class(fallback) {
                Ok(c) => c,
                Err(_) => return Err(Exit::Link(e)),
            },
        };
        if self.classes[c.ix()].state != InitState::Initialized {
            self.initialize_nested(c)?;
        }
        Ok(c)
    }

    /// Throws a new exception from the interpreter: allocates it and pushes
    /// its constructor as a frame that throws it on return.
    pub(crate) fn throw_new(&mut self, spec: &LinkError) -> Result<(), Exit> {
        if spec.class == "java/lang/StackOverflowError"
            && self.frames.len() >= self.config.max_depth as usize + super::frame::DEPTH_RESERVE
        {
            return self.throw_preallocated(self.soe_error);
        }
        if spec.class == "java/lang/OutOfMemoryError" && !self.oom_error.is_null() {
            return self.throw_preallocated(self.oom_error);
        }
        let c = self.exception_class(spec.class)?;
        let msg = if spec.message.is_empty() { Ref::NULL } else { self.new_string(&spec.message)? };
        self.heap.roots().push(msg);
        let obj = self.alloc_instance(c);
        let msg = self.heap.roots().pop().unwrap_or(Ref::NULL);
        let obj = obj?;
        let with_msg = self.declared_method(c, b"<init>", b"(Ljava/lang/String;)V");
        let (ctor, args): (MethodId, &[Ref]) = match (with_msg, self.declared_method(c, b"<init>", b"()V")) {
            (Some(m), _) => (m, &[obj, msg]),
            (None, Some(m)) => (m, &[obj]),
            (None, None) => {
                return Err(Exit::Link(LinkError::new("java/lang/NoSuchMethodError", format!("{}.<init>", spec.class))))
            }
        };
        self.push_ctor(ctor, args, obj)
    }

    fn throw_preallocated(&mut self, r: Ref) -> Result<(), Exit> {
        if r.is_null() {
            return Err(Exit::internal("no preallocated error to throw"));
        }
        self.throwing = r;
        Err(Exit::Exception)
    }

    /// Pushes constructor `ctor` with `args` (receiver first) as a frame
    /// that throws `obj` when it returns.
    fn push_ctor(&mut self, ctor: MethodId, args: &[Ref], obj: Ref) -> Result<(), Exit> {
        let base = self.frames.last().map_or(0, |f| f.sp as usize);
        self.ensure_stack(base + args.len() + 1)?;
        for (i, a) in args.iter().enumerate() {
            self.stack[base + i] = u64::from(a.to_raw());
        }
        match self.push_java_frame(ctor, base, Cont::ThrowAux, obj) {
            Ok(()) => Ok(()),
            Err(_) => self.throw_preallocated(self.soe_error),
        }
    }

    /// Wraps `throwing` (thrown by a `<clinit>`) in an
    /// `ExceptionInInitializerError` and throws that instead.
    fn throw_eiie(&mut self) -> Result<(), Exit> {
        let c = self.exception_class("java/lang/ExceptionInInitializerError")?;
        let ctor = self.declared_method(c, b"<init>", b"(Ljava/lang/Throwable;)V").ok_or(Exit::Exception)?;
        let obj = self.alloc_instance(c)?;
        let cause = self.throwing;
        self.throwing = Ref::NULL;
        self.push_ctor(ctor, &[obj, cause], obj)
    }

    /// Builds a throwable from Rust (constructor run in a nested loop).
    pub(crate) fn create_throwable(&mut self, spec: &LinkError) -> Result<Ref, Exit> {
        if spec.class == "java/lang/OutOfMemoryError" && !self.oom_error.is_null() {
            return Ok(self.oom_error);
        }
        let c = self.exception_class(spec.class)?;
        let msg = if spec.message.is_empty() { Ref::NULL } else { self.new_string(&spec.message)? };
        let pm = self.pin(msg);
        let obj = self.alloc_instance(c);
        let msg = self.pinned(&pm);
        self.unpin(pm);
        let obj = obj?;
        let po = self.pin(obj);
        let r = if let Some(m) = self.declared_method(c, b"<init>", b"(Ljava/lang/String;)V") {
            self.call_from_rust(m, &[Value::Ref(obj), Value::Ref(msg)])
        } else if let Some(m) = self.declared_method(c, b"<init>", b"()V") {
            self.call_from_rust(m, &[Value::Ref(obj)])
        } else {
            Ok(Value::Void)
        };
        let obj = self.pinned(&po);
        self.unpin(po);
        r.map(|_| obj)
    }

    /// An [`Exit`] leaving the VM as the embedder's [`VmError`].
    pub(crate) fn exit_to_vm(&mut self, e: Exit) -> VmError {
        match e {
            Exit::Exception => {
                let t = core::mem::replace(&mut self.throwing, Ref::NULL);
                let is_soe =
                    self.class_of(t).is_some_and(|c| &*self.classes[c.ix()].name == b"java/lang/StackOverflowError");
                let p = self.pin(t);
                if is_soe {
                    VmError::StackDepthExceeded(Some(p))
                } else {
                    VmError::Exception(p)
                }
            }
            Exit::Link(l) => self.link_error_to_vm(l),
            Exit::Vm(v) => v,
        }
    }

    pub(crate) fn link_error_to_vm(&mut self, l: LinkError) -> VmError {
        if self.nesting == 0 {
            self.budget_left = self.config.budget;
        }
        match self.create_throwable(&l) {
            Ok(t) => {
                let is_soe = l.class == "java/lang/StackOverflowError";
                let p = self.pin(t);
                if is_soe {
                    VmError::StackDepthExceeded(Some(p))
                } else {
                    VmError::Exception(p)
                }
            }
            Err(Exit::Exception) => self.exit_to_vm(Exit::Exception),
            Err(Exit::Vm(v)) => v,
            Err(Exit::Link(l2)) => VmError::Internal(format!(
                "{}: {} (and {} while creating it: {})",
                dotted(l.class.as_bytes()),
                l.message,
                dotted(l2.class.as_bytes()),
                l2.message
            )),
        }
    }

    /// `OutOfMemoryError`: the pre-allocated one.
    pub(crate) fn out_of_memory(&mut self) -> Exit {
        if self.oom_error.is_null() {
            return Exit::internal("out of memory (no OutOfMemoryError available)");
        }
        self.throwing = self.oom_error;
        Exit::Exception
    }

    // ---- stack traces ----

    /// `Throwable.fillInStackTrace`: records (method, pc) of the frames
    /// below the throwable's construction in a hidden `int[]`.
    pub(crate) fn fill_in_stack_trace(&mut self, a: Args) -> Result<(), NativeError> {
        let this = a.reference(self, 0);
        let Some(off) = self.wk.backtrace_field else { return Ok(()) };
        let tc = self.class_of(this);
        let mut entries: Vec<(u32, i32)> = Vec::new();
        let mut skipping = true;
        for f in self.frames.iter().rev() {
            let m = &self.methods[f.method.ix()];
            if skipping {
                let is_fill = &*m.name == b"fillInStackTrace";
                let is_own_ctor = &*m.name == b"<init>"
                    && f.cont != Cont::Native
                    && tc.is_some_and(|tc| self.is_instance_of(tc, m.class))
                    && self.stack.get(f.bp as usize).is_some_and(|&s| s as u32 == this.to_raw());
                if is_fill || is_own_ctor {
                    continue;
                }
                skipping = false;
            }
            if self.classes[m.class.ix()].synthetic.is_some() {
                continue;
            }
            let pc = if f.cont == Cont::Native { -1 } else { f.pc as i32 };
            entries.push((f.method.0, pc));
        }
        let ia = self.array_class_of(self.primitive_class(b'I')).map_err(Exit::Link)?;
        let arr = self.alloc_array(ia, (entries.len() * 2) as i32)?;
        for (i, &(m, pc)) in entries.iter().enumerate() {
            let _ = self.heap.set_element(arr, (2 * i) as i32, m as i32);
            let _ = self.heap.set_element(arr, (2 * i + 1) as i32, pc);
        }
        let this = a.reference(self, 0);
        let _ = self.heap.set_field(this, off, arr);
        Ok(())
    }

    /// The recorded (method, pc) pairs of a throwable (pc -1: native).
    pub(crate) fn backtrace(&self, t: Ref) -> Vec<(MethodId, i32)> {
        let Some(off) = self.wk.backtrace_field else { return Vec::new() };
        let Ok(arr) = self.heap.get_field::<Ref>(t, off) else { return Vec::new() };
        let n = self.heap.array_length(arr).unwrap_or(0);
        (0..n / 2)
            .filter_map(|i| {
                let m = self.heap.get_element::<i32>(arr, 2 * i).ok()?;
                let pc = self.heap.get_element::<i32>(arr, 2 * i + 1).ok()?;
                ((m as usize) < self.methods.len()).then_some((MethodId(m as u32), pc))
            })
            .collect()
    }

    /// (class, method, file, line) of a backtrace entry.
    pub(crate) fn frame_info(&self, m: MethodId, pc: i32) -> (String, String, Option<String>, i32) {
        let method = &self.methods[m.ix()];
        let class = &self.classes[method.class.ix()];
        let line = if pc < 0 {
            NATIVE_LINE
        } else {
            method.code.as_ref().and_then(|c| c.line_of(pc as u32)).map_or(-1, i32::from)
        };
        (dotted(&class.name), decode_lossy(&method.name), class.source_file.as_deref().map(decode_lossy), line)
    }

    /// A `java.lang.StackTraceElement` via its public 4-argument constructor.
    pub(crate) fn new_stack_trace_element(&mut self, m: MethodId, pc: i32) -> Result<Ref, Exit> {
        let (class, method, file, line) = self.frame_info(m, pc);
        let c = self.load_class(b"java/lang/StackTraceElement").map_err(Exit::Link)?;
        self.initialize_nested(c)?;
        let ctor = self
            .declared_method(c, b"<init>", b"(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;I)V")
            .ok_or_else(|| {
                Exit::new(
                    "java/lang/NoSuchMethodError",
                    "java.lang.StackTraceElement.<init>(String, String, String, int)",
                )
            })?;
        let mut pins: Vec<Pin> = Vec::new();
        for s in [Some(class), Some(method), file] {
            let r = match s {
                Some(s) => match self.new_string(&s) {
                    Ok(r) => r,
                    Err(e) => {
                        for p in pins {
                            self.unpin(p);
                        }
                        return Err(e);
                    }
                },
                None => Ref::NULL,
            };
            pins.push(self.pin(r));
        }
        let obj = self.alloc_instance(c);
        let vals: Vec<Ref> = pins.iter().map(|p| self.pinned(p)).collect();
        for p in pins {
            self.unpin(p);
        }
        let obj = obj?;
        let po = self.pin(obj);
        let r = self.call_from_rust(
            ctor,
            &[Value::Ref(obj), Value::Ref(vals[0]), Value::Ref(vals[1]), Value::Ref(vals[2]), Value::Int(line)],
        );
        let obj = self.pinned(&po);
        self.unpin(po);
        r.map(|_| obj)
    }

    // ---- reporting ----

    /// The stack trace of a throwable formatted in Rust, as
    /// `Throwable.printStackTrace` would print it (without causes).
    pub fn describe_throwable(&mut self, t: &Pin) -> String {
        let r = self.pinned(t);
        let mut s = self.throwable_summary(r);
        // The summary may run Java code and collect: re-read the pin.
        let r = self.pinned(t);
        for (m, pc) in self.backtrace(r) {
            let (class, method, file, line) = self.frame_info(m, pc);
            let loc = match (file, line) {
                (_, NATIVE_LINE) => String::from("Native Method"),
                (Some(f), l) if l >= 0 => format!("{f}:{l}"),
                (Some(f), _) => f,
                (None, _) => String::from("Unknown Source"),
            };
            s.push_str(&format!("\n\tat {class}.{method}({loc})"));
        }
        s
    }

    /// `java.lang.Foo: message`, via `toString()` if it runs, else from the
    /// class name and the `detailMessage` field.
    fn throwable_summary(&mut self, r: Ref) -> String {
        if let Some(m) = self.find_virtual(r, b"toString", b"()Ljava/lang/String;") {
            let p = self.pin(r);
            let saved = self.budget_left;
            let out = self.call_from_rust(m, &[Value::Ref(r)]);
            self.budget_left = saved;
            let r2 = self.pinned(&p);
            self.unpin(p);
            self.throwing = Ref::NULL;
            if let Ok(Value::Ref(s)) = out {
                if let Some(s) = self.string_value(s) {
                    return s;
                }
            }
            return self.plain_summary(r2);
        }
        self.plain_summary(r)
    }

    fn plain_summary(&self, r: Ref) -> String {
        let Some(c) = self.class_of(r) else { return String::from("null") };
        let name = self.binary_name(c);
        let mut k = Some(c);
        while let Some(x) = k {
            for &f in &self.classes[x.ix()].fields {
                let fd = &self.fields[f.ix()];
                if &*fd.name == b"detailMessage" && fd.kind == ValueKind::Ref && !fd.is_static() {
                    if let Ok(m) = self.heap.get_field::<Ref>(r, fd.offset) {
                        if let Some(m) = self.string_value(m) {
                            return format!("{name}: {m}");
                        }
                    }
                    return name;
                }
            }
            k = self.classes[x.ix()].super_class;
        }
        name
    }

    /// Reports an uncaught exception as the JDK launcher does:
    /// `Exception in thread "main" ` then `printStackTrace()` if the class
    /// library has it, else the same format from Rust, on stderr.
    pub fn report_uncaught(&mut self, t: &Pin) {
        self.output.write(2, b"Exception in thread \"main\" ");
        let r = self.pinned(t);
        if let Some(m) = self.find_virtual(r, b"printStackTrace", b"()V") {
            self.budget_left = self.config.budget;
            if self.call_from_rust(m, &[Value::Ref(r)]).is_ok() {
                return;
            }
            self.throwing = Ref::NULL;
        }
        let s = self.describe_throwable(t);
        self.output.write(2, s.as_bytes());
        self.output.write(2, b"\n");
    }
}
