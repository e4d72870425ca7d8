//! `invokedynamic`, implemented inside the VM (docs/jvm.md): no
//! `java.lang.invoke` bytecode runs. A call site is linked once, on first
//! execution, to a static method of a class the VM synthesizes for it
//! (see `runtime::classgen`); afterwards the instruction is a plain
//! static call.
//!
//! * `StringConcatFactory.makeConcatWithConstants` / `makeConcat`: the
//!   synthesized method converts float, double and object arguments with
//!   the class library's `String.valueOf` (so `Float.toString`,
//!   `Double.toString` and `toString()` are Java's), then calls the
//!   class's `join` native, which applies the recipe (constants, `\1`
//!   arguments, `\2` constants) and formats ints, longs, chars and
//!   booleans itself.
//! * `LambdaMetafactory.metafactory` / `altMetafactory`: a final class
//!   implementing the functional interface (and marker interfaces), with
//!   the captured values in fields and the interface method (and bridges)
//!   calling the implementation method with the conversions
//!   LambdaMetafactory applies (casts, boxing, unboxing, widening). The
//!   class is a dynamic nestmate of the caller, so private
//!   implementation methods are accessible. Serialization is not supported.
//! * `ObjectMethods.bootstrap` (records): `toString` in the JDK's format
//!   (`Point[x=1, y=2]`), `hashCode` as `31 * h + hash(c)` over the
//!   components starting from 0, `equals` comparing components (floats
//!   and doubles with `compare`, references with `Objects.equals`
//!   semantics), exactly as JDK 17's `ObjectMethods` computes them.
//!
//! Any other bootstrap method fails with `BootstrapMethodError` naming it.

use alloc::format;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

use crate::classfile::flags::*;
use crate::classfile::mutf8;
use crate::runtime::class::*;
use crate::runtime::classgen::{slots, split_descriptor, ClassWriter, CodeBuf, VType};
use crate::runtime::loader::dotted;
use crate::runtime::{Args, NativeError, NativeResult, Value, Vm};
use crate::verify::insn::op;

use super::frame::Cont;
use super::Exit;

const OBJECT: &[u8] = b"java/lang/Object";
const STRING_D: &[u8] = b"Ljava/lang/String;";
const OBJECT_D: &[u8] = b"Ljava/lang/Object;";

fn bme(msg: impl Into<alloc::string::String>) -> Exit {
    Exit::new("java/lang/BootstrapMethodError", msg)
}

fn is_primitive(d: &[u8]) -> bool {
    !matches!(d.first(), Some(b'L' | b'['))
}

/// `Lpkg/C;` → `pkg/C`; array descriptors stay as they are.
fn class_of_desc(d: &[u8]) -> &[u8] {
    if d.first() == Some(&b'L') {
        &d[1..d.len() - 1]
    } else {
        d
    }
}

fn wrapper(p: u8) -> (&'static [u8], &'static [u8]) {
    match p {
        b'Z' => (b"java/lang/Boolean", b"booleanValue"),
        b'B' => (b"java/lang/Byte", b"byteValue"),
        b'S' => (b"java/lang/Short", b"shortValue"),
        b'C' => (b"java/lang/Character", b"charValue"),
        b'I' => (b"java/lang/Integer", b"intValue"),
        b'J' => (b"java/lang/Long", b"longValue"),
        b'F' => (b"java/lang/Float", b"floatValue"),
        _ => (b"java/lang/Double", b"doubleValue"),
    }
}

/// The primitive a wrapper class descriptor unboxes to.
fn unwrapped(d: &[u8]) -> Option<u8> {
    b"ZBSCIJFD".iter().copied().find(|&p| {
        let (w, _) = wrapper(p);
        d.len() == w.len() + 2 && &d[1..d.len() - 1] == w
    })
}

fn desc_of(params: &[Vec<u8>], ret: &[u8]) -> Vec<u8> {
    let mut d = vec![b'('];
    for p in params {
        d.extend_from_slice(p);
    }
    d.push(b')');
    d.extend_from_slice(ret);
    d
}

/// Primitive widening (JLS 5.1.2) from `f` to `t`.
fn widen(w: &mut ClassWriter, c: &mut CodeBuf, f: u8, t: u8) -> Result<(), Exit> {
    let _ = w;
    let int_like = |x: u8| matches!(x, b'I' | b'B' | b'S' | b'C');
    match (f, t) {
        _ if f == t => {}
        (a, b'I') if int_like(a) => {}
        (b'B', b'S') => {}
        (a, b'J') if int_like(a) => c.op(op::I2L, 1),
        (a, b'F') if int_like(a) => c.op(op::I2F, 0),
        (a, b'D') if int_like(a) => c.op(op::I2D, 1),
        (b'J', b'F') => c.op(op::L2F, -1),
        (b'J', b'D') => c.op(op::L2D, 0),
        (b'F', b'D') => c.op(op::F2D, 1),
        _ => return Err(bme(format!("cannot convert {} to {}", f as char, t as char))),
    }
    Ok(())
}

