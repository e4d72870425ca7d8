//! The Java language on the interpreter, differential against the JDK:
//! each program prints results and the output must equal `java`'s.

use pd_jvm_test_support::*;

fn check(src: &str) -> Run {
    require_javac();
    let r = differential(&[("Main.java", src)], "Main");
    assert!(r.result.is_ok(), "{:?}\nstdout:\n{}\nstderr:\n{}", r.result, r.stdout, r.stderr);
    r
}

#[test]
fn int_and_long_arithmetic_edge_cases() {
    check(
        r##"
public class Main {
    static int id(int x) { return x; }
    static long idl(long x) { return x; }
    public static void main(String[] args) {
        int max = id(Integer.MAX_VALUE), min = id(Integer.MIN_VALUE);
        System.out.println(max + 1);
        System.out.println(min - 1);
        System.out.println(max * 3);
        System.out.println(min / id(-1));
        System.out.println(min % id(-1));
        System.out.println(-7 / id(2));
        System.out.println(-7 % id(2));
        System.out.println(7 % id(-2));
        System.out.println(-min);
        long lmax = idl(Long.MAX_VALUE), lmin = idl(Long.MIN_VALUE);
        System.out.println(lmax + 1);
        System.out.println(lmin / idl(-1));
        System.out.println(lmin % idl(-1));
        System.out.println(lmax * 7);
        System.out.println(-13L / idl(4) + " " + (-13L % idl(4)));
        System.out.println((1 << id(33)) + " " + (1 << id(-1)) + " " + (-16 >> id(2)) + " " + (-16 >>> id(28)));
        System.out.println((1L << id(65)) + " " + (-16L >> id(2)) + " " + (-16L >>> id(60)));
        System.out.println((byte) id(200) + " " + (short) id(70000) + " " + (int) (char) id(-1) + " " + (char) id(65));
        System.out.println((int) idl(0x1_0000_0005L) + " " + (long) id(-5));
        System.out.println((id(5) & 3) + " " + (id(5) | 3) + " " + (id(5) ^ 3) + " " + (~id(5)));
        int i = 10;
        i += 5; i -= 3; i *= 2; i /= 5; i %= 3; i <<= 4; i >>= 1; i >>>= 1; i ^= 0xff;
        System.out.println(i);
        long c = 0;
        for (int k = 0; k < 100; k++) c = c * 31 + k;
        System.out.println(c);
        try { System.out.println(id(1) / id(0)); } catch (ArithmeticException e) { System.out.println("AE " + e.getMessage()); }
        try { System.out.println(id(1) % id(0)); } catch (ArithmeticException e) { System.out.println("AE " + e.getMessage()); }
        try { System.out.println(idl(1) / idl(0)); } catch (ArithmeticException e) { System.out.println("AE " + e.getMessage()); }
        try { System.out.println(idl(1) % idl(0)); } catch (ArithmeticException e) { System.out.println("AE " + e.getMessage()); }
        System.out.println(Integer.compare(3, 4) + " " + Long.compare(5, 5) + " " + Integer.toHexString(-1));
    }
}
"##,
    );
}

