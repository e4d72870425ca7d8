//! The control flow of an inlined callee, by bytecode block: which of its
//! stores a failure inside the body can undo (docs/jit.md, "Inlining").
//!
//! A failed check or guard in an inlined body runs the call again for
//! real, after undoing the stores the inlined code made: each store loads
//! the value it overwrites first, and the failure's slow path writes it
//! back. That is right only for a store that certainly ran once before the
//! failure: its block dominates the failure's and lies on no cycle (a
//! store repeated by a loop would be undone to the previous iteration's
//! value, and one in a loop's later iteration can precede a failure that
//! comes earlier in the block). A store that may or may not have run
//! (its block reaches the failure without dominating it) cannot be undone:
//! the call is not inlined. A store whose block cannot reach the failure
//! did not run on the way there and is left alone.

use alloc::vec;
use alloc::vec::Vec;
use core::cell::OnceCell;

use pd_jvm::verify::insn::{op, Insn};

use crate::translate::is_terminator;

/// At most this many blocks (sets of blocks are `u64` bit sets); a callee
/// with more is not inlined.
pub(crate) const MAX_BLOCKS: usize = 64;

pub(crate) struct BodyCfg {
    /// Per instruction: the number of its block (leaders in code order).
    block_of: Vec<u8>,
    /// Per block: its successors.
    succ: Vec<u64>,
    /// Blocks that end in a return.
    exits: u64,
    /// Reachability and dominators, computed on the first question: only
    /// a body that stores asks (most inlined bodies are getters).
    paths: OnceCell<Paths>,
}

struct Paths {
    /// Per block: the blocks reachable from it along at least one edge.
    reach: Vec<u64>,
    /// Per block: its dominators, itself included.
    dom: Vec<u64>,
}

fn bit(b: usize) -> u64 {
    1 << b
}

impl BodyCfg {
    /// The blocks of `insns` (`leader`: starts a block; `live`: a
    /// reachable leader; `index_of`: the instruction at a pc), or `None`
    /// with more than [`MAX_BLOCKS`].
    pub(crate) fn new(
        insns: &[Insn],
        leader: &[bool],
        live: impl Fn(usize) -> bool,
        index_of: impl Fn(usize) -> Option<usize>,
    ) -> Option<BodyCfg> {
        let mut block_of = vec![0u8; insns.len()];
        let mut starts = Vec::new();
        for i in 0..insns.len() {
            if i == 0 || leader[i] {
                starts.push(i);
            }
            if starts.len() > MAX_BLOCKS {
                return None;
            }
            block_of[i] = (starts.len() - 1) as u8;
        }
        let n = starts.len();
        let mut succ = vec![0u64; n];
        let mut exits = 0;
        for (b, &start) in starts.iter().enumerate() {
            if !live(start) {
                continue;
            }
            let end = starts.get(b + 1).copied().unwrap_or(insns.len());
            for insn in &insns[start..end] {
                for t in insn.targets() {
                    if let Some(ti) = usize::try_from(t).ok().and_then(&index_of) {
                        succ[b] |= bit(usize::from(block_of[ti]));
                    }
                }
            }
            let last = insns[end - 1].opcode;
            if !is_terminator(last) && b + 1 < n {
                succ[b] |= bit(b + 1);
            }
            if matches!(last, op::IRETURN..=op::RETURN) {
                exits |= bit(b);
            }
        }
        Some(BodyCfg { block_of, succ, exits, paths: OnceCell::new() })
    }

    fn paths(&self) -> &Paths {
        self.paths.get_or_init(|| {
            let (succ, n) = (&self.succ, self.succ.len());
            let mut preds = vec![0u64; n];
            for b in 0..n {
                for s in 0..n {
                    if succ[b] & bit(s) != 0 {
                        preds[s] |= bit(b);
                    }
                }
            }
            // Reachability: the transitive closure of the successors.
            let mut reach = succ.clone();
            let mut changed = true;
            while changed {
                changed = false;
                for b in 0..n {
                    let mut r = reach[b];
                    for s in 0..n {
                        if reach[b] & bit(s) != 0 {
                            r |= reach[s];
                        }
                    }
                    if r != reach[b] {
                        reach[b] = r;
                        changed = true;
                    }
                }
            }
            // Dominators, iteratively (the entry is block 0).
            let all = if n == 64 { u64::MAX } else { bit(n) - 1 };
            let mut dom = vec![all; n];
            dom[0] = bit(0);
            let mut changed = true;
            while changed {
                changed = false;
                for b in 1..n {
                    if preds[b] == 0 {
                        continue;
                    }
                    let mut d = all;
                    for p in 0..n {
                        if preds[b] & bit(p) != 0 {
                            d &= dom[p];
                        }
                    }
                    d |= bit(b);
                    if d != dom[b] {
                        dom[b] = d;
                        changed = true;
                    }
                }
            }
            Paths { reach, dom }
        })
    }

