//! The bytecode interpreter: an iterative loop over the VM-managed Java
//! stack (see [`frame`]) that dispatches on pre-decoded, quickened code
//! (`quick`: one word per bytecode offset, so the loop's pc is the
//! bytecode pc everything else uses). Nothing is allocated per instruction.
//!
//! # Two loops, and why
//!
//! * `Vm::fast` runs the instructions that cannot leave the interpreter
//!   loop: locals, constants, stack, arithmetic, branches, quickened field
//!   and static access, array elements, the superinstructions. It calls
//!   nothing but inlined heap accessors, so the compiler keeps its state
//!   (current instruction, operand stack top, locals pointer, `self`) in
//!   registers. It returns at the first instruction it does not run (a
//!   call, an allocation, an unresolved instruction), that fails (null,
//!   index, divisor), or at a back edge with the budget spent, before that
//!   instruction has had any effect.
//! * `Vm::run` is the complete interpreter. It runs the one instruction
//!   `fast` stopped at and calls `fast` again. It owns everything that
//!   needs the frame record: writing pc and sp back (`sync!`) before
//!   anything that may inspect them (calls, allocation: the collector
//!   walks frames, throws), raising exceptions, resolution and quickening,
//!   frame changes. An instruction `fast` runs reaches `run` only when it
//!   fails or the budget refuses its back edge; `Vm::step` runs it once
//!   more through the same code (the `ops!` macro) to learn the exit. Both
//!   helpers are out of line, so `run`'s stack frame, which every
//!   native-to-Java nesting level adds, stays small.
//!
//! # Soundness of the unchecked accesses
//!
//! Operand-stack and local accesses are unchecked. Code is verified before
//! it runs (docs/jvm.md), and the verifier guarantees that no instruction
//! underflows the operand stack, grows it beyond `max_stack`, or names a
//! local at or beyond `max_locals`; the frame was pushed with
//! `bp + max_locals + max_stack < stack.len()` (`push_java_frame`). The
//! slot vector only grows, and may move whenever Rust code that can push
//! frames runs, so the locals pointer is re-derived (`refresh!`) after
//! every such call. Branch targets are verified instruction starts and
//! execution cannot fall off the end of verified code, so the current
//! instruction pointer always points at a decoded instruction. A
//! superinstruction touches only slots that the instructions it replaces
//! touch (it may skip their intermediate pushes), so the same bounds hold
//! for it. Heap accesses stay on the heap's checked accessors, so a VM bug
//! can still not reach outside the heap.
//!
//! The budget is counted at back edges (a branch to its own or an earlier
//! pc) and calls, nowhere else.
//!
//! Everything that can fail produces an [`Exit`]; `run` writes its `pc`
//! and `sp` back to the frame record (so stack traces and the collector
//! see the exact state) and hands it to `raise`, which finds a handler,
//! pushes an exception constructor, or ends the loop.

mod exceptions;
pub mod frame;
mod gc;
mod indy;
pub(crate) mod invoke;
pub(crate) mod ops;
pub(crate) mod quick;

use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::Cell;

use crate::heap::{AccessError, ElementKind, Ref};
use crate::runtime::class::*;
use crate::runtime::compiler::JitStep;
use crate::runtime::init::narrow;
use crate::runtime::{LinkError, Vm, VmError};
use crate::verify::insn::op;

use frame::{Cont, Frame};
use ops::{be_i32, be_u16};
use quick::{q, Insn};

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
#[cold]
#[inline(never)]
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

#[cold]
#[inline(never)]
fn div_by_zero() -> Exit {
    Exit::new("java/lang/ArithmeticException", "/ by zero")
}

#[cold]
#[inline(never)]
fn npe(msg: &str) -> Exit {
    Exit::new("java/lang/NullPointerException", msg)
}

#[cold]
#[inline(never)]
fn array_length_exit(e: AccessError) -> Exit {
    match e {
        AccessError::NullPointer => npe("Cannot read the array length"),
        e => array_exit(e, op::ARRAYLENGTH),
    }
}

/// The JVM opcode of a generic invoke operation.
fn invoke_opcode(o: u8) -> u8 {
    match o {
        q::INVOKEVIRTUAL => op::INVOKEVIRTUAL,
        q::INVOKESPECIAL => op::INVOKESPECIAL,
        q::INVOKESTATIC => op::INVOKESTATIC,
        _ => op::INVOKEINTERFACE,
    }
}

/// `putstatic` narrowing codes of `PUTSTATIC_P` (0: none, int and float).
fn narrow_code(k: ValueKind) -> u16 {
    match k {
        ValueKind::Boolean => 1,
        ValueKind::Byte => 2,
        ValueKind::Char => 3,
        ValueKind::Short => 4,
        _ => 0,
    }
}

#[inline(always)]
fn narrow_by_code(code: usize, v: u64) -> u64 {
    let i = v as u32 as i32;
    let n = match code {
        1 => i & 1,
        2 => i32::from(i as i8),
        3 => i32::from(i as u16),
        4 => i32::from(i as i16),
        _ => i,
    };
    n as u32 as u64
}

// ---- the instructions both loops run ----
//
// These macros take the loop state (`ip`, `sp`, `lp`) as identifiers; the
// caller defines `tick!(skip)` (count a back edge or stop) and
// `bail!(skip, exit)` (the instruction fails: `fast` returns before any
// effect, `run` moves `skip` bytes on to the failing part of a fused
// instruction and raises `exit`).

/// Slot `i` of the frame at `lp`: locals first, then the operand stack.
macro_rules! slot {
    ($lp:ident, $i:expr) => {
        // SAFETY: verified code only names slots of its frame (module docs).
        unsafe { *$lp.add($i) }
    };
}

macro_rules! set_slot {
    ($lp:ident, $i:expr, $v:expr) => {{
        let v: u64 = $v;
        // SAFETY: as in `slot!`.
        unsafe { *$lp.add($i) = v }
    }};
}

/// Moves to the instruction `n` bytes on.
macro_rules! advance {
    ($ip:ident, $n:expr) => {{
        // SAFETY: verified code cannot fall off its end, so the next
        // instruction is inside the code.
        $ip = unsafe { $ip.add($n) };
    }};
}

/// A conditional branch `rel` bytes away (back edges tick), else `len` on;
/// either way the branch's `pop` operands leave the stack, after the tick
/// (a refused tick leaves the instruction unstarted).
macro_rules! jump_if {
    ($ip:ident, $sp:ident, $pop:expr, $cond:expr, $rel:expr, $len:expr) => {{
        if $cond {
            let rel: isize = $rel;
            if rel <= 0 {
                tick!(0);
            }
            $sp -= $pop;
            // SAFETY: verified branch targets are instruction starts.
            $ip = unsafe { $ip.offset(rel) };
        } else {
            $sp -= $pop;
            advance!($ip, $len);
        }
    }};
}

macro_rules! int_binop {
    ($ip:ident, $sp:ident, $lp:ident, $f:expr) => {{
        let b = slot!($lp, $sp - 1) as u32 as i32;
        let a = slot!($lp, $sp - 2) as u32 as i32;
        let f: fn(i32, i32) -> i32 = $f;
        $sp -= 1;
        set_slot!($lp, $sp - 1, f(a, b) as u32 as u64);
        advance!($ip, 1);
    }};
}

macro_rules! long_binop {
    ($ip:ident, $sp:ident, $lp:ident, $f:expr) => {{
        let b = slot!($lp, $sp - 2) as i64;
        let a = slot!($lp, $sp - 4) as i64;
        let f: fn(i64, i64) -> i64 = $f;
        $sp -= 2;
        set_slot!($lp, $sp - 2, f(a, b) as u64);
        advance!($ip, 1);
    }};
}

macro_rules! float_binop {
    ($ip:ident, $sp:ident, $lp:ident, $f:expr) => {{
        let b = f32::from_bits(slot!($lp, $sp - 1) as u32);
        let a = f32::from_bits(slot!($lp, $sp - 2) as u32);
        let f: fn(f32, f32) -> f32 = $f;
        $sp -= 1;
        set_slot!($lp, $sp - 1, u64::from(f(a, b).to_bits()));
        advance!($ip, 1);
    }};
}

macro_rules! double_binop {
    ($ip:ident, $sp:ident, $lp:ident, $f:expr) => {{
        let b = f64::from_bits(slot!($lp, $sp - 2));
        let a = f64::from_bits(slot!($lp, $sp - 4));
        let f: fn(f64, f64) -> f64 = $f;
        $sp -= 2;
        set_slot!($lp, $sp - 2, f(a, b).to_bits());
        advance!($ip, 1);
    }};
}

/// Pops `from` slots, converts, pushes `to` slots.
macro_rules! convert {
    ($ip:ident, $sp:ident, $lp:ident, $from:expr, $to:expr, $f:expr) => {{
        let f: fn(u64) -> u64 = $f;
        let v = slot!($lp, $sp - $from);
        $sp = $sp - $from + $to;
        set_slot!($lp, $sp - $to, f(v));
        advance!($ip, 1);
    }};
}

/// `xaload` with array and index on the stack.
macro_rules! array_load {
    ($vm:ident, $ip:ident, $sp:ident, $lp:ident, $t:ty, $slots:expr, $jop:expr, $conv:expr) => {{
        let i = slot!($lp, $sp - 1) as u32 as i32;
        let a = Ref::from_raw(slot!($lp, $sp - 2) as u32);
        match $vm.heap.get_element::<$t>(a, i) {
            Ok(v) => {
                let conv: fn($t) -> u64 = $conv;
                set_slot!($lp, $sp - 2, conv(v));
                $sp = $sp - 2 + $slots;
                advance!($ip, 1);
            }
            Err(e) => bail!(0, array_exit(e, $jop)),
        }
    }};
}

/// `aload; iload; xaload` with array and index in locals b0 and b1.
macro_rules! local_array_load {
    ($vm:ident, $w:ident, $ip:ident, $sp:ident, $lp:ident, $t:ty, $slots:expr, $jop:expr, $conv:expr) => {{
        let a = Ref::from_raw(slot!($lp, $w.b0()) as u32);
        let i = slot!($lp, $w.b1()) as u32 as i32;
        match $vm.heap.get_element::<$t>(a, i) {
            Ok(v) => {
                let conv: fn($t) -> u64 = $conv;
                set_slot!($lp, $sp, conv(v));
                $sp += $slots;
                advance!($ip, $w.len());
            }
            // Reported at the xaload, the fused instruction's last byte.
            Err(e) => bail!($w.len() - 1, array_exit(e, $jop)),
        }
    }};
}

