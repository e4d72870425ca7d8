package shadowtest;

import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * StrictMath's and Math's Java-implemented methods against the JDK's, bit for bit. The
 * fdlibm functions (sin ... log1p, sqrt, cbrt, atan2, pow, hypot) are VM natives in our
 * library, so they cannot run here; the VM's differential tests cover them.
 */
public class StrictMathTest {
    static final double[] SPECIAL = {
        0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1.0, -1.0, 0.5, -0.5, 2.0, 3.0, 10.0,
        Math.PI, -Math.PI, Math.PI / 2, Math.PI / 4, 3 * Math.PI / 4, 1e-300, 1e300, 709.782712893384, 709.79, -745.13,
        -745.2, 1e-8, 1e8, 1e22, 1e-22, 0.7, 0.9999999999999999, 1.0000000000000002, 22.0, 0x1p-28, 0x1p-27,
        0x1p-1022, 0x1p1023, 1e15, 2.5e-8, 0.1, 0.25, 0.75
    };

    public static void main(String[] args) {
        Check c = new Check("StrictMath");
        int n = Check.n(100_000);
        unary(c, n, "floor", Math::floor, shadow.java.lang.StrictMath::floor, StrictMath::floor);
        unary(c, n, "ceil", Math::ceil, shadow.java.lang.StrictMath::ceil, StrictMath::ceil);
        unary(c, n, "rint", Math::rint, shadow.java.lang.StrictMath::rint, StrictMath::rint);
        unary(c, n, "Math.round", x -> Math.round(x), x -> shadow.java.lang.Math.round(x), x -> Math.round(x));
        unary(c, n, "Math.ulp", Math::ulp, shadow.java.lang.Math::ulp, Math::ulp);
        unary(c, n, "Math.signum", Math::signum, shadow.java.lang.Math::signum, Math::signum);
        unary(c, n, "Math.toRadians", Math::toRadians, shadow.java.lang.Math::toRadians, Math::toRadians);
        unary(c, n, "Math.toDegrees", Math::toDegrees, shadow.java.lang.Math::toDegrees, Math::toDegrees);
        unary(c, n, "Math.nextUp", Math::nextUp, shadow.java.lang.Math::nextUp, Math::nextUp);
        binary(c, n, "IEEEremainder", shadow.java.lang.StrictMath::IEEEremainder, StrictMath::IEEEremainder);
        binary(c, n, "Math.max", shadow.java.lang.Math::max, Math::max);
        binary(c, n, "Math.min", shadow.java.lang.Math::min, Math::min);
        binary(c, n, "Math.copySign", shadow.java.lang.Math::copySign, Math::copySign);
        binary(c, n, "StrictMath.copySign", shadow.java.lang.StrictMath::copySign, StrictMath::copySign);
        binary(c, n, "Math.nextAfter", shadow.java.lang.Math::nextAfter, Math::nextAfter);
        binary(c, n, "Math.scalb", (x, y) -> shadow.java.lang.Math.scalb(x, (int) (y % 2100)), (x, y) -> Math.scalb(x, (int) (y % 2100)));
        floats(c, n);
        c.done();
    }

