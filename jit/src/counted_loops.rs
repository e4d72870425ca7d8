//! Counted loops: innermost loops that get a copy without budget checks
//! (docs/jit.md, "Counted loops").
//!
//! Every back edge ticks the budget: a check that it is not spent, then a
//! decrement. In a tight loop the check costs a fifth of the time
//! (Sieve's inner loop). For a loop of the shape javac gives
//! `for (; i < n; i += s)`, the translator emits the loop twice: as usual,
//! and a copy whose back edge only decrements. On entry a guard takes the
//! copy if the loop cannot take more back edges than the budget has left
//! (at most `n - i` for a step of at least 1) and `i` cannot overflow on
//! the way (`Tr::counted_guard`). So the budget is counted exactly as the
//! interpreter counts it, and can only run out in the checked loop.
//!
//! That is right only if each iteration moves the induction variable by
//! the same step once, nothing else in the loop ticks the budget, and the
//! loop is entered only through its header. This module finds such loops
//! in the bytecode.
//!
//! It also finds **bounded loops** (docs/jit.md, "Bounded loops"): loops
//! of the same shape that may hold anything (inner loops, calls) and
//! index arrays by their induction variable. Their accesses `a[iv]` go
//! without checks behind a guard on entry that deoptimizes when it fails:
//! only the shape, the induction variable and the arrays matter there,
//! not the budget.

use alloc::vec::Vec;

use pd_jvm::runtime::class::Handler;
use pd_jvm::verify::insn::{op, Insn, Instructions, Operands};

/// A loop bound or step: an `int` constant or a local the loop never
/// stores to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Invariant {
    Const(i32),
    Local(u16),
}

/// When the loop goes on: `iv < bound`, `iv <= bound`, `iv > bound`,
/// `iv >= bound`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cont {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cont {
    /// Whether the induction variable goes up.
    pub(crate) fn up(self) -> bool {
        matches!(self, Cont::Lt | Cont::Le)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CountedLoop {
    /// The header's first instruction (its test's first load).
    pub header: usize,
    /// The induction variable (an `int` local).
    pub iv: u16,
    pub bound: Invariant,
    /// Added to `iv` once per iteration, right before the back edge.
    pub step: Invariant,
    pub cont: Cont,
    /// The back edge's instruction (a `goto` to the header).
    pub back_edge: usize,
    /// Up to [`MAX_ARRAYS`] reference locals the loop never stores to and
    /// indexes by `iv` (`aload a; iload iv`): the fast copy's guard also
    /// checks that `iv` stays within their bounds, and the copy's
    /// accesses `a[iv]` go without checks.
    pub arrays: [Option<u16>; MAX_ARRAYS],
    /// Counted loops only: up to [`MAX_ARRAYS`] reference locals the loop
    /// never stores to and indexes by a masked value (`aload a; iload x;
    /// [push c; iadd;] push C; iand`, `C >= 0`: a ring buffer's `a[(i +
    /// 1) & 255]`), each with its largest `C`. The guard also checks `C <
    /// a.length`; the copy's accesses `a[y & C']`, `0 <= C' <= C`, go
    /// without checks.
    pub masked: [Option<(u16, i32)>; MAX_ARRAYS],
}

pub(crate) const MAX_ARRAYS: usize = 2;

/// What a loop may contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// A counted loop: innermost, and nothing in it ticks the budget.
    Counted,
    /// A bounded loop: anything; it must index an array by `iv`.
    Bounded,
}

/// Per instruction: the counted loop whose header it is. `rotatable`
/// marks headers that are two loads and a forward compare-and-branch
/// (`rotatable_headers`); `leader` marks the starts of blocks;
/// `inline_static` says which static accesses the code does itself (their
/// class is initialized: no helper, no class initializer runs).
pub(crate) fn counted_loops(
    insns: &Instructions,
    rotatable: &[bool],
    leader: &[bool],
    handlers: &[Handler],
    inline_static: &dyn Fn(&Insn) -> bool,
) -> Vec<Option<CountedLoop>> {
    (0..insns.insns.len())
        .map(|h| {
            if rotatable.get(h) == Some(&true) {
                counted_at(insns, h, leader, handlers, inline_static, Scope::Counted)
            } else {
                None
            }
        })
        .collect()
}

