//! The type-checking pass over one method (JVMS 4.10.1.6) and every
//! instruction's typing rule (JVMS 4.10.1.9).
//!
//! One linear pass: at an offset with a recorded frame, the incoming state
//! (if the previous instruction falls through) must be assignable to it and
//! the recorded frame becomes the state; after an unconditional transfer a
//! recorded frame is required. Branches and handlers are checked against
//! the frames at their targets, so no fixpoint iteration is needed.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Display;

use crate::classfile::constant_pool::Constant;
use crate::classfile::descriptor::{parse_field_descriptor, parse_method_descriptor, BaseType};
use crate::classfile::flags::{ACC_PROTECTED, ACC_STATIC};
use crate::classfile::mutf8::decode_lossy;
use crate::classfile::{ClassFile, Code, ConstantPool, Method};

use super::env::{ClassEnv, MAX_DEPTH, OBJECT};
use super::error::{FrameNeed, Place, VerifyError, VerifyErrorKind as K};
use super::frame::{frame_at, mismatch, Frame, MapContext, MapFrame};
use super::insn::{op, Insn, Instructions, Operands};
use super::types::{is_assignable, RefType, VType};

const THROWABLE: &[u8] = b"java/lang/Throwable";
const STRING: &[u8] = b"java/lang/String";
const CLASS: &[u8] = b"java/lang/Class";
const METHOD_TYPE: &[u8] = b"java/lang/invoke/MethodType";
const METHOD_HANDLE: &[u8] = b"java/lang/invoke/MethodHandle";
const INIT: &[u8] = b"<init>";

type Result<T> = core::result::Result<T, VerifyError>;

/// Whether control continues to the next instruction.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Next,
    Stop,
}

/// An exception handler with its catch type resolved.
struct Handler<'a> {
    start: usize,
    end: usize,
    target: usize,
    catch: VType<'a>,
}

/// Everything the rules need about the method being checked.
pub(crate) struct Checker<'c, 'a> {
    class: &'c ClassFile<'a>,
    cp: &'c ConstantPool<'a>,
    env: &'c dyn ClassEnv,
    this_name: &'a [u8],
    super_name: Option<&'a [u8]>,
    is_init: bool,
    /// `None` for void.
    return_type: Option<VType<'a>>,
    max_stack: usize,
    max_locals: usize,
    insns: &'c Instructions,
    frames: Vec<MapFrame<'a>>,
    handlers: Vec<Handler<'a>>,
}

fn mismatch_err(place: Place, expected: impl ToString, found: VType<'_>) -> VerifyError {
    VerifyError::new(K::TypeMismatch { place, expected: expected.to_string(), found: found.to_string() })
}

fn bad_use(index: u16, reason: impl Into<String>) -> VerifyError {
    VerifyError::new(K::BadConstantUse { index, reason: reason.into() })
}

impl<'c, 'a> Checker<'c, 'a> {
    pub fn new(
        class: &'c ClassFile<'a>,
        method: &'c Method<'a>,
        code: &'c Code<'a>,
        insns: &'c Instructions,
        env: &'c dyn ClassEnv,
    ) -> Result<(Self, Frame<'a>)> {
        let this_name = class.name();
        let is_init = method.name == INIT;
        let md = parse_method_descriptor(method.descriptor)
            .ok_or_else(|| bad_use(method.descriptor_index, "malformed method descriptor"))?;
        // Entry locals, one entry per value (as stack map deltas count them).
        let mut entry: Vec<VType<'a>> = Vec::with_capacity(md.parameters.len() + 1);
        let mut this_uninit = false;
        if method.access_flags & ACC_STATIC == 0 {
            if is_init && this_name != OBJECT {
                entry.push(VType::UninitThis);
                this_uninit = true;
            } else {
                entry.push(VType::class(this_name));
            }
        }
        entry.extend(md.parameters.iter().map(|&p| VType::from_field(p)));
        let max_locals = usize::from(code.max_locals);
        let mut locals = Vec::with_capacity(entry.len() * 2);
        for &t in &entry {
            locals.push(t);
            if t.size() == 2 {
                locals.push(VType::Top);
            }
        }
        if locals.len() > max_locals {
            return Err(VerifyError::new(K::BadLocalIndex { index: locals.len() - 1, max_locals: code.max_locals }));
        }
        // The other locals are Top (Frame::local); not materialized.
        let initial = Frame { locals, stack: Vec::new(), stack_size: 0, this_uninit };

        let cx = MapContext { cp: &class.constant_pool, insns, max_locals, max_stack: usize::from(code.max_stack) };
        let frames = cx.decode(code.stack_map_table().unwrap_or(&[]), &entry)?;

        let mut handlers = Vec::with_capacity(code.exception_table.len());
        for h in &code.exception_table {
            let catch = if h.catch_type == 0 {
                VType::class(THROWABLE)
            } else {
                let name = class
                    .constant_pool
                    .class_name(h.catch_type)
                    .ok_or_else(|| bad_use(h.catch_type, "catch type is not a class"))?;
                let t = RefType::from_class_entry(name).ok_or_else(|| bad_use(h.catch_type, "bad catch type"))?;
                let ok = is_assignable(VType::Ref(t), VType::class(THROWABLE), env)?;
                if !ok {
                    return Err(VerifyError::at(
                        K::BadCatchType { class: decode_lossy(name) },
                        usize::from(h.handler_pc),
                    ));
                }
                VType::Ref(t)
            };
            handlers.push(Handler {
                start: usize::from(h.start_pc),
                end: usize::from(h.end_pc),
                target: usize::from(h.handler_pc),
                catch,
            });
        }

        let checker = Checker {
            class,
            cp: &class.constant_pool,
            env,
            this_name,
            super_name: class.super_name(),
            is_init,
            return_type: md.return_type.map(VType::from_field),
            max_stack: usize::from(code.max_stack),
            max_locals,
            insns,
            frames,
            handlers,
        };
        Ok((checker, initial))
    }

