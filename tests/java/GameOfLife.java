public class GameOfLife {
    public static void main(String[] args) {
        int h = 16, w = 32;
        boolean[][] g = new boolean[h][w];
        int[][] glider = {{0, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 2}};
        for (int[] p : glider) g[p[0] + 1][p[1] + 1] = true;
        g[8][10] = g[8][11] = g[8][12] = true;
        for (int gen = 0; gen < 30; gen++) {
            boolean[][] n = new boolean[h][w];
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++) {
                    int c = 0;
                    for (int di = -1; di <= 1; di++) for (int dj = -1; dj <= 1; dj++) if ((di | dj) != 0 && g[(i + di + h) % h][(j + dj + w) % w]) c++;
                    n[i][j] = c == 3 || (c == 2 && g[i][j]);
                }
            g = n;
        }
        for (boolean[] row : g) {
            StringBuilder sb = new StringBuilder();
            for (boolean b : row) sb.append(b ? '#' : '.');
            System.out.println(sb);
        }
    }
}
