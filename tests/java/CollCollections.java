import java.util.*;

public class CollCollections {
    public static void main(String[] args) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < 20; i++) l.add(i);
        Collections.shuffle(l, new Random(99));
        System.out.println(l);
        Collections.sort(l);
        System.out.println(Collections.binarySearch(l, 13) + " " + Collections.binarySearch(l, 100));
        Collections.swap(l, 0, 19);
        Collections.rotate(l, 3);
        System.out.println(l);
        System.out.println(Collections.frequency(List.of(1, 2, 1, 1), 1) + " " + Collections.singletonList("s") + " " + Collections.emptyMap() + " " + Collections.singleton(5));
        String[] arr = {"banana", "Apple", "cherry", "apple", "Banana"};
        Arrays.sort(arr);
        System.out.println(Arrays.toString(arr));
        Arrays.sort(arr, String.CASE_INSENSITIVE_ORDER);
        System.out.println(Arrays.toString(arr));
        Integer[] boxed = {5, 3, 5, 1, 3};
        Arrays.sort(boxed, Collections.reverseOrder());
        System.out.println(Arrays.toString(boxed) + " " + Arrays.asList(boxed).indexOf(3));
        record P(String k, int v) {}
        List<P> ps = new ArrayList<>();
        for (int i = 0; i < 12; i++) ps.add(new P("k" + (i % 4), i));
        ps.sort(Comparator.comparing(P::k));
        System.out.println(ps);
        int[] nums = {9, -3, 5, 0, -3, 12};
        Arrays.sort(nums);
        System.out.println(Arrays.toString(nums) + " " + Arrays.binarySearch(nums, 5));
        StringJoiner sj = new StringJoiner(", ", "{", "}");
        sj.setEmptyValue("EMPTY");
        System.out.println(sj);
        sj.add("a").add("b");
        System.out.println(sj + " " + sj.length());
        System.out.println(Objects.equals(null, null) + " " + Objects.hash(1, "a", null) + " " + Objects.requireNonNullElse(null, "dflt") + " " + Objects.toString(null, "nil") + " " + Objects.isNull(null));
        Optional<String> o = Optional.of("val");
        System.out.println(o.map(String::toUpperCase).orElse("none") + " " + Optional.empty().isPresent() + " " + Optional.ofNullable(null).orElseGet(() -> "got") + " " + o);
        try { Objects.requireNonNull(null, "must not be null"); } catch (NullPointerException e) { System.out.println(e.getMessage()); }
    }
}
