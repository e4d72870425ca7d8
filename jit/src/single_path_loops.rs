//! Loops that are one path: the shape of the translator's rotated loops,
//! which the loop passes work on (docs/jit.md, "Counting loops" and
//! "Promoted locations").
//!
//! A header with parameters, entered by one edge from outside, then a
//! single path of blocks, each ending in a jump to the next or a `brif`
//! whose other side leaves the loop (a side exit: a slow path), up to the
//! latch, a `brif` whose one side is the header and the other leaves (the
//! loop's exit). Every iteration runs the whole path up to the side exit
//! it takes, in order, which is what lets the passes reason about "the
//! value in iteration j" and "what ran before this exit".
//!
//! Each loop is changed by one pass at most, after all were analysed
//! with the same control-flow graph: a change adds blocks on its own
//! loop's entry and exit edges and moves instructions out of its own path
//! only, so the other loops' analyses stay true.

use alloc::vec::Vec;
use cranelift_codegen::entity::SecondaryMap;
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::{Block, BlockCall, Function, Inst, InstructionData, Opcode, Type, Value, ValueDef};
use cranelift_codegen::loop_analysis::{Loop, LoopAnalysis};

use crate::counting_loops::{self, Counting};
use crate::promoted_locations::{self, Promotion};
use crate::unrolled_loops::{self, Unrolling};

/// A side exit: `block` leaves the loop when `cond` is non-zero (`when`)
/// or zero (`!when`).
#[derive(Clone, Copy)]
pub(crate) struct SideEdge {
    pub block: Block,
    pub cond: Value,
    pub when: bool,
}

pub(crate) struct PathLoop {
    pub header: Block,
    /// From the header to the latch.
    pub path: Vec<Block>,
    pub side: Vec<SideEdge>,
    /// The latch's condition, and whether it leaves when it holds.
    pub latch_cond: Value,
    pub exit_when: bool,
    pub back: BlockCall,
    pub exit: BlockCall,
    /// The branch that enters the loop from outside.
    pub entry: Inst,
}

/// Reused between compilations.
#[derive(Default)]
pub struct PathScratch {
    pub(crate) on_path: SecondaryMap<Block, bool>,
    marked: Vec<Block>,
    seen: SecondaryMap<Block, bool>,
}

/// Reused between compilations.
#[derive(Default)]
pub struct Scratch {
    path: PathScratch,
    counting: counting_loops::Scratch,
}

/// What the loop passes did.
#[derive(Default, Clone, Copy)]
pub struct Done {
    pub counting: usize,
    pub promoted: usize,
    pub unrolled: usize,
}

enum Change {
    Counting(Counting),
    Promotion(Promotion),
    Unrolling(Unrolling),
}

/// Runs the loop passes on every single-path loop of `func` (`cfg` and
/// `loops` are its analyses).
pub fn optimize_loops(func: &mut Function, cfg: &ControlFlowGraph, loops: &LoopAnalysis, s: &mut Scratch) -> Done {
    // Each loop's blocks, its inner loops' included, counted once: a
    // single path must cover them all.
    let mut blocks: SecondaryMap<Loop, usize> = SecondaryMap::new();
    for b in func.layout.blocks() {
        let mut lp = loops.innermost_loop(b);
        while let Some(l) = lp {
            blocks[l] += 1;
            lp = loops.loop_parent(l);
        }
    }
    let mut changes = Vec::new();
    for lp in loops.loops() {
        let Some(l) = single_path(func, cfg, loops, lp, blocks[lp], &mut s.path) else { continue };
        if let Some(c) = counting_loops::counting(func, &l, &mut s.counting, &mut s.path) {
            changes.push(Change::Counting(c));
        } else if let Some(u) = unrolled_loops::unrolling(func, &l, &mut s.path) {
            // Promotion would take it too, but a loop it takes keeps a
            // location in memory; unroll only the others.
            match promoted_locations::promotion(func, l, &s.path) {
                Some(p) => changes.push(Change::Promotion(p)),
                None => changes.push(Change::Unrolling(u)),
            }
        } else if let Some(p) = promoted_locations::promotion(func, l, &s.path) {
            changes.push(Change::Promotion(p));
        }
    }
    if changes.iter().any(|c| matches!(c, Change::Unrolling(_))) {
        // Copies map the loop's values by identity, not through aliases.
        func.dfg.resolve_all_aliases();
    }
    let mut done = Done::default();
    for c in &changes {
        match c {
            Change::Counting(c) => {
                counting_loops::bypass(func, c);
                done.counting += 1;
            }
            Change::Promotion(p) => {
                promoted_locations::promote(func, p);
                done.promoted += 1;
            }
            Change::Unrolling(u) => {
                unrolled_loops::unroll(func, u);
                done.unrolled += 1;
            }
        }
    }
    done
}

