import java.util.*;

public class Records {
    record Point(int x, int y) {
        Point {
            if (x < 0) throw new IllegalArgumentException("negative x");
        }
        Point scale(int k) { return new Point(x * k, y * k); }
        static Point origin() { return new Point(0, 0); }
    }
    record Named(String name, double weight, long id, boolean flag, char c, Object any) {}
    record Empty() {}
    record Gen<T>(T value, List<T> more) {}
    public static void main(String[] args) {
        Point p = new Point(3, 4);
        System.out.println(p + " " + p.x() + " " + p.scale(2) + " " + Point.origin());
        System.out.println(p.equals(new Point(3, 4)) + " " + p.equals(new Point(4, 3)) + " " + p.equals(null));
        System.out.println(p.hashCode() + " " + new Point(0, 0).hashCode() + " " + new Point(1, -7).hashCode());
        Named n = new Named("w", 1.5, 99L, true, 'z', null);
        System.out.println(n);
        System.out.println(n.hashCode() == new Named("w", 1.5, 99L, true, 'z', null).hashCode());
        System.out.println(new Empty() + " " + new Empty().hashCode() + " " + new Empty().equals(new Empty()));
        System.out.println(new Gen<>("a", List.of("b", "c")));
        try {
            new Point(-1, 0);
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());
        }
        Map<Point, String> m = new HashMap<>();
        m.put(new Point(1, 1), "one");
        System.out.println(m.get(new Point(1, 1)));
    }
}
