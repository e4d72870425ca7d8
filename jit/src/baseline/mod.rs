//! The baseline tier: a template compiler for methods that run once or
//! rarely (docs/jit.md, "The baseline tier").
//!
//! Cranelift costs about 57,000 instructions per function and 50,000 per
//! call site even unoptimized, and a method compiled before its first run
//! is mostly call sites. This tier skips IR and register allocation: each
//! bytecode becomes a fixed machine-code template that works on the
//! frame's slots in memory, exactly as the interpreter keeps them. So:
//!
//! * every value is in its slot at every instruction: a helper call needs
//!   no spills or reloads, the collector's reference maps describe the
//!   frame as they do an interpreted one, and a handler that catches
//!   what the code raised finds the locals where the interpreter reads
//!   them;
//! * invocations, allocation, type checks, monitors, unresolved fields
//!   and `ldc` of what is not a plain constant go to `exec`, the
//!   interpreter's own implementation of the instruction;
//! * arithmetic, locals, constants, stack shuffles, branches, switches,
//!   returns, resolved field and static access and array access run
//!   inline, with the explicit checks of the optimizing tier (null,
//!   bounds, division) leaving through the `throw` helper.
//!
//! It compiles methods without loops only: a loop is where optimized
//! code pays off, and without on-stack replacement a loop entered in
//! baseline code would stay there. The code calls [`Helpers::hot`] on
//! entry, which counts the entry and has the method compiled again by
//! Cranelift once it is hot. What the templates do not cover (floating
//! point arithmetic and conversions, `jsr`) declines, and the method goes
//! to Cranelift at once.
//!
//! x86-64 only so far: on aarch64 every method goes to Cranelift.

pub(crate) mod x64;

use alloc::format;
use alloc::vec::Vec;

use pd_jvm::runtime::compiler::{layout, CompileEnv, Constant, Helpers, JitContext, MethodData};
use pd_jvm::verify::insn::{op, Insn, Instructions, Operands};

use crate::kinds::{self, State, K};
use crate::{Decline, NewDecline};
use x64::{mem, mem_index, Alu, Asm, Cond, Label, Mem, Reg, Shift, R12, R13, R8, RAX, RBX, RCX, RDI, RDX, RSI, W};

/// Slots beyond which a method is left to Cranelift (displacements stay
/// well inside 32 bits).
const MAX_SLOTS: usize = 1 << 16;
/// Switch cases a method may have in all: the templates compare case by
/// case, which suits the short switches of cold code.
const MAX_SWITCH_CASES: usize = 1024;

/// Whether the baseline tier can compile for the machine this runs on.
pub(crate) fn available() -> bool {
    cfg!(target_arch = "x86_64")
}

/// The machine code of `m`'s baseline form (position-independent: helper
/// addresses are immediates, jumps relative).
pub(crate) fn compile(env: &CompileEnv<'_>, m: &MethodData<'_>, h: &Helpers) -> Result<Vec<u8>, Decline> {
    let ml = usize::from(m.max_locals);
    if ml + usize::from(m.max_stack) > MAX_SLOTS {
        return Err(Decline::new("too many slots"));
    }
    let insns = Instructions::decode(m.code, m.major).map_err(|e| Decline::new(format!("decode: {e}")))?;
    let mut cases = 0;
    for insn in &insns.insns {
        if crate::is_back_edge(insn) {
            return Err(Decline::new("a loop"));
        }
        match &insn.operands {
            Operands::TableSwitch { targets, .. } => cases += targets.len(),
            Operands::LookupSwitch { pairs, .. } => cases += pairs.len(),
            _ => {}
        }
    }
    if cases > MAX_SWITCH_CASES {
        return Err(Decline::new("switches too large"));
    }
    let index_of = |pc: usize| insns.position(pc);
    let entry = kinds::entry_state(ml, &m.arg_kinds)?;
    let flow = kinds::analyze(env, m.class, &insns.insns, &index_of, entry)?;
    let mut a = Asm::new();
    let labels = (0..insns.insns.len()).map(|_| a.label()).collect();
    let exit = a.label();
    let mut t = Templates { a, h: *h, ml, labels, exit, stubs: Vec::new() };
    t.prologue(m.id.0);
    let mut state: Option<State> = None;
    for (i, insn) in insns.insns.iter().enumerate() {
        if flow.leader[i] {
            state = flow.states[i].clone();
        }
        let Some(s) = state.as_mut() else { continue };
        t.a.bind(t.labels[i]);
        let depth = s.stack.len();
        t.insn(env, m, &insns, insn, depth)?;
        kinds::step(env, m.class, insn, s)?;
    }
    t.epilogue();
    t.a.finish().ok_or_else(|| Decline::new("a branch to code that is not there"))
}

