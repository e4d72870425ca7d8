//! Promoted locations: a memory location that a loop reads and writes
//! lives in a register through the loop (docs/jit.md, "Promoted
//! locations").
//!
//! `for (i = 0; i < n; i++) sfield = sfield + i;` loads and stores the
//! static in every iteration, and each load waits for the last
//! iteration's store (store-to-load forwarding, about five cycles on Zen
//! 4): the loop runs at that latency instead of a cycle per iteration.
//! C2 keeps the value in a register and stores it when the loop ends, as
//! LLVM's LICM promotion does. So does this pass, for single-path loops
//! (`single_path_loops`) whose only stores go to one location: an
//! invariant address (a base defined outside the loop, plus an offset)
//! stored with one type and loaded with that type or a narrower integer
//! (a static `int` is stored as 8 bytes and loaded as 4: the low half,
//! both targets being little-endian). Other loads on the path must be
//! read-only or of the same base at offsets that do not overlap, as they
//! could read the location; nothing on the path calls or may trap.
//!
//! The value becomes a loop parameter, loaded on entry. A load on the
//! path reads the value last stored before it in the iteration (or the
//! parameter); a store only sets it; every edge out of the loop (its exit
//! and each side exit) passes a block that stores the current value
//! first, so memory is as the loop would have left it wherever anything
//! else looks: slow paths, helpers, the collector, the interpreter.
//!
//! The entry's load runs before the first iteration would reach the
//! location. Side exits before the first access must be invariant (a
//! receiver's null check): they can only be taken in the first
//! iteration, before anything was stored, so they store nothing, and the
//! entry skips the load when one of them will be taken.

use alloc::vec::Vec;
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::entity::SecondaryMap;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::I8;
use cranelift_codegen::ir::{
    Block, BlockArg, BlockCall, Function, Inst, InstBuilder, InstructionData, MemFlagsData, Opcode, Type, Value,
    ValueDef,
};

use crate::single_path_loops::{entry_block, no_effect, PathLoop, PathScratch, SideEdge};

pub(crate) struct Promotion {
    l: PathLoop,
    base: Value,
    offset: i32,
    /// The stores' type; loads may be narrower.
    ty: Type,
    load_flags: MemFlagsData,
    store_flags: MemFlagsData,
    /// Pure invariant instructions on the path, in order: computed on
    /// entry instead (the address, the early exits' conditions).
    hoist: Vec<Inst>,
    /// Side exits before the first access (invariant).
    early: Vec<SideEdge>,
}

/// The location `l` can keep in a register, if there is one.
pub(crate) fn promotion(func: &Function, l: PathLoop, ps: &PathScratch) -> Option<Promotion> {
    let mut invariant: SecondaryMap<Value, bool> = SecondaryMap::new();
    let is_invariant =
        |inv: &SecondaryMap<Value, bool>, v: Value| inv[func.dfg.resolve_aliases(v)] || !ps.defined_on_path(func, v);
    let mut hoist = Vec::new();
    // The one stored location, and the first block that touches it.
    let mut loc: Option<(Value, i32, Type, MemFlagsData)> = None;
    let mut first_access: Option<usize> = None;
    let mut loads: Vec<(Inst, Opcode, Value, i32, Type, u32, MemFlagsData)> = Vec::new();
    for (k, &b) in l.path.iter().enumerate() {
        for inst in func.layout.block_insts(b) {
            let data = &func.dfg.insts[inst];
            let o = data.opcode();
            if o.is_terminator() {
                continue;
            }
            match *data {
                InstructionData::Store { opcode: Opcode::Store, args: [v, addr], offset, flags } => {
                    let flags = func.dfg.mem_flags[flags];
                    let (base, off) = address(func, addr, offset)?;
                    if !is_invariant(&invariant, base) || flags.trap_code().is_some() {
                        return None;
                    }
                    let ty = func.dfg.value_type(v);
                    match loc {
                        None => loc = Some((base, off, ty, flags)),
                        Some((b2, o2, t2, _)) if (o2, t2) == (off, ty) && same_value(func, b2, base, 4) => {}
                        Some(_) => return None,
                    }
                    first_access.get_or_insert(k);
                }
                InstructionData::Load { opcode, arg, offset, flags } => {
                    let flags = func.dfg.mem_flags[flags];
                    let ty = func.dfg.value_type(func.dfg.first_result(inst));
                    let bytes = load_bytes(opcode, ty)?;
                    if flags.trap_code().is_some() {
                        return None;
                    }
                    let (b, off) = address(func, arg, offset)?;
                    loads.push((inst, opcode, b, off, ty, bytes, flags));
                    if is_invariant(&invariant, b) {
                        // Whether it reads the location is known once the
                        // stores are (below); if it does, it is an access.
                        continue;
                    }
                    if !flags.readonly() {
                        return None;
                    }
                }
                _ => {
                    if !pure(o) {
                        return None;
                    }
                    // (Not a division: its test stays above it.)
                    if !o.can_trap() && func.dfg.inst_args(inst).iter().all(|&a| is_invariant(&invariant, a)) {
                        for &v in func.dfg.inst_results(inst) {
                            invariant[v] = true;
                        }
                        hoist.push(inst);
                    }
                }
            }
        }
    }
    let (base, offset, ty, store_flags) = loc?;
    let size = i64::from(ty.bytes());
    let mut load_flags = None;
    for &(inst, opcode, b, off, t, bytes, flags) in &loads {
        let same_base = same_value(func, b, base, 4);
        let reads_it = opcode == Opcode::Load && same_base && off == offset;
        if reads_it {
            // The same location, as wide or a narrower integer.
            if t != ty && !(t.is_int() && ty.is_int() && t.bits() < ty.bits()) {
                return None;
            }
            load_flags.get_or_insert(flags);
            let k = l.path.iter().position(|&x| Some(x) == func.layout.inst_block(inst))?;
            if first_access.is_none_or(|f| k < f) {
                first_access = Some(k);
            }
        } else if !flags.readonly() {
            // Another load: fine if it cannot overlap the location.
            let apart = same_base
                && (i64::from(off) + i64::from(bytes) <= i64::from(offset)
                    || i64::from(offset) + size <= i64::from(off));
            if !apart {
                return None;
            }
        }
    }
    let first = first_access?;
    let early: Vec<SideEdge> = l.side.iter().copied().filter(|e| path_index(&l, e.block) < first).collect();
    if early.iter().any(|e| !is_invariant(&invariant, e.cond)) {
        return None;
    }
    // The entry's load reads with the stores' width and a load's flags
    // (or the store's, if nothing loads it: then the loop only writes).
    let load_flags = load_flags.unwrap_or(store_flags);
    Some(Promotion { l, base, offset, ty, load_flags, store_flags, hoist, early })
}

