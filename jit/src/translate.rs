//! Verified bytecode → Cranelift IR (docs/jit.md, "Translation").
//!
//! Locals and operand-stack slots become Cranelift variables, one per
//! (slot, machine kind), so every value has a known type and lives in a
//! register; within a block the operand stack is symbolic (values, not
//! variables) and is written to variables only at block ends. The frame's
//! memory slots are touched only at safepoints (helper calls), at entry
//! (arguments) and at return (the result goes to slot 0).
//!
//! Calls with targets known at compile time are inlined (small leaves,
//! translated in the caller's function with their own variables) or made
//! directly (the code pushes the callee's frame record): docs/jit.md,
//! "Calls from compiled code".

use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32, F64, I16, I32, I64, I64X2, I8};
use cranelift_codegen::ir::{
    AbiParam, Block, BlockArg, Function, Inst, InstBuilder, InstructionData, MemFlagsData, Opcode, SigRef, Signature,
    StackSlot, StackSlotData, StackSlotKind, Type, Value, ValueDef,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Switch, Variable};

use pd_jvm::runtime::class::{ClassId, Handler, MethodId};
use pd_jvm::runtime::compiler::{
    frame_layout, layout, CallSig, CompileEnv, Constant, DirectCall, Helpers, InlineTarget, JitContext, MethodData,
    NativeCall, PureNative, SlotKind,
};
use pd_jvm::runtime::raw::RawAccess;
use pd_jvm::verify::insn::{op, Insn, Instructions, Operands};

use crate::counted_loops::{aload_local, bounded_loops, counted_loops, stores, Cont, CountedLoop, Invariant};
use crate::dead_allocations::{AllocSite, ArrayAlloc};
use crate::inline_cfg::BodyCfg;
use crate::kinds::{self, K};
use crate::{Decline, NewDecline};

/// Methods larger than this stay interpreted (compile time and memory).
const MAX_CODE: usize = 16 * 1024;
const MAX_SLOTS: usize = 2048;
/// Instances up to this size are allocated and zeroed inline.
const MAX_INLINE_INSTANCE: u32 = 256;
/// Arrays up to this length are allocated inline.
const MAX_INLINE_ARRAY: i64 = 1 << 24;
/// Callees up to this many bytes of bytecode (throw tails not counted)
/// are inlined: every call site of a compiled method is warm, so this sits
/// between HotSpot's `MaxInlineSize` (35, any site) and `FreqInlineSize`
/// (325, hot sites); library accessors such as `IpcStream.put` and its
/// helper are 60 to 80 bytes. ...
const MAX_INLINE_CALLEE: usize = 100;
/// ... up to this many calls deep, ...
const MAX_INLINE_DEPTH: usize = 3;
/// ... and up to this many bytes in all per compiled method (compile time).
const MAX_INLINE_TOTAL: usize = 400;

fn ty(k: K) -> Type {
    match k {
        K::I | K::R | K::Top => I32,
        K::F => F32,
        K::L => I64,
        K::D => F64,
    }
}

fn kind_ix(k: K) -> usize {
    match k {
        K::I | K::Top => 0,
        K::F => 1,
        K::L => 2,
        K::D => 3,
        K::R => 4,
    }
}

#[derive(Clone, Copy)]
struct Entry {
    k: K,
    v: Option<Value>,
    /// A reference known not to be null (`this`, a new object).
    nn: bool,
}

/// Loads of an object's header words and an array's length: they never
/// change while the object stays at an address, and compiled code derives
/// addresses afresh after every safepoint (the collector moves objects),
/// so the loads may be merged and hoisted out of loops (`readonly`), even
/// above the null check that guards them (`can_move`: the address of
/// null's header is the heap's base, which is mapped, and the value is
/// used only once the check passed). Only read after the allocation that
/// writes them (their address is the allocation's result).
fn header_fl() -> MemFlagsData {
    fl().with_readonly().with_can_move()
}

fn fl() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// The entry signature (`JitEntry`).
/// The kinds of call out of compiled code, by signature (`Leaf` last:
/// `COUNT` counts up to it).
#[derive(Clone, Copy)]
enum HelperSig {
    Exec,
    Call,
    Aastore,
    Throw,
    Frem,
    Drem,
    D1,
    Entry,
    Unwind,
    Leaf,
    Clock,
}

impl HelperSig {
    const COUNT: usize = HelperSig::Clock as usize + 1;

    fn signature(self, cc: CallConv) -> Signature {
        let mk = |params: &[Type], ret: Type| {
            let mut s = Signature::new(cc);
            s.params.extend(params.iter().map(|&t| AbiParam::new(t)));
            s.returns.push(AbiParam::new(ret));
            s
        };
        match self {
            HelperSig::Exec => mk(&[I64, I32, I32], I32),
            HelperSig::Call => mk(&[I64, I32, I32, I32, I32], I32),
            HelperSig::Aastore => mk(&[I64, I32, I32, I32], I32),
            HelperSig::Throw => mk(&[I64, I32, I32, I64, I64], I32),
            HelperSig::Frem => mk(&[F32, F32], F32),
            HelperSig::Drem => mk(&[F64, F64], F64),
            HelperSig::D1 => mk(&[F64], F64),
            HelperSig::Entry => entry_signature(cc),
            HelperSig::Unwind => mk(&[I64], I32),
            HelperSig::Leaf => mk(&[I64, I64, I64, I64], I64),
            HelperSig::Clock => mk(&[], I64),
        }
    }
}

pub(crate) fn entry_signature(cc: CallConv) -> Signature {
    let mut s = Signature::new(cc);
    s.params.push(AbiParam::new(I64));
    s.params.push(AbiParam::new(I64));
    s.returns.push(AbiParam::new(I32));
    s
}

/// An argument of a failed check's throw helper.
#[derive(Clone, Copy)]
enum FailArg {
    Val(Value),
    Const(i64),
    /// Zero, as the value a `v == 0` check tested: a constant 0 would be
    /// the very constant the compare uses, which Cranelift then keeps in a
    /// register on the hot path (a `xor` per iteration of Sieve's loops).
    Zero(Value),
}

/// A reservable bounded loop and the variables of its induction variable
/// and bound, for its body and the calls inlined there (whose own locals
/// replace the method's).
#[derive(Clone, Copy)]
struct Reserve {
    lp: CountedLoop,
    iv: Variable,
    bound: Option<Variable>,
}

/// What `Tr::range_guard` computed: whether the loop is safe, its
/// induction variable on entry and its end (both sign-extended).
struct RangeGuard {
    ok: Value,
    j0: Value,
    end: Value,
}

/// A counted loop ([`counted_loops`]) and the blocks of its copy without
/// budget checks, for the instructions after its header's test up to its
/// back edge (`Tr::counted_guard` chooses between the two on entry).
#[derive(Clone)]
struct FastCopy {
    lp: CountedLoop,
    /// The copy's first block (the body's).
    body: Block,
    blocks: Vec<Option<Block>>,
}

/// A store in an inlined body and what it overwrote: `width` is `I8` or
/// `I16` for narrow stores, else the stored value's type.
#[derive(Clone, Copy)]
struct Undo {
    width: Type,
    addr: Value,
    off: i32,
    old: Value,
    /// The load of `old`: removed if no undo block needs it.
    load: Inst,
    /// The inlined body and its bytecode block where the store was made
    /// (once that body is done: its call site in the body around it).
    body: u32,
    block: usize,
    /// The store ran on every path through its block (false once it moved
    /// out of a body where it might not have: `Tr::leave_scope`).
    sure: bool,
}

/// An inlined body being translated: which of it, its control flow, and
/// the bytecode block being translated (for a body around another, the
/// block of the call site).
struct Scope {
    body: u32,
    cfg: Rc<BodyCfg>,
    block: usize,
}

/// The call being inlined (docs/jit.md, "Inlining").
#[derive(Clone, Copy)]
struct Inline {
    /// The outermost inlined call's slow path: the call through the
    /// helper, from the state before the call. Every guard and failed
    /// check of the inlined bodies goes there, through a block undoing
    /// their stores if they made any (`Tr::slow_for`).
    slow: Block,
    /// Where this callee's returns go, ...
    join: Block,
    /// ... with the returned value in this (caller's) variable.
    result: Option<Variable>,
}

/// Where the translated code keeps its frame's first slot.
#[derive(Clone, Copy)]
enum FramePointer {
    /// In a stack slot of the code's own frame: needed at safepoints and
    /// exits only, where a variable would hold two registers (the base
    /// and `bp`, folded into addressing) through every loop.
    Slot(StackSlot),
    /// In a method without loops, a variable: no loop holds its
    /// registers, every slot access is an instruction shorter to compile,
    /// and the code's frame has no slot to set up.
    Var(Variable),
}

struct Tr<'a, 'b> {
    b: FunctionBuilder<'b>,
    env: &'a CompileEnv<'a>,
    /// The method whose bytecode is being translated now (the compiled
    /// method, or an inlined callee): its class, handlers and code.
    cls: ClassId,
    handlers: &'a [Handler],
    insns: Rc<Instructions>,
    h: Helpers,
    /// Cold slow paths of inlined calls leave for the interpreter
    /// (`deopt_exit`) instead of rejoining the code.
    deopt: bool,
    ml: usize,
    vars: Vec<Option<Variable>>,
    /// The frame's first slot (`stack_base + bp * 8`).
    fp: FramePointer,
    hb: Variable,
    budget: Variable,
    /// The block in which the budget in memory is the variable's value:
    /// since the last `refresh` or `store_budget` there, nothing called
    /// out or changed the budget. A safepoint in it need not store it.
    budget_synced: Option<Block>,
    /// Code that is not optimized and has no loop of its own keeps the
    /// budget in memory only: each safepoint would otherwise reload it
    /// and store it back unchanged.
    budget_in_memory: bool,
    /// With `budget_in_memory`, the heap base is not kept in `hb` either
    /// but loaded once per block that uses it, after every call out.
    hb_cached: Option<(Block, Value)>,
    /// The block in which the reference locals of `clean_refs` (bit i:
    /// local i) are in their slots as the variables hold them (reloaded
    /// or stored since the last call out): a safepoint in it need not
    /// store them again.
    clean_block: Option<Block>,
    clean_refs: u64,
    /// Object addresses computed in the current block (`obj_addr`):
    /// (block, heap base, reference, address).
    addrs: Vec<(Block, Value, Value, Value)>,
    /// The bases of the static primitives and references, in a method
    /// without calls: loaded with the other context values (`refresh`),
    /// so a loop's static accesses do not reload them; the loads go again
    /// if no static access used them. (With calls, every return would
    /// reload them: each access loads its base instead.)
    statics: Option<[Variable; 2]>,
    statics_loads: Vec<(usize, Inst)>,
    statics_used: [bool; 2],
    ctx: Value,
    bp8: Value,
    exit: Block,
    blocks: Vec<Option<Block>>,
    stack: Vec<Entry>,
    locals: Vec<K>,
    /// Back-edge blocks to fill once the current terminator is emitted:
    /// (edge block, target, branch pc, target's instruction index).
    edges: Vec<(Block, Block, u32, usize)>,
    /// Per instruction: a loop header whose test a back edge may repeat
    /// ([`rotatable_headers`]).
    rotatable: Vec<bool>,
    /// Per instruction: the counted loop it heads, with the blocks of its
    /// fast copy.
    counted: Vec<Option<FastCopy>>,
    /// The header of the counted loop whose fast copy is being translated.
    fast_loop: Option<usize>,
    /// Bounded loops (empty where the code may not deoptimize): their
    /// guard on entry deoptimizes unless every `a[iv]` of theirs is in
    /// bounds (`Tr::bounded_entry`).
    bounded: Vec<CountedLoop>,
    /// The bounded loops without another inside: their back edge does not
    /// check the budget (`Tr::reserve_dist`).
    reservable: Vec<CountedLoop>,
    /// The bodies (instructions) of the counted loops that have a fast
    /// copy, from `counted`: what the checked copies translate.
    copied_bodies: Vec<core::ops::RangeInclusive<usize>>,
    /// The blocks (ranges of block numbers) of the counted loops' checked
    /// copies, made cold once translated.
    checked_copies: Vec<(u32, u32)>,
    /// The reservable loop whose body holds the instruction being
    /// translated (of the method, or of an inlined call in that body).
    reserve: Option<Reserve>,
    /// The instruction being translated called out of the code and came
    /// back, or ticked the budget: it may have left less than the
    /// reserve needs.
    budget_moved: bool,
    /// The code changes the budget itself (ticks, loop counts, a direct
    /// call's tick). If it never does, the variable always holds what
    /// memory held when it was last loaded (at entry, or after a call
    /// out, which may change it), and `budget_stores` write back what is
    /// there already: they are removed at the end.
    budget_written: bool,
    budget_stores: Vec<Inst>,
    /// The budget's last load from memory (`refresh`): a slow path that
    /// puts the variable back to it (`restore_budget`) writes nothing new.
    budget_load: Option<Value>,
    budget_restores: Vec<(Value, Option<Value>)>,
    /// The test being translated is a back edge's repeat of its header's.
    repeating: bool,
    /// The signatures of calls out of the code, imported on first use
    /// (every imported signature costs Cranelift set-up time, and a small
    /// method uses one or two).
    sigs: [Option<SigRef>; HelperSig::COUNT],
    cc: CallConv,
    /// The frame's first slot (the entry's `bp`).
    bp: Value,
    /// Locals never null when read (bit i: local i; [`nonnull_locals`]).
    nn_locals: u64,
    /// Per local: after which instruction it is non-null (`entry_derefs`).
    nn_after: Vec<usize>,
    /// The instruction being translated (index into `insns`).
    cur: usize,
    /// Set while an inlined callee is translated.
    inl: Option<Inline>,
    /// An inlined body did what its slow path cannot take back since the
    /// outermost inlined call began (a leaf native's call, or a store whose
    /// undo no longer dominates): from then on it may not fail (its slow
    /// path would do it twice).
    inl_effects: bool,
    /// The stores of the inlined bodies since the outermost inlined call
    /// began, oldest first: a failed check or guard undoes them before the
    /// slow path runs the call again (`Tr::slow_for`).
    inl_undo: Vec<Undo>,
    /// Blocks that undo these entries of `inl_undo`, newest first, then go
    /// to the slow path: filled when the outermost inlined call is done.
    inl_undo_blocks: Vec<(Block, Vec<u32>)>,
    /// The inlined bodies being translated, outermost first (an undo
    /// entry is valid where its store certainly ran: `Tr::undo_set`).
    inl_scopes: Vec<Scope>,
    next_body: u32,
    /// References null-checked in the current Cranelift block or in the
    /// blocks `check` continued straight into from it (`nn_block`: the
    /// block they hold in). A second check of one of them is dropped
    /// (`o.f = o.f + i`: one check, not two).
    nn_values: Vec<Value>,
    nn_block: Option<Block>,
    /// In an inlined body: its throw tails (`throw_tails`), by instruction.
    inl_tails: Vec<bool>,
    /// The inlined body needs what inlined code may not have (a helper
    /// call, a back edge, a check after a store): translate the method
    /// again without inlining at `abort_site`.
    abort: bool,
    /// The compiled method's pc of the outermost inlined call.
    site: u32,
    /// Call sites not to inline (earlier attempts aborted).
    deny: &'a [u32],
    /// The compiled method and the callees being inlined (no recursion).
    chain: Vec<MethodId>,
    inlined_bytes: usize,
    /// Calls inlined so far.
    inlined_calls: usize,
    rotated_loops: usize,
    counted_loops: usize,
    bounded_loops: usize,
    reserved_loops: usize,
    /// The inline allocations so far, for `dead_allocations`.
    alloc_sites: Vec<AllocSite>,
}

/// A bump allocation's fast path (`Tr::bump`).
struct Bump {
    /// The object's address and its offset from the heap base.
    p: Value,
    top: Value,
    /// The branch to the slow path when the space is short.
    check: Inst,
    /// The fast path's block.
    fast: Block,
    /// The store of the new heap top.
    store: Inst,
}

/// A slow path that `exec`s the instruction at `pc` (with `nops`
/// operands) from `block`, the operand stack as `saved` before it.
struct SlowExec {
    saved: Vec<Entry>,
    block: Block,
    pc: u32,
    nops: usize,
}

/// A translation that failed: decline, or retry without inlining at a site.
pub(crate) enum Failure {
    Decline(Decline),
    Retry(u32),
}

impl From<Decline> for Failure {
    fn from(d: Decline) -> Failure {
        Failure::Decline(d)
    }
}

/// Whether `insns` decode to a method with an instance receiver in local
/// 0 that is never overwritten.
fn keeps_this(is_static: bool, insns: &Instructions) -> bool {
    !is_static
        && !insns
            .insns
            .iter()
            .any(|x| matches!(x.opcode, op::ASTORE | op::ASTORE_0) && matches!(x.operands, Operands::Local(0)))
}

/// Slots the arguments take (long and double: two).
fn arg_slots(kinds: &[SlotKind]) -> usize {
    kinds.iter().map(|&k| if K::from_slot(k).wide() { 2 } else { 1 }).sum()
}

/// The instructions of each straight run that ends in `athrow` (from the
/// first instruction no branch lands on and no branch precedes): a throw's
/// cold tail, e.g. `throw new E(...)` or `throw outside(i)`. An inlined
/// body runs none of it: reaching one goes to the call's slow path, where
/// the callee runs in a frame of its own and throws with its real stack
/// trace. So a guard that throws costs a small callee nothing inline.
fn throw_tails(insns: &[Insn]) -> Vec<bool> {
    let targets: alloc::collections::BTreeSet<i64> = insns.iter().flat_map(|i| i.targets()).collect();
    let mut tail = vec![false; insns.len()];
    for j in 0..insns.len() {
        if insns[j].opcode != op::ATHROW {
            continue;
        }
        let mut k = j;
        loop {
            tail[k] = true;
            if k == 0 || targets.contains(&(insns[k].pc as i64)) {
                break;
            }
            let prev = &insns[k - 1];
            if prev.targets().next().is_some() || is_terminator(prev.opcode) {
                break;
            }
            k -= 1;
        }
    }
    tail
}

/// The bytes of code an inlined body translates: all but its throw tails.
fn inline_bytes(insns: &[Insn], tails: &[bool]) -> usize {
    insns.iter().zip(tails).filter(|(_, &t)| !t).map(|(i, _)| i.len).sum()
}

pub(crate) fn is_terminator(o: u8) -> bool {
    matches!(
        o,
        op::IRETURN..=op::RETURN | op::ATHROW | op::GOTO | op::GOTO_W | op::TABLESWITCH | op::LOOKUPSWITCH | op::RET
    )
}

