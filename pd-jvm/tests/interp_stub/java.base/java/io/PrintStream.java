package java.io;

public class PrintStream {
    private final int fd;
    public PrintStream(int fd) { this.fd = fd; }
    private void write(String s) {
        byte[] b = s.getBytes();
        capuchin.internal.Console.write(fd, b, 0, b.length);
    }
    public void print(String s) { write(String.valueOf(s)); }
    public void print(Object o) { write(String.valueOf(o)); }
    public void print(int i) { write(String.valueOf(i)); }
    public void print(long l) { write(String.valueOf(l)); }
    public void print(char c) { write(String.valueOf(c)); }
    public void print(boolean b) { write(String.valueOf(b)); }
    public void print(double d) { write(String.valueOf(d)); }
    public void print(float f) { write(String.valueOf(f)); }
    public void println() { write("\n"); }
    public void println(String s) { write(new StringBuilder().append(s).append('\n').toString()); }
    public void println(Object o) { println(String.valueOf(o)); }
    public void println(int i) { println(String.valueOf(i)); }
    public void println(long l) { println(String.valueOf(l)); }
    public void println(char c) { println(String.valueOf(c)); }
    public void println(char[] c) { println(new String(c)); }
    public void println(boolean b) { println(String.valueOf(b)); }
    public void println(double d) { println(String.valueOf(d)); }
    public void println(float f) { println(String.valueOf(f)); }
    public void flush() {}
}
