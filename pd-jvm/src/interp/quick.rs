//! The interpreter's pre-decoded code: one 8-byte [`Insn`] per bytecode
//! offset, built from the verified bytecode the first time a method runs
//! (`Code::quick`) and rewritten in place as instructions resolve.
//!
//! # Design, and why
//!
//! * **Indexed by bytecode offset.** Slot `pc` holds the instruction that
//!   starts at `pc` (other slots are never executed). So the interpreter's
//!   pc *is* the bytecode pc: frame records, exception tables, line
//!   numbers, stack traces and the collector's reference maps (which are
//!   per bytecode pc) need no mapping, and `code.bytes` stays the original
//!   bytecode for everything that reads it.
//! * **Operands decoded once.** Every instruction carries its length (the
//!   distance to the next one), and at most a 16-bit and a 32-bit operand:
//!   local indices (the `_n`, plain and `wide` forms are one operation),
//!   constants, branch offsets. Typed variants that behave alike on
//!   untyped 64-bit slots (`iload`/`fload`/`aload`, `ireturn`/`areturn`,
//!   ...) are one operation.
//! * **Quickening.** Instructions that resolve a constant-pool entry run
//!   their generic form once; when that succeeds (and the class is
//!   initialized, where that matters) the interpreter rewrites the slot to
//!   a quick form with the result inline: a field's offset and width, a
//!   vtable index, the selected method, the class to instantiate. Re-doing
//!   resolution would give the same answer (JVMS 5.4.3), so this is only a
//!   cache; failures are never cached here (the pool entry remembers them).
//!   Quickening is per instruction, not per pool entry, so a check that
//!   depends on the using method (final fields) is made for each site.
//! * **Superinstructions.** Common javac idioms are fused into one
//!   instruction at the offset of their first part: loop tests on two
//!   locals or a local and a constant, and the `goto` (or `iinc; goto`)
//!   back to them; array elements and fields loaded from locals; int
//!   operations on a constant or a local; `lcmp` with its branch; constant
//!   array stores; compound assignments (`a[i] += v`, `o.f += v`, and
//!   `o.f += k` on a local's int or long field, as `this.n++`). The
//!   instructions after the first keep their own slots, so a branch into
//!   the middle of an idiom runs exactly what it did before. A fused
//!   instruction touches no slot the original instructions would not, and
//!   one that fails in a later part reports that part's pc, with the
//!   operand stack as that part sees it minus the operands it consumed,
//!   which is what the collector and handler search expect (interp/gc.rs).
//!   The budget counts the same back edges: a fused branch's offset is
//!   re-based to the fused instruction only if that keeps "offset <= 0"
//!   meaning "the original branch went backwards".
//! * **Opcode space.** Operations are one byte; the enumeration below
//!   must stay under 256 (checked at compile time).

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::Cell;

use super::ops::{be_i32, be_u16, insn_len};
use crate::runtime::class::CpEntry;
use crate::verify::insn::op;

/// One decoded instruction: operation (8 bits), length in bytes (8 bits),
/// operand `b` (16 bits), operand `c` (32 bits), packed into a word so a
/// dispatch is one load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(transparent)]
pub struct Insn(u64);

impl Insn {
    #[inline(always)]
    pub(crate) const fn new(op: u8, len: usize, b: u16, c: u32) -> Insn {
        let len = if len > 255 { 255 } else { len };
        Insn(op as u64 | (len as u64) << 8 | (b as u64) << 16 | (c as u64) << 32)
    }
    #[inline(always)]
    pub(crate) fn op(self) -> u8 {
        self.0 as u8
    }
    /// Distance to the next instruction.
    #[inline(always)]
    pub(crate) fn len(self) -> usize {
        (self.0 >> 8) as u8 as usize
    }
    #[inline(always)]
    pub(crate) fn b(self) -> usize {
        (self.0 >> 16) as u16 as usize
    }
    /// Low and high byte of `b` (two local indices of a fused instruction).
    #[inline(always)]
    pub(crate) fn b0(self) -> usize {
        (self.0 >> 16) as u8 as usize
    }
    #[inline(always)]
    pub(crate) fn b1(self) -> usize {
        (self.0 >> 24) as u8 as usize
    }
    #[inline(always)]
    pub(crate) fn c(self) -> u32 {
        (self.0 >> 32) as u32
    }
    /// `c` as a branch offset (relative to this instruction).
    #[inline(always)]
    pub(crate) fn rel(self) -> isize {
        (self.0 >> 32) as u32 as i32 as isize
    }
    /// Low half of `c` as a branch offset (of a fused instruction) and
    /// high half (its 16-bit signed constant).
    #[inline(always)]
    pub(crate) fn rel_lo(self) -> isize {
        (self.0 >> 32) as u16 as i16 as isize
    }
    #[inline(always)]
    pub(crate) fn c_hi(self) -> i32 {
        i32::from((self.0 >> 48) as u16 as i16)
    }
    /// The same instruction as operation `op` with operand `c`.
    #[inline]
    pub(crate) fn with(self, op: u8, c: u32) -> Insn {
        Insn::new(op, self.len(), self.b() as u16, c)
    }

    /// What a slot inside an instruction's bytes holds (never run).
    pub(crate) const INSIDE: Insn = Insn::new(q::INVALID, 1, 0, 0);

    /// A `TWIN` site's operand cache: its quick twin's address, kept in
    /// the slot after the `TWIN` (an invoke's second byte: a slot no
    /// branch or dispatch reaches), so the fast loop calls it with one
    /// load instead of looking up the method.
    #[inline]
    pub(crate) fn twin_cache(f: crate::runtime::twin::QuickTwinFn) -> Insn {
        Insn(f as usize as u64)
    }

