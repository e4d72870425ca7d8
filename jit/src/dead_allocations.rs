//! Removal of allocations whose objects nothing reads.
//!
//! A short-lived object in a loop body (`acc += new Obj(i).v`, `acc +=
//! new int[n].length`) costs a bump allocation, its header and zeroing
//! stores, and the collections it brings on, for a value the code
//! already has. C2 removes such objects by escape analysis and scalar
//! replacement; this is the part of that which needs no new deopt
//! state: an object that never leaves the compiled code and whose every
//! read can be answered without it.
//!
//! The translator records each inline allocation ([`AllocSite`]): the
//! fast path's bump and its header and zeroing stores, and the join
//! where the fast path's reference meets the slow path's (the object the
//! `new` helper made). The join's parameter `P` is the object on both
//! paths. It does not escape when every use of `P` is an address
//! (`iadd base, uextend P`) that only loads and stores use, and no store
//! writes a value derived from `P`: a call argument, a spill to the
//! frame (every safepoint and slow path spills what is live), a
//! comparison or a branch argument is an escape. Then each load of it is
//! answered without memory:
//! - a header load: the layout id, or an array's length (the count the
//!   allocation was asked for, on either path);
//! - a field load: zero when nothing stores to its bytes, else the value
//!   of the one store to exactly its bytes if that store dominates it.
//!   The store runs after `P`'s latest definition on every path to the
//!   load (the join dominates the store, which uses `P`), so it wrote
//!   this object, and nothing else writes to it.
//!
//! With every load answered, the stores to the object are dead, and so
//! is the fast path's allocation: its bump is gone and its branch to the
//! slow path becomes a jump. An array's slow path stays for the counts
//! the fast path does not take (too long, or negative: the helper throws
//! there as before). What dies with them ([`sweep`]) goes once Cranelift
//! has dropped the blocks nothing reaches now.

use alloc::vec;
use alloc::vec::Vec;
use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::immediates::{Ieee32, Ieee64};
use cranelift_codegen::ir::types::{F32, F64, I32, I64, I8};
use cranelift_codegen::ir::{
    Block, BlockArg, BlockCall, Function, Inst, InstBuilder, InstructionData, Opcode, Type, Value, ValueDef,
};
use pd_jvm::runtime::compiler::layout;

use crate::iconst_value;
use crate::single_path_loops::no_effect;

/// One inline allocation, as the translator made it.
pub(crate) struct AllocSite {
    /// The branch to the slow path when the heap's space is short.
    pub check: Inst,
    /// The fast path's first block (the branch's other target).
    pub fast: Block,
    /// The fast path's stores: the new heap top, the header, the zeroing
    /// of an instance.
    pub init: Vec<Inst>,
    /// The fast path's reference.
    pub fast_ref: Value,
    /// Where the fast and slow paths meet.
    pub join: Block,
    /// The object's layout id (its header's first word).
    pub layout: u32,
    pub array: Option<ArrayAlloc>,
}

/// What an array allocation adds.
pub(crate) struct ArrayAlloc {
    /// The element count (a non-negative `int` on the fast path).
    pub length: Value,
    /// The branch into the loop that zeroes the elements.
    pub zeroing: Inst,
    /// The block after that loop.
    pub zeroed: Block,
}

/// A load or store of the object: its instruction, the offset and size
/// of the bytes, and the value a store writes.
struct Access {
    inst: Inst,
    offset: i32,
    size: u32,
    stored: Option<Value>,
}

/// What answers a load.
enum Answer {
    Const(Type, i64),
    Value(Value),
}

