//! Removal of block parameters that only copy one other value.
//!
//! The translator keeps Java locals and the context values it caches
//! (frame pointer, heap base, budget) in cranelift-frontend `Variable`s.
//! cranelift-frontend drops a block parameter whose predecessors all pass
//! the same value, but not one that becomes such a copy only after another
//! was dropped: an array local live around two nested loops stays a
//! parameter of the inner header (copying the outer header's, which
//! copies itself on the back edge). Cranelift's own `remove_constant_phis`
//! resolves a parameter only to an instruction's result or a function
//! argument, never to another block's parameter. Left in place, such a
//! copy makes a loop-invariant value look loop-variant, and the egraph
//! cannot hoist what depends on it (the array's address and length in
//! Sieve's inner loop).
//!
//! This is the trivial-phi removal of Braun et al. ("Simple and Efficient
//! Construction of Static Single Assignment Form", 2013) run to a fixed
//! point: a parameter whose incoming arguments are all either itself or
//! one value `x` is `x`. (`x` dominates the block: every path from the
//! entry first reaches the block by an edge that carries `x`, because an
//! edge that carries the parameter leaves a block the parameter's own
//! block dominates.)

use alloc::vec::Vec;
use cranelift_codegen::entity::packed_option::PackedOption;
use cranelift_codegen::entity::SecondaryMap;
use cranelift_codegen::ir::{Block, BlockArg, BlockCall, DataFlowGraph, Function, Inst, Value};

