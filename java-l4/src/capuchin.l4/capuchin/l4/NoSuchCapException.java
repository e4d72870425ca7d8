// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * {@link Env#cap(String)} or {@link Env#region(String)} with a name that
 * system.xml does not give this protection domain. The message names it and
 * lists the names that exist.
 */
public class NoSuchCapException extends IpcException {
    public NoSuchCapException(String message) {
        super(message);
    }
}
