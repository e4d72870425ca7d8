//! Removal of branches whose outcome a dominating branch decided.
//!
//! Every check the translator emits (null, bounds, class) is a compare
//! and a branch. It drops a second null check of a reference only while
//! it stays in the straight chain of blocks of the first
//! (`Tr::nn_values`); after a join, or in the blocks of an inlined
//! callee, it checks again: a packet taken from a queue was tested for
//! null four times between `Queue.dequeue`'s cast and `Batch.dequeueAll`'s
//! next field access, all inlined into one loop. Cranelift folds none of
//! these (its GVN merges the compares, not the branches).
//!
//! So after translation: a block whose only predecessor ends in `brif c,
//! T, F` (`T != F`) learns whether `c` held, and so does every block it
//! dominates (`c` is an SSA value and that edge is the only way in). A
//! `brif` on a condition known where it stands becomes a jump. Conditions
//! are compared by what they test: the same value, or an `icmp` of the
//! same operands, constants by value (`icmp eq x, 0` twice are one
//! condition; `icmp ne x, 0` is its complement). A branch on a value that
//! is no compare tests it against zero.
//!
//! A join can be decided too, edge by edge: an inlined `dequeue` returns
//! `null` on one path and a packet its cast checked on the other, and the
//! caller's `if (p == null)` tests the join's parameter. Where every edge
//! into such a join (a block with parameters, then nothing but compares
//! and a `brif` on one, through blocks with one way in) is a `jump` whose
//! arguments decide the test (a constant, or a value the facts at the
//! jump decide), each jump goes straight to the side it would take
//! ([`thread_decided_joins`]). A parameter used past the join becomes the
//! one value that reaches its uses.
//!
//! What the jumps leave unreachable Cranelift removes before lowering.

use alloc::vec::Vec;
use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::entity::packed_option::PackedOption;
use cranelift_codegen::entity::{EntityRef, SecondaryMap};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::{CondCode, IntCC};
use cranelift_codegen::ir::{Block, BlockArg, BlockCall, Function, Inst, InstructionData, Opcode, Value, ValueDef};

/// An operand of a condition: a value, or a constant by its bits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Operand {
    Value(Value),
    Const(i64),
}

/// `a cc b`.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Cond {
    cc: IntCC,
    a: Operand,
    b: Operand,
}

fn operand(func: &Function, v: Value) -> Operand {
    match crate::iconst_value(func, v) {
        Some(k) => Operand::Const(k),
        None => Operand::Value(func.dfg.resolve_aliases(v)),
    }
}

/// What `brif v` tests: `v`'s compare, or `v != 0`.
fn cond_of(func: &Function, v: Value) -> Cond {
    let v = func.dfg.resolve_aliases(v);
    if let ValueDef::Result(inst, _) = func.dfg.value_def(v) {
        if let InstructionData::IntCompare { opcode: Opcode::Icmp, cond, args } = func.dfg.insts[inst] {
            return Cond { cc: cond, a: operand(func, args[0]), b: operand(func, args[1]) };
        }
    }
    Cond { cc: IntCC::NotEqual, a: Operand::Value(v), b: Operand::Const(0) }
}

/// Whether `c` is known to hold (or not) from `facts`.
fn known(facts: &[(Cond, bool)], c: Cond) -> Option<bool> {
    let not = Cond { cc: c.cc.complement(), ..c };
    facts.iter().rev().find_map(|&(f, holds)| {
        if f == c {
            Some(holds)
        } else if f == not {
            Some(!holds)
        } else {
            None
        }
    })
}

/// The work lists, kept between compilations (their memory).
#[derive(Default)]
pub struct Scratch {
    facts: Vec<(Cond, bool)>,
    stack: Vec<(Block, usize)>,
    /// Jumps into a join whose test they decide: (join, jump, outcome).
    decided: Vec<(Block, Inst, bool)>,
    /// Per join, how many of its edges [`decided`](Self::decided) has.
    decided_edges: SecondaryMap<Block, u32>,
    /// The joins whose every edge is decided: each one's test, and its
    /// place there plus one per parameter (0: none), and its join per
    /// block of its chain.
    joins: Vec<JoinTest>,
    param_of: SecondaryMap<Value, u32>,
    chain_of: SecondaryMap<Block, PackedOption<Block>>,
    /// Where each such parameter is used past its chain: 0 nowhere, 1 on
    /// the true side (in blocks it dominates), 2 on the false side, 3
    /// elsewhere or on both.
    side: SecondaryMap<Value, u8>,
    /// Joins with a value defined in their chain and used past it.
    kept: SecondaryMap<Block, bool>,
}

