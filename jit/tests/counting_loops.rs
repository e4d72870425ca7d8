//! Counting loops (docs/jit.md, "Counting loops"): a loop that only moves
//! its values by constants leaves with values computed on entry, when no
//! slow path could be taken on the way. Whatever the bounds, the budget
//! or the receiver, compiled code must do what the interpreter does: the
//! same result, or the budget running out at the same point (loops
//! without calls, whose every iteration ticks the same in both); near the
//! ends of `int`, with bounds that wrap, and with guards that fail.
mod support;

use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::{Value, Vm, VmConfig};
use support::*;

const COUNTING: &str = r#"
public class Counting {
    static int upLt(int from, int to) { int acc = 7; for (int i = from; i < to; i++) acc += 3; return acc; }
    static int upLe(int from, int to) { int acc = 0, b = 100; for (int i = from; i <= to; i++) { acc--; b += 2; } return acc * 31 + b; }
    static int downGt(int from, int to) { int acc = 0; for (int i = from; i > to; i--) acc += 5; return acc; }
    static int downGe(int from, int to) { int acc = 1; for (int i = from; i >= to; --i) acc -= 9; return acc; }
    static int boundFirst(int from, int to) { int acc = 0; for (int i = from; to > i; i++) acc++; return acc; }
    static int stopAt(int from, int to) { int acc = 0; for (int i = from; i < to; i++) { acc++; if (acc == 50) return -acc; } return acc; }
    static int lastIndex(int from, int to) { int i; for (i = from; i < to; i++) { } return i; }
    static int offsetBound(int from, int to) { int acc = 0; for (int i = from; i < to + 3; i++) acc += 2; return acc; }
    static long longAcc(int from, int to) { long acc = 1L << 40; for (int i = from; i < to; i++) acc -= 1_000_000_007L; return acc; }
    static int nested(int from, int to) { int acc = 0; for (int a = 0; a < 10; a++) for (int i = from; i < to; i++) acc += 2; return acc; }
    static int notAffine(int from, int to) { int acc = 0; for (int i = from; i < to; i++) acc += i; return acc; }
}
"#;

/// Loops around calls (a class with an initializer: the budget tests
/// above would spend theirs on it).
const CALLS: &str = r#"
public class CountingCalls {
    static int inc(int x) { return x + 1; }
    static int viaStatic(int from, int to) { int acc = 0; for (int i = from; i < to; i++) acc = inc(acc); return acc; }

    interface Step { int step(int x); }
    static final class Up implements Step { public int step(int x) { return x + 1; } }
    static final class Twice implements Step { public int step(int x) { return x * 2 + 1; } }
    static class Base { int next(int x) { return x + 3; } }
    static final class Derived extends Base { int next(int x) { return x - 1; } }
    static final Step[] STEPS = { new Up(), new Twice(), null };
    static final Base[] BASES = { new Base(), new Derived(), null };
    static int viaInterface(int which, int n) { Step s = STEPS[which]; int acc = 0; for (int i = 0; i < n; i++) acc = s.step(acc); return acc; }
    static int viaVirtual(int which, int n) { Base b = BASES[which]; int acc = 0; for (int i = 0; i < n; i++) acc = b.next(acc); return acc; }
}
"#;

const MAX: i32 = i32::MAX;
const MIN: i32 = i32::MIN;

/// The loops without calls, each taken by the pass, and their arguments.
fn cases() -> Vec<(&'static str, &'static str, [i32; 2])> {
    let i = "(II)I";
    vec![
        ("upLt", i, [0, 100]),
        ("upLt", i, [-50, 50]),
        ("upLt", i, [10, 0]), // never entered
        ("upLt", i, [MAX - 5, MAX]),
        ("upLt", i, [MIN, MIN + 40]),
        ("upLe", i, [0, 100]),
        ("upLe", i, [5, 5]),
        ("upLe", i, [MAX - 10, MAX - 3]),
        ("downGt", i, [100, 0]),
        ("downGt", i, [MIN + 5, MIN]),
        ("downGt", i, [0, 100]),
        ("downGe", i, [100, -100]),
        ("downGe", i, [MIN + 10, MIN + 1]),
        ("boundFirst", i, [0, 1000]),
        ("boundFirst", i, [MAX - 3, MAX]),
        ("upLe", i, [MAX - 10, MAX]), // wraps past MAX: endless
        ("stopAt", i, [0, 40]),
        ("stopAt", i, [0, 49]),
        ("stopAt", i, [0, 50]), // leaves at the last iteration
        ("stopAt", i, [0, 60]),
        ("lastIndex", i, [0, 77]),
        ("lastIndex", i, [-3, -100]),
        ("offsetBound", i, [0, 10]),
        ("offsetBound", i, [0, MAX - 1]), // to + 3 wraps: never entered
        ("longAcc", "(II)J", [0, 1000]),
        ("longAcc", "(II)J", [-7, 3]),
        ("nested", i, [0, 30]),
    ]
}