/// `o.f += k` on a local's int or long field runs as one quickened
/// instruction once both accesses resolved (interp/quick.rs): the same
/// values, wrap-around, a null object's exception at the read, and the
/// forms it leaves alone (a constant beyond a signed byte, other fields).
#[test]
fn field_increments() {
    check(
        r##"
public class Main {
    int n; long l; float f; byte b; int other;
    void bump(int i) {
        n++; n--; n += 5; n -= 7; n += 127; n -= 128; n += 128; n += -128;
        l++; l--; l += 3; l -= 100; l += 1000;
        f += 1; b += 3; other += i;
        this.n++;
    }
    static void step(Main m) { m.n++; m.l += 2; }
    // Without the JDK's "because ..." (it names locals): the access that
    // failed, `Cannot read field "x"` (21 characters).
    static void npe(NullPointerException e) {
        String s = e.getMessage();
        System.out.println("NPE " + (s.length() > 21 ? s.substring(0, 21) : s));
    }
    public static void main(String[] args) {
        Main m = new Main();
        for (int i = 0; i < 50; i++) { m.bump(i); step(m); }
        System.out.println(m.n + " " + m.l + " " + m.f + " " + m.b + " " + m.other);
        Main w = new Main();
        w.n = Integer.MAX_VALUE - 1; w.l = Long.MIN_VALUE + 1;
        for (int i = 0; i < 3; i++) { w.n++; w.l--; }
        System.out.println(w.n + " " + w.l);
        Main[] ms = { m, null, w, null };
        for (int r = 0; r < 3; r++) {
            for (Main x : ms) {
                try { step(x); System.out.println("stepped " + x.n); }
                catch (NullPointerException e) { npe(e); }
                try { x.l += 4; System.out.println("added " + x.l); }
                catch (NullPointerException e) { npe(e); }
            }
        }
    }
}
"##,
    );
}

#[test]
fn floating_point_semantics() {
    check(
        r##"
public class Main {
    static double d(double x) { return x; }
    static float f(float x) { return x; }
    public static void main(String[] args) {
        double nan = d(0.0) / d(0.0), inf = d(1.0) / d(0.0);
        float fnan = f(0f) / f(0f), finf = f(1f) / f(0f);
        System.out.println(nan + " " + inf + " " + (-inf) + " " + fnan + " " + finf);
        System.out.println((int) nan + " " + (long) nan + " " + (int) fnan + " " + (long) fnan);
        System.out.println((int) inf + " " + (int) -inf + " " + (long) inf + " " + (long) -inf);
        System.out.println((int) d(3.99) + " " + (int) d(-3.99) + " " + (long) d(1e19) + " " + (int) f(-1e10f));
        System.out.println((nan < 1) + " " + (nan > 1) + " " + (nan == nan) + " " + (nan != nan));
        System.out.println((fnan < 1) + " " + (fnan >= 1) + " " + (fnan == fnan));
        System.out.println(Double.compare(nan, 1) + " " + Double.compare(0.0, -0.0) + " " + Float.compare(fnan, finf));
        System.out.println(d(0.1) + d(0.2));
        System.out.println(f(0.1f) + f(0.2f));
        System.out.println(d(5.5) % d(2) + " " + d(-5.5) % d(2) + " " + d(5.5) % d(-2) + " " + d(1) % d(0) + " " + inf % d(2));
        System.out.println(f(5.5f) % f(2) + " " + f(-7.25f) % f(2));
        System.out.println(d(1e308) * 10 + " " + d(-1e308) * 10 + " " + d(1e-320) / 1e10);
        System.out.println(-d(0.0) + " " + (d(0.0) == -d(0.0)) + " " + 1 / -d(0.0));
        System.out.println((float) d(1e40) + " " + (float) d(1.1) + " " + (double) f(1.1f));
        System.out.println((long) f(123456789.5f) + " " + (float) 16777217 + " " + (double) Long.MAX_VALUE);
        System.out.println(d(100.0) + " " + d(1e7) + " " + d(1.0e-3) + " " + d(9.99e-4) + " " + d(12345.678));
        System.out.println(Double.doubleToLongBits(nan) + " " + Float.floatToIntBits(fnan) + " " + Double.doubleToRawLongBits(-0.0));
        System.out.println(Float.intBitsToFloat(0x3f800000) + " " + Double.longBitsToDouble(0x4000000000000000L));
        double acc = 0;
        for (int i = 1; i <= 20; i++) acc += 1.0 / i;
        System.out.println(acc);
        System.out.println(Math.abs(-2.5) + " " + Math.max(3, 7) + " " + Math.min(-1L, 2L));
    }
}
"##,
    );
}