    /// The quick twin [`Insn::twin_cache`] holds.
    ///
    /// # Safety
    /// `self` was made by [`Insn::twin_cache`].
    #[inline(always)]
    pub(crate) unsafe fn cached_twin(self) -> crate::runtime::twin::QuickTwinFn {
        // SAFETY: the bits of a function pointer (the caller's promise).
        unsafe { core::mem::transmute::<usize, crate::runtime::twin::QuickTwinFn>(self.0 as usize) }
    }
}

macro_rules! quick_ops {
    ($($name:ident),* $(,)?) => {
        /// Operations of [`Insn`] (not JVM opcodes).
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u8)]
        enum Ix { $($name),* }
        pub(crate) mod q {
            $(pub(crate) const $name: u8 = super::Ix::$name as u8;)*
        }
        const _: () = assert!([$(Ix::$name),*].len() <= 256);
    };
}

quick_ops! {
    // Not an instruction start, or an instruction the verifier rejects.
    INVALID, NOP,
    // Constants. CONST pushes `c` (int/float bits, null); LCONST `c` as a
    // sign-extended long; DCONST the f32 with bits `c` as a double.
    CONST, LCONST, DCONST, LDC, LDC_STR, LDC2,
    // Locals (`b` = index); one- and two-slot.
    LOAD, LOAD2, STORE, STORE2, IINC,
    IALOAD, LALOAD, FALOAD, DALOAD, AALOAD, BALOAD, CALOAD, SALOAD,
    IASTORE, LASTORE, FASTORE, DASTORE, AASTORE, BASTORE, CASTORE, SASTORE,
    POP, POP2, DUP, DUP_X1, DUP_X2, DUP2, DUP2_X1, DUP2_X2, SWAP,
    IADD, LADD, FADD, DADD, ISUB, LSUB, FSUB, DSUB, IMUL, LMUL, FMUL, DMUL,
    IDIV, LDIV, FDIV, DDIV, IREM, LREM, FREM, DREM, INEG, LNEG, FNEG, DNEG,
    ISHL, LSHL, ISHR, LSHR, IUSHR, LUSHR, IAND, LAND, IOR, LOR, IXOR, LXOR,
    I2L, I2F, I2D, L2I, L2F, L2D, F2I, F2L, F2D, D2I, D2L, D2F, I2B, I2C, I2S,
    LCMP, FCMPL, FCMPG, DCMPL, DCMPG,
    // Branches: `c` = offset from this instruction.
    IFEQ, IFNE, IFLT, IFGE, IFGT, IFLE,
    IF_ICMPEQ, IF_ICMPNE, IF_ICMPLT, IF_ICMPGE, IF_ICMPGT, IF_ICMPLE,
    IF_ACMPEQ, IF_ACMPNE, IFNULL, IFNONNULL, GOTO, TABLESWITCH, LOOKUPSWITCH,
    RETURN0, RETURN1, RETURN2,
    // Generic forms: `b` = constant-pool index.
    GETSTATIC, PUTSTATIC, GETFIELD, PUTFIELD,
    INVOKEVIRTUAL, INVOKESPECIAL, INVOKESTATIC, INVOKEINTERFACE, INVOKEDYNAMIC,
    NEW, ANEWARRAY, MULTIANEWARRAY, CHECKCAST, INSTANCEOF,
    // `b` = atype.
    NEWARRAY,
    ARRAYLENGTH, ATHROW, MONITORENTER, MONITOREXIT,
    // Quick forms. Statics: `c` = index into static_prims/static_refs;
    // PUTSTATIC_P narrows to the kind in `b` (see `narrow_kind`).
    GETSTATIC_P, GETSTATIC_P2, GETSTATIC_A, PUTSTATIC_P, PUTSTATIC_P2, PUTSTATIC_A,
    // Instance fields: `c` = byte offset. I covers int and float, J long
    // and double (the bits are the same).
    GETFIELD_I, GETFIELD_J, GETFIELD_A, GETFIELD_B, GETFIELD_C, GETFIELD_S,
    PUTFIELD_I, PUTFIELD_J, PUTFIELD_A, PUTFIELD_Z, PUTFIELD_B, PUTFIELD_C, PUTFIELD_S,
    // `b` = argument slots (receiver included); VT: `c` = vtable index;
    // DIRECT (receiver null-checked) and STATIC: `c` = the method; IFACE:
    // `c` = the resolved interface method (selected through the class's
    // interface dispatch cache).
    INVOKE_VT, INVOKE_DIRECT, INVOKE_STATIC, INVOKE_IFACE,
    // `c` = the class (initialized, instantiable / resolved).
    NEW_Q, CHECKCAST_Q, INSTANCEOF_Q,
    // Superinstructions (see the module docs). Locals in b0/b1.
    // LL: two one-slot loads.
    LL,
    // Two loads and an int compare-and-branch (`c` = offset).
    LL_IF_ICMPEQ, LL_IF_ICMPNE, LL_IF_ICMPLT, LL_IF_ICMPGE, LL_IF_ICMPGT, LL_IF_ICMPLE,
    // A load, a constant (c_hi) and an int compare-and-branch (c_lo = offset).
    LC_IF_ICMPEQ, LC_IF_ICMPNE, LC_IF_ICMPLT, LC_IF_ICMPGE, LC_IF_ICMPGT, LC_IF_ICMPLE,
    // Array (b0) and index (b1) from locals, then the element load.
    // (The heap checks the element type: float[] and double[] have their own.)
    LL_IALOAD, LL_LALOAD, LL_FALOAD, LL_DALOAD, LL_AALOAD, LL_BALOAD, LL_CALOAD, LL_SALOAD,
    // `iinc b, c_hi` then `goto` (c_lo = offset).
    IINC_GOTO,
    // `aload b` then `getfield`: generic until the getfield has quickened,
    // then with the offset in `c`.
    ALOAD_GETFIELD, ALOAD_GETFIELD_I, ALOAD_GETFIELD_J, ALOAD_GETFIELD_A,
    ALOAD_GETFIELD_B, ALOAD_GETFIELD_C, ALOAD_GETFIELD_S,
    // An int operation with a constant second operand (`c`): `iconst`,
    // `bipush`, `sipush` or `ldc` then the operation.
    C_IADD, C_ISUB, C_IMUL, C_IAND, C_IOR, C_IXOR, C_ISHL, C_ISHR, C_IUSHR,
    // An int operation with a local second operand (`b`).
    L_IADD, L_ISUB, L_IMUL, L_IAND, L_IOR, L_IXOR,
    // An int operation on two locals (b0, b1), pushing the result, or with
    // `c` != NO_STORE storing it to local `c` (a following `istore`).
    LL_IADD, LL_ISUB, LL_IMUL, LL_IAND, LL_IOR, LL_IXOR,
    // `lcmp` then `ifeq`..`ifle` (`c` = offset).
    LCMP_IFEQ, LCMP_IFNE, LCMP_IFLT, LCMP_IFGE, LCMP_IFGT, LCMP_IFLE,
    // A one-slot store to b0, then a one-slot load of b1.
    STORE_LOAD,
    // A constant (`c`) stored into an int[] / byte[] or boolean[] element.
    C_IASTORE, C_BASTORE,
    // Compound assignments: `dup2; iaload` (`a[i] op= v`), and `dup;
    // getfield` (`o.f op= v`), generic until the getfield has quickened to
    // an int field (`c` = offset), else a plain `dup`.
    DUP2_IALOAD, DUP_GETFIELD, DUP_GETFIELD_I,
    // `aload_<n>; dup; getfield f; <constant k>; iadd|isub|ladd|lsub;
    // putfield f` (`o.f += k`, `o.f++`): local b0, k in b1 (a signed byte,
    // negated for a subtraction). Generic until both field accesses have
    // quickened, then INT or LONG with the field's offset in `c`.
    ALOAD_FIELD_INC, ALOAD_FIELD_INC_I, ALOAD_FIELD_INC_J,
    // Loop back edges: a `goto` (or `iinc; goto`) back to a loop test
    // (LL_IF_ICMPxx / LC_IF_ICMPxx) whose exit target is the instruction
    // right after the goto, as javac lays loops out. The back edge is
    // counted, the test evaluated in place: if it exits, fall through,
    // else branch to the first instruction after the test. The suffix is
    // the test's exit condition. LOOP_LL: locals b0, b1, `c` = offset.
    LOOP_LL_EQ, LOOP_LL_NE, LOOP_LL_LT, LOOP_LL_GE, LOOP_LL_GT, LOOP_LL_LE,
    // Local `b`, constant c_hi, offset c_lo.
    LOOP_LC_EQ, LOOP_LC_NE, LOOP_LC_LT, LOOP_LC_GE, LOOP_LC_GT, LOOP_LC_LE,
    // `iinc b0, c_hi` first; locals b0, b1; offset c_lo.
    IINC_LOOP_LL_EQ, IINC_LOOP_LL_NE, IINC_LOOP_LL_LT, IINC_LOOP_LL_GE, IINC_LOOP_LL_GT, IINC_LOOP_LL_LE,
    // `iinc b0, b1 (signed byte)` first; local b0, constant c_hi, offset c_lo.
    IINC_LOOP_LC_EQ, IINC_LOOP_LC_NE, IINC_LOOP_LC_LT, IINC_LOOP_LC_GE, IINC_LOOP_LC_GT, IINC_LOOP_LC_LE,
    // An `invokestatic` of a raw memory native (runtime/raw.rs), done in
    // place: `b` = its `RawAccess::code`. No budget tick (no loop, no call).
    RAW,
    // An `invokestatic` of `System.nanoTime` where the VM has a clock: the
    // clock read in place (no frame; no budget tick, as compiled code).
    CLOCK,
    // A call of a method with a quick twin (runtime/twin.rs), otherwise
    // as INVOKE_DIRECT (`b` = argument slots, `c` = the method): the fast
    // loop calls the twin in place (never quickened with tiering on). The
    // twin's address is in the next slot, inside the invoke's bytes (never
    // an instruction): [`Insn::twin_cache`].
    TWIN,
    // Not an operation: the first unused value.
    LAST,
}

