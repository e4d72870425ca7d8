//! Raw memory natives (`pd_jvm::runtime::raw`) run by the interpreter and
//! as single machine accesses in compiled code; small callees whose throw
//! paths (`throw_tails` in translate.rs) leave the inlined body for the
//! real call, as do their casts and array stores that need the VM; stores
//! into an exact `Object[]` without the store check; leaf natives
//! (`pd_jvm::runtime::leaf`) called directly by compiled code.
//! Each case runs interpreted and compiled on the same VM and compares.

mod support;

use jit::JitOptions;
use pd_jvm::runtime::raw::RawAccess;
use pd_jvm::runtime::{Value, VmConfig};
use support::*;

const BUF: &str = r#"
public final class Buf {
    private final long base;
    private int len;
    Buf(long base, int len) { this.base = base; this.len = len; }

    private static native int peekU8(long a);
    private static native int peekI8(long a);
    private static native int peekU16(long a);
    private static native int peekI16(long a);
    private static native int peekI32(long a);
    private static native long peekI64le(long a);
    private static native void poke8(long a, int v);
    private static native void poke16(long a, int v);
    private static native void poke32(long a, int v);
    private static native void poke64le(long a, long v);
    /** Registered as raw but not private: never bound. */
    static native int leaky(long a);

    int u8(int off) { if (off < 0 || off >= len) throw outside(off); return peekU8(base + off); }
    int i8(int off) { if (off < 0 || off >= len) throw outside(off); return peekI8(base + off); }
    int u16(int off) { if (off < 0 || off > len - 2) throw outside(off); return peekU16(base + off); }
    int i16(int off) { if (off < 0 || off > len - 2) throw outside(off); return peekI16(base + off); }
    int i32(int off) { if (off < 0 || off > len - 4) throw outside(off); return peekI32(base + off); }
    long i64le(int off) { if (off < 0 || off > len - 8) throw new IndexOutOfBoundsException("at " + off); return peekI64le(base + off); }
    void set8(int off, int v) { if (off < 0 || off >= len) throw outside(off); poke8(base + off, v); }
    void set16(int off, int v) { if (off < 0 || off > len - 2) throw outside(off); poke16(base + off, v); }
    void set32(int off, int v) { if (off < 0 || off > len - 4) throw outside(off); poke32(base + off, v); }
    void set64le(int off, long v) { if (off < 0 || off > len - 8) throw outside(off); poke64le(base + off, v); }
    /** A store before the check: inlining it would repeat the store on the slow path. */
    int counted;
    int countedU8(int off) { counted++; if (off < 0 || off >= len) throw outside(off); return peekU8(base + off); }
    private RuntimeException outside(int off) { return new IndexOutOfBoundsException("offset " + off + " of " + len); }

    /** Every accessor once per round, at offset `at` (inlined when compiled). */
    static long mix(Buf b, int rounds, int at) {
        long s = 0;
        for (int r = 0; r < rounds; r++) {
            b.set8(at, r);
            b.set16(at + 1, r * 257);
            b.set32(at + 3, r * 16777619);
            b.set64le(at + 7, (long) r * 0x100000001L);
            s = s * 31 + b.u8(at) + b.i8(at + 2) * 3 + b.u16(at + 1) * 5 + b.i16(at + 3) * 7 + b.i32(at + 3) * 11
                + b.i64le(at + 7) * 13 + b.countedU8(at);
        }
        return s;
    }
    static int leak(long a) { return leaky(a); }

    /** Leaf natives (pd_jvm::runtime::leaf): called once per call, interpreted or compiled. */
    private static native long mixLeaf(long a, long b, long c, long d);
    static native long leakyLeaf(long a, long b, long c, long d);
    static long leafSum(int n) { long s = 0; for (int i = 0; i < n; i++) s += mixLeaf(i, s, 3, -1L); return s; }
    static long leakLeaf() { return leakyLeaf(1, 2, 3, 4); }
    static Buf make(long base, int len) { return new Buf(base, len); }
    static int counter(Buf b) { return b.counted; }
    static int viaCounted(Buf b, int off) { return b.countedU8(off); }

