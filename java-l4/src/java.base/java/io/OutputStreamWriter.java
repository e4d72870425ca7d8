package java.io;

import capuchin.internal.Charsets;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Encodes chars to an OutputStream. Like the JDK's StreamEncoder it buffers (8192 chars)
 * until flush, and keeps a trailing high surrogate until its pair arrives.
 */
public class OutputStreamWriter extends Writer {
    private final OutputStream out;
    /** UTF-16 becomes UTF-16BE after the first text: the JDK's encoder writes one BOM per stream. */
    private int charset;
    private final StringBuilder pending = new StringBuilder();
    private boolean closed;

    public OutputStreamWriter(OutputStream out) {
        super(out);
        this.out = out;
        this.charset = Charsets.UTF_8;
    }

    public OutputStreamWriter(OutputStream out, String charsetName) throws UnsupportedEncodingException {
        super(out);
        this.out = out;
        int id = Charsets.lookup(Objects.requireNonNull(charsetName, "charsetName"));
        if (id < 0) {
            throw new UnsupportedEncodingException(charsetName);
        }
        this.charset = id;
    }

    public OutputStreamWriter(OutputStream out, Charset cs) {
        super(out);
        this.out = out;
        this.charset = Charsets.lookup(cs.name());
    }

    public String getEncoding() {
        return closed ? null : Charsets.canonicalName(charset);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
    }

    public void write(char[] cbuf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, cbuf.length);
        ensureOpen();
        pending.append(cbuf, off, len);
        if (pending.length() >= 8192) {
            drain(false);
        }
    }

    public void write(String str, int off, int len) throws IOException {
        ensureOpen();
        pending.append(str, off, off + len);
        if (pending.length() >= 8192) {
            drain(false);
        }
    }

    private void drain(boolean all) throws IOException {
        int n = pending.length();
        if (!all && n > 0 && Character.isHighSurrogate(pending.charAt(n - 1))) {
            n--;
        }
        char[] chars = new char[n];
        pending.getChars(0, n, chars, 0);
        pending.delete(0, n);
        byte[] b = Charsets.encode(charset, chars, 0, n);
        if (charset == Charsets.UTF_16 && n > 0) {
            charset = Charsets.UTF_16BE;
        }
        out.write(b, 0, b.length);
    }

    public void flush() throws IOException {
        ensureOpen();
        drain(false);
        out.flush();
    }

    public void close() throws IOException {
        if (closed) {
            return;
        }
        drain(true);
        out.flush();
        closed = true;
        out.close();
    }
}
