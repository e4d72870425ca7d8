package shadowtest;

import java.util.SplittableRandom;

/**
 * Arrays: object sorts must give the JDK's (stable) result: the items carry their original
 * positions, so equal keys must keep their order. Our merge sort is not the JDK's TimSort,
 * so the sequence of comparator calls is not compared (only that every call compared two
 * items of the array). Primitive sorts must give the JDK's result (including -0.0 and NaN
 * placement); and the other Arrays helpers.
 */
public class SortTest {
    static final class Item {
        final int key;
        final int seq;

        Item(int key, int seq) {
            this.key = key;
            this.seq = seq;
        }

        public String toString() {
            return key + ":" + seq;
        }
    }

    public static void main(String[] args) {
        Check c = new Check("Arrays");
        int rounds = Check.n(2000);
        for (int r = 0; r < rounds; r++) {
            SplittableRandom rnd = new SplittableRandom(r);
            int n = r < 100 ? r : rnd.nextInt(r % 5 == 0 ? 3000 : 200);
            int range = 1 + rnd.nextInt(r % 3 == 0 ? 5 : 1000);
            Item[] a = new Item[n];
            for (int i = 0; i < n; i++) {
                // partly presorted runs exercise TimSort's galloping
                int k = (r % 4 == 0 && i < n / 2) ? i : rnd.nextInt(range);
                a[i] = new Item(k, i);
            }
            Item[] b = a.clone();
            StringBuilder callsJdk = new StringBuilder();
            StringBuilder callsOurs = new StringBuilder();
            java.util.Arrays.sort(a, (x, y) -> {
                callsJdk.append(x.seq).append(',').append(y.seq).append(';');
                return Integer.compare(x.key, y.key);
            });
            shadow.java.util.Arrays.sort(b, (x, y) -> {
                callsOurs.append(x.seq).append(',').append(y.seq).append(';');
                return Integer.compare(x.key, y.key);
            });
            c.eq("sort(Item[]) round " + r, java.util.Arrays.toString(a), shadow.java.util.Arrays.toString(b));
            c.eq("comparator calls round " + r + " are on the array's items", true,
                    callsOurs.toString().matches("(\\d+,\\d+;)*"));

            Integer[] ia = new Integer[n];
            for (int i = 0; i < n; i++) {
                ia[i] = rnd.nextInt(range);
            }
            Integer[] ib = ia.clone();
            java.util.Arrays.sort(ia);
            shadow.java.util.Arrays.sort(ib);
            c.eq("sort(Integer[]) round " + r, java.util.Arrays.toString(ia), shadow.java.util.Arrays.toString(ib));

            int[] pa = new int[n];
            long[] la = new long[n];
            double[] da = new double[n];
            float[] fa = new float[n];
            char[] ca = new char[n];
            short[] sa = new short[n];
            byte[] ba = new byte[n];
            double[] specials = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
            for (int i = 0; i < n; i++) {
                pa[i] = r % 2 == 0 ? rnd.nextInt() : rnd.nextInt(range);
                la[i] = rnd.nextLong();
                da[i] = rnd.nextInt(8) == 0 ? specials[rnd.nextInt(specials.length)] : rnd.nextDouble() - 0.5;
                fa[i] = (float) da[i];
                ca[i] = (char) rnd.nextInt(70000);
                sa[i] = (short) rnd.nextInt();
                ba[i] = (byte) rnd.nextInt();
            }
            int from = n == 0 ? 0 : rnd.nextInt(n);
            int[] pb = pa.clone();
            java.util.Arrays.sort(pa);
            shadow.java.util.Arrays.sort(pb);
            c.eq("sort(int[]) round " + r, java.util.Arrays.toString(pa), java.util.Arrays.toString(pb));
            long[] lb = la.clone();
            java.util.Arrays.sort(la, from, n);
            shadow.java.util.Arrays.sort(lb, from, n);
            c.eq("sort(long[], range) round " + r, java.util.Arrays.toString(la), java.util.Arrays.toString(lb));
            double[] db = da.clone();
            java.util.Arrays.sort(da);
            shadow.java.util.Arrays.sort(db);
            c.eq("sort(double[]) round " + r, java.util.Arrays.toString(da), java.util.Arrays.toString(db));
            float[] fb = fa.clone();
            java.util.Arrays.sort(fa);
            shadow.java.util.Arrays.sort(fb);
            c.eq("sort(float[]) round " + r, java.util.Arrays.toString(fa), java.util.Arrays.toString(fb));
            char[] cb = ca.clone();
            java.util.Arrays.sort(ca);
            shadow.java.util.Arrays.sort(cb);
            c.eq("sort(char[]) round " + r, java.util.Arrays.equals(ca, cb), true);
            short[] sb = sa.clone();
            java.util.Arrays.sort(sa);
            shadow.java.util.Arrays.sort(sb);
            c.eq("sort(short[]) round " + r, java.util.Arrays.toString(sa), java.util.Arrays.toString(sb));
            byte[] bb = ba.clone();
            java.util.Arrays.sort(ba);
            shadow.java.util.Arrays.sort(bb);
            c.eq("sort(byte[]) round " + r, java.util.Arrays.toString(ba), java.util.Arrays.toString(bb));

            int key = rnd.nextInt(range);
            c.eq("binarySearch round " + r, java.util.Arrays.binarySearch(pa, key), shadow.java.util.Arrays.binarySearch(pa, key));
            c.eq("hashCode(int[]) round " + r, java.util.Arrays.hashCode(pa), shadow.java.util.Arrays.hashCode(pa));
            c.eq("hashCode(double[]) round " + r, java.util.Arrays.hashCode(da), shadow.java.util.Arrays.hashCode(da));
            c.eq("toString(double[]) round " + r, java.util.Arrays.toString(da), shadow.java.util.Arrays.toString(da));
            c.eq("equals(double[]) round " + r, java.util.Arrays.equals(da, db), shadow.java.util.Arrays.equals(da, db));
            c.eq("compare(int[]) round " + r, Integer.signum(java.util.Arrays.compare(pa, pb)),
                    Integer.signum(shadow.java.util.Arrays.compare(pa, pb)));
            c.eq("copyOfRange round " + r, Check.outcome(() -> java.util.Arrays.toString(java.util.Arrays.copyOfRange(pa, from, n + 3))),
                    Check.outcome(() -> java.util.Arrays.toString(shadow.java.util.Arrays.copyOfRange(pa, from, n + 3))));
        }
        Object[] nested = {1, new int[] {1, 2}, new Object[] {"a", null, new long[] {3}}, null, new String[][] {{"x"}}};
        c.eq("deepToString", java.util.Arrays.deepToString(nested), shadow.java.util.Arrays.deepToString(nested));
        c.eq("deepHashCode", java.util.Arrays.deepHashCode(nested), shadow.java.util.Arrays.deepHashCode(nested));
        c.eq("asList", java.util.Arrays.asList(1, 2, 3).toString(), shadow.java.util.Arrays.asList(1, 2, 3).toString());
        c.eq("toString(null)", java.util.Arrays.toString((int[]) null), shadow.java.util.Arrays.toString((int[]) null));
        c.eq("sort bad range", Check.outcome(() -> { java.util.Arrays.sort(new int[3], 2, 1); return 0; }),
                Check.outcome(() -> { shadow.java.util.Arrays.sort(new int[3], 2, 1); return 0; }));
        c.eq("sort bad range 2", Check.outcome(() -> { java.util.Arrays.sort(new Object[3], 0, 4); return 0; }),
                Check.outcome(() -> { shadow.java.util.Arrays.sort(new Object[3], 0, 4); return 0; }));
        c.done();
    }
}