/// Drops the null checks of the objects of `sites`: an allocation's
/// result is never null (the fast path's is an offset past the heap's
/// start, the slow path's helper returns an object or leaves). A check
/// that javac's `astore` hid from the translator (`Obj o = new Obj();
/// o.f`) passes the object to its exception path, which would make it
/// escape. Returns whether a branch became a jump (then blocks may have
/// become unreachable).
pub(crate) fn remove_null_checks(func: &mut Function, sites: &[AllocSite]) -> bool {
    let uses = Uses::of(func);
    let mut folded = false;
    for site in sites {
        let Some((param, _)) = join_param(func, &uses, site) else { continue };
        for &test in uses.of_value(param) {
            let InstructionData::IntCompare { opcode: Opcode::Icmp, cond, args } = func.dfg.insts[test] else {
                continue;
            };
            let null_is = match cond {
                IntCC::Equal => true,
                IntCC::NotEqual => false,
                _ => continue,
            };
            if func.dfg.resolve_aliases(args[0]) != param || iconst_value(func, args[1]) != Some(0) {
                continue;
            }
            let result = func.dfg.first_result(test);
            for &br in uses.of_value(result) {
                let InstructionData::Brif { arg, blocks, .. } = func.dfg.insts[br] else { continue };
                if func.dfg.resolve_aliases(arg) != result {
                    continue;
                }
                // The test is false for `eq 0`: the else branch.
                let to = blocks[usize::from(null_is)];
                let block = to.block(&func.dfg.value_lists);
                let args: Vec<BlockArg> = to.args(&func.dfg.value_lists).collect();
                func.replace(br).jump(block, &args);
                folded = true;
            }
            func.replace(test).iconst(I8, i64::from(!null_is));
        }
    }
    folded
}

/// The join's parameter the fast path passes its reference in: the
/// object on both paths.
fn join_param(func: &Function, uses: &Uses, site: &AllocSite) -> Option<(Value, usize)> {
    let dfg = &func.dfg;
    func.layout.inst_block(site.check)?;
    let [jump] = uses.of_value(site.fast_ref) else { return None };
    let mut index = None;
    for call in dfg.insts[*jump].branch_destination(&dfg.jump_tables, &dfg.exception_tables) {
        if call.block(&dfg.value_lists) != site.join {
            continue;
        }
        for (i, a) in call.args(&dfg.value_lists).enumerate() {
            if a.as_value().map(|v| dfg.resolve_aliases(v)) == Some(site.fast_ref) {
                if index.is_some() {
                    return None;
                }
                index = Some(i);
            }
        }
    }
    let index = index?;
    Some((*dfg.block_params(site.join).get(index)?, index))
}

/// Removes the allocations of `sites` whose objects do not escape and
/// whose loads can all be answered. Returns how many; what they leave
/// unused goes by [`sweep`] once unreachable blocks are gone.
///
/// `domtree` may be stale by the removed sites' edits: they only remove
/// edges (a branch to a slow path), which keeps every dominance it
/// states, and instructions of other objects.
pub(crate) fn remove_dead_allocations(func: &mut Function, domtree: &DominatorTree, sites: &[AllocSite]) -> usize {
    let uses = Uses::of(func);
    let mut removed = 0;
    for site in sites {
        let Some(plan) = plan(func, domtree, &uses, site) else { continue };
        apply(func, site, plan);
        removed += 1;
    }
    removed
}

/// What removing one allocation changes.
struct Plan {
    param: Value,
    param_index: usize,
    answers: Vec<(Inst, Answer)>,
    stores: Vec<Inst>,
    addresses: Vec<Inst>,
}

