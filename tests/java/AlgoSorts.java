import java.util.*;

public class AlgoSorts {
    static void quicksort(int[] a, int lo, int hi) {
        if (lo >= hi) return;
        int p = a[(lo + hi) >>> 1], i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        quicksort(a, lo, j);
        quicksort(a, i, hi);
    }
    static void mergesort(String[] a, String[] tmp, int lo, int hi) {
        if (hi - lo < 2) return;
        int mid = (lo + hi) / 2;
        mergesort(a, tmp, lo, mid);
        mergesort(a, tmp, mid, hi);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) tmp[k++] = a[i].compareTo(a[j]) <= 0 ? a[i++] : a[j++];
        while (i < mid) tmp[k++] = a[i++];
        while (j < hi) tmp[k++] = a[j++];
        System.arraycopy(tmp, lo, a, lo, hi - lo);
    }
    static void heapsort(long[] a) {
        int n = a.length;
        for (int i = n / 2 - 1; i >= 0; i--) sift(a, i, n);
        for (int end = n - 1; end > 0; end--) { long t = a[0]; a[0] = a[end]; a[end] = t; sift(a, 0, end); }
    }
    static void sift(long[] a, int i, int n) {
        while (2 * i + 1 < n) {
            int c = 2 * i + 1;
            if (c + 1 < n && a[c + 1] > a[c]) c++;
            if (a[i] >= a[c]) return;
            long t = a[i]; a[i] = a[c]; a[c] = t; i = c;
        }
    }
    public static void main(String[] args) {
        Random r = new Random(1);
        int[] ints = new int[20000];
        for (int i = 0; i < ints.length; i++) ints[i] = r.nextInt();
        int[] copy = ints.clone();
        quicksort(ints, 0, ints.length - 1);
        Arrays.sort(copy);
        System.out.println(Arrays.equals(ints, copy) + " " + ints[0] + " " + ints[19999] + " " + Arrays.hashCode(ints));
        String[] strs = new String[3000];
        for (int i = 0; i < strs.length; i++) strs[i] = Integer.toString(r.nextInt(100000), 36);
        String[] sorted = strs.clone();
        mergesort(strs, new String[strs.length], 0, strs.length);
        Arrays.sort(sorted);
        System.out.println(Arrays.equals(strs, sorted) + " " + strs[0] + " " + strs[2999]);
        long[] ls = new long[5000];
        for (int i = 0; i < ls.length; i++) ls[i] = r.nextLong() % 1000;
        heapsort(ls);
        boolean ok = true;
        for (int i = 1; i < ls.length; i++) ok &= ls[i - 1] <= ls[i];
        System.out.println(ok + " " + ls[0] + " " + ls[4999]);
    }
}