/// A failed inline check's way out, emitted after the method's code.
enum Fail {
    /// A null array: the index is in `rcx`.
    NullArray,
    /// An index out of bounds: the index in `rcx`, the array's address in `rax`.
    Bounds,
    /// A null object, or a zero divisor.
    Plain,
}

struct Stub {
    label: Label,
    fail: Fail,
    pc: u32,
    sp: u32,
}

struct Templates {
    a: Asm,
    h: Helpers,
    /// `max_locals`: operand-stack slot `d` is frame slot `ml + d`.
    ml: usize,
    /// One per instruction.
    labels: Vec<Label>,
    /// Status in `eax`: restores the callee-saved registers and returns.
    exit: Label,
    stubs: Vec<Stub>,
}

/// Registers the code keeps: the context, the frame's slot 0 (moves when
/// the slot vector grows: reloaded after every helper) and `bp`.
const CTX: Reg = RBX;
const FP: Reg = R12;
const BP: Reg = R13;

fn cond_of(o: u8) -> Cond {
    // ifeq, ifne, iflt, ifge, ifgt, ifle, in that order, for each family.
    let k = match o {
        op::IFEQ..=op::IFLE => o - op::IFEQ,
        op::IF_ICMPEQ..=op::IF_ICMPLE => o - op::IF_ICMPEQ,
        op::IF_ACMPEQ | op::IFNULL => 0,
        _ => 1,
    };
    [Cond::E, Cond::Ne, Cond::L, Cond::Ge, Cond::G, Cond::Le][usize::from(k)]
}

impl Templates {
    fn slot(&self, i: usize) -> Mem {
        mem(FP, (i * 8) as i32)
    }

    fn prologue(&mut self, method: u32) {
        let a = &mut self.a;
        // Three pushes leave the stack 16-byte aligned for calls.
        a.push(RBX);
        a.push(R12);
        a.push(R13);
        a.mov(CTX, RDI);
        a.mov(BP, RSI);
        a.mov(RDI, CTX);
        a.mov_imm(RSI, i64::from(method));
        a.mov_imm(RAX, self.h.hot as i64);
        a.call(RAX);
        self.reload_fp();
    }

    fn reload_fp(&mut self) {
        self.a.load(W::Q64, FP, mem(CTX, JitContext::STACK_BASE));
        self.a.lea(FP, mem_index(FP, BP, 8, 0));
    }

    fn epilogue(&mut self) {
        let stubs = core::mem::take(&mut self.stubs);
        for s in stubs {
            self.a.bind(s.label);
            match s.fail {
                Fail::NullArray => {
                    self.a.sext32(RCX, RCX);
                    self.a.mov_imm(R8, i64::MIN);
                }
                Fail::Bounds => {
                    self.a.load32s(R8, mem(RAX, layout::ARRAY_LENGTH));
                    self.a.sext32(RCX, RCX);
                }
                Fail::Plain => {
                    self.a.mov_imm(RCX, 0);
                    self.a.mov_imm(R8, 0);
                }
            }
            self.a.mov(RDI, CTX);
            self.a.mov_imm(RSI, i64::from(s.pc));
            self.a.mov_imm(RDX, i64::from(s.sp));
            self.a.mov_imm(RAX, self.h.throw as i64);
            self.a.call(RAX);
            self.a.jmp(self.exit);
        }
        self.a.bind(self.exit);
        self.a.pop(R13);
        self.a.pop(R12);
        self.a.pop(RBX);
        self.a.ret();
    }

    /// A jump to a new stub for a check failing at `pc` with `sp` slots stored.
    fn fail_if(&mut self, c: Cond, fail: Fail, pc: u32, sp: usize) {
        let label = self.a.label();
        self.a.jcc(c, label);
        self.stubs.push(Stub { label, fail, pc, sp: sp as u32 });
    }