    /** Cap.call's shape: a store that null-checks `b`, a leaf call (an
     * effect), then stores into `b` that must not check again (a failure
     * there would run the leaf twice), so the call can be inlined. */
    long last;
    Buf note(long x) { Buf b = this; b.counted = 1; long r = noteLeaf(x, 1, 2, 3); b.last = r; b.counted = (int) r; return b; }
    private static native long noteLeaf(long a, long b, long c, long d);
    static long noteAll(Buf b, int n) { long s = 0; for (int i = 0; i < n; i++) s += b.note(i).last; return s; }
}
"#;

const CASTS: &str = r#"
public class Casts {
    static String asString(Object o) { return (String) o; }
    static Number asNumber(Object o) { return (Number) o; }
    static void put(Object[] a, int i, Object v) { a[i] = v; }
    static int run(Object[] a, Object v, Object n, int k) {
        int s = 0;
        for (int i = 0; i < k; i++) {
            put(a, i & 3, v);
            s += asString(v).length() + asNumber(n).intValue();
        }
        return s;
    }
    static Object[] objects() { return new Object[4]; }
    static Object[] strings() { return new String[4]; }
    static Object str() { return "abc"; }
    static Object num() { return Integer.valueOf(7); }
}
"#;

const STORES: &str = r#"
public class Stores {
    static int fill(Object[] a, Object v, int n) {
        for (int i = 0; i < n; i++) a[i % a.length] = (i & 1) == 0 ? v : null;
        return a.length;
    }
    static Object[] objects(int n) { return new Object[n]; }
    static Object[] strings(int n) { return new String[n]; }
    static Object x() { return "x"; }
}
"#;

fn vm() -> JitVm {
    let classes = compile(&[("Buf.java", BUF), ("Stores.java", STORES), ("Casts.java", CASTS)]);
    let mut jv = jit_vm(
        &classes,
        VmConfig { heap_quota: 4 << 20, ..jit_test_config() },
        Default::default(),
        JitOptions { keep_ir: true, ..test_opts() },
    );
    let be = |width, signed| RawAccess::Load { width, signed, big_endian: true };
    for (name, a) in [
        ("peekU8", be(1, false)),
        ("peekI8", be(1, true)),
        ("peekU16", be(2, false)),
        ("peekI16", be(2, true)),
        ("peekI32", be(4, true)),
        ("peekI64le", RawAccess::Load { width: 8, signed: true, big_endian: false }),
        ("poke8", RawAccess::Store { width: 1, big_endian: true }),
        ("poke16", RawAccess::Store { width: 2, big_endian: true }),
        ("poke32", RawAccess::Store { width: 4, big_endian: true }),
        ("poke64le", RawAccess::Store { width: 8, big_endian: false }),
        ("leaky", be(4, true)),
    ] {
        assert!(jv.vm.register_raw_native("Buf", name, a), "{name}");
    }
    jv.vm.register_leaf_native("Buf", "mixLeaf", mix_leaf);
    jv.vm.register_leaf_native("Buf", "leakyLeaf", mix_leaf);
    jv.vm.register_leaf_native("Buf", "noteLeaf", note_leaf);
    jv
}

/// `noteLeaf`'s calls (its own counter: tests run in parallel).
static NOTE_CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

extern "C" fn note_leaf(a: u64, b: u64, c: u64, d: u64) -> u64 {
    NOTE_CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    a.wrapping_mul(3) ^ b ^ c ^ d
}

#[test]
fn a_callee_that_stores_after_its_leaf_call_is_inlined_and_runs_the_leaf_once() {
    require_javac();
    let mut jv = vm();
    let b = make(&mut jv, 0);
    let m = method(&mut jv.vm, "Buf", "noteAll", "(LBuf;I)J");
    let calls = || NOTE_CALLS.load(std::sync::atomic::Ordering::Relaxed);
    let before = calls();
    let i = jv.vm.invoke(m, &[Value::Ref(b), Value::Int(50)]);
    assert_eq!(calls() - before, 50);
    jv.vm.jit_compile(m).expect("compiles");
    let rec = jv.log.borrow().last().cloned().unwrap();
    // Before the straight path kept `b`'s null check across the leaf
    // call's budget guard, the store after it made inlining give up.
    assert_eq!(rec.inlined_calls, 1, "note is inlined:\n{}", rec.ir.unwrap_or_default());
    let c = jv.vm.invoke_compiled(m, &[Value::Ref(b), Value::Int(50)]);
    assert_eq!(calls() - before, 100, "once per call compiled too");
    assert_eq!(i, c);
    let s: u64 = (0..50u64).map(|x| note_leaf(x, 1, 2, 3)).fold(0, u64::wrapping_add);
    assert_eq!(c.unwrap(), Value::Long(s as i64));
}

