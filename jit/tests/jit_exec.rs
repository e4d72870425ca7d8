//! Compiled code against the interpreter: every method below runs both
//! ways on the same VM (and on a second VM compiled *before* anything ran,
//! so resolution, initialization and allocation take the slow paths) and
//! must produce the same value, bit for bit, or the same exception with
//! the same stack trace. Also under `gc_stress` (every allocation
//! collects, so every reference held by compiled code moves).

mod support;

use jit::JitOptions;
use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::{Value, VmConfig, VmError};
use support::*;

const ARITH: &str = r#"
public class Arith {
    static int idiv(int a, int b) { return a / b; }
    static int irem(int a, int b) { return a % b; }
    static long ldiv(long a, long b) { return a / b; }
    static long lrem(long a, long b) { return a % b; }
    static int f2i(float f) { return (int) f; }
    static long f2l(float f) { return (long) f; }
    static int d2i(double d) { return (int) d; }
    static long d2l(double d) { return (long) d; }
    static float l2f(long l) { return (float) l; }
    static double l2d(long l) { return (double) l; }
    static float d2f(double d) { return (float) d; }
    static double f2d(float f) { return f; }
    static float i2f(int i) { return (float) i; }
    static int i2b(int i) { return (byte) i; }
    static int i2c(int i) { return (char) i; }
    static int i2s(int i) { return (short) i; }
    static int shl(int a, int s) { return a << s; }
    static int shr(int a, int s) { return a >> s; }
    static int ushr(int a, int s) { return a >>> s; }
    static long lshl(long a, int s) { return a << s; }
    static long lshr(long a, int s) { return a >> s; }
    static long lushr(long a, int s) { return a >>> s; }
    static int flt(float a, float b) { return a < b ? 1 : 0; }
    static int fgt(float a, float b) { return a > b ? 1 : 0; }
    static int fle(float a, float b) { return a <= b ? 1 : 0; }
    static int feq(float a, float b) { return a == b ? 1 : 0; }
    static int dlt(double a, double b) { return a < b ? 1 : 0; }
    static int dge(double a, double b) { return a >= b ? 1 : 0; }
    static int dne(double a, double b) { return a != b ? 1 : 0; }
    static int lcmp(long a, long b) { return a < b ? -1 : (a == b ? 0 : 1); }
    static float frem(float a, float b) { return a % b; }
    static double drem(double a, double b) { return a % b; }
    static float fneg(float a) { return -a; }
    static double dneg(double a) { return -a; }
    static int ineg(int a) { return -a; }
    static long lneg(long a) { return -a; }
    static int muladd(int a, int b, int c) { return a * b + c; }
    static long lmuladd(long a, long b, long c) { return a * b - c; }
    static double dmuladd(double a, double b, double c) { return a * b + c; }
    static float fmuladd(float a, float b, float c) { return a * b + c; }
    static double fdiv(double a, double b) { return a / b; }
    static int bits(int a, int b) { return (a & b) ^ (a | ~b); }
    static long lbits(long a, long b) { return (a & b) ^ (a | ~b); }
    static double mix(double a, float b, long c, int d) { return a * b + c - d / 3.0; }
    static int table(int k) {
        switch (k) { case 0: return 10; case 1: return 11; case 2: return 12; case 3: return 13; case 5: return 15; default: return -1; }
    }
    static int lookup(int k) {
        switch (k) { case -100000: return 1; case -1: return 2; case 7: return 3; case 99999: return 4; case Integer.MIN_VALUE: return 5; default: return 0; }
    }
    static int iinc(int a) { int x = a; x += 1000; x -= 7; x++; return x; }
    static int cond(int a, int b) { return (a > 0 && b < 0) || a == b ? a - b : a + b; }
    static long consts() { return 1234567890123L + (long) 3.5e9 + (long) 2.5f + 100000; }
}
"#;

