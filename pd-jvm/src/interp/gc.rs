//! GC integration: allocation with collect-and-retry, and precise roots.
//!
//! # Root strategy
//!
//! Frames do not tag their slots. At a collection every Java frame is at a
//! known bytecode offset (its current instruction, which for callers is
//! the call site), and the *verifier's type state* at that offset says
//! which locals and operand-stack slots hold references (docs/jvm.md,
//! "Precise roots without per-slot tags"). The VM keeps each method's
//! StackMapTable reduced to reference bits (see `runtime::link`) and
//! computes the state at a pc by replaying the instructions from the
//! nearest recorded frame at or before it. Verified code guarantees that
//! replay is linear: every branch target and every instruction after an
//! unconditional transfer has a recorded frame. Results are cached per
//! (method, pc). The mutator pays nothing.
//!
//! What a frame may have consumed of its current instruction's operands
//! does not matter: the frame's saved `sp` bounds the operand slots
//! scanned, and the interpreter only ever pops operands (never pushes)
//! before anything that can collect, so the slots below `sp` always match
//! the state before the instruction. Native frames have no code; their
//! argument slots are described by the method descriptor.
//!
//! Other roots: statics, `Class` mirrors, interned strings, pins, held
//! monitors, the exception being thrown, pre-allocated errors, and the
//! heap's own root stack (for Rust code holding references across an
//! allocation).

use alloc::rc::Rc;
use alloc::vec::Vec;

use crate::heap::{AllocError, Ref, Tracer};
use crate::runtime::class::*;
use crate::runtime::{LinkError, Vm};
use crate::verify::insn::op;

use super::frame::Cont;
use super::ops::{be_u16, insn_len};
use super::Exit;

impl Vm {
    /// Collects garbage with every root the VM knows.
    pub(crate) fn gc(&mut self) {
        // The heap space flips (the JIT context's heap base).
        self.note_moved();
        let Vm {
            heap,
            stack,
            frames,
            methods,
            classes,
            pins,
            static_refs,
            mirrors,
            strings,
            monitors,
            throwing,
            oom_error,
            soe_error,
            thread_object,
            ..
        } = self;
        let (methods, classes) = (&*methods, &*classes);
        heap.collect(&mut |t: &mut Tracer<'_>| {
            t.visit_all(pins);
            t.visit_all(static_refs);
            t.visit_all(mirrors);
            t.visit_all(strings);
            for (r, _) in monitors.iter_mut() {
                t.visit(r);
            }
            t.visit(throwing);
            t.visit(oom_error);
            t.visit(soe_error);
            t.visit(thread_object);
            for f in frames.iter_mut() {
                t.visit(&mut f.aux);
                let m = &methods[f.method.ix()];
                let bp = f.bp as usize;
                let visit = |t: &mut Tracer<'_>, slot: &mut u64| {
                    let mut w = *slot as u32;
                    t.visit_raw(&mut w);
                    *slot = u64::from(w);
                };
                if f.cont == Cont::Native {
                    for (i, &r) in m.arg_refs.iter().enumerate() {
                        if r != 0 {
                            visit(t, &mut stack[bp + i]);
                        }
                    }
                    continue;
                }
                let Some(code) = &m.code else { continue };
                let map = refmap(code, m, &classes[m.class.ix()].cp, f.pc as u16);
                for (i, &r) in map.locals.iter().enumerate() {
                    if r != 0 {
                        visit(t, &mut stack[bp + i]);
                    }
                }
                let sb = bp + usize::from(code.max_locals);
                let depth = (f.sp as usize).saturating_sub(sb).min(map.stack.len());
                for (i, &r) in map.stack[..depth].iter().enumerate() {
                    if r != 0 {
                        visit(t, &mut stack[sb + i]);
                    }
                }
            }
        });
    }

    /// A zeroed instance of `c`, collecting if needed.
    pub(crate) fn alloc_instance(&mut self, c: ClassId) -> Result<Ref, Exit> {
        let Some(layout) = self.classes[c.ix()].layout else {
            return Err(Exit::internal("alloc_instance: class has no layout"));
        };
        if self.config.gc_stress {
            self.gc();
        }
        match self.heap.alloc_instance(layout) {
            Ok(r) => Ok(r),
            Err(AllocError::NeedsGc) => {
                self.gc();
                match self.heap.alloc_instance(layout) {
                    Ok(r) => Ok(r),
                    Err(AllocError::NeedsGc | AllocError::OutOfMemory) => Err(self.out_of_memory()),
                    Err(e) => Err(Exit::internal(alloc::format!("alloc: {e}"))),
                }
            }
            Err(AllocError::OutOfMemory) => Err(self.out_of_memory()),
            Err(e) => Err(Exit::internal(alloc::format!("alloc: {e}"))),
        }
    }

    /// A zeroed array of the array class `ac`, collecting if needed.
    pub(crate) fn alloc_array(&mut self, ac: ClassId, len: i32) -> Result<Ref, Exit> {
        let Some(layout) = self.classes[ac.ix()].layout else {
            return Err(Exit::internal("alloc_array: class has no layout"));
        };
        if self.config.gc_stress {
            self.gc();
        }
        let mut collected = false;
        loop {
            match self.heap.alloc_array(layout, len) {
                Ok(r) => return Ok(r),
                Err(AllocError::NeedsGc) if !collected => {
                    self.gc();
                    collected = true;
                }
                Err(AllocError::NeedsGc | AllocError::OutOfMemory) => return Err(self.out_of_memory()),
                Err(AllocError::NegativeArraySize(n)) => {
                    return Err(Exit::Link(LinkError::new(
                        "java/lang/NegativeArraySizeException",
                        alloc::format!("{n}"),
                    )))
                }
                Err(e) => return Err(Exit::internal(alloc::format!("alloc: {e}"))),
            }
        }
    }
}

