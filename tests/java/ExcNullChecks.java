public class ExcNullChecks {
    static class Holder { int v; Holder next; int[] arr; }
    static int tryIt(Runnable r) {
        try { r.run(); return 0; } catch (NullPointerException e) { return 1; }
    }
    public static void main(String[] args) {
        Holder h = new Holder();
        int n = 0;
        n += tryIt(() -> System.out.println(h.next.v));
        n += tryIt(() -> h.next.v = 3);
        n += tryIt(() -> System.out.println(h.arr.length));
        n += tryIt(() -> h.arr[0] = 1);
        n += tryIt(() -> { Object o = null; o.hashCode(); });
        n += tryIt(() -> { Integer i = null; int x = i; });
        n += tryIt(() -> { throw null; });
        n += tryIt(() -> { String s = null; synchronized (s) { } });
        n += tryIt(() -> { String s = null; switch (s) { default: } });
        n += tryIt(() -> { int[][] a = new int[1][]; a[0][0] = 1; });
        System.out.println(n + " NPEs");
        Holder nul = null;
        System.out.println(nul instanceof Holder);
        Object cast = (Holder) nul;
        System.out.println(cast == null);
        System.out.println("null" + null + nul);
    }
}
