// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * A capability: one end of a system.xml {@code <channel>}, named by the
 * protection domain at the other end. Get one from {@link Env#cap(String)}.
 */
public final class Cap extends NativeObject {
    private final int channel;
    private final String peer;
    private final long kernel = kernelAddress();

    Cap(int channel) {
        super(CAP);
        this.channel = channel;
        this.peer = open0(channel);
    }

    /** This end's channel id (the {@code id} of its {@code <end>}). */
    public int channel() {
        return channel;
    }

    /** The name of the protection domain at the other end. */
    public String peer() {
        return peer;
    }

    /** system.xml lets this end call the peer ({@code pp="true"}). */
    public native boolean canCall();

    /** system.xml lets this end notify the peer ({@code notify}, the default). */
    public native boolean canSignal();

    /**
     * Notifies the peer (Microkit's {@code notify}; named {@code signal}
     * because {@link Object#notify()} is final).
     *
     * @throws IpcException if system.xml grants no notification on this channel
     */
    public native void signal();

    /**
     * A protected procedure call: sends what was written into {@code stream}
     * with {@code label}, blocks until the peer replies, and leaves the reply
     * in {@code stream} for its {@code get} methods. Returns the stream's tag
     * (the same object every time: nothing is allocated), which holds the
     * reply's label and length, or an error if the IPC failed
     * ({@link MsgTag#hasError()}). The stream's written content is consumed.
     */
    /**
     * A protected procedure call: sends what was put into {@code stream}
     * with {@code label}, waits for the reply and leaves it in the stream
     * to get from. Returns the stream's own tag (no allocation), with the
     * reply's label and words, or an error ({@link MsgTag#hasError()}).
     */
    public MsgTag call(IpcStream stream, long label) {
        // Everything the call needs checked is checked here; anything odd
        // goes to the native, which raises the exception that says what.
        // (label >>> 52 == 0: a label in 0..MsgTag.MAX_LABEL.)
        if (stream == null || stream.room == 0 || closed || (int) (label >>> 52) != 0) {
            return call0(stream, label);
        }
        // The tag is written before the call too, so that nothing that
        // can fail is left after it: the JIT inlines this method only
        // then (a failure after the call would have to run it again).
        MsgTag t = stream.tag;
        t.channel = -1;
        // The reply's label, words << 52 and error << 59 (in `label`'s
        // slot: fewer bytes, within the JIT's inlining limit).
        label = ppCall(kernel, channel, label, stream.base);
        t.label = label & MsgTag.MAX_LABEL;
        t.words = (int) (label >>> 52) & 0x7F;
        t.error = (int) (label >>> 59);
        return t;
    }

    private native MsgTag call0(IpcStream stream, long label);

    // The call itself, a leaf native (pd_jvm::runtime::leaf): compiled code
    // calls it without the VM. Takes the kernel's address (from
    // kernelAddress), the channel and label checked above and an open
    // stream's buffer; returns the reply's label, its words << 52 and the
    // error << 59.
    private static native long ppCall(long kernel, long channel, long label, long stream);

    private static native long kernelAddress();

    private native String open0(int channel);

    @Override
    public String toString() {
        return "Cap(" + peer + ", channel " + channel + ")";
    }
}