#[test]
fn control_flow_and_switches() {
    check(
        r##"
public class Main {
    enum Color { RED, GREEN, BLUE }
    static String name(int i) {
        switch (i) {
            case 1: return "one";
            case 2: return "two";
            case 3: case 4: return "three-or-four";
            case 100: return "hundred";
            case -5: return "minus five";
            default: return "other";
        }
    }
    static int dense(int i) {
        switch (i) { case 0: return 10; case 1: return 11; case 2: return 12; case 3: return 13; case 4: return 14; default: return -1; }
    }
    static String str(String s) {
        switch (s) {
            case "apple": return "fruit";
            case "carrot": return "vegetable";
            case "Aa": return "Aa";
            case "BB": return "BB (same hash as Aa)";
            default: return "unknown " + s;
        }
    }
    static String color(Color c) {
        switch (c) {
            case RED: return "r";
            case GREEN: return "g";
            default: return "b";
        }
    }
    static int expr(Color c) {
        return switch (c) { case RED -> 1; case GREEN -> 2; case BLUE -> { int x = 40; yield x + 2; } };
    }
    public static void main(String[] args) {
        for (int i = -5; i <= 101; i += 1) if (i < 6 || i > 99) System.out.print(name(i) + ",");
        System.out.println();
        for (int i = -1; i < 6; i++) System.out.print(dense(i) + " ");
        System.out.println();
        for (String s : new String[] { "apple", "carrot", "Aa", "BB", "kiwi" }) System.out.println(str(s));
        for (Color c : Color.values()) System.out.println(c + " " + c.ordinal() + " " + color(c) + " " + expr(c) + " " + c.name());
        outer:
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                if (j == 3) continue outer;
                if (i == 3) break outer;
                System.out.print(i * 10 + j + " ");
            }
        }
        System.out.println();
        int n = 0;
        do { n += 3; } while (n < 20);
        System.out.println(n);
        boolean t = n > 5 && n < 100 || n == 0;
        System.out.println(t ? "yes" : "no");
        long big = 0;
        for (long k = 0; k < 1000; k++) { if (k % 7 == 0) continue; big += k; }
        System.out.println(big);
    }
}
"##,
    );
}

#[test]
fn objects_inheritance_and_interfaces() {
    check(
        r##"
interface Shape { double area(); default String describe() { return kind() + " with area " + area(); } String kind();
    static Shape unit() { return new Square(1); } }
interface Named { default String name() { return "named"; } }
interface Loud extends Named { default String name() { return "LOUD " + Named.super.name(); } }
abstract class Base implements Shape {
    static int created;
    protected final int id;
    Base() { id = ++created; }
    public String kind() { return "base"; }
    public String toString() { return kind() + "#" + id; }
}
class Square extends Base { final double s; Square(double s) { super(); this.s = s; } public double area() { return s * s; } public String kind() { return "square"; } }
class Circle extends Base implements Named { final double r; Circle(double r) { this.r = r; } public double area() { return 3 * r * r; } }
class Both implements Loud, Named {}
class A { String who() { return "A"; } String call() { return who(); } static String st() { return "A.st"; } }
class B extends A { String who() { return "B"; } String sup() { return super.who(); } static String st() { return "B.st"; } }
class C extends B { String who() { return "C"; } }
interface Left { default String hello() { return "left"; } }
interface Right { default String hello() { return "right"; } }
class Diamond implements Left, Right { public String hello() { return Left.super.hello() + "+" + Right.super.hello(); } }
interface Priv { private int secret() { return 41; } default int answer() { return secret() + 1; } }
class P implements Priv {}
public class Main {
    public static void main(String[] args) {
        Shape[] shapes = { new Square(2), new Circle(1), Shape.unit() };
        for (Shape s : shapes) System.out.println(s + ": " + s.describe());
        System.out.println(Base.created);
        System.out.println(new Circle(2).name() + " " + new Both().name());
        A a = new C();
        System.out.println(a.call() + " " + ((B) a).sup() + " " + A.st() + " " + B.st());
        System.out.println(new Diamond().hello() + " " + new P().answer());
        Object o = new Square(3);
        System.out.println((o instanceof Shape) + " " + (o instanceof Named) + " " + (o instanceof Base) + " " + (o instanceof Circle));
        System.out.println(o.getClass().getName() + " " + new int[0].getClass().getName() + " " + new String[0][0].getClass().getName());
        System.out.println(o.getClass().getSuperclass().getName() + " " + Shape.class.isInterface() + " " + int[].class.getComponentType());
        System.out.println(o.equals(o) + " " + o.equals(new Square(3)) + " " + (o.hashCode() == System.identityHashCode(o)));
    }
}
"##,
    );
}

