import java.util.*;

public class Enums {
    enum Color { RED, GREEN, BLUE }
    enum Op {
        ADD("+") { int apply(int a, int b) { return a + b; } },
        MUL("*") { int apply(int a, int b) { return a * b; } };
        final String sym;
        Op(String sym) { this.sym = sym; }
        abstract int apply(int a, int b);
    }
    interface Describe { String describe(); }
    enum Planet implements Describe {
        MERCURY(3.303e+23), EARTH(5.976e+24);
        private final double mass;
        Planet(double mass) { this.mass = mass; }
        public String describe() { return name().toLowerCase() + "=" + mass; }
    }
    static String sw(Color c) {
        switch (c) {
            case RED: return "r";
            case GREEN: return "g";
            default: return "other";
        }
    }
    public static void main(String[] args) {
        for (Color c : Color.values()) {
            System.out.println(c + " " + c.ordinal() + " " + c.name() + " " + sw(c) + " " + c.compareTo(Color.GREEN));
        }
        System.out.println(Color.valueOf("BLUE") == Color.BLUE);
        try {
            Color.valueOf("PURPLE");
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());
        }
        for (Op op : Op.values()) System.out.println(op + op.sym + op.apply(6, 7) + " " + op.getDeclaringClass().getName());
        for (Planet p : Planet.values()) System.out.println(p.describe());
        String r = switch (Color.GREEN) { case RED -> "R"; case GREEN -> "G"; case BLUE -> "B"; };
        System.out.println(r);
        Map<Color, Integer> counts = new TreeMap<>();
        counts.put(Color.BLUE, 3);
        counts.put(Color.RED, 1);
        System.out.println(counts);
        System.out.println(Color.RED.equals(Color.RED) + " " + Color.RED.getClass().getName());
    }
}
