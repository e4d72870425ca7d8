public class IfaceDiamond {
    interface Top { default String m() { return "Top"; } }
    interface L extends Top { }
    interface R extends Top { default String m() { return "R"; } }
    static class D implements L, R { }
    interface A { default String x() { return "A"; } }
    interface B extends A { default String x() { return "B"; } }
    static class C implements A, B { }
    static class Sup { public String x() { return "Sup"; } }
    static class E extends Sup implements B { }
    interface Shape { double area(); default String describe() { return getClass().getSimpleName() + " " + area(); } }
    record Square(double s) implements Shape { public double area() { return s * s; } }
    public static void main(String[] args) {
        System.out.println(new D().m());
        System.out.println(new C().x());
        System.out.println(new E().x());
        Top t = new D();
        System.out.println(t.m());
        A a = new E();
        System.out.println(a.x());
        System.out.println(new Square(1.5).area());
    }
}
