public class LangPolymorphism {
    static abstract class Shape {
        static int created = 0;
        final String id;
        Shape() { id = getClass().getName().replace("LangPolymorphism$", "") + "#" + (++created); }
        abstract double area();
        String describe() { return id + " area=" + area(); }
    }
    static class Rect extends Shape {
        final double w, h;
        Rect(double w, double h) { this.w = w; this.h = h; }
        double area() { return w * h; }
    }
    static class Square extends Rect {
        Square(double s) { super(s, s); }
        @Override
        String describe() { return "square " + super.describe(); }
    }
    static class Circle extends Shape {
        final double r;
        Circle(double r) { this.r = r; }
        double area() { return 3.0 * r * r; }
    }
    static class Parent { String name = "parent"; static String s() { return "Parent.s"; } String get() { return name; } }
    static class Child extends Parent { String name = "child"; static String s() { return "Child.s"; } String get() { return name + "/" + super.name; } }
    static String over(Object o) { return "Object"; }
    static String over(String s) { return "String"; }
    static String over(Integer i) { return "Integer"; }
    static String over(long l) { return "long"; }
    static String over(int... xs) { return "varargs" + xs.length; }
    public static void main(String[] args) {
        Shape[] shapes = {new Rect(2, 3), new Square(4), new Circle(1)};
        double total = 0;
        for (Shape s : shapes) { System.out.println(s.describe()); total += s.area(); }
        System.out.println("total " + total + " created " + Shape.created);
        Parent p = new Child();
        System.out.println(p.name + " " + p.get() + " " + ((Child) p).name + " " + Parent.s() + " " + Child.s());
        System.out.println(over("x") + over(1) + over(1L) + over((Object) "x") + over() + over(1, 2) + over(Integer.valueOf(3)));
        Object o = shapes[1];
        System.out.println((o instanceof Rect) + " " + (o instanceof Square) + " " + (o instanceof Circle) + " " + (o instanceof Shape));
        if (o instanceof Rect r && r.w > 3) System.out.println("pattern " + r.w);
    }
}
