//! Promoted locations (docs/jit.md, "Promoted locations"): a static or
//! field a loop reads and writes stays in a register through the loop
//! and is stored on every way out. Whatever way the loop is left (its
//! end, an exception in the middle of an iteration, a guard that fails
//! on entry, a null receiver), memory must be what the interpreter
//! leaves, and a second reference to the same object must see the
//! stores as they happen.
mod support;

use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::Value;
use support::*;

const PROMOTED: &str = r#"
public class Promoted {
    static int sum;
    static long total;
    int v, w;
    static final Promoted A = new Promoted(), B = new Promoted();
    static final Promoted[] OBJS = { A, B, null };
    interface Step { int step(int i); }
    static final class Plus implements Step { public int step(int i) { return i + 1; } }
    static final class Times implements Step { public int step(int i) { return i * 3; } }
    static final Step[] STEPS = { new Plus(), new Times() };

    static int reset() { sum = 0; total = 0; A.v = 0; A.w = 5; B.v = 0; B.w = 7; return 0; }
    static int sumUp(int a, int n) { for (int i = 0; i < n; i++) sum = sum + i; return sum; }
    static int longUp(int a, int n) { for (int i = 0; i < n; i++) total += i * 3L; return (int) (total ^ (total >>> 32)); }
    static int countDown(int a, int n) { for (int i = n; i > 0; i--) sum -= 2; return sum; }
    // The division's check leaves the loop in iteration `a` (an
    // exception mid-iteration): the static holds what the iterations
    // before stored.
    static int divides(int a, int n) {
        try { for (int i = 0; i < n; i++) sum += 100 / (i - a); } catch (ArithmeticException e) { return -sum; }
        return sum;
    }
    // An invariant division: its test must not move above the loop's
    // entry with the division.
    static int divInvariant(int a, int n) {
        try { for (int i = 0; i < n; i++) sum += i / a; } catch (ArithmeticException e) { return -sum - 1; }
        return sum;
    }
    // A field of an object chosen by `a`: null throws before the first
    // access (an invariant early exit).
    static int field(int a, int n) {
        Promoted o = OBJS[a];
        try { for (int i = 0; i < n; i++) o.v += i; } catch (NullPointerException e) { return -1; }
        return o.v * 31 + o.w;
    }
    // Another field of the same object is read: apart, still promoted.
    static int twoFields(int a, int n) { Promoted o = OBJS[a]; for (int i = 0; i < n; i++) o.v += o.w; return o.v; }
    // The object read may be the one written (a == b): not promoted.
    static int aliased(int a, int n) { Promoted x = OBJS[a & 1], y = OBJS[a >> 1]; for (int i = 0; i < n; i++) x.v += y.v + 1; return x.v * 31 + y.v; }
    // An inlined call whose guard may fail: the slow path finishes the
    // method in the interpreter, which reads the static from memory.
    static int viaCall(int a, int n) { Step s = STEPS[a]; for (int i = 0; i < n; i++) sum += s.step(i); return sum; }
}
"#;

fn cases() -> Vec<(&'static str, [i32; 2])> {
    vec![
        ("sumUp", [0, 0]),
        ("sumUp", [0, 1]),
        ("sumUp", [0, 1000]),
        ("longUp", [0, 70000]),
        ("countDown", [0, 33]),
        ("divides", [5, 10]),
        ("divides", [0, 10]),
        ("divides", [20, 10]),
        ("divInvariant", [0, 10]),
        ("divInvariant", [3, 10]),
        ("field", [0, 100]),
        ("field", [1, 0]),
        ("field", [2, 100]),
        ("field", [2, 0]),
        ("twoFields", [1, 50]),
        ("aliased", [0, 20]), // x == y == A
        ("aliased", [2, 20]), // x == A, y == B
        ("viaCall", [0, 100]),
        ("viaCall", [1, 100]), // the other class: the guard fails
    ]
}

#[test]
fn promoted_locations_leave_memory_as_the_interpreter_does() {
    require_javac();
    let classes = compile(&[("Promoted.java", PROMOTED)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    let vm = &mut jv.vm;
    let reset = method(vm, "Promoted", "reset", "()I");
    // The interpreter runs each first, so that calls are inlined with the
    // first class; then each is compiled and compared, twice (the second
    // run starts from what the first left).
    for (name, args) in cases() {
        let m = method(vm, "Promoted", name, "(II)I");
        let args = args.map(Value::Int);
        vm.invoke(reset, &[]).unwrap();
        let r = vm.invoke(m, &args);
        let want1 = render(vm, r);
        let r = vm.invoke(m, &args);
        let want2 = render(vm, r);
        vm.jit_compile(m).expect("compiles");
        vm.invoke(reset, &[]).unwrap();
        let r = vm.invoke_compiled(m, &args);
        let got1 = render(vm, r);
        let r = vm.invoke_compiled(m, &args);
        let got2 = render(vm, r);
        assert_eq!((got1, got2), (want1, want2), "{name}{args:?}: compiled (left), interpreted (right)");
    }
}

#[test]
fn these_locations_are_promoted_and_these_are_not() {
    require_javac();
    let classes = compile(&[("Promoted.java", PROMOTED)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    for (name, promoted) in [
        ("sumUp", true),
        ("longUp", true),
        ("countDown", true),
        ("divides", true),
        ("divInvariant", true),
        ("field", true),
        ("twoFields", true),
        ("aliased", false),
        // The inlined call loads from an address the loop computes (not
        // read-only): it might read the static.
        ("viaCall", false),
    ] {
        let m = method(&mut jv.vm, "Promoted", name, "(II)I");
        jv.vm.invoke(m, &[Value::Int(0), Value::Int(3)]).unwrap();
        jv.vm.jit_compile(m).expect("compiles");
        let r = jv.log.borrow().last().cloned().unwrap();
        assert_eq!(r.promoted_locations > 0, promoted, "{name}: {} promoted", r.promoted_locations);
    }
}
