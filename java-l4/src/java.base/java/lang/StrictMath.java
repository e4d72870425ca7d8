// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.lang;

/**
 * StrictMath. The transcendental functions (sin ... log1p, sqrt, cbrt, hypot, pow) are VM
 * natives: the specification requires fdlibm's results bit for bit, and the VM provides them
 * in Rust. Rounding functions and IEEEremainder are exact and computed here from the IEEE 754
 * representation; the rest is Math's (which is exact for those methods).
 */
public final class StrictMath {
    private StrictMath() {
    }

    public static final double E = 2.7182818284590452354;
    public static final double PI = 3.14159265358979323846;

    private static final long SIGN = 0x8000000000000000L;
    private static final long MANTISSA = 0x000fffffffffffffL;
    private static final double TWO_52 = 4503599627370496.0;

    // ---- natives (fdlibm semantics, implemented by the VM)

    public static native double sin(double a);

    public static native double cos(double a);

    public static native double tan(double a);

    public static native double asin(double a);

    public static native double acos(double a);

    public static native double atan(double a);

    public static native double exp(double a);

    public static native double log(double a);

    public static native double log10(double a);

    public static native double sqrt(double a);

    public static native double cbrt(double a);

    public static native double atan2(double y, double x);

    public static native double pow(double a, double b);

    public static native double sinh(double x);

    public static native double cosh(double x);

    public static native double tanh(double x);

    public static native double hypot(double x, double y);

    public static native double expm1(double x);

    public static native double log1p(double x);

    // ---- rounding to integers

    /** The largest integral value not above a: the fraction bits are cleared (toward -inf). */
    public static double floor(double a) {
        long bits = Double.doubleToRawLongBits(a);
        int exp = (int) ((bits >>> 52) & 0x7ff) - 1023;
        if (exp >= 52) {
            return a; // integral already, or NaN/infinity
        }
        if (exp < 0) {
            // |a| < 1: +0.0 for positive values, -1.0 for negative ones, zeros unchanged
            if (a == 0.0) {
                return a;
            }
            return (bits > 0) ? 0.0 : -1.0;
        }
        long fraction = MANTISSA >>> exp;
        if ((bits & fraction) == 0) {
            return a;
        }
        if (bits < 0) {
            bits += fraction + 1; // one more unit of magnitude (may carry into the exponent)
        }
        return Double.longBitsToDouble(bits & ~fraction);
    }

    /** The smallest integral value not below a; ceil(x) == -floor(-x). */
    public static double ceil(double a) {
        return -floor(-a);
    }

    /** The integral value closest to a, ties to the even one; keeps the sign of a. */
    public static double rint(double a) {
        double m = Math.abs(a);
        if (m < TWO_52) {
            // adding 2^52 leaves no fraction bits: the addition rounds half-even for us
            m = (m + TWO_52) - TWO_52;
        }
        return Math.copySign(m, a);
    }

    public static long round(double a) {
        return Math.round(a);
    }

    public static int round(float a) {
        return Math.round(a);
    }

    /**
     * f1 - f2 * n, n the integer closest to f1 / f2 (ties: even n), computed exactly on the
     * integer significands (the result is always representable).
     */
    public static double IEEEremainder(double f1, double f2) {
        if (f1 != f1 || f2 != f2 || Double.isInfinite(f1) || f2 == 0.0) {
            return Double.NaN;
        }
        if (Double.isInfinite(f2) || f1 == 0.0) {
            return f1;
        }
        long bx = Double.doubleToRawLongBits(f1);
        long by = Double.doubleToRawLongBits(f2);
        // |x| = mx * 2^ex, |y| = my * 2^ey, significands normalized to 53 bits
        long mx = significand(bx);
        int ex = exponent(bx);
        int sx = Long.numberOfLeadingZeros(mx) - 11;
        mx <<= sx;
        ex -= sx;
        long my = significand(by);
        int ey = exponent(by);
        int sy = Long.numberOfLeadingZeros(my) - 11;
        my <<= sy;
        ey -= sy;
        long r; // the remainder |x| mod |y|, in units of 2^scale
        int scale;
        boolean odd; // parity of the truncated quotient
        if (ex < ey) {
            if (ey - ex >= 2) {
                return f1; // |x| < |y| / 2
            }
            // |x| < |y| <= 2|x|: quotient 0, remainder |x|, compared at scale ex
            r = mx;
            my <<= 1;
            scale = ex;
            odd = false;
        } else {
            r = mx % my;
            odd = ((mx / my) & 1) != 0;
            for (int i = ex - ey; i > 0; i--) {
                r <<= 1;
                if (r >= my) {
                    r -= my;
                    odd = true;
                } else {
                    odd = false;
                }
            }
            scale = ey;
        }
        // round the quotient to nearest, ties to even
        if (2 * r > my || (2 * r == my && odd)) {
            r -= my;
        }
        double result = Math.scalb((double) r, scale);
        if (result == 0.0) {
            return Math.copySign(0.0, f1);
        }
        return (bx < 0) ? -result : result;
    }

