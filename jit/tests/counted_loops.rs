//! Counted loops (docs/jit.md, "Counted loops"): a loop entered with
//! budget enough for all its back edges runs a copy without budget
//! checks. Whatever the budget, compiled code must do what the
//! interpreter does: the same result, or the budget running out after the
//! same number of iterations; near the ends of `int`, with steps that
//! wrap, and with steps in a local that point the wrong way.
mod support;

use pd_jvm::runtime::compiler::JitConfig;
use support::*;

const COUNTED: &str = r#"
public class Counted {
    // Iterations so far, kept where a loop cut short by the budget leaves
    // them (a static read before the loop; the loop body only stores to
    // the array).
    static int[] n = new int[1];
    static int count() { return n[0]; }
    static void reset() { n[0] = 0; total = 0; }
    static int total;

    static int upLe(int from, int to, int step) { int[] c = n; int s = 0; for (int i = from; i <= to; i += step) { s += i; c[0]++; } return s; }
    static int upLt(int from, int to, int step) { int[] c = n; int s = 0; for (int i = from; i < to; i++) { s += i; c[0]++; } return s; }
    static int downGe(int from, int to, int step) { int[] c = n; int s = 0; for (int i = from; i >= to; i += step) { s += i; c[0]++; } return s; }
    static int downGt(int from, int to, int step) { int[] c = n; int s = 0; for (int i = from; i > to; i -= 2) { s += i; c[0]++; } return s; }
    static int boundFirst(int from, int to, int step) { int[] c = n; int s = 0; for (int i = from; to > i; i += 5) { s += i; c[0]++; } return s; }
    static int constBound(int from, int to, int step) { int[] c = n; int s = 0; for (int i = from; i < 1000; i += 7) { s += i; c[0]++; } return s; }
    static int leaves(int from, int to, int step) { int[] c = n; int s = 0; for (int i = from; i < to; i++) { if (i == 500) break; s += i; c[0]++; } return s; }
    static int throwsInside(int from, int to, int step) { int[] c = n; int[] a = new int[100]; int s = 0; for (int i = from; i < to; i++) { a[i] = i; s += i; c[0]++; } return s; }
    // Arrays indexed by the induction variable: no checks in the fast
    // copy when its guard finds every index in bounds.
    static int fillUp(int from, int to, int len) { int[] c = n; int[] a = len < 0 ? null : new int[len]; for (int i = from; i < to; i++) { a[i] = i; c[0]++; } return a.length; }
    static int fillDown(int from, int to, int len) { int[] c = n; int[] a = len < 0 ? null : new int[len]; int s = 0; for (int i = from; i >= to; i--) { s += a[i] + 1; a[i] = i; c[0]++; } return s; }
    // A static of an initialized class: accessed inline, so counted.
    static int statics(int from, int to, int step) { int[] c = n; for (int i = from; i < to; i++) { total += i; c[0]++; } return total; }
    // Indexed by masked values, as a ring buffer: no checks in the fast
    // copy when the guard finds the largest mask below the length.
    static int masked(int from, int to, int len) { int[] c = n; int[] a = len < 0 ? null : new int[len]; int s = 0; for (int i = from; i < to; i++) { a[i & 15] += i; s += a[(i + 3) & 15]; c[0]++; } return s; }
    static int twoMasks(int from, int to, int len) { int[] c = n; int[] a = len < 0 ? null : new int[len]; int s = 0; for (int i = from; i < to; i++) { a[i & 7] = i; s += a[(i - 1) & 31]; c[0]++; } return s; }
    static void fillOnly(int[] a, int to) { for (int i = 0; i < to; i++) a[i] = i; }
    static int twoArrays(int from, int to, int len) { int[] c = n; int[] a = new int[len]; long[] b = new long[len + 1]; for (int i = from; i <= to; i++) { b[i] = a[i] + i; c[0]++; } return (int) b[to]; }
}
"#;

const MAX: i32 = i32::MAX;
const MIN: i32 = i32::MIN;

