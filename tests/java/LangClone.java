import java.util.*;

public class LangClone {
    static class Point implements Cloneable {
        int x, y;
        int[] tags = {1, 2};
        Point(int x, int y) { this.x = x; this.y = y; }
        @Override
        public Point clone() {
            try {
                return (Point) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
    static class NotCloneable {
        Object tryClone() throws CloneNotSupportedException { return super.clone(); }
    }
    static class Key {
        final String a; final int b;
        Key(String a, int b) { this.a = a; this.b = b; }
        @Override public boolean equals(Object o) { return o instanceof Key k && k.a.equals(a) && k.b == b; }
        @Override public int hashCode() { return Objects.hash(a, b); }
        @Override public String toString() { return a + b; }
    }
    public static void main(String[] args) {
        Point p = new Point(1, 2);
        Point q = p.clone();
        q.x = 10;
        q.tags[0] = 99;
        System.out.println(p.x + " " + q.x + " " + p.tags[0] + " " + (p.tags == q.tags) + " " + (p != q));
        try {
            new NotCloneable().tryClone();
        } catch (CloneNotSupportedException e) {
            System.out.println("CloneNotSupportedException " + e.getMessage());
        }
        Map<Key, Integer> m = new HashMap<>();
        m.put(new Key("x", 1), 1);
        m.put(new Key("x", 1), 2);
        m.put(new Key("y", 2), 3);
        System.out.println(m.size() + " " + m.get(new Key("x", 1)) + " " + new Key("q", 5).hashCode());
        int[][] grid = {{1, 2}, {3}};
        int[][] g2 = grid.clone();
        g2[1] = new int[] {7};
        System.out.println(grid[1][0] + " " + g2[1][0] + " " + (grid[0] == g2[0]));
    }
}
