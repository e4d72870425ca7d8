import java.util.function.*;

public class LambdaCapture {
    int field = 10;
    IntSupplier fromThis() { return () -> field * 2; }
    static Function<Integer, Function<Integer, Integer>> adder() { return a -> b -> a + b; }
    public static void main(String[] args) {
        int local = 5;
        String s = "captured";
        Supplier<String> sup = () -> s + local;
        System.out.println(sup.get());
        LambdaCapture o = new LambdaCapture();
        IntSupplier is = o.fromThis();
        o.field = 21;
        System.out.println(is.getAsInt());
        System.out.println(adder().apply(3).apply(4));
        BiFunction<Integer, Integer, Integer> mul = (a, b) -> a * b;
        Function<Integer, Integer> sq = x -> mul.apply(x, x);
        System.out.println(sq.andThen(x -> x + 1).compose((Integer x) -> x * 2).apply(3));
        Runnable[] rs = new Runnable[3];
        for (int i = 0; i < 3; i++) {
            final int j = i;
            rs[i] = () -> System.out.println("runnable " + j);
        }
        for (Runnable r : rs) r.run();
        Predicate<String> empty = String::isEmpty;
        System.out.println(empty.negate().test("") + " " + empty.or(x -> x.length() > 3).test("long"));
        UnaryOperator<String> up = String::toUpperCase;
        BinaryOperator<Integer> max = BinaryOperator.maxBy(Integer::compare);
        System.out.println(up.apply("abc") + " " + max.apply(3, 9));
        Supplier<Supplier<Supplier<String>>> nested = () -> () -> () -> "deep " + local + s;
        System.out.println(nested.get().get().get());
    }
}
