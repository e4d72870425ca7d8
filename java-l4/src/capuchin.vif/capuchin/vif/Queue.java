package capuchin.vif;

/**
 * A FIFO of packets. The packets stay in the VIF's buffers (a Queue holds
 * their buffer numbers natively), so queuing allocates nothing. A packet is
 * in at most one Queue: enqueuing one that is already queued stops the
 * VIFlet (000's rule), as does enqueuing one the VIFlet no longer holds.
 * Packets in a Queue the VIFlet drops (the collector finds it dead) are
 * returned to the pool.
 */
public final class Queue {
    /** The native queue's slot; set by open0. */
    private int id;
    /**
     * Whether the native queue is empty, written by enqueue and dequeue
     * when it changes, so that isEmpty is a plain field read: the VM runs
     * such a trivial getter in place, far cheaper than a native call (PriQ
     * asks isEmpty of every class on every dequeue).
     */
    private boolean empty = true;

    public Queue() {
        open0();
    }

    private native void open0();

    /** Appends {@code p}; it must be held by the VIFlet and in no Queue. */
    public native void enqueue(Packet p);

    /** Removes and returns the oldest packet, or null if the queue is empty. */
    public native Packet dequeue();

    public boolean isEmpty() {
        return empty;
    }

    public native int size();
}