/// Decodes verified bytecode. `cp` is the class's runtime constant pool
/// (only its immutable numeric constants are read).
pub(crate) fn decode(bytes: &[u8], cp: &[CpEntry]) -> Box<[Cell<Insn>]> {
    let mut out: Vec<Insn> = vec![Insn::INSIDE; bytes.len()];
    let mut starts: Vec<usize> = Vec::new();
    let mut p = 0;
    while p < bytes.len() {
        let len = insn_len(bytes, p);
        if len == 0 || p + len > bytes.len() {
            break;
        }
        out[p] = plain(bytes, p, len, cp);
        starts.push(p);
        p += len;
    }
    for (k, &p) in starts.iter().enumerate() {
        let at = |i: usize| starts.get(k + i).map(|&s| out[s]);
        if let Some(f) = fuse_field_inc([Some(out[p]), at(1), at(2), at(3), at(4), at(5)]) {
            out[p] = f;
        } else if let Some(f) = fuse(out[p], at(1), at(2), at(3)) {
            out[p] = f;
        }
    }
    // Loop back edges, once the loop tests have fused.
    for &p in &starts {
        if let Some(f) = fuse_loop(&out, p) {
            out[p] = f;
        }
    }
    out.into_iter().map(Cell::new).collect()
}

/// The loop back edge at `p` (a `goto`, or an `iinc` fused with one) merged
/// with the loop test it jumps to, if the test exits to just after the goto.
fn fuse_loop(out: &[Insn], p: usize) -> Option<Insn> {
    let x = out[p];
    let (target, iinc) = match x.op() {
        q::GOTO if x.len() == 3 => (p as isize + x.rel(), false),
        q::IINC_GOTO => (p as isize + x.rel_lo(), true),
        _ => return None,
    };
    let end = p + x.len();
    // Only back edges (the fused form always counts one), to a test.
    if target < 0 || target as usize >= p {
        return None;
    }
    let l = target as usize;
    let t = out[l];
    let (ll, exit) = if (q::LL_IF_ICMPEQ..=q::LL_IF_ICMPLE).contains(&t.op()) {
        (true, l as isize + t.rel())
    } else if (q::LC_IF_ICMPEQ..=q::LC_IF_ICMPLE).contains(&t.op()) {
        (false, l as isize + t.rel_lo())
    } else {
        return None;
    };
    if exit != end as isize || l + t.len() > p {
        return None;
    }
    let cmp = if ll { t.op() - q::LL_IF_ICMPEQ } else { t.op() - q::LC_IF_ICMPEQ };
    // To the first instruction after the test: at or before `p`.
    let body = (l + t.len()) as isize - p as isize;
    let body16 = i16::try_from(body).ok()? as u16;
    match (ll, iinc) {
        (true, false) => Some(Insn::new(q::LOOP_LL_EQ + cmp, x.len(), t.b() as u16, body as i32 as u32)),
        (false, false) => {
            let c = u32::from(body16) | (t.c() & 0xffff_0000);
            Some(Insn::new(q::LOOP_LC_EQ + cmp, x.len(), t.b() as u16, c))
        }
        (true, true) if x.b() == t.b0() => {
            let c = u32::from(body16) | (x.c() & 0xffff_0000);
            Some(Insn::new(q::IINC_LOOP_LL_EQ + cmp, x.len(), t.b() as u16, c))
        }
        (false, true) if x.b() == t.b() && i32::from(x.c_hi() as i8) == x.c_hi() => {
            let b = t.b() as u16 | u16::from(x.c_hi() as i8 as u8) << 8;
            let c = u32::from(body16) | (t.c() & 0xffff_0000);
            Some(Insn::new(q::IINC_LOOP_LC_EQ + cmp, x.len(), b, c))
        }
        _ => None,
    }
}

