// Capuchin IPC API (capuchin.l4): our own design; see docs/java-ipc.md.
package capuchin.l4;

/**
 * Reading an {@link IpcStream} past its end or as the wrong type, or writing
 * more than the message registers hold. The message is the one
 * ipc-bindings' stream gives, e.g. {@code IPC stream: expected i64 at byte 0, found string}.
 * A failed read does not advance the stream.
 */
public class IpcStreamException extends IpcException {
    public IpcStreamException(String message) {
        super(message);
    }
}