const LOOPS: &str = r#"
public class Loops {
    static int sieve(int n) {
        boolean[] flags = new boolean[n + 1];
        int count = 0;
        for (int i = 2; i <= n; i++) {
            if (!flags[i]) {
                count++;
                for (int k = i + i; k <= n; k += i) flags[k] = true;
            }
        }
        return count;
    }
    static long sumSquares(int n) { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = i * i; long s = 0; for (int x : a) s += x; return s; }
    static int bytes(int n) { byte[] b = new byte[n]; for (int i = 0; i < n; i++) b[i] = (byte) (i * 7); int s = 0; for (byte x : b) s += x; return s; }
    static int chars(int n) { char[] c = new char[n]; for (int i = 0; i < n; i++) c[i] = (char) (i * 1000); int s = 0; for (char x : c) s += x; return s; }
    static int shorts(int n) { short[] c = new short[n]; for (int i = 0; i < n; i++) c[i] = (short) (i * 1000); int s = 0; for (short x : c) s += x; return s; }
    static int bools(int n) { boolean[] b = new boolean[n]; for (int i = 0; i < n; i++) b[i] = i % 3 == 0; int s = 0; for (boolean x : b) if (x) s++; return s; }
    // Constants stored narrow (as immediates on x86-64), to arrays and fields.
    static final class Narrow { byte b; short s; char c; boolean z; }
    static int consts(int n) {
        byte[] b = new byte[n]; short[] s = new short[n]; char[] c = new char[n]; boolean[] z = new boolean[n];
        Narrow o = new Narrow();
        int acc = 0;
        for (int i = 0; i < n; i++) {
            b[i] = -128; s[i] = -1; c[i] = 65535; z[i] = true;
            if (i % 2 == 0) { b[i] = 127; s[i] = 32767; c[i] = 0; z[i] = false; }
            o.b = -2; o.s = -300; o.c = 'x'; o.z = i % 3 == 0;
            acc += b[i] + s[i] + c[i] + (z[i] ? 1 : 0) + o.b + o.s + o.c + (o.z ? 1 : 0);
        }
        return acc;
    }
    static double doubles(int n) { double[] d = new double[n]; for (int i = 0; i < n; i++) d[i] = i / 7.0; double s = 0; for (double x : d) s += x; return s; }
    static float floats(int n) { float[] d = new float[n]; for (int i = 0; i < n; i++) d[i] = i / 7.0f; float s = 0; for (float x : d) s += x; return s; }
    static long longs(int n) { long[] d = new long[n]; for (int i = 0; i < n; i++) d[i] = (long) i << 33; long s = 0; for (long x : d) s ^= x + 1; return s; }
    static int matrix(int n) { int[][] m = new int[n][n]; for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = i * j; int s = 0; for (int[] r : m) for (int x : r) s += x; return s; }
    static int jagged(int n) { int[][] m = new int[n][]; for (int i = 0; i < n; i++) { m[i] = new int[i + 1]; m[i][i] = i; } int s = 0; for (int[] r : m) s += r.length + r[r.length - 1]; return s; }
    static int objs(int n) { Object[] o = new Object[n]; for (int i = 0; i < n; i++) o[i] = i % 2 == 0 ? "s" : null; int c = 0; for (Object x : o) if (x != null) c++; return c; }
    static int load(int[] a, int i) { return a[i]; }
    static int loadAt(int n, int i) { int[] a = new int[n]; return load(a, i); }
    static int nullLoad(int i) { return load(null, i); }
    // A local the translator knows is non-null (only fresh arrays stored
    // to it) next to ones it must check: a fresh array on one path and
    // null on the other, and a fresh array stored where a branch joins.
    static int freshLocal(int n) { int[] a = new int[n]; int s = 0; for (int i = 0; i < n; i++) { a[i] = i; s += a[i]; } return s; }
    static int maybeNull(int n) { int[] a = n > 0 ? new int[n] : null; return a[0]; }
    static int maybeNullLast(int n) { int[] a = n <= 0 ? null : new int[n]; return a[0]; }
    static int joinStore(int n) { int[] a; if (n > 0) { a = new int[n]; } else { a = null; } int[] b = new int[1]; return a[0] + b[0]; }
    static int negSize(int n) { return new int[n].length; }
    // Fresh arrays of every length up to 40 read as zeros, while the ones
    // before them were filled with garbage and dropped (with collections
    // in between, the space is reused): compiled code zeroes in 8- and
    // 16-byte stores.
    static long zeroed(int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            int len = i % 41;
            long[] l = new long[len]; byte[] b = new byte[len]; int[] a = new int[len]; Object[] o = new Object[len];
            for (int j = 0; j < len; j++) { s |= l[j] | b[j] | a[j]; if (o[j] != null) s |= 1; }
            for (int j = 0; j < len; j++) { l[j] = -1L; b[j] = (byte) -1; a[j] = -1; o[j] = "x"; }
        }
        return s;
    }
    static int arrayStore() { Object[] a = new String[1]; a[0] = new Object(); return 0; }
    static int nested(int n) { int s = 0; for (int i = 0; i < n; i++) { int j = 0; while (j < i) { s += i ^ j; j++; } } return s; }
    static int doWhile(int n) { int s = 0; do { s += n; n -= 3; } while (n > 0); return s; }
    static int forever() { int i = 0; while (true) { i++; } }
    static int copyLoop(int n) { int[] a = new int[n]; int[] b = new int[n]; for (int i = 0; i < n; i++) a[i] = i; for (int i = 0; i < n; i++) b[n - 1 - i] = a[i]; return b[0] * 31 + b[n - 1]; }
}
"#;

const FIELDS: &str = r#"
class Lazy { static int VALUE; static { VALUE = 42; } static int twice() { return VALUE * 2; } }
class Node { int v; Node next; Node(int v, Node next) { this.v = v; this.next = next; } }
public class Fields {
    int i; long l; float f; double d; byte b; char c; short s; boolean z; Object o;
    static int si; static long sl; static float sf; static double sd; static byte sb; static char sc; static short ss; static boolean sz; static Object so;
    static final String GREETING = "hello";
    static int instance(int v) {
        Fields x = new Fields();
        x.i = v; x.l = v * 3L; x.f = v / 2f; x.d = v / 3.0; x.b = (byte) v; x.c = (char) v; x.s = (short) v; x.z = (v & 1) == 1; x.o = x;
        return x.i + (int) x.l + (int) x.f + (int) x.d + x.b + x.c + x.s + (x.z ? 1 : 0) + (x.o == x ? 1 : 0);
    }
    static double statics(int v) {
        si = v; sl = v * 5L; sf = v * 1.5f; sd = v * 2.25; sb = (byte) v; sc = (char) v; ss = (short) v; sz = v > 0; so = GREETING;
        return si + sl + sf + sd + sb + sc + ss + (sz ? 1 : 0) + (so == GREETING ? 100 : 0);
    }
    static int npe(Fields x) { return x.i; }
    static int npeNull() { return npe(null); }
    static void npePut(Fields x) { x.i = 1; }
    static int npePutNull() { npePut(null); return 0; }
    static int lazy() { return Lazy.VALUE + Lazy.twice(); }
    static int str() { return GREETING.length() + GREETING.charAt(1); }
    static long churn(int rounds) {
        Node keep = null;
        for (int i = 0; i < 500; i++) keep = new Node(i, keep);
        long s = 0;
        for (int r = 0; r < rounds; r++) { int[] junk = new int[20]; junk[5] = r; Node n = new Node(r, null); s += junk[5] + n.v; }
        for (Node p = keep; p != null; p = p.next) s += p.v;
        return s;
    }
    static int casts(Object o) {
        int r = 0;
        if (o instanceof String) r += 1;
        if (o instanceof Fields) r += 2;
        if (o instanceof Comparable) r += 4;
        if (o instanceof Object[]) r += 8;
        if (o instanceof int[]) r += 16;
        String s = (String) o;
        return r + (s == null ? 0 : s.length());
    }
    static int castAll() {
        return casts("abc") + casts(null) * 100 + casts(new String[0] == null ? null : "x") * 10000;
    }
    static int badCast() { return casts(new Fields()); }
}
"#;