    /// The linear pass (methodIsTypeSafe / mergedCodeIsTypeSafe).
    pub fn run(&self, mut cur: Frame<'a>) -> Result<()> {
        let mut flow = Flow::Next;
        let mut next_frame = 0;
        let mut last_pc = 0;
        for insn in &self.insns.insns {
            let pc = insn.pc;
            last_pc = pc;
            let at = |e: VerifyError| e.with_pc(pc, insn.opcode);
            if let Some(mf) = self.frames.get(next_frame).filter(|f| f.offset == pc) {
                if flow == Flow::Next {
                    self.check_frame(&cur.locals, &cur.stack, cur.this_uninit, &mf.frame, pc, FrameNeed::FallThrough)
                        .map_err(at)?;
                }
                cur.assign_from(&mf.frame);
                next_frame += 1;
            } else if flow == Flow::Stop {
                return Err(at(VerifyError::new(K::MissingFrame { target: pc, need: FrameNeed::AfterUnconditional })));
            }
            self.check_handlers(&cur, pc).map_err(at)?;
            flow = self.exec(insn, &mut cur).map_err(at)?;
        }
        if flow == Flow::Next {
            let op = self.insns.at(last_pc).map_or(0, |i| i.opcode);
            return Err(VerifyError::at(K::FallsOffEnd, last_pc).with_opcode(op));
        }
        Ok(())
    }