    /** The float overloads of Math, on random float bit patterns and ranges. */
    static void floats(Check c, int n) {
        SplittableRandom rnd = new SplittableRandom(77);
        for (int i = 0; i < n; i++) {
            float f = i < SPECIAL.length ? (float) SPECIAL[i]
                    : (i % 2 == 0 ? Float.intBitsToFloat(rnd.nextInt()) : (float) ((rnd.nextDouble() - 0.5) * 100));
            float g = Float.intBitsToFloat(rnd.nextInt());
            int k = rnd.nextInt(-300, 300);
            String w = "(" + f + ")";
            c.eq("round(float)" + w, Math.round(f), shadow.java.lang.Math.round(f));
            c.eq("ulp(float)" + w, Float.floatToIntBits(Math.ulp(f)), Float.floatToIntBits(shadow.java.lang.Math.ulp(f)));
            c.eq("signum(float)" + w, Float.floatToIntBits(Math.signum(f)), Float.floatToIntBits(shadow.java.lang.Math.signum(f)));
            c.eq("nextUp(float)" + w, Float.floatToIntBits(Math.nextUp(f)), Float.floatToIntBits(shadow.java.lang.Math.nextUp(f)));
            c.eq("nextDown(float)" + w, Float.floatToIntBits(Math.nextDown(f)), Float.floatToIntBits(shadow.java.lang.Math.nextDown(f)));
            c.eq("nextAfter(float)" + w, Float.floatToIntBits(Math.nextAfter(f, (double) g)),
                    Float.floatToIntBits(shadow.java.lang.Math.nextAfter(f, (double) g)));
            c.eq("scalb(float)" + w + k, Float.floatToIntBits(Math.scalb(f, k)), Float.floatToIntBits(shadow.java.lang.Math.scalb(f, k)));
            c.eq("max(float)" + w, Float.floatToIntBits(Math.max(f, g)), Float.floatToIntBits(shadow.java.lang.Math.max(f, g)));
            c.eq("min(float)" + w, Float.floatToIntBits(Math.min(f, g)), Float.floatToIntBits(shadow.java.lang.Math.min(f, g)));
            c.eq("abs(float)" + w, Float.floatToIntBits(Math.abs(f)), Float.floatToIntBits(shadow.java.lang.Math.abs(f)));
            long a = rnd.nextLong();
            long b = i % 3 == 0 ? rnd.nextLong() : rnd.nextInt(-100, 100);
            c.eq("multiplyHigh " + a + " " + b, Math.multiplyHigh(a, b), shadow.java.lang.Math.multiplyHigh(a, b));
            c.eq("multiplyExact " + a + " " + b, Check.outcome(() -> Math.multiplyExact(a, b)),
                    Check.outcome(() -> shadow.java.lang.Math.multiplyExact(a, b)));
            c.eq("addExact " + a + " " + b, Check.outcome(() -> Math.addExact(a, b)), Check.outcome(() -> shadow.java.lang.Math.addExact(a, b)));
            c.eq("subtractExact " + a + " " + b, Check.outcome(() -> Math.subtractExact(a, b)),
                    Check.outcome(() -> shadow.java.lang.Math.subtractExact(a, b)));
            int x = (int) a;
            int y = (int) b;
            c.eq("int exact " + x + " " + y, Check.outcome(() -> Math.addExact(x, y) + "," + Math.subtractExact(x, y) + "," + Math.multiplyExact(x, y)),
                    Check.outcome(() -> shadow.java.lang.Math.addExact(x, y) + "," + shadow.java.lang.Math.subtractExact(x, y) + "," + shadow.java.lang.Math.multiplyExact(x, y)));
            c.eq("floorDiv/Mod " + a + " " + b, Check.outcome(() -> Math.floorDiv(a, b) + "," + Math.floorMod(a, b) + "," + Math.floorDiv(x, y) + "," + Math.floorMod(x, y) + "," + Math.floorMod(a, y)),
                    Check.outcome(() -> shadow.java.lang.Math.floorDiv(a, b) + "," + shadow.java.lang.Math.floorMod(a, b) + "," + shadow.java.lang.Math.floorDiv(x, y) + "," + shadow.java.lang.Math.floorMod(x, y) + "," + shadow.java.lang.Math.floorMod(a, y)));
            c.eq("toIntExact " + a, Check.outcome(() -> Math.toIntExact(b)), Check.outcome(() -> shadow.java.lang.Math.toIntExact(b)));
        }
    }

    /**
     * Raw bits, except that every NaN counts as one: the sign and payload of a NaN that the
     * JDK's C fdlibm produces depend on the C compiler and the CPU, not on Java semantics.
     */
    static long bits(double d) {
        return Double.doubleToLongBits(d);
    }

    /**
     * Inputs: the special values, uniformly random bit patterns, and values spread over the
     * function's interesting range (|x| up to about 1e3, and tiny values).
     */
    static double input(SplittableRandom rnd, int i) {
        if (i < SPECIAL.length) {
            return SPECIAL[i];
        }
        switch (i % 4) {
            case 0:
                return Double.longBitsToDouble(rnd.nextLong());
            case 1:
                return (rnd.nextDouble() * 2 - 1) * 10;
            case 2:
                return (rnd.nextDouble() * 2 - 1) * 1000;
            default:
                return (rnd.nextDouble() * 2 - 1) * Math.pow(2, rnd.nextInt(-60, 60));
        }
    }

    static void unary(Check c, int n, String name, DoubleUnaryOperator ignoredMath, DoubleUnaryOperator ours,
                      DoubleUnaryOperator jdk) {
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        for (int i = 0; i < n; i++) {
            double x = input(rnd, i);
            c.eq(name + "(" + x + ")", bits(jdk.applyAsDouble(x)),
                    bits(ours.applyAsDouble(x)));
        }
    }

    static void binary(Check c, int n, String name, DoubleBinaryOperator ours, DoubleBinaryOperator jdk) {
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        for (int i = 0; i < n; i++) {
            double x = input(rnd, i % 97 < SPECIAL.length ? i % 97 : i);
            double y = input(rnd, (i / 97) % 97 < SPECIAL.length && i < 97 * 97 ? (i / 97) % 97 : i + 1);
            c.eq(name + "(" + x + ", " + y + ")", bits(jdk.applyAsDouble(x, y)),
                    bits(ours.applyAsDouble(x, y)));
        }
    }
}
