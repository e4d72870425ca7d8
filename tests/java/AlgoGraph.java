import java.util.*;

public class AlgoGraph {
    public static void main(String[] args) {
        int n = 200;
        List<List<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < n; i++) adj.add(new ArrayList<>());
        Random r = new Random(3);
        for (int e = 0; e < 600; e++) { int a = r.nextInt(n), b = r.nextInt(n); adj.get(a).add(b); adj.get(b).add(a); }
        int[] dist = new int[n];
        Arrays.fill(dist, -1);
        ArrayDeque<Integer> q = new ArrayDeque<>();
        q.add(0);
        dist[0] = 0;
        while (!q.isEmpty()) { int u = q.poll(); for (int v : adj.get(u)) if (dist[v] < 0) { dist[v] = dist[u] + 1; q.add(v); } }
        int reach = 0, far = 0;
        for (int d : dist) { if (d >= 0) reach++; far = Math.max(far, d); }
        System.out.println("reachable " + reach + " eccentricity " + far);
        int[][] w = new int[n][n];
        for (int[] row : w) Arrays.fill(row, Integer.MAX_VALUE / 2);
        for (int i = 0; i < n; i++) { w[i][i] = 0; for (int v : adj.get(i)) w[i][v] = Math.min(w[i][v], 1 + (i * v) % 7); }
        long[] d = new long[n];
        Arrays.fill(d, Long.MAX_VALUE);
        d[0] = 0;
        PriorityQueue<long[]> pq = new PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
        pq.add(new long[] {0, 0});
        while (!pq.isEmpty()) {
            long[] top = pq.poll();
            int u = (int) top[1];
            if (top[0] > d[u]) continue;
            for (int v : adj.get(u)) { long nd = d[u] + w[u][v]; if (nd < d[v]) { d[v] = nd; pq.add(new long[] {nd, v}); } }
        }
        long sum = 0;
        for (long x : d) if (x != Long.MAX_VALUE) sum += x;
        System.out.println("dijkstra sum " + sum + " d[199]=" + d[199]);
        Deque<Integer> stack = new ArrayDeque<>();
        boolean[] seen = new boolean[n];
        int components = 0;
        for (int s = 0; s < n; s++) {
            if (seen[s]) continue;
            components++;
            stack.push(s);
            seen[s] = true;
            while (!stack.isEmpty()) { int u = stack.pop(); for (int v : adj.get(u)) if (!seen[v]) { seen[v] = true; stack.push(v); } }
        }
        System.out.println("components " + components);
    }
}
