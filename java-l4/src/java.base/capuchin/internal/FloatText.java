// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package capuchin.internal;

/**
 * Double.toString and Float.toString, and the decimal digits the Formatter rounds.
 *
 * <p>The digits are those of JDK 17, which are not always the shortest. The rules below were
 * found by comparing with JDK 17 on many millions of values (java-l4/test/shadow):
 * <ul>
 * <li>Integral values below 2^63 print their exact integer, except that the lowest
 *     floor(log10(ulp / 4)) decimal digits are rounded away (half up).</li>
 * <li>Otherwise a free-format digit generator (Steele and White): digits are produced
 *     until the number formed so far, or that number plus one unit in its last digit, lies
 *     strictly inside the rounding interval (v - m, v + m). m is half an ulp, or a quarter
 *     of an ulp when the significand is a power of two (also for subnormals). When both
 *     candidates qualify the closer one is taken, ties going to the even digit.</li>
 * <li>Where JDK 17's estimate of the decimal exponent (the usual linear one from the binary
 *     exponent and the leading bits) is 27 or more, the upper end of the interval counts as
 *     inside.</li>
 * <li>JDK 17 computes that generator in 64-bit arithmetic in some ranges; for decimal
 *     exponent estimate 26 with binary exponents up to 84 (double) or 85 (float) its
 *     "candidate plus one unit" test overflows, and the lower candidate is printed.</li>
 * <li>A handful of the smallest subnormals print as the table SUBNORMAL_EXCEPTIONS says.</li>
 * </ul>
 */
public final class FloatText {
    private FloatText() {
    }

    /** A decimal: value = 0.d1 d2 ... dn * 10^exponent, digits without trailing zeros. */
    public static final class Decimal {
        public final boolean negative;
        public final char[] digits;
        public final int length;
        public final int exponent;

        Decimal(boolean negative, char[] digits, int length, int exponent) {
            this.negative = negative;
            this.digits = digits;
            this.length = length;
            this.exponent = exponent;
        }
    }

    // 2 * 5^26: the scale at which JDK 17's 64-bit generator works for estimate 26
    private static final BigNat T26 = BigNat.valueOf(2980232238769531250L);

    // observed JDK 17 results for the smallest subnormals: significand bits -> string
    private static final long[] SUBNORMAL_D_KEYS = {1, 10, 12, 14, 16, 18};
    private static final String[] SUBNORMAL_D_VALUES = {
        "4.9E-324", "4.9E-323", "5.9E-323", "6.9E-323", "7.9E-323", "8.9E-323"
    };
    private static final int[] SUBNORMAL_F_KEYS = {2, 3, 6, 7, 21, 29};
    private static final String[] SUBNORMAL_F_VALUES = {
        "2.8E-45", "4.2E-45", "8.4E-45", "9.8E-45", "2.9E-44", "4.1E-44"
    };

    public static String toString(double d) {
        long bits = Double.doubleToRawLongBits(d);
        String special = special(d != d, Double.isInfinite(d), d == 0.0, bits < 0);
        if (special != null) {
            return special;
        }
        return format(decimal(d));
    }

    public static String toString(float f) {
        int bits = Float.floatToRawIntBits(f);
        String special = special(f != f, Float.isInfinite(f), f == 0.0f, bits < 0);
        if (special != null) {
            return special;
        }
        return format(decimal(f));
    }

    private static String special(boolean nan, boolean inf, boolean zero, boolean negative) {
        if (nan) {
            return "NaN";
        }
        if (inf) {
            return negative ? "-Infinity" : "Infinity";
        }
        if (zero) {
            return negative ? "-0.0" : "0.0";
        }
        return null;
    }

    /** The digits of a finite nonzero double as toString prints them (exceptions table aside). */
    public static Decimal decimal(double d) {
        long bits = Double.doubleToRawLongBits(d);
        int biased = (int) ((bits >>> 52) & 0x7ff);
        long frac = bits & 0x000fffffffffffffL;
        long f;
        int e;
        boolean pow2;
        if (biased == 0) {
            f = frac;
            e = -1074;
            pow2 = Long.bitCount(frac) == 1;
        } else {
            f = frac | (1L << 52);
            e = biased - 1075;
            pow2 = frac == 0;
        }
        String exc = null;
        if (biased == 0) {
            for (int i = 0; i < SUBNORMAL_D_KEYS.length; i++) {
                if (frac == SUBNORMAL_D_KEYS[i]) {
                    exc = SUBNORMAL_D_VALUES[i];
                }
            }
        }
        if (exc != null) {
            return parseException(bits < 0, exc);
        }
        return convert(bits < 0, f, e, pow2, 84);
    }

