/**
 * The JVM benchmark set of `capuchin bench jvm`: each kernel runs for the
 * given number of repetitions after a warm-up and prints
 * `BENCH name nanoseconds checksum`, timed inside the program so start-up
 * is excluded. Run as `JvmBench KERNEL REPS [WARMUPS]`: WARMUPS untimed
 * runs first (default 1), enough of them that a JIT has compiled the
 * kernel before the clock starts.
 */
public class JvmBench {
    static int sieve(int n) {
        boolean[] composite = new boolean[n + 1];
        int count = 0;
        for (int i = 2; i <= n; i++) {
            if (!composite[i]) {
                count++;
                for (int j = i + i; j <= n; j += i) composite[j] = true;
            }
        }
        return count;
    }

    static final class Item implements Comparable<Item> {
        final int key;
        Item(int key) { this.key = key; }
        public int compareTo(Item o) { return Integer.compare(key, o.key); }
    }

    static int objectSort(int n) {
        Item[] items = new Item[n];
        int seed = 12345;
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245 + 12345;
            items[i] = new Item(seed >>> 8);
        }
        // Insertion-free merge sort so both VMs run the same bytecode (no library sort).
        Item[] tmp = new Item[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n), i = lo, j = mid, k = lo;
                while (i < mid && j < hi) tmp[k++] = items[i].compareTo(items[j]) <= 0 ? items[i++] : items[j++];
                while (i < mid) tmp[k++] = items[i++];
                while (j < hi) tmp[k++] = items[j++];
            }
            Item[] t = items; items = tmp; tmp = t;
        }
        return items[n / 2].key;
    }

    interface Shape { int area(); }
    static final class Sq implements Shape { final int s; Sq(int s) { this.s = s; } public int area() { return s * s; } }
    static final class Rect implements Shape { final int w, h; Rect(int w, int h) { this.w = w; this.h = h; } public int area() { return w * h; } }
    static int add(int a, int b) { return a + b; }
    int virt(int x) { return x ^ 0x5a; }

    static int calls(int n) {
        Shape[] shapes = {new Sq(3), new Rect(2, 5)};
        JvmBench self = new JvmBench();
        int acc = 0;
        for (int i = 0; i < n; i++) {
            acc = add(acc, shapes[i & 1].area());
            acc = self.virt(acc);
        }
        return acc;
    }

    int field;
    static int fieldsArrays(int n) {
        JvmBench o = new JvmBench();
        int[] a = new int[1024];
        for (int i = 0; i < n; i++) {
            int k = i & 1023;
            a[k] += i;
            o.field += a[(k * 7) & 1023];
        }
        return o.field;
    }

    static int strings(int n) {
        int total = 0;
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < 20; j++) sb.append(j).append(',');
            total += sb.toString().length();
        }
        return total;
    }

    // The primitive-operation kernels of 000's Figure 5 (`capuchin bench
    // jit`): a loop of N iterations around the operation, and the result
    // returned so no VM can drop the work.
    static int local(int n) {
        int a = 1, b = 2, c = 3;
        for (int i = 0; i < n; i++) { a = b; b = c; c = a + i; }
        return a + b + c;
    }

    static int sfield;
    int ifield;
    static int fieldAccess(int n) {
        JvmBench o = new JvmBench();
        for (int i = 0; i < n; i++) o.ifield = o.ifield + i;
        return o.ifield;
    }

    static int staticAccess(int n) {
        for (int i = 0; i < n; i++) sfield = sfield + i;
        return sfield;
    }

    static int arrayAccess(int n) {
        int[] a = new int[256];
        for (int i = 0; i < n; i++) a[i & 255] = a[(i + 1) & 255] + i;
        return a[7];
    }

    static int alu(int n) {
        int x = 1, y = 7;
        for (int i = 0; i < n; i++) { x = (x * 31 + i) ^ (y >>> 3); y = (y + x) - (i << 2) | 1; }
        return x + y;
    }

    static int inc(int x) { return x + 1; }
    static int invokeStatic(int n) {
        int acc = 0;
        for (int i = 0; i < n; i++) acc = inc(acc);
        return acc;
    }

    int vinc(int x) { return x + 1; }
    static int invokeVirtual(int n) {
        JvmBench o = new JvmBench();
        int acc = 0;
        for (int i = 0; i < n; i++) acc = o.vinc(acc);
        return acc;
    }

    interface Inc { int inc(int x); }
    static final class IncImpl implements Inc { public int inc(int x) { return x + 1; } }
    static int invokeInterface(int n) {
        Inc o = new IncImpl();
        int acc = 0;
        for (int i = 0; i < n; i++) acc = o.inc(acc);
        return acc;
    }

    static int invokeNative(int n) {
        int acc = 0;
        for (int i = 0; i < n; i++) acc += Float.floatToRawIntBits((float) i);
        return acc;
    }

    static final class Obj { int v; Obj(int v) { this.v = v; } }
    static int newObject(int n) {
        int acc = 0;
        for (int i = 0; i < n; i++) acc += new Obj(i).v;
        return acc;
    }

    static int newArray(int n) {
        int acc = 0;
        for (int i = 0; i < n; i++) acc += new int[8 + (i & 7)].length;
        return acc;
    }

    static long run(String kernel) {
        switch (kernel) {
            case "sieve": return sieve(100_000);
            case "sort": return objectSort(20_000);
            case "calls": return calls(1_000_000);
            case "fields": return fieldsArrays(1_000_000);
            case "strings": return strings(5_000);
            case "local": return local(10_000_000);
            case "field": return fieldAccess(10_000_000);
            case "static": return staticAccess(10_000_000);
            case "array": return arrayAccess(10_000_000);
            case "alu": return alu(10_000_000);
            case "invoke_static": return invokeStatic(5_000_000);
            case "invoke_virtual": return invokeVirtual(5_000_000);
            case "invoke_interface": return invokeInterface(5_000_000);
            case "invoke_native": return invokeNative(2_000_000);
            case "new_object": return newObject(2_000_000);
            case "new_array": return newArray(1_000_000);
            case "empty": return 0;
            default: throw new IllegalArgumentException("unknown kernel " + kernel);
        }
    }

    public static void main(String[] args) {
        String kernel = args[0];
        int reps = Integer.parseInt(args[1]);
        int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long check = 0;
        for (int i = 0; i < warmups; i++) check += run(kernel);
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) check += run(kernel);
        long t1 = System.nanoTime();
        System.out.println("BENCH " + kernel + " " + (t1 - t0) + " " + check);
    }
}
