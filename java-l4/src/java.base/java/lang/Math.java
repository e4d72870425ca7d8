package java.lang;

import java.util.Random;

/**
 * Math, written from the Javadoc's specification. The transcendental functions delegate to
 * StrictMath (the specification allows any result within 1 ulp; HotSpot's intrinsics for
 * sin, cos, tan, exp, log, log10 and pow can differ from StrictMath by an ulp on some
 * inputs, so those can print differently from HotSpot's). Everything else is exact and
 * checked bit for bit against the JDK by the shadow tests.
 */
public final class Math {
    private Math() {
    }

    public static final double E = 2.7182818284590452354;
    public static final double PI = 3.14159265358979323846;

    // JDK 17 converts angles with one multiplication by these (observable in the last bit)
    private static final double DEGREES_TO_RADIANS = PI / 180.0;
    private static final double RADIANS_TO_DEGREES = 180.0 / PI;

    private static final long SIGN_BIT = 0x8000000000000000L;
    private static final long EXP_BITS = 0x7ff0000000000000L;
    private static final long SIGNIF_BITS = 0x000fffffffffffffL;

    public static double sin(double a) {
        return StrictMath.sin(a);
    }

    public static double cos(double a) {
        return StrictMath.cos(a);
    }

    public static double tan(double a) {
        return StrictMath.tan(a);
    }

    public static double asin(double a) {
        return StrictMath.asin(a);
    }

    public static double acos(double a) {
        return StrictMath.acos(a);
    }

    public static double atan(double a) {
        return StrictMath.atan(a);
    }

    public static double toRadians(double angdeg) {
        return angdeg * DEGREES_TO_RADIANS;
    }

    public static double toDegrees(double angrad) {
        return angrad * RADIANS_TO_DEGREES;
    }

    public static double exp(double a) {
        return StrictMath.exp(a);
    }

    public static double log(double a) {
        return StrictMath.log(a);
    }

    public static double log10(double a) {
        return StrictMath.log10(a);
    }

    public static double sqrt(double a) {
        return StrictMath.sqrt(a);
    }

    public static double cbrt(double a) {
        return StrictMath.cbrt(a);
    }

    public static double IEEEremainder(double f1, double f2) {
        return StrictMath.IEEEremainder(f1, f2);
    }

    public static double ceil(double a) {
        return StrictMath.ceil(a);
    }

    public static double floor(double a) {
        return StrictMath.floor(a);
    }

    public static double rint(double a) {
        return StrictMath.rint(a);
    }

    public static double atan2(double y, double x) {
        return StrictMath.atan2(y, x);
    }

    public static double pow(double a, double b) {
        return StrictMath.pow(a, b);
    }

    public static double sinh(double x) {
        return StrictMath.sinh(x);
    }

    public static double cosh(double x) {
        return StrictMath.cosh(x);
    }

    public static double tanh(double x) {
        return StrictMath.tanh(x);
    }

    public static double hypot(double x, double y) {
        return StrictMath.hypot(x, y);
    }

    public static double expm1(double x) {
        return StrictMath.expm1(x);
    }

    public static double log1p(double x) {
        return StrictMath.log1p(x);
    }

    /**
     * The closest int, ties toward positive infinity; NaN gives 0 and out-of-range values
     * saturate. Computed without adding 0.5 (which can round up, e.g. 0.49999997f).
     */
    public static int round(float a) {
        if (a != a) {
            return 0;
        }
        float f = (float) StrictMath.floor(a);
        // for |a| < 2^23 the fraction a - f is exact; beyond, a is integral and f == a
        return (int) f + ((a - f >= 0.5f) ? 1 : 0);
    }

    public static long round(double a) {
        if (a != a) {
            return 0;
        }
        double f = StrictMath.floor(a);
        return (long) f + ((a - f >= 0.5) ? 1 : 0);
    }

    private static final class RandomNumberGeneratorHolder {
        static final Random randomNumberGenerator = new Random();
    }

    public static double random() {
        return RandomNumberGeneratorHolder.randomNumberGenerator.nextDouble();
    }

    // ---- exact integer arithmetic

    public static int addExact(int x, int y) {
        long r = (long) x + y;
        if ((int) r != r) {
            throw new ArithmeticException("integer overflow");
        }
        return (int) r;
    }

    public static long addExact(long x, long y) {
        long r = x + y;
        // overflow iff both operands have the sign opposite to the result's
        if (((x ^ r) & (y ^ r)) < 0) {
            throw new ArithmeticException("long overflow");
        }
        return r;
    }