    /// `exec` for the instruction at `pc` with `sp` slots in use; leaves
    /// with its status unless it is 0 (or always, with `noreturn`).
    fn exec(&mut self, pc: u32, sp: usize, noreturn: bool) {
        self.a.mov(RDI, CTX);
        self.a.mov_imm(RSI, i64::from(pc));
        self.a.mov_imm(RDX, sp as i64);
        self.a.mov_imm(RAX, self.h.exec as i64);
        self.a.call(RAX);
        if noreturn {
            self.a.jmp(self.exit);
            return;
        }
        self.a.test(W::D32, RAX, RAX);
        self.a.jcc(Cond::Ne, self.exit);
        self.reload_fp();
    }

    /// `rax` = the address of the object in slot `i` (null: to a stub).
    fn object(&mut self, i: usize, fail: Fail, pc: u32, sp: usize) {
        self.a.load(W::D32, RAX, self.slot(i));
        self.a.test(W::D32, RAX, RAX);
        self.fail_if(Cond::E, fail, pc, sp);
        self.a.load(W::Q64, RDX, mem(CTX, JitContext::HEAP_BASE));
        self.a.alu(W::Q64, Alu::Add, RAX, RDX);
    }

    /// Null and bounds checks of the array in slot `arr` at the index in
    /// slot `arr + 1`: `rax` the array's address, `rcx` the index.
    fn array(&mut self, arr: usize, pc: u32, sp: usize) {
        self.a.load(W::D32, RCX, self.slot(arr + 1));
        self.object(arr, Fail::NullArray, pc, sp);
        self.a.cmp_mem(W::D32, RCX, mem(RAX, layout::ARRAY_LENGTH));
        self.fail_if(Cond::Ae, Fail::Bounds, pc, sp);
    }

    /// Copies slot `from` to slot `to`.
    fn copy(&mut self, from: usize, to: usize) {
        self.a.load(W::Q64, RAX, self.slot(from));
        self.a.store(W::Q64, self.slot(to), RAX);
    }

    fn constant(&mut self, to: usize, v: i64) {
        if let Ok(v32) = i32::try_from(v) {
            self.a.store_imm(W::Q64, self.slot(to), v32);
        } else {
            self.a.mov_imm(RAX, v);
            self.a.store(W::Q64, self.slot(to), RAX);
        }
    }

    /// `eax` narrowed to a field's type, as the optimizing tier stores it.
    fn narrow(&mut self, size: u32, signed: bool, boolean: bool) {
        match (size, signed, boolean) {
            (1, _, true) => self.a.alu_imm(W::D32, Alu::And, RAX, 1),
            (1, _, false) => self.a.sext8(RAX, RAX),
            (2, true, _) => self.a.sext16(RAX, RAX),
            (2, false, _) => self.a.zext16(RAX, RAX),
            _ => {}
        }
    }