/// The conversions LambdaMetafactory applies between a value of type
/// `from` and a parameter or return of type `to`.
fn convert(w: &mut ClassWriter, c: &mut CodeBuf, from: &[u8], to: &[u8]) -> Result<(), Exit> {
    if from == to {
        return Ok(());
    }
    match (is_primitive(from), is_primitive(to)) {
        (true, true) => widen(w, c, from[0], to[0]),
        (true, false) => {
            let (wc, _) = wrapper(from[0]);
            let mut d = vec![b'('];
            d.push(from[0]);
            d.extend_from_slice(b")L");
            d.extend_from_slice(wc);
            d.push(b';');
            let m = w.pool.method(wc, b"valueOf", &d, false);
            c.op_u2(op::INVOKESTATIC, m, 1 - slots(from));
            if to != OBJECT_D && class_of_desc(to) != wc {
                let k = w.pool.class(class_of_desc(to));
                c.op_u2(op::CHECKCAST, k, 0);
            }
            Ok(())
        }
        (false, true) => {
            let (cast, method, prim): (&[u8], &[u8], u8) = match unwrapped(from) {
                Some(p) => {
                    let (wc, m) = wrapper(p);
                    (wc, m, p)
                }
                None => match to[0] {
                    b'Z' | b'C' => {
                        let (wc, m) = wrapper(to[0]);
                        let k = w.pool.class(wc);
                        c.op_u2(op::CHECKCAST, k, 0);
                        (wc, m, to[0])
                    }
                    p => {
                        let k = w.pool.class(b"java/lang/Number");
                        c.op_u2(op::CHECKCAST, k, 0);
                        (b"java/lang/Number", wrapper(p).1, p)
                    }
                },
            };
            let d = [b'(', b')', prim];
            let m = w.pool.method(cast, method, &d, false);
            c.op_u2(op::INVOKEVIRTUAL, m, slots(&[prim]) - 1);
            widen(w, c, prim, to[0])
        }
        (false, false) => {
            if to != OBJECT_D {
                let k = w.pool.class(class_of_desc(to));
                c.op_u2(op::CHECKCAST, k, 0);
            }
            Ok(())
        }
    }
}

/// Emits an invoke and its stack effect.
fn invoke(w: &mut ClassWriter, c: &mut CodeBuf, opcode: u8, class: &[u8], name: &[u8], desc: &[u8], iface: bool) {
    let (params, ret) = split_descriptor(desc).unwrap_or_default();
    let args: i32 = params.iter().map(|p| slots(p)).sum::<i32>() + i32::from(opcode != op::INVOKESTATIC);
    let m = w.pool.method(class, name, desc, iface);
    let delta = slots(&ret) - args;
    if opcode == op::INVOKEINTERFACE {
        let [a, b] = m.to_be_bytes();
        c.emit(&[opcode, a, b, args as u8, 0], delta);
    } else {
        c.op_u2(opcode, m, delta);
    }
}

impl Vm {
    /// `invokedynamic`: links the call site on first use, then calls its
    /// synthesized static method with the arguments on the stack.
    pub(crate) fn invoke_dynamic(&mut self, cls: ClassId, idx: u16, sp: usize) -> Result<(), Exit> {
        let m = match &self.classes[cls.ix()].cp[usize::from(idx)] {
            CpEntry::InvokeDynamic { res: Res::Ok(m), .. } => *m,
            CpEntry::InvokeDynamic { res: Res::Err(e), .. } => return Err(Exit::Link(e.clone())),
            CpEntry::InvokeDynamic { .. } => {
                let r = self.link_call_site(cls, idx);
                let res = match &r {
                    Ok(m) => Res::Ok(*m),
                    Err(Exit::Link(e)) => Res::Err(e.clone()),
                    Err(_) => Res::Unresolved,
                };
                if let Some(CpEntry::InvokeDynamic { res: slot, .. }) =
                    self.classes[cls.ix()].cp.get_mut(usize::from(idx))
                {
                    *slot = res;
                }
                r?
            }
            _ => return Err(Exit::internal("invokedynamic of a non-InvokeDynamic constant")),
        };
        let base = sp - usize::from(self.methods[m.ix()].arg_slots);
        self.invoke_at(m, base, Cont::Normal)?;
        Ok(())
    }