fn plan(func: &Function, domtree: &DominatorTree, uses: &Uses, site: &AllocSite) -> Option<Plan> {
    let dfg = &func.dfg;
    let (param, param_index) = join_param(func, uses, site)?;

    // Every use of P: `uextend`, then `iadd`, then loads and stores.
    let (mut addresses, mut accesses, mut derived) = (Vec::new(), Vec::new(), Vec::new());
    derived.push(param);
    for &ext in uses.of_value(param) {
        match dfg.insts[ext] {
            InstructionData::Unary { opcode: Opcode::Uextend, .. } => {}
            _ => return None,
        }
        let wide = dfg.first_result(ext);
        addresses.push(ext);
        derived.push(wide);
        for &add in uses.of_value(wide) {
            match dfg.insts[add] {
                InstructionData::Binary { opcode: Opcode::Iadd, args } if (args[0] == wide) != (args[1] == wide) => {}
                _ => return None,
            }
            let addr = dfg.first_result(add);
            addresses.push(add);
            derived.push(addr);
            for &m in uses.of_value(addr) {
                accesses.push(access(func, m, addr)?);
            }
        }
    }
    if accesses.iter().any(|a| a.stored.is_some_and(|v| derived.contains(&dfg.resolve_aliases(v)))) {
        return None;
    }

    let header = if site.array.is_some() { layout::ARRAY_HEADER } else { layout::INSTANCE_HEADER };
    let overlaps = |a: &Access, b: &Access| a.offset < b.offset + b.size as i32 && b.offset < a.offset + a.size as i32;
    let mut answers = Vec::new();
    let mut stores = Vec::new();
    for a in &accesses {
        if a.offset < header {
            // The header: read (layout id, array length), never written.
            let ty = load_type(func, a.inst)?;
            let full = dfg.insts[a.inst].opcode() == Opcode::Load;
            let answer = match (&site.array, a.offset, ty) {
                _ if a.stored.is_some() || !full => return None,
                (_, 0, I32 | I64) => Answer::Const(ty, i64::from(site.layout)),
                (Some(arr), layout::ARRAY_LENGTH, I32) => Answer::Value(arr.length),
                _ => return None,
            };
            answers.push((a.inst, answer));
            continue;
        }
        if a.stored.is_some() {
            stores.push(a.inst);
            continue;
        }
        let ty = load_type(func, a.inst)?;
        let mut writers = accesses.iter().filter(|s| s.stored.is_some() && overlaps(s, a));
        let answer = match (writers.next(), writers.next()) {
            (None, _) => Answer::Const(ty, 0),
            (Some(s), None)
                if s.offset == a.offset
                    && s.size == a.size
                    && dfg.insts[a.inst].opcode() == Opcode::Load
                    && dfg.insts[s.inst].opcode() == Opcode::Store
                    && dfg.value_type(s.stored?) == ty
                    && domtree.dominates(s.inst, a.inst, &func.layout) =>
            {
                Answer::Value(s.stored?)
            }
            _ => return None,
        };
        answers.push((a.inst, answer));
    }
    Some(Plan { param, param_index, answers, stores, addresses })
}

/// `m` as a load from, or a store to, `addr` (not of it).
fn access(func: &Function, m: Inst, addr: Value) -> Option<Access> {
    let dfg = &func.dfg;
    let (offset, size, stored) = match dfg.insts[m] {
        InstructionData::Load { opcode, arg, offset, .. } if dfg.resolve_aliases(arg) == addr => {
            let size = match opcode {
                Opcode::Load => dfg.value_type(dfg.first_result(m)).bytes(),
                Opcode::Uload8 | Opcode::Sload8 => 1,
                Opcode::Uload16 | Opcode::Sload16 => 2,
                Opcode::Uload32 | Opcode::Sload32 => 4,
                _ => return None,
            };
            (offset, size, None)
        }
        InstructionData::Store { opcode, args, offset, .. } if dfg.resolve_aliases(args[1]) == addr => {
            let v = dfg.resolve_aliases(args[0]);
            if v == addr {
                return None;
            }
            let size = match opcode {
                Opcode::Store => dfg.value_type(v).bytes(),
                Opcode::Istore8 => 1,
                Opcode::Istore16 => 2,
                Opcode::Istore32 => 4,
                _ => return None,
            };
            (offset, size, Some(v))
        }
        _ => return None,
    };
    Some(Access { inst: m, offset: offset.into(), size, stored })
}

fn load_type(func: &Function, load: Inst) -> Option<Type> {
    func.dfg.inst_results(load).first().map(|&r| func.dfg.value_type(r))
}

