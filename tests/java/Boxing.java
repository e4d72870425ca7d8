import java.util.*;

public class Boxing {
    static long sum(Integer... xs) {
        long s = 0;
        for (Integer x : xs) s += x;
        return s;
    }
    public static void main(String[] args) {
        Integer a = 127, b = 127, c = 128, d = 128;
        System.out.println((a == b) + " " + (c == d) + " " + c.equals(d));
        Long la = 127L, lb = 127L, lc = 1000L, ld = 1000L;
        System.out.println((la == lb) + " " + (lc == ld));
        Character ca = 'a', cb = 'a';
        Boolean t1 = true, t2 = Boolean.valueOf("TRUE");
        System.out.println((ca == cb) + " " + (t1 == t2) + " " + Boolean.parseBoolean("yes"));
        Short s1 = -128, s2 = -128;
        Byte b1 = 5, b2 = 5;
        System.out.println((s1 == s2) + " " + (b1 == b2));
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < 5; i++) list.add(i * i);
        int total = 0;
        for (int v : list) total += v;
        System.out.println(list + " " + total + " " + sum(1, 2, 3) + " " + sum());
        list.remove(Integer.valueOf(4));
        list.remove(0);
        System.out.println(list);
        Object o = 3.0f;
        System.out.println(o instanceof Float ? "float " + o : "other");
        double dd = (Integer) 5 + (Double) 2.5;
        System.out.println(dd);
        System.out.println(Integer.valueOf(42).hashCode() + " " + Long.valueOf(-1L).hashCode() + " " + Double.valueOf(1.5).hashCode() + " " + Boolean.TRUE.hashCode() + " " + Character.valueOf('x').hashCode() + " " + Float.valueOf(2.5f).hashCode());
        System.out.println(Integer.compare(3, 7) + " " + Long.signum(-9L) + " " + Integer.max(4, 9) + " " + Character.getNumericValue('7'));
    }
}