/// The unfused form of the instruction at `p`.
fn plain(bytes: &[u8], p: usize, len: usize, cp: &[CpEntry]) -> Insn {
    let opcode = bytes[p];
    let i = |o: u8, b: usize, c: u32| Insn::new(o, len, b as u16, c);
    let u1 = || usize::from(bytes[p + 1]);
    let u2 = || usize::from(be_u16(bytes, p + 1));
    match opcode {
        op::NOP => i(q::NOP, 0, 0),
        op::ACONST_NULL => i(q::CONST, 0, 0),
        op::ICONST_M1..=op::ICONST_5 => i(q::CONST, 0, (i32::from(opcode) - i32::from(op::ICONST_0)) as u32),
        op::LCONST_0 | op::LCONST_1 => i(q::LCONST, 0, u32::from(opcode - op::LCONST_0)),
        op::FCONST_0..=op::FCONST_2 => i(q::CONST, 0, f32::from(opcode - op::FCONST_0).to_bits()),
        op::DCONST_0 | op::DCONST_1 => i(q::DCONST, 0, f32::from(opcode - op::DCONST_0).to_bits()),
        op::BIPUSH => i(q::CONST, 0, i32::from(bytes[p + 1] as i8) as u32),
        op::SIPUSH => i(q::CONST, 0, i32::from(be_u16(bytes, p + 1) as i16) as u32),
        op::LDC | op::LDC_W => {
            let idx = if opcode == op::LDC { u1() } else { u2() };
            match cp.get(idx) {
                Some(CpEntry::Int(v)) => i(q::CONST, 0, *v as u32),
                Some(CpEntry::Float(f)) => i(q::CONST, 0, f.to_bits()),
                _ => i(q::LDC, idx, 0),
            }
        }
        op::LDC2_W => match cp.get(u2()) {
            Some(&CpEntry::Long(v)) if i64::from(v as i32) == v => i(q::LCONST, 0, v as i32 as u32),
            Some(&CpEntry::Double(d)) if f64::from(d as f32).to_bits() == d.to_bits() => {
                i(q::DCONST, 0, (d as f32).to_bits())
            }
            _ => i(q::LDC2, u2(), 0),
        },
        op::ILOAD | op::FLOAD | op::ALOAD => i(q::LOAD, u1(), 0),
        op::LLOAD | op::DLOAD => i(q::LOAD2, u1(), 0),
        op::ILOAD_0..=op::ILOAD_3 => i(q::LOAD, usize::from(opcode - op::ILOAD_0), 0),
        op::FLOAD_0..=op::FLOAD_3 => i(q::LOAD, usize::from(opcode - op::FLOAD_0), 0),
        op::ALOAD_0..=op::ALOAD_3 => i(q::LOAD, usize::from(opcode - op::ALOAD_0), 0),
        op::LLOAD_0..=op::LLOAD_3 => i(q::LOAD2, usize::from(opcode - op::LLOAD_0), 0),
        op::DLOAD_0..=op::DLOAD_3 => i(q::LOAD2, usize::from(opcode - op::DLOAD_0), 0),
        op::ISTORE | op::FSTORE | op::ASTORE => i(q::STORE, u1(), 0),
        op::LSTORE | op::DSTORE => i(q::STORE2, u1(), 0),
        op::ISTORE_0..=op::ISTORE_3 => i(q::STORE, usize::from(opcode - op::ISTORE_0), 0),
        op::FSTORE_0..=op::FSTORE_3 => i(q::STORE, usize::from(opcode - op::FSTORE_0), 0),
        op::ASTORE_0..=op::ASTORE_3 => i(q::STORE, usize::from(opcode - op::ASTORE_0), 0),
        op::LSTORE_0..=op::LSTORE_3 => i(q::STORE2, usize::from(opcode - op::LSTORE_0), 0),
        op::DSTORE_0..=op::DSTORE_3 => i(q::STORE2, usize::from(opcode - op::DSTORE_0), 0),
        op::IINC => i(q::IINC, u1(), i32::from(bytes[p + 2] as i8) as u32),
        op::IFEQ..=op::IF_ACMPNE | op::GOTO | op::IFNULL | op::IFNONNULL => {
            let o = match opcode {
                op::IFEQ => q::IFEQ,
                op::IFNE => q::IFNE,
                op::IFLT => q::IFLT,
                op::IFGE => q::IFGE,
                op::IFGT => q::IFGT,
                op::IFLE => q::IFLE,
                op::IF_ICMPEQ => q::IF_ICMPEQ,
                op::IF_ICMPNE => q::IF_ICMPNE,
                op::IF_ICMPLT => q::IF_ICMPLT,
                op::IF_ICMPGE => q::IF_ICMPGE,
                op::IF_ICMPGT => q::IF_ICMPGT,
                op::IF_ICMPLE => q::IF_ICMPLE,
                op::IF_ACMPEQ => q::IF_ACMPEQ,
                op::IF_ACMPNE => q::IF_ACMPNE,
                op::IFNULL => q::IFNULL,
                op::IFNONNULL => q::IFNONNULL,
                _ => q::GOTO,
            };
            i(o, 0, i32::from(be_u16(bytes, p + 1) as i16) as u32)
        }
        op::GOTO_W => i(q::GOTO, 0, be_i32(bytes, p + 1) as u32),
        op::TABLESWITCH => i(q::TABLESWITCH, 0, 0),
        op::LOOKUPSWITCH => i(q::LOOKUPSWITCH, 0, 0),
        op::IRETURN | op::FRETURN | op::ARETURN => i(q::RETURN1, 0, 0),
        op::LRETURN | op::DRETURN => i(q::RETURN2, 0, 0),
        op::RETURN => i(q::RETURN0, 0, 0),
        op::GETSTATIC => i(q::GETSTATIC, u2(), 0),
        op::PUTSTATIC => i(q::PUTSTATIC, u2(), 0),
        op::GETFIELD => i(q::GETFIELD, u2(), 0),
        op::PUTFIELD => i(q::PUTFIELD, u2(), 0),
        op::INVOKEVIRTUAL => i(q::INVOKEVIRTUAL, u2(), 0),
        op::INVOKESPECIAL => i(q::INVOKESPECIAL, u2(), 0),
        op::INVOKESTATIC => i(q::INVOKESTATIC, u2(), 0),
        op::INVOKEINTERFACE => i(q::INVOKEINTERFACE, u2(), 0),
        op::INVOKEDYNAMIC => i(q::INVOKEDYNAMIC, u2(), 0),
        op::NEW => i(q::NEW, u2(), 0),
        op::NEWARRAY => i(q::NEWARRAY, u1(), 0),
        op::ANEWARRAY => i(q::ANEWARRAY, u2(), 0),
        op::MULTIANEWARRAY => i(q::MULTIANEWARRAY, u2(), u32::from(bytes[p + 3])),
        op::CHECKCAST => i(q::CHECKCAST, u2(), 0),
        op::INSTANCEOF => i(q::INSTANCEOF, u2(), 0),
        op::ARRAYLENGTH => i(q::ARRAYLENGTH, 0, 0),
        op::ATHROW => i(q::ATHROW, 0, 0),
        op::MONITORENTER => i(q::MONITORENTER, 0, 0),
        op::MONITOREXIT => i(q::MONITOREXIT, 0, 0),
        op::WIDE => {
            let n = usize::from(be_u16(bytes, p + 2));
            match bytes[p + 1] {
                op::ILOAD | op::FLOAD | op::ALOAD => i(q::LOAD, n, 0),
                op::LLOAD | op::DLOAD => i(q::LOAD2, n, 0),
                op::ISTORE | op::FSTORE | op::ASTORE => i(q::STORE, n, 0),
                op::LSTORE | op::DSTORE => i(q::STORE2, n, 0),
                op::IINC => i(q::IINC, n, i32::from(be_u16(bytes, p + 4) as i16) as u32),
                _ => i(q::INVALID, 0, 0),
            }
        }
        // One-byte instructions whose JVM opcode maps 1:1.
        _ => match simple(opcode) {
            Some(o) => i(o, 0, 0),
            None => i(q::INVALID, 0, 0),
        },
    }
}

