import java.util.*;

public class CollHashMapOrder {
    public static void main(String[] args) {
        Map<String, Integer> m = new HashMap<>();
        String[] words = "the quick brown fox jumps over the lazy dog while seventeen zebras quietly eat ninety apples".split(" ");
        for (int i = 0; i < words.length; i++) m.merge(words[i], i, Integer::sum);
        System.out.println(m);
        System.out.println(m.keySet());
        System.out.println(m.values());
        m.remove("fox");
        m.put("aardvark", -1);
        for (Map.Entry<String, Integer> e : m.entrySet()) System.out.print(e.getKey() + "=" + e.getValue() + ";");
        System.out.println();
        Map<Integer, String> ints = new HashMap<>();
        for (int i = 0; i < 100; i += 7) ints.put(i * 31 - 400, "v" + i);
        System.out.println(ints);
        Set<Long> longs = new HashSet<>();
        for (long i = -5; i < 40; i += 3) longs.add(i * 1_000_000_007L);
        System.out.println(longs);
        Map<Object, Object> mixed = new HashMap<>();
        mixed.put(1.5, "d");
        mixed.put('c', "ch");
        mixed.put(true, "b");
        mixed.put(null, "null key");
        System.out.println(mixed + " " + mixed.get(null) + " " + mixed.containsKey(1.5) + " " + mixed.getOrDefault("x", "dflt"));
        Map<String, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < 20; i++) groups.computeIfAbsent(i % 3 == 0 ? "fizz" : i % 2 == 0 ? "even" : "odd", k -> new ArrayList<>()).add(i);
        System.out.println(groups);
        System.out.println(m.size() + " " + m.isEmpty() + " " + m.containsValue(3) + " " + m.hashCode());
    }
}