const CALLS: &str = r#"
interface Shape { double area(); }
class Sq implements Shape { double s; Sq(double s) { this.s = s; } public double area() { return s * s; } }
class Circ implements Shape { double r; Circ(double r) { this.r = r; } public double area() { return 3.0 * r * r; } }
abstract class Animal { abstract int legs(); int twice() { return legs() * 2; } }
class Dog extends Animal { int legs() { return 4; } }
class Bird extends Animal { int legs() { return 2; } }
public class Calls {
    static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
    static double roots(int n) { return n == 0 ? 0 : StrictMath.sin(n) + roots(n - 1); }
    static double shapes(int n) {
        Shape[] s = new Shape[n];
        for (int i = 0; i < n; i++) s[i] = i % 2 == 0 ? new Sq(i) : new Circ(i);
        double t = 0;
        for (Shape x : s) t += x.area();
        return t;
    }
    static int virt(int n) { int t = 0; for (int i = 0; i < n; i++) { Animal a = i % 3 == 0 ? new Dog() : new Bird(); t += a.twice(); } return t; }
    static String build(int n) { StringBuilder sb = new StringBuilder(); for (int i = 0; i < n; i++) sb.append(i).append(','); return sb.toString(); }
    static String concat(int a, long b, double c, String d) { return "a=" + a + " b=" + b + " c=" + c + " d=" + d; }
    static long mixed(int a, long b, float c, double d, Object e, int f) { return a + b + (long) c + (long) d + (e == null ? 0 : 1) + f; }
    static long callMixed() { return mixed(1, 2L, 3.5f, 4.25, "x", 6) + mixed(-1, Long.MAX_VALUE, 0f, -0.0, null, 0); }
    static int thrower(int x) { if (x > 0) throw new IllegalStateException("bad " + x); return x; }
    static int catcher(int x) { try { return thrower(x) + 1; } catch (IllegalStateException e) { return -1; } }
    static int divCatch(int a, int b) { int r; try { r = a / b; } catch (ArithmeticException e) { r = -99; } return r * 2; }
    static int finallyTest(int x) { int r = 0; try { r = 10 / x; } finally { r += 1; } return r; }
    static int deep(int n) { return n == 0 ? 0 : 1 + deep(n - 1); }
    static int soe(int n) { return soe(n + 1) + 1; }
    static int catchSoe() { try { return soe(0); } catch (StackOverflowError e) { return -5; } }
    static int sync(Object o) { synchronized (o) { return o.hashCode() == o.hashCode() ? 1 : 0; } }
    static synchronized int syncStatic(int x) { return x + 1; }
    static int lambda(int n) { Runnable r = () -> {}; r.run(); int[] box = {n}; java.util.function.IntSupplier s = () -> box[0] * 2; return s.getAsInt(); }
}
"#;

fn classes() -> Classes {
    compile(&[("Arith.java", ARITH), ("Loops.java", LOOPS), ("Fields.java", FIELDS), ("Calls.java", CALLS)])
}

fn ints() -> Vec<i32> {
    vec![0, 1, -1, 2, -7, 7, 31, 32, 33, 1000, i32::MIN, i32::MAX, i32::MIN + 1, 0x1234_5678]
}
fn longs() -> Vec<i64> {
    vec![0, 1, -1, 3, -7, 63, 64, i64::MIN, i64::MAX, 0x1234_5678_9abc_def0, i64::from(i32::MIN)]
}
fn floats() -> Vec<f32> {
    vec![
        0.0,
        -0.0,
        1.5,
        -1.5,
        2.5,
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        3e9,
        -3e9,
        1e20,
        f32::MIN_POSITIVE,
        1e-45,
        7.0,
    ]
}
fn doubles() -> Vec<f64> {
    vec![0.0, -0.0, 1.5, -2.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 3e9, -3e18, 1e300, 4.9e-324, 10.0, 0.1]
}

