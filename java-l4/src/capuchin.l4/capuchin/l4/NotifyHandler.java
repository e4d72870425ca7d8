// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/** Receives notifications; register with {@link Env#onNotify(NotifyHandler)}. */
@FunctionalInterface
public interface NotifyHandler {
    /**
     * A notification arrived on {@code from}'s channel. Notifications
     * coalesce: several before the handler runs arrive once.
     */
    void onNotify(Cap from);
}