/// Per instruction: the bounded loop whose header it is, for the loops
/// that are not counted (`counted`) and index an array by their
/// induction variable.
pub(crate) fn bounded_loops(
    insns: &Instructions,
    rotatable: &[bool],
    leader: &[bool],
    handlers: &[Handler],
    counted: &[bool],
) -> Vec<Option<CountedLoop>> {
    (0..insns.insns.len())
        .map(|h| {
            if rotatable.get(h) != Some(&true) || counted.get(h) == Some(&true) {
                return None;
            }
            counted_at(insns, h, leader, handlers, &|_| true, Scope::Bounded).filter(|lp| lp.arrays[0].is_some())
        })
        .collect()
}

fn counted_at(
    insns: &Instructions,
    h: usize,
    leader: &[bool],
    handlers: &[Handler],
    inline_static: &dyn Fn(&Insn) -> bool,
    scope: Scope,
) -> Option<CountedLoop> {
    let code = &insns.insns;
    let (a, b, test) = (code.get(h)?, code.get(h + 1)?, code.get(h + 2)?);
    let Operands::Branch(exit) = test.operands else { return None };
    let head_pc = code[h].pc as i64;
    // Exactly one back edge, a goto.
    let mut back = code.iter().enumerate().filter(|(_, x)| x.targets().any(|t| t == head_pc));
    let (e, goto) = back.next()?;
    if back.next().is_some() || e <= h + 2 || !matches!(goto.opcode, op::GOTO | op::GOTO_W) || exit <= goto.pc as i64 {
        return None;
    }
    let (lo, hi) = (code[h + 1].pc as i64, goto.pc as i64);
    // Entered only through the header. Counted: no other loop inside;
    // nothing in it that may tick the budget (a call, or a class
    // initializer run by `new` or a static access the code leaves to a
    // helper). Neither kind may run in a handler.
    let counted = scope == Scope::Counted;
    for (k, x) in code.iter().enumerate() {
        let inside = (h..=e).contains(&k);
        for t in x.targets() {
            if !inside && (lo..=hi).contains(&t) {
                return None;
            }
            if counted && inside && k != e && t <= x.pc as i64 {
                return None;
            }
        }
        let static_access = matches!(x.opcode, op::GETSTATIC | op::PUTSTATIC);
        if counted && inside && !allowed_in_loop(x.opcode) && !(static_access && inline_static(x)) {
            return None;
        }
    }
    if handlers.iter().any(|x| {
        let (s, end, pc) = (i64::from(x.start), i64::from(x.end), i64::from(x.pc));
        (s <= hi && end > head_pc) || (head_pc..=hi).contains(&pc)
    }) {
        return None;
    }
    // The test: `iv <op> bound` or `bound <op> iv`; the branch leaves.
    let (la, lb) = (invariant_load(a), invariant_load(b));
    let loop_stores = |local: u16| code[h..e].iter().any(|x| stores(x, local));
    let (iv, bound, iv_first) = match (la, lb) {
        (Some(Invariant::Local(i)), Some(other))
            if loop_stores(i) && !matches!(other, Invariant::Local(j) if j == i) =>
        {
            (i, other, true)
        }
        (Some(other), Some(Invariant::Local(i)))
            if loop_stores(i) && !matches!(other, Invariant::Local(j) if j == i) =>
        {
            (i, other, false)
        }
        _ => return None,
    };
    if matches!(bound, Invariant::Local(j) if loop_stores(j)) {
        return None;
    }
    // Taken: the loop ends; so it goes on under the opposite condition.
    let cont = match (test.opcode, iv_first) {
        (op::IF_ICMPGT, true) | (op::IF_ICMPLT, false) => Cont::Le,
        (op::IF_ICMPGE, true) | (op::IF_ICMPLE, false) => Cont::Lt,
        (op::IF_ICMPLT, true) | (op::IF_ICMPGT, false) => Cont::Ge,
        (op::IF_ICMPLE, true) | (op::IF_ICMPGE, false) => Cont::Gt,
        _ => return None,
    };
    // The only store to `iv` is `iv += step` right before the back edge,
    // in the back edge's block (so it runs once per iteration that goes
    // round).
    let (start, step) = update_before(code, e, iv)?;
    if (start + 1..=e).any(|k| leader[k]) || code[h..start].iter().any(|x| stores(x, iv)) {
        return None;
    }
    match step {
        Invariant::Const(0) => return None,
        Invariant::Const(s) if (s > 0) != cont.up() => return None,
        Invariant::Local(s) if s == iv || loop_stores(s) => return None,
        _ => {}
    }
    let mut arrays = [None; MAX_ARRAYS];
    let mut masked: [Option<(u16, i32)>; MAX_ARRAYS] = [None; MAX_ARRAYS];
    let mut k = 0;
    // A counted loop whose guard fails for an array it does not really
    // index by `iv` only runs its checked loop; a bounded loop would
    // deoptimize, so it takes only the accesses it can see whole, and no
    // masked ones.
    for (at, x) in code[h..=e].iter().enumerate() {
        let Some(a) = aload_local(x) else { continue };
        let next = &code[h + at + 1..=e];
        if next.len() < 3 || loop_stores(a) {
            continue;
        }
        if let Some(c) = masked_index(next).filter(|_| counted) {
            // `a[x & C]`: not by `iv`; the guard checks the largest `C`.
            if let Some((_, most)) = masked.iter_mut().flatten().find(|(b, _)| *b == a) {
                *most = (*most).max(c);
            } else if let Some(free) = masked.iter_mut().find(|m| m.is_none()) {
                *free = Some((a, c));
            }
            continue;
        }
        let by_iv =
            if counted { invariant_load(&next[0]) == Some(Invariant::Local(iv)) } else { indexes(&next[..3], iv) };
        if k < MAX_ARRAYS && by_iv && !arrays.contains(&Some(a)) {
            arrays[k] = Some(a);
            k += 1;
        }
    }
    Some(CountedLoop { header: h, iv, bound, step, cont, back_edge: e, arrays, masked })
}

