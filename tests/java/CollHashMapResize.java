import java.util.*;

public class CollHashMapResize {
    public static void main(String[] args) {
        HashMap<Integer, Integer> m = new HashMap<>();
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            int k = r.nextInt(5000) - 2500;
            if (r.nextInt(4) == 0) m.remove(k); else m.put(k, i);
        }
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Integer k : m.keySet()) {
            if (n++ % 37 == 0) sb.append(k).append(' ');
        }
        System.out.println(m.size() + ": " + sb);
        Set<String> s = new HashSet<>();
        for (int i = 0; i < 300; i++) s.add("k" + (i * 7919 % 1000));
        Iterator<String> it = s.iterator();
        for (int i = 0; i < 15; i++) System.out.print(it.next() + " ");
        System.out.println();
        // Colliding hash codes: "Aa" and "BB" share a hash.
        Map<String, Integer> col = new HashMap<>();
        String[] parts = {"Aa", "BB"};
        for (int i = 0; i < 64; i++) {
            StringBuilder k = new StringBuilder();
            for (int b = 0; b < 6; b++) k.append(parts[(i >> b) & 1]);
            col.put(k.toString(), i);
        }
        System.out.println(col.size() + " " + col.get("AaBBAaBBAaBB") + " " + col.keySet().iterator().next());
        try {
            for (Integer k : m.keySet()) m.put(k + 100000, 0);
        } catch (ConcurrentModificationException e) {
            System.out.println("CME");
        }
    }
}
