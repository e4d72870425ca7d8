//! The bytecode interpreter: an iterative loop over the VM-managed Java
//! stack (see [`frame`]), a `match` on the opcode over the code bytes,
//! with resolved constant-pool entries cached in place so the common path
//! of field access, calls and `new` is a table lookup. Nothing is
//! allocated per instruction.
//!
//! Everything that can fail produces an [`Exit`]; the loop writes its `pc`
//! and `sp` back to the frame record (so stack traces and the collector
//! see the exact state) and hands it to `raise`, which finds a handler,
//! pushes an exception constructor, or ends the loop.
//!
//! Code is verified before it runs (docs/jvm.md), so the loop does not
//! re-check operand types or stack depths; heap accessors still check
//! references and bounds, so a VM bug cannot reach outside the heap.

mod exceptions;
pub mod frame;
mod gc;
mod indy;
mod invoke;
pub(crate) mod ops;

use alloc::format;
use alloc::string::String;

use crate::heap::{AccessError, Ref};
use crate::runtime::class::*;
use crate::runtime::init::narrow;
use crate::runtime::{LinkError, Vm, VmError};
use crate::verify::insn::op;

use frame::Frame;
use ops::{be_i32, be_u16};

/// Why an operation did not complete normally.
#[derive(Debug)]
pub enum Exit {
    /// A Java exception is being thrown; it is in the VM's `throwing` root.
    Exception,
    /// Throw a new exception of this class with this message (linkage
    /// errors and the runtime exceptions the VM detects).
    Link(LinkError),
    /// Abort the entry into Java (budget, exit, internal errors): no Java
    /// handler runs.
    Vm(VmError),
}

impl Exit {
    pub(crate) fn internal(msg: impl Into<String>) -> Exit {
        Exit::Vm(VmError::Internal(msg.into()))
    }

    pub(crate) fn new(class: &'static str, msg: impl Into<String>) -> Exit {
        Exit::Link(LinkError::new(class, msg))
    }
}

/// Type name HotSpot uses for arrays in helpful NullPointerException messages.
fn array_kind_name(opcode: u8) -> &'static str {
    match opcode {
        op::IALOAD | op::IASTORE => "int",
        op::LALOAD | op::LASTORE => "long",
        op::FALOAD | op::FASTORE => "float",
        op::DALOAD | op::DASTORE => "double",
        op::AALOAD | op::AASTORE => "object",
        op::BALOAD | op::BASTORE => "byte/boolean",
        op::CALOAD | op::CASTORE => "char",
        _ => "short",
    }
}

/// An array access failure as the exception Java sees.
pub(crate) fn array_exit(e: AccessError, opcode: u8) -> Exit {
    match e {
        AccessError::NullPointer => {
            let verb = if (op::IALOAD..=op::SALOAD).contains(&opcode) { "load from" } else { "store to" };
            Exit::new("java/lang/NullPointerException", format!("Cannot {verb} {} array", array_kind_name(opcode)))
        }
        AccessError::IndexOutOfBounds { index, length } => Exit::new(
            "java/lang/ArrayIndexOutOfBoundsException",
            format!("Index {index} out of bounds for length {length}"),
        ),
        AccessError::ArrayStore => Exit::new("java/lang/ArrayStoreException", ""),
        AccessError::Invalid => Exit::internal("invalid array reference"),
    }
}

