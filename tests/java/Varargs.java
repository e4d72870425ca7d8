import java.util.*;

public class Varargs {
    static String join(String sep, Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) { if (i > 0) sb.append(sep); sb.append(parts[i]); }
        return sb.toString() + " (" + parts.length + ")";
    }
    static int count(int... xs) { return xs.length; }
    static <T> List<T> listOf(T... xs) { return new ArrayList<>(Arrays.asList(xs)); }
    public static void main(String[] args) {
        System.out.println(join(",", 1, "two", 3.0, 'c', null));
        System.out.println(join("-"));
        System.out.println(join("+", (Object[]) new String[] {"a", "b"}));
        System.out.println(join("+", (Object) new String[] {"a", "b"}).endsWith("(1)"));
        System.out.println(count() + count(1) + count(1, 2, 3) + count(new int[] {4, 5}));
        List<Integer> l = listOf(3, 1, 2);
        l.add(0);
        System.out.println(l + " " + String.format("%s-%s", "x", "y") + " " + Arrays.asList(1, 2, 3).size());
    }
}
