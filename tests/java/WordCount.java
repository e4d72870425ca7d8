import java.util.*;

public class WordCount {
    public static void main(String[] args) {
        String text = "It was the best of times it was the worst of times it was the age of wisdom it was the age of foolishness "
            + "it was the epoch of belief it was the epoch of incredulity it was the season of Light it was the season of Darkness";
        Map<String, Integer> counts = new HashMap<>();
        for (String w : text.toLowerCase().split(" ")) counts.merge(w, 1, Integer::sum);
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < 8; i++) System.out.println(entries.get(i).getKey() + " " + entries.get(i).getValue());
        TreeMap<Integer, List<String>> byLen = new TreeMap<>();
        for (String w : counts.keySet()) byLen.computeIfAbsent(w.length(), k -> new ArrayList<>()).add(w);
        for (List<String> l : byLen.values()) Collections.sort(l);
        System.out.println(byLen);
    }
}