impl Vm {
    /// Runs the interpreter until the frame at index `stop` returns
    /// (its raw return value) or an exception or abort unwinds past it.
    pub(crate) fn run(&mut self, stop: usize) -> Result<u64, Exit> {
        'reload: loop {
            let fi = self.frames.len() - 1;
            let Frame { method, pc, bp, sp, .. } = self.frames[fi];
            let Some(code) = self.methods[method.ix()].code.clone() else {
                return Err(Exit::internal("frame without code"));
            };
            let cls = self.methods[method.ix()].class;
            let bytes: &[u8] = &code.bytes;
            let bp = bp as usize;
            let mut pc = pc as usize;
            let mut sp = sp as usize;

            macro_rules! sync {
                () => {{
                    let f = &mut self.frames[fi];
                    f.pc = pc as u32;
                    f.sp = sp as u32;
                }};
            }
            macro_rules! fail {
                ($e:expr) => {{
                    let e: Exit = $e;
                    sync!();
                    self.raise(e, stop)?;
                    continue 'reload;
                }};
            }
            macro_rules! tri {
                ($e:expr) => {
                    match $e {
                        Ok(v) => v,
                        Err(e) => fail!(e),
                    }
                };
            }
            macro_rules! tick {
                () => {{
                    if self.budget_left == 0 {
                        fail!(Exit::Vm(VmError::BudgetExhausted));
                    }
                    self.budget_left -= 1;
                }};
            }
            macro_rules! push {
                ($v:expr) => {{
                    let v: u64 = $v;
                    self.stack[sp] = v;
                    sp += 1;
                }};
            }
            macro_rules! pop {
                () => {{
                    sp -= 1;
                    self.stack[sp]
                }};
            }
            macro_rules! pushi {
                ($v:expr) => {{
                    let v: i32 = $v;
                    push!(v as u32 as u64)
                }};
            }
            macro_rules! popi {
                () => {
                    pop!() as u32 as i32
                };
            }
            macro_rules! pushl {
                ($v:expr) => {{
                    let v: i64 = $v;
                    self.stack[sp] = v as u64;
                    sp += 2;
                }};
            }
            macro_rules! popl {
                () => {{
                    sp -= 2;
                    self.stack[sp] as i64
                }};
            }
            macro_rules! pushf {
                ($v:expr) => {{
                    let v: f32 = $v;
                    push!(u64::from(v.to_bits()))
                }};
            }
            macro_rules! popf {
                () => {
                    f32::from_bits(pop!() as u32)
                };
            }
            macro_rules! pushd {
                ($v:expr) => {{
                    let v: f64 = $v;
                    self.stack[sp] = v.to_bits();
                    sp += 2;
                }};
            }
            macro_rules! popd {
                () => {{
                    sp -= 2;
                    f64::from_bits(self.stack[sp])
                }};
            }
            macro_rules! pusha {
                ($v:expr) => {{
                    let v: Ref = $v;
                    push!(u64::from(v.to_raw()))
                }};
            }
            macro_rules! popa {
                () => {
                    Ref::from_raw(pop!() as u32)
                };
            }
            macro_rules! u2 {
                () => {
                    be_u16(bytes, pc + 1)
                };
            }
            macro_rules! branch {
                ($cond:expr) => {{
                    if $cond {
                        let off = i32::from(be_u16(bytes, pc + 1) as i16);
                        if off <= 0 {
                            tick!();
                        }
                        pc = (pc as isize + off as isize) as usize;
                    } else {
                        pc += 3;
                    }
                }};
            }
            macro_rules! int_binop {
                ($f:expr) => {{
                    let b = popi!();
                    let a = popi!();
                    let f: fn(i32, i32) -> i32 = $f;
                    pushi!(f(a, b));
                    pc += 1;
                }};
            }
            macro_rules! long_binop {
                ($f:expr) => {{
                    let b = popl!();
                    let a = popl!();
                    let f: fn(i64, i64) -> i64 = $f;
                    pushl!(f(a, b));
                    pc += 1;
                }};
            }
            macro_rules! float_binop {
                ($f:expr) => {{
                    let b = popf!();
                    let a = popf!();
                    let f: fn(f32, f32) -> f32 = $f;
                    pushf!(f(a, b));
                    pc += 1;
                }};
            }
            macro_rules! double_binop {
                ($f:expr) => {{
                    let b = popd!();
                    let a = popd!();
                    let f: fn(f64, f64) -> f64 = $f;
                    pushd!(f(a, b));
                    pc += 1;
                }};
            }
            macro_rules! array_load {
                ($t:ty, $conv:expr) => {{
                    let i = popi!();
                    let a = popa!();
                    match self.heap.get_element::<$t>(a, i) {
                        Ok(v) => {
                            let conv: fn($t) -> u64 = $conv;
                            push!(conv(v));
                        }
                        Err(e) => fail!(array_exit(e, bytes[pc])),
                    }
                    pc += 1;
                }};
            }
            macro_rules! array_load2 {
                ($t:ty, $conv:expr) => {{
                    let i = popi!();
                    let a = popa!();
                    match self.heap.get_element::<$t>(a, i) {
                        Ok(v) => {
                            let conv: fn($t) -> u64 = $conv;
                            let raw = conv(v);
                            self.stack[sp] = raw;
                            sp += 2;
                        }
                        Err(e) => fail!(array_exit(e, bytes[pc])),
                    }
                    pc += 1;
                }};
            }
            macro_rules! array_store {
                ($t:ty, $v:expr) => {{
                    let v: $t = $v;
                    let i = popi!();
                    let a = popa!();
                    if let Err(e) = self.heap.set_element::<$t>(a, i, v) {
                        fail!(array_exit(e, bytes[pc]));
                    }
                    pc += 1;
                }};
            }

            loop {
                let opcode = bytes[pc];
                match opcode {
                    op::NOP => pc += 1,
                    op::ACONST_NULL => {
                        push!(0);
                        pc += 1;
                    }
                    op::ICONST_M1..=op::ICONST_5 => {
                        pushi!(i32::from(opcode) - i32::from(op::ICONST_0));
                        pc += 1;
                    }
                    op::LCONST_0 | op::LCONST_1 => {
                        pushl!(i64::from(opcode - op::LCONST_0));
                        pc += 1;
                    }
                    op::FCONST_0..=op::FCONST_2 => {
                        pushf!(f32::from(opcode - op::FCONST_0));
                        pc += 1;
                    }
                    op::DCONST_0 | op::DCONST_1 => {
                        pushd!(f64::from(opcode - op::DCONST_0));
                        pc += 1;
                    }
                    op::BIPUSH => {
                        pushi!(i32::from(bytes[pc + 1] as i8));
                        pc += 2;
                    }
                    op::SIPUSH => {
                        pushi!(i32::from(u2!() as i16));
                        pc += 3;
                    }
                    op::LDC | op::LDC_W => {
                        let (idx, len) = if opcode == op::LDC { (u16::from(bytes[pc + 1]), 2) } else { (u2!(), 3) };
                        let v = match &self.classes[cls.ix()].cp[usize::from(idx)] {
                            CpEntry::Int(v) => *v as u32 as u64,
                            CpEntry::Float(f) => u64::from(f.to_bits()),
                            CpEntry::String { interned: Some(i), .. } => u64::from(self.strings[*i as usize].to_raw()),
                            _ => {
                                sync!();
                                tri!(self.ldc_slow(cls, idx))
                            }
                        };
                        push!(v);
                        pc += len;
                    }
                    op::LDC2_W => {
                        match self.classes[cls.ix()].cp[usize::from(u2!())] {
                            CpEntry::Long(v) => pushl!(v),
                            CpEntry::Double(v) => pushd!(v),
                            _ => fail!(Exit::internal("ldc2_w of a non-wide constant")),
                        }
                        pc += 3;
                    }
                    op::ILOAD | op::FLOAD | op::ALOAD => {
                        push!(self.stack[bp + usize::from(bytes[pc + 1])]);
                        pc += 2;
                    }
                    op::LLOAD | op::DLOAD => {
                        self.stack[sp] = self.stack[bp + usize::from(bytes[pc + 1])];
                        sp += 2;
                        pc += 2;
                    }
                    op::ILOAD_0..=op::ILOAD_3 => {
                        push!(self.stack[bp + usize::from(opcode - op::ILOAD_0)]);
                        pc += 1;
                    }
                    op::FLOAD_0..=op::FLOAD_3 => {
                        push!(self.stack[bp + usize::from(opcode - op::FLOAD_0)]);
                        pc += 1;
                    }
                    op::ALOAD_0..=op::ALOAD_3 => {
                        push!(self.stack[bp + usize::from(opcode - op::ALOAD_0)]);
                        pc += 1;
                    }
                    op::LLOAD_0..=op::LLOAD_3 => {
                        self.stack[sp] = self.stack[bp + usize::from(opcode - op::LLOAD_0)];
                        sp += 2;
                        pc += 1;
                    }
                    op::DLOAD_0..=op::DLOAD_3 => {
                        self.stack[sp] = self.stack[bp + usize::from(opcode - op::DLOAD_0)];
                        sp += 2;
                        pc += 1;
                    }
                    op::IALOAD => array_load!(i32, |v| v as u32 as u64),
                    op::LALOAD => array_load2!(i64, |v| v as u64),
                    op::FALOAD => array_load!(f32, |v| u64::from(v.to_bits())),
                    op::DALOAD => array_load2!(f64, |v| v.to_bits()),
                    op::AALOAD => array_load!(Ref, |v| u64::from(v.to_raw())),
                    op::BALOAD => array_load!(i8, |v| i32::from(v) as u32 as u64),
                    op::CALOAD => array_load!(u16, u64::from),
                    op::SALOAD => array_load!(i16, |v| i32::from(v) as u32 as u64),
                    op::ISTORE | op::FSTORE | op::ASTORE => {
                        let v = pop!();
                        self.stack[bp + usize::from(bytes[pc + 1])] = v;
                        pc += 2;
                    }
                    op::LSTORE | op::DSTORE => {
                        sp -= 2;
                        self.stack[bp + usize::from(bytes[pc + 1])] = self.stack[sp];
                        pc += 2;
                    }
                    op::ISTORE_0..=op::ISTORE_3 => {
                        let v = pop!();
                        self.stack[bp + usize::from(opcode - op::ISTORE_0)] = v;
                        pc += 1;
                    }
                    op::FSTORE_0..=op::FSTORE_3 => {
                        let v = pop!();
                        self.stack[bp + usize::from(opcode - op::FSTORE_0)] = v;
                        pc += 1;
                    }
                    op::ASTORE_0..=op::ASTORE_3 => {
                        let v = pop!();
                        self.stack[bp + usize::from(opcode - op::ASTORE_0)] = v;
                        pc += 1;
                    }
                    op::LSTORE_0..=op::LSTORE_3 => {
                        sp -= 2;
                        self.stack[bp + usize::from(opcode - op::LSTORE_0)] = self.stack[sp];
                        pc += 1;
                    }
                    op::DSTORE_0..=op::DSTORE_3 => {
                        sp -= 2;
                        self.stack[bp + usize::from(opcode - op::DSTORE_0)] = self.stack[sp];
                        pc += 1;
                    }
                    op::IASTORE => array_store!(i32, popi!()),
                    op::LASTORE => array_store!(i64, popl!()),
                    op::FASTORE => array_store!(f32, popf!()),
                    op::DASTORE => array_store!(f64, popd!()),
                    op::CASTORE => array_store!(u16, popi!() as u16),
                    op::SASTORE => array_store!(i16, popi!() as i16),
                    op::BASTORE => {
                        let v = popi!();
                        let i = popi!();
                        let a = popa!();
                        let v = match self.heap.array_kind(a) {
                            Ok(Some(crate::heap::ElementKind::Boolean)) => v & 1,
                            _ => v,
                        };
                        if let Err(e) = self.heap.set_element::<i8>(a, i, v as i8) {
                            fail!(array_exit(e, opcode));
                        }
                        pc += 1;
                    }
                    op::AASTORE => {
                        let v = popa!();
                        let i = popi!();
                        let a = popa!();
                        if let Err(e) = self.aastore(a, i, v) {
                            fail!(e);
                        }
                        pc += 1;
                    }
                    op::POP => {
                        sp -= 1;
                        pc += 1;
                    }
                    op::POP2 => {
                        sp -= 2;
                        pc += 1;
                    }
                    op::DUP => {
                        self.stack[sp] = self.stack[sp - 1];
                        sp += 1;
                        pc += 1;
                    }
                    op::DUP_X1 => {
                        let (a, b) = (self.stack[sp - 1], self.stack[sp - 2]);
                        self.stack[sp - 2] = a;
                        self.stack[sp - 1] = b;
                        self.stack[sp] = a;
                        sp += 1;
                        pc += 1;
                    }
                    op::DUP_X2 => {
                        let (a, b, c) = (self.stack[sp - 1], self.stack[sp - 2], self.stack[sp - 3]);
                        self.stack[sp - 3] = a;
                        self.stack[sp - 2] = c;
                        self.stack[sp - 1] = b;
                        self.stack[sp] = a;
                        sp += 1;
                        pc += 1;
                    }
                    op::DUP2 => {
                        let (a, b) = (self.stack[sp - 1], self.stack[sp - 2]);
                        self.stack[sp] = b;
                        self.stack[sp + 1] = a;
                        sp += 2;
                        pc += 1;
                    }
                    op::DUP2_X1 => {
                        let (a, b, c) = (self.stack[sp - 1], self.stack[sp - 2], self.stack[sp - 3]);
                        self.stack[sp - 3] = b;
                        self.stack[sp - 2] = a;
                        self.stack[sp - 1] = c;
                        self.stack[sp] = b;
                        self.stack[sp + 1] = a;
                        sp += 2;
                        pc += 1;
                    }
                    op::DUP2_X2 => {
                        let (a, b, c, d) =
                            (self.stack[sp - 1], self.stack[sp - 2], self.stack[sp - 3], self.stack[sp - 4]);
                        self.stack[sp - 4] = b;
                        self.stack[sp - 3] = a;
                        self.stack[sp - 2] = d;
                        self.stack[sp - 1] = c;
                        self.stack[sp] = b;
                        self.stack[sp + 1] = a;
                        sp += 2;
                        pc += 1;
                    }
                    op::SWAP => {
                        self.stack.swap(sp - 1, sp - 2);
                        pc += 1;
                    }
                    op::IADD => int_binop!(i32::wrapping_add),
                    op::LADD => long_binop!(i64::wrapping_add),
                    op::FADD => float_binop!(|a, b| a + b),
                    op::DADD => double_binop!(|a, b| a + b),
                    op::ISUB => int_binop!(i32::wrapping_sub),
                    op::LSUB => long_binop!(i64::wrapping_sub),
                    op::FSUB => float_binop!(|a, b| a - b),
                    op::DSUB => double_binop!(|a, b| a - b),
                    op::IMUL => int_binop!(i32::wrapping_mul),
                    op::LMUL => long_binop!(i64::wrapping_mul),
                    op::FMUL => float_binop!(|a, b| a * b),
                    op::DMUL => double_binop!(|a, b| a * b),
                    op::IDIV | op::IREM => {
                        let b = popi!();
                        let a = popi!();
                        if b == 0 {
                            fail!(Exit::new("java/lang/ArithmeticException", "/ by zero"));
                        }
                        pushi!(if opcode == op::IDIV { a.wrapping_div(b) } else { a.wrapping_rem(b) });
                        pc += 1;
                    }
                    op::LDIV | op::LREM => {
                        let b = popl!();
                        let a = popl!();
                        if b == 0 {
                            fail!(Exit::new("java/lang/ArithmeticException", "/ by zero"));
                        }
                        pushl!(if opcode == op::LDIV { a.wrapping_div(b) } else { a.wrapping_rem(b) });
                        pc += 1;
                    }
                    op::FDIV => float_binop!(|a, b| a / b),
                    op::DDIV => double_binop!(|a, b| a / b),
                    op::FREM => float_binop!(ops::frem),
                    op::DREM => double_binop!(ops::drem),
                    op::INEG => {
                        let a = popi!();
                        pushi!(a.wrapping_neg());
                        pc += 1;
                    }
                    op::LNEG => {
                        let a = popl!();
                        pushl!(a.wrapping_neg());
                        pc += 1;
                    }
                    op::FNEG => {
                        let a = popf!();
                        pushf!(-a);
                        pc += 1;
                    }
                    op::DNEG => {
                        let a = popd!();
                        pushd!(-a);
                        pc += 1;
                    }
                    op::ISHL => int_binop!(|a, b| a.wrapping_shl(b as u32)),
                    op::ISHR => int_binop!(|a, b| a.wrapping_shr(b as u32)),
                    op::IUSHR => int_binop!(|a, b| (a as u32).wrapping_shr(b as u32) as i32),
                    op::LSHL | op::LSHR | op::LUSHR => {
                        let s = popi!() as u32;
                        let a = popl!();
                        pushl!(match opcode {
                            op::LSHL => a.wrapping_shl(s),
                            op::LSHR => a.wrapping_shr(s),
                            _ => (a as u64).wrapping_shr(s) as i64,
                        });
                        pc += 1;
                    }
                    op::IAND => int_binop!(|a, b| a & b),
                    op::LAND => long_binop!(|a, b| a & b),
                    op::IOR => int_binop!(|a, b| a | b),
                    op::LOR => long_binop!(|a, b| a | b),
                    op::IXOR => int_binop!(|a, b| a ^ b),
                    op::LXOR => long_binop!(|a, b| a ^ b),
                    op::IINC => {
                        let at = bp + usize::from(bytes[pc + 1]);
                        let v = (self.stack[at] as u32 as i32).wrapping_add(i32::from(bytes[pc + 2] as i8));
                        self.stack[at] = v as u32 as u64;
                        pc += 3;
                    }
                    op::I2L => {
                        let a = popi!();
                        pushl!(i64::from(a));
                        pc += 1;
                    }
                    op::I2F => {
                        let a = popi!();
                        pushf!(a as f32);
                        pc += 1;
                    }
                    op::I2D => {
                        let a = popi!();
                        pushd!(f64::from(a));
                        pc += 1;
                    }
                    op::L2I => {
                        let a = popl!();
                        pushi!(a as i32);
                        pc += 1;
                    }
                    op::L2F => {
                        let a = popl!();
                        pushf!(a as f32);
                        pc += 1;
                    }
                    op::L2D => {
                        let a = popl!();
                        pushd!(a as f64);
                        pc += 1;
                    }
                    op::F2I => {
                        let a = popf!();
                        pushi!(a as i32);
                        pc += 1;
                    }
                    op::F2L => {
                        let a = popf!();
                        pushl!(a as i64);
                        pc += 1;
                    }
                    op::F2D => {
                        let a = popf!();
                        pushd!(f64::from(a));
                        pc += 1;
                    }
                    op::D2I => {
                        let a = popd!();
                        pushi!(a as i32);
                        pc += 1;
                    }
                    op::D2L => {
                        let a = popd!();
                        pushl!(a as i64);
                        pc += 1;
                    }
                    op::D2F => {
                        let a = popd!();
                        pushf!(a as f32);
                        pc += 1;
                    }
                    op::I2B => {
                        let a = popi!();
                        pushi!(i32::from(a as i8));
                        pc += 1;
                    }
                    op::I2C => {
                        let a = popi!();
                        pushi!(i32::from(a as u16));
                        pc += 1;
                    }
                    op::I2S => {
                        let a = popi!();
                        pushi!(i32::from(a as i16));
                        pc += 1;
                    }
                    op::LCMP => {
                        let b = popl!();
                        let a = popl!();
                        pushi!(a.cmp(&b) as i32);
                        pc += 1;
                    }
                    op::FCMPL | op::FCMPG => {
                        let b = popf!();
                        let a = popf!();
                        pushi!(ops::fcmp(a, b, if opcode == op::FCMPL { -1 } else { 1 }));
                        pc += 1;
                    }
                    op::DCMPL | op::DCMPG => {
                        let b = popd!();
                        let a = popd!();
                        pushi!(ops::dcmp(a, b, if opcode == op::DCMPL { -1 } else { 1 }));
                        pc += 1;
                    }
                    op::IFEQ => {
                        let a = popi!();
                        branch!(a == 0)
                    }
                    op::IFNE => {
                        let a = popi!();
                        branch!(a != 0)
                    }
                    op::IFLT => {
                        let a = popi!();
                        branch!(a < 0)
                    }
                    op::IFGE => {
                        let a = popi!();
                        branch!(a >= 0)
                    }
                    op::IFGT => {
                        let a = popi!();
                        branch!(a > 0)
                    }
                    op::IFLE => {
                        let a = popi!();
                        branch!(a <= 0)
                    }
                    op::IF_ICMPEQ..=op::IF_ICMPLE => {
                        let b = popi!();
                        let a = popi!();
                        branch!(match opcode {
                            op::IF_ICMPEQ => a == b,
                            op::IF_ICMPNE => a != b,
                            op::IF_ICMPLT => a < b,
                            op::IF_ICMPGE => a >= b,
                            op::IF_ICMPGT => a > b,
                            _ => a <= b,
                        })
                    }
                    op::IF_ACMPEQ | op::IF_ACMPNE => {
                        let b = pop!() as u32;
                        let a = pop!() as u32;
                        branch!((a == b) == (opcode == op::IF_ACMPEQ))
                    }
                    op::IFNULL | op::IFNONNULL => {
                        let a = pop!() as u32;
                        branch!((a == 0) == (opcode == op::IFNULL))
                    }
                    op::GOTO => branch!(true),
                    op::GOTO_W => {
                        let off = be_i32(bytes, pc + 1);
                        if off <= 0 {
                            tick!();
                        }
                        pc = (pc as isize + off as isize) as usize;
                    }
                    op::TABLESWITCH => {
                        let key = popi!();
                        let a = (pc + 4) & !3;
                        let (low, high) = (be_i32(bytes, a + 4), be_i32(bytes, a + 8));
                        let off = if key < low || key > high {
                            be_i32(bytes, a)
                        } else {
                            be_i32(bytes, a + 12 + 4 * (i64::from(key) - i64::from(low)) as usize)
                        };
                        if off <= 0 {
                            tick!();
                        }
                        pc = (pc as isize + off as isize) as usize;
                    }
                    op::LOOKUPSWITCH => {
                        let key = popi!();
                        let a = (pc + 4) & !3;
                        let n = be_i32(bytes, a + 4) as usize;
                        let (mut lo, mut hi) = (0usize, n);
                        let mut off = be_i32(bytes, a);
                        while lo < hi {
                            let mid = lo + (hi - lo) / 2;
                            let k = be_i32(bytes, a + 8 + 8 * mid);
                            match k.cmp(&key) {
                                core::cmp::Ordering::Less => lo = mid + 1,
                                core::cmp::Ordering::Greater => hi = mid,
                                core::cmp::Ordering::Equal => {
                                    off = be_i32(bytes, a + 12 + 8 * mid);
                                    break;
                                }
                            }
                        }
                        if off <= 0 {
                            tick!();
                        }
                        pc = (pc as isize + off as isize) as usize;
                    }
                    op::IRETURN | op::FRETURN | op::ARETURN | op::LRETURN | op::DRETURN | op::RETURN => {
                        let slots = match opcode {
                            op::LRETURN | op::DRETURN => 2,
                            op::RETURN => 0,
                            _ => 1,
                        };
                        let value = if slots == 0 { 0 } else { self.stack[sp - slots] };
                        sync!();
                        match self.do_return(value, slots, stop) {
                            Ok(Some(v)) => return Ok(v),
                            Ok(None) => continue 'reload,
                            Err(e) => {
                                self.raise(e, stop)?;
                                continue 'reload;
                            }
                        }
                    }
                    op::GETSTATIC | op::PUTSTATIC => {
                        let idx = u2!();
                        let put = opcode == op::PUTSTATIC;
                        let fr = match &self.classes[cls.ix()].cp[usize::from(idx)] {
                            CpEntry::Field { res: Res::Ok(fr), .. }
                                if fr.is_static
                                    && (!put || fr.put_ok)
                                    && self.classes[fr.class.ix()].state == InitState::Initialized =>
                            {
                                *fr
                            }
                            _ => {
                                sync!();
                                match self.field_slow(cls, method, idx, true, put) {
                                    Ok(Some(fr)) => fr,
                                    Ok(None) => continue 'reload,
                                    Err(e) => fail!(e),
                                }
                            }
                        };
                        let off = fr.offset as usize;
                        if put {
                            if fr.kind == ValueKind::Ref {
                                self.static_refs[off] = popa!();
                            } else if fr.kind.slots() == 2 {
                                sp -= 2;
                                self.static_prims[off] = self.stack[sp];
                            } else {
                                let v = pop!();
                                self.static_prims[off] = match fr.kind {
                                    ValueKind::Float => v,
                                    k => narrow(k, v as u32 as i32) as u32 as u64,
                                };
                            }
                        } else if fr.kind == ValueKind::Ref {
                            pusha!(self.static_refs[off]);
                        } else {
                            self.stack[sp] = self.static_prims[off];
                            sp += fr.kind.slots();
                        }
                        pc += 3;
                    }
                    op::GETFIELD | op::PUTFIELD => {
                        let idx = u2!();
                        let put = opcode == op::PUTFIELD;
                        let fr = match &self.classes[cls.ix()].cp[usize::from(idx)] {
                            CpEntry::Field { res: Res::Ok(fr), .. } if !fr.is_static && (!put || fr.put_ok) => *fr,
                            _ => {
                                sync!();
                                match self.field_slow(cls, method, idx, false, put) {
                                    Ok(Some(fr)) => fr,
                                    Ok(None) => continue 'reload,
                                    Err(e) => fail!(e),
                                }
                            }
                        };
                        let r = if put {
                            let slots = fr.kind.slots();
                            let v = self.stack[sp - slots];
                            sp -= slots;
                            let obj = popa!();
                            self.put_field_value(obj, &fr, v)
                        } else {
                            let obj = popa!();
                            match self.get_field_value(obj, &fr) {
                                Ok(v) => {
                                    self.stack[sp] = v;
                                    sp += fr.kind.slots();
                                    Ok(())
                                }
                                Err(e) => Err(e),
                            }
                        };
                        if let Err(e) = r {
                            fail!(self.field_access_exit(e, &fr, put));
                        }
                        pc += 3;
                    }
                    op::INVOKEVIRTUAL | op::INVOKESPECIAL | op::INVOKESTATIC | op::INVOKEINTERFACE => {
                        let idx = u2!();
                        sync!();
                        tick!();
                        if let Err(e) = self.invoke_insn(opcode, cls, idx, sp) {
                            fail!(e);
                        }
                        continue 'reload;
                    }
                    op::INVOKEDYNAMIC => {
                        let idx = u2!();
                        sync!();
                        tick!();
                        if let Err(e) = self.invoke_dynamic(cls, idx, sp) {
                            fail!(e);
                        }
                        continue 'reload;
                    }
                    op::NEW => {
                        let idx = u2!();
                        let c = match &self.classes[cls.ix()].cp[usize::from(idx)] {
                            CpEntry::Class { res: Res::Ok(c), .. }
                                if self.classes[c.ix()].state == InitState::Initialized
                                    && self.classes[c.ix()].flags
                                        & (crate::classfile::flags::ACC_ABSTRACT
                                            | crate::classfile::flags::ACC_INTERFACE)
                                        == 0 =>
                            {
                                *c
                            }
                            _ => {
                                sync!();
                                match self.new_slow(cls, idx) {
                                    Ok(Some(c)) => c,
                                    Ok(None) => continue 'reload,
                                    Err(e) => fail!(e),
                                }
                            }
                        };
                        sync!();
                        let r = tri!(self.alloc_instance(c));
                        pusha!(r);
                        pc += 3;
                    }
                    op::NEWARRAY => {
                        let atype = bytes[pc + 1];
                        let n = popi!();
                        sync!();
                        let r = tri!(self.new_primitive_array(atype, n));
                        pusha!(r);
                        pc += 2;
                    }
                    op::ANEWARRAY => {
                        let idx = u2!();
                        let n = popi!();
                        sync!();
                        let ac = tri!(self.array_class_for(cls, idx));
                        let r = tri!(self.alloc_array(ac, n));
                        pusha!(r);
                        pc += 3;
                    }
                    op::MULTIANEWARRAY => {
                        let idx = u2!();
                        let dims = usize::from(bytes[pc + 3]);
                        sp -= dims;
                        sync!();
                        let r = tri!(self.multianewarray(cls, idx, sp, dims));
                        pusha!(r);
                        pc += 4;
                    }
                    op::ARRAYLENGTH => {
                        let a = popa!();
                        match self.heap.array_length(a) {
                            Ok(n) => pushi!(n),
                            Err(AccessError::NullPointer) => {
                                fail!(Exit::new("java/lang/NullPointerException", "Cannot read the array length"))
                            }
                            Err(e) => fail!(array_exit(e, opcode)),
                        }
                        pc += 1;
                    }
                    op::ATHROW => {
                        let r = popa!();
                        if r.is_null() {
                            fail!(Exit::new("java/lang/NullPointerException", "Cannot throw exception"));
                        }
                        self.throwing = r;
                        fail!(Exit::Exception);
                    }
                    op::CHECKCAST | op::INSTANCEOF => {
                        let idx = u2!();
                        let r = Ref::from_raw(self.stack[sp - 1] as u32);
                        let ok = if r.is_null() {
                            opcode == op::CHECKCAST
                        } else {
                            let target = match &self.classes[cls.ix()].cp[usize::from(idx)] {
                                CpEntry::Class { res: Res::Ok(c), .. } => *c,
                                _ => {
                                    sync!();
                                    tri!(self.resolve_class(cls, idx).map_err(Exit::Link))
                                }
                            };
                            let rc = self.class_of(r).unwrap_or(target);
                            let ok = self.is_instance_of(rc, target);
                            if !ok && opcode == op::CHECKCAST {
                                fail!(self.class_cast_exit(rc, target));
                            }
                            ok
                        };
                        if opcode == op::INSTANCEOF {
                            sp -= 1;
                            pushi!(ok as i32);
                        }
                        pc += 3;
                    }
                    op::MONITORENTER => {
                        let r = popa!();
                        if r.is_null() {
                            fail!(Exit::new("java/lang/NullPointerException", "Cannot enter synchronized block"));
                        }
                        self.monitor_enter(r);
                        pc += 1;
                    }
                    op::MONITOREXIT => {
                        let r = popa!();
                        if r.is_null() {
                            fail!(Exit::new("java/lang/NullPointerException", "Cannot exit synchronized block"));
                        }
                        if !self.monitor_exit(r) {
                            fail!(Exit::new("java/lang/IllegalMonitorStateException", "current thread is not owner"));
                        }
                        pc += 1;
                    }
                    op::WIDE => {
                        let sub = bytes[pc + 1];
                        let at = bp + usize::from(be_u16(bytes, pc + 2));
                        match sub {
                            op::ILOAD | op::FLOAD | op::ALOAD => push!(self.stack[at]),
                            op::LLOAD | op::DLOAD => {
                                self.stack[sp] = self.stack[at];
                                sp += 2;
                            }
                            op::ISTORE | op::FSTORE | op::ASTORE => {
                                let v = pop!();
                                self.stack[at] = v;
                            }
                            op::LSTORE | op::DSTORE => {
                                sp -= 2;
                                self.stack[at] = self.stack[sp];
                            }
                            op::IINC => {
                                let d = i32::from(be_u16(bytes, pc + 4) as i16);
                                self.stack[at] = (self.stack[at] as u32 as i32).wrapping_add(d) as u32 as u64;
                                pc += 2;
                            }
                            _ => fail!(Exit::internal("bad wide instruction")),
                        }
                        pc += 4;
                    }
                    _ => fail!(Exit::internal(format!("unsupported opcode {opcode}"))),
                }
            }
        }
    }

    fn field_access_exit(&self, e: AccessError, fr: &FieldRef, put: bool) -> Exit {
        match e {
            AccessError::NullPointer => {
                let name = crate::classfile::mutf8::decode_lossy(&self.fields[fr.field.ix()].name);
                let verb = if put { "assign" } else { "read" };
                Exit::new("java/lang/NullPointerException", format!("Cannot {verb} field \"{name}\""))
            }
            e => Exit::internal(format!("field access: {e}")),
        }
    }

    #[inline]
    fn get_field_value(&self, obj: Ref, fr: &FieldRef) -> Result<u64, AccessError> {
        let h = &self.heap;
        let o = fr.offset;
        Ok(match fr.kind {
            ValueKind::Int => h.get_field::<i32>(obj, o)? as u32 as u64,
            ValueKind::Ref => u64::from(h.get_field::<Ref>(obj, o)?.to_raw()),
            ValueKind::Long => h.get_field::<i64>(obj, o)? as u64,
            ValueKind::Double => h.get_field::<f64>(obj, o)?.to_bits(),
            ValueKind::Float => u64::from(h.get_field::<f32>(obj, o)?.to_bits()),
            ValueKind::Boolean | ValueKind::Byte => i32::from(h.get_field::<i8>(obj, o)?) as u32 as u64,
            ValueKind::Char => u64::from(h.get_field::<u16>(obj, o)?),
            ValueKind::Short => i32::from(h.get_field::<i16>(obj, o)?) as u32 as u64,
        })
    }

    #[inline]
    fn put_field_value(&mut self, obj: Ref, fr: &FieldRef, v: u64) -> Result<(), AccessError> {
        let h = &mut self.heap;
        let o = fr.offset;
        let i = v as u32 as i32;
        match fr.kind {
            ValueKind::Int => h.set_field(obj, o, i),
            ValueKind::Ref => h.set_field(obj, o, Ref::from_raw(v as u32)),
            ValueKind::Long => h.set_field(obj, o, v as i64),
            ValueKind::Double => h.set_field(obj, o, f64::from_bits(v)),
            ValueKind::Float => h.set_field(obj, o, f32::from_bits(v as u32)),
            ValueKind::Boolean => h.set_field(obj, o, (i & 1) as i8),
            ValueKind::Byte => h.set_field(obj, o, i as i8),
            ValueKind::Char => h.set_field(obj, o, i as u16),
            ValueKind::Short => h.set_field(obj, o, i as i16),
        }
    }

    /// Field resolution and use checks, then (for statics) initialization.
    /// `Ok(None)`: a `<clinit>` frame was pushed.
    fn field_slow(
        &mut self,
        cls: ClassId,
        method: MethodId,
        idx: u16,
        is_static: bool,
        put: bool,
    ) -> Result<Option<FieldRef>, Exit> {
        let mut fr = self.resolve_field(cls, idx).map_err(Exit::Link)?;
        self.check_field_use(cls, method, &fr, is_static, put).map_err(Exit::Link)?;
        if put && !fr.put_ok {
            fr.put_ok = true;
            if let Some(CpEntry::Field { res: Res::Ok(f), .. }) = self.classes[cls.ix()].cp.get_mut(usize::from(idx)) {
                f.put_ok = true;
            }
        }
        if is_static {
            if let crate::runtime::init::InitStep::Pushed = self.ensure_init(fr.class)? {
                return Ok(None);
            }
        }
        Ok(Some(fr))
    }

    /// `new`: resolve, check instantiable, initialize. `Ok(None)`: a
    /// `<clinit>` frame was pushed.
    fn new_slow(&mut self, cls: ClassId, idx: u16) -> Result<Option<ClassId>, Exit> {
        let c = self.resolve_class(cls, idx).map_err(Exit::Link)?;
        let k = &self.classes[c.ix()];
        if k.flags & (crate::classfile::flags::ACC_ABSTRACT | crate::classfile::flags::ACC_INTERFACE) != 0
            || !matches!(k.kind, ClassKind::Instance)
        {
            return Err(Exit::new("java/lang/InstantiationError", crate::runtime::loader::dotted(&k.name)));
        }
        match self.ensure_init(c)? {
            crate::runtime::init::InitStep::Pushed => Ok(None),
            crate::runtime::init::InitStep::Ready => Ok(Some(c)),
        }
    }

    /// `ldc` of anything but int/float/resolved strings.
    fn ldc_slow(&mut self, cls: ClassId, idx: u16) -> Result<u64, Exit> {
        let entry = self.classes[cls.ix()].cp[usize::from(idx)].clone();
        match entry {
            CpEntry::String { .. } => Ok(u64::from(self.ldc_string(cls, idx)?.to_raw())),
            CpEntry::Class { .. } => {
                let c = self.resolve_class(cls, idx).map_err(Exit::Link)?;
                Ok(u64::from(self.mirror(c)?.to_raw()))
            }
            CpEntry::MethodType { .. } | CpEntry::MethodHandle { .. } => Err(Exit::new(
                "java/lang/BootstrapMethodError",
                "ldc of MethodType/MethodHandle constants is not supported",
            )),
            CpEntry::Dynamic { .. } => {
                Err(Exit::new("java/lang/BootstrapMethodError", "dynamically-computed constants are not supported"))
            }
            _ => Err(Exit::internal("ldc of an unloadable constant")),
        }
    }

    fn aastore(&mut self, a: Ref, i: i32, v: Ref) -> Result<(), Exit> {
        let len = self.heap.array_length(a).map_err(|e| array_exit(e, op::AASTORE))?;
        if i < 0 || i >= len {
            return Err(array_exit(AccessError::IndexOutOfBounds { index: i64::from(i), length: len }, op::AASTORE));
        }
        if !v.is_null() {
            let ac = self.class_of(a).ok_or_else(|| Exit::internal("aastore: bad array"))?;
            let vc = self.class_of(v).ok_or_else(|| Exit::internal("aastore: bad value"))?;
            if let ClassKind::Array { component, .. } = self.classes[ac.ix()].kind {
                if !self.is_instance_of(vc, component) {
                    return Err(Exit::new("java/lang/ArrayStoreException", self.binary_name(vc)));
                }
            }
        }
        self.heap.set_element(a, i, v).map_err(|e| array_exit(e, op::AASTORE))
    }

    fn class_cast_exit(&self, from: ClassId, to: ClassId) -> Exit {
        Exit::new(
            "java/lang/ClassCastException",
            format!("class {} cannot be cast to class {}", self.binary_name(from), self.binary_name(to)),
        )
    }

    fn new_primitive_array(&mut self, atype: u8, n: i32) -> Result<Ref, Exit> {
        let code = match atype {
            4 => b'Z',
            5 => b'C',
            6 => b'F',
            7 => b'D',
            8 => b'B',
            9 => b'S',
            10 => b'I',
            11 => b'J',
            _ => return Err(Exit::internal("bad newarray type")),
        };
        let pc = self.primitive_class(code);
        let ac = self.array_class_of(pc).map_err(Exit::Link)?;
        self.alloc_array(ac, n)
    }

    /// The class of arrays of the class named at `idx` (`anewarray`).
    fn array_class_for(&mut self, cls: ClassId, idx: u16) -> Result<ClassId, Exit> {
        let c = match &self.classes[cls.ix()].cp[usize::from(idx)] {
            CpEntry::Class { res: Res::Ok(c), .. } => *c,
            _ => self.resolve_class(cls, idx).map_err(Exit::Link)?,
        };
        match self.classes[c.ix()].array_class {
            Some(a) => Ok(a),
            None => self.array_class_of(c).map_err(Exit::Link),
        }
    }

    /// `multianewarray` with the counts at `base..base + dims` on the stack.
    fn multianewarray(&mut self, cls: ClassId, idx: u16, base: usize, dims: usize) -> Result<Ref, Exit> {
        let ac = self.resolve_class(cls, idx).map_err(Exit::Link)?;
        let counts: alloc::vec::Vec<i32> = (0..dims).map(|i| self.stack[base + i] as u32 as i32).collect();
        if let Some(&n) = counts.iter().find(|&&n| n < 0) {
            return Err(Exit::new("java/lang/NegativeArraySizeException", format!("{n}")));
        }
        self.alloc_multi(ac, &counts)
    }

    fn alloc_multi(&mut self, ac: ClassId, counts: &[i32]) -> Result<Ref, Exit> {
        let arr = self.alloc_array(ac, counts[0])?;
        if counts.len() == 1 {
            return Ok(arr);
        }
        let ClassKind::Array { component, .. } = self.classes[ac.ix()].kind else {
            return Err(Exit::internal("multianewarray: not an array class"));
        };
        let at = self.heap.roots().len();
        self.heap.roots().push(arr);
        for i in 0..counts[0] {
            match self.alloc_multi(component, &counts[1..]) {
                Ok(sub) => {
                    let arr = self.heap.roots()[at];
                    let _ = self.heap.set_element(arr, i, sub);
                }
                Err(e) => {
                    self.heap.roots().truncate(at);
                    return Err(e);
                }
            }
        }
        let arr = self.heap.roots()[at];
        self.heap.roots().truncate(at);
        Ok(arr)
    }

    /// `monitorenter`: single-threaded, so only the count is kept.
    pub(crate) fn monitor_enter(&mut self, r: Ref) {
        match self.monitors.iter_mut().find(|(o, _)| *o == r) {
            Some((_, n)) => *n += 1,
            None => self.monitors.push((r, 1)),
        }
    }

    /// `monitorexit`: `false` if the monitor is not held.
    pub(crate) fn monitor_exit(&mut self, r: Ref) -> bool {
        match self.monitors.iter().position(|(o, _)| *o == r) {
            Some(i) => {
                self.monitors[i].1 -= 1;
                if self.monitors[i].1 == 0 {
                    self.monitors.swap_remove(i);
                }
                true
            }
            None => false,
        }
    }
}