#[test]
fn nestmates_and_inner_classes() {
    check(
        r##"
public class Main {
    private int secret = 7;
    private static String hidden() { return "hidden"; }
    class Inner {
        private int mine = 3;
        int peek() { return secret + mine; }
    }
    static class Nested {
        private String n() { return hidden() + "!"; }
    }
    interface Counter { int next(); }
    Counter counter() {
        return new Counter() {
            int c = secret;
            public int next() { return c++; }
        };
    }
    public static void main(String[] args) {
        Main m = new Main();
        Main.Inner in = m.new Inner();
        System.out.println(in.peek() + " " + in.mine);
        m.secret = 10;
        System.out.println(in.peek() + " " + new Nested().n());
        Counter c = m.counter();
        System.out.println(c.next() + " " + c.next() + " " + c.next());
        class Local { int twice(int x) { return 2 * x + m.secret; } }
        System.out.println(new Local().twice(4));
    }
}
"##,
    );
}

#[test]
fn arrays_and_covariance() {
    check(
        r##"
public class Main {
    public static void main(String[] args) {
        int[][] grid = new int[3][4];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) grid[i][j] = i * j;
        int sum = 0;
        for (int[] row : grid) for (int v : row) sum += v;
        System.out.println(sum + " " + grid.length + " " + grid[0].length);
        long[][][] cube = new long[2][3][];
        System.out.println(cube[1][2] == null);
        cube[1][2] = new long[] { 5, 6 };
        System.out.println(cube[1][2][1]);
        String[][] jag = { { "a" }, { "b", "c" }, {} };
        System.out.println(jag[1][1] + jag[2].length);
        boolean[] bs = new boolean[3]; bs[1] = true;
        char[] cs = { 'x', 'y' }; byte[] by = { -1, 127 }; short[] ss = { -300 }; float[] fs = { 1.5f }; double[] ds = { 2.25 };
        System.out.println(bs[0] + " " + bs[1] + " " + cs[1] + " " + by[0] + " " + ss[0] + " " + fs[0] + " " + ds[0]);
        Object[] objs = new String[2];
        objs[0] = "ok";
        try { objs[1] = Integer.valueOf(1); } catch (ArrayStoreException e) { System.out.println("ASE " + e.getMessage()); }
        Object o = new Integer[] { 1, 2 };
        System.out.println((o instanceof Object[]) + " " + (o instanceof Number[]) + " " + (o instanceof String[]) + " " + (o instanceof Cloneable));
        Number[] nums = (Number[]) o;
        System.out.println(nums[1]);
        try { String[] s = (String[]) o; System.out.println(s.length); } catch (ClassCastException e) { System.out.println("CCE"); }
        int[] a = { 3, 1, 2 };
        int[] b = a.clone();
        b[0] = 9;
        System.out.println(a[0] + " " + b[0] + " " + b.length);
        int[][] deep = grid.clone();
        System.out.println(deep[2] == grid[2]);
        try { System.out.println(a[3]); } catch (ArrayIndexOutOfBoundsException e) { System.out.println(e.getMessage()); }
        try { a[-1] = 0; } catch (ArrayIndexOutOfBoundsException e) { System.out.println(e.getMessage()); }
        try { int[] neg = new int[-2]; } catch (NegativeArraySizeException e) { System.out.println("NASE " + e.getMessage()); }
        try { int[][] neg = new int[2][-3]; } catch (NegativeArraySizeException e) { System.out.println("NASE " + e.getMessage()); }
        int[] big = new int[10];
        System.arraycopy(a, 0, big, 2, 3);
        System.arraycopy(big, 2, big, 3, 3);
        for (int v : big) System.out.print(v);
        System.out.println();
        Object[] dst = new Integer[3];
        try { System.arraycopy(new Object[] { 1, "two", 3 }, 0, dst, 0, 3); } catch (ArrayStoreException e) { System.out.println("ASE copy " + dst[0] + " " + dst[1]); }
        try { System.arraycopy(a, 0, big, 9, 3); } catch (ArrayIndexOutOfBoundsException e) { System.out.println(e.getMessage()); }
        try { System.arraycopy(a, 0, new long[3], 0, 1); } catch (ArrayStoreException e) { System.out.println(e.getMessage()); }
        char[][] m2 = new char[2][2];
        m2[1][1] = 'z';
        System.out.println(m2[1][1] + 0);
    }
}
"##,
    );
}