static LEAF_CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

extern "C" fn mix_leaf(a: u64, b: u64, c: u64, d: u64) -> u64 {
    LEAF_CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    a.wrapping_mul(31) ^ b.rotate_left(7) ^ c.wrapping_add(d)
}

#[test]
fn leaf_natives_run_once_per_call_interpreted_and_compiled() {
    require_javac();
    let mut jv = vm();
    let m = method(&mut jv.vm, "Buf", "leafSum", "(I)J");
    let calls = || LEAF_CALLS.load(std::sync::atomic::Ordering::Relaxed);
    let before = calls();
    let i = jv.vm.invoke(m, &[Value::Int(100)]);
    assert_eq!(calls() - before, 100);
    jv.vm.jit_compile(m).expect("compiles");
    let ir = jv.log.borrow().last().cloned().unwrap().ir.unwrap_or_default();
    // The leaf's own signature: called directly, not through the native helper.
    assert!(ir.contains("(i64, i64, i64, i64) -> i64"), "{ir}");
    let c = jv.vm.invoke_compiled(m, &[Value::Int(100)]);
    assert_eq!(calls() - before, 200, "once per call compiled too");
    assert_eq!(i, c);
    let mut s = 0u64;
    for i in 0..100u64 {
        s = s.wrapping_add(mix_leaf(i, s, 3, u64::MAX));
    }
    assert_eq!(c.unwrap(), Value::Long(s as i64));
    // Registered as a leaf but not private: never bound.
    let leak = method(&mut jv.vm, "Buf", "leakLeaf", "()J");
    let t = agree(&mut jv.vm, leak, &[]);
    assert!(t.contains("UnsatisfiedLinkError"), "{t}");
}

/// A `Buf` of 32 bytes at `base`, pinned (a `Pin` stays until unpinned).
/// The tests keep the `Ref`: nothing here fills the 4 MiB heap, so no
/// collection moves it.
fn make(jv: &mut JitVm, base: i64) -> pd_jvm::heap::Ref {
    let m = method(&mut jv.vm, "Buf", "make", "(JI)LBuf;");
    let Ok(Value::Ref(r)) = jv.vm.invoke(m, &[Value::Long(base), Value::Int(32)]) else { panic!("Buf.make") };
    let p = jv.vm.pin(r);
    jv.vm.pinned(&p)
}

#[test]
fn raw_accesses_agree_interpreted_and_compiled_and_inline() {
    require_javac();
    let mut jv = vm();
    let mut mem = vec![0u8; 64];
    let base = mem.as_mut_ptr() as i64;
    let b = make(&mut jv, base);
    let m = method(&mut jv.vm, "Buf", "mix", "(LBuf;II)J");
    let args = |rounds, at| [Value::Ref(b), Value::Int(rounds), Value::Int(at)];
    let r = jv.vm.invoke(m, &args(3, 5));
    assert!(r.is_ok(), "{r:?}");
    jv.vm.jit_compile(m).expect("compiles");
    let rec = jv.log.borrow().last().cloned().unwrap();
    // Up to MAX_INLINE_TOTAL bytes of them; the rest are direct calls.
    assert!(rec.inlined_calls >= 8, "the accessors are inlined: {} calls", rec.inlined_calls);
    let ir = rec.ir.unwrap_or_default();
    assert!(
        ir.contains("bswap") && ir.contains("load.i8") && ir.contains("ireduce.i8"),
        "raw accesses are inline loads and stores:\n{ir}"
    );
    let i = jv.vm.invoke(m, &args(50, 9));
    let snapshot = mem.clone();
    let c = jv.vm.invoke_compiled(m, &args(50, 9));
    assert_eq!(i, c, "compiled (right) against interpreted (left)");
    assert_eq!(mem, snapshot, "the same bytes written");
    // Big-endian: r = 49 at the end.
    assert_eq!(mem[9], 49);
    assert_eq!(&mem[10..12], &(49u16 * 257).to_be_bytes());
    assert_eq!(&mem[12..16], &(49u32.wrapping_mul(16777619)).to_be_bytes());
    assert_eq!(&mem[16..24], &(49u64 * 0x100000001).to_le_bytes());
}

