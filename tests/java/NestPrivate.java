public class NestPrivate {
    private int secret = 41;
    private static String hidden() { return "hidden"; }
    class Inner {
        private int innerSecret = 1;
        int peek() { return secret + innerSecret; }
    }
    static class Nested {
        private String tag = "nested";
        String call(NestPrivate o) { o.secret++; return hidden() + o.secret; }
    }
    public static void main(String[] args) {
        NestPrivate o = new NestPrivate();
        Inner i = o.new Inner();
        System.out.println(i.peek() + " " + i.innerSecret);
        Nested n = new Nested();
        System.out.println(n.call(o) + " " + n.tag);
        Runnable r = () -> System.out.println("lambda sees " + o.secret + hidden());
        r.run();
        Object anon = new Object() {
            @Override
            public String toString() { return "anon " + o.secret; }
        };
        System.out.println(anon);
    }
}