    fn check_frame(
        &self,
        locals: &[VType<'a>],
        stack: &[VType<'a>],
        this_uninit: bool,
        target: &Frame<'a>,
        target_pc: usize,
        need: FrameNeed,
    ) -> Result<()> {
        match mismatch(locals, stack, this_uninit, target, self.env)? {
            None => Ok(()),
            Some(detail) => Err(VerifyError::new(K::FrameMismatch { target: target_pc, need, detail })),
        }
    }

    /// targetIsTypeSafe: the state after popping the branch's operands must
    /// match the frame recorded at the target.
    fn branch(&self, cur: &Frame<'a>, target: i64) -> Result<()> {
        let t = usize::try_from(target).unwrap_or(usize::MAX);
        let Some(f) = frame_at(&self.frames, t) else {
            return Err(VerifyError::new(K::MissingFrame { target: t, need: FrameNeed::BranchTarget }));
        };
        self.check_frame(&cur.locals, &cur.stack, cur.this_uninit, f, t, FrameNeed::BranchTarget)
    }

    /// instructionSatisfiesHandlers: at every instruction a handler covers,
    /// the incoming locals with the caught exception as the only stack
    /// entry must match the handler's frame.
    fn check_handlers(&self, cur: &Frame<'a>, pc: usize) -> Result<()> {
        for h in &self.handlers {
            if pc < h.start || pc >= h.end {
                continue;
            }
            if self.max_stack < 1 {
                return Err(VerifyError::new(K::StackOverflow { max_stack: self.max_stack as u16 }));
            }
            let Some(f) = frame_at(&self.frames, h.target) else {
                return Err(VerifyError::new(K::MissingFrame { target: h.target, need: FrameNeed::Handler }));
            };
            self.check_frame(&cur.locals, &[h.catch], cur.this_uninit, f, h.target, FrameNeed::Handler)?;
        }
        Ok(())
    }

    // ---- operand stack and locals ----

    fn push(&self, cur: &mut Frame<'a>, t: VType<'a>) -> Result<()> {
        if cur.stack_size + t.size() > self.max_stack {
            return Err(VerifyError::new(K::StackOverflow { max_stack: self.max_stack as u16 }));
        }
        cur.stack_size += t.size();
        cur.stack.push(t);
        Ok(())
    }

    /// Pop any value; `expected` only describes an underflow.
    fn pop_any(&self, cur: &mut Frame<'a>, expected: &dyn Display) -> Result<VType<'a>> {
        let t =
            cur.stack.pop().ok_or_else(|| VerifyError::new(K::StackUnderflow { expected: expected.to_string() }))?;
        cur.stack_size -= t.size();
        Ok(t)
    }

    /// Pop a category-1 value (for the untyped stack instructions).
    fn pop1(&self, cur: &mut Frame<'a>) -> Result<VType<'a>> {
        let t = self.pop_any(cur, &"a value")?;
        if t.size() != 1 {
            return Err(mismatch_err(Place::Stack, "a category 1 value (not long or double)", t));
        }
        Ok(t)
    }

    /// Pop a value assignable to `want`.
    fn pop(&self, cur: &mut Frame<'a>, want: VType<'a>) -> Result<VType<'a>> {
        let t = self.pop_any(cur, &want)?;
        if !is_assignable(t, want, self.env)? {
            return Err(mismatch_err(Place::Stack, want, t));
        }
        Ok(t)
    }

    /// Pop any reference, including null and uninitialized objects.
    fn pop_ref(&self, cur: &mut Frame<'a>) -> Result<VType<'a>> {
        let t = self.pop_any(cur, &"a reference")?;
        if !t.is_reference() {
            return Err(mismatch_err(Place::Stack, "a reference", t));
        }
        Ok(t)
    }

    fn local_index(&self, index: u16, size: usize) -> Result<usize> {
        let i = usize::from(index);
        if i + size > self.max_locals {
            return Err(VerifyError::new(K::BadLocalIndex { index: i + size - 1, max_locals: self.max_locals as u16 }));
        }
        Ok(i)
    }

    fn load(&self, cur: &mut Frame<'a>, index: u16, want: VType<'a>) -> Result<()> {
        let i = self.local_index(index, want.size())?;
        let t = cur.local(i);
        if t != want {
            return Err(mismatch_err(Place::Local(index), want, t));
        }
        self.push(cur, t)
    }

    fn store(&self, cur: &mut Frame<'a>, index: u16, t: VType<'a>) -> Result<()> {
        let i = self.local_index(index, t.size())?;
        if cur.locals.len() < i + t.size() {
            cur.locals.resize(i + t.size(), VType::Top);
        }
        cur.locals[i] = t;
        if t.size() == 2 {
            cur.locals[i + 1] = VType::Top;
        }
        // Overwriting the second half of a long/double kills the first.
        if i > 0 && cur.locals[i - 1].size() == 2 {
            cur.locals[i - 1] = VType::Top;
        }
        Ok(())
    }

    // ---- constant pool ----

    fn constant(&self, index: u16) -> Result<&'c Constant<'a>> {
        self.cp.get(index).ok_or_else(|| bad_use(index, "not a valid constant pool index"))
    }

    fn wrong_tag(&self, index: u16, expected: &'static str) -> VerifyError {
        let found = self.cp.get(index).map_or("an unusable slot", Constant::tag_name);
        VerifyError::new(K::BadConstant { index, expected, found })
    }

    /// The type named by the CONSTANT_Class at `index`.
    fn class_type(&self, index: u16) -> Result<RefType<'a>> {
        let name = self.cp.class_name(index).ok_or_else(|| self.wrong_tag(index, "CONSTANT_Class"))?;
        RefType::from_class_entry(name).ok_or_else(|| bad_use(index, "malformed class name"))
    }

    fn member_ref(&self, index: u16, class_index: u16, nat: u16) -> Result<(RefType<'a>, &'a [u8], &'a [u8])> {
        let class = self.class_type(class_index)?;
        let (name, desc) = self.cp.name_and_type(nat).ok_or_else(|| bad_use(index, "bad NameAndType"))?;
        Ok((class, name, desc))
    }

    // ---- the instruction rules ----

    fn exec(&self, insn: &Insn, cur: &mut Frame<'a>) -> Result<Flow> {
        use op::*;
        use VType::{Double as D, Float as F, Int as I, Long as L};
        let opcode = insn.opcode;
        let local = match insn.operands {
            Operands::Local(i) => i,
            _ => 0,
        };
        let cp_index = match insn.operands {
            Operands::Cp(i) => i,
            Operands::InvokeInterface { index, .. } | Operands::MultiANewArray { index, .. } => index,
            _ => 0,
        };
        // Pop `ins` (top last), push `out`.
        let unary = |cur: &mut Frame<'a>, ins: &[VType<'a>], out: Option<VType<'a>>| -> Result<Flow> {
            for &t in ins.iter().rev() {
                self.pop(cur, t)?;
            }
            if let Some(o) = out {
                self.push(cur, o)?;
            }
            Ok(Flow::Next)
        };
        match opcode {
            NOP => Ok(Flow::Next),
            ACONST_NULL => self.push(cur, VType::Null).map(|_| Flow::Next),
            ICONST_M1..=ICONST_5 | BIPUSH | SIPUSH => self.push(cur, I).map(|_| Flow::Next),
            LCONST_0 | LCONST_1 => self.push(cur, L).map(|_| Flow::Next),
            FCONST_0..=FCONST_2 => self.push(cur, F).map(|_| Flow::Next),
            DCONST_0 | DCONST_1 => self.push(cur, D).map(|_| Flow::Next),
            LDC | LDC_W | LDC2_W => {
                let t = self.ldc_type(cp_index, opcode == LDC2_W)?;
                self.push(cur, t)?;
                Ok(Flow::Next)
            }
            ILOAD | ILOAD_0..=ILOAD_3 => self.load(cur, local, I).map(|_| Flow::Next),
            LLOAD | LLOAD_0..=LLOAD_3 => self.load(cur, local, L).map(|_| Flow::Next),
            FLOAD | FLOAD_0..=FLOAD_3 => self.load(cur, local, F).map(|_| Flow::Next),
            DLOAD | DLOAD_0..=DLOAD_3 => self.load(cur, local, D).map(|_| Flow::Next),
            ALOAD | ALOAD_0..=ALOAD_3 => {
                let i = self.local_index(local, 1)?;
                let t = cur.local(i);
                if !t.is_reference() {
                    return Err(mismatch_err(Place::Local(local), "a reference", t));
                }
                self.push(cur, t)?;
                Ok(Flow::Next)
            }
            ISTORE | ISTORE_0..=ISTORE_3 => self.pop_store(cur, local, I),
            LSTORE | LSTORE_0..=LSTORE_3 => self.pop_store(cur, local, L),
            FSTORE | FSTORE_0..=FSTORE_3 => self.pop_store(cur, local, F),
            DSTORE | DSTORE_0..=DSTORE_3 => self.pop_store(cur, local, D),
            ASTORE | ASTORE_0..=ASTORE_3 => {
                let t = self.pop_ref(cur)?;
                self.store(cur, local, t)?;
                Ok(Flow::Next)
            }
            IALOAD..=SALOAD => self.array_load(cur, opcode),
            IASTORE..=SASTORE => self.array_store(cur, opcode),
            POP => self.pop1(cur).map(|_| Flow::Next),
            POP2 => {
                if self.pop_any(cur, &"a value")?.size() == 1 {
                    self.pop1(cur)?;
                }
                Ok(Flow::Next)
            }
            DUP..=SWAP => self.stack_op(cur, opcode).map(|_| Flow::Next),
            IADD | ISUB | IMUL | IDIV | IREM | ISHL | ISHR | IUSHR | IAND | IOR | IXOR => unary(cur, &[I, I], Some(I)),
            LADD | LSUB | LMUL | LDIV | LREM | LAND | LOR | LXOR => unary(cur, &[L, L], Some(L)),
            FADD | FSUB | FMUL | FDIV | FREM => unary(cur, &[F, F], Some(F)),
            DADD | DSUB | DMUL | DDIV | DREM => unary(cur, &[D, D], Some(D)),
            LSHL | LSHR | LUSHR => unary(cur, &[L, I], Some(L)),
            INEG | I2B | I2C | I2S => unary(cur, &[I], Some(I)),
            LNEG => unary(cur, &[L], Some(L)),
            FNEG => unary(cur, &[F], Some(F)),
            DNEG => unary(cur, &[D], Some(D)),
            IINC => {
                let Operands::Iinc { index, .. } = insn.operands else { return Err(self.internal()) };
                let i = self.local_index(index, 1)?;
                if cur.local(i) != I {
                    return Err(mismatch_err(Place::Local(index), I, cur.local(i)));
                }
                Ok(Flow::Next)
            }
            I2L => unary(cur, &[I], Some(L)),
            I2F => unary(cur, &[I], Some(F)),
            I2D => unary(cur, &[I], Some(D)),
            L2I => unary(cur, &[L], Some(I)),
            L2F => unary(cur, &[L], Some(F)),
            L2D => unary(cur, &[L], Some(D)),
            F2I => unary(cur, &[F], Some(I)),
            F2L => unary(cur, &[F], Some(L)),
            F2D => unary(cur, &[F], Some(D)),
            D2I => unary(cur, &[D], Some(I)),
            D2L => unary(cur, &[D], Some(L)),
            D2F => unary(cur, &[D], Some(F)),
            LCMP => unary(cur, &[L, L], Some(I)),
            FCMPL | FCMPG => unary(cur, &[F, F], Some(I)),
            DCMPL | DCMPG => unary(cur, &[D, D], Some(I)),
            IFEQ..=IFLE => {
                self.pop(cur, I)?;
                self.branches(cur, insn, Flow::Next)
            }
            IF_ICMPEQ..=IF_ICMPLE => {
                self.pop(cur, I)?;
                self.pop(cur, I)?;
                self.branches(cur, insn, Flow::Next)
            }
            IF_ACMPEQ | IF_ACMPNE => {
                self.pop_ref(cur)?;
                self.pop_ref(cur)?;
                self.branches(cur, insn, Flow::Next)
            }
            IFNULL | IFNONNULL => {
                self.pop_ref(cur)?;
                self.branches(cur, insn, Flow::Next)
            }
            GOTO | GOTO_W => self.branches(cur, insn, Flow::Stop),
            TABLESWITCH | LOOKUPSWITCH => {
                self.pop(cur, I)?;
                self.branches(cur, insn, Flow::Stop)
            }
            JSR | JSR_W | RET => Err(VerifyError::new(K::JsrRet { major: self.class.major_version })),
            IRETURN..=RETURN => self.return_insn(cur, opcode),
            GETSTATIC..=PUTFIELD => self.field_insn(cur, opcode, cp_index),
            INVOKEVIRTUAL..=INVOKEDYNAMIC => self.invoke(cur, insn, cp_index),
            NEW => {
                let t = self.class_type(cp_index)?;
                if t.is_array() {
                    return Err(bad_use(cp_index, format!("new of the array type {t}")));
                }
                let pc = u16::try_from(insn.pc).map_err(|_| self.internal())?;
                let u = VType::Uninit(pc);
                if cur.stack.contains(&u) {
                    return Err(VerifyError::new(K::BadInit(format!(
                        "the operand stack already holds the uninitialized object from new at {pc}"
                    ))));
                }
                cur.replace(u, VType::Top);
                self.push(cur, u)?;
                Ok(Flow::Next)
            }
            NEWARRAY => {
                let Operands::NewArray(atype) = insn.operands else { return Err(self.internal()) };
                let base = match atype {
                    4 => BaseType::Boolean,
                    5 => BaseType::Char,
                    6 => BaseType::Float,
                    7 => BaseType::Double,
                    8 => BaseType::Byte,
                    9 => BaseType::Short,
                    10 => BaseType::Int,
                    _ => BaseType::Long,
                };
                unary(cur, &[I], Some(VType::Ref(RefType::primitive_array(base))))
            }
            ANEWARRAY => {
                let c = self.class_type(cp_index)?;
                let t = c.array_of().ok_or_else(|| bad_use(cp_index, "array type would exceed 255 dimensions"))?;
                unary(cur, &[I], Some(VType::Ref(t)))
            }
            MULTIANEWARRAY => {
                let Operands::MultiANewArray { dimensions, .. } = insn.operands else { return Err(self.internal()) };
                let t = self.class_type(cp_index)?;
                if t.dims() < dimensions {
                    return Err(bad_use(
                        cp_index,
                        format!("multianewarray of {dimensions} dimensions but {t} has {}", t.dims()),
                    ));
                }
                for _ in 0..dimensions {
                    self.pop(cur, I)?;
                }
                self.push(cur, VType::Ref(t))?;
                Ok(Flow::Next)
            }
            ARRAYLENGTH => {
                let t = self.pop_any(cur, &"an array")?;
                if !matches!(t, VType::Null) && !matches!(t, VType::Ref(r) if r.is_array()) {
                    return Err(mismatch_err(Place::Stack, "an array", t));
                }
                self.push(cur, I)?;
                Ok(Flow::Next)
            }
            ATHROW => {
                self.pop(cur, VType::class(THROWABLE))?;
                Ok(Flow::Stop)
            }
            CHECKCAST => {
                let t = self.class_type(cp_index)?;
                unary(cur, &[VType::class(OBJECT)], Some(VType::Ref(t)))
            }
            INSTANCEOF => {
                self.class_type(cp_index)?;
                unary(cur, &[VType::class(OBJECT)], Some(I))
            }
            MONITORENTER | MONITOREXIT => self.pop_ref(cur).map(|_| Flow::Next),
            _ => Err(VerifyError::new(K::IllegalOpcode(opcode))),
        }
    }

    /// An impossible decoder/rule disagreement, reported rather than panicking.
    fn internal(&self) -> VerifyError {
        VerifyError::new(K::BadOperand("internal error: operands do not match the opcode"))
    }

    fn pop_store(&self, cur: &mut Frame<'a>, index: u16, t: VType<'a>) -> Result<Flow> {
        self.pop(cur, t)?;
        self.store(cur, index, t)?;
        Ok(Flow::Next)
    }

    fn branches(&self, cur: &Frame<'a>, insn: &Insn, flow: Flow) -> Result<Flow> {
        for t in insn.targets() {
            self.branch(cur, t)?;
        }
        Ok(flow)
    }

    fn ldc_type(&self, index: u16, wide: bool) -> Result<VType<'a>> {
        let c = self.constant(index)?;
        let t = match *c {
            Constant::Integer(_) if !wide => VType::Int,
            Constant::Float(_) if !wide => VType::Float,
            Constant::String { .. } if !wide => VType::class(STRING),
            Constant::Class { .. } if !wide => VType::class(CLASS),
            Constant::MethodType { .. } if !wide => VType::class(METHOD_TYPE),
            Constant::MethodHandle { .. } if !wide => VType::class(METHOD_HANDLE),
            Constant::Long(_) if wide => VType::Long,
            Constant::Double(_) if wide => VType::Double,
            Constant::Dynamic { name_and_type_index, .. } => {
                let (_, desc) =
                    self.cp.name_and_type(name_and_type_index).ok_or_else(|| bad_use(index, "bad NameAndType"))?;
                let ft = parse_field_descriptor(desc).ok_or_else(|| bad_use(index, "bad dynamic constant type"))?;
                let t = VType::from_field(ft);
                if (t.size() == 2) != wide {
                    return Err(
                        self.wrong_tag(index, if wide { "a category 2 constant" } else { "a category 1 constant" })
                    );
                }
                t
            }
            _ => {
                return Err(self.wrong_tag(
                    index,
                    if wide {
                        "CONSTANT_Long, CONSTANT_Double or a long/double CONSTANT_Dynamic"
                    } else {
                        "a loadable constant other than long or double"
                    },
                ))
            }
        };
        Ok(t)
    }