#[test]
fn a_throw_tail_leaves_the_inlined_body_for_the_real_call() {
    require_javac();
    let mut jv = vm();
    let mut mem = vec![0u8; 64];
    let b = make(&mut jv, mem.as_mut_ptr() as i64);
    let m = method(&mut jv.vm, "Buf", "mix", "(LBuf;II)J");
    let counter = method(&mut jv.vm, "Buf", "counter", "(LBuf;)I");
    let args = |rounds, at| [Value::Ref(b), Value::Int(rounds), Value::Int(at)];
    assert!(jv.vm.invoke(m, &args(2, 0)).is_ok());
    jv.vm.jit_compile(m).expect("compiles");
    // Out of bounds: each accessor's throw, with the interpreter's trace.
    for at in [-1, 25, 30, 31] {
        let before = jv.vm.invoke(counter, &[Value::Ref(b)]);
        let t = agree(&mut jv.vm, m, &args(1, at));
        assert!(t.contains("java.lang.IndexOutOfBoundsException") && t.contains("at Buf.mix("), "{at}: {t}");
        let after = jv.vm.invoke(counter, &[Value::Ref(b)]);
        let (Ok(Value::Int(x)), Ok(Value::Int(y))) = (before, after) else { panic!() };
        assert!(y - x <= 2, "countedU8's store happens once per run, not again on the slow path: {x} -> {y}");
    }
    // A store before the throw: inlined, and the throw tail undoes the
    // store before the slow path runs the call for real; the count goes
    // up once per call, compiled or not.
    let via = method(&mut jv.vm, "Buf", "viaCounted", "(LBuf;I)I");
    assert!(jv.vm.invoke(via, &[Value::Ref(b), Value::Int(1)]).is_ok());
    jv.vm.jit_compile(via).expect("compiles");
    assert_eq!(jv.log.borrow().last().unwrap().inlined_calls, 1);
    let count = |jv: &mut JitVm| match jv.vm.invoke(counter, &[Value::Ref(b)]) {
        Ok(Value::Int(n)) => n,
        r => panic!("{r:?}"),
    };
    let before = count(&mut jv);
    let t = agree(&mut jv.vm, via, &[Value::Ref(b), Value::Int(40)]);
    assert!(t.contains("offset 40 of 32") && t.contains("at Buf.countedU8("), "{t}");
    assert_eq!(count(&mut jv) - before, 2, "once interpreted, once compiled");
    drop(mem);
}

#[test]
fn a_raw_native_that_is_not_private_is_not_bound() {
    require_javac();
    let mut jv = vm();
    let m = method(&mut jv.vm, "Buf", "leak", "(J)I");
    let t = agree(&mut jv.vm, m, &[Value::Long(8)]);
    assert!(t.contains("UnsatisfiedLinkError"), "{t}");
}

