//! The embedder's view: class images as sources, natives registered by
//! the embedder (calling back into Java, throwing), `run_main` with
//! arguments, exit codes, heap statistics, and reporting uncaught
//! exceptions without the Java-side `printStackTrace`.

use pd_jvm::image::{self, ClassImage};
use pd_jvm::runtime::{Args, NativeError, NativeResult, Value, Vm, VmConfig, VmError};
use pd_jvm_test_support::*;

const SRC: &str = r##"
public class Main {
    static native int add(int a, long b);
    static native String shout(String s);
    static native void fail(String cls);
    static native Object roundTrip(Object o);
    static String describe(Object o) { return "<" + o + ">"; }
    public static void main(String[] args) {
        System.out.println("args " + args.length + " " + (args.length > 1 ? args[0] + "," + args[1] : ""));
        System.out.println(add(40, 2L));
        System.out.println(shout("hello"));
        try { fail("java/lang/IllegalStateException"); } catch (IllegalStateException e) { System.out.println("caught " + e.getMessage()); }
        System.out.println(roundTrip(new StringBuilder("sb")));
        if (args.length > 2) System.exit(Integer.parseInt(args[2]));
        if (args.length > 3) throw new RuntimeException("boom");
    }
    static long length(Object o) { return o == null ? -1L << 40 : o.toString().length(); }
    /** Run whole by the fast loop: array lengths and int arithmetic. */
    static long sizes(String[] a, String[] b) { return a.length * 1000 + b.length; }
    /** Leaves the fast loop (calls) before its return. */
    static long lengths(Object a, Object b) { return length(a) * 1000 + length(b); }
    /** Until the budget is spent unless a == b. */
    static long spin(Object a, Object b) { long n = 0; while (a != b) n++; return n; }
    static long sumTwin(int n) { Twin t = new Twin(); long s = 0; for (int i = 0; i < n; i++) s += t.inc(i); return s; }
}

final class Twin {
    long inc(long k) { return k + 1; }
}
"##;

fn add(vm: &mut Vm, a: Args) -> NativeResult {
    Ok(Value::Int(a.int(vm, 0) + a.long(vm, 1) as i32))
}

fn shout(vm: &mut Vm, a: Args) -> NativeResult {
    let s = vm.string_value(a.reference(vm, 0)).unwrap_or_default();
    Ok(Value::Ref(vm.new_string(&(s.to_uppercase() + "!"))?))
}

fn fail(vm: &mut Vm, a: Args) -> NativeResult {
    let _ = vm.string_value(a.reference(vm, 0));
    Err(NativeError::new("java/lang/IllegalStateException", "from native"))
}

/// Calls back into Java (`describe(o)`) and returns its result.
fn round_trip(vm: &mut Vm, a: Args) -> NativeResult {
    let main = vm.find_loaded("Main").unwrap();
    let m = vm.find_method(main, "describe", "(Ljava/lang/Object;)Ljava/lang/String;").unwrap();
    let o = a.reference(vm, 0);
    let s = vm.call_java(m, &[Value::Ref(o)])?;
    // A returned reference is only valid until the next allocation.
    let s = vm.string_value(s.as_ref().unwrap()).unwrap();
    // The argument slot is a root, updated if objects moved: re-read it.
    let o = a.reference(vm, 0);
    let t = vm.call_virtual(o, "toString", "()Ljava/lang/String;", &[])?;
    let t = vm.string_value(t.as_ref().unwrap()).unwrap();
    Ok(Value::Ref(vm.new_string(&format!("{s}/{t}"))?))
}

fn image_vm(config: VmConfig) -> (Vm, Captured) {
    let mut all = compile(&[("Main.java", SRC)]);
    for (k, v) in stub_classes() {
        all.insert(k.clone(), v.clone());
    }
    let bytes = image::build(all.iter().map(|(k, v)| (k.as_slice(), v.as_slice()))).unwrap();
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let out = Captured::default();
    let mut vm = Vm::new(config, Box::new(out.clone())).unwrap();
    vm.add_source(Box::new(ClassImage::parse(bytes).unwrap()));
    vm.register_native("Main", "add", "(IJ)I", add);
    vm.register_native("Main", "shout", "(Ljava/lang/String;)Ljava/lang/String;", shout);
    vm.register_native("Main", "fail", "(Ljava/lang/String;)V", fail);
    vm.register_native("Main", "roundTrip", "(Ljava/lang/Object;)Ljava/lang/Object;", round_trip);
    vm.register_native("java/lang/Double", "toString", "(D)Ljava/lang/String;", |vm, a| {
        let d = a.double(vm, 0);
        Ok(Value::Ref(vm.new_string(&format!("{d:?}"))?))
    });
    (vm, out)
}