/// `xastore` of a `slots`-slot value.
macro_rules! array_store {
    ($vm:ident, $ip:ident, $sp:ident, $lp:ident, $t:ty, $slots:expr, $jop:expr, $conv:expr) => {{
        let v = slot!($lp, $sp - $slots);
        let i = slot!($lp, $sp - $slots - 1) as u32 as i32;
        let a = Ref::from_raw(slot!($lp, $sp - $slots - 2) as u32);
        let conv: fn(u64) -> $t = $conv;
        match $vm.heap.set_element::<$t>(a, i, conv(v)) {
            Ok(()) => {
                $sp -= $slots + 2;
                advance!($ip, 1);
            }
            Err(e) => bail!(0, array_exit(e, $jop)),
        }
    }};
}

/// Quickened `getfield` (offset in `c`).
macro_rules! getfield {
    ($vm:ident, $w:ident, $ip:ident, $sp:ident, $lp:ident, $t:ty, $slots:expr, $conv:expr) => {{
        let obj = Ref::from_raw(slot!($lp, $sp - 1) as u32);
        match $vm.heap.get_field::<$t>(obj, $w.c()) {
            Ok(v) => {
                let conv: fn($t) -> u64 = $conv;
                set_slot!($lp, $sp - 1, conv(v));
                $sp += $slots - 1;
                advance!($ip, 3);
            }
            Err(e) => bail!(0, $vm.field_exit_at(e, $ip, false)),
        }
    }};
}

/// Quickened `putfield` of a `slots`-slot value.
macro_rules! putfield {
    ($vm:ident, $w:ident, $ip:ident, $sp:ident, $lp:ident, $t:ty, $slots:expr, $conv:expr) => {{
        let v = slot!($lp, $sp - $slots);
        let obj = Ref::from_raw(slot!($lp, $sp - $slots - 1) as u32);
        let conv: fn(u64) -> $t = $conv;
        match $vm.heap.set_field::<$t>(obj, $w.c(), conv(v)) {
            Ok(()) => {
                $sp -= $slots + 1;
                advance!($ip, 3);
            }
            Err(e) => bail!(0, $vm.field_exit_at(e, $ip, true)),
        }
    }};
}

/// `aload n; getfield` with the field quickened.
macro_rules! aload_getfield {
    ($vm:ident, $w:ident, $ip:ident, $sp:ident, $lp:ident, $t:ty, $slots:expr, $conv:expr) => {{
        let obj = Ref::from_raw(slot!($lp, $w.b()) as u32);
        match $vm.heap.get_field::<$t>(obj, $w.c()) {
            Ok(v) => {
                let conv: fn($t) -> u64 = $conv;
                set_slot!($lp, $sp, conv(v));
                $sp += $slots;
                advance!($ip, $w.len());
            }
            // Reported at the getfield, the fused instruction's last 3 bytes.
            // SAFETY: that is inside the code.
            Err(e) => bail!($w.len() - 3, $vm.field_exit_at(e, unsafe { $ip.add($w.len() - 3) }, false)),
        }
    }};
}

/// ALOAD_FIELD_INC_I / _J: the local's field of type `$t` plus the
/// constant, in place.
macro_rules! field_inc {
    ($vm:ident, $w:ident, $ip:ident, $sp:ident, $lp:ident, $t:ty) => {{
        let obj = Ref::from_raw(slot!($lp, $w.b0()) as u32);
        let k = $w.b1() as u8 as i8 as $t;
        match $vm.heap.update_field::<$t>(obj, $w.c(), |v| v.wrapping_add(k)) {
            Ok(()) => advance!($ip, $w.len()),
            // Reported at the getfield (after `aload_<n>; dup`), whose
            // stack holds the object once more: the copy it consumed.
            Err(e) => bail!(2, {
                set_slot!($lp, $sp, u64::from(obj.to_raw()));
                $sp += 1;
                // SAFETY: the getfield is inside the instruction.
                $vm.field_exit_at(e, unsafe { $ip.add(2) }, false)
            }),
        }
    }};
}

macro_rules! if_icmp {
    ($w:ident, $ip:ident, $sp:ident, $lp:ident, $cmp:tt) => {{
        let b = slot!($lp, $sp - 1) as u32 as i32;
        let a = slot!($lp, $sp - 2) as u32 as i32;
        jump_if!($ip, $sp, 2, a $cmp b, $w.rel(), 3)
    }};
}

macro_rules! if_zero {
    ($w:ident, $ip:ident, $sp:ident, $lp:ident, $cmp:tt) => {{
        let a = slot!($lp, $sp - 1) as u32 as i32;
        jump_if!($ip, $sp, 1, a $cmp 0, $w.rel(), 3)
    }};
}

macro_rules! ll_if_icmp {
    ($w:ident, $ip:ident, $sp:ident, $lp:ident, $cmp:tt) => {{
        let a = slot!($lp, $w.b0()) as u32 as i32;
        let b = slot!($lp, $w.b1()) as u32 as i32;
        jump_if!($ip, $sp, 0, a $cmp b, $w.rel(), $w.len())
    }};
}

macro_rules! lc_if_icmp {
    ($w:ident, $ip:ident, $sp:ident, $lp:ident, $cmp:tt) => {{
        let a = slot!($lp, $w.b()) as u32 as i32;
        jump_if!($ip, $sp, 0, a $cmp $w.c_hi(), $w.rel_lo(), $w.len())
    }};
}

/// `top = top op c` (ints).
macro_rules! const_op {
    ($w:ident, $ip:ident, $sp:ident, $lp:ident, $f:expr) => {{
        let f: fn(i32, i32) -> i32 = $f;
        let a = slot!($lp, $sp - 1) as u32 as i32;
        set_slot!($lp, $sp - 1, f(a, $w.c() as i32) as u32 as u64);
        advance!($ip, $w.len());
    }};
}

/// `top = top op local b` (ints).
macro_rules! local_op {
    ($w:ident, $ip:ident, $sp:ident, $lp:ident, $f:expr) => {{
        let f: fn(i32, i32) -> i32 = $f;
        let a = slot!($lp, $sp - 1) as u32 as i32;
        let b = slot!($lp, $w.b()) as u32 as i32;
        set_slot!($lp, $sp - 1, f(a, b) as u32 as u64);
        advance!($ip, $w.len());
    }};
}

/// `local b0 op local b1` (ints), pushed or stored to local `c`.
macro_rules! locals_op {
    ($w:ident, $ip:ident, $sp:ident, $lp:ident, $f:expr) => {{
        let f: fn(i32, i32) -> i32 = $f;
        let a = slot!($lp, $w.b0()) as u32 as i32;
        let b = slot!($lp, $w.b1()) as u32 as i32;
        let r = f(a, b) as u32 as u64;
        if $w.c() == quick::NO_STORE {
            set_slot!($lp, $sp, r);
            $sp += 1;
        } else {
            set_slot!($lp, $w.c() as usize, r);
        }
        advance!($ip, $w.len());
    }};
}

/// `lcmp` and a branch on its result against 0.
macro_rules! lcmp_if {
    ($w:ident, $ip:ident, $sp:ident, $lp:ident, $cmp:tt) => {{
        let b = slot!($lp, $sp - 2) as i64;
        let a = slot!($lp, $sp - 4) as i64;
        jump_if!($ip, $sp, 4, a $cmp b, $w.rel(), $w.len())
    }};
}

/// A fused loop back edge (see `quick`): count it, then run the loop test
/// (`cmp` is its exit condition): exit by falling through, else branch to
/// the loop body.
macro_rules! loop_test {
    ($w:ident, $ip:ident, $lp:ident, $cmp:tt, $form:ident) => {{
        // Counted (or refused) before any effect.
        tick!(0);
        let (exit, rel) = loop_test!(@ $form, $w, $lp, $cmp);
        if exit {
            advance!($ip, $w.len());
        } else {
            // SAFETY: a verified instruction start (the loop body).
            $ip = unsafe { $ip.offset(rel) };
        }
    }};
    (@ ll, $w:ident, $lp:ident, $cmp:tt) => {{
        let a = slot!($lp, $w.b0()) as u32 as i32;
        let b = slot!($lp, $w.b1()) as u32 as i32;
        (a $cmp b, $w.rel())
    }};
    (@ lc, $w:ident, $lp:ident, $cmp:tt) => {{
        let a = slot!($lp, $w.b()) as u32 as i32;
        (a $cmp $w.c_hi(), $w.rel_lo())
    }};
    (@ iinc_ll, $w:ident, $lp:ident, $cmp:tt) => {{
        let a = (slot!($lp, $w.b0()) as u32 as i32).wrapping_add($w.c_hi());
        set_slot!($lp, $w.b0(), a as u32 as u64);
        let b = slot!($lp, $w.b1()) as u32 as i32;
        (a $cmp b, $w.rel_lo())
    }};
    (@ iinc_lc, $w:ident, $lp:ident, $cmp:tt) => {{
        let a = (slot!($lp, $w.b0()) as u32 as i32).wrapping_add(i32::from($w.b1() as u8 as i8));
        set_slot!($lp, $w.b0(), a as u32 as u64);
        (a $cmp $w.c_hi(), $w.rel_lo())
    }};
}

