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

    private Packet(int index) {
        this.index = index;
    }

    /** The domain's wrappers, one per buffer (called once by the runtime). */
    static Packet[] pool(int n) {
        Packet[] all = new Packet[n];
        for (int i = 0; i < n; i++) all[i] = new Packet(i);
        return all;
    }

    /** The buffer number (diagnostics). */
    public int index() {
        return index;
    }

    /** The packet's length in bytes. */
    public native int length();

    /** Shortens or extends the packet within its 2048-byte buffer. */
    public native void setLength(int length);

    public native byte getByte(int offset);

    public native int getUnsignedByte(int offset);

    public native short getShort(int offset);

    public native int getUnsignedShort(int offset);

    public native int getInt(int offset);

    public native void setByte(int offset, int value);

    public native void setShort(int offset, int value);

    public native void setInt(int offset, int value);

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
    public native boolean isHeld();

    @Override
    public String toString() {
        return isHeld() ? "Packet#" + index + "(" + length() + " bytes)" : "Packet#" + index + "(not held)";
    }
}
