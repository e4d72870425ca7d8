package capuchin.internal;

public final class VM {
    private VM() {}
    public static native void exit(int status);
    public static native void ensureClassInitialized(Class<?> c);
}