/// The loop `lp`, of `loop_blocks` blocks, if it is a single path (module
/// docs); marks the path's blocks in `s.on_path`.
pub(crate) fn single_path(
    func: &Function,
    cfg: &ControlFlowGraph,
    loops: &LoopAnalysis,
    lp: Loop,
    loop_blocks: usize,
    s: &mut PathScratch,
) -> Option<PathLoop> {
    let header = loops.loop_header(lp);
    let pool = &func.dfg.value_lists;
    for b in s.marked.drain(..) {
        s.on_path[b] = false;
    }
    let mut path: Vec<Block> = Vec::new();
    let mut side: Vec<SideEdge> = Vec::new();
    let mut b = header;
    let (latch_cond, exit_when, back, exit) = loop {
        path.push(b);
        s.marked.push(b);
        s.on_path[b] = true;
        let term = func.layout.last_inst(b)?;
        let next = match func.dfg.insts[term] {
            InstructionData::Jump { destination, .. } => destination.block(pool),
            InstructionData::Brif { arg, blocks: [t, f], .. } => {
                let (tb, fb) = (t.block(pool), f.block(pool));
                if tb == header || fb == header {
                    let (back, exit, exit_when) = if tb == header { (t, f, false) } else { (f, t, true) };
                    if loops.is_in_loop(exit.block(pool), lp) {
                        return None;
                    }
                    break (arg, exit_when, back, exit);
                }
                match (loops.is_in_loop(tb, lp), loops.is_in_loop(fb, lp)) {
                    (true, false) => {
                        side.push(SideEdge { block: b, cond: arg, when: false });
                        tb
                    }
                    (false, true) => {
                        side.push(SideEdge { block: b, cond: arg, when: true });
                        fb
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
        if next == header || s.on_path[next] || !loops.is_in_loop(next, lp) {
            return None;
        }
        b = next;
    };
    // The path is the whole loop: no inner loop, no other branch.
    if loop_blocks != path.len() {
        return None;
    }
    // One way in besides the latch, by one edge.
    let mut preds = cfg.pred_iter(header).filter(|p| p.block != b);
    let entry = preds.next()?;
    if preds.next().is_some() {
        return None;
    }
    let entry_edges = func.dfg.insts[entry.inst]
        .branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables)
        .iter()
        .filter(|c| c.block(pool) == header)
        .count();
    if entry_edges != 1 {
        return None;
    }
    Some(PathLoop { header, path, side, latch_cond, exit_when, back, exit, entry: entry.inst })
}

/// A new block on the loop's entry edge (`entry`, the branch from
/// outside), with the header's parameters, holding the loop's invariant
/// instructions `hoist` (moved there in order), and no terminator yet.
/// Returns it and its parameters.
pub(crate) fn entry_block(func: &mut Function, header: Block, entry: Inst, hoist: &[Inst]) -> (Block, Vec<Value>) {
    let types: Vec<Type> = func.dfg.block_params(header).iter().map(|&v| func.dfg.value_type(v)).collect();
    let pre = func.dfg.make_block();
    let params: Vec<Value> = types.iter().map(|&t| func.dfg.append_block_param(pre, t)).collect();
    func.layout.insert_block(pre, header);
    let dfg = &mut func.dfg;
    for d in dfg.insts[entry].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables) {
        if d.block(&dfg.value_lists) == header {
            d.set_block(pre, &mut dfg.value_lists);
        }
    }
    for &inst in hoist {
        func.layout.remove_inst(inst);
        func.layout.append_inst(inst, pre);
    }
    (pre, params)
}

impl PathScratch {
    /// Whether `v` is defined on the path `single_path` last marked (a
    /// union, which only Cranelift's e-graph makes, counts as on it).
    pub(crate) fn defined_on_path(&self, func: &Function, v: Value) -> bool {
        defined_on(func, &self.on_path, v)
    }
}

fn defined_on(func: &Function, on_path: &SecondaryMap<Block, bool>, v: Value) -> bool {
    match func.dfg.value_def(func.dfg.resolve_aliases(v)) {
        ValueDef::Result(inst, _) => func.layout.inst_block(inst).is_some_and(|b| on_path[b]),
        ValueDef::Param(b, _) => on_path[b],
        ValueDef::Union(..) => true,
    }
}

/// No effect but its result: the loop passes may drop or move it.
pub(crate) fn no_effect(o: Opcode) -> bool {
    !(o.can_load() || o.can_store() || o.is_call() || o.can_trap() || o.other_side_effects())
}

impl PathLoop {
    /// Whether a block reachable from the loop's exit without passing its
    /// header uses a value defined on its path: a new edge into the exit
    /// would not carry it.
    pub(crate) fn exit_uses_loop_values(&self, func: &Function, s: &mut PathScratch) -> bool {
        let exit = self.exit.block(&func.dfg.value_lists);
        let on_path = &s.on_path;
        let from_loop = |v: Value| defined_on(func, on_path, v);
        let (mut work, mut seen_list) = (Vec::new(), Vec::new());
        let mut found = false;
        work.push(exit);
        s.seen[exit] = true;
        seen_list.push(exit);
        'blocks: while let Some(b) = work.pop() {
            for inst in func.layout.block_insts(b) {
                if func.dfg.inst_args(inst).iter().any(|&v| from_loop(v)) {
                    found = true;
                    break 'blocks;
                }
                for call in func.dfg.insts[inst].branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables) {
                    if call.args(&func.dfg.value_lists).any(|a| a.as_value().is_some_and(from_loop)) {
                        found = true;
                        break 'blocks;
                    }
                    let to = call.block(&func.dfg.value_lists);
                    if to != self.header && !s.seen[to] {
                        s.seen[to] = true;
                        seen_list.push(to);
                        work.push(to);
                    }
                }
            }
        }
        for b in seen_list {
            s.seen[b] = false;
        }
        found
    }
}
