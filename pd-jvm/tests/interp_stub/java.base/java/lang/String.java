package java.lang;

public final class String implements java.io.Serializable, Comparable<String>, CharSequence {
    private final char[] value;
    private int hash;

    public String() { value = new char[0]; }
    public String(char[] v) { this(v, 0, v.length); }
    public String(char[] v, int offset, int count) {
        if (offset < 0 || count < 0 || offset > v.length - count) throw new StringIndexOutOfBoundsException();
        char[] c = new char[count];
        System.arraycopy(v, offset, c, 0, count);
        value = c;
    }
    String(char[] v, boolean share) { value = v; }

    public int length() { return value.length; }
    public boolean isEmpty() { return value.length == 0; }
    public char charAt(int index) {
        if (index < 0 || index >= value.length) {
            throw new StringIndexOutOfBoundsException(new StringBuilder("index ").append(index).append(", length ").append(value.length).toString());
        }
        return value[index];
    }
    public char[] toCharArray() { char[] c = new char[value.length]; System.arraycopy(value, 0, c, 0, value.length); return c; }
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof String)) return false;
        String s = (String) o;
        if (s.value.length != value.length) return false;
        for (int i = 0; i < value.length; i++) if (value[i] != s.value[i]) return false;
        return true;
    }
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            for (char c : value) h = 31 * h + c;
            hash = h;
        }
        return h;
    }
    public int compareTo(String o) {
        int n = Math.min(value.length, o.value.length);
        for (int i = 0; i < n; i++) if (value[i] != o.value[i]) return value[i] - o.value[i];
        return value.length - o.value.length;
    }
    public String toString() { return this; }
    public native String intern();
    public int indexOf(int ch) { for (int i = 0; i < value.length; i++) if (value[i] == ch) return i; return -1; }
    public boolean startsWith(String p) {
        if (p.value.length > value.length) return false;
        for (int i = 0; i < p.value.length; i++) if (value[i] != p.value[i]) return false;
        return true;
    }
    public String substring(int begin) { return substring(begin, value.length); }
    public String substring(int begin, int end) {
        if (begin < 0 || end > value.length || begin > end) throw new StringIndexOutOfBoundsException();
        return new String(value, begin, end - begin);
    }
    public String concat(String s) { return new StringBuilder(this).append(s).toString(); }
    public CharSequence subSequence(int b, int e) { return substring(b, e); }
    public byte[] getBytes() {
        int n = 0;
        for (int i = 0; i < value.length; i++) {
            char c = value[i];
            if (c < 0x80) n += 1; else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < value.length && Character.isLowSurrogate(value[i + 1])) { n += 4; i++; }
            else n += 3;
        }
        byte[] b = new byte[n];
        int j = 0;
        for (int i = 0; i < value.length; i++) {
            char c = value[i];
            if (c < 0x80) b[j++] = (byte) c;
            else if (c < 0x800) { b[j++] = (byte) (0xC0 | (c >> 6)); b[j++] = (byte) (0x80 | (c & 0x3F)); }
            else if (Character.isHighSurrogate(c) && i + 1 < value.length && Character.isLowSurrogate(value[i + 1])) {
                int cp = ((c - 0xD800) << 10) + (value[++i] - 0xDC00) + 0x10000;
                b[j++] = (byte) (0xF0 | (cp >> 18)); b[j++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[j++] = (byte) (0x80 | ((cp >> 6) & 0x3F)); b[j++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                b[j++] = (byte) (0xE0 | (c >> 12)); b[j++] = (byte) (0x80 | ((c >> 6) & 0x3F)); b[j++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return b;
    }
    public static String valueOf(Object o) { return o == null ? "null" : o.toString(); }
    public static String valueOf(char[] c) { return new String(c); }
    public static String valueOf(boolean b) { return b ? "true" : "false"; }
    public static String valueOf(char c) { return new String(new char[] { c }, true); }
    public static String valueOf(int i) { return Integer.toString(i); }
    public static String valueOf(long l) { return Long.toString(l); }
    public static String valueOf(float f) { return Float.toString(f); }
    public static String valueOf(double d) { return Double.toString(d); }
}
