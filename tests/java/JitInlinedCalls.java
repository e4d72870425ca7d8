/**
 * Calls the JIT inlines once hot (docs/jit.md, "Inlining"): exceptions
 * from inlined callees keep the callee's frame, a call site that later
 * sees another receiver class runs that class's method, a callee that
 * stores and then throws stores once, and recursion still overflows.
 */
public class JitInlinedCalls {
    static int counter;
    static int div(int a, int b) { return a / b; }
    static int sumDiv(int n, int d) {
        int s = 0;
        for (int i = 0; i < n; i++) s += div(i, d);
        return s;
    }
    static int load(int[] a, int i) { counter++; return a[i]; }
    static int loadAll(int[] a, int n) {
        int s = 0;
        for (int i = 0; i < n; i++) s += load(a, i);
        return s;
    }

    static abstract class Animal { abstract int legs(); int twice() { return legs() * 2; } }
    static class Bird extends Animal { int legs() { return 2; } }
    static class Cat extends Animal { int legs() { return 4; } }
    interface Named { String name(); }
    static final class A implements Named { public String name() { return "a"; } }
    static final class B implements Named { public String name() { return "b"; } }
    static int legs(Animal[] zoo) {
        int s = 0;
        for (int i = 0; i < zoo.length; i++) s += zoo[i].legs() + zoo[i].twice();
        return s;
    }
    static int names(Named[] ns) {
        int s = 0;
        for (int i = 0; i < ns.length; i++) s = s * 3 + ns[i].name().charAt(0);
        return s;
    }

    static final class Point {
        final int x, y;
        Point(int x, int y) { this.x = x; this.y = y; }
        int x() { return x; }
        int y() { return y; }
    }
    static long points(int n) {
        long s = 0;
        for (int i = 0; i < n; i++) { Point p = new Point(i, -i); s += p.x() * 3L + p.y(); }
        return s;
    }

    static int down(int n) { return n == 0 ? 0 : 1 + down(n - 1); }
    static int forever(int n) { return down(n) + forever(n + 1); }

    static void trace(Throwable t) {
        System.out.println(t instanceof NullPointerException ? t.getClass().getName() : t.toString());
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(3, st.length); i++) System.out.println("  " + st[i].getClassName() + "." + st[i].getMethodName() + ":" + st[i].getLineNumber());
    }

    public static void main(String[] args) {
        long s = 0;
        for (int r = 0; r < 40; r++) s += sumDiv(100, r + 1);
        System.out.println("sumDiv " + s);
        try { sumDiv(10, 0); } catch (ArithmeticException e) { trace(e); }

        int[] a = {1, 2, 3};
        for (int r = 0; r < 40; r++) loadAll(a, 3);
        System.out.println("counter " + counter);
        try { loadAll(a, 5); } catch (ArrayIndexOutOfBoundsException e) { trace(e); }
        System.out.println("counter " + counter);

        Animal[] birds = {new Bird(), new Bird()};
        for (int r = 0; r < 40; r++) s += legs(birds);
        Animal[] zoo = {new Bird(), new Cat(), new Bird()};
        System.out.println("legs " + legs(birds) + " " + legs(zoo));
        try { legs(new Animal[] {new Cat(), null}); } catch (NullPointerException e) { trace(e); }

        Named[] as = {new A(), new A()};
        for (int r = 0; r < 40; r++) s += names(as);
        System.out.println("names " + names(as) + " " + names(new Named[] {new A(), new B(), new A()}));

        for (int r = 0; r < 40; r++) s += points(100);
        System.out.println("points " + points(1000) + " " + s);

        try { forever(0); } catch (StackOverflowError e) { System.out.println("overflow " + (e.getMessage() == null)); }
    }
}
