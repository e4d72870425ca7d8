//! invokedynamic: string concatenation, lambdas and method references,
//! records' ObjectMethods; differential against the JDK.

use pd_jvm_test_support::*;

fn check(src: &str) -> Run {
    require_javac();
    let r = differential(&[("Main.java", src)], "Main");
    assert!(r.result.is_ok(), "{:?}\nstdout:\n{}\nstderr:\n{}", r.result, r.stdout, r.stderr);
    r
}

#[test]
fn string_concatenation_of_every_type() {
    check(
        r##"
public class Main {
    static class T { public String toString() { return "T!"; } }
    static class NullStr { public String toString() { return null; } }
    public static void main(String[] args) {
        byte b = -8; short s = 300; char c = 'Z'; int i = -42; long l = 1L << 40; float f = 1.25f; double d = -2.5e-5;
        boolean z = true; String str = "str"; Object o = new T(); String nul = null; Object onull = null;
        System.out.println("b=" + b + " s=" + s + " c=" + c + " i=" + i + " l=" + l + " f=" + f + " d=" + d + " z=" + z);
        System.out.println(str + o + nul + onull + new NullStr());
        System.out.println(c + "" + c + 1 + (c + 1));
        System.out.println("" + Float.NaN + Double.POSITIVE_INFINITY + (-0.0f) + 1e21 + 1e-7f + 100.0 + 1234567.0f);
        System.out.println("tab\there \u0001 \u0002 done " + i);
        String acc = "";
        for (int k = 0; k < 5; k++) acc += k + ",";
        System.out.println(acc);
        System.out.println(1 + 2 + "x" + 1 + 2);
        char[] arr = { 'a' };
        System.out.println(("" + arr).startsWith("[C@"));
        String big = "" + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i + i
            + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l
            + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d + d
            + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l
            + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l
            + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l + l;
        System.out.println(big.length());
    }
}
"##,
    );
}

#[test]
fn lambdas_and_captures() {
    check(
        r##"
import java.util.function.*;

public class Main {
    int field = 100;
    interface TriFunction<A, B, C, R> { R apply(A a, B b, C c); }
    interface LongMaker { long make(int x); }
    interface Marker {}
    Supplier<String> self() { return () -> "field=" + field; }
    IntUnaryOperator adder() { return x -> x + field; }
    static Function<Integer, Function<Integer, Integer>> curry() { return a -> b -> a * 10 + b; }
    public static void main(String[] args) {
        int i = 7; long l = 1L << 33; double d = 0.5; float f = 2f; char c = 'k'; boolean z = true; byte by = 3; short sh = 4;
        String s = "cap";
        Supplier<String> all = () -> s + i + l + d + f + c + z + by + sh;
        System.out.println(all.get());
        Runnable r = () -> System.out.println("run " + i);
        r.run();
        Main m = new Main();
        System.out.println(m.self().get() + " " + m.adder().applyAsInt(5));
        m.field = 1;
        System.out.println(m.self().get() + " " + m.adder().applyAsInt(5));
        System.out.println(curry().apply(4).apply(2));
        BiFunction<Integer, Integer, Integer> add = (a, b) -> a + b;
        IntBinaryOperator mul = (a, b) -> a * b;
        TriFunction<String, Integer, Character, String> tri = (a, b, ch) -> a + b + ch;
        System.out.println(add.apply(2, 3) + " " + mul.applyAsInt(6, 7) + " " + tri.apply("t", 1, 'x'));
        Predicate<String> empty = String::isEmpty;
        Predicate<String> notEmpty = empty.negate();
        System.out.println(empty.test("") + " " + notEmpty.test("") + " " + notEmpty.and(x -> x.length() > 2).test("abc"));
        Function<Integer, Integer> inc = x -> x + 1;
        Function<Integer, Integer> dbl = x -> x * 2;
        System.out.println(inc.andThen(dbl).apply(5) + " " + inc.compose(dbl).apply(5) + " " + Function.<Integer>identity().apply(9));
        Consumer<StringBuilder> c1 = sb -> sb.append("one");
        StringBuilder sb = new StringBuilder();
        c1.andThen(x -> x.append("+two")).accept(sb);
        System.out.println(sb);
        LongMaker lm = x -> x * 3L;
        System.out.println(lm.make(Integer.MAX_VALUE));
        int[] counter = { 0 };
        Runnable bump = () -> counter[0]++;
        for (int k = 0; k < 10; k++) bump.run();
        System.out.println(counter[0]);
        Supplier<Supplier<Supplier<String>>> nested = () -> () -> () -> "deep " + s + i;
        System.out.println(nested.get().get().get());
        Object o = (Runnable & Marker) () -> {};
        System.out.println((o instanceof Runnable) + " " + (o instanceof Marker) + " " + (o instanceof java.io.Serializable));
    }
}
"##,
    );
}

