//! Loops that only count: the exit values of a loop whose iterations do
//! nothing but move its parameters by constants, computed on entry
//! instead of iterating (docs/jit.md, "Counting loops").
//!
//! Once `inc` is inlined, `for (i = 0; i < n; i++) acc = inc(acc);` is a
//! loop that adds 1 to `i`, 1 to `acc` and -1 to the budget, and has no
//! other effect. After `k` iterations (known on entry: `n - i` here) it
//! leaves with `i + k`, `acc + k` and `budget - k`. C2 and LLVM's
//! induction-variable simplification compute these exit values and drop
//! the loop; so does this pass, which keeps the loop for the cases the
//! closed form does not cover. A new block on the loop's entry edge
//! computes `k` and the exit values, and checks that none of the loop's
//! side exits (slow paths) would be taken in those `k` iterations: each
//! side exit's condition must be loop-invariant (an inlined call's class
//! guard: false on entry, false throughout) or an equality test of a
//! value moving by one per iteration that `k` iterations do not reach
//! (the budget check: `budget >= k`). If so it jumps to the loop's exit
//! with the exit values, else into the loop, which runs as before.
//!
//! The loops it takes are the translator's rotated loops: a header with
//! parameters entered by one edge, then a single path of blocks, each
//! with at most one branch out of the loop (a side exit), ending in the
//! latch, a `brif` on `i' cmp n` whose other side leaves. `i'` moves by 1
//! or -1 per iteration, `n` is invariant, `cmp` a signed order. Every
//! instruction on the path is free of effects (no load, store, call or
//! trap), and every value that reaches the exit, the latch's back edge or
//! a side exit's test is a loop parameter or an invariant plus a
//! constant. Java's `int` and `long` wrap, so the closed forms are exact
//! for any `k`.

use alloc::vec::Vec;
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::entity::SecondaryMap;
use cranelift_codegen::ir::condcodes::{CondCode, IntCC};
use cranelift_codegen::ir::types::{I32, I64, I8};
use cranelift_codegen::ir::{
    Block, BlockArg, Function, Inst, InstBuilder, InstructionData, Opcode, Type, Value, ValueDef,
};

use crate::single_path_loops::{entry_block, no_effect, PathLoop, PathScratch, SideEdge};

/// A value in terms of the iteration: a loop parameter or an
/// invariant, plus a constant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Rel {
    #[default]
    Unknown,
    /// The loop parameter with this index plus a constant.
    Param(usize, i64),
    /// A value defined outside the loop plus a constant.
    Inv(Value, i64),
    Const(i64),
}

impl Rel {
    fn plus(self, c: i64) -> Rel {
        match self {
            Rel::Param(i, d) => Rel::Param(i, d.wrapping_add(c)),
            Rel::Inv(v, d) => Rel::Inv(v, d.wrapping_add(c)),
            Rel::Const(d) => Rel::Const(d.wrapping_add(c)),
            Rel::Unknown => Rel::Unknown,
        }
    }

    fn invariant(self) -> bool {
        matches!(self, Rel::Inv(..) | Rel::Const(_))
    }
}

/// A side exit that must not be taken for the closed form to hold.
#[derive(Clone, Copy)]
enum SideExit {
    /// Taken if the invariant `cond` is non-zero (`when`) or zero (`!when`).
    Invariant { cond: Value, when: bool },
    /// Taken when `x == y`, `x` moving by `step` (1 or -1) per iteration,
    /// `y` invariant.
    Reaches { x: Rel, step: i64, y: Rel, ty: Type },
}

/// How the latch's test ends the loop: after the iteration in which
/// `t cc n` first holds, `t` moving by `step` (1 or -1).
#[derive(Clone, Copy)]
struct Exit {
    t: Rel,
    step: i64,
    cc: IntCC,
    n: Rel,
}

/// A loop this pass replaces, found before any is changed.
pub(crate) struct Counting {
    header: Block,
    /// The branch that enters the loop (from outside it).
    entry: Inst,
    /// The loop's invariant instructions, in order: they move to the new
    /// block, which needs their values.
    hoist: Vec<Inst>,
    /// The latch's exit and the values it passes there.
    exit: Block,
    exit_args: Vec<Rel>,
    /// Per loop parameter: what it moves by per iteration.
    steps: Vec<i64>,
    test: Exit,
    side_exits: Vec<SideExit>,
}

