import java.util.*;

public class LangInnerClasses {
    private int count = 0;
    class Incrementer {
        int step;
        Incrementer(int step) { this.step = step; }
        void go() { count += step; }
    }
    interface Greeter { String greet(String who); }
    Greeter make(String greeting) {
        class Local implements Greeter {
            public String greet(String who) { return greeting + ", " + who + " (" + count + ")"; }
        }
        return new Local();
    }
    static Iterator<Integer> range(int from, int to) {
        return new Iterator<>() {
            int next = from;
            public boolean hasNext() { return next < to; }
            public Integer next() { return next++; }
        };
    }
    static class Outer { class Mid { class In { String path() { return "Outer.Mid.In"; } } } }
    public static void main(String[] args) {
        LangInnerClasses o = new LangInnerClasses();
        LangInnerClasses.Incrementer a = o.new Incrementer(2);
        Incrementer b = o.new Incrementer(5);
        a.go(); b.go(); a.go();
        System.out.println(o.count);
        System.out.println(o.make("Hi").greet("you"));
        Iterator<Integer> it = range(3, 7);
        StringBuilder sb = new StringBuilder();
        while (it.hasNext()) sb.append(it.next());
        System.out.println(sb);
        System.out.println(new Outer().new Mid().new In().path());
        Comparator<String> rev = new Comparator<>() {
            public int compare(String x, String y) { return y.compareTo(x); }
        };
        List<String> l = new ArrayList<>(List.of("b", "c", "a"));
        l.sort(rev);
        System.out.println(l);
        Object anon = new Object() { int hidden = 7; @Override public String toString() { return "anon" + hidden; } };
        System.out.println(anon);
    }
}