#[test]
fn method_references_of_every_kind() {
    check(
        r##"
import java.util.function.*;

public class Main {
    static class Box {
        final int v;
        Box(int v) { this.v = v; }
        Box() { this(-1); }
        private int secret() { return v * 100; }
        int get() { return v; }
        static Box of(int v) { return new Box(v); }
        public String toString() { return "Box(" + v + ")"; }
    }
    static class Base { String hi() { return "base hi"; } }
    static class Derived extends Base {
        String hi() { return "derived hi"; }
        Supplier<String> sup() { return super::hi; }
        Supplier<String> mine() { return this::hi; }
    }
    interface Greeter { default String greet() { return "hello"; } }
    static class G implements Greeter {}
    static int twice(int x) { return 2 * x; }
    static String join(String... parts) { return String.valueOf(parts.length) + parts[0]; }
    public static void main(String[] args) {
        IntUnaryOperator st = Main::twice;
        Function<Integer, Box> ctor = Box::new;
        Supplier<Box> ctor0 = Box::new;
        IntFunction<Box> factory = Box::of;
        Function<Box, Integer> unbound = Box::get;
        Box b = new Box(5);
        Supplier<Integer> bound = b::get;
        Function<Box, Integer> priv = Box::secret;
        IntFunction<int[]> arr = int[]::new;
        Function<Integer, String[]> sarr = String[]::new;
        Function<String, Integer> len = String::length;
        ToIntFunction<String> len2 = String::length;
        ToLongFunction<Integer> widen = Integer::intValue;
        BiFunction<String, String, Boolean> eq = String::equals;
        Function<G, String> dflt = Greeter::greet;
        Function<String, String> va = Main::join;
        BinaryOperator<Integer> sum = Integer::sum;
        IntBinaryOperator isum = Integer::sum;
        Supplier<String> ts = b::toString;
        System.out.println(st.applyAsInt(21) + " " + ctor.apply(3) + " " + ctor0.get() + " " + factory.apply(8));
        System.out.println(unbound.apply(b) + " " + bound.get() + " " + priv.apply(b) + " " + arr.apply(4).length + " " + sarr.apply(2).length);
        System.out.println(len.apply("four") + " " + len2.applyAsInt("xy") + " " + widen.applyAsLong(77) + " " + eq.apply("a", "a"));
        System.out.println(dflt.apply(new G()) + " " + va.apply("v") + " " + sum.apply(2, 3) + " " + isum.applyAsInt(4, 5) + " " + ts.get());
        Derived d = new Derived();
        System.out.println(d.sup().get() + " / " + d.mine().get());
        Function<Object, String> str = String::valueOf;
        DoubleUnaryOperator neg = x -> -x;
        System.out.println(str.apply(null) + " " + neg.applyAsDouble(1.5));
        Runnable r = System.out::println;
        r.run();
        Consumer<String> printer = System.out::println;
        printer.accept("printed");
        Box nullBox = null;
        try { Supplier<Integer> s = nullBox::get; System.out.println("no NPE"); } catch (NullPointerException e) { System.out.println("NPE on bound null"); }
    }
}
"##,
    );
}

#[test]
fn lambda_conversions_boxing_unboxing_widening() {
    check(
        r##"
import java.util.function.*;

public class Main {
    interface IntToObj { Object f(int x); }
    interface ObjToLong { long f(Integer x); }
    interface IntToDouble { double f(Integer n); }
    interface CharToInt { int f(char c); }
    interface ByteToLong { long f(byte b); }
    interface Gen<T> { T make(T t); }
    interface StrGen extends Gen<String> { String make(String s); }
    static int id(int x) { return x; }
    static Integer boxed(Integer x) { return x; }
    static long lng(long x) { return x; }
    static double dbl(double x) { return x; }
    public static void main(String[] args) {
        IntToObj a = Main::id;
        ObjToLong b = Main::id;
        IntToDouble c = Main::dbl;
        CharToInt e = Main::id;
        ByteToLong g = Main::lng;
        Function<Integer, Long> h = Main::lng;
        Function<Integer, Integer> k = Main::boxed;
        IntUnaryOperator m = Main::boxed;
        Supplier<Object> n = () -> 42;
        StrGen sg = s -> s + "!";
        Gen<String> raw = sg;
        System.out.println(a.f(5) + " " + a.f(5).getClass().getName() + " " + b.f(6) + " " + c.f(7) + " " + e.f('A') + " " + g.f((byte) -2));
        System.out.println(h.apply(9) + " " + k.apply(10) + " " + m.applyAsInt(11) + " " + n.get() + " " + raw.make("gen"));
        BiFunction<Double, Integer, Double> pow = (x, y) -> { double r = 1; for (int i = 0; i < y; i++) r *= x; return r; };
        System.out.println(pow.apply(1.5, 3));
        Comparable<String> cmp = "b"::compareTo;
        System.out.println(cmp.compareTo("a") + " " + cmp.compareTo("c"));
    }
}
"##,
    );
}

