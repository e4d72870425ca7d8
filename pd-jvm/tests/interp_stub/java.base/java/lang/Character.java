package java.lang;

public final class Character implements java.io.Serializable, Comparable<Character> {
    public static final char MIN_VALUE = '\u0000';
    public static final char MAX_VALUE = '\uFFFF';
    private static final Character[] CACHE = new Character[128];
    static {
        for (int i = 0; i < 128; i++) CACHE[i] = new Character((char) i);
    }
    private final char value;
    public Character(char value) { this.value = value; }
    public static Character valueOf(char c) { return c < 128 ? CACHE[c] : new Character(c); }
    public char charValue() { return value; }
    public String toString() { return String.valueOf(value); }
    public static String toString(char c) { return String.valueOf(c); }
    public static int hashCode(char value) { return (int) value; }
    public int hashCode() { return value; }
    public boolean equals(Object o) { return o instanceof Character && ((Character) o).value == value; }
    public int compareTo(Character o) { return value - o.value; }
    public static boolean isDigit(char c) { return c >= '0' && c <= '9'; }
    public static boolean isHighSurrogate(char ch) { return ch >= '\uD800' && ch <= '\uDBFF'; }
    public static boolean isLowSurrogate(char ch) { return ch >= '\uDC00' && ch <= '\uDFFF'; }
}
