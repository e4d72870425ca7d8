//! Removal of stores that write back what memory already holds, and of
//! loads of what is already in a value (docs/jit.md, "Redundant slot
//! traffic").
//!
//! Around each call out of the code (an `exec` site, a helper) the
//! translator stores the frame (locals and operand stack) into its slots
//! before the call and reloads it after. Code that only makes calls, as
//! cold code compiled before its first run does, then stores a value
//! straight back into the slot it was loaded from: the arguments of one
//! `exec` site reloaded after the last and stored again for the next,
//! locals loaded on entry and stored at the first call. Cranelift keeps
//! every load and store (its alias analysis, in optimized code only,
//! forwards loads but never drops a store), and each costs compile time
//! in lowering, register allocation and emission.
//!
//! Within an extended basic block (a block and the blocks whose only
//! predecessor it is, in reverse postorder) this pass tracks what each
//! location `base + offset` is known to hold: the value last loaded from
//! it or stored to it. A store of that same value, of the same width, is
//! removed; a load of a location known to hold a value of its type
//! becomes that value. A call, or any instruction that may write memory
//! other than a plain store, forgets everything (a helper may write the
//! frame and the collector moves objects). A store forgets the locations
//! of its own base that it overlaps and every location of other bases,
//! which it may alias. Loads no one uses are left for
//! [`crate::dead_allocations::sweep`].

use alloc::vec::Vec;
use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::entity::SecondaryMap;
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::{Block, Function, Inst, InstructionData, Opcode, Value};

/// A location and what it holds.
#[derive(Clone, Copy, Debug)]
struct Known {
    base: Value,
    offset: i32,
    bytes: u32,
    value: Value,
}

/// Buffers kept between compilations.
#[derive(Default)]
pub(crate) struct Scratch {
    /// What is known at the end of each block, as a span of `arena`.
    ends: SecondaryMap<Block, (u32, u32)>,
    arena: Vec<Known>,
    current: Vec<Known>,
}

/// What the pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    pub stores: usize,
    pub loads: usize,
}

/// Removes redundant stores and forwards redundant loads; `cfg` and
/// `domtree` must be current (the pass changes neither).
pub(crate) fn remove_redundant_stores(
    func: &mut Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    s: &mut Scratch,
) -> Removed {
    s.ends.clear();
    s.arena.clear();
    let mut removed = Removed::default();
    for &block in domtree.cfg_postorder().iter().rev() {
        s.current.clear();
        let mut preds = cfg.pred_iter(block);
        if let (Some(p), None) = (preds.next(), preds.next()) {
            // Processed already unless the edge is a back edge (then its
            // span is still empty).
            let (start, len) = s.ends[p.block];
            s.current.extend_from_slice(&s.arena[start as usize..(start + len) as usize]);
        }
        let mut next = func.layout.first_inst(block);
        while let Some(inst) = next {
            next = func.layout.next_inst(inst);
            match step(func, inst, &mut s.current) {
                Step::Keep => {}
                Step::RedundantStore => {
                    func.layout.remove_inst(inst);
                    removed.stores += 1;
                }
                Step::Forward(r, v) => {
                    func.layout.remove_inst(inst);
                    func.dfg.clear_results(inst);
                    func.dfg.change_to_alias(r, v);
                    removed.loads += 1;
                }
            }
        }
        let start = s.arena.len() as u32;
        s.arena.extend_from_slice(&s.current);
        s.ends[block] = (start, s.current.len() as u32);
    }
    removed
}

enum Step {
    Keep,
    RedundantStore,
    /// The load's result is this value.
    Forward(Value, Value),
}

/// What `inst` means for the known locations `k`, which it updates.
fn step(func: &Function, inst: Inst, k: &mut Vec<Known>) -> Step {
    let dfg = &func.dfg;
    match dfg.insts[inst] {
        InstructionData::Load { opcode: Opcode::Load, arg, offset, .. } => {
            let base = dfg.resolve_aliases(arg);
            let offset = i32::from(offset);
            let r = dfg.first_result(inst);
            let ty = dfg.value_type(r);
            if let Some(e) = k.iter().find(|e| e.base == base && e.offset == offset) {
                if dfg.value_type(e.value) == ty {
                    return Step::Forward(r, e.value);
                }
            }
            remember(k, Known { base, offset, bytes: ty.bytes(), value: r });
            Step::Keep
        }
        InstructionData::Store { opcode: Opcode::Store, args: [v, arg], offset, .. } => {
            let (v, base) = (dfg.resolve_aliases(v), dfg.resolve_aliases(arg));
            let offset = i32::from(offset);
            let bytes = dfg.value_type(v).bytes();
            let holds = |e: &Known| e.base == base && e.offset == offset && e.bytes == bytes && e.value == v;
            if k.iter().any(holds) {
                return Step::RedundantStore;
            }
            k.retain(|e| e.base == base && !overlaps(e, offset, bytes));
            k.push(Known { base, offset, bytes, value: v });
            Step::Keep
        }
        ref d => {
            let o = d.opcode();
            if o.can_store() || o.is_call() || o.other_side_effects() {
                k.clear();
            }
            Step::Keep
        }
    }
}