    public static Decimal decimal(float x) {
        int bits = Float.floatToRawIntBits(x);
        int biased = (bits >>> 23) & 0xff;
        int frac = bits & 0x007fffff;
        long f;
        int e;
        boolean pow2;
        if (biased == 0) {
            f = frac;
            e = -149;
            pow2 = Integer.bitCount(frac) == 1;
            for (int i = 0; i < SUBNORMAL_F_KEYS.length; i++) {
                if (frac == SUBNORMAL_F_KEYS[i]) {
                    return parseException(bits < 0, SUBNORMAL_F_VALUES[i]);
                }
            }
        } else {
            f = frac | (1 << 23);
            e = biased - 150;
            pow2 = frac == 0;
        }
        return convert(bits < 0, f, e, pow2, 85);
    }

    /** "d.dE-n" from the exceptions table as a Decimal. */
    private static Decimal parseException(boolean negative, String s) {
        int ePos = s.indexOf('E');
        char[] digits = new char[ePos - 1];
        int n = 0;
        for (int i = 0; i < ePos; i++) {
            char c = s.charAt(i);
            if (c != '.') {
                digits[n++] = c;
            }
        }
        while (n > 1 && digits[n - 1] == '0') {
            n--;
        }
        return new Decimal(negative, digits, n, Integer.parseInt(s.substring(ePos + 1)) + 1);
    }

    /**
     * v = f * 2^e. longLimit: the largest binary exponent at which the JDK's 64-bit generator
     * overflows for estimate 26.
     */
    private static Decimal convert(boolean negative, long f, int e, boolean pow2, int longLimit) {
        int binExp = e + 63 - Long.numberOfLeadingZeros(f); // exponent of the leading bit
        if (e >= 0 && binExp <= 62) {
            return integral(negative, f << e, e - 2);
        }
        if (e < 0 && binExp >= 0 && binExp <= 62 && (f & ((1L << -e) - 1)) == 0) {
            return integral(negative, f >> -e, e - 2);
        }
        // v / 10^k = R / S with margin M / S on both sides (M is half an ulp; everything is
        // doubled so that it is an integer): R = f 2^(e+1) 10^max(-k,0), S = 2 10^max(k,0),
        // M = 2^e 10^max(-k,0). For a power-of-two significand R and S are doubled again, so
        // that M is a quarter ulp. Powers of two common to all three are dropped.
        int estimate = estimateExponent(f, binExp);
        int k = estimate;
        int twoR = e + 1 + (pow2 ? 1 : 0);
        int twoS = 1 + (pow2 ? 1 : 0);
        int twoM = e;
        if (k >= 0) {
            twoS += k;
        } else {
            twoR -= k;
            twoM -= k;
        }
        int common = Math.min(twoR, Math.min(twoS, twoM));
        BigNat five = BigNat.pow5(Math.abs(k));
        BigNat r = BigNat.valueOf(f).shiftLeft(twoR - common);
        BigNat s = BigNat.ONE.shiftLeft(twoS - common);
        BigNat m = BigNat.ONE.shiftLeft(twoM - common);
        if (k >= 0) {
            s = s.mul(five);
        } else {
            r = r.mul(five);
            m = m.mul(five);
        }
        while (r.compareTo(s) >= 0) {
            s = s.mul(10);
            k++;
        }
        while (r.mul(10).compareTo(s) < 0) {
            r = r.mul(10);
            m = m.mul(10);
            k--;
        }
        boolean overflowing = estimate == 26 && binExp <= longLimit;
        boolean inclusiveHigh = estimate >= 27;
        char[] digits = new char[32];
        int n;
        if (!overflowing && !inclusiveHigh && s.bitLength() <= 59 && m.compareTo(s) < 0) {
            n = generateLong(r.longValue(), s.longValue(), m.longValue(), digits);
        } else {
            n = generateBig(r, s, m, digits, overflowing, inclusiveHigh);
        }
        if (n < 0) {
            // the digits rounded up to 10^k
            digits[0] = '1';
            n = 1;
            k++;
        }
        return new Decimal(negative, digits, n, k);
    }