#[test]
fn stores_into_exact_object_arrays_skip_the_check_and_others_keep_it() {
    require_javac();
    let mut jv = vm();
    let fill = method(&mut jv.vm, "Stores", "fill", "([Ljava/lang/Object;Ljava/lang/Object;I)I");
    let objects = method(&mut jv.vm, "Stores", "objects", "(I)[Ljava/lang/Object;");
    let strings = method(&mut jv.vm, "Stores", "strings", "(I)[Ljava/lang/Object;");
    let x = method(&mut jv.vm, "Stores", "x", "()Ljava/lang/Object;");
    let mut get = |m, args: &[Value]| {
        let Ok(Value::Ref(r)) = jv.vm.invoke(m, args) else { panic!() };
        let p = jv.vm.pin(r);
        jv.vm.pinned(&p)
    };
    let (o, s, v) = (get(objects, &[Value::Int(4)]), get(strings, &[Value::Int(4)]), get(x, &[]));
    assert!(jv.vm.invoke(fill, &[Value::Ref(o), Value::Ref(v), Value::Int(3)]).is_ok());
    jv.vm.jit_compile(fill).expect("compiles");
    assert_eq!(agree(&mut jv.vm, fill, &[Value::Ref(o), Value::Ref(v), Value::Int(9)]), "Int(4)");
    assert_eq!(agree(&mut jv.vm, fill, &[Value::Ref(s), Value::Ref(v), Value::Int(9)]), "Int(4)");
    // An Object[] (the array itself) into a String[]: ArrayStoreException.
    let t = agree(&mut jv.vm, fill, &[Value::Ref(s), Value::Ref(o), Value::Int(2)]);
    assert!(t.contains("java.lang.ArrayStoreException"), "{t}");
    assert_eq!(agree(&mut jv.vm, fill, &[Value::Ref(o), Value::Ref(s), Value::Int(2)]), "Int(4)");
}

#[test]
fn inlined_casts_and_array_stores_leave_for_the_slow_path_when_they_need_the_vm() {
    require_javac();
    let mut jv = vm();
    let mut get = |name: &str| {
        let desc = if name.ends_with('s') { "()[Ljava/lang/Object;" } else { "()Ljava/lang/Object;" };
        let m = method(&mut jv.vm, "Casts", name, desc);
        let Ok(Value::Ref(r)) = jv.vm.invoke(m, &[]) else { panic!("{name}") };
        let p = jv.vm.pin(r);
        jv.vm.pinned(&p)
    };
    let (objs, strs, s, n) = (get("objects"), get("strings"), get("str"), get("num"));
    let run = method(&mut jv.vm, "Casts", "run", "([Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;I)I");
    let args = |a, v, n, k| [Value::Ref(a), Value::Ref(v), Value::Ref(n), Value::Int(k)];
    assert_eq!(jv.vm.invoke(run, &args(objs, s, n, 3)), Ok(Value::Int(30)));
    jv.vm.jit_compile(run).expect("compiles");
    let inlined = jv.log.borrow().last().unwrap().inlined_calls;
    assert!(inlined >= 5, "put, asString, asNumber, length and intValue inlined: {inlined}");
    // Exact Object[] and exact String: inline. Integer as a Number, a
    // store into String[]: the slow path, every time, with the same result.
    assert_eq!(agree(&mut jv.vm, run, &args(objs, s, n, 10)), "Int(100)");
    assert_eq!(agree(&mut jv.vm, run, &args(strs, s, n, 10)), "Int(100)");
    // Failing: the interpreter's exceptions and traces.
    let t = agree(&mut jv.vm, run, &args(strs, n, n, 2));
    assert!(t.contains("java.lang.ArrayStoreException") && t.contains("at Casts.put("), "{t}");
    let t = agree(&mut jv.vm, run, &args(objs, n, n, 2));
    assert!(t.contains("java.lang.ClassCastException") && t.contains("at Casts.asString("), "{t}");
    let t = agree(&mut jv.vm, run, &args(objs, s, s, 2));
    assert!(t.contains("java.lang.ClassCastException") && t.contains("at Casts.asNumber("), "{t}");
}

const ENTRY: &str = r#"
public class Entry {
    static int plain(int x) { return x * 3; }
    static int thrower(int x) {
        if (x > 0) throw new IllegalArgumentException("x=" + x);
        return -x;
    }
    static int catcher(int x) {
        try {
            return thrower(x);
        } catch (IllegalArgumentException e) {
            return e.getMessage().length();
        }
    }
    static native int back(int x);
    static int nested(int x) { return x <= 0 ? 0 : back(x - 1) + 1; }
    /** A server's `dispatch` shape: references in, a `long` out. */
    static long lengths(String a, String b) {
        if (a == null) throw new NullPointerException("a");
        return a.length() * 100L + b.length();
    }
    static int notLong(String a, String b) { return 0; }
}
"#;

