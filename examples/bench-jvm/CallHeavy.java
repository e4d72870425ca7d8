/**
 * Loop-free methods that call each other, driven by a loop: what the
 * baseline tier's code costs against the interpreter and optimized code
 * (docs/jit.md, "The baseline tier"). Prints nanoseconds per iteration of
 * the last of three rounds.
 *
 *   capuchin java --jit off -cp CLASSES CallHeavy 300000
 *   capuchin java --jit all --jit-opt auto --jit-optimize-at 2000000000 -cp CLASSES CallHeavy 300000
 */
public class CallHeavy {
    int v;

    static int add(int a, int b) { return a + b; }

    static int mix(int a, int b) {
        int x = a * 31 + b;
        x ^= x >>> 7;
        return x % 1000 + (a > b ? 1 : -1);
    }

    int get() { return v; }

    void set(int x) { v = x; }

    static int arr(int[] a, int i) { return a[i & 15] + a[(i + 1) & 15]; }

    static int work(CallHeavy b, int[] a, int i) {
        b.set(add(b.get(), mix(i, 7)));
        return arr(a, i) + b.get();
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        CallHeavy b = new CallHeavy();
        int[] a = new int[16];
        int s = 0;
        long per = 0;
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) s += work(b, a, i);
            per = (System.nanoTime() - t0) / n;
        }
        System.out.println("ns/iteration " + per + " (checksum " + s + ")");
    }
}
