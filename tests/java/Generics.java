import java.util.*;

public class Generics {
    static abstract class Animal implements Comparable<Animal> {
        abstract String sound();
        public int compareTo(Animal o) { return sound().compareTo(o.sound()); }
        public String toString() { return getClass().getSimpleName() + "(" + sound() + ")"; }
    }
    static class Dog extends Animal { String sound() { return "woof"; } }
    static class Cat extends Animal { String sound() { return "meow"; } }
    static class Node<T extends Comparable<T>> {
        T value;
        Node<T> left, right;
        Node(T v) { value = v; }
        void insert(T v) {
            if (v.compareTo(value) < 0) { if (left == null) left = new Node<>(v); else left.insert(v); }
            else { if (right == null) right = new Node<>(v); else right.insert(v); }
        }
        void inorder(StringBuilder sb) {
            if (left != null) left.inorder(sb);
            sb.append(value).append(' ');
            if (right != null) right.inorder(sb);
        }
    }
    interface Source<T> { T next(); }
    static class Counter implements Source<Integer> {
        int n;
        public Integer next() { return n++; }
    }
    static <T extends Comparable<? super T>> T max(List<? extends T> xs) {
        T best = xs.get(0);
        for (T x : xs) if (x.compareTo(best) > 0) best = x;
        return best;
    }
    public static void main(String[] args) {
        Node<Integer> root = new Node<>(50);
        for (int v : new int[] {30, 70, 20, 40, 60, 80, 35}) root.insert(v);
        StringBuilder sb = new StringBuilder();
        root.inorder(sb);
        System.out.println(sb.toString().trim());
        Source<Integer> s = new Counter();
        s.next();
        System.out.println(s.next() + s.next());
        List<Animal> zoo = new ArrayList<>(List.of(new Dog(), new Cat(), new Dog()));
        Collections.sort(zoo);
        System.out.println(zoo + " max=" + max(zoo));
        System.out.println(max(Arrays.asList(3, 9, 2)) + " " + max(Arrays.asList("pear", "apple")));
    }
}