fn run(vm: &mut Vm, m: pd_jvm::runtime::MethodId, args: [i32; 2], compiled: bool) -> String {
    let args = args.map(Value::Int);
    let r = if compiled { vm.invoke_compiled(m, &args) } else { vm.invoke(m, &args) };
    render(vm, r)
}

#[test]
fn counting_loops_count_the_budget_as_the_interpreter_does() {
    require_javac();
    let classes = compile(&[("Counting.java", COUNTING)]);
    // Around the trip counts above: an exit value computed with one back
    // edge too many or too few, or a budget test off by one, changes
    // whether one of these runs out.
    for budget in [0u64, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 20, 21, 22, 40, 41, 77, 78, 100, 101, 200, 201, 202, 1000]
    {
        let config = VmConfig { budget, ..jit_test_config() };
        let (mut interp, _out) = new_vm(&classes, config);
        let mut jv = jit_vm(&classes, config, JitConfig::default(), test_opts());
        for (name, desc, args) in cases() {
            let mi = method(&mut interp, "Counting", name, desc);
            let mc = method(&mut jv.vm, "Counting", name, desc);
            let want = run(&mut interp, mi, args, false);
            let got = run(&mut jv.vm, mc, args, true);
            assert_eq!(got, want, "{name}{args:?} with budget {budget}: compiled (left), interpreted (right)");
        }
    }
}

#[test]
fn these_loops_are_bypassed_and_these_are_not() {
    require_javac();
    let classes = compile(&[("Counting.java", COUNTING)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    let mut names: Vec<&str> = cases().iter().map(|c| c.0).collect();
    names.dedup();
    // `acc += i` is no constant step; a bound computed in the header
    // (`i < to + 3`) keeps the loop from being rotated.
    let not = ["notAffine", "offsetBound"];
    for (name, bypassed) in names.iter().map(|&n| (n, !not.contains(&n))).chain([("notAffine", false)]) {
        let desc = if name == "longAcc" { "(II)J" } else { "(II)I" };
        let m = method(&mut jv.vm, "Counting", name, desc);
        jv.vm.jit_compile(m).expect("compiles");
        let r = jv.log.borrow().last().cloned().unwrap();
        // Counted loops are emitted twice (docs/jit.md, "Counted loops"):
        // both copies count.
        assert_eq!(r.counting_loops > 0, bypassed, "{name}: {} counting loops", r.counting_loops);
    }
}

/// Loops around inlined calls: bypassed while the call's guards hold on
/// entry; a receiver of another class runs the loop, and the call.
#[test]
fn loops_around_inlined_calls_are_bypassed_while_their_guards_hold() {
    require_javac();
    let classes = compile(&[("CountingCalls.java", CALLS)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    let vm = &mut jv.vm;
    let (up, twice, base, derived, null) = (Value::Int(0), Value::Int(1), Value::Int(0), Value::Int(1), Value::Int(2));
    let vs = method(vm, "CountingCalls", "viaStatic", "(II)I");
    let vi = method(vm, "CountingCalls", "viaInterface", "(II)I");
    let vv = method(vm, "CountingCalls", "viaVirtual", "(II)I");
    // The interpreter runs each first: the call sites' caches see one class.
    for (m, args) in
        [(vs, vec![Value::Int(0), Value::Int(10)]), (vi, vec![up, Value::Int(10)]), (vv, vec![base, Value::Int(10)])]
    {
        agree(vm, m, &args);
        vm.jit_compile(m).expect("compiles");
        let r = jv.log.borrow().last().cloned().unwrap();
        assert!(r.inlined_calls > 0 && r.counting_loops > 0, "{r:?}");
    }
    for n in [0, 1, 2, 1000, 100_000] {
        assert_eq!(agree(vm, vs, &[Value::Int(-5), Value::Int(n)]), format!("{:?}", Value::Int(n + 5)));
        assert_eq!(agree(vm, vi, &[up, Value::Int(n)]), format!("{:?}", Value::Int(n)));
        assert_eq!(agree(vm, vv, &[base, Value::Int(n)]), format!("{:?}", Value::Int(n.wrapping_mul(3))));
        // Another class: the guard fails on entry, the loop runs.
        agree(vm, vi, &[twice, Value::Int(n)]);
        assert_eq!(agree(vm, vv, &[derived, Value::Int(n)]), format!("{:?}", Value::Int(-n)));
        // Null: the first call throws, with the interpreter's trace.
        let r = agree(vm, vi, &[null, Value::Int(n)]);
        assert_eq!(r.starts_with("throws"), n > 0, "{r}");
    }
}