/// With tiering, a call from Rust of a method that has code goes straight
/// into it (`call_from_rust`): returns, an exception that escapes, one
/// the method catches (the interpreter finishes the frame), and natives
/// calling back in as deep as `max_native_nesting` allows.
#[test]
fn calls_from_rust_enter_compiled_code_directly() {
    require_javac();
    fn back(vm: &mut pd_jvm::runtime::Vm, a: pd_jvm::runtime::Args) -> pd_jvm::runtime::NativeResult {
        let x = a.int(vm, 0);
        match vm.invoke_static("Entry", "nested", "(I)I", &[Value::Int(x)]) {
            Ok(v) => Ok(v),
            // Passed on as it is (an exception stays pinned until thrown).
            Err(e) => Err(pd_jvm::runtime::NativeError::Vm(e)),
        }
    }
    let classes = compile(&[("Entry.java", ENTRY)]);
    let config = VmConfig { max_native_nesting: 8, ..jit_test_config() };
    let jc = pd_jvm::runtime::compiler::JitConfig { threshold: Some(0), ..Default::default() };
    let mut jv = jit_vm(&classes, config, jc, test_opts());
    jv.vm.register_native("Entry", "back", "(I)I", back);
    let m = |jv: &mut JitVm, n: &str| method(&mut jv.vm, "Entry", n, "(I)I");
    let (plain, thrower, catcher, nested) =
        (m(&mut jv, "plain"), m(&mut jv, "thrower"), m(&mut jv, "catcher"), m(&mut jv, "nested"));
    for &f in &[plain, thrower, catcher, nested] {
        jv.vm.jit_compile(f).expect("compiles");
    }
    assert_eq!(jv.vm.invoke(plain, &[Value::Int(14)]), Ok(Value::Int(42)));
    let t = jv.vm.invoke(thrower, &[Value::Int(5)]);
    let t = render(&mut jv.vm, t);
    assert!(t.contains("IllegalArgumentException: x=5") && t.contains("at Entry.thrower("), "{t}");
    assert_eq!(jv.vm.invoke(thrower, &[Value::Int(-5)]), Ok(Value::Int(5)));
    assert_eq!(jv.vm.invoke(catcher, &[Value::Int(123)]), Ok(Value::Int(5)), "\"x=123\".length()");
    assert_eq!(jv.vm.invoke(nested, &[Value::Int(5)]), Ok(Value::Int(5)));
    let deep = jv.vm.invoke(nested, &[Value::Int(50)]);
    let deep = render(&mut jv.vm, deep);
    assert!(deep.contains("StackOverflowError") || deep.contains("StackDepthExceeded"), "{deep}");
    // And the VM still works after the overflow.
    assert_eq!(jv.vm.invoke(plain, &[Value::Int(1)]), Ok(Value::Int(3)));
}