    /** Estimate of floor(log10(v)) + 1 from the binary exponent and the leading bits. */
    private static int estimateExponent(long f, int binExp) {
        int shift = 63 - Long.numberOfLeadingZeros(f);
        double d2 = (double) f / (double) (1L << shift); // in [1, 2)
        double ds = (d2 - 1.5) * 0.289529654602168 + 0.1760912590558 + binExp * 0.301029995663981;
        int k = (int) ds;
        if (ds < 0 && ds != k) {
            k--; // floor
        }
        return k + 1;
    }

    /** Digits in 64-bit arithmetic (exact: s below 2^59). Returns the count, or -1 for a carry out. */
    private static int generateLong(long r, long s, long m, char[] digits) {
        int n = 0;
        while (true) {
            r *= 10;
            m *= 10;
            int u = (int) (r / s);
            r = r % s;
            boolean low = r < m;
            boolean high = r + m > s;
            if (!low && !high) {
                digits[n++] = (char) ('0' + u);
                continue;
            }
            if (low && high) {
                long twice = r << 1;
                if (twice > s || (twice == s && (u & 1) != 0)) {
                    u++;
                }
            } else if (high) {
                u++;
            }
            return finish(digits, n, u);
        }
    }

    /**
     * The digit loop on mutable little-endian limb arrays (the numbers have up to ~35 limbs
     * for extreme exponents; this avoids allocating at every step). Each step: r *= 10,
     * m *= 10, u = r / s (0..9, estimated from the top bits then corrected), r -= u * s.
     */
    private static int generateBig(BigNat rb, BigNat sb, BigNat mb, char[] digits, boolean overflowing,
            boolean inclusiveHigh) {
        int cap = sb.limbCount() + 2;
        int[] s = sb.toLimbs(cap);
        int sn = sb.limbCount();
        int[] r = rb.toLimbs(cap);
        int rn = rb.limbCount();
        int[] m = mb.toLimbs(cap);
        int mn = mb.limbCount();
        int[] sum = new int[cap + 1];
        int sBits = bitLength(s, sn);
        int shift = Math.max(0, sBits - 59);
        long sTop = topBits(s, sn, shift) + 1; // s >> shift, rounded up: never overestimates u
        BigNat limit = overflowing ? sb.shiftLeft(63) : null;
        int n = 0;
        while (true) {
            rn = mulAdd(r, rn, 10);
            mn = mulAdd(m, mn, 10);
            int u = (int) (topBits(r, rn, shift) / sTop);
            if (u > 0) {
                rn = subMul(r, rn, s, sn, u);
            }
            while (compare(r, rn, s, sn) >= 0) {
                rn = subMul(r, rn, s, sn, 1);
                u++;
            }
            boolean low = compare(r, rn, m, mn) < 0;
            int sumN = add(sum, r, rn, m, mn);
            int c = compare(sum, sumN, s, sn);
            boolean high = c > (inclusiveHigh ? -1 : 0);
            if (high && overflowing && BigNat.ofLimbs(sum, sumN).mul(T26).compareTo(limit) >= 0) {
                high = false; // JDK 17's signed 64-bit sum wraps negative here
            }
            if (!low && !high) {
                digits[n++] = (char) ('0' + u);
                continue;
            }
            if (low && high) {
                int c2 = compareTwice(r, rn, s, sn);
                if (c2 > 0 || (c2 == 0 && (u & 1) != 0)) {
                    u++;
                }
            } else if (high) {
                u++;
            }
            return finish(digits, n, u);
        }
    }

    private static final long LIMB = 0xffffffffL;

    private static int bitLength(int[] a, int n) {
        return n == 0 ? 0 : 32 * (n - 1) + 32 - Integer.numberOfLeadingZeros(a[n - 1]);
    }

    /** (a >> shift) as a long; the caller guarantees it fits in 63 bits. */
    private static long topBits(int[] a, int n, int shift) {
        int w = shift >>> 5;
        int b = shift & 31;
        long lo = (w < n) ? (a[w] & LIMB) : 0;
        long mid = (w + 1 < n) ? (a[w + 1] & LIMB) : 0;
        if (b == 0) {
            return lo | (mid << 32);
        }
        long hi = (w + 2 < n) ? (a[w + 2] & LIMB) : 0;
        return (lo >>> b) | (mid << (32 - b)) | (hi << (64 - b));
    }