fn simple(opcode: u8) -> Option<u8> {
    Some(match opcode {
        op::IALOAD => q::IALOAD,
        op::LALOAD => q::LALOAD,
        op::FALOAD => q::FALOAD,
        op::DALOAD => q::DALOAD,
        op::AALOAD => q::AALOAD,
        op::BALOAD => q::BALOAD,
        op::CALOAD => q::CALOAD,
        op::SALOAD => q::SALOAD,
        op::IASTORE => q::IASTORE,
        op::LASTORE => q::LASTORE,
        op::FASTORE => q::FASTORE,
        op::DASTORE => q::DASTORE,
        op::AASTORE => q::AASTORE,
        op::BASTORE => q::BASTORE,
        op::CASTORE => q::CASTORE,
        op::SASTORE => q::SASTORE,
        op::POP => q::POP,
        op::POP2 => q::POP2,
        op::DUP => q::DUP,
        op::DUP_X1 => q::DUP_X1,
        op::DUP_X2 => q::DUP_X2,
        op::DUP2 => q::DUP2,
        op::DUP2_X1 => q::DUP2_X1,
        op::DUP2_X2 => q::DUP2_X2,
        op::SWAP => q::SWAP,
        op::IADD => q::IADD,
        op::LADD => q::LADD,
        op::FADD => q::FADD,
        op::DADD => q::DADD,
        op::ISUB => q::ISUB,
        op::LSUB => q::LSUB,
        op::FSUB => q::FSUB,
        op::DSUB => q::DSUB,
        op::IMUL => q::IMUL,
        op::LMUL => q::LMUL,
        op::FMUL => q::FMUL,
        op::DMUL => q::DMUL,
        op::IDIV => q::IDIV,
        op::LDIV => q::LDIV,
        op::FDIV => q::FDIV,
        op::DDIV => q::DDIV,
        op::IREM => q::IREM,
        op::LREM => q::LREM,
        op::FREM => q::FREM,
        op::DREM => q::DREM,
        op::INEG => q::INEG,
        op::LNEG => q::LNEG,
        op::FNEG => q::FNEG,
        op::DNEG => q::DNEG,
        op::ISHL => q::ISHL,
        op::LSHL => q::LSHL,
        op::ISHR => q::ISHR,
        op::LSHR => q::LSHR,
        op::IUSHR => q::IUSHR,
        op::LUSHR => q::LUSHR,
        op::IAND => q::IAND,
        op::LAND => q::LAND,
        op::IOR => q::IOR,
        op::LOR => q::LOR,
        op::IXOR => q::IXOR,
        op::LXOR => q::LXOR,
        op::I2L => q::I2L,
        op::I2F => q::I2F,
        op::I2D => q::I2D,
        op::L2I => q::L2I,
        op::L2F => q::L2F,
        op::L2D => q::L2D,
        op::F2I => q::F2I,
        op::F2L => q::F2L,
        op::F2D => q::F2D,
        op::D2I => q::D2I,
        op::D2L => q::D2L,
        op::D2F => q::D2F,
        op::I2B => q::I2B,
        op::I2C => q::I2C,
        op::I2S => q::I2S,
        op::LCMP => q::LCMP,
        op::FCMPL => q::FCMPL,
        op::FCMPG => q::FCMPG,
        op::DCMPL => q::DCMPL,
        op::DCMPG => q::DCMPG,
        _ => return None,
    })
}