/// A planned entry (`Vm::plan_entry_long`, a server's on every call)
/// enters the same code as `invoke`, leaves exceptions the same way, and
/// stops holding when the compiled entries change (a new compiler here);
/// nothing is planned for a method that returns no `long`.
#[test]
fn planned_entries_run_the_code_until_the_entries_change() {
    require_javac();
    use pd_jvm::runtime::SlotRefs;
    let classes = compile(&[("Entry.java", ENTRY)]);
    let jc = pd_jvm::runtime::compiler::JitConfig { threshold: Some(0), ..Default::default() };
    let mut jv = jit_vm(&classes, jit_test_config(), jc, test_opts());
    let lengths = method(&mut jv.vm, "Entry", "lengths", "(Ljava/lang/String;Ljava/lang/String;)J");
    let not_long = method(&mut jv.vm, "Entry", "notLong", "(Ljava/lang/String;Ljava/lang/String;)I");
    let call = jv.vm.ref_call::<2>(lengths).expect("two references");
    assert!(jv.vm.plan_entry_long(call).is_none(), "not compiled yet");
    jv.vm.jit_compile(lengths).expect("compiles");
    jv.vm.jit_compile(not_long).expect("compiles");
    assert!(jv.vm.plan_entry_long(jv.vm.ref_call::<2>(not_long).unwrap()).is_none(), "returns int");
    let plan = jv.vm.plan_entry_long(call).expect("planned");
    // Pinned: the exception's allocation may collect and move them.
    let a = jv.vm.new_string("abc").ok().unwrap();
    let a = jv.vm.pin(a);
    let b = jv.vm.new_string("hello").ok().unwrap();
    let b = jv.vm.pin(b);
    let refs = |jv: &JitVm| [jv.vm.pinned(&a), jv.vm.pinned(&b)];
    let args = SlotRefs::new(refs(&jv));
    assert_eq!(jv.vm.enter_planned_long(&plan, &args).map(|r| r.ok()), Some(Some(305)));
    assert_eq!(jv.vm.invoke_refs_long(call, refs(&jv)).ok(), Some(305));
    let no_a = SlotRefs::new([pd_jvm::heap::Ref::NULL, refs(&jv)[1]]);
    let thrown = jv.vm.enter_planned_long(&plan, &no_a).expect("entered");
    let t = render(&mut jv.vm, thrown.map(Value::Long));
    assert!(t.contains("NullPointerException: a") && t.contains("at Entry.lengths("), "{t}");
    let args = SlotRefs::new(refs(&jv));
    assert_eq!(jv.vm.enter_planned_long(&plan, &args).map(|r| r.ok()), Some(Some(305)), "after the exception");
    let memory = jit::code_memory::default_code_memory().expect("code memory");
    jv.vm.set_compiler(Box::new(jit::Jit::new(test_opts(), memory).expect("jit")), jc);
    assert!(jv.vm.enter_planned_long(&plan, &args).is_none(), "a new compiler ends the plan");
    assert_eq!(jv.vm.invoke_refs_long(call, refs(&jv)).ok(), Some(305), "the general way still works");
}

const COLD: &str = r#"
public class Cold {
    int[] a = new int[2];
    int n;
    int grows;
    static final class Box { int v; }

    /** A queue's shape: every check before the first store; `grow` is rare. */
    void add(int x) {
        int[] r = a;
        int c = n;
        if (c == r.length) r = grow();
        r[c] = x;
        n = c + 1;
    }
    private int[] grow() {
        grows++;
        int[] b = new int[a.length * 2];
        for (int i = 0; i < n; i++) b[i] = a[i];
        a = b;
        return b;
    }
    /** Stores to `b` after a store to `other`: fine, `b` was dereferenced on entry. */
    static void mark(Box b, Box other) {
        int x = b.v;
        other.v = x;
        b.v = x + 1;
    }
    static int run(Cold c, int k, Box b, Box o) {
        c.n = 0;
        for (int i = 0; i < k; i++) {
            c.add(i);
            mark(b, o);
        }
        int s = 0;
        for (int i = 0; i < c.n; i++) s += c.a[i];
        return s + c.grows * 1000000 + b.v * 1000;
    }
    static Cold make() { return new Cold(); }
    static Box box() { return new Box(); }
}
"#;

