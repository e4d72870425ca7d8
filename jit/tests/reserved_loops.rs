//! Reserved loops (docs/jit.md, "Reserved loops"): a bounded loop with no
//! other bounded loop inside does not check the budget on its own back
//! edge. Its entry requires budget for every back edge it can take, and
//! whatever spends budget in its body (inner loops, calls, an inlined
//! callee's loop) keeps that much left or leaves for the interpreter.
//! The budget must run out exactly where the interpreter's does: every
//! budget from 1 up past each case's total is tried.
mod support;

use pd_jvm::runtime::compiler::JitConfig;
use support::*;

const RESERVED: &str = r#"
public class Reserved {
    // Iterations so far, kept where an exception or the budget leaves them.
    static int[] n = new int[1];
    static int count() { return n[0]; }
    static void reset() { n[0] = 0; }
    // A real call (a handler keeps it from being inlined): it ticks the
    // budget and its loop spends `k` more.
    static int spend(int k) { int s = 0; try { for (int i = 0; i < k; i++) s += i; } catch (RuntimeException e) { s = -1; } return s; }
    // Inlined, with a loop whose back edges tick in the caller's body.
    static int small(int k) { int s = 0; for (int i = 0; i < k; i++) s += i; return s; }

    // Sieve: an inner counted loop, whose fast copy must leave the reserve.
    static int sieve(int from, int to, int len) { int[] c = n; boolean[] composite = new boolean[len]; int count = 0; for (int i = from; i <= to; i++) { c[0]++; if (!composite[i]) { count++; for (int j = i + i; j <= to; j += i) composite[j] = true; } } return count; }
    // A call in the body, spending a varying amount.
    static int calls(int from, int to, int len) { int[] c = n; int[] a = new int[len]; int s = 0; for (int i = from; i < to; i++) { c[0]++; a[i] = i; s += spend(i % 7); } return s; }
    // An inner loop that is not counted (it calls).
    static int innerCalls(int from, int to, int len) { int[] c = n; int[] a = new int[len]; int s = 0; for (int i = from; i < to; i++) { c[0]++; a[i] = i; int m = i % 4; for (int j = 0; j < m; j++) s += spend(j); } return s; }
    // An inlined callee's loop.
    static int inlinedLoop(int from, int to, int len) { int[] c = n; int[] a = new int[len]; int s = 0; for (int i = from; i < to; i++) { c[0]++; a[i] = small(i % 6); s += a[i]; } return s; }
    // Going down by two, with a call and an inner counted loop.
    static int down(int from, int to, int len) { int[] c = n; int[] a = new int[len]; int s = 0; for (int i = from; i >= to; i -= 2) { c[0]++; a[i] = spend(3); for (int j = 0; j < 3; j++) s += a[i] + j; } return s; }
    // Calls only in the last iteration: nothing but the loop's own back
    // edges spends budget before it.
    static int lastCalls(int from, int to, int len) { int[] c = n; int[] a = new int[len]; int s = 0; for (int i = from; i < to; i++) { c[0]++; a[i] = i; if (i == to - 1) s += spend(2); } return s; }
    // A step in a local, and a bound in a local the loop reads.
    static int stepLocal(int from, int to, int step) { int[] c = n; int[] a = new int[64]; int s = 0; for (int i = from; i < to; i += step) { c[0]++; a[i] = spend(i % 3); for (int j = 0; j < i % 5; j++) s += a[i]; } return s; }
}
"#;

fn cases() -> Vec<(&'static str, [i32; 3])> {
    vec![
        ("sieve", [2, 60, 61]),
        ("calls", [0, 12, 12]),
        ("innerCalls", [0, 10, 10]),
        ("inlinedLoop", [0, 12, 12]),
        ("down", [11, 0, 12]),
        ("lastCalls", [0, 30, 30]),
        ("stepLocal", [0, 40, 3]),
        ("stepLocal", [0, 64, 7]),
    ]
}

/// Every budget from 1 to past the largest case's total: the same result
/// (or exhausted budget) and the same iterations, compiled and interpreted.
#[test]
fn the_budget_runs_out_where_the_interpreter_says() {
    require_javac();
    let classes = compile(&[("Reserved.java", RESERVED)]);
    let budgets: Vec<u64> = (1..=400).collect();
    agree_under_budgets(&classes, "Reserved", &budgets, JitConfig::default(), &cases());
}

/// The loops above reserve their budget: their back edge has no check.
#[test]
fn these_loops_reserve_their_budget() {
    require_javac();
    let classes = compile(&[("Reserved.java", RESERVED)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    for (name, _) in cases() {
        let r = jv.compile("Reserved", name, "(III)I");
        assert_eq!((r.bounded_loops, r.reserved_loops), (1, 1), "{name}: {:?}", r.declined);
    }
}
