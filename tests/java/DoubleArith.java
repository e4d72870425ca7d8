public class DoubleArith {
    public static void main(String[] args) {
        double sum = 0;
        for (int i = 1; i <= 1000; i++) sum += 1.0 / i;
        System.out.println("harmonic " + sum);
        double pi = 0;
        for (int k = 0; k < 100000; k++) pi += (k % 2 == 0 ? 4.0 : -4.0) / (2 * k + 1);
        System.out.println("leibniz " + pi);
        float fsum = 0;
        for (int i = 0; i < 10000; i++) fsum += 0.1f;
        System.out.println("float sum " + fsum);
        double x = 2;
        for (int i = 0; i < 6; i++) x = x - (x * x - 2) / (2 * x);
        System.out.println("newton sqrt2 " + x + " " + (x == Math.sqrt(2)));
        double[][] m = {{4, 3, 2}, {2, 1, 3}, {3, 2, 1}};
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        System.out.println("det " + det);
        System.out.println(0.1 * 3 + " " + 1e-320 * 1e10 + " " + (float) 1e-40 + " " + 3.0f * 1.1f + " " + (double) (3.0f * 1.1f) + " " + 1.0e15 / 7);
        System.out.println((0.1 + 0.2 == 0.3) + " " + (0.1f + 0.2f == 0.3f) + " " + Math.abs(0.1 + 0.2 - 0.3) + " " + (float) 0.1 * 3);
    }
}