/// With tiering, a callee's rarely taken call (`grow`) does not keep it
/// from being inlined: the compiled caller leaves for the slow path when
/// it is due. And an argument the callee dereferenced on entry needs no
/// null check after a store. Both give the interpreter's results,
/// exceptions included.
#[test]
fn cold_calls_and_entry_dereferences_keep_callees_inlinable() {
    require_javac();
    let classes = compile(&[("Cold.java", COLD)]);
    let jc = pd_jvm::runtime::compiler::JitConfig { threshold: Some(1000), ..Default::default() };
    let mut jv = jit_vm(&classes, jit_test_config(), jc, test_opts());
    let obj = |jv: &mut JitVm, name: &str, desc: &str| {
        let m = method(&mut jv.vm, "Cold", name, desc);
        let Ok(Value::Ref(r)) = jv.vm.invoke(m, &[]) else { panic!("{name}") };
        let p = jv.vm.pin(r);
        jv.vm.pinned(&p)
    };
    let (c, b, o) =
        (obj(&mut jv, "make", "()LCold;"), obj(&mut jv, "box", "()LCold$Box;"), obj(&mut jv, "box", "()LCold$Box;"));
    let run = method(&mut jv.vm, "Cold", "run", "(LCold;ILCold$Box;LCold$Box;)I");
    let args = |k, bb| [Value::Ref(c), Value::Int(k), Value::Ref(bb), Value::Ref(o)];
    // Warm: small runs (grow only at first), then compiled by tiering.
    for _ in 0..300 {
        assert!(jv.vm.invoke(run, &args(2, b)).is_ok());
    }
    assert!(jv.vm.is_compiled(run), "tiering compiled run");
    let rec = jv.log.borrow().iter().rev().find(|r| r.method == run).cloned().unwrap();
    assert!(rec.inlined_calls >= 2, "add and mark inlined: {rec:?}");
    // Beyond the capacity: grow is due, in compiled code, several times.
    let before = jv.vm.invoke(run, &args(2, b));
    let big = jv.vm.invoke(run, &args(100, b));
    let Ok(Value::Int(v)) = big else { panic!("{big:?}") };
    let grows = v / 1000000;
    assert!(grows >= 5, "grew from 2 to 128 slots: {v} (before: {before:?})");
    assert_eq!(v % 1000, (0..100).sum::<i32>() % 1000, "every element stored once: {v}");
    // A null argument: the interpreter's exception and trace.
    let t = jv.vm.invoke(run, &args(3, pd_jvm::heap::Ref::NULL));
    let t = render(&mut jv.vm, t);
    assert!(t.contains("java.lang.NullPointerException") && t.contains("at Cold.mark("), "{t}");
}

const CLOCK: &str = r#"
public class Clock {
    static long sum(int n) { long s = 0; for (int i = 0; i < n; i++) s += System.nanoTime(); return s; }
}
"#;

static CLOCK_READS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Counts its reads and returns how many came before.
extern "C" fn counting_clock() -> u64 {
    CLOCK_READS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// `System.nanoTime` from compiled code is a call of the VM's clock alone:
/// no native helper, once per call, the clock's own values.
#[test]
fn compiled_nano_time_calls_the_clock_directly() {
    require_javac();
    let classes = compile(&[("Clock.java", CLOCK)]);
    let config = VmConfig { nano_clock: Some(counting_clock), ..jit_test_config() };
    let mut jv = jit_vm(&classes, config, Default::default(), JitOptions { keep_ir: true, ..test_opts() });
    let m = method(&mut jv.vm, "Clock", "sum", "(I)J");
    let reads = || CLOCK_READS.load(std::sync::atomic::Ordering::Relaxed);
    let sum_from = |first: u64| (first..first + 100).sum::<u64>() as i64;
    let first = reads();
    assert_eq!(jv.vm.invoke(m, &[Value::Int(100)]).unwrap(), Value::Long(sum_from(first)));
    jv.vm.jit_compile(m).expect("compiles");
    let ir = jv.log.borrow().last().cloned().unwrap().ir.unwrap_or_default();
    assert!(ir.contains("() -> i64"), "the clock's own signature:\n{ir}");
    let helper_calls = jv.vm.jit_native_helper_calls();
    let first = reads();
    assert_eq!(jv.vm.invoke_compiled(m, &[Value::Int(100)]).unwrap(), Value::Long(sum_from(first)));
    assert_eq!(reads() - first, 100, "once per call");
    assert_eq!(jv.vm.jit_native_helper_calls(), helper_calls, "not through the native helper");

    // Without a clock, nanoTime reads 0 compiled as interpreted.
    let mut jv = jit_vm(&classes, jit_test_config(), Default::default(), test_opts());
    let m = method(&mut jv.vm, "Clock", "sum", "(I)J");
    assert_eq!(jv.vm.invoke(m, &[Value::Int(10)]).unwrap(), Value::Long(0));
    jv.vm.jit_compile(m).expect("compiles");
    assert_eq!(jv.vm.invoke_compiled(m, &[Value::Int(10)]).unwrap(), Value::Long(0));
}
