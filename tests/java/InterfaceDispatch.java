public class InterfaceDispatch {
    interface Op { long apply(long x); }
    static final class Inc implements Op { public long apply(long x) { return x + 1; } }
    static final class Dbl implements Op { public long apply(long x) { return x * 2; } }
    static final class Neg implements Op { public long apply(long x) { return -x; } }
    static final class Sq implements Op { public long apply(long x) { return x * x % 1_000_003; } }
    static abstract class Base { abstract int v(); int twice() { return 2 * v(); } }
    static class One extends Base { int v() { return 1; } }
    static class Two extends One { int v() { return 2; } }
    static class Three extends Two { int v() { return 3; } int twice() { return 33; } }
    public static void main(String[] args) {
        Op[] ops = {new Inc(), new Dbl(), new Neg(), new Sq(), x -> x ^ 0x55};
        long x = 7;
        for (int i = 0; i < 100000; i++) x = ops[i % ops.length].apply(x) % 1_000_000_007L;
        System.out.println(x);
        Base[] bs = {new One(), new Two(), new Three()};
        int t = 0;
        for (int i = 0; i < 3000; i++) t += bs[i % 3].twice();
        System.out.println(t);
    }
}