    fn link_call_site(&mut self, cls: ClassId, idx: u16) -> Result<MethodId, Exit> {
        let (bsm, nat) = match &self.classes[cls.ix()].cp[usize::from(idx)] {
            CpEntry::InvokeDynamic { bsm, nat, .. } => (*bsm, *nat),
            _ => return Err(Exit::internal("not an InvokeDynamic constant")),
        };
        let (name, desc) = {
            let (n, d) = self.cp_nat(cls, nat);
            (n.to_vec(), d.to_vec())
        };
        let Some(bs) = self.classes[cls.ix()].bootstraps.get(usize::from(bsm)).cloned() else {
            return Err(bme("missing bootstrap method"));
        };
        let mref = match self.classes[cls.ix()].cp.get(usize::from(bs.method_handle)) {
            Some(CpEntry::MethodHandle { index, .. }) => *index,
            _ => return Err(bme("bootstrap method is not a method handle")),
        };
        let (bclass, bname, _) = self.cp_member(cls, mref);
        match (&*bclass, &*bname) {
            (b"java/lang/invoke/StringConcatFactory", b"makeConcatWithConstants") => {
                let recipe = self.cp_string_units(cls, *bs.args.first().ok_or_else(|| bme("no recipe"))?)?;
                let mut consts = bs.args[1..].iter();
                let mut pieces: Vec<ConcatPiece> = Vec::new();
                let mut lit: Vec<u16> = Vec::new();
                for u in recipe {
                    match u {
                        1 => {
                            if !lit.is_empty() {
                                pieces.push(ConcatPiece::Const(core::mem::take(&mut lit).into()));
                            }
                            pieces.push(ConcatPiece::Arg);
                        }
                        2 => {
                            let c = consts.next().ok_or_else(|| bme("recipe needs more constants"))?;
                            lit.extend(self.cp_constant_units(cls, *c)?);
                        }
                        u => lit.push(u),
                    }
                }
                if !lit.is_empty() {
                    pieces.push(ConcatPiece::Const(lit.into()));
                }
                self.synth_concat(cls, &desc, pieces)
            }
            (b"java/lang/invoke/StringConcatFactory", b"makeConcat") => {
                let n = split_descriptor(&desc).map_or(0, |(p, _)| p.len());
                self.synth_concat(cls, &desc, vec![ConcatPiece::Arg; n])
            }
            (b"java/lang/invoke/LambdaMetafactory", b"metafactory" | b"altMetafactory") => {
                self.synth_lambda(cls, &name, &desc, &bs.args, &*bname == b"altMetafactory")
            }
            (b"java/lang/runtime/ObjectMethods", b"bootstrap") => self.synth_object_method(cls, &name, &desc, &bs.args),
            _ => Err(bme(format!(
                "bootstrap method {}.{} is not supported by this VM",
                dotted(&bclass),
                mutf8::decode_lossy(&bname)
            ))),
        }
    }

