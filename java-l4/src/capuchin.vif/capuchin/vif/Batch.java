package capuchin.vif;

/**
 * The VIF domain's entry points into a VIFlet: one call into Java per batch
 * of packets rather than per packet (the entry, not the handler, is what
 * costs on this path). The domain checks the outcome after each batch.
 */
final class Batch {
    private Batch() {}

    /** The arrays of (buffer number, length) pairs the domain passes
     * (created once). */
    static int[] ints(int n) {
        return new int[n];
    }

    /**
     * Calls {@code v.enqueue} for {@code n} packets: packet {@code i} is in
     * buffer {@code io[2i]} and {@code io[2i + 1]} bytes long (pairs, so the
     * domain fills one array). A packet its own {@code enqueue} left in no
     * Queue was dropped: its number goes to {@code io[0..d)} (slots already
     * read) and the count d is returned. The domain finds other dropped
     * packets by counting.
     */
    static int enqueueAll(VIFlet v, Packet[] wrappers, int[] io, int n) {
        // The arrays' lengths and a field of the VIFlet are read first, in
        // the entry block: compiled, the loop then knows none of them is
        // null (no check per packet).
        int nio = io.length, nw = wrappers.length, deref = v.length;
        if (n > nio / 2 || nw == 0) throw new IllegalArgumentException();
        int d = 0;
        for (int i = 0; i < n; i++) {
            Packet p = wrappers[io[2 * i]];
            p.len = io[2 * i + 1];
            p.place = Packet.IN_HAND;
            v.enqueue(p);
            if (p.place == Packet.IN_HAND) {
                p.place = Packet.FREE;
                p.len = 0;
                io[d++] = p.index;
            }
        }
        return d;
    }

    /** Calls {@code v.dequeue} until it returns null or {@code max}
     * packets; each one's buffer number and length go to {@code io} as a
     * pair. Returns how many. */
    static int dequeueAll(VIFlet v, int[] io, int max) {
        // As in enqueueAll: read first, so the loop knows they are not null.
        int nio = io.length, deref = v.length;
        if (max > nio / 2) throw new IllegalArgumentException();
        int n = 0;
        while (n < max) {
            Packet p = v.dequeue();
            if (p == null) break;
            if (p.place != Packet.IN_HAND) throw Packet.ruleBroken(p, true);
            p.place = Packet.FREE;
            io[2 * n] = p.index;
            io[2 * n + 1] = p.len;
            p.len = 0;
            n++;
        }
        return n;
    }
}