type Case = (&'static str, &'static str, &'static str, Vec<Vec<Value>>);

fn pairs<T: Copy>(xs: &[T], f: impl Fn(T) -> Value) -> Vec<Vec<Value>> {
    xs.iter().flat_map(|&a| xs.iter().map(move |&b| (a, b))).map(|(a, b)| vec![f(a), f(b)]).collect()
}

fn ones<T: Copy>(xs: &[T], f: impl Fn(T) -> Value) -> Vec<Vec<Value>> {
    xs.iter().map(|&a| vec![f(a)]).collect()
}

fn arith_cases() -> Vec<Case> {
    let (i, l, f, d) = (ints(), longs(), floats(), doubles());
    let shifts: Vec<Vec<Value>> =
        i.iter().flat_map(|&a| [0, 1, 31, 32, 33, -1, 65].map(|s| vec![Value::Int(a), Value::Int(s)])).collect();
    let lshifts: Vec<Vec<Value>> =
        l.iter().flat_map(|&a| [0, 1, 63, 64, 65, -1].map(|s| vec![Value::Long(a), Value::Int(s)])).collect();
    let iv = |x| Value::Int(x);
    let lv = |x| Value::Long(x);
    let fv = |x| Value::Float(x);
    let dv = |x| Value::Double(x);
    vec![
        ("Arith", "idiv", "(II)I", pairs(&i, iv)),
        ("Arith", "irem", "(II)I", pairs(&i, iv)),
        ("Arith", "ldiv", "(JJ)J", pairs(&l, lv)),
        ("Arith", "lrem", "(JJ)J", pairs(&l, lv)),
        ("Arith", "f2i", "(F)I", ones(&f, fv)),
        ("Arith", "f2l", "(F)J", ones(&f, fv)),
        ("Arith", "d2i", "(D)I", ones(&d, dv)),
        ("Arith", "d2l", "(D)J", ones(&d, dv)),
        ("Arith", "l2f", "(J)F", ones(&l, lv)),
        ("Arith", "l2d", "(J)D", ones(&l, lv)),
        ("Arith", "d2f", "(D)F", ones(&d, dv)),
        ("Arith", "f2d", "(F)D", ones(&f, fv)),
        ("Arith", "i2f", "(I)F", ones(&i, iv)),
        ("Arith", "i2b", "(I)I", ones(&i, iv)),
        ("Arith", "i2c", "(I)I", ones(&i, iv)),
        ("Arith", "i2s", "(I)I", ones(&i, iv)),
        ("Arith", "shl", "(II)I", shifts.clone()),
        ("Arith", "shr", "(II)I", shifts.clone()),
        ("Arith", "ushr", "(II)I", shifts),
        ("Arith", "lshl", "(JI)J", lshifts.clone()),
        ("Arith", "lshr", "(JI)J", lshifts.clone()),
        ("Arith", "lushr", "(JI)J", lshifts),
        ("Arith", "flt", "(FF)I", pairs(&f, fv)),
        ("Arith", "fgt", "(FF)I", pairs(&f, fv)),
        ("Arith", "fle", "(FF)I", pairs(&f, fv)),
        ("Arith", "feq", "(FF)I", pairs(&f, fv)),
        ("Arith", "dlt", "(DD)I", pairs(&d, dv)),
        ("Arith", "dge", "(DD)I", pairs(&d, dv)),
        ("Arith", "dne", "(DD)I", pairs(&d, dv)),
        ("Arith", "lcmp", "(JJ)I", pairs(&l, lv)),
        ("Arith", "frem", "(FF)F", pairs(&f, fv)),
        ("Arith", "drem", "(DD)D", pairs(&d, dv)),
        ("Arith", "fneg", "(F)F", ones(&f, fv)),
        ("Arith", "dneg", "(D)D", ones(&d, dv)),
        ("Arith", "ineg", "(I)I", ones(&i, iv)),
        ("Arith", "lneg", "(J)J", ones(&l, lv)),
        ("Arith", "fdiv", "(DD)D", pairs(&d, dv)),
        ("Arith", "bits", "(II)I", pairs(&i, iv)),
        ("Arith", "lbits", "(JJ)J", pairs(&l, lv)),
        ("Arith", "muladd", "(III)I", i.iter().map(|&a| vec![iv(a), iv(a.wrapping_mul(3)), iv(7)]).collect()),
        ("Arith", "lmuladd", "(JJJ)J", l.iter().map(|&a| vec![lv(a), lv(a ^ 0x55), lv(-9)]).collect()),
        // a*b+c where fused and unfused differ: 0.1*10-1 is 0 unfused, 5.55e-17 fused.
        ("Arith", "dmuladd", "(DDD)D", vec![vec![dv(0.1), dv(10.0), dv(-1.0)], vec![dv(1e308), dv(10.0), dv(-1e308)]]),
        ("Arith", "fmuladd", "(FFF)F", vec![vec![fv(0.1), fv(10.0), fv(-1.0)]]),
        ("Arith", "mix", "(DFJI)D", vec![vec![dv(1.25), fv(-3.5), lv(1 << 40), iv(-7)]]),
        (
            "Arith",
            "table",
            "(I)I",
            (-2..8).map(|k| vec![iv(k)]).chain([vec![iv(i32::MIN)], vec![iv(i32::MAX)]]).collect(),
        ),
        (
            "Arith",
            "lookup",
            "(I)I",
            [-100000, -1, 0, 7, 8, 99999, i32::MIN, i32::MAX].iter().map(|&k| vec![iv(k)]).collect(),
        ),
        ("Arith", "iinc", "(I)I", ones(&i, iv)),
        ("Arith", "cond", "(II)I", pairs(&i, iv)),
        ("Arith", "consts", "()J", vec![vec![]]),
    ]
}

fn program_cases() -> Vec<Case> {
    let iv = |x| Value::Int(x);
    let n = |xs: &[i32]| xs.iter().map(|&x| vec![iv(x)]).collect::<Vec<_>>();
    vec![
        ("Loops", "sieve", "(I)I", n(&[1, 2, 100, 10000])),
        ("Loops", "sumSquares", "(I)J", n(&[0, 1, 1000])),
        ("Loops", "bytes", "(I)I", n(&[0, 300])),
        ("Loops", "chars", "(I)I", n(&[0, 300])),
        ("Loops", "shorts", "(I)I", n(&[300])),
        ("Loops", "bools", "(I)I", n(&[0, 100])),
        ("Loops", "consts", "(I)I", n(&[0, 7])),
        ("Loops", "doubles", "(I)D", n(&[100])),
        ("Loops", "floats", "(I)F", n(&[100])),
        ("Loops", "longs", "(I)J", n(&[100])),
        ("Loops", "matrix", "(I)I", n(&[0, 1, 17])),
        ("Loops", "jagged", "(I)I", n(&[1, 9])),
        ("Loops", "zeroed", "(I)J", n(&[41, 20000])),
        ("Loops", "objs", "(I)I", n(&[0, 33])),
        (
            "Loops",
            "loadAt",
            "(II)I",
            vec![vec![iv(3), iv(2)], vec![iv(3), iv(3)], vec![iv(3), iv(-1)], vec![iv(0), iv(0)]],
        ),
        ("Loops", "nullLoad", "(I)I", n(&[0])),
        ("Loops", "freshLocal", "(I)I", n(&[0, 1, 100])),
        ("Loops", "maybeNull", "(I)I", n(&[0, 3])),
        ("Loops", "maybeNullLast", "(I)I", n(&[0, 3])),
        ("Loops", "joinStore", "(I)I", n(&[0, 2])),
        ("Loops", "negSize", "(I)I", n(&[0, 5, -1])),
        ("Loops", "arrayStore", "()I", vec![vec![]]),
        ("Loops", "nested", "(I)I", n(&[0, 50])),
        ("Loops", "doWhile", "(I)I", n(&[0, 10, 100])),
        ("Loops", "copyLoop", "(I)I", n(&[1, 64])),
        ("Fields", "instance", "(I)I", n(&[0, 1, -1, 300, 70000, i32::MIN])),
        ("Fields", "statics", "(I)D", n(&[0, 7, -300, 70000])),
        ("Fields", "npeNull", "()I", vec![vec![]]),
        ("Fields", "npePutNull", "()I", vec![vec![]]),
        ("Fields", "lazy", "()I", vec![vec![]]),
        ("Fields", "str", "()I", vec![vec![]]),
        ("Fields", "churn", "(I)J", n(&[0, 300])),
        ("Fields", "castAll", "()I", vec![vec![]]),
        ("Fields", "badCast", "()I", vec![vec![]]),
        ("Calls", "fib", "(I)I", n(&[0, 1, 15])),
        ("Calls", "shapes", "(I)D", n(&[0, 10])),
        ("Calls", "virt", "(I)I", n(&[10])),
        ("Calls", "build", "(I)Ljava/lang/String;", n(&[0, 12])),
        ("Calls", "callMixed", "()J", vec![vec![]]),
        ("Calls", "thrower", "(I)I", n(&[0, 3])),
        ("Calls", "catcher", "(I)I", n(&[0, 3])),
        ("Calls", "divCatch", "(II)I", vec![vec![iv(7), iv(2)], vec![iv(7), iv(0)]]),
        ("Calls", "finallyTest", "(I)I", n(&[5, 0])),
        ("Calls", "deep", "(I)I", n(&[0, 200])),
        ("Calls", "syncStatic", "(I)I", n(&[4])),
        ("Calls", "lambda", "(I)I", n(&[21])),
    ]
}

/// [`agree`] (or, `cold`, [`agree_cold`]) on every case: how many.
fn agree_on_all(vm: &mut pd_jvm::runtime::Vm, cases: &[Case], cold: bool) -> usize {
    let mut n = 0;
    for (class, name, desc, argsets) in cases {
        let m = method(vm, class, name, desc);
        for args in argsets {
            if cold {
                agree_cold(vm, m, args);
            } else {
                agree(vm, m, args);
            }
            n += 1;
        }
    }
    n
}

fn run_cases(cases: &[Case], config: VmConfig, cold: bool) -> usize {
    let classes = classes();
    let mut jv = jit_vm(&classes, config, JitConfig { compile_on_invoke: true, ..JitConfig::default() }, test_opts());
    let n = agree_on_all(&mut jv.vm, cases, cold);
    let log = jv.log.borrow();
    let declined: Vec<_> = log.iter().filter(|r| r.declined.is_some()).collect();
    assert!(declined.is_empty(), "declined: {declined:?}");
    drop(log);
    cross_compile_aarch64(&mut jv.vm);
    n
}

/// Compiles every method of the test classes again for aarch64 (now with
/// pool entries resolved and classes initialized, so the inline paths are
/// generated): Cranelift's arm64 back end must lower all of it. The code
/// is never run (this host is x86-64); the VM is not used afterwards.
fn cross_compile_aarch64(vm: &mut pd_jvm::runtime::Vm) {
    let jit = jit::Jit::new(
        jit::JitOptions { cross_target: Some("aarch64-unknown-linux-gnu"), verify: true, ..jit::JitOptions::default() },
        jit::code_memory::default_code_memory().unwrap(),
    )
    .unwrap();
    let log = jit.log();
    vm.set_compiler(Box::new(jit), JitConfig::default());
    for class in ["Arith", "Loops", "Fields", "Calls", "Lazy", "Node", "Sq", "Circ", "Dog", "Bird", "Animal"] {
        let Some(c) = vm.find_loaded(class) else { continue };
        for m in vm.class_methods(c).to_vec() {
            if vm.method_code_len(m) > 0 {
                let _ = vm.jit_compile(m);
            }
        }
    }
    let log = log.borrow();
    assert!(log.len() > 20, "{}", log.len());
    let declined: Vec<_> = log.iter().filter(|r| r.declined.is_some()).collect();
    assert!(declined.is_empty(), "aarch64 declined: {declined:?}");
}

#[test]
fn arithmetic_edge_cases() {
    require_javac();
    let n = run_cases(&arith_cases(), jit_test_config(), false);
    assert!(n > 500, "{n}");
}

#[test]
fn loops_arrays_fields_calls_exceptions() {
    require_javac();
    run_cases(&program_cases(), jit_test_config(), false);
}

#[test]
fn cold_slow_paths() {
    require_javac();
    run_cases(&program_cases(), jit_test_config(), true);
}

#[test]
fn gc_stress_moves_every_reference() {
    require_javac();
    let config = VmConfig { gc_stress: true, heap_quota: 1 << 20, ..jit_test_config() };
    let cases: Vec<Case> = program_cases()
        .into_iter()
        .filter(|c| !matches!(c.1, "sieve" | "sumSquares" | "churn" | "deep"))
        .chain([
            ("Loops", "sieve", "(I)I", vec![vec![Value::Int(500)]]),
            ("Fields", "churn", "(I)J", vec![vec![Value::Int(20)]]),
        ])
        .collect();
    run_cases(&cases, config, true);
    run_cases(&cases, config, false);
}

/// `cases` with the baseline tier (docs/jit.md, "The baseline tier"):
/// every method its templates cover runs as baseline code (never
/// compiled again: the second threshold is out of reach), and must agree
/// with the interpreter; warm, or `cold` (compiled before anything ran).
/// The number of methods compiled to baseline code.
fn run_baseline_cases(cases: &[Case], config: VmConfig, cold: bool) -> usize {
    let classes = classes();
    let jc = JitConfig { compile_on_invoke: true, optimize_at: Some(u32::MAX), ..JitConfig::default() };
    let mut jv = jit_vm(&classes, config, jc, JitOptions { baseline: true, ..test_opts() });
    agree_on_all(&mut jv.vm, cases, cold);
    let log = jv.log.borrow();
    let declined: Vec<_> = log.iter().filter(|r| r.declined.is_some()).collect();
    assert!(declined.is_empty(), "declined: {declined:?}");
    log.iter().filter(|r| r.baseline).count()
}

#[test]
fn baseline_code_matches_interpreter() {
    require_javac();
    let stress = VmConfig { gc_stress: true, heap_quota: 1 << 20, ..jit_test_config() };
    let light: Vec<Case> =
        program_cases().into_iter().filter(|c| !matches!(c.1, "sieve" | "sumSquares" | "churn" | "deep")).collect();
    for cold in [false, true] {
        let arith = run_baseline_cases(&arith_cases(), jit_test_config(), cold);
        // The float and double methods go to Cranelift: the others not.
        assert!(arith >= 25, "{arith} Arith methods as baseline code");
        let programs = run_baseline_cases(&program_cases(), jit_test_config(), cold);
        assert!(programs >= 40, "{programs} methods as baseline code");
        // Every allocation collects: references in the slots move under
        // the code, which must re-read the stack and heap bases.
        let stressed = run_baseline_cases(&light, stress, cold);
        assert!(stressed >= 40, "{stressed} methods as baseline code");
    }
}

/// Baseline code counts its entries and the VM compiles the method
/// again, optimized, at `JitConfig::optimize_at`; frames of the baseline
/// code still running (recursion) finish in it.
#[test]
fn baseline_code_is_compiled_again_once_hot() {
    require_javac();
    let classes = classes();
    let jc = JitConfig { threshold: Some(0), optimize_at: Some(50), ..JitConfig::default() };
    // As `capuchin java --jit-opt auto`: loop-free methods compiled cold
    // by Cranelift are not optimized, but hot ones are.
    let opts = JitOptions { baseline: true, loop_free_fast: true, ..test_opts() };
    let mut jv = jit_vm(&classes, jit_test_config(), jc, opts);
    let m = method(&mut jv.vm, "Arith", "muladd", "(III)I");
    let r = jv.vm.invoke(m, &[Value::Int(6), Value::Int(7), Value::Int(1)]);
    assert_eq!(render(&mut jv.vm, r), "Int(43)");
    assert!(jv.vm.is_baseline(m), "a method compiled before it ran gets baseline code");
    for i in 0..60 {
        let r = jv.vm.invoke(m, &[Value::Int(i), Value::Int(3), Value::Int(-1)]);
        assert_eq!(render(&mut jv.vm, r), format!("Int({})", i * 3 - 1));
    }
    assert!(!jv.vm.is_baseline(m) && jv.vm.is_compiled(m), "hot: optimized code");
    let tiers: Vec<(bool, bool)> =
        jv.log.borrow().iter().filter(|r| r.method == m).map(|r| (r.baseline, r.optimized)).collect();
    assert_eq!(tiers, [(true, false), (false, true)], "(baseline, optimized) per compile");
    // Recursion: `fib` turns hot while its baseline frames are on the stack.
    let fib = method(&mut jv.vm, "Calls", "fib", "(I)I");
    let r = jv.vm.invoke(fib, &[Value::Int(15)]);
    assert_eq!(render(&mut jv.vm, r), "Int(610)");
    assert!(!jv.vm.is_baseline(fib) && jv.vm.is_compiled(fib));
}

/// Loop rotation: a back edge to a header that only tests repeats the
/// test (`for` loops as javac writes them); other loops jump back.
#[test]
fn back_edges_repeat_simple_loop_tests() {
    require_javac();
    let classes = classes();
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), test_opts());
    // Sieve's inner loop is also counted: a copy without budget checks
    // (tests/counted_loops.rs).
    for (name, desc, rotated, counted) in [("sieve", "(I)I", 2, 1), ("doWhile", "(I)I", 0, 0), ("forever", "()I", 0, 0)]
    {
        let m = method(&mut jv.vm, "Loops", name, desc);
        jv.vm.jit_compile(m).expect("compiles");
        let r = jv.log.borrow().last().cloned().unwrap();
        assert_eq!(r.rotated_loops, rotated, "{name}");
        assert_eq!(r.counted_loops, counted, "{name}");
    }
    let m = method(&mut jv.vm, "Loops", "sieve", "(I)I");
    assert_eq!(jv.vm.invoke_compiled(m, &[Value::Int(1000)]), Ok(Value::Int(168)));
}

