package java.lang;

public final class Long extends Number implements Comparable<Long> {
    public static final long MIN_VALUE = 0x8000000000000000L;
    public static final long MAX_VALUE = 0x7fffffffffffffffL;
    private final long value;
    public Long(long value) { this.value = value; }
    public static Long valueOf(long l) { return new Long(l); }
    public int intValue() { return (int) value; }
    public long longValue() { return value; }
    public float floatValue() { return value; }
    public double doubleValue() { return value; }
    public static String toString(long i) {
        if (i == MIN_VALUE) return "-9223372036854775808";
        char[] buf = new char[20];
        int p = 20;
        boolean neg = i < 0;
        if (neg) i = -i;
        do { buf[--p] = (char) ('0' + (int) (i % 10)); i /= 10; } while (i != 0);
        if (neg) buf[--p] = '-';
        return new String(buf, p, 20 - p);
    }
    public String toString() { return toString(value); }
    public static int hashCode(long value) { return (int) (value ^ (value >>> 32)); }
    public int hashCode() { return hashCode(value); }
    public boolean equals(Object o) { return o instanceof Long && ((Long) o).value == value; }
    public static int compare(long x, long y) { return (x < y) ? -1 : ((x == y) ? 0 : 1); }
    public int compareTo(Long o) { return compare(value, o.value); }
    public static long sum(long a, long b) { return a + b; }
}
