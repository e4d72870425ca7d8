package capuchin.vif;

/**
 * A packet held by the VIFlet: a handle to one buffer of the VIF domain's
 * pool (the bytes are not copied into the Java heap). Offsets count from the
 * start of the Ethernet header; multi-byte accessors use network byte order.
 * An offset outside the packet throws {@link IndexOutOfBoundsException}.
 *
 * <p>The VIF domain keeps one Packet object per buffer and reuses it for
 * each packet that buffer carries, so handlers allocate nothing. Once a
 * packet has left the VIFlet (returned from {@code dequeue}, or dropped),
 * every access through a reference kept to it throws
 * {@link IllegalStateException} until the buffer carries another packet.
 */
public final class Packet {
    /** The buffer's number in the VIF's pool (read by {@link Batch}). */
    final int index;

    /** {@link #place}: not the VIFlet's (sent, dropped, or no packet). */
    static final int FREE = -2;
    /** {@link #place}: passed to {@code enqueue} or taken from a Queue. */
    static final int IN_HAND = -1;
    /**
     * Where the packet is, for the one-reference rule: {@link #FREE},
     * {@link #IN_HAND}, or the number (0 or more) of the Queue holding it.
     * Written by {@link Queue}, {@link Batch} and the domain only.
     */
    int place = FREE;

    /** The most a packet can grow to: its buffer's size. */
    private static final int CAPACITY = 2048;

    /**
     * The address of the buffer's bytes in the VIF domain, written by the
     * domain (the accessors below read it through raw natives, which only
     * this class can call, after checking the offset against {@link #len}).
     */
    private long data;
    /**
     * The packet's length while the VIFlet holds it, 0 otherwise: set by
     * {@link Batch} from the domain's count, read back when it leaves.
     */
    int len;

    private Packet(int index) {
        this.index = index;
    }

    /** The domain's wrappers, one per buffer (called once by the runtime). */
    static Packet[] pool(int n) {
        Packet[] all = new Packet[n];
        for (int i = 0; i < n; i++) all[i] = new Packet(i);
        return all;
    }

    /** Stops the VIFlet (never returns): {@code p} was enqueued, or
     * returned from {@code dequeue} ({@code returned}), while not in the
     * VIFlet's hand. Thrown at, so the check is a throw tail the JIT leaves
     * out of inlined code. */
    static native RuntimeException ruleBroken(Packet p, boolean returned);

    // Raw loads and stores of the buffer, in network byte order (bound by
    // the VIF domain; compiled code does each as one machine access).
    private static native int peekU8(long address);
    private static native int peekI8(long address);
    private static native int peekU16(long address);
    private static native int peekI16(long address);
    private static native int peekI32(long address);
    private static native void poke8(long address, int value);
    private static native void poke16(long address, int value);
    private static native void poke32(long address, int value);

    /** The buffer number (diagnostics). */
    public int index() {
        return index;
    }

    /** The packet's length in bytes. */
    public int length() {
        if (place == FREE) throw notHeld();
        return len;
    }

    /** Shortens or extends the packet within its 2048-byte buffer. */
    public void setLength(int length) {
        if (place == FREE) throw notHeld();
        if (length < 0 || length > CAPACITY) {
            throw new IndexOutOfBoundsException("packet length " + length + " outside 0..2048");
        }
        len = length;
    }

    // Each accessor is one check and one access, small enough for the JIT
    // to inline; a packet not held has len 0, so the check covers that too.

    public byte getByte(int offset) {
        if (offset < 0 || offset >= len) throw outside(offset, 1);
        return (byte) peekI8(data + offset);
    }

    public int getUnsignedByte(int offset) {
        if (offset < 0 || offset >= len) throw outside(offset, 1);
        return peekU8(data + offset);
    }

    public short getShort(int offset) {
        if (offset < 0 || offset > len - 2) throw outside(offset, 2);
        return (short) peekI16(data + offset);
    }

    public int getUnsignedShort(int offset) {
        if (offset < 0 || offset > len - 2) throw outside(offset, 2);
        return peekU16(data + offset);
    }

    public int getInt(int offset) {
        if (offset < 0 || offset > len - 4) throw outside(offset, 4);
        return peekI32(data + offset);
    }

    public void setByte(int offset, int value) {
        if (offset < 0 || offset >= len) throw outside(offset, 1);
        poke8(data + offset, value);
    }

    public void setShort(int offset, int value) {
        if (offset < 0 || offset > len - 2) throw outside(offset, 2);
        poke16(data + offset, value);
    }

    public void setInt(int offset, int value) {
        if (offset < 0 || offset > len - 4) throw outside(offset, 4);
        poke32(data + offset, value);
    }

    /** What a failed check throws: the packet is gone, or the offset is outside it. */
    private RuntimeException outside(int offset, int n) {
        if (place == FREE) return notHeld();
        return new IndexOutOfBoundsException("packet offset " + offset + " + " + n + " outside its " + len + " bytes");
    }

    private IllegalStateException notHeld() {
        return new IllegalStateException(
                "packet #" + index + " is no longer held by this VIFlet (it was sent or dropped)");
    }

    /** Copies {@code length} bytes at {@code offset} into {@code dst[dstOffset...]}. */
    public native void getBytes(int offset, byte[] dst, int dstOffset, int length);

    /** Copies {@code src[srcOffset...]} into the packet at {@code offset}. */
    public native void setBytes(int offset, byte[] src, int srcOffset, int length);

    /** A copy of bytes {@code from} (inclusive) to {@code to} (exclusive); allocates. */
    public byte[] slice(int from, int to) {
        if (from < 0 || to < from) throw new IndexOutOfBoundsException("slice " + from + ".." + to);
        byte[] b = new byte[to - from];
        getBytes(from, b, 0, to - from);
        return b;
    }

    /**
     * The Internet checksum (RFC 1071) of {@code length} bytes at
     * {@code offset}: the ones' complement of the ones' complement sum of
     * the 16-bit words (an odd last byte padded with zero), 0..0xffff. Over
     * an IPv4 header with its checksum field in place it is 0.
     */
    public native int checksum(int offset, int length);

    /** Whether the VIFlet holds this packet now. */
    public boolean isHeld() {
        return place != FREE;
    }

    @Override
    public String toString() {
        return isHeld() ? "Packet#" + index + "(" + length() + " bytes)" : "Packet#" + index + "(not held)";
    }
}
