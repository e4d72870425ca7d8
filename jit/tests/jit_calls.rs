//! Calls from compiled code (docs/jit.md, "Inlining"): small callees
//! known at compile time are inlined behind guards; every guard or check
//! that fails there takes the real call, so exceptions get the callee's
//! frame in their stack traces, a second receiver class runs its own
//! method, stores are never done twice, and the depth and budget guards
//! still hold. Each case compiles its caller after the interpreter ran it
//! (call sites resolved, inline caches filled) and compares with the
//! interpreter on the same VM.

mod support;

use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::{MethodId, Value, Vm, VmConfig, VmError};
use support::*;

const INL: &str = r#"
public class Inl {
    static int counter;
    static int div(int a, int b) { return a / b; }
    static int sumDiv(int n, int d) {
        int s = 0;
        for (int i = 0; i < n; i++) s += div(i, d);
        return s;
    }
    // A store, then a check: inlined; a failed check undoes the store
    // before the slow path calls bump for real (or it would count twice).
    static int bump(int[] a, int i) { counter++; return a[i]; }
    static int bumpTwice(int[] a, int i) { return bump(a, i) + bump(a, i + 1); }
    static int bumpAll(int len, int n) {
        int[] a = new int[len];
        for (int i = 0; i < len; i++) a[i] = i + 1;
        int s = 0;
        try {
            for (int i = 0; i < n; i++) s += bump(a, i);
        } catch (ArrayIndexOutOfBoundsException e) {
            return counter * 1000 + s;
        }
        return -counter;
    }
    // Stores of every width, then a check that fails when k reaches a's
    // length: all of them undone before the real call.
    static final class Acc {
        byte b; short s; char c; boolean z; long l; float f; double d; Object o;
        byte[] bytes = new byte[2]; Object[] objs = new Object[2];
        int addTo(int[] a, int k) {
            b--; s -= 3; c++; z = !z; bytes[1]++;
            return a[k];
        }
        int addMore(int[] a, int k) {
            l += 5; f += 1.5f; d -= 2.25; o = a; objs[k & 1] = this;
            return a[k];
        }
        long sum() {
            return b + s * 7L + c * 11L + (z ? 13 : 0) + l * 17L + (long) (f * 19) + (long) (d * 23)
                + (o != null ? 29 : 0) + bytes[1] * 31L + (objs[1] != null ? 37 : 0);
        }
    }
    static long accAll(int len, int n) {
        Acc acc = new Acc();
        int[] a = new int[len];
        int s = 0;
        try {
            for (int k = 0; k < n; k++) s += acc.addTo(a, k) + acc.addMore(a, k - 1);
        } catch (ArrayIndexOutOfBoundsException e) {
            return acc.sum() * 1000 + s;
        }
        return -acc.sum();
    }
    // A store on one branch only, then a check: the store does not
    // dominate the check, so there is nothing to undo it from: not inlined.
    static int condBump(int[] a, int i) { if (i > 1) counter++; return a[i]; }
    static int condBumpAll(int len, int n) {
        int[] a = new int[len];
        int s = 0, before = counter;
        try {
            for (int i = 0; i < n; i++) s += condBump(a, i);
        } catch (ArrayIndexOutOfBoundsException e) {
            return (counter - before) * 1000 + s;
        }
        return before - counter;
    }
    // A store, then a nested call whose receiver guard fails for a second
    // class: undone as well.
    static abstract class Op { abstract int apply(int x); }
    static final class AddOne extends Op { int apply(int x) { return x + 1; } }
    static final class Twice extends Op { int apply(int x) { return x * 2; } }
    static int applyCounted(Op op, int x) { counter++; return op.apply(x); }
    static Op[] ops(boolean mix) { return new Op[] { new AddOne(), mix ? new Twice() : new AddOne() }; }
    static int applyAll(Op[] ops, int n) {
        int s = 0, before = counter;
        for (int k = 0; k < n; k++) s += applyCounted(ops[k & 1], k);
        return s * 1000 + counter - before;
    }
    static int key(Item o) { return o.key; }
    static Item[] items(int n, int nullAt) {
        Item[] a = new Item[n];
        for (int i = 0; i < n; i++) if (i != nullAt) a[i] = new Item(i * 10);
        return a;
    }
    static int keys(Item[] items) {
        int s = 0;
        for (int i = 0; i < items.length; i++) s += key(items[i]);
        return s;
    }

    static abstract class Shape { abstract int area(); }
    static class Sq extends Shape { final int s; Sq(int s) { this.s = s; } int area() { return s * s; } }
    static class Rect extends Shape { final int w, h; Rect(int w, int h) { this.w = w; this.h = h; } int area() { return w * h + 1; } }
    interface Sized { int size(); }
    static final class Pair implements Sized { public int size() { return 2; } }
    static final class Triple implements Sized { public int size() { return 3; } }
    static int areas(Shape[] s) {
        int a = 0;
        for (int i = 0; i < s.length; i++) a += s[i].area();
        return a;
    }
    static int sizes(Sized[] s) {
        int a = 0;
        for (int i = 0; i < s.length; i++) a += s[i].size();
        return a;
    }
    // A handler: never inlined, so `areasTwice` calls it directly.
    static int areasSafe(Shape[] s) {
        try {
            int a = 0;
            for (int i = 0; i < s.length; i++) a += s[i].area();
            return a;
        } catch (IllegalStateException e) {
            return -1;
        }
    }
    static int areasTwice(Shape[] s) { return areasSafe(s) * 1000 + areasSafe(s); }
    static Shape[] squares(int n) { Shape[] s = new Shape[n]; for (int i = 0; i < n; i++) s[i] = new Sq(i); return s; }
    static Shape[] mixed(int n) {
        Shape[] s = new Shape[n];
        for (int i = 0; i < n; i++) s[i] = i % 3 == 0 ? new Rect(i, 2) : new Sq(i);
        return s;
    }
    static Shape[] nullShapes(int n) { Shape[] s = new Shape[n]; s[0] = new Sq(2); return s; }
    static Sized[] pairs(int n, boolean mix) {
        Sized[] s = new Sized[n];
        for (int i = 0; i < n; i++) s[i] = mix && i % 2 == 1 ? new Triple() : new Pair();
        return s;
    }