/// Whether the value the `checkcast` at instruction `i` leaves is
/// dereferenced before its block ends: at once (`getfield`,
/// `arraylength`), or stored to a local that the block then dereferences
/// (`aload n; getfield`, `aload n; <one push>; putfield`) before storing
/// to it again. A null cast there ends in a `NullPointerException`.
/// `leaders` has a block for each instruction that starts one.
fn derefs_cast_result(code: &[Insn], i: usize, leaders: &[Option<Block>]) -> bool {
    let starts_block = |k: usize| leaders.get(k).is_some_and(|b| b.is_some());
    let deref = |k: usize| code.get(k).is_some_and(|x| matches!(x.opcode, op::GETFIELD | op::ARRAYLENGTH));
    let astore = |x: &Insn| match (x.opcode, &x.operands) {
        (op::ASTORE, Operands::Local(n)) => Some(*n),
        (op::ASTORE_0..=op::ASTORE_3, _) => Some(u16::from(x.opcode - op::ASTORE_0)),
        _ => None,
    };
    let one_push = |x: &Insn| {
        matches!(
            x.opcode,
            op::ACONST_NULL..=op::SIPUSH | op::ILOAD..=op::ALOAD | op::ILOAD_0..=op::ALOAD_3 | op::GETSTATIC
        )
    };
    if starts_block(i + 1) {
        return false;
    }
    if deref(i + 1) {
        return true;
    }
    let Some(n) = code.get(i + 1).and_then(astore) else { return false };
    let mut k = i + 2;
    while let Some(x) = code.get(k) {
        if starts_block(k) || x.targets().next().is_some() || is_terminator(x.opcode) || stores(x, n) {
            return false;
        }
        if aload_local(x) == Some(n) && !starts_block(k + 1) {
            if deref(k + 1) {
                return true;
            }
            let put = code.get(k + 2).is_some_and(|y| y.opcode == op::PUTFIELD);
            if code.get(k + 1).is_some_and(one_push) && put && !starts_block(k + 2) {
                return true;
            }
        }
        k += 1;
    }
    false
}

/// Locals (below 64) never null when read: `this` when [`keeps_this`], and
/// locals other than the arguments whose every store takes an array just
/// allocated (`newarray`, `anewarray`, `multianewarray` right before the
/// `astore`, which is no block's leader, i.e. no branch target, and no
/// handler's start). Verified code reads a
/// local only after a store, so such a local holds an array on every
/// path, across loop back edges too (Sieve's array: no null check in
/// the loop). Also the arguments in `nn_args` (bits by local: those an
/// inlined call's caller knew were not null) that no `astore` replaces.
fn nonnull_locals(
    is_static: bool,
    arg_slots: usize,
    nn_args: u64,
    insns: &Instructions,
    flow: &kinds::Flow,
    handlers: &[Handler],
) -> u64 {
    let entered = |k: usize, pc: usize| flow.leader[k] || handlers.iter().any(|h| usize::from(h.pc) == pc);
    let (mut allocated, mut other) = (0u64, 0u64);
    for (k, x) in insns.insns.iter().enumerate() {
        let local = match (x.opcode, &x.operands) {
            (op::ASTORE, Operands::Local(n)) => usize::from(*n),
            (op::ASTORE_0..=op::ASTORE_3, _) => usize::from(x.opcode - op::ASTORE_0),
            _ => continue,
        };
        if local >= 64 {
            continue;
        }
        let fresh = k > 0
            && matches!(insns.insns[k - 1].opcode, op::NEWARRAY | op::ANEWARRAY | op::MULTIANEWARRAY)
            && !entered(k, x.pc);
        if fresh {
            allocated |= 1 << local;
        } else {
            other |= 1 << local;
        }
    }
    let args = if arg_slots >= 64 { u64::MAX } else { (1u64 << arg_slots) - 1 };
    (allocated & !other & !args) | (nn_args & !other) | u64::from(keeps_this(is_static, insns))
}

/// Per instruction: whether it is a loop header that only tests, which a
/// back edge may repeat (`Tr::repeat_test`): reached with an empty
/// operand stack, not a handler, then up to two int loads or constants
/// that no branch enters, then `if<cond>` or `if_icmp<cond>` branching
/// forward (the exit) and falling through to the body. Such code has no
/// effect and cannot throw, so running a copy of it at the end of the
/// body is the same as jumping back to it.
fn rotatable_headers(insns: &Instructions, flow: &kinds::Flow, handlers: &[Handler]) -> Vec<bool> {
    let n = insns.insns.len();
    let simple = |o: u8| matches!(o, op::ILOAD | op::ILOAD_0..=op::ILOAD_3 | op::ICONST_M1..=op::ICONST_5 | op::BIPUSH | op::SIPUSH);
    let rotatable = |h: usize| {
        let Some(state) = flow.states[h].as_ref() else { return false };
        if !state.stack.is_empty() || handlers.iter().any(|x| usize::from(x.pc) == insns.insns[h].pc) {
            return false;
        }
        let mut k = h;
        while k < n && k - h < 2 && simple(insns.insns[k].opcode) {
            k += 1;
        }
        let Some(test) = insns.insns.get(k) else { return false };
        let arity = match test.opcode {
            op::IFEQ..=op::IFLE => 1,
            op::IF_ICMPEQ..=op::IF_ICMPLE => 2,
            _ => return false,
        };
        let forward = matches!(test.operands, Operands::Branch(t) if t > test.pc as i64);
        let straight = (h + 1..=k).all(|j| !flow.leader[j]);
        let body = flow.states.get(k + 1).is_some_and(|s| s.is_some());
        k - h == arity && forward && straight && body
    };
    (0..n).map(rotatable).collect()
}

/// For each reference local: the instruction after which it is known
/// non-null because the method's entry block dereferenced it (`aload i`
/// then `getfield` or `arraylength`, which throw on null) and nothing
/// ever stores to it (`usize::MAX`: never). Every path to a later
/// instruction runs the entry block first. Not for methods with
/// exception handlers (a handler could be entered from the dereference
/// itself).
fn entry_derefs(insns: &Instructions, flow: &kinds::Flow, handlers: &[Handler]) -> Vec<usize> {
    let mut after = vec![usize::MAX; 64];
    if !handlers.is_empty() {
        return after;
    }
    let stored = |i: usize| {
        insns.insns.iter().any(|x| match (x.opcode, &x.operands) {
            (op::ASTORE, Operands::Local(n)) => usize::from(*n) == i,
            (op::ASTORE_0..=op::ASTORE_3, _) => usize::from(x.opcode - op::ASTORE_0) == i,
            _ => false,
        })
    };
    for k in 0..insns.insns.len().saturating_sub(1) {
        let x = &insns.insns[k];
        if (k > 0 && flow.leader[k]) || x.targets().next().is_some() || is_terminator(x.opcode) {
            break;
        }
        let local = match (x.opcode, &x.operands) {
            (op::ALOAD, Operands::Local(n)) => usize::from(*n),
            (op::ALOAD_0..=op::ALOAD_3, _) => usize::from(x.opcode - op::ALOAD_0),
            _ => continue,
        };
        let next = &insns.insns[k + 1];
        if local < 64
            && after[local] == usize::MAX
            && matches!(next.opcode, op::GETFIELD | op::ARRAYLENGTH)
            && !flow.leader[k + 1]
            && !stored(local)
        {
            after[local] = k + 1;
        }
    }
    after
}

/// What translating a method did (for the compile log).
#[derive(Default)]
pub(crate) struct Translated {
    pub inlined_calls: usize,
    /// Back edges that repeat their loop's test (`Tr::repeat_test`).
    pub rotated_loops: usize,
    /// Back edges of counted loops' fast copies (`Tr::counted_guard`).
    pub counted_loops: usize,
    /// Bounded loops' guards (`Tr::bounded_entry`).
    pub bounded_loops: usize,
    /// Bounded loops whose back edge does not check the budget
    /// (`Tr::reserve_dist`).
    pub reserved_loops: usize,
    /// Loops replaced by their exit values (set by `counting_loops`).
    pub counting_loops: usize,
    /// Loops that keep a location in a register (`promoted_locations`).
    pub promoted_locations: usize,
    /// The inline allocations (`dead_allocations` removes the unread ones).
    pub alloc_sites: Vec<AllocSite>,
    /// Allocations removed (set by `dead_allocations`).
    pub dead_allocations: usize,
    /// Loops unrolled (set by `unrolled_loops`).
    pub unrolled_loops: usize,
}

/// What the translation is for.
pub(crate) struct Target {
    pub cc: CallConv,
    pub frontend: cranelift_codegen::isa::TargetFrontendConfig,
    /// Cranelift will not optimize the function (cold code: IR for a
    /// quick compile rather than for fast code).
    pub unoptimized: bool,
}

/// Translates `m` into `func` (whose signature is set by the caller).
/// Inlining that turns out impossible only while its body is translated
/// makes this start over without it at that call site.
pub(crate) fn translate<'a>(
    env: &'a CompileEnv<'a>,
    m: &MethodData<'a>,
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
    target: &Target,
) -> Result<Translated, Decline> {
    let mut deny = Vec::new();
    loop {
        match translate_once(env, m, func, fctx, target, &deny) {
            Ok(n) => return Ok(n),
            Err(Failure::Decline(d)) => return Err(d),
            Err(Failure::Retry(site)) => {
                if deny.contains(&site) {
                    return Err(Decline::new("inlining retried at the same site"));
                }
                deny.push(site);
                let sig = func.signature.clone();
                func.clear();
                func.signature = sig;
                *fctx = FunctionBuilderContext::new();
            }
        }
    }
}

fn translate_once<'a>(
    env: &'a CompileEnv<'a>,
    m: &MethodData<'a>,
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
    target: &Target,
    deny: &'a [u32],
) -> Result<Translated, Failure> {
    if m.code.len() > MAX_CODE {
        return Err(Decline::new("method too large").into());
    }
    let ml = usize::from(m.max_locals);
    if ml + usize::from(m.max_stack) > MAX_SLOTS {
        return Err(Decline::new("too many locals and stack slots").into());
    }
    let insns =
        Rc::new(Instructions::decode(m.code, m.major).map_err(|e| Decline::new(alloc::format!("decode: {e}")))?);
    let index_of = |pc: usize| insns.position(pc);
    let entry = kinds::entry_state(ml, &m.arg_kinds)?;
    let flow = kinds::analyze(env, m.class, &insns.insns, &index_of, entry.clone())?;

    let mut b = FunctionBuilder::new(func, fctx);
    let entry_block = b.create_block();
    b.append_block_params_for_function_params(entry_block);
    b.switch_to_block(entry_block);
    let ctx = b.block_params(entry_block)[0];
    let bp = b.block_params(entry_block)[1];
    let bp8 = b.ins().ishl_imm_s(bp, 3);
    let hb = b.declare_var(I64);
    let budget = b.declare_var(I64);
    let fp = if insns.insns.iter().any(|i| i.targets().any(|t| t <= i.pc as i64)) {
        FramePointer::Slot(b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8, 3)))
    } else {
        FramePointer::Var(b.declare_var(I64))
    };
    let calls = insns.insns.iter().any(|i| matches!(i.opcode, op::INVOKEVIRTUAL..=op::INVOKEDYNAMIC));
    let statics = (!calls).then(|| [b.declare_var(I64), b.declare_var(I64)]);
    let exit = b.create_block();
    b.set_cold_block(exit);
    let mut blocks = vec![None; insns.insns.len()];
    for (i, s) in flow.states.iter().enumerate() {
        if s.is_some() {
            blocks[i] = Some(b.create_block());
        }
    }
    let rotatable = rotatable_headers(&insns, &flow, m.handlers);
    // A static access of an initialized class is done inline (`field`):
    // no class initializer runs, nothing ticks the budget.
    let inline_static = |x: &Insn| match x.operands {
        Operands::Cp(cp) => {
            let put = x.opcode == op::PUTSTATIC;
            env.field(m.class, cp, true, put).is_some_and(|f| f.fast_offset.is_some())
        }
        _ => false,
    };
    let counted: Vec<Option<FastCopy>> = counted_loops(&insns, &rotatable, &flow.leader, m.handlers, &inline_static)
        .into_iter()
        .enumerate()
        .map(|(h, lp)| {
            let lp = lp?;
            let blocks: Vec<Option<Block>> =
                blocks[h + 3..=lp.back_edge].iter().map(|x| x.map(|_| b.create_block())).collect();
            Some(FastCopy { lp, body: blocks.first().copied().flatten()?, blocks })
        })
        .collect();
    let deopt = env.may_deoptimize(m.id);
    let bounded = if deopt {
        let is_counted: Vec<bool> = counted.iter().map(Option::is_some).collect();
        bounded_loops(&insns, &rotatable, &flow.leader, m.handlers, &is_counted).into_iter().flatten().collect()
    } else {
        Vec::new()
    };
    // Reserved loops may not nest: a tick in the body is checked against
    // one loop's reserve.
    let reservable = bounded
        .iter()
        .filter(|a| !bounded.iter().any(|b| b.header > a.header && b.header <= a.back_edge))
        .copied()
        .collect();
    let copied_bodies =
        counted.iter().enumerate().filter_map(|(h, c)| c.as_ref().map(|c| h + 3..=c.lp.back_edge)).collect();
    let mut t = Tr {
        b,
        env,
        cls: m.class,
        handlers: m.handlers,
        insns: insns.clone(),
        h: env.helpers(),
        deopt,
        ml,
        vars: vec![None; (ml + usize::from(m.max_stack) + 2) * 5],
        fp,
        hb,
        budget,
        budget_synced: None,
        budget_in_memory: target.unoptimized && matches!(fp, FramePointer::Var(_)),
        hb_cached: None,
        clean_block: None,
        clean_refs: 0,
        addrs: Vec::new(),
        statics,
        statics_loads: Vec::new(),
        statics_used: [false; 2],
        ctx,
        bp8,
        exit,
        blocks,
        stack: Vec::new(),
        locals: entry.locals.clone(),
        edges: Vec::new(),
        sigs: [None; HelperSig::COUNT],
        cc: target.cc,
        bp,
        rotatable,
        counted,
        fast_loop: None,
        bounded,
        reservable,
        copied_bodies,
        checked_copies: Vec::new(),
        reserve: None,
        budget_moved: false,
        budget_written: false,
        budget_stores: Vec::new(),
        budget_load: None,
        budget_restores: Vec::new(),
        repeating: false,
        nn_locals: nonnull_locals(m.is_static, arg_slots(&m.arg_kinds), 0, &insns, &flow, m.handlers),
        nn_after: entry_derefs(&insns, &flow, m.handlers),
        cur: 0,
        inl: None,
        inl_effects: false,
        inl_undo: Vec::new(),
        inl_undo_blocks: Vec::new(),
        inl_scopes: Vec::new(),
        next_body: 1,
        nn_values: Vec::new(),
        nn_block: None,
        inl_tails: Vec::new(),
        abort: false,
        site: 0,
        deny,
        chain: vec![m.id],
        inlined_bytes: 0,
        inlined_calls: 0,
        rotated_loops: 0,
        counted_loops: 0,
        bounded_loops: 0,
        reserved_loops: 0,
        alloc_sites: Vec::new(),
    };
    t.refresh();
    // Arguments from their slots.
    for (i, &k) in entry.locals.iter().enumerate() {
        if k != K::Top {
            let v = t.slot_load(i, k);
            t.def_local(i, k, v);
        }
    }
    let first = t.blocks[0].expect("entry is reachable");
    t.b.ins().jump(first, &[]);
    // The shared exit: leave with STATUS_EXIT.
    t.b.switch_to_block(exit);
    let one = t.b.ins().iconst(I32, 1);
    t.b.ins().return_(&[one]);

    t.body(&flow)?;
    t.b.seal_all_blocks();
    for &(which, inst) in &t.statics_loads {
        if !t.statics_used[which] {
            t.b.func.layout.remove_inst(inst);
        }
    }
    let dfg = &t.b.func.dfg;
    let restored_loads = t
        .budget_restores
        .iter()
        .all(|&(v, load)| load.is_some_and(|l| dfg.resolve_aliases(v) == dfg.resolve_aliases(l)));
    if !t.budget_written && restored_loads {
        // Their values' loads go too, if nothing else reads them
        // (`dead_allocations::sweep`).
        for &inst in &t.budget_stores {
            t.b.func.layout.remove_inst(inst);
        }
    }
    t.b.finalize(target.frontend);
    Ok(Translated {
        inlined_calls: t.inlined_calls,
        rotated_loops: t.rotated_loops,
        counted_loops: t.counted_loops,
        bounded_loops: t.bounded_loops,
        reserved_loops: t.reserved_loops,
        counting_loops: 0,
        promoted_locations: 0,
        alloc_sites: t.alloc_sites,
        dead_allocations: 0,
        unrolled_loops: 0,
    })
}

