package java.io;

import java.util.Arrays;
import java.util.Objects;

public abstract class InputStream implements Closeable {
    public InputStream() {
    }

    public static InputStream nullInputStream() {
        return new InputStream() {
            @Override
            public int read() {
                return -1;
            }
        };
    }

    public abstract int read() throws IOException;

    public int read(byte[] b) throws IOException {
        return read(b, 0, b.length);
    }

    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int c = read();
        if (c == -1) {
            return -1;
        }
        b[off] = (byte) c;
        int i = 1;
        try {
            for (; i < len; i++) {
                c = read();
                if (c == -1) {
                    break;
                }
                b[off + i] = (byte) c;
            }
        } catch (IOException ee) {
            // as the JDK: return what was read
        }
        return i;
    }

    public byte[] readAllBytes() throws IOException {
        byte[] buf = new byte[64];
        int n = 0;
        int r;
        while ((r = read(buf, n, buf.length - n)) > 0) {
            n += r;
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
        }
        return Arrays.copyOf(buf, n);
    }

    public long skip(long n) throws IOException {
        long remaining = n;
        while (remaining > 0 && read() != -1) {
            remaining--;
        }
        return n - remaining;
    }

    public int available() throws IOException {
        return 0;
    }

    public void close() throws IOException {
    }

    public boolean markSupported() {
        return false;
    }

    public void mark(int readlimit) {
    }

    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
