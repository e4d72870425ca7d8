//! Machine kinds of locals and operand-stack slots at block starts.
//!
//! The verifier has proven the code type-correct but its per-pc states
//! are gone once a class is linked (only reference bits per stack-map
//! frame are kept, for the collector). The translator needs a coarser
//! fact: which *machine kind* (int, float, long, double, reference, or
//! nothing usable) each slot holds. A forward dataflow over the normal
//! control-flow edges computes it; kinds that differ on two incoming
//! edges merge to `Top` (verified code never reads such a slot before
//! writing it). Exception edges are not followed: compiled code never
//! enters a handler (docs/jit.md), so handler-only code is not compiled.
//!
//! Long and double values take two slots: the kind in the first, `Top`
//! in the second, as in the JVM's own type states.

use alloc::vec;
use alloc::vec::Vec;

use pd_jvm::runtime::class::ClassId;
use pd_jvm::runtime::compiler::{CompileEnv, Constant, SlotKind};
use pd_jvm::verify::insn::{op, Insn, Operands};

use crate::{Decline, NewDecline};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum K {
    Top,
    I,
    F,
    L,
    D,
    R,
}

impl K {
    pub(crate) fn from_slot(k: SlotKind) -> K {
        match k {
            SlotKind::Int => K::I,
            SlotKind::Float => K::F,
            SlotKind::Long => K::L,
            SlotKind::Double => K::D,
            SlotKind::Ref => K::R,
        }
    }

    pub(crate) fn wide(self) -> bool {
        matches!(self, K::L | K::D)
    }

    fn merge(self, o: K) -> K {
        if self == o {
            self
        } else {
            K::Top
        }
    }
}

/// The state at a block start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct State {
    pub locals: Vec<K>,
    pub stack: Vec<K>,
}

impl State {
    pub(crate) fn push(&mut self, k: K) {
        self.stack.push(k);
        if k.wide() {
            self.stack.push(K::Top);
        }
    }

    fn pop(&mut self, n: usize) -> Result<(), Decline> {
        let len = self.stack.len().checked_sub(n).ok_or_else(|| Decline::new("operand stack underflow"))?;
        self.stack.truncate(len);
        Ok(())
    }

    fn top(&self, i: usize) -> Result<K, Decline> {
        self.stack.iter().rev().nth(i).copied().ok_or_else(|| Decline::new("operand stack underflow"))
    }

    pub(crate) fn set_local(&mut self, i: usize, k: K) -> Result<(), Decline> {
        if i + if k.wide() { 2 } else { 1 } > self.locals.len() {
            return Err(Decline::new("local index out of range"));
        }
        if i > 0 && self.locals[i - 1].wide() {
            self.locals[i - 1] = K::Top;
        }
        self.locals[i] = k;
        if k.wide() {
            self.locals[i + 1] = K::Top;
        }
        Ok(())
    }
}

/// The state on entry: the arguments' kinds in the first locals.
pub(crate) fn entry_state(max_locals: usize, args: &[SlotKind]) -> Result<State, Decline> {
    let mut entry = State { locals: vec![K::Top; max_locals], stack: Vec::new() };
    let mut at = 0;
    for &k in args {
        let k = K::from_slot(k);
        entry.set_local(at, k)?;
        at += if k.wide() { 2 } else { 1 };
    }
    Ok(entry)
}

/// Control flow and kinds of one method.
pub(crate) struct Flow {
    /// Per instruction (index into the decoded list): starts a block.
    pub leader: Vec<bool>,
    /// Per instruction: the state at its start, for reachable leaders.
    pub states: Vec<Option<State>>,
}

fn field_kind(env: &CompileEnv<'_>, cls: ClassId, idx: u16) -> Result<K, Decline> {
    let d = env.member_descriptor(cls, idx).ok_or_else(|| Decline::new("bad field reference"))?;
    Ok(K::from_slot(SlotKind::from_descriptor_byte(*d.first().unwrap_or(&b'V'))))
}