    fn cp_string_units(&self, cls: ClassId, idx: u16) -> Result<Vec<u16>, Exit> {
        match self.classes[cls.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::String { utf8, .. }) => {
                mutf8::decode_utf16(self.cp_utf8(cls, *utf8)).map_err(|_| bme("bad string constant"))
            }
            _ => Err(bme("expected a string constant")),
        }
    }

    /// A recipe constant as text (javac only passes strings; others as Java prints them).
    fn cp_constant_units(&self, cls: ClassId, idx: u16) -> Result<Vec<u16>, Exit> {
        let s = match self.classes[cls.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::String { .. }) => return self.cp_string_units(cls, idx),
            Some(CpEntry::Int(v)) => format!("{v}"),
            Some(CpEntry::Long(v)) => format!("{v}"),
            Some(CpEntry::Class { name, .. }) => format!("class {}", dotted(self.cp_utf8(cls, *name))),
            _ => return Err(bme("unsupported string concatenation constant")),
        };
        Ok(s.encode_utf16().collect())
    }

    fn cp_method_type(&self, cls: ClassId, idx: u16) -> Result<Vec<u8>, Exit> {
        match self.classes[cls.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::MethodType { descriptor }) => Ok(self.cp_utf8(cls, *descriptor).to_vec()),
            _ => Err(bme("expected a MethodType constant")),
        }
    }

    fn cp_int(&self, cls: ClassId, idx: u16) -> Result<i32, Exit> {
        match self.classes[cls.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::Int(v)) => Ok(*v),
            _ => Err(bme("expected an int constant")),
        }
    }

    fn synth_name(&mut self, host: ClassId, kind: &str) -> Vec<u8> {
        self.synth_counter += 1;
        let mut n = self.classes[host.ix()].name.to_vec();
        n.extend_from_slice(format!("$${kind}${}", self.synth_counter).as_bytes());
        n
    }

    /// Loads a synthesized class as a dynamic nestmate of `host`, links
    /// and initializes it, and returns its method `entry`.
    fn define_synthetic(
        &mut self,
        host: ClassId,
        name: Vec<u8>,
        bytes: Vec<u8>,
        synthetic: Synthetic,
        entry: (&[u8], &[u8]),
    ) -> Result<MethodId, Exit> {
        self.synthesized.insert(name.clone(), bytes);
        let c = self.load_class(&name).map_err(Exit::Link)?;
        let nest = self.nest_host(host);
        let cls = &mut self.classes[c.ix()];
        cls.synthetic = Some(synthetic);
        cls.nest_host = NestHost::Resolved(nest);
        for m in cls.methods.clone() {
            if &*self.methods[m.ix()].name == b"join" && self.methods[m.ix()].is_native() {
                self.methods[m.ix()].native = Some(concat_join);
            }
        }
        self.link_class(c).map_err(Exit::Link)?;
        self.initialize_nested(c)?;
        self.declared_method(c, entry.0, entry.1).ok_or_else(|| Exit::internal("synthesized entry method missing"))
    }

    // ---- string concatenation ----

    fn synth_concat(&mut self, host: ClassId, desc: &[u8], pieces: Vec<ConcatPiece>) -> Result<MethodId, Exit> {
        let (params, _) = split_descriptor(desc).ok_or_else(|| bme("bad concat descriptor"))?;
        let name = self.synth_name(host, "Concat");
        let mut w = ClassWriter::new(&name, OBJECT, &[], ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC);
        let locals: i32 = params.iter().map(|p| slots(p)).sum();
        let mut c = CodeBuf::new(locals as u16);
        let mut slot = 0u16;
        let mut join_params: Vec<Vec<u8>> = Vec::with_capacity(params.len());
        for p in &params {
            c.load(p, slot);
            slot += slots(p) as u16;
            join_params.push(self.emit_to_joinable(&mut w, &mut c, p));
        }
        let join_desc = desc_of(&join_params, STRING_D);
        invoke(&mut w, &mut c, op::INVOKESTATIC, &name, b"join", &join_desc, false);
        c.op(op::ARETURN, -1);
        w.method(ACC_STATIC, b"concat", desc, Some(c));
        w.method(ACC_PRIVATE | ACC_STATIC | ACC_NATIVE, b"join", &join_desc, None);
        let args: Rc<[u8]> = join_params.iter().map(|p| p[0]).collect();
        let synthetic = Synthetic::Concat { pieces: pieces.into(), args };
        self.define_synthetic(host, name, w.finish(), synthetic, (b"concat", desc))
    }

    /// Converts the value of type `p` on the stack to what `join`
    /// formats itself: ints, longs, chars, booleans and strings pass;
    /// floats, doubles and other objects go through `String.valueOf`.
    fn emit_to_joinable(&self, w: &mut ClassWriter, c: &mut CodeBuf, p: &[u8]) -> Vec<u8> {
        let via: Option<&[u8]> = match p[0] {
            b'F' => Some(b"(F)Ljava/lang/String;"),
            b'D' => Some(b"(D)Ljava/lang/String;"),
            b'L' | b'[' if p != STRING_D => Some(b"(Ljava/lang/Object;)Ljava/lang/String;"),
            _ => None,
        };
        match via {
            Some(d) => {
                invoke(w, c, op::INVOKESTATIC, b"java/lang/String", b"valueOf", d, false);
                STRING_D.to_vec()
            }
            None => p.to_vec(),
        }
    }

    // ---- lambdas ----

    fn synth_lambda(
        &mut self,
        host: ClassId,
        sam_name: &[u8],
        indy_desc: &[u8],
        args: &[u16],
        alt: bool,
    ) -> Result<MethodId, Exit> {
        if args.len() < 3 {
            return Err(bme("LambdaMetafactory needs 3 static arguments"));
        }
        let sam_desc = self.cp_method_type(host, args[0])?;
        let (impl_kind, impl_ref) = match self.classes[host.ix()].cp.get(usize::from(args[1])) {
            Some(CpEntry::MethodHandle { kind, index }) => (*kind, *index),
            _ => return Err(bme("implementation is not a method handle")),
        };
        let impl_iface = matches!(
            self.classes[host.ix()].cp.get(usize::from(impl_ref)),
            Some(CpEntry::Method { interface: true, .. })
        );
        let inst_desc = self.cp_method_type(host, args[2])?;
        let mut interfaces: Vec<Vec<u8>> = Vec::new();
        let mut bridges: Vec<Vec<u8>> = Vec::new();
        if alt {
            let flags = self.cp_int(host, *args.get(3).ok_or_else(|| bme("altMetafactory needs flags"))?)?;
            let mut i = 4;
            if flags & 2 != 0 {
                let n = self.cp_int(host, *args.get(i).ok_or_else(|| bme("missing marker count"))?)?;
                i += 1;
                for _ in 0..n {
                    let k = *args.get(i).ok_or_else(|| bme("missing marker"))?;
                    interfaces.push(self.cp_class_name(host, k).to_vec());
                    i += 1;
                }
            }
            if flags & 4 != 0 {
                let n = self.cp_int(host, *args.get(i).ok_or_else(|| bme("missing bridge count"))?)?;
                i += 1;
                for _ in 0..n {
                    let k = *args.get(i).ok_or_else(|| bme("missing bridge"))?;
                    bridges.push(self.cp_method_type(host, k)?);
                    i += 1;
                }
            }
        }
        let (impl_class, impl_name, impl_desc) = self.cp_member(host, impl_ref);
        let (caps, iface_d) = split_descriptor(indy_desc).ok_or_else(|| bme("bad factory descriptor"))?;
        let iface = class_of_desc(&iface_d).to_vec();
        let mut all_ifaces = vec![iface];
        for i in interfaces {
            if !all_ifaces.contains(&i) {
                all_ifaces.push(i);
            }
        }
        let name = self.synth_name(host, "Lambda");
        let mut w = ClassWriter::new(&name, OBJECT, &all_ifaces, ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC);
        let cap_names: Vec<Vec<u8>> = (0..caps.len()).map(|i| format!("arg${}", i + 1).into_bytes()).collect();
        for (n, d) in cap_names.iter().zip(&caps) {
            w.field(ACC_PRIVATE | ACC_FINAL, n, d);
        }
        // Constructor storing the captured values.
        let ctor_desc = desc_of(&caps, b"V");
        let cap_slots: i32 = caps.iter().map(|p| slots(p)).sum();
        let mut c = CodeBuf::new(1 + cap_slots as u16);
        c.op(op::ALOAD_0, 1);
        invoke(&mut w, &mut c, op::INVOKESPECIAL, OBJECT, b"<init>", b"()V", false);
        let mut slot = 1u16;
        for (n, d) in cap_names.iter().zip(&caps) {
            c.op(op::ALOAD_0, 1);
            c.load(d, slot);
            slot += slots(d) as u16;
            let f = w.pool.field(&name, n, d);
            c.op_u2(op::PUTFIELD, f, -1 - slots(d));
        }
        c.op(op::RETURN, 0);
        w.method(ACC_PRIVATE, b"<init>", &ctor_desc, Some(c));
        // Static factory: the call site's target.
        let mut c = CodeBuf::new(cap_slots as u16);
        let k = w.pool.class(&name);
        c.op_u2(op::NEW, k, 1);
        c.op(op::DUP, 1);
        let mut slot = 0u16;
        for d in &caps {
            c.load(d, slot);
            slot += slots(d) as u16;
        }
        invoke(&mut w, &mut c, op::INVOKESPECIAL, &name, b"<init>", &ctor_desc, false);
        c.op(op::ARETURN, -1);
        w.method(ACC_STATIC, b"get$Lambda", indy_desc, Some(c));
        // The interface method and its bridges.
        let target = LambdaTarget {
            kind: impl_kind,
            class: &impl_class,
            name: &impl_name,
            desc: &impl_desc,
            iface: impl_iface,
            this_class: &name,
            caps: &caps,
            cap_names: &cap_names,
            inst: &inst_desc,
        };
        let mut done: Vec<Vec<u8>> = Vec::new();
        for d in core::iter::once(&sam_desc).chain(bridges.iter()) {
            if done.contains(d) {
                continue;
            }
            let body = lambda_body(&mut w, &target, d)?;
            w.method(ACC_PUBLIC, sam_name, d, Some(body));
            done.push(d.clone());
        }
        self.define_synthetic(host, name, w.finish(), Synthetic::Lambda, (b"get$Lambda", indy_desc))
    }

    // ---- records ----

    fn synth_object_method(&mut self, host: ClassId, name: &[u8], desc: &[u8], args: &[u16]) -> Result<MethodId, Exit> {
        if args.len() < 2 {
            return Err(bme("ObjectMethods.bootstrap needs a class and names"));
        }
        let rec = self.cp_class_name(host, args[0]).to_vec();
        let names: Vec<u16> = self.cp_string_units(host, args[1])?;
        let names: Vec<Vec<u16>> = if names.is_empty() {
            Vec::new()
        } else {
            names.split(|&u| u == u16::from(b';')).map(<[u16]>::to_vec).collect()
        };
        let mut comps: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for &g in &args[2..] {
            let fref = match self.classes[host.ix()].cp.get(usize::from(g)) {
                Some(CpEntry::MethodHandle { index, .. }) => *index,
                _ => return Err(bme("record getter is not a method handle")),
            };
            let (_, n, d) = self.cp_member(host, fref);
            comps.push((n.to_vec(), d.to_vec()));
        }
        if names.len() != comps.len() {
            return Err(bme("record component names do not match the getters"));
        }
        let cname = self.synth_name(host, "Record");
        let mut w = ClassWriter::new(&cname, OBJECT, &[], ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC);
        let mut synthetic = Synthetic::ObjectMethods;
        match name {
            b"toString" => {
                let simple = simple_name(&rec);
                let mut pieces: Vec<ConcatPiece> = Vec::new();
                let mut lit: Vec<u16> = simple.encode_utf16().collect();
                lit.push(u16::from(b'['));
                let mut c = CodeBuf::new(1);
                let mut join_params = Vec::new();
                for (i, ((fname, fdesc), label)) in comps.iter().zip(&names).enumerate() {
                    if i > 0 {
                        lit.extend(", ".encode_utf16());
                    }
                    lit.extend_from_slice(label);
                    lit.push(u16::from(b'='));
                    pieces.push(ConcatPiece::Const(core::mem::take(&mut lit).into()));
                    pieces.push(ConcatPiece::Arg);
                    c.op(op::ALOAD_0, 1);
                    let f = w.pool.field(&rec, fname, fdesc);
                    c.op_u2(op::GETFIELD, f, slots(fdesc) - 1);
                    join_params.push(self.emit_to_joinable(&mut w, &mut c, fdesc));
                }
                lit.push(u16::from(b']'));
                pieces.push(ConcatPiece::Const(lit.into()));
                let join_desc = desc_of(&join_params, STRING_D);
                invoke(&mut w, &mut c, op::INVOKESTATIC, &cname, b"join", &join_desc, false);
                c.op(op::ARETURN, -1);
                w.method(ACC_STATIC, b"toString", desc, Some(c));
                w.method(ACC_PRIVATE | ACC_STATIC | ACC_NATIVE, b"join", &join_desc, None);
                let args: Rc<[u8]> = join_params.iter().map(|p| p[0]).collect();
                synthetic = Synthetic::Concat { pieces: pieces.into(), args };
            }
            b"hashCode" => {
                let mut c = CodeBuf::new(1);
                c.op(op::ICONST_0, 1);
                for (fname, fdesc) in &comps {
                    c.emit(&[op::BIPUSH, 31], 1);
                    c.op(op::IMUL, -1);
                    c.op(op::ALOAD_0, 1);
                    let f = w.pool.field(&rec, fname, fdesc);
                    c.op_u2(op::GETFIELD, f, slots(fdesc) - 1);
                    let hasher: Option<(&[u8], &[u8])> = match fdesc[0] {
                        b'Z' => Some((b"java/lang/Boolean", b"(Z)I")),
                        b'J' => Some((b"java/lang/Long", b"(J)I")),
                        b'F' => Some((b"java/lang/Float", b"(F)I")),
                        b'D' => Some((b"java/lang/Double", b"(D)I")),
                        b'L' | b'[' => Some((&cname, b"hash$(Ljava/lang/Object;)I")),
                        _ => None,
                    };
                    if let Some((k, d)) = hasher {
                        let (n, d): (&[u8], &[u8]) =
                            if k == &cname[..] { (b"hash$", &d[5..]) } else { (b"hashCode", d) };
                        invoke(&mut w, &mut c, op::INVOKESTATIC, k, n, d, false);
                    }
                    c.op(op::IADD, -1);
                }
                c.op(op::IRETURN, -1);
                w.method(ACC_STATIC, b"hashCode", desc, Some(c));
                // Objects.hashCode: 0 for null.
                let mut h = CodeBuf::new(1);
                h.op(op::ALOAD_0, 1);
                let b = h.branch(op::IFNONNULL, -1);
                h.op(op::ICONST_0, 1);
                h.op(op::IRETURN, -1);
                h.patch(b);
                h.frame(vec![VType::Object(OBJECT.to_vec())], vec![]);
                h.op(op::ALOAD_0, 1);
                invoke(&mut w, &mut h, op::INVOKEVIRTUAL, OBJECT, b"hashCode", b"()I", false);
                h.op(op::IRETURN, -1);
                w.method(ACC_PRIVATE | ACC_STATIC, b"hash$", b"(Ljava/lang/Object;)I", Some(h));
            }
            b"equals" => {
                let r = VType::Object(rec.clone());
                let o = VType::Object(OBJECT.to_vec());
                let mut c = CodeBuf::new(3);
                c.op(op::ALOAD_0, 1);
                c.op(op::ALOAD_1, 1);
                let b1 = c.branch(op::IF_ACMPNE, -2);
                c.op(op::ICONST_1, 1);
                c.op(op::IRETURN, -1);
                c.patch(b1);
                c.frame(vec![r.clone(), o.clone()], vec![]);
                c.op(op::ALOAD_1, 1);
                let k = w.pool.class(&rec);
                c.op_u2(op::INSTANCEOF, k, 0);
                let b2 = c.branch(op::IFNE, -1);
                c.op(op::ICONST_0, 1);
                c.op(op::IRETURN, -1);
                c.patch(b2);
                c.frame(vec![r.clone(), o.clone()], vec![]);
                c.op(op::ALOAD_1, 1);
                c.op_u2(op::CHECKCAST, k, 0);
                c.op(op::ASTORE_2, -1);
                let mut fails = Vec::new();
                // JDK 17 tests the last component first (nested guardWithTest).
                for (fname, fdesc) in comps.iter().rev() {
                    let f = w.pool.field(&rec, fname, fdesc);
                    c.op(op::ALOAD_0, 1);
                    c.op_u2(op::GETFIELD, f, slots(fdesc) - 1);
                    c.op(op::ALOAD_2, 1);
                    c.op_u2(op::GETFIELD, f, slots(fdesc) - 1);
                    match fdesc[0] {
                        b'J' => {
                            c.op(op::LCMP, -3);
                            fails.push(c.branch(op::IFNE, -1));
                        }
                        b'F' => {
                            invoke(&mut w, &mut c, op::INVOKESTATIC, b"java/lang/Float", b"compare", b"(FF)I", false);
                            fails.push(c.branch(op::IFNE, -1));
                        }
                        b'D' => {
                            invoke(&mut w, &mut c, op::INVOKESTATIC, b"java/lang/Double", b"compare", b"(DD)I", false);
                            fails.push(c.branch(op::IFNE, -1));
                        }
                        b'L' | b'[' => {
                            invoke(
                                &mut w,
                                &mut c,
                                op::INVOKESTATIC,
                                &cname,
                                b"eq$",
                                b"(Ljava/lang/Object;Ljava/lang/Object;)Z",
                                false,
                            );
                            fails.push(c.branch(op::IFEQ, -1));
                        }
                        _ => fails.push(c.branch(op::IF_ICMPNE, -2)),
                    }
                }
                c.op(op::ICONST_1, 1);
                c.op(op::IRETURN, -1);
                if !fails.is_empty() {
                    for f in fails {
                        c.patch(f);
                    }
                    c.frame(vec![r.clone(), o.clone(), r], vec![]);
                    c.op(op::ICONST_0, 1);
                    c.op(op::IRETURN, -1);
                }
                w.method(ACC_STATIC, b"equals", desc, Some(c));
                // Objects.equals.
                let mut e = CodeBuf::new(2);
                e.op(op::ALOAD_0, 1);
                e.op(op::ALOAD_1, 1);
                let b = e.branch(op::IF_ACMPNE, -2);
                e.op(op::ICONST_1, 1);
                e.op(op::IRETURN, -1);
                e.patch(b);
                e.frame(vec![o.clone(), o.clone()], vec![]);
                e.op(op::ALOAD_0, 1);
                let b = e.branch(op::IFNONNULL, -1);
                e.op(op::ICONST_0, 1);
                e.op(op::IRETURN, -1);
                e.patch(b);
                e.frame(vec![o.clone(), o], vec![]);
                e.op(op::ALOAD_0, 1);
                e.op(op::ALOAD_1, 1);
                invoke(&mut w, &mut e, op::INVOKEVIRTUAL, OBJECT, b"equals", b"(Ljava/lang/Object;)Z", false);
                e.op(op::IRETURN, -1);
                w.method(ACC_PRIVATE | ACC_STATIC, b"eq$", b"(Ljava/lang/Object;Ljava/lang/Object;)Z", Some(e));
            }
            other => {
                return Err(bme(format!("ObjectMethods cannot make {}", mutf8::decode_lossy(other))));
            }
        }
        let entry = name.to_vec();
        self.define_synthetic(host, cname, w.finish(), synthetic, (&entry, desc))
    }
}

