package capuchin.internal;

/** VM services (natives of docs/jvm.md). */
public final class VM {
    private VM() {
    }

    /** Ends the VM with this status; does not return. */
    public static native void exit(int status);

    /**
     * Runs c's static initialization if it has not run (JVMS 5.5), as the JDK's reflection
     * does before Class.getEnumConstants. Needed beyond docs/jvm.md's first list.
     */
    public static native void ensureClassInitialized(Class<?> c);
}