/// The mask `C` if `next`, following an array reference, pushes an index
/// `x & C` with `C >= 0`: `iload x; push C; iand` or `iload x; push c;
/// iadd|isub; push C; iand`. (Whether that index reaches an element
/// access is for the translator to see: it takes the access unchecked
/// only then.)
fn masked_index(next: &[Insn]) -> Option<i32> {
    let int_local = |x: &Insn| matches!(invariant_load(x), Some(Invariant::Local(_)));
    let constant = |x: &Insn| match invariant_load(x) {
        Some(Invariant::Const(c)) => Some(c),
        _ => None,
    };
    let mask = match next {
        [x, m, and, ..] if int_local(x) && and.opcode == op::IAND => constant(m)?,
        [x, c, add, m, and, ..]
            if int_local(x)
                && constant(c).is_some()
                && matches!(add.opcode, op::IADD | op::ISUB)
                && and.opcode == op::IAND =>
        {
            constant(m)?
        }
        _ => return None,
    };
    (mask >= 0).then_some(mask)
}

/// Whether `next`, following an array reference, indexes it by `iv`:
/// `iload iv` then an element load, a `dup2` (`a[i] += x`), or one
/// constant or local and an element store. (An index computed from `iv`,
/// `a[i % 3]`, is not `iv`: a guard over it could fail for nothing.)
fn indexes(next: &[Insn], iv: u16) -> bool {
    let [load, x, y] = next else { return false };
    let element_load = |o: u8| matches!(o, op::IALOAD..=op::SALOAD);
    let element_store = |o: u8| matches!(o, op::IASTORE..=op::SASTORE);
    invariant_load(load) == Some(Invariant::Local(iv))
        && (element_load(x.opcode) || x.opcode == op::DUP2 || (element_store(y.opcode) && is_push(x)))
}

/// A load of any local or constant (one stack value).
fn is_push(x: &Insn) -> bool {
    matches!(
        x.opcode,
        op::ACONST_NULL..=op::DCONST_1 | op::BIPUSH | op::SIPUSH | op::ILOAD..=op::ALOAD | op::ILOAD_0..=op::ALOAD_3
    )
}