/// `Class.getSimpleName()` of a (possibly nested or local) class.
fn simple_name(internal: &[u8]) -> alloc::string::String {
    let s = mutf8::decode_lossy(internal);
    let after_pkg = s.rsplit('/').next().unwrap_or(&s);
    match after_pkg.rsplit_once('$') {
        Some((_, inner)) => inner.trim_start_matches(|c: char| c.is_ascii_digit()).into(),
        None => after_pkg.into(),
    }
}

/// What a lambda's interface method calls.
struct LambdaTarget<'a> {
    kind: u8,
    class: &'a [u8],
    name: &'a [u8],
    desc: &'a [u8],
    iface: bool,
    this_class: &'a [u8],
    caps: &'a [Vec<u8>],
    cap_names: &'a [Vec<u8>],
    inst: &'a [u8],
}

/// The body of an interface method (or bridge) with descriptor `sam`.
fn lambda_body(w: &mut ClassWriter, t: &LambdaTarget<'_>, sam: &[u8]) -> Result<CodeBuf, Exit> {
    use crate::classfile::constant_pool::ref_kind::*;
    let (sam_params, sam_ret) = split_descriptor(sam).ok_or_else(|| bme("bad interface method type"))?;
    let (inst_params, inst_ret) = split_descriptor(t.inst).ok_or_else(|| bme("bad instantiated method type"))?;
    let (impl_params, impl_ret) = split_descriptor(t.desc).ok_or_else(|| bme("bad implementation type"))?;
    let class_d = {
        let mut d = vec![b'L'];
        d.extend_from_slice(t.class);
        d.push(b';');
        d
    };
    let (targets, tret): (Vec<Vec<u8>>, Vec<u8>) = match t.kind {
        INVOKE_VIRTUAL | INVOKE_SPECIAL | INVOKE_INTERFACE => {
            (core::iter::once(class_d.clone()).chain(impl_params.iter().cloned()).collect(), impl_ret.clone())
        }
        INVOKE_STATIC => (impl_params.clone(), impl_ret.clone()),
        NEW_INVOKE_SPECIAL => (impl_params.clone(), class_d.clone()),
        _ => return Err(bme("unsupported implementation method handle kind")),
    };
    if t.caps.len() + sam_params.len() != targets.len() {
        return Err(bme("lambda arity does not match its implementation"));
    }
    let locals: i32 = 1 + sam_params.iter().map(|p| slots(p)).sum::<i32>();
    let mut c = CodeBuf::new(locals as u16);
    if t.kind == NEW_INVOKE_SPECIAL {
        let k = w.pool.class(t.class);
        c.op_u2(op::NEW, k, 1);
        c.op(op::DUP, 1);
    }
    for (i, (d, n)) in t.caps.iter().zip(t.cap_names).enumerate() {
        c.op(op::ALOAD_0, 1);
        let f = w.pool.field(t.this_class, n, d);
        c.op_u2(op::GETFIELD, f, slots(d) - 1);
        convert(w, &mut c, d, &targets[i])?;
    }
    let mut slot = 1u16;
    for (j, p) in sam_params.iter().enumerate() {
        c.load(p, slot);
        slot += slots(p) as u16;
        let q = inst_params.get(j).unwrap_or(p);
        if !is_primitive(p) && !is_primitive(q) && p != q {
            convert(w, &mut c, p, q)?;
            convert(w, &mut c, q, &targets[t.caps.len() + j])?;
        } else {
            convert(w, &mut c, p, &targets[t.caps.len() + j])?;
        }
    }
    match t.kind {
        INVOKE_STATIC => invoke(w, &mut c, op::INVOKESTATIC, t.class, t.name, t.desc, t.iface),
        INVOKE_INTERFACE => invoke(w, &mut c, op::INVOKEINTERFACE, t.class, t.name, t.desc, true),
        INVOKE_VIRTUAL | INVOKE_SPECIAL if t.iface => {
            invoke(w, &mut c, op::INVOKEINTERFACE, t.class, t.name, t.desc, true)
        }
        INVOKE_VIRTUAL | INVOKE_SPECIAL => invoke(w, &mut c, op::INVOKEVIRTUAL, t.class, t.name, t.desc, false),
        _ => invoke(w, &mut c, op::INVOKESPECIAL, t.class, b"<init>", t.desc, false),
    }
    if sam_ret == b"V" {
        match slots(&tret) {
            1 => c.op(op::POP, -1),
            2 => c.op(op::POP2, -2),
            _ => {}
        }
    } else {
        if tret == b"V" {
            return Err(bme("void implementation for a non-void interface method"));
        }
        let want = if is_primitive(&sam_ret) || inst_ret == b"V" { &sam_ret } else { &inst_ret };
        convert(w, &mut c, &tret, want)?;
        if want != &sam_ret {
            convert(w, &mut c, want, &sam_ret)?;
        }
    }
    c.ret(&sam_ret);
    Ok(c)
}

