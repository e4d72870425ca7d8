//! Instruction decoding (JVMS 6.5) and the static code checks of JVMS 4.9.1
//! that need no types: known opcodes, complete operands, `wide` forms,
//! switch tables, `invokeinterface`/`invokedynamic` operand bytes, and
//! branch targets / handler ranges / stack map offsets on instruction
//! boundaries.

use alloc::vec::Vec;

use super::error::{VerifyError, VerifyErrorKind as K};

macro_rules! opcodes {
    ($($name:ident = $val:literal, $mn:literal;)*) => {
        /// Opcode values (JVMS 6.5).
        pub mod op {
            $(pub const $name: u8 = $val;)*
        }
        /// The mnemonic of `opcode`, or `"<illegal>"`.
        pub fn mnemonic(opcode: u8) -> &'static str {
            match opcode {
                $($val => $mn,)*
                _ => "<illegal>",
            }
        }
    };
}

opcodes! {
    NOP = 0, "nop"; ACONST_NULL = 1, "aconst_null"; ICONST_M1 = 2, "iconst_m1"; ICONST_0 = 3, "iconst_0";
    ICONST_1 = 4, "iconst_1"; ICONST_2 = 5, "iconst_2"; ICONST_3 = 6, "iconst_3"; ICONST_4 = 7, "iconst_4";
    ICONST_5 = 8, "iconst_5"; LCONST_0 = 9, "lconst_0"; LCONST_1 = 10, "lconst_1"; FCONST_0 = 11, "fconst_0";
    FCONST_1 = 12, "fconst_1"; FCONST_2 = 13, "fconst_2"; DCONST_0 = 14, "dconst_0"; DCONST_1 = 15, "dconst_1";
    BIPUSH = 16, "bipush"; SIPUSH = 17, "sipush"; LDC = 18, "ldc"; LDC_W = 19, "ldc_w"; LDC2_W = 20, "ldc2_w";
    ILOAD = 21, "iload"; LLOAD = 22, "lload"; FLOAD = 23, "fload"; DLOAD = 24, "dload"; ALOAD = 25, "aload";
    ILOAD_0 = 26, "iload_0"; ILOAD_1 = 27, "iload_1"; ILOAD_2 = 28, "iload_2"; ILOAD_3 = 29, "iload_3";
    LLOAD_0 = 30, "lload_0"; LLOAD_1 = 31, "lload_1"; LLOAD_2 = 32, "lload_2"; LLOAD_3 = 33, "lload_3";
    FLOAD_0 = 34, "fload_0"; FLOAD_1 = 35, "fload_1"; FLOAD_2 = 36, "fload_2"; FLOAD_3 = 37, "fload_3";
    DLOAD_0 = 38, "dload_0"; DLOAD_1 = 39, "dload_1"; DLOAD_2 = 40, "dload_2"; DLOAD_3 = 41, "dload_3";
    ALOAD_0 = 42, "aload_0"; ALOAD_1 = 43, "aload_1"; ALOAD_2 = 44, "aload_2"; ALOAD_3 = 45, "aload_3";
    IALOAD = 46, "iaload"; LALOAD = 47, "laload"; FALOAD = 48, "faload"; DALOAD = 49, "daload";
    AALOAD = 50, "aaload"; BALOAD = 51, "baload"; CALOAD = 52, "caload"; SALOAD = 53, "saload";
    ISTORE = 54, "istore"; LSTORE = 55, "lstore"; FSTORE = 56, "fstore"; DSTORE = 57, "dstore"; ASTORE = 58, "astore";
    ISTORE_0 = 59, "istore_0"; ISTORE_1 = 60, "istore_1"; ISTORE_2 = 61, "istore_2"; ISTORE_3 = 62, "istore_3";
    LSTORE_0 = 63, "lstore_0"; LSTORE_1 = 64, "lstore_1"; LSTORE_2 = 65, "lstore_2"; LSTORE_3 = 66, "lstore_3";
    FSTORE_0 = 67, "fstore_0"; FSTORE_1 = 68, "fstore_1"; FSTORE_2 = 69, "fstore_2"; FSTORE_3 = 70, "fstore_3";
    DSTORE_0 = 71, "dstore_0"; DSTORE_1 = 72, "dstore_1"; DSTORE_2 = 73, "dstore_2"; DSTORE_3 = 74, "dstore_3";
    ASTORE_0 = 75, "astore_0"; ASTORE_1 = 76, "astore_1"; ASTORE_2 = 77, "astore_2"; ASTORE_3 = 78, "astore_3";
    IASTORE = 79, "iastore"; LASTORE = 80, "lastore"; FASTORE = 81, "fastore"; DASTORE = 82, "dastore";
    AASTORE = 83, "aastore"; BASTORE = 84, "bastore"; CASTORE = 85, "castore"; SASTORE = 86, "sastore";
    POP = 87, "pop"; POP2 = 88, "pop2"; DUP = 89, "dup"; DUP_X1 = 90, "dup_x1"; DUP_X2 = 91, "dup_x2";
    DUP2 = 92, "dup2"; DUP2_X1 = 93, "dup2_x1"; DUP2_X2 = 94, "dup2_x2"; SWAP = 95, "swap";
    IADD = 96, "iadd"; LADD = 97, "ladd"; FADD = 98, "fadd"; DADD = 99, "dadd";
    ISUB = 100, "isub"; LSUB = 101, "lsub"; FSUB = 102, "fsub"; DSUB = 103, "dsub";
    IMUL = 104, "imul"; LMUL = 105, "lmul"; FMUL = 106, "fmul"; DMUL = 107, "dmul";
    IDIV = 108, "idiv"; LDIV = 109, "ldiv"; FDIV = 110, "fdiv"; DDIV = 111, "ddiv";
    IREM = 112, "irem"; LREM = 113, "lrem"; FREM = 114, "frem"; DREM = 115, "drem";
    INEG = 116, "ineg"; LNEG = 117, "lneg"; FNEG = 118, "fneg"; DNEG = 119, "dneg";
    ISHL = 120, "ishl"; LSHL = 121, "lshl"; ISHR = 122, "ishr"; LSHR = 123, "lshr";
    IUSHR = 124, "iushr"; LUSHR = 125, "lushr"; IAND = 126, "iand"; LAND = 127, "land";
    IOR = 128, "ior"; LOR = 129, "lor"; IXOR = 130, "ixor"; LXOR = 131, "lxor"; IINC = 132, "iinc";
    I2L = 133, "i2l"; I2F = 134, "i2f"; I2D = 135, "i2d"; L2I = 136, "l2i"; L2F = 137, "l2f"; L2D = 138, "l2d";
    F2I = 139, "f2i"; F2L = 140, "f2l"; F2D = 141, "f2d"; D2I = 142, "d2i"; D2L = 143, "d2l"; D2F = 144, "d2f";
    I2B = 145, "i2b"; I2C = 146, "i2c"; I2S = 147, "i2s";
    LCMP = 148, "lcmp"; FCMPL = 149, "fcmpl"; FCMPG = 150, "fcmpg"; DCMPL = 151, "dcmpl"; DCMPG = 152, "dcmpg";
    IFEQ = 153, "ifeq"; IFNE = 154, "ifne"; IFLT = 155, "iflt"; IFGE = 156, "ifge"; IFGT = 157, "ifgt";
    IFLE = 158, "ifle"; IF_ICMPEQ = 159, "if_icmpeq"; IF_ICMPNE = 160, "if_icmpne"; IF_ICMPLT = 161, "if_icmplt";
    IF_ICMPGE = 162, "if_icmpge"; IF_ICMPGT = 163, "if_icmpgt"; IF_ICMPLE = 164, "if_icmple";
    IF_ACMPEQ = 165, "if_acmpeq"; IF_ACMPNE = 166, "if_acmpne"; GOTO = 167, "goto"; JSR = 168, "jsr";
    RET = 169, "ret"; TABLESWITCH = 170, "tableswitch"; LOOKUPSWITCH = 171, "lookupswitch";
    IRETURN = 172, "ireturn"; LRETURN = 173, "lreturn"; FRETURN = 174, "freturn"; DRETURN = 175, "dreturn";
    ARETURN = 176, "areturn"; RETURN = 177, "return";
    GETSTATIC = 178, "getstatic"; PUTSTATIC = 179, "putstatic"; GETFIELD = 180, "getfield"; PUTFIELD = 181, "putfield";
    INVOKEVIRTUAL = 182, "invokevirtual"; INVOKESPECIAL = 183, "invokespecial"; INVOKESTATIC = 184, "invokestatic";
    INVOKEINTERFACE = 185, "invokeinterface"; INVOKEDYNAMIC = 186, "invokedynamic";
    NEW = 187, "new"; NEWARRAY = 188, "newarray"; ANEWARRAY = 189, "anewarray"; ARRAYLENGTH = 190, "arraylength";
    ATHROW = 191, "athrow"; CHECKCAST = 192, "checkcast"; INSTANCEOF = 193, "instanceof";
    MONITORENTER = 194, "monitorenter"; MONITOREXIT = 195, "monitorexit"; WIDE = 196, "wide";
    MULTIANEWARRAY = 197, "multianewarray"; IFNULL = 198, "ifnull"; IFNONNULL = 199, "ifnonnull";
    GOTO_W = 200, "goto_w"; JSR_W = 201, "jsr_w";
}