    static int inc(int x) { return x + 1; }
    static int deep(int n) { return n == 0 ? 0 : inc(deep(n - 1)); }
    // Inlined calls do not tick the budget; the loop's back edge does.
    static int spin(int n) { int x = 0; while (x != n) x = inc(inc(x)); return x; }
    static int catchDeep(int n) {
        try { return deep(n); } catch (StackOverflowError e) { return -1; }
    }

    // Handlers: never inlined, called directly once compiled.
    static int safeDiv(int a, int b) {
        try { return a / b; } catch (ArithmeticException e) { return -1; }
    }
    static int strictDiv(int a, int b) {
        try { return a / b; } catch (IllegalStateException e) { return -2; }
    }
    static int sumSafe(int n, int d) {
        int s = 0;
        for (int i = 0; i < n; i++) s += safeDiv(i, (d + i) % 3) + strictDiv(i, d);
        return s;
    }

    static Item mk(int k) { return new Item(k); }
    // References live in the caller (a, b, items) across calls that
    // allocate (mk: a collection each under gc_stress) and inlined ones.
    static int chain(int n) {
        Item a = new Item(7);
        Item[] items = new Item[4];
        Item b = mk(11);
        int s = 0;
        for (int i = 0; i < n; i++) {
            items[i & 3] = mk(i);
            s += key(a) + mk(i).key + key(b) + key(items[(i + 1) & 3] == null ? a : items[(i + 1) & 3]);
        }
        return s + a.key * 100 + b.key;
    }

    // Callees with loops, inlined. A plain one: a check that fails in the
    // loop leaves for the real call.
    static int sumTo(int[] a, int n) {
        int s = 0;
        for (int i = 0; i < n; i++) s += a[i];
        return s;
    }
    static int sumsOf(int len, int n, int times) {
        int[] a = new int[len];
        for (int i = 0; i < len; i++) a[i] = i + 1;
        int s = 0;
        for (int k = 0; k < times; k++) s += sumTo(a, n);
        return s;
    }
    // PriQ_VIFlet.dequeue's shape: the store is on the way out of the
    // loop, before a check that may fail; only that path makes it, once.
    static int taken;
    static int firstOf(int[] counts, int[] vals) {
        for (int i = 0; i < counts.length; i++)
            if (counts[i] != 0) { taken++; return vals[i]; }
        return -1;
    }
    static int firsts(int[] counts, int[] vals, int times) {
        int s = 0, before = taken;
        try {
            for (int k = 0; k < times; k++) s += firstOf(counts, vals);
        } catch (ArrayIndexOutOfBoundsException e) {
            return (taken - before) * 1000 + s;
        }
        return -(taken - before) * 1000 - s;
    }
    static int[] ints(int n, int at) {
        int[] a = new int[n];
        if (at >= 0) a[at] = at + 5;
        return a;
    }
    // A store in the loop, then a check in it: a later iteration's failure
    // could not be undone to the value before the call: not inlined.
    static int countInto(int[] a, int n) {
        for (int i = 0; i < n; i++) { counter++; a[i] = i; }
        return n;
    }
    static int countsInto(int len, int n) {
        int[] a = new int[len];
        int s = 0, before = counter;
        try {
            for (int k = 0; k < 3; k++) s += countInto(a, n);
        } catch (ArrayIndexOutOfBoundsException e) {
            return (counter - before) * 1000 + s;
        }
        return -(counter - before) * 1000 - s;
    }
}
"#;

const NAT: &str = r#"
public class Nat {
    static long mix(int n, double x) {
        long h = 0;
        for (int i = 0; i < n; i++) {
            float f = Float.intBitsToFloat(i * 0x01000193 ^ 0x7fc00001);
            h = h * 31 + Float.floatToRawIntBits(f);
            double d = Double.longBitsToDouble(Double.doubleToRawLongBits(x) + i);
            h = h * 31 + Double.doubleToRawLongBits(StrictMath.sqrt(d) + StrictMath.sin(d) + StrictMath.pow(d, 0.5)
                + StrictMath.atan2(d, x));
        }
        return h;
    }
}
"#;

const ITEM: &str = r#"
public class Item {
    final int key;
    Item(int key) { this.key = key; }
}
"#;

fn vm_for(config: VmConfig) -> JitVm {
    let classes = compile(&[("Inl.java", INL), ("Item.java", ITEM), ("Nat.java", NAT)]);
    let opts = JitOptions { keep_ir: true, ..test_opts() };
    jit_vm(&classes, config, JitConfig::default(), opts)
}

use jit::JitOptions;

/// [`agree`] on one pinned reference argument, re-read for each run (a
/// collection in the first run moves it).
fn agree_on(vm: &mut Vm, m: MethodId, arg: &pd_jvm::runtime::Pin) -> String {
    let a = Value::Ref(vm.pinned(arg));
    let i = vm.invoke(m, &[a]);
    let i = render(vm, i);
    let a = Value::Ref(vm.pinned(arg));
    let c = vm.invoke_compiled(m, &[a]);
    let c = render(vm, c);
    assert_eq!(c, i, "compiled (left) differs from interpreted (right)");
    c
}