/// Dispatches `w` over the instructions both loops run, then the caller's
/// own arms (`rest`).
macro_rules! ops {
    ($vm:ident, $w:ident, $ip:ident, $sp:ident, $lp:ident; $($rest:tt)*) => {
        match $w.op() {
            q::NOP => advance!($ip, $w.len()),
            q::CONST => {
                set_slot!($lp, $sp, u64::from($w.c()));
                $sp += 1;
                advance!($ip, $w.len());
            }
            q::LCONST => {
                set_slot!($lp, $sp, $w.c() as i32 as i64 as u64);
                $sp += 2;
                advance!($ip, $w.len());
            }
            q::DCONST => {
                set_slot!($lp, $sp, f64::from(f32::from_bits($w.c())).to_bits());
                $sp += 2;
                advance!($ip, $w.len());
            }
            q::LDC_STR => {
                set_slot!($lp, $sp, u64::from($vm.strings[$w.c() as usize].to_raw()));
                $sp += 1;
                advance!($ip, $w.len());
            }
            q::LOAD => {
                set_slot!($lp, $sp, slot!($lp, $w.b()));
                $sp += 1;
                advance!($ip, $w.len());
            }
            q::LOAD2 => {
                set_slot!($lp, $sp, slot!($lp, $w.b()));
                $sp += 2;
                advance!($ip, $w.len());
            }
            q::STORE => {
                $sp -= 1;
                set_slot!($lp, $w.b(), slot!($lp, $sp));
                advance!($ip, $w.len());
            }
            q::STORE2 => {
                $sp -= 2;
                set_slot!($lp, $w.b(), slot!($lp, $sp));
                advance!($ip, $w.len());
            }
            q::IINC => {
                let n = $w.b();
                set_slot!($lp, n, (slot!($lp, n) as u32 as i32).wrapping_add($w.c() as i32) as u32 as u64);
                advance!($ip, $w.len());
            }
            q::IALOAD => array_load!($vm, $ip, $sp, $lp, i32, 1, op::IALOAD, |v| v as u32 as u64),
            q::LALOAD => array_load!($vm, $ip, $sp, $lp, i64, 2, op::LALOAD, |v| v as u64),
            q::FALOAD => array_load!($vm, $ip, $sp, $lp, f32, 1, op::FALOAD, |v| u64::from(v.to_bits())),
            q::DALOAD => array_load!($vm, $ip, $sp, $lp, f64, 2, op::DALOAD, |v| v.to_bits()),
            q::AALOAD => array_load!($vm, $ip, $sp, $lp, Ref, 1, op::AALOAD, |v| u64::from(v.to_raw())),
            q::BALOAD => array_load!($vm, $ip, $sp, $lp, i8, 1, op::BALOAD, |v| i32::from(v) as u32 as u64),
            q::CALOAD => array_load!($vm, $ip, $sp, $lp, u16, 1, op::CALOAD, u64::from),
            q::SALOAD => array_load!($vm, $ip, $sp, $lp, i16, 1, op::SALOAD, |v| i32::from(v) as u32 as u64),
            q::IASTORE => array_store!($vm, $ip, $sp, $lp, i32, 1, op::IASTORE, |v| v as u32 as i32),
            q::LASTORE => array_store!($vm, $ip, $sp, $lp, i64, 2, op::LASTORE, |v| v as i64),
            q::FASTORE => array_store!($vm, $ip, $sp, $lp, f32, 1, op::FASTORE, |v| f32::from_bits(v as u32)),
            q::DASTORE => array_store!($vm, $ip, $sp, $lp, f64, 2, op::DASTORE, f64::from_bits),
            q::CASTORE => array_store!($vm, $ip, $sp, $lp, u16, 1, op::CASTORE, |v| v as u16),
            q::SASTORE => array_store!($vm, $ip, $sp, $lp, i16, 1, op::SASTORE, |v| v as u16 as i16),
            q::BASTORE => {
                let v = slot!($lp, $sp - 1) as u32 as i32;
                let i = slot!($lp, $sp - 2) as u32 as i32;
                let a = Ref::from_raw(slot!($lp, $sp - 3) as u32);
                // 0 and 1 are stored alike into byte[] and boolean[].
                let v = if v as u32 <= 1 {
                    v
                } else {
                    match $vm.heap.array_kind(a) {
                        Ok(Some(ElementKind::Boolean)) => v & 1,
                        _ => v,
                    }
                };
                match $vm.heap.set_element::<i8>(a, i, v as i8) {
                    Ok(()) => {
                        $sp -= 3;
                        advance!($ip, 1);
                    }
                    Err(e) => bail!(0, array_exit(e, op::BASTORE)),
                }
            }
            q::POP => {
                $sp -= 1;
                advance!($ip, 1);
            }
            q::POP2 => {
                $sp -= 2;
                advance!($ip, 1);
            }
            q::DUP => {
                set_slot!($lp, $sp, slot!($lp, $sp - 1));
                $sp += 1;
                advance!($ip, 1);
            }
            q::DUP_X1 => {
                let (a, b) = (slot!($lp, $sp - 1), slot!($lp, $sp - 2));
                set_slot!($lp, $sp - 2, a);
                set_slot!($lp, $sp - 1, b);
                set_slot!($lp, $sp, a);
                $sp += 1;
                advance!($ip, 1);
            }
            q::DUP_X2 => {
                let (a, b, c) = (slot!($lp, $sp - 1), slot!($lp, $sp - 2), slot!($lp, $sp - 3));
                set_slot!($lp, $sp - 3, a);
                set_slot!($lp, $sp - 2, c);
                set_slot!($lp, $sp - 1, b);
                set_slot!($lp, $sp, a);
                $sp += 1;
                advance!($ip, 1);
            }
            q::DUP2 => {
                let (a, b) = (slot!($lp, $sp - 1), slot!($lp, $sp - 2));
                set_slot!($lp, $sp, b);
                set_slot!($lp, $sp + 1, a);
                $sp += 2;
                advance!($ip, 1);
            }
            q::DUP2_X1 => {
                let (a, b, c) = (slot!($lp, $sp - 1), slot!($lp, $sp - 2), slot!($lp, $sp - 3));
                set_slot!($lp, $sp - 3, b);
                set_slot!($lp, $sp - 2, a);
                set_slot!($lp, $sp - 1, c);
                set_slot!($lp, $sp, b);
                set_slot!($lp, $sp + 1, a);
                $sp += 2;
                advance!($ip, 1);
            }
            q::DUP2_X2 => {
                let (a, b) = (slot!($lp, $sp - 1), slot!($lp, $sp - 2));
                let (c, d) = (slot!($lp, $sp - 3), slot!($lp, $sp - 4));
                set_slot!($lp, $sp - 4, b);
                set_slot!($lp, $sp - 3, a);
                set_slot!($lp, $sp - 2, d);
                set_slot!($lp, $sp - 1, c);
                set_slot!($lp, $sp, b);
                set_slot!($lp, $sp + 1, a);
                $sp += 2;
                advance!($ip, 1);
            }
            q::SWAP => {
                let (a, b) = (slot!($lp, $sp - 1), slot!($lp, $sp - 2));
                set_slot!($lp, $sp - 1, b);
                set_slot!($lp, $sp - 2, a);
                advance!($ip, 1);
            }
            q::IADD => int_binop!($ip, $sp, $lp, i32::wrapping_add),
            q::LADD => long_binop!($ip, $sp, $lp, i64::wrapping_add),
            q::FADD => float_binop!($ip, $sp, $lp, |a, b| a + b),
            q::DADD => double_binop!($ip, $sp, $lp, |a, b| a + b),
            q::ISUB => int_binop!($ip, $sp, $lp, i32::wrapping_sub),
            q::LSUB => long_binop!($ip, $sp, $lp, i64::wrapping_sub),
            q::FSUB => float_binop!($ip, $sp, $lp, |a, b| a - b),
            q::DSUB => double_binop!($ip, $sp, $lp, |a, b| a - b),
            q::IMUL => int_binop!($ip, $sp, $lp, i32::wrapping_mul),
            q::LMUL => long_binop!($ip, $sp, $lp, i64::wrapping_mul),
            q::FMUL => float_binop!($ip, $sp, $lp, |a, b| a * b),
            q::DMUL => double_binop!($ip, $sp, $lp, |a, b| a * b),
            q::IDIV | q::IREM => {
                let b = slot!($lp, $sp - 1) as u32 as i32;
                let a = slot!($lp, $sp - 2) as u32 as i32;
                if b == 0 {
                    bail!(0, div_by_zero());
                }
                let r = if $w.op() == q::IDIV { a.wrapping_div(b) } else { a.wrapping_rem(b) };
                $sp -= 1;
                set_slot!($lp, $sp - 1, r as u32 as u64);
                advance!($ip, 1);
            }
            q::LDIV | q::LREM => {
                let b = slot!($lp, $sp - 2) as i64;
                let a = slot!($lp, $sp - 4) as i64;
                if b == 0 {
                    bail!(0, div_by_zero());
                }
                let r = if $w.op() == q::LDIV { a.wrapping_div(b) } else { a.wrapping_rem(b) };
                $sp -= 2;
                set_slot!($lp, $sp - 2, r as u64);
                advance!($ip, 1);
            }
            q::FDIV => float_binop!($ip, $sp, $lp, |a, b| a / b),
            q::DDIV => double_binop!($ip, $sp, $lp, |a, b| a / b),
            q::FREM => float_binop!($ip, $sp, $lp, ops::frem),
            q::DREM => double_binop!($ip, $sp, $lp, ops::drem),
            q::INEG => convert!($ip, $sp, $lp, 1, 1, |v| (v as u32 as i32).wrapping_neg() as u32 as u64),
            q::LNEG => convert!($ip, $sp, $lp, 2, 2, |v| (v as i64).wrapping_neg() as u64),
            q::FNEG => convert!($ip, $sp, $lp, 1, 1, |v| u64::from((-f32::from_bits(v as u32)).to_bits())),
            q::DNEG => convert!($ip, $sp, $lp, 2, 2, |v| (-f64::from_bits(v)).to_bits()),
            q::ISHL => int_binop!($ip, $sp, $lp, |a, b| a.wrapping_shl(b as u32)),
            q::ISHR => int_binop!($ip, $sp, $lp, |a, b| a.wrapping_shr(b as u32)),
            q::IUSHR => int_binop!($ip, $sp, $lp, |a, b| (a as u32).wrapping_shr(b as u32) as i32),
            q::LSHL | q::LSHR | q::LUSHR => {
                let s = slot!($lp, $sp - 1) as u32;
                let a = slot!($lp, $sp - 3) as i64;
                let r = match $w.op() {
                    q::LSHL => a.wrapping_shl(s),
                    q::LSHR => a.wrapping_shr(s),
                    _ => (a as u64).wrapping_shr(s) as i64,
                };
                $sp -= 1;
                set_slot!($lp, $sp - 2, r as u64);
                advance!($ip, 1);
            }
            q::IAND => int_binop!($ip, $sp, $lp, |a, b| a & b),
            q::LAND => long_binop!($ip, $sp, $lp, |a, b| a & b),
            q::IOR => int_binop!($ip, $sp, $lp, |a, b| a | b),
            q::LOR => long_binop!($ip, $sp, $lp, |a, b| a | b),
            q::IXOR => int_binop!($ip, $sp, $lp, |a, b| a ^ b),
            q::LXOR => long_binop!($ip, $sp, $lp, |a, b| a ^ b),
            q::I2L => convert!($ip, $sp, $lp, 1, 2, |v| i64::from(v as u32 as i32) as u64),
            q::I2F => convert!($ip, $sp, $lp, 1, 1, |v| u64::from((v as u32 as i32 as f32).to_bits())),
            q::I2D => convert!($ip, $sp, $lp, 1, 2, |v| f64::from(v as u32 as i32).to_bits()),
            q::L2I => convert!($ip, $sp, $lp, 2, 1, |v| v as u32 as u64),
            q::L2F => convert!($ip, $sp, $lp, 2, 1, |v| u64::from((v as i64 as f32).to_bits())),
            q::L2D => convert!($ip, $sp, $lp, 2, 2, |v| (v as i64 as f64).to_bits()),
            q::F2I => convert!($ip, $sp, $lp, 1, 1, |v| f32::from_bits(v as u32) as i32 as u32 as u64),
            q::F2L => convert!($ip, $sp, $lp, 1, 2, |v| f32::from_bits(v as u32) as i64 as u64),
            q::F2D => convert!($ip, $sp, $lp, 1, 2, |v| f64::from(f32::from_bits(v as u32)).to_bits()),
            q::D2I => convert!($ip, $sp, $lp, 2, 1, |v| f64::from_bits(v) as i32 as u32 as u64),
            q::D2L => convert!($ip, $sp, $lp, 2, 2, |v| f64::from_bits(v) as i64 as u64),
            q::D2F => convert!($ip, $sp, $lp, 2, 1, |v| u64::from((f64::from_bits(v) as f32).to_bits())),
            q::I2B => convert!($ip, $sp, $lp, 1, 1, |v| i32::from(v as i8) as u32 as u64),
            q::I2C => convert!($ip, $sp, $lp, 1, 1, |v| u64::from(v as u16)),
            q::I2S => convert!($ip, $sp, $lp, 1, 1, |v| i32::from(v as i16) as u32 as u64),
            q::LCMP => {
                let b = slot!($lp, $sp - 2) as i64;
                let a = slot!($lp, $sp - 4) as i64;
                $sp -= 3;
                set_slot!($lp, $sp - 1, a.cmp(&b) as i32 as u32 as u64);
                advance!($ip, 1);
            }
            q::FCMPL | q::FCMPG => {
                let b = f32::from_bits(slot!($lp, $sp - 1) as u32);
                let a = f32::from_bits(slot!($lp, $sp - 2) as u32);
                $sp -= 1;
                let r = ops::fcmp(a, b, if $w.op() == q::FCMPL { -1 } else { 1 });
                set_slot!($lp, $sp - 1, r as u32 as u64);
                advance!($ip, 1);
            }
            q::DCMPL | q::DCMPG => {
                let b = f64::from_bits(slot!($lp, $sp - 2));
                let a = f64::from_bits(slot!($lp, $sp - 4));
                $sp -= 3;
                let r = ops::dcmp(a, b, if $w.op() == q::DCMPL { -1 } else { 1 });
                set_slot!($lp, $sp - 1, r as u32 as u64);
                advance!($ip, 1);
            }
            q::IFEQ => if_zero!($w, $ip, $sp, $lp, ==),
            q::IFNE => if_zero!($w, $ip, $sp, $lp, !=),
            q::IFLT => if_zero!($w, $ip, $sp, $lp, <),
            q::IFGE => if_zero!($w, $ip, $sp, $lp, >=),
            q::IFGT => if_zero!($w, $ip, $sp, $lp, >),
            q::IFLE => if_zero!($w, $ip, $sp, $lp, <=),
            q::IF_ICMPEQ => if_icmp!($w, $ip, $sp, $lp, ==),
            q::IF_ICMPNE => if_icmp!($w, $ip, $sp, $lp, !=),
            q::IF_ICMPLT => if_icmp!($w, $ip, $sp, $lp, <),
            q::IF_ICMPGE => if_icmp!($w, $ip, $sp, $lp, >=),
            q::IF_ICMPGT => if_icmp!($w, $ip, $sp, $lp, >),
            q::IF_ICMPLE => if_icmp!($w, $ip, $sp, $lp, <=),
            q::IF_ACMPEQ | q::IF_ACMPNE => {
                let b = slot!($lp, $sp - 1) as u32;
                let a = slot!($lp, $sp - 2) as u32;
                jump_if!($ip, $sp, 2, (a == b) == ($w.op() == q::IF_ACMPEQ), $w.rel(), 3)
            }
            q::IFNULL | q::IFNONNULL => {
                let a = slot!($lp, $sp - 1) as u32;
                jump_if!($ip, $sp, 1, (a == 0) == ($w.op() == q::IFNULL), $w.rel(), 3)
            }
            q::GOTO => jump_if!($ip, $sp, 0, true, $w.rel(), 0),
            q::GETSTATIC_P => {
                set_slot!($lp, $sp, $vm.static_prims[$w.c() as usize]);
                $sp += 1;
                advance!($ip, 3);
            }
            q::GETSTATIC_P2 => {
                set_slot!($lp, $sp, $vm.static_prims[$w.c() as usize]);
                $sp += 2;
                advance!($ip, 3);
            }
            q::GETSTATIC_A => {
                set_slot!($lp, $sp, u64::from($vm.static_refs[$w.c() as usize].to_raw()));
                $sp += 1;
                advance!($ip, 3);
            }
            q::PUTSTATIC_P => {
                $sp -= 1;
                $vm.static_prims[$w.c() as usize] = narrow_by_code($w.b(), slot!($lp, $sp));
                advance!($ip, 3);
            }
            q::PUTSTATIC_P2 => {
                $sp -= 2;
                $vm.static_prims[$w.c() as usize] = slot!($lp, $sp);
                advance!($ip, 3);
            }
            q::PUTSTATIC_A => {
                $sp -= 1;
                $vm.static_refs[$w.c() as usize] = Ref::from_raw(slot!($lp, $sp) as u32);
                advance!($ip, 3);
            }
            q::GETFIELD_I => getfield!($vm, $w, $ip, $sp, $lp, i32, 1, |v| v as u32 as u64),
            q::GETFIELD_J => getfield!($vm, $w, $ip, $sp, $lp, i64, 2, |v| v as u64),
            q::GETFIELD_A => getfield!($vm, $w, $ip, $sp, $lp, Ref, 1, |v| u64::from(v.to_raw())),
            q::GETFIELD_B => getfield!($vm, $w, $ip, $sp, $lp, i8, 1, |v| i32::from(v) as u32 as u64),
            q::GETFIELD_C => getfield!($vm, $w, $ip, $sp, $lp, u16, 1, u64::from),
            q::GETFIELD_S => getfield!($vm, $w, $ip, $sp, $lp, i16, 1, |v| i32::from(v) as u32 as u64),
            q::PUTFIELD_I => putfield!($vm, $w, $ip, $sp, $lp, i32, 1, |v| v as u32 as i32),
            q::PUTFIELD_J => putfield!($vm, $w, $ip, $sp, $lp, i64, 2, |v| v as i64),
            q::PUTFIELD_A => putfield!($vm, $w, $ip, $sp, $lp, Ref, 1, |v| Ref::from_raw(v as u32)),
            q::PUTFIELD_Z => putfield!($vm, $w, $ip, $sp, $lp, i8, 1, |v| (v & 1) as i8),
            q::PUTFIELD_B => putfield!($vm, $w, $ip, $sp, $lp, i8, 1, |v| v as i8),
            q::PUTFIELD_C => putfield!($vm, $w, $ip, $sp, $lp, u16, 1, |v| v as u16),
            q::PUTFIELD_S => putfield!($vm, $w, $ip, $sp, $lp, i16, 1, |v| v as u16 as i16),
            q::ARRAYLENGTH => {
                let a = Ref::from_raw(slot!($lp, $sp - 1) as u32);
                match $vm.heap.array_length(a) {
                    Ok(n) => {
                        set_slot!($lp, $sp - 1, n as u32 as u64);
                        advance!($ip, 1);
                    }
                    Err(e) => bail!(0, array_length_exit(e)),
                }
            }
            // ---- superinstructions (see `quick`) ----
            q::LL => {
                set_slot!($lp, $sp, slot!($lp, $w.b0()));
                set_slot!($lp, $sp + 1, slot!($lp, $w.b1()));
                $sp += 2;
                advance!($ip, $w.len());
            }
            q::LL_IF_ICMPEQ => ll_if_icmp!($w, $ip, $sp, $lp, ==),
            q::LL_IF_ICMPNE => ll_if_icmp!($w, $ip, $sp, $lp, !=),
            q::LL_IF_ICMPLT => ll_if_icmp!($w, $ip, $sp, $lp, <),
            q::LL_IF_ICMPGE => ll_if_icmp!($w, $ip, $sp, $lp, >=),
            q::LL_IF_ICMPGT => ll_if_icmp!($w, $ip, $sp, $lp, >),
            q::LL_IF_ICMPLE => ll_if_icmp!($w, $ip, $sp, $lp, <=),
            q::LC_IF_ICMPEQ => lc_if_icmp!($w, $ip, $sp, $lp, ==),
            q::LC_IF_ICMPNE => lc_if_icmp!($w, $ip, $sp, $lp, !=),
            q::LC_IF_ICMPLT => lc_if_icmp!($w, $ip, $sp, $lp, <),
            q::LC_IF_ICMPGE => lc_if_icmp!($w, $ip, $sp, $lp, >=),
            q::LC_IF_ICMPGT => lc_if_icmp!($w, $ip, $sp, $lp, >),
            q::LC_IF_ICMPLE => lc_if_icmp!($w, $ip, $sp, $lp, <=),
            q::LL_IALOAD => local_array_load!($vm, $w, $ip, $sp, $lp, i32, 1, op::IALOAD, |v| v as u32 as u64),
            q::LL_LALOAD => local_array_load!($vm, $w, $ip, $sp, $lp, i64, 2, op::LALOAD, |v| v as u64),
            q::LL_FALOAD => {
                local_array_load!($vm, $w, $ip, $sp, $lp, f32, 1, op::FALOAD, |v| u64::from(v.to_bits()))
            }
            q::LL_DALOAD => local_array_load!($vm, $w, $ip, $sp, $lp, f64, 2, op::DALOAD, |v| v.to_bits()),
            q::LL_AALOAD => {
                local_array_load!($vm, $w, $ip, $sp, $lp, Ref, 1, op::AALOAD, |v| u64::from(v.to_raw()))
            }
            q::LL_BALOAD => {
                local_array_load!($vm, $w, $ip, $sp, $lp, i8, 1, op::BALOAD, |v| i32::from(v) as u32 as u64)
            }
            q::LL_CALOAD => local_array_load!($vm, $w, $ip, $sp, $lp, u16, 1, op::CALOAD, u64::from),
            q::LL_SALOAD => {
                local_array_load!($vm, $w, $ip, $sp, $lp, i16, 1, op::SALOAD, |v| i32::from(v) as u32 as u64)
            }
            q::IINC_GOTO => {
                let rel = $w.rel_lo();
                if rel <= 0 {
                    // Counted (or refused) before the increment.
                    tick!($w.len() - 3);
                }
                let n = $w.b();
                set_slot!($lp, n, (slot!($lp, n) as u32 as i32).wrapping_add($w.c_hi()) as u32 as u64);
                // SAFETY: a verified branch target.
                $ip = unsafe { $ip.offset(rel) };
            }
            q::ALOAD_GETFIELD_I => aload_getfield!($vm, $w, $ip, $sp, $lp, i32, 1, |v| v as u32 as u64),
            q::ALOAD_FIELD_INC_I => field_inc!($vm, $w, $ip, $sp, $lp, i32),
            q::ALOAD_FIELD_INC_J => field_inc!($vm, $w, $ip, $sp, $lp, i64),
            q::ALOAD_GETFIELD_J => aload_getfield!($vm, $w, $ip, $sp, $lp, i64, 2, |v| v as u64),
            q::ALOAD_GETFIELD_A => aload_getfield!($vm, $w, $ip, $sp, $lp, Ref, 1, |v| u64::from(v.to_raw())),
            q::ALOAD_GETFIELD_B => {
                aload_getfield!($vm, $w, $ip, $sp, $lp, i8, 1, |v| i32::from(v) as u32 as u64)
            }
            q::ALOAD_GETFIELD_C => aload_getfield!($vm, $w, $ip, $sp, $lp, u16, 1, u64::from),
            q::ALOAD_GETFIELD_S => {
                aload_getfield!($vm, $w, $ip, $sp, $lp, i16, 1, |v| i32::from(v) as u32 as u64)
            }
            q::C_IADD => const_op!($w, $ip, $sp, $lp, |a, k| a.wrapping_add(k)),
            q::C_ISUB => const_op!($w, $ip, $sp, $lp, |a, k| a.wrapping_sub(k)),
            q::C_IMUL => const_op!($w, $ip, $sp, $lp, |a, k| a.wrapping_mul(k)),
            q::C_IAND => const_op!($w, $ip, $sp, $lp, |a, k| a & k),
            q::C_IOR => const_op!($w, $ip, $sp, $lp, |a, k| a | k),
            q::C_IXOR => const_op!($w, $ip, $sp, $lp, |a, k| a ^ k),
            q::C_ISHL => const_op!($w, $ip, $sp, $lp, |a, k| a.wrapping_shl(k as u32)),
            q::C_ISHR => const_op!($w, $ip, $sp, $lp, |a, k| a.wrapping_shr(k as u32)),
            q::C_IUSHR => const_op!($w, $ip, $sp, $lp, |a, k| (a as u32).wrapping_shr(k as u32) as i32),
            q::L_IADD => local_op!($w, $ip, $sp, $lp, i32::wrapping_add),
            q::L_ISUB => local_op!($w, $ip, $sp, $lp, i32::wrapping_sub),
            q::L_IMUL => local_op!($w, $ip, $sp, $lp, i32::wrapping_mul),
            q::L_IAND => local_op!($w, $ip, $sp, $lp, |a, b| a & b),
            q::L_IOR => local_op!($w, $ip, $sp, $lp, |a, b| a | b),
            q::L_IXOR => local_op!($w, $ip, $sp, $lp, |a, b| a ^ b),
            q::LL_IADD => locals_op!($w, $ip, $sp, $lp, i32::wrapping_add),
            q::LL_ISUB => locals_op!($w, $ip, $sp, $lp, i32::wrapping_sub),
            q::LL_IMUL => locals_op!($w, $ip, $sp, $lp, i32::wrapping_mul),
            q::LL_IAND => locals_op!($w, $ip, $sp, $lp, |a, b| a & b),
            q::LL_IOR => locals_op!($w, $ip, $sp, $lp, |a, b| a | b),
            q::LL_IXOR => locals_op!($w, $ip, $sp, $lp, |a, b| a ^ b),
            q::LCMP_IFEQ => lcmp_if!($w, $ip, $sp, $lp, ==),
            q::LCMP_IFNE => lcmp_if!($w, $ip, $sp, $lp, !=),
            q::LCMP_IFLT => lcmp_if!($w, $ip, $sp, $lp, <),
            q::LCMP_IFGE => lcmp_if!($w, $ip, $sp, $lp, >=),
            q::LCMP_IFGT => lcmp_if!($w, $ip, $sp, $lp, >),
            q::LCMP_IFLE => lcmp_if!($w, $ip, $sp, $lp, <=),
            q::LOOP_LL_EQ => loop_test!($w, $ip, $lp, ==, ll),
            q::LOOP_LL_NE => loop_test!($w, $ip, $lp, !=, ll),
            q::LOOP_LL_LT => loop_test!($w, $ip, $lp, <, ll),
            q::LOOP_LL_GE => loop_test!($w, $ip, $lp, >=, ll),
            q::LOOP_LL_GT => loop_test!($w, $ip, $lp, >, ll),
            q::LOOP_LL_LE => loop_test!($w, $ip, $lp, <=, ll),
            q::LOOP_LC_EQ => loop_test!($w, $ip, $lp, ==, lc),
            q::LOOP_LC_NE => loop_test!($w, $ip, $lp, !=, lc),
            q::LOOP_LC_LT => loop_test!($w, $ip, $lp, <, lc),
            q::LOOP_LC_GE => loop_test!($w, $ip, $lp, >=, lc),
            q::LOOP_LC_GT => loop_test!($w, $ip, $lp, >, lc),
            q::LOOP_LC_LE => loop_test!($w, $ip, $lp, <=, lc),
            q::IINC_LOOP_LL_EQ => loop_test!($w, $ip, $lp, ==, iinc_ll),
            q::IINC_LOOP_LL_NE => loop_test!($w, $ip, $lp, !=, iinc_ll),
            q::IINC_LOOP_LL_LT => loop_test!($w, $ip, $lp, <, iinc_ll),
            q::IINC_LOOP_LL_GE => loop_test!($w, $ip, $lp, >=, iinc_ll),
            q::IINC_LOOP_LL_GT => loop_test!($w, $ip, $lp, >, iinc_ll),
            q::IINC_LOOP_LL_LE => loop_test!($w, $ip, $lp, <=, iinc_ll),
            q::IINC_LOOP_LC_EQ => loop_test!($w, $ip, $lp, ==, iinc_lc),
            q::IINC_LOOP_LC_NE => loop_test!($w, $ip, $lp, !=, iinc_lc),
            q::IINC_LOOP_LC_LT => loop_test!($w, $ip, $lp, <, iinc_lc),
            q::IINC_LOOP_LC_GE => loop_test!($w, $ip, $lp, >=, iinc_lc),
            q::IINC_LOOP_LC_GT => loop_test!($w, $ip, $lp, >, iinc_lc),
            q::IINC_LOOP_LC_LE => loop_test!($w, $ip, $lp, <=, iinc_lc),
            q::C_IASTORE => {
                let i = slot!($lp, $sp - 1) as u32 as i32;
                let a = Ref::from_raw(slot!($lp, $sp - 2) as u32);
                match $vm.heap.set_element::<i32>(a, i, $w.c() as i32) {
                    Ok(()) => {
                        $sp -= 2;
                        advance!($ip, $w.len());
                    }
                    // Reported at the iastore, the last byte.
                    Err(e) => bail!($w.len() - 1, array_exit(e, op::IASTORE)),
                }
            }
            q::C_BASTORE => {
                let i = slot!($lp, $sp - 1) as u32 as i32;
                let a = Ref::from_raw(slot!($lp, $sp - 2) as u32);
                let v = $w.c() as i32;
                // As BASTORE.
                let v = if v as u32 <= 1 {
                    v
                } else {
                    match $vm.heap.array_kind(a) {
                        Ok(Some(ElementKind::Boolean)) => v & 1,
                        _ => v,
                    }
                };
                match $vm.heap.set_element::<i8>(a, i, v as i8) {
                    Ok(()) => {
                        $sp -= 2;
                        advance!($ip, $w.len());
                    }
                    Err(e) => bail!($w.len() - 1, array_exit(e, op::BASTORE)),
                }
            }
            q::DUP2_IALOAD => {
                let i = slot!($lp, $sp - 1) as u32 as i32;
                let a = Ref::from_raw(slot!($lp, $sp - 2) as u32);
                match $vm.heap.get_element::<i32>(a, i) {
                    // The array and index stay under the element.
                    Ok(v) => {
                        set_slot!($lp, $sp, v as u32 as u64);
                        $sp += 1;
                        advance!($ip, 2);
                    }
                    // Reported at the iaload.
                    Err(e) => bail!(1, array_exit(e, op::IALOAD)),
                }
            }
            q::DUP_GETFIELD_I => {
                let obj = Ref::from_raw(slot!($lp, $sp - 1) as u32);
                match $vm.heap.get_field::<i32>(obj, $w.c()) {
                    // The object stays under the value.
                    Ok(v) => {
                        set_slot!($lp, $sp, v as u32 as u64);
                        $sp += 1;
                        advance!($ip, 4);
                    }
                    // Reported at the getfield.
                    // SAFETY: that is inside the code.
                    Err(e) => bail!(1, $vm.field_exit_at(e, unsafe { $ip.add(1) }, false)),
                }
            }
            q::STORE_LOAD => {
                set_slot!($lp, $w.b0(), slot!($lp, $sp - 1));
                set_slot!($lp, $sp - 1, slot!($lp, $w.b1()));
                advance!($ip, $w.len());
            }
            q::RAW => {
                // SAFETY: quickened only for a bound raw native, whose
                // (trusted) caller checked the address; verified operands.
                $sp = unsafe { crate::runtime::raw::exec_quick($w.b() as u16, $lp, $sp) };
                advance!($ip, $w.len());
            }
            $($rest)*
        }
    };
}