#[test]
fn exceptions_and_finally() {
    check(
        r##"
public class Main {
    static class MyEx extends Exception { MyEx(String m, Throwable c) { super(m, c); } }
    static int depth = 0;
    static int f(int n) {
        try {
            if (n == 0) throw new IllegalStateException("bottom");
            return f(n - 1) + 1;
        } finally {
            depth++;
        }
    }
    static String order() {
        StringBuilder sb = new StringBuilder();
        try {
            try { sb.append("try;"); throw new RuntimeException("x"); }
            catch (RuntimeException e) { sb.append("catch ").append(e.getMessage()).append(';'); throw new IllegalArgumentException("y"); }
            finally { sb.append("finally1;"); }
        } catch (IllegalArgumentException e) { sb.append("outer ").append(e.getMessage()).append(';'); }
        finally { sb.append("finally2"); }
        return sb.toString();
    }
    @SuppressWarnings("finally")
    static int override() { try { return 1; } finally { return 2; } }
    static int noOverride() { int x = 1; try { return x; } finally { x = 5; } }
    static void wrap() throws MyEx {
        try { Object o = null; o.hashCode(); }
        catch (NullPointerException e) { throw new MyEx("wrapped", e); }
    }
    static class Res implements AutoCloseable {
        final String n; Res(String n) { this.n = n; System.out.println("open " + n); }
        public void close() { System.out.println("close " + n); if (n.equals("b")) throw new IllegalStateException("close " + n); }
    }
    public static void main(String[] args) {
        try { f(5); } catch (IllegalStateException e) { System.out.println(e.getMessage() + " " + depth); }
        System.out.println(order());
        System.out.println(override() + " " + noOverride());
        try { wrap(); } catch (MyEx e) { System.out.println(e.getMessage() + " cause " + (e.getCause() instanceof NullPointerException)); }
        try (Res a = new Res("a"); Res b = new Res("b")) {
            System.out.println("body");
            throw new RuntimeException("body");
        } catch (RuntimeException e) {
            System.out.println("caught " + e.getMessage() + " suppressed " + e.getSuppressed().length + " " + e.getSuppressed()[0].getMessage());
        }
        try { throw null; } catch (NullPointerException e) { System.out.println("NPE from throw null"); }
        try { Object s = "str"; Integer i = (Integer) s; } catch (ClassCastException e) { System.out.println("CCE"); }
        try { String s = null; s.length(); } catch (NullPointerException e) { System.out.println("NPE"); }
        try { int[] arr = null; int l = arr.length; } catch (NullPointerException e) { System.out.println("NPE len"); }
        Throwable t = new Throwable("plain");
        System.out.println(t + " | " + new RuntimeException() + " | " + new Error("e", t).getCause().getMessage());
        StackTraceElement[] st = new RuntimeException().getStackTrace();
        System.out.println(st[0].getMethodName() + " " + st[0].getClassName() + " " + st[0].getLineNumber() + " " + st[0].getFileName());
        try { assert false : "nope"; System.out.println("assertions off"); } catch (AssertionError e) { System.out.println(e.getMessage()); }
    }
}
"##,
    );
}

