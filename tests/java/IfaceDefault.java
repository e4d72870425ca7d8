public class IfaceDefault {
    interface Named {
        String name();
        default String greet() { return "Hello, " + name() + helper(); }
        private String helper() { return "!"; }
        static Named of(String n) { return () -> n; }
    }
    interface Loud extends Named {
        @Override
        default String greet() { return Named.super.greet().toUpperCase(); }
    }
    interface Left { default String who() { return "left"; } }
    interface Right { default String who() { return "right"; } }
    static class Both implements Left, Right {
        public String who() { return Left.super.who() + "+" + Right.super.who(); }
    }
    static class Person implements Loud {
        public String name() { return "ada"; }
    }
    interface Counter { int count(); default int twice() { return 2 * count(); } }
    static abstract class Base implements Counter { public int count() { return 3; } }
    static class Derived extends Base { public int twice() { return 100 + super.twice(); } }
    public static void main(String[] args) {
        System.out.println(Named.of("bob").greet());
        System.out.println(new Person().greet());
        System.out.println(new Both().who());
        Counter c = new Derived();
        System.out.println(c.twice());
        Counter d = new Base() {};
        System.out.println(d.twice());
    }
}