/// Decoded operands. Implicit operands are made explicit (`iload_2` has
/// `Local(2)`) so the type rules see one form per instruction family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operands {
    None,
    /// A local variable index (loads, stores, `ret`, incl. `wide` forms).
    Local(u16),
    Iinc {
        index: u16,
        delta: i16,
    },
    /// The value pushed by `bipush`/`sipush`.
    Immediate(i32),
    /// A constant-pool index (`ldc` widened to u16).
    Cp(u16),
    InvokeInterface {
        index: u16,
        count: u8,
    },
    MultiANewArray {
        index: u16,
        dimensions: u8,
    },
    /// `newarray`'s `atype` (4..=11).
    NewArray(u8),
    /// An absolute branch target; may lie outside the code until checked.
    Branch(i64),
    TableSwitch {
        default: i64,
        low: i32,
        high: i32,
        targets: Vec<i64>,
    },
    /// Keys are strictly ascending.
    LookupSwitch {
        default: i64,
        pairs: Vec<(i32, i64)>,
    },
}

/// One decoded instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insn {
    /// Bytecode offset of the opcode (of `wide` for wide forms).
    pub pc: usize,
    /// The opcode; for `wide` forms the modified opcode.
    pub opcode: u8,
    pub wide: bool,
    pub len: usize,
    pub operands: Operands,
}