#[test]
fn small_heap_collects_inside_compiled_code() {
    require_javac();
    let classes = classes();
    let config = VmConfig { heap_quota: 512 << 10, ..jit_test_config() };
    let mut jv = jit_vm(&classes, config, JitConfig { compile_on_invoke: true, ..JitConfig::default() }, test_opts());
    let m = method(&mut jv.vm, "Fields", "churn", "(I)J");
    let before = jv.vm.heap_stats().collections;
    let r = jv.vm.invoke_compiled(m, &[Value::Int(20000)]).unwrap();
    assert!(jv.vm.heap_stats().collections > before, "no collection happened");
    let expect: i64 = (0..20000i64).map(|r| 2 * r).sum::<i64>() + (0..500i64).sum::<i64>();
    assert_eq!(r, Value::Long(expect));
    // Fresh arrays are zeroed in space that held the garbage of dropped ones.
    let z = method(&mut jv.vm, "Loops", "zeroed", "(I)J");
    let before = jv.vm.heap_stats().collections;
    assert_eq!(jv.vm.invoke_compiled(z, &[Value::Int(20000)]), Ok(Value::Long(0)));
    assert!(jv.vm.heap_stats().collections > before + 2, "the space was not reused");
}

/// What compiled code allocates inline (the bump fast path) counts in the
/// heap's statistics as the interpreter's allocations do: `Env
/// .heapBytesAllocated` and the hot-path tests' no-allocation checks read
/// them. A small heap makes collections happen in between.
#[test]
fn inline_allocations_count_in_heap_statistics() {
    require_javac();
    let classes = classes();
    let config = VmConfig { heap_quota: 512 << 10, ..jit_test_config() };
    let mut jv = jit_vm(&classes, config, JitConfig::default(), test_opts());
    let m = method(&mut jv.vm, "Loops", "zeroed", "(I)J");
    // Resolved and initialized first, so the compiled code allocates inline.
    jv.vm.invoke(m, &[Value::Int(41)]).unwrap();
    let allocated = |vm: &pd_jvm::runtime::Vm| (vm.heap_stats().bytes_allocated, vm.heap_stats().collections);
    let (bytes, gcs) = allocated(&jv.vm);
    assert_eq!(jv.vm.invoke(m, &[Value::Int(3000)]), Ok(Value::Long(0)));
    let (after, gcs_after) = allocated(&jv.vm);
    let interpreted = after - bytes;
    assert!(gcs_after > gcs, "no collection while interpreted");
    jv.vm.jit_compile(m).expect("compiles");
    let (bytes, gcs) = allocated(&jv.vm);
    assert_eq!(jv.vm.invoke_compiled(m, &[Value::Int(3000)]), Ok(Value::Long(0)));
    let (after, gcs_after) = allocated(&jv.vm);
    assert!(gcs_after > gcs, "no collection while compiled");
    assert_eq!(after - bytes, interpreted, "bytes allocated: compiled (left), interpreted (right)");
}

