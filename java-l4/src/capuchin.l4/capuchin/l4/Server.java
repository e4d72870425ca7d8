// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * A server: register it with {@link Env#serve(int, Server)} under a protocol
 * number; the PD's master dispatcher then calls {@link #dispatch} for every
 * protected procedure call whose label carries that protocol
 * ({@link MsgTag#protocol()}), on the PD's own thread, directly from the
 * Microkit's {@code protected()} entry point.
 *
 * <p>If {@code dispatch} throws, the caller gets a reply labelled
 * {@link MsgTag#EXCEPTION} whose payload is a string naming the exception,
 * the stack trace goes to the PD's debug output, and the PD keeps serving.
 */
public abstract class Server implements NotifyHandler {
    protected Server() {
    }

    /**
     * Serves one call. The request is in {@code stream} (read it with the
     * {@code get} methods); write the reply into the same stream with the
     * {@code put} methods and return the reply's label. {@code tag} is the
     * request's tag; it and the stream are reused for every call, so do not
     * keep them.
     */
    public abstract long dispatch(MsgTag tag, IpcStream stream);

    /** Notifications, if this server is also registered with {@link Env#onNotify}. */
    @Override
    public void onNotify(Cap from) {
    }
}
