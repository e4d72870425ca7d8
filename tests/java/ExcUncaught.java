public class ExcUncaught {
    static void level3(int x) {
        if (x > 2) throw new IllegalStateException("level3 failed with " + x);
    }
    static void level2(int x) {
        try {
            level3(x);
        } catch (IllegalStateException e) {
            throw new RuntimeException("wrapped", e);
        }
    }
    public static void main(String[] args) {
        System.out.println("before");
        level2(5);
        System.out.println("not reached");
    }
}