#[test]
fn budget_and_depth_guards() {
    require_javac();
    let classes = classes();
    for opts in [test_opts(), cold_opts()] {
        budget_and_depth_guards_with(&classes, opts, None);
    }
    // Baseline code (`deep`'s recursion grows the slot vector under it).
    budget_and_depth_guards_with(&classes, JitOptions { baseline: true, ..test_opts() }, Some(u32::MAX));
}

fn budget_and_depth_guards_with(classes: &Classes, opts: JitOptions, optimize_at: Option<u32>) {
    let config = VmConfig { budget: 100_000, max_depth: 400, ..jit_test_config() };
    let jc = JitConfig { compile_on_invoke: true, optimize_at, ..JitConfig::default() };
    let mut jv = jit_vm(classes, config, jc, opts);
    // First, while the slot vector is small: it grows (moves) under the
    // compiled frames of the recursion.
    let d = method(&mut jv.vm, "Calls", "deep", "(I)I");
    assert_eq!(jv.vm.invoke_compiled(d, &[Value::Int(300)]), Ok(Value::Int(300)));
    let m = method(&mut jv.vm, "Loops", "forever", "()I");
    assert_eq!(jv.vm.invoke_compiled(m, &[]), Err(VmError::BudgetExhausted));
    // The VM stays usable, and the guard is per entry.
    let s = method(&mut jv.vm, "Loops", "sieve", "(I)I");
    assert_eq!(jv.vm.invoke_compiled(s, &[Value::Int(100)]), Ok(Value::Int(25)));
    // The depth guard: StackOverflowError is catchable in Java...
    let c = method(&mut jv.vm, "Calls", "catchSoe", "()I");
    assert_eq!(jv.vm.invoke_compiled(c, &[]), Ok(Value::Int(-5)));
    // ...and reported to the embedder when it escapes.
    let r = jv.vm.invoke_compiled(d, &[Value::Int(100_000)]);
    assert!(matches!(r, Err(VmError::StackDepthExceeded(_))), "{r:?}");
    assert_eq!(jv.vm.invoke_compiled(d, &[Value::Int(300)]), Ok(Value::Int(300)));
    if optimize_at.is_some() {
        assert!(jv.vm.is_baseline(d), "deep runs as baseline code");
    }
}

