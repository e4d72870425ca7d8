//! Resource guards (depth, budget), the heap under pressure (constant
//! collections with a tiny quota, OutOfMemoryError), and the VM staying
//! usable after each.

use pd_jvm::runtime::{Value, Vm, VmConfig, VmError};
use pd_jvm_test_support::*;

const PROGRAM: &str = r##"
public class Main {
    static int depth;
    static int recurse(int n) { depth = n; return recurse(n + 1) + 1; }
    static int loopForever() { int x = 0; while (true) { x++; } }
    static int catchEverything() {
        int caught = 0;
        while (true) {
            try { loopForever(); } catch (Throwable t) { caught++; }
        }
    }
    static int deepThenCatch() {
        try { return recurse(0); } catch (StackOverflowError e) { return depth; }
    }
    static int answer() { return 42; }
    static final class Spin { static int v; static { while (v >= 0) { v = (v + 1) & 0xffff; } } }
    static int spin() { return Spin.v; }
    static String spinAgain() {
        try { return "value " + Spin.v; } catch (NoClassDefFoundError e) { return e.getMessage(); }
    }
    static int churn(int rounds) {
        int check = 0;
        for (int r = 0; r < rounds; r++) {
            Node list = null;
            for (int i = 0; i < 200; i++) list = new Node(i, list, new int[i % 17]);
            String s = "";
            for (int i = 0; i < 20; i++) s = s + i;
            for (Node n = list; n != null; n = n.next) check += n.value + n.pad.length;
            check += s.length();
        }
        return check;
    }
    static final class Node {
        final int value; final Node next; final int[] pad;
        Node(int value, Node next, int[] pad) { this.value = value; this.next = next; this.pad = pad; }
    }
    static Object[] keep;
    static String oom() {
        try {
            Object[] chain = null;
            while (true) { Object[] n = new Object[1000]; n[0] = chain; chain = n; }
        } catch (OutOfMemoryError e) {
            return "caught OOM: " + e.getMessage();
        }
    }
    static String hugeArray() {
        try { long[] a = new long[Integer.MAX_VALUE]; return "allocated " + a.length; }
        catch (OutOfMemoryError e) { return "huge: " + e.getMessage(); }
    }
    static int hashesSurviveGc() {
        Object o = new Object();
        int h = o.hashCode();
        churn(5);
        return h == o.hashCode() && h == System.identityHashCode(o) ? 1 : 0;
    }
    static String treeSum() {
        Tree t = Tree.build(8);
        churn(3);
        return "tree " + t.sum() + " " + t.count();
    }
    static final class Tree {
        Tree l, r; long v;
        static Tree build(int d) { Tree t = new Tree(); t.v = d; if (d > 0) { t.l = build(d - 1); t.r = build(d - 1); } return t; }
        long sum() { return v + (l == null ? 0 : l.sum()) + (r == null ? 0 : r.sum()); }
        int count() { return 1 + (l == null ? 0 : l.count()) + (r == null ? 0 : r.count()); }
    }
    public static void main(String[] args) {
        System.out.println(churn(10));
    }
}
"##;

fn vm(config: VmConfig) -> Vm {
    require_javac();
    let classes = compile(&[("Main.java", PROGRAM)]);
    new_vm(&classes, config).0
}

fn call_int(vm: &mut Vm, name: &str) -> Result<i32, VmError> {
    vm.invoke_static("Main", name, "()I", &[]).map(|v| v.as_int().expect("int"))
}

fn call_string(vm: &mut Vm, name: &str) -> String {
    match vm.invoke_static("Main", name, "()Ljava/lang/String;", &[]) {
        Ok(v) => vm.string_value(v.as_ref().unwrap()).unwrap(),
        Err(e) => panic!("{name}: {}", describe(vm, e)),
    }
}

fn describe(vm: &mut Vm, e: VmError) -> String {
    match e {
        VmError::Exception(p) => vm.describe_throwable(&p),
        e => format!("{e:?}"),
    }
}

#[test]
fn infinite_loop_exhausts_the_budget_and_the_vm_stays_usable() {
    let mut vm = vm(VmConfig { budget: 200_000, ..VmConfig::default() });
    assert_eq!(call_int(&mut vm, "loopForever"), Err(VmError::BudgetExhausted));
    assert_eq!(call_int(&mut vm, "answer"), Ok(42));
    // Java cannot swallow the abort: catch (Throwable) never sees it.
    assert_eq!(call_int(&mut vm, "catchEverything"), Err(VmError::BudgetExhausted));
    assert_eq!(call_int(&mut vm, "answer"), Ok(42));
    // Each entry gets a fresh budget.
    for _ in 0..3 {
        assert_eq!(call_int(&mut vm, "loopForever"), Err(VmError::BudgetExhausted));
    }
}

