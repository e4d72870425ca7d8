public class AlgoMatrix {
    public static void main(String[] args) {
        int n = 60;
        double[][] a = new double[n][n], b = new double[n][n], c = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { a[i][j] = (i * 7 + j * 3) % 11 - 5; b[i][j] = (i + 2 * j) % 13 * 0.5; }
        for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) { double aik = a[i][k]; for (int j = 0; j < n; j++) c[i][j] += aik * b[k][j]; }
        double trace = 0, sum = 0;
        for (int i = 0; i < n; i++) { trace += c[i][i]; for (int j = 0; j < n; j++) sum += c[i][j]; }
        System.out.println(trace + " " + sum + " " + c[3][17] + " " + c[n - 1][0]);
        long[][] m = {{1, 1}, {1, 0}}, r = {{1, 0}, {0, 1}};
        int e = 90;
        while (e > 0) {
            if ((e & 1) == 1) r = mul(r, m);
            m = mul(m, m);
            e >>= 1;
        }
        System.out.println("fib(90) = " + r[0][1]);
    }
    static long[][] mul(long[][] x, long[][] y) {
        long[][] z = new long[2][2];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++) z[i][j] += x[i][k] * y[k][j];
        return z;
    }
}