    fn insn(
        &mut self,
        env: &CompileEnv<'_>,
        m: &MethodData<'_>,
        insns: &Instructions,
        insn: &Insn,
        depth: usize,
    ) -> Result<(), Decline> {
        let o = insn.opcode;
        let pc = insn.pc as u32;
        let t = self.ml + depth;
        let local = match insn.operands {
            Operands::Local(n) => usize::from(n),
            _ => 0,
        };
        let target = |x: i64| -> Result<usize, Decline> {
            insns.position(x as usize).ok_or_else(|| Decline::new("bad branch target"))
        };
        match o {
            op::NOP | op::POP | op::POP2 => {}
            op::ACONST_NULL => self.constant(t, 0),
            // Zero-extended, as the interpreter writes ints.
            op::ICONST_M1..=op::ICONST_5 => {
                self.constant(t, i64::from((i32::from(o) - i32::from(op::ICONST_0)) as u32))
            }
            op::LCONST_0 | op::LCONST_1 => self.constant(t, i64::from(o - op::LCONST_0)),
            op::FCONST_0..=op::FCONST_2 => self.constant(t, i64::from(f32::from(o - op::FCONST_0).to_bits())),
            op::DCONST_0 | op::DCONST_1 => self.constant(t, f64::from(o - op::DCONST_0).to_bits() as i64),
            op::BIPUSH | op::SIPUSH => {
                let Operands::Immediate(v) = insn.operands else { return Err(Decline::new("push")) };
                self.constant(t, i64::from(v as u32));
            }
            op::LDC | op::LDC_W | op::LDC2_W => {
                let Operands::Cp(idx) = insn.operands else { return Err(Decline::new("ldc")) };
                match env.constant(m.class, idx) {
                    Some(Constant::Int(v)) => self.constant(t, i64::from(v as u32)),
                    Some(Constant::Float(f)) => self.constant(t, i64::from(f.to_bits())),
                    Some(Constant::Long(v)) => self.constant(t, v),
                    Some(Constant::Double(d)) => self.constant(t, d.to_bits() as i64),
                    Some(Constant::InternedString(ix)) => {
                        let disp =
                            i32::try_from(u64::from(ix) * 4).map_err(|_| Decline::new("string table too large"))?;
                        self.a.load(W::Q64, RAX, mem(CTX, JitContext::STRINGS));
                        self.a.load(W::D32, RAX, mem(RAX, disp));
                        self.a.store(W::Q64, self.slot(t), RAX);
                    }
                    Some(Constant::String | Constant::OtherRef) => self.exec(pc, t, false),
                    None => return Err(Decline::new("unsupported constant")),
                }
            }
            op::ILOAD..=op::ALOAD => self.copy(local, t),
            op::ILOAD_0..=op::ALOAD_3 => self.copy(usize::from((o - op::ILOAD_0) % 4), t),
            op::ISTORE | op::FSTORE | op::ASTORE => self.copy(t - 1, local),
            op::LSTORE | op::DSTORE => self.copy(t - 2, local),
            op::ISTORE_0..=op::ASTORE_3 => {
                let n = usize::from((o - op::ISTORE_0) % 4);
                let wide = matches!((o - op::ISTORE_0) / 4, 1 | 3);
                self.copy(if wide { t - 2 } else { t - 1 }, n);
            }
            op::IALOAD..=op::SALOAD => {
                self.array(t - 2, pc, t);
                let e = |scale: u8| mem_index(RAX, RCX, scale, layout::ARRAY_HEADER);
                match o {
                    op::LALOAD | op::DALOAD => self.a.load(W::Q64, RDX, e(8)),
                    op::BALOAD => self.a.load8s(RDX, e(1)),
                    op::CALOAD => self.a.load16u(RDX, e(2)),
                    op::SALOAD => self.a.load16s(RDX, e(2)),
                    _ => self.a.load(W::D32, RDX, e(4)),
                }
                self.a.store(W::Q64, self.slot(t - 2), RDX);
            }
            op::AASTORE => self.exec(pc, t, false),
            op::IASTORE..=op::SASTORE => {
                let wide = matches!(o, op::LASTORE | op::DASTORE);
                let arr = if wide { t - 4 } else { t - 3 };
                self.array(arr, pc, t);
                let v = self.slot(arr + 2);
                let e = |scale: u8| mem_index(RAX, RCX, scale, layout::ARRAY_HEADER);
                match o {
                    op::LASTORE | op::DASTORE => {
                        self.a.load(W::Q64, RDX, v);
                        self.a.store(W::Q64, e(8), RDX);
                    }
                    op::BASTORE => {
                        // boolean[] keeps bit 0 only.
                        self.a.load(W::D32, RDX, v);
                        self.a.load(W::D32, RSI, mem(RAX, 4));
                        self.a.alu_imm(W::D32, Alu::And, RSI, 0xF << layout::KIND_SHIFT);
                        self.a.alu_imm(W::D32, Alu::Cmp, RSI, (layout::KIND_BOOLEAN << layout::KIND_SHIFT) as i32);
                        let store = self.a.label();
                        self.a.jcc(Cond::Ne, store);
                        self.a.alu_imm(W::D32, Alu::And, RDX, 1);
                        self.a.bind(store);
                        self.a.store8(e(1), RDX);
                    }
                    op::CASTORE | op::SASTORE => {
                        self.a.load(W::D32, RDX, v);
                        self.a.store16(e(2), RDX);
                    }
                    _ => {
                        self.a.load(W::D32, RDX, v);
                        self.a.store(W::D32, e(4), RDX);
                    }
                }
            }
            op::DUP..=op::SWAP => {
                // Slot by slot (a long or double is two slots).
                let (n, out): (usize, &[usize]) = match o {
                    op::DUP => (1, &[0, 0]),
                    op::DUP_X1 => (2, &[1, 0, 1]),
                    op::DUP_X2 => (3, &[2, 0, 1, 2]),
                    op::DUP2 => (2, &[0, 1, 0, 1]),
                    op::DUP2_X1 => (3, &[1, 2, 0, 1, 2]),
                    op::DUP2_X2 => (4, &[2, 3, 0, 1, 2, 3]),
                    _ => (2, &[1, 0]),
                };
                let regs = [RAX, RCX, RDX, RSI];
                let base = t - n;
                for (k, &r) in regs.iter().enumerate().take(n) {
                    self.a.load(W::Q64, r, self.slot(base + k));
                }
                for (k, &from) in out.iter().enumerate() {
                    self.a.store(W::Q64, self.slot(base + k), regs[from]);
                }
            }
            op::IADD | op::ISUB | op::IMUL | op::IAND | op::IOR | op::IXOR => self.binary(o, W::D32, t - 2, t - 1),
            op::LADD | op::LSUB | op::LMUL | op::LAND | op::LOR | op::LXOR => self.binary(o, W::Q64, t - 4, t - 2),
            op::IDIV | op::IREM => self.divide(o == op::IREM, W::D32, t - 2, t - 1, pc, t),
            op::LDIV | op::LREM => self.divide(o == op::LREM, W::Q64, t - 4, t - 2, pc, t),
            op::ISHL | op::ISHR | op::IUSHR => self.shift(o, W::D32, t - 2, t - 1),
            op::LSHL | op::LSHR | op::LUSHR => self.shift(o, W::Q64, t - 3, t - 1),
            op::INEG | op::LNEG => {
                let (w, i) = if o == op::INEG { (W::D32, t - 1) } else { (W::Q64, t - 2) };
                self.a.load(w, RAX, self.slot(i));
                self.a.neg(w, RAX);
                self.a.store(W::Q64, self.slot(i), RAX);
            }
            op::IINC => {
                let Operands::Iinc { index, delta } = insn.operands else { return Err(Decline::new("iinc")) };
                self.a.alu_mem_imm(W::D32, Alu::Add, self.slot(usize::from(index)), i32::from(delta));
            }
            op::I2L => {
                self.a.load32s(RAX, self.slot(t - 1));
                self.a.store(W::Q64, self.slot(t - 1), RAX);
            }
            op::L2I => {
                self.a.load(W::D32, RAX, self.slot(t - 2));
                self.a.store(W::Q64, self.slot(t - 2), RAX);
            }
            op::I2B | op::I2C | op::I2S => {
                self.a.load(W::D32, RAX, self.slot(t - 1));
                match o {
                    op::I2B => self.a.sext8(RAX, RAX),
                    op::I2C => self.a.zext16(RAX, RAX),
                    _ => self.a.sext16(RAX, RAX),
                }
                self.a.store(W::Q64, self.slot(t - 1), RAX);
            }
            op::LCMP => {
                self.a.mov_imm(RDX, 0);
                self.a.mov_imm(RSI, 0);
                self.a.load(W::Q64, RAX, self.slot(t - 4));
                self.a.load(W::Q64, RCX, self.slot(t - 2));
                self.a.alu(W::Q64, Alu::Cmp, RAX, RCX);
                self.a.setcc(Cond::G, RDX);
                self.a.setcc(Cond::L, RSI);
                self.a.alu(W::D32, Alu::Sub, RDX, RSI);
                self.a.store(W::Q64, self.slot(t - 4), RDX);
            }
            op::IFEQ..=op::IFLE | op::IFNULL | op::IFNONNULL => {
                let Operands::Branch(x) = insn.operands else { return Err(Decline::new("branch")) };
                self.a.alu_mem_imm(W::D32, Alu::Cmp, self.slot(t - 1), 0);
                let l = self.labels[target(x)?];
                self.a.jcc(cond_of(o), l);
            }
            op::IF_ICMPEQ..=op::IF_ACMPNE => {
                let Operands::Branch(x) = insn.operands else { return Err(Decline::new("branch")) };
                self.a.load(W::D32, RAX, self.slot(t - 2));
                self.a.cmp_mem(W::D32, RAX, self.slot(t - 1));
                let l = self.labels[target(x)?];
                self.a.jcc(cond_of(o), l);
            }
            op::GOTO | op::GOTO_W => {
                let Operands::Branch(x) = insn.operands else { return Err(Decline::new("goto")) };
                let l = self.labels[target(x)?];
                self.a.jmp(l);
            }
            op::TABLESWITCH | op::LOOKUPSWITCH => {
                let (default, cases): (i64, Vec<(i32, i64)>) = match &insn.operands {
                    Operands::TableSwitch { default, low, targets, .. } => {
                        (*default, targets.iter().enumerate().map(|(k, &x)| (low.wrapping_add(k as i32), x)).collect())
                    }
                    Operands::LookupSwitch { default, pairs } => (*default, pairs.clone()),
                    _ => return Err(Decline::new("switch")),
                };
                self.a.load(W::D32, RAX, self.slot(t - 1));
                for (key, x) in cases {
                    self.a.alu_imm(W::D32, Alu::Cmp, RAX, key);
                    let l = self.labels[target(x)?];
                    self.a.jcc(Cond::E, l);
                }
                let l = self.labels[target(default)?];
                self.a.jmp(l);
            }
            op::IRETURN..=op::RETURN => {
                match o {
                    op::RETURN => {}
                    op::LRETURN | op::DRETURN => self.copy(t - 2, 0),
                    _ => self.copy(t - 1, 0),
                }
                self.a.mov_imm(RAX, 0);
                self.a.jmp(self.exit);
            }
            op::GETSTATIC | op::PUTSTATIC | op::GETFIELD | op::PUTFIELD => self.field(env, m, insn, t)?,
            op::ARRAYLENGTH => {
                self.object(t - 1, Fail::Plain, pc, t);
                self.a.load(W::D32, RAX, mem(RAX, layout::ARRAY_LENGTH));
                self.a.store(W::Q64, self.slot(t - 1), RAX);
            }
            op::ATHROW => self.exec(pc, t, true),
            op::INVOKEVIRTUAL..=op::INVOKEDYNAMIC
            | op::NEW
            | op::NEWARRAY
            | op::ANEWARRAY
            | op::MULTIANEWARRAY
            | op::CHECKCAST
            | op::INSTANCEOF
            | op::MONITORENTER
            | op::MONITOREXIT => self.exec(pc, t, false),
            _ => return Err(Decline::new(format!("no template for {}", pd_jvm::verify::insn::mnemonic(o)))),
        }
        Ok(())
    }

