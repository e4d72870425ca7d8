// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package capuchin.internal;

/**
 * Immutable natural numbers of any size, for the exact decimal/binary conversions of
 * FloatText and FloatParser. Little-endian 32-bit limbs without leading zero limbs (zero
 * has no limbs). Only what those conversions need: small multiplications, powers of 5 and
 * 10, shifts, addition, subtraction, comparison and a small-quotient division step.
 */
public final class BigNat {
    private static final long MASK = 0xffffffffL;
    public static final BigNat ZERO = new BigNat(new int[0]);
    public static final BigNat ONE = valueOf(1);

    private final int[] mag; // little-endian, mag[mag.length - 1] != 0

    private BigNat(int[] mag) {
        this.mag = mag;
    }

    private static BigNat of(int[] m, int len) {
        while (len > 0 && m[len - 1] == 0) {
            len--;
        }
        if (len == m.length) {
            return new BigNat(m);
        }
        int[] r = new int[len];
        System.arraycopy(m, 0, r, 0, len);
        return new BigNat(r);
    }

    /** v is taken as unsigned. */
    public static BigNat valueOf(long v) {
        if (v == 0) {
            return ZERO;
        }
        int hi = (int) (v >>> 32);
        return hi == 0 ? new BigNat(new int[] {(int) v}) : new BigNat(new int[] {(int) v, hi});
    }

    public boolean isZero() {
        return mag.length == 0;
    }

    public int bitLength() {
        int n = mag.length;
        return n == 0 ? 0 : (n - 1) * 32 + 32 - Integer.numberOfLeadingZeros(mag[n - 1]);
    }

    /** The limbs, little-endian, copied into an array of at least the given length. */
    public int[] toLimbs(int capacity) {
        int[] r = new int[Math.max(capacity, mag.length)];
        System.arraycopy(mag, 0, r, 0, mag.length);
        return r;
    }

    public int limbCount() {
        return mag.length;
    }

    /** A BigNat of the limbs a[0, n). */
    public static BigNat ofLimbs(int[] a, int n) {
        int[] m = new int[n];
        System.arraycopy(a, 0, m, 0, n);
        return of(m, n);
    }

    /** The low 64 bits. */
    public long longValue() {
        long lo = mag.length > 0 ? mag[0] & MASK : 0;
        long hi = mag.length > 1 ? mag[1] & MASK : 0;
        return (hi << 32) | lo;
    }

    /** Bit i (0 = least significant). */
    public boolean testBit(int i) {
        int w = i >>> 5;
        return w < mag.length && (mag[w] & (1 << (i & 31))) != 0;
    }

    /** True if any of the bits below position n is set. */
    public boolean lowBitsNonZero(int n) {
        int w = n >>> 5;
        for (int i = 0; i < w && i < mag.length; i++) {
            if (mag[i] != 0) {
                return true;
            }
        }
        if (w < mag.length && (n & 31) != 0) {
            return (mag[w] & ((1 << (n & 31)) - 1)) != 0;
        }
        return false;
    }

    public int compareTo(BigNat o) {
        if (mag.length != o.mag.length) {
            return mag.length < o.mag.length ? -1 : 1;
        }
        for (int i = mag.length - 1; i >= 0; i--) {
            if (mag[i] != o.mag[i]) {
                return Integer.compareUnsigned(mag[i], o.mag[i]);
            }
        }
        return 0;
    }

    /** this * m + a, with m and a taken as unsigned 32-bit values. */
    public BigNat mulAdd(int m, int a) {
        long mm = m & MASK;
        long carry = a & MASK;
        int[] r = new int[mag.length + 1];
        for (int i = 0; i < mag.length; i++) {
            long p = (mag[i] & MASK) * mm + carry;
            r[i] = (int) p;
            carry = p >>> 32;
        }
        r[mag.length] = (int) carry;
        return of(r, r.length);
    }

    public BigNat mul(int m) {
        return mulAdd(m, 0);
    }

    public BigNat mul(BigNat o) {
        if (mag.length == 0 || o.mag.length == 0) {
            return ZERO;
        }
        int[] r = new int[mag.length + o.mag.length];
        for (int i = 0; i < mag.length; i++) {
            long a = mag[i] & MASK;
            long carry = 0;
            for (int j = 0; j < o.mag.length; j++) {
                long p = a * (o.mag[j] & MASK) + (r[i + j] & MASK) + carry;
                r[i + j] = (int) p;
                carry = p >>> 32;
            }
            r[i + o.mag.length] = (int) carry;
        }
        return of(r, r.length);
    }

    public BigNat add(BigNat o) {
        int[] a = mag.length >= o.mag.length ? mag : o.mag;
        int[] b = mag.length >= o.mag.length ? o.mag : mag;
        int[] r = new int[a.length + 1];
        long carry = 0;
        for (int i = 0; i < a.length; i++) {
            long s = (a[i] & MASK) + (i < b.length ? b[i] & MASK : 0) + carry;
            r[i] = (int) s;
            carry = s >>> 32;
        }
        r[a.length] = (int) carry;
        return of(r, r.length);
    }

