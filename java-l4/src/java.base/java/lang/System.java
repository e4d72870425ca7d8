package java.lang;

import capuchin.internal.Console;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * System for a protection domain: out and err write straight to the PD console (as the
 * JDK's autoflushing streams, every print reaches the console at once), in is empty, the
 * environment is empty and the properties are a small fixed set.
 */
public final class System {
    private System() {
    }

    /** Not final (unlike the JDK's declaration) so that setIn/setOut/setErr are plain Java. */
    public static InputStream in = InputStream.nullInputStream();
    public static PrintStream out = new PrintStream(new ConsoleStream(1), true);
    public static PrintStream err = new PrintStream(new ConsoleStream(2), true);

    private static final class ConsoleStream extends OutputStream {
        private final int fd;

        ConsoleStream(int fd) {
            this.fd = fd;
        }

        @Override
        public void write(int b) {
            Console.write(fd, new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            Console.write(fd, b, off, len);
        }
    }

    public static void setIn(InputStream in) {
        System.in = in;
    }

    public static void setOut(PrintStream out) {
        System.out = out;
    }

    public static void setErr(PrintStream err) {
        System.err = err;
    }

    public static native void arraycopy(Object src, int srcPos, Object dest, int destPos, int length);

    public static native long currentTimeMillis();

    public static native long nanoTime();

    public static native int identityHashCode(Object x);

    private static final HashMap<String, String> props = initProperties();

    private static HashMap<String, String> initProperties() {
        HashMap<String, String> p = new HashMap<>();
        p.put("java.version", "17");
        p.put("java.specification.version", "17");
        p.put("java.vm.specification.version", "17");
        p.put("java.class.version", "61.0");
        p.put("java.vendor", "Capuchin");
        p.put("java.vm.name", "Capuchin JVM");
        p.put("os.name", "seL4");
        p.put("file.separator", "/");
        p.put("path.separator", ":");
        p.put("line.separator", "\n");
        p.put("file.encoding", "UTF-8");
        p.put("native.encoding", "UTF-8");
        p.put("user.dir", "/");
        p.put("java.io.tmpdir", "/tmp");
        return p;
    }

    private static void checkKey(String key) {
        if (key == null) {
            throw new NullPointerException("key can't be null");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key can't be empty");
        }
    }

    public static String getProperty(String key) {
        checkKey(key);
        return props.get(key);
    }

    public static String getProperty(String key, String def) {
        checkKey(key);
        String v = props.get(key);
        return v == null ? def : v;
    }

    public static String setProperty(String key, String value) {
        checkKey(key);
        return props.put(key, Objects.requireNonNull(value));
    }

    public static String clearProperty(String key) {
        checkKey(key);
        return props.remove(key);
    }

    public static String lineSeparator() {
        return "\n";
    }

    public static String getenv(String name) {
        Objects.requireNonNull(name);
        return null;
    }

    public static Map<String, String> getenv() {
        return java.util.Collections.emptyMap();
    }

    public static void exit(int status) {
        Runtime.getRuntime().exit(status);
    }

    public static void gc() {
        Runtime.getRuntime().gc();
    }

    public static void runFinalization() {
    }
}
