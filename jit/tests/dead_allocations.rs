//! Dead allocations (docs/jit.md, "Dead allocations"): an object that
//! never leaves the compiled code and whose reads are all answered
//! without memory is not allocated. Each method runs interpreted, then
//! compiled, with the same arguments: the results (values and
//! exceptions) must agree, and the allocations removed must be the ones
//! that cannot be observed.
mod support;

use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::Value;
use support::*;

const FRESH: &str = r#"
public class Fresh {
    static final class Obj { int v; Obj(int v) { this.v = v; } }
    static final class Wide { long l; double d; float f; int unset; Wide(long l, double d) { this.l = l; this.d = d; } }
    static final class Small { byte b; char c; boolean z; short s; }
    static final class Bare { int v; }
    static Object kept;
    static Obj last;
    static int lastValue() { return last.v; }

    static int newObject(int a, int n) { int acc = 0; for (int i = 0; i < n; i++) acc += new Obj(i + a).v; return acc; }
    static int newArray(int a, int n) { int acc = 0; for (int i = 0; i < n; i++) acc += new int[a + (i & 7)].length; return acc; }
    // A negative count: the fast path never takes it; the slow path throws.
    static int negative(int a, int n) {
        int acc = 0;
        try { for (int i = 0; i < n; i++) acc += new long[a - i].length; } catch (NegativeArraySizeException e) { return -acc - 1; }
        return acc;
    }
    // Long, double and float fields, stored and read; one never stored.
    static int wide(int a, int n) {
        long acc = 0;
        for (int i = 0; i < n; i++) { Wide w = new Wide(i * 3L + a, i * 0.5); acc += w.l + (long) w.d + (long) w.f + w.unset; }
        return (int) (acc ^ (acc >>> 32));
    }
    // Narrow fields never stored: read as zero.
    static int small(int a, int n) { int acc = a; for (int i = 0; i < n; i++) { Small s = new Small(); acc += s.b + s.c + (s.z ? 1 : 0) + s.s; } return acc; }
    // A field stored twice: not answered (one store per field only).
    static int twice(int a, int n) { int acc = 0; for (int i = 0; i < n; i++) { Obj o = new Obj(i); o.v = o.v * 2 + a; acc += o.v; } return acc; }

    // Observable: kept in a static, compared, passed on, stored in part.
    static int escapes(int a, int n) { int acc = 0; for (int i = 0; i < n; i++) { Obj o = new Obj(i); kept = o; acc += o.v; } return acc; }
    static int compared(int a, int n) { int acc = 0; for (int i = 0; i < n; i++) { Obj x = new Obj(i), y = new Obj(a); acc += x == y ? 1 : x.v + y.v; } return acc; }
    static int chained(int a, int n) { int acc = 0; for (int i = 0; i < n; i++) { Obj o = new Obj(i + a); last = o; acc += last.v; } return acc; }
    // A store that does not dominate the read: not answered.
    static int conditional(int a, int n) { int acc = 0; for (int i = 0; i < n; i++) { Obj o = new Obj(a); if ((i & 1) == 0) o.v = i; acc += o.v; } return acc; }
    // The one store does not dominate the read: zero or `i`.
    static int onlyIf(int a, int n) { int acc = 0; for (int i = 0; i < n; i++) { Bare o = new Bare(); if ((i & 1) == a) o.v = i; acc += o.v; } return acc; }
    // Elements: not tracked.
    static int elements(int a, int n) { int acc = 0; for (int i = 0; i < n; i++) { int[] x = new int[4]; x[i & 3] = i; acc += x[1] + a; } return acc; }
}
"#;

/// (method, arguments, whether its allocation is removed: a counted
/// loop's body is translated twice, with an allocation each time)
fn cases() -> Vec<(&'static str, [i32; 2], bool)> {
    vec![
        ("newObject", [3, 100], true),
        ("newArray", [8, 100], true),
        ("newArray", [0, 50], true),
        ("negative", [5, 100], true),
        ("negative", [-1, 3], true),
        ("wide", [7, 100], true),
        ("small", [2, 100], true),
        ("twice", [1, 100], false),
        ("escapes", [0, 100], false),
        ("compared", [3, 100], false),
        ("chained", [2, 100], false),
        ("conditional", [9, 100], false),
        ("onlyIf", [1, 100], false),
        ("elements", [1, 100], false),
    ]
}

#[test]
fn removed_allocations_change_nothing_observable() {
    require_javac();
    let classes = compile(&[("Fresh.java", FRESH)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    for (name, args, removed) in cases() {
        let m = method(&mut jv.vm, "Fresh", name, "(II)I");
        let args = args.map(Value::Int);
        // Interpreted first: the constructors' call sites resolve, so
        // the compiled method inlines them.
        let r = jv.vm.invoke(m, &args);
        let want = render(&mut jv.vm, r);
        jv.vm.jit_compile(m).expect("compiles");
        let got = jv.log.borrow().last().map_or(0, |r| r.dead_allocations);
        let r = jv.vm.invoke_compiled(m, &args);
        assert_eq!(render(&mut jv.vm, r), want, "{name}{args:?}: compiled (left), interpreted (right)");
        assert_eq!(got > 0, removed, "{name}: {got} allocations removed");
    }
}

#[test]
fn an_escaping_object_is_the_one_the_code_stored() {
    require_javac();
    let classes = compile(&[("Fresh.java", FRESH)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    let m = method(&mut jv.vm, "Fresh", "chained", "(II)I");
    jv.vm.invoke(m, &[Value::Int(0), Value::Int(3)]).unwrap();
    jv.vm.jit_compile(m).expect("compiles");
    jv.vm.invoke_compiled(m, &[Value::Int(40), Value::Int(5)]).unwrap();
    // The last object made is in the static, with its field.
    let v = method(&mut jv.vm, "Fresh", "lastValue", "()I");
    assert_eq!(jv.vm.invoke(v, &[]).unwrap(), Value::Int(44));
}