/// Calls a Java builder and pins what it returns (collections move it).
fn built(vm: &mut Vm, m: MethodId, args: &[Value]) -> pd_jvm::runtime::Pin {
    match vm.invoke(m, args) {
        Ok(Value::Ref(r)) => vm.pin(r),
        other => panic!("builder returned {other:?}"),
    }
}

#[test]
fn inlined_callee_that_throws_keeps_its_frame() {
    require_javac();
    let mut jv = vm_for(jit_test_config());
    let m = method(&mut jv.vm, "Inl", "sumDiv", "(II)I");
    assert_eq!(jv.vm.invoke(m, &[Value::Int(50), Value::Int(3)]), Ok(Value::Int((0..50).map(|i| i / 3).sum())));
    let (ir, inlined) = compile_ir(&mut jv, m);
    // sumDiv has no division of its own: div's body is in it.
    assert!(inlined == 1 && ir.contains("sdiv"), "div not inlined:\n{ir}");
    assert_eq!(agree(&mut jv.vm, m, &[Value::Int(50), Value::Int(7)]), "Int(154)");
    let t = agree(&mut jv.vm, m, &[Value::Int(5), Value::Int(0)]);
    assert!(t.contains("java.lang.ArithmeticException: / by zero"), "{t}");
    assert!(t.contains("at Inl.div(Inl.java:4)") && t.contains("at Inl.sumDiv(Inl.java:7)"), "{t}");
    // A null argument of an inlined getter: the NPE is raised in `key`.
    let keys = method(&mut jv.vm, "Inl", "keys", "([LItem;)I");
    let items = method(&mut jv.vm, "Inl", "items", "(II)[LItem;");
    let full = built(&mut jv.vm, items, &[Value::Int(3), Value::Int(-1)]);
    let holed = built(&mut jv.vm, items, &[Value::Int(3), Value::Int(1)]);
    let arr = Value::Ref(jv.vm.pinned(&full));
    assert_eq!(jv.vm.invoke(keys, &[arr]), Ok(Value::Int(30)));
    let (ir, inlined) = compile_ir(&mut jv, keys);
    assert_eq!(inlined, 1, "key not inlined:\n{ir}");
    assert_eq!(agree_on(&mut jv.vm, keys, &full), "Int(30)");
    let t = agree_on(&mut jv.vm, keys, &holed);
    assert!(t.contains("NullPointerException") && t.contains("at Inl.key(") && t.contains("at Inl.keys("), "{t}");
    jv.vm.unpin(full);
    jv.vm.unpin(holed);
}

#[test]
fn callee_that_stores_then_fails_runs_once() {
    require_javac();
    let mut jv = vm_for(jit_test_config());
    let m = method(&mut jv.vm, "Inl", "bumpAll", "(II)I");
    // counter 3, no exception.
    assert_eq!(jv.vm.invoke(m, &[Value::Int(3), Value::Int(3)]), Ok(Value::Int(-3)));
    let (ir, inlined) = compile_ir(&mut jv, m);
    assert_eq!(inlined, 1, "bump stores, then may throw: inlined with an undo\n{ir}");
    // Compiled: 4 calls, the fourth fails after counting: 7 * 1000 + 6.
    assert_eq!(jv.vm.invoke_compiled(m, &[Value::Int(3), Value::Int(4)]), Ok(Value::Int(7006)));
    // Interpreted, the same again.
    assert_eq!(jv.vm.invoke(m, &[Value::Int(3), Value::Int(4)]), Ok(Value::Int(11006)));

    // Every width of field and array store, undone before the real call.
    let acc = method(&mut jv.vm, "Inl", "accAll", "(II)J");
    jv.vm.invoke(acc, &[Value::Int(4), Value::Int(4)]).unwrap();
    let (ir, inlined) = compile_ir(&mut jv, acc);
    assert_eq!(inlined, 2, "addTo and addMore inlined:\n{ir}");
    for (len, n) in [(4, 4), (3, 4), (2, 9), (1, 1), (0, 1), (5, 1)] {
        agree(&mut jv.vm, acc, &[Value::Int(len), Value::Int(n)]);
    }

    // A store that does not dominate the check: not inlined, same counts.
    let cond = method(&mut jv.vm, "Inl", "condBumpAll", "(II)I");
    jv.vm.invoke(cond, &[Value::Int(3), Value::Int(3)]).unwrap();
    let (ir, inlined) = compile_ir(&mut jv, cond);
    assert_eq!(inlined, 0, "condBump's store is on one branch:\n{ir}");
    for n in [3, 4, 5] {
        agree(&mut jv.vm, cond, &[Value::Int(3), Value::Int(n)]);
    }

    // A receiver guard after the store: the site saw AddOne only.
    let apply = method(&mut jv.vm, "Inl", "applyAll", "([LInl$Op;I)I");
    let ops = method(&mut jv.vm, "Inl", "ops", "(Z)[LInl$Op;");
    let same = built(&mut jv.vm, ops, &[Value::Int(0)]);
    let mixed = built(&mut jv.vm, ops, &[Value::Int(1)]);
    let arr = Value::Ref(jv.vm.pinned(&same));
    jv.vm.invoke(apply, &[arr, Value::Int(4)]).unwrap();
    let (ir, inlined) = compile_ir(&mut jv, apply);
    assert_eq!(inlined, 2, "applyCounted and AddOne.apply inlined:\n{ir}");
    // AddOne: k + 1 for k in 0..6; mixed: Twice (2k) at odd k. Plus 6 counts.
    for (pin, want) in [(&mixed, 27006), (&same, 21006), (&mixed, 27006)] {
        let a = Value::Ref(jv.vm.pinned(pin));
        assert_eq!(jv.vm.invoke(apply, &[a, Value::Int(6)]), Ok(Value::Int(want)), "interpreted");
        let a = Value::Ref(jv.vm.pinned(pin));
        assert_eq!(
            jv.vm.invoke_compiled(apply, &[a, Value::Int(6)]),
            Ok(Value::Int(want)),
            "compiled: one count per call"
        );
    }
    jv.vm.unpin(same);
    jv.vm.unpin(mixed);
}