    fn array_load(&self, cur: &mut Frame<'a>, opcode: u8) -> Result<Flow> {
        self.pop(cur, VType::Int)?;
        let arr = self.pop_any(cur, &"an array")?;
        let out = match (opcode, arr) {
            (op::AALOAD, VType::Null) => VType::Null,
            (_, VType::Null) => load_result(opcode),
            (op::AALOAD, VType::Ref(r)) => match r.component() {
                Some(c @ VType::Ref(_)) => c,
                _ => return Err(mismatch_err(Place::Stack, "an array of references", arr)),
            },
            (_, VType::Ref(r)) if r.primitive_element().is_some_and(|b| prim_matches(opcode - op::IALOAD, b)) => {
                load_result(opcode)
            }
            _ => return Err(mismatch_err(Place::Stack, array_name(opcode - op::IALOAD), arr)),
        };
        self.push(cur, out)?;
        Ok(Flow::Next)
    }

    fn array_store(&self, cur: &mut Frame<'a>, opcode: u8) -> Result<Flow> {
        let k = opcode - op::IASTORE;
        if opcode == op::AASTORE {
            self.pop(cur, VType::class(OBJECT))?;
        } else {
            self.pop(cur, load_result(op::IALOAD + k))?;
        }
        self.pop(cur, VType::Int)?;
        let arr = self.pop_any(cur, &"an array")?;
        let ok = match arr {
            VType::Null => true,
            VType::Ref(r) if opcode == op::AASTORE => matches!(r.component(), Some(VType::Ref(_))),
            VType::Ref(r) => r.primitive_element().is_some_and(|b| prim_matches(k, b)),
            _ => false,
        };
        if !ok {
            return Err(mismatch_err(Place::Stack, array_name(k), arr));
        }
        Ok(Flow::Next)
    }

