public class NumLongMath {
    static long gcd(long a, long b) { return b == 0 ? Math.abs(a) : gcd(b, a % b); }
    static long modpow(long b, long e, long m) {
        long r = 1;
        b %= m;
        while (e > 0) { if ((e & 1) == 1) r = mulmod(r, b, m); b = mulmod(b, b, m); e >>= 1; }
        return r;
    }
    static long mulmod(long a, long b, long m) {
        long r = 0;
        a %= m;
        while (b > 0) { if ((b & 1) == 1) r = (r + a) % m; a = (a << 1) % m; b >>= 1; }
        return r;
    }
    static String factor(long n) {
        StringBuilder sb = new StringBuilder();
        for (long p = 2; p * p <= n; p++) while (n % p == 0) { sb.append(p).append(' '); n /= p; }
        if (n > 1) sb.append(n);
        return sb.toString().trim();
    }
    public static void main(String[] args) {
        System.out.println(gcd(1071, 462) + " " + gcd(-48, 18) + " " + gcd(0, 0) + " " + gcd(Long.MAX_VALUE, 1L << 40));
        System.out.println(modpow(2, 1_000_000, 1_000_000_007L) + " " + modpow(3, Long.MAX_VALUE, 998244353L));
        for (long n : new long[] {360, 9973, 600851475143L, 1L << 40, 999999000001L}) System.out.println(n + " = " + factor(n));
        System.out.println(Long.numberOfTrailingZeros(1L << 37) + " " + Long.bitCount(-1L) + " " + Long.reverseBytes(0x0102030405060708L) + " " + Long.rotateRight(1L, 1));
        System.out.println(Math.multiplyHigh(Long.MAX_VALUE, 3L) + " " + Long.divideUnsigned(-1L, 10) + " " + Long.remainderUnsigned(-1L, 10) + " " + Long.compareUnsigned(-1L, 1L));
        System.out.println(Integer.divideUnsigned(-1, 3) + " " + Integer.toUnsignedLong(-1) + " " + Integer.reverseBytes(0x01020304) + " " + Integer.signum(-42) + " " + Integer.lowestOneBit(40));
    }
}
