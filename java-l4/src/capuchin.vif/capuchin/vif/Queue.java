package capuchin.vif;

/**
 * A FIFO of packets. A packet is in at most one Queue: enqueuing one that
 * is already queued stops the VIFlet (000's rule), as does enqueuing one
 * the VIFlet no longer holds. Packets in a Queue the VIFlet drops (the
 * collector finds it dead) are returned to the pool.
 *
 * <p>The Queue is plain Java (a ring of references that grows by doubling,
 * so a warmed-up Queue allocates nothing): compiled VIFlets run it without
 * a native call. Each packet records where it is ({@code Packet.place});
 * the domain reads that, and {@link #queued}, to find the packets a
 * handler dropped.
 */
public final class Queue {
    /** Packets in all Queues, live or dead; the VIF domain reads it. */
    private static int queued;

    /** Registers this Queue with the domain (a weak reference, so a dead
     * Queue's packets can be found) and returns its number. */
    private native int open0();

    /** This Queue's number: what {@code Packet.place} says of its packets. */
    private final int id;
    /**
     * The packets, oldest at {@code head}; the length is a power of two.
     * An {@code Object[]}, because a store into one needs no store check
     * (compiled code does it inline; into a {@code Packet[]} it calls the VM).
     */
    private Object[] ring = new Object[8];
    private int head;
    private int count;

    public Queue() {
        id = open0();
    }

    /** Appends {@code p}; it must be held by the VIFlet and in no Queue. */
    public void enqueue(Packet p) {
        if (p.place != Packet.IN_HAND) throw Packet.ruleBroken(p, false);
        // Every check before the first store (the JIT inlines this, and
        // leaves for a real call where a check fails or `grow` is due).
        Object[] r = ring;
        int c = count;
        if (c == r.length) r = grow();
        r[(head + c) & (r.length - 1)] = p;
        count = c + 1;
        queued++;
        p.place = id;
    }

    /** Removes and returns the oldest packet, or null if the queue is empty. */
    public Packet dequeue() {
        if (count == 0) return null;
        // Every check before the first store, as in enqueue. The slot keeps
        // its reference: wrappers live as long as the VIF (the domain holds
        // them all), so it keeps nothing alive.
        Object[] r = ring;
        int h = head;
        Packet p = (Packet) r[h];
        int next = (h + 1) & (r.length - 1);
        p.place = Packet.IN_HAND;
        head = next;
        count--;
        queued--;
        return p;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public int size() {
        return count;
    }

    /** Doubles the ring, oldest packet first (at most once per doubling of
     * the packets this Queue holds: never once warmed up). */
    private Object[] grow() {
        Object[] r = ring;
        Object[] bigger = new Object[r.length * 2];
        for (int i = 0; i < count; i++) bigger[i] = r[(head + i) & (r.length - 1)];
        ring = bigger;
        head = 0;
        return bigger;
    }
}