/// A join that tests its parameters ([`join_test`]).
#[derive(Clone)]
struct JoinTest {
    join: Block,
    chain: [Option<Block>; 4],
    brif: Inst,
    /// The `brif`'s sides.
    t: Block,
    f: Block,
    /// Its jumps in `Scratch::decided` (sorted by join).
    edges: core::ops::Range<usize>,
}

/// `o` with the join's parameters replaced by the jump's arguments.
fn subst(func: &Function, o: Operand, params: &[Value], args: &[Value]) -> Operand {
    match o {
        Operand::Value(v) => match params.iter().position(|&p| p == v) {
            Some(i) => operand(func, args[i]),
            None => o,
        },
        c => c,
    }
}

/// `a cc b` for two constants, where the answer does not depend on their
/// width (equality).
fn fold(c: Cond) -> Option<bool> {
    match (c.a, c.b, c.cc) {
        (Operand::Const(a), Operand::Const(b), IntCC::Equal) => Some(a == b),
        (Operand::Const(a), Operand::Const(b), IntCC::NotEqual) => Some(a != b),
        _ => None,
    }
}

/// If `j` is a join that tests its parameters: `j(params): [jump k; k:]
/// ... brif c, T, F` where every instruction before the `brif` is a
/// constant or a compare, the chain's later blocks (at most four in all)
/// have one way in and no parameters, and neither side is in the chain.
fn join_test(func: &Function, cfg: &ControlFlowGraph, j: Block) -> Option<JoinTest> {
    if func.dfg.num_block_params(j) == 0 || Some(j) == func.layout.entry_block() {
        return None;
    }
    let mut chain = [None; 4];
    let mut b = j;
    for slot in chain.iter_mut() {
        *slot = Some(b);
        let last = func.layout.last_inst(b)?;
        for inst in func.layout.block_insts(b) {
            if inst != last && !matches!(func.dfg.insts[inst].opcode(), Opcode::Iconst | Opcode::Icmp) {
                return None;
            }
        }
        match func.dfg.insts[last] {
            InstructionData::Brif { blocks, .. } => {
                let pool = &func.dfg.value_lists;
                let (t, f) = (blocks[0].block(pool), blocks[1].block(pool));
                // The jumps take the brif's arguments along: none may be
                // defined in the chain.
                let in_chain = |a: BlockArg| match a.as_value().map(|v| func.dfg.value_def(func.dfg.resolve_aliases(v)))
                {
                    Some(ValueDef::Result(def, _)) => chain.contains(&func.layout.inst_block(def)),
                    _ => false,
                };
                let args_outside = blocks.iter().all(|call| !call.args(pool).any(in_chain));
                let exits = t != f && !chain.contains(&Some(t)) && !chain.contains(&Some(f));
                return (exits && args_outside).then_some(JoinTest { join: j, chain, brif: last, t, f, edges: 0..0 });
            }
            InstructionData::Jump { destination, .. } => {
                let next = destination.block(&func.dfg.value_lists);
                let mut preds = cfg.pred_iter(next);
                let one_way_in = preds.next().is_some() && preds.next().is_none();
                if !one_way_in || destination.len(&func.dfg.value_lists) != 0 || func.dfg.num_block_params(next) != 0 {
                    return None;
                }
                b = next;
            }
            _ => return None,
        }
    }
    None
}