    fn stack_op(&self, cur: &mut Frame<'a>, opcode: u8) -> Result<()> {
        let mut out: Vec<VType<'a>> = Vec::with_capacity(6);
        match opcode {
            op::DUP => {
                let v1 = self.pop1(cur)?;
                out.extend([v1, v1]);
            }
            op::DUP_X1 => {
                let v1 = self.pop1(cur)?;
                let v2 = self.pop1(cur)?;
                out.extend([v1, v2, v1]);
            }
            op::DUP_X2 => {
                let v1 = self.pop1(cur)?;
                let v2 = self.pop_any(cur, &"a value")?;
                if v2.size() == 2 {
                    out.extend([v1, v2, v1]);
                } else {
                    let v3 = self.pop1(cur)?;
                    out.extend([v1, v3, v2, v1]);
                }
            }
            op::DUP2 => {
                let v1 = self.pop_any(cur, &"a value")?;
                if v1.size() == 2 {
                    out.extend([v1, v1]);
                } else {
                    let v2 = self.pop1(cur)?;
                    out.extend([v2, v1, v2, v1]);
                }
            }
            op::DUP2_X1 => {
                let v1 = self.pop_any(cur, &"a value")?;
                if v1.size() == 2 {
                    let v2 = self.pop1(cur)?;
                    out.extend([v1, v2, v1]);
                } else {
                    let v2 = self.pop1(cur)?;
                    let v3 = self.pop1(cur)?;
                    out.extend([v2, v1, v3, v2, v1]);
                }
            }
            op::DUP2_X2 => {
                let v1 = self.pop_any(cur, &"a value")?;
                if v1.size() == 2 {
                    let v2 = self.pop_any(cur, &"a value")?;
                    if v2.size() == 2 {
                        out.extend([v1, v2, v1]);
                    } else {
                        let v3 = self.pop1(cur)?;
                        out.extend([v1, v3, v2, v1]);
                    }
                } else {
                    let v2 = self.pop1(cur)?;
                    let v3 = self.pop_any(cur, &"a value")?;
                    if v3.size() == 2 {
                        out.extend([v2, v1, v3, v2, v1]);
                    } else {
                        let v4 = self.pop1(cur)?;
                        out.extend([v2, v1, v4, v3, v2, v1]);
                    }
                }
            }
            _ => {
                let v1 = self.pop1(cur)?;
                let v2 = self.pop1(cur)?;
                out.extend([v1, v2]);
            }
        }
        for t in out {
            self.push(cur, t)?;
        }
        Ok(())
    }

