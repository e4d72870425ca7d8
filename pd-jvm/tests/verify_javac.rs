//! Everything `javac --release 17` produces must verify: diverse sources
//! compiled in a temp dir, checked against a `ClassSet` over the compiled
//! classes plus java.base (or the built-in minimal java.lang hierarchy for
//! sources that only use java.lang basics).

mod common;

use pd_jvm::classfile::{self, ClassFile};
use pd_jvm::verify::{verify_class, ClassSet};

const CONTROL: &str = r#"
import java.util.*;

public class Control {
    static int loops(int n) {
        int acc = 0;
        outer:
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (j == 7) continue outer;
                if (acc > 1000) break outer;
                acc += i * j;
            }
        }
        int k = n;
        while (k > 0) { k >>= 1; acc ^= k; }
        do { acc--; } while (acc > 50);
        return acc;
    }

    static String strings(String s) {
        switch (s) {
            case "alpha": return "A";
            case "beta": case "gamma": return "BG";
            case "Aa": return "hash collision 1";
            case "BB": return "hash collision 2";
            default: return s.isEmpty() ? "empty" : s + s.length();
        }
    }

    enum Color { RED, GREEN, BLUE }

    static int enums(Color c) {
        switch (c) {
            case RED: return 1;
            case GREEN: return 2;
            default: return 3;
        }
    }

    static String switchExpr(Object o, int i) {
        String kind = switch (i) {
            case 0, 1 -> "small";
            case 1000 -> "big";
            default -> {
                if (o instanceof String s && !s.isEmpty()) yield "str:" + s;
                yield "other";
            }
        };
        int sparse = switch (i) { case -100000 -> 1; case 5 -> 2; case 1 << 20 -> 3; default -> 0; };
        return kind + sparse;
    }

    static long longs(long a, double d, int i, float f) {
        long x = a * 3L + i;
        double y = d / 2 + f;
        if (x > 10L && y < 0.5) x = (long) y;
        long[] arr = new long[] { x, a, (long) d };
        double[] ds = { y, d };
        float g = f * 2;
        x += arr[1] + (long) ds[0] + (long) g;
        return x < 0 ? -x : x;
    }

    static int arrays(int n) {
        int[][] grid = new int[n][n + 1];
        int[][][] cube = new int[2][3][];
        cube[1][2] = new int[4];
        String[][] names = new String[2][];
        names[0] = new String[] { "a", "b" };
        byte[] bs = new byte[3]; bs[0] = (byte) n;
        boolean[] flags = new boolean[2]; flags[1] = bs[0] > 0;
        char[] cs = "abc".toCharArray(); cs[0]++;
        short[] ss = { 1, 2 }; ss[1] += ss[0];
        Object[] objs = names;
        Object o = grid;
        Cloneable cl = cube;
        java.io.Serializable ser = ss;
        int[] copy = grid[0].clone();
        return grid.length + cube[1][2].length + names[0].length + copy.length + (flags[1] ? 1 : 0) + cs[0]
            + objs.length + (o == cl ? 1 : 0) + (ser == null ? 0 : 1);
    }

    static int exceptions(String s) {
        int r = 0;
        try {
            r = Integer.parseInt(s);
        } catch (NumberFormatException | NullPointerException e) {
            r = -1;
        } catch (RuntimeException e) {
            throw new IllegalStateException(e);
        } finally {
            r++;
        }
        try (java.io.StringReader rd = new java.io.StringReader(s)) {
            r += rd.read();
        } catch (java.io.IOException e) {
            r = -2;
        }
        synchronized (Control.class) {
            r *= 2;
        }
        return r;
    }

    static Object ternaries(boolean b, int i) {
        Number n = b ? Integer.valueOf(i) : Long.valueOf(i);
        Comparable<?> c = b ? "s" : Integer.valueOf(1);
        CharSequence cs = b ? new StringBuilder("x") : "y";
        List<String> l = b ? new ArrayList<>() : new LinkedList<>();
        Object o = i > 0 ? n : i < 0 ? c : cs;
        assert o != null : "never";
        return l.isEmpty() ? o : l;
    }

    static int varargs(String fmt, Object... args) {
        int total = 0;
        for (Object a : args) total += a.hashCode();
        for (char ch : fmt.toCharArray()) total += ch;
        Map<String, Integer> m = new HashMap<>();
        for (Map.Entry<String, Integer> e : m.entrySet()) total += e.getValue();
        return total + String.format(fmt, args).length();
    }

    static String text() {
        String t = """
            Hello, "text" block
            """;
        char c = t.charAt(0);
        byte b = (byte) c;
        short s = (short) (b + 1);
        return t + c + b + s + 1.5f + 2.5 + 3L + true + null;
    }
}
"#;

const LAMBDAS: &str = r#"
import java.util.*;
import java.util.function.*;
import java.util.stream.*;

public class Lambdas {
    private int base = 3;
    interface Op { int apply(int a, int b); }