/// The current instruction.
macro_rules! fetch {
    ($ip:ident) => {{
        // SAFETY: ip points at a decoded instruction (module docs).
        let w = unsafe { (*$ip).get() };
        // SAFETY: `quick::decode` and quickening only write operations
        // below LAST, so the dispatch needs no range check.
        unsafe { core::hint::assert_unchecked(w.op() < q::LAST) };
        w
    }};
}

impl Vm {
    /// The fast loop (module docs): runs from `ip` until an instruction it
    /// leaves to [`Vm::run`], and returns that instruction and the stack
    /// top, the instruction not yet started.
    #[inline(never)]
    #[allow(unused_variables)] // `bail!` drops the exit it is given
    fn fast(&mut self, mut ip: *const Cell<Insn>, mut sp: usize, lp: *mut u64) -> (*const Cell<Insn>, usize) {
        macro_rules! bail {
            ($skip:expr, $e:expr) => {
                return (ip, sp)
            };
        }
        macro_rules! tick {
            ($skip:expr) => {{
                if self.budget_left == 0 {
                    return (ip, sp);
                }
                self.budget_left -= 1;
            }};
        }
        loop {
            let w = fetch!(ip);
            ops!(self, w, ip, sp, lp;
                q::AASTORE => {
                    // Null, or exactly the component class: no subtype check.
                    let v = Ref::from_raw(slot!(lp, sp - 1) as u32);
                    let i = slot!(lp, sp - 2) as u32 as i32;
                    let a = Ref::from_raw(slot!(lp, sp - 3) as u32);
                    let plain = v.is_null()
                        || match (self.class_of(a), self.class_of(v)) {
                            (Some(ac), Some(vc)) => {
                                matches!(self.classes[ac.ix()].kind, ClassKind::Array { component, .. } if component == vc)
                            }
                            _ => false,
                        };
                    if !plain || self.heap.set_element(a, i, v).is_err() {
                        return (ip, sp);
                    }
                    sp -= 3;
                    advance!(ip, 1);
                }
                q::DUP_GETFIELD => {
                    // SAFETY: the getfield's pc, inside the code.
                    let g = unsafe { (*ip.add(1)).get() };
                    let quick = match g.op() {
                        q::GETFIELD_I => w.with(q::DUP_GETFIELD_I, g.c()),
                        // Another width: just the dup from now on.
                        q::GETFIELD_J | q::GETFIELD_A | q::GETFIELD_B | q::GETFIELD_C | q::GETFIELD_S => {
                            Insn::new(q::DUP, 1, 0, 0)
                        }
                        _ => return (ip, sp),
                    };
                    // SAFETY: ip points at the current instruction.
                    unsafe { (*ip).set(quick) };
                }
                q::CLOCK => {
                    // Quickened only while the VM has a clock.
                    set_slot!(lp, sp, self.config.nano_clock.map_or(0, |c| c()));
                    sp += 2;
                    advance!(ip, w.len());
                }
                q::TWIN => {
                    // The quick twin in place (runtime/twin.rs); the budget
                    // ticks as for the call, once it completed. Anything
                    // else is `run`'s: a null receiver, the budget spent,
                    // a declining twin. (Never quickened with tiering on.)
                    let base = sp - w.b();
                    let budget = self.budget_left;
                    if budget == 0 || slot!(lp, base) as u32 == 0 {
                        return (ip, sp);
                    }
                    // SAFETY: the slot after a `TWIN` is its twin cache.
                    let f = unsafe { (*ip.add(1)).get().cached_twin() };
                    // SAFETY: the call's `b` argument slots are on the
                    // operand stack, inside the frame.
                    let slots = unsafe { core::slice::from_raw_parts_mut(lp.add(base), w.b()) };
                    let mut call =
                        crate::runtime::twin::QuickCall { slots, heap: &mut self.heap, data: &mut self.embedder };
                    match f(&mut call) {
                        Some(n) => {
                            // Read before the call: the twin cannot change it.
                            self.budget_left = budget - 1;
                            sp = base + n;
                            advance!(ip, w.len());
                        }
                        None => return (ip, sp),
                    }
                }
                q::ALOAD_FIELD_INC => {
                    // Quicken once both field accesses have (the same
                    // field: one pool entry), else leave it to `run`.
                    // SAFETY: the getfield (after `aload_<n>; dup`) and
                    // the putfield (the last 3 bytes) are inside the code.
                    let (g, p) = unsafe { ((*ip.add(2)).get(), (*ip.add(w.len() - 3)).get()) };
                    let o = match (g.op(), p.op()) {
                        (q::GETFIELD_I, q::PUTFIELD_I) if g.c() == p.c() => q::ALOAD_FIELD_INC_I,
                        (q::GETFIELD_J, q::PUTFIELD_J) if g.c() == p.c() => q::ALOAD_FIELD_INC_J,
                        _ => return (ip, sp),
                    };
                    // SAFETY: ip points at the current instruction.
                    unsafe { (*ip).set(w.with(o, g.c())) };
                }
                q::ALOAD_GETFIELD => {
                    // Quicken once the getfield has, else leave it to `run`.
                    // SAFETY: the getfield's pc, inside the code.
                    let g = unsafe { (*ip.add(w.len() - 3)).get() };
                    let o = match g.op() {
                        q::GETFIELD_I => q::ALOAD_GETFIELD_I,
                        q::GETFIELD_J => q::ALOAD_GETFIELD_J,
                        q::GETFIELD_A => q::ALOAD_GETFIELD_A,
                        q::GETFIELD_B => q::ALOAD_GETFIELD_B,
                        q::GETFIELD_C => q::ALOAD_GETFIELD_C,
                        q::GETFIELD_S => q::ALOAD_GETFIELD_S,
                        _ => return (ip, sp),
                    };
                    // SAFETY: ip points at the current instruction.
                    unsafe { (*ip).set(w.with(o, g.c())) };
                }
                // Everything else is `run`'s. (Listed rather than `_`: a
                // dispatch over all 256 values needs no range check.)
                q::INVALID
                | q::LDC
                | q::LDC2
                | q::TABLESWITCH
                | q::LOOKUPSWITCH
                | q::RETURN0
                | q::RETURN1
                | q::RETURN2
                | q::GETSTATIC
                | q::PUTSTATIC
                | q::GETFIELD
                | q::PUTFIELD
                | q::INVOKEVIRTUAL
                | q::INVOKESPECIAL
                | q::INVOKESTATIC
                | q::INVOKEINTERFACE
                | q::INVOKEDYNAMIC
                | q::NEW
                | q::ANEWARRAY
                | q::MULTIANEWARRAY
                | q::CHECKCAST
                | q::INSTANCEOF
                | q::NEWARRAY
                | q::ATHROW
                | q::MONITORENTER
                | q::MONITOREXIT
                | q::INVOKE_VT
                | q::INVOKE_DIRECT
                | q::INVOKE_STATIC
                | q::INVOKE_IFACE
                | q::NEW_Q
                | q::CHECKCAST_Q
                | q::INSTANCEOF_Q
                | q::LAST..=u8::MAX => return (ip, sp),
            )
        }
    }