    fn return_insn(&self, cur: &mut Frame<'a>, opcode: u8) -> Result<Flow> {
        let want = match (opcode, self.return_type) {
            (op::RETURN, None) => {
                if self.is_init && cur.this_uninit {
                    return Err(VerifyError::new(K::ThisUninitialized));
                }
                return Ok(Flow::Stop);
            }
            (op::IRETURN, Some(t @ VType::Int))
            | (op::LRETURN, Some(t @ VType::Long))
            | (op::FRETURN, Some(t @ VType::Float))
            | (op::DRETURN, Some(t @ VType::Double))
            | (op::ARETURN, Some(t @ VType::Ref(_))) => t,
            (_, rt) => {
                let expected = rt.map_or(String::from("void"), |t| t.to_string());
                return Err(VerifyError::new(K::BadReturn { expected }));
            }
        };
        self.pop(cur, want)?;
        Ok(Flow::Stop)
    }

    fn field_insn(&self, cur: &mut Frame<'a>, opcode: u8, index: u16) -> Result<Flow> {
        let Constant::Fieldref { class_index, name_and_type_index } = *self.constant(index)? else {
            return Err(self.wrong_tag(index, "CONSTANT_Fieldref"));
        };
        let (class, name, desc) = self.member_ref(index, class_index, name_and_type_index)?;
        let ft = parse_field_descriptor(desc).ok_or_else(|| bad_use(index, "malformed field descriptor"))?;
        let t = VType::from_field(ft);
        match opcode {
            op::GETSTATIC => self.push(cur, t)?,
            op::PUTSTATIC => {
                self.pop(cur, t)?;
            }
            op::GETFIELD => {
                let obj = self.pop(cur, VType::Ref(class))?;
                self.protected_check(class, name, desc, obj)?;
                self.push(cur, t)?;
            }
            _ => {
                self.pop(cur, t)?;
                let obj = self.pop_any(cur, &class)?;
                // A constructor may set its own class's fields before super().
                let own_field = obj == VType::UninitThis
                    && class.class_name() == Some(self.this_name)
                    && self.class.fields.iter().any(|f| f.name == name && f.descriptor == desc);
                if !own_field {
                    if !is_assignable(obj, VType::Ref(class), self.env)? {
                        return Err(mismatch_err(Place::Stack, class, obj));
                    }
                    self.protected_check(class, name, desc, obj)?;
                }
            }
        }
        Ok(Flow::Next)
    }