/// The offset of a fused instruction's branch, `before` bytes after it
/// with offset `rel`, if it fits 16 bits and the back-edge test on it
/// (offset <= 0) still means "a target at or before the branch".
fn rebase16(rel: isize, before: usize) -> Option<u16> {
    let r = rel + before as isize;
    let same_edge = rel > 0 || r <= 0;
    (same_edge && r == r as i16 as isize).then_some(r as i16 as u16)
}

/// The same for a 32-bit offset.
fn rebase32(rel: isize, before: usize) -> Option<u32> {
    let r = rel + before as isize;
    (rel > 0 || r <= 0).then_some(r as i32 as u32)
}

/// `c` of an LL_ int operation that pushes its result.
pub(crate) const NO_STORE: u32 = u32::MAX;

/// The superinstruction starting with `x` followed by `y`, `z` and `v`,
/// if any.
fn fuse(x: Insn, y: Option<Insn>, z: Option<Insn>, v: Option<Insn>) -> Option<Insn> {
    let y = y?;
    let small_load = |i: Insn| i.op() == q::LOAD && i.b() <= 0xff;
    if x.op() == q::IINC && y.op() == q::GOTO && y.len() == 3 {
        let k = x.c() as i32;
        let rel = rebase16(y.rel(), x.len())?;
        if i32::from(k as i16) == k {
            let c = u32::from(rel) | (u32::from(k as i16 as u16) << 16);
            return Some(Insn::new(q::IINC_GOTO, x.len() + y.len(), x.b() as u16, c));
        }
        return None;
    }
    if x.op() == q::CONST && (y.op() == q::IASTORE || y.op() == q::BASTORE) {
        let o = if y.op() == q::IASTORE { q::C_IASTORE } else { q::C_BASTORE };
        return Some(Insn::new(o, x.len() + y.len(), 0, x.c()));
    }
    if x.op() == q::CONST {
        let o = match y.op() {
            q::IADD => q::C_IADD,
            q::ISUB => q::C_ISUB,
            q::IMUL => q::C_IMUL,
            q::IAND => q::C_IAND,
            q::IOR => q::C_IOR,
            q::IXOR => q::C_IXOR,
            q::ISHL => q::C_ISHL,
            q::ISHR => q::C_ISHR,
            q::IUSHR => q::C_IUSHR,
            _ => return None,
        };
        return Some(Insn::new(o, x.len() + y.len(), 0, x.c()));
    }
    if x.op() == q::DUP2 && y.op() == q::IALOAD {
        return Some(Insn::new(q::DUP2_IALOAD, x.len() + y.len(), 0, 0));
    }
    if x.op() == q::DUP && y.op() == q::GETFIELD {
        return Some(Insn::new(q::DUP_GETFIELD, x.len() + y.len(), 0, 0));
    }
    if x.op() == q::LCMP && (q::IFEQ..=q::IFLE).contains(&y.op()) {
        let rel = rebase32(y.rel(), x.len())?;
        return Some(Insn::new(q::LCMP_IFEQ + (y.op() - q::IFEQ), x.len() + y.len(), 0, rel));
    }
    if x.op() == q::STORE && x.b() <= 0xff && small_load(y) {
        return Some(Insn::new(q::STORE_LOAD, x.len() + y.len(), (x.b() | y.b() << 8) as u16, 0));
    }
    if !small_load(x) {
        return None;
    }
    if let Some(k) = int_op_index(y.op()) {
        return Some(Insn::new(q::L_IADD + k, x.len() + y.len(), x.b() as u16, 0));
    }
    if y.op() == q::GETFIELD {
        return Some(Insn::new(q::ALOAD_GETFIELD, x.len() + y.len(), x.b() as u16, 0));
    }
    let z_cmp = z.and_then(|z| icmp_index(z.op()).map(|k| (k, z)));
    if small_load(y) {
        let b = (x.b() | y.b() << 8) as u16;
        let len2 = x.len() + y.len();
        if let Some((k, z)) = z_cmp {
            if let Some(rel) = rebase32(z.rel(), len2) {
                return Some(Insn::new(q::LL_IF_ICMPEQ + k, len2 + z.len(), b, rel));
            }
        }
        if let Some(z) = z {
            let o = match z.op() {
                q::IALOAD => Some(q::LL_IALOAD),
                q::LALOAD => Some(q::LL_LALOAD),
                q::FALOAD => Some(q::LL_FALOAD),
                q::DALOAD => Some(q::LL_DALOAD),
                q::AALOAD => Some(q::LL_AALOAD),
                q::BALOAD => Some(q::LL_BALOAD),
                q::CALOAD => Some(q::LL_CALOAD),
                q::SALOAD => Some(q::LL_SALOAD),
                _ => None,
            };
            if let Some(o) = o {
                return Some(Insn::new(o, len2 + z.len(), b, 0));
            }
            if let Some(k) = int_op_index(z.op()) {
                let len3 = len2 + z.len();
                return Some(match v {
                    Some(v) if v.op() == q::STORE => Insn::new(q::LL_IADD + k, len3 + v.len(), b, v.b() as u32),
                    _ => Insn::new(q::LL_IADD + k, len3, b, NO_STORE),
                });
            }
        }
        return Some(Insn::new(q::LL, len2, b, 0));
    }
    if y.op() == q::CONST {
        let k = y.c() as i32;
        if let Some((cmp, z)) = z_cmp {
            let len2 = x.len() + y.len();
            if let (true, Some(rel)) = (i32::from(k as i16) == k, rebase16(z.rel(), len2)) {
                let c = u32::from(rel) | (u32::from(k as i16 as u16) << 16);
                return Some(Insn::new(q::LC_IF_ICMPEQ + cmp, len2 + z.len(), x.b() as u16, c));
            }
        }
    }
    None
}