#[test]
fn exception_status_and_stack_trace() {
    require_javac();
    let classes = classes();
    let mut jv = default_jit_vm(&classes);
    let m = method(&mut jv.vm, "Loops", "loadAt", "(II)I");
    let r = jv.vm.invoke_compiled(m, &[Value::Int(2), Value::Int(5)]);
    assert!(jv.vm.is_compiled(m));
    let s = render(&mut jv.vm, r);
    assert!(s.contains("java.lang.ArrayIndexOutOfBoundsException: Index 5 out of bounds for length 2"), "{s}");
    assert!(s.contains("at Loops.load(Loops.java:"), "{s}");
    assert!(s.contains("at Loops.loadAt(Loops.java:"), "{s}");
    let m = method(&mut jv.vm, "Calls", "thrower", "(I)I");
    let r = jv.vm.invoke_compiled(m, &[Value::Int(4)]);
    let s = render(&mut jv.vm, r);
    assert!(s.contains("java.lang.IllegalStateException: bad 4") && s.contains("at Calls.thrower(Calls.java:"), "{s}");
}

const PROGRAM: &str = r#"
import java.util.function.IntBinaryOperator;
public class Prog {
    interface Visitor { int visit(int depth, String name); }
    static int walk(int depth, Visitor v) { int s = v.visit(depth, "n" + depth); return depth == 0 ? s : s + walk(depth - 1, v); }
    public static void main(String[] args) {
        System.out.println("sieve " + Loops.sieve(2000));
        System.out.println("fib " + Calls.fib(20));
        System.out.println("shapes " + Calls.shapes(7));
        System.out.println(Calls.concat(1, 2L, 3.5, "four"));
        System.out.println("walk " + walk(5, (d, n) -> d * n.length()));
        IntBinaryOperator op = (a, b) -> a * 31 + b;
        int h = 0;
        for (int i = 0; i < 100; i++) h = op.applyAsInt(h, i);
        System.out.println("hash " + h);
        StringBuilder sb = new StringBuilder();
        for (char c = 'a'; c <= 'z'; c++) sb.append(c);
        System.out.println(sb.toString());
        try { Fields.badCast(); } catch (ClassCastException e) { System.out.println("caught " + e.getMessage()); }
        System.out.println("statics " + Fields.statics(9) + " lazy " + Fields.lazy());
        System.out.println(Calls.catcher(1) + " " + Calls.catcher(-1) + " " + Calls.divCatch(1, 0));
    }
}
"#;

#[test]
fn whole_program_compiled_matches_interpreter() {
    require_javac();
    let mut sources =
        vec![("Arith.java", ARITH), ("Loops.java", LOOPS), ("Fields.java", FIELDS), ("Calls.java", CALLS)];
    sources.push(("Prog.java", PROGRAM));
    let classes = compile(&sources);
    for stress in [false, true] {
        let config =
            VmConfig { gc_stress: stress, heap_quota: if stress { 1 << 20 } else { 16 << 20 }, ..jit_test_config() };
        let mut interp = jit_vm(&classes, config, JitConfig::default(), test_opts());
        if let Err(VmError::Exception(p)) = interp.vm.run_main("Prog", &[]) {
            panic!("interpreted run threw {}", interp.vm.describe_throwable(&p));
        }
        let expected = interp.out.stdout();
        // Only `main` compiled: every call goes compiled → interpreted.
        let mut mixed = jit_vm(&classes, config, JitConfig::default(), test_opts());
        let m = method(&mut mixed.vm, "Prog", "main", "([Ljava/lang/String;)V");
        let args = mixed.vm.new_string_array(&[]).unwrap();
        let r = mixed.vm.invoke_compiled(m, &[Value::Ref(args)]);
        assert_eq!(render(&mut mixed.vm, r), "Void");
        assert_eq!(mixed.out.stdout(), expected);
        assert_eq!(mixed.log.borrow().len(), 1);
        // Everything reachable from compiled code compiled: optimized,
        // and as cold code (nothing optimized; the loop-free methods keep
        // the budget and heap base in memory).
        for opts in [test_opts(), cold_opts()] {
            let mut jv = jit_vm(&classes, config, JitConfig { compile_on_invoke: true, ..JitConfig::default() }, opts);
            let m = method(&mut jv.vm, "Prog", "main", "([Ljava/lang/String;)V");
            let args = jv.vm.new_string_array(&[]).unwrap();
            let r = jv.vm.invoke_compiled(m, &[Value::Ref(args)]);
            let r = render(&mut jv.vm, r);
            assert_eq!(r, "Void");
            assert_eq!(jv.out.stdout(), expected);
            let log = jv.log.borrow();
            let compiled = log.iter().filter(|r| r.declined.is_none()).count();
            let declined: Vec<_> = log.iter().filter_map(|r| r.declined.clone()).collect();
            eprintln!("stress={stress}, {:?}: {compiled} methods compiled, declined: {declined:?}", opts.opt_level);
            assert!(compiled > 30, "{compiled}");
            assert!(declined.is_empty());
            assert!(expected.contains("sieve 303") && expected.contains("fib 6765"), "{expected}");
        }
    }
}