/// Reused between compilations.
#[derive(Default)]
pub struct Scratch {
    rel: SecondaryMap<Value, Rel>,
}

fn sext(c: i64, ty: Type) -> i64 {
    match ty.bits() {
        32 => c as i32 as i64,
        _ => c,
    }
}

/// The loop `l` as a counting loop, if it is one.
pub(crate) fn counting(func: &Function, l: &PathLoop, s: &mut Scratch, ps: &mut PathScratch) -> Option<Counting> {
    let (header, path) = (l.header, &l.path[..]);
    let pool = &func.dfg.value_lists;
    // What each value on the path is in terms of the parameters.
    // (Every value defined on the path gets its entry here: the map
    // keeps the last function's.)
    for &b in &path[1..] {
        for &p in func.dfg.block_params(b) {
            s.rel[p] = Rel::Unknown;
        }
    }
    let params = func.dfg.block_params(header);
    for (i, &p) in params.iter().enumerate() {
        s.rel[p] = Rel::Param(i, 0);
    }
    let rel_of = |rel: &SecondaryMap<Value, Rel>, v: Value| -> Rel {
        let v = func.dfg.resolve_aliases(v);
        if let Some(c) = crate::iconst_value(func, v) {
            return Rel::Const(sext(c, func.dfg.value_type(v)));
        }
        match func.dfg.value_def(v) {
            ValueDef::Union(..) => Rel::Unknown,
            _ if ps.defined_on_path(func, v) => rel[v],
            _ => Rel::Inv(v, 0),
        }
    };
    let mut hoist = Vec::new();
    for &b in path {
        for inst in func.layout.block_insts(b) {
            let data = &func.dfg.insts[inst];
            let o = data.opcode();
            if o.is_terminator() {
                continue;
            }
            let pure = no_effect(o);
            // A load the translator marked movable (an object's header:
            // readable even for null) reads the same in every iteration of
            // a loop that stores nothing.
            let movable_load = o.can_load()
                && !(o.can_store() || o.is_call() || o.other_side_effects())
                && data.memflags_data(&func.dfg).is_some_and(|f| f.can_move() && f.trap_code().is_none());
            if !pure && !movable_load {
                return None;
            }
            // Invariant: computed once on entry instead (the new block
            // tests what it computes).
            if func.dfg.inst_args(inst).iter().all(|&a| rel_of(&s.rel, a).invariant()) {
                for &v in func.dfg.inst_results(inst) {
                    s.rel[v] = Rel::Inv(v, 0);
                }
                hoist.push(inst);
                continue;
            }
            let r = match *data {
                InstructionData::Binary { opcode: Opcode::Iadd, args: [x, y] } => {
                    match (rel_of(&s.rel, x), rel_of(&s.rel, y)) {
                        (a, Rel::Const(c)) | (Rel::Const(c), a) => a.plus(c),
                        _ => Rel::Unknown,
                    }
                }
                InstructionData::Binary { opcode: Opcode::Isub, args: [x, y] } => {
                    match (rel_of(&s.rel, x), rel_of(&s.rel, y)) {
                        (a, Rel::Const(c)) => a.plus(c.wrapping_neg()),
                        _ => Rel::Unknown,
                    }
                }
                _ => Rel::Unknown,
            };
            for &v in func.dfg.inst_results(inst) {
                s.rel[v] = r;
            }
        }
    }
    // Each parameter moves by a constant per iteration.
    let mut steps = Vec::with_capacity(params.len());
    for (i, a) in l.back.args(pool).enumerate() {
        match rel_of(&s.rel, a.as_value()?) {
            Rel::Param(j, c) if j == i => steps.push(c),
            _ => return None,
        }
    }
    let moving_by_one = |r: Rel| match r {
        Rel::Param(i, _) if steps[i] == 1 || steps[i] == -1 => Some(steps[i]),
        _ => None,
    };
    // The latch's test: exit once `t cc n` holds.
    let (cond, exit_when) = (l.latch_cond, l.exit_when);
    let (mut cc, x, y) = compare(func, cond)?;
    if !exit_when {
        cc = cc.complement();
    }
    let (rx, ry) = (rel_of(&s.rel, x), rel_of(&s.rel, y));
    let (t, n, cc) = match (moving_by_one(rx), moving_by_one(ry)) {
        (Some(_), None) if ry.invariant() => (rx, ry, cc),
        (None, Some(_)) if rx.invariant() => (ry, rx, cc.swap_args()),
        _ => return None,
    };
    let step = moving_by_one(t)?;
    let supported = matches!(
        (step, cc),
        (1, IntCC::SignedGreaterThanOrEqual | IntCC::SignedGreaterThan)
            | (-1, IntCC::SignedLessThanOrEqual | IntCC::SignedLessThan)
    );
    if !supported || func.dfg.value_type(x) != I32 {
        return None;
    }
    let test = Exit { t, step, cc, n };
    // The side exits' tests.
    let mut side_exits = Vec::with_capacity(l.side.len());
    for &SideEdge { cond, when, .. } in &l.side {
        let r = rel_of(&s.rel, cond);
        if let Rel::Inv(v, 0) = r {
            side_exits.push(SideExit::Invariant { cond: v, when });
            continue;
        }
        if let Rel::Const(c) = r {
            if (c != 0) == when {
                return None;
            }
            continue;
        }
        let (mut cc, x, y) = compare(func, cond)?;
        if !when {
            cc = cc.complement();
        }
        if cc != IntCC::Equal {
            return None;
        }
        let ty = func.dfg.value_type(x);
        let (rx, ry) = (rel_of(&s.rel, x), rel_of(&s.rel, y));
        let (x, y) = match (moving_by_one(rx), moving_by_one(ry)) {
            (Some(_), None) if ry.invariant() => (rx, ry),
            (None, Some(_)) if rx.invariant() => (ry, rx),
            _ => return None,
        };
        side_exits.push(SideExit::Reaches { x, step: moving_by_one(x)?, y, ty });
    }
    // The values the loop leaves with.
    let mut exit_args = Vec::new();
    for a in l.exit.args(pool) {
        match rel_of(&s.rel, a.as_value()?) {
            Rel::Unknown => return None,
            r => exit_args.push(r),
        }
    }
    // Nothing past the exit may use a value of the loop directly: the
    // new edge into the exit would not carry it.
    let exit_block = l.exit.block(pool);
    if l.exit_uses_loop_values(func, ps) {
        return None;
    }
    Some(Counting { header, entry: l.entry, hoist, exit: exit_block, exit_args, steps, test, side_exits })
}