/// `aload_<n>; dup; getfield f; <constant>; add or sub; putfield f` as
/// ALOAD_FIELD_INC, if the constant (negated for a subtraction) fits a
/// signed byte. The same pool entry in both field accesses makes them one
/// field; the verifier made its type the operation's.
fn fuse_field_inc(parts: [Option<Insn>; 6]) -> Option<Insn> {
    let [x, y, z, v, w, u] = parts;
    let (x, y, z, v, w, u) = (x?, y?, z?, v?, w?, u?);
    let shape = x.op() == q::LOAD && x.len() == 1 && y.op() == q::DUP && z.op() == q::GETFIELD;
    if !shape || u.op() != q::PUTFIELD || u.b() != z.b() {
        return None;
    }
    let k = i64::from(v.c() as i32);
    let k = match (v.op(), w.op()) {
        (q::CONST, q::IADD) | (q::LCONST, q::LADD) => k,
        (q::CONST, q::ISUB) | (q::LCONST, q::LSUB) => -k,
        _ => return None,
    };
    let k = i8::try_from(k).ok()?;
    let len = x.len() + y.len() + z.len() + v.len() + w.len() + u.len();
    Some(Insn::new(q::ALOAD_FIELD_INC, len, x.b() as u16 | u16::from(k as u8) << 8, 0))
}