    /// The block of instruction `i`.
    pub(crate) fn block_of(&self, i: usize) -> usize {
        usize::from(self.block_of[i])
    }

    /// Whether `a` runs again after itself (lies on a cycle).
    pub(crate) fn in_cycle(&self, a: usize) -> bool {
        self.paths().reach[a] & bit(a) != 0
    }

    /// Whether a path leads from the end of `a` to `b`.
    pub(crate) fn reaches(&self, a: usize, b: usize) -> bool {
        self.paths().reach[a] & bit(b) != 0
    }

    /// Whether every path from the entry to `b` passes through `a`.
    pub(crate) fn dominates(&self, a: usize, b: usize) -> bool {
        self.paths().dom[b] & bit(a) != 0
    }

    /// Whether every return of the body follows `a`.
    pub(crate) fn dominates_exits(&self, a: usize) -> bool {
        (0..self.succ.len()).filter(|&b| self.exits & bit(b) != 0).all(|b| self.dominates(a, b))
    }

    /// Whether a store in block `store` ran exactly once on every path to
    /// a failure in block `at` (true), may have run or not (`None`: it
    /// cannot be undone), or did not run on the way (false). A store in
    /// `at` itself was translated before the failure, so it precedes it.
    pub(crate) fn store_before(&self, store: usize, at: usize, sure: bool) -> Option<bool> {
        let reached = store == at || self.reaches(store, at);
        if !reached {
            return Some(false);
        }
        let once = sure && !self.in_cycle(store) && (store == at || self.dominates(store, at));
        once.then_some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pd_jvm::verify::insn::Instructions;

    fn cfg_of(code: &[u8]) -> (Instructions, BodyCfg) {
        let insns = Instructions::decode(code, 52).unwrap();
        let targets: Vec<i64> = insns.insns.iter().flat_map(|i| i.targets()).collect();
        let leader: Vec<bool> = insns
            .insns
            .iter()
            .enumerate()
            .map(|(k, i)| targets.contains(&(i.pc as i64)) || (k > 0 && insns.insns[k - 1].targets().next().is_some()))
            .collect();
        let cfg = BodyCfg::new(&insns.insns, &leader, |_| true, |pc| insns.position(pc)).unwrap();
        (insns, cfg)
    }

    #[test]
    fn stores_before_a_failure_by_block() {
        // 0: iconst_0 istore_1             block 0
        // 2: iload_1 iconst_4 if_icmpge 19  block 1 (loop header)
        // 7: iload_0 ifeq 13                block 2
        // 11: iload_1 ireturn               block 3 (a way out of the loop)
        // 13: iinc 1 1; goto 2              block 4 (the back edge)
        // 19: iconst_m1 ireturn             block 5
        let code = [
            op::ICONST_0,
            op::ISTORE_1,
            op::ILOAD_1,
            op::ICONST_4,
            op::IF_ICMPGE,
            0,
            15,
            op::ILOAD_0,
            op::IFEQ,
            0,
            5,
            op::ILOAD_1,
            op::IRETURN,
            op::IINC,
            1,
            1,
            op::GOTO,
            0xff,
            0xf2,
            op::ICONST_M1,
            op::IRETURN,
        ];
        let (insns, cfg) = cfg_of(&code);
        let blk = |pc: usize| cfg.block_of(insns.position(pc).unwrap());
        let (entry, header, test, exit, latch, end) = (blk(0), blk(2), blk(7), blk(11), blk(13), blk(19));
        assert_eq!([entry, header, test, exit, latch, end], [0, 1, 2, 3, 4, 5]);
        assert!(cfg.in_cycle(header) && cfg.in_cycle(test) && cfg.in_cycle(latch));
        assert!(!cfg.in_cycle(entry) && !cfg.in_cycle(exit) && !cfg.in_cycle(end));
        // The entry's stores ran once before anything.
        for at in 0..6 {
            assert_eq!(cfg.store_before(entry, at, true), Some(true), "at {at}");
        }
        // A store in the loop cannot be undone wherever the loop leads.
        for at in [header, test, exit, latch, end] {
            assert_eq!(cfg.store_before(test, at, true), None, "at {at}");
        }
        // A store on the way out (block 3) leads nowhere in the body.
        for at in [header, test, latch, end] {
            assert_eq!(cfg.store_before(exit, at, true), Some(false), "at {at}");
        }
        assert_eq!(cfg.store_before(exit, exit, true), Some(true));
        // A store that may not have run is no sure one anywhere it reaches.
        assert_eq!(cfg.store_before(exit, exit, false), None);
        assert!(cfg.dominates_exits(entry) && !cfg.dominates_exits(test) && cfg.dominates_exits(header));
    }
}
