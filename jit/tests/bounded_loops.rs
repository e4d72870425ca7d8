//! Bounded loops (docs/jit.md, "Bounded loops"): a loop that indexes an
//! array by its induction variable and holds what a counted loop may not
//! (an inner loop, a call) accesses `a[i]` without checks behind a guard
//! on entry; when the guard fails the code deoptimizes and the
//! interpreter runs the loop with its checks. Whatever the arrays and
//! bounds, compiled code must do what the interpreter does: the same
//! result or exception after the same iterations, the same budget.
mod support;

use jit::JitOptions;
use pd_jvm::runtime::compiler::JitConfig;
use support::*;

const BOUNDED: &str = r#"
public class Bounded {
    // Iterations so far, kept where an exception or the budget leaves them.
    static int[] n = new int[1];
    static int count() { return n[0]; }
    static void reset() { n[0] = 0; }
    // Inlined, and an inlined call does not tick the budget (docs/jit.md,
    // "Inlining"): loops with calls stop before the budget runs out here.
    static int id(int x) { return x; }

    // An inner loop makes these not counted.
    static int up(int from, int to, int len) { int[] c = n; int[] a = len < 0 ? null : new int[len]; int s = 0; for (int i = from; i < to; i++) { c[0]++; a[i] = i; for (int j = 0; j < 3; j++) s += a[i] + j; } return s; }
    static int upLe(int from, int to, int len) { int[] c = n; int[] a = len < 0 ? null : new int[len]; int s = 0; for (int i = from; i <= to; i += 3) { c[0]++; s += a[i] + id(i); a[i] = s; } return s; }
    static int down(int from, int to, int len) { int[] c = n; long[] a = len < 0 ? null : new long[len]; long s = 0; for (int i = from; i >= to; i--) { c[0]++; a[i] = i; s += a[i] * id(2); } return (int) s; }
    static int stepLocal(int from, int to, int step) { int[] c = n; byte[] a = new byte[100]; int s = 0; for (int i = from; i < to; i += step) { c[0]++; a[i]++; for (int j = 0; j < 2; j++) s += a[i] + j; } return s; }
    static int twoArrays(int from, int to, int len) { int[] c = n; int[] a = new int[len]; char[] b = new char[len + 1]; int s = 0; for (int i = from; i <= to; i++) { c[0]++; b[i] = (char) id(i); s += a[i] + b[i]; } return s; }
    // Leaves before it reaches the end of the array: the guard fails and
    // the code deoptimizes though no access is out of bounds.
    static int leaves(int from, int to, int len) { int[] c = n; int[] a = new int[len]; int s = 0; for (int i = from; i < to; i++) { if (i == len - 1) return s + id(i); c[0]++; a[i] = i; s += id(a[i]); } return s; }
    // Sieve, as JvmBench has it.
    static int sieve(int n0, int to, int len) { int[] c = n; boolean[] composite = new boolean[len]; int count = 0; for (int i = 2; i <= to; i++) { c[0]++; if (!composite[i]) { count++; for (int j = i + i; j <= to; j += i) composite[j] = true; } } return count; }

    // Not bounded: the array is indexed by a value computed from `i`
    // (a guard over `i` would fail for nothing), or the array or the
    // induction variable changes inside.
    static int modIndex(int from, int to, int len) { int[] c = n; int[] a = new int[3]; int s = 0; for (int i = from; i < to; i++) { c[0]++; a[i % 3] += i; for (int j = 0; j < 2; j++) s += a[j]; } return s; }
    static int arrayStored(int from, int to, int len) { int[] c = n; int[] a = new int[len]; int s = 0; for (int i = from; i < to; i++) { c[0]++; a[i] = i; s += id(i); if (i == 3) a = new int[2]; } return s; }
    static int ivStored(int from, int to, int len) { int[] c = n; int[] a = new int[len]; int s = 0; for (int i = from; i < to; i++) { c[0]++; a[i] = i; s += id(i); if (i == 3) i += 5; } return s; }
}
"#;

const MAX: i32 = i32::MAX;
const MIN: i32 = i32::MIN;