#[test]
fn static_initialization_order_and_errors() {
    check(
        r##"
public class Main {
    static StringBuilder log = new StringBuilder();
    static class Super { static { log.append("Super;"); } static int sx = 1; }
    static class Sub extends Super { static { log.append("Sub;"); } static int y = 2; static void touch() {} }
    interface WithDefault { int X = Main.mark("IX"); default void d() {} }
    interface NoDefault { int Y = Main.mark("IY"); void m(); }
    static class Impl implements WithDefault, NoDefault { static { log.append("Impl;"); } public void m() {} }
    static int mark(String s) { log.append(s).append(';'); return 1; }
    static class Const { static final int K = 42; static final String S = "const"; static { log.append("Const;"); } }
    static class Bad { static int v = 1 / Integer.parseInt("0"); }
    static class BadError { static { if (true) throw new StackOverflowError("fake"); } static int z; }
    static class Cycle1 { static int a = Cycle2.b + 1; }
    static class Cycle2 { static int b = Cycle1.a + 10; }
    public static void main(String[] args) {
        System.out.println(Const.K + " " + Const.S + " " + log);
        Sub.touch();
        System.out.println(log);
        int s = Sub.sx;
        new Impl();
        System.out.println(log);
        System.out.println(Cycle1.a + " " + Cycle2.b);
        try { System.out.println(Bad.v); } catch (ExceptionInInitializerError e) {
            System.out.println("EIIE cause " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage());
        }
        try { System.out.println(Bad.v); } catch (NoClassDefFoundError e) { System.out.println("NCDFE " + e.getMessage()); }
        try { System.out.println(BadError.z); } catch (StackOverflowError e) { System.out.println("SOE passes through " + e.getMessage()); }
        try { System.out.println(BadError.z); } catch (NoClassDefFoundError e) { System.out.println("NCDFE " + e.getMessage()); }
    }
}
"##,
    );
}

#[test]
fn boxing_varargs_and_strings() {
    check(
        r##"
public class Main {
    static int sum(int... xs) { int s = 0; for (int x : xs) s += x; return s; }
    static String join(String sep, Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) { if (i > 0) sb.append(sep); sb.append(parts[i]); }
        return sb.toString();
    }
    static long widen(long x) { return x; }
    static Object box(Object o) { return o; }
    public static void main(String[] args) {
        System.out.println(sum() + " " + sum(1) + " " + sum(1, 2, 3) + " " + sum(new int[] { 4, 5 }));
        System.out.println(join("-", 1, 'c', 2.5, true, null, "s", 3L));
        Integer a = 127, b = 127, c = 128, d = 128;
        System.out.println((a == b) + " " + (c == d) + " " + c.equals(d));
        Integer boxed = 5;
        int unboxed = boxed + 1;
        Long L = 10L;
        Character ch = 'q';
        Boolean flag = true;
        Double dd = 1.5;
        System.out.println(unboxed + " " + (L + 1) + " " + ch + " " + !flag + " " + (dd * 2) + " " + widen(boxed));
        Object o = box(3);
        System.out.println(o.getClass().getName() + " " + box('c').getClass().getName() + " " + box(2.0f).getClass().getName());
        try { Integer n = null; int x = n; } catch (NullPointerException e) { System.out.println("unbox NPE"); }
        String s = "hello";
        String t = "hel" + "lo";
        String u = new String(s.toCharArray());
        System.out.println((s == t) + " " + (s == u) + " " + s.equals(u) + " " + (s == u.intern()));
        String fresh = new String(new char[] { 'z', 'q', '9' });
        System.out.println((fresh.intern() == fresh) + " " + (fresh.intern() == "zq9"));
        System.out.println(s.length() + " " + s.charAt(1) + " " + s.hashCode() + " " + "".hashCode() + " " + s.substring(1, 3) + " " + s.indexOf('l'));
        System.out.println("a\u00e9\u4e2d\ud83d\ude00" + " " + "a\u00e9\u4e2d\ud83d\ude00".length());
        char c1 = 'A'; c1 += 2; byte by = 10; by *= 30; short sh = 1000; sh *= 100;
        System.out.println(c1 + " " + by + " " + sh + " " + (char) (c1 + 1) + " " + (c1 + 1));
        String nul = null;
        System.out.println("x" + nul + 1 + 2 + 'c' + 1.0f + 2.5 + true + (1 + 2) + -0.0 + Long.MIN_VALUE + (byte) -1 + (short) 7);
        Object[] arr = { 1 };
        System.out.println(("" + arr).startsWith("[Ljava.lang.Object;@"));
        System.out.println(Integer.parseInt("-123") + Integer.valueOf(77) + " " + String.valueOf(new char[] { 'o', 'k' }));
        try { Integer.parseInt("12x"); } catch (NumberFormatException e) { System.out.println(e.getMessage()); }
        StringBuilder sb = new StringBuilder("abc");
        sb.append(1).append('-').append(2.0).reverse();
        System.out.println(sb + " " + sb.length());
    }
}
"##,
    );
}

