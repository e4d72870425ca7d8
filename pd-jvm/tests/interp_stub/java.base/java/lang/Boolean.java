package java.lang;

public final class Boolean implements java.io.Serializable, Comparable<Boolean> {
    public static final Boolean TRUE = new Boolean(true);
    public static final Boolean FALSE = new Boolean(false);
    private final boolean value;
    public Boolean(boolean value) { this.value = value; }
    public static Boolean valueOf(boolean b) { return b ? TRUE : FALSE; }
    public boolean booleanValue() { return value; }
    public String toString() { return value ? "true" : "false"; }
    public static String toString(boolean b) { return b ? "true" : "false"; }
    public static int hashCode(boolean value) { return value ? 1231 : 1237; }
    public int hashCode() { return hashCode(value); }
    public boolean equals(Object o) { return o instanceof Boolean && ((Boolean) o).value == value; }
    public int compareTo(Boolean o) { return (value == o.value) ? 0 : (value ? 1 : -1); }
}
