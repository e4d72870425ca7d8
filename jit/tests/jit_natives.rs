//! Calls of ordinary (Rust) natives from compiled code through the native
//! helper (docs/jit.md, "Calls from compiled code"): results, exceptions
//! with the interpreter's stack traces, collections while the caller holds
//! references, natives calling back into Java, the budget, and a virtual
//! native site that sees a second receiver class. Each case compiles its
//! caller after the interpreter ran it (call sites resolved, inline caches
//! filled) and compares with the interpreter on the same VM.

mod support;

use std::sync::atomic::{AtomicU64, Ordering};

use pd_jvm::heap::Ref;
use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::{Args, MethodId, NativeError, NativeResult, Value, Vm, VmConfig, VmError};
use support::*;

const NAT: &str = r#"
public class NatCalls {
    static native int twice(int x);
    static native int failIf(int x);
    static native String mkString(int x);
    static native int callBack(int x);
    static int plusOne(int x) {
        int[] junk = new int[x + 1];
        if (x == 5) throw new IllegalStateException("five");
        return junk.length;
    }
    static int sumTwice(int n) {
        int s = 0;
        for (int i = 0; i < n; i++) s += twice(i);
        return s;
    }
    static int failing(int n, int last) {
        int s = 0;
        for (int i = 0; i < n; i++) s += failIf(i + 1 < n ? i : last);
        return s;
    }
    static int strings(int n) {
        StringBuilder keep = new StringBuilder("kk");
        int[] nums = new int[] { 1, 2, 3 };
        String last = "";
        for (int i = 0; i < n; i++) {
            last = mkString(i);
            // Straight to the heap after the native (no helper between).
            nums[i % 3] += i;
        }
        keep.append(last);
        return keep.length() * 100000 + nums[0] * 1000 + nums[1] * 100 + nums[2] * 10 + last.length();
    }
    static int callBacks(int n) {
        int s = 0;
        for (int i = 0; i < n; i++) s += callBack(i);
        return s;
    }
    static int ids(NBase[] a) {
        int s = 0;
        for (int i = 0; i < a.length; i++) s += a[i].id();
        return s;
    }
    static NBase[] bases(int n, int subEvery, int nullAt) {
        NBase[] a = new NBase[n];
        for (int i = 0; i < n; i++) {
            if (i == nullAt) continue;
            a[i] = subEvery > 0 && i % subEvery == 0 ? new NSub(i) : new NBase(i);
        }
        return a;
    }
}
"#;
const NBASE: &str = "public class NBase { final int k; NBase(int k) { this.k = k; } native int id(); }";
const NSUB: &str = "public class NSub extends NBase { NSub(int k) { super(k); } int id() { return 1000 + k; } }";

/// Calls of `twice` so far (all tests' VMs: compare differences only
/// within one test, which runs on one thread).
static TWICE_CALLS: AtomicU64 = AtomicU64::new(0);

fn twice(vm: &mut Vm, a: Args) -> NativeResult {
    TWICE_CALLS.fetch_add(1, Ordering::Relaxed);
    Ok(Value::Int(a.int(vm, 0).wrapping_mul(2)))
}

fn fail_if(vm: &mut Vm, a: Args) -> NativeResult {
    match a.int(vm, 0) {
        1003 => Err(NativeError::new("java/lang/IllegalStateException", "native says 1003")),
        1004 => Err(NativeError::Throw(Ref::NULL)),
        x => Ok(Value::Int(x)),
    }
}

fn mk_string(vm: &mut Vm, a: Args) -> NativeResult {
    let x = a.int(vm, 0);
    if x % 2 == 1 {
        // One more allocation on odd calls: under gc_stress an odd number
        // of collections leaves the other semispace current (an even one
        // would flip back, hiding a stale heap base).
        vm.new_string_array(&[])?;
    }
    Ok(Value::Ref(vm.new_string(&format!("s{x}"))?))
}

fn call_back(vm: &mut Vm, a: Args) -> NativeResult {
    let x = a.int(vm, 0);
    let c = vm.find_loaded("NatCalls").expect("loaded");
    let m = vm.find_method(c, "plusOne", "(I)I").expect("plusOne");
    let v = vm.call_java(m, &[Value::Int(x)])?;
    // Allocates after Java ran: the heap may move again (gc_stress).
    vm.new_string("after")?;
    Ok(v)
}

fn base_id(_: &mut Vm, _: Args) -> NativeResult {
    Ok(Value::Int(1))
}

fn vm_for(config: VmConfig) -> JitVm {
    vm_with(config, JitConfig::default())
}

fn vm_with(config: VmConfig, jc: JitConfig) -> JitVm {
    let classes = compile(&[("NatCalls.java", NAT), ("NBase.java", NBASE), ("NSub.java", NSUB)]);
    let mut jv = jit_vm(&classes, config, jc, test_opts());
    jv.vm.register_native("NatCalls", "twice", "(I)I", twice);
    jv.vm.register_native("NatCalls", "failIf", "(I)I", fail_if);
    jv.vm.register_native("NatCalls", "mkString", "(I)Ljava/lang/String;", mk_string);
    jv.vm.register_native("NatCalls", "callBack", "(I)I", call_back);
    jv.vm.register_native("NBase", "id", "()I", base_id);
    jv
}