impl Insn {
    /// All branch targets (conditional, unconditional, `jsr`, switch cases).
    pub fn targets(&self) -> impl Iterator<Item = i64> + '_ {
        let (one, many): (Option<i64>, &[i64]) = match &self.operands {
            Operands::Branch(t) => (Some(*t), &[]),
            Operands::TableSwitch { default, targets, .. } => (Some(*default), targets),
            Operands::LookupSwitch { default, .. } => (Some(*default), &[]),
            _ => (None, &[]),
        };
        let pairs: &[(i32, i64)] = match &self.operands {
            Operands::LookupSwitch { pairs, .. } => pairs,
            _ => &[],
        };
        one.into_iter().chain(many.iter().copied()).chain(pairs.iter().map(|p| p.1))
    }
}

struct Bytes<'c> {
    code: &'c [u8],
    pc: usize,
}

impl Bytes<'_> {
    fn u1(&self, at: usize) -> Result<u8, VerifyError> {
        self.code.get(at).copied().ok_or_else(|| VerifyError::at(K::TruncatedInstruction, self.pc))
    }
    fn u2(&self, at: usize) -> Result<u16, VerifyError> {
        Ok(u16::from_be_bytes([self.u1(at)?, self.u1(at + 1)?]))
    }
    fn i4(&self, at: usize) -> Result<i32, VerifyError> {
        Ok(i32::from_be_bytes([self.u1(at)?, self.u1(at + 1)?, self.u1(at + 2)?, self.u1(at + 3)?]))
    }
}