/// Removes every block parameter that copies one other value, replacing
/// its uses with that value. Returns how many it removed.
pub fn remove_copy_params(func: &mut Function) -> usize {
    let Some(entry) = func.layout.entry_block() else { return 0 };
    // Every edge, as (destination, branch, index among the branch's
    // destinations), grouped by destination.
    let mut edges: Vec<(Block, Inst, usize)> = Vec::new();
    for block in func.layout.blocks() {
        let Some(inst) = func.layout.last_inst(block) else { continue };
        let dests = func.dfg.insts[inst].branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables);
        for (i, call) in dests.iter().enumerate() {
            edges.push((call.block(&func.dfg.value_lists), inst, i));
        }
    }
    edges.sort_unstable_by_key(|e| e.0);

    let mut copy_of: SecondaryMap<Value, PackedOption<Value>> = SecondaryMap::new();
    let mut removed = 0;
    loop {
        let mut changed = false;
        for group in edges.chunk_by(|a, b| a.0 == b.0) {
            let block = group[0].0;
            if block == entry {
                continue;
            }
            for (i, &param) in func.dfg.block_params(block).iter().enumerate() {
                if copy_of[param].is_some() {
                    continue;
                }
                let mut only = None;
                let mut copies = true;
                for &(_, inst, d) in group {
                    let call =
                        &func.dfg.insts[inst].branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables)[d];
                    let Some(BlockArg::Value(arg)) = call.args(&func.dfg.value_lists).nth(i) else {
                        copies = false;
                        break;
                    };
                    let arg = resolve(&func.dfg, &copy_of, arg);
                    if arg == param {
                        continue;
                    }
                    match only {
                        None => only = Some(arg),
                        Some(o) if o == arg => {}
                        Some(_) => {
                            copies = false;
                            break;
                        }
                    }
                }
                // A parameter only ever passed to itself sits in a block
                // that cannot be reached; leave that to Cranelift.
                if let (true, Some(x)) = (copies, only) {
                    copy_of[param] = x.into();
                    removed += 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    if removed == 0 {
        return 0;
    }

    // Which parameters each edited block keeps, in the original order.
    let mut keep: SecondaryMap<Block, Option<Vec<bool>>> = SecondaryMap::new();
    for group in edges.chunk_by(|a, b| a.0 == b.0) {
        let block = group[0].0;
        let params = func.dfg.block_params(block);
        if block == entry || params.iter().all(|&p| copy_of[p].is_none()) {
            continue;
        }
        keep[block] = Some(params.iter().map(|&p| copy_of[p].is_none()).collect());
        let gone: Vec<Value> = params.iter().copied().filter(|&p| copy_of[p].is_some()).collect();
        // Rightmost first: removal slides the later parameters down.
        for &p in gone.iter().rev() {
            let x = resolve(&func.dfg, &copy_of, p);
            func.dfg.remove_block_param(p);
            func.dfg.change_to_alias(p, x);
        }
    }
    let mut args = Vec::new();
    for &(block, inst, d) in &edges {
        let Some(mask) = &keep[block] else { continue };
        let dfg = &mut func.dfg;
        let call = &mut dfg.insts[inst].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables)[d];
        args.extend(call.args(&dfg.value_lists).zip(mask.iter()).filter(|&(_, &k)| k).map(|(a, _)| a));
        *call = BlockCall::new(block, args.drain(..), &mut dfg.value_lists);
    }
    removed
}

/// What `v` stands for once aliases and removed copies are followed.
fn resolve(dfg: &DataFlowGraph, copy_of: &SecondaryMap<Value, PackedOption<Value>>, mut v: Value) -> Value {
    loop {
        v = dfg.resolve_aliases(v);
        match copy_of[v].expand() {
            Some(next) => v = next,
            None => return v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_codegen::ir::{types::I32, InstBuilder};
    use cranelift_codegen::settings;
    use cranelift_codegen::verifier::verify_function;

    /// Two nested loops around a value `a` neither changes, written with
    /// explicit parameters the way cranelift-frontend leaves them, and a
    /// counter `i` that really is a phi.
    #[test]
    fn copies_through_nested_loops_go_and_real_phis_stay() {
        let mut func = crate::test_support::two_int_function();
        let mut ctx = cranelift_frontend::FunctionBuilderContext::new();
        let mut b = cranelift_frontend::FunctionBuilder::new(&mut func, &mut ctx);
        let (entry, outer, inner, exit) = (b.create_block(), b.create_block(), b.create_block(), b.create_block());
        b.append_block_params_for_function_params(entry);
        let outer_a = b.append_block_param(outer, I32);
        let outer_i = b.append_block_param(outer, I32);
        let inner_a = b.append_block_param(inner, I32);
        let inner_i = b.append_block_param(inner, I32);

        b.switch_to_block(entry);
        let (a, n) = (b.block_params(entry)[0], b.block_params(entry)[1]);
        let zero = b.ins().iconst(I32, 0);
        b.ins().jump(outer, &[a.into(), zero.into()]);

        b.switch_to_block(outer);
        let done = b.ins().icmp(cranelift_codegen::ir::condcodes::IntCC::SignedGreaterThanOrEqual, outer_i, n);
        b.ins().brif(done, exit, &[], inner, &[outer_a.into(), outer_i.into()]);

        b.switch_to_block(inner);
        let next = b.ins().iadd(inner_i, inner_a);
        let again = b.ins().icmp(cranelift_codegen::ir::condcodes::IntCC::SignedLessThan, next, n);
        b.ins().brif(again, inner, &[inner_a.into(), next.into()], outer, &[inner_a.into(), next.into()]);

        b.switch_to_block(exit);
        b.ins().return_(&[outer_i]);
        b.seal_all_blocks();
        b.finalize(crate::test_support::frontend_config());

        assert_eq!(remove_copy_params(&mut func), 2);
        let flags = settings::Flags::new(settings::builder());
        verify_function(&func, &flags).unwrap();
        assert_eq!(func.dfg.block_params(outer).len(), 1, "{}", func.display());
        assert_eq!(func.dfg.block_params(inner).len(), 1, "{}", func.display());
        assert_eq!(func.dfg.resolve_aliases(inner_a), a);
        assert_eq!(func.dfg.resolve_aliases(outer_a), a);
        // Nothing more to remove the second time.
        assert_eq!(remove_copy_params(&mut func), 0);
    }
}