/// The reference map of `code` at `pc` (cached).
pub(crate) fn refmap(code: &Code, m: &Method, cp: &[CpEntry], pc: u16) -> Rc<RefMap> {
    if let Some(r) = code.refmaps.borrow().get(&pc) {
        return r.clone();
    }
    let r = Rc::new(compute_refmap(code, m, cp, pc));
    code.refmaps.borrow_mut().insert(pc, r.clone());
    r
}

fn cp_utf8(cp: &[CpEntry], i: u16) -> &[u8] {
    match cp.get(usize::from(i)) {
        Some(CpEntry::Utf8(b)) => b,
        _ => b"",
    }
}

/// The descriptor of a member or call-site reference.
fn cp_descriptor(cp: &[CpEntry], idx: u16) -> &[u8] {
    let nat = match cp.get(usize::from(idx)) {
        Some(CpEntry::Field { nat, .. } | CpEntry::Method { nat, .. } | CpEntry::InvokeDynamic { nat, .. }) => *nat,
        _ => return b"",
    };
    match cp.get(usize::from(nat)) {
        Some(CpEntry::NameAndType { descriptor, .. }) => cp_utf8(cp, *descriptor),
        _ => b"",
    }
}

fn is_ref_desc(d: &[u8]) -> u8 {
    matches!(d.first(), Some(b'L' | b'[')) as u8
}

fn push_desc(stack: &mut Vec<u8>, d: &[u8]) {
    match d.first() {
        Some(b'J' | b'D') => stack.extend_from_slice(&[0, 0]),
        Some(b'V') | None => {}
        _ => stack.push(is_ref_desc(d)),
    }
}

fn pop_n(stack: &mut Vec<u8>, n: usize) {
    let len = stack.len().saturating_sub(n);
    stack.truncate(len);
}

/// Replays the instructions from the nearest recorded frame to `pc`,
/// tracking only which slots hold references.
fn compute_refmap(code: &Code, m: &Method, cp: &[CpEntry], pc: u16) -> RefMap {
    let max_locals = usize::from(code.max_locals);
    let (start, mut locals, mut stack): (usize, Vec<u8>, Vec<u8>) = match code.frames.iter().rev().find(|f| f.pc <= pc)
    {
        Some(f) => (usize::from(f.pc), f.locals.to_vec(), f.stack.to_vec()),
        None => (0, m.arg_refs.to_vec(), Vec::new()),
    };
    locals.resize(max_locals, 0);
    let bytes = &code.bytes;
    let mut p = start;
    let target = usize::from(pc);
    while p < target && p < bytes.len() {
        step(bytes, p, cp, &mut locals, &mut stack);
        p += insn_len(bytes, p);
    }
    RefMap { locals: locals.into_boxed_slice(), stack: stack.into_boxed_slice() }
}

fn set_local(locals: &mut [u8], i: usize, v: u8) {
    if let Some(s) = locals.get_mut(i) {
        *s = v;
    }
}

