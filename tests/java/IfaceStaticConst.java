public class IfaceStaticConst {
    interface Config {
        int LIMIT = 10;
        String NAME = "cfg" + LIMIT;
        int[] TABLE = build();
        static int[] build() { System.out.println("building TABLE"); return new int[] {1, 2, 3}; }
        static Config defaults() { return () -> LIMIT * 2; }
        int value();
    }
    static class Impl implements Config { public int value() { return TABLE.length; } }
    public static void main(String[] args) {
        System.out.println(Config.LIMIT + " " + Config.NAME);
        System.out.println("before impl");
        Config c = new Impl();
        System.out.println("after impl " + c.value());
        System.out.println(Config.defaults().value());
    }
}