/// `m` run interpreted once with `args` (resolving its call sites), then compiled.
fn warm_and_compile(jv: &mut JitVm, m: MethodId, args: &[Value]) {
    let r = jv.vm.invoke(m, args);
    assert!(r.is_ok(), "{r:?}");
    jv.vm.jit_compile(m).expect("compiles");
}

fn stress_configs() -> [VmConfig; 2] {
    [false, true].map(|gc_stress| VmConfig { gc_stress, heap_quota: 4 << 20, ..jit_test_config() })
}

#[test]
fn natives_run_through_the_native_helper() {
    require_javac();
    let mut jv = vm_for(jit_test_config());
    let m = method(&mut jv.vm, "NatCalls", "sumTwice", "(I)I");
    warm_and_compile(&mut jv, m, &[Value::Int(3)]);
    let (helper, native) = (jv.vm.jit_call_helper_calls(), jv.vm.jit_native_helper_calls());
    let twice_before = TWICE_CALLS.load(Ordering::Relaxed);
    assert_eq!(jv.vm.invoke_compiled(m, &[Value::Int(100)]), Ok(Value::Int(9900)));
    assert_eq!(TWICE_CALLS.load(Ordering::Relaxed) - twice_before, 100);
    assert_eq!(jv.vm.jit_native_helper_calls() - native, 100, "every call through the native helper");
    assert_eq!(jv.vm.jit_call_helper_calls(), helper, "none through the call helper");
    agree(&mut jv.vm, m, &[Value::Int(1000)]);
}

#[test]
fn native_exceptions_have_the_interpreters_stack_traces() {
    require_javac();
    for config in stress_configs() {
        let mut jv = vm_for(config);
        let m = method(&mut jv.vm, "NatCalls", "failing", "(II)I");
        let args = |n, last| [Value::Int(n), Value::Int(last)];
        warm_and_compile(&mut jv, m, &args(3, 2));
        let native = jv.vm.jit_native_helper_calls();
        assert_eq!(agree(&mut jv.vm, m, &args(3, 7)), "Int(8)");
        // NativeError::ThrowNew: raised in the caller, after the native's frame is gone.
        let t = agree(&mut jv.vm, m, &args(4, 1003));
        assert!(
            t.contains("java.lang.IllegalStateException: native says 1003") && t.contains("at NatCalls.failing("),
            "{t}"
        );
        // NativeError::Throw(null): a NullPointerException.
        let t = agree(&mut jv.vm, m, &args(5, 1004));
        assert!(t.contains("java.lang.NullPointerException") && t.contains("at NatCalls.failing("), "{t}");
        assert!(jv.vm.jit_native_helper_calls() - native >= 3 + 4 + 5, "the compiled runs used the native helper");
    }
}

#[test]
fn collections_in_natives_keep_the_callers_references() {
    require_javac();
    for config in stress_configs() {
        let stress = config.gc_stress;
        let mut jv = vm_for(config);
        let m = method(&mut jv.vm, "NatCalls", "strings", "(I)I");
        warm_and_compile(&mut jv, m, &[Value::Int(4)]);
        let before = jv.vm.heap_stats().collections;
        let native = jv.vm.jit_native_helper_calls();
        let c = jv.vm.invoke_compiled(m, &[Value::Int(200)]);
        assert_eq!(jv.vm.jit_native_helper_calls() - native, 200);
        if stress {
            assert!(jv.vm.heap_stats().collections >= before + 200, "every allocation collects");
        }
        let i = jv.vm.invoke(m, &[Value::Int(200)]);
        assert_eq!(c, i);
        assert!(matches!(c, Ok(Value::Int(_))), "{c:?}");
        agree(&mut jv.vm, m, &[Value::Int(37)]);
    }
}

