package java.util;

/**
 * Capuchin's own sort for primitive arrays, standing in for the JDK's DualPivotQuicksort
 * with the same entry points. Sorting primitives has only one correct result, so this need
 * not match the JDK's algorithm; floats and doubles follow Double.compare's order (-0.0
 * before 0.0, NaNs last) as the JDK does. Quicksort with median-of-three pivots, insertion
 * sort for short ranges, and heapsort when recursion gets too deep (O(n log n) worst case).
 */
final class DualPivotQuicksort {
    private DualPivotQuicksort() {
    }

    private static final int INSERTION = 24;

    static void sort(int[] a, int parallelism, int low, int high) {
        intSort(a, low, high - 1, 2 * (32 - Integer.numberOfLeadingZeros(high - low + 1)));
    }

    private static void intSort(int[] a, int lo, int hi, int depth) {
        while (hi - lo >= INSERTION) {
            if (depth-- == 0) {
                intHeap(a, lo, hi);
                return;
            }
            int mid = (lo + hi) >>> 1;
            if (a[mid] < a[lo]) { int t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
            if (a[hi] < a[lo]) { int t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
            if (a[hi] < a[mid]) { int t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
            int p = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < p) i++;
                while (a[j] > p) j--;
                if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
            }
            if (j - lo < hi - i) {
                intSort(a, lo, j, depth);
                lo = i;
            } else {
                intSort(a, i, hi, depth);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            int v = a[i];
            int j = i - 1;
            while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
            a[j + 1] = v;
        }
    }

    private static void intHeap(int[] a, int lo, int hi) {
        int n = hi - lo + 1;
        for (int k = n / 2 - 1; k >= 0; k--) intSift(a, lo, k, n);
        for (int end = n - 1; end > 0; end--) {
            int t = a[lo]; a[lo] = a[lo + end]; a[lo + end] = t;
            intSift(a, lo, 0, end);
        }
    }

    private static void intSift(int[] a, int lo, int k, int n) {
        int v = a[lo + k];
        while (2 * k + 1 < n) {
            int c = 2 * k + 1;
            if (c + 1 < n && a[lo + c + 1] > a[lo + c]) c++;
            if (a[lo + c] <= v) break;
            a[lo + k] = a[lo + c];
            k = c;
        }
        a[lo + k] = v;
    }

    static void sort(long[] a, int parallelism, int low, int high) {
        longSort(a, low, high - 1, 2 * (32 - Integer.numberOfLeadingZeros(high - low + 1)));
    }

    private static void longSort(long[] a, int lo, int hi, int depth) {
        while (hi - lo >= INSERTION) {
            if (depth-- == 0) {
                longHeap(a, lo, hi);
                return;
            }
            int mid = (lo + hi) >>> 1;
            if (a[mid] < a[lo]) { long t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
            if (a[hi] < a[lo]) { long t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
            if (a[hi] < a[mid]) { long t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
            long p = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < p) i++;
                while (a[j] > p) j--;
                if (i <= j) { long t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
            }
            if (j - lo < hi - i) {
                longSort(a, lo, j, depth);
                lo = i;
            } else {
                longSort(a, i, hi, depth);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            long v = a[i];
            int j = i - 1;
            while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
            a[j + 1] = v;
        }
    }

    private static void longHeap(long[] a, int lo, int hi) {
        int n = hi - lo + 1;
        for (int k = n / 2 - 1; k >= 0; k--) longSift(a, lo, k, n);
        for (int end = n - 1; end > 0; end--) {
            long t = a[lo]; a[lo] = a[lo + end]; a[lo + end] = t;
            longSift(a, lo, 0, end);
        }
    }

    private static void longSift(long[] a, int lo, int k, int n) {
        long v = a[lo + k];
        while (2 * k + 1 < n) {
            int c = 2 * k + 1;
            if (c + 1 < n && a[lo + c + 1] > a[lo + c]) c++;
            if (a[lo + c] <= v) break;
            a[lo + k] = a[lo + c];
            k = c;
        }
        a[lo + k] = v;
    }

    /** Doubles sort as their order-preserving long keys; NaNs are canonicalized on the way back. */
    static void sort(double[] a, int parallelism, int low, int high) {
        int n = high - low;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToLongBits(a[low + i]);
            keys[i] = bits < 0 ? bits ^ Long.MAX_VALUE : bits;
        }
        sort(keys, 0, 0, n);
        for (int i = 0; i < n; i++) {
            long k = keys[i];
            a[low + i] = Double.longBitsToDouble(k < 0 ? k ^ Long.MAX_VALUE : k);
        }
    }

    static void sort(float[] a, int parallelism, int low, int high) {
        int n = high - low;
        int[] keys = new int[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(a[low + i]);
            keys[i] = bits < 0 ? bits ^ Integer.MAX_VALUE : bits;
        }
        sort(keys, 0, 0, n);
        for (int i = 0; i < n; i++) {
            int k = keys[i];
            a[low + i] = Float.intBitsToFloat(k < 0 ? k ^ Integer.MAX_VALUE : k);
        }
    }

    /** Counting sorts for the small types. */
    static void sort(byte[] a, int low, int high) {
        int[] count = new int[256];
        for (int i = low; i < high; i++) count[a[i] + 128]++;
        int k = low;
        for (int v = 0; v < 256; v++) {
            for (int c = count[v]; c > 0; c--) a[k++] = (byte) (v - 128);
        }
    }

    static void sort(char[] a, int low, int high) {
        if (high - low < 4096) {
            int[] tmp = new int[high - low];
            for (int i = low; i < high; i++) tmp[i - low] = a[i];
            sort(tmp, 0, 0, tmp.length);
            for (int i = low; i < high; i++) a[i] = (char) tmp[i - low];
            return;
        }
        int[] count = new int[65536];
        for (int i = low; i < high; i++) count[a[i]]++;
        int k = low;
        for (int v = 0; v < 65536; v++) {
            for (int c = count[v]; c > 0; c--) a[k++] = (char) v;
        }
    }

    static void sort(short[] a, int low, int high) {
        if (high - low < 4096) {
            int[] tmp = new int[high - low];
            for (int i = low; i < high; i++) tmp[i - low] = a[i];
            sort(tmp, 0, 0, tmp.length);
            for (int i = low; i < high; i++) a[i] = (short) tmp[i - low];
            return;
        }
        int[] count = new int[65536];
        for (int i = low; i < high; i++) count[a[i] + 32768]++;
        int k = low;
        for (int v = 0; v < 65536; v++) {
            for (int c = count[v]; c > 0; c--) a[k++] = (short) (v - 32768);
        }
    }
}