/// `icmp cc x, y` (or `icmp_imm`) defining `cond`: `(cc, x, y)`.
fn compare(func: &Function, cond: Value) -> Option<(IntCC, Value, Value)> {
    let ValueDef::Result(inst, _) = func.dfg.value_def(func.dfg.resolve_aliases(cond)) else { return None };
    match func.dfg.insts[inst] {
        InstructionData::IntCompare { cond: cc, args: [x, y], .. } => Some((cc, x, y)),
        _ => None,
    }
}

/// A constant of type `ty` (`iconst` wants the bits of its width).
fn iconst(cur: &mut FuncCursor, ty: Type, c: i64) -> Value {
    let bits = if ty == I32 { i64::from(c as u32) } else { c };
    cur.ins().iconst(ty, bits)
}

/// Emits `r` at the cursor, the loop's parameters on entry being `entry`.
fn emit(cur: &mut FuncCursor, r: Rel, ty: Type, entry: &[Value]) -> Value {
    match r {
        Rel::Param(i, c) => plus(cur, entry[i], c),
        Rel::Inv(v, c) => plus(cur, v, c),
        Rel::Const(c) => iconst(cur, ty, c),
        Rel::Unknown => unreachable!("unknown values are refused"),
    }
}

fn plus(cur: &mut FuncCursor, v: Value, c: i64) -> Value {
    if c == 0 {
        return v;
    }
    let ty = cur.func.dfg.value_type(v);
    let k = iconst(cur, ty, c);
    cur.ins().iadd(v, k)
}