/// At the `jump` ending the current block: if it enters a join whose test
/// the jump's arguments and `facts` decide, notes the outcome.
fn note_decided_jump(
    func: &Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    block: Block,
    scratch: &mut Scratch,
) {
    let Some(last) = func.layout.last_inst(block) else { return };
    let InstructionData::Jump { destination, .. } = func.dfg.insts[last] else { return };
    let j = destination.block(&func.dfg.value_lists);
    // A loop's header stays one.
    if domtree.block_dominates(j, block) {
        return;
    }
    let Some(test) = join_test(func, cfg, j) else { return };
    let InstructionData::Brif { arg, .. } = func.dfg.insts[test.brif] else { return };
    let mut args = [Value::new(0); 8];
    let params = func.dfg.block_params(j);
    if params.len() > args.len() {
        return;
    }
    for (k, a) in destination.args(&func.dfg.value_lists).enumerate() {
        match a.as_value() {
            Some(v) => args[k] = v,
            None => return,
        }
    }
    let c = cond_of(func, arg);
    let c = Cond { cc: c.cc, a: subst(func, c.a, params, &args), b: subst(func, c.b, params, &args) };
    if let Some(holds) = fold(c).or_else(|| known(&scratch.facts, c)) {
        scratch.decided.push((j, last, holds));
        scratch.decided_edges[j] += 1;
    }
}

/// Sends every decided jump into a join whose every edge is decided
/// straight to the side it takes (module doc). A join's parameter used
/// past it must reach its uses from one edge: the uses lie where one
/// side dominates, that side has no other way in, and one jump goes
/// there; the parameter becomes that jump's argument. Returns how many
/// joins it bypassed.
fn thread_decided_joins(
    func: &mut Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    scratch: &mut Scratch,
) -> usize {
    let Scratch { decided, decided_edges, joins, param_of, chain_of, side, kept, .. } = scratch;
    decided.sort_unstable_by_key(|d| d.0);
    joins.clear();
    let mut start = 0;
    for group in decided.chunk_by(|a, b| a.0 == b.0) {
        let (j, edges) = (group[0].0, start..start + group.len());
        start = edges.end;
        if decided_edges[j] as usize != cfg.pred_iter(j).count() {
            continue;
        }
        let Some(test) = join_test(func, cfg, j) else { continue };
        for &p in func.dfg.block_params(j) {
            param_of[p] = joins.len() as u32 + 1;
        }
        for b in test.chain.into_iter().flatten() {
            chain_of[b] = j.into();
        }
        joins.push(JoinTest { edges, ..test });
    }
    let mut threaded = 0;
    if !joins.is_empty() {
        // Where the parameters and the chains' values are used.
        for block in func.layout.blocks() {
            for inst in func.layout.block_insts(block) {
                for v in func.dfg.inst_values(inst) {
                    let v = func.dfg.resolve_aliases(v);
                    // A compare or constant of a chain used past it would
                    // lose its definition with the join.
                    if let ValueDef::Result(def, _) = func.dfg.value_def(v) {
                        let j = func.layout.inst_block(def).and_then(|b| chain_of[b].expand());
                        if let Some(j) = j.filter(|&j| chain_of[block] != j.into()) {
                            kept[j] = true;
                        }
                    }
                    let Some(test) = param_of[v].checked_sub(1).map(|k| &joins[k as usize]) else { continue };
                    if chain_of[block] == test.join.into() {
                        continue;
                    }
                    side[v] |= if domtree.block_dominates(test.t, block) {
                        1
                    } else if domtree.block_dominates(test.f, block) {
                        2
                    } else {
                        3
                    };
                }
            }
        }
        for test in joins.iter() {
            if !kept[test.join] && bypass(func, cfg, test, &decided[test.edges.clone()], side) {
                threaded += 1;
            }
        }
    }
    // (A bypassed join has lost its parameters: clear, not reset by join.)
    param_of.clear();
    side.clear();
    chain_of.clear();
    kept.clear();
    decided_edges.clear();
    decided.clear();
    threaded
}

