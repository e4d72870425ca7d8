package shadowtest;

import java.util.SplittableRandom;
import shadow.capuchin.internal.FloatParser;
import shadow.capuchin.internal.FloatText;

/** Double/Float toString and parse: our FloatText and FloatParser against JDK 17's Double/Float. */
public class FloatingDecimalTest {
    static final double[] SPECIAL_D = {
        0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0.1, 0.2, 0.3, 1e23, 2e23, 1e22, 9007199254740993.0,
        1e-5, 1e-3, 1e7, 1e-7, 123456789.0, 2.0E-3, 1.0E21, 1.0E-4, 5e-324, 4.9e-324, 2.2250738585072014E-308,
        2.2250738585072011E-308, 1.7976931348623157E308, 0.001, 1000000.0, 9999999.999999998, 10000000.0,
        Math.PI, Math.E, 100.0, 1.1, 2.675, 1.005, 1e15, 1e16, 1e17, 123e-20
    };
    static final String[] PARSE_CASES = {
        "0", "-0", "+0.0", "1", "1.", ".5", "0.1", "1e10", "1E+10", "1e-10", "  3.5  ", "3.5d", "3.5f", "3.5D", "3.5F",
        "NaN", "-NaN", "+NaN", "Infinity", "-Infinity", "+Infinity", "Infinityx", "nan", "inf", "", " ", "-", "+", ".",
        "e5", "1e", "1e+", "0x1p0", "0x1.8p1", "0X1.8P-1", "-0x.8p1", "0x1p", "0x1.p0", "0x.p0", "0xp0", "0x1.fffffffffffffp1023",
        "0x1.fffffffffffff8p1023", "0x0.0000000000001p-1022", "0x1p-1075", "0x1p-1074", "0x1.8p-1074", "0x1P99999999999",
        "1e99999999999", "-1e-99999999999", "2.4703282292062327e-324", "2.4703282292062328e-324",
        "1.7976931348623158e308", "1.7976931348623159e308", "9007199254740993", "9007199254740993.000000000000001",
        "1_000", "1,5", "0.000000000000000000000000000000000000000000001e45", "123456789012345678901234567890",
        "7.038531e-26", "1.00000017881393432617187499", "3.4028235e38", "3.4028236e38", "1.4e-45", "0.7e-45",
        "  \t\n 1.5 \u000b", "\u00a01", "1.5\u2000", "0x1.000002p0", "4.9406564584124654E-324", "1e400", "-1e400"
    };

    public static void main(String[] args) {
        Check c = new Check("FloatingDecimal");
        SplittableRandom rnd = new SplittableRandom(12345);
        for (double d : SPECIAL_D) {
            doubleCase(c, d);
            doubleCase(c, Math.nextUp(d));
            doubleCase(c, Math.nextDown(d));
            floatCase(c, (float) d);
        }
        int n = Check.n(1_000_000);
        for (int i = 0; i < n; i++) {
            doubleCase(c, Double.longBitsToDouble(rnd.nextLong()));
        }
        for (int i = 0; i < n / 4; i++) {
            // "nice" decimals: few digits, wide exponent range
            double d = rnd.nextInt(100000) * Math.pow(10, rnd.nextInt(-30, 30));
            doubleCase(c, d);
        }
        for (int i = 0; i < n; i++) {
            floatCase(c, Float.intBitsToFloat(rnd.nextInt()));
        }
        for (String s : PARSE_CASES) {
            parseCase(c, s);
        }
        for (int i = 0; i < n / 2; i++) {
            parseCase(c, randomDecimal(rnd));
        }
        c.done();
    }

    static void doubleCase(Check c, double d) {
        String jdk = Double.toString(d);
        c.eq("toString(" + Double.doubleToRawLongBits(d) + ")", jdk, FloatText.toString(d));
        if (!Double.isNaN(d)) {
            c.eq("parseDouble(" + jdk + ")", Double.doubleToRawLongBits(d),
                    Double.doubleToRawLongBits(FloatParser.parseDouble(jdk)));
        }
    }

    static void floatCase(Check c, float f) {
        String jdk = Float.toString(f);
        c.eq("toString(f " + Float.floatToRawIntBits(f) + ")", jdk, FloatText.toString(f));
        if (!Float.isNaN(f)) {
            c.eq("parseFloat(" + jdk + ")", Float.floatToRawIntBits(f),
                    Float.floatToRawIntBits(FloatParser.parseFloat(jdk)));
        }
    }

    static void parseCase(Check c, String s) {
        c.eq("parseDouble(\"" + s + "\")", Check.outcome(() -> Double.doubleToRawLongBits(Double.parseDouble(s))),
                Check.outcome(() -> Double.doubleToRawLongBits(FloatParser.parseDouble(s))));
        c.eq("parseFloat(\"" + s + "\")", Check.outcome(() -> Float.floatToRawIntBits(Float.parseFloat(s))),
                Check.outcome(() -> Float.floatToRawIntBits(FloatParser.parseFloat(s))));
    }

    /** Long and short digit strings, near-halfway cases, with exponents. */
    static String randomDecimal(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        if (rnd.nextInt(4) == 0) {
            sb.append('-');
        }
        int digits = 1 + rnd.nextInt(rnd.nextBoolean() ? 20 : 60);
        for (int i = 0; i < digits; i++) {
            sb.append((char) ('0' + rnd.nextInt(10)));
        }
        if (rnd.nextBoolean()) {
            sb.insert(sb.length() - rnd.nextInt(digits), '.');
        }
        if (rnd.nextBoolean()) {
            sb.append('e').append(rnd.nextInt(-340, 320));
        }
        return sb.toString();
    }
}
