// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * A memory region that system.xml maps into this protection domain, by the
 * {@code setvar_vaddr} name of its {@code <map>} or the region's own name
 * ({@link Env#region(String)}). Every access is bounds-checked
 * ({@link IndexOutOfBoundsException}); writes to a read-only mapping throw
 * {@link IpcException}. Multi-byte values are little-endian, as Rust's
 * {@code read_u32}/{@code read_u64}. The peer may write the region at any
 * time: read what you need once.
 */
public final class MemoryRegion extends NativeObject {
    private final String name;

    MemoryRegion(String name) {
        super(REGION);
        this.name = name;
        open0(name);
    }

    public String name() {
        return name;
    }

    /** Size in bytes. */
    public native int size();

    public native boolean isWritable();

    public native byte getByte(int offset);

    public native void putByte(int offset, byte v);

    public native int getInt(int offset);

    public native void putInt(int offset, int v);

    public native long getLong(int offset);

    public native void putLong(int offset, long v);

    /** Copies {@code len} bytes at {@code offset} into {@code dst[dstOff..]}. */
    public native void get(int offset, byte[] dst, int dstOff, int len);

    /** Copies {@code src[srcOff..srcOff+len)} to {@code offset}. */
    public native void put(int offset, byte[] src, int srcOff, int len);

    public void get(int offset, byte[] dst) {
        get(offset, dst, 0, dst.length);
    }

    public void put(int offset, byte[] src) {
        put(offset, src, 0, src.length);
    }

    private native void open0(String name);

    @Override
    public String toString() {
        return "MemoryRegion(" + name + ")";
    }
}