/// Bypasses `test`'s join along its decided jumps `group` (all its edges),
/// if each parameter used past it gets its value from one of them.
fn bypass(
    func: &mut Function,
    cfg: &ControlFlowGraph,
    test: &JoinTest,
    group: &[(Block, Inst, bool)],
    side: &SecondaryMap<Value, u8>,
) -> bool {
    let InstructionData::Brif { blocks, .. } = func.dfg.insts[test.brif] else { return false };
    let params: Vec<Value> = func.dfg.block_params(test.join).to_vec();
    // Each used parameter: the one jump that reaches its uses.
    let mut from: Vec<Option<Inst>> = Vec::with_capacity(params.len());
    for &p in &params {
        let to_true = match side[p] {
            0 => {
                from.push(None);
                continue;
            }
            1 => true,
            2 => false,
            _ => return false,
        };
        // The side must have no other way in, or paths from the other
        // jumps could reach the uses around the one.
        if cfg.pred_iter(if to_true { test.t } else { test.f }).count() != 1 {
            return false;
        }
        let mut to_side = group.iter().filter(|d| d.2 == to_true);
        match (to_side.next(), to_side.next()) {
            (Some(d), None) => from.push(Some(d.1)),
            _ => return false,
        }
    }
    // The parameters' values along each edge, then the new jumps.
    let mut aliases: Vec<(Value, Value)> = Vec::new();
    let mut new_args: Vec<BlockArg> = Vec::new();
    for &(_, jump, holds) in group {
        let InstructionData::Jump { destination, .. } = func.dfg.insts[jump] else { continue };
        let args: Vec<Value> = destination.args(&func.dfg.value_lists).filter_map(|a| a.as_value()).collect();
        for (k, &p) in params.iter().enumerate() {
            if from[k] == Some(jump) {
                aliases.push((p, args[k]));
            }
        }
        let target = blocks[if holds { 0 } else { 1 }];
        new_args.clear();
        new_args.extend(target.args(&func.dfg.value_lists).map(|a| match a.as_value() {
            Some(v) => match params.iter().position(|&p| p == func.dfg.resolve_aliases(v)) {
                Some(k) => BlockArg::Value(args[k]),
                None => a,
            },
            None => a,
        }));
        let to = target.block(&func.dfg.value_lists);
        let destination = BlockCall::new(to, new_args.drain(..), &mut func.dfg.value_lists);
        func.dfg.insts[jump] = InstructionData::Jump { opcode: Opcode::Jump, destination };
    }
    // Nothing jumps to the join now: its parameters can go.
    for &(p, x) in aliases.iter().rev() {
        func.dfg.remove_block_param(p);
        func.dfg.change_to_alias(p, x);
    }
    true
}

