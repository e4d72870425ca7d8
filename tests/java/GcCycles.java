import java.util.*;

public class GcCycles {
    static class Vertex {
        final int id;
        final List<Vertex> edges = new ArrayList<>();
        Vertex(int id) { this.id = id; }
    }
    public static void main(String[] args) {
        Random r = new Random(11);
        List<Vertex> survivors = new ArrayList<>();
        long sum = 0;
        for (int gen = 0; gen < 60; gen++) {
            Vertex[] vs = new Vertex[300];
            for (int i = 0; i < vs.length; i++) vs[i] = new Vertex(gen * 1000 + i);
            for (Vertex v : vs) for (int k = 0; k < 4; k++) v.edges.add(vs[r.nextInt(vs.length)]);
            survivors.add(vs[r.nextInt(vs.length)]);
        }
        for (Vertex v : survivors) {
            Set<Integer> seen = new HashSet<>();
            Deque<Vertex> todo = new ArrayDeque<>();
            todo.add(v);
            while (!todo.isEmpty()) {
                Vertex u = todo.poll();
                if (seen.add(u.id)) for (Vertex w : u.edges) todo.add(w);
            }
            sum += seen.size();
        }
        System.out.println(survivors.size() + " " + sum);
    }
}