fn cp_index(insn: &Insn) -> u16 {
    match insn.operands {
        Operands::Cp(i) => i,
        Operands::InvokeInterface { index, .. } => index,
        Operands::MultiANewArray { index, .. } => index,
        _ => 0,
    }
}

/// One instruction's effect on the kinds.
pub(crate) fn step(env: &CompileEnv<'_>, cls: ClassId, insn: &Insn, s: &mut State) -> Result<(), Decline> {
    use K::*;
    let o = insn.opcode;
    let local = match insn.operands {
        Operands::Local(i) => usize::from(i),
        Operands::Iinc { index, .. } => usize::from(index),
        _ => 0,
    };
    match o {
        op::NOP | op::IINC | op::GOTO | op::GOTO_W | op::CHECKCAST => {}
        op::ACONST_NULL => s.push(R),
        op::ICONST_M1..=op::ICONST_5 | op::BIPUSH | op::SIPUSH => s.push(I),
        op::LCONST_0 | op::LCONST_1 => s.push(L),
        op::FCONST_0..=op::FCONST_2 => s.push(F),
        op::DCONST_0 | op::DCONST_1 => s.push(D),
        op::LDC | op::LDC_W | op::LDC2_W => {
            let k = match env.constant(cls, cp_index(insn)) {
                Some(Constant::Int(_)) => I,
                Some(Constant::Float(_)) => F,
                Some(Constant::Long(_)) => L,
                Some(Constant::Double(_)) => D,
                Some(_) => R,
                None => return Err(Decline::new("unsupported constant")),
            };
            s.push(k);
        }
        op::ILOAD | op::ILOAD_0..=op::ILOAD_3 => s.push(I),
        op::LLOAD | op::LLOAD_0..=op::LLOAD_3 => s.push(L),
        op::FLOAD | op::FLOAD_0..=op::FLOAD_3 => s.push(F),
        op::DLOAD | op::DLOAD_0..=op::DLOAD_3 => s.push(D),
        op::ALOAD | op::ALOAD_0..=op::ALOAD_3 => s.push(R),
        op::ISTORE | op::ISTORE_0..=op::ISTORE_3 => {
            s.pop(1)?;
            s.set_local(local, I)?;
        }
        op::FSTORE | op::FSTORE_0..=op::FSTORE_3 => {
            s.pop(1)?;
            s.set_local(local, F)?;
        }
        op::ASTORE | op::ASTORE_0..=op::ASTORE_3 => {
            s.pop(1)?;
            s.set_local(local, R)?;
        }
        op::LSTORE | op::LSTORE_0..=op::LSTORE_3 => {
            s.pop(2)?;
            s.set_local(local, L)?;
        }
        op::DSTORE | op::DSTORE_0..=op::DSTORE_3 => {
            s.pop(2)?;
            s.set_local(local, D)?;
        }
        op::IALOAD | op::BALOAD | op::CALOAD | op::SALOAD => {
            s.pop(2)?;
            s.push(I);
        }
        op::FALOAD => {
            s.pop(2)?;
            s.push(F);
        }
        op::LALOAD => {
            s.pop(2)?;
            s.push(L);
        }
        op::DALOAD => {
            s.pop(2)?;
            s.push(D);
        }
        op::AALOAD => {
            s.pop(2)?;
            s.push(R);
        }
        op::IASTORE | op::FASTORE | op::AASTORE | op::BASTORE | op::CASTORE | op::SASTORE => s.pop(3)?,
        op::LASTORE | op::DASTORE => s.pop(4)?,
        op::POP => s.pop(1)?,
        op::POP2 => s.pop(2)?,
        op::DUP => {
            let a = s.top(0)?;
            s.stack.push(a);
        }
        op::DUP_X1 => {
            let (a, b) = (s.top(0)?, s.top(1)?);
            s.pop(2)?;
            s.stack.extend_from_slice(&[a, b, a]);
        }
        op::DUP_X2 => {
            let (a, b, c) = (s.top(0)?, s.top(1)?, s.top(2)?);
            s.pop(3)?;
            s.stack.extend_from_slice(&[a, c, b, a]);
        }
        op::DUP2 => {
            let (a, b) = (s.top(0)?, s.top(1)?);
            s.stack.extend_from_slice(&[b, a]);
        }
        op::DUP2_X1 => {
            let (a, b, c) = (s.top(0)?, s.top(1)?, s.top(2)?);
            s.pop(3)?;
            s.stack.extend_from_slice(&[b, a, c, b, a]);
        }
        op::DUP2_X2 => {
            let (a, b, c, d) = (s.top(0)?, s.top(1)?, s.top(2)?, s.top(3)?);
            s.pop(4)?;
            s.stack.extend_from_slice(&[b, a, d, c, b, a]);
        }
        op::SWAP => {
            let n = s.stack.len();
            if n < 2 {
                return Err(Decline::new("operand stack underflow"));
            }
            s.stack.swap(n - 1, n - 2);
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
        | op::IUSHR => {
            s.pop(2)?;
            s.push(I);
        }
        op::FADD | op::FSUB | op::FMUL | op::FDIV | op::FREM => {
            s.pop(2)?;
            s.push(F);
        }
        op::LADD | op::LSUB | op::LMUL | op::LDIV | op::LREM | op::LAND | op::LOR | op::LXOR => {
            s.pop(4)?;
            s.push(L);
        }
        op::DADD | op::DSUB | op::DMUL | op::DDIV | op::DREM => {
            s.pop(4)?;
            s.push(D);
        }
        op::LSHL | op::LSHR | op::LUSHR => {
            s.pop(3)?;
            s.push(L);
        }
        op::INEG | op::FNEG | op::LNEG | op::DNEG => {}
        op::I2L | op::F2L => {
            s.pop(1)?;
            s.push(L);
        }
        op::I2D | op::F2D => {
            s.pop(1)?;
            s.push(D);
        }
        op::I2F => {
            s.pop(1)?;
            s.push(F);
        }
        op::F2I | op::I2B | op::I2C | op::I2S => {
            s.pop(1)?;
            s.push(I);
        }
        op::L2I | op::D2I => {
            s.pop(2)?;
            s.push(I);
        }
        op::L2F | op::D2F => {
            s.pop(2)?;
            s.push(F);
        }
        op::L2D => {
            s.pop(2)?;
            s.push(D);
        }
        op::D2L => {
            s.pop(2)?;
            s.push(L);
        }
        op::FCMPL | op::FCMPG => {
            s.pop(2)?;
            s.push(I);
        }
        op::LCMP | op::DCMPL | op::DCMPG => {
            s.pop(4)?;
            s.push(I);
        }
        op::IFEQ..=op::IFLE | op::IFNULL | op::IFNONNULL | op::TABLESWITCH | op::LOOKUPSWITCH => s.pop(1)?,
        op::IF_ICMPEQ..=op::IF_ACMPNE => s.pop(2)?,
        op::IRETURN..=op::RETURN | op::ATHROW => s.stack.clear(),
        op::GETSTATIC => {
            let k = field_kind(env, cls, cp_index(insn))?;
            s.push(k);
        }
        op::PUTSTATIC => {
            let k = field_kind(env, cls, cp_index(insn))?;
            s.pop(if k.wide() { 2 } else { 1 })?;
        }
        op::GETFIELD => {
            let k = field_kind(env, cls, cp_index(insn))?;
            s.pop(1)?;
            s.push(k);
        }
        op::PUTFIELD => {
            let k = field_kind(env, cls, cp_index(insn))?;
            s.pop(1 + if k.wide() { 2 } else { 1 })?;
        }
        op::INVOKEVIRTUAL | op::INVOKESPECIAL | op::INVOKESTATIC | op::INVOKEINTERFACE | op::INVOKEDYNAMIC => {
            let sig = env.call(cls, cp_index(insn)).ok_or_else(|| Decline::new("bad method reference"))?;
            let recv = !matches!(o, op::INVOKESTATIC | op::INVOKEDYNAMIC) as usize;
            s.pop(usize::from(sig.arg_slots) + recv)?;
            if let Some(r) = sig.ret {
                s.push(K::from_slot(r));
            }
        }
        op::NEW => s.push(R),
        op::NEWARRAY | op::ANEWARRAY => {
            s.pop(1)?;
            s.push(R);
        }
        op::ARRAYLENGTH | op::INSTANCEOF => {
            s.pop(1)?;
            s.push(I);
        }
        op::MONITORENTER | op::MONITOREXIT => s.pop(1)?,
        op::MULTIANEWARRAY => {
            let Operands::MultiANewArray { dimensions, .. } = insn.operands else {
                return Err(Decline::new("bad multianewarray"));
            };
            s.pop(usize::from(dimensions))?;
            s.push(R);
        }
        _ => return Err(Decline::new(alloc::format!("unsupported opcode {}", pd_jvm::verify::insn::mnemonic(o)))),
    }
    Ok(())
}

/// Whether control can continue to the next instruction.
pub(crate) fn falls_through(o: u8) -> bool {
    !matches!(o, op::GOTO | op::GOTO_W | op::TABLESWITCH | op::LOOKUPSWITCH | op::IRETURN..=op::RETURN | op::ATHROW)
}

/// Leaders, reachability and block entry states.
pub(crate) fn analyze(
    env: &CompileEnv<'_>,
    cls: ClassId,
    insns: &[Insn],
    index_of: &dyn Fn(usize) -> Option<usize>,
    entry: State,
) -> Result<Flow, Decline> {
    let n = insns.len();
    let mut leader = vec![false; n];
    if n == 0 {
        return Err(Decline::new("empty code"));
    }
    leader[0] = true;
    for (i, insn) in insns.iter().enumerate() {
        if matches!(insn.opcode, op::JSR | op::JSR_W | op::RET) {
            return Err(Decline::new("jsr/ret"));
        }
        let mut any = false;
        for t in insn.targets() {
            let ti = index_of(t as usize).ok_or_else(|| Decline::new("bad branch target"))?;
            leader[ti] = true;
            any = true;
        }
        if (any || !falls_through(insn.opcode)) && i + 1 < n {
            leader[i + 1] = true;
        }
    }
    let mut states: Vec<Option<State>> = vec![None; n];
    states[0] = Some(entry);
    let mut work: Vec<usize> = vec![0];
    while let Some(start) = work.pop() {
        let Some(mut s) = states[start].clone() else { continue };
        let mut i = start;
        loop {
            let insn = &insns[i];
            step(env, cls, insn, &mut s)?;
            let mut succ: Vec<usize> = Vec::new();
            for t in insn.targets() {
                succ.push(index_of(t as usize).ok_or_else(|| Decline::new("bad branch target"))?);
            }
            let ft = falls_through(insn.opcode);
            if ft {
                if i + 1 >= n {
                    return Err(Decline::new("falls off the end of the code"));
                }
                if leader[i + 1] {
                    succ.push(i + 1);
                }
            }
            for t in succ {
                let changed = match &mut states[t] {
                    slot @ None => {
                        *slot = Some(s.clone());
                        true
                    }
                    Some(old) => {
                        if old.stack.len() != s.stack.len() {
                            return Err(Decline::new("operand stack depths differ at a merge"));
                        }
                        let mut changed = false;
                        for (a, b) in old.locals.iter_mut().zip(&s.locals) {
                            let m = a.merge(*b);
                            changed |= m != *a;
                            *a = m;
                        }
                        for (a, b) in old.stack.iter_mut().zip(&s.stack) {
                            if *a != *b {
                                return Err(Decline::new("operand stack kinds differ at a merge"));
                            }
                        }
                        changed
                    }
                };
                if changed && !work.contains(&t) {
                    work.push(t);
                }
            }
            if !ft || leader[i + 1] {
                break;
            }
            i += 1;
        }
    }
    Ok(Flow { leader, states })
}
