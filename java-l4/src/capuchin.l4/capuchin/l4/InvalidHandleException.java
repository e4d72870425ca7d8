// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * A wrapper whose handle names no live native object of its own: closed,
 * stale (its table slot was reused since) or forged.
 */
public class InvalidHandleException extends IllegalStateException {
    public InvalidHandleException(String message) {
        super(message);
    }
}