    private static long significand(long bits) {
        long m = bits & MANTISSA;
        return ((bits >>> 52) & 0x7ff) == 0 ? m : (m | (1L << 52));
    }

    private static int exponent(long bits) {
        int biased = (int) ((bits >>> 52) & 0x7ff);
        return (biased == 0 ? 1 : biased) - 1075;
    }

    // ---- the exact methods are Math's

    public static double random() {
        return Math.random();
    }

    public static int addExact(int x, int y) {
        return Math.addExact(x, y);
    }

    public static long addExact(long x, long y) {
        return Math.addExact(x, y);
    }

    public static int subtractExact(int x, int y) {
        return Math.subtractExact(x, y);
    }

    public static long subtractExact(long x, long y) {
        return Math.subtractExact(x, y);
    }

    public static int multiplyExact(int x, int y) {
        return Math.multiplyExact(x, y);
    }

    public static long multiplyExact(long x, int y) {
        return Math.multiplyExact(x, y);
    }

    public static long multiplyExact(long x, long y) {
        return Math.multiplyExact(x, y);
    }

    public static int incrementExact(int a) {
        return Math.incrementExact(a);
    }

    public static long incrementExact(long a) {
        return Math.incrementExact(a);
    }

    public static int decrementExact(int a) {
        return Math.decrementExact(a);
    }

    public static long decrementExact(long a) {
        return Math.decrementExact(a);
    }

    public static int negateExact(int a) {
        return Math.negateExact(a);
    }

    public static long negateExact(long a) {
        return Math.negateExact(a);
    }

    public static int toIntExact(long value) {
        return Math.toIntExact(value);
    }

    public static long multiplyFull(int x, int y) {
        return Math.multiplyFull(x, y);
    }

    public static long multiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y);
    }

    public static int floorDiv(int x, int y) {
        return Math.floorDiv(x, y);
    }

    public static long floorDiv(long x, int y) {
        return Math.floorDiv(x, y);
    }

    public static long floorDiv(long x, long y) {
        return Math.floorDiv(x, y);
    }

    public static int floorMod(int x, int y) {
        return Math.floorMod(x, y);
    }

    public static int floorMod(long x, int y) {
        return Math.floorMod(x, y);
    }

    public static long floorMod(long x, long y) {
        return Math.floorMod(x, y);
    }

    public static int abs(int a) {
        return Math.abs(a);
    }

    public static int absExact(int a) {
        return Math.absExact(a);
    }

    public static long abs(long a) {
        return Math.abs(a);
    }

    public static long absExact(long a) {
        return Math.absExact(a);
    }

    public static float abs(float a) {
        return Math.abs(a);
    }

    public static double abs(double a) {
        return Math.abs(a);
    }

    public static int max(int a, int b) {
        return Math.max(a, b);
    }

    public static long max(long a, long b) {
        return Math.max(a, b);
    }

    public static float max(float a, float b) {
        return Math.max(a, b);
    }

    public static double max(double a, double b) {
        return Math.max(a, b);
    }

    public static int min(int a, int b) {
        return Math.min(a, b);
    }

    public static long min(long a, long b) {
        return Math.min(a, b);
    }

    public static float min(float a, float b) {
        return Math.min(a, b);
    }

    public static double min(double a, double b) {
        return Math.min(a, b);
    }

    public static double toRadians(double angdeg) {
        return Math.toRadians(angdeg);
    }

    public static double toDegrees(double angrad) {
        return Math.toDegrees(angrad);
    }

    public static double ulp(double d) {
        return Math.ulp(d);
    }

    public static float ulp(float f) {
        return Math.ulp(f);
    }

    public static double signum(double d) {
        return Math.signum(d);
    }

    public static float signum(float f) {
        return Math.signum(f);
    }

    public static double copySign(double magnitude, double sign) {
        // StrictMath treats a NaN sign argument as positive
        return Math.copySign(magnitude, (sign != sign) ? 1.0d : sign);
    }

    public static float copySign(float magnitude, float sign) {
        return Math.copySign(magnitude, (sign != sign) ? 1.0f : sign);
    }

    public static int getExponent(float f) {
        return Math.getExponent(f);
    }

    public static int getExponent(double d) {
        return Math.getExponent(d);
    }

    public static double nextAfter(double start, double direction) {
        return Math.nextAfter(start, direction);
    }

    public static float nextAfter(float start, double direction) {
        return Math.nextAfter(start, direction);
    }

    public static double nextUp(double d) {
        return Math.nextUp(d);
    }

    public static float nextUp(float f) {
        return Math.nextUp(f);
    }

    public static double nextDown(double d) {
        return Math.nextDown(d);
    }

    public static float nextDown(float f) {
        return Math.nextDown(f);
    }

    public static double scalb(double d, int scaleFactor) {
        return Math.scalb(d, scaleFactor);
    }

    public static float scalb(float f, int scaleFactor) {
        return Math.scalb(f, scaleFactor);
    }
}
