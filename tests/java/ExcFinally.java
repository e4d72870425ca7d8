public class ExcFinally {
    static int depth = 0;
    static int f(int n) {
        try {
            if (n == 0) throw new IllegalStateException("bottom");
            return f(n - 1) + 1;
        } finally {
            depth++;
        }
    }
    @SuppressWarnings("finally")
    static int overrides() {
        try {
            return 1;
        } finally {
            return 2;
        }
    }
    static String order() {
        StringBuilder sb = new StringBuilder();
        try {
            try {
                sb.append("a");
                throw new RuntimeException("x");
            } catch (RuntimeException e) {
                sb.append("b");
                throw new IllegalArgumentException("y", e);
            } finally {
                sb.append("c");
            }
        } catch (IllegalArgumentException e) {
            sb.append("d:").append(e.getMessage()).append(":").append(e.getCause().getMessage());
        } finally {
            sb.append("e");
        }
        return sb.toString();
    }
    public static void main(String[] args) {
        try {
            f(10);
        } catch (IllegalStateException e) {
            System.out.println("caught " + e.getMessage() + " after " + depth + " finally blocks");
        }
        System.out.println(overrides());
        System.out.println(order());
        int i = 0;
        while (true) {
            try {
                if (i++ > 3) break;
                continue;
            } finally {
                System.out.println("finally " + i);
            }
        }
    }
}