impl<'a> Tr<'a, '_> {
    /// Translates the current method's reachable blocks (`flow` is its
    /// dataflow).
    fn body(&mut self, flow: &kinds::Flow) -> Result<(), Failure> {
        self.blocks_in(0..self.insns.insns.len(), flow)?;
        if self.inl.is_none() {
            // The counted loops' checked copies (the blocks just made for
            // their bodies) run only where the guard fails: cold, out of
            // the way of the code around the loop, which then packs
            // tighter, and of where `loop_placement` puts the lines.
            for (from, to) in core::mem::take(&mut self.checked_copies) {
                for b in from..to {
                    self.b.set_cold_block(Block::from_u32(b));
                }
            }
            // The counted loops' fast copies: the same instructions once
            // more, with their own blocks in place of the loop's.
            for h in 0..self.counted.len() {
                let Some(copy) = self.counted[h].clone() else { continue };
                let range = h + 3..copy.lp.back_edge + 1;
                let original = self.blocks[range.clone()].to_vec();
                self.blocks[range.clone()].copy_from_slice(&copy.blocks);
                self.fast_loop = Some(h);
                let r = self.blocks_in(range.clone(), flow);
                self.fast_loop = None;
                self.blocks[range].copy_from_slice(&original);
                r?;
            }
        }
        Ok(())
    }

    /// Translates the reachable blocks that start in `range`.
    fn blocks_in(&mut self, range: core::ops::Range<usize>, flow: &kinds::Flow) -> Result<(), Failure> {
        for li in range {
            let (Some(block), Some(state)) = (self.blocks[li], flow.states[li].as_ref()) else { continue };
            if self.inl.is_some() {
                self.enter_leader(li);
            }
            self.b.switch_to_block(block);
            self.locals.clone_from(&state.locals);
            self.stack = state.stack.iter().map(|&k| Entry { k, v: None, nn: false }).collect();
            self.reread();
            let first = self.b.func.dfg.num_blocks() as u32;
            let r = self.block_from(li, flow);
            if self.in_checked_copy(li) {
                // The block, and those made while translating it.
                let end = self.b.func.dfg.num_blocks() as u32;
                self.checked_copies.extend([(block.as_u32(), block.as_u32() + 1), (first, end)]);
            }
            r?;
        }
        Ok(())
    }

    /// Whether instruction `i` is in the body of a counted loop that has
    /// a fast copy, translated for the checked copy.
    fn in_checked_copy(&self, i: usize) -> bool {
        self.inl.is_none() && self.fast_loop.is_none() && self.copied_bodies.iter().any(|b| b.contains(&i))
    }

    /// Translates the block that starts at instruction `li`, up to its end.
    fn block_from(&mut self, li: usize, flow: &kinds::Flow) -> Result<(), Failure> {
        let insns = self.insns.clone();
        let n = insns.insns.len();
        let mut i = li;
        loop {
            let insn = &insns.insns[i];
            self.cur = i;
            if self.inl.is_none() {
                self.reserve = self.reserve_at(i);
                self.budget_moved = false;
            }
            if let (Some(inl), true) = (self.inl, self.inl_tails.get(i) == Some(&true)) {
                // A throw: the slow path runs the callee for real.
                self.inline_bail(inl);
                if self.abort {
                    return Err(Failure::Retry(self.site));
                }
                return Ok(());
            }
            let ended = self.insn(insn, i)?;
            if self.abort {
                return Err(Failure::Retry(self.site));
            }
            if ended {
                return Ok(());
            }
            if i + 1 >= n {
                return Err(Decline::new("falls off the end of the code").into());
            }
            if self.inl.is_none() && self.budget_moved {
                self.keep_reserve(insns.insns[i + 1].pc as u32);
            }
            if flow.leader[i + 1] {
                self.flush();
                let next = self.blocks[i + 1].ok_or_else(|| Decline::new("unreachable fallthrough"))?;
                self.b.ins().jump(next, &[]);
                return Ok(());
            }
            i += 1;
        }
    }

    /// Inlined code may not do this: give up inlining at the outermost
    /// call site (the method is translated again without it).
    fn inline_abort(&mut self) {
        if self.inl.is_some() {
            self.abort = true;
        }
    }

    /// The value of `v` if an `iconst` defines it.
    fn iconst_of(&self, v: Value) -> Option<i64> {
        crate::iconst_value(self.b.func, v)
    }

    /// The low `width` (`I8`, `I16`) bits of the `i32` `v` to `addr +
    /// off`. A constant is stored as one of that width, which x86-64
    /// stores as an immediate: `composite[j] = true` is one instruction,
    /// not two, in Sieve's inner loop.
    fn store_narrow(&mut self, width: Type, v: Value, addr: Value, off: i32) {
        match self.iconst_of(v) {
            Some(c) => {
                let k = self.b.ins().iconst(width, if width == I8 { i64::from(c as i8) } else { i64::from(c as i16) });
                self.b.ins().store(fl(), k, addr, off);
            }
            None if width == I8 => {
                self.b.ins().istore8(fl(), v, addr, off);
            }
            None => {
                self.b.ins().istore16(fl(), v, addr, off);
            }
        }
    }

    /// `aastore`'s dispatch: to `fast` when the store needs no check (a
    /// null value, or an array of exactly `Object[]`, which takes any
    /// reference), else to `check` (a null array goes there too: whatever
    /// handles it reports the exception).
    fn store_needs_no_check(&mut self, arr: Value, v: Value, fast: Block, check: Block) {
        let isnull = self.b.ins().icmp_imm_s(IntCC::Equal, v, 0);
        let Some(lid) = self.env.object_array_layout() else {
            self.b.ins().brif(isnull, fast, &[], check, &[]);
            return;
        };
        let not_null = self.b.create_block();
        self.b.ins().brif(isnull, fast, &[], not_null, &[]);
        self.b.seal_block(not_null);
        self.b.switch_to_block(not_null);
        let arr_nonnull = self.b.ins().icmp_imm_s(IntCC::NotEqual, arr, 0);
        let header = self.b.create_block();
        self.b.ins().brif(arr_nonnull, header, &[], check, &[]);
        self.b.seal_block(header);
        self.b.switch_to_block(header);
        let a = self.obj_addr(arr);
        let l = self.b.ins().load(I32, header_fl(), a, 0);
        let exact = self.b.ins().icmp_imm_s(IntCC::Equal, l, i64::from(lid));
        self.b.ins().brif(exact, fast, &[], check, &[]);
    }

    /// In an inlined body, where the instruction needs a helper (a store
    /// check, a cast to a subclass): leave for the call's slow path, where
    /// the callee runs in a frame of its own and does it. Ends the current
    /// block; the stores made so far are undone on the way (`slow_for`).
    fn inline_bail(&mut self, inl: Inline) {
        let to = self.slow_for(inl.slow);
        self.b.ins().jump(to, &[]);
    }

    /// Where a failed check or guard of an inlined body goes: the
    /// outermost inlined call's slow path `slow`, through a cold block
    /// that first undoes the stores the inlined bodies made so far (newest
    /// first), so the call runs again on the heap it started with. The VM
    /// is single-threaded and an inlined body has no safepoint, so nothing
    /// saw the stores.
    fn slow_for(&mut self, slow: Block) -> Block {
        if self.inl_effects {
            self.abort = true;
        }
        let Some(set) = self.undo_set() else {
            // A store that may or may not have run: nothing can undo it.
            self.abort = true;
            return slow;
        };
        if set.is_empty() {
            return slow;
        }
        let u = self.b.create_block();
        self.b.set_cold_block(u);
        self.inl_undo_blocks.push((u, set));
        u
    }

    /// The stores a failure here must undo (indices into `inl_undo`), or
    /// `None` if one of them may or may not have run (`BodyCfg::store_before`).
    fn undo_set(&self) -> Option<Vec<u32>> {
        let mut set = Vec::new();
        for (k, e) in self.inl_undo.iter().enumerate() {
            let scope = self.inl_scopes.iter().find(|s| s.body == e.body)?;
            if scope.cfg.store_before(e.block, scope.block, e.sure)? {
                set.push(k as u32);
            }
        }
        Some(set)
    }

    /// A store of `width` (`I8`, `I16` or the value's type) at `addr +
    /// off` follows: in an inlined body, load what it overwrites first.
    fn note_store(&mut self, width: Type, addr: Value, off: i32) {
        // Only inlined bodies (each has its scope) store what a slow path
        // may have to undo.
        let Some(scope) = self.inl_scopes.last() else { return };
        let (body, block) = (scope.body, scope.block);
        let old = match width {
            I8 => self.b.ins().uload8(I32, fl(), addr, off),
            I16 => self.b.ins().uload16(I32, fl(), addr, off),
            t => self.b.ins().load(t, fl(), addr, off),
        };
        let load = self.b.func.dfg.value_def(old).unwrap_inst();
        self.inl_undo.push(Undo { width, addr, off, old, load, body, block, sure: true });
    }

    /// An inlined body's translation moves to its bytecode block `li`.
    fn enter_leader(&mut self, li: usize) {
        if let Some(scope) = self.inl_scopes.last_mut() {
            scope.block = scope.cfg.block_of(li);
        }
    }

    /// The inlined body `done` is translated: its stores now count as made
    /// at its call site in the body around it, certainly if they ran on
    /// every path to its returns (once, outside loops).
    fn leave_scope(&mut self, done: &Scope) {
        let Some(outer) = self.inl_scopes.last() else { return };
        let (body, block) = (outer.body, outer.block);
        for e in self.inl_undo.iter_mut().filter(|e| e.body == done.body) {
            let once = e.sure && !done.cfg.in_cycle(e.block) && done.cfg.dominates_exits(e.block);
            (e.body, e.block, e.sure) = (body, block, once);
        }
    }

    /// Fills the undo blocks (`slow_for`) of the outermost inlined call,
    /// and drops the loads of old values no failure can need (stores after
    /// the last check): Cranelift keeps a load it cannot prove harmless.
    fn fill_undo_blocks(&mut self, slow: Block) {
        let mut needed = vec![false; self.inl_undo.len()];
        for (_, set) in &self.inl_undo_blocks {
            for &k in set {
                needed[k as usize] = true;
            }
        }
        for (e, _) in self.inl_undo.iter().zip(&needed).filter(|(_, &n)| !n) {
            self.b.func.layout.remove_inst(e.load);
        }
        for (u, set) in core::mem::take(&mut self.inl_undo_blocks) {
            self.b.switch_to_block(u);
            for e in set.iter().rev().map(|&k| &self.inl_undo[k as usize]) {
                match e.width {
                    I8 => self.b.ins().istore8(fl(), e.old, e.addr, e.off),
                    I16 => self.b.ins().istore16(fl(), e.old, e.addr, e.off),
                    _ => self.b.ins().store(fl(), e.old, e.addr, e.off),
                };
            }
            self.b.ins().jump(slow, &[]);
            self.b.seal_block(u);
        }
        self.inl_undo.clear();
    }

    // ---- variables, stack, slots ----

    fn var(&mut self, slot: usize, k: K) -> Variable {
        let ix = slot * 5 + kind_ix(k);
        if let Some(v) = self.vars[ix] {
            return v;
        }
        let v = self.b.declare_var(ty(k));
        self.vars[ix] = Some(v);
        v
    }

    fn use_local(&mut self, i: usize, k: K) -> Value {
        let v = self.var(i, k);
        self.b.use_var(v)
    }

    fn def_local(&mut self, i: usize, k: K, val: Value) {
        let v = self.var(i, k);
        self.b.def_var(v, val);
        if i < 64 {
            self.clean_refs &= !(1 << i);
        }
    }

    /// Whether reference local `i` is in its slot as its variable holds it.
    fn clean_ref(&self, i: usize) -> bool {
        i < 64
            && self.clean_refs & (1 << i) != 0
            && self.clean_block.is_some()
            && self.clean_block == self.b.current_block()
    }

    /// Reference local `i` is in its slot now.
    fn note_clean_ref(&mut self, i: usize) {
        if i >= 64 {
            return;
        }
        if self.clean_block != self.b.current_block() {
            self.clean_block = self.b.current_block();
            self.clean_refs = 0;
        }
        self.clean_refs |= 1 << i;
    }

    fn push(&mut self, k: K, v: Value) {
        self.stack.push(Entry { k, v: Some(v), nn: false });
        if k.wide() {
            self.stack.push(Entry { k: K::Top, v: None, nn: false });
        }
    }

    /// Pops one value (two slots for long/double).
    fn pop(&mut self) -> Result<(K, Value), Decline> {
        let mut e = self.stack.pop().ok_or_else(|| Decline::new("stack underflow"))?;
        if e.k == K::Top {
            e = self.stack.pop().ok_or_else(|| Decline::new("stack underflow"))?;
        }
        match e.v {
            Some(v) => Ok((e.k, v)),
            None => Err(Decline::new("untyped stack value")),
        }
    }

    fn popv(&mut self) -> Result<Value, Decline> {
        Ok(self.pop()?.1)
    }

    fn flush(&mut self) {
        for j in 0..self.stack.len() {
            let e = self.stack[j];
            if let Some(v) = e.v {
                let var = self.var(self.ml + j, e.k);
                self.b.def_var(var, v);
            }
        }
    }

    fn reread(&mut self) {
        for j in 0..self.stack.len() {
            let k = self.stack[j].k;
            if k != K::Top {
                let var = self.var(self.ml + j, k);
                self.stack[j].v = Some(self.b.use_var(var));
            }
        }
    }

    fn fp(&mut self) -> Value {
        match self.fp {
            FramePointer::Var(var) => self.b.use_var(var),
            FramePointer::Slot(slot) => self.b.ins().stack_load(I64, I64, slot, 0),
        }
    }

    /// Where the budget is kept between entries ([`JitContext::BUDGET`]),
    /// loaded where it is needed (safepoints, calls, exits) rather than
    /// held in a register through loops.
    fn budget_ptr(&mut self) -> Value {
        // Its users may store the budget (callers that keep it in sync
        // say so again).
        self.budget_synced = None;
        self.ctx_load(I64, JitContext::BUDGET)
    }

    fn hb(&mut self) -> Value {
        if !self.budget_in_memory {
            return self.b.use_var(self.hb);
        }
        let block = self.b.current_block();
        if let Some((b, v)) = self.hb_cached {
            if Some(b) == block {
                return v;
            }
        }
        let v = self.ctx_load(I64, JitContext::HEAP_BASE);
        self.hb_cached = block.map(|b| (b, v));
        v
    }

    fn slot_load(&mut self, i: usize, k: K) -> Value {
        let fp = self.fp();
        self.b.ins().load(ty(k), fl(), fp, (i * 8) as i32)
    }

    /// Stores a value as the interpreter reads it: a 32-bit value in the
    /// slot's low half (both targets are little-endian; every reader of a
    /// 32-bit slot, the collector included, truncates the word, so the
    /// high half may keep what it held). A store of the value the slot was
    /// loaded with is then the same store, which `redundant_stores`
    /// removes.
    fn slot_store(&mut self, i: usize, v: Value) {
        let fp = self.fp();
        self.b.ins().store(fl(), v, fp, (i * 8) as i32);
    }

    /// An indirect call out of the code.
    fn call_out(&mut self, which: HelperSig, callee: Value, args: &[Value]) -> cranelift_codegen::ir::Inst {
        // What it runs may tick the budget and move objects.
        self.budget_synced = None;
        self.clean_block = None;
        self.hb_cached = None;
        let sig = self.sig(which);
        self.b.ins().call_indirect(sig, callee, args)
    }

    /// The signature of a call out of the code, imported on first use.
    fn sig(&mut self, which: HelperSig) -> SigRef {
        if let Some(r) = self.sigs[which as usize] {
            return r;
        }
        let r = self.b.import_signature(which.signature(self.cc));
        self.sigs[which as usize] = Some(r);
        r
    }

    fn ctx_load(&mut self, t: Type, off: i32) -> Value {
        self.b.ins().load(t, fl(), self.ctx, off)
    }

    /// Re-reads what helpers may have changed: the slot base, the heap
    /// base, the budget and the statics' bases.
    fn refresh(&mut self) {
        let sb = self.ctx_load(I64, JitContext::STACK_BASE);
        let fp = self.b.ins().iadd(sb, self.bp8);
        match self.fp {
            FramePointer::Var(var) => self.b.def_var(var, fp),
            FramePointer::Slot(slot) => {
                self.b.ins().stack_store(I64, fp, slot, 0);
            }
        }
        if self.budget_in_memory {
            // Cold code: loaded where used (`hb`), once per block.
            self.hb_cached = None;
        } else {
            let hb = self.ctx_load(I64, JitContext::HEAP_BASE);
            self.b.def_var(self.hb, hb);
        }
        if !self.budget_in_memory {
            let bp = self.budget_ptr();
            let bud = self.b.ins().load(I64, fl(), bp, 0);
            self.b.def_var(self.budget, bud);
            self.budget_load = Some(bud);
            self.budget_synced = self.b.current_block();
        }
        if let Some(vars) = self.statics {
            for (i, off) in [JitContext::STATIC_PRIMS, JitContext::STATIC_REFS].into_iter().enumerate() {
                let base = self.ctx_load(I64, off);
                self.statics_loads.push((i, self.b.func.dfg.value_def(base).unwrap_inst()));
                self.b.def_var(vars[i], base);
            }
        }
    }

    fn store_budget(&mut self) {
        if self.budget_in_memory || (self.budget_synced.is_some() && self.budget_synced == self.b.current_block()) {
            return;
        }
        let v = self.budget_value();
        let bp = self.budget_ptr();
        let store = self.b.ins().store(fl(), v, bp, 0);
        self.budget_stores.push(store);
        self.budget_synced = self.b.current_block();
    }

    fn set_budget(&mut self, v: Value) {
        self.budget_written = true;
        self.put_budget(v);
    }

    /// The budget back to `v`, its value before a fast path, for the
    /// slow path that replaces it: a write only if `v` is not what memory
    /// holds, i.e. not the last load (nothing was called out since);
    /// which is known once the blocks are sealed (`v` may be a block
    /// parameter that turns out to be that load), so it is noted here.
    fn restore_budget(&mut self, v: Value) {
        if self.budget_in_memory {
            self.budget_written = true;
        }
        self.budget_restores.push((v, self.budget_load));
        self.put_budget(v);
    }

    fn put_budget(&mut self, v: Value) {
        if self.budget_in_memory {
            let bp = self.budget_ptr();
            self.b.ins().store(fl(), v, bp, 0);
            return;
        }
        self.b.def_var(self.budget, v);
        self.budget_synced = None;
    }

    /// The budget left.
    fn budget_value(&mut self) -> Value {
        if self.budget_in_memory {
            let bp = self.budget_ptr();
            return self.b.ins().load(I64, fl(), bp, 0);
        }
        self.b.use_var(self.budget)
    }

    fn covered(&self, pc: u32) -> bool {
        self.handlers.iter().any(|h| u32::from(h.start) <= pc && pc < u32::from(h.end))
    }

    // ---- safepoints ----

    /// Stores what must be in the frame's slots before a helper runs:
    /// references (the collector scans them), every local when a handler
    /// of this method covers `pc` (the interpreter may continue there),
    /// and the instruction's `nops` operand slots (the helper reads them).
    fn spill(&mut self, pc: u32, nops: usize) {
        let cov = self.covered(pc);
        self.store_frame(cov, nops);
    }

    /// [`Tr::spill`]'s stores: every local with `all_locals`, else the
    /// references; the references on the operand stack and its top `nops`
    /// slots; the budget.
    fn store_frame(&mut self, all_locals: bool, nops: usize) {
        for i in 0..self.ml {
            let k = self.locals[i];
            if k == K::R && self.clean_ref(i) {
                continue;
            }
            if k != K::Top && (k == K::R || all_locals) {
                let v = self.use_local(i, k);
                self.slot_store(i, v);
                if k == K::R {
                    self.note_clean_ref(i);
                }
            }
        }
        let n = self.stack.len();
        for j in 0..n {
            let e = self.stack[j];
            if let Some(v) = e.v {
                if e.k == K::R || j + nops >= n {
                    self.slot_store(self.ml + j, v);
                }
            }
        }
        self.store_budget();
    }

    fn call_exec(&mut self, pc: u32) -> Value {
        self.call_helper(pc, None)
    }

    /// `exec`, or with `call` (`kind_slots`, `arg`) the call helper for an
    /// invocation whose target the VM resolved at compile time.
    fn call_helper(&mut self, pc: u32, call: Option<(u32, u32)>) -> Value {
        // An inlined body has no frame of its own to run a helper on.
        self.inline_abort();
        let Some((kind_slots, arg)) = call else { return self.call_at(self.h.exec, pc) };
        let sp = (self.ml + self.stack.len()) as i64;
        let pcv = self.b.ins().iconst(I32, i64::from(pc));
        let spv = self.b.ins().iconst(I32, sp);
        let callee = self.b.ins().iconst(I64, self.h.call as i64);
        let ks = self.b.ins().iconst(I32, i64::from(kind_slots));
        let a = self.b.ins().iconst(I32, i64::from(arg));
        let call = self.call_out(HelperSig::Call, callee, &[self.ctx, pcv, spv, ks, a]);
        self.b.inst_results(call)[0]
    }

    /// Calls `helper`, an `exec`-like `(ctx, pc, sp) -> status`, for the
    /// instruction at `pc` with the current operand stack; its status.
    fn call_at(&mut self, helper: usize, pc: u32) -> Value {
        let sp = (self.ml + self.stack.len()) as i64;
        let pcv = self.b.ins().iconst(I32, i64::from(pc));
        let spv = self.b.ins().iconst(I32, sp);
        let callee = self.b.ins().iconst(I64, helper as i64);
        let call = self.call_out(HelperSig::Exec, callee, &[self.ctx, pcv, spv]);
        self.b.inst_results(call)[0]
    }

    /// The generic slow path for the instruction at `pc`: the helper runs
    /// it on the frame's slots; its `results` are read back from there.
    fn exec(&mut self, pc: u32, nops: usize, results: &[K]) {
        self.exec_via(pc, nops, results, None)
    }

    /// `exec` through the call helper when `call` is given.
    fn exec_via(&mut self, pc: u32, nops: usize, results: &[K], call: Option<(u32, u32)>) {
        self.spill(pc, nops);
        let status = self.call_helper(pc, call);
        let cont = self.b.create_block();
        // A slow path's continuation is as cold as the slow path: laid out
        // after the hot code, which then falls through to its join.
        if self.b.current_block().is_some_and(|b| self.b.func.layout.is_cold(b)) {
            self.b.set_cold_block(cont);
        }
        self.b.ins().brif(status, self.exit, &[], cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
        self.resume(nops, results);
    }

    /// After a safepoint that ran the instruction with `nops` operands:
    /// re-read the context, the references and the `results`.
    fn resume(&mut self, nops: usize, results: &[K]) {
        self.refresh();
        self.budget_moved = true;
        for i in 0..self.ml {
            if self.locals[i] == K::R {
                let v = self.slot_load(i, K::R);
                self.def_local(i, K::R, v);
                self.note_clean_ref(i);
            }
        }
        let base = self.stack.len() - nops;
        for j in 0..base {
            if self.stack[j].k == K::R {
                let v = self.slot_load(self.ml + j, K::R);
                self.stack[j].v = Some(v);
            }
        }
        self.stack.truncate(base);
        for &k in results {
            let v = self.slot_load(self.ml + self.stack.len(), k);
            self.push(k, v);
        }
    }

    /// Leaves the code for the interpreter, which continues the frame at
    /// `pc` (not run yet) with the current operand stack: every live
    /// local and stack slot is stored as the interpreter keeps it. The
    /// path it ends rejoins nothing, so the code after it carries no
    /// values reloaded after a safepoint (in a loop, those are phis the
    /// register allocator keeps across the back edge, and they make the
    /// loop's invariant guards look variant).
    fn deopt_exit(&mut self, pc: u32) {
        self.store_frame(true, self.stack.len());
        let status = self.call_at(self.h.deopt, pc);
        self.b.ins().return_(&[status]);
    }

    /// A helper call that never continues (`athrow`).
    fn exec_noreturn(&mut self, pc: u32, nops: usize) {
        self.inline_abort();
        self.spill(pc, nops);
        let status = self.call_exec(pc);
        self.b.ins().return_(&[status]);
    }

    /// Leaves through `h_throw` when `fail` is non-zero. `may_catch`:
    /// a handler of this method may catch what is raised (else the helper
    /// clears the frame's slots instead of the code storing them).
    fn check(&mut self, fail: Value, pc: u32, a: FailArg, bv: FailArg, may_catch: bool) {
        let Some(inl) = self.inl else {
            self.cold_exit(fail, |t| t.throw_at(pc, a, bv, may_catch));
            return;
        };
        // In an inlined body: the call's slow path runs the callee in a
        // frame of its own, where the check fails again and the exception
        // gets its stack trace, once the inlined code's stores are undone
        // (`slow_for`).
        let from = self.b.current_block();
        let cont = self.b.create_block();
        let to = self.slow_for(inl.slow);
        self.b.ins().brif(fail, to, &[], cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
        // The continuation is reached only from `from`: what held there holds.
        if from.is_some() && from == self.nn_block {
            self.nn_block = Some(cont);
        }
    }

    /// The failed check's way out: the frame as a handler would see it,
    /// then `h_throw`, whose status the code returns.
    fn throw_at(&mut self, pc: u32, a: FailArg, bv: FailArg, may_catch: bool) {
        let sp = if may_catch && self.covered(pc) {
            for i in 0..self.ml {
                let k = self.locals[i];
                if k != K::Top {
                    let v = self.use_local(i, k);
                    self.slot_store(i, v);
                }
            }
            self.ml as i64
        } else {
            i64::from(pd_jvm::runtime::compiler::SP_NOTHING_STORED)
        };
        self.store_budget();
        let callee = self.b.ins().iconst(I64, self.h.throw as i64);
        let pcv = self.b.ins().iconst(I32, i64::from(pc));
        let spv = self.b.ins().iconst(I32, sp);
        let (a, bv) = (self.fail_arg(a), self.fail_arg(bv));
        let call = self.call_out(HelperSig::Throw, callee, &[self.ctx, pcv, spv, a, bv]);
        let status = self.b.inst_results(call)[0];
        self.b.ins().return_(&[status]);
    }

    fn zero64(&mut self) -> Value {
        self.b.ins().iconst(I64, 0)
    }

    fn fail_arg(&mut self, a: FailArg) -> Value {
        match a {
            FailArg::Val(v) => v,
            FailArg::Const(k) => self.b.ins().iconst(I64, k),
            FailArg::Zero(v) if self.b.func.dfg.value_type(v) == I64 => v,
            FailArg::Zero(v) => self.b.ins().uextend(I64, v),
        }
    }

    // ---- control flow ----

    fn target(&mut self, pc: u32, target: i64) -> Result<Block, Decline> {
        let ti = self.insns.position(target as usize).ok_or_else(|| Decline::new("bad target"))?;
        let blk = self.blocks[ti].ok_or_else(|| Decline::new("unreachable target"))?;
        if target <= i64::from(pc) {
            // A back edge counts the budget (`fill_edges`), in inlined
            // bodies too: exhausted, it leaves for the call's slow path.
            let e = self.b.create_block();
            self.edges.push((e, blk, pc, ti));
            Ok(e)
        } else {
            Ok(blk)
        }
    }

    /// Fills the back-edge blocks of the branch just emitted: count the
    /// budget down, leave when it is exhausted, then go to the loop header
    /// or, for a header that only tests (`for`/`while` as javac writes
    /// them), repeat its test here: the loop then ends in one conditional
    /// branch back to its body instead of a jump to a test that branches.
    fn fill_edges(&mut self) -> Result<(), Decline> {
        let edges = core::mem::take(&mut self.edges);
        for (e, target, pc, ti) in edges {
            self.b.seal_block(e);
            self.b.switch_to_block(e);
            // The back edge of a counted loop's fast copy does not check:
            // its guard made sure the budget lasts (`counted_guard`); nor
            // does a reserved loop's (`reserve_dist`).
            let reserved = self.inl.is_none() && self.reserve.is_some_and(|r| r.lp.header == ti);
            let fast = self.inl.is_none() && (self.fast_loop == Some(ti) || reserved);
            if !fast {
                let bud = self.budget_value();
                match self.reserve_dist() {
                    None => {
                        let z = self.b.ins().icmp_imm_s(IntCC::Equal, bud, 0);
                        self.check(z, pc, FailArg::Zero(bud), FailArg::Zero(bud), false);
                    }
                    Some(dist) => self.reserved_tick(bud, dist, pc, ti),
                }
            }
            let bud = self.budget_value();
            let nb = self.b.ins().iadd_imm_s(bud, -1);
            self.set_budget(nb);
            if fast {
                self.repeat_test(ti)?;
                if reserved {
                    // Rotated as any such loop; the counted copies' edges
                    // are counted apart.
                    self.rotated_loops += 1;
                    self.reserved_loops += 1;
                } else {
                    self.counted_loops += 1;
                }
            } else if self.inl.is_none() && self.rotatable.get(ti) == Some(&true) {
                self.repeat_test(ti)?;
                self.rotated_loops += 1;
            } else {
                self.b.ins().jump(target, &[]);
            }
        }
        Ok(())
    }

    /// Translates the test at loop header `h` ([`rotatable_headers`]:
    /// loads and constants, then a forward conditional branch) once more,
    /// in the current block: it ends in a branch to the loop's exit and
    /// body.
    fn repeat_test(&mut self, h: usize) -> Result<(), Decline> {
        let insns = self.insns.clone();
        let cur = self.cur;
        self.stack.clear();
        self.repeating = true;
        let mut i = h;
        let r = loop {
            self.cur = i;
            match self.insn(&insns.insns[i], i) {
                Ok(true) => break Ok(()),
                Ok(false) => i += 1,
                Err(e) => break Err(e),
            }
        };
        self.repeating = false;
        self.cur = cur;
        r
    }

    fn cond_branch(&mut self, c: Value, pc: u32, target: i64, i: usize) -> Result<bool, Decline> {
        self.flush();
        let t = self.target(pc, target)?;
        let f = self.blocks.get(i + 1).copied().flatten().ok_or_else(|| Decline::new("no fallthrough block"))?;
        let counted = match (self.inl, self.repeating, i.checked_sub(2)) {
            (None, false, Some(h)) => self.counted.get(h).cloned().flatten(),
            _ => None,
        };
        if let Some(copy) = counted {
            // A counted loop's header: into the fast copy if it cannot
            // run out of budget (`counted_guard`).
            let guard = self.b.create_block();
            self.b.ins().brif(c, t, &[], guard, &[]);
            self.fill_edges()?;
            self.b.seal_block(guard);
            self.b.switch_to_block(guard);
            let ok = self.counted_guard(copy.lp);
            let fast = copy.body;
            self.b.ins().brif(ok, fast, &[], f, &[]);
            return Ok(true);
        }
        let bounded = match (self.inl, self.repeating, i.checked_sub(2)) {
            (None, false, Some(h)) => self.bounded.iter().find(|lp| lp.header == h),
            _ => None,
        };
        if let Some(&lp) = bounded {
            let entry = self.b.create_block();
            self.b.ins().brif(c, t, &[], entry, &[]);
            self.fill_edges()?;
            self.b.seal_block(entry);
            self.b.switch_to_block(entry);
            self.bounded_entry(lp, f, i + 1);
            return Ok(true);
        }
        self.b.ins().brif(c, t, &[], f, &[]);
        self.fill_edges()?;
        Ok(true)
    }

    /// The entry into bounded loop `lp`'s body `body` (instruction
    /// `first`): on when every `a[iv]` the loop can make is in bounds
    /// (`range_guard`), else out to the interpreter at the
    /// body, which then runs the loop with its checks. (A loop that would
    /// have left before an access out of bounds deoptimizes needlessly;
    /// after `JitConfig::deopt_limit` of those the method is compiled
    /// again without deoptimizing, and so without the guard.)
    fn bounded_entry(&mut self, lp: CountedLoop, body: Block, first: usize) {
        let r = self.range_guard(lp);
        // A reservable loop also needs a budget for every back edge it can
        // take (`reserve_dist`).
        let ok = if self.reservable.contains(&lp) { self.budget_room(lp, &r, None) } else { r.ok };
        let leave = self.b.create_block();
        self.b.ins().brif(ok, body, &[], leave, &[]);
        self.b.seal_block(leave);
        self.b.switch_to_block(leave);
        self.b.set_cold_block(leave);
        let pc = self.insns.insns[first].pc as u32;
        self.deopt_exit(pc);
        self.bounded_loops += 1;
    }

    /// Whether a counted loop entered now, with its induction variable `i`,
    /// step `s` and the budget `B` left, takes fewer back edges than `B`
    /// and never overflows `i`: then its fast copy needs no budget check.
    /// Going up to the loop's end `L` (`n` for `i < n`, `n + 1` for
    /// `i <= n`) by `s >= 1` takes at most `L - i` back edges; the last
    /// step starts below `L`, so `L + s <= 2^31` keeps it in range.
    /// (Going down, the mirror image.)
    ///
    /// In a reserved loop's body the copy must also leave the budget that
    /// loop's remaining back edges need (`reserve_dist`).
    fn counted_guard(&mut self, cl: CountedLoop) -> Value {
        let r = self.range_guard(cl);
        let reserve = self.reserve_dist();
        self.budget_room(cl, &r, reserve)
    }

    /// `r.ok`, and a budget of at least the `L - i` back edges loop `cl`
    /// can take from its entry (plus `extra`).
    fn budget_room(&mut self, cl: CountedLoop, r: &RangeGuard, extra: Option<Value>) -> Value {
        let mut trips = if cl.cont.up() { self.b.ins().isub(r.end, r.j0) } else { self.b.ins().isub(r.j0, r.end) };
        if let Some(x) = extra {
            // Both below 2^33: no overflow.
            trips = self.b.ins().iadd(trips, x);
        }
        // Signed: a budget is at most i64::MAX (`VmConfig::budget`).
        let bud = self.budget_value();
        let room = self.b.ins().icmp(IntCC::SignedGreaterThanOrEqual, bud, trips);
        self.b.ins().band(r.ok, room)
    }

    // ---- reserved loops ----
    //
    // A bounded loop without another bounded loop inside does not check
    // the budget on its own back edge. Its entry guard also requires a
    // budget of at least `dist(i)`, the distance of its induction variable
    // `i` from the loop's end (`L - i` going up), and its body keeps that
    // invariant: budget >= dist(i). Every back edge the loop can still take
    // then finds budget left, as the interpreter's check would, and
    // leaves the invariant true for the next `i` (the step moves `i` by at
    // least 1; the back edge spends 1). What else spends budget in the
    // body checks against `dist(i)` instead of zero: an inner loop's back
    // edge, the guard of an inner counted loop's fast copy, and after a
    // call (or anything that left the code) a test that deoptimizes when
    // the budget fell below it. The budget itself is counted as always,
    // so an exhausted budget is reported where the interpreter would, and
    // a deoptimization continues with the exact budget.

    /// The reservable loop whose body holds instruction `i` of the method.
    fn reserve_at(&mut self, i: usize) -> Option<Reserve> {
        let lp = *self.reservable.iter().find(|lp| lp.header + 2 < i && i <= lp.back_edge)?;
        let iv = self.var(usize::from(lp.iv), K::I);
        let bound = match lp.bound {
            Invariant::Local(n) => Some(self.var(usize::from(n), K::I)),
            Invariant::Const(_) => None,
        };
        Some(Reserve { lp, iv, bound })
    }

    /// In a reserved loop's body: the budget its remaining back edges need
    /// (at least 1, as `i` has passed the loop's test).
    fn reserve_dist(&mut self) -> Option<Value> {
        let r = self.reserve?;
        let iv = self.b.use_var(r.iv);
        let j = self.b.ins().sextend(I64, iv);
        let n = match (r.bound, r.lp.bound) {
            (Some(var), _) => {
                let v = self.b.use_var(var);
                self.b.ins().sextend(I64, v)
            }
            (None, Invariant::Const(c)) => self.b.ins().iconst(I64, i64::from(c)),
            (None, Invariant::Local(_)) => unreachable!("a local bound has its variable"),
        };
        let end = self.loop_end(r.lp.cont, n);
        Some(if r.lp.cont.up() { self.b.ins().isub(end, j) } else { self.b.ins().isub(j, end) })
    }

    /// A back edge's tick in a reserved loop's body (`bud`: the budget
    /// left, `dist`: what the reserve needs): on when the budget stays at
    /// or above `dist` after it. Else exhausted (at zero, reported as
    /// always) or, in the method's own code, the tick and then the
    /// interpreter at the edge's target (instruction `ti`); in an inlined
    /// body, the call's slow path (which deoptimizes: bounded loops are
    /// only compiled where the code may).
    fn reserved_tick(&mut self, bud: Value, dist: Value, pc: u32, ti: usize) {
        let short = self.b.ins().icmp(IntCC::SignedLessThanOrEqual, bud, dist);
        if self.inl.is_some() {
            self.check(short, pc, FailArg::Zero(bud), FailArg::Zero(bud), false);
            return;
        }
        self.cold_exit(short, |t| {
            let z = t.b.ins().icmp_imm_s(IntCC::Equal, bud, 0);
            t.check(z, pc, FailArg::Zero(bud), FailArg::Zero(bud), false);
            let nb = t.b.ins().iadd_imm_s(bud, -1);
            t.set_budget(nb);
            t.deopt_exit(t.insns.insns[ti].pc as u32);
        });
    }

    /// After an instruction that may have spent budget in a reserved
    /// loop's body: the interpreter continues at `next` if less is left
    /// than the reserve needs.
    fn keep_reserve(&mut self, next: u32) {
        let Some(dist) = self.reserve_dist() else { return };
        let bud = self.budget_value();
        let short = self.b.ins().icmp(IntCC::SignedLessThan, bud, dist);
        self.cold_exit(short, |t| t.deopt_exit(next));
    }

    /// Where `cond` holds, the cold path `leave` builds (which must end
    /// its block); translation goes on where it does not.
    fn cold_exit(&mut self, cond: Value, leave: impl FnOnce(&mut Self)) {
        let from = self.b.current_block();
        let out = self.b.create_block();
        let cont = self.b.create_block();
        self.b.ins().brif(cond, out, &[], cont, &[]);
        self.b.seal_block(out);
        self.b.seal_block(cont);
        self.b.switch_to_block(out);
        self.b.set_cold_block(out);
        leave(self);
        self.b.switch_to_block(cont);
        // The non-null facts of the block go on in its continuation.
        if from.is_some() && from == self.nn_block {
            self.nn_block = Some(cont);
        }
    }

    /// Where a loop going on under `cont` against bound `n` ends: `i` goes
    /// round while below it (up) or above it (down).
    fn loop_end(&mut self, cont: Cont, n: Value) -> Value {
        match cont {
            Cont::Le => self.b.ins().iadd_imm_s(n, 1),
            Cont::Ge => self.b.ins().iadd_imm_s(n, -1),
            Cont::Lt | Cont::Gt => n,
        }
    }

    /// The budget-free part of `counted_guard`: whether loop `cl`, entered
    /// now, never overflows its induction variable and never indexes its
    /// arrays out of bounds.
    fn range_guard(&mut self, cl: CountedLoop) -> RangeGuard {
        let iv = self.use_local(usize::from(cl.iv), K::I);
        let j0 = self.b.ins().sextend(I64, iv);
        let n = self.invariant64(cl.bound);
        let s = self.invariant64(cl.step);
        let up = cl.cont.up();
        let end = self.loop_end(cl.cont, n);
        let last = self.b.ins().iadd(end, s);
        let mut ok = if up {
            self.b.ins().icmp_imm_s(IntCC::SignedLessThanOrEqual, last, i64::from(i32::MAX) + 1)
        } else {
            self.b.ins().icmp_imm_s(IntCC::SignedGreaterThanOrEqual, last, i64::from(i32::MIN) - 1)
        };
        if let Invariant::Local(_) = cl.step {
            let cc = if up { IntCC::SignedGreaterThan } else { IntCC::SignedLessThan };
            let right_way = self.b.ins().icmp_imm_s(cc, s, 0);
            ok = self.b.ins().band(ok, right_way);
        }
        // The arrays the copy indexes by `i` without checks: not null, and
        // every `i` the loop can see (from `j0` up to below `end`, or down
        // to above it) within their bounds. (A null's "length" is read
        // from the heap's first bytes, never an object, and not used.)
        for a in cl.arrays.into_iter().flatten() {
            let arr = self.use_local(usize::from(a), K::R);
            let addr = self.obj_addr(arr);
            let len = self.b.ins().load(I32, header_fl(), addr, layout::ARRAY_LENGTH);
            let len = self.b.ins().sextend(I64, len);
            let (low, high) = if up {
                (
                    self.b.ins().icmp_imm_s(IntCC::SignedGreaterThanOrEqual, j0, 0),
                    self.b.ins().icmp(IntCC::SignedLessThanOrEqual, end, len),
                )
            } else {
                (
                    self.b.ins().icmp_imm_s(IntCC::SignedGreaterThanOrEqual, end, -1),
                    self.b.ins().icmp(IntCC::SignedLessThan, j0, len),
                )
            };
            let nonnull = self.b.ins().icmp_imm_s(IntCC::NotEqual, arr, 0);
            let inside = self.b.ins().band(low, high);
            let inside = self.b.ins().band(inside, nonnull);
            ok = self.b.ins().band(ok, inside);
        }
        // The arrays it indexes by `x & C` (counted loops): not null, and
        // `C` below their length, so every such index is in bounds.
        for (a, c) in cl.masked.into_iter().flatten() {
            let arr = self.use_local(usize::from(a), K::R);
            let addr = self.obj_addr(arr);
            let len = self.b.ins().load(I32, header_fl(), addr, layout::ARRAY_LENGTH);
            let fits = self.b.ins().icmp_imm_s(IntCC::SignedGreaterThan, len, i64::from(c));
            let nonnull = self.b.ins().icmp_imm_s(IntCC::NotEqual, arr, 0);
            let inside = self.b.ins().band(fits, nonnull);
            ok = self.b.ins().band(ok, inside);
        }
        RangeGuard { ok, j0, end }
    }

    fn invariant64(&mut self, x: Invariant) -> Value {
        match x {
            Invariant::Const(c) => self.b.ins().iconst(I64, i64::from(c)),
            Invariant::Local(n) => {
                let v = self.use_local(usize::from(n), K::I);
                self.b.ins().sextend(I64, v)
            }
        }
    }

    // ---- inlining ----

    /// The method the invoke at `pc` (pool entry `cp`) may be inlined
    /// with: known at compile time, small, and made only of what inlined
    /// code can do (no helper calls, no handlers).
    fn inline_candidate(&self, o: u8, pc: u32, cp: u16) -> Option<InlineTarget> {
        if o == op::INVOKEDYNAMIC || (self.inl.is_none() && self.deny.contains(&pc)) {
            return None;
        }
        let t = self.env.inline_target(o, self.cls, cp)?;
        let mut chain = self.chain.clone();
        let mut bytes = self.inlined_bytes;
        self.inlinable(t.method, &mut chain, &mut bytes).then_some(t)
    }

    /// Whether `m` can be inlined below `chain` within the byte budget
    /// (`bytes` so far), its own calls included.
    fn inlinable(&self, m: MethodId, chain: &mut Vec<MethodId>, bytes: &mut usize) -> bool {
        if chain.len() > MAX_INLINE_DEPTH || chain.contains(&m) {
            return false;
        }
        let Some(md) = self.env.method(m) else { return false };
        if md.is_synchronized
            || !md.handlers.is_empty()
            || usize::from(md.max_locals) + usize::from(md.max_stack) > MAX_SLOTS
        {
            return false;
        }
        let Ok(insns) = Instructions::decode(md.code, md.major) else { return false };
        let tails = throw_tails(&insns.insns);
        let inline_len = inline_bytes(&insns.insns, &tails);
        *bytes += inline_len;
        if inline_len > MAX_INLINE_CALLEE || *bytes > MAX_INLINE_TOTAL {
            return false;
        }
        chain.push(m);
        let ok = insns.insns.iter().zip(&tails).all(|(insn, &tail)| {
            if tail {
                // Never translated inline (`throw_tails`).
                return true;
            }
            let cp = match insn.operands {
                Operands::Cp(x) => x,
                Operands::InvokeInterface { index, .. } => index,
                _ => 0,
            };
            match insn.opcode {
                op::LDC | op::LDC_W | op::LDC2_W => matches!(
                    self.env.constant(md.class, cp),
                    Some(
                        Constant::Int(_)
                            | Constant::Float(_)
                            | Constant::Long(_)
                            | Constant::Double(_)
                            | Constant::InternedString(_)
                    )
                ),
                op::GETSTATIC | op::PUTSTATIC | op::GETFIELD | op::PUTFIELD => {
                    let is_static = matches!(insn.opcode, op::GETSTATIC | op::PUTSTATIC);
                    let put = matches!(insn.opcode, op::PUTSTATIC | op::PUTFIELD);
                    self.env.field(md.class, cp, is_static, put).is_some_and(|f| f.fast_offset.is_some())
                }
                op::INVOKEVIRTUAL | op::INVOKESPECIAL | op::INVOKESTATIC | op::INVOKEINTERFACE => {
                    self.env
                        .call(md.class, cp)
                        .is_some_and(|sig| self.pure_native(insn.opcode, md.class, cp, &sig).is_some())
                        || self
                            .env
                            .inline_target(insn.opcode, md.class, cp)
                            .is_some_and(|t| self.inlinable(t.method, chain, bytes))
                        // Left for the slow path (`cold_call`).
                        || self.env.cold_call(insn.opcode, md.class, cp)
                }
                // Decided inline, or else the slow path (inline_bail).
                op::CHECKCAST | op::INSTANCEOF => self.env.class(md.class, cp).is_some_and(|c| c.layout.is_some()),
                op::AASTORE => true,
                // Each of these takes a helper.
                op::NEW
                | op::NEWARRAY
                | op::ANEWARRAY
                | op::MULTIANEWARRAY
                | op::ATHROW
                | op::MONITORENTER
                | op::MONITOREXIT
                | op::INVOKEDYNAMIC
                | op::TABLESWITCH
                | op::LOOKUPSWITCH
                | op::JSR
                | op::JSR_W
                | op::RET => false,
                _ => true,
            }
        });
        chain.pop();
        ok
    }

    /// Inlines the call at `pc` to `t` (whose arguments are the top `nops`
    /// slots): guards (budget tick, receiver not null, receiver class),
    /// then the callee's body on the caller's values; every guard or
    /// check that fails goes to the outermost inlined call's slow path,
    /// the call through the helper (`call`) from the state before it.
    fn inline_call(
        &mut self,
        pc: u32,
        t: InlineTarget,
        nops: usize,
        ret: Option<K>,
        call: Option<(u32, u32)>,
    ) -> Result<(), Decline> {
        let outer = self.inl;
        if outer.is_none() {
            self.site = pc;
            self.inl_effects = false;
            self.inl_undo.clear();
            self.inl_undo_blocks.clear();
        }
        let prepared = (|| {
            let md = self.env.method(t.method).ok_or_else(|| Decline::new("inline: no bytecode"))?;
            let insns = Rc::new(
                Instructions::decode(md.code, md.major).map_err(|e| Decline::new(alloc::format!("decode: {e}")))?,
            );
            let entry = kinds::entry_state(usize::from(md.max_locals), &md.arg_kinds)?;
            let index_of = |pc: usize| insns.position(pc);
            let flow = kinds::analyze(self.env, md.class, &insns.insns, &index_of, entry.clone())?;
            let cfg = BodyCfg::new(&insns.insns, &flow.leader, |i| flow.states[i].is_some(), index_of)
                .ok_or_else(|| Decline::new("inline: too many blocks"))?;
            Ok::<_, Decline>((md, insns, entry, flow, Rc::new(cfg)))
        })();
        // Nothing is emitted yet: a callee the translator cannot read
        // just stays a call.
        let Ok((md, insns, entry, flow, cfg)) = prepared else {
            self.abort = true;
            return Ok(());
        };
        let cml = usize::from(md.max_locals);
        // Arguments the caller knows are not null (on the stack, or
        // checked on the straight path here) stay so in the callee while
        // it does not store to them.
        let args = &self.stack[self.stack.len() - nops..];
        let nn_args = args
            .iter()
            .enumerate()
            .filter(|(j, e)| *j < 64 && e.k == K::R && (e.nn || e.v.is_some_and(|v| self.checked_nonnull(v))))
            .fold(0u64, |bits, (j, _)| bits | 1 << j);
        self.flush();
        let saved = self.stack.clone();
        let base = saved.len() - nops;
        let budget0 = self.budget_value();
        let slow = match outer {
            Some(o) => o.slow,
            None => {
                let b = self.b.create_block();
                self.b.set_cold_block(b);
                b
            }
        };
        let join = self.b.create_block();
        let result = ret.map(|k| self.var(self.ml + base, k));
        // No budget tick for the call: the inlined body makes no calls,
        // its back edges count (`fill_edges`), and the back edges and real
        // calls around it bound the run.
        if !md.is_static {
            let recv = saved[base];
            let rv = recv.v.ok_or_else(|| Decline::new("inline: untyped receiver"))?;
            let to = self.slow_for(slow);
            self.guard_receiver(rv, recv.nn, t.guard_layout, to);
        }

        // The callee's scope.
        let vars = vec![None; (cml + usize::from(md.max_stack) + 2) * 5];
        let mut blocks = vec![None; insns.insns.len()];
        for (i, s) in flow.states.iter().enumerate() {
            if s.is_some() {
                blocks[i] = Some(self.b.create_block());
            }
        }
        let first = blocks[0].ok_or_else(|| Decline::new("inline: no entry block"))?;
        let caller = (
            core::mem::replace(&mut self.cls, md.class),
            core::mem::replace(&mut self.handlers, md.handlers),
            core::mem::replace(&mut self.insns, insns.clone()),
            core::mem::replace(&mut self.ml, cml),
            core::mem::replace(&mut self.vars, vars),
            core::mem::replace(&mut self.blocks, blocks),
            core::mem::take(&mut self.stack),
            core::mem::replace(&mut self.locals, entry.locals.clone()),
            core::mem::replace(
                &mut self.nn_locals,
                nonnull_locals(md.is_static, arg_slots(&md.arg_kinds), nn_args, &insns, &flow, md.handlers),
            ),
        );
        self.inl = Some(Inline { slow, join, result });
        let outer_tails = core::mem::replace(&mut self.inl_tails, throw_tails(&insns.insns));
        let outer_nn_after = core::mem::replace(&mut self.nn_after, entry_derefs(&insns, &flow, md.handlers));
        let outer_cur = self.cur;
        self.chain.push(t.method);
        self.inlined_bytes += inline_bytes(&insns.insns, &self.inl_tails);
        for (j, e) in saved[base..].iter().enumerate() {
            if e.k == K::Top {
                continue;
            }
            match e.v {
                Some(v) if entry.locals.get(j) == Some(&e.k) => self.def_local(j, e.k, v),
                _ => self.abort = true,
            }
        }
        self.b.ins().jump(first, &[]);
        self.inl_scopes.push(Scope { body: self.next_body, cfg, block: 0 });
        self.next_body += 1;
        let r = if self.abort { Ok(()) } else { self.body(&flow) };
        if let Some(done) = self.inl_scopes.pop() {
            self.leave_scope(&done);
        }
        self.chain.pop();
        self.inl = outer;
        self.inl_tails = outer_tails;
        self.nn_after = outer_nn_after;
        self.cur = outer_cur;
        (
            self.cls,
            self.handlers,
            self.insns,
            self.ml,
            self.vars,
            self.blocks,
            self.stack,
            self.locals,
            self.nn_locals,
        ) = caller;
        if r.is_err() || self.abort {
            // Anything the inlined body cannot do: translate again
            // without inlining at the outermost site.
            self.abort = true;
            return Ok(());
        }
        self.inlined_calls += 1;
        if outer.is_none() {
            self.fill_undo_blocks(slow);
            self.b.seal_block(slow);
            self.b.switch_to_block(slow);
            self.stack = saved.clone();
            self.restore_budget(budget0);
            if self.deopt {
                self.deopt_exit(pc);
            } else {
                let res: Vec<K> = ret.into_iter().collect();
                self.exec_via(pc, nops, &res, call);
                self.flush();
                self.b.ins().jump(join, &[]);
            }
        }
        self.b.seal_block(join);
        self.b.switch_to_block(join);
        self.stack = saved[..base].iter().map(|e| Entry { v: None, ..*e }).collect();
        if let Some(k) = ret {
            self.stack.push(Entry { k, v: None, nn: false });
            if k.wide() {
                self.stack.push(Entry { k: K::Top, v: None, nn: false });
            }
        }
        self.reread();
        Ok(())
    }

    /// The frameless form of the native the invoke calls, if its
    /// signature is one this translator handles.
    fn pure_native(&self, o: u8, cls: ClassId, cp: u16, sig: &CallSig) -> Option<PureNative> {
        let pn = self.env.pure_native(o, cls, cp)?;
        let ok = match pn {
            PureNative::RawBits => matches!(
                (sig.args.as_slice(), sig.ret),
                ([SlotKind::Float], Some(SlotKind::Int))
                    | ([SlotKind::Int], Some(SlotKind::Float))
                    | ([SlotKind::Double], Some(SlotKind::Long))
                    | ([SlotKind::Long], Some(SlotKind::Double))
            ),
            PureNative::Sqrt | PureNative::D1(_) => {
                sig.args.as_slice() == [SlotKind::Double] && sig.ret == Some(SlotKind::Double)
            }
            PureNative::D2(_) => {
                sig.args.as_slice() == [SlotKind::Double, SlotKind::Double] && sig.ret == Some(SlotKind::Double)
            }
            // The VM binds raw and leaf natives only with their own
            // descriptor, and the clock to `()J`.
            PureNative::Raw(_) | PureNative::Leaf(_) | PureNative::Clock(_) => true,
        };
        ok.then_some(pn)
    }

    /// A raw memory native ([`pd_jvm::runtime::raw`]) as one access, with
    /// neither a budget tick (it neither loops nor calls) nor a slow path
    /// (its trusted caller checked the address).
    fn raw_access(&mut self, access: RawAccess) -> Result<(), Decline> {
        // Not `aligned`: packet fields sit at any offset.
        let mf = MemFlagsData::new().with_notrap();
        match access {
            RawAccess::Load { width, signed, big_endian } => {
                let addr = self.popv()?;
                let (t, k) = match width {
                    1 => (I8, K::I),
                    2 => (I16, K::I),
                    4 => (I32, K::I),
                    _ => (I64, K::L),
                };
                let mut v = self.b.ins().load(t, mf, addr, 0);
                if big_endian && width > 1 {
                    v = self.b.ins().bswap(v);
                }
                if width < 4 {
                    v = if signed { self.b.ins().sextend(I32, v) } else { self.b.ins().uextend(I32, v) };
                }
                self.push(k, v);
            }
            RawAccess::Store { width, big_endian } => {
                let mut v = self.popv()?;
                let addr = self.popv()?;
                if width < 4 {
                    v = self.b.ins().ireduce(if width == 1 { I8 } else { I16 }, v);
                }
                if big_endian && width > 1 {
                    v = self.b.ins().bswap(v);
                }
                self.b.ins().store(mf, v, addr, 0);
            }
        }
        Ok(())
    }

    /// A call of a pure native without a frame: a single instruction, or
    /// the budget tick (at zero: the generic call, which reports it) and
    /// a direct call.
    fn pure_call(&mut self, pc: u32, pn: PureNative, nops: usize, ret: K) -> Result<(), Decline> {
        // One instruction, as an inlined callee: no tick (inlined calls do
        // not tick the budget either).
        let one = match pn {
            PureNative::Raw(access) => return self.raw_access(access),
            PureNative::RawBits => {
                let v = self.popv()?;
                Some(self.b.ins().bitcast(ty(ret), MemFlagsData::new(), v))
            }
            PureNative::Sqrt => {
                let v = self.popv()?;
                Some(self.b.ins().sqrt(v))
            }
            PureNative::Clock(f) => {
                // A call, but as cheap as one instruction's bookkeeping: the
                // clock reads no VM state and may run again harmlessly.
                let callee = self.b.ins().iconst(I64, f as i64);
                let call = self.call_out(HelperSig::Clock, callee, &[]);
                Some(self.b.inst_results(call)[0])
            }
            PureNative::D1(_) | PureNative::D2(_) | PureNative::Leaf(_) => None,
        };
        if let Some(r) = one {
            self.push(ret, r);
            return Ok(());
        }
        self.flush();
        let saved = self.stack.clone();
        let budget0 = self.budget_value();
        let slow = match self.inl {
            Some(inl) => self.slow_for(inl.slow),
            None => {
                let b = self.b.create_block();
                self.b.set_cold_block(b);
                b
            }
        };
        let exhausted = self.b.ins().icmp_imm_s(IntCC::Equal, budget0, 0);
        self.guard(exhausted, slow);
        let nb = self.b.ins().iadd_imm_s(budget0, -1);
        self.set_budget(nb);
        self.budget_moved = true;
        let (which, f, arity) = match pn {
            PureNative::D1(f) => (HelperSig::D1, f, 1),
            PureNative::D2(f) => (HelperSig::Drem, f, 2),
            PureNative::Leaf(f) => {
                // It has effects: an inlined callee must not run again.
                self.inl_effects |= self.inl.is_some();
                (HelperSig::Leaf, f, 4)
            }
            _ => return Err(Decline::new("pure native: taken above")),
        };
        let mut args = Vec::with_capacity(arity);
        for _ in 0..arity {
            args.push(self.popv()?);
        }
        args.reverse();
        let callee = self.b.ins().iconst(I64, f as i64);
        let call = self.call_out(which, callee, &args);
        let r = self.b.inst_results(call)[0];
        self.push(ret, r);
        if self.inl.is_none() {
            self.join_with_slow(saved, slow, pc, nops, &[ret]);
        }
        Ok(())
    }

    /// A call of `d` without a helper (docs/jit.md, "Direct calls"): the
    /// code checks what `push_java_frame` and the call helper would (the
    /// callee has code by now, the budget, the receiver and its class, the
    /// native stack, the depth, room for the frame record and the slots),
    /// pushes the callee's frame record, calls its entry and pops the
    /// record; if any check fails it takes the call helper. The caller's
    /// slots are as for any safepoint.
    fn direct_call(
        &mut self,
        pc: u32,
        d: DirectCall,
        has_receiver: bool,
        nops: usize,
        ret: Option<K>,
        call: Option<(u32, u32)>,
    ) {
        self.spill(pc, nops);
        self.flush();
        let saved = self.stack.clone();
        let base = saved.len() - nops;
        let results: Vec<K> = ret.into_iter().collect();
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        let join = self.b.create_block();
        let budget0 = self.budget_value();

        let entries = self.ctx_load(I64, JitContext::ENTRIES);
        let entry = self.b.ins().load(I64, fl(), entries, (d.method.0 as i32) * 8);
        let none = self.b.ins().icmp_imm_s(IntCC::Equal, entry, 0);
        self.guard(none, slow);
        let exhausted = self.b.ins().icmp_imm_s(IntCC::Equal, budget0, 0);
        self.guard(exhausted, slow);
        if has_receiver {
            let recv = saved[base];
            if let Some(rv) = recv.v {
                self.guard_receiver(rv, recv.nn, d.guard_layout, slow);
            }
        }
        let sp = self.b.ins().get_stack_pointer(I64);
        let limit = self.ctx_load(I64, JitContext::NATIVE_LIMIT);
        let deep = self.b.ins().icmp(IntCC::UnsignedLessThan, sp, limit);
        self.guard(deep, slow);
        let lenp = self.ctx_load(I64, JitContext::FRAMES_LEN);
        let len = self.b.ins().load(I64, fl(), lenp, 0);
        let limit = self.ctx_load(I64, JitContext::FRAMES_LIMIT);
        let full = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, len, limit);
        self.guard(full, slow);
        let abs_base = self.b.ins().iadd_imm_s(self.bp, (self.ml + base) as i64);
        let need = usize::from(d.max_locals) + usize::from(d.max_stack) + 1;
        let top = self.b.ins().iadd_imm_s(abs_base, need as i64);
        let slots = self.ctx_load(I64, JitContext::STACK_LEN);
        let short = self.b.ins().icmp(IntCC::UnsignedGreaterThan, top, slots);
        self.guard(short, slow);

        // The caller's record: at the call, its operand stack ending below
        // the arguments (they are the callee's locals). Then the callee's.
        let frames = self.ctx_load(I64, JitContext::FRAMES);
        let size = i64::from(frame_layout::SIZE);
        let off = self.b.ins().imul_imm_s(len, size);
        let callee_rec = self.b.ins().iadd(frames, off);
        let pcv = self.b.ins().iconst(I32, i64::from(pc));
        let base32 = self.b.ins().ireduce(I32, abs_base);
        let fs = fl();
        self.b.ins().store(fs, pcv, callee_rec, frame_layout::PC - frame_layout::SIZE);
        self.b.ins().store(fs, base32, callee_rec, frame_layout::SP - frame_layout::SIZE);
        let mid = self.b.ins().iconst(I32, i64::from(d.method.0));
        let zero = self.b.ins().iconst(I32, 0);
        let sp32 = self.b.ins().iadd_imm_s(base32, i64::from(d.max_locals));
        let tag = self.b.ins().iconst(I32, i64::from(frame_layout::CONT_ENTRY));
        self.b.ins().store(fs, mid, callee_rec, frame_layout::METHOD);
        self.b.ins().store(fs, zero, callee_rec, frame_layout::PC);
        self.b.ins().store(fs, base32, callee_rec, frame_layout::BP);
        self.b.ins().store(fs, sp32, callee_rec, frame_layout::SP);
        self.b.ins().store(fs, tag, callee_rec, frame_layout::CONT);
        self.b.ins().store(fs, zero, callee_rec, frame_layout::CONT + 4);
        self.b.ins().store(fs, zero, callee_rec, frame_layout::AUX);
        let len1 = self.b.ins().iadd_imm_s(len, 1);
        self.b.ins().store(fs, len1, lenp, 0);
        // One budget tick per call, as the interpreter counts them.
        let nb = self.b.ins().iadd_imm_s(budget0, -1);
        let bp = self.budget_ptr();
        self.b.ins().store(fs, nb, bp, 0);
        self.budget_written = true;
        let call_ins = self.call_out(HelperSig::Entry, entry, &[self.ctx, abs_base]);
        let status = self.b.inst_results(call_ins)[0];
        let returned = self.b.create_block();
        let failed = self.b.create_block();
        self.b.set_cold_block(failed);
        let after = self.b.create_block();
        self.b.ins().brif(status, failed, &[], returned, &[]);
        self.b.seal_block(returned);
        self.b.seal_block(failed);
        self.b.switch_to_block(returned);
        // Pop the callee's record (the count's address is stable).
        let len2 = self.b.ins().load(I64, fl(), lenp, 0);
        let len3 = self.b.ins().iadd_imm_s(len2, -1);
        self.b.ins().store(fs, len3, lenp, 0);
        self.b.ins().jump(after, &[]);
        self.b.switch_to_block(failed);
        let callee = self.b.ins().iconst(I64, self.h.unwind as i64);
        let u = self.call_out(HelperSig::Unwind, callee, &[self.ctx]);
        let st = self.b.inst_results(u)[0];
        self.b.ins().brif(st, self.exit, &[], after, &[]);
        self.b.seal_block(after);
        self.b.switch_to_block(after);
        self.resume(nops, &results);
        self.flush();
        self.b.ins().jump(join, &[]);

        self.join_calls(pc, &saved, nops, &results, call, budget0, Some(slow), join);
    }

    /// A call of the native `n` through the native helper (docs/jit.md,
    /// "Calls from compiled code"): the code checks the receiver (null,
    /// and its class for a target chosen by it); the helper ticks the
    /// budget, checks the native stack and runs the native with its own
    /// frame record, as the interpreter does. A receiver that fails the
    /// check takes the call helper. The caller's slots are as for any
    /// safepoint.
    fn native_call(
        &mut self,
        pc: u32,
        n: NativeCall,
        has_receiver: bool,
        nops: usize,
        ret: Option<K>,
        call: Option<(u32, u32)>,
    ) {
        self.spill(pc, nops);
        self.flush();
        let saved = self.stack.clone();
        let base = saved.len() - nops;
        let results: Vec<K> = ret.into_iter().collect();
        let join = self.b.create_block();
        let budget0 = self.budget_value();
        // A receiver known non-null at a non-virtual site needs no check.
        let recv = saved.get(base).filter(|_| has_receiver).and_then(|e| e.v.map(|v| (v, e.nn)));
        let slow = match recv {
            Some((rv, nn)) if !nn || n.guard_layout.is_some() => {
                let slow = self.b.create_block();
                self.b.set_cold_block(slow);
                self.guard_receiver(rv, nn, n.guard_layout, slow);
                Some(slow)
            }
            _ => None,
        };
        let sp = (self.ml + saved.len()) as i64;
        let callee = self.b.ins().iconst(I64, self.h.native as i64);
        let pcv = self.b.ins().iconst(I32, i64::from(pc));
        let spv = self.b.ins().iconst(I32, sp);
        let slots = self.b.ins().iconst(I32, nops as i64);
        let mid = self.b.ins().iconst(I32, i64::from(n.method.0));
        let c = self.call_out(HelperSig::Call, callee, &[self.ctx, pcv, spv, slots, mid]);
        let status = self.b.inst_results(c)[0];
        let cont = self.b.create_block();
        self.b.ins().brif(status, self.exit, &[], cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
        self.resume(nops, &results);
        self.flush();
        self.b.ins().jump(join, &[]);

        self.join_calls(pc, &saved, nops, &results, call, budget0, slow, join);
    }

    /// The end of a call with a fast path, whose block has jumped to
    /// `join`: the slow path (if any) makes the generic call from the state
    /// before the call (`saved`, the budget `budget0`); after `join` the
    /// results are on the stack.
    #[allow(clippy::too_many_arguments)]
    fn join_calls(
        &mut self,
        pc: u32,
        saved: &[Entry],
        nops: usize,
        results: &[K],
        call: Option<(u32, u32)>,
        budget0: Value,
        slow: Option<Block>,
        join: Block,
    ) {
        if let Some(slow) = slow {
            self.b.seal_block(slow);
            self.b.switch_to_block(slow);
            self.stack = saved.to_vec();
            self.restore_budget(budget0);
            self.exec_via(pc, nops, results, call);
            self.flush();
            self.b.ins().jump(join, &[]);
        }
        self.b.seal_block(join);
        self.b.switch_to_block(join);
        let base = saved.len() - nops;
        self.stack = saved[..base].iter().map(|e| Entry { v: None, ..*e }).collect();
        for &k in results {
            self.stack.push(Entry { k, v: None, nn: false });
            if k.wide() {
                self.stack.push(Entry { k: K::Top, v: None, nn: false });
            }
        }
        self.reread();
    }

    /// Continues in a new block when `cond` is zero; else goes to `slow`.
    fn guard(&mut self, cond: Value, slow: Block) {
        let from = self.b.current_block();
        let cont = self.b.create_block();
        self.b.ins().brif(cond, slow, &[], cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
        // Reached only from here: the block's non-null facts hold on.
        if from.is_some() && from == self.nn_block {
            self.nn_block = Some(cont);
        }
    }

    /// A call's receiver `rv` (known non-null if `nn`) is not null and, for
    /// a target chosen by its class, has layout `layout`: else `slow`.
    fn guard_receiver(&mut self, rv: Value, nn: bool, layout: Option<u32>, slow: Block) {
        if !nn {
            let null = self.b.ins().icmp_imm_s(IntCC::Equal, rv, 0);
            self.guard(null, slow);
        }
        if let Some(lid) = layout {
            let a = self.obj_addr(rv);
            let l = self.b.ins().load(I32, header_fl(), a, 0);
            let other = self.b.ins().icmp_imm_s(IntCC::NotEqual, l, i64::from(lid));
            self.guard(other, slow);
        }
    }

    // ---- heap access ----

    /// The address of the object `r`; the same value for the same
    /// reference and heap base in a block (code that is not optimized
    /// would compute it once per access).
    fn obj_addr(&mut self, r: Value) -> Value {
        let hb = self.hb();
        let block = self.b.current_block();
        if let Some(&(_, _, _, a)) = self.addrs.iter().find(|e| Some(e.0) == block && e.1 == hb && e.2 == r) {
            return a;
        }
        let r64 = self.b.ins().uextend(I64, r);
        let a = self.b.ins().iadd(hb, r64);
        if let Some(block) = block {
            self.addrs.retain(|e| e.0 == block);
            self.addrs.push((block, hb, r, a));
        }
        a
    }

    /// Null (unless `nn`: known non-null) and bounds checks of an array
    /// access; the element's address minus the array header.
    fn array_elem(&mut self, pc: u32, arr: Value, nn: bool, idx: Value, shift: i64) -> Value {
        if self.guarded_access(arr, idx) {
            let a = self.obj_addr(arr);
            let i64v = self.b.ins().uextend(I64, idx);
            let off = if shift == 0 { i64v } else { self.b.ins().ishl_imm_s(i64v, shift) };
            return self.b.ins().iadd(a, off);
        }
        let idx64 = self.b.ins().sextend(I64, idx);
        if !nn && !self.checked_nonnull(arr) {
            let z = self.b.ins().icmp_imm_s(IntCC::Equal, arr, 0);
            // Negative: null (`inline_check_exit`); not -1, which the
            // budget's decrement may share on the hot path.
            self.check(z, pc, FailArg::Val(idx64), FailArg::Const(i64::MIN), true);
            self.note_nonnull(arr);
        }
        let a = self.obj_addr(arr);
        let len = self.b.ins().load(I32, header_fl(), a, layout::ARRAY_LENGTH);
        let oob = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, idx, len);
        let len64 = self.b.ins().sextend(I64, len);
        self.check(oob, pc, FailArg::Val(idx64), FailArg::Val(len64), true);
        let i64v = self.b.ins().uextend(I64, idx);
        let off = if shift == 0 { i64v } else { self.b.ins().ishl_imm_s(i64v, shift) };
        self.b.ins().iadd(a, off)
    }

    /// In a counted loop's fast copy or a bounded loop: whether `arr[idx]`
    /// is an access by the induction variable to an array the loop's
    /// guard checked (`range_guard`), so it needs neither null nor bounds
    /// check.
    fn guarded_access(&mut self, arr: Value, idx: Value) -> bool {
        if self.inl.is_some() {
            return false;
        }
        let fast = self.fast_loop.and_then(|h| self.counted.get(h)?.as_ref()).map(|c| c.lp);
        if fast.is_some_and(|lp| self.indexes_by_iv(lp, arr, idx) || self.indexes_masked(lp, arr, idx)) {
            return true;
        }
        let cur = self.cur;
        (0..self.bounded.len()).any(|k| {
            let lp = self.bounded[k];
            lp.header + 2 < cur && cur < lp.back_edge && self.indexes_by_iv(lp, arr, idx)
        })
    }

    /// Whether `arr[idx]` is `a[y & C]` for one of `lp`'s masked arrays `a`
    /// and a `C` from 0 to the largest its guard checked.
    fn indexes_masked(&mut self, lp: CountedLoop, arr: Value, idx: Value) -> bool {
        let Some(c) = self.band_mask(idx) else { return false };
        lp.masked
            .into_iter()
            .flatten()
            .any(|(a, most)| (0..=i64::from(most)).contains(&c) && self.use_local(usize::from(a), K::R) == arr)
    }

    /// `C` if `v` is `band x, C` (either way round) with `C` a constant.
    fn band_mask(&self, v: Value) -> Option<i64> {
        let dfg = &self.b.func.dfg;
        let ValueDef::Result(inst, _) = dfg.value_def(dfg.resolve_aliases(v)) else { return None };
        match dfg.insts[inst] {
            InstructionData::Binary { opcode: Opcode::Band, args: [x, y] } => {
                self.iconst_of(y).or_else(|| self.iconst_of(x))
            }
            _ => None,
        }
    }

    /// Whether `arr[idx]` is `a[iv]` for one of `lp`'s arrays `a`.
    fn indexes_by_iv(&mut self, lp: CountedLoop, arr: Value, idx: Value) -> bool {
        self.use_local(usize::from(lp.iv), K::I) == idx
            && lp.arrays.into_iter().flatten().any(|a| self.use_local(usize::from(a), K::R) == arr)
    }

    fn null_check(&mut self, pc: u32, r: Value) {
        if self.checked_nonnull(r) {
            return;
        }
        let z = self.b.ins().icmp_imm_s(IntCC::Equal, r, 0);
        self.check(z, pc, FailArg::Zero(r), FailArg::Zero(r), true);
        self.note_nonnull(r);
    }

    /// Whether `r` was null-checked on the straight path to here.
    fn checked_nonnull(&self, r: Value) -> bool {
        let cur = self.b.current_block();
        cur.is_some() && cur == self.nn_block && self.nn_values.contains(&r)
    }

    fn note_nonnull(&mut self, r: Value) {
        let cur = self.b.current_block();
        if cur != self.nn_block {
            self.nn_values.clear();
            self.nn_block = cur;
        }
        self.nn_values.push(r);
    }

    /// Bump allocation of `size` bytes: branches to `slow` when the space
    /// is short; continues in the fast path with the object's address and
    /// offset (the reference).
    fn bump(&mut self, size: Value, slow: Block) -> Bump {
        let topp = self.ctx_load(I64, JitContext::HEAP_TOP);
        let top = self.b.ins().load(I64, fl(), topp, 0);
        let end = self.b.ins().iadd(top, size);
        let lim = self.ctx_load(I64, JitContext::HEAP_LIMIT);
        let over = self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, lim);
        let fast = self.b.create_block();
        let check = self.b.ins().brif(over, slow, &[], fast, &[]);
        self.b.seal_block(fast);
        self.b.switch_to_block(fast);
        let store = self.b.ins().store(fl(), end, topp, 0);
        let hb = self.hb();
        let p = self.b.ins().iadd(hb, top);
        Bump { p, top, check, fast, store }
    }

    /// The two-path pattern: `fast` (already current) ends with its
    /// results pushed; the slow path is `exec`; both meet with the stack
    /// in variables.
    fn join_with_slow(&mut self, saved: Vec<Entry>, slow: Block, pc: u32, nops: usize, results: &[K]) -> Block {
        let join = self.b.create_block();
        self.flush();
        self.b.ins().jump(join, &[]);
        self.stack = saved;
        self.b.seal_block(slow);
        self.b.switch_to_block(slow);
        self.exec(pc, nops, results);
        self.flush();
        self.b.ins().jump(join, &[]);
        self.b.seal_block(join);
        self.b.switch_to_block(join);
        self.reread();
        join
    }

    fn alloc_array_inline(&mut self, pc: u32, layout_id: u32, kind: u32, shift: i64) -> Result<(), Decline> {
        self.flush();
        let saved = self.stack.clone();
        let n = self.popv()?;
        let big = self.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThan, n, MAX_INLINE_ARRAY);
        // Both "too long" and "space short" take the helper.
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        let go = self.b.create_block();
        self.b.ins().brif(big, slow, &[], go, &[]);
        self.b.seal_block(go);
        self.b.switch_to_block(go);
        let n64 = self.b.ins().uextend(I64, n);
        let data = if shift == 0 { n64 } else { self.b.ins().ishl_imm_s(n64, shift) };
        let raw = self.b.ins().iadd_imm_s(data, i64::from(layout::ARRAY_HEADER) + 7);
        let bytes = self.b.ins().band_imm_s(raw, -8);
        let bump = self.bump(bytes, slow);
        let p = bump.p;
        let lid = self.b.ins().iconst(I32, i64::from(layout_id));
        let kw = self.b.ins().iconst(I32, i64::from(kind << layout::KIND_SHIFT));
        let z32 = self.b.ins().iconst(I32, 0);
        let init = vec![
            bump.store,
            self.b.ins().store(fl(), lid, p, 0),
            self.b.ins().store(fl(), kw, p, 4),
            self.b.ins().store(fl(), n, p, layout::ARRAY_LENGTH),
            self.b.ins().store(fl(), z32, p, 12),
        ];
        // Zero the elements (a multiple of 8 bytes): 8 bytes first if
        // the count of 8-byte words is odd, then 16 at a time (one vector
        // store: SSE2 and NEON are baseline).
        let q0 = self.b.ins().iadd_imm_s(p, i64::from(layout::ARRAY_HEADER));
        let endp = self.b.ins().iadd(p, bytes);
        let odd = self.b.ins().band_imm_s(bytes, 8);
        let one = self.b.create_block();
        let head = self.b.create_block();
        let q = self.b.append_block_param(head, I64);
        let body = self.b.create_block();
        let done = self.b.create_block();
        let zeroing = self.b.ins().brif(odd, one, &[], head, &[BlockArg::Value(q0)]);
        self.b.seal_block(one);
        self.b.switch_to_block(one);
        let z64 = self.zero64();
        self.b.ins().store(fl(), z64, q0, 0);
        let q8 = self.b.ins().iadd_imm_s(q0, 8);
        self.b.ins().jump(head, &[BlockArg::Value(q8)]);
        self.b.switch_to_block(head);
        let fin = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, q, endp);
        self.b.ins().brif(fin, done, &[], body, &[]);
        self.b.seal_block(body);
        self.b.seal_block(done);
        self.b.switch_to_block(body);
        let z64 = self.zero64();
        let z128 = self.b.ins().splat(I64X2, z64);
        self.b.ins().store(MemFlagsData::new().with_notrap(), z128, q, 0);
        let q2 = self.b.ins().iadd_imm_s(q, 16);
        self.b.ins().jump(head, &[BlockArg::Value(q2)]);
        self.b.seal_block(head);
        self.b.switch_to_block(done);
        let array = ArrayAlloc { length: n, zeroing, zeroed: done };
        self.join_allocation(bump, init, layout_id, Some(array), SlowExec { saved, block: slow, pc, nops: 1 });
        Ok(())
    }

    /// Ends an inline allocation's fast path (the current block) with its
    /// reference pushed, joins it with the slow path, and records the
    /// allocation for `dead_allocations`.
    fn join_allocation(&mut self, bump: Bump, init: Vec<Inst>, layout: u32, array: Option<ArrayAlloc>, slow: SlowExec) {
        let r = self.b.ins().ireduce(I32, bump.top);
        self.push(K::R, r);
        let join = self.join_with_slow(slow.saved, slow.block, slow.pc, slow.nops, &[K::R]);
        self.alloc_sites.push(AllocSite { check: bump.check, fast: bump.fast, init, fast_ref: r, join, layout, array });
        // Both paths' object: the helper's succeeded, or it left the code.
        if let Some(e) = self.stack.last_mut() {
            e.nn = true;
        }
    }

    // ---- instructions ----

    /// Translates one instruction; `true` if it ended the block.
    fn insn(&mut self, insn: &Insn, i: usize) -> Result<bool, Decline> {
        let pc = insn.pc as u32;
        let o = insn.opcode;
        let cls = self.cls;
        let cp = match insn.operands {
            Operands::Cp(x) => x,
            Operands::InvokeInterface { index, .. } => index,
            Operands::MultiANewArray { index, .. } => index,
            _ => 0,
        };
        let local = match insn.operands {
            Operands::Local(x) => usize::from(x),
            Operands::Iinc { index, .. } => usize::from(index),
            _ => 0,
        };
        macro_rules! bin {
            ($k:expr, $f:ident) => {{
                let b = self.popv()?;
                let a = self.popv()?;
                let r = self.b.ins().$f(a, b);
                self.push($k, r);
            }};
        }
        match o {
            op::NOP => {}
            op::ACONST_NULL => {
                let v = self.b.ins().iconst(I32, 0);
                self.push(K::R, v);
            }
            op::ICONST_M1..=op::ICONST_5 => {
                let v = self.b.ins().iconst(I32, i64::from(o) - i64::from(op::ICONST_0));
                self.push(K::I, v);
            }
            op::LCONST_0 | op::LCONST_1 => {
                let v = self.b.ins().iconst(I64, i64::from(o - op::LCONST_0));
                self.push(K::L, v);
            }
            op::FCONST_0..=op::FCONST_2 => {
                let v = self.b.ins().f32const(f32::from(o - op::FCONST_0));
                self.push(K::F, v);
            }
            op::DCONST_0 | op::DCONST_1 => {
                let v = self.b.ins().f64const(f64::from(o - op::DCONST_0));
                self.push(K::D, v);
            }
            op::BIPUSH | op::SIPUSH => {
                let Operands::Immediate(x) = insn.operands else { return Err(Decline::new("bad push")) };
                let v = self.b.ins().iconst(I32, i64::from(x));
                self.push(K::I, v);
            }
            op::LDC | op::LDC_W | op::LDC2_W => match self.env.constant(cls, cp) {
                Some(Constant::Int(x)) => {
                    let v = self.b.ins().iconst(I32, i64::from(x));
                    self.push(K::I, v);
                }
                Some(Constant::Float(x)) => {
                    let v = self.b.ins().f32const(x);
                    self.push(K::F, v);
                }
                Some(Constant::Long(x)) => {
                    let v = self.b.ins().iconst(I64, x);
                    self.push(K::L, v);
                }
                Some(Constant::Double(x)) => {
                    let v = self.b.ins().f64const(x);
                    self.push(K::D, v);
                }
                Some(Constant::InternedString(ix)) => {
                    let base = self.ctx_load(I64, JitContext::STRINGS);
                    let off = i64::from(ix) * 4;
                    let a = self.b.ins().iadd_imm_s(base, off);
                    let v = self.b.ins().load(I32, fl(), a, 0);
                    self.push(K::R, v);
                }
                Some(Constant::String | Constant::OtherRef) => self.exec(pc, 0, &[K::R]),
                None => return Err(Decline::new("unsupported constant")),
            },
            op::ILOAD | op::ILOAD_0..=op::ILOAD_3 => self.load_local(local, K::I),
            op::LLOAD | op::LLOAD_0..=op::LLOAD_3 => self.load_local(local, K::L),
            op::FLOAD | op::FLOAD_0..=op::FLOAD_3 => self.load_local(local, K::F),
            op::DLOAD | op::DLOAD_0..=op::DLOAD_3 => self.load_local(local, K::D),
            op::ALOAD | op::ALOAD_0..=op::ALOAD_3 => self.load_local(local, K::R),
            op::ISTORE | op::ISTORE_0..=op::ISTORE_3 => self.store_local(local, K::I)?,
            op::LSTORE | op::LSTORE_0..=op::LSTORE_3 => self.store_local(local, K::L)?,
            op::FSTORE | op::FSTORE_0..=op::FSTORE_3 => self.store_local(local, K::F)?,
            op::DSTORE | op::DSTORE_0..=op::DSTORE_3 => self.store_local(local, K::D)?,
            op::ASTORE | op::ASTORE_0..=op::ASTORE_3 => self.store_local(local, K::R)?,
            op::IALOAD..=op::SALOAD => {
                let idx = self.popv()?;
                let (arr, nn) = self.pop_ref()?;
                let (k, shift) = match o {
                    op::IALOAD => (K::I, 2),
                    op::LALOAD => (K::L, 3),
                    op::FALOAD => (K::F, 2),
                    op::DALOAD => (K::D, 3),
                    op::AALOAD => (K::R, 2),
                    op::BALOAD => (K::I, 0),
                    _ => (K::I, 1),
                };
                let e = self.array_elem(pc, arr, nn, idx, shift);
                let off = layout::ARRAY_HEADER;
                let v = match o {
                    op::BALOAD => self.b.ins().sload8(I32, fl(), e, off),
                    op::CALOAD => self.b.ins().uload16(I32, fl(), e, off),
                    op::SALOAD => self.b.ins().sload16(I32, fl(), e, off),
                    _ => self.b.ins().load(ty(k), fl(), e, off),
                };
                self.push(k, v);
            }
            op::IASTORE..=op::SASTORE => {
                let v = self.popv()?;
                let idx = self.popv()?;
                let (arr, nn) = self.pop_ref()?;
                if let (op::AASTORE, Some(inl)) = (o, self.inl) {
                    // Inlined: null values and exact `Object[]`s store
                    // here; anything else leaves for the slow path.
                    let fast = self.b.create_block();
                    let bail = self.b.create_block();
                    self.store_needs_no_check(arr, v, fast, bail);
                    self.b.seal_block(bail);
                    self.b.switch_to_block(bail);
                    self.b.set_cold_block(bail);
                    self.inline_bail(inl);
                    self.b.seal_block(fast);
                    self.b.switch_to_block(fast);
                    let e = self.array_elem(pc, arr, nn, idx, 2);
                    self.note_store(I32, e, layout::ARRAY_HEADER);
                    self.b.ins().store(fl(), v, e, layout::ARRAY_HEADER);
                    return Ok(false);
                }
                if o == op::AASTORE {
                    // Null values need no store check: inline. Others: the helper.
                    self.push(K::R, arr);
                    self.push(K::I, idx);
                    self.push(K::R, v);
                    self.flush();
                    let saved = self.stack.clone();
                    self.stack.truncate(self.stack.len() - 3);
                    // Non-null values into anything but an exact
                    // `Object[]` (which takes any reference, the common
                    // case of generic containers): the store-check
                    // helper (no safepoint), or `exec` when it refuses.
                    let fast = self.b.create_block();
                    let check = self.b.create_block();
                    let slow = self.b.create_block();
                    let done = self.b.create_block();
                    self.b.set_cold_block(slow);
                    self.store_needs_no_check(arr, v, fast, check);
                    self.b.seal_block(check);
                    self.b.switch_to_block(check);
                    self.inline_abort();
                    let callee = self.b.ins().iconst(I64, self.h.aastore as i64);
                    let call = self.call_out(HelperSig::Aastore, callee, &[self.ctx, arr, idx, v]);
                    let stored = self.b.inst_results(call)[0];
                    self.b.ins().brif(stored, done, &[], slow, &[]);
                    self.b.seal_block(fast);
                    self.b.switch_to_block(fast);
                    let e = self.array_elem(pc, arr, nn, idx, 2);
                    self.b.ins().store(fl(), v, e, layout::ARRAY_HEADER);
                    self.b.ins().jump(done, &[]);
                    self.b.seal_block(done);
                    self.b.switch_to_block(done);
                    self.join_with_slow(saved, slow, pc, 3, &[]);
                    return Ok(false);
                }
                let shift = match o {
                    op::IASTORE | op::FASTORE => 2,
                    op::LASTORE | op::DASTORE => 3,
                    op::BASTORE => 0,
                    _ => 1,
                };
                let e = self.array_elem(pc, arr, nn, idx, shift);
                let off = layout::ARRAY_HEADER;
                match o {
                    op::BASTORE => {
                        // boolean[] keeps bit 0 only.
                        let a = self.obj_addr(arr);
                        let w1 = self.b.ins().load(I32, header_fl(), a, 4);
                        let sh = self.b.ins().ushr_imm_s(w1, i64::from(layout::KIND_SHIFT));
                        let kk = self.b.ins().band_imm_s(sh, 0xF);
                        let isb = self.b.ins().icmp_imm_s(IntCC::Equal, kk, i64::from(layout::KIND_BOOLEAN));
                        // (A constant 0 or 1 is the same either way.)
                        let vv = match self.iconst_of(v) {
                            Some(0 | 1) => v,
                            _ => {
                                let v1 = self.b.ins().band_imm_s(v, 1);
                                self.b.ins().select(isb, v1, v)
                            }
                        };
                        self.note_store(I8, e, off);
                        self.store_narrow(I8, vv, e, off);
                    }
                    op::CASTORE | op::SASTORE => {
                        self.note_store(I16, e, off);
                        self.store_narrow(I16, v, e, off);
                    }
                    _ => {
                        let t = self.b.func.dfg.value_type(v);
                        self.note_store(t, e, off);
                        self.b.ins().store(fl(), v, e, off);
                    }
                }
            }
            op::POP => {
                self.stack.pop();
            }
            op::POP2 => {
                self.stack.pop();
                self.stack.pop();
            }
            op::DUP => {
                let a = *self.stack.last().ok_or_else(|| Decline::new("underflow"))?;
                self.stack.push(a);
            }
            op::DUP_X1 | op::DUP_X2 | op::DUP2 | op::DUP2_X1 | op::DUP2_X2 | op::SWAP => {
                let n = self.stack.len();
                let need = match o {
                    op::DUP_X1 | op::DUP2 | op::SWAP => 2,
                    op::DUP_X2 | op::DUP2_X1 => 3,
                    _ => 4,
                };
                if n < need {
                    return Err(Decline::new("underflow"));
                }
                let t = |i: usize| self.stack[n - 1 - i];
                let (a, b) = (t(0), t(1));
                let new: Vec<Entry> = match o {
                    op::DUP_X1 => vec![a, b, a],
                    op::DUP_X2 => vec![a, t(2), b, a],
                    op::DUP2 => vec![b, a, b, a],
                    op::DUP2_X1 => vec![b, a, t(2), b, a],
                    op::DUP2_X2 => vec![b, a, t(3), t(2), b, a],
                    _ => vec![a, b],
                };
                self.stack.truncate(n - need);
                self.stack.extend(new);
            }
            op::IADD => bin!(K::I, iadd),
            op::LADD => bin!(K::L, iadd),
            op::FADD => bin!(K::F, fadd),
            op::DADD => bin!(K::D, fadd),
            op::ISUB => bin!(K::I, isub),
            op::LSUB => bin!(K::L, isub),
            op::FSUB => bin!(K::F, fsub),
            op::DSUB => bin!(K::D, fsub),
            op::IMUL => bin!(K::I, imul),
            op::LMUL => bin!(K::L, imul),
            op::FMUL => bin!(K::F, fmul),
            op::DMUL => bin!(K::D, fmul),
            op::FDIV => bin!(K::F, fdiv),
            op::DDIV => bin!(K::D, fdiv),
            op::IDIV | op::IREM | op::LDIV | op::LREM => {
                let k = if matches!(o, op::IDIV | op::IREM) { K::I } else { K::L };
                let b = self.popv()?;
                let a = self.popv()?;
                let z = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
                self.check(z, pc, FailArg::Zero(b), FailArg::Zero(b), true);
                let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, b, -1);
                let one = self.b.ins().iconst(ty(k), 1);
                let b2 = self.b.ins().select(m1, one, b);
                let r = if matches!(o, op::IREM | op::LREM) {
                    // x % -1 == 0 == x % 1, and MIN % -1 must not trap.
                    self.b.ins().srem(a, b2)
                } else {
                    let q = self.b.ins().sdiv(a, b2);
                    let na = self.b.ins().ineg(a);
                    self.b.ins().select(m1, na, q)
                };
                self.push(k, r);
            }
            op::FREM | op::DREM => {
                let k = if o == op::FREM { K::F } else { K::D };
                let b = self.popv()?;
                let a = self.popv()?;
                let (sig, addr) = if o == op::FREM {
                    (self.sig(HelperSig::Frem), self.h.frem)
                } else {
                    (self.sig(HelperSig::Drem), self.h.drem)
                };
                let callee = self.b.ins().iconst(I64, addr as i64);
                let call = self.b.ins().call_indirect(sig, callee, &[a, b]);
                let r = self.b.inst_results(call)[0];
                self.push(k, r);
            }
            op::INEG | op::LNEG => {
                let (k, a) = self.pop()?;
                let r = self.b.ins().ineg(a);
                self.push(k, r);
            }
            op::FNEG | op::DNEG => {
                let (k, a) = self.pop()?;
                let r = self.b.ins().fneg(a);
                self.push(k, r);
            }
            op::ISHL => bin!(K::I, ishl),
            op::ISHR => bin!(K::I, sshr),
            op::IUSHR => bin!(K::I, ushr),
            op::LSHL => bin!(K::L, ishl),
            op::LSHR => bin!(K::L, sshr),
            op::LUSHR => bin!(K::L, ushr),
            op::IAND => bin!(K::I, band),
            op::LAND => bin!(K::L, band),
            op::IOR => bin!(K::I, bor),
            op::LOR => bin!(K::L, bor),
            op::IXOR => bin!(K::I, bxor),
            op::LXOR => bin!(K::L, bxor),
            op::IINC => {
                let Operands::Iinc { delta, .. } = insn.operands else { return Err(Decline::new("bad iinc")) };
                let v = self.use_local(local, K::I);
                let r = self.b.ins().iadd_imm_s(v, i64::from(delta));
                self.def_local(local, K::I, r);
            }
            op::I2L..=op::I2S => {
                let a = self.popv()?;
                let (k, r) = match o {
                    op::I2L => (K::L, self.b.ins().sextend(I64, a)),
                    op::I2F => (K::F, self.b.ins().fcvt_from_sint(F32, a)),
                    op::I2D => (K::D, self.b.ins().fcvt_from_sint(F64, a)),
                    op::L2I => (K::I, self.b.ins().ireduce(I32, a)),
                    op::L2F => (K::F, self.b.ins().fcvt_from_sint(F32, a)),
                    op::L2D => (K::D, self.b.ins().fcvt_from_sint(F64, a)),
                    op::F2I | op::D2I => (K::I, self.b.ins().fcvt_to_sint_sat(I32, a)),
                    op::F2L | op::D2L => (K::L, self.b.ins().fcvt_to_sint_sat(I64, a)),
                    op::F2D => (K::D, self.b.ins().fpromote(F64, a)),
                    op::D2F => (K::F, self.b.ins().fdemote(F32, a)),
                    op::I2B => {
                        let n = self.b.ins().ireduce(I8, a);
                        (K::I, self.b.ins().sextend(I32, n))
                    }
                    op::I2C => (K::I, self.b.ins().band_imm_s(a, 0xFFFF)),
                    _ => {
                        let n = self.b.ins().ireduce(I16, a);
                        (K::I, self.b.ins().sextend(I32, n))
                    }
                };
                self.push(k, r);
            }
            op::LCMP => {
                let b = self.popv()?;
                let a = self.popv()?;
                let gt = self.b.ins().icmp(IntCC::SignedGreaterThan, a, b);
                let lt = self.b.ins().icmp(IntCC::SignedLessThan, a, b);
                let g = self.b.ins().uextend(I32, gt);
                let l = self.b.ins().uextend(I32, lt);
                let r = self.b.ins().isub(g, l);
                self.push(K::I, r);
            }
            op::FCMPL | op::FCMPG | op::DCMPL | op::DCMPG => {
                let b = self.popv()?;
                let a = self.popv()?;
                let eq = self.b.ins().fcmp(FloatCC::Equal, a, b);
                let zero = self.b.ins().iconst(I32, 0);
                let one = self.b.ins().iconst(I32, 1);
                let m1 = self.b.ins().iconst(I32, -1);
                let r = if matches!(o, op::FCMPL | op::DCMPL) {
                    // NaN → -1.
                    let gt = self.b.ins().fcmp(FloatCC::GreaterThan, a, b);
                    let e = self.b.ins().select(eq, zero, m1);
                    self.b.ins().select(gt, one, e)
                } else {
                    // NaN → 1.
                    let lt = self.b.ins().fcmp(FloatCC::LessThan, a, b);
                    let e = self.b.ins().select(eq, zero, one);
                    self.b.ins().select(lt, m1, e)
                };
                self.push(K::I, r);
            }
            op::IFEQ..=op::IFLE | op::IFNULL | op::IFNONNULL => {
                let a = self.popv()?;
                let cc = match o {
                    op::IFEQ | op::IFNULL => IntCC::Equal,
                    op::IFNE | op::IFNONNULL => IntCC::NotEqual,
                    op::IFLT => IntCC::SignedLessThan,
                    op::IFGE => IntCC::SignedGreaterThanOrEqual,
                    op::IFGT => IntCC::SignedGreaterThan,
                    _ => IntCC::SignedLessThanOrEqual,
                };
                let c = self.b.ins().icmp_imm_s(cc, a, 0);
                let Operands::Branch(t) = insn.operands else { return Err(Decline::new("bad branch")) };
                return self.cond_branch(c, pc, t, i);
            }
            op::IF_ICMPEQ..=op::IF_ACMPNE => {
                let b = self.popv()?;
                let a = self.popv()?;
                let cc = match o {
                    op::IF_ICMPEQ | op::IF_ACMPEQ => IntCC::Equal,
                    op::IF_ICMPNE | op::IF_ACMPNE => IntCC::NotEqual,
                    op::IF_ICMPLT => IntCC::SignedLessThan,
                    op::IF_ICMPGE => IntCC::SignedGreaterThanOrEqual,
                    op::IF_ICMPGT => IntCC::SignedGreaterThan,
                    _ => IntCC::SignedLessThanOrEqual,
                };
                let c = self.b.ins().icmp(cc, a, b);
                let Operands::Branch(t) = insn.operands else { return Err(Decline::new("bad branch")) };
                return self.cond_branch(c, pc, t, i);
            }
            op::GOTO | op::GOTO_W => {
                let Operands::Branch(t) = insn.operands else { return Err(Decline::new("bad branch")) };
                self.flush();
                let blk = self.target(pc, t)?;
                self.b.ins().jump(blk, &[]);
                self.fill_edges()?;
                return Ok(true);
            }
            op::TABLESWITCH | op::LOOKUPSWITCH => {
                let key = self.popv()?;
                self.flush();
                let mut sw = Switch::new();
                let default = match &insn.operands {
                    Operands::TableSwitch { default, low, targets, .. } => {
                        for (j, &t) in targets.iter().enumerate() {
                            let k = (*low as i64 + j as i64) as i32;
                            let blk = self.target(pc, t)?;
                            sw.set_entry(u128::from(k as u32), blk);
                        }
                        *default
                    }
                    Operands::LookupSwitch { default, pairs } => {
                        for &(k, t) in pairs {
                            let blk = self.target(pc, t)?;
                            sw.set_entry(u128::from(k as u32), blk);
                        }
                        *default
                    }
                    _ => return Err(Decline::new("bad switch")),
                };
                let d = self.target(pc, default)?;
                sw.emit(&mut self.b, key, d);
                self.fill_edges()?;
                return Ok(true);
            }
            op::IRETURN..=op::RETURN => {
                if let Some(inl) = self.inl {
                    if let Some(var) = inl.result {
                        let v = self.popv()?;
                        self.b.def_var(var, v);
                    }
                    self.b.ins().jump(inl.join, &[]);
                    return Ok(true);
                }
                if o != op::RETURN {
                    let v = self.popv()?;
                    self.slot_store(0, v);
                }
                self.store_budget();
                let z = self.b.ins().iconst(I32, 0);
                self.b.ins().return_(&[z]);
                return Ok(true);
            }
            op::GETSTATIC | op::PUTSTATIC | op::GETFIELD | op::PUTFIELD => self.field(o, pc, cp)?,
            op::INVOKEVIRTUAL | op::INVOKESPECIAL | op::INVOKESTATIC | op::INVOKEINTERFACE | op::INVOKEDYNAMIC => {
                let sig = self.env.call(cls, cp).ok_or_else(|| Decline::new("bad method reference"))?;
                let recv = !matches!(o, op::INVOKESTATIC | op::INVOKEDYNAMIC) as usize;
                let nops = usize::from(sig.arg_slots) + recv;
                // Resolved (and for statics initialized) now: the call
                // helper skips decoding, resolution and selection.
                let call = if o == op::INVOKEDYNAMIC { None } else { self.env.call_target(o, cls, cp) };
                let call = call.map(|t| t.encode());
                if let Some(pn) = self.pure_native(o, cls, cp, &sig) {
                    // Raw stores return nothing; the others a value.
                    let ret = sig.ret.map_or(K::I, K::from_slot);
                    self.pure_call(pc, pn, nops, ret)?;
                    return Ok(false);
                }
                if let Some(target) = self.inline_candidate(o, pc, cp) {
                    self.inline_call(pc, target, nops, sig.ret.map(K::from_slot), call)?;
                    return Ok(false);
                }
                if let Some(inl) = self.inl.filter(|_| self.env.cold_call(o, cls, cp)) {
                    // A cold call in an inlined body: the slow path runs the
                    // callee for real. What follows it here is unreachable
                    // and gets a placeholder result.
                    self.inline_bail(inl);
                    let dead = self.b.create_block();
                    self.b.switch_to_block(dead);
                    self.b.seal_block(dead);
                    for _ in 0..nops {
                        self.stack.pop();
                    }
                    if let Some(r) = sig.ret.map(K::from_slot) {
                        let v = match r {
                            K::F => self.b.ins().f32const(0.0),
                            K::D => self.b.ins().f64const(0.0),
                            k => self.b.ins().iconst(ty(k), 0),
                        };
                        self.push(r, v);
                    }
                    return Ok(false);
                }
                // Inlined bodies make no calls (their slow path does).
                if let (Some(d), None) = (call.and_then(|_| self.env.direct_call(o, cls, cp)), self.inl) {
                    self.direct_call(pc, d, o != op::INVOKESTATIC, nops, sig.ret.map(K::from_slot), call);
                    return Ok(false);
                }
                let native = match (call, self.inl) {
                    (Some(_), None) => self.env.native_call(o, cls, cp),
                    _ => None,
                };
                // The receiver must be in hand to be checked.
                let recv_known =
                    recv == 0 || self.stack.len() >= nops && self.stack[self.stack.len() - nops].v.is_some();
                if let (Some(n), true) = (native, recv_known) {
                    self.native_call(pc, n, recv == 1, nops, sig.ret.map(K::from_slot), call);
                    return Ok(false);
                }
                match sig.ret {
                    Some(r) => self.exec_via(pc, nops, &[K::from_slot(r)], call),
                    None => self.exec_via(pc, nops, &[], call),
                }
            }
            op::NEW => match self.env.class(cls, cp) {
                Some(c) if c.new_inline && !self.env.gc_stress() && c.instance_size <= MAX_INLINE_INSTANCE => {
                    let lid = c.layout.ok_or_else(|| Decline::new("no layout"))?;
                    self.flush();
                    let saved = self.stack.clone();
                    let size = self.b.ins().iconst(I64, i64::from(c.instance_size));
                    let slow = self.b.create_block();
                    self.b.set_cold_block(slow);
                    let bump = self.bump(size, slow);
                    let w0 = self.b.ins().iconst(I64, i64::from(lid));
                    let mut init = vec![bump.store, self.b.ins().store(fl(), w0, bump.p, 0)];
                    let z = self.zero64();
                    let mut off = 8;
                    while off < c.instance_size as i32 {
                        init.push(self.b.ins().store(fl(), z, bump.p, off));
                        off += 8;
                    }
                    self.join_allocation(bump, init, lid, None, SlowExec { saved, block: slow, pc, nops: 0 });
                }
                _ => self.exec(pc, 0, &[K::R]),
            },
            op::NEWARRAY => {
                let Operands::NewArray(atype) = insn.operands else { return Err(Decline::new("bad newarray")) };
                match self.env.primitive_array_layout(atype) {
                    Some(lid) if !self.env.gc_stress() => {
                        let shift = match atype {
                            4 | 8 => 0,
                            5 | 9 => 1,
                            6 | 10 => 2,
                            _ => 3,
                        };
                        self.alloc_array_inline(pc, lid, u32::from(atype), shift)?;
                    }
                    _ => self.exec(pc, 1, &[K::R]),
                }
            }
            op::ANEWARRAY => match self.env.class(cls, cp).and_then(|c| c.array_layout) {
                Some(lid) if !self.env.gc_stress() => self.alloc_array_inline(pc, lid, 12, 2)?,
                _ => self.exec(pc, 1, &[K::R]),
            },
            op::MULTIANEWARRAY => {
                let Operands::MultiANewArray { dimensions, .. } = insn.operands else {
                    return Err(Decline::new("bad multianewarray"));
                };
                self.exec(pc, usize::from(dimensions), &[K::R]);
            }
            op::ARRAYLENGTH => {
                let (arr, nn) = self.pop_ref()?;
                if !nn {
                    self.null_check(pc, arr);
                }
                let a = self.obj_addr(arr);
                let v = self.b.ins().load(I32, header_fl(), a, layout::ARRAY_LENGTH);
                self.push(K::I, v);
            }
            op::ATHROW => {
                self.exec_noreturn(pc, 1);
                return Ok(true);
            }
            op::CHECKCAST | op::INSTANCEOF => {
                let fact = self.env.class(cls, cp);
                let Some((lid, is_final)) = fact.and_then(|c| c.layout.map(|l| (l, c.is_final))) else {
                    let res: &[K] = if o == op::CHECKCAST { &[K::R] } else { &[K::I] };
                    self.exec(pc, 1, res);
                    return Ok(false);
                };
                self.flush();
                let saved = self.stack.clone();
                let r = self.popv()?;
                let join = self.b.create_block();
                let slow = self.b.create_block();
                self.b.set_cold_block(slow);
                let nonnull = self.b.create_block();
                let res_var = self.var(self.ml + self.stack.len(), if o == op::CHECKCAST { K::R } else { K::I });
                // Fast answers: null, or exactly the class.
                let (on_null, on_match) = if o == op::CHECKCAST {
                    (r, r)
                } else {
                    (self.b.ins().iconst(I32, 0), self.b.ins().iconst(I32, 1))
                };
                self.flush();
                self.b.def_var(res_var, on_null);
                let isnull = self.b.ins().icmp_imm_s(IntCC::Equal, r, 0);
                match self.inl {
                    Some(inl) if o == op::CHECKCAST && derefs_cast_result(&self.insns.insns, i, &self.blocks) => {
                        // Null would fail the dereference right after: the
                        // slow path, so that no join follows the cast and
                        // its value stays known not null.
                        let null = self.b.create_block();
                        self.b.set_cold_block(null);
                        self.b.ins().brif(isnull, null, &[], nonnull, &[]);
                        self.b.seal_block(null);
                        self.b.switch_to_block(null);
                        self.stack = saved.clone();
                        self.inline_bail(inl);
                    }
                    _ => {
                        self.b.ins().brif(isnull, join, &[], nonnull, &[]);
                    }
                }
                self.b.seal_block(nonnull);
                self.b.switch_to_block(nonnull);
                let a = self.obj_addr(r);
                let l = self.b.ins().load(I32, fl(), a, 0);
                let same = self.b.ins().icmp_imm_s(IntCC::Equal, l, i64::from(lid));
                self.b.def_var(res_var, on_match);
                if o == op::INSTANCEOF && is_final {
                    let zero = self.b.ins().iconst(I32, 0);
                    let one = self.b.ins().iconst(I32, 1);
                    let v = self.b.ins().select(same, one, zero);
                    self.b.def_var(res_var, v);
                    self.b.ins().jump(join, &[]);
                } else {
                    self.b.ins().brif(same, join, &[], slow, &[]);
                }
                self.b.seal_block(slow);
                self.b.switch_to_block(slow);
                self.stack = saved.clone();
                if let Some(inl) = self.inl {
                    // A subclass, or a failing cast: the slow path decides.
                    self.inline_bail(inl);
                } else {
                    let res: &[K] = if o == op::CHECKCAST { &[K::R] } else { &[K::I] };
                    self.exec(pc, 1, res);
                    self.flush();
                    self.b.ins().jump(join, &[]);
                }
                self.b.seal_block(join);
                self.b.switch_to_block(join);
                self.stack = saved;
                self.stack.pop();
                let k = if o == op::CHECKCAST { K::R } else { K::I };
                self.stack.push(Entry { k, v: None, nn: false });
                self.reread();
            }
            op::MONITORENTER | op::MONITOREXIT => self.exec(pc, 1, &[]),
            _ => return Err(Decline::new(alloc::format!("unsupported opcode {}", pd_jvm::verify::insn::mnemonic(o)))),
        }
        Ok(false)
    }

    fn load_local(&mut self, i: usize, k: K) {
        let v = self.use_local(i, k);
        self.push(k, v);
        let after_deref = self.nn_after.get(i).is_some_and(|&d| self.cur > d);
        if k == K::R && i < 64 && (self.nn_locals & (1 << i) != 0 || after_deref) {
            if let Some(e) = self.stack.last_mut() {
                e.nn = true;
            }
        }
    }

    /// Pops a reference and whether it is known non-null.
    fn pop_ref(&mut self) -> Result<(Value, bool), Decline> {
        let nn = self.stack.last().is_some_and(|e| e.nn);
        Ok((self.popv()?, nn))
    }

    fn store_local(&mut self, i: usize, k: K) -> Result<(), Decline> {
        let (_, v) = self.pop()?;
        self.def_local(i, k, v);
        if i > 0 && self.locals[i - 1].wide() {
            self.locals[i - 1] = K::Top;
        }
        self.locals[i] = k;
        if k.wide() {
            self.locals[i + 1] = K::Top;
        }
        Ok(())
    }

    fn field(&mut self, o: u8, pc: u32, cp: u16) -> Result<(), Decline> {
        let is_static = matches!(o, op::GETSTATIC | op::PUTSTATIC);
        let put = matches!(o, op::PUTSTATIC | op::PUTFIELD);
        let f = self.env.field(self.cls, cp, is_static, put).ok_or_else(|| Decline::new("bad field"))?;
        let k = K::from_slot(f.kind);
        let Some(off) = f.fast_offset else {
            let vslots = if k.wide() { 2 } else { 1 };
            let nops = match o {
                op::GETSTATIC => 0,
                op::PUTSTATIC => vslots,
                op::GETFIELD => 1,
                _ => 1 + vslots,
            };
            let res: &[K] = if put { &[] } else { core::slice::from_ref(&k) };
            let res = res.to_vec();
            self.exec(pc, nops, &res);
            return Ok(());
        };
        if is_static {
            let (which, scale) = if k == K::R { (1, 4) } else { (0, 8) };
            let base = match self.statics {
                Some(vars) => {
                    self.statics_used[which] = true;
                    self.b.use_var(vars[which])
                }
                None => self.ctx_load(I64, [JitContext::STATIC_PRIMS, JitContext::STATIC_REFS][which]),
            };
            // The slot's offset in the access itself when it fits.
            let (a, aoff) = match i32::try_from(i64::from(off) * scale) {
                Ok(o) => (base, o),
                Err(_) => (self.b.ins().iadd_imm_s(base, i64::from(off) * scale), 0),
            };
            if put {
                let v = self.popv()?;
                let v = match k {
                    K::R | K::L | K::D => v,
                    K::F => {
                        let bits = self.b.ins().bitcast(I32, MemFlagsData::new(), v);
                        self.b.ins().uextend(I64, bits)
                    }
                    _ => {
                        let n = self.narrow(v, f.size, f.signed, f.boolean);
                        self.b.ins().uextend(I64, n)
                    }
                };
                // 8 bytes, but 4 for a reference (`static_refs` is 32-bit).
                let t = self.b.func.dfg.value_type(v);
                self.note_store(t, a, aoff);
                self.b.ins().store(fl(), v, a, aoff);
            } else {
                let v = self.b.ins().load(ty(k), fl(), a, aoff);
                self.push(k, v);
            }
            return Ok(());
        }
        let off = layout::INSTANCE_HEADER + off as i32;
        if put {
            let v = self.popv()?;
            let (obj, nn) = self.pop_ref()?;
            if !nn {
                self.null_check(pc, obj);
            }
            let a = self.obj_addr(obj);
            match (k, f.size) {
                (K::I, 1) => {
                    let v = match self.iconst_of(v) {
                        Some(0 | 1) => v,
                        _ if f.boolean => self.b.ins().band_imm_s(v, 1),
                        _ => v,
                    };
                    self.note_store(I8, a, off);
                    self.store_narrow(I8, v, a, off);
                }
                (K::I, 2) => {
                    self.note_store(I16, a, off);
                    self.store_narrow(I16, v, a, off);
                }
                _ => {
                    let t = self.b.func.dfg.value_type(v);
                    self.note_store(t, a, off);
                    self.b.ins().store(fl(), v, a, off);
                }
            }
        } else {
            let (obj, nn) = self.pop_ref()?;
            if !nn {
                self.null_check(pc, obj);
            }
            let a = self.obj_addr(obj);
            let v = match (k, f.size) {
                (K::I, 1) => self.b.ins().sload8(I32, fl(), a, off),
                (K::I, 2) if f.signed => self.b.ins().sload16(I32, fl(), a, off),
                (K::I, 2) => self.b.ins().uload16(I32, fl(), a, off),
                _ => self.b.ins().load(ty(k), fl(), a, off),
            };
            self.push(k, v);
        }
        Ok(())
    }

    /// The int a `boolean`/`byte`/`char`/`short` static holds.
    fn narrow(&mut self, v: Value, size: u32, signed: bool, boolean: bool) -> Value {
        match (size, signed, boolean) {
            (1, _, true) => self.b.ins().band_imm_s(v, 1),
            (1, _, false) => {
                let n = self.b.ins().ireduce(I8, v);
                self.b.ins().sextend(I32, n)
            }
            (2, true, _) => {
                let n = self.b.ins().ireduce(I16, v);
                self.b.ins().sextend(I32, n)
            }
            (2, false, _) => self.b.ins().band_imm_s(v, 0xFFFF),
            _ => v,
        }
    }
}
