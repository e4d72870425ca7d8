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

    // The wire's type tags (ipc-bindings' TypeTag).
    private static final int T_BOOL = 1, T_U8 = 2, T_I8 = 3, T_U16 = 4, T_I16 = 5, T_U32 = 6, T_I32 = 7,
            T_U64 = 8, T_I64 = 9, T_F32 = 10, T_F64 = 11;

    /*
     * The primitive puts and gets are Java over the native object (the
     * natives' StreamBuf, java-l4/natives/state.rs): a check, then raw
     * loads and stores of its positions and bytes (little-endian, the
     * wire's order), which compiled code does inline; the interpreter runs
     * a native twin of each instead. While the stream is open, `base` is
     * the StreamBuf's address and `room` is CAPACITY; closing sets both to
     * 0 before the StreamBuf goes, and every access checks `room` first.
     */
    // Package-private: Cap.call passes an open stream's buffer to the call.
    long base;
    int room;

    // The StreamBuf's layout (asserted there): positions, then the bytes
    // written and the bytes received.
    private static final int OUT_LEN_AT = 0, IN_LEN_AT = 8, IN_POS_AT = 16, OUT_AT = 24, IN_AT = 24 + CAPACITY;

    private static native int peekU8(long address);
    private static native int peekI8(long address);
    private static native int peekU16(long address);
    private static native int peekI16(long address);
    private static native int peekI32(long address);
    private static native long peekI64(long address);
    private static native void poke8(long address, int value);
    private static native void poke16(long address, int value);
    private static native void poke32(long address, int value);
    private static native void poke64(long address, long value);

    /** Appends {@code tag}, reserving {@code n} bytes after it; returns their address. */
    private long at(int tag, int n) {
        if (room == 0) throw putFailed(1 + n);
        long b = base;
        int p = (int) peekI64(b + OUT_LEN_AT);
        if (p > CAPACITY - 1 - n) throw putFailed(1 + n);
        poke64(b + OUT_LEN_AT, p + 1 + n);
        poke8(b + OUT_AT + p, tag);
        return b + OUT_AT + p + 1;
    }

    /** Consumes a value of type {@code tag} and {@code n} bytes; returns their address. */
    private long take(int tag, int n) {
        if (room == 0) throw getFailed(tag);
        long b = base;
        int p = (int) peekI64(b + IN_POS_AT);
        if (p > (int) peekI64(b + IN_LEN_AT) - 1 - n || peekU8(b + IN_AT + p) != tag) throw getFailed(tag);
        poke64(b + IN_POS_AT, p + 1 + n);
        return b + IN_AT + p + 1;
    }

    /** The exception a put of {@code needed} bytes raises (the stream is full, or closed). */
    private native RuntimeException putFailed(int needed);

    /** The exception a get of a {@code tag} value raises (end, wrong type, malformed, closed). */
    private native RuntimeException getFailed(int tag);

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

    public IpcStream put(boolean v) {
        poke8(at(T_BOOL, 1), v ? 1 : 0);
        return this;
    }

    public IpcStream put(byte v) {
        poke8(at(T_I8, 1), v);
        return this;
    }

    public IpcStream put(short v) {
        poke16(at(T_I16, 2), v);
        return this;
    }

    /** A u16 on the wire. */
    public IpcStream put(char v) {
        poke16(at(T_U16, 2), v);
        return this;
    }

    public IpcStream put(int v) {
        poke32(at(T_I32, 4), v);
        return this;
    }

    public IpcStream put(long v) {
        poke64(at(T_I64, 8), v);
        return this;
    }

    public IpcStream put(float v) {
        poke32(at(T_F32, 4), Float.floatToRawIntBits(v));
        return this;
    }

    public IpcStream put(double v) {
        poke64(at(T_F64, 8), Double.doubleToRawLongBits(v));
        return this;
    }

    /** Bytes, length-prefixed (at most {@code CAPACITY - 5}; use {@link #putShared} for more). */
    public native IpcStream put(byte[] v);

    /** A UTF-8 string, length-prefixed. */
    public native IpcStream put(String v);

    /** The low 8 bits of {@code v} as a Rust u8. */
    public IpcStream putU8(int v) {
        poke8(at(T_U8, 1), v);
        return this;
    }

    /** The low 16 bits of {@code v} as a Rust u16. */
    public IpcStream putU16(int v) {
        poke16(at(T_U16, 2), v);
        return this;
    }

    /** The bits of {@code v} as a Rust u32. */
    public IpcStream putU32(int v) {
        poke32(at(T_U32, 4), v);
        return this;
    }

    /** The bits of {@code v} as a Rust u64. */
    public IpcStream putU64(long v) {
        poke64(at(T_U64, 8), v);
        return this;
    }

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

    public boolean getBoolean() {
        if (room == 0) throw getFailed(T_BOOL);
        long b = base;
        int p = (int) peekI64(b + IN_POS_AT);
        if (p > (int) peekI64(b + IN_LEN_AT) - 2 || peekU8(b + IN_AT + p) != T_BOOL || (peekU8(b + IN_AT + p + 1) & ~1) != 0) {
            throw getFailed(T_BOOL);
        }
        poke64(b + IN_POS_AT, p + 2);
        return peekU8(b + IN_AT + p + 1) != 0;
    }

    public byte getByte() {
        return (byte) peekI8(take(T_I8, 1));
    }

    public short getShort() {
        return (short) peekI16(take(T_I16, 2));
    }

    /** A u16. */
    public char getChar() {
        return (char) peekU16(take(T_U16, 2));
    }

    public int getInt() {
        return peekI32(take(T_I32, 4));
    }

    public long getLong() {
        return peekI64(take(T_I64, 8));
    }

    public float getFloat() {
        return Float.intBitsToFloat(peekI32(take(T_F32, 4)));
    }

    public double getDouble() {
        return Double.longBitsToDouble(peekI64(take(T_F64, 8)));
    }

    /** A Rust u8, as 0..255. */
    public int getU8() {
        return peekU8(take(T_U8, 1));
    }

    /** A Rust u16, as 0..65535. */
    public int getU16() {
        return peekU16(take(T_U16, 2));
    }

    /** A Rust u32's bits ({@link Integer#toUnsignedLong} widens it). */
    public int getU32() {
        return peekI32(take(T_U32, 4));
    }

    /** A Rust u64's bits. */
    public long getU64() {
        return peekI64(take(T_U64, 8));
    }

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