    /// `a op b` into slot `a`.
    fn binary(&mut self, o: u8, w: W, a: usize, b: usize) {
        self.a.load(w, RAX, self.slot(a));
        self.a.load(w, RCX, self.slot(b));
        match o {
            op::IMUL | op::LMUL => self.a.imul(w, RAX, RCX),
            _ => {
                let alu = match o {
                    op::IADD | op::LADD => Alu::Add,
                    op::ISUB | op::LSUB => Alu::Sub,
                    op::IAND | op::LAND => Alu::And,
                    op::IOR | op::LOR => Alu::Or,
                    _ => Alu::Xor,
                };
                self.a.alu(w, alu, RAX, RCX);
            }
        }
        self.a.store(W::Q64, self.slot(a), RAX);
    }

    /// `a / b` or `a % b` into slot `a`, Java's way: a zero divisor
    /// throws, and `MIN / -1` (which faults on x86) is `MIN`, `MIN % -1` 0.
    fn divide(&mut self, rem: bool, w: W, a: usize, b: usize, pc: u32, sp: usize) {
        self.a.load(w, RAX, self.slot(a));
        self.a.load(w, RCX, self.slot(b));
        self.a.test(w, RCX, RCX);
        self.fail_if(Cond::E, Fail::Plain, pc, sp);
        let general = self.a.label();
        let done = self.a.label();
        self.a.alu_imm(w, Alu::Cmp, RCX, -1);
        self.a.jcc(Cond::Ne, general);
        if rem {
            self.a.mov_imm(RAX, 0);
        } else {
            self.a.neg(w, RAX);
        }
        self.a.jmp(done);
        self.a.bind(general);
        self.a.sign_extend_and_idiv(w, RCX);
        if rem {
            self.a.mov(RAX, RDX);
        }
        self.a.bind(done);
        self.a.store(W::Q64, self.slot(a), RAX);
    }