    public static int subtractExact(int x, int y) {
        long r = (long) x - y;
        if ((int) r != r) {
            throw new ArithmeticException("integer overflow");
        }
        return (int) r;
    }

    public static long subtractExact(long x, long y) {
        long r = x - y;
        // overflow iff the operands differ in sign and the result's sign differs from x's
        if (((x ^ y) & (x ^ r)) < 0) {
            throw new ArithmeticException("long overflow");
        }
        return r;
    }

    public static int multiplyExact(int x, int y) {
        long r = (long) x * (long) y;
        if ((int) r != r) {
            throw new ArithmeticException("integer overflow");
        }
        return (int) r;
    }

    public static long multiplyExact(long x, int y) {
        return multiplyExact(x, (long) y);
    }

    public static long multiplyExact(long x, long y) {
        long r = x * y;
        long hi = multiplyHigh(x, y);
        // the 128-bit product fits in a long iff its high half is the sign extension of r
        if (hi != (r >> 63)) {
            throw new ArithmeticException("long overflow");
        }
        return r;
    }

    public static int incrementExact(int a) {
        if (a == Integer.MAX_VALUE) {
            throw new ArithmeticException("integer overflow");
        }
        return a + 1;
    }

    public static long incrementExact(long a) {
        if (a == Long.MAX_VALUE) {
            throw new ArithmeticException("long overflow");
        }
        return a + 1L;
    }

    public static int decrementExact(int a) {
        if (a == Integer.MIN_VALUE) {
            throw new ArithmeticException("integer overflow");
        }
        return a - 1;
    }

    public static long decrementExact(long a) {
        if (a == Long.MIN_VALUE) {
            throw new ArithmeticException("long overflow");
        }
        return a - 1L;
    }

    public static int negateExact(int a) {
        if (a == Integer.MIN_VALUE) {
            throw new ArithmeticException("integer overflow");
        }
        return -a;
    }

    public static long negateExact(long a) {
        if (a == Long.MIN_VALUE) {
            throw new ArithmeticException("long overflow");
        }
        return -a;
    }

    public static int toIntExact(long value) {
        if ((int) value != value) {
            throw new ArithmeticException("integer overflow");
        }
        return (int) value;
    }

    public static long multiplyFull(int x, int y) {
        return (long) x * (long) y;
    }

    /** The high 64 bits of the 128-bit signed product, from 32-bit partial products. */
    public static long multiplyHigh(long x, long y) {
        long xHi = x >> 32;
        long xLo = x & 0xFFFFFFFFL;
        long yHi = y >> 32;
        long yLo = y & 0xFFFFFFFFL;
        long loLo = xLo * yLo;
        long mid1 = xHi * yLo + (loLo >>> 32);
        long mid2 = xLo * yHi + (mid1 & 0xFFFFFFFFL);
        return xHi * yHi + (mid1 >> 32) + (mid2 >> 32);
    }

    public static int floorDiv(int x, int y) {
        int q = x / y;
        // round toward negative infinity when the signs differ and the division is inexact
        if ((x ^ y) < 0 && q * y != x) {
            q--;
        }
        return q;
    }

    public static long floorDiv(long x, int y) {
        return floorDiv(x, (long) y);
    }

    public static long floorDiv(long x, long y) {
        long q = x / y;
        if ((x ^ y) < 0 && q * y != x) {
            q--;
        }
        return q;
    }

    public static int floorMod(int x, int y) {
        int m = x % y;
        // the result takes the divisor's sign
        if ((m ^ y) < 0 && m != 0) {
            m += y;
        }
        return m;
    }

    public static int floorMod(long x, int y) {
        return (int) floorMod(x, (long) y);
    }

    public static long floorMod(long x, long y) {
        long m = x % y;
        if ((m ^ y) < 0 && m != 0) {
            m += y;
        }
        return m;
    }

    // ---- abs, max, min

    public static int abs(int a) {
        return (a < 0) ? -a : a;
    }

    public static int absExact(int a) {
        if (a == Integer.MIN_VALUE) {
            throw new ArithmeticException("Overflow to represent absolute value of Integer.MIN_VALUE");
        }
        return abs(a);
    }

    public static long abs(long a) {
        return (a < 0) ? -a : a;
    }

    public static long absExact(long a) {
        if (a == Long.MIN_VALUE) {
            throw new ArithmeticException("Overflow to represent absolute value of Long.MIN_VALUE");
        }
        return abs(a);
    }

