public class ExcTypes {
    static void run(String name, Runnable r) {
        try {
            r.run();
            System.out.println(name + ": no exception");
        } catch (RuntimeException e) {
            System.out.println(name + ": " + e.getClass().getName() + (e.getMessage() == null ? "" : ""));
        }
    }
    public static void main(String[] args) {
        run("npe field", () -> { String s = null; s.length(); });
        run("aioobe", () -> { int[] a = new int[2]; a[2] = 1; });
        run("negative size", () -> { int[] a = new int[-1]; });
        run("cce", () -> { Object o = "s"; Integer x = (Integer) o; });
        run("ase", () -> { Object[] a = new String[1]; a[0] = 1; });
        run("arith", () -> { int z = 0; int y = 5 / z; });
        run("sioobe", () -> "abc".charAt(5));
        run("nfe", () -> Integer.parseInt("12x"));
        run("uoe", () -> java.util.List.of(1).add(2));
        run("iae", () -> { throw new IllegalArgumentException("bad"); });
        run("none", () -> {});
        try {
            throw new Error("custom error");
        } catch (Error e) {
            System.out.println("error: " + e.getMessage());
        }
        try {
            Object o = new int[0];
            String[] s = (String[]) o;
        } catch (ClassCastException e) {
            System.out.println("array cce");
        }
    }
}
