public class AlgoSieve {
    static int sieve(int n) {
        boolean[] composite = new boolean[n + 1];
        int count = 0;
        for (int i = 2; i <= n; i++) {
            if (!composite[i]) {
                count++;
                for (long j = (long) i * i; j <= n; j += i) composite[(int) j] = true;
            }
        }
        return count;
    }
    public static void main(String[] args) {
        for (int n : new int[] {10, 100, 1000, 10000, 100000, 1000000}) System.out.println("primes <= " + n + ": " + sieve(n));
    }
}