#[test]
fn monitors_and_threads() {
    check(
        r##"
public class Main {
    static int counter;
    static synchronized void inc() { counter++; }
    synchronized int twice(int x) { return 2 * x; }
    static synchronized void boom() { throw new IllegalStateException("in sync"); }
    public static void main(String[] args) {
        Object lock = new Object();
        synchronized (lock) {
            synchronized (lock) { inc(); }
            inc();
        }
        try { boom(); } catch (IllegalStateException e) { System.out.println(e.getMessage()); }
        inc();
        System.out.println(counter + " " + new Main().twice(21));
        try {
            synchronized (lock) { throw new RuntimeException("inside"); }
        } catch (RuntimeException e) { System.out.println("released after " + e.getMessage()); }
        System.out.println(Thread.currentThread() == Thread.currentThread());
    }
}
"##,
    );
}

#[test]
fn thread_start_is_unsupported() {
    require_javac();
    let r = run_java(
        &[(
            "Main.java",
            r##"
public class Main {
    public static void main(String[] args) {
        Thread t = new Thread(() -> System.out.println("never"));
        try { t.start(); System.out.println("started?"); }
        catch (UnsupportedOperationException e) { System.out.println("UOE " + e.getMessage()); }
        System.out.println(Thread.currentThread().getName());
    }
}
"##,
        )],
        "Main",
    );
    assert!(r.result.is_ok(), "{:?} {}", r.result, r.stderr);
    assert_eq!(r.stdout, "UOE threads are not supported in a protection domain\nmain\n");
}

#[test]
fn illegal_monitor_state() {
    // javac never emits an unbalanced monitorexit (and its handlers would
    // loop on one), so patch `o.hashCode()` into `monitorexit`.
    require_javac();
    let mut classes = compile(&[(
        "Main.java",
        r##"
public class Main {
    static void exitOnly(Object o) { o.hashCode(); }
    public static void main(String[] args) {
        try { exitOnly(new Object()); System.out.println("no error"); }
        catch (IllegalMonitorStateException e) { System.out.println("IMSE"); }
        try { exitOnly(null); } catch (NullPointerException e) { System.out.println("NPE " + e.getMessage()); }
    }
}
"##,
    )]);
    let bytes = classes.get_mut(&b"Main"[..]).unwrap();
    let at = bytes.windows(6).position(|w| w[0] == 0x2a && w[1] == 0xb6 && w[4] == 0x57 && w[5] == 0xb1).expect("code");
    bytes[at + 1..at + 5].copy_from_slice(&[0xc3, 0, 0, 0]);
    let r = run_classes(&classes, "Main", test_config());
    assert!(r.result.is_ok(), "{:?} {}", r.result, r.stderr);
    assert_eq!(r.stdout, "IMSE\nNPE Cannot exit synchronized block\n");
}