#[test]
fn callees_with_loops_are_inlined_and_undo_only_stores_that_ran_once() {
    require_javac();
    let mut jv = vm_for(jit_test_config());
    let sums = method(&mut jv.vm, "Inl", "sumsOf", "(III)I");
    assert_eq!(jv.vm.invoke(sums, &[Value::Int(8), Value::Int(8), Value::Int(2)]), Ok(Value::Int(72)));
    let (ir, inlined) = compile_ir(&mut jv, sums);
    assert_eq!(inlined, 1, "sumTo (a loop) inlined:\n{ir}");
    for (len, n) in [(8, 8), (8, 3), (4, 9), (0, 0)] {
        agree(&mut jv.vm, sums, &[Value::Int(len), Value::Int(n), Value::Int(3)]);
    }
    let t = agree(&mut jv.vm, sums, &[Value::Int(4), Value::Int(5), Value::Int(2)]);
    assert!(t.contains("ArrayIndexOutOfBoundsException") && t.contains("at Inl.sumTo("), "{t}");

    // The store on the way out of the loop: undone when the check after
    // it fails, so the real call counts it once.
    let firsts = method(&mut jv.vm, "Inl", "firsts", "([I[II)I");
    let ints = method(&mut jv.vm, "Inl", "ints", "(II)[I");
    let counts = built(&mut jv.vm, ints, &[Value::Int(6), Value::Int(3)]);
    let vals = built(&mut jv.vm, ints, &[Value::Int(6), Value::Int(3)]);
    let short = built(&mut jv.vm, ints, &[Value::Int(2), Value::Int(-1)]);
    let none = built(&mut jv.vm, ints, &[Value::Int(6), Value::Int(-1)]);
    let run = |vm: &mut Vm, c: &pd_jvm::runtime::Pin, v: &pd_jvm::runtime::Pin, compiled: bool| {
        let args = [Value::Ref(vm.pinned(c)), Value::Ref(vm.pinned(v)), Value::Int(4)];
        if compiled {
            vm.invoke_compiled(firsts, &args)
        } else {
            vm.invoke(firsts, &args)
        }
    };
    assert_eq!(run(&mut jv.vm, &counts, &vals, false), Ok(Value::Int(-4032)));
    let (ir, inlined) = compile_ir(&mut jv, firsts);
    assert_eq!(inlined, 1, "firstOf inlined:\n{ir}");
    for compiled in [true, false] {
        assert_eq!(run(&mut jv.vm, &counts, &vals, compiled), Ok(Value::Int(-4032)), "compiled {compiled}");
        // vals[3] fails after taken++: counted once, by the real call.
        assert_eq!(run(&mut jv.vm, &counts, &short, compiled), Ok(Value::Int(1000)), "compiled {compiled}");
        // No count at all: the store never ran.
        assert_eq!(run(&mut jv.vm, &none, &vals, compiled), Ok(Value::Int(4)), "compiled {compiled}");
    }
    for p in [counts, vals, short, none] {
        jv.vm.unpin(p);
    }

    // A store in the loop: not inlined, and counted as interpreted.
    let into = method(&mut jv.vm, "Inl", "countsInto", "(II)I");
    jv.vm.invoke(into, &[Value::Int(4), Value::Int(4)]).unwrap();
    let (ir, inlined) = compile_ir(&mut jv, into);
    assert_eq!(inlined, 0, "countInto stores in its loop:\n{ir}");
    for (len, n) in [(4, 4), (4, 6), (0, 1)] {
        agree(&mut jv.vm, into, &[Value::Int(len), Value::Int(n)]);
    }
}

#[test]
fn code_that_never_changes_the_budget_neither_loads_nor_stores_it() {
    require_javac();
    let mut jv = vm_for(jit_test_config());
    let twice = method(&mut jv.vm, "Inl", "bumpTwice", "([II)I");
    let all = method(&mut jv.vm, "Inl", "bumpAll", "(II)I");
    jv.vm.invoke(all, &[Value::Int(4), Value::Int(2)]).unwrap();
    // The budget's address is the context's word at JitContext::BUDGET.
    let budget = format!("v0+{}", pd_jvm::runtime::compiler::JitContext::BUDGET);
    // Both calls inlined, each with a slow path that puts the budget back
    // to the value loaded at entry: nothing to write back.
    let (ir, inlined) = compile_ir(&mut jv, twice);
    assert_eq!(inlined, 2, "{ir}");
    assert!(!ir.contains(&budget), "{ir}");
    // Its loops count the budget.
    let (ir, _) = compile_ir(&mut jv, all);
    assert!(ir.contains(&budget), "{ir}");
    let ints = method(&mut jv.vm, "Inl", "ints", "(II)[I");
    let a = built(&mut jv.vm, ints, &[Value::Int(3), Value::Int(-1)]);
    for i in [0, 1, 2] {
        // 2: the second index is out of bounds, the slow path throws.
        let args = [Value::Ref(jv.vm.pinned(&a)), Value::Int(i)];
        let c = jv.vm.invoke_compiled(twice, &args);
        let c = render(&mut jv.vm, c);
        let args = [Value::Ref(jv.vm.pinned(&a)), Value::Int(i)];
        let r = jv.vm.invoke(twice, &args);
        assert_eq!(c, render(&mut jv.vm, r), "bumpTwice(a, {i})");
    }
}