/// Decode one instruction at `pc`. `zero_padding` demands zero switch
/// padding bytes (HotSpot does so for class files before version 51).
fn decode_one(code: &[u8], pc: usize, zero_padding: bool) -> Result<Insn, VerifyError> {
    use op::*;
    let b = Bytes { code, pc };
    let opcode = b.u1(pc)?;
    let bad = |kind| VerifyError::at(kind, pc).with_opcode(opcode);
    let rel = |d: i64| pc as i64 + d;
    let (len, operands) = match opcode {
        NOP..=DCONST_1 => (1, Operands::None),
        BIPUSH => (2, Operands::Immediate(i32::from(b.u1(pc + 1)? as i8))),
        SIPUSH => (3, Operands::Immediate(i32::from(b.u2(pc + 1)? as i16))),
        LDC => (2, Operands::Cp(u16::from(b.u1(pc + 1)?))),
        LDC_W | LDC2_W => (3, Operands::Cp(b.u2(pc + 1)?)),
        ILOAD..=ALOAD | ISTORE..=ASTORE | RET => (2, Operands::Local(u16::from(b.u1(pc + 1)?))),
        ILOAD_0..=ALOAD_3 => (1, Operands::Local(u16::from((opcode - ILOAD_0) % 4))),
        ISTORE_0..=ASTORE_3 => (1, Operands::Local(u16::from((opcode - ISTORE_0) % 4))),
        IALOAD..=SALOAD | IASTORE..=LXOR | I2L..=DCMPG | IRETURN..=RETURN => (1, Operands::None),
        IINC => (3, Operands::Iinc { index: u16::from(b.u1(pc + 1)?), delta: i16::from(b.u1(pc + 2)? as i8) }),
        IFEQ..=JSR | IFNULL | IFNONNULL => (3, Operands::Branch(rel(i64::from(b.u2(pc + 1)? as i16)))),
        GOTO_W | JSR_W => (5, Operands::Branch(rel(i64::from(b.i4(pc + 1)?)))),
        TABLESWITCH | LOOKUPSWITCH => return decode_switch(&b, opcode, zero_padding),
        GETSTATIC..=INVOKESTATIC | NEW | ANEWARRAY | CHECKCAST | INSTANCEOF => (3, Operands::Cp(b.u2(pc + 1)?)),
        INVOKEINTERFACE => {
            let index = b.u2(pc + 1)?;
            let count = b.u1(pc + 3)?;
            if count == 0 {
                return Err(bad(K::BadOperand("invokeinterface count operand is 0")));
            }
            if b.u1(pc + 4)? != 0 {
                return Err(bad(K::BadOperand("invokeinterface fourth operand byte is not 0")));
            }
            (5, Operands::InvokeInterface { index, count })
        }
        INVOKEDYNAMIC => {
            let index = b.u2(pc + 1)?;
            if b.u1(pc + 3)? != 0 || b.u1(pc + 4)? != 0 {
                return Err(bad(K::BadOperand("invokedynamic third and fourth operand bytes are not 0")));
            }
            (5, Operands::Cp(index))
        }
        NEWARRAY => {
            let atype = b.u1(pc + 1)?;
            if !(4..=11).contains(&atype) {
                return Err(bad(K::BadOperand("newarray atype is not in 4..=11")));
            }
            (2, Operands::NewArray(atype))
        }
        ARRAYLENGTH | ATHROW | MONITORENTER | MONITOREXIT => (1, Operands::None),
        MULTIANEWARRAY => {
            let index = b.u2(pc + 1)?;
            let dimensions = b.u1(pc + 3)?;
            if dimensions == 0 {
                return Err(bad(K::BadOperand("multianewarray dimensions operand is 0")));
            }
            (4, Operands::MultiANewArray { index, dimensions })
        }
        WIDE => {
            let modified = b.u1(pc + 1)?;
            let index = b.u2(pc + 2)?;
            let (len, operands) = match modified {
                ILOAD..=ALOAD | ISTORE..=ASTORE | RET => (4, Operands::Local(index)),
                IINC => (6, Operands::Iinc { index, delta: b.u2(pc + 4)? as i16 }),
                other => return Err(bad(K::IllegalWide(other))),
            };
            return Ok(Insn { pc, opcode: modified, wide: true, len, operands });
        }
        other => return Err(VerifyError::at(K::IllegalOpcode(other), pc)),
    };
    if pc + len > code.len() {
        return Err(bad(K::TruncatedInstruction));
    }
    Ok(Insn { pc, opcode, wide: false, len, operands })
}