/// Records a load's value for its location, replacing what overlapped it.
fn remember(k: &mut Vec<Known>, e: Known) {
    k.retain(|x| x.base != e.base || !overlaps(x, e.offset, e.bytes));
    k.push(e);
}

fn overlaps(e: &Known, offset: i32, bytes: u32) -> bool {
    let (a0, a1) = (i64::from(e.offset), i64::from(e.offset) + i64::from(e.bytes));
    let (b0, b1) = (i64::from(offset), i64::from(offset) + i64::from(bytes));
    a0 < b1 && b0 < a1
}

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_codegen::ir::types::{I32, I64};
    use cranelift_codegen::ir::{AbiParam, InstBuilder, MemFlagsData, Signature, UserFuncName};
    use cranelift_codegen::isa::CallConv;
    use cranelift_codegen::settings;
    use cranelift_codegen::verifier::verify_function;
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    fn run(func: &mut Function) -> Removed {
        let cfg = ControlFlowGraph::with_function(func);
        let domtree = DominatorTree::with_function(func, &cfg);
        let r = remove_redundant_stores(func, &cfg, &domtree, &mut Scratch::default());
        crate::dead_allocations::sweep(func);
        verify_function(func, &settings::Flags::new(settings::builder())).unwrap();
        r
    }

    fn count(func: &Function, o: Opcode) -> usize {
        func.layout
            .blocks()
            .flat_map(|b| func.layout.block_insts(b))
            .filter(|&i| func.dfg.insts[i].opcode() == o)
            .count()
    }

    fn signature(params: usize) -> Signature {
        let mut sig = Signature::new(CallConv::SystemV);
        sig.params.extend((0..params).map(|_| AbiParam::new(I64)));
        sig.returns.push(AbiParam::new(I32));
        sig
    }

    /// `fp`: a frame; `p`: another pointer; `callee`: a helper. The entry
    /// loads slots 0 and 1, jumps to a block that stores them back (slot 1
    /// through `p` in between), calls, reloads slot 0 twice and stores it.
    #[test]
    fn stores_of_what_a_slot_holds_go_and_calls_forget() {
        let mut func = Function::with_name_signature(UserFuncName::default(), signature(3));
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut fctx);
        let fl = MemFlagsData::trusted();
        let sig = b.import_signature(signature(1));
        let (entry, next) = (b.create_block(), b.create_block());
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let (fp, p, callee) = (b.block_params(entry)[0], b.block_params(entry)[1], b.block_params(entry)[2]);
        let a = b.ins().load(I32, fl, fp, 0);
        let c = b.ins().load(I32, fl, fp, 8);
        b.ins().jump(next, &[]);
        b.switch_to_block(next);
        b.ins().store(fl, a, fp, 0); // redundant (across the edge)
        b.ins().store(fl, c, fp, 8); // redundant
        b.ins().store(fl, a, fp, 16); // new
        b.ins().store(fl, a, fp, 16); // redundant
        b.ins().store(fl, c, p, 0); // may alias the frame
        b.ins().store(fl, a, fp, 0); // kept: forgotten
        b.ins().call_indirect(sig, callee, &[fp]);
        let x = b.ins().load(I32, fl, fp, 0); // kept: the call forgot
        let y = b.ins().load(I32, fl, fp, 0); // forwarded from x
        b.ins().store(fl, y, fp, 0); // redundant
        let sum = b.ins().iadd(x, y);
        b.ins().return_(&[sum]);
        b.seal_all_blocks();
        b.finalize(crate::test_support::frontend_config());
        assert_eq!(count(&func, Opcode::Store), 7);
        let r = run(&mut func);
        assert_eq!(r, Removed { stores: 4, loads: 1 });
        // Left: the stores to slot 2, through `p`, and to slot 0 after it.
        assert_eq!(count(&func, Opcode::Store), 3, "{}", func.display());
        assert_eq!(count(&func, Opcode::Load), 3, "{}", func.display());
    }

    /// A join (two predecessors) starts knowing nothing, and a store of
    /// another width is not the same contents.
    #[test]
    fn joins_and_other_widths_keep_their_stores() {
        let mut func = Function::with_name_signature(UserFuncName::default(), signature(3));
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut fctx);
        let fl = MemFlagsData::trusted();
        let (entry, left, join) = (b.create_block(), b.create_block(), b.create_block());
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let fp = b.block_params(entry)[0];
        let cond = b.block_params(entry)[1];
        let a = b.ins().load(I32, fl, fp, 0);
        let w = b.ins().load(I64, fl, fp, 8);
        b.ins().brif(cond, left, &[], join, &[]);
        b.switch_to_block(left);
        b.ins().jump(join, &[]);
        b.switch_to_block(join);
        b.ins().store(fl, a, fp, 0); // kept: two ways in
        let a64 = b.ins().uextend(I64, a);
        b.ins().store(fl, a64, fp, 16);
        b.ins().store(fl, w, fp, 16); // kept: other contents
        b.ins().return_(&[a]);
        b.seal_all_blocks();
        b.finalize(crate::test_support::frontend_config());
        assert_eq!(run(&mut func), Removed::default());
        assert_eq!(count(&func, Opcode::Store), 3);
    }
}