#[test]
fn an_inlined_loop_counts_the_budget() {
    require_javac();
    let mut jv = vm_for(VmConfig { budget: 100_000, ..jit_test_config() });
    let sums = method(&mut jv.vm, "Inl", "sumsOf", "(III)I");
    jv.vm.invoke(sums, &[Value::Int(8), Value::Int(8), Value::Int(2)]).unwrap();
    let (ir, inlined) = compile_ir(&mut jv, sums);
    assert_eq!(inlined, 1, "{ir}");
    // 2,000 calls of a 1,000-iteration loop: past the budget either way.
    for compiled in [false, true] {
        let args = [Value::Int(1000), Value::Int(1000), Value::Int(2000)];
        let r = if compiled { jv.vm.invoke_compiled(sums, &args) } else { jv.vm.invoke(sums, &args) };
        assert_eq!(r, Err(VmError::BudgetExhausted), "compiled {compiled}");
    }
}

#[test]
fn receiver_of_a_second_class_takes_the_call() {
    require_javac();
    for stress in [false, true] {
        let config = VmConfig { gc_stress: stress, heap_quota: 4 << 20, ..jit_test_config() };
        let mut jv = vm_for(config);
        let areas = method(&mut jv.vm, "Inl", "areas", "([LInl$Shape;)I");
        let squares = method(&mut jv.vm, "Inl", "squares", "(I)[LInl$Shape;");
        let mixed = method(&mut jv.vm, "Inl", "mixed", "(I)[LInl$Shape;");
        // Only squares seen: the site caches Sq.
        let sq = built(&mut jv.vm, squares, &[Value::Int(10)]);
        let expect: i32 = (0..10).map(|i| i * i).sum();
        let a = Value::Ref(jv.vm.pinned(&sq));
        assert_eq!(jv.vm.invoke(areas, &[a]), Ok(Value::Int(expect)));
        let (ir, inlined) = compile_ir(&mut jv, areas);
        assert!(inlined == 1 && ir.contains("imul"), "Sq.area not inlined:\n{ir}");
        assert_eq!(agree_on(&mut jv.vm, areas, &sq), format!("Int({expect})"));
        // Now Rects too: the guard fails for them and Rect.area runs.
        let mx = built(&mut jv.vm, mixed, &[Value::Int(10)]);
        let expect: i32 = (0..10).map(|i| if i % 3 == 0 { i * 2 + 1 } else { i * i }).sum();
        assert_eq!(agree_on(&mut jv.vm, areas, &mx), format!("Int({expect})"));
        // A null element: NullPointerException from the call, as interpreted.
        let items = method(&mut jv.vm, "Inl", "nullShapes", "(I)[LInl$Shape;");
        let holed = built(&mut jv.vm, items, &[Value::Int(3)]);
        let t = agree_on(&mut jv.vm, areas, &holed);
        assert!(t.contains("NullPointerException") && t.contains("at Inl.areas("), "{t}");
        for p in [sq, mx, holed] {
            jv.vm.unpin(p);
        }

        // The same through an interface.
        let sizes = method(&mut jv.vm, "Inl", "sizes", "([LInl$Sized;)I");
        let pairs = method(&mut jv.vm, "Inl", "pairs", "(IZ)[LInl$Sized;");
        let p = built(&mut jv.vm, pairs, &[Value::Int(8), Value::Int(0)]);
        let a = Value::Ref(jv.vm.pinned(&p));
        assert_eq!(jv.vm.invoke(sizes, &[a]), Ok(Value::Int(16)));
        let (ir, inlined) = compile_ir(&mut jv, sizes);
        assert_eq!(inlined, 1, "Pair.size not inlined:\n{ir}");
        assert_eq!(agree_on(&mut jv.vm, sizes, &p), "Int(16)");
        let pm = built(&mut jv.vm, pairs, &[Value::Int(8), Value::Int(1)]);
        assert_eq!(agree_on(&mut jv.vm, sizes, &pm), "Int(20)");
        jv.vm.unpin(p);
        jv.vm.unpin(pm);
    }
}