fn decode_switch(b: &Bytes<'_>, opcode: u8, zero_padding: bool) -> Result<Insn, VerifyError> {
    let pc = b.pc;
    let bad = |kind| VerifyError::at(kind, pc).with_opcode(opcode);
    // Operands start at the next multiple of 4 (offsets are from the method start).
    let aligned = (pc + 4) & !3;
    for at in pc + 1..aligned {
        if b.u1(at)? != 0 && zero_padding {
            return Err(bad(K::BadSwitch("nonzero padding byte")));
        }
    }
    let default = pc as i64 + i64::from(b.i4(aligned)?);
    let (len, operands) = if opcode == op::TABLESWITCH {
        let low = b.i4(aligned + 4)?;
        let high = b.i4(aligned + 8)?;
        if low > high {
            return Err(bad(K::BadSwitch("tableswitch low is greater than high")));
        }
        let n = usize::try_from(i64::from(high) - i64::from(low) + 1).unwrap_or(usize::MAX);
        let start = aligned + 12;
        // Bound the table by the code before allocating for it.
        if n > (b.code.len().saturating_sub(start)) / 4 {
            return Err(bad(K::TruncatedInstruction));
        }
        let mut targets = Vec::with_capacity(n);
        for i in 0..n {
            targets.push(pc as i64 + i64::from(b.i4(start + 4 * i)?));
        }
        (start + 4 * n - pc, Operands::TableSwitch { default, low, high, targets })
    } else {
        let npairs = b.i4(aligned + 4)?;
        if npairs < 0 {
            return Err(bad(K::BadSwitch("lookupswitch npairs is negative")));
        }
        let n = npairs as usize;
        let start = aligned + 8;
        if n > (b.code.len().saturating_sub(start)) / 8 {
            return Err(bad(K::TruncatedInstruction));
        }
        let mut pairs: Vec<(i32, i64)> = Vec::with_capacity(n);
        for i in 0..n {
            let key = b.i4(start + 8 * i)?;
            if pairs.last().is_some_and(|&(k, _)| k >= key) {
                return Err(bad(K::BadSwitch("lookupswitch keys are not sorted in increasing order")));
            }
            pairs.push((key, pc as i64 + i64::from(b.i4(start + 8 * i + 4)?)));
        }
        (start + 8 * n - pc, Operands::LookupSwitch { default, pairs })
    };
    Ok(Insn { pc, opcode, wide: false, len, operands })
}

/// The decoded code of one method, indexed by bytecode offset.
#[derive(Debug, Clone)]
pub struct Instructions {
    pub insns: Vec<Insn>,
    /// For each byte of code, the index of the instruction starting there.
    index: Vec<u32>,
}

const NOT_START: u32 = u32::MAX;

impl Instructions {
    /// Decode all of `code`; checks every branch target lands on an
    /// instruction. `major` decides whether switch padding must be zero.
    pub fn decode(code: &[u8], major: u16) -> Result<Instructions, VerifyError> {
        let mut insns = Vec::new();
        let mut index = alloc::vec![NOT_START; code.len()];
        let mut pc = 0;
        while pc < code.len() {
            let insn = decode_one(code, pc, major < 51).map_err(|e| match e.kind() {
                K::IllegalOpcode(_) => e,
                _ => e.with_opcode(code[pc]),
            })?;
            index[pc] = insns.len() as u32;
            pc += insn.len;
            insns.push(insn);
        }
        let this = Instructions { insns, index };
        for insn in &this.insns {
            for t in insn.targets() {
                this.check_target(t).map_err(|kind| VerifyError::at(kind, insn.pc).with_opcode(insn.opcode))?;
            }
        }
        Ok(this)
    }

    /// The instruction starting at `pc`, if any.
    pub fn at(&self, pc: usize) -> Option<&Insn> {
        let i = *self.index.get(pc)?;
        self.insns.get(i as usize)
    }

    /// The position in `insns` of the instruction starting at `pc`.
    pub fn position(&self, pc: usize) -> Option<usize> {
        self.index.get(pc).filter(|&&i| i != NOT_START).map(|&i| i as usize)
    }

    pub fn is_start(&self, pc: usize) -> bool {
        self.position(pc).is_some()
    }

    fn check_target(&self, target: i64) -> Result<(), K> {
        if target < 0 || target as usize >= self.index.len() {
            return Err(K::BranchOutsideCode { target });
        }
        if !self.is_start(target as usize) {
            return Err(K::BranchIntoInstruction { target: target as usize });
        }
        Ok(())
    }
}