    int run(List<Integer> xs) {
        Function<Integer, Integer> f = x -> x + base;
        Supplier<List<String>> sup = ArrayList::new;
        BiFunction<String, Integer, Character> charAt = String::charAt;
        Op add = (a, b) -> a + b;
        Op mul = Math::multiplyExact;
        Runnable r = () -> base++;
        r.run();
        int[] counter = { 0 };
        xs.forEach(x -> counter[0] += x);
        List<String> s = xs.stream().filter(x -> x > base).map(String::valueOf).collect(Collectors.toList());
        IntStream.range(0, 3).mapToObj(i -> new int[i]).forEach(a -> counter[0] += a.length);
        Comparator<String> cmp = Comparator.comparing(String::length).thenComparing(Function.identity());
        s.sort(cmp);
        return add.apply(f.apply(1), mul.apply(2, 3)) + s.size() + sup.get().size() + charAt.apply("ab", 1) + counter[0];
    }
}
"#;

const NESTED: &str = r#"
public class Nested {
    private int secret;
    private static int counter;
    protected long stamp;

    public Nested() { this(7); }
    public Nested(int s) { super(); secret = s; counter++; }
    Nested(String s) { this(s == null ? 0 : s.length()); }

    class Inner {
        int x = secret;
        Inner() { secret++; }
        int outer() { return secret + x + new Deep().y; }
        class Deep { int y = secret * 2; }
    }

    static class StaticNested extends Nested {
        final double d;
        StaticNested(double d) { super((int) d); this.d = d; stamp = 5L; }
        @Override public String toString() { return "SN" + d + super.toString(); }
        long peek(StaticNested other) { return other.stamp + stamp; }
    }

    Object anon(final int k) {
        class Local implements Comparable<Local> {
            int v = k + secret;
            public int compareTo(Local o) { return Integer.compare(v, o.v); }
        }
        Runnable r = new Runnable() {
            int n = k;
            public void run() { secret += n; }
        };
        r.run();
        return new Local();
    }

    static Nested make(boolean b) {
        return b ? new StaticNested(1.5) : new Nested(b ? "x" : null);
    }

    // An argument expression that itself constructs objects before super().
    static class Wrapper extends java.util.ArrayList<String> {
        Wrapper(int n) { super(new java.util.ArrayList<String>(java.util.List.of(String.valueOf(n)))); }
    }
}
"#;

const RECORDS: &str = r#"
import java.util.*;

public sealed interface Shapes permits Shapes.Circle, Shapes.Rect {
    double area();
    default String describe() { return name() + ":" + area(); }
    private String name() { return getClass().getSimpleName(); }
    static Shapes unit() { return new Rect(1, 1); }

    record Circle(double r) implements Shapes {
        public Circle {
            if (r < 0) throw new IllegalArgumentException("negative radius " + r);
        }
        public double area() { return Math.PI * r * r; }
    }

    record Rect(long w, long h) implements Shapes, Comparable<Rect> {
        static int made;
        public Rect { made++; }
        public double area() { return (double) w * h; }
        public int compareTo(Rect o) { return Double.compare(area(), o.area()); }
    }

    static double total(List<? extends Shapes> shapes) {
        double t = 0;
        for (Shapes s : shapes) {
            if (s instanceof Circle c) t += c.r();
            else if (s instanceof Rect r) t += r.w() + r.h();
        }
        return t;
    }
}
"#;

const GENERIC: &str = r#"
import java.util.*;

public class Generic<T extends Comparable<T>> implements Iterable<T> {
    private final List<T> items = new ArrayList<>();
    private static final Map<String, Generic<?>> CACHE = new HashMap<>();
    static { CACHE.put("empty", new Generic<String>()); }

    @SafeVarargs
    final Generic<T> add(T... ts) { items.addAll(Arrays.asList(ts)); return this; }

    T max() {
        T best = null;
        for (T t : items) if (best == null || t.compareTo(best) > 0) best = t;
        return best;
    }

    public Iterator<T> iterator() {
        return new Iterator<T>() {
            int i;
            public boolean hasNext() { return i < items.size(); }
            public T next() {
                if (!hasNext()) throw new NoSuchElementException();
                return items.get(i++);
            }
        };
    }

    static <E extends Comparable<E>> E[] sorted(E[] in) {
        E[] out = in.clone();
        Arrays.sort(out);
        return out;
    }

    static int boxing(Integer a, Long b, Character c, Boolean z) {
        int x = a;
        long y = b + x;
        char ch = c;
        Integer boxed = x * 2;
        return (int) y + ch + boxed + (z ? 1 : 0);
    }
}
"#;

const INTERFACES: &str = r#"
import java.util.function.*;

public class Interfaces {
    interface A { default String who() { return "A"; } static A make() { return new A() { }; } }
    interface B extends A { default String who() { return "B" + A.super.who(); } }
    interface C extends A { private int secret() { return 3; } default int value() { return secret(); } }
    static class D implements B, C {
        public String who() { return B.super.who() + value(); }
    }

    enum Op {
        ADD { int apply(int a, int b) { return a + b; } },
        SUB { int apply(int a, int b) { return a - b; } };
        abstract int apply(int a, int b);
    }