#[test]
fn uncaught_exception_report_matches_the_jdk() {
    require_javac();
    let src = r##"
public class Main {
    static void level2(int x) { System.out.println(10 / x); }
    static void level1(int x) {
        try { level2(x); } catch (ArithmeticException e) { throw new IllegalStateException("wrapped", e); }
    }
    public static void main(String[] args) {
        System.out.println("before");
        level1(0);
    }
}
"##;
    let r = run_java(&[("Main.java", src)], "Main");
    assert!(matches!(r.result, Err(pd_jvm::runtime::VmError::Exception(_))), "{:?}", r.result);
    assert_eq!(r.stdout, "before\n");
    let expected = "Exception in thread \"main\" java.lang.IllegalStateException: wrapped\n\
\tat Main.level1(Main.java:5)\n\
\tat Main.main(Main.java:9)\n\
Caused by: java.lang.ArithmeticException: / by zero\n\
\tat Main.level2(Main.java:3)\n\
\t... 2 more\n";
    assert_eq!(r.stderr, expected);
    if let Some((out, err, code)) = run_real_java(&[("Main.java", src)], "Main") {
        assert_eq!(out, r.stdout);
        assert_eq!(err, expected);
        assert_eq!(code, 1);
    }
}

#[test]
fn vm_natives_beyond_the_first_list() {
    require_javac();
    let r = run_java(
        &[(
            "Main.java",
            r##"
import java.lang.reflect.Array;
public class Main {
    static class Lazy { static { System.out.println("Lazy init"); } static int x = 5; }
    public static void main(String[] a) {
        Object s = Array.newArray(String.class, 3);
        System.out.println(s.getClass().getName() + " " + ((String[]) s).length);
        Object i = Array.newArray(int.class, 2);
        System.out.println(i.getClass().getName() + " " + int.class + " " + int.class.isPrimitive() + " " + (Integer.TYPE == int.class));
        System.out.println(Array.newArray(int[].class, 1).getClass().getName());
        System.out.println("before");
        capuchin.internal.VM.ensureClassInitialized(Lazy.class);
        System.out.println("after " + Lazy.x);
        try { Array.newArray(String.class, -1); } catch (NegativeArraySizeException e) { System.out.println("NASE " + e.getMessage()); }
    }
}
"##,
        )],
        "Main",
    );
    assert!(r.result.is_ok(), "{:?} {}", r.result, r.stderr);
    assert_eq!(r.stdout, "[Ljava.lang.String; 3\n[I int true true\n[[I\nbefore\nLazy init\nafter 5\nNASE -1\n");
}

#[test]
fn notify_checks_monitor_ownership() {
    let r = run_java(
        &[(
            "Main.java",
            r#"
public class Main {
    public static void main(String[] args) {
        Object lock = new Object();
        try { lock.notify(); } catch (IllegalMonitorStateException e) { System.out.println("notify: " + e.getMessage()); }
        try { lock.notifyAll(); } catch (IllegalMonitorStateException e) { System.out.println("notifyAll: " + e.getMessage()); }
        synchronized (lock) {
            lock.notify();
            synchronized (lock) { lock.notifyAll(); }
            System.out.println("held: ok");
        }
        try { lock.notify(); } catch (IllegalMonitorStateException e) { System.out.println("released: IMSE"); }
    }
}
"#,
        )],
        "Main",
    );
    assert!(r.result.is_ok(), "{:?} {}", r.result, r.stderr);
    assert_eq!(
        r.stdout,
        "notify: current thread is not owner\nnotifyAll: current thread is not owner\nheld: ok\nreleased: IMSE\n"
    );
}
