import java.util.*;

public class CollSetOps {
    public static void main(String[] args) {
        Set<Integer> a = new TreeSet<>(), b = new TreeSet<>();
        for (int i = 0; i < 20; i++) { if (i % 2 == 0) a.add(i); if (i % 3 == 0) b.add(i); }
        Set<Integer> union = new TreeSet<>(a); union.addAll(b);
        Set<Integer> inter = new TreeSet<>(a); inter.retainAll(b);
        Set<Integer> diff = new TreeSet<>(a); diff.removeAll(b);
        System.out.println(union + "\n" + inter + "\n" + diff + "\n" + a.containsAll(inter) + " " + b.containsAll(a));
        Set<String> hs = new HashSet<>(List.of("alpha", "beta", "gamma", "delta"));
        hs.removeIf(s -> s.contains("l"));
        System.out.println(new TreeSet<>(hs) + " " + hs.size());
        Map<String, Integer> m = new TreeMap<>(Map.of("a", 1, "b", 2, "c", 3));
        for (Map.Entry<String, Integer> e : m.entrySet()) e.setValue(e.getValue() * 10);
        m.replaceAll((k, v) -> v + k.length());
        m.putIfAbsent("d", 4);
        m.putIfAbsent("a", 99);
        m.compute("b", (k, v) -> v == null ? 0 : v * 2);
        m.computeIfPresent("c", (k, v) -> null);
        System.out.println(m);
        List<Integer> list = new ArrayList<>(List.of(5, 1, 4, 1, 5, 9, 2, 6));
        list.removeIf(x -> x < 3);
        list.replaceAll(x -> x * x);
        System.out.println(list + " " + list.lastIndexOf(25) + " " + list.containsAll(List.of(81, 36)));
        Iterator<Map.Entry<String, Integer>> it = m.entrySet().iterator();
        while (it.hasNext()) if (it.next().getKey().equals("a")) it.remove();
        System.out.println(m.keySet() + " " + m.values());
    }
}