    /** Clears the sign bit: abs(-0.0) is 0.0 and NaN stays NaN. */
    public static float abs(float a) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(a) & 0x7fffffff);
    }

    public static double abs(double a) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(a) & ~SIGN_BIT);
    }

    public static int max(int a, int b) {
        return (a >= b) ? a : b;
    }

    public static long max(long a, long b) {
        return (a >= b) ? a : b;
    }

    /** NaN if either is NaN; 0.0 is greater than -0.0. */
    public static float max(float a, float b) {
        if (a != a) {
            return a;
        }
        if (a == 0.0f && b == 0.0f) {
            return (Float.floatToRawIntBits(a) == 0) ? a : b;
        }
        return (a >= b) ? a : b;
    }

    public static double max(double a, double b) {
        if (a != a) {
            return a;
        }
        if (a == 0.0 && b == 0.0) {
            return (Double.doubleToRawLongBits(a) == 0L) ? a : b;
        }
        return (a >= b) ? a : b;
    }

    public static int min(int a, int b) {
        return (a <= b) ? a : b;
    }

    public static long min(long a, long b) {
        return (a <= b) ? a : b;
    }

    /** NaN if either is NaN; -0.0 is less than 0.0. */
    public static float min(float a, float b) {
        if (a != a) {
            return a;
        }
        if (a == 0.0f && b == 0.0f) {
            return (Float.floatToRawIntBits(b) != 0) ? b : a;
        }
        return (a <= b) ? a : b;
    }

    public static double min(double a, double b) {
        if (a != a) {
            return a;
        }
        if (a == 0.0 && b == 0.0) {
            return (Double.doubleToRawLongBits(b) != 0L) ? b : a;
        }
        return (a <= b) ? a : b;
    }

    // ---- IEEE 754 helpers

    /** The distance to the next larger magnitude: 2^(exponent - 52), MIN_VALUE for subnormals. */
    public static double ulp(double d) {
        int exp = getExponent(d);
        if (exp == Double.MAX_EXPONENT + 1) {
            return abs(d); // NaN or infinity
        }
        if (exp == Double.MIN_EXPONENT - 1) {
            return Double.MIN_VALUE; // zero or subnormal
        }
        exp -= 52;
        if (exp >= Double.MIN_EXPONENT) {
            return powerOfTwoD(exp);
        }
        return Double.longBitsToDouble(1L << (exp - (Double.MIN_EXPONENT - 52)));
    }

    public static float ulp(float f) {
        int exp = getExponent(f);
        if (exp == Float.MAX_EXPONENT + 1) {
            return abs(f);
        }
        if (exp == Float.MIN_EXPONENT - 1) {
            return Float.MIN_VALUE;
        }
        exp -= 23;
        if (exp >= Float.MIN_EXPONENT) {
            return powerOfTwoF(exp);
        }
        return Float.intBitsToFloat(1 << (exp - (Float.MIN_EXPONENT - 23)));
    }

    public static double signum(double d) {
        return (d == 0.0 || d != d) ? d : copySign(1.0, d);
    }

    public static float signum(float f) {
        return (f == 0.0f || f != f) ? f : copySign(1.0f, f);
    }

    /** The magnitude's bits with the sign's sign bit (a NaN sign is taken as it is). */
    public static double copySign(double magnitude, double sign) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(sign) & SIGN_BIT)
                | (Double.doubleToRawLongBits(magnitude) & ~SIGN_BIT));
    }

    public static float copySign(float magnitude, float sign) {
        return Float.intBitsToFloat((Float.floatToRawIntBits(sign) & 0x80000000)
                | (Float.floatToRawIntBits(magnitude) & 0x7fffffff));
    }

    /** The unbiased exponent: MAX_EXPONENT + 1 for NaN and infinity, MIN_EXPONENT - 1 for 0 and subnormals. */
    public static int getExponent(float f) {
        return ((Float.floatToRawIntBits(f) & 0x7f800000) >> 23) - 127;
    }

    public static int getExponent(double d) {
        return (int) (((Double.doubleToRawLongBits(d) & EXP_BITS) >> 52) - 1023);
    }

    public static double nextAfter(double start, double direction) {
        if (start > direction) {
            // toward negative infinity
            if (start != 0.0) {
                long bits = Double.doubleToRawLongBits(start);
                return Double.longBitsToDouble(bits + ((bits > 0) ? -1 : 1));
            }
            return -Double.MIN_VALUE;
        } else if (start < direction) {
            // toward positive infinity; 0.0 + 0.0 turns -0.0 into 0.0
            long bits = Double.doubleToRawLongBits(start + 0.0);
            return Double.longBitsToDouble(bits + ((bits >= 0) ? 1 : -1));
        } else if (start == direction) {
            return direction;
        } else {
            return start + direction; // a NaN
        }
    }

    public static float nextAfter(float start, double direction) {
        if (start > direction) {
            if (start != 0.0f) {
                int bits = Float.floatToRawIntBits(start);
                return Float.intBitsToFloat(bits + ((bits > 0) ? -1 : 1));
            }
            return -Float.MIN_VALUE;
        } else if (start < direction) {
            int bits = Float.floatToRawIntBits(start + 0.0f);
            return Float.intBitsToFloat(bits + ((bits >= 0) ? 1 : -1));
        } else if (start == direction) {
            return (float) direction;
        } else {
            return start + (float) direction;
        }
    }

    public static double nextUp(double d) {
        if (d < Double.POSITIVE_INFINITY) {
            long bits = Double.doubleToRawLongBits(d + 0.0);
            return Double.longBitsToDouble(bits + ((bits >= 0L) ? 1L : -1L));
        }
        return d; // NaN or +infinity
    }

    public static float nextUp(float f) {
        if (f < Float.POSITIVE_INFINITY) {
            int bits = Float.floatToRawIntBits(f + 0.0f);
            return Float.intBitsToFloat(bits + ((bits >= 0) ? 1 : -1));
        }
        return f;
    }

    public static double nextDown(double d) {
        if (d != d || d == Double.NEGATIVE_INFINITY) {
            return d;
        }
        if (d == 0.0) {
            return -Double.MIN_VALUE;
        }
        long bits = Double.doubleToRawLongBits(d);
        return Double.longBitsToDouble(bits + ((d > 0.0) ? -1L : 1L));
    }

    public static float nextDown(float f) {
        if (f != f || f == Float.NEGATIVE_INFINITY) {
            return f;
        }
        if (f == 0.0f) {
            return -Float.MIN_VALUE;
        }
        int bits = Float.floatToRawIntBits(f);
        return Float.intBitsToFloat(bits + ((f > 0.0f) ? -1 : 1));
    }

    /**
     * d * 2^scaleFactor, rounded once (to nearest even) when the result is subnormal: the
     * significand is shifted as an integer instead of multiplying in steps.
     */
    public static double scalb(double d, int scaleFactor) {
        long bits = Double.doubleToRawLongBits(d);
        int biased = (int) ((bits & EXP_BITS) >>> 52);
        if (biased == 0x7ff || (bits & ~SIGN_BIT) == 0) {
            return d; // NaN, infinity, zero
        }
        long sign = bits & SIGN_BIT;
        long m = bits & SIGNIF_BITS;
        int e; // d = m * 2^e with m an integer
        if (biased == 0) {
            e = -1074;
        } else {
            m |= 1L << 52;
            e = biased - 1075;
        }
        // normalize so that bit 52 is the leading one
        int shift = Long.numberOfLeadingZeros(m) - 11;
        m <<= shift;
        e -= shift;
        long target = (long) e + scaleFactor; // exponent of the unit in the last place
        if (target > 971) {
            return Double.longBitsToDouble(sign | EXP_BITS); // overflow: infinity
        }
        if (target >= -1074) {
            return Double.longBitsToDouble(sign | ((target + 1075) << 52) | (m & SIGNIF_BITS));
        }
        // subnormal or underflow: drop (-1074 - target) low bits with round-half-even
        long drop = -1074 - target;
        if (drop > 54) {
            return Double.longBitsToDouble(sign);
        }
        long kept = m >>> drop;
        long rest = m & ((1L << drop) - 1);
        long half = 1L << (drop - 1);
        if (rest > half || (rest == half && (kept & 1) != 0)) {
            kept++; // may carry into the smallest normal exponent, which the bits express right
        }
        return Double.longBitsToDouble(sign | kept);
    }

    /** Float results are exact in double arithmetic except the final rounding to float. */
    public static float scalb(float f, int scaleFactor) {
        scaleFactor = Math.max(Math.min(scaleFactor, 278), -278);
        return (float) ((double) f * powerOfTwoD(scaleFactor));
    }

    /** 2^n for a normal exponent n. */
    static double powerOfTwoD(int n) {
        return Double.longBitsToDouble(((long) n + 1023) << 52);
    }

    static float powerOfTwoF(int n) {
        return Float.intBitsToFloat((n + 127) << 23);
    }
}
