import java.util.*;

public class CollLinkedTree {
    public static void main(String[] args) {
        LinkedHashMap<String, Integer> lhm = new LinkedHashMap<>();
        for (String s : "delta alpha charlie bravo alpha echo".split(" ")) lhm.merge(s, 1, Integer::sum);
        System.out.println(lhm);
        LinkedHashMap<Integer, Integer> lru = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Integer> e) { return size() > 3; }
        };
        for (int i = 0; i < 5; i++) { lru.put(i, i); lru.get(i - 1); }
        System.out.println(lru);
        TreeMap<String, Integer> tm = new TreeMap<>(lhm);
        tm.put("zulu", 26);
        System.out.println(tm + " first=" + tm.firstKey() + " last=" + tm.lastEntry() + " floor(c)=" + tm.floorKey("c") + " ceiling(c)=" + tm.ceilingKey("c"));
        System.out.println(tm.headMap("charlie") + " " + tm.tailMap("delta") + " " + tm.descendingMap());
        TreeMap<Integer, String> byNum = new TreeMap<>(Comparator.reverseOrder());
        for (int i = 0; i < 10; i++) byNum.put(i * i % 17, "s" + i);
        System.out.println(byNum + " " + byNum.pollFirstEntry() + " " + byNum.higherKey(9) + " " + byNum.lowerKey(9));
        TreeSet<String> ts = new TreeSet<>(Arrays.asList("pear", "apple", "fig", "apple", "kiwi"));
        System.out.println(ts + " " + ts.first() + " " + ts.headSet("kiwi") + " " + ts.descendingSet() + " " + ts.pollLast());
        LinkedHashSet<Integer> lhs = new LinkedHashSet<>(List.of(5, 3, 9));
        lhs.add(3);
        lhs.add(1);
        System.out.println(lhs);
        Random r = new Random(7);
        TreeMap<Integer, Integer> big = new TreeMap<>();
        for (int i = 0; i < 5000; i++) { int k = r.nextInt(1000); if (i % 3 == 0) big.remove(k); else big.put(k, i); }
        System.out.println(big.size() + " " + big.firstKey() + " " + big.lastKey() + " " + big.get(500));
    }
}