/// Cold code's configuration: nothing optimized, the single-pass
/// register allocator (`capuchin java --jit-opt fast`).
fn cold_opts() -> JitOptions {
    JitOptions { opt_level: jit::OptLevel::None, fast_regalloc: true, ..test_opts() }
}

const TIER: &str = r#"
public class Tier {
    static int down(int n, int k) {
        if (n == 0) throw new IllegalStateException("bottom " + k);
        return k % 2 == 0 ? down(n - 1, k + 1) + 1 : viaOther(n, k);
    }
    static int viaOther(int n, int k) { return down(n - 1, k + 1) * 2; }
    static int catchAt(int n) {
        try { return down(n, 0); } catch (IllegalStateException e) { return -n - e.getMessage().length(); }
    }
    static int run(int reps) {
        int s = 0;
        for (int i = 0; i < reps; i++) s += catchAt(i % 7) + Calls.fib(i % 9);
        return s;
    }
    static int fail(int n) { return down(n, 0); }
}
"#;

/// Tiering (phase 2): the interpreter enters compiled code at fresh
/// frames once a method is hot, so interpreted and compiled frames
/// alternate on the stack, call each other and unwind through each other.
/// Every threshold (0: compile before the first run) must give the
/// interpreter's results and stack traces, also under `gc_stress`.
#[test]
fn tiered_execution_matches_interpreter() {
    require_javac();
    let sources = vec![
        ("Arith.java", ARITH),
        ("Loops.java", LOOPS),
        ("Fields.java", FIELDS),
        ("Calls.java", CALLS),
        ("Prog.java", PROGRAM),
        ("Tier.java", TIER),
    ];
    let classes = compile(&sources);
    for stress in [false, true] {
        let config =
            VmConfig { gc_stress: stress, heap_quota: if stress { 1 << 20 } else { 16 << 20 }, ..jit_test_config() };
        let run_all = |jc: JitConfig| {
            let mut jv = jit_vm(&classes, config, jc, test_opts());
            if let Err(VmError::Exception(p)) = jv.vm.run_main("Prog", &[]) {
                panic!("run threw {}", jv.vm.describe_throwable(&p));
            }
            let run = method(&mut jv.vm, "Tier", "run", "(I)I");
            let r = jv.vm.invoke(run, &[Value::Int(60)]);
            let sum = render(&mut jv.vm, r);
            let fail = method(&mut jv.vm, "Tier", "fail", "(I)I");
            let r = jv.vm.invoke(fail, &[Value::Int(5)]);
            let trace = render(&mut jv.vm, r);
            let compiled = jv.log.borrow().iter().filter(|r| r.declined.is_none()).count();
            let down = method(&mut jv.vm, "Tier", "down", "(II)I");
            (jv.out.stdout(), sum, trace, compiled, jv.vm.is_compiled(down))
        };
        let (out, sum, trace, compiled, _) = run_all(JitConfig::default());
        assert_eq!(compiled, 0, "no threshold: nothing compiles by itself");
        assert!(trace.contains("IllegalStateException: bottom 5") && trace.contains("at Tier.viaOther("), "{trace}");
        assert_eq!(trace.matches("at Tier.down(").count(), 6, "{trace}");
        for threshold in [0, 1, 5, 40] {
            let jc = JitConfig { threshold: Some(threshold), ..JitConfig::default() };
            let (o, s, t, compiled, down) = run_all(jc);
            assert_eq!(o, out, "stdout, threshold {threshold}, stress {stress}");
            assert_eq!(s, sum, "Tier.run, threshold {threshold}, stress {stress}");
            assert_eq!(t, trace, "stack trace, threshold {threshold}, stress {stress}");
            assert!(down, "Tier.down is hot at threshold {threshold}");
            assert!(compiled > 10, "{compiled} methods compiled at threshold {threshold}");
        }
    }
}

/// Whether `Calls.NAME(n)` finishes within `budget` (per entry):
/// interpreted, or compiled with `opts` after an interpreted run of
/// `NAME(2)` resolved its calls (direct calls, pure natives).
fn within(classes: &Classes, budget: u64, name: &str, desc: &str, n: i32, opts: Option<JitOptions>) -> bool {
    let config = VmConfig { budget, ..jit_test_config() };
    let compiled = opts.is_some();
    let mut jv = jit_vm(classes, config, JitConfig::default(), opts.unwrap_or_else(test_opts));
    let m = method(&mut jv.vm, "Calls", name, desc);
    let r = if compiled {
        let _ = jv.vm.invoke(m, &[Value::Int(2)]);
        jv.vm.jit_compile(m).expect("compiles");
        jv.vm.invoke_compiled(m, &[Value::Int(n)])
    } else {
        jv.vm.invoke(m, &[Value::Int(n)])
    };
    match r {
        Ok(_) => true,
        Err(VmError::BudgetExhausted) => false,
        Err(e) => panic!("{name}: {e:?}"),
    }
}

#[test]
fn loop_free_code_counts_the_budget_as_the_interpreter_does() {
    require_javac();
    let classes = classes();
    // Calls tick the budget (fib), and so do pure natives called
    // directly (`StrictMath.sin`; `sqrt` is one instruction and, like an
    // inlined call, ticks nothing: docs/jit.md).
    for (name, desc, n) in [("fib", "(I)I", 12), ("roots", "(I)D", 200)] {
        // The smallest budget it runs in, interpreted.
        let (mut lo, mut hi) = (1u64, 1u64 << 20);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if within(&classes, mid, name, desc, n, None) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        assert!(lo > 200, "{name}: {lo}");
        // Compiled, optimized (the budget in a variable) and as cold code
        // (in memory): the same boundary.
        for opts in [test_opts(), cold_opts()] {
            let o = opts.opt_level;
            assert!(!within(&classes, lo - 1, name, desc, n, Some(opts)), "{name}, {o:?}: ran in {}", lo - 1);
            assert!(within(&classes, lo, name, desc, n, Some(opts)), "{name}, {o:?}: did not run in {lo}");
        }
    }
}