/// The `join` native of synthesized concatenation classes: applies the
/// recipe to its arguments (strings, or primitives formatted as Java does).
fn concat_join(vm: &mut Vm, a: Args) -> NativeResult {
    let m = vm
        .frames
        .last()
        .map(|f| f.method)
        .ok_or_else(|| NativeError::Vm(crate::runtime::VmError::Internal("join without a frame".into())))?;
    let class = vm.methods[m.ix()].class;
    let Some(Synthetic::Concat { pieces, args }) = vm.classes[class.ix()].synthetic.clone() else {
        return Err(NativeError::Vm(crate::runtime::VmError::Internal("join outside a concat class".into())));
    };
    let mut out: Vec<u16> = Vec::new();
    let (mut slot, mut arg) = (0usize, 0usize);
    let mut buf = alloc::string::String::new();
    for piece in pieces.iter() {
        match piece {
            ConcatPiece::Const(u) => out.extend_from_slice(u),
            ConcatPiece::Arg => {
                let kind = args.get(arg).copied().unwrap_or(b'L');
                arg += 1;
                buf.clear();
                match kind {
                    b'J' => {
                        buf.push_str(&format!("{}", a.long(vm, slot)));
                        slot += 2;
                    }
                    b'C' => {
                        out.push(a.int(vm, slot) as u16);
                        slot += 1;
                    }
                    b'Z' => {
                        buf.push_str(if a.int(vm, slot) != 0 { "true" } else { "false" });
                        slot += 1;
                    }
                    b'L' | b'[' => {
                        let r = a.reference(vm, slot);
                        slot += 1;
                        match vm.string_utf16(r) {
                            Some(u) => out.extend_from_slice(&u),
                            None => buf.push_str("null"),
                        }
                    }
                    _ => {
                        buf.push_str(&format!("{}", a.int(vm, slot)));
                        slot += 1;
                    }
                }
                out.extend(buf.encode_utf16());
            }
        }
    }
    Ok(Value::Ref(vm.new_string_utf16(&out)?))
}