    fn invoke(&self, cur: &mut Frame<'a>, insn: &Insn, index: u16) -> Result<Flow> {
        let opcode = insn.opcode;
        let c = *self.constant(index)?;
        let (class, name, desc, is_interface_ref) = match (opcode, c) {
            (op::INVOKEDYNAMIC, Constant::InvokeDynamic { name_and_type_index, .. }) => {
                let (n, d) =
                    self.cp.name_and_type(name_and_type_index).ok_or_else(|| bad_use(index, "bad NameAndType"))?;
                (None, n, d, false)
            }
            (op::INVOKEDYNAMIC, _) => return Err(self.wrong_tag(index, "CONSTANT_InvokeDynamic")),
            (op::INVOKEINTERFACE, Constant::InterfaceMethodref { class_index, name_and_type_index }) => {
                let (cl, n, d) = self.member_ref(index, class_index, name_and_type_index)?;
                (Some(cl), n, d, true)
            }
            (op::INVOKEINTERFACE, _) => return Err(self.wrong_tag(index, "CONSTANT_InterfaceMethodref")),
            (_, Constant::Methodref { class_index, name_and_type_index }) => {
                let (cl, n, d) = self.member_ref(index, class_index, name_and_type_index)?;
                (Some(cl), n, d, false)
            }
            (
                op::INVOKESPECIAL | op::INVOKESTATIC,
                Constant::InterfaceMethodref { class_index, name_and_type_index },
            ) if self.class.major_version >= 52 => {
                let (cl, n, d) = self.member_ref(index, class_index, name_and_type_index)?;
                (Some(cl), n, d, true)
            }
            (op::INVOKEVIRTUAL, _) => return Err(self.wrong_tag(index, "CONSTANT_Methodref")),
            _ => {
                return Err(self.wrong_tag(
                    index,
                    if self.class.major_version >= 52 {
                        "CONSTANT_Methodref or CONSTANT_InterfaceMethodref"
                    } else {
                        "CONSTANT_Methodref"
                    },
                ))
            }
        };
        let md = parse_method_descriptor(desc).ok_or_else(|| bad_use(index, "malformed method descriptor"))?;
        let is_init = name == INIT;
        if name.first() == Some(&b'<') && !(is_init && opcode == op::INVOKESPECIAL) {
            return Err(bad_use(
                index,
                format!("{} cannot call {}", super::insn::mnemonic(opcode), decode_lossy(name)),
            ));
        }
        if let Operands::InvokeInterface { count, .. } = insn.operands {
            if usize::from(count) != md.parameter_slots() + 1 {
                return Err(VerifyError::new(K::BadOperand(
                    "invokeinterface count does not match the argument size of the descriptor",
                )));
            }
        }
        for &p in md.parameters.iter().rev() {
            self.pop(cur, VType::from_field(p))?;
        }
        match (opcode, class) {
            (op::INVOKEVIRTUAL, Some(cl)) => {
                let obj = self.pop(cur, VType::Ref(cl))?;
                self.protected_check(cl, name, desc, obj)?;
            }
            (op::INVOKEINTERFACE, Some(cl)) => {
                self.pop(cur, VType::Ref(cl))?;
            }
            (op::INVOKESPECIAL, Some(cl)) if is_init => self.init_call(cur, cl, desc)?,
            (op::INVOKESPECIAL, Some(cl)) => {
                self.special_class_check(cl, is_interface_ref)?;
                self.pop(cur, VType::class(self.this_name))?;
            }
            _ => {}
        }
        if let Some(rt) = md.return_type {
            self.push(cur, VType::from_field(rt))?;
        }
        Ok(Flow::Next)
    }

    /// invokespecial of a method other than `<init>`: the class must be the
    /// current class, its superclass, a direct superinterface, or (for
    /// classes) some superclass.
    fn special_class_check(&self, cl: RefType<'a>, is_interface_ref: bool) -> Result<()> {
        let Some(name) = cl.class_name() else {
            return Err(VerifyError::new(K::BadInvokeSpecial("invokespecial of an array class method")));
        };
        if name == self.this_name || Some(name) == self.super_name || self.class.interface_names().any(|i| i == name) {
            return Ok(());
        }
        if !self.env.is_assignable(self.this_name, name)? {
            return Err(VerifyError::new(K::BadInvokeSpecial(
                "bad invokespecial: the current class is not assignable to the referenced class",
            )));
        }
        if is_interface_ref {
            return Err(VerifyError::new(K::BadInvokeSpecial(
                "bad invokespecial: interface method reference is in an indirect superinterface",
            )));
        }
        Ok(())
    }

