package capuchin.vif;

/**
 * The VIF domain's entry points into a VIFlet: one call into Java per batch
 * of packets rather than per packet (the entry, not the handler, is what
 * costs on this path). The domain checks the outcome after each batch.
 */
final class Batch {
    private Batch() {}

    /** The index arrays the domain passes (created once). */
    static int[] ints(int n) {
        return new int[n];
    }

    /**
     * Calls {@code v.enqueue} for the packets of buffers {@code idx[0..n)},
     * of lengths {@code lens[0..n)}. A packet its own {@code enqueue} left
     * in no Queue was dropped: its number goes to {@code idx[0..d)} (slots
     * already read) and the count d is returned. The domain finds other
     * dropped packets by counting.
     */
    static int enqueueAll(VIFlet v, Packet[] wrappers, int[] idx, int[] lens, int n) {
        // The arrays' lengths are read first, in the entry block: compiled,
        // the loop then knows the arrays are not null (no check per packet).
        int ni = idx.length, nl = lens.length, nw = wrappers.length;
        if (n > ni || n > nl || nw == 0) throw new IllegalArgumentException();
        int d = 0;
        for (int i = 0; i < n; i++) {
            Packet p = wrappers[idx[i]];
            p.len = lens[i];
            p.place = Packet.IN_HAND;
            v.enqueue(p);
            if (p.place == Packet.IN_HAND) {
                p.place = Packet.FREE;
                p.len = 0;
                idx[d++] = p.index;
            }
        }
        return d;
    }

    /** Calls {@code v.dequeue} until it returns null or {@code max}
     * packets; their buffer numbers go to {@code out}, their lengths to
     * {@code lens}. Returns how many. */
    static int dequeueAll(VIFlet v, int[] out, int[] lens, int max) {
        int no = out.length, nl = lens.length;
        if (max > no || max > nl) throw new IllegalArgumentException();
        int n = 0;
        while (n < max) {
            Packet p = v.dequeue();
            if (p == null) break;
            if (p.place != Packet.IN_HAND) throw Packet.ruleBroken(p, true);
            p.place = Packet.FREE;
            lens[n] = p.len;
            p.len = 0;
            out[n++] = p.index;
        }
        return n;
    }
}