#[test]
fn budget_abort_inside_a_static_initializer_leaves_the_class_erroneous() {
    let mut vm = vm(VmConfig { budget: 100_000, ..VmConfig::default() });
    assert_eq!(call_int(&mut vm, "spin"), Err(VmError::BudgetExhausted));
    assert_eq!(call_string(&mut vm, "spinAgain"), "Could not initialize class Main$Spin");
    assert_eq!(call_int(&mut vm, "answer"), Ok(42));
}

#[test]
fn deep_recursion_hits_the_depth_guard() {
    let mut vm = vm(VmConfig { max_depth: 500, ..VmConfig::default() });
    // Java sees StackOverflowError and may catch it...
    let depth = call_int(&mut vm, "deepThenCatch").unwrap();
    assert!((490..500).contains(&depth), "depth {depth}");
    // ...and an uncaught one is reported as the distinct error.
    match vm.invoke_static("Main", "recurse", "(I)I", &[Value::Int(0)]) {
        Err(VmError::StackDepthExceeded(Some(p))) => {
            let r = vm.pinned(&p);
            let c = vm.class_of(r).unwrap();
            assert_eq!(vm.class_name(c), b"java/lang/StackOverflowError");
            vm.unpin(p);
        }
        Err(e) => panic!("{}", describe(&mut vm, e)),
        other => panic!("{other:?}"),
    }
    assert_eq!(call_int(&mut vm, "answer"), Ok(42));
    // Deep but legal recursion keeps working (the Java stack is not the Rust stack).
    let mut vm = vm_with_depth(100_000);
    let depth = call_int(&mut vm, "deepThenCatch").unwrap();
    assert!(depth > 99_000, "depth {depth}");
}

fn vm_with_depth(d: u32) -> Vm {
    vm(VmConfig { max_depth: d, ..VmConfig::default() })
}

#[test]
fn allocation_churn_under_a_tiny_quota() {
    // Expected value computed on a large heap.
    let mut big = vm(VmConfig::default());
    let expected = big.invoke_static("Main", "churn", "(I)I", &[Value::Int(200)]).unwrap();
    assert_eq!(big.heap_stats().collections, 0);
    let mut small = vm(VmConfig { heap_quota: 96 << 10, ..VmConfig::default() });
    let got = small.invoke_static("Main", "churn", "(I)I", &[Value::Int(200)]).unwrap();
    assert_eq!(got, expected);
    let stats = small.heap_stats();
    assert!(stats.collections > 20, "only {} collections", stats.collections);
    assert!(stats.bytes_copied > 0);
    assert_eq!(call_int(&mut small, "hashesSurviveGc"), Ok(1));
    assert!(small.heap_stats().collections > stats.collections);
    assert_eq!(call_string(&mut small, "treeSum"), "tree 502 511");
    assert_eq!(call_string(&mut big, "treeSum"), "tree 502 511");
}

#[test]
fn out_of_memory_is_thrown_caught_and_survivable() {
    let mut vm = vm(VmConfig { heap_quota: 256 << 10, ..VmConfig::default() });
    assert_eq!(call_string(&mut vm, "oom"), "caught OOM: Java heap space");
    assert_eq!(call_string(&mut vm, "hugeArray"), "huge: Java heap space");
    // After the garbage is gone the VM works normally again.
    let r = vm.invoke_static("Main", "churn", "(I)I", &[Value::Int(3)]).unwrap();
    assert!(matches!(r, Value::Int(n) if n > 0));
    assert_eq!(call_string(&mut vm, "oom"), "caught OOM: Java heap space");
}

#[test]
fn references_stay_valid_while_objects_move() {
    let mut vm = vm(VmConfig { heap_quota: 64 << 10, ..VmConfig::default() });
    vm.boot().unwrap();
    let s = vm.new_string("pinned text").unwrap();
    let p = vm.pin(s);
    let before = vm.pinned(&p);
    for _ in 0..5 {
        vm.collect_garbage();
    }
    vm.invoke_static("Main", "churn", "(I)I", &[Value::Int(5)]).unwrap();
    let after = vm.pinned(&p);
    assert!(vm.heap_stats().collections >= 5);
    assert_ne!(before, after, "a copying collector moves live objects");
    assert_eq!(vm.string_value(after).as_deref(), Some("pinned text"));
    vm.unpin(p);
}

#[test]
fn main_runs_with_a_tiny_heap() {
    let classes = compile(&[("Main.java", PROGRAM)]);
    let r = run_classes(&classes, "Main", VmConfig { heap_quota: 32 << 10, ..VmConfig::default() });
    assert!(r.result.is_ok(), "{:?} {}", r.result, r.stderr);
    let big = run_classes(&classes, "Main", VmConfig::default());
    assert_eq!(r.stdout, big.stdout);
    assert!(r.vm.heap_stats().collections > 5);
}
