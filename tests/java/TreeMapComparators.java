import java.util.*;

public class TreeMapComparators {
    record Emp(String name, String dept, int salary) {}
    public static void main(String[] args) {
        List<Emp> emps = List.of(new Emp("ann", "eng", 120), new Emp("bob", "ops", 90), new Emp("cid", "eng", 110),
            new Emp("dee", "ops", 95), new Emp("eve", "sec", 130), new Emp("fay", "eng", 120));
        TreeMap<Emp, String> bySalary = new TreeMap<>(Comparator.comparingInt(Emp::salary).reversed().thenComparing(Emp::name));
        for (Emp e : emps) bySalary.put(e, e.dept());
        System.out.println(bySalary.keySet());
        Map<String, List<String>> byDept = new TreeMap<>(Comparator.reverseOrder());
        for (Emp e : emps) byDept.computeIfAbsent(e.dept(), k -> new ArrayList<>()).add(e.name());
        System.out.println(byDept);
        TreeSet<String> ci = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        ci.addAll(List.of("b", "A", "a", "C", "B"));
        System.out.println(ci + " " + ci.contains("c"));
        TreeMap<String, Integer> nulls = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        nulls.put("z", 1);
        nulls.put(null, 0);
        nulls.put("a", 2);
        System.out.println(nulls + " " + nulls.firstKey());
        NavigableMap<Integer, String> nm = new TreeMap<>();
        for (int i = 0; i < 50; i += 5) nm.put(i, "v" + i);
        System.out.println(nm.subMap(10, true, 30, false) + " " + nm.headMap(15, true).size() + " " + nm.ceilingEntry(22) + " " + nm.floorEntry(-1));
    }
}