/// Puts a block on the loop's entry edge that jumps to its exit with the
/// exit values when no side exit can be taken, else into the loop.
pub(crate) fn bypass(func: &mut Function, c: &Counting) {
    let header = c.header;
    let (pre, entry_vals) = entry_block(func, header, c.entry, &c.hoist);
    let mut cur = FuncCursor::new(func).at_bottom(pre);
    // The iteration count k >= 1 (i64): the first j with t_j cc n, plus 1.
    let Exit { t, step, cc, n } = c.test;
    let t0 = emit(&mut cur, t, I32, &entry_vals);
    let n = emit(&mut cur, n, I32, &entry_vals);
    let (t64, n64) = (cur.ins().sextend(I64, t0), cur.ins().sextend(I64, n));
    let mut ok: Option<Value> = None;
    let mut and = |cur: &mut FuncCursor, v: Value| {
        ok = Some(match ok {
            Some(o) => cur.ins().band(o, v),
            None => v,
        })
    };
    // Distance to the iteration that leaves; a strict order needs one more
    // and an `n` that `t` can pass without wrapping.
    let d = if step == 1 { cur.ins().isub(n64, t64) } else { cur.ins().isub(t64, n64) };
    let d = match cc {
        IntCC::SignedGreaterThan | IntCC::SignedLessThan => {
            let end = if cc == IntCC::SignedGreaterThan { i64::from(i32::MAX) } else { i64::from(i32::MIN) };
            let passable = cur.ins().icmp_imm_s(IntCC::NotEqual, n64, end);
            and(&mut cur, passable);
            cur.ins().iadd_imm_s(d, 1)
        }
        _ => d,
    };
    let zero = cur.ins().iconst(I64, 0);
    let pos = cur.ins().icmp(IntCC::SignedGreaterThan, d, zero);
    let jmax = cur.ins().select(pos, d, zero);
    let k = cur.ins().iadd_imm_s(jmax, 1);
    for e in &c.side_exits {
        let fine = match *e {
            SideExit::Invariant { cond, when } => {
                cur.ins().icmp_imm_s(if when { IntCC::Equal } else { IntCC::NotEqual }, cond, 0)
            }
            SideExit::Reaches { x, step, y, ty } => {
                // x_j = x_0 + step * j for j < k never equals y: the
                // distance from x_0 to y, the way x moves, is at least k.
                let x0 = emit(&mut cur, x, ty, &entry_vals);
                let y = emit(&mut cur, y, ty, &entry_vals);
                let dist = if step == 1 { cur.ins().isub(y, x0) } else { cur.ins().isub(x0, y) };
                let dist = if ty == I64 { dist } else { cur.ins().uextend(I64, dist) };
                cur.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, dist, k)
            }
        };
        and(&mut cur, fine);
    }
    // The exit values: the loop's values in its last iteration, j = k - 1.
    let last = cur.ins().iadd_imm_s(k, -1);
    let last32 = cur.ins().ireduce(I32, last);
    let mut args: Vec<BlockArg> = Vec::with_capacity(c.exit_args.len());
    for (k_arg, &r) in c.exit_args.iter().enumerate() {
        let ty = cur.func.dfg.value_type(cur.func.dfg.block_params(c.exit)[k_arg]);
        let v = match r {
            Rel::Param(i, off) if c.steps[i] != 0 => {
                let j = if ty == I32 { last32 } else { last };
                let moved = cur.ins().imul_imm_s(j, c.steps[i]);
                let base = cur.ins().iadd(entry_vals[i], moved);
                plus(&mut cur, base, off)
            }
            r => emit(&mut cur, r, ty, &entry_vals),
        };
        args.push(BlockArg::Value(v));
    }
    let into_loop: Vec<BlockArg> = entry_vals.iter().map(|&v| BlockArg::Value(v)).collect();
    let ok = ok.unwrap_or_else(|| cur.ins().iconst(I8, 1));
    cur.ins().brif(ok, c.exit, &args, header, &into_loop);
}
