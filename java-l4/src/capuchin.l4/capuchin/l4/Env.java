// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * The protection domain's environment: its name, its capabilities (by the
 * name of the PD at the other end of each channel, as system.xml gives
 * it), its memory regions, and the registration of servers and the
 * notification handler. The channel names are packed into the PD's class
 * image at build time from system.xml, so the same code runs on seL4 and on
 * the hosted platform.
 */
public final class Env {
    private static Env theEnv;

    /** Caps by channel id (at most 62 channels per PD), opened on first use. */
    private final Cap[] caps = new Cap[62];
    private NotifyHandler notifyHandler;
    /** The stream calls are dispatched on (created with the first server). */
    private IpcStream dispatchStream;

    private Env() {
    }

    public static Env env() {
        if (theEnv == null) {
            theEnv = new Env();
        }
        return theEnv;
    }

    /** This PD's name, as system.xml gives it. */
    public native String name();

    /** True for a {@code passive="true"} PD. */
    public native boolean isPassive();

    /**
     * The capability of the channel to the PD named {@code peer}.
     *
     * @throws NoSuchCapException if no channel of this PD leads to {@code peer}
     *     (the message lists the names there are), or if several do (use
     *     {@link #cap(int)})
     */
    public Cap cap(String peer) {
        return cap(channelOf0(peer));
    }

    /** The capability of channel {@code id} (this end's id in system.xml). */
    public Cap cap(int id) {
        if (id < 0 || id >= caps.length) {
            throw new NoSuchCapException("no channel " + id + " (ids are 0..61)");
        }
        Cap c = caps[id];
        if (c == null || !c.isOpen()) {
            c = new Cap(id);
            caps[id] = c;
        }
        return c;
    }

    /** The peer names of this PD's channels, by channel id (null where there is none). */
    public native String[] capNames();

    /**
     * The memory region mapped under {@code name} (a {@code setvar_vaddr}
     * or a memory region name).
     *
     * @throws NoSuchCapException if system.xml maps no such region into this PD
     */
    public MemoryRegion region(String name) {
        return new MemoryRegion(name);
    }

    /**
     * Routes protected procedure calls whose label carries {@code protocol}
     * ({@link MsgTag#protocol()}) to {@code server}. Calls for a protocol
     * nobody serves get a {@link MsgTag#EXCEPTION} reply.
     */
    public void serve(int protocol, Server server) {
        if (server == null) {
            throw new NullPointerException("server");
        }
        if (protocol < 0 || protocol >= (1 << 20)) {
            throw new IllegalArgumentException("protocol " + protocol + " is not in 0..2^20-1");
        }
        if (dispatchStream == null) {
            dispatchStream = new IpcStream();
        }
        serve0(protocol, server, dispatchStream, dispatchStream.tag);
    }

    /** Notifications on any channel go to {@code handler}. */
    public void onNotify(NotifyHandler handler) {
        notifyHandler = handler;
    }

    /** Called by the VM for each channel of a notification. */
    private static void deliverNotification(int channel) {
        Env e = env();
        if (e.notifyHandler == null) {
            throw new IpcException("notification on channel " + channel + " but no handler (Env.onNotify)");
        }
        e.notifyHandler.onNotify(e.cap(channel));
    }

    /** Bytes the Java heap has handed out since the VM started. */
    public static native long heapBytesAllocated();

    /** Native (Rust) heap allocations of this PD so far, or -1 if not counted. */
    public static native long nativeAllocations();

    /**
     * Collects garbage (and releases the handle entries of collected
     * wrappers), then returns the bytes of the objects that survived: the
     * live Java heap, for checking that a long-running PD does not grow.
     */
    public static native long liveBytesAfterGc();

    /** Live handle entries in this PD's three handle tables (caps, streams, regions). */
    public static native int handleCount();

    /** Slots the three handle tables have allocated (their size; free slots are reused). */
    public static native int handleSlots();

    private native int channelOf0(String peer);

    private native void serve0(int protocol, Server server, IpcStream stream, MsgTag tag);
}