/// A failed receiver guard leaves the code for the interpreter, which
/// finishes the frame (docs/jit.md, "Deoptimization"): from an entry, and
/// from a callee of a direct call. After `deopt_limit` of them the method
/// is compiled again with a slow path that rejoins the code, and no more
/// deoptimizations follow.
#[test]
fn a_failed_guard_deoptimizes_until_the_limit() {
    require_javac();
    for limit in [3, 0] {
        let classes = compile(&[("Inl.java", INL), ("Item.java", ITEM), ("Nat.java", NAT)]);
        let jc = JitConfig { deopt_limit: limit, ..JitConfig::default() };
        let mut jv = jit_vm(&classes, jit_test_config(), jc, JitOptions { keep_ir: true, ..test_opts() });
        let areas = method(&mut jv.vm, "Inl", "areas", "([LInl$Shape;)I");
        let squares = method(&mut jv.vm, "Inl", "squares", "(I)[LInl$Shape;");
        let mixed = method(&mut jv.vm, "Inl", "mixed", "(I)[LInl$Shape;");
        let sq = built(&mut jv.vm, squares, &[Value::Int(10)]);
        let mx = built(&mut jv.vm, mixed, &[Value::Int(10)]);
        let a = Value::Ref(jv.vm.pinned(&sq));
        jv.vm.invoke(areas, &[a]).unwrap();
        jv.vm.jit_compile(areas).unwrap();
        let area: i32 = (0..10).map(|i| if i % 3 == 0 { i * 2 + 1 } else { i * i }).sum();
        let want = format!("Int({area})");
        let compiles = |jv: &JitVm| jv.log.borrow().iter().filter(|r| r.method == areas).count();
        assert_eq!(agree_on(&mut jv.vm, areas, &sq), "Int(285)");
        assert_eq!(jv.vm.jit_deoptimizations(), 0, "limit {limit}: squares only pass the guard");
        for k in 1..=5u64 {
            assert_eq!(agree_on(&mut jv.vm, areas, &mx), want, "limit {limit}, run {k}");
            assert_eq!(jv.vm.jit_deoptimizations(), k.min(u64::from(limit)), "limit {limit}, run {k}");
        }
        assert_eq!(compiles(&jv), if limit == 0 { 1 } else { 2 }, "limit {limit}: compiled again at the limit");
        assert!(jv.vm.is_compiled(areas));

        // The callee of a direct call deoptimizes: the caller goes on
        // with the value the interpreter finished it with.
        let twice = method(&mut jv.vm, "Inl", "areasTwice", "([LInl$Shape;)I");
        let safe = method(&mut jv.vm, "Inl", "areasSafe", "([LInl$Shape;)I");
        let a = Value::Ref(jv.vm.pinned(&sq));
        jv.vm.invoke(twice, &[a]).unwrap();
        jv.vm.jit_compile(safe).unwrap();
        let (ir, inlined) = compile_ir(&mut jv, twice);
        assert_eq!(inlined, 0, "areasSafe has a handler: called directly\n{ir}");
        let before = jv.vm.jit_deoptimizations();
        assert_eq!(agree_on(&mut jv.vm, twice, &mx), format!("Int({})", area * 1000 + area));
        let taken = jv.vm.jit_deoptimizations() - before;
        assert_eq!(taken, if limit == 0 { 0 } else { 2 }, "limit {limit}: one per call of areasSafe");
        for p in [sq, mx] {
            jv.vm.unpin(p);
        }
    }
}

#[test]
fn recursion_through_compiled_calls_hits_the_depth_guard() {
    require_javac();
    let config = VmConfig { max_depth: 500, ..jit_test_config() };
    let mut jv = vm_for(config);
    let deep = method(&mut jv.vm, "Inl", "deep", "(I)I");
    let catch_deep = method(&mut jv.vm, "Inl", "catchDeep", "(I)I");
    assert_eq!(jv.vm.invoke(catch_deep, &[Value::Int(20)]), Ok(Value::Int(20)));
    // deep calls itself (never inlined) and inc (inlined).
    let (ir, inlined) = compile_ir(&mut jv, deep);
    assert_eq!(inlined, 1, "{ir}");
    compile_ir(&mut jv, catch_deep);
    // deep calls itself directly once compiled: the call helper only
    // where the frame records have no room yet (they double then).
    let helper_calls = jv.vm.jit_call_helper_calls();
    assert_eq!(jv.vm.invoke_compiled(catch_deep, &[Value::Int(300)]), Ok(Value::Int(300)));
    let n = jv.vm.jit_call_helper_calls() - helper_calls;
    assert!(n <= 6, "{n} of 301 calls through the helper");
    assert_eq!(jv.vm.invoke_compiled(catch_deep, &[Value::Int(300)]), Ok(Value::Int(300)));
    assert_eq!(jv.vm.jit_call_helper_calls() - helper_calls, n, "room for 300 frames now");
    assert_eq!(jv.vm.invoke_compiled(catch_deep, &[Value::Int(100_000)]), Ok(Value::Int(-1)));
    let r = jv.vm.invoke_compiled(deep, &[Value::Int(100_000)]);
    assert!(matches!(r, Err(pd_jvm::runtime::VmError::StackDepthExceeded(_))), "{r:?}");
    assert_eq!(jv.vm.invoke_compiled(deep, &[Value::Int(400)]), Ok(Value::Int(400)));
}

#[test]
fn collections_during_calls_keep_the_callers_references() {
    require_javac();
    let config = VmConfig { gc_stress: true, heap_quota: 1 << 20, ..jit_test_config() };
    let mut jv = vm_for(config);
    let chain = method(&mut jv.vm, "Inl", "chain", "(I)I");
    let expect = jv.vm.invoke(chain, &[Value::Int(40)]);
    assert!(matches!(expect, Ok(Value::Int(_))), "{expect:?}");
    let before = jv.vm.heap_stats().collections;
    let mk = method(&mut jv.vm, "Inl", "mk", "(I)LItem;");
    compile_ir(&mut jv, mk);
    let (ir, inlined) = compile_ir(&mut jv, chain);
    // The three key() calls and Item's constructor chain (Item.<init>,
    // Object.<init>); mk allocates: not inlined.
    assert_eq!(inlined, 5, "{ir}");
    let helper_calls = jv.vm.jit_call_helper_calls();
    assert_eq!(jv.vm.invoke_compiled(chain, &[Value::Int(40)]), expect);
    // mk (compiled) is called directly: 81 calls, none through the helper.
    assert_eq!(jv.vm.jit_call_helper_calls(), helper_calls);
    assert!(jv.vm.heap_stats().collections > before + 80, "every allocation collects");
    let expect = jv.vm.invoke(chain, &[Value::Int(64)]);
    assert_eq!(jv.vm.invoke_compiled(chain, &[Value::Int(64)]), expect);
}