    /// Shifts the value in slot `v` by the int in slot `n` (x86 masks the
    /// count as Java does: 5 bits for int, 6 for long).
    fn shift(&mut self, o: u8, w: W, v: usize, n: usize) {
        self.a.load(w, RAX, self.slot(v));
        self.a.load(W::D32, RCX, self.slot(n));
        let s = match o {
            op::ISHL | op::LSHL => Shift::Shl,
            op::ISHR | op::LSHR => Shift::Sar,
            _ => Shift::Shr,
        };
        self.a.shift_cl(w, s, RAX);
        self.a.store(W::Q64, self.slot(v), RAX);
    }

    fn field(&mut self, env: &CompileEnv<'_>, m: &MethodData<'_>, insn: &Insn, t: usize) -> Result<(), Decline> {
        let o = insn.opcode;
        let pc = insn.pc as u32;
        let Operands::Cp(cp) = insn.operands else { return Err(Decline::new("field")) };
        let is_static = matches!(o, op::GETSTATIC | op::PUTSTATIC);
        let put = matches!(o, op::PUTSTATIC | op::PUTFIELD);
        let f = env.field(m.class, cp, is_static, put).ok_or_else(|| Decline::new("bad field"))?;
        let k = K::from_slot(f.kind);
        let vslots = if k.wide() { 2 } else { 1 };
        let Some(off) = f.fast_offset else {
            self.exec(pc, t, false);
            return Ok(());
        };
        if is_static {
            let (table, scale) = if k == K::R { (JitContext::STATIC_REFS, 4) } else { (JitContext::STATIC_PRIMS, 8) };
            let disp = i32::try_from(i64::from(off) * scale).map_err(|_| Decline::new("static index"))?;
            self.a.load(W::Q64, RCX, mem(CTX, table));
            let at = mem(RCX, disp);
            if put {
                let v = self.slot(t - vslots);
                match k {
                    K::R => {
                        self.a.load(W::D32, RAX, v);
                        self.a.store(W::D32, at, RAX);
                    }
                    K::L | K::D => {
                        self.a.load(W::Q64, RAX, v);
                        self.a.store(W::Q64, at, RAX);
                    }
                    _ => {
                        // Zero-extended, as the other tiers store it.
                        self.a.load(W::D32, RAX, v);
                        if k == K::I {
                            self.narrow(f.size, f.signed, f.boolean);
                        }
                        self.a.store(W::Q64, at, RAX);
                    }
                }
            } else {
                let w = if k.wide() { W::Q64 } else { W::D32 };
                self.a.load(w, RAX, at);
                self.a.store(W::Q64, self.slot(t), RAX);
            }
            return Ok(());
        }
        let disp = layout::INSTANCE_HEADER + off as i32;
        let at = mem(RAX, disp);
        if put {
            let obj = t - vslots - 1;
            self.object(obj, Fail::Plain, pc, t);
            let v = self.slot(t - vslots);
            match f.size {
                1 => {
                    self.a.load(W::D32, RDX, v);
                    if f.boolean {
                        self.a.alu_imm(W::D32, Alu::And, RDX, 1);
                    }
                    self.a.store8(at, RDX);
                }
                2 => {
                    self.a.load(W::D32, RDX, v);
                    self.a.store16(at, RDX);
                }
                8 => {
                    self.a.load(W::Q64, RDX, v);
                    self.a.store(W::Q64, at, RDX);
                }
                _ => {
                    self.a.load(W::D32, RDX, v);
                    self.a.store(W::D32, at, RDX);
                }
            }
        } else {
            self.object(t - 1, Fail::Plain, pc, t);
            match (f.size, f.signed) {
                (1, _) => self.a.load8s(RDX, at),
                (2, true) => self.a.load16s(RDX, at),
                (2, false) => self.a.load16u(RDX, at),
                (8, _) => self.a.load(W::Q64, RDX, at),
                _ => self.a.load(W::D32, RDX, at),
            }
            self.a.store(W::Q64, self.slot(t - 1), RDX);
        }
        Ok(())
    }
}