    static int dispatch(Op op, int a, int b) {
        switch (op) {
            case ADD: return op.apply(a, b) + 1;
            case SUB: return op.apply(a, b) - 1;
        }
        return 0;
    }

    static synchronized long mixed(long a, double b, boolean c) {
        long x = a;
        double y = b;
        for (int i = 0; i < 3; i++) {
            if (c) { long t = x * 2; x = t; } else { double u = y * 2; y = u; }
            try {
                if (x > 100) return x;
                if (y > 100) break;
            } finally {
                x++;
            }
        }
        return x + (long) y;
    }

    static Object[] covariant(boolean b) {
        Object[] arr = b ? new String[1] : new Integer[2];
        CharSequence[] cs = new String[] { "a" };
        Object o = b ? (Object) new int[0] : new long[0][];
        return b ? arr : new Object[] { cs, o };
    }

    static IntBinaryOperator curry(int base) {
        IntUnaryOperator neg = x -> -x;
        return (x, y) -> neg.applyAsInt(x) + y * base;
    }
}
"#;

const PROTECTED_BASE: &str = r#"
package p1;

public class Base implements Cloneable {
    protected int count;
    protected static String label = "base";
    protected Base() {}
    protected Base(int c) { count = c; }
    protected void bump() { count++; }
    protected Object copy() throws CloneNotSupportedException { return super.clone(); }
}
"#;

const PROTECTED_SUB: &str = r#"
package p2;

import p1.Base;

public class Sub extends Base {
    public Sub() { super(3); }
    int use(Sub other) throws CloneNotSupportedException {
        bump();
        other.bump();
        other.count += count;
        Object c = super.copy();
        Object d = clone();
        int[] arr = { 1 };
        int[] arr2 = arr.clone();
        Base anon = new Base() { };
        return count + other.count + label.length() + (c == d ? 1 : 0) + arr2.length + (anon == null ? 0 : 1);
    }
}
"#;

/// Only java.lang types, so the built-in hierarchy is enough.
const SIMPLE: &str = r#"
public class Simple {
    private int x;
    private long y;
    Simple(int x) { this.x = x; this.y = x * 2L; }
    Simple() { this(1); }

    static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

    int sum(int[] a) {
        int s = 0;
        for (int i = 0; i < a.length; i++) s += a[i];
        return s + x + (int) y;
    }

    static String describe(Object o) {
        if (o instanceof String) return "string";
        if (o instanceof Integer) return "int " + ((Integer) o).intValue();
        return String.valueOf(o);
    }

    static int guarded(int a, int b) {
        try {
            return a / b;
        } catch (ArithmeticException e) {
            return -1;
        } finally {
            x2++;
        }
    }
    static int x2;

    static double mix(long a, double b, float c) {
        double r = a + b + c;
        if (r > 1e9) throw new IllegalStateException("too big");
        return r;
    }
}
"#;

fn verify_all(classes: &[(String, Vec<u8>)], env: &mut ClassSet) {
    let parsed: Vec<(String, ClassFile<'_>)> =
        classes.iter().map(|(n, b)| (n.clone(), classfile::parse(b).unwrap_or_else(|e| panic!("{n}: {e}")))).collect();
    for (_, c) in &parsed {
        env.add(c);
    }
    let mut failures = Vec::new();
    let mut methods = 0;
    for (_, c) in &parsed {
        methods += c.methods.len();
        if let Err(e) = verify_class(c, env) {
            failures.push(e.to_string());
        }
    }
    println!("verified {} classes, {methods} methods", parsed.len());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

fn java_base_env() -> Option<ClassSet> {
    let classes = common::java_base_classes()?;
    let mut env = ClassSet::new();
    for (path, bytes) in &classes {
        let c = classfile::parse(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        env.add(&c);
    }
    Some(env)
}

#[test]
fn javac_output_verifies_against_java_base() {
    let Some(mut env) = java_base_env() else {
        return;
    };
    let sources = [
        ("Control.java", CONTROL),
        ("Lambdas.java", LAMBDAS),
        ("Nested.java", NESTED),
        ("Generic.java", GENERIC),
        ("Base.java", PROTECTED_BASE),
        ("Sub.java", PROTECTED_SUB),
        ("Simple.java", SIMPLE),
        ("Interfaces.java", INTERFACES),
    ];
    let Some(classes) = common::compile(&sources) else {
        return;
    };
    assert!(classes.len() >= 15, "only {} classes", classes.len());
    verify_all(&classes, &mut env);
}

#[test]
fn javac_records_and_sealed_types_verify() {
    let Some(mut env) = java_base_env() else {
        return;
    };
    let Some(classes) = common::compile(&[("Shapes.java", RECORDS)]) else {
        return;
    };
    verify_all(&classes, &mut env);
}

#[test]
fn javac_output_verifies_against_builtin_java_lang() {
    let Some(classes) = common::compile(&[("Simple.java", SIMPLE)]) else {
        return;
    };
    verify_all(&classes, &mut ClassSet::with_java_lang());
}