fn output(out: &Captured) -> (String, String) {
    let b = out.0.borrow();
    (String::from_utf8_lossy(&b.0).into_owned(), String::from_utf8_lossy(&b.1).into_owned())
}

#[test]
fn natives_images_and_arguments() {
    require_javac();
    for stress in [false, true] {
        let (mut vm, out) = image_vm(VmConfig { gc_stress: stress, ..test_config() });
        let r = vm.run_main("Main", &["one", "two"]);
        let (o, e) = output(&out);
        assert_eq!(r, Ok(()), "{e}");
        assert_eq!(o, "args 2 one,two\n42\nHELLO!\ncaught from native\n<sb>/sb\n");
        assert!(vm.class_count() > 20);
    }
}

#[test]
fn exit_codes_and_uncaught_exceptions() {
    require_javac();
    let (mut vm, _) = image_vm(test_config());
    assert_eq!(vm.run_main("Main", &["a", "b", "3"]), Err(VmError::Exit(3)));
    // The VM is usable after exit.
    let (mut vm, out) = image_vm(test_config());
    match vm.run_main("Main", &["a", "b", "0x", "4"]) {
        Err(VmError::Exception(p)) => {
            vm.report_uncaught(&p);
            let (_, e) = output(&out);
            assert!(e.starts_with("Exception in thread \"main\" java.lang.NumberFormatException: For input string: \"0x\"\n\tat java.lang.Integer.parseInt(Integer.java:"), "{e}");
            // The Rust fallback prints the same format.
            let d = vm.describe_throwable(&p);
            assert!(d.starts_with("java.lang.NumberFormatException: For input string: \"0x\"\n\tat java.lang.Integer.parseInt(Integer.java:"), "{d}");
            assert!(d.contains("\n\tat Main.main(Main.java:14)"), "{d}");
            vm.unpin(p);
        }
        other => panic!("{other:?}"),
    }
    let (o, _) = output(&out);
    assert!(o.starts_with("args 4 a,b\n42\n"));
}