/// An address as a base and an offset: `iadd`s of constants fold into
/// the offset, so that two computations of one address compare equal
/// (the translator computes a static's address at each access).
fn address(func: &Function, mut v: Value, offset: impl Into<i32>) -> Option<(Value, i32)> {
    let mut off = i64::from(offset.into());
    loop {
        v = func.dfg.resolve_aliases(v);
        let ValueDef::Result(inst, _) = func.dfg.value_def(v) else { break };
        let InstructionData::Binary { opcode: Opcode::Iadd, args: [x, y] } = func.dfg.insts[inst] else { break };
        match (crate::iconst_value(func, x), crate::iconst_value(func, y)) {
            (_, Some(c)) => {
                off += c;
                v = x;
            }
            (Some(c), _) => {
                off += c;
                v = y;
            }
            _ => break,
        }
    }
    Some((v, i32::try_from(off).ok()?))
}

/// Whether `a` and `b` are the same value: one value, or the same pure
/// unary or binary instruction of the same values (up to `depth` deep).
/// The translator computes an object's address afresh at each access,
/// and Cranelift merges the copies only later.
fn same_value(func: &Function, a: Value, b: Value, depth: u32) -> bool {
    let (a, b) = (func.dfg.resolve_aliases(a), func.dfg.resolve_aliases(b));
    if a == b {
        return true;
    }
    if depth == 0 || func.dfg.value_type(a) != func.dfg.value_type(b) {
        return false;
    }
    let (ValueDef::Result(x, 0), ValueDef::Result(y, 0)) = (func.dfg.value_def(a), func.dfg.value_def(b)) else {
        return false;
    };
    match (func.dfg.insts[x], func.dfg.insts[y]) {
        (InstructionData::Unary { opcode: o1, arg: a1 }, InstructionData::Unary { opcode: o2, arg: a2 }) => {
            o1 == o2 && pure(o1) && same_value(func, a1, a2, depth - 1)
        }
        (
            InstructionData::Binary { opcode: o1, args: [a1, b1] },
            InstructionData::Binary { opcode: o2, args: [a2, b2] },
        ) => o1 == o2 && pure(o1) && same_value(func, a1, a2, depth - 1) && same_value(func, b1, b2, depth - 1),
        (
            InstructionData::UnaryImm { opcode: Opcode::Iconst, imm: i1 },
            InstructionData::UnaryImm { opcode: Opcode::Iconst, imm: i2 },
        ) => i1 == i2,
        _ => false,
    }
}

/// No effect but its result. Division may trap to Cranelift, but the
/// translator tests its divisor (zero, and -1 with the minimum) first
/// and never divides when it would.
fn pure(o: Opcode) -> bool {
    no_effect(o) || matches!(o, Opcode::Sdiv | Opcode::Udiv | Opcode::Srem | Opcode::Urem)
}

/// Bytes a load reads (`None` for what is no plain or extending load).
fn load_bytes(opcode: Opcode, ty: Type) -> Option<u32> {
    Some(match opcode {
        Opcode::Load => ty.bytes(),
        Opcode::Uload8 | Opcode::Sload8 => 1,
        Opcode::Uload16 | Opcode::Sload16 => 2,
        Opcode::Uload32 | Opcode::Sload32 => 4,
        _ => return None,
    })
}

