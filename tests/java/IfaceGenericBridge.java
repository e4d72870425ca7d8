import java.util.*;
import java.util.function.*;

public class IfaceGenericBridge {
    interface Transformer<A, B> { B apply(A a); default <C> Transformer<A, C> then(Transformer<B, C> next) { return a -> next.apply(apply(a)); } }
    static class Length implements Transformer<String, Integer> { public Integer apply(String s) { return s.length(); } }
    static abstract class Animal { abstract Animal self(); String kind() { return "animal"; } }
    static class Dog extends Animal { @Override Dog self() { return this; } @Override String kind() { return "dog"; } void bark() { System.out.println("woof from covariant return"); } }
    static class Box<T extends Comparable<T>> implements Comparable<Box<T>> {
        final T v;
        Box(T v) { this.v = v; }
        public int compareTo(Box<T> o) { return v.compareTo(o.v); }
        public String toString() { return "Box(" + v + ")"; }
    }
    public static void main(String[] args) {
        Transformer<String, Integer> len = new Length();
        Transformer<String, String> desc = len.then(n -> n % 2 == 0 ? "even" : "odd");
        System.out.println(desc.apply("four") + " " + desc.apply("three"));
        @SuppressWarnings({"rawtypes", "unchecked"})
        Transformer raw = len;
        System.out.println(raw.apply("raw call"));
        try {
            raw.apply(42);
        } catch (ClassCastException e) {
            System.out.println("bridge cast failed");
        }
        new Dog().self().bark();
        Animal a = new Dog();
        System.out.println(a.self().kind());
        List<Box<String>> boxes = new ArrayList<>(List.of(new Box<>("m"), new Box<>("a"), new Box<>("z")));
        Collections.sort(boxes);
        System.out.println(boxes + " " + Collections.max(boxes));
        Function<Object, String> f = String::valueOf;
        Function<String, Object> g = f::apply;
        System.out.println(g.apply("x") + f.apply(3));
    }
}