    /// invokespecial `<init>`: initializes `this` (calling this() or super())
    /// or an object made by `new`; every copy becomes initialized.
    fn init_call(&self, cur: &mut Frame<'a>, cl: RefType<'a>, desc: &'a [u8]) -> Result<()> {
        let obj = self.pop_any(cur, &"an uninitialized object")?;
        let name = cl.class_name();
        match obj {
            VType::UninitThis => {
                if name != Some(self.this_name) && name != self.super_name {
                    return Err(VerifyError::new(K::BadInit(format!(
                        "uninitializedThis must be initialized by an <init> of this class or its direct superclass, not {cl}"
                    ))));
                }
                cur.replace(VType::UninitThis, VType::class(self.this_name));
                cur.this_uninit = false;
            }
            VType::Uninit(pc) => {
                let created = self
                    .insns
                    .at(usize::from(pc))
                    .filter(|i| i.opcode == op::NEW)
                    .and_then(|i| match i.operands {
                        Operands::Cp(ci) => self.cp.class_name(ci),
                        _ => None,
                    })
                    .ok_or_else(|| VerifyError::new(K::BadInit(format!("no new instruction at {pc}"))))?;
                let Some(n) = name.filter(|&n| n == created) else {
                    return Err(VerifyError::new(K::BadInit(format!(
                        "call to {cl}.<init> on an object created by new {} at {pc}",
                        decode_lossy(created)
                    ))));
                };
                let t = VType::class(n);
                self.protected_init_check(n, desc)?;
                cur.replace(obj, t);
            }
            _ => return Err(mismatch_err(Place::Stack, "an uninitialized object", obj)),
        }
        Ok(())
    }

    /// A protected `<init>` of a superclass in another package may only be
    /// called through `super()`, never on a fresh `new` object (HotSpot's
    /// reading of JVMS 4.10.1.8 for constructors).
    fn protected_init_check(&self, class: &'a [u8], desc: &'a [u8]) -> Result<()> {
        if !self.in_supers(class)? {
            return Ok(());
        }
        if let Some((holder, flags)) = self.find_member(class, INIT, desc)? {
            if flags & ACC_PROTECTED != 0
                && !self.env.same_runtime_package(holder, self.this_name)?
                && !self.env.is_assignable(class, self.this_name)?
            {
                return Err(VerifyError::new(K::ProtectedAccess { member: member_name(class, INIT, desc) }));
            }
        }
        Ok(())
    }

    /// True if `class` is a proper superclass of the current class.
    fn in_supers(&self, class: &[u8]) -> Result<bool> {
        let mut c = self.super_name;
        for _ in 0..MAX_DEPTH {
            match c {
                None => return Ok(false),
                Some(n) if n == class => return Ok(true),
                Some(n) => c = self.env.superclass(n)?,
            }
        }
        Ok(false)
    }

    /// The class declaring `name`/`desc` seen from `class` (looking up
    /// superclasses) and its access flags.
    fn find_member<'e>(&'e self, class: &'e [u8], name: &[u8], desc: &[u8]) -> Result<Option<(&'e [u8], u16)>> {
        let mut c = Some(class);
        for _ in 0..MAX_DEPTH {
            let Some(n) = c else { break };
            if let Some(flags) = self.env.declared_member(n, name, desc)? {
                return Ok(Some((n, flags)));
            }
            c = self.env.superclass(n)?;
        }
        Ok(None)
    }

    /// passesProtectedCheck (JVMS 4.10.1.8): a protected member declared in
    /// a superclass in another runtime package may only be accessed through
    /// a reference to the current class (or a subclass).
    fn protected_check(&self, class: RefType<'a>, name: &'a [u8], desc: &'a [u8], obj: VType<'a>) -> Result<()> {
        let this = VType::class(self.this_name);
        if obj == this {
            return Ok(());
        }
        let Some(cname) = class.class_name() else {
            return Ok(());
        };
        if !self.in_supers(cname)? {
            return Ok(());
        }
        let Some((holder, flags)) = self.find_member(cname, name, desc)? else {
            return Ok(());
        };
        if flags & ACC_PROTECTED == 0 || self.env.same_runtime_package(holder, self.this_name)? {
            return Ok(());
        }
        // Arrays implement a public clone().
        let array = matches!(obj, VType::Ref(r) if r.is_array());
        if cname == OBJECT && name == b"clone" && array {
            return Ok(());
        }
        if !is_assignable(obj, this, self.env)? {
            return Err(VerifyError::new(K::ProtectedAccess { member: member_name(cname, name, desc) }));
        }
        Ok(())
    }
}

fn member_name(class: &[u8], name: &[u8], desc: &[u8]) -> String {
    let sep = if desc.first() == Some(&b'(') { "" } else { ":" };
    format!("{}.{}{sep}{}", decode_lossy(class), decode_lossy(name), decode_lossy(desc))
}

/// The value an array load pushes (for `k` = opcode - iaload, or a store's
/// value type for the matching load).
fn load_result<'a>(opcode: u8) -> VType<'a> {
    match opcode - op::IALOAD {
        1 => VType::Long,
        2 => VType::Float,
        3 => VType::Double,
        4 => VType::Null,
        _ => VType::Int,
    }
}

/// Does primitive array element `b` suit array instruction `k` (0 = i, 1 =
/// l, 2 = f, 3 = d, 5 = b, 6 = c, 7 = s)? `baload`/`bastore` serve both
/// byte and boolean arrays.
fn prim_matches(k: u8, b: BaseType) -> bool {
    matches!(
        (k, b),
        (0, BaseType::Int)
            | (1, BaseType::Long)
            | (2, BaseType::Float)
            | (3, BaseType::Double)
            | (5, BaseType::Byte | BaseType::Boolean)
            | (6, BaseType::Char)
            | (7, BaseType::Short)
    )
}

fn array_name(k: u8) -> &'static str {
    match k {
        0 => "an int array",
        1 => "a long array",
        2 => "a float array",
        3 => "a double array",
        4 => "an array of references",
        5 => "a byte or boolean array",
        6 => "a char array",
        _ => "a short array",
    }
}
