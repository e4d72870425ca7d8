package java.lang;

public final class StringBuilder implements CharSequence {
    private char[] buf;
    private int count;

    public StringBuilder() { buf = new char[16]; }
    public StringBuilder(int capacity) { buf = new char[capacity]; }
    public StringBuilder(String s) { buf = new char[s.length() + 16]; append(s); }

    private void grow(int need) {
        if (count + need > buf.length) {
            char[] n = new char[Math.max(buf.length * 2 + 2, count + need)];
            System.arraycopy(buf, 0, n, 0, count);
            buf = n;
        }
    }
    public StringBuilder append(String s) {
        if (s == null) s = "null";
        int n = s.length();
        grow(n);
        for (int i = 0; i < n; i++) buf[count++] = s.charAt(i);
        return this;
    }
    public StringBuilder append(Object o) { return append(String.valueOf(o)); }
    public StringBuilder append(CharSequence s) { return append(String.valueOf(s)); }
    public StringBuilder append(char c) { grow(1); buf[count++] = c; return this; }
    public StringBuilder append(char[] c) { return append(new String(c)); }
    public StringBuilder append(int i) { return append(Integer.toString(i)); }
    public StringBuilder append(long l) { return append(Long.toString(l)); }
    public StringBuilder append(boolean b) { return append(b ? "true" : "false"); }
    public StringBuilder append(float f) { return append(Float.toString(f)); }
    public StringBuilder append(double d) { return append(Double.toString(d)); }
    public int length() { return count; }
    public char charAt(int i) {
        if (i < 0 || i >= count) throw new StringIndexOutOfBoundsException(i);
        return buf[i];
    }
    public void setLength(int n) { grow(Math.max(0, n - count)); for (int i = count; i < n; i++) buf[i] = 0; count = n; }
    public StringBuilder reverse() {
        for (int i = 0, j = count - 1; i < j; i++, j--) { char t = buf[i]; buf[i] = buf[j]; buf[j] = t; }
        return this;
    }
    public StringBuilder insert(int at, char c) {
        grow(1);
        System.arraycopy(buf, at, buf, at + 1, count - at);
        buf[at] = c;
        count++;
        return this;
    }
    public CharSequence subSequence(int b, int e) { return toString().substring(b, e); }
    public String toString() { return new String(buf, 0, count); }
}
