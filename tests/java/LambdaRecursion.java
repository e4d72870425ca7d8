import java.util.*;
import java.util.function.*;

public class LambdaRecursion {
    interface SelfApply<T> extends Function<SelfApply<T>, T> {}
    static Map<Integer, Long> cache = new HashMap<>();
    static Function<Integer, Long> fibMemo;
    public static void main(String[] args) {
        fibMemo = n -> {
            if (n < 2) return (long) n;
            Long hit = cache.get(n);
            if (hit != null) return hit;
            long v = fibMemo.apply(n - 1) + fibMemo.apply(n - 2);
            cache.put(n, v);
            return v;
        };
        System.out.println(fibMemo.apply(80));
        Function<Function<IntUnaryOperator, IntUnaryOperator>, IntUnaryOperator> fix = f -> {
            IntUnaryOperator[] self = new IntUnaryOperator[1];
            self[0] = n -> f.apply(self[0]).applyAsInt(n);
            return self[0];
        };
        IntUnaryOperator fact = fix.apply(rec -> n -> n <= 1 ? 1 : n * rec.applyAsInt(n - 1));
        System.out.println(fact.applyAsInt(12));
        List<Supplier<Integer>> thunks = new ArrayList<>();
        for (int i = 0; i < 5; i++) { int k = i; thunks.add(() -> k * k); }
        int s = 0;
        for (Supplier<Integer> t : thunks) s += t.get();
        System.out.println(s);
        BiFunction<Integer, Integer, Integer> ack = new BiFunction<>() {
            public Integer apply(Integer m, Integer n) { return m == 0 ? n + 1 : n == 0 ? apply(m - 1, 1) : apply(m - 1, apply(m, n - 1)); }
        };
        System.out.println(ack.apply(2, 5));
    }
}