/// Replaces each `brif` whose condition a dominating branch decided with
/// a jump to the side it takes, and bypasses the joins whose every edge
/// decides their test. Returns how many branches it replaced and joins
/// it bypassed. `cfg` and `domtree` are `func`'s, with its unreachable
/// blocks removed (an edge from one would make a join of a block with
/// one way in).
pub fn remove_dominated_branches(
    func: &mut Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    scratch: &mut Scratch,
) -> usize {
    let Some(entry) = func.layout.entry_block() else { return 0 };
    scratch.facts.clear();
    scratch.stack.clear();
    scratch.stack.push((entry, 0));
    let mut replaced = 0;
    // Depth first over the dominator tree: (block, facts inherited).
    while let Some((block, depth)) = scratch.stack.pop() {
        scratch.facts.truncate(depth);
        // The edge in, if it is the only one.
        let mut preds = cfg.pred_iter(block);
        if let (Some(p), None) = (preds.next(), preds.next()) {
            if let InstructionData::Brif { arg, blocks, .. } = func.dfg.insts[p.inst] {
                let (t, f) = (blocks[0].block(&func.dfg.value_lists), blocks[1].block(&func.dfg.value_lists));
                if t != f {
                    scratch.facts.push((cond_of(func, arg), block == t));
                }
            }
        }
        if let Some(last) = func.layout.last_inst(block) {
            if let InstructionData::Brif { arg, blocks, .. } = func.dfg.insts[last] {
                if let Some(holds) = known(&scratch.facts, cond_of(func, arg)) {
                    let destination = if holds { blocks[0] } else { blocks[1] };
                    func.dfg.insts[last] = InstructionData::Jump { opcode: Opcode::Jump, destination };
                    replaced += 1;
                }
            }
        }
        note_decided_jump(func, cfg, domtree, block, scratch);
        let depth = scratch.facts.len();
        for child in domtree.children(block) {
            scratch.stack.push((child, depth));
        }
    }
    replaced + thread_decided_joins(func, cfg, domtree, scratch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_codegen::ir::{types::I32, InstBuilder};
    use cranelift_codegen::settings;
    use cranelift_codegen::verifier::verify_function;

    /// `x` null-checked on entry, again after a join the check dominates
    /// (a fresh `icmp eq x, 0`: folded), then tested the other way round
    /// (`icmp ne x, 0`: folded); `y`, tested on both edges into the join
    /// with opposite outcomes (the second test folded too), is tested
    /// again after it: kept.
    #[test]
    fn checks_a_dominating_branch_decided_become_jumps() {
        let mut func = crate::test_support::two_int_function();
        let mut ctx = cranelift_frontend::FunctionBuilderContext::new();
        let mut b = cranelift_frontend::FunctionBuilder::new(&mut func, &mut ctx);
        let blocks: Vec<Block> = (0..9).map(|_| b.create_block()).collect();
        let [entry, null1, ok1, ya, join, null2, ok2, t3, f3] = blocks[..] else { unreachable!() };
        b.append_block_params_for_function_params(entry);
        let ret = |b: &mut cranelift_frontend::FunctionBuilder, k: i64| {
            let v = b.ins().iconst(I32, k);
            b.ins().return_(&[v]);
        };

        b.switch_to_block(entry);
        let (x, y) = (b.block_params(entry)[0], b.block_params(entry)[1]);
        let z = b.ins().iconst(I32, 0);
        let c1 = b.ins().icmp(IntCC::Equal, x, z);
        b.ins().brif(c1, null1, &[], ok1, &[]);
        b.switch_to_block(null1);
        ret(&mut b, 1);
        b.switch_to_block(ok1);
        // Into the join with y == 0 from here, y != 0 from ya.
        b.ins().brif(y, ya, &[], join, &[]);
        b.switch_to_block(ya);
        let cy = b.ins().icmp(IntCC::NotEqual, y, z);
        b.ins().brif(cy, join, &[], null1, &[]);
        b.switch_to_block(join);
        let z2 = b.ins().iconst(I32, 0);
        let c2 = b.ins().icmp(IntCC::Equal, x, z2);
        b.ins().brif(c2, null2, &[], ok2, &[]);
        b.switch_to_block(null2);
        ret(&mut b, 2);
        b.switch_to_block(ok2);
        let c3 = b.ins().icmp(IntCC::NotEqual, x, z);
        b.ins().brif(c3, t3, &[], f3, &[]);
        b.switch_to_block(f3);
        ret(&mut b, 3);
        b.switch_to_block(t3);
        let again = b.ins().icmp(IntCC::NotEqual, y, z);
        let (k4, k5) = (b.create_block(), b.create_block());
        b.ins().brif(again, k4, &[], k5, &[]);
        b.switch_to_block(k4);
        ret(&mut b, 4);
        b.switch_to_block(k5);
        ret(&mut b, 5);
        b.seal_all_blocks();
        b.finalize(crate::test_support::frontend_config());

        let mut scratch = Scratch::default();
        let (mut cfg, mut domtree) = (ControlFlowGraph::new(), DominatorTree::new());
        cfg.compute(&func);
        domtree.compute(&func, &cfg);
        assert_eq!(remove_dominated_branches(&mut func, &cfg, &domtree, &mut scratch), 3, "{}", func.display());
        verify_function(&func, &settings::Flags::new(settings::builder())).unwrap();
        let jumps_to = |blk: Block| match func.dfg.insts[func.layout.last_inst(blk).unwrap()] {
            InstructionData::Jump { destination, .. } => Some(destination.block(&func.dfg.value_lists)),
            _ => None,
        };
        // ya's test repeats the one that led there.
        assert_eq!(jumps_to(ya), Some(join), "{}", func.display());
        assert_eq!(jumps_to(join), Some(ok2), "{}", func.display());
        assert_eq!(jumps_to(ok2), Some(t3), "{}", func.display());
        assert_eq!(jumps_to(t3), None, "y's second test stays: {}", func.display());
        cfg.compute(&func);
        domtree.compute(&func, &cfg);
        assert_eq!(remove_dominated_branches(&mut func, &cfg, &domtree, &mut scratch), 0);
    }

    /// An inlined `dequeue`'s shape: 0 (`empty`), or `x` once checked not
    /// null (`via`), into a join that tests its parameter; `some` uses
    /// it. `brif_edge`: `got`'s brif enters the join itself, not through
    /// `via`; `second_way_in`: `none` jumps on to `some` (which the join
    /// still dominates, so `some` may use the parameter).
    fn join_function(brif_edge: bool, second_way_in: bool) -> (Function, [Block; 8]) {
        let mut func = crate::test_support::two_int_function();
        let mut ctx = cranelift_frontend::FunctionBuilderContext::new();
        let mut b = cranelift_frontend::FunctionBuilder::new(&mut func, &mut ctx);
        let blocks: [Block; 8] = core::array::from_fn(|_| b.create_block());
        let [entry, empty, got, via, null, join, some, none] = blocks;
        b.append_block_params_for_function_params(entry);
        let p = b.append_block_param(join, I32);

        b.switch_to_block(entry);
        let (x, y) = (b.block_params(entry)[0], b.block_params(entry)[1]);
        b.ins().brif(y, got, &[], empty, &[]);
        b.switch_to_block(empty);
        let zero = b.ins().iconst(I32, 0);
        b.ins().jump(join, &[zero.into()]);
        b.switch_to_block(got);
        let isnull = b.ins().icmp_imm_s(IntCC::Equal, x, 0);
        if brif_edge {
            b.ins().brif(isnull, null, &[], join, &[x.into()]);
        } else {
            b.ins().brif(isnull, null, &[], via, &[]);
        }
        b.switch_to_block(via);
        b.ins().jump(join, &[x.into()]);
        b.switch_to_block(null);
        let k = b.ins().iconst(I32, 7);
        b.ins().return_(&[k]);
        b.switch_to_block(join);
        let nonnull = b.ins().icmp_imm_s(IntCC::NotEqual, p, 0);
        b.ins().brif(nonnull, some, &[], none, &[]);
        b.switch_to_block(some);
        b.ins().return_(&[p]);
        b.switch_to_block(none);
        if second_way_in {
            b.ins().jump(some, &[]);
        } else {
            let k = b.ins().iconst(I32, 3);
            b.ins().return_(&[k]);
        }
        b.seal_all_blocks();
        b.finalize(crate::test_support::frontend_config());
        (func, blocks)
    }

    /// The pass over `func`, with unreachable blocks removed first (as
    /// `Jit` does).
    fn run_pass(func: &mut Function) -> usize {
        let mut ctx = cranelift_codegen::Context::for_function(core::mem::replace(func, Function::new()));
        ctx.compute_cfg();
        ctx.compute_domtree();
        ctx.eliminate_unreachable_code(&settings::Flags::new(settings::builder())).unwrap();
        let n = remove_dominated_branches(&mut ctx.func, &ctx.cfg, &ctx.domtree, &mut Scratch::default());
        *func = ctx.func;
        n
    }

    fn jumps_to(func: &Function, blk: Block) -> Option<Block> {
        match func.dfg.insts[func.layout.last_inst(blk).unwrap()] {
            InstructionData::Jump { destination, .. } => Some(destination.block(&func.dfg.value_lists)),
            _ => None,
        }
    }

    /// The non-null edge goes straight to `some`, whose use of the
    /// parameter becomes `x`; the constant's edge goes to `none`.
    #[test]
    fn a_join_every_edge_decides_is_bypassed() {
        let (mut func, [entry, empty, _, via, _, _, some, none]) = join_function(false, false);
        assert_eq!(run_pass(&mut func), 1, "{}", func.display());
        verify_function(&func, &settings::Flags::new(settings::builder())).unwrap();
        assert_eq!(jumps_to(&func, empty), Some(none), "{}", func.display());
        assert_eq!(jumps_to(&func, via), Some(some), "{}", func.display());
        let ret = func.layout.last_inst(some).unwrap();
        let x = func.dfg.block_params(entry)[0];
        assert_eq!(func.dfg.resolve_aliases(func.dfg.inst_args(ret)[0]), x, "{}", func.display());
    }

    /// Where the side that uses the parameter has another way in, or an
    /// edge is a `brif`'s, the join stays.
    #[test]
    fn a_join_stays_where_its_parameter_would_not_reach_its_uses() {
        for (brif_edge, second_way_in) in [(true, false), (false, true)] {
            let (mut func, [_, empty, _, _, _, join, ..]) = join_function(brif_edge, second_way_in);
            assert_eq!(run_pass(&mut func), 0, "{}", func.display());
            verify_function(&func, &settings::Flags::new(settings::builder())).unwrap();
            assert_eq!(jumps_to(&func, empty), Some(join), "{}", func.display());
            assert_eq!(func.dfg.block_params(join).len(), 1);
        }
    }
}
