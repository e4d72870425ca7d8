public class ExcPrintStackTrace {
    static void fail(int depth) {
        if (depth == 0) throw new IllegalArgumentException("deep failure");
        fail(depth - 1);
    }
    public static void main(String[] args) {
        try {
            fail(3);
        } catch (IllegalArgumentException e) {
            e.printStackTrace();
        }
        try {
            try {
                fail(1);
            } catch (IllegalArgumentException e) {
                throw new RuntimeException("wrapper", e);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
        Exception s = new Exception("with suppressed");
        s.addSuppressed(new IllegalStateException("hidden"));
        s.printStackTrace();
        System.err.println("done");
    }
}
