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
//! What the jumps leave unreachable Cranelift removes before lowering.

use alloc::vec::Vec;
use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::{CondCode, IntCC};
use cranelift_codegen::ir::{Block, Function, InstructionData, Opcode, Value, ValueDef};

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

/// The analyses and work lists, kept between compilations (their memory).
pub struct Scratch {
    facts: Vec<(Cond, bool)>,
    stack: Vec<(Block, usize)>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch { facts: Vec::new(), stack: Vec::new() }
    }
}

/// Replaces each `brif` whose condition a dominating branch decided with
/// a jump to the side it takes. Returns how many it replaced. `cfg` and
/// `domtree` are `func`'s, with its unreachable blocks removed (an edge
/// from one would make a join of a block with one way in).
pub fn remove_dominated_branches(
    func: &mut Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    scratch: &mut Scratch,
) -> usize {
    let Some(entry) = func.layout.entry_block() else { return 0 };
    let Scratch { facts, stack } = scratch;
    let mut replaced = 0;
    // Depth first over the dominator tree: (block, facts inherited).
    facts.clear();
    stack.clear();
    stack.push((entry, 0));
    while let Some((block, depth)) = stack.pop() {
        facts.truncate(depth);
        // The edge in, if it is the only one.
        let mut preds = cfg.pred_iter(block);
        if let (Some(p), None) = (preds.next(), preds.next()) {
            if let InstructionData::Brif { arg, blocks, .. } = func.dfg.insts[p.inst] {
                let (t, f) = (blocks[0].block(&func.dfg.value_lists), blocks[1].block(&func.dfg.value_lists));
                if t != f {
                    facts.push((cond_of(func, arg), block == t));
                }
            }
        }
        if let Some(last) = func.layout.last_inst(block) {
            if let InstructionData::Brif { arg, blocks, .. } = func.dfg.insts[last] {
                if let Some(holds) = known(facts, cond_of(func, arg)) {
                    let destination = if holds { blocks[0] } else { blocks[1] };
                    func.dfg.insts[last] = InstructionData::Jump { opcode: Opcode::Jump, destination };
                    replaced += 1;
                }
            }
        }
        let depth = facts.len();
        for child in domtree.children(block) {
            stack.push((child, depth));
        }
    }
    replaced
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
}
