public class InitError {
    static class Bad {
        static int value = compute();
        static int compute() {
            if (true) throw new IllegalStateException("cannot init");
            return 1;
        }
    }
    static class Cycle1 {
        static int v = Cycle2.v + 1;
    }
    static class Cycle2 {
        static int v = Cycle1.v + 10;
    }
    public static void main(String[] args) {
        try {
            System.out.println(Bad.value);
        } catch (ExceptionInInitializerError e) {
            System.out.println("EIIE cause: " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage());
        }
        try {
            System.out.println(Bad.value);
        } catch (NoClassDefFoundError e) {
            System.out.println("second access: NoClassDefFoundError");
        }
        System.out.println(Cycle1.v + " " + Cycle2.v);
    }
}