#[test]
fn records_object_methods_match_the_jdk() {
    check(
        r##"
public class Main {
    record Point(int x, int y) {}
    record Empty() {}
    record All(boolean z, byte b, short s, char c, int i, long l, float f, double d, String str, Point p) {}
    record Floats(float f, double d) {}
    record WithArray(int[] a) {}
    record Custom(String name) {
        Custom { if (name == null) name = "anon"; }
        public String toString() { return "Custom<" + name + ">"; }
    }
    public static void main(String[] args) {
        Point p = new Point(1, 2);
        System.out.println(p + " " + p.x() + " " + p.hashCode() + " " + p.equals(new Point(1, 2)) + " " + p.equals(new Point(2, 1)) + " " + p.equals(null) + " " + p.equals("x"));
        System.out.println(new Empty() + " " + new Empty().hashCode() + " " + new Empty().equals(new Empty()));
        All all = new All(true, (byte) -1, (short) 300, 'q', -7, 1L << 40, 1.5f, -0.25, "s", p);
        All nul = new All(false, (byte) 0, (short) 0, '\u0000', 0, 0, 0f, 0.0, null, null);
        System.out.println(all);
        System.out.println(all.hashCode() + " " + nul.hashCode() + " " + all.equals(new All(true, (byte) -1, (short) 300, 'q', -7, 1L << 40, 1.5f, -0.25, "s", new Point(1, 2))));
        System.out.println(nul + " " + nul.equals(new All(false, (byte) 0, (short) 0, '\u0000', 0, 0, 0f, 0.0, null, null)));
        Floats nan = new Floats(Float.NaN, Double.NaN);
        System.out.println(nan.equals(new Floats(Float.NaN, Double.NaN)) + " " + new Floats(0f, 0.0).equals(new Floats(-0f, -0.0)) + " " + nan.hashCode() + " " + new Floats(-0f, -0.0).hashCode());
        int[] arr = { 1 };
        System.out.println(new WithArray(arr).equals(new WithArray(arr)) + " " + new WithArray(arr).equals(new WithArray(new int[] { 1 })));
        System.out.println(new Custom(null) + " " + new Custom("x").equals(new Custom("x")) + " " + new Custom("ab").hashCode());
        Object o = p;
        if (o instanceof Point q && q.x() == 1) System.out.println("pattern " + q.y());
    }
}
"##,
    );
}

#[test]
fn unsupported_bootstrap_methods_fail_with_bootstrap_method_error() {
    // A class whose invokedynamic names a bootstrap method the VM does not
    // implement: built by renaming StringConcatFactory's bootstrap.
    require_javac();
    let mut classes = compile(&[(
        "Main.java",
        r##"
public class Main {
    static String f(int x) { return "v" + x; }
    public static void main(String[] args) {
        try { System.out.println(f(1)); } catch (BootstrapMethodError e) { System.out.println(new StringBuilder("BME ").append(e.getMessage())); }
        try { System.out.println(f(2)); } catch (BootstrapMethodError e) { System.out.println("BME again"); }
    }
}
"##,
    )]);
    let bytes = classes.get_mut(&b"Main"[..]).unwrap();
    let needle = b"makeConcatWithConstants";
    let at = bytes.windows(needle.len()).position(|w| w == needle).expect("bsm name");
    bytes[at..at + 4].copy_from_slice(b"fake");
    let r = run_classes(&classes, "Main", test_config());
    assert!(r.result.is_ok(), "{:?} {}", r.result, r.stderr);
    assert_eq!(
        r.stdout,
        "BME bootstrap method java.lang.invoke.StringConcatFactory.fakeConcatWithConstants is not supported by this VM\nBME again\n"
    );
}
