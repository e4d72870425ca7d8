package java.lang;

public final class Integer extends Number implements Comparable<Integer> {
    public static final int MIN_VALUE = 0x80000000;
    public static final int MAX_VALUE = 0x7fffffff;
    @SuppressWarnings("unchecked")
    public static final Class<Integer> TYPE = (Class<Integer>) int[].class.getComponentType();
    private static final Integer[] CACHE = new Integer[256];
    static {
        for (int i = 0; i < 256; i++) CACHE[i] = new Integer(i - 128);
    }
    private final int value;
    public Integer(int value) { this.value = value; }
    public static Integer valueOf(int i) { return (i >= -128 && i <= 127) ? CACHE[i + 128] : new Integer(i); }
    public static Integer valueOf(String s) { return valueOf(parseInt(s)); }
    public int intValue() { return value; }
    public long longValue() { return value; }
    public float floatValue() { return value; }
    public double doubleValue() { return value; }
    public static String toString(int i) {
        if (i == MIN_VALUE) return "-2147483648";
        char[] buf = new char[11];
        int p = 11;
        boolean neg = i < 0;
        if (neg) i = -i;
        do { buf[--p] = (char) ('0' + i % 10); i /= 10; } while (i != 0);
        if (neg) buf[--p] = '-';
        return new String(buf, p, 11 - p);
    }
    public static String toHexString(int i) {
        char[] buf = new char[8];
        int p = 8;
        do { buf[--p] = "0123456789abcdef".charAt(i & 15); i >>>= 4; } while (i != 0);
        return new String(buf, p, 8 - p);
    }
    public static int parseInt(String s) {
        if (s == null) throw new NumberFormatException("Cannot parse null string: null");
        int i = 0, n = s.length();
        boolean neg = false;
        if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) { neg = s.charAt(0) == '-'; i = 1; }
        if (i >= n) throw new NumberFormatException(new StringBuilder("For input string: \"").append(s).append('"').toString());
        long r = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new NumberFormatException(new StringBuilder("For input string: \"").append(s).append('"').toString());
            r = r * 10 + (c - '0');
            if (r > 2147483648L) throw new NumberFormatException(new StringBuilder("For input string: \"").append(s).append('"').toString());
        }
        if (neg) r = -r;
        if (r > MAX_VALUE) throw new NumberFormatException(new StringBuilder("For input string: \"").append(s).append('"').toString());
        return (int) r;
    }
    public String toString() { return toString(value); }
    public static int hashCode(int value) { return value; }
    public int hashCode() { return value; }
    public boolean equals(Object o) { return o instanceof Integer && ((Integer) o).value == value; }
    public static int compare(int x, int y) { return (x < y) ? -1 : ((x == y) ? 0 : 1); }
    public int compareTo(Integer o) { return compare(value, o.value); }
    public static int sum(int a, int b) { return a + b; }
    public static int max(int a, int b) { return Math.max(a, b); }
}
