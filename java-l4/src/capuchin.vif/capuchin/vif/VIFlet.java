package capuchin.vif;

/**
 * A packet processor injected into a virtual network interface (000's
 * VIFlet). The VIF domain calls {@link #enqueue} for each packet that
 * arrives and {@link #dequeue} whenever it can send; a VIFlet decides what
 * leaves, and when, by what it returns.
 *
 * <p>Packets are held in {@link Queue}s. A packet the handler leaves in no
 * Queue when it returns (and does not return from {@code dequeue}) is
 * dropped: its buffer goes back to the VIF's pool at once. A packet may be
 * in one place only; enqueuing it twice stops the VIFlet.
 *
 * <p>The VIFlet runs under the domain's guards (a budget of calls and back
 * edges per handler call, a stack depth limit, a heap quota). A handler
 * that exceeds one, or lets an exception escape, stops the VIFlet; the
 * domain then passes or drops packets, as configured, until a new VIFlet is
 * loaded. Handlers should not allocate: preallocate in the constructor.
 */
public abstract class VIFlet {
    /** Packets held; maintained by VIFlets that want it (PriQ_VIFlet does). */
    protected int length;

    /** A packet arrived. */
    public abstract void enqueue(Packet p);

    /** The next packet to send, or null. */
    public abstract Packet dequeue();

    /** The {@code length} field. */
    public int length() {
        return length;
    }
}