    /// Runs the interpreter until the frame at index `stop` returns
    /// (its raw return value) or an exception or abort unwinds past it.
    pub(crate) fn run(&mut self, stop: usize) -> Result<u64, Exit> {
        'reload: loop {
            if self.jit.tiering {
                match self.jit_reload(stop)? {
                    JitStep::Interpret => {}
                    JitStep::Reload => continue 'reload,
                    JitStep::Return(v) => return Ok(v),
                }
            }
            let (code, mut ip, mut sp, mut lp) = self.enter_top_frame()?;
            // The top frame: ours while this loop runs (anything that
            // pushes a frame is followed by `continue 'reload`). Slow paths
            // re-derive what they need from it rather than keep it live.
            macro_rules! frame {
                () => {
                    self.frames.last().expect("interpreter frame")
                };
            }
            macro_rules! bp {
                () => {
                    frame!().bp as usize
                };
            }
            macro_rules! method {
                () => {
                    frame!().method
                };
            }
            macro_rules! cls {
                () => {
                    self.methods[method!().ix()].class
                };
            }
            macro_rules! bytes {
                () => {
                    &code.bytes[..]
                };
            }
            macro_rules! pc {
                () => {{
                    let ins = code.quick.get().map_or(core::ptr::null(), |d| d.as_ptr());
                    // SAFETY: both point into the decoded code.
                    unsafe { ip.offset_from(ins) as usize }
                }};
            }
            // The absolute slot index of the stack top (for calls).
            macro_rules! abs_sp {
                () => {
                    bp!() + sp
                };
            }
            macro_rules! sync {
                () => {{
                    let pc = pc!() as u32;
                    let f = self.frames.last_mut().expect("interpreter frame");
                    f.pc = pc;
                    f.sp = f.bp + sp as u32;
                }};
            }
            // After any call that may push frames or index `self.stack`.
            macro_rules! refresh {
                () => {{
                    // SAFETY: as in `enter_top_frame`; the vector never shrinks.
                    lp = unsafe { self.stack.as_mut_ptr().add(bp!()) };
                }};
            }
            macro_rules! fail {
                ($e:expr) => {{
                    let e: Exit = $e;
                    sync!();
                    match self.raise(e, stop) {
                        Ok(()) => continue 'reload,
                        Err(e) => return Err(e),
                    }
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
                ($skip:expr) => {{
                    if self.budget_left == 0 {
                        advance!(ip, $skip);
                        fail!(Exit::Vm(VmError::BudgetExhausted));
                    }
                    self.budget_left -= 1;
                }};
            }
            macro_rules! push {
                ($v:expr) => {{
                    set_slot!(lp, sp, $v);
                    sp += 1;
                }};
            }
            macro_rules! pop {
                () => {{
                    sp -= 1;
                    slot!(lp, sp)
                }};
            }
            // Rewrites the current instruction (quickening).
            macro_rules! patch {
                ($i:expr) => {{
                    let i: Insn = $i;
                    // SAFETY: ip points at the current instruction.
                    unsafe { (*ip).set(i) }
                }};
            }

            loop {
                (ip, sp) = self.fast(ip, sp, lp);
                let w = fetch!(ip);
                match w.op() {
                    q::LDC => {
                        let idx = w.b() as u16;
                        sync!();
                        let v = tri!(self.ldc_slow(cls!(), idx));
                        refresh!();
                        if let CpEntry::String { interned: Some(i), .. } = self.classes[cls!().ix()].cp[w.b()] {
                            patch!(w.with(q::LDC_STR, i));
                        }
                        push!(v);
                        advance!(ip, w.len());
                    }
                    q::LDC2 => {
                        let v = match self.classes[cls!().ix()].cp[w.b()] {
                            CpEntry::Long(v) => v as u64,
                            CpEntry::Double(v) => v.to_bits(),
                            _ => fail!(Exit::internal("ldc2_w of a non-wide constant")),
                        };
                        set_slot!(lp, sp, v);
                        sp += 2;
                        advance!(ip, w.len());
                    }
                    q::AASTORE => {
                        let v = Ref::from_raw(slot!(lp, sp - 1) as u32);
                        let i = slot!(lp, sp - 2) as u32 as i32;
                        let a = Ref::from_raw(slot!(lp, sp - 3) as u32);
                        sp -= 3;
                        if let Err(e) = self.aastore(a, i, v) {
                            fail!(e);
                        }
                        advance!(ip, 1);
                    }
                    q::TABLESWITCH => {
                        let key = pop!() as u32 as i32;
                        let (pc, bytes) = (pc!(), bytes!());
                        let a = (pc + 4) & !3;
                        let (low, high) = (be_i32(bytes, a + 4), be_i32(bytes, a + 8));
                        let off = if key < low || key > high {
                            be_i32(bytes, a)
                        } else {
                            be_i32(bytes, a + 12 + 4 * (i64::from(key) - i64::from(low)) as usize)
                        };
                        jump_if!(ip, sp, 0, true, off as isize, 0);
                    }
                    q::LOOKUPSWITCH => {
                        let key = pop!() as u32 as i32;
                        let (pc, bytes) = (pc!(), bytes!());
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
                        jump_if!(ip, sp, 0, true, off as isize, 0);
                    }
                    q::RETURN0 | q::RETURN1 | q::RETURN2 => {
                        let slots = usize::from(w.op() - q::RETURN0);
                        let value = if slots == 0 { 0 } else { slot!(lp, sp - slots) };
                        // The common case inline: an unsynchronized method
                        // returning to a bytecode caller in this loop.
                        let n = self.frames.len();
                        let f = frame!();
                        if f.cont == Cont::Normal && n > stop + 1 && !self.methods[f.method.ix()].is_synchronized() {
                            let bp = f.bp;
                            self.frames.pop();
                            // The value goes where the arguments began: the
                            // callee's first slot.
                            set_slot!(lp, 0, value);
                            let caller = self.frames.last_mut().expect("caller frame");
                            caller.sp = bp + slots as u32;
                            // Past the invoke (its decoded length: 3 or 5).
                            let len = match &self.methods[caller.method.ix()].code {
                                Some(c) => c.quick.get().map_or(3, |d| d[caller.pc as usize].get().len()),
                                None => 3,
                            };
                            caller.pc += len as u32;
                            continue 'reload;
                        }
                        // And the return of an entry from Rust (a server's
                        // dispatch): `do_return`'s `Cont::Entry` case.
                        if f.cont == Cont::Entry && !self.methods[f.method.ix()].is_synchronized() {
                            self.frames.pop();
                            set_slot!(lp, 0, value);
                            return Ok(value);
                        }
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
                    q::GETSTATIC | q::PUTSTATIC => {
                        let idx = w.b() as u16;
                        let put = w.op() == q::PUTSTATIC;
                        sync!();
                        let fr = match self.field_slow(cls!(), method!(), idx, true, put) {
                            Ok(Some(fr)) => fr,
                            Ok(None) => continue 'reload,
                            Err(e) => fail!(e),
                        };
                        refresh!();
                        let off = fr.offset;
                        if self.classes[fr.class.ix()].state == InitState::Initialized {
                            // The quick form runs next.
                            patch!(match (put, fr.kind) {
                                (false, ValueKind::Ref) => Insn::new(q::GETSTATIC_A, 3, 0, off),
                                (false, k) if k.slots() == 2 => Insn::new(q::GETSTATIC_P2, 3, 0, off),
                                (false, _) => Insn::new(q::GETSTATIC_P, 3, 0, off),
                                (true, ValueKind::Ref) => Insn::new(q::PUTSTATIC_A, 3, 0, off),
                                (true, k) if k.slots() == 2 => Insn::new(q::PUTSTATIC_P2, 3, 0, off),
                                (true, k) => Insn::new(q::PUTSTATIC_P, 3, narrow_code(k), off),
                            });
                            continue;
                        }
                        // Initializing (by this thread): not yet quickened.
                        let off = off as usize;
                        if put {
                            if fr.kind == ValueKind::Ref {
                                self.static_refs[off] = Ref::from_raw(pop!() as u32);
                            } else if fr.kind.slots() == 2 {
                                sp -= 2;
                                self.static_prims[off] = slot!(lp, sp);
                            } else {
                                let v = pop!();
                                self.static_prims[off] = match fr.kind {
                                    ValueKind::Float => v,
                                    k => narrow(k, v as u32 as i32) as u32 as u64,
                                };
                            }
                        } else if fr.kind == ValueKind::Ref {
                            push!(u64::from(self.static_refs[off].to_raw()));
                        } else {
                            set_slot!(lp, sp, self.static_prims[off]);
                            sp += fr.kind.slots();
                        }
                        advance!(ip, 3);
                    }
                    q::GETFIELD | q::PUTFIELD => {
                        let idx = w.b() as u16;
                        let put = w.op() == q::PUTFIELD;
                        sync!();
                        let fr = match self.field_slow(cls!(), method!(), idx, false, put) {
                            Ok(Some(fr)) => fr,
                            Ok(None) => continue 'reload,
                            Err(e) => fail!(e),
                        };
                        refresh!();
                        let o = match (put, fr.kind) {
                            (false, ValueKind::Int | ValueKind::Float) => q::GETFIELD_I,
                            (false, ValueKind::Long | ValueKind::Double) => q::GETFIELD_J,
                            (false, ValueKind::Ref) => q::GETFIELD_A,
                            (false, ValueKind::Boolean | ValueKind::Byte) => q::GETFIELD_B,
                            (false, ValueKind::Char) => q::GETFIELD_C,
                            (false, ValueKind::Short) => q::GETFIELD_S,
                            (true, ValueKind::Int | ValueKind::Float) => q::PUTFIELD_I,
                            (true, ValueKind::Long | ValueKind::Double) => q::PUTFIELD_J,
                            (true, ValueKind::Ref) => q::PUTFIELD_A,
                            (true, ValueKind::Boolean) => q::PUTFIELD_Z,
                            (true, ValueKind::Byte) => q::PUTFIELD_B,
                            (true, ValueKind::Char) => q::PUTFIELD_C,
                            (true, ValueKind::Short) => q::PUTFIELD_S,
                        };
                        // The quick form runs next.
                        patch!(w.with(o, fr.offset));
                    }
                    q::ALOAD_GETFIELD => {
                        // The getfield has not quickened (`fast` would have
                        // quickened this): run the load, then the getfield.
                        push!(slot!(lp, w.b()));
                        advance!(ip, w.len() - 3);
                    }
                    q::ALOAD_FIELD_INC => {
                        // The same: the `aload_<n>`, then the rest one by one.
                        push!(slot!(lp, w.b0()));
                        advance!(ip, 1);
                    }
                    q::DUP_GETFIELD => {
                        // The same for `dup; getfield`.
                        push!(slot!(lp, sp - 1));
                        advance!(ip, 1);
                    }
                    q::INVOKEVIRTUAL | q::INVOKESPECIAL | q::INVOKESTATIC | q::INVOKEINTERFACE => {
                        let opcode = invoke_opcode(w.op());
                        let idx = w.b() as u16;
                        sync!();
                        tick!(0);
                        // Before the call: afterwards the callee's frame is on top.
                        let c = cls!();
                        if let Err(e) = self.invoke_insn(opcode, c, idx, abs_sp!()) {
                            fail!(e);
                        }
                        if let Some(quick) = self.quicken_invoke(opcode, c, idx, w.len()) {
                            patch!(self
                                .quicken_raw(quick)
                                .or_else(|| self.quicken_clock(quick))
                                // SAFETY: an invoke's second byte, inside the code.
                                .or_else(|| self.quicken_twin(quick, unsafe { &*ip.add(1) }))
                                .unwrap_or(quick));
                        }
                        continue 'reload;
                    }
                    q::INVOKE_STATIC | q::INVOKE_DIRECT | q::INVOKE_VT | q::INVOKE_IFACE | q::TWIN => {
                        let base = abs_sp!() - w.b();
                        sync!();
                        tick!(0);
                        let target = match w.op() {
                            q::INVOKE_STATIC => Some(MethodId(w.c())),
                            op => {
                                let recv = Ref::from_raw(slot!(lp, sp - w.b()) as u32);
                                match op {
                                    q::INVOKE_DIRECT | q::TWIN => (!recv.is_null()).then_some(MethodId(w.c())),
                                    q::INVOKE_VT => self.vtable_target(recv, w.c()),
                                    _ => self.iface_target(recv, MethodId(w.c())),
                                }
                            }
                        };
                        if let Some(t) = target {
                            match self.call_inline(t, base) {
                                Ok(Some(slots)) => {
                                    // Done in place: no frame to enter.
                                    refresh!();
                                    sp = base + slots - bp!();
                                    advance!(ip, w.len());
                                    continue;
                                }
                                Ok(None) => {}
                                Err(e) => fail!(e),
                            }
                        }
                        let r = match target {
                            Some(t) => self.call_method(t, base),
                            // Null receiver, abstract method, selection not
                            // cached: the generic path.
                            None => {
                                let (pc, bytes) = (pc!(), bytes!());
                                self.invoke_insn(bytes[pc], cls!(), be_u16(bytes, pc + 1), abs_sp!())
                            }
                        };
                        if let Err(e) = r {
                            fail!(e);
                        }
                        continue 'reload;
                    }
                    q::INVOKEDYNAMIC => {
                        let idx = w.b() as u16;
                        sync!();
                        tick!(0);
                        if let Err(e) = self.invoke_dynamic(cls!(), idx, abs_sp!()) {
                            fail!(e);
                        }
                        continue 'reload;
                    }
                    q::NEW => {
                        let idx = w.b() as u16;
                        sync!();
                        let c = match self.new_slow(cls!(), idx) {
                            Ok(Some(c)) => c,
                            Ok(None) => continue 'reload,
                            Err(e) => fail!(e),
                        };
                        if self.classes[c.ix()].state == InitState::Initialized {
                            patch!(w.with(q::NEW_Q, c.0));
                        }
                        let r = tri!(self.alloc_instance(c));
                        refresh!();
                        push!(u64::from(r.to_raw()));
                        advance!(ip, 3);
                    }
                    q::NEW_Q => {
                        sync!();
                        let r = tri!(self.alloc_instance(ClassId(w.c())));
                        refresh!();
                        push!(u64::from(r.to_raw()));
                        advance!(ip, 3);
                    }
                    q::NEWARRAY => {
                        let n = pop!() as u32 as i32;
                        sync!();
                        let r = tri!(self.new_primitive_array(w.b() as u8, n));
                        refresh!();
                        push!(u64::from(r.to_raw()));
                        advance!(ip, 2);
                    }
                    q::ANEWARRAY => {
                        let idx = w.b() as u16;
                        let n = pop!() as u32 as i32;
                        sync!();
                        let ac = tri!(self.array_class_for(cls!(), idx));
                        let r = tri!(self.alloc_array(ac, n));
                        refresh!();
                        push!(u64::from(r.to_raw()));
                        advance!(ip, 3);
                    }
                    q::MULTIANEWARRAY => {
                        let idx = w.b() as u16;
                        let dims = w.c() as usize;
                        sp -= dims;
                        sync!();
                        let r = tri!(self.multianewarray(cls!(), idx, abs_sp!(), dims));
                        refresh!();
                        push!(u64::from(r.to_raw()));
                        advance!(ip, 4);
                    }
                    q::ATHROW => {
                        let r = Ref::from_raw(pop!() as u32);
                        if r.is_null() {
                            fail!(npe("Cannot throw exception"));
                        }
                        self.throwing = r;
                        fail!(Exit::Exception);
                    }
                    q::CHECKCAST | q::INSTANCEOF => {
                        let r = Ref::from_raw(slot!(lp, sp - 1) as u32);
                        if r.is_null() {
                            // Null passes without resolving the class.
                            if w.op() == q::INSTANCEOF {
                                set_slot!(lp, sp - 1, 0);
                            }
                            advance!(ip, 3);
                            continue;
                        }
                        let target = match &self.classes[cls!().ix()].cp[w.b()] {
                            CpEntry::Class { res: Res::Ok(c), .. } => *c,
                            _ => {
                                sync!();
                                let c = tri!(self.resolve_class(cls!(), w.b() as u16).map_err(Exit::Link));
                                refresh!();
                                c
                            }
                        };
                        // The quick form runs next.
                        let o = if w.op() == q::CHECKCAST { q::CHECKCAST_Q } else { q::INSTANCEOF_Q };
                        patch!(w.with(o, target.0));
                    }
                    q::CHECKCAST_Q => {
                        let r = Ref::from_raw(slot!(lp, sp - 1) as u32);
                        if !r.is_null() {
                            let target = ClassId(w.c());
                            let rc = self.class_of(r).unwrap_or(target);
                            if !self.is_instance_of(rc, target) {
                                fail!(self.class_cast_exit(rc, target));
                            }
                        }
                        advance!(ip, 3);
                    }
                    q::INSTANCEOF_Q => {
                        let r = Ref::from_raw(slot!(lp, sp - 1) as u32);
                        let ok = !r.is_null() && {
                            let target = ClassId(w.c());
                            let rc = self.class_of(r).unwrap_or(target);
                            self.is_instance_of(rc, target)
                        };
                        set_slot!(lp, sp - 1, ok as u64);
                        advance!(ip, 3);
                    }
                    q::MONITORENTER => {
                        let r = Ref::from_raw(pop!() as u32);
                        if r.is_null() {
                            fail!(npe("Cannot enter synchronized block"));
                        }
                        self.monitor_enter(r);
                        advance!(ip, 1);
                    }
                    q::MONITOREXIT => {
                        let r = Ref::from_raw(pop!() as u32);
                        if r.is_null() {
                            fail!(npe("Cannot exit synchronized block"));
                        }
                        if !self.monitor_exit(r) {
                            fail!(Exit::new("java/lang/IllegalMonitorStateException", "current thread is not owner"));
                        }
                        advance!(ip, 1);
                    }
                    q::INVALID | q::LAST..=u8::MAX => {
                        fail!(Exit::internal(format!("unsupported opcode {}", bytes!()[pc!()])))
                    }
                    // An instruction `fast` runs, which it left because it
                    // fails (or needs a tick the budget refuses): run it
                    // once more to learn how, and raise that.
                    _ => match self.step(ip, sp, lp) {
                        Ok((i, s)) => (ip, sp) = (i, s),
                        Err((e, i, s)) => {
                            (ip, sp) = (i, s);
                            fail!(e)
                        }
                    },
                }
            }
        }
    }

    /// Runs one instruction of those `fast` runs, with their failures as
    /// the exit and the state (instruction, stack top) to raise it at.
    /// Out of line: it keeps the heap accessors and exception paths out of
    /// `run`'s stack frame, which every native-to-Java nesting level adds.
    #[inline(never)]
    #[allow(clippy::type_complexity)]
    fn step(
        &mut self,
        mut ip: *const Cell<Insn>,
        mut sp: usize,
        lp: *mut u64,
    ) -> Result<(*const Cell<Insn>, usize), (Exit, *const Cell<Insn>, usize)> {
        macro_rules! bail {
            ($skip:expr, $e:expr) => {{
                let e: Exit = $e;
                // SAFETY: the failing part is inside the instruction.
                return Err((e, unsafe { ip.add($skip) }, sp));
            }};
        }
        macro_rules! tick {
            ($skip:expr) => {{
                if self.budget_left == 0 {
                    bail!($skip, Exit::Vm(VmError::BudgetExhausted));
                }
                self.budget_left -= 1;
            }};
        }
        let w = fetch!(ip);
        ops!(self, w, ip, sp, lp;
            _ => return Err((Exit::internal("step: not a fast instruction"), ip, sp)),
        );
        Ok((ip, sp))
    }

    /// The interpreter state for the top frame: its code (decoded on first
    /// use), the current instruction, the frame-relative stack top and the
    /// frame's first slot.
    #[allow(clippy::type_complexity)]
    fn enter_top_frame(&mut self) -> Result<(Rc<Code>, *const Cell<Insn>, usize, *mut u64), Exit> {
        let Some(&Frame { method, pc, bp, sp, .. }) = self.frames.last() else {
            return Err(Exit::internal("interpreter without a frame"));
        };
        let m = &self.methods[method.ix()];
        let Some(code) = m.code.clone() else {
            return Err(Exit::internal("frame without code"));
        };
        let ins = self.decoded(&code, m.class);
        // SAFETY: the frame's pc is an instruction start inside the code.
        let ip = unsafe { ins.add(pc as usize) };
        // SAFETY: bp + max_locals + max_stack < stack.len() (push_java_frame).
        let lp = unsafe { self.stack.as_mut_ptr().add(bp as usize) };
        Ok((code, ip, (sp - bp) as usize, lp))
    }

    /// The first instruction of `code` (of a method of `class`), decoded
    /// now if it has not run before.
    #[inline]
    pub(crate) fn decoded(&self, code: &Code, class: ClassId) -> *const Cell<Insn> {
        match code.quick.get() {
            Some(d) => d.as_ptr(),
            None => {
                let d = quick::decode(&code.bytes, &self.classes[class.ix()].cp);
                code.quick.get_or_init(|| d).as_ptr()
            }
        }
    }

    /// The NullPointerException (or internal error) of a failed quick
    /// `getfield`/`putfield` at `ip` in the top frame, named from its pool
    /// entry.
    #[cold]
    #[inline(never)]
    fn field_exit_at(&self, e: AccessError, ip: *const Cell<Insn>, put: bool) -> Exit {
        let Some(f) = self.frames.last() else { return Exit::internal("field access without a frame") };
        let m = &self.methods[f.method.ix()];
        let Some((code, ins)) = m.code.as_ref().and_then(|c| Some((c, c.quick.get()?))) else {
            return Exit::internal("field access without code");
        };
        // SAFETY: ip points into this frame's decoded code.
        let pc = unsafe { ip.offset_from(ins.as_ptr()) } as usize;
        let idx = usize::from(be_u16(&code.bytes, pc + 1));
        match &self.classes[m.class.ix()].cp[idx] {
            CpEntry::Field { res: Res::Ok(fr), .. } => self.field_access_exit(e, fr, put),
            _ => Exit::internal("quick field access without a resolved field"),
        }
    }

    /// The method `INVOKE_VT` calls: vtable slot `index` of the receiver's
    /// class, or `None` (null receiver, abstract method) for the generic
    /// path to report.
    #[inline]
    pub(crate) fn vtable_target(&self, recv: Ref, index: u32) -> Option<MethodId> {
        let rc = self.class_of(recv)?;
        let t = *self.classes[rc.ix()].vtable.get(index as usize)?;
        (!self.methods[t.ix()].is_abstract()).then_some(t)
    }

    #[cold]
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
        let fr = self.resolve_field_use(cls, method, idx, is_static, put).map_err(Exit::Link)?;
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

    pub(crate) fn aastore(&mut self, a: Ref, i: i32, v: Ref) -> Result<(), Exit> {
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
        let ac = self.primitive_array_class(atype)?;
        self.alloc_array(ac, n)
    }

    /// The array class `newarray` with `atype` creates.
    pub(crate) fn primitive_array_class(&mut self, atype: u8) -> Result<ClassId, Exit> {
        let code = atype_descriptor(atype).ok_or_else(|| Exit::internal("bad newarray type"))?;
        let pc = self.primitive_class(code);
        self.array_class_of(pc).map_err(Exit::Link)
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

    pub(crate) fn alloc_multi(&mut self, ac: ClassId, counts: &[i32]) -> Result<Ref, Exit> {
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

/// The descriptor character of `newarray`'s `atype` (JVMS 6.5 newarray).
pub(crate) fn atype_descriptor(atype: u8) -> Option<u8> {
    Some(match atype {
        4 => b'Z',
        5 => b'C',
        6 => b'F',
        7 => b'D',
        8 => b'B',
        9 => b'S',
        10 => b'I',
        11 => b'J',
        _ => return None,
    })
}