#[test]
fn pure_natives_run_without_a_frame() {
    require_javac();
    let mut jv = vm_for(jit_test_config());
    let m = method(&mut jv.vm, "Nat", "mix", "(ID)J");
    let args = |n: i32, x: f64| [Value::Int(n), Value::Double(x)];
    let expect = jv.vm.invoke(m, &args(3, 2.0)).unwrap();
    let (ir, _) = compile_ir(&mut jv, m);
    // Bit conversions and sqrt inline, the fdlibm functions called directly.
    assert!(ir.contains("bitcast") && ir.contains("sqrt"), "{ir}");
    assert_eq!(jv.vm.invoke_compiled(m, &args(3, 2.0)), Ok(expect));
    for (n, x) in [(200, 0.75), (50, -1.5), (10, f64::NAN), (10, f64::INFINITY), (64, 1e300), (7, -0.0)] {
        agree(&mut jv.vm, m, &args(n, x));
    }
    // The budget still counts these calls: exhausted inside the loop.
    let config = VmConfig { budget: 1000, ..jit_test_config() };
    let mut jv = vm_for(config);
    let m = method(&mut jv.vm, "Nat", "mix", "(ID)J");
    jv.vm.invoke(m, &args(3, 2.0)).unwrap();
    compile_ir(&mut jv, m);
    assert_eq!(jv.vm.invoke_compiled(m, &args(1_000_000, 2.0)), Err(pd_jvm::runtime::VmError::BudgetExhausted));
}

#[test]
fn exceptions_unwind_through_direct_calls() {
    require_javac();
    let mut jv = vm_for(jit_test_config());
    let m = method(&mut jv.vm, "Inl", "sumSafe", "(II)I");
    let expect = jv.vm.invoke(m, &[Value::Int(30), Value::Int(1)]);
    assert!(matches!(expect, Ok(Value::Int(_))), "{expect:?}");
    for callee in ["safeDiv", "strictDiv"] {
        let c = method(&mut jv.vm, "Inl", callee, "(II)I");
        compile_ir(&mut jv, c);
    }
    let (_, inlined) = compile_ir(&mut jv, m);
    assert_eq!(inlined, 0);
    // safeDiv's handler catches in the callee (the interpreter finishes
    // it); no call goes through the helper.
    let helper_calls = jv.vm.jit_call_helper_calls();
    assert_eq!(jv.vm.invoke_compiled(m, &[Value::Int(30), Value::Int(1)]), expect);
    assert_eq!(jv.vm.jit_call_helper_calls(), helper_calls);
    // strictDiv's handler does not catch: the trace has both frames.
    let t = agree(&mut jv.vm, m, &[Value::Int(30), Value::Int(0)]);
    assert!(t.contains("ArithmeticException: / by zero"), "{t}");
    assert!(t.contains("at Inl.strictDiv(Inl.java:") && t.contains("at Inl.sumSafe(Inl.java:"), "{t}");
}

/// Cranelift's arm64 back end (seL4) must lower inlined bodies, guards,
/// direct calls (`get_stack_pointer`) and pure natives too.
#[test]
fn aarch64_lowers_the_call_paths() {
    require_javac();
    let mut jv = vm_for(jit_test_config());
    let runs: [(&str, &str, &[Value]); 5] = [
        ("sumDiv", "(II)I", &[Value::Int(20), Value::Int(3)]),
        ("sumSafe", "(II)I", &[Value::Int(20), Value::Int(1)]),
        ("catchDeep", "(I)I", &[Value::Int(20)]),
        ("chain", "(I)I", &[Value::Int(10)]),
        ("bumpAll", "(II)I", &[Value::Int(3), Value::Int(3)]),
    ];
    for (name, desc, args) in runs {
        let m = method(&mut jv.vm, "Inl", name, desc);
        jv.vm.invoke(m, args).unwrap();
    }
    let nat = method(&mut jv.vm, "Nat", "mix", "(ID)J");
    jv.vm.invoke(nat, &[Value::Int(3), Value::Double(2.0)]).unwrap();
    let jit = jit::Jit::new(
        JitOptions { cross_target: Some("aarch64-unknown-linux-gnu"), verify: true, ..JitOptions::default() },
        jit::code_memory::default_code_memory().unwrap(),
    )
    .unwrap();
    let log = jit.log();
    jv.vm.set_compiler(Box::new(jit), JitConfig::default());
    for class in ["Inl", "Nat"] {
        let c = jv.vm.find_loaded(class).unwrap();
        for m in jv.vm.class_methods(c).to_vec() {
            if jv.vm.method_code_len(m) > 0 {
                let _ = jv.vm.jit_compile(m);
            }
        }
    }
    let log = log.borrow();
    let declined: Vec<_> = log.iter().filter(|r| r.declined.is_some()).collect();
    assert!(declined.is_empty(), "aarch64 declined: {declined:?}");
    let inlined: usize = log.iter().map(|r| r.inlined_calls).sum();
    assert!(inlined >= 8, "{inlined} calls inlined");
}

#[test]
fn a_loop_of_inlined_calls_still_exhausts_the_budget() {
    require_javac();
    let mut jv = vm_for(VmConfig { budget: 100_000, ..jit_test_config() });
    let m = method(&mut jv.vm, "Inl", "spin", "(I)I");
    // Interpreted first, so the call sites are resolved when compiled.
    assert_eq!(jv.vm.invoke(m, &[Value::Int(10)]), Ok(Value::Int(10)));
    let (_, inlined) = compile_ir(&mut jv, m);
    assert_eq!(inlined, 2, "both calls of inc inlined");
    assert_eq!(jv.vm.invoke_compiled(m, &[Value::Int(1000)]), Ok(Value::Int(1000)));
    // An odd target is never reached: the loop runs until the budget ends.
    assert_eq!(jv.vm.invoke_compiled(m, &[Value::Int(7)]), Err(pd_jvm::runtime::VmError::BudgetExhausted));
}

