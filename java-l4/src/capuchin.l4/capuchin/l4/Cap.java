// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * A capability: one end of a system.xml {@code <channel>}, named by the
 * protection domain at the other end. Get one from {@link Env#cap(String)}.
 */
public final class Cap extends NativeObject {
    private final int channel;
    private final String peer;

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
    // Native itself (not a Java wrapper around a native) to save a Java
    // frame on every call: it returns the stream's own tag.
    public native MsgTag call(IpcStream stream, long label);

    private native String open0(int channel);

    @Override
    public String toString() {
        return "Cap(" + peer + ", channel " + channel + ")";
    }
}
