//! Unrolled loops (docs/jit.md, "Unrolled loops"): a short loop without
//! side exits (a counted loop's fast copy) whose values move from one
//! variable to another runs as four copies of its path, each with the
//! loop's test. Whatever the trip count, and whichever copy the loop
//! leaves from, the results must be the interpreter's.
mod support;

use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::Value;
use support::*;

const UNROLLED: &str = r#"
public class Unrolled {
    // Three values moving round the loop, as JvmBench's `local`.
    static int rotate(int n) { int a = 1, b = 2, c = 3; for (int i = 0; i < n; i++) { a = b; b = c; c = a + i; } return a * 31 * 31 + b * 31 + c; }
    static long longs(int n) { long a = 1, b = -7; for (int i = 0; i < n; i++) { long t = a * 3 + b + i; a = b; b = t; } return a * 17 + b; }
    static double doubles(int n) { double x = 0.5, y = 1; for (int i = 0; i < n; i++) { double t = x + y * 0.25; y = x; x = t; } return x * 3 + y; }
    // Stores inside: each copy's store, in order.
    static int stores(int n) { int[] a = new int[n]; int p = 1, q = 2; for (int i = 0; i < n; i++) { a[i] = p * 5 + q; p = q; q = i; } int s = p * 3 + q; for (int v : a) s = s * 7 + v; return s; }
    // Nothing moves between variables: not unrolled (as Sieve's loops).
    static int sums(int n) { int s = 0; for (int i = 0; i < n; i++) s += i * i; return s; }
}
"#;

#[test]
fn unrolled_loops_leave_after_the_same_iteration() {
    require_javac();
    let classes = compile(&[("Unrolled.java", UNROLLED)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    let (mut interp, _out) = new_vm(&classes, jit_test_config());
    let cases = [
        ("rotate", "(I)I", true),
        ("longs", "(I)J", true),
        ("doubles", "(I)D", true),
        ("stores", "(I)I", true),
        ("sums", "(I)I", false),
    ];
    for (name, desc, unrolled) in cases {
        let m = method(&mut jv.vm, "Unrolled", name, desc);
        jv.vm.jit_compile(m).expect("compiles");
        let r = jv.log.borrow().last().cloned().unwrap();
        assert_eq!(r.unrolled_loops > 0, unrolled, "{name}: {} loops unrolled ({:?})", r.unrolled_loops, r.declined);
        let mi = method(&mut interp, "Unrolled", name, desc);
        // Every remainder of four, around the copies' ends, and long runs.
        for n in (0..20).chain([63, 64, 65, 1000, 1001, 1002, 1003]) {
            let want = interp.invoke(mi, &[Value::Int(n)]);
            let want = render(&mut interp, want);
            let got = jv.vm.invoke_compiled(m, &[Value::Int(n)]);
            assert_eq!(render(&mut jv.vm, got), want, "{name}({n}): compiled (left), interpreted (right)");
        }
    }
}

/// Each copy leaves through a cold block of its own that ends in a jump
/// to the exit: the way on to the next copy falls through, and what only
/// the exits need sits after the hot code.
#[test]
fn each_copy_leaves_through_a_cold_block() {
    require_javac();
    let classes = compile(&[("Unrolled.java", UNROLLED)]);
    let r = compile_keeping_ir(&classes, "Unrolled", "rotate", "(I)I");
    assert_eq!(r.unrolled_loops, 1, "{:?}", r.declined);
    let ir = r.ir.expect("keep_ir keeps the IR");
    // The blocks each cold block ends by jumping to, and how often.
    let jumps: Vec<&str> = ir_blocks(&ir)
        .into_iter()
        .filter(|(cold, _)| *cold)
        .filter_map(|(_, insts)| insts.last()?.strip_prefix("jump "))
        .map(|to| to.split('(').next().unwrap_or(to))
        .collect();
    // The loop's exit, from the four copies (the checked copy leaves
    // through its own branch).
    let cold_exits = jumps.iter().map(|t| jumps.iter().filter(|u| *u == t).count()).max().unwrap_or(0);
    assert!(cold_exits >= 4, "one cold exit block per copy: {cold_exits}\n{ir}");
}