const RING: &str = r#"
public class Ring {
    private Object[] ring = new Object[8];
    private int head, count;
    // Queue.enqueue's shape: every check before the first store, and a
    // slow path (grow) that leaves the inlined code.
    void put(Object p) {
        Object[] r = ring;
        int c = count;
        if (c == r.length) r = grow();
        r[(head + c) & (r.length - 1)] = p;
        count = c + 1;
    }
    private Object[] grow() {
        Object[] r = ring;
        Object[] bigger = new Object[r.length * 2];
        for (int i = 0; i < count; i++) bigger[i] = r[(head + i) & (r.length - 1)];
        ring = bigger;
        head = 0;
        return bigger;
    }
    static int fill(Ring q, Object[] items, int n) {
        for (int i = 0; i < n; i++) q.put(items[i]);
        return n;
    }
    // A cast whose value the block dereferences next: a null leaves the
    // inlined code there (the interpreter throws), a box goes on.
    static final class Box { int v; }
    static int unbox(Object[] a, int i) {
        Box b = (Box) a[i];
        int k = i + 1;
        b.v = k;
        return k;
    }
    static int unboxAll(Object[] a) {
        int s = 0;
        for (int i = 0; i < a.length; i++) s += unbox(a, i);
        return s;
    }
    static int boxes(int n, int hole) {
        Object[] a = new Object[n];
        for (int i = 0; i < n; i++) if (i != hole) a[i] = new Box();
        return unboxAll(a);
    }
    static int run(int n) {
        Ring q = new Ring();
        Object[] items = new Object[n];
        for (int i = 0; i < n; i++) items[i] = "x";
        return fill(q, items, n) * 1000 + q.count;
    }
}
"#;

/// A VM with `Ring` that keeps the IR, tiered at 1000: a method never run
/// (`grow`) is then a cold call (`CompileEnv::cold_call`).
fn ring_vm() -> JitVm {
    require_javac();
    let classes = compile(&[("Ring.java", RING)]);
    let jc = JitConfig { threshold: Some(1000), ..JitConfig::default() };
    jit_vm(&classes, jit_test_config(), jc, JitOptions { keep_ir: true, ..test_opts() })
}

/// Compiles `m` with its one call (to `callee`) inlined, and checks that
/// no condition is branched on twice in its IR.
fn compile_testing_each_condition_once(jv: &mut JitVm, m: MethodId, callee: &str) {
    let (ir, inlined) = compile_ir(jv, m);
    assert_eq!(inlined, 1, "{callee} is inlined\n{ir}");
    let twice: Vec<_> = branches_per_condition(&ir).into_iter().filter(|&(_, k)| k > 1).collect();
    assert!(twice.is_empty(), "conditions tested twice: {twice:?}\n{ir}");
}

/// Every condition in the IR (Cranelift's GVN gives a repeated test one
/// value) and how many `brif`s branch on it.
fn branches_per_condition(ir: &str) -> std::collections::BTreeMap<String, usize> {
    let mut n = std::collections::BTreeMap::new();
    for line in ir.lines() {
        let Some(rest) = line.trim().strip_prefix("brif") else { continue };
        let cond = rest.trim_start_matches(|c: char| c == '.' || c.is_alphanumeric() && c != ' ');
        let cond = cond.trim().split(',').next().unwrap_or("").to_string();
        *n.entry(cond).or_default() += 1;
    }
    n
}

/// The slow path of an inlined call that leaves the code (here `grow`)
/// leaves no join behind it: the ring's null test and the queue's are
/// done once per iteration, not again after the place where the slow
/// path would have rejoined (it did, through a block nothing reached).
#[test]
fn a_slow_path_that_leaves_does_not_make_a_join() {
    let mut jv = ring_vm();
    let run = method(&mut jv.vm, "Ring", "run", "(I)I");
    let fill = method(&mut jv.vm, "Ring", "fill", "(LRing;[Ljava/lang/Object;I)I");
    assert_eq!(agree(&mut jv.vm, run, &[Value::Int(5)]), "Int(5005)");
    compile_testing_each_condition_once(&mut jv, fill, "put");
    // Compiled, it fills past the ring's first size: the slow path leaves
    // for the interpreter, which grows the ring and finishes the loop.
    assert!(jv.vm.is_compiled(fill));
    let before = jv.vm.jit_deoptimizations();
    assert_eq!(agree(&mut jv.vm, run, &[Value::Int(20)]), "Int(20020)");
    assert!(jv.vm.jit_deoptimizations() > before, "grow left the compiled code");
}

/// A cast's null leaves the inlined body when the block dereferences the
/// value next (`derefs_cast_result`): the exception is the interpreter's,
/// with `unbox` in its trace, and the packet-like value stays known not
/// null (one null test per iteration for it).
#[test]
fn a_cast_dereferenced_next_sends_null_to_the_slow_path() {
    let mut jv = ring_vm();
    let boxes = method(&mut jv.vm, "Ring", "boxes", "(II)I");
    let all = method(&mut jv.vm, "Ring", "unboxAll", "([Ljava/lang/Object;)I");
    assert_eq!(agree(&mut jv.vm, boxes, &[Value::Int(4), Value::Int(-1)]), "Int(10)");
    compile_testing_each_condition_once(&mut jv, all, "unbox");
    assert!(jv.vm.is_compiled(all));
    let before = jv.vm.jit_deoptimizations();
    let thrown = agree(&mut jv.vm, boxes, &[Value::Int(6), Value::Int(3)]);
    assert!(thrown.starts_with("throws java.lang.NullPointerException"), "{thrown}");
    assert!(thrown.contains("unbox"), "the callee's frame: {thrown}");
    assert!(jv.vm.jit_deoptimizations() > before, "the null left the compiled code");
    assert_eq!(agree(&mut jv.vm, boxes, &[Value::Int(6), Value::Int(-1)]), "Int(21)");
}