fn apply(func: &mut Function, site: &AllocSite, plan: Plan) {
    for (load, answer) in plan.answers {
        match answer {
            Answer::Const(F32, 0) => {
                func.replace(load).f32const(Ieee32::with_bits(0));
            }
            Answer::Const(F64, 0) => {
                func.replace(load).f64const(Ieee64::with_bits(0));
            }
            Answer::Const(ty, c) => {
                func.replace(load).iconst(ty, c);
            }
            Answer::Value(v) => {
                let r = func.dfg.first_result(load);
                func.layout.remove_inst(load);
                func.dfg.clear_results(load);
                func.dfg.change_to_alias(r, v);
            }
        }
    }
    for &i in plan.stores.iter().chain(&plan.addresses).chain(&site.init) {
        func.layout.remove_inst(i);
    }
    // The join loses P, and each edge into it P's argument.
    for block in func.layout.blocks().collect::<Vec<_>>() {
        let Some(br) = func.layout.last_inst(block) else { continue };
        let dfg = &mut func.dfg;
        for call in dfg.insts[br].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables) {
            if call.block(&dfg.value_lists) != site.join {
                continue;
            }
            let args: Vec<BlockArg> = call
                .args(&dfg.value_lists)
                .enumerate()
                .filter(|&(i, _)| i != plan.param_index)
                .map(|(_, a)| a)
                .collect();
            *call = BlockCall::new(site.join, args, &mut dfg.value_lists);
        }
    }
    func.dfg.remove_block_param(plan.param);
    // No allocation: the fast path need not check the space, nor zero.
    func.replace(site.check).jump(site.fast, &[]);
    if let Some(arr) = &site.array {
        func.replace(arr.zeroing).jump(arr.zeroed, &[]);
    }
}

/// Removes the instructions whose results nothing uses and which do
/// nothing else (loads that cannot trap included), then what only they
/// used, and so on: what a removed allocation leaves (its bump's loads
/// and arithmetic, its address). Cranelift's egraph would drop only the
/// pure ones, and only in optimized code.
pub(crate) fn sweep(func: &mut Function) {
    // Uses per value (every compile runs this: counted in place, no sort).
    let mut count: Vec<u32> = vec![0; func.dfg.num_values()];
    let mut work: Vec<Inst> = Vec::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            for v in func.dfg.inst_values(inst) {
                count[func.dfg.resolve_aliases(v).as_u32() as usize] += 1;
            }
            work.push(inst);
        }
    }
    // Last first: an unused result's operands are then seen after it.
    while let Some(inst) = work.pop() {
        if func.layout.inst_block(inst).is_none() || !removable(func, inst) {
            continue;
        }
        if func.dfg.inst_results(inst).iter().any(|r| count[r.as_u32() as usize] > 0) {
            continue;
        }
        for v in func.dfg.inst_values(inst) {
            let v = func.dfg.resolve_aliases(v);
            count[v.as_u32() as usize] -= 1;
            if let ValueDef::Result(def, _) = func.dfg.value_def(v) {
                work.push(def);
            }
        }
        func.layout.remove_inst(inst);
    }
}

fn removable(func: &Function, inst: Inst) -> bool {
    match func.dfg.insts[inst] {
        InstructionData::Load { opcode: Opcode::Load, flags, .. } => func.dfg.mem_flags[flags].notrap(),
        ref d => no_effect(d.opcode()) && !d.opcode().is_branch() && !d.opcode().is_terminator(),
    }
}

/// Every use of every value in the layout, sorted by value (aliases
/// resolved; a user appears once per operand).
struct Uses {
    values: Vec<Value>,
    users: Vec<Inst>,
}

impl Uses {
    fn of(func: &Function) -> Uses {
        let mut pairs = Vec::new();
        for block in func.layout.blocks() {
            for inst in func.layout.block_insts(block) {
                pairs.extend(func.dfg.inst_values(inst).map(|v| (func.dfg.resolve_aliases(v), inst)));
            }
        }
        pairs.sort_unstable_by_key(|p| p.0);
        Uses { values: pairs.iter().map(|p| p.0).collect(), users: pairs.iter().map(|p| p.1).collect() }
    }

    fn of_value(&self, v: Value) -> &[Inst] {
        let lo = self.values.partition_point(|&x| x < v);
        let hi = self.values.partition_point(|&x| x <= v);
        &self.users[lo..hi]
    }
}
