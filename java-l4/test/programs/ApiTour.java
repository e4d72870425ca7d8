import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.*;

/** Uses much of the library's API the way test programs do; must compile against java-l4. */
public class ApiTour {
    enum Suit { CLUBS, DIAMONDS, HEARTS, SPADES; Suit next() { return values()[(ordinal() + 1) % 4]; } }

    record Pair<A, B>(A first, B second) {
        Pair {
            Objects.requireNonNull(first);
        }
    }

    sealed interface Shape permits Circle, Square {}
    record Circle(double r) implements Shape {}
    record Square(double s) implements Shape {}

    static double area(Shape s) {
        if (s instanceof Circle c) {
            return Math.PI * c.r() * c.r();
        }
        return ((Square) s).s() * ((Square) s).s();
    }

    static String kind(Object o) {
        return switch (o.getClass().getSimpleName()) {
            case "Integer" -> "int";
            case "String" -> "str";
            default -> "other";
        };
    }

    public static void main(String[] args) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append(1).append('a').append(2L).append(1.5f).append(2.5).append(true).append((Object) null).insert(0, "x")
                .reverse().setLength(3);
        System.out.println(sb + " " + sb.length() + " " + sb.indexOf("a"));
        String s = "  Hello, World  ";
        System.out.println(s.trim().toUpperCase() + s.strip().toLowerCase(Locale.ROOT) + s.isBlank());
        System.out.println(String.join("|", List.of("a", "b")) + String.format("%08.3f %s %,d", 3.14159, Suit.HEARTS, 1234567));
        System.out.println(Arrays.toString("a,b,,c".split(",")) + " " + "x1y22z".replaceAll("\\d+", "#") + " " + "abc".matches("[a-c]+"));
        byte[] utf8 = "héllo €".getBytes(StandardCharsets.UTF_8);
        System.out.println(utf8.length + " " + new String(utf8, StandardCharsets.UTF_8) + " " + "héllo".getBytes("ISO-8859-1").length);
        Map<String, List<Integer>> groups = new TreeMap<>(Comparator.reverseOrder());
        for (int i = 0; i < 10; i++) {
            groups.computeIfAbsent(i % 2 == 0 ? "even" : "odd", k -> new ArrayList<>()).add(i);
        }
        groups.forEach((k, v) -> System.out.println(k + "=" + v));
        Deque<Integer> dq = new ArrayDeque<>();
        dq.push(1);
        dq.offerLast(2);
        PriorityQueue<String> pq = new PriorityQueue<>(Comparator.comparing(String::length).thenComparing(Comparator.naturalOrder()));
        pq.addAll(List.of("ccc", "a", "bb", "aa"));
        List<String> drained = new ArrayList<>();
        while (!pq.isEmpty()) {
            drained.add(pq.poll());
        }
        System.out.println(dq + " " + drained);
        EnumMap<Suit, Integer> em = new EnumMap<>(Suit.class);
        em.put(Suit.SPADES, 1);
        EnumSet<Suit> es = EnumSet.complementOf(EnumSet.of(Suit.CLUBS));
        System.out.println(em + " " + es + " " + Suit.valueOf("DIAMONDS").next() + " " + Suit.HEARTS.compareTo(Suit.CLUBS));
        Optional<String> first = drained.isEmpty() ? Optional.empty() : Optional.of(drained.get(0));
        AtomicInteger counter = new AtomicInteger();
        Runnable r = counter::incrementAndGet;
        r.run();
        BiFunction<Integer, Integer, Integer> add = Integer::sum;
        Supplier<List<String>> sup = ArrayList::new;
        UnaryOperator<String> up = String::toUpperCase;
        Predicate<String> empty = String::isEmpty;
        System.out.println(counter.get() + add.apply(2, 3) + sup.get().size() + up.apply("q") + empty.negate().test(""));
        System.out.println(new Pair<>("k", 2) + " " + area(new Circle(1)) + " " + kind(3) + kind("s") + kind(2.0));
        Random rnd = new Random(42);
        List<Integer> nums = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            nums.add(rnd.nextInt(100));
        }
        Collections.shuffle(nums, new Random(1));
        Collections.sort(nums);
        System.out.println(nums + " " + Collections.max(nums) + " " + Collections.frequency(nums, 3) + " " + Collections.nCopies(2, "z"));
        int[] arr = {3, 1, 2};
        Arrays.sort(arr);
        int[][] grid = new int[2][3];
        grid[1][2] = 5;
        System.out.println(Arrays.toString(arr) + Arrays.deepToString(grid) + Arrays.binarySearch(arr, 2) + Arrays.asList(1, 2).contains(2));
        System.out.println(Integer.toBinaryString(10) + Integer.toHexString(-1) + Long.parseLong("-9") + Double.parseDouble("1e3")
                + Integer.MAX_VALUE + Character.isDigit('5') + Character.toUpperCase('q') + Integer.valueOf(127).equals(127)
                + Math.floorMod(-7, 3) + Math.abs(-2.5) + Math.max(1, 2) + Math.sqrt(2) + Math.pow(2, 10) + StrictMath.sin(1));
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        pw.printf("%d-%s%n", 1, "x");
        pw.flush();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bos, true, "UTF-8");
        ps.print('c');
        System.out.print(sw + bos.toString() + System.lineSeparator());
        try {
            Object o = List.of(1).get(5);
        } catch (IndexOutOfBoundsException e) {
            System.out.println(e.getMessage());
        } finally {
            System.out.println("finally");
        }
        try (ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {1, 2})) {
            System.out.println(in.read() + in.read() + in.read());
        }
        Iterator<Map.Entry<String, List<Integer>>> it = groups.entrySet().iterator();
        it.next();
        it.remove();
        StringJoiner j = new StringJoiner(", ", "[", "]");
        j.add("a").add("b");
        System.out.println(groups.keySet() + " " + j + " " + Objects.hash(1, 2) + " " + Objects.equals(null, null)
                + " " + new HashSet<>(List.of(3, 1, 2)) + " " + new LinkedHashMap<>(Map.of("k", 1)) + " " + first);
        long t0 = System.nanoTime();
        long ms = System.currentTimeMillis();
        System.out.println(System.identityHashCode(null) + " " + (System.nanoTime() >= t0) + (ms > 0));
        Thread t = new Thread(() -> {});
        try {
            t.start();
        } catch (UnsupportedOperationException e) {
            System.out.println(e.getMessage() + " " + Thread.currentThread().getName());
        }
        new RuntimeException("boom", new IllegalStateException("cause")).printStackTrace();
        System.exit(3);
    }
}