/// `aload n`.
pub(crate) fn aload_local(x: &Insn) -> Option<u16> {
    match (x.opcode, &x.operands) {
        (op::ALOAD, Operands::Local(n)) => Some(*n),
        (op::ALOAD_0..=op::ALOAD_3, _) => Some(u16::from(x.opcode - op::ALOAD_0)),
        _ => None,
    }
}

/// Opcodes a counted loop may contain: none that calls, initializes a
/// class (which runs Java code, and so ticks the budget) or leaves the
/// method's flow for a subroutine. (`ldc2_w` loads a `long` or `double`
/// constant, never anything that loads a class.)
fn allowed_in_loop(o: u8) -> bool {
    !matches!(
        o,
        op::INVOKEVIRTUAL
            ..=op::INVOKEDYNAMIC
                | op::GETSTATIC
                | op::PUTSTATIC
                | op::NEW
                | op::LDC
                | op::LDC_W
                | op::JSR
                | op::JSR_W
                | op::RET
    )
}

/// `iload n` or an `int` constant.
fn invariant_load(x: &Insn) -> Option<Invariant> {
    Some(match (x.opcode, &x.operands) {
        (op::ILOAD, Operands::Local(n)) => Invariant::Local(*n),
        (op::ILOAD_0..=op::ILOAD_3, _) => Invariant::Local(u16::from(x.opcode - op::ILOAD_0)),
        (op::ICONST_M1..=op::ICONST_5, _) => Invariant::Const(i32::from(x.opcode) - i32::from(op::ICONST_0)),
        (op::BIPUSH | op::SIPUSH, Operands::Immediate(v)) => Invariant::Const(*v),
        _ => return None,
    })
}

/// Whether `x` writes local `n` (a long or double at `n - 1` covers it).
pub(crate) fn stores(x: &Insn, n: u16) -> bool {
    let at = match (x.opcode, &x.operands) {
        (op::ISTORE | op::FSTORE | op::ASTORE | op::LSTORE | op::DSTORE, Operands::Local(i)) => *i,
        (op::ISTORE_0..=op::ISTORE_3, _) => u16::from(x.opcode - op::ISTORE_0),
        (op::LSTORE_0..=op::LSTORE_3, _) => u16::from(x.opcode - op::LSTORE_0),
        (op::FSTORE_0..=op::FSTORE_3, _) => u16::from(x.opcode - op::FSTORE_0),
        (op::DSTORE_0..=op::DSTORE_3, _) => u16::from(x.opcode - op::DSTORE_0),
        (op::ASTORE_0..=op::ASTORE_3, _) => u16::from(x.opcode - op::ASTORE_0),
        (op::IINC, Operands::Iinc { index, .. }) => *index,
        _ => return false,
    };
    let wide = matches!(x.opcode, op::LSTORE | op::DSTORE | op::LSTORE_0..=op::LSTORE_3 | op::DSTORE_0..=op::DSTORE_3);
    at == n || (wide && at.checked_add(1) == Some(n))
}

