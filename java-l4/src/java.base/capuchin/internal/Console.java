package capuchin.internal;

/** The PD's console (VM native, docs/jvm.md): fd 1 is stdout, 2 is stderr. */
public final class Console {
    private Console() {
    }

    public static native void write(int fd, byte[] b, int off, int len);
}
