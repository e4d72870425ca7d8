package java.io;

import capuchin.internal.Charsets;
import java.nio.charset.Charset;
import java.util.Formatter;
import java.util.Locale;
import java.util.Objects;

/**
 * PrintStream as the JDK's: text is encoded (UTF-8 by default) and written through at once;
 * with autoflush, println and writes of byte arrays flush. IOExceptions set the error flag.
 * println(x) writes text and line separator in one write, as JDK 17 does for PrintStream
 * itself, and as print(x) then newLine() for subclasses.
 */
public class PrintStream extends FilterOutputStream implements Appendable, Closeable {
    private final boolean autoFlush;
    private boolean trouble = false;
    /** UTF-16 becomes UTF-16BE after the first text: the JDK's encoder writes one BOM per stream. */
    private int charset;
    private boolean closing = false;
    /** A high surrogate that ended the last text written, kept for its pair (as the JDK's encoder). */
    private char pendingHigh;

    public PrintStream(OutputStream out) {
        this(out, false);
    }

    public PrintStream(OutputStream out, boolean autoFlush) {
        this(autoFlush, Objects.requireNonNull(out, "Null output stream"), Charsets.UTF_8);
    }

    public PrintStream(OutputStream out, boolean autoFlush, String encoding) throws UnsupportedEncodingException {
        this(autoFlush, Objects.requireNonNull(out, "Null output stream"), toCharset(encoding));
    }

    public PrintStream(OutputStream out, boolean autoFlush, Charset charset) {
        this(autoFlush, Objects.requireNonNull(out, "Null output stream"), Charsets.lookup(charset.name()));
    }

    private PrintStream(boolean autoFlush, OutputStream out, int charset) {
        super(out);
        this.autoFlush = autoFlush;
        this.charset = charset;
    }

    private static int toCharset(String csn) throws UnsupportedEncodingException {
        Objects.requireNonNull(csn, "charsetName");
        int id = Charsets.lookup(csn);
        if (id < 0) {
            throw new UnsupportedEncodingException(csn);
        }
        return id;
    }

    private void ensureOpen() throws IOException {
        if (out == null) {
            throw new IOException("Stream closed");
        }
    }

    public void flush() {
        try {
            ensureOpen();
            out.flush();
        } catch (IOException x) {
            trouble = true;
        }
    }

    public void close() {
        if (!closing) {
            closing = true;
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException x) {
                trouble = true;
            }
            out = null;
        }
    }

    public boolean checkError() {
        if (out != null) {
            flush();
        }
        if (out instanceof PrintStream) {
            return ((PrintStream) out).checkError();
        }
        return trouble;
    }

    protected void setError() {
        trouble = true;
    }

    protected void clearError() {
        trouble = false;
    }

    public void write(int b) {
        try {
            ensureOpen();
            out.write(b);
            if ((b == '\n') && autoFlush) {
                out.flush();
            }
        } catch (IOException x) {
            trouble = true;
        }
    }

    public void write(byte[] buf, int off, int len) {
        try {
            ensureOpen();
            out.write(buf, off, len);
            if (autoFlush) {
                out.flush();
            }
        } catch (IOException x) {
            trouble = true;
        }
    }

    public void write(byte[] buf) throws IOException {
        this.write(buf, 0, buf.length);
    }

    public void writeBytes(byte[] buf) {
        this.write(buf, 0, buf.length);
    }

    private void writeText(String s, boolean newline) {
        try {
            ensureOpen();
            String t = newline ? s + System.lineSeparator() : s;
            if (pendingHigh != 0) {
                t = pendingHigh + t;
                pendingHigh = 0;
            }
            int n = t.length();
            if (n > 0 && Character.isHighSurrogate(t.charAt(n - 1))) {
                pendingHigh = t.charAt(n - 1);
                n--;
            }
            char[] chars = new char[n];
            t.getChars(0, n, chars, 0);
            byte[] bytes = Charsets.encode(charset, chars, 0, n);
            if (charset == Charsets.UTF_16 && n > 0) {
                charset = Charsets.UTF_16BE;
            }
            out.write(bytes, 0, bytes.length);
            if (autoFlush && (newline || t.indexOf('\n') >= 0)) {
                out.flush();
            }
        } catch (IOException x) {
            trouble = true;
        }
    }

    private void write(String s) {
        writeText(s, false);
    }

    private void writeln(String s) {
        writeText(s, true);
    }

    private void newLine() {
        writeText("", true);
    }

    public void print(boolean b) {
        write(String.valueOf(b));
    }

    public void print(char c) {
        write(String.valueOf(c));
    }

    public void print(int i) {
        write(String.valueOf(i));
    }

    public void print(long l) {
        write(String.valueOf(l));
    }

    public void print(float f) {
        write(String.valueOf(f));
    }

    public void print(double d) {
        write(String.valueOf(d));
    }

    public void print(char[] s) {
        write(new String(s));
    }

    public void print(String s) {
        write(String.valueOf(s));
    }

    public void print(Object obj) {
        write(String.valueOf(obj));
    }

    public void println() {
        newLine();
    }

    private boolean plain() {
        return getClass() == PrintStream.class;
    }

    public void println(boolean x) {
        if (plain()) {
            writeln(String.valueOf(x));
        } else {
            print(x);
            newLine();
        }
    }

    public void println(char x) {
        if (plain()) {
            writeln(String.valueOf(x));
        } else {
            print(x);
            newLine();
        }
    }

    public void println(int x) {
        if (plain()) {
            writeln(String.valueOf(x));
        } else {
            print(x);
            newLine();
        }
    }

    public void println(long x) {
        if (plain()) {
            writeln(String.valueOf(x));
        } else {
            print(x);
            newLine();
        }
    }

    public void println(float x) {
        if (plain()) {
            writeln(String.valueOf(x));
        } else {
            print(x);
            newLine();
        }
    }

    public void println(double x) {
        if (plain()) {
            writeln(String.valueOf(x));
        } else {
            print(x);
            newLine();
        }
    }

    public void println(char[] x) {
        if (plain()) {
            writeln(new String(x));
        } else {
            print(x);
            newLine();
        }
    }

    public void println(String x) {
        if (plain()) {
            writeln(String.valueOf(x));
        } else {
            print(x);
            newLine();
        }
    }

    public void println(Object x) {
        String s = String.valueOf(x);
        if (plain()) {
            writeln(s);
        } else {
            print(s);
            newLine();
        }
    }

    public PrintStream printf(String format, Object... args) {
        return format(format, args);
    }

    public PrintStream printf(Locale l, String format, Object... args) {
        return format(l, format, args);
    }

    public PrintStream format(String format, Object... args) {
        return format(Locale.getDefault(), format, args);
    }

    /** The whole result is formatted first, then written once (the JDK writes piecewise). */
    public PrintStream format(Locale l, String format, Object... args) {
        try {
            ensureOpen();
        } catch (IOException x) {
            trouble = true;
            return this;
        }
        write(new Formatter(new StringBuilder(), l).format(format, args).toString());
        return this;
    }

    public PrintStream append(CharSequence csq) {
        print(String.valueOf(csq));
        return this;
    }

    public PrintStream append(CharSequence csq, int start, int end) {
        if (csq == null) {
            csq = "null";
        }
        return append(csq.subSequence(start, end));
    }

    public PrintStream append(char c) {
        print(c);
        return this;
    }

    public Charset charset() {
        return Charset.forName(Charsets.canonicalName(charset));
    }
}