fn cases() -> Vec<(&'static str, [i32; 3])> {
    vec![
        ("up", [0, 10, 10]),
        ("up", [0, 11, 10]), // out of bounds at the end
        ("up", [-1, 5, 10]), // and at the start
        ("up", [0, 5, -1]),  // null
        ("up", [5, 3, 10]),  // never entered
        ("up", [MAX - 2, MAX, 10]),
        ("upLe", [0, 30, 31]),
        ("upLe", [0, 30, 30]),
        ("upLe", [1, 31, 30]),        // the last step jumps past the end: in bounds
        ("upLe", [MAX - 5, MAX, 10]), // wraps: out of bounds at once
        ("upLe", [0, 9, -1]),
        ("down", [9, 0, 10]),
        ("down", [10, 0, 10]),
        ("down", [5, -1, 10]),
        ("down", [3, 0, -1]),
        ("down", [MIN + 2, MIN, 10]),
        ("stepLocal", [0, 100, 1]),
        ("stepLocal", [0, 100, 7]),
        ("stepLocal", [0, 101, 1]),
        ("stepLocal", [0, 50, 0]),   // no step: until the budget runs out
        ("stepLocal", [10, 50, -1]), // the step points away: out of bounds below 0
        ("twoArrays", [0, 9, 10]),
        ("twoArrays", [0, 10, 10]), // the shorter one runs out
        ("leaves", [0, 100, 10]),
        ("sieve", [0, 1000, 1001]),
        ("sieve", [0, 1000, 1000]),
        ("modIndex", [0, 100, 0]),
        ("arrayStored", [0, 10, 10]),
        ("ivStored", [0, 12, 12]),
    ]
}

#[test]
fn bounded_loops_do_what_the_interpreter_does() {
    require_javac();
    let classes = compile(&[("Bounded.java", BOUNDED)]);
    agree_under_budgets(&classes, "Bounded", &[40, 1000, 200_000], JitConfig::default(), &cases());
}

#[test]
fn these_loops_are_bounded() {
    require_javac();
    let classes = compile(&[("Bounded.java", BOUNDED)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    for (name, _) in cases() {
        let r = jv.compile("Bounded", name, "(III)I");
        let want = usize::from(!matches!(name, "modIndex" | "arrayStored" | "ivStored"));
        assert_eq!(r.bounded_loops, want, "{name}: {:?}", r.declined);
    }
}

/// A guard that keeps failing (the loop leaves before the end of its
/// array) deoptimizes until `deopt_limit`; the method is then compiled
/// again without the guard and runs compiled from then on.
#[test]
fn a_failing_bound_guard_deoptimizes_until_the_limit() {
    require_javac();
    let classes = compile(&[("Bounded.java", BOUNDED)]);
    let jc = JitConfig { deopt_limit: 3, ..JitConfig::default() };
    let mut jv = jit_vm(&classes, jit_test_config(), jc, JitOptions { ..test_opts() });
    let (mut interp, _out) = new_vm(&classes, jit_test_config());
    let leaves = method(&mut jv.vm, "Bounded", "leaves", "(III)I");
    let want = run_counted(&mut interp, "Bounded", "leaves", [0, 100, 10], false);
    jv.vm.jit_compile(leaves).unwrap();
    for k in 1..=6u64 {
        assert_eq!(run_counted(&mut jv.vm, "Bounded", "leaves", [0, 100, 10], true), want, "run {k}");
        assert_eq!(jv.vm.jit_deoptimizations(), k.min(3), "run {k}");
    }
    let compiles: Vec<usize> = jv.log.borrow().iter().filter(|r| r.method == leaves).map(|r| r.bounded_loops).collect();
    assert_eq!(compiles, [1, 0], "compiled again at the limit, without the guard");
    // In bounds: no deoptimization, with or without the guard.
    let want = run_counted(&mut interp, "Bounded", "leaves", [0, 5, 10], false);
    assert_eq!(run_counted(&mut jv.vm, "Bounded", "leaves", [0, 5, 10], true), want);
    assert_eq!(jv.vm.jit_deoptimizations(), 3);
}