/// 0..6 for IADD, ISUB, IMUL, IAND, IOR, IXOR (the order of the L_ and LL_
/// families).
fn int_op_index(o: u8) -> Option<u8> {
    Some(match o {
        q::IADD => 0,
        q::ISUB => 1,
        q::IMUL => 2,
        q::IAND => 3,
        q::IOR => 4,
        q::IXOR => 5,
        _ => return None,
    })
}

/// 0..6 for IF_ICMPEQ..IF_ICMPLE (the fused families keep that order).
fn icmp_index(o: u8) -> Option<u8> {
    (q::IF_ICMPEQ..=q::IF_ICMPLE).contains(&o).then(|| o - q::IF_ICMPEQ)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let i = Insn::new(q::LC_IF_ICMPGE, 6, 0x1234, 0xfffe_0042);
        assert_eq!((i.op(), i.len(), i.b(), i.b0(), i.b1()), (q::LC_IF_ICMPGE, 6, 0x1234, 0x34, 0x12));
        assert_eq!((i.rel_lo(), i.c_hi()), (0x42, -2));
    }

    #[test]
    fn loop_idioms_fuse_and_parts_stay_decoded() {
        // 0: iload_1; 1: iload_2; 2: if_icmpge +9 (11); 5: iinc 1,1; 8: goto -8 (0); 11: return
        let code = [op::ILOAD_1, op::ILOAD_2, op::IF_ICMPGE, 0, 9, op::IINC, 1, 1, op::GOTO, 0xff, 0xf8, op::RETURN];
        let d = decode(&code, &[]);
        let at = |p: usize| d[p].get();
        assert_eq!(at(0).op(), q::LL_IF_ICMPGE);
        assert_eq!((at(0).b0(), at(0).b1(), at(0).rel(), at(0).len()), (1, 2, 11, 5));
        assert_eq!(at(1).op(), q::LOAD);
        assert_eq!(at(2).op(), q::IF_ICMPGE);
        // iinc + goto back to the test at 0, which exits to 11: one loop step.
        assert_eq!(at(5).op(), q::IINC_LOOP_LL_GE);
        assert_eq!((at(5).b0(), at(5).b1(), at(5).rel_lo(), at(5).c_hi(), at(5).len()), (1, 2, 0, 1, 6));
        // The goto on its own (entered by a branch to 8) fuses the same way.
        assert_eq!(at(8).op(), q::LOOP_LL_GE);
        assert_eq!((at(8).b0(), at(8).b1(), at(8).rel(), at(8).len()), (1, 2, -3, 3));
        assert_eq!(at(11).op(), q::RETURN0);
        assert_eq!(at(3).op(), q::INVALID);
    }

    #[test]
    fn field_increments_fuse_for_one_field_and_a_byte_constant() {
        // aload_1; dup; getfield #2; <k>; isub; putfield #<f>; return
        let code = |k: &[u8], f: u8| {
            let mut c = vec![op::ALOAD_1, op::DUP, op::GETFIELD, 0, 2];
            c.extend_from_slice(k);
            c.extend_from_slice(&[op::ISUB, op::PUTFIELD, 0, f, op::RETURN]);
            decode(&c, &[])
        };
        let d = code(&[op::ICONST_1], 2);
        let i = d[0].get();
        assert_eq!((i.op(), i.b0(), i.b1() as u8 as i8, i.len()), (q::ALOAD_FIELD_INC, 1, -1, 10));
        assert_eq!((d[1].get().op(), d[2].get().op(), d[7].get().op()), (q::DUP_GETFIELD, q::GETFIELD, q::PUTFIELD));
        let d = code(&[op::SIPUSH, 0, 128], 2);
        assert_eq!(d[0].get().b1() as u8 as i8, -128, "-128 fits");
        assert_eq!(code(&[op::SIPUSH, 0xff, 0x7f], 2)[0].get().op(), q::LOAD, "-(-129) does not");
        assert_eq!(code(&[op::ICONST_1], 3)[0].get().op(), q::LOAD, "another field");
    }
}

/// The field a trivial getter reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GetterKind {
    /// int and float
    Int,
    /// long and double
    Long,
    Ref,
    /// byte and boolean
    Byte,
    Char,
    Short,
}

/// A method that is `aload_0; getfield; *return` and nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Getter {
    pub kind: GetterKind,
    /// Byte offset of the field.
    pub offset: u32,
    /// Slots of the result.
    pub slots: usize,
}

/// `Some` when the decoded method `d` (of `code_len` bytecode bytes) is a
/// trivial getter whose getfield has quickened (it ran once), so a caller
/// can read the field instead of calling (`Vm::call_inline`).
pub(crate) fn getter(d: &[Cell<Insn>], code_len: usize) -> Option<Getter> {
    if code_len != 5 {
        return None;
    }
    let (load, ret) = (d.first()?.get(), d.get(4)?.get());
    if load.b() != 0 || load.len() != 4 {
        return None;
    }
    let kind = match load.op() {
        q::ALOAD_GETFIELD_I => GetterKind::Int,
        q::ALOAD_GETFIELD_J => GetterKind::Long,
        q::ALOAD_GETFIELD_A => GetterKind::Ref,
        q::ALOAD_GETFIELD_B => GetterKind::Byte,
        q::ALOAD_GETFIELD_C => GetterKind::Char,
        q::ALOAD_GETFIELD_S => GetterKind::Short,
        _ => return None,
    };
    let slots = if kind == GetterKind::Long { 2 } else { 1 };
    (ret.op() == if slots == 2 { q::RETURN2 } else { q::RETURN1 }).then_some(Getter { kind, offset: load.c(), slots })
}