fn path_index(l: &PathLoop, b: Block) -> usize {
    l.path.iter().position(|&x| x == b).unwrap_or(usize::MAX)
}

/// A block that stores `v` to the location and goes on to `to`.
fn store_then(func: &mut Function, p: &Promotion, v: Value, to: BlockCall) -> BlockCall {
    let b = func.dfg.make_block();
    let target = to.block(&func.dfg.value_lists);
    let args: Vec<BlockArg> = to.args(&func.dfg.value_lists).collect();
    func.layout.append_block(b);
    if func.layout.is_cold(target) {
        func.layout.set_cold(b);
    }
    let mut cur = FuncCursor::new(func).at_bottom(b);
    cur.ins().store(p.store_flags, v, p.base, p.offset);
    cur.ins().jump(target, &args);
    BlockCall::new(b, core::iter::empty(), &mut func.dfg.value_lists)
}

/// Keeps the location in a loop parameter (module docs).
pub(crate) fn promote(func: &mut Function, p: &Promotion) {
    let l = &p.l;
    let header = l.header;
    // The entry: hoisted instructions, then the load.
    let (pre, entry_vals) = entry_block(func, header, l.entry, &p.hoist);
    let x = func.dfg.append_block_param(header, p.ty);
    let mut args: Vec<BlockArg> = entry_vals.iter().map(|&v| BlockArg::Value(v)).collect();
    let mut cur = FuncCursor::new(func).at_bottom(pre);
    if p.early.is_empty() {
        let x0 = cur.ins().load(p.ty, p.load_flags, p.base, p.offset);
        args.push(BlockArg::Value(x0));
        cur.ins().jump(header, &args);
    } else {
        // An early exit will be taken: the first iteration leaves before
        // the location; enter without loading it.
        let mut leaves: Option<Value> = None;
        for e in &p.early {
            let cc = if e.when { IntCC::NotEqual } else { IntCC::Equal };
            let t = cur.ins().icmp_imm_s(cc, e.cond, 0);
            leaves = Some(match leaves {
                Some(a) => cur.ins().bor(a, t),
                None => t,
            });
        }
        let leaves = leaves.unwrap_or_else(|| cur.ins().iconst(I8, 0));
        let zero = if p.ty.is_int() {
            cur.ins().iconst(p.ty, 0)
        } else if p.ty.bits() == 32 {
            cur.ins().f32const(0.0)
        } else {
            cur.ins().f64const(0.0)
        };
        let load = cur.func.dfg.make_block();
        cur.func.layout.insert_block_after(load, pre);
        let mut unloaded = args.clone();
        unloaded.push(BlockArg::Value(zero));
        cur.ins().brif(leaves, header, &unloaded, load, &[]);
        cur.goto_bottom(load);
        let x0 = cur.ins().load(p.ty, p.load_flags, p.base, p.offset);
        args.push(BlockArg::Value(x0));
        cur.ins().jump(header, &args);
    }
    // The path: loads read the current value, stores set it, exits store it.
    let mut current = x;
    for (k, &b) in l.path.iter().enumerate() {
        let insts: Vec<Inst> = func.layout.block_insts(b).collect();
        for inst in insts {
            match func.dfg.insts[inst] {
                InstructionData::Store { opcode: Opcode::Store, args: [v, _], .. } => {
                    current = v;
                    func.layout.remove_inst(inst);
                }
                InstructionData::Load { opcode: Opcode::Load, arg, offset, .. }
                    if address(func, arg, offset)
                        .is_some_and(|(b, off)| off == p.offset && same_value(func, b, p.base, 4)) =>
                {
                    let r = func.dfg.first_result(inst);
                    let t = func.dfg.value_type(r);
                    if t == p.ty {
                        func.layout.remove_inst(inst);
                        func.dfg.clear_results(inst);
                        func.dfg.change_to_alias(r, current);
                    } else {
                        func.replace(inst).ireduce(t, current);
                    }
                }
                InstructionData::Brif { blocks: [t, f], .. } => {
                    let last = k + 1 == l.path.len();
                    let early = p.early.iter().any(|e| e.block == b);
                    let side = l.side.iter().find(|e| e.block == b).copied();
                    let (mut t, mut f) = (t, f);
                    if last {
                        // The latch: the back edge carries the value, the
                        // exit stores it.
                        let back_is_t = t.block(&func.dfg.value_lists) == header;
                        let (back, exit) = if back_is_t { (&mut t, &mut f) } else { (&mut f, &mut t) };
                        back.append_argument(current, &mut func.dfg.value_lists);
                        *exit = store_then(func, p, current, *exit);
                    } else if let (Some(e), false) = (side, early) {
                        let exit = if e.when { &mut t } else { &mut f };
                        *exit = store_then(func, p, current, *exit);
                    }
                    if let InstructionData::Brif { blocks, .. } = &mut func.dfg.insts[inst] {
                        *blocks = [t, f];
                    }
                }
                _ => {}
            }
        }
    }
}