/// One instruction's effect on the reference bits.
fn step(bytes: &[u8], p: usize, cp: &[CpEntry], locals: &mut [u8], s: &mut Vec<u8>) {
    let opcode = bytes[p];
    let top = |s: &Vec<u8>, i: usize| s[s.len() - 1 - i];
    match opcode {
        op::NOP | op::IINC | op::GOTO | op::GOTO_W | op::CHECKCAST => {}
        op::INEG | op::FNEG | op::LNEG | op::DNEG | op::I2F | op::F2I | op::I2B | op::I2C | op::I2S => {}
        op::L2D | op::D2L => {}
        op::ACONST_NULL => s.push(1),
        op::ICONST_M1..=op::ICONST_5 | op::FCONST_0..=op::FCONST_2 | op::BIPUSH | op::SIPUSH => s.push(0),
        op::LCONST_0 | op::LCONST_1 | op::DCONST_0 | op::DCONST_1 | op::LDC2_W => s.extend_from_slice(&[0, 0]),
        op::LDC | op::LDC_W => {
            let idx = if opcode == op::LDC { u16::from(bytes[p + 1]) } else { be_u16(bytes, p + 1) };
            let r = match cp.get(usize::from(idx)) {
                Some(CpEntry::Int(_) | CpEntry::Float(_)) => 0,
                _ => 1,
            };
            s.push(r);
        }
        op::ILOAD | op::FLOAD => s.push(0),
        op::ALOAD => s.push(1),
        op::LLOAD | op::DLOAD => s.extend_from_slice(&[0, 0]),
        op::ILOAD_0..=op::ILOAD_3 | op::FLOAD_0..=op::FLOAD_3 => s.push(0),
        op::ALOAD_0..=op::ALOAD_3 => s.push(1),
        op::LLOAD_0..=op::LLOAD_3 | op::DLOAD_0..=op::DLOAD_3 => s.extend_from_slice(&[0, 0]),
        op::IALOAD | op::FALOAD | op::BALOAD | op::CALOAD | op::SALOAD => {
            pop_n(s, 2);
            s.push(0);
        }
        op::LALOAD | op::DALOAD => {
            pop_n(s, 2);
            s.extend_from_slice(&[0, 0]);
        }
        op::AALOAD => {
            pop_n(s, 2);
            s.push(1);
        }
        op::ISTORE | op::FSTORE | op::ASTORE => {
            let v = s.pop().unwrap_or(0);
            set_local(locals, usize::from(bytes[p + 1]), if opcode == op::ASTORE { v } else { 0 });
        }
        op::LSTORE | op::DSTORE => {
            pop_n(s, 2);
            let i = usize::from(bytes[p + 1]);
            set_local(locals, i, 0);
            set_local(locals, i + 1, 0);
        }
        op::ISTORE_0..=op::ISTORE_3 | op::FSTORE_0..=op::FSTORE_3 => {
            pop_n(s, 1);
            let base = if opcode <= op::ISTORE_3 { op::ISTORE_0 } else { op::FSTORE_0 };
            set_local(locals, usize::from(opcode - base), 0);
        }
        op::ASTORE_0..=op::ASTORE_3 => {
            let v = s.pop().unwrap_or(0);
            set_local(locals, usize::from(opcode - op::ASTORE_0), v);
        }
        op::LSTORE_0..=op::LSTORE_3 | op::DSTORE_0..=op::DSTORE_3 => {
            pop_n(s, 2);
            let base = if opcode <= op::LSTORE_3 { op::LSTORE_0 } else { op::DSTORE_0 };
            let i = usize::from(opcode - base);
            set_local(locals, i, 0);
            set_local(locals, i + 1, 0);
        }
        op::IASTORE | op::FASTORE | op::AASTORE | op::BASTORE | op::CASTORE | op::SASTORE => pop_n(s, 3),
        op::LASTORE | op::DASTORE => pop_n(s, 4),
        op::POP => pop_n(s, 1),
        op::POP2 => pop_n(s, 2),
        op::DUP => {
            let a = top(s, 0);
            s.push(a);
        }
        op::DUP_X1 => {
            let (a, b) = (top(s, 0), top(s, 1));
            pop_n(s, 2);
            s.extend_from_slice(&[a, b, a]);
        }
        op::DUP_X2 => {
            let (a, b, c) = (top(s, 0), top(s, 1), top(s, 2));
            pop_n(s, 3);
            s.extend_from_slice(&[a, c, b, a]);
        }
        op::DUP2 => {
            let (a, b) = (top(s, 0), top(s, 1));
            s.extend_from_slice(&[b, a]);
        }
        op::DUP2_X1 => {
            let (a, b, c) = (top(s, 0), top(s, 1), top(s, 2));
            pop_n(s, 3);
            s.extend_from_slice(&[b, a, c, b, a]);
        }
        op::DUP2_X2 => {
            let (a, b, c, d) = (top(s, 0), top(s, 1), top(s, 2), top(s, 3));
            pop_n(s, 4);
            s.extend_from_slice(&[b, a, d, c, b, a]);
        }
        op::SWAP => {
            let n = s.len();
            s.swap(n - 1, n - 2);
        }
        op::IADD
        | op::ISUB
        | op::IMUL
        | op::IDIV
        | op::IREM
        | op::IAND
        | op::IOR
        | op::IXOR
        | op::ISHL
        | op::ISHR
        | op::IUSHR
        | op::FADD
        | op::FSUB
        | op::FMUL
        | op::FDIV
        | op::FREM
        | op::FCMPL
        | op::FCMPG => {
            pop_n(s, 2);
            s.push(0);
        }
        op::LADD
        | op::LSUB
        | op::LMUL
        | op::LDIV
        | op::LREM
        | op::LAND
        | op::LOR
        | op::LXOR
        | op::DADD
        | op::DSUB
        | op::DMUL
        | op::DDIV
        | op::DREM => {
            pop_n(s, 4);
            s.extend_from_slice(&[0, 0]);
        }
        op::LSHL | op::LSHR | op::LUSHR => {
            pop_n(s, 3);
            s.extend_from_slice(&[0, 0]);
        }
        op::I2L | op::I2D | op::F2L | op::F2D => {
            pop_n(s, 1);
            s.extend_from_slice(&[0, 0]);
        }
        op::L2I | op::L2F | op::D2I | op::D2F => {
            pop_n(s, 2);
            s.push(0);
        }
        op::LCMP | op::DCMPL | op::DCMPG => {
            pop_n(s, 4);
            s.push(0);
        }
        op::IFEQ..=op::IFLE | op::IFNULL | op::IFNONNULL | op::TABLESWITCH | op::LOOKUPSWITCH => pop_n(s, 1),
        op::IF_ICMPEQ..=op::IF_ACMPNE => pop_n(s, 2),
        op::IRETURN..=op::RETURN | op::ATHROW => s.clear(),
        op::GETSTATIC => push_desc(s, cp_descriptor(cp, be_u16(bytes, p + 1))),
        op::PUTSTATIC => pop_n(s, crate::runtime::class::field_slots(cp_descriptor(cp, be_u16(bytes, p + 1)))),
        op::GETFIELD => {
            pop_n(s, 1);
            push_desc(s, cp_descriptor(cp, be_u16(bytes, p + 1)));
        }
        op::PUTFIELD => pop_n(s, 1 + crate::runtime::class::field_slots(cp_descriptor(cp, be_u16(bytes, p + 1)))),
        op::INVOKEVIRTUAL | op::INVOKESPECIAL | op::INVOKESTATIC | op::INVOKEINTERFACE | op::INVOKEDYNAMIC => {
            let d = cp_descriptor(cp, be_u16(bytes, p + 1));
            let receiver = !matches!(opcode, op::INVOKESTATIC | op::INVOKEDYNAMIC) as usize;
            if let Some(info) = desc_info(d) {
                pop_n(s, usize::from(info.arg_slots) + receiver);
                match info.ret {
                    RetKind::Void => {}
                    RetKind::Long | RetKind::Double => s.extend_from_slice(&[0, 0]),
                    RetKind::Ref => s.push(1),
                    _ => s.push(0),
                }
            }
        }
        op::NEW => s.push(1),
        op::NEWARRAY | op::ANEWARRAY => {
            pop_n(s, 1);
            s.push(1);
        }
        op::ARRAYLENGTH | op::INSTANCEOF => {
            pop_n(s, 1);
            s.push(0);
        }
        op::MONITORENTER | op::MONITOREXIT => pop_n(s, 1),
        op::MULTIANEWARRAY => {
            pop_n(s, usize::from(bytes[p + 3]));
            s.push(1);
        }
        op::WIDE => {
            let sub = bytes[p + 1];
            let i = usize::from(be_u16(bytes, p + 2));
            match sub {
                op::ILOAD | op::FLOAD => s.push(0),
                op::ALOAD => s.push(1),
                op::LLOAD | op::DLOAD => s.extend_from_slice(&[0, 0]),
                op::ISTORE | op::FSTORE => {
                    pop_n(s, 1);
                    set_local(locals, i, 0);
                }
                op::ASTORE => {
                    let v = s.pop().unwrap_or(0);
                    set_local(locals, i, v);
                }
                op::LSTORE | op::DSTORE => {
                    pop_n(s, 2);
                    set_local(locals, i, 0);
                    set_local(locals, i + 1, 0);
                }
                _ => {}
            }
        }
        _ => {}
    }
}
