package java.lang;

public final class Byte extends Number implements Comparable<Byte> {
    private final byte value;
    public Byte(byte value) { this.value = value; }
    public static Byte valueOf(byte v) { return new Byte(v); }
    public byte byteValue() { return value; }
    public int intValue() { return value; }
    public long longValue() { return value; }
    public float floatValue() { return value; }
    public double doubleValue() { return value; }
    public String toString() { return Integer.toString(value); }
    public static String toString(byte v) { return Integer.toString(v); }
    public static int hashCode(byte value) { return (int) value; }
    public int hashCode() { return value; }
    public boolean equals(Object o) { return o instanceof Byte && ((Byte) o).value == value; }
    public int compareTo(Byte o) { return value - o.value; }
}