#[test]
fn natives_calling_back_into_java() {
    require_javac();
    for config in stress_configs() {
        let mut jv = vm_for(config);
        let m = method(&mut jv.vm, "NatCalls", "callBacks", "(I)I");
        warm_and_compile(&mut jv, m, &[Value::Int(3)]);
        // Without tiering the callee runs in the native's nested
        // interpreter loop.
        let native = jv.vm.jit_native_helper_calls();
        assert_eq!(agree(&mut jv.vm, m, &[Value::Int(5)]), "Int(15)");
        assert_eq!(jv.vm.jit_native_helper_calls() - native, 5);
        // plusOne(5) throws through the native: its frame is in the trace
        // between the Java frames, as interpreted.
        let t = agree(&mut jv.vm, m, &[Value::Int(6)]);
        assert!(
            t.contains("java.lang.IllegalStateException: five")
                && t.contains("at NatCalls.plusOne(")
                && t.contains("at NatCalls.callBack(")
                && t.contains("at NatCalls.callBacks("),
            "{t}"
        );
        // With tiering the nested loop enters the callee's compiled code:
        // compiled caller -> native -> compiled Java, and back.
        let mut tv = vm_with(config, JitConfig { threshold: Some(2), ..JitConfig::default() });
        let m = method(&mut tv.vm, "NatCalls", "callBacks", "(I)I");
        let plus = method(&mut tv.vm, "NatCalls", "plusOne", "(I)I");
        for _ in 0..3 {
            assert_eq!(tv.vm.invoke(m, &[Value::Int(5)]), Ok(Value::Int(15)));
        }
        assert!(tv.vm.is_compiled(m) && tv.vm.is_compiled(plus), "tiered up");
        let native = tv.vm.jit_native_helper_calls();
        assert_eq!(tv.vm.invoke(m, &[Value::Int(5)]), Ok(Value::Int(15)));
        assert_eq!(tv.vm.jit_native_helper_calls() - native, 5);
        let r = tv.vm.invoke(m, &[Value::Int(6)]);
        assert_eq!(render(&mut tv.vm, r), t, "the same trace as interpreted");
    }
}

#[test]
fn budget_runs_out_at_a_native_call_site() {
    require_javac();
    // Each iteration ticks twice (the call, the back edge): one of the
    // two budgets runs out at the call of the native.
    for budget in [1000, 1001] {
        let mut jv = vm_for(VmConfig { budget, ..jit_test_config() });
        let m = method(&mut jv.vm, "NatCalls", "sumTwice", "(I)I");
        warm_and_compile(&mut jv, m, &[Value::Int(3)]);
        let t0 = TWICE_CALLS.load(Ordering::Relaxed);
        assert_eq!(jv.vm.invoke(m, &[Value::Int(1_000_000)]), Err(VmError::BudgetExhausted));
        let interpreted = TWICE_CALLS.load(Ordering::Relaxed) - t0;
        assert_eq!(jv.vm.invoke_compiled(m, &[Value::Int(1_000_000)]), Err(VmError::BudgetExhausted));
        let compiled = TWICE_CALLS.load(Ordering::Relaxed) - t0 - interpreted;
        assert_eq!(compiled, interpreted, "budget {budget}: as many native calls before it ran out");
        assert!(interpreted > 400 && interpreted < 600, "{interpreted}");
    }
}

#[test]
fn virtual_native_site_sees_a_second_receiver_class() {
    require_javac();
    for config in stress_configs() {
        let mut jv = vm_for(config);
        let ids = method(&mut jv.vm, "NatCalls", "ids", "([LNBase;)I");
        let bases = method(&mut jv.vm, "NatCalls", "bases", "(III)[LNBase;");
        let built = |vm: &mut Vm, args: [i32; 3]| match vm.invoke(bases, &args.map(Value::Int)) {
            Ok(Value::Ref(r)) => vm.pin(r),
            other => panic!("{other:?}"),
        };
        // Only NBase seen: the site's native is guarded by NBase's layout.
        let plain = built(&mut jv.vm, [10, 0, -1]);
        let a = Value::Ref(jv.vm.pinned(&plain));
        warm_and_compile(&mut jv, ids, &[a]);
        let native = jv.vm.jit_native_helper_calls();
        let a = Value::Ref(jv.vm.pinned(&plain));
        assert_eq!(jv.vm.invoke_compiled(ids, &[a]), Ok(Value::Int(10)));
        assert_eq!(jv.vm.jit_native_helper_calls() - native, 10);
        // NSub receivers fail the guard and run NSub.id (0, 3, 6, 9).
        let mixed = built(&mut jv.vm, [10, 3, -1]);
        let expect = 6 + (1000 + 1003 + 1006 + 1009);
        for _ in 0..2 {
            let a = Value::Ref(jv.vm.pinned(&mixed));
            let i = jv.vm.invoke(ids, &[a]);
            let a = Value::Ref(jv.vm.pinned(&mixed));
            let c = jv.vm.invoke_compiled(ids, &[a]);
            assert_eq!(
                (render(&mut jv.vm, c), render(&mut jv.vm, i)),
                (format!("Int({expect})"), format!("Int({expect})"))
            );
        }
        // A null receiver: the NullPointerException of the call, as interpreted.
        let holed = built(&mut jv.vm, [4, 0, 2]);
        let a = Value::Ref(jv.vm.pinned(&holed));
        let i = jv.vm.invoke(ids, &[a]);
        let i = render(&mut jv.vm, i);
        let a = Value::Ref(jv.vm.pinned(&holed));
        let c = jv.vm.invoke_compiled(ids, &[a]);
        let c = render(&mut jv.vm, c);
        assert_eq!(c, i);
        assert!(c.contains("NullPointerException") && c.contains("at NatCalls.ids("), "{c}");
        for p in [plain, mixed, holed] {
            jv.vm.unpin(p);
        }
    }
}