/// The update of `iv` ending right before instruction `e`: `iinc iv, c`,
/// or `iload iv; <step>; iadd; istore iv` (either order), or `iload iv;
/// <constant>; isub; istore iv`. Returns its first instruction and step.
fn update_before(code: &[Insn], e: usize, iv: u16) -> Option<(usize, Invariant)> {
    let last = code.get(e.checked_sub(1)?)?;
    if let (op::IINC, Operands::Iinc { index, delta }) = (last.opcode, &last.operands) {
        return (*index == iv).then_some((e - 1, Invariant::Const(i32::from(*delta))));
    }
    let start = e.checked_sub(4)?;
    let [x, y, arith, store] = [&code[start], &code[start + 1], &code[start + 2], &code[start + 3]];
    if !stores(store, iv) || !matches!(store.opcode, op::ISTORE | op::ISTORE_0..=op::ISTORE_3) {
        return None;
    }
    let (x, y) = (invariant_load(x)?, invariant_load(y)?);
    let step = match (arith.opcode, x, y) {
        (op::IADD, Invariant::Local(i), s) | (op::IADD, s, Invariant::Local(i)) if i == iv => s,
        (op::ISUB, Invariant::Local(i), Invariant::Const(c)) if i == iv => Invariant::Const(c.checked_neg()?),
        _ => return None,
    };
    Some((start, step))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn analyse(code: &[u8]) -> Vec<Option<CountedLoop>> {
        analyse_with(code, &|_| false)
    }

    fn analyse_with(code: &[u8], inline_static: &dyn Fn(&Insn) -> bool) -> Vec<Option<CountedLoop>> {
        let (insns, rotatable, leader) = shape(code);
        counted_loops(&insns, &rotatable, &leader, &[], inline_static)
    }

    fn analyse_bounded(code: &[u8]) -> Vec<Option<CountedLoop>> {
        let (insns, rotatable, leader) = shape(code);
        let counted: Vec<bool> = analyse(code).iter().map(Option::is_some).collect();
        bounded_loops(&insns, &rotatable, &leader, &[], &counted)
    }

    fn shape(code: &[u8]) -> (Instructions, Vec<bool>, Vec<bool>) {
        let insns = Instructions::decode(code, 52).unwrap();
        let targets: Vec<i64> = insns.insns.iter().flat_map(|i| i.targets()).collect();
        let n = insns.insns.len();
        let leader: Vec<bool> = (0..n)
            .map(|k| {
                targets.contains(&(insns.insns[k].pc as i64))
                    || (k > 0 && insns.insns[k - 1].targets().next().is_some())
            })
            .collect();
        // Every two-loads-and-compare is a header here.
        let rotatable: Vec<bool> = (0..n)
            .map(|k| {
                k + 2 < n
                    && invariant_load(&insns.insns[k]).is_some()
                    && invariant_load(&insns.insns[k + 1]).is_some()
                    && matches!(insns.insns[k + 2].opcode, op::IF_ICMPEQ..=op::IF_ICMPLE)
            })
            .collect();
        (insns, rotatable, leader)
    }

    /// JvmBench's sieve, `static int sieve(int n)` (javac 17).
    #[rustfmt::skip]
    const SIEVE: &[u8] = &[
        op::ILOAD_0, op::ICONST_1, op::IADD, op::NEWARRAY, 4, op::ASTORE_1, op::ICONST_0, op::ISTORE_2, // 0..8
        op::ICONST_2, op::ISTORE_3, // 8: i = 2
        op::ILOAD_3, op::ILOAD_0, op::IF_ICMPGT, 0, 43, // 10: i <= n, else 55
        op::ALOAD_1, op::ILOAD_3, op::BALOAD, op::IFNE, 0, 31, // 15: if (!c[i]), else 49
        op::IINC, 2, 1, // 21: count++
        op::ILOAD_3, op::ILOAD_3, op::IADD, op::ISTORE, 4, // 24: j = i + i
        op::ILOAD, 4, op::ILOAD_0, op::IF_ICMPGT, 0, 17, // 29: j <= n, else 49
        op::ALOAD_1, op::ILOAD, 4, op::ICONST_1, op::BASTORE, // 35: c[j] = true
        op::ILOAD, 4, op::ILOAD_3, op::IADD, op::ISTORE, 4, // 40: j += i
        op::GOTO, 0xff, 0xef, // 46: goto 29
        op::IINC, 3, 1, // 49: i++
        op::GOTO, 0xff, 0xd6, // 52: goto 10
        op::ILOAD_2, op::IRETURN, // 55
    ];

    #[test]
    fn the_inner_loop_of_sieve_is_counted_and_the_outer_is_not() {
        let found = analyse(SIEVE);
        let loops: Vec<_> = found.iter().enumerate().filter_map(|(k, c)| c.map(|c| (k, c))).collect();
        let insns = Instructions::decode(SIEVE, 52).unwrap();
        assert_eq!(loops.len(), 1, "{loops:?}");
        let (h, c) = loops[0];
        assert_eq!(insns.insns[h].pc, 29);
        assert_eq!(
            c,
            CountedLoop {
                header: h,
                iv: 4,
                bound: Invariant::Local(0),
                step: Invariant::Local(3),
                cont: Cont::Le,
                back_edge: insns.position(46).unwrap(),
                arrays: [Some(1), None],
                masked: [None; MAX_ARRAYS],
            }
        );
    }

    #[test]
    fn the_outer_loop_of_sieve_is_bounded() {
        let found = analyse_bounded(SIEVE);
        let loops: Vec<_> = found.iter().enumerate().filter_map(|(k, c)| c.map(|c| (k, c))).collect();
        let insns = Instructions::decode(SIEVE, 52).unwrap();
        assert_eq!(loops.len(), 1, "{loops:?}");
        let (h, c) = loops[0];
        assert_eq!(insns.insns[h].pc, 10);
        assert_eq!(
            c,
            CountedLoop {
                header: h,
                iv: 3,
                bound: Invariant::Local(0),
                step: Invariant::Const(1),
                cont: Cont::Le,
                back_edge: insns.position(52).unwrap(),
                arrays: [Some(1), None],
                masked: [None; MAX_ARRAYS],
            }
        );
    }

    /// `for (int i = 0; i < 10; i++) s += i;` with a body around it.
    fn simple(body: &[u8], test: u8, step: i8) -> Vec<u8> {
        let mut code = vec![op::ICONST_0, op::ISTORE_1, op::ILOAD_1, op::BIPUSH, 10, test, 0, 0];
        code.extend_from_slice(body);
        code.extend_from_slice(&[op::IINC, 1, step as u8]);
        let back = code.len();
        let off = (2 - back as i16).to_be_bytes();
        code.extend_from_slice(&[op::GOTO, off[0], off[1]]);
        let exit = code.len() as i16 - 5;
        code[6..8].copy_from_slice(&exit.to_be_bytes());
        code.extend_from_slice(&[op::ILOAD_2, op::IRETURN]);
        code
    }

    fn count(code: &[u8]) -> usize {
        analyse(code).iter().filter(|c| c.is_some()).count()
    }

    #[test]
    fn what_makes_a_loop_counted() {
        let sum = [op::ILOAD_2, op::ILOAD_1, op::IADD, op::ISTORE_2];
        assert_eq!(count(&simple(&sum, op::IF_ICMPGE, 1)), 1);
        assert_eq!(analyse(&simple(&sum, op::IF_ICMPGE, 1))[2].unwrap().cont, Cont::Lt);
        // Counting down under `i > 10` (taken when `i <= 10`).
        assert_eq!(analyse(&simple(&sum, op::IF_ICMPLE, -1))[2].unwrap().cont, Cont::Gt);
        // A step against the test's direction, or none.
        assert_eq!(count(&simple(&sum, op::IF_ICMPGE, -1)), 0);
        assert_eq!(count(&simple(&sum, op::IF_ICMPGE, 0)), 0);
        // `i != 10` is not counted.
        assert_eq!(count(&simple(&sum, op::IF_ICMPEQ, 1)), 0);
        // The body stores to the induction variable too.
        assert_eq!(count(&simple(&[op::ILOAD_2, op::ISTORE_1], op::IF_ICMPGE, 1)), 0);
        // A long stored over it.
        assert_eq!(count(&simple(&[op::LCONST_0, op::LSTORE_0], op::IF_ICMPGE, 1)), 0);
        // A call or a static access in the body.
        assert_eq!(count(&simple(&[op::INVOKESTATIC, 0, 1], op::IF_ICMPGE, 1)), 0);
        assert_eq!(count(&simple(&[op::GETSTATIC, 0, 1, op::POP], op::IF_ICMPGE, 1)), 0);
        // ...unless the code does that access itself (its class is
        // initialized); a call still is not.
        let inline = |code: &[u8]| analyse_with(code, &|_| true).iter().filter(|c| c.is_some()).count();
        assert_eq!(inline(&simple(&[op::GETSTATIC, 0, 1, op::POP], op::IF_ICMPGE, 1)), 1);
        assert_eq!(inline(&simple(&[op::INVOKESTATIC, 0, 1], op::IF_ICMPGE, 1)), 0);
    }
}