#[test]
fn missing_natives_fail_at_first_call() {
    require_javac();
    let classes = compile(&[("Main.java", SRC)]);
    let r = run_classes(&classes, "Main", test_config());
    assert!(matches!(r.result, Err(VmError::Exception(_))));
    assert!(
        r.stderr.starts_with("Exception in thread \"main\" java.lang.UnsatisfiedLinkError: 'int Main.add(int, long)'"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "args 0 \n");
}

#[test]
fn heap_statistics_and_invoke_api() {
    require_javac();
    let (mut vm, _) = image_vm(VmConfig { heap_quota: 64 << 10, ..test_config() });
    let before = vm.heap_stats();
    let v = vm
        .invoke_static(
            "Main",
            "describe",
            "(Ljava/lang/Object;)Ljava/lang/String;",
            &[Value::Ref(pd_jvm::heap::Ref::NULL)],
        )
        .unwrap();
    assert_eq!(vm.string_value(v.as_ref().unwrap()).as_deref(), Some("<null>"));
    for _ in 0..2000 {
        vm.invoke_static(
            "Main",
            "describe",
            "(Ljava/lang/Object;)Ljava/lang/String;",
            &[Value::Ref(pd_jvm::heap::Ref::NULL)],
        )
        .unwrap();
    }
    let after = vm.heap_stats();
    assert!(after.bytes_allocated > before.bytes_allocated);
    assert!(after.collections > before.collections, "{after:?}");
    // Arguments must be of the kinds the method takes: a number for a
    // reference would be a forged reference (and the reverse would leak an
    // address); nothing runs.
    let desc = "(Ljava/lang/Object;)Ljava/lang/String;";
    assert_eq!(
        vm.invoke_static("Main", "describe", desc, &[Value::Int(8)]),
        Err(VmError::Internal("argument slot 0 takes a reference, but a number was given".into()))
    );
    let r = vm.invoke_static("Main", "describe", desc, &[Value::Ref(pd_jvm::heap::Ref::NULL)]).unwrap();
    assert_eq!(vm.string_value(r.as_ref().unwrap()).as_deref(), Some("<null>"));
    // A method checked once for reference arguments: the count and the
    // kinds must match exactly, then calls skip the per-argument check.
    let main = vm.find_loaded("Main").unwrap();
    let describe = vm.find_method(main, "describe", desc).unwrap();
    let add = vm.find_method(main, "add", "(IJ)I").unwrap();
    let shout = vm.find_method(main, "shout", "(Ljava/lang/String;)Ljava/lang/String;").unwrap();
    assert!(vm.ref_call::<0>(describe).is_none());
    assert!(vm.ref_call::<2>(describe).is_none());
    assert!(vm.ref_call::<3>(add).is_none(), "int + long: three slots, none a reference");
    let call = vm.ref_call::<1>(describe).unwrap();
    assert_eq!(call.method(), describe);
    let s = vm.new_string("x").unwrap();
    let r = vm.invoke_refs(call, [s]).unwrap();
    assert_eq!(vm.string_value(r.as_ref().unwrap()).as_deref(), Some("<x>"));
    let r = vm.invoke_refs(call, [pd_jvm::heap::Ref::NULL]).unwrap();
    assert_eq!(vm.string_value(r.as_ref().unwrap()).as_deref(), Some("<null>"));
    // A method returning long: its value without a Value; any other
    // return type is refused.
    let length = vm.find_method(main, "length", "(Ljava/lang/Object;)J").unwrap();
    let s = vm.new_string("four").unwrap();
    assert_eq!(vm.invoke_refs_long(vm.ref_call::<1>(length).unwrap(), [s]), Ok(4));
    assert_eq!(vm.invoke_refs_long(vm.ref_call::<1>(length).unwrap(), [pd_jvm::heap::Ref::NULL]), Ok(-1 << 40));
    match vm.invoke_refs_long(call, [s]) {
        Err(VmError::Internal(m)) => {
            assert!(m.contains("Main.describe(Ljava/lang/Object;)Ljava/lang/String; does not return long"), "{m}")
        }
        r => panic!("{r:?}"),
    }
    // A native taking one reference is called the same way.
    let s = vm.new_string("hi").unwrap();
    let r = vm.invoke_refs(vm.ref_call::<1>(shout).unwrap(), [s]).unwrap();
    assert_eq!(vm.string_value(r.as_ref().unwrap()).as_deref(), Some("HI!"));
    let err = vm.invoke_static("Main", "nope", "()V", &[]).unwrap_err();
    match err {
        VmError::Exception(p) => {
            assert_eq!(vm.describe_throwable(&p), "java.lang.NoSuchMethodError: Main.nope()V");
            vm.unpin(p);
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn classes_defined_at_run_time() {
    require_javac();
    let viflet = compile(&[(
        "Plugin.java",
        "public class Plugin { public static String hello(String who) { return \"plugin says hi to \" + who; } }",
    )]);
    let (mut vm, _) = image_vm(test_config());
    let c = vm.define_class(viflet[&b"Plugin"[..]].clone()).unwrap();
    assert_eq!(vm.class_name(c), b"Plugin");
    let who = vm.new_string("host").unwrap();
    let r = vm.invoke_static("Plugin", "hello", "(Ljava/lang/String;)Ljava/lang/String;", &[Value::Ref(who)]).unwrap();
    assert_eq!(vm.string_value(r.as_ref().unwrap()).as_deref(), Some("plugin says hi to host"));
    match vm.define_class(viflet[&b"Plugin"[..]].clone()) {
        Err(VmError::Exception(p)) => {
            assert_eq!(vm.describe_throwable(&p), "java.lang.LinkageError: duplicate class definition: Plugin");
            vm.unpin(p);
        }
        other => panic!("{other:?}"),
    }
    match vm.define_class(b"\xca\xfe\xba\xbe junk".to_vec()) {
        Err(VmError::Exception(p)) => {
            assert!(vm.describe_throwable(&p).starts_with("java.lang.ClassFormatError"));
            vm.unpin(p);
        }
        other => panic!("{other:?}"),
    }
}

const NEST: &str = r##"
public class Nest {
    static native int down(int n);
    static int back(int n) { return down(n + 1); }
    static String run() {
        try { return "returned " + down(0); } catch (StackOverflowError e) { return "SOE at native nesting"; }
    }
}
"##;

/// A native that calls Java that calls the native again, forever.
fn down(vm: &mut Vm, a: Args) -> NativeResult {
    let n = a.int(vm, 0);
    let c = vm.find_loaded("Nest").unwrap();
    let m = vm.find_method(c, "back", "(I)I").unwrap();
    vm.call_java(m, &[Value::Int(n)])
}

#[test]
fn native_reentry_is_bounded() {
    require_javac();
    let classes = compile(&[("Nest.java", NEST)]);
    let (mut vm, _) = new_vm(&classes, VmConfig { max_native_nesting: 8, ..test_config() });
    vm.register_native("Nest", "down", "(I)I", down);
    let r = vm.invoke_static("Nest", "run", "()Ljava/lang/String;", &[]).unwrap();
    assert_eq!(vm.string_value(r.as_ref().unwrap()).as_deref(), Some("SOE at native nesting"));
    // And the VM is fine afterwards.
    let r = vm.invoke_static("Nest", "run", "()Ljava/lang/String;", &[]).unwrap();
    assert_eq!(vm.string_value(r.as_ref().unwrap()).as_deref(), Some("SOE at native nesting"));
}

/// A planned interpreted entry (`Vm::plan_interpreted_long`, a server's
/// `dispatch` on every call without a JIT) runs the method as `invoke`
/// does, whether the fast loop runs it to its return or `run` goes on;
/// exceptions and a spent budget leave the VM idle for the next entry;
/// the plan ends with the entry epoch.
#[test]
fn planned_interpreted_entries_run_the_method_like_invoke() {
    require_javac();
    use pd_jvm::runtime::SlotRefs;
    let (mut vm, _) = image_vm(VmConfig { budget: 100_000, ..test_config() });
    vm.run_main("Main", &[]).unwrap();
    let main = vm.find_loaded("Main").unwrap();
    let m = |vm: &Vm, name: &str, desc: &str| vm.ref_call::<2>(vm.find_method(main, name, desc).unwrap()).unwrap();
    let sizes = m(&vm, "sizes", "([Ljava/lang/String;[Ljava/lang/String;)J");
    let lengths = m(&vm, "lengths", "(Ljava/lang/Object;Ljava/lang/Object;)J");
    let spin = m(&vm, "spin", "(Ljava/lang/Object;Ljava/lang/Object;)J");
    let describe = vm.find_method(main, "describe", "(Ljava/lang/Object;)Ljava/lang/String;").unwrap();
    assert!(vm.plan_interpreted_long(vm.ref_call::<1>(describe).unwrap()).is_none(), "returns a reference");
    let (sizes_plan, lengths_plan, spin_plan) = (
        vm.plan_interpreted_long(sizes).expect("planned"),
        vm.plan_interpreted_long(lengths).expect("planned"),
        vm.plan_interpreted_long(spin).expect("planned"),
    );
    let a = vm.new_string_array(&["x", "y"]).unwrap();
    let a = vm.pin(a);
    let b = vm.new_string_array(&["p", "q", "r"]).unwrap();
    let b = vm.pin(b);
    let args = |vm: &Vm| SlotRefs::new([vm.pinned(&a), vm.pinned(&b)]);
    let mut prepared = 0;
    let mut enter = |vm: &mut Vm, plan, args: SlotRefs<2>| {
        vm.enter_interpreted_long_with(plan, &args, |_| {
            prepared += 1;
            true
        })
    };
    for _ in 0..3 {
        assert_eq!(
            {
                let x = args(&vm);
                enter(&mut vm, &sizes_plan, x)
            },
            Some(Ok(2003))
        );
        assert_eq!(vm.invoke_refs_long(sizes, [vm.pinned(&a), vm.pinned(&b)]), Ok(2003));
        // toString of a String[]: "[Ljava.lang.String;@" and a hash.
        let r = {
            let x = args(&vm);
            enter(&mut vm, &lengths_plan, x)
        }
        .expect("entered")
        .unwrap();
        assert_eq!(r / 1000, r % 1000, "{r}");
        assert!(r % 1000 > 20, "{r}");
        // A NullPointerException from the fast loop's instruction, thrown by `run`.
        let null_a = SlotRefs::new([pd_jvm::heap::Ref::NULL, vm.pinned(&b)]);
        match enter(&mut vm, &sizes_plan, null_a) {
            Some(Err(VmError::Exception(p))) => {
                assert!(vm.describe_throwable(&p).starts_with("java.lang.NullPointerException"));
                vm.unpin(p);
            }
            r => panic!("{r:?}"),
        }
        assert_eq!(
            {
                let x = args(&vm);
                enter(&mut vm, &spin_plan, x)
            },
            Some(Err(VmError::BudgetExhausted))
        );
        let same = SlotRefs::new([vm.pinned(&a), vm.pinned(&a)]);
        assert_eq!(enter(&mut vm, &spin_plan, same), Some(Ok(0)));
    }
    vm.note_entries_changed();
    assert_eq!(
        {
            let x = args(&vm);
            enter(&mut vm, &sizes_plan, x)
        },
        None,
        "a new epoch ends the plan"
    );
    assert_eq!(prepared, 15, "prepare runs only while the plan holds");
    let plan = vm.plan_interpreted_long(sizes).expect("planned again");
    assert_eq!(vm.enter_interpreted_long_with(&plan, &args(&vm), |_| false), None, "prepare said no");
    assert_eq!(vm.enter_interpreted_long_with(&plan, &args(&vm), |_| true), Some(Ok(2003)));
}

/// Quick twins (`Vm::register_quick_twin`) find keyed embedder data with
/// its key only: the fast loop runs the quick form while the data was set
/// with that key, and the full twin (the call's ordinary path) otherwise.
/// With tiering on, the call always takes the ordinary path (which counts
/// it), also at sites quickened before the compiler was installed.
#[test]
fn quick_twins_find_keyed_embedder_data_by_its_key() {
    use pd_jvm::runtime::twin::QuickCall;
    use pd_jvm::runtime::EmbedderKey;
    #[derive(Default)]
    struct Calls {
        quick: u32,
        full: u32,
    }
    static KEY: EmbedderKey<Calls> = EmbedderKey::new();
    static OTHER: EmbedderKey<Calls> = EmbedderKey::new();
    fn full(vm: &mut Vm, a: Args) -> NativeResult {
        let k = a.long(vm, 1);
        vm.embedder_data_mut::<Calls>().expect("data of this type").full += 1;
        Ok(Value::Long(k + 1))
    }
    fn quick(q: &mut QuickCall<'_>) -> Option<usize> {
        let k = q.raw(1);
        q.keyed_data_and_heap(&KEY)?.0.quick += 1;
        q.set_result(k + 1);
        Some(2)
    }
    require_javac();
    let (mut vm, _) = image_vm(test_config());
    vm.register_quick_twin("Twin", "inc", "(J)J", full, quick);
    let run = |vm: &mut Vm| {
        assert_eq!(vm.invoke_static("Main", "sumTwin", "(I)J", &[Value::Int(100)]), Ok(Value::Long(5050)));
        let c = vm.embedder_data_mut::<Calls>().expect("data of this type");
        let counts = (c.quick, c.full);
        *c = Calls::default();
        counts
    };
    vm.set_keyed_embedder_data(Calls::default(), &KEY);
    // The first call, before its site quickened, runs the bytecode.
    assert_eq!(run(&mut vm), (99, 0));
    vm.set_keyed_embedder_data(Calls::default(), &OTHER);
    assert_eq!(run(&mut vm), (0, 100), "another key");
    vm.set_embedder_data(Calls::default());
    assert_eq!(run(&mut vm), (0, 100), "no key");
    vm.set_keyed_embedder_data(Calls::default(), &KEY);
    assert_eq!(run(&mut vm), (100, 0), "the key again");
    // Tiering counts calls on the ordinary path: installing a compiler
    // with tiering turns the quickened site back into the call.
    struct Declines;
    impl pd_jvm::runtime::compiler::Compiler for Declines {
        fn compile(
            &mut self,
            _: &pd_jvm::runtime::compiler::CompileEnv<'_>,
            _: pd_jvm::runtime::MethodId,
        ) -> Result<pd_jvm::runtime::compiler::Compiled, pd_jvm::runtime::compiler::Decline> {
            Err(pd_jvm::runtime::compiler::Decline("not in this test".into()))
        }
    }
    let tiering = pd_jvm::runtime::compiler::JitConfig { threshold: Some(1_000_000), ..Default::default() };
    vm.set_compiler(Box::new(Declines), tiering);
    let inc = vm.find_method(vm.find_loaded("Twin").unwrap(), "inc", "(J)J").unwrap();
    assert_eq!(run(&mut vm), (0, 100), "tiering");
    assert_eq!(vm.jit_count(inc), 100, "each call counted as an entry");
}
