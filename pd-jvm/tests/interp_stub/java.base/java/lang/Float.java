package java.lang;

public final class Float extends Number implements Comparable<Float> {
    public static final float POSITIVE_INFINITY = 1.0f / 0.0f;
    public static final float NEGATIVE_INFINITY = -1.0f / 0.0f;
    public static final float NaN = 0.0f / 0.0f;
    public static final float MAX_VALUE = 0x1.fffffeP+127f;
    public static final float MIN_VALUE = 0x0.000002P-126f;
    private final float value;
    public Float(float value) { this.value = value; }
    public static Float valueOf(float f) { return new Float(f); }
    public float floatValue() { return value; }
    public int intValue() { return (int) value; }
    public long longValue() { return (long) value; }
    public double doubleValue() { return value; }
    public static native String toString(float f);
    public String toString() { return toString(value); }
    public static boolean isNaN(float v) { return v != v; }
    public static native int floatToRawIntBits(float value);
    public static native float intBitsToFloat(int bits);
    public static int floatToIntBits(float value) { return isNaN(value) ? 0x7fc00000 : floatToRawIntBits(value); }
    public static int hashCode(float value) { return floatToIntBits(value); }
    public int hashCode() { return hashCode(value); }
    public boolean equals(Object o) { return o instanceof Float && floatToIntBits(((Float) o).value) == floatToIntBits(value); }
    public static int compare(float f1, float f2) {
        if (f1 < f2) return -1;
        if (f1 > f2) return 1;
        int a = floatToIntBits(f1), b = floatToIntBits(f2);
        return (a == b ? 0 : (a < b ? -1 : 1));
    }
    public int compareTo(Float o) { return compare(value, o.value); }
}
