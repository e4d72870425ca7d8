package java.lang;

public final class Short extends Number implements Comparable<Short> {
    private final short value;
    public Short(short value) { this.value = value; }
    public static Short valueOf(short v) { return new Short(v); }
    public short shortValue() { return value; }
    public int intValue() { return value; }
    public long longValue() { return value; }
    public float floatValue() { return value; }
    public double doubleValue() { return value; }
    public String toString() { return Integer.toString(value); }
    public static String toString(short v) { return Integer.toString(v); }
    public static int hashCode(short value) { return (int) value; }
    public int hashCode() { return value; }
    public boolean equals(Object o) { return o instanceof Short && ((Short) o).value == value; }
    public int compareTo(Short o) { return value - o.value; }
}
