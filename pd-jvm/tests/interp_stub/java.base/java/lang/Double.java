package java.lang;

public final class Double extends Number implements Comparable<Double> {
    public static final double POSITIVE_INFINITY = 1.0 / 0.0;
    public static final double NEGATIVE_INFINITY = -1.0 / 0.0;
    public static final double NaN = 0.0d / 0.0;
    public static final double MAX_VALUE = 0x1.fffffffffffffP+1023;
    public static final double MIN_VALUE = 0x0.0000000000001P-1022;
    private final double value;
    public Double(double value) { this.value = value; }
    public static Double valueOf(double d) { return new Double(d); }
    public double doubleValue() { return value; }
    public int intValue() { return (int) value; }
    public long longValue() { return (long) value; }
    public float floatValue() { return (float) value; }
    public static native String toString(double d);
    public String toString() { return toString(value); }
    public static boolean isNaN(double v) { return v != v; }
    public static native long doubleToRawLongBits(double value);
    public static native double longBitsToDouble(long bits);
    public static long doubleToLongBits(double value) { return isNaN(value) ? 0x7ff8000000000000L : doubleToRawLongBits(value); }
    public static int hashCode(double value) { long bits = doubleToLongBits(value); return (int) (bits ^ (bits >>> 32)); }
    public int hashCode() { return hashCode(value); }
    public boolean equals(Object o) { return o instanceof Double && doubleToLongBits(((Double) o).value) == doubleToLongBits(value); }
    public static int compare(double d1, double d2) {
        if (d1 < d2) return -1;
        if (d1 > d2) return 1;
        long a = doubleToLongBits(d1), b = doubleToLongBits(d2);
        return (a == b ? 0 : (a < b ? -1 : 1));
    }
    public int compareTo(Double o) { return compare(value, o.value); }
}
