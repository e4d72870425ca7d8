// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/** An IPC operation was refused: the channel lacks the right, or the peer is gone. */
public class IpcException extends RuntimeException {
    public IpcException(String message) {
        super(message);
    }
}
