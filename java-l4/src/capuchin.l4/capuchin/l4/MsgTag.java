// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * The tag of an IPC message: its label, the number of message registers it
 * occupies, and whether the IPC itself failed. Each {@link IpcStream} owns
 * one tag, which {@link Cap#call} updates and returns, so a call allocates
 * nothing.
 *
 * <p>Labels are up to 52 bits (seL4's message label). By convention the
 * bits above 31 name a protocol and the low 32 bits an operation, so a
 * label is {@code (long) protocol << 32 | opcode}; protocol 0 labels are
 * just the operation number (as in the Rust calculator protocol).
 */
public final class MsgTag {
    /** The largest label: 2^52 - 1. */
    public static final long MAX_LABEL = (1L << 52) - 1;
    /**
     * Reply label: a Java exception escaped the server's handler (or its
     * resource guards stopped it). The payload is one string naming it.
     */
    public static final long EXCEPTION = MAX_LABEL;

    /** {@link #error()}: the IPC went through. */
    public static final int OK = 0;
    /** {@link #error()}: the callee faulted before replying. */
    public static final int PEER_FAULTED = 1;
    /** {@link #error()}: system.xml grants no such call on this channel. */
    public static final int NOT_GRANTED = 2;
    /** {@link #error()}: no platform (the VM runs outside a protection domain). */
    public static final int NO_PLATFORM = 3;

    // Written by the native side.
    long label;
    int words;
    int error;
    int channel = -1;

    MsgTag() {
    }

    /** The label of a protocol's operation. */
    public static long label(int protocol, int opcode) {
        if (protocol < 0 || protocol >= (1 << 20)) {
            throw new IllegalArgumentException("protocol " + protocol + " is not in 0..2^20-1");
        }
        return (long) protocol << 32 | (opcode & 0xFFFFFFFFL);
    }

    public long label() {
        return label;
    }

    /** The protocol: label bits 32..51. */
    public int protocol() {
        return (int) (label >>> 32);
    }

    /** The operation: the low 32 bits of the label. */
    public int opcode() {
        return (int) label;
    }

    /** Message registers the message occupies (each 8 bytes). */
    public int words() {
        return words;
    }

    /** {@link #OK}, or why the IPC failed ({@link #PEER_FAULTED}, ...). */
    public int error() {
        return error;
    }

    /** The IPC itself failed (no reply was received). */
    public boolean hasError() {
        return error != OK;
    }

    /** The reply says an exception escaped the server's handler. */
    public boolean isException() {
        return error == OK && label == EXCEPTION;
    }

    /** For a request being dispatched: the channel it arrived on; else -1. */
    public int channel() {
        return channel;
    }

    @Override
    public String toString() {
        String e = switch (error) {
            case OK -> "";
            case PEER_FAULTED -> ", error: peer faulted";
            case NOT_GRANTED -> ", error: not granted";
            case NO_PLATFORM -> ", error: no platform";
            default -> ", error " + error;
        };
        return "MsgTag(label " + label + ", " + words + " words" + e + ")";
    }
}