    /** this - o; requires this >= o. */
    public BigNat sub(BigNat o) {
        int[] r = new int[mag.length];
        long borrow = 0;
        for (int i = 0; i < mag.length; i++) {
            long d = (mag[i] & MASK) - (i < o.mag.length ? o.mag[i] & MASK : 0) - borrow;
            r[i] = (int) d;
            borrow = (d >> 32) & 1;
        }
        if (borrow != 0) {
            throw new ArithmeticException("BigNat underflow");
        }
        return of(r, r.length);
    }

    public BigNat shiftLeft(int n) {
        if (mag.length == 0 || n == 0) {
            return this;
        }
        int words = n >>> 5;
        int bits = n & 31;
        int[] r = new int[mag.length + words + 1];
        for (int i = 0; i < mag.length; i++) {
            long v = (mag[i] & MASK) << bits;
            r[i + words] |= (int) v;
            r[i + words + 1] |= (int) (v >>> 32);
        }
        return of(r, r.length);
    }

    public BigNat shiftRight(int n) {
        int words = n >>> 5;
        if (words >= mag.length) {
            return ZERO;
        }
        int bits = n & 31;
        int len = mag.length - words;
        int[] r = new int[len];
        for (int i = 0; i < len; i++) {
            long lo = mag[i + words] & MASK;
            long hi = (i + words + 1 < mag.length) ? mag[i + words + 1] & MASK : 0;
            r[i] = (int) (((hi << 32) | lo) >>> bits);
        }
        return of(r, len);
    }

    private static final BigNat[] POW5 = new BigNat[400];

    /** 5^n (the values up to 5^399 are kept once computed). */
    public static BigNat pow5(int n) {
        if (n < POW5.length) {
            BigNat p = POW5[n];
            if (p == null) {
                p = (n < 13) ? valueOf(smallPow5(n)) : pow5(n - 13).mul(1220703125); // 5^13
                POW5[n] = p;
            }
            return p;
        }
        return pow5(POW5.length - 1).mul(pow5(n - (POW5.length - 1)));
    }

    private static int smallPow5(int n) {
        int p = 1;
        for (int i = 0; i < n; i++) {
            p *= 5;
        }
        return p;
    }

    /** this * 10^n. */
    public BigNat mulPow10(int n) {
        return n == 0 ? this : mul(pow5(n)).shiftLeft(n);
    }

    /**
     * floor(this / d) for a quotient known to be below 2^63, by binary long division on
     * mutable limbs; inexact[0] tells whether the remainder is nonzero.
     */
    public long divideToLong(BigNat d, boolean[] inexact) {
        int nb = bitLength();
        int db = d.bitLength();
        if (nb < db) {
            inexact[0] = !isZero();
            return 0;
        }
        int dn = d.mag.length;
        int[] r = shiftRight(nb - db).toLimbs(dn + 1);
        int rn = (db + 31) >>> 5;
        long q = 0;
        for (int b = nb - db; ; b--) {
            if (cmp(r, rn, d.mag, dn) >= 0) {
                rn = subInPlace(r, rn, d.mag, dn);
                q |= 1;
            }
            if (b == 0) {
                break;
            }
            q <<= 1;
            // r = 2r + bit (b - 1) of this
            int carry = testBit(b - 1) ? 1 : 0;
            for (int i = 0; i < rn; i++) {
                int x = r[i];
                r[i] = (x << 1) | carry;
                carry = x >>> 31;
            }
            if (carry != 0) {
                r[rn++] = carry;
            }
        }
        boolean nonZero = false;
        for (int i = 0; i < rn; i++) {
            nonZero |= r[i] != 0;
        }
        inexact[0] = nonZero;
        return q;
    }

    private static int cmp(int[] a, int an, int[] b, int bn) {
        while (an > 0 && a[an - 1] == 0) {
            an--;
        }
        if (an != bn) {
            return an < bn ? -1 : 1;
        }
        for (int i = an - 1; i >= 0; i--) {
            if (a[i] != b[i]) {
                return Integer.compareUnsigned(a[i], b[i]);
            }
        }
        return 0;
    }

    private static int subInPlace(int[] a, int an, int[] b, int bn) {
        long borrow = 0;
        for (int i = 0; i < an; i++) {
            long x = (a[i] & MASK) - (i < bn ? b[i] & MASK : 0) - borrow;
            a[i] = (int) x;
            borrow = (x >>> 63);
        }
        while (an > 0 && a[an - 1] == 0) {
            an--;
        }
        return an;
    }

    /**
     * Quotient and remainder for a quotient known to be small (below 2^31): the quotient is
     * returned, the remainder stored in rem[0].
     */
    public int divSmallQuotient(BigNat d, BigNat[] rem) {
        BigNat r = this;
        int q = 0;
        if (r.compareTo(d) >= 0) {
            // estimate from the top bits, then correct
            int shift = Math.max(0, d.bitLength() - 62);
            long top = d.shiftRight(shift).longValue() + 1;
            long num = r.bitLength() - shift <= 63 ? r.shiftRight(shift).longValue() : -1;
            if (num >= 0) {
                long est = num / top;
                if (est > 0) {
                    r = r.sub(d.mul((int) est));
                    q = (int) est;
                }
            }
            while (r.compareTo(d) >= 0) {
                r = r.sub(d);
                q++;
            }
        }
        rem[0] = r;
        return q;
    }
}
