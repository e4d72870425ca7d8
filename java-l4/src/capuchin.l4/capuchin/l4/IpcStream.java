// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * A typed IPC stream: the Java face of ipc-bindings' {@code stream}, with
 * the same wire format, so Java and Rust peers read each other's messages.
 *
 * <p>A stream has two halves. The {@code put} methods append to the
 * message being written (the request of a {@link Cap#call}, or the reply of
 * a {@link Server#dispatch}); the {@code get} methods read the message
 * received (the reply, or the request). Every value carries its type on the
 * wire: reading past the end or as another type throws
 * {@link IpcStreamException} and does not advance. A message holds at most
 * {@link #CAPACITY} bytes (120 message registers); larger payloads go
 * through a shared {@link MemoryRegion} with {@link #putShared}, which puts
 * only a bounds-checked (offset, length) reference in the stream.
 *
 * <p>Java types map to the wire types as Rust's do: {@code boolean} bool,
 * {@code byte} i8, {@code short} i16, {@code char} u16, {@code int} i32,
 * {@code long} i64, {@code float} f32, {@code double} f64, {@code byte[]}
 * bytes, {@code String} string (UTF-8). Unsigned Rust types have their own
 * methods ({@link #putU32}, {@link #getU64}, ...), carrying the same bits.
 */
public final class IpcStream extends NativeObject {
    /** Bytes a message can hold: 120 message registers of 8 bytes. */
    public static final int CAPACITY = 960;

    final MsgTag tag = new MsgTag();

    /** A new, empty stream (a native object; close it or let the GC reclaim it). */
    public IpcStream() {
        super(STREAM);
        open0();
    }

    /** The tag of the message last received on this stream. */
    public MsgTag tag() {
        return tag;
    }

    private native void open0();

    // ---- writing ----

    public native IpcStream put(boolean v);

    public native IpcStream put(byte v);

    public native IpcStream put(short v);

    /** A u16 on the wire. */
    public native IpcStream put(char v);

    public native IpcStream put(int v);

    public native IpcStream put(long v);

    public native IpcStream put(float v);

    public native IpcStream put(double v);

    /** Bytes, length-prefixed (at most {@code CAPACITY - 5}; use {@link #putShared} for more). */
    public native IpcStream put(byte[] v);

    /** A UTF-8 string, length-prefixed. */
    public native IpcStream put(String v);

    /** The low 8 bits of {@code v} as a Rust u8. */
    public native IpcStream putU8(int v);

    /** The low 16 bits of {@code v} as a Rust u16. */
    public native IpcStream putU16(int v);

    /** The bits of {@code v} as a Rust u32. */
    public native IpcStream putU32(int v);

    /** The bits of {@code v} as a Rust u64. */
    public native IpcStream putU64(long v);

    /**
     * Copies {@code data[off..off+len)} into {@code region} at
     * {@code regionOffset} and puts a reference to it in the stream (for
     * payloads larger than the message registers; the peer must map the
     * same region).
     */
    public native IpcStream putShared(MemoryRegion region, int regionOffset, byte[] data, int off, int len);

    public IpcStream putShared(MemoryRegion region, int regionOffset, byte[] data) {
        return putShared(region, regionOffset, data, 0, data.length);
    }

    /** Puts a reference to {@code len} bytes already in {@code region} at {@code regionOffset}. */
    public native IpcStream putSharedRef(MemoryRegion region, int regionOffset, int len);

    /** Bytes written so far. */
    public native int length();

    /** Discards what was written. */
    public native IpcStream clear();

    // ---- reading ----

    public native boolean getBoolean();

    public native byte getByte();

    public native short getShort();

    /** A u16. */
    public native char getChar();

    public native int getInt();

    public native long getLong();

    public native float getFloat();

    public native double getDouble();

    /** A Rust u8, as 0..255. */
    public native int getU8();

    /** A Rust u16, as 0..65535. */
    public native int getU16();

    /** A Rust u32's bits ({@link Integer#toUnsignedLong} widens it). */
    public native int getU32();

    /** A Rust u64's bits. */
    public native long getU64();

    /** Bytes, in a new array. */
    public byte[] getBytes() {
        byte[] b = new byte[bytesLength0()];
        getBytes0(b, 0);
        return b;
    }

    /**
     * Bytes, into {@code dst} at {@code off}, without allocating. Returns
     * their number; throws (without advancing) if they do not fit.
     */
    public int getBytes(byte[] dst, int off) {
        return getBytes0(dst, off);
    }

    public native String getString();

    /**
     * A shared-region reference, checked against {@code region}'s bounds:
     * {@code (long) offset << 32 | length}; see {@link #sharedOffset} and
     * {@link #sharedLength}. Nothing is copied or allocated.
     */
    public native long getShared(MemoryRegion region);

    public static int sharedOffset(long ref) {
        return (int) (ref >>> 32);
    }

    public static int sharedLength(long ref) {
        return (int) ref;
    }

    /** A shared-region reference, copied out of {@code region} into a new array. */
    public byte[] getSharedBytes(MemoryRegion region) {
        long ref = getShared(region);
        byte[] b = new byte[sharedLength(ref)];
        region.get(sharedOffset(ref), b, 0, b.length);
        return b;
    }

    /** True while a value follows in the received message. */
    public native boolean hasMore();

    /** Bytes of the received message not read yet (padding included). */
    public native int remaining();

    /** Reads the received message again from its start. */
    public native IpcStream rewind();

    private native int bytesLength0();

    private native int getBytes0(byte[] dst, int off);
}
