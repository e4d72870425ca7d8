package capuchin.internal;

public final class Console {
    private Console() {}
    public static native void write(int fd, byte[] b, int off, int len);
}
