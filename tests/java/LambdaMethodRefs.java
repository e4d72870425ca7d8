import java.util.*;
import java.util.function.*;

public class LambdaMethodRefs {
    static int twice(int x) { return 2 * x; }
    String prefix = "p:";
    String addPrefix(String s) { return prefix + s; }
    record Box(String v) {}
    public static void main(String[] args) {
        IntUnaryOperator st = LambdaMethodRefs::twice;
        System.out.println(st.applyAsInt(21));
        LambdaMethodRefs o = new LambdaMethodRefs();
        Function<String, String> bound = o::addPrefix;
        System.out.println(bound.apply("x"));
        Function<String, Integer> unbound = String::length;
        System.out.println(unbound.apply("four"));
        Function<String, Box> ctor = Box::new;
        System.out.println(ctor.apply("boxed"));
        IntFunction<int[]> arr = int[]::new;
        System.out.println(arr.apply(4).length);
        Supplier<ArrayList<String>> listMaker = ArrayList::new;
        ArrayList<String> l = listMaker.get();
        l.add("b");
        l.add("a");
        l.add("c");
        l.sort(Comparator.naturalOrder());
        System.out.println(l);
        l.sort(Comparator.reverseOrder());
        System.out.println(l);
        BiFunction<String, String, Boolean> eq = String::equals;
        System.out.println(eq.apply("a", "a"));
        ToIntFunction<Integer> unbox = Integer::intValue;
        Function<Integer, String> toStr = Object::toString;
        System.out.println(unbox.applyAsInt(77) + toStr.apply(5));
        Comparator<String> byLen = Comparator.comparing(String::length);
        List<String> words = new ArrayList<>(List.of("ccc", "a", "bb", "dd"));
        words.sort(byLen.thenComparing(Comparator.reverseOrder()));
        System.out.println(words);
        Consumer<String> printer = System.out::println;
        printer.accept("via System.out::println");
    }
}
