// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * The base of every Java wrapper over a native object: capabilities
 * ({@link Cap}), IPC streams ({@link IpcStream}) and memory regions
 * ({@link MemoryRegion}). This is 003's {@code L4_Wrapper}, with generations.
 *
 * <p>A wrapper holds no pointer: only the index of its entry in the native
 * table of its kind and the entry's generation. Every native method checks
 * both in O(1), and that the entry was issued to this very wrapper object,
 * so a closed, stale (the slot was reused since) or forged handle raises
 * {@link InvalidHandleException} and never reaches another native object.
 *
 * <p>The native entry is released by {@link #close()}, or when the garbage
 * collector finds the wrapper unreachable: long-running servers do not leak
 * table slots even if they never close what they open.
 */
public abstract class NativeObject implements AutoCloseable {
    static final int CAP = 1;
    static final int STREAM = 2;
    static final int REGION = 3;

    /** Which native table: {@link #CAP}, {@link #STREAM} or {@link #REGION}. */
    private final int kind;
    /** Set by the native side when the entry is opened. */
    private int handleIndex;
    private int handleGeneration;
    // Package-private: Cap.call's fast path checks it.
    boolean closed;

    NativeObject(int kind) {
        this.kind = kind;
    }

    /**
     * Releases the native object. Closing twice does nothing; any other use
     * of a closed wrapper throws {@link InvalidHandleException}.
     */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            close0();
        }
    }

    /** True while the native entry exists (not closed, not stale). */
    public final boolean isOpen() {
        return isOpen0();
    }

    /** The index of the native table entry (for diagnostics). */
    public final int handleIndex() {
        return handleIndex;
    }

    /** The generation of the native table entry (for diagnostics). */
    public final int handleGeneration() {
        return handleGeneration;
    }

    private native void close0();

    private native boolean isOpen0();

    @Override
    public String toString() {
        return getClass().getName() + "#" + handleIndex + "." + handleGeneration;
    }
}
