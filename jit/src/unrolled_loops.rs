//! Unrolling of short single-path loops without side exits (docs/jit.md,
//! "Unrolled loops").
//!
//! `for (...) { a = b; b = c; c = a + i; }` keeps three values moving
//! round the loop: each back edge is a parallel copy, which the register
//! allocator makes into moves and the block layout into an extra jump.
//! C2 unrolls such loops. Here the loop's path (header to latch) is
//! copied `FACTOR - 1` times: each copy's header parameters are the
//! previous copy's back-edge arguments, each copy keeps the latch's test
//! and its exit edge (so the loop leaves after exactly the same
//! iteration as before, with the same values), and only the last copy
//! goes back to the original header. The moves and the jump are paid
//! once per `FACTOR` iterations.
//!
//! Taken: the loops with no side exit at all (the translator's counted
//! loops' fast copies, which have no budget test: "Counted loops"), of at
//! most [`MAX_INSTS`] instructions and no call, whose exit uses no value
//! of the loop directly (a new edge into it from a copy carries only its
//! arguments), and where a value moves from one loop parameter to
//! another (`a = b`): the copies that need moves. Other loops (Sieve's,
//! `alu`) measured the same or slower unrolled, and cost more to compile.

use alloc::vec::Vec;
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::entity::{packed_option::PackedOption, SecondaryMap};
use cranelift_codegen::ir::{Block, BlockArg, Function, InstBuilder, Value};

use crate::single_path_loops::{PathLoop, PathScratch};

/// Copies of the loop's path, the original included.
const FACTOR: usize = 4;
/// Longer paths gain less from unrolling than their copies cost.
const MAX_INSTS: usize = 24;

/// A loop this pass unrolls, found before any is changed.
pub(crate) struct Unrolling {
    header: Block,
    path: Vec<Block>,
    exit: Block,
}

/// The loop `l` as one to unroll, if it is one (`s`: its path marked).
pub(crate) fn unrolling(func: &Function, l: &PathLoop, s: &mut PathScratch) -> Option<Unrolling> {
    if !l.side.is_empty() {
        return None;
    }
    let mut insts = 0;
    for &b in &l.path {
        for inst in func.layout.block_insts(b) {
            if func.dfg.insts[inst].opcode().is_call() {
                return None;
            }
            insts += 1;
        }
    }
    if insts > MAX_INSTS || l.exit_uses_loop_values(func, s) {
        return None;
    }
    let params = func.dfg.block_params(l.header);
    let moves = l.back.args(&func.dfg.value_lists).enumerate().any(|(i, a)| {
        a.as_value()
            .is_some_and(|v| params.iter().enumerate().any(|(j, &p)| j != i && func.dfg.resolve_aliases(v) == p))
    });
    if !moves {
        return None;
    }
    Some(Unrolling { header: l.header, path: l.path.clone(), exit: l.exit.block(&func.dfg.value_lists) })
}

/// Unrolls the loop `u` (see the module docs).
pub(crate) fn unroll(func: &mut Function, u: &Unrolling) {
    let latch = *u.path.last().expect("a path has a header");
    let mut prev_latch = latch;
    let mut after = latch;
    let mut map: SecondaryMap<Value, PackedOption<Value>> = SecondaryMap::new();
    let mut copies = Vec::with_capacity(FACTOR - 1);
    for _ in 1..FACTOR {
        // The copy's blocks, after the previous copy, with parameters of
        // the same types.
        let blocks: Vec<Block> = u.path.iter().map(|_| func.dfg.make_block()).collect();
        for (&b, &nb) in u.path.iter().zip(&blocks) {
            for p in func.dfg.block_params(b).to_vec() {
                let ty = func.dfg.value_type(p);
                map[p] = func.dfg.append_block_param(nb, ty).into();
            }
            func.layout.insert_block_after(nb, after);
            after = nb;
        }
        // The instructions, their operands those of this copy where the
        // loop defines them.
        for (&b, &nb) in u.path.iter().zip(&blocks) {
            let insts: Vec<_> = func.layout.block_insts(b).collect();
            for inst in insts {
                let ni = func.dfg.clone_inst(inst);
                func.dfg.map_inst_values(ni, |v| map[v].expand().unwrap_or(v));
                let (old, new) = (func.dfg.inst_results(inst).to_vec(), func.dfg.inst_results(ni).to_vec());
                for (r, nr) in old.into_iter().zip(new) {
                    map[r] = nr.into();
                }
                func.layout.append_inst(ni, nb);
            }
        }
        // Branches: along the copy's path, out by the exit, and back
        // (for now) to the original header.
        for &nb in &blocks {
            let term = func.layout.last_inst(nb).expect("a path block ends in a branch");
            let dfg = &mut func.dfg;
            for d in dfg.insts[term].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables) {
                let to = d.block(&dfg.value_lists);
                if to == u.exit {
                    continue;
                }
                let target = match u.path.iter().position(|&b| b == to) {
                    Some(0) | None => u.header,
                    Some(k) => blocks[k],
                };
                d.set_block(target, &mut dfg.value_lists);
            }
        }
        // The previous copy goes back into this one.
        retarget_back_edge(func, prev_latch, u, blocks[0]);
        prev_latch = *blocks.last().expect("a path has a header");
        copies.push(blocks);
    }
    // Each copy leaves through a cold block of its own. Its exit edge
    // went to a block with other predecessors, an edge Cranelift splits
    // with a block of moves laid out right after the test: every copy's
    // way on was then a taken branch. Now it falls through to the next
    // copy, and the exits' moves sit after the hot code.
    for b in u.path.iter().copied().chain(copies.into_iter().flatten()) {
        exit_through_cold_block(func, b, u.exit);
    }
}

/// Sends `b`'s edges to `exit` through a new cold block that jumps there
/// with the same arguments.
fn exit_through_cold_block(func: &mut Function, b: Block, exit: Block) {
    let Some(term) = func.layout.last_inst(b) else { return };
    let dfg = &func.dfg;
    let dests = dfg.insts[term].branch_destination(&dfg.jump_tables, &dfg.exception_tables);
    if !dests.iter().any(|d| d.block(&dfg.value_lists) == exit) {
        return;
    }
    let nb = func.dfg.make_block();
    let dfg = &mut func.dfg;
    for d in dfg.insts[term].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables) {
        if d.block(&dfg.value_lists) == exit {
            d.set_block(nb, &mut dfg.value_lists);
        }
    }
    let params: Vec<BlockArg> = func
        .dfg
        .block_params(exit)
        .to_vec()
        .into_iter()
        .map(|p| {
            let ty = func.dfg.value_type(p);
            BlockArg::Value(func.dfg.append_block_param(nb, ty))
        })
        .collect();
    func.layout.append_block(nb);
    func.layout.set_cold(nb);
    FuncCursor::new(func).at_bottom(nb).ins().jump(exit, &params);
}

/// Points the back edge of `latch` (a copy of the loop's latch) at `to`.
fn retarget_back_edge(func: &mut Function, latch: Block, u: &Unrolling, to: Block) {
    let term = func.layout.last_inst(latch).expect("a latch ends in a branch");
    let dfg = &mut func.dfg;
    for d in dfg.insts[term].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables) {
        if d.block(&dfg.value_lists) != u.exit {
            d.set_block(to, &mut dfg.value_lists);
        }
    }
}