fn cases() -> Vec<(&'static str, [i32; 3])> {
    vec![
        ("upLe", [0, 100, 1]),
        ("upLe", [3, 1000, 7]),
        ("upLe", [-50, 50, 3]),
        ("upLe", [MAX - 10, MAX, 3]), // wraps: endless
        ("upLe", [MAX - 10, MAX - 3, 3]),
        ("upLe", [0, 100, -1]), // the step points away: 2^31 iterations
        ("upLe", [0, 10, 0]),   // no step: endless
        ("upLe", [10, 0, 1]),   // never entered
        ("upLt", [0, 300, 1]),
        ("upLt", [MAX - 5, MAX, 1]),
        ("upLt", [MIN, MIN + 40, 1]),
        ("downGe", [100, 0, -1]),
        ("downGe", [1000, -1000, -9]),
        ("downGe", [MIN + 10, MIN, -3]), // wraps: endless
        ("downGe", [0, -100, 1]),        // the step points away
        ("downGt", [100, 0, 0]),
        ("downGt", [MIN + 5, MIN, 0]),
        ("boundFirst", [0, 1000, 0]),
        ("constBound", [0, 0, 0]),
        ("constBound", [990, 0, 0]),
        ("leaves", [0, 1000, 0]),
        ("throwsInside", [0, 200, 0]),
        ("fillUp", [0, 10, 10]),
        ("fillUp", [0, 11, 10]), // out of bounds at the end
        ("fillUp", [-1, 5, 10]), // and at the start
        ("fillUp", [0, 5, -1]),  // null
        ("fillUp", [5, 3, 10]),  // never entered
        ("fillDown", [9, 0, 10]),
        ("fillDown", [10, 0, 10]),
        ("fillDown", [5, -1, 10]),
        ("fillDown", [3, 0, -1]),
        ("twoArrays", [0, 9, 10]),
        ("twoArrays", [0, 10, 10]), // the shorter one runs out
        ("statics", [0, 100, 0]),
        ("statics", [MAX - 3, MAX, 0]),
        ("masked", [0, 100, 16]),
        ("masked", [-50, 50, 17]),
        ("masked", [0, 100, 15]), // the mask reaches past the end
        ("masked", [0, 9, 12]),   // ... but no index does
        ("masked", [0, 100, 0]),
        ("masked", [0, 100, -1]), // null
        ("twoMasks", [0, 100, 32]),
        ("twoMasks", [0, 100, 31]), // the larger mask reaches past the end
        ("twoMasks", [0, 100, 8]),
    ]
}

#[test]
fn counted_loops_count_the_budget_as_the_interpreter_does() {
    require_javac();
    let classes = compile(&[("Counted.java", COUNTED)]);
    let budgets = [0u64, 1, 2, 3, 10, 99, 100, 101, 142, 143, 300, 1000, 5000];
    agree_under_budgets(&classes, "Counted", &budgets, JitConfig::default(), &cases());
}

#[test]
fn these_loops_are_counted() {
    require_javac();
    let classes = compile(&[("Counted.java", COUNTED)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    // Initialized: its statics are accessed inline.
    let reset = method(&mut jv.vm, "Counted", "reset", "()V");
    jv.vm.invoke(reset, &[]).unwrap();
    for (name, _) in cases() {
        let r = jv.compile("Counted", name, "(III)I");
        assert_eq!(r.counted_loops, 1, "{name}: {:?}", r.declined);
    }
}

/// The checked copy runs only where the guard fails: its blocks are cold
/// (placed after the hot code), the fast copy's are not. `fillOnly`'s
/// one store (`a[i] = i`, at offset 16) is in both copies.
#[test]
fn the_checked_copy_is_cold() {
    require_javac();
    let classes = compile(&[("Counted.java", COUNTED)]);
    let r = compile_keeping_ir(&classes, "Counted", "fillOnly", "([II)V");
    assert_eq!(r.counted_loops, 1, "{:?}", r.declined);
    let ir = r.ir.expect("keep_ir keeps the IR");
    // Whether each block holding an element store is cold.
    let mut stores: Vec<bool> = ir_blocks(&ir)
        .iter()
        .flat_map(|(cold, insts)| insts.iter().filter(|i| i.starts_with("store") && i.ends_with("+16")).map(|_| *cold))
        .collect();
    stores.sort();
    assert_eq!(stores, [false, true], "one element store in each copy, the checked one cold:\n{ir}");
}