    /** a = a * k, in place; returns the new length. */
    private static int mulAdd(int[] a, int n, int k) {
        long carry = 0;
        for (int i = 0; i < n; i++) {
            long p = (a[i] & LIMB) * k + carry;
            a[i] = (int) p;
            carry = p >>> 32;
        }
        if (carry != 0) {
            a[n++] = (int) carry;
        }
        return n;
    }

    /** a -= q * b (a >= q * b), in place; returns the new length. */
    private static int subMul(int[] a, int an, int[] b, int bn, int q) {
        long borrow = 0;
        long carry = 0;
        for (int i = 0; i < an; i++) {
            long p = (i < bn ? (b[i] & LIMB) * q : 0) + carry;
            carry = p >>> 32;
            long d = (a[i] & LIMB) - (p & LIMB) - borrow;
            a[i] = (int) d;
            borrow = (d >>> 63);
        }
        while (an > 0 && a[an - 1] == 0) {
            an--;
        }
        return an;
    }

    /** dst = a + b; returns the length. */
    private static int add(int[] dst, int[] a, int an, int[] b, int bn) {
        int n = Math.max(an, bn);
        long carry = 0;
        for (int i = 0; i < n; i++) {
            long x = (i < an ? a[i] & LIMB : 0) + (i < bn ? b[i] & LIMB : 0) + carry;
            dst[i] = (int) x;
            carry = x >>> 32;
        }
        if (carry != 0) {
            dst[n++] = (int) carry;
        }
        return n;
    }

    private static int compare(int[] a, int an, int[] b, int bn) {
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

    /** Compares 2a with b. */
    private static int compareTwice(int[] a, int an, int[] b, int bn) {
        int[] t = new int[an + 1];
        System.arraycopy(a, 0, t, 0, an);
        int tn = mulAdd(t, an, 2);
        return compare(t, tn, b, bn);
    }

    /** Appends the last digit u (possibly 10), propagating a carry and dropping trailing zeros. */
    private static int finish(char[] digits, int n, int u) {
        if (u < 10) {
            digits[n++] = (char) ('0' + u);
        } else {
            while (n > 0 && digits[n - 1] == '9') {
                n--;
            }
            if (n == 0) {
                return -1;
            }
            digits[n - 1]++;
        }
        while (n > 1 && digits[n - 1] == '0') {
            n--;
        }
        return n;
    }

    /** An integral value below 2^63: its digits, the lowest floor(log10(2^x)) rounded away (x > 0). */
    private static Decimal integral(boolean negative, long value, int x) {
        int drop = x > 0 ? (int) ((x * 30103L) / 100000L) : 0;
        long v = value;
        if (drop > 0) {
            long p = 1;
            for (int i = 0; i < drop; i++) {
                p *= 10;
            }
            long q = v / p;
            long rest = v % p;
            if (rest * 2 >= p) {
                q++;
            }
            v = q;
        }
        char[] buf = new char[20];
        int len = 0;
        long t = v;
        do {
            buf[len++] = (char) ('0' + (int) (t % 10));
            t /= 10;
        } while (t != 0);
        int exponent = len + drop;
        char[] digits = new char[len];
        for (int i = 0; i < len; i++) {
            digits[i] = buf[len - 1 - i];
        }
        int n = len;
        while (n > 1 && digits[n - 1] == '0') {
            n--;
        }
        return new Decimal(negative, digits, n, exponent);
    }

    /** Java's format: plain for 10^-3 <= |v| < 10^7, else computerized scientific notation. */
    public static String format(Decimal dec) {
        StringBuilder sb = new StringBuilder(26);
        if (dec.negative) {
            sb.append('-');
        }
        char[] d = dec.digits;
        int n = dec.length;
        int k = dec.exponent;
        if (k > -3 && k <= 7) {
            if (k > 0) {
                for (int i = 0; i < k; i++) {
                    sb.append(i < n ? d[i] : '0');
                }
                sb.append('.');
                if (n > k) {
                    sb.append(d, k, n - k);
                } else {
                    sb.append('0');
                }
            } else {
                sb.append("0.");
                for (int i = k; i < 0; i++) {
                    sb.append('0');
                }
                sb.append(d, 0, n);
            }
        } else {
            sb.append(d[0]).append('.');
            if (n > 1) {
                sb.append(d, 1, n - 1);
            } else {
                sb.append('0');
            }
            sb.append('E').append(k - 1);
        }
        return sb.toString();
    }
}
