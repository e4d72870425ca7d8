package java.lang;

import capuchin.internal.FloatParser;
import capuchin.internal.FloatText;

/**
 * Double. toString prints JDK 17's digits (capuchin.internal.FloatText, which reproduces
 * where JDK 17 does not print the shortest decimal); parseDouble is correctly rounded
 * (FloatParser). The raw-bits conversions are VM natives (docs/jvm.md).
 */
public final class Double extends Number implements Comparable<Double> {
    public static final double POSITIVE_INFINITY = 1.0 / 0.0;
    public static final double NEGATIVE_INFINITY = -1.0 / 0.0;
    public static final double NaN = 0.0d / 0.0;
    public static final double MAX_VALUE = 0x1.fffffffffffffP+1023;
    public static final double MIN_NORMAL = 0x1.0p-1022;
    public static final double MIN_VALUE = 0x0.0000000000001P-1022;
    public static final int MAX_EXPONENT = 1023;
    public static final int MIN_EXPONENT = -1022;
    public static final int SIZE = 64;
    public static final int BYTES = SIZE / Byte.SIZE;
    @SuppressWarnings("unchecked")
    public static final Class<Double> TYPE = (Class<Double>) double[].class.getComponentType();

    private final double value;

    public static String toString(double d) {
        return FloatText.toString(d);
    }

    /**
     * "0x1.hhhp<exp>" for normal values, "0x0.hhhp-1022" for subnormals, the 13 hex digits
     * of the significand without trailing zeros (at least one digit).
     */
    public static String toHexString(double d) {
        if (!isFinite(d)) {
            return Double.toString(d);
        }
        long bits = doubleToRawLongBits(d);
        StringBuilder sb = new StringBuilder(24);
        if (bits < 0) {
            sb.append('-');
        }
        if (d == 0.0) {
            return sb.append("0x0.0p0").toString();
        }
        int biased = (int) ((bits >>> 52) & 0x7ff);
        sb.append(biased == 0 ? "0x0." : "0x1.");
        appendHexFraction(sb, bits & 0x000fffffffffffffL, 13);
        sb.append('p').append(biased == 0 ? MIN_EXPONENT : biased - 1023);
        return sb.toString();
    }

    /** The top `digits` hex digits of a fraction of 4 * digits bits, trailing zeros dropped. */
    static void appendHexFraction(StringBuilder sb, long fraction, int digits) {
        int n = digits;
        while (n > 1 && ((fraction >>> (4 * (digits - n))) & 0xf) == 0) {
            n--;
        }
        for (int i = 0; i < n; i++) {
            int h = (int) ((fraction >>> (4 * (digits - 1 - i))) & 0xf);
            sb.append((char) (h < 10 ? '0' + h : 'a' + h - 10));
        }
    }

    public static Double valueOf(String s) throws NumberFormatException {
        return new Double(parseDouble(s));
    }

    public static Double valueOf(double d) {
        return new Double(d);
    }

    public static double parseDouble(String s) throws NumberFormatException {
        return FloatParser.parseDouble(s);
    }

    public static boolean isNaN(double v) {
        return (v != v);
    }

    public static boolean isInfinite(double v) {
        return (v == POSITIVE_INFINITY) || (v == NEGATIVE_INFINITY);
    }

    public static boolean isFinite(double d) {
        return Math.abs(d) <= Double.MAX_VALUE;
    }

    @Deprecated(since = "9")
    public Double(double value) {
        this.value = value;
    }

    @Deprecated(since = "9")
    public Double(String s) throws NumberFormatException {
        value = parseDouble(s);
    }

    public boolean isNaN() {
        return isNaN(value);
    }

    public boolean isInfinite() {
        return isInfinite(value);
    }

    public String toString() {
        return toString(value);
    }

    public byte byteValue() {
        return (byte) value;
    }

    public short shortValue() {
        return (short) value;
    }

    public int intValue() {
        return (int) value;
    }

    public long longValue() {
        return (long) value;
    }

    public float floatValue() {
        return (float) value;
    }

    public double doubleValue() {
        return value;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }

    public static int hashCode(double value) {
        long bits = doubleToLongBits(value);
        return (int) (bits ^ (bits >>> 32));
    }

    public boolean equals(Object obj) {
        return (obj instanceof Double) && (doubleToLongBits(((Double) obj).value) == doubleToLongBits(value));
    }

    /** Raw bits with every NaN collapsed to the canonical 0x7ff8000000000000L. */
    public static long doubleToLongBits(double value) {
        if (!isNaN(value)) {
            return doubleToRawLongBits(value);
        }
        return 0x7ff8000000000000L;
    }

    public static native long doubleToRawLongBits(double value);

    public static native double longBitsToDouble(long bits);

    public int compareTo(Double anotherDouble) {
        return Double.compare(value, anotherDouble.value);
    }

    /** Total order: -0.0 before 0.0, NaN after everything, NaN equal to NaN. */
    public static int compare(double d1, double d2) {
        if (d1 < d2) {
            return -1;
        }
        if (d1 > d2) {
            return 1;
        }
        long thisBits = Double.doubleToLongBits(d1);
        long anotherBits = Double.doubleToLongBits(d2);
        return (thisBits == anotherBits ? 0 : (thisBits < anotherBits ? -1 : 1));
    }

    public static double sum(double a, double b) {
        return a + b;
    }

    public static double max(double a, double b) {
        return Math.max(a, b);
    }

    public static double min(double a, double b) {
        return Math.min(a, b);
    }
}
