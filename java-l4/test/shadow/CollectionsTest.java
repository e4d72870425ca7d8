package shadowtest;

import java.util.SplittableRandom;

/**
 * The collections whose iteration order and results programs print: random operation
 * sequences on our classes and the JDK's, compared by their results and toString (which
 * walks the iteration order), including keys that collide so HashMap treeifies bins.
 */
public class CollectionsTest {
    /** A key with a chosen hash, comparable by id: many equal hashes make treeified bins. */
    static final class Key implements Comparable<Key> {
        final int id;
        final int hash;

        Key(int id, int hash) {
            this.id = id;
            this.hash = hash;
        }

        public int hashCode() {
            return hash;
        }

        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).id == id;
        }

        public int compareTo(Key o) {
            return Integer.compare(id, o.id);
        }

        public String toString() {
            return "k" + id;
        }
    }

    /** A colliding key that is not Comparable: HashMap falls back to tieBreakOrder. */
    static final class Plain {
        final int id;

        Plain(int id) {
            this.id = id;
        }

        public int hashCode() {
            return id % 3;
        }

        public boolean equals(Object o) {
            return o instanceof Plain && ((Plain) o).id == id;
        }

        public String toString() {
            return "p" + id;
        }
    }

    static Object key(SplittableRandom rnd, int kind, Object[] pool) {
        switch (kind) {
            case 0:
                return rnd.nextInt(200);
            case 1:
                return rnd.nextInt(100000);
            case 2:
                return "s" + rnd.nextInt(300);
            default:
                return pool[rnd.nextInt(pool.length)];
        }
    }

    public static void main(String[] args) {
        Check c = new Check("Collections");
        int rounds = Check.n(300);
        for (int round = 0; round < rounds; round++) {
            SplittableRandom rnd = new SplittableRandom(round);
            int kind = round % 5;
            Object[] pool = new Object[120];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = kind == 4 ? new Plain(i) : new Key(i, i % (1 + round % 7));
            }
            maps(c, rnd, kind, pool, round);
            sets(c, rnd, kind, pool, round);
            priorityQueues(c, rnd, round);
            lists(c, rnd, round);
            enumMaps(c, rnd, round);
        }
        c.done();
    }

    static void maps(Check c, SplittableRandom rnd, int kind, Object[] pool, int round) {
        int variant = round % 4;
        java.util.Map<Object, Object> jdk;
        shadow.java.util.Map<Object, Object> ours;
        switch (variant) {
            case 0:
                jdk = new java.util.HashMap<>();
                ours = new shadow.java.util.HashMap<>();
                break;
            case 1:
                jdk = new java.util.LinkedHashMap<>(16, 0.75f, true);
                ours = new shadow.java.util.LinkedHashMap<>(16, 0.75f, true);
                break;
            case 2:
                jdk = new java.util.HashMap<>(3, 0.5f);
                ours = new shadow.java.util.HashMap<>(3, 0.5f);
                break;
            default:
                jdk = kind == 4 ? new java.util.LinkedHashMap<>() : new java.util.TreeMap<>();
                ours = kind == 4 ? new shadow.java.util.LinkedHashMap<>() : new shadow.java.util.TreeMap<>();
        }
        String tag = "map round " + round + " variant " + variant + " op ";
        int ops = 100 + rnd.nextInt(900);
        for (int i = 0; i < ops; i++) {
            Object k = key(rnd, kind, pool);
            int v = rnd.nextInt(1000);
            int op = rnd.nextInt(12);
            String what = tag + i + " (" + op + ")";
            switch (op) {
                case 0: case 1: case 2:
                    c.eq(what, String.valueOf(jdk.put(k, v)), String.valueOf(ours.put(k, v)));
                    break;
                case 3:
                    c.eq(what, String.valueOf(jdk.remove(k)), String.valueOf(ours.remove(k)));
                    break;
                case 4:
                    c.eq(what, String.valueOf(jdk.get(k)), String.valueOf(ours.get(k)));
                    break;
                case 5:
                    c.eq(what, String.valueOf(jdk.merge(k, v, (a, b) -> (Integer) a + (Integer) b)),
                            String.valueOf(ours.merge(k, v, (a, b) -> (Integer) a + (Integer) b)));
                    break;
                case 6:
                    c.eq(what, String.valueOf(jdk.computeIfAbsent(k, x -> v)), String.valueOf(ours.computeIfAbsent(k, x -> v)));
                    break;
                case 7:
                    c.eq(what, String.valueOf(jdk.compute(k, (x, old) -> old == null ? v : null)),
                            String.valueOf(ours.compute(k, (x, old) -> old == null ? v : null)));
                    break;
                case 8:
                    c.eq(what, String.valueOf(jdk.putIfAbsent(k, v)), String.valueOf(ours.putIfAbsent(k, v)));
                    break;
                case 9: {
                    // remove a few through the iterator
                    java.util.Iterator<Object> a = jdk.keySet().iterator();
                    java.util.Iterator<Object> b2 = ours.keySet().iterator();
                    int skip = rnd.nextInt(5);
                    while (a.hasNext() && b2.hasNext()) {
                        c.eq(what + " iter", String.valueOf(a.next()), String.valueOf(b2.next()));
                        if (skip-- == 0) {
                            a.remove();
                            b2.remove();
                            break;
                        }
                    }
                    break;
                }
                case 10:
                    c.eq(what + " containsKey", jdk.containsKey(k), ours.containsKey(k));
                    c.eq(what + " size", jdk.size(), ours.size());
                    break;
                default:
                    if (rnd.nextInt(50) == 0) {
                        jdk.clear();
                        ours.clear();
                    }
                    c.eq(what + " getOrDefault", String.valueOf(jdk.getOrDefault(k, -1)), String.valueOf(ours.getOrDefault(k, -1)));
            }
        }
        c.eq(tag + "toString", jdk.toString(), ours.toString());
        c.eq(tag + "values", jdk.values().toString(), ours.values().toString());
        c.eq(tag + "hashCode", jdk.hashCode(), ours.hashCode());
        if (variant == 0) {
            // copies and their orders
            c.eq(tag + "copy", new java.util.HashMap<>(jdk).toString(), new shadow.java.util.HashMap<>(ours).toString());
            java.util.HashMap<Object, Object> j2 = new java.util.HashMap<>(4);
            shadow.java.util.HashMap<Object, Object> o2 = new shadow.java.util.HashMap<>(4);
            j2.putAll(jdk);
            o2.putAll(ours);
            c.eq(tag + "putAll", j2.toString(), o2.toString());
            c.eq(tag + "clone", ((java.util.HashMap<?, ?>) jdk).clone().toString(),
                    ((shadow.java.util.HashMap<?, ?>) ours).clone().toString());
        }
        if (jdk instanceof java.util.TreeMap && !jdk.isEmpty()) {
            java.util.TreeMap<Object, Object> tj = (java.util.TreeMap<Object, Object>) jdk;
            shadow.java.util.TreeMap<Object, Object> to = (shadow.java.util.TreeMap<Object, Object>) ours;
            for (int i = 0; i < 20; i++) {
                Object k = key(rnd, kind, pool);
                c.eq(tag + "floorKey", String.valueOf(tj.floorKey(k)), String.valueOf(to.floorKey(k)));
                c.eq(tag + "ceilingEntry", String.valueOf(tj.ceilingEntry(k)), String.valueOf(to.ceilingEntry(k)));
                c.eq(tag + "higherKey", String.valueOf(tj.higherKey(k)), String.valueOf(to.higherKey(k)));
                c.eq(tag + "lowerEntry", String.valueOf(tj.lowerEntry(k)), String.valueOf(to.lowerEntry(k)));
                c.eq(tag + "headMap", tj.headMap(k).toString(), to.headMap(k).toString());
                c.eq(tag + "tailMap", tj.tailMap(k, false).toString(), to.tailMap(k, false).toString());
            }
            c.eq(tag + "descendingMap", tj.descendingMap().toString(), to.descendingMap().toString());
            c.eq(tag + "firstEntry", String.valueOf(tj.pollFirstEntry()), String.valueOf(to.pollFirstEntry()));
            c.eq(tag + "lastEntry", String.valueOf(tj.pollLastEntry()), String.valueOf(to.pollLastEntry()));
        }
    }

    static void sets(Check c, SplittableRandom rnd, int kind, Object[] pool, int round) {
        java.util.Set<Object> jdk;
        shadow.java.util.Set<Object> ours;
        int variant = round % 3;
        if (variant == 0) {
            jdk = new java.util.HashSet<>();
            ours = new shadow.java.util.HashSet<>();
        } else if (variant == 1) {
            jdk = new java.util.LinkedHashSet<>();
            ours = new shadow.java.util.LinkedHashSet<>();
        } else {
            jdk = kind == 4 ? new java.util.HashSet<>(2) : new java.util.TreeSet<>();
            ours = kind == 4 ? new shadow.java.util.HashSet<>(2) : new shadow.java.util.TreeSet<>();
        }
        String tag = "set round " + round + " op ";
        int ops = 50 + rnd.nextInt(600);
        for (int i = 0; i < ops; i++) {
            Object k = key(rnd, kind, pool);
            if (rnd.nextInt(3) == 0) {
                c.eq(tag + i, jdk.remove(k), ours.remove(k));
            } else {
                c.eq(tag + i, jdk.add(k), ours.add(k));
            }
        }
        c.eq(tag + "toString", jdk.toString(), ours.toString());
        c.eq(tag + "copy", new java.util.HashSet<>(jdk).toString(), new shadow.java.util.HashSet<>(ours).toString());
        c.eq(tag + "hashCode", jdk.hashCode(), ours.hashCode());
    }

    static void priorityQueues(Check c, SplittableRandom rnd, int round) {
        // equal priorities (value / 10) expose the exact siftUp/siftDown order
        java.util.PriorityQueue<Integer> jdk = new java.util.PriorityQueue<>((a, b) -> a / 10 - b / 10);
        shadow.java.util.PriorityQueue<Integer> ours = new shadow.java.util.PriorityQueue<>((a, b) -> a / 10 - b / 10);
        String tag = "pq round " + round + " op ";
        int ops = 50 + rnd.nextInt(500);
        for (int i = 0; i < ops; i++) {
            int v = rnd.nextInt(300);
            int op = rnd.nextInt(4);
            if (op == 0) {
                c.eq(tag + i, String.valueOf(jdk.poll()), String.valueOf(ours.poll()));
            } else if (op == 1) {
                c.eq(tag + i, jdk.remove(v), ours.remove(v));
            } else {
                c.eq(tag + i, jdk.offer(v), ours.offer(v));
            }
        }
        c.eq(tag + "toString", jdk.toString(), ours.toString());
        java.util.List<Integer> base = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            base.add(rnd.nextInt(100));
        }
        shadow.java.util.ArrayList<Integer> sbase = new shadow.java.util.ArrayList<>();
        for (Integer x : base) {
            sbase.add(x);
        }
        c.eq(tag + "heapify", new java.util.PriorityQueue<>(base).toString(), new shadow.java.util.PriorityQueue<>(sbase).toString());
    }

    static void lists(Check c, SplittableRandom rnd, int round) {
        java.util.List<Integer> ja = new java.util.ArrayList<>();
        shadow.java.util.List<Integer> oa = new shadow.java.util.ArrayList<>();
        java.util.List<Integer> jl = new java.util.LinkedList<>();
        shadow.java.util.List<Integer> ol = new shadow.java.util.LinkedList<>();
        java.util.ArrayDeque<Integer> jd = new java.util.ArrayDeque<>();
        shadow.java.util.ArrayDeque<Integer> od = new shadow.java.util.ArrayDeque<>();
        String tag = "list round " + round + " op ";
        int ops = 50 + rnd.nextInt(400);
        for (int i = 0; i < ops; i++) {
            int v = rnd.nextInt(100);
            int idx = rnd.nextInt(ja.size() + 2) - 1;
            int op = rnd.nextInt(8);
            String what = tag + i + " (" + op + ")";
            switch (op) {
                case 0: case 1:
                    c.eq(what, ja.add(v), oa.add(v));
                    c.eq(what, jl.add(v), ol.add(v));
                    jd.addLast(v);
                    od.addLast(v);
                    break;
                case 2:
                    c.eq(what, Check.outcome(() -> { ja.add(idx, v); return ja.size(); }), Check.outcome(() -> { oa.add(idx, v); return oa.size(); }));
                    c.eq(what, Check.outcome(() -> { jl.add(idx, v); return jl.size(); }), Check.outcome(() -> { ol.add(idx, v); return ol.size(); }));
                    jd.addFirst(v);
                    od.addFirst(v);
                    break;
                case 3:
                    c.eq(what, Check.outcome(() -> ja.remove(idx)), Check.outcome(() -> oa.remove(idx)));
                    c.eq(what, Check.outcome(() -> jl.remove(idx)), Check.outcome(() -> ol.remove(idx)));
                    c.eq(what, String.valueOf(jd.pollFirst()), String.valueOf(od.pollFirst()));
                    break;
                case 4:
                    c.eq(what, ja.remove((Integer) v), oa.remove((Integer) v));
                    c.eq(what, jl.remove((Integer) v), ol.remove((Integer) v));
                    c.eq(what, String.valueOf(jd.pollLast()), String.valueOf(od.pollLast()));
                    break;
                case 5:
                    c.eq(what, Check.outcome(() -> ja.set(idx, v)), Check.outcome(() -> oa.set(idx, v)));
                    c.eq(what, Check.outcome(() -> jl.get(idx)), Check.outcome(() -> ol.get(idx)));
                    break;
                case 6:
                    c.eq(what, ja.indexOf(v) + "/" + ja.lastIndexOf(v), oa.indexOf(v) + "/" + oa.lastIndexOf(v));
                    break;
                default:
                    int from = Math.max(0, Math.min(idx, ja.size()));
                    c.eq(what, Check.outcome(() -> ja.subList(from, ja.size()).toString()),
                            Check.outcome(() -> oa.subList(from, oa.size()).toString()));
            }
        }
        c.eq(tag + "ArrayList", ja.toString(), oa.toString());
        c.eq(tag + "LinkedList", jl.toString(), ol.toString());
        c.eq(tag + "ArrayDeque", jd.toString(), od.toString());
        c.eq(tag + "hashCode", ja.hashCode(), oa.hashCode());
        // Collections.shuffle with a seeded Random, sort, reverse, rotate, swap
        long seed = round * 31L;
        java.util.Collections.shuffle(ja, new java.util.Random(seed));
        shadow.java.util.Collections.shuffle(oa, new shadow.java.util.Random(seed));
        c.eq(tag + "shuffle", ja.toString(), oa.toString());
        java.util.Collections.shuffle(jl, new java.util.Random(seed));
        shadow.java.util.Collections.shuffle(ol, new shadow.java.util.Random(seed));
        c.eq(tag + "shuffle linked", jl.toString(), ol.toString());
        java.util.Collections.rotate(ja, round % 7 - 3);
        shadow.java.util.Collections.rotate(oa, round % 7 - 3);
        c.eq(tag + "rotate", ja.toString(), oa.toString());
        java.util.Collections.sort(ja);
        shadow.java.util.Collections.sort(oa);
        c.eq(tag + "sort", ja.toString(), oa.toString());
        java.util.Collections.reverse(jl);
        shadow.java.util.Collections.reverse(ol);
        c.eq(tag + "reverse", jl.toString(), ol.toString());
        if (!ja.isEmpty()) {
            c.eq(tag + "max", java.util.Collections.max(jl), shadow.java.util.Collections.max(ol));
            c.eq(tag + "binarySearch", java.util.Collections.binarySearch(ja, 50), shadow.java.util.Collections.binarySearch(oa, 50));
        }
        c.eq(tag + "frequency", java.util.Collections.frequency(jl, 7), shadow.java.util.Collections.frequency(ol, 7));
        for (int i = 0; i + 1 < ja.size() && i < 10; i++) {
            int a = rnd.nextInt(ja.size());
            int b = rnd.nextInt(ja.size());
            java.util.Collections.swap(ja, a, b);
            shadow.java.util.Collections.swap(oa, a, b);
        }
        c.eq(tag + "swap", ja.toString(), oa.toString());
        c.eq(tag + "swap out of range", Check.outcome(() -> { java.util.Collections.swap(ja, 0, ja.size()); return ""; }),
                Check.outcome(() -> { shadow.java.util.Collections.swap(oa, 0, oa.size()); return ""; }));
        c.eq(tag + "swap after failure", ja.toString(), oa.toString());
        Object jc = ((java.util.ArrayList<?>) ja).clone();
        Object oc = ((shadow.java.util.ArrayList<?>) oa).clone();
        ja.add(-1);
        oa.add(-1);
        c.eq(tag + "clone", jc.toString() + " " + jc.getClass().getSimpleName(), oc.toString() + " " + oc.getClass().getSimpleName());
    }

    /** An enum with constant bodies (anonymous subclasses), which EnumMap must accept as keys. */
    enum Color {
        RED, GREEN { public String toString() { return "green!"; } }, BLUE, CYAN, MAGENTA, YELLOW, BLACK
    }

    enum Other { ONE }

    static void enumMaps(Check c, SplittableRandom rnd, int round) {
        java.util.EnumMap<Color, Integer> jdk = new java.util.EnumMap<>(Color.class);
        shadow.java.util.EnumMap<Color, Integer> ours = new shadow.java.util.EnumMap<>(Color.class);
        Color[] all = Color.values();
        String tag = "enummap round " + round + " op ";
        int ops = 20 + rnd.nextInt(200);
        for (int i = 0; i < ops; i++) {
            Color k = all[rnd.nextInt(all.length)];
            // null values are legal and must count as mappings
            Integer v = rnd.nextInt(4) == 0 ? null : rnd.nextInt(50);
            int op = rnd.nextInt(9);
            String what = tag + i + " (" + op + ")";
            switch (op) {
                case 0: case 1: case 2:
                    c.eq(what, String.valueOf(jdk.put(k, v)), String.valueOf(ours.put(k, v)));
                    break;
                case 3:
                    c.eq(what, String.valueOf(jdk.remove(k)), String.valueOf(ours.remove(k)));
                    break;
                case 4:
                    c.eq(what, jdk.containsKey(k) + " " + jdk.containsValue(v) + " " + jdk.get(k),
                            ours.containsKey(k) + " " + ours.containsValue(v) + " " + ours.get(k));
                    break;
                case 5: {
                    java.util.Iterator<Color> a = jdk.keySet().iterator();
                    java.util.Iterator<Color> b = ours.keySet().iterator();
                    int skip = rnd.nextInt(4);
                    while (a.hasNext() && b.hasNext()) {
                        c.eq(what + " iter", a.next(), b.next());
                        if (skip-- == 0) {
                            a.remove();
                            b.remove();
                            break;
                        }
                    }
                    c.eq(what + " iter remove twice", Check.outcome(() -> { a.remove(); return ""; }),
                            Check.outcome(() -> { b.remove(); return ""; }));
                    break;
                }
                case 6: {
                    // setValue through the entry view, then the entry's own view of it
                    for (java.util.Map.Entry<Color, Integer> e : jdk.entrySet()) {
                        e.setValue(e.getValue() == null ? 7 : null);
                    }
                    for (shadow.java.util.Map.Entry<Color, Integer> e : ours.entrySet()) {
                        e.setValue(e.getValue() == null ? 7 : null);
                    }
                    c.eq(what, jdk.entrySet().toString(), ours.entrySet().toString());
                    break;
                }
                case 7:
                    c.eq(what, jdk.values().toString() + jdk.values().contains(v) + jdk.keySet().remove(k),
                            ours.values().toString() + ours.values().contains(v) + ours.keySet().remove(k));
                    break;
                default:
                    c.eq(what, jdk.get("RED") + " " + jdk.containsKey(Other.ONE) + " " + jdk.remove(null),
                            ours.get("RED") + " " + ours.containsKey(Other.ONE) + " " + ours.remove(null));
                    if (rnd.nextInt(30) == 0) {
                        jdk.clear();
                        ours.clear();
                    }
            }
            c.eq(what + " size", jdk.size(), ours.size());
        }
        c.eq(tag + "toString", jdk.toString(), ours.toString());
        c.eq(tag + "hashCode", jdk.hashCode(), ours.hashCode());
        java.util.EnumMap<Color, Integer> jc = jdk.clone();
        shadow.java.util.EnumMap<Color, Integer> oc = ours.clone();
        jdk.put(Color.RED, 99);
        ours.put(Color.RED, 99);
        c.eq(tag + "clone", jc + " " + jc.equals(jdk) + " " + jc.keySet(), oc + " " + oc.equals(ours) + " " + oc.keySet());
        c.eq(tag + "copy", new java.util.EnumMap<>(jdk).toString() + new java.util.EnumMap<>((java.util.Map<Color, Integer>) jdk),
                new shadow.java.util.EnumMap<>(ours).toString() + new shadow.java.util.EnumMap<>((shadow.java.util.Map<Color, Integer>) ours));
        java.util.Map<Color, Integer> jh = new java.util.HashMap<>(jdk);
        shadow.java.util.Map<Color, Integer> oh = new shadow.java.util.HashMap<>(ours);
        c.eq(tag + "equals", jdk.equals(jh) + " " + jh.equals(jdk) + " " + jdk.equals(jc),
                ours.equals(oh) + " " + oh.equals(ours) + " " + ours.equals(oc));
        c.eq(tag + "empty copy", Check.outcome(() -> new java.util.EnumMap<>(new java.util.HashMap<Color, Integer>()).toString()),
                Check.outcome(() -> new shadow.java.util.EnumMap<>(new shadow.java.util.HashMap<Color, Integer>()).toString()));
        java.util.EnumMap<Other, Integer> je = new java.util.EnumMap<>(Other.class);
        shadow.java.util.EnumMap<Other, Integer> oe = new shadow.java.util.EnumMap<>(Other.class);
        c.eq(tag + "other type", je.equals(new java.util.EnumMap<>(Color.class)) + " " + jdk.equals(je),
                oe.equals(new shadow.java.util.EnumMap<>(Color.class)) + " " + ours.equals(oe));
        @SuppressWarnings({"unchecked", "rawtypes"})
        java.util.Map<Object, Integer> jraw = (java.util.Map) jdk;
        @SuppressWarnings({"unchecked", "rawtypes"})
        shadow.java.util.Map<Object, Integer> oraw = (shadow.java.util.Map) ours;
        c.eq(tag + "wrong key type", Check.outcome(() -> String.valueOf(jraw.put(Other.ONE, 1))),
                Check.outcome(() -> String.valueOf(oraw.put(Other.ONE, 1))));
        c.eq(tag + "null key", Check.outcome(() -> String.valueOf(jraw.put(null, 1))),
                Check.outcome(() -> String.valueOf(oraw.put(null, 1))));
    }
}
